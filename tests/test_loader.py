"""The plan model, the YAML loader and the bundled Taiyuan plan."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from plangraph.loaders import PlanSourceError, bundled_plan_path, load_plan, load_yaml, loads_yaml
from plangraph.loaders.model import Entity, Plan, Text


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(bundled_plan_path())


def test_bundled_plan_counts(plan: Plan) -> None:
    assert [t.label.zh for t in plan.themes] == ["产业兴旺 经济发达", "文化兴盛 魅力彰显"]
    assert [g.label.zh for g in plan.goals()] == ["经济实力明显增强", "创新活力明显释放", "文化软实力明显提高"]
    assert len(list(plan.targets())) == 17
    assert sum(t.quantified for t in plan.targets()) == 6
    tasks = list(plan.tasks())
    assert len(tasks) == 19
    assert sum(len(t.tasks) for t in plan.themes) == 5  # key tasks
    assert Counter(e.type for e in plan.entities) == {
        "Site": 24, "Programme": 13, "Reform": 15, "Company": 10, "IndustryCluster": 5,
        "Designation": 4, "Event": 2, "Brand": 2,
    }


def test_bundled_plan_quantified_targets(plan: Plan) -> None:
    targets = {t.id: t for t in plan.targets()}
    gdp = targets["gdp-per-capita"]
    assert (gdp.value, gdp.unit, gdp.comparator, gdp.year) == (Decimal(20000), "美元", ">=", None)
    trillion = targets["gdp-trillion"]
    assert (trillion.value, trillion.unit, trillion.comparator) == (Decimal(10) ** 12, "元", "~")
    firms = targets["industrial-enterprises-3000"]
    assert (firms.value, firms.unit, firms.comparator, firms.year) == (Decimal(3000), "家", ">=", 2025)
    assert (targets["high-tech-enterprises"].value, targets["high-tech-enterprises"].unit) == (Decimal(4500), "家")
    assert not targets["core-values-rooted"].quantified


def test_bundled_plan_clusters_and_anchors(plan: Plan) -> None:
    clusters = {e.name: e for e in plan.entities if e.type == "IndustryCluster"}
    assert {n: (c.scale, c.anchored_by) for n, c in clusters.items()} == {
        "信息技术产业集群": ("千亿级", ["富士康", "中国长城"]),
        "高端装备制造产业集群": ("百亿级", ["太重", "中车", "晋西"]),
        "新材料产业集群": ("千亿级", ["太钢", "中电科", "凯赛生物"]),
        "绿色能源产业集群": ("千亿级", ["清徐精细化工循环产业园"]),
        "消费品产业集群": ("百亿级", ["太原酒厂", "清徐醋业"]),
    }
    assert clusters["高端装备制造产业集群"].multiple and not clusters["新材料产业集群"].multiple


@pytest.mark.parametrize("name,kind", [
    ("太钢", "Company"), ("凯赛生物", "Company"), ("清徐精细化工循环产业园", "Site"), ("武宿机场", "Site"),
    ("太绥客运专线", "Site"), ("汾河国家公园", "Site"), ("能源革命综合改革", "Reform"),
    ("“承诺制+标准地+全代办”改革", "Reform"), ("三个一批", "Programme"), ("厕所革命", "Programme"),
    ("太原国际通用航空博览会", "Event"), ("山西老陈醋", "Brand"), ("“唐风晋韵·锦绣太原”", "Brand"),
    ("国家全域旅游示范区", "Designation"), ("国家可持续发展议程创新示范区", "Designation"),
])
def test_bundled_plan_spot_checks(plan: Plan, name: str, kind: str) -> None:
    e = plan.entity(name)
    assert e is not None and e.type == kind
    assert e.label.zh and e.label.en and e.sources


def test_aliases_resolve(plan: Plan) -> None:
    assert plan.entity("太原钢铁集团").name == "太钢"
    assert plan.entity("太重集团").name == "太重"


def test_every_fact_has_provenance_quoted_from_the_article(plan: Plan, article: str) -> None:
    flat = re.sub(r"\s+", "", article)
    nodes = [plan.vision, *plan.themes, *plan.goals(), *plan.targets(), *plan.tasks(), *plan.entities]
    assert all(n.sources for n in nodes)
    missing = [s.quote for n in nodes for s in n.sources if re.sub(r"\s+", "", s.quote) not in flat]
    assert missing == []


def test_every_node_has_english(plan: Plan) -> None:
    nodes = [plan.vision, *plan.themes, *plan.goals(), *plan.targets(), *plan.tasks(), *plan.entities]
    assert [n.label.zh for n in nodes if not n.label.en] == []


MINIMAL = """\
plan: {id: demo, title: {zh: 示例}}
themes:
  - id: t1
    label: {zh: 板块一}
    goals:
      - id: g1
        label: {zh: 目标一}
        targets:
          - id: x1
            label: {zh: 指标一}
            value: 5
            unit: "%"
            comparator: ">="
    tasks:
      - id: k1
        label: {zh: 任务一}
        supports: [g1]
        involves: [甲公司]
entities:
  - {name: 甲公司, type: Company, label: {zh: 甲公司}}
"""


def test_minimal_plan_loads() -> None:
    plan = loads_yaml(MINIMAL, "demo.yaml")
    assert plan.entity("甲公司").type == "Company"
    assert next(plan.targets()).value == Decimal(5)


@pytest.mark.parametrize("change,line,field,reason", [
    (("comparator: \">=\"", "comparator: \"more\""), 13, "themes[0].goals[0].targets[0].comparator", "is not one of"),
    (("            unit: \"%\"\n", ""), 9, "themes[0].goals[0].targets[0].unit", "needs a unit and a comparator"),
    (("involves: [甲公司]", "involves: [乙公司]"), 18, "themes[0].tasks[0].involves[0]", "is not an entity"),
    (("supports: [g1]", "supports: [g9]"), 17, "themes[0].tasks[0].supports[0]", "not the id of a goal"),
    (("label: {zh: 任务一}", "lable: {zh: 任务一}"), 16, "themes[0].tasks[0].lable", "unknown field"),
    (("id: k1", "id: g1"), 15, "themes[0].tasks[0].id", "already used"),
    (("value: 5", "value: five"), 11, "themes[0].goals[0].targets[0].value", "expected a number"),
    (("type: Company", "type: Firm"), 20, "entities[0].type", "is not one of"),
    (("- id: g1\n        label: {zh: 目标一}\n", "- id: g1\n"), 6, "themes[0].goals[0].label", "is missing"),
])
def test_yaml_mistakes_name_file_line_and_field(change: tuple[str, str], line: int, field: str, reason: str) -> None:
    text = MINIMAL.replace(*change)
    assert text != MINIMAL
    with pytest.raises(PlanSourceError) as info:
        loads_yaml(text, "demo.yaml")
    err = info.value
    assert (err.file, err.line, err.field) == ("demo.yaml", line, field)
    assert reason in str(err) and str(err).startswith(f"demo.yaml:{line}: {field}:")


def test_evidence_must_name_the_plan_s_tasks_and_entities() -> None:
    good = MINIMAL + "evidence:\n  - {subject: k1, relation: involves, object: 甲公司, from: {section: s, quote: q}}\n"
    assert loads_yaml(good, "demo.yaml").evidence[0].object == "甲公司"
    with pytest.raises(PlanSourceError, match=r"demo.yaml:22: evidence\[0\].subject: 'k9' is not the id of a task"):
        loads_yaml(good.replace("subject: k1", "subject: k9"), "demo.yaml")
    with pytest.raises(PlanSourceError, match=r"demo.yaml:22: evidence\[0\].object\[0\]: '乙港' is not an entity"):
        loads_yaml(good.replace("object: 甲公司", "object: 乙港"), "demo.yaml")


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(PlanSourceError, match=r"^bad.yaml:4: not valid YAML: .*started on line 3"):
        loads_yaml("plan:\n  id: x\n  title: [unclosed\n", "bad.yaml")


def test_empty_and_unreadable_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(PlanSourceError, match="empty.yaml: the file is empty"):
        load_yaml(empty)
    binary = tmp_path / "blob.yaml"
    binary.write_bytes(b"\xff\xfe\x00\x01plan")
    with pytest.raises(PlanSourceError, match="blob.yaml: not UTF-8"):
        load_yaml(binary)
    with pytest.raises(PlanSourceError, match=r"no loader for .xls \(plangraph reads .yaml, .txt"):
        load_plan(tmp_path / "plan.xls")


def test_a_folder_keeps_one_type_and_label_per_shared_entity_and_skips_what_is_no_plan(tmp_path: Path) -> None:
    from plangraph.loaders import read_plans
    from plangraph.loaders.merge import reconcile_types

    (tmp_path / "README.md").write_text("# 说明\n\n本文件夹收录各地报告，供研究使用。\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text((Path(__file__).parent / "texts" / "district-plan.txt").read_text(encoding="utf-8"), encoding="utf-8")
    plans, warnings = read_plans([tmp_path], model=False)
    assert [p.id for p in plans] == ["a"]
    assert f"skipped {tmp_path / 'README.md'}: found no targets and no entities (not a plan text?)" in warnings
    # the same name typed and labelled differently by two extracted plans, and by a curated one
    kinds = {"a": "Reform", "b": "Programme", "c": "Programme", "d": "Site"}
    made = []
    for pid, kind in kinds.items():
        e = Entity(name="双高计划", type=kind, label=Text("“双高”计划" if pid == "a" else "双高计划"))
        made.append(Plan(id=pid, title=Text(pid), entities=[e]))
    said = reconcile_types(made, curated={"d"})
    assert [p.entities[0].type for p in made] == ["Programme", "Programme", "Programme", "Site"]
    assert [p.entities[0].label.zh for p in made[:3]] == ["双高计划"] * 3 and "“双高”计划" in made[0].entities[0].aliases
    assert said == ["双高计划: a Programme in 2 plans, a Reform in 1 (a): typed Programme in every plan"]
