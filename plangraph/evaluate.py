"""Score an extracted plan against a reference plan: precision, recall and F1.

Entities match by normalised name, label or alias (then by one name containing the other,
within a type); a type mix-up counts against both types. Quantified targets match on value
and unit and count as correct only with the same comparator and year. Relations compare
cluster→anchor pairs and the set of carriers that tasks name.

>>> from plangraph.loaders import loads_yaml
>>> ref = loads_yaml('''
... plan: {id: r, title: {zh: 参考}}
... entities:
...   - {name: 甲钢, type: Company, label: {zh: 甲钢}, aliases: [甲钢集团]}
...   - {name: 乙港, type: Site, label: {zh: 乙港}}
... ''')
>>> got = loads_yaml('''
... plan: {id: g, title: {zh: 抽取}}
... entities:
...   - {name: 甲钢集团, type: Company, label: {zh: 甲钢集团}}
...   - {name: 丙公司, type: Company, label: {zh: 丙公司}}
... ''')
>>> s = evaluate(got, ref).scores["Company"]
>>> (s.tp, s.fp, s.fn, s.precision, s.recall)
(1, 1, 0, 0.5, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .loaders.names import normalise_name
from .loaders.model import ENTITY_TYPES, Entity, Plan, Target

__all__ = ["Score", "Evaluation", "evaluate", "BAR_CATEGORIES"]

#: The categories the project's quality bar applies to.
BAR_CATEGORIES = ("Company", "IndustryCluster", "Site", "Reform", "Programme", "targets", "anchoredBy")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    missing: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    scores: dict[str, Score]

    def failing(self, minimum: float, categories: tuple[str, ...] = BAR_CATEGORIES) -> list[str]:
        """The categories whose precision or recall is below ``minimum``."""
        return [c for c in categories if c in self.scores and min(self.scores[c].precision, self.scores[c].recall) < minimum]

    def to_table(self, details: bool = False) -> str:
        lines = [f"{'category':<16} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7} {'f1':>6}"]
        for name, s in self.scores.items():
            lines.append(f"{name:<16} {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}")
            if details:
                if s.missing:
                    lines.append(f"    missing:  {'; '.join(s.missing)}")
                if s.spurious:
                    lines.append(f"    spurious: {'; '.join(s.spurious)}")
        return "\n".join(lines)


def _keys(e: Entity) -> set[str]:
    return {normalise_name(n) for n in (e.name, e.label.zh, *e.aliases) if n}


def _match_entities(got: list[Entity], ref: list[Entity]) -> dict[int, Entity | None]:
    """For each extracted entity (by index), the reference entity it names, if any (one to one)."""
    ref_keys = [(r, _keys(r)) for r in ref]
    taken: set[int] = set()
    out: dict[int, Entity | None] = {}
    pending = []
    for i, g in enumerate(got):
        keys = _keys(g)
        hit = next((j for j, (r, rk) in enumerate(ref_keys) if j not in taken and keys & rk), None)
        if hit is None:
            pending.append(i)
            continue
        taken.add(hit)
        out[i] = ref[hit]
    for i in pending:  # second pass: one name contains the other, same type
        keys = _keys(got[i])
        hit = next(
            (j for j, (r, rk) in enumerate(ref_keys)
             if j not in taken and r.type == got[i].type
             and any(len(a) >= 3 and len(b) >= 3 and (a in b or b in a) for a in keys for b in rk)),
            None,
        )
        if hit is not None:
            taken.add(hit)
        out[i] = ref[hit] if hit is not None else None
    return out


def _target_key(t: Target) -> tuple[Decimal | None, str | None, Decimal | None]:
    return (t.value.normalize() if t.value is not None else None, t.unit, t.upper.normalize() if t.upper is not None else None)


def _label(t: Target) -> str:
    return f"{t.label.zh} ({t.value} {t.unit} {t.comparator} {t.year})"


def evaluate(extracted: Plan, reference: Plan) -> Evaluation:
    """Scores per entity type, for quantified targets and per relation."""
    scores: dict[str, Score] = {}
    kinds = [k for k in ENTITY_TYPES if any(e.type == k for e in extracted.entities + reference.entities)]
    for k in kinds:
        scores[k] = Score()
    matches = _match_entities(extracted.entities, reference.entities)
    matched_refs: set[int] = set()
    for i, g in enumerate(extracted.entities):
        r = matches.get(i)
        if r is not None and r.type == g.type:
            scores[g.type].tp += 1
            matched_refs.add(id(r))
        else:
            scores[g.type].fp += 1
            scores[g.type].spurious.append(g.name if r is None else f"{g.name} (a {r.type} in the reference)")
    for r in reference.entities:
        if id(r) not in matched_refs:
            scores[r.type].fn += 1
            scores[r.type].missing.append(r.name)

    # quantified targets
    t = Score()
    ref_targets = [x for x in reference.targets() if x.quantified]
    used: set[int] = set()
    for g in (x for x in extracted.targets() if x.quantified):
        # a target is right when value, unit, bounds, comparator and year all agree
        full = (*_target_key(g), g.comparator, g.year)
        hit = next((j for j, r in enumerate(ref_targets) if j not in used and (*_target_key(r), r.comparator, r.year) == full), None)
        if hit is not None:
            used.add(hit)
            t.tp += 1
        else:
            t.fp += 1
            t.spurious.append(_label(g))
    for j, r in enumerate(ref_targets):
        if j not in used:
            t.fn += 1
            t.missing.append(_label(r))
    scores["targets"] = t

    # relations, over reference names where the entity was matched
    canon = {id(g): (matches[i].name if matches.get(i) is not None else g.name) for i, g in enumerate(extracted.entities)}
    by_name = {n: e for e in extracted.entities for n in (e.name, *e.aliases)}

    def name_of(ref_name: str) -> str:
        e = by_name.get(ref_name)
        return canon.get(id(e), ref_name) if e is not None else ref_name

    got_anchors = {(name_of(e.name), name_of(a)) for e in extracted.entities for a in e.anchored_by}
    ref_anchors = {(e.name, reference.entity(a).name if reference.entity(a) else a) for e in reference.entities for a in e.anchored_by}
    scores["anchoredBy"] = _set_score(got_anchors, ref_anchors)

    got_carried = {name_of(n) for task in extracted.tasks() for n in task.involves + task.develops}
    ref_carried = {reference.entity(n).name if reference.entity(n) else n for task in reference.tasks() for n in task.involves + task.develops}
    scores["involves"] = _set_score(got_carried, ref_carried)
    return Evaluation(scores)


def _set_score(got: set, ref: set) -> Score:
    s = Score(tp=len(got & ref), fp=len(got - ref), fn=len(ref - got))
    s.missing = sorted(" → ".join(x) if isinstance(x, tuple) else x for x in ref - got)
    s.spurious = sorted(" → ".join(x) if isinstance(x, tuple) else x for x in got - ref)
    return s
