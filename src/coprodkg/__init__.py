"""coprodkg: a knowledge graph of how research evidence is co-produced with local government.

Query it (SPARQL and a catalogue of named queries), explore it (an offline HTML graph) and extend
it with your own Turtle files. ::

    >>> from coprodkg import load_graph
    >>> kg = load_graph()
    >>> kg.query("ASK { ?s ?p ?o }").boolean
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the lazy names below resolve to, for type checkers and editors
    from .analysis import (
        GraphPath,
        Neighbour,
        NodeMetrics,
        Step,
        analyse,
        neighbours,
        shortest_paths,
        write_network,
    )
    from .catalogue import NamedQuery, find_query, list_queries
    from .engine import KnowledgeGraph, fill_store, load_graph
    from .errors import CoprodkgError
    from .lookup import describe, graph_info, resolve_term, search
    from .projection import project
    from .remote import RemoteGraph, pull_graph, push_graph
    from .results import Result, render_result
    from .validation import validate_graph, validate_sources
    from .viz import display_explorer, render_html, write_html

__version__ = "0.1.0"

_LAZY = {
    # loading and querying
    "KnowledgeGraph": "engine",
    "load_graph": "engine",
    "fill_store": "engine",
    "Result": "results",
    "render_result": "results",
    "NamedQuery": "catalogue",
    "find_query": "catalogue",
    "list_queries": "catalogue",
    # describing and checking
    "describe": "lookup",
    "resolve_term": "lookup",
    "search": "lookup",
    "graph_info": "lookup",
    "validate_sources": "validation",
    "validate_graph": "validation",
    # errors
    "CoprodkgError": "errors",
    # the network view and its analysis
    "project": "projection",
    "analyse": "analysis",
    "GraphPath": "analysis",
    "Neighbour": "analysis",
    "NodeMetrics": "analysis",
    "Step": "analysis",
    "shortest_paths": "analysis",
    "neighbours": "analysis",
    "write_network": "analysis",
    # the HTML explorer
    "render_html": "viz",
    "write_html": "viz",
    "display_explorer": "viz",
    # remote stores
    "RemoteGraph": "remote",
    "push_graph": "remote",
    "pull_graph": "remote",
}

__all__ = [
    "CoprodkgError",
    "GraphPath",
    "KnowledgeGraph",
    "NamedQuery",
    "Neighbour",
    "NodeMetrics",
    "RemoteGraph",
    "Result",
    "Step",
    "__version__",
    "analyse",
    "describe",
    "display_explorer",
    "fill_store",
    "find_query",
    "graph_info",
    "list_queries",
    "load_graph",
    "neighbours",
    "project",
    "pull_graph",
    "push_graph",
    "render_html",
    "render_result",
    "resolve_term",
    "search",
    "shortest_paths",
    "validate_graph",
    "validate_sources",
    "write_html",
    "write_network",
]


def __getattr__(name: str) -> Any:
    """Import the public API on first use, so that ``import coprodkg`` stays cheap."""
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
