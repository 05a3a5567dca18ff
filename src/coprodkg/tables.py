"""``coprodkg import TABLE``: a spreadsheet (CSV or XLSX) of items and links, as Turtle with claims.

One row per item or per link (the ROBOT template idea, for people who code their themes in a
spreadsheet). The columns, in :data:`COLUMNS`:

========== ===================================================================================
id         the item's name in your namespace (``theme-1``); or, on a link row, an item of an
           earlier row or a CURIE of a bundled resource (``cpkid:theme-4``)
kind       study, theme, barrier, mechanism, facilitator, outcome, actor, source or scheme (a
           concept scheme for themes); empty on a row that only adds a link from an item
label      the item's label (needed with a kind)
definition the item's definition in your own words (needed with a kind, except for sources)
code       a source's short code, or a theme's number (written as a string)
scheme     a theme's concept scheme (an id or a CURIE)
relation   a link from the item: a cpk: property (``addresses`` or ``cpk:addresses``)
object     what the link points at: an id or a CURIE
source     where the item or link comes from: an id (a source row) or a CURIE (``cpkid:S1``)
status     study (default), article, project, literature or interpretation
section    the section the link is stated in (optional)
anchor     a few words quoted from there (optional)
========== ===================================================================================

A row that breaks a rule is reported as one line naming its row and column, and nothing is
written. Each link is asserted and recorded as a ``cpk:Claim``.

>>> rows = [{"id": "no-time", "kind": "barrier", "label": "no time", "definition": "Workloads.",
...          "source": "cpkid:S1"}]
>>> "ex:no-time a cpk:Barrier" in render_turtle(read_rows(rows, "t.csv"))
True
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import TableError
from .namespaces import PREFIXES
from .scaffold import DEFAULT_BASE, KINDS, claim_turtle

__all__ = ["COLUMNS", "Row", "read_rows", "read_table", "render_template", "render_turtle", "table_to_turtle"]

COLUMNS = (
    "id",
    "kind",
    "label",
    "definition",
    "code",
    "scheme",
    "relation",
    "object",
    "source",
    "status",
    "section",
    "anchor",
)
STATUSES = {
    "study": "cpk:StatedInStudy",
    "article": "cpk:StatedInArticle",
    "project": "cpk:StatedInProjectOutput",
    "literature": "cpk:BackgroundLiterature",
    "interpretation": "cpk:Interpretation",
}
CLASSES = {**{k: v.cls for k, v in KINDS.items() if k != "claim"}, "scheme": "skos:ConceptScheme"}
_ITEM_KINDS = tuple(CLASSES)
_NAME = re.compile(r"^[A-Za-z0-9_][\w.-]*(?<!\.)$")
_CURIE = re.compile(r"^([A-Za-z][\w.-]*):([\w.-]*)$")


@dataclass(frozen=True)
class Row:
    """One checked row: its number (as a spreadsheet counts, the header being row 1) and cells."""

    number: int
    cells: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "").strip()


def _error(table: str, row: int, column: str, message: str) -> TableError:
    return TableError(f"{table} row {row}, column {column}: {message}")


def read_table(path: Path, *, data: bytes | None = None, fmt: str | None = None) -> list[Row]:
    """Read a CSV, TSV or XLSX table (first sheet) and check every row; raise on the first bad one.

    With ``data`` (the table's bytes, read from stdin say) ``path`` only names it in messages and
    ``fmt`` (``csv``, ``tsv`` or ``xlsx``) says what it is; otherwise the suffix of ``path`` does.
    """
    suffix = f".{fmt.lower()}" if fmt else path.suffix.lower()
    if data is None:
        if not path.is_file():
            raise TableError(f"no such table: {path}")
        data = path.read_bytes()
    if suffix == ".xlsx":
        records = _xlsx_records(data, path)
    elif suffix in (".csv", ".tsv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise TableError(f"{path} is not UTF-8 text (byte {error.start})") from None
        records = list(csv.DictReader(io.StringIO(text), delimiter="\t" if suffix == ".tsv" else ","))
    else:
        raise TableError(f"unknown table format for {path}: expected .csv, .tsv or .xlsx")
    return read_rows(records, str(path))


def _xlsx_records(data: bytes, path: Path) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as error:  # openpyxl raises assorted types for a file that is not a workbook
        raise TableError(f"cannot read {path} as a workbook: {' '.join(str(error).split())[:160]}") from None
    rows = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    if not rows:
        return []
    header = [h.strip() for h in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


def read_rows(records: Iterable[Mapping[str, str | None]], table: str) -> list[Row]:
    """Check the rows of a table (dicts keyed by column name); raise on the first bad cell."""
    rows = []
    named: dict[str, str] = {}
    for number, record in enumerate(records, start=2):
        unknown = [k for k in record if k is not None and k.strip() and k.strip() not in COLUMNS]
        if unknown:
            raise _error(table, 1, unknown[0], f"unknown column (the columns are: {', '.join(COLUMNS)})")
        row = Row(number, {k.strip(): (v or "") for k, v in record.items() if k is not None})
        if not any(row[c] for c in COLUMNS):
            continue
        _check_row(row, table, named)
        rows.append(row)
    for row in rows:
        for column in ("object", "source", "scheme"):
            value = row[column]
            if value and not _CURIE.match(value) and value not in named:
                raise _error(
                    table, row.number, column, f"{value!r} is neither an id of this table nor a CURIE"
                )
    return rows


def _check_row(row: Row, table: str, named: dict[str, str]) -> None:
    def fail(column: str, message: str) -> TableError:
        return _error(table, row.number, column, message)

    ident, kind = row["id"], row["kind"].lower()
    if not ident:
        raise fail("id", "give the item's id (a name such as theme-1, or a CURIE on a link row)")
    if kind:
        _check_item(row, ident, kind, named, fail)
    elif ident not in named and not _CURIE.match(ident):
        raise fail("kind", f"{ident!r} is not an item of an earlier row: give its kind, or write a CURIE")
    elif not row["relation"]:
        raise fail("relation", "a row without a kind adds a link: give its relation and object")
    if row["relation"]:
        _check_link(row, fail)
    status = row["status"].lower()
    if status and status not in STATUSES and not status.startswith("cpk:"):
        raise fail("status", f"unknown status {row['status']!r}: one of {', '.join(STATUSES)}")


def _check_item(
    row: Row, ident: str, kind: str, named: dict[str, str], fail: Callable[[str, str], TableError]
) -> None:
    """An item row: a known kind, a new name, and the columns that kind needs."""
    if kind not in _ITEM_KINDS:
        raise fail("kind", f"unknown kind {kind!r}: one of {', '.join(_ITEM_KINDS)}")
    if not _NAME.match(ident):
        raise fail("id", f"{ident!r} is not a name: use letters, digits, - and _ (such as theme-1)")
    if ident in named:
        raise fail("id", f"{ident!r} is already the id of an earlier row")
    named[ident] = kind
    needed = ("label", "source") if kind in ("source", "study") else ("label", "definition", "source")
    if kind == "source":
        needed = ("label", "code")
    for column in needed:
        if not row[column]:
            raise fail(column, f"a {kind} needs a {column}")
    if kind == "theme" and not row["scheme"]:
        raise fail("scheme", "a theme needs its concept scheme (an id or a CURIE such as cpkid:themes)")


def _check_link(row: Row, fail: Callable[[str, str], TableError]) -> None:
    """A link: a cpk: property name, an object and a source."""
    relation = row["relation"].removeprefix("cpk:")
    if not _NAME.match(relation):
        raise fail("relation", f"{row['relation']!r} is not a cpk: property name (such as addresses)")
    if not row["object"]:
        raise fail("object", "a link needs an object: an id or a CURIE")
    if not row["source"]:
        raise fail("source", "a link needs its source (an id or a CURIE such as cpkid:S1)")


def _term(value: str, prefix: str) -> str:
    return value if _CURIE.match(value) else f"{prefix}:{value}"


def _text(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{escaped}"'


def render_turtle(rows: list[Row], *, prefix: str = "ex", base: str = DEFAULT_BASE) -> str:
    """The Turtle for checked rows: one block per item, each link asserted and claimed."""
    used = ("cpk", "cpkid", "rdf", "rdfs", "skos", "prov", "dct", "oa")
    out = [f"@prefix {p}: <{PREFIXES[p]}> ." for p in used] + [f"@prefix {prefix}: <{base}> .", ""]
    labels = {r["id"]: r["label"] for r in rows if r["kind"]}
    for row in rows:
        me, status = _term(row["id"], prefix), _status(row)
        source = _term(row["source"], prefix) if row["source"] else me
        if row["kind"]:
            kind = row["kind"].lower()
            out.append(f"{me} a {CLASSES[kind]} ;")
            out.append(f"    skos:prefLabel {_text(row['label'])}@en ;")
            if row["definition"]:
                out.append(f"    skos:definition {_text(row['definition'])}@en ;")
            if row["code"]:
                out.append(f"    skos:notation {_text(row['code'])} ;")
            if row["scheme"]:
                out.append(f"    skos:inScheme {_term(row['scheme'], prefix)} ;")
            if kind in ("source", "study") and not row["source"]:
                source = me
            out += [f"    cpk:status {status} ;", f"    prov:wasDerivedFrom {source} .", ""]
        if row["relation"]:
            relation = "cpk:" + row["relation"].removeprefix("cpk:")
            obj = _term(row["object"], prefix)
            local = relation.split(":", 1)[1]
            subject_name = row["id"].split(":")[-1]
            object_name = row["object"].split(":")[-1]
            claim = f"{prefix}:claim-{subject_name}-{local}-{object_name}"
            statement = (
                f"{labels.get(row['id'], subject_name)} — {local} — {labels.get(row['object'], object_name)}"
            )
            out.append(f"{me} {relation} {obj} .")
            out.append(
                claim_turtle(
                    claim,
                    (me, relation, obj),
                    status=status,
                    sources=source,
                    label=f"{_text(statement)}@en",
                    section=_text(row["section"]) if row["section"] else None,
                    anchor=_text(row["anchor"]) if row["anchor"] else None,
                )
            )
    return "\n".join(out)


def _status(row: Row) -> str:
    status = row["status"].lower() or "study"
    return STATUSES.get(status, row["status"])


def table_to_turtle(
    path: Path,
    *,
    prefix: str = "ex",
    base: str = DEFAULT_BASE,
    data: bytes | None = None,
    fmt: str | None = None,
) -> str:
    """Read, check and convert one table (``data`` and ``fmt`` as in :func:`read_table`)."""
    if prefix in PREFIXES and PREFIXES[prefix] != base:
        raise TableError(f"--prefix {prefix} is a known prefix ({PREFIXES[prefix]}): choose another name")
    return render_turtle(read_table(path, data=data, fmt=fmt), prefix=prefix, base=base)


_TEMPLATE = [
    [
        "theme-1",
        "theme",
        "protected time for evidence",
        "Staff having time set aside to discuss evidence.",
        "1",
        "themes",
        "",
        "",
        "report",
        "",
        "",
        "",
    ],
    [
        "themes",
        "scheme",
        "Themes of the Example Council study",
        "The themes the example study reports.",
        "",
        "",
        "",
        "",
        "report",
        "",
        "",
        "",
    ],
    [
        "no-time",
        "barrier",
        "no time to read research",
        "Workloads leave no room for reading research.",
        "",
        "",
        "hinders",
        "cpkid:public-health-evidence-used",
        "report",
        "",
        "Findings",
        "no time",
    ],
    ["theme-1", "", "", "", "", "", "addresses", "no-time", "report", "", "Findings", "protected time"],
    ["report", "source", "Example Council evidence cafés (report)", "", "EX1", "", "", "", "", "", "", ""],
]


def render_template() -> str:
    """A CSV template with the columns and example rows (``coprodkg new --table``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_TEMPLATE)
    return buffer.getvalue()
