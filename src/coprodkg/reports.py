"""Plain-text and JSON renderings of the reports: info, show, search, queries, validate."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from .catalogue import NamedQuery
from .lookup import Description, GraphInfo, Hit, display_graph
from .namespaces import format_term, shorten
from .results import render_table

if TYPE_CHECKING:
    from .validation import Report

__all__ = [
    "render_catalogue",
    "render_description",
    "render_hits",
    "render_info",
    "render_named_query",
    "render_report",
    "to_json",
]


def to_json(value: Any) -> str:
    """A report dataclass (or a list of them) as indented JSON; blank nodes written ``_:id`` so
    they read as such.

    >>> json.loads(to_json([Hit("urn:x", "x", ("cpk:Theme",), 1.0, "label")]))[0]["types"]
    ['cpk:Theme']
    """
    data = [_plain(v) for v in value] if isinstance(value, list | tuple) else _plain(value)
    return json.dumps(_blank_nodes_marked(data), indent=2, default=str, ensure_ascii=False) + "\n"


def _plain(value: Any) -> Any:
    return asdict(value) if hasattr(value, "__dataclass_fields__") else value


def _blank_nodes_marked(value: Any) -> Any:
    from rdflib import BNode

    if isinstance(value, BNode):
        return f"_:{value}"
    if isinstance(value, dict):
        return {k: _blank_nodes_marked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_blank_nodes_marked(v) for v in value]
    return value


def render_info(info: GraphInfo) -> str:
    """``coprodkg info`` as text."""
    out = [f"{info.triples} triples in {len(info.graphs)} files", "", "Classes"]
    out.append(
        _indent(
            render_table(
                ["instances", "class", "label"], [[str(n), shorten(c), lab] for c, lab, n in info.classes]
            )
        )
    )
    out += ["", "Files"]
    out.append(
        _indent(render_table(["triples", "file"], [[str(n), display_graph(g)] for g, n in info.graphs]))
    )
    out += ["", "Prefixes"]
    out.append(_indent(render_table(["prefix", "namespace"], [[p + ":", ns] for p, ns in info.prefixes])))
    return "\n".join(out) + "\n"


def _indent(text: str) -> str:
    return "\n".join("  " + line if line else line for line in text.splitlines())


def _other(label: str, term: Any) -> str:
    shown = format_term(term)
    return f"{label} ({shown})" if label and label != shown else shown


def render_description(d: Description) -> str:
    """``coprodkg show`` as text."""
    out = [f"{d.label or shorten(d.iri)}  {shorten(d.iri)}", f"  IRI         {d.iri}"]
    if d.types:
        out.append("  type        " + ", ".join(lab or shorten(t) for t, lab in d.types))
    if d.alt_labels:
        out.append("  also        " + "; ".join(d.alt_labels))
    if d.definition:
        out.append("  definition  " + d.definition)
    if d.status or d.sources:
        out.append(f"  status      {d.status or '-'}")
        out.append("  sources     " + ("; ".join(d.sources) or "-"))
    if d.files:
        out.append("  defined in  " + ", ".join(d.files))
    if d.outgoing:
        out += ["", "Relations"]
        out += [
            f"  {r.predicate_label or shorten(r.predicate)} -> {_other(r.other_label, r.other)}"
            for r in d.outgoing
        ]
    if d.incoming:
        out += ["", "Referenced by"]
        out += [
            f"  {r.predicate_label or shorten(r.predicate)} <- {_other(r.other_label, r.other)}"
            for r in d.incoming
        ]
    if d.claims:
        out += ["", "Claims and their sources"]
        for c in d.claims:
            out.append(f"  [{c.status or '?'}] {c.statement}")  # subject — relation — object
            where = "; ".join(c.sources) + (f", {c.section}" if c.section else "")
            out.append(f"      source: {where}" + (f' — "{c.anchor}"' if c.anchor else ""))
    return "\n".join(out) + "\n"


def render_hits(hits: Sequence[Hit]) -> str:
    """``coprodkg search`` as a table."""
    if not hits:
        return "no matches\n"
    rows = [[", ".join(h.types) or "-", h.label, shorten(h.iri)] for h in hits]
    return render_table(["type", "label", "curie"], rows) + "\n"


def render_catalogue(queries: Sequence[NamedQuery]) -> str:
    """``coprodkg queries`` as a table."""
    rows = []
    for q in queries:
        params = ", ".join(f"{p.name}={p.default}" if p.default else p.name for p in q.parameters)
        rows.append([q.name, q.title, params])
    return render_table(["name", "title", "parameters"], rows) + "\n"


def render_named_query(q: NamedQuery) -> str:
    """``coprodkg queries NAME``: the header, then the SPARQL."""
    out = [q.title, "=" * len(q.title), "", q.description or "(no description)", ""]
    if q.parameters:
        out.append("Parameters (bind with --param NAME=VALUE):")
        out += [f"  {p.name:<12} default {p.default or '(none)':<24} {p.description}" for p in q.parameters]
        out.append("")
    out += [f"Run it: coprodkg query {q.name}", "", q.text.rstrip()]
    return "\n".join(out) + "\n"


def render_report(report: Report) -> str:
    """``coprodkg validate`` as text: ``file:line: [check] what: message``, what to type under it,
    then a summary line."""
    lines = []
    for f in report.findings:
        where = f.file or "-"
        if f.line is not None:
            where += f":{f.line}" + (f":{f.column}" if f.column is not None else "")
        what = " ".join(x for x in (f.focus, f.label and f"({f.label})", f.path) if x)
        lines.append(f"{where}: [{f.check}] " + (f"{what}: " if what else "") + f.message)
        if "\n" in f.suggestion:
            lines += ["    add:", *("      " + s for s in f.suggestion.splitlines())]
        elif f.suggestion:
            lines.append(f"    write: {f.suggestion}")
    lines.append(report.summary())
    return "\n".join(lines) + "\n"
