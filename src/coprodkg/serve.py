"""A local SPARQL 1.1 endpoint over the loaded graph: the real Oxigraph server, behind a checking proxy.

The graph is dumped as N-Quads (one named graph per source file) into a temporary folder, bulk
loaded with ``oxigraph load``, and served by ``oxigraph serve-read-only`` with the merge of the
files as its default graph, so a plain ``?s ?p ?o`` sees every file, each triple once, as it does
locally (``serve`` when writable, with the union default graph instead, so that what is pushed to a
graph is seen too). Writes to a writable server change only that temporary copy, which is deleted when the
server stops. The binary comes from the PyPI ``oxigraph`` package (``pip install coprodkg[server]``).

Oxigraph has a query timeout (passed as ``--timeout-s``; a query it fails to cancel is stopped by
replacing the server, see :class:`_Child`) but no other limits, so the address you
are given is a small proxy of ours, bound first (a port that is not free fails before anything is
served), which forwards to Oxigraph on a private loopback port after refusing:

- a query or update nested deeper than ``max_depth`` (5,000 levels crash the server);
- ``SERVICE`` and ``LOAD``, which make the server fetch any URL, unless ``allow_service``;
- on a writable server, a write a browser could send from another site: a foreign ``Origin``,
  or a form content type (``application/x-www-form-urlencoded``, ``multipart/form-data``,
  ``text/plain``) without the server's own ``Origin``.

The Oxigraph child is asked to die with its parent, whatever kills it (``PR_SET_PDEATHSIG`` on
Linux), and a start removes the data folders left by servers whose process is gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import parse_qsl, urlsplit

from .errors import EndpointError
from .sparql import nesting_depth, words

if TYPE_CHECKING:
    from .engine import KnowledgeGraph

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_PORT",
    "DEFAULT_QUERY_TIMEOUT",
    "PORT_ATTEMPTS",
    "Limits",
    "Server",
    "check_request",
    "find_oxigraph",
    "on_free_ports",
    "start_server",
    "stop_server",
    "wait_for_answer",
    "wait_server",
]

Started = TypeVar("Started")

DEFAULT_PORT = 7878
DEFAULT_QUERY_TIMEOUT = 30
DEFAULT_MAX_DEPTH = 64
MAX_REQUEST_BYTES = 256 * 1024 * 1024
_PREFIX = "coprodkg-serve-"
_FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})
_GRACE = 3  # seconds past --timeout-s before the proxy stops a query Oxigraph did not cancel
_HOP_HEADERS = frozenset({"connection", "keep-alive", "transfer-encoding", "server", "date"})


@dataclass(frozen=True)
class Limits:
    """What the proxy refuses before a request reaches Oxigraph."""

    writable: bool = False
    allow_service: bool = False
    max_depth: int = DEFAULT_MAX_DEPTH
    origins: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Server:
    """A running Oxigraph server, the proxy in front of it, and the temporary folder of its data."""

    child: _Child
    base: str
    workdir: Path
    writable: bool
    proxy: ThreadingHTTPServer

    @property
    def process(self) -> subprocess.Popen[bytes]:
        """The Oxigraph process serving now (a runaway query makes it a new one)."""
        return self.child.process

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


def check_request(
    method: str, target: str, headers: Mapping[str, str], body: bytes, limits: Limits
) -> tuple[int, str] | None:
    """The status and one line with which the proxy refuses this request, or None to pass it on
    (``headers`` named in title case: ``Content-Type``, ``Origin``).

    >>> check_request("GET", "/query?query=SELECT%20*%20%7B%20SERVICE%20%3Cx:y%3E%20%7B%7D%20%7D", {}, b"", Limits())
    (403, 'SERVICE and LOAD are off on this server (coprodkg serve --allow-service turns them on)')
    """
    content_type = headers.get("Content-Type", "").split(";")[0].strip().lower()
    texts = [v for k, v in parse_qsl(urlsplit(target).query) if k in ("query", "update")]
    if content_type == "application/x-www-form-urlencoded":
        texts += [v for k, v in parse_qsl(body.decode("utf-8", errors="replace")) if k in ("query", "update")]
    elif content_type in ("application/sparql-query", "application/sparql-update"):
        texts.append(body.decode("utf-8", errors="replace"))
    for text in texts:
        if nesting_depth(text) > limits.max_depth:
            return 400, f"the query nests deeper than {limits.max_depth} levels: refused"
        if not limits.allow_service and {"SERVICE", "LOAD"} & set(words(text)):
            return (
                403,
                "SERVICE and LOAD are off on this server (coprodkg serve --allow-service turns them on)",
            )
    if limits.writable and method not in ("GET", "HEAD", "OPTIONS") and urlsplit(target).path != "/query":
        origin = headers.get("Origin")
        if origin is not None and origin not in limits.origins:
            return 403, f"a write from another site (Origin {origin[:80]}) is refused"
        if origin is None and content_type in _FORM_TYPES:
            return 403, "a write with a web form's content type needs this server's own Origin: refused"
    return None


class _Proxy(ThreadingHTTPServer):
    daemon_threads = True
    limits: Limits
    child: _Child
    timeout_s: int


class _Proxy6(_Proxy):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Proxy

    def _relay(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_REQUEST_BYTES or "Transfer-Encoding" in self.headers:
            self._refuse(411 if length >= 0 else 400, "send the body with a Content-Length under 256 MiB")
            return
        body = self.rfile.read(length) if length else b""
        headers = {name.title(): value for name, value in self.headers.items()}
        refusal = check_request(self.command, self.path, headers, body, self.server.limits)
        if refusal is not None:
            self._refuse(*refusal)
            return
        child = self.server.child
        serving = child.process
        upstream = http.client.HTTPConnection("127.0.0.1", child.port, timeout=self.server.timeout_s + _GRACE)
        forwarded = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
        started = False
        try:
            upstream.request(self.command, self.path, body=body or None, headers=forwarded)
            response = upstream.getresponse()
            started = True
            self.send_response(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in _HOP_HEADERS:
                    self.send_header(name, value)
            self.end_headers()
            while chunk := response.read1(65536):
                self.wfile.write(chunk)  # a client that gives up ends this, and the upstream request
        except (OSError, http.client.HTTPException) as error:
            if not started:
                late = isinstance(error, TimeoutError)
                if late and urlsplit(self.path).path == "/query":
                    child.replace(serving)  # Oxigraph does not cancel every query shape by itself
                message = f"the query ran longer than {self.server.timeout_s} s: stopped" if late else ""
                with contextlib.suppress(OSError):
                    self._refuse(504 if late else 502, message or "the oxigraph server did not answer")
        finally:
            upstream.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = _relay  # noqa: N815

    def _refuse(self, status: int, message: str) -> None:
        data = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the commands' stderr is for coprodkg's own lines."""


def _listen(host: str, port: int) -> _Proxy:
    """Bind the public address first: a port that is not free is an error before anything runs."""
    kind = _Proxy6 if ":" in host else _Proxy
    try:
        return kind((host, port), _Handler)
    except OSError as error:  # socket.gaierror included: a name that does not resolve
        raise EndpointError(f"cannot listen on {host} port {port}: {error.strerror or error}") from None


#: How many fresh ports a server is given when the one picked for it was taken meanwhile.
PORT_ATTEMPTS = 3


def on_free_ports(
    start: Callable[[tuple[int, ...]], Started | None], count: int = 1, attempts: int = PORT_ATTEMPTS
) -> Started | None:
    """``start(ports)`` with ``count`` free loopback ports, again with fresh ones (``attempts`` in
    all) while it returns None because a port was taken before its server bound it.

    Why not port 0, bound by the server and read back: Oxigraph 0.5 binds ``--bind 127.0.0.1:0``
    but logs ``Listening for requests at http://127.0.0.1:0``, never the port it got, and Virtuoso
    reads fixed ports from its ini file. So ports are picked here (bound to 0 and released), handed
    to the server, and a start that finds its address in use is retried. Shared by ``serve`` and
    the test suite's servers.

    >>> on_free_ports(lambda ports: ports if len(set(ports)) == 2 else None, count=2) is not None
    True
    """
    for _ in range(attempts):
        socks = [socket.socket() for _ in range(count)]  # all open at once: distinct ports
        try:
            for sock in socks:
                sock.bind(("127.0.0.1", 0))
            ports = tuple(int(sock.getsockname()[1]) for sock in socks)
        finally:
            for sock in socks:
                sock.close()
        started = start(ports)
        if started is not None:
            return started
    return None


def _last_line(text: bytes) -> str:
    lines = [line.strip() for line in text.decode("utf-8", errors="replace").splitlines() if line.strip()]
    meaningful = [line for line in lines if "backtrace" not in line.lower()]
    return (meaningful or lines or ["no message"])[-1][:200]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_stale(root: Path) -> None:
    """Remove the data folders of servers whose coprodkg process is gone (killed, for example)."""
    for path in root.glob(_PREFIX + "*"):
        pid = path.name[len(_PREFIX) :].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _die_with_parent(parent: int) -> Callable[[], None]:
    """A ``preexec_fn``: the child gets SIGKILL when this process dies, however it dies."""

    def arrange() -> None:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)

    return arrange


def _load(binary: str, workdir: Path, kg: KnowledgeGraph, writable: bool) -> Path:
    """The graph bulk loaded into a fresh Oxigraph folder. Read-only, the dump holds the merge in
    the default graph too, served as it is: each triple once, as locally. Writable, it holds the
    files' graphs only, served as their union, so what ``push`` adds to a graph is read by every
    query (Oxigraph 0.5's union yields a triple once per graph stating it, oxigraph#1919)."""
    import pyoxigraph as ox

    from .engine import serialize_graph

    dump = workdir / "graph.nq"
    if writable:
        dump.write_bytes(serialize_graph(kg, "nq"))
    else:
        with dump.open("wb") as out:
            ox.serialize(kg.store.quads_for_pattern(None, None, None, None), out, ox.RdfFormat.N_QUADS)
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


def _start_oxigraph(
    binary: str, location: Path, log: Path, writable: bool, timeout_s: int, ready_timeout: float
) -> tuple[subprocess.Popen[bytes], int]:
    """Start Oxigraph on a private loopback port; when it stops at once (the port may have been
    taken meanwhile: see :func:`on_free_ports`), on a fresh one."""

    def attempt(ports: tuple[int, ...]) -> tuple[subprocess.Popen[bytes], int] | None:
        (port,) = ports
        command = [
            binary,
            "serve" if writable else "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            *(["--union-default-graph"] if writable else []),
            "--timeout-s",
            str(timeout_s),
        ]
        with log.open("wb") as out:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "RUST_BACKTRACE": "0"},
                preexec_fn=_die_with_parent(os.getpid()),
            )
        if wait_for_answer(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", process, ready_timeout):
            return process, port
        if process.poll() is None:
            process.kill()
            process.wait()
            raise EndpointError(f"the oxigraph server did not answer within {ready_timeout:g} s")
        return None

    started = on_free_ports(attempt)
    if started is None:
        raise EndpointError(f"the oxigraph server stopped at once: {_last_line(log.read_bytes())}")
    return started


class _Child:
    """The Oxigraph process behind the proxy. Oxigraph's own timeout does not cancel every query
    (a COUNT over a four-way cross product ran on for minutes), so a query that outlives
    ``timeout_s`` by a grace period has its server replaced: killed and started again on the same
    data, by a thread that lives as long as the server (the death signal is tied to the thread
    that starts the child)."""

    def __init__(self, start: Callable[[], tuple[subprocess.Popen[bytes], int]]) -> None:
        self._start = start
        self.process, self.port = start()
        self.stopping = False
        self.lock = threading.Lock()
        self._stuck: queue.Queue[subprocess.Popen[bytes]] = queue.Queue()
        threading.Thread(target=self._replacer, name="coprodkg-serve-replacer", daemon=True).start()

    def replace(self, stuck: subprocess.Popen[bytes]) -> None:
        """Ask for ``stuck`` to be replaced (once, however many requests ask)."""
        self._stuck.put(stuck)

    def _replacer(self) -> None:
        while True:
            stuck = self._stuck.get()
            with self.lock:
                if stuck is not self.process or self.stopping:
                    continue
                stuck.kill()
                stuck.wait()
                with contextlib.suppress(EndpointError):
                    self.process, self.port = self._start()

    def replaced(self, process: subprocess.Popen[bytes]) -> bool:
        """Whether ``process`` ended because it was replaced (wait for the new one, then)."""
        with self.lock:
            return process is not self.process


def start_server(
    kg: KnowledgeGraph,
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    writable: bool = False,
    timeout_s: int = DEFAULT_QUERY_TIMEOUT,
    allow_service: bool = False,
    max_depth: int = DEFAULT_MAX_DEPTH,
    ready_timeout: float = 20.0,
) -> Server:
    """Serve a copy of ``kg`` on ``host:port`` (0 picks a free port); return once it answers.

    Each query runs at most ``timeout_s`` seconds; see the module for what is refused.
    """
    if timeout_s < 1:
        raise EndpointError(f"timeout_s must be at least 1 second, got {timeout_s}")
    binary = find_oxigraph()
    proxy = _listen(host, port)
    root = Path(tempfile.gettempdir())
    _clean_stale(root)
    workdir = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-", dir=root))
    try:
        location = _load(binary, workdir, kg, writable)
        child = _Child(
            lambda: _start_oxigraph(
                binary, location, workdir / "server.log", writable, timeout_s, ready_timeout
            )
        )
    except BaseException:
        proxy.server_close()
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    bound = proxy.server_address[1]
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{bound}"
    loopback = {base} | (
        {f"http://localhost:{bound}"} if host in ("127.0.0.1", "::1", "localhost") else set()
    )
    proxy.limits = Limits(writable, allow_service, max_depth, frozenset(loopback))
    proxy.child = child
    proxy.timeout_s = timeout_s
    threading.Thread(target=proxy.serve_forever, name="coprodkg-serve-proxy", daemon=True).start()
    return Server(child, base, workdir, writable, proxy)


def stop_server(server: Server, timeout: float = 10.0) -> int:
    """Stop the server (SIGTERM, then SIGKILL after ``timeout``), delete its data, return its status."""
    server.proxy.shutdown()
    server.proxy.server_close()
    with server.child.lock:
        server.child.stopping = True
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
        server.child.stopping = True
        if server.process.poll() is None:
            server.process.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if on_ready is not None:  # only now may anyone be told to press Ctrl-C
            on_ready()
        while True:
            try:
                serving = server.process
                code = serving.wait()
                if not server.child.replaced(serving):
                    break
            except KeyboardInterrupt:  # pragma: no cover - only if a handler was replaced meanwhile
                forward(signal.SIGINT, None)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        stop_server(server)
    return 0 if asked or code in (-signal.SIGINT, -signal.SIGTERM) else code
