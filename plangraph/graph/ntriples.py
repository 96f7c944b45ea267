"""N-Triples lines of rdflib triples, written fast: what every store's writes and the plans'
digests are made of.

A corpus repeats its IRIs (predicates, classes, shared carriers) many times and its literals
rarely, so IRIs are written once and kept; literals are escaped as N-Triples escapes them
(the same text rdflib's own N-Triples serialiser writes).

>>> from rdflib import Literal, URIRef
>>> row((URIRef("urn:a"), URIRef("urn:p"), Literal('say "hi"', lang="zh")))
'<urn:a> <urn:p> "say \\\\"hi\\\\""@zh .\\n'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from rdflib.term import BNode, Literal, Node, URIRef

__all__ = ["term", "statement", "row", "rows", "document"]

_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", '"': '\\"', "\r": "\\r"})
_NOT_IN_IRI_CHARS = '<>"{}|\\^`'
_NOT_IN_IRI = re.compile("[" + re.escape(_NOT_IN_IRI_CHARS) + "\x00-\x20]")
_IRIS: dict[str, str] = {}
_IRIS_MAX = 500_000


def _iri(node: URIRef) -> str:
    # what N-Triples cannot hold inside <…> would end the IRI early: refused, as rdflib refuses it
    if _NOT_IN_IRI.search(node):
        raise ValueError(f"{str(node)!r} is not an IRI N-Triples can write (it holds one of {_NOT_IN_IRI_CHARS!r}, a space or a control character)")
    return f"<{node}>"


def term(node: Node) -> str:
    """The N-Triples text of one term.

    >>> from rdflib import Literal, URIRef, XSD
    >>> term(URIRef("urn:x")), term(Literal("2", datatype=XSD.integer))
    ('<urn:x>', '"2"^^<http://www.w3.org/2001/XMLSchema#integer>')
    >>> term(URIRef("urn:x> <urn:y"))
    Traceback (most recent call last):
    ValueError: 'urn:x> <urn:y' is not an IRI N-Triples can write (it holds one of '<>"{}|\\\\^`', a space or a control character)
    """
    if type(node) is URIRef:
        text = _IRIS.get(node)
        if text is None:
            if len(_IRIS) > _IRIS_MAX:
                _IRIS.clear()
            text = _IRIS[node] = _iri(node)
        return text
    if isinstance(node, Literal):
        quoted = f'"{str(node).translate(_ESCAPES)}"'
        if node.language:
            return f"{quoted}@{node.language}"
        if node.datatype:
            return f"{quoted}^^{term(node.datatype)}"
        return quoted
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, URIRef):
        return _iri(node)
    raise TypeError(f"{node!r} is not an RDF term N-Triples can write")


def statement(triple: tuple[Node, Node, Node]) -> str:
    """A triple's three terms, without the end of the line (a graph may follow)."""
    s, p, o = triple
    return f"{term(s)} {term(p)} {term(o)}"


def row(triple: tuple[Node, Node, Node]) -> str:
    """One N-Triples line (ending in a newline)."""
    return statement(triple) + " .\n"


def rows(triples: Iterable[tuple[Node, Node, Node]]) -> Iterator[str]:
    """N-Triples lines, one per triple.

    >>> from rdflib import URIRef
    >>> list(rows([(URIRef("urn:a"), URIRef("urn:p"), URIRef("urn:b"))]))
    ['<urn:a> <urn:p> <urn:b> .\\n']
    """
    return map(row, triples)


def document(statements: list[str], graph: URIRef | None = None) -> str:
    """N-Triples text of :func:`statement` results, or N-Quads text in ``graph``.

    >>> from rdflib import URIRef
    >>> document([statement((URIRef("urn:a"), URIRef("urn:p"), URIRef("urn:b")))], URIRef("urn:g"))
    '<urn:a> <urn:p> <urn:b> <urn:g> .\\n'
    """
    if not statements:
        return ""
    end = f" {term(graph)} .\n" if graph is not None else " .\n"
    return end.join(statements) + end
