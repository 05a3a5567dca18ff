r"""Help at the command line: the prefixes your files declare, and terms of ours a query misspells.

>>> declared_prefixes_in("@prefix ex: <https://example.org/my-study/> .\nPREFIX q: <urn:q:>")
{'ex': 'https://example.org/my-study/', 'q': 'urn:q:'}
>>> sorted(terms_of_ours("SELECT * { ?x a cpk:Barier ; cpk:x <https://w3id.org/coprodkg/id/t> } # cpk:no"))
['https://w3id.org/coprodkg/id/t', 'https://w3id.org/coprodkg/ns#Barier', 'https://w3id.org/coprodkg/ns#x']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node

from .engine import Engine
from .namespaces import CPK, CPKID, OURS, PREFIXES, shorten
from .suggest import closest, namespace_of

__all__ = [
    "declared_prefixes",
    "declared_prefixes_in",
    "terms_of_ours",
    "undefined_term_warnings",
    "with_your_prefix",
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


def undefined_term_warnings(
    engine: Engine, sparql: str, bindings: Mapping[str, Node] | None = None
) -> list[str]:
    """One warning per ``cpk:``/``cpkid:`` term of a query that the graph holds nowhere."""
    terms = terms_of_ours(sparql) | {
        str(v) for v in (bindings or {}).values() if isinstance(v, URIRef) and str(v).startswith(OURS)
    }
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


def with_your_prefix(text: str, sources: Iterable[Path]) -> str:
    """A CURIE with a prefix your files declare (``ex:theme-1``) as ``<IRI>``; other text as it is."""
    from .sources import collect_sources

    prefix, colon, local = text.partition(":")
    if (
        not colon
        or prefix in PREFIXES
        or local.startswith("//")
        or not re.fullmatch(r"[A-Za-z][\w.-]*", prefix)
    ):
        return text
    namespace = declared_prefixes(collect_sources(list(sources))).get(prefix)
    return f"<{namespace}{local}>" if namespace else text
