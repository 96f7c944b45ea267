"""Read a plan from its human-editable YAML description.

The format is described in the README ("Writing a plan"); the bundled Taiyuan plan
(``plangraph/data/taiyuan.yaml``) is a complete example.

>>> plan = loads('''
... plan: {id: demo, title: {zh: 示例规划, en: Demo plan}}
... vision: {id: vision, label: {zh: 建设美丽示例城}}
... themes:
...   - id: economy
...     label: {zh: 经济发达}
...     goals:
...       - id: growth
...         label: {zh: 经济实力增强}
...         targets:
...           - {id: gdp, label: {zh: 经济总量达到1000亿元以上}, value: 1e11, unit: 元, comparator: ">="}
... ''')
>>> plan.themes[0].goals[0].targets[0].value
Decimal('100000000000')
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable

import yaml

from .errors import PlanSourceError, yaml_error
from .model import (
    COMPARATORS,
    ENTITY_TYPES,
    EVIDENCE_RELATIONS,
    SCALES,
    Entity,
    Evidence,
    Goal,
    Plan,
    Source,
    Target,
    Task,
    Text,
    Theme,
    Vision,
)

__all__ = ["load", "loads", "dumps"]


class _Reader:
    """Walks a composed YAML node tree, keeping the field path and line for errors."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, node: yaml.Node | None, path: str, message: str) -> PlanSourceError:
        line = node.start_mark.line + 1 if node is not None else None
        return PlanSourceError(self.file, path, message, line=line)

    def mapping(self, node: yaml.Node, path: str, allowed: set[str]) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, path, "expected a mapping of fields")
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name not in allowed:
                raise self.fail(key, f"{path}.{name}", f"unknown field (allowed: {', '.join(sorted(allowed))})")
            if name in out:
                raise self.fail(key, f"{path}.{name}", "field given twice")
            out[name] = (key, value)
        return out

    def sequence(self, node: yaml.Node, path: str) -> list[yaml.Node]:
        if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, path, "expected a list")
        return list(node.value)

    def scalar(self, node: yaml.Node, path: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.value == "":
            raise self.fail(node, path, "expected a non-empty value")
        return node.value

    def required(self, fields: dict, name: str, parent: yaml.Node, path: str) -> yaml.Node:
        if name not in fields:
            raise self.fail(parent, f"{path}.{name}", "is missing")
        return fields[name][1]

    def text(self, node: yaml.Node, path: str) -> Text:
        if isinstance(node, yaml.ScalarNode):
            return Text(self.scalar(node, path))
        f = self.mapping(node, path, {"zh", "en"})
        zh = self.scalar(self.required(f, "zh", node, path), f"{path}.zh")
        en = self.scalar(f["en"][1], f"{path}.en") if "en" in f else None
        return Text(zh.strip(), en.strip() if en else None)

    def names(self, node: yaml.Node, path: str) -> list[str]:
        return [self.scalar(n, f"{path}[{i}]") for i, n in enumerate(self.sequence(node, path))]

    def sources(self, fields: dict, path: str) -> list[Source]:
        if "from" not in fields:
            return []
        node = fields["from"][1]
        items = self.sequence(node, f"{path}.from") if isinstance(node, yaml.SequenceNode) else [node]
        out = []
        for i, item in enumerate(items):
            p = f"{path}.from" if len(items) == 1 and not isinstance(node, yaml.SequenceNode) else f"{path}.from[{i}]"
            f = self.mapping(item, p, {"section", "quote", "document", "start", "end"})
            start = self.integer(f["start"][1], f"{p}.start") if "start" in f else None
            end = self.integer(f["end"][1], f"{p}.end") if "end" in f else None
            out.append(
                Source(
                    section=self.scalar(self.required(f, "section", item, p), f"{p}.section"),
                    quote=self.scalar(self.required(f, "quote", item, p), f"{p}.quote"),
                    document=self.scalar(f["document"][1], f"{p}.document") if "document" in f else None,
                    start=start,
                    end=end,
                )
            )
        return out

    def integer(self, node: yaml.Node, path: str) -> int:
        value = self.scalar(node, path)
        try:
            return int(value)
        except ValueError:
            raise self.fail(node, path, f"expected a whole number, got {value!r}") from None

    def decimal(self, node: yaml.Node, path: str) -> Decimal:
        value = self.scalar(node, path).replace("_", "").replace(",", "")
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise self.fail(node, path, f"expected a number in base units, got {value!r}") from None
        if not number.is_finite():
            raise self.fail(node, path, f"expected a finite number, got {value!r}")
        if abs(number) >= _DECIMAL_LIMIT or number.normalize().as_tuple().exponent < -_DECIMAL_PLACES:
            raise self.fail(node, path, f"{value!r} is outside the numbers plangraph stores (below 10^20 in size, "
                                        f"at most {_DECIMAL_PLACES} decimal places, as triplestores hold xsd:decimal)")
        # 1e11 written in YAML should read as the plain integer 100000000000
        return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()

    def choice(self, node: yaml.Node, path: str, allowed: tuple[str, ...] | list[str]) -> str:
        value = self.scalar(node, path)
        if value not in allowed:
            raise self.fail(node, path, f"{value!r} is not one of {', '.join(allowed)}")
        return value


_PLAN_FIELDS = {"plan", "vision", "themes", "entities", "evidence"}
_META_FIELDS = {"id", "title", "spatial", "issued", "publisher", "source_title", "source_file", "language"}


def _build(r: _Reader, root: yaml.Node) -> Plan:
    top = r.mapping(root, "(plan file)", _PLAN_FIELDS)
    meta_node = r.required(top, "plan", root, "(plan file)")
    meta = r.mapping(meta_node, "plan", _META_FIELDS)
    opt = lambda name: r.scalar(meta[name][1], f"plan.{name}") if name in meta else None  # noqa: E731
    plan = Plan(
        id=_slug(r, r.required(meta, "id", meta_node, "plan"), "plan.id"),
        title=r.text(r.required(meta, "title", meta_node, "plan"), "plan.title"),
        spatial=r.text(meta["spatial"][1], "plan.spatial") if "spatial" in meta else None,
        issued=opt("issued"),
        publisher=opt("publisher"),
        source_title=opt("source_title"),
        source_file=opt("source_file"),
        language=opt("language") or "zh",
    )
    seen: dict[str, str] = {}

    def claim(node: yaml.Node, path: str) -> str:
        ident = _slug(r, node, path)
        if ident in seen:
            raise r.fail(node, path, f"id {ident!r} is already used by {seen[ident]}")
        seen[ident] = path
        return ident

    if "vision" in top:
        node = top["vision"][1]
        f = r.mapping(node, "vision", {"id", "label", "from"})
        plan.vision = Vision(
            id=claim(f["id"][1], "vision.id") if "id" in f else claim(yaml.ScalarNode("tag:yaml.org,2002:str", "vision", node.start_mark), "vision.id"),
            label=r.text(r.required(f, "label", node, "vision"), "vision.label"),
            sources=r.sources(f, "vision"),
        )

    def target(node: yaml.Node, path: str) -> Target:
        f = r.mapping(node, path, {"id", "label", "indicator", "value", "upper", "unit", "comparator", "year", "from"})
        t = Target(
            id=claim(r.required(f, "id", node, path), f"{path}.id"),
            label=r.text(r.required(f, "label", node, path), f"{path}.label"),
            indicator=r.text(f["indicator"][1], f"{path}.indicator") if "indicator" in f else None,
            value=r.decimal(f["value"][1], f"{path}.value") if "value" in f else None,
            unit=r.scalar(f["unit"][1], f"{path}.unit") if "unit" in f else None,
            comparator=r.choice(f["comparator"][1], f"{path}.comparator", COMPARATORS) if "comparator" in f else None,
            year=r.integer(f["year"][1], f"{path}.year") if "year" in f else None,
            upper=r.decimal(f["upper"][1], f"{path}.upper") if "upper" in f else None,
            sources=r.sources(f, path),
        )
        if t.upper is not None and (t.value is None or t.upper < t.value):
            raise r.fail(f["upper"][1], f"{path}.upper", "a range needs a value (its lower bound) no greater than upper")
        if t.value is not None and (t.unit is None or t.comparator is None):
            missing = "unit" if t.unit is None else "comparator"
            raise r.fail(node, f"{path}.{missing}", "a target with a value needs a unit and a comparator")
        if t.year is not None and not 1900 <= t.year <= 2200:
            raise r.fail(f["year"][1], f"{path}.year", f"{t.year} is not a plausible year")
        return t

    def task(node: yaml.Node, path: str) -> Task:
        fields = {"id", "label", "supports", "involves", "develops", "targets", "tasks", "from"}
        f = r.mapping(node, path, fields)
        return Task(
            id=claim(r.required(f, "id", node, path), f"{path}.id"),
            label=r.text(r.required(f, "label", node, path), f"{path}.label"),
            supports=r.names(f["supports"][1], f"{path}.supports") if "supports" in f else [],
            involves=r.names(f["involves"][1], f"{path}.involves") if "involves" in f else [],
            develops=r.names(f["develops"][1], f"{path}.develops") if "develops" in f else [],
            targets=_each(r, f, "targets", path, target),
            subtasks=_each(r, f, "tasks", path, task),
            sources=r.sources(f, path),
        )

    def goal(node: yaml.Node, path: str) -> Goal:
        f = r.mapping(node, path, {"id", "label", "targets", "involves", "from"})
        return Goal(
            id=claim(r.required(f, "id", node, path), f"{path}.id"),
            label=r.text(r.required(f, "label", node, path), f"{path}.label"),
            targets=_each(r, f, "targets", path, target),
            involves=r.names(f["involves"][1], f"{path}.involves") if "involves" in f else [],
            sources=r.sources(f, path),
        )

    def theme(node: yaml.Node, path: str) -> Theme:
        f = r.mapping(node, path, {"id", "label", "goals", "tasks", "from"})
        return Theme(
            id=claim(r.required(f, "id", node, path), f"{path}.id"),
            label=r.text(r.required(f, "label", node, path), f"{path}.label"),
            goals=_each(r, f, "goals", path, goal),
            tasks=_each(r, f, "tasks", path, task),
            sources=r.sources(f, path),
        )

    def entity(node: yaml.Node, path: str) -> Entity:
        fields = {"name", "type", "label", "aliases", "description", "scale", "multiple", "anchored_by", "from"}
        f = r.mapping(node, path, fields)
        label = r.text(r.required(f, "label", node, path), f"{path}.label")
        kind = r.choice(r.required(f, "type", node, path), f"{path}.type", ENTITY_TYPES)
        e = Entity(
            name=r.scalar(f["name"][1], f"{path}.name").strip() if "name" in f else label.zh,
            type=kind,
            label=label,
            aliases=r.names(f["aliases"][1], f"{path}.aliases") if "aliases" in f else [],
            description=r.text(f["description"][1], f"{path}.description") if "description" in f else None,
            scale=r.choice(f["scale"][1], f"{path}.scale", list(SCALES)) if "scale" in f else None,
            multiple=r.choice(f["multiple"][1], f"{path}.multiple", ("true", "false")) == "true" if "multiple" in f else False,
            anchored_by=r.names(f["anchored_by"][1], f"{path}.anchored_by") if "anchored_by" in f else [],
            sources=r.sources(f, path),
        )
        for key in ("scale", "anchored_by", "multiple"):
            if key in f and kind != "IndustryCluster":
                raise r.fail(f[key][0], f"{path}.{key}", f"only an IndustryCluster has {key}, not a {kind}")
        return e

    def evidence(node: yaml.Node, path: str) -> Evidence:
        f = r.mapping(node, path, {"subject", "relation", "object", "from"})
        sources = r.sources(f, path)
        if len(sources) != 1:
            raise r.fail(node, f"{path}.from", "evidence needs exactly one source")
        return Evidence(
            subject=r.scalar(r.required(f, "subject", node, path), f"{path}.subject"),
            relation=r.choice(r.required(f, "relation", node, path), f"{path}.relation", EVIDENCE_RELATIONS),
            object=r.scalar(r.required(f, "object", node, path), f"{path}.object"),
            source=sources[0],
        )

    plan.themes = _each(r, top, "themes", "", theme)
    plan.entities = _each(r, top, "entities", "", entity)
    plan.evidence = _each(r, top, "evidence", "", evidence)
    _check_references(r, root, top, plan)
    return plan


def _each(r: _Reader, fields: dict, name: str, path: str, build: Callable[[yaml.Node, str], Any]) -> list:
    if name not in fields:
        return []
    base = f"{path}.{name}" if path else name
    return [build(node, f"{base}[{i}]") for i, node in enumerate(r.sequence(fields[name][1], base))]


def _slug(r: _Reader, node: yaml.Node, path: str) -> str:
    value = r.scalar(node, path)
    if not all(c.isascii() and (c.isalnum() or c in "-_.") for c in value):
        raise r.fail(node, path, f"{value!r}: ids use ASCII letters, digits, '-', '_' and '.' only")
    return value


def _check_references(r: _Reader, root: yaml.Node, top: dict, plan: Plan) -> None:
    """Every name a task, goal or cluster uses must be an entity (or alias) of the plan."""
    names: dict[str, Entity] = {}
    entity_nodes = r.sequence(top["entities"][1], "entities") if "entities" in top else []
    for i, (e, node) in enumerate(zip(plan.entities, entity_nodes)):
        for n in (e.name, *e.aliases):
            if n in names and names[n] is not e:
                raise r.fail(node, f"entities[{i}]", f"name {n!r} already belongs to entity {names[n].name!r}")
            names[n] = e
    goal_ids = {g.id for g in plan.goals()}

    def find(path: str, node: yaml.Node) -> yaml.Node:
        # re-walk the node tree to report the line of the offending field
        current = root
        for part in path.replace("]", "").replace("[", ".").split("."):
            if not part:
                continue
            if isinstance(current, yaml.MappingNode):
                current = next((v for k, v in current.value if k.value == part), current)
            elif isinstance(current, yaml.SequenceNode) and part.isdigit() and int(part) < len(current.value):
                current = current.value[int(part)]
        return current

    def check_list(refs: list[str], path: str, want_types: tuple[str, ...] | None = None) -> None:
        for j, ref in enumerate(refs):
            p = f"{path}[{j}]"
            e = names.get(ref)
            if e is None:
                raise r.fail(find(p, root), p, f"{ref!r} is not an entity of this plan (add it under entities:)")
            if want_types and e.type not in want_types:
                raise r.fail(find(p, root), p, f"{ref!r} has type {e.type}; expected {' or '.join(want_types)}")

    for ti, theme in enumerate(plan.themes):
        for gi, goal in enumerate(theme.goals):
            check_list(goal.involves, f"themes[{ti}].goals[{gi}].involves")

        def walk(task: Task, path: str) -> None:
            for j, gid in enumerate(task.supports):
                if gid not in goal_ids:
                    p = f"{path}.supports[{j}]"
                    raise r.fail(find(p, root), p, f"{gid!r} is not the id of a goal of this plan")
            check_list(task.involves, f"{path}.involves")
            check_list(task.develops, f"{path}.develops", ("IndustryCluster", "Site"))
            for k, sub in enumerate(task.subtasks):
                walk(sub, f"{path}.tasks[{k}]")

        for ki, task in enumerate(theme.tasks):
            walk(task, f"themes[{ti}].tasks[{ki}]")
    for i, e in enumerate(plan.entities):
        check_list(e.anchored_by, f"entities[{i}].anchored_by", ("Company", "Site"))
    task_ids = {t.id for t in plan.tasks()}
    for i, ev in enumerate(plan.evidence):
        p = f"evidence[{i}]"
        if ev.relation == "anchoredBy":
            check_list([ev.subject], f"{p}.subject", ("IndustryCluster",))
        elif ev.subject not in task_ids:
            raise r.fail(find(f"{p}.subject", root), f"{p}.subject", f"{ev.subject!r} is not the id of a task of this plan")
        check_list([ev.object], f"{p}.object")


def loads(text: str, file: str = "<string>") -> Plan:
    """Read a plan from YAML text; ``file`` names the source in error messages."""
    r = _Reader(file)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise yaml_error(file, exc) from None
    if root is None:
        raise PlanSourceError(file, None, "the file is empty")
    return _build(r, root)


def load(path: str | Path) -> Plan:
    """Read a plan from a YAML file.

    >>> from plangraph.loaders import bundled_plan_path
    >>> load(bundled_plan_path()).id
    'taiyuan'
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanSourceError(str(path), None, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise PlanSourceError(str(path), None, exc.strerror or str(exc)) from None
    return loads(text, str(path))


def _text(t: Text) -> dict:
    return {"zh": t.zh, "en": t.en} if t.en else {"zh": t.zh}


def _sources(sources: list[Source]) -> dict | list | None:
    items = []
    for s in sources:
        d: dict = {"section": s.section, "quote": s.quote}
        if s.document:
            d["document"] = s.document
        if s.start is not None:
            d["start"] = s.start
        if s.end is not None:
            d["end"] = s.end
        items.append(d)
    if not items:
        return None
    return items[0] if len(items) == 1 else items


# Oxigraph and other stores hold xsd:decimal in 128 bits with 18 decimal places: one range for every store
_DECIMAL_LIMIT = Decimal("1e20")
_DECIMAL_PLACES = 18


def _number(d: Decimal) -> int | float | str:
    # YAML has no decimal type: whole numbers stay exact as integers, others as strings the loader reads back
    return int(d) if d == d.to_integral_value() else str(d)


def _put(d: dict, key: str, value: object) -> None:
    if value not in (None, [], "", {}):
        d[key] = value


def dumps(plan: Plan) -> str:
    r"""The plan as reviewable YAML that :func:`loads` reads back to an equal plan.

    >>> plan = loads("plan: {id: d, title: {zh: 示例}}\nentities:\n  - {name: 甲港, type: Site, label: {zh: 甲港}}\n")
    >>> loads(dumps(plan)) == plan
    True
    """
    meta: dict = {"id": plan.id, "title": _text(plan.title)}
    _put(meta, "spatial", _text(plan.spatial) if plan.spatial else None)
    for key in ("issued", "publisher", "source_title", "source_file"):
        _put(meta, key, getattr(plan, key))
    if plan.language != "zh":
        meta["language"] = plan.language

    def target(t: Target) -> dict:
        d: dict = {"id": t.id, "label": _text(t.label)}
        _put(d, "indicator", _text(t.indicator) if t.indicator else None)
        _put(d, "value", _number(t.value) if t.value is not None else None)
        _put(d, "upper", _number(t.upper) if t.upper is not None else None)
        for key in ("unit", "comparator", "year"):
            _put(d, key, getattr(t, key))
        _put(d, "from", _sources(t.sources))
        return d

    def task(t: Task) -> dict:
        d: dict = {"id": t.id, "label": _text(t.label)}
        for key in ("supports", "involves", "develops"):
            _put(d, key, list(getattr(t, key)))
        _put(d, "targets", [target(x) for x in t.targets])
        _put(d, "tasks", [task(x) for x in t.subtasks])
        _put(d, "from", _sources(t.sources))
        return d

    def goal(g: Goal) -> dict:
        d: dict = {"id": g.id, "label": _text(g.label)}
        _put(d, "involves", list(g.involves))
        _put(d, "targets", [target(x) for x in g.targets])
        _put(d, "from", _sources(g.sources))
        return d

    def theme(t: Theme) -> dict:
        d: dict = {"id": t.id, "label": _text(t.label)}
        _put(d, "goals", [goal(g) for g in t.goals])
        _put(d, "tasks", [task(x) for x in t.tasks])
        _put(d, "from", _sources(t.sources))
        return d

    def entity(e: Entity) -> dict:
        d: dict = {"name": e.name, "type": e.type, "label": _text(e.label)}
        _put(d, "aliases", list(e.aliases))
        _put(d, "description", _text(e.description) if e.description else None)
        _put(d, "scale", e.scale)
        if e.multiple:
            d["multiple"] = "true"
        _put(d, "anchored_by", list(e.anchored_by))
        _put(d, "from", _sources(e.sources))
        return d

    doc: dict = {"plan": meta}
    if plan.vision:
        v: dict = {"id": plan.vision.id, "label": _text(plan.vision.label)}
        _put(v, "from", _sources(plan.vision.sources))
        doc["vision"] = v
    _put(doc, "themes", [theme(t) for t in plan.themes])
    _put(doc, "entities", [entity(e) for e in plan.entities])
    _put(doc, "evidence", [
        {"subject": ev.subject, "relation": ev.relation, "object": ev.object, "from": _sources([ev.source])}
        for ev in plan.evidence
    ])
    header = "# plan extracted by plangraph: review it, correct it, and rebuild with `plangraph build THIS.yaml`\n"
    return header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)
