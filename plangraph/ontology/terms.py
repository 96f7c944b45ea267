"""The ontology's classes, properties and their labels, read from ``plangraph.ttl`` itself: the one
list every stage uses (the loaders' entity types, the builder's involvement properties, the
projection's node types and edges, the page's legend, the command line's summary), so a class or
property added to the ontology is known everywhere.

Read with pyoxigraph's Turtle parser, which loads in milliseconds: reading a text does not wait
for rdflib.

>>> classes()[:3]
('Plan', 'Vision', 'Theme')
>>> "Company" in subclasses("Carrier") and "Goal" not in subclasses("Carrier")
True
>>> labels()["Company"]
('企业', 'company')
>>> subproperties("involves")[:2], inverse("supportedBy"), range_of("involvesSite")
(('involvesActor', 'involvesSite'), 'supports', 'Site')
"""

from __future__ import annotations

from functools import lru_cache

from . import NAMESPACE, ontology_path

__all__ = ["classes", "subclasses", "labels", "subproperties", "inverse", "range_of"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_OWL_OBJECT_PROPERTY = "http://www.w3.org/2002/07/owl#ObjectProperty"
_SUBPROPERTY = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf"
_RANGE = "http://www.w3.org/2000/01/rdf-schema#range"
_INVERSE = "http://www.w3.org/2002/07/owl#inverseOf"


class _Terms:
    def __init__(self) -> None:
        self.classes: list[str] = []
        self.properties: list[str] = []
        self.parents: dict[str, set[str]] = {}  # sub-class and sub-property links
        self.names: dict[str, dict[str, str]] = {}
        self.ranges: dict[str, str] = {}  # named ranges only (a union range is no one class)
        self.inverses: dict[str, str] = {}  # both ways


@lru_cache(maxsize=1)
def _read() -> _Terms:
    import pyoxigraph as ox

    terms = _Terms()
    for t in ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE):
        s = t.subject.value if isinstance(t.subject, ox.NamedNode) else None
        if s is None or not s.startswith(NAMESPACE):
            continue
        local, p = s[len(NAMESPACE):], t.predicate.value
        other = t.object.value[len(NAMESPACE):] if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(NAMESPACE) else None
        if p == _RDF_TYPE and t.object.value == _OWL_CLASS and local not in terms.classes:
            terms.classes.append(local)
        elif p == _RDF_TYPE and t.object.value == _OWL_OBJECT_PROPERTY and local not in terms.properties:
            terms.properties.append(local)
        elif p in (_SUBCLASS, _SUBPROPERTY) and other is not None:
            terms.parents.setdefault(local, set()).add(other)
        elif p == _RANGE and other is not None:
            terms.ranges[local] = other
        elif p == _INVERSE and other is not None:
            terms.inverses[local], terms.inverses[other] = other, local
        elif p == _LABEL and isinstance(t.object, ox.Literal) and t.object.language:
            terms.names.setdefault(local, {})[t.object.language] = t.object.value
    return terms


def _ancestors(name: str, parents: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = [name]
    while todo:
        for up in parents.get(todo.pop(), ()):
            if up not in seen:
                seen.add(up)
                todo.append(up)
    return seen


@lru_cache(maxsize=1)
def classes() -> tuple[str, ...]:
    """The plangraph classes (local names), each before its super-classes, else in the file's order:
    a node's type is the first of these it has."""
    parents = _read().parents
    out = list(_read().classes)
    moved = True
    while moved:  # a super-class moves to just after its last sub-class
        moved = False
        for name in list(out):
            below = [i for i, c in enumerate(out) if name in _ancestors(c, parents)]
            if below and max(below) > out.index(name):
                out.remove(name)
                out.insert(max(below), name)
                moved = True
    return tuple(out)


def subclasses(of: str) -> tuple[str, ...]:
    """The classes under ``of`` (directly or not), in :func:`classes` order."""
    return tuple(c for c in classes() if of in _ancestors(c, _read().parents))


@lru_cache(maxsize=1)
def labels() -> dict[str, tuple[str, str]]:
    """Each class's and property's (zh, en) labels, by local name."""
    return {name: (by.get("zh", name), by.get("en", name)) for name, by in _read().names.items()}


def subproperties(of: str) -> tuple[str, ...]:
    """The object properties under ``of`` (directly or not), in the file's order."""
    return tuple(p for p in _read().properties if of in _ancestors(p, _read().parents))


def inverse(prop: str) -> str | None:
    """The property declared the inverse of ``prop`` (either way round), if any."""
    return _read().inverses.get(prop)


def range_of(prop: str) -> str | None:
    """The class ``prop``'s values belong to, if its range is one named class."""
    return _read().ranges.get(prop)
