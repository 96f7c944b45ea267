"""Every command fast, honest and safe: errors from worker processes, outputs that never damage
what they point at, the cache of reasoned graphs, checks before work, bounded queries, answers
of every query form, numbers out of range, and runs that leave nothing behind."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rdflib import Graph

from plangraph.api import PlanGraph, ReasoningWarning, load
from plangraph.cache import Cache
from plangraph.graph.reason import InconsistentPlanError
from plangraph.loaders import PlanSourceError, bundled_plan_path, read_plans
from plangraph.queries import Limits, QueryError, QueryLimitError, load_query
from tests.test_graph import SECOND_PLAN

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "tests" / "texts"
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def plangraph(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "plangraph", *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


# -- 1. errors from worker processes ----------------------------------------------


@pytest.mark.parametrize("error", [
    PlanSourceError("plan.yaml", "themes[0]", "is missing", line=3),
    InconsistentPlanError("X is both a Company and a Site", ["https://e/x"]),
    QueryLimitError("time", "the query ran for 1 s"),
])
def test_errors_cross_process_boundaries_whole(error: Exception) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and str(copy) == str(error) and copy.__dict__ == error.__dict__


def test_a_bad_file_in_a_large_folder_is_skipped_with_its_line(tmp_path: Path) -> None:
    for i in range(8):
        shutil.copy(TEXTS / "district-plan.txt", tmp_path / f"d{i}.txt")
    (tmp_path / "bad.yaml").write_text("plan: {id: bad}\nthemes: [\n", encoding="utf-8")
    plans, warnings = read_plans([tmp_path], model=False, workers=2)
    assert len(plans) == 8
    skipped = [w for w in warnings if w.startswith("skipped")]
    assert len(skipped) == 1 and skipped[0].startswith(f"skipped {tmp_path / 'bad.yaml'}:3: not valid YAML")


def test_a_folder_run_lists_skipped_files_and_counts_warnings(tmp_path: Path) -> None:
    shutil.copy(bundled_plan_path(), tmp_path / "taiyuan.yaml")
    (tmp_path / "bad.yaml").write_text("plan: [\n", encoding="utf-8")
    r = plangraph("query", "counts-per-class", str(tmp_path), "--no-reason")
    assert r.returncode == 0, r.stderr
    assert f"plangraph: warning: skipped {tmp_path / 'bad.yaml'}:" in r.stderr
    assert "1 plan(s) read, 1 file(s) skipped, 0 other warning(s)" in r.stderr
    quiet = plangraph("query", "counts-per-class", str(tmp_path), "--no-reason", "--quiet")
    assert quiet.returncode == 0 and "warning" not in quiet.stderr


# -- 2. outputs ------------------------------------------------------------------


def test_output_keeps_the_mode_of_the_file_it_replaces_and_new_files_follow_the_umask(tmp_path: Path) -> None:
    old = tmp_path / "kept.ttl"
    old.write_text("old")
    old.chmod(0o640)
    assert plangraph("export", "--asserted-only", "-o", str(old)).returncode == 0
    assert stat.S_IMODE(old.stat().st_mode) == 0o640 and old.read_text(encoding="utf-8").startswith("@prefix")
    new = tmp_path / "new.ttl"
    r = subprocess.run(["sh", "-c", f"umask 027 && {sys.executable} -m plangraph export --asserted-only -o {new}"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(new.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_output_follows_a_symlink_and_replaces_its_target(tmp_path: Path) -> None:
    target = tmp_path / "real.ttl"
    target.write_text("old")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    assert plangraph("export", "--asserted-only", "-o", str(link)).returncode == 0
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("@prefix")


def test_output_writes_through_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = plangraph("query", "goals-without-quantified-target", "--no-reason", "--format", "csv", "-o", str(fifo))
    reader.join(timeout=60)
    assert r.returncode == 0, r.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode) and b"goalLabel" in got[0]


@pytest.mark.parametrize("target", ["/dev/null", "/dev/stdout", "-"])
def test_output_to_devices_and_stdout_is_written_through(target: str) -> None:
    before = os.stat("/dev/null")
    r = plangraph("query", "goals-without-quantified-target", "--no-reason", "--format", "csv", "-o", target)
    assert r.returncode == 0, r.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    if target != "/dev/null":
        assert "goalLabel" in r.stdout


def test_output_format_follows_the_suffix_and_a_conflict_is_an_error(tmp_path: Path) -> None:
    nt = tmp_path / "x.nt"
    assert plangraph("export", "--asserted-only", "-o", str(nt)).returncode == 0
    text = nt.read_text(encoding="utf-8")
    assert not text.startswith("@prefix") and len(Graph().parse(data=text, format="nt")) > 1500
    clash = plangraph("export", "--asserted-only", "--format", "turtle", "-o", str(tmp_path / "y.nt"))
    assert clash.returncode == 2 and "suffix .nt means nt" in clash.stderr and not (tmp_path / "y.nt").exists()
    csv_file = tmp_path / "answer.csv"
    assert plangraph("query", "task-tree", "--no-reason", "-o", str(csv_file)).returncode == 0
    assert csv_file.read_text(encoding="utf-8").startswith("themeLabel,task,")  # CSV, not the table


def test_an_output_that_cannot_be_written_is_refused_before_any_work(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-plan.yaml")  # never read: the output is checked first
    for args in (("export", missing, "-o", str(tmp_path)), ("viz", missing, "-o", str(tmp_path)),
                 ("query", "task-tree", missing, "-o", str(tmp_path))):
        r = plangraph(*args)
        assert r.returncode == 2 and r.stderr.startswith(f"plangraph: error: {tmp_path}: is a folder"), r.stderr
    afile = tmp_path / "a-file"
    afile.write_text("keep")
    r = plangraph("build", missing, "-o", str(afile))
    assert r.returncode == 2 and "is a file, not a folder" in r.stderr and afile.read_text() == "keep"


# -- 3. reasoning once per set of inputs; checks before work ----------------------------


def test_a_second_load_of_the_same_sources_reads_and_reasons_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tmp_path / "taiyuan.yaml"
    shutil.copy(bundled_plan_path(), plan)
    cache = Cache(tmp_path / "cache")
    first = load(plan, cache=cache)
    import plangraph.api
    import plangraph.loaders

    def fail(*args: object, **kw: object) -> None:
        raise AssertionError("read or reasoned again")

    monkeypatch.setattr(plangraph.api, "infer", fail)
    monkeypatch.setattr(plangraph.api, "read_plans", fail)
    second = load(plan, cache=cache)
    assert set(second.graph()) == set(first.graph()) and [p.id for p in second.plans] == ["taiyuan"]
    assert len(second.query("company-contributions")) == len(first.query("company-contributions")) > 0
    plan.write_text(plan.read_text(encoding="utf-8").replace("太钢", "太钢钢", 1), encoding="utf-8")
    with pytest.raises(AssertionError, match="read or reasoned again"):
        load(plan, cache=cache)  # changed content, new key


def test_a_damaged_cache_entry_is_read_again(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    load(cache=cache)
    for entry in (tmp_path / "cache").iterdir():
        entry.write_bytes(b"not a pickle")
    pg = load(cache=cache)
    assert len(pg.query("company-contributions")) > 0


def test_mistakes_in_the_question_are_reported_before_any_source_is_read(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-plan.yaml")
    for args, message in [
        (("query", "SELECT ?x WHERE { ?x ?y }", missing), "not valid SPARQL"),
        (("query", "goals-targets", missing, "--param", "year=2025"), "has no parameter 'year'"),
        (("query", "goals-tragets", missing), "did you mean goals-targets?"),
        (("viz", missing, "--classes", "Gaol"), "--classes: unknown Gaol"),
    ]:
        r = plangraph(*args)
        assert r.returncode == 2 and message in r.stderr and "no-such-plan" not in r.stderr, (args, r.stderr)


def test_an_unknown_focus_is_reported_before_reasoning(tmp_path: Path) -> None:
    # the plans contradict each other: reasoning would fail, but the focus is checked first
    (tmp_path / "second.yaml").write_text(SECOND_AS_SITE, encoding="utf-8")
    r = plangraph("viz", str(bundled_plan_path()), str(tmp_path / "second.yaml"), "--focus", "太钢厂", "-o", str(tmp_path / "p.html"))
    assert r.returncode == 2 and "no node is labelled '太钢厂'" in r.stderr and "the nearest labels: 太钢" in r.stderr


# -- 4. bounded queries ------------------------------------------------------------


def test_a_query_past_its_time_limit_stops_with_a_clear_error() -> None:
    r = plangraph("query", CARTESIAN, "--no-reason", "--timeout", "1")
    assert r.returncode == 2 and "time limit; raise it with --timeout" in r.stderr


def test_a_query_past_its_row_limit_is_refused_not_shortened(taiyuan: PlanGraph) -> None:
    with pytest.raises(QueryLimitError, match="more than 10 rows"):
        taiyuan.query("SELECT * WHERE { ?s ?p ?o }", limits=Limits(max_rows=10))
    assert len(taiyuan.query("task-tree", limits=Limits(max_rows=19))) == 19
    r = plangraph("query", "task-tree", "--no-reason", "--max-rows", "5")
    assert r.returncode == 2 and "raise it with --max-rows" in r.stderr


def test_the_time_limit_leaves_the_thread_usable(taiyuan: PlanGraph) -> None:
    with pytest.raises(QueryLimitError):
        taiyuan.query(CARTESIAN, limits=Limits(timeout=0.5, max_rows=None))
    assert len(taiyuan.query("task-tree")) == 19


# -- 6. numbers out of range --------------------------------------------------------


def test_a_number_out_of_range_names_the_file_and_line(tmp_path: Path) -> None:
    text = bundled_plan_path().read_text(encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "value: 20000" in l)
    bad = tmp_path / "big.yaml"
    bad.write_text(text.replace("value: 20000", "value: 1.0e+400", 1), encoding="utf-8")
    r = plangraph("query", "counts-per-class", str(bad), "--no-reason")
    assert r.returncode == 2 and f"big.yaml:{line}:" in r.stderr and "outside the numbers plangraph stores" in r.stderr


# -- 7. no silent empty answers; one entity resolver -----------------------------------


def test_an_iri_or_curie_that_names_nothing_is_an_error() -> None:
    r = plangraph("query", "entity-neighbourhood", "--param", "entity=pgid:太钢厂", "--no-reason")
    assert r.returncode == 2 and "no node is <https://w3id.org/plangraph/id/太钢厂>" in r.stderr and "太钢" in r.stderr


def test_queries_that_need_inference_say_so_when_reasoning_is_off(taiyuan: PlanGraph) -> None:
    r = plangraph("query", "company-contributions", "--no-reason")
    assert r.returncode == 0 and "answers from inferred triples" in r.stderr
    unreasoned = load(reason=False)
    with pytest.warns(ReasoningWarning):
        unreasoned.query("path-to-vision")
    assert load_query("task-tree").reasoning_note() is None


@pytest.mark.parametrize("focus", ["pgid:太钢", "太原钢铁集团", "https://w3id.org/plangraph/id/太钢"])
def test_viz_focus_takes_what_query_parameters_take(tmp_path: Path, focus: str) -> None:
    page = tmp_path / "p.html"
    r = plangraph("viz", "--focus", focus, "--hops", "1", "--no-reason", "-o", str(page))
    assert r.returncode == 0, r.stderr
    assert "太钢" in page.read_text(encoding="utf-8")


# -- 8. every query form prints ------------------------------------------------------


def test_construct_prints_as_rdf_and_ask_as_a_boolean(tmp_path: Path) -> None:
    construct = "PREFIX pg: <https://w3id.org/plangraph/ontology#> CONSTRUCT { ?c a pg:Company } WHERE { ?c a pg:Company }"
    r = plangraph("query", construct, "--no-reason")
    assert r.returncode == 0 and len(Graph().parse(data=r.stdout, format="turtle")) == 10
    nt = plangraph("query", construct, "--no-reason", "--format", "nt")
    assert len(Graph().parse(data=nt.stdout, format="nt")) == 10
    assert plangraph("query", construct, "--no-reason", "--format", "csv").returncode == 2
    ask = "PREFIX pg: <https://w3id.org/plangraph/ontology#> ASK { ?c a pg:Company }"
    assert plangraph("query", ask, "--no-reason").stdout.strip() == "true"
    assert json.loads(plangraph("query", ask, "--no-reason", "--format", "json").stdout)["boolean"] is True


def test_names_that_contain_sparql_words_are_names() -> None:
    with pytest.raises(QueryError, match="did you mean sites-by-task"):
        load_query("sites-by-tasks")
    with pytest.raises(QueryError, match="did you mean task-tree"):
        load_query("task-trees")
    assert load_query("# a comment\nPREFIX pg: <https://w3id.org/plangraph/ontology#>\nASK { ?s ?p ?o }").text.startswith("#")


# -- 9. nothing stray, nothing left behind, nothing unsaid --------------------------------

SECOND_AS_SITE = SECOND_PLAN % "Site"  # 太钢 as a site, a company in the bundled plan


def test_exports_carry_no_triple_of_the_reasoner_itself(taiyuan: PlanGraph) -> None:
    text = taiyuan.export(format="nt")
    assert "inferrences" not in text and "owlready" not in text


def test_a_failed_run_leaves_nothing_in_the_temporary_folder(tmp_path: Path) -> None:
    (tmp_path / "second.yaml").write_text(SECOND_AS_SITE, encoding="utf-8")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    r = plangraph("build", str(bundled_plan_path()), str(tmp_path / "second.yaml"), "-o", str(tmp_path / "out"), "--no-cache",
                  env={"TMPDIR": str(tmp)})
    assert r.returncode == 2 and "is both a company and a site" in r.stderr
    assert list(tmp.iterdir()) == []


def test_a_terminated_run_leaves_nothing_in_the_temporary_folder(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    run = subprocess.Popen([sys.executable, "-m", "plangraph", "build", "--no-cache", "-o", str(tmp_path / "out")], cwd=ROOT,
                           env={**os.environ, "TMPDIR": str(tmp)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(tmp.iterdir()) and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # until the reasoner has written its input
    assert run.poll() is None, "the run ended before the reasoner started"
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=60) == 128 + signal.SIGTERM
    assert list(tmp.iterdir()) == []


def test_validate_reports_the_inconsistency_that_build_reports(tmp_path: Path) -> None:
    (tmp_path / "second.yaml").write_text(SECOND_AS_SITE, encoding="utf-8")
    r = plangraph("validate", str(bundled_plan_path()), str(tmp_path / "second.yaml"))
    assert r.returncode == 1
    assert "not consistent with the plangraph ontology (HermiT)" in r.stdout and "is both a company and a site" in r.stdout


def test_build_shows_the_warnings_it_counts(tmp_path: Path) -> None:
    r = plangraph("build", str(TEXTS / "district-plan.txt"), "--no-model", "-o", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    count = int(r.stdout.split(" warning(s)")[0].rsplit(", ", 1)[-1])
    assert count > 0 and r.stderr.count("Warning: ") == count
