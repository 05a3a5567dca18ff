"""What the graph holds, described through SPARQL alone: ``info``, ``show`` and ``search``.

Everything here goes through :meth:`Engine.query`, so it works the same on the embedded engine
and on a remote endpoint.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .engine import Engine, text_rows
from .errors import AmbiguousTermError, TermError
from .namespaces import PREFIXES, parse_term, shorten
from .sources import display_path, graph_path

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import URIRef
    from rdflib.term import Node

__all__ = [
    "Claim",
    "Description",
    "GraphInfo",
    "Hit",
    "Relation",
    "describe",
    "expand",
    "fold",
    "graph_info",
    "label_pattern",
    "match_names",
    "prefixes_of",
    "resolve_node",
    "resolve_term",
    "search",
    "source_label_pattern",
]

LABEL_PROPERTIES = ("skos:prefLabel", "rdfs:label", "foaf:name", "dct:title")
DEFINITION_PROPERTIES = ("skos:definition", "dct:description", "rdfs:comment")


def expand(curie: str) -> str:
    """The IRI of a CURIE with a known prefix.

    >>> expand("skos:prefLabel")
    'http://www.w3.org/2004/02/skos/core#prefLabel'
    """
    prefix, local = curie.split(":", 1)
    return PREFIXES[prefix] + local


#: The properties a resource is named by, as node attributes of the projection and in SPARQL.
NAME_PROPERTIES = (*LABEL_PROPERTIES, "skos:altLabel")
#: LABEL_PROPERTIES as IRIs, in the same order of preference.
LABEL_IRIS = tuple(expand(c) for c in LABEL_PROPERTIES)
_DEFINITION_IRIS = tuple(expand(c) for c in DEFINITION_PROPERTIES)
_ALT_LABEL = expand("skos:altLabel")
_STATUS = expand("cpk:status")
_DERIVED = expand("prov:wasDerivedFrom")
#: At most this many candidates are named when a label is ambiguous.
_CANDIDATES_SHOWN = 12


def label_pattern(var: str, out: str) -> str:
    """SPARQL that binds ``?out`` to ``?var``'s preferred label, when it has one."""
    parts = [f"OPTIONAL {{ ?{var} {p} ?{out}_{i} }}" for i, p in enumerate(LABEL_PROPERTIES)]
    coalesce = ", ".join(f"?{out}_{i}" for i in range(len(LABEL_PROPERTIES)))
    return " ".join(parts) + f" BIND(COALESCE({coalesce}) AS ?{out})"


def source_label_pattern(var: str, out: str) -> str:
    """SPARQL that binds ``?out`` to a source's code and label ("S1 Co-production ..."), or its IRI."""
    return (
        f"OPTIONAL {{ ?{var} skos:notation ?{var}_code }} {label_pattern(var, var + '_name')} "
        f'BIND(IF(BOUND(?{var}_code), CONCAT(STR(?{var}_code), " ", COALESCE(?{var}_name, "")), '
        f"COALESCE(?{var}_name, STR(?{var}))) AS ?{out})"
    )


def _text(term: Node | None) -> str:
    return "" if term is None else str(term)


@dataclass(frozen=True)
class GraphInfo:
    """The numbers ``coprodkg info`` prints."""

    triples: int
    classes: tuple[tuple[str, str, int], ...]
    graphs: tuple[tuple[str, int], ...]
    prefixes: tuple[tuple[str, str], ...]


def graph_info(engine: Engine) -> GraphInfo:
    """Triples, instances per class, the files (named graphs) and the prefixes (read as text:
    ``info`` makes no rdflib term)."""
    ((total,),) = list(text_rows(engine, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    classes = text_rows(
        engine,
        "SELECT ?class (SAMPLE(?label) AS ?l) (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class . "
        + label_pattern("class", "label")
        + " FILTER(isIRI(?class)) } GROUP BY ?class ORDER BY DESC(?n) ?class",
    )
    return GraphInfo(
        triples=int(total or 0),
        classes=tuple((c or "", label or "", int(n or 0)) for c, label, n in classes),
        graphs=tuple(engine.graphs()),
        prefixes=tuple(PREFIXES.items()),
    )


@dataclass(frozen=True)
class Relation:
    """One edge of a resource: the property and the resource or value at the other end."""

    predicate: str
    predicate_label: str
    other: Node
    other_label: str


@dataclass(frozen=True)
class Claim:
    """A sourced claim the resource takes part in."""

    claim: Node
    statement: str
    status: str
    sources: tuple[str, ...]
    section: str
    anchor: str


@dataclass(frozen=True)
class Description:
    """Everything ``coprodkg show`` prints about one resource."""

    iri: str
    label: str
    alt_labels: tuple[str, ...]
    definition: str
    types: tuple[tuple[str, str], ...]
    outgoing: tuple[Relation, ...]
    incoming: tuple[Relation, ...]
    status: str
    sources: tuple[str, ...]
    claims: tuple[Claim, ...]
    files: tuple[str, ...]


def _iri_exists(engine: Engine, iri: URIRef) -> bool:
    answer = engine.query("ASK { { ?x ?p ?o } UNION { ?s ?p ?x } UNION { ?s ?x ?o } }", {"x": iri})
    return bool(answer.boolean)


def prefixes_of(engine: Engine, text: str = "") -> Mapping[str, str]:
    """The prefixes a user may write in a CURIE: the known ones, and (when ``text`` is empty or
    uses another) those the loaded files declare (see :func:`~coprodkg.hints.engine_prefixes`).

    >>> from coprodkg import load_graph
    >>> empty = load_graph(bundled=False)
    >>> prefixes_of(empty, "cpk:Theme") is PREFIXES, sorted(prefixes_of(empty)) == sorted(PREFIXES)
    (True, True)
    """
    prefix, colon, _ = text.strip().partition(":")
    if text and (not colon or prefix in PREFIXES or text.lstrip().startswith(("<", '"'))):
        return PREFIXES
    from .hints import engine_prefixes

    return {**engine_prefixes(engine), **PREFIXES}


def resolve_term(engine: Engine, text: str) -> URIRef:
    """The resource a user means: a CURIE (with a known prefix or one the loaded files declare),
    an ``<IRI>`` or a label (ignoring case, accents and spacing; alternative labels count). A
    label several resources share raises
    :class:`~coprodkg.errors.AmbiguousTermError` naming each with its study.

    >>> from coprodkg import load_graph
    >>> str(resolve_term(load_graph(), "Capacity for  sustained evidence USE"))
    'https://w3id.org/coprodkg/id/capacity-for-sustained-evidence-use'
    """
    from rdflib import URIRef

    term = parse_term(text, prefixes_of(engine, text))
    if isinstance(term, URIRef):
        if not _iri_exists(engine, term):
            raise TermError(f"nothing in the graph is called {text}")
        return term
    labels = engine.query(
        "SELECT DISTINCT ?s ?l WHERE { VALUES ?p { "
        + " ".join(NAME_PROPERTIES)
        + " } ?s ?p ?l . FILTER(isIRI(?s) && isLiteral(?l)) }"
    )
    matches = match_names(text, ((str(s), str(label)) for s, label in labels.rows if label is not None))
    if not matches:
        close = [h.label for h in search(engine, text, limit=3)]
        hint = f" (close: {'; '.join(close)})" if close else ""
        raise TermError(f"no resource is labelled {text!r}{hint}; try `coprodkg search`")
    if len(matches) > 1:
        raise _ambiguous(text, matches, _studies(engine, matches))
    return URIRef(matches[0])


def resolve_node(graph: nx.MultiDiGraph, text: str | URIRef) -> str:
    """The node of a projection a user means, by the same rules as :func:`resolve_term`, read
    from the nodes' attributes (label, ``skos:altLabel`` ...) instead of a query.

    >>> from coprodkg import load_graph, project
    >>> resolve_node(project(load_graph()), "capacity for  sustained évidence use")
    'https://w3id.org/coprodkg/id/capacity-for-sustained-evidence-use'
    """
    from rdflib import URIRef

    if isinstance(text, URIRef):
        if str(text) not in graph:
            raise TermError(f"{shorten(str(text))} is not part of the network")
        return str(text)
    term = parse_term(text) if text.strip().startswith("<") or ":" in text else None
    if isinstance(term, URIRef):
        if str(term) not in graph:
            raise TermError(f"no node of the network is called {text}; try `coprodkg search`")
        return str(term)
    names = (
        (node, str(name))
        for node, attrs in graph.nodes(data=True)
        for key in ("label", *NAME_PROPERTIES)
        for name in _as_list(attrs.get(key))
    )
    matches = match_names(text, names)
    if not matches:
        raise TermError(f"no node of the network is labelled {text!r}; try `coprodkg search`")
    if len(matches) > 1:
        studies = {
            m: ", ".join(s.split(" ", 1)[0] for s in graph.nodes[m].get("sources", [])) for m in matches
        }
        raise _ambiguous(text, matches, studies)
    return matches[0]


def match_names(text: str, names: Iterable[tuple[str, str]]) -> list[str]:
    """The IRIs, sorted, of the ``(iri, name)`` pairs whose name is ``text`` up to :func:`fold`.

    >>> match_names("Cafe  reflexion", [("a", "café réflexion"), ("b", "cafés")])
    ['a']
    """
    wanted = fold(text)
    return sorted({iri for iri, name in names if fold(name) == wanted})


def _studies(engine: Engine, iris: list[str]) -> dict[str, str]:
    """IRI -> the codes of the studies (or else the sources) it comes from, e.g. "E6" or "S1.7"."""
    values = " ".join(f"<{iri}>" for iri in iris)
    rows = engine.query(
        f"SELECT ?x (GROUP_CONCAT(DISTINCT ?code; separator=', ') AS ?codes) WHERE {{ VALUES ?x {{ {values} }} "
        "OPTIONAL { ?x prov:wasDerivedFrom ?src . OPTIONAL { ?src cpk:mapStudy/skos:notation ?study } "
        "OPTIONAL { ?src skos:notation ?own } BIND(COALESCE(?study, ?own) AS ?code) } } GROUP BY ?x"
    ).rows
    return {str(x): _text(codes) for x, codes in rows if x is not None}


def _ambiguous(text: str, matches: list[str], studies: dict[str, str]) -> AmbiguousTermError:
    shown = [f"{shorten(m)} ({studies[m]})" if studies.get(m) else shorten(m) for m in matches]
    more = len(shown) - _CANDIDATES_SHOWN
    listed = "; ".join(shown[:_CANDIDATES_SHOWN]) + (f"; and {more} more" if more > 0 else "")
    return AmbiguousTermError(
        f"{text!r} is ambiguous: {len(matches)} resources have that label: {listed}. "
        "Give one by its CURIE (`coprodkg search` lists them)",
        candidates=tuple((m, studies.get(m, "")) for m in matches),
    )


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _relations(engine: Engine, iri: URIRef, incoming: bool) -> tuple[Relation, ...]:
    edge = "?other ?p ?x" if incoming else "?x ?p ?other"
    rows = engine.query(
        f"SELECT ?p ?other (SAMPLE(?pl) AS ?plabel) (SAMPLE(?ol) AS ?olabel) WHERE {{ {edge} . "
        + label_pattern("p", "pl")
        + " "
        + label_pattern("other", "ol")
        + " } GROUP BY ?p ?other ORDER BY ?p ?other",
        {"x": iri},
    ).rows
    skip = {PREFIXES["rdf"] + "type", *LABEL_IRIS, *_DEFINITION_IRIS, _ALT_LABEL, _STATUS, _DERIVED}
    hidden_incoming = {PREFIXES["rdf"] + "subject", PREFIXES["rdf"] + "object"}
    out = []
    for p, other, plabel, olabel in rows:
        if other is None or p is None or (not incoming and str(p) in skip):
            continue
        if incoming and str(p) in hidden_incoming:
            continue
        out.append(Relation(str(p), _text(plabel), other, _text(olabel)))
    return tuple(out)


def _first(engine: Engine, iri: URIRef, properties: tuple[str, ...]) -> list[str]:
    for prop in properties:
        values = engine.query(f"SELECT DISTINCT ?v WHERE {{ ?x {prop} ?v }} ORDER BY ?v", {"x": iri}).column(
            "v"
        )
        if values:
            return [_text(v) for v in values]
    return []


_CLAIMS = """
SELECT ?claim ?s ?p ?o (SAMPLE(?sl) AS ?slabel) (SAMPLE(?pl) AS ?plabel) (SAMPLE(?ol) AS ?olabel)
       (SAMPLE(?stl) AS ?status) (GROUP_CONCAT(DISTINCT ?srcl; separator="; ") AS ?sources)
       (SAMPLE(?sec) AS ?section) (SAMPLE(?ex) AS ?anchor)
WHERE {
  { ?claim rdf:subject ?x } UNION { ?claim rdf:object ?x }
  ?claim a cpk:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?claim cpk:status ?st . OPTIONAL { ?st skos:notation ?stn } BIND(COALESCE(STR(?stn), STR(?st)) AS ?stl) }
  OPTIONAL { ?claim prov:wasDerivedFrom ?src . SOURCE_LABEL }
  OPTIONAL { ?claim cpk:section ?sec }
  OPTIONAL { ?claim cpk:anchor/oa:exact ?ex }
  LABELS
} GROUP BY ?claim ?s ?p ?o ORDER BY ?p ?claim
"""


def _sources_and_status(engine: Engine, iri: URIRef) -> tuple[str, tuple[str, ...]]:
    rows = engine.query(
        "SELECT ?stl ?srcl WHERE { OPTIONAL { ?x cpk:status ?st . OPTIONAL { ?st skos:notation ?n } "
        "BIND(COALESCE(STR(?n), STR(?st)) AS ?stl) } OPTIONAL { ?x prov:wasDerivedFrom ?src . "
        + source_label_pattern("src", "srcl")
        + " } } ORDER BY ?srcl",
        {"x": iri},
    ).rows
    status = next((_text(s) for s, _ in rows if s is not None), "")
    return status, tuple(dict.fromkeys(_text(src).strip() for _, src in rows if src is not None))


def describe(engine: Engine, iri: URIRef) -> Description:
    """Everything the graph says about one resource, with the sources of its claims."""
    types = engine.query(
        "SELECT ?t (SAMPLE(?tl) AS ?label) WHERE { ?x a ?t . "
        + label_pattern("t", "tl")
        + " } GROUP BY ?t ORDER BY ?t",
        {"x": iri},
    ).rows
    text = _CLAIMS.replace("SOURCE_LABEL", source_label_pattern("src", "srcl")).replace(
        "LABELS", " ".join(label_pattern(v, v + "l") for v in ("s", "p", "o"))
    )
    claims = []
    for claim, s, p, o, sl, pl, ol, status, sources, section, anchor in engine.query(text, {"x": iri}).rows:
        statement = " — ".join(_text(label) or _short(t) for label, t in ((sl, s), (pl, p), (ol, o)))
        claims.append(
            Claim(
                claim,  # type: ignore[arg-type]
                statement,
                _text(status),
                tuple(_text(sources).split("; ")),
                _text(section),
                _text(anchor),
            )
        )
    entity_status, entity_sources = _sources_and_status(engine, iri)
    files = engine.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?x ?p ?o } } ORDER BY ?g", {"x": iri}).column(
        "g"
    )
    labels = _first(engine, iri, LABEL_PROPERTIES)
    return Description(
        iri=str(iri),
        label=labels[0] if labels else "",
        alt_labels=tuple(_first(engine, iri, ("skos:altLabel",))),
        definition=next(iter(_first(engine, iri, DEFINITION_PROPERTIES)), ""),
        types=tuple((str(t), _text(label)) for t, label in types if t is not None),
        outgoing=_relations(engine, iri, incoming=False),
        incoming=_relations(engine, iri, incoming=True),
        status=entity_status,
        sources=entity_sources,
        claims=tuple(claims),
        files=tuple(display_graph(_text(g)) for g in files),
    )


def _short(term: Node | None) -> str:
    from rdflib import Literal, URIRef

    if isinstance(term, URIRef):
        return shorten(str(term))
    if isinstance(term, Literal):
        return f'"{term}"'
    return _text(term)


def display_graph(graph: str) -> str:
    """A named graph as a person reads it: a path relative to here when it is a file."""
    path = graph_path(graph)
    return graph if path is None else str(display_path(path))


def fold(text: str) -> str:
    """The form in which names are compared: no case, no accents, single spaces.

    >>> fold("Café  Réflexion")
    'cafe reflexion'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


@dataclass(frozen=True)
class Hit:
    """One search result."""

    iri: str
    label: str
    types: tuple[str, ...]
    score: float
    matched: str


_SEARCH = """
SELECT ?s ?p ?text (GROUP_CONCAT(DISTINCT ?tl; separator=", ") AS ?types) WHERE {
  VALUES ?p { PROPS }
  ?s ?p ?text . FILTER(isIRI(?s) && isLiteral(?text))
  FILTER NOT EXISTS { ?s a cpk:Claim }
  OPTIONAL { ?s a ?t . TLABEL BIND(COALESCE(?tlabel, STR(?t)) AS ?tl) }
} GROUP BY ?s ?p ?text
"""


def search(engine: Engine, text: str, limit: int = 20) -> list[Hit]:
    """Resources whose labels, alternative labels or definitions match ``text``, best first.

    Matching ignores case and accents; every word of ``text`` must occur. Reified claims are left
    out (``show`` lists them under what they are about). Label matches rank
    above alternative labels, which rank above definitions; whole and leading matches rank higher.
    """
    words = fold(text).split()
    if not words:
        return []
    props = (*LABEL_PROPERTIES, "skos:altLabel", *DEFINITION_PROPERTIES)
    rows = engine.query(
        _SEARCH.replace("PROPS", " ".join(props)).replace("TLABEL", label_pattern("t", "tlabel"))
    ).rows
    weights = {**dict.fromkeys(LABEL_IRIS, 3.0), _ALT_LABEL: 2.0, **dict.fromkeys(_DEFINITION_IRIS, 1.0)}
    best: dict[str, Hit] = {}
    labels: dict[str, tuple[int, str]] = {}
    for s, p, value, types in rows:
        iri, prop, content = str(s), str(p), _text(value)
        if prop in LABEL_IRIS:
            labels[iri] = min(labels.get(iri, (len(LABEL_IRIS), "")), (LABEL_IRIS.index(prop), content))
        score = _score(fold(content), words, weights.get(prop, 1.0))
        if score and (iri not in best or score > best[iri].score):
            # sorted: GROUP_CONCAT's order is the engine's, which changed with the store's layout
            kinds = tuple(sorted(shorten(t) if "://" in t else t for t in _text(types).split(", ") if t))
            best[iri] = Hit(iri, "", kinds, score, content)
    hits = [
        Hit(h.iri, labels.get(h.iri, (0, shorten(h.iri)))[1], h.types, h.score, h.matched)
        for h in best.values()
    ]
    hits.sort(key=lambda h: (-h.score, fold(h.label), h.iri))
    return hits[:limit]


def _score(folded: str, words: list[str], weight: float) -> float:
    if not all(w in folded for w in words):
        return 0.0
    phrase = " ".join(words)
    bonus = 1.0
    if folded == phrase:
        bonus = 4.0
    elif folded.startswith(phrase):
        bonus = 2.5
    elif re.search(rf"\b{re.escape(phrase)}\b", folded):
        bonus = 2.0
    elif phrase in folded:
        bonus = 1.5
    return weight * bonus
