"""Where the triples live: one small interface (add, query, serialise) over named graphs.

Loaders, queries and views use only :class:`Store`; an embedded on-disk store or a
remote SPARQL 1.1 endpoint can implement the same methods.

>>> from rdflib import Graph, URIRef, Literal
>>> store = MemoryStore()
>>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal(1)))
>>> store.add(g, URIRef("urn:g"))
>>> len(store)
1
>>> [row[0].toPython() for row in store.query("SELECT ?o WHERE { ?s ?p ?o }")]
[1]
"""

from __future__ import annotations

from typing import Iterable, Mapping, Protocol, runtime_checkable

from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Identifier, Node

from .build import bind_prefixes

__all__ = ["Store", "MemoryStore"]


@runtime_checkable
class Store(Protocol):
    """The storage interface every backend implements."""

    def add(self, graph: Iterable[tuple[Node, Node, Node]], name: URIRef) -> None:
        """Add the triples of ``graph`` (a Graph or any iterable of triples) to the named graph ``name``."""

    def clear(self, name: URIRef) -> None:
        """Remove every triple of the named graph ``name``."""

    def query(self, query: object, bindings: Mapping[str, Identifier] | None = None) -> Result:
        """Run a SPARQL query (text or a prepared query) over the union of all named graphs."""

    def graph(self, name: URIRef) -> Graph:
        """A copy of the named graph ``name``."""

    def names(self) -> list[URIRef]:
        """The names of the non-empty named graphs, sorted."""


class MemoryStore:
    """An in-memory store on an rdflib :class:`~rdflib.Dataset`; queries see the union of graphs."""

    def __init__(self) -> None:
        self.dataset = Dataset(default_union=True)
        bind_prefixes(self.dataset)

    def add(self, graph: Iterable[tuple[Node, Node, Node]], name: URIRef) -> None:
        target = self.dataset.graph(name)
        self.dataset.addN((s, p, o, target) for s, p, o in graph)

    def clear(self, name: URIRef) -> None:
        self.dataset.remove_graph(self.dataset.graph(name))

    def query(self, query: object, bindings: Mapping[str, Identifier] | None = None) -> Result:
        return self.dataset.query(query, initBindings=dict(bindings or {}))

    def graph(self, name: URIRef) -> Graph:
        out = bind_prefixes(Graph())
        for triple in self.dataset.graph(name):
            out.add(triple)
        return out

    def names(self) -> list[URIRef]:
        return sorted(
            g.identifier
            for g in self.dataset.graphs()
            if isinstance(g.identifier, URIRef) and len(g) and g.identifier != self.dataset.default_graph.identifier
        )

    def triples(self, names: Iterable[URIRef] | None = None) -> Iterable[tuple[Node, Node, Node]]:
        """Every triple of the given named graphs (all graphs by default)."""
        for name in self.names() if names is None else names:
            yield from self.dataset.graph(name)

    def __len__(self) -> int:
        return sum(len(self.dataset.graph(n)) for n in self.names())
