"""The network measures shared by ``analyse`` and the explorer, on nodes ``0..n-1`` and edge arrays.

One definition of each, so a node's PageRank in the explorer is the one ``analyse`` prints:

- :func:`components`: connected components of the undirected view, numbered by first node;
- :func:`pagerank`: PageRank of the undirected simple view (direction in this graph is a
  reading convention — "involves" and "part of" point either way — not a vote of importance),
  with networkx's definition and defaults;
- :func:`betweenness` and :func:`communities`: igraph's C core (exact betweenness normalised as
  networkx normalises it; multilevel (Louvain) communities with a fixed seed, so the same graph
  always gives the same communities).

Measured on a 100-study map (13,900 nodes) in ``bench/bench_scale.py``: networkx's exact
betweenness takes about 80 s there, igraph's under half a second, with the same values to 1e-12.

>>> import numpy as np
>>> ends = np.array([[0, 1], [1, 2]])
>>> [round(float(x), 3) for x in pagerank(3, ends)], betweenness(3, ends).tolist()
([0.257, 0.486, 0.257], [0.0, 1.0, 0.0])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["SEED", "betweenness", "communities", "components", "pagerank"]

#: The seed of the community search: the same graph always gives the same communities.
SEED = 42


def components(n: int, ends: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Connected-component labels ``0..k-1`` (by first node) for an undirected edge array.

    >>> components(5, __import__("numpy").array([[0, 1], [3, 4]])).tolist()
    [0, 0, 1, 2, 2]
    """
    import numpy as np

    labels = np.arange(n)
    if len(ends):
        a, b = ends[:, 0], ends[:, 1]
        while True:  # label propagation with pointer jumping: a few passes of O(edges) each
            low = np.minimum(labels[a], labels[b])
            before = labels.copy()
            np.minimum.at(labels, a, low)
            np.minimum.at(labels, b, low)
            labels = labels[labels]
            if np.array_equal(labels, before):
                break
    _, dense = np.unique(labels, return_inverse=True)
    result: npt.NDArray[np.int64] = dense.astype(np.int64)
    return result


def pagerank(
    n: int, ends: npt.NDArray[np.int64], *, alpha: float = 0.85, tol: float = 1e-6, max_iter: int = 200
) -> npt.NDArray[np.float64]:
    """PageRank of an undirected simple graph by power iteration (networkx's definition and defaults).

    ``ends`` holds each undirected edge once. Equal to ``networkx.pagerank`` of the same graph
    to about ``tol``.

    >>> [round(float(x), 3) for x in pagerank(3, __import__("numpy").array([[0, 1], [1, 2]]))]
    [0.257, 0.486, 0.257]
    """
    import numpy as np

    x = np.full(n, 1.0 / n) if n else np.zeros(0)
    if n == 0:
        return x
    a, b = ends[:, 0], ends[:, 1]
    degree = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    dangling = degree == 0
    safe = np.where(dangling, 1, degree)
    for _ in range(max_iter):
        share = x / safe
        spread = np.bincount(a, share[b], minlength=n) + np.bincount(b, share[a], minlength=n)
        new = alpha * (spread + x[dangling].sum() / n) + (1.0 - alpha) / n
        done = float(np.abs(new - x).sum()) < n * tol
        x = new
        if done:
            break
    result: npt.NDArray[np.float64] = x / x.sum()
    return result


def _igraph(n: int, ends: npt.NDArray[np.int64]) -> object:
    import igraph

    return igraph.Graph(n=n, edges=ends.tolist(), directed=False)


def betweenness(n: int, ends: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Exact shortest-path betweenness of an undirected simple graph, normalised as networkx does
    (by the pairs of other nodes, ``(n-1)(n-2)/2``).

    >>> betweenness(4, __import__("numpy").array([[0, 1], [1, 2], [2, 3]])).round(3).tolist()
    [0.0, 0.667, 0.667, 0.0]
    """
    import numpy as np

    if n < 3:
        return np.zeros(n)
    graph = _igraph(n, ends)
    raw = np.array(graph.betweenness(directed=False), dtype=np.float64)  # type: ignore[attr-defined]
    result: npt.NDArray[np.float64] = raw * 2.0 / ((n - 1) * (n - 2))
    return result


def communities(n: int, ends: npt.NDArray[np.int64], *, seed: int = SEED) -> list[list[int]]:
    """Multilevel (Louvain) communities of an undirected simple graph, each a sorted node list.

    igraph draws its random numbers from the generator it is given: a fresh one seeded with
    ``seed`` for every call makes the result depend on the graph alone.

    >>> communities(6, __import__("numpy").array([[0, 1], [1, 2], [0, 2], [3, 4], [4, 5], [3, 5], [2, 3]]))
    [[0, 1, 2], [3, 4, 5]]
    """
    import random

    import igraph

    if n == 0:
        return []
    graph = _igraph(n, ends)
    previous = igraph.set_random_number_generator(random.Random(seed))
    try:
        clusters = graph.community_multilevel()  # type: ignore[attr-defined]
    finally:
        igraph.set_random_number_generator(previous if previous is not None else random)
    return sorted((sorted(int(v) for v in c) for c in clusters), key=lambda c: (-len(c), c[0]))
