"""The plangraph command, run as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent


def plangraph(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "plangraph", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_build_writes_turtle_and_page_and_prints_a_summary(tmp_path: Path) -> None:
    r = plangraph("build", "-o", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    ttl, page = tmp_path / "out" / "taiyuan.ttl", tmp_path / "out" / "taiyuan.html"
    assert len(Graph().parse(ttl, format="turtle")) > 1500
    assert "vis-network" in page.read_text(encoding="utf-8")
    assert "企业 10" in r.stdout and "产业集群 5" in r.stdout and "validation: conforms" in r.stdout
    assert "太钢 → 经济实力明显增强（经 新材料产业集群）" in r.stdout


@pytest.mark.parametrize("command", ["build", "query", "queries", "viz", "export", "validate", "rank"])
def test_help_everywhere(command: str) -> None:
    r = plangraph(command, "--help")
    assert r.returncode == 0 and "usage: plangraph" in r.stdout


def test_query_formats() -> None:
    table = plangraph("query", "cluster-anchors", "--param", "cluster=新材料产业集群")
    assert table.returncode == 0, table.stderr
    assert "太钢" in table.stdout and table.stdout.splitlines()[1].startswith("---")
    rows = list(csv.DictReader(io.StringIO(plangraph("query", "cluster-anchors", "--format", "csv", "--no-reason").stdout)))
    assert len(rows) == 11 and rows[0]["scale"] == "千亿级"
    data = json.loads(plangraph("query", "goals-without-quantified-target", "--format", "json").stdout)
    assert [b["goalLabel"]["value"] for b in data["results"]["bindings"]] == ["文化软实力明显提高"]


def test_query_from_file_and_text(tmp_path: Path) -> None:
    rq = tmp_path / "count.rq"
    rq.write_text("PREFIX pg: <https://w3id.org/plangraph/ontology#>\nSELECT (COUNT(?c) AS ?n) WHERE { ?c a pg:Company }\n")
    assert plangraph("query", str(rq), "--no-reason").stdout.splitlines()[-1].strip() == "10"
    text = "SELECT (COUNT(?s) AS ?n) WHERE { ?s a <https://w3id.org/plangraph/ontology#IndustryCluster> }"
    assert plangraph("query", text, "--no-reason").stdout.splitlines()[-1].strip() == "5"


def test_queries_lists_the_library() -> None:
    r = plangraph("queries")
    assert "path-to-vision" in r.stdout and "从实体到愿景的路径" in r.stdout and "--param entity=" in r.stdout


def test_export_formats(tmp_path: Path) -> None:
    from plangraph.api import load

    expected = len(load(reason=False).asserted())
    for fmt, parse_as in (("nt", "nt"), ("json-ld", "json-ld"), ("xml", "xml")):
        out = tmp_path / f"plan.{fmt}"
        r = plangraph("export", "--format", fmt, "-o", str(out), "--asserted-only")
        assert r.returncode == 0, r.stderr
        assert len(Graph().parse(out, format=parse_as)) == expected
    r = plangraph("export", "--format", "graphml", "--asserted-only")
    assert r.stdout.startswith("<?xml") and "graphml" in r.stdout


def test_viz_focus(tmp_path: Path) -> None:
    out = tmp_path / "focus.html"
    r = plangraph("viz", "-o", str(out), "--focus", "太钢", "--hops", "1")
    assert r.returncode == 0, r.stderr
    assert out.exists() and "新材料产业集群" in out.read_text(encoding="utf-8")


def test_viz_views_and_their_checks(tmp_path: Path) -> None:
    out = tmp_path / "top.html"
    r = plangraph("viz", "--view", "top", "--top", "5", "--context", "0", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8").count('"id":') < 20  # five nodes and their edges, not the whole plan
    r = plangraph("viz", "--view", "top", "--plan", "taiyuan", str(tmp_path / "missing.yaml"))
    assert r.returncode == 2 and "view 'top' takes no plan" in r.stderr and "missing.yaml" not in r.stderr  # checked before reading
    r = plangraph("viz", "--view", "plan", "--plan", "taiyuan", "-o", str(tmp_path / "plan.html"))
    assert r.returncode == 0, r.stderr
    from plangraph.graph.network import VIEWS

    helptext = plangraph("viz", "--help").stdout
    assert all(view in helptext for view in VIEWS)


def test_a_store_answers_later_commands(tmp_path: Path) -> None:
    store = tmp_path / "corpus.db"
    r = plangraph("load", "--store", str(store))
    assert r.returncode == 0 and "1 plan(s)" in r.stdout and "reasoned by rules" in r.stdout, r.stderr
    r = plangraph("query", "company-contributions", "--store", str(store), "--format", "csv")
    assert r.returncode == 0 and "太钢" in r.stdout and "reasoning" not in r.stderr, r.stderr
    r = plangraph("load", "--store", str(store))  # the same plan again: nothing changes
    assert r.returncode == 0 and "1 plan(s)" in r.stdout
    r = plangraph("load", "--store", str(store), "--remove", "taiyuan")
    assert r.returncode == 0 and "0 plan(s)" in r.stdout
    r = plangraph("load")
    assert r.returncode == 2 and "load needs --store" in r.stderr


def test_validate_and_rank() -> None:
    r = plangraph("validate")
    assert r.returncode == 0 and "conforms" in r.stdout and "consistent" in r.stdout
    r = plangraph("rank", "--top", "3")
    assert r.returncode == 0 and "钟楼街" in r.stdout.splitlines()[1]


def test_errors_are_one_line_with_nonzero_status(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("plan: {id: x, title: {zh: 坏}}\nthemes:\n  - id: t\n    labl: {zh: 板块}\n", encoding="utf-8")
    r = plangraph("build", str(bad), "-o", str(tmp_path / "o"))
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [f"plangraph: error: {bad}:4: themes[0].labl: unknown field (allowed: from, goals, id, label, tasks)"]
    assert not (tmp_path / "o").exists()
    r = plangraph("query", "no-such-query")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    r = plangraph("export", "missing.yaml")
    assert r.returncode == 2 and "missing.yaml" in r.stderr and "No such file" in r.stderr
    r = plangraph("query", "entity-neighbourhood", "--param", "entity")
    assert r.returncode == 2 and "NAME=VALUE" in r.stderr
    # parameters are checked before the plans are read and reasoned over
    r = plangraph("query", "cluster-anchors", "--param", "clustr=x")
    assert r.returncode == 2 and r.stderr.strip().splitlines() == [
        "plangraph: error: query 'cluster-anchors' has no parameter 'clustr' (parameters: cluster)"]
