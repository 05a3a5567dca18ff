"""Finding files, formats by extension, one named graph per file, parse errors with positions."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from coprodkg.errors import ParseError, SourceError
from coprodkg.sources import collect_sources, file_graph, graph_path, load_file, parse_check

DATA = Path(__file__).parent / "data"


def test_folders_are_searched_recursively_and_other_files_skipped() -> None:
    found = collect_sources([DATA / "bad"])
    assert {p.name for p in found} == {
        "binary.ttl",
        "truncated.ttl",
        "undefined-prefix.ttl",
        "turtle-in-jsonld.jsonld",
    }
    assert found == sorted(found)


def test_a_named_file_must_exist_and_have_a_known_extension() -> None:
    with pytest.raises(SourceError, match="no such file"):
        collect_sources([DATA / "nope.ttl"])
    with pytest.raises(SourceError, match="unknown RDF format"):
        collect_sources([DATA / "bad" / "notes.txt"])


def test_the_same_file_twice_is_loaded_once() -> None:
    mini = DATA / "mini" / "mini.ttl"
    found = collect_sources([mini, DATA / "mini", mini])
    assert len(found) == 2
    assert set(found) == set(collect_sources([DATA / "mini"]))


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [
        ("binary.ttl", 1, ""),
        ("truncated.ttl", 3, "end of file"),
        ("undefined-prefix.ttl", 4, "nope:"),
        ("turtle-in-jsonld.jsonld", 1, ""),
    ],
)
def test_parse_errors_name_file_line_and_reason(name: str, line: int, fragment: str) -> None:
    path = DATA / "bad" / name
    with pytest.raises(ParseError) as caught:
        load_file(ox.Store(), path)
    error = caught.value
    assert error.path.resolve() == path.resolve()
    assert error.line == line
    assert fragment in error.reason
    assert "\n" not in str(error)
    with pytest.raises(ParseError):
        parse_check(path)


def test_a_failed_load_leaves_nothing_behind() -> None:
    store = ox.Store()
    with pytest.raises(ParseError):
        load_file(store, DATA / "bad" / "undefined-prefix.ttl")
    assert len(store) == 0


def test_each_file_gets_its_own_graph_and_quads_keep_theirs() -> None:
    store = ox.Store()
    loaded = load_file(store, DATA / "quads" / "two-graphs.trig")
    graphs = {g.value for g in store.named_graphs()}
    assert graphs == {file_graph(DATA / "quads" / "two-graphs.trig"), "https://example.org/q/g1"}
    assert loaded.triples == 1
    assert graph_path(loaded.graph) == (DATA / "quads" / "two-graphs.trig").resolve()
    assert graph_path("https://example.org/q/g1") is None
