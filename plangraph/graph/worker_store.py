"""An on-disk Oxigraph store whose queries run in worker processes, so that a query past its
time limit is stopped, not only abandoned.

Oxigraph evaluates a query in native code that Python cannot interrupt: in the process that
asked, a query over its limit can only be left to finish, a core busy until it does. Here each
query goes to one of a few worker processes, each with the folder open for reading; the asking
thread waits in Python, so the time limit (:func:`plangraph.queries.limits.time_limit`) stops the
wait, and the worker still evaluating is killed and replaced. Everything but queries (names,
counts, graphs) is read in this process. For a store opened for reading only: a worker would not
see later writes.

>>> import tempfile, pathlib
>>> from rdflib import URIRef, Literal
>>> from plangraph.graph.oxigraph_store import OxigraphStore
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> writer = OxigraphStore(folder)
>>> writer.replace(URIRef("urn:g"), [(URIRef("urn:a"), URIRef("urn:p"), Literal("太钢", lang="zh"))])
>>> writer.close()
>>> store = WorkerStore(OxigraphStore(folder, read_only=True), workers=1)
>>> store.query("SELECT ?o WHERE { ?s ?p ?o }").rows
[(rdflib.term.Literal('太钢', lang='zh'),)]
>>> store.close()
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Mapping

from .store import Answer, StoreError

__all__ = ["WorkerStore"]


def _work(folder: str, conn: Any) -> None:
    # a worker: the folder opened for reading, queries answered until the pipe closes
    from .oxigraph_store import OxigraphStore

    try:
        store = OxigraphStore(Path(folder), read_only=True, wait=0)
    except Exception as exc:  # said to the parent, which raises it
        conn.send(("error", StoreError(str(exc))))
        return
    conn.send(("ready", None))
    while True:
        try:
            text, bindings = conn.recv()
        except (EOFError, OSError):
            break
        try:
            answer = store.query(text, bindings)
            conn.send(("answer", (answer.type, answer.vars, list(answer.rows), answer.boolean,
                                  list(answer.triples) if answer.triples is not None else None)))
        except Exception as exc:
            conn.send(("error", exc if _picklable(exc) else StoreError(str(exc))))
    store.close()


def _picklable(exc: BaseException) -> bool:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return True
    except Exception:
        return False


class _Worker:
    def __init__(self, folder: Path):
        context = multiprocessing.get_context("spawn")  # not fork: the parent has threads and an open store
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_work, args=(str(folder), child), daemon=True, name="plangraph-query-worker")
        self.process.start()
        child.close()
        kind, value = self._receive()
        if kind == "error":
            self.stop()
            raise value

    def _receive(self) -> tuple[str, Any]:
        # waits in Python, a little at a time, so that a time limit can stop the wait
        while not self.conn.poll(0.05):
            if not self.process.is_alive():
                raise StoreError("a query worker ended unexpectedly")
        try:
            return self.conn.recv()
        except EOFError:
            raise StoreError("a query worker ended unexpectedly") from None

    def ask(self, text: str, bindings: Mapping[str, Any] | None) -> Answer:
        self.conn.send((text, dict(bindings or {})))
        kind, value = self._receive()
        if kind == "error":
            raise value
        form, names, rows, boolean, triples = value
        return Answer(form, names, rows, boolean, triples)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerStore:
    """``store`` (an :class:`~plangraph.graph.oxigraph_store.OxigraphStore` on a folder, opened
    for reading only) with its queries answered by ``workers`` processes, stopped at their time limit."""

    #: the asking thread waits in Python: a time limit interrupts it, and the worker is killed
    interruptible = True
    stored_union = True

    def __init__(self, store: Any, workers: int = 2):
        if getattr(store, "folder", None) is None or store.writable:
            raise StoreError("query workers need an on-disk store opened for reading only")
        self._local = store
        self.folder: Path = store.folder
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, workers)):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self.folder)
        with self._lock:
            self._all.append(worker)
        self._idle.put(worker)

    @contextmanager
    def _worker(self) -> Iterator[_Worker]:
        worker = self._idle.get()
        try:
            yield worker
        except BaseException:
            # stopped mid-answer (a time limit) or broken: killed, and another takes its place
            worker.stop()
            with self._lock:
                self._all.remove(worker)
            if not self._closed:  # started beside the answer: the caller hears of its limit at once
                threading.Thread(target=self._add, daemon=True, name="plangraph-query-worker-start").start()
            raise
        self._idle.put(worker)

    def query(self, text: str, bindings: Mapping[str, Any] | None = None) -> Answer:
        if self._closed:
            raise StoreError(f"{self.folder}: the store is closed")
        with self._worker() as worker:
            return worker.ask(text, bindings)

    def __getattr__(self, name: str) -> Any:
        # the Store interface's other reads (names, count, graph, serialize, …) from this process
        return getattr(self._local, name)

    @property
    def writable(self) -> bool:
        return False

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers, self._all = list(self._all), []
        for worker in workers:
            worker.stop()
