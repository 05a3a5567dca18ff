"""Where a command's output goes: stdout, or a file that is never one of the command's inputs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .choices import ReportFormat
from .options import GraphOptions

__all__ = ["protected", "write_output", "write_report"]

Report = TypeVar("Report")


def protected(opts: GraphOptions | None) -> list[Path]:
    """What an output must never overwrite: the bundled ontology, every source, the store."""
    from ..resources import ontology_dir

    if opts is None:
        return [ontology_dir()]
    return [ontology_dir(), *opts.sources, *([opts.store] if opts.store is not None else [])]


def write_output(text: str | bytes, output: Path | None, opts: GraphOptions | None = None) -> None:
    """Write to ``output`` (never over an input: see :func:`~coprodkg.files.write_file`), or to
    stdout when it is None or ``-``."""
    from ..files import is_stdout, write_file, write_stdout

    if is_stdout(output):
        write_stdout(text)
    else:
        assert output is not None
        write_file(output, text, protect=protected(opts))


def write_report(report: Report, fmt: ReportFormat, render: Callable[[Report], str]) -> None:
    """Write a report (a dataclass, or a list of them) to stdout: as JSON, or as ``render`` draws it.

    The one place the report commands (info, show, search, path, neighbours) turn ``--format``
    into text.
    """
    from ..reports import to_json

    write_output(to_json(report) if fmt is ReportFormat.JSON else render(report), None)
