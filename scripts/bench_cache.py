"""Cold and warm `plangraph query`: the first run on a set of inputs reads and reasons, the second
answers from the cache of reasoned graphs. Prints the median wall time of each, whole process.

    python scripts/bench_cache.py                       # the bundled plan, company-contributions
    python scripts/bench_cache.py --runs 7 tests/texts/provincial-work-report.txt
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _run(args: list[str], cache: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "plangraph", *args], capture_output=True, text=True,
                          env={**os.environ, "PLANGRAPH_CACHE": str(cache)})
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"plangraph {' '.join(args)} failed: {done.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", help="plan sources (default: the bundled plan)")
    parser.add_argument("--query", default="company-contributions")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    command = ["query", args.query, *args.sources]
    cold, warm = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="plangraph-bench-cache-") as folder:
            cold.append(_run(command, Path(folder)))  # an empty cache: read, reason, answer
            warm.append(_run(command, Path(folder)))  # the same inputs again: from the cache
    print(f"plangraph {' '.join(command)}   ({args.runs} runs, whole process, median [min-max])")
    for name, times in (("cold (reads and reasons)", cold), ("warm (from the cache)", warm)):
        print(f"  {name:<26} {statistics.median(times):6.2f} s   [{min(times):.2f}-{max(times):.2f}]")
    print(f"  warm / cold                {statistics.median(warm) / statistics.median(cold):6.2f}")


if __name__ == "__main__":
    main()
