"""The measurements behind two choices of the store work; prints figures, asserts nothing.

1. The materialiser: plangraph's rules (SPARQL Update inside Oxigraph; the same rules in Python
   for rdflib's memory) against HermiT, owlrl (OWL 2 RL in Python, over rdflib) and reasonable
   (OWL 2 RL in Rust): time, and how much of what HermiT derives each one derives (and how
   much more).
2. The on-disk store's binding: pyoxigraph used directly (plangraph's OxigraphStore) against the
   oxrdflib plugin (an rdflib Graph on Oxigraph): loading the plans and answering the named queries.

    pip install -e '.[bench]'      # owlrl comes with pySHACL; reasonable and oxrdflib are bench extras
    python scripts/bench_choices.py [--documents 60]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_extract import ROOT, write_corpus  # noqa: E402

sys.path.insert(0, str(ROOT))


def clock(work: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = work()
    return time.perf_counter() - start, value


def reasoners(name: str, asserted, ontology) -> None:  # type: ignore[no-untyped-def]
    from rdflib import OWL, RDF, RDFS, Graph, URIRef

    from plangraph.graph.iri import INFERRED_GRAPH, ONTOLOGY_GRAPH
    from plangraph.graph.oxigraph_store import OxigraphStore
    from plangraph.graph.reason import infer
    from plangraph.graph.rules import Rules, derive

    print(f"\n{name}: {len(asserted):,} asserted triples")
    seconds, hermit = clock(lambda: set(infer(asserted, ontology)))
    print(f"  {'HermiT (plangraph.graph.reason.infer)':<44} {seconds:7.2f} s  {len(hermit):>8,} triples (the reference)")

    def ours_in_oxigraph() -> set:
        store = OxigraphStore()
        store.add(asserted, URIRef("urn:plan"))
        store.add(ontology, ONTOLOGY_GRAPH)
        Rules(ontology, union=True).materialise(store)
        return set(store.graph(INFERRED_GRAPH))

    def report(label: str, seconds: float, derived: set) -> None:
        share = len(hermit & derived) / len(hermit) if hermit else 1.0
        print(f"  {label:<44} {seconds:7.2f} s  {len(derived):>8,} triples, {share:6.1%} of HermiT's, {len(derived - hermit):,} more")

    report("plangraph rules, SPARQL Update in Oxigraph", *clock(ours_in_oxigraph))
    report("plangraph rules, in Python (rdflib memory)", *clock(lambda: derive(set(asserted), ontology)))

    base = set(asserted) | set(ontology)

    def owlrl_closure() -> set:
        import owlrl

        g = Graph()
        for t in base:
            g.add(t)
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
        return {t for t in g if t not in base}

    def reasonable_closure() -> set:
        import reasonable

        r = reasonable.PyReasoner()
        g = Graph()
        for t in base:
            g.add(t)
        r.from_graph(g)
        return {t for t in r.reason() if t not in base}

    noise = {OWL.Thing, OWL.NamedIndividual, RDFS.Resource, OWL.Class}
    for label, work in (("owlrl (OWL 2 RL, Python)", owlrl_closure), ("reasonable (OWL 2 RL, Rust)", reasonable_closure)):
        try:
            seconds, derived = clock(work)
        except Exception as exc:  # a reasoner that cannot take the input is a finding too
            print(f"  {label:<44} failed: {type(exc).__name__}: {str(exc)[:120]}")
            continue
        # about the plan's nodes only, as plangraph's inferred graph is
        derived = {t for t in derived if not (t[1] == RDF.type and t[2] in noise) and t[1] != OWL.sameAs and t[0] not in set(ontology.subjects())}
        report(label, seconds, derived)


def bindings(documents: int, args_timeout: float) -> None:
    from rdflib import Dataset, URIRef

    import plangraph
    from plangraph.graph.build import plan_triples
    from plangraph.graph.iri import asserted_graph_iri
    from plangraph.graph.oxigraph_store import OxigraphStore
    from plangraph.graph.memory_store import MemoryStore
    from plangraph.queries import Limits, QueryLimitError, library, run

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        write_corpus(corpus, documents)
        plans = plangraph.load(corpus, reason=False, model=False).plans
        triples = {p.id: plan_triples(p) for p in plans}
        total = sum(map(len, triples.values()))
        print(f"\nthe on-disk store's binding: {len(plans)} plans, {total:,} triples, the named queries over the asserted triples")

        def direct() -> OxigraphStore:
            store = OxigraphStore(Path(tmp) / "direct")
            for plan_id, ts in triples.items():
                store.add(ts, asserted_graph_iri(plan_id))
            return store

        def plugin() -> Dataset:
            ds = Dataset(store="Oxigraph", default_union=True)
            ds.open(str(Path(tmp) / "plugin"), create=True)
            for plan_id, ts in triples.items():
                g = ds.graph(asserted_graph_iri(plan_id))
                g.addN((s, p, o, g) for s, p, o in ts)
            return ds

        # rdflib's engine over the plugin joins in Python and grew past 19 GB on one query of 20
        # reports: every query gets a time limit, and one over it counts as over
        budget = Limits(timeout=args_timeout, max_rows=None)
        for label, make in (("pyoxigraph directly (OxigraphStore)", direct), ("oxrdflib (rdflib Dataset on Oxigraph)", plugin)):
            seconds, made = clock(make)
            store = made if isinstance(made, OxigraphStore) else MemoryStore(made)  # rdflib's engine over the plugin
            latencies, over = [], []
            for name, query in library().items():
                try:
                    runs = [clock(lambda: run(store, query, limits=budget))[0] for _ in range(3)]
                    latencies.append(statistics.median(runs))
                except QueryLimitError:
                    over.append(name)
            shown = f"median {statistics.median(latencies) * 1000:6.0f} ms, slowest {max(latencies) * 1000:6.0f} ms" if latencies else "none answered"
            print(f"  {label:<40} load {seconds:6.2f} s; the named queries: {shown}"
                  + (f"; over {args_timeout:g} s: {', '.join(over)}" if over else ""))
            if hasattr(made, "close"):
                made.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=60, help="reports in the corpus measured beside the bundled plan")
    ap.add_argument("--timeout", type=float, default=20, help="seconds a query of the binding comparison may run")
    ap.add_argument("--only", choices=("reasoners", "bindings"), help="run one of the two comparisons")
    args = ap.parse_args()
    import plangraph

    if args.only != "bindings":
        pg = plangraph.load(reason=False)
        reasoners("the bundled plan", pg.asserted(), pg.ontology)
    with tempfile.TemporaryDirectory() as tmp:
        if args.only == "bindings":
            bindings(args.documents, args.timeout)
            return
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        write_corpus(corpus, args.documents)
        many = plangraph.load(corpus, reason=False, model=False)
        reasoners(f"{args.documents} reports", many.asserted(), many.ontology)
    bindings(args.documents, args.timeout)


if __name__ == "__main__":
    main()
