"""Quantified targets in one Chinese sentence of a plan or a government work report.

Two layers:

* :func:`find_quantities` finds number phrases ("2万美元", "4.5%—5%", "翻一番") and
  normalises them to a :class:`Quantity` in base units;
* :func:`find_targets` reads the sentence clause by clause and turns each quantity that
  states a target (or reports an achievement) into a :class:`TargetMention`: what is
  measured, the comparator, the year and whether the clause looks back (``past``).

>>> [m.indicator for m in find_targets("人均地区生产总值达到2万美元以上，经济总量向万亿元迈进")]
['人均地区生产总值', '经济总量']
>>> m = find_targets("力争到“十四五”末全市规模以上工业企业达到3000家以上")[0]
>>> (m.indicator, m.quantity.value, m.quantity.unit, m.comparator, m.year)
('规模以上工业企业', Decimal('3000'), '家', '>=', 2025)

How a mention is read:

* Comparator: a bound right after the number wins (以上, "3000余家" → ``">="``; 以内/以下 →
  ``"<="``), then 左右/上下 (``"~"``), then the last bound word before it (突破/超过/不低于/至少
  → ``">="``; 控制在/不超过/低于 → ``"<="``), then 约/接近/迈向/…迈进 and a 力争 anywhere earlier
  in the sentence (``"~"``); otherwise ``"="``. So "力争达到3000家以上" is ``">="``.
* Year: the clause's own year ("到2025年", "2027年前", "“十四五”末" → 2025, "十五五末" → 2030),
  else one from an earlier clause of the sentence, else ``default_year``; 今年 is
  ``default_year``. Base years ("比2020年") never count.
* Indicator: the clause's words before the number, without leading connectives and times
  (力争, 到2025年, 全市, 全年, 今年, 过去五年, 已 ...), base phrases (比上年, 较2020年, 同比) and
  trailing verbs (达到, 突破, 控制在, 稳定在, 提高到, 向, 为 ...); 年均/增长/下降 stay
  ("地区生产总值年均增长"). A bare "比上年增长5.1%" borrows the previous mention's indicator.

Decisions worth knowing (each is also pinned by a test):

* Bare magnitudes: ``万`` alone parses as 10000, so "向万亿元迈进" is 10¹² 元. A bare
  magnitude only counts as a quantity with a measure unit (元, 千瓦, 亩, ...) and when a
  verb such as 向/突破/达到 comes before it or the phrase ends after it; "万元地区生产总值能耗"
  and "每万人口" are not quantities.
* Ranges ("4.5%—5%", "4.5—5%", "4.5%到5%") keep the lower bound in ``value`` and the upper
  one in ``upper``; their comparator is ``">="`` (read: value ≤ x ≤ upper).
* "全覆盖" is 100 %, "翻一番"/"翻番"/"倍增" is 2 倍, "翻两番" is 4 倍; "增长1倍" stays 1 倍.
* Chinese numerals must carry information of their own: a single digit ("三个一批",
  "二元结构", "一件事") is not a quantity, except with 倍 and 百分点 ("下降一个百分点").
* A quantity followed by 以上/以下 and a noun ("亿元以上项目300个") qualifies the next
  quantity and is not a target itself; so is the baseline in "由2.1%提高到2.5%".
* ``past``: a clause is past when :func:`is_past` says so; a past marker in one clause
  spreads to the other clauses of its sentence unless they, or a clause before them, say
  力争/确保/预期/目标/到2025年/今年 ...
  ("全年地区生产总值达到5200亿元，比上年增长5.1%": both past). With ``default_year`` a clause
  whose year lies before it, without 到/至 in front, is past as well ("2025年地区生产总值
  增长5.4%" read in 2026). Whether a whole section is a review is the caller's business.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

__all__ = [
    "Quantity",
    "TargetMention",
    "UNITS",
    "parse_number",
    "parse_quantity",
    "find_quantities",
    "parse_year",
    "find_targets",
    "is_past",
]


@dataclass(frozen=True)
class Quantity:
    """A number phrase in base units; ``start``/``end`` span it in the sentence.

    For a range, ``value`` is the lower bound and ``upper`` the upper one.

    >>> parse_quantity("一般公共预算收入增长4.5%—5%")
    Quantity(value=Decimal('4.5'), unit='%', upper=Decimal('5'), start=10, end=17)
    """

    value: Decimal
    unit: str
    upper: Decimal | None
    start: int
    end: int


@dataclass(frozen=True)
class TargetMention:
    """A quantified target (or a reported achievement) in one clause of a sentence.

    ``start``/``end`` span the clause, ``text`` is ``sentence[start:end]``.
    """

    indicator: str
    quantity: Quantity
    comparator: str
    year: int | None
    past: bool
    start: int
    end: int
    text: str


#: Unit spellings understood after a number, mapped to (base unit, factor).
UNITS: dict[str, tuple[str, int]] = {
    "元": ("元", 1), "人民币": ("元", 1), "美元": ("美元", 1), "欧元": ("欧元", 1),
    "%": ("%", 1), "个百分点": ("百分点", 1), "百分点": ("百分点", 1),
    "千瓦": ("千瓦", 1), "兆瓦": ("千瓦", 1000), "吉瓦": ("千瓦", 1000000), "千瓦时": ("千瓦时", 1),
    "吨": ("吨", 1), "斤": ("斤", 1), "公斤": ("公斤", 1),
    "亩": ("亩", 1), "公顷": ("公顷", 1), "公里": ("公里", 1), "千米": ("公里", 1),
    "平方米": ("平方米", 1), "平方公里": ("平方公里", 1), "立方米": ("立方米", 1),
    "标箱": ("标箱", 1), "标准箱": ("标箱", 1), "微克/立方米": ("微克/立方米", 1),
    "倍": ("倍", 1),
    "家": ("家", 1), "个": ("个", 1), "项": ("项", 1), "所": ("所", 1), "座": ("座", 1),
    "条": ("条", 1), "户": ("户", 1), "人": ("人", 1), "名": ("人", 1), "人次": ("人次", 1),
    "岁": ("岁", 1), "天": ("天", 1), "个工作日": ("工作日", 1), "工作日": ("工作日", 1),  # working days are not days
    "辆": ("辆", 1), "套": ("套", 1), "张": ("张", 1), "台": ("台", 1), "件": ("件", 1),
    "处": ("处", 1), "部": ("部", 1), "场": ("场", 1), "批次": ("批次", 1), "列": ("列", 1), "班次": ("班次", 1),
    "栋": ("栋", 1), "周": ("周", 1), "方": ("立方米", 1), "微克每立方米": ("微克/立方米", 1),
}

# Counting words: with a bare magnitude they are idioms ("千家万户", "每万人口"), not amounts.
_CLASSIFIERS = frozenset("家个项所座条户人名岁天辆套张台件处部场列栋周方") | {"人次", "个工作日", "工作日", "批次", "班次"}

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL) + "".join(_CN_BIG)
_MAGNITUDES = frozenset("十百千万亿")

# Full-width ASCII (digits, ％, ，, ～, letters) folds to ASCII one character for one, so
# offsets in the folded text are offsets in the sentence.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, ord("﹪"): ord("%"), ord("〜"): ord("~")})
# A thousands separator becomes a character no clause splitter knows ("4,500家", "4，500家").
_SEP = "\ue000"
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")

_AR = rf"\d+(?:{_SEP}\d{{3}})*(?:\.\d+)?"
_MULT = r"(?:[十百千]?万亿|[十百千]?[万亿]|[十百千])"
_CN = rf"[{_CN_CHARS}]+(?:点[零〇一二两三四五六七八九]+)?"
_UNIT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_DASH = r"(?:—{1,2}|–|-|~|至|到)"
_QUANTITY = re.compile(
    rf"""(?:
      (?P<pct>百分之)(?P<pn>{_AR}|{_CN})
    | 翻(?P<fan>[一两二三四五六七八九\d])?番
    | (?P<bei>倍增)
    | (?P<cover>(?<![健完齐安周])全覆盖)  # not the 全 of 健全/完全
    | (?<![\d.{_SEP}A-Za-z])(?P<lo>{_AR})(?P<lom>{_MULT})?\ ?(?P<lou>{_UNIT})?\ ?{_DASH}\ ?
        (?P<hi>{_AR})(?P<him>{_MULT})?(?P<hix>余|多)?\ ?(?P<hiu>{_UNIT})
    | (?<![\d.{_SEP}A-Za-z])(?P<ar>{_AR})(?P<arx>余|多)?(?P<arm>{_MULT})?(?P<arx2>余|多)?\ ?(?P<aru>{_UNIT})
    | (?<![第\d{_CN_CHARS}])(?P<cn>{_CN})(?P<cnx>余|多)?(?P<cnu>{_UNIT})
    )(?!计划|工程|行动|级|型)""",
    re.VERBOSE,
)
_BARE_BEFORE = re.compile(r"(?:向|迈向|突破|达到|达|超过|跨越|迈上|站上|实现|冲刺|过|上|至|到|近|逾|约)$")
_BARE_AFTER = re.compile(r"(?:以上|以内|左右|大关|台阶|迈进|规模|[,;:。!?、\s)]|$)")


class _Hit(NamedTuple):
    quantity: Quantity
    more: bool  # "3000余家", "3000多家": more than the number
    bare: bool  # a bare magnitude ("万亿元")


def _fold(text: str) -> str:
    folded = text.translate(_FOLD)
    return _THOUSANDS.sub(_SEP, folded) if "," in folded else folded


def _tidy(value: Decimal) -> Decimal:
    # Keep values canonical: Decimal('1200000000000'), not Decimal('1.2E+12') or '...0.0'.
    return Decimal(int(value)) if value == value.to_integral_value() else value.normalize()


def _multiplier(text: str | None) -> int:
    factor = 1
    for ch in text or "":
        factor *= _CN_SMALL.get(ch) or _CN_BIG[ch]
    return factor


def _parse_chinese(text: str) -> Decimal | None:
    whole, _, frac = text.partition("点")
    if frac and not all(ch in _CN_DIGITS for ch in frac):
        return None
    total = section = 0
    digit: int | None = None
    last_unit = 0  # the unit just read, for colloquial "一百二" = 120
    small_cap = 10**4  # small units fall within a section: 千 > 百 > 十
    zero = False
    for ch in whole:
        if ch in _CN_DIGITS:
            if digit is not None:
                return None  # two digits in a row: "十四五", "四五", not a number
            digit = _CN_DIGITS[ch]
            if digit == 0:
                digit, zero = None, True
        elif ch in _CN_SMALL:
            unit = _CN_SMALL[ch]
            if unit >= small_cap:
                return None
            section += (1 if digit is None else digit) * unit
            digit, last_unit, small_cap, zero = None, unit, unit, False
        elif ch in _CN_BIG:
            unit = _CN_BIG[ch]
            if unit == 10**8:
                total = (total + section + (digit or 0) or 1) * unit
            else:
                total += (section + (digit or 0) or 1) * unit
            section, digit, last_unit, small_cap, zero = 0, None, unit, 10**4, False
        else:
            return None
    if digit is not None:
        section += digit * (last_unit // 10 if last_unit >= 100 and not zero else 1)
    value = Decimal(total + section)
    if frac:
        value += Decimal("0." + "".join(str(_CN_DIGITS[ch]) for ch in frac))
    return value


_NUMBER = re.compile(rf"({_AR})({_MULT})?")


def parse_number(text: str) -> Decimal | None:
    """The value of a number written in digits, Chinese numerals or a mix; None if it is not one.

    Digits may be full-width and carry thousands separators and a 万/亿/千万/万亿 multiplier.
    A bare magnitude is its value: "万" is 10000, so "万亿" is 10¹².

    >>> [parse_number(t) for t in ("2", "4,500", "4.5", "１２", "1.2万亿")]
    [Decimal('2'), Decimal('4500'), Decimal('4.5'), Decimal('12'), Decimal('1200000000000')]
    >>> [parse_number(t) for t in ("三千", "两万", "一百二十", "十", "万", "百万", "三点五", "一百零五")]
    [Decimal('3000'), Decimal('20000'), Decimal('120'), Decimal('10'), Decimal('10000'), Decimal('1000000'), Decimal('3.5'), Decimal('105')]
    >>> [parse_number(t) for t in ("十四五", "2025年", "", "5G")]
    [None, None, None, None]
    """
    folded = _fold(text.strip()).replace(",", _SEP)
    if not folded:
        return None
    m = _NUMBER.fullmatch(folded)
    if m:
        return _tidy(Decimal(m[1].replace(_SEP, "")) * _multiplier(m[2]))
    if all(ch in _CN_CHARS or ch == "点" for ch in folded):
        value = _parse_chinese(folded)
        return None if value is None else _tidy(value)
    return None


def _hit(m: re.Match[str], folded: str) -> _Hit | None:
    """The quantity a match of _QUANTITY stands for, or None when it is a false friend."""
    start, end = m.span()
    if m["pct"]:
        value = parse_number(m["pn"])
        return None if value is None else _Hit(Quantity(value, "%", None, start, end), False, False)
    if m["cover"]:
        return _Hit(Quantity(Decimal(100), "%", None, start, end), False, False)
    if m["bei"]:
        return _Hit(Quantity(Decimal(2), "倍", None, start, end), False, False)
    if m.group(0).startswith("翻"):
        times = parse_number(m["fan"]) if m["fan"] else 1
        return None if times is None else _Hit(Quantity(Decimal(2) ** int(times), "倍", None, start, end), False, False)
    if m["hi"]:
        unit, factor = UNITS[m["hiu"]]
        if m["lou"] and UNITS[m["lou"]][0] != unit:
            return None
        # "3—5万元": the lower bound borrows the upper bound's multiplier.
        lo_mult = m["lom"] or (m["him"] if not m["lou"] else None)
        lo = Decimal(m["lo"].replace(_SEP, "")) * _multiplier(lo_mult) * factor
        hi = Decimal(m["hi"].replace(_SEP, "")) * _multiplier(m["him"]) * factor
        if lo > hi or _leading_zero(m["lo"]) or _leading_zero(m["hi"]):
            return None
        return _Hit(Quantity(_tidy(lo), unit, _tidy(hi), start, end), False, False)
    if m["ar"]:
        if _leading_zero(m["ar"]):
            return None  # "0351": an area code, a serial number
        alias = m["aru"]
        if alias == "名" and folded[start - 1 : start] in ("前", "第"):
            return None  # a ranking, "前10名"
        if alias == "方" and folded[end : end + 1] and folded[end] in "案式面向法位针阵略圆言":
            return None  # "3.0方案": a version, not cubic metres
        unit, factor = UNITS[alias]
        value = Decimal(m["ar"].replace(_SEP, "")) * _multiplier(m["arm"]) * factor
        return _Hit(Quantity(_tidy(value), unit, None, start, end), bool(m["arx"] or m["arx2"]), False)
    numeral, alias = m["cn"], m["cnu"]
    value = parse_number(numeral)
    if value is None:
        return None
    unit, factor = UNITS[alias]
    bare = all(ch in _MAGNITUDES for ch in numeral)
    if len(numeral) == 1 and not bare and unit not in ("倍", "百分点"):
        return None  # "三个一批", "二元结构", "一件事": slogans, not amounts
    if bare:
        if alias in _CLASSIFIERS:
            return None  # "千家万户", "每万人口", "十个"
        if not (_BARE_BEFORE.search(folded, max(0, start - 2), start) or _BARE_AFTER.match(folded, end)):
            return None  # "万元地区生产总值能耗": a unit of measure, not an amount
    return _Hit(Quantity(_tidy(value * factor), unit, None, start, end), bool(m["cnx"]), bare)


def _leading_zero(digits: str) -> bool:
    return len(digits) > 1 and digits[0] == "0" and digits[1] != "."


def _scan(folded: str) -> list[_Hit]:
    hits: list[_Hit] = []
    pos = 0
    while True:
        m = _QUANTITY.search(folded, pos)
        if m is None:
            return hits
        hit = _hit(m, folded)
        if hit is None:
            pos = m.start() + 1  # a false friend may hide a real quantity inside it
        else:
            hits.append(hit)
            pos = m.end()


def find_quantities(sentence: str) -> list[Quantity]:
    """Every quantity in the sentence, in order, values in base units.

    >>> [(q.value, q.unit) for q in find_quantities("新增城镇就业5万人以上，粮食产量稳定在50亿斤以上")]
    [(Decimal('50000'), '人'), (Decimal('5000000000'), '斤')]
    >>> find_quantities("到2025年建成5G基站，新增5A级景区，“三个一批”")
    []
    """
    return [hit.quantity for hit in _scan(_fold(sentence))]


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity in the text, or None.

    >>> parse_quantity("经济总量向万亿元迈进")
    Quantity(value=Decimal('1000000000000'), unit='元', upper=None, start=5, end=8)
    >>> parse_quantity("百分之六").value, parse_quantity("翻一番").unit
    (Decimal('6'), '倍')
    """
    hits = _scan(_fold(text))
    return hits[0].quantity if hits else None


# --- years -------------------------------------------------------------------------------

_FYP = r"[“\"「『]?十[一二三四五六七八九]五[”\"」』]?(?:规划)?"
_YEAR = re.compile(
    rf"(?<![\d.])(?:(?:19|20)\d{{2}} ?{_DASH} ?)?(?P<y>(?:19|20)\d{{2}}) ?年"
    rf"|(?P<cy>二[〇零][〇零一二三四五六七八九]{{2}})年"  # "二〇三五年", in titles
    rf"|[“\"「『]?十(?P<fyp>[一二三四五六七八九])五[”\"」』]?(?:规划)?(?:期末|末期|末|时期|期间|期|以来)"
)
_BASE_BEFORE = re.compile(r"(?:比|较|与|同|从|由|自|相比)\s*$")
_BASE_AFTER = re.compile(r"\s*(?:的|基础上|水平)")
_TO_BEFORE = re.compile(r"(?<!截)(?<!截止)(?:到|至|在)\s*$")  # "截至2025年底" looks back
_TO_AFTER = re.compile(r"(?:底|末)?(?:前|以前|之前)")
_THIS_YEAR = re.compile(r"今年(?!以来)|明年")


class _Year(NamedTuple):
    year: int
    aimed: bool  # "到2025年", "2027年前": a deadline, never a review


def _find_year(folded: str, default: int | None) -> _Year | None:
    for m in _YEAR.finditer(folded):
        before = folded[max(0, m.start() - 3) : m.start()]
        if _BASE_BEFORE.search(before) or _BASE_AFTER.match(folded, m.end()):
            continue  # "比2020年翻一番", "由2020年的2.1%": a base year, not the target's
        if m["y"]:
            year = int(m["y"])
        elif m["cy"]:
            year = int("".join(str(_CN_DIGITS[ch]) for ch in m["cy"]))
        else:
            year = 1955 + 5 * (10 + _CN_DIGITS[m["fyp"]])  # the N-th five-year plan ends in 1955+5N
        return _Year(year, bool(_TO_BEFORE.search(before) or _TO_AFTER.match(folded, m.end())))
    if default is not None:
        m = _THIS_YEAR.search(folded)
        if m:
            return _Year(default + (m.group() == "明年"), True)
    return None


def parse_year(text: str, default: int | None = None) -> int | None:
    """The year a clause aims at: an explicit year, the end of a five-year plan, else ``default``.

    A year after 比/较/由/从 is a base year and is skipped; of "2021—2025年" the end counts.
    A five-year plan counts with 末/期末/时期/期间 after it ("“十四五”规划" alone is a title).

    >>> [parse_year(t) for t in ("到2025年", "2025年底", "2027年前", "2021—2025年")]
    [2025, 2025, 2027, 2025]
    >>> [parse_year(t) for t in ("“十四五”末", '"十四五"时期', "十四五期末", "「十五五」末", "十三五末")]
    [2025, 2025, 2025, 2030, 2020]
    >>> parse_year("比2020年翻一番"), parse_year("增长5%左右", 2026), parse_year("“十四五”规划"), parse_year("二〇三五年")
    (None, 2026, None, 2035)
    """
    found = _find_year(_fold(text), default)
    return found.year if found else default


# --- past and future -----------------------------------------------------------------------

_N = r"[一二两三四五六七八九十\d]"
_PAST = re.compile(
    rf"(?<![而不])已|(?:完成|实现|达到|增长|突破|超过|提高|提升|下降|增加|减少|新增|建成|降低)了"
    rf"|比上年|较上年|比去年|较去年|同比|上年同期|过去{_N}+年|(?<!今后)(?<!未来){_N}+年来|近{_N}*年来"
    rf"|累计完成|提前完成|以来"
)
_FUTURE = re.compile(
    rf"力争|确保|预期|预计|目标|争取|将|计划|今年(?!以来)|明年|今后|未来|到\s*(?:(?:19|20)\d{{2}}|{_FYP})"
)
_STRIVE = re.compile(r"力争|争取")


def is_past(clause: str) -> bool:
    """Whether the clause reports an achievement rather than sets a target.

    Looks for 已/已经, "…了" after a verb of change, 比上年/较上年/同比, 过去五年/五年来/以来,
    累计完成, 提前完成. Years are judged by :func:`find_targets`, which knows the report's year.

    >>> is_past("过去五年地区生产总值年均增长6.2%"), is_past("比上年增长5.1%"), is_past("已建成5G基站1万个")
    (True, True, True)
    >>> is_past("地区生产总值年均增长6%左右"), is_past("力争完成固定资产投资1000亿元")
    (False, False)
    """
    return bool(_PAST.search(_fold(clause)))


# --- indicators --------------------------------------------------------------------------

_YEAR_PHRASE = (
    rf"(?:(?:19|20)\d{{2}}\s*{_DASH}\s*)?(?:19|20)\d{{2}}\s*年(?:底|末|初|前|内|以前|之前|以来|全年|上半年)?(?:前)?"
    rf"|{_FYP}(?:期末|末期|末|时期|期间|期|以来)?"
)
_LEAD = re.compile(
    rf"""(?:[\s,;:、.\-]
    | \d{{1,2}}[.、)]|\(\d{{1,2}}\)|[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、是]
    | 力争|确保|预期|预计|争取|努力|其中|同时|届时|已经|已|主要(?:预期)?目标(?:是|为)?|实现
    | (?:到|至|截至|截止到|在)\s*(?=(?:19|20)\d{{2}}|[“"「『]?十.五)|{_YEAR_PHRASE}
    | 全年|全[市省区县州国旗]|我[市省区县州]|今年|明年|年内|(?:今后|未来|过去){_N}+年(?:来|间|里)?|{_N}+年来|近{_N}*年来?
    )+""",
    re.VERBOSE,
)
_TRAIL = re.compile(
    r"""(?:达到|突破|超过|保持在|保持|控制在|稳定在|稳定|提高到|提高至|提升到|提升至|增加到|增加至|增长到|增长至
    |下降到|下降至|降低到|降低至|降到|降至|减少到|减少至|扩大到|扩大至|缩小到|缩小至|压缩到|压缩至|缩短到|缩短至
    |完成|已经|已|迈向|向|不低于|不少于|不高于
    |不超过|大于|高于|低于|少于|多于|至少|实现|力争|累计|分别|总计|共计|接近|(?<![节制预契公条规集简])约|达|为|是|在|到|至
    |[\s,;:、(“"「『])+$""",
    re.VERBOSE,
)
# Base phrases and times inside the words: "地区生产总值比上年增长", "地区生产总值2025年达到".
_BASE = re.compile(
    rf"(?:比|较|与)(?:上年|去年|(?:19|20)\d{{2}}\s*年(?:底|末)?|{_FYP}(?:期末|末)?)(?:同期)?(?:相比)?|同比"
    rf"|(?:到|至|在)?\s*(?:{_YEAR_PHRASE})"
)
_CHANGE = re.compile(r"(?:年均)?(?:增长|提高|提升|下降|降低|增加|减少|上升|扩大|缩小)")
_CHANGE_END = re.compile(_CHANGE.pattern + "$")
_FILLER = re.compile(r"的|之")
_EMPTY_POST = re.compile(r"(?:目标|任务|水平|大关|台阶|规模|左右|以上)?$")
_LIST = re.compile(r"、|以及|和|及|与")
_NOUN_AFTER = re.compile(r"(?:及以上|以上|以下)的?(?=[\u4e00-\u9fff])(?!和|及|与|以|左右|迈进)")
# a threshold that qualifies what is counted, never a target itself: 30万千瓦及以下煤电机组, 亿元以上的企业
_THRESHOLD_AFTER = re.compile(r"(?:及以下|以下的?|及以上的|以上的)(?=[\u4e00-\u9fff])(?!和|及|与|以|左右|迈进)")
# the size of a set the text goes on to list: 以下9项工作, 五个方面, 20条举措
_SET_BEFORE = re.compile(r"以下\s*$")
_SET_AFTER = re.compile(r"(?:方面|举措|措施|政策措施|项工作|方面工作)")
_BASELINE_AFTER = re.compile(r"的?\s*(?:水平)?(?:提高|提升|增加|增长|下降|降低|减少|扩大|缩小|上升)(?:到|至)")
_FROM = re.compile(r"由|从")
_BOUND_AFTER = re.compile(r"\s*(?:(?P<ge>及以上|以上)|(?P<le>以下|以内|之内|内)|(?P<ap>左右|上下))")
_BOUND_BEFORE = re.compile(
    r"(?P<ge>不低于|不少于|不小于|至少|超过|突破|大于|高于|多于)"
    r"|(?P<le>不超过|不高于|不大于|不多于|低于|少于|小于|控制在)"
    r"|(?P<ap>(?<![节制预契公条规集简])约|接近|迈向)"
)
_CLAUSE = re.compile(r"[,;:!?。\n]")
_SENTENCE = re.compile(r"[。!?\n]")


def _indicator(orig: str, folded: str) -> str:
    """What a clause's words before a number measure: connectives, times and verbs stripped."""
    m = _LEAD.match(folded)
    if m:
        orig, folded = orig[m.end() :], folded[m.end() :]
    for m in reversed(list(_BASE.finditer(folded))):
        orig, folded = orig[: m.start()] + orig[m.end() :], folded[: m.start()] + folded[m.end() :]
    m = _LEAD.match(folded)
    if m:
        orig, folded = orig[m.end() :], folded[m.end() :]
    m = _TRAIL.search(folded)
    if m:
        orig = orig[: m.start()]
    return orig.strip()


def _comparator(folded: str, hit: _Hit, before: tuple[int, int], after_end: int, strive: bool) -> str:
    q = hit.quantity
    if q.upper is not None:
        return ">="
    m = _BOUND_AFTER.match(folded, q.end)
    if m and (m["ge"] or m["le"]):
        return ">=" if m["ge"] else "<="
    if hit.more or folded[q.start - 1 : q.start] == "超":
        return ">="  # 3000余家, 超1万家
    if m:
        return "~"
    last = None
    for last in _BOUND_BEFORE.finditer(folded, *before):
        pass
    if last is not None and (last["ge"] or last["le"]):
        return ">=" if last["ge"] else "<="
    if last is not None or "迈进" in folded[q.end : after_end]:
        return "~"
    return "~" if strive else "="


class _Clause(NamedTuple):
    start: int
    end: int
    hits: list[_Hit]


def _set_before(folded: str, start: int, end: int) -> bool:
    """Whether ``folded[start:end]`` ends with 以下 and blanks (_SET_BEFORE), read back from the end
    rather than searched from ``start``: a clause with many numbers asks once per number."""
    i = end
    while i > start and folded[i - 1].isspace():
        i -= 1
    return i - 2 >= start and folded[i - 2 : i] == "以下"


def _starts(hits: list[_Hit]) -> list[int]:
    return [h.quantity.start for h in hits]


def _within(hits: list[_Hit], starts: list[int], a: int, b: int) -> list[_Hit]:
    """The hits (in order, so their starts are sorted) that lie inside ``[a, b)``, found by a
    binary search rather than a scan of every hit of the sentence for every clause."""
    out = []
    for i in range(bisect_left(starts, a), len(hits)):
        q = hits[i].quantity
        if q.start >= b:
            break
        if q.end <= b:
            out.append(hits[i])
    return out


def _clauses(folded: str, start: int, end: int, hits: list[_Hit], starts: list[int] | None = None) -> list[_Clause]:
    out = []
    starts = _starts(hits) if starts is None else starts
    edges = [start] + [m.end() for m in _CLAUSE.finditer(folded, start, end)] + [end + 1]
    for a, b in zip(edges, edges[1:]):
        b -= 1  # drop the punctuation mark
        while a < b and folded[a].isspace():
            a += 1
        while b > a and folded[b - 1].isspace():
            b -= 1
        if a < b:
            out.append(_Clause(a, b, _within(hits, starts, a, b)))
    return out


def find_targets(sentence: str, *, default_year: int | None = None) -> list[TargetMention]:
    """Quantified targets (and reported achievements, ``past=True``) of one sentence.

    Each clause between ，；：。 gives one mention per quantity that is not a qualifier or a
    baseline; a year or a 力争 in an earlier clause carries over to later ones ("到2025年，…").

    >>> [(m.indicator, str(m.quantity.value), m.comparator, m.past)
    ...  for m in find_targets("全年地区生产总值达到5200亿元，比上年增长5.1%")]
    [('地区生产总值', '520000000000', '=', True), ('地区生产总值增长', '5.1', '=', True)]
    >>> m = find_targets("城镇调查失业率控制在5.5%以内", default_year=2026)[0]
    >>> m.indicator, m.comparator, m.year, m.text
    ('城镇调查失业率', '<=', 2026, '城镇调查失业率控制在5.5%以内')
    """
    folded = _fold(sentence)
    hits = _scan(folded)
    if not hits:
        return []
    out: list[TargetMention] = []
    starts = _starts(hits)
    edges = [0] + [m.end() for m in _SENTENCE.finditer(folded)] + [len(folded)]
    for s0, s1 in zip(edges, edges[1:]):
        i = bisect_left(starts, s0)
        if i == len(starts) or starts[i] >= s1:
            continue  # no quantity starts in this sentence
        out.extend(_sentence_targets(sentence, folded, _clauses(folded, s0, s1, hits, starts), default_year))
    return out


def _sentence_targets(orig: str, folded: str, clauses: list[_Clause], default_year: int | None) -> list[TargetMention]:
    pasts = [bool(_PAST.search(folded, c.start, c.end)) for c in clauses]
    sentence_past = any(pasts)
    ctx_year: _Year | None = None
    future = strive = False
    last_text = ""  # the latest clause without a quantity, a fallback indicator
    mentions: list[TargetMention] = []
    for clause, clause_past in zip(clauses, pasts):
        text = folded[clause.start : clause.end]
        year = _find_year(text, default_year)
        if year is None and not _THIS_YEAR.search(text):
            year = ctx_year  # "到2025年，…" speaks for the clauses after it, "今年…" does not
        ctx_year = year
        future = future or bool(_FUTURE.search(text))
        strive = strive or bool(_STRIVE.search(text))
        if year is not None and default_year is not None and year.year < default_year and not year.aimed:
            clause_past = True  # "2025年地区生产总值增长5.4%" in the 2026 report
        past = clause_past or (sentence_past and not future)
        if not clause.hits:
            last_text = _indicator(orig[clause.start : clause.end], text) or last_text
            continue
        for indicator, hit, comparator, start, end in _clause_targets(orig, folded, clause, strive, mentions, last_text):
            mentions.append(
                TargetMention(indicator, hit.quantity, comparator, year.year if year else default_year, past,
                              start, end, orig[start:end])
            )
    return mentions


def _clause_targets(orig: str, folded: str, clause: _Clause, strive: bool, previous: list[TargetMention],
                    fallback: str) -> list[tuple[str, _Hit, str, int, int]]:
    hits = clause.hits
    # Qualifiers ("亿元以上项目") and baselines ("由2.1%提高到") are words of the next target.
    keep: list[tuple[_Hit, int | None]] = []  # a target, and where a skipped baseline's 由/从 began
    cut: int | None = None
    for i, hit in enumerate(hits):
        q = hit.quantity
        later = i + 1 < len(hits)
        if _NOUN_AFTER.match(folded, q.end, clause.end) and (later or hit.bare):
            continue
        if _THRESHOLD_AFTER.match(folded, q.end, clause.end) or _SET_AFTER.match(folded, q.end, clause.end) \
                or _set_before(folded, clause.start, q.start):
            continue
        if later and _BASELINE_AFTER.match(folded, q.end, clause.end):
            since = keep[-1][0].quantity.end if keep else clause.start
            froms = [m.start() for m in _FROM.finditer(folded, since, q.start)]
            if froms:
                cut = froms[-1] if cut is None else cut
                continue
        keep.append((hit, cut))
        cut = None
    if not keep:
        return []

    respectively = _respectively(orig, folded, clause, keep)
    out: list[tuple[str, _Hit, str, int, int]] = []
    verb = ""  # the verb of a "建成300公里高速公路" item, lent to the items after it
    seg = clause.start
    for i, (hit, cut) in enumerate(keep):
        q = hit.quantity
        last = i + 1 == len(keep)
        nxt = clause.end if last else keep[i + 1][0].quantity.start
        m = _BOUND_AFTER.match(folded, q.end, nxt)
        after = m.end() if m else q.end
        # Words after the quantity, up to a list separator, name it: "建成300公里高速公路和50座桥梁".
        sep = _LIST.search(folded, after, nxt)
        post_end = sep.start() if sep else (nxt if last else after)
        comparator = _comparator(folded, hit, (seg, q.start), nxt, strive)
        if respectively:
            out.append((respectively[i], hit, comparator, clause.start, clause.end))
            continue
        start = seg
        while start < q.start and folded[start] in " 、":
            start += 1
        pre_stop = cut if cut is not None and cut >= seg else q.start
        pre = _indicator(orig[seg:pre_stop], folded[seg:pre_stop])
        f = _FILLER.match(folded, after, post_end)
        post_start = f.end() if f else after
        post = "" if _EMPTY_POST.match(folded[post_start:post_end]) else orig[post_start:post_end].strip()
        if pre and post and len(pre) <= 3 and not _CHANGE.fullmatch(pre):
            verb, indicator = pre, pre + post  # "建成" + "高速公路"
        elif post and not pre:
            indicator = verb + post  # "…和50座桥梁"
        elif pre and _CHANGE.fullmatch(pre) and (out or previous):
            # "比上年增长5.1%": the previous mention's indicator grows, falls, ...
            prev = out[-1][0] if out else previous[-1].indicator
            indicator = _CHANGE_END.sub("", prev) + pre
        elif not pre:
            indicator = out[-1][0] if out else (previous[-1].indicator if previous else fallback)
        else:
            indicator = pre
        out.append((indicator, hit, comparator, start, clause.end if last else post_end))
        seg = sep.end() if sep else after
    return out


def _respectively(orig: str, folded: str, clause: _Clause, keep: list[tuple[_Hit, int | None]]) -> list[str] | None:
    """Indicators for "地区生产总值、一般公共预算收入分别增长5%、6%", one per quantity."""
    at = folded.find("分别", clause.start, clause.end)
    if at < 0 or len(keep) < 2 or keep[0][0].quantity.start < at:
        return None
    names_o, names_f, pos = [], [], clause.start
    for m in list(_LIST.finditer(folded, clause.start, at)) + [None]:
        stop = m.start() if m else at
        names_o.append(orig[pos:stop])
        names_f.append(folded[pos:stop])
        pos = m.end() if m else at
    if len(names_o) != len(keep):
        return None
    first = keep[0][0].quantity.start
    verb = _indicator(orig[at + 2 : first], folded[at + 2 : first])
    names = [_indicator(o, f) for o, f in zip(names_o, names_f)]
    return [name + verb for name in names] if all(names) else None
