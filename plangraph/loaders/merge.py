"""One type and one label for an entity across the plans read together.

Plans share an entity by its name (one node, ``pgid:太钢``). Plans read from text are typed by
the extractor, and two reports may read the same name differently (一带一路 a reform in one, a
programme in the next): in one graph that node would be of two disjoint classes and the corpus
inconsistent. So the extracted plans of a corpus agree on one type per name: the type most of
them give it (the first plan's when they are even), with a warning naming what was changed.
Likewise one Chinese label (“双高”计划 in one report, 双高计划 in another): the most given, the
others kept as aliases. Curated (YAML) plans are never changed: a conflict there is the author's to resolve, and the
reasoner names it.

>>> from plangraph.loaders.model import Entity, Plan, Task, Text, Theme
>>> def plan(pid, kind):
...     task = Task(id="t", label=Text("推进"), involves=["一带一路"])
...     return Plan(id=pid, title=Text(pid), themes=[Theme(id="x", label=Text("x"), tasks=[task])],
...                 entities=[Entity(name="一带一路", type=kind, label=Text("一带一路"))])
>>> plans = [plan("a", "Reform"), plan("b", "Programme"), plan("c", "Reform")]
>>> reconcile_types(plans)
['一带一路: a Reform in 2 plans, a Programme in 1 (b): typed Reform in every plan']
>>> [p.entities[0].type for p in plans]
['Reform', 'Reform', 'Reform']
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from .model import Entity, Plan
from .names import normalise_name

__all__ = ["reconcile_types"]

# Company and GovernmentBody are kinds of Actor: an Actor and a Company do not conflict
_ACTOR_KINDS = {"Actor", "Company", "GovernmentBody"}


def _conflict(types: set[str]) -> bool:
    if len(types) < 2:
        return False
    return not (types <= _ACTOR_KINDS and len(types - {"Actor"}) <= 1)


def _retype(plan: Plan, entity: Entity, kind: str) -> None:
    if entity.type == "IndustryCluster" and kind != "IndustryCluster":
        # what only a cluster has goes: its anchors, its scale, the tasks that develop it
        entity.anchored_by, entity.scale, entity.multiple = [], None, False
        for task in plan.tasks():
            if entity.name in task.develops:
                task.develops = [d for d in task.develops if d != entity.name]
                task.involves = list(dict.fromkeys([*task.involves, entity.name]))
    entity.type = kind


def _one_label(entities: list[Entity]) -> None:
    labels = Counter(e.label.zh for e in entities)
    if len(labels) < 2:
        return
    order = {label: i for i, label in reversed(list(enumerate(e.label.zh for e in entities)))}
    chosen = max(labels, key=lambda k: (labels[k], -order[k]))
    for e in entities:
        if e.label.zh != chosen:
            e.aliases = list(dict.fromkeys([*e.aliases, e.label.zh]))
            e.label = replace(e.label, zh=chosen)


def reconcile_types(plans: list[Plan], curated: set[str] = frozenset()) -> list[str]:
    """Give each entity name one type and one zh label across ``plans`` (in place), leaving the
    plans whose ids are in ``curated`` as they are; returns a warning for each name retyped.
    """
    seen: dict[str, list[tuple[Plan, Entity]]] = defaultdict(list)
    for plan in plans:
        if plan.id in curated:
            continue
        for entity in plan.entities:
            seen[normalise_name(entity.name)].append((plan, entity))  # one node per normal form
    warnings: list[str] = []
    for name, uses in seen.items():
        _one_label([e for _, e in uses])
        types = {e.type for _, e in uses}
        if not _conflict(types):
            continue
        counts = Counter(e.type for _, e in uses)
        first = {}
        for i, (_, e) in enumerate(uses):
            first.setdefault(e.type, i)
        winner = max(counts, key=lambda k: (counts[k], -first[k]))
        others = sorted((k for k in counts if k != winner), key=lambda k: (-counts[k], first[k]))
        changed = [p.id for p, e in uses if e.type != winner]
        detail = ", ".join(f"a {k} in {counts[k]}" for k in others)
        listed = ", ".join(changed[:5]) + (", …" if len(changed) > 5 else "")
        warnings.append(f"{name}: a {winner} in {counts[winner]} plan{'s' if counts[winner] > 1 else ''}, {detail} ({listed}): "
                        f"typed {winner} in every plan")
        for plan, entity in uses:
            if entity.type != winner:
                _retype(plan, entity, winner)
    return warnings
