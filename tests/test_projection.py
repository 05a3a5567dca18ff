"""The projection: the same network however the rows are read, and its cache beside a store."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import networkx as nx
import pytest
from rdflib.term import Node

from coprodkg import KnowledgeGraph, load_graph, project
from coprodkg import projection as projection_module
from coprodkg.engine import fill_store
from coprodkg.results import Result

DATA = Path(__file__).parent / "data"
CPKID = "https://w3id.org/coprodkg/id/"


class ThroughQuery:
    """An engine with no Oxigraph store in sight: rows come back as rdflib terms, as from an endpoint."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self._kg = kg

    def query(
        self, sparql: str, bindings: Mapping[str, Node] | None = None, *, allow_update: bool = False
    ) -> Result:
        return self._kg.query(sparql, bindings, allow_update=allow_update)

    def graphs(self) -> list[tuple[str, int]]:
        return self._kg.graphs()


def _same(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True), key=repr) == sorted(b.edges(keys=True, data=True), key=repr)


@pytest.mark.parametrize("provenance", [False, True])
def test_oxigraph_rows_and_query_rows_give_the_same_network(
    bundled: KnowledgeGraph, provenance: bool
) -> None:
    fast = project(bundled, provenance=provenance)
    slow = project(ThroughQuery(bundled), provenance=provenance)  # type: ignore[arg-type]
    _same(fast, slow)
    assert fast.number_of_nodes() > 100 and fast.number_of_edges() > 100


def test_typed_literals_become_numbers_and_edges_carry_their_claim(bundled: KnowledgeGraph) -> None:
    graph = project(bundled)
    counts = [v for _, v in graph.nodes(data="cpk:participantCount") if v is not None]
    assert counts and all(isinstance(v, int) for v in counts)
    edge = graph.get_edge_data(
        CPKID + "iterative-interactive-co-production", CPKID + "capacity-for-sustained-evidence-use"
    )
    (data,) = edge.values()
    assert (
        data["label"] == "supports" and data["status"] == "article" and data["sources"][0].startswith("S1 ")
    )


def test_a_store_keeps_its_projection_until_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    fill_store(store, [DATA / "incomplete"]).close()
    first = project(load_graph(store=store))
    assert (store / "coprodkg-cache" / "projection.pickle").is_file()

    def refuse(*_: object) -> nx.MultiDiGraph:
        raise AssertionError("projected again instead of reading the cache")

    with monkeypatch.context() as patch:
        patch.setattr(projection_module, "_project", refuse)
        _same(project(load_graph(store=store)), first)  # a new process would read it back the same way

    fill_store(store, [DATA / "network.ttl"], bundled=False).close()
    changed = project(load_graph(store=store))
    assert changed.number_of_nodes() > first.number_of_nodes()
    _same(changed, projection_module._project(load_graph(store=store), False))


def test_an_update_in_the_same_process_is_seen(tmp_path: Path) -> None:
    store = tmp_path / "store"
    fill_store(store).close()
    kg = load_graph(store=store)
    before = project(kg)
    kg.query(
        'INSERT DATA { GRAPH <urn:x> { cpkid:new-barrier a cpk:Barrier ; skos:prefLabel "a new barrier"@en } }',
        allow_update=True,
    )
    after = project(kg)
    assert CPKID + "new-barrier" in after and CPKID + "new-barrier" not in before


def test_shared_concepts_and_alignments_are_in_the_network(bundled: KnowledgeGraph) -> None:
    graph = project(bundled)
    shared = CPKID + "map-political-context"
    assert graph.nodes[shared]["kind"] == "shared"
    assert graph.nodes[shared]["label"] == "political context as a barrier"
    (data,) = graph.get_edge_data(CPKID + "political-barriers", shared).values()
    assert data["label"] == "close to" and data["strength"] == "close"  # skos:closeMatch as the map labels it
    assert data["status"] == "interpretation" and data["sources"][0].startswith("S1 ")


def test_a_path_crosses_the_map_through_a_shared_concept(bundled: KnowledgeGraph) -> None:
    from coprodkg.analysis import shortest_paths

    paths = shortest_paths(
        bundled, "cpkid:political-barriers", "cpkid:e3-politicised-lg-arena", all_paths=True
    )
    assert paths and all(len(path.steps) == 2 for path in paths)
    assert any(path.labels[1] == "political context as a barrier" for path in paths)
