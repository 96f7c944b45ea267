"""Check a plan graph against the SHACL shapes of a well-formed plan (pySHACL).

>>> from plangraph.loaders import load_plan, bundled_plan_path
>>> from plangraph.graph.build import plan_to_graph
>>> report = validate(plan_to_graph(load_plan(bundled_plan_path())))
>>> report.conforms, len(report.violations)
(True, 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from .build import ontology_graph

__all__ = ["Violation", "ValidationReport", "validate", "shapes_graph"]

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    """One result of the SHACL report, in words a person reads."""

    severity: str
    node: str
    label: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.label} <{self.node}>" if self.label else f"<{self.node}>"
        path = f" [{self.path}]" if self.path else ""
        return f"{self.severity}: {where}{path}: {self.message}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation]
    warnings: list[Violation]

    def __str__(self) -> str:
        if self.conforms and not self.warnings:
            return "the plan conforms to the plangraph shapes"
        lines = [str(v) for v in self.violations + self.warnings]
        head = "conforms" if self.conforms else f"{len(self.violations)} violation(s)"
        return f"{head}, {len(self.warnings)} warning(s):\n" + "\n".join(lines)


def shapes_graph() -> Graph:
    """The SHACL shapes shipped with plangraph."""
    path = resources.files("plangraph") / "ontology" / "shapes.ttl"
    return Graph().parse(data=path.read_text(encoding="utf-8"), format="turtle")


def _short(node: Node | None) -> str:
    if node is None:
        return ""
    text = str(node)
    for sep in ("#", "/"):
        if sep in text:
            return text.rsplit(sep, 1)[-1]
    return text


def _path_text(report: Graph, path: Node | None) -> str:
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return _short(path)
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_short(inverse)}"
    return "path"


def validate(data: Graph, ontology: Graph | None = None) -> ValidationReport:
    """Validate ``data`` (asserted triples) against the shapes, with the ontology's class hierarchy."""
    import pyshacl

    onto = ontology if ontology is not None else ontology_graph()
    conforms, report, _text = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=onto,
        # the ontology's class hierarchy is mixed into the data, which is all the shapes need:
        # an RDFS closure first gave the same reports on every plan tried, four to six times slower
        inference="none",
        allow_warnings=True,
        advanced=True,
    )
    violations: list[Violation] = []
    warnings: list[Violation] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        severity = _short(report.value(result, SH.resultSeverity))
        messages = [m for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)]
        english = [m for m in messages if m.language in (None, "en")]
        message = str((english or messages or ["does not conform"])[0])
        labels = [str(x) for x in data.objects(focus, RDFS.label) if isinstance(x, Literal) and x.language == "zh"]
        v = Violation(
            severity=severity,
            node=str(focus),
            label=labels[0] if labels else "",
            path=_path_text(report, report.value(result, SH.resultPath)),
            message=message,
        )
        (violations if severity == "Violation" else warnings).append(v)
    key = lambda v: (v.node, v.path, v.message)  # noqa: E731
    return ValidationReport(conforms=not violations, violations=sorted(set(violations), key=key), warnings=sorted(set(warnings), key=key))
