"""Stable, readable IRIs for plans and what they name.

Entities get an IRI from their normalised Chinese name, so two plans that name
太钢 share one node; plan elements (goals, tasks, ...) are scoped by the plan id.

>>> str(entity_iri("太钢"))
'https://w3id.org/plangraph/id/太钢'
>>> entity_iri("“ 太钢 ”") == entity_iri("太钢")
True
>>> str(element_iri("taiyuan", "goal", "economic-strength"))
'https://w3id.org/plangraph/id/taiyuan/goal/economic-strength'
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import quote

from rdflib import Namespace, URIRef

from ..loaders.names import normalise_name

__all__ = [
    "PG",
    "ID",
    "GRAPH",
    "ONTOLOGY_IRI",
    "normalise_name",
    "entity_iri",
    "element_iri",
    "plan_iri",
    "passage_iri",
    "asserted_graph_iri",
    "INFERRED_GRAPH",
    "ONTOLOGY_GRAPH",
    "SCRATCH_GRAPHS",
    "CATALOG_GRAPH",
    "STORE",
]

class _Namespace(Namespace):
    # a term is made once and kept as an attribute: the builder names the same few per triple
    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)
        setattr(self, name, term)
        return term


#: The ontology namespace: class and property local names are the public query interface.
PG = _Namespace("https://w3id.org/plangraph/ontology#")
#: Instance namespace.
ID = Namespace("https://w3id.org/plangraph/id/")
#: Named-graph namespace.
GRAPH = Namespace("https://w3id.org/plangraph/graph/")
ONTOLOGY_IRI = URIRef("https://w3id.org/plangraph/ontology")
INFERRED_GRAPH = GRAPH["inferred"]
ONTOLOGY_GRAPH = GRAPH["ontology"]
#: What the rules derived in their last round, while they run (no plan's graph has a "/" in its name).
SCRATCH_GRAPHS = (GRAPH["inferred/new-1"], GRAPH["inferred/new-2"])
#: What a store holds, kept by plangraph in the store itself: each plan graph's id, source and
#: digest, and what the inferred graph was derived from (and by which reasoner).
CATALOG_GRAPH = GRAPH["catalog"]
#: The catalog's own small vocabulary (not part of the plan ontology: it describes the store).
STORE = Namespace("https://w3id.org/plangraph/store#")

# Keep Unicode letters readable; escape only what an IRI path may not hold.
_SAFE = "-._~!$&()*+,;=:@"


_UNSAFE = re.compile(r"[^\u0080-\U0010ffffA-Za-z0-9" + re.escape(_SAFE) + "]")


@lru_cache(maxsize=1 << 16)
def _segment(text: str) -> str:
    # plans repeat their ids and names in every IRI: each is escaped once
    return _UNSAFE.sub(lambda m: quote(m.group(), safe=_SAFE), text)


def entity_iri(name: str) -> URIRef:
    """The IRI of a named entity (company, site, cluster, ...), shared across plans."""
    return ID[_segment(normalise_name(name))]


def plan_iri(plan_id: str) -> URIRef:
    """The IRI of a plan.

    >>> str(plan_iri("taiyuan"))
    'https://w3id.org/plangraph/id/taiyuan'
    """
    return ID[_segment(plan_id)]


def element_iri(plan_id: str, kind: str, local_id: str) -> URIRef:
    """The IRI of a plan element (vision, theme, goal, target, task) of one plan."""
    return ID[f"{_segment(plan_id)}/{kind}/{_segment(local_id)}"]


def passage_iri(plan_id: str, section: str, quote_text: str, document: str | None = None) -> URIRef:
    """The IRI of a source passage; equal passages of one plan share it.

    >>> passage_iri("t", "s", "q") == passage_iri("t", "s", "q")
    True
    """
    key = "\x1f".join((document or "", section, quote_text)).encode("utf-8")
    return ID[f"{_segment(plan_id)}/passage/{hashlib.sha1(key).hexdigest()[:12]}"]


def asserted_graph_iri(plan_id: str) -> URIRef:
    """The named graph holding what a plan asserts.

    >>> str(asserted_graph_iri("taiyuan"))
    'https://w3id.org/plangraph/graph/taiyuan'
    """
    return GRAPH[_segment(plan_id)]
