"""The embedded engine: an Oxigraph store holding one named graph per source file.

Queries run on Oxigraph over the union of the files' graphs; rdflib's API over the same store is
there for code that wants it (:attr:`KnowledgeGraph.dataset`: pySHACL, serializers, notebooks).
Every engine — this one and the remote one — answers :meth:`Engine.query` with a
:class:`~coprodkg.results.Result`, so the commands built on it work on both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .binding import bind_values
from .choices import ResultKind
from .errors import QueryError, QuerySyntaxError, SourceError, StoreError
from .namespaces import PREFIXES
from .resources import ontology_dir
from .results import Result
from .sources import (
    Progress,
    SourceFile,
    collect_sources,
    count_graph,
    file_graph,
    graph_path,
    load_file,
    load_files,
    parse_check,
)
from .sparql import query_form

if TYPE_CHECKING:
    from rdflib import Dataset

__all__ = [
    "Engine",
    "KnowledgeGraph",
    "fill_store",
    "load_graph",
    "open_store",
    "serialize_graph",
    "source_paths",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_AT = re.compile(r"error at (\d+):(\d+): ?")


class Engine(Protocol):
    """What every engine offers the commands: SPARQL in, a :class:`Result` out."""

    def query(
        self, sparql: str, bindings: Mapping[str, Node] | None = None, *, allow_update: bool = False
    ) -> Result:
        """Run a SPARQL query, binding variables to terms; an update only with ``allow_update``."""
        ...

    def graphs(self) -> list[tuple[str, int]]:
        """The named graphs and their triple counts."""
        ...


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> Node | None:
    """An Oxigraph term as the rdflib term users work with."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    return Literal(str(term))


def _syntax_error(error: SyntaxError, kind: str) -> QuerySyntaxError:
    """One line naming the position in the user's own text."""
    text = " ".join(str(error).split())
    match = _AT.search(text)
    reason = text[match.end() :] if match else text
    if "Prefix not found" in reason:
        reason = "a prefix is used but not declared (add a PREFIX line)"
    line = int(match.group(1)) if match else 0
    where = f" at line {max(line, 1)}, column {match.group(2)}" if match else ""
    return QuerySyntaxError(f"{kind} syntax error{where}: {reason[:160]}")


class KnowledgeGraph:
    """The loaded graph: an Oxigraph store with one named graph per source file.

    >>> kg = load_graph()
    >>> kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?t a cpk:Theme }").rows[0][0].toPython()
    5
    """

    def __init__(
        self, store: ox.Store, files: Sequence[SourceFile] = (), location: Path | None = None
    ) -> None:
        self.store = store
        self.location = location
        self._files = tuple(files)

    def __repr__(self) -> str:
        where = f" at {self.location}" if self.location else ""
        return f"<KnowledgeGraph{where}: {len(self)} triples in {len(self.graphs())} graphs>"

    def __len__(self) -> int:
        result = self.store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", use_default_graph_as_union=True
        )
        assert isinstance(result, ox.QuerySolutions)
        return int(next(iter(result))[0].value)

    @cached_property
    def dataset(self) -> Dataset:
        """rdflib's API over the same store (union default graph), for rdflib-based tools."""
        from oxrdflib import OxigraphStore
        from rdflib import Dataset

        return Dataset(store=OxigraphStore(store=self.store), default_union=True)

    def files(self) -> list[SourceFile]:
        """The source files behind the graph, with their triple counts (counted once, when loaded)."""
        known = {f.graph: f for f in self._files}
        out = []
        for graph in sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)):
            if graph in known:
                out.append(known[graph])
            else:
                path = graph_path(graph) or Path(graph)
                out.append(SourceFile(path, graph, count_graph(self.store, ox.NamedNode(graph))))
        return out

    def graphs(self) -> list[tuple[str, int]]:
        """Every named graph with its triple count."""
        return sorted(
            (g.value, count_graph(self.store, g))
            for g in self.store.named_graphs()
            if isinstance(g, ox.NamedNode)
        )

    def query(
        self, sparql: str, bindings: Mapping[str, Node] | None = None, *, allow_update: bool = False
    ) -> Result:
        """Run SPARQL over the union of all files, binding ``bindings`` as variables.

        Known prefixes (``cpk:``, ``skos:`` ...) need no PREFIX line. SPARQL Update is refused
        unless ``allow_update``; even then it changes only this graph, never a source file. An
        update's default graph is the store's own default graph: name a file's graph with
        ``GRAPH`` to change what came from that file.
        """
        try:
            answer = self.store.query(
                bind_values(sparql, bindings or {}), prefixes=dict(PREFIXES), use_default_graph_as_union=True
            )
            return _result(answer)  # results stream: a SERVICE call can fail while they are read
        except (SyntaxError, QuerySyntaxError) as error:
            if _is_update(sparql):
                return self._update(sparql, allow_update)
            if isinstance(error, QuerySyntaxError):
                raise
            raise _syntax_error(error, "SPARQL") from None
        except OSError as error:
            raise QueryError(f"the query failed: {_one_line(error)}") from None

    def _update(self, text: str, allow_update: bool) -> Result:
        if not allow_update:
            raise QueryError(
                "this is a SPARQL Update and queries are read-only: pass --update to apply it to the "
                "loaded graph (your source files are never written)"
            )
        try:
            self.store.update(text, prefixes=dict(PREFIXES))
        except SyntaxError as error:
            raise _syntax_error(error, "SPARQL Update") from None
        except OSError as error:
            raise QueryError(f"the update failed: {_one_line(error)}") from None
        return Result(ResultKind.ASK, boolean=True)

    def add_files(self, paths: Iterable[Path], progress: Progress | None = None) -> list[SourceFile]:
        """Load more files into this graph (each into its own named graph)."""
        loaded = load_files(self.store, collect_sources(paths), progress=progress)
        self._files = (*self._files, *loaded)
        return loaded

    def close(self) -> None:
        """Flush and release an on-disk store (a no-op in memory)."""
        if self.location is not None:
            self.store.flush()


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:200]


def _is_update(sparql: str) -> bool:
    try:
        return query_form(sparql) == "UPDATE"
    except QuerySyntaxError:
        return False


def _result(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        return Result(ResultKind.ASK, boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = tuple(v.value for v in answer.variables)
        iris: dict[str, URIRef] = {}  # one URIRef per IRI: rdflib validates each one it makes

        def term(value: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> Node | None:
            if isinstance(value, ox.NamedNode):
                found = iris.get(value.value)
                if found is None:
                    found = iris[value.value] = URIRef(value.value)
                return found
            return to_rdflib(value)

        rows = tuple(tuple(term(s[i]) for i in range(len(names))) for s in answer)
        return Result(ResultKind.SELECT, names, rows)
    triples = tuple((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in answer)
    return Result(ResultKind.GRAPH, triples=triples)  # type: ignore[arg-type]


def source_paths(sources: Iterable[Path | str], *, bundled: bool = True) -> list[Path]:
    """The files to load: the bundled ones (unless ``bundled`` is false), then ``sources``."""
    return (collect_sources([ontology_dir()]) if bundled else []) + collect_sources(Path(s) for s in sources)


def open_store(location: Path, *, create: bool = False) -> ox.Store:
    """Open an on-disk Oxigraph store; it must exist unless ``create``."""
    if location.exists() and not location.is_dir():
        raise StoreError(f"--store must be a folder: {location} is a file")
    if not create and not location.is_dir():
        raise StoreError(f"no store at {location}: fill one first with `coprodkg load --store {location}`")
    if not create and not (location / "CURRENT").is_file():
        raise StoreError(f"{location} is not an Oxigraph store: fill one with `coprodkg load --store DIR`")
    if create and location.is_dir() and any(location.iterdir()) and not (location / "CURRENT").is_file():
        raise StoreError(
            f"{location} is a folder that is not an Oxigraph store: choose an empty or new folder"
        )
    try:
        return ox.Store(str(location))
    except OSError as error:
        reason = " ".join(str(error).split())
        if "lock" in reason.lower():
            reason = "another process (a server?) has it open"
        raise StoreError(f"cannot open the store at {location}: {reason[:160]}") from None


def load_graph(
    sources: Iterable[Path | str] = (),
    *,
    bundled: bool = True,
    store: Path | str | None = None,
    progress: Progress | None = None,
) -> KnowledgeGraph:
    """Load the bundled graph and/or user files into memory, or open an on-disk store.

    ``sources`` are files or folders (searched recursively). With ``store`` the graph is read
    from that on-disk store and nothing is parsed.
    """
    sources = list(sources)
    if store is not None:
        if sources:
            raise SourceError(
                "--store reads a filled store and parses nothing: leave out --source, or add the "
                f"files with `coprodkg load FILES --store {store}`"
            )
        location = Path(store)
        return KnowledgeGraph(open_store(location), location=location)
    paths = source_paths(sources, bundled=bundled)
    oxstore = ox.Store()
    return KnowledgeGraph(oxstore, load_files(oxstore, paths, progress=progress))


def fill_store(
    location: Path | str,
    sources: Iterable[Path | str] = (),
    *,
    bundled: bool = True,
    replace: bool = False,
    progress: Progress | None = None,
) -> KnowledgeGraph:
    """Load files into an on-disk store, adding to what it holds (``replace`` empties it first).

    A file loaded again replaces its own earlier copy. A file that fails to parse leaves the
    store as it was for that file.
    """
    location = Path(location)
    paths = source_paths(sources, bundled=bundled)
    oxstore = open_store(location, create=True)
    if replace:
        oxstore.clear()
    existing = {g.value for g in oxstore.named_graphs() if isinstance(g, ox.NamedNode)}
    loaded = []
    for done, path in enumerate(paths, start=1):
        if progress is not None:
            progress(done - 1, len(paths), path)
        graph = file_graph(path)
        if graph in existing:
            parse_check(path)
            oxstore.remove_graph(ox.NamedNode(graph))
        try:
            loaded.append(load_file(oxstore, path, bulk=True))
        except Exception:
            oxstore.remove_graph(ox.NamedNode(graph))
            raise
        if progress is not None:
            progress(done, len(paths), path)
    oxstore.flush()
    return KnowledgeGraph(oxstore, loaded, location=location)


_EXPORT = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}


def serialize_graph(kg: KnowledgeGraph, fmt: str) -> bytes:
    """The whole graph in an RDF format: triple formats merge the files, quad formats keep them apart."""
    from .namespaces import PREFIXES

    rdf_format = _EXPORT[fmt]
    prefixes = dict(PREFIXES) if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    if rdf_format.supports_datasets:
        quads = kg.store.quads_for_pattern(None, None, None, None)
        return ox.serialize(quads, format=rdf_format, prefixes=prefixes) or b""
    triples = kg.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    assert isinstance(triples, ox.QueryTriples)
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes) or b""
