"""The embedded engine: loading, on-disk stores, queries of every kind, read-only by default."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from coprodkg import KnowledgeGraph, load_graph
from coprodkg.choices import ResultKind
from coprodkg.engine import fill_store, serialize_graph
from coprodkg.errors import (
    QueryError,
    QueryLimitError,
    QuerySyntaxError,
    QueryTimeoutError,
    SourceError,
    StoreError,
)
from coprodkg.resources import ontology_dir
from coprodkg.sources import collect_sources

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
    with pytest.raises(Exception, match="cannot parse"):
        fill_store(location, [DATA / "bad" / "truncated.ttl"], bundled=False)
    assert len(load_graph(store=location)) == 9


def test_store_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        load_graph(store=tmp_path / "missing")
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="folder"):
        load_graph(store=tmp_path / "file")
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
