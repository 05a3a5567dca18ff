"""The command line, in-process: help for every command, happy paths, one-line user errors."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from coprodkg.cli import app
from coprodkg.cli.options import LOCAL, REMOTE, SHARED_OPTIONS, SOURCES, GraphOptions, graph_options

from .conftest import DATA, Outcome, assert_user_error

Run = Callable[..., Outcome]


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


COMMANDS = _commands()


def test_the_core_commands_exist() -> None:
    assert {"info", "query", "queries", "validate", "show", "search", "export", "load"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_every_option_is_documented(command: str, cli: Run) -> None:
    outcome = cli(command, "--help")
    assert outcome.code == 0
    assert "Usage:" in outcome.stdout
    group = typer.main.get_command(app)
    for param in group.commands[command].params:  # type: ignore[attr-defined]
        if param.param_type_name == "option" and param.name != "help":
            assert getattr(param, "help", None), f"{command} --{param.name} has no help text"


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_option_a_command_accepts_is_listed_in_its_help(command: str | None, cli: Run) -> None:
    help_text = cli(*([command] if command else []), "--help").stdout
    group = typer.main.get_command(app)
    click_command = group if command is None else group.commands[command]  # type: ignore[attr-defined]
    for param in click_command.params:
        if param.param_type_name == "option":
            flag = max(param.opts, key=len)
            listed = rf"(?m)^  (-\w, )?{re.escape(flag)}( |$)"  # at the head of its own entry
            assert re.search(listed, help_text), (command, param.opts)


def test_version(cli: Run) -> None:
    from coprodkg import __version__

    assert cli("--version").stdout.strip() == f"coprodkg {__version__}"


def test_info(cli: Run) -> None:
    outcome = cli("info")
    assert outcome.code == 0
    assert "triples in" in outcome.stdout and "cpk:Theme" in outcome.stdout and "themes.ttl" in outcome.stdout
    data = json.loads(cli("info", "-f", "json").stdout)
    assert data["triples"] > 1000


def test_sources_before_or_after_the_command(cli: Run) -> None:
    before = cli("--no-bundled", "-s", DATA / "mini", "info", "-f", "json")
    after = cli("info", "--no-bundled", "-s", DATA / "mini", "-f", "json")
    assert json.loads(before.stdout)["triples"] == json.loads(after.stdout)["triples"] == 9


def _flags(command: str | None) -> dict[str, str]:
    """The options of ``coprodkg [COMMAND]`` by parameter name: their first flag."""
    group = typer.main.get_command(app)
    click_command = group if command is None else group.commands[command]  # type: ignore[attr-defined]
    return {p.name: p.opts[0] for p in click_command.params if p.param_type_name == "option"}


@pytest.mark.parametrize(
    ("command", "shared"),
    [
        (None, [*LOCAL, *REMOTE, "reason"]),
        ("info", [*LOCAL, *REMOTE]),
        ("query", [*LOCAL, *REMOTE, "reason"]),
        ("viz", [*LOCAL, *REMOTE]),
        ("analyse", list(LOCAL)),
        ("load", list(SOURCES)),
        ("pull", ["endpoint", "graph", "gsp_endpoint", "timeout", "max_bytes"]),
        ("queries", []),
    ],
)
def test_shared_options_are_declared_once_and_shown_in_each_help(
    command: str | None, shared: list[str], cli: Run
) -> None:
    help_text = cli(*([command] if command else []), "--help").stdout
    flags = _flags(command)
    for name in shared:
        assert flags[name] in help_text, (command, flags[name])
    own = {"store"} if command == "load" else set()  # load fills a store: its --store is its own
    assert set(SHARED_OPTIONS) & set(flags) == set(shared) | own
    group = typer.main.get_command(app)
    for each in [group, *group.commands.values()]:  # type: ignore[attr-defined]
        for param in each.params:
            if param.name in SHARED_OPTIONS and not (each.name == "load" and param.name == "store"):
                assert param.help == SHARED_OPTIONS[param.name].help, (each.name, param.name)


def test_commands_get_the_shared_options_as_one_frozen_value() -> None:
    seen: list[GraphOptions] = []
    tiny = typer.Typer()

    @tiny.command()
    @graph_options(*LOCAL)
    def peek(opts: GraphOptions, n: int = 1) -> None:
        seen.append(opts)

    outcome = CliRunner().invoke(tiny, ["--no-bundled", "-s", "a.ttl", "-s", "b.ttl", "--n", "2"])
    assert outcome.exit_code == 0, outcome.output
    assert seen == [GraphOptions(sources=(Path("a.ttl"), Path("b.ttl")), bundled=False)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        seen[0].store = Path("elsewhere")  # type: ignore[misc]
    with pytest.raises(TypeError, match="no shared option called nonsense"):
        graph_options("nonsense")


def test_endpoint_options_before_the_command_reach_it_or_are_refused(cli: Run) -> None:
    assert_user_error(cli("--graph", "https://example.org/g", "info"), "need --endpoint URL")
    assert_user_error(
        cli("--endpoint", "http://127.0.0.1:9/sparql", "analyse"),
        "--endpoint given before `analyse`, which does not take it",
    )


def test_query_named_with_params_and_formats(cli: Run, tmp_path: Path) -> None:
    table = cli("query", "themes")
    assert table.code == 0 and "(5 rows)" in table.stdout
    out = tmp_path / "barriers.csv"
    csv = cli("query", "theme-barriers", "-p", "theme=cpkid:theme-4", "-f", "csv", "-o", out)
    assert csv.code == 0 and csv.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert "political barriers" in text and "cultural barriers" in text


def test_query_inline_ask_and_construct(cli: Run) -> None:
    assert cli("query", "-e", "ASK { ?t a cpk:Theme }").stdout == "true\n"
    nt = cli("query", "-e", "CONSTRUCT { ?t a cpk:Theme } WHERE { ?t a cpk:Theme }", "-f", "nt")
    assert nt.stdout.count("\n") == 5


def test_query_file(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "count.rq"
    path.write_text(
        "# title: Count themes\nSELECT (COUNT(?t) AS ?n) WHERE { ?t a cpk:Theme }\n", encoding="utf-8"
    )
    assert cli("query", path, "-f", "csv").stdout.split() == ["n", "5"]


def test_update_needs_the_flag_and_never_writes_sources(cli: Run, tmp_path: Path) -> None:
    source = tmp_path / "mine.ttl"
    shutil.copy(DATA / "mini" / "mini.ttl", source)
    before = source.read_bytes()
    update = "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert_user_error(cli("query", "--no-bundled", "-s", source, "-e", update), "--update")
    assert cli("query", "--no-bundled", "-s", source, "-e", update, "--update").code == 0
    assert source.read_bytes() == before


def test_queries_catalogue(cli: Run) -> None:
    listing = cli("queries")
    assert "themes" in listing.stdout and "theme-barriers" in listing.stdout
    one = cli("queries", "theme-barriers")
    assert "Parameters" in one.stdout and "SELECT" in one.stdout


def test_validate_exit_codes(cli: Run) -> None:
    clean = cli("validate")
    assert clean.code == 0 and "conform" in clean.stdout
    dirty = cli("validate", "-s", DATA / "incomplete", "-f", "json")
    assert dirty.code == 1
    data = json.loads(dirty.stdout)
    assert data["conforms"] is False and data["findings"]
    assert cli("validate", "--store", DATA / "no-such-store").code == 2


def test_show_and_search(cli: Run) -> None:
    shown = cli("show", "political barriers")
    assert shown.code == 0
    assert "Claims and their sources" in shown.stdout and "S1" in shown.stdout
    found = cli("search", "reflection")
    assert found.code == 0 and "collective spaces for reflection" in found.stdout


def test_export_and_load_store(cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "graph.nq"
    assert cli("export", "-f", "nq", "-o", out).code == 0
    store = tmp_path / "store"
    loaded = cli("load", DATA / "mini", "--store", store)
    assert loaded.code == 0 and "triples in" in loaded.stderr
    info = json.loads(cli("info", "--store", store, "-f", "json").stdout)
    assert info["triples"] == json.loads(cli("info", "-s", DATA / "mini", "-f", "json").stdout)["triples"]
    assert cli("load", "--store", store, "--replace", "--no-bundled", DATA / "mini").code == 0
    assert json.loads(cli("info", "--store", store, "-f", "json").stdout)["triples"] == 9


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["info", "-s", "tests/data/nope.ttl"], ["no such file", "nope.ttl"]),
        (["info", "-s", "tests/data/bad/notes.txt"], ["unknown RDF format"]),
        (["info", "-s", "tests/data/bad/truncated.ttl"], ["truncated.ttl", "line 3"]),
        (["info", "-s", "tests/data/bad/binary.ttl"], ["binary.ttl", "line 1"]),
        (["info", "-s", "tests/data/bad/undefined-prefix.ttl"], ["line 4", "nope:"]),
        (["info", "-s", "tests/data/bad/turtle-in-jsonld.jsonld"], ["turtle-in-jsonld.jsonld"]),
        (["query", "themez"], ["no named query 'themez'", "themes"]),
        (["query", "-e", "SELECT * WHERE { ?s ?p }"], ["syntax error", "line 1"]),
        (["query", "themes", "-p", "oops"], ["NAME=VALUE"]),
        (["query", "themes", "-p", "colour=red"], ["no parameter 'colour'"]),
        (["query", "themes", "-f", "turtle"], ["does not fit"]),
        (["query"], ["give a query name"]),
        (["query", "missing.rq"], ["no such query file"]),
        (["queries", "nope"], ["no named query"]),
        (["show", "no such concept at all"], ["no resource is labelled"]),
        (["show", "cpkid:nothing-here"], ["nothing in the graph"]),
        (["info", "--store", "tests/data/no-such-store"], ["no store at"]),
        (["export", "-f", "xml"], ["xml"]),
        (["info", "--bogus"], ["--bogus"]),
        (["nocommand"], ["nocommand"]),
        (["query", "themes", "-o", "tests/data"], ["is a folder"]),
        (["info", "-s", "x" * 300 + ".ttl"], ["cannot use"]),
        (["query", "-e", "ASK {}", "-o", "x" * 300 + ".txt"], ["cannot use"]),
        (["query", "x" * 300 + ".rq"], ["cannot use"]),
        (["info", "--store", "tests/data/mini"], ["not an Oxigraph store"]),
        (["export", "-f", "csv", "-o", "tests/data"], ["is a folder"]),
        (
            ["query", "-e", "CONSTRUCT WHERE { ?t ?p ?o }", "-p", "t=cpkid:theme-1"],
            ["short form", "CONSTRUCT"],
        ),
        (
            ["query", "themes", "--endpoint", "http://127.0.0.1:9/q", "--timeout", "nan"],
            ["timeout must be a number of seconds"],
        ),
        (["query", "themes", "--endpoint", "http://[::1"], ["not a valid URL"]),
        (["serve", "--host", "nosuch.invalid", "--port", "0"], ["cannot listen"]),
    ],
)
def test_user_errors_are_one_line_and_exit_2(args: list[str], fragments: list[str], cli: Run) -> None:
    assert_user_error(cli(*args), *fragments)


def test_ill_typed_literals_print_no_traceback(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "odd.ttl"
    path.write_text(
        '<https://e.org/a> <https://e.org/n> "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
        encoding="utf-8",
    )
    outcome = cli("query", "--no-bundled", "-s", path, "-e", "SELECT ?n WHERE { ?a ?p ?n }")
    assert outcome.code == 0 and "abc" in outcome.stdout
    assert "Traceback" not in outcome.stderr


def test_output_never_overwrites_a_source(cli: Run, tmp_path: Path) -> None:
    source = tmp_path / "mine.ttl"
    shutil.copy(DATA / "mini" / "mini.ttl", source)
    before = source.read_bytes()
    assert_user_error(cli("export", "-s", source, "-o", source), "refusing to overwrite")
    assert source.read_bytes() == before


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "from coprodkg.cli import main\n"
        "sys.argv = ['coprodkg', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pyvis', 'networkx', 'pyshacl', 'rdflib', 'SPARQLWrapper', 'oxrdflib') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY="


def test_python_dash_m() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "coprodkg", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("coprodkg ")


@pytest.mark.parametrize("command", [["viz"], ["map"]])
def test_a_page_written_to_stdout_is_all_that_is_written(
    command: list[str], tmp_path: Path, cli: Callable[..., Outcome], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    outcome = cli(*command, "-o", "-")
    assert outcome.code == 0 and outcome.stdout.lstrip().lower().startswith("<!doctype html>")
    assert outcome.stderr == "" and list(tmp_path.iterdir()) == []
