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

from typing import Any, Callable, Iterable, Sequence

from rdflib import RDF, RDFS, BNode, Graph, URIRef

from .iri import INFERRED_GRAPH, ONTOLOGY_GRAPH, SCRATCH_GRAPHS
from .reason import _IGNORED_TYPES, Hierarchy, InconsistentPlanError
from .store import Store, Triple

__all__ = ["Rules", "Closure", "materialise", "derive", "path", "PATHS"]


def _values(pairs: Iterable[tuple[URIRef, URIRef]]) -> str:
    return " ".join(f"(<{a}> <{b}>)" for a, b in sorted(set(pairs)))


class _Rule:
    """One rule: a head derived from a join of atoms (with a VALUES table and filters)."""

    def __init__(self, head: tuple[str, str, str], atoms: list[tuple[str, str, str]], values: str = "", filters: str = ""):
        self.head, self.atoms, self.values, self.filters = head, atoms, values, filters


class Rules:
    """The SPARQL Update rules and consistency checks one ontology gives."""

    def __init__(self, ontology: Graph, inferred: URIRef = INFERRED_GRAPH, union: bool = False):
        """``union``: the store's default graph holds the union of its graphs as a set, so the
        rules read it and write there too; otherwise they read every named graph but the ontology's."""
        h = Hierarchy(ontology)
        self.inferred = inferred
        self.union = union
        self._rules: list[_Rule] = []

        def rule(head: tuple[str, str, str], atoms: list[tuple[str, str, str]], values: str = "", filters: str = "") -> None:
            self._rules.append(_Rule(head, atoms, values, filters))

        sub_classes = [(c, d) for c, ups in h.super_classes.items() for d in ups if d not in _IGNORED_TYPES]
        domains = [(p, c) for p, cs in h.domains.items() for c in cs if c not in _IGNORED_TYPES]
        ranges = [(p, c) for p, cs in h.ranges.items() for c in cs if c not in _IGNORED_TYPES]
        sub_props = [(p, q) for p, ups in h.super_props.items() for q in ups]
        inverses = [(p, q) for p, qs in h.inverse.items() for q in qs]

        def property_rules() -> None:
            if sub_props:
                rule(("?x", "?q", "?y"), [("?x", "?p", "?y")], f"VALUES (?p ?q) {{ {_values(sub_props)} }}", "FILTER(isIRI(?x) && !isBlank(?y))")
            if inverses:
                rule(("?y", "?q", "?x"), [("?x", "?p", "?y")], f"VALUES (?p ?q) {{ {_values(inverses)} }}", "FILTER(isIRI(?x) && isIRI(?y))")

        # in the order one feeds the next (property values, then the types they give, then the
        # super-classes), so that most of the closure comes in the first round
        property_rules()
        for p in sorted(h.transitive):
            rule(("?x", f"<{p}>", "?z"), [("?x", f"<{p}>", "?y"), ("?y", f"<{p}>", "?z")], filters="FILTER(isIRI(?x) && isIRI(?z))")
        for p, chain in sorted(h.chains):
            steps = [f"?v{i}" for i in range(len(chain) + 1)]
            rule(("?v0", f"<{p}>", steps[-1]), [(steps[i], f"<{q}>", steps[i + 1]) for i, q in enumerate(chain)], filters=f"FILTER(isIRI(?v0) && isIRI({steps[-1]}))")
        property_rules()  # what the chains derive has super-properties and inverses too
        if domains:
            rule(("?x", "a", "?d"), [("?x", "?p", "?y")], f"VALUES (?p ?d) {{ {_values(domains)} }}", "FILTER(isIRI(?x) && !isBlank(?y))")
        if ranges:
            rule(("?y", "a", "?d"), [("?x", "?p", "?y")], f"VALUES (?p ?d) {{ {_values(ranges)} }}", "FILTER(isIRI(?y) && isIRI(?x))")
        if sub_classes:
            rule(("?x", "a", "?d"), [("?x", "a", "?c")], f"VALUES (?c ?d) {{ {_values(sub_classes)} }}", "FILTER(isIRI(?x))")

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

    def _atom(self, i: int, s: str, p: str, o: str) -> str:
        if self.union:
            return f"{s} {p} {o} ."
        return f"GRAPH ?g{i} {{ {s} {p} {o} }} FILTER(?g{i} != <{ONTOLOGY_GRAPH}>)"

    def _where(self, r: _Rule, delta: Sequence[URIRef] | None = None) -> str:
        # delta: the rule joins at least one atom with what these graphs hold (the triples new
        # since the rule last ran)
        s, p, o = r.head
        atoms = [self._atom(i + 1, *a) for i, a in enumerate(r.atoms)]
        if delta is None:
            body = " ".join(atoms)
        else:
            listed = " ".join(f"<{g}>" for g in delta)
            variants = []
            for i, (a, b, c) in enumerate(r.atoms):
                if len(delta) == 1:  # a constant graph: the engine starts from it
                    new = f"GRAPH <{delta[0]}> {{ {a} {b} {c} }}"
                else:
                    new = f"VALUES ?d{i} {{ {listed} }} GRAPH ?d{i} {{ {a} {b} {c} }}"
                variants.append(" ".join(new if j == i else atom for j, atom in enumerate(atoms)))
            body = variants[0] if len(variants) == 1 else " UNION ".join(f"{{ {v} }}" for v in variants)
        if not self.union:
            known = f"FILTER NOT EXISTS {{ GRAPH ?h {{ {s} {p} {o} }} }}"
        elif p == "a":  # the types are few beside the candidates: one anti-join (Oxigraph: 2x faster)
            known = f"MINUS {{ {s} {p} {o} . }}"
        else:
            known = f"FILTER NOT EXISTS {{ {s} {p} {o} . }}"
        return f"{r.values} {body} {r.filters} {known}"

    def _update(self, r: _Rule, delta: Sequence[URIRef] | None = None, into: URIRef | None = None) -> str:
        # into: a graph that also gets what the rule derives
        head = " ".join(r.head) + " ."
        writes = f"GRAPH <{self.inferred}> {{ {head} }}" + (f" {head}" if self.union else "")
        if into is not None:
            writes += f" GRAPH <{into}> {{ {head} }}"
        return f"INSERT {{ {writes} }} WHERE {{ {self._where(r, delta)} }}"

    def _construct(self, r: _Rule, delta: Sequence[URIRef] | None = None) -> str:
        return f"CONSTRUCT {{ {' '.join(r.head)} . }} WHERE {{ {self._where(r, delta)} }}"

    def run(self, update: Callable[[str], None], count: Callable[[URIRef], int], new: Sequence[URIRef] | None = None,
            max_rounds: int = 64, derive: Callable[[str, list[URIRef]], int] | None = None) -> int:
        """Run the rules to a fixpoint with ``update`` (SPARQL Update text) and ``count`` (a named
        graph's size), semi-naively: the first round runs every rule over the whole store, or,
        given ``new`` (graphs added since the rules last ran), over what those graphs hold; each
        later round joins only with what the round before derived, kept in a scratch graph.
        Given ``derive`` (CONSTRUCT text and named graphs: the store writes the answer into them
        and returns its size), each rule's consequences are asked for and written by the store
        instead of by ``INSERT … WHERE``: faster in Oxigraph, whose updates read through their
        own transaction. Returns the number of rounds.
        """
        scratch = list(SCRATCH_GRAPHS)
        for g in scratch:
            update(f"DROP SILENT GRAPH <{g}>")
        # a first derivation needs no scratch graph (what it derives is the whole inferred graph),
        # which spares copying and dropping the bulk of the closure
        first = new is None and count(self.inferred) == 0
        delta: Sequence[URIRef] | None = new
        try:
            for n in range(max_rounds):
                into = None if first and n == 0 else scratch[n % 2]
                derived = 0
                for r in self._rules:
                    if derive is None:
                        update(self._update(r, delta, into))
                    else:
                        derived += derive(self._construct(r, delta), [self.inferred] if into is None else [self.inferred, into])
                if delta is not None and delta[0] in scratch:
                    update(f"DROP SILENT GRAPH <{delta[0]}>")
                if derive is None:
                    derived = count(into if into is not None else self.inferred)
                if derived == 0:
                    return n + 1
                delta = [into if into is not None else self.inferred]
        finally:
            for g in scratch:  # a scratch graph's triples are the inferred graph's too
                update(f"DROP SILENT GRAPH <{g}>")
        raise RuntimeError(f"the rules still derived new triples after {max_rounds} rounds")

    def materialise(self, store: Store, new: Sequence[URIRef] | None = None, max_rounds: int = 64) -> int:
        """Run the rules in ``store`` until they derive nothing new (over ``new`` graphs only, and
        what follows from them, when given); the number of triples the inferred graph then holds."""
        self.run(store.update, store.count, new, max_rounds, derive=getattr(store, "derive", None))
        return store.count(self.inferred)

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


IRI, BLANK, LITERAL = 0, 1, 2


def _rdflib_kind(term: object) -> int:
    return IRI if isinstance(term, URIRef) else BLANK if isinstance(term, BNode) else LITERAL


class Closure:
    """The same rules compiled for Python: what they derive from a set of triples, in a few passes.

    The rules of one premise (sub-properties, inverses, the types domains and ranges give,
    super-classes) are composed ahead, per predicate and per class, so one pass over a triple
    draws all they give; the rules of several (transitive properties, property chains) join
    semi-naively, each round only with what the round before derived. The triples may be of any
    term type: rdflib's, or a store's own (``term`` turns the ontology's IRIs into that type,
    ``kind`` tells an IRI, a blank node and a literal apart), so a store's triples need no
    conversion. The filters are the SPARQL rules' (no blank node is typed or linked; literals
    take super-properties and domains), and a test holds both to one answer.

    >>> from plangraph.graph.build import ontology_graph
    >>> from plangraph.graph.iri import PG, ID
    >>> closure = Closure(ontology_graph())
    >>> (ID.co, PG.contributesTo, ID.g) in closure.derive([(ID.t, PG.develops, ID.c), (ID.c, PG.anchoredBy, ID.co), (ID.t, PG.supports, ID.g)])
    True
    """

    def __init__(self, ontology: Graph | Hierarchy, term: Callable[[URIRef], Any] = lambda t: t, kind: Callable[[Any], int] = _rdflib_kind):
        h = ontology if isinstance(ontology, Hierarchy) else Hierarchy(ontology)
        self.kind = kind
        self.type = term(RDF.type)

        def up(c: URIRef) -> set[URIRef]:
            return {d for d in h.super_classes.get(c, ()) if d not in _IGNORED_TYPES}

        def typed(classes: Iterable[URIRef]) -> set[URIRef]:
            return {d for c in classes if c not in _IGNORED_TYPES for d in {c} | up(c)}

        def native(terms: Iterable[URIRef]) -> tuple:
            return tuple(term(t) for t in sorted(set(terms)))

        props = set(h.super_props) | set(h.inverse) | set(h.domains) | set(h.ranges)
        # per predicate: the predicates a triple also holds forward (by sub-properties alone, or
        # through an inverse: both ends then IRIs), backward, and the types of its two ends
        self._plain: dict = {}
        self._linked: dict = {}
        self._backward: dict = {}
        self._subject_types: dict = {}
        self._linked_subject_types: dict = {}
        self._object_types: dict = {}
        heads: set[URIRef] = set()
        for p in props:
            reached = {(True, p)}
            todo = [(True, p)]
            while todo:
                forward, q = todo.pop()
                for nxt in [(forward, r) for r in h.super_props.get(q, ())] + [(not forward, r) for r in h.inverse.get(q, ())]:
                    if nxt not in reached:
                        reached.add(nxt)
                        todo.append(nxt)
            plain = set(h.super_props.get(p, ()))
            linked = {q for forward, q in reached if forward} - plain - {p}
            backward = {q for forward, q in reached if not forward}
            heads |= plain | linked | backward
            key = term(p)
            self._plain[key] = native(plain)
            self._linked[key] = native(linked)
            self._backward[key] = native(backward)
            self._subject_types[key] = native(typed(c for q in plain | {p} for c in h.domains.get(q, ())))
            self._linked_subject_types[key] = native(
                typed(c for q in linked for c in h.domains.get(q, ())) | typed(c for q in backward for c in h.ranges.get(q, ())))
            self._object_types[key] = native(
                typed(c for q in plain | linked | {p} for c in h.ranges.get(q, ())) | typed(c for q in backward for c in h.domains.get(q, ())))
        self._super: dict = {term(c): native(up(c)) for c in h.super_classes if up(c)}
        self._transitive = {term(p) for p in h.transitive}
        # a chain's positions by the predicate there: (head, chain, position)
        self._chains: dict = {}
        for p, chain in h.chains:
            steps = tuple(term(q) for q in chain)
            for i, q in enumerate(steps):
                self._chains.setdefault(q, []).append((term(p), steps, i))
        self._joined = self._transitive | set(self._chains)
        #: The predicates whose triples the rules read or write: a store gives these (and the types).
        self.predicates: tuple = native(props | heads | set(h.transitive) | {q for _, chain in h.chains for q in chain} | {p for p, _ in h.chains} | {RDF.type})

    def _single(self, t: tuple, out: set) -> None:
        s, p, o = t
        kind = self.kind
        if kind(s) != IRI:
            return
        if p == self.type:
            for d in self._super.get(o, ()):
                out.add((s, p, d))
            return
        ko = kind(o)
        if ko == BLANK or p not in self._plain:
            return
        type_ = self.type
        for q in self._plain[p]:
            out.add((s, q, o))
        for c in self._subject_types[p]:
            out.add((s, type_, c))
        if ko == IRI:
            for q in self._linked[p]:
                out.add((s, q, o))
            for q in self._backward[p]:
                out.add((o, q, s))
            for c in self._linked_subject_types[p]:
                out.add((s, type_, c))
            for c in self._object_types[p]:
                out.add((o, type_, c))

    def _join(self, t: tuple, succ: dict, pred: dict, out: set) -> None:
        s, p, o = t
        iri = self.kind
        if p in self._transitive:
            if iri(s) == IRI:
                for z in succ[p].get(o, ()):
                    if iri(z) == IRI:
                        out.add((s, p, z))
            if iri(o) == IRI:
                for w in pred[p].get(s, ()):
                    if iri(w) == IRI:
                        out.add((w, p, o))
        for head, chain, i in self._chains.get(p, ()):
            lefts = {s}
            for q in reversed(chain[:i]):
                lefts = {w for x in lefts for w in pred[q].get(x, ())}
            rights = {o}
            for q in chain[i + 1:]:
                rights = {z for x in rights for z in succ[q].get(x, ())}
            for w in lefts:
                if iri(w) == IRI:
                    for z in rights:
                        if iri(z) == IRI:
                            out.add((w, head, z))

    def derive(self, triples: Iterable[tuple]) -> set[tuple]:
        """What the rules derive from ``triples`` that ``triples`` does not hold."""
        known = set(triples)
        succ: dict = {p: {} for p in self._joined}
        pred: dict = {p: {} for p in self._joined}

        def index(facts: Iterable[tuple]) -> list[tuple]:
            joined = []
            for t in facts:
                s, p, o = t
                if p in succ:
                    succ[p].setdefault(s, set()).add(o)
                    pred[p].setdefault(o, set()).add(s)
                    joined.append(t)
            return joined

        derived: set[tuple] = set()
        fresh: Iterable[tuple] = known
        step = index(known)
        while True:
            single: set[tuple] = set()
            for t in fresh:
                self._single(t, single)
            single -= known
            known |= single
            derived |= single
            step += index(single)
            joined: set[tuple] = set()
            for t in step:
                self._join(t, succ, pred, joined)
            joined -= known
            if not joined:
                return derived
            known |= joined
            derived |= joined
            fresh = joined
            step = index(joined)


def derive(triples: Iterable[Triple], ontology: Graph) -> set[Triple]:
    """The same rules in Python, over a set of triples: what they derive that ``triples`` does not hold.

    rdflib's SPARQL engine runs the Update rules slowly; for a store in rdflib's memory the
    rules run here instead (a test holds both to the same answer).

    >>> from plangraph.graph.build import ontology_graph
    >>> from plangraph.graph.iri import PG, ID
    >>> (ID.co, PG.contributesTo, ID.g) in derive([(ID.t, PG.develops, ID.c), (ID.c, PG.anchoredBy, ID.co), (ID.t, PG.supports, ID.g)], ontology_graph())
    True
    """
    return Closure(ontology).derive(triples)


#: How :func:`materialise` runs the rules, by what :func:`path` chooses.
PATHS = {
    "python": "in Python over the store's triples",
    "store": "as queries inside the store",
}


def path(store: Store, new: Sequence[URIRef] | None = None) -> str:
    """How :func:`materialise` will run the rules in ``store``: ``python`` (a whole run in a store
    that can give its triples as they are and whose size fits in memory, or rdflib's memory) or
    ``store`` (SPARQL queries and updates inside it: a large store, a server, or a run that starts
    from ``new`` plans, which joins only with them)."""
    from ..settings import RULES_IN_MEMORY_MAX_TRIPLES

    if getattr(store, "dataset", None) is not None and store.writable:
        return "python"
    if new is None and hasattr(store, "derive_closure") and store.count() <= RULES_IN_MEMORY_MAX_TRIPLES:
        return "python"
    return "store"


def materialise(store: Store, ontology: Graph, new: Sequence[URIRef] | None = None, how: str | None = None) -> int:
    """Derive in ``store`` what the ontology's axioms give, into the inferred graph; check consistency.
    ``new``: the graphs added since the inferred graph was last derived by these rules (only what
    follows from them is derived again). ``how``: a key of :data:`PATHS` (:func:`path` chooses when None).

    Returns the number of triples the inferred graph holds.
    """
    rules = Rules(ontology, union=getattr(store, "stored_union", False))
    dataset = getattr(store, "dataset", None)
    chosen = how or path(store, new)
    if chosen == "python" and dataset is not None:  # rdflib in memory
        names = [n for n in store.names() if n not in (ONTOLOGY_GRAPH, rules.inferred)]
        asserted = {t for n in names for t in dataset.graph(n)} | set(dataset.graph(rules.inferred))
        store.add(derive(asserted, ontology), rules.inferred)
    elif chosen == "python":
        hierarchy = Hierarchy(ontology)
        store.derive_closure(lambda **native: Closure(hierarchy, **native), rules.inferred)  # type: ignore[attr-defined]
    else:
        rules.materialise(store, new)
    rules.check(store)
    return store.count(rules.inferred)
