"""Score an extracted plan against a reference: precision, recall and F1.

Entities match by normalised name, label or alias (then by one name containing the other,
within a type); a type mix-up counts against both types. Quantified targets are compared bound
by bound (a range 4%—5% is ``>= 4`` and ``<= 5``): ``target values`` counts a target found when
value and unit agree, ``targets`` only when comparator and year agree too. Relations compare
cluster→anchor pairs and the set of carriers that tasks name. Labels a reference marks
``unsure`` are neither rewarded nor punished.

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
>>> evaluate(got, ref, unsure=["丙公司"]).scores["Company"].fp
0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, NamedTuple

from pathlib import Path

from .loaders import SUPPORTED_SUFFIXES, AliasTable, Lexicon, load_plan
from .loaders import reference as reference_file
from .loaders.model import ENTITY_TYPES, Entity, Plan, Target
from .loaders.names import normalise_name
from .loaders.reference import Reference, canonical_unit

__all__ = [
    "Score", "Evaluation", "evaluate", "pool", "macro_f1", "load_reference", "evaluate_files", "pair_corpus",
    "BAR_CATEGORIES", "MACRO_CATEGORIES",
]

#: The categories the project's quality bar applies to.
BAR_CATEGORIES = ("Company", "IndustryCluster", "Site", "Reform", "Programme", "targets", "anchoredBy")
#: The categories whose F1 the real-report bar averages.
MACRO_CATEGORIES = ("Company", "IndustryCluster", "target values")


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

    def __add__(self, other: "Score") -> "Score":
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn,
                     self.missing + other.missing, self.spurious + other.spurious)


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


def pool(evaluations: Iterable[Evaluation]) -> Evaluation:
    """One evaluation summing the counts of several (micro averages over documents).

    >>> a = Evaluation({"Company": Score(tp=1, fn=1)}); b = Evaluation({"Company": Score(tp=1, fp=1)})
    >>> s = pool([a, b]).scores["Company"]; (s.tp, s.fp, s.fn)
    (2, 1, 1)
    """
    out: dict[str, Score] = {}
    for e in evaluations:
        for name, s in e.scores.items():
            out[name] = out.get(name, Score()) + s
    return Evaluation(out)


def macro_f1(evaluation: Evaluation, categories: tuple[str, ...] = MACRO_CATEGORIES) -> float:
    """The mean F1 of ``categories`` (a category absent from both sides counts as 1.0).

    >>> macro_f1(Evaluation({"Company": Score(tp=1), "IndustryCluster": Score(fn=1)}), ("Company", "IndustryCluster"))
    0.5
    """
    return sum(evaluation.scores.get(c, Score()).f1 for c in categories) / len(categories)


def _keys(e: Entity) -> set[str]:
    return {normalise_name(n) for n in (e.name, e.label.zh, *e.aliases) if n}


def _overlap(keys: set[str], other: set[str]) -> bool:
    return any(len(a) >= 3 and len(b) >= 3 and (a in b or b in a) for a in keys for b in other)


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
        hit = next((j for j, (r, rk) in enumerate(ref_keys) if j not in taken and r.type == got[i].type and _overlap(keys, rk)), None)
        if hit is not None:
            taken.add(hit)
        out[i] = ref[hit] if hit is not None else None
    return out


class _Atom(NamedTuple):
    """One bound of a quantified target."""

    value: Decimal
    unit: str | None
    comparator: str | None
    year: int | None
    label: str

    @property
    def key(self) -> tuple[Decimal, str | None]:
        return (self.value.normalize(), canonical_unit(self.unit) if self.unit else None)

    @property
    def full(self) -> tuple:
        return (*self.key, self.comparator, self.year)

    def __str__(self) -> str:
        return f"{self.label} ({self.value} {self.unit} {self.comparator} {self.year})"


def _atoms(targets: Iterable[Target]) -> list[_Atom]:
    out = []
    for t in targets:
        if not t.quantified:
            continue
        if t.upper is not None:
            out.append(_Atom(t.value, t.unit, ">=", t.year, t.label.zh))
            out.append(_Atom(t.upper, t.unit, "<=", t.year, t.label.zh))
        else:
            out.append(_Atom(t.value, t.unit, t.comparator, t.year, t.label.zh))
    return out


def _is_unsure(label: str, unsure: set[str]) -> bool:
    # the same name only: 比亚迪 is no less a company because the project 比亚迪二期 is unsure
    return normalise_name(label) in unsure


def _unsure_target(atom: "_Atom", unsure: set[str]) -> bool:
    """A target whose clause holds an unsure label (or is held by one): 建设20个引智示范基地 and 20个引智示范基地."""
    key = normalise_name(atom.label)
    return any(key == u or (len(u) >= 4 and u in key) or (len(key) >= 4 and key in u) for u in unsure)


def _score_targets(got: list[_Atom], ref: list[_Atom]) -> tuple[Score, Score]:
    """Strict (value, unit, comparator and year agree) and value-only (value and unit agree) scores."""
    strict, value = Score(), Score()
    free = list(range(len(ref)))
    pending = []
    for g in got:
        hit = next((j for j in free if ref[j].full == g.full), None)
        if hit is None:
            pending.append(g)
        else:
            free.remove(hit)
            strict.tp += 1
            value.tp += 1
    loose = list(free)
    for g in pending:
        strict.fp += 1
        strict.spurious.append(str(g))
        hit = next((j for j in loose if ref[j].key == g.key), None)
        if hit is None:
            value.fp += 1
            value.spurious.append(str(g))
        else:
            loose.remove(hit)
            value.tp += 1
    strict.fn, strict.missing = len(free), [str(ref[j]) for j in free]
    value.fn, value.missing = len(loose), [str(ref[j]) for j in loose]
    return strict, value


def _score_labels(got: list[str], ref: list[str]) -> Score:
    """Labels that match by normal form or by one containing the other (task headings)."""
    s = Score()
    free = [normalise_name(r) for r in ref]
    for g in got:
        key = normalise_name(g)
        hit = next((r for r in free if r == key or _overlap({key}, {r})), None)
        if hit is None:
            s.fp += 1
            s.spurious.append(g)
        else:
            free.remove(hit)
            s.tp += 1
    s.fn, s.missing = len(free), free
    return s


def evaluate(extracted: Plan, reference: Plan, *, unsure: Iterable[str] = ()) -> Evaluation:
    """Scores per entity type, for quantified targets, key tasks (when the reference lists them) and per relation."""
    unsure_keys = {normalise_name(u) for u in unsure}
    got_entities = [e for e in extracted.entities if not (_is_unsure(e.name, unsure_keys) or _is_unsure(e.label.zh, unsure_keys))]
    # a label a reference both lists and marks unsure is unsure: neither found nor missed
    ref_entities = [e for e in reference.entities if not _is_unsure(e.name, unsure_keys)]
    scores: dict[str, Score] = {}
    for k in ENTITY_TYPES:
        if any(e.type == k for e in got_entities + ref_entities):
            scores[k] = Score()
    matches = _match_entities(got_entities, ref_entities)
    matched_refs: set[int] = set()
    for i, g in enumerate(got_entities):
        r = matches.get(i)
        if r is not None and r.type == g.type:
            scores[g.type].tp += 1
            matched_refs.add(id(r))
        else:
            scores[g.type].fp += 1
            scores[g.type].spurious.append(g.name if r is None else f"{g.name} (a {r.type} in the reference)")
    for r in ref_entities:
        if id(r) not in matched_refs:
            scores[r.type].fn += 1
            scores[r.type].missing.append(r.name)

    got_atoms = [a for a in _atoms(extracted.targets()) if not _unsure_target(a, unsure_keys)]
    scores["targets"], scores["target values"] = _score_targets(got_atoms, _atoms(reference.targets()))

    # relations, over reference names where the entity was matched
    canon = {id(g): (matches[i].name if matches.get(i) is not None else g.name) for i, g in enumerate(got_entities)}
    by_name = {n: e for e in got_entities for n in (e.name, *e.aliases)}

    def name_of(ref_name: str) -> str:
        e = by_name.get(ref_name)
        return canon.get(id(e), ref_name) if e is not None else ref_name

    got_anchors = {(name_of(e.name), name_of(a)) for e in got_entities for a in e.anchored_by}
    ref_anchors = {(e.name, reference.entity(a).name if reference.entity(a) else a) for e in reference.entities for a in e.anchored_by}
    scores["anchoredBy"] = _set_score(got_anchors, ref_anchors)

    kept = {id(e) for e in got_entities}
    dropped = {n for e in extracted.entities if id(e) not in kept for n in (e.name, *e.aliases)}
    got_carried = {name_of(n) for task in extracted.tasks() for n in task.involves + task.develops if n not in dropped}
    ref_carried = {reference.entity(n).name if reference.entity(n) else n for task in reference.tasks()
                   for n in task.involves + task.develops if not _is_unsure(n, unsure_keys)}
    scores["involves"] = _set_score(got_carried, ref_carried)
    ref_tasks = [t.label.zh for th in reference.themes for t in th.tasks]
    if ref_tasks:
        scores["Task"] = _score_labels([t.label.zh for th in extracted.themes for t in th.tasks], ref_tasks)
    return Evaluation(scores)


def _set_score(got: set, ref: set) -> Score:
    s = Score(tp=len(got & ref), fp=len(got - ref), fn=len(ref - got))
    s.missing = sorted(" → ".join(x) if isinstance(x, tuple) else x for x in ref - got)
    s.spurious = sorted(" → ".join(x) if isinstance(x, tuple) else x for x in got - ref)
    return s


def load_reference(path: str | Path) -> Reference:
    """A reference from a file in the annotation format or a full plan YAML (nothing unsure)."""
    import yaml

    try:
        head = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        head = None  # the loaders below say what is wrong, with the line
    if reference_file.is_reference(head):
        return reference_file.load(path)
    return Reference(load_plan(path))


def evaluate_files(extracted: str | Path, reference: str | Path, *, aliases: AliasTable | None = None,
                   lexicon: Lexicon | None = None, model: bool = True) -> Evaluation:
    """Read ``extracted`` (a text or a plan YAML) and score it against the reference file."""
    ref = load_reference(reference)
    return evaluate(load_plan(extracted, aliases=aliases, lexicon=lexicon, model=model), ref.plan, unsure=ref.unsure)


def pair_corpus(documents: str | Path, references: str | Path) -> list[tuple[Path, Path]]:
    """(document, reference) pairs: each ``references/X.yaml`` with the document ``X.*`` beside the others.

    Raises ``FileNotFoundError`` naming a reference whose document is missing.
    """
    docs: dict[str, Path] = {}
    for p in sorted(Path(documents).iterdir()):
        if p.suffix.lower() in SUPPORTED_SUFFIXES:
            if p.stem in docs:
                raise FileNotFoundError(f"{documents}: two documents named {p.stem} ({docs[p.stem].name}, {p.name}): which one does {p.stem}.yaml describe?")
            docs[p.stem] = p
    pairs = []
    for ref in sorted(Path(references).glob("*.yaml")):
        if ref.stem not in docs:
            raise FileNotFoundError(f"{ref}: no document {ref.stem}.* in {documents}")
        pairs.append((docs[ref.stem], ref))
    if not pairs:
        raise FileNotFoundError(f"{references}: no reference (*.yaml) found")
    return pairs
