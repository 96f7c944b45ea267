"""plangraph: turn a government development plan into a knowledge graph of what it promises
and who carries it out.

>>> import plangraph
>>> pg = plangraph.load()
>>> len(pg.query("cluster-anchors", cluster="信息技术产业集群"))
2
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import PlanGraph, load  # noqa: E402

__all__ = ["PlanGraph", "load", "__version__"]
