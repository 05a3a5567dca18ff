"""A deliberate projection of the RDF graph into networkx, shared by analysis and the explorer.

- The study's resources become nodes, each with a *kind* (theme, mechanism, barrier,
  facilitator, outcome, actor, organisation, source, concept) read from its ``rdf:type``
  through ``rdfs:subClassOf``.
- Literals become node attributes, never nodes.
- Schema and provenance plumbing (classes, properties, shapes, reified claims, status values)
  stay out; ``prov:wasDerivedFrom`` edges to sources come in only with ``provenance=True``.
- Relations become directed, typed edges carrying the relation's label, the claim's status and
  its sources.
- An evidence map's shared concepts (``cpk:SharedConcept``, kind ``shared``) are nodes too, and
  each study concept's alignment to one (``skos:closeMatch`` ...) an edge with the alignment's
  status, sources and ``strength`` (``exact``, ``close``, ``loose``), so paths and measures cross
  the map from one study to another.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .engine import Engine, text_rows
from .lookup import DEFINITION_PROPERTIES, LABEL_IRIS, LABEL_PROPERTIES
from .namespaces import PREFIXES, shorten
from .progress import stage

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["ALIGNMENTS", "KINDS", "project"]


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
    "shared": ("cpk:SharedConcept",),
}

#: The SKOS mapping relations an evidence map's alignments use -> their words on an edge.
ALIGNMENTS = {
    PREFIXES["skos"] + name: name.replace("Match", " match")
    for name in ("exactMatch", "closeMatch", "relatedMatch", "broadMatch", "narrowMatch")
}

_XSD = PREFIXES["xsd"]
_INTEGERS = {
    _XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
        "unsignedByte",
    )
}  # fmt: skip
_FLOATS = {_XSD + "double", _XSD + "float"}
_NOTATION = PREFIXES["skos"] + "notation"

#: The folder inside an on-disk store that holds its cached projections.
_CACHE = "coprodkg-cache"
#: Bump when the projection's content changes, so older caches are not read.
_CACHE_VERSION = 2

#: The engines (by id) this process has projected: an engine's later updates never reach its
#: table files while it is open, so only its first projection may come from the cache.
_PROJECTED: set[int] = set()

#: A row of a projection query: every term as its text (an IRI, a literal's lexical form), or None.
Row = tuple[str | None, ...]


def _value(text: str, datatype: str | None) -> str | int | float | bool:
    """A literal as the Python value a node attribute holds (numbers and booleans typed)."""
    try:
        if datatype in _INTEGERS:
            return int(text)
        if datatype in _FLOATS:
            return float(text)
    except ValueError:
        return text
    if datatype == _XSD + "boolean" and text in ("true", "false", "1", "0"):
        return text in ("true", "1")
    return text


def _kinds(engine: Engine) -> dict[str, str]:
    """Resource IRI -> kind."""
    values = " ".join(f"({c} {i})" for i, (kind, classes) in enumerate(KINDS.items()) for c in classes)
    rows = text_rows(
        engine,
        f"SELECT ?x (MIN(?rank) AS ?r) WHERE {{ VALUES (?root ?rank) {{ {values} }} "
        "?x a ?t . ?t rdfs:subClassOf* ?root . FILTER(isIRI(?x)) } GROUP BY ?x",
    )
    names = list(KINDS)
    return {x: names[int(r)] for x, r in rows if x is not None and r is not None}


def _literals(engine: Engine, nodes: dict[str, dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Fill each node's literal attributes; return every resource's first label and code by property."""
    rows = text_rows(
        engine, "SELECT ?x ?p ?v (DATATYPE(?v) AS ?d) WHERE { ?x ?p ?v . FILTER(isIRI(?x) && isLiteral(?v)) }"
    )
    names: dict[str, dict[str, str]] = {}
    keys: dict[str, str] = {}
    for x, p, v, d in rows:
        if x is None or p is None or v is None:
            continue
        if p in LABEL_IRIS or p == _NOTATION:
            names.setdefault(x, {}).setdefault(p, v)
        attrs = nodes.get(x)
        if attrs is None:
            continue
        key = keys.get(p) or keys.setdefault(p, shorten(p))
        value = _value(v, d)
        if key in attrs and attrs[key] != value:
            existing = attrs[key] if isinstance(attrs[key], list) else [attrs[key]]
            attrs[key] = [*existing, value] if value not in existing else existing
        else:
            attrs[key] = value
    return names


def _label(names: dict[str, str]) -> str | None:
    return next((names[p] for p in LABEL_IRIS if p in names), None)


def _source_label(iri: str, names: dict[str, str]) -> str:
    """What :func:`~coprodkg.lookup.source_label_pattern` binds: code and label, or the IRI."""
    name = _label(names)
    code = names.get(_NOTATION)
    if code is not None:
        return f"{code} {name or ''}"
    return name if name is not None else iri


def _status_and_sources(engine: Engine, sources: dict[str, str]) -> dict[str, tuple[str, set[str]]]:
    """Resource (or the triple of a claim, joined by spaces) -> its status code and source labels."""
    found: dict[str, tuple[str, set[str]]] = {}
    rows = text_rows(
        engine,
        "SELECT ?x ?n ?src WHERE { { ?x cpk:status/skos:notation ?n } UNION { ?x prov:wasDerivedFrom ?src } }",
    )
    for x, status, src in rows:
        if x is None:
            continue
        entry = found.get(x) or found.setdefault(x, ("", set()))
        if status is not None and not entry[0]:
            found[x] = entry = (status, entry[1])
        if src is not None:
            entry[1].add(sources.get(src, src).strip())
    return found


def project(engine: Engine, *, provenance: bool = False) -> nx.MultiDiGraph:
    """The study's resources and the relations between them as a networkx multigraph.

    Node attributes: ``label``, ``kind``, ``definition``, ``status``, ``sources`` and every literal
    property by CURIE (``skos:altLabel``, ``cpk:participantCount`` ...). Edge attributes:
    ``predicate`` (IRI), ``label``, ``status`` and ``sources`` (of the claim behind the edge).

    On an on-disk store (``load_graph(store=...)``) the projection is kept in the store's folder
    and reused until the store's data files change: ``path`` and ``neighbours`` on a 100-study
    store then read it back in a fraction of the time it takes to make.

    >>> from coprodkg import load_graph
    >>> g = project(load_graph())
    >>> sorted({kind for _, kind in g.nodes(data="kind")})[:3]
    ['actor', 'barrier', 'concept']
    """
    location = getattr(engine, "location", None)
    if not isinstance(location, Path) or id(engine) in _PROJECTED:
        return _project(engine, provenance)  # a second projection of one engine: it may have been updated
    _PROJECTED.add(id(engine))
    cache = location / _CACHE / f"projection{'-provenance' if provenance else ''}.pickle"
    graph = _read_cache(cache, _fingerprint(location))
    if graph is None:
        graph = _project(engine, provenance)
        _write_cache(cache, _fingerprint(location), graph)  # after: opening may have compacted the tables
    return graph


def _fingerprint(location: Path) -> str:
    """What changes whenever the store's data does: the names and sizes of its table files.

    Opening and reading a store leaves them alone; every write reaches them by the time the
    store is next opened (Oxigraph replays its log into a new table file on opening).
    """
    for _ in range(5):  # a compaction may remove a table file while it is listed: list again
        try:
            tables = sorted((f.name, f.stat().st_size) for f in location.glob("*.sst"))
        except FileNotFoundError:
            continue
        return hashlib.sha256(repr((_CACHE_VERSION, __version__, tables)).encode()).hexdigest()
    return f"changing-{os.getpid()}-{time.monotonic()}"  # still compacting: matches no cache


def _read_cache(cache: Path, key: str) -> nx.MultiDiGraph | None:
    try:
        with cache.open("rb") as handle:
            found_key, graph = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return None
    return graph if found_key == key else None  # type: ignore[no-any-return]


def _write_cache(cache: Path, key: str, graph: nx.MultiDiGraph) -> None:
    """Keep the projection beside the store; a store we cannot write to just goes uncached."""
    partial = cache.with_suffix(f".{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(exist_ok=True)
        with partial.open("wb") as handle:
            pickle.dump((key, graph), handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(cache)
    except OSError:
        return
    finally:
        partial.unlink(missing_ok=True)


def _project(engine: Engine, provenance: bool) -> nx.MultiDiGraph:
    with stage("projecting the network"):
        return _make(engine, provenance)


def _make(engine: Engine, provenance: bool) -> nx.MultiDiGraph:
    import networkx as nx

    kinds = _kinds(engine)
    nodes: dict[str, dict[str, Any]] = {iri: {"kind": kind, "iri": iri} for iri, kind in kinds.items()}
    names = _literals(engine, nodes)
    sources = {iri: _source_label(iri, found) for iri, found in names.items()}
    evidence = _status_and_sources(engine, sources)
    graph = nx.MultiDiGraph()
    for iri, attrs in nodes.items():
        label = next((attrs[k] for k in LABEL_PROPERTIES if k in attrs), None)
        definition = next((attrs[k] for k in DEFINITION_PROPERTIES if k in attrs), "")
        attrs["label"] = _one(label) or shorten(iri)
        attrs["definition"] = _one(definition)
        status, from_sources = evidence.get(iri, ("", set()))
        attrs["status"] = status
        attrs["sources"] = sorted(s for s in from_sources if s)
    graph.add_nodes_from(nodes.items())
    claims: dict[tuple[str, str, str], tuple[str, set[str]]] = {}
    strengths: dict[tuple[str, str, str], str] = {}
    rows = text_rows(
        engine,
        "SELECT ?c ?s ?p ?o ?m WHERE { ?c rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . "
        "OPTIONAL { ?c cpk:matchStrength/skos:notation ?m } }",
    )
    for c, s, p, o, strength in rows:
        if c is None or s not in nodes or o not in nodes or p is None:
            continue
        status, from_sources = evidence.get(c, ("", set()))
        previous = claims.get((s, p, o))
        if previous is not None:
            status, from_sources = previous[0] or status, previous[1] | from_sources
        claims[(s, p, o)] = (status, from_sources)
        if strength is not None:
            strengths.setdefault((s, p, o), strength)
    left_out = ["rdf:type", "rdf:subject", "rdf:predicate", "rdf:object", "cpk:status"]
    left_out += [] if provenance else ["prov:wasDerivedFrom"]
    rows = text_rows(
        engine,
        "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o . "
        f"FILTER(isIRI(?s) && isIRI(?o) && ?p NOT IN ({', '.join(left_out)})) }}",
    )
    labels: dict[str, str] = {}
    edges = []
    for s, p, o in rows:
        if s not in nodes or o not in nodes or p is None:
            continue
        label = labels.get(p)
        if label is None:
            label = labels[p] = _label(names.get(p, {})) or ALIGNMENTS.get(p) or shorten(p)
        claim = claims.get((s, p, o))
        status, from_sources = claim if claim is not None else ("", set())
        attrs = {
            "predicate": p,
            "label": label,
            "status": status or nodes[s]["status"],
            "sources": sorted(x for x in from_sources if x),
        }
        strength = strengths.get((s, p, o))
        if strength is not None:
            attrs["strength"] = strength
        edges.append((s, o, p, attrs))
    graph.add_edges_from(edges)
    return graph


def _one(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return "" if value is None else str(value)
