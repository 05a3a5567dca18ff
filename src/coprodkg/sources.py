"""Finding source files and loading them into an Oxigraph store, one named graph per file.

Each file's triples also go into the store's default graph, the merge of all files that every
query reads (:func:`merge_graphs`): Oxigraph 0.5's union default graph yields a triple once per
named graph that holds it (oxigraph/oxigraph#1919), so two files stating the same triple would
count it twice. The default graph is a set: it holds each triple once, while the files' graphs
keep who states what (``file:`` graph names, validate's file:line, diff).

This is the one loading boundary: every parser failure is translated into a
:class:`~coprodkg.errors.ParseError` naming the file, line and column here, and nowhere else.

Parsing is bounded (see :class:`Limits`): RDF/XML may not declare entities (no "billion laughs")
and may nest elements at most ``COPRODKG_MAX_DEPTH`` deep (default 1000); a literal, IRI or line
longer than the parser's 16 MB buffer is one line naming the file. Only regular files are read
(a FIFO or a device would block or never end), a UTF-8 byte order mark is skipped, and a file's
format comes from the name it was given, even when that name is a symlink.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pyoxigraph as ox

from .errors import ParseError, SourceError, SourceLimitError
from .worker import run_stoppable

__all__ = [
    "FORMATS",
    "Limits",
    "Progress",
    "SourceFile",
    "collect_sources",
    "count_graph",
    "display_path",
    "file_graph",
    "graph_path",
    "load_file",
    "load_files",
    "merge_graphs",
    "merged",
    "parse_check",
    "remove_file_graph",
    "to_oxigraph",
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

_BOM = b"\xef\xbb\xbf"
_PARSER_BUFFER_MB = 16


@dataclass(frozen=True)
class Limits:
    """Bounds on what is parsed, raised with the environment variables ``COPRODKG_MAX_DEPTH`` (nesting
    of RDF/XML elements and of query brackets) and ``COPRODKG_MAX_LITERAL_MB`` (one literal, IRI or
    line: past the fast parser's 16 MB buffer, such a file is read by rdflib's slower parser)."""

    depth: int = 1000
    literal_mb: int = _PARSER_BUFFER_MB

    @classmethod
    def from_environment(cls) -> Limits:
        """The limits, with ``COPRODKG_MAX_DEPTH`` and ``COPRODKG_MAX_LITERAL_MB`` read when set."""
        values = {}
        for field_name, variable in (
            ("depth", "COPRODKG_MAX_DEPTH"),
            ("literal_mb", "COPRODKG_MAX_LITERAL_MB"),
        ):
            raw = os.environ.get(variable, "")
            if raw:
                if not raw.isdigit() or int(raw) < 1:
                    raise SourceError(f"{variable} must be a positive whole number, not {raw!r}")
                values[field_name] = int(raw)
        return cls(**values)


_POSITION = re.compile(r"line (\d+)(?:(?: between)? columns? (\d+))?")


@dataclass(frozen=True)
class SourceFile:
    """One loaded file: where it is, the named graph holding it, and how many triples it gave."""

    path: Path
    graph: str
    triples: int


def collect_sources(paths: Iterable[Path]) -> list[Path]:
    """Expand files and folders (recursively) into the RDF files to load, in a stable order.

    A file named directly must be a regular file with a known extension (judged by the name given,
    so a symlink ``current.ttl`` to ``x.ttl.bak`` is Turtle); inside a folder, other files are
    skipped, and a folder holding no RDF file at all is an error.
    """
    known = " ".join(sorted(FORMATS))
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise SourceError(f"no such file or folder: {path}")
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS)
            if not inside:
                raise SourceError(f"no RDF files in the folder {path}: looked for {known}")
            found.extend(inside)
        elif path.suffix.lower() not in FORMATS:
            raise SourceError(f"unknown RDF format for {path}: expected one of {known}")
        elif not stat.S_ISREG(path.stat().st_mode):
            raise SourceError(f"{path} is not a regular file (a pipe, device or socket): give a file")
        else:
            found.append(path)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path.absolute())
    return list(unique.values())


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


def _input(path: Path) -> dict[str, Any]:
    """How to hand a file to Oxigraph: by path, or as an open file past its byte order mark."""
    with path.open("rb") as head:
        if head.read(len(_BOM)) != _BOM:
            return {"path": path}
    handle = path.open("rb")
    handle.seek(len(_BOM))
    return {"input": handle}


def _check_xml(path: Path, limits: Limits) -> None:
    """Refuse RDF/XML that declares entities or nests deeper than ``limits.depth``."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    depth = 0

    def entity(name: str, *_: object) -> None:
        raise SourceLimitError(
            f"{display_path(path)} declares the XML entity {name!r}: entities are refused "
            "(they can expand without bound); write the text out instead"
        )

    def start(*_: object) -> None:
        nonlocal depth
        depth += 1
        if depth > limits.depth:
            raise SourceLimitError(
                f"{display_path(path)} nests XML elements deeper than {limits.depth} (at line "
                f"{parser.CurrentLineNumber}); raise the limit with COPRODKG_MAX_DEPTH if this is meant"
            )

    def end(*_: object) -> None:
        nonlocal depth
        depth -= 1

    parser.EntityDeclHandler = entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        with path.open("rb") as handle:
            parser.ParseFile(handle)
    except expat.ExpatError:
        pass  # malformed XML: Oxigraph's own error names the line


def _quads(path: Path, graph: ox.NamedNode, source: dict[str, Any]) -> list[ox.Quad]:
    """A quad file's statements, its default graph moved into the file's own graph."""
    return [
        ox.Quad(q.subject, q.predicate, q.object, graph) if isinstance(q.graph_name, ox.DefaultGraph) else q
        for q in ox.parse(format=_format(path), **source)
    ]


_RDFLIB_FORMATS = {
    ox.RdfFormat.TURTLE: "turtle",
    ox.RdfFormat.N_TRIPLES: "nt",
    ox.RdfFormat.RDF_XML: "xml",
    ox.RdfFormat.JSON_LD: "json-ld",
}


def _slow_quads(path: Path, graph: ox.NamedNode, limits: Limits) -> list[ox.Quad]:
    """A file's triples read by rdflib, which has no buffer limit, for values past Oxigraph's."""
    from rdflib import Graph, Literal

    parsed = Graph()
    with path.open("rb") as handle:
        if handle.read(len(_BOM)) != _BOM:
            handle.seek(0)
        parsed.parse(handle, format=_RDFLIB_FORMATS[_format(path)], publicID=graph.value)
    limit = limits.literal_mb * 1_000_000

    def term(node: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(node, Literal) and len(node) > limit:
            raise SourceLimitError(
                f"{display_path(path)} holds a literal of {len(node) / 1e6:.0f} MB, over "
                f"COPRODKG_MAX_LITERAL_MB={limits.literal_mb}"
            )
        return to_oxigraph(node)

    return [ox.Quad(term(s), term(p), term(o), graph) for s, p, o in parsed]  # type: ignore[arg-type]


def to_oxigraph(term: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib IRI, blank node or literal as the same Oxigraph term.

    >>> from rdflib import Literal
    >>> to_oxigraph(Literal("chat", lang="fr"))
    <Literal value=chat language=fr>
    """
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)


def _close(source: dict[str, Any]) -> None:
    handle = source.get("input")
    if handle is not None:
        handle.close()


def _translate(path: Path, error: BaseException) -> SourceError:
    if isinstance(error, SyntaxError):
        return _parse_error(path, error)
    if isinstance(error, MemoryError):
        return SourceLimitError(
            f"cannot load {display_path(path)}: a literal, IRI or line is longer than "
            f"{_PARSER_BUFFER_MB} MB, the fast parser's limit; raise it with COPRODKG_MAX_LITERAL_MB "
            "(the file is then read by a slower parser)"
        )
    return SourceError(f"cannot read {display_path(path)}: {' '.join(str(error).split())[:200]}")


def _guarded(
    path: Path, work: Callable[[dict[str, Any]], object], limits: Limits | None, stoppable: bool = True
) -> object:
    """Run one parse of ``path`` (stoppably, unless the caller already runs in a stoppable
    worker), translating every parser failure to a :class:`SourceError`."""
    if _format(path) is ox.RdfFormat.RDF_XML:
        _check_xml(path, limits or Limits.from_environment())
    try:
        source = _input(path)
    except OSError as error:
        raise _translate(path, error) from None
    try:
        if not stoppable:
            return work(source)
        return run_stoppable(lambda: work(source), what=f"loading {display_path(path)}")
    except (SyntaxError, MemoryError, OSError, ValueError) as error:
        raise _translate(path, error) from None
    finally:
        _close(source)


def parse_check(path: Path, limits: Limits | None = None) -> int:
    """Parse a file without storing it; return its statement count or raise :class:`ParseError`."""
    count = _guarded(
        path,
        lambda source: sum(1 for _ in ox.parse(format=_format(path), **source)),
        limits,
    )
    assert isinstance(count, int)
    return count


def load_file(
    store: ox.Store, path: Path, *, bulk: bool = False, limits: Limits | None = None, stoppable: bool = True
) -> SourceFile:
    """Load one file into its own named graph of ``store`` (transactionally unless ``bulk``), and
    its triples into the default graph (see :func:`merge_graphs`).

    Ctrl-C stops the load within a fraction of a second (:func:`~coprodkg.worker.run_stoppable`);
    ``stoppable=False`` is for a caller that already runs it in a stoppable worker.
    """
    graph = ox.NamedNode(file_graph(path))
    fmt = _format(path)

    limits = limits or Limits.from_environment()

    written: list[ox.NamedNode | ox.BlankNode] = [graph]
    others = set(store.named_graphs()) if fmt.supports_datasets else set()

    def work(source: dict[str, Any]) -> None:
        try:
            if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
                quads = _quads(path, graph, source)
                written.extend({q.graph_name for q in quads if q.graph_name != graph})  # type: ignore[misc]
                store.extend(quads)
            elif bulk:
                store.bulk_load(format=fmt, to_graph=graph, base_iri=graph.value, **source)
            else:
                store.load(format=fmt, to_graph=graph, base_iri=graph.value, **source)
        except MemoryError:
            if limits.literal_mb <= _PARSER_BUFFER_MB or fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
                raise
            store.remove_graph(graph)  # what a bulk load wrote before it stopped
            store.extend(_slow_quads(path, graph, limits))

    _guarded(path, work, limits, stoppable)
    if fmt.supports_datasets:  # JSON-LD keeps its own named graphs too
        written.extend(set(store.named_graphs()) - others - set(written))
    merge_graphs(store, written, bulk=bulk)
    return SourceFile(path, graph.value, count_graph(store, graph))


def merge_graphs(
    store: ox.Store, graphs: Iterable[ox.NamedNode | ox.BlankNode] | None = None, *, bulk: bool = False
) -> None:
    """Add the triples of ``graphs`` (every named graph when None) to the store's default graph:
    SPARQL ``ADD``, or with ``bulk`` Oxigraph's bulk loader (for an on-disk store, where a
    transaction would hold them all in memory first).

    The triples are copied, not parsed again, so a blank node is the same node in a file's graph
    and in the merge.
    """
    names = list(store.named_graphs()) if graphs is None else list(graphs)
    if not bulk and all(isinstance(name, ox.NamedNode) for name in names):
        if names:
            store.update(" ; ".join(f"ADD {name} TO DEFAULT" for name in names))
        return
    (store.bulk_extend if bulk else store.extend)(
        ox.Quad(q.subject, q.predicate, q.object)
        for name in names
        for q in store.quads_for_pattern(None, None, None, name)
    )


def remove_file_graph(store: ox.Store, graph: ox.NamedNode) -> None:
    """Take a file's graph out of the store, and out of the merge the triples no other graph holds."""
    triples = [
        ox.Quad(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)
    ]
    store.remove_graph(graph)
    for triple in triples:
        held = store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)
        if not any(not isinstance(q.graph_name, ox.DefaultGraph) for q in held):
            store.remove(triple)


def merged(store: ox.Store) -> bool:
    """Whether the default graph holds the files' triples: false for a store an older version
    filled (files' graphs only), checked by looking up each graph's first triple."""
    for name in store.named_graphs():
        first = next(iter(store.quads_for_pattern(None, None, None, name)), None)
        if first is not None and ox.Quad(first.subject, first.predicate, first.object) not in store:
            return False
    return True


def count_graph(store: ox.Store, graph: ox.NamedNode) -> int:
    """The number of triples in one named graph of ``store``."""
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    assert isinstance(result, ox.QuerySolutions)
    return int(next(iter(result))[0].value)


def load_files(
    store: ox.Store, paths: Sequence[Path], *, bulk: bool = False, progress: Progress | None = None
) -> list[SourceFile]:
    """Load several files, reporting progress after each.

    All of them load in one stoppable worker thread: a thread per file cost 0.3-0.5 s of the 2.4 s
    load of a 300-study map (316 files)."""

    def every() -> list[SourceFile]:
        loaded = []
        for done, path in enumerate(paths, start=1):
            if progress is not None:
                progress(done - 1, len(paths), path)
            loaded.append(load_file(store, path, bulk=bulk, stoppable=False))
            if progress is not None:
                progress(done, len(paths), path)
        return loaded

    return run_stoppable(every, what="loading the files")
