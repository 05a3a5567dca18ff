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
from .layout import force_layout, pagerank
from .namespaces import shorten
from .projection import KINDS, project

if TYPE_CHECKING:
    import networkx as nx

    from .engine import Engine

__all__ = [
    "STATUSES",
    "STYLES",
    "Explorer",
    "display_explorer",
    "open_in_browser",
    "render_html",
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
    "organisation": ("#8C564B", "square"),
    "source": ("#7F7F7F", "square"),
    "concept": ("#9467BD", "dot"),
}
#: Claim status -> how the page draws it (the border of nodes, the line of edges).
STATUSES: dict[str, str] = {
    "article": "solid",
    "project": "solid",
    "literature": "dotted",
    "interpretation": "dashed",
}
_DASHES: dict[str, Any] = {"solid": False, "dotted": [2, 4], "dashed": [8, 6]}
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

    graph = source if isinstance(source, nx.Graph) else project(source)
    if depth < 0:
        raise OutputError(f"--depth must be 0 or more, not {depth}")
    if max_nodes < 1:
        raise OutputError(f"--max-nodes must be 1 or more, not {max_nodes}")
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
    return _render(graph, rank, themes, title, notes, centre)


def write_html(
    source: Engine | nx.MultiDiGraph,
    path: Path | str,
    **options: Any,
) -> Path:
    """Write :func:`render_html`'s page to ``path`` (UTF-8) and return the path."""
    target = Path(path)
    page = render_html(source, **options)
    if target.is_dir():
        raise OutputError(f"--output {target} is a folder: give a file name")
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None
    return target


def display_explorer(source: Engine | nx.MultiDiGraph, *, height: int = 680, **options: Any) -> Explorer:
    """The explorer for a notebook cell: Jupyter and VS Code render the returned object inline."""
    return Explorer(render_html(source, **options), height)


def open_in_browser(path: Path) -> bool:
    """Open a written explorer page in the default web browser."""
    return webbrowser.open(path.resolve().as_uri())


# ---- choosing what to draw -----------------------------------------------------------------------


def _keep_kinds(graph: nx.MultiDiGraph, kinds: Iterable[str]) -> nx.MultiDiGraph:
    wanted = {k.strip().lower() for k in kinds if k.strip()}
    unknown = sorted(wanted - set(KINDS))
    if unknown:
        raise TermError(f"unknown kind {', '.join(unknown)}: choose from {', '.join(KINDS)}")
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
    """Node -> the themes it belongs to: the theme, its neighbours, and theirs (not through hubs)."""
    undirected = graph.to_undirected(as_view=True)
    member: dict[str, list[str]] = {}
    for theme in sorted(n for n, kind in graph.nodes(data="kind") if kind == "theme"):
        reached = {theme}
        frontier = [theme]
        for _ in range(2):
            step = []
            for node in frontier:
                for other in undirected[node]:
                    if other not in reached:
                        reached.add(other)
                        if graph.nodes[other].get("kind") not in _HUBS:
                            step.append(other)
            frontier = step
        for node in reached:
            member.setdefault(node, []).append(theme)
    return member


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


def _layout(graph: nx.MultiDiGraph, order: Sequence[str]) -> list[tuple[float, float]]:
    """Positions in pixels, scaled so that a typical edge is long enough for its label."""
    import numpy as np

    index = {node: i for i, node in enumerate(order)}
    edges = _simple_edges(graph, index)
    coords = force_layout(len(order), edges)
    scale = 45.0 if len(order) <= 500 else 40.0
    return [(round(float(x) * scale, 1), round(float(y) * scale, 1)) for x, y in np.asarray(coords)]


def _display_label(edge_label: str, predicate: str) -> str:
    """``skos:broader`` reads as ``broader`` on an edge; real labels stay as they are."""
    return (
        edge_label.split(":", 1)[1] if edge_label == shorten(predicate) and ":" in edge_label else edge_label
    )


def _tooltip(*parts: str, limit: int = 240) -> str:
    text = "\n".join(p for p in parts if p)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sizes(ranks: Sequence[float], smallest: float = 7.0, largest: float = 26.0) -> list[float]:
    """Node sizes from PageRank, scaled here: vis-network's own ``value`` scaling costs the
    browser about as much as drawing (it rescans every node as each one is added).

    >>> _sizes([0.1, 0.2, 0.3])
    [7.0, 16.5, 26.0]
    """
    low, high = min(ranks, default=0.0), max(ranks, default=0.0)
    span = high - low
    return [round(smallest + (largest - smallest) * ((r - low) / span if span else 0.5), 2) for r in ranks]


def _node_items(
    graph: nx.MultiDiGraph, order: Sequence[str], rank: dict[str, float], themes: dict[str, list[str]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """vis-network node items (what is drawn) and the page's metadata (what the panel shows)."""
    index = {node: i for i, node in enumerate(order)}
    positions = _layout(graph, order)
    size = _sizes([rank[node] for node in order])
    items: list[dict[str, Any]] = []
    meta: list[dict[str, Any]] = []
    for i, node in enumerate(order):
        attrs = graph.nodes[node]
        kind = str(attrs.get("kind", "concept"))
        status = str(attrs.get("status", ""))
        colour, shape = STYLES.get(kind, STYLES["concept"])
        label = str(attrs.get("label", shorten(node)))
        items.append(
            {
                "id": i,
                "label": label,
                "x": positions[i][0],
                "y": positions[i][1],
                "size": size[i],
                "shape": shape,
                "color": {
                    "background": colour,
                    "border": "#333333" if status == "interpretation" else colour,
                },
                "shapeProperties": {"borderDashes": _DASHES[STATUSES.get(status, "solid")]},
                "title": _tooltip(f"{label} ({kind})", str(attrs.get("definition", ""))),
            }
        )
        meta.append(
            {
                "label": label,
                "kind": kind,
                "status": status,
                "definition": str(attrs.get("definition", "")),
                "iri": node,
                "curie": shorten(node),
                "alt": [str(a) for a in _as_list(attrs.get("skos:altLabel"))],
                "sources": [str(s) for s in attrs.get("sources", [])],
                "themes": [index[t] for t in themes.get(node, []) if t in index],
                "rank": round(rank[node], 6),
            }
        )
    return items, meta


def _edge_items(graph: nx.MultiDiGraph, order: Sequence[str], big: bool) -> list[dict[str, Any]]:
    index = {node: i for i, node in enumerate(order)}
    items = []
    for j, (u, v, attrs) in enumerate(graph.edges(data=True)):
        status = str(attrs.get("status", ""))
        label = _display_label(str(attrs.get("label", "")), str(attrs.get("predicate", "")))
        items.append(
            {
                "id": j,
                "from": index[u],
                "to": index[v],
                "label": label,
                "dashes": _DASHES[STATUSES.get(status, "solid")],
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
            "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "widthConstraint": {"maximum": 180},
            "scaling": {"label": {"enabled": False, "drawThreshold": 5}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#a0a4a8", "highlight": "#333333", "hover": "#555555"},
            "font": {"size": 9, "color": "#666666", "strokeWidth": 3, "align": "middle"},
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.2} if count <= 300 else False,
            "width": 1,
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
) -> str:
    order = sorted(
        graph, key=lambda n: (str(graph.nodes[n].get("kind", "")), str(graph.nodes[n].get("label", "")), n)
    )
    big = len(order) > 1000
    node_items, meta = _node_items(graph, order, rank, themes)
    counts = dict.fromkeys(STYLES, 0)
    for item in meta:
        counts[item["kind"]] = counts.get(item["kind"], 0) + 1
    data = {
        "nodes": node_items,
        "edges": _edge_items(graph, order, big),
        "options": _vis_options(len(order)),
        "meta": meta,
        "kinds": [
            {"name": k, "colour": STYLES[k][0], "shape": STYLES[k][1], "count": counts[k]}
            for k in STYLES
            if counts[k]
        ],
        "statuses": [{"name": s, "line": line} for s, line in STATUSES.items()],
        "themes": [{"id": i, "label": m["label"]} for i, m in enumerate(meta) if m["kind"] == "theme"],
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
        "vis_js": Markup(_script_safe((vis / "vis-network.min.js").read_text(encoding="utf-8"))),
        "vis_css": Markup((vis / "vis-network.css").read_text(encoding="utf-8")),
        "explorer_js": Markup(_script_safe(own.joinpath("explorer.js").read_text(encoding="utf-8"))),
        "explorer_css": Markup(own.joinpath("explorer.css").read_text(encoding="utf-8")),
    }


def _script_safe(code: str) -> str:
    """Inline JavaScript that cannot end its own ``<script>`` element early."""
    return code.replace("</script", "<\\/script").replace("<!--", "<\\!--")
