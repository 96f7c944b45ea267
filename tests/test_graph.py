"""RDF build, shared IRIs, HermiT reasoning, inconsistency reports, SHACL validation and the networkx projection."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Literal, URIRef

from plangraph.api import PlanGraph, load
from plangraph.graph.build import ontology_graph, plan_to_graph
from plangraph.graph.iri import INFERRED_GRAPH, PG, asserted_graph_iri, element_iri, entity_iri
from plangraph.graph.network import carrier_ranking, dependencies
from plangraph.graph.reason import InconsistentPlanError, infer
from plangraph.graph.validate import validate
from plangraph.loaders import loads_yaml

TAIYUAN = "taiyuan"
ECONOMY = element_iri(TAIYUAN, "goal", "economic-strength")
INNOVATION = element_iri(TAIYUAN, "goal", "innovation-vitality")

SECOND_PLAN = """\
plan: {id: second, title: {zh: 另一份规划}}
vision: {id: v, label: {zh: 建设示范城}}
themes:
  - id: industry
    label: {zh: 产业升级}
    goals:
      - {id: steel, label: {zh: 钢铁产业做强}}
    tasks:
      - id: steel-task
        label: {zh: 推动钢铁产业高端化}
        supports: [steel]
        involves: [太钢集团]
entities:
  - {name: 太钢, type: %s, label: {zh: 太钢}, aliases: [太钢集团]}
"""


def test_asserted_graph_types_and_values(taiyuan: PlanGraph) -> None:
    g = taiyuan.asserted()
    target = element_iri(TAIYUAN, "target", "gdp-per-capita")
    assert g.value(target, PG.targetValue) == Literal("20000.0", datatype=XSD.decimal)
    assert g.value(target, PG.comparator) == Literal(">=")
    assert g.value(element_iri(TAIYUAN, "target", "industrial-enterprises-3000"), PG.targetYear) == Literal("2025", datatype=XSD.gYear)
    assert (entity_iri("新材料产业集群"), PG.anchoredBy, entity_iri("太钢")) in g
    assert (element_iri(TAIYUAN, "task", "industrial-economy"), PG.develops, entity_iri("新材料产业集群")) in g
    assert Literal("太原钢铁集团", lang="zh") in set(g.objects(entity_iri("太钢"), URIRef("http://www.w3.org/2004/02/skos/core#altLabel")))


def test_reasoner_derives_the_chain_and_hierarchy(taiyuan: PlanGraph) -> None:
    inferred = taiyuan.inferred()
    steel = entity_iri("太钢")
    # anchors ∘ developedBy ∘ supports: the sub-task inherits "supports" from its parent (another chain)
    assert (steel, PG.contributesTo, ECONOMY) in inferred
    assert (element_iri(TAIYUAN, "task", "industrial-economy"), PG.supports, ECONOMY) in inferred
    assert (steel, PG.anchors, entity_iri("新材料产业集群")) in inferred
    assert (steel, RDF.type, PG.Actor) in inferred
    assert (entity_iri("汾河国家公园"), RDF.type, URIRef("https://schema.org/Place")) in inferred
    parent, child = element_iri(TAIYUAN, "task", "innovation-driven"), element_iri(TAIYUAN, "task", "talent")
    assert (parent, PG.hasSubTask, child) in inferred
    assert (child, PG.hasAncestorTask, parent) in inferred
    assert (ECONOMY, PG.dependsOn, element_iri(TAIYUAN, "task", "modern-industrial-system")) in inferred
    # the plan's themes come through its vision (hasVision ∘ hasTheme → hasTheme)
    assert (URIRef("https://w3id.org/plangraph/id/taiyuan"), PG.hasTheme, element_iri(TAIYUAN, "theme", "culture-charm")) in inferred
    # direct involvement: involvedIn ∘ supports → contributesToViaTask
    assert (entity_iri("揭榜挂帅"), PG.contributesToViaTask, INNOVATION) in inferred


def test_inferred_triples_live_in_their_own_graph(taiyuan: PlanGraph) -> None:
    asserted, inferred = taiyuan.asserted(), taiyuan.inferred()
    assert len(inferred) > 500
    assert not set(asserted) & set(inferred)
    names = taiyuan.store.names()
    assert asserted_graph_iri(TAIYUAN) in names and INFERRED_GRAPH in names
    rows = taiyuan.query(
        "SELECT ?g WHERE { GRAPH ?g { <https://w3id.org/plangraph/id/太钢> <https://w3id.org/plangraph/ontology#contributesTo> ?x } }")
    assert {str(r[0]) for r in rows} == {str(INFERRED_GRAPH)}


def test_two_plans_share_one_node_for_the_same_company() -> None:
    pg = PlanGraph()
    pg.add_plan(loads_yaml(SECOND_PLAN % "Company", "second.yaml"))
    from plangraph.loaders import bundled_plan_path, load_plan

    pg.add_plan(load_plan(bundled_plan_path()))
    pg.reason()
    g = pg.graph()
    steel = entity_iri("太钢")
    assert set(g.objects(steel, PG.involvedIn)) == {element_iri("second", "task", "steel-task")}
    assert {element_iri("second", "goal", "steel"), ECONOMY} <= set(g.objects(steel, PG.contributesTo))
    assert len(pg.store.names()) == 5  # ontology, two plans, inferred, the catalog
    assert pg.plan_ids == ["second", "taiyuan"]


def test_inconsistent_plans_name_the_nodes() -> None:
    pg = PlanGraph()
    pg.add_plan(loads_yaml(SECOND_PLAN % "Site", "second.yaml"))  # 太钢 as a site here, a company in Taiyuan
    from plangraph.loaders import bundled_plan_path, load_plan

    pg.add_plan(load_plan(bundled_plan_path()))
    with pytest.raises(InconsistentPlanError) as info:
        pg.reason()
    assert info.value.nodes == [str(entity_iri("太钢"))]
    assert "太钢 <https://w3id.org/plangraph/id/太钢> is both a company and a site, which are disjoint" in str(info.value)


def test_functional_value_clash_is_reported() -> None:
    g = plan_to_graph(loads_yaml(SECOND_PLAN % "Company", "second.yaml"))
    t = element_iri("second", "target", "x")
    g.add((t, RDF.type, PG.Target))
    g.add((t, RDFS.label, Literal("两个数值", lang="zh")))
    g.add((t, PG.targetValue, Literal("1", datatype=XSD.decimal)))
    g.add((t, PG.targetValue, Literal("2", datatype=XSD.decimal)))
    with pytest.raises(InconsistentPlanError, match="两个数值 .* several values for target value"):
        infer(g, ontology_graph())


def test_bundled_plan_conforms(taiyuan: PlanGraph) -> None:
    report = taiyuan.validate()
    assert report.conforms, str(report)
    assert report.warnings == []


def test_shacl_rejects_a_broken_plan(taiyuan: PlanGraph) -> None:
    g = taiyuan.asserted()
    bad_target = element_iri(TAIYUAN, "target", "gdp-per-capita")
    g.remove((bad_target, PG.unit, None))  # a value without a unit
    g.remove((ECONOMY, RDFS.label, Literal("经济实力明显增强", lang="zh")))  # no zh label
    orphan = element_iri(TAIYUAN, "goal", "orphan")
    g.add((orphan, RDF.type, PG.Goal))
    g.add((orphan, RDFS.label, Literal("无主目标", lang="zh")))  # hangs under no theme
    g.add((element_iri(TAIYUAN, "target", "rd-full-coverage"), PG.comparator, Literal("about")))
    report = validate(g)
    assert not report.conforms
    messages = {(v.node, v.message) for v in report.violations}
    assert (str(bad_target), "a quantified target (with pg:targetValue) needs a pg:unit and a pg:comparator") in messages
    assert (str(ECONOMY), "has no Chinese (zh) label") in messages
    assert (str(orphan), "a goal must hang under a theme (pg:hasGoal)") in messages
    assert any(v.message.startswith("the comparator must be one of") for v in report.violations)
    text = str(report)
    assert "无主目标" in text and "violation(s)" in text


def test_networkx_projection(taiyuan: PlanGraph) -> None:
    G = taiyuan.to_networkx()
    steel = str(entity_iri("太钢"))
    assert G.nodes[steel]["type"] == "Company" and G.nodes[steel]["label"] == "太钢"
    assert G.nodes[steel]["quote"] == "依托太钢、中电科、凯赛生物等企业"
    needs = dependencies(G, str(ECONOMY))
    assert steel in needs and str(entity_iri("新材料产业集群")) in needs
    assert str(entity_iri("太钢")) not in dependencies(G, str(element_iri(TAIYUAN, "goal", "cultural-soft-power")))
    ranking = carrier_ranking(G)
    top = ranking[0]
    assert top["label"] == "钟楼街" and top["reach"] == 8  # serves both pillars
    companies = [r for r in ranking if r["type"] == "Company"]
    assert len(companies) == 10 and all(r["reach"] == 4 for r in companies)


def test_load_is_repeatable() -> None:
    a, b = load(), load()
    assert len(a.inferred()) == len(b.inferred())
    assert set(a.graph()) == set(b.graph())


def test_range_targets_keep_both_bounds() -> None:
    text = (SECOND_PLAN % "Company").replace("      - {id: steel, label: {zh: 钢铁产业做强}}", """      - id: steel
        label: {zh: 钢铁产业做强}
        targets:
          - {id: r, label: {zh: 收入增长4.5%—5%}, value: 4.5, upper: 5, unit: "%", comparator: ">="}""")
    g = plan_to_graph(loads_yaml(text, "range.yaml"))
    t = element_iri("second", "target", "r")
    assert (g.value(t, PG.targetValue), g.value(t, PG.upperValue)) == (Literal("4.5", datatype=XSD.decimal), Literal("5.0", datatype=XSD.decimal))
    assert validate(g).conforms
    g.set((t, PG.upperValue, Literal("4.0", datatype=XSD.decimal)))
    assert any("exceeds its upper bound" in v.message for v in validate(g).violations)
    with pytest.raises(Exception, match=r"range.yaml:10: themes\[0\].goals\[0\].targets\[0\].upper: a range needs a value"):
        loads_yaml(text.replace("upper: 5", "upper: 4"), "range.yaml")


def test_changing_the_plans_drops_stale_inferences() -> None:
    pg = load()
    before = len(pg.inferred())
    assert before > 0 and pg.reasoned
    pg.add_plan(loads_yaml(SECOND_PLAN % "Company", "second.yaml"))
    # a new plan takes nothing away (OWL is monotone): what was inferred stays, the rest is missing
    assert not pg.reasoned and len(pg.inferred()) == before
    pg.reason()
    assert (entity_iri("太钢"), PG.contributesTo, element_iri("second", "goal", "steel")) in pg.inferred()
    changed = loads_yaml((SECOND_PLAN % "Company").replace("钢铁产业做强", "钢铁产业做优"), "second.yaml")
    pg.add_plan(changed)
    assert len(pg.inferred()) == 0 and not pg.reasoned  # a changed plan: what was inferred from it may no longer hold


def test_sources_that_hold_no_plan_say_why(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "bad.yaml").write_text("plan: [", encoding="utf-8")
    with pytest.raises(Exception, match=r"holds no plan file plangraph can read \(skipped .*bad.yaml:1: not valid YAML"):
        load(folder)
    pg = PlanGraph()
    (folder / "second.yaml").write_text(SECOND_PLAN % "Company", encoding="utf-8")
    assert [p.id for p in pg.add_sources(folder)] == ["second"]
    assert pg.add_source(folder / "second.yaml").id == "second"  # the same plan again replaces itself
    (folder / "other.yaml").write_text((SECOND_PLAN % "Company").replace("title: {zh: ", "title: {zh: 另一"), encoding="utf-8")
    assert pg.add_source(folder / "other.yaml").id == "second-2"  # another plan's id gets a suffix
    assert pg.plan_ids == ["second", "second-2"]
    assert any("bad.yaml" in w for w in pg.warnings)


def test_property_values_derived_by_rules_are_hermits(taiyuan: PlanGraph) -> None:
    # HermiT decides types and consistency; the property values it would infer (chains, inverses,
    # transitivity) come from the ontology's axioms by rule: the two must agree exactly
    from plangraph.loaders import load_plan

    for plan in (None, load_plan(Path(__file__).parent / "texts" / "provincial-work-report.txt", model=False)):
        data = taiyuan.asserted() if plan is None else plan_to_graph(plan)
        by_rules = set(infer(data, ontology_graph()))
        assert by_rules == set(infer(data, ontology_graph(), property_values=True))
        assert any(p == PG.contributesTo for _, p, _ in by_rules)
