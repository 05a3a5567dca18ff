"""info, show and search, written in SPARQL over any engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import URIRef

from coprodkg import KnowledgeGraph, load_graph
from coprodkg.errors import TermError
from coprodkg.lookup import describe, graph_info, resolve_term, search

from .conftest import Outcome, assert_user_error

DATA = Path(__file__).parent / "data"
CPKID = "https://w3id.org/coprodkg/id/"


def test_info_counts_classes_and_files(bundled: KnowledgeGraph) -> None:
    info = graph_info(bundled)
    assert info.triples == len(bundled)
    classes = {c: n for c, _, n in info.classes}
    assert classes["https://w3id.org/coprodkg/ns#Theme"] == 5
    assert len(info.graphs) == len(bundled.files())
    assert ("cpk", "https://w3id.org/coprodkg/ns#") in info.prefixes


@pytest.mark.parametrize("text", ["cpkid:theme-4", f"<{CPKID}theme-4>", "COLLECTIVE spaces for reflection"])
def test_resolve_term_accepts_curies_iris_and_labels(text: str, bundled: KnowledgeGraph) -> None:
    expected = "theme-4" if "theme-4" in text else "theme-5"
    assert resolve_term(bundled, text) == URIRef(CPKID + expected)


def test_resolve_term_errors() -> None:
    kg = load_graph([DATA / "incomplete"], bundled=False)
    with pytest.raises(TermError, match="ambiguous"):
        resolve_term(kg, "shared learning spaces")
    with pytest.raises(TermError, match="no resource is labelled"):
        resolve_term(kg, "nothing like this")
    with pytest.raises(TermError, match="nothing in the graph"):
        resolve_term(kg, "cpkid:no-such-thing")


def test_show_gives_relations_both_ways_with_sources(bundled: KnowledgeGraph) -> None:
    found = describe(bundled, URIRef(CPKID + "theme-4"))
    assert found.label.startswith("overcoming political and cultural barriers")
    assert found.definition
    assert found.status == "article"
    assert any(s.startswith("S1 ") for s in found.sources)
    assert {r.other_label for r in found.outgoing} >= {"political barriers", "cultural barriers"}
    assert found.incoming
    addresses = [c for c in found.claims if "political barriers" in c.statement]
    assert addresses and addresses[0].status == "article" and addresses[0].sources[0].startswith("S1")
    assert any(f.endswith("themes.ttl") for f in found.files)


def test_search_ignores_case_and_accents_and_ranks_labels_first() -> None:
    kg = load_graph([DATA / "mini"], bundled=False)
    hits = search(kg, "CAFE REFLEXION")
    assert [h.label for h in hits] == ["Café réflexion"]
    assert search(kg, "silos")[0].label == "Silo working"
    assert search(kg, "talk")[0].matched == "Teams that do not talk."
    assert search(kg, "   ") == []


def test_search_ranks_the_exact_label_first(bundled: KnowledgeGraph) -> None:
    hits = search(bundled, "absorptive capacity")
    assert hits[0].label == "absorptive capacity"
    assert all("claim" not in h.types for h in hits)


# ---- one node matcher for every command ---------------------------------------------------------

SAME_NODE = [
    "cpkid:co-production",
    f"<{CPKID}co-production>",
    "Co-Production of research  évidence",
    "CO-PRODUCTION",
]


@pytest.mark.parametrize("text", SAME_NODE)
def test_every_command_resolves_a_name_the_same_way(
    text: str, bundled: KnowledgeGraph, cli: Callable[..., Outcome], tmp_path: Path
) -> None:
    from coprodkg import neighbours, project, shortest_paths
    from coprodkg.lookup import resolve_node

    graph = project(bundled)
    wanted = CPKID + "co-production"
    assert str(resolve_term(bundled, text)) == wanted  # show
    assert resolve_node(graph, text) == wanted  # the explorer's data, path and neighbours on a projection
    assert {n.step.start for n in neighbours(bundled, text)} == {wanted}
    assert {n.step.start for n in neighbours(graph, text)} == {wanted}
    other = f"<{neighbours(graph, wanted)[0].iri}>"
    for source in (bundled, graph):
        paths = shortest_paths(source, text, other)
        assert paths and paths[0].steps[0].start == wanted
    assert "cpkid:co-production" in cli("show", text).stdout
    assert cli("neighbours", text).code == 0
    assert cli("path", text, other).code == 0
    assert cli("viz", "--focus", text, "-o", tmp_path / "x.html").code == 0


def test_a_label_two_studies_share_lists_both_with_their_study(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    from coprodkg import neighbours, project
    from coprodkg.errors import AmbiguousTermError
    from coprodkg.lookup import resolve_node

    generator = Path(__file__).parent.parent / "bench" / "generate_map.py"
    subprocess.run(
        [
            sys.executable,
            str(generator),
            "12",
            str(tmp_path / "map"),
        ]  # a copy of the seed beside the 11, check=True, capture_output=True
    )
    kg = load_graph([tmp_path / "map"])
    label = "capacity for sustained evidence use"
    expected = (
        (CPKID + "capacity-for-sustained-evidence-use", "S1"),
        (CPKID + "capacity-for-sustained-evidence-use--m1", "S1.1"),
    )
    resolvers: list[Callable[[], object]] = [
        lambda: resolve_term(kg, label),
        lambda: resolve_node(project(kg), label),
    ]
    for resolve in resolvers:
        with pytest.raises(AmbiguousTermError) as caught:
            resolve()
        assert caught.value.candidates == expected
        assert "cpkid:capacity-for-sustained-evidence-use--m1 (S1.1)" in str(caught.value)
    with pytest.raises(AmbiguousTermError):
        neighbours(kg, label)
    for args in (
        ["show", label],
        ["neighbours", label],
        ["path", label, "cpkid:theme-1"],
        ["viz", "--focus", label, "-o", tmp_path / "x.html"],
    ):
        outcome = cli(*args, "-s", tmp_path / "map")
        assert_user_error(outcome, "is ambiguous", "cpkid:capacity-for-sustained-evidence-use (S1)", "(S1.1)")


MY_PREFIX = """\
@prefix my: <https://example.org/mystudy#> .
@prefix cpk: <https://w3id.org/coprodkg/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
my:b1 a cpk:Barrier ; skos:prefLabel "my barrier one"@en ; cpk:hinders my:t1 .
my:t1 a cpk:Theme ; skos:prefLabel "my theme"@en .
my:s1 a cpk:Study ; skos:notation "M1" .
my:map a cpk:EvidenceMap ; cpk:seedStudy my:s1 ; cpk:includesStudy my:s1 .
"""
#: Every command that takes a term, given one with the prefix the user's file declares.
TERM_COMMANDS = {
    "show": ("show", "my:b1"),
    "neighbours": ("neighbours", "my:b1"),
    "path": ("path", "my:b1", "my:t1"),
    "viz --focus": ("viz", "--focus", "my:b1", "--depth", "1", "-o", "{tmp}/x.html"),
    "map --map": ("map", "--map", "my:map", "--summary"),
    "query -p": ("query", "-e", "SELECT ?l WHERE { ?t skos:prefLabel ?l }", "-p", "t=my:t1", "-f", "csv"),
    "query -e": ("query", "-e", "SELECT ?t WHERE { my:b1 cpk:hinders ?t }", "-f", "csv"),
}


@pytest.mark.parametrize("command", list(TERM_COMMANDS))
@pytest.mark.parametrize("where", ["files", "store"])
def test_your_files_prefixes_work_in_every_command_that_takes_a_term(
    command: str, where: str, cli: Callable[..., Outcome], tmp_path: Path
) -> None:
    mine = tmp_path / "my.ttl"
    mine.write_text(MY_PREFIX, encoding="utf-8")
    if where == "store":  # read back from the files the store was filled from
        assert cli("load", mine, "--no-bundled", "--store", tmp_path / "store").code == 0
        graph: tuple[str | Path, ...] = ("--store", tmp_path / "store")
    else:
        graph = ("-s", mine, "--no-bundled")
    args = [a.replace("{tmp}", str(tmp_path)) for a in TERM_COMMANDS[command]]
    outcome = cli(*args, *graph)
    assert outcome.code == 0, outcome.stderr
    assert "unknown prefix" not in outcome.stderr and "warning" not in outcome.stderr
    expected = {
        "show": "my barrier one",
        "neighbours": "my theme",
        "path": "1 step",
        "map --map": "1 studies",
        "query -p": "my theme",
        "query -e": "https://example.org/mystudy#t1",
    }
    assert expected.get(command, "") in outcome.stdout


def test_an_unknown_prefix_lists_the_ones_your_files_declare(tmp_path: Path) -> None:
    mine = tmp_path / "my.ttl"
    mine.write_text(MY_PREFIX, encoding="utf-8")
    with pytest.raises(TermError, match=r"unknown prefix zz:.* my, "):
        resolve_term(load_graph([mine], bundled=False), "zz:b1")
