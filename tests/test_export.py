"""Exports: every format parses back, Turtle is byte-stable across processes, writes are atomic."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from plangraph.api import PlanGraph
from plangraph.graph.iri import INFERRED_GRAPH, PG, asserted_graph_iri, entity_iri
from plangraph.views.output import write_atomic

ROOT = Path(__file__).resolve().parent.parent


def test_turtle_parses_back_to_an_isomorphic_graph(taiyuan: PlanGraph) -> None:
    text = taiyuan.export(format="turtle")
    assert text.startswith("@prefix dcterms:") and "pg:Company" in text
    assert isomorphic(Graph().parse(data=text, format="turtle"), taiyuan.graph(inferred=True))


@pytest.mark.parametrize("fmt,parse_as", [("nt", "nt"), ("json-ld", "json-ld"), ("xml", "xml"), ("turtle", "turtle")])
def test_single_graph_formats_round_trip(taiyuan: PlanGraph, fmt: str, parse_as: str) -> None:
    back = Graph().parse(data=taiyuan.export(format=fmt), format=parse_as)
    assert isomorphic(back, taiyuan.graph(inferred=True))


def test_asserted_only_leaves_the_inferred_out(taiyuan: PlanGraph) -> None:
    back = Graph().parse(data=taiyuan.export(format="turtle", inferred=False), format="turtle")
    assert isomorphic(back, taiyuan.asserted())
    assert (entity_iri("太钢"), PG.contributesTo, None) not in back


def test_trig_keeps_asserted_and_inferred_apart(taiyuan: PlanGraph) -> None:
    ds = Dataset()
    ds.parse(data=taiyuan.export(format="trig"), format="trig")
    asserted, inferred = ds.graph(asserted_graph_iri("taiyuan")), ds.graph(INFERRED_GRAPH)
    assert len(asserted) == len(taiyuan.asserted()) and len(inferred) == len(taiyuan.inferred())
    assert (entity_iri("太钢"), PG.contributesTo, None) in inferred
    assert (entity_iri("太钢"), PG.contributesTo, None) not in asserted


def test_graphml_for_gephi(taiyuan: PlanGraph) -> None:
    G = nx.read_graphml(io.StringIO(taiyuan.export(format="graphml")))
    steel = str(entity_iri("太钢"))
    assert G.nodes[steel]["label"] == "太钢" and G.nodes[steel]["type"] == "Company"
    assert G.number_of_nodes() == taiyuan.to_networkx().number_of_nodes()
    assert any(d["property"] == "anchoredBy" for _, _, d in G.edges(data=True))


def test_turtle_is_byte_identical_across_builds(tmp_path: Path) -> None:
    """Two separate processes (different hash seeds) write the same bytes."""
    digests = set()
    for seed in ("1", "2"):
        out = tmp_path / f"build{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "plangraph", "export", "-o", str(out / "t.ttl")], check=True, env=env,
                       cwd=ROOT, capture_output=True)
        digests.add(hashlib.sha256((out / "t.ttl").read_bytes()).hexdigest())
    assert len(digests) == 1


def test_unknown_format_is_refused(taiyuan: PlanGraph) -> None:
    with pytest.raises(ValueError, match="unknown export format 'svg'"):
        taiyuan.export(format="svg")


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.ttl"
    target.write_text("old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.ttl"]  # no temporary file left behind
