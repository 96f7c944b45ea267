"""Make docs/screenshot.png: the dependency page of the bundled plan in headless Chromium.

Usage: python scripts/screenshot.py [--out docs/screenshot.png] [--chromium /usr/bin/chromium]

The page is written to a temporary file and opened from a file:// URL with every
non-file request blocked, at 1400x900; the picture is taken once the page has drawn.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plangraph.views.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from plangraph.api import load

    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "plan.html"
        load().draw(page_path)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": args.width, "height": args.height}, device_scale_factor=1)
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
            context.set_offline(True)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(page_path.as_uri())
            page.wait_for_function("() => window.plangraphReady === true", timeout=30_000)
            page.wait_for_timeout(200)  # let the fonts settle
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
            browser.close()
    if errors:
        print("page errors:", *errors, sep="\n  ", file=sys.stderr)
        return 1
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
