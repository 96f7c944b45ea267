"""An on-disk Oxigraph store whose queries run in worker processes, so that a query past its
time limit is stopped, not only abandoned.

Oxigraph evaluates a query in native code that Python cannot interrupt: in the process that
asked, a query over its limit can only be left to finish, a core busy until it does. Here each
query goes to one of a few worker processes, each with the folder open for reading; the asking
thread waits for the answer until the query's deadline, and a worker still evaluating then is
killed and replaced (the pool never shrinks). The row limit is kept in the worker too: it reads
one row past it at most. Everything but queries (names,
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
import time
import warnings
from pathlib import Path
from typing import Any, Mapping

from .store import Answer, StoreError, StoreTimeout

__all__ = ["WorkerStore"]


def _work(folder: str, conn: Any) -> None:
    # a worker: the folder opened for reading, queries answered until the pipe closes
    from itertools import islice

    from .oxigraph_store import OxigraphStore

    try:
        store = OxigraphStore(Path(folder), read_only=True, wait=0)
    except Exception as exc:  # said to the parent, which raises it
        conn.send(("error", StoreError(str(exc))))
        return
    conn.send(("ready", None))
    while True:
        try:
            text, bindings, max_rows = conn.recv()
        except (EOFError, OSError):
            break
        try:
            answer = store.query(text, bindings)
            # one row past the limit at most: enough for the caller to say the answer is too long
            rows = list(islice(answer.rows, max_rows + 1) if max_rows else answer.rows)
            triples = None if answer.triples is None else list(islice(answer.triples, max_rows + 1) if max_rows else answer.triples)
            conn.send(("answer", (answer.type, answer.vars, rows, answer.boolean, triples)))
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
        self._stopping = threading.Lock()
        self._stopped = False
        context = multiprocessing.get_context("spawn")  # not fork: the parent has threads and an open store
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_work, args=(str(folder), child), daemon=True, name="plangraph-query-worker")
        self.process.start()
        child.close()
        kind, value = self._receive(time.monotonic() + 120)
        if kind == "error":
            self.stop()
            raise value

    def _receive(self, deadline: float) -> tuple[str, Any]:
        while not self.conn.poll(min(0.05, max(0.0, deadline - time.monotonic()))):
            if not self.process.is_alive():
                raise StoreError(f"a query worker ended unexpectedly (exit status {self.process.exitcode})")
            if time.monotonic() >= deadline:
                raise _Late
        try:
            return self.conn.recv()
        except EOFError:
            raise StoreError(f"a query worker ended unexpectedly (exit status {self.process.exitcode})") from None

    def ask(self, text: str, bindings: Mapping[str, Any] | None, deadline: float, max_rows: int | None) -> tuple[str, Any]:
        self.conn.send((text, dict(bindings or {}), max_rows))
        return self._receive(deadline)

    def stop(self) -> None:
        # from the renewing thread or from close(), perhaps both: once
        with self._stopping:
            if self._stopped:
                return
            self._stopped = True
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class _Late(Exception):
    """The deadline passed before the worker answered."""


class WorkerStore:
    """``store`` (an :class:`~plangraph.graph.oxigraph_store.OxigraphStore` on a folder, opened
    for reading only) with its queries answered by ``workers`` processes; a query past its time
    limit (``timeout``, or the one each call gives) is stopped: its worker is killed and replaced.
    """

    #: queries take ``timeout`` and ``max_rows`` and keep them here (the runner leaves them to it)
    keeps_limits = True
    stored_union = True

    def __init__(self, store: Any, workers: int = 2, timeout: float | None = None):
        if getattr(store, "folder", None) is None or store.writable:
            raise StoreError("query workers need an on-disk store opened for reading only")
        self._local = store
        self.folder: Path = store.folder
        self.timeout = timeout
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        self._all: list[_Worker] = []
        self._renewing: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, workers)):
            self._add()

    def _add(self) -> None:
        try:
            worker = _Worker(self.folder)
        except StoreError:
            if self._closed:
                return
            raise
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.append(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        # killed (it may be evaluating for hours), and another started, beside the caller's answer
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
            self._renewing.add(worker)

        def renew() -> None:
            worker.stop()
            with self._lock:
                self._renewing.discard(worker)
            for attempt in range(5):  # a worker that cannot start is tried again: the pool must not shrink
                if self._closed:
                    return
                try:
                    self._add()
                    return
                except Exception:
                    time.sleep(0.5 * (attempt + 1))
            warnings.warn(f"{self.folder}: a query worker could not be started again; {len(self._all)} left", RuntimeWarning, stacklevel=1)

        threading.Thread(target=renew, daemon=True, name="plangraph-query-worker-renew").start()

    def query(self, text: str, bindings: Mapping[str, Any] | None = None, timeout: float | None = None,
              max_rows: int | None = None) -> Answer:
        """The answer to ``text``, stopped after ``timeout`` seconds (this store's own when None;
        waiting for a free worker counts) with :class:`~plangraph.graph.store.StoreTimeout`;
        at most ``max_rows + 1`` rows are read."""
        if self._closed:
            raise StoreError(f"{self.folder}: the store is closed")
        seconds = timeout if timeout is not None else self.timeout
        deadline = time.monotonic() + seconds if seconds else float("inf")
        try:
            worker = self._idle.get(timeout=None if deadline == float("inf") else max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise StoreTimeout(seconds) from None  # type: ignore[arg-type]
        if worker is None:  # close() wakes the waiting
            self._idle.put(None)
            raise StoreError(f"{self.folder}: the store is closed")
        kept = False
        try:
            kind, value = worker.ask(text, bindings, deadline, max_rows)
            kept = True
        except _Late:
            raise StoreTimeout(seconds) from None  # type: ignore[arg-type]
        finally:
            # whatever happened, the worker goes back or is replaced: the pool never shrinks
            if kept:
                self._idle.put(worker)
            else:
                self._replace(worker)
        if kind == "error":
            raise value
        form, names, rows, boolean, triples = value
        return Answer(form, names, rows, boolean, triples)

    def __getattr__(self, name: str) -> Any:
        # the Store interface's other reads (names, count, graph, serialize, …) from this process
        return getattr(self._local, name)

    @property
    def writable(self) -> bool:
        return False

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers, self._all = [*self._all, *self._renewing], []
        for worker in workers:
            worker.stop()
        self._idle.put(None)  # a query waiting for a worker hears the store closed
