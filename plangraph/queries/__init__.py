"""Queries: the named SPARQL library and a runner that binds parameters as RDF terms."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Identifier

from ..graph.build import PREFIXES
from ..loaders.names import normalise_name
from ..graph.store import Store
from .library import NamedQuery, Param, QueryError, bind, expand_iri, get, library, literal_for, parse
from .rows import Rows, display_value

__all__ = [
    "NamedQuery",
    "Param",
    "QueryError",
    "Rows",
    "library",
    "get",
    "parse",
    "bind",
    "run",
    "resolve",
    "resolve_entity",
    "display_value",
]

_LOOKUP = parse(
    f"""PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
SELECT DISTINCT ?node WHERE {{
  VALUES ?name {{ "" }}
  ?node rdfs:label|skos:altLabel ?label .
  FILTER(STR(?label) = ?name)
}} ORDER BY ?node""",
    "label-lookup",
)


def resolve_entity(store: Store, value: str) -> URIRef:
    """The node a user means by ``value``: an IRI, a CURIE, or a label or alias (zh or en).

    >>> from plangraph.api import load
    >>> str(resolve_entity(load(reason=False).store, "太钢集团"))
    'https://w3id.org/plangraph/id/太钢'
    """
    iri = expand_iri(value)
    if iri is not None:
        return iri
    found: list[URIRef] = []
    for name in dict.fromkeys((value, normalise_name(value))):
        found = [row[0] for row in store.query(bind(_LOOKUP, {"name": Literal(name)}))]
        if found:
            break
    if not found:
        raise QueryError(f"no node is labelled {value!r}; give an IRI, a CURIE such as pgid:太钢, or an exact label")
    if len(found) > 1:
        listed = ", ".join(f"<{n}>" for n in found[:5])
        raise QueryError(f"{value!r} labels several nodes ({listed}); give the IRI")
    return found[0]


def resolve(store: Store, query: NamedQuery, params: Mapping[str, str | Identifier]) -> dict[str, Identifier]:
    """Turn parameter values given as text into RDF terms of the kind each parameter declares."""
    out: dict[str, Identifier] = {}
    for name, value in params.items():
        p = query.param(name)
        if isinstance(value, Identifier):
            out[name] = value
        elif p.kind == "iri":
            out[name] = resolve_entity(store, value)
        else:
            out[name] = literal_for(p.kind, value)
    return out


def load_query(text_or_name: str) -> NamedQuery:
    """A named query of the library, an ``.rq`` file, or SPARQL text."""
    lib = library()
    if text_or_name in lib:
        return lib[text_or_name]
    candidate = Path(text_or_name)
    if text_or_name.endswith(".rq") or (len(text_or_name) < 300 and "\n" not in text_or_name and candidate.is_file()):
        try:
            return parse(candidate.read_text(encoding="utf-8"), candidate.stem, candidate)
        except OSError as exc:
            raise QueryError(f"{candidate}: {exc.strerror or exc}") from None
    if any(k in text_or_name.upper() for k in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")):
        return parse(text_or_name, "query")
    raise QueryError(f"{text_or_name!r} is neither a query of the library ({', '.join(lib)}), an .rq file, nor SPARQL text")


def run(store: Store, query: str | NamedQuery, params: Mapping[str, str | Identifier] | None = None) -> Rows:
    """Run a named query, an ``.rq`` file or SPARQL text on ``store`` and return its rows.

    >>> from plangraph.api import load
    >>> rows = run(load(reason=False).store, "cluster-anchors", {"cluster": "新材料产业集群"})
    >>> sorted(set(rows.column("anchorLabel")))
    ['中电科', '凯赛生物', '太钢']
    """
    q = query if isinstance(query, NamedQuery) else load_query(query)
    prepared = bind(q, resolve(store, q, params or {}))
    try:
        result = store.query(prepared)
    except Exception as exc:
        raise QueryError(f"{q.path or q.name}: the query failed: {exc}") from None
    return Rows(result, PREFIXES)
