"""Shared fixtures: the bundled graph loaded once, and an in-process CLI runner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coprodkg import KnowledgeGraph, load_graph
from coprodkg.cli import app

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def bundled() -> KnowledgeGraph:
    """The bundled graph, loaded once per test session (read-only: do not update it)."""
    return load_graph()


@dataclass(frozen=True)
class Outcome:
    """What one CLI run gave."""

    code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli() -> Callable[..., Outcome]:
    """Run ``coprodkg ARGS`` in-process; stdout and stderr come back separately."""
    runner = CliRunner()

    def run(*args: str | Path, input: str | None = None) -> Outcome:
        result = runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)
        return Outcome(result.exit_code, result.stdout, result.stderr)

    return run


def assert_user_error(outcome: Outcome, *fragments: str) -> None:
    """A user error: exit 2, exactly one line on stderr naming the problem, no traceback."""
    assert outcome.code == 2, (outcome.code, outcome.stdout, outcome.stderr)
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1, outcome.stderr
    assert lines[0].startswith("coprodkg: error: "), lines[0]
    assert "Traceback" not in outcome.stderr + outcome.stdout
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
