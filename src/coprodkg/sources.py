"""Finding source files and loading them into an Oxigraph store, one named graph per file.

This is the one loading boundary: every parser failure is translated into a
:class:`~coprodkg.errors.ParseError` naming the file, line and column here, and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyoxigraph as ox

from .errors import ParseError, SourceError

__all__ = [
    "FORMATS",
    "Progress",
    "SourceFile",
    "collect_sources",
    "count_graph",
    "display_path",
    "file_graph",
    "graph_path",
    "load_file",
    "load_files",
    "parse_check",
]

#: File extension -> Oxigraph format. Quad formats keep their own named graphs.
FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}

#: Called as ``progress(done, total, path)`` before each file (``done`` files finished) and after it.
Progress = Callable[[int, int, Path], None]

_POSITION = re.compile(r"line (\d+)(?:(?: between)? columns? (\d+))?")


@dataclass(frozen=True)
class SourceFile:
    """One loaded file: where it is, the named graph holding it, and how many triples it gave."""

    path: Path
    graph: str
    triples: int


def collect_sources(paths: Iterable[Path]) -> list[Path]:
    """Expand files and folders (recursively) into the RDF files to load, in a stable order.

    A file named directly must have a known extension; inside a folder, other files are skipped.
    """
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise SourceError(f"no such file or folder: {path}")
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS))
        elif path.suffix.lower() not in FORMATS:
            known = " ".join(sorted(FORMATS))
            raise SourceError(f"unknown RDF format for {path}: expected one of {known}")
        else:
            found.append(path)
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path.resolve(), None)
    return list(unique)


def display_path(path: Path) -> Path:
    """A path as a person reads it: relative to the working directory when it lies below it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def file_graph(path: Path) -> str:
    """The named graph IRI that holds a file's triples: the file's own ``file:`` URI."""
    return path.resolve().as_uri()


def graph_path(graph: str) -> Path | None:
    """The file a named graph came from, when it is a ``file:`` graph."""
    parsed = urlparse(graph)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else None


def _format(path: Path) -> ox.RdfFormat:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise SourceError(f"unknown RDF format for {path}") from None


def _parse_error(path: Path, error: Exception) -> ParseError:
    text = " ".join(str(error).split())
    text = re.sub(r"^Parser error (at )?", "", text)
    text = re.sub(r"\s*\([^()]*, line \d+\)$", "", text)
    match = _POSITION.search(text)
    line = int(match.group(1)) if match else None
    column = int(match.group(2)) if match and match.group(2) else None
    reason = text.split(": ", 1)[1] if match and ": " in text else text
    return ParseError(display_path(path), reason[:200], line, column)


def _quads(path: Path, graph: ox.NamedNode) -> Iterable[ox.Quad]:
    """A quad file's statements, its default graph moved into the file's own graph."""
    for quad in ox.parse(path=path, format=_format(path)):
        if isinstance(quad.graph_name, ox.DefaultGraph):
            yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)
        else:
            yield quad


def parse_check(path: Path) -> int:
    """Parse a file without storing it; return its statement count or raise :class:`ParseError`."""
    try:
        return sum(1 for _ in ox.parse(path=path, format=_format(path)))
    except SyntaxError as error:
        raise _parse_error(path, error) from None
    except (OSError, ValueError) as error:
        raise SourceError(f"cannot read {display_path(path)}: {error}") from None


def load_file(store: ox.Store, path: Path, *, bulk: bool = False) -> SourceFile:
    """Load one file into its own named graph of ``store`` (transactionally unless ``bulk``)."""
    graph = ox.NamedNode(file_graph(path))
    fmt = _format(path)
    try:
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            store.extend(list(_quads(path, graph)))
        elif bulk:
            store.bulk_load(path=path, format=fmt, to_graph=graph, base_iri=graph.value)
        else:
            store.load(path=path, format=fmt, to_graph=graph, base_iri=graph.value)
    except SyntaxError as error:
        raise _parse_error(path, error) from None
    except (OSError, ValueError) as error:
        raise SourceError(f"cannot read {display_path(path)}: {error}") from None
    return SourceFile(path, graph.value, count_graph(store, graph))


def count_graph(store: ox.Store, graph: ox.NamedNode) -> int:
    """The number of triples in one named graph of ``store``."""
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    assert isinstance(result, ox.QuerySolutions)
    return int(next(iter(result))[0].value)


def load_files(
    store: ox.Store, paths: Sequence[Path], *, bulk: bool = False, progress: Progress | None = None
) -> list[SourceFile]:
    """Load several files, reporting progress after each."""
    loaded = []
    for done, path in enumerate(paths, start=1):
        if progress is not None:
            progress(done - 1, len(paths), path)
        loaded.append(load_file(store, path, bulk=bulk))
        if progress is not None:
            progress(done, len(paths), path)
    return loaded
