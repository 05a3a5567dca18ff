"""The Typer app: one-line errors, the root callback (options before the command), the console script.

Library errors (:class:`~coprodkg.errors.CoprodkgError`) and usage errors become one line on
stderr and exit status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from .. import __version__
from .options import LOCAL, REMOTE, GraphOptions, graph_options

__all__ = ["app", "main"]

PROG = "coprodkg"


class _OneLineErrors(TyperGroup):
    """Print user and usage errors as one line and exit 2, whoever calls the app."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        standalone_mode: bool = True,
        **kw: Any,
    ) -> Any:
        from ..errors import CoprodkgError

        # rdflib logs a traceback (as a warning) for every ill-typed literal it meets: a bad value
        # in the data is not a crash, and must not print "Traceback" in the middle of an answer
        logging.getLogger("rdflib.term").setLevel(logging.ERROR)
        previous = _catch_ctrl_c()
        try:
            code = super().main(args=args, prog_name=prog_name, standalone_mode=False, **kw)
        except CoprodkgError as error:
            _fail(str(error))
        except _Interrupted:
            _interrupted()
        except typer.Abort:
            _fail("aborted", 1)
        except OSError as error:
            if error.filename is None:  # not about a path the user gave: a bug, keep the traceback
                raise
            _fail(f"cannot use {error.filename}: {error.strerror or error}")
        except Exception as error:
            if not (hasattr(error, "format_message") and hasattr(error, "exit_code")):
                raise
            message = " ".join(error.format_message().split())
            ctx = getattr(error, "ctx", None)
            hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
            _fail(message + hint, error.exit_code)
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


class _Interrupted(BaseException):
    """Ctrl-C. Typer turns a KeyboardInterrupt into a silent exit 130; this passes through it, and
    through the library's clean-up (a half-built store is discarded), to one line."""


def _raise_interrupted(signum: int, frame: object) -> None:
    raise _Interrupted


def _catch_ctrl_c() -> Any:
    """Route Ctrl-C to :class:`_Interrupted`; the previous handler, or None off the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return None
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # started in the background: leave it so
        return None
    return signal.signal(signal.SIGINT, _raise_interrupted)


def _interrupted() -> None:
    """Ctrl-C: one line, exit 130 at once (abandoned engine work dies with the process)."""
    import os

    print(f"{PROG}: error: interrupted", file=sys.stderr, flush=True)
    sys.stdout.flush()
    os._exit(130)


def _fail(message: str, code: int = 2) -> None:
    from ..files import escape_control

    print(f"{PROG}: error: {escape_control(message, keep_lines=False)}", file=sys.stderr)
    sys.exit(code)


app = typer.Typer(
    cls=_OneLineErrors,
    name=PROG,
    help="A knowledge graph of how research evidence is co-produced with local government: "
    "query it with SPARQL, explore it, extend it with your own Turtle files.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"{PROG} {__version__}")
        raise typer.Exit()


@app.callback()
@graph_options(*LOCAL, *REMOTE, "reason")
def _root(
    ctx: typer.Context,
    opts: GraphOptions,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Options given before the command apply to it too."""
    ctx.obj = opts


def main() -> None:
    """The console script."""
    # ---- scale: long stages draw a bar on a terminal; BLAS runs single-threaded (the layout's
    # small solves only contend for the cores: 1.0 s vs 3-6 s for a 10-study viz, see bench_scale.py)
    import os

    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    if sys.stderr.isatty():
        from ..progress import show_on_terminal, watch

        watch(show_on_terminal(sys.stderr))
    # ---- end scale
    try:
        app(prog_name=PROG)
    finally:
        # the command is done: what is left is the interpreter's teardown, whose garbage
        # collections walk every object of numpy, networkx, rdflib and the rest (0.15-0.25 s of
        # a viz run on a loaded machine). Frozen objects are skipped by those passes; objects still
        # go when their last reference does, and a store a command wrote to was flushed and closed
        # by it (KnowledgeGraph.close).
        import gc

        gc.freeze()
