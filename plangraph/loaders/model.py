"""The plan model: a small typed picture of one plan, independent of any file format.

Loaders produce it; :mod:`plangraph.graph.build` turns it into RDF.

>>> t = Target(id="gdp", label=Text("经济总量向万亿元迈进", "GDP towards one trillion yuan"),
...            value=Decimal("1000000000000"), unit="元", comparator="~")
>>> t.quantified
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterator

from ..ontology.terms import subclasses

__all__ = [
    "Text",
    "Source",
    "Target",
    "Task",
    "Goal",
    "Theme",
    "Vision",
    "Entity",
    "Evidence",
    "Plan",
    "ENTITY_TYPES",
    "EVIDENCE_RELATIONS",
    "COMPARATORS",
    "SCALES",
]

#: Classes of the ontology an entity (a carrier of tasks) can have: the ontology's carriers.
ENTITY_TYPES: tuple[str, ...] = subclasses("Carrier")

#: Allowed target comparators: >= (以上), <= (以内), ~ (左右/迈进), = (达到).
COMPARATORS: tuple[str, ...] = (">=", "<=", "~", "=")

#: Cluster scale classes and their order of magnitude in yuan.
SCALES: dict[str, Decimal] = {
    "万亿级": Decimal("1000000000000"),
    "千亿级": Decimal("100000000000"),
    "五百亿级": Decimal("50000000000"),
    "百亿级": Decimal("10000000000"),
    "十亿级": Decimal("1000000000"),
}


@dataclass(frozen=True)
class Text:
    """A label in Chinese with an optional English rendering.

    >>> Text("太钢", "TISCO").en
    'TISCO'
    """

    zh: str
    en: str | None = None


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: the section path in the document and a short quote.

    ``start`` and ``end`` are character offsets of the quoted sentence, when known.

    >>> Source("产业兴旺 经济发达 / 奋斗目标", "经济实力明显增强").quote
    '经济实力明显增强'
    """

    section: str
    quote: str
    document: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class Target:
    """A target under a goal or task; quantified when it has a value."""

    id: str
    label: Text
    indicator: Text | None = None
    value: Decimal | None = None
    unit: str | None = None
    comparator: str | None = None
    year: int | None = None
    #: for a range such as 4.5%—5%: ``value`` is the lower bound, ``upper`` the upper one
    upper: Decimal | None = None
    sources: list[Source] = field(default_factory=list)

    @property
    def quantified(self) -> bool:
        return self.value is not None


@dataclass
class Task:
    """A key task or sub-task. Carriers are named by entity id (or alias)."""

    id: str
    label: Text
    supports: list[str] = field(default_factory=list)
    involves: list[str] = field(default_factory=list)
    develops: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    subtasks: list["Task"] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def walk(self) -> Iterator["Task"]:
        """This task and every task below it, depth first."""
        yield self
        for sub in self.subtasks:
            yield from sub.walk()


@dataclass
class Goal:
    id: str
    label: Text
    targets: list[Target] = field(default_factory=list)
    involves: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass
class Theme:
    id: str
    label: Text
    goals: list[Goal] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass
class Vision:
    id: str
    label: Text
    sources: list[Source] = field(default_factory=list)


@dataclass
class Entity:
    """Something that carries tasks: a company, site, cluster, reform, programme, ...

    ``name`` is the canonical Chinese name; it makes the node's IRI, so two plans
    that name the same company share one node.
    """

    name: str
    type: str
    label: Text
    aliases: list[str] = field(default_factory=list)
    description: Text | None = None
    scale: str | None = None
    multiple: bool = False
    anchored_by: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass(frozen=True)
class Evidence:
    """Where a relation comes from: the sentence that links ``subject`` to ``object``.

    ``subject`` is a task id (for involves, develops) or a cluster's name (for anchoredBy).

    >>> Evidence("task3", "anchoredBy", "甲钢集团", Source("重点任务", "依托甲钢集团")).relation
    'anchoredBy'
    """

    subject: str
    relation: str
    object: str
    source: Source


#: Relations that carry evidence.
EVIDENCE_RELATIONS: tuple[str, ...] = ("involves", "develops", "anchoredBy")


@dataclass
class Plan:
    """One plan: metadata, vision, themes (with goals and tasks) and the entities it names."""

    id: str
    title: Text
    vision: Vision | None = None
    themes: list[Theme] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    spatial: Text | None = None
    issued: str | None = None
    publisher: str | None = None
    source_title: str | None = None
    source_file: str | None = None
    language: str = "zh"
    #: the sentences behind relations (a text loader records them; curated plans may)
    evidence: list[Evidence] = field(default_factory=list)
    #: what a loader could only partly read (kept out of the graph)
    warnings: list[str] = field(default_factory=list)

    def tasks(self) -> Iterator[Task]:
        """Every task of the plan, key tasks and their sub-tasks, in document order."""
        for theme in self.themes:
            for task in theme.tasks:
                yield from task.walk()

    def goals(self) -> Iterator[Goal]:
        for theme in self.themes:
            yield from theme.goals

    def targets(self) -> Iterator[Target]:
        for goal in self.goals():
            yield from goal.targets
        for task in self.tasks():
            yield from task.targets

    @property
    def states_nothing(self) -> bool:
        """Whether the plan names no entity and sets no target: a text that is likely no plan."""
        return not self.entities and next(self.targets(), None) is None

    def entity(self, ref: str) -> Entity | None:
        """The entity named ``ref`` by its name or one of its aliases."""
        for e in self.entities:
            if ref == e.name or ref in e.aliases:
                return e
        return None
