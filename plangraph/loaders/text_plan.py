"""Read a plan from its own text: structure, goals, targets, tasks and the entities that carry them.

The rules read the genre's cues rather than any list of names: section headings (发展思路,
奋斗目标/主要目标/预期目标, 重点任务/重点工作, 工作回顾), pillar headings, goal sentences, the
lead clause of a task paragraph, quantified targets (:mod:`.quantities`) and entity mentions
(:mod:`.entities`). A review section (工作回顾) is past, not plan: nothing in it becomes a target or
a carrier. Every node keeps the document and character span of the sentence it came from.

>>> from plangraph.loaders.documents import read_text
>>> doc = read_text('''示范市发展规划
... 产业强市
... 奋斗目标:
... 经济实力明显增强。地区生产总值突破5000亿元。
... 重点任务:
... 做强先进制造业，依托甲钢集团、乙重工等企业，打造千亿级高端装备产业集群。''', name="demo.txt")
>>> plan = extract(doc)
>>> [(t.label.zh, t.value, t.unit, t.comparator) for t in plan.targets()]
[('地区生产总值突破5000亿元', Decimal('500000000000'), '元', '>=')]
>>> sorted((e.name, e.type) for e in plan.entities)
[('乙重工', 'Company'), ('甲钢集团', 'Company'), ('高端装备产业集群', 'IndustryCluster')]
"""

from __future__ import annotations

import hashlib
import operator
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from pathlib import Path

from .aliases import AliasTable, bundled_aliases
from .documents import Block, Document, read_document
from .entities import Mention, Recogniser, abbreviate, divisions, find_entities, recognisers
from .lexicon import Lexicon, bundled_lexicon
from .ner import Tagger
from .errors import PlanSourceError
from .names import normalise_name
from .model import Entity, Evidence, Goal, Plan, Source, Target, Task, Text, Theme, Vision
from .quantities import find_targets, parse_year

__all__ = ["extract", "load_text", "section_kind", "carriers"]

_REVIEW = re.compile(r"回顾|过去五年|过去一年|工作总结|主要成绩|取得的成绩|发展基础|发展成就|现实基础")
_GOALS = re.compile(r"奋斗目标|主要目标|发展目标|预期目标|目标任务|总体目标|主要指标")
_TASKS = re.compile(r"重点任务|主要任务|重点工作|工作安排|工作任务|工作部署|工作思路|重点举措|主要举措|重点项目|(?:19|20)\d{2}年的?工作$")
# the government's own building, closing a work report: 三、全面加强政府自身建设
_SELF = re.compile(r"自身建设|政府(?:现代化)?治理(?:能力|水平)|建设人民满意的?政府")
# notes to a report (附件2 名词解释): they name things but plan nothing
_NOTES = re.compile(r"名词解释|注释|术语")
_APPROACH = re.compile(r"发展思路|总体要求|指导思想|基本原则|总体思路|形势|面临|远景目标|实施保障|保障措施|组织实施")
_SKIP_LINE = re.compile(r"供图|摄影|摄$|资料图片|图片来源|责任编辑|下转\d*版|上接\d*版|^\(?[下上]转|记者\s*\S+\s*$")
# a subtitle or dateline under the title: ——从奋斗目标看美好未来, ——2026年1月21日在…会议上
_SUBTITLE = re.compile(r"^——")
_SENTENCE = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")
_CLAUSE = re.compile(r"[^，,。；;！？!?]+")
# a short sentence that states a fact rather than a goal: 2026年是“十五五”开局之年
_NOT_GOAL = re.compile(r"是|^\d{4}年|^今年|^明年")
_ENDS_SENTENCE = re.compile(r"[。；;！？!?：:」”]$")
# a level-1 number (一、 第三章 第二部分): only such a heading switches what a part is
_TOP_NUMBER = re.compile(r"^(?:第[一二三四五六七八九十百]+[章篇]|第[一二三四五六七八九十百]+部分|[一二三四五六七八九十]+、|附件\s*\d*)")
_KEY_TASK = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
# the year's targets inside a work plan: 全省经济社会发展的主要预期目标是：…
_EXPECTED = re.compile(r"^[^。；;]{0,60}?(?:主要预期目标|主要目标|预期目标)(?:是|为)?[:：]")
# an address to the deputies opens a closing or a transition, not a task: 各位代表！…
_ADDRESS = re.compile(r"^各位代表")
# the lines above a work report's first section: title, source, dateline
_REGION_ENDINGS = "省|市|自治区|特别行政区|自治州|州|县|区"
_TITLE_REGION = re.compile(rf"(?:\d{{4}}年)?(?P<region>[\u4e00-\u9fff]{{2,12}}?(?:{_REGION_ENDINGS}))(?:人民)?政府工作报告")
_REGION_ENDING = re.compile(rf"(?:{_REGION_ENDINGS})$")
_SOURCE_LINE = re.compile(r"^来源\s*[:：]\s*(?P<source>.+)$")
_DATELINE = re.compile(r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日[^。]{0,40}?(?:会议|大会)上")
_HEADING_NUMBER = re.compile(
    r"^(?:第[一二三四五六七八九十百]+[章节部分篇]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．]|[一二三四五六七八九十]+是)\s*"
)


@dataclass
class _Para:
    """Consecutive paragraph blocks that a layout broke mid-sentence, read as one text."""

    blocks: list[Block]
    #: the joined text and where each block ends in it, for as many blocks as ``_joined`` covers
    _joined: int = field(default=0, repr=False, compare=False)
    _text: str = field(default="", repr=False, compare=False)
    _ends: list[int] = field(default_factory=list, repr=False, compare=False)

    def _join(self) -> None:
        # joined again only when blocks were added, not on every read: the reader asks for the text
        # and an offset per sentence, and a paragraph a layout broke may hold many blocks
        if self._joined != len(self.blocks):
            self._text = "".join(b.text for b in self.blocks)
            self._ends = list(accumulate(len(b.text) for b in self.blocks))
            self._joined = len(self.blocks)

    @property
    def text(self) -> str:
        self._join()
        return self._text

    def offset(self, i: int) -> int:
        """The document offset of character ``i`` of the joined text (``i`` may be its length)."""
        self._join()
        # the first block that ends at or after i holds it (at its end when i is a block boundary)
        j = bisect_left(self._ends, i)
        if j == len(self._ends):
            return self.blocks[-1].end
        return self.blocks[j].start + i - (self._ends[j - 1] if j else 0)


@dataclass
class _State:
    theme: Theme | None = None
    section: str | None = None  # approach | goals | tasks | review | self | None
    #: the part was set by a level-1 heading (一、…): sub-headings do not switch it
    locked: bool = False
    #: in a work plan opened by a level-1 heading, before its first key task: setting, not tasks
    preamble: bool = False
    goal: Goal | None = None
    key_task: Task | None = None
    chapter: Task | None = None  # a task chapter (第三章 …) holding key tasks (第一节 …)
    year: int | None = None
    path: list[str] = field(default_factory=list)


def section_kind(heading: str) -> str | None:
    """What a heading opens: "review", "goals", "tasks", "self" (the government's own building),
    "approach", or None (a pillar or a task).

    >>> section_kind("二、2026年经济社会发展的总体要求和主要预期目标"), section_kind("产业兴旺 经济发达")
    ('goals', None)
    >>> section_kind("二、2025年工作总体要求和重点任务"), section_kind("三、全面加强政府自身建设")
    ('tasks', 'self')
    """
    for kind, pattern in (("review", _REVIEW), ("notes", _NOTES), ("goals", _GOALS), ("tasks", _TASKS), ("self", _SELF),
                          ("approach", _APPROACH)):
        if pattern.search(heading):
            return kind
    return None


def carriers(mentions: list[Mention]) -> list[Mention]:
    """The mentions that carry a task or goal: a cluster's anchors carry the cluster, not the task."""
    anchors = {id(a) for m in mentions for a in m.anchors}
    return [m for m in mentions if id(m) not in anchors]


class _Extractor:
    def __init__(self, doc: Document, plan_id: str, aliases: AliasTable, recognise: tuple[Recogniser, ...]):
        self.doc = doc
        self.recognise = recognise
        self.aliases = aliases
        self.plan = Plan(id=plan_id, title=Text(Path(doc.path).stem), source_file=Path(doc.path).name)
        self.entities: dict[str, Entity] = {}
        self.counter: dict[str, int] = {}
        self.state = _State()
        self.sectioned = False
        self.seen_goals = False
        self.opened_goal = False
        self.seen_evidence: set[Evidence] = set()
        #: (value, unit, comparator, year) of every quantified target so far: the plan's, kept as they are made
        self.quantified: set[tuple[Decimal, str, str, int | None]] = set()
        #: the sources and anchors each entity has (by its key), for membership tests that do not scan lists
        self.entity_sources: dict[str, set[Source]] = {}
        self.entity_anchors: dict[str, set[str]] = {}
        self.review_openings: set[int] = set()
        self.region: str | None = None
        #: the year a work report plans (2025年X省政府工作报告), None for other plans
        self.report_year: int | None = None
        self.warnings: list[str] = list(doc.warnings)

    # -- helpers -----------------------------------------------------------
    def find(self, sentence: str) -> list[Mention]:
        # the plan's own region (江岭 of 江岭省) is where everything is, not a site
        return [m for m in find_entities(sentence, self.recognise) if not (m.type == "Site" and m.name == self.region)]

    def next_id(self, kind: str) -> str:
        self.counter[kind] = self.counter.get(kind, 0) + 1
        return f"{kind}{self.counter[kind]}"

    def source(self, start: int, end: int) -> Source:
        quote = self.doc.text[start:end].strip()
        if len(quote) > 60:
            quote = quote[:58] + "…"
        return Source(section=" / ".join(self.state.path) or "(正文)", quote=quote, document=self.doc.path, start=start, end=end)

    def theme(self) -> Theme:
        if self.state.theme is None:
            label = self.plan.title.zh
            self.state.theme = Theme(id=self.next_id("theme"), label=Text(label), sources=[])
            self.plan.themes.append(self.state.theme)
        return self.state.theme

    def entity(self, m: Mention, src: Source) -> Entity:
        name = self.aliases.canonical(m.canonical or m.name)
        key = abbreviate(normalise_name(name))  # 云川高新技术产业开发区 and 云川高新区 are one zone
        e = self.entities.get(key)
        if e is None:
            e = Entity(name=name, type=m.type, label=Text(name), aliases=[], sources=[src])
            variants = [v for v in (*self.aliases.variants(name), *m.variants) if v != name]
            e.aliases.extend(dict.fromkeys(variants))
            self.entities[key] = e
            self.plan.entities.append(e)
        else:
            seen = self.entity_sources.get(key)
            if seen is None:
                seen = self.entity_sources[key] = set(e.sources)
            if src not in seen:
                seen.add(src)
                e.sources.append(src)
        if m.name != e.name and m.name not in e.aliases and normalise_name(m.name) != normalise_name(e.name):
            e.aliases.append(m.name)
        if m.type == "IndustryCluster":
            e.scale = e.scale or m.scale
            e.multiple = e.multiple or m.multiple
            anchors = self.entity_anchors.get(key)
            if anchors is None:
                anchors = self.entity_anchors[key] = set(e.anchored_by)
            for a in m.anchors:
                anchor = self.entity(a, src)
                if anchor.name not in anchors:
                    anchors.add(anchor.name)
                    e.anchored_by.append(anchor.name)
                self.evidence(e.name, "anchoredBy", anchor.name, src)
        return e

    def evidence(self, subject: str, relation: str, obj: str, src: Source) -> None:
        ev = Evidence(subject, relation, obj, src)
        if ev not in self.seen_evidence:
            self.seen_evidence.add(ev)
            self.plan.evidence.append(ev)

    # -- structure ---------------------------------------------------------
    def heading(self, block: Block, pillar: bool) -> None:
        text = block.text.rstrip(":：")
        bare = _HEADING_NUMBER.sub("", text).strip()
        level = block.level or (2 if _KEY_TASK.match(text) else 1)
        st = self.state
        year = parse_year(bare)
        kind = "review" if block.start in self.review_openings else section_kind(bare)
        top = bool(_TOP_NUMBER.match(text))
        if top and kind is None and st.section == "review" and st.locked:
            kind = "tasks"  # the part after the review of a work report is its plan, whatever its heading says
        if top and kind == "goals" and self.report_year and re.search(r"目标任务|工作", bare):
            kind = "tasks"  # 二、2025年主要目标任务: a work report's plan, its targets stated inside
        if st.locked and not top:
            # inside a level-1 part a sub-heading may move between its setting and its goals
            # (第一节 指导思想, 第三节 主要目标), but a keyword never turns a work plan or a goal into
            # a review: （三）夯实发展基础 is a task
            if kind is not None and kind == st.section:
                st.year = year or st.year
                return  # a lead-in that names the part again: 今年的主要预期目标是：
            if kind is None or st.section == "tasks" or kind in ("review", "self"):
                kind = None
                level = max(level, 2)
        if st.section in ("review", "self", "notes") and kind is None and not (level <= 1 and top):
            return  # a sub-heading of the review (一年来，我们主要做了以下工作) or of the government's own building
        if kind is not None:
            st.section, st.chapter = kind, None
            st.locked, st.preamble = top, top and kind == "tasks"
            in_pillar = st.theme is not None and st.theme.label.zh != self.plan.title.zh
            st.path = [bare] if kind == "review" or not in_pillar else st.path[:1] + [bare]
            if kind == "goals":
                self.seen_goals = True
                st.goal, st.year = None, year or st.year
            elif kind == "tasks":
                # a task target's year is its own, or the tasks section's (三、2026年重点工作)
                st.key_task, st.year = None, year or self.report_year  # a work report's plan is for its year
            return
        if st.section == "tasks" and level >= 2:
            if not bare:
                return  # a bare number, its title on the next line
            self.key_task(Task(id=self.next_id("task"), label=Text(bare), sources=[self.source(block.start, block.end)]))
            return
        if st.section == "goals" and level >= 2:
            st.goal = self.new_goal(bare, block.start, block.end)
            return
        if not pillar:
            if self.seen_goals and level <= 1:
                # a chapter after the goals that holds tasks without a 重点任务 heading: 第三章 构建现代化产业体系
                chapter = Task(id=self.next_id("task"), label=Text(bare), sources=[self.source(block.start, block.end)])
                self.add_key_task(chapter)
                st.section, st.chapter, st.path, st.year = "tasks", chapter, [bare], year
                st.locked = st.preamble = False
            return  # otherwise a preamble line (江岭省人民政府, 各位代表)
        # a pillar
        st.chapter = None
        st.theme = Theme(id=self.next_id("theme"), label=Text(bare), sources=[self.source(block.start, block.end)])
        self.plan.themes.append(st.theme)
        st.section, st.goal, st.key_task, st.path = None, None, None, [bare]
        st.year = year or st.year

    def new_goal(self, label: str, start: int, end: int) -> Goal:
        goal = Goal(id=self.next_id("goal"), label=Text(label), sources=[self.source(start, end)])
        self.theme().goals.append(goal)
        return goal

    def add_key_task(self, task: Task) -> None:
        self.theme().tasks.append(task)
        self.state.key_task = task

    def key_task(self, task: Task) -> None:
        """A numbered task of a tasks section: under the chapter that holds it, else a key task."""
        st = self.state
        st.preamble = False
        if st.chapter is not None:
            st.chapter.subtasks.append(task)
            st.key_task = task
        else:
            self.add_key_task(task)

    # -- content -----------------------------------------------------------
    def paragraph(self, para: _Para) -> None:
        st = self.state
        full = para.text
        # (sentence, its offset in the joined text)
        sentences = [(m.group(0), m.start()) for m in _SENTENCE.finditer(full) if m.group(0).strip()]
        if st.section in ("review", "self", "notes") or (st.section is not None and _ADDRESS.match(full)):
            # past or the government's own work: the carriers it names are real, its numbers are not targets
            self.mentions_only(para, sentences)
            return
        if st.section == "approach":
            return
        if st.section is None and self.sectioned and st.theme is None:
            return  # a preamble before the plan's sections
        if st.section == "tasks" and st.locked and _EXPECTED.match(full):
            self.expected_targets(para, sentences)
            return
        if st.section == "tasks" and _KEY_TASK.match(full):
            # "（一）标题。正文" on one line: the first sentence is the key task, the rest its content
            head = sentences[0][0]
            label = _HEADING_NUMBER.sub("", head.rstrip("。；;")).strip()
            task = Task(id=self.next_id("task"), label=Text(label), sources=[self.span(para, 0, len(head))])
            self.key_task(task)
            self.fill(task, para, sentences, {start: self.find(text) for text, start in sentences})
            return
        if st.preamble:
            self.mentions_only(para, sentences)  # 今年是…, 总体要求是…: the setting of the work plan
            return
        if st.section == "goals":
            self.opened_goal = False
            for text, start in sentences:
                self.goal_sentence(text, start, para)
            return
        # tasks (or text without section headings): a lone short sentence is a key task heading
        mentions_of = {start: self.find(text) for text, start in sentences}
        if len(sentences) == 1 and len(full) <= 40 and not mentions_of[0] and not find_targets(full):
            label = _HEADING_NUMBER.sub("", full.rstrip("。；;")).strip()
            self.add_key_task(Task(id=self.next_id("task"), label=Text(label), sources=[self.span(para, 0, len(full))]))
            return
        lead = _CLAUSE.match(full)
        label = _HEADING_NUMBER.sub("", lead.group(0).strip() if lead else full[:20]).rstrip("。").strip()
        task = Task(id=self.next_id("task"), label=Text(label), sources=[self.span(para, 0, len(sentences[0][0]))])
        if st.key_task is not None:
            st.key_task.subtasks.append(task)
        else:
            self.theme().tasks.append(task)
        self.fill(task, para, sentences, mentions_of)

    def fill(self, task: Task, para: _Para, sentences: list[tuple[str, int]], mentions_of: dict[int, list[Mention]]) -> None:
        """Link the carriers and targets of a task's sentences to it."""
        st = self.state
        linked = {*task.develops, *task.involves}  # kept with the lists: a long paragraph names many carriers
        for text, start in sentences:
            src = self.span(para, start, start + len(text))
            for m in carriers(mentions_of[start]):
                e = self.entity(m, src)
                bucket = task.develops if m.role == "develops" and e.type in ("IndustryCluster", "Site") else task.involves
                if e.name not in linked:
                    linked.add(e.name)
                    bucket.append(e.name)
                    self.evidence(task.id, "develops" if bucket is task.develops else "involves", e.name, src)
            for t in find_targets(text, default_year=st.year):
                if not t.past:
                    task.targets.append(self.target(t, para, start))

    def mentions_only(self, para: _Para, sentences: list[tuple[str, int]]) -> None:
        """Keep the carriers a paragraph names, with their provenance, and nothing else."""
        for text, start in sentences:
            src = self.span(para, start, start + len(text))
            for m in carriers(self.find(text)):
                self.entity(m, src)

    def expected_targets(self, para: _Para, sentences: list[tuple[str, int]]) -> None:
        """The main expected targets of a work plan: its numbers, and its clauses that state an aim without one."""
        st = self.state
        # the list runs to the first full stop; its items may be parted by semicolons
        stop = para.text.find("。")
        list_end = len(para.text) if stop < 0 else stop + 1
        text, start = para.text[:list_end], 0
        goal = self.new_goal("主要预期目标", para.offset(start), para.offset(start + len(text)))
        st.goal = goal
        lead = _EXPECTED.match(text)
        body, offset = text[lead.end():], start + lead.end()
        targets = [t for t in find_targets(body, default_year=st.year) if not t.past]
        for t in targets:
            goal.targets.append(self.target(t, para, offset))
        for c in _CLAUSE.finditer(body):
            clause = c.group(0).strip()
            if len(clause) >= 6 and not any(t.start < c.end() and c.start() < t.end for t in targets):
                goal.targets.append(Target(id=self.next_id("target"), label=Text(clause),
                                           sources=[self.span(para, offset + c.start(), offset + c.end())]))
        src = self.span(para, start, start + len(text))
        for m in carriers(self.find(text)):
            e = self.entity(m, src)
            if e.name not in goal.involves:
                goal.involves.append(e.name)
        self.mentions_only(para, [(t, s) for t, s in sentences if s >= list_end])

    def span(self, para: _Para, start: int, end: int) -> Source:
        return self.source(para.offset(start), para.offset(end))

    def goal_sentence(self, text: str, start: int, para: _Para) -> None:
        st = self.state
        targets = [t for t in find_targets(text, default_year=st.year) if not t.past]
        body = _HEADING_NUMBER.sub("", text.rstrip("。；;！!？? ")).strip()
        body = body.lstrip("—-－ ")
        if not targets and len(body) <= 24 and "，" not in body and "," not in body and not _NOT_GOAL.search(body):
            st.goal = self.new_goal(body, para.offset(start), para.offset(start + len(text)))
            self.opened_goal = True
            return
        if not targets and not self.opened_goal:
            return  # an explanatory sentence in the goals section, not a goal
        if not self.opened_goal and targets:
            known = self.quantified  # every quantified target of the plan so far (not a walk of the plan per sentence)
            if all((t.quantity.value, t.quantity.unit, t.comparator, t.year) in known for t in targets):
                return  # a restatement of targets already set (经济增长预期目标定为5%左右)
        goal = st.goal or self.new_goal(st.path[-1] if st.path else "主要目标", para.offset(start), para.offset(start + len(text)))
        st.goal = goal
        src = self.span(para, start, start + len(text))
        for m in carriers(self.find(text)):
            e = self.entity(m, src)
            if e.name not in goal.involves:
                goal.involves.append(e.name)
        quantified_spans = []
        for t in targets:
            goal.targets.append(self.target(t, para, start))
            quantified_spans.append((start + t.start, start + t.end))
        # the other clauses of a paragraph that opened with a goal are qualitative targets
        for c in (_CLAUSE.finditer(text) if self.opened_goal else ()):
            c_start, c_end = start + c.start(), start + c.end()
            clause = c.group(0).strip()
            if len(clause) < 6 or any(a < c_end and c_start < b for a, b in quantified_spans):
                continue
            if re.match(r"^(?:主要预期目标|预期目标|主要目标)(?:是)?[:：]?$", clause):
                continue
            goal.targets.append(Target(id=self.next_id("target"), label=Text(clause), sources=[self.span(para, c_start, c_end)]))

    def target(self, t, para: _Para, offset: int) -> Target:  # t: quantities.TargetMention
        q = t.quantity
        if q.value is not None:  # each target made here goes into the plan at once
            self.quantified.add((q.value, q.unit, t.comparator, t.year))
        return Target(
            id=self.next_id("target"),
            label=Text(t.text.strip()),
            indicator=Text(t.indicator) if t.indicator else None,
            value=q.value,
            upper=q.upper,
            unit=q.unit,
            comparator=t.comparator,
            year=t.year,
            sources=[self.span(para, offset + t.start, offset + t.end)],
        )

    # -- whole document ----------------------------------------------------
    def metadata(self) -> None:
        """Title, source and dateline lines above the first section are the plan's metadata:
        the date it was delivered, the region, the issuing government (a GovernmentBody)."""
        for b in self.doc.blocks[:10]:
            if b.kind == "heading" and _TOP_NUMBER.match(b.text):
                break
            src = Source(section="(标题)", quote=b.text[:60], document=self.doc.path, start=b.start, end=b.end)
            region = _TITLE_REGION.search(b.text)
            if region:
                # the longest tail of the words before 政府工作报告 that is a division: not 关于河北省, 河北省
                words = region.group("region")
                name = next((words[i:] for i in range(len(words) - 1) if words[i:] in divisions()), words)
            if region and self.report_year is None:
                self.report_year = parse_year(b.text) if re.search(r"\d{4}年", b.text) else None
            if region and self.plan.spatial is None:
                self.plan.spatial = Text(name)
                self.region = _REGION_ENDING.sub("", name)
                government = name + "人民政府"
                self.plan.publisher = government
                self.plan.entities.append(Entity(name=government, type="GovernmentBody", label=Text(government), sources=[src]))
                self.entities[abbreviate(normalise_name(government))] = self.plan.entities[-1]
            date = _DATELINE.search(b.text)
            if date and self.plan.issued is None:
                self.plan.issued = f"{int(date['y']):04d}-{int(date['m']):02d}-{int(date['d']):02d}"
            source = _SOURCE_LINE.match(b.text)
            if source and self.plan.source_title is None:
                self.plan.source_title = source.group("source").strip()

    def run(self) -> Plan:
        self.metadata()
        blocks = [b for b in self.doc.blocks if not _SKIP_LINE.search(b.text) and not _SOURCE_LINE.match(b.text)]
        # "——" opens a subtitle right under the title, or a dateline; elsewhere it opens a list item (——经济实力…)
        blocks = [b for i, b in enumerate(blocks) if not (_SUBTITLE.match(b.text) and (i <= 2 or re.search(r"\d{4}年\d{1,2}月", b.text)))]
        if not blocks:
            raise PlanSourceError(self.doc.path, None, "has no text to read a plan from")
        # a short paragraph repeated inside a longer one is a layout artefact (a stray line)
        stray = _stray_lines(blocks)
        blocks = [b for i, b in enumerate(blocks) if i not in stray]
        title_block = blocks[0]
        if title_block.kind == "heading" or len(title_block.text) <= 40:
            blocks = blocks[1:]
            title = title_block.text.strip()
            self.plan.title = Text(title)
            main = re.split(r"[：:]", title, maxsplit=1)[-1].split("——")[0].strip()
            if main != title or re.search(r"盛景|愿景|建成|全面建设", main):
                self.plan.vision = Vision(id="vision", label=Text(main), sources=[self.source(title_block.start, title_block.end)])
            self.state.year = parse_year(title) if re.search(r"\d{4}年", title) else None
        self.sectioned = any(
            (b.kind == "heading" or len(b.text) <= 24) and section_kind(b.text) in ("goals", "tasks") for b in blocks
        )
        heading_flags = [self.looks_like_heading(b) for b in blocks]
        self.review_openings = _review_openings(blocks, heading_flags)
        pillars = self.pillars(blocks, heading_flags)
        pending: _Para | None = None
        for i, block in enumerate(blocks):
            is_heading = heading_flags[i]
            # the joined text ends as its last block does: only that one is read, not the whole paragraph again
            if pending is not None and (is_heading or _ENDS_SENTENCE.search(pending.blocks[-1].text)):
                self.paragraph(pending)
                pending = None
            if is_heading and pending is None:
                self.heading(block, i in pillars)
            elif pending is None:
                pending = _Para([block])
            else:
                pending.blocks.append(block)  # the layout broke this sentence: 社区书 / 房
        if pending is not None:
            self.paragraph(pending)
        self.link_goals()
        if self.plan.states_nothing:
            self.warnings.append(f"{self.doc.path}: found no targets and no entities: is this a plan text?")
        elif not any(t.goals for t in self.plan.themes):
            self.warnings.append(f"{self.doc.path}: found no goals section (奋斗目标/主要目标/预期目标)")
        return self.plan

    @staticmethod
    def looks_like_heading(block: Block) -> bool:
        if block.text.startswith("附件") and len(block.text) <= 20:
            return True  # 附件2 名词解释: an annex heading (its 2 is no target)
        if find_targets(block.text):
            return False
        if _KEY_TASK.match(block.text) and len(block.text) <= 60 and not re.search(r"[。；;！!？?]", block.text):
            return True  # （一）充分发挥改革牵引作用，努力取得新突破: a long numbered heading
        return block.kind == "heading" or (
            len(block.text) <= 24 and not re.search(r"[。；;，,]$", block.text) and "，" not in block.text
        )

    @staticmethod
    def pillars(blocks: list[Block], flags: list[bool]) -> set[int]:
        """Headings that open a pillar: a non-keyword heading whose part holds a goals or tasks heading."""
        # Read from the end, keeping the nearest goals or tasks heading after the block at hand and,
        # for each level, the nearest heading of no kind at that level: a heading opens a pillar
        # when a goals or tasks heading comes before any heading of no kind at its level or above
        # (other keyword headings and deeper ones are passed over). One pass, not a scan per heading.
        out = set()
        never = len(blocks)
        next_plan = never  # the nearest goals or tasks heading after i
        nearest: dict[int, int] = {}  # level -> the nearest heading of no kind at that level after i
        for i in range(len(blocks) - 1, -1, -1):
            if not flags[i]:
                continue
            b = blocks[i]
            kind = section_kind(b.text)
            level = b.level or 1
            if not kind and not _ADDRESS.match(b.text) and not b.text.endswith(("：", ":")):
                # 各位代表：, 一年来主要做了以下工作： lead into a part, they do not open one
                stop = min((j for lv, j in nearest.items() if lv <= level), default=never)
                if next_plan < stop:
                    out.add(i)
            if kind in ("goals", "tasks"):
                next_plan = i
            elif not kind:
                nearest[level] = i
        return out

    def link_goals(self) -> None:
        """Key tasks support the goals of their theme, or every goal of the plan when their theme has none."""
        all_goals = [g.id for g in self.plan.goals()]
        for theme in self.plan.themes:
            goals = [g.id for g in theme.goals] or all_goals
            for task in theme.tasks:
                task.supports = list(goals)


# a part that tells the past year though its heading names no review: 一、牢记嘱托，新福建建设取得新成效
_REVIEW_TITLE = re.compile(r"取得(?:新的?|明显|显著|重要|积极)?(?:成效|成绩|成就|进展|突破)|回眸|奋斗历程")
_PAST_OPENING = re.compile(r"^(?:(?:19|20)\d{2}年是|一年来|过去一年|过去的一年|刚刚过去的一年|回顾过去|这一年)")


def _review_openings(blocks: list[Block], flags: list[bool]) -> set[int]:
    """The level-1 headings that open a review by their words or by the paragraph after them."""
    out = set()
    after = ""  # the text of the first paragraph after the block at hand (read from the end)
    for i in range(len(blocks) - 1, -1, -1):
        b = blocks[i]
        if not flags[i]:
            after = b.text
        elif _TOP_NUMBER.match(b.text) and not section_kind(b.text):
            if _REVIEW_TITLE.search(b.text) or _PAST_OPENING.match(after):
                out.add(b.start)
    return out


#: a short paragraph is a stray line when a longer block holds it; longer ones never are
_STRAY_MAX = 40


def _stray_lines(blocks: list[Block]) -> set[int]:
    """The indexes of the short paragraphs (at most 40 characters, not headings) whose text, less
    its closing 。, lies inside a longer block: layout artefacts, a line repeated out of its sentence.

    Each distinct text is looked for once, and only in the blocks that hold its rarest character
    pair (an index of the pairs the short texts have), not in every block: linear in practice,
    where a scan of every block per short paragraph grows with the square of the document.

    >>> from plangraph.loaders.documents import read_text
    >>> doc = read_text("大农村新型集体经济。\\n发展壮大农村新型集体经济，带动农民增收。\\n另起一行。")
    >>> sorted(_stray_lines(list(doc.blocks)))
    [0]
    """
    needles: dict[str, int] = {}  # text less its closing 。 -> the longest block text giving it
    short: list[tuple[int, str]] = []
    for i, b in enumerate(blocks):
        if b.kind != "heading" and len(b.text) <= _STRAY_MAX:
            needle = b.text.rstrip("。")
            short.append((i, needle))
            needles[needle] = max(needles.get(needle, 0), len(b.text))
    if not short:
        return set()
    texts = [b.text for b in blocks]
    # a needle of two or more characters is found through its character pairs, one of one character through itself
    grams_of = {n: (set(map(operator.add, n, n[1:])) if len(n) >= 2 else {n}) for n in needles if n}
    wanted_pairs = set().union(*(g for n, g in grams_of.items() if len(n) >= 2))
    wanted_chars = {n for n in grams_of if len(n) == 1}
    postings: dict[str, list[int]] = {}
    for i, t in enumerate(texts):
        found = set(map(operator.add, t, t[1:])) & wanted_pairs if wanted_pairs else set()
        if wanted_chars:
            found |= set(t) & wanted_chars
        for g in found:
            postings.setdefault(g, []).append(i)
    # the longest block holding each needle (enough to know whether it is longer than the needle's blocks)
    longest: dict[str, int] = {}
    for needle, most in needles.items():
        if not needle:
            longest[needle] = max(map(len, texts))  # "" lies in every block
            continue
        best = 0
        candidates = min((postings.get(g, ()) for g in grams_of[needle]), key=len)
        for j in candidates:
            t = texts[j]
            if len(t) > best and needle in t:
                best = len(t)
                if best > most:
                    break  # longer than every block that gives this needle: they are all stray
        longest[needle] = best
    return {i for i, needle in short if longest[needle] > len(blocks[i].text)}


def _plan_id(path: str, text: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(path).stem).strip("-").lower()
    if stem and re.search(r"[a-z]", stem):
        return stem
    return "plan-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def extract(doc: Document, *, plan_id: str | None = None, aliases: AliasTable | None = None,
            lexicon: Lexicon | None = None, model: bool = True) -> Plan:
    """The plan a document states; ``plan.warnings`` lists what could only partly be read.

    Entities come from the rules, the enterprise lexicon (``lexicon``, the shipped one by default)
    and, unless ``model=False``, the statistical name recogniser (:mod:`.ner`), in that order.
    """
    found = recognisers(lexicon=lexicon if lexicon is not None else bundled_lexicon(), model=Tagger.load() if model else None)
    ex = _Extractor(doc, plan_id or _plan_id(doc.path, doc.text), aliases or bundled_aliases(), found)
    plan = ex.run()
    plan.warnings = ex.warnings
    return plan


def load_text(path: str | Path, *, aliases: AliasTable | None = None, lexicon: Lexicon | None = None, model: bool = True) -> Plan:
    """Read a plan document (.txt, .md, .html, .docx, .pdf) and extract its plan."""
    return extract(read_document(path), aliases=aliases, lexicon=lexicon, model=model)
