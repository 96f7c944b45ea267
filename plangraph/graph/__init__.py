"""Graph: the plan model as RDF, reasoning (HermiT, and rules inside a store), SHACL validation,
a networkx projection and the stores.

The names below load their module on first use: a command that only queries an on-disk store
does not pay for the reasoner or the SHACL engine.
"""

from __future__ import annotations

from importlib import import_module

__all__ = [
    "PG",
    "ID",
    "entity_iri",
    "plan_to_graph",
    "ontology_graph",
    "infer",
    "materialise",
    "InconsistentPlanError",
    "validate",
    "ValidationReport",
    "Store",
    "Answer",
    "StoreError",
    "open_store",
    "MemoryStore",
    "OxigraphStore",
    "SparqlStore",
]

_WHERE = {
    "PG": "iri", "ID": "iri", "entity_iri": "iri",
    "plan_to_graph": "build", "ontology_graph": "build",
    "infer": "reason", "InconsistentPlanError": "reason",
    "materialise": "rules",
    "validate": "validate", "ValidationReport": "validate",
    "Store": "store", "Answer": "store", "StoreError": "store", "open_store": "store",
    "MemoryStore": "memory_store", "OxigraphStore": "oxigraph_store", "SparqlStore": "sparql_store",
}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'plangraph.graph' has no attribute {name!r}")
