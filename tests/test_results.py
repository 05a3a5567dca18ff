"""Renderings of results: aligned tables with CURIEs, plain CSV/TSV, SPARQL JSON, Markdown, RDF."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Literal, URIRef

from coprodkg.errors import OutputError
from coprodkg.formats import OutputFormat, ResultKind
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


def test_csv_and_tsv_are_plain_values_with_a_header() -> None:
    rows = list(csv.reader(io.StringIO(render_result(SELECT, OutputFormat.CSV))))
    assert rows == [["theme", "label", "n"], [str(THEME), 'new, "governance"', "4"], [str(THEME), "", "5"]]
    tsv = render_result(SELECT, OutputFormat.TSV).splitlines()
    assert tsv[0] == "theme\tlabel\tn"


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
    with pytest.raises(
        OutputError, match="the format csv does not fit a CONSTRUCT/DESCRIBE result: use turtle, nt, jsonld"
    ):
        render_result(Result(ResultKind.GRAPH), OutputFormat.CSV)
