"""plangraph serve: the SPARQL 1.1 endpoint, the Graph Store Protocol, the named-query routes,
read by real clients (SPARQLWrapper, rdflib's SPARQLStore, plain HTTP) from a real uvicorn
server on loopback."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.parse
from typing import Iterator

import pytest
from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.plugins.sparql.results.tsvresults import TSVResultParser
from rdflib.query import Result

from plangraph.api import Limits, PlanGraph, load, named_queries
from plangraph.graph.iri import INFERRED_GRAPH, ONTOLOGY_GRAPH, asserted_graph_iri
from plangraph.views.server import ServerConfig

from .serving import http, serving

SD = "http://www.w3.org/ns/sparql-service-description#"


def q(text: str) -> str:
    return urllib.parse.quote(text)


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a pg:Goal }"
GOALS = "SELECT ?goal ?label WHERE { ?goal a pg:Goal ; rdfs:label ?label FILTER(lang(?label) = 'zh') } ORDER BY ?goal"


@pytest.fixture(scope="module")
def endpoint(taiyuan: PlanGraph) -> Iterator[str]:
    with serving(taiyuan.store, ServerConfig(cors=("https://yasgui.example",))) as url:
        yield url


def _goals(taiyuan: PlanGraph) -> list[tuple[str, str]]:
    return [(str(r[0]), str(r[1])) for r in taiyuan.query(GOALS)]


# -- real clients ------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_sparqlwrapper_reads_a_select_in_each_format(endpoint: str, taiyuan: PlanGraph, fmt: str) -> None:
    from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper

    client = SPARQLWrapper(f"{endpoint}/sparql")
    client.setQuery("PREFIX pg: <https://w3id.org/plangraph/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + GOALS)
    client.setReturnFormat({"json": JSON, "xml": XML, "csv": CSV}[fmt])
    converted = client.query().convert()
    if fmt == "json":
        got = [(b["goal"]["value"], b["label"]["value"]) for b in converted["results"]["bindings"]]
    elif fmt == "xml":
        result = Result.parse(io.BytesIO(converted.toxml().encode("utf-8")), format="xml")
        got = [(str(r[0]), str(r[1])) for r in result]
    else:
        got = [tuple(row) for row in list(csv.reader(io.StringIO(converted.decode("utf-8"))))[1:]]
    assert got == _goals(taiyuan) and len(got) >= 3


def test_sparqlwrapper_posts_and_reads_ask_and_construct(endpoint: str, taiyuan: PlanGraph) -> None:
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(f"{endpoint}/sparql")
    client.setMethod(POST)
    client.setQuery("ASK { ?s a <https://w3id.org/plangraph/ontology#Company> }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery("CONSTRUCT { ?g <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE { ?g a pg:Goal ; rdfs:label ?l }")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    expected = {(URIRef(g), Literal(label, lang="zh")) for g, label in _goals(taiyuan)}
    assert expected <= set(graph.subject_objects(RDFS.label))


def test_rdflib_sparqlstore_queries_the_endpoint(endpoint: str, taiyuan: PlanGraph) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    remote = Graph(store=SPARQLStore(f"{endpoint}/sparql", returnFormat="xml"))
    text = ("PREFIX pg: <https://w3id.org/plangraph/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + GOALS)
    got = [(str(r[0]), str(r[1])) for r in remote.query(text)]
    assert got == _goals(taiyuan)
    assert remote.query("ASK { ?s ?p ?o }").askAnswer is True


# -- the protocol by plain HTTP ------------------------------------------------------------------
@pytest.mark.parametrize("accept, parser", [
    ("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"), ("text/tab-separated-values", "tsv"),
])
def test_select_answers_in_the_format_the_accept_header_asks(endpoint: str, taiyuan: PlanGraph, accept: str, parser: str) -> None:
    status, headers, body = http(f"{endpoint}/sparql?query={q(GOALS)}", headers={"Accept": f"image/png;q=0.5, {accept}"})
    assert status == 200 and headers["Content-Type"].startswith(accept)
    if parser == "tsv":
        result = TSVResultParser().parse(io.StringIO(body.decode("utf-8")))
    else:
        result = Result.parse(io.BytesIO(body), format=parser)
    assert [(str(r[0]), str(r[1])) for r in result] == _goals(taiyuan)


@pytest.mark.parametrize("accept, syntax", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
def test_construct_answers_in_the_syntax_the_accept_header_asks(endpoint: str, accept: str, syntax: str) -> None:
    text = "CONSTRUCT { ?g rdfs:label ?l } WHERE { ?g a pg:Goal ; rdfs:label ?l }"
    status, headers, body = http(f"{endpoint}/sparql?query={q(text)}", headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(accept)
    graph = Graph().parse(data=body, format=syntax)
    assert len(graph) >= 3 and {o.language for o in graph.objects()} >= {"zh"}


def test_post_forms_and_direct_queries_and_the_format_parameter(endpoint: str) -> None:
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    status, headers, body = http(f"{endpoint}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
    n = int(body.decode().splitlines()[1])
    assert status == 200 and n >= 3
    status, _, body = http(f"{endpoint}/sparql", COUNT.encode(), {"Content-Type": "application/sparql-query; charset=utf-8"})
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(n)
    status, headers, _ = http(f"{endpoint}/sparql?query={q(COUNT)}&format=tsv", headers={"Accept": "application/json"})
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")


def test_a_format_no_client_can_read_is_refused_before_the_query_runs(endpoint: str) -> None:
    status, _, body = http(f"{endpoint}/sparql?query={q(COUNT)}", headers={"Accept": "image/png"})
    assert status == 406 and b"application/sparql-results+json" in body
    status, _, body = http(f"{endpoint}/sparql?query={q(COUNT)}&format=turtle")
    assert status == 400 and b"json, xml, csv, tsv" in body


def test_the_service_description_lists_the_endpoint_and_the_named_graphs(endpoint: str, taiyuan: PlanGraph) -> None:
    status, headers, body = http(f"{endpoint}/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    sd = Graph().parse(data=body, format="turtle")
    assert (None, URIRef(SD + "endpoint"), URIRef(f"{endpoint}/sparql")) in sd
    assert (None, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in sd
    assert (None, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Update")) not in sd  # read-only
    names = set(sd.objects(None, URIRef(SD + "name")))
    assert {asserted_graph_iri("taiyuan"), INFERRED_GRAPH, ONTOLOGY_GRAPH} <= names
    assert (None, URIRef(SD + "resultFormat"), URIRef("http://www.w3.org/ns/formats/SPARQL_Results_TSV")) in sd


def test_the_graph_store_protocol_reads_each_named_graph_and_the_default(endpoint: str, taiyuan: PlanGraph) -> None:
    plan = asserted_graph_iri("taiyuan")
    status, _, body = http(f"{endpoint}/graph-store?graph={q(str(plan))}", headers={"Accept": "application/n-triples"})
    assert status == 200
    assert set(Graph().parse(data=body, format="nt")) == set(taiyuan.store.graph(plan))
    status, headers, body = http(f"{endpoint}/graph-store?graph={q(str(plan))}", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    status, _, body = http(f"{endpoint}/graph-store?default", headers={"Accept": "text/turtle"})
    union = Graph().parse(data=body, format="turtle")
    assert status == 200 and set(taiyuan.store.graph(plan)) <= set(union) and set(taiyuan.store.graph(INFERRED_GRAPH)) <= set(union)
    assert http(f"{endpoint}/graph-store?graph={q('urn:nothing')}")[0] == 404
    assert http(f"{endpoint}/graph-store")[0] == 400


# -- the named queries --------------------------------------------------------------------------
def test_every_named_query_answers_over_http_as_in_process(endpoint: str, taiyuan: PlanGraph) -> None:
    for name in named_queries():
        status, _, body = http(f"{endpoint}/queries/{name}", headers={"Accept": "text/csv"})
        assert status == 200, (name, body)
        assert body.decode("utf-8") == taiyuan.query(name).to_csv(), name


def test_a_named_query_takes_its_parameters_by_label(endpoint: str, taiyuan: PlanGraph) -> None:
    status, _, body = http(f"{endpoint}/queries/company-contributions?company={q('太钢')}", headers={"Accept": "application/json"})
    goals = {b["goalLabel"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert status == 200 and goals == set(taiyuan.query("company-contributions", company="太钢").column("goalLabel"))
    status, _, body = http(f"{endpoint}/queries/company-contributions?company={q('太钢厂')}")
    assert status == 400 and "太钢" in body.decode() and "nearest labels" in body.decode()
    status, _, body = http(f"{endpoint}/queries/company-contributions?year=2025")
    assert status == 400 and b"no parameter 'year'" in body
    assert http(f"{endpoint}/queries/no-such-query")[0] == 404


def test_a_download_names_its_file(endpoint: str) -> None:
    status, headers, _ = http(f"{endpoint}/queries/goals-targets?format=csv&download=1")
    assert status == 200 and headers["Content-Disposition"] == 'attachment; filename="goals-targets.csv"'


def test_the_openapi_description_has_a_route_per_named_query(endpoint: str) -> None:
    status, _, body = http(f"{endpoint}/openapi.json")
    doc = json.loads(body)
    assert status == 200 and doc["openapi"].startswith("3.1")
    for name, query in named_queries().items():
        listed = [p["name"] for p in doc["paths"][f"/queries/{name}"]["get"]["parameters"]]
        assert listed == [p.name for p in query.params] + ["format"]
    listing = json.loads(http(f"{endpoint}/queries")[2])
    assert [entry["name"] for entry in listing] == list(named_queries())


# -- what the server refuses ---------------------------------------------------------------------
def test_a_malformed_query_gets_400_with_the_parsers_message(endpoint: str) -> None:
    status, headers, body = http(f"{endpoint}/sparql?query={q('SELECT ?s WHERE { ?s ?p }')}")
    assert status == 400 and headers["Content-Type"].startswith("text/plain") and b"line:1" in body


@pytest.mark.parametrize("text, word", [
    ("SELECT * FROM <http://example.org/data> WHERE { ?s ?p ?o }", b"FROM"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", b"SERVICE"),
])
def test_a_query_cannot_make_the_server_fetch_anything(endpoint: str, text: str, word: bytes) -> None:
    status, _, body = http(f"{endpoint}/sparql?query={q(text)}")
    assert status == 400 and word in body


def test_a_read_only_server_refuses_updates_and_graph_writes(endpoint: str, taiyuan: PlanGraph) -> None:
    before = taiyuan.store.count()
    status, _, body = http(f"{endpoint}/sparql", b"CLEAR ALL", {"Content-Type": "application/sparql-update", "Authorization": "Bearer x"})
    assert status == 403 and b"read-only" in body
    status, _, _ = http(f"{endpoint}/graph-store?graph={q('urn:g')}", b"<urn:a> <urn:b> <urn:c> .", {"Content-Type": "application/n-triples"}, "PUT")
    assert status == 403
    assert http(f"{endpoint}/sparql?update={q('CLEAR ALL')}")[0] == 400
    assert taiyuan.store.count() == before


def test_cors_lets_the_configured_origin_in(endpoint: str) -> None:
    _, headers, _ = http(f"{endpoint}/sparql?query={q(COUNT)}", headers={"Origin": "https://yasgui.example"})
    assert headers["Access-Control-Allow-Origin"] == "https://yasgui.example"
    _, headers, _ = http(f"{endpoint}/sparql?query={q(COUNT)}", headers={"Origin": "https://elsewhere.example"})
    assert "Access-Control-Allow-Origin" not in headers


def test_updates_need_the_servers_token(taiyuan: PlanGraph) -> None:
    pg = load(reason=False)
    with serving(pg.store, ServerConfig(token="s3cret")) as url:
        insert = b'INSERT DATA { GRAPH <urn:notes> { <urn:a> <http://www.w3.org/2000/01/rdf-schema#label> "note" } }'
        for auth in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic s3cret"}):
            status, headers, _ = http(f"{url}/update", insert, {"Content-Type": "application/sparql-update", **auth})
            assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
        assert pg.store.count(URIRef("urn:notes")) == 0
        status, _, _ = http(f"{url}/update", insert, {"Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret"})
        assert status == 204 and pg.store.count(URIRef("urn:notes")) == 1
        status, _, body = http(f"{url}/update", b"INSERT DATA { <urn:a> }", {"Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret"})
        assert status == 400 and b"not valid SPARQL Update" in body
        # the Graph Store Protocol's writes, with the token
        graph = q("urn:written")
        auth = {"Authorization": "Bearer s3cret", "Content-Type": "text/turtle"}
        assert http(f"{url}/graph-store?graph={graph}", b"<urn:a> <urn:b> <urn:c> .", auth, "PUT")[0] == 201
        assert http(f"{url}/graph-store?graph={graph}", b"<urn:a> <urn:b> <urn:d> .", auth, "POST")[0] == 204
        assert pg.store.count(URIRef("urn:written")) == 2
        status, _, body = http(f"{url}/graph-store?graph={graph}", b"<urn:a> <urn:b> .", auth, "PUT")
        assert status == 400 and b"turtle" in body and pg.store.count(URIRef("urn:written")) == 2  # the old graph stays
        assert http(f"{url}/graph-store?graph={graph}", None, auth, "DELETE")[0] == 204
        assert pg.store.count(URIRef("urn:written")) == 0
        status, _, body = http(f"{url}/sparql", headers={"Accept": "application/n-triples"})
        assert (None, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Update")) in Graph().parse(data=body, format="nt")


def test_a_request_body_past_the_bound_is_refused(taiyuan: PlanGraph) -> None:
    with serving(taiyuan.store, ServerConfig(max_body=1000)) as url:
        big = ("SELECT * WHERE { ?s ?p ?o } # " + "x" * 2000).encode()
        status, _, body = http(f"{url}/sparql", big, {"Content-Type": "application/sparql-query"})
        assert status == 413 and b"1,000" in body
        assert http(f"{url}/sparql", COUNT.encode(), {"Content-Type": "application/sparql-query"})[0] == 200


def test_the_row_limit_is_an_error_not_a_short_answer(taiyuan: PlanGraph) -> None:
    with serving(taiyuan.store, ServerConfig(limits=Limits(timeout=30, max_rows=10))) as url:
        status, headers, body = http(f"{url}/sparql?query={q('SELECT * WHERE { ?s ?p ?o }')}")
        assert status == 503 and headers["X-Plangraph-Limit"] == "rows" and b"more than 10 rows" in body
        assert http(f"{url}/graph-store?graph={q(str(asserted_graph_iri('taiyuan')))}")[0] == 503
        assert http(f"{url}/sparql?query={q(COUNT)}")[0] == 200


def test_a_query_past_its_time_is_stopped_while_others_are_answered(taiyuan: PlanGraph) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 3,000³ rows: hours in rdflib
    with serving(taiyuan.store, ServerConfig(limits=Limits(timeout=2, max_rows=1000))) as url:
        answer: dict[str, object] = {}

        def ask_slow() -> None:
            start = time.perf_counter()
            answer["status"], answer["headers"], answer["body"] = http(f"{url}/sparql?query={q(slow)}")
            answer["took"] = time.perf_counter() - start

        thread = threading.Thread(target=ask_slow)
        thread.start()
        time.sleep(0.3)
        start = time.perf_counter()
        status, _, _ = http(f"{url}/queries/goals-targets", headers={"Accept": "text/csv"})
        quick = time.perf_counter() - start
        thread.join(30)
        assert status == 200 and quick < 2
        assert answer["status"] == 503 and answer["headers"]["X-Plangraph-Limit"] == "time"  # type: ignore[index]
        assert 2 <= answer["took"] < 10  # type: ignore[operator]


# -- over the on-disk store ----------------------------------------------------------------
def test_an_on_disk_store_answers_every_named_query_as_in_process(tmp_path) -> None:
    folder = tmp_path / "store"
    load(store=folder).close()
    pg = PlanGraph(folder, read_only=True)
    try:
        with serving(pg.store) as url:
            for name in named_queries():
                status, _, body = http(f"{url}/queries/{name}", headers={"Accept": "text/csv"})
                assert status == 200 and body.decode("utf-8") == pg.query(name).to_csv(), name
    finally:
        pg.close()


def test_an_answer_is_kept_for_the_next_identical_request_until_a_write() -> None:
    pg = load(reason=False)
    with serving(pg.store, ServerConfig(token="t")) as url:
        ask = f"{url}/sparql?query={q('SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:notes> { ?s ?p ?o } }')}&format=csv"
        first, second = http(ask), http(ask)
        assert first[1]["X-Plangraph-Cache"] == "miss" and second[1]["X-Plangraph-Cache"] == "hit" and first[2] == second[2]
        assert http(f"{ask[:-3]}tsv")[1]["X-Plangraph-Cache"] == "miss"  # another format, another answer
        insert = b'INSERT DATA { GRAPH <urn:notes> { <urn:a> <urn:b> "c" } }'
        assert http(f"{url}/update", insert, {"Content-Type": "application/sparql-update", "Authorization": "Bearer t"})[0] == 204
        status, headers, body = http(ask)
        assert headers["X-Plangraph-Cache"] == "miss" and body.decode().split() == ["n", "1"]
    with serving(pg.store, ServerConfig(cache_answers=0)) as url:
        assert http(f"{url}/queries/goals-targets")[1]["X-Plangraph-Cache"] == "miss"
        assert http(f"{url}/queries/goals-targets")[1]["X-Plangraph-Cache"] == "miss"


def test_many_first_requests_at_once_are_all_answered(taiyuan: PlanGraph) -> None:
    # rdflib's SPARQL grammar breaks for good when two threads parse at once: parses are serialised
    texts = [f"SELECT ?s WHERE {{ ?s a pg:Goal ; rdfs:label ?l FILTER(STRLEN(?l) > {i}) }} LIMIT {i + 1}" for i in range(24)]
    with serving(taiyuan.store) as url:
        results: list[int] = []

        def ask(text: str) -> None:
            results.append(http(f"{url}/sparql?query={q(text)}")[0])

        threads = [threading.Thread(target=ask, args=(t,)) for t in texts]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert results == [200] * len(texts)
        assert http(f"{url}/queries/goals-targets")[0] == 200


def test_on_disk_a_query_past_its_time_is_stopped_in_its_worker(tmp_path) -> None:
    from plangraph.graph.worker_store import WorkerStore

    folder = tmp_path / "store"
    load(store=folder).close()
    pg = PlanGraph(folder, read_only=True)
    store = WorkerStore(pg.store, workers=2)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 3,000³ rows: hours in Oxigraph too
    try:
        before = {w.process.pid for w in store._all}
        with serving(store, ServerConfig(limits=Limits(timeout=2, max_rows=1000))) as url:
            answer: dict[str, object] = {}

            def ask_slow() -> None:
                start = time.perf_counter()
                answer["status"], answer["headers"], _ = http(f"{url}/sparql?query={q(slow)}")
                answer["took"] = time.perf_counter() - start

            thread = threading.Thread(target=ask_slow)
            thread.start()
            time.sleep(0.3)
            status, _, body = http(f"{url}/queries/goals-targets", headers={"Accept": "text/csv"})
            assert status == 200 and body.decode("utf-8") == pg.query("goals-targets").to_csv()
            thread.join(30)
            assert answer["status"] == 503 and answer["headers"]["X-Plangraph-Limit"] == "time"  # type: ignore[index]
            assert answer["took"] < 6  # type: ignore[operator]
            deadline = time.monotonic() + 20
            while len(store._all) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
            after = {w.process.pid for w in store._all}
            assert len(after) == 2 and len(before - after) == 1  # the worker that ran it was killed, another started
            assert http(f"{url}/sparql?query={q(COUNT)}&format=csv")[0] == 200
    finally:
        store.close()
        pg.close()


def test_workers_past_their_limit_again_and_again_and_queries_queued_behind_them(tmp_path) -> None:
    from plangraph.graph.worker_store import WorkerStore

    folder = tmp_path / "store"
    load(store=folder).close()
    pg = PlanGraph(folder, read_only=True)
    store = WorkerStore(pg.store, workers=1)
    slow = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    try:
        with serving(store, ServerConfig(limits=Limits(timeout=1.5, max_rows=100_000_000), cache_answers=0)) as url:
            for _ in range(3):  # the one worker killed each time, and the next query still answered
                statuses: list[int] = []
                threads = [threading.Thread(target=lambda: statuses.append(http(f"{url}/sparql?query={q(slow)}")[0]))]
                threads.append(threading.Thread(target=lambda: statuses.append(http(f"{url}/sparql?query={q(COUNT)}")[0])))
                for t in threads:
                    t.start()
                    time.sleep(0.2)
                for t in threads:
                    t.join(30)
                assert sorted(statuses)[-1] == 503 and set(statuses) <= {200, 503}  # the queued one may wait past its limit
                start = time.monotonic()
                while time.monotonic() - start < 20:
                    status = http(f"{url}/sparql?query={q(COUNT)}")[0]
                    if status == 200:
                        break
                    time.sleep(0.2)
                assert status == 200 and len(store._all) == 1
    finally:
        store.close()
        pg.close()


def test_a_store_on_a_sparql_server_is_served_as_it_answers(tmp_path) -> None:
    """plangraph serve in front of the Oxigraph server: the same rows as asking the server through
    the store in process, and no answers kept (others may write the server)."""
    from . import servers

    if not servers.have_oxigraph():
        pytest.skip(f"the Oxigraph server is not installed here ({servers.skip_reason().get('oxigraph')})")
    from plangraph.graph.sparql_store import SparqlStore

    with servers.oxigraph_server(tmp_path / "oxigraph") as server:
        store = SparqlStore(server.query_url, server.update_url, server.graph_store_url, server.auth, layout=server.name)
        pg = load(store=store, cache=False)
        try:
            with serving(pg.store, ServerConfig(cache_answers=0)) as url:
                for name in ("goals-targets", "company-contributions", "task-tree"):
                    status, headers, body = http(f"{url}/queries/{name}", headers={"Accept": "text/csv"})
                    assert status == 200 and body.decode("utf-8") == pg.query(name).to_csv(), name
                entity = json.loads(http(f"{url}/api/entity?iri={q('太钢')}")[2])
                assert entity["labels"]["zh"] == "太钢" and entity["plans"]
        finally:
            pg.close()


def _serve_command(*args: str, env: dict[str, str] | None = None):
    import os
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-m", "plangraph", "serve", "--port", "0", *args], stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **(env or {})})


def test_the_serve_command_serves_until_terminated() -> None:
    import signal

    proc = _serve_command("--allow-updates", env={"PLANGRAPH_TOKEN": "tok"})
    try:
        assert proc.stderr is not None
        line = ""
        for line in proc.stderr:
            if "serving" in line:
                break
        assert "updates with the token" in line
        url = line.split(" at ", 1)[1].split("/ ", 1)[0]
        assert http(f"{url}/queries/goals-targets")[0] == 200
        insert = b'INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> "c" } }'
        assert http(f"{url}/update", insert, {"Content-Type": "application/sparql-update", "Authorization": "Bearer tok"})[0] == 204
        status, _, body = http(f"{url}/explorer-is-at-the-root")
        assert status == 404
        assert http(f"{url}/")[2].startswith(b"<!DOCTYPE html>")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_updates_without_a_token_in_the_environment_are_refused_at_start() -> None:
    proc = _serve_command("--allow-updates", env={"PLANGRAPH_TOKEN": ""})
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "PLANGRAPH_TOKEN" in err


def test_another_triplestore_federates_a_query_through_the_endpoint(tmp_path, endpoint: str, taiyuan: PlanGraph) -> None:
    """The Oxigraph server runs a SERVICE clause against plangraph's endpoint."""
    from . import servers

    if not servers.have_oxigraph():
        pytest.skip(f"the Oxigraph server is not installed here ({servers.skip_reason().get('oxigraph')})")
    with servers.oxigraph_server(tmp_path / "oxigraph") as server:
        text = f"SELECT ?goal WHERE {{ SERVICE <{endpoint}/sparql> {{ ?goal a <https://w3id.org/plangraph/ontology#Goal> }} }} ORDER BY ?goal"
        status, _, body = http(f"{server.query_url}?query={q(text)}", headers={"Accept": "application/sparql-results+json"})
        got = [b["goal"]["value"] for b in json.loads(body)["results"]["bindings"]]
        assert status == 200 and got == [goal for goal, _ in _goals(taiyuan)]


@pytest.mark.parametrize("update, word", [
    ("LOAD <file:///etc/hostname>", b"LOAD"),
    ("LOAD <http://127.0.0.1:9/data.nt> INTO GRAPH <urn:g>", b"LOAD"),
    ("INSERT { ?s ?p ?o } USING <http://example.org/g> WHERE { ?s ?p ?o }", b"USING"),
    ("DELETE { ?s ?p ?o } WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", b"SERVICE"),
])
def test_an_update_cannot_make_the_server_fetch_or_read_anything(update: str, word: bytes) -> None:
    pg = load(reason=False)
    before = pg.store.count()
    with serving(pg.store, ServerConfig(token="t")) as url:
        status, _, body = http(f"{url}/update", update.encode(), {"Content-Type": "application/sparql-update", "Authorization": "Bearer t"})
        assert status == 400 and word in body
    assert pg.store.count() == before


def test_protocol_edges_head_the_update_endpoint_chunked_bodies_and_long_texts(endpoint: str, taiyuan: PlanGraph) -> None:
    status, headers, body = http(f"{endpoint}/sparql?query={q(COUNT)}", method="HEAD")
    assert status == 200 and body == b"" and headers["Content-Type"].startswith("application/sparql-results+json")
    assert http(f"{endpoint}/sparql", method="HEAD")[0] == 200  # the service description
    status, _, body = http(f"{endpoint}/update", COUNT.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 400 and b"/sparql" in body
    long = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 70_000
    status, _, body = http(f"{endpoint}/sparql", long.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 413 and b"characters" in body
    # a chunked body past the bound (no Content-Length to refuse it by)
    from http.client import HTTPConnection
    from urllib.parse import urlsplit

    where = urlsplit(endpoint)
    conn = HTTPConnection(where.hostname, where.port, timeout=30)
    conn.request("POST", "/sparql", body=iter([b"SELECT * WHERE { ?s ?p ?o } #" + b"y" * 600_000] * 3),
                 headers={"Content-Type": "application/sparql-query"}, encode_chunked=True)
    response = conn.getresponse()
    assert response.status == 413
    conn.close()


def test_sparqlwrapper_reads_a_construct_in_its_default_format(endpoint: str) -> None:
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(f"{endpoint}/sparql")
    client.setQuery("CONSTRUCT { ?g a <https://w3id.org/plangraph/ontology#Goal> } WHERE { ?g a pg:Goal }")
    graph = client.query().convert()  # RDF/XML, parsed by SPARQLWrapper into an rdflib graph
    assert len(graph) >= 3


def test_queries_left_running_in_the_engine_hold_off_new_ones(tmp_path) -> None:
    """A writable on-disk store answers in the server's process: a query past its limit runs on in
    Oxigraph, and while as many as half the cores' worth do, new queries are refused, not piled on."""
    pg = load(store=tmp_path / "store")  # writable: no workers
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # 9 million rows counted: about a second
    try:
        with serving(pg.store, ServerConfig(limits=Limits(timeout=0.2, max_rows=1000), token="t", cache_answers=0, max_left_running=1)) as url:
            server_busy = []
            first = http(f"{url}/sparql?query={q(count)}")
            assert first[0] == 503 and first[1]["X-Plangraph-Limit"] == "time"
            server_busy.append(http(f"{url}/sparql?query={q(COUNT)}"))
            assert server_busy[0][0] == 503 and b"still running" in server_busy[0][2]
            deadline = time.monotonic() + 30
            while http(f"{url}/sparql?query={q(COUNT)}")[0] != 200:
                assert time.monotonic() < deadline
                time.sleep(0.2)
    finally:
        pg.close()


def test_the_check_reads_a_text_as_the_store_runs_it(tmp_path) -> None:
    """rdflib checks what Oxigraph runs: a bare carriage return (which ends a comment for Oxigraph,
    not for rdflib) or an escaped quote must not hide a SERVICE or a LOAD from the check."""
    from plangraph.graph.worker_store import WorkerStore

    folder = tmp_path / "store"
    load(store=folder).close()
    pg = PlanGraph(folder, read_only=True)
    store = WorkerStore(pg.store, workers=1)
    try:
        with serving(store) as url:
            hidden = "SELECT * WHERE { # \r SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o }\n}"
            status, _, body = http(f"{url}/sparql", hidden.encode(), {"Content-Type": "application/sparql-query"})
            assert status == 400 and b"SERVICE" in body
    finally:
        store.close()
        pg.close()
    writable = load(store=tmp_path / "writable")
    try:
        with serving(writable.store, ServerConfig(token="t")) as url:
            auth = {"Content-Type": "application/sparql-update", "Authorization": "Bearer t"}
            status, _, body = http(f"{url}/update", b"INSERT DATA { <urn:a> <urn:b> <urn:c> } # \r ; LOAD <http://127.0.0.1:9/x>", auth)
            assert status == 400 and b"LOAD" in body
            # the escape read as the standard reads it (a quote): the LOAD after it is in a comment, for both engines
            status, _, _ = http(f"{url}/update", b'INSERT DATA { <urn:a> <urn:b> "x\\u0022 } # " } ; LOAD <http://127.0.0.1:9/x>', auth)
            assert status == 204 and writable.store.count() > 0
    finally:
        writable.close()
