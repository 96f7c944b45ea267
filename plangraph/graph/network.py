"""A networkx projection of the plan graph, for analysis and drawing.

Nodes are the plan's elements and carriers; edges are the dependency links (the
sub-properties of ``pg:dependsOn``), drawn from the upper element to the lower one.

>>> from plangraph.api import load
>>> G = load().to_networkx()
>>> G.nodes[str(entity_iri("太钢"))]["type"]
'Company'
>>> ranking = carrier_ranking(G)
>>> ranking[0]["type"] in ("Company", "Site", "Reform", "Programme", "IndustryCluster", "Designation", "Event", "Brand")
True
"""

from __future__ import annotations

from typing import Iterable

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from .iri import PG, entity_iri

__all__ = ["to_networkx", "node_type", "carrier_ranking", "dependencies", "TYPE_ORDER", "DEPENDENCY_PROPERTIES"]

#: Classes from the most specific to the most general: a node's type is the first it has.
TYPE_ORDER: tuple[str, ...] = (
    "Plan",
    "Vision",
    "Theme",
    "Goal",
    "Target",
    "Task",
    "IndustryCluster",
    "Company",
    "GovernmentBody",
    "Actor",
    "Site",
    "Reform",
    "Programme",
    "Event",
    "Brand",
    "Designation",
)

#: The dependency properties drawn as edges (upper element first). pg:dependsOn itself and
#: the inverse properties are left out: they repeat these edges.
DEPENDENCY_PROPERTIES: tuple[URIRef, ...] = (
    PG.hasVision,
    PG.hasTheme,
    PG.hasGoal,
    PG.hasTask,
    PG.hasTarget,
    PG.supportedBy,
    PG.hasSubTask,
    PG.develops,
    PG.involvesActor,
    PG.involvesSite,
    PG.involvesReform,
    PG.involvesProgramme,
    PG.involvesEvent,
    PG.involvesBrand,
    PG.pursuesDesignation,
    PG.involves,
    PG.mentions,
    PG.anchoredBy,
)

CARRIER_TYPES = ("IndustryCluster", "Company", "GovernmentBody", "Actor", "Site", "Reform", "Programme", "Event", "Brand", "Designation")


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
    ``quote`` and ``section`` (first provenance passage), ``aliases``. Edge attributes:
    ``property`` (local name) and ``label`` (zh label of the property).
    """
    G = nx.MultiDiGraph()
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
    for node, ts in types.items():
        kind = node_type(ts)
        if kind is None:
            continue
        passage = next(iter(sorted(graph.objects(node, PROV.wasDerivedFrom))), None)
        G.add_node(
            str(node),
            type=kind,
            label=_label(graph, node, "zh") or str(node).rsplit("/", 1)[-1],
            label_en=_label(graph, node, "en"),
            definition=definitions.get(kind, ""),
            quote=str(graph.value(passage, PG.quote) or "") if passage is not None else "",
            section=str(graph.value(passage, PG.sectionPath) or "") if passage is not None else "",
            aliases="、".join(sorted(str(a) for a in graph.objects(node, SKOS.altLabel))),
        )
    for p in properties:
        name = str(p).rsplit("#", 1)[-1]
        for s, o in graph.subject_objects(p):
            if str(s) in G and str(o) in G:
                G.add_edge(str(s), str(o), key=name, property=name, label=prop_labels.get(p, name))
    return G


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


_ = entity_iri  # doctests use it
