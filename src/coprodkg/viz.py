"""The HTML explorer: one self-contained, offline, searchable page drawn with pyvis and vis-network.

The page shows :func:`coprodkg.projection.project` — the same network the analysis uses — with
positions computed here (:mod:`coprodkg.layout`), so the browser never runs physics. Every script and style is inlined; labels, definitions and sources
reach the page as JSON data and are shown with ``textContent``, never as markup.

>>> from coprodkg import load_graph
>>> page = render_html(load_graph(), focus="cpkid:theme-4", depth=1)
>>> page.startswith("<!DOCTYPE html>") and "vis-network" in page
True
"""

from __future__ import annotations

import html
import webbrowser
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import OutputError, TermError
from .layout import label_layout, pagerank, reuse_layout, text_width, wrap_label
from .namespaces import shorten
from .projection import KINDS, project

if TYPE_CHECKING:
    import networkx as nx

    from .engine import Engine

__all__ = [
    "PROVENANCE_KINDS",
    "STATUSES",
    "STYLES",
    "Explorer",
    "display_explorer",
    "open_in_browser",
    "render_html",
    "script_safe",
    "write_html",
]

#: Kind -> (colour, vis-network shape). Okabe-Ito colours where there are enough of them.
STYLES: dict[str, tuple[str, str]] = {
    "theme": ("#E69F00", "star"),
    "mechanism": ("#0072B2", "hexagon"),
    "barrier": ("#D55E00", "triangleDown"),
    "facilitator": ("#009E73", "triangle"),
    "outcome": ("#56B4E9", "diamond"),
    "actor": ("#CC79A7", "dot"),
    "person": ("#E7A9CF", "dot"),
    "organisation": ("#8C564B", "square"),
    "source": ("#7F7F7F", "square"),
    "concept": ("#9467BD", "dot"),
    "shared": ("#F0E442", "diamond"),
}
#: Claim status -> (line colour, dash pattern) for the lines of that status: each differs from
#: the others in both, so they stay apart for readers who do not see colour.
STATUSES: dict[str, tuple[str, list[int] | bool]] = {
    "article": ("#444444", False),
    "study": ("#6B4C9A", [14, 3, 3, 3]),
    "project": ("#0072B2", [10, 5]),
    "literature": ("#00795C", [2, 4]),
    "interpretation": ("#C4470B", [8, 4, 2, 4]),
}
_NO_STATUS = ("#8A8F94", False)
#: Kinds the concept view leaves out; the provenance toggle draws them.
PROVENANCE_KINDS = frozenset({"person", "organisation", "source"})
#: Label font size, and the width labels wrap to (pixels at zoom 1).
FONT_SIZE = 14
LABEL_WIDTH = 150.0
_HUBS = {"source", "organisation", "actor", "theme"}
DEFAULT_MAX_NODES = 5000
DEFAULT_TITLE = "coprodkg explorer"


@dataclass(frozen=True)
class Explorer:
    """An explorer page that Jupyter and VS Code show inline (as a sandboxed ``<iframe srcdoc>``)."""

    html: str
    height: int = 680

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="allow-scripts" '
            f'style="width:100%;height:{self.height}px;border:1px solid #ddd"></iframe>'
        )


def render_html(
    source: Engine | nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    kinds: Iterable[str] | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    title: str = DEFAULT_TITLE,
) -> str:
    """The explorer for a graph (an engine, or a projection from :func:`project`) as one HTML page.

    ``focus`` (a CURIE, ``<IRI>`` or label) with ``depth`` keeps that resource's neighbourhood;
    ``kinds`` keeps only those kinds; above ``max_nodes`` the most central nodes are kept and the
    page says so.
    """
    import networkx as nx

    studies: list[dict[str, str]] = []
    seed: str | None = None
    if isinstance(source, nx.Graph):
        graph = source
    else:
        graph = _with_map(source, project(source))
        studies, seed = _studies(source)
    if depth < 0:
        raise OutputError(f"depth must be 0 or more, not {depth}")
    if max_nodes < 1:
        raise OutputError(f"max_nodes must be 1 or more, not {max_nodes}")
    notes: list[str] = []
    centre: str | None = None
    themes = _theme_membership(graph)
    if kinds is not None:
        graph = _keep_kinds(graph, kinds)
    if focus is not None:
        centre = _focus_node(source, graph, focus)
        near = nx.ego_graph(graph.to_undirected(as_view=True), centre, radius=depth).nodes
        graph = graph.subgraph(near).copy()
    if graph.number_of_nodes() == 0:
        raise OutputError("nothing to draw: no resource of a known kind is left (see docs/conventions.md)")
    rank = _pagerank(graph)
    if graph.number_of_nodes() > max_nodes:
        total = graph.number_of_nodes()
        kept = sorted(graph, key=lambda n: (-rank[n], n))[:max_nodes]
        graph = graph.subgraph(kept).copy()
        notes.append(
            f"Showing the {max_nodes:,} most central of {total:,} nodes. "
            "Use --focus, --kinds or --max-nodes to see others."
        )
    return _render(graph, rank, themes, title, notes, centre, studies, seed)


def write_html(
    source: Engine | nx.MultiDiGraph,
    path: Path | str,
    **options: Any,
) -> Path:
    """Write :func:`render_html`'s page to ``path`` (UTF-8) and return the path."""
    from .files import write_file

    return write_file(Path(path), render_html(source, **options))


def display_explorer(source: Engine | nx.MultiDiGraph, *, height: int = 680, **options: Any) -> Explorer:
    """The explorer for a notebook cell: Jupyter and VS Code render the returned object inline."""
    return Explorer(render_html(source, **options), height)


def open_in_browser(path: Path) -> bool:
    """Open a written explorer page in the default web browser."""
    return webbrowser.open(path.resolve().as_uri())


# ---- choosing what to draw -----------------------------------------------------------------------


def _keep_kinds(graph: nx.MultiDiGraph, kinds: Iterable[str]) -> nx.MultiDiGraph:
    wanted = {k.strip().lower() for k in kinds if k.strip()}
    known = list(KINDS)
    unknown = sorted(wanted - set(known))
    if unknown:
        raise TermError(f"unknown kind {', '.join(unknown)}: choose from {', '.join(known)}")
    return graph.subgraph([n for n, kind in graph.nodes(data="kind") if kind in wanted]).copy()


def _focus_node(source: Engine | nx.MultiDiGraph, graph: nx.MultiDiGraph, text: str) -> str:
    import networkx as nx

    if isinstance(source, nx.Graph):
        from .lookup import resolve_node

        iri = resolve_node(source, text)
    else:
        from .lookup import resolve_term

        iri = str(resolve_term(source, text))
    if iri not in graph:
        raise TermError(f"{text} is not drawn in the explorer (no known kind, or left out by --kinds)")
    return iri


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _theme_membership(graph: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Node -> the themes whose neighbourhood it is in: the theme, its neighbours, and theirs, but
    not through hubs (people, organisations, sources, other themes) and never another theme."""
    undirected = graph.to_undirected(as_view=True)
    member: dict[str, list[str]] = {}
    for theme in sorted(n for n, kind in graph.nodes(data="kind") if kind == "theme"):
        reached = {theme}
        frontier = [theme]
        for _ in range(2):
            step = []
            for node in frontier:
                for other in undirected[node]:
                    if other not in reached and graph.nodes[other].get("kind") != "theme":
                        reached.add(other)
                        if graph.nodes[other].get("kind") not in _HUBS:
                            step.append(other)
            frontier = step
        for node in reached:
            member.setdefault(node, []).append(theme)
    return member


def _with_map(engine: Engine, graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The projection (whose shared concepts and alignments are already there, see
    :mod:`coprodkg.projection`) plus each node's map studies
    (``?node prov:wasDerivedFrom/cpk:mapStudy ?study``, by the study's code)."""
    rows = engine.query(
        "SELECT ?x ?code WHERE { ?x prov:wasDerivedFrom/cpk:mapStudy ?study . ?study skos:notation ?code }"
    ).rows
    for node, code in rows:
        attrs = graph.nodes.get(str(node)) if str(node) in graph else None
        if attrs is not None and code is not None:
            studies = attrs.setdefault("studies", [])
            if str(code) not in studies:
                studies.append(str(code))
    return graph


def _studies(engine: Engine) -> tuple[list[dict[str, str]], str | None]:
    """The evidence map's studies (code, label, IRI), the seed first, and the seed's code."""
    from .lookup import label_pattern

    rows = engine.query(
        "SELECT DISTINCT ?study ?code ?seed ?label WHERE { ?map cpk:includesStudy ?study . "
        f"?study skos:notation ?code . OPTIONAL {{ ?map cpk:seedStudy ?seed }} {label_pattern('study', 'label')} }}"
    ).rows
    seed = next((str(c) for s, c, k, _ in rows if k is not None and s == k), None)
    found = {str(c): str(label or c) for _, c, _, label in rows if c is not None}
    iris = {str(c): str(s) for s, c, _, _ in rows if c is not None}
    order = sorted(found, key=lambda c: (c != seed, _number_key(c)))
    return [{"code": c, "label": found[c], "iri": iris[c]} for c in order], seed


def _number_key(text: str) -> tuple[str, int, str]:
    """Sorts "E2" before "E10" and "2" before "10".

    >>> sorted(["E10", "E2", "S1", "3"], key=_number_key)
    ['3', 'E2', 'E10', 'S1']
    """
    head = text.rstrip("0123456789")
    tail = text[len(head) :]
    return (head, int(tail) if tail else -1, text)


# ---- measuring, placing and rendering --------------------------------------------------------------


def _simple_edges(graph: nx.MultiDiGraph, index: dict[str, int]) -> list[tuple[int, int]]:
    pairs = {tuple(sorted((index[u], index[v]))) for u, v in graph.edges() if u != v}
    return sorted((a, b) for a, b in pairs)


def _pagerank(graph: nx.MultiDiGraph) -> dict[str, float]:
    """PageRank on the undirected projection (direction carries meaning here, not importance).

    Computed in numpy: networkx's own goes through scipy, whose import costs more than the work.
    """
    import numpy as np

    order = list(graph)
    index = {node: i for i, node in enumerate(order)}
    ends = np.array(_simple_edges(graph, index), dtype=np.int64).reshape(-1, 2)
    return dict(zip(order, (float(x) for x in pagerank(len(order), ends)), strict=True))


def _extent(lines: Sequence[str], size: float) -> tuple[float, float, float, float]:
    """The box vis-network draws for a shape of ``size`` with its label below: left, top, right,
    bottom, relative to the node's position.

    >>> _extent(["political barriers"], 10)
    (-56.9, -10, 56.9, 24)
    """
    width = max([2 * size, *(text_width(line, FONT_SIZE) for line in lines)])
    half = round(width / 2 + 0.05, 1)
    return (-half, -size, half, size + FONT_SIZE * len(lines))


def _place(
    ids: Sequence[int],
    edges: Sequence[tuple[int, int]],
    extents: Any,
    whole: Any = None,
    neighbours: dict[int, set[int]] | None = None,
) -> dict[str, Any]:
    """A view: these nodes laid out by themselves (with the edges between them), in pixels; with
    ``whole`` (every node's position in the view of all, as an array), each component keeps the
    shape it has there. Given each node's ``neighbours`` (from ``edges``), the view's edges are
    found from its own nodes' instead of by a look at every edge of the graph."""
    import numpy as np

    local = {node: i for i, node in enumerate(ids)}
    if neighbours is None:
        inner = [(local[a], local[b]) for a, b in edges if a in local and b in local]
    else:  # the same edges in the same order, in time proportional to the view
        pairs = sorted((a, b) for a in ids for b in neighbours.get(a, ()) if a < b and b in local)
        inner = [(local[a], local[b]) for a, b in pairs]
    boxes = np.asarray(extents, dtype=float)[list(ids)]
    if not ids:
        pos = np.zeros((0, 2))
    elif whole is None:
        pos = label_layout(inner, boxes)
    else:
        pos = reuse_layout(inner, boxes, whole[list(ids)])
    return {
        "ids": list(ids),
        "x": [round(float(x), 1) for x in pos[:, 0]],
        "y": [round(float(y), 1) for y in pos[:, 1]],
    }


def _views(
    graph: nx.MultiDiGraph,
    order: Sequence[str],
    kinds: Sequence[str],
    extents: Any,
    studies: Sequence[dict[str, Any]],
    default: str | None,
) -> tuple[dict[str, dict[str, Any]], str]:
    """Each view the page can show, and the one it opens on: ``all`` (everything: the
    provenance toggle), ``concepts`` (no people, organisations or sources), and per map study
    ``study:CODE`` and ``study:CODE+all`` (that study's nodes and the shared concepts its
    concepts align to). ``all`` and the view the page opens on (``default``, or the seed study's
    concepts, or ``concepts``) get layouts of their own; every other view is packed from the
    shapes its parts have in ``all`` (:func:`coprodkg.layout.reuse_layout`), in a millisecond."""
    import numpy as np

    index = {node: i for i, node in enumerate(order)}
    edges = _simple_edges(graph, index)
    every = list(range(len(order)))
    chosen = {"all": every, "concepts": [i for i in every if kinds[i] not in PROVENANCE_KINDS] or every}
    neighbours: dict[int, set[int]] = {}
    for a, b in edges:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    members: dict[str, set[int]] = {}  # each map study's own nodes, found in one look at the nodes
    unclaimed: set[int] = set()  # nodes of no map study
    for i in every:
        if kinds[i] != "shared":
            codes = graph.nodes[order[i]].get("studies")
            for code in codes or ():
                members.setdefault(code, set()).add(i)
            if not codes:
                unclaimed.add(i)
    for study in studies:
        code = study["code"]
        # the seed's view keeps what belongs to no map study (its literature, say): the graph it grew from
        own = members.get(code, set()) | (unclaimed if study.get("seed") else set())
        hubs = {j for i in own for j in neighbours.get(i, ()) if kinds[j] == "shared"}
        chosen[f"study:{code}+all"] = sorted(own | hubs)
        chosen[f"study:{code}"] = [i for i in chosen[f"study:{code}+all"] if kinds[i] not in PROVENANCE_KINDS]
    seed = next((s["code"] for s in studies if s.get("seed")), None)
    if default is None:
        default = f"study:{seed}" if seed is not None and f"study:{seed}" in chosen else "concepts"
    boxes = np.asarray(extents, dtype=float)  # once: each view takes its rows
    views = {"all": _place(every, edges, boxes)}
    whole = np.column_stack([views["all"]["x"], views["all"]["y"]])
    done: dict[tuple[int, ...], dict[str, Any]] = {tuple(every): views["all"]}
    for name in [default, *chosen]:
        key = tuple(chosen[name])
        if key not in done:
            done[key] = _place(key, edges, boxes, None if name == default else whole, neighbours)
        views[name] = done[key]
    return views, default


def _overview(
    graph: nx.MultiDiGraph,
    order: Sequence[str],
    meta: Sequence[dict[str, Any]],
    studies: Sequence[dict[str, Any]],
    first: int,
) -> list[dict[str, Any]]:
    """The lines of the overview of the evidence map: one from each study to each shared concept
    its own concepts align to (ids from ``first`` on), drawn only in the ``overview`` view.

    Each is as strong as the study's concepts that make it, and an interpretation, as the
    alignments are."""
    index = {node: i for i, node in enumerate(order)}
    study = {s["code"]: index[s["iri"]] for s in studies if s.get("iri") in index}
    through: dict[tuple[int, int], list[str]] = {}
    for u, v in graph.edges():
        a, b = index[u], index[v]
        if meta[b]["kind"] == "shared" and meta[a]["kind"] != "shared":
            for code in meta[a]["studies"]:
                if code in study:
                    through.setdefault((study[code], b), []).append(meta[a]["label"])
    colour, dashes = STATUSES["interpretation"]
    items = []
    for j, ((a, b), labels) in enumerate(sorted(through.items())):
        names = sorted(set(labels))
        items.append(
            {
                "id": first + j,
                "from": a,
                "to": b,
                "label": "names" if len(names) == 1 else f"names ({len(names)})",
                "dashes": dashes,
                "width": min(1.2 + 0.8 * (len(names) - 1), 5.0),
                "color": {"color": colour, "highlight": "#111111", "hover": colour, "opacity": 0.85},
                "title": _tooltip(
                    f"{meta[a]['notation'] or meta[a]['label']} names {meta[b]['label']} as: "
                    + "; ".join(names)
                ),
                "status": "interpretation",
                "sources": [],
                "view": "overview",
                "hidden": True,
            }
        )
    return items


def _display_label(edge_label: str, predicate: str) -> str:
    """``skos:broader`` reads as ``broader`` on an edge; real labels stay as they are."""
    return (
        edge_label.split(":", 1)[1] if edge_label == shorten(predicate) and ":" in edge_label else edge_label
    )


def _tooltip(*parts: str, limit: int = 240) -> str:
    text = "\n".join(p for p in parts if p)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sizes(ranks: Sequence[float], smallest: float = 5.0, largest: float = 15.0) -> list[float]:
    """Node sizes from PageRank, scaled here: vis-network's own ``value`` scaling costs the
    browser about as much as drawing (it rescans every node as each one is added).

    >>> _sizes([0.1, 0.2, 0.3])
    [5.0, 10.0, 15.0]
    """
    low, high = min(ranks, default=0.0), max(ranks, default=0.0)
    span = high - low
    return [round(smallest + (largest - smallest) * ((r - low) / span if span else 0.5), 2) for r in ranks]


def _viz_kind(attrs: dict[str, Any]) -> str:
    """The projection's kind, with people (actors with a ``foaf:name``) told apart from roles."""
    kind = str(attrs.get("kind", "concept"))
    return "person" if kind == "actor" and "foaf:name" in attrs else kind


def _node_items(
    graph: nx.MultiDiGraph, order: Sequence[str], rank: dict[str, float], themes: dict[str, list[str]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[tuple[float, float, float, float]]]:
    """vis-network node items (what is drawn), the page's metadata (what the panel shows) and
    each node's drawn box (for the layout)."""
    index = {node: i for i, node in enumerate(order)}
    size = _sizes([rank[node] for node in order])
    items: list[dict[str, Any]] = []
    meta: list[dict[str, Any]] = []
    extents: list[tuple[float, float, float, float]] = []
    for i, node in enumerate(order):
        attrs = graph.nodes[node]
        kind = _viz_kind(attrs)
        status = str(attrs.get("status", ""))
        colour, shape = STYLES.get(kind, STYLES["concept"])
        label = str(attrs.get("label", shorten(node)))
        lines = wrap_label(label, LABEL_WIDTH, FONT_SIZE)
        extents.append(_extent(lines, size[i]))
        items.append(
            {
                "id": i,
                "label": "\n".join(lines),
                "size": size[i],
                "shape": shape,
                "color": {
                    "background": colour,
                    "border": "#333333" if status == "interpretation" else colour,
                },
                "shapeProperties": {"borderDashes": [3, 2] if status == "interpretation" else False},
                "title": _tooltip(f"{label} ({kind})", str(attrs.get("definition", ""))),
            }
        )
        notation = attrs.get("skos:notation")
        meta.append(
            {
                "label": label,
                "kind": kind,
                "status": status,
                "definition": str(attrs.get("definition", "")),
                "iri": node,
                "curie": shorten(node),
                "notation": str(_as_list(notation)[0]) if notation is not None else "",
                "alt": [str(a) for a in _as_list(attrs.get("skos:altLabel"))],
                "sources": [str(s) for s in attrs.get("sources", [])],
                "themes": [index[t] for t in themes.get(node, []) if t in index],
                "studies": [str(s) for s in attrs.get("studies", [])],
                "rank": round(rank[node], 6),
            }
        )
    return items, meta, extents


def _edge_items(graph: nx.MultiDiGraph, order: Sequence[str]) -> list[dict[str, Any]]:
    index = {node: i for i, node in enumerate(order)}
    items = []
    for j, (u, v, attrs) in enumerate(graph.edges(data=True)):
        status = str(attrs.get("status", ""))
        colour, dashes = STATUSES.get(status, _NO_STATUS)
        label = _display_label(str(attrs.get("label", "")), str(attrs.get("predicate", "")))
        items.append(
            {
                "id": j,
                "from": index[u],
                "to": index[v],
                "label": label,
                "dashes": dashes,
                "color": {"color": colour, "highlight": "#111111", "hover": colour, "opacity": 0.85},
                "title": _tooltip(
                    f"{graph.nodes[u].get('label', '')} — {label} → {graph.nodes[v].get('label', '')}"
                ),
                "status": status,
                "sources": [str(s) for s in attrs.get("sources", [])],
            }
        )
    return items


def _vis_options(count: int) -> dict[str, Any]:
    big = count > 1000
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": not big,
            "tooltipDelay": 250,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "multiselect": False,
        },
        "nodes": {
            "borderWidth": 2,
            "borderWidthSelected": 4,
            # a selected or hovered label stays regular: bold text is wider than the layout's box
            "chosen": {"label": False, "node": True},
            "font": {
                "size": FONT_SIZE,
                "face": "system-ui, sans-serif",
                "color": "#1a1a1a",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "scaling": {"label": {"enabled": False, "drawThreshold": 5}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            # relation names appear once zoomed in enough to read them (9 px × zoom ≥ 8 px)
            "font": {"size": 9, "color": "#4a4a4a", "strokeWidth": 3, "align": "middle"},
            "scaling": {"label": {"drawThreshold": 9}},
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.2} if count <= 300 else False,
            "width": 1.2,
            "selectionWidth": 2,
        },
    }


def _render(
    graph: nx.MultiDiGraph,
    rank: dict[str, float],
    themes: dict[str, list[str]],
    title: str,
    notes: list[str],
    focus: str | None,
    studies: Sequence[dict[str, str]] = (),
    seed: str | None = None,
) -> str:
    order = sorted(
        graph, key=lambda n: (str(graph.nodes[n].get("kind", "")), str(graph.nodes[n].get("label", "")), n)
    )
    node_items, meta, extents = _node_items(graph, order, rank, themes)
    kinds = [m["kind"] for m in meta]
    present = {s for m in meta for s in m["studies"]}
    drawn: list[dict[str, Any]] = [{**s, "seed": s["code"] == seed} for s in studies if s["code"] in present]
    # a focus page draws the whole neighbourhood it was asked for; otherwise the concept view
    # first, of the seed study when there is an evidence map
    views, default = _views(graph, order, kinds, extents, drawn, "all" if focus is not None else None)
    edge_items = _edge_items(graph, order)
    overview = _overview(graph, order, meta, drawn, len(edge_items)) if drawn else []
    if overview:
        ends = [(e["from"], e["to"]) for e in overview]
        views["overview"] = _place(sorted({i for pair in ends for i in pair}), ends, extents)
    start = views[default]
    shown = dict(zip(start["ids"], zip(start["x"], start["y"], strict=True), strict=True))
    for item in node_items:
        x, y = shown.get(item["id"], (0.0, 0.0))
        item.update(x=x, y=y, hidden=item["id"] not in shown)
    for edge in edge_items:  # as the page's script would set them: it then has nothing to change
        edge["hidden"] = edge["from"] not in shown or edge["to"] not in shown
    counts = dict.fromkeys(STYLES, 0)
    for kind in kinds:
        counts[kind] = counts.get(kind, 0) + 1
    lines: dict[str, int] = {}
    for edge in edge_items:
        lines[edge["status"]] = lines.get(edge["status"], 0) + 1
    theme_ids = sorted(
        (i for i, m in enumerate(meta) if m["kind"] == "theme"),
        key=lambda i: (
            _number_key(meta[i]["notation"]) if meta[i]["notation"] else ("~", 0, ""),
            meta[i]["label"],
        ),
    )
    data = {
        "nodes": node_items,
        "edges": edge_items + overview,
        "options": _vis_options(len(order)),
        "meta": meta,
        "kinds": [
            {
                "name": k,
                "colour": STYLES[k][0],
                "shape": STYLES[k][1],
                "count": counts[k],
                "provenance": k in PROVENANCE_KINDS,
            }
            for k in STYLES
            if counts[k]
        ],
        "statuses": [
            {"name": s, "colour": c, "dashes": d, "count": lines[s]}
            for s, (c, d) in [*STATUSES.items(), ("", _NO_STATUS)]
            if lines.get(s)
        ],
        "themes": [{"id": i, "label": meta[i]["label"], "notation": meta[i]["notation"]} for i in theme_ids],
        "studies": drawn,
        "views": views,
        "view": default,
        "focus": focus,
    }
    return str(_template().render(title=title, notes=notes, data=data, **_assets()))


def _template() -> Any:
    from jinja2 import Environment, PackageLoader

    env = Environment(
        loader=PackageLoader("coprodkg", "explorer"), autoescape=True, keep_trailing_newline=True
    )
    return env.get_template("explorer.html")


def _assets() -> dict[str, Any]:
    """The scripts and styles to inline: vis-network as pyvis ships it, and the explorer's own.

    pyvis's files are found without importing pyvis (its import costs a third of a second), and
    they are passed as text rather than Jinja includes, so 700 KB of JavaScript is not parsed as a
    template on every run.
    """
    from importlib.resources import files
    from importlib.util import find_spec

    from markupsafe import Markup

    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise OutputError("pyvis is not installed: `pip install pyvis` (it ships vis-network)")
    vis = Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib" / "vis-9.1.2"
    own = files("coprodkg").joinpath("explorer")
    return {
        "vis_js": Markup(script_safe((vis / "vis-network.min.js").read_text(encoding="utf-8"))),
        "vis_css": Markup((vis / "vis-network.css").read_text(encoding="utf-8")),
        "explorer_js": Markup(script_safe(own.joinpath("explorer.js").read_text(encoding="utf-8"))),
        "explorer_css": Markup(own.joinpath("explorer.css").read_text(encoding="utf-8")),
    }


def script_safe(code: str) -> str:
    """Inline JavaScript that cannot end its own ``<script>`` element early."""
    return code.replace("</script", "<\\/script").replace("<!--", "<\\!--")
