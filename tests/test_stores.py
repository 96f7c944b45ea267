"""One contract for every Store: rdflib in memory, Oxigraph in memory and on disk, and real
SPARQL 1.1 servers (the Oxigraph server and Virtuoso) started on loopback.

Every named query gives the same rows on every store; terms (blank nodes, language tags,
typed literals) and named graphs survive the trip; a failed write leaves the earlier state.
"""

from __future__ import annotations

import multiprocessing
import time
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import pytest
from rdflib import XSD, BNode, Literal, URIRef

from plangraph.api import PlanGraph, load
from plangraph.graph.build import ontology_graph
from plangraph.graph.iri import INFERRED_GRAPH, ONTOLOGY_GRAPH, SCRATCH_GRAPHS, asserted_graph_iri
from plangraph.graph.memory_store import MemoryStore
from plangraph.graph.oxigraph_store import OxigraphStore
from plangraph.graph.rules import materialise
from plangraph.graph.sparql_store import SparqlStore
from plangraph.graph.store import Store, StoreError, open_store
from plangraph.queries import library

from . import servers

G1, G2 = URIRef("urn:test:g1"), URIRef("urn:test:g2")
A, P, Q = URIRef("urn:test:a"), URIRef("urn:test:p"), URIRef("urn:test:q")
KINDS = ["memory", "oxigraph", "oxigraph-disk", "oxigraph-server", "virtuoso"]


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, servers.Server]]:
    """The servers this machine can start, each once for the module."""
    from contextlib import ExitStack

    started: dict[str, servers.Server] = {}
    with ExitStack() as stack:
        if servers.have_oxigraph():
            started["oxigraph-server"] = stack.enter_context(servers.oxigraph_server(tmp_path_factory.mktemp("oxigraph")))
        if servers.have_virtuoso():
            started["virtuoso"] = stack.enter_context(servers.virtuoso_server(tmp_path_factory.mktemp("virtuoso")))
        yield started


def _remote(server: servers.Server) -> SparqlStore:
    store = SparqlStore(server.query_url, server.update_url, server.graph_store_url, server.auth, layout=server.name)
    for name in store.names():  # each test starts from an empty server
        store.clear(name)
    return store


def _make(kind: str, tmp_path: Path, running: dict[str, servers.Server]) -> Store:
    if kind == "memory":
        return MemoryStore()
    if kind == "oxigraph":
        return OxigraphStore()
    if kind == "oxigraph-disk":
        return OxigraphStore(tmp_path / "store")
    if kind not in running:
        pytest.skip(f"{kind} is not installed here ({servers.skip_reason().get(kind.split('-')[0])})")
    return _remote(running[kind])


@pytest.fixture(params=KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path, running: dict[str, servers.Server]) -> Iterator[Store]:
    s = _make(request.param, tmp_path, running)
    yield s
    s.close()


def _key(term: object) -> object:
    # what must survive a store: IRIs, literal values with their datatype and language; blank
    # nodes only as blank nodes (a store may rename them)
    if term is None:
        return None
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Decimal):
            value = value.normalize()
        return (str(value) if not isinstance(value, (int, float, Decimal)) else value, term.language, str(term.datatype or ""))
    return str(term)


def _rows(answer_rows) -> list[tuple]:  # type: ignore[no-untyped-def]
    return sorted((tuple(_key(t) for t in row) for row in answer_rows), key=repr)


TERMS = [
    (A, P, Literal("太钢", lang="zh")),
    (A, P, Literal("TISCO", lang="en")),
    (A, P, Literal("20000.5", datatype=XSD.decimal)),
    (A, P, Literal("2035", datatype=XSD.gYear)),
    (A, P, Literal(17)),
    (A, P, Literal('quote " and \\ and\nnewline')),
    (A, Q, BNode("b1")),
    (BNode("b1"), P, URIRef("https://w3id.org/plangraph/id/太原")),
]


def test_terms_and_named_graphs_survive(store: Store) -> None:
    store.replace(G1, TERMS)
    store.add([(A, Q, URIRef("urn:test:other"))], G2)
    assert store.names() == [G1, G2]
    assert store.count(G1) == len(TERMS) and store.count() == len(TERMS) + 1
    back = store.graph(G1)
    assert sorted(map(repr, (tuple(_key(t) for t in x) for x in back))) == sorted(map(repr, (tuple(_key(t) for t in x) for x in TERMS)))
    # the blank node still links the two triples it joined
    rows = list(store.query("SELECT ?place WHERE { <urn:test:a> <urn:test:q> ?b . ?b <urn:test:p> ?place }").rows)
    assert rows == [(URIRef("https://w3id.org/plangraph/id/太原"),)]
    store.clear(G2)
    assert store.names() == [G1]


def test_queries_bind_terms_not_text(store: Store) -> None:
    store.replace(G1, TERMS)
    text = "SELECT ?s WHERE { VALUES ?label { UNDEF } ?s <urn:test:p> ?label }"
    assert _rows(store.query(text, {"label": Literal("太钢", lang="zh")}).rows) == [("urn:test:a",)]
    hostile = Literal('x" } ?s ?p ?o . { "')
    assert list(store.query(text, {"label": hostile}).rows) == []
    assert store.query("ASK { <urn:test:a> ?p ?o }").boolean is True
    answer = store.query("CONSTRUCT { ?s <urn:test:r> ?o } WHERE { ?s <urn:test:q> ?o FILTER(isIRI(?o)) }")
    assert answer.type == "CONSTRUCT" and list(answer.triples or []) == []


def test_update_and_atomic_replace(store: Store) -> None:
    store.replace(G1, TERMS)
    store.update(f"INSERT DATA {{ GRAPH <{G2}> {{ <urn:test:a> <urn:test:p> <urn:test:b> }} }}")
    assert store.count(G2) == 1

    def failing() -> Iterator[tuple]:
        yield (A, P, Literal("new"))
        raise OSError("the source broke off")

    with pytest.raises(OSError):
        store.replace(G1, failing())
    assert store.count(G1) == len(TERMS)  # the earlier content, whole
    assert store.names() == [G1, G2]  # no staging graph left behind


def test_new_graphs_in_bulk_and_a_failed_bulk_load_leaves_the_earlier_state(store: Store) -> None:
    store.add_graphs([(G1, TERMS), (G2, [(A, Q, URIRef("urn:test:other")), TERMS[0]])])
    assert store.names() == [G1, G2] and store.count(G1) == len(TERMS) and store.count(G2) == 2
    # plangraph's stores hold a triple two graphs share once in their union; a server's default
    # graph is its own, and both servers tested count it once per graph (a bag: README)
    rows = len(list(store.query(f"SELECT * WHERE {{ <{A}> <{P}> ?o }}").rows))
    assert rows == len([t for t in TERMS if t[:2] == (A, P)]) + (1 if isinstance(store, SparqlStore) else 0)
    G3 = URIRef("urn:test:g3")

    def failing() -> Iterator[tuple]:
        yield (A, P, Literal("stray"))
        raise OSError("the source broke off")

    with pytest.raises(OSError, match="broke off"):
        store.add_graphs([(G3, [(A, P, Literal("kept?"))]), (URIRef("urn:test:g4"), failing())])
    for name in (G3, URIRef("urn:test:g4")):  # what the caller does: drop the graphs it asked for
        store.clear(name)
    assert store.names() == [G1, G2] and store.count(G1) == len(TERMS)

    def broken_pipe() -> Iterator[tuple]:  # a source's own broken pipe is its error, not the loader's end
        yield (A, P, Literal("stray"))
        raise BrokenPipeError("the source's socket closed")

    with pytest.raises(BrokenPipeError, match="socket closed"):
        store.add_graphs([(G3, broken_pipe())])
    store.clear(G3)
    assert store.names() == [G1, G2] and store.count(G1) == len(TERMS)
    assert store.query(f'ASK {{ <{A}> <{P}> ?o FILTER(STR(?o) IN ("stray", "kept?")) }}').boolean is False


def test_bad_query_is_a_clear_error(store: Store) -> None:
    with pytest.raises(Exception) as info:
        list(store.query("SELECT ?s WHERE { ?s ?p }").rows)
    assert "parse" in str(info.value).lower() or "syntax" in str(info.value).lower() or "expected" in str(info.value).lower() or "400" in str(info.value)


# -- plans in every store ---------------------------------------------------------------

@pytest.fixture(scope="module")
def reference() -> PlanGraph:
    """The bundled plan reasoned by HermiT in memory: what every store must answer."""
    return load(reasoner="hermit")


@pytest.mark.parametrize("kind", KINDS[1:])
def test_every_named_query_gives_the_same_rows_on_every_store(kind: str, reference: PlanGraph, tmp_path: Path,
                                                               running: dict[str, servers.Server]) -> None:
    store = _make(kind, tmp_path, running)
    pg = load(store=store, reasoner="rules")  # the rules inside the store, not HermiT
    assert pg.reasoner == "rules"
    for name, query in library().items():
        assert _rows(pg.query(query)) == _rows(reference.query(query)), f"{name} differs on {kind}"
    pg.close()


def test_a_store_on_disk_knows_its_plans_when_reopened(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    first = load(store=folder)
    expected = _rows(first.query("company-contributions"))
    first.close()
    again = load(store=folder, read_only=True)
    assert again.plan_ids == ["taiyuan"] and again.reasoned and not again.plans  # nothing read again
    assert _rows(again.query("company-contributions")) == expected
    with pytest.raises(StoreError, match="reading only"):
        again.store.update("CLEAR ALL")
    again.close()


def test_loading_the_same_plan_twice_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    with load(store=folder) as pg:
        before = {n: pg.store.count(n) for n in pg.store.names()}
    with load(store=folder, cache=False) as pg:
        pg.add_sources(Path(__file__).parent.parent / "plangraph" / "data" / "taiyuan.yaml")
        assert pg.reasoned and {n: pg.store.count(n) for n in pg.store.names()} == before
        assert pg.plan_ids == ["taiyuan"]


def _hold(folder: str, seconds: float, ready) -> None:  # type: ignore[no-untyped-def]
    store = OxigraphStore(Path(folder))
    store.add([(A, P, Literal("writer one"))], G1)
    ready.set()
    time.sleep(seconds)
    store.close()


def test_two_writers_wait_or_get_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    ready = multiprocessing.get_context("spawn").Event()
    writer = multiprocessing.get_context("spawn").Process(target=_hold, args=(str(folder), 3.0, ready))
    writer.start()
    try:
        assert ready.wait(60)
        with pytest.raises(StoreError, match="another process is using this store"):
            OxigraphStore(folder, wait=0.3)
        with pytest.raises(StoreError, match="another process"):
            OxigraphStore(folder, read_only=True, wait=0.3)
        second = OxigraphStore(folder, wait=30)  # waits for the first writer to finish
        second.add([(A, P, Literal("writer two"))], G1)
        assert second.count(G1) == 2
        second.close()
    finally:
        writer.join(30)
    assert writer.exitcode == 0


def test_what_a_killed_bulk_load_leaves_is_refused_by_readers_and_repaired_by_the_next_writer(tmp_path: Path) -> None:
    from plangraph.graph.iri import GRAPH

    folder = tmp_path / "corpus"
    with load(store=folder) as pg:
        expected = {name: _rows(pg.query(name)) for name in ("company-contributions", "counts-per-class")}
        graphs = pg.store.names()
        # what a process killed in the bulk loader leaves (its batches land in any order): part of
        # a new graph, union triples whose graph never came, and the marker of a running load
        entity = "https://w3id.org/plangraph/id/太钢"
        pg.store.update(f'INSERT DATA {{ GRAPH <{GRAPH["half"]}> {{ <{entity}> <{P}> "half" }} <{entity}> <{P}> "half" . <{entity}> <{P}> "stray" }}')
        (folder / "plangraph.loading").touch()
    with pytest.raises(StoreError, match="interrupted"):
        PlanGraph(folder, read_only=True)
    with PlanGraph(folder) as pg:  # the writer repairs it: the union swept, the half graph dropped
        assert pg.store.names() == graphs and pg.plan_ids == ["taiyuan"] and pg.reasoned
        assert pg.store.query(f"ASK {{ ?s <{P}> ?o }}").boolean is False
        assert {name: _rows(pg.query(name)) for name in expected} == expected
    assert not (folder / "plangraph.loading").exists()


def test_open_store_names_what_it_cannot_open(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="a file, not a store folder"):
        open_store(tmp_path / "file")
    with pytest.raises(StoreError, match="no plangraph store there"):
        open_store(tmp_path / "missing", read_only=True)
    with pytest.raises(StoreError, match="cannot reach the server"):
        SparqlStore.from_url("http://127.0.0.1:9/sparql").query("ASK {}")


def test_trig_export_carries_the_ontology_so_other_engines_answer_alike(reference: PlanGraph) -> None:
    pyoxigraph = pytest.importorskip("pyoxigraph")
    other = pyoxigraph.Store()
    other.load(reference.export(format="trig").encode("utf-8"), format=pyoxigraph.RdfFormat.TRIG)
    assert pyoxigraph.NamedNode(str(ONTOLOGY_GRAPH)) in set(other.named_graphs())
    assert ONTOLOGY_GRAPH.n3() not in reference.export(format="trig", ontology=False)
    from plangraph.graph.oxigraph_store import from_oxigraph

    for name, query in library().items():
        theirs = [tuple(from_oxigraph(s[i]) for i in range(len(s))) for s in other.query(query.text, use_default_graph_as_union=True)]
        assert _rows(theirs) == _rows(reference.query(query)), name
    labels = reference.query("counts-per-class").column("classLabel")
    assert all(labels)


def test_rules_derive_what_hermit_derives(reference: PlanGraph) -> None:
    """On the bundled plan and the test texts, the SPARQL rules inside a store derive exactly
    the triples HermiT (with the property rules) derives."""
    texts = Path(__file__).parent / "texts"
    for sources in [(), (texts,)]:
        hermit = reference if not sources else load(*sources, reasoner="hermit")
        expected = set(hermit.store.graph(INFERRED_GRAPH))
        # SPARQL Update inside Oxigraph, and the same rules in Python for rdflib's memory
        for store in (OxigraphStore(), MemoryStore()):
            rules = load(*sources, store=store, reasoner="rules")
            assert rules.reasoner == "rules" and rules.rules_path == "python"
            assert set(rules.store.graph(INFERRED_GRAPH)) == expected, (sources, store)
        # the same rules as queries inside Oxigraph (a large store's way, a server's)
        store = OxigraphStore()
        load(*sources, store=store, reason=False)
        materialise(store, ontology_graph(), how="store")
        assert set(store.graph(INFERRED_GRAPH)) == expected, sources


def test_the_rules_run_inside_the_store_above_the_size_for_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import plangraph.settings

    texts = sorted((Path(__file__).parent / "texts").glob("*.yaml"))[:2]
    small = load(*texts, store=OxigraphStore(tmp_path / "small"), reasoner="rules")
    monkeypatch.setattr(plangraph.settings, "RULES_IN_MEMORY_MAX_TRIPLES", 1_000)
    large = load(*texts, store=OxigraphStore(tmp_path / "large"), reasoner="rules")
    assert (small.rules_path, large.rules_path) == ("python", "store")
    assert set(large.store.graph(INFERRED_GRAPH)) == set(small.store.graph(INFERRED_GRAPH))
    small.close()
    large.close()


@pytest.mark.parametrize("kind", ["oxigraph-disk", "oxigraph-server"])
def test_rules_after_a_new_plan_start_from_it_and_end_where_a_whole_run_ends(
        kind: str, tmp_path: Path, running: dict[str, servers.Server], monkeypatch: pytest.MonkeyPatch) -> None:
    from plangraph.graph.rules import Rules

    texts = sorted((Path(__file__).parent / "texts").glob("*.yaml"))
    whole = set(load(*texts, store=OxigraphStore(), reasoner="rules").store.graph(INFERRED_GRAPH))
    pg = PlanGraph(store=_make(kind, tmp_path, running))
    pg.add_sources(texts[0])
    pg.reason("rules")
    starts: list[list[URIRef] | None] = []
    run = Rules.run  # watched, not replaced: the real rules run

    def watched(self, update, count, new=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        starts.append(None if new is None else list(new))
        return run(self, update, count, new, *args, **kwargs)

    monkeypatch.setattr(Rules, "run", watched)
    for n, path in enumerate(texts[1:], 1):
        derived = set(pg.store.graph(INFERRED_GRAPH))
        added = pg.add_sources(path)[0]
        assert not pg.reasoned and derived <= set(pg.store.graph(INFERRED_GRAPH))  # a new plan keeps what was derived
        pg.reason("rules")
        assert starts[-1] == [asserted_graph_iri(added.id)]  # the rules start from the new plan alone
        assert pg.reasoned
        pg.reason("rules")  # nothing new: the rules do not run
        assert len(starts) == n
    assert set(pg.store.graph(INFERRED_GRAPH)) == whole
    assert not set(pg.store.names()) & set(SCRATCH_GRAPHS)  # no scratch graph is left
    assert asserted_graph_iri("inferred/new-1") not in SCRATCH_GRAPHS  # no plan's graph is one
    pg.close()


def test_rules_cut_short_after_a_new_plan_are_completed_by_the_next_run(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = sorted((Path(__file__).parent / "texts").glob("*.yaml"))[:2]
    whole = set(load(*texts, store=OxigraphStore(), reasoner="rules").store.graph(INFERRED_GRAPH))
    store = OxigraphStore()
    pg = PlanGraph(store=store)
    pg.add_sources(texts[0])
    pg.reason("rules")
    pg.add_sources(texts[1])
    calls = 0
    derive = store.derive

    def cut_short(*args):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 3:  # the store's own write, then Ctrl-C: a run stopped in its first round
            derive(*args)
            raise KeyboardInterrupt
        return derive(*args)

    monkeypatch.setattr(store, "derive", cut_short)
    with pytest.raises(KeyboardInterrupt):
        pg.reason("rules")
    assert not pg.reasoned
    monkeypatch.setattr(store, "derive", derive)
    pg.reason("rules")
    assert pg.reasoned and set(pg.store.graph(INFERRED_GRAPH)) == whole


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_a_runaway_query_stops_at_its_time_limit_and_the_store_still_answers(kind: str, tmp_path: Path) -> None:
    from plangraph.queries import Limits, QueryLimitError, run

    store = _make(kind, tmp_path, {})
    # n⁴ rows to count: minutes in rdflib; some seconds in Oxigraph, which runs on, abandoned, until done
    n = 300 if kind == "memory" else 75
    store.add([(URIRef(f"urn:test:n{i}"), P, Literal(i)) for i in range(n)], G1)
    start = time.monotonic()
    with pytest.raises(QueryLimitError, match="time limit"):
        run(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", limits=Limits(timeout=1))
    assert time.monotonic() - start < 5
    assert run(store, "ASK { <urn:test:n1> ?p ?o }").boolean is True


@pytest.mark.parametrize("fmt", ["turtle", "nt", "trig", "nquads"])
def test_an_oxigraph_store_exports_with_its_own_serialiser_the_same_triples(fmt: str, reference: PlanGraph, tmp_path: Path) -> None:
    from rdflib import Dataset

    pg = load(store=tmp_path / "s")
    mine, theirs = pg.export(format=fmt), reference.export(format=fmt)
    assert pg.export(format=fmt) == mine  # the same bytes again

    def values(text: str) -> set:
        ds = Dataset()
        ds.parse(data=text, format=fmt)
        return {(g if fmt in ("trig", "nquads") else None, *(_key(t) for t in (s, p, o))) for s, p, o, g in ds.quads()}

    assert values(mine) == values(theirs)
    pg.close()


def test_plans_that_share_entities_give_the_same_rows_in_oxigraph_as_in_memory() -> None:
    """Several plans assert the same triples (a company's label, its type): the store's union
    holds each once, so counts and joins do not multiply by the number of plans."""
    texts = Path(__file__).parent / "texts"
    memory = load(texts, reasoner="rules")
    disk = load(texts, store=OxigraphStore(), reasoner="rules")
    for name, query in library().items():
        assert _rows(disk.query(query)) == _rows(memory.query(query)), name
