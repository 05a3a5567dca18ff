"""The explorer's layout: label boxes never overlap, unrelated nodes form a grid, hubs get room."""

from __future__ import annotations

import numpy as np
import pytest

from coprodkg import layout
from coprodkg.layout import (
    count_overlaps,
    label_layout,
    remove_overlaps,
    text_width,
    wrap_label,
)


def boxes(widths: list[float], size: float = 8.0, lines: int = 1) -> np.ndarray:
    """Boxes as vis-network draws a shape of ``size`` with a label of that width below it."""
    return np.array([[-w / 2, -size, w / 2, size + 14.0 * lines] for w in widths])


def test_text_width_follows_the_letters() -> None:
    assert text_width("mmmm") > text_width("iiii") * 3
    assert text_width("café") == pytest.approx(text_width("cafe"))  # accents take their letter's width
    assert text_width("ab", 28) == pytest.approx(2 * text_width("ab", 14))


def test_wrap_keeps_every_word_and_the_width() -> None:
    text = "overcoming political and cultural barriers by increasing absorptive capacity"
    lines = wrap_label(text, 150)
    assert " ".join(lines) == text and len(lines) > 1
    assert all(text_width(line) <= 150 for line in lines)
    assert wrap_label("Supercalifragilisticexpialidocious", 50) == ["Supercalifragilisticexpialidocious"]
    assert wrap_label("", 50) == [""]


def test_remove_overlaps_separates_a_pile() -> None:
    extents = boxes([120.0] * 30)
    piled = np.zeros((30, 2))
    assert count_overlaps(piled, extents) == 30 * 29 // 2
    moved = remove_overlaps(piled, extents)
    assert count_overlaps(moved, extents) == 0


def test_remove_overlaps_leaves_separate_boxes_alone() -> None:
    extents = boxes([40.0] * 3)
    apart = np.array([[0.0, 0.0], [200.0, 0.0], [0.0, 200.0]])
    assert np.array_equal(remove_overlaps(apart, extents), apart)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_label_layout_has_no_overlaps_on_a_random_graph(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 120
    pairs = (sorted(map(int, rng.choice(n, 2, replace=False))) for _ in range(150))
    edges = sorted({(a, b) for a, b in pairs})
    extents = boxes(list(rng.uniform(30, 160, n)), lines=2)
    pos = label_layout(edges, extents, seed=seed)
    assert pos.shape == (n, 2) and count_overlaps(pos, extents) == 0
    assert np.array_equal(pos, label_layout(edges, extents, seed=seed))  # the same picture each time


def test_hubs_get_room_for_every_leaf() -> None:
    leaves = 37  # the bundled graph's LACoR hub has 37 relations
    edges = [(0, i) for i in range(1, leaves + 1)]
    extents = boxes([150.0] * (leaves + 1), lines=2)
    pos = label_layout(edges, extents)
    assert count_overlaps(pos, extents) == 0
    distance = np.hypot(*(pos[1:] - pos[0]).T)
    assert distance.max() < 6 * distance.min() + 400  # leaves stay round their hub, not flung away


def test_unrelated_nodes_are_a_grid_not_a_row() -> None:
    extents = boxes([100.0] * 25)
    pos = label_layout([], extents)
    xs, ys = np.unique(pos[:, 0].round(3)), np.unique(pos[:, 1].round(3))
    assert len(xs) > 2 and len(ys) > 2 and len(xs) * len(ys) >= 25
    width, height = np.ptp(pos, axis=0)
    assert 0.5 < width / height < 4  # a screen-shaped block
    assert count_overlaps(pos, extents) == 0


def test_components_are_packed_without_overlap() -> None:
    edges = [(0, 1), (1, 2), (3, 4), (5, 6), (6, 7), (7, 5)]
    extents = boxes([90.0] * 10)
    pos = label_layout(edges, extents)
    assert count_overlaps(pos, extents) == 0
    assert np.allclose((pos + extents[:, :2]).min(axis=0), -(pos + extents[:, 2:]).max(axis=0))  # centred


# ---- big graphs: neighbour lists from a grid, in the force layout and in the overlap pass


def connected(sizes: list[int], seed: int = 0) -> list[tuple[int, int]]:
    """Edges of one random connected graph per size (a random tree plus a quarter more edges)."""
    rng = np.random.default_rng(seed)
    edges: list[tuple[int, int]] = []
    start = 0
    for n in sizes:
        edges += [(start + int(rng.integers(0, i)), start + i) for i in range(1, n)]
        for _ in range(n // 4):
            a, b = sorted(map(int, rng.choice(n, 2, replace=False)))
            edges.append((start + a, start + b))
        start += n
    return edges


class Calls:
    """How often the force layout's neighbour search and repulsion ran, by component size."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.grid: list[int] = []  # the force layout's neighbour lists, built on the grid
        self.between: list[int] = []  # repulsion between listed pairs (a neighbour list used)
        self.exact: list[int] = []  # repulsion between every pair
        close, between, exact = layout._close_pairs, layout._repulsion_between, layout._repulsion

        def spy_close(pos: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray]:
            # the overlap pass also asks the grid, in units of boxes (radius √2 and more); the
            # force layout asks with at most 1.25 (its cut-off of at most 1, with slack)
            if radius <= 1.25:
                self.grid.append(len(pos))
            return close(pos, radius)

        def spy_between(pos: np.ndarray, pairs: tuple[np.ndarray, np.ndarray], radius: float) -> np.ndarray:
            self.between.append(len(pos))
            return between(pos, pairs, radius)

        def spy_exact(pos: np.ndarray) -> np.ndarray:
            self.exact.append(len(pos))
            return exact(pos)

        monkeypatch.setattr(layout, "_close_pairs", spy_close)
        monkeypatch.setattr(layout, "_repulsion_between", spy_between)
        monkeypatch.setattr(layout, "_repulsion", spy_exact)


def component_boxes(pos: np.ndarray, extents: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    """Each component's bounding box (left, top, right, bottom) of its nodes' drawn boxes."""
    bounds, start = [], 0
    for n in sizes:
        part = slice(start, start + n)
        low, high = (pos[part] + extents[part, :2]).min(axis=0), (pos[part] + extents[part, 2:]).max(axis=0)
        bounds.append(np.concatenate([low, high]))
        start += n
    return bounds


@pytest.mark.parametrize(
    "sizes", [[1250, 1250], [2500], [2000, 2000, 1000], [5000]], ids=["2x1250", "2500", "2x2000+1000", "5000"]
)
def test_big_graphs_keep_neighbour_lists_and_come_out_finite_separate_unpiled_and_the_same(
    sizes: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert all(n > layout.EXACT_LIMIT for n in sizes)
    edges, n = connected(sizes), sum(sizes)
    extents = boxes([80.0] * n)
    calls = Calls(monkeypatch)
    pos = label_layout(edges, extents)
    assert pos.shape == (n, 2) and np.isfinite(pos).all()
    assert calls.exact == []  # no component small enough for every pair
    assert sorted(set(calls.between)) == sorted(set(sizes)) == sorted(set(calls.grid))
    for size in set(sizes):  # the neighbour list is kept for a few steps: built less often than used
        assert 0 < calls.grid.count(size) < calls.between.count(size)
    bounds = component_boxes(pos, extents, sizes)
    for i, a in enumerate(bounds):
        for b in bounds[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]  # side by side
    # no label left on another, so a view of part of it (reuse_layout) has nothing to move
    assert count_overlaps(pos, extents) == 0
    assert np.array_equal(pos, label_layout(edges, extents))  # the same picture each time


def every_close_pair(pos: np.ndarray, radius: float) -> set[tuple[int, int]]:
    delta = pos[:, None, :] - pos[None, :, :]
    first, second = np.nonzero(np.triu((delta**2).sum(axis=2) < radius * radius, 1))
    return set(zip(first.tolist(), second.tolist(), strict=True))


@pytest.mark.parametrize("spread", ["even", "far outliers"])
def test_the_grid_finds_every_close_pair_once(spread: str) -> None:
    pos = np.random.default_rng(5).uniform(0, 50, size=(2500, 2))
    if spread == "far outliers":  # a grid with many more cells than points: searched, not tabled
        pos[:3] = [[-4000.0, 0.0], [4000.0, 9000.0], [4000.5, 9000.2]]
    for radius in (0.5, 1.0, 1.25):
        first, second = layout._close_pairs(pos, radius)
        found = [tuple(sorted(p)) for p in zip(first.tolist(), second.tolist(), strict=True)]
        assert len(found) == len(set(found)) > 500  # each pair once
        assert set(found) == every_close_pair(pos, radius)


def test_overlap_pass_on_near_lists_moves_boxes_exactly_as_testing_every_pair(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(3)
    for n in (160, 600):
        assert n > layout.ALL_PAIRS_LIMIT
        pos = rng.normal(size=(n, 2)) * 150
        extents = boxes(list(rng.uniform(40, 160, n)))
        near = remove_overlaps(pos, extents)
        with monkeypatch.context() as patch:
            patch.setattr(layout, "ALL_PAIRS_LIMIT", n)
            every = remove_overlaps(pos, extents)
        assert count_overlaps(pos, extents) > n and np.array_equal(near, every)
