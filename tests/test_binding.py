"""Parameters are bound as escaped RDF terms in a VALUES block: they cannot change the query."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef

from coprodkg import load_graph
from coprodkg.binding import bind_values
from coprodkg.errors import ParameterError, QuerySyntaxError


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?o WHERE { ?s ?p ?o }",
        "SELECT * { ?s ?p ?o }",
        "ASK { ?s ?p ?o }",
        "ASK WHERE { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "# a comment with a { brace\nPREFIX ex: <https://e.org/{>\nSELECT ?o WHERE { ?s ?p ?o }",
    ],
)
def test_values_block_goes_into_the_where_group(query: str) -> None:
    bound = bind_values(query, {"s": URIRef("https://e.org/a")})
    head, _, body = bound.rpartition("VALUES (?s) { (<https://e.org/a>) }")
    assert head.rstrip().endswith("{")
    assert "?s ?p ?o }" in body


def test_hostile_literal_stays_a_literal() -> None:
    graph = load_graph([], bundled=False)
    graph.store.update('INSERT DATA { <https://e.org/a> <https://e.org/p> "x" }')
    evil = Literal('x" } ; DROP ALL ; SELECT * { "')
    result = graph.query("SELECT ?s WHERE { ?s ?p ?o }", {"o": evil})
    assert result.rows == ()
    assert len(graph) == 1


def test_bad_iri_and_blank_nodes_are_refused() -> None:
    with pytest.raises(ParameterError):
        bind_values("SELECT * { ?s ?p ?o }", {"s": URIRef("https://e.org/a> } DROP ALL {")})
    with pytest.raises(ParameterError):
        bind_values("SELECT * { ?s ?p ?o }", {"s": BNode()})
    with pytest.raises(ParameterError):
        bind_values("SELECT * { ?s ?p ?o }", {"not a name": Literal(1)})


def test_query_without_a_group_cannot_be_bound() -> None:
    with pytest.raises(QuerySyntaxError):
        bind_values("DESCRIBE <https://e.org/a>", {"s": Literal(1)})


def test_a_variable_seen_only_inside_a_sub_select_cannot_be_bound() -> None:
    term = {"t": URIRef("https://e.org/t")}
    hidden = "SELECT ?n WHERE { { SELECT (COUNT(?t) AS ?n) WHERE { ?t ?p ?o } } }"
    with pytest.raises(ParameterError, match="cannot bind"):
        bind_values(hidden, term)
    returned = "SELECT ?n WHERE { { SELECT ?t (COUNT(?o) AS ?n) WHERE { ?t ?p ?o } GROUP BY ?t } }"
    assert "VALUES (?t)" in bind_values(returned, term)
    with pytest.raises(ParameterError, match="does not use it"):
        bind_values("SELECT ?x WHERE { ?x ?p ?o }", term)


def test_the_short_construct_form_asks_for_the_long_one() -> None:
    with pytest.raises(ParameterError, match=r"CONSTRUCT \{ \.\.\. \} WHERE"):
        bind_values("CONSTRUCT WHERE { ?t ?p ?o }", {"t": URIRef("https://e.org/t")})


def test_a_bound_sub_select_counts_only_the_bound_value() -> None:
    kg = load_graph()
    query = "SELECT ?n WHERE { { SELECT ?t (COUNT(*) AS ?n) WHERE { ?t a cpk:Theme } GROUP BY ?t } }"
    result = kg.query(query, {"t": URIRef("https://w3id.org/coprodkg/id/theme-4")})
    assert [int(str(n)) for n in result.column("n")] == [1]
