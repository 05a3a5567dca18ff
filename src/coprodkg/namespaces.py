"""Prefixes, CURIEs and RDF terms as users type them.

The same prefix table serves parsing (``cpk:Theme`` on the command line), printing (CURIEs in
tables) and SPARQL (:func:`coprodkg.sparql.with_prefixes` adds its ``PREFIX`` lines to a query).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .errors import TermError

if TYPE_CHECKING:
    from rdflib import Literal
    from rdflib.term import Node

__all__ = [
    "CPK",
    "CPKID",
    "OURS",
    "PREFIXES",
    "format_term",
    "parse_term",
    "shorten",
]

CPK = "https://w3id.org/coprodkg/ns#"
CPKID = "https://w3id.org/coprodkg/id/"
OURS = (CPK, CPKID)

PREFIXES: Mapping[str, str] = {
    "cpk": CPK,
    "cpkid": CPKID,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "fabio": "http://purl.org/spar/fabio/",
    "cito": "http://purl.org/spar/cito/",
    "bibo": "http://purl.org/ontology/bibo/",
    "oa": "http://www.w3.org/ns/oa#",
    "sh": "http://www.w3.org/ns/shacl#",
    "schema": "https://schema.org/",
}

_CURIE = re.compile(r"^([A-Za-z][\w.-]*)?:([^\s<>\"{}|\\^`]*)$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_term(text: str, prefixes: Mapping[str, str] = PREFIXES) -> Node:
    """Read an RDF term as a user types it: ``<IRI>``, a CURIE, a number or a literal.

    A quoted string may carry a language tag or a datatype. A CURIE must use a known prefix; a
    bare ``https://...`` is read as an IRI; other text is a plain string literal.

    >>> parse_term("cpk:Theme")
    rdflib.term.URIRef('https://w3id.org/coprodkg/ns#Theme')
    >>> parse_term("<https://example.org/x>")
    rdflib.term.URIRef('https://example.org/x')
    >>> parse_term("54").toPython()
    54
    >>> parse_term('"barrier"@en').language
    'en'
    """
    from rdflib import Literal, URIRef  # here: a command that reads no terms needs no rdflib

    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
        if not iri or re.search(r"[\s<>\"{}|\\^`]", iri):
            raise TermError(f"not a valid IRI: {text}")
        return URIRef(iri)
    if text.startswith('"'):
        return _parse_quoted(text, prefixes)
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"{}|\\^`]+", text):
        return URIRef(text)
    match = _CURIE.match(text)
    if match and (match.group(1) or "") in prefixes:
        return URIRef(prefixes[match.group(1) or ""] + match.group(2))
    if match and match.group(1):
        known = ", ".join(sorted(prefixes))
        raise TermError(
            f"unknown prefix {match.group(1)}: in {text!r}: write the full <IRI>, use a known prefix "
            f"({known}), or quote it for a literal"
        )
    if _NUMBER.match(text):
        kind = "integer" if re.fullmatch(r"[+-]?\d+", text) else "decimal"
        return Literal(text, datatype=URIRef(PREFIXES["xsd"] + kind))
    if text in ("true", "false"):
        return Literal(text == "true")
    return Literal(text)


def _parse_quoted(text: str, prefixes: Mapping[str, str]) -> Literal:
    from rdflib import Literal, URIRef

    end = text.rfind('"')
    if end <= 0:
        raise TermError(f"unterminated quoted literal: {text}")
    value, rest = text[1:end], text[end + 1 :]
    if not rest:
        return Literal(value)
    if rest.startswith("@") and re.fullmatch(r"@[A-Za-z]+(-[A-Za-z0-9]+)*", rest):
        return Literal(value, lang=rest[1:])
    if rest.startswith("^^"):
        datatype = parse_term(rest[2:], prefixes)
        if isinstance(datatype, URIRef):
            return Literal(value, datatype=datatype)
    raise TermError(f'cannot read the literal {text}: expected "text", "text"@lang or "text"^^type')


def shorten(iri: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """An IRI as a CURIE when a known prefix covers it, else ``<IRI>`` (cached for the default prefixes).

    >>> shorten("https://w3id.org/coprodkg/id/theme-1")
    'cpkid:theme-1'
    >>> shorten("https://example.org/x")
    '<https://example.org/x>'
    """
    if prefixes is PREFIXES:
        return _shorten_default(iri)
    return _shorten(iri, prefixes)


def _shorten(iri: str, prefixes: Mapping[str, str]) -> str:
    best = ""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(namespace) > len(prefixes.get(best, "")):
            local = iri[len(namespace) :]
            if re.fullmatch(r"[\w.-]*", local) and not local.endswith("."):
                best = prefix
    if best:
        return f"{best}:{iri[len(prefixes[best]) :]}"
    return f"<{iri}>"


@functools.lru_cache(maxsize=65536)
def _shorten_default(iri: str) -> str:
    return _shorten(iri, PREFIXES)


def format_term(term: Node | None, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """A term for reading: CURIEs for IRIs, bare text for literals, ``_:id`` for blank nodes.

    >>> from rdflib import Literal, URIRef
    >>> format_term(URIRef("https://w3id.org/coprodkg/ns#Theme"))
    'cpk:Theme'
    >>> format_term(Literal("hello", lang="en"))
    'hello'
    >>> format_term(None)
    ''
    """
    from rdflib import BNode, URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return shorten(str(term), prefixes)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)
