"""Export the plan graph to RDF formats and GraphML, deterministically and atomically.

Single-graph formats hold the asserted and inferred triples together (``inferred=False``
leaves the inferred out); TriG and N-Quads keep each plan's asserted graph and the inferred
graph as named graphs. Output is stable: two builds of the same input give the same bytes.

>>> from plangraph.api import load
>>> pg = load()
>>> export(pg, "turtle") == export(load(), "turtle")
True
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
from rdflib import Dataset, Graph

from ..graph.build import bind_prefixes
from ..graph.iri import INFERRED_GRAPH, asserted_graph_iri
from .output import _ALIASES, FORMATS, SUFFIXES, write_output

if TYPE_CHECKING:
    from ..api import PlanGraph

__all__ = ["FORMATS", "SUFFIXES", "export", "sorted_graph"]

def sorted_graph(graph: Graph) -> Graph:
    """A copy of ``graph`` with its triples inserted in sorted order, so serialisers that
    follow insertion order write the same bytes every time.
    """
    out = bind_prefixes(Graph())
    for triple in sorted(graph, key=lambda t: tuple(x.n3() for x in t)):
        out.add(triple)
    return out


def _dataset(pg: "PlanGraph", inferred: bool) -> Dataset:
    ds = Dataset()
    bind_prefixes(ds)
    parts = [(asserted_graph_iri(p.id), pg.store.graph(asserted_graph_iri(p.id))) for p in sorted(pg.plans, key=lambda p: p.id)]
    if inferred:
        parts.append((INFERRED_GRAPH, pg.inferred()))
    for name, graph in parts:
        target = ds.graph(name)
        for triple in sorted(graph, key=lambda t: tuple(x.n3() for x in t)):
            target.add(triple)
    return ds


def _graphml(pg: "PlanGraph", inferred: bool) -> str:
    from ..graph.network import to_networkx

    G = to_networkx(pg.graph(inferred=inferred), pg.ontology)
    H = nx.MultiDiGraph()
    for node in sorted(G.nodes):
        H.add_node(node, **G.nodes[node])
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        H.add_edge(u, v, key=k, **d)
    buf = io.BytesIO()
    nx.write_graphml(H, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue().decode("utf-8")


def export(pg: "PlanGraph", format: str = "turtle", inferred: bool = True, path: Path | None = None) -> str:
    """Serialise ``pg`` in ``format`` (one of :data:`FORMATS`); write it to ``path`` if given."""
    fmt = _ALIASES.get(format.lower(), format.lower())
    if fmt not in SUFFIXES:
        raise ValueError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "graphml":
        text = _graphml(pg, inferred)
    elif fmt in ("trig", "nquads"):
        text = _dataset(pg, inferred).serialize(format=fmt)
        if fmt == "nquads":
            text = "".join(sorted(text.splitlines(keepends=True)))
    else:
        text = sorted_graph(pg.graph(inferred=inferred)).serialize(format=fmt)
        if fmt == "nt":
            text = "".join(sorted(line for line in text.splitlines(keepends=True) if line.strip()))
    if path is not None:
        write_output(path, text.encode("utf-8"))
    return text
