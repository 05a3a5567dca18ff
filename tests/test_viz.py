"""The HTML explorer: a self-contained, safe page (unit tests) that works in a real browser."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from coprodkg import KnowledgeGraph, load_graph, project
from coprodkg.errors import OutputError, TermError
from coprodkg.viz import STATUSES, Explorer, display_explorer, render_html, write_html

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
    assert 1 < near < whole and whole >= project(bundled).number_of_nodes()


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

    def __init__(
        self, browser: Any, path: Path, viewport: tuple[int, int] = (1400, 900), url: str | None = None
    ) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("dialog", self._dialog)
        self.page.goto(url or path.resolve().as_uri(), wait_until="load")
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


#: The drawn boxes (shape and label) of the nodes on screen, from vis-network itself, and the
#: label text height in screen pixels: font size × zoom.
MEASURE = """() => {
  const c = window.coprodkg, n = c.network, ids = c.visible();
  const boxes = ids.map(id => n.getBoundingBox(id));
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
      pairs.push([c.meta[ids[i]].label, c.meta[ids[j]].label]);
  }
  const font = n.body.nodes[ids[0]].options.font.size;
  return { nodes: ids.length, overlaps: pairs, labelPx: font * n.getScale(), view: c.view() };
}"""


def measure(opened: Opened) -> dict[str, Any]:
    result: dict[str, Any] = opened.page.evaluate(MEASURE)
    return result


@pytest.mark.browser
def test_browser_draws_the_concept_view_first_offline(opened: Opened, bundled: KnowledgeGraph) -> None:
    graph = project(bundled)
    people = {n for n, d in graph.nodes(data=True) if d["kind"] == "actor" and "foaf:name" in d}
    drawn = set(opened.page.evaluate("window.coprodkg.visible().map(i => window.coprodkg.meta[i].iri)"))
    kinds = {graph.nodes[n]["kind"] for n in drawn if n in graph}
    assert people and not drawn & people and not kinds & {"organisation", "source"}
    themes = {n for n, d in graph.nodes(data=True) if d["kind"] == "theme"}
    assert themes <= drawn and len(drawn) > 50
    assert opened.page.evaluate("!!document.querySelector('#mynetwork canvas')")
    opened.page.check("#kg-provenance")
    if opened.page.is_visible("#kg-study"):
        opened.page.select_option("#kg-study", "")
    total = opened.page.evaluate(  # every line but the overview's (study to shared concept)
        "[window.coprodkg.meta.length, window.coprodkg.edges.get({filter: e => !e.view}).length]"
    )
    assert opened.shown() == {"nodes": total[0], "edges": total[1]}
    assert total[0] >= graph.number_of_nodes() and total[1] >= graph.number_of_edges()
    assert opened.errors == [] and opened.requests == []


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(1400, 900), (1024, 700)])
def test_browser_default_view_labels_do_not_overlap_and_are_legible(
    browser: Any, written: Path, width: int, height: int
) -> None:
    opened = Opened(browser, written, (width, height))
    found = measure(opened)
    assert found["overlaps"] == [] and found["nodes"] > 50
    assert found["labelPx"] >= 10.0, found["labelPx"]
    # where the whole view cannot be read at once the page says so, and Fit shows it all
    cropped = opened.page.is_visible("#kg-crop-note")
    assert cropped == (width < 1400)
    opened.page.click("#kg-fit")
    assert (measure(opened)["labelPx"] < 10.0) == cropped and on_screen(opened)
    opened.page.check("#kg-provenance")  # the provenance view gets a layout of its own
    assert measure(opened)["overlaps"] == []
    opened.page.close()


def on_screen(opened: Opened) -> bool:
    """Whether every drawn box is inside the canvas."""
    box: list[float] = opened.page.evaluate(
        "(() => { const n = window.coprodkg.network; const b = window.coprodkg.visible().map(i => n.getBoundingBox(i));"
        " const tl = n.canvasToDOM({x: Math.min(...b.map(x => x.left)), y: Math.min(...b.map(x => x.top))});"
        " const br = n.canvasToDOM({x: Math.max(...b.map(x => x.right)), y: Math.max(...b.map(x => x.bottom))});"
        " const c = document.querySelector('#mynetwork'); return [tl.x, tl.y, br.x, br.y, c.clientWidth, c.clientHeight]; })()"
    )
    return box[0] >= 0 and box[1] >= 0 and box[2] <= box[4] and box[3] <= box[5]


@pytest.mark.browser
def test_browser_worked_example_focus_view_does_not_overlap(browser: Any, tmp_path: Path) -> None:
    example = Path(__file__).parents[1] / "docs" / "examples" / "my-study.ttl"
    path = write_html(
        load_graph([example]),
        tmp_path / "focus.html",
        focus="<https://example.org/my-study/theme-1>",
        depth=2,
    )
    opened = Opened(browser, path)
    found = measure(opened)
    assert found["nodes"] >= 6 and found["overlaps"] == [] and found["labelPx"] >= 10
    assert opened.errors == []
    opened.page.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("political barriers", "political barriers"),
        ("Political Barriers", "political barriers"),
        ("  siloed   thinking ", "siloed thinking"),
        ("absorptive capacity", "absorptive capacity"),
        ("ABSORPTIVE", "absorptive capacity"),
    ],
)
def test_browser_search_puts_the_exact_label_first(opened: Opened, typed: str, label: str) -> None:
    opened.page.fill("#kg-search", typed)
    first = opened.page.locator("#kg-results [role=option]").first
    assert first.locator("span").first.inner_text() == label


@pytest.mark.browser
def test_browser_search_by_keyboard_selects_centres_and_opens_the_panel(opened: Opened) -> None:
    opened.page.focus("#kg-search")
    opened.page.keyboard.type("capacity")
    options = opened.page.locator("#kg-results [role=option]")
    assert options.count() >= 3
    second = int(options.nth(1).get_attribute("data-node") or -1)
    opened.page.keyboard.press("ArrowDown")
    assert options.nth(1).get_attribute("aria-selected") == "true"
    opened.page.keyboard.press("Enter")
    assert opened.page.evaluate("window.coprodkg.network.getSelectedNodes()") == [second]
    assert opened.page.get_attribute("#kg-panel", "data-node") == str(second)
    centred = (
        f"(() => {{ const n = window.coprodkg.network, p = n.getPositions([{second}])[{second}], "
        "v = n.getViewPosition(); return Math.abs(p.x - v.x) < 2 && Math.abs(p.y - v.y) < 2; })()"
    )
    opened.page.wait_for_function(centred, timeout=5_000)  # after the centring animation


@pytest.mark.browser
def test_browser_search_reaches_people_through_provenance(opened: Opened) -> None:
    opened.page.fill("#kg-search", "Mandy Cheetham")
    opened.page.keyboard.press("Enter")
    assert opened.page.is_checked("#kg-provenance")
    assert opened.page.text_content("#kg-panel-title") == "Mandy Cheetham"


@pytest.mark.browser
def test_browser_legend_counts_the_lines_of_each_status(opened: Opened, bundled: KnowledgeGraph) -> None:
    def legend() -> dict[str, int]:
        cells = opened.page.locator("[data-count^='statuses:']")
        return {
            (cells.nth(i).get_attribute("data-count") or "")[9:]: int(cells.nth(i).inner_text())
            for i in range(cells.count())
        }

    drawn = opened.page.evaluate(
        "(() => { const c = {}; window.coprodkg.edges.get({filter: e => !e.hidden}).forEach(e => "
        "{ c[e.status] = (c[e.status] || 0) + 1; }); return c; })()"
    )
    assert {k: v for k, v in legend().items() if v} == drawn
    opened.page.click("#kg-reset")  # everything: all studies, provenance drawn
    every = Counter(d["status"] for *_, d in project(bundled).edges(data=True))
    on_page = Counter(  # the overview's lines (study to shared concept) are drawn in the overview only
        opened.page.evaluate("window.coprodkg.edges.get({filter: e => !e.view}).map(e => e.status)")
    )
    assert legend() == dict(on_page) and on_page["interpretation"] >= every["interpretation"] >= 6
    assert all(on_page[s] >= n for s, n in every.items())  # the projection's lines, and the map's alignments


def test_the_five_statuses_are_drawn_differently() -> None:
    assert set(STATUSES) == {"article", "study", "project", "literature", "interpretation"}
    assert len({colour for colour, _ in STATUSES.values()}) == 5
    assert len({str(dashes) for _, dashes in STATUSES.values()}) == 5


@pytest.mark.browser
def test_browser_theme_filter_shows_one_theme_numbered_and_refits(opened: Opened) -> None:
    options = opened.page.locator("#kg-theme option").all_inner_texts()[1:]
    assert [o.split(".")[0] for o in options] == [str(i) for i in range(1, len(options) + 1)]
    before = opened.page.evaluate("window.coprodkg.network.getScale()")
    opened.page.select_option("#kg-theme", index=4)
    themes = opened.page.evaluate(
        "window.coprodkg.visible().filter(i => window.coprodkg.meta[i].kind === 'theme').map(i => window.coprodkg.meta[i].notation)"
    )
    assert themes == ["4"]
    assert opened.page.evaluate("window.coprodkg.network.getScale()") > before
    assert on_screen(opened)
    assert measure(opened)["overlaps"] == []


@pytest.mark.browser
def test_browser_filters_hide_and_restore(opened: Opened) -> None:
    opened.page.click("#kg-reset")
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
def test_browser_fit_and_zoom_buttons(opened: Opened) -> None:
    def scale() -> float:
        found: float = opened.page.evaluate("window.coprodkg.network.getScale()")
        return found

    fitted = scale()
    opened.page.click("#kg-zoom-in")
    assert scale() == pytest.approx(fitted * 1.3)
    opened.page.click("#kg-zoom-out")
    opened.page.click("#kg-zoom-out")
    assert scale() == pytest.approx(fitted / 1.3)
    opened.page.click("#kg-fit")
    assert scale() == pytest.approx(fitted)


@pytest.mark.browser
def test_browser_url_reproduces_the_view(browser: Any, written: Path) -> None:
    first = Opened(browser, written)
    first.page.check("#kg-provenance")
    first.page.select_option("#kg-theme", index=2)
    first.page.uncheck("input[data-kinds=person]")
    first.page.uncheck("input[data-statuses=literature]")
    first.page.fill("#kg-search", "capacity")
    first.page.evaluate(
        "window.coprodkg.select(window.coprodkg.meta.findIndex(m => m.alt.includes('LACoR')))"
    )
    first.page.click("#kg-panel-focus")
    state = "window.coprodkg.visible().sort((a, b) => a - b).join()"
    seen = (first.page.evaluate(state), first.shown(), first.page.text_content("#kg-panel-title"))
    url = first.page.url
    assert "#" in url and "q=capacity" in url and "sel=" in url and "focus=" in url
    first.page.close()
    again = Opened(browser, written, url=url)
    assert (again.page.evaluate(state), again.shown(), again.page.text_content("#kg-panel-title")) == seen
    assert again.page.input_value("#kg-search") == "capacity" and again.page.is_checked("#kg-provenance")
    assert not again.page.is_checked("input[data-kinds=person]") and again.errors == []
    again.page.close()


@pytest.mark.browser
def test_browser_controls_are_reachable_by_keyboard(opened: Opened) -> None:
    reached = set()
    for _ in range(40):
        opened.page.keyboard.press("Tab")
        reached.add(opened.page.evaluate("document.activeElement.id || document.activeElement.value || ''"))
    assert {
        "kg-fit",
        "kg-zoom-in",
        "kg-zoom-out",
        "kg-search",
        "kg-theme",
        "kg-provenance",
        "kg-reset",
    } <= reached
    assert {"theme", "article"} <= reached  # the legend's checkboxes


#: WCAG 2 contrast of every visible text against its (first opaque) background.
CONTRAST = """() => {
  const lum = c => { const v = c.match(/[\\d.]+/g).slice(0, 3).map(x => { x = x / 255;
    return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const bg = el => { for (; el; el = el.parentElement) { const b = getComputedStyle(el).backgroundColor;
    if (b && b !== 'transparent' && !/, 0\\)$/.test(b)) return b; } return 'rgb(255, 255, 255)'; };
  const worst = [];
  document.querySelectorAll('body *').forEach(el => {
    if (!el.offsetParent || ![...el.childNodes].some(t => t.nodeType === 3 && t.textContent.trim())) return;
    const a = lum(getComputedStyle(el).color), b = lum(bg(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) worst.push([el.id || el.className || el.tagName, ratio]);
  });
  return worst;
}"""


@pytest.mark.browser
def test_browser_text_contrast_is_wcag_aa(opened: Opened) -> None:
    opened.page.fill("#kg-search", "capacity")
    opened.page.keyboard.press("Enter")
    assert opened.page.evaluate(CONTRAST) == []


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
    opened.page.locator("#kg-results [role=option]").first.click()
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


# ---- with an evidence map ----------------------------------------------------------------------

MAP = DATA / "explorer-map.ttl"


@pytest.fixture(scope="module")
def map_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_html(load_graph([MAP]), tmp_path_factory.mktemp("map") / "map.html")


def test_shared_concepts_are_hubs_and_nodes_know_their_study() -> None:
    text = render_html(load_graph([MAP]))
    assert '"kind": "shared"' in text and '"label": "test political context"' in text
    assert (
        '"label": "close to"' in text
    )  # the alignment, drawn as a line labelled as the map labels skos:closeMatch


@pytest.mark.browser
def test_browser_study_filter_starts_at_the_seed_and_shows_each_study(browser: Any, map_page: Path) -> None:
    opened = Opened(browser, map_page)

    def drawn() -> set[str]:
        found: list[str] = opened.page.evaluate(
            "window.coprodkg.visible().map(i => window.coprodkg.meta[i].curie)"
        )
        return set(found)

    options = opened.page.locator("#kg-study option").all_inner_texts()
    assert options[0] == "all studies" and options[1].startswith("all studies (overview)")
    assert options[2].startswith("S1 (seed)")
    assert any(o.startswith("X1 ") for o in options)
    seed = drawn()
    assert {"cpkid:political-barriers", "cpkid:test-map-politics", "cpkid:absorptive-capacity"} <= seed
    assert not {"cpkid:x1-money-worries", "cpkid:test-map-money"} & seed
    assert measure(opened)["overlaps"] == []
    opened.page.select_option("#kg-study", "X1")
    assert drawn() == {
        "cpkid:x1-money-worries",
        "cpkid:x1-local-politics",
        "cpkid:x1-champions",
        "cpkid:test-map-money",
        "cpkid:test-map-politics",
    }
    assert measure(opened)["overlaps"] == [] and "study=X1" in opened.page.url
    opened.page.select_option("#kg-study", "")
    assert seed | {"cpkid:x1-money-worries", "cpkid:test-map-money"} <= drawn()
    assert opened.errors == []
    opened.page.close()


@pytest.mark.browser
def test_browser_overview_links_the_studies_to_the_shared_concepts(
    opened: Opened, bundled: KnowledgeGraph
) -> None:
    studies = {str(s) for (s,) in bundled.query("SELECT ?s WHERE { ?m cpk:includesStudy ?s }").rows}
    shared = {str(c) for (c,) in bundled.query("SELECT ?c WHERE { ?c a cpk:SharedConcept }").rows}
    opened.page.select_option("#kg-study", "overview")
    drawn = set(opened.page.evaluate("window.coprodkg.visible().map(i => window.coprodkg.meta[i].iri)"))
    assert drawn == studies | shared and len(studies) == 11
    lines = opened.page.evaluate(
        "window.coprodkg.edges.get({filter: e => !e.hidden && e.view}).map(e => [window.coprodkg.meta[e.from].iri,"
        " window.coprodkg.meta[e.to].iri, e.title])"
    )
    assert {a for a, _, _ in lines} == studies and {b for _, b, _ in lines} == shared
    # a line's tooltip names the study's own concepts behind it
    seed = next(t for a, b, t in lines if b.endswith("map-resource-shortfalls") and "S1" in t)
    assert " names resource shortfalls as: " in seed
    found = measure(opened)
    assert found["overlaps"] == [] and found["labelPx"] >= 10.0
    assert "study=overview" in opened.page.url
    assert opened.errors == []
