"""The catalogue of named queries: ``queries/*.rq``, each with a comment header.

A header is the leading ``#`` lines of the file::

    # title: Barriers a theme addresses
    # description: The barriers that one theme of the study helps to overcome.
    # param: theme = cpkid:theme-4 -- the theme, as a CURIE or <IRI>

Parameters are bound to the query's variables as RDF terms, never pasted into its text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ParameterError, QueryError, TermError, UnknownQueryError
from .namespaces import PREFIXES, parse_term
from .resources import queries_dir

if TYPE_CHECKING:
    from rdflib.term import Node

__all__ = [
    "NamedQuery",
    "Parameter",
    "find_query",
    "list_queries",
    "parse_assignment",
    "parse_assignments",
    "read_query",
    "resolve_query",
]

_HEADER = re.compile(r"^#\s*(\w+)\s*:\s?(.*)$")
_PARAM = re.compile(r"^\??([A-Za-z_]\w*)\s*(?:=\s*(.*?))?\s*(?:--\s*(.*))?$")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query: the variable it binds, its default and what it means."""

    name: str
    default: str | None
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A query from the catalogue, with the metadata of its header."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path

    def bindings(self, given: Mapping[str, str], prefixes: Mapping[str, str] = PREFIXES) -> dict[str, Node]:
        """The terms to bind: defaults, overridden by ``given`` (raw text as the user typed it)."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(known))
        if unknown:
            names = ", ".join(known) or "none"
            raise ParameterError(
                f"query {self.name!r} has no parameter {unknown[0]!r} (its parameters: {names})"
            )
        out: dict[str, Node] = {}
        for name, param in known.items():
            raw = given.get(name, param.default)
            if raw is None:
                continue
            try:
                out[name] = parse_term(raw, prefixes)
            except TermError as error:
                raise ParameterError(f"parameter {name}: {error}") from None
        return out


def read_query(path: Path) -> NamedQuery:
    """Read a ``.rq`` file and its header."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryError(f"cannot read the query file {path}: {error}") from None
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if match:
            fields.setdefault(match.group(1).lower(), []).append(match.group(2).strip())
    params = []
    for spec in fields.get("param", []):
        match = _PARAM.match(spec)
        if not match:
            raise QueryError(f"{path}: cannot read the header line 'param: {spec}'")
        params.append(Parameter(match.group(1), match.group(2) or None, match.group(3) or ""))
    return NamedQuery(
        name=path.stem,
        title=" ".join(fields.get("title", [])) or path.stem,
        description=" ".join(fields.get("description", [])),
        parameters=tuple(params),
        text=text,
        path=path,
    )


def list_queries(folder: Path | None = None) -> list[NamedQuery]:
    """Every named query in the catalogue, sorted by name."""
    return [read_query(p) for p in sorted((folder or queries_dir()).glob("*.rq"))]


def find_query(name: str, folder: Path | None = None) -> NamedQuery:
    """The named query called ``name``; an unknown name suggests close ones."""
    names = {q.name: q for q in list_queries(folder)}
    if name in names:
        return names[name]
    raise UnknownQueryError(name, difflib.get_close_matches(name, list(names), n=3, cutoff=0.5))


def resolve_query(spec: str, folder: Path | None = None) -> NamedQuery:
    """A named query by name, or a ``.rq`` file by path."""
    path = Path(spec)
    if spec.endswith(".rq") or path.is_file():
        if not path.is_file():
            raise QueryError(f"no such query file: {spec}")
        return read_query(path)
    return find_query(spec, folder)


def parse_assignment(text: str) -> tuple[str, str]:
    """Split a ``NAME=VALUE`` option.

    >>> parse_assignment("theme=cpkid:theme-4")
    ('theme', 'cpkid:theme-4')
    """
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"[A-Za-z_]\w*", name):
        raise ParameterError(f"a parameter is given as NAME=VALUE, got {text!r}")
    return name, value


def parse_assignments(texts: Sequence[str]) -> dict[str, str]:
    """Several ``NAME=VALUE`` options as a dictionary (the last one wins)."""
    return dict(parse_assignment(t) for t in texts)
