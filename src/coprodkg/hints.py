r"""Help at the command line: the prefixes your files declare, and terms of ours a query misspells.

>>> declared_prefixes_in("@prefix ex: <https://example.org/my-study/> .\nPREFIX q: <urn:q:>")
{'ex': 'https://example.org/my-study/', 'q': 'urn:q:'}
>>> sorted(terms_of_ours("SELECT * { ?x a cpk:Barier ; cpk:x <https://w3id.org/coprodkg/id/t> } # cpk:no"))
['https://w3id.org/coprodkg/id/t', 'https://w3id.org/coprodkg/ns#Barier', 'https://w3id.org/coprodkg/ns#x']
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from .catalogue import NamedQuery, Parameter
from .engine import Engine, KnowledgeGraph
from .namespaces import CPK, CPKID, OURS, PREFIXES, shorten
from .suggest import closest, namespace_of

__all__ = [
    "declared_prefixes",
    "declared_prefixes_in",
    "engine_prefixes",
    "query_warnings",
    "terms_of_ours",
    "undefined_term_warnings",
    "unmatched_value_warnings",
]

_DECLARATION = re.compile(r"(?:@prefix|\bPREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>", re.IGNORECASE)
_TEXT_FORMATS = (".ttl", ".trig", ".n3")
_STRINGS_AND_COMMENTS = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*")
_OUR_IRI = re.compile(r"<(https://w3id\.org/coprodkg/(?:ns#|id/)[^<>\s]*)>")
_OUR_CURIE = re.compile(r"(?<![\w.:-])(cpk|cpkid):((?:[\w-]|\.(?=[\w-]))+)")


def declared_prefixes_in(text: str) -> dict[str, str]:
    """The ``@prefix`` and ``PREFIX`` declarations of a Turtle or TriG text."""
    return {m.group(1) or "": m.group(2) for m in _DECLARATION.finditer(text)}


def declared_prefixes(paths: Iterable[Path]) -> dict[str, str]:
    """The prefixes the given Turtle/TriG files declare, the known ones left as coprodkg has them."""
    found: dict[str, str] = {}
    for path in paths:
        if path.suffix.lower() in _TEXT_FORMATS and path.is_file():
            found.update(declared_prefixes_in(path.read_text(encoding="utf-8", errors="replace")))
    return {p: ns for p, ns in found.items() if p not in PREFIXES and p}


def terms_of_ours(sparql: str) -> set[str]:
    """The ``cpk:`` and ``cpkid:`` IRIs a query text names (not in strings or comments)."""
    iris = set(_OUR_IRI.findall(sparql))
    code = _OUR_IRI.sub(" ", _STRINGS_AND_COMMENTS.sub(" ", sparql))
    iris |= {(CPK if p == "cpk" else CPKID) + local for p, local in _OUR_CURIE.findall(code)}
    return iris - set(OURS)


def query_warnings(
    engine: Engine, sparql: str, bindings: Mapping[str, Node], named: NamedQuery | None, given: Iterable[str]
) -> list[str]:
    """What ``coprodkg query`` warns about once it has run: the query's misspelt terms and IRIs
    (:func:`undefined_term_warnings`), and the values given to a named query's parameters
    (``given``, by name) that match nothing they should (:func:`unmatched_value_warnings`)."""
    warnings = undefined_term_warnings(engine, sparql, bindings)
    if named is not None:
        yours = {name: bindings[name] for name in given if name in bindings}
        warnings += unmatched_value_warnings(engine, named.parameters, yours)
    return warnings


def undefined_term_warnings(
    engine: Engine, sparql: str, bindings: Mapping[str, Node] | None = None
) -> list[str]:
    """One warning per ``cpk:``/``cpkid:`` term of a query, and per IRI bound to it, that the graph
    holds nowhere."""
    terms = terms_of_ours(sparql) | {str(v) for v in (bindings or {}).values() if isinstance(v, URIRef)}
    warnings = []
    for iri in sorted(terms):
        ask = engine.query(
            f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} UNION {{ ?s <{iri}> ?o }} }}"
        )
        if ask.boolean:
            continue
        namespace = namespace_of(iri)
        rows = engine.query(
            f'SELECT DISTINCT ?x WHERE {{ ?x a ?t . FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{namespace}")) }}'
        ).rows
        best = closest(iri, [str(x) for (x,) in rows])
        hint = f" (did you mean {shorten(best)}?)" if best else ""
        warnings.append(f"{shorten(iri)} is in the query but nowhere in the graph{hint}")
    return warnings


def unmatched_value_warnings(
    engine: Engine, parameters: Iterable[Parameter], given: Mapping[str, Node]
) -> list[str]:
    """One warning per text value given to a named query's parameter whose default says a value
    of the graph is expected: text where the default is a term (``theme="theme-4"``: did you mean
    cpkid:theme-4?), or text no literal of the graph has where the default is text the graph holds
    (``status="projet"``: did you mean "project"?). Numbers, booleans and IRIs are left alone
    (IRIs: see :func:`undefined_term_warnings`)."""
    from .namespaces import parse_term

    warnings = []
    for param in parameters:
        value = given.get(param.name)
        if value is None or not _is_text(value) or param.default is None:
            continue
        default = parse_term(param.default)
        if isinstance(default, URIRef):
            rows = engine.query(_SAME_TYPE, {"d": default}).rows
            names = {str(n): str(x) for x, n in rows if x is not None and n is not None}
            names |= {str(x)[len(namespace_of(str(x))) :]: str(x) for x, _ in rows if x is not None}
            best = _closest_text(str(value), names)
            problem = f"is text where the query expects a term such as {param.default}"
            hint = shorten(best) if best else None
        elif _is_text(default) and not _holds_literal(engine, value) and _holds_literal(engine, default):
            properties = [
                p for p in engine.query(_PROPERTIES_OF, {"d": default}).column("p") if p is not None
            ]
            values = {str(v) for p in properties for v in engine.query(_VALUES_OF, {"p": p}).column("v")}
            text = _closest_text(str(value), {v: v for v in values})
            problem, hint = "matches no value in the graph", f'"{text}"' if text else None
        else:
            continue
        more = f" (did you mean {hint}?)" if hint else ""
        warnings.append(f'{param.name}="{value}" {problem}{more}')
    return warnings


_SAME_TYPE = (
    "SELECT DISTINCT ?x ?name WHERE { ?d a ?t . ?x a ?t . OPTIONAL { ?x skos:prefLabel|rdfs:label ?name } }"
)
_PROPERTIES_OF = "SELECT DISTINCT ?p WHERE { ?s ?p ?o . FILTER(isLiteral(?o) && STR(?o) = STR(?d)) }"
_VALUES_OF = "SELECT DISTINCT ?v WHERE { ?x ?p ?v . FILTER(isLiteral(?v)) }"


def _is_text(term: Node | None) -> bool:
    return isinstance(term, Literal) and (term.datatype is None or str(term.datatype) == str(XSD.string))


def _holds_literal(engine: Engine, value: Node) -> bool:
    ask = engine.query("ASK { ?s ?p ?o . FILTER(isLiteral(?o) && STR(?o) = STR(?v)) }", {"v": value})
    return bool(ask.boolean)


def _closest_text(text: str, names: Mapping[str, str]) -> str | None:
    """The value of the name most like ``text`` (ignoring case, accents and spacing), or None."""
    from .lookup import fold

    folded = {fold(n): v for n, v in names.items()}
    found = difflib.get_close_matches(fold(text), list(folded), n=1, cutoff=0.75)
    return folded[found[0]] if found else None


def engine_prefixes(engine: Engine) -> dict[str, str]:
    """The prefixes declared by the files behind a local graph (an on-disk store's too, while its
    files are there), read from those files; none for a remote endpoint."""
    from .sources import graph_path

    if not isinstance(engine, KnowledgeGraph):
        return {}
    graphs = (g.value for g in engine.store.named_graphs() if isinstance(g, ox.NamedNode))
    return declared_prefixes(p for p in map(graph_path, graphs) if p is not None)
