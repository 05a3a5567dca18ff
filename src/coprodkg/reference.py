"""``coprodkg docs``: the ontology's reference page, generated offline from schema.ttl and shapes.ttl.

Per class: its definition, superclasses, how many instances the loaded graph has, and the
properties the shapes expect on it (with their targets and counts). Per property: its domain,
range and superproperties. Then the controlled vocabularies (claim status, reading extent, match
strength) and the named queries with their parameters. Written as one HTML page (no scripts, no
network) or as Markdown.

An own template was chosen over pyLODE: pyLODE documents OWL alone, so it would leave out the
shapes' expectations, the instance counts and the named queries, which are what a person adding
a study needs.

>>> from coprodkg.engine import load_graph
>>> page = render_reference(load_graph(), "md")
>>> "cpk:Theme" in page and "theme-barriers" in page
True
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .catalogue import list_queries
from .engine import KnowledgeGraph
from .errors import OutputError
from .files import write_file
from .namespaces import CPK, shorten

__all__ = ["Reference", "gather_reference", "render_reference", "write_reference"]


@dataclass
class Term:
    """One class or property of ours."""

    curie: str
    label: str = ""
    definition: str = ""
    kind: str = ""
    parents: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    instances: int = 0
    expects: list[tuple[str, str, str, str]] = field(default_factory=list)  # path, count, target, message


@dataclass
class Reference:
    """Everything the reference page shows."""

    classes: list[Term]
    properties: list[Term]
    vocabularies: dict[str, list[tuple[str, str, str, str]]]  # class -> (value, code, label, definition)
    queries: list[tuple[str, str, list[tuple[str, str, str]]]]  # name, title, (param, default, what)


def _rows(kg: KnowledgeGraph, sparql: str) -> list[list[str]]:
    return [["" if v is None else str(v) for v in row] for row in kg.query(sparql).rows]


def _short(value: str) -> str:
    return shorten(value) if value.startswith(("http", "urn")) else value


def gather_reference(kg: KnowledgeGraph) -> Reference:
    """Read the schema, the shapes and the instance counts from a loaded graph."""
    terms: dict[str, Term] = {}
    for iri, kind, label, definition in _rows(
        kg,
        "SELECT ?x (SAMPLE(?k) AS ?kind) (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?def) WHERE { "
        "?x a ?k . FILTER(?k IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty, owl:AnnotationProperty, rdf:Property)) "
        f'FILTER(STRSTARTS(STR(?x), "{CPK}")) OPTIONAL {{ ?x rdfs:label ?l }} OPTIONAL {{ ?x skos:definition ?d }} '
        "} GROUP BY ?x ORDER BY ?x",
    ):
        kind_name = "class" if kind.endswith("Class") else kind.rsplit("#", 1)[-1]
        terms[iri] = Term(shorten(iri), label, definition, kind_name)
    for iri, predicate, value in _rows(
        kg,
        "SELECT ?x ?p ?v WHERE { VALUES ?p { rdfs:subClassOf rdfs:subPropertyOf rdfs:domain rdfs:range } "
        f'?x ?p ?v . FILTER(STRSTARTS(STR(?x), "{CPK}") && isIRI(?v)) }} ORDER BY ?x ?v',
    ):
        if iri in terms:
            slot = {"subClassOf": "parents", "subPropertyOf": "parents", "domain": "domain", "range": "range"}
            getattr(terms[iri], slot[predicate.rsplit("#", 1)[-1]]).append(shorten(value))
    for iri, n in _rows(
        kg,
        "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?c a owl:Class . ?x a/rdfs:subClassOf* ?c . "
        f'FILTER(STRSTARTS(STR(?c), "{CPK}")) }} GROUP BY ?c',
    ):
        if iri in terms:
            terms[iri].instances = int(n)
    _expectations(kg, terms)
    vocabularies: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for cls, value, code, label, definition in _rows(
        kg,
        "SELECT ?c ?v (SAMPLE(?n) AS ?code) (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?def) WHERE { "
        "VALUES ?c { cpk:ClaimStatus cpk:ReadingExtent cpk:MatchStrength } ?v a ?c . "
        "OPTIONAL { ?v skos:notation ?n } OPTIONAL { ?v rdfs:label|skos:prefLabel ?l } "
        "OPTIONAL { ?v skos:definition ?d } } GROUP BY ?c ?v ORDER BY ?c ?v",
    ):
        vocabularies[shorten(cls)].append((shorten(value), code, label, definition))
    queries = [
        (q.name, q.title, [(p.name, p.default or "", p.description) for p in q.parameters])
        for q in list_queries()
    ]
    classes = [t for t in terms.values() if t.kind == "class"]
    properties = [t for t in terms.values() if t.kind != "class"]
    return Reference(classes, properties, dict(vocabularies), queries)


def _expectations(kg: KnowledgeGraph, terms: dict[str, Term]) -> None:
    """Each class's expected properties, from the shapes that target it or a superclass."""
    rows = _rows(
        kg,
        "SELECT ?c ?path (SAMPLE(?min) AS ?mn) (SAMPLE(?max) AS ?mx) "
        "(GROUP_CONCAT(DISTINCT STR(?t); separator=' ') AS ?targets) (SAMPLE(?m) AS ?msg) WHERE { "
        "?shape sh:targetClass ?target ; sh:property ?ps . ?c rdfs:subClassOf* ?target . "
        f'FILTER(STRSTARTS(STR(?c), "{CPK}")) ?ps sh:path ?path . FILTER(isIRI(?path)) '
        "OPTIONAL { ?ps sh:minCount ?min } OPTIONAL { ?ps sh:maxCount ?max } OPTIONAL { ?ps sh:message ?m } "
        "OPTIONAL { { ?ps sh:class ?t } UNION { ?ps sh:datatype ?t } UNION { ?ps sh:hasValue ?t } "
        "UNION { ?ps sh:or/rdf:rest*/rdf:first/(sh:class|sh:datatype) ?t } "
        "UNION { ?ps sh:in/rdf:rest*/rdf:first ?t } } "
        "} GROUP BY ?c ?path ORDER BY ?c ?path",
    )
    for cls, path, low, high, targets, message in rows:
        if cls not in terms:
            continue
        count = f"{low or 0}..{high or '*'}"
        shown = ", ".join(_short(t) for t in sorted(targets.split()))  # GROUP_CONCAT has no order
        terms[cls].expects.append((shorten(path), count, shown, message))


def render_reference(kg: KnowledgeGraph, fmt: str = "html") -> str:
    """The reference page as ``html`` or ``md``."""
    ref = gather_reference(kg)
    return _markdown(ref) if fmt == "md" else _html(ref)


def _markdown(ref: Reference) -> str:
    out = [
        "# coprodkg ontology reference",
        "",
        "Generated by `coprodkg docs` from schema.ttl and shapes.ttl.",
        "",
    ]
    out += ["## Classes", ""]
    for c in ref.classes:
        out += [f"### {c.curie}", "", f"*{c.label}* — {c.definition}", ""]
        if c.parents:
            out.append(f"Subclass of: {', '.join(c.parents)}. ")
        out += [f"Instances in the loaded graph: {c.instances}.", ""]
        if c.expects:
            out += ["| property | count | expected | the shapes say |", "|---|---|---|---|"]
            out += [f"| {p} | {n} | {t} | {_cell(m)} |" for p, n, t, m in c.expects]
            out.append("")
    out += [
        "## Properties",
        "",
        "| property | kind | domain | range | subproperty of | definition |",
        "|---|---|---|---|---|---|",
    ]
    for p in ref.properties:
        out.append(
            f"| {p.curie} | {p.kind} | {', '.join(p.domain)} | {', '.join(p.range)} | {', '.join(p.parents)} | "
            f"{_cell(p.definition)} |"
        )
    for cls, values in ref.vocabularies.items():
        out += ["", f"## Values of {cls}", "", "| value | code | label | definition |", "|---|---|---|---|"]
        out += [f"| {v} | {c} | {lab} | {_cell(d)} |" for v, c, lab, d in values]
    out += ["", "## Named queries", "", "| query | title | parameters |", "|---|---|---|"]
    for name, title, params in ref.queries:
        shown = "; ".join(
            f"`{n}`" + (f" (default `{d}`)" if d else "") + (f": {w}" if w else "") for n, d, w in params
        )
        out.append(f"| `{name}` | {_cell(title)} | {_cell(shown) or '—'} |")
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _html(ref: Reference) -> str:
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>coprodkg ontology reference</title>',
        "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;"
        "vertical-align:top;text-align:left}code{background:#f4f4f4}h3{margin-top:2rem}</style></head><body>",
        "<h1>coprodkg ontology reference</h1>",
        "<p>Generated by <code>coprodkg docs</code> from schema.ttl and shapes.ttl.</p>",
        '<nav><a href="#classes">Classes</a> · <a href="#properties">Properties</a> · '
        '<a href="#vocabularies">Vocabularies</a> · <a href="#queries">Named queries</a></nav>',
        '<h2 id="classes">Classes</h2>',
    ]
    for c in ref.classes:
        out.append(
            f'<h3 id="{e(c.curie)}"><code>{e(c.curie)}</code> {e(c.label)}</h3><p>{e(c.definition)}</p>'
        )
        parents = f"Subclass of {e(', '.join(c.parents))}. " if c.parents else ""
        out.append(f"<p>{parents}Instances in the loaded graph: {c.instances}.</p>")
        if c.expects:
            out.append(
                "<table><tr><th>property</th><th>count</th><th>expected</th><th>the shapes say</th></tr>"
            )
            out += [
                f"<tr><td><code>{e(p)}</code></td><td>{e(n)}</td><td>{e(t)}</td><td>{e(m)}</td></tr>"
                for p, n, t, m in c.expects
            ]
            out.append("</table>")
    out.append(
        '<h2 id="properties">Properties</h2><table><tr><th>property</th><th>kind</th><th>domain</th>'
        "<th>range</th><th>subproperty of</th><th>definition</th></tr>"
    )
    for p in ref.properties:
        out.append(
            f'<tr id="{e(p.curie)}"><td><code>{e(p.curie)}</code></td><td>{e(p.kind)}</td>'
            f"<td>{e(', '.join(p.domain))}</td><td>{e(', '.join(p.range))}</td><td>{e(', '.join(p.parents))}</td>"
            f"<td>{e(p.definition)}</td></tr>"
        )
    out.append('</table><h2 id="vocabularies">Vocabularies</h2>')
    for cls, values in ref.vocabularies.items():
        out.append(
            f"<h3>Values of <code>{e(cls)}</code></h3><table><tr><th>value</th><th>code</th><th>label</th>"
            "<th>definition</th></tr>"
        )
        out += [
            f"<tr><td><code>{e(v)}</code></td><td>{e(c)}</td><td>{e(lab)}</td><td>{e(d)}</td></tr>"
            for v, c, lab, d in values
        ]
        out.append("</table>")
    out.append(
        '<h2 id="queries">Named queries</h2><table><tr><th>query</th><th>title</th><th>parameters</th></tr>'
    )
    for name, title, params in ref.queries:
        shown = "<br>".join(
            f"<code>{e(n)}</code>"
            + (f" (default <code>{e(d)}</code>)" if d else "")
            + (f": {e(w)}" if w else "")
            for n, d, w in params
        )
        out.append(f"<tr><td><code>{e(name)}</code></td><td>{e(title)}</td><td>{shown or '—'}</td></tr>")
    out.append("</table></body></html>")
    return "\n".join(out) + "\n"


def write_reference(kg: KnowledgeGraph, output: Path, fmt: str | None = None) -> Path:
    """Write the page: ``FILE.md`` as Markdown, ``FILE.html`` as HTML, a folder gets ``index.html``
    (``index.md`` with ``fmt="md"``); ``fmt`` names the format when the suffix should not."""
    if output.is_dir() or not output.suffix:
        target = output / ("index.md" if fmt == "md" else "index.html")
    else:
        target = output
        if target.suffix.lower() not in (".html", ".htm", ".md"):
            raise OutputError(f"{output}: give a folder, a .html file or a .md file")
    text = render_reference(kg, fmt or ("md" if target.suffix.lower() == ".md" else "html"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None
    return write_file(target, text)
