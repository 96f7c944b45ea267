"""The explorer at ``/``: its JSON (entities, plans, completion), its graph views, and the pages
themselves in a real headless Chromium, with labels and queries that carry markup."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path
from typing import Any, Iterator

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from plangraph.api import PlanGraph, load
from plangraph.graph.iri import PG, asserted_graph_iri

from .serving import http, serving

HOSTILE = '<script>window.pwned=1</script>"><img src=x onerror=window.pwned=2> href=javascript:window.pwned=3 \'&amp;'
LONG = "长" * 20_000 + "<b>end</b>"
EVIL = URIRef("https://w3id.org/plangraph/id/<evil>".replace("<", "%3C").replace(">", "%3E"))


def q(text: str) -> str:
    return urllib.parse.quote(text)


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    """The bundled plan, and a company whose labels are markup, linked from one of its tasks."""
    pg = load()
    task = next(iter(pg.store.query("SELECT ?t WHERE { ?t a pg:Task } ORDER BY ?t LIMIT 1").rows))[0]
    pg.store.add([(EVIL, RDF.type, PG.Company), (EVIL, RDFS.label, Literal(HOSTILE, lang="zh")),
                  (EVIL, RDFS.label, Literal(HOSTILE + " en", lang="en")), (EVIL, SKOS.altLabel, Literal("javascript:alert(1)")),
                  (EVIL, SKOS.altLabel, Literal(LONG)),
                  (task, PG.involvesActor, EVIL), (task, PG.dependsOn, EVIL)], asserted_graph_iri("taiyuan"))
    with serving(pg.store) as url:
        yield url


def test_an_entity_shows_labels_types_links_plans_and_sources(hostile: str, taiyuan: PlanGraph) -> None:
    status, _, body = http(f"{hostile}/api/entity?iri={q('太钢集团')}")  # an alias finds it
    e = json.loads(body)
    assert status == 200 and e["iri"] == str(taiyuan.resolve("太钢"))
    assert e["labels"]["zh"] == "太钢" and e["labels"]["en"].startswith("TISCO") and "太钢集团" in e["aliases"]
    kinds = {t["iri"].rsplit("#", 1)[-1]: {g["kind"] for g in t["graphs"]} for t in e["types"]}
    assert kinds["Company"] == {"asserted"} and kinds["Carrier"] == {"inferred"}
    anchored = [link for link in e["links"] if link["property"].endswith("#anchoredBy")]
    assert anchored and anchored[0]["direction"] == "in" and anchored[0]["other"]["label"] == "新材料产业集群"
    assert [p["iri"] for p in e["plans"]] == ["https://w3id.org/plangraph/id/taiyuan"]
    # the passage it was read from, and each sentence that links it (as link-sources finds them)
    read_from = [s for s in e["sources"] if s["fact"] == "node"]
    assert read_from and all("太钢" in s["quote"] and s["other"] is None for s in read_from)
    links = {(s["quote"], s["other"]["label"]) for s in e["sources"] if s["fact"] == "link"}
    assert links == {(r["quote"], r["subjectLabel"]) for r in taiyuan.query("link-sources", entity="太钢").records()}


def test_a_goal_lists_its_targets_with_values(hostile: str) -> None:
    e = json.loads(http(f"{hostile}/api/entity?iri={q('经济实力明显增强')}")[2])
    values = {t["target"]["label"]: (t["value"], t["unit"], t["comparator"]) for t in e["targets"]}
    assert values["人均地区生产总值达到2万美元以上"] == ("20000.0", "美元", ">=")


def test_a_plan_page_has_its_outline_and_an_unknown_node_is_404(hostile: str) -> None:
    p = json.loads(http(f"{hostile}/api/plan?iri={q('pgid:taiyuan')}")[2])
    vision = p["outline"][0]
    assert vision["type"] == "Vision" and {c["type"] for c in vision["children"]} == {"Theme"}
    goals = [g for theme in vision["children"] for g in theme["children"] if g["type"] == "Goal"]
    assert goals and any(t["type"] == "Target" for g in goals for t in g["children"])
    assert p["shared"] == []  # one plan in the store: nothing shared
    status, _, body = http(f"{hostile}/api/entity?iri={q('太钢厂')}")
    assert status == 404 and "太钢" in body.decode()
    assert http(f"{hostile}/api/plan?iri={q('太钢')}")[0] == 400  # a node, not a plan


def test_completion_offers_labels_that_contain_the_text(hostile: str) -> None:
    labels = json.loads(http(f"{hostile}/api/complete?text={q('钢')}")[2])
    assert labels[:3] == ["太钢", "太钢集团", "太原钢铁集团"]
    assert json.loads(http(f"{hostile}/api/complete?text=")[2]) == []


def test_graph_views_draw_a_neighbourhood_and_an_answer(hostile: str) -> None:
    status, headers, body = http(f"{hostile}/view?focus={q('太钢')}&hops=1")
    page = body.decode()
    assert status == 200 and "default-src 'none'" in headers["Content-Security-Policy"]
    assert "新材料产业集群" in page and "https://" not in page.split("<script")[0]
    status, _, body = http(f"{hostile}/view?query=cluster-anchors&cluster={q('新材料产业集群')}")
    assert status == 200 and "凯赛生物" in body.decode()
    assert http(f"{hostile}/view?focus={q('太钢')}&hops=9")[0] == 400
    assert http(f"{hostile}/view")[0] == 400


# -- in a real browser ----------------------------------------------------------------------------
class Session:
    """A browser page on the server, with every request elsewhere refused and recorded."""

    def __init__(self, browser: Any, base: str):
        self.base = base
        self.elsewhere: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1300, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(self.base):
            route.continue_()
        else:
            self.elsewhere.append(route.request.url)
            route.abort()

    def open(self, hash_: str) -> Any:
        self.page.goto(f"{self.base}/{hash_}")
        return self.page

    def pwned(self) -> Any:
        return self.page.evaluate("window.pwned")


@pytest.mark.browser
def test_the_explorer_runs_a_query_opens_an_entity_and_its_graph(browser: Any, hostile: str) -> None:
    s = Session(browser, hostile)
    page = s.open("#/query/company-contributions")
    page.fill("input[name=company]", "太钢")
    page.click("#query-form button[type=submit]")
    page.wait_for_selector("table.results tbody tr")
    assert page.locator("table.results th").first.inner_text() == "company"
    assert "经济实力明显增强" in page.inner_text("table.results")
    href = page.get_attribute("#download-csv", "href")
    assert href.endswith("format=csv&download=1") and "company=" in href
    # an entity of the answer, by its link
    page.locator("table.results a.entity", has_text="taiyuan/goal").first.click()
    page.wait_for_selector("h2:has-text('链出')")
    assert page.inner_text("h1").startswith("经济实力明显增强 /") and "出处" in page.inner_text("main")
    # its neighbourhood, drawn by the page inside the explorer
    page.click("#entity-graph")
    frame = page.frame_locator("iframe.graph")
    frame.locator("#mynetwork canvas, canvas").first.wait_for(timeout=15000)
    assert not s.errors and not s.elsewhere
    s.context.close()


@pytest.mark.browser
def test_the_explorer_shows_markup_in_labels_as_text(browser: Any, hostile: str) -> None:
    s = Session(browser, hostile)
    page = s.open(f"#/entity?iri={q(str(EVIL))}")
    page.wait_for_selector("h2:has-text('链入')")
    assert page.inner_text("h1").startswith("<script>window.pwned=1</script>")
    assert page.locator("main img").count() == 0 and page.locator("main script").count() == 0
    assert LONG in page.inner_text("main")  # a long label whole, as text
    # its neighbourhood drawn by the page: the labels travel as data there too
    page.click("#entity-graph")
    page.frame_locator("iframe.graph").locator("canvas").first.wait_for(timeout=15000)
    assert len(page.frames) == 2 and all(frame.evaluate("window.pwned") is None for frame in page.frames)
    page.goto(f"{hostile}/#/entity?iri={q(str(EVIL))}")
    page.wait_for_selector("h2:has-text('链入')")
    # the company is linked from a task: its label is a link's text there, not markup
    task_link = page.locator("main a.entity[title*='/task/']").first
    task_link.click()
    page.wait_for_function("location.hash.includes('task')")
    page.locator("main a.entity", has_text="<script>window.pwned=1</script>").first.wait_for()
    assert "null" not in page.inner_text("main")
    # a hostile parameter: the server's error, shown as text
    page.goto(f"{hostile}/#/query/company-contributions?company={q('<img src=x onerror=window.pwned=6>')}&run=1")
    page.wait_for_selector(".error")
    assert page.inner_text(".error").startswith("no node is <img src=x onerror=window.pwned=6>")
    # a hostile query in the editor: its echo in the parser's message is text too
    page.goto(f"{hostile}/#/sparql")
    page.fill("#sparql-text", "SELECT <script>window.pwned=5</script> WHERE { }")
    page.click("#run-sparql")
    page.wait_for_selector(".error")
    assert "not valid SPARQL" in page.inner_text(".error")
    assert s.pwned() is None and not s.errors and not s.elsewhere
    s.context.close()


@pytest.mark.browser
def test_the_explorer_plan_page_and_the_sparql_editor(browser: Any, hostile: str) -> None:
    s = Session(browser, hostile)
    page = s.open("#/")
    page.click("main ul li a")  # the first plan
    page.wait_for_selector("ul.tree")
    assert "经济实力明显增强" in page.inner_text("ul.tree")
    page.goto(f"{hostile}/#/sparql")
    page.wait_for_selector("#examples option[value=goals-targets]", state="attached")
    page.select_option("#examples", "goals-targets")
    assert "goal" in page.input_value("#sparql-text")
    page.click("#run-sparql")
    page.wait_for_selector("table.results tbody tr")
    assert "人均地区生产总值" in page.inner_text("table.results")
    assert not s.errors and not s.elsewhere
    s.context.close()


PLAN_A = """\
plan: {id: lanxi-2025, title: {zh: 兰溪市2025年政府工作报告}}
themes:
  - id: industry
    label: {zh: 产业升级}
    goals:
      - {id: output, label: {zh: 工业产值稳步增长}}
    tasks:
      - {id: steel, label: {zh: 推动钢铁产业高端化}, involves: [恒岳钢铁], supports: [output]}
entities:
  - {name: 恒岳钢铁, type: Company, label: {zh: 恒岳钢铁}}
"""
PLAN_B = """\
plan: {id: lanxi-2026, title: {zh: 兰溪市2026年政府工作报告}}
themes:
  - id: industry
    label: {zh: 制造强市}
    tasks:
      - {id: steel, label: {zh: 建设特钢基地}, involves: [恒岳钢铁, 青川港]}
entities:
  - {name: 恒岳钢铁, type: Company, label: {zh: 恒岳钢铁}}
  - {name: 青川港, type: Site, label: {zh: 青川港}}
"""


def test_a_plan_page_lists_the_carriers_it_shares_with_the_other_plans(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(PLAN_A, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(PLAN_B, encoding="utf-8")
    pg = load(tmp_path / "a.yaml", tmp_path / "b.yaml", cache=False)
    with serving(pg.store) as url:
        page = json.loads(http(f"{url}/api/plan?iri={q('兰溪市2025年政府工作报告')}")[2])
        assert [(s["label"], s["type"], [p["label"] for p in s["plans"]]) for s in page["shared"]] == \
            [("恒岳钢铁", "Company", ["兰溪市2026年政府工作报告"])]  # 青川港 is the other plan's alone
        entity = json.loads(http(f"{url}/api/entity?iri={q('恒岳钢铁')}")[2])
        assert sorted(p["label"] for p in entity["plans"]) == ["兰溪市2025年政府工作报告", "兰溪市2026年政府工作报告"]
