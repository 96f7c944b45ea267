from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from plangraph.api import PlanGraph, load

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared" / "sources" / "taiyuan-plan.txt"


_CACHE = tempfile.mkdtemp(prefix="plangraph-test-cache-")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real headless Chromium")
    # one cache for the session's loads and commands, never the user's own
    os.environ["PLANGRAPH_CACHE"] = _CACHE


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def taiyuan() -> PlanGraph:
    """The bundled plan, loaded and reasoned once for the whole session (treat as read-only)."""
    return load()


@pytest.fixture(scope="session")
def article() -> str:
    if not ARTICLE.exists():
        pytest.skip(f"the source article is not beside this checkout ({ARTICLE})")
    return ARTICLE.read_text(encoding="utf-8")
