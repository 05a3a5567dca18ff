"""``--reason``: what the schema entails, materialised in the loaded graph (never in your files).

``rdfs`` adds, until nothing new follows, the entailments the model documents:

- subclass (rdfs9): a ``cpk:Barrier`` is a ``skos:Concept``; a ``cpk:Study`` is a ``cpk:Source``;
- subproperty (rdfs7): ``cpk:principalInvestigator`` is a ``cpk:teamMember``;
  ``cpk:correspondsTo`` is a ``skos:related``;
- domain and range (rdfs2, rdfs3), where the schema declares a named class.

It runs as SPARQL CONSTRUCT queries inside Oxigraph, to a fixpoint,, which was measured faster than owlrl's RDFS closure
over the same graph (``bench/bench_reason.py``). ``owl-rl`` runs owlrl's OWL 2 RL closure (which
adds inverse, symmetric and transitive properties, ``owl:sameAs`` and more) and copies what it
adds into the store. Either way the inferred triples go into their own named graph,
:data:`INFERRED`, so they can be told apart: ``GRAPH <urn:coprodkg:inferred> { ... }``.

>>> from coprodkg.engine import load_graph
>>> kg = load_graph()
>>> added = materialise(kg, "rdfs")
>>> kg.query("ASK { cpkid:political-barriers a skos:Concept }").boolean
True
"""

from __future__ import annotations

import pyoxigraph as ox

from .engine import KnowledgeGraph
from .errors import SourceError
from .sources import merge_graphs, to_oxigraph

__all__ = ["INFERRED", "RULES", "materialise", "materialise_owlrl", "materialise_rdfs"]

INFERRED = "urn:coprodkg:inferred"

#: The RDFS rules, as SPARQL Update over the union of all graphs, inserting into INFERRED.
RULES = {
    "rdfs9 subclass": "?x a ?c . ?c rdfs:subClassOf+ ?d . FILTER(isIRI(?d)) BIND(rdf:type AS ?p) BIND(?x AS ?s) BIND(?d AS ?o)",
    "rdfs7 subproperty": "?s ?q ?o . ?q rdfs:subPropertyOf+ ?p . FILTER(isIRI(?p))",
    "rdfs2 domain": "?s ?q ?x . ?q rdfs:domain ?o . FILTER(isIRI(?o)) BIND(rdf:type AS ?p)",
    "rdfs3 range": "?x ?q ?s . ?q rdfs:range ?o . FILTER(isIRI(?o) && !isLiteral(?s)) BIND(rdf:type AS ?p)",
}
_PREFIXES = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)


def _count(store: ox.Store) -> int:
    answer = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}")
    assert isinstance(answer, ox.QuerySolutions)
    return int(next(iter(answer))[0].value)


def materialise_rdfs(kg: KnowledgeGraph, *, max_rounds: int = 20) -> int:
    """Add the RDFS closure (subclass, subproperty, domain, range) to ``kg``; return how many triples."""
    store = kg.store
    target = ox.NamedNode(INFERRED)
    before = -1
    rounds = 0
    while _count(store) != before and rounds < max_rounds:
        before = _count(store)
        rounds += 1
        for body in RULES.values():
            found = store.query(  # over the merge, which the inferred triples join too
                _PREFIXES + f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {body} FILTER NOT EXISTS {{ ?s ?p ?o }} }}"
            )
            assert isinstance(found, ox.QueryTriples)
            triples = list(found)
            store.extend([ox.Quad(t.subject, t.predicate, t.object, target) for t in triples])
            store.extend([ox.Quad(t.subject, t.predicate, t.object) for t in triples])
    return _count(store)


def materialise_owlrl(kg: KnowledgeGraph, semantics: str = "owl-rl") -> int:
    """Add owlrl's closure (``owl-rl``, or its ``rdfs``) to ``kg``; return how many triples it added."""
    import owlrl

    from .validation import union_graph

    graph = union_graph(kg)
    before = set(graph)
    chosen = owlrl.OWLRL_Semantics if semantics == "owl-rl" else owlrl.RDFS_Semantics
    owlrl.DeductiveClosure(chosen, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    target = ox.NamedNode(INFERRED)
    from rdflib import Literal, URIRef

    quads = [  # owlrl works in generalised RDF: leave out what RDF cannot state (literal subjects)
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), target)  # type: ignore[arg-type]
        for s, p, o in graph
        if (s, p, o) not in before and not isinstance(s, Literal) and isinstance(p, URIRef)
    ]
    kg.store.extend(quads)
    merge_graphs(kg.store, [target])
    return len(quads)


def materialise(kg: KnowledgeGraph, reason: str) -> int:
    """Apply ``reason`` (``none``, ``rdfs`` or ``owl-rl``) to ``kg``; return the triples added."""
    if reason == "none":
        return 0
    if reason == "rdfs":
        return materialise_rdfs(kg)
    if reason == "owl-rl":
        return materialise_owlrl(kg)
    raise SourceError(f"unknown --reason {reason!r}: none, rdfs or owl-rl")
