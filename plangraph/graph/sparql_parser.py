"""rdflib's SPARQL parser, made safe for many threads and parsed once per text.

rdflib parses with a pyparsing grammar that keeps state while it works: two threads parsing at
once (a server's workers) can leave it broken for every later parse in the process
(``Param.postParse2() missing 1 required positional argument``). Parses here take one lock.
A parse costs tens of milliseconds (110 ms for ``goals-targets``, often more than answering
it on one plan), so each text's parsed query is kept; callers get a copy of its algebra they
may change (binding parameters replaces ``VALUES`` rows in place).

>>> q = prepare_query("SELECT ?s WHERE { VALUES ?s { <urn:a> } }")
>>> q.algebra.name, prepare_query("SELECT ?s WHERE { VALUES ?s { <urn:a> } }") is not q
('SelectQuery', True)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from types import MethodType
from typing import Any, Iterator, Mapping

__all__ = ["prepare_query", "prepare_update", "algebra_nodes", "PARSE_LOCK"]

#: Held while rdflib's SPARQL grammar runs (queries, updates).
PARSE_LOCK = threading.RLock()
#: Texts up to this length are kept parsed (the named queries are 1–2 KB; a parse weighs some 20 times its text).
_KEPT_TEXT = 4_096


@lru_cache(maxsize=512)
def _parsed(text: str, prefixes: tuple[tuple[str, str], ...]):
    from rdflib.plugins.sparql import prepareQuery

    with PARSE_LOCK:
        return prepareQuery(text, initNs=dict(prefixes))


def algebra_nodes(node: object) -> Iterator[Any]:
    """Every node (rdflib ``CompValue``) of a parsed query's or update's algebra, depth first.

    >>> [n.name for n in algebra_nodes(prepare_query("ASK { VALUES ?s { <urn:a> } }").algebra)]
    ['AskQuery', 'Project', 'ToMultiSet', 'values']
    """
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from algebra_nodes(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from algebra_nodes(value)


def _tree(node: object) -> object:
    # the algebra's nodes copied, its terms and variable sets shared (nothing changes those)
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        # its class and attributes kept (an expression's evaluator is an attribute), its items copied
        out = node.__class__.__new__(node.__class__)
        OrderedDict.__init__(out)
        for name, value in node.__dict__.items():
            # an expression's evaluator is a method bound to its node: bound again to the copy;
            # what else hangs there (the pattern of an EXISTS) is copied like the items
            out.__dict__[name] = MethodType(value.__func__, out) if isinstance(value, MethodType) and value.__self__ is node else _tree(value)
        for key, value in node.items():
            OrderedDict.__setitem__(out, key, _tree(value))
        return out
    if isinstance(node, list):
        return [_tree(v) for v in node]
    if isinstance(node, dict):
        return {k: _tree(v) for k, v in node.items()}
    return node


def prepare_query(text: str, prefixes: Mapping[str, str] | None = None):
    """rdflib's prepared query of ``text`` (with ``prefixes`` declared), a copy of its own to change;
    a syntax error is raised as rdflib raises it."""
    from rdflib.plugins.sparql.sparql import Query

    if prefixes is None:
        from .build import PREFIXES

        prefixes = PREFIXES
    if len(text) > _KEPT_TEXT:  # a long text is parsed afresh: kept, its algebra would weigh megabytes
        with PARSE_LOCK:
            from rdflib.plugins.sparql import prepareQuery

            return prepareQuery(text, initNs=dict(prefixes))
    parsed = _parsed(text, tuple(sorted(prefixes.items())))
    return Query(parsed.prologue, _tree(parsed.algebra))


def prepare_update(text: str, prefixes: Mapping[str, str] | None = None):
    """rdflib's prepared update of ``text`` (parsed under the lock; not kept: updates rarely repeat)."""
    from rdflib.plugins.sparql.processor import prepareUpdate

    if prefixes is None:
        from .build import PREFIXES

        prefixes = PREFIXES
    with PARSE_LOCK:
        return prepareUpdate(text, initNs=dict(prefixes))
