"""What the server says about itself: a SPARQL 1.1 Service Description of the endpoint and an
OpenAPI 3.1 description of its routes, the named queries each with a route of its own.

>>> from rdflib import URIRef
>>> sd = service_description("http://localhost/sparql", {URIRef("urn:g"): 3}, updates=False)
>>> from rdflib.namespace import Namespace
>>> SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
>>> (None, SD.endpoint, URIRef("http://localhost/sparql")) in sd
True
"""

from __future__ import annotations

from typing import Mapping

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import VOID, XSD

from ...queries import NamedQuery
from .negotiation import GRAPH_TYPES, MEDIA_TYPES, RESULT_TYPES

__all__ = ["SD", "service_description", "openapi"]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
_FORMATS = Namespace("http://www.w3.org/ns/formats/")
# the W3C's names of the formats the endpoint writes (https://www.w3.org/ns/formats/)
_FORMAT_IRIS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
                "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "nt": "N-Triples", "json-ld": "JSON-LD", "rdf-xml": "RDF_XML"}
_KIND_SCHEMA = {"iri": {"type": "string", "description": "an IRI, a CURIE (pgid:…) or a label"},
                "string": {"type": "string"}, "integer": {"type": "integer"},
                "decimal": {"type": "number"}, "year": {"type": "string", "pattern": "^-?[0-9]{4}$"}}


def service_description(endpoint: str, graphs: Mapping[URIRef, int], updates: bool) -> Graph:
    """The endpoint described in the SPARQL 1.1 Service Description vocabulary: the languages
    and formats it speaks, and its dataset (the union default graph, each named graph with its size)."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", _FORMATS)
    service = BNode("service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if updates:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    for name in _FORMAT_IRIS.values():
        g.add((service, SD.resultFormat, _FORMATS[name]))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    dataset = BNode("dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default")  # the union: its size is not the sum of the graphs' (a triple may be in several)
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    for i, (name, size) in enumerate(sorted(graphs.items())):
        named, graph = BNode(f"named{i}"), BNode(f"graph{i}")
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, name))
        g.add((named, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, Literal(size, datatype=XSD.integer)))
    return g


def _content(types: Mapping[str, tuple[str, ...]]) -> dict[str, dict]:
    return {MEDIA_TYPES[name]: {"schema": {"type": "string"}} for name in types}


def _errors() -> dict[str, dict]:
    text = {"text/plain": {"schema": {"type": "string"}}}
    return {"400": {"description": "the query or a parameter is not valid (the message says which and why)", "content": text},
            "406": {"description": "none of the formats the Accept header names", "content": text},
            "503": {"description": "the query hit its time or row limit (the X-Plangraph-Limit header says which)", "content": text}}


def openapi(queries: Mapping[str, NamedQuery], updates: bool, version: str) -> dict:
    """The OpenAPI 3.1 description of the server's routes.

    >>> from plangraph.queries import library
    >>> doc = openapi(library(), updates=False, version="0")
    >>> doc["paths"]["/queries/goals-targets"]["get"]["parameters"][0]["name"]
    'theme'
    """
    format_param = {"name": "format", "in": "query", "required": False,
                    "description": "the answer's format, instead of the Accept header: " + ", ".join([*RESULT_TYPES, *GRAPH_TYPES]),
                    "schema": {"type": "string"}}
    answers = {"200": {"description": "the answer", "content": {**_content(RESULT_TYPES), **_content(GRAPH_TYPES)}}, **_errors()}
    paths: dict[str, dict] = {
        "/sparql": {
            "get": {"summary": "SPARQL 1.1 query (without a query: the service description)", "operationId": "sparqlGet",
                    "parameters": [{"name": "query", "in": "query", "required": False, "schema": {"type": "string"}}, format_param],
                    "responses": answers},
            "post": {"summary": "SPARQL 1.1 query or update" + ("" if updates else " (updates are disabled on this server)"),
                     "operationId": "sparqlPost",
                     "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                         "query": {"type": "string"}, "update": {"type": "string"}}}},
                         "application/sparql-query": {"schema": {"type": "string"}},
                         "application/sparql-update": {"schema": {"type": "string"}}}},
                     "responses": {**answers, "204": {"description": "the update was applied"},
                                   "401": {"description": "an update without the server's bearer token"},
                                   "403": {"description": "updates are disabled on this server"}}},
        },
        "/graph-store": {
            "get": {"summary": "SPARQL 1.1 Graph Store Protocol: read a named graph (?graph=IRI) or the default graph (?default)",
                    "operationId": "graphStoreGet",
                    "parameters": [{"name": "graph", "in": "query", "required": False, "schema": {"type": "string", "format": "iri"}},
                                   {"name": "default", "in": "query", "required": False, "allowEmptyValue": True, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "the graph", "content": _content(GRAPH_TYPES)},
                                  "404": {"description": "no such graph"}, **_errors()}},
        },
        "/queries": {"get": {"summary": "the named queries, with their parameters", "operationId": "listQueries",
                             "responses": {"200": {"description": "the library", "content": {"application/json": {"schema": {"type": "array"}}}}}}},
    }
    for name, q in queries.items():
        params = [{"name": p.name, "in": "query", "required": False, "description": f"{p.description} (default {p.default})",
                   "schema": dict(_KIND_SCHEMA.get(p.kind, {"type": "string"}))} for p in q.params]
        paths[f"/queries/{name}"] = {"get": {"summary": q.title, "description": q.question, "operationId": f"query_{name.replace('-', '_')}",
                                             "parameters": [*params, format_param], "responses": answers}}
    return {"openapi": "3.1.0",
            "info": {"title": "plangraph", "version": version,
                     "description": "A plan knowledge graph: a SPARQL 1.1 endpoint, the Graph Store Protocol's reads and the named queries."},
            "paths": paths}
