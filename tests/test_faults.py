"""The fault suite: real processes meet bad files, hostile data, signals, full disks and outputs aimed
at inputs. Every case checks one line on stderr, the documented exit code, no traceback, and that
every input and store checksums the same before and after (a store by its content).

Add a case here for every fault found.
"""

from __future__ import annotations

import hashlib
import http.server
import os
import pty
import resource
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from coprodkg.engine import fill_store
from coprodkg.resources import ontology_dir

MINI = "@prefix ex: <https://example.org/f/> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
HOSTILE_LABEL = "evil \\u001b]0;owned\\u0007\\u001b[31m red"
TIMEOUT = 60


def coprodkg(
    *args: str | Path, cwd: Path | None = None, stdout: int | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "coprodkg", *map(str, args)],
        capture_output=stdout is None,
        stdout=stdout,
        stderr=subprocess.PIPE if stdout is not None else None,
        text=True,
        timeout=TIMEOUT,
        cwd=cwd,
        check=False,
    )


def one_line(run: subprocess.CompletedProcess[str], code: int, *fragments: str) -> str:
    """The run failed as documented: exit ``code``, one stderr line naming ``fragments``, no traceback."""
    lines = run.stderr.strip().splitlines()
    assert run.returncode == code, (run.returncode, run.stderr)
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("coprodkg: error: "), lines[0]
    assert "Traceback" not in run.stderr + (run.stdout or "")
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def store_digest(store: Path, scratch: Path) -> str:
    """A store's content checksum, read from a copy so the store itself is not even opened."""
    copy = scratch / f"copy-{time.monotonic_ns()}"
    shutil.copytree(store, copy)
    quads = sorted(str(q) for q in ox.Store(str(copy)))
    shutil.rmtree(copy)
    return hashlib.sha256("\n".join(quads).encode()).hexdigest()


def checksums(*paths: Path) -> dict[str, str]:
    """Every file under ``paths`` (files or folders) with its SHA-256; a store's diagnostic log
    (``LOG``, which RocksDB rotates whenever it opens a store, even to fail) is left out."""
    out = {}
    for path in paths:
        found = path.rglob("*") if path.is_dir() else [path]
        files = sorted(p for p in found if p.is_file() and not p.name.startswith("LOG"))
        out.update({str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files})
    return out


@pytest.fixture(autouse=True)
def bundled_untouched() -> Iterator[None]:
    """Every case: the bundled graph, an input of every run, checksums the same afterwards."""
    before = checksums(ontology_dir())
    yield
    assert checksums(ontology_dir()) == before


@pytest.fixture
def mini(tmp_path: Path) -> Iterator[Path]:
    """A small source; it checksums the same after the case."""
    path = tmp_path / "a.ttl"
    path.write_text(MINI + 'ex:a skos:prefLabel "A" .\nex:b skos:prefLabel "B" .\n', encoding="utf-8")
    before = checksums(path)
    yield path
    assert checksums(path) == before


@pytest.fixture
def store(tmp_path: Path, mini: Path) -> Path:
    """A filled store holding ``mini`` and one edit made by --update."""
    location = tmp_path / "S"
    kg = fill_store(location, [mini], bundled=False)
    kg.query('INSERT DATA { <https://example.org/f/c> <https://example.org/f/p> "edit" }', allow_update=True)
    kg.close()
    del kg
    return location


# ---- data loss ----------------------------------------------------------------------------------


@pytest.mark.parametrize("replace", [True, False], ids=["replace", "add"])
def test_a_failed_load_leaves_the_store_as_it_was(tmp_path: Path, store: Path, replace: bool) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(MINI + "ex:a ex:p .\n", encoding="utf-8")
    before = store_digest(store, tmp_path)
    run = coprodkg("load", "--store", store, *(["--replace"] if replace else []), "--no-bundled", bad)
    one_line(run, 2, "bad.ttl", "line 3", f"the store at {store} is unchanged")
    assert store_digest(store, tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".S.")) == []


def test_replace_swaps_in_the_new_content(tmp_path: Path, store: Path, mini: Path) -> None:
    other = tmp_path / "other.ttl"
    other.write_text(MINI + 'ex:z skos:prefLabel "Z" .\n', encoding="utf-8")
    run = coprodkg("load", "--store", store, "--replace", "--no-bundled", other)
    assert run.returncode == 0, run.stderr
    count = coprodkg("query", "--store", store, "-e", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "-f", "csv")
    assert count.stdout.split() == ["n", "1"], count.stderr


@pytest.mark.parametrize("link", ["hard", "symbolic"])
def test_an_output_linked_to_a_source_is_refused(tmp_path: Path, mini: Path, link: str) -> None:
    target = tmp_path / "b.ttl"
    (os.link if link == "hard" else os.symlink)(mini, target)
    before = checksums(mini)
    one_line(coprodkg("export", "--no-bundled", "-s", mini, "-o", target), 2, "b.ttl", "inputs being read")
    assert checksums(mini) == before


def test_the_bundled_graph_is_never_written(tmp_path: Path) -> None:
    before = checksums(ontology_dir())
    schema = ontology_dir() / "schema.ttl"
    one_line(coprodkg("export", "-o", schema), 2, "schema.ttl", "inputs being read")
    assert checksums(ontology_dir()) == before


@pytest.mark.parametrize("name", ["CURRENT", "new.ttl"])
def test_nothing_is_written_inside_a_store_being_read(tmp_path: Path, store: Path, name: str) -> None:
    before = store_digest(store, tmp_path)
    one_line(coprodkg("export", "--store", store, "-o", store / name), 2, name, "refusing to overwrite")
    assert store_digest(store, tmp_path) == before
    assert coprodkg("info", "--store", store).returncode == 0


@pytest.mark.parametrize("damage", ["CURRENT", "MANIFEST", "sst"])
def test_a_damaged_store_is_one_line(tmp_path: Path, store: Path, damage: str) -> None:
    if damage == "CURRENT":
        (store / "CURRENT").write_text("garbage\n")
    elif damage == "MANIFEST":
        next(store.glob("MANIFEST-*")).write_bytes(os.urandom(100))
    else:
        for sst in store.glob("*.sst"):
            with sst.open("r+b") as handle:
                handle.seek(64)
                handle.write(os.urandom(200))
    before = checksums(store)
    one_line(coprodkg("info", "--store", store), 2, str(store))
    assert checksums(store) == before


# ---- everything can be stopped ------------------------------------------------------------------


def _query_running(pid: int) -> bool:
    """The engine's worker thread has been alive for three looks in a row (a load's lasts an instant)."""
    for _ in range(3):
        if len(list(Path(f"/proc/{pid}/task").iterdir())) < 2:
            return False
        time.sleep(0.05)
    return True


def _interrupt_when(process: subprocess.Popen[str], ready: object) -> tuple[float, str]:
    """Send Ctrl-C once ``ready()`` holds; return how long the process took to end, and its stderr."""
    deadline = time.monotonic() + TIMEOUT
    while not ready():  # type: ignore[operator]
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    sent = time.monotonic()
    _, stderr = process.communicate(timeout=TIMEOUT)
    return time.monotonic() - sent, stderr


def _popen(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "coprodkg", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _many(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.writelines(f'<https://example.org/n/{i}> <https://example.org/p> "{i}" .\n' for i in range(count))
    return path


def test_ctrl_c_stops_a_runaway_local_query(tmp_path: Path) -> None:
    data = _many(tmp_path / "n.nt", 3000)
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 2.7e10 rows
    process = _popen("query", "--no-bundled", "-s", data, "-e", cross)
    took, stderr = _interrupt_when(process, lambda: _query_running(process.pid))
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == "coprodkg: error: interrupted"
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr
    assert took < 3, took  # within a second, with room for a loaded machine


def test_ctrl_c_stops_a_load_and_leaves_the_store(tmp_path: Path, store: Path) -> None:
    data = _many(tmp_path / "big.nt", 400_000)
    before = store_digest(store, tmp_path)
    process = _popen("load", "--store", store, "--no-bundled", data)
    took, stderr = _interrupt_when(process, lambda: any(tmp_path.glob(".S.*.new")))
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines() == ["coprodkg: error: interrupted"]
    assert took < 3, took
    assert store_digest(store, tmp_path) == before
    assert not any(tmp_path.glob(".S.*")), list(tmp_path.iterdir())


def test_concurrent_loads_take_turns_and_keep_both(tmp_path: Path, store: Path) -> None:
    big = _many(tmp_path / "big.nt", 200_000)
    small = tmp_path / "small.ttl"
    small.write_text(MINI + 'ex:s skos:prefLabel "S" .\n', encoding="utf-8")
    first = _popen("load", "--store", store, "--no-bundled", big)
    deadline = time.monotonic() + TIMEOUT
    while not any(tmp_path.glob(".S.*.new")):
        assert first.poll() is None and time.monotonic() < deadline, first.communicate()
        time.sleep(0.05)
    second = coprodkg("load", "--store", store, "--no-bundled", small)
    assert first.wait(timeout=TIMEOUT) == 0, first.communicate()
    assert second.returncode == 0, second.stderr
    graphs = coprodkg(
        "query", "--store", store, "-e", "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }", "-f", "csv"
    )
    assert {Path(g).name for g in graphs.stdout.split()[1:]} == {"a.ttl", "big.nt", "small.ttl"}, (
        graphs.stdout
    )


def test_timeout_cancels_a_local_query(tmp_path: Path) -> None:
    data = _many(tmp_path / "n.nt", 3000)
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    run = coprodkg("query", "--no-bundled", "-s", data, "-e", cross, "--timeout", "0.5")
    one_line(run, 2, "cancelled after 0.5 s")


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_sources_that_are_not_regular_files_are_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.ttl"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    one_line(coprodkg("info", "--no-bundled", "-s", path), 2, "x.ttl", "not a regular file")


# ---- crashes and tracebacks ---------------------------------------------------------------------


def test_a_query_nested_5000_deep_is_refused() -> None:
    deep = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000
    one_line(coprodkg("query", "--no-bundled", "-e", deep), 2, "deeper than 1000")


def test_a_literal_past_the_parser_buffer_is_one_line(tmp_path: Path) -> None:
    big = tmp_path / "big.ttl"
    big.write_text('<https://example.org/a> <https://example.org/p> "' + "x" * 17_000_000 + '" .\n')
    before = checksums(big)
    one_line(coprodkg("info", "--no-bundled", "-s", big), 2, "big.ttl", "16 MB", "COPRODKG_MAX_LITERAL_MB")
    assert checksums(big) == before
    query = ["query", "--no-bundled", "-s", big, "-e", "SELECT (STRLEN(?o) AS ?n) { ?s ?p ?o }", "-f", "csv"]
    raised = subprocess.run(
        [sys.executable, "-m", "coprodkg", *map(str, query)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "COPRODKG_MAX_LITERAL_MB": "32"},
        check=False,
    )
    assert raised.stdout.split() == ["n", "17000000"], raised.stderr
    assert checksums(big) == before


def test_a_full_stdout_is_one_line(mini: Path) -> None:
    with Path("/dev/full").open("w") as full:
        run = coprodkg("export", "--no-bundled", "-s", mini, stdout=full.fileno())
    one_line(run, 2, "no space left")


def test_a_write_cut_short_leaves_the_old_file(tmp_path: Path, mini: Path) -> None:
    """A file size limit makes the write fail part-way, as a full disk does: the old file stays."""
    old = tmp_path / "old.ttl"
    old.write_text("old\n")

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    run = subprocess.run(
        [sys.executable, "-m", "coprodkg", "export", "-o", old],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=limit,
        check=False,
    )
    one_line(run, 2, "cannot write", "old.ttl")
    assert old.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".old.ttl")] == []


# ---- resource bombs -----------------------------------------------------------------------------

RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://example.org/x/"'


def test_rdfxml_entity_expansion_is_refused(tmp_path: Path) -> None:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    entities[1] = '<!ENTITY lol1 "' + "&lol;" * 10 + '">'
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{chr(10).join(entities)}\n]>\n'
        f'<rdf:RDF {RDF}><rdf:Description rdf:about="https://example.org/x/a"><ex:p>&lol9;</ex:p>'
        "</rdf:Description></rdf:RDF>\n"
    )
    one_line(coprodkg("info", "--no-bundled", "-s", bomb), 2, "bomb.rdf", "entity")


def test_rdfxml_nested_too_deep_is_refused(tmp_path: Path) -> None:
    deep = tmp_path / "deep.rdf"
    inner = '<ex:p rdf:parseType="Resource">' * 50_000 + "</ex:p>" * 50_000
    deep.write_text(
        f'<rdf:RDF {RDF}><rdf:Description rdf:about="https://example.org/x/a">{inner}</rdf:Description></rdf:RDF>'
    )
    one_line(
        coprodkg("info", "--no-bundled", "-s", deep), 2, "deep.rdf", "deeper than 1000", "COPRODKG_MAX_DEPTH"
    )


# ---- no network unless asked --------------------------------------------------------------------


@pytest.fixture
def html_server() -> Iterator[tuple[str, list[str]]]:
    """A loopback server that answers every request with an HTML page, and records the requests."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self._answer()

        def _answer(self) -> None:
            seen.append(self.path)
            body = b"<html><body>not SPARQL</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", seen
    server.shutdown()
    server.server_close()


def test_service_without_allow_service_reaches_nothing(html_server: tuple[str, list[str]]) -> None:
    url, seen = html_server
    run = coprodkg("query", "--no-bundled", "-e", f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    one_line(run, 2, f"SERVICE <{url}>", "--allow-service")
    assert seen == []


def test_a_service_answering_html_is_one_line(html_server: tuple[str, list[str]]) -> None:
    url, seen = html_server
    run = coprodkg(
        "query", "--no-bundled", "--allow-service", "-e", f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    )
    one_line(run, 2, "the query failed")
    assert seen


# ---- output that attacks its reader -------------------------------------------------------------


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "hostile.ttl"
    path.write_text(
        MINI
        + f'ex:h skos:prefLabel "{HOSTILE_LABEL}" ; skos:definition "=HYPERLINK(\\"http://evil.example\\")" .\n'
        'ex:t skos:prefLabel "tab\\there\\nnew line" .\n',
        encoding="utf-8",
    )
    before = checksums(path)
    yield path
    assert checksums(path) == before


def _on_a_terminal(*args: str | Path) -> tuple[int, bytes]:
    """Run with stdout on a pseudo-terminal; return the exit code and what the terminal received."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "coprodkg", *map(str, args)], stdout=slave, stderr=subprocess.PIPE
    )
    os.close(slave)
    received = b""
    while True:
        ready, _, _ = select.select([master], [], [], TIMEOUT)
        assert ready, "no output from the process"
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        received += chunk
    os.close(master)
    return process.wait(timeout=TIMEOUT), received


@pytest.mark.parametrize(
    "args",
    [
        ["search", "evil"],
        ["show", "ex:h"],
        ["query", "-e", "SELECT ?l WHERE { ?s skos:prefLabel ?l }"],
    ],
    ids=["search", "show", "query"],
)
def test_control_characters_never_reach_a_terminal(hostile: Path, args: list[str]) -> None:
    if args[0] == "show":
        args = ["show", "<https://example.org/f/h>"]
    code, received = _on_a_terminal(*args, "--no-bundled", "-s", hostile)
    assert code == 0
    assert b"\x1b" not in received and b"\x07" not in received, received
    assert b"\\x1b" in received


def test_hostile_bytes_in_a_parse_error_are_escaped(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(b"<https://example.org/a> <https://example.org/p> \x1b[31m\x07 .\n")
    line = one_line(coprodkg("info", "--no-bundled", "-s", bad), 2, "bad.ttl")
    assert "\x1b" not in line and "\x07" not in line


def test_csv_neutralises_formulas_unless_raw(hostile: Path) -> None:
    query = "SELECT ?d WHERE { ?s skos:definition ?d }"
    safe = coprodkg("query", "--no-bundled", "-s", hostile, "-e", query, "-f", "csv")
    assert safe.stdout.splitlines()[1] == '"\'=HYPERLINK(""http://evil.example"")"'
    raw = coprodkg("query", "--no-bundled", "-s", hostile, "-e", query, "-f", "csv", "--raw")
    assert raw.stdout.splitlines()[1] == '"=HYPERLINK(""http://evil.example"")"'


def test_tsv_keeps_each_row_on_one_line(hostile: Path) -> None:
    query = "SELECT ?l WHERE { ?s skos:prefLabel ?l } ORDER BY ?l"
    run = coprodkg("query", "--no-bundled", "-s", hostile, "-e", query, "-f", "tsv")
    assert run.stdout.splitlines() == [
        "?l",
        '"evil \\u001B]0;owned\\u0007\\u001B[31m red"',
        '"tab\\there\\nnew line"',
    ]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_files_stay_valid_xml(tmp_path: Path, fmt: str) -> None:
    data = tmp_path / "theme.ttl"
    data.write_text(
        "@prefix cpk: <https://w3id.org/coprodkg/ns#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        f'<https://example.org/t/1> a cpk:Theme ; skos:prefLabel "{HOSTILE_LABEL}" .\n',
        encoding="utf-8",
    )
    out = tmp_path / f"net.{fmt}"
    run = coprodkg("export", "-s", data, "-f", fmt, "-o", out)
    assert run.returncode == 0, run.stderr
    ET.parse(out)  # raises on a character XML forbids
    assert "evil" in out.read_text(encoding="utf-8")


# ---- say what happened --------------------------------------------------------------------------


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.ttl"
    path.write_bytes(b"\xef\xbb\xbf" + (MINI + 'ex:a skos:prefLabel "A" .\n').encode())
    run = coprodkg(
        "query", "--no-bundled", "-s", path, "-e", "SELECT ?l { ?s skos:prefLabel ?l }", "-f", "csv"
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["l", "A"]


def test_a_folder_without_rdf_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("no RDF here")
    one_line(coprodkg("validate", "--no-bundled", "-s", tmp_path), 2, str(tmp_path), ".ttl", ".jsonld")


def test_a_symlink_is_judged_by_the_name_given(tmp_path: Path, mini: Path) -> None:
    backup = tmp_path / "x.ttl.bak"
    shutil.copy(mini, backup)
    current = tmp_path / "current.ttl"
    current.symlink_to(backup)
    run = coprodkg(
        "query", "--no-bundled", "-s", current, "-e", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "-f", "csv"
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["n", "2"]


def test_an_undeclared_prefix_is_named() -> None:
    run = coprodkg("query", "--no-bundled", "-e", "SELECT * WHERE { ?s a ex:Thing OPTIONAL { ?s ?p ?o } }")
    one_line(run, 2, "prefix ex:", "PREFIX ex:")
