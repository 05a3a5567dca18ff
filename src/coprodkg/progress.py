"""Named stages of long work, for whoever wants to show them.

Library code marks its long steps with :func:`stage`; it never prints. Nothing is shown unless a
watcher is installed: the command line installs one (:func:`show_on_terminal`) that draws a bar on
stderr for any stage running longer than two seconds, only when stderr is a terminal.

>>> with stage("projecting the network"):
...     pass
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

__all__ = ["Watcher", "show_on_terminal", "stage", "watch"]

#: Called with a stage's name when it starts, and with ``None`` when it ends.
Watcher = Callable[[str | None], None]

_watchers: list[Watcher] = []


def watch(watcher: Watcher | None) -> None:
    """Install ``watcher`` for every later stage (``None`` removes them all)."""
    _watchers.clear()
    if watcher is not None:
        _watchers.append(watcher)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Mark the work inside the ``with`` block as the stage ``name``."""
    for watcher in _watchers:
        watcher(name)
    try:
        yield
    finally:
        for watcher in _watchers:
            watcher(None)


def show_on_terminal(stream: TextIO, after: float = 2.0, width: int = 24) -> Watcher:
    """A watcher that draws ``name [=====   ] 12 s`` on ``stream`` once a stage runs ``after``
    seconds, redrawn twice a second (the bar sweeps: how long a stage takes is not known), and
    clears the line when the stage ends."""
    lock = threading.Lock()
    current: dict[str, object] = {}

    def draw(name: str, started: float, token: object) -> None:
        tick = 0
        while True:
            time.sleep(0.5)
            with lock:
                if current.get("token") is not token:
                    return
                elapsed = time.monotonic() - started
                if elapsed < after:
                    continue
                tick += 1
                position = tick % (2 * width - 8)
                left = position if position < width - 4 else 2 * width - 8 - position
                bar = " " * left + "====" + " " * (width - 4 - left)
                stream.write(f"\r{name} [{bar}] {elapsed:.0f} s\033[K")
                stream.flush()
                current["drawn"] = True

    stack: list[tuple[str, float]] = []  # nested stages: the innermost is drawn

    def watcher(name: str | None) -> None:
        with lock:
            if current.pop("drawn", False):
                stream.write("\r\033[K")
                stream.flush()
            if name is None:
                if stack:
                    stack.pop()
            else:
                stack.append((name, time.monotonic()))
            current.clear()
            if not stack:
                return
            token = object()
            current["token"] = token
        threading.Thread(target=draw, args=(*stack[-1], token), daemon=True).start()

    return watcher
