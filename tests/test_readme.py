"""The README's console examples are what the commands print: each ``$ coprodkg ...`` example that
runs on the repository's own files, and shows its output, is run, and its lines must appear in the
output in order (a ``...`` line stands for lines left out)."""

from __future__ import annotations

import itertools
import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Outcome

ROOT = Path(__file__).resolve().parents[1]


def examples() -> list[tuple[str, list[str]]]:
    """(command, expected lines) for the examples whose command reads only the repository's files."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.DOTALL):
        for part in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, shown = part.partition("\n")
            lines = [line.rstrip() for line in shown.rstrip("\n").splitlines()]
            words = shlex.split(command, comments=True)
            if not lines or words[0] != "coprodkg" or any(w in ("|", ">", "-o", "--output") for w in words):
                continue
            files = [w for w in words[1:] if "/" in w or w.endswith((".ttl", ".csv", ".rq"))]
            files += [b for a, b in itertools.pairwise(words) if a in ("-s", "--source", "--store")]
            if all((ROOT / w.split(":")[0]).exists() for w in files):
                found.append((command, lines))
    return found


def shown_in(expected: list[str], actual: list[str]) -> bool:
    """Each run of expected lines between ``...`` lines appears in ``actual``, in order."""
    at = 0
    for run in re.split(r"\n?^\.\.\.$\n?", "\n".join(expected), flags=re.MULTILINE):
        lines = run.splitlines()
        if not lines:
            continue
        while at + len(lines) <= len(actual) and actual[at : at + len(lines)] != lines:
            at += 1
        if at + len(lines) > len(actual):
            return False
        at += len(lines)
    return True


def test_the_readme_has_examples_to_check() -> None:
    assert len(examples()) >= 10


@pytest.mark.parametrize(("command", "expected"), examples(), ids=[c for c, _ in examples()])
def test_each_example_prints_what_the_readme_shows(
    command: str,
    expected: list[str],
    cli: Callable[..., Outcome],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    outcome = cli(*shlex.split(command, comments=True)[1:])
    actual = [line.rstrip() for line in (outcome.stdout + outcome.stderr).splitlines()]
    assert shown_in(expected, actual), "\n".join(actual)
