"""Quantities and target mentions in Chinese plan sentences (plangraph.loaders.quantities)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from plangraph.loaders.quantities import (
    Quantity,
    TargetMention,
    find_quantities,
    find_targets,
    is_past,
    parse_number,
    parse_quantity,
    parse_year,
)

D = Decimal


# --- numbers -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, value",
    [
        ("2", D(2)),
        ("4,500", D(4500)),
        ("4，500", D(4500)),
        ("1,234,567", D(1234567)),
        ("4.5", D("4.5")),
        ("0.5", D("0.5")),
        ("１２", D(12)),  # full-width digits
        ("４．５", D("4.5")),
        ("2万", D(20000)),
        ("1.2万亿", D(10) ** 12 * D("1.2")),
        ("3千万", D(30000000)),
        ("三千", D(3000)),
        ("两万", D(20000)),
        ("一百二十", D(120)),
        ("一百零五", D(105)),
        ("十", D(10)),
        ("十二", D(12)),
        ("二十", D(20)),
        ("三千五", D(3500)),  # colloquial: 三千五百
        ("两万五", D(25000)),
        ("一亿两千万", D(120000000)),
        ("三点五", D("3.5")),
        ("万", D(10000)),  # a bare magnitude is its value
        ("万亿", D(10) ** 12),
        ("百万", D(1000000)),
        ("千亿", D(10) ** 11),
    ],
)
def test_parse_number(text: str, value: Decimal) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "十四五", "十三五", "四五", "2025年", "5G", "abc", "百千", "一二"])
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


def test_values_are_canonical() -> None:
    # No exponent or trailing zeros: values go into RDF literals as they are.
    assert str(parse_number("1.2万亿")) == "1200000000000"
    assert str(parse_number("5.50")) == "5.5"


# --- quantities ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "sentence, phrase, value, unit, upper",
    [
        ("人均地区生产总值达到2万美元以上", "2万美元", D(20000), "美元", None),
        ("经济总量向万亿元迈进", "万亿元", D(10) ** 12, "元", None),
        ("地区生产总值突破5000亿元", "5000亿元", D(5) * D(10) ** 11, "元", None),
        ("完成固定资产投资1.2万亿元", "1.2万亿元", D(12) * D(10) ** 11, "元", None),
        ("高新技术企业达到4500家", "4500家", D(4500), "家", None),
        ("规模以上工业企业达到3000家以上", "3000家", D(3000), "家", None),
        ("高新技术企业达到4,500家", "4,500家", D(4500), "家", None),
        ("高新技术企业达到4，500家", "4，500家", D(4500), "家", None),
        ("新增装机容量10万千瓦", "10万千瓦", D(100000), "千瓦", None),
        ("新增光伏装机500兆瓦", "500兆瓦", D(500000), "千瓦", None),
        ("全社会用电量达到300亿千瓦时", "300亿千瓦时", D(3) * D(10) ** 10, "千瓦时", None),
        ("粮食产量稳定在50亿斤以上", "50亿斤", D(5) * D(10) ** 9, "斤", None),
        ("高标准农田达到100万亩", "100万亩", D(1000000), "亩", None),
        ("新建改造农村公路300公里", "300公里", D(300), "公里", None),
        ("改造老旧小区200万平方米", "200万平方米", D(2000000), "平方米", None),
        ("地区生产总值增长6%", "6%", D(6), "%", None),
        ("地区生产总值增长6％", "6％", D(6), "%", None),
        ("城镇化率达到百分之六十五", "百分之六十五", D(65), "%", None),
        ("城镇化率达到百分之六点五", "百分之六点五", D("6.5"), "%", None),
        ("城镇化率提高0.5个百分点", "0.5个百分点", D("0.5"), "百分点", None),
        ("失业率下降一个百分点", "一个百分点", D(1), "百分点", None),
        ("新增城镇就业2万人", "2万人", D(20000), "人", None),
        ("新增城镇就业两万人", "两万人", D(20000), "人", None),
        ("接待游客1.2亿人次", "1.2亿人次", D(120000000), "人次", None),
        ("引进高层次人才3000多名", "3000多名", D(3000), "人", None),
        ("地区生产总值达到3000余亿元", "3000余亿元", D(3) * D(10) ** 11, "元", None),
        ("新建学校一百二十所", "一百二十所", D(120), "所", None),
        ("地区生产总值比2020年翻一番", "翻一番", D(2), "倍", None),
        ("城乡居民收入翻番", "翻番", D(2), "倍", None),
        ("经济总量翻两番", "翻两番", D(4), "倍", None),
        ("城乡居民收入实现倍增", "倍增", D(2), "倍", None),
        ("研发投入增长1倍", "1倍", D(1), "倍", None),
        ("5G网络实现全覆盖", "全覆盖", D(100), "%", None),
        ("人均预期寿命达到80岁", "80岁", D(80), "岁", None),
        ("审批时间压缩至3个工作日以内", "3个工作日", D(3), "工作日", None),
        ("空气质量优良天数达到300天", "300天", D(300), "天", None),
        ("PM2.5平均浓度下降到35微克/立方米", "35微克/立方米", D(35), "微克/立方米", None),
        ("新增5G基站1万个", "1万个", D(10000), "个", None),
        # ranges: value is the lower bound, upper the upper one
        ("一般公共预算收入增长4.5%—5%", "4.5%—5%", D("4.5"), "%", D(5)),
        ("一般公共预算收入增长4.5%——5%", "4.5%——5%", D("4.5"), "%", D(5)),
        ("一般公共预算收入增长4.5%-5%", "4.5%-5%", D("4.5"), "%", D(5)),
        ("一般公共预算收入增长4.5%～5%", "4.5%～5%", D("4.5"), "%", D(5)),
        ("一般公共预算收入增长4.5%~5%", "4.5%~5%", D("4.5"), "%", D(5)),
        ("一般公共预算收入增长4.5%到5%", "4.5%到5%", D("4.5"), "%", D(5)),
        ("一般公共预算收入增长4.5%至5%", "4.5%至5%", D("4.5"), "%", D(5)),
        ("一般公共预算收入增长4.5—5%", "4.5—5%", D("4.5"), "%", D(5)),
        ("单位能耗下降1—2个百分点", "1—2个百分点", D(1), "百分点", D(2)),
        ("户均增收3—5万元", "3—5万元", D(30000), "元", D(50000)),  # the multiplier is shared
        ("投资5000亿—6000亿元", "5000亿—6000亿元", D(5) * D(10) ** 11, "元", D(6) * D(10) ** 11),
        # full-width digits and signs
        ("地区生产总值增长５．５％左右", "５．５％", D("5.5"), "%", None),
        ("建成３００公里", "３００公里", D(300), "公里", None),
    ],
)
def test_quantity(sentence: str, phrase: str, value: Decimal, unit: str, upper: Decimal | None) -> None:
    q = parse_quantity(sentence)
    assert q is not None
    assert (q.value, q.unit, q.upper) == (value, unit, upper)
    assert sentence[q.start : q.end] == phrase


@pytest.mark.parametrize(
    "sentence",
    [
        "到2025年基本建成现代化城市",  # a year
        "2025年12月31日前全面完成",  # a date
        "第一，加快转型；第二，深化改革",  # ordinals
        "1.加快构建现代产业体系",  # a list number
        "（2）推进城市更新",
        "编制“十四五”规划，谋划“十五五”发展",  # plan names
        "滚动实施“三个一批”，落实“两个确保”",  # slogans with single-digit numerals
        "建设5G网络，创建国家5A级景区",  # grades and technologies
        "咨询电话0351-12345678，服务热线12345",  # phone-like numbers
        "打造千亿级产业集群，培育5000亿元级产业",  # scale classes
        "惠及千家万户，千方百计稳就业",  # idioms
        "万元地区生产总值能耗",  # 万元 as a unit of measure
        "破除城乡二元结构，推行“一件事一次办”",
        "实施企业倍增计划，入选万人计划",  # programme names
        "推进工业4.0，进入全国前10名",
        "居民收入增长与经济增长基本同步",
    ],
)
def test_not_quantities(sentence: str) -> None:
    assert find_quantities(sentence) == []
    assert find_targets(sentence, default_year=2026) == []


def test_find_quantities_keeps_order_and_spans() -> None:
    sentence = "到2025年，地区生产总值达到5000亿元，人均地区生产总值达到2万美元以上，5G基站1万个"
    phrases = [sentence[q.start : q.end] for q in find_quantities(sentence)]
    assert phrases == ["5000亿元", "2万美元", "1万个"]


def test_parse_quantity_none() -> None:
    assert parse_quantity("深化改革开放") is None


# --- targets -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "sentence, indicator, value, unit, comparator, year",
    [
        ("人均地区生产总值达到2万美元以上", "人均地区生产总值", D(20000), "美元", ">=", None),
        ("经济总量向万亿元迈进", "经济总量", D(10) ** 12, "元", "~", None),
        ("力争到“十四五”末全市规模以上工业企业达到3000家以上", "规模以上工业企业", D(3000), "家", ">=", 2025),
        ("高新技术企业达到4500家", "高新技术企业", D(4500), "家", "=", None),
        ("地区生产总值增长5.5%左右", "地区生产总值增长", D("5.5"), "%", "~", None),
        ("城镇调查失业率控制在5.5%以内", "城镇调查失业率", D("5.5"), "%", "<=", None),
        ("居民消费价格涨幅3%左右", "居民消费价格涨幅", D(3), "%", "~", None),
        ("粮食产量稳定在50亿斤以上", "粮食产量", D(5) * D(10) ** 9, "斤", ">=", None),
        ("新增城镇就业5万人以上", "新增城镇就业", D(50000), "人", ">=", None),
        ("单位地区生产总值能耗下降3%", "单位地区生产总值能耗下降", D(3), "%", "=", None),
        ("地区生产总值年均增长6%左右", "地区生产总值年均增长", D(6), "%", "~", None),  # 年均 stays
        # comparators
        ("地区生产总值突破5000亿元", "地区生产总值", D(5) * D(10) ** 11, "元", ">=", None),
        ("地区生产总值超过5000亿元", "地区生产总值", D(5) * D(10) ** 11, "元", ">=", None),
        ("税收收入占比不低于80%", "税收收入占比", D(80), "%", ">=", None),
        ("研发经费投入强度至少达到2.5%", "研发经费投入强度", D("2.5"), "%", ">=", None),
        ("引进高层次人才3000多名", "引进高层次人才", D(3000), "人", ">=", None),
        ("政府债务率不超过100%", "政府债务率", D(100), "%", "<=", None),
        ("万元工业增加值用水量低于20立方米", "万元工业增加值用水量", D(20), "立方米", "<=", None),
        ("城镇调查失业率控制在5.5%以下", "城镇调查失业率", D("5.5"), "%", "<=", None),
        ("审批时间压缩至3个工作日以内", "审批时间", D(3), "工作日", "<=", None),
        ("全社会研发投入约200亿元", "全社会研发投入", D(2) * D(10) ** 10, "元", "~", None),
        ("经济总量接近5000亿元", "经济总量", D(5) * D(10) ** 11, "元", "~", None),
        ("经济总量迈向千亿元", "经济总量", D(10) ** 11, "元", "~", None),
        ("地区生产总值增长5.5%上下", "地区生产总值增长", D("5.5"), "%", "~", None),
        ("力争研发投入强度达到3%", "研发投入强度", D(3), "%", "~", None),
        ("力争研发投入强度达到3%以上", "研发投入强度", D(3), "%", ">=", None),  # the bound wins
        ("居民消费价格涨幅控制在3%左右", "居民消费价格涨幅", D(3), "%", "~", None),  # 左右 says it all
        ("森林覆盖率保持在25%", "森林覆盖率", D(25), "%", "=", None),
        ("森林覆盖率为25%", "森林覆盖率", D(25), "%", "=", None),
        ("研发经费投入强度提高到2.5%", "研发经费投入强度", D("2.5"), "%", "=", None),
        # years and time phrases are not part of the indicator
        ("到2025年全市地区生产总值达到5000亿元", "地区生产总值", D(5) * D(10) ** 11, "元", "=", 2025),
        ("2027年前建成绿色工厂50家", "建成绿色工厂", D(50), "家", "=", 2027),
        ("到2025年底高标准农田达到100万亩", "高标准农田", D(1000000), "亩", "=", 2025),
        ("到“十五五”末城镇化率达到80%", "城镇化率", D(80), "%", "=", 2030),
        ("全年地区生产总值增长5%左右", "地区生产总值增长", D(5), "%", "~", None),
        ("今年新增城镇就业5万人", "新增城镇就业", D(50000), "人", "=", None),
        # base years and baselines
        ("地区生产总值比2020年翻一番", "地区生产总值", D(2), "倍", "=", None),
        ("研发经费投入强度由2020年的2.1%提高到2.5%", "研发经费投入强度", D("2.5"), "%", "=", None),
        ("高新技术企业数量由1000家增加到2000家", "高新技术企业数量", D(2000), "家", "=", None),
        # words after the number name it when the words before are only a verb
        ("培育3000家以上企业", "培育企业", D(3000), "家", ">=", None),
        ("新增三千家企业", "新增企业", D(3000), "家", "=", None),
        ("新开工亿元以上项目300个", "新开工亿元以上项目", D(300), "个", "=", None),
        ("5G网络实现全覆盖", "5G网络", D(100), "%", "=", None),
        ("新增5A级景区2家", "新增5A级景区", D(2), "家", "=", None),
        ("1.新增城镇就业5万人以上", "新增城镇就业", D(50000), "人", ">=", None),
        ("“专精特新”企业达到100家", "“专精特新”企业", D(100), "家", "=", None),
        ("每千人口床位数达到6张", "每千人口床位数", D(6), "张", "=", None),
    ],
)
def test_target(sentence: str, indicator: str, value: Decimal, unit: str, comparator: str, year: int | None) -> None:
    [m] = find_targets(sentence)
    assert (m.indicator, m.quantity.value, m.quantity.unit, m.comparator, m.year) == (
        indicator, value, unit, comparator, year)
    assert not m.past


def test_range_target() -> None:
    [m] = find_targets("一般公共预算收入增长4.5%—5%")
    assert (m.indicator, m.quantity.value, m.quantity.upper, m.quantity.unit) == ("一般公共预算收入增长", D("4.5"), D(5), "%")
    assert m.comparator == ">="  # read: 4.5 <= x <= 5


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "到2025年，全市地区生产总值达到5000亿元，人均地区生产总值达到2万美元以上",
            [("地区生产总值", "=", 2025, "全市地区生产总值达到5000亿元"),
             ("人均地区生产总值", ">=", 2025, "人均地区生产总值达到2万美元以上")],
        ),
        (
            "高新技术企业达到4,500家、科技型中小企业达到1万家",
            [("高新技术企业", "=", None, "高新技术企业达到4,500家"),
             ("科技型中小企业", "=", None, "科技型中小企业达到1万家")],
        ),
        (
            "地区生产总值、一般公共预算收入分别增长5%、6%",
            [("地区生产总值增长", "=", None, "地区生产总值、一般公共预算收入分别增长5%、6%"),
             ("一般公共预算收入增长", "=", None, "地区生产总值、一般公共预算收入分别增长5%、6%")],
        ),
        (
            "建成300公里高速公路和50座桥梁",
            [("建成高速公路", "=", None, "建成300公里高速公路"), ("建成桥梁", "=", None, "50座桥梁")],
        ),
        (
            "规上工业增加值增长8%以上；固定资产投资增长10%左右；社会消费品零售总额增长6%",
            [("规上工业增加值增长", ">=", None, "规上工业增加值增长8%以上"),
             ("固定资产投资增长", "~", None, "固定资产投资增长10%左右"),
             ("社会消费品零售总额增长", "=", None, "社会消费品零售总额增长6%")],
        ),
        (
            "力争到2025年，高新技术企业达到4500家，森林覆盖率达到25%以上",
            [("高新技术企业", "~", 2025, "高新技术企业达到4500家"),
             ("森林覆盖率", ">=", 2025, "森林覆盖率达到25%以上")],
        ),
        (
            "到2025年，城镇化率达到75%，比2020年提高5个百分点",
            [("城镇化率", "=", 2025, "城镇化率达到75%"), ("城镇化率提高", "=", 2025, "比2020年提高5个百分点")],
        ),
        (
            "地区生产总值2025年达到5000亿元，2030年达到8000亿元",
            [("地区生产总值", "=", 2025, "地区生产总值2025年达到5000亿元"),
             ("地区生产总值", "=", 2030, "2030年达到8000亿元")],
        ),
    ],
)
def test_several_targets(sentence: str, expected: list[tuple[str, str, int | None, str]]) -> None:
    mentions = find_targets(sentence)
    assert [(m.indicator, m.comparator, m.year, m.text) for m in mentions] == expected


def test_spans() -> None:
    sentence = "到“十四五”末，经济总量向万亿元迈进；人均地区生产总值达到２万美元以上。"
    mentions = find_targets(sentence)
    assert [m.text for m in mentions] == ["经济总量向万亿元迈进", "人均地区生产总值达到２万美元以上"]
    for m in mentions:
        assert isinstance(m, TargetMention) and isinstance(m.quantity, Quantity)
        assert sentence[m.start : m.end] == m.text
        assert m.start <= m.quantity.start < m.quantity.end <= m.end
    assert [sentence[m.quantity.start : m.quantity.end] for m in mentions] == ["万亿元", "２万美元"]
    assert [m.year for m in mentions] == [2025, 2025]


# --- years ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, default, year",
    [
        ("到2025年", None, 2025),
        ("2025年", None, 2025),
        ("2025年底", None, 2025),
        ("到2025年底前", None, 2025),
        ("2027年前", None, 2027),
        ("２０２５年", None, 2025),
        ("二〇三五年远景目标", None, 2035),
        ("2021—2025年", None, 2025),
        ("到“十四五”末", None, 2025),
        ("“十四五”期末", None, 2025),
        ('"十四五"末', None, 2025),
        ("「十四五」时期", None, 2025),
        ("十四五期末", None, 2025),
        ("“十四五”期间", None, 2025),
        ("十五五末", None, 2030),
        ("“十三五”末", None, 2020),
        ("“十四五”规划", None, None),  # a title, not a time
        ("比2020年翻一番", None, None),  # a base year
        ("较“十三五”末提高", None, None),
        ("地区生产总值增长5%", 2026, 2026),
        ("今年地区生产总值增长5%", 2026, 2026),
        ("到2030年", 2026, 2030),
    ],
)
def test_parse_year(text: str, default: int | None, year: int | None) -> None:
    assert parse_year(text, default) == year


def test_default_year() -> None:
    [m] = find_targets("新增城镇就业5万人以上", default_year=2026)
    assert m.year == 2026
    [m] = find_targets("到2027年，新增城镇就业5万人以上", default_year=2026)
    assert m.year == 2027


# --- past ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "clause, past",
    [
        ("过去五年地区生产总值年均增长6.2%", True),
        ("过去一年新增城镇就业5万人", True),
        ("五年来累计新增就业25万人", True),
        ("比上年增长5.1%", True),
        ("同比增长3.2%", True),
        ("较上年下降0.2个百分点", True),
        ("城镇化率已达75%", True),
        ("城镇化率已经达到75%", True),
        ("新增了城镇就业5万人", True),
        ("地区生产总值实现了翻一番", True),
        ("累计完成投资1万亿元", True),
        ("提前完成“十四五”目标", True),
        ("“十四五”以来新增高新技术企业1000家", True),
        ("地区生产总值年均增长6%左右", False),  # 年均增长 alone is a target
        ("力争完成固定资产投资1000亿元", False),
        ("地区生产总值比2020年翻一番", False),  # a base year is no review
        ("城镇调查失业率控制在5.5%以内", False),
    ],
)
def test_is_past(clause: str, past: bool) -> None:
    assert is_past(clause) is past


@pytest.mark.parametrize(
    "sentence, default, pasts",
    [
        # 比上年 in the second clause makes the whole report sentence a review
        ("全年地区生产总值达到5200亿元，比上年增长5.1%", None, [True, True]),
        ("过去五年，地区生产总值年均增长6.2%，一般公共预算收入年均增长8%", None, [True, True]),
        # a future marker stops the spread
        ("2025年地区生产总值增长5.4%，今年预期增长5%左右", 2026, [True, False]),
        ("全市规模以上工业企业已达2800家，力争达到3000家以上", None, [True, False]),
        # a year before the report's year is a review, a deadline is not
        ("2025年地区生产总值增长5.4%", 2026, [True]),
        ("2025年地区生产总值增长5.4%", None, [False]),
        ("到2025年地区生产总值达到5000亿元", 2026, [False]),
        ("“十四五”时期，地区生产总值年均增长6%", 2026, [True]),
        ("“十四五”时期，地区生产总值年均增长6%", 2021, [False]),
        ("全年地区生产总值增长5%左右，一般公共预算收入增长3%", 2026, [False, False]),
        # sentences (。) are judged one by one
        ("过去五年地区生产总值年均增长6.2%。今年地区生产总值增长5%左右。", 2026, [True, False]),
    ],
)
def test_past_in_context(sentence: str, default: int | None, pasts: list[bool]) -> None:
    assert [m.past for m in find_targets(sentence, default_year=default)] == pasts


def test_past_review_sentence() -> None:
    first, second = find_targets("全年地区生产总值达到5200亿元，比上年增长5.1%", default_year=2026)
    assert (first.indicator, first.quantity.value, first.quantity.unit) == ("地区生产总值", D(52) * D(10) ** 10, "元")
    assert (second.indicator, second.quantity.value, second.quantity.unit) == ("地区生产总值增长", D("5.1"), "%")
    assert second.text == "比上年增长5.1%"


# --- speed ---------------------------------------------------------------------------------

SPEED_SENTENCES = [
    "到2025年，全市地区生产总值达到5000亿元，人均地区生产总值达到2万美元以上",
    "力争到“十四五”末全市规模以上工业企业达到3000家以上，高新技术企业达到4500家",
    "城镇调查失业率控制在5.5%以内，居民消费价格涨幅3%左右，粮食产量稳定在50亿斤以上",
    "坚持创新驱动发展，全面塑造发展新优势，加快建设现代化产业体系，推动经济体系优化升级",
    "过去五年，地区生产总值年均增长6.2%，一般公共预算收入年均增长8%，新增城镇就业25万人",
    "深入实施城市更新行动，推进老旧小区改造，完善城市功能，提升城市品质，建设宜居韧性智慧城市",
    "一般公共预算收入增长4.5%—5%，单位地区生产总值能耗下降3%，新增5G基站1万个",
]


def test_speed_smoke() -> None:
    sentences: list[str] = []
    while sum(map(len, sentences)) < 20000:
        sentences.append(SPEED_SENTENCES[len(sentences) % len(SPEED_SENTENCES)])
    began = time.perf_counter()
    found = sum(len(find_targets(s, default_year=2026)) for s in sentences)
    took = time.perf_counter() - began
    print(f"\nfind_targets: {len(sentences)} sentences, {sum(map(len, sentences))} characters, "
          f"{found} mentions in {took * 1000:.1f} ms")
    assert found > 0
