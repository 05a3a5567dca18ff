"""The evidence map: built from the fixture map (library), written by `coprodkg map` (CLI), and
opened in a real headless Chromium with the network blocked (browser)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from coprodkg import KnowledgeGraph, load_graph
from coprodkg.errors import TermError
from coprodkg.evidence_map import build_map, render_map_csv, render_map_md
from coprodkg.map_page import render_map_html
from coprodkg.resources import ontology_dir

from .conftest import DATA, Outcome, assert_user_error
from .test_viz import (
    EXTERNAL,
    browser,  # noqa: F401  (registers the explorer's real Chromium fixture here)
)

FIXTURE = DATA / "map" / "fixture.ttl"
DISPUTE = DATA / "map-extra" / "dispute.ttl"
HOSTILE = DATA / "map-extra" / "hostile.ttl"
SCHEMA = ontology_dir() / "schema.ttl"
GRAPH = ["--no-bundled", "-s", SCHEMA, "-s", FIXTURE]


@pytest.fixture(scope="module")
def fixture() -> KnowledgeGraph:
    return load_graph([SCHEMA, FIXTURE, DISPUTE], bundled=False)


def cells(emap: Any) -> dict[str, dict[str, list[tuple[str, str]]]]:
    return {
        r.label: {code: [(c.label, c.strength) for c in concepts] for code, concepts in r.cells.items()}
        for r in emap.rows
    }


# ---- the library -------------------------------------------------------------------------------


def test_columns_are_the_seed_then_by_year(fixture: KnowledgeGraph) -> None:
    emap = build_map(fixture)
    assert [(s.code, s.year, s.seed, s.independent) for s in emap.studies] == [
        ("S1", "2021", True, True),
        ("E1", "2017", False, True),
        ("E2", "2022", False, False),
    ]


def test_rows_group_by_kind_sort_by_recurrence_and_mark_thin(fixture: KnowledgeGraph) -> None:
    emap = build_map(fixture)
    assert [(r.kind, r.label, r.total, r.thin) for r in emap.rows] == [
        ("barrier", "political context", 3, False),
        ("barrier", "resource shortfalls", 2, False),
        ("facilitator", "research champions", 1, True),
        ("actor", "embedded researchers", 1, True),
    ]
    assert cells(emap)["political context"] == {
        "S1": [("political barriers", "same")],
        "E1": [("influence of elected members", "close")],
        "E2": [("political priorities", "loose")],
    }


def test_a_cell_carries_its_claims_with_status_section_and_source(fixture: KnowledgeGraph) -> None:
    row = build_map(fixture).rows[0]
    (concept,) = row.cells["E1"]
    statements = {(c.statement, c.status, c.section, c.sources) for c in concept.claims}
    assert statements == {
        (
            "influence of elected members (E1) — close to — political context",
            "interpretation",
            "",
            ("E1", "S1"),
        ),
        ("local experts — overcome — influence of elected members", "study", "Abstract: results", ("E1",)),
    }
    assert concept.claims[0].rationale == "E1: elected members' influence; seed: political barriers."


def test_filters(fixture: KnowledgeGraph) -> None:
    assert [r.kind for r in build_map(fixture, kinds=["barrier"]).rows] == ["barrier", "barrier"]
    close = build_map(fixture, strengths=["close"])
    assert cells(close) == {
        "political context": {"E1": [("influence of elected members", "close")]},
        "resource shortfalls": {
            "S1": [("capacity, workload and resource pressures", "close")],
            "E2": [("money constraints", "close")],
        },
    }
    independent = build_map(fixture, independent_only=True)
    assert [s.code for s in independent.studies] == ["S1", "E1"]
    assert [(r.label, r.total) for r in independent.rows] == [
        ("political context", 2),
        ("resource shortfalls", 1),
        ("research champions", 1),
    ]


def test_disputed_alignments_are_shown_or_left_out(fixture: KnowledgeGraph) -> None:
    (disputed,) = build_map(fixture).rows[0].cells["E2"]
    assert disputed.disputed
    assert "E2" not in build_map(fixture, without_disputed=True).rows[0].cells
    undisputed = build_map(load_graph([SCHEMA, FIXTURE], bundled=False)).rows[0].cells["E2"]
    assert not undisputed[0].disputed


def test_barriers_beside_what_the_same_study_reports(fixture: KnowledgeGraph) -> None:
    barriers, others, pairs = build_map(fixture).co_occurrence()
    assert [b.label for b in barriers] == ["political context", "resource shortfalls"]
    assert [o.label for o in others] == ["research champions"]
    assert list(pairs.values()) == [["E1"]]


def test_text_renderings(fixture: KnowledgeGraph) -> None:
    emap = build_map(fixture)
    table = list(csv.reader(io.StringIO(render_map_csv(emap))))
    assert table[0] == ["kind", "shared concept", "S1", "E1", "E2", "studies", "thin"]
    assert table[1] == [
        "barrier",
        "political context",
        "political barriers (same)",
        "influence of elected members (close)",
        "political priorities (loose, disputed)",
        "3",
        "",
    ]
    assert table[3][-2:] == ["1", "thin"]
    pairs = list(csv.reader(io.StringIO(render_map_csv(emap, pairs=True))))
    assert pairs == [
        ["barrier", "research champions"],
        ["political context", "E1"],
        ["resource shortfalls", ""],
    ]
    text = render_map_md(emap)
    assert "## Barriers × facilitators/mechanisms reported in the same study" in text
    assert "addresses" not in text.lower()
    assert "| barrier | political context | political barriers (same) |" in text


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"kinds": ["barrier", "nonsense"]}, "unknown kind nonsense"),
        ({"strengths": ["exact"]}, "unknown strength exact"),
        ({"map_iri": "cpkid:no-such-map"}, "is not an evidence map"),
        ({"map_iri": "nope:x"}, "--map: unknown prefix nope"),
    ],
)
def test_user_errors(fixture: KnowledgeGraph, options: dict[str, Any], fragment: str) -> None:
    with pytest.raises(TermError, match=re.escape(fragment)):
        build_map(fixture, **options)


def test_page_is_self_contained_and_escapes_everything(fixture: KnowledgeGraph) -> None:
    kg = load_graph([SCHEMA, FIXTURE, HOSTILE], bundled=False)
    page = render_map_html(build_map(kg), title="<img src=x onerror=alert(9)>")
    assert page.startswith("<!DOCTYPE html>") and EXTERNAL.search(page) is None
    assert "<script src" not in page and "<link" not in page
    assert "<img src=x" not in page and "</script><script>" not in page and "<b onmouseover" not in page
    assert "&lt;img src=x onerror=alert(9)&gt;" in page
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in page
    assert "innerHTML" not in (Path(__file__).parents[1] / "src/coprodkg/mapview/map.js").read_text()


# ---- the command -------------------------------------------------------------------------------


def test_cli_help_documents_every_option(cli: Callable[..., Outcome]) -> None:
    out = cli("map", "--help")
    assert out.code == 0
    for option in ("--format", "--output", "--kinds", "--strengths", "--independent-only",
                   "--without-disputed", "--pairs", "--summary", "--map", "--source", "--store",
                   "--endpoint"):  # fmt: skip
        assert option in out.stdout


def test_cli_writes_the_page(cli: Callable[..., Outcome], tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    out = cli("map", *GRAPH, "-o", target)
    assert out.code == 0, out.stderr
    assert out.stderr.strip() == f"wrote {target}"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_text_formats_and_summary(cli: Callable[..., Outcome]) -> None:
    out = cli("map", *GRAPH, "-f", "csv", "--kinds", "barrier", "--strengths", "same,close")
    assert out.code == 0, out.stderr
    assert out.stdout.splitlines() == [
        "kind,shared concept,S1,E1,E2,studies,thin",
        "barrier,political context,political barriers (same),influence of elected members (close),,2,",
        'barrier,resource shortfalls,"capacity, workload and resource pressures (close)",,money constraints (close),2,',
    ]
    md = cli("map", *GRAPH, "-f", "md", "--independent-only")
    assert md.code == 0 and "| kind | shared concept | S1 | E1 | studies | thin |" in md.stdout
    assert "independent studies only" in md.stdout
    summary = cli("map", *GRAPH, "-s", DISPUTE, "--summary")
    assert summary.stdout == "3 studies, 12 claims, 7 alignments (1 disputed), 4 shared concepts\n"


def test_cli_reads_a_store(cli: Callable[..., Outcome], tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert cli("load", "--store", store, *GRAPH).code == 0
    local = cli("map", *GRAPH, "-f", "csv")
    stored = cli("map", "--store", store, "-f", "csv")
    assert stored.code == 0 and stored.stdout == local.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--kinds", "barrier,bogus"], "unknown kind bogus"),
        (["--strengths", "strong"], "unknown strength strong"),
        (["--map", "cpkid:nothing"], "is not an evidence map"),
        (["-f", "pdf"], "'pdf' is not one of"),
        (["--graph", "https://example.org/g"], "need --endpoint URL"),
        (["--endpoint", "http://127.0.0.1:9/sparql"], "leave out --source and --store"),
    ],
)
def test_cli_user_errors(cli: Callable[..., Outcome], tmp_path: Path, args: list[Any], fragment: str) -> None:
    assert_user_error(cli("map", *GRAPH, "-o", tmp_path / "x.html", *args), fragment)


def test_cli_refuses_to_overwrite_a_source_or_write_to_a_folder(
    cli: Callable[..., Outcome], tmp_path: Path
) -> None:
    mine = tmp_path / "mine.ttl"
    mine.write_bytes(FIXTURE.read_bytes())
    before = mine.read_bytes()
    assert_user_error(
        cli("map", "--no-bundled", "-s", SCHEMA, "-s", mine, "-o", mine), "refusing to overwrite"
    )
    assert mine.read_bytes() == before
    assert_user_error(cli("map", *GRAPH, "-o", tmp_path), "is a folder")


# ---- in a real browser --------------------------------------------------------------------------


def _open(chromium: Any, path: Path) -> tuple[Any, list[str], list[str], list[str]]:
    errors: list[str] = []
    requests: list[str] = []
    dialogs: list[str] = []
    page = chromium.new_page(viewport={"width": 1280, "height": 800})

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    def dialog(d: Any) -> None:
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_selector("body[data-drawn]", timeout=20_000)
    return page, errors, requests, dialogs


Opener = Callable[[Path], tuple[Any, list[str], list[str], list[str]]]


@pytest.fixture
def open_page(request: pytest.FixtureRequest) -> Opener:
    """Open a page offline in the shared Chromium: the page, its errors, requests and dialogs."""
    chromium = request.getfixturevalue("browser")
    return lambda path: _open(chromium, path)


@pytest.mark.browser
@pytest.mark.parametrize("graph", ["fixture", "bundled"])
def test_browser_one_row_per_shared_concept_and_a_click_shows_a_source(
    open_page: Opener, tmp_path: Path, fixture: KnowledgeGraph, bundled: KnowledgeGraph, graph: str
) -> None:
    emap = build_map(fixture if graph == "fixture" else bundled)
    path = tmp_path / "map.html"
    path.write_text(render_map_html(emap), encoding="utf-8")
    page, errors, requests, _ = open_page(path)
    assert page.locator("#em-map tr.em-row").count() == len(emap.rows) > 0
    page.locator("#em-map td.em-cell button").first.click()
    assert page.is_visible("#em-panel")
    sources = page.locator("#em-panel .em-source").all_inner_texts()
    assert sources and all(re.search(r"source: [SE]\d", s) for s in sources), sources
    assert errors == [] and requests == []
    page.close()


@pytest.mark.browser
def test_browser_filters_hide_and_restore(open_page: Opener, tmp_path: Path, fixture: KnowledgeGraph) -> None:
    path = tmp_path / "map.html"
    path.write_text(render_map_html(build_map(fixture)), encoding="utf-8")
    page, errors, _, _ = open_page(path)
    count = "document.querySelectorAll('#em-map tr.em-row').length"
    assert page.evaluate(count) == 4
    page.uncheck("input[data-kinds=barrier]")
    assert page.evaluate(count) == 2
    page.uncheck("input[data-strengths=same]")
    assert page.evaluate(count) == 1  # embedded researchers (same term only) goes
    page.check("#em-independent")
    assert page.locator("#em-map thead th[data-study=E2]").count() == 0
    page.click("#em-reset")
    assert page.evaluate(count) == 4 and errors == []
    page.close()


@pytest.mark.browser
def test_browser_hostile_labels_run_nothing(open_page: Opener, tmp_path: Path) -> None:
    kg = load_graph([SCHEMA, FIXTURE, HOSTILE], bundled=False)
    path = tmp_path / "hostile.html"
    path.write_text(render_map_html(build_map(kg), title="<img src=x onerror=alert(8)>"), encoding="utf-8")
    page, errors, _, dialogs = open_page(path)
    page.locator("td.em-cell button", has_text="</script>").click()
    assert page.text_content("h1") == "<img src=x onerror=alert(8)>"
    shown = page.inner_text("#em-panel")
    assert "<img src=x onerror=alert(2)>" in shown and "Why: <b onmouseover=alert(4)>x</b>" in shown
    assert page.locator("#em-panel img, #em-panel b, h1 img").count() == 0
    assert dialogs == [] and errors == []
    page.close()
