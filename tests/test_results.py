"""Renderings of results: aligned tables with CURIEs, plain CSV/TSV, SPARQL JSON, Markdown, RDF."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Literal, URIRef

from coprodkg.choices import OutputFormat, ResultKind
from coprodkg.errors import OutputError
from coprodkg.results import Result, render_result

THEME = URIRef("https://w3id.org/coprodkg/id/theme-1")
SELECT = Result(
    ResultKind.SELECT,
    ("theme", "label", "n"),
    ((THEME, Literal('new, "governance"', lang="en"), Literal(4)), (THEME, None, Literal(5))),
)


def test_table_uses_curies_and_aligns() -> None:
    lines = render_result(SELECT).splitlines()
    assert lines[0].split() == ["theme", "label", "n"]
    assert lines[2].startswith('cpkid:theme-1  new, "governance"')
    assert lines[2].index("4") == lines[3].index("5")
    assert lines[-1] == "(2 rows)"


def test_csv_is_plain_values_and_tsv_is_sparql_tsv() -> None:
    rows = list(csv.reader(io.StringIO(render_result(SELECT, OutputFormat.CSV))))
    assert rows == [["theme", "label", "n"], [str(THEME), 'new, "governance"', "4"], [str(THEME), "", "5"]]
    tsv = render_result(SELECT, OutputFormat.TSV).splitlines()
    assert tsv[0] == "?theme\t?label\t?n"
    assert tsv[1] == f'<{THEME}>\t"new, \\"governance\\""@en\t4'


HOSTILE = Result(
    ResultKind.SELECT,
    ("v",),
    (
        (Literal('=HYPERLINK("http://evil.example/")'),),
        (Literal("+1+cmd|' /C calc'!A0"),),
        (Literal("-2"),),
        (Literal("@SUM(1)"),),
        (Literal("line\tone\ntwo"),),
        (Literal("bell\x07 esc\x1b[31m"),),
    ),
)


def test_csv_neutralises_formulas_unless_raw() -> None:
    cells = [row[0] for row in csv.reader(io.StringIO(render_result(HOSTILE, OutputFormat.CSV)))][1:]
    assert cells[:4] == ['\'=HYPERLINK("http://evil.example/")', "'+1+cmd|' /C calc'!A0", "-2", "'@SUM(1)"]
    raw = [row[0] for row in csv.reader(io.StringIO(render_result(HOSTILE, OutputFormat.CSV, raw=True)))][1:]
    assert raw[0] == '=HYPERLINK("http://evil.example/")'


def test_tsv_keeps_one_row_per_line_and_tables_escape_control_characters() -> None:
    tsv = render_result(HOSTILE, OutputFormat.TSV).splitlines()
    assert len(tsv) == 1 + len(HOSTILE.rows)
    assert tsv[5] == '"line\\tone\\ntwo"'
    for fmt in (OutputFormat.TABLE, OutputFormat.MD):
        text = render_result(HOSTILE, fmt)
        assert "\x1b" not in text and "\x07" not in text and "\\x1b[31m" in text


def test_json_is_sparql_results_json() -> None:
    data = json.loads(render_result(SELECT, OutputFormat.JSON))
    assert data["head"]["vars"] == ["theme", "label", "n"]
    first, second = data["results"]["bindings"]
    assert first["label"] == {"type": "literal", "value": 'new, "governance"', "xml:lang": "en"}
    assert "label" not in second


def test_markdown_escapes_pipes() -> None:
    result = Result(ResultKind.SELECT, ("x",), ((Literal("a|b"),),))
    assert render_result(result, OutputFormat.MD).splitlines()[2] == "| a\\|b |"


def test_ask_and_graph() -> None:
    assert render_result(Result(ResultKind.ASK, boolean=True)) == "true\n"
    graph = Result(
        ResultKind.GRAPH,
        triples=((THEME, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal("x")),),
    )
    assert "cpkid:theme-1" in render_result(graph)
    assert render_result(graph, OutputFormat.NT).startswith(f"<{THEME}>")


def test_a_format_that_does_not_fit_the_result_is_a_user_error() -> None:
    with pytest.raises(OutputError, match="use turtle, nt, jsonld"):
        render_result(Result(ResultKind.GRAPH), OutputFormat.CSV)
