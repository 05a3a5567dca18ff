"""``coprodkg validate``: do the sources parse, do they pass the SHACL shapes, and are they
complete enough for a person to extend by hand?

Findings name the resource by label and IRI (never a blank node id) and the file it is in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.term import Node

from .engine import KnowledgeGraph, load_graph, source_paths, to_rdflib
from .errors import ParseError, SourceError
from .lookup import display_graph, label_pattern
from .namespaces import OURS, PREFIXES, shorten
from .resources import shapes_path
from .sources import load_file

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["Finding", "Report", "validate_graph", "validate_sources"]

RDF = PREFIXES["rdf"]
SH = PREFIXES["sh"]


@dataclass(frozen=True)
class Finding:
    """One problem: which check found it, on what, where, and what to do."""

    check: str
    message: str
    focus: str = ""
    label: str = ""
    path: str = ""
    file: str = ""
    line: int | None = None
    column: int | None = None
    severity: str = "error"

    def as_dict(self) -> dict[str, Any]:
        """The finding as plain data (for ``--format json``)."""
        return asdict(self)


@dataclass(frozen=True)
class Report:
    """All findings of one validation run."""

    files: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def conforms(self) -> bool:
        """True when nothing was found."""
        return not self.findings


def validate_sources(
    sources: Iterable[Path | str] = (), *, bundled: bool = True, store: Path | str | None = None
) -> Report:
    """Parse every source (collecting parse errors as findings), then validate what loaded."""
    if store is not None:
        return validate_graph(load_graph(sources, store=store))
    paths = source_paths(sources, bundled=bundled)
    oxstore = ox.Store()
    parse_findings = []
    for path in paths:
        try:
            load_file(oxstore, path)
        except ParseError as error:
            parse_findings.append(
                Finding(
                    "parse",
                    error.reason,
                    file=display_graph(path.as_uri()),
                    line=error.line,
                    column=error.column,
                )
            )
        except SourceError as error:
            parse_findings.append(Finding("parse", str(error), file=display_graph(path.as_uri())))
    report = validate_graph(KnowledgeGraph(oxstore))
    return Report(tuple(display_graph(p.as_uri()) for p in paths), (*parse_findings, *report.findings))


def validate_graph(kg: KnowledgeGraph, shapes: Path | None = None) -> Report:
    """Run the SHACL shapes and the hand-editing checks over a loaded graph."""
    context = _Context(kg)
    findings = [
        *_shacl(kg, context, shapes or shapes_path()),
        *_missing_label_or_definition(kg, context),
        *_undefined_iris(kg, context),
        *_duplicate_labels(kg, context),
    ]
    return Report(tuple(display_graph(g) for g, _ in kg.graphs()), tuple(findings))


class _Context:
    """Labels and defining files of resources, looked up once per validation."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg
        rows = kg.query(
            "SELECT ?x (SAMPLE(?l) AS ?label) WHERE { ?x ?p ?o . FILTER(isIRI(?x)) "
            + label_pattern("x", "l")
            + " } GROUP BY ?x"
        ).rows
        self.labels = {str(x): str(label) for x, label in rows if label is not None}
        files: dict[str, str] = {}
        for x, g in kg.query("SELECT ?x ?g WHERE { GRAPH ?g { ?x a ?t } } ORDER BY ?g").rows:
            files.setdefault(str(x), display_graph(str(g)))
        self.files = files

    def name(self, node: Node) -> tuple[str, str, str]:
        """(IRI, label, file) of a focus node; a blank node is named by the resource it is about."""
        if isinstance(node, BNode):
            about = self._about(node)
            if about is not None:
                iri, label, file = self.name(about)
                return iri, f"a blank node about {label or shorten(iri)}", file
            return "", "a blank node", ""
        iri = str(node)
        return iri, self.labels.get(iri, ""), self.files.get(iri, "")

    def _about(self, node: BNode) -> Node | None:
        """The IRI a blank node is about: the subject of a claim, or a resource pointing at it."""
        blank = ox.BlankNode(str(node))
        for quad in self.kg.store.quads_for_pattern(blank, ox.NamedNode(RDF + "subject"), None, None):
            return to_rdflib(quad.object)
        for quad in self.kg.store.quads_for_pattern(None, None, blank, None):
            return to_rdflib(quad.subject)
        return None


def _union(kg: KnowledgeGraph) -> Graph:
    from rdflib import Graph

    graph = Graph()
    for quad in kg.store.quads_for_pattern(None, None, None, None):
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))  # type: ignore[arg-type]
    return graph


def _shacl(kg: KnowledgeGraph, context: _Context, shapes: Path) -> list[Finding]:
    import pyshacl
    from rdflib import Graph

    data = _union(kg)
    shapes_graph = Graph().parse(shapes, format="turtle")
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes_graph, inference="none", advanced=False)
    findings = []
    for result in results.subjects(URIRef(RDF + "type"), URIRef(SH + "ValidationResult")):
        focus = results.value(result, URIRef(SH + "focusNode"))
        path = results.value(result, URIRef(SH + "resultPath"))
        message = results.value(result, URIRef(SH + "resultMessage"))
        severity = results.value(result, URIRef(SH + "resultSeverity"))
        iri, label, file = context.name(focus) if focus is not None else ("", "", "")
        findings.append(
            Finding(
                "shacl",
                str(message or "does not conform"),
                focus=shorten(iri) if iri else "",
                label=label,
                path=shorten(str(path)) if isinstance(path, URIRef) else "",
                file=file,
                severity=str(severity).rsplit("#", 1)[-1].lower() if severity else "violation",
            )
        )
    return sorted(findings, key=lambda f: (f.file, f.focus, f.path, f.message))


def _ours_filter(var: str) -> str:
    return "(" + " || ".join(f'STRSTARTS(STR(?{var}), "{ns}")' for ns in OURS) + ")"


def _missing_label_or_definition(kg: KnowledgeGraph, context: _Context) -> list[Finding]:
    rows = kg.query(
        "SELECT DISTINCT ?x ?lab ?def WHERE { ?x a ?t . "
        "FILTER(?t IN (owl:Class, rdfs:Class, owl:ObjectProperty, owl:DatatypeProperty, owl:AnnotationProperty, "
        "rdf:Property, skos:Concept) || EXISTS { ?t rdfs:subClassOf* skos:Concept }) "
        f"FILTER({_ours_filter('x')}) "
        "BIND(EXISTS { ?x skos:prefLabel|rdfs:label|foaf:name|dct:title ?l } AS ?lab) "
        "BIND(EXISTS { ?x skos:definition|dct:description|rdfs:comment ?d } AS ?def) "
        "FILTER(!?lab || !?def) } ORDER BY ?x"
    ).rows
    findings = []
    for x, has_label, has_definition in rows:
        assert x is not None
        missing = [
            what for what, has in (("label", has_label), ("definition", has_definition)) if not _true(has)
        ]
        iri, label, file = context.name(x)
        findings.append(
            Finding(
                "label-definition",
                f"has no {' and no '.join(missing)}: add "
                + " and ".join(
                    {"label": "skos:prefLabel (or rdfs:label)", "definition": "skos:definition"}[m]
                    for m in missing
                ),
                focus=shorten(iri),
                label=label,
                file=file,
            )
        )
    return findings


def _true(term: Node | None) -> bool:
    return term is not None and str(term).lower() in ("true", "1")


def _undefined_iris(kg: KnowledgeGraph, context: _Context) -> list[Finding]:
    rows = kg.query(
        "SELECT ?x (SAMPLE(?g) AS ?file) WHERE { GRAPH ?g { { ?s ?p ?x } UNION { ?x ?p ?o } UNION { ?s ?x ?o } } "
        f"FILTER(isIRI(?x) && {_ours_filter('x')}) "
        "FILTER NOT EXISTS { ?x a ?any } } GROUP BY ?x ORDER BY ?x"
    ).rows
    return [
        Finding(
            "undefined",
            "is used but defined nowhere (no rdf:type): check the spelling or define it",
            focus=shorten(str(x)),
            file=display_graph(str(g)),
        )
        for x, g in rows
    ]


_GENERIC_TYPES = ("skos:Concept", "owl:NamedIndividual", "owl:Thing", "rdfs:Resource", "prov:Entity")


def _duplicate_labels(kg: KnowledgeGraph, context: _Context) -> list[Finding]:
    rows = kg.query(
        "SELECT ?t ?key (GROUP_CONCAT(DISTINCT STR(?x); separator=' ') AS ?xs) WHERE { "
        "?x a ?t ; skos:prefLabel|rdfs:label ?l . FILTER(isIRI(?x)) "
        f"FILTER(?t NOT IN ({', '.join(_GENERIC_TYPES)})) "
        "BIND(LCASE(STR(?l)) AS ?key) } GROUP BY ?t ?key HAVING (COUNT(DISTINCT ?x) > 1) ORDER BY ?t ?key"
    ).rows
    findings = []
    for t, key, xs in rows:
        members = str(xs).split()
        findings.append(
            Finding(
                "duplicate-label",
                f"{len(members)} resources of type {shorten(str(t))} share the label {str(key)!r}: "
                + ", ".join(shorten(m) for m in members),
                focus=shorten(members[0]),
                label=str(key),
                file=context.files.get(members[0], ""),
            )
        )
    return findings
