"""The options every graph-reading command shares, and where a command's output goes.

Kept apart from :mod:`coprodkg.cli` so that the commands there stay a list of declarations: each
one reads :class:`GraphOptions`, opens an engine with :func:`open_engine`, calls the library and
writes with :func:`write_output`.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from .engine import Engine, KnowledgeGraph

__all__ = [
    "REMOTE_PARAMS",
    "EndpointOpt",
    "GraphIriOpt",
    "GraphOptions",
    "GspEndpointOpt",
    "MaxBytesOpt",
    "NoBundledOpt",
    "SourceFormatOpt",
    "SourcesOpt",
    "StoreOpt",
    "TimeoutOpt",
    "UpdateEndpointOpt",
    "graph_options",
    "open_engine",
    "open_graph",
    "progress_reporter",
    "protected",
    "read_stdin_source",
    "write_output",
]


SourcesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--source",
        "-s",
        help="An RDF file or folder (searched recursively) to add to the graph; repeatable. "
        "Formats by extension: .ttl .nt .nq .trig .jsonld .rdf .owl .xml",
        show_default=False,
    ),
]
SourceFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--source-format",
        help="The format of a source read from stdin (-s -): ttl, nt, nq, trig, jsonld or rdf.",
        show_default=False,
    ),
]
NoBundledOpt = Annotated[
    bool,
    typer.Option("--no-bundled", help="Leave out the bundled graph of the study; use only --source files."),
]
StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Read the graph from this on-disk store (filled by `coprodkg load --store DIR`) instead of parsing files.",
        show_default=False,
    ),
]
EndpointOpt = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        help="Use the SPARQL endpoint at this URL instead of a local graph (Fuseki .../ds/sparql, GraphDB "
        ".../repositories/ID, Virtuoso .../sparql, Oxigraph .../query). Credentials come from "
        "COPRODKG_USER and COPRODKG_PASSWORD or ~/.netrc.",
        show_default=False,
    ),
]
UpdateEndpointOpt = Annotated[
    str | None,
    typer.Option(
        "--update-endpoint", help="The store's SPARQL Update URL, when not --endpoint.", show_default=False
    ),
]
GspEndpointOpt = Annotated[
    str | None,
    typer.Option(
        "--gsp-endpoint",
        help="The store's Graph Store Protocol URL (Fuseki .../ds/data, Oxigraph .../store, Virtuoso "
        ".../sparql-graph-crud-auth).",
        show_default=False,
    ),
]
GraphIriOpt = Annotated[
    str | None,
    typer.Option("--graph", help="The named graph (an IRI) on the endpoint to use.", show_default=False),
]
TimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        help="Seconds a query may run: on an endpoint, a deadline for each whole request, retries "
        "included (default 30); on the local graph, no limit by default.",
        show_default=False,
    ),
]
MaxBytesOpt = Annotated[
    int | None,
    typer.Option(
        "--max-bytes",
        min=1,
        help="The largest answer to read from the endpoint, in bytes (default 268435456, 256 MiB).",
        show_default=False,
    ),
]
REMOTE_PARAMS = ("endpoint", "update_endpoint", "gsp_endpoint", "graph", "timeout", "max_bytes")


@dataclass
class GraphOptions:
    """Where the graph comes from; set before the command, after it, or both."""

    sources: list[Path] = field(default_factory=list)
    bundled: bool = True
    store: Path | None = None
    remote: dict[str, Any] = field(default_factory=dict)
    source_format: str | None = None

    def merged(self, sources: list[Path] | None, no_bundled: bool, store: Path | None) -> GraphOptions:
        """These options with a command's own added."""
        return GraphOptions(
            [*self.sources, *(sources or [])],
            self.bundled and not no_bundled,
            store or self.store,
            self.remote,
            self.source_format,
        )


def progress_reporter() -> Callable[[int, int, Path], None] | None:
    """Progress on stderr for loads that take more than a second, when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None
    start = time.monotonic()

    def report(done: int, total: int, path: Path) -> None:
        big = path.stat().st_size > 20_000_000
        if time.monotonic() - start > 1.0 or big:
            end = "\n" if done == total else ""
            state = "loaded" if done == total else f"loading {path.name} ({path.stat().st_size / 1e6:.0f} MB)"
            print(f"\r{done}/{total} files {state}\033[K", end=end, file=sys.stderr, flush=True)

    return report


def graph_options(
    ctx: typer.Context, sources: list[Path] | None, no_bundled: bool, store: Path | None
) -> GraphOptions:
    """The command's graph options; a command's --endpoint, --graph ... options are read from ``ctx``."""
    base = ctx.obj if isinstance(ctx.obj, GraphOptions) else GraphOptions()
    opts = base.merged(sources, no_bundled, store)
    opts.remote = {k: ctx.params[k] for k in REMOTE_PARAMS if ctx.params.get(k) is not None}
    opts.source_format = ctx.params.get("source_format") or opts.source_format
    if any(str(s) == "-" for s in opts.sources):
        stdin = read_stdin_source(opts.source_format)
        opts.sources = [stdin if str(s) == "-" else s for s in opts.sources]
    return opts


def read_stdin_source(fmt: str | None) -> Path:
    """Stdin copied to a temporary ``stdin.FMT`` file (removed at exit), so it loads like any source."""
    import atexit
    import shutil
    import tempfile

    from .errors import SourceError
    from .sources import FORMATS

    known = ", ".join(sorted(f.lstrip(".") for f in FORMATS))
    if fmt is None:
        raise SourceError(f"-s - reads stdin, whose format cannot be guessed: give --source-format ({known})")
    if f".{fmt.lower().lstrip('.')}" not in FORMATS:
        raise SourceError(f"unknown --source-format {fmt!r}: choose one of {known}")
    folder = Path(tempfile.mkdtemp(prefix="coprodkg-stdin-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / f"stdin.{fmt.lower().lstrip('.')}"
    with path.open("wb") as out:
        shutil.copyfileobj(sys.stdin.buffer, out)
    return path


def open_graph(opts: GraphOptions) -> KnowledgeGraph:
    """Load the embedded graph these options describe (with its --timeout, when given)."""
    from .engine import load_graph

    kg = load_graph(opts.sources, bundled=opts.bundled, store=opts.store, progress=progress_reporter())
    timeout = opts.remote.get("timeout")
    if timeout is not None and not (math.isfinite(timeout) and timeout > 0):
        from .errors import QueryError

        raise QueryError(f"--timeout must be a positive number of seconds, not {timeout}")
    kg.timeout = timeout
    return kg


def open_engine(opts: GraphOptions) -> Engine:
    """The engine these options describe: a remote endpoint with --endpoint, else the local graph."""
    from .errors import EndpointError

    if set(opts.remote) <= {"timeout"}:
        return open_graph(opts)
    if "endpoint" not in opts.remote:
        raise EndpointError("--graph, --update-endpoint, --gsp-endpoint and --max-bytes need --endpoint URL")
    if opts.sources or opts.store:
        raise EndpointError("--endpoint queries the remote store: leave out --source and --store")
    from .remote import RemoteGraph

    return RemoteGraph(**opts.remote)


def protected(opts: GraphOptions | None) -> list[Path]:
    """What an output must never overwrite: the bundled ontology, every source, the store."""
    from .resources import ontology_dir

    if opts is None:
        return [ontology_dir()]
    return [ontology_dir(), *opts.sources, *([opts.store] if opts.store is not None else [])]


def write_output(text: str | bytes, output: Path | None, opts: GraphOptions | None = None) -> None:
    """Write to ``output`` (never over an input: see :func:`~coprodkg.files.write_file`), or to
    stdout when it is None or ``-``."""
    from .files import is_stdout, write_file, write_stdout

    if is_stdout(output):
        write_stdout(text)
    else:
        assert output is not None
        write_file(output, text, protect=protected(opts))
