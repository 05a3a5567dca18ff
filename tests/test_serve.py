"""``coprodkg serve``: the real Oxigraph server behind the checking proxy, on loopback.

Each fault the server must survive is sent to a real server; each asserts one line (the proxy's
answer, or the client's error), the status or exit code, bounded time, the Oxigraph child's peak
memory, and the server's graphs unchanged where nothing should change.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from coprodkg import KnowledgeGraph
from coprodkg.remote import RemoteGraph
from coprodkg.serve import DEFAULT_MAX_DEPTH, PORT_ATTEMPTS, Server, on_free_ports, start_server, stop_server

from .conftest import Outcome, assert_user_error
from .servers import Lines, loopback, peak_rss_mb

pytestmark = pytest.mark.server

GRAPH = "https://example.org/graph/coprodkg"
CLI = Callable[..., Outcome]


@pytest.fixture
def served(bundled: KnowledgeGraph) -> Iterator[Callable[..., Server]]:
    """Start servers over the bundled graph (port 0); stop them all afterwards, data removed."""
    started: list[Server] = []

    def start(**options: object) -> Server:
        server = start_server(bundled, port=0, **options)  # type: ignore[arg-type]
        started.append(server)
        return server

    yield start
    for server in started:
        stop_server(server)
        assert not server.workdir.exists()


def send(url: str, body: bytes | None = None, **headers: str) -> tuple[int, str]:
    """One request to the server; its status and answer (the first 2,000 characters)."""
    request = urllib.request.Request(
        url, data=body, headers={k.replace("_", "-"): v for k, v in headers.items()}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(2000).decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(2000).decode(errors="replace")


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_serve_documents_its_limits(cli: CLI) -> None:
    shown = cli("serve", "--help").stdout
    assert "--timeout-s" in shown and "--allow-service" in shown


def test_a_deeply_nested_query_is_refused_and_the_server_survives(
    served: Callable[..., Server], cli: CLI
) -> None:
    server = served()
    deep = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    start = time.monotonic()
    outcome = cli("query", "-e", deep, "--endpoint", server.query_url)
    assert_user_error(outcome, f"nests deeper than {DEFAULT_MAX_DEPTH} levels")
    status, text = send(server.query_url + "?" + urllib.parse.urlencode({"query": deep}))
    assert status == 400 and "nests deeper" in one_line(text)
    assert time.monotonic() - start < 10
    assert server.process.poll() is None
    assert RemoteGraph(server.query_url).graphs()  # still answering
    assert peak_rss_mb(server.process.pid) < 200


def test_a_runaway_query_is_stopped_by_the_servers_timeout(
    served: Callable[..., Server], cli: CLI, bundled: KnowledgeGraph
) -> None:
    server = served(timeout_s=1)
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 10^9 rows
    start = time.monotonic()
    outcome = cli("query", "-e", heavy, "--endpoint", server.query_url, "--timeout", "60")
    assert outcome.code == 2 and len(outcome.stderr.strip().splitlines()) == 1, outcome.stderr
    assert time.monotonic() - start < 15
    time.sleep(0.5)
    before = cpu_seconds(server.process.pid)
    time.sleep(1)
    assert cpu_seconds(server.process.pid) - before < 0.3  # no longer burning CPU
    assert peak_rss_mb(server.process.pid) < 300
    assert dict(RemoteGraph(server.query_url).graphs()) == dict(bundled.graphs())


def test_a_query_oxigraph_does_not_cancel_is_stopped_by_the_proxy(
    served: Callable[..., Server], cli: CLI, bundled: KnowledgeGraph
) -> None:
    """Oxigraph 0.5's --timeout-s does not cancel this COUNT over a four-way cross product: the
    proxy replaces the server once the query outlives the timeout, and the data stays served."""
    server = served(timeout_s=1)
    stuck = server.process
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # 10^12 rows
    start = time.monotonic()
    outcome = cli("query", "-e", heavy, "--endpoint", server.query_url, "--timeout", "60")
    assert_user_error(outcome, "the query ran longer than 1 s: stopped")
    assert time.monotonic() - start < 15
    deadline = time.monotonic() + 20
    while server.process is stuck and time.monotonic() < deadline:
        time.sleep(0.05)
    assert stuck.poll() is not None and server.process is not stuck and server.process.poll() is None
    assert dict(RemoteGraph(server.query_url).graphs()) == dict(bundled.graphs())
    before = cpu_seconds(server.process.pid)
    time.sleep(1)
    assert cpu_seconds(server.process.pid) - before < 0.3
    assert peak_rss_mb(server.process.pid) < 200


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A loopback server that records what it is asked (a SERVICE target)."""
    hits: list[str] = []

    def record(handler: BaseHTTPRequestHandler) -> None:
        hits.append(handler.path)
        handler.send_response(500)
        handler.end_headers()

    with loopback(record) as base:
        yield base, hits


def test_service_is_off_unless_allowed(
    served: Callable[..., Server], cli: CLI, listener: tuple[str, list[str]]
) -> None:
    base, hits = listener
    query = f"SELECT * WHERE {{ SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}"
    server = served()
    assert_user_error(cli("query", "-e", query, "--endpoint", server.query_url), "SERVICE and LOAD are off")
    status, text = send(
        server.query_url,
        b"query=" + urllib.parse.quote(query).encode(),
        Content_Type="application/x-www-form-urlencoded",
    )
    assert status == 403 and "--allow-service" in one_line(text)
    assert hits == []
    allowed = served(allow_service=True)
    send(allowed.query_url + "?" + urllib.parse.urlencode({"query": query}))
    assert hits, "with --allow-service the query reaches the SERVICE endpoint"


DROP = b"update=DROP%20ALL"


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (DROP, {"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"}),
        (DROP, {"Content-Type": "application/x-www-form-urlencoded"}),
        (b"DROP ALL", {"Content-Type": "text/plain"}),
        (
            b"------x\r\nContent-Disposition: form-data; name=update\r\n\r\nDROP ALL\r\n------x--\r\n",
            {"Content-Type": "multipart/form-data; boundary=----x"},
        ),
        (b"DROP ALL", {"Content-Type": "application/sparql-update", "Origin": "http://evil.example"}),
    ],
    ids=["form-foreign-origin", "form-no-origin", "text-plain", "multipart", "foreign-origin"],
)
def test_writable_refuses_what_a_browser_could_send_cross_site(
    served: Callable[..., Server], body: bytes, headers: dict[str, str]
) -> None:
    server = served(writable=True)
    before = RemoteGraph(server.query_url).graphs()
    status, text = send(server.update_url, body, **headers)
    assert status == 403 and "refused" in one_line(text)
    assert RemoteGraph(server.query_url).graphs() == before


def test_writable_accepts_its_own_page_and_coprodkg_push(
    served: Callable[..., Server], cli: CLI, bundled: KnowledgeGraph
) -> None:
    server = served(writable=True)
    insert = urllib.parse.urlencode(
        {"update": "INSERT DATA { GRAPH <urn:g:ui> { <urn:a> <urn:b> <urn:c> } }"}
    )
    status, _ = send(
        server.update_url,
        insert.encode(),
        Content_Type="application/x-www-form-urlencoded",
        Origin=server.base,
    )
    assert status == 204
    args = ["--endpoint", server.query_url, "--update-endpoint", server.update_url, "--graph", GRAPH]
    outcome = cli("push", *args)
    assert outcome.code == 0, outcome.stderr
    assert dict(RemoteGraph(server.query_url).graphs())[GRAPH] == len(bundled)


def test_a_port_in_use_is_one_line_before_anything_is_served(cli: CLI) -> None:
    def other_program(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()

    with loopback(other_program) as base:
        port = base.rsplit(":", 1)[1]
        start = time.monotonic()
        outcome = cli("serve", "--port", port)
    assert_user_error(outcome, f"cannot listen on 127.0.0.1 port {port}")
    assert "serving" not in outcome.stdout + outcome.stderr
    assert time.monotonic() - start < 10


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def test_the_child_dies_with_its_parent_and_a_start_removes_its_data(bundled: KnowledgeGraph) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "coprodkg", "serve", "--port", "0"], stderr=subprocess.PIPE, text=True
    )
    try:
        Lines(process.stderr).until(lambda line: "Ctrl-C" in line)  # type: ignore[arg-type]
        (child,) = _children(process.pid)
        command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        workdir = Path(command[command.index(b"--location") + 1].decode()).parent
        assert workdir.is_dir()
        process.kill()  # kill -9: no handler of ours runs
        process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while not _gone(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _gone(child), "the oxigraph server outlived coprodkg serve"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    server = start_server(bundled, port=0)
    try:
        assert not workdir.exists(), "the next start removes the data a killed server left"
    finally:
        stop_server(server)


def test_read_only_served_graph_refuses_push(served: Callable[..., Server], cli: CLI) -> None:
    server = served()
    before = RemoteGraph(server.query_url).graphs()
    args = ["--endpoint", server.query_url, "--gsp-endpoint", server.store_url, "--graph", GRAPH, "--replace"]
    assert_user_error(cli("push", *args), "403")
    args = ["--endpoint", server.query_url, "--update-endpoint", server.update_url, "--graph", GRAPH]
    assert_user_error(cli("push", *args), "403")
    assert RemoteGraph(server.query_url).graphs() == before


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("background", [False, True], ids=["terminal", "background-job"])
def test_serve_answers_sparqlwrapper_and_stops_on_ctrl_c(bundled: KnowledgeGraph, background: bool) -> None:
    """A shell starts background jobs with SIGINT ignored, and the server inherits that: the
    regression this guards against left the server running after the SIGINT. SPARQLWrapper is
    a third-party client; the query UI is at /."""
    from SPARQLWrapper import JSON, SPARQLWrapper

    process = subprocess.Popen(
        [sys.executable, "-m", "coprodkg", "serve", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ignore_sigint if background else None,
    )
    try:
        lines = Lines(process.stderr)  # type: ignore[arg-type]
        lines.until(lambda line: "Ctrl-C" in line)
        url = next(m.group(0) for m in (re.search(r"http://\S+/query", x) for x in lines.seen) if m)
        assert url.startswith("http://127.0.0.1:")
        status, page = send(url.removesuffix("query"))
        assert status == 200 and "<html" in page.lower()
        wrapper = SPARQLWrapper(url)
        wrapper.setReturnFormat(JSON)
        wrapper.setQuery("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        count = wrapper.query().convert()["results"]["bindings"][0]["n"]["value"]  # type: ignore[index, call-overload]
        assert int(count) == len(bundled)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    with pytest.raises(urllib.error.URLError):
        SPARQLWrapper(url).query()


def test_a_start_whose_port_was_taken_meanwhile_gets_fresh_ports() -> None:
    seen: list[tuple[int, ...]] = []

    def start(ports: tuple[int, ...]) -> tuple[int, ...] | None:
        seen.append(ports)
        with socket.socket() as thief, socket.socket() as ours, socket.socket() as second:
            if len(seen) == 1:  # another process binds the first port before our server does
                thief.bind(("127.0.0.1", ports[0]))
            try:
                ours.bind(("127.0.0.1", ports[0]))
                second.bind(("127.0.0.1", ports[1]))
            except OSError:
                return None
        return ports

    started = on_free_ports(start, count=2)
    assert started is not None and len(seen) == 2 and started == seen[1]
    assert len(set(started)) == 2  # two distinct ports
    never: list[tuple[int, ...]] = []
    assert on_free_ports(lambda ports: never.append(ports)) is None  # bounded: gives up
    assert len(never) == PORT_ATTEMPTS


def test_a_triple_two_files_state_is_counted_once_by_the_server(cli: CLI, tmp_path: Path) -> None:
    """Regression: the server's union default graph gave a triple once per file stating it
    (oxigraph#1919), so a served COUNT was 2 where the local one is 1."""
    from coprodkg import load_graph

    files = [tmp_path / "d1.ttl", tmp_path / "d2.ttl"]
    for f in files:
        f.write_text("@prefix ex: <https://example.org/s/> .\nex:a ex:p ex:b .\n", encoding="utf-8")
    server = start_server(load_graph(files, bundled=False), port=0)
    try:
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        assert cli("query", "-e", count, "--endpoint", server.query_url, "-f", "csv").stdout.splitlines() == [
            "n",
            "1",
        ]
        per_file = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert cli(
            "query", "-e", per_file, "--endpoint", server.query_url, "-f", "csv"
        ).stdout.splitlines() == [
            "n",
            "2",
        ]
    finally:
        stop_server(server)
