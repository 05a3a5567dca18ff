"""The fixed choices of the command line, as enums (cheap to import: no RDF libraries)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ExportFormat", "OutputFormat", "ReportFormat", "ResultKind"]


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


class ExportFormat(StrEnum):
    """RDF serialisations for ``coprodkg export``."""

    TTL = "ttl"
    NT = "nt"
    JSONLD = "jsonld"
    TRIG = "trig"
    NQ = "nq"


class ReportFormat(StrEnum):
    """How a report (info, validate, show) is written."""

    TEXT = "text"
    JSON = "json"
