"""Binding a query's parameters to RDF terms, for engines that take query text.

A parameter is a variable whose default rows sit in a ``VALUES`` clause of the query (so the
file runs as it stands anywhere). Binding replaces those rows with the given term, written by
rdflib as an RDF term (an IRI in ``<>`` with its characters escaped, a literal with its datatype
or language): a value never becomes query syntax.

rdflib's own engine is bound in the parsed algebra instead (:func:`bind_prepared`), so both
paths give the same answer; a test runs every named query both ways.

>>> from rdflib import URIRef, Literal
>>> print(bind_text("SELECT * WHERE { VALUES ?x { UNDEF } ?x ?p ?o }", {"x": URIRef("urn:a")}))
SELECT * WHERE { VALUES ?x { <urn:a> } ?x ?p ?o }
>>> print(bind_text('SELECT * { VALUES ?n { "" } }', {"n": Literal('a" } DROP ALL #')}))
SELECT * { VALUES ?n { "a\\" } DROP ALL #" } }
"""

from __future__ import annotations

import re
from typing import Mapping

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier

__all__ = ["BindingError", "bind_text", "bind_prepared", "term_text", "query_form"]


class BindingError(ValueError):
    """A parameter has no ``VALUES`` clause to bind, or a term cannot be written in SPARQL."""


# the parts of SPARQL text in which "VALUES ?x {" is not syntax: IRIs, strings and comments
_OPAQUE = re.compile(r'<[^<>"{}|^`\\\s]*>|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')
_VALUES = r"VALUES\s*\?{name}\s*\{{[^{{}}]*\}}"


_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of a query (after its prologue), None for none.

    >>> query_form("PREFIX ex: <urn:x#select> # ASK? \\n construct { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    m = _FORM.search(_masked(text))
    return m.group(1).upper() if m else None


def term_text(term: Identifier) -> str:
    """An RDF term as SPARQL writes it.

    >>> term_text(Literal("太钢", lang="zh"))
    '"太钢"@zh'
    """
    if isinstance(term, BNode):
        raise BindingError("a blank node cannot be bound as a query parameter; give an IRI")
    if isinstance(term, URIRef):
        if re.search(r'[<>"{}|^`\\\x00-\x20]', str(term)):
            raise BindingError(f"<{term}> is not an IRI SPARQL can hold")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise BindingError(f"{term!r} is not an RDF term")


def _masked(text: str) -> str:
    # the text with its IRIs, strings and comments blanked out, offsets kept
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), text)


def bind_text(text: str, bindings: Mapping[str, Identifier], name: str = "query") -> str:
    """``text`` with the rows of each bound variable's single-variable ``VALUES`` clause replaced by its term."""
    for var, term in bindings.items():
        pattern = re.compile(_VALUES.format(name=re.escape(var)) + r"(?!\w)", re.I)
        masked = _masked(text)
        spans = [m.span() for m in pattern.finditer(masked)]
        if not spans:
            raise BindingError(f"query {name!r} has no clause VALUES ?{var} {{ … }} to bind")
        value = term_text(term)
        for start, end in reversed(spans):
            text = f"{text[:start]}VALUES ?{var} {{ {value} }}{text[end:]}"
    return text


def _values_nodes(algebra: object, var: Variable) -> list[CompValue]:
    from .sparql_parser import algebra_nodes

    return [node for node in algebra_nodes(algebra) if node.name == "values" and any(var in row for row in node.get("res", []))]


def bind_prepared(prepared: Query, bindings: Mapping[str, Identifier], name: str = "query") -> Query:
    """``prepared`` (a fresh parse: its algebra is changed) with each variable's ``VALUES`` rows set to its term.

    >>> from rdflib import Graph
    >>> from rdflib.plugins.sparql import prepareQuery
    >>> q = bind_prepared(prepareQuery("SELECT ?s WHERE { VALUES ?s { <urn:a> } }"), {"s": URIRef("urn:b")})
    >>> [str(r.s) for r in Graph().query(q)]
    ['urn:b']
    """
    for var_name, term in bindings.items():
        var = Variable(var_name)
        found = _values_nodes(prepared.algebra, var)
        if not found:
            raise BindingError(f"query {name!r} has no VALUES clause for ?{var_name} to bind")
        for node in found:
            rows = []
            for row in node["res"] or [{}]:
                new = dict(row)
                new[var] = term
                rows.append(new)
            # one row per distinct binding of the other variables
            unique = {tuple(sorted((str(k), str(v)) for k, v in r.items())): r for r in rows}
            node["res"] = list(unique.values())
    return prepared
