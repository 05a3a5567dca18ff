"""Write docs/img/explorer.png and docs/img/map.png: the bundled graph's explorer and evidence map
in headless Chromium.

.venv/bin/python bench/screenshot.py [--chromium /usr/bin/chromium] [--only explorer|map]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

from coprodkg import load_graph
from coprodkg.evidence_map import build_map
from coprodkg.map_page import render_map_html
from coprodkg.viz import write_html

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip


def explorer(page: Any, folder: Path) -> None:
    """The explorer with the first theme selected."""
    path = write_html(load_graph(), folder / "explorer.html")
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_selector("body[data-drawn]", timeout=20_000)
    page.evaluate("window.coprodkg.select(window.coprodkg.meta.findIndex(m => m.kind === 'theme'))")


def evidence_map(page: Any, folder: Path) -> None:
    """The evidence map with the seed's cell of its first row open."""
    path = folder / "map.html"
    path.write_text(render_map_html(build_map(load_graph())), encoding="utf-8")
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_selector("body[data-drawn]", timeout=20_000)
    page.locator("#em-map tr.em-row td.em-cell button").first.click()


SHOTS = {"explorer": explorer, "map": evidence_map}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=os.environ.get("COPRODKG_CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--only", choices=sorted(SHOTS), help="write only this screenshot")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=options.chromium, headless=True, args=ARGS)
        for name, shoot in SHOTS.items():
            if options.only not in (None, name):
                continue
            page = browser.new_page(viewport={"width": 1400, "height": 860})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            shoot(page, Path(tmp))
            page.wait_for_timeout(600)
            output = ROOT / "docs" / "img" / f"{name}.png"
            output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(output))
            page.close()
            print(f"wrote {output.relative_to(ROOT)}")
        browser.close()


if __name__ == "__main__":
    main()
