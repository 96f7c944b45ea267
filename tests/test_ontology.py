"""The ontology file: parses in rdflib and owlready2, is documented, consistent, and has the promised axioms."""

from __future__ import annotations

import io

import owlready2
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SKOS

from plangraph.graph.build import ontology_graph
from plangraph.graph.iri import PG
from plangraph.graph.reason import java_executable
from plangraph.ontology import ontology_path, shapes_path

CLASSES = ["Plan", "Vision", "Theme", "Goal", "Target", "Task", "Actor", "Company", "Site", "IndustryCluster",
           "Reform", "Programme", "Event", "Brand", "Designation", "GovernmentBody"]
OBJECT_PROPERTIES = ["hasTheme", "hasGoal", "hasTask", "hasTarget", "supports", "subTaskOf", "hasSubTask", "involves",
                     "involvesActor", "involvesSite", "involvesReform", "involvesProgramme", "develops", "anchoredBy",
                     "dependsOn", "contributesTo", "hasAncestorTask"]
DATA_PROPERTIES = ["indicator", "targetValue", "unit", "comparator", "targetYear", "scale"]


@pytest.fixture(scope="module")
def onto() -> Graph:
    return ontology_graph()


def test_turtle_parses_and_declares_the_public_names(onto: Graph) -> None:
    assert (PG.Company, RDFS.subClassOf, PG.Actor) in onto
    for name in CLASSES:
        assert (PG[name], RDF.type, OWL.Class) in onto, name
    for name in OBJECT_PROPERTIES:
        assert (PG[name], RDF.type, OWL.ObjectProperty) in onto, name
    for name in DATA_PROPERTIES:
        assert (PG[name], RDF.type, OWL.DatatypeProperty) in onto, name


def test_every_term_has_zh_and_en_labels_and_a_definition(onto: Graph) -> None:
    terms = set(onto.subjects(RDF.type, OWL.Class)) | set(onto.subjects(RDF.type, OWL.ObjectProperty)) | set(
        onto.subjects(RDF.type, OWL.DatatypeProperty))
    terms = {t for t in terms if str(t).startswith(str(PG))}
    assert len(terms) > 40
    for term in terms:
        langs = {lit.language for lit in onto.objects(term, RDFS.label) if isinstance(lit, Literal)}
        assert {"zh", "en"} <= langs, f"{term} labels: {langs}"
        defs = list(onto.objects(term, SKOS.definition)) + list(onto.objects(term, RDFS.comment))
        assert {d.language for d in defs} >= {"zh", "en"}, f"{term} needs a definition in zh and en"


def test_w3c_vocabularies_are_reused(onto: Graph) -> None:
    assert (PG.Company, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Organization")) in onto
    assert (PG.Site, RDFS.subClassOf, URIRef("https://schema.org/Place")) in onto
    bmm = " ".join(str(d) for d in onto.objects(PG.Target, SKOS.definition))
    assert "BMM" in bmm and "Objective" in bmm


def test_axioms_that_earn_the_reasoner(onto: Graph) -> None:
    assert (PG.hasSubTask, OWL.inverseOf, PG.subTaskOf) in onto
    assert (PG.hasAncestorTask, RDF.type, OWL.TransitiveProperty) in onto
    assert (PG.subTaskOf, RDFS.subPropertyOf, PG.hasAncestorTask) in onto
    groups = [set(Collection(onto, onto.value(n, OWL.members))) for n in onto.subjects(RDF.type, OWL.AllDisjointClasses)]
    assert {PG.Company, PG.Site, PG.Reform, PG.Programme} in groups
    chain = list(Collection(onto, onto.value(PG.contributesTo, OWL.propertyChainAxiom)))
    assert chain == [PG.anchors, PG.developedBy, PG.supports]
    for prop in ("hasGoal", "hasTask", "hasTarget", "supportedBy", "hasSubTask", "involves", "anchoredBy"):
        assert (PG[prop], RDFS.subPropertyOf, PG.dependsOn) in onto, prop


def test_owlready2_loads_it_and_hermit_finds_it_consistent(onto: Graph) -> None:
    # owlready2 reads RDF/XML and N-Triples; Protégé reads the Turtle file itself.
    world = owlready2.World()
    data = onto.serialize(format="xml", encoding="utf-8")
    o = world.get_ontology("https://w3id.org/plangraph/ontology").load(fileobj=io.BytesIO(data), format="rdfxml")
    company = o.search_one(iri=str(PG.Company))
    actor = o.search_one(iri=str(PG.Actor))
    assert company is not None and actor in company.ancestors()
    owlready2.JAVA_EXE = java_executable()
    owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)  # raises if inconsistent
    assert not list(world.inconsistent_classes())


def test_files_are_plain_turtle() -> None:
    for path in (ontology_path(), shapes_path()):
        g = Graph().parse(path, format="turtle")
        assert len(g) > 50
