"""The evidence map: shared concepts (rows) × studies (columns), every cell traceable to its claims.

The map is read with the catalogue's own named queries (``studies``, ``shared-concepts``,
``alignments``, ``map-claims``), so it answers the same on any engine, embedded or remote. A cell
holds the study's own concepts aligned with the row, each with the strength of its alignment and
the claims behind it; the row total is the number of studies; a row named by one study is thin.
A second matrix puts barriers beside the facilitators and mechanisms *reported in the same study*
(co-occurrence, not a claim that one addresses the other).

>>> from coprodkg import load_graph
>>> from coprodkg.resources import ontology_dir
>>> kg = load_graph([ontology_dir() / "schema.ttl", "tests/data/map/fixture.ttl"], bundled=False)
>>> emap = build_map(kg)
>>> [s.code for s in emap.studies]
['S1', 'E1', 'E2']
>>> [(r.label, r.total) for r in emap.rows][:2]
[('political context', 3), ('resource shortfalls', 2)]
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import URIRef

from .catalogue import find_query
from .errors import TermError
from .lookup import prefixes_of
from .namespaces import PREFIXES, parse_term, shorten

if TYPE_CHECKING:
    from rdflib.term import Node

    from .engine import Engine

__all__ = [
    "KINDS",
    "STRENGTHS",
    "CellConcept",
    "Claim",
    "EvidenceMap",
    "Row",
    "Study",
    "build_map",
    "render_map_csv",
    "render_map_md",
    "render_summary",
]

DEFAULT_MAP = "cpkid:evidence-map"
#: Row kinds in the order the map groups them: short name -> the class named by cpk:mapKind.
KINDS: dict[str, str] = {
    "barrier": "Barrier",
    "facilitator": "Facilitator",
    "mechanism": "Mechanism",
    "actor": "ActorRole",
    "outcome": "Outcome",
    "concept": "Concept",
}
#: Match strengths, strongest first (their skos:notation).
STRENGTHS: tuple[str, ...] = ("same", "close", "loose")
_KIND_OF = {PREFIXES["cpk"] + cls: kind for kind, cls in KINDS.items()}
PAIRED_KINDS = ("facilitator", "mechanism")
CO_OCCURRENCE_TITLE = "barriers × facilitators/mechanisms reported in the same study"


@dataclass(frozen=True)
class Study:
    """A column: one study of the map."""

    iri: str
    code: str
    year: str
    seed: bool
    independent: bool
    setting: str = ""
    design: str = ""


@dataclass(frozen=True)
class Claim:
    """One claim behind a cell: its wording, status, section, anchor and source codes."""

    statement: str
    status: str
    section: str = ""
    anchor: str = ""
    rationale: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellConcept:
    """A study's own concept in a cell, with the alignment that puts it there."""

    iri: str
    label: str
    definition: str
    role: str
    strength: str
    relation: str
    alignment: str
    disputed: bool
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class Row:
    """A shared concept: its cells by study code, and how many studies name it."""

    iri: str
    label: str
    kind: str
    definition: str
    cells: dict[str, tuple[CellConcept, ...]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """The number of studies with at least one concept in this row."""
        return sum(1 for concepts in self.cells.values() if concepts)

    @property
    def thin(self) -> bool:
        """Named by one study only."""
        return self.total == 1

    def strength(self, code: str) -> str:
        """The strongest match in one cell ("" when the cell is empty).

        >>> row = Row("x", "x", "barrier", "")
        >>> row.strength("E1")
        ''
        """
        found = {c.strength for c in self.cells.get(code, ())}
        return next((s for s in STRENGTHS if s in found), "")


@dataclass(frozen=True)
class EvidenceMap:
    """The whole map: its studies in column order, its rows in display order, the filters applied."""

    iri: str
    studies: tuple[Study, ...]
    rows: tuple[Row, ...]
    filters: tuple[str, ...] = ()

    def co_occurrence(self) -> tuple[list[Row], list[Row], dict[tuple[str, str], list[str]]]:
        """Barrier rows, facilitator/mechanism rows, and for each pair the studies reporting both."""
        barriers = [r for r in self.rows if r.kind == "barrier" and r.total]
        others = [r for r in self.rows if r.kind in PAIRED_KINDS and r.total]
        order = [s.code for s in self.studies]
        pairs: dict[tuple[str, str], list[str]] = {}
        for barrier in barriers:
            for other in others:
                both = [c for c in order if barrier.cells.get(c) and other.cells.get(c)]
                if both:
                    pairs[(barrier.iri, other.iri)] = both
        return barriers, others, pairs


def build_map(
    engine: Engine,
    *,
    map_iri: str = DEFAULT_MAP,
    kinds: Iterable[str] | None = None,
    strengths: Iterable[str] | None = None,
    independent_only: bool = False,
    without_disputed: bool = False,
) -> EvidenceMap:
    """Read the evidence map from a graph, keeping only the given kinds and strengths.

    ``independent_only`` leaves out the studies that are not independent of the seed;
    ``without_disputed`` leaves out alignments that some claim disputes (``cpk:disputes``).
    """
    wanted_kinds = _choose(kinds, tuple(KINDS), "kind")
    wanted_strengths = _choose(strengths, STRENGTHS, "strength")
    try:
        target = parse_term(map_iri, prefixes_of(engine, map_iri))
    except TermError as error:
        raise TermError(f"--map: {error}") from None
    binding: dict[str, Node] = {"map": target}
    studies = tuple(_studies(engine, binding))
    if not studies:
        raise TermError(
            f"{shorten(str(target))} is not an evidence map with studies in this graph "
            "(it needs cpk:includesStudy; see docs/model.md)"
        )
    if independent_only:
        studies = tuple(s for s in studies if s.independent)
    codes = {s.code for s in studies}
    claims = _claims(engine, binding)
    rows: dict[str, Row] = {}
    for r in _run(engine, "shared-concepts", binding):
        kind = _KIND_OF.get(r["kind"], "concept")
        if kind in wanted_kinds and r["shared"] not in rows:
            rows[r["shared"]] = Row(r["shared"], r["label"], kind, r["definition"])
    for r in _run(engine, "alignments", binding):
        row = rows.get(r["shared"])
        disputed = int(r["disputes"] or 0) > 0
        if row is None or r["code"] not in codes or r["strength"] not in wanted_strengths:
            continue
        if disputed and without_disputed:
            continue
        concept = CellConcept(
            r["own"],
            r["ownLabel"],
            r["ownDefinition"],
            r["role"],
            r["strength"],
            r["relation"],
            r["alignment"],
            disputed,
            (_alignment_claim(r), *claims.get(r["own"], ())),
        )
        row.cells[r["code"]] = (*row.cells.get(r["code"], ()), concept)
    filtered = bool(strengths) or independent_only or without_disputed
    kept = [r for r in rows.values() if r.total or not filtered]
    order = {k: i for i, k in enumerate(KINDS)}
    kept.sort(key=lambda r: (order[r.kind], -r.total, r.label.casefold(), r.iri))
    notes = _filter_notes(kinds, strengths, independent_only, without_disputed)
    return EvidenceMap(str(target), studies, tuple(kept), notes)


def _choose(given: Iterable[str] | None, known: Sequence[str], what: str) -> set[str]:
    if given is None:
        return set(known)
    wanted = {g.strip().lower() for g in given if g.strip()}
    unknown = sorted(wanted - set(known))
    if unknown:
        raise TermError(f"unknown {what} {', '.join(unknown)}: choose from {', '.join(known)}")
    return wanted or set(known)


def _filter_notes(
    kinds: Iterable[str] | None, strengths: Iterable[str] | None, independent: bool, undisputed: bool
) -> tuple[str, ...]:
    notes = []
    if kinds is not None:
        notes.append("kinds: " + ", ".join(sorted(k.strip().lower() for k in kinds if k.strip())))
    if strengths is not None:
        notes.append("strengths: " + ", ".join(sorted(s.strip().lower() for s in strengths if s.strip())))
    if independent:
        notes.append("independent studies only")
    if undisputed:
        notes.append("disputed alignments left out")
    return tuple(notes)


def _run(engine: Engine, name: str, bindings: dict[str, Node]) -> list[dict[str, str]]:
    """A named query's rows as dictionaries of text ("" for unbound)."""
    query = find_query(name)
    result = engine.query(query.text, bindings)
    return [
        {v: "" if t is None else str(t) for v, t in zip(result.vars, row, strict=True)} for row in result.rows
    ]


def _studies(engine: Engine, binding: dict[str, Node]) -> Iterable[Study]:
    for r in _run(engine, "studies", binding):
        yield Study(
            r["study"],
            r["code"],
            r["year"],
            r["role"] == "seed",
            not r["notIndependentOf"],
            r["setting"],
            r["design"],
        )


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in text.split(",") if c.strip())


def _claims(engine: Engine, binding: dict[str, Node]) -> dict[str, tuple[Claim, ...]]:
    found: dict[str, list[Claim]] = {}
    for r in _run(engine, "map-claims", binding):
        claim = Claim(
            r["statement"], r["status"], r["section"], r["anchor"], r["rationale"], _codes(r["sources"])
        )
        found.setdefault(r["own"], []).append(claim)
    return {k: tuple(v) for k, v in found.items()}


def _alignment_claim(r: dict[str, str]) -> Claim:
    label = f"{r['ownLabel']} ({r['code']}) — {r['relation']} — {r['sharedLabel']}"
    return Claim(label, r["status"], "", "", r["rationale"], _codes(r["sources"]))


# ---- text renderings ---------------------------------------------------------------------------


def _cell_text(row: Row, code: str) -> str:
    concepts = row.cells.get(code, ())
    return "; ".join(f"{c.label} ({c.strength}{', disputed' if c.disputed else ''})" for c in concepts)


def _table(emap: EvidenceMap) -> tuple[list[str], list[list[str]]]:
    codes = [s.code for s in emap.studies]
    header = ["kind", "shared concept", *codes, "studies", "thin"]
    rows = [
        [r.kind, r.label, *(_cell_text(r, c) for c in codes), str(r.total), "thin" if r.thin else ""]
        for r in emap.rows
    ]
    return header, rows


def _pairs_table(emap: EvidenceMap) -> tuple[list[str], list[list[str]]]:
    barriers, others, pairs = emap.co_occurrence()
    header = ["barrier", *(o.label for o in others)]
    rows = [[b.label, *(", ".join(pairs.get((b.iri, o.iri), [])) for o in others)] for b in barriers]
    return header, rows


def render_map_csv(emap: EvidenceMap, *, pairs: bool = False) -> str:
    """The map (or, with ``pairs``, the barriers × facilitators/mechanisms matrix) as CSV."""
    header, rows = _pairs_table(emap) if pairs else _table(emap)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_map_md(emap: EvidenceMap) -> str:
    """The map and the barriers × facilitators/mechanisms matrix as Markdown tables.

    Cells give each study's own concept with the strength of its alignment.
    """
    parts = [f"# Evidence map ({len(emap.studies)} studies, {len(emap.rows)} shared concepts)", ""]
    if emap.filters:
        parts += ["Filters: " + "; ".join(emap.filters) + ".", ""]
    for title, (header, rows) in (("Shared concepts × studies", _table(emap)),
                                  (CO_OCCURRENCE_TITLE.capitalize(), _pairs_table(emap))):  # fmt: skip
        parts += [f"## {title}", ""]
        parts.append("| " + " | ".join(_md_cell(h) for h in header) + " |")
        parts.append("|" + "---|" * len(header))
        parts += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
        parts.append("")
    return "\n".join(parts)


def render_summary(emap: EvidenceMap, engine: Engine) -> str:
    """One line of counts: studies, claims in the graph, alignments and shared concepts."""
    (r,) = _run(engine, "map-summary", {"map": URIRef(emap.iri)})
    return (
        f"{r['studies']} studies, {r['claims']} claims, {r['alignments'] or 0} alignments "
        f"({r['disputed'] or 0} disputed), {r['sharedConcepts'] or 0} shared concepts\n"
    )
