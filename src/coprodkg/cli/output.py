"""Where a command's output goes: stdout, or a file that is never one of the command's inputs."""

from __future__ import annotations

import sys
from pathlib import Path

from .options import GraphOptions

__all__ = ["write_output"]


def write_output(text: str | bytes, output: Path | None, opts: GraphOptions | None = None) -> None:
    """Write to ``output`` (never over a source file), or to stdout."""
    from ..errors import OutputError

    if output is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
            sys.stdout.flush()
        else:
            sys.stdout.write(text)
        return
    if opts is not None:
        from ..sources import collect_sources

        if output.exists() and output.resolve() in collect_sources(opts.sources):
            raise OutputError(f"refusing to overwrite the source file {output}: choose another --output")
    if output.is_dir():
        raise OutputError(f"--output {output} is a folder: give a file name")
    try:
        if isinstance(text, bytes):
            output.write_bytes(text)
        else:
            output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise OutputError(f"cannot write {output}: {error.strerror or error}") from None
