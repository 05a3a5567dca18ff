"""A local SPARQL 1.1 endpoint over the loaded graph: the real Oxigraph server, not a home-made one.

The graph is dumped as N-Quads (one named graph per source file) into a temporary folder, bulk
loaded with ``oxigraph load``, and served by ``oxigraph serve-read-only`` (``serve`` when
writable) with the union default graph, so a plain ``?s ?p ?o`` sees every file, as it does
locally. Writes to a writable server change only that temporary copy, which is deleted when the
server stops. The binary comes from the PyPI ``oxigraph`` package (``pip install coprodkg[server]``).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from .errors import EndpointError

if TYPE_CHECKING:
    from .engine import KnowledgeGraph

__all__ = ["Server", "find_oxigraph", "start_server", "stop_server", "wait_for_answer", "wait_server"]

DEFAULT_PORT = 7878


@dataclass(frozen=True)
class Server:
    """A running Oxigraph server and the temporary folder holding its data."""

    process: subprocess.Popen[bytes]
    base: str
    workdir: Path
    writable: bool

    @property
    def query_url(self) -> str:
        """The SPARQL query endpoint."""
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        """The SPARQL update endpoint (refused unless writable)."""
        return f"{self.base}/update"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint."""
        return f"{self.base}/store"


def find_oxigraph() -> str:
    """The ``oxigraph`` binary: next to this Python (a virtualenv's ``bin/``), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise EndpointError("the oxigraph server is not installed: pip install 'coprodkg[server]'")
    return found


def _free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family) as sock:
            sock.bind((host, 0))
            return int(sock.getsockname()[1])
    except OSError as error:  # socket.gaierror included: a name that does not resolve
        raise EndpointError(f"cannot listen on --host {host}: {error.strerror or error}") from None


def _last_line(text: bytes) -> str:
    lines = [line.strip() for line in text.decode("utf-8", errors="replace").splitlines() if line.strip()]
    meaningful = [line for line in lines if "backtrace" not in line.lower()]
    return (meaningful or lines or ["no message"])[-1][:200]


def _load(binary: str, workdir: Path, kg: KnowledgeGraph) -> Path:
    from .engine import serialize_graph

    dump = workdir / "graph.nq"
    dump.write_bytes(serialize_graph(kg, "nq"))
    location = workdir / "db"
    done = subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(dump)],
        capture_output=True,
        env={**os.environ, "RUST_BACKTRACE": "0"},
        check=False,
    )
    dump.unlink()
    if done.returncode != 0:
        raise EndpointError(f"oxigraph load failed: {_last_line(done.stderr)}")
    return location


def wait_for_answer(probe: str, process: subprocess.Popen[bytes], seconds: float) -> bool:
    """Poll the URL ``probe`` until it answers 200 (True), the process ends or time runs out (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(probe, timeout=1) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            time.sleep(0.03)
    return False


def _wait_ready(server: Server, log: Path, seconds: float) -> None:
    if wait_for_answer(f"{server.query_url}?query=ASK%7B%7D", server.process, seconds):
        return
    if server.process.poll() is not None:
        raise EndpointError(f"the oxigraph server stopped at once: {_last_line(log.read_bytes())}")
    raise EndpointError(f"the oxigraph server did not answer at {server.base} within {seconds:g} s")


def start_server(
    kg: KnowledgeGraph,
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    writable: bool = False,
    ready_timeout: float = 20.0,
) -> Server:
    """Serve a copy of ``kg`` on ``host:port`` (0 picks a free port); return once it answers."""
    binary = find_oxigraph()
    workdir = Path(tempfile.mkdtemp(prefix="coprodkg-serve-"))
    try:
        location = _load(binary, workdir, kg)
        port = port or _free_port(host)
        log = workdir / "server.log"
        command = "serve" if writable else "serve-read-only"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [
                    binary,
                    command,
                    "--location",
                    str(location),
                    "--bind",
                    f"{host}:{port}",
                    "--union-default-graph",
                ],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "RUST_BACKTRACE": "0"},
            )
        shown = f"[{host}]" if ":" in host else host
        server = Server(process, f"http://{shown}:{port}", workdir, writable)
        try:
            _wait_ready(server, log, ready_timeout)
        except EndpointError:
            stop_server(server)
            raise
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return server


def stop_server(server: Server, timeout: float = 10.0) -> int:
    """Stop the server (SIGTERM, then SIGKILL after ``timeout``), delete its data, return its status."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
    shutil.rmtree(server.workdir, ignore_errors=True)
    return server.process.returncode


def wait_server(server: Server, on_ready: Callable[[], None] | None = None) -> int:
    """Wait until the server stops; SIGINT or SIGTERM here stops it (with SIGTERM, which the
    server obeys even where it was started with SIGINT ignored, as in a background job).

    ``on_ready`` runs once the signals are in hand, so a Ctrl-C it invites is never missed.
    Returns 0 when it stopped because of such a signal (a clean stop), else its own status.
    """
    asked: list[int] = []

    def forward(signum: int, frame: FrameType | None) -> None:
        asked.append(signum)
        if server.process.poll() is None:
            server.process.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if on_ready is not None:  # only now may anyone be told to press Ctrl-C
            on_ready()
        while True:
            try:
                code = server.process.wait()
                break
            except KeyboardInterrupt:  # pragma: no cover - only if a handler was replaced meanwhile
                forward(signal.SIGINT, None)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        stop_server(server)
    return 0 if asked or code in (-signal.SIGINT, -signal.SIGTERM) else code
