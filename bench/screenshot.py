"""Write the README's screenshots of the explorer and the evidence map (docs/img/*.png) in headless Chromium.

Each entry of :data:`SHOTS` is one picture: the sources drawn (the bundled graph plus any extra
files), the options given to ``write_html``, the window size, and a URL fragment (the page's own
shareable state: ``#study=E1``, ``#theme=cpkid:theme-4``, ``#sel=...``) that sets the view. To add
a picture, add an entry.

    .venv/bin/python bench/screenshot.py [--only explorer] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coprodkg import load_graph
from coprodkg.evidence_map import build_map
from coprodkg.map_page import render_map_html
from coprodkg.viz import write_html

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip


@dataclass(frozen=True)
class Shot:
    """One screenshot: what to draw and how to show it."""

    output: str  # under docs/img/
    sources: tuple[str, ...] = ()  # extra files, relative to the repository, drawn with the bundled graph
    options: dict[str, Any] = field(default_factory=dict)  # for write_html (focus, depth, kinds, title)
    viewport: tuple[int, int] = (1400, 900)
    fragment: str = ""  # the page state, as a shared link would carry it
    evidence_map: bool = False  # draw `coprodkg map`'s page instead of the explorer
    click: str = ""  # a selector to click once the page is drawn


SHOTS: dict[str, Shot] = {
    # the default page of `make demo`, as a new user first sees it
    "explorer": Shot("explorer.png"),
    # the overview of the evidence map: the studies and the shared concepts they name
    "overview": Shot("explorer-overview.png", fragment="study=overview"),
    # the evidence map, the seed's cell of the first row open on its claims
    "map": Shot(
        "map.png", viewport=(1400, 860), evidence_map=True, click="#em-map tr.em-row td.em-cell button"
    ),
}


def take(browser: Any, shot: Shot, folder: Path) -> Path:
    graph = load_graph([ROOT / s for s in shot.sources])
    if shot.evidence_map:
        page_path = folder / "map.html"
        page_path.write_text(render_map_html(build_map(graph), **shot.options), encoding="utf-8")
    else:
        page_path = write_html(graph, folder / "explorer.html", **shot.options)
    page = browser.new_page(viewport={"width": shot.viewport[0], "height": shot.viewport[1]})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto(
        page_path.resolve().as_uri() + (f"#{shot.fragment}" if shot.fragment else ""), wait_until="load"
    )
    page.wait_for_selector("body[data-drawn]", timeout=60_000)
    if shot.click:
        page.locator(shot.click).first.click()
    page.wait_for_timeout(600)
    target = ROOT / "docs" / "img" / shot.output
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target))
    page.close()
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=os.environ.get("COPRODKG_CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--only", choices=sorted(SHOTS), action="append", help="take only this one")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=options.chromium, headless=True, args=ARGS)
        for name in options.only or list(SHOTS):
            print(f"wrote {take(browser, SHOTS[name], Path(tmp)).relative_to(ROOT)}")
        browser.close()


if __name__ == "__main__":
    main()
