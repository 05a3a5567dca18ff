"""coprodkg import: tables of items and links become Turtle with claims; bad rows stop it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import PROV, RDF

from coprodkg.engine import load_graph, serialize_graph
from coprodkg.errors import TableError
from coprodkg.tables import COLUMNS, read_table, render_template, table_to_turtle
from coprodkg.validation import validate_sources

from .conftest import Outcome, assert_user_error

CPK = Namespace("https://w3id.org/coprodkg/ns#")
EX = "https://example.org/my-study/"
CPKID = "https://w3id.org/coprodkg/id/"
STATUS = {"": CPK.StatedInStudy, "study": CPK.StatedInStudy, "article": CPK.StatedInArticle}


def term(value: str) -> URIRef:
    return URIRef(CPKID + value[6:]) if value.startswith("cpkid:") else URIRef(EX + value)


def expected_claims(table: str) -> set[tuple[URIRef, URIRef, URIRef, URIRef, URIRef]]:
    rows = list(csv.DictReader(io.StringIO(table)))
    return {
        (term(r["id"]), CPK[r["relation"]], term(r["object"]), STATUS[r["status"]], term(r["source"]))
        for r in rows
        if r["relation"]
    }


def claims_in(graph: Graph) -> set[tuple[URIRef, URIRef, URIRef, URIRef, URIRef]]:
    found = set()
    for claim in graph.subjects(RDF.type, CPK.Claim):
        subject = graph.value(claim, RDF.subject)
        if str(subject).startswith(EX):
            found.add(
                (
                    subject,
                    graph.value(claim, RDF.predicate),
                    graph.value(claim, RDF.object),
                    graph.value(claim, CPK.status),
                    graph.value(claim, PROV.wasDerivedFrom),
                )
            )
    return found  # type: ignore[return-value]


def test_the_template_round_trips_import_export_same_claims(tmp_path: Path) -> None:
    template = render_template()
    table = tmp_path / "study.csv"
    table.write_text(template, encoding="utf-8")
    turtle = tmp_path / "study.ttl"
    turtle.write_text(table_to_turtle(table), encoding="utf-8")
    assert validate_sources([turtle]).conforms
    exported = Graph().parse(data=serialize_graph(load_graph([turtle]), "ttl"), format="turtle")
    assert claims_in(exported) == expected_claims(template)
    assert len(expected_claims(template)) == 2
    for subject, predicate, obj, _, _ in expected_claims(template):
        assert (subject, predicate, obj) in exported, "each link is asserted as well as claimed"


def test_xlsx_reads_like_csv(tmp_path: Path) -> None:
    from openpyxl import Workbook

    rows = list(csv.reader(io.StringIO(render_template())))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = tmp_path / "study.xlsx"
    book.save(path)
    csv_path = tmp_path / "study.csv"
    csv_path.write_text(render_template(), encoding="utf-8")
    assert table_to_turtle(path) == table_to_turtle(csv_path)


HEADER = ",".join(COLUMNS)
BAD_ROWS = {
    "unknown kind": ("x,thema,X,D,,,,,cpkid:S1,,,", 2, "kind"),
    "kind without label": ("x,barrier,,D,,,,,cpkid:S1,,,", 2, "label"),
    "kind without source": ("x,barrier,X,D,,,,,,,,", 2, "source"),
    "theme without scheme": ("x,theme,X,D,1,,,,cpkid:S1,,,", 2, "scheme"),
    "link without object": ("x,barrier,X,D,,,hinders,,cpkid:S1,,,", 2, "object"),
    "object names nothing": ("x,barrier,X,D,,,hinders,nowhere,cpkid:S1,,,", 2, "object"),
    "bad status": ("x,barrier,X,D,,,,,cpkid:S1,maybe,,", 2, "status"),
    "repeated id": ("x,barrier,X,D,,,,,cpkid:S1,,,\nx,outcome,Y,E,,,,,cpkid:S1,,,", 3, "id"),
    "link from nothing": ("y,,,,,,hinders,cpkid:S1,cpkid:S1,,,", 2, "kind"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_bad_row_is_one_line_naming_row_and_column_and_nothing_is_written(
    case: str, tmp_path: Path, cli: Callable[..., Outcome]
) -> None:
    body, row, column = BAD_ROWS[case]
    table = tmp_path / "bad.csv"
    table.write_text(HEADER + "\n" + body + "\n", encoding="utf-8")
    with pytest.raises(TableError, match=f"row {row}, column {column}:"):
        read_table(table)
    out = tmp_path / "out.ttl"
    assert_user_error(cli("import", table, "-o", out), f"row {row}, column {column}")
    assert not out.exists()


def test_unknown_column_and_format(tmp_path: Path, cli: Callable[..., Outcome]) -> None:
    table = tmp_path / "bad.csv"
    table.write_text("id,kind,colour\nx,barrier,red\n", encoding="utf-8")
    assert_user_error(cli("import", table), "row 1, column colour")
    other = tmp_path / "t.ods"
    other.write_text("", encoding="utf-8")
    assert_user_error(cli("import", other), "unknown table format")


def test_cli_import_writes_a_new_file(tmp_path: Path, cli: Callable[..., Outcome]) -> None:
    table = tmp_path / "t.csv"
    table.write_text(render_template(), encoding="utf-8")
    out = tmp_path / "t.ttl"
    assert cli("import", table, "-o", out).code == 0
    assert cli("validate", out).code == 0
    assert_user_error(cli("import", table, "-o", out), "exists")


def test_dash_reads_the_table_from_stdin_with_its_format(tmp_path: Path, cli: Callable[..., Outcome]) -> None:
    table = tmp_path / "study.csv"
    table.write_text(render_template(), encoding="utf-8")
    from_file = cli("import", table)
    from_stdin = cli("import", "-", "--format", "csv", input=render_template())
    assert from_file.code == 0 and from_stdin.code == 0
    assert from_stdin.stdout == from_file.stdout
    assert_user_error(cli("import", "-", input=render_template()), "--format csv, tsv or xlsx")
    tsv = render_template().replace(",", "\t")
    assert cli("import", "-", "-f", "tsv", input=tsv).stdout == from_file.stdout
