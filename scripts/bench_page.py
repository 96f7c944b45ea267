"""Benchmark the dependency page: Python build time and time to first drawing in Chromium.

Usage: python scripts/bench_page.py [--sizes 500 5000] [--chromium /usr/bin/chromium] [--no-browser]

One line per case: the bundled plan, then synthetic plan-shaped graphs (a vision, a few
themes, goals, targets, tasks and sub-tasks, clusters, and many carriers). "build" is the
Python time to render the HTML (for the bundled plan: from the reasoned rdflib graph, with
the networkx projection); "draw" is measured in the page with performance.now(), from the
start of navigation to the first vis-network drawing (``window.plangraphReadyAt``), in
headless Chromium with the network off. No assertions: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

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


def draw_time(html: str, chromium: str, timeout_ms: int = 120_000) -> float:
    """Seconds from navigation start to the first drawing of ``html`` in headless Chromium."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.html"
        path.write_text(html, encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
                context.set_offline(True)
                page = context.new_page()
                page.goto(path.as_uri())
                page.wait_for_function("() => window.plangraphReady === true", timeout=timeout_ms)
                return float(page.evaluate("window.plangraphReadyAt")) / 1000.0
            finally:
                browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[500, 5000])
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--no-browser", action="store_true", help="only the Python build time")
    args = parser.parse_args(argv)
    browser = not args.no_browser and Path(args.chromium).exists()

    from plangraph.api import load
    from plangraph.graph.network import to_networkx
    from plangraph.views.page import render, render_network

    pg = load()
    graph, ontology = pg.graph(inferred=True), pg.ontology
    render(graph, ontology)  # warm the caches (vis assets, template)
    start = time.perf_counter()
    html = render(graph, ontology)
    build = time.perf_counter() - start
    cases = [("bundled plan", to_networkx(graph, ontology), html, build)]
    for n in args.sizes:
        G = synthetic_plan(n)
        start = time.perf_counter()
        html = render_network(G, title=f"synthetic {n}")
        cases.append((f"synthetic {n}", G, html, time.perf_counter() - start))

    for name, G, html, build in cases:
        data = re.search(r'<script type="application/json" id="pg-data">(.*?)</script>', html, re.S)
        edges = len(json.loads(data.group(1))["edges"]) if data else -1  # drawn: one per linked pair
        line = f"{name}: {G.number_of_nodes()} nodes, {edges} edges, build {build:.3f} s"
        if browser:
            line += f", draw {draw_time(html, args.chromium):.2f} s"
        line += f", page {len(html.encode('utf-8')) / 1e6:.1f} MB"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
