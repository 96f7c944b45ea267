"""Turn the plan model into RDF triples (what the plan asserts).

>>> from plangraph.loaders import load_plan, bundled_plan_path
>>> g = plan_to_graph(load_plan(bundled_plan_path()))
>>> (entity_iri("太钢"), RDF.type, PG.Company) in g
True
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from importlib import resources

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from ..loaders.model import SCALES, Entity, Plan, Source, Target, Task, Text
from ..ontology.terms import range_of, subclasses, subproperties
from .iri import ID, PG, element_iri, entity_iri, passage_iri, plan_iri

__all__ = ["plan_to_graph", "plan_triples", "ontology_graph", "bind_prefixes", "decimal_literal", "INVOLVES_BY_TYPE", "PREFIXES"]

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")

#: Prefixes bound in every serialisation, so output is stable and readable.
PREFIXES: dict[str, str] = {
    "pg": str(PG),
    "pgid": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "schema": str(SCHEMA),
}


def _involvement(kind: str) -> URIRef:
    # the sub-property of pg:involves whose range holds this kind of carrier, else pg:involves
    for prop in subproperties("involves"):
        holds = range_of(prop)
        if holds is not None and (kind == holds or kind in subclasses(holds)):
            return PG[prop]
    return PG.involves


#: The sub-property of pg:involves used for a carrier of each entity type (read from the
#: ontology's ranges).
INVOLVES_BY_TYPE: dict[str, URIRef] = {kind: _involvement(kind) for kind in subclasses("Carrier")}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind plangraph's prefixes on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def ontology_graph() -> Graph:
    """The plangraph ontology, parsed from its Turtle file.

    >>> (PG.Company, RDFS.subClassOf, PG.Actor) in ontology_graph()
    True
    """
    path = resources.files("plangraph") / "ontology" / "plangraph.ttl"
    return bind_prefixes(Graph()).parse(data=path.read_text(encoding="utf-8"), format="turtle")


def decimal_literal(value: Decimal) -> Literal:
    """An xsd:decimal literal in canonical form, so every RDF syntax writes and reads it the same.

    >>> decimal_literal(Decimal(20000))
    rdflib.term.Literal('20000.0', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    text = format(value, "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


class _Triples(list):
    """Collects triples; rdflib's Graph.add costs more than the whole build, so graphs are made once at the end."""

    def add(self, triple: tuple) -> None:
        self.append(triple)


def _labels(g: "Graph | _Triples", node: URIRef, text: Text, prop: URIRef = RDFS.label) -> None:
    g.add((node, prop, Literal(text.zh, lang="zh")))
    if text.en:
        g.add((node, prop, Literal(text.en, lang="en")))


class _Builder:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.g = _Triples()
        self.plan_node = plan_iri(plan.id)
        self.order = 0
        self.passages: set[URIRef] = set()
        # the IRIs already made, by what makes them: many facts cite one passage or name one entity
        self._passage_iris: dict[tuple[str | None, str, str], URIRef] = {}
        self._entity_iris: dict[str, URIRef] = {}
        #: each name and alias to its entity, the first that has it (as Plan.entity finds it), made once:
        #: a look-up per reference, not a scan of every entity
        self.entities: dict[str, Entity] = {}
        for e in plan.entities:
            self.entities.setdefault(e.name, e)
            for alias in e.aliases:
                self.entities.setdefault(alias, e)
        self.evidence: dict[tuple[str, str, str], list[Source]] = {}
        for ev in plan.evidence:
            e = self.entities.get(ev.object)
            obj = e.name if e else ev.object
            s = self.entities.get(ev.subject)
            subject = s.name if s else ev.subject
            self.evidence.setdefault((subject, ev.relation, obj), []).append(ev.source)

    def element(self, kind: str, local_id: str, cls: URIRef, label: Text, sources: list[Source]) -> URIRef:
        node = element_iri(self.plan.id, kind, local_id)
        self.order += 1
        self.g.add((node, RDF.type, cls))
        _labels(self.g, node, label)
        self.g.add((node, PG.partOfPlan, self.plan_node))
        self.g.add((node, PG.order, Literal(self.order)))
        self.provenance(node, sources)
        return node

    def passage(self, src: Source) -> URIRef:
        """The passage node of a source, described once however many facts cite it."""
        document = src.document or self.plan.source_file
        key = (document, src.section, src.quote)
        p = self._passage_iris.get(key)
        if p is None:
            p = self._passage_iris[key] = passage_iri(self.plan.id, src.section, src.quote, document)
        if p not in self.passages:
            self.passages.add(p)
            self.g.add((p, RDF.type, PG.Passage))
            self.g.add((p, PG.sectionPath, Literal(src.section)))
            self.g.add((p, PG.quote, Literal(src.quote)))
            self.g.add((p, PG.partOfPlan, self.plan_node))
            if document:
                self.g.add((p, DCTERMS.source, Literal(document)))
            if src.start is not None:
                self.g.add((p, PG.startOffset, Literal(src.start)))
            if src.end is not None:
                self.g.add((p, PG.endOffset, Literal(src.end)))
        return p

    def link(self, s: URIRef, p: URIRef, o: URIRef, key: tuple[str, str, str], fallback: list[Source]) -> None:
        """Assert s p o, and say where it comes from: a reified statement derived from the sentence
        that links them (the plan's evidence), else from the subject's own source.
        """
        self.g.add((s, p, o))
        sources = self.evidence.get(key) or fallback[:1]
        if not sources:
            return
        digest = hashlib.sha1(f"{s}\x1f{p}\x1f{o}".encode("utf-8")).hexdigest()[:12]
        st = ID[f"{self.plan.id}/statement/{digest}"]
        self.g.add((st, RDF.type, RDF.Statement))
        self.g.add((st, RDF.subject, s))
        self.g.add((st, RDF.predicate, p))
        self.g.add((st, RDF.object, o))
        self.g.add((st, PG.partOfPlan, self.plan_node))
        self.provenance(st, sources)

    def provenance(self, node: URIRef, sources: list[Source]) -> None:
        for src in sources:
            self.g.add((node, PROV.wasDerivedFrom, self.passage(src)))

    def entity_ref(self, ref: str) -> tuple[URIRef, Entity | None]:
        e = self.entities.get(ref)
        name = e.name if e else ref
        iri = self._entity_iris.get(name)
        if iri is None:
            iri = self._entity_iris[name] = entity_iri(name)
        return iri, e

    def build(self) -> "_Triples":
        plan, g = self.plan, self.g
        g.add((self.plan_node, RDF.type, PG.Plan))
        _labels(g, self.plan_node, plan.title)
        _labels(g, self.plan_node, plan.title, DCTERMS.title)
        g.add((self.plan_node, DCTERMS.language, Literal(plan.language)))
        if plan.spatial:
            _labels(g, self.plan_node, plan.spatial, DCTERMS.coverage)
        if plan.issued:
            g.add((self.plan_node, DCTERMS.issued, Literal(plan.issued)))
        if plan.source_title:
            g.add((self.plan_node, DCTERMS.source, Literal(plan.source_title, lang=plan.language)))
        if plan.publisher:
            g.add((self.plan_node, DCTERMS.publisher, self.entity_ref(plan.publisher)[0]))
        theme_parent = self.plan_node
        if plan.vision:
            v = self.element("vision", plan.vision.id, PG.Vision, plan.vision.label, plan.vision.sources)
            g.add((self.plan_node, PG.hasVision, v))
            theme_parent = v
        for theme in plan.themes:
            t = self.element("theme", theme.id, PG.Theme, theme.label, theme.sources)
            g.add((theme_parent, PG.hasTheme, t))
            for goal in theme.goals:
                n = self.element("goal", goal.id, PG.Goal, goal.label, goal.sources)
                g.add((t, PG.hasGoal, n))
                for ref in goal.involves:
                    g.add((n, PG.mentions, self.entity_ref(ref)[0]))
                for target in goal.targets:
                    g.add((n, PG.hasTarget, self.target(target)))
            for task in theme.tasks:
                g.add((t, PG.hasTask, self.task(task)))
        for entity in plan.entities:
            self.entity(entity)
        return g

    def target(self, t: Target) -> URIRef:
        n = self.element("target", t.id, PG.Target, t.label, t.sources)
        if t.indicator:
            _labels(self.g, n, t.indicator, PG.indicator)
        if t.value is not None:
            self.g.add((n, PG.targetValue, decimal_literal(t.value)))
        if t.upper is not None:
            self.g.add((n, PG.upperValue, decimal_literal(t.upper)))
        if t.unit:
            self.g.add((n, PG.unit, Literal(t.unit)))
        if t.comparator:
            self.g.add((n, PG.comparator, Literal(t.comparator)))
        if t.year is not None:
            self.g.add((n, PG.targetYear, Literal(f"{t.year:04d}", datatype=XSD.gYear)))
        return n

    def task(self, task: Task, parent: URIRef | None = None) -> URIRef:
        n = self.element("task", task.id, PG.Task, task.label, task.sources)
        g = self.g
        if parent is not None:
            g.add((n, PG.subTaskOf, parent))
        for goal_id in task.supports:
            g.add((n, PG.supports, element_iri(self.plan.id, "goal", goal_id)))
        for ref in task.develops:
            node, e = self.entity_ref(ref)
            self.link(n, PG.develops, node, (task.id, "develops", e.name if e else ref), task.sources)
        for ref in task.involves:
            node, e = self.entity_ref(ref)
            self.link(n, INVOLVES_BY_TYPE[e.type] if e else PG.involves, node, (task.id, "involves", e.name if e else ref), task.sources)
        for target in task.targets:
            g.add((n, PG.hasTarget, self.target(target)))
        for sub in task.subtasks:
            self.task(sub, n)
        return n

    def entity(self, e: Entity) -> URIRef:
        g = self.g
        n = entity_iri(e.name)
        g.add((n, RDF.type, PG[e.type]))
        _labels(g, n, e.label)
        for alias in e.aliases:
            g.add((n, SKOS.altLabel, Literal(alias, lang="zh")))
        if e.label.zh != e.name:
            g.add((n, SKOS.altLabel, Literal(e.name, lang="zh")))
        if e.description:
            _labels(g, n, e.description, DCTERMS.description)
        if e.scale:
            g.add((n, PG.scale, Literal(e.scale)))
            g.add((n, PG.scaleValue, decimal_literal(SCALES[e.scale])))
        if e.type == "IndustryCluster" and e.multiple:
            g.add((n, PG.multiple, Literal(True)))
        for ref in e.anchored_by:
            node, anchor = self.entity_ref(ref)
            self.link(n, PG.anchoredBy, node, (e.name, "anchoredBy", anchor.name if anchor else ref), e.sources)
        self.provenance(n, e.sources)
        return n


def plan_triples(plan: Plan) -> list[tuple[URIRef, URIRef, URIRef | Literal]]:
    """The triples ``plan`` asserts, as a list (what a store loads in bulk)."""
    return list(_Builder(plan).build())


def plan_to_graph(plan: Plan) -> Graph:
    """The RDF graph of what ``plan`` asserts (no inferred triples)."""
    g = bind_prefixes(Graph())
    g.addN((s, p, o, g) for s, p, o in _Builder(plan).build())
    return g

