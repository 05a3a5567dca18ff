"""The errors coprodkg raises for things a user can fix.

Every error a user can cause is a :class:`CoprodkgError`; the CLI prints its message as one
line and exits with status 2. Anything else is a bug and shows a traceback. ::

    CoprodkgError
    ├── SourceError            a source file or folder cannot be used
    │   ├── ParseError         a source does not parse (file, line, column)
    │   ├── SourceLimitError   a source goes past a parsing limit (depth, literal size, entities)
    │   └── TableError         a row of a table to import breaks a rule (row, column)
    ├── QueryError             a query cannot be run
    │   ├── UnknownQueryError  no named query by that name (with close names)
    │   ├── QuerySyntaxError   the SPARQL text is malformed
    │   ├── QueryLimitError    the query is nested too deep, or asks for a SERVICE not allowed
    │   ├── QueryTimeoutError  the query ran past its timeout and was cancelled
    │   └── ParameterError     a --param is malformed or unknown
    ├── TermError              a term (CURIE, IRI or label) names nothing, or several things
    ├── StoreError             an on-disk store cannot be opened or written
    ├── EndpointError          a remote SPARQL endpoint failed (refused, timeout, bad answer)
    └── OutputError            an output file or format cannot be written
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "AmbiguousTermError",
    "CoprodkgError",
    "EndpointError",
    "OutputError",
    "ParameterError",
    "ParseError",
    "QueryError",
    "QueryLimitError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "SourceError",
    "SourceLimitError",
    "StoreError",
    "TableError",
    "TermError",
    "UnknownQueryError",
]


class CoprodkgError(Exception):
    """Base of every error a user can cause and fix."""


class SourceError(CoprodkgError):
    """A source file or folder cannot be used (missing, unreadable, unknown format)."""


class ParseError(SourceError):
    """A source file does not parse.

    >>> str(ParseError(Path("extra.ttl"), "a dot is expected", line=3, column=7))
    'cannot parse extra.ttl at line 3, column 7: a dot is expected'
    """

    def __init__(self, path: Path, reason: str, line: int | None = None, column: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        self.column = column
        where = ""
        if line is not None:
            where = f" at line {line}" + (f", column {column}" if column is not None else "")
        super().__init__(f"cannot parse {path}{where}: {reason}")


class SourceLimitError(SourceError):
    """A source goes past a parsing limit: nesting depth, literal size, or XML entity declarations."""


class TableError(SourceError):
    """A table given to ``coprodkg import`` cannot be read, or one of its rows breaks a rule."""


class QueryError(CoprodkgError):
    """A query cannot be run."""


class UnknownQueryError(QueryError):
    """No named query has this name."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else ""
        super().__init__(f"no named query {name!r}{hint}; `coprodkg queries` lists them")


class QuerySyntaxError(QueryError):
    """The SPARQL text is malformed."""


class QueryLimitError(QueryError):
    """The query is refused before it runs: nested too deep, or a SERVICE call not allowed."""


class QueryTimeoutError(QueryError):
    """The query ran past its timeout and was cancelled."""


class ParameterError(QueryError):
    """A query parameter is malformed or unknown."""


class TermError(CoprodkgError):
    """A term names no resource, or several."""


class AmbiguousTermError(TermError):
    """A label several resources share; :attr:`candidates` holds ``(iri, study codes)`` for each."""

    def __init__(self, message: str, candidates: tuple[tuple[str, str], ...]) -> None:
        super().__init__(message)
        self.candidates = candidates


class StoreError(CoprodkgError):
    """An on-disk store cannot be opened or written."""


class EndpointError(CoprodkgError):
    """A remote SPARQL endpoint failed: refused, timed out, unauthorised or answered badly."""


class OutputError(CoprodkgError):
    """An output cannot be written."""
