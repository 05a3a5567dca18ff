"""Files, stores and a team's triple store: export, load, push, pull, serve."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from .app import app
from .choices import ExportFormat
from .options import (
    LOCAL,
    REMOTE,
    SOURCES,
    GraphOptions,
    graph_options,
    open_engine,
    open_graph,
    progress_reporter,
)
from .output import protected, write_output


@app.command()
@graph_options(*LOCAL)
def export(
    opts: GraphOptions,
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
) -> None:
    """Write the loaded graph in an RDF format, or its network for Gephi and spreadsheets."""
    if not fmt.is_network:
        from ..engine import serialize_graph

        write_output(serialize_graph(open_graph(opts), fmt.value), output, opts)
        return
    from ..errors import OutputError
    from ..network_files import render_network, write_network
    from ..projection import project

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
@graph_options(*SOURCES)
def load(
    opts: GraphOptions,
    sources: Annotated[
        list[Path] | None, typer.Argument(help="RDF files or folders to add.", show_default=False)
    ] = None,
    store: Annotated[
        Path, typer.Option("--store", help="The on-disk store to fill (created if missing).")
    ] = ...,  # type: ignore[assignment]
    replace: Annotated[
        bool, typer.Option("--replace", help="Empty the store first instead of adding to it.")
    ] = False,
) -> None:
    """Fill an on-disk store with the bundled graph and your files, so later commands parse nothing."""
    from ..engine import fill_store
    from ..results import render_table

    opts = opts.with_sources(sources)
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
@graph_options(*LOCAL, *REMOTE)
def push(
    opts: GraphOptions,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Overwrite the named graph (only that graph) instead of adding to it."
        ),
    ] = False,
) -> None:
    """Upload the loaded graph (bundled and --source files, or --store) into a named graph of a remote
    store, by the Graph Store Protocol (--gsp-endpoint) or else SPARQL Update; report the server's count."""
    from ..errors import EndpointError
    from ..remote import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, push_graph

    remote = opts.remote
    endpoint, graph = remote.get("endpoint"), remote.get("graph")
    if endpoint is None or graph is None:
        raise EndpointError("push needs --endpoint URL (to count) and --graph IRI (the target graph)")
    kg = open_graph(opts)
    report = push_graph(
        kg,
        endpoint,
        graph=graph,
        update_endpoint=remote.get("update_endpoint"),
        gsp_endpoint=remote.get("gsp_endpoint"),
        replace=replace,
        timeout=remote.get("timeout") or DEFAULT_TIMEOUT,
        max_bytes=remote.get("max_bytes") or DEFAULT_MAX_BYTES,
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
@graph_options("endpoint", "graph", "gsp_endpoint", "timeout", "max_bytes")
def pull(
    opts: GraphOptions,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the Turtle to this file.")
    ] = None,
) -> None:
    """Fetch a named graph from a remote store (GSP GET with --gsp-endpoint, else CONSTRUCT) as Turtle."""
    from ..errors import EndpointError
    from ..remote import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, pull_graph

    remote = opts.remote
    endpoint, graph, gsp_endpoint = remote.get("endpoint"), remote.get("graph"), remote.get("gsp_endpoint")
    if graph is None or (endpoint is None and gsp_endpoint is None):
        raise EndpointError("pull needs --graph IRI and --endpoint URL (or --gsp-endpoint URL)")
    pulled = pull_graph(
        endpoint,
        graph=graph,
        gsp_endpoint=gsp_endpoint,
        timeout=remote.get("timeout") or DEFAULT_TIMEOUT,
        max_bytes=remote.get("max_bytes") or DEFAULT_MAX_BYTES,
    )
    write_output(pulled.serialize(format="turtle"), output)
    print(f"{len(pulled)} triples from <{graph}>", file=sys.stderr)


@app.command()
@graph_options(*LOCAL)
def serve(
    opts: GraphOptions,
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
) -> None:
    """Serve the loaded graph as a SPARQL 1.1 endpoint (the Oxigraph server), read-only, until Ctrl-C."""
    from ..serve import start_server, wait_server

    kg = open_graph(opts)
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
