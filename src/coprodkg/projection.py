"""A deliberate projection of the RDF graph into networkx, shared by analysis and the explorer.

- The study's resources become nodes, each with a *kind* (theme, mechanism, barrier,
  facilitator, outcome, actor, organisation, source, concept) read from its ``rdf:type``
  through ``rdfs:subClassOf``.
- Literals become node attributes, never nodes.
- Schema and provenance plumbing (classes, properties, shapes, reified claims, status values)
  stay out; ``prov:wasDerivedFrom`` edges to sources come in only with ``provenance=True``.
- Relations become directed, typed edges carrying the relation's label, the claim's status and
  its sources.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .engine import Engine
from .lookup import DEFINITION_PROPERTIES, LABEL_PROPERTIES, label_pattern, source_label_pattern
from .namespaces import PREFIXES, shorten

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["KINDS", "project"]

#: Kind -> the classes whose instances have it, in priority order (first match wins).
KINDS: dict[str, tuple[str, ...]] = {
    "theme": ("cpk:Theme",),
    "mechanism": ("cpk:Mechanism",),
    "barrier": ("cpk:Barrier",),
    "facilitator": ("cpk:Facilitator",),
    "outcome": ("cpk:Outcome",),
    "actor": ("cpk:ActorRole", "foaf:Person"),
    "organisation": ("org:Organization",),
    "source": (
        "cpk:Source",
        "cpk:DataSource",
        "cpk:ResearchProject",
        "cpk:WorkPackage",
        "cpk:ProjectComponent",
        "fabio:Journal",
    ),
    "concept": ("cpk:Concept", "cpk:Finding"),
}

_PLUMBING = {PREFIXES["rdf"] + n for n in ("type", "subject", "predicate", "object")}
_DERIVED = PREFIXES["prov"] + "wasDerivedFrom"


def _kinds(engine: Engine) -> dict[str, str]:
    """Resource IRI -> kind."""
    values = " ".join(f"({c} {i})" for i, (kind, classes) in enumerate(KINDS.items()) for c in classes)
    rows = engine.query(
        f"SELECT ?x (MIN(?rank) AS ?r) WHERE {{ VALUES (?root ?rank) {{ {values} }} "
        "?x a ?t . ?t rdfs:subClassOf* ?root . FILTER(isIRI(?x)) } GROUP BY ?x"
    ).rows
    names = list(KINDS)
    return {str(x): names[int(str(r))] for x, r in rows if x is not None and r is not None}


def _literals(engine: Engine, nodes: dict[str, dict[str, Any]]) -> None:
    rows = engine.query("SELECT ?x ?p ?v WHERE { ?x ?p ?v . FILTER(isIRI(?x) && isLiteral(?v)) }").rows
    for x, p, v in rows:
        attrs = nodes.get(str(x))
        if attrs is None or v is None:
            continue
        key = shorten(str(p))
        value = v.toPython() if hasattr(v, "toPython") else str(v)
        value = value if isinstance(value, int | float | bool | str) else str(v)
        if key in attrs and attrs[key] != value:
            existing = attrs[key] if isinstance(attrs[key], list) else [attrs[key]]
            attrs[key] = [*existing, value] if value not in existing else existing
        else:
            attrs[key] = value


_EDGES = """
SELECT ?s ?p ?o (SAMPLE(?plabel) AS ?pl) (SAMPLE(?stn) AS ?status)
       (GROUP_CONCAT(DISTINCT ?srcl; separator="|") AS ?sources) WHERE {
  ?s ?p ?o . FILTER(isIRI(?s) && isIRI(?o))
  OPTIONAL {
    ?c rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
    OPTIONAL { ?c cpk:status/skos:notation ?stn }
    OPTIONAL { ?c prov:wasDerivedFrom ?src . SRCLABEL }
  }
  PLABEL
} GROUP BY ?s ?p ?o
"""


def project(engine: Engine, *, provenance: bool = False) -> nx.MultiDiGraph:
    """The study's resources and the relations between them as a networkx multigraph.

    Node attributes: ``label``, ``kind``, ``definition``, ``status``, ``sources`` and every literal
    property by CURIE (``skos:altLabel``, ``cpk:participantCount`` ...). Edge attributes:
    ``predicate`` (IRI), ``label``, ``status`` and ``sources`` (of the claim behind the edge).

    >>> from coprodkg import load_graph
    >>> g = project(load_graph())
    >>> sorted({kind for _, kind in g.nodes(data="kind")})[:3]
    ['actor', 'barrier', 'concept']
    """
    import networkx as nx

    kinds = _kinds(engine)
    nodes: dict[str, dict[str, Any]] = {iri: {"kind": kind, "iri": iri} for iri, kind in kinds.items()}
    _literals(engine, nodes)
    status_rows = engine.query(
        "SELECT ?x (SAMPLE(?n) AS ?st) (GROUP_CONCAT(DISTINCT ?srcl; separator='|') AS ?srcs) WHERE { "
        "?x cpk:status|prov:wasDerivedFrom ?any . OPTIONAL { ?x cpk:status/skos:notation ?n } "
        "OPTIONAL { ?x prov:wasDerivedFrom ?src . " + source_label_pattern("src", "srcl") + " } } GROUP BY ?x"
    ).rows
    for x, status, sources in status_rows:
        if str(x) in nodes:
            nodes[str(x)]["status"] = str(status) if status is not None else ""
            nodes[str(x)]["sources"] = sorted(s.strip() for s in str(sources or "").split("|") if s.strip())
    graph = nx.MultiDiGraph()
    for iri, attrs in nodes.items():
        label = next((attrs[k] for k in LABEL_PROPERTIES if k in attrs), None)
        definition = next((attrs[k] for k in DEFINITION_PROPERTIES if k in attrs), "")
        attrs["label"] = _one(label) or shorten(iri)
        attrs["definition"] = _one(definition)
        attrs.setdefault("status", "")
        attrs.setdefault("sources", [])
        graph.add_node(iri, **attrs)
    text = _EDGES.replace("SRCLABEL", source_label_pattern("src", "srcl")).replace(
        "PLABEL", label_pattern("p", "plabel")
    )
    seen: set[tuple[str, str, str]] = set()
    for s, p, o, plabel, status, sources in engine.query(text).rows:
        key = (str(s), str(p), str(o))
        if key[0] not in nodes or key[2] not in nodes or key[1] in _PLUMBING or key in seen:
            continue
        if key[1] == _DERIVED and not provenance:
            continue
        seen.add(key)
        graph.add_edge(
            key[0],
            key[2],
            key=key[1],
            predicate=key[1],
            label=str(plabel) if plabel is not None else shorten(key[1]),
            status=str(status) if status is not None else graph.nodes[key[0]].get("status", ""),
            sources=sorted(x.strip() for x in str(sources or "").split("|") if x.strip()),
        )
    return graph


def _one(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return "" if value is None else str(value)
