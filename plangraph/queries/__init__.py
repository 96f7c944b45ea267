"""Queries: the named SPARQL library and a runner that binds parameters as RDF terms."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Identifier

from ..graph.bindings import BindingError
from ..graph.build import PREFIXES
from ..graph.memory_store import as_store
from ..graph.store import Store, StoreError, StoreTimeout
from ..loaders.names import normalise_name
from .library import NamedQuery, Param, QueryError, bind, expand_iri, get, library, literal_for, parse
from .limits import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, UNBOUNDED, Limits, QueryLimitError, expired, run_within, time_limit
from .rows import FORMATS, RDF_FORMATS, Rows, display_value

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
    "nearest_labels",
    "check_params",
    "load_query",
    "display_value",
    "Limits",
    "UNBOUNDED",
    "QueryLimitError",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_ROWS",
    "FORMATS",
    "RDF_FORMATS",
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
_EXISTS = parse("ASK { { VALUES ?node { <urn:x> } ?node ?p ?o } UNION { VALUES ?node { <urn:x> } ?s ?p ?node } }", "node-exists")
_LABELS = parse(
    f"""PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
SELECT DISTINCT ?label WHERE {{ ?node rdfs:label|skos:altLabel ?label }}""",
    "labels",
)
# a query is SPARQL text when, after comments, PREFIX and BASE lines, it opens with a query form
_SPARQL_TEXT = re.compile(r"^\s*(?:(?:#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*(?:SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


#: What the functions here query: a store, or an rdflib graph (read through a store view).
Graphish = Store | Graph


def nearest_labels(graph: Graphish, value: str, n: int = 5) -> list[str]:
    """The labels in ``graph`` closest to ``value``: those that contain it or that it contains
    first, then the most similar.

    >>> from plangraph.api import load
    >>> nearest_labels(load(reason=False).store, "太钢厂")[:1]
    ['太钢']
    """
    labels = sorted({str(row[0]) for row in as_store(graph).query(_LABELS.text).rows})
    inside = sorted((lab for lab in labels if lab and (value in lab or lab in value)), key=lambda lab: (abs(len(lab) - len(value)), lab))
    close = difflib.get_close_matches(value, labels, n=n, cutoff=0.4)
    return list(dict.fromkeys([*inside, *close]))[:n]


def _unknown(graph: Graphish, value: str, what: str) -> QueryError:
    near = nearest_labels(graph, value)
    hint = f"; the nearest labels: {', '.join(near)}" if near else ""
    return QueryError(f"{what}{hint}")


def resolve_entity(graph: Graphish, value: str) -> URIRef:
    """The node a user means by ``value``: an IRI, a CURIE, or a label or alias (zh or en), in a
    store or an rdflib graph. A value that names no node is an error suggesting the nearest labels.

    >>> from plangraph.api import load
    >>> store = load(reason=False).store
    >>> str(resolve_entity(store, "太钢集团"))
    'https://w3id.org/plangraph/id/太钢'
    >>> resolve_entity(store, "pgid:太钢厂")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    plangraph.queries.library.QueryError: no node is <https://w3id.org/plangraph/id/太钢厂>; the nearest labels: 太钢, ...
    """
    store = as_store(graph)
    iri = expand_iri(value)
    if iri is not None:
        if not store.query(_EXISTS.text, {"node": iri}).boolean:
            raise _unknown(graph, iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1], f"no node is <{iri}>")
        return iri
    found: list[URIRef] = []
    for name in dict.fromkeys((value, normalise_name(value))):
        found = [row[0] for row in store.query(_LOOKUP.text, {"name": Literal(name)}).rows]
        if found:
            break
    if not found:
        raise _unknown(graph, value, f"no node is labelled {value!r} (give a label, an alias, a CURIE such as pgid:太钢, or an IRI)")
    if len(found) > 1:
        listed = ", ".join(f"<{n}>" for n in found[:5])
        raise QueryError(f"{value!r} labels several nodes ({listed}); give the IRI")
    return found[0]


def check_params(query: NamedQuery, params: Mapping[str, str | Identifier]) -> None:
    """Check parameter names and literal values before any data is loaded (IRIs are resolved later, against the data).

    >>> check_params(library()["goals-targets"], {"year": "2025"})
    Traceback (most recent call last):
    ...
    plangraph.queries.library.QueryError: query 'goals-targets' has no parameter 'year' (parameters: theme)
    """
    for name, value in params.items():
        p = query.param(name)
        if p.kind != "iri" and not isinstance(value, Identifier):
            literal_for(p.kind, value)


def resolve(graph: Graphish, query: NamedQuery, params: Mapping[str, str | Identifier]) -> dict[str, Identifier]:
    """Turn parameter values given as text into RDF terms of the kind each parameter declares."""
    check_params(query, params)
    out: dict[str, Identifier] = {}
    for name, value in params.items():
        p = query.param(name)
        if isinstance(value, Identifier):
            out[name] = value
        elif p.kind == "iri":
            out[name] = resolve_entity(graph, value)
        else:
            out[name] = literal_for(p.kind, value)
    return out


def load_query(text_or_name: str) -> NamedQuery:
    """A named query of the library, an ``.rq`` file, or SPARQL text, checked to parse: every
    mistake in it is reported before any data is read. A near-miss name suggests the right one.

    >>> load_query("sites-by-tasks")
    Traceback (most recent call last):
    ...
    plangraph.queries.library.QueryError: no query named 'sites-by-tasks'; did you mean sites-by-task? (`plangraph queries` lists them; or give an .rq file or SPARQL text)
    """
    lib = library()
    if text_or_name in lib:
        return lib[text_or_name]
    if _SPARQL_TEXT.match(text_or_name):
        query = parse(text_or_name, "query")
    else:
        candidate = Path(text_or_name)
        if not (text_or_name.endswith(".rq") or (len(text_or_name) < 300 and "\n" not in text_or_name and candidate.is_file())):
            near = difflib.get_close_matches(text_or_name, list(lib), n=1, cutoff=0.6)
            hint = f"did you mean {near[0]}? " if near else ""
            raise QueryError(f"no query named {text_or_name!r}; {hint}(`plangraph queries` lists them; "
                             "or give an .rq file or SPARQL text)")
        try:
            query = parse(candidate.read_text(encoding="utf-8"), candidate.stem, candidate)
        except OSError as exc:
            raise QueryError(f"{candidate}: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise QueryError(f"{candidate}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    query.prepared()
    return query


def run(
    store: Graphish,
    query: str | NamedQuery,
    params: Mapping[str, str | Identifier] | None = None,
    limits: Limits = Limits(),
) -> Rows:
    """Run a named query, an ``.rq`` file or SPARQL text on ``store`` (or an rdflib graph) and
    return its answer, within ``limits`` (time and rows; :class:`QueryLimitError` past one).

    >>> from plangraph.api import load
    >>> rows = run(load(reason=False).store, "cluster-anchors", {"cluster": "新材料产业集群"})
    >>> sorted(set(rows.column("anchorLabel")))
    ['中电科', '凯赛生物', '太钢']
    """
    q = query if isinstance(query, NamedQuery) else load_query(query)
    target = as_store(store)
    bindings = resolve(target, q, params or {})

    keeps_limits = getattr(target, "keeps_limits", False)

    def answer() -> Rows:
        try:
            if keeps_limits:  # it stops the query itself, and reads one row past the limit at most
                return Rows(target.query(q.text, bindings, timeout=limits.timeout, max_rows=limits.max_rows), PREFIXES, max_rows=limits.max_rows)
            return Rows(target.query(q.text, bindings), PREFIXES, max_rows=limits.max_rows)
        except QueryError:
            raise
        except StoreTimeout as exc:
            raise expired(exc.seconds) from None
        except (BindingError, StoreError) as exc:
            raise QueryError(f"{q.path or q.name}: {exc}") from None
        except Exception as exc:
            raise QueryError(f"{q.path or q.name}: the query failed: {exc}") from None

    if keeps_limits:
        return answer()
    if getattr(target, "interruptible", True):
        with time_limit(limits.timeout):
            return answer()
    return run_within(limits.timeout, answer)
