"""Remote stores: real servers on loopback (Oxigraph server, a private Virtuoso), and faults.

Faults of the client (retries, auth, garbage, deadlines, leaks) go through a fake wire under the
real :class:`~coprodkg.remote.Transport`, in-process; hostile loopback servers then face a child
``coprodkg`` whose time and peak memory are measured.

Each server starts once per session (see ``servers.py``), gets the bundled graph pushed into a
named graph, and must then answer every named query as the embedded engine does. Differences that
the SPARQL standard allows are normalised, and only those:

- blank nodes compare equal to each other (labels are local to each answer);
- ``GROUP_CONCAT`` columns compare as the sorted list of their parts, without a language tag: the
  order of a group is undefined, and Oxigraph keeps the common language tag where Virtuoso drops it;
- numeric literals compare by value (stores may pick another numeric datatype for an aggregate).
"""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.compare import isomorphic

from coprodkg import KnowledgeGraph
from coprodkg.catalogue import NamedQuery, list_queries
from coprodkg.engine import serialize_graph
from coprodkg.errors import EndpointError
from coprodkg.remote import (
    USER_AGENT,
    RemoteGraph,
    Transport,
    pull_graph,
    push_graph,
    transport,
)
from coprodkg.remote.transport import Reply, Request

from .conftest import Outcome, assert_user_error
from .servers import (
    VIRTUOSO_PASSWORD,
    Running,
    free_port,
    launch_virtuoso,
    loopback,
    ready_virtuoso,
    run_child,
    start_oxigraph,
)

pytestmark = pytest.mark.server

GRAPH = "https://example.org/graph/coprodkg"
XSD = "http://www.w3.org/2001/XMLSchema#"
CLI = Callable[..., Outcome]


@dataclass(frozen=True)
class Store:
    """One running server and its URLs."""

    name: str
    server: Running
    query: str
    update: str
    gsp: str
    user: str | None = None

    def endpoint_args(self, *, gsp: bool = True) -> list[str]:
        args = ["--endpoint", self.query, "--update-endpoint", self.update]
        return [*args, "--gsp-endpoint", self.gsp] if gsp else args


@contextmanager
def credentials(store: Store, password: str = VIRTUOSO_PASSWORD) -> Iterator[None]:
    """The store's credentials in the environment, as a user would set them."""
    saved = {k: os.environ.get(k) for k in ("COPRODKG_USER", "COPRODKG_PASSWORD")}
    if store.user:
        os.environ.update(COPRODKG_USER=store.user, COPRODKG_PASSWORD=password)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Store]]:
    """Both servers, started once (Virtuoso boots while Oxigraph starts), stopped by their pids."""
    virtuoso = launch_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    started = [virtuoso]
    try:
        oxigraph = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
        started.append(oxigraph)
        ready_virtuoso(virtuoso)
        ox, vi = oxigraph.base, virtuoso.base
        yield {
            "oxigraph": Store("oxigraph", oxigraph, f"{ox}/query", f"{ox}/update", f"{ox}/store"),
            "virtuoso": Store(
                "virtuoso",
                virtuoso,
                f"{vi}/sparql",
                f"{vi}/sparql-auth",
                f"{vi}/sparql-graph-crud-auth",
                "dba",
            ),
        }
    finally:
        for server in started:
            server.stop()


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def store(request: pytest.FixtureRequest, stores: dict[str, Store], bundled: KnowledgeGraph) -> Store:
    """Each server in turn, holding the bundled graph in GRAPH (pushed by the CLI, replacing)."""
    chosen = stores[request.param]
    from typer.testing import CliRunner

    from coprodkg.cli import app

    with credentials(chosen):
        result = CliRunner().invoke(app, ["push", *chosen.endpoint_args(), "--graph", GRAPH, "--replace"])
    assert result.exit_code == 0, result.stderr
    assert f"sent {len(bundled)} triples to <{GRAPH}> by Graph Store Protocol PUT" in result.stderr
    assert f"the server holds {len(bundled)} triples" in result.stderr
    return chosen


# ---- the same answers ----------------------------------------------------------------------------

_CONCAT = re.compile(r"GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*\)\s*AS\s*\?(\w+)", re.IGNORECASE)
_NUMERIC = {XSD + t for t in ("integer", "int", "long", "decimal", "double", "float", "short")}


def _normal(term: object, concat: bool) -> object:
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal):
        if concat:
            return ("concat", tuple(sorted(re.split(r"[;,] ", str(term)))))
        if term.datatype is not None and str(term.datatype) in _NUMERIC:
            try:
                return ("number", Decimal(str(term)))
            except InvalidOperation:
                return ("number", str(term))
        return ("literal", str(term), term.language, str(term.datatype or ""))
    return term


def normal_rows(query: str, names: tuple[str, ...], rows: tuple[tuple[object, ...], ...]) -> list[str]:
    concat = set(_CONCAT.findall(query))
    return sorted(
        repr(tuple(_normal(t, n in concat) for n, t in zip(names, row, strict=True))) for row in rows
    )


QUERIES = list_queries()


def test_the_catalogue_is_not_empty() -> None:
    assert QUERIES, "no named queries found: the comparison below would prove nothing"


@pytest.mark.parametrize("named", QUERIES, ids=[q.name for q in QUERIES])
def test_named_query_answers_as_locally(store: Store, named: NamedQuery, bundled: KnowledgeGraph) -> None:
    local = bundled.query(named.text, named.bindings({}))
    remote = RemoteGraph(store.query, graph=GRAPH).query(named.text, named.bindings({}))
    assert (remote.kind, remote.vars) == (local.kind, local.vars)
    if local.boolean is not None:
        assert remote.boolean == local.boolean
    assert normal_rows(named.text, remote.vars, remote.rows) == normal_rows(
        named.text, local.vars, local.rows
    )


def test_cli_query_table_is_identical(store: Store, cli: CLI) -> None:
    local = cli("query", "themes")
    remote = cli("query", "themes", "--endpoint", store.query, "--graph", GRAPH)
    assert remote.code == 0, remote.stderr
    assert remote.stdout == local.stdout


def test_the_explorer_draws_the_remote_graph(store: Store, cli: CLI, tmp_path: Path) -> None:
    def drawn(*args: str) -> tuple[int, int]:
        out = tmp_path / "explorer.html"
        assert cli("viz", "-o", out, *args).code == 0
        found = re.search(
            r'<script id="kg-data" type="application/json">(.*?)</script>', out.read_text(), re.S
        )
        assert found is not None
        data = json.loads(found.group(1))
        return len(data["nodes"]), len(data["edges"])

    assert drawn("--endpoint", store.query, "--graph", GRAPH) == drawn()


def test_info_search_and_show_work_remotely(store: Store, cli: CLI, bundled: KnowledgeGraph) -> None:
    remote_args = ["--endpoint", store.query, "--graph", GRAPH]
    info = cli("info", *remote_args)
    assert info.code == 0, info.stderr
    assert f"{len(bundled)} triples" in info.stdout
    for command in (["search", "embedded researcher", "-f", "json"], ["show", "cpkid:theme-4", "-f", "json"]):
        local, remote = cli(*command), cli(*command, *remote_args)
        assert remote.code == 0, remote.stderr
        if command[0] == "search":
            assert remote.stdout == local.stdout
        else:
            assert _comparable(json.loads(remote.stdout)) == _comparable(json.loads(local.stdout))


_BLANK = re.compile(r"^_:\S+$")


def _comparable(value: object) -> object:
    """A ``show`` report with blank node labels blurred, lists as sorted, and no ``files``
    (which names the remote graph instead of the local files)."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if k != "files"}
    if isinstance(value, list):
        return sorted((_comparable(v) for v in value), key=repr)
    if isinstance(value, str) and _BLANK.match(value):
        return "_:"
    return value


# ---- push and pull -------------------------------------------------------------------------------


def local_graph(kg: KnowledgeGraph) -> Graph:
    return Graph().parse(data=serialize_graph(kg, "nt"), format="nt")


@pytest.mark.parametrize("how", ["gsp", "construct"])
def test_pull_round_trips(store: Store, how: str, cli: CLI, tmp_path: Path, bundled: KnowledgeGraph) -> None:
    out = tmp_path / "pulled.ttl"
    where = ["--gsp-endpoint", store.gsp] if how == "gsp" else ["--endpoint", store.query]
    with credentials(store):
        outcome = cli("pull", *where, "--graph", GRAPH, "-o", out)
    assert outcome.code == 0, outcome.stderr
    pulled = Graph().parse(out, format="turtle")
    assert isomorphic(pulled, local_graph(bundled))


def test_push_adds_unless_replace(store: Store, cli: CLI, bundled: KnowledgeGraph) -> None:
    """Adding identical data again keeps the ground triples once; blank nodes are new each time."""
    target = GRAPH + "/counts"
    sent = len(bundled)
    blank = int(
        str(
            bundled.query(
                "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }"
            ).rows[0][0]
        )
    )
    with credentials(store):
        for args, expected in (([], None), ([], None), (["--replace"], sent)):
            remote = RemoteGraph(store.query)
            before = remote.count(target)
            outcome = cli("push", *store.endpoint_args(), "--graph", target, *args)
            assert outcome.code == 0, outcome.stderr
            after = remote.count(target)
            assert after == (expected if expected is not None else (sent if before == 0 else before + blank))
            assert f"the server holds {after} triples" in outcome.stderr


def test_push_by_sparql_update_keeps_blank_nodes(store: Store, bundled: KnowledgeGraph) -> None:
    """Without GSP: small INSERT batches, never splitting a blank node's triples."""
    target = GRAPH + "/update"
    with credentials(store):
        report = push_graph(
            bundled, store.query, graph=target, update_endpoint=store.update, replace=True, batch_size=50
        )
        assert report.ok and report.after == len(bundled) and "SPARQL Update" in report.method
        assert isomorphic(pull_graph(store.query, graph=target), local_graph(bundled))
        again = push_graph(bundled, store.query, graph=target, update_endpoint=store.update, replace=True)
        assert again.before == again.after == len(bundled)


# ---- faults: one line, exit 2, nothing lost ------------------------------------------------------


def test_wrong_credentials_lose_nothing(stores: dict[str, Store], cli: CLI, bundled: KnowledgeGraph) -> None:
    virtuoso = stores["virtuoso"]
    target = GRAPH + "/kept"
    with credentials(virtuoso):
        push_graph(bundled, virtuoso.query, graph=target, gsp_endpoint=virtuoso.gsp, replace=True)
    with credentials(virtuoso, password="wrong"):
        outcome = cli("push", *virtuoso.endpoint_args(), "--graph", target, "--replace", "--no-bundled")
    assert_user_error(outcome, "401", "credentials were refused")
    assert "wrong" not in outcome.stderr
    assert RemoteGraph(virtuoso.query).count(target) == len(bundled)


def test_missing_credentials(stores: dict[str, Store], cli: CLI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COPRODKG_USER", raising=False)
    monkeypatch.delenv("COPRODKG_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", os.devnull)
    outcome = cli("query", "themes", "--endpoint", stores["virtuoso"].update)
    assert_user_error(outcome, "401", "COPRODKG_USER")


def test_server_down_and_wrong_port(tmp_path: Path, cli: CLI) -> None:
    server = start_oxigraph(tmp_path / "down", location=False)
    server.stop()
    for url in (f"{server.base}/query", f"http://127.0.0.1:{free_port()}/sparql"):
        assert_user_error(cli("query", "themes", "--endpoint", url), "connection refused")


def test_query_over_the_timeout(tmp_path: Path, cli: CLI, bundled: KnowledgeGraph) -> None:
    server = start_oxigraph(tmp_path / "slow", location=False, extra=("--timeout-s", "5"))
    try:
        push_graph(bundled, f"{server.base}/query", graph=GRAPH, gsp_endpoint=f"{server.base}/store")
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        outcome = cli(
            "query", "-e", heavy, "--endpoint", f"{server.base}/query", "--graph", GRAPH, "--timeout", "0.5"
        )
        assert_user_error(outcome, "did not answer within 0.5 s")
    finally:
        server.stop()


def test_query_rejected_with_the_servers_reason(store: Store, cli: CLI) -> None:
    outcome = cli("query", "-e", "SELECT * WHERE { ?s ?p }", "--endpoint", store.query)
    assert_user_error(outcome, "rejected the request: ")


# ---- faults through a fake wire, in-process: retry, auth, garbage, deadlines, leaks -------------------

URL = "http://127.0.0.1:9/sparql"
Step = Callable[[Request], Reply] | BaseException


@dataclass
class FakeWire:
    """Answers each request with the next step of a script (the last one repeats); records them."""

    script: list[Step]
    seen: list[Request] = field(default_factory=list)

    def __call__(self, request: Request, deadline: float) -> Reply:
        self.seen.append(request)
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, BaseException):
            raise step
        return step(request)


def answer(
    status: int = 200,
    body: bytes = b"",
    content_type: str = "application/sparql-results+json",
    **headers: str,
) -> Callable[[Request], Reply]:
    """A step answering ``status`` with ``body`` (header names in ``headers`` use _ for -)."""
    fields = {"content-type": content_type, **{k.replace("_", "-"): v for k, v in headers.items()}}
    return lambda request: Reply(status, fields, iter([body]))


def endless(chunk: bytes, pause: float = 0.0) -> Callable[[Request], Reply]:
    """A step whose body never ends (a chunk after each ``pause``), bounded at 100,000 chunks."""

    def chunks() -> Iterator[bytes]:
        for _ in range(100_000):
            time.sleep(pause)
            yield chunk

    return lambda request: Reply(200, {"content-type": "application/sparql-results+json"}, chunks())


def count(n: int) -> Callable[[Request], Reply]:
    row = {"n": {"type": "literal", "value": str(n), "datatype": XSD + "integer"}}
    return answer(body=json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [row]}}).encode())


NO_CONTENT = answer(204, content_type="")


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> Callable[..., FakeWire]:
    """Install a fake wire under every Transport the CLI makes; no credentials unless a test sets them."""
    monkeypatch.delenv("COPRODKG_USER", raising=False)
    monkeypatch.delenv("COPRODKG_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", os.devnull)

    def install(*script: Step) -> FakeWire:
        fake = FakeWire(list(script))
        monkeypatch.setattr(transport, "send_http", fake)
        return fake

    return install


def timed(run: Callable[[], Outcome], seconds: float) -> Outcome:
    start = time.monotonic()
    outcome = run()
    assert time.monotonic() - start < seconds, f"took more than {seconds} s"
    return outcome


def test_requests_carry_the_user_agent(wire: Callable[..., FakeWire], cli: CLI) -> None:
    fake = wire(count(5))
    assert cli("query", "-e", "SELECT (COUNT(*) AS ?n) {}", "--endpoint", URL).code == 0
    assert fake.seen[0].headers["User-Agent"] == USER_AGENT


def test_busy_answers_are_retried_with_backoff(wire: Callable[..., FakeWire], cli: CLI) -> None:
    fake = wire(answer(503), answer(429, retry_after="0"), count(5))
    outcome = cli("query", "-e", "SELECT (COUNT(*) AS ?n) {}", "--endpoint", URL, "-f", "csv")
    assert outcome.code == 0 and outcome.stdout.split() == ["n", "5"]
    assert len(fake.seen) == 3


def test_busy_for_good_is_one_line(wire: Callable[..., FakeWire], cli: CLI) -> None:
    fake = wire(answer(503, b"busy", "text/plain"))
    outcome = timed(lambda: cli("query", "themes", "--endpoint", URL), 5)
    assert_user_error(outcome, "is busy (HTTP 503)")
    assert len(fake.seen) == 3


def test_updates_are_never_retried(wire: Callable[..., FakeWire], cli: CLI) -> None:
    fake = wire(answer(503, b"busy", "text/plain"))
    outcome = cli("query", "--update", "-e", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "--endpoint", URL)
    assert_user_error(outcome, "HTTP 503")
    assert len(fake.seen) == 1
    assert fake.seen[0].headers["Content-Type"].startswith("application/sparql-update")


@pytest.mark.parametrize("where", ["environment", "netrc"])
def test_basic_credentials_go_pre_emptively(
    wire: Callable[..., FakeWire], cli: CLI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str
) -> None:
    if where == "environment":
        monkeypatch.setenv("COPRODKG_USER", "ann")
        monkeypatch.setenv("COPRODKG_PASSWORD", "pw1")
    fake = wire(answer(401, www_authenticate='Basic realm="kg"'), count(5), count(5))
    if where == "netrc":
        netrc = tmp_path / "netrc"
        netrc.write_text("machine 127.0.0.1 login ann password pw1\n")
        netrc.chmod(0o600)
        monkeypatch.setenv("NETRC", str(netrc))
    assert cli("query", "-e", "SELECT (COUNT(*) AS ?n) {}", "--endpoint", URL).code == 0
    probe, query = fake.seen
    assert probe.method == "HEAD" and probe.body is None and "Authorization" not in probe.headers
    assert query.headers["Authorization"] == "Basic " + base64.b64encode(b"ann:pw1").decode()


def test_digest_is_answered_and_refused_credentials_are_one_line(
    wire: Callable[..., FakeWire], cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COPRODKG_USER", "dba")
    monkeypatch.setenv("COPRODKG_PASSWORD", "wrong-pw")
    challenge = 'Digest realm="kg", nonce="abc", qop="auth", algorithm="MD5"'
    fake = wire(answer(401, www_authenticate=challenge))
    outcome = cli("query", "themes", "--endpoint", URL)
    assert_user_error(outcome, "401", "credentials were refused")
    assert "wrong-pw" not in outcome.stderr
    answered = [r.headers.get("Authorization", "") for r in fake.seen if r.method == "POST"]
    assert len(answered) == 2  # the remembered challenge, then the fresh one; then it gives up
    assert all(a.startswith('Digest username="dba", realm="kg", nonce="abc"') for a in answered)


def test_a_bad_netrc_is_one_line(
    wire: Callable[..., FakeWire], cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login ann password pw\nbogus x\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    fake = wire(count(5))
    assert_user_error(cli("query", "themes", "--endpoint", URL), "cannot read", "netrc", "at line 2")
    assert not fake.seen


_DEEP = b'{"head": {"vars": ["n"]}, "results": {"bindings": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}}"


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"<html><body><h1>Welcome</h1></body></html>", "text/html", "web page"),
        (b'{"head": {"vars": ["n"]}, "results": {"bindi', "application/sparql-results+json", "malformed"),
        (b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": 3}]}}', "application/json", "malformed"),
        (b"\x00\x01 not json", "application/sparql-results+json", "malformed"),
        (_DEEP, "application/sparql-results+json", "nested deeper than 64 levels"),
        (
            b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "\\u001b[2J", "value": ""}}]}}',
            "application/json",
            "unknown term type",
        ),
    ],
    ids=["html-page", "truncated-json", "bad-binding", "junk", "deep-nesting", "escapes-in-type"],
)
def test_garbage_answers_are_one_line(
    wire: Callable[..., FakeWire], cli: CLI, body: bytes, content_type: str, message: str
) -> None:
    wire(answer(body=body, content_type=content_type))
    outcome = timed(lambda: cli("query", "themes", "--endpoint", URL), 5)
    assert_user_error(outcome, message)
    assert "\x1b" not in outcome.stderr


def test_the_deadline_covers_the_whole_answer(wire: Callable[..., FakeWire], cli: CLI) -> None:
    """A server sending a byte every 50 ms never times out a per-read timeout; the deadline does."""
    wire(endless(b" ", pause=0.05))
    outcome = timed(lambda: cli("query", "themes", "--endpoint", URL, "--timeout", "0.5"), 3)
    assert_user_error(outcome, "did not answer within 0.5 s")


def test_the_size_cap_stops_an_endless_answer(wire: Callable[..., FakeWire], cli: CLI) -> None:
    wire(endless(b" " * 65536))
    outcome = timed(lambda: cli("query", "themes", "--endpoint", URL, "--max-bytes", "1000000"), 5)
    assert_user_error(outcome, "more than 1,000,000 bytes", "size cap")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://ann:pw1-secret@files.example.org/x",
        "http://ann:pw1-secret@[::1/sparql",
        "http://ann:pw1-secret@h:port/q",
    ],
    ids=["ftp", "malformed-ipv6", "bad-port"],
)
def test_credentials_in_a_url_are_never_printed(wire: Callable[..., FakeWire], cli: CLI, url: str) -> None:
    fake = wire(count(5))
    outcome = cli("query", "themes", "--endpoint", url)
    assert_user_error(outcome, "endpoint")
    assert "pw1-secret" not in outcome.stderr and "ann" not in outcome.stderr
    assert not fake.seen


def test_a_redirect_is_named_without_its_credentials(wire: Callable[..., FakeWire], cli: CLI) -> None:
    wire(answer(302, content_type="text/html", location="http://ann:pw1-secret@other.example/sparql"))
    outcome = cli("query", "themes", "--endpoint", URL)
    assert_user_error(outcome, "redirects (HTTP 302) to http://other.example/sparql")
    assert "pw1-secret" not in outcome.stderr


def test_server_text_is_escaped(wire: Callable[..., FakeWire], cli: CLI) -> None:
    wire(answer(500, b"\x1b[2J\x1b]0;owned\x07 boom\xe2\x80\xae", "text/plain"))
    outcome = cli("query", "themes", "--endpoint", URL)
    assert_user_error(outcome, "HTTP 500", "\\x1b[2J")
    assert "\x1b" not in outcome.stderr and "\x07" not in outcome.stderr and "\u202e" not in outcome.stderr


def _updates(fake: FakeWire) -> list[str]:
    return [
        r.body.decode()
        for r in fake.seen
        if r.body and r.headers.get("Content-Type", "").startswith("application/sparql-update")
    ]


@pytest.mark.parametrize("drop_works", [True, False], ids=["staging-removed", "staging-named"])
def test_a_push_cut_after_staging_cleans_up_or_says_how(bundled: KnowledgeGraph, drop_works: bool) -> None:
    cut = ConnectionResetError("cut")
    fake = FakeWire([count(0), NO_CONTENT, cut, NO_CONTENT if drop_works else cut])
    with pytest.raises(EndpointError) as caught:
        push_graph(bundled, URL, graph=GRAPH, batch_size=50, transport=Transport(wire=fake))
    message = str(caught.value)
    assert "\n" not in message and "broke off the connection" in message
    staging = re.search(r"<(urn:coprodkg:staging:[0-9a-f-]+)>", _updates(fake)[0])
    assert staging is not None
    assert _updates(fake)[-1] == f"DROP SILENT GRAPH <{staging.group(1)}>"
    if drop_works:
        assert "its staging graph was removed" in message
    else:
        assert f"<{staging.group(1)}> may remain" in message
        assert (
            f"coprodkg query --update --endpoint {URL} -e 'DROP SILENT GRAPH <{staging.group(1)}>'" in message
        )


def test_a_store_without_gsp_gets_sparql_update(bundled: KnowledgeGraph) -> None:
    """The fallback is chosen by the status (405), not by the message."""
    fake = FakeWire([count(0), answer(405, b"no", "text/plain"), NO_CONTENT, count(len(bundled))])
    report = push_graph(
        bundled, URL, graph=GRAPH, gsp_endpoint=URL + "/store", replace=True, transport=Transport(wire=fake)
    )
    assert report.ok and report.method.startswith("SPARQL Update")
    assert fake.seen[1].method == "PUT" and "MOVE" not in _updates(fake)[-1]


def test_a_refused_connection_is_not_a_missing_graph(wire: Callable[..., FakeWire], cli: CLI) -> None:
    """The old code read '404' in '…/ds404/data: connection refused' as a missing graph."""
    wire(ConnectionRefusedError())
    outcome = cli("pull", "--gsp-endpoint", "http://127.0.0.1:9/ds404/data", "--graph", GRAPH)
    assert_user_error(outcome, "connection refused")
    wire(answer(404, b"not found", "text/plain"))
    outcome = cli("pull", "--gsp-endpoint", "http://127.0.0.1:9/ds/data", "--graph", GRAPH)
    assert_user_error(outcome, f"has no graph <{GRAPH}>")


_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="urn:e#">
<rdf:Description rdf:about="urn:x"><e:p>&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;</e:p></rdf:Description>
</rdf:RDF>"""


def test_rdf_xml_entities_are_never_expanded(wire: Callable[..., FakeWire], cli: CLI) -> None:
    wire(answer(body=_BOMB, content_type="application/rdf+xml"))
    outcome = timed(lambda: cli("pull", "--gsp-endpoint", URL, "--graph", GRAPH), 5)
    assert_user_error(outcome, "document type declaration")


def test_json_ld_contexts_are_never_fetched_or_read(
    wire: Callable[..., FakeWire], cli: CLI, tmp_path: Path
) -> None:
    hits: list[str] = []

    def context(handler: BaseHTTPRequestHandler) -> None:
        hits.append(handler.path)
        handler.send_response(200)
        handler.send_header("Content-Type", "application/ld+json")
        handler.end_headers()
        handler.wfile.write(b'{"@context": {"p": "urn:leaked#p"}}')

    secret = tmp_path / "secret.jsonld"
    secret.write_text('{"@context": {"p": "urn:secret-file-content#"}}')
    with loopback(context) as base:
        for ref in (f"{base}/ctx", secret.as_uri(), [{"q": "urn:q#"}, f"{base}/ctx2"]):
            doc = {"@context": ref, "@id": "urn:s", "p": "o"}
            wire(answer(body=json.dumps(doc).encode(), content_type="application/ld+json"))
            outcome = cli("pull", "--gsp-endpoint", URL, "--graph", GRAPH)
            assert_user_error(outcome, "context by reference", "never fetched")
            assert "secret-file-content" not in outcome.stderr + outcome.stdout
    assert hits == []


# ---- the same faults over real loopback servers, in a child process: time and peak memory -----------------


def _stream_forever(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/sparql-results+json")
    handler.end_headers()
    for _ in range(32_768):  # 2 GiB at most
        handler.wfile.write(b" " * 65536)


def _drip(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/sparql-results+json")
    handler.end_headers()
    for _ in range(150):  # 30 s at most
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.2)


def _serve_body(body: bytes, content_type: str) -> Callable[[BaseHTTPRequestHandler], None]:
    def handle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return handle


@pytest.mark.parametrize(
    ("handle", "args", "message", "seconds"),
    [
        (_stream_forever, ["query", "themes", "--max-bytes", "5000000"], "size cap", 20),
        (_drip, ["query", "themes", "--timeout", "2"], "did not answer within 2 s", 10),
        (_serve_body(_DEEP, "application/sparql-results+json"), ["query", "themes"], "nested deeper", 20),
        (
            _serve_body(_BOMB, "application/rdf+xml"),
            ["query", "-e", "CONSTRUCT WHERE { ?s ?p ?o }"],
            "document type",
            20,
        ),
    ],
    ids=["stream-forever", "one-byte-drip", "deep-json", "entity-bomb"],
)
def test_hostile_servers_cost_bounded_time_and_memory(
    handle: Callable[[BaseHTTPRequestHandler], None], args: list[str], message: str, seconds: float
) -> None:
    with loopback(handle) as base:
        run = run_child([*args, "--endpoint", f"{base}/sparql"], timeout=60)
    lines = run.stderr.strip().splitlines()
    assert run.code == 2 and len(lines) == 1 and message in lines[0], run.stderr
    assert run.seconds < seconds, run.seconds
    assert run.peak_rss_mb < 150, (
        run.peak_rss_mb
    )  # a healthy query peaks near 51 MiB (bench/bench_hostile.py)


def test_a_push_cut_mid_way_leaves_a_real_server_as_it_was(tmp_path: Path, cli: CLI) -> None:
    """Through a loopback relay that drops the connection on the second batch: the store (a real
    Oxigraph server) ends with the graphs it had, no staging graph left behind."""
    server = start_oxigraph(tmp_path / "cut", location=False)
    updates: list[str] = []

    def relay(handler: BaseHTTPRequestHandler) -> None:
        body = handler.body  # type: ignore[attr-defined]
        if handler.path.startswith("/update"):
            updates.append(body.decode())
            if len(updates) == 2:
                handler.close_connection = True
                handler.connection.shutdown(socket.SHUT_RDWR)  # cut, no answer
                return
        request = urllib.request.Request(
            server.base + handler.path,
            data=body or None,
            method=handler.command,
            headers={k: v for k, v in handler.headers.items() if k.lower() in ("content-type", "accept")},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, kind, data = (
                    response.status,
                    response.headers.get("Content-Type", ""),
                    response.read(),
                )
        except urllib.error.HTTPError as error:
            status, kind, data = error.code, error.headers.get("Content-Type", ""), error.read()
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    try:
        before = RemoteGraph(f"{server.base}/query").graphs()
        with loopback(relay) as base:
            args = ["--endpoint", f"{base}/query", "--update-endpoint", f"{base}/update", "--graph", GRAPH]
            outcome = cli("push", *args)
        assert_user_error(outcome, "broke off the connection", "its staging graph was removed")
        assert len(updates) == 3 and updates[-1].startswith("DROP SILENT GRAPH <urn:coprodkg:staging:")
        assert RemoteGraph(f"{server.base}/query").graphs() == before
    finally:
        server.stop()
