"""Extending the graph in your own files: validate, new, import, diff, docs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .app import app
from .choices import DiffFormat, PageFormat, ReportFormat, TableFormat
from .options import (
    LOCAL,
    GraphOptions,
    ReportFormatOpt,
    SourceFormatOpt,
    graph_options,
    open_graph,
)
from .output import write_output

#: ``--prefix`` and ``--base`` of ``new`` and ``import``: the namespace your new resources get.
PrefixOpt = Annotated[str, typer.Option("--prefix", help="The prefix of your namespace.")]
BaseOpt = Annotated[str, typer.Option("--base", help="Your namespace IRI.")]
#: scaffold.DEFAULT_BASE, written out: importing scaffold here would load rdflib for every --help.
BASE = "https://example.org/my-study/"


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

    if any(str(f) == "-" for f in files or ()):  # `validate -` reads stdin, as `-s -` does
        from .options import read_stdin_source

        stdin = read_stdin_source(opts.source_format)
        files = [stdin if str(f) == "-" else f for f in files or ()]
    opts = opts.with_sources(files)
    from ..progress import stage

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


def _write_new(text: str, output: Path | None, append: bool) -> None:
    """Stdout, a new file, or (``--append``) the end of an existing one; never a rewrite."""
    from ..errors import OutputError
    from ..files import is_stdout
    from ..scaffold import write_new

    if append and is_stdout(output):
        raise OutputError("--append needs -o FILE: the file to add to")
    if is_stdout(output):
        write_output(text, None)
        return
    assert output is not None
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
    prefix: PrefixOpt = "ex",
    base: BaseOpt = BASE,
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
    table: Annotated[
        Path, typer.Argument(help="A .csv, .tsv or .xlsx table (see `coprodkg new --table`), or - for stdin.")
    ],
    table_format: Annotated[
        TableFormat | None,
        typer.Option("--format", "-f", help="csv, tsv or xlsx: needed with - (stdin), else from the suffix."),
    ] = None,
    prefix: PrefixOpt = "ex",
    base: BaseOpt = BASE,
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

    data = None
    if str(table) == "-":
        if table_format is None:
            from ..errors import TableError

            raise TableError("reading a table from stdin (-) needs --format csv, tsv or xlsx")
        data, table = sys.stdin.buffer.read(), Path("<stdin>")
    fmt = table_format.value if table_format is not None else None
    text = table_to_turtle(table, prefix=prefix, base=base, data=data, fmt=fmt)
    _write_new(text, output, append)


@app.command()
def diff(
    old: Annotated[
        str, typer.Argument(help="The old graph: a file, folder, store, git REV[:PATH], or - (stdin).")
    ],
    new: Annotated[str, typer.Argument(help="The new graph, in the same forms.")],
    source_format: SourceFormatOpt = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="text, md or json.")] = DiffFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """What changed, by label: resources added and removed, labels and definitions, links, and claims
    added, removed or changed in status or source. Blank node names do not count. Exit 0 when the
    graphs are equal, 1 when they differ."""
    from ..diff import diff_sources, render_diff

    if old == "-" and new == "-":
        from ..errors import SourceError

        raise SourceError("only one side of diff can be - (stdin)")
    if "-" in (old, new):
        from .options import read_stdin_source

        piped = str(read_stdin_source(source_format))
        shown = ("stdin" if old == "-" else old, "stdin" if new == "-" else new)
        found = diff_sources(piped if old == "-" else old, piped if new == "-" else new, names=shown)
    else:
        found = diff_sources(old, new)
    write_output(render_diff(found, fmt.value), output)
    raise typer.Exit(0 if found.equal else 1)


@app.command()
@graph_options(*LOCAL)
def docs(
    opts: GraphOptions,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="A folder (gets index.html), a .html or a .md file, or - for stdout."
        ),
    ] = Path("coprodkg-reference.html"),
    page_format: Annotated[
        PageFormat | None,
        typer.Option("--format", "-f", help="html or md; by default from the -o file's suffix (html for -)."),
    ] = None,
) -> None:
    """Write the ontology's reference page, offline: each class with the properties the shapes expect
    and its instance count, each property's domain and range, the status values, the named queries."""
    from ..reference import render_reference, write_reference

    kg = open_graph(opts)
    if str(output) == "-":
        write_output(render_reference(kg, (page_format or PageFormat.HTML).value), None)
        return
    written = write_reference(kg, output, page_format.value if page_format is not None else None)
    print(f"wrote {written}", file=sys.stderr)
