"""The in-memory store: an rdflib Dataset whose default graph is the union of its named graphs.

>>> from rdflib import Graph, URIRef, Literal
>>> store = MemoryStore()
>>> store.add([(URIRef("urn:a"), URIRef("urn:p"), Literal("x"))], URIRef("urn:g"))
>>> store.query("SELECT ?s WHERE { VALUES ?s { UNDEF } ?s ?p ?o }", {"s": URIRef("urn:b")}).rows
[]
>>> store.count()
1
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterable, Iterator, Mapping

from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Identifier

from .bindings import bind_prepared
from .build import PREFIXES, bind_prefixes
from .store import Answer, Triple

__all__ = ["MemoryStore", "answer_of", "as_store"]


def answer_of(result: Result) -> Answer:
    """An rdflib query result as a plain :class:`~plangraph.graph.store.Answer`."""
    if result.type == "SELECT":
        return Answer("SELECT", [str(v) for v in result.vars or []], [tuple(row) for row in result])
    if result.type == "ASK":
        return Answer("ASK", boolean=bool(result.askAnswer))
    return Answer(result.type, triples=iter(result.graph) if result.graph is not None else iter(()))


def _prepare(text: str):
    from .sparql_parser import prepare_query

    return prepare_query(text, PREFIXES)


class MemoryStore:
    """An in-memory store on an rdflib :class:`~rdflib.Dataset`; or, given an rdflib graph, a
    read-only view of it (for queries over a graph a view already holds).
    """

    def __init__(self, graph: Graph | None = None) -> None:
        self._view = graph
        self.dataset = Dataset(default_union=True)
        bind_prefixes(self.dataset)
        self._lock = threading.RLock()

    @property
    def writable(self) -> bool:
        return self._view is None

    def query(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> Answer:
        prepared = _prepare(text)
        if bindings:
            prepared = bind_prepared(prepared, bindings)
        target = self._view if self._view is not None else self.dataset
        return answer_of(target.query(prepared))

    def update(self, text: str) -> None:
        from .sparql_parser import prepare_update

        self.dataset.update(prepare_update(text, PREFIXES))

    def add(self, triples: Iterable[Triple], name: URIRef) -> None:
        target = self.dataset.graph(name)
        with self._lock:
            self.dataset.addN((s, p, o, target) for s, p, o in triples)

    def add_graphs(self, graphs: Iterable[tuple[URIRef, Iterable[Triple]]]) -> None:
        for name, triples in graphs:
            self.add(triples, name)

    def replace(self, name: URIRef, triples: Iterable[Triple]) -> None:
        staged = list(triples)  # read first: a failing source leaves the old graph
        with self._lock:
            self.clear(name)
            self.add(staged, name)

    def clear(self, name: URIRef) -> None:
        with self._lock:
            self.dataset.remove_graph(self.dataset.graph(name))

    def graph(self, name: URIRef) -> Graph:
        out = bind_prefixes(Graph())
        for triple in self.dataset.graph(name):
            out.add(triple)
        return out

    def names(self) -> list[URIRef]:
        if self._view is not None:
            return []
        return sorted(
            g.identifier
            for g in self.dataset.graphs()
            if isinstance(g.identifier, URIRef) and len(g) and g.identifier != self.dataset.default_graph.identifier
        )

    def count(self, name: URIRef | None = None) -> int:
        if self._view is not None:
            return len(self._view)
        names = self.names() if name is None else [name]
        return sum(len(self.dataset.graph(n)) for n in names)

    @contextmanager
    def batch(self) -> Iterator[None]:
        with self._lock:
            yield

    def close(self) -> None:
        pass

    def __len__(self) -> int:
        return self.count()


def as_store(target: object):
    """``target`` as a store: a store as it is, an rdflib graph as a read-only :class:`MemoryStore` view."""
    if isinstance(target, Graph) and not isinstance(target, Dataset):
        return MemoryStore(target)
    return target
