"""The ontology's classes and their labels, read from ``plangraph.ttl`` itself: the one list every
stage uses (the loaders' entity types, the projection's node types, the page's legend, the
command line's summary), so a class added to the ontology is known everywhere.

Read with pyoxigraph's Turtle parser, which loads in milliseconds: reading a text does not wait
for rdflib.

>>> classes()[:3]
('Plan', 'Vision', 'Theme')
>>> "Company" in subclasses("Carrier") and "Goal" not in subclasses("Carrier")
True
>>> labels()["Company"]
('企业', 'company')
"""

from __future__ import annotations

from functools import lru_cache

from . import NAMESPACE, ontology_path

__all__ = ["classes", "subclasses", "labels"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@lru_cache(maxsize=1)
def _read() -> tuple[list[str], dict[str, set[str]], dict[str, dict[str, str]]]:
    import pyoxigraph as ox

    declared: list[str] = []
    parents: dict[str, set[str]] = {}
    names: dict[str, dict[str, str]] = {}
    for t in ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE):
        s = t.subject.value if isinstance(t.subject, ox.NamedNode) else None
        if s is None or not s.startswith(NAMESPACE):
            continue
        local, p = s[len(NAMESPACE):], t.predicate.value
        if p == _RDF_TYPE and t.object.value == _OWL_CLASS and local not in declared:
            declared.append(local)
        elif p == _SUBCLASS and isinstance(t.object, ox.NamedNode) and t.object.value.startswith(NAMESPACE):
            parents.setdefault(local, set()).add(t.object.value[len(NAMESPACE):])
        elif p == _LABEL and isinstance(t.object, ox.Literal) and t.object.language:
            names.setdefault(local, {})[t.object.language] = t.object.value
    return declared, parents, names


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
    declared, parents, _ = _read()
    out = list(declared)
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
    _, parents, _ = _read()
    return tuple(c for c in classes() if of in _ancestors(c, parents))


@lru_cache(maxsize=1)
def labels() -> dict[str, tuple[str, str]]:
    """Each class's and property's (zh, en) labels, by local name."""
    return {name: (by.get("zh", name), by.get("en", name)) for name, by in _read()[2].items()}
