"""Reading the graph: info, query, queries, show, search."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .app import PROG, app
from .choices import OutputFormat, ReportFormat
from .options import (
    LOCAL,
    REMOTE,
    GraphOptions,
    ReportFormatOpt,
    graph_options,
    open_engine,
)
from .output import write_output, write_report


@app.command()
@graph_options(*LOCAL, *REMOTE)
def info(
    opts: GraphOptions,
    fmt: ReportFormatOpt = ReportFormat.TEXT,
) -> None:
    """Summarise the graph: triples, instances per class, the files loaded, the prefixes."""
    from ..lookup import graph_info
    from ..reports import render_info

    write_report(graph_info(open_engine(opts)), fmt, render_info)


@app.command()
@graph_options(*LOCAL, *REMOTE, "reason")
def query(
    opts: GraphOptions,
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
) -> None:
    """Run a named query, a .rq file or inline SPARQL (-e) and print the answer."""
    from ..catalogue import parse_assignments, resolve_query
    from ..errors import QueryError
    from ..results import render_result

    if (name is None) == (sparql is None):
        raise QueryError("give a query name or .rq file, or SPARQL text with -e (one of them)")
    from ..hints import query_warnings
    from ..lookup import prefixes_of
    from ..namespaces import PREFIXES, parse_term
    from ..sparql import with_prefixes

    given = parse_assignments(param or [])
    named = resolve_query(name) if name is not None else None
    engine = open_engine(opts)
    prefixes = prefixes_of(engine)  # the prefixes your files declare work here too
    if named is None:
        assert sparql is not None
        yours = {p: ns for p, ns in prefixes.items() if p not in PREFIXES}  # the engine adds the known
        text, bindings = with_prefixes(sparql, yours), {k: parse_term(v, prefixes) for k, v in given.items()}
    else:
        text, bindings = named.text, named.bindings(given, prefixes)
    if hasattr(engine, "allow_service"):  # the local engine; a remote one answers SERVICE itself
        engine.allow_service = allow_service
    result = engine.query(text, bindings, allow_update=update)
    write_output(render_result(result, fmt, raw=raw), output, opts)
    for warning in [] if update else query_warnings(engine, text, bindings, named, given):
        print(f"{PROG}: warning: {warning}", file=sys.stderr)


@app.command()
def queries(
    name: Annotated[str | None, typer.Argument(help="Show this query in full.", show_default=False)] = None,
) -> None:
    """List the catalogue of named queries, or show one with its parameters and SPARQL."""
    from ..catalogue import find_query, list_queries
    from ..reports import render_catalogue, render_named_query

    write_output(render_named_query(find_query(name)) if name else render_catalogue(list_queries()), None)


@app.command()
@graph_options(*LOCAL, *REMOTE)
def show(
    opts: GraphOptions,
    term: Annotated[str, typer.Argument(help="A CURIE (cpkid:theme-4), an <IRI> or a label (any case).")],
    fmt: ReportFormatOpt = ReportFormat.TEXT,
) -> None:
    """Show everything about one resource: types, labels, definition, relations both ways, and the
    sources and status of the claims it takes part in."""
    from ..lookup import describe, resolve_term
    from ..reports import render_description

    engine = open_engine(opts)
    write_report(describe(engine, resolve_term(engine, term)), fmt, render_description)


@app.command()
@graph_options(*LOCAL, *REMOTE)
def search(
    opts: GraphOptions,
    text: Annotated[str, typer.Argument(help="Words to find in labels, alternative labels and definitions.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many results.")] = 20,
    fmt: ReportFormatOpt = ReportFormat.TEXT,
) -> None:
    """Find resources by label, alternative label or definition (ignoring case and accents), best first."""
    from ..lookup import search as run_search
    from ..reports import render_hits

    write_report(run_search(open_engine(opts), text, limit), fmt, render_hits)
