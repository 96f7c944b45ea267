"""Read a hand-made reference: the facts a text states, in the annotation format.

The format (``shared/corpus/ANNOTATION.md``, ``tests/reference/``) is lighter than a plan YAML:
``entities`` maps a type to a list of labels, ``targets`` is a list of
``{indicator, value, unit, comparator, year, under}``, ``anchors`` maps a cluster to what it
relies on, ``involves`` maps a task to the entities named in it, and ``unsure`` lists
``{label, note}`` for borderline things that a scorer neither rewards nor punishes. A range is
written as two targets, the lower bound ``">="`` and the upper bound ``"<="``.

>>> ref = loads('''
... plan: {id: demo, title: 示例报告}
... entities:
...   Company: [甲钢集团]
...   IndustryCluster: [新材料产业集群]
...   Task: [做强先进制造业]
... targets:
...   - {indicator: 地区生产总值增长, value: 5, unit: "％", comparator: "~", year: 2025}
... anchors: {新材料产业集群: [甲钢集团]}
... unsure: [{label: 乙港, note: "a port or a company"}]
... ''')
>>> [(e.name, e.type) for e in ref.plan.entities], ref.unsure
([('甲钢集团', 'Company'), ('新材料产业集群', 'IndustryCluster')], ['乙港'])
>>> t = next(ref.plan.targets()); (t.value, t.unit, t.comparator, t.year)
(Decimal('5'), '%', '~', 2025)
>>> [t.label.zh for t in ref.plan.tasks()], ref.plan.entities[1].anchored_by
(['做强先进制造业'], ['甲钢集团'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .errors import PlanSourceError, yaml_error
from .model import COMPARATORS, ENTITY_TYPES, Entity, Goal, Plan, Target, Task, Text, Theme
from .quantities import UNITS

__all__ = ["Reference", "load", "loads", "is_reference"]

#: the plan-element kinds a reference may list besides the entity types
_ELEMENTS = ("Goal", "Task")


@dataclass
class Reference:
    """A reference plan and the labels it leaves out of scoring."""

    plan: Plan
    unsure: list[str] = field(default_factory=list)


def is_reference(data: Any) -> bool:
    """Whether parsed YAML is in the annotation format (``entities`` is a mapping of types).

    >>> is_reference({"entities": {"Company": ["甲钢"]}}), is_reference({"entities": [{"name": "甲钢"}]})
    (True, False)
    """
    return isinstance(data, dict) and isinstance(data.get("entities"), dict)


def canonical_unit(unit: str) -> str:
    """A unit as the extractor writes it: 个百分点 → 百分点, full-width ％ → %, 名 → 人.

    >>> canonical_unit("个百分点"), canonical_unit("％"), canonical_unit("万千瓦")
    ('百分点', '%', '万千瓦')
    """
    unit = unit.strip().replace("％", "%")
    base = UNITS.get(unit)
    return base[0] if base and base[1] == 1 else unit


_MAGNITUDES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}


def base_unit(unit: str) -> tuple[str, int]:
    """A unit as the extractor writes it and the factor to its base: 亿元 → (元, 10⁸), 兆瓦 → (千瓦, 1000).

    >>> base_unit("亿元"), base_unit("万千瓦"), base_unit("个百分点"), base_unit("吨/日")
    (('元', 100000000), ('千瓦', 10000), ('百分点', 1), ('吨/日', 1))
    """
    unit = canonical_unit(unit)
    factor = 1
    while unit and unit[0] in _MAGNITUDES and unit[1:] and (unit[1:] in UNITS or unit[1:][0] in _MAGNITUDES):
        factor *= _MAGNITUDES[unit[0]]
        unit = unit[1:]
    known = UNITS.get(unit)
    return (known[0], factor * known[1]) if known else (unit, factor)


def _line(node: yaml.Node, path: list[Any]) -> int | None:
    """The line of the node at ``path`` in a composed YAML tree."""
    for key in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            node = None
        if node is None:
            return None
    return node.start_mark.line + 1


class _Reader:
    def __init__(self, text: str, file: str):
        self.file = file
        try:
            loader = yaml.SafeLoader(text)
            try:
                # one parse: the tree gives the lines for errors, the data is built from it
                self.tree = loader.get_single_node()
                self.data = loader.construct_document(self.tree) if self.tree is not None else None
            finally:
                loader.dispose()
        except yaml.YAMLError as exc:
            raise yaml_error(file, exc) from None

    def fail(self, path: list[Any], message: str) -> PlanSourceError:
        field = "".join(f"[{k}]" if isinstance(k, int) else (f".{k}" if i else str(k)) for i, k in enumerate(path))
        return PlanSourceError(self.file, field, message, line=_line(self.tree, path) if self.tree else None)

    def read(self) -> Reference:
        data = self.data
        if not is_reference(data):
            raise self.fail([], "is not a reference: 'entities' must map types to lists of labels")
        meta = data.get("plan") or {}
        if not isinstance(meta, dict):
            raise self.fail(["plan"], "must be a mapping {id, title}")
        title = meta.get("title")
        if isinstance(title, dict):
            title = title.get("zh")
        plan = Plan(id=str(meta.get("id") or Path(self.file).stem), title=Text(str(title or Path(self.file).stem)))
        theme = Theme(id="reference", label=plan.title)
        plan.themes.append(theme)
        tasks: dict[str, Task] = {}
        for kind, labels in data["entities"].items():
            if kind not in ENTITY_TYPES and kind not in _ELEMENTS:
                raise self.fail(["entities", kind], f"unknown type (one of {', '.join(ENTITY_TYPES + _ELEMENTS)})")
            if not isinstance(labels, list):
                raise self.fail(["entities", kind], "must be a list of labels")
            for i, label in enumerate(labels):
                if not isinstance(label, (str, int)) or not str(label).strip():
                    raise self.fail(["entities", kind, i], "must be a label")
                label = str(label).strip()
                if kind == "Goal":
                    theme.goals.append(Goal(id=f"goal{len(theme.goals) + 1}", label=Text(label)))
                elif kind == "Task":
                    tasks.setdefault(label, Task(id=f"task{len(tasks) + 1}", label=Text(label)))
                else:
                    plan.entities.append(Entity(name=label, type=kind, label=Text(label)))
        holder = Goal(id="targets", label=Text("targets"))
        for i, t in enumerate(data.get("targets") or []):
            holder.targets.append(self.target(t, i))
        theme.goals.append(holder)
        for cluster, anchors in self.mapping("anchors").items():
            e = plan.entity(str(cluster))
            if e is None:
                raise self.fail(["anchors", cluster], "is not listed under entities")
            e.anchored_by.extend(self.names(["anchors", cluster], anchors))
        for task, names in self.mapping("involves").items():
            tasks.setdefault(str(task), Task(id=f"task{len(tasks) + 1}", label=Text(str(task))))
            tasks[str(task)].involves.extend(self.names(["involves", task], names))
        theme.tasks.extend(tasks.values())
        unsure = []
        for i, u in enumerate(data.get("unsure") or []):
            label = u.get("label") if isinstance(u, dict) else u
            if label is None:
                raise self.fail(["unsure", i], "needs a label")
            unsure.append(str(label))
        return Reference(plan, unsure)

    def mapping(self, key: str) -> dict:
        value = self.data.get(key) or {}
        if not isinstance(value, dict):
            raise self.fail([key], "must map a name to a list of names")
        return value

    def names(self, path: list[Any], value: Any) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(path, "must be a list of names")
        return [str(v) for v in value]

    def target(self, t: Any, i: int) -> Target:
        path = ["targets", i]
        if not isinstance(t, dict):
            raise self.fail(path, "must be a mapping {indicator, value, unit, comparator, year}")
        missing = [k for k in ("indicator", "value", "unit", "comparator") if t.get(k) in (None, "")]
        if missing:
            raise self.fail(path, f"lacks {', '.join(missing)}")
        try:
            value = Decimal(str(t["value"]))
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise self.fail(path + ["value"], f"{t['value']!r} is not a number") from None
        if t["comparator"] not in COMPARATORS:
            raise self.fail(path + ["comparator"], f"{t['comparator']!r} is not one of {', '.join(COMPARATORS)}")
        year = t.get("year")
        if year is not None and not (isinstance(year, int) and 1900 <= year <= 2100):
            raise self.fail(path + ["year"], f"{year!r} is not a year")
        indicator = str(t["indicator"])
        unit, factor = base_unit(str(t["unit"]))
        value *= factor
        return Target(id=f"target{i + 1}", label=Text(indicator), indicator=Text(indicator),
                      value=Decimal(int(value)) if value == value.to_integral_value() else value.normalize(),
                      unit=unit, comparator=t["comparator"], year=year)


def loads(text: str, *, file: str = "<reference>") -> Reference:
    """Read a reference from YAML text."""
    return _Reader(text, file).read()


def load(path: str | Path) -> Reference:
    """Read a reference file; errors name the file, the line and the field."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanSourceError(str(path), None, f"cannot be read: {exc}") from None
    return loads(text, file=str(path))
