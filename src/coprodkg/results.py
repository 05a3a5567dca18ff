"""Query results as values, and their renderings: table, CSV, TSV, JSON, Markdown, RDF.

A :class:`Result` is the same whichever engine produced it (embedded or remote), so every
command renders local and remote answers identically.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import OutputError
from .formats import FOR_KIND, OutputFormat, ResultKind
from .namespaces import PREFIXES, format_term

if TYPE_CHECKING:
    import pandas
    from rdflib import Graph

__all__ = ["OutputFormat", "Result", "ResultKind", "render_result", "render_table"]

Row = tuple[Node | None, ...]
Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Result:
    """The answer to one query: rows of terms (SELECT), a boolean (ASK) or triples (CONSTRUCT).

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
    if isinstance(term, Literal):
        value = term.toPython()
        return value if not isinstance(value, Literal) else str(value)
    return None if term is None else str(term)


def _plain(term: Node | None) -> str:
    return "" if term is None else str(term)


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 60) -> str:
    """Aligned columns under a header and a rule; cells longer than ``max_width`` wrap.

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
            textwrap.wrap(cell, max_width, break_on_hyphens=False, break_long_words=False) or [""]
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


def _delimited(result: Result, dialect: str) -> str:
    buffer = io.StringIO()
    if dialect == "tsv":
        writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    else:
        writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.vars)
    writer.writerows([_plain(term) for term in row] for row in result.rows)
    return buffer.getvalue()


def _markdown(result: Result, prefixes: Mapping[str, str]) -> str:
    def cell(term: Node | None) -> str:
        return format_term(term, prefixes).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(result.vars) + " |", "|" + "---|" * len(result.vars)]
    lines.extend("| " + " | ".join(cell(t) for t in row) + " |" for row in result.rows)
    return "\n".join(lines) + "\n"


def render_result(
    result: Result, fmt: OutputFormat | None = None, prefixes: Mapping[str, str] = PREFIXES
) -> str:
    """Render a result in a format that suits its kind (table or Turtle when ``fmt`` is None)."""
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
        return _delimited(result, fmt.value)
    if fmt is OutputFormat.MD:
        return _markdown(result, prefixes)
    bindings = [
        {var: _json_term(term) for var, term in zip(result.vars, row, strict=True) if term is not None}
        for row in result.rows
    ]
    return (
        json.dumps({"head": {"vars": list(result.vars)}, "results": {"bindings": bindings}}, indent=2) + "\n"
    )
