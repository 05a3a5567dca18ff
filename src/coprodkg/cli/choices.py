"""The fixed choices of the command line, as enums (cheap to import: no RDF libraries).

``OutputFormat``, a library type (:mod:`coprodkg.formats`), is one of them too.
"""

from __future__ import annotations

from enum import StrEnum

from ..formats import OutputFormat

__all__ = [
    "DiffFormat",
    "ExportFormat",
    "MapFormat",
    "MetricsFormat",
    "OutputFormat",
    "PageFormat",
    "RankBy",
    "Reasoning",
    "ReportFormat",
    "TableFormat",
]


class ExportFormat(StrEnum):
    """What ``coprodkg export`` writes: RDF serialisations, or the network projection."""

    TTL = "ttl"
    NT = "nt"
    JSONLD = "jsonld"
    TRIG = "trig"
    NQ = "nq"
    GRAPHML = "graphml"
    GEXF = "gexf"
    CSV = "csv"

    @property
    def is_network(self) -> bool:
        """True for the formats that write the network projection rather than RDF."""
        return self in (ExportFormat.GRAPHML, ExportFormat.GEXF, ExportFormat.CSV)


class MetricsFormat(StrEnum):
    """How ``coprodkg analyse`` writes its table."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


class RankBy(StrEnum):
    """The metric ``coprodkg analyse`` ranks by."""

    BETWEENNESS = "betweenness"
    PAGERANK = "pagerank"
    DEGREE = "degree"


class ReportFormat(StrEnum):
    """How a report (info, validate, show) is written."""

    TEXT = "text"
    JSON = "json"


class MapFormat(StrEnum):
    """What ``coprodkg map`` writes: the offline page, or the matrix as text."""

    HTML = "html"
    CSV = "csv"
    MD = "md"


class DiffFormat(StrEnum):
    """How ``coprodkg diff`` writes the changes."""

    TEXT = "text"
    MD = "md"
    JSON = "json"


class PageFormat(StrEnum):
    """What ``coprodkg docs`` writes: an HTML page or Markdown."""

    HTML = "html"
    MD = "md"


class TableFormat(StrEnum):
    """What a table read by ``coprodkg import`` is (needed when it comes on stdin)."""

    CSV = "csv"
    TSV = "tsv"
    XLSX = "xlsx"


class Reasoning(StrEnum):
    """What ``--reason`` adds to the graph before a reading command runs."""

    NONE = "none"
    RDFS = "rdfs"
    OWL_RL = "owl-rl"
