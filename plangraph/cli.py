"""The ``plangraph`` command: a thin layer over :mod:`plangraph.api`.

Every command takes plan sources as arguments and uses the bundled Taiyuan plan when
given none, or, with ``--store``, the plans a store already holds. Errors end with a
one-line reason on stderr and a non-zero exit status.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from . import __version__
from .graph.store import STORE_KINDS, StoreError
from .loaders.errors import PlanSourceError
from .settings import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from .views.output import ANSWER_SUFFIXES, FORMATS, SUFFIXES, check_output, format_for, write_output

if TYPE_CHECKING:
    from .api import PlanGraph

# The graph, the reasoner and the query engine are imported by the commands that use them, so
# that `plangraph extract` and `plangraph evaluate` start in a fraction of a second.

__all__ = ["main"]

_EXPORT_SUFFIXES = {suffix: fmt for fmt, suffix in SUFFIXES.items()} | {".n3": "turtle", ".json": "json-ld", ".owl": "xml", ".xml": "xml"}
# an answer's format by the suffix of -o; .xml is the SPARQL XML result format here
_ANSWER_SUFFIXES = {suffix: fmt for fmt, suffix in ANSWER_SUFFIXES.items()} | {".srj": "json", ".srx": "xml"}


@contextmanager
def progress(step: str) -> Iterator[None]:
    """Show ``step`` on stderr while it runs, once it has taken over a second: a spinner on a
    terminal, a single line otherwise.
    """
    done = threading.Event()
    start = time.perf_counter()
    tty = sys.stderr.isatty()

    def spin() -> None:
        if done.wait(1.0) or not tty:
            return
        frames = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
        i = 0
        while not done.wait(0.1):
            print(f"\r{frames[i % len(frames)]} {step} … {time.perf_counter() - start:.1f} s", end="", file=sys.stderr, flush=True)
            i += 1

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        elapsed = time.perf_counter() - start
        if elapsed >= 1.0:
            prefix = "\r" if tty else ""
            print(f"{prefix}✓ {step} ({elapsed:.1f} s)      ", file=sys.stderr, flush=True)


class FileProgress:
    """A progress bar on stderr for reading many files: count, rate and time left."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if total < 8:
            return
        now = time.perf_counter()
        if done < total and now - self.last < 0.2:
            return
        self.last = now
        rate = done / max(now - self.start, 1e-9)
        bar = "█" * int(30 * done / total)
        line = f"reading {done}/{total} [{bar:<30}] {rate:.0f} documents/s"
        if self.tty:
            print(f"\r{line}", end="\n" if done == total else "", file=sys.stderr, flush=True)
        elif done == total:
            print(line, file=sys.stderr, flush=True)


def _warn(args: argparse.Namespace, message: str) -> None:
    if not getattr(args, "quiet", False):
        print(f"plangraph: warning: {message}", file=sys.stderr)


def _load(args: argparse.Namespace, writes: bool = False) -> PlanGraph:
    """The plans of the command's sources (or of its store), not yet reasoned over (so that what
    the command was asked can be checked against them first); their warnings shown and counted.
    A command that only reads opens an on-disk store for reading, beside other readers."""
    from .api import load

    store = getattr(args, "store", None)
    pg = load(
        *args.sources,
        store=store,
        read_only=bool(store) and not args.sources and not writes and "://" not in str(store) and Path(store).is_dir(),
        reason=False,
        progress=progress,
        aliases=getattr(args, "aliases", None),
        enterprises=getattr(args, "enterprises", None),
        model=not getattr(args, "no_model", False),
        on_file=FileProgress(),
        cache=not getattr(args, "no_cache", False),
    )
    for warning in pg.warnings:
        _warn(args, warning)
    skipped = sum(1 for w in pg.warnings if w.startswith("skipped "))
    if pg.warnings and not getattr(args, "quiet", False):
        print(f"plangraph: {len(pg.plans)} plan(s) read, {skipped} file(s) skipped, {len(pg.warnings) - skipped} other warning(s)", file=sys.stderr)
    return pg


def _reason(args: argparse.Namespace, pg: PlanGraph) -> None:
    """Reason as the command asks; a store opened for reading keeps what it holds."""
    if getattr(args, "no_reason", False):
        return
    if not pg.store.writable:
        if not pg.reasoned:
            _warn(args, f"{args.store} was not reasoned over since its plans last changed: "
                        f"answers lack the inferred facts (run `plangraph load --store {args.store}`)")
        return
    pg.reason(getattr(args, "reasoner", "auto") or "auto")
    if pg.reasoner == "rules" and not getattr(args, "quiet", False):
        print("plangraph: reasoned by the ontology's rules inside the store (the corpus is above HermiT's size)", file=sys.stderr)


def _limits(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The query limits of --timeout and --max-rows (0 for none)."""
    from .api import Limits

    return Limits(timeout=args.timeout or None, max_rows=args.max_rows or None)


def _stem(pg: PlanGraph) -> str:
    """The file name of outputs: the plan's id, or plangraph for several plans."""
    ids = pg.plan_ids
    return ids[0] if len(ids) == 1 else "plangraph"


def _params(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--param takes NAME=VALUE, got {pair!r}")
        out[key.strip()] = value.strip()
    return out


def _writable(output: str | None, folder: bool = False) -> None:
    """Refuse an output path that cannot be written, before any work is done."""
    if not output:
        return
    if not folder:
        check_output(output)
    elif Path(output).exists() and not Path(output).is_dir():
        raise NotADirectoryError(20, "is a file, not a folder to write into", output)


def _emit(text: str, output: str | None) -> None:
    if not text.endswith("\n"):
        text += "\n"
    if output and output != "-":
        write_output(output, text.encode("utf-8"))
        print(f"wrote {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def cmd_build(args: argparse.Namespace) -> int:
    _writable(args.out, folder=True)
    pg = _load(args, writes=True)
    _reason(args, pg)
    report = pg.validate()
    out = Path(args.out)
    stem = _stem(pg)
    ttl, page = out / f"{stem}.ttl", out / f"{stem}.html"
    with progress("writing Turtle"):
        pg.export(ttl, "turtle")
    with progress("drawing the page"):
        pg.draw(page)
    counts = pg.summary()
    titles = [p.title.zh for p in pg.plans] or pg.plan_ids
    print(f"plangraph {__version__}: {', '.join(titles[:10])}" + (f" and {len(titles) - 10} more" if len(titles) > 10 else ""))
    from .ontology.terms import labels, subclasses

    # the plan's parts and carriers of the most specific classes, in the ontology's order, by their
    # Chinese names (the summary's keys); the one vision needs no count
    kinds = [c for c in (*subclasses("PlanElement"), *subclasses("Carrier")) if not subclasses(c) and c != "Vision"]
    shown = [labels()[c][0] for c in kinds if labels().get(c, ("",))[0] in counts]
    print("  " + "  ".join(f"{k} {counts[k]}" for k in shown))
    print(f"  asserted triples {counts['asserted triples']}  inferred triples {counts['inferred triples']}")
    print(f"  validation: {'conforms' if report.conforms else f'{len(report.violations)} violation(s)'}"
          + (f", {len(report.warnings)} warning(s)" if report.warnings else ""))
    print(f"  wrote {ttl} and {page}")
    print()
    from .api import named_queries

    q = named_queries()["company-contributions"]
    print(f"{q.title} — {q.question.split('?')[0]}?")
    lines = [f"  {company} → {goal}" + (f"（经 {cluster}）" if cluster else "") for company, goal, cluster in pg.contributions()]
    shown = 30  # a corpus has thousands: the summary shows the first, the query gives them all
    print("\n".join(lines[:shown]) if lines else "  (none)")
    if len(lines) > shown:
        print(f"  … and {len(lines) - shown} more: plangraph query company-contributions")
    if not report.conforms or (report.warnings and not args.quiet):
        print(str(report), file=sys.stderr)
    return 0 if report.conforms else 1


def cmd_query(args: argparse.Namespace) -> int:
    from .api import ANSWER_FORMATS, prepare_query

    params = _params(args.param)
    query = prepare_query(args.query, params)  # every mistake in the question is found before any data is read
    fmt = format_for(args.output, args.format, _ANSWER_SUFFIXES, "table")
    if fmt not in ANSWER_FORMATS:
        raise ValueError(f"--format {fmt}: choose one of {', '.join(ANSWER_FORMATS)}")
    limits = _limits(args)
    _writable(args.output)
    pg = _load(args)
    resolved = {name: pg.resolve(value) if query.param(name).kind == "iri" else value for name, value in params.items()}
    _reason(args, pg)
    note = query.reasoning_note()
    if note and args.no_reason:
        _warn(args, f"{note} (drop --no-reason)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # said above, in the command's words
        rows = pg.query(query, resolved, limits=limits)
    _emit(rows.formatted(fmt), args.output)
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    if not args.store:
        raise ValueError(f"load needs --store: {STORE_KINDS.replace('memory (the default), ', '')}")
    pg = _load(args, writes=True)
    for plan_id in args.remove or []:
        pg.remove_plan(plan_id)
    _reason(args, pg)
    ids = pg.plan_ids
    counts = pg.summary()
    print(f"{args.store}: {len(ids)} plan(s), {counts['asserted triples']:,} asserted and {counts['inferred triples']:,} inferred triples"
          + (f" (reasoned by {pg.reasoner})" if pg.reasoner else ""))
    pg.close()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    token = os.environ.get("PLANGRAPH_TOKEN", "").strip() if args.allow_updates else None
    if args.allow_updates and not token:
        raise ValueError("--allow-updates needs a token in the environment: PLANGRAPH_TOKEN=… (clients send Authorization: Bearer …)")
    if not 0 <= args.port < 65536:
        raise ValueError(f"--port {args.port}: not a port (0 picks a free one)")
    limits = _limits(args)
    pg = _load(args, writes=args.allow_updates)
    _reason(args, pg)
    cors = [o.strip() for o in (args.cors or "").split(",") if o.strip()]

    def ready(url: str) -> None:
        mode = "updates with the token" if token else "read-only"
        print(f"plangraph: serving {len(pg.plan_ids)} plan(s) at {url}/ ({mode}; SPARQL at {url}/sparql); Ctrl-C stops", file=sys.stderr, flush=True)

    try:
        pg.serve(args.host, args.port, limits=limits, token=token, cors=cors, max_body=args.max_body,
                 cache_answers=args.cache_answers, on_ready=ready)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: uvicorn has finished the requests under way; a server's normal end
        pass
    finally:
        pg.close()
    print("plangraph: stopped", file=sys.stderr)
    return 0


def cmd_queries(args: argparse.Namespace) -> int:
    from .api import named_queries

    for name, q in named_queries().items():
        print(f"{name}\n    {q.title}\n    {q.question}")
        for p in q.params:
            print(f"    --param {p.name}=…  ({p.kind}, default {p.default}) {p.description}")
    return 0


def cmd_viz(args: argparse.Namespace) -> int:
    from .api import TooManyNodes, check_view

    classes = [c.strip() for c in args.classes.split(",")] if args.classes else None
    view = args.view or ("neighbourhood" if args.focus else "all")
    given = {"focus": args.focus, "hops": args.hops if view == "neighbourhood" else None, "plan": args.plan, "region": args.region,
             "k": args.top, "context": args.context, "group_by": args.group_by}
    options = {name: value for name, value in given.items() if value is not None}
    try:
        check_view(view, classes, **options)  # before any source is read
    except ValueError as exc:
        raise ValueError(f"--{exc}" if str(exc).startswith("classes:") else str(exc)) from None
    _writable(args.output)
    pg = _load(args)
    if args.focus:
        options["focus"] = str(pg.resolve(args.focus))
    _reason(args, pg)
    output = args.output or f"{_stem(pg)}.html"
    try:
        with progress("drawing the page"):
            pg.draw(output, view=view, classes=classes, **options)
    except TooManyNodes as exc:
        what = "the graph" if exc.view == "all" else f"--view {exc.view}"
        raise ValueError(f"{what} has {exc.nodes:,} nodes, more than the page draws ({exc.limit:,}): draw one plan (--view plan --plan ID), "
                         "a neighbourhood (--focus NAME --hops N), the top nodes (--view top --top K), the clusters (--view clusters), "
                         "one region (--view region --region NAME) or fewer classes (--classes …)") from None
    print(f"wrote {output}", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    fmt = format_for(args.output, args.format, _EXPORT_SUFFIXES, "turtle")
    _writable(args.output)
    pg = _load(args)
    if not args.asserted_only:
        _reason(args, pg)
    with progress(f"serialising {fmt}"):
        text = pg.export(format=fmt, inferred=not args.asserted_only, ontology=not args.no_ontology)
    _emit(text, args.output)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    pg = _load(args, writes=True)
    report = pg.validate()
    print(str(report))
    method = args.reasoner or "hermit"
    by = "HermiT" if method == "hermit" else "the ontology's rules"
    with progress(f"checking consistency with {by}"):
        problem = pg.check_consistency(method)
    if problem:
        print(f"not consistent with the plangraph ontology ({by}): {problem}")
        return 1
    print(f"consistent with the plangraph ontology ({'HermiT' if pg.reasoner == 'hermit' else 'rules'})")
    return 0 if report.conforms else 1


def cmd_extract(args: argparse.Namespace) -> int:
    from .loaders import aliases_with, dumps_yaml, lexicon_with, load_plan

    _writable(args.output)
    plan = load_plan(args.source, aliases=aliases_with(args.aliases), lexicon=lexicon_with(args.enterprises), model=not args.no_model)
    for warning in plan.warnings:
        print(f"plangraph: warning: {warning}", file=sys.stderr)
    _emit(dumps_yaml(plan), args.output)
    counts = {}
    for e in plan.entities:
        counts[e.type] = counts.get(e.type, 0) + 1
    found = ", ".join(f"{n} {k}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    print(f"extracted {sum(1 for _ in plan.targets())} targets, {sum(1 for _ in plan.tasks())} tasks, {found}", file=sys.stderr)
    return 0


def _f1_bars(specs: list[str]) -> dict[str, float]:
    bars = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        try:
            bars[name.strip()] = float(value)
        except ValueError:
            raise ValueError(f"--min-f1 {spec!r}: expected CATEGORY=NUMBER, e.g. macro=0.8 or Site=0.6") from None
        if not sep:
            raise ValueError(f"--min-f1 {spec!r}: expected CATEGORY=NUMBER, e.g. macro=0.8 or Site=0.6")
    return bars


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import BAR_CATEGORIES, MACRO_CATEGORIES, evaluate_files, macro_f1, pair_corpus, pool
    from .loaders import aliases_with, lexicon_with

    reading = {"aliases": aliases_with(args.aliases), "lexicon": lexicon_with(args.enterprises), "model": not args.no_model}
    bars = _f1_bars(args.min_f1 or [])
    folders = [Path(args.extracted).is_dir(), Path(args.reference).is_dir()]
    if any(folders) and not all(folders):
        raise ValueError(f"{args.extracted} and {args.reference}: give two files, or two folders (documents, references)")
    if args.only and not all(folders):
        raise ValueError("--only picks references from a folder: give a folder of documents and a folder of references")
    if all(folders):
        pairs = pair_corpus(args.extracted, args.reference)
        if args.only:
            wanted = set(args.only.split(","))
            unknown = wanted - {p[1].stem for p in pairs}
            if unknown:
                raise ValueError(f"--only: no reference {', '.join(sorted(unknown))} in {args.reference}")
            pairs = [p for p in pairs if p[1].stem in wanted]
        results = []
        print(f"{'document':<24} {'Company':>8} {'Cluster':>8} {'Site':>6} {'Reform':>7} {'Progr.':>7} {'values':>7} {'strict':>7}  (F1; strict = recall with comparator and year)")
        for doc, ref in pairs:
            result = evaluate_files(doc, ref, **reading)
            results.append(result)
            f = {k: s.f1 for k, s in result.scores.items()}
            strict = result.scores["targets"].recall
            print(f"{ref.stem:<24} {f.get('Company', 1):>8.3f} {f.get('IndustryCluster', 1):>8.3f} {f.get('Site', 1):>6.3f} "
                  f"{f.get('Reform', 1):>7.3f} {f.get('Programme', 1):>7.3f} {f['target values']:>7.3f} {strict:>7.3f}")
        result = pool(results)
        print(f"\npooled over {len(results)} document(s):")
    else:
        result = evaluate_files(args.extracted, args.reference, **reading)
    print(result.to_table(details=args.details))
    macro = macro_f1(result)
    fields = result.scores["targets"].recall
    print(f"macro F1 over {', '.join(MACRO_CATEGORIES)}: {macro:.3f}; gold targets right in value, unit, comparator and year: {fields:.3f}")
    failing = []
    if args.min is not None:
        failing += result.failing(args.min, tuple(args.bar.split(",")) if args.bar else BAR_CATEGORIES)
    figures = {"macro": macro, "fields": fields, **{k: s.f1 for k, s in result.scores.items()}}
    for name, minimum in bars.items():
        if name not in figures:
            raise ValueError(f"--min-f1 {name}: no such category (one of {', '.join(figures)})")
        if figures[name] < minimum:
            failing.append(f"{name} {figures[name]:.3f} < {minimum}")
    if failing:
        print(f"plangraph: below the bar in: {', '.join(failing)}", file=sys.stderr)
        return 1
    if args.min is not None or bars:
        print("at or above the bar")
    return 0


def cmd_rank(args: argparse.Namespace) -> int:
    pg = _load(args)
    _reason(args, pg)
    rows = pg.rank(args.top)
    print(f"{'reach':>5}  {'betweenness':>11}  type             carrier")
    for r in rows:
        print(f"{r['reach']:>5}  {r['betweenness']:>11.4f}  {r['type']:<15}  {r['label']}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plangraph",
        description="Turn a development plan into a knowledge graph: reason, validate, query, draw and export it.",
        epilog="Without SOURCES every command uses the bundled Taiyuan plan.",
    )
    parser.add_argument("--version", action="version", version=f"plangraph {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str, before: str | None = None, reasons: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        if before:
            # this positional comes before the sources: `plangraph query NAME plan.yaml`
            p.add_argument(before, metavar="NAME_OR_FILE_OR_TEXT", help="a named query (see `plangraph queries`), an .rq file or SPARQL text")
        p.add_argument("sources", nargs="*", metavar="SOURCE",
                       help="plan files (.yaml, or texts: .txt .md .html .docx .pdf) or folders of them; the bundled Taiyuan plan when none")
        p.add_argument("--aliases", metavar="FILE", help="a YAML alias table (canonical: [variants]) added to the shipped one")
        p.add_argument("--enterprises", metavar="FILE", help="an enterprise lexicon added to the shipped one: a .tsv table of the same shape, or YAML (enterprises: [{name, short, kind}])")
        p.add_argument("--no-model", action="store_true", help="read texts with the rules and the lexicon alone, without the statistical name recogniser")
        p.add_argument("--no-cache", action="store_true", help="read and reason afresh, without the cache of earlier runs on the same inputs")
        p.add_argument("-q", "--quiet", action="store_true", help="do not list warnings and skipped files")
        p.add_argument("--store", metavar="STORE",
                       help=f"where the plans live: {STORE_KINDS}; a store keeps its plans between commands, and without SOURCES "
                            "a command uses the plans it holds")
        if reasons:
            p.add_argument("--reasoner", choices=("auto", "hermit", "rules"), default=None,
                           help="hermit (HermiT, the whole graph in memory), rules (the ontology's axioms as SPARQL rules inside the store) "
                                "or auto: HermiT for a few plans, rules for a corpus (default)")
        return p

    def limit_options(p: argparse.ArgumentParser) -> None:
        # the limits every query runs under, the same flags wherever queries are asked
        p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS", help=f"stop a query running longer (default: {DEFAULT_TIMEOUT:g}; 0 for none)")
        p.add_argument("--max-rows", type=int, default=DEFAULT_MAX_ROWS, metavar="N", help=f"refuse an answer of more rows or triples (default: {DEFAULT_MAX_ROWS:,}; 0 for none)")

    p = command("build", "load, reason, validate; write Turtle and the page into a folder; print a summary")
    p.add_argument("-o", "--out", default="out", help="output folder (default: out)")
    p.set_defaults(func=cmd_build)

    p = command("load", "add plans to a store (--store): read them, reason, keep them for later commands")
    p.add_argument("--remove", action="append", metavar="PLAN_ID", help="take this plan out of the store; repeatable")
    p.set_defaults(func=cmd_load)

    p = command("query", "run a named query, an .rq file or SPARQL text", before="query")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="bind a query parameter (an IRI, CURIE or label for IRI parameters); repeatable")
    p.add_argument("--format", help="table, csv, tsv, json or xml (W3C SPARQL result formats) for SELECT and ASK; turtle, nt, json-ld or rdf-xml "
                                    "for CONSTRUCT and DESCRIBE (default: from the suffix of -o, else table, which prints triples as Turtle)")
    p.add_argument("-o", "--output", help="write to this file instead of stdout (- for stdout)")
    p.add_argument("--no-reason", action="store_true", help="query the asserted triples only (faster; no inferred facts)")
    limit_options(p)
    p.set_defaults(func=cmd_query)

    p = command("serve", "serve the graph over HTTP: a SPARQL 1.1 endpoint, the named queries and the explorer")
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="the port (default: 8000; 0 picks a free one)")
    p.add_argument("--no-reason", action="store_true", help="serve the asserted triples only")
    limit_options(p)
    p.add_argument("--max-body", type=int, default=1 << 20, metavar="BYTES", help="refuse a request body larger than this (default: 1 MiB)")
    p.add_argument("--allow-updates", action="store_true",
                   help="accept SPARQL Update and Graph Store writes from requests that carry the token in PLANGRAPH_TOKEN (Authorization: Bearer …)")
    p.add_argument("--cache-answers", type=int, default=256, metavar="N",
                   help="keep this many answers for identical requests, until a write (default: 256; 0 for none; none on a SPARQL server)")
    p.add_argument("--cors", metavar="ORIGINS", help="comma-separated origins browsers may call the server from (* for any), e.g. https://yasgui.triply.cc")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("queries", help="list the named queries", description="list the named queries with their parameters")
    p.set_defaults(func=cmd_queries)

    p = command("viz", "write the interactive dependency page (pyvis)")
    p.add_argument("-o", "--output", help="HTML file (default: PLAN.html)")
    p.add_argument("--view", help="what to draw: all (default), neighbourhood (of --focus), top (--top K nodes by degree), plan (--plan ID), "
                                  "clusters (--group-by theme|company) or region (--region NAME, its plans across years); a corpus is too large to draw whole")
    p.add_argument("--focus", help="draw only the neighbourhood of this node (a label, alias, CURIE or IRI, as for query parameters)")
    p.add_argument("--no-reason", action="store_true", help="draw the asserted triples only")
    p.add_argument("--hops", type=int, default=2, help="hops around --focus (default: 2)")
    p.add_argument("--classes", help="comma-separated classes to draw, e.g. Goal,Task,Company")
    p.add_argument("--plan", help="--view plan: the plan's id, IRI or title")
    p.add_argument("--region", help="--view region: the region (e.g. 山西省 or 山西)")
    p.add_argument("--top", type=int, metavar="K", help="--view top: how many nodes (default: 50)")
    p.add_argument("--context", type=int, metavar="N", help="--view top: the neighbours drawn beside each (default: 2)")
    p.add_argument("--group-by", choices=("theme", "company"), help="--view clusters: under their pillars (default) or their anchor companies")
    p.set_defaults(func=cmd_viz)

    p = command("export", "serialise the graph (asserted and inferred triples; TriG and N-Quads also the ontology)")
    p.add_argument("--format", choices=FORMATS, help="rdflib format name, or graphml for Gephi (default: from the suffix of -o, else turtle)")
    p.add_argument("-o", "--output", help="file to write (default: stdout; - for stdout); suffixes: " + ", ".join(SUFFIXES.values()))
    p.add_argument("--asserted-only", action="store_true", help="leave the inferred triples out")
    p.add_argument("--no-ontology", action="store_true", help="TriG and N-Quads: leave the ontology's named graph out")
    p.set_defaults(func=cmd_export)

    p = command("validate", "check the plan against the SHACL shapes and the ontology (HermiT)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("extract", help="read a plan text and write the plan as reviewable YAML",
                       description="read a plan text (.txt .md .html .docx .pdf) and write the extracted plan as YAML to review and rebuild")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("-o", "--output", help="YAML file to write (default: stdout)")
    p.add_argument("--aliases", metavar="FILE", help="a YAML alias table added to the shipped one")
    p.add_argument("--enterprises", metavar="FILE", help="an enterprise lexicon added to the shipped one: a .tsv table of the same shape, or YAML (enterprises: [{name, short, kind}])")
    p.add_argument("--no-model", action="store_true", help="read texts with the rules and the lexicon alone, without the statistical name recogniser")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("evaluate", help="score an extracted plan against a reference plan (precision, recall, F1)",
                       description="score EXTRACTED (a text or YAML) against REFERENCE (a plan YAML or a reference in the annotation format): "
                                   "precision, recall and F1 per entity type, for targets and per relation. Given two folders, score every "
                                   "reference X.yaml against the document X.* and pool the counts.")
    p.add_argument("extracted", metavar="EXTRACTED")
    p.add_argument("reference", metavar="REFERENCE")
    p.add_argument("--details", action="store_true", help="list what was missed and what was spurious")
    p.add_argument("--min", type=float, help="exit 1 when precision or recall of a bar category is below this")
    p.add_argument("--bar", help="comma-separated categories the --min bar applies to (default: companies, clusters, sites, reforms, programmes, targets, anchors)")
    p.add_argument("--min-f1", action="append", metavar="CATEGORY=F1",
                   help="exit 1 when a figure is below the number: the F1 of a row of the table, 'macro' (mean F1 of companies, clusters and target values) or 'fields' (the share of gold targets right in value, unit, comparator and year); repeatable")
    p.add_argument("--only", metavar="NAMES", help="with folders: the comma-separated reference names to score")
    p.add_argument("--aliases", metavar="FILE", help="a YAML alias table added to the shipped one")
    p.add_argument("--enterprises", metavar="FILE", help="an enterprise lexicon added to the shipped one: a .tsv table of the same shape, or YAML (enterprises: [{name, short, kind}])")
    p.add_argument("--no-model", action="store_true", help="read texts with the rules and the lexicon alone, without the statistical name recogniser")
    p.set_defaults(func=cmd_evaluate)

    p = command("rank", "rank carriers by how much of the plan rests on them (networkx)")
    p.add_argument("--top", type=int, default=15)
    p.set_defaults(func=cmd_rank)
    return parser


class _Terminated(KeyboardInterrupt):
    pass


def _terminated(signum: int, frame: object) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    args = _parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        # a terminated run unwinds like an interrupted one: temporary files go, the reasoner's child is stopped
        signal.signal(signal.SIGTERM, _terminated)
    try:
        return int(args.func(args) or 0)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"plangraph: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except (PlanSourceError, ValueError, StoreError) as exc:  # QueryError and InconsistentPlanError are ValueErrors
        print(f"plangraph: error: {exc}", file=sys.stderr)
        return 2
    except _Terminated:
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: still one line, with the traceback on request
        if os.environ.get("PLANGRAPH_DEBUG"):
            raise
        print(f"plangraph: error: unexpected {type(exc).__name__}: {exc} (set PLANGRAPH_DEBUG=1 for the traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
