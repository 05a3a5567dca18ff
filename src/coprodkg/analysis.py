"""Network questions of the graph: which nodes are central, what lies between two concepts, what
surrounds one, and the network written for Gephi or a spreadsheet.

Everything works on the projection of :func:`coprodkg.projection.project` (pass an engine and it
is projected for you, or pass a projection you made or filtered yourself). Relations are
traversed both ways — "involves" and "part of" point either way — but every step of a path says
which way its relation points.

>>> from coprodkg import analyse, load_graph
>>> top = analyse(load_graph(), top=3)
>>> len(top), top[0].betweenness >= top[1].betweenness >= top[2].betweenness
(3, True)
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from itertools import islice, pairwise
from typing import TYPE_CHECKING

from rdflib import URIRef

from . import algorithms
from .algorithms import SEED
from .errors import TermError
from .namespaces import shorten
from .network_files import NETWORK_FORMATS, render_network, write_network
from .progress import stage
from .projection import project

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np
    import numpy.typing as npt

    from .engine import Engine

__all__ = [
    "NETWORK_FORMATS",
    "RANKINGS",
    "SEED",
    "GraphPath",
    "Neighbour",
    "NodeMetrics",
    "Step",
    "analyse",
    "neighbours",
    "render_metrics",
    "render_neighbours",
    "render_network",
    "render_paths",
    "shortest_paths",
    "write_network",
]

#: What :func:`analyse` can rank by.
RANKINGS = ("betweenness", "pagerank", "degree")
#: Better-evidenced relations first when several link the same two nodes.
_STATUS_RANK = {"article": 0, "project": 1, "literature": 2, "interpretation": 3}
#: At most this many shortest paths are considered (a guard for dense user graphs).
_PATH_LIMIT = 10_000


@dataclass(frozen=True)
class NodeMetrics:
    """One node's place in the network."""

    iri: str
    label: str
    kind: str
    degree: int
    betweenness: float
    pagerank: float
    community: int


@dataclass(frozen=True)
class Step:
    """One hop of a path: ``start`` to ``end`` over a relation that points ``forward``
    (``start`` relation ``end``) or ``backward`` (``end`` relation ``start``)."""

    start: str
    start_label: str
    relation: str
    predicate: str
    direction: str
    end: str
    end_label: str
    status: str
    sources: tuple[str, ...]

    def __str__(self) -> str:
        if self.direction == "forward":
            return f"{self.start_label} —{self.relation}→ {self.end_label}"
        return f"{self.start_label} ←{self.relation}— {self.end_label}"


@dataclass(frozen=True)
class GraphPath:
    """A chain of steps from one node to another; iterate over it for the steps."""

    steps: tuple[Step, ...]

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def labels(self) -> list[str]:
        """The labels of the nodes along the path, first to last."""
        if not self.steps:
            return []
        return [self.steps[0].start_label, *(s.end_label for s in self.steps)]


@dataclass(frozen=True)
class Neighbour:
    """A node ``distance`` hops from the centre, reached by ``step`` from a node one hop nearer."""

    distance: int
    iri: str
    label: str
    kind: str
    step: Step


def _network(graph_or_engine: nx.MultiDiGraph | Engine) -> nx.MultiDiGraph:
    import networkx as nx

    if isinstance(graph_or_engine, nx.Graph):
        return graph_or_engine
    return project(graph_or_engine)


def _simple(graph: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple view: one edge wherever any relation links two nodes."""
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph))  # sorted: the same graph gives the same communities
    simple.add_edges_from(sorted((u, v) for u, v in graph.edges() if u != v))
    return simple


def _indexed(graph: nx.MultiDiGraph) -> tuple[list[str], npt.NDArray[np.int64]]:
    """The nodes in a fixed order and the undirected simple view's edges as index pairs."""
    import numpy as np

    order = sorted(graph)  # sorted: the same graph gives the same communities
    index = {node: i for i, node in enumerate(order)}
    pairs = {(min(a, b), max(a, b)) for a, b in ((index[u], index[v]) for u, v in graph.edges()) if a != b}
    return order, np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)


def analyse(
    graph_or_engine: nx.MultiDiGraph | Engine, *, top: int | None = None, by: str = "betweenness"
) -> list[NodeMetrics]:
    """Degree, betweenness, PageRank and community of every node, highest first ``by`` one of
    ``betweenness``, ``pagerank`` or ``degree`` (ties broken by the others, then the label).

    Degree counts every relation in or out. Betweenness (exact, normalised), PageRank and
    communities are taken on the undirected simple view, as paths are (see
    :mod:`coprodkg.algorithms`, whose PageRank the explorer shows too); communities are
    multilevel (Louvain) with the fixed :data:`SEED`, numbered from 1, largest first.

    >>> from coprodkg import load_graph
    >>> top = analyse(load_graph(), top=1)[0]
    >>> top.label, top.kind  # the map's shared concepts bridge the studies
    ('embedded researchers', 'shared')
    """
    if by not in RANKINGS:
        raise ValueError(f"cannot rank by {by!r}: choose one of {', '.join(RANKINGS)}")
    graph = _network(graph_or_engine)
    if graph.number_of_nodes() == 0:
        return []
    with stage("measuring the network"):
        order, ends = _indexed(graph)
        between = algorithms.betweenness(len(order), ends)
        rank = algorithms.pagerank(len(order), ends)
        found = [{order[i] for i in members} for members in algorithms.communities(len(order), ends)]
    betweenness = dict(zip(order, between.tolist(), strict=True))
    pagerank = dict(zip(order, rank.tolist(), strict=True))
    ordered = sorted(found, key=lambda c: (-len(c), min(str(graph.nodes[n].get("label", n)) for n in c)))
    community = {node: number for number, members in enumerate(ordered, start=1) for node in members}
    metrics = [
        NodeMetrics(
            iri=str(node),
            label=str(attrs.get("label", node)),
            kind=str(attrs.get("kind", "")),
            degree=int(graph.degree(node)),
            betweenness=float(betweenness[node]),
            pagerank=float(pagerank[node]),
            community=community[node],
        )
        for node, attrs in graph.nodes(data=True)
    ]
    ranking = (by, *(r for r in RANKINGS if r != by))
    metrics.sort(key=lambda m: (*(-getattr(m, r) for r in ranking), m.label))
    return metrics if top is None else metrics[:top]


def _resolve(graph: nx.MultiDiGraph, engine: Engine | None, term: str | URIRef) -> str:
    """The node a user means, by IRI, CURIE or label (through the engine when there is one)."""
    from .lookup import resolve_node, resolve_term

    if isinstance(term, URIRef) or engine is None:
        return resolve_node(graph, term)
    iri = str(resolve_term(engine, term))
    if iri not in graph:
        raise TermError(
            f"{term!r} ({shorten(iri)}) is not part of the network: it is a claim, a schema term or a literal"
        )
    return iri


def _prepare(
    graph_or_engine: nx.MultiDiGraph | Engine, *terms: str | URIRef
) -> tuple[nx.MultiDiGraph, list[str]]:
    import networkx as nx

    engine = None if isinstance(graph_or_engine, nx.Graph) else graph_or_engine
    graph = _network(graph_or_engine)
    return graph, [_resolve(graph, engine, t) for t in terms]


def _step(graph: nx.MultiDiGraph, start: str, end: str) -> Step:
    """The best-evidenced relation between two adjacent nodes, as a step from ``start``."""
    options = [("forward", d) for d in (graph.get_edge_data(start, end) or {}).values()]
    options += [("backward", d) for d in (graph.get_edge_data(end, start) or {}).values()]
    direction, data = min(
        options,
        key=lambda o: (_STATUS_RANK.get(o[1].get("status", ""), 9), o[0] != "forward", o[1].get("label", "")),
    )
    return Step(
        start=start,
        start_label=str(graph.nodes[start].get("label", start)),
        relation=str(data.get("label", "")),
        predicate=str(data.get("predicate", "")),
        direction=direction,
        end=end,
        end_label=str(graph.nodes[end].get("label", end)),
        status=str(data.get("status", "")),
        sources=tuple(data.get("sources", ())),
    )


def _evidence(path: GraphPath) -> tuple[int, list[str]]:
    return sum(_STATUS_RANK.get(s.status, 9) for s in path), path.labels


def shortest_paths(
    graph_or_engine: nx.MultiDiGraph | Engine,
    source: str | URIRef,
    target: str | URIRef,
    *,
    all_paths: bool = False,
) -> list[GraphPath]:
    """The shortest path from ``source`` to ``target`` (labels, CURIEs or IRIs), or every one.

    Relations are followed either way. With several shortest paths, the best-evidenced comes
    first (article before project, literature and interpretation). No path gives ``[]``.

    >>> from coprodkg import load_graph
    >>> [path] = shortest_paths(load_graph(), "academic researchers", "capacity for sustained evidence use")
    >>> path.labels[0], path.labels[-1], all(step.sources for step in path)
    ('academic researchers', 'capacity for sustained evidence use', True)
    """
    import networkx as nx

    graph, (start, end) = _prepare(graph_or_engine, source, target)
    if start == end:
        raise TermError(f"{source!r} and {target!r} name the same resource: give two different ones")
    try:
        chains = list(islice(nx.all_shortest_paths(_simple(graph), start, end), _PATH_LIMIT))
    except nx.NetworkXNoPath:
        return []
    paths = sorted(
        (GraphPath(tuple(_step(graph, a, b) for a, b in pairwise(chain))) for chain in chains),
        key=_evidence,
    )
    return paths if all_paths else paths[:1]


def neighbours(
    graph_or_engine: nx.MultiDiGraph | Engine, term: str | URIRef, depth: int = 1
) -> list[Neighbour]:
    """Every node within ``depth`` hops of ``term`` (relations followed either way), nearest first.

    A node reached from several nodes one hop nearer appears once per such link.

    >>> from coprodkg import load_graph
    >>> near = neighbours(load_graph(), "capacity for sustained evidence use")
    >>> {n.distance for n in near}, any(n.step.relation == "supports" for n in near)
    ({1}, True)
    """
    if depth < 1:
        raise ValueError(f"depth must be 1 or more, not {depth}")
    graph, (centre,) = _prepare(graph_or_engine, term)
    simple = _simple(graph)
    distance = {centre: 0}
    frontier = [centre]
    found: list[Neighbour] = []
    for hop in range(1, depth + 1):
        reached: dict[str, None] = {}
        for node in frontier:
            for other in sorted(simple[node], key=lambda n: str(graph.nodes[n].get("label", n))):
                if distance.get(other, hop) < hop:
                    continue
                distance[other] = hop
                reached[other] = None
                attrs = graph.nodes[other]
                found.append(
                    Neighbour(
                        hop,
                        other,
                        str(attrs.get("label", other)),
                        str(attrs.get("kind", "")),
                        _step(graph, node, other),
                    )
                )
        frontier = list(reached)
    return sorted(found, key=lambda n: (n.distance, n.kind, n.label, n.step.start_label))


# ---- renderings ----------------------------------------------------------------------------------


def render_metrics(metrics: list[NodeMetrics], fmt: str = "table") -> str:
    """Metrics as an aligned table, CSV or JSON (the full precision in CSV and JSON)."""
    if fmt == "json":
        return json.dumps([asdict(m) for m in metrics], indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["rank", *NodeMetrics.__dataclass_fields__])
        writer.writerows([i, *asdict(m).values()] for i, m in enumerate(metrics, start=1))
        return out.getvalue()
    from .results import render_table

    rows = [
        [
            str(i),
            m.label,
            m.kind,
            str(m.degree),
            f"{m.betweenness:.4f}",
            f"{m.pagerank:.4f}",
            str(m.community),
        ]
        for i, m in enumerate(metrics, start=1)
    ]
    return (
        render_table(["rank", "label", "kind", "degree", "betweenness", "pagerank", "community"], rows) + "\n"
    )


def _sources(step: Step) -> str:
    status = f"[{step.status}] " if step.status else ""
    return status + ("; ".join(step.sources) if step.sources else "no source recorded")


def render_paths(paths: list[GraphPath]) -> str:
    """Paths as numbered chains: each step, its relation and the source of that step.

    >>> s = Step("a", "A", "helps", "ex:helps", "backward", "b", "B", "article", ("S1 The article",))
    >>> print(render_paths([GraphPath((s,))]), end="")
    A → B: 1 step
      1. A ←helps— B
         [article] S1 The article
    """
    out: list[str] = []
    for number, path in enumerate(paths, start=1):
        if not path.steps:
            continue
        count = f"{len(path)} step" + ("s" if len(path) != 1 else "")
        heading = f"{path.labels[0]} → {path.labels[-1]}: {count}"
        if len(paths) > 1:
            heading = f"Path {number} of {len(paths)}: " + heading
        out.append(heading)
        for i, step in enumerate(path, start=1):
            out += [f"  {i}. {step}", f"     {_sources(step)}"]
        out.append("")
    return "\n".join(out[:-1]) + "\n" if out else ""


def render_neighbours(found: list[Neighbour]) -> str:
    """Neighbours as a table: distance, kind, label, and the relation that reaches each."""
    from .results import render_table

    rows = [[str(n.distance), n.kind, n.label, str(n.step), _sources(n.step)] for n in found]
    return render_table(["hops", "kind", "label", "reached by", "source"], rows) + "\n"
