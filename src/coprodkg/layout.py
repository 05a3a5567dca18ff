"""Node positions for the explorer, computed in Python so the browser never runs physics.

A Fruchterman-Reingold force layout in numpy: exact repulsion between every pair on small graphs,
and, on big ones, repulsion only between nodes closer than a cut-off (found on a grid of cells of
that size, as igraph's grid variant does, or with scipy's k-d tree on components too big for the
grid to be quicker), plus a weak pull to the centre that keeps loose components near. Up to
:data:`GRID_LIMIT` nodes only numpy is needed: scipy's import alone costs the command about a
quarter of a second.
It is seeded, so the same graph always gets the same picture. 5,000 nodes take well under a
second here, where ``networkx.spring_layout`` takes about a minute.

>>> positions = force_layout(4, [(0, 1), (1, 2), (2, 3)])
>>> positions.shape
(4, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .algorithms import components, pagerank

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["EXACT_LIMIT", "GRID_LIMIT", "KAMADA_KAWAI_RANGE", "components", "force_layout", "pagerank"]

#: Up to this many nodes in a component every pair repels; above it, only pairs within the cut-off.
EXACT_LIMIT = 400
#: Up to this many nodes in a component close pairs are found on a numpy grid; above it scipy's
#: k-d tree is faster by more than its import costs (about 6x per search at 5,000 nodes).
GRID_LIMIT = 2000
#: Components of these sizes start from a Kamada-Kawai layout (shortest-path distances as spring
#: lengths), which shows the global shape of small graphs far better than a random start.
KAMADA_KAWAI_RANGE = (13, 300)


def force_layout(n: int, edges: Sequence[tuple[int, int]], *, seed: int = 1) -> npt.NDArray[np.float64]:
    """Positions (an ``n`` × 2 array, ideal edge length about 1) for nodes ``0..n-1`` and ``edges``.

    Each connected component is laid out on its own, then the components are packed in rows,
    biggest first, so small islands sit beside the main graph instead of drifting away.
    """
    import numpy as np

    pos = np.zeros((n, 2))
    if n == 0:
        return pos
    ends = np.array(edges, dtype=np.int64).reshape(-1, 2)
    labels = components(n, ends)
    count = int(labels.max()) + 1
    members = sorted((np.flatnonzero(labels == c) for c in range(count)), key=lambda m: (-len(m), int(m[0])))
    rng = np.random.default_rng(seed)
    local = {int(node): i for m in members for i, node in enumerate(m)}
    by_component: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    for a, b in ends:
        by_component[labels[a]].append((local[int(a)], local[int(b)]))
    boxes = []
    for m in members:
        sub = _landscape(
            _component(len(m), np.array(by_component[labels[m[0]]], dtype=np.int64).reshape(-1, 2), rng)
        )
        sub -= sub.min(axis=0)
        boxes.append(sub)
    for m, placed in zip(members, _pack(boxes), strict=True):
        pos[m] = placed
    centred: npt.NDArray[np.float64] = pos - (pos.max(axis=0) + pos.min(axis=0)) / 2
    return centred


def _close_pairs(
    pos: npt.NDArray[np.float64], radius: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every pair of points closer than ``radius``, found cell by cell on a grid of that size."""
    import numpy as np

    n = len(pos)
    cells = np.floor((pos - pos.min(axis=0)) / radius).astype(np.int64)
    width = int(cells[:, 1].max()) + 3
    keys = (cells[:, 0] + 1) * width + cells[:, 1] + 1
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    # half the neighbourhood (this cell, and four of the eight around it), so each pair comes once
    shifts = np.array([0, width - 1, width, width + 1, 1])
    target = (keys[None, :] + shifts[:, None]).ravel()
    start = np.searchsorted(sorted_keys, target, side="left")
    count = np.searchsorted(sorted_keys, target, side="right") - start
    total = int(count.sum())
    first = np.repeat(np.tile(np.arange(n), len(shifts)), count)
    second = order[np.repeat(start, count) + np.arange(total) - np.repeat(np.cumsum(count) - count, count)]
    own_cell = np.repeat(np.arange(len(target)) < n, count)
    keep = ~own_cell | (first < second)
    delta = pos[first] - pos[second]
    keep &= (delta * delta).sum(axis=1) < radius * radius
    return first[keep], second[keep]


def _tree_pairs(
    pos: npt.NDArray[np.float64], radius: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The same pairs as :func:`_close_pairs`, from scipy's k-d tree (for big components)."""
    from scipy.spatial import cKDTree

    pairs = cKDTree(pos).query_pairs(r=radius, output_type="ndarray")
    return pairs[:, 0], pairs[:, 1]


def _landscape(pos: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Turn a component so its long axis is horizontal, as screens are."""
    import numpy as np

    if len(pos) < 3:
        return pos
    centred = pos - pos.mean(axis=0)
    _, vectors = np.linalg.eigh(np.cov(centred.T))
    turned: npt.NDArray[np.float64] = centred @ vectors[:, ::-1]
    return turned


def _pack(boxes: list[npt.NDArray[np.float64]], gap: float = 1.5) -> list[npt.NDArray[np.float64]]:
    """Shelf packing: rows as wide as the biggest component (or the square root of the total area)."""
    import numpy as np

    sizes = [b.max(axis=0) for b in boxes]
    width = max(float(sizes[0][0]), float(np.sqrt(sum((s[0] + gap) * (s[1] + gap) for s in sizes))))
    placed, x, y, row = [], 0.0, 0.0, 0.0
    for box, (w, h) in zip(boxes, sizes, strict=True):
        if x > 0 and x + w > width:
            x, y, row = 0.0, y + row + gap, 0.0
        placed.append(box + np.array([x, y]))
        x, row = x + w + gap, max(row, float(h))
    return placed


def _component(n: int, ends: npt.NDArray[np.int64], rng: np.random.Generator) -> npt.NDArray[np.float64]:
    import numpy as np

    if n <= 2:
        return np.array([[0.0, 0.0], [1.0, 0.0]][:n])
    exact = n <= EXACT_LIMIT
    pos = rng.uniform(-0.5, 0.5, size=(n, 2)) * np.sqrt(n) * (1.0 if exact else 1.5)
    steps = (250 if n > 12 else 40) if exact else 50
    temperature = np.sqrt(n) * 0.15
    if KAMADA_KAWAI_RANGE[0] <= n <= KAMADA_KAWAI_RANGE[1]:
        pos, steps, temperature = _kamada_kawai(n, ends, pos), 120, 0.5
    pairs, radius = None, 1.0
    for step in range(steps):
        if exact:
            disp = _repulsion(pos)
        else:
            # the grid keeps a neighbour list with some slack, rebuilt every few steps; the tree
            # is quick enough to search afresh each step
            if n > GRID_LIMIT or step % 4 == 0:
                spacing = float(np.sqrt(np.prod(np.ptp(pos, axis=0)) / n))  # about 20 neighbours each
                radius = max(min(2.0 * spacing, 1.0), 1e-6)
                pairs = _close_pairs(pos, radius * 1.25) if n <= GRID_LIMIT else _tree_pairs(pos, radius)
            assert pairs is not None
            disp = _repulsion_between(pos, pairs, radius)
        delta = pos[ends[:, 0]] - pos[ends[:, 1]]
        pull = delta * np.hypot(delta[:, 0], delta[:, 1])[:, None]  # |f| = d² / k with k = 1
        for axis in (0, 1):
            disp[:, axis] -= np.bincount(ends[:, 0], pull[:, axis], minlength=n)
            disp[:, axis] += np.bincount(ends[:, 1], pull[:, axis], minlength=n)
        if exact:
            disp -= pos * 0.03  # a little gravity keeps hubs' leaves from flying out
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)
        cap = temperature * (1.0 - step / steps) + 0.02
        pos += disp * (np.minimum(length, cap) / length)[:, None]
    placed: npt.NDArray[np.float64] = pos
    return placed


def _kamada_kawai(
    n: int, ends: npt.NDArray[np.int64], start: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    import networkx as nx
    import numpy as np

    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(map(tuple, ends.tolist()))
    found = nx.kamada_kawai_layout(graph, pos={i: tuple(p) for i, p in enumerate(start)}, scale=1.0)
    pos = np.array([found[i] for i in range(n)], dtype=float)
    scaled: npt.NDArray[np.float64] = pos * (np.sqrt(n) * 0.6 / max(float(np.abs(pos).max()), 1e-9))
    return scaled


def _repulsion(pos: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Repulsive displacement between every pair, |f| = k² / d with k = 1."""
    import numpy as np

    delta = pos[:, None, :] - pos[None, :, :]
    dist2 = np.maximum((delta**2).sum(axis=2), 1e-6)
    np.fill_diagonal(dist2, np.inf)
    result: npt.NDArray[np.float64] = (delta / dist2[:, :, None]).sum(axis=1)
    return result


def _repulsion_between(
    pos: npt.NDArray[np.float64],
    pairs: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
    radius: float,
) -> npt.NDArray[np.float64]:
    """Repulsive displacement between the listed pairs that are now closer than ``radius``."""
    import numpy as np

    n = len(pos)
    first, second = pairs
    x, y = pos[:, 0], pos[:, 1]
    dx, dy = x.take(first) - x.take(second), y.take(first) - y.take(second)
    d2 = dx * dx + dy * dy
    inverse = np.where(d2 < radius * radius, 1.0 / np.maximum(d2, 1e-6), 0.0)
    dx *= inverse
    dy *= inverse
    disp = np.empty_like(pos)
    disp[:, 0] = np.bincount(first, dx, minlength=n) - np.bincount(second, dx, minlength=n)
    disp[:, 1] = np.bincount(first, dy, minlength=n) - np.bincount(second, dy, minlength=n)
    return disp
