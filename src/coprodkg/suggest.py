"""Did you mean …? The known vocabulary, and the closest known term to a misspelt one.

The known terms are the schema's and the graph's own (every IRI with an ``rdf:type``), and the
terms of the standard vocabularies whose term lists are closed (SKOS, RDF, RDFS, OWL, Dublin
Core terms, FOAF, ORG, PROV, SHACL, as rdflib lists them).

>>> closest("https://w3id.org/coprodkg/ns#Barier", ["https://w3id.org/coprodkg/ns#Barrier"])
'https://w3id.org/coprodkg/ns#Barrier'
>>> namespace_of("http://www.w3.org/2004/02/skos/core#definition")
'http://www.w3.org/2004/02/skos/core#'
>>> one_edit_apart("https://w3id.org/coprodkg/ns/", "https://w3id.org/coprodkg/ns#")
True
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Mapping

__all__ = ["closed_vocabularies", "closest", "namespace_of", "one_edit_apart"]


def namespace_of(iri: str) -> str:
    """The namespace part of an IRI: up to its last ``#`` or ``/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


@functools.cache
def closed_vocabularies() -> Mapping[str, frozenset[str]]:
    """Namespace -> every term it defines, for the standard vocabularies rdflib lists in full."""
    from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS

    vocabularies = {}
    for ns in (SKOS, RDF, RDFS, OWL, DCTERMS, FOAF, ORG, PROV, SH):
        base = str(ns._NS)
        terms = {name for name in ns.__annotations__ if not name.startswith("_")}
        terms |= set(getattr(ns, "_extras", ()))
        vocabularies[base] = frozenset(base + t for t in terms)
    return vocabularies


def closest(iri: str, known: Iterable[str]) -> str | None:
    """The known IRI in the same namespace most like ``iri`` (a close spelling), or None.

    Case differences count as close: ``cpk:barrier`` suggests ``cpk:Barrier``.
    """
    namespace = namespace_of(iri)
    local = iri[len(namespace) :]
    candidates = {k[len(namespace) :]: k for k in known if k.startswith(namespace) and k != iri}
    folded = {c.lower(): c for c in candidates}
    if local.lower() in folded:
        return candidates[folded[local.lower()]]
    found = difflib.get_close_matches(local, list(candidates), n=1, cutoff=0.75)
    return candidates[found[0]] if found else None


def one_edit_apart(a: str, b: str) -> bool:
    """True when one character inserted, removed or replaced turns ``a`` into ``b``."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]
