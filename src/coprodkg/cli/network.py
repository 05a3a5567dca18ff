"""The network and its pictures: analyse, path, neighbours, viz, map."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .app import PROG, app
from .choices import MapFormat, MetricsFormat, RankBy, ReportFormat
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
    from ..analysis import render_paths, shortest_paths

    found = shortest_paths(open_engine(opts), start, end, all_paths=all_paths)
    write_report(found, fmt, render_paths)
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
    from ..analysis import neighbours as find_neighbours
    from ..analysis import render_neighbours

    write_report(find_neighbours(open_engine(opts), term, depth), fmt, render_neighbours)


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
    from ..progress import stage

    with stage("drawing the explorer"):  # scale: progress on a terminal
        page = render_html(
            open_engine(opts), focus=focus, depth=depth, kinds=wanted, max_nodes=max_nodes, title=title
        )
    write_output(page, output, opts)
    if str(output) != "-":  # the page went to stdout
        print(f"wrote {output}", file=sys.stderr)
    if open_page:
        open_in_browser(output)


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
        if str(target) != "-":  # the page went to stdout
            print(f"wrote {target}", file=sys.stderr)
        return
    text = render_map_csv(emap, pairs=pairs) if fmt is MapFormat.CSV else render_map_md(emap)
    write_output(text, output, opts)
