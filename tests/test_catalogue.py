"""The catalogue: every bundled .rq has a header, parses, runs on the bundled graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from coprodkg import KnowledgeGraph
from coprodkg.catalogue import find_query, list_queries, parse_assignment, read_query, resolve_query
from coprodkg.errors import ParameterError, QueryError, UnknownQueryError
from coprodkg.resources import queries_dir

QUERIES = sorted(queries_dir().glob("*.rq"))


def test_there_is_a_catalogue() -> None:
    assert len(QUERIES) >= 10
    assert [q.name for q in list_queries()] == [p.stem for p in QUERIES]


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_every_query_has_a_header_and_runs(path: Path, bundled: KnowledgeGraph) -> None:
    query = read_query(path)
    assert query.title and query.title != path.stem, "a # title: line"
    assert len(query.description) > 20, "a # description: line"
    for param in query.parameters:
        assert param.description, f"parameter {param.name} needs a description"
        assert f"?{param.name}" in query.text, f"parameter {param.name} is not a variable of the query"
    result = bundled.query(query.text, query.bindings({}))
    assert len(result) > 0, "the query answers something on the bundled graph with its defaults"


def test_parameters_parse_as_terms_and_unknown_ones_are_refused() -> None:
    query = find_query("theme-barriers")
    assert query.bindings({"theme": "cpkid:theme-1"}) == {
        "theme": URIRef("https://w3id.org/coprodkg/id/theme-1")
    }
    with pytest.raises(ParameterError, match="no parameter 'colour'"):
        query.bindings({"colour": "red"})
    with pytest.raises(ParameterError, match="theme"):
        query.bindings({"theme": "<not an iri>"})


def test_unknown_names_suggest_close_ones() -> None:
    with pytest.raises(UnknownQueryError) as caught:
        find_query("theme-barrier")
    assert "theme-barriers" in caught.value.suggestions


def test_rq_files_can_be_run_by_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\n# param: n = 3 -- a number\nSELECT ?n WHERE { }\n", encoding="utf-8")
    query = resolve_query(str(path))
    assert query.title == "Mine"
    assert query.bindings({}) == {"n": Literal(3)}
    with pytest.raises(QueryError, match="no such query file"):
        resolve_query(str(tmp_path / "missing.rq"))


@pytest.mark.parametrize("text", ["theme", "=x", "two words=x"])
def test_malformed_assignments(text: str) -> None:
    with pytest.raises(ParameterError, match="NAME=VALUE") as raised:
        parse_assignment(text)
    assert "--param" not in str(raised.value)
