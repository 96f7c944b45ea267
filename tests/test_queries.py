"""The named-query library: headers, parameters bound as RDF terms, and the answers on the bundled plan."""

from __future__ import annotations

import re

import pytest
from rdflib import Literal, URIRef

from plangraph.api import PlanGraph
from plangraph.graph.iri import entity_iri
from plangraph.graph.oxigraph_store import OxigraphStore
from plangraph.queries import QueryError, bind, library, parse, resolve_entity

PG = "https://w3id.org/plangraph/ontology#"
LIB = library()


def test_library_lists_the_questions() -> None:
    assert set(LIB) == {
        "goals-targets", "cluster-anchors", "company-contributions", "task-tree", "sites-by-task", "sites-by-theme",
        "reforms-by-task", "entity-neighbourhood", "path-to-vision", "goals-without-quantified-target", "counts-per-class",
        "link-sources",
    }


@pytest.mark.parametrize("name", sorted(LIB))
def test_headers_and_defaults(name: str) -> None:
    q = LIB[name]
    assert q.title_zh and q.title_en and q.question
    assert re.search(r"[\u4e00-\u9fff]", q.title_zh)
    q.prepared()  # parses
    body = q.text.split("WHERE", 1)[1]
    for p in q.params:
        assert re.search(rf"VALUES \?{p.name} \{{ {re.escape(p.default)} \}}", body), f"{name}: ?{p.name} default {p.default} not in a VALUES clause"


def rows(pg: PlanGraph, name: str, **params: str) -> list[dict[str, str]]:
    return pg.query(name, **params).records()


def test_goals_targets(taiyuan: PlanGraph) -> None:
    r = rows(taiyuan, "goals-targets")
    assert len(r) == 17
    by_target = {x["targetLabel"]: x for x in r}
    gdp = by_target["人均地区生产总值达到2万美元以上"]
    assert (gdp["goalLabel"], gdp["value"], gdp["unit"], gdp["comparator"], gdp["year"]) == ("经济实力明显增强", "20000", "美元", ">=", "")
    firms = by_target["到“十四五”末规模以上工业企业达到3000家以上"]
    assert (firms["goalLabel"], firms["value"], firms["year"], firms["viaTaskLabel"]) == ("经济实力明显增强", "3000", "2025", "做强做优工业经济")
    assert by_target["经济总量向万亿元迈进"]["value"] == "1000000000000"
    culture = rows(taiyuan, "goals-targets", theme="文化兴盛 魅力彰显")
    assert len(culture) == 6 and {x["goalLabel"] for x in culture} == {"文化软实力明显提高"}


def test_cluster_anchors(taiyuan: PlanGraph) -> None:
    r = rows(taiyuan, "cluster-anchors")
    got = {}
    for x in r:
        got.setdefault((x["clusterLabel"], x["scale"], x["batch"]), set()).add((x["anchorLabel"], x["anchorType"]))
    assert got == {
        ("信息技术产业集群", "千亿级", "false"): {("富士康", "pg:Company"), ("中国长城", "pg:Company")},
        ("新材料产业集群", "千亿级", "false"): {("太钢", "pg:Company"), ("中电科", "pg:Company"), ("凯赛生物", "pg:Company")},
        ("绿色能源产业集群", "千亿级", "false"): {("清徐精细化工循环产业园", "pg:Site")},
        ("高端装备制造产业集群", "百亿级", "true"): {("太重", "pg:Company"), ("中车", "pg:Company"), ("晋西", "pg:Company")},
        ("消费品产业集群", "百亿级", "true"): {("太原酒厂", "pg:Company"), ("清徐醋业", "pg:Company")},
    }
    assert [x["scale"] for x in r][:8] == ["千亿级"] * 6 + ["百亿级"] * 2  # biggest first


def test_company_contributions_come_from_the_reasoner(taiyuan: PlanGraph) -> None:
    r = rows(taiyuan, "company-contributions")
    assert {(x["companyLabel"], x["goalLabel"], x["clusterLabel"]) for x in r} == {
        ("富士康", "经济实力明显增强", "信息技术产业集群"), ("中国长城", "经济实力明显增强", "信息技术产业集群"),
        ("太重", "经济实力明显增强", "高端装备制造产业集群"), ("中车", "经济实力明显增强", "高端装备制造产业集群"),
        ("晋西", "经济实力明显增强", "高端装备制造产业集群"), ("太钢", "经济实力明显增强", "新材料产业集群"),
        ("中电科", "经济实力明显增强", "新材料产业集群"), ("凯赛生物", "经济实力明显增强", "新材料产业集群"),
        ("太原酒厂", "经济实力明显增强", "消费品产业集群"), ("清徐醋业", "经济实力明显增强", "消费品产业集群"),
    }
    # nobody asserted it: without the inferred graph the question has no answer
    asserted_only = PlanGraph()
    for plan in taiyuan.plans:
        asserted_only.add_plan(plan)
    assert len(asserted_only.query("company-contributions")) == 0


def test_task_tree(taiyuan: PlanGraph) -> None:
    r = rows(taiyuan, "task-tree")
    assert len(r) == 19
    assert [x["taskLabel"] for x in r if x["depth"] == "1"] == [
        "加快转型升级步伐，构建具有竞争力的现代产业体系", "全面推进乡村振兴，加快农业农村现代化",
        "深入实施创新驱动战略，打造一流创新生态", "推进高水平改革开放，主动服务和融入新发展格局", "推动文化大发展大繁荣，全面建设文化强市",
    ]
    talent = next(x for x in r if x["taskLabel"].startswith("靶向引进"))
    assert (talent["parentLabel"], talent["depth"]) == ("深入实施创新驱动战略，打造一流创新生态", "2")


def test_sites_by_task_and_theme(taiyuan: PlanGraph) -> None:
    r = rows(taiyuan, "sites-by-task")
    assert len(r) == 24
    opening = {x["siteLabel"]: x["relation"] for x in rows(taiyuan, "sites-by-task", task="拓展对外开放的广度和深度")}
    assert opening == {"武宿机场（三期）": "pg:develops", "太绥客运专线": "pg:develops", "西北二环高速公路": "pg:develops"}
    themes = rows(taiyuan, "sites-by-theme")
    per_theme: dict[str, set[str]] = {}
    for x in themes:
        per_theme.setdefault(x["themeLabel"], set()).add(x["siteLabel"])
    assert (len(per_theme["产业兴旺 经济发达"]), len(per_theme["文化兴盛 魅力彰显"])) == (11, 13)
    assert per_theme["产业兴旺 经济发达"] & per_theme["文化兴盛 魅力彰显"] == {"钟楼街"}


def test_reforms_by_task(taiyuan: PlanGraph) -> None:
    r = rows(taiyuan, "reforms-by-task")
    assert len(r) == 15
    major = {x["reformLabel"] for x in r if x["taskLabel"] == "抓好事关全局的重大改革"}
    assert major == {"知识产权运营服务改革试点", "农村宅基地改革试点", "产教融合改革试点", "能源革命综合改革", "国有企业改革",
                     "财政金融体制改革", "教育领域改革", "卫生领域改革", "住房领域改革", "养老领域改革"}
    assert {x["reformLabel"] for x in rows(taiyuan, "reforms-by-task", task="持续打造一流营商环境")} == {"“承诺制+标准地+全代办”改革"}


def test_entity_neighbourhood_separates_asserted_and_inferred(taiyuan: PlanGraph) -> None:
    r = rows(taiyuan, "entity-neighbourhood")  # default: 太钢
    links = {(x["direction"], x["property"], x["otherLabel"] or x["other"], x["graph"].rsplit("/", 1)[-1]) for x in r}
    assert ("in", "pg:anchoredBy", "新材料产业集群", "taiyuan") in links
    assert ("out", "pg:anchors", "新材料产业集群", "inferred") in links
    assert ("out", "pg:contributesTo", "经济实力明显增强", "inferred") in links
    assert ("out", "rdf:type", "企业", "taiyuan") in links
    fair = rows(taiyuan, "entity-neighbourhood", entity="太原国际通用航空博览会")
    assert ("in", "pg:involvesEvent", "拓展对外开放的广度和深度") in {(x["direction"], x["property"], x["otherLabel"]) for x in fair}


def test_path_to_vision(taiyuan: PlanGraph) -> None:
    r = rows(taiyuan, "path-to-vision")  # default: 太钢
    steps = [(x["upperLabel"], x["lowerLabel"]) for x in r]
    assert steps[0] == ("全面再现“锦绣太原城”盛景", "产业兴旺 经济发达")
    assert ("做强做优工业经济", "新材料产业集群") in steps and ("新材料产业集群", "太钢") in steps
    assert ("经济实力明显增强", "做强做优工业经济") in steps
    assert not any("文化" in up for up, _ in steps)
    reform = rows(taiyuan, "path-to-vision", entity="揭榜挂帅")
    assert ("完善科技创新体制机制", "“揭榜挂帅”制度") in {(x["upperLabel"], x["lowerLabel"]) for x in reform}
    assert ("创新活力明显释放", "完善科技创新体制机制") in {(x["upperLabel"], x["lowerLabel"]) for x in reform}


def test_goals_without_quantified_target(taiyuan: PlanGraph) -> None:
    assert rows(taiyuan, "goals-without-quantified-target") == [{
        "themeLabel": "文化兴盛 魅力彰显", "goal": "pgid:taiyuan/goal/cultural-soft-power",
        "goalLabel": "文化软实力明显提高", "qualitativeTargets": "4"}]


def test_counts_per_class(taiyuan: PlanGraph) -> None:
    counts = {x["class"]: int(x["count"]) for x in rows(taiyuan, "counts-per-class")}
    expected = {"Plan": 1, "Vision": 1, "Theme": 2, "Goal": 3, "Target": 17, "Task": 19, "Company": 10, "Actor": 10,
                "Site": 24, "IndustryCluster": 5, "Reform": 15, "Programme": 13, "Event": 2, "Brand": 2, "Designation": 4}
    assert {k: counts[f"pg:{k}"] for k in expected} == expected
    assert counts["pg:Carrier"] == 75


def test_link_sources(taiyuan: PlanGraph) -> None:
    r = rows(taiyuan, "link-sources")  # default: 太钢, curated plan: the cluster's own source
    assert [(x["subjectLabel"], x["property"], x["objectLabel"], x["quote"]) for x in r] == [
        ("新材料产业集群", "pg:anchoredBy", "太钢", "打造千亿级新材料产业集群")]


def test_binding_uses_terms_not_text(taiyuan: PlanGraph) -> None:
    q = parse('SELECT ?label WHERE { VALUES ?name { "x" } ?n <http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(STR(?label) = ?name) }', "t")
    hostile = 'x" } ?a ?b ?c . { "'
    oxigraph = OxigraphStore()
    for name in taiyuan.store.names():
        oxigraph.add(taiyuan.store.graph(name), name)
    for store in (taiyuan.store, oxigraph):  # bound in rdflib's algebra, and in the text
        assert list(store.query(q.text, {"name": Literal(hostile)}).rows) == []
        assert [str(r[0]) for r in store.query(q.text, {"name": Literal("太钢")}).rows] == ["太钢"]
    assert len(taiyuan.graph().query(bind(q, {"name": Literal("太钢")}))) == 1  # the prepared query, for rdflib users
    with pytest.raises(QueryError, match="no node is labelled"):
        taiyuan.query("entity-neighbourhood", entity=hostile)


def test_parameter_errors(taiyuan: PlanGraph) -> None:
    with pytest.raises(QueryError, match="has no parameter 'colour'"):
        taiyuan.query("task-tree", colour="red")
    with pytest.raises(QueryError, match="no query named|neither a query"):
        taiyuan.query("no-such-query")
    assert resolve_entity(taiyuan.store, "pgid:太钢") == entity_iri("太钢")
    assert resolve_entity(taiyuan.store, "TISCO (Taiyuan Iron and Steel)") == entity_iri("太钢")
    assert resolve_entity(taiyuan.store, "<https://w3id.org/plangraph/id/太钢>") == URIRef(entity_iri("太钢"))


@pytest.mark.parametrize("name", sorted(LIB))
def test_each_file_runs_as_it_stands_in_another_engine(taiyuan: PlanGraph, name: str) -> None:
    """Oxigraph runs each .rq file, text unchanged, over the TriG export, with the same number of answers."""
    pyoxigraph = pytest.importorskip("pyoxigraph")
    store = _oxigraph(taiyuan, pyoxigraph)
    answers = list(store.query(LIB[name].text, use_default_graph_as_union=True))
    assert len(answers) == len(taiyuan.query(name))
    assert answers, f"{name} has no answer on the bundled plan"


_OX: dict[int, object] = {}


def _oxigraph(pg: PlanGraph, pyoxigraph):  # type: ignore[no-untyped-def]
    if id(pg) not in _OX:
        store = pyoxigraph.Store()
        store.load(pg.export(format="trig").encode("utf-8"), format=pyoxigraph.RdfFormat.TRIG)
        store.load(pg.ontology.serialize(format="nt").encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES,
                   to_graph=pyoxigraph.NamedNode("https://w3id.org/plangraph/graph/ontology"))
        _OX[id(pg)] = store
    return _OX[id(pg)]
