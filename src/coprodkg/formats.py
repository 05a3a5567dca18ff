"""What a query returns, and the formats its answer is written in (cheap to import: no RDF libraries).

Library types, shared by the engines (:mod:`coprodkg.engine`, :mod:`coprodkg.remote`), the
renderings (:mod:`coprodkg.results`) and the command line's ``--format`` choice.

>>> OutputFormat("csv") in FOR_KIND[ResultKind.SELECT]
True
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["FOR_KIND", "OutputFormat", "ResultKind"]


class ResultKind(StrEnum):
    """What a query returned."""

    SELECT = "select"
    ASK = "ask"
    GRAPH = "graph"


class OutputFormat(StrEnum):
    """How a query result is written: the first five for SELECT, the last three for CONSTRUCT."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    MD = "md"
    TURTLE = "turtle"
    NT = "nt"
    JSONLD = "jsonld"


FOR_KIND = {
    ResultKind.SELECT: (
        OutputFormat.TABLE,
        OutputFormat.CSV,
        OutputFormat.TSV,
        OutputFormat.JSON,
        OutputFormat.MD,
    ),
    ResultKind.ASK: (OutputFormat.TABLE, OutputFormat.JSON),
    ResultKind.GRAPH: (OutputFormat.TURTLE, OutputFormat.NT, OutputFormat.JSONLD),
}
"""The formats that fit each kind of result, the default first."""
