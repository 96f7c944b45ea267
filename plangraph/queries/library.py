"""The named-query library: standard ``.rq`` files with a header, bound by RDF terms.

Each file in this folder runs as it stands in any SPARQL 1.1 engine: its parameters
have defaults in ``VALUES`` clauses. A header of comment lines describes it::

    # title@zh: 目标及其指标
    # title@en: Goals with their targets
    # question: Which targets does each goal set?
    # param ?theme iri default UNDEF — only this theme (all themes when unbound)
    # inference: completes

``inference`` says what the answer owes to the reasoner: ``needed`` (nothing without the
inferred triples) or ``completes`` (some rows come from them); absent when it owes nothing.

To run a query with other parameter values, :func:`bind` replaces the ``VALUES`` rows in
the parsed query's algebra with the given RDF terms; query text is never pasted together.

>>> q = get("goals-targets")
>>> q.title_en
'Goals with their targets'
>>> [p.name for p in q.params]
['theme']
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Mapping

from rdflib import XSD, Literal, URIRef
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier

from ..graph.bindings import BindingError, bind_prepared
from ..graph.sparql_parser import prepare_query
from ..graph.build import PREFIXES

__all__ = ["Param", "NamedQuery", "QueryError", "library", "get", "parse", "bind", "literal_for", "expand_iri", "PARAM_KINDS"]

#: What a parameter holds: an IRI (given as an IRI, a CURIE or a label), a plain string, a number or a year.
PARAM_KINDS = ("iri", "string", "integer", "decimal", "year")

#: What a query's answer owes to the reasoner (the ``inference`` header): all of it, or some rows.
INFERENCE = ("needed", "completes")

_HEADER = re.compile(r"^#\s*([\w@]+)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^#\s*param\s+\?(\w+)\s+(\w+)\s+default\s+(\S+)\s+[—-]+\s+(.*?)\s*$")


class QueryError(ValueError):
    """A query cannot be found, parsed or bound; the message says which and why."""


@dataclass(frozen=True)
class Param:
    """A parameter of a named query, with its default as written in the query's VALUES clause."""

    name: str
    kind: str
    default: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library (or any ``.rq`` text), with its header parsed."""

    name: str
    text: str
    title_zh: str = ""
    title_en: str = ""
    question: str = ""
    params: tuple[Param, ...] = field(default_factory=tuple)
    path: Path | None = None
    inference: str = ""

    @property
    def title(self) -> str:
        return " / ".join(t for t in (self.title_zh, self.title_en) if t)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")

    def reasoning_note(self) -> str | None:
        """What is missing from this query's answer when the graph was not reasoned over."""
        if self.inference == "needed":
            return f"{self.name} answers from inferred triples: without reasoning it finds nothing"
        if self.inference == "completes":
            return f"{self.name} counts inferred triples too: without reasoning some rows are missing"
        return None

    def prepared(self) -> Query:
        try:
            return prepare_query(self.text, PREFIXES)
        except Exception as exc:  # pyparsing raises its own exception types
            where = self.path or self.name
            raise QueryError(f"{where}: not valid SPARQL: {exc}") from None


def parse(text: str, name: str = "query", path: Path | None = None) -> NamedQuery:
    """Read the header of a query's text.

    >>> parse("# title@en: Count\\n# param ?x iri default UNDEF — a node\\nSELECT * {}").params[0].kind
    'iri'
    """
    meta: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _PARAM.match(line)
        if m:
            pname, kind, default, desc = m.groups()
            if kind not in PARAM_KINDS:
                raise QueryError(f"{path or name}: parameter ?{pname} has unknown kind {kind!r} (use {', '.join(PARAM_KINDS)})")
            params.append(Param(pname, kind, default, desc))
            continue
        h = _HEADER.match(line)
        if h:
            meta[h.group(1)] = h.group(2)
    if meta.get("inference", "") not in ("", *INFERENCE):
        raise QueryError(f"{path or name}: the header's inference is {meta['inference']!r}; use one of {', '.join(INFERENCE)}")
    return NamedQuery(
        name=name,
        text=text,
        title_zh=meta.get("title@zh", ""),
        title_en=meta.get("title@en", ""),
        question=meta.get("question", ""),
        params=tuple(params),
        path=path,
        inference=meta.get("inference", ""),
    )


def library() -> dict[str, NamedQuery]:
    """Every named query shipped with plangraph, by name (the file name without ``.rq``)."""
    folder = resources.files("plangraph") / "queries"
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = parse(entry.read_text(encoding="utf-8"), name, Path(str(entry)))
    return out


def get(name: str) -> NamedQuery:
    """The named query ``name``; the error lists the names there are."""
    lib = library()
    if name not in lib:
        raise QueryError(f"no query named {name!r}; the library has: {', '.join(lib)}")
    return lib[name]


def bind(query: NamedQuery, bindings: Mapping[str, Identifier]) -> Query:
    """The prepared query (rdflib's) with each named parameter's VALUES rows replaced by the given term.

    >>> q = parse("SELECT ?s WHERE { VALUES ?s { <urn:a> } }", "demo")
    >>> prepared = bind(q, {"s": URIRef("urn:b")})
    >>> from rdflib import Graph
    >>> [str(r.s) for r in Graph().query(prepared)]
    ['urn:b']
    """
    try:
        return bind_prepared(query.prepared(), bindings, query.name)
    except BindingError as exc:
        raise QueryError(str(exc)) from None


def literal_for(kind: str, value: str) -> Identifier:
    """The RDF term of a non-IRI parameter value.

    >>> literal_for("year", "2025")
    rdflib.term.Literal('2025', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear'))
    """
    try:
        if kind == "integer":
            return Literal(int(value))
        if kind == "decimal":
            return Literal(Decimal(value), datatype=XSD.decimal)
        if kind == "year":
            if not re.fullmatch(r"-?\d{4}", value):
                raise ValueError(value)
            return Literal(value, datatype=XSD.gYear)
    except (ValueError, InvalidOperation):
        raise QueryError(f"{value!r} is not a valid {kind}") from None
    return Literal(value)


def expand_iri(value: str) -> URIRef | None:
    """An IRI written as ``<...>``, a full IRI or a CURIE with a plangraph prefix; None otherwise.

    >>> str(expand_iri("pgid:太钢"))
    'https://w3id.org/plangraph/id/太钢'
    >>> expand_iri("太钢") is None
    True
    """
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    if re.match(r"^[a-z][a-z0-9+.-]*://", value) or value.startswith("urn:"):
        return URIRef(value)
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES:
        return URIRef(PREFIXES[prefix] + local)
    return None
