"""Node positions for the explorer, computed in Python so the browser never runs physics.

A Fruchterman-Reingold force layout in numpy: exact repulsion between every pair on small graphs,
and, on big ones, repulsion only between nodes closer than a cut-off (found on a grid of cells of
that size, as igraph's grid variant does), plus a weak pull to the centre that keeps loose
components near. Only numpy is needed: the grid's search is as quick as scipy's k-d tree, whose
import alone costs a command about a third of a second, and the whole layout as quick as
igraph's grid Fruchterman-Reingold, whose import brings matplotlib's when it is installed.
It is seeded, so the same graph always gets the same picture. 5,000 nodes take well under a
second here, where ``networkx.spring_layout`` takes about a minute.

:func:`label_layout` is what the explorer calls: it counts each node's drawn box (shape and label,
measured with :func:`text_width`), scales each component's force layout to its boxes, removes the
overlaps left (:func:`remove_overlaps`), puts unrelated nodes in a grid and packs the components to
the shape of a screen.

>>> import numpy as np
>>> boxes = np.array([[-40.0, -8, 40, 22]] * 4)  # each node's drawn box: shape and label
>>> positions = label_layout([(0, 1), (1, 2), (2, 3)], boxes)
>>> positions.shape, count_overlaps(positions, boxes)
((4, 2), 0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .algorithms import components, pagerank

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "EXACT_LIMIT",
    "KAMADA_KAWAI_RANGE",
    "components",
    "count_overlaps",
    "label_layout",
    "pagerank",
    "remove_overlaps",
    "reuse_layout",
    "text_width",
    "wrap_label",
]

#: Up to this many nodes in a component every pair repels; above it, only pairs within the cut-off.
EXACT_LIMIT = 400
#: Components of these sizes start from a Kamada-Kawai layout (shortest-path distances as spring
#: lengths, by stress majorization), which shows the global shape of small graphs far better than
#: a random start.
KAMADA_KAWAI_RANGE = (13, 300)


def _close_pairs(
    pos: npt.NDArray[np.float64], radius: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every pair of points closer than ``radius``, found cell by cell on a grid of that size.

    Each point's cell and the four cells after it are looked up in a table of where each cell's
    points start in cell order (or, on a grid far bigger than the point count, by binary search),
    so each pair comes once; in numpy this is as quick as scipy's k-d tree and needs no scipy.

    >>> import numpy as np
    >>> first, second = _close_pairs(np.array([[0.0, 0], [0.5, 0], [3, 0], [3.2, 0.1]]), 1.0)
    >>> sorted(zip(first.tolist(), second.tolist()))
    [(0, 1), (2, 3)]
    """
    import numpy as np

    n = len(pos)
    x, y = np.ascontiguousarray(pos[:, 0]), np.ascontiguousarray(pos[:, 1])
    column = ((x - x.min()) * (1.0 / radius)).astype(np.int64)
    row = ((y - y.min()) * (1.0 / radius)).astype(np.int64)
    width = int(row.max()) + 3
    keys = (column + 1) * width + row + 1
    size = (int(column.max()) + 3) * width
    order = np.argsort(keys, kind="stable")
    # half the neighbourhood (this cell, and four of the eight around it), so each pair comes once
    shifts = np.array([0, width - 1, width, width + 1, 1])
    target = (keys[None, :] + shifts[:, None]).ravel()
    if size <= 32 * n + 4096:
        per_cell = np.bincount(keys, minlength=size)
        start = (np.cumsum(per_cell) - per_cell)[target]
        count = per_cell[target]
    else:  # a sparse grid (a few points far out): search the sorted keys instead of a table
        sorted_keys = keys[order]
        start = np.searchsorted(sorted_keys, target, side="left")
        count = np.searchsorted(sorted_keys, target, side="right") - start
    total = int(count.sum())
    first = np.repeat(np.tile(np.arange(n), len(shifts)), count)
    second = order.take(np.repeat(start - (np.cumsum(count) - count), count) + np.arange(total))
    dx, dy = x.take(first) - x.take(second), y.take(first) - y.take(second)
    keep = dx * dx + dy * dy < radius * radius
    own = int(count[:n].sum())  # pairs within a point's own cell come twice: keep i < j
    keep[:own] &= first[:own] < second[:own]
    index = np.flatnonzero(keep)
    return first.take(index), second.take(index)


def _landscape(pos: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Turn a component so its long axis is horizontal, as screens are."""
    import numpy as np

    if len(pos) < 3:
        return pos
    centred = pos - pos.mean(axis=0)
    _, vectors = np.linalg.eigh(np.cov(centred.T))
    turned: npt.NDArray[np.float64] = centred @ vectors[:, ::-1]
    return turned


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
            # a neighbour list with some slack, made again every few steps
            if step % 4 == 0:
                spacing = float(np.sqrt(np.prod(np.ptp(pos, axis=0)) / n))  # about 20 neighbours each
                radius = max(min(2.0 * spacing, 1.0), 1e-6)
                pairs = _close_pairs(pos, radius * 1.25)
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
    """Kamada and Kawai's goal (graph distances as spring lengths, weighted by 1/d²) reached by
    stress majorization (Gansner, Koren and North 2004) in numpy: a few milliseconds where
    networkx's optimiser takes seconds on a busy machine."""
    import numpy as np

    adjacency = np.zeros((n, n))
    adjacency[ends[:, 0], ends[:, 1]] = 1.0
    adjacency[ends[:, 1], ends[:, 0]] = 1.0
    np.fill_diagonal(adjacency, 0.0)
    distance = np.full((n, n), np.inf)
    np.fill_diagonal(distance, 0.0)
    reached = np.eye(n, dtype=bool)
    frontier = reached.copy()
    for step in range(1, n):
        frontier = ((frontier.astype(float) @ adjacency) > 0) & ~reached
        if not frontier.any():
            break
        distance[frontier] = step
        reached |= frontier
    distance[np.isinf(distance)] = float(np.nanmax(distance[np.isfinite(distance)])) + 1.0
    weight = np.zeros((n, n))
    off = distance > 0
    weight[off] = 1.0 / distance[off] ** 2
    pos = start.copy()
    total = weight.sum(axis=1)[:, None]
    target = weight * distance
    for _ in range(200):
        # one Jacobi step of the majorization, in matrix products (no n × n × 2 arrays)
        square = (pos * pos).sum(axis=1)
        length = np.sqrt(np.maximum(square[:, None] + square[None, :] - 2 * pos @ pos.T, 1e-12))
        coefficient = target / length
        np.fill_diagonal(coefficient, 0.0)
        moved = (weight @ pos + pos * coefficient.sum(axis=1)[:, None] - coefficient @ pos) / total
        change = float(np.abs(moved - pos).max())
        pos = moved
        if change < 1e-3:
            break
    scaled: npt.NDArray[np.float64] = (pos - pos.mean(axis=0)) * (
        np.sqrt(n) * 0.6 / max(float(np.abs(pos - pos.mean(axis=0)).max()), 1e-9)
    )
    return scaled


def _repulsion(pos: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Repulsive displacement between every pair, |f| = k² / d with k = 1.

    Each axis is an n × n array laid out with the other node down the rows, so the sums run down
    the columns in the same order as over an n × n × 2 array, giving the same numbers three to
    ten times sooner."""
    import numpy as np

    x, y = pos[:, 0], pos[:, 1]
    dx = x[None, :] - x[:, None]  # [j, i] = x_i - x_j
    dy = y[None, :] - y[:, None]
    dist2 = np.maximum(dx * dx + dy * dy, 1e-6)
    np.fill_diagonal(dist2, np.inf)
    np.divide(dx, dist2, out=dx)
    np.divide(dy, dist2, out=dy)
    result = np.empty_like(pos)
    result[:, 0] = dx.sum(axis=0)
    result[:, 1] = dy.sum(axis=0)
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


# ---- labels: their extent, and a layout that leaves room for them -----------------------------

#: Advance widths (in em) of printable ASCII in DejaVu Sans, the face Debian's Chromium draws
#: ``system-ui, sans-serif`` with, measured with ``canvas.measureText``. Most other sans faces are
#: narrower, so boxes estimated from it are wide enough elsewhere too.
_WIDTHS = (
    '00.636 10.636 20.636 30.636 40.636 50.636 60.636 70.636 80.636 90.636 !0.401 "0.46 '
    "#0.838 $0.636 %0.95 &0.78 '0.275 (0.39 )0.39 *0.5 +0.838 ,0.318 -0.361 .0.318 /0.337 "
    ":0.337 ;0.337 <0.838 =0.838 >0.838 ?0.531 @1. A0.684 B0.686 C0.699 D0.77 E0.632 F0.575 "
    "G0.775 H0.752 I0.295 J0.295 K0.656 L0.557 M0.863 N0.748 O0.787 P0.603 Q0.787 R0.695 "
    "S0.635 T0.611 U0.732 V0.684 W0.989 X0.685 Y0.611 Z0.685 [0.39 \\0.337 ]0.39 ^0.838 _0.5 "
    "`0.5 a0.613 b0.635 c0.55 d0.635 e0.615 f0.352 g0.635 h0.634 i0.278 j0.278 k0.579 l0.278 "
    "m0.974 n0.634 o0.612 p0.635 q0.635 r0.411 s0.521 t0.392 u0.634 v0.592 w0.818 x0.592 "
    "y0.592 z0.525 {0.636 |0.337 }0.636 ~0.838 "
)
CHAR_EM: dict[str, float] = {item[0]: float(item[1:]) for item in _WIDTHS.split(" ") if item} | {" ": 0.318}
#: The width (in em) taken for a character not in :data:`CHAR_EM` once its accents are removed.
WIDE_EM = 0.8


def text_width(text: str, size: float = 14.0) -> float:
    """The drawn width in pixels of one line of ``text`` at font ``size`` (DejaVu Sans metrics).

    >>> round(text_width("political barriers"), 1)
    113.8
    """
    try:
        return sum(map(CHAR_EM.__getitem__, text)) * size
    except KeyError:  # a letter outside ASCII: look at each one
        pass
    import unicodedata

    total = 0.0
    for char in text:
        em = CHAR_EM.get(char)
        if em is None:
            base = unicodedata.normalize("NFKD", char)[:1]
            em = CHAR_EM.get(base, WIDE_EM)
        total += em
    return total * size


def wrap_label(text: str, width: float, size: float = 14.0) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` pixels (a long word keeps its line).

    >>> wrap_label("increasing the absorptive capacity of councils", 160)
    ['increasing the', 'absorptive capacity of', 'councils']
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    return lines


def label_layout(
    edges: Sequence[tuple[int, int]],
    extents: npt.NDArray[np.float64],
    *,
    seed: int = 1,
    aspect: float = 1.4,
    gap: float = 4.0,
) -> npt.NDArray[np.float64]:
    """Node positions in pixels that leave room for every node's drawn box, label included.

    ``extents`` is an ``n`` × 4 array of each box's left, top, right and bottom edge relative to its
    node's position (left and top negative). Each connected component gets a force layout
    (Fruchterman-Reingold, from a stress layout when small) scaled to the boxes, then an overlap-removal pass that pushes
    overlapping boxes apart along the axis where they overlap least; nodes with no relation are
    packed as a grid of equal cells; the blocks are packed in rows, biggest first, into a
    rectangle of about ``aspect`` (width / height), like a screen.

    >>> box = __import__("numpy").array([[-40.0, -10, 40, 24]] * 3)
    >>> pos = label_layout([(0, 1)], box)
    >>> bool(count_overlaps(pos, box) == 0)
    True
    """
    import numpy as np

    n = len(extents)
    pos = np.zeros((n, 2))
    if n == 0:
        return pos
    ends = np.array(edges, dtype=np.int64).reshape(-1, 2)
    labels = components(n, ends)
    count = int(labels.max()) + 1
    sizes = np.bincount(labels, minlength=count)
    members = sorted(
        (np.flatnonzero(labels == c) for c in range(count) if sizes[c] > 1),
        key=lambda m: (-len(m), int(m[0])),
    )
    alone = np.flatnonzero(sizes[labels] == 1)
    rng = np.random.default_rng(seed)
    local = np.zeros(n, dtype=np.int64)
    for m in members:
        local[m] = np.arange(len(m))
    by_component: dict[int, list[tuple[int, int]]] = {}
    for a, b in ends:
        by_component.setdefault(int(labels[a]), []).append((int(local[a]), int(local[b])))
    blocks: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]] = []
    for m in members:
        sub = np.array(by_component[int(labels[m[0]])], dtype=np.int64).reshape(-1, 2)
        shape = _landscape(_component(len(m), sub, rng))
        blocks.append((m, _compact(shape, extents[m], aspect, gap)))
    return _assemble(blocks, alone, extents, aspect, gap)


def reuse_layout(
    edges: Sequence[tuple[int, int]],
    extents: npt.NDArray[np.float64],
    earlier: npt.NDArray[np.float64],
    *,
    aspect: float = 1.4,
    gap: float = 4.0,
) -> npt.NDArray[np.float64]:
    """Positions for a part of an earlier drawing (``earlier``: its nodes' positions there), with
    no force layout: each connected component keeps the shape it had there (with any overlaps
    left in it removed), and the components are packed afresh as :func:`label_layout` packs
    them. A view of part of a graph costs milliseconds instead of a layout of its own.

    >>> import numpy as np
    >>> box = np.array([[-40.0, -10, 40, 24]] * 4)
    >>> far = np.array([[0.0, 0], [100, 0], [3000, 900], [-2000, 40]])  # two parts, far apart
    >>> pos = reuse_layout([(0, 1)], box, far)
    >>> bool(count_overlaps(pos, box) == 0 and np.ptp(pos[:, 0]) < 1000)
    True
    """
    import numpy as np

    n = len(extents)
    if n == 0:
        return np.zeros((0, 2))
    ends = np.array(edges, dtype=np.int64).reshape(-1, 2)
    labels = components(n, ends)
    sizes = np.bincount(labels)
    members = sorted(
        (np.flatnonzero(labels == c) for c in range(len(sizes)) if sizes[c] > 1),
        key=lambda m: (-len(m), int(m[0])),
    )
    blocks = [(m, _freed(earlier[m], extents[m], gap)) for m in members]
    return _assemble(blocks, np.flatnonzero(sizes[labels] == 1), extents, aspect, gap, squeeze=False)


def _freed(
    pos: npt.NDArray[np.float64], extents: npt.NDArray[np.float64], gap: float
) -> npt.NDArray[np.float64]:
    """``pos`` as it is when no boxes overlap there, else with the overlaps removed."""
    return pos if count_overlaps(pos, extents) == 0 else remove_overlaps(pos, extents, gap=gap)


def _assemble(
    blocks: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]],
    alone: npt.NDArray[np.int64],
    extents: npt.NDArray[np.float64],
    aspect: float,
    gap: float,
    *,
    squeeze: bool = True,
) -> npt.NDArray[np.float64]:
    """The components' drawings (node indices, positions) and the unrelated nodes, packed into
    one drawing about ``aspect`` times wider than high, squeezed when small (and asked), centred
    on 0."""
    import numpy as np

    n = len(extents)
    pos = np.zeros((n, 2))
    if len(alone):
        blocks = [*blocks, (alone, _grid(extents[alone], aspect, gap))]
    packed = _pack_boxes(
        [(pos_b + extents[m][:, :2], pos_b + extents[m][:, 2:]) for m, pos_b in blocks], aspect, gap * 6
    )
    for (m, placed), shift in zip(blocks, packed, strict=True):
        pos[m] = placed + shift
    if squeeze and n <= SQUEEZE_LIMIT:
        pos = _squeeze(pos, extents, aspect, gap)
    low = (pos + extents[:, :2]).min(axis=0)
    high = (pos + extents[:, 2:]).max(axis=0)
    centred: npt.NDArray[np.float64] = pos - (low + high) / 2
    return centred


#: Scales tried for a component's force layout, as fractions of the one at which its boxes' total
#: area fills its bounding box: the overlap-removal pass then spreads the drawing only where labels
#: need the room. Components above :data:`COMPACT_TRIES_LIMIT` nodes try :data:`BIG_SCALES`.
COMPACT_SCALES = (0.35, 0.5, 0.7, 1.0)
COMPACT_TRIES_LIMIT = 200
#: Bigger components try these looser scales (up to :data:`BIG_TRIES_LIMIT` nodes; above, the
#: loosest only), where few boxes overlap, with :data:`BIG_STEPS` overlap-removal passes at most.
#: Started tighter, the passes spread a crowded drawing almost as far, in many more passes:
#: measured on a 100-study map's 3,000-node component (0 overlaps left after 8 ms of passes from
#: 4x, 34 ms from 3x), a 300-study map's 8,700 (0 after 0.22 s from 4x; 39 left after 0.47 s from
#: 3x) and a random 5,000-node graph (0 after 0.11 s from 4x; 4 left after 0.34 s from 3x), where
#: the drawing from 4x is 10-20 % wider.
BIG_SCALES = (2.0, 3.0, 4.0)
BIG_TRIES_LIMIT = 2500
BIG_STEPS = 400


def _compact(
    shape: npt.NDArray[np.float64], extents: npt.NDArray[np.float64], aspect: float, gap: float
) -> npt.NDArray[np.float64]:
    """A component's layout (any units) scaled to pixels and freed of overlaps, at the scale that
    needs the least zoom-out to fit a screen ``aspect`` times wider than high."""
    import numpy as np

    boxes = float(((extents[:, 2:] - extents[:, :2] + gap).prod(axis=1)).sum())
    spread = np.maximum(np.ptp(shape, axis=0), 1.0)  # edges are about 1 long
    fill = float(np.sqrt(boxes / float(spread.prod())))
    best: tuple[float, npt.NDArray[np.float64]] | None = None
    small = len(shape) <= COMPACT_TRIES_LIMIT
    # from the loosest scale down: once a scale leaves overlaps, tighter ones do too
    scales = COMPACT_SCALES if small else BIG_SCALES if len(shape) <= BIG_TRIES_LIMIT else BIG_SCALES[-1:]
    for factor in sorted(scales, reverse=True):
        placed = remove_overlaps(
            shape * fill * factor,
            extents,
            gap=gap,
            max_steps=400 if small else BIG_STEPS,
        )
        w, h = (placed + extents[:, 2:]).max(axis=0) - (placed + extents[:, :2]).min(axis=0)
        # what sets the zoom that fits it on the screen; a drawing with overlaps left loses
        crowded = count_overlaps(placed, extents) > 0
        cost = max(float(w), float(h) * aspect) * (1e6 if crowded else 1)
        if best is None or cost < best[0]:
            best = (cost, placed)
        if crowded:
            break
    assert best is not None
    return best[1]


#: Up to this many nodes the packed drawing is squeezed towards its centre, a little at a time,
#: with overlaps removed after each step, while that makes it smaller on the screen.
SQUEEZE_LIMIT = 200


def _screen_size(pos: npt.NDArray[np.float64], extents: npt.NDArray[np.float64], aspect: float) -> float:
    w, h = (pos + extents[:, 2:]).max(axis=0) - (pos + extents[:, :2]).min(axis=0)
    return max(float(w), float(h) * aspect)


def _squeeze(
    pos: npt.NDArray[np.float64], extents: npt.NDArray[np.float64], aspect: float, gap: float
) -> npt.NDArray[np.float64]:
    best, size = pos, _screen_size(pos, extents, aspect)
    current, worse = pos, 0
    for _ in range(12):
        middle = ((current + extents[:, :2]).min(axis=0) + (current + extents[:, 2:]).max(axis=0)) / 2
        current = remove_overlaps(middle + (current - middle) * 0.9, extents, gap=gap, max_steps=200)
        if count_overlaps(current, extents, gap) > 0:
            break
        now = _screen_size(current, extents, aspect)
        if now < size:
            best, size, worse = current, now, 0
        else:
            worse += 1
            if worse >= 2:
                break
    return best


def remove_overlaps(
    pos: npt.NDArray[np.float64],
    extents: npt.NDArray[np.float64],
    *,
    gap: float = 4.0,
    max_steps: int = 400,
) -> npt.NDArray[np.float64]:
    """Move boxes apart until none overlap (or ``max_steps`` passes): each overlapping pair is
    pushed apart along the axis of its smaller overlap, half each, so the drawing keeps its shape.
    Every :data:`STUCK_STEPS` passes with overlaps left, the drawing grows by 5% about its centre,
    which frees boxes crowded round a hub from pushes that cancel out.

    Above :data:`ALL_PAIRS_LIMIT` boxes, each pass tests only the pairs on a list of near ones
    (within :data:`SLACK` box sizes more than can overlap), made again once two boxes have moved
    that slack between them: every overlapping pair is on it, and a pass costs a few gathers.

    >>> import numpy as np
    >>> box = np.array([[-30.0, -10, 30, 10]] * 2)
    >>> moved = remove_overlaps(np.array([[0.0, 0], [10, 2]]), box)
    >>> int(count_overlaps(moved, box))
    0
    """
    import numpy as np

    n = len(pos)
    centre = pos + (extents[:, :2] + extents[:, 2:]) / 2
    half = (extents[:, 2:] - extents[:, :2]) / 2 + gap / 2
    tie = np.linspace(-1.0, 1.0, n) * 1e-3  # a fixed nudge for boxes with the same centre
    near: _Near | None = None
    for step in range(max_steps):
        if n > ALL_PAIRS_LIMIT and (near is None or near.stale(centre)):
            near = _Near(centre, half)
        first, second = _overlapping(centre, half) if near is None else near.overlapping(centre, half)
        if len(first) == 0:
            break
        delta = centre[first] - centre[second]
        delta[:, 0] += np.where(delta[:, 0] == 0, tie[first] - tie[second], 0)
        delta[:, 1] += np.where(delta[:, 1] == 0, tie[second] - tie[first], 0)
        overlap = half[first] + half[second] - np.abs(delta)
        along_x = overlap[:, 0] < overlap[:, 1]
        push = np.zeros_like(delta)
        push[along_x, 0] = np.sign(delta[along_x, 0]) * (overlap[along_x, 0] / 2 + 1.0)
        push[~along_x, 1] = np.sign(delta[~along_x, 1]) * (overlap[~along_x, 1] / 2 + 1.0)
        moves = np.zeros_like(centre)
        for axis in (0, 1):
            moves[:, axis] += np.bincount(first, push[:, axis], minlength=n)
            moves[:, axis] -= np.bincount(second, push[:, axis], minlength=n)
        centre += moves * 0.9
        if step % STUCK_STEPS == STUCK_STEPS - 1:  # still stuck (a crowded hub): give everyone room
            middle = centre.mean(axis=0)
            centre = middle + (centre - middle) * 1.05
            if near is not None:
                near.grow(middle, 1.05)
    moved: npt.NDArray[np.float64] = centre - (extents[:, :2] + extents[:, 2:]) / 2
    return moved


def count_overlaps(pos: npt.NDArray[np.float64], extents: npt.NDArray[np.float64], gap: float = 0.0) -> int:
    """How many pairs of boxes overlap (touching edges do not count).

    >>> import numpy as np
    >>> count_overlaps(np.array([[0.0, 0], [5, 0], [100, 0]]), np.array([[-4.0, -4, 4, 4]] * 3))
    1
    """
    centre = pos + (extents[:, :2] + extents[:, 2:]) / 2
    return len(_overlapping(centre, (extents[:, 2:] - extents[:, :2]) / 2 + gap / 2)[0])


#: Overlap-removal passes after which a drawing that still has overlaps is spread out a little.
STUCK_STEPS = 40
#: Up to this many boxes every pair is tested for overlap; above it, only pairs found on a grid.
ALL_PAIRS_LIMIT = 150
#: How much farther apart (in units of the biggest box) than overlapping boxes can be the pairs on
#: the overlap pass's list of near pairs are.
SLACK = 1.0


def _overlapping(
    centre: npt.NDArray[np.float64], half: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The pairs ``i < j`` of boxes (centre, half-size) that overlap by more than a hair."""
    import numpy as np

    n = len(centre)
    if n < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    if n <= ALL_PAIRS_LIMIT:  # every pair at once, as n × n matrices: no gathers
        x, y, hx, hy = centre[:, 0], centre[:, 1], half[:, 0], half[:, 1]
        close = np.abs(x[:, None] - x[None, :]) < hx[:, None] + hx[None, :] - 1e-6
        close &= np.abs(y[:, None] - y[None, :]) < hy[:, None] + hy[None, :] - 1e-6
        pairs = np.nonzero(np.triu(close, 1))
        return pairs[0].astype(np.int64), pairs[1].astype(np.int64)
    return _Near(centre, half, 0.0).overlapping(centre, half)


class _Near:
    """The pairs of boxes (centre, half-size) that could overlap: centres closer than √2 + ``slack``
    in units of the biggest box, found on a grid. It goes :meth:`stale` once two boxes have moved
    that slack between them (only then can a pair not on the list overlap); :meth:`grow` follows
    the drawing's growth about a point without a new search (distances only grow)."""

    def __init__(
        self, centre: npt.NDArray[np.float64], half: npt.NDArray[np.float64], slack: float = SLACK
    ) -> None:
        import numpy as np

        self.span = np.maximum(2 * half.max(axis=0), 1e-9)
        self.anchor = centre.copy()
        self.slack = slack
        # boxes that overlap have centres less than one box apart on each axis: < √2 in all
        self.first, self.second = _close_pairs(centre / self.span, float(np.sqrt(2.0)) + slack + 1e-9)

    def stale(self, centre: npt.NDArray[np.float64]) -> bool:
        import numpy as np

        moved = (centre - self.anchor) / self.span
        far = np.sqrt(np.einsum("ij,ij->i", moved, moved))
        most = np.partition(far, len(far) - 2)[-2:] if len(far) > 1 else far
        return bool(most.sum() >= self.slack)

    def grow(self, middle: npt.NDArray[np.float64], factor: float) -> None:
        self.anchor = middle + (self.anchor - middle) * factor

    def overlapping(
        self, centre: npt.NDArray[np.float64], half: npt.NDArray[np.float64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        import numpy as np

        first, second = self.first, self.second
        x, y = np.ascontiguousarray(centre[:, 0]), np.ascontiguousarray(centre[:, 1])
        hx, hy = np.ascontiguousarray(half[:, 0]), np.ascontiguousarray(half[:, 1])
        hit = np.abs(x.take(first) - x.take(second)) < hx.take(first) + hx.take(second) - 1e-6
        hit &= np.abs(y.take(first) - y.take(second)) < hy.take(first) + hy.take(second) - 1e-6
        index = np.flatnonzero(hit)
        # as i < j, in the order of every pair tested at once: the same sums, the same drawing
        a, b = first.take(index), second.take(index)
        low, high = np.minimum(a, b), np.maximum(a, b)
        order = np.argsort(low * len(centre) + high, kind="stable")
        return low.take(order).astype(np.int64), high.take(order).astype(np.int64)


def _grid(extents: npt.NDArray[np.float64], aspect: float, gap: float) -> npt.NDArray[np.float64]:
    """Positions for unrelated nodes: a grid of equal cells, about ``aspect`` times wider than high."""
    import numpy as np

    n = len(extents)
    cell = (extents[:, 2:] - extents[:, :2]).max(axis=0) + gap
    columns = max(1, min(n, int(np.ceil(np.sqrt(n * aspect * cell[1] / cell[0])))))
    index = np.arange(n)
    centres = np.stack([(index % columns) * cell[0], (index // columns) * cell[1]], axis=1)
    placed: npt.NDArray[np.float64] = centres - (extents[:, :2] + extents[:, 2:]) / 2
    return placed


#: Up to this many blocks, each is placed at the corner of an earlier one that keeps the drawing
#: smallest on a screen of the given aspect; above it, they are packed in shelves.
CORNER_PACK_LIMIT = 80


def _pack_boxes(
    blocks: list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]], aspect: float, gap: float
) -> list[npt.NDArray[np.float64]]:
    """Shifts that place each block (its boxes' low and high corners) without overlap, into a
    rectangle about ``aspect`` times wider than high, biggest block first."""
    import numpy as np

    lows = [low.min(axis=0) for low, _ in blocks]
    sizes = [high.max(axis=0) - low + gap for (_, high), low in zip(blocks, lows, strict=True)]
    if len(blocks) > CORNER_PACK_LIMIT:
        return [corner - low for corner, low in zip(_shelves(sizes, aspect), lows, strict=True)]
    placed = np.zeros((0, 4))  # x0, y0, x1, y1 of each placed block
    corners: list[tuple[float, float]] = [(0.0, 0.0)]
    shifts = []
    for (w, h), low in zip(sizes, lows, strict=True):
        best: tuple[float, float, float, float, float] | None = None
        for x, y in corners:
            if len(placed) and bool(
                (
                    (placed[:, 0] < x + w) & (placed[:, 2] > x) & (placed[:, 1] < y + h) & (placed[:, 3] > y)
                ).any()
            ):
                continue
            right = max(float(placed[:, 2].max()) if len(placed) else 0.0, x + w)
            bottom = max(float(placed[:, 3].max()) if len(placed) else 0.0, y + h)
            cost = (max(right, bottom * aspect), right * bottom, y, x)
            if best is None or cost < best[:4]:
                best = (*cost, 0.0)
                spot = (x, y)
        assert best is not None
        x, y = spot
        placed = np.vstack([placed, [x, y, x + w, y + h]])
        corners = [c for c in corners if c != (x, y)] + [(x + w, y), (x, y + h)]
        shifts.append(np.array([x, y]) - low)
    return shifts


def _shelves(sizes: list[npt.NDArray[np.float64]], aspect: float) -> list[npt.NDArray[np.float64]]:
    """Top-left corners for blocks of these sizes in rows as wide as the widest block or as a
    rectangle of their total area and ``aspect`` would be."""
    import numpy as np

    area = sum(float(w * h) for w, h in sizes)
    width = max(float(max(s[0] for s in sizes)), float(np.sqrt(area * aspect)))
    corners, x, y, row = [], 0.0, 0.0, 0.0
    for w, h in sizes:
        if x > 0 and x + w > width:
            x, y, row = 0.0, y + row, 0.0
        corners.append(np.array([x, y]))
        x, row = x + float(w), max(row, float(h))
    return corners
