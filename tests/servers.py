"""Real triple stores for the tests: Oxigraph server and a private Virtuoso, on loopback.

Each server gets a free port, a temporary data directory and its own configuration, and is
stopped by its own process id. A missing server binary is an error, never a skip: ``make test``
installs both. The recipes behind these functions are in ``../shared/recipes.md``.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO

from coprodkg.serve import PORT_ATTEMPTS, on_free_ports, wait_for_answer

VIRTUOSO_PASSWORD = "s3cret"
_VIRTUOSO_VSP = "/var/lib/virtuoso-opensource-7/vsp"
_VIRTUOSO_VAD = "/usr/share/virtuoso-opensource-7/vad"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (for a test that needs one)."""
    found = on_free_ports(lambda ports: ports[0])
    assert found is not None
    return found


def oxigraph_binary() -> str:
    """The ``oxigraph`` server from the PyPI package: next to this Python, else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph server binary is missing: pip install oxigraph (make test does)")
    return found


@dataclass
class Running:
    """A server started by the tests."""

    name: str
    process: subprocess.Popen[bytes]
    base: str
    workdir: Path
    sql_port: int = 0

    def stop(self) -> None:
        """Stop it by its own process id and wait for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        """The server's output so far (for failure messages)."""
        path = self.workdir / "server.log"
        return path.read_text(errors="replace")[-3000:] if path.is_file() else ""


def wait_until_ready(server: Running, probe: str, seconds: float) -> None:
    """Poll ``probe`` until it answers 200; fail with the server's log when it never does."""
    if wait_for_answer(probe, server.process, seconds):
        return
    if server.process.poll() is not None:
        raise RuntimeError(f"{server.name} exited with {server.process.returncode}:\n{server.log()}")
    server.stop()
    raise RuntimeError(f"{server.name} did not answer {probe} within {seconds} s:\n{server.log()}")


def start_oxigraph(
    workdir: Path, *, read_only: bool = False, location: bool = True, extra: tuple[str, ...] = ()
) -> Running:
    """``oxigraph serve`` on a free loopback port, on disk in ``workdir`` (or in memory).

    Its port is picked first and retried when taken meanwhile: see :func:`coprodkg.serve.on_free_ports`.
    """
    workdir.mkdir(parents=True, exist_ok=True)

    def attempt(ports: tuple[int, ...]) -> Running | None:
        args = [
            oxigraph_binary(),
            "serve-read-only" if read_only else "serve",
            "--bind",
            f"127.0.0.1:{ports[0]}",
        ]
        if location:
            args += ["--location", str(workdir / "db")]
        args += extra
        with (workdir / "server.log").open("wb") as log:
            process = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "RUST_BACKTRACE": "0"}
            )
        server = Running("oxigraph", process, f"http://127.0.0.1:{ports[0]}", workdir)
        try:
            wait_until_ready(server, f"{server.base}/query?query=ASK%7B%7D", 20)
        except RuntimeError:
            if "in use" in server.log():
                return None
            raise
        return server

    started = on_free_ports(attempt)
    if started is None:
        raise RuntimeError(f"oxigraph found no free port:\n{(workdir / 'server.log').read_text()}")
    return started


_VIRTUOSO_INI = """\
[Database]
DatabaseFile    = {d}/virtuoso.db
ErrorLogFile    = {d}/virtuoso.log
LockFile        = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel   = 7
FileExtend      = 200
MaxCheckpointRemap = 2000
Striping        = 0
TempStorage     = TempDatabase
[TempDatabase]
DatabaseFile    = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping        = 0
[Parameters]
ServerPort      = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode        = 2
DirsAllowed     = ., {d}, {vad}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem     = 256M
ThreadsPerQuery = 2
[HTTPServer]
ServerPort      = 127.0.0.1:{http}
ServerRoot      = {vsp}
MaxClientConnections = 10
ServerThreads   = 10
Charset         = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def launch_virtuoso(workdir: Path) -> Running:
    """Start a private Virtuoso (its own ini and database, loopback only); do not wait for it."""
    binary = shutil.which("virtuoso-t")
    if binary is None or shutil.which("isql-vt") is None:
        raise RuntimeError(
            "virtuoso-t or isql-vt is missing: apt-get install virtuoso-opensource (make test does)"
        )
    workdir.mkdir(parents=True, exist_ok=True)
    ports = on_free_ports(lambda picked: picked, count=2)
    assert ports is not None
    sql, http = ports
    ini = workdir / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(d=workdir, sql=sql, http=http, vsp=_VIRTUOSO_VSP, vad=_VIRTUOSO_VAD))
    with (workdir / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return Running("virtuoso", process, f"http://127.0.0.1:{http}", workdir, sql_port=sql)


def ready_virtuoso(server: Running) -> Running:
    """Wait for Virtuoso to answer, then replace the default dba password.

    A Virtuoso that stopped because one of its ports was taken after :func:`launch_virtuoso` picked
    it is launched again, in place, on fresh ports (as :func:`coprodkg.serve.on_free_ports` does).
    """
    for attempt in range(PORT_ATTEMPTS):
        try:
            wait_until_ready(server, f"{server.base}/sparql?query=ASK%7B%7D", 60)
            break
        except RuntimeError:
            if attempt == PORT_ATTEMPTS - 1 or "Address already in use" not in server.log():
                raise
            again = launch_virtuoso(server.workdir)
            server.process, server.base, server.sql_port = again.process, again.base, again.sql_port
    isql(server, "dba", f"SET PASSWORD dba {VIRTUOSO_PASSWORD};")
    return server


def isql(server: Running, password: str, statements: str) -> str:
    """Run SQL statements through ``isql-vt`` as dba."""
    done = subprocess.run(
        ["isql-vt", f"127.0.0.1:{server.sql_port}", "dba", password, f"exec={statements}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if done.returncode != 0 or "Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql failed: {done.stdout} {done.stderr}")
    return done.stdout


# ---- child processes, measured -------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRun:
    """How a child process ended: its status, output, wall time and peak memory."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float


_LAUNCHER = """
import os, sys
pid = os.posix_spawn(sys.executable, [sys.executable, "-m", "coprodkg", *sys.argv[2:]], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_child(args: Sequence[str], *, timeout: float = 60) -> ChildRun:
    """Run ``coprodkg ARGS`` in a child and measure it: its peak RSS comes from ``wait4``.

    A small launcher starts it, because Linux carries a process's peak RSS across ``exec``:
    started straight from the test process, the child would report the test process's size.
    """
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "maxrss"
        start = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, str(report), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
        seconds = time.monotonic() - start
        peak = int(report.read_text()) / 1024 if report.is_file() else float("nan")
    return ChildRun(
        process.returncode, stdout.decode(errors="replace"), stderr.decode(errors="replace"), seconds, peak
    )


class Lines:
    """A child's output read line by line, never waiting longer than asked."""

    def __init__(self, stream: IO[str]) -> None:
        self._lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []

        def pump() -> None:
            for line in stream:
                self._lines.put(line)
            self._lines.put(None)

        threading.Thread(target=pump, daemon=True).start()

    def until(self, wanted: Callable[[str], bool], seconds: float = 30) -> str:
        """The first line for which ``wanted`` is true; fail after ``seconds`` or at the end."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                line = self._lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no such line within {seconds} s; got {self.seen}") from None
            if line is None:
                raise AssertionError(f"the output ended; got {self.seen}")
            self.seen.append(line)
            if wanted(line):
                return line


def peak_rss_mb(pid: int) -> float:
    """A running process's peak resident memory so far (``VmHWM``), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmHWM for {pid}")


@contextmanager
def loopback(handle: Callable[[BaseHTTPRequestHandler], None]) -> Iterator[str]:
    """A misbehaving HTTP server on 127.0.0.1, bound to port 0: ``handle`` answers every request.
    Yields its base URL; stops it (and its request threads' sockets) afterwards."""

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            with suppress(BrokenPipeError, ConnectionResetError):
                # read the request first: closing with unread data makes the kernel reset the
                # connection, and the client may then lose the answer
                self.body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                handle(self)

        do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _any  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
