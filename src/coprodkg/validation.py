"""``coprodkg validate``: do the sources parse, do they pass the SHACL shapes, and will the queries
see what they say?

Findings name the resource by label and IRI (never a blank node id), the file and line that state
it, and what to type (:attr:`Finding.suggestion`). The line numbers come from a light scan of
each Turtle file (:mod:`coprodkg.positions`); the hand-editing checks are in :mod:`coprodkg.checks`.

>>> report = validate_sources()
>>> report.conforms, report.summary().startswith("ok: ")
(True, True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import URIRef

from .checks import CHECKS, PLACEHOLDER, Context, Finding
from .engine import KnowledgeGraph, load_graph, source_paths, to_rdflib
from .errors import ParseError, SourceError
from .lookup import display_graph, expand
from .namespaces import PREFIXES, shorten
from .positions import FilePositions, scan_turtle
from .resources import shapes_path
from .sources import load_file

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["Finding", "Report", "plural", "union_graph", "validate_graph", "validate_sources"]

RDF = PREFIXES["rdf"]
SH = PREFIXES["sh"]
_SCANNED = (".ttl", ".nt")


def plural(n: int, word: str) -> str:
    """``1 finding``, ``2 findings``.

    >>> plural(1, "finding"), plural(2, "file")
    ('1 finding', '2 files')
    """
    return f"{n} {word}" + ("" if n == 1 else "s")


@dataclass(frozen=True)
class Report:
    """All findings of one validation run."""

    files: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def conforms(self) -> bool:
        """True when nothing was found."""
        return not self.findings

    def summary(self) -> str:
        """One line: ``ok: 15 files conform`` or ``1 finding in 15 files``."""
        files = plural(len(self.files), "file")
        if self.conforms:
            return f"ok: {files} conform" if len(self.files) != 1 else f"ok: {files} conforms"
        return f"{plural(len(self.findings), 'finding')} in {files}"


def validate_sources(
    sources: Iterable[Path | str] = (), *, bundled: bool = True, store: Path | str | None = None
) -> Report:
    """Parse every source (collecting parse errors as findings), then validate what loaded."""
    if store is not None:
        return validate_graph(load_graph(sources, store=store))
    paths = source_paths(sources, bundled=bundled)
    oxstore = ox.Store()
    parse_findings = []
    scanned: list[tuple[str, Path]] = []  # the files to scan for line numbers, once SHACL has run
    for path in paths:
        shown = display_graph(path.as_uri())
        try:
            load_file(oxstore, path)
        except ParseError as error:
            parse_findings.append(
                Finding("parse", error.reason, file=shown, line=error.line, column=error.column)
            )
            continue
        except SourceError as error:
            parse_findings.append(Finding("parse", str(error), file=shown))
            continue
        if path.suffix.lower() in _SCANNED:
            scanned.append((shown, path))

    def scan() -> dict[str, FilePositions]:
        return {
            shown: scan_turtle(path.read_text(encoding="utf-8", errors="replace"), path.as_uri())
            for shown, path in scanned
        }

    report = _validate(KnowledgeGraph(oxstore), shapes_path(), scan)
    return Report(tuple(display_graph(p.as_uri()) for p in paths), (*parse_findings, *report.findings))


def validate_graph(
    kg: KnowledgeGraph, shapes: Path | None = None, positions: dict[str, FilePositions] | None = None
) -> Report:
    """Run the SHACL shapes and the hand-editing checks over a loaded graph."""
    return _validate(kg, shapes or shapes_path(), lambda: positions or {})


def _validate(kg: KnowledgeGraph, shapes: Path, positions: Callable[[], dict[str, FilePositions]]) -> Report:
    """SHACL first, then the positions (from ``positions()``) and the checks: the SHACL engine's
    peak memory then comes before the positions', not on top of them."""
    results = _shacl_results(kg, shapes)
    context = Context(kg, positions())
    findings = _shacl(results, context)
    for check in CHECKS:
        findings += check(kg, context)
    return Report(tuple(display_graph(g) for g in kg.graph_names()), _settle(findings, context))


def _settle(findings: list[Finding], context: Context) -> tuple[Finding, ...]:
    """Drop repeats and the findings another one explains, and write IRIs with the file's prefixes.

    A misspelt property (``skos:defintion``) explains "add a skos:definition"; a misspelt term
    (``cpk:Barier``) explains the links that now point at the wrong kind; a wrong ``@prefix``
    explains everything else in its file.
    """
    shacl = {(f.focus, f.path) for f in findings if f.check == "shacl"}
    undefined = {f.focus for f in findings if f.check in ("undefined", "placeholder")}
    bad_prefix = {f.file for f in findings if f.check == "prefix"}
    seen: dict[tuple[str, str, str, str, str], Finding] = {}
    for f in findings:
        if f.file in bad_prefix and f.check not in ("prefix", "parse"):
            continue
        if f.check in ("shacl", "label-definition") and (f.focus, f.path) in context.misspelt:
            continue
        if f.check == "label-definition" and (f.focus, f.path) in shacl:
            continue
        if (
            f.check in ("shacl", "missing-claim")
            and f.value
            and (f"{PLACEHOLDER}-" in f.value or _follows(f.value, undefined, context))
        ):
            continue
        seen.setdefault((f.check, f.focus, f.path, f.message, f.file), _local_names(f, context))
    return tuple(
        sorted(seen.values(), key=lambda f: (f.file, f.line or 0, f.check, f.focus, f.path, f.message))
    )


def _follows(value: str, undefined: set[str], context: Context) -> bool:
    if value in undefined:
        return True
    prefix, colon, _ = value.partition(":")
    if value.startswith("<"):
        iri = value[1:-1]
    elif colon and prefix in PREFIXES:
        iri = expand(value)
    else:  # a literal, or a name with a prefix we do not know: not a resource
        return False
    return any(shorten(t) in undefined for t in context.types_of(iri))


def _local_names(f: Finding, context: Context) -> Finding:
    """``<https://example.org/my-study/x>`` as ``ex:x`` when the finding's file declares ``ex:``."""
    changed = {
        name: context.curie(getattr(f, name)[1:-1], f.file)
        for name in ("focus", "path", "value")
        if getattr(f, name).startswith("<") and getattr(f, name).endswith(">")
    }
    return replace(f, **changed) if changed else f  # type: ignore[arg-type]


def union_graph(kg: KnowledgeGraph) -> Graph:
    """The union of a loaded graph's files as one rdflib graph (for pySHACL, owlrl, comparison)."""
    from rdflib import Graph

    graph = Graph()
    for quad in kg.store.quads_for_pattern(None, None, None, ox.DefaultGraph()):  # the merge
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))  # type: ignore[arg-type]
    return graph


def _shacl_results(kg: KnowledgeGraph, shapes: Path) -> Graph:
    """The SHACL validation report graph of ``kg`` against ``shapes``."""
    import pyshacl_turbo
    from rdflib import Graph

    shapes_graph = Graph().parse(shapes, format="turtle")
    # pyshacl-turbo: pySHACL's interface on a Rust engine that reads the Oxigraph store itself
    # (no copy into rdflib); it gives pySHACL's results on every shape test (test_validation.py).
    # advanced=False: shapes.ttl uses no advanced feature. It is given the merge alone, in a store
    # of its own: given the whole store it reads every file's graph and the merge, each triple
    # twice (100 studies: 2.2-2.7 s CPU and 461 MB against 1.6 s and 306 MB, the same results).
    merge = ox.Store()
    merge.extend(
        ox.Quad(q.subject, q.predicate, q.object)
        for q in kg.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    )
    _, results, _ = pyshacl_turbo.validate(merge, shacl_graph=shapes_graph, inference="none", advanced=False)
    return results  # type: ignore[no-any-return]


def _shacl(results: Graph, context: Context) -> list[Finding]:
    """The SHACL report's results as findings, named and placed."""
    findings = []
    for result in results.subjects(URIRef(RDF + "type"), URIRef(SH + "ValidationResult")):
        focus = results.value(result, URIRef(SH + "focusNode"))
        path = results.value(result, URIRef(SH + "resultPath"))
        message = results.value(result, URIRef(SH + "resultMessage"))
        value = results.value(result, URIRef(SH + "value"))
        severity = results.value(result, URIRef(SH + "resultSeverity"))
        iri, label, _, via = context.name(focus) if focus is not None else ("", "", "", "")
        predicate = str(path) if isinstance(path, URIRef) else ""
        file, line = context.locate(iri, via or predicate) if iri else ("", None)
        if via and predicate:  # a blank node's own property: place it at the blank node's line
            file, line = context.locate(iri, via)
        findings.append(
            Finding(
                "shacl",
                str(message or "does not conform"),
                focus=shorten(iri) if iri else "",
                label=label,
                path=shorten(predicate) if predicate else "",
                file=file,
                line=line,
                severity=str(severity).rsplit("#", 1)[-1].lower() if severity else "violation",
                value=shorten(str(value)) if isinstance(value, URIRef) else "",
            )
        )
    return findings
