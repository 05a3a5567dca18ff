"""The ``coprodkg`` command line: options in, one library call, a rendering out, an exit code.

Library errors (:class:`~coprodkg.errors.CoprodkgError`) and usage errors become one line on
stderr and exit status 2; anything else is a bug and keeps its traceback. Heavy libraries are
imported inside the commands, so ``coprodkg --help`` stays fast.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from . import __version__
from .choices import (
    DiffFormat,
    ExportFormat,
    MapFormat,
    MetricsFormat,
    OutputFormat,
    RankBy,
    ReportFormat,
)
from .options import (
    EndpointOpt,
    GraphIriOpt,
    GraphOptions,
    GspEndpointOpt,
    MaxBytesOpt,
    NoBundledOpt,
    ReasonOpt,
    SourceFormatOpt,
    SourcesOpt,
    StoreOpt,
    TimeoutOpt,
    UpdateEndpointOpt,
    graph_options,
    open_engine,
    open_graph,
    progress_reporter,
    protected,
    write_output,
)

__all__ = ["app", "main"]

PROG = "coprodkg"


class _OneLineErrors(TyperGroup):
    """Print user and usage errors as one line and exit 2, whoever calls the app."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        standalone_mode: bool = True,
        **kw: Any,
    ) -> Any:
        from .errors import CoprodkgError

        # rdflib logs a traceback (as a warning) for every ill-typed literal it meets: a bad value
        # in the data is not a crash, and must not print "Traceback" in the middle of an answer
        logging.getLogger("rdflib.term").setLevel(logging.ERROR)
        previous = _catch_ctrl_c()
        try:
            code = super().main(args=args, prog_name=prog_name, standalone_mode=False, **kw)
        except CoprodkgError as error:
            _fail(str(error))
        except _Interrupted:
            _interrupted()
        except typer.Abort:
            _fail("aborted", 1)
        except OSError as error:
            if error.filename is None:  # not about a path the user gave: a bug, keep the traceback
                raise
            _fail(f"cannot use {error.filename}: {error.strerror or error}")
        except Exception as error:
            if not (hasattr(error, "format_message") and hasattr(error, "exit_code")):
                raise
            message = " ".join(error.format_message().split())
            ctx = getattr(error, "ctx", None)
            hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
            _fail(message + hint, error.exit_code)
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


class _Interrupted(BaseException):
    """Ctrl-C. Typer turns a KeyboardInterrupt into a silent exit 130; this passes through it, and
    through the library's clean-up (a half-built store is discarded), to one line."""


def _raise_interrupted(signum: int, frame: object) -> None:
    raise _Interrupted


def _catch_ctrl_c() -> Any:
    """Route Ctrl-C to :class:`_Interrupted`; the previous handler, or None off the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return None
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # started in the background: leave it so
        return None
    return signal.signal(signal.SIGINT, _raise_interrupted)


def _interrupted() -> None:
    """Ctrl-C: one line, exit 130 at once (abandoned engine work dies with the process)."""
    import os

    print(f"{PROG}: error: interrupted", file=sys.stderr, flush=True)
    sys.stdout.flush()
    os._exit(130)


def _fail(message: str, code: int = 2) -> None:
    from .files import escape_control

    print(f"{PROG}: error: {escape_control(message, keep_lines=False)}", file=sys.stderr)
    sys.exit(code)


app = typer.Typer(
    cls=_OneLineErrors,
    name=PROG,
    help="A knowledge graph of how research evidence is co-produced with local government: "
    "query it with SPARQL, explore it, extend it with your own Turtle files.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"{PROG} {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    source: SourcesOpt = None,
    source_format: SourceFormatOpt = None,
    no_bundled: NoBundledOpt = False,
    store: StoreOpt = None,
    reason: ReasonOpt = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Options given before the command apply to it too."""
    ctx.obj = GraphOptions(
        list(source or []),
        not no_bundled,
        store,
        source_format=source_format,
        reason=reason.value if reason else "none",
    )


# ---- commands --------------------------------------------------------------------------------


@app.command()
def info(
    ctx: typer.Context,
    source: SourcesOpt = None,
    source_format: SourceFormatOpt = None,
    no_bundled: NoBundledOpt = False,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
    gsp_endpoint: GspEndpointOpt = None,
    graph: GraphIriOpt = None,
    timeout: TimeoutOpt = None,
    max_bytes: MaxBytesOpt = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="text or json.")] = ReportFormat.TEXT,
) -> None:
    """Summarise the graph: triples, instances per class, the files loaded, the prefixes."""
    from .lookup import graph_info
    from .reports import render_info, to_json

    summary = graph_info(open_engine(graph_options(ctx, source, no_bundled, store)))
    write_output(to_json(summary) if fmt is ReportFormat.JSON else render_info(summary), None)


@app.command()
def query(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(help="A named query (see `coprodkg queries`) or a .rq file.", show_default=False),
    ] = None,
    sparql: Annotated[
        str | None, typer.Option("--sparql", "-e", help="SPARQL text to run instead of a named query.")
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="NAME=VALUE: bind ?NAME to a term — a CURIE (cpkid:theme-4), <IRI>, number or "
            '"literal"; repeatable. Bound as a variable, never pasted into the query.',
        ),
    ] = None,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="SELECT: table (default), csv, tsv, json, md. ASK: table (true/false) or json. "
            "CONSTRUCT/DESCRIBE: turtle (default), nt, jsonld.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="Allow SPARQL Update; it changes the loaded graph (or --store), never your files.",
        ),
    ] = False,
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service", help="Let a local query call remote endpoints (SERVICE) and LOAD from the web."
        ),
    ] = False,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw", help="csv: write cells as they are, without neutralising spreadsheet formulas."
        ),
    ] = False,
    source: SourcesOpt = None,
    source_format: SourceFormatOpt = None,
    no_bundled: NoBundledOpt = False,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
    gsp_endpoint: GspEndpointOpt = None,
    graph: GraphIriOpt = None,
    timeout: TimeoutOpt = None,
    max_bytes: MaxBytesOpt = None,
    reason: ReasonOpt = None,
) -> None:
    """Run a named query, a .rq file or inline SPARQL (-e) and print the answer."""
    from .catalogue import parse_assignments, resolve_query
    from .errors import QueryError
    from .results import render_result

    if (name is None) == (sparql is None):
        raise QueryError("give a query name or .rq file, or SPARQL text with -e (one of them)")
    from .hints import declared_prefixes, undefined_term_warnings
    from .namespaces import PREFIXES, parse_term, with_prefixes
    from .sources import collect_sources

    given = parse_assignments(param or [])
    opts = graph_options(ctx, source, no_bundled, store)
    yours = declared_prefixes(collect_sources(opts.sources))  # your files' prefixes work here too
    prefixes = {**yours, **PREFIXES}
    if sparql is not None:
        text, bindings = with_prefixes(sparql, yours), {k: parse_term(v, prefixes) for k, v in given.items()}
    else:
        assert name is not None
        named = resolve_query(name)
        text, bindings = named.text, named.bindings(given, prefixes)
    engine = open_engine(opts)
    if hasattr(engine, "allow_service"):  # the local engine; a remote one answers SERVICE itself
        engine.allow_service = allow_service
    result = engine.query(text, bindings, allow_update=update)
    write_output(render_result(result, fmt, raw=raw), output, opts)
    for warning in undefined_term_warnings(engine, text, bindings) if not update else []:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)


@app.command()
def queries(
    name: Annotated[str | None, typer.Argument(help="Show this query in full.", show_default=False)] = None,
) -> None:
    """List the catalogue of named queries, or show one with its parameters and SPARQL."""
    from .catalogue import find_query, list_queries
    from .reports import render_catalogue, render_named_query

    write_output(render_named_query(find_query(name)) if name else render_catalogue(list_queries()), None)


@app.command()
def validate(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="RDF files or folders to check (next to the bundled graph).", show_default=False),
    ] = None,
    source: SourcesOpt = None,
    source_format: SourceFormatOpt = None,
    no_bundled: NoBundledOpt = False,
    store: StoreOpt = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="text or json.")] = ReportFormat.TEXT,
) -> None:
    """Check the sources: they parse, pass the SHACL shapes, use no misspelt or undefined term, give
    every link its claim and every source its own code. Each finding names its file:line and what
    to write. Exit 0 clean, 1 findings, 2 error."""
    from .reports import render_report, to_json
    from .validation import validate_sources

    opts = graph_options(ctx, [*(files or []), *(source or [])], no_bundled, store)
    from .progress import stage

    with stage("validating"):  # scale: progress on a terminal
        report = validate_sources(opts.sources, bundled=opts.bundled, store=opts.store)
    if fmt is ReportFormat.JSON:
        data = {
            "conforms": report.conforms,
            "summary": report.summary(),
            "files": report.files,
            "findings": [f.as_dict() for f in report.findings],
        }
        write_output(to_json(data), None)
    else:
        write_output(render_report(report), None)
    raise typer.Exit(0 if report.conforms else 1)


@app.command()
def show(
    ctx: typer.Context,
    term: Annotated[str, typer.Argument(help="A CURIE (cpkid:theme-4), an <IRI> or a label (any case).")],
    source: SourcesOpt = None,
    source_format: SourceFormatOpt = None,
    no_bundled: NoBundledOpt = False,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
    gsp_endpoint: GspEndpointOpt = None,
    graph: GraphIriOpt = None,
    timeout: TimeoutOpt = None,
    max_bytes: MaxBytesOpt = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="text or json.")] = ReportFormat.TEXT,
) -> None:
    """Show everything about one resource: types, labels, definition, relations both ways, and the
    sources and status of the claims it takes part in."""
    from .hints import with_your_prefix
    from .lookup import describe, resolve_term
    from .reports import render_description, to_json

    opts = graph_options(ctx, source, no_bundled, store)
    engine = open_engine(opts)
    found = describe(engine, resolve_term(engine, with_your_prefix(term, opts.sources)))
    write_output(to_json(found) if fmt is ReportFormat.JSON else render_description(found), None)


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Words to find in labels, alternative labels and definitions.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many results.")] = 20,
    source: SourcesOpt = None,
    source_format: SourceFormatOpt = None,
    no_bundled: NoBundledOpt = False,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
    gsp_endpoint: GspEndpointOpt = None,
    graph: GraphIriOpt = None,
    timeout: TimeoutOpt = None,
    max_bytes: MaxBytesOpt = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="text or json.")] = ReportFormat.TEXT,
) -> None:
    """Find resources by label, alternative label or definition (ignoring case and accents), best first."""
    from .lookup import search as run_search
    from .reports import render_hits, to_json

    hits = run_search(open_engine(graph_options(ctx, source, no_bundled, store)), text, limit)
    write_output(to_json([h.__dict__ for h in hits]) if fmt is ReportFormat.JSON else render_hits(hits), None)


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="RDF: ttl, nt, jsonld (files merged) or trig, nq (one graph per file). The network "
            "(see `coprodkg analyse`): graphml or gexf for Gephi, or csv for spreadsheets, which needs "
            "-o PREFIX and writes PREFIX-nodes.csv and PREFIX-edges.csv.",
        ),
    ] = ExportFormat.TTL,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (csv: this prefix) instead of stdout."),
    ] = None,
    provenance: Annotated[
        bool,
        typer.Option("--provenance", help="graphml, gexf, csv: add the derived-from edges to the sources."),
    ] = False,
    source: SourcesOpt = None,
    source_format: SourceFormatOpt = None,
    no_bundled: NoBundledOpt = False,
    store: StoreOpt = None,
) -> None:
    """Write the loaded graph in an RDF format, or its network for Gephi and spreadsheets."""
    opts = graph_options(ctx, source, no_bundled, store)
    if not fmt.is_network:
        from .engine import serialize_graph

        write_output(serialize_graph(open_graph(opts), fmt.value), output, opts)
        return
    from .errors import OutputError
    from .network_files import render_network, write_network
    from .projection import project

    if fmt is ExportFormat.CSV and output is None:
        raise OutputError(
            "--format csv writes two files: give -o PREFIX (for PREFIX-nodes.csv, PREFIX-edges.csv)"
        )
    network = project(open_engine(opts), provenance=provenance)
    if fmt is ExportFormat.CSV:
        assert output is not None
        for written in write_network(network, output, fmt.value, protect=protected(opts)):
            print(f"wrote {written}", file=sys.stderr)
    else:
        write_output(render_network(network, fmt.value), output, opts)


@app.command()
def load(
    ctx: typer.Context,
    sources: Annotated[
        list[Path] | None, typer.Argument(help="RDF files or folders to add.", show_default=False)
    ] = None,
    store: Annotated[
        Path, typer.Option("--store", help="The on-disk store to fill (created if missing).")
    ] = ...,  # type: ignore[assignment]
    replace: Annotated[
        bool, typer.Option("--replace", help="Empty the store first instead of adding to it.")
    ] = False,
    source: SourcesOpt = None,
    source_format: SourceFormatOpt = None,
    no_bundled: NoBundledOpt = False,
) -> None:
    """Fill an on-disk store with the bundled graph and your files, so later commands parse nothing."""
    from .engine import fill_store
    from .results import render_table

    opts = graph_options(ctx, [*(sources or []), *(source or [])], no_bundled, None)
    start = time.monotonic()
    kg = fill_store(store, opts.sources, bundled=opts.bundled, replace=replace, progress=progress_reporter())
    files = kg.files()
    print(render_table(["triples", "file"], [[str(f.triples), str(f.path)] for f in files]), file=sys.stderr)
    total = sum(f.triples for f in files)
    print(
        f"{total} triples in {len(files)} files in {store} ({time.monotonic() - start:.1f} s)",
        file=sys.stderr,
    )
    kg.close()


@app.command()
def analyse(
    ctx: typer.Context,
    top: Annotated[
        int | None,
        typer.Option(
            "--top", "-n", min=1, help="Show the top N nodes [default: 20 in a table, all in csv/json]."
        ),
    ] = None,
    by: Annotated[
        RankBy, typer.Option("--by", help="Rank by betweenness, pagerank or degree.")
    ] = RankBy.BETWEENNESS,
    fmt: Annotated[
        MetricsFormat, typer.Option("--format", "-f", help="table (the top N), or csv or json (every node).")
    ] = MetricsFormat.TABLE,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    provenance: Annotated[
        bool, typer.Option("--provenance", help="Count the derived-from edges to the sources too.")
    ] = False,
    source: SourcesOpt = None,
    source_format: SourceFormatOpt = None,
    no_bundled: NoBundledOpt = False,
    store: StoreOpt = None,
) -> None:
    """Rank the network's nodes: degree, betweenness, PageRank, and Louvain community (fixed seed)."""
    from .analysis import analyse as run_analyse
    from .analysis import render_metrics
    from .projection import project

    opts = graph_options(ctx, source, no_bundled, store)
    limit = top if top is not None else (20 if fmt is MetricsFormat.TABLE else None)
    metrics = run_analyse(project(open_engine(opts), provenance=provenance), top=limit, by=by.value)
    write_output(render_metrics(metrics, fmt.value), output, opts)


@app.command()
def path(
    ctx: typer.Context,
    start: Annotated[str, typer.Argument(metavar="FROM", help="A label (any case), CURIE or <IRI>.")],
    end: Annotated[str, typer.Argument(metavar="TO", help="A label (any case), CURIE or <IRI>.")],
    all_paths: Annotated[
        bool, typer.Option("--all", help="Every shortest path, not only the best-evidenced.")
    ] = False,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="text or json.")] = ReportFormat.TEXT,
    source: SourcesOpt = None,
    source_format: SourceFormatOpt = None,
    no_bundled: NoBundledOpt = False,
    store: StoreOpt = None,
) -> None:
    """The shortest chain of relations between two concepts (followed either way), each step with
    its relation, status and source. Exit 1 when nothing links them."""
    from dataclasses import asdict

    from .analysis import render_paths, shortest_paths
    from .reports import to_json

    found = shortest_paths(
        open_engine(graph_options(ctx, source, no_bundled, store)), start, end, all_paths=all_paths
    )
    write_output(
        to_json([asdict(p) for p in found]) if fmt is ReportFormat.JSON else render_paths(found), None
    )
    if not found:
        print(f"{PROG}: no path links {start!r} and {end!r} in the graph", file=sys.stderr)
        raise typer.Exit(1)


@app.command()
def neighbours(
    ctx: typer.Context,
    term: Annotated[str, typer.Argument(help="A label (any case), CURIE or <IRI>.")],
    depth: Annotated[int, typer.Option("--depth", "-d", min=1, help="How many hops out to go.")] = 1,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="text or json.")] = ReportFormat.TEXT,
    source: SourcesOpt = None,
    source_format: SourceFormatOpt = None,
    no_bundled: NoBundledOpt = False,
    store: StoreOpt = None,
) -> None:
    """The nodes within --depth hops of a concept, each with the relation and source that reach it."""
    from dataclasses import asdict

    from .analysis import neighbours as find_neighbours
    from .analysis import render_neighbours
    from .reports import to_json

    found = find_neighbours(open_engine(graph_options(ctx, source, no_bundled, store)), term, depth)
    text = to_json([asdict(n) for n in found]) if fmt is ReportFormat.JSON else render_neighbours(found)
    write_output(text, None)


@app.command()
def push(
    ctx: typer.Context,
    endpoint: EndpointOpt = None,
    graph: GraphIriOpt = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Overwrite the named graph (only that graph) instead of adding to it."
        ),
    ] = False,
    update_endpoint: UpdateEndpointOpt = None,
    gsp_endpoint: GspEndpointOpt = None,
    timeout: TimeoutOpt = None,
    max_bytes: MaxBytesOpt = None,
    source: SourcesOpt = None,
    source_format: SourceFormatOpt = None,
    no_bundled: NoBundledOpt = False,
    store: StoreOpt = None,
) -> None:
    """Upload the loaded graph (bundled and --source files, or --store) into a named graph of a remote
    store, by the Graph Store Protocol (--gsp-endpoint) or else SPARQL Update; report the server's count."""
    from .errors import EndpointError
    from .remote import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, push_graph

    if endpoint is None or graph is None:
        raise EndpointError("push needs --endpoint URL (to count) and --graph IRI (the target graph)")
    kg = open_graph(graph_options(ctx, source, no_bundled, store))
    report = push_graph(
        kg,
        endpoint,
        graph=graph,
        update_endpoint=update_endpoint,
        gsp_endpoint=gsp_endpoint,
        replace=replace,
        timeout=timeout or DEFAULT_TIMEOUT,
        max_bytes=max_bytes or DEFAULT_MAX_BYTES,
    )
    print(
        f"sent {report.sent} triples to <{report.graph}> by {report.method}; "
        f"the server holds {report.after} triples in it (before: {report.before})",
        file=sys.stderr,
    )
    if not report.ok:
        raise EndpointError(
            f"the server holds {report.after} triples in <{graph}>, which does not fit the push"
        )


@app.command()
def pull(
    endpoint: EndpointOpt = None,
    graph: GraphIriOpt = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the Turtle to this file.")
    ] = None,
    gsp_endpoint: GspEndpointOpt = None,
    timeout: TimeoutOpt = None,
    max_bytes: MaxBytesOpt = None,
) -> None:
    """Fetch a named graph from a remote store (GSP GET with --gsp-endpoint, else CONSTRUCT) as Turtle."""
    from .errors import EndpointError
    from .remote import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, pull_graph

    if graph is None or (endpoint is None and gsp_endpoint is None):
        raise EndpointError("pull needs --graph IRI and --endpoint URL (or --gsp-endpoint URL)")
    pulled = pull_graph(
        endpoint,
        graph=graph,
        gsp_endpoint=gsp_endpoint,
        timeout=timeout or DEFAULT_TIMEOUT,
        max_bytes=max_bytes or DEFAULT_MAX_BYTES,
    )
    write_output(pulled.serialize(format="turtle"), output)
    print(f"{len(pulled)} triples from <{graph}>", file=sys.stderr)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="The address to listen on (loopback unless you say so).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="The port (0 picks a free one).")
    ] = 7878,
    writable: Annotated[
        bool,
        typer.Option("--writable", help="Accept SPARQL Update and GSP writes (to a temporary copy only)."),
    ] = False,
    timeout_s: Annotated[
        int, typer.Option("--timeout-s", min=1, help="Stop any query that runs longer than this, in seconds.")
    ] = 30,
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service", help="Let queries call other servers (SERVICE) and updates LOAD URLs."
        ),
    ] = False,
    source: SourcesOpt = None,
    source_format: SourceFormatOpt = None,
    no_bundled: NoBundledOpt = False,
    store: StoreOpt = None,
) -> None:
    """Serve the loaded graph as a SPARQL 1.1 endpoint (the Oxigraph server), read-only, until Ctrl-C."""
    from .serve import start_server, wait_server

    kg = open_graph(graph_options(ctx, source, no_bundled, store))
    server = start_server(
        kg, host=host, port=port, writable=writable, timeout_s=timeout_s, allow_service=allow_service
    )
    del kg
    mode = "read-write" if writable else "read-only"
    lines = [f"serving the graph ({mode}) at {server.base}", f"  query UI:      {server.base}/"]
    lines += [f"  SPARQL query:  {server.query_url}"]
    lines += [f"  SPARQL update: {server.update_url}"] if writable else []
    lines += [f"  Graph Store:   {server.store_url}", "press Ctrl-C to stop"]
    raise typer.Exit(wait_server(server, lambda: print("\n".join(lines), file=sys.stderr, flush=True)))


@app.command()
def viz(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The HTML file to write (one self-contained page).")
    ] = Path("coprodkg-explorer.html"),
    focus: Annotated[
        str | None,
        typer.Option(
            "--focus",
            help="Show only this resource's neighbourhood: a CURIE, <IRI> or label.",
            show_default=False,
        ),
    ] = None,
    depth: Annotated[int, typer.Option("--depth", min=0, help="How many steps around --focus to show.")] = 1,
    kinds: Annotated[
        str | None,
        typer.Option(
            "--kinds",
            help="Comma-separated kinds to show: theme,mechanism,barrier,facilitator,outcome,actor,"
            "organisation,source,concept.",
            show_default=False,
        ),
    ] = None,
    max_nodes: Annotated[
        int,
        typer.Option(
            "--max-nodes", min=1, help="Above this many nodes, keep the most central (the page says so)."
        ),
    ] = 5000,
    title: Annotated[str, typer.Option("--title", help="The page's heading.")] = "coprodkg explorer",
    open_page: Annotated[
        bool, typer.Option("--open", help="Open the page in the web browser when written.")
    ] = False,
    source: SourcesOpt = None,
    source_format: SourceFormatOpt = None,
    no_bundled: NoBundledOpt = False,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
    gsp_endpoint: GspEndpointOpt = None,
    graph: GraphIriOpt = None,
    timeout: TimeoutOpt = None,
    max_bytes: MaxBytesOpt = None,
) -> None:
    """Write the interactive explorer: one offline HTML file with search, filters, a legend and a side panel."""
    from .errors import OutputError
    from .viz import open_in_browser, render_html

    given = ctx.get_parameter_source("depth")
    if focus is None and given is not None and given.name == "COMMANDLINE":
        raise OutputError("--depth needs --focus TERM")
    opts = graph_options(ctx, source, no_bundled, store)
    wanted = [k for k in kinds.split(",") if k.strip()] if kinds is not None else None
    from .progress import stage

    with stage("drawing the explorer"):  # scale: progress on a terminal
        page = render_html(
            open_engine(opts), focus=focus, depth=depth, kinds=wanted, max_nodes=max_nodes, title=title
        )
    write_output(page, output, opts)
    print(f"wrote {output}", file=sys.stderr)
    if open_page:
        open_in_browser(output)


# ---- the evidence map (coprodkg map) -------------------------------------------------------------


@app.command(name="map")
def evidence_map(
    ctx: typer.Context,
    fmt: Annotated[
        MapFormat,
        typer.Option("--format", "-f", help="html (one offline page), or the matrix as csv or md."),
    ] = MapFormat.HTML,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The file to write [default: coprodkg-map.html for html, stdout for csv and md].",
            show_default=False,
        ),
    ] = None,
    kinds: Annotated[
        str | None,
        typer.Option(
            "--kinds",
            help="Comma-separated row kinds to show: barrier,facilitator,mechanism,actor,outcome,concept.",
            show_default=False,
        ),
    ] = None,
    strengths: Annotated[
        str | None,
        typer.Option(
            "--strengths",
            help="Comma-separated match strengths to show: same,close,loose.",
            show_default=False,
        ),
    ] = None,
    independent_only: Annotated[
        bool,
        typer.Option(
            "--independent-only", help="Leave out the studies that are not independent of the seed."
        ),
    ] = False,
    without_disputed: Annotated[
        bool,
        typer.Option("--without-disputed", help="Leave out alignments that a claim disputes (cpk:disputes)."),
    ] = False,
    pairs: Annotated[
        bool,
        typer.Option(
            "--pairs",
            help="csv: write the barriers × facilitators/mechanisms reported in the same study instead.",
        ),
    ] = False,
    summary: Annotated[
        bool,
        typer.Option("--summary", help="Print the counts of studies, claims and alignments and stop."),
    ] = False,
    map_iri: Annotated[
        str, typer.Option("--map", help="The evidence map to draw, as a CURIE or <IRI>.")
    ] = "cpkid:evidence-map",
    title: Annotated[
        str, typer.Option("--title", help="html: the page's heading.")
    ] = "coprodkg evidence map",
    source: SourcesOpt = None,
    no_bundled: NoBundledOpt = False,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
    gsp_endpoint: GspEndpointOpt = None,
    graph: GraphIriOpt = None,
    timeout: TimeoutOpt = None,
) -> None:
    """Draw the evidence map: shared concepts (rows, by kind) × studies (columns), each cell the
    study's own concept shaded by match strength, with the claims behind it."""
    from .evidence_map import build_map, render_map_csv, render_map_md, render_summary

    opts = graph_options(ctx, source, no_bundled, store)
    engine = open_engine(opts)
    emap = build_map(
        engine,
        map_iri=map_iri,
        kinds=kinds.split(",") if kinds is not None else None,
        strengths=strengths.split(",") if strengths is not None else None,
        independent_only=independent_only,
        without_disputed=without_disputed,
    )
    if summary:
        write_output(render_summary(emap, engine), None)
        return
    if fmt is MapFormat.HTML:
        from .map_page import render_map_html

        target = output or Path("coprodkg-map.html")
        write_output(render_map_html(emap, title=title), target, opts)
        print(f"wrote {target}", file=sys.stderr)
        return
    text = render_map_csv(emap, pairs=pairs) if fmt is MapFormat.CSV else render_map_md(emap)
    write_output(text, output, opts)


# ---- end of the evidence map ---------------------------------------------------------------------


# ---- extending: new, import, diff, docs (the extend helper's block) ----------------------------


def _write_new(text: str, output: Path | None, append: bool) -> None:
    """Stdout, a new file, or (``--append``) the end of an existing one; never a rewrite."""
    from .errors import OutputError
    from .scaffold import write_new

    if append and output is None:
        raise OutputError("--append needs -o FILE: the file to add to")
    if output is None:
        write_output(text, None)
        return
    write_new(text, output, append=append)
    print(f"{'added to' if append else 'wrote'} {output}", file=sys.stderr)


@app.command()
def new(
    kind: Annotated[
        str | None,
        typer.Argument(
            help="study, theme, barrier, mechanism, facilitator, outcome, actor, source or claim.",
            show_default=False,
        ),
    ] = None,
    ident: Annotated[
        str | None, typer.Option("--id", help="The new resource's name in your namespace (ex:NAME).")
    ] = None,
    label: Annotated[str | None, typer.Option("--label", help="Its skos:prefLabel.")] = None,
    source_of: Annotated[
        str | None, typer.Option("--from", help="The source it comes from (a CURIE such as cpkid:S1).")
    ] = None,
    prefix: Annotated[str, typer.Option("--prefix", help="The prefix of your namespace.")] = "ex",
    base: Annotated[
        str, typer.Option("--base", help="Your namespace IRI.")
    ] = "https://example.org/my-study/",
    table: Annotated[
        bool, typer.Option("--table", help="Write the CSV template for `coprodkg import` instead.")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this new file instead of stdout.")
    ] = None,
    append: Annotated[
        bool, typer.Option("--append", help="Add the snippet at the end of an existing -o file.")
    ] = False,
) -> None:
    """Start a resource in Turtle: the prefixes, the required properties, a claim for each link, and
    TODO placeholders that `coprodkg validate` flags until you replace them."""
    from .errors import OutputError
    from .scaffold import render_new

    if table:
        from .tables import render_template

        text = render_template()
    elif kind is None:
        raise OutputError("give a KIND (study, theme, barrier ...) or --table")
    else:
        text = render_new(kind, ident=ident, label=label, source=source_of, prefix=prefix, base=base)
    _write_new(text, output, append)


@app.command("import")
def import_table(
    table: Annotated[Path, typer.Argument(help="A .csv, .tsv or .xlsx table (see `coprodkg new --table`).")],
    prefix: Annotated[str, typer.Option("--prefix", help="The prefix of your namespace.")] = "ex",
    base: Annotated[
        str, typer.Option("--base", help="Your namespace IRI.")
    ] = "https://example.org/my-study/",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the Turtle to this new file instead of stdout."),
    ] = None,
    append: Annotated[
        bool, typer.Option("--append", help="Add the Turtle at the end of an existing -o file.")
    ] = False,
) -> None:
    """Turn a table with one row per item or per link into Turtle: items with label, definition,
    status and source; each link asserted and recorded as a claim. A bad row stops it with one line
    naming the row and column, and nothing is written."""
    from .tables import table_to_turtle

    text = table_to_turtle(table, prefix=prefix, base=base)
    _write_new(text, output, append)


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="The old graph: a file, folder, store, or git REV[:PATH].")],
    new: Annotated[str, typer.Argument(help="The new graph, in the same forms.")],
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="text, md or json.")] = DiffFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """What changed, by label: resources added and removed, labels and definitions, links, and claims
    added, removed or changed in status or source. Blank node names do not count. Exit 0 when the
    graphs are equal, 1 when they differ."""
    from .diff import diff_sources, render_diff

    found = diff_sources(old, new)
    write_output(render_diff(found, fmt.value), output)
    raise typer.Exit(0 if found.equal else 1)


@app.command()
def docs(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="A folder (gets index.html), a .html or a .md file.")
    ] = Path("coprodkg-reference.html"),
    source: SourcesOpt = None,
    no_bundled: NoBundledOpt = False,
    store: StoreOpt = None,
) -> None:
    """Write the ontology's reference page, offline: each class with the properties the shapes expect
    and its instance count, each property's domain and range, the status values, the named queries."""
    from .reference import write_reference

    written = write_reference(open_graph(graph_options(ctx, source, no_bundled, store)), output)
    print(f"wrote {written}", file=sys.stderr)


# ---- end of the extend helper's block -----------------------------------------------------------


def main() -> None:
    """The console script."""
    # ---- scale: long stages draw a bar on a terminal; BLAS runs single-threaded (the layout's
    # small solves only contend for the cores: 1.0 s vs 3-6 s for a 10-study viz, see bench_scale.py)
    import os

    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    if sys.stderr.isatty():
        from .progress import show_on_terminal, watch

        watch(show_on_terminal(sys.stderr))
    # ---- end scale
    app(prog_name=PROG)
