"""What the explorer's pages show, read from a store by the queries in ``plangraph/queries/explorer/``
and shaped as plain JSON-ready dicts: an entity (labels, types, links, targets, plans, sources), a
plan (its outline and what it shares with other plans), the plans, label completion, and the
subgraph a graph view draws (a neighbourhood, or the nodes of a query's answer).

>>> from plangraph.api import load
>>> store = load().store
>>> sorted(entity(store, "太钢")["labels"])
['en', 'zh']
>>> complete(store, "太钢")[:1]
['太钢']
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Iterable

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from ...graph.iri import CATALOG_GRAPH, GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, PG, STORE, plan_iri
from ...graph.network import DEPENDENCY_PROPERTIES, node_type
from ...graph.ntriples import term
from ...graph.store import Store
from ...queries import UNBOUNDED, Limits, NamedQuery, Rows, parse, resolve_entity, run

__all__ = ["entity", "plan", "plans", "complete", "neighbourhood", "answer_graph", "MAX_VIEW_NODES"]

#: The most nodes a graph view fetches before it refuses (the page draws up to its own limit).
MAX_VIEW_NODES = 5000
_PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
_NODE_FACTS = (RDF.type, RDFS.label, SKOS.altLabel, _PROV_DERIVED, PG.partOfPlan, PG.sectionPath, PG.quote)


@lru_cache(maxsize=None)
def _query(name: str) -> NamedQuery:
    text = (resources.files("plangraph") / "queries" / "explorer" / f"{name}.rq").read_text(encoding="utf-8")
    return parse(text, f"explorer/{name}")


def _rows(store: Store, name: str, limits: Limits, **bindings: Node) -> Rows:
    return run(store, _query(name), bindings, limits=limits)


def _text(node: Node | None) -> str | None:
    return None if node is None else str(node)


def _ref(node: Node | None, label: Node | None = None) -> dict[str, str | None] | str | None:
    # an IRI as a link the page can follow, with its label; a literal as its text
    if node is None:
        return None
    if isinstance(node, URIRef):
        return {"iri": str(node), "label": _text(label)}
    return str(node)


def _graph_kind(graph: Node | None, plan_graphs: dict[URIRef, str]) -> dict[str, str | None]:
    if graph in plan_graphs:
        return {"kind": "asserted", "plan": plan_graphs[graph]}  # type: ignore[index]
    if graph == INFERRED_GRAPH:
        return {"kind": "inferred", "plan": None}
    if graph == ONTOLOGY_GRAPH:
        return {"kind": "ontology", "plan": None}
    return {"kind": "other", "plan": None}


def _plan_graphs(store: Store) -> dict[URIRef, str]:
    """Each plan's graph, with the IRI of the plan node it holds (from the store's catalog)."""
    text = f"SELECT ?g ?id WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ ?g <{STORE.id}> ?id }} }}"
    return {row[0]: str(plan_iri(str(row[1]))) for row in store.query(text).rows if isinstance(row[0], URIRef)}


def entity(store: Store, name: str, limits: Limits = UNBOUNDED) -> dict:
    """What an entity page shows of the node ``name`` (an IRI, a CURIE, a label or an alias):
    its labels (zh, en), aliases, types, literal facts, links out and in (each with the graphs
    that hold it: a plan's asserted triples, the inferred ones, the ontology), the targets it
    sets, the plans that name it and the passages it was read from."""
    node = resolve_entity(store, name)
    plan_graphs = _plan_graphs(store)
    labels: dict[str, str] = {}
    aliases: list[str] = []
    types: dict[str, dict] = {}
    facts: list[dict] = []
    links: dict[tuple[str, str, str], dict] = {}
    plans: set[str] = set()
    for direction, prop, prop_label, value, value_label, graph in _rows(store, "entity-links", limits, entity=node):
        where = _graph_kind(graph, plan_graphs)
        if where["plan"]:
            plans.add(where["plan"])  # type: ignore[arg-type]
        if direction is not None and str(direction) == "out" and isinstance(value, Literal):
            if prop == RDFS.label:
                labels.setdefault(value.language or "", str(value))
            elif prop == SKOS.altLabel:
                if str(value) not in aliases:
                    aliases.append(str(value))
            else:
                facts.append({"property": str(prop), "propertyLabel": _text(prop_label), "value": str(value),
                              "datatype": _text(value.datatype), "language": value.language, "graph": where})
            continue
        if prop == RDF.type and str(direction) == "out":
            entry = types.setdefault(str(value), {"iri": str(value), "label": _text(value_label), "graphs": []})
            if where not in entry["graphs"]:
                entry["graphs"].append(where)
            continue
        key = (str(direction), str(prop), str(value))
        entry = links.setdefault(key, {"direction": str(direction), "property": str(prop), "propertyLabel": _text(prop_label),
                                       "other": _ref(value, value_label), "graphs": []})
        if where not in entry["graphs"]:
            entry["graphs"].append(where)
    targets = [{"target": _ref(t, tl), "indicator": _text(ind), "comparator": _text(cmp), "value": _text(v),
                "upper": _text(up), "unit": _text(unit), "year": _text(year)}
               for t, tl, ind, cmp, v, up, unit, year in _rows(store, "entity-targets", limits, entity=node)]
    sources = []
    for fact, prop, other, other_label, section, quote, document, start, source_plan in _rows(store, "entity-sources", limits, entity=node):
        if source_plan is not None:
            plans.add(str(source_plan))
        sources.append({"fact": str(fact), "property": _text(prop), "other": _ref(other, other_label), "section": _text(section),
                        "quote": _text(quote), "document": _text(document), "start": _text(start), "plan": _text(source_plan)})
    titles = {str(row[0]): _text(row[1]) for row in _rows(store, "plans", limits)}
    return {"iri": str(node), "labels": labels, "aliases": aliases, "types": list(types.values()), "facts": facts,
            "links": list(links.values()), "targets": targets, "sources": sources,
            "plans": [{"iri": p, "label": titles.get(p)} for p in sorted(plans) if p != str(node)]}


def plans(store: Store, limits: Limits = UNBOUNDED) -> list[dict]:
    """The plans the store holds: IRI and titles (zh, en)."""
    return [{"iri": str(p), "label": _text(zh), "label_en": _text(en)} for p, zh, en in _rows(store, "plans", limits)]


def plan(store: Store, name: str, limits: Limits = UNBOUNDED) -> dict:
    """What a plan page shows: the plan's parts as a tree (vision, pillars, goals, targets, tasks
    and sub-tasks, in the plan's order) and the carriers it shares with other plans in the store."""
    node = resolve_entity(store, name)
    if not store.query(f"ASK {{ <{node}> a <{PG.Plan}> }}").boolean:
        raise ValueError(f"<{node}> is not a plan")
    parts: dict[str, dict] = {}
    parents: dict[str, str | None] = {}
    for part, kind, label, parent, _order in _rows(store, "plan-outline", limits, plan=node):
        key = str(part)
        if key not in parts:
            parts[key] = {"iri": key, "type": str(kind).rsplit("#", 1)[-1], "label": _text(label), "children": []}
        if parent is not None and parents.get(key) is None:
            parents[key] = str(parent)
        parents.setdefault(key, None)
    roots = []
    for key, entry in parts.items():
        parent = parents.get(key)
        if parent in parts and parent != key:
            parts[parent]["children"].append(entry)
        else:
            roots.append(entry)
    shared: dict[str, dict] = {}
    kinds: dict[str, set[URIRef]] = {}
    for carrier, label, kind, other, other_title in _rows(store, "plan-shared", limits, plan=node):
        entry = shared.setdefault(str(carrier), {"iri": str(carrier), "label": _text(label), "type": None, "plans": []})
        if isinstance(kind, URIRef):
            kinds.setdefault(str(carrier), set()).add(kind)
        ref = {"iri": str(other), "label": _text(other_title)}
        if ref not in entry["plans"]:
            entry["plans"].append(ref)
    for key, entry in shared.items():
        entry["type"] = node_type(kinds.get(key, ()))
    titles = {str(p): (_text(zh), _text(en)) for p, zh, en in _rows(store, "plans", limits)}
    zh, en = titles.get(str(node), (None, None))
    return {"iri": str(node), "label": zh, "label_en": en, "outline": roots, "shared": list(shared.values())}


def complete(store: Store, text: str, limits: Limits = UNBOUNDED) -> list[str]:
    """Up to 20 labels and aliases containing ``text`` (any case), shortest first."""
    if not text.strip():
        return []
    return [str(row[0]) for row in _rows(store, "labels", limits, text=Literal(text.strip()))]


def _values(nodes: Iterable[URIRef]) -> str:
    return " ".join(term(n) for n in nodes)


def _facts(store: Store, nodes: set[URIRef], out: Graph) -> None:
    # what the page shows of each node: its types, labels, plan and first passage
    ordered = sorted(nodes)
    facts = ", ".join(term(p) for p in _NODE_FACTS)
    passages: set[URIRef] = set()
    for i in range(0, len(ordered), 500):
        chunk = _values(ordered[i:i + 500])
        text = f"SELECT ?n ?p ?o WHERE {{ VALUES ?n {{ {chunk} }} ?n ?p ?o FILTER(?p IN ({facts})) }}"
        for n, p, o in store.query(text).rows:
            out.add((n, p, o))  # type: ignore[arg-type]
            if p == _PROV_DERIVED and isinstance(o, URIRef):
                passages.add(o)
    listed = sorted(passages)
    for i in range(0, len(listed), 500):
        chunk = _values(listed[i:i + 500])
        text = f"SELECT ?n ?p ?o WHERE {{ VALUES ?n {{ {chunk} }} ?n ?p ?o FILTER(?p IN ({term(PG.sectionPath)}, {term(PG.quote)})) }}"
        for n, p, o in store.query(text).rows:
            out.add((n, p, o))  # type: ignore[arg-type]


def _edges(store: Store, nodes: set[URIRef], out: Graph, among: bool) -> set[URIRef]:
    # the dependency links of ``nodes``, either way (``among``: only those between them); returns
    # the nodes they reach. One node variable per query, the properties by FILTER: rdflib joins two
    # VALUES blocks by their cross product (20 s for 50 nodes)
    reached: set[URIRef] = set()
    props = ", ".join(term(p) for p in DEPENDENCY_PROPERTIES)
    ordered = sorted(nodes)
    wanted = set(ordered)
    for i in range(0, len(ordered), 500):
        chunk = _values(ordered[i:i + 500])
        patterns = ["?n ?p ?o"] if among else ["?n ?p ?o", "?o ?p ?n"]
        for pattern in patterns:
            text = f"SELECT ?n ?p ?o WHERE {{ VALUES ?n {{ {chunk} }} {pattern} FILTER(isIRI(?o) && ?p IN ({props})) }}"
            for n, p, o in store.query(text).rows:
                if among and o not in wanted:
                    continue
                out.add((n, p, o) if pattern == "?n ?p ?o" else (o, p, n))  # type: ignore[arg-type]
                reached.add(o)  # type: ignore[arg-type]
    return reached


class TooLarge(ValueError):
    """A graph view would hold more nodes than it draws."""


def neighbourhood(store: Store, name: str, hops: int = 2, max_nodes: int = MAX_VIEW_NODES) -> tuple[Graph, str]:
    """The triples the page needs to draw the nodes within ``hops`` dependency links of ``name``
    (either way), and the focus node's IRI."""
    if not 0 <= hops <= 6:
        raise ValueError(f"hops {hops}: give 0 to 6")
    focus = resolve_entity(store, name)
    out = Graph()
    seen: set[URIRef] = {focus}
    frontier = {focus}
    for _ in range(hops):
        reached = _edges(store, frontier, out, among=False)
        frontier = reached - seen
        seen |= reached
        if len(seen) > max_nodes:
            raise TooLarge(f"{hops} hops around {name} reach more than {max_nodes:,} nodes: take fewer hops")
        if not frontier:
            break
    _facts(store, seen, out)
    return out, str(focus)


def answer_graph(rows: Rows, store: Store, max_nodes: int = MAX_VIEW_NODES) -> Graph:
    """The triples the page needs to draw the entities of a query's answer and the dependency
    links between them."""
    nodes = {v for row in rows.rows for v in row if isinstance(v, URIRef) and not str(v).startswith(str(GRAPH))}
    if rows.graph is not None:
        nodes |= {v for triple in rows.graph for v in (triple[0], triple[2]) if isinstance(v, URIRef)}
    if len(nodes) > max_nodes:
        raise TooLarge(f"the answer names {len(nodes):,} nodes, more than a graph view draws ({max_nodes:,}): narrow the query")
    out = Graph()
    if nodes:
        _edges(store, nodes, out, among=True)
        _facts(store, nodes, out)
    return out
