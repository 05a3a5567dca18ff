"""The network as files: GraphML and GEXF for Gephi, node and edge CSV files for spreadsheets.

GraphML and GEXF want scalar attributes, so lists (sources, alternative labels) are joined with
``"; "``, an attribute holding values of several types becomes text, and edges get unique ids.
Characters XML 1.0 forbids (control characters in a label) are dropped from GraphML and GEXF, and
CSV cells a spreadsheet would run as formulas are neutralised (a leading ``'``).
"""

from __future__ import annotations

import csv
import io
import pathlib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import OutputError
from .files import check_output, is_stdout, write_file
from .results import neutralise_formula

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["NETWORK_FORMATS", "render_network", "write_network"]

#: The formats :func:`write_network` writes.
NETWORK_FORMATS = ("graphml", "gexf", "csv")


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(text: str) -> str:
    """Text XML 1.0 can hold: the control characters it forbids are dropped (Gephi refuses them)."""
    return _NOT_XML.sub("", text)


def _scalar(value: Any) -> str | int | float | bool:
    if isinstance(value, list | tuple | set):
        return _xml_text("; ".join(str(v) for v in value))
    for kind in (bool, int, float):  # bool first: it is an int
        if isinstance(value, kind):
            return kind(value)
    return _xml_text(str(value))  # also rdflib Literals


def _flat(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy for GraphML and GEXF: scalar attributes, each of one type, and edges keyed ``e0``,
    ``e1`` ... (the predicate stays an attribute)."""
    flat = graph.__class__()
    for node, attrs in graph.nodes(data=True):
        flat.add_node(_xml_text(node), **{k: _scalar(v) for k, v in attrs.items() if v is not None})
    for number, (u, v, attrs) in enumerate(graph.edges(data=True)):
        # a document-wide unique edge id: Gephi drops edges whose id repeats (the predicate would)
        flat.add_edge(
            _xml_text(u),
            _xml_text(v),
            key=f"e{number}",
            **{k: _scalar(x) for k, x in attrs.items() if x is not None},
        )
    _unify([d for _, d in flat.nodes(data=True)])
    _unify([d for *_, d in flat.edges(data=True)])
    return flat


def _unify(rows: list[dict[str, Any]]) -> None:
    """Turn an attribute that holds values of several types into text everywhere it occurs."""
    types: dict[str, set[type]] = {}
    for attrs in rows:
        for key, value in attrs.items():
            types.setdefault(key, set()).add(type(value))
    mixed = {key for key, seen in types.items() if len(seen) > 1}
    for attrs in rows:
        for key in mixed & attrs.keys():
            attrs[key] = str(attrs[key])


def render_network(graph: nx.MultiDiGraph, fmt: str) -> bytes:
    """The network as GraphML or GEXF (lists joined with ``"; "``); CSV is two files: see
    :func:`write_network`."""
    import networkx as nx

    if fmt not in ("graphml", "gexf"):
        raise OutputError(f"{fmt} is written as files, not to stdout: give an --output")
    out = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(_flat(graph), out, encoding="utf-8")
    else:
        nx.write_gexf(_flat(graph), out, encoding="utf-8")
    return out.getvalue()


def write_network(
    graph: nx.MultiDiGraph,
    path: pathlib.Path | str,
    fmt: str = "graphml",
    *,
    protect: Iterable[pathlib.Path] = (),
) -> list[pathlib.Path]:
    """Write the network for Gephi (``graphml``, ``gexf``) or spreadsheets (``csv``); return the files.

    Nothing in ``protect`` (the sources read) is ever written over: see :func:`~coprodkg.files.write_file`.

    ``csv`` treats ``path`` as a prefix: ``net`` (or ``net.csv``) gives ``net-nodes.csv`` (columns
    Id, Label, kind, ...) and ``net-edges.csv`` (Source, Target, Type, Label, ...), the headers
    Gephi's spreadsheet import recognises. List attributes are joined with ``"; "``.

    >>> import tempfile
    >>> from coprodkg import load_graph, project
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in write_network(project(load_graph()), f"{tmp}/net", "csv")]
    ['net-nodes.csv', 'net-edges.csv']
    """
    path = pathlib.Path(path)
    if fmt not in NETWORK_FORMATS:
        raise OutputError(f"unknown network format {fmt!r}: choose one of {', '.join(NETWORK_FORMATS)}")
    if fmt != "csv":
        files = [path]
        contents = [render_network(graph, fmt)]
    else:
        if is_stdout(path):
            raise OutputError("--format csv writes two files: give -o PREFIX, not stdout")
        if path.is_dir():
            raise OutputError(f"-o {path} is a folder: give a file prefix such as {path / 'coprodkg'}")
        stem = path.with_suffix("") if path.suffix == ".csv" else path
        files = [stem.with_name(stem.name + "-nodes.csv"), stem.with_name(stem.name + "-edges.csv")]
        contents = [_node_csv(graph).encode("utf-8"), _edge_csv(graph).encode("utf-8")]
    for file in files:  # refuse before writing either file
        check_output(file, protect)
    for file, content in zip(files, contents, strict=True):
        write_file(file, content, protect=protect)
    return files


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([neutralise_formula(c) if isinstance(c, str) else c for c in row] for row in rows)
    return out.getvalue()


def _node_csv(graph: nx.MultiDiGraph) -> str:
    first = ["kind", "status", "sources", "definition"]
    rest = sorted({k for _, d in graph.nodes(data=True) for k in d} - {"label", "iri", *first})
    rows = [
        [node, attrs.get("label", ""), *(_scalar(attrs.get(k, "")) for k in (*first, *rest))]
        for node, attrs in graph.nodes(data=True)
    ]
    return _csv(["Id", "Label", *first, *rest], rows)


def _edge_csv(graph: nx.MultiDiGraph) -> str:
    rows = [
        [
            u,
            v,
            "Directed",
            d.get("label", ""),
            d.get("predicate", key),
            d.get("status", ""),
            _scalar(d.get("sources", [])),
        ]
        for u, v, key, d in graph.edges(keys=True, data=True)
    ]
    return _csv(["Source", "Target", "Type", "Label", "predicate", "status", "sources"], rows)
