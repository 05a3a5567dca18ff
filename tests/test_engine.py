"""The embedded engine: loading, on-disk stores, queries of every kind, read-only by default."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from coprodkg import KnowledgeGraph, load_graph
from coprodkg.engine import fill_store, serialize_graph
from coprodkg.errors import (
    ParseError,
    QueryError,
    QueryLimitError,
    QuerySyntaxError,
    QueryTimeoutError,
    SourceError,
    StoreError,
)
from coprodkg.formats import ResultKind
from coprodkg.resources import ontology_dir
from coprodkg.sources import collect_sources

from .conftest import Outcome

DATA = Path(__file__).parent / "data"
MINI = "https://example.org/mini/"


def test_bundled_graph_holds_every_bundled_file(bundled: KnowledgeGraph) -> None:
    files = {f.path for f in bundled.files()}
    assert files == set(collect_sources([ontology_dir()]))
    assert sum(f.triples for f in bundled.files()) >= len(bundled) > 1000


def test_sources_add_to_the_bundled_graph_and_no_bundled_leaves_it_out(bundled: KnowledgeGraph) -> None:
    both = load_graph([DATA / "mini"])
    alone = load_graph([DATA / "mini"], bundled=False)
    assert len(both) == len(bundled) + len(alone)
    assert len(alone) == 9


def test_select_ask_construct() -> None:
    kg = load_graph([DATA / "mini"], bundled=False)
    select = kg.query("SELECT ?l WHERE { ?t a cpk:Theme ; skos:prefLabel ?l }")
    assert select.kind is ResultKind.SELECT
    assert select.vars == ("l",)
    assert select.column("l") == [Literal("Café réflexion")]
    assert kg.query("ASK { ?b a cpk:Barrier }").boolean is True
    graph = kg.query("CONSTRUCT { ?t cpk:addresses ?b } WHERE { ?t cpk:addresses ?b }")
    assert graph.kind is ResultKind.GRAPH
    assert graph.triples == (
        (URIRef(MINI + "t1"), URIRef("https://w3id.org/coprodkg/ns#addresses"), URIRef(MINI + "b1")),
    )


def test_bindings_bind_variables() -> None:
    kg = load_graph([DATA / "mini"], bundled=False)
    result = kg.query("SELECT ?l WHERE { ?x skos:prefLabel ?l }", {"x": URIRef(MINI + "b1")})
    assert result.column("l") == [Literal("Silo working")]


def test_syntax_errors_give_a_position() -> None:
    kg = load_graph([], bundled=False)
    with pytest.raises(QuerySyntaxError, match=r"line 1, column \d+"):
        kg.query("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QuerySyntaxError, match="prefix"):
        kg.query("SELECT * WHERE { ?s a nope:Thing }")


def test_updates_are_refused_unless_asked_and_never_touch_files(tmp_path: Path) -> None:
    source = tmp_path / "mini.ttl"
    shutil.copy(DATA / "mini" / "mini.ttl", source)
    before = source.read_bytes()
    kg = load_graph([source], bundled=False)
    with pytest.raises(QueryError, match="read-only"):
        kg.query("DELETE WHERE { ?s ?p ?o }")
    assert len(kg) == 8
    kg.query("PREFIX x: <https://e.org/>\nDELETE WHERE { GRAPH ?g { ?s ?p ?o } }", allow_update=True)
    assert len(kg) == 0
    assert source.read_bytes() == before


def test_store_fill_add_reload_replace(tmp_path: Path) -> None:
    location = tmp_path / "store"
    kg = fill_store(location, [DATA / "mini" / "mini.ttl"], bundled=False)
    assert len(kg) == 8
    kg.close()
    del kg
    # adding another file keeps the first; loading the same file again does not duplicate it
    kg = fill_store(location, [DATA / "mini"], bundled=False)
    assert len(kg) == 9
    del kg
    reopened = load_graph(store=location)
    assert len(reopened) == 9
    assert {f.path.name for f in reopened.files()} == {"mini.ttl", "extra.nt"}
    del reopened
    replaced = fill_store(location, [DATA / "mini" / "extra.nt"], bundled=False, replace=True)
    assert len(replaced) == 1


def test_a_bad_file_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    location = tmp_path / "store"
    fill_store(location, [DATA / "mini"], bundled=False).close()
    with pytest.raises(ParseError, match="cannot parse"):
        fill_store(location, [DATA / "bad" / "truncated.ttl"], bundled=False)
    assert len(load_graph(store=location)) == 9


def test_store_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        load_graph(store=tmp_path / "missing")
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="a store must be a folder") as raised:
        load_graph(store=tmp_path / "file")
    assert "--store" not in str(raised.value)
    (tmp_path / "notastore").mkdir()
    (tmp_path / "notastore" / "precious.txt").write_text("keep me")
    with pytest.raises(StoreError, match="not an Oxigraph store"):
        fill_store(tmp_path / "notastore", [DATA / "mini"], bundled=False)
    assert (tmp_path / "notastore" / "precious.txt").read_text() == "keep me"


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig", "nq"])
def test_serialize_round_trips(fmt: str, tmp_path: Path) -> None:
    kg = load_graph([DATA / "mini"], bundled=False)
    out = tmp_path / f"out.{fmt}"
    out.write_bytes(serialize_graph(kg, fmt))
    again = load_graph([out], bundled=False)
    assert len(again) == len(kg)


def test_store_and_sources_together_are_refused(tmp_path: Path) -> None:
    location = tmp_path / "store"
    fill_store(location, [DATA / "mini"], bundled=False).close()
    with pytest.raises(SourceError, match="leave out --source"):
        load_graph([DATA / "bad" / "truncated.ttl"], store=location)


def test_reading_never_turns_a_folder_into_a_store(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "keep.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(StoreError, match="not an Oxigraph store"):
        load_graph(store=folder)
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"]


def test_syntax_error_lines_count_from_the_users_text() -> None:
    kg = load_graph([], bundled=False)
    with pytest.raises(QuerySyntaxError, match="line 3,"):
        kg.query("SELECT ?t WHERE {\n  ?t a cpk:Theme ; skos:prefLabel ?l ; rdfs:label ?x .\n  FILTER( }")


def test_a_failing_service_call_is_a_query_error() -> None:
    kg = load_graph([], bundled=False)
    kg.allow_service = True
    with pytest.raises(QueryError, match="the query failed"):
        kg.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")


@pytest.mark.parametrize(
    ("sparql", "named"),
    [
        (
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
            "SERVICE <http://127.0.0.1:9/sparql>",
        ),
        (
            "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/q> { ?s ?p ?o } }",
            "SERVICE <http://127.0.0.1:9/q>",
        ),
        ("select * where { service ?where { ?s ?p ?o } }", "SERVICE ?where"),
    ],
)
def test_service_needs_to_be_allowed(sparql: str, named: str) -> None:
    kg = load_graph([], bundled=False)
    with pytest.raises(QueryLimitError, match=re.escape(named)):
        kg.query(sparql)


def test_file_iris_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.ttl"
    secret.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    kg = load_graph([], bundled=False)
    kg.allow_service = True
    with pytest.raises(QueryLimitError, match="file: IRIs are never read"):
        kg.query(f"LOAD <{secret.as_uri()}>", allow_update=True)
    with pytest.raises(QueryLimitError, match="file: IRIs are never read"):
        kg.query(f"SELECT * {{ SERVICE <{secret.as_uri()}> {{ ?s ?p ?o }} }}")
    assert len(kg) == 0


def test_words_in_strings_and_comments_are_not_service_calls() -> None:
    kg = load_graph([], bundled=False)
    result = kg.query('SELECT ("SERVICE <http://x>" AS ?s) WHERE { # SERVICE <http://y>\n}')
    assert len(result) == 1


def test_a_query_nested_too_deep_is_refused_before_the_engine() -> None:
    kg = load_graph([], bundled=False)
    deep = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000
    with pytest.raises(QueryLimitError, match="deeper than 1000"):
        kg.query(deep)
    assert len(kg.query("SELECT * WHERE " + "{" * 900 + "?s ?p ?o" + "}" * 900)) == 0


def test_an_undeclared_prefix_is_named() -> None:
    kg = load_graph([], bundled=False)
    with pytest.raises(QuerySyntaxError, match="prefix ex: \\(line 2\\)"):
        kg.query("SELECT * WHERE {\n ?s a ex:Thing OPTIONAL { ?s ?p ?o } }")


def test_a_local_query_past_its_timeout_is_cancelled() -> None:
    kg = load_graph()
    kg.timeout = 0.3
    start = time.monotonic()
    with pytest.raises(QueryTimeoutError, match=r"cancelled after 0\.3 s"):
        kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert time.monotonic() - start < 5  # cancelled, not run to the end (minutes)


def test_relative_iris_resolve_against_the_file(tmp_path: Path) -> None:
    path = tmp_path / "relative.ttl"
    path.write_text("<#a> <#p> <other.ttl#b> .\n", encoding="utf-8")
    kg = load_graph([path], bundled=False)
    (subject,) = kg.query("SELECT ?s WHERE { ?s ?p ?o }").column("s")
    assert str(subject) == path.resolve().as_uri() + "#a"


SHARED = "@prefix ex: <https://example.org/s/> .\nex:a ex:p ex:b .\n"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _two_files(tmp_path: Path, second: str = "") -> list[Path]:
    """Two files stating the same triple (the second one more besides)."""
    files = [tmp_path / "d1.ttl", tmp_path / "d2.ttl"]
    files[0].write_text(SHARED, encoding="utf-8")
    files[1].write_text(SHARED + second, encoding="utf-8")
    return files


def _count(kg: KnowledgeGraph, where: str = "?s ?p ?o") -> int:
    return int(kg.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows[0][0].toPython())  # type: ignore[union-attr]


def test_a_triple_two_files_state_is_counted_once(cli: Callable[..., Outcome], tmp_path: Path) -> None:
    """Regression: Oxigraph's union default graph gave a shared triple once per file (COUNT 2)."""
    files = _two_files(tmp_path)
    outcome = cli("--no-bundled", "-s", files[0], "-s", files[1], "query", "-e", COUNT, "-f", "csv")
    assert outcome.stdout.splitlines() == ["n", "1"]
    kg = load_graph(files, bundled=False)
    assert len(kg) == 1 and _count(kg) == 1
    assert _count(kg, "GRAPH ?g { ?s ?p ?o }") == 2, "each file still states it"
    assert [f.triples for f in kg.files()] == [1, 1]
    store = tmp_path / "store"
    assert cli("--no-bundled", "load", *files, "--store", store).code == 0
    outcome = cli("query", "--store", store, "-e", COUNT, "-f", "csv")
    assert outcome.stdout.splitlines() == ["n", "1"]
    assert serialize_graph(load_graph(store=store), "nt").count(b"\n") == 1


def test_a_store_an_older_version_filled_is_merged_once(tmp_path: Path) -> None:
    """A store holding only the files' graphs (as coprodkg filled them before) answers each triple once."""
    import pyoxigraph as ox

    files = _two_files(tmp_path)
    location = tmp_path / "old"
    old = ox.Store(str(location))
    for f in files:
        old.load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f.resolve().as_uri()))
    old.flush()
    del old
    kg = load_graph(store=location)
    assert _count(kg) == 1
    assert _count(kg, "GRAPH ?g { ?s ?p ?o }") == 2
    del kg
    assert len(fill_store(location, [files[0]], bundled=False)) == 1


def test_the_merge_follows_updates_and_reloads(tmp_path: Path) -> None:
    files = _two_files(tmp_path, "ex:c ex:p ex:d .\n")
    kg = load_graph(files, bundled=False)
    second = f"<{files[1].resolve().as_uri()}>"
    # out of one file's graph: the other file still states it, so queries still see it
    kg.query(f"DELETE DATA {{ GRAPH {second} {{ <https://example.org/s/a> <https://example.org/s/p> <https://example.org/s/b> }} }}", allow_update=True)  # fmt: skip
    assert _count(kg) == 2
    # out of the only file that states it: gone
    kg.query(f"DELETE DATA {{ GRAPH {second} {{ <https://example.org/s/c> <https://example.org/s/p> <https://example.org/s/d> }} }}", allow_update=True)  # fmt: skip
    assert _count(kg) == 1
    # added outside any file's graph: seen, and kept by later updates of files' graphs
    kg.query("INSERT DATA { <urn:x> <urn:y> <urn:z> }", allow_update=True)
    kg.query(f"CLEAR GRAPH {second}", allow_update=True)
    assert _count(kg) == 2
    # a file loaded again into a store drops from the merge what it no longer states
    location = tmp_path / "store"
    fill_store(location, files, bundled=False).close()
    files[1].write_text(SHARED, encoding="utf-8")
    assert len(fill_store(location, [files[1]], bundled=False)) == 1
