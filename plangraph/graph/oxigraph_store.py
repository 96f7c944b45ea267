"""Oxigraph on disk (pyoxigraph): a store that persists between commands and scales to millions of triples.

The folder holds Oxigraph's RocksDB files and a lock file of plangraph's own: a writer holds it
exclusively, readers share it, so a second writer (or a reader while one writes) waits, then
stops with a clear error; two processes never write the same folder at once. RocksDB's own
lock refuses a second read-write opening too, but only after part of the work is done.
A graph is replaced in one Oxigraph transaction (one SPARQL Update drops and inserts it), so a
failed write leaves the earlier graph; new graphs go through the bulk loader, which is not a
transaction: what a failure leaves is removed (see :meth:`OxigraphStore.add_graphs`).

>>> import tempfile, pathlib
>>> from rdflib import URIRef, Literal
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> store = OxigraphStore(folder)
>>> store.replace(URIRef("urn:g"), [(URIRef("urn:a"), URIRef("urn:p"), Literal("太钢", lang="zh"))])
>>> store.close()
>>> again = OxigraphStore(folder, read_only=True)
>>> list(again.query("SELECT ?o WHERE { ?s ?p ?o }").rows)
[(rdflib.term.Literal('太钢', lang='zh'),)]
>>> again.close()
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping

from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from ..settings import STORE_LOCK_WAIT
from . import ntriples
from .bindings import bind_text, query_form
from .build import PREFIXES, bind_prefixes
from .store import Answer, StoreError, Triple

if TYPE_CHECKING:
    from .rules import Closure

__all__ = ["OxigraphStore", "to_oxigraph", "from_oxigraph"]

_LOCK_FILE = "plangraph.lock"
#: Present while a bulk load runs (not one transaction): found at the next opening, it says the
#: union may hold triples of graphs that were never finished
_LOADING_FILE = "plangraph.loading"
#: Every triple of the union is in some named graph: what a broken bulk load left in it goes
_SWEEP = "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
_XSD_STRING = str(XSD.string)
#: Answers of more triples than this are written by the bulk writer.
_BULK_FROM = 20_000


def to_oxigraph(term: Node, _cache: dict = {}):  # noqa: B006 - the cache is meant to live on
    """The pyoxigraph term of an rdflib term (IRIs cached: plans repeat them)."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        node = _cache.get(term)
        if node is None:
            if len(_cache) > 200_000:
                _cache.clear()
            node = _cache[term] = ox.NamedNode(str(term))
        return node
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=to_oxigraph(term.datatype))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise StoreError(f"{term!r} is not an RDF term Oxigraph stores")


def from_oxigraph(term, _cache: dict = {}) -> Node | None:  # noqa: B006 - the cache is meant to live on
    """The rdflib term of a pyoxigraph term (None stays None; terms cached: answers repeat them,
    and an rdflib literal costs more to make than the query took to find it)."""
    if term is None:
        return None
    node = _cache.get(term)
    if node is not None:
        return node
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        node = URIRef(term.value)
    elif isinstance(term, ox.Literal):
        if term.language:
            node = Literal(term.value, lang=term.language)
        else:
            datatype = term.datatype.value
            node = Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    elif isinstance(term, ox.BlankNode):
        node = BNode(term.value)
    else:
        raise StoreError(f"Oxigraph returned {term!r}, which plangraph does not read")
    if len(_cache) > 200_000:
        _cache.clear()
    _cache[term] = node
    return node


class OxigraphStore:
    """A pyoxigraph store in ``folder`` (in memory when None); ``read_only`` shares the folder with other readers."""

    #: Oxigraph evaluates in native code: a query's time limit abandons its answer rather than interrupting it
    interruptible = False
    #: The default graph holds the union of the named graphs, each triple once, kept as graphs are
    #: written: Oxigraph's own union default graph is a bag (a triple that 60 plans assert
    #: matches 60 times, and a join of four such patterns 60⁴ times)
    stored_union = True

    def __init__(self, folder: Path | None = None, read_only: bool = False, wait: float | None = None):
        import pyoxigraph as ox

        self.folder = folder
        self._read_only = read_only
        self._lock_fd: int | None = None
        if folder is None:
            self._store = ox.Store()
            return
        if read_only and not (folder / _LOCK_FILE).exists():
            raise StoreError(f"{folder}: no plangraph store there (make one with `plangraph load SOURCES --store {folder}`)")
        if folder.exists() and not folder.is_dir():
            raise StoreError(f"{folder}: a file, not a store folder")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{folder}: cannot make the store folder: {exc.strerror or exc}") from None
        self._lock(STORE_LOCK_WAIT if wait is None else wait)
        try:
            self._store = ox.Store.read_only(str(folder)) if read_only else ox.Store(str(folder))
        except OSError as exc:
            self._unlock()
            raise StoreError(f"{folder}: Oxigraph cannot open the store: {exc}") from None
        if (folder / _LOADING_FILE).exists():
            if read_only:
                self._unlock()
                raise StoreError(f"{folder}: a load into this store was interrupted and it may hold part of it; "
                                 f"open it for writing once (`plangraph load SOURCES --store {folder}`) to repair it")
            self._store.update(_SWEEP)
            self._store.flush()
            (folder / _LOADING_FILE).unlink()

    # -- the folder's lock ------------------------------------------------------
    def _lock(self, wait: float) -> None:
        path = self.folder / _LOCK_FILE  # type: ignore[operator]
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"{self.folder}: cannot open the store's lock: {exc.strerror or exc}") from None
        mode = fcntl.LOCK_SH if self._read_only else fcntl.LOCK_EX
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    doing = "reading" if self._read_only else "writing"
                    raise StoreError(
                        f"{self.folder}: another process is using this store, so {doing} it must wait; "
                        f"it was still busy after {wait:g} s (try again when it has finished)"
                    ) from None
                time.sleep(0.05)
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    # -- the Store interface ------------------------------------------------------
    @property
    def writable(self) -> bool:
        return not self._read_only

    def _check_writable(self) -> None:
        if self._read_only:
            raise StoreError(f"{self.folder}: opened for reading only")

    def query(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> Answer:
        import pyoxigraph as ox

        if bindings:
            text = bind_text(text, bindings)
        try:
            result = self._store.query(text, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise StoreError(f"Oxigraph cannot parse the query: {exc}") from None
        if isinstance(result, ox.QueryBoolean):
            return Answer("ASK", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            count = len(names)
            rows = (tuple(from_oxigraph(solution[i]) for i in range(count)) for solution in result)
            return Answer("SELECT", names, rows)
        kind = "DESCRIBE" if query_form(text) == "DESCRIBE" else "CONSTRUCT"
        return Answer(kind, triples=((from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)) for t in result))

    def derive(self, construct: str, into: Iterable[URIRef]) -> int:
        """Write what a CONSTRUCT query gives into the named graphs ``into`` and the union, each
        term as Oxigraph made it (the rules' way of writing: Oxigraph's queries read faster than
        its updates, which read through their own transaction). A small answer is written in one
        transaction, a large one by the bulk writer, which is not one: a run cut short leaves part
        of it (all of it true) for the next whole run. Returns how many triples the query gave.
        """
        import pyoxigraph as ox

        self._check_writable()
        graphs = [ox.NamedNode(str(g)) for g in into] + [ox.DefaultGraph()]
        triples = list(self._store.query(construct, prefixes=PREFIXES))
        quads = (ox.Quad(t.subject, t.predicate, t.object, g) for t in triples for g in graphs)
        # the bulk writer is twice as fast, but each call adds files to the store: for large answers only
        (self._store.bulk_extend if len(triples) > _BULK_FROM else self._store.extend)(quads)
        return len(triples)

    def derive_closure(self, closure: Callable[..., Closure], into: URIRef) -> int:
        """Run the rules in Python over the store's own terms (``closure(term=…, kind=…)`` compiles
        them for Oxigraph's): the triples they read come out of the union as they are stored, and
        what they derive goes into ``into`` and the union by the bulk writer. Several times faster
        than the rules as queries, for a store whose triples fit in memory. Not one transaction: a
        run cut short leaves some of what it derived, all of it true, for the next whole run.
        Returns how many triples it wrote.
        """
        import pyoxigraph as ox

        from .rules import BLANK, IRI, LITERAL

        self._check_writable()
        named, blank = ox.NamedNode, ox.BlankNode

        def kind(term: object) -> int:
            t = type(term)
            return IRI if t is named else BLANK if t is blank else LITERAL

        rules = closure(term=lambda iri: named(str(iri)), kind=kind)
        union = ox.DefaultGraph()
        read = self._store.quads_for_pattern
        new = rules.derive((q.subject, q.predicate, q.object) for p in rules.predicates for q in read(None, p, None, union))
        graph = named(str(into))
        self._store.bulk_extend(ox.Quad(s, p, o, g) for s, p, o in new for g in (graph, union))
        return len(new)

    def update(self, text: str) -> None:
        self._check_writable()
        self._store.update(text)

    def add(self, triples: Iterable[Triple], name: URIRef) -> None:
        import pyoxigraph as ox

        self._check_writable()
        graph = ox.NamedNode(str(name))
        default = ox.DefaultGraph()
        failed: list[BaseException] = []

        def quads():  # type: ignore[no-untyped-def]
            # an error of the source is the source's: it stops the transaction and is raised as it was
            try:
                for s, p, o in triples:
                    s, p, o = to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)
                    yield ox.Quad(s, p, o, graph)
                    yield ox.Quad(s, p, o, default)
            except BaseException as exc:
                failed.append(exc)
                raise

        try:
            self._store.extend(quads())
        except BaseException as exc:
            if failed:
                raise failed[0] from None
            if isinstance(exc, OSError):
                raise StoreError(f"{self.folder or 'Oxigraph'}: writing {name} failed: {exc}") from None
            raise

    def add_graphs(self, graphs: Iterable[tuple[URIRef, Iterable[Triple]]]) -> None:
        """New graphs by Oxigraph's bulk loader: several times faster than transactions, and not
        one. What a failure left is removed here, or at the next opening for writing if the
        process died (a marker file says a load was running).

        The graphs are made and written as N-Quads by a thread of ours into a pipe that the loader
        reads by its path: it then reads and writes without Python's lock, so making the triples
        (``graphs`` may build them lazily) and storing them run side by side.
        """
        import pyoxigraph as ox

        self._check_writable()
        started: list[URIRef] = []
        failed: list[BaseException] = []
        finished: list[bool] = []
        read_end, write_end = os.pipe()
        try:
            out = open(write_end, "wb", buffering=1 << 20)
        except BaseException:
            os.close(read_end)
            os.close(write_end)
            raise

        def produce() -> None:
            try:
                for name, triples in graphs:  # an error of the source is the source's, raised as it was
                    started.append(name)
                    statements = list(map(ntriples.statement, triples))
                    try:
                        out.write(ntriples.document(statements, name).encode("utf-8"))
                        out.write(ntriples.document(statements).encode("utf-8"))  # the union
                    except BrokenPipeError:
                        return  # the loader stopped reading: its own error is the one raised
                try:
                    out.flush()
                except BrokenPipeError:
                    return
                finished.append(True)
            except BaseException as exc:
                failed.append(exc)
            finally:
                try:
                    out.close()
                except BrokenPipeError:
                    pass

        marker = self.folder / _LOADING_FILE if self.folder is not None else None
        producer = threading.Thread(target=produce, name="plangraph-nquads", daemon=True)
        try:
            try:
                if marker is not None:
                    marker.touch()
                producer.start()
                self._store.bulk_load(path=f"/dev/fd/{read_end}", format=ox.RdfFormat.N_QUADS)
            finally:
                os.close(read_end)  # a producer still writing gets a broken pipe and stops
                if producer.ident is not None:
                    producer.join()
                else:
                    out.close()
            if failed:
                raise failed[0]
            if not finished:
                raise StoreError(f"{self.folder or 'Oxigraph'}: the bulk loader stopped reading before the end of the graphs")
            if marker is not None:
                self._store.flush()
        except BaseException as exc:
            for name in started:
                self._store.update(f"DROP SILENT GRAPH <{name}>")
            self._store.update(_SWEEP)
            if marker is not None:
                self._store.flush()
                marker.unlink(missing_ok=True)
            if failed:
                raise failed[0] from None
            if isinstance(exc, (OSError, SyntaxError)):
                raise StoreError(f"{self.folder or 'Oxigraph'}: loading {len(started)} graph(s) failed: {exc}") from None
            raise
        if marker is not None:
            marker.unlink()

    def replace(self, name: URIRef, triples: Iterable[Triple]) -> None:
        import pyoxigraph as ox

        self._check_writable()
        if not self._store.contains_named_graph(ox.NamedNode(str(name))):
            self.add(triples, name)  # one transaction
            return
        # Oxigraph's MOVE copies quad by quad (18 s for 100,000): one update drops and inserts instead
        body = "".join(ntriples.rows(triples))
        self._store.update(f"{self._unlink(name)} ;\nINSERT DATA {{ GRAPH <{name}> {{\n{body}}}\n{body} }}")

    @staticmethod
    def _unlink(name: URIRef) -> str:
        # the graph goes, and from the union what no other graph holds
        return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != <{name}>) }} }} ;\n"
                f"DROP SILENT GRAPH <{name}>")

    def clear(self, name: URIRef) -> None:
        import pyoxigraph as ox

        self._check_writable()
        if self._store.contains_named_graph(ox.NamedNode(str(name))):
            self._store.update(self._unlink(name))

    def graph(self, name: URIRef) -> Graph:
        import pyoxigraph as ox

        out = bind_prefixes(Graph())
        for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            out.add((from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)))
        return out

    def names(self) -> list[URIRef]:
        import pyoxigraph as ox

        out = []
        for g in self._store.named_graphs():
            if isinstance(g, ox.NamedNode) and next(iter(self._store.quads_for_pattern(None, None, None, g)), None) is not None:
                out.append(URIRef(g.value))
        return sorted(out)

    def count(self, name: URIRef | None = None) -> int:
        where = f"GRAPH <{name}> {{ ?s ?p ?o }}" if name is not None else "GRAPH ?g { ?s ?p ?o }"
        rows = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        return int(next(iter(rows))[0].value)

    #: The syntaxes :meth:`serialize` writes with Oxigraph's own serialiser.
    SYNTAXES = ("turtle", "nt", "nquads", "trig")

    def serialize(self, names: Iterable[URIRef], format: str = "turtle") -> bytes:
        """The named graphs ``names`` in Oxigraph's own serialiser (a corpus writes in seconds):
        N-Quads and TriG keep the graphs, Turtle and N-Triples write their union, each triple once.
        """
        import pyoxigraph as ox

        fmt = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}[format]
        wanted = [ox.NamedNode(str(n)) for n in names]
        if format in ("nquads", "trig"):
            quads = (q for g in wanted for q in self._store.quads_for_pattern(None, None, None, g))
            return ox.serialize(quads, None, fmt, prefixes=PREFIXES if format == "trig" else None)
        listed = " ".join(f"<{n.value}>" for n in wanted)
        triples = self._store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?g {{ {listed} }} GRAPH ?g {{ ?s ?p ?o }} }} }}")
        return ox.serialize(iter(triples), None, fmt, prefixes=PREFIXES if format == "turtle" else None)

    @contextmanager
    def batch(self) -> Iterator[None]:
        # a writer holds the folder's lock for as long as it is open: its writes are its own, and
        # each is a transaction in RocksDB's log (flushed to the tables at close)
        yield

    def close(self) -> None:
        store = getattr(self, "_store", None)
        if store is not None and not self._read_only and self.folder is not None:
            try:
                store.flush()
            except OSError:
                pass
        self._store = None
        self._unlock()

    def __len__(self) -> int:
        return self.count()

    def __del__(self) -> None:
        self._unlock()
