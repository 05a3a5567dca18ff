"""The explorer's layout: label boxes never overlap, unrelated nodes form a grid, hubs get room."""

from __future__ import annotations

import numpy as np
import pytest

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
    edges = sorted({tuple(sorted(map(int, rng.choice(n, 2, replace=False)))) for _ in range(150)})
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
