"""The web server over a store: a SPARQL 1.1 endpoint (the Query and Update protocols, the
Graph Store Protocol's reads and writes), the named queries as routes of their own with an
OpenAPI description, and the explorer's pages. A Starlette application; ``plangraph serve``
runs it with uvicorn.

It is read-only unless started with a bearer token, and then writes only for requests that
carry it. Every query runs within the configured time and row limits (past one: 503 with a
message, never a shortened answer), in a worker thread, so a slow query does not hold up the
others. Request bodies are bounded. A query may not make the server fetch anything: ``FROM``,
``FROM NAMED`` and ``SERVICE`` are refused.
"""

from __future__ import annotations

import hmac
import json
import os
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Mapping
from urllib.parse import parse_qs

from rdflib import Graph, URIRef
from rdflib.term import Identifier
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ...graph.bindings import query_form
from ...graph.sparql_parser import algebra_nodes
from ...graph.store import Store, StoreError
from ...queries import Limits, NamedQuery, QueryError, QueryLimitError, Rows, library, parse, resolve, run
from ...queries.limits import still_running, time_limit
from . import explorer
from ..output import ANSWER_SUFFIXES
from .answers import AnswerCache
from .description import openapi, service_description
from .locks import ReadWriteLock
from .negotiation import GRAPH_TYPES, RESULT_TYPES, choose, format_named, media_type

__all__ = ["ServerConfig", "make_app", "HTTPProblem"]

#: The request bodies the Graph Store Protocol's writes read, by media type (rdflib's parser names).
#: JSON-LD and RDF/XML are not read: their parsers may fetch contexts and entities from the network.
#: The explorer's own pages: scripts and styles from this server only, data never run as code.
_EXPLORER_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
                    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
#: A graph view is the page `plangraph viz` writes, self-contained: its inline script and styles, nothing from elsewhere.
_VIEW_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
                "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox allow-scripts")
_STATIC = {"explorer.js": "text/javascript; charset=utf-8", "explorer.css": "text/css; charset=utf-8"}
_WRITABLE_SYNTAXES = {"text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "nt", "text/plain": "nt"}


@dataclass(frozen=True)
class ServerConfig:
    """How the server runs: query limits, the largest request body, the bearer token that
    enables updates (None: read-only), the origins allowed to call it from a browser (CORS)."""

    limits: Limits = field(default_factory=Limits)
    max_body: int = 1 << 20
    token: str | None = None
    cors: tuple[str, ...] = ()
    version: str = ""
    #: how many answers to keep for identical requests (0: none; keep 0 for a store others write)
    cache_answers: int = 256
    #: the longest query or update text, in characters (rdflib's parser takes seconds on long texts, and one at a time)
    max_query: int = 65_536
    #: queries past their limit left running in an engine Python cannot stop, before new ones are refused (None: half the cores)
    max_left_running: int | None = None

    @property
    def updates(self) -> bool:
        return bool(self.token)


class HTTPProblem(Exception):
    """A request the server answers with an error status and a plain-text message."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def _problem_response(problem: HTTPProblem) -> Response:
    return PlainTextResponse(problem.message + "\n", status_code=problem.status, headers=problem.headers)


def _limit_problem(exc: QueryLimitError) -> HTTPProblem:
    # the CLI's advice (--timeout, --max-rows) is `plangraph serve`'s flags too
    return HTTPProblem(503, str(exc), {"X-Plangraph-Limit": exc.limit})


class _Server:
    """What the routes share: the store, the settings, the lock between queries and updates."""

    def __init__(self, store: Store, config: ServerConfig):
        self.store = store
        self.config = config
        self.lock = ReadWriteLock()
        self.queries: dict[str, NamedQuery] = library()
        self.answers = AnswerCache(config.cache_answers)
        #: queries past their limit that an engine Python cannot stop may keep this many cores busy
        self.busy_limit = config.max_left_running or max(1, (os.cpu_count() or 2) // 2)

    async def cached(self, key: tuple, make: Callable[[], bytes]) -> tuple[bytes, bool]:
        """The body ``make()`` writes (in a worker thread), or the one kept for ``key``; and whether it was kept."""
        body = self.answers.get(key)
        if body is not None:
            return body, True
        generation = self.answers.generation()
        body = await run_in_threadpool(make)
        self.answers.put(key, body, generation)
        return body, False

    # -- running -------------------------------------------------------------
    def parse_query(self, text: str) -> NamedQuery:
        """SPARQL text checked to parse and to need nothing from the network."""
        if not text.strip():
            raise HTTPProblem(400, "the query is empty")
        self.check_length(text, "query")
        q = parse(canonical(text), "query")
        try:
            prepared = q.prepared()
        except QueryError as exc:
            raise HTTPProblem(400, str(exc).replace("query: ", "", 1)) from None
        if getattr(prepared.algebra, "datasetClause", None):
            raise HTTPProblem(400, "FROM and FROM NAMED are not supported here: the default graph is the union of the "
                                   "store's graphs; name one with GRAPH <…> { … }")
        if _uses_service(prepared.algebra):
            raise HTTPProblem(400, "SERVICE is not allowed here: this server fetches nothing from elsewhere")
        return q

    def check_length(self, text: str, what: str) -> None:
        if len(text) > self.config.max_query:
            raise HTTPProblem(413, f"the {what} is {len(text):,} characters long, more than this server reads ({self.config.max_query:,})")

    def answer(self, q: NamedQuery, params: Mapping[str, str | Identifier]) -> Rows:
        """In a worker thread: the query answered under the read lock."""
        with self.lock.reading():
            return self.answer_locked(q, params)

    def answer_locked(self, q: NamedQuery, params: Mapping[str, str | Identifier]) -> Rows:
        """:meth:`answer` for a caller that holds the read lock already (taking it twice could wait
        behind a writer that waits for this reader)."""
        engine_bound = not getattr(self.store, "interruptible", True) and not getattr(self.store, "keeps_limits", False)
        if engine_bound and still_running() >= self.busy_limit:
            raise HTTPProblem(503, f"{still_running()} queries past their time limit are still running in the engine, "
                                   "which cannot stop them; try again when they have finished", {"Retry-After": "30"})
        try:
            bindings = resolve(self.store, q, params)
        except QueryLimitError as exc:
            raise _limit_problem(exc) from None
        except QueryError as exc:
            raise HTTPProblem(400, str(exc)) from None
        try:
            return run(self.store, q, bindings, limits=self.config.limits)
        except QueryLimitError as exc:
            raise _limit_problem(exc) from None
        except QueryError as exc:
            raise HTTPProblem(500, str(exc)) from None

    def update(self, text: str) -> None:
        self.check_length(text, "update")
        text = canonical(text)  # what is checked is what runs
        _check_update(text)
        with self.lock.writing():
            try:
                self.answers.clear()
                self.store.update(text)
            except (SyntaxError, ValueError) as exc:
                raise HTTPProblem(400, f"not valid SPARQL Update: {exc}") from None
            except StoreError as exc:
                raise HTTPProblem(500, str(exc)) from None

    # -- requests ------------------------------------------------------------
    def authorise(self, request: Request) -> None:
        """Let a write through only on a server started with a token, and with that token."""
        if not self.config.updates:
            raise HTTPProblem(403, "this server is read-only: start it with `plangraph serve --allow-updates` "
                                   "(and PLANGRAPH_TOKEN set) to accept updates")
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self.config.token.encode()):  # type: ignore[union-attr]
            raise HTTPProblem(401, "an update needs the server's token: send Authorization: Bearer TOKEN",
                              {"WWW-Authenticate": 'Bearer realm="plangraph"'})

    async def body(self, request: Request) -> bytes:
        """The request's body, refused past the configured size before more of it is read."""
        declared = request.headers.get("content-length")
        limit = self.config.max_body
        if declared and declared.isdigit() and int(declared) > limit:
            raise HTTPProblem(413, f"the request body is {int(declared):,} bytes, more than this server reads ({limit:,})")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise HTTPProblem(413, f"the request body is more than this server reads ({limit:,} bytes)")
            chunks.append(chunk)
        return b"".join(chunks)

    def pick(self, request: Request, form: str | None, given: str | None = None) -> str:
        """The format of an answer of the query form ``form``: the ``format`` parameter's, else the Accept header's."""
        offered = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
        given = given if given is not None else (request.query_params.get("format") or request.query_params.get("output"))
        if given:
            name = format_named(given, offered)
            if name is None:
                raise HTTPProblem(400, f"format {given!r}: a {form or 'SELECT'} answer is written as one of {', '.join(offered)}")
            return name
        name = choose(request.headers.get("accept"), offered)
        if name is None:
            kinds = ", ".join(t for types in offered.values() for t in types[:1])
            raise HTTPProblem(406, f"none of the formats the Accept header names; a {form or 'SELECT'} answer is written as {kinds}")
        return name


def canonical(text: str) -> str:
    """SPARQL text as every engine reads it alike: line breaks as ``\\n`` and ``\\u``/``\\U``
    escapes expanded, as the standard says they are before parsing. rdflib checks what a store
    runs; where they read a text differently (a bare carriage return ending a comment for Oxigraph
    and not for rdflib, an escaped quote), a check could pass what the store then does.

    >>> canonical("SELECT * { # x\\r SERVICE <urn:s> { } }\\r\\n")
    'SELECT * { # x\\n SERVICE <urn:s> { } }\\n'
    """
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    return expandUnicodeEscapes(text.replace("\r\n", "\n").replace("\r", "\n"))


def _check_update(text: str) -> None:
    """Refuse an update that would make the server fetch anything (LOAD, USING, SERVICE) or that does not parse."""
    from ...graph.sparql_parser import prepare_update

    if not text.strip():
        raise HTTPProblem(400, "the update is empty")
    try:
        parsed = prepare_update(text)
    except Exception as exc:  # pyparsing's own exception types: the message names the place
        raise HTTPProblem(400, f"not valid SPARQL Update: {exc}") from None

    for node in algebra_nodes(parsed.algebra):
        if node.name == "Load":
            raise HTTPProblem(400, "LOAD is not allowed here: this server fetches nothing from elsewhere (send the data with "
                                   "the Graph Store Protocol: PUT /graph-store?graph=IRI)")
        if node.name == "ServiceGraphPattern":
            raise HTTPProblem(400, "SERVICE is not allowed here: this server fetches nothing from elsewhere")
        if "using" in node and dict.__getitem__(node, "using"):
            raise HTTPProblem(400, "USING and USING NAMED are not supported here: name a graph with GRAPH <…> { … }")


def _uses_service(algebra: object) -> bool:
    return any(node.name == "ServiceGraphPattern" for node in algebra_nodes(algebra))


def _reply(body: bytes, fmt: str, kept: bool, filename: str | None = None) -> Response:
    headers = {"Vary": "Accept", "X-Plangraph-Cache": "hit" if kept else "miss"}
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}{ANSWER_SUFFIXES[fmt]}"'
    return Response(body, media_type=media_type(fmt), headers=headers)


def _static(name: str) -> bytes:
    from importlib import resources

    return (resources.files("plangraph") / "views" / "server" / "static" / name).read_bytes()


def _first(values: Mapping[str, list[str]], name: str) -> str | None:
    got = values.get(name)
    return got[0] if got else None


def make_app(store: Store, config: ServerConfig | None = None) -> Starlette:
    """The server's Starlette application over ``store``.

    >>> from plangraph.graph.store import open_store
    >>> app = make_app(open_store("memory"))
    >>> sorted(r.path for r in app.routes)[:3]
    ['/', '/api/complete', '/api/entity']
    """
    config = config or ServerConfig()
    server = _Server(store, config)

    def handled(endpoint: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        async def wrapped(request: Request) -> Response:
            try:
                response = await endpoint(request)
            except HTTPProblem as problem:
                response = _problem_response(problem)
            except Exception as exc:  # a fault of the server's: still one line, said plainly
                response = _problem_response(HTTPProblem(500, f"unexpected {type(exc).__name__}: {exc}"))
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            return response

        wrapped.__name__ = endpoint.__name__
        return wrapped

    async def query_answer(request: Request, q: NamedQuery, params: Mapping[str, str], given: str | None = None,
                           filename: str | None = None) -> Response:
        fmt = server.pick(request, query_form(q.text), given)  # 406 before the query runs
        key = ("query", q.text, tuple(sorted(params.items())), fmt)
        body, kept = await server.cached(key, lambda: server.answer(q, params).formatted(fmt).encode("utf-8"))
        return _reply(body, fmt, kept, filename)

    async def sparql(request: Request) -> Response:
        if request.method in ("GET", "HEAD"):
            values = {k: request.query_params.getlist(k) for k in request.query_params.keys()}
            if "update" in values:
                raise HTTPProblem(400, "an update is sent by POST")
        else:
            body = await server.body(request)
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise HTTPProblem(400, "the request body is not UTF-8") from None
            if kind == "application/x-www-form-urlencoded":
                values = parse_qs(text, keep_blank_values=True)
            elif kind == "application/sparql-query":
                values = {"query": [text]}
            elif kind == "application/sparql-update":
                values = {"update": [text]}
            else:
                raise HTTPProblem(415, "send a query as application/sparql-query or a form (application/x-www-form-urlencoded), "
                                       "an update as application/sparql-update or a form")
            for k, v in request.query_params.multi_items():
                values.setdefault(k, []).append(v)
        for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
            if values.get(name):
                raise HTTPProblem(400, f"{name} is not supported here: the default graph is the union of the store's graphs; "
                                       "name one with GRAPH <…> { … }")
        if "update" in values:
            if len(values["update"]) > 1 or "query" in values:
                raise HTTPProblem(400, "give one update, and no query beside it")
            server.authorise(request)
            await run_in_threadpool(server.update, values["update"][0])
            return Response(status_code=204)
        if request.url.path.endswith("/update"):
            raise HTTPProblem(400, "this is the update endpoint: send a query to /sparql")
        queries = values.get("query")
        if not queries:
            if request.method in ("GET", "HEAD"):
                return await description(request)
            raise HTTPProblem(400, "give a query (or an update)")
        if len(queries) > 1:
            raise HTTPProblem(400, "give one query")
        q = await run_in_threadpool(server.parse_query, queries[0])
        return await query_answer(request, q, {}, given=_first(values, "format") or _first(values, "output"))

    async def update(request: Request) -> Response:
        if request.method != "POST":
            raise HTTPProblem(405, "an update is sent by POST", {"Allow": "POST"})
        return await sparql(request)

    async def description(request: Request) -> Response:
        fmt = server.pick(request, "CONSTRUCT")

        def build() -> bytes:
            with server.lock.reading():
                sizes = {name: store.count(name) for name in store.names()}
            graph = service_description(str(request.url_for("sparql")), sizes, config.updates)
            return graph.serialize(format="xml" if fmt == "rdf-xml" else fmt, encoding="utf-8")

        return Response(await run_in_threadpool(build), media_type=media_type(fmt), headers={"Vary": "Accept"})

    def graph_name(request: Request) -> URIRef | None:
        params = request.query_params
        if "graph" in params and "default" in params:
            raise HTTPProblem(400, "give ?graph=IRI or ?default, not both")
        if "default" in params:
            return None
        iri = params.get("graph")
        if not iri:
            raise HTTPProblem(400, "name the graph: ?graph=IRI (a named graph) or ?default (the union of all)")
        if ":" not in iri or any(c in iri for c in '<>"{}|\\^` \n\t'):
            raise HTTPProblem(400, f"{iri!r} is not an absolute IRI")
        return URIRef(iri)

    async def graph_store(request: Request) -> Response:
        name = graph_name(request)
        if request.method in ("GET", "HEAD"):
            fmt = server.pick(request, "CONSTRUCT")

            def dump() -> bytes:
                with server.lock.reading():
                    limit = config.limits.max_rows
                    if name is None:
                        q = parse("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "default-graph")
                        try:
                            graph = run(store, q, limits=config.limits).graph
                        except QueryLimitError as exc:
                            raise _limit_problem(exc) from None
                    else:
                        if name not in store.names():
                            raise HTTPProblem(404, f"no graph <{name}> in this store")
                        size = store.count(name)
                        if limit and size > limit:
                            raise HTTPProblem(503, f"the graph has {size:,} triples, more than the row limit ({limit:,}); "
                                                   "raise it with --max-rows N (0 for none)", {"X-Plangraph-Limit": "rows"})
                        graph = store.graph(name)
                    return (graph or Graph()).serialize(format="xml" if fmt == "rdf-xml" else fmt, encoding="utf-8")

            data = await run_in_threadpool(dump)
            response = Response(b"" if request.method == "HEAD" else data, media_type=media_type(fmt), headers={"Vary": "Accept"})
            response.headers["Content-Length"] = str(len(data))
            return response
        server.authorise(request)
        if name is None:
            raise HTTPProblem(400, "the default graph is the union of the named graphs: write a named graph (?graph=IRI)")
        if request.method == "DELETE":
            def drop() -> bool:
                with server.lock.writing():
                    if name not in store.names():
                        return False
                    server.answers.clear()
                    store.clear(name)
                    return True

            if not await run_in_threadpool(drop):
                raise HTTPProblem(404, f"no graph <{name}> in this store")
            return Response(status_code=204)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        syntax = _WRITABLE_SYNTAXES.get(kind)
        if syntax is None:
            raise HTTPProblem(415, f"send the graph as {' or '.join(sorted(set(_WRITABLE_SYNTAXES) - {'text/plain', 'application/x-turtle'}))}")
        body = await server.body(request)

        def write() -> bool:
            graph = Graph()
            try:
                graph.parse(data=body.decode("utf-8"), format=syntax)
            except Exception as exc:  # the parser's message names the line
                raise HTTPProblem(400, f"the body is not valid {syntax}: {exc}") from None
            with server.lock.writing():
                server.answers.clear()
                existed = name in store.names()
                if request.method == "PUT":
                    store.replace(name, graph)
                else:
                    store.add(graph, name)
            return existed

        existed = await run_in_threadpool(write)
        return Response(status_code=204 if existed else 201)

    async def list_queries(request: Request) -> Response:
        return JSONResponse([
            {"name": name, "title_zh": q.title_zh, "title_en": q.title_en, "question": q.question, "inference": q.inference,
             "form": query_form(q.text), "text": q.text,
             "params": [{"name": p.name, "kind": p.kind, "default": p.default, "description": p.description} for p in q.params]}
            for name, q in server.queries.items()])

    async def named_query(request: Request) -> Response:
        name = request.path_params["name"]
        q = server.queries.get(name)
        if q is None:
            raise HTTPProblem(404, f"no query named {name!r}; the library has: {', '.join(server.queries)}")
        reserved = {"format", "download"}
        params: dict[str, str] = {}
        for key, value in request.query_params.multi_items():
            if key in reserved:
                continue
            if key in params:
                raise HTTPProblem(400, f"parameter {key!r} given twice")
            try:
                q.param(key)
            except QueryError as exc:
                raise HTTPProblem(400, str(exc)) from None
            if value != "":  # an empty field of a form leaves the parameter at its default
                params[key] = value
        filename = name if request.query_params.get("download") else None
        return await query_answer(request, q, params, filename=filename)

    async def openapi_doc(request: Request) -> Response:
        return JSONResponse(openapi(server.queries, config.updates, config.version))

    def explore(work: Callable[..., object], *args: object) -> Callable[[], object]:
        # an explorer read, in a worker thread under the lock, its errors as the HTTP answers they are
        bounded = getattr(store, "interruptible", True) and not getattr(store, "keeps_limits", False)

        def call() -> object:
            with server.lock.reading(), (time_limit(config.limits.timeout) if bounded else nullcontext()):
                try:
                    return work(*args)
                except QueryLimitError as exc:
                    raise _limit_problem(exc) from None
                except explorer.TooLarge as exc:
                    raise HTTPProblem(413, str(exc)) from None
                except QueryError as exc:
                    raise HTTPProblem(404 if str(exc).startswith("no node") else 400, str(exc)) from None
                except ValueError as exc:
                    raise HTTPProblem(400, str(exc)) from None

        return call

    def needed(request: Request, name: str) -> str:
        value = request.query_params.get(name, "").strip()
        if not value:
            raise HTTPProblem(400, f"give ?{name}=…")
        return value

    async def as_json(key: tuple, work: Callable[..., object], *args: object) -> Response:
        call = explore(work, *args)
        body, kept = await server.cached(key, lambda: json.dumps(call(), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        return Response(body, media_type="application/json", headers={"X-Plangraph-Cache": "hit" if kept else "miss"})

    async def api_entity(request: Request) -> Response:
        name = needed(request, "iri")
        return await as_json(("entity", name), explorer.entity, store, name, config.limits)

    async def api_plan(request: Request) -> Response:
        name = needed(request, "iri")
        return await as_json(("plan", name), explorer.plan, store, name, config.limits)

    async def api_plans(request: Request) -> Response:
        return await as_json(("plans",), explorer.plans, store, config.limits)

    async def api_complete(request: Request) -> Response:
        text = request.query_params.get("text", "")[:200]
        return await as_json(("complete", text), explorer.complete, store, text, config.limits)

    async def view(request: Request) -> Response:
        """A graph view: the neighbourhood of ?focus (?hops, default 2), or the entities of the
        named query ?query's answer (its parameters beside it), drawn as `plangraph viz` draws."""
        from ...graph.build import ontology_graph
        from ..page import render

        params = dict(request.query_params)
        if "focus" in params:
            extra = sorted(set(params) - {"focus", "hops"})
            if extra:
                raise HTTPProblem(400, f"a neighbourhood takes focus and hops, not {', '.join(extra)}")
            try:
                hops = int(params.get("hops", "2"))
            except ValueError:
                raise HTTPProblem(400, f"hops {params['hops']!r}: give a whole number") from None

            def draw() -> str:
                graph, focus = explorer.neighbourhood(store, params["focus"], hops)
                return render(graph, ontology_graph(), focus=focus, hops=hops)
        elif "query" in params:
            q = server.queries.get(params.pop("query"))
            if q is None:
                raise HTTPProblem(404, f"no query named {request.query_params['query']!r}; the library has: {', '.join(server.queries)}")
            for key in params:
                try:
                    q.param(key)
                except QueryError as exc:
                    raise HTTPProblem(400, str(exc)) from None

            def draw() -> str:
                rows = server.answer_locked(q, {k: v for k, v in params.items() if v != ""})  # explore() holds the lock
                return render(explorer.answer_graph(rows, store), ontology_graph(), title=q.title or q.name)
        else:
            raise HTTPProblem(400, "give ?focus=NODE (and ?hops=N) or ?query=NAME (and its parameters)")

        def drawn() -> str:
            try:
                return draw()
            except ValueError as exc:  # the page's refusal to draw too much names the views to use instead
                if type(exc).__name__ == "TooManyNodes":
                    raise HTTPProblem(413, str(exc)) from None
                raise

        call = explore(drawn)
        page, kept = await server.cached(("view", tuple(sorted(request.query_params.multi_items()))),
                                         lambda: call().encode("utf-8"))  # type: ignore[attr-defined]
        return HTMLResponse(page, headers={"Content-Security-Policy": _VIEW_POLICY, "X-Plangraph-Cache": "hit" if kept else "miss"})

    async def index(request: Request) -> Response:
        return HTMLResponse(_static("index.html"), headers={"Content-Security-Policy": _EXPLORER_POLICY})

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _STATIC:
            raise HTTPProblem(404, f"no file {name!r} here")
        return Response(_static(name), media_type=_STATIC[name], headers={"Cache-Control": "no-cache"})

    routes = [
        Route("/", handled(index), methods=["GET"], name="index"),
        Route("/static/{name}", handled(static), methods=["GET"], name="static"),
        Route("/api/entity", handled(api_entity), methods=["GET"], name="api_entity"),
        Route("/api/plan", handled(api_plan), methods=["GET"], name="api_plan"),
        Route("/api/plans", handled(api_plans), methods=["GET"], name="api_plans"),
        Route("/api/complete", handled(api_complete), methods=["GET"], name="api_complete"),
        Route("/view", handled(view), methods=["GET"], name="view"),
        Route("/sparql", handled(sparql), methods=["GET", "POST"], name="sparql"),
        Route("/update", handled(update), methods=["POST"], name="update"),
        Route("/graph-store", handled(graph_store), methods=["GET", "HEAD", "PUT", "POST", "DELETE"], name="graph_store"),
        Route("/queries", handled(list_queries), methods=["GET"], name="queries"),
        Route("/queries/{name}", handled(named_query), methods=["GET"], name="named_query"),
        Route("/openapi.json", handled(openapi_doc), methods=["GET"], name="openapi"),
    ]
    middleware = []
    if config.cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(config.cors), allow_methods=["GET", "POST", "HEAD"],
                                     allow_headers=["Accept", "Content-Type", "Authorization"], expose_headers=["X-Plangraph-Limit"]))
    app = Starlette(routes=routes, middleware=middleware)
    app.state.server = server
    return app

