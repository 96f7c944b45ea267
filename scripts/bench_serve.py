"""Benchmark: what serving over HTTP costs, and how the server holds up under many clients.

Starts ``plangraph serve`` (a process of its own, on loopback, the bundled plan unless
``--store`` or sources are given), then:

1. for every named query, the median time of the answer in-process (``PlanGraph.query`` and
   writing the SPARQL JSON, in this process over the same plans) and over HTTP (a kept-alive
   connection; request, the server's work, the whole body read), and their ratio; the server
   keeps no answers here (``--cache-answers 0``), so every request runs its query;
2. a bounded load test: ``--clients`` clients, each on its own connection, asking one named
   query back to back for ``--seconds``: requests answered, errors, latency percentiles; once
   with the server's answer cache (its default: the first request runs the query) and once without.

Prints figures; asserts nothing.

    python scripts/bench_serve.py [--runs 21] [--clients 50] [--seconds 30] [--query goals-targets] [--store S] [SOURCES]
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent


def start_server(argv: list[str]) -> tuple[subprocess.Popen[str], str]:
    """``plangraph serve`` on a free port; returns the process and its URL once it listens."""
    proc = subprocess.Popen([sys.executable, "-m", "plangraph", "serve", "--port", "0", "-q", *argv],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:
        if "serving" in line and " at http://" in line:
            url = line.split(" at ", 1)[1].split("/ ", 1)[0]
            threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep the pipe drained
            return proc, url
    raise SystemExit(f"the server did not start (exit {proc.wait()})")


def timed_get(conn: http.client.HTTPConnection, path: str, accept: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    conn.request("GET", path, headers={"Accept": accept})
    response = conn.getresponse()
    body = response.read()
    return time.perf_counter() - start, response.status, len(body)


def overhead(url: str, runs: int, sources: list[str], store: str | None) -> None:
    from plangraph.api import load, named_queries

    pg = load(*sources, store=store, read_only=bool(store) and not sources)
    host = urlsplit(url)
    print(f"{'query':<34} {'rows':>6} {'in-process':>11} {'HTTP':>9} {'ratio':>6}")
    ratios = []
    for name in named_queries():
        local, remote = [], []
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=300)  # the server closes idle ones
        timed_get(conn, f"/queries/{quote(name)}", "application/sparql-results+json")  # the connection made, not timed
        for _ in range(runs):  # one of each in turn: a slow moment of the machine falls on both
            start = time.perf_counter()
            rows = pg.query(name)
            rows.to_json()
            local.append(time.perf_counter() - start)
            took, status, _ = timed_get(conn, f"/queries/{quote(name)}", "application/sparql-results+json")
            if status != 200:
                raise SystemExit(f"{name}: HTTP {status}")
            remote.append(took)
        conn.close()
        a, b = statistics.median(local), statistics.median(remote)
        ratios.append(b / a)
        print(f"{name:<34} {len(rows):>6} {a * 1000:>9.1f} ms {b * 1000:>6.1f} ms {b / a:>5.2f}x", flush=True)
    print(f"HTTP ÷ in-process, medians of {runs}: {min(ratios):.2f}–{max(ratios):.2f}x (median {statistics.median(ratios):.2f}x)\n")
    pg.close()


def load_test(url: str, clients: int, seconds: float, query: str) -> None:
    host = urlsplit(url)
    path = f"/queries/{quote(query)}"
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    ready = threading.Barrier(clients + 1)

    def client() -> None:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
        mine: list[float] = []
        ready.wait()
        while time.perf_counter() < stop:
            try:
                took, status, _ = timed_get(conn, path, "text/csv")
                if status != 200:
                    with lock:
                        errors.append(f"HTTP {status}")
                mine.append(took)
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(type(exc).__name__)
                conn.close()
                conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
        with lock:
            latencies.extend(mine)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    ready.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    print(f"load test: {clients} clients, {query}, {elapsed:.1f} s: {len(latencies):,} answers ({len(latencies) / elapsed:.0f}/s), "
          f"{len(errors)} errors{(' (' + ', '.join(sorted(set(errors))) + ')') if errors else ''}")
    if latencies:
        print(f"  latency p50 {pct(50):.0f} ms, p90 {pct(90):.0f} ms, p99 {pct(99):.0f} ms, max {latencies[-1] * 1000:.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sources", nargs="*")
    ap.add_argument("--store")
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--query", default="goals-targets")
    args = ap.parse_args()
    argv = [*args.sources] + (["--store", args.store] if args.store else [])
    print(f"{args.store or ', '.join(args.sources) or 'the bundled plan'}; {os.cpu_count()} cores\n")
    for cache in ("0", "256"):
        proc, url = start_server([*argv, "--cache-answers", cache])
        try:
            if cache == "0":
                overhead(url, args.runs, args.sources, args.store)
            print(f"answer cache {'off' if cache == '0' else 'on (256 answers)'}: ", end="")
            load_test(url, args.clients, args.seconds, args.query)
        finally:
            proc.terminate()
            proc.wait(10)

if __name__ == "__main__":
    main()
