"""Write docs/img/explorer.png: the bundled graph's explorer in headless Chromium.

.venv/bin/python bench/screenshot.py [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from coprodkg import load_graph
from coprodkg.viz import write_html

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=os.environ.get("COPRODKG_CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "img" / "explorer.png")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        page_path = write_html(load_graph(), Path(tmp) / "explorer.html")
        browser = p.chromium.launch(executable_path=options.chromium, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto(page_path.resolve().as_uri(), wait_until="load")
        page.wait_for_selector("body[data-drawn]", timeout=20_000)
        page.evaluate("window.coprodkg.select(window.coprodkg.meta.findIndex(m => m.kind === 'theme'))")
        page.wait_for_timeout(600)
        options.output.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(options.output))
        browser.close()
    print(f"wrote {options.output.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
