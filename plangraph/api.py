"""The Python API: load plans, reason, validate, query, draw and export.

>>> pg = load()                                   # the bundled Taiyuan plan, reasoned
>>> rows = pg.query("company-contributions", company="太钢")
>>> sorted(set(rows.column("goalLabel")))
['经济实力明显增强']
>>> pg.export(format="turtle")[:9]
'@prefix d'
"""

from __future__ import annotations

import hashlib
import itertools
import pickle
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, ContextManager, Iterable, Iterator, Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier

from .graph.build import bind_prefixes, ontology_graph, plan_triples
from .graph.iri import CATALOG_GRAPH, GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, SCRATCH_GRAPHS, STORE, asserted_graph_iri
from .graph.memory_store import MemoryStore
from .graph.reason import InconsistentPlanError, infer
from .graph.store import Store, open_store
from .settings import HERMIT_MAX_TRIPLES
from .graph.validate import ValidationReport, validate
from .cache import Cache, default_cache, package_digest, source_key
from .loaders import AliasTable, Lexicon, Plan, PlanSourceError, aliases_with, bundled_plan_path, expand_sources, lexicon_with, read_plans
from .queries import FORMATS, UNBOUNDED, Limits, NamedQuery, Rows, check_params, library, load_query, resolve_entity, run

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["PlanGraph", "load", "prepare_query", "named_queries", "check_view", "TooManyNodes", "ReasoningWarning", "InconsistentPlanError", "ANSWER_FORMATS", "Limits"]

def __getattr__(name: str):
    if name == "TooManyNodes":  # the page's refusal, without loading the page before it is drawn
        from .views.page import TooManyNodes

        return TooManyNodes
    raise AttributeError(f"module 'plangraph.api' has no attribute {name!r}")


#: The formats a query's answer prints in (table, the W3C result formats, RDF syntaxes).
ANSWER_FORMATS = FORMATS


class ReasoningWarning(UserWarning):
    """A query's answer is missing what the reasoner would infer: the graph was not reasoned over."""

@contextmanager
def _quiet(_step: str) -> Iterator[None]:
    yield


def _digest(triples: object) -> str:
    # the same triples in any order give the same digest
    from plangraph.graph import ntriples

    return hashlib.sha256("".join(sorted(ntriples.rows(triples))).encode("utf-8")).hexdigest()  # type: ignore[arg-type]


def _plan_digest(plan: Plan) -> str:
    # the plan as read and the code that makes its triples: equal digests, equal triples, so an
    # unchanged plan is recognised before its triples are built
    return hashlib.sha256(f"{package_digest()}\n{plan!r}".encode("utf-8")).hexdigest()


def _origin(plan: Plan) -> str:
    # what makes a plan loaded again "the same plan": its document, else its title
    return plan.source_file or plan.title.zh or plan.id


def _copy(graph: Graph) -> Graph:
    out = bind_prefixes(Graph())
    out += graph
    return out


#: Shows a step while it runs: called with the step's name, returns a context manager.
Progress = Callable[[str], ContextManager[None]]


class PlanGraph:
    """Plans in a store: the asserted triples of each plan in its own named graph, the
    ontology in another, what the reasoner infers in a third, and a catalog of what the store
    holds. A store opened again later (a folder, a server) knows its plans from its catalog.

    ``store`` is a :class:`~plangraph.graph.store.Store` or what :func:`~plangraph.graph.store.open_store`
    takes: ``"memory"`` (the default), a folder for Oxigraph on disk, a SPARQL endpoint's URL.
    """

    def __init__(
        self,
        store: Store | str | Path | None = None,
        progress: Progress | None = None,
        cache: Cache | None = None,
        read_only: bool = False,
    ):
        self.store: Store = open_store(store, read_only=read_only)
        #: the plans read from sources by this process (a reopened store lists its plans in
        #: :attr:`plan_ids`; plans given to :meth:`add_plans` are the caller's to keep)
        self.plans: list[Plan] = []
        self.warnings: list[str] = []
        #: which reasoner ran last: "hermit" or "rules" (None before :meth:`reason`)
        self.reasoner: str | None = None
        #: how the rules ran last (a key of :data:`plangraph.graph.rules.PATHS`; None before they run)
        self.rules_path: str | None = None
        self._progress: Progress = progress or _quiet
        self._ontology = ontology_graph()
        self._cache: dict[str, Graph] = {}
        self._catalog_cache: dict[URIRef, dict[str, str]] | None = None
        # the cache of read and reasoned plans, and the key of what this graph holds (None once
        # it holds anything the key does not describe)
        self._disk = cache
        self._key: str | None = None
        self._triples: dict[str, list] | None = None  # the triples of each plan read, while they are cached
        if self.store.writable:
            self._put_ontology()
        self._repair()

    def __enter__(self) -> "PlanGraph":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the store (an on-disk store's lock, files)."""
        self.store.close()

    # -- the catalog -------------------------------------------------------------
    def _catalog(self) -> dict[URIRef, dict[str, str]]:
        if self._catalog_cache is None:
            out: dict[URIRef, dict[str, str]] = {}
            for s, p, o in self.store.graph(CATALOG_GRAPH):
                if isinstance(s, URIRef) and str(p).startswith(str(STORE)):
                    out.setdefault(s, {})[str(p)[len(str(STORE)):]] = str(o)
            self._catalog_cache = out
        return self._catalog_cache

    def _record(self, graph: URIRef, **facts: str | None) -> None:
        # one update: the graph's old entry goes and the new one comes in the same transaction
        kept = {k: v for k, v in facts.items() if v is not None}
        lines = " ".join(f"<{graph}> <{STORE[k]}> {Literal(v).n3()} ." for k, v in kept.items())
        self.store.update(
            f"DELETE WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> ?p ?o }} }} ;\n"
            f"INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ {lines} }} }}"
        )
        if self._catalog_cache is not None:  # kept as written: a corpus's catalog is not read again per plan
            self._catalog_cache[graph] = kept

    def _record_many(self, entries: Mapping[URIRef, Mapping[str, str]]) -> None:
        # graphs new to the catalog, listed together in one update
        lines = " ".join(f"<{g}> <{STORE[k]}> {Literal(v).n3()} ." for g, facts in entries.items() for k, v in facts.items())
        self.store.update(f"INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ {lines} }} }}")
        if self._catalog_cache is not None:
            self._catalog_cache.update({g: dict(facts) for g, facts in entries.items()})

    def _mark_reasoned(self, method: str) -> None:
        # each plan the inferred graph now follows from, and by which reasoner, in one update
        graphs = self._plan_graphs()
        mark = Literal(method).n3()
        lines = " ".join(f"<{g}> <{STORE.reasoned}> {mark} ." for g in graphs)
        self.store.update(f"DELETE WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ ?g <{STORE.reasoned}> ?o }} }} ;\n"
                          f"INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ {lines} }} }}")
        if self._catalog_cache is not None:
            for g in graphs:
                self._catalog_cache[g]["reasoned"] = method

    def _forget(self, graph: URIRef) -> None:
        self.store.update(f"DELETE WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> ?p ?o }} }}")
        if self._catalog_cache is not None:
            self._catalog_cache.pop(graph, None)

    def _put_ontology(self) -> None:
        digest = _digest(self._ontology)
        if self._catalog().get(ONTOLOGY_GRAPH, {}).get("digest") != digest:
            self.store.replace(ONTOLOGY_GRAPH, self._ontology)
            self._record(ONTOLOGY_GRAPH, digest=digest)

    def _repair(self) -> None:
        # graphs of plangraph's that the catalog does not list are what a failed write left
        # behind: dropped when the store is open for writing, reported when it is only read
        # (the rules' scratch graphs may belong to a run going on elsewhere: the rules drop their own)
        listed = set(self._catalog()) | {CATALOG_GRAPH, ONTOLOGY_GRAPH, INFERRED_GRAPH, *SCRATCH_GRAPHS}
        left = [n for n in self.store.names() if str(n).startswith(str(GRAPH)) and n not in listed]
        if not left:
            return
        if self.store.writable:
            for name in left:
                self.store.clear(name)
        else:
            self.warnings.append(f"the store holds {len(left)} graph(s) an interrupted load left behind "
                                 f"({', '.join(map(str, left[:3]))}); the next load into it removes them")

    @property
    def plan_ids(self) -> list[str]:
        """The ids of the plans the store holds, sorted."""
        return sorted(entry["id"] for entry in self._catalog().values() if "id" in entry)

    def _plan_graphs(self) -> list[URIRef]:
        return sorted(g for g, entry in self._catalog().items() if "id" in entry)

    def _plans_digest(self) -> str:
        cat = self._catalog()
        return hashlib.sha256("\n".join(f"{g} {cat[g].get('digest', '')}" for g in self._plan_graphs()).encode()).hexdigest()

    @property
    def reasoned(self) -> bool:
        """Whether the inferred graph was derived from the plans the store now holds."""
        entry = self._catalog().get(INFERRED_GRAPH, {})
        return bool(self._plan_graphs()) and entry.get("over") == self._plans_digest()

    # -- loading -------------------------------------------------------------
    def add_plan(self, plan: Plan) -> URIRef:
        """Add the asserted triples of ``plan`` to its named graph (replacing an earlier load of it;
        the same plan loaded again changes nothing).

        What was inferred from an earlier version of the plan may no longer hold: it is dropped
        until :meth:`reason` runs again. A new plan keeps what was inferred for the others.
        """
        return self.add_plans([plan])[0]

    def add_plans(self, plans: Iterable[Plan]) -> list[URIRef]:
        """Add many plans, as :meth:`add_plan` adds one: the plans new to the store are written
        together, by the store's bulk loader where it has one, each plan's triples made as the
        store takes them (``plans`` may be a generator: no plan waits in memory for the others).
        Returns their graphs' names.
        """
        return self._put((plan, None) for plan in plans)

    def _put(self, items: Iterable[tuple[Plan, list | None]]) -> list[URIRef]:
        # new plans are bulk-written as they come (in the store's writing thread, where it has
        # one) and listed in the catalog only once written whole; plans already stored and
        # changed are replaced after them, one by one, each at once
        names: list[URIRef] = []
        changed: list[tuple[Plan, URIRef, str, list]] = []
        listed: dict[URIRef, dict[str, str]] = {}
        catalog = self._catalog()  # read here: the writing thread must not query the store

        def fresh() -> Iterator[tuple[URIRef, list]]:
            for plan, triples in items:
                name = asserted_graph_iri(plan.id)
                names.append(name)
                digest = _plan_digest(plan)
                entry = catalog.get(name)
                if triples is None and self._triples is not None:
                    triples = plan_triples(plan)
                if self._triples is not None:
                    self._triples[plan.id] = triples  # type: ignore[assignment]
                if entry is not None and entry.get("digest") == digest:
                    continue
                self._cache.clear()
                self._key = None
                if triples is None:
                    triples = plan_triples(plan)
                if entry is not None:
                    changed.append((plan, name, digest, triples))
                    continue
                listed[name] = {"id": plan.id, "digest": digest, "source": _origin(plan)}
                yield name, triples

        new = fresh()
        first = next(new, None)
        if first is not None:
            self._write_new(itertools.chain([first], new), listed)
        for item in changed:
            self._rewrite(*item)
        return names

    def _keep(self, plans: Iterable[Plan]) -> None:
        # the plans read from sources, by id (a plan read again replaces its earlier reading)
        by_id = {p.id: p for p in self.plans}
        for plan in plans:
            by_id.pop(plan.id, None)
            by_id[plan.id] = plan
        self.plans = list(by_id.values())

    def _rewrite(self, plan: Plan, name: URIRef, digest: str, triples: list) -> None:
        with self.store.batch():
            # unlisted while it changes, with what was inferred from it: a failed write leaves
            # no half plan listed, and the next load of it writes it whole
            self._forget(name)
            self._forget(INFERRED_GRAPH)
            self.store.clear(INFERRED_GRAPH)
            self.store.replace(name, triples)
            self._record(name, id=plan.id, digest=digest, source=_origin(plan))

    def _write_new(self, graphs: Iterable[tuple[URIRef, list]], listed: dict[URIRef, dict[str, str]]) -> None:
        # listed: filled as ``graphs`` is consumed, the catalog entry of each graph it gave
        with self.store.batch():
            try:
                self.store.add_graphs(graphs)
            except BaseException:
                for name in listed:
                    self.store.clear(name)
                raise
            # the catalog is written last: a plan is in the store once it is listed there
            self._record_many(listed)

    def remove_plan(self, plan_id: str) -> None:
        """Take a plan out of the store (and what was inferred, which may have come from it)."""
        name = asserted_graph_iri(plan_id)
        if name not in self._catalog():
            raise PlanSourceError(plan_id, None, f"no plan with this id in the store (it holds: {', '.join(self.plan_ids) or 'none'})")
        with self.store.batch():
            self._forget(name)
            self.store.clear(name)
            self.store.clear(INFERRED_GRAPH)
            self._forget(INFERRED_GRAPH)
        self.plans = [p for p in self.plans if p.id != plan_id]
        self._cache.clear()
        self._key = None

    def add_sources(
        self,
        *sources: str | Path,
        aliases: AliasTable | None = None,
        lexicon: Lexicon | None = None,
        model: bool = True,
        workers: int | None = None,
        on_file: Callable[[int, int], None] | None = None,
    ) -> list[Plan]:
        """Read plan files and folders (in parallel when there are many) and add their plans. A plan
        whose id another document's plan holds gets a suffix; the same document again replaces its
        plan (or, unchanged, changes nothing). Returns the plans added; warnings go to :attr:`warnings`.
        """
        plans, warnings = read_plans(list(sources), aliases=aliases, lexicon=lexicon, model=model, workers=workers, on_progress=on_file)
        if not plans:
            detail = f" ({'; '.join(warnings)})" if warnings else ""
            raise PlanSourceError(", ".join(map(str, sources)), None, f"holds no plan file plangraph can read{detail}")
        stored = {e["id"]: e.get("source") for e in self._catalog().values() if "id" in e}
        batch: set[str] = set()
        for plan in plans:
            base, n = plan.id, 1
            while plan.id in batch or (plan.id in stored and stored[plan.id] != _origin(plan)):
                n += 1
                plan.id = f"{base}-{n}"
            batch.add(plan.id)
        self.add_plans(plans)
        self._keep(plans)
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
                for name in self._plan_graphs():
                    g += self.store.graph(name)
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
    def reason(self, method: str = "auto") -> int:
        """Derive what the ontology entails into the inferred graph; returns how many triples it holds.

        ``method``: ``hermit`` (HermiT: consistency, classification, then the property axioms by
        rule; the whole graph in memory), ``rules`` (the ontology's axioms as SPARQL Update rules
        inside the store, with a rule-based consistency check: for a corpus), or ``auto``: HermiT
        up to :data:`~plangraph.settings.HERMIT_MAX_TRIPLES` asserted triples, rules above.
        :attr:`reasoner` says which ran. A store already reasoned over its plans is left as it is.
        What HermiT inferred from the same sources before is taken from the cache.
        """
        if method not in ("auto", "hermit", "rules"):
            raise ValueError(f"reasoning method {method!r}: choose auto, hermit or rules")
        if method == "auto" and self.reasoned:
            self.reasoner = self._catalog().get(INFERRED_GRAPH, {}).get("reasoner")
            return self.store.count(INFERRED_GRAPH)
        if method == "auto":
            # HermiT needs the whole graph in memory: from a store elsewhere the rules run where the triples are
            size = sum(self.store.count(g) for g in self._plan_graphs())
            method = "hermit" if size <= HERMIT_MAX_TRIPLES and isinstance(self.store, MemoryStore) else "rules"
        if method == "hermit":
            inferred: list | Graph | None = self._cached("inferred")
            if inferred is None:
                with self._progress("reasoning with HermiT"):
                    inferred = infer(self._graph("asserted"), self._ontology)
                self._store_cached("inferred", list(inferred))
            self._forget(INFERRED_GRAPH)
            self.store.clear(INFERRED_GRAPH)
            self.store.add(inferred, INFERRED_GRAPH)
        else:
            from .graph.rules import PATHS, materialise, path

            catalog = self._catalog()
            new = None
            if catalog.get(INFERRED_GRAPH, {}).get("reasoner") == "rules":
                # what the rules derived still holds (a changed or removed plan drops it): only
                # what follows from the plans added since is derived
                new = [g for g in self._plan_graphs() if catalog[g].get("reasoned") != "rules"]
            if new != []:
                # unlisted while the rules run: a run cut short leaves an inferred graph that only a
                # whole run (which the next one then is) completes
                self._forget(INFERRED_GRAPH)
                self.rules_path = path(self.store, new)
                with self._progress(f"deriving by the ontology's rules, {PATHS[self.rules_path]}"):
                    materialise(self.store, self._ontology, new, how=self.rules_path)
        self._mark_reasoned(method)
        self._record(INFERRED_GRAPH, over=self._plans_digest(), reasoner=method)
        self.reasoner = method
        self._cache.pop("inferred", None)
        self._cache.pop("all", None)
        return self.store.count(INFERRED_GRAPH)

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
            self._put((plan, entry["graphs"][plan.id]) for plan in entry["plans"])
            self._keep(entry["plans"])
            self.warnings.extend(entry["warnings"])
            self._key = key
            return
        self._triples = {}
        try:
            self.add_sources(*sources, **reading)  # type: ignore[arg-type]
            graphs, self._triples = self._triples, None
        finally:
            self._triples = None
        self._key = key
        self._store_cached("plans", {"plans": self.plans, "warnings": self.warnings, "graphs": graphs})

    def _keep_key(self) -> None:
        # the cache's key describes the sources just read: what HermiT infers is cached under it
        # only when the store holds those plans and no others
        if set(self.plan_ids) != {p.id for p in self.plans}:
            self._key = None

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
        counts["asserted triples"] = sum(self.store.count(g) for g in self._plan_graphs())
        counts["inferred triples"] = self.store.count(INFERRED_GRAPH)
        return counts

    def contributions(self) -> list[tuple[str, str, str]]:
        """Which goal each company contributes to (company-contributions, the reasoner's answer):
        one (company, goal, first cluster through which) per company and goal, cluster "" when none.
        """
        first: dict[tuple[str, str], tuple[str, str, str]] = {}
        for r in self.query("company-contributions", limits=UNBOUNDED).records():
            first.setdefault((r["companyLabel"], r["goalLabel"]), (r["companyLabel"], r["goalLabel"], r["clusterLabel"]))
        return list(first.values())

    def check_consistency(self, method: str = "hermit") -> str | None:
        """Reason with ``method`` (HermiT by default) and say what contradicts the ontology, None when nothing does."""
        try:
            self.reason(method)
        except InconsistentPlanError as exc:
            return exc.reason
        return None

    # -- serving -------------------------------------------------------------
    def serve(
        self,
        host: str = "127.0.0.1",
        port: int = 8000,
        *,
        limits: Limits = Limits(),
        token: str | None = None,
        cors: Iterable[str] = (),
        max_body: int = 1 << 20,
        cache_answers: int = 256,
        on_ready: Callable[[str], None] | None = None,
    ) -> None:
        """Serve the store over HTTP until interrupted: a SPARQL 1.1 endpoint at ``/sparql``, the
        Graph Store Protocol at ``/graph-store``, the named queries at ``/queries/NAME`` (described
        at ``/openapi.json``). Read-only unless ``token`` is given: then updates and graph writes
        are accepted from requests that carry it (``Authorization: Bearer TOKEN``). Every query
        runs within ``limits``; ``cors`` lists the origins browsers may call it from (``*`` for any);
        ``cache_answers`` answers are kept for identical requests until a write through the server
        (none for a store on a SPARQL server, which others may write); ``on_ready(url)`` is called
        once it listens.
        """
        from . import __version__
        from .views.server import ServerConfig, serve

        from .graph.sparql_store import SparqlStore

        store: Store = self.store
        if isinstance(store, SparqlStore):
            cache_answers = 0
        if getattr(store, "folder", None) is not None and not store.writable:
            # Oxigraph cannot be interrupted: its queries go to worker processes, killed at their time limit
            import os

            from .graph.worker_store import WorkerStore

            store = WorkerStore(store, workers=max(2, os.cpu_count() or 2), timeout=limits.timeout)
        config = ServerConfig(limits=limits, token=token or None, cors=tuple(cors), max_body=max_body, version=__version__,
                              cache_answers=cache_answers)
        try:
            serve(store, host, port, config, on_ready=on_ready)
        finally:
            if store is not self.store:
                store.close()

    # -- analysis, views, export ---------------------------------------------
    def rank(self, top: int | None = None) -> list[dict[str, object]]:
        """The carriers ranked by how much of the plans rests on them (reach, then betweenness)."""
        from .graph.network import carrier_ranking

        return carrier_ranking(self.to_networkx())[:top]

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

    def export(self, path: str | Path | None = None, format: str = "turtle", inferred: bool = True, ontology: bool = True) -> str:
        """Serialise the graph (asserted, and inferred unless ``inferred=False``); writes ``path`` if given.
        TriG and N-Quads keep each plan's asserted triples, the inferred ones and (unless
        ``ontology=False``) the ontology as named graphs, so the named queries run over the
        export in another engine as they do here.
        """
        from .views.export import NAMED_GRAPH_FORMATS, export, format_name

        fmt = format_name(format)
        names = self._plan_graphs() + ([INFERRED_GRAPH] if inferred else []) + ([ONTOLOGY_GRAPH] if ontology and fmt in NAMED_GRAPH_FORMATS else [])
        if fmt in getattr(self.store, "SYNTAXES", ()):
            # a store with a serialiser of its own writes the graphs where they are, without copying them into rdflib
            data = self.store.serialize(names, fmt)  # type: ignore[attr-defined]
            if path is not None:
                from .views.output import write_output

                write_output(Path(path), data)
            return data.decode("utf-8")
        graphs = {name: self.store.graph(name) for name in self._plan_graphs()}
        if inferred:
            graphs[INFERRED_GRAPH] = self._graph("inferred")
        if ontology and format_name(format) in NAMED_GRAPH_FORMATS:
            graphs[ONTOLOGY_GRAPH] = self._ontology
        return export(graphs, format=format, path=Path(path) if path else None, ontology=self._ontology)


def prepare_query(query: str, params: Mapping[str, str] | None = None) -> NamedQuery:
    """The query ``query`` names (a named query, an ``.rq`` file or SPARQL text), checked with its
    parameters' names and literal values before any data is read; IRIs are resolved later.

    >>> prepare_query("goals-targets", {"theme": "x"}).name
    'goals-targets'
    """
    q = load_query(query)
    check_params(q, params or {})
    return q


def check_view(view: str, classes: list[str] | None = None, **params: object) -> None:
    """Check a page's view, its parameters and classes before any data is read (:meth:`PlanGraph.draw` takes them).

    >>> check_view("top", plan="x")
    Traceback (most recent call last):
    ...
    ValueError: view 'top' takes no plan (its parameters: k, context, classes)
    """
    import networkx as nx

    from .graph.network import check_classes
    from .graph.network import check_view as check

    if classes:
        try:
            check_classes(nx.MultiDiGraph(), classes)
        except ValueError as exc:
            raise ValueError(f"classes: {exc}") from None
    check(view, **params)


def named_queries() -> dict[str, NamedQuery]:
    """The named-query library, by name."""
    return library()


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
    store: Store | str | Path | None = None,
    read_only: bool = False,
    reasoner: str = "auto",
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

    ``store`` keeps the plans elsewhere than in memory: a folder (Oxigraph on disk, kept between
    runs: plans are added to what it holds) or a SPARQL endpoint's URL; with no sources, a store
    that holds plans is used as it is (``read_only`` opens a folder for reading only).
    ``reasoner`` is :meth:`PlanGraph.reason`'s method.
    """
    disk = (default_cache() if cache is True else cache) or None
    pg = PlanGraph(store=store, progress=progress, cache=disk, read_only=read_only)
    if not sources and (pg.plan_ids or read_only):
        if reason and not pg.reasoned and pg.store.writable:
            pg.reason(reasoner)
        return pg
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
            pg._keep_key()
        else:
            pg.add_sources(*sources, **reading)  # type: ignore[arg-type]
    if reason:
        pg.reason(reasoner)
    return pg

