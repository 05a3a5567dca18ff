"""The floor of each step bench_scale.py times: the same job as a bare script, no coprodkg.

Each loads the same files with pyoxigraph as coprodkg does, each into its own graph and into the
merge (or opens the same store), reads the rows the step needs as plain strings (never rdflib
terms), and runs the best library for the step:

    python bench/floor.py STEP OUT FILES...     (STEP: info query load query-store validate
                                                 validate-turbo rows path viz graphml analyse;
                                                 OUT: a file or folder)

``path`` goes from $FLOOR_FROM to $FLOOR_TO (IRIs). ``validate`` copies the store into rdflib for
pySHACL; ``validate-turbo`` runs pyshacl-turbo (pySHACL's interface on a Rust engine, the one
``coprodkg validate`` uses) straight on the store, with the same shapes.

For the network steps the rows are the projection's own five queries (kinds, literals, status and
sources, claims, edges), so the floor reads exactly what coprodkg reads; igraph then does the
path, the layout and the measures, networkx writes the GraphML.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pyoxigraph as ox

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}
PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX cpk: <https://w3id.org/coprodkg/ns#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX fabio: <http://purl.org/spar/fabio/>
"""
KIND_ROOTS = [
    "cpk:Theme",
    "cpk:Mechanism",
    "cpk:Barrier",
    "cpk:Facilitator",
    "cpk:Outcome",
    "cpk:ActorRole",
    "foaf:Person",
    "org:Organization",
    "cpk:Source",
    "cpk:DataSource",
    "cpk:ResearchProject",
    "cpk:WorkPackage",
    "cpk:ProjectComponent",
    "fabio:Journal",
    "cpk:Concept",
    "cpk:Finding",
    "cpk:SharedConcept",
]
ROWS = {
    "kinds": "SELECT ?x (MIN(?rank) AS ?r) WHERE { VALUES (?root ?rank) { "
    + " ".join(f"({c} {i})" for i, c in enumerate(KIND_ROOTS))
    + " } ?x a ?t . ?t rdfs:subClassOf* ?root . FILTER(isIRI(?x)) } GROUP BY ?x",
    "literals": "SELECT ?x ?p ?v (DATATYPE(?v) AS ?d) WHERE { ?x ?p ?v . FILTER(isIRI(?x) && isLiteral(?v)) }",
    "status": "SELECT ?x ?n ?src WHERE { { ?x cpk:status/skos:notation ?n } UNION { ?x prov:wasDerivedFrom ?src } }",
    "claims": "SELECT ?c ?s ?p ?o ?m WHERE { ?c rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . "
    "OPTIONAL { ?c cpk:matchStrength/skos:notation ?m } }",
    "edges": "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o . FILTER(isIRI(?s) && isIRI(?o) && ?p NOT IN "
    "(rdf:type, rdf:subject, rdf:predicate, rdf:object, cpk:status, prov:wasDerivedFrom)) }",
}
LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"


def load(files: list[str], store: ox.Store, bulk: bool = False) -> None:
    """Each file into its own graph (who states what) and into the default graph, the merge the
    queries read: Oxigraph 0.5's union default graph gives a triple once per file stating it."""
    for f in files:
        path = Path(f).resolve()
        graph = ox.NamedNode(path.as_uri())
        if bulk:
            store.bulk_load(path=str(path), format=FORMATS[path.suffix], to_graph=graph)
            triples = store.quads_for_pattern(None, None, None, graph)
            store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in triples)
        else:
            store.load(path=str(path), format=FORMATS[path.suffix], to_graph=graph)
            store.update(f"ADD {graph} TO DEFAULT")


def rows(store: ox.Store, sparql: str) -> list[tuple[str | None, ...]]:
    answer = store.query(PREFIXES + sparql)
    assert isinstance(answer, ox.QuerySolutions)
    width = len(answer.variables)
    return [tuple(None if (t := s[i]) is None else t.value for i in range(width)) for s in answer]


def network(store: ox.Store) -> tuple[list[str], dict[str, str], list[tuple[int, int]]]:
    """Nodes, their labels and the undirected simple edges between them, from the projection's rows."""
    found = {name: rows(store, text) for name, text in ROWS.items()}
    order = sorted(x for x, _ in found["kinds"] if x is not None)
    index = {n: i for i, n in enumerate(order)}
    labels = {x: v for x, p, v, _ in found["literals"] if p == LABEL and x in index and v is not None}
    pairs = {
        (min(index[s], index[o]), max(index[s], index[o]))
        for s, _, o in found["edges"]
        if s in index and o in index and s != o
    }
    return order, labels, sorted(pairs)


def main() -> None:
    step, out, files = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
    if step in ("load", "query-store"):
        store = ox.Store(str(out))
        if step == "load":
            load(files, store, bulk=True)
            store.flush()
        else:
            print(len(rows(store, Path(files[0]).read_text(encoding="utf-8"))))
        return
    store = ox.Store()
    if step == "query":
        query, files = files[0], files[1:]
        load(files, store)
        print(len(rows(store, Path(query).read_text(encoding="utf-8"))))
        return
    load(files, store)
    if step == "info":
        total = rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        classes = rows(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
        print(total[0][0], len(classes))
    elif step == "validate":
        import pyshacl
        from rdflib import BNode, Graph, Literal, URIRef

        def term(t: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | BNode | Literal:
            if isinstance(t, ox.NamedNode):
                return URIRef(t.value)
            if isinstance(t, ox.BlankNode):
                return BNode(t.value)
            datatype = None if t.language else URIRef(t.datatype.value)
            return Literal(t.value, lang=t.language, datatype=datatype)

        data = Graph()
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):  # the merge
            data.add((term(q.subject), term(q.predicate), term(q.object)))  # type: ignore[arg-type]
        shapes = Graph().parse(Path(__file__).resolve().parent.parent / "ontology" / "shapes.ttl")
        conforms, _, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False)
        print(conforms)
    elif step == "validate-turbo":
        import pyshacl_turbo
        from rdflib import Graph

        shapes = Graph().parse(Path(__file__).resolve().parent.parent / "ontology" / "shapes.ttl")
        conforms, _, _ = pyshacl_turbo.validate(store, shacl_graph=shapes, inference="none", advanced=False)
        print(conforms)
    elif step == "rows":
        print(sum(len(rows(store, text)) for text in ROWS.values()))
    else:
        order, labels, edges = network(store)
        import igraph

        graph = igraph.Graph(n=len(order), edges=edges)
        if step == "path":
            index = {n: i for i, n in enumerate(order)}
            ends = (index[os.environ["FLOOR_FROM"]], index[os.environ["FLOOR_TO"]])
            print(len(graph.get_shortest_path(*ends)))
        elif step == "viz":
            positions = graph.layout_fruchterman_reingold(grid=len(order) > 1000)
            out.write_text(str(list(positions)), encoding="utf-8")
        elif step == "analyse":
            graph.betweenness(directed=False)
            graph.pagerank(directed=False)
            graph.community_multilevel()
        elif step == "graphml":
            import networkx as nx

            simple = nx.Graph()
            simple.add_nodes_from((n, {"label": labels.get(n, n)}) for n in order)
            simple.add_edges_from((order[a], order[b]) for a, b in edges)
            nx.write_graphml(simple, out)


if __name__ == "__main__":
    main()
