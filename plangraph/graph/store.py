"""Where the triples live: one small interface over named graphs, and the stores that fill it.

A :class:`Store` holds named graphs (one per plan, the inferred triples, the ontology) and
answers SPARQL over their union. It takes query text and parameter bindings (RDF terms) and
returns an :class:`Answer` of plain rows, or triples for CONSTRUCT and DESCRIBE. Three stores
implement it:

- ``memory``: rdflib in memory (:class:`~plangraph.graph.memory_store.MemoryStore`), the default for a handful of plans;
- a folder: Oxigraph on disk (:class:`~plangraph.graph.oxigraph_store.OxigraphStore`), kept between commands;
- an ``http(s)://`` URL: an existing triplestore over the SPARQL 1.1 protocols
  (:class:`~plangraph.graph.sparql_store.SparqlStore`).

>>> from rdflib import URIRef, Literal
>>> store = open_store("memory")
>>> store.replace(URIRef("urn:g"), [(URIRef("urn:a"), URIRef("urn:p"), Literal(1))])
>>> store.query("SELECT ?o WHERE { ?s ?p ?o }").rows
[(rdflib.term.Literal('1', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')),)]
>>> store.names()
[rdflib.term.URIRef('urn:g')]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ContextManager, Iterable, Mapping, Protocol, runtime_checkable

if TYPE_CHECKING:  # the command line catches StoreError without loading rdflib
    from rdflib import Graph, URIRef
    from rdflib.term import Identifier, Node

__all__ = ["Store", "Answer", "StoreError", "StoreTimeout", "Triple", "open_store", "replace_by_moving", "STORE_KINDS"]

Triple = tuple["Node", "Node", "Node"]

#: What ``--store`` accepts, as the README and the CLI's help describe it.
STORE_KINDS = "memory (the default), a folder (Oxigraph on disk), or the URL of a SPARQL 1.1 endpoint"


class StoreError(RuntimeError):
    """A store cannot be opened, read or written; the message names the store and why."""


class StoreTimeout(StoreError):
    """A store that keeps a query's time limit itself stopped the query at it (``seconds``)."""

    def __init__(self, seconds: float):
        super().__init__(f"the query ran for {seconds:g} s, its time limit")
        self.seconds = seconds


@dataclass
class Answer:
    """A query's answer in plain terms: ``type`` is SELECT, ASK, CONSTRUCT or DESCRIBE; SELECT
    has ``vars`` and ``rows`` (tuples of rdflib terms, None where unbound), ASK ``boolean``,
    CONSTRUCT and DESCRIBE ``triples``. Rows and triples may be iterators, read once.
    """

    type: str
    vars: list[str] = field(default_factory=list)
    rows: Iterable[tuple["Node | None", ...]] = ()
    boolean: bool | None = None
    triples: Iterable[Triple] | None = None


@runtime_checkable
class Store(Protocol):
    """The storage interface every backend implements; queries see the union of the named graphs."""

    def query(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> Answer:
        """Run SPARQL ``text`` with the variables of ``bindings`` bound (their ``VALUES`` rows replaced)."""

    def update(self, text: str) -> None:
        """Run a SPARQL 1.1 Update."""

    def add(self, triples: Iterable[Triple], name: URIRef) -> None:
        """Add triples to the named graph ``name``."""

    def add_graphs(self, graphs: Iterable[tuple[URIRef, Iterable[Triple]]]) -> None:
        """Add new named graphs as fast as the store writes (a bulk load where it has one). Not one
        transaction: a failure may leave part of them written, so the caller lists them only once
        this returns, and drops them when it raises."""

    def replace(self, name: URIRef, triples: Iterable[Triple]) -> None:
        """Make ``triples`` the whole content of graph ``name``, at once: a failure leaves the old content."""

    def clear(self, name: URIRef) -> None:
        """Remove the named graph ``name``."""

    def graph(self, name: URIRef) -> Graph:
        """A copy of the named graph ``name`` (its dump)."""

    def names(self) -> list[URIRef]:
        """The names of the non-empty named graphs, sorted."""

    def count(self, name: URIRef | None = None) -> int:
        """How many triples graph ``name`` holds (all graphs together when None)."""

    def batch(self) -> ContextManager[None]:
        """A group of writes made visible together where the store can (a lock at least)."""

    def close(self) -> None:
        """Release the store (files, locks, connections)."""

    @property
    def writable(self) -> bool:
        """Whether the store accepts writes."""


def replace_by_moving(store: Store, name: "URIRef", triples: Iterable[Triple]) -> None:
    """Replace graph ``name`` the way a SPARQL store can do it at once: load the new content into
    a graph beside it, then ``MOVE`` it into place (one update). A failing source leaves the old graph.
    """
    from rdflib import URIRef

    staging = URIRef(f"{name}#staging")
    store.clear(staging)
    try:
        store.add(triples, staging)
    except BaseException:
        store.clear(staging)
        raise
    store.update(f"MOVE SILENT GRAPH <{staging}> TO <{name}>")


def open_store(spec: str | Path | Store | None = None, read_only: bool = False) -> Store:
    """The store ``spec`` names: ``memory`` (or None), a folder for Oxigraph on disk (created when
    missing), an ``http(s)://`` SPARQL endpoint, or a Store as it is. ``read_only`` opens a
    folder for reading, beside other readers.

    >>> type(open_store()).__name__
    'MemoryStore'
    >>> open_store("ftp://example.org/sparql")
    Traceback (most recent call last):
    ...
    plangraph.graph.store.StoreError: ftp://example.org/sparql: not a store: give memory (the default), a folder (Oxigraph on disk), or the URL of a SPARQL 1.1 endpoint
    """
    if spec is None or spec == "memory":
        from .memory_store import MemoryStore

        return MemoryStore()
    if not isinstance(spec, (str, Path)):
        return spec
    text = str(spec)
    if text.startswith(("http://", "https://")):
        from .sparql_store import SparqlStore

        return SparqlStore.from_url(text)
    if "://" in text:
        raise StoreError(f"{text}: not a store: give {STORE_KINDS}")
    from .oxigraph_store import OxigraphStore

    return OxigraphStore(Path(text), read_only=read_only)
