"""A networkx projection of the plan graph, for analysis and drawing, and the views of it a page can draw.

Nodes are the plan's elements and carriers; edges are the dependency links (the
sub-properties of ``pg:dependsOn``), drawn from the upper element to the lower one.

A corpus of hundreds of plans projects onto tens of thousands of nodes, more than anyone reads
on one page. The views (:data:`VIEWS`) each pick a readable part of the projection and return
it as a graph of the same shape: everything (``all``), the ``neighbourhood`` of an entity, the
``top`` nodes by degree centrality, one ``plan``, the industry ``clusters`` by pillar or by
company, and one ``region`` across years. :func:`select_view` calls one by name.

>>> from plangraph.api import load
>>> G = load().to_networkx()
>>> G.nodes[str(entity_iri("太钢"))]["type"]
'Company'
>>> ranking = carrier_ranking(G)
>>> ranking[0]["type"] in ("Company", "Site", "Reform", "Programme", "IndustryCluster", "Designation", "Event", "Brand")
True
"""

from __future__ import annotations

import heapq
import re
from collections import deque
from typing import Any, Iterable

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from ..ontology.terms import inverse, subclasses, subproperties
from .iri import ID, PG, entity_iri

__all__ = [
    "to_networkx",
    "node_type",
    "carrier_ranking",
    "dependencies",
    "degree_centrality",
    "check_classes",
    "find_plan",
    "plan_nodes",
    "region_plans",
    "neighbourhood_view",
    "top_view",
    "plan_view",
    "clusters_view",
    "region_view",
    "select_view",
    "check_view",
    "TYPE_ORDER",
    "DEPENDENCY_PROPERTIES",
    "PLAN_ELEMENT_TYPES",
    "CARRIER_TYPES",
    "VIEWS",
    "VIEW_PARAMETERS",
    "GROUP_BY",
]

#: Classes from the most specific to the most general: a node's type is the first it has.
TYPE_ORDER: tuple[str, ...] = ("Plan", *subclasses("PlanElement"), *subclasses("Carrier"))

#: The dependency properties drawn as edges (upper element first): the ontology's sub-properties
#: of pg:dependsOn. pg:dependsOn itself and the inverse properties are left out: they repeat these edges.
DEPENDENCY_PROPERTIES: tuple[URIRef, ...] = tuple(PG[p] for p in subproperties("dependsOn"))

# The builder asserts some of these in the upward direction (a sub-task names its parent, a task
# the goals it supports); the reasoner adds the downward inverse. Projecting every inverse of a
# dependency property reversed keeps the tree and the supports links in a graph that was not
# reasoned, and repeats nothing in one that was (the edge key is the same).
_ASSERTED_INVERSES: tuple[tuple[URIRef, URIRef], ...] = tuple(
    (PG[up], down) for down in DEPENDENCY_PROPERTIES
    if (up := inverse(down.rsplit("#", 1)[-1])) is not None and PG[up] not in DEPENDENCY_PROPERTIES
)

#: The plan's own elements (scoped by the plan: pgid:<plan>/goal/...), the plan included.
PLAN_ELEMENT_TYPES: tuple[str, ...] = ("Plan", *subclasses("PlanElement"))

#: The carriers: entities shared by every plan that names them.
CARRIER_TYPES: tuple[str, ...] = subclasses("Carrier")


def node_type(types: Iterable[URIRef]) -> str | None:
    """The most specific plangraph class among ``types``.

    >>> node_type([PG.Actor, PG.Company, PG.Carrier])
    'Company'
    """
    local = {str(t)[len(str(PG)) :] for t in types if str(t).startswith(str(PG))}
    for name in TYPE_ORDER:
        if name in local:
            return name
    return None


def _label(graph: Graph, node: URIRef, lang: str) -> str:
    for value in graph.objects(node, RDFS.label):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return ""


def to_networkx(graph: Graph, ontology: Graph | None = None, properties: Iterable[URIRef] = DEPENDENCY_PROPERTIES) -> nx.MultiDiGraph:
    """Project ``graph`` onto a MultiDiGraph keyed by IRI string.

    Node attributes: ``type``, ``label`` (zh), ``label_en``, ``definition`` (of the type, en),
    ``quote`` and ``section`` (first provenance passage), ``aliases``, and ``plans``: the IRIs of
    the plans the node belongs to, space-separated (an element's ``pg:partOfPlan``; for a
    carrier, the plans of the passages it was read from and of the reified statements that
    link it; empty when the graph does not say).
    Plan nodes also have ``region`` and ``region_en`` (``dcterms:coverage``), ``issued``
    (``dcterms:issued``) and, when the plan's metadata gives one, ``year`` (see :func:`_plan_year`).
    Edge attributes: ``property`` (local name) and ``label`` (zh label of the property).
    ``pg:subTaskOf`` and ``pg:supports``, which plans assert upwards, are drawn as their inverses
    ``hasSubTask`` and ``supportedBy``, so an unreasoned graph keeps its task tree.
    """
    G = nx.MultiDiGraph()
    properties = tuple(properties)
    prop_labels: dict[URIRef, str] = {}
    definitions: dict[str, str] = {}
    if ontology is not None:
        for p in properties:
            prop_labels[p] = _label(ontology, p, "zh") or str(p).rsplit("#", 1)[-1]
        for name in TYPE_ORDER:
            for d in ontology.objects(PG[name], SKOS.definition):
                if isinstance(d, Literal) and d.language == "zh":
                    definitions[name] = str(d)
    types: dict[URIRef, set[URIRef]] = {}
    for s, o in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            types.setdefault(s, set()).add(o)
    kinds = {node: kind for node, kind in ((n, node_type(ts)) for n, ts in types.items()) if kind is not None}

    # One pass per property rather than look-ups per node: a store answers a few large
    # requests much faster than hundreds of thousands of small ones (a corpus of 500,000
    # triples projects in a third of the time).
    labels: dict[URIRef, dict[str | None, str]] = {}
    for s, o in graph.subject_objects(RDFS.label):
        if s in kinds and isinstance(o, Literal):
            labels.setdefault(s, {}).setdefault(o.language, str(o))  # type: ignore[arg-type]
    aliases: dict[URIRef, list[str]] = {}
    for s, o in graph.subject_objects(SKOS.altLabel):
        if s in kinds:
            aliases.setdefault(s, []).append(str(o))  # type: ignore[arg-type]
    derived: dict[URIRef, list[URIRef]] = {}
    for s, o in graph.subject_objects(PROV.wasDerivedFrom):
        if s in kinds:
            derived.setdefault(s, []).append(o)  # type: ignore[arg-type, arg-type]
    first_passage = {node: min(ps) for node, ps in derived.items()}
    wanted_passages = set(first_passage.values())
    quotes: dict[URIRef, str] = {}
    sections: dict[URIRef, str] = {}
    for prop, into in ((PG.quote, quotes), (PG.sectionPath, sections)):
        for s, o in graph.subject_objects(prop):
            if s in wanted_passages:
                into.setdefault(s, str(o))  # type: ignore[arg-type]
    part_of: dict[URIRef, set[str]] = {}
    for s, o in graph.subject_objects(PG.partOfPlan):
        if isinstance(o, URIRef):
            part_of.setdefault(s, set()).add(str(o))  # type: ignore[arg-type]
    stated: dict[URIRef, set[str]] = {}  # the plans whose reified links (rdf:Statement) name a node
    for prop in (RDF.subject, RDF.object):
        for st, o in graph.subject_objects(prop):
            if st in part_of and o in kinds:
                stated.setdefault(o, set()).update(part_of[st])  # type: ignore[arg-type, index]

    for node, kind in kinds.items():
        passage = first_passage.get(node)
        plans = set(part_of.get(node, ()))
        if kind == "Plan":
            plans.add(str(node))
        elif not plans:  # a carrier: no plan owns it; the plans it was read from, or that link it, name it
            for p in derived.get(node, ()):
                plans.update(part_of.get(p, ()))
            plans.update(stated.get(node, ()))
        attrs: dict[str, Any] = _plan_metadata(graph, node) if kind == "Plan" else {}
        label = labels.get(node, {})
        G.add_node(
            str(node),
            type=kind,
            label=label.get("zh") or str(node).rsplit("/", 1)[-1],
            label_en=label.get("en", ""),
            definition=definitions.get(kind, ""),
            quote=quotes.get(passage, "") if passage is not None else "",
            section=sections.get(passage, "") if passage is not None else "",
            aliases="、".join(sorted(aliases.get(node, ()))),
            plans=" ".join(sorted(plans)),
            **attrs,
        )
    for p in properties:
        name = str(p).rsplit("#", 1)[-1]
        for s, o in graph.subject_objects(p):
            if str(s) in G and str(o) in G:
                G.add_edge(str(s), str(o), key=name, property=name, label=prop_labels.get(p, name))
    wanted = set(properties)
    for asserted, downward in _ASSERTED_INVERSES:
        if downward not in wanted:
            continue
        name = str(downward).rsplit("#", 1)[-1]
        for s, o in graph.subject_objects(asserted):
            if str(s) in G and str(o) in G:
                G.add_edge(str(o), str(s), key=name, property=name, label=prop_labels.get(downward, name))
    return G


# 第十五个五年规划, “十四五”规划, 十四五时期: the first year of the five-year period
_FIVE_YEAR_PLAN = re.compile(r"第(十[一二三四五六])个五年|“?(十[一二三四五六])五”?(?:规划|时期)")
_FIVE_YEAR_START = {"十一": 2006, "十二": 2011, "十三": 2016, "十四": 2021, "十五": 2026, "十六": 2031}
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=年)")


def _plan_year(issued: str, title: str) -> int | None:
    """The year a plan is for: the year it was issued, else a year its title names (2025年政府工作报告),
    else the first year of the five-year plan the title names (第十五个五年规划 is 2026).

    >>> _plan_year("2026-01-21", ""), _plan_year("", "江岭省2026年政府工作报告"), _plan_year("", "临湖区第十五个五年规划纲要")
    (2026, 2026, 2026)
    >>> _plan_year("", "全面再现“锦绣太原城”盛景") is None
    True
    """
    m = re.match(r"\s*(\d{4})", issued)
    if m:
        return int(m.group(1))
    m = _TITLE_YEAR.search(title)
    if m:
        return int(m.group(1))
    m = _FIVE_YEAR_PLAN.search(title)
    if m:
        return _FIVE_YEAR_START[m.group(1) or m.group(2)]
    return None


def _plan_metadata(graph: Graph, plan: URIRef) -> dict[str, Any]:
    """Region, issue date and year of a plan node, from its Dublin Core metadata."""
    region = {v.language: str(v) for v in graph.objects(plan, DCTERMS.coverage) if isinstance(v, Literal)}
    issued = str(graph.value(plan, DCTERMS.issued) or "")
    title = _label(graph, plan, "zh") or str(graph.value(plan, DCTERMS.title) or "")
    out: dict[str, Any] = {
        "region": region.get("zh") or region.get(None) or "",  # type: ignore[call-overload]
        "region_en": region.get("en", ""),
        "issued": issued,
    }
    year = _plan_year(issued, title)
    if year is not None:  # GraphML has no null: the attribute is left out instead
        out["year"] = year
    return out


def dependencies(G: nx.MultiDiGraph, node: str) -> set[str]:
    """Everything ``node`` depends on, transitively (its descendants in the dependency graph).

    >>> from plangraph.api import load
    >>> G = load().to_networkx()
    >>> goal = "https://w3id.org/plangraph/id/taiyuan/goal/economic-strength"
    >>> str(entity_iri("太钢")) in dependencies(G, goal)
    True
    """
    return set(nx.descendants(G, node))


def carrier_ranking(G: nx.MultiDiGraph, types: Iterable[str] = CARRIER_TYPES) -> list[dict[str, object]]:
    """Carriers ranked by how much of the plan rests on them.

    ``reach`` counts the tasks, goals and themes that depend on the carrier, transitively;
    ``degree`` is its degree centrality and ``betweenness`` its betweenness centrality in the
    undirected dependency graph. Sorted by reach, then betweenness, then label.
    """
    wanted = set(types)
    simple = nx.Graph(G)
    degree = nx.degree_centrality(simple) if len(simple) > 1 else {}
    between = nx.betweenness_centrality(simple) if len(simple) > 2 else {}
    out = []
    for node, data in G.nodes(data=True):
        if data.get("type") not in wanted:
            continue
        upstream = nx.ancestors(G, node)
        reach = sum(1 for n in upstream if G.nodes[n].get("type") in ("Task", "Goal", "Theme"))
        out.append(
            {
                "node": node,
                "label": data.get("label", ""),
                "type": data.get("type"),
                "reach": reach,
                "degree": round(degree.get(node, 0.0), 4),
                "betweenness": round(between.get(node, 0.0), 4),
            }
        )
    out.sort(key=lambda r: (-int(r["reach"]), -float(r["betweenness"]), str(r["label"])))
    return out


# -- views: readable parts of a large graph ------------------------------------------------

#: The views a page can draw, by name (see :func:`select_view` and each ``*_view`` function).
VIEWS: tuple[str, ...] = ("all", "neighbourhood", "top", "plan", "clusters", "region")

#: The keyword parameters each view takes in :func:`select_view`; the first of neighbourhood,
#: plan and region is required.
VIEW_PARAMETERS: dict[str, tuple[str, ...]] = {
    "all": (),
    "neighbourhood": ("focus", "hops"),
    "top": ("k", "context", "classes"),
    "plan": ("plan",),
    "clusters": ("group_by",),
    "region": ("region",),
}

#: How the clusters view groups the industry clusters.
GROUP_BY: tuple[str, ...] = ("theme", "company")

_TYPE_RANK = {name: i for i, name in enumerate(TYPE_ORDER)}


def _whole(value: object, name: str, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValueError(f"{name} must be a whole number >= {least}, not {value!r}")
    return value


def _neighbours(G: nx.Graph, n: str) -> set[str]:
    if G.is_directed():
        out = set(G.succ[n])
        out.update(G.pred[n])
    else:
        out = set(G.adj[n])
    out.discard(n)
    return out


def degree_centrality(G: nx.Graph) -> dict[str, float]:
    """Degree centrality of each node: its distinct neighbours, either direction, over ``n - 1``.

    The same figures as ``nx.degree_centrality(nx.Graph(G))`` without copying the graph, so the
    reasoner's parallel edges (``involves`` beside ``involvesSite``) count once. Linear in the
    size of the graph: under half a second at 58,000 nodes, where PageRank needs SciPy (not a
    dependency of plangraph; networkx has no other PageRank) and betweenness takes hours.

    >>> G = nx.MultiDiGraph([("theme", "a"), ("theme", "b"), ("a", "b"), ("a", "b")])
    >>> degree_centrality(G)
    {'theme': 1.0, 'a': 1.0, 'b': 1.0}
    """
    scale = 1.0 / (len(G) - 1) if len(G) > 1 else 1.0
    return {n: len(_neighbours(G, n)) * scale for n in G}


def check_classes(G: nx.Graph, classes: Iterable[str] | str) -> set[str]:
    """The class names ``classes`` gives (one name or several), each a plangraph class or a type in ``G``.

    >>> sorted(check_classes(nx.MultiDiGraph(), "Company"))
    ['Company']
    """
    wanted = {classes} if isinstance(classes, str) else set(classes)
    known = set(TYPE_ORDER) | {str(t) for _, t in G.nodes(data="type")}
    unknown = wanted - known
    if unknown:
        listed = [c for c in TYPE_ORDER if c in known] + sorted(known - set(TYPE_ORDER))
        raise ValueError(f"unknown {', '.join(sorted(unknown))}; known: {', '.join(listed)}")
    return wanted


def neighbourhood_view(G: nx.MultiDiGraph, focus: str, hops: int = 2) -> nx.MultiDiGraph:
    """The nodes within ``hops`` hops of ``focus`` (a node of ``G``), edges taken either way.

    Parameters: ``focus``, a node (IRI) of ``G``; ``hops``, a whole number >= 0 (default 2).

    >>> G = nx.MultiDiGraph([("goal", "task"), ("task", "site"), ("site", "x")])
    >>> sorted(neighbourhood_view(G, "task", hops=1))
    ['goal', 'site', 'task']
    """
    _whole(hops, "hops", 0)
    if focus not in G:
        raise ValueError(f"{focus} is not on the page: it has no dependency links to draw")
    dist = {focus: 0}
    queue = deque([focus])
    while queue:
        n = queue.popleft()
        if dist[n] == hops:
            continue
        for m in _neighbours(G, n):
            if m not in dist:
                dist[m] = dist[n] + 1
                queue.append(m)
    return G.subgraph(dist).copy()


def top_view(G: nx.MultiDiGraph, k: int = 50, *, context: int = 2, classes: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """The ``k`` most central nodes by :func:`degree_centrality`, with the edges among them.

    Parameters: ``k``, how many nodes to rank in (a whole number >= 1, default 50); ``context``,
    how many of each ranked node's own neighbours to draw beside it, the most central first
    (default 2: a company comes with the tasks that involve it most, a theme with its largest
    tasks; 0 for the ranked nodes alone), so the drawing has at most ``k * (1 + context)`` nodes;
    ``classes``, rank only nodes of these classes (e.g. ``["Company"]``; default every class).
    Ties are broken by class (plan elements first), then label.

    >>> G = nx.MultiDiGraph([("hub", "a"), ("hub", "b"), ("hub", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, "Task", "type")
    >>> sorted(top_view(G, k=1, context=0)), sorted(top_view(G, k=2, context=1))
    (['hub'], ['a', 'c', 'd', 'hub'])
    """
    _whole(k, "k", 1)
    _whole(context, "context", 0)
    score = degree_centrality(G)

    def key(n: str) -> tuple[float, int, str, str]:
        d = G.nodes[n]
        return (-score[n], _TYPE_RANK.get(str(d.get("type")), len(_TYPE_RANK)), str(d.get("label") or ""), n)

    candidates: Iterable[str] = G
    if classes is not None:
        wanted = check_classes(G, classes)
        candidates = [n for n in G if G.nodes[n].get("type") in wanted]
    top = heapq.nsmallest(k, candidates, key=key)
    ranked = set(top)
    keep = set(top)
    if context:
        for n in top:
            keep.update(heapq.nsmallest(context, _neighbours(G, n) - ranked, key=key))
    return G.subgraph(keep).copy()


def _plan_id(node: str) -> str:
    return node[len(str(ID)) :] if node.startswith(str(ID)) else node


def find_plan(G: nx.MultiDiGraph, plan: str) -> str:
    """The plan node ``plan`` names: its IRI (or ``<IRI>``, or the CURIE ``pgid:ID``), its id
    (``taiyuan``) or its title (zh or en). An unknown plan is an error listing the plans.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("https://w3id.org/plangraph/id/p1", type="Plan", label="甲市规划")
    >>> find_plan(G, "p1") == find_plan(G, "甲市规划") == "https://w3id.org/plangraph/id/p1"
    True
    """
    plans = sorted(n for n, t in G.nodes(data="type") if t == "Plan")
    text = plan.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if text.startswith("pgid:"):
        text = str(ID) + text[len("pgid:") :]
    for candidate in (text, str(ID) + text):
        if candidate in plans:
            return candidate
    named = [n for n in plans if text in (G.nodes[n].get("label"), G.nodes[n].get("label_en"))]
    if len(named) == 1:
        return named[0]
    if named:
        raise ValueError(f"{plan!r} is the title of several plans ({', '.join(map(_plan_id, named))}); give the plan's id")
    if not plans:
        raise ValueError(f"no plan is {plan!r}: the graph has no plan")
    listed = ", ".join(f"{_plan_id(n)} ({G.nodes[n].get('label', '')})" for n in plans[:10])
    more = f" and {len(plans) - 10:,} more" if len(plans) > 10 else ""
    raise ValueError(f"no plan is {plan!r}; the plans (id and title): {listed}{more}")


def plan_nodes(G: nx.MultiDiGraph, plan: str) -> set[str]:
    """The nodes of one plan (named as :func:`find_plan` takes it): what its asserted triples mention.

    A plan's elements carry its IRI in their ``plans`` attribute (``pg:partOfPlan``, which the
    builder asserts for every vision, theme, goal, target and task), and so do the carriers read
    from its passages or named in its reified links. Where the graph does not say (a carrier
    with no provenance, or a graph built by hand without ``plans``), the plan's nodes are those
    reached from the plan node downwards: every link out of one of its elements is the plan's own
    statement (their IRIs are scoped by the plan), and a carrier reached that way brings the
    anchors of its cluster along, unless their provenance names only other plans. Merged with
    others, each of the twelve real work reports and each test plan gets back exactly the nodes
    of its own graph (the tests hold the test plans to it).

    >>> G = nx.MultiDiGraph([("p", "theme"), ("theme", "task"), ("task", "cluster"), ("cluster", "firm"),
    ...                      ("q", "theme2"), ("theme2", "task2"), ("task2", "cluster")])
    >>> nx.set_node_attributes(G, {"p": "Plan", "q": "Plan", "theme": "Theme", "task": "Task",
    ...     "theme2": "Theme", "task2": "Task", "cluster": "IndustryCluster", "firm": "Company"}, "type")
    >>> sorted(plan_nodes(G, "p"))
    ['cluster', 'firm', 'p', 'task', 'theme']
    """
    node = find_plan(G, plan)
    elements = set(PLAN_ELEMENT_TYPES)
    keep = {n for n, ps in G.nodes(data="plans") if ps and node in str(ps).split()}
    keep.add(node)
    queue = deque(keep)
    while queue:
        u = queue.popleft()
        from_element = G.nodes[u].get("type") in elements
        for v in G.successors(u):
            if v in keep:
                continue
            owners = str(G.nodes[v].get("plans") or "")
            if from_element or not owners:  # anchors another plan vouches for stay out
                keep.add(v)
                queue.append(v)
    return keep


def plan_view(G: nx.MultiDiGraph, plan: str) -> nx.MultiDiGraph:
    """One plan only: the sub-graph on :func:`plan_nodes`.

    Parameters: ``plan``, the plan's id (``taiyuan``), IRI, ``pgid:`` CURIE or title.

    >>> G = nx.MultiDiGraph([("p", "task"), ("task", "firm"), ("q", "task2")])
    >>> nx.set_node_attributes(G, {"p": "Plan", "q": "Plan", "task": "Task", "task2": "Task", "firm": "Company"}, "type")
    >>> sorted(plan_view(G, "p"))
    ['firm', 'p', 'task']
    """
    return G.subgraph(plan_nodes(G, plan)).copy()


_REGION_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "新区", "省", "市", "区", "县", "州", "盟", "旗")


def _same_region(asked: str, recorded: str) -> bool:
    """Whether ``asked`` names the region ``recorded``: equal (any case), or equal but for an
    administrative suffix (太原 is 太原市, 江岭 is 江岭省)."""
    a, r = asked.strip(), recorded.strip()
    if not a or not r:
        return False
    if a.casefold() == r.casefold():
        return True
    return any(r == a + suffix or a == r + suffix for suffix in _REGION_SUFFIXES)


def region_plans(G: nx.MultiDiGraph, region: str) -> list[str]:
    """The plan nodes of one region, earliest year first (plans without a year last).

    A plan's region is its ``dcterms:coverage`` (the ``region`` and ``region_en`` attributes:
    the YAML's ``spatial``, a text's dateline or title); a plan that records none is taken to
    be of ``region`` when its title names it. Its year is ``dcterms:issued``, else a year its
    title gives (see :func:`to_networkx`). An unknown region is an error listing the regions.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", type="Plan", label="江岭省2026年政府工作报告", region="江岭省", year=2026)
    >>> G.add_node("b", type="Plan", label="江岭省2025年政府工作报告", region="江岭省", year=2025)
    >>> G.add_node("c", type="Plan", label="2025年云川市政府工作报告")
    >>> region_plans(G, "江岭"), region_plans(G, "云川市")
    (['b', 'a'], ['c'])
    """
    plans = [n for n, t in G.nodes(data="type") if t == "Plan"]
    found = []
    for n in plans:
        d = G.nodes[n]
        recorded = [str(d.get(key) or "") for key in ("region", "region_en")]
        if any(recorded):
            if any(_same_region(region, r) for r in recorded):
                found.append(n)
        elif region.strip() and region.strip() in str(d.get("label") or ""):
            found.append(n)
    if not found:
        regions = sorted({str(G.nodes[n].get("region")) for n in plans if G.nodes[n].get("region")})
        listed = ", ".join(regions[:20]) + (f" and {len(regions) - 20:,} more" if len(regions) > 20 else "")
        known = f"; the regions: {listed}" if regions else ": the plans record no region"
        raise ValueError(f"no plan covers the region {region!r}{known}")

    def key(n: str) -> tuple[bool, int, str, str]:
        year = G.nodes[n].get("year")
        return (year is None, int(year or 0), str(G.nodes[n].get("label") or ""), n)

    return sorted(found, key=key)


def region_view(G: nx.MultiDiGraph, region: str) -> nx.MultiDiGraph:
    """One region across years: every plan :func:`region_plans` finds, with its nodes, side by side
    (a carrier two years name is drawn once, between them).

    Parameters: ``region``, a region name as the plans record it (``江岭省``; ``江岭`` too) or in English.

    >>> G = nx.MultiDiGraph([("a", "t1"), ("b", "t2"), ("c", "t3")])
    >>> nx.set_node_attributes(G, {"a": "Plan", "b": "Plan", "c": "Plan", "t1": "Task", "t2": "Task", "t3": "Task"}, "type")
    >>> nx.set_node_attributes(G, {"a": "甲省", "b": "甲省", "c": "乙省"}, "region")
    >>> sorted(region_view(G, "甲省"))
    ['a', 'b', 't1', 't2']
    """
    keep: set[str] = set()
    for plan in region_plans(G, region):
        keep |= plan_nodes(G, plan)
    return G.subgraph(keep).copy()


def _property_labels(G: nx.MultiDiGraph) -> dict[str, str]:
    out: dict[str, str] = {}
    for _, _, d in G.edges(data=True):
        prop = d.get("property")
        if prop and prop not in out:
            out[str(prop)] = str(d.get("label") or prop)
    return out


def _plan_of(G: nx.MultiDiGraph, theme: str) -> str | None:
    """The plan a theme belongs to: its ``plans`` attribute, else the plan above it (through its vision)."""
    for p in str(G.nodes[theme].get("plans") or "").split():
        if G.nodes.get(p, {}).get("type") == "Plan":
            return p
    for up in G.predecessors(theme):
        kind = G.nodes[up].get("type")
        if kind == "Plan":
            return up
        if kind == "Vision":
            for p in G.predecessors(up):
                if G.nodes[p].get("type") == "Plan":
                    return p
    return None


def clusters_view(G: nx.MultiDiGraph, group_by: str = "theme") -> nx.MultiDiGraph:
    """Every industry cluster, grouped by the pillars that develop it or by the companies that anchor it.

    Parameters: ``group_by``, one of :data:`GROUP_BY`: ``"theme"`` (default) draws each theme
    one of whose tasks or sub-tasks develops a cluster, under its plan (theme names such as
    2025年重点工作 repeat across plans), with one derived edge theme → cluster and plan → theme
    where the plan reaches the theme through its vision; ``"company"`` draws the clusters with
    the companies that anchor them (``anchoredBy``). Clusters with no group are drawn too, on
    their own. A task develops a cluster by ``pg:develops`` or, as plans read from text mostly
    say it, ``pg:involves``: the derived edge has the property of the strongest (``develops``
    over ``involves``) and ``via``, the tasks, space-separated.

    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edges_from([("plan", "theme", {"property": "hasTheme"}), ("theme", "task", {"property": "hasTask"}),
    ...     ("task", "cluster", {"property": "develops"}), ("cluster", "firm", {"property": "anchoredBy"})])
    >>> nx.set_node_attributes(G, {"plan": "Plan", "theme": "Theme", "task": "Task",
    ...                            "cluster": "IndustryCluster", "firm": "Company"}, "type")
    >>> sorted(clusters_view(G).edges()), sorted(clusters_view(G, group_by="company").edges())
    ([('plan', 'theme'), ('theme', 'cluster')], [('cluster', 'firm')])
    """
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}, not {group_by!r}")
    kind = dict(G.nodes(data="type"))
    clusters = [n for n in G if kind[n] == "IndustryCluster"]
    H = nx.MultiDiGraph()
    H.add_nodes_from((n, G.nodes[n]) for n in clusters)
    if group_by == "company":
        for c in clusters:
            for _, a, key, d in G.out_edges(c, keys=True, data=True):
                if kind[a] == "Company":
                    H.add_node(a, **G.nodes[a])
                    H.add_edge(c, a, key=key, **d)
        return H
    labels = _property_labels(G)
    for theme in (n for n in G if kind[n] == "Theme"):
        via: dict[str, set[str]] = {}
        develops: set[str] = set()
        seen: set[str] = set()
        queue = deque(t for t in G.successors(theme) if kind[t] == "Task")
        while queue:  # the theme's key tasks and every sub-task below them
            task = queue.popleft()
            if task in seen:
                continue
            seen.add(task)
            for _, v, d in G.out_edges(task, data=True):
                if kind[v] == "Task":
                    queue.append(v)
                elif kind[v] == "IndustryCluster":
                    via.setdefault(v, set()).add(task)
                    if d.get("property") == "develops":
                        develops.add(v)
        if not via:
            continue
        H.add_node(theme, **G.nodes[theme])
        for c, tasks in via.items():
            prop = "develops" if c in develops else "involves"
            H.add_edge(theme, c, key=prop, property=prop, label=labels.get(prop, prop), via=" ".join(sorted(tasks)))
        plan = _plan_of(G, theme)
        if plan is not None:
            H.add_node(plan, **G.nodes[plan])
            H.add_edge(plan, theme, key="hasTheme", property="hasTheme", label=labels.get("hasTheme", "hasTheme"))
    return H


def check_view(view: str, **params: Any) -> None:
    """Check that ``view`` is one of :data:`VIEWS` and takes ``params``, with those it needs.

    >>> check_view("plan")
    Traceback (most recent call last):
    ...
    ValueError: view 'plan' needs plan=…
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; the views: {', '.join(VIEWS)}")
    allowed = VIEW_PARAMETERS[view]
    extra = [name for name in params if name not in allowed]
    if extra:
        takes = f"its parameters: {', '.join(allowed)}" if allowed else "it takes none"
        raise ValueError(f"view {view!r} takes no {', '.join(extra)} ({takes})")
    required = {"neighbourhood": "focus", "plan": "plan", "region": "region"}.get(view)
    if required and params.get(required) is None:
        raise ValueError(f"view {view!r} needs {required}=…")


def select_view(G: nx.MultiDiGraph, view: str = "all", **params: Any) -> nx.MultiDiGraph:
    """The part of ``G`` that view ``view`` (one of :data:`VIEWS`) draws, with its parameters.

    ``all`` is ``G`` itself; the others are :func:`neighbourhood_view` (``focus``, ``hops``),
    :func:`top_view` (``k``, ``context``, ``classes``), :func:`plan_view` (``plan``),
    :func:`clusters_view` (``group_by``) and :func:`region_view` (``region``). A parameter the
    view does not take, or a required one missing, is an error.

    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> sorted(select_view(G, "neighbourhood", focus="c", hops=1))
    ['b', 'c']
    >>> select_view(G, "top", plan="x")
    Traceback (most recent call last):
    ...
    ValueError: view 'top' takes no plan (its parameters: k, context, classes)
    """
    check_view(view, **params)
    if view == "all":
        return G
    function = {
        "neighbourhood": neighbourhood_view,
        "top": top_view,
        "plan": plan_view,
        "clusters": clusters_view,
        "region": region_view,
    }[view]
    return function(G, **params)  # type: ignore[operator]


_ = entity_iri  # doctests use it
