"""Graph: the plan model as RDF, reasoning (HermiT), SHACL validation, a networkx projection and the store."""

from .build import ontology_graph, plan_to_graph
from .iri import ID, PG, entity_iri
from .reason import InconsistentPlanError, infer
from .store import MemoryStore, Store
from .validate import ValidationReport, validate

__all__ = [
    "PG",
    "ID",
    "entity_iri",
    "plan_to_graph",
    "ontology_graph",
    "infer",
    "InconsistentPlanError",
    "validate",
    "ValidationReport",
    "Store",
    "MemoryStore",
]
