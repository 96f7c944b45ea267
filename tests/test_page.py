"""The interactive dependency page: offline HTML, layout, focus and class filters, escaping,
and (marked ``browser``) the page in a real headless Chromium with the network off."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any, Iterator

import networkx as nx
import pytest

from plangraph.api import PlanGraph
from plangraph.graph.iri import entity_iri
from plangraph.views.page import GENERIC_PROPERTIES, MAX_NODES, layout, render, render_network, select, wrap_label

HOSTILE = '<script>window.pwned=1</script> href="x"'
TAIGANG = str(entity_iri("太钢"))


# -- helpers ---------------------------------------------------------------------------


def page_data(html: str) -> dict[str, Any]:
    """The JSON the page draws from."""
    m = re.search(r'<script type="application/json" id="pg-data">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def drawn_ids(html: str) -> set[str]:
    return {n["id"] for n in page_data(html)["nodes"]}


@pytest.fixture(scope="module")
def G(taiyuan: PlanGraph) -> nx.MultiDiGraph:
    return taiyuan.to_networkx()


@pytest.fixture(scope="module")
def page(taiyuan: PlanGraph) -> str:
    return taiyuan.draw()


def hostile_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("urn:x:vision", type="Vision", label="愿景")
    G.add_node(
        "urn:x:evil",
        type="Company",
        label=HOSTILE,
        label_en="</script><img src=x onerror=window.pwned=2>",
        aliases="\u2028'\"&amp;",
        section="<b>section</b>",
        quote="<!-- quote --> <script>window.pwned=3</script>",
        definition="<i>definition</i>",
    )
    G.add_node("urn:x:odd", type="<img src=x onerror=window.pwned=4>", label="odd class")
    G.add_edge("urn:x:vision", "urn:x:evil", key="involves", property="involves", label="<b>涉及</b>")
    G.add_edge("urn:x:vision", "urn:x:odd", key="mentions", property="mentions", label="提及")
    return G


def synthetic_plan(n: int, seed: int = 7) -> nx.MultiDiGraph:
    """A plan-shaped graph of ``n`` nodes: vision, themes, goals, tasks, sub-tasks, many carriers."""
    rnd = random.Random(seed)
    G = nx.MultiDiGraph()

    def add(kind: str, i: int) -> str:
        G.add_node(f"{kind}/{i}", type=kind, label=f"{kind}{i}号")
        return f"{kind}/{i}"

    vision = add("Vision", 0)
    themes = [add("Theme", i) for i in range(4)]
    goals = [add("Goal", i) for i in range(12)]
    tasks = [add("Task", i) for i in range(30)]
    subtasks = [add("Task", 100 + i) for i in range(120)]
    for t in themes:
        G.add_edge(vision, t, property="hasTheme")
    for i, g in enumerate(goals):
        G.add_edge(themes[i % 4], g, property="hasGoal")
    for i, t in enumerate(tasks):
        G.add_edge(goals[i % 12], t, property="supportedBy")
    for i, s in enumerate(subtasks):
        G.add_edge(tasks[i % 30], s, property="hasSubTask")
    kinds = ("Company", "Site", "Reform", "Programme")
    i = 0
    while len(G) < n:
        c = add(kinds[i % 4], i)
        for _ in range(rnd.choice((1, 2, 3))):
            G.add_edge(rnd.choice(subtasks), c, property="involves")
        i += 1
    return G


# -- offline, self-contained HTML -----------------------------------------------------------

EXTERNAL = [
    re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"@import", re.I),
    re.compile(r"<link\b", re.I),
    re.compile(r"<script[^>]*\bsrc\s*=", re.I),
]


def test_page_has_no_external_resources(page: str) -> None:
    for pattern in EXTERNAL:
        assert not pattern.search(page), pattern.pattern
    assert "default-src 'none'" in page  # the CSP forbids loading anything


def test_vis_network_is_inlined(page: str) -> None:
    assert "@version 9.1.2" in page and "vis-network" in page
    assert "new vis.Network(" in page
    assert "div.vis-tooltip" in page  # vis-network's stylesheet
    assert page.count("</script>") == 3  # data, vis-network, the page's own script


def test_node_count_matches_the_projection(page: str, G: nx.MultiDiGraph) -> None:
    data = page_data(page)
    assert drawn_ids(page) == set(G)
    assert len(data["nodes"]) == G.number_of_nodes()
    assert f"{G.number_of_nodes()} 个节点" in page


def test_edges_are_merged_per_pair(page: str, G: nx.MultiDiGraph) -> None:
    edges = page_data(page)["edges"]
    pairs = [(e["from"], e["to"]) for e in edges]
    assert len(pairs) == len(set(pairs)) == len({(u, v) for u, v in G.edges()})
    for e in edges:
        if len(e["props"]) > 1 or e["props"][0] in GENERIC_PROPERTIES:
            # a generic super-property survives only where nothing more specific links the pair
            specific = {d["property"] for d in G.get_edge_data(e["from"], e["to"]).values()} - GENERIC_PROPERTIES
            assert not specific or not set(e["props"]) & GENERIC_PROPERTIES
        assert e["label"]  # the zh label of the property


def test_classes_have_styles_and_legend(page: str, G: nx.MultiDiGraph) -> None:
    data = page_data(page)
    kinds = {d["type"] for _, d in G.nodes(data=True)}
    assert {c["name"] for c in data["classes"]} == kinds
    assert set(data["options"]["groups"]) == {c["group"] for c in data["classes"]}
    for c in data["classes"]:
        assert f'data-class="{c["name"]}"' in page
        assert c["zh"] and c["count"] == sum(1 for _, d in G.nodes(data=True) if d["type"] == c["name"])
    assert data["options"]["physics"] == {"enabled": False}


def test_tooltip_fields_travel_with_the_nodes(page: str, G: nx.MultiDiGraph) -> None:
    node = next(n for n in page_data(page)["nodes"] if n["id"] == TAIGANG)
    d = G.nodes[TAIGANG]
    assert node["en"] == d["label_en"] and node["section"] == d["section"] and node["quote"] == d["quote"]
    assert (node.get("zh") or node["label"]) == d["label"]
    company = next(c for c in page_data(page)["classes"] if c["name"] == "Company")
    assert company["definition"] == d["definition"] and company["en"] == "company"


# -- layout ----------------------------------------------------------------------------------


def _y_range(html: str, kind: str, G: nx.MultiDiGraph) -> tuple[float, float]:
    ys = [n["y"] for n in page_data(html)["nodes"] if G.nodes[n["id"]]["type"] == kind]
    return min(ys), max(ys)


def test_layout_reads_top_down(page: str, G: nx.MultiDiGraph) -> None:
    order = ["Vision", "Theme", "Goal", "Target", "IndustryCluster", "Company"]
    ranges = [_y_range(page, k, G) for k in order]
    for (_, upper_max), (lower_min, _) in zip(ranges, ranges[1:]):
        assert upper_max < lower_min
    tasks = _y_range(page, "Task", G)
    assert ranges[3][1] < tasks[0] and tasks[1] < ranges[4][0]
    ys = {n["id"]: n["y"] for n in page_data(page)["nodes"]}
    for u, v, d in G.edges(data=True):
        if d["property"] == "hasSubTask":
            assert ys[u] < ys[v]  # sub-tasks below their task


def test_layout_keeps_nodes_apart(page: str) -> None:
    nodes = page_data(page)["nodes"]
    seen = {(round(n["x"]), round(n["y"])) for n in nodes}
    assert len(seen) == len(nodes)
    rows: dict[float, list[float]] = {}
    for n in nodes:
        rows.setdefault(n["y"], []).append(n["x"])
    for xs in rows.values():
        xs.sort()
        assert all(b - a >= 20 for a, b in zip(xs, xs[1:]))


def test_layout_scales_to_thousands_of_nodes() -> None:
    G = synthetic_plan(5000)
    html = render_network(G, title="big")  # speed is measured by scripts/bench_page.py, not asserted here
    data = page_data(html)
    assert len(data["nodes"]) == 5000
    assert data["options"]["edges"]["smooth"] is False  # straight edges draw faster
    pos = layout(synthetic_plan(300))
    assert pos["Vision/0"][1] < min(y for n, (x, y) in pos.items() if n.startswith("Company"))


def test_render_is_deterministic(taiyuan: PlanGraph) -> None:
    assert taiyuan.draw() == taiyuan.draw()


def test_wrap_label() -> None:
    assert wrap_label("太钢", 6) == ["太钢"]
    lines = wrap_label("在新基建、新技术、新材料、新装备、新产品、新业态上实现重大突破", 6)
    assert len(lines) == 4 and lines[-1].endswith("…")
    assert all(not line.startswith(("，", "、", "”")) for line in wrap_label("“百家基地、红色太原”爱国主义教育工程", 5))


# -- focus and class options -------------------------------------------------------------------


def test_focus_keeps_the_neighbourhood(taiyuan: PlanGraph, G: nx.MultiDiGraph) -> None:
    undirected = nx.Graph(G)
    one = drawn_ids(taiyuan.draw(focus=TAIGANG, hops=1))
    assert one == {TAIGANG, *undirected.neighbors(TAIGANG)}
    two = drawn_ids(taiyuan.draw(focus=TAIGANG, hops=2))
    assert two == set(nx.single_source_shortest_path_length(undirected, TAIGANG, cutoff=2))
    assert one < two < set(G)
    assert drawn_ids(taiyuan.draw(focus=TAIGANG, hops=0)) == {TAIGANG}
    assert drawn_ids(taiyuan.draw(focus="太钢", hops=1)) == one  # by zh label
    page = taiyuan.draw(focus=TAIGANG, hops=3)
    assert page_data(page)["selected"] == [TAIGANG] and 'value="3"' in page


def test_classes_restrict_the_nodes(taiyuan: PlanGraph, G: nx.MultiDiGraph) -> None:
    wanted = {"Goal", "Task", "Company"}
    ids = drawn_ids(taiyuan.draw(classes=sorted(wanted)))
    assert ids == {n for n, d in G.nodes(data=True) if d["type"] in wanted}
    assert drawn_ids(taiyuan.draw(classes="Company")) == {n for n, d in G.nodes(data=True) if d["type"] == "Company"}
    both = drawn_ids(taiyuan.draw(focus=TAIGANG, hops=2, classes=["Goal"]))
    assert TAIGANG in both and all(G.nodes[n]["type"] == "Goal" for n in both - {TAIGANG})


def test_bad_options_are_refused(taiyuan: PlanGraph) -> None:
    with pytest.raises(ValueError, match="no node"):
        taiyuan.draw(focus="没有这个节点")
    with pytest.raises(ValueError, match="unknown Compnay; known: Plan, Vision"):
        taiyuan.draw(classes=["Compnay"])
    with pytest.raises(ValueError, match="hops"):
        taiyuan.draw(focus=TAIGANG, hops=-1)


def test_select_and_physics() -> None:
    G = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, "Task", "type")
    assert sorted(select(G, focus="c", hops=1)) == ["b", "c"]
    assert page_data(render_network(G, physics=True))["options"]["physics"]["enabled"] is True


def test_draw_writes_the_page(taiyuan: PlanGraph, G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "plan.html"
    html = taiyuan.draw(out, classes=["Theme", "Goal"])
    assert out.read_text(encoding="utf-8") == html
    assert html == render(taiyuan.graph(inferred=True), taiyuan.ontology, classes=["Theme", "Goal"])
    plan = next(d["label"] for _, d in G.nodes(data=True) if d["type"] == "Plan")
    assert f"<title>{plan} · 依赖关系图</title>" in html
    assert "<title>规划</title>" in render(taiyuan.graph(), taiyuan.ontology, title="规划")


# -- escaping ------------------------------------------------------------------------------------


def test_hostile_text_is_escaped() -> None:
    html = render_network(hostile_graph(), title=HOSTILE)
    assert "window.pwned" in html  # it is there, as data ...
    for raw in ("<script>window.pwned", "</script> href", "<img src=x", "<b>section", "<!-- quote", "<i>definition"):
        assert raw not in html, raw  # ... but never as markup
    assert html.count("</script>") == 3 and html.count("<img") == 0
    assert "\u2028" not in html
    assert f"<title>{HOSTILE.replace('<', '&lt;').replace('>', '&gt;').replace(chr(34), '&#34;')}</title>" in html
    data = page_data(html)  # and the text comes back intact
    evil = next(n for n in data["nodes"] if n["id"] == "urn:x:evil")
    assert (evil.get("zh") or evil["label"]) == HOSTILE and evil["aliases"] == "\u2028'\"&amp;"
    assert 'data-class="&lt;img src=x onerror=window.pwned=4&gt;"' in html


# -- in a real browser ----------------------------------------------------------------------------


class Opened:
    """A page loaded from a file:// URL with the network off, and what it tried and said."""

    def __init__(self, browser: Any, path: Path):
        self.external: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.context.route("**/*", self._route)
        self.context.set_offline(True)
        self.page = self.context.new_page()
        self.page.on("request", self._request)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("() => window.plangraphReady === true", timeout=30_000)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def _request(self, request: Any) -> None:
        url = request.url
        if not url.startswith(("file:", "data:")) and url not in self.external:  # data: URLs are not network
            self.external.append(url)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def opened(browser: Any, page: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opened]:
    path = tmp_path_factory.mktemp("page") / "plan.html"
    path.write_text(page, encoding="utf-8")
    o = Opened(browser, path)
    yield o
    o.close()


VISIBLE = "plangraph.nodes.get().filter(n => !n.hidden).map(n => n.id)"


@pytest.mark.browser
def test_bundled_plan_draws_offline(opened: Opened, G: nx.MultiDiGraph) -> None:
    assert opened.js("plangraph.nodes.length") == G.number_of_nodes()
    assert opened.js("plangraph.edges.length") == len({(u, v) for u, v in G.edges()})
    assert opened.page.locator("#pg-network canvas").count() == 1
    box = opened.page.locator("#pg-network canvas").bounding_box()
    assert box and box["width"] > 1000 and box["height"] > 500
    assert opened.page.locator("#pg-legend input[data-class]").count() == len({d["type"] for _, d in G.nodes(data=True)})
    assert opened.js("window.plangraphReadyAt") > 0  # drawn; how fast is scripts/bench_page.py's figure
    assert opened.external == []
    assert opened.errors == []


@pytest.mark.browser
def test_legend_filters_classes(opened: Opened, G: nx.MultiDiGraph) -> None:
    companies = {n for n, d in G.nodes(data=True) if d["type"] == "Company"}
    opened.page.locator('#pg-legend input[data-class="Company"]').uncheck()
    assert set(opened.js(VISIBLE)) == set(G) - companies
    assert opened.js("plangraph.visibleCount()") == len(G) - len(companies)
    opened.page.locator('#pg-legend input[data-class="Company"]').check()
    assert len(opened.js(VISIBLE)) == len(G)
    opened.page.locator("#pg-none").click()
    assert opened.js(VISIBLE) == []
    opened.page.locator("#pg-all").click()
    assert len(opened.js(VISIBLE)) == len(G)
    assert opened.errors == []


@pytest.mark.browser
def test_focus_box_shows_the_neighbourhood(opened: Opened, G: nx.MultiDiGraph) -> None:
    undirected = nx.Graph(G)
    opened.page.locator("#pg-hops").fill("1")
    opened.page.locator("#pg-search").fill("太钢")
    opened.page.locator("#pg-focus").click()
    assert set(opened.js(VISIBLE)) == {TAIGANG, *undirected.neighbors(TAIGANG)}
    assert opened.js("plangraph.network.getSelectedNodes()") == [TAIGANG]
    opened.page.locator("#pg-hops").fill("2")
    opened.page.locator("#pg-search").press("Enter")
    assert set(opened.js(VISIBLE)) == set(nx.single_source_shortest_path_length(undirected, TAIGANG, cutoff=2))
    opened.page.locator("#pg-reset").click()
    assert len(opened.js(VISIBLE)) == len(G)
    opened.page.locator("#pg-search").fill("没有这个节点")
    opened.page.locator("#pg-focus").click()
    assert "未找到" in opened.page.locator("#pg-status").inner_text()
    assert len(opened.js(VISIBLE)) == len(G)
    assert opened.errors == [] and opened.external == []


@pytest.mark.browser
def test_hostile_label_stays_text(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(render_network(hostile_graph(), title=HOSTILE), encoding="utf-8")
    o = Opened(browser, path)
    try:
        assert o.js("typeof window.pwned") == "undefined"
        assert o.js("document.title") == HOSTILE
        assert o.page.locator("#pg-bar h1").inner_text() == HOSTILE
        assert "<img src=x onerror=window.pwned=4>" in o.page.locator("#pg-legend").inner_text()
        assert o.page.locator("img").count() == 0 and o.page.locator("script").count() == 3
        # hover the hostile node: vis-network shows its tooltip, with the label as plain text
        x, y = o.js(
            """() => { const p = plangraph.network.canvasToDOM(plangraph.network.getPosition('urn:x:evil'));
                       const r = document.querySelector('#pg-network').getBoundingClientRect();
                       return [r.left + p.x, r.top + p.y]; }"""
        )
        o.page.mouse.move(x - 40, y - 40)
        o.page.mouse.move(x, y, steps=4)
        tip = o.page.locator("div.vis-tooltip")
        tip.wait_for(state="visible", timeout=5_000)
        text = tip.inner_text()
        assert HOSTILE in text
        assert "</script><img src=x onerror=window.pwned=2>" in text
        assert "<script>window.pwned=3</script>" in text and "<i>definition</i>" in text
        assert tip.locator("script, img, b, i").count() == 0
        o.page.locator("#pg-hops").fill("1")
        o.page.locator("#pg-search").fill(HOSTILE)
        o.page.locator("#pg-search").press("Enter")
        assert o.js(VISIBLE + ".sort()") == ["urn:x:evil", "urn:x:vision"]
        assert o.js("typeof window.pwned") == "undefined"
        assert o.errors == [] and o.external == []
    finally:
        o.close()


@pytest.mark.browser
def test_the_largest_page_loads_and_responds(browser: Any, tmp_path: Path) -> None:
    """A page of MAX_NODES nodes, the most render draws, becomes ready and its search, focus and
    legend work (how fast is scripts/bench_page.py's figure, not asserted here)."""
    G = synthetic_plan(MAX_NODES)
    path = tmp_path / "largest.html"
    path.write_text(render_network(G, title="largest"), encoding="utf-8")
    o = Opened(browser, path)  # waits for the page's ready signal
    try:
        assert o.js("plangraph.nodes.length") == MAX_NODES
        assert o.js("plangraph.edges.length") == len({(u, v) for u, v in G.edges()})
        task = "Task/7"
        o.page.locator("#pg-hops").fill("1")
        o.page.locator("#pg-search").fill(G.nodes[task]["label"])
        o.page.locator("#pg-search").press("Enter")
        around = {task, *nx.Graph(G).neighbors(task)}
        assert set(o.js(VISIBLE)) == around and o.js("plangraph.network.getSelectedNodes()") == [task]
        assert o.page.locator("#pg-status").inner_text().startswith(f"显示 {len(around)} / {MAX_NODES} 个节点")
        o.page.locator("#pg-reset").click()
        assert o.js("plangraph.visibleCount()") == MAX_NODES
        sites = sum(1 for _, t in G.nodes(data="type") if t == "Site")
        o.page.locator('#pg-legend input[data-class="Site"]').uncheck()
        assert o.js("plangraph.visibleCount()") == MAX_NODES - sites
        assert o.errors == [] and o.external == []
    finally:
        o.close()
