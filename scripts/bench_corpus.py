"""Benchmark: a folder of extracted reports becomes a queryable store, on disk and in memory.

Makes a folder of N plan texts (copies of our genre texts, each its own plan), then times whole
commands, each once, with the cache off:

- in memory, as before the stores: ``plangraph query counts-per-class DIR`` (read, HermiT, query);
- on disk: ``plangraph load DIR --store S`` (read, Oxigraph, the rules inside the store), then a cold
  ``plangraph query NAME --store S`` for a few named queries (nothing read or reasoned again).

Prints figures; asserts nothing.

    python scripts/bench_corpus.py [--documents 1000] [--model] [--skip-memory]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_extract import ROOT, write_corpus  # the same folder of reports the extraction benchmark reads


def timed(argv: list[str], label: str) -> float:
    """Run a plangraph command; print and return its wall time (and the peak memory of the children so far)."""
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "plangraph", *argv], capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if run.returncode not in (0, 1):
        raise SystemExit(f"{label} failed ({run.returncode}): {run.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
    print(f"{label:<58} {elapsed:8.1f} s   (peak of the commands so far {peak:.2f} GB)", flush=True)
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--model", action="store_true", help="read with the statistical name recogniser (0.7 s a report more)")
    ap.add_argument("--skip-memory", action="store_true", help="leave out the in-memory path (minutes at 1,000 reports)")
    args = ap.parse_args()
    flags = ["--no-cache", "-q"] + ([] if args.model else ["--no-model"])
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        write_corpus(corpus, args.documents)
        print(f"{args.documents} reports{'' if args.model else ', --no-model'}; each command once, cache off")
        store = Path(tmp) / "corpus.db"
        disk = timed(["load", str(corpus), "--store", str(store), *flags], "on disk: plangraph load DIR --store S")
        for name in ("counts-per-class", "company-contributions", "goals-targets", "cluster-anchors"):
            timed(["query", name, "--store", str(store), "-o", "/dev/null"], f"on disk: plangraph query {name} --store S (cold)")
        if not args.skip_memory:
            memory = timed(["query", "counts-per-class", str(corpus), *flags, "--reasoner", "hermit", "--timeout", "0", "-o", "/dev/null"],
                           "in memory: plangraph query counts-per-class DIR (HermiT)")
            print(f"\nthe folder becomes queryable {memory / disk:.1f}x faster on disk than in memory")


if __name__ == "__main__":
    main()
