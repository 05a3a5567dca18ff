"""The HTML explorer: a self-contained, safe page (unit tests) that works in a real browser."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from coprodkg import KnowledgeGraph, load_graph, project
from coprodkg.errors import OutputError, TermError
from coprodkg.viz import Explorer, display_explorer, render_html, write_html

from .conftest import DATA, Outcome, assert_user_error

HOSTILE = DATA / "hostile.ttl"
EXTERNAL = re.compile(
    r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(\s*["']?(?:https?:)?//""", re.I
)


@pytest.fixture(scope="module")
def page(bundled: KnowledgeGraph) -> str:
    return render_html(bundled)


# ---- the file ----------------------------------------------------------------------------------


def test_page_is_self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert EXTERNAL.search(page) is None
    assert "vis-network" in page and "<script src" not in page and "<link" not in page


def test_nothing_is_written_to_the_working_directory(
    bundled: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = write_html(bundled, "x.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.html"]
    assert (tmp_path / target).read_bytes().decode("utf-8").startswith("<!DOCTYPE html>")


def test_labels_and_definitions_are_data_not_markup() -> None:
    text = render_html(load_graph([HOSTILE], bundled=False), title="<img src=x onerror=alert(9)>")
    assert "<script>alert" not in text and "</script><script>" not in text
    assert "<img src=x" not in text and "<b onmouseover" not in text
    assert "&lt;img src=x onerror=alert(9)&gt;" in text  # the heading, escaped
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in text  # the label, as JSON data
    assert "innerHTML" not in (Path(__file__).parents[1] / "src/coprodkg/explorer/explorer.js").read_text()


def test_focus_keeps_a_neighbourhood(bundled: KnowledgeGraph, page: str) -> None:
    whole = page.count('"curie":')
    near = render_html(bundled, focus="cpkid:theme-4", depth=1).count('"curie":')
    assert 1 < near < whole == project(bundled).number_of_nodes()


def test_focus_on_a_projection_by_label() -> None:
    graph = project(load_graph([DATA / "mini" / "mini.ttl"], bundled=False))
    assert render_html(graph, focus="cafe reflexion", depth=0).count('"curie":') == 1


def test_kinds_filter(bundled: KnowledgeGraph) -> None:
    text = render_html(bundled, kinds=["theme", "barrier"])
    kinds = set(re.findall(r'"kind": "(\w+)"', text))
    assert kinds == {"theme", "barrier"}


def test_cap_keeps_the_most_central_and_says_so(bundled: KnowledgeGraph) -> None:
    text = render_html(bundled, max_nodes=20)
    assert text.count('"curie":') == 20
    assert "Showing the 20 most central of" in text


@pytest.mark.parametrize(
    ("options", "error", "fragment"),
    [
        ({"kinds": ["nonsense"]}, TermError, "unknown kind nonsense"),
        ({"focus": "cpkid:no-such-thing"}, TermError, "nothing in the graph"),
        ({"depth": -1, "focus": "cpkid:theme-4"}, OutputError, "depth must be 0 or more, not -1"),
        ({"max_nodes": 0}, OutputError, "max_nodes must be 1 or more, not 0"),
    ],
)
def test_user_errors(
    bundled: KnowledgeGraph, options: dict[str, Any], error: type[Exception], fragment: str
) -> None:
    with pytest.raises(error, match=re.escape(fragment)) as raised:
        render_html(bundled, **options)
    assert "--" not in str(raised.value)  # the library names its parameters, not the CLI's flags


def test_notebook_display_is_an_escaped_srcdoc_iframe(bundled: KnowledgeGraph) -> None:
    shown = display_explorer(bundled, kinds=["theme"])
    assert isinstance(shown, Explorer)
    frame = shown._repr_html_()
    assert frame.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert 'sandbox="allow-scripts"' in frame and "<script" not in frame


# ---- the command -------------------------------------------------------------------------------


def test_cli_help(cli: Callable[..., Outcome]) -> None:
    out = cli("viz", "--help")
    assert out.code == 0
    for option in (
        "--output",
        "--focus",
        "--depth",
        "--kinds",
        "--open",
        "--source",
        "--store",
        "--max-nodes",
    ):
        assert option in out.stdout


def test_cli_writes_the_page(cli: Callable[..., Outcome], tmp_path: Path) -> None:
    target = tmp_path / "explorer.html"
    out = cli("viz", "-o", target, "--kinds", "theme,mechanism")
    assert out.code == 0, out.stderr
    assert out.stderr.strip() == f"wrote {target}"
    assert EXTERNAL.search(target.read_text(encoding="utf-8")) is None


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--kinds", "theme,bogus"], "unknown kind bogus"),
        (["--focus", "no such resource at all"], "no resource is labelled"),
        (["--depth", "2"], "--depth needs --focus"),
        (["--depth", "-1", "--focus", "cpkid:theme-4"], "--depth"),
        (["--no-bundled", "-s", DATA / "mini" / "extra.nt", "--kinds", "theme"], "nothing to draw"),
    ],
)
def test_cli_user_errors(cli: Callable[..., Outcome], tmp_path: Path, args: list[Any], fragment: str) -> None:
    assert_user_error(cli("viz", "-o", tmp_path / "x.html", *args), fragment)


def test_cli_output_is_a_folder(cli: Callable[..., Outcome], tmp_path: Path) -> None:
    assert_user_error(cli("viz", "-o", tmp_path), "is a folder")


# ---- in a real browser -------------------------------------------------------------------------

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright; a missing browser fails the tests, it does not skip them."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("COPRODKG_CHROMIUM", "/usr/bin/chromium")
    assert Path(executable).exists(), f"{executable} is missing: `make test` installs Debian's chromium"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, headless=True, args=ARGS)
        yield launched
        launched.close()


class Opened:
    """A page opened offline, with what it reported."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("dialog", self._dialog)
        self.page.goto(path.resolve().as_uri(), wait_until="load")
        self.page.wait_for_selector("body[data-drawn]", timeout=20_000)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def shown(self) -> dict[str, int]:
        counts: dict[str, int] = self.page.evaluate("window.coprodkg.shown()")
        return counts


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, bundled: KnowledgeGraph) -> Path:
    return write_html(bundled, tmp_path_factory.mktemp("viz") / "explorer.html")


@pytest.fixture
def opened(browser: Any, written: Path) -> Iterator[Opened]:
    result = Opened(browser, written)
    yield result
    result.page.close()


@pytest.mark.browser
def test_browser_draws_every_node_and_edge_offline(opened: Opened, bundled: KnowledgeGraph) -> None:
    graph = project(bundled)
    assert opened.shown() == {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    assert opened.page.evaluate("!!document.querySelector('#mynetwork canvas')")
    assert opened.errors == [] and opened.requests == []


@pytest.mark.browser
def test_browser_search_selects_and_zooms(opened: Opened) -> None:
    opened.page.fill("#kg-search", "absorptive capacity")
    first = opened.page.locator("#kg-results button").first
    assert "absorptive capacity" in first.inner_text().lower()
    first.click()
    selected = opened.page.evaluate("window.coprodkg.network.getSelectedNodes()")
    assert len(selected) == 1
    assert opened.page.evaluate(f"window.coprodkg.meta[{selected[0]}].label").lower().find("absorptive") >= 0
    assert opened.page.is_visible("#kg-panel")


@pytest.mark.browser
def test_browser_filters_hide_and_restore(opened: Opened) -> None:
    whole = opened.shown()
    opened.page.uncheck("input[data-kinds=actor]")
    fewer = opened.shown()
    assert 0 < fewer["nodes"] < whole["nodes"] and fewer["edges"] < whole["edges"]
    opened.page.select_option("#kg-theme", index=1)
    assert 0 < opened.shown()["nodes"] < fewer["nodes"]
    opened.page.uncheck("input[data-statuses=project]")
    opened.page.click("#kg-reset")
    assert opened.shown() == whole
    assert opened.errors == []


@pytest.mark.browser
def test_browser_side_panel_shows_sources(opened: Opened) -> None:
    opened.page.evaluate("window.coprodkg.select(window.coprodkg.meta.findIndex(m => m.kind === 'theme'))")
    assert opened.page.is_visible("#kg-panel")
    sources = opened.page.locator("#kg-panel-sources li").all_inner_texts()
    assert any(s.startswith("S1 ") for s in sources), sources
    assert opened.page.locator("#kg-panel-relations li").count() >= 1


_SELECTED = """const n = window.coprodkg.network;
const id = Number(document.getElementById("kg-panel").dataset.node);
const p = n.getPositions([id])[id];"""
_SELECTED_IS_CENTRED = f"""() => {{ {_SELECTED}
const v = n.getViewPosition();
return Math.abs(p.x - v.x) < 1 && Math.abs(p.y - v.y) < 1; }}"""
_SELECTED_ON_SCREEN = f"""() => {{ {_SELECTED}
const d = n.canvasToDOM(p), box = document.getElementById("mynetwork").getBoundingClientRect();
return [box.left + d.x, box.top + d.y]; }}"""


@pytest.mark.browser
def test_browser_hostile_labels_run_nothing(browser: Any, tmp_path: Path) -> None:
    path = write_html(
        load_graph([HOSTILE], bundled=False), tmp_path / "hostile.html", title="<img src=x onerror=alert(8)>"
    )
    opened = Opened(browser, path)
    opened.page.fill("#kg-search", "<script>")
    opened.page.locator("#kg-results button").first.click()
    opened.page.wait_for_function(_SELECTED_IS_CENTRED, timeout=10_000)  # the zoom to it has ended
    x, y = opened.page.evaluate(_SELECTED_ON_SCREEN)
    opened.page.mouse.move(x, y)  # hovering it makes vis-network draw its title
    tooltip = opened.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
    assert tooltip is not None and "<script>alert(1)</script>" in tooltip.inner_text()
    assert opened.dialogs == [] and opened.errors == []
    assert opened.page.text_content("#kg-panel-title") == "<script>alert(1)</script>"
    assert opened.page.text_content("#kg-panel-definition") == "<img src=x onerror=alert(3)>"
    assert opened.page.text_content("h1") == "<img src=x onerror=alert(8)>"
    assert opened.page.locator("#kg-panel img, #kg-panel script, h1 img").count() == 0
    opened.page.close()


@pytest.mark.browser
def test_browser_focus_shows_fewer_nodes(browser: Any, tmp_path: Path, bundled: KnowledgeGraph) -> None:
    path = write_html(bundled, tmp_path / "focus.html", focus="cpkid:theme-4", depth=1)
    opened = Opened(browser, path)
    shown = opened.shown()
    assert 1 < shown["nodes"] < project(bundled).number_of_nodes()
    assert opened.page.is_visible("#kg-panel") and opened.errors == []
    opened.page.close()
