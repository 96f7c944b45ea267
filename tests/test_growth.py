"""The linear-time rewrites of the text reader and the graph builder give what the scans they
replace gave: each is checked against the old scan, kept here, on random inputs."""

from __future__ import annotations

import random

import pytest

from plangraph.graph.build import _Builder
from plangraph.loaders.documents import Block
from plangraph.loaders.model import Entity, Plan, Text
from plangraph.loaders.text_plan import _ADDRESS, _Extractor, _Para, _review_openings, _stray_lines, section_kind

# headings and paragraphs of the genre, short and long, some inside others
_TEXTS = [
    "一、2025年工作回顾", "二、2026年主要预期目标", "三、2026年重点工作", "产业兴旺 经济发达", "奋斗目标", "重点任务",
    "发展思路", "各位代表：", "一年来，我们主要做了以下工作：", "（一）扩大有效需求", "第一章 发展基础", "附件1 名词解释",
    "大农村新型集体经济。", "大农村新型集体经济", "发展壮大农村新型集体经济，带动农民增收。", "。", "。。", "经", "济。",
    "过去的一年，全省地区生产总值增长5.1%。", "一年来，新增高新技术企业2100家。", "做强先进制造业，依托甲钢集团、乙重工等企业，打造千亿级高端装备产业集群。",
    "地区生产总值增长5%左右。", "地区生产总值增长5%左右", "增长5%", "5", "取得新成效", "四、牢记嘱托，新福建建设取得新成效",
]


def _blocks(rnd: random.Random, n: int) -> list[Block]:
    out, pos = [], 0
    for _ in range(n):
        text = rnd.choice(_TEXTS)
        kind = rnd.choice(("heading", "paragraph", "paragraph"))
        level = rnd.choice((None, None, 0, 1, 2, 3))
        out.append(Block(text, kind, level, pos, pos + len(text)))
        pos += len(text) + 1
    return out


def _old_strays(blocks: list[Block]) -> set[int]:
    return {
        i for i, b in enumerate(blocks)
        if not (b.kind == "heading" or len(b.text) > 40
                or not any(len(o.text) > len(b.text) and b.text.rstrip("。") in o.text for o in blocks))
    }


def _old_pillars(blocks: list[Block], flags: list[bool]) -> set[int]:
    out = set()
    for i, b in enumerate(blocks):
        if not flags[i] or section_kind(b.text) or _ADDRESS.match(b.text) or b.text.endswith(("：", ":")):
            continue
        level = b.level or 1
        for j in range(i + 1, len(blocks)):
            o = blocks[j]
            if not flags[j]:
                continue
            kind = section_kind(o.text)
            if kind:
                if kind in ("goals", "tasks"):
                    out.add(i)
                    break
                continue
            if (o.level or 1) <= level:
                break
    return out


def _old_review_openings(blocks: list[Block], flags: list[bool]) -> set[int]:
    from plangraph.loaders.text_plan import _PAST_OPENING, _REVIEW_TITLE, _TOP_NUMBER

    out = set()
    for i, b in enumerate(blocks):
        if not flags[i] or not _TOP_NUMBER.match(b.text) or section_kind(b.text):
            continue
        after = next((o.text for j, o in enumerate(blocks[i + 1:], i + 1) if not flags[j]), "")
        if _REVIEW_TITLE.search(b.text) or _PAST_OPENING.match(after):
            out.add(b.start)
    return out


@pytest.mark.parametrize("seed", range(300))
def test_block_passes_match_the_scans_they_replace(seed: int) -> None:
    rnd = random.Random(seed)
    blocks = _blocks(rnd, rnd.randint(0, 40))
    assert _stray_lines(blocks) == _old_strays(blocks)
    flags = [_Extractor.looks_like_heading(b) if rnd.random() < 0.5 else rnd.random() < 0.5 for b in blocks]
    assert _Extractor.pillars(blocks, flags) == _old_pillars(blocks, flags)
    assert _review_openings(blocks, flags) == _old_review_openings(blocks, flags)


def _old_offset(blocks: list[Block], i: int) -> int:
    for b in blocks:
        if i <= len(b.text):
            return b.start + i
        i -= len(b.text)
    return blocks[-1].end


@pytest.mark.parametrize("seed", range(50))
def test_paragraph_offsets_match_the_walk_they_replace(seed: int) -> None:
    rnd = random.Random(seed)
    blocks = _blocks(rnd, rnd.randint(1, 12))
    para = _Para(blocks[:1])
    for b in blocks[1:]:
        para.blocks.append(b)  # as the reader grows a paragraph a layout broke
        assert para.text == "".join(x.text for x in para.blocks)
        for i in range(-1, len(para.text) + 2):
            assert para.offset(i) == _old_offset(para.blocks, i)


def test_the_builder_finds_entities_as_the_plan_does() -> None:
    rnd = random.Random(7)
    names = [f"名{i}" for i in range(30)]
    plan = Plan(id="p", title=Text("示例"))
    for i in range(20):  # names and aliases that clash: the first entity that has one wins
        name = rnd.choice(names)
        plan.entities.append(Entity(name=name, type="Company", label=Text(name), aliases=rnd.sample(names, 3)))
    index = _Builder(plan).entities
    for ref in names + ["无名"]:
        assert index.get(ref) is plan.entity(ref)
