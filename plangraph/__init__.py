"""plangraph: turn a government development plan into a knowledge graph of what it promises
and who carries it out.

>>> import plangraph
>>> pg = plangraph.load()
>>> len(pg.query("cluster-anchors", cluster="信息技术产业集群"))
2
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["PlanGraph", "load", "__version__"]


def __getattr__(name: str):
    # the API (rdflib, owlready2, the reasoner) loads on first use, so a command that only reads
    # texts does not pay for it
    if name in ("PlanGraph", "load"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'plangraph' has no attribute {name!r}")
