"""Benchmark: extraction time of a 20,000-character report (warm, and as a whole process with the
name model loaded, with and without the model), and documents per second for a folder of reports
read into one graph on every core, the model loaded once per worker. Prints figures; asserts nothing.

    python scripts/bench_extract.py [--documents 300] [--workers N]
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

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "tests" / "texts"
GENRE = ["city-plan-article", "provincial-work-report", "district-plan"]


def report_of(chars: int) -> str:
    """A long report made of our genre texts, each part under its own pillar."""
    parts, total, i = [], 0, 0
    while total < chars:
        body = (TEXTS / f"{GENRE[i % 3]}.txt").read_text(encoding="utf-8")
        parts.append(body)
        total += len(body)
        i += 1
    return "\n".join(parts)[:chars]


def write_corpus(folder: Path, documents: int) -> int:
    """``documents`` plan texts in ``folder`` (our genre texts in turn, each its own plan); returns their characters."""
    chars = 0
    for i in range(documents):
        name = GENRE[i % 3]
        data = (TEXTS / f"{name}.txt").read_bytes()
        (folder / f"{i:04d}-{name}.txt").write_bytes(data)
        chars += len(data.decode("utf-8"))
    return chars


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--documents", type=int, default=300)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from plangraph.api import load
    from plangraph.loaders.documents import read_text
    from plangraph.loaders.text_plan import extract

    text = report_of(20_000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.txt"
        path.write_text(text, encoding="utf-8")
        whole = {}
        for flags in ((), ("--no-model",)):
            runs = []
            for _ in range(3):
                t = time.perf_counter()
                subprocess.run([sys.executable, "-m", "plangraph", "extract", str(path), "-o", str(Path(tmp) / "out.yaml"), *flags],
                               capture_output=True, cwd=ROOT, check=True)
                runs.append(time.perf_counter() - t)
            whole[flags] = statistics.median(runs)
    from plangraph.loaders.ner import Tagger

    times = []
    for _ in range(5):
        Tagger.load().names.cache_clear()  # the model's answers are cached per sentence: measure them too
        t = time.perf_counter()
        plan = extract(read_text(text, name="report.txt"))
        times.append(time.perf_counter() - t)
    print(f"20,000-character report: `plangraph extract` as a whole process {whole[()]:.2f} s with the model "
          f"(loaded on start), {whole[('--no-model',)]:.2f} s with --no-model (median of 3); "
          f"extract {statistics.median(times) * 1000:.0f} ms in a warm process (median of 5); "
          f"{sum(1 for _ in plan.targets())} targets, {len(plan.entities)} entities")

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        chars = write_corpus(corpus, args.documents)
        t = time.perf_counter()
        pg = load(corpus, reason=False, workers=args.workers)
        elapsed = time.perf_counter() - t
        print(f"folder of {args.documents} reports ({chars / 1e6:.1f} M characters) → one graph of {len(pg.plans)} plans, "
              f"{len(pg.store):,} triples, {args.workers} workers: {elapsed:.1f} s, {args.documents / elapsed:.0f} documents/s")


if __name__ == "__main__":
    main()
