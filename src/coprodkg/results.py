"""Query results as values, and their renderings: table, CSV, TSV, JSON, Markdown, RDF.

A :class:`Result` is the same whichever engine produced it (embedded or remote), so every
command renders local and remote answers identically.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import OutputError
from .files import escape_control
from .formats import FOR_KIND, OutputFormat, ResultKind
from .namespaces import PREFIXES, format_term

if TYPE_CHECKING:
    import pandas
    from rdflib import Graph
    from rdflib.term import Node

    Row = tuple[Node | None, ...]
    Triple = tuple[Node, Node, Node]

__all__ = [
    "OutputFormat",
    "Result",
    "ResultKind",
    "neutralise_formula",
    "render_result",
    "render_table",
    "tsv_term",
]


@dataclass(frozen=True)
class Result:
    """The answer to one query: rows of terms (SELECT), a boolean (ASK) or triples (CONSTRUCT).

    >>> from rdflib import Literal
    >>> r = Result(ResultKind.SELECT, ("n",), ((Literal(1),),))
    >>> r.column("n")
    [rdflib.term.Literal('1', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))]
    """

    kind: ResultKind
    vars: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    boolean: bool | None = None
    triples: tuple[Triple, ...] = field(default=(), repr=False)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows) if self.kind is ResultKind.SELECT else len(self.triples)

    def column(self, var: str) -> list[Node | None]:
        """The values of one variable, in row order."""
        index = self.vars.index(var)
        return [row[index] for row in self.rows]

    def records(self) -> list[dict[str, Node | None]]:
        """The rows as dictionaries keyed by variable name."""
        return [dict(zip(self.vars, row, strict=True)) for row in self.rows]

    def graph(self) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE result as an rdflib graph."""
        from rdflib import Graph

        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in self.triples:
            graph.add(triple)
        return graph

    def to_dataframe(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame of Python values (needs pandas)."""
        import pandas

        return pandas.DataFrame(
            [[_python(term) for term in row] for row in self.rows], columns=list(self.vars)
        )


def _python(term: Node | None) -> Any:
    from rdflib import Literal

    if isinstance(term, Literal):
        value = term.toPython()
        return value if not isinstance(value, Literal) else str(value)
    return None if term is None else str(term)


def _plain(term: Node | None) -> str:
    return "" if term is None else str(term)


_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_ECHAR = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\b": "\\b", "\f": "\\f", '"': '\\"', "\\": "\\\\"}
_XSD = "http://www.w3.org/2001/XMLSchema#"
_BARE = {  # literals Turtle writes without quotes
    _XSD + "integer": re.compile(r"[+-]?\d+"),
    _XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    _XSD + "boolean": re.compile(r"true|false"),
}


def neutralise_formula(cell: str) -> str:
    r"""A CSV cell a spreadsheet will not run: a leading ``= + - @`` (or tab, CR) gets a ``'`` before
    it, OWASP's rule for CSV injection; a plain number is left as it is.

    >>> print(neutralise_formula('=HYPERLINK("http://x")'), neutralise_formula("-3.5"), neutralise_formula("ok"))
    '=HYPERLINK("http://x") -3.5 ok
    """
    if cell.startswith(_FORMULA) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def tsv_term(term: Node | None) -> str:
    r"""A term as SPARQL 1.1 TSV writes it: Turtle syntax, with tabs and newlines escaped.

    >>> from rdflib import Literal, URIRef
    >>> print(tsv_term(URIRef("https://example.org/a")), tsv_term(Literal("a\tb")), tsv_term(Literal(3)))
    <https://example.org/a> "a\tb" 3
    """
    from rdflib import BNode, Literal, URIRef  # here: results are rdflib terms, so it is loaded

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    datatype = str(term.datatype) if term.datatype else ""
    if datatype in _BARE and _BARE[datatype].fullmatch(str(term)):
        return str(term)
    text = (
        '"'
        + "".join(_ECHAR.get(c) or (f"\\u{ord(c):04X}" if c < " " or c == "\x7f" else c) for c in str(term))
        + '"'
    )
    if term.language:
        return f"{text}@{term.language}"
    if datatype and datatype != _XSD + "string":
        return f"{text}^^<{datatype}>"
    return text


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 60) -> str:
    r"""Aligned columns under a header and a rule; cells longer than ``max_width`` wrap.

    Control characters in a cell are shown as escapes (``\x1b``), so data cannot drive a terminal.

    >>> print(render_table(["a", "bb"], [["1", "2"]]))
    a  bb
    -  --
    1  2
    >>> print(render_table(["word"], [["one two three"]], max_width=7))
    word
    -------
    one two
    three
    """
    wrapped = [
        [
            textwrap.wrap(
                escape_control(cell, keep_lines=False),
                max_width,
                break_on_hyphens=False,
                break_long_words=False,
            )
            or [""]
            for cell in row
        ]
        for row in rows
    ]
    widths = [len(h) for h in headers]
    for row in wrapped:
        widths = [max(w, *(len(piece) for piece in cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in wrapped:
        for i in range(max(len(cell) for cell in row)):
            pieces = [cell[i] if i < len(cell) else "" for cell in row]
            lines.append("  ".join(p.ljust(w) for p, w in zip(pieces, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _json_term(term: Node) -> dict[str, str]:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def _delimited(result: Result, dialect: str, raw: bool = False) -> str:
    buffer = io.StringIO()
    if dialect == "tsv":  # SPARQL 1.1 TSV: ?names, terms in Turtle syntax, no quoting needed
        lines = ["\t".join(f"?{v}" for v in result.vars)]
        lines.extend("\t".join(tsv_term(term) for term in row) for row in result.rows)
        return "\n".join(lines) + "\n"
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.vars)
    cell = _plain if raw else (lambda term: neutralise_formula(_plain(term)))
    writer.writerows([cell(term) for term in row] for row in result.rows)
    return buffer.getvalue()


def _markdown(result: Result, prefixes: Mapping[str, str]) -> str:
    def cell(term: Node | None) -> str:
        return escape_control(
            format_term(term, prefixes).replace("|", "\\|").replace("\n", " "), keep_lines=False
        )

    lines = ["| " + " | ".join(result.vars) + " |", "|" + "---|" * len(result.vars)]
    lines.extend("| " + " | ".join(cell(t) for t in row) + " |" for row in result.rows)
    return "\n".join(lines) + "\n"


def render_result(
    result: Result,
    fmt: OutputFormat | None = None,
    prefixes: Mapping[str, str] = PREFIXES,
    *,
    raw: bool = False,
) -> str:
    """Render a result in a format that suits its kind (table or Turtle when ``fmt`` is None).

    CSV neutralises cells a spreadsheet would run as formulas (:func:`neutralise_formula`) unless
    ``raw``; TSV follows SPARQL 1.1 (:func:`tsv_term`); a table escapes control characters.
    """
    allowed = FOR_KIND[result.kind]
    fmt = fmt or allowed[0]
    if fmt not in allowed:
        names = ", ".join(f.value for f in allowed)
        form = {ResultKind.SELECT: "SELECT", ResultKind.ASK: "ASK", ResultKind.GRAPH: "CONSTRUCT/DESCRIBE"}
        raise OutputError(f"the format {fmt.value} does not fit a {form[result.kind]} result: use {names}")
    if result.kind is ResultKind.ASK:
        if fmt is OutputFormat.JSON:
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if result.kind is ResultKind.GRAPH:
        graph = result.graph()
        name = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt.value]
        return graph.serialize(format=name)
    if fmt is OutputFormat.TABLE:
        cells = [[format_term(t, prefixes) for t in row] for row in result.rows]
        footer = f"\n({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})"
        return render_table(result.vars, cells) + footer + "\n"
    if fmt in (OutputFormat.CSV, OutputFormat.TSV):
        return _delimited(result, fmt.value, raw)
    if fmt is OutputFormat.MD:
        return _markdown(result, prefixes)
    bindings = [
        {var: _json_term(term) for var, term in zip(result.vars, row, strict=True) if term is not None}
        for row in result.rows
    ]
    return (
        json.dumps({"head": {"vars": list(result.vars)}, "results": {"bindings": bindings}}, indent=2) + "\n"
    )
