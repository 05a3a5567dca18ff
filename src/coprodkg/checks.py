"""The hand-editing checks of ``coprodkg validate``: what the shapes cannot see but breaks queries.

Each check takes the loaded graph and a :class:`Context` (labels, files, line positions, the known
vocabulary) and returns :class:`Finding` values, each placed at a file and line where one is known
and carrying the text to type in ``suggestion``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal
from rdflib.term import Node

from .engine import KnowledgeGraph, to_rdflib
from .lookup import LABEL_IRIS, display_graph
from .namespaces import CPK, OURS, PREFIXES, shorten
from .positions import FilePositions
from .suggest import closed_vocabularies, closest, namespace_of, one_edit_apart

__all__ = ["CHECKS", "Context", "Finding"]

RDF = PREFIXES["rdf"]
SKOS = PREFIXES["skos"]

#: cpk: properties that are bookkeeping, not links between domain resources: they need no claim.
BOOKKEEPING = frozenset(
    CPK + p
    for p in [
        "status",
        "anchor",
        "alternativeSubject",
        "mapStudy",
        "includesStudy",
        "seedStudy",
        "mapKind",
        "readability",
        "readingExtent",
        "readAt",
        "matchStrength",
        "disputes",
    ]
)
#: SKOS relations between concepts: links that need their claim like the cpk: ones.
SKOS_LINKS = tuple(
    SKOS + p
    for p in [
        "broader",
        "narrower",
        "related",
        "exactMatch",
        "closeMatch",
        "relatedMatch",
        "broadMatch",
        "narrowMatch",
    ]
)
PLACEHOLDER = "TODO"
_PREFIX_IRIS = frozenset(PREFIXES.values())
_PLAIN = frozenset({PREFIXES["xsd"] + "string", RDF + "langString"})


@dataclass(frozen=True)
class Finding:
    """One problem: which check found it, on what (``focus``, ``path``, the offending ``value``),
    where (``file``, ``line``), and what to type (``suggestion``)."""

    check: str
    message: str
    focus: str = ""
    label: str = ""
    path: str = ""
    file: str = ""
    line: int | None = None
    column: int | None = None
    severity: str = "error"
    suggestion: str = ""
    value: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The finding as plain data (for ``--format json``): every field, always."""
        return asdict(self)


class Context:
    """What the checks look up: labels, defining files, line positions and the known vocabulary."""

    def __init__(self, kg: KnowledgeGraph, positions: Mapping[str, FilePositions] | None = None) -> None:
        self.kg = kg
        self.positions = dict(positions or {})
        # Read straight from the store as plain strings (no SPARQL join, no rdflib terms): each
        # IRI's value of the first label property it has (its first value, as SAMPLE gave), and
        # the first file (by name) that gives it a type.
        labels: dict[str, str] = {}
        for prop in LABEL_IRIS:
            found: dict[str, str] = {}
            # the merge, as the queries read it (each triple once; see coprodkg.sources)
            for quad in kg.store.quads_for_pattern(None, ox.NamedNode(prop), None, ox.DefaultGraph()):
                if isinstance(quad.subject, ox.NamedNode) and quad.subject.value not in labels:
                    found.setdefault(quad.subject.value, _text(quad.object))
            labels.update(found)
        self.labels = labels
        graphs: dict[str, str] = {}
        for quad in kg.store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), None, None):
            if isinstance(quad.graph_name, ox.NamedNode):
                x, g = _text(quad.subject), quad.graph_name.value
                if g < graphs.get(x, "\uffff\uffff"):
                    graphs[x] = g
        shown = {g: display_graph(g) for g in set(graphs.values())}
        self.files = {x: shown[g] for x, g in graphs.items()}
        self.order = {file: i for i, file in enumerate(self.positions)}
        #: (subject, property) pairs a misspelt property stands for: what the author did write
        self.misspelt: set[tuple[str, str]] = set()
        self._prefixes: dict[str, dict[str, str]] = {}  # file -> the prefixes curie() writes with

    @cached_property
    def known(self) -> frozenset[str]:
        """Every IRI a term may be spelt as: defined in the graph, or in a closed vocabulary."""
        terms = set(self.files)
        for vocabulary in closed_vocabularies().values():
            terms |= vocabulary
        return frozenset(terms)

    @cached_property
    def _stating(self) -> dict[str, list[str]]:
        """Subject -> the files that state it (by name): where :meth:`locate` looks, built once."""
        where: dict[str, list[str]] = {}
        for file in sorted(self.positions):
            spots = self.positions[file]
            for subject in {*spots.subjects, *(s for s, _ in spots.properties)}:
                where.setdefault(subject, []).append(file)
        return where

    def locate(self, iri: str, predicate: str = "", prefer: str = "") -> tuple[str, int | None]:
        """(file, line) where ``iri`` states ``predicate`` (or is first stated), ``prefer`` first."""
        defining = self.files.get(iri, "")
        order = sorted(self._stating.get(iri, ()), key=lambda f: (f != prefer, f != defining, f))
        if predicate:
            for file in order:
                if (iri, predicate) in self.positions[file].properties:
                    return file, self.positions[file].properties[(iri, predicate)]
        for file in order:
            if iri in self.positions[file].subjects:
                return file, self.positions[file].subjects[iri]
        return prefer or self.files.get(iri, ""), None

    def first_use(self, iri: str) -> tuple[str, int | None, str]:
        """(file, line, role) of the first place ``iri`` is written, in file order."""
        for file in sorted(self.positions):
            use = self.positions[file].first_uses.get(iri)
            if use is not None:
                return file, use.line, use.role
        return "", None, ""

    def name(self, node: Node) -> tuple[str, str, str, str]:
        """(IRI, label, file, predicate) of a focus node; a blank node is named by what it is about."""
        if isinstance(node, BNode):
            about = self._about(node)
            if about is not None:
                iri, label, file, _ = self.name(about[0])
                return iri, f"a blank node about {label or shorten(iri)}", file, about[1]
            return "", "a blank node", "", ""
        iri = str(node)
        return iri, self.labels.get(iri, ""), self.files.get(iri, ""), ""

    def _about(self, node: BNode) -> tuple[Node, str] | None:
        """The IRI a blank node is about (a claim's subject, or what points at it) and how."""
        blank = ox.BlankNode(str(node))
        for quad in self.kg.store.quads_for_pattern(blank, ox.NamedNode(RDF + "subject"), None, None):
            subject = to_rdflib(quad.object)
            return (subject, "") if subject is not None else None
        for quad in self.kg.store.quads_for_pattern(None, None, blank, None):
            subject = to_rdflib(quad.subject)
            return (subject, quad.predicate.value) if subject is not None else None
        return None

    def curie(self, iri: str, file: str) -> str:
        """``iri`` written with the prefixes declared in ``file`` (else the known ones)."""
        prefixes = self._prefixes.get(file)
        if prefixes is None:
            spots = self.positions.get(file)
            declared = (
                {p.name: p.iri for p in spots.prefixes if p.iri in _PREFIX_IRIS or p.name not in PREFIXES}
                if spots
                else {}
            )
            prefixes = self._prefixes[file] = {**PREFIXES, **declared}
        return shorten(iri, prefixes)

    def loaded_order(self, iri: str, predicate: str = "") -> tuple[int, int]:
        """A sort key: files in load order (bundled first), then line."""
        file, line = self.locate(iri, predicate)
        return self.order.get(file, len(self.order)), line or 0

    def types_of(self, iri: str) -> set[str]:
        """The rdf:type IRIs of ``iri``."""
        if not iri:
            return set()
        rows = self.kg.query(f"SELECT ?t WHERE {{ <{iri}> a ?t }}").rows
        return {str(t) for (t,) in rows}


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """A term as ``str()`` of its rdflib term gives it, without making one for plain text."""
    if isinstance(term, ox.Literal) and term.datatype.value not in _PLAIN:
        return str(to_rdflib(term))  # rdflib writes some typed values in their canonical form
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term.value
    return str(to_rdflib(term))


def _ours_filter(var: str) -> str:
    return "(" + " || ".join(f'STRSTARTS(STR(?{var}), "{ns}")' for ns in OURS) + ")"


def _true(term: Node | None) -> bool:
    return term is not None and str(term).lower() in ("true", "1")


def check_prefixes(kg: KnowledgeGraph, context: Context) -> list[Finding]:
    """A prefix one character away from a known namespace (``ns/`` for ``ns#``, http for https)."""
    known = {**{ns: p for p, ns in PREFIXES.items()}}
    for namespace in closed_vocabularies():
        known.setdefault(namespace, "")
    findings = []
    for file, spots in sorted(context.positions.items()):
        for prefix in spots.prefixes:
            if prefix.iri in known:
                continue
            for namespace, name in known.items():
                if one_edit_apart(prefix.iri, namespace):
                    findings.append(
                        Finding(
                            "prefix",
                            f"the prefix {prefix.name}: is <{prefix.iri}>, one character away from the "
                            f"namespace <{namespace}>: no query sees terms written with it",
                            focus=f"{prefix.name}:",
                            file=file,
                            line=prefix.line,
                            suggestion=f"@prefix {name or prefix.name}: <{namespace}> .",
                        )
                    )
                    break
    return findings


def check_undefined(kg: KnowledgeGraph, context: Context) -> list[Finding]:
    """Terms of ours with no ``rdf:type`` anywhere, and terms a closed vocabulary does not define."""
    # one pass over the store in Python: a third of the time of the same SPARQL (a union of three scans)
    terms: set[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = set()
    merge = ox.DefaultGraph()  # each triple once (see coprodkg.sources)
    for quad in kg.store.quads_for_pattern(None, None, None, merge):
        terms.update((quad.subject, quad.predicate, quad.object))
    typed = {
        quad.subject for quad in kg.store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), None, merge)
    }
    ours = [
        (t.value,)
        for t in terms
        if isinstance(t, ox.NamedNode) and t.value.startswith(OURS) and t not in typed
    ]
    vocabularies = closed_vocabularies()
    used = kg.query("SELECT DISTINCT ?x WHERE { { ?s ?x ?o } UNION { ?s a ?x } FILTER(isIRI(?x)) }").rows
    foreign = [
        x
        for (x,) in used
        if namespace_of(str(x)) in vocabularies and str(x) not in vocabularies[namespace_of(str(x))]
    ]
    findings = []
    for (x,) in [*ours, *((f,) for f in foreign)]:
        iri = str(x)
        if PLACEHOLDER in iri[len(namespace_of(iri)) :]:
            continue  # reported as a placeholder
        file, line, role = context.first_use(iri)
        kind = {"predicate": "property", "type": "class"}.get(role, "term")
        best = closest(iri, context.known)
        what = f"unknown {kind} {shorten(iri)}: it is defined nowhere"
        fix = ""
        if best is not None:
            fix = context.curie(best, file)
            what += f"; did you mean {fix}?"
            if role == "predicate":
                for (s,) in kg.query(f"SELECT DISTINCT ?s WHERE {{ ?s <{iri}> ?o }}").rows:
                    assert s is not None
                    context.misspelt.add((shorten(context.name(s)[0]), shorten(best)))
        else:
            what += "; check the spelling, or define it (give it an rdf:type, a label and a definition)"
        findings.append(
            Finding(
                "undefined",
                what,
                focus=shorten(iri),
                path="" if role != "predicate" else shorten(iri),
                file=file or context.files.get(iri, ""),
                line=line,
                suggestion=fix,
            )
        )
    return findings


def check_placeholders(kg: KnowledgeGraph, context: Context) -> list[Finding]:
    """Text and IRIs left as ``coprodkg new`` wrote them (``TODO …``)."""
    rows = kg.query(
        "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o . "
        f'FILTER((isLiteral(?o) && STRSTARTS(STR(?o), "{PLACEHOLDER}")) '
        f'|| (isIRI(?o) && CONTAINS(STR(?o), "/{PLACEHOLDER}-")) || CONTAINS(STR(?s), "/{PLACEHOLDER}-")) }}'
    ).rows
    findings = []
    for s, p, o in rows:
        assert s is not None and p is not None
        iri, label, _, via = context.name(s)
        file, line = context.locate(iri, via or str(p))
        if via:  # a blank node's property: its own line, from the scan
            file, line = context.locate(iri + "\0" + via, str(p), prefer=file)
            if line is None:
                file, line = context.locate(iri, via)
        shown = f'"{o}"' if isinstance(o, Literal) else context.curie(str(o), file)
        if PLACEHOLDER in str(s) and PLACEHOLDER not in str(o):
            shown = context.curie(str(s), file)
        findings.append(
            Finding(
                "placeholder",
                f"replace the placeholder {shown} with your own "
                + ("text" if isinstance(o, Literal) and PLACEHOLDER in str(o) else "IRI"),
                focus=shorten(iri),
                label=label,
                path=shorten(str(p)),
                file=file,
                line=line,
            )
        )
    return findings


def check_labels(kg: KnowledgeGraph, context: Context) -> list[Finding]:
    """Every term of ours has a label and a definition a person can read."""
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
    fixes = {"label": "skos:prefLabel", "definition": "skos:definition"}
    for x, has_label, has_definition in rows:
        assert x is not None
        missing = [w for w, has in (("label", has_label), ("definition", has_definition)) if not _true(has)]
        iri, label, _, _ = context.name(x)
        file, line = context.locate(iri)
        findings.append(
            Finding(
                "label-definition",
                f"has no {' and no '.join(missing)}: add "
                + " and ".join(f"{fixes[m]}" + (" (or rdfs:label)" if m == "label" else "") for m in missing),
                focus=shorten(iri),
                label=label,
                path=fixes[missing[0]],
                file=file,
                line=line,
                suggestion=" ; ".join(f'{fixes[m]} "…"@en' for m in missing),
            )
        )
    return findings


_GENERIC_TYPES = ("skos:Concept", "owl:NamedIndividual", "owl:Thing", "rdfs:Resource", "prov:Entity")


def check_duplicate_labels(kg: KnowledgeGraph, context: Context) -> list[Finding]:
    """No two resources of one class share a label (ignoring case)."""
    rows = kg.query(
        "SELECT ?t ?key (GROUP_CONCAT(DISTINCT STR(?x); separator=' ') AS ?xs) WHERE { "
        "?x a ?t ; skos:prefLabel|rdfs:label ?l . FILTER(isIRI(?x)) "
        f"FILTER(?t NOT IN ({', '.join(_GENERIC_TYPES)})) "
        "BIND(LCASE(STR(?l)) AS ?key) } GROUP BY ?t ?key HAVING (COUNT(DISTINCT ?x) > 1) ORDER BY ?t ?key"
    ).rows
    findings = []
    for t, key, xs in rows:
        members = sorted(str(xs).split(), key=lambda m: context.loaded_order(m))
        file, line = context.locate(members[-1], SKOS + "prefLabel")
        findings.append(
            Finding(
                "duplicate-label",
                f"{len(members)} resources of type {shorten(str(t))} share the label {str(key)!r}: "
                + ", ".join(_at(context, m, SKOS + "prefLabel") for m in members)
                + ": give each its own label",
                focus=shorten(members[-1]),
                label=str(key),
                path="skos:prefLabel",
                file=file,
                line=line,
            )
        )
    return findings


def _at(context: Context, iri: str, predicate: str = "") -> str:
    file, line = context.locate(iri, predicate)
    where = f"{file}:{line}" if line is not None else file
    return f"{shorten(iri)} ({where})" if where else shorten(iri)


def check_duplicate_codes(kg: KnowledgeGraph, context: Context) -> list[Finding]:
    """No two sources share a code (``skos:notation``): queries name sources by it."""
    rows = kg.query(
        "SELECT ?code (GROUP_CONCAT(DISTINCT STR(?x); separator=' ') AS ?xs) WHERE { "
        "?x a/rdfs:subClassOf* cpk:Source ; skos:notation ?n . FILTER(isIRI(?x)) BIND(STR(?n) AS ?code) } "
        "GROUP BY ?code HAVING (COUNT(DISTINCT ?x) > 1) ORDER BY ?code"
    ).rows
    findings = []
    for code, xs in rows:
        members = sorted(str(xs).split(), key=lambda m: context.loaded_order(m, SKOS + "notation"))
        for member in members[1:]:
            file, line = context.locate(member, SKOS + "notation")
            others = ", ".join(_at(context, m, SKOS + "notation") for m in members if m != member)
            findings.append(
                Finding(
                    "duplicate-code",
                    f"the source code {str(code)!r} is also the code of {others}: give each source its own "
                    "skos:notation",
                    focus=shorten(member),
                    label=context.labels.get(member, ""),
                    path="skos:notation",
                    file=file,
                    line=line,
                )
            )
    return findings


def check_theme_numbers(kg: KnowledgeGraph, context: Context) -> list[Finding]:
    """Theme numbers are strings (``skos:notation "4"``), as the bundled themes and the queries have them."""
    rows = kg.query(
        "SELECT ?x ?n WHERE { ?x a cpk:Theme ; skos:notation ?n . "
        "FILTER(!(DATATYPE(?n) = xsd:string)) } ORDER BY ?x"
    ).rows
    findings = []
    for x, n in rows:
        iri, label, _, _ = context.name(x)  # type: ignore[arg-type]
        file, line = context.locate(iri, SKOS + "notation")
        findings.append(
            Finding(
                "theme-number",
                f'the theme number {n} is not a plain string, so queries for "{n}" miss it: write it in quotes',
                focus=shorten(iri),
                label=label,
                path="skos:notation",
                file=file,
                line=line,
                suggestion=f'skos:notation "{n}"',
            )
        )
    return findings


def check_claims(kg: KnowledgeGraph, context: Context) -> list[Finding]:
    """Every link between domain resources has its ``cpk:Claim`` (the named queries read claims)."""
    skip = ", ".join(f"<{p}>" for p in sorted(BOOKKEEPING))
    skos_links = ", ".join(f"<{p}>" for p in SKOS_LINKS)
    rows = kg.query(
        "SELECT DISTINCT ?s ?p ?o (SAMPLE(?st) AS ?status) (SAMPLE(?src) AS ?source) WHERE { ?s ?p ?o . "
        "FILTER(isIRI(?s) && isIRI(?o)) "
        f"FILTER((STRSTARTS(STR(?p), STR(cpk:)) && ?p NOT IN ({skip})) || ?p IN ({skos_links})) "
        # MINUS, not FILTER NOT EXISTS: the same rows (?s ?p ?o are bound), in a thirtieth of the time
        "MINUS { ?s a cpk:Claim } MINUS { ?s a cpk:Alignment } "
        "MINUS { ?c rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } "
        "OPTIONAL { ?s cpk:status ?st } OPTIONAL { ?s prov:wasDerivedFrom ?src } "
        "} GROUP BY ?s ?p ?o ORDER BY ?s ?p ?o"
    ).rows
    findings = []
    for s, p, o, status, source in rows:
        iri, label, _, _ = context.name(s)  # type: ignore[arg-type]
        file, line = context.locate(iri, str(p))
        findings.append(
            Finding(
                "missing-claim",
                f"the link {context.curie(str(p), file)} {context.curie(str(o), file)} has no cpk:Claim, so the named queries do not "
                "see it: add the claim below (with its real status and source)",
                focus=shorten(iri),
                label=label,
                path=shorten(str(p)),
                file=file,
                line=line,
                suggestion=claim_snippet(context, file, iri, str(p), str(o), status, source),
                value=shorten(str(o)),
            )
        )
    return findings


def claim_snippet(
    context: Context,
    file: str,
    subject: str,
    predicate: str,
    obj: str,
    status: Node | None,
    source: Node | None,
) -> str:
    """The Turtle of the claim for one link, written with the file's own prefixes (and any it lacks)."""

    def local(iri: str) -> str:
        return iri[len(namespace_of(iri)) :]

    stem = f"{namespace_of(subject)}claim-{local(subject)}-{local(predicate)}-{local(obj)}"
    claim, n = stem, 1
    while claim in context.labels or claim in context.files:
        n += 1
        claim = f"{stem}-{n}"
    c = context.curie
    label = f"{context.labels.get(subject, local(subject))} — {local(predicate)} — {context.labels.get(obj, local(obj))}"
    from .scaffold import claim_turtle

    body = claim_turtle(
        c(claim, file),
        (c(subject, file), c(predicate, file), c(obj, file)),
        status=c(str(status), file) if status is not None else "cpk:StatedInArticle",
        sources=c(str(source), file) if source is not None else "",
        label=f'"{label}"@en',
    ).rstrip()
    spots = context.positions.get(file)
    declared = {p.name for p in spots.prefixes} if spots else set()
    needed = [f"@prefix {p}: <{PREFIXES[p]}> ." for p in ("cpk", "rdf", "rdfs", "prov") if p not in declared]
    return "\n".join([*needed, body]) if spots else body


CHECKS = (
    check_prefixes,
    check_undefined,
    check_placeholders,
    check_labels,
    check_duplicate_labels,
    check_duplicate_codes,
    check_theme_numbers,
    check_claims,
)
