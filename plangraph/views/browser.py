"""How plangraph starts headless Chromium (Debian's package) for screenshots, benchmarks and browser tests.

The flags keep Chromium from reaching for the network on its own (updates, sync, first-run pages):
this project's machines have none, and a page that looked offline only because Chromium never
asked would prove nothing.

>>> "--disable-background-networking" in CHROMIUM_ARGS
True
"""

from __future__ import annotations

import os

__all__ = ["CHROMIUM", "CHROMIUM_ARGS"]

#: The browser binary; ``PLANGRAPH_CHROMIUM`` points elsewhere.
CHROMIUM = os.environ.get("PLANGRAPH_CHROMIUM", "/usr/bin/chromium")

CHROMIUM_ARGS: list[str] = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
