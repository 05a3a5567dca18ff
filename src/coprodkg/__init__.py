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

__version__ = "0.1.0"

__all__ = [
    "CoprodkgError",
    "KnowledgeGraph",
    "Result",
    "__version__",
    "load_graph",
]

if TYPE_CHECKING:
    from .engine import KnowledgeGraph, load_graph
    from .errors import CoprodkgError
    from .results import Result

_LAZY = {
    "KnowledgeGraph": "engine",
    "load_graph": "engine",
    "CoprodkgError": "errors",
    "Result": "results",
}


def __getattr__(name: str) -> Any:
    """Import the public API on first use, so that ``import coprodkg`` stays cheap."""
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
