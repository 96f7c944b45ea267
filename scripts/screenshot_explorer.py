"""Make the README's pictures of the explorer: docs/img/explorer-{query,entity,graph,plan}.png.

Usage: python scripts/screenshot_explorer.py [--out docs/img] [--chromium /usr/bin/chromium]

Starts ``plangraph serve`` on the bundled plan (loopback, a free port), opens each view in
headless Chromium at 1300x860 with every request elsewhere refused, and takes the picture once
the view has drawn.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_serve import start_server  # noqa: E402  the same way of starting the server

from plangraph.views.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--chromium", default=CHROMIUM)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    proc, url = start_server([])
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1300, "height": 860}, device_scale_factor=1)
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url) else route.abort())
            page = context.new_page()
            page.goto(f"{url}/#/query/company-contributions?company={quote('太钢')}&run=1")
            page.wait_for_selector("table.results tbody tr")
            page.screenshot(path=str(args.out / "explorer-query.png"))
            page.goto(f"{url}/#/entity?iri={quote('太钢')}")
            page.wait_for_selector("h2:has-text('链出')")
            page.screenshot(path=str(args.out / "explorer-entity.png"))
            page.click("#entity-graph")
            page.frame_locator("iframe.graph").locator("canvas").first.wait_for()
            page.wait_for_timeout(1500)
            page.screenshot(path=str(args.out / "explorer-graph.png"))
            page.goto(f"{url}/#/plan?iri={quote('pgid:taiyuan')}")
            page.wait_for_selector("ul.tree")
            page.screenshot(path=str(args.out / "explorer-plan.png"))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)
    for name in ("query", "entity", "graph", "plan"):
        print(f"wrote {args.out / f'explorer-{name}.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
