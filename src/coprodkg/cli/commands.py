"""The commands: each declares its own options, takes the shared ones as ``opts``, calls the library
once and renders the answer.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from .app import PROG, app
from .choices import DiffFormat, ExportFormat, MapFormat, MetricsFormat, OutputFormat, RankBy, ReportFormat
from .options import (
    LOCAL,
    REMOTE,
    SOURCES,
    GraphOptions,
    ReportFormatOpt,
    graph_options,
    open_engine,
    open_graph,
    progress_reporter,
)
from .output import protected, write_output


@app.command()
@graph_options(*LOCAL, *REMOTE)
def info(
    opts: GraphOptions,
    fmt: ReportFormatOpt = ReportFormat.TEXT,
) -> None:
    """Summarise the graph: triples, instances per class, the files loaded, the prefixes."""
    from ..lookup import graph_info
    from ..reports import render_info, to_json

    summary = graph_info(open_engine(opts))
    write_output(to_json(summary) if fmt is ReportFormat.JSON else render_info(summary), None)


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
    from ..hints import declared_prefixes, undefined_term_warnings
    from ..namespaces import PREFIXES, parse_term, with_prefixes
    from ..sources import collect_sources

    given = parse_assignments(param or [])
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
    from ..catalogue import find_query, list_queries
    from ..reports import render_catalogue, render_named_query

    write_output(render_named_query(find_query(name)) if name else render_catalogue(list_queries()), None)


@app.command()
@graph_options(*LOCAL)
def validate(
    opts: GraphOptions,
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="RDF files or folders to check (next to the bundled graph).", show_default=False),
    ] = None,
    fmt: ReportFormatOpt = ReportFormat.TEXT,
) -> None:
    """Check the sources: they parse, pass the SHACL shapes, use no misspelt or undefined term, give
    every link its claim and every source its own code. Each finding names its file:line and what
    to write. Exit 0 clean, 1 findings, 2 error."""
    from ..reports import render_report, to_json
    from ..validation import validate_sources

    opts = opts.with_sources(files)
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
@graph_options(*LOCAL, *REMOTE)
def show(
    opts: GraphOptions,
    term: Annotated[str, typer.Argument(help="A CURIE (cpkid:theme-4), an <IRI> or a label (any case).")],
    fmt: ReportFormatOpt = ReportFormat.TEXT,
) -> None:
    """Show everything about one resource: types, labels, definition, relations both ways, and the
    sources and status of the claims it takes part in."""
    from ..hints import with_your_prefix
    from ..lookup import describe, resolve_term
    from ..reports import render_description, to_json

    engine = open_engine(opts)
    found = describe(engine, resolve_term(engine, with_your_prefix(term, opts.sources)))
    write_output(to_json(found) if fmt is ReportFormat.JSON else render_description(found), None)


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
    from ..reports import render_hits, to_json

    hits = run_search(open_engine(opts), text, limit)
    write_output(to_json([h.__dict__ for h in hits]) if fmt is ReportFormat.JSON else render_hits(hits), None)


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
@graph_options(*LOCAL)
def analyse(
    opts: GraphOptions,
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
) -> None:
    """Rank the network's nodes: degree, betweenness, PageRank, and Louvain community (fixed seed)."""
    from ..analysis import analyse as run_analyse
    from ..analysis import render_metrics
    from ..projection import project

    limit = top if top is not None else (20 if fmt is MetricsFormat.TABLE else None)
    metrics = run_analyse(project(open_engine(opts), provenance=provenance), top=limit, by=by.value)
    write_output(render_metrics(metrics, fmt.value), output, opts)


@app.command()
@graph_options(*LOCAL)
def path(
    opts: GraphOptions,
    start: Annotated[str, typer.Argument(metavar="FROM", help="A label (any case), CURIE or <IRI>.")],
    end: Annotated[str, typer.Argument(metavar="TO", help="A label (any case), CURIE or <IRI>.")],
    all_paths: Annotated[
        bool, typer.Option("--all", help="Every shortest path, not only the best-evidenced.")
    ] = False,
    fmt: ReportFormatOpt = ReportFormat.TEXT,
) -> None:
    """The shortest chain of relations between two concepts (followed either way), each step with
    its relation, status and source. Exit 1 when nothing links them."""
    from dataclasses import asdict

    from ..analysis import render_paths, shortest_paths
    from ..reports import to_json

    found = shortest_paths(open_engine(opts), start, end, all_paths=all_paths)
    write_output(
        to_json([asdict(p) for p in found]) if fmt is ReportFormat.JSON else render_paths(found), None
    )
    if not found:
        print(f"{PROG}: no path links {start!r} and {end!r} in the graph", file=sys.stderr)
        raise typer.Exit(1)


@app.command()
@graph_options(*LOCAL)
def neighbours(
    opts: GraphOptions,
    term: Annotated[str, typer.Argument(help="A label (any case), CURIE or <IRI>.")],
    depth: Annotated[int, typer.Option("--depth", "-d", min=1, help="How many hops out to go.")] = 1,
    fmt: ReportFormatOpt = ReportFormat.TEXT,
) -> None:
    """The nodes within --depth hops of a concept, each with the relation and source that reach it."""
    from dataclasses import asdict

    from ..analysis import neighbours as find_neighbours
    from ..analysis import render_neighbours
    from ..reports import to_json

    found = find_neighbours(open_engine(opts), term, depth)
    text = to_json([asdict(n) for n in found]) if fmt is ReportFormat.JSON else render_neighbours(found)
    write_output(text, None)


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


@app.command()
@graph_options(*LOCAL, *REMOTE)
def viz(
    ctx: typer.Context,
    opts: GraphOptions,
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
) -> None:
    """Write the interactive explorer: one offline HTML file with search, filters, a legend and a side panel."""
    from ..errors import OutputError
    from ..viz import open_in_browser, render_html

    given = ctx.get_parameter_source("depth")
    if focus is None and given is not None and given.name == "COMMANDLINE":
        raise OutputError("--depth needs --focus TERM")
    wanted = [k for k in kinds.split(",") if k.strip()] if kinds is not None else None
    page = render_html(
        open_engine(opts), focus=focus, depth=depth, kinds=wanted, max_nodes=max_nodes, title=title
    )
    write_output(page, output, opts)
    print(f"wrote {output}", file=sys.stderr)
    if open_page:
        open_in_browser(output)


# ---- the evidence map (coprodkg map) -------------------------------------------------------------


@app.command(name="map")
@graph_options(*LOCAL, *REMOTE)
def evidence_map(
    opts: GraphOptions,
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
) -> None:
    """Draw the evidence map: shared concepts (rows, by kind) × studies (columns), each cell the
    study's own concept shaded by match strength, with the claims behind it."""
    from ..evidence_map import build_map, render_map_csv, render_map_md, render_summary

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
        from ..map_page import render_map_html

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
    from ..errors import OutputError
    from ..scaffold import write_new

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
    from ..errors import OutputError
    from ..scaffold import render_new

    if table:
        from ..tables import render_template

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
    from ..tables import table_to_turtle

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
    from ..diff import diff_sources, render_diff

    found = diff_sources(old, new)
    write_output(render_diff(found, fmt.value), output)
    raise typer.Exit(0 if found.equal else 1)


@app.command()
@graph_options(*LOCAL)
def docs(
    opts: GraphOptions,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="A folder (gets index.html), a .html or a .md file.")
    ] = Path("coprodkg-reference.html"),
) -> None:
    """Write the ontology's reference page, offline: each class with the properties the shapes expect
    and its instance count, each property's domain and range, the status values, the named queries."""
    from ..reference import write_reference

    written = write_reference(open_graph(opts), output)
    print(f"wrote {written}", file=sys.stderr)


# ---- end of the extend helper's block -----------------------------------------------------------
