"""Benchmark the dependency page: Python build time, and in Chromium the first drawing, the page
becoming interactive and one search-and-focus; then the views of a corpus too large to draw whole.

Usage: python scripts/bench_page.py [--sizes 500 5000 10000] [--corpus 150] [--repeat 3] [--chromium /usr/bin/chromium] [--no-browser]

One line per case. First the bundled plan, then synthetic plan-shaped graphs (a vision, a few
themes, goals, targets, tasks and sub-tasks, clusters, and many carriers), drawn with no node
limit so that sizes above :data:`plangraph.views.page.MAX_NODES` show why it is where it is.
Then a synthetic corpus (``--corpus`` plans of about 330 elements each, 40 regions a year,
carriers shared from one pool: 58,000 nodes and 500,000 triples at 150 plans) built as RDF the way
plans are (:func:`plangraph.graph.build.plan_triples`, not reasoned): the time to refuse the
whole graph, each view's selection on the projection, and each view of
:data:`plangraph.views.page.VIEWS` rendered with :func:`plangraph.views.page.render`
(projection, selection, layout and HTML).

In headless Chromium with the network off, measured in the page with performance.now() from the
start of navigation: "draw" is the first vis-network drawing (``window.plangraphReadyAt``);
"ready" is the page's own ready signal (``window.plangraphReady``: drawn, fitted to the labels,
drawn again, every control wired), the moment it is interactive; "focus" is one search as a user
makes it (the search box's first use builds its list of every label) with a 2-hop focus, up to
the next drawing. No assertions: it prints figures; the README quotes them.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plangraph.views.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

CARRIERS = ("Company", "Site", "Reform", "Programme", "Event", "Brand", "Designation")
CARRIER_PROPERTY = {
    "Company": "involvesActor",
    "Site": "involvesSite",
    "Reform": "involvesReform",
    "Programme": "involvesProgramme",
    "Event": "involvesEvent",
    "Brand": "involvesBrand",
    "Designation": "pursuesDesignation",
}


def synthetic_plan(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """A plan-shaped dependency graph of about ``n`` nodes (most of them carriers)."""
    rnd = random.Random(seed)
    G = nx.MultiDiGraph()

    def add(kind: str, i: int) -> str:
        node = f"urn:x:{kind}/{i}"
        G.add_node(node, type=kind, label=f"{kind}{i}号示例节点", label_en=f"{kind} {i}", section="示例", quote="示例原文")
        return node

    def link(u: str, v: str, prop: str) -> None:
        G.add_edge(u, v, key=prop, property=prop, label=prop)

    themes_n = max(2, n // 600)
    goals_n = max(3, n // 150)
    targets_n = max(5, n // 25)
    tasks_n = max(5, n // 60)
    subtasks_n = max(8, n // 15)
    clusters_n = max(3, n // 120)
    vision = add("Vision", 0)
    themes = [add("Theme", i) for i in range(themes_n)]
    for t in themes:
        link(vision, t, "hasTheme")
    goals = [add("Goal", i) for i in range(goals_n)]
    for i, g in enumerate(goals):
        link(themes[i % themes_n], g, "hasGoal")
    for i in range(targets_n):
        link(goals[rnd.randrange(goals_n)], add("Target", i), "hasTarget")
    tasks = [add("Task", i) for i in range(tasks_n)]
    for i, t in enumerate(tasks):
        link(themes[i % themes_n], t, "hasTask")
        link(goals[rnd.randrange(goals_n)], t, "supportedBy")
    subtasks = [add("Task", tasks_n + i) for i in range(subtasks_n)]
    for s in subtasks:
        link(tasks[rnd.randrange(tasks_n)], s, "hasSubTask")
    clusters = [add("IndustryCluster", i) for i in range(clusters_n)]
    for c in clusters:
        link(subtasks[rnd.randrange(subtasks_n)], c, "develops")
    i = 0
    while len(G) < n:
        kind = rnd.choice(CARRIERS)
        node = add(kind, i)
        i += 1
        if kind == "Company" and rnd.random() < 0.7:
            link(clusters[rnd.randrange(clusters_n)], node, "anchoredBy")
        else:
            for _ in range(rnd.choice((1, 1, 2, 3))):
                link(subtasks[rnd.randrange(subtasks_n)], node, CARRIER_PROPERTY[kind])
    return G


def synthetic_corpus(plans: int, seed: int = 1) -> list[Any]:
    """``plans`` plan models, 40 a year from 2021 (one for each of 40 regions; five years at most),
    each of 4 themes, 12 goals, 48 goal targets, 20 key tasks, 120 sub-tasks with a target each,
    naming carriers from a shared pool (a few popular, most rare, as real corpora do), every
    carrier with a passage; clusters anchored by companies."""
    from plangraph.loaders.model import Entity, Goal, Plan, Source, Target, Task, Text, Theme, Vision

    rnd = random.Random(seed)
    pool = {kind: [f"示例{kind}{i}" for i in range(size)] for kind, size in
            (("Company", 3000), ("Site", 4000), ("Reform", 800), ("Programme", 1200), ("Event", 400), ("IndustryCluster", 400))}
    out = []
    for p in range(plans):
        region, year = f"示例{p % 40:02d}省", 2021 + p // 40 % 5
        pid = f"r{p % 40:02d}-{year}-{p}"
        entities: dict[str, Entity] = {}

        def name(kind: str) -> str:
            items = pool[kind]
            n = items[min(int(rnd.paretovariate(1.1)) - 1, len(items) - 1)] if rnd.random() < 0.3 else rnd.choice(items)
            if n not in entities:
                entities[n] = Entity(name=n, type=kind, label=Text(n), sources=[Source("示例 / 重点任务", f"推进{n}")])
            return n

        themes = []
        for t in range(4):
            goals = [Goal(id=f"g{t}-{g}", label=Text(f"{region}{year}年板块{t}目标{g}"),
                          targets=[Target(id=f"g{t}-{g}-{x}", label=Text(f"指标{x}达到{x + 1}0%"), value=None) for x in range(4)])
                     for g in range(3)]
            tasks = []
            for k in range(5):
                subs = []
                for s in range(6):
                    kinds = [rnd.choice(("Company", "Site", "Site", "Reform", "Programme", "Event")) for _ in range(rnd.choice((1, 2, 3)))]
                    develops = [name("IndustryCluster")] if rnd.random() < 0.15 else []
                    target = Target(id=f"t{t}-{k}-{s}", label=Text("完成示例工程"))
                    label = Text(f"子任务{t}-{k}-{s}：推进示例工作")
                    subs.append(Task(id=f"t{t}-{k}-{s}", label=label, involves=[name(kind) for kind in kinds], develops=develops, targets=[target]))
                label = Text(f"重点任务{t}-{k}：建设示例体系")
                tasks.append(Task(id=f"t{t}-{k}", label=label, supports=[goals[k % 3].id], subtasks=subs))
            themes.append(Theme(id=f"th{t}", label=Text(f"板块{t}"), goals=goals, tasks=tasks))
        for e in list(entities.values()):
            if e.type == "IndustryCluster":
                e.anchored_by = [name("Company") for _ in range(2)]
        vision = Vision(id="v", label=Text(f"建设示例{region}"))
        title = Text(f"{region}{year}年政府工作报告")
        out.append(Plan(id=pid, title=title, vision=vision, themes=themes, entities=list(entities.values()),
                        spatial=Text(region), issued=f"{year}-01-15"))
    return out


_READY_PROBE = """
(() => { let ready; Object.defineProperty(window, "plangraphReady", { configurable: true,
  get() { return ready; }, set(v) { ready = v; if (v === true) window.plangraphReadyDoneAt = performance.now(); } }); })();
"""

_FOCUS = """(text) => new Promise((resolve) => {
  const t0 = performance.now();
  plangraph.network.once("afterDrawing", () => resolve([performance.now() - t0, plangraph.visibleCount()]));
  plangraph.focus(text, 2);
  plangraph.network.redraw();
})"""


def browser_times(browser: Any, html: str, search: str | None, timeout_ms: int = 120_000) -> dict[str, float]:
    """Seconds to the first drawing, to the ready signal and for one search with a 2-hop focus."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.html"
        path.write_text(html, encoding="utf-8")
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            context.set_offline(True)
            context.add_init_script(_READY_PROBE)
            page = context.new_page()
            page.goto(path.as_uri())
            page.wait_for_function("() => window.plangraphReady === true", timeout=timeout_ms)
            out = {
                "draw": float(page.evaluate("window.plangraphReadyAt")) / 1000.0,
                "ready": float(page.evaluate("window.plangraphReadyDoneAt")) / 1000.0,
            }
            if search:
                ms, shown = page.evaluate(_FOCUS, search)
                out["focus"], out["shown"] = float(ms) / 1000.0, float(shown)
            return out
        finally:
            context.close()


def _figures(html: str) -> tuple[int, int, str | None]:
    """Nodes and edges drawn (one edge per linked pair), and the label of the best-linked node to search for."""
    m = re.search(r'<script type="application/json" id="pg-data">(.*?)</script>', html, re.S)
    if not m:
        return -1, -1, None
    data = json.loads(m.group(1))
    degree: dict[str, int] = {}
    for e in data["edges"]:
        degree[e["from"]] = degree.get(e["from"], 0) + 1
        degree[e["to"]] = degree.get(e["to"], 0) + 1
    nodes = sorted(data["nodes"], key=lambda n: (-degree.get(n["id"], 0), n["id"]))
    return len(nodes), len(data["edges"]), (nodes[0].get("zh") or nodes[0]["label"]) if nodes else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[500, 5000, 10000])
    parser.add_argument("--corpus", type=int, default=150, help="plans in the synthetic corpus (0: none)")
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--no-browser", action="store_true", help="only the Python build time")
    parser.add_argument("--repeat", type=int, default=1, help="browser runs per page; the figures are their median")
    args = parser.parse_args(argv)
    use_browser = not args.no_browser and Path(args.chromium).exists()

    from plangraph.api import load
    from plangraph.graph.build import bind_prefixes, plan_triples
    from plangraph.graph.network import to_networkx
    from plangraph.views.page import TooManyNodes, render, render_network

    def report(name: str, html: str, build: float) -> None:
        nodes, edges, search = _figures(html)
        line = f"{name}: {nodes:,} nodes, {edges:,} edges, build {build:.2f} s"
        if browser is not None:
            runs = [browser_times(browser, html, search) for _ in range(args.repeat)]
            t = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
            line += f", draw {t['draw']:.2f} s, ready {t['ready']:.2f} s"
            if "focus" in t:
                line += f", search+focus {t['focus']:.2f} s ({int(t['shown']):,} shown)"
        line += f", page {len(html.encode('utf-8')) / 1e6:.1f} MB"
        print(line, flush=True)

    playwright = browser = None
    if use_browser:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
    try:
        pg = load()
        graph, ontology = pg.graph(inferred=True), pg.ontology
        render(graph, ontology)  # warm the caches (vis assets, template)
        start = time.perf_counter()
        html = render(graph, ontology)
        report("bundled plan", html, time.perf_counter() - start)
        for n in args.sizes:
            G = synthetic_plan(n)
            start = time.perf_counter()
            html = render_network(G, title=f"synthetic {n}", max_nodes=None)
            report(f"synthetic {n}", html, time.perf_counter() - start)

        if args.corpus:
            from rdflib import Graph

            start = time.perf_counter()
            corpus = bind_prefixes(Graph())
            plans = synthetic_corpus(args.corpus)
            for plan in plans:
                corpus.addN((s, p, o, corpus) for s, p, o in plan_triples(plan))
            made = time.perf_counter() - start
            start = time.perf_counter()
            G = to_networkx(corpus, ontology)
            projected = time.perf_counter() - start
            print(f"corpus: {len(plans)} plans, {len(corpus):,} triples, {len(G):,} nodes, {G.number_of_edges():,} edges "
                  f"(made in {made:.1f} s; projected in {projected:.2f} s)", flush=True)
            from plangraph.graph.network import degree_centrality, select_view

            timings = []
            start = time.perf_counter()
            degree_centrality(G)
            timings.append(f"degree centrality {time.perf_counter() - start:.3f} s")
            for name, view, params in (
                ("plan", "plan", {"plan": plans[0].id}),
                ("region", "region", {"region": "示例00省"}),
                ("neighbourhood", "neighbourhood", {"focus": "https://w3id.org/plangraph/id/示例Company0", "hops": 1}),
                ("top 100", "top", {"k": 100}),
                ("clusters by theme", "clusters", {}),
                ("clusters by company", "clusters", {"group_by": "company"}),
            ):
                start = time.perf_counter()
                size = len(select_view(G, view, **params))
                timings.append(f"{name} {time.perf_counter() - start:.3f} s ({size:,} nodes)")
            print("corpus, selection on the projection: " + ", ".join(timings), flush=True)
            start = time.perf_counter()
            try:
                render(corpus, ontology)
                print("corpus, whole: drawn (under the page's limit)")
            except TooManyNodes as e:
                print(f"corpus, whole: refused in {time.perf_counter() - start:.2f} s: {e}", flush=True)
            popular = "示例Company0"
            cases: list[tuple[str, dict[str, Any]]] = [
                ("plan", {"view": "plan", "plan": plans[0].id}),
                (f"region, {sum(p.spatial == plans[0].spatial for p in plans)} plans", {"view": "region", "region": "示例00省"}),
                (f"neighbourhood of {popular}, 1 hop", {"focus": popular, "hops": 1}),
                ("top 100", {"view": "top", "k": 100}),
                ("clusters by theme", {"view": "clusters"}),
                ("clusters by company", {"view": "clusters", "group_by": "company"}),
            ]
            for name, options in cases:
                start = time.perf_counter()
                try:
                    html = render(corpus, ontology, **options)
                except TooManyNodes as e:
                    print(f"corpus, {name}: refused: {e}", flush=True)
                    continue
                report(f"corpus, {name}", html, time.perf_counter() - start)
    finally:
        if browser is not None:
            browser.close()
        if playwright is not None:
            playwright.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
