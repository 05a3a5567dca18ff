"""The embedded engine: an Oxigraph store holding one named graph per source file.

Queries run on Oxigraph over the merge of the files' graphs, the store's default graph, which
holds each triple once however many files state it (see :mod:`coprodkg.sources`); rdflib's API over the same store is
there for code that wants it (:attr:`KnowledgeGraph.dataset`: pySHACL, serializers, notebooks).
Every engine — this one and the remote one — answers :meth:`Engine.query` with a
:class:`~coprodkg.results.Result`, so the commands built on it work on both.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from .binding import bind_values
from .errors import QueryError, QueryLimitError, QuerySyntaxError, SourceError, StoreError
from .formats import ResultKind
from .namespaces import PREFIXES
from .resources import ontology_dir
from .results import Result
from .sources import (
    Limits,
    Progress,
    SourceFile,
    collect_sources,
    count_graph,
    file_graph,
    graph_path,
    load_file,
    load_files,
    merge_graphs,
    merged,
    remove_file_graph,
)
from .sparql import TOKEN, nesting_depth, query_form, words
from .worker import run_stoppable

if TYPE_CHECKING:
    from rdflib import Dataset
    from rdflib.term import Node

__all__ = [
    "Engine",
    "KnowledgeGraph",
    "fill_store",
    "load_graph",
    "open_store",
    "serialize_graph",
    "source_paths",
    "text_rows",
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
    from rdflib import BNode, Literal, URIRef  # here: commands that print no terms need no rdflib

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


def _tokens(sparql: str) -> list[tuple[str, str, int]]:
    """The text's tokens that matter here, as (kind, text, offset): comments and spaces left out."""
    return [
        (m.lastgroup or "", m.group(), m.start())
        for m in TOKEN.finditer(sparql)
        if m.lastgroup != "comment" and not m.group().isspace()
    ]


def _undeclared_prefix(sparql: str) -> tuple[str, int] | None:
    """The first prefix (and its line) a query uses but neither declares nor gets from the known ones."""
    tokens = _tokens(sparql)
    declared = {tokens[i + 1][1] for i, t in enumerate(tokens[:-1]) if t[1].upper() == "PREFIX"}
    for kind, text, start in tokens:
        used = kind == "word" and sparql[start + len(text) : start + len(text) + 1] == ":"
        if used and sparql[start - 1 : start] != ":" and text != "_" and text not in declared | set(PREFIXES):
            return text, sparql.count("\n", 0, start) + 1
    return None


def check_query(sparql: str, *, allow_service: bool = False, limits: Limits | None = None) -> None:
    """Refuse, before the engine sees it, a query nested deeper than the limit, or one that would
    reach the network (``SERVICE``, ``LOAD``) unless ``allow_service``; ``file:`` IRIs never.

    >>> check_query("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    coprodkg.errors.QueryLimitError: the query calls SERVICE <http://example.org/sparql>: a local query reaches the network only when service calls are allowed (--allow-service)
    """
    limit = (limits or Limits.from_environment()).depth
    if nesting_depth(sparql) > limit:
        raise QueryLimitError(
            f"the query nests brackets deeper than {limit}; raise the limit with COPRODKG_MAX_DEPTH if this is meant"
        )
    tokens = _tokens(sparql)
    for i, (kind, text, start) in enumerate(tokens):
        if kind != "word" or text.upper() not in ("SERVICE", "LOAD") or sparql[start - 1 : start] == ":":
            continue  # not the keyword (ex:SERVICE is a name)
        rest = [t for t in tokens[i + 1 : i + 3] if t[1].upper() != "SILENT"]
        target = rest[0][1] if rest else "?"
        if target.lower().startswith("<file:"):
            raise QueryLimitError(
                f"the query reads the local file {target} ({text.upper()}): file: IRIs are never read"
            )
        if not allow_service:
            raise QueryLimitError(
                f"the query calls {text.upper()} {target}: a local query reaches the network only "
                "when service calls are allowed (--allow-service)"
            )


def _syntax_error(error: SyntaxError, kind: str, sparql: str = "") -> QuerySyntaxError:
    """One line naming the position in the user's own text, or the prefix it uses undeclared."""
    unknown = _undeclared_prefix(sparql)
    if unknown is not None:
        prefix, line = unknown
        return QuerySyntaxError(
            f"{kind} uses the prefix {prefix}: (line {line}) without declaring it: add "
            f"PREFIX {prefix}: <...> or use a known prefix"
        )
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
        #: Seconds after which a query is cancelled (None: no limit).
        self.timeout: float | None = None
        #: Whether SERVICE (and LOAD in an update) may reach the network.
        self.allow_service = False

    def __repr__(self) -> str:
        where = f" at {self.location}" if self.location else ""
        return f"<KnowledgeGraph{where}: {len(self)} triples in {len(self.graphs())} graphs>"

    def __len__(self) -> int:
        result = self.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert isinstance(result, ox.QuerySolutions)
        return int(next(iter(result))[0].value)

    @cached_property
    def dataset(self) -> Dataset:
        """The rdflib API over the same store (its default graph the merge of the files), for
        rdflib-based tools."""
        from oxrdflib import OxigraphStore
        from rdflib import Dataset

        return Dataset(store=OxigraphStore(store=self.store))

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

    def graph_names(self) -> list[str]:
        """Every named graph's IRI, sorted."""
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def graphs(self) -> list[tuple[str, int]]:
        """Every named graph with its triple count."""
        return [(g, count_graph(self.store, ox.NamedNode(g))) for g in self.graph_names()]

    def query(
        self, sparql: str, bindings: Mapping[str, Node] | None = None, *, allow_update: bool = False
    ) -> Result:
        """Run SPARQL over the merge of all files, binding ``bindings`` as variables.

        Known prefixes (``cpk:``, ``skos:`` ...) need no PREFIX line. Ctrl-C stops a query within a
        fraction of a second; past :attr:`timeout` it is cancelled; ``SERVICE`` is refused unless
        :attr:`allow_service` (see :func:`check_query`). SPARQL Update is refused
        unless ``allow_update``; even then it changes only this graph, never a source file. An
        update's default graph is the merge: what it adds there (outside ``GRAPH``) queries see,
        and a triple stays while a file's graph holds it; name a file's graph with ``GRAPH`` to
        change what came from that file (see :func:`sync_merge`).
        """
        check_query(sparql, allow_service=self.allow_service)
        bound = bind_values(sparql, bindings or {})

        def run() -> Result:
            answer = self.store.query(bound, prefixes=dict(PREFIXES))
            return _result(answer)  # results stream: a SERVICE call can fail while they are read

        try:
            return run_stoppable(run, timeout=self.timeout)
        except (SyntaxError, QuerySyntaxError) as error:
            if _is_update(sparql):
                return self._update(sparql, allow_update)
            if isinstance(error, QuerySyntaxError):
                raise
            raise _syntax_error(error, "SPARQL", sparql) from None
        except (OSError, RuntimeError) as error:
            raise self._failure("the query failed", error) from None

    def _failure(self, what: str, error: Exception) -> Exception:
        reason = _one_line(error)
        if "Corruption" in reason and self.location is not None:
            return StoreError(
                f"the store at {self.location} is damaged ({reason[:120]}): fill a new one with "
                "`coprodkg load --store DIR`"
            )
        return QueryError(f"{what}: {reason}")

    def _update(self, text: str, allow_update: bool) -> Result:
        if not allow_update:
            raise QueryError(
                "this is a SPARQL Update and queries are read-only: pass --update to apply it to the "
                "loaded graph (your source files are never written)"
            )
        before = _merge_snapshot(self.store, text)
        try:
            run_stoppable(lambda: self.store.update(text, prefixes=dict(PREFIXES)), what="the update")
        except SyntaxError as error:
            raise _syntax_error(error, "SPARQL Update", text) from None
        except (OSError, RuntimeError) as error:
            raise self._failure("the update failed", error) from None
        sync_merge(self.store, before)
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


#: The words of an update that may change a file's graph (so the merge may lose triples).
_GRAPH_WORDS = frozenset({"GRAPH", "WITH", "USING", "DROP", "CLEAR", "MOVE", "COPY", "ADD", "LOAD", "CREATE"})
_OWN = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
_MISSING = "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }"


def _triples(store: ox.Store, sparql: str) -> list[ox.Quad]:
    answer = store.query(sparql)
    assert isinstance(answer, ox.QuerySolutions)
    return [ox.Quad(row[0], row[1], row[2]) for row in answer]  # type: ignore[arg-type]


def _merge_snapshot(store: ox.Store, update: str) -> tuple[set[ox.Quad], set[ox.Quad]] | None:
    """Before an update that may change files' graphs: the merge, and the triples in it that no
    file's graph holds (added by earlier updates)."""
    if not _GRAPH_WORDS.intersection(words(update)):
        return None
    return set(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), set(_triples(store, _OWN))


def sync_merge(store: ox.Store, before: tuple[set[ox.Quad], set[ox.Quad]] | None = None) -> None:
    """After an update, make the default graph the merge of the files' graphs again, keeping what
    updates added outside any file's graph.

    A triple a file's graph holds is put back if the update took it out of the merge only; with
    ``before`` (see :func:`_merge_snapshot`), a triple the update took out of the files' graphs
    leaves the merge unless an update had added it there itself.
    """
    store.extend(_triples(store, _MISSING))
    if before is None:
        return
    merge, own = before
    for quad in _triples(store, _OWN):
        if quad in merge and quad not in own:
            store.remove(quad)


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
        from rdflib import URIRef

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


def text_rows(engine: Engine, sparql: str) -> Iterator[tuple[str | None, ...]]:
    """The rows of a SELECT with every term as its text (an IRI, a literal's lexical form) or None.

    On the embedded engine this reads Oxigraph's results directly, making no rdflib term: on a
    100-study map that was most of the projection's time.
    """
    store = getattr(engine, "store", None)
    if isinstance(store, ox.Store):
        answer = store.query(sparql, prefixes=dict(PREFIXES))  # the merge: each triple once
        assert isinstance(answer, ox.QuerySolutions)
        width = len(answer.variables)
        for solution in answer:
            yield tuple(None if (t := solution[i]) is None else t.value for i in range(width))
        return
    for row in engine.query(sparql).rows:
        yield tuple(None if t is None else str(t) for t in row)


def source_paths(sources: Iterable[Path | str], *, bundled: bool = True) -> list[Path]:
    """The files to load: the bundled ones (unless ``bundled`` is false), then ``sources``."""
    return (collect_sources([ontology_dir()]) if bundled else []) + collect_sources(Path(s) for s in sources)


def open_store(location: Path, *, create: bool = False, wait: float = 0) -> ox.Store:
    """Open an on-disk Oxigraph store; it must exist unless ``create``.

    A store another process has open is waited for up to ``wait`` seconds. A damaged or foreign
    folder is a :class:`StoreError` naming it, never a traceback.
    """
    deadline = time.monotonic() + wait
    while True:
        try:
            return _open_store(location, create)
        except StoreError as error:
            if "another process" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _open_store(location: Path, create: bool) -> ox.Store:
    if location.exists() and not location.is_dir():
        raise StoreError(f"a store must be a folder: {location} is a file")
    if not create and not location.is_dir():
        raise StoreError(f"no store at {location}: fill one first with `coprodkg load --store {location}`")
    if not create and not (location / "CURRENT").is_file():
        raise StoreError(f"{location} is not an Oxigraph store: fill one with `coprodkg load --store DIR`")
    if create and location.is_dir() and any(location.iterdir()) and not (location / "CURRENT").is_file():
        raise StoreError(
            f"{location} is a folder that is not an Oxigraph store: choose an empty or new folder"
        )
    try:
        store = ox.Store(str(location))
        next(iter(store.named_graphs()), None)  # touch the store: a damaged one fails here
        return store
    except (OSError, RuntimeError) as error:
        reason = " ".join(str(error).split())
        if "lock" in reason.lower():
            reason = "another process (a server?) has it open"
        elif "Corruption" in reason or isinstance(error, RuntimeError):
            reason = f"it is damaged or not an Oxigraph store ({reason[:120]})"
        raise StoreError(f"cannot open the store at {location}: {reason[:200]}") from None


def load_graph(
    sources: Iterable[Path | str] = (),
    *,
    bundled: bool = True,
    store: Path | str | None = None,
    progress: Progress | None = None,
    reason: str = "none",
) -> KnowledgeGraph:
    """Load the bundled graph and/or user files into memory, or open an on-disk store.

    ``sources`` are files or folders (searched recursively). With ``store`` the graph is read
    from that on-disk store and nothing is parsed. ``reason`` (``rdfs``, ``owl-rl``) adds what
    the schema entails, in memory (see :mod:`coprodkg.reasoning`).
    """
    if reason != "none":
        return _reasoned(load_graph(sources, bundled=bundled, store=store, progress=progress), reason)
    sources = list(sources)
    if store is not None:
        if sources:
            raise SourceError(
                "--store reads a filled store and parses nothing: leave out --source, or add the "
                f"files with `coprodkg load FILES --store {store}`"
            )
        location = Path(store)
        return KnowledgeGraph(_upgraded(open_store(location)), location=location)
    paths = source_paths(sources, bundled=bundled)
    oxstore = ox.Store()
    return KnowledgeGraph(oxstore, load_files(oxstore, paths, progress=progress))


def _upgraded(store: ox.Store) -> ox.Store:
    """A store an older coprodkg filled (files' graphs, no merge) with its merge added: the
    files' graphs are not changed, and it is done once."""
    if not merged(store):
        merge_graphs(store, bulk=True)
    return store


def _reasoned(kg: KnowledgeGraph, reason: str) -> KnowledgeGraph:
    """``kg`` with its entailments added; an on-disk store is copied to memory first, never changed."""
    from .reasoning import materialise

    if kg.location is not None:
        memory = ox.Store()
        memory.extend(kg.store.quads_for_pattern(None, None, None, None))
        kg = KnowledgeGraph(memory, kg.files())
    materialise(kg, reason)
    return kg


def fill_store(
    location: Path | str,
    sources: Iterable[Path | str] = (),
    *,
    bundled: bool = True,
    replace: bool = False,
    progress: Progress | None = None,
) -> KnowledgeGraph:
    """Load files into an on-disk store, adding to what it holds (``replace``: instead of it).

    A file loaded again replaces its own earlier copy. The new content is built aside (a copy of
    the store, or an empty one with ``replace``) and swapped in only once every file parsed and
    loaded: a failure or a Ctrl-C leaves the store exactly as it was, and the error says so. Two
    loads into one store take turns, so neither loses the other's files.
    """
    from .files import replacing

    location = Path(location)
    paths = source_paths(sources, bundled=bundled)
    with replacing(Path(os.path.realpath(location))):  # reopened before the next load's turn
        loaded = _rebuild(location, paths, replace, progress)
        return KnowledgeGraph(open_store(location, wait=5), loaded, location=location)


def _rebuild(location: Path, paths: list[Path], replace: bool, progress: Progress | None) -> list[SourceFile]:
    """Build the store's new content beside it, then swap it in (see :func:`fill_store`)."""
    from .files import discard_folder, staging_folder, swap_in

    real = Path(os.path.realpath(location))  # a symlinked store: replace its target, keep the link
    # wait a little for a load that just finished and still holds the store
    current = open_store(location, create=True, wait=5) if (location / "CURRENT").is_file() else None
    if current is None:
        _check_new_store(location)
    staging = staging_folder(real)
    new: ox.Store | None = None
    try:
        if current is not None and not replace:
            staging.rmdir()
            current.backup(staging)  # hard links to the immutable files: cheap
        new = _upgraded(ox.Store(str(staging)))
        existing = {g.value for g in new.named_graphs() if isinstance(g, ox.NamedNode)}
        loaded = []
        for done, path in enumerate(paths, start=1):
            if progress is not None:
                progress(done - 1, len(paths), path)
            if file_graph(path) in existing:
                remove_file_graph(new, ox.NamedNode(file_graph(path)))
            loaded.append(load_file(new, path, bulk=True))
            if progress is not None:
                progress(done, len(paths), path)
        new.flush()
        new = current = None  # release both stores before the folders trade places
        swap_in(staging, real)
    except BaseException as error:
        new = current = None
        discard_folder(staging)
        if isinstance(error, Exception) and str(error):
            error.args = (f"{error}; the store at {location} is unchanged",)
        raise
    return loaded


def _check_new_store(location: Path) -> None:
    if location.exists() and not location.is_dir():
        raise StoreError(f"a store must be a folder: {location} is a file")
    if location.is_dir() and any(location.iterdir()):
        raise StoreError(
            f"{location} is a folder that is not an Oxigraph store: choose an empty or new folder"
        )


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
    if rdf_format.supports_datasets:  # the files' graphs, and what updates added outside them
        own = set(_triples(kg.store, _OWN))
        quads = (
            q
            for q in kg.store.quads_for_pattern(None, None, None, None)
            if not isinstance(q.graph_name, ox.DefaultGraph) or q in own
        )
        return ox.serialize(quads, format=rdf_format, prefixes=prefixes) or b""
    triples = kg.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isinstance(triples, ox.QueryTriples)
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes) or b""
