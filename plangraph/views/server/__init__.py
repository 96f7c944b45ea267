"""``plangraph serve``: a SPARQL 1.1 endpoint and a web explorer over any store.

:func:`make_app` builds the Starlette application over a store; :func:`serve` runs it with uvicorn.
"""

from __future__ import annotations

from .app import HTTPProblem, ServerConfig, make_app
from .run import serve

__all__ = ["ServerConfig", "make_app", "serve", "HTTPProblem"]
