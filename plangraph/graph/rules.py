"""Reasoning at scale: the ontology's axioms as SPARQL Update rules, run inside the store.

HermiT decides consistency and classifies, but it needs the whole corpus in memory and grows
with every plan. What the plan queries need from reasoning comes from a handful of axiom kinds:
sub-class and sub-property closure, the types that domains and ranges give, inverses,
transitive properties and property chains. Each kind becomes one ``INSERT … WHERE`` whose
``VALUES`` table lists the ontology's axioms of that kind; the rules run until nothing new is
derived, and what they derive goes into the inferred graph. A test holds them to HermiT's
answer (:func:`plangraph.graph.reason.infer`) on the bundled plan and the test texts.

The rules run in any SPARQL 1.1 store (rdflib, Oxigraph, a server): no data leaves it. They
only add, so adding a plan keeps what was derived for the others and derives the rest.
A rule-based check finds the contradictions HermiT would (disjoint classes, two values of a
functional property) and raises the same :class:`~plangraph.graph.reason.InconsistentPlanError`.

>>> from rdflib import URIRef
>>> from plangraph.graph.memory_store import MemoryStore
>>> from plangraph.graph.build import ontology_graph
>>> from plangraph.graph.iri import PG, ID, INFERRED_GRAPH
>>> store = MemoryStore()
>>> store.add([(ID.t, PG.develops, ID.c), (ID.c, PG.anchoredBy, ID.co), (ID.t, PG.supports, ID.g)], URIRef("urn:plan"))
>>> rules = Rules(ontology_graph())
>>> rules.materialise(store) > 0
True
>>> (ID.co, PG.contributesTo, ID.g) in store.graph(INFERRED_GRAPH)
True
"""

from __future__ import annotations

from typing import Iterable

from rdflib import RDF, RDFS, BNode, Graph, URIRef

from .iri import INFERRED_GRAPH, ONTOLOGY_GRAPH
from .reason import _IGNORED_TYPES, Hierarchy, InconsistentPlanError, _closure
from .store import Store, Triple

__all__ = ["Rules", "materialise", "derive"]


def _values(pairs: Iterable[tuple[URIRef, URIRef]]) -> str:
    return " ".join(f"(<{a}> <{b}>)" for a, b in sorted(set(pairs)))


class Rules:
    """The SPARQL Update rules and consistency checks one ontology gives."""

    def __init__(self, ontology: Graph, inferred: URIRef = INFERRED_GRAPH, union: bool = False):
        """``union``: the store's default graph holds the union of its graphs as a set, so the
        rules read it and write there too; otherwise they read every named graph but the ontology's."""
        h = Hierarchy(ontology)
        self.inferred = inferred
        self.updates: list[str] = []

        def rule(head: str, body: str) -> None:
            into = f"GRAPH <{inferred}> {{ {head} }} {head}" if union else f"GRAPH <{inferred}> {{ {head} }}"
            self.updates.append(f"INSERT {{ {into} }} WHERE {{ {body} }}")

        def atom(i: int, s: str, p: str, o: str) -> str:
            if union:
                return f"{s} {p} {o} ."
            return f"GRAPH ?g{i} {{ {s} {p} {o} }} FILTER(?g{i} != <{ONTOLOGY_GRAPH}>)"

        def new(s: str, p: str, o: str) -> str:
            return f"FILTER NOT EXISTS {{ {s} {p} {o} }}" if union else f"FILTER NOT EXISTS {{ GRAPH ?h {{ {s} {p} {o} }} }}"

        sub_classes = [(c, d) for c, ups in h.super_classes.items() for d in ups if d not in _IGNORED_TYPES]
        domains = [(p, c) for p, cs in h.domains.items() for c in cs if c not in _IGNORED_TYPES]
        ranges = [(p, c) for p, cs in h.ranges.items() for c in cs if c not in _IGNORED_TYPES]
        sub_props = [(p, q) for p, ups in h.super_props.items() for q in ups]
        inverses = [(p, q) for p, qs in h.inverse.items() for q in qs]

        def property_rules() -> None:
            if sub_props:
                rule("?x ?q ?y", f"VALUES (?p ?q) {{ {_values(sub_props)} }} {atom(1, '?x', '?p', '?y')} FILTER(isIRI(?x) && !isBlank(?y)) {new('?x', '?q', '?y')}")
            if inverses:
                rule("?y ?q ?x", f"VALUES (?p ?q) {{ {_values(inverses)} }} {atom(1, '?x', '?p', '?y')} FILTER(isIRI(?x) && isIRI(?y)) {new('?y', '?q', '?x')}")

        # in the order one feeds the next (property values, then the types they give, then the
        # super-classes), so that most of the closure comes in the first round
        property_rules()
        for p in sorted(h.transitive):
            if union:  # the whole closure in one update, by the engine's path evaluation
                rule(f"?x <{p}> ?z", f"?x <{p}>/<{p}>+ ?z . FILTER(isIRI(?x) && isIRI(?z)) {new('?x', f'<{p}>', '?z')}")
            else:
                rule(f"?x <{p}> ?z", f"{atom(1, '?x', f'<{p}>', '?y')} {atom(2, '?y', f'<{p}>', '?z')} FILTER(isIRI(?x) && isIRI(?z)) {new('?x', f'<{p}>', '?z')}")
        for p, chain in sorted(h.chains):
            steps = [f"?v{i}" for i in range(len(chain) + 1)]
            chain_body = " ".join(atom(i + 1, steps[i], f"<{q}>", steps[i + 1]) for i, q in enumerate(chain))
            rule(f"?v0 <{p}> {steps[-1]}", f"{chain_body} FILTER(isIRI(?v0) && isIRI({steps[-1]})) {new('?v0', f'<{p}>', steps[-1])}")
        property_rules()  # what the chains derive has super-properties and inverses too
        if domains:
            rule("?x a ?d", f"VALUES (?p ?d) {{ {_values(domains)} }} {atom(1, '?x', '?p', '?y')} FILTER(isIRI(?x) && !isBlank(?y)) {new('?x', 'a', '?d')}")
        if ranges:
            rule("?y a ?d", f"VALUES (?p ?d) {{ {_values(ranges)} }} {atom(1, '?x', '?p', '?y')} FILTER(isIRI(?y) && isIRI(?x)) {new('?y', 'a', '?d')}")
        if sub_classes:
            rule("?x a ?d", f"VALUES (?c ?d) {{ {_values(sub_classes)} }} {atom(1, '?x', 'a', '?c')} FILTER(isIRI(?x)) {new('?x', 'a', '?d')}")

        disjoint = list(h.disjoint_pairs)
        self.checks: list[tuple[str, str]] = []
        if disjoint:
            self.checks.append(("disjoint", f"""PREFIX rdfs: <{RDFS}>
SELECT ?x ?a ?b (SAMPLE(?name) AS ?label) WHERE {{
  VALUES (?a ?b) {{ {_values(disjoint)} }}
  ?x a ?a . ?x a ?b .
  OPTIONAL {{ ?x rdfs:label ?name FILTER(lang(?name) = "zh") }}
}} GROUP BY ?x ?a ?b ORDER BY ?x LIMIT 20"""))
        functional = sorted(h.functional)
        if functional:
            listed = " ".join(f"<{p}>" for p in functional)
            self.checks.append(("functional", f"""SELECT ?x ?p (COUNT(DISTINCT ?o) AS ?n) WHERE {{
  VALUES ?p {{ {listed} }}
  ?x ?p ?o .
}} GROUP BY ?x ?p HAVING (COUNT(DISTINCT ?o) > 1) ORDER BY ?x LIMIT 20"""))
        self._labels = h.labels

    def materialise(self, store: Store, max_rounds: int = 64) -> int:
        """Run the rules in ``store`` until they derive nothing new; the number of triples the inferred graph then holds."""
        before = store.count(self.inferred)
        for _ in range(max_rounds):
            for update in self.updates:
                store.update(update)
            after = store.count(self.inferred)
            if after == before:
                return after
            before = after
        raise RuntimeError(f"the rules still derived new triples after {max_rounds} rounds")

    def check(self, store: Store) -> None:
        """Raise :class:`InconsistentPlanError` naming the nodes if the store contradicts the ontology (run after :meth:`materialise`)."""
        problems: list[str] = []
        nodes: list[str] = []
        for kind, text in self.checks:
            for row in store.query(text).rows:
                node = f"{row[3]} <{row[0]}>" if kind == "disjoint" and row[3] is not None else f"<{row[0]}>"
                if kind == "disjoint":
                    problems.append(f"{node} is both a {self._labels(row[1])} and a {self._labels(row[2])}, which are disjoint")
                else:
                    problems.append(f"{node} has {row[2]} values for {self._labels(row[1])}")
                nodes.append(str(row[0]))
        if problems:
            raise InconsistentPlanError("; ".join(problems), nodes)


def derive(triples: Iterable[Triple], ontology: Graph) -> set[Triple]:
    """The same rules in Python, over a set of triples: what they derive that ``triples`` does not hold.

    rdflib's SPARQL engine runs the Update rules slowly; for a store in rdflib's memory the
    rules run here instead (a test holds both to the same answer).

    >>> from plangraph.graph.build import ontology_graph
    >>> from plangraph.graph.iri import PG, ID
    >>> (ID.co, PG.contributesTo, ID.g) in derive([(ID.t, PG.develops, ID.c), (ID.c, PG.anchoredBy, ID.co), (ID.t, PG.supports, ID.g)], ontology_graph())
    True
    """
    h = Hierarchy(ontology)
    asserted = set(triples)
    facts = _closure({t for t in asserted if not isinstance(t[0], BNode) and not isinstance(t[2], BNode)}, h)
    return {t for t in facts - asserted if not (t[1] == RDF.type and t[2] in _IGNORED_TYPES)}


def materialise(store: Store, ontology: Graph) -> int:
    """Derive in ``store`` what the ontology's axioms give, into the inferred graph; check consistency.

    Returns the number of triples the inferred graph holds.
    """
    rules = Rules(ontology, union=getattr(store, "stored_union", False))
    dataset = getattr(store, "dataset", None)
    if dataset is not None and store.writable:  # rdflib in memory: the rules in Python
        names = [n for n in store.names() if n not in (ONTOLOGY_GRAPH, rules.inferred)]
        asserted = {t for n in names for t in dataset.graph(n)} | set(dataset.graph(rules.inferred))
        store.add(derive(asserted, ontology), rules.inferred)
        count = store.count(rules.inferred)
    else:
        count = rules.materialise(store)
    rules.check(store)
    return count

