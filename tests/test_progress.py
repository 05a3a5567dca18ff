"""Stages of long work: a bar on a terminal after a while, nothing otherwise."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from coprodkg.progress import show_on_terminal, stage, watch


@pytest.fixture
def terminal() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    watch(show_on_terminal(stream, after=0.0))
    yield stream
    watch(None)


def test_a_long_stage_draws_a_bar_then_clears_it(terminal: io.StringIO) -> None:
    with stage("projecting the network"):
        time.sleep(1.3)
    text = terminal.getvalue()
    assert "\rprojecting the network [" in text and "====" in text and " s\033[K" in text
    assert text.endswith("\r\033[K")


def test_the_innermost_stage_is_drawn_and_the_outer_comes_back(terminal: io.StringIO) -> None:
    with stage("outer"):
        with stage("inner"):
            time.sleep(1.1)
        drawn = terminal.getvalue()
        time.sleep(1.1)
    assert "inner [" in drawn and "outer [" not in drawn
    assert "outer [" in terminal.getvalue()


def test_a_short_stage_draws_nothing() -> None:
    stream = io.StringIO()
    watch(show_on_terminal(stream))
    try:
        with stage("quick"):
            time.sleep(0.6)
    finally:
        watch(None)
    assert stream.getvalue() == ""


def test_the_command_line_is_quiet_when_stderr_is_not_a_terminal() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coprodkg", "analyse", "--top", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stderr == ""


def test_the_command_line_draws_on_a_terminal() -> None:
    """Stderr on a real pseudo-terminal: the watcher is installed (a long stage would be drawn)."""
    code = "import sys; from coprodkg import cli, progress; sys.argv=['coprodkg','--version']\n"
    code += "try:\n    cli.main()\nexcept SystemExit:\n    pass\nprint(len(progress._watchers), file=sys.__stdout__)"
    leader, follower = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=follower, text=True, timeout=60
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert result.stdout.strip().splitlines()[-1] == "1"
