"""The shared graph options: progress on a terminal, engines from options, safe output."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from coprodkg.errors import EndpointError, OutputError
from coprodkg.options import GraphOptions, open_engine, progress_reporter, write_output

from .conftest import Outcome, assert_user_error


def test_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    big = tmp_path / "big.nt"
    big.write_bytes(b" " * 20_000_001)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    report = progress_reporter()
    assert report is not None
    report(0, 1, big)
    report(1, 1, big)
    assert "loading big.nt (20 MB)" in terminal.getvalue()
    assert terminal.getvalue().endswith("1/1 files loaded\x1b[K\n")
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert progress_reporter() is None


def test_remote_options_need_an_endpoint_and_no_local_sources() -> None:
    with pytest.raises(EndpointError, match="need --endpoint"):
        open_engine(GraphOptions(remote={"graph": "https://example.org/g"}))
    with pytest.raises(EndpointError, match="leave out --source"):
        open_engine(GraphOptions(sources=[Path("x.ttl")], remote={"endpoint": "http://127.0.0.1:9/q"}))


def test_write_output_refuses_folders_and_sources(tmp_path: Path) -> None:
    source = tmp_path / "mine.ttl"
    source.write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match="is a folder"):
        write_output("x", tmp_path)
    with pytest.raises(OutputError, match="refusing to overwrite"):
        write_output("x", source, GraphOptions(sources=[source]))
    target = tmp_path / "out.txt"
    write_output("é\n", target)
    assert target.read_text(encoding="utf-8") == "é\n"


def test_dash_is_stdout_for_outputs(
    cli: Callable[..., Outcome], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("query", "-e", "SELECT (COUNT(*) AS ?n) { ?t a cpk:Theme }", "-f", "csv", "-o", "-")
    assert run.code == 0 and run.stdout.split() == ["n", "5"]
    assert not (tmp_path / "-").exists()


def test_dash_is_stdin_for_sources_given_a_format(cli: Callable[..., Outcome]) -> None:
    turtle = "<https://example.org/a> <https://example.org/p> 1 .\n"
    query = ["query", "--no-bundled", "-s", "-", "-e", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "-f", "csv"]
    run = cli(*query, "--source-format", "ttl", input=turtle)
    assert run.code == 0 and run.stdout.split() == ["n", "1"], run.stderr
    assert_user_error(cli(*query, input=turtle), "-s - reads stdin", "--source-format", "ttl")
    assert_user_error(cli(*query, "--source-format", "doc", input=turtle), "unknown --source-format 'doc'")
