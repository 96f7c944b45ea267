"""Export the plan graph to RDF formats and GraphML, deterministically and atomically.

Single-graph formats hold the asserted and inferred triples together (``inferred=False``
leaves the inferred out); TriG and N-Quads keep each plan's asserted graph and the inferred
graph as named graphs. Output is stable: two builds of the same input give the same bytes.

>>> from plangraph.api import load
>>> pg = load()
>>> pg.export(format="turtle") == load().export(format="turtle")
True
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Mapping

import networkx as nx
from rdflib import Dataset, Graph, URIRef

from ..graph.build import bind_prefixes, ontology_graph
from .output import _ALIASES, FORMATS, SUFFIXES, write_output

__all__ = ["FORMATS", "SUFFIXES", "NAMED_GRAPH_FORMATS", "export", "format_name", "sorted_graph"]

#: The formats that keep named graphs (the others write the union of the graphs).
NAMED_GRAPH_FORMATS = ("trig", "nquads")


def format_name(format: str) -> str:
    """The export format ``format`` names (an alias such as ``ttl`` or ``nq`` included).

    >>> format_name("nq")
    'nquads'
    """
    return _ALIASES.get(format.lower(), format.lower())

def sorted_graph(graph: Graph) -> Graph:
    """A copy of ``graph`` with its triples inserted in sorted order, so serialisers that
    follow insertion order write the same bytes every time.
    """
    out = bind_prefixes(Graph())
    for triple in sorted(graph, key=lambda t: tuple(x.n3() for x in t)):
        out.add(triple)
    return out


def _dataset(graphs: Mapping[URIRef, Graph]) -> Dataset:
    ds = Dataset()
    bind_prefixes(ds)
    for name in sorted(graphs):
        target = ds.graph(name)
        for triple in sorted(graphs[name], key=lambda t: tuple(x.n3() for x in t)):
            target.add(triple)
    return ds


def _union(graphs: Mapping[URIRef, Graph]) -> Graph:
    out = bind_prefixes(Graph())
    for graph in graphs.values():
        out += graph
    return out


def _graphml(graph: Graph, ontology: Graph) -> str:
    from ..graph.network import to_networkx

    G = to_networkx(graph, ontology)
    H = nx.MultiDiGraph()
    for node in sorted(G.nodes):
        H.add_node(node, **G.nodes[node])
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        H.add_edge(u, v, key=k, **d)
    buf = io.BytesIO()
    nx.write_graphml(H, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue().decode("utf-8")


def export(graphs: Mapping[URIRef, Graph], format: str = "turtle", path: Path | None = None, ontology: Graph | None = None) -> str:
    """Serialise named graphs in ``format`` (one of :data:`FORMATS`); write it to ``path`` if given.

    TriG and N-Quads keep each graph under its name; the other formats write their union.
    GraphML draws the dependency network, with the classes of ``ontology`` (the shipped one by default).

    >>> from rdflib import Literal, URIRef
    >>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    >>> export({URIRef("urn:g"): g}, "nquads")
    '<urn:a> <urn:p> "x" <urn:g> .\\n'
    """
    fmt = format_name(format)
    if fmt not in SUFFIXES:
        raise ValueError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "graphml":
        text = _graphml(_union(graphs), ontology if ontology is not None else ontology_graph())
    elif fmt in NAMED_GRAPH_FORMATS:
        text = _dataset(graphs).serialize(format=fmt)
        if fmt == "nquads":
            text = "".join(sorted(line for line in text.splitlines(keepends=True) if line.strip()))
    else:
        text = sorted_graph(_union(graphs)).serialize(format=fmt)
        if fmt == "nt":
            text = "".join(sorted(line for line in text.splitlines(keepends=True) if line.strip()))
    if path is not None:
        write_output(path, text.encode("utf-8"))
    return text
