"""Remote stores, tested against real servers on loopback: Oxigraph server and a private Virtuoso.

Each server starts once per session (see ``servers.py``), gets the bundled graph pushed into a
named graph, and must then answer every named query as the embedded engine does. Differences that
the SPARQL standard allows are normalised, and only those:

- blank nodes compare equal to each other (labels are local to each answer);
- ``GROUP_CONCAT`` columns compare as the sorted list of their parts, without a language tag: the
  order of a group is undefined, and Oxigraph keeps the common language tag where Virtuoso drops it;
- numeric literals compare by value (stores may pick another numeric datatype for an aggregate).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.compare import isomorphic

from coprodkg import KnowledgeGraph
from coprodkg.catalogue import NamedQuery, list_queries
from coprodkg.engine import serialize_graph
from coprodkg.remote import RemoteGraph, pull_graph, push_graph
from coprodkg.serve import start_server, stop_server

from .conftest import Outcome, assert_user_error
from .servers import (
    VIRTUOSO_PASSWORD,
    Running,
    free_port,
    launch_virtuoso,
    ready_virtuoso,
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


_CODE_LISTS = {"sources", "studies"}


@pytest.mark.parametrize("named", QUERIES, ids=[q.name for q in QUERIES])
def test_source_lists_come_out_in_one_sorted_order(
    store: Store, named: NamedQuery, bundled: KnowledgeGraph
) -> None:
    """A cell's list of source codes is the same text, sorted, on every engine (issue 13)."""
    concat = set(_CONCAT.findall(named.text))
    local = bundled.query(named.text, named.bindings({}))
    remote = RemoteGraph(store.query, graph=GRAPH).query(named.text, named.bindings({}))

    def lists(result: Any, only: set[str]) -> list[tuple[str, ...]]:
        picked = [i for i, n in enumerate(result.vars) if n in only]
        return sorted(tuple(str(row[i] or "") for i in picked) for row in result.rows)

    assert lists(remote, concat) == lists(local, concat)
    for value in (v for row in lists(local, concat & _CODE_LISTS) for v in row):
        parts = value.split(", ")
        assert parts == sorted(parts), value


def test_cli_query_table_is_identical(store: Store, cli: CLI) -> None:
    local = cli("query", "themes")
    remote = cli("query", "themes", "--endpoint", store.query, "--graph", GRAPH)
    assert remote.code == 0, remote.stderr
    assert remote.stdout == local.stdout


def test_the_explorer_draws_the_remote_graph(store: Store, cli: CLI, tmp_path: Path) -> None:
    def drawn(*args: str) -> tuple[int, int]:
        out = tmp_path / "explorer.html"
        assert cli("viz", "-o", out, *args).code == 0
        data = json.loads(
            re.search(
                r'<script id="kg-data" type="application/json">(.*?)</script>', out.read_text(), re.S
            ).group(1)
        )  # type: ignore[union-attr]
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


def test_read_only_served_graph_refuses_push(cli: CLI, bundled: KnowledgeGraph) -> None:
    server = start_server(bundled, port=0)
    try:
        before = RemoteGraph(server.query_url).graphs()
        args = [
            "--endpoint",
            server.query_url,
            "--gsp-endpoint",
            server.store_url,
            "--graph",
            GRAPH,
            "--replace",
        ]
        assert_user_error(cli("push", *args), "403")
        args = ["--endpoint", server.query_url, "--update-endpoint", server.update_url, "--graph", GRAPH]
        assert_user_error(cli("push", *args), "403")
        assert RemoteGraph(server.query_url).graphs() == before
    finally:
        assert stop_server(server) is not None
    assert not server.workdir.exists()


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


@pytest.fixture
def fake_http() -> Iterator[Callable[[bytes, str, int], str]]:
    """A tiny local HTTP server answering every request with a fixed body."""
    servers: list[ThreadingHTTPServer] = []

    def serve(body: bytes, content_type: str, status: int = 200) -> str:
        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}/sparql"

    yield serve
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"<html><body><h1>Welcome</h1></body></html>", "text/html", "web page"),
        (b'{"head": {"vars": ["n"]}, "results": {"bindi', "application/sparql-results+json", "malformed"),
        (b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": 3}]}}', "application/json", "malformed"),
        (b"\x00\x01 not json", "application/sparql-results+json", "malformed"),
    ],
    ids=["html-page", "truncated-json", "bad-binding", "junk"],
)
def test_not_an_endpoint_or_garbage(
    fake_http: Callable[..., str], cli: CLI, body: bytes, content_type: str, message: str
) -> None:
    assert_user_error(cli("query", "themes", "--endpoint", fake_http(body, content_type)), message)


def test_user_agent_and_no_credentials_on_the_command_line(cli: CLI) -> None:
    from coprodkg.remote import USER_AGENT

    assert USER_AGENT.startswith("coprodkg/")
    assert_user_error(
        cli("query", "themes", "--endpoint", "http://me:pw@127.0.0.1:1/sparql"), "COPRODKG_USER"
    )


# ---- serve ----------------------------------------------------------------------------------------


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("background", [False, True], ids=["terminal", "background-job"])
def test_serve_answers_sparqlwrapper_and_stops_on_ctrl_c(bundled: KnowledgeGraph, background: bool) -> None:
    """A shell starts background jobs with SIGINT ignored, and the server inherits that: the
    regression this guards against left the server running after the SIGINT."""
    from SPARQLWrapper import JSON, SPARQLWrapper

    process = subprocess.Popen(
        [sys.executable, "-m", "coprodkg", "serve", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ignore_sigint if background else None,
    )
    try:
        assert process.stderr is not None
        lines = []
        for line in process.stderr:
            lines.append(line)
            if "Ctrl-C" in line:
                break
        url = next(m.group(0) for m in (re.search(r"http://\S+/query", x) for x in lines) if m)
        assert url.startswith("http://127.0.0.1:")
        wrapper = SPARQLWrapper(url)
        wrapper.setReturnFormat(JSON)
        wrapper.setQuery("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        count = wrapper.query().convert()["results"]["bindings"][0]["n"]["value"]  # type: ignore[index]
        assert int(count) == len(bundled)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    with pytest.raises(urllib.error.URLError):
        SPARQLWrapper(url).query()
