"""An existing triplestore server, over the SPARQL 1.1 Query, Update and Graph Store protocols.

This is how plangraph runs when a corpus outgrows one machine: Virtuoso, Apache Jena Fuseki,
GraphDB, the Oxigraph server, Amazon Neptune. Queries go to the query endpoint (POSTed as
a form, answers as SPARQL JSON or N-Triples, read by rdflib's parsers); graphs are written
through the Graph Store Protocol (N-Triples bodies) and replaced by loading the new content
beside the old and moving it into place with one ``MOVE`` update.

The server's default graph must be the union of its named graphs, as plangraph's queries
read it (Virtuoso's default; Oxigraph's ``serve --union-default-graph``; Fuseki's
``tdb2:unionDefaultGraph``; GraphDB's default).

Where servers differ from the standard, it is handled here and only here (:data:`LAYOUTS`):
the endpoints' paths, Virtuoso's authenticated endpoints (``/sparql-auth``,
``/sparql-graph-crud-auth``, HTTP digest).

>>> store = SparqlStore.from_url("http://127.0.0.1:7878/query")
>>> store.update_url, store.graph_store_url
('http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
"""

from __future__ import annotations

import io
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.term import Identifier

from ..settings import DEFAULT_TIMEOUT
from . import ntriples
from .bindings import bind_text, query_form
from .build import bind_prefixes
from .store import Answer, StoreError, Triple, replace_by_moving

__all__ = ["SparqlStore", "Layout", "LAYOUTS"]

# one request body holds at most this many bytes of N-Triples: a server behind HTTP digest
# sees each body twice (the first try is refused with the challenge), and Virtuoso resets
# connections that send it large bodies that way
_CHUNK_BYTES = 1_000_000


@dataclass(frozen=True)
class Layout:
    """Where a server keeps its endpoints, relative to its query endpoint's path."""

    name: str
    query_suffix: str
    update: str
    graph_store: str
    # Virtuoso answers writes only on its authenticated endpoints
    auth_update: str | None = None
    auth_graph_store: str | None = None
    # the result format to ask for: Virtuoso's JSON writes booleans as 1 and 0, its XML does not
    results: str = "application/sparql-results+json"
    # graphs of the server's own (Virtuoso keeps its configuration in some), never plangraph's
    own_graphs: tuple[str, ...] = ()


#: Known servers: named in the URL's fragment (``http://host/ds/query#fuseki``), else guessed
#: from the end of the query endpoint's path (the first layout with that suffix).
LAYOUTS = (
    Layout("oxigraph", "/query", "/update", "/store"),
    Layout("virtuoso", "/sparql", "/sparql", "/sparql-graph-crud", "/sparql-auth", "/sparql-graph-crud-auth",
           results="application/sparql-results+xml",
           own_graphs=("http://www.openlinksw.com/schemas/virtrdf#", "http://localhost:8890/", "http://www.w3.org/ns/ldp#",
                       "urn:activitystreams-owl:map", "http://www.w3.org/2002/07/owl#")),
    Layout("fuseki", "/query", "/update", "/data"),
)


def _plain(answer: Answer) -> Answer:
    # a server may write a plain string with its datatype (Virtuoso does): the same literal
    answer.rows = [tuple(Literal(str(t)) if isinstance(t, Literal) and t.datatype == XSD.string else t for t in row) for row in answer.rows]
    return answer


class SparqlStore:
    """A store on a SPARQL 1.1 server; ``auth`` is (user, password) for writes, sent as HTTP digest or basic auth."""

    #: the server does the work: a query's time limit abandons its answer rather than interrupting it
    interruptible = False

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        layout: str = "standard",
    ):
        self.query_url = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url
        self.auth = auth
        self.timeout = timeout
        self.layout = layout
        known = [x for x in LAYOUTS if x.name == layout]
        self._layout = known[0] if known else Layout("standard", "", "", "")
        self._opener = self._make_opener()

    @classmethod
    def from_url(cls, url: str, layout: str | None = None, auth: tuple[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT) -> "SparqlStore":
        """A store for the query endpoint ``url``; the update and graph-store endpoints follow the
        server's layout (named in the fragment, ``#virtuoso``, or guessed from the path). A user and
        password in the URL (``http://user:pw@host/sparql``) are used for writes.
        """
        parts = urllib.parse.urlsplit(url)
        if parts.username:
            auth = (urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))
            netloc = parts.hostname or ""
            if parts.port:
                netloc += f":{parts.port}"
            parts = parts._replace(netloc=netloc)
        layout = layout or parts.fragment or None
        base = urllib.parse.urlunsplit(parts._replace(query="", fragment=""))
        chosen = None
        for candidate in LAYOUTS:
            if layout == candidate.name or (layout is None and base.endswith(candidate.query_suffix)):
                chosen = candidate
                break
        if layout is not None and chosen is None:
            raise StoreError(f"{url}: no server layout {layout!r} (known: {', '.join(x.name for x in LAYOUTS)})")
        if chosen is None:
            return cls(base, base, None, auth, timeout)
        root = base[: -len(chosen.query_suffix)] if base.endswith(chosen.query_suffix) else base.rstrip("/")
        update = chosen.auth_update if auth and chosen.auth_update else chosen.update
        store = chosen.auth_graph_store if auth and chosen.auth_graph_store else chosen.graph_store
        return cls(base, root + update, root + store, auth, timeout, chosen.name)

    # -- HTTP ---------------------------------------------------------------------
    def _make_opener(self) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = []
        if self.auth:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (self.query_url, self.update_url, self.graph_store_url):
                if url:
                    passwords.add_password(None, url, *self.auth)
            handlers += [urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
        # a proxy from the environment is no way to reach a server on loopback
        handlers.append(urllib.request.ProxyHandler({}))
        return urllib.request.build_opener(*handlers)

    def _request(self, url: str, data: bytes | None, headers: Mapping[str, str], method: str = "POST") -> tuple[str, bytes]:
        request = urllib.request.Request(url, data=data, headers=dict(headers), method=method)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip()
            raise StoreError(f"{url}: the server answered {exc.code} {exc.reason}: {body[:2000]}") from None
        except urllib.error.URLError as exc:
            raise StoreError(f"{url}: cannot reach the server: {exc.reason}") from None
        except TimeoutError:
            raise StoreError(f"{url}: no answer within {self.timeout:g} s") from None

    # -- the Store interface ------------------------------------------------------
    @property
    def writable(self) -> bool:
        return self.update_url is not None

    def query(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> Answer:
        from .memory_store import answer_of

        if bindings:
            text = bind_text(text, bindings)
        form = query_form(text)
        body = urllib.parse.urlencode({"query": text}).encode("utf-8")
        # ask for the answer's kind: a server may otherwise send a CONSTRUCT's triples as JSON
        accept = "application/n-triples, text/turtle;q=0.9" if form in ("CONSTRUCT", "DESCRIBE") else self._layout.results
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        kind, data = self._request(self.query_url, body, headers)
        if kind in ("application/sparql-results+json", "application/json"):
            from rdflib.plugins.sparql.results.jsonresults import JSONResultParser

            return _plain(answer_of(JSONResultParser().parse(io.StringIO(data.decode("utf-8")))))
        if kind in ("application/sparql-results+xml", "application/xml", "text/xml"):
            from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

            return _plain(answer_of(XMLResultParser().parse(io.BytesIO(data))))
        fmt = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle", "application/rdf+xml": "xml"}.get(kind)
        if fmt is None:
            raise StoreError(f"{self.query_url}: the server answered in {kind}, which plangraph does not read")
        graph = Graph().parse(data=data.decode("utf-8"), format=fmt)
        return Answer("DESCRIBE" if form == "DESCRIBE" else "CONSTRUCT", triples=iter(graph))

    def update(self, text: str) -> None:
        if self.update_url is None:
            raise StoreError(f"{self.query_url}: no update endpoint is known for this server")
        self._request(self.update_url, text.encode("utf-8"), {"Content-Type": "application/sparql-update"})

    def _graph_url(self, name: URIRef) -> str:
        return f"{self.graph_store_url}?{urllib.parse.urlencode({'graph': str(name)})}"

    def add(self, triples: Iterable[Triple], name: URIRef) -> None:
        lines: list[str] = []
        size = 0
        for line in ntriples.rows(triples):
            lines.append(line)
            size += len(line)
            if size >= _CHUNK_BYTES:
                self._post(name, lines)
                lines, size = [], 0
        if lines:
            self._post(name, lines)

    def _post(self, name: URIRef, lines: list[str]) -> None:
        body = "".join(lines).encode("utf-8")
        if self.graph_store_url:
            self._request(self._graph_url(name), body, {"Content-Type": "application/n-triples"})
        else:
            self.update(f"INSERT DATA {{ GRAPH <{name}> {{\n{body.decode('utf-8')}}} }}")

    def add_graphs(self, graphs: Iterable[tuple[URIRef, Iterable[Triple]]]) -> None:
        for name, triples in graphs:
            self.add(triples, name)

    def replace(self, name: URIRef, triples: Iterable[Triple]) -> None:
        replace_by_moving(self, name, triples)

    def clear(self, name: URIRef) -> None:
        self.update(f"DROP SILENT GRAPH <{name}>")

    def graph(self, name: URIRef) -> Graph:
        answer = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
        out = bind_prefixes(Graph())
        for t in answer.triples or ():
            out.add(t)
        return out

    def names(self) -> list[URIRef]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        own = self._layout.own_graphs
        return sorted(r[0] for r in rows if isinstance(r[0], URIRef) and not str(r[0]).startswith(own or ("\0",)))

    def count(self, name: URIRef | None = None) -> int:
        if name is None:  # plangraph's graphs, not the server's own
            names = self.names()
            if not names:
                return 0
            where = f"VALUES ?g {{ {' '.join(f'<{n}>' for n in names)} }} GRAPH ?g {{ ?s ?p ?o }}"
        else:
            where = f"GRAPH <{name}> {{ ?s ?p ?o }}"
        rows = list(self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows)
        return int(rows[0][0]) if rows else 0

    @contextmanager
    def batch(self) -> Iterator[None]:
        # the protocols have no transaction across requests: each graph is replaced at once
        yield

    def close(self) -> None:
        pass

    def __len__(self) -> int:
        return self.count()

    def __repr__(self) -> str:
        return f"SparqlStore({self.query_url!r}, layout={self.layout!r})"
