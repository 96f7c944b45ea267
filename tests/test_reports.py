"""Reading government work reports: structure, metadata, recognisers, references and the real-report bar.

The snippets here are written by us in the genre (fictional places and firms); the real reports in
``../shared/corpus/reports-2025`` are read only when they are there.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from plangraph.evaluate import evaluate, evaluate_files, load_reference
from plangraph.loaders import PlanSourceError
from plangraph.loaders.documents import read_text
from plangraph.loaders.entities import LexiconRecogniser, ModelRecogniser, find_entities, recognisers
from plangraph.loaders.lexicon import Lexicon, lexicon_with
from plangraph.loaders.ner import Tagger
from plangraph.loaders.quantities import find_targets
from plangraph.loaders.reference import loads as loads_reference
from plangraph.loaders.text_plan import extract

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "reports-2025"
REFERENCES = ROOT / "tests" / "reference"

REPORT = """2026年江岭省政府工作报告
来源：江岭日报
——2026年1月20日在江岭省第十四届人民代表大会第五次会议上
各位代表：
一、2025年工作回顾
过去一年，地区生产总值增长5.2%。支持云川钢铁、星河储能做大做强，岚湖客车集团落户临港新区。
二、2026年工作安排
今年是“十五五”开局之年。做好今年工作意义重大。
全省经济社会发展的主要预期目标是：地区生产总值增长5%左右；城镇新增就业60万人以上，城镇调查失业率5.5%左右；居民收入增长和经济增长同步。
（一）扩大有效需求，推动经济回升向好。实施重大项目500个以上，建设江岭东站综合交通枢纽。
（二）夯实产业发展基础
做强先进制造。推动新能源、新材料、低空经济等三大产业集群发展，做强做优“1+3+N”现代产业集群，新增充换电站300座。
三、全面加强政府自身建设
一是坚持依法行政。各级政府要自觉接受监督。
"""


@pytest.fixture(scope="module")
def report():
    return extract(read_text(REPORT, name="jiangling-gwr-2026.txt"), lexicon=Lexicon([]), model=False)


def test_title_source_and_dateline_are_metadata(report):
    assert report.title.zh == "2026年江岭省政府工作报告"
    assert (report.spatial.zh, report.issued, report.publisher, report.source_title) == ("江岭省", "2026-01-20", "江岭省人民政府", "江岭日报")
    government = report.entity("江岭省人民政府")
    assert government is not None and government.type == "GovernmentBody"
    assert [t.label.zh for t in report.themes] == ["2026年江岭省政府工作报告"]  # no theme from the preamble


def test_level_one_sections_decide_and_sub_headings_never_switch(report):
    tasks = [t.label.zh for t in report.themes[0].tasks]
    # the sub-heading holding 发展基础 stays a task of the work plan, and what follows it is read
    assert tasks == ["扩大有效需求，推动经济回升向好", "夯实产业发展基础"]
    assert report.themes[0].tasks[1].subtasks[0].label.zh == "做强先进制造"
    assert any(t.value == Decimal(300) and t.unit == "座" for t in report.themes[0].tasks[1].subtasks[0].targets)
    # the government's own building gives no task
    assert "坚持依法行政" not in {t.label.zh for t in report.tasks()}


def test_expected_targets_paragraph(report):
    goal = next(g for g in report.goals() if g.label.zh == "主要预期目标")
    quantified = [(t.value, t.unit, t.comparator, t.year) for t in goal.targets if t.quantified]
    assert quantified == [
        (Decimal(5), "%", "~", 2026), (Decimal(600000), "人", ">=", 2026), (Decimal("5.5"), "%", "~", 2026),
    ]
    # the one aim without a number is a qualitative target, and nothing else is
    assert [t.label.zh for t in goal.targets if not t.quantified] == ["居民收入增长和经济增长同步"]


def test_review_names_carriers_but_sets_no_target(report):
    for name in ("云川钢铁", "星河储能", "岚湖客车集团"):
        firm = report.entity(name)
        assert firm is not None and firm.type == "Company", name
        assert any("支持云川钢铁" in s.quote and s.start is not None for s in firm.sources), "kept with the review's sentence"
    assert report.entity("临港新区").type == "Site"
    assert all(t.value != Decimal("5.2") for t in report.targets())
    assert not any("云川钢铁" in t.involves for t in report.tasks())


def test_setting_of_the_work_plan_is_not_a_task(report):
    assert not any("开局之年" in t.label.zh for t in report.tasks())


def test_cluster_enumerations_and_numbered_systems():
    found = {(m.name, m.type, m.scale) for m in find_entities("推动新能源、新材料、低空经济等三大千亿级产业集群发展，做强做优“1+3+N”现代产业集群。")}
    assert {("新能源", "IndustryCluster", None), ("新材料", "IndustryCluster", None), ("低空经济", "IndustryCluster", None)} <= {
        (n, t, None) for n, t, _ in found}
    assert ("“1+3+N”现代产业集群", "IndustryCluster", None) in found
    # a chain of innovation, supply and capital is no cluster
    assert not find_entities("促进创新链、产业链、供应链深度融合。")


def test_company_categories_in_lists():
    found = {(m.name, m.type) for m in find_entities("支持云川汽车、岚湖客车等车企扩大产能，服务青峰建工等央企。")}
    assert {("云川汽车", "Company"), ("岚湖客车", "Company"), ("青峰建工", "Company")} <= found
    assert not find_entities("用好稳岗返还、税费减免、就业补贴等政策支持企业减负稳岗。")


def test_counted_and_generic_facilities_are_not_sites():
    assert not find_entities("新建20家中试基地，建设一批绿色工厂和产教融合基地。")
    assert [m.name for m in find_entities("建设云川东站综合交通枢纽。")] == ["云川东站综合交通枢纽"]


def test_lexicon_needs_a_company_context_for_ambiguous_forms():
    lex = Lexicon([{"name": "禾田科技集团", "short": ["禾田"], "ambiguous": ["禾田"]},
                   {"name": "青峰重工集团", "short": ["青峰重工"]}])
    found = recognisers(lexicon=lex)
    assert [(m.name, m.source) for m in find_entities("青峰重工、禾田将扩大投资。", found) if m.type == "Company"] == [
        ("青峰重工", "lexicon"), ("禾田", "lexicon")]
    assert not [m for m in find_entities("保护好禾田和湿地。", found) if m.type == "Company"]


def test_lexicon_owner_nests_inside_a_project_site():
    lex = Lexicon([{"name": "青峰重工集团", "short": ["青峰重工"]}])
    found = {(m.name, m.type) for m in find_entities("建设青峰重工临港基地。", recognisers(lexicon=lex))}
    assert ("青峰重工", "Company") in found and ("青峰重工临港基地", "Site") in found


def test_shipped_lexicon_loads_and_user_file_extends_it(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("enterprises:\n  - {name: 禾田科技集团, short: [禾田科技]}\n", encoding="utf-8")
    lex = lexicon_with(extra)
    assert "禾田科技" in lex.forms and len(lex) > 1000
    bad = tmp_path / "bad.yaml"
    bad.write_text("enterprises:\n  - {short: [甲]}\n", encoding="utf-8")
    with pytest.raises(PlanSourceError, match=r"bad.yaml: enterprises\[0\]: needs a name"):
        lexicon_with(bad)


def test_lexicon_table_errors_name_the_line(tmp_path):
    table = tmp_path / "firms.tsv"
    table.write_text("# my firms\n禾田科技集团\t禾田科技\tprivate\t江岭\t\n\t无名\n", encoding="utf-8")
    with pytest.raises(PlanSourceError, match=r"firms.tsv:3: expected name"):
        lexicon_with(table)
    table.write_text("禾田科技集团\t禾田科技|禾田\tprivate\t江岭\t禾田\n", encoding="utf-8")
    lex = lexicon_with(table)
    assert lex.forms["禾田"] == ("禾田科技集团", "private", True) and lex.label("禾田科技集团") == "禾田科技"


def test_annex_lists_are_planned_and_a_glossary_is_not():
    text = ("2026年江岭省政府工作报告\n一、2025年工作回顾\n过去一年，经济增长5.2%。\n二、2026年工作安排\n"
            "（一）稳就业。新增就业岗位超5000个。\n附件1\n2026年省十件民生实事\n1.新建运动场地超60处。\n"
            "附件2 名词解释\n1.揭榜挂帅：一种组织攻关的办法，首批100项。")
    plan = extract(read_text(text, name="annex.txt"), lexicon=Lexicon([]), model=False)
    got = sorted((t.value, t.unit, t.comparator, t.year) for t in plan.targets() if t.quantified)
    assert got == [(Decimal(60), "处", ">=", 2026), (Decimal(5000), "个", ">=", 2026)]


def test_model_proposals_are_gated():
    found = recognisers(model=Tagger.load())
    names = {(m.name, m.type, m.source) for m in find_entities("比亚迪落户西安高新区，奇瑞、长城汽车集团扩大投资。", found)}
    assert {("比亚迪", "Company", "model"), ("奇瑞", "Company", "model")} <= names
    # a country is no site, a ministry no company
    assert not [m for m in find_entities("深化与德国、新加坡的合作，落实国务院部署。", found)]


def test_model_can_be_left_out():
    doc = read_text("三、2026年重点工作\n（一）做强产业。推动比亚迪落户临港。", name="x.txt")
    assert not extract(doc, lexicon=Lexicon([]), model=False).entities
    assert "比亚迪" in [e.name for e in extract(doc, lexicon=Lexicon([]), model=True).entities]


@pytest.mark.parametrize("text, unit", [("新建运动场地60处", "处"), ("老楼加装电梯600部", "部"), ("开行班列300列", "列"),
                                        ("新增航线班次120班次", "班次"), ("天然气产量370亿方", "立方米"), ("增长5.5％", "%")])
def test_units_of_work_reports(text, unit):
    assert [t.quantity.unit for t in find_targets(text, default_year=2025)] == [unit]


@pytest.mark.parametrize("text", ["编制服务业扩大开放3.0方案", "重点做好以下9项工作", "从以下五个方面推进",
                                  "出台20条举措", "关停30万千瓦及以下煤电机组"])
def test_counts_of_sets_and_thresholds_are_not_targets(text):
    assert not find_targets(text, default_year=2025)


def test_reference_format_and_its_errors(tmp_path):
    ref = loads_reference("""
plan: {id: r, title: 参考}
entities: {Company: [云川钢铁], Site: [江岭东站]}
targets:
  - {indicator: 收入增长, value: 4, unit: "％", comparator: ">=", year: 2026}
  - {indicator: 收入增长, value: 5, unit: "%", comparator: "<=", year: 2026}
unsure: [{label: 岚湖, note: a lake or a place}]
""")
    got = extract(read_text("三、2026年重点工作\n（一）稳增长。支持云川钢铁集团发展，收入增长4%—5%。", name="g.txt"), lexicon=Lexicon([]), model=False)
    result = evaluate(got, ref.plan, unsure=ref.unsure)
    assert (result.scores["targets"].tp, result.scores["targets"].fn) == (2, 0)  # the range is two bounds
    assert result.scores["Company"].tp == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("entities: {Company: [甲]}\ntargets:\n  - {indicator: x, value: 1, unit: 元, comparator: \">>\"}\n", encoding="utf-8")
    with pytest.raises(PlanSourceError, match=r"bad.yaml:3: targets\[0\].comparator"):
        load_reference(bad)


#: every annotated report; each was held out once and measured before the rules saw it (tests/reference/README.md)
REPORTS = ["anhui", "beijing", "fujian", "guangdong", "guizhou", "hubei", "hunan", "liaoning", "shaanxi", "shandong",
           "shanghai", "sichuan"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the real reports (../shared/corpus/reports-2025) are not beside this checkout")
@pytest.mark.parametrize("name", REPORTS)
def test_every_real_report_is_read_whole(name):
    """No report collapses: its work plan is read (tasks, targets), and what it names is found.

    The pooled quality bar is .ci/run's (``plangraph evaluate`` over the folder); this catches a
    structure that swallows a whole part, as a review heading once did.
    """
    result = evaluate_files(CORPUS / f"{name}-gwr-2025.docx", REFERENCES / f"{name}-gwr-2025.yaml")
    assert result.scores["target values"].f1 >= 0.75, result.to_table()
    assert result.scores["Task"].recall >= 0.8, result.to_table()
    assert result.scores["Site"].f1 >= 0.45, result.to_table()


def test_reference_units_with_a_magnitude_are_scaled():
    ref = loads_reference("entities: {}\ntargets:\n  - {indicator: 投资, value: 500, unit: 亿元, comparator: '>='}\n")
    t = next(ref.plan.targets())
    assert (t.value, t.unit) == (Decimal(50000000000), "元")


@pytest.mark.parametrize("text, message", [
    ("plan: demo\nentities: {}\n", r"plan: must be a mapping"),
    ("entities: {Company: [甲]}\nanchors: [甲]\n", r"anchors: must map a name"),
    ("entities: {IndustryCluster: [乙集群]}\nanchors: {乙集群: 甲钢集团}\n", r"anchors.乙集群: must be a list of names"),
])
def test_malformed_references_are_reported(text, message):
    with pytest.raises(PlanSourceError, match=message):
        loads_reference(text)


def test_a_label_both_listed_and_unsure_is_neither_found_nor_missed():
    ref = loads_reference("entities: {Site: [甲江港, 乙江港]}\nunsure: [{label: 乙江港}]\n")
    got = extract(read_text("三、2026年重点工作\n（一）开放。建设甲江港。", name="g.txt"), lexicon=Lexicon([]), model=False)
    s = evaluate(got, ref.plan, unsure=ref.unsure).scores["Site"]
    assert (s.tp, s.fn) == (1, 0)


def test_evaluate_command_over_folders(tmp_path):
    docs, refs = tmp_path / "docs", tmp_path / "refs"
    docs.mkdir(), refs.mkdir()
    (docs / "a.txt").write_text("三、2026年重点工作\n（一）稳增长。收入增长4%以上。", encoding="utf-8")
    (refs / "a.yaml").write_text(
        "entities: {Company: []}\ntargets:\n  - {indicator: 收入增长, value: 4, unit: '%', comparator: '>=', year: 2026}\n",
        encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "plangraph", "evaluate", str(docs), str(refs), "--no-model",
                          "--min-f1", "fields=0.9"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "pooled over 1 document(s)" in run.stdout and "at or above the bar" in run.stdout
    run = subprocess.run([sys.executable, "-m", "plangraph", "evaluate", str(docs), str(refs), "--no-model",
                          "--min-f1", "Site=x"], capture_output=True, text=True)
    assert run.returncode == 2 and "expected CATEGORY=NUMBER" in run.stderr
    run = subprocess.run([sys.executable, "-m", "plangraph", "evaluate", str(docs), str(refs / "a.yaml"), "--no-model"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "give two files, or two folders" in run.stderr
    run = subprocess.run([sys.executable, "-m", "plangraph", "evaluate", str(docs), str(refs), "--no-model", "--only", "a,zzz"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "no reference zzz" in run.stderr
