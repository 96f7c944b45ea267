from __future__ import annotations

from pathlib import Path

import pytest

from plangraph.api import PlanGraph, load

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared" / "sources" / "taiyuan-plan.txt"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real headless Chromium")


@pytest.fixture(scope="session")
def taiyuan() -> PlanGraph:
    """The bundled plan, loaded and reasoned once for the whole session (treat as read-only)."""
    return load()


@pytest.fixture(scope="session")
def article() -> str:
    if not ARTICLE.exists():
        pytest.skip(f"the source article is not beside this checkout ({ARTICLE})")
    return ARTICLE.read_text(encoding="utf-8")
