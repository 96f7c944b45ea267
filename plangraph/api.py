"""The Python API: load plans, reason, validate, query, draw and export.

>>> pg = load()                                   # the bundled Taiyuan plan, reasoned
>>> rows = pg.query("company-contributions", company="太钢")
>>> sorted(set(rows.column("goalLabel")))
['经济实力明显增强']
>>> pg.export(format="turtle")[:9]
'@prefix d'
"""

from __future__ import annotations

import pickle
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, ContextManager, Iterator, Mapping

from rdflib import Graph, URIRef
from rdflib.term import Identifier

from .graph.build import bind_prefixes, ontology_graph, plan_triples
from .graph.iri import INFERRED_GRAPH, ONTOLOGY_GRAPH, asserted_graph_iri
from .graph.reason import infer
from .graph.store import MemoryStore, Store
from .graph.validate import ValidationReport, validate
from .cache import Cache, default_cache, source_key
from .loaders import AliasTable, Lexicon, Plan, PlanSourceError, aliases_with, bundled_plan_path, expand_sources, lexicon_with, read_plans
from .queries import UNBOUNDED, Limits, NamedQuery, Rows, load_query, resolve_entity, run

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["PlanGraph", "load", "ReasoningWarning"]


class ReasoningWarning(UserWarning):
    """A query's answer is missing what the reasoner would infer: the graph was not reasoned over."""

@contextmanager
def _quiet(_step: str) -> Iterator[None]:
    yield


def _copy(graph: Graph) -> Graph:
    out = bind_prefixes(Graph())
    out += graph
    return out


#: Shows a step while it runs: called with the step's name, returns a context manager.
Progress = Callable[[str], ContextManager[None]]


class PlanGraph:
    """Plans in a store: the asserted triples of each plan in its own named graph, the
    ontology in another, and what the reasoner infers in a third.
    """

    def __init__(self, store: Store | None = None, progress: Progress | None = None, cache: Cache | None = None):
        self.store: Store = store if store is not None else MemoryStore()
        self.plans: list[Plan] = []
        self.warnings: list[str] = []
        self.reasoned = False
        self._progress: Progress = progress or _quiet
        self._ontology = ontology_graph()
        self._cache: dict[str, Graph] = {}
        # the cache of read and reasoned plans, and the key of what this graph holds (None once
        # it holds anything the key does not describe)
        self._disk = cache
        self._key: str | None = None
        self.store.clear(ONTOLOGY_GRAPH)
        self.store.add(self._ontology, ONTOLOGY_GRAPH)

    # -- loading -------------------------------------------------------------
    def add_plan(self, plan: Plan) -> URIRef:
        """Add the asserted triples of ``plan`` to its named graph (replacing an earlier load of it).

        What was inferred before no longer holds for the changed set of plans: it is dropped
        until :meth:`reason` runs again.
        """
        name = asserted_graph_iri(plan.id)
        if any(p.id == plan.id for p in self.plans):
            self.store.clear(name)
            self.plans = [p for p in self.plans if p.id != plan.id]
        self.store.add(plan_triples(plan), name)
        self.store.clear(INFERRED_GRAPH)
        self.reasoned = False
        self.plans.append(plan)
        self._cache.clear()
        self._key = None
        return name

    def add_sources(
        self,
        *sources: str | Path,
        aliases: AliasTable | None = None,
        lexicon: Lexicon | None = None,
        model: bool = True,
        workers: int | None = None,
        on_file: Callable[[int, int], None] | None = None,
    ) -> list[Plan]:
        """Read plan files and folders (in parallel when there are many) and add their plans; a plan
        whose id is taken gets a suffix. Returns the plans added; warnings go to :attr:`warnings`.
        """
        plans, warnings = read_plans(list(sources), aliases=aliases, lexicon=lexicon, model=model, workers=workers, on_progress=on_file)
        if not plans:
            detail = f" ({'; '.join(warnings)})" if warnings else ""
            raise PlanSourceError(", ".join(map(str, sources)), None, f"holds no plan file plangraph can read{detail}")
        taken = {p.id for p in self.plans}
        for plan in plans:
            base, n = plan.id, 1
            while plan.id in taken:
                n += 1
                plan.id = f"{base}-{n}"
            taken.add(plan.id)
            self.add_plan(plan)
        self.warnings.extend(warnings)
        return plans

    def add_source(self, path: str | Path) -> Plan:
        """Read one plan file (or the first plan of a folder) and add it."""
        return self.add_sources(path)[0]

    # -- graph views ---------------------------------------------------------
    @property
    def ontology(self) -> Graph:
        return self._ontology

    def _graph(self, key: str) -> Graph:
        # built once per state of the store: reasoning, validation, export and drawing all read it
        if key not in self._cache:
            if key == "asserted":
                g = bind_prefixes(Graph())
                for plan in self.plans:
                    g += self.store.graph(asserted_graph_iri(plan.id))
            elif key == "inferred":
                g = self.store.graph(INFERRED_GRAPH)
            else:
                g = bind_prefixes(Graph())
                g += self._graph("asserted")
                g += self._graph("inferred")
            self._cache[key] = g
        return self._cache[key]

    def asserted(self) -> Graph:
        """Every plan's asserted triples, in one graph (a copy: change it freely)."""
        return _copy(self._graph("asserted"))

    def inferred(self) -> Graph:
        """The triples the reasoner added (empty before :meth:`reason`; a copy)."""
        return _copy(self._graph("inferred"))

    def graph(self, inferred: bool = True, ontology: bool = False) -> Graph:
        """One graph of the asserted triples, with the inferred ones and the ontology if asked (a copy)."""
        g = _copy(self._graph("all" if inferred else "asserted"))
        if ontology:
            g += self._ontology
        return g

    # -- reasoning and validation -------------------------------------------
    def reason(self) -> int:
        """Run HermiT over all plans; store the inferred triples in their own graph. Returns their number.

        What HermiT inferred from the same sources before is taken from the cache instead.
        """
        inferred: list | Graph | None = self._cached("inferred")
        if inferred is None:
            with self._progress("reasoning with HermiT"):
                inferred = infer(self._graph("asserted"), self._ontology)
            self._store_cached("inferred", list(inferred))
        self.store.clear(INFERRED_GRAPH)
        self.store.add(inferred, INFERRED_GRAPH)
        self.reasoned = True
        self._cache.pop("inferred", None)
        self._cache.pop("all", None)
        return len(inferred)

    # -- the cache -------------------------------------------------------------
    def _cached(self, part: str) -> object | None:
        if self._disk is None or self._key is None:
            return None
        data = self._disk.get(self._key, part)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # a damaged or foreign entry: read again
            self._disk.drop(self._key, part)
            return None

    def _store_cached(self, part: str, value: object) -> None:
        if self._disk is not None and self._key is not None:
            self._disk.put(self._key, part, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def _read_cached(self, key: str, sources: tuple[str | Path, ...], **reading: object) -> None:
        # the plans of ``sources`` from the cache when it has them, else read and cached
        self._key = key
        entry = self._cached("plans")
        if isinstance(entry, dict) and {"plans", "warnings", "graphs"} <= set(entry):
            for plan in entry["plans"]:
                self.store.add(entry["graphs"][plan.id], asserted_graph_iri(plan.id))
                self.plans.append(plan)
            self.warnings.extend(entry["warnings"])
            return
        self.add_sources(*sources, **reading)  # type: ignore[arg-type]
        self._key = key
        graphs = {p.id: list(self.store.graph(asserted_graph_iri(p.id))) for p in self.plans}
        self._store_cached("plans", {"plans": self.plans, "warnings": self.warnings, "graphs": graphs})

    def validate(self) -> ValidationReport:
        """Check the asserted triples against the SHACL shapes of a well-formed plan."""
        with self._progress("validating with SHACL"):
            return validate(self._graph("asserted"), self._ontology)

    # -- queries -------------------------------------------------------------
    def query(
        self,
        query: str | NamedQuery,
        params: Mapping[str, str | Identifier] | None = None,
        limits: Limits = Limits(),
        **kw: str | Identifier,
    ) -> Rows:
        """Run a named query, an ``.rq`` file or SPARQL text; parameters as keywords or a mapping;
        within ``limits`` (time and rows). A query that owes its answer to the reasoner, asked
        before :meth:`reason`, warns with :class:`ReasoningWarning`.
        """
        q = query if isinstance(query, NamedQuery) else load_query(query)
        note = q.reasoning_note()
        if note and not self.reasoned:
            warnings.warn(note, ReasoningWarning, stacklevel=2)
        return run(self.store, q, {**(params or {}), **kw}, limits=limits)

    def resolve(self, value: str) -> URIRef:
        """The node a label, alias, CURIE or IRI names (an error naming the nearest labels otherwise)."""
        return resolve_entity(self.store, value)

    def summary(self) -> dict[str, int]:
        """How many nodes of the main classes the graph holds, and how many triples."""
        counts = {r["classLabel"] or r["class"]: int(r["count"]) for r in run(self.store, "counts-per-class", limits=UNBOUNDED).records()}
        counts["asserted triples"] = len(self._graph("asserted"))
        counts["inferred triples"] = len(self._graph("inferred"))
        return counts

    # -- analysis, views, export ---------------------------------------------
    def to_networkx(self) -> "nx.MultiDiGraph":
        """The dependency graph (pg:dependsOn and its sub-properties) as networkx."""
        from .graph.network import to_networkx

        return to_networkx(self._graph("all"), self._ontology)

    def draw(self, path: str | Path | None = None, **options: object) -> str:
        """Write the interactive dependency page; returns its HTML. Options as :func:`plangraph.views.page.render`."""
        from .views.page import render

        html = render(self._graph("all"), self._ontology, **options)
        if path is not None:
            from .views.output import write_output

            write_output(Path(path), html.encode("utf-8"))
        return html

    def export(self, path: str | Path | None = None, format: str = "turtle", inferred: bool = True) -> str:
        """Serialise the graph (asserted, and inferred unless ``inferred=False``); writes ``path`` if given.
        TriG and N-Quads keep each plan's asserted triples and the inferred ones as named graphs.
        """
        from .views.export import export

        graphs = {asserted_graph_iri(p.id): self.store.graph(asserted_graph_iri(p.id)) for p in self.plans}
        if inferred:
            graphs[INFERRED_GRAPH] = self._graph("inferred")
        return export(graphs, format=format, path=Path(path) if path else None, ontology=self._ontology)


def load(
    *sources: str | Path,
    reason: bool = True,
    progress: Progress | None = None,
    aliases: AliasTable | str | Path | None = None,
    enterprises: Lexicon | str | Path | None = None,
    model: bool = True,
    workers: int | None = None,
    on_file: Callable[[int, int], None] | None = None,
    cache: Cache | bool = True,
) -> PlanGraph:
    """Load plan sources: YAML plans, plan texts or folders of them (the bundled Taiyuan plan when
    none); each plan gets its own named graph and shared entities merge. Then reason over them.

    ``aliases`` extends the shipped alias table with a user's file, ``enterprises`` the shipped
    enterprise lexicon; ``model=False`` reads texts without the statistical name recogniser; ``workers`` caps the processes
    that read a large folder; ``on_file(done, total)`` reports progress. Warnings about partial
    results are in ``PlanGraph.warnings``.

    The plans read and the triples inferred are cached (:mod:`plangraph.cache`), keyed by the
    content of the sources, the user's tables and plangraph itself: loading the same inputs
    again reads and reasons nothing. ``cache=False`` reads afresh; a :class:`~plangraph.cache.Cache`
    puts the cache elsewhere.
    """
    disk = (default_cache() if cache is True else cache) or None
    pg = PlanGraph(progress=progress, cache=disk)
    table = aliases if isinstance(aliases, AliasTable) or aliases is None else aliases_with(aliases)
    lexicon = enterprises if isinstance(enterprises, Lexicon) or enterprises is None else lexicon_with(enterprises)
    sources = sources or (bundled_plan_path(),)
    reading = {"aliases": table, "lexicon": lexicon, "model": model, "workers": workers, "on_file": on_file}
    key = None
    if disk is not None and all(x is None or isinstance(x, (str, Path)) for x in (aliases, enterprises)):
        # tables given as objects have no file to key on: such loads are not cached
        try:
            key = source_key(expand_sources(list(sources)), {"model": model}, (aliases, enterprises))  # type: ignore[arg-type]
        except OSError:
            key = None  # a missing source: reading it names the problem
    with pg._progress("reading plans"):
        if key is not None:
            pg._read_cached(key, sources, **reading)
        else:
            pg.add_sources(*sources, **reading)  # type: ignore[arg-type]
    if reason:
        pg.reason()
    return pg

