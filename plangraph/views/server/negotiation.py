"""Content negotiation: which format an answer is written in, from the request's ``Accept``
header (RFC 9110: quality values, wildcards, the most specific range wins) or a ``format``
parameter, which overrides it (for links and clients that cannot set headers).

>>> choose("application/sparql-results+xml;q=0.9, text/csv", RESULT_TYPES)
'csv'
>>> choose("*/*", GRAPH_TYPES)
'turtle'
>>> choose("image/png", RESULT_TYPES) is None
True
"""

from __future__ import annotations

__all__ = ["RESULT_TYPES", "GRAPH_TYPES", "MEDIA_TYPES", "choose", "parse_accept", "media_type", "format_named"]

#: The SPARQL 1.1 result formats of SELECT and ASK, by plangraph's name, with their media types
#: (the first is the one written for ``*/*``); other names the same format is asked for by.
RESULT_TYPES: dict[str, tuple[str, ...]] = {
    "json": ("application/sparql-results+json", "application/json"),
    "xml": ("application/sparql-results+xml", "application/xml", "text/xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
}
#: The RDF syntaxes of CONSTRUCT and DESCRIBE answers and of graphs (the first for ``*/*``).
GRAPH_TYPES: dict[str, tuple[str, ...]] = {
    "turtle": ("text/turtle", "application/x-turtle"),
    "nt": ("application/n-triples", "text/plain"),
    "json-ld": ("application/ld+json", "application/json"),
    "rdf-xml": ("application/rdf+xml", "application/xml", "text/xml"),
}
#: Every format's own media type.
MEDIA_TYPES: dict[str, str] = {name: types[0] for name, types in (*RESULT_TYPES.items(), *GRAPH_TYPES.items())}

_GRAPH_NAMES = {"xml": "rdf-xml", "rdf+xml": "rdf-xml", "n3": "turtle", "json": "json-ld"}
_NAMES = {"srj": "json", "srx": "xml", "ttl": "turtle", "n-triples": "nt", "ntriples": "nt", "jsonld": "json-ld",
          "rdfxml": "rdf-xml", "rdf": "rdf-xml"}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their quality, best first (ties: the more
    specific range first, then the header's order). A malformed quality counts as 0.

    >>> parse_accept("text/*;q=0.5, text/csv, */*;q=0.1")
    [('text/csv', 1.0), ('text/*', 0.5), ('*/*', 0.1)]
    """
    if not header:
        return [("*/*", 1.0)]
    ranges: list[tuple[str, float, int, int]] = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        if media == "*":
            media = "*/*"
        quality = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((media, quality, specificity, position))
    ranges.sort(key=lambda r: (-r[1], -r[2], r[3]))
    return [(media, quality) for media, quality, _, _ in ranges]


def _matches(media_range: str, media: str) -> bool:
    if media_range == "*/*":
        return True
    if media_range.endswith("/*"):
        return media.split("/")[0] == media_range[:-2]
    return media == media_range


def choose(accept: str | None, offered: dict[str, tuple[str, ...]]) -> str | None:
    """The name of the format in ``offered`` the ``Accept`` header prefers, None when it accepts none.

    Each offered media type gets the quality of the most specific range that matches it (so
    ``*/*;q=0.1, text/csv;q=0`` refuses CSV); the best quality wins, the first offered on a tie.

    >>> choose("text/csv;q=0, */*;q=0.1", {"csv": ("text/csv",), "json": ("application/json",)})
    'json'
    """
    ranges = parse_accept(accept)
    best: tuple[float, int, str] | None = None
    order = 0
    for name, types in offered.items():
        for media in types:
            order += 1
            matching = [(specific, q) for r, q in ranges if _matches(r, media)
                        for specific in [0 if r == "*/*" else 1 if r.endswith("/*") else 2]]
            if not matching:
                continue
            quality = max(matching)[1]  # the most specific range decides
            if quality > 0 and (best is None or (quality, -order) > (best[0], best[1])):
                best = (quality, -order, name)
    return best[2] if best else None


def format_named(value: str, offered: dict[str, tuple[str, ...]]) -> str | None:
    """The format a ``format`` parameter names: plangraph's name, a usual alias or a media type.

    >>> format_named("application/sparql-results+json", RESULT_TYPES), format_named("ttl", GRAPH_TYPES), format_named("xml", GRAPH_TYPES)
    ('json', 'turtle', 'rdf-xml')
    """
    value = value.strip().lower()
    if "turtle" in offered:  # what clients (SPARQLWrapper) call the RDF syntaxes
        value = _GRAPH_NAMES.get(value, value)
    value = _NAMES.get(value, value)
    if value in offered:
        return value
    for name, types in offered.items():
        if value in types:
            return name
    return None


def media_type(name: str) -> str:
    """The media type a format is written with (text types with their charset)."""
    media = MEDIA_TYPES[name]
    return f"{media}; charset=utf-8" if media.startswith("text/") or media.endswith(("+json", "+xml", "/json", "/n-triples")) else media
