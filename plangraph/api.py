"""The Python API: load plans, reason, validate, query, draw and export.

>>> pg = load()                                   # the bundled Taiyuan plan, reasoned
>>> rows = pg.query("company-contributions", company="太钢")
>>> sorted(set(rows.column("goalLabel")))
['经济实力明显增强']
>>> pg.export(format="turtle")[:9]
'@prefix d'
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Mapping

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.term import Identifier

from .graph.build import bind_prefixes, ontology_graph, plan_triples
from .graph.iri import INFERRED_GRAPH, ONTOLOGY_GRAPH, asserted_graph_iri
from .graph.reason import infer
from .graph.store import MemoryStore, Store
from .graph.validate import ValidationReport, validate
from .loaders import AliasTable, Plan, PlanSourceError, bundled_aliases, bundled_plan_path, load_plan, read_plans
from .queries import NamedQuery, Rows, run

__all__ = ["PlanGraph", "load"]

@contextmanager
def _quiet(_step: str) -> Iterator[None]:
    yield


class PlanGraph:
    """Plans in a store: the asserted triples of each plan in its own named graph, the
    ontology in another, and what the reasoner infers in a third.
    """

    def __init__(self, store: Store | None = None, progress: Callable[[str], object] | None = None):
        self.store: Store = store if store is not None else MemoryStore()
        self.plans: list[Plan] = []
        self.warnings: list[str] = []
        self.reasoned = False
        self._progress = progress or _quiet
        self._ontology = ontology_graph()
        self.store.clear(ONTOLOGY_GRAPH)
        self.store.add(self._ontology, ONTOLOGY_GRAPH)

    # -- loading -------------------------------------------------------------
    def add_plan(self, plan: Plan) -> URIRef:
        """Add the asserted triples of ``plan`` to its named graph (replacing an earlier load of it)."""
        name = asserted_graph_iri(plan.id)
        if any(p.id == plan.id for p in self.plans):
            self.store.clear(name)
            self.plans = [p for p in self.plans if p.id != plan.id]
        self.store.add(plan_triples(plan), name)
        self.plans.append(plan)
        self.reasoned = False
        return name

    def add_source(self, path: str | Path) -> Plan:
        """Load one plan source file and add it."""
        plan = load_plan(path)
        self.add_plan(plan)
        return plan

    # -- graph views ---------------------------------------------------------
    @property
    def ontology(self) -> Graph:
        return self._ontology

    def asserted(self) -> Graph:
        """Every plan's asserted triples, in one graph."""
        g = bind_prefixes(Graph())
        for plan in self.plans:
            g += self.store.graph(asserted_graph_iri(plan.id))
        return g

    def inferred(self) -> Graph:
        """The triples the reasoner added (empty before :meth:`reason`)."""
        return self.store.graph(INFERRED_GRAPH)

    def graph(self, inferred: bool = True, ontology: bool = False) -> Graph:
        """One graph of the asserted triples, with the inferred ones and the ontology if asked."""
        g = self.asserted()
        if inferred:
            g += self.inferred()
        if ontology:
            g += self._ontology
        return bind_prefixes(g)

    # -- reasoning and validation -------------------------------------------
    def reason(self) -> int:
        """Run HermiT over all plans; store the inferred triples in their own graph. Returns their number."""
        with self._progress("reasoning with HermiT"):
            inferred = infer(self.asserted(), self._ontology)
        self.store.clear(INFERRED_GRAPH)
        self.store.add(inferred, INFERRED_GRAPH)
        self.reasoned = True
        return len(inferred)

    def validate(self) -> ValidationReport:
        """Check the asserted triples against the SHACL shapes of a well-formed plan."""
        with self._progress("validating with SHACL"):
            return validate(self.asserted(), self._ontology)

    # -- queries -------------------------------------------------------------
    def query(self, query: str | NamedQuery, params: Mapping[str, str | Identifier] | None = None, **kw: str | Identifier) -> Rows:
        """Run a named query, an ``.rq`` file or SPARQL text; parameters as keywords or a mapping."""
        return run(self.store, query, {**(params or {}), **kw})

    def summary(self) -> dict[str, int]:
        """How many nodes of the main classes the graph holds, and how many triples."""
        counts = {r["classLabel"] or r["class"]: int(r["count"]) for r in self.query("counts-per-class").records()}
        counts["asserted triples"] = len(self.asserted())
        counts["inferred triples"] = len(self.inferred())
        return counts

    # -- analysis, views, export ---------------------------------------------
    def to_networkx(self) -> nx.MultiDiGraph:
        """The dependency graph (pg:dependsOn and its sub-properties) as networkx."""
        from .graph.network import to_networkx

        return to_networkx(self.graph(inferred=True), self._ontology)

    def draw(self, path: str | Path | None = None, **options: object) -> str:
        """Write the interactive dependency page; returns its HTML. Options as :func:`plangraph.views.page.render`."""
        from .views.page import render

        html = render(self.graph(inferred=True), self._ontology, **options)
        if path is not None:
            from .views.export import write_atomic

            write_atomic(Path(path), html.encode("utf-8"))
        return html

    def export(self, path: str | Path | None = None, format: str = "turtle", inferred: bool = True) -> str:
        """Serialise the graph (asserted, and inferred unless ``inferred=False``); writes ``path`` if given."""
        from .views.export import export

        return export(self, format=format, inferred=inferred, path=Path(path) if path else None)


def load(
    *sources: str | Path,
    reason: bool = True,
    progress: Callable[[str], object] | None = None,
    aliases: AliasTable | str | Path | None = None,
    workers: int | None = None,
    on_file: Callable[[int, int], None] | None = None,
) -> PlanGraph:
    """Load plan sources: YAML plans, plan texts or folders of them (the bundled Taiyuan plan when
    none); each plan gets its own named graph and shared entities merge. Then reason over them.

    ``aliases`` extends the shipped alias table with a user's file; ``workers`` caps the processes
    that read a large folder; ``on_file(done, total)`` reports progress. Warnings about partial
    results are in ``PlanGraph.warnings``.
    """
    pg = PlanGraph(progress=progress)
    table = None
    if aliases is not None:
        table = aliases if isinstance(aliases, AliasTable) else bundled_aliases().extend(aliases)
    with (progress or _quiet)("reading plans"):
        plans, warnings = read_plans(list(sources) or [bundled_plan_path()], aliases=table, workers=workers, on_progress=on_file)
    if not plans:
        raise PlanSourceError(", ".join(map(str, sources)), None, "holds no plan file plangraph can read")
    with (progress or _quiet)("building the graph"):
        for plan in plans:
            pg.add_plan(plan)
    pg.warnings = warnings
    if reason:
        pg.reason()
    return pg

