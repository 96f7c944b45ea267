"""Benchmark: how extraction and build time grow with the size of the input.

Builds synthetic inputs in a temporary directory and times them, so linearity can be read off
the per-unit figures (a constant "s/MB" or "s/1k tasks" column means linear growth):

* plan texts of the genre (1, 5 and 19 MB by default): copies of the test texts
  ``tests/texts/provincial-work-report.txt`` and ``tests/texts/district-plan.txt``, each copy with
  its place names (and so its companies, sites and clusters) and its numbers varied, so that
  headings, goals and tasks repeat while the entities keep growing. With ``--layout pillars`` (the
  default) every copy after the first opens with a pillar heading of its own (第一篇 X片区), so the
  plan grows by themes of bounded size; with ``--layout report`` the copies run on as one report,
  one theme whose key tasks each support every goal of the plan (the reader's rule), so the plan
  itself, its YAML and its graph grow with the square of the text. Timed as the
  ``plangraph.loaders.load_plan`` API in this process (reading the document and extracting its
  plan) without the name model; ``--model`` adds runs with it; ``--cli`` times the whole
  ``plangraph extract [--no-model] FILE -o OUT.yaml`` process instead (which also writes the YAML);
* YAML plans of 1,000 / 5,000 / 27,000 tasks (themes, goals, targets, key tasks and sub-tasks,
  entities with aliases, evidence), written with :func:`plangraph.loaders.dumps_yaml`. Timed as
  ``load_plan`` + ``plangraph.graph.build.plan_triples``; ``--full-build`` also runs
  ``plangraph build --no-model FILE -o DIR`` as a process (it reasons with HermiT, validates with
  SHACL, writes Turtle and the page and answers a query, so it is slow: about a minute per 1,000
  tasks; sizes over ``--full-build-max`` tasks are skipped), with the steps the command reports.

    python scripts/bench_growth.py                      # the default sizes, a few minutes
    python scripts/bench_growth.py --quick              # smaller sizes, well under a minute
    python scripts/bench_growth.py --sizes 1 5 --tasks 1000 5000 --model --full-build
    python scripts/bench_growth.py --code /path/to/other/checkout   # time another copy of plangraph

Prints one line per case; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent

TEXTS = ROOT / "tests" / "texts"
GENRE = ("provincial-work-report", "district-plan")
#: the fictional place names of the test texts; each copy gets names of its own
PLACES = ("江岭", "云川", "临湖", "岚江", "江州", "青岚")
# hanzi to make two-character place names from (52 x 52 = 2,704 names: some 450 copies before they repeat,
# so the largest texts also name the same entities again, as long plans do)
_NAME_CHARS = "甘泉柳林松河梅溪桃源杏坛竹山兰亭菊岭枫桥桂湾槐阳椿乡榆关桑田麦城禾丰稻香茶峰瓜洲杨浦莲塘荷泽芦洲苇滨蓬莱"
_NUMBER = re.compile(r"(?<![\d.])\d+(?![\d年])")

MB = 1 << 20


def _place(k: int, j: int) -> str:
    """The j-th place name of copy k: two hanzi, distinct across copies."""
    n = len(_NAME_CHARS)
    i = (k * len(PLACES) + j) % (n * n)
    return _NAME_CHARS[i // n] + _NAME_CHARS[i % n]


def varied_copy(text: str, k: int) -> str:
    """Copy ``k`` of a text: its place names replaced by copy k's, its numbers (not years) shifted."""
    if k == 0:
        return text
    for j, place in enumerate(PLACES):
        text = text.replace(place, _place(k, j))
    return _NUMBER.sub(lambda m: str(int(m.group(0)) + k % 89), text)


_FIRST_PART = re.compile(r"^(?:一、|第一章)", re.MULTILINE)


def plan_text(size: int, layout: str = "pillars") -> str:
    """A plan-genre text of about ``size`` bytes of UTF-8 made of varied copies of the test texts:
    with ``layout="pillars"`` each copy after the first replaces its title lines by a pillar
    heading (and a line under it), with ``"report"`` the copies follow one another as they are."""
    bodies = [(TEXTS / f"{name}.txt").read_text(encoding="utf-8") for name in GENRE]
    parts: list[str] = []
    total, k = 0, 0
    while total < size:
        body = varied_copy(bodies[k % len(bodies)], k)
        if layout == "pillars" and k:
            first = _FIRST_PART.search(body)
            name = f"{_place(k, 0)}{_place(k, 1)}片区"
            body = f"第一篇 {name}\n\n{name}按照全省部署推进各项工作。\n\n" + body[first.start() if first else 0:]
        parts.append(body)
        total += len(body.encode("utf-8")) + 1
        k += 1
    return "\n".join(parts)


def synthetic_plan(tasks: int, seed: int = 1):
    """A plan model with ``tasks`` tasks (key tasks with two sub-tasks each), in themes of 100
    tasks with a goal per 20 tasks, a quantified target per goal and per key task, an entity per
    two tasks (companies, sites, clusters anchored by companies) and evidence for every link."""
    from plangraph.loaders.model import Entity, Evidence, Goal, Plan, Source, Target, Task, Text, Theme, Vision

    rnd = random.Random(seed)
    doc = "synthetic.txt"

    def src(section: str, quote: str, start: int) -> Source:
        return Source(section=section, quote=quote, document=doc, start=start, end=start + len(quote))

    n_entities = max(4, tasks // 2)
    entities: list[Entity] = []
    for i in range(n_entities):
        kind = ("Company", "Site", "IndustryCluster", "Reform", "Programme")[i % 5]
        ending = {"Company": "集团", "Site": "产业园", "IndustryCluster": "产业集群", "Reform": "改革", "Programme": "工程"}[kind]
        name = f"{_place(i, 0)}{_place(i, 1)}{i}号{ending}"
        e = Entity(name=name, type=kind, label=Text(name), aliases=[f"{name}（简称{i}）"],
                   sources=[src("重点任务", name, i * 40)])
        entities.append(e)
    companies = [e for e in entities if e.type == "Company"]
    for e in entities:
        if e.type == "IndustryCluster":
            e.scale = "千亿级"
            e.anchored_by = [c.name for c in rnd.sample(companies, min(2, len(companies)))]
    plan = Plan(id="synthetic", title=Text(f"合成规划（{tasks}项任务）"), source_file=doc,
                vision=Vision(id="vision", label=Text("建成示范城市"), sources=[src("标题", "建成示范城市", 0)]))
    evidence: list[Evidence] = []
    made = 0
    t = 0
    while made < tasks:
        theme = Theme(id=f"theme{t}", label=Text(f"第{t}板块"), sources=[src(f"第{t}板块", f"第{t}板块", t * 1000)])
        plan.themes.append(theme)
        section = f"第{t}板块 / 重点任务"
        for g in range(5):
            gid = f"goal{t}-{g}"
            goal = Goal(id=gid, label=Text(f"第{t}板块目标{g}"), sources=[src(section, f"目标{g}", t * 1000 + g)],
                        targets=[Target(id=f"target{t}-{g}", label=Text(f"地区生产总值突破{t + g}亿元"),
                                        indicator=Text("地区生产总值"), value=Decimal((t + g + 1) * 100000000),
                                        unit="元", comparator=">=", year=2030,
                                        sources=[src(section, f"地区生产总值突破{t + g}亿元", t * 1000 + g)])])
            theme.goals.append(goal)
        while made < tasks and len(list(theme.tasks)) * 3 < 100:
            k = made
            key = Task(id=f"task{k}", label=Text(f"重点任务{k}"), supports=[g.id for g in theme.goals],
                       sources=[src(section, f"重点任务{k}", k * 50)],
                       targets=[Target(id=f"target-task{k}", label=Text(f"新增企业{k}家"), indicator=Text("新增企业"),
                                       value=Decimal(k + 1), unit="家", comparator="=",
                                       sources=[src(section, f"新增企业{k}家", k * 50 + 5)])])
            made += 1
            for s in range(2):
                if made >= tasks:
                    break
                sub = Task(id=f"task{made}", label=Text(f"子任务{made}"), sources=[src(section, f"子任务{made}", made * 50)])
                made += 1
                key.subtasks.append(sub)
            for task in key.walk():
                for e in rnd.sample(entities, 2):
                    bucket = task.develops if e.type in ("IndustryCluster", "Site") else task.involves
                    if e.name not in bucket:
                        bucket.append(e.name)
                        relation = "develops" if bucket is task.develops else "involves"
                        evidence.append(Evidence(task.id, relation, e.name, task.sources[0]))
            theme.tasks.append(key)
        t += 1
    for e in entities:
        for a in e.anchored_by:
            evidence.append(Evidence(e.name, "anchoredBy", a, e.sources[0]))
    plan.entities = entities
    plan.evidence = evidence
    return plan


def plan_yaml(tasks: int) -> str:
    """The YAML description of :func:`synthetic_plan`, as :func:`plangraph.loaders.dumps_yaml` writes it.

    Only to make the input faster, libyaml's emitter stands in for PyYAML's while it writes (the
    same text, four times sooner); what is timed is reading it back.
    """
    import yaml

    from plangraph.loaders import dumps_yaml

    python_dump = yaml.safe_dump
    if hasattr(yaml, "CSafeDumper"):
        yaml.safe_dump = lambda data, **kw: yaml.dump(data, Dumper=yaml.CSafeDumper, **kw)  # type: ignore[assignment]
    try:
        return dumps_yaml(synthetic_plan(tasks))
    finally:
        yaml.safe_dump = python_dump


def _line(what: str, seconds: float, amount: float, unit: str, extra: str = "") -> None:
    print(f"  {what:<44} {seconds:8.2f} s  {seconds / amount:8.3f} s/{unit}{extra}", flush=True)


def _env(tmp: Path, code: Path) -> dict[str, str]:
    """The environment of a plangraph process: this code first on the path, a cache of its own."""
    cache = tmp / "cache"
    cache.mkdir(exist_ok=True)
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(code), os.environ.get("PYTHONPATH")))),
            "PLANGRAPH_CACHE": str(cache)}


def _best(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The shortest of ``repeat`` runs (the machine's other work only ever adds time), and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - t0)
    return best, result


def bench_texts(sizes: list[float], tmp: Path, model: bool, cli: bool, layout: str, code: Path, repeat: int) -> None:
    from plangraph.loaders import load_plan

    mode = "`plangraph extract` process" if cli else "load_plan API"
    print(f"extraction ({mode}, layout {layout}):", flush=True)
    for mb in sizes:
        path = tmp / f"plan-{mb:g}mb.txt"
        path.write_text(plan_text(int(mb * MB), layout), encoding="utf-8")
        real = path.stat().st_size / MB
        for with_model in ((False, True) if model else (False,)):
            label = f"{real:5.2f} MB text, {'model' if with_model else 'no model'}"
            if cli:
                cmd = [sys.executable, "-m", "plangraph", "extract", str(path), "-o", str(tmp / "out.yaml")]
                cmd += [] if with_model else ["--no-model"]
                seconds, _ = _best(lambda: subprocess.run(cmd, check=True, capture_output=True, cwd=tmp, env=_env(tmp, code)), repeat)
                extra = ""
            else:
                seconds, plan = _best(lambda: load_plan(path, model=with_model), repeat)
                extra = f"  ({sum(1 for _ in plan.tasks())} tasks, {len(plan.entities)} entities)"  # type: ignore[union-attr]
            _line(label, seconds, real, "MB", extra)


def bench_plans(counts: list[int], tmp: Path, full_build: bool, full_build_max: int, code: Path, repeat: int) -> None:
    from plangraph.graph.build import plan_triples
    from plangraph.loaders import load_plan

    print("building (load_plan + plan_triples):", flush=True)
    for n in counts:
        path = tmp / f"plan-{n}.yaml"
        path.write_text(plan_yaml(n), encoding="utf-8")
        load, plan = _best(lambda: load_plan(path), repeat)
        build, triples = _best(lambda: plan_triples(plan), repeat)  # type: ignore[arg-type]
        _line(f"{n:6d} tasks, load + triples", load + build, n / 1000, "1k tasks",
              f"  (load {load:.2f} s, triples {build:.2f} s, {len(triples)} triples)")  # type: ignore[arg-type]
        if full_build and n <= full_build_max:
            t0 = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "plangraph", "build", "--no-model", str(path), "-o", str(tmp / f"out-{n}")],
                                  check=False, capture_output=True, text=True, cwd=tmp, env=_env(tmp, code))
            # the steps as the command reports them: ✓ reasoning with HermiT (32.8 s)
            steps = re.findall(r"✓ ([^(\n]+?) \((\d+(?:\.\d+)?) s\)", done.stderr)
            _line(f"{n:6d} tasks, `plangraph build --no-model`", time.perf_counter() - t0, n / 1000, "1k tasks",
                  f"  (exit {done.returncode}; " + ", ".join(f"{step} {sec} s" for step, sec in steps) + ")")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=float, nargs="+", metavar="MB", help="text sizes in MB (default: 1 5 19)")
    ap.add_argument("--tasks", type=int, nargs="+", metavar="N", help="plan sizes in tasks (default: 1000 5000 27000)")
    ap.add_argument("--quick", action="store_true", help="smaller sizes: 0.25 1 MB and 1,000 / 5,000 tasks")
    ap.add_argument("--model", action="store_true", help="also extract with the name model (its tagger costs some 20 s/MB more)")
    ap.add_argument("--cli", action="store_true", help="time `plangraph extract` as a whole process instead of the API")
    ap.add_argument("--full-build", action="store_true", help="also time `plangraph build --no-model` (HermiT and SHACL)")
    ap.add_argument("--full-build-max", type=int, default=5000, metavar="N", help="largest plan to build in full (default: 5000)")
    ap.add_argument("--layout", choices=("pillars", "report"), default="pillars",
                    help="pillars: each copy of the texts under a pillar of its own (default); report: one long report")
    ap.add_argument("--no-texts", action="store_true", help="skip the texts")
    ap.add_argument("--no-plans", action="store_true", help="skip the YAML plans")
    ap.add_argument("--repeat", type=int, default=1, metavar="N", help="time each case N times and keep the shortest (default: 1)")
    ap.add_argument("--code", type=Path, default=ROOT, metavar="DIR",
                    help="the folder holding the plangraph package to time (default: this checkout)")
    args = ap.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    sizes = args.sizes or ([0.25, 1.0] if args.quick else [1.0, 5.0, 19.0])
    counts = args.tasks or ([1000, 5000] if args.quick else [1000, 5000, 27000])
    with tempfile.TemporaryDirectory(prefix="plangraph-growth-") as tmp:
        if not args.no_texts:
            bench_texts(sizes, Path(tmp), args.model, args.cli, args.layout, args.code.resolve(), args.repeat)
        if not args.no_plans:
            bench_plans(counts, Path(tmp), args.full_build, args.full_build_max, args.code.resolve(), args.repeat)


if __name__ == "__main__":
    main()
