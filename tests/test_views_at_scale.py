"""The views of a graph too large to draw whole: one plan, a neighbourhood, the most central
nodes, the industry clusters, one region across years, and the page's refusal of the rest.

The corpus here is small on purpose (the test texts' plans, the bundled plan and two more years
of 江岭省, unreasoned: 527 nodes); the page's limit is lowered to refuse it. How the views
and the page do at 50,000 nodes is measured by ``scripts/bench_page.py``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph

from plangraph.api import PlanGraph
from plangraph.graph.build import ontology_graph, plan_to_graph
from plangraph.graph.iri import ID, entity_iri, plan_iri
from plangraph.graph.network import (
    CARRIER_TYPES,
    GROUP_BY,
    PLAN_ELEMENT_TYPES,
    VIEW_PARAMETERS,
    VIEWS,
    clusters_view,
    degree_centrality,
    find_plan,
    neighbourhood_view,
    plan_nodes,
    plan_view,
    region_plans,
    region_view,
    select_view,
    to_networkx,
    top_view,
)
from plangraph.loaders import load_plan, loads_yaml
from plangraph.views.page import MAX_NODES, TooManyNodes, render, render_network

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "tests" / "texts"

# 江岭省 a year before the test report (tests/texts/provincial-work-report.yaml, 2026), naming two
# of its carriers, and a year before that with no region recorded: only its title names it.
JIANGLING_2025 = """\
plan:
  id: jiangling-2025-report
  title: {zh: 江岭省2025年政府工作报告, en: Jiangling Province government work report 2025}
  spatial: {zh: 江岭省, en: Jiangling Province}
  issued: "2025-01-20"
themes:
  - id: year-2025
    label: {zh: 2025年经济社会发展}
    tasks:
      - id: energy
        label: {zh: 培育壮大新能源产业}
        develops: [新能源产业集群]
        from: {section: 2025年重点工作, quote: 培育壮大新能源产业}
        tasks:
          - id: storage
            label: {zh: 发展新型储能}
            involves: [星河储能科技]
entities:
  - {name: 新能源产业集群, type: IndustryCluster, label: {zh: 新能源产业集群}, anchored_by: [瀚川动力科技],
     from: {section: 2025年重点工作, quote: 依托瀚川动力科技打造新能源产业集群}}
  - {name: 瀚川动力科技, type: Company, label: {zh: 瀚川动力科技}}
  - {name: 星河储能科技, type: Company, label: {zh: 星河储能科技}}
  - {name: 江岭老字号, type: Brand, label: {zh: 江岭老字号}, from: {section: 2024年工作回顾, quote: 江岭老字号焕新}}
"""
JIANGLING_2024 = """\
plan: {id: jiangling-2024-report, title: {zh: 2024年江岭省政府工作报告}}
themes:
  - id: year-2024
    label: {zh: 2024年经济社会发展}
    tasks:
      - {id: lab, label: {zh: 建设江岭实验室}, involves: [江岭实验室]}
entities:
  - {name: 江岭实验室, type: Site, label: {zh: 江岭实验室}}
"""
J2026 = str(plan_iri("jiangling-2026-report"))
J2025 = str(plan_iri("jiangling-2025-report"))
J2024 = str(plan_iri("jiangling-2024-report"))


@pytest.fixture(scope="module")
def plans() -> list[Any]:
    return [load_plan(p) for p in sorted(TEXTS.glob("*.yaml"))] + [
        load_plan(ROOT / "plangraph" / "data" / "taiyuan.yaml"),
        loads_yaml(JIANGLING_2025, "jiangling-2025.yaml"),
        loads_yaml(JIANGLING_2024, "jiangling-2024.yaml"),
    ]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return ontology_graph()


@pytest.fixture(scope="module")
def corpus(plans: list[Any]) -> Graph:
    """The plans' asserted triples merged into one graph, as a folder of plans loads."""
    g = Graph()
    for plan in plans:
        g += plan_to_graph(plan)
    return g


@pytest.fixture(scope="module")
def G(corpus: Graph, ontology: Graph) -> nx.MultiDiGraph:
    return to_networkx(corpus, ontology)


def drawn(html: str) -> set[str]:
    m = re.search(r'<script type="application/json" id="pg-data">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return {n["id"] for n in json.loads(m.group(1))["nodes"]}


def of_type(G: nx.MultiDiGraph, *kinds: str) -> set[str]:
    return {n for n, t in G.nodes(data="type") if t in kinds}


# -- the projection records what the views need ----------------------------------------------


def test_views_are_named_once() -> None:
    assert VIEWS == ("all", "neighbourhood", "top", "plan", "clusters", "region")
    assert tuple(VIEW_PARAMETERS) == VIEWS and GROUP_BY == ("theme", "company")


def test_projection_records_plans_regions_and_years(G: nx.MultiDiGraph) -> None:
    d = G.nodes[J2026]
    assert (d["region"], d["region_en"], d["issued"], d["year"]) == ("江岭省", "Jiangling Province", "2026-01-21", 2026)
    assert G.nodes[J2024]["region"] == "" and G.nodes[J2024]["year"] == 2024  # from the title
    assert G.nodes[str(plan_iri("linhu-district-15th-fyp"))]["year"] == 2026  # 第十五个五年规划
    assert "year" not in G.nodes[str(plan_iri("taiyuan"))]  # nothing gives one
    # an element belongs to its plan; a carrier to every plan it was read from or linked in
    assert G.nodes[str(ID["taiyuan/goal/economic-strength"])]["plans"] == str(plan_iri("taiyuan"))
    assert G.nodes[str(entity_iri("新能源产业集群"))]["plans"].split() == sorted([J2025, J2026])
    anchor = G.nodes[str(entity_iri("瀚川动力科技"))]["plans"].split()  # 2025 by its reified link alone
    assert anchor == sorted([J2025, J2026, str(plan_iri("yunchuan-city"))])
    assert G.nodes[str(entity_iri("江岭实验室"))]["plans"] == J2026  # 2024 gives it no provenance


def test_unreasoned_projection_keeps_the_task_tree(G: nx.MultiDiGraph, taiyuan: PlanGraph) -> None:
    storage, energy = str(ID["jiangling-2025-report/task/storage"]), str(ID["jiangling-2025-report/task/energy"])
    assert [d["property"] for d in G.get_edge_data(energy, storage).values()] == ["hasSubTask"]
    reasoned = taiyuan.to_networkx()  # where the reasoner added the inverse, nothing is repeated
    pairs = [(u, v, k) for u, v, k in reasoned.edges(keys=True)]
    assert len(pairs) == len(set(pairs))
    assert sum(1 for *_, p in reasoned.edges(data="property") if p == "hasSubTask") == 14


# -- one plan ---------------------------------------------------------------------------------


def test_plan_view_is_what_the_plan_asserts(G: nx.MultiDiGraph, plans: list[Any], ontology: Graph) -> None:
    for plan in plans:
        own = set(to_networkx(plan_to_graph(plan), ontology))  # the nodes of its triples alone
        assert plan_nodes(G, plan.id) == own, plan.id
    assert set().union(*(plan_nodes(G, p.id) for p in plans)) == set(G)
    assert set(plan_view(G, "jiangling-2025-report")) == {
        J2025,
        str(ID["jiangling-2025-report/theme/year-2025"]),
        str(ID["jiangling-2025-report/task/energy"]),
        str(ID["jiangling-2025-report/task/storage"]),
        *(str(entity_iri(n)) for n in ("新能源产业集群", "瀚川动力科技", "星河储能科技", "江岭老字号")),
    }  # 江岭老字号 is linked to nothing: its passage names the plan


def test_a_plan_is_named_by_id_iri_curie_or_title(G: nx.MultiDiGraph) -> None:
    for name in ("taiyuan", str(plan_iri("taiyuan")), f"<{plan_iri('taiyuan')}>", "pgid:taiyuan", "全面再现“锦绣太原城”盛景"):
        assert find_plan(G, name) == str(plan_iri("taiyuan"))
    assert find_plan(G, "Jiangling Province government work report 2026") == J2026
    with pytest.raises(ValueError, match=r"no plan is '太原'; the plans \(id and title\): .*taiyuan \(全面再现"):
        find_plan(G, "太原")


def test_plan_view_of_the_reasoned_plan_is_all_of_it(taiyuan: PlanGraph) -> None:
    G = taiyuan.to_networkx()
    assert plan_nodes(G, "taiyuan") == set(G)
    html = taiyuan.draw(view="plan", plan="taiyuan")  # PlanGraph.draw passes the view on
    assert drawn(html) == set(G) and "<title>全面再现“锦绣太原城”盛景 · 依赖关系图</title>" in html


def test_plan_view_without_provenance_follows_the_links() -> None:
    """A graph that records no plans (hand-built, or no provenance): down from the plan node."""
    G = nx.MultiDiGraph([("p", "v"), ("v", "theme"), ("theme", "task"), ("task", "sub"), ("sub", "cluster"),
                         ("cluster", "firm"), ("q", "theme2"), ("theme2", "task2"), ("task2", "cluster"), ("cluster", "firm2")])
    types = {"p": "Plan", "q": "Plan", "v": "Vision", "theme": "Theme", "theme2": "Theme", "task": "Task", "sub": "Task",
             "task2": "Task", "cluster": "IndustryCluster", "firm": "Company", "firm2": "Company"}
    nx.set_node_attributes(G, types, "type")
    assert plan_nodes(G, "p") == {"p", "v", "theme", "task", "sub", "cluster", "firm", "firm2"}
    G.nodes["firm2"]["plans"] = "q"  # its provenance names only the other plan: not p's
    assert plan_nodes(G, "p") == {"p", "v", "theme", "task", "sub", "cluster", "firm"}
    assert plan_nodes(G, "q") == {"q", "theme2", "task2", "cluster", "firm", "firm2"}


# -- a neighbourhood, the top nodes ---------------------------------------------------------------


def test_neighbourhood_view(G: nx.MultiDiGraph) -> None:
    node = str(entity_iri("新能源产业集群"))
    undirected = nx.Graph(G)
    for hops in (0, 1, 2):
        assert set(neighbourhood_view(G, node, hops)) == set(nx.single_source_shortest_path_length(undirected, node, cutoff=hops))
    with pytest.raises(ValueError, match="hops must be a whole number"):
        neighbourhood_view(G, node, -1)
    with pytest.raises(ValueError, match="not on the page"):
        neighbourhood_view(G, "urn:x:none")


def test_degree_centrality_is_networkx_s_on_the_simple_graph(G: nx.MultiDiGraph) -> None:
    expected = nx.degree_centrality(nx.Graph(G))
    got = degree_centrality(G)
    assert got.keys() == expected.keys() and all(abs(got[n] - expected[n]) < 1e-12 for n in got)


def test_top_view(G: nx.MultiDiGraph) -> None:
    score = degree_centrality(G)
    alone = top_view(G, k=10, context=0)
    assert len(alone) == 10
    assert min(score[n] for n in alone) >= max(score[n] for n in set(G) - set(alone))
    with_context = top_view(G, k=10, context=2)
    assert set(alone) < set(with_context) and len(with_context) <= 30
    undirected = nx.Graph(G)
    for n in set(with_context) - set(alone):
        assert any(m in alone for m in undirected.neighbors(n))  # every extra node is a ranked node's neighbour
    assert set(with_context.edges(keys=True)) == set(G.subgraph(with_context).edges(keys=True))
    companies = top_view(G, k=5, context=0, classes=["Company"])
    assert {G.nodes[n]["type"] for n in companies} == {"Company"} and len(companies) == 5
    assert set(top_view(G, k=5)) == set(top_view(G.copy(), k=5))  # ties broken the same way
    for bad in ({"k": 0}, {"k": 2.5}, {"context": -1}):
        with pytest.raises(ValueError, match="must be a whole number"):
            top_view(G, **bad)
    with pytest.raises(ValueError, match="unknown Compnay; known: Plan, Vision"):
        top_view(G, classes=["Compnay"])


# -- the clusters ---------------------------------------------------------------------------------


def test_clusters_by_theme(G: nx.MultiDiGraph) -> None:
    H = clusters_view(G)
    clusters = of_type(G, "IndustryCluster")
    assert of_type(H, "IndustryCluster") == clusters  # every cluster, grouped or not
    assert {G.nodes[n]["type"] for n in H} == {"IndustryCluster", "Theme", "Plan"}
    for u, v, d in H.edges(data=True):
        if H.nodes[u]["type"] == "Plan":  # a theme under its plan
            assert d["property"] == "hasTheme" and G.nodes[v]["plans"] == u
            continue
        # a derived edge theme -> cluster: each task it names is below the theme and links the cluster
        assert d["property"] in ("develops", "involves") and d["via"]
        below = nx.descendants(G, u)
        for task in d["via"].split():
            assert task in below and G.has_edge(task, v)
    theme = str(ID["jiangling-2025-report/theme/year-2025"])
    assert H.has_edge(J2025, theme) and H.has_edge(theme, str(entity_iri("新能源产业集群")))  # via the key task
    assert H[theme][str(entity_iri("新能源产业集群"))]["develops"]["via"] == str(ID["jiangling-2025-report/task/energy"])
    taiyuan_themes = {t for t in of_type(H, "Theme") if t.startswith(str(ID["taiyuan/"]))}
    assert taiyuan_themes and all(H.has_edge(str(plan_iri("taiyuan")), t) for t in taiyuan_themes)  # through the vision


def test_clusters_by_company(G: nx.MultiDiGraph) -> None:
    H = clusters_view(G, group_by="company")
    assert of_type(H, "IndustryCluster") == of_type(G, "IndustryCluster")
    assert {G.nodes[n]["type"] for n in H} == {"IndustryCluster", "Company"}
    anchors = {(u, v) for u, v, p in G.edges(data="property") if p == "anchoredBy" and G.nodes[v]["type"] == "Company"}
    assert set(H.edges()) == anchors and anchors
    with pytest.raises(ValueError, match="group_by must be one of theme, company"):
        clusters_view(G, group_by="site")


# -- one region across years ----------------------------------------------------------------------


def test_region_plans_in_year_order(G: nx.MultiDiGraph) -> None:
    assert region_plans(G, "江岭省") == [J2024, J2025, J2026]  # 2024 only by its title
    assert region_plans(G, "江岭") == [J2024, J2025, J2026]
    assert region_plans(G, "jiangling province") == [J2025, J2026]  # 2024's title is in Chinese only
    assert region_plans(G, "太原") == [str(plan_iri("taiyuan"))]
    assert region_plans(G, "临湖区") == [str(plan_iri("linhu-district-15th-fyp"))]  # not 云川市's plan
    with pytest.raises(ValueError, match=r"no plan covers the region '江苏省'; the regions: 临湖区, 云川市, 太原市, 江岭省, 青岚县$"):
        region_plans(G, "江苏省")


def test_region_view_puts_the_years_side_by_side(G: nx.MultiDiGraph) -> None:
    R = region_view(G, "江岭省")
    assert set(R) == plan_nodes(G, J2024) | plan_nodes(G, J2025) | plan_nodes(G, J2026)
    assert of_type(R, "Plan") == {J2024, J2025, J2026}
    shared = str(entity_iri("新能源产业集群"))  # named in 2025 and 2026: one node, linked from both years
    assert {G.nodes[u]["plans"] for u in R.predecessors(shared)} == {J2025, J2026}
    from plangraph.views.page import layout

    pos = layout(R)
    assert pos[J2024][0] < pos[J2025][0] < pos[J2026][0]  # left to right by year


# -- the page draws a view, or refuses ---------------------------------------------------------------


def test_render_draws_each_view(corpus: Graph, ontology: Graph, G: nx.MultiDiGraph) -> None:
    cases: list[tuple[dict[str, Any], set[str], str]] = [
        ({}, set(G), "7 份规划 · 依赖关系图"),
        ({"view": "plan", "plan": "jiangling-2025-report"}, plan_nodes(G, J2025), "江岭省2025年政府工作报告 · 依赖关系图"),
        ({"focus": "新能源产业集群", "hops": 1}, set(neighbourhood_view(G, str(entity_iri("新能源产业集群")), 1)), "7 份规划 · 依赖关系图"),
        ({"view": "top", "k": 12}, set(top_view(G, k=12)), "度中心性前 12 的节点 · 依赖关系图"),
        ({"view": "clusters"}, set(clusters_view(G)), "产业集群 · 按板块"),
        ({"view": "clusters", "group_by": "company"}, set(clusters_view(G, "company")), "产业集群 · 按龙头企业"),
        ({"view": "region", "region": "江岭"}, set(region_view(G, "江岭")), "江岭省 · 2024–2026年 · 依赖关系图"),
    ]
    for options, nodes, title in cases:
        html = render(corpus, ontology, **options)
        assert drawn(html) == nodes, options
        assert f"<title>{title}</title>" in html, options
    assert drawn(render(corpus, ontology, view="neighbourhood", focus="新能源产业集群", hops=1)) == cases[2][1]
    companies = drawn(render(corpus, ontology, view="top", k=4, classes=["Company"]))  # ranked among companies
    assert len(companies) == 4 and {G.nodes[n]["type"] for n in companies} == {"Company"}
    plan_tasks = drawn(render(corpus, ontology, view="plan", plan="taiyuan", classes=["Task"]))
    assert plan_tasks == {n for n in plan_nodes(G, "taiyuan") if G.nodes[n]["type"] == "Task"}


def test_render_checks_the_view_and_its_parameters(corpus: Graph, ontology: Graph) -> None:
    with pytest.raises(ValueError, match=r"unknown view 'tops'; the views: all, neighbourhood, top, plan, clusters, region"):
        render(corpus, ontology, view="tops")
    with pytest.raises(ValueError, match=r"view 'top' takes no plan \(its parameters: k, context\)"):
        render(corpus, ontology, view="top", plan="taiyuan")
    with pytest.raises(ValueError, match=r"view 'all' takes no k \(it takes none\)"):
        render(corpus, ontology, k=5)
    with pytest.raises(ValueError, match=r"view 'plan' needs plan="):
        render(corpus, ontology, view="plan")
    with pytest.raises(ValueError, match="no plan is 'nowhere'"):
        render(corpus, ontology, view="plan", plan="nowhere")
    with pytest.raises(ValueError, match="takes no plan"):
        select_view(nx.MultiDiGraph(), "clusters", plan="x")


def test_the_page_refuses_more_than_it_draws(corpus: Graph, ontology: Graph, G: nx.MultiDiGraph) -> None:
    with pytest.raises(TooManyNodes) as refused:
        render(corpus, ontology, max_nodes=100)
    e = refused.value
    assert isinstance(e, ValueError) and (e.nodes, e.limit, e.view) == (len(G), 100, "all")
    assert str(e) == (
        f"the graph has {len(G):,} nodes, more than the page draws (100): draw one plan (view='plan', plan=…), "
        "a neighbourhood (focus=…, hops=…), the top nodes (view='top', k=…) or the clusters (view='clusters'), "
        "or keep fewer classes (classes=…)"
    )
    size = len(region_view(G, "江岭省"))
    with pytest.raises(TooManyNodes, match=rf"^the selection \(view='region'\) has {size} nodes, more than the page draws \(50\)"):
        render(corpus, ontology, view="region", region="江岭省", max_nodes=50)
    assert drawn(render(corpus, ontology, view="region", region="江岭省", max_nodes=size)) == set(region_view(G, "江岭省"))
    carriers = {n for n, t in G.nodes(data="type") if t in CARRIER_TYPES}
    with pytest.raises(TooManyNodes, match=f"has {len(carriers)} nodes"):  # what the classes keep is what counts
        render(corpus, ontology, classes=list(CARRIER_TYPES), max_nodes=len(carriers) - 1)
    elements = {n for n, t in G.nodes(data="type") if t in PLAN_ELEMENT_TYPES}
    assert len(drawn(render(corpus, ontology, classes=list(PLAN_ELEMENT_TYPES), max_nodes=len(elements)))) == len(elements)


def test_render_network_refuses_beyond_max_nodes() -> None:
    big = nx.MultiDiGraph()
    big.add_nodes_from((f"n{i}", {"type": "Site", "label": f"场所{i}"}) for i in range(MAX_NODES + 1))
    with pytest.raises(TooManyNodes, match=f"has {MAX_NODES + 1:,} nodes, more than the page draws \\({MAX_NODES:,}\\)"):
        render_network(big)
    small = big.subgraph([f"n{i}" for i in range(50)]).copy()
    assert len(drawn(render_network(small, max_nodes=50))) == 50
    with pytest.raises(TooManyNodes):
        render_network(small, max_nodes=49)
