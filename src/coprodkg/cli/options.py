"""The options every graph-reading command shares, declared once, and the engine they describe.

A command asks for them with :func:`graph_options` and receives one frozen :class:`GraphOptions`
as its ``opts`` parameter. The decorator adds the options to the command's signature, so each
still appears in that command's ``--help``; the same options given before the command name (to
the root callback, which stores them in ``ctx.obj``) are merged in::

    @app.command()
    @graph_options(*LOCAL, *REMOTE)
    def info(opts: GraphOptions, fmt: ReportFormat = ReportFormat.TEXT) -> None:
        summary = graph_info(open_engine(opts))
"""

from __future__ import annotations

import inspect
import math
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, get_args

import typer

from .choices import Reasoning, ReportFormat

if TYPE_CHECKING:
    from ..engine import Engine, KnowledgeGraph

__all__ = [
    "LOCAL",
    "REMOTE",
    "SHARED_OPTIONS",
    "SOURCES",
    "EndpointOpt",
    "GraphIriOpt",
    "GraphOptions",
    "GspEndpointOpt",
    "MaxBytesOpt",
    "NoBundledOpt",
    "ReasonOpt",
    "ReportFormatOpt",
    "SourceFormatOpt",
    "SourcesOpt",
    "StoreOpt",
    "TimeoutOpt",
    "UpdateEndpointOpt",
    "graph_options",
    "open_engine",
    "open_graph",
    "progress_reporter",
    "read_stdin_source",
]

Command = TypeVar("Command", bound=Callable[..., Any])

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

ReasonOpt = Annotated[
    Reasoning | None,
    typer.Option(
        "--reason",
        help="Add what the schema entails, in memory (never in your files): rdfs (subclass, "
        "subproperty, domain, range) or owl-rl (slower).",
        show_default=False,
    ),
]
ReportFormatOpt = Annotated[ReportFormat, typer.Option("--format", "-f", help="text or json.")]

# each shared option once: its parameter name, its declaration and its default
_DECLARED: dict[str, tuple[Any, Any]] = {
    "source": (SourcesOpt, None),
    "source_format": (SourceFormatOpt, None),
    "no_bundled": (NoBundledOpt, False),
    "store": (StoreOpt, None),
    "endpoint": (EndpointOpt, None),
    "update_endpoint": (UpdateEndpointOpt, None),
    "gsp_endpoint": (GspEndpointOpt, None),
    "graph": (GraphIriOpt, None),
    "timeout": (TimeoutOpt, None),
    "max_bytes": (MaxBytesOpt, None),
    "reason": (ReasonOpt, None),
}
SHARED_OPTIONS: Mapping[str, Any] = MappingProxyType({n: get_args(d)[1] for n, (d, _) in _DECLARED.items()})
"""Each shared option's Typer declaration, by parameter name."""
SOURCES = ("source", "source_format", "no_bundled")
"""The files that make the local graph."""
LOCAL = (*SOURCES, "store")
"""The local graph: files, or an on-disk store."""
REMOTE = ("endpoint", "update_endpoint", "gsp_endpoint", "graph", "timeout", "max_bytes")
"""A remote store, by its SPARQL endpoints."""
_CONTEXT = "graph_options_context"  # the parameter that hands the decorator the Typer context


@dataclass(frozen=True)
class GraphOptions:
    """Where the graph comes from: the shared options given before the command, after it, or both.

    ``remote`` holds the endpoint options given (keyword arguments of
    :class:`~coprodkg.remote.RemoteGraph`); empty for the local graph.
    """

    sources: Sequence[Path] = ()
    bundled: bool = True
    store: Path | None = None
    remote: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    source_format: str | None = None
    reason: str = "none"

    def merged(self, given: Mapping[str, Any]) -> GraphOptions:
        """These options with a command's own (by parameter name) added: its sources after these,
        its store and endpoint options in place of these."""
        remote = {**self.remote, **{k: given[k] for k in REMOTE if given.get(k) is not None}}
        return replace(
            self,
            sources=(*self.sources, *(given.get("source") or ())),
            bundled=self.bundled and not given.get("no_bundled", False),
            store=given.get("store") or self.store,
            remote=MappingProxyType(remote),
            source_format=given.get("source_format") or self.source_format,
            reason=str(given["reason"]) if given.get("reason") is not None else self.reason,
        )

    def with_sources(self, extra: Sequence[Path] | None) -> GraphOptions:
        """These options with a command's own files (its arguments) ahead of the ``--source`` ones."""
        return replace(self, sources=(*(extra or ()), *self.sources))


def graph_options(*names: str) -> Callable[[Command], Command]:
    """Give a command these shared options (see :data:`LOCAL`, :data:`REMOTE`) as one ``opts``.

    The options join the command's own parameters, after them, so its ``--help`` lists them; the
    command itself takes ``opts: GraphOptions`` instead.
    """
    unknown = set(names) - set(_DECLARED)
    if unknown:
        raise TypeError(f"no shared option called {', '.join(sorted(unknown))}")

    def decorate(command: Command) -> Command:
        own = inspect.signature(command, eval_str=True).parameters.values()
        kept = [p for p in own if p.name != "opts"]
        context_name = next((p.name for p in kept if p.annotation is typer.Context), None)
        takes_context = context_name is not None
        shared = [
            inspect.Parameter(
                n, inspect.Parameter.KEYWORD_ONLY, annotation=_DECLARED[n][0], default=_DECLARED[n][1]
            )
            for n in names
        ]
        context = (
            []
            if takes_context
            else [inspect.Parameter(_CONTEXT, inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)]
        )
        parameters = [*kept, *shared, *context]

        def run(*args: Any, **kwargs: Any) -> Any:
            ctx = kwargs[context_name] if context_name is not None else kwargs.pop(_CONTEXT)
            given = {n: kwargs.pop(n) for n in names}
            return command(*args, **kwargs, opts=_options(ctx, names, given))

        run.__name__, run.__qualname__, run.__doc__ = command.__name__, command.__qualname__, command.__doc__
        run.__module__ = command.__module__
        run.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in parameters}
        return run  # type: ignore[return-value]

    return decorate


def _options(ctx: typer.Context, names: Sequence[str], given: Mapping[str, Any]) -> GraphOptions:
    """The options given before the command (``ctx.obj``) with the command's own."""
    before = ctx.obj if isinstance(ctx.obj, GraphOptions) else GraphOptions()
    foreign = sorted(set(before.remote) - set(names))
    if foreign:
        from ..errors import EndpointError

        flags = ", ".join("--" + n.replace("_", "-") for n in foreign)
        raise EndpointError(f"{flags} given before `{ctx.info_name}`, which does not take it")
    opts = before.merged(given)
    if ctx.parent is not None and any(str(s) == "-" for s in opts.sources):  # a command reads stdin
        stdin = read_stdin_source(opts.source_format)
        opts = replace(opts, sources=tuple(stdin if str(s) == "-" else s for s in opts.sources))
    return opts


def read_stdin_source(fmt: str | None) -> Path:
    """Stdin copied to a temporary ``stdin.FMT`` file (removed at exit), so it loads like any source."""
    import atexit
    import shutil
    import tempfile

    from ..errors import SourceError
    from ..sources import FORMATS

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


def open_graph(opts: GraphOptions) -> KnowledgeGraph:
    """Load the embedded graph these options describe (with its --timeout, when given)."""
    from ..engine import load_graph

    kg = load_graph(
        opts.sources, bundled=opts.bundled, store=opts.store, progress=progress_reporter(), reason=opts.reason
    )
    timeout = opts.remote.get("timeout")
    if timeout is not None and not (math.isfinite(timeout) and timeout > 0):
        from ..errors import QueryError

        raise QueryError(f"--timeout must be a positive number of seconds, not {timeout}")
    kg.timeout = timeout
    return kg


def open_engine(opts: GraphOptions) -> Engine:
    """The engine these options describe: a remote endpoint with --endpoint, else the local graph."""
    from ..errors import EndpointError

    if set(opts.remote) <= {"timeout"}:
        return open_graph(opts)
    if "endpoint" not in opts.remote:
        raise EndpointError("--graph, --update-endpoint, --gsp-endpoint and --max-bytes need --endpoint URL")
    if opts.sources or opts.store:
        raise EndpointError("--endpoint queries the remote store: leave out --source and --store")
    if opts.reason != "none":
        raise EndpointError("--reason works on the local graph: leave it out with --endpoint")
    from ..remote import RemoteGraph

    return RemoteGraph(**opts.remote)
