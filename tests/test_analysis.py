"""Network analysis: metrics, communities, paths, neighbours and the network files, in Python and
on the command line, on a tiny hand-written network and on the bundled graph."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest

from coprodkg import KnowledgeGraph, analyse, load_graph, neighbours, project, shortest_paths, write_network
from coprodkg.analysis import render_metrics, render_network
from coprodkg.errors import OutputError, TermError
from coprodkg.resources import ontology_dir

from .conftest import DATA, Outcome, assert_user_error

Run = Callable[..., Outcome]
NETWORK = DATA / "network.ttl"
EX = "https://example.org/network/"
# the tiny network on the command line: the schema (for relation labels and status names) and the file
SMALL = ["--no-bundled", "-s", str(ontology_dir() / "schema.ttl"), "-s", str(NETWORK)]


@pytest.fixture(scope="module")
def small() -> KnowledgeGraph:
    return load_graph([ontology_dir() / "schema.ttl", NETWORK], bundled=False)


@pytest.fixture(scope="module")
def network(bundled: KnowledgeGraph) -> nx.MultiDiGraph:
    return project(bundled)


# ---- metrics and communities -------------------------------------------------------------------


@pytest.fixture(scope="module")
def map_of_22(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("map")
    generator = Path(__file__).parent.parent / "bench" / "generate_map.py"
    # the eleven bundled studies and one renamed copy of each
    subprocess.run([sys.executable, str(generator), "22", str(folder)], check=True, capture_output=True)
    return project(load_graph([folder]))


@pytest.mark.parametrize("which", ["bundled", "22 studies"])
def test_the_fast_measures_are_networkx_s(
    which: str, network: nx.MultiDiGraph, map_of_22: nx.MultiDiGraph
) -> None:
    graph = network if which == "bundled" else map_of_22
    simple = nx.Graph()
    simple.add_nodes_from(graph)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    metrics = {m.iri: m for m in analyse(graph)}
    betweenness = nx.betweenness_centrality(simple)
    pagerank = nx.pagerank(simple)
    assert max(abs(metrics[n].betweenness - betweenness[n]) for n in graph) < 1e-9
    assert max(abs(metrics[n].pagerank - pagerank[n]) for n in graph) < 1e-5
    assert all(metrics[n].degree == graph.degree(n) for n in graph)
    ours: dict[int, set[str]] = {}
    for m in metrics.values():
        ours.setdefault(m.community, set()).add(m.iri)
    theirs = nx.community.louvain_communities(simple, seed=1)
    assert nx.community.modularity(simple, ours.values()) == pytest.approx(
        nx.community.modularity(simple, theirs), abs=0.03
    )
    assert analyse(graph) == analyse(graph)  # the same communities every time


def test_metrics_on_the_small_network(small: KnowledgeGraph) -> None:
    metrics = {m.label: m for m in analyse(small)}
    assert len(metrics) == 8
    assert metrics["durable evidence use"].degree == 3
    assert metrics["island concept"].degree == metrics["island concept"].betweenness == 0
    assert metrics["bridging work"].betweenness > metrics["alpha researchers"].betweenness > 0
    assert metrics["bridging work"].community == metrics["council staff"].community
    assert metrics["island concept"].community not in {
        m.community for k, m in metrics.items() if k != "island concept"
    }
    assert metrics["bridging work"].kind == "mechanism"
    assert metrics["bridging work"].iri == EX + "bridging"


def test_analyse_ranks_the_bundled_graph(bundled: KnowledgeGraph, network: nx.MultiDiGraph) -> None:
    metrics = analyse(bundled)
    assert len(metrics) == network.number_of_nodes() > 50
    assert [m.betweenness for m in metrics] == sorted((m.betweenness for m in metrics), reverse=True)
    assert sum(m.pagerank for m in metrics) == pytest.approx(1.0)
    assert all(0 <= m.betweenness <= 1 and m.community >= 1 for m in metrics)
    assert all(m.degree == network.degree(m.iri) for m in metrics)
    # the map's rows join the studies, so a shared concept lies on the most paths: "embedded
    # researchers", aligned from several studies (before shared concepts were in the network, LACoR)
    assert metrics[0].iri == "https://w3id.org/coprodkg/id/map-embedded-researchers"
    assert metrics[0].kind == "shared"
    assert metrics[0].betweenness > 0.05
    assert analyse(network, top=5) == metrics[:5]


@pytest.mark.parametrize("by", ["betweenness", "pagerank", "degree"])
def test_rank_by_each_metric(network: nx.MultiDiGraph, by: str) -> None:
    values = [getattr(m, by) for m in analyse(network, by=by)]
    assert values == sorted(values, reverse=True)


def test_unknown_ranking_is_refused(network: nx.MultiDiGraph) -> None:
    with pytest.raises(ValueError, match="cannot rank by"):
        analyse(network, by="fame")


def test_communities_are_deterministic_whatever_the_node_order(network: nx.MultiDiGraph) -> None:
    reordered = nx.MultiDiGraph()
    reordered.add_nodes_from(reversed(list(network.nodes(data=True))))
    reordered.add_edges_from(reversed(list(network.edges(keys=True, data=True))))
    first = {m.iri: m.community for m in analyse(network)}
    assert first == {m.iri: m.community for m in analyse(reordered)}
    assert 1 < len(set(first.values())) < len(first)


def test_an_empty_network_has_no_metrics() -> None:
    assert analyse(nx.MultiDiGraph()) == []


# ---- paths -------------------------------------------------------------------------------------


def test_path_steps_carry_relation_direction_status_and_sources(small: KnowledgeGraph) -> None:
    [path] = shortest_paths(small, "alpha researchers", "durable evidence use")
    assert path.labels == ["alpha researchers", "bridging work", "durable evidence use"]
    first, second = path
    assert (first.relation, first.direction, first.status) == ("involves", "backward", "article")
    assert (second.relation, second.direction) == ("supports", "forward")
    assert first.sources == second.sources == ("S9 A test article",)
    assert str(first) == "alpha researchers ←involves— bridging work"
    assert str(second) == "bridging work —supports→ durable evidence use"


def test_all_gives_every_shortest_path_best_evidenced_first(small: KnowledgeGraph) -> None:
    paths = shortest_paths(small, "alpha researchers", "durable evidence use", all_paths=True)
    assert [p.labels[1] for p in paths] == ["bridging work", "gathering together"]
    assert [s.status for s in paths[1]] == ["project", "interpretation"]
    assert len(shortest_paths(small, "alpha researchers", "silo working", all_paths=True)) == 2


@pytest.mark.parametrize("term", ["alpha researchers", "ALPHA Researchers", "alphas", f"<{EX}alpha>"])
def test_terms_by_label_alternative_label_or_iri(small: KnowledgeGraph, term: str) -> None:
    [path] = shortest_paths(small, term, "council staff")
    assert path.labels == ["alpha researchers", "bridging work", "council staff"]


def test_paths_on_a_projection_resolve_curies_and_labels(network: nx.MultiDiGraph) -> None:
    [path] = shortest_paths(network, "cpkid:academic-researchers", "Local Authority Staff")
    assert path.labels[-1] == "local authority staff"


def test_no_path_gives_nothing(small: KnowledgeGraph) -> None:
    assert shortest_paths(small, "alpha researchers", "island concept") == []


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("nobody", "council staff", "no resource is labelled 'nobody'"),
        ("alphas", "alpha researchers", "same resource"),
        (f"<{EX}c1>", "council staff", "not part of the network"),
    ],
)
def test_bad_terms_are_term_errors(small: KnowledgeGraph, start: str, end: str, message: str) -> None:
    with pytest.raises(TermError, match=message):
        shortest_paths(small, start, end)


def test_bad_terms_on_a_projection(network: nx.MultiDiGraph) -> None:
    with pytest.raises(TermError, match="no node of the network"):
        shortest_paths(network, "nobody at all", "local authority staff")


def test_the_bundled_chain_from_academics_to_sustained_evidence_use(bundled: KnowledgeGraph) -> None:
    [path] = shortest_paths(bundled, "academic researchers", "capacity for sustained evidence use")
    assert path.labels[0] == "academic researchers"
    assert path.labels[-1] == "capacity for sustained evidence use"
    assert "iterative, interactive co-production with external partners" in path.labels
    assert path.steps[-1].relation == "supports"
    assert all(step.sources and step.status for step in path)


# ---- neighbours --------------------------------------------------------------------------------


def test_neighbours_by_depth(small: KnowledgeGraph) -> None:
    near = neighbours(small, "durable evidence use")
    assert [n.label for n in near] == ["silo working", "bridging work", "gathering together"]
    assert {n.distance for n in near} == {1}
    further = neighbours(small, "durable evidence use", depth=2)
    assert {(n.distance, n.label) for n in further if n.distance == 2} == {
        (2, "alpha researchers"),
        (2, "council staff"),
    }
    assert all(n.step.end == n.iri and n.step.sources for n in further)
    assert neighbours(small, "island concept", depth=3) == []


def test_neighbours_depth_must_be_positive(small: KnowledgeGraph) -> None:
    with pytest.raises(ValueError, match="depth"):
        neighbours(small, "island concept", depth=0)


# ---- network files -----------------------------------------------------------------------------


def test_graphml_reads_back_with_the_same_counts(network: nx.MultiDiGraph, tmp_path: Path) -> None:
    [file] = write_network(network, tmp_path / "net.graphml", "graphml")
    back = nx.read_graphml(file)
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        network.number_of_nodes(),
        network.number_of_edges(),
    )
    node = back.nodes["https://w3id.org/coprodkg/id/academic-researchers"]
    assert node["label"] == "academic researchers" and node["kind"] == "actor"
    assert "; " in node["sources"]
    assert len({key for *_, key in back.edges(keys=True)}) == back.number_of_edges()  # Gephi needs unique ids
    assert {d["predicate"] for *_, d in back.edges(data=True)} == {
        d["predicate"] for *_, d in network.edges(data=True)
    }


def test_gexf_reads_back_with_the_same_counts(network: nx.MultiDiGraph, tmp_path: Path) -> None:
    [file] = write_network(network, tmp_path / "net.gexf", "gexf")
    back = nx.read_gexf(file)
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        network.number_of_nodes(),
        network.number_of_edges(),
    )


def test_csv_files_have_headers_gephi_recognises(network: nx.MultiDiGraph, tmp_path: Path) -> None:
    nodes, edges = write_network(network, tmp_path / "net.csv", "csv")
    assert (nodes.name, edges.name) == ("net-nodes.csv", "net-edges.csv")
    with nodes.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:6] == ["Id", "Label", "kind", "status", "sources", "definition"]
    assert len(rows) == network.number_of_nodes()
    with edges.open(encoding="utf-8") as f:
        edge_rows = list(csv.DictReader(f))
    assert list(edge_rows[0]) == ["Source", "Target", "Type", "Label", "predicate", "status", "sources"]
    assert len(edge_rows) == network.number_of_edges()


def test_network_file_errors(network: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="unknown network format"):
        write_network(network, tmp_path / "net.dot", "dot")
    with pytest.raises(OutputError, match="is a folder"):
        write_network(network, tmp_path, "graphml")
    with pytest.raises(OutputError, match="give an output path"):
        render_network(network, "csv")
    with pytest.raises(OutputError, match="give a PREFIX, not stdout") as raised:
        write_network(network, "-", "csv")
    assert "-o" not in str(raised.value)  # the library names no CLI flag
    with pytest.raises(OutputError, match=r"is a folder: give a file prefix") as raised:
        write_network(network, tmp_path, "csv")
    assert not str(raised.value).startswith("-o")


def test_metrics_renderings(small: KnowledgeGraph) -> None:
    metrics = analyse(small)
    table = render_metrics(metrics).splitlines()
    assert table[0].split() == ["rank", "label", "kind", "degree", "betweenness", "pagerank", "community"]
    assert len(table) == 2 + len(metrics)
    rows = list(csv.DictReader(render_metrics(metrics, "csv").splitlines()))
    assert rows[0]["label"] == metrics[0].label
    assert json.loads(render_metrics(metrics, "json"))[0]["iri"] == metrics[0].iri


# ---- the command line --------------------------------------------------------------------------


def test_cli_analyse(cli: Run, tmp_path: Path) -> None:
    table = cli("analyse")
    assert table.code == 0

    def ranked(text: str) -> int:  # wrapped cells continue on lines that start with spaces
        return sum(1 for line in text.splitlines()[2:] if line[:1].isdigit())

    assert ranked(table.stdout) == 20
    assert ranked(cli("analyse", "--top", "5", "--by", "degree").stdout) == 5
    full = json.loads(cli("analyse", "-f", "json").stdout)
    assert len(full) > 50 and {"iri", "label", "betweenness", "pagerank", "community"} <= set(full[0])
    out = tmp_path / "metrics.csv"
    assert cli("analyse", "-f", "csv", "-o", out, *SMALL).code == 0
    assert out.read_text(encoding="utf-8").startswith(
        "rank,iri,label,kind,degree,betweenness,pagerank,community\n"
    )


def test_cli_path_done_when(cli: Run) -> None:
    """`coprodkg path` links academic researchers to sustained evidence use, each step with its source."""
    outcome = cli("path", "academic researchers", "capacity for sustained evidence use")
    assert outcome.code == 0, outcome.stderr
    lines = outcome.stdout.splitlines()
    assert lines[0].startswith("academic researchers → capacity for sustained evidence use:")
    steps = [i for i, line in enumerate(lines) if line.lstrip()[:2].rstrip(".").isdigit()]
    assert len(steps) >= 2
    for i in steps:
        assert "—" in lines[i]
        assert lines[i + 1].strip().startswith("[") and "S1 " in lines[i + 1]


def test_cli_path_all_and_json(cli: Run) -> None:
    outcome = cli("path", "alphas", "durable evidence use", "--all", *SMALL)
    assert outcome.code == 0
    assert "Path 1 of 2" in outcome.stdout and "Path 2 of 2" in outcome.stdout
    data = json.loads(cli("path", "alphas", "council staff", "-f", "json", *SMALL).stdout)
    assert [s["relation"] for s in data[0]["steps"]] == ["involves", "involves"]


def test_cli_no_path_exits_1(cli: Run) -> None:
    outcome = cli("path", "alpha researchers", "island concept", *SMALL)
    assert outcome.code == 1
    assert outcome.stdout == ""
    assert (
        outcome.stderr.strip()
        == "coprodkg: no path links 'alpha researchers' and 'island concept' in the graph"
    )


def test_cli_neighbours(cli: Run) -> None:
    outcome = cli("neighbours", "durable evidence use", "--depth", "2", *SMALL)
    assert outcome.code == 0
    assert "council staff" in outcome.stdout and "bridging work —involves→ council staff" in outcome.stdout
    data = json.loads(cli("neighbours", "council staff", "-f", "json", *SMALL).stdout)
    assert [(n["label"], n["distance"]) for n in data] == [("bridging work", 1)]


def test_cli_export_network_formats(cli: Run, tmp_path: Path, network: nx.MultiDiGraph) -> None:
    graphml = tmp_path / "kg.graphml"
    assert cli("export", "-f", "graphml", "-o", graphml).code == 0
    assert nx.read_graphml(graphml).number_of_edges() == network.number_of_edges()
    gexf = cli("export", "-f", "gexf", *SMALL)
    assert gexf.code == 0 and gexf.stdout.startswith("<?xml")
    with_provenance = tmp_path / "prov.graphml"
    assert cli("export", "-f", "graphml", "--provenance", "-o", with_provenance, *SMALL).code == 0
    assert nx.read_graphml(with_provenance).number_of_edges() > 6
    outcome = cli("export", "-f", "csv", "-o", tmp_path / "kg", *SMALL)
    assert outcome.code == 0
    assert (tmp_path / "kg-nodes.csv").read_text(encoding="utf-8").startswith("Id,Label,")
    assert (tmp_path / "kg-edges.csv").read_text(encoding="utf-8").startswith("Source,Target,Type,Label,")
    assert "kg-nodes.csv" in outcome.stderr


def test_cli_export_rdf_still_works(cli: Run) -> None:
    outcome = cli("export", "-f", "nt", *SMALL)
    assert outcome.code == 0 and "<https://example.org/network/alpha>" in outcome.stdout


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["path", "nobody", "council staff", *SMALL], ["nobody"]),
        (["path", "alphas", "alpha researchers", *SMALL], ["same resource"]),
        (["neighbours", "council staff", "--depth", "0", *SMALL], ["--depth"]),
        (["neighbours", "nobody", *SMALL], ["nobody"]),
        (["analyse", "--top", "0", *SMALL], ["--top"]),
        (["analyse", "--by", "fame", *SMALL], ["fame"]),
        (["analyse", "-f", "xml", *SMALL], ["xml"]),
        (["export", "-f", "csv", *SMALL], ["-o PREFIX"]),
        (["path", "alphas"], ["TO"]),
    ],
)
def test_cli_user_errors(cli: Run, args: list[str], fragments: list[str]) -> None:
    assert_user_error(cli(*args), *fragments)
