"""Running blocking engine work so that Ctrl-C and a timeout stop it at once.

Oxigraph evaluates a query or parses a file in native code, where Python's signal handlers do not
run: a Ctrl-C would wait until the engine returned, seconds or minutes later. :func:`run_stoppable`
does the work in a helper thread and waits for it in short, interruptible steps, so a Ctrl-C
(:class:`KeyboardInterrupt`) or the deadline reaches the caller within a fraction of a second.
The abandoned work keeps its thread until it ends or the process exits; the command line exits.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import TypeVar

from .errors import QueryTimeoutError

__all__ = ["run_stoppable"]

T = TypeVar("T")

_STEP = 0.05


def run_stoppable(work: Callable[[], T], *, timeout: float | None = None, what: str = "the query") -> T:
    """``work()``'s value, computed in a helper thread; Ctrl-C and ``timeout`` (seconds) stop the wait.

    Past ``timeout`` it raises :class:`~coprodkg.errors.QueryTimeoutError` naming ``what``.

    >>> run_stoppable(lambda: 6 * 7)
    42
    >>> run_stoppable(lambda: time.sleep(2), timeout=0.1)
    Traceback (most recent call last):
    ...
    coprodkg.errors.QueryTimeoutError: the query was cancelled after 0.1 s (the timeout)
    """
    box: dict[str, object] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as error:  # handed to the waiting thread, which raises it
            # engine objects may only be dropped on the thread that made them: free the frames' locals here
            traceback.clear_frames(error.__traceback__)
            box["error"] = error
        finally:
            done.set()

    worker = threading.Thread(target=target, name="coprodkg-work", daemon=True)
    worker.start()
    deadline = None if timeout is None else time.monotonic() + timeout
    while not done.wait(_STEP):
        if deadline is not None and time.monotonic() > deadline:
            raise QueryTimeoutError(f"{what} was cancelled after {timeout:g} s (the timeout)")
    worker.join()  # the thread has let go of the work (and the store it used) before we go on
    if "error" in box:
        error = box.pop("error")
        try:
            raise error  # type: ignore[misc]
        finally:
            del error  # no cycle through this frame: the engine objects go as soon as the error does
    return box.pop("value")  # type: ignore[return-value]
