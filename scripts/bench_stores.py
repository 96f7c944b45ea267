"""Benchmark: plangraph's stores beside the engines they are built on, at 10k to 10M triples.

For each size a synthetic corpus (``scripts/synthetic_corpus.py``: many plans sharing companies,
clusters and sites) is written once as N-Quads (a named graph per plan, plus the ontology) and as
the plans themselves, then each store is measured side by side:

* ``rdflib``: ``rdflib.Dataset(default_union=True)`` parsing the N-Quads file; queries ``ds.query(text)``;
* ``pyoxigraph``: ``pyoxigraph.Store(folder)`` with ``bulk_load`` of the N-Quads file; queries
  ``store.query(text, use_default_graph_as_union=True)``;
* ``plangraph-memory``: ``PlanGraph(store="memory")`` (rdflib inside), the plans added with ``add_plans``;
* ``plangraph-disk``: ``PlanGraph(store=folder)`` (Oxigraph on disk), the plans added with ``add_plans``.

Measured: load time and throughput (plan triples per second; plangraph's includes building each
plan's triples, as ``add_plan`` does); materialisation (plangraph: ``pg.reason("rules")``; the
natives run the same SPARQL Update rules, ``plangraph.graph.rules.Rules(ontology).run`` (semi-naive
rounds until nothing new is derived), then the same consistency checks); the median latency of every named query
of ``plangraph/queries/`` after one warm-up run (plangraph: ``pg.query(name, limits=UNBOUNDED)``;
natives: the ``.rq`` text as it stands, every row read); Turtle export (natives: their own
serialiser over the union of the plan and inferred graphs; plangraph: ``pg.export(path, "turtle")``);
and the peak resident memory (ru_maxrss) of each store's processes.

Each store runs in a process of its own (its peak memory is its own), and each query and the export
in a child of it (a fork for the in-memory stores, a fresh process that opens the folder read-only
for the on-disk ones) that is killed past ``--timeout`` seconds, so one pathological query cannot
stall the run: it is reported as ``>120 s``. A watchdog kills a store whose processes together
use more than ``--mem-limit`` GiB, and a load or materialisation that runs past ``--step-budget``
seconds; a store is skipped at a size where the figures measured at a smaller size predict
(linearly) that it would pass either, with the reason printed.

    python scripts/bench_stores.py --sizes 10k,100k                 # a few minutes
    python scripts/bench_stores.py --sizes 1M --timeout 120
    python scripts/bench_stores.py --sizes 10M --stores pyoxigraph,plangraph-disk

Results accumulate in ``--results`` (JSON, by size and store; a new run replaces what it measures),
and every run rewrites ``docs/benchmarks.md`` and ``docs/img/bench-*.png`` from all of them
(``--no-docs`` to leave them). Text below the ``<!-- notes -->`` line of the Markdown file is kept.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import platform
import resource
import select
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path
from queue import Empty, Queue
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
# the copy of plangraph a run measures (the checkout changes while a long run goes on): first on the path
if os.environ.get("BENCH_CODE"):
    sys.path.insert(0, os.environ["BENCH_CODE"])

STORES = ("rdflib", "pyoxigraph", "plangraph-memory", "plangraph-disk")
#: the order stores run in: pyoxigraph first, whose inferred triples the others may import
RUN_ORDER = ("pyoxigraph", "plangraph-disk", "rdflib", "plangraph-memory")
FORKS = {"rdflib": True, "pyoxigraph": False, "plangraph-memory": True, "plangraph-disk": False}
QUERY_DIR = Path(os.environ["BENCH_CODE"], "plangraph", "queries") if os.environ.get("BENCH_CODE") else ROOT / "plangraph" / "queries"
PROTOCOL = "@@"  # the prefix of the lines children report on (anything else they print is passed through)
GIB = 1 << 30


def snapshot(work: Path) -> tuple[Path, dict]:
    """A copy of this checkout's plangraph package, which every process of the run imports; and what it is."""
    import hashlib

    digest = hashlib.sha256()
    files = sorted(p for p in (ROOT / "plangraph").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for f in files:
        digest.update(str(f.relative_to(ROOT)).encode() + b"\0" + f.read_bytes())
    short = digest.hexdigest()[:12]
    dest = work / "code" / short
    if not (dest / "plangraph").exists():
        shutil.copytree(ROOT / "plangraph", dest / "plangraph", ignore=shutil.ignore_patterns("__pycache__"))

    def git(*a: str) -> str:
        try:
            return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.rstrip("\n")
        except OSError:
            return ""

    info = {"digest": short, "commit": git("rev-parse", "--short", "HEAD"),
            "changed": [line[3:] for line in git("status", "--porcelain", "plangraph").splitlines()]}
    return dest, info


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.rq"))


def size_label(n: int) -> str:
    for unit, div in (("M", 1_000_000), ("k", 1_000)):
        if n >= div and n % (div // 10) == 0:
            v = n / div
            return f"{v:g}{unit}"
    return str(n)


def parse_size(text: str) -> int:
    text = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if mult != 1 else text) * mult)


def self_maxrss() -> int:
    """This process's peak resident set, in bytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def emit(event: dict) -> None:
    sys.stdout.write(PROTOCOL + json.dumps(event) + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------------------------------------------
# the corpus of one size, written once
# ---------------------------------------------------------------------------------------------------
def corpus_files(work: Path, size: int, seed: int) -> tuple[Path, Path, dict]:
    """The N-Quads file, the plans' pickle stream and their description; written when missing."""
    base = work / f"corpus-{size_label(size)}-s{seed}"
    nq, pk, meta_path = base.with_suffix(".nq"), base.with_suffix(".plans.pickle"), base.with_suffix(".json")
    if meta_path.exists() and nq.exists() and pk.exists():
        return nq, pk, json.loads(meta_path.read_text())
    from synthetic_corpus import write_nquads

    print(f"  writing the {size_label(size)} corpus (seed {seed}) ...", flush=True)
    t0 = time.perf_counter()
    plans, triples = write_nquads(size, seed, nq, pk)
    meta = {"plans": plans, "triples": triples, "seed": seed, "nquads_bytes": nq.stat().st_size, "seconds": round(time.perf_counter() - t0, 1)}
    with open(nq, "rb") as f:
        meta["quads"] = sum(1 for _ in f)
    meta_path.write_text(json.dumps(meta))
    print(f"  {plans} plans, {triples:,} plan triples, {meta['quads']:,} quads with the ontology ({meta['seconds']} s)", flush=True)
    return nq, pk, meta


def inferred_file(work: Path, size: int, seed: int) -> Path:
    """Where pyoxigraph's materialisation leaves the inferred graph, for the stores that cannot derive it in time."""
    return work / f"inferred-{size_label(size)}-s{seed}.nq"


def read_plans(path: Path) -> Iterator:
    with open(path, "rb") as f:
        while True:
            try:
                yield pickle.load(f)
            except EOFError:
                return


# ---------------------------------------------------------------------------------------------------
# the stores
# ---------------------------------------------------------------------------------------------------
class Bench:
    """One store under test: how it loads, reasons, answers the named queries and exports."""

    name = ""

    def import_inferred(self, path: Path) -> int:
        """Add the inferred triples another store derived (untimed): the queries then see the same data."""
        from rdflib import Dataset

        from plangraph.graph.iri import INFERRED_GRAPH

        ds = Dataset()
        ds.parse(str(path), format="nquads")
        triples = list(ds.graph(INFERRED_GRAPH))
        self.add_inferred(triples)
        return len(triples)

    def add_inferred(self, triples: list) -> None:
        raise NotImplementedError

    def __init__(self, folder: Path):
        self.folder = folder

    def load(self, nquads: Path, plans: Path) -> float: ...
    def reason(self) -> int: ...
    def query(self, name: str) -> int: ...
    def export(self, path: Path) -> None: ...
    def close(self) -> None: ...
    def open_read(self) -> None: ...

    def rules(self):
        from plangraph.graph.build import ontology_graph
        from plangraph.graph.rules import Rules

        return Rules(ontology_graph())


def _query_text(name: str) -> str:
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


class RdflibBench(Bench):
    name = "rdflib"

    def load(self, nquads, plans):
        from rdflib import Dataset

        t0 = time.perf_counter()
        self.ds = Dataset(default_union=True)
        self.ds.parse(str(nquads), format="nquads")
        return time.perf_counter() - t0

    def reason(self):
        from plangraph.graph.iri import INFERRED_GRAPH

        from rdflib import URIRef

        rules = self.rules()
        rules.run(self.ds.update, lambda g: len(self.ds.graph(URIRef(g))))
        after = len(self.ds.graph(INFERRED_GRAPH))
        for _, text in rules.checks:
            list(self.ds.query(text))
        return after

    def add_inferred(self, triples):
        from plangraph.graph.iri import INFERRED_GRAPH

        g = self.ds.graph(INFERRED_GRAPH)
        self.ds.addN((s, p, o, g) for s, p, o in triples)

    def query(self, name):
        return sum(1 for _ in self.ds.query(_query_text(name)))

    def export(self, path):
        from rdflib.graph import ReadOnlyGraphAggregate

        from plangraph.graph.build import PREFIXES
        from plangraph.graph.iri import ONTOLOGY_GRAPH

        graphs = [g for g in self.ds.graphs() if g.identifier != ONTOLOGY_GRAPH and len(g)]
        union = ReadOnlyGraphAggregate(graphs)
        for prefix, ns in PREFIXES.items():
            union.namespace_manager.bind(prefix, ns, override=True, replace=True)
        union.serialize(str(path), format="turtle")


class OxigraphBench(Bench):
    name = "pyoxigraph"

    def load(self, nquads, plans):
        import pyoxigraph as ox

        t0 = time.perf_counter()
        self.store = ox.Store(str(self.folder))
        self.store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        self.store.flush()
        return time.perf_counter() - t0

    def _count(self, graph: str) -> int:
        rows = self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(next(iter(rows))[0].value)

    def reason(self):
        from plangraph.graph.iri import INFERRED_GRAPH

        rules = self.rules()
        rules.run(self.store.update, lambda g: self._count(str(g)))
        after = self._count(str(INFERRED_GRAPH))
        for _, text in rules.checks:
            for solution in self.store.query(text, use_default_graph_as_union=True):
                tuple(solution)
        self.store.flush()
        return after

    def save_inferred(self, path: Path) -> None:
        import pyoxigraph as ox

        from plangraph.graph.iri import INFERRED_GRAPH

        ox.serialize(self.store.quads_for_pattern(None, None, None, ox.NamedNode(str(INFERRED_GRAPH))), str(path), ox.RdfFormat.N_QUADS)

    def open_read(self):
        import pyoxigraph as ox

        self.store = ox.Store.read_only(str(self.folder))

    def query(self, name):
        n = 0
        for solution in self.store.query(_query_text(name), use_default_graph_as_union=True):
            tuple(solution)  # every value read, as a caller would
            n += 1
        return n

    def export(self, path):
        import pyoxigraph as ox

        from plangraph.graph.build import PREFIXES
        from plangraph.graph.iri import ONTOLOGY_GRAPH

        onto = ox.NamedNode(str(ONTOLOGY_GRAPH))
        triples = (q.triple for q in self.store if q.graph_name != onto)
        ox.serialize(triples, str(path), ox.RdfFormat.TURTLE, prefixes=PREFIXES)

    def close(self):
        self.store = None
        gc.collect()


class PlanGraphBench(Bench):
    def spec(self) -> str | Path: ...

    def load(self, nquads, plans):
        import plangraph.api
        from plangraph.api import PlanGraph

        reading = building = 0.0
        build = plangraph.api.plan_triples

        def timed_build(plan):  # the part of add_plans that turns a plan into RDF, not the store's
            nonlocal building
            t = time.perf_counter()
            try:
                return build(plan)
            finally:
                building += time.perf_counter() - t

        def unpickled():  # reading the pickle is not timed: only add_plans is
            nonlocal reading
            source = read_plans(plans)
            while True:
                t = time.perf_counter()
                plan = next(source, None)
                reading += time.perf_counter() - t
                if plan is None:
                    return
                yield plan

        plangraph.api.plan_triples = timed_build
        try:
            t0 = time.perf_counter()
            self.pg = PlanGraph(store=self.spec())
            self.pg.add_plans(unpickled())
            spent = time.perf_counter() - t0 - reading
        finally:
            plangraph.api.plan_triples = build
        self.build_seconds = building
        return spent

    def reason(self):
        return self.pg.reason("rules")

    def add_inferred(self, triples):
        from plangraph.graph.iri import INFERRED_GRAPH

        self.pg.store.add(triples, INFERRED_GRAPH)

    def query(self, name):
        from plangraph.queries import UNBOUNDED

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return len(self.pg.query(name, limits=UNBOUNDED))

    def export(self, path):
        self.pg.export(path, "turtle")


class PlanGraphMemoryBench(PlanGraphBench):
    name = "plangraph-memory"

    def spec(self):
        return "memory"


class PlanGraphDiskBench(PlanGraphBench):
    name = "plangraph-disk"

    def spec(self):
        return self.folder

    def open_read(self):
        from plangraph.api import PlanGraph

        self.pg = PlanGraph(store=self.folder, read_only=True)

    def close(self):
        self.pg.close()
        self.pg = None
        gc.collect()


BENCHES: dict[str, type[Bench]] = {b.name: b for b in (RdflibBench, OxigraphBench, PlanGraphMemoryBench, PlanGraphDiskBench)}


# ---------------------------------------------------------------------------------------------------
# children: each query and the export run in one, killed past their budget
# ---------------------------------------------------------------------------------------------------
class Lines:
    """Protocol lines from a file descriptor, read with a deadline."""

    def __init__(self, fd: int):
        self.fd, self.buf, self.eof = fd, b"", False

    def next(self, timeout: float) -> dict | None:
        """The next event, None at end of file; raises TimeoutError past ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                text = line.decode("utf-8", "replace")
                if text.startswith(PROTOCOL):
                    return json.loads(text[len(PROTOCOL):])
                if text.strip():
                    print(f"      | {text}", file=sys.stderr)
            if self.eof:
                return None
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                chunk = os.read(self.fd, 65536)
                if chunk:
                    self.buf += chunk
                else:
                    self.eof = True


def worker_task(bench: Bench, task: dict) -> None:
    """What a child does: open (on-disk stores), then the query's warm-up and timed runs, or the export."""
    t0 = time.perf_counter()
    if not FORKS[bench.name]:
        bench.open_read()
    emit({"ready": time.perf_counter() - t0})
    if task["kind"] == "query":
        t0 = time.perf_counter()
        rows = bench.query(task["name"])
        warm = time.perf_counter() - t0
        emit({"run": 0, "seconds": warm, "rows": rows})
        for i in range(1 if warm > task["slow"] else task["runs"]):
            t0 = time.perf_counter()
            rows = bench.query(task["name"])
            emit({"run": i + 1, "seconds": time.perf_counter() - t0, "rows": rows})
    else:
        path = Path(task["path"])
        t0 = time.perf_counter()
        bench.export(path)
        emit({"run": 1, "seconds": time.perf_counter() - t0, "bytes": path.stat().st_size})
        path.unlink()
    emit({"done": True})


def run_child(bench: Bench, task: dict, timeout: float, open_budget: float) -> dict:
    """Run ``task`` in a child; its events, its peak memory and whether it ran out of time."""
    if FORKS[bench.name]:
        r, w = os.pipe()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:  # the child: the loaded store is its own copy
            os.close(r)
            os.dup2(w, 1)
            code = 0
            try:
                worker_task(bench, task)
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                emit({"error": f"{type(exc).__name__}: {exc}"[:500]})
                code = 1
            finally:
                sys.stdout.flush()
                os._exit(code)
        os.close(w)
        fd = r
    else:
        spec = {"store": bench.name, "folder": str(bench.folder), "task": task}
        proc = subprocess.Popen([sys.executable, __file__, "--worker", json.dumps(spec)], stdout=subprocess.PIPE)
        pid, fd = proc.pid, proc.stdout.fileno()
    lines = Lines(fd)
    out: dict = {"runs": [], "status": "ok"}
    phase_budget = open_budget
    try:
        while True:
            event = lines.next(phase_budget)
            if event is None:
                if out["status"] == "ok" and not out.get("done"):
                    out["status"] = "error"
                    out.setdefault("error", "the child ended without finishing")
                break
            if "ready" in event:
                out["open"] = event["ready"]
                phase_budget = timeout
            elif "run" in event:
                out["runs"].append(event)
            elif "error" in event:
                out["status"], out["error"] = "error", event["error"]
            elif "done" in event:
                out["done"] = True
    except TimeoutError:
        out["status"] = "timeout"
        out["phase"] = "open" if "open" not in out else ("warm-up" if not out["runs"] else f"run {len(out['runs'])}")
        os.kill(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    if not FORKS[bench.name]:
        proc.returncode = status  # reaped here (for its rusage), not by Popen
        proc.stdout.close()
    else:
        os.close(fd)
    out["maxrss"] = usage.ru_maxrss * 1024
    return out


def session(store: str, size: int, steps: list[str], args: argparse.Namespace) -> None:
    """One store's process: load (again, untimed, when resuming an in-memory store), reason, queries, export."""
    nq, pk, meta = corpus_files(args.work, size, args.seed)
    folder = args.work / "stores" / f"{store}-{size_label(size)}"
    bench = BENCHES[store](folder)
    emit({"pid": os.getpid()})
    disk = not FORKS[store]
    if "load" in steps:
        if folder.exists():
            shutil.rmtree(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        emit({"begin": "load"})
        seconds = bench.load(nq, pk)
        building = getattr(bench, "build_seconds", None)
        emit({"step": "load", "seconds": seconds, "triples": meta["triples"], "maxrss": self_maxrss(),
              **({"build_seconds": building} if building is not None else {})})
    elif not disk:
        emit({"begin": "reload"})
        seconds = bench.load(nq, pk)
        emit({"step": "reload", "seconds": seconds, "maxrss": self_maxrss()})
    else:
        from plangraph.api import PlanGraph

        if store == "plangraph-disk":
            bench.pg = PlanGraph(store=folder)  # type: ignore[attr-defined]
        else:
            import pyoxigraph as ox

            bench.store = ox.Store(str(folder))  # type: ignore[attr-defined]
    if "reason" in steps:
        emit({"begin": "reason"})
        t0 = time.perf_counter()
        inferred = bench.reason()
        emit({"step": "reason", "seconds": time.perf_counter() - t0, "inferred": inferred, "maxrss": self_maxrss()})
        if hasattr(bench, "save_inferred"):
            bench.save_inferred(inferred_file(args.work, size, args.seed))
    elif "queries" in steps and inferred_file(args.work, size, args.seed).exists() and not args.no_import:
        emit({"begin": "import"})
        t0 = time.perf_counter()
        n = bench.import_inferred(inferred_file(args.work, size, args.seed))
        emit({"step": "import", "triples": n, "seconds": time.perf_counter() - t0})
    if disk:
        bench.close()  # the children open the folder themselves
    if "queries" in steps:
        skip = set(args.skip_queries or [])
        for name in query_names():
            if name in skip:
                emit({"step": "query", "name": name, "status": "skipped"})
                continue
            emit({"begin": f"query {name}"})
            out = run_child(bench, {"kind": "query", "name": name, "runs": args.runs, "slow": args.slow}, args.timeout, args.step_budget)
            emit({"step": "query", "name": name, **out})
    if "export" in steps:
        emit({"begin": "export"})
        path = args.work / f"export-{store}-{size_label(size)}.ttl"
        out = run_child(bench, {"kind": "export", "path": str(path)}, args.step_budget, args.step_budget)
        path.unlink(missing_ok=True)
        emit({"step": "export", **out})
    emit({"end": True, "maxrss": self_maxrss()})


def worker_main(spec_json: str) -> None:
    spec = json.loads(spec_json)
    bench = BENCHES[spec["store"]](Path(spec["folder"]))
    try:
        worker_task(bench, spec["task"])
    except BaseException as exc:  # noqa: BLE001
        emit({"error": f"{type(exc).__name__}: {exc}"[:500]})
        sys.exit(1)


# ---------------------------------------------------------------------------------------------------
# the orchestrator: one process per store, a watchdog on its memory and steps
# ---------------------------------------------------------------------------------------------------
def group_pss(pgid: int) -> int:
    """The proportional set size of every process of group ``pgid``, in bytes."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            with open(f"/proc/{entry}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, IndexError, ValueError):
            continue
    return total


def run_session(store: str, size: int, steps: list[str], args: argparse.Namespace, on_event: Callable[[dict], None]) -> tuple[dict | None, int, int]:
    """Run one store's process; returns (the failure, if the watchdog stopped it; its peak RSS; the group's peak PSS)."""
    cmd = [sys.executable, __file__, "--session", store, "--size", str(size), "--steps", ",".join(steps), "--seed", str(args.seed),
           "--work", str(args.work), "--timeout", str(args.timeout), "--runs", str(args.runs), "--slow", str(args.slow),
           "--step-budget", str(args.step_budget)] + (["--no-import"] if args.no_import else [])
    if args.skip_queries:
        cmd += ["--skip-queries", ",".join(args.skip_queries)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, start_new_session=True, env={**os.environ, "BENCH_CODE": str(args.code)})
    events: Queue = Queue()

    def read() -> None:
        lines = Lines(proc.stdout.fileno())
        while True:
            try:
                event = lines.next(3600 * 24)
            except TimeoutError:
                continue
            events.put(event)
            if event is None:
                return

    threading.Thread(target=read, daemon=True).start()
    current, started = "start", time.monotonic()
    budget = args.step_budget + 120  # loading the corpus for a resumed in-memory store, the start
    failure, peak_pss = None, 0
    limit = args.mem_limit * GIB
    last_mem = 0.0
    while True:
        try:
            event = events.get(timeout=0.5)
        except Empty:
            event = "idle"
        if event is None:
            break
        if isinstance(event, dict):
            if "begin" in event:
                current, started = event["begin"], time.monotonic()
                budget = args.step_budget if current in ("load", "reload", "reason") else args.step_budget + (args.runs + 2) * args.timeout + 60
            on_event(event)
        now = time.monotonic()
        if now - last_mem >= 1.0:
            last_mem = now
            pss = group_pss(proc.pid)
            peak_pss = max(peak_pss, pss)
            if pss > limit:
                failure = {"step": current, "status": "memory", "reason": f"killed: its processes used {pss / GIB:.1f} GiB (limit {args.mem_limit:g} GiB)"}
        if failure is None and now - started > budget:
            failure = {"step": current, "status": "budget", "reason": f"killed: {current} ran past {budget:.0f} s"}
        if failure is not None:
            os.killpg(proc.pid, signal.SIGKILL)
            break
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = status
    if failure is None and status != 0:
        failure = {"step": current, "status": "error", "reason": f"the store's process failed (status {status}) in {current}"}
    return failure, usage.ru_maxrss * 1024, peak_pss


def _predict(results: dict, store: str, size: int, args: argparse.Namespace) -> dict:
    """What the nearest smaller size measured for ``store`` predicts at ``size`` (linear growth)."""
    smaller = [(int(s), r["stores"][store]) for s, r in results.get("sizes", {}).items() if int(s) < size and store in r.get("stores", {})]
    if not smaller:
        return {}
    s, r = max(smaller, key=lambda x: x[0])
    k = size / s
    out: dict = {"from": size_label(s)}
    load, reason = r.get("load", {}), r.get("reason", {})
    if load.get("status") == "ok":
        out["load_seconds"] = load["seconds"] * k
        out["load_rss"] = load["maxrss"] * k
    elif load.get("status") in ("memory", "budget", "skipped"):
        out["load_failed"] = load.get("reason", load["status"])
    if reason.get("status") == "ok":
        out["reason_seconds"] = reason["seconds"] * k
        out["reason_rss"] = reason["maxrss"] * k
    elif reason.get("status") in ("memory", "budget", "skipped"):
        out["reason_failed"] = reason.get("reason", reason["status"])
    export = r.get("export", {})
    if export.get("status") == "ok":
        out["export_seconds"] = export["seconds"] * k
        out["export_rss"] = export["maxrss"] * k
    elif export.get("status") in ("memory", "budget", "timeout", "skipped"):
        out["export_failed"] = export.get("reason", export["status"])
    out["slow_queries"] = {n: f"over {args.timeout:g} s at {size_label(s)} already" for n, q in r.get("queries", {}).items()
                           if q.get("status") in ("timeout", "budget") or (q.get("status") == "skipped" and "already" in q.get("reason", ""))}
    for n, q in r.get("queries", {}).items():
        if q.get("median") is not None and q["median"] * k > args.timeout:
            out["slow_queries"][n] = f"predicted {q['median'] * k:,.0f} s from {size_label(s)}"
        elif q.get("status") == "skipped" and q.get("reason", "").startswith("predicted"):
            out["slow_queries"][n] = f"predicted over {args.timeout:g} s"
    return out


def measure(store: str, size: int, args: argparse.Namespace, results: dict) -> dict:
    """Every step of ``store`` at ``size``, as a result entry."""
    entry: dict = {"queries": {}}
    limit = args.mem_limit * GIB
    steps = ["load", "reason", "queries", "export"]
    if args.no_export:
        steps.remove("export")
        entry["export"] = {"status": "skipped", "reason": "--no-export"}
    if args.no_queries:
        steps.remove("queries")
        entry["queries"] = {n: {"status": "skipped", "reason": "--no-queries"} for n in query_names()}
    if args.no_reason:
        steps.remove("reason")
        entry["reason"] = {"status": "skipped", "reason": "--no-reason"}
    if not args.no_predict:
        p = _predict(results, store, size, args)
        why = None
        if "load_failed" in p:
            why = f"at {p['from']} already: {p['load_failed']}"
        elif p.get("load_rss", 0) > limit:
            why = f"predicted peak memory {p['load_rss'] / GIB:.1f} GiB from {p['from']} > {args.mem_limit:g} GiB"
        elif p.get("load_seconds", 0) > args.step_budget:
            why = f"predicted load {p['load_seconds']:.0f} s from {p['from']} > budget {args.step_budget:g} s"
        if why:
            entry["load"] = {"status": "skipped", "reason": why}
            print(f"    {store}: skipped ({why})", flush=True)
            return entry
        why = None
        if "reason_failed" in p:
            why = f"at {p['from']} already: {p['reason_failed']}"
        elif p.get("reason_rss", 0) > limit:
            why = f"predicted peak memory {p['reason_rss'] / GIB:.1f} GiB from {p['from']}"
        elif p.get("reason_seconds", 0) > args.step_budget:
            why = f"predicted {p['reason_seconds']:.0f} s from {p['from']} > budget {args.step_budget:g} s"
        if why:
            steps.remove("reason")
            entry["reason"] = {"status": "skipped", "reason": why}
            print(f"    {store}: materialisation skipped ({why})", flush=True)
        why = None
        if "export" in steps:
            if "export_failed" in p:
                why = f"at {p['from']} already: {p['export_failed']}"
            elif p.get("export_rss", 0) > limit:
                why = f"predicted peak memory {p['export_rss'] / GIB:.1f} GiB from {p['from']}"
            elif p.get("export_seconds", 0) > args.step_budget:
                why = f"predicted {p['export_seconds']:.0f} s from {p['from']} > budget {args.step_budget:g} s"
            if why:
                steps.remove("export")
                entry["export"] = {"status": "skipped", "reason": why}
                print(f"    {store}: export skipped ({why})", flush=True)
        slow = p.get("slow_queries", {})
        for name, why in slow.items():
            entry["queries"][name] = {"status": "skipped", "reason": why}
            print(f"    {store}: query {name} skipped ({why})", flush=True)
    skip = [n for n in entry["queries"]]

    def on_event(event: dict) -> None:
        if "step" not in event:
            return
        kind = event["step"]
        if kind == "load":
            entry["load"] = {"status": "ok", **{k: event[k] for k in ("seconds", "triples", "maxrss")}}
            print(f"    {store}: load {event['seconds']:.2f} s ({event['triples'] / event['seconds']:,.0f} triples/s), RSS {event['maxrss'] / GIB:.2f} GiB", flush=True)
        elif kind == "import":
            entry["imported"] = event["triples"]
            entry.setdefault("notes", []).append(f"queries ran over the {event['triples']:,} inferred triples of pyoxigraph's materialisation, imported untimed")
        elif kind == "reload":
            entry.setdefault("notes", []).append(f"loaded again ({event['seconds']:.0f} s) to resume after a failure")
        elif kind == "reason":
            entry["reason"] = {"status": "ok", **{k: event[k] for k in ("seconds", "inferred", "maxrss")}}
            print(f"    {store}: materialisation {event['seconds']:.2f} s ({event['inferred']:,} inferred), RSS {event['maxrss'] / GIB:.2f} GiB", flush=True)
        elif kind == "query":
            name = event["name"]
            if event.get("status") == "skipped":
                return
            q = {"status": event["status"], "maxrss": event.get("maxrss")}
            runs = [r for r in event["runs"] if r["run"] > 0]
            if event["runs"]:
                q["warmup"] = event["runs"][0]["seconds"]
                q["rows"] = event["runs"][0]["rows"]
            if runs:
                q["times"] = [r["seconds"] for r in runs]
                q["median"] = statistics.median(q["times"])
            if event["status"] == "timeout":
                q["phase"] = event.get("phase")
                if runs:  # the warm-up and some runs finished: the median of those
                    q["status"] = "ok"
            if event["status"] == "error":
                q["error"] = event.get("error")
            entry["queries"][name] = q
            shown = f"{q['median']:.3f} s ({len(q['times'])} run{'s' if len(q['times']) > 1 else ''}, {q.get('rows')} rows)" if q.get("median") is not None else (
                f">{args.timeout:g} s ({event.get('phase')})" if event["status"] == "timeout" else f"error: {event.get('error')}")
            print(f"      {name:<34} {shown}", flush=True)
        elif kind == "export":
            if event["status"] == "ok" and event["runs"]:
                entry["export"] = {"status": "ok", "seconds": event["runs"][0]["seconds"], "bytes": event["runs"][0]["bytes"], "maxrss": event["maxrss"]}
                print(f"    {store}: Turtle export {event['runs'][0]['seconds']:.2f} s ({event['runs'][0]['bytes'] / 1e6:.1f} MB), RSS {event['maxrss'] / GIB:.2f} GiB", flush=True)
            else:
                entry["export"] = {"status": event["status"], "reason": event.get("error") or f">{args.step_budget:g} s", "maxrss": event.get("maxrss")}
                print(f"    {store}: Turtle export {event['status']}: {entry['export']['reason']}", flush=True)

    peak_rss = peak_pss = 0
    first = True
    saved = args.skip_queries
    while steps:
        args.skip_queries = skip + [n for n, q in entry["queries"].items() if n not in skip]
        failure, rss, pss = run_session(store, size, steps, args, on_event)
        args.skip_queries = saved
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        if failure is None:
            break
        step = failure["step"]
        print(f"    {store}: {failure['reason']}", flush=True)
        key = "load" if step in ("load", "start", "reload") else "reason" if step == "reason" else "export" if step == "export" else "queries"
        if key == "queries" and step.startswith("query "):
            entry["queries"][step[6:]] = {"status": failure["status"], "reason": failure["reason"]}
            done = set(entry["queries"])
            if all(n in done for n in query_names()):
                steps = [s for s in steps if s == "export"]
        else:
            entry[key] = {"status": failure["status"], "reason": failure["reason"]}
            if key == "load":
                break
            steps = steps[steps.index(key) + 1:] if key in steps else steps
        first = False
    entry["peak_rss"] = peak_rss
    entry["peak_pss"] = peak_pss
    entry["reasoned"] = entry.get("reason", {}).get("status") == "ok" or bool(entry.get("imported"))
    folder = args.work / "stores" / f"{store}-{size_label(size)}"
    if folder.exists():
        entry["disk_bytes"] = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        if not args.keep_stores:
            shutil.rmtree(folder, ignore_errors=True)
    return entry


# ---------------------------------------------------------------------------------------------------
# the report: tables, goal ratios, plots, docs/benchmarks.md
# ---------------------------------------------------------------------------------------------------
def machine() -> dict:
    import importlib.metadata as md

    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    versions = {}
    for pkg in ("plangraph", "rdflib", "pyoxigraph", "matplotlib"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = "not installed"
    return {"cores": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem / GIB, 1), "python": platform.python_version(),
            "os": f"{platform.system()} {platform.release()}", "versions": versions}


def fmt_s(x: float | None) -> str:
    if x is None:
        return "–"
    if x < 0.01:
        return f"{x * 1000:.2f} ms"
    if x < 1:
        return f"{x * 1000:.0f} ms"
    if x < 100:
        return f"{x:.2f} s"
    return f"{x:,.0f} s"


def fmt_gib(b: int | None) -> str:
    return "–" if not b else f"{b / GIB:.2f} GiB"


def cell_step(step: dict | None, what: str = "seconds") -> str:
    if not step:
        return "–"
    if step.get("status") == "ok":
        return fmt_s(step.get(what))
    return f"{step.get('status')}: {step.get('reason', '')}".replace("|", "/")


def cell_query(q: dict | None, timeout: float) -> str:
    if not q:
        return "–"
    if q.get("median") is not None:
        extra = "" if len(q.get("times", [])) > 1 else " (1 run)"
        return fmt_s(q["median"]) + extra
    if q.get("status") in ("timeout",):
        return f">{timeout:g} s"
    if q.get("status") == "skipped":
        return f"skipped ({q.get('reason')})"
    return f"{q.get('status')}: {q.get('error') or q.get('reason', '')}"[:80].replace("|", "/")


def ratios(results: dict) -> list[str]:
    """The issue's goals, as far as the results reach."""
    out: list[str] = []
    one = results.get("sizes", {}).get(str(1_000_000), {}).get("stores", {})
    disk, ox = one.get("plangraph-disk"), one.get("pyoxigraph")
    if disk and ox:
        if disk.get("load", {}).get("status") == "ok" and ox.get("load", {}).get("status") == "ok":
            r = disk["load"]["seconds"] / ox["load"]["seconds"]
            out.append(f"1M: plangraph-disk load ÷ pyoxigraph bulk load = {disk['load']['seconds']:.1f} s ÷ {ox['load']['seconds']:.1f} s = **{r:.1f}×** (goal ≤ 1.5) {'✓' if r <= 1.5 else '✗'}")
            building = disk["load"].get("build_seconds")
            if building is not None:
                w = (disk["load"]["seconds"] - building) / ox["load"]["seconds"]
                out.append(f"1M: of plangraph-disk's load, {building:.1f} s builds the plans' triples in Python (pyoxigraph reads them "
                           f"ready-made); the store's part ÷ pyoxigraph bulk load = **{w:.1f}×** (it writes each triple twice: "
                           f"its plan's graph and the set union)")
        for name in query_names():
            a, b = disk.get("queries", {}).get(name, {}), ox.get("queries", {}).get(name, {})
            if a.get("median") is not None and b.get("median") is not None and b["median"] > 0:
                r = a["median"] / b["median"]
                differ = f" (different answers: pyoxigraph's union default graph is a bag, {b.get('rows', 0):,} rows; plangraph-disk {a.get('rows', 0):,})" if a.get("rows") != b.get("rows") else ""
                out.append(f"1M: `{name}` plangraph-disk ÷ pyoxigraph = {fmt_s(a['median'])} ÷ {fmt_s(b['median'])} = **{r:.2f}×** (goal ≤ 1.5) {'✓' if r <= 1.5 else '✗'}{differ}")
            elif a or b:
                out.append(f"1M: `{name}` plangraph-disk {cell_query(a, results.get('timeout', 120))}, pyoxigraph {cell_query(b, results.get('timeout', 120))}")
    if disk and disk.get("reason", {}).get("status") == "ok" and disk.get("load", {}).get("status") == "ok":
        r = disk["reason"]["seconds"] / disk["load"]["seconds"]
        out.append(f"1M: plangraph-disk materialisation ÷ load = {disk['reason']['seconds']:.1f} s ÷ {disk['load']['seconds']:.1f} s = **{r:.2f}×** (goal ≤ 2) {'✓' if r <= 2 else '✗'}")
    if ox and ox.get("reason", {}).get("status") == "ok" and ox.get("load", {}).get("status") == "ok":
        r = ox["reason"]["seconds"] / ox["load"]["seconds"]
        out.append(f"1M: (for comparison) pyoxigraph materialisation ÷ its bulk load = **{r:.2f}×**")
    ten = results.get("sizes", {}).get(str(10_000_000), {}).get("stores", {}).get("plangraph-disk")
    if ten:
        lr = max([x for x in (ten.get("load", {}).get("maxrss"), ten.get("reason", {}).get("maxrss")) if x] or [0])
        if lr:
            out.append(f"10M: plangraph-disk peak memory loading and materialising = **{lr / GIB:.2f} GiB** (goal ≤ 4 GiB) {'✓' if lr <= 4 * GIB else '✗'}"
                       f"; over every step (queries, export included) {fmt_gib(ten.get('peak_rss'))}")
        else:
            out.append(f"10M: plangraph-disk: {cell_step(ten.get('load'))}")
    return out


def table(size: int, r: dict, timeout: float) -> list[str]:
    stores = [s for s in STORES if s in r["stores"]]
    meta = r.get("meta", {})
    lines = [f"### {size_label(size)} triples", "",
             f"{meta.get('plans', '?')} plans, {meta.get('triples', 0):,} plan triples ({meta.get('quads', 0):,} quads in the N-Quads file with the ontology, "
             f"{meta.get('nquads_bytes', 0) / 1e6:.0f} MB).", "",
             "| | " + " | ".join(stores) + " |", "|---|" + "---|" * len(stores)]

    def row(label: str, f: Callable[[dict], str]) -> None:
        lines.append(f"| {label} | " + " | ".join(f(r["stores"][s]) for s in stores) + " |")

    row("load", lambda e: cell_step(e.get("load")))
    row("load, triples/s", lambda e: f"{e['load']['triples'] / e['load']['seconds']:,.0f}" if e.get("load", {}).get("status") == "ok" else "–")
    row("materialisation (rules)", lambda e: cell_step(e.get("reason")))
    row("inferred triples", lambda e: f"{e['reason']['inferred']:,}" if e.get("reason", {}).get("status") == "ok" else "–")
    for name in query_names():
        row(f"`{name}`", lambda e, n=name: cell_query(e.get("queries", {}).get(n), timeout))
    row("Turtle export", lambda e: cell_step(e.get("export")))
    row("Turtle size", lambda e: f"{e['export']['bytes'] / 1e6:.0f} MB" if e.get("export", {}).get("status") == "ok" else "–")
    row("peak RSS, load + materialisation", lambda e: fmt_gib(max([x for x in (e.get("load", {}).get("maxrss"), e.get("reason", {}).get("maxrss")) if x] or [0])))
    row("peak RSS, any step", lambda e: fmt_gib(e.get("peak_rss")))
    row("store on disk", lambda e: f"{e['disk_bytes'] / 1e6:,.0f} MB" if e.get("disk_bytes") else "–")
    # answers that differ between stores (a check that they ran the same question)
    diffs = []
    for name in query_names():
        counts = {s: r["stores"][s].get("queries", {}).get(name, {}).get("rows") for s in stores}
        known = {s: c for s, c in counts.items() if c is not None}
        if len(set(known.values())) > 1:
            diffs.append(f"`{name}` " + ", ".join(f"{s} {c:,}" for s, c in known.items()))
    lines.append("")
    rows_line = []
    for name in query_names():
        counts = [r["stores"][s].get("queries", {}).get(name, {}).get("rows") for s in stores]
        c = next((x for x in counts if x is not None), None)
        if c is not None:
            rows_line.append(f"`{name}` {c:,}")
    if rows_line:
        lines.append("Rows answered: " + "; ".join(rows_line) + ".")
    if diffs:
        lines.append("")
        lines.append("Stores that answered with different row counts: " + "; ".join(diffs) + ".")
    notes = [f"{s}: " + "; ".join(r["stores"][s]["notes"]) for s in stores if r["stores"][s].get("notes")]
    if notes:
        lines += ["", "Notes: " + " ".join(notes)]
    unreasoned = [s for s in stores if not r["stores"][s].get("reasoned") and any(q.get("rows") is not None for q in r["stores"][s].get("queries", {}).values())]
    if unreasoned:
        lines += ["", f"Queries of {', '.join(unreasoned)} ran without the inferred triples (materialisation did not finish), so the ones that need them answer less."]
    lines.append("")
    return lines


def plots(results: dict, img: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    img.mkdir(parents=True, exist_ok=True)
    sizes = sorted(int(s) for s in results.get("sizes", {}))
    made: list[str] = []
    colours = {"rdflib": "#d62728", "pyoxigraph": "#1f77b4", "plangraph-memory": "#ff7f0e", "plangraph-disk": "#2ca02c"}

    def series(get: Callable[[dict], float | None]) -> dict[str, tuple[list[int], list[float]]]:
        out: dict = {}
        for store in STORES:
            xs, ys = [], []
            for s in sizes:
                e = results["sizes"][str(s)]["stores"].get(store)
                v = get(e) if e else None
                if v:
                    xs.append(s)
                    ys.append(v)
            if xs:
                out[store] = (xs, ys)
        return out

    def line_plot(name: str, title: str, ylabel: str, data: dict, logy: bool = True) -> None:
        if not data:
            return
        fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=110)
        for store, (xs, ys) in data.items():
            ax.plot(xs, ys, marker="o", label=store, color=colours[store])
        ax.set_xscale("log")
        if logy:
            ax.set_yscale("log")
        ax.set_xlabel("plan triples")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(img / name)
        plt.close(fig)
        made.append(name)

    ok = lambda e, k: e.get(k, {}).get("status") == "ok"  # noqa: E731
    line_plot("bench-load.png", "Load throughput", "triples per second",
              series(lambda e: e["load"]["triples"] / e["load"]["seconds"] if ok(e, "load") else None))
    line_plot("bench-reason.png", "Materialisation (the ontology's rules)", "seconds", series(lambda e: e["reason"]["seconds"] if ok(e, "reason") else None))
    line_plot("bench-memory.png", "Peak memory (load and materialisation)", "GiB",
              series(lambda e: max([x for x in (e.get("load", {}).get("maxrss"), e.get("reason", {}).get("maxrss")) if x] or [0]) / GIB or None))
    line_plot("bench-export.png", "Turtle export", "seconds", series(lambda e: e["export"]["seconds"] if ok(e, "export") else None))
    # queries at each size with results: grouped bars, log scale
    timeout = results.get("timeout", 120)
    for s in sizes:
        r = results["sizes"][str(s)]["stores"]
        stores = [st for st in STORES if st in r and r[st].get("queries")]
        if not stores:
            continue
        names = query_names()
        fig, ax = plt.subplots(figsize=(10, 4.8), dpi=110)
        width = 0.8 / len(stores)
        for i, st in enumerate(stores):
            vals, hatch = [], []
            for n in names:
                q = r[st]["queries"].get(n, {})
                v = q.get("median")
                if v is None and q.get("status") in ("timeout", "skipped"):
                    v = timeout
                    hatch.append(True)
                else:
                    hatch.append(False)
                vals.append(v or 0)
            bars = ax.bar([j + i * width for j in range(len(names))], vals, width, label=st, color=colours[st])
            for b, h in zip(bars, hatch):
                if h:
                    b.set_hatch("//")
                    b.set_alpha(0.5)
        ax.set_yscale("log")
        ax.set_xticks([j + 0.4 - width / 2 for j in range(len(names))])
        ax.set_xticklabels(names, rotation=35, ha="right", fontsize=8)
        ax.set_ylabel("median seconds (hatched: over the timeout)")
        ax.set_title(f"Named queries at {size_label(s)} triples")
        ax.legend(fontsize=8)
        ax.grid(True, axis="y", which="both", alpha=0.3)
        fig.tight_layout()
        name = f"bench-queries-{size_label(s)}.png"
        fig.savefig(img / name)
        plt.close(fig)
        made.append(name)
    return made


def write_docs(results: dict, docs: Path, img: Path) -> None:
    made = plots(results, img)
    m = results.get("machine", machine())
    timeout = results.get("timeout", 120)
    v = m["versions"]
    lines = [
        "# Store benchmarks",
        "",
        "Written by `scripts/bench_stores.py` (do not edit above the notes line: the script rewrites it). A synthetic corpus",
        "(`scripts/synthetic_corpus.py`: plans of Chinese provinces and cities for 2016–2025, with pillars, goals, quantified",
        "targets, task trees and companies, clusters and sites shared across plans with Zipf-like reuse) is loaded into each",
        "store at each size; every store runs in a process of its own, each query and the export in a child killed past its",
        "budget. plangraph's load is `add_plans` over the plans (it builds the plans' triples too); the natives load the same",
        "triples from an N-Quads file. Materialisation is the same SPARQL Update rules everywhere",
        "(`plangraph.graph.rules.Rules(ontology).run`: semi-naive rounds until nothing new, then the consistency checks); plangraph runs",
        "them through `pg.reason(\"rules\")`. Query figures are the median of 3 runs after one warm-up (one run when the",
        f"warm-up took over {results.get('slow', 30):g} s), with every row read; `>{timeout:g} s` is a query killed at the timeout.",
        "Peak RSS is ru_maxrss of the store's processes (a query's child is a fork of the loaded in-memory store, so its RSS",
        "includes the store).",
        "",
        "## Machine",
        "",
        f"- {m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, {m['os']}",
        f"- Python {m['python']}; plangraph {v.get('plangraph')}, rdflib {v.get('rdflib')}, pyoxigraph {v.get('pyoxigraph')}, matplotlib {v.get('matplotlib')}",
        "",
        "## Commands",
        "",
        "```sh",
    ]
    for run in results.get("runs", []):
        code = run.get("code") or {}
        where = f"; plangraph at {code.get('commit')}" + (f" with changes to {len(code['changed'])} files (tree digest {code.get('digest')})" if code.get("changed") else "") if code else ""
        lines.append(f"{run['command']}    # {run['when']}, {run['seconds'] / 60:.0f} min{where}")
    lines += ["```", "", "## Goals (the issue's ratios)", ""]
    lines += [f"- {x}" for x in ratios(results)] or ["- (no 1M or 10M results yet)"]
    lines += ["", "## Results", ""]
    for s in sorted(int(x) for x in results.get("sizes", {})):
        lines += table(s, results["sizes"][str(s)], timeout)
    if made:
        lines += ["## Plots", ""]
        lines += [f"![{n}](img/{n})" for n in made]
        lines.append("")
    notes = ""
    if docs.exists():
        old = docs.read_text(encoding="utf-8")
        if "<!-- notes -->" in old:
            notes = old.split("<!-- notes -->", 1)[1]
    lines.append("<!-- notes -->")
    docs.parent.mkdir(parents=True, exist_ok=True)
    docs.write_text("\n".join(lines) + (notes if notes else "\n"), encoding="utf-8")
    print(f"wrote {docs.relative_to(ROOT) if docs.is_relative_to(ROOT) else docs} and {len(made)} plots in {img}")


# ---------------------------------------------------------------------------------------------------
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10k,100k,1M,10M", help="corpus sizes in plan triples (default: 10k,100k,1M,10M)")
    ap.add_argument("--stores", default=",".join(STORES), help=f"which stores (default: {','.join(STORES)})")
    ap.add_argument("--seed", type=int, default=1, help="the corpus's seed (default: 1)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds a query run may take before it is killed (default: 120)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each query after the warm-up (default: 3)")
    ap.add_argument("--slow", type=float, default=30, help="a query whose warm-up took longer is timed once (default: 30 s)")
    ap.add_argument("--step-budget", type=float, default=1800, help="seconds a load, materialisation or export may take (default: 1800)")
    ap.add_argument("--mem-limit", type=float, default=16, help="GiB a store's processes may use together (default: 16)")
    ap.add_argument("--no-predict", action="store_true", help="run every store at every size, whatever smaller sizes predict")
    ap.add_argument("--no-export", action="store_true", help="leave the Turtle export out")
    ap.add_argument("--no-queries", action="store_true", help="leave the named queries out")
    ap.add_argument("--no-reason", action="store_true", help="leave materialisation out")
    ap.add_argument("--no-import", action="store_true",
                    help="a store that cannot materialise in time queries without inferred triples (by default it imports pyoxigraph's, untimed)")
    ap.add_argument("--skip-queries", type=lambda s: [x for x in s.split(",") if x], default=[], help="named queries to leave out (comma-separated)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench"), help="scratch folder: corpora, stores, exports (default: /tmp/bench)")
    ap.add_argument("--results", type=Path, help="the results file (default: WORK/results.json)")
    ap.add_argument("--keep-stores", action="store_true", help="keep the on-disk stores in WORK/stores")
    ap.add_argument("--code", type=Path, help="a folder holding the plangraph package to measure (default: a copy of this checkout's, "
                                                "taken when the run starts, so edits during a run do not mix versions)")
    ap.add_argument("--docs", type=Path, default=ROOT / "docs" / "benchmarks.md")
    ap.add_argument("--img", type=Path, default=ROOT / "docs" / "img")
    ap.add_argument("--no-docs", action="store_true", help="print only; leave docs/ as it is")
    ap.add_argument("--docs-only", action="store_true", help="rewrite docs/ from the results file, measure nothing")
    # internal: a store's process, and a child of it
    ap.add_argument("--session", help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--steps", help=argparse.SUPPRESS)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker_main(args.worker)
        return
    args.work = args.work.resolve()
    if args.session:
        session(args.session, args.size, args.steps.split(","), args)
        return
    args.work.mkdir(parents=True, exist_ok=True)
    results_path = args.results or args.work / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    if args.docs_only:
        write_docs(results, args.docs, args.img)
        return
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    for s in stores:
        if s not in BENCHES:
            ap.error(f"unknown store {s!r}; choose from {', '.join(STORES)}")
    stores.sort(key=RUN_ORDER.index)
    if args.code is None:
        args.code, code_info = snapshot(args.work)
    else:
        args.code, code_info = args.code.resolve(), {"digest": str(args.code), "commit": "", "changed": []}
    os.environ["BENCH_CODE"] = str(args.code)
    results["machine"] = machine()
    results["timeout"], results["slow"] = args.timeout, args.slow
    command = ".venv/bin/python scripts/bench_stores.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    started = time.monotonic()
    print(f"{command}\nmachine: {json.dumps(results['machine'])}\nplangraph measured: {json.dumps(code_info)} (a copy in {args.code})", flush=True)
    for size in sizes:
        print(f"== {size_label(size)} triples", flush=True)
        _, _, meta = corpus_files(args.work, size, args.seed)
        entry = results.setdefault("sizes", {}).setdefault(str(size), {"stores": {}})
        entry["meta"] = meta
        for store in stores:
            t0 = time.monotonic()
            entry["stores"][store] = measure(store, size, args, results)
            entry["stores"][store]["code"] = code_info
            print(f"    {store}: done in {time.monotonic() - t0:.0f} s; peak RSS {fmt_gib(entry['stores'][store].get('peak_rss'))}", flush=True)
            results_path.write_text(json.dumps(results, indent=1))
        print("\n".join(table(size, entry, args.timeout)), flush=True)
    results.setdefault("runs", []).append({"command": command, "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                                           "seconds": time.monotonic() - started, "code": code_info})
    results_path.write_text(json.dumps(results, indent=1))
    print("goals:")
    for line in ratios(results):
        print(f"  {line}")
    if not args.no_docs:
        write_docs(results, args.docs, args.img)


if __name__ == "__main__":
    main()
