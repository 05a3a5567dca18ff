"""``coprodkg diff OLD NEW``: what changed between two versions of the graph, in plain words.

Each side is a file, a folder, an on-disk store or a git revision (``REV`` or ``REV:PATH``, the
path defaulting to ``ontology``). The comparison is rdflib's canonical graph comparison, so two
files that differ only in blank node names are equal. Changes are reported by label: resources
added and removed, labels and definitions changed, links added and removed, and claims added,
removed or changed in status or source (a claim is known by the triple it records).
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import SourceError
from .namespaces import CPK, PREFIXES, format_term, shorten

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["Change", "GraphDiff", "diff_graphs", "diff_sources", "load_side", "render_diff"]

RDF_TYPE = URIRef(PREFIXES["rdf"] + "type")
LABELS = (URIRef(PREFIXES["skos"] + "prefLabel"), URIRef(PREFIXES["rdfs"] + "label"))
DEFINITION = URIRef(PREFIXES["skos"] + "definition")
CLAIM = URIRef(CPK + "Claim")
STATUS = URIRef(CPK + "status")
SOURCE = URIRef(PREFIXES["prov"] + "wasDerivedFrom")
_RDF = PREFIXES["rdf"]
_LINK_NAMESPACES = (CPK, PREFIXES["skos"])
_NOT_LINKS = {STATUS, RDF_TYPE, URIRef(PREFIXES["skos"] + "inScheme")}


@dataclass(frozen=True)
class Change:
    """One change: what kind, about what (label and CURIE), and the old and new value."""

    kind: str
    subject: str
    label: str = ""
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class GraphDiff:
    """Every change between two graphs, and the raw triple counts."""

    old: str
    new: str
    changes: tuple[Change, ...] = field(default_factory=tuple)
    added_triples: int = 0
    removed_triples: int = 0

    @property
    def equal(self) -> bool:
        """True when the graphs are the same up to blank node names."""
        return not self.added_triples and not self.removed_triples

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--format json``."""
        return {**asdict(self), "equal": self.equal}


@contextmanager
def _git_checkout(spec: str) -> Iterator[Path]:
    revision, _, inside = spec.partition(":")
    inside = inside or "ontology"
    try:
        names = subprocess.run(
            ["git", "ls-tree", "-r", "--name-only", revision, "--", inside],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    except (subprocess.CalledProcessError, OSError):
        raise SourceError(f"{spec} is not a file, folder, store or git revision (REV or REV:PATH)") from None
    if not names:
        raise SourceError(f"no files under {inside} at git revision {revision}")
    with tempfile.TemporaryDirectory(prefix="coprodkg-diff-") as folder:
        for name in names:
            target = Path(folder) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            blob = subprocess.run(
                ["git", "show", f"{revision}:{name}"], capture_output=True, check=True
            ).stdout
            target.write_bytes(blob)
        yield Path(folder) / inside


def load_side(spec: str) -> tuple[Graph, dict[str, str]]:
    """One side of a diff as an rdflib graph, with the prefixes its files declare: a file, folder,
    on-disk store or git revision."""
    from .engine import load_graph
    from .validation import union_graph

    path = Path(spec)
    if path.is_dir() and (path / "CURRENT").is_file():
        return union_graph(load_graph(store=path)), {}
    if path.exists():
        return union_graph(load_graph([path], bundled=False)), _prefixes(path)
    with _git_checkout(spec) as folder:
        return union_graph(load_graph([folder], bundled=False)), _prefixes(folder)


def _prefixes(path: Path) -> dict[str, str]:
    from .hints import declared_prefixes
    from .sources import collect_sources

    return declared_prefixes(collect_sources([path]))


def diff_sources(old: str, new: str, *, names: tuple[str, str] | None = None) -> GraphDiff:
    """Compare two sides given as the user wrote them (``names``: how to call them in the report,
    when not by what was given, as for a side read from stdin)."""
    (a, ns_a), (b, ns_b) = load_side(old), load_side(new)
    shown_old, shown_new = names or (old, new)
    return diff_graphs(a, b, old=shown_old, new=shown_new, prefixes={**ns_a, **ns_b, **PREFIXES})


def _label(graph: Graph, node: Node) -> str:
    for predicate in LABELS:
        value = graph.value(node, predicate)
        if value is not None:
            return str(value)
    return ""


def _claims(graph: Graph, ns: Mapping[str, str]) -> dict[tuple[Node, Node, Node], tuple[str, frozenset[str]]]:
    claims = {}
    for claim in graph.subjects(RDF_TYPE, CLAIM):
        key = tuple(graph.value(claim, URIRef(_RDF + p)) for p in ("subject", "predicate", "object"))
        status = graph.value(claim, STATUS)
        sources = frozenset(shorten(str(s), ns) for s in graph.objects(claim, SOURCE))
        claims[key] = (shorten(str(status), ns) if status is not None else "", sources)
    return claims  # type: ignore[return-value]


def _statement(graph: Graph, key: tuple[Node, Node, Node], ns: Mapping[str, str]) -> str:
    s, p, o = key
    return f"{_name(graph, s, ns)} — {format_term(p, ns)} — {_name(graph, o, ns)}"


def _name(graph: Graph, node: Node | None, ns: Mapping[str, str]) -> str:
    if node is None:
        return "?"
    if isinstance(node, Literal):
        return f'"{node}"'
    label = _label(graph, node)
    return f"{label} ({format_term(node, ns)})" if label else format_term(node, ns)


def diff_graphs(
    a: Graph, b: Graph, *, old: str = "old", new: str = "new", prefixes: Mapping[str, str] = PREFIXES
) -> GraphDiff:
    """The changes from graph ``a`` to graph ``b``, blank nodes compared by structure."""
    added, removed = _triple_counts(a, b)
    if not added and not removed:
        return GraphDiff(old, new)
    changes = [
        *_resource_changes(a, b, prefixes),
        *_link_changes(a, b, prefixes),
        *_claim_changes(a, b, prefixes),
    ]
    return GraphDiff(old, new, tuple(changes), added, removed)


def _resource_changes(a: Graph, b: Graph, prefixes: Mapping[str, str]) -> list[Change]:
    """Resources (not claims) added or removed, and their labels and definitions changed."""
    changes: list[Change] = []
    typed_a = {s for s in a.subjects(RDF_TYPE, None) if isinstance(s, URIRef)}
    typed_b = {s for s in b.subjects(RDF_TYPE, None) if isinstance(s, URIRef)}
    for s in sorted(typed_b - typed_a):
        if (s, RDF_TYPE, CLAIM) not in b:
            changes.append(Change("resource added", shorten(str(s), prefixes), _label(b, s)))
    for s in sorted(typed_a - typed_b):
        if (s, RDF_TYPE, CLAIM) not in a:
            changes.append(Change("resource removed", shorten(str(s), prefixes), _label(a, s)))
    for s in sorted(typed_a & typed_b):
        if (s, RDF_TYPE, CLAIM) in b:
            continue  # a claim is known by its triple: compared in _claim_changes
        for kind, predicates in (("label changed", LABELS), ("definition changed", (DEFINITION,))):
            before = sorted(str(o) for p in predicates for o in a.objects(s, p))
            after = sorted(str(o) for p in predicates for o in b.objects(s, p))
            if before != after:
                changes.append(
                    Change(kind, shorten(str(s), prefixes), _label(b, s), "; ".join(before), "; ".join(after))
                )
    return changes


def _link_changes(a: Graph, b: Graph, prefixes: Mapping[str, str]) -> list[Change]:
    """Links (not the claims' own triples) added or removed."""
    changes: list[Change] = []
    claimed = {CLAIM}
    for graph, other, kind in ((b, a, "link added"), (a, b, "link removed")):
        for t in sorted(graph):
            subj, pred, obj = t
            if _is_link(subj, pred, obj) and t not in other and not _claim_node(graph, subj, claimed):
                changes.append(
                    Change(
                        kind,
                        shorten(str(subj), prefixes),
                        _label(graph, subj),
                        new=_statement(graph, t, prefixes),
                    )
                )
    return changes


def _claim_changes(a: Graph, b: Graph, prefixes: Mapping[str, str]) -> list[Change]:
    """Claims added or removed, and those whose status or sources changed."""
    changes: list[Change] = []
    claims_a, claims_b = _claims(a, prefixes), _claims(b, prefixes)
    for graph, kind, keys in (
        (b, "claim added", set(claims_b) - set(claims_a)),
        (a, "claim removed", set(claims_a) - set(claims_b)),
    ):
        for key in sorted(keys, key=str):
            statement = _statement(graph, key, prefixes)
            old_new = {"new": statement} if kind == "claim added" else {"old": statement}
            changes.append(Change(kind, shorten(str(key[0]), prefixes), _label(graph, key[0]), **old_new))
    for key in sorted(set(claims_a) & set(claims_b), key=str):
        (status_a, sources_a), (status_b, sources_b) = claims_a[key], claims_b[key]
        what = _statement(b, key, prefixes)
        if status_a != status_b:
            changes.append(Change("claim status changed", what, "", status_a, status_b))
        if sources_a != sources_b:
            changes.append(
                Change(
                    "claim source changed",
                    what,
                    "",
                    ", ".join(sorted(sources_a)),
                    ", ".join(sorted(sources_b)),
                )
            )
    return changes


def _triple_counts(a: Graph, b: Graph) -> tuple[int, int]:
    """(added, removed) triples: ground triples as sets, the ones with blank nodes canonicalised."""
    from rdflib import Graph
    from rdflib.compare import graph_diff, to_isomorphic

    def split(graph: Graph) -> tuple[set[Any], Graph]:
        ground, blank = set(), Graph()
        for triple in graph:
            if any(isinstance(t, BNode) for t in triple):
                blank.add(triple)
            else:
                ground.add(triple)
        return ground, blank

    ground_a, blank_a = split(a)
    ground_b, blank_b = split(b)
    _, only_a, only_b = graph_diff(to_isomorphic(blank_a), to_isomorphic(blank_b))
    return len(ground_b - ground_a) + len(only_b), len(ground_a - ground_b) + len(only_a)


def _is_link(s: Node, p: Node, o: Node) -> bool:
    return (
        isinstance(s, URIRef)
        and isinstance(o, URIRef)
        and p not in _NOT_LINKS
        and str(p).startswith(_LINK_NAMESPACES)
        and not str(p).startswith(_RDF)
    )


def _claim_node(graph: Graph, s: Node, classes: set[URIRef]) -> bool:
    return any((s, RDF_TYPE, c) in graph for c in classes) or isinstance(s, BNode)


def render_diff(diff: GraphDiff, fmt: str = "text") -> str:
    """The diff as text, Markdown or JSON."""
    if fmt == "json":
        import json

        return json.dumps(diff.as_dict(), indent=2, ensure_ascii=False) + "\n"
    if diff.equal:
        return f"{diff.old} and {diff.new} hold the same graph\n"
    from .validation import plural

    counts = f"{plural(diff.added_triples, 'triple')} added, {diff.removed_triples} removed"
    if fmt == "md":
        out = [
            f"# {diff.old} → {diff.new}",
            "",
            counts,
            "",
            "| change | about | old | new |",
            "|---|---|---|---|",
        ]
        for c in diff.changes:
            about = f"{c.label} ({c.subject})" if c.label else c.subject
            out.append(f"| {c.kind} | {_md(about)} | {_md(c.old)} | {_md(c.new)} |")
        return "\n".join(out) + "\n"
    out = [f"{diff.old} → {diff.new}: {counts}"]
    for c in diff.changes:
        about = f"{c.label} ({c.subject})" if c.label else c.subject
        detail = f": {c.old!r} → {c.new!r}" if c.old or c.new else ""
        if c.kind.startswith(("link", "claim added", "claim removed")):
            detail = f": {c.new or c.old}"
            about = ""
        out.append(f"  {c.kind}" + (f" {about}" if about else "") + detail)
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
