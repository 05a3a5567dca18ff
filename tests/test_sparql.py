"""Query text: forms, nesting and SERVICE, never fooled by strings, IRIs, comments or prefixed names."""

from __future__ import annotations

import pytest

from coprodkg.catalogue import list_queries
from coprodkg.errors import QuerySyntaxError
from coprodkg.sparql import nesting_depth, query_form, uses_service, with_prefixes


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * WHERE { ?s cpk:addresses ?o }", "SELECT"),
        ("PREFIX insert: <urn:x#> ASK { ?s insert:p ?o }", "ASK"),
        ("# DELETE everything\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <urn:select>", "DESCRIBE"),
        ("PREFIX ex: <urn:ex#>\nINSERT DATA { ex:a ex:b 'SELECT' }", "UPDATE"),
        ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
    ],
)
def test_query_form(text: str, form: str) -> None:
    assert query_form(text) == form


def test_every_named_query_is_a_query() -> None:
    assert {query_form(q.text) for q in list_queries()} <= {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def test_not_a_query() -> None:
    with pytest.raises(QuerySyntaxError, match="not a SPARQL query"):
        query_form("PREFIX a: <urn:a#>")


def test_nesting_skips_strings_and_counts_every_bracket() -> None:
    assert nesting_depth("SELECT * WHERE { ?s ?p '{{{{((((' }") == 1
    assert nesting_depth("SELECT * WHERE " + "{" * 5000 + "}" * 5000) == 5000
    assert nesting_depth("SELECT * WHERE { ?s ?p [ ?q ( 1 2 ) ] }") == 3


@pytest.mark.parametrize(
    ("text", "calls"),
    [
        ("SELECT * WHERE { service <http://x/sparql> { ?s ?p ?o } }", True),
        ("SELECT * WHERE { SERVICE SILENT ?endpoint { ?s ?p ?o } }", True),
        ("SELECT * WHERE { ?s ex:SERVICE <urn:SERVICE> } # SERVICE", False),
        ('SELECT * WHERE { ?s ?p "SERVICE <x:y> {}" }', False),
    ],
)
def test_uses_service(text: str, calls: bool) -> None:
    assert uses_service(text) is calls


def test_with_prefixes_adds_only_what_is_used_and_undeclared() -> None:
    text = with_prefixes(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT * { ?x a cpk:Theme ; skos:prefLabel ?l }"
    )
    assert text.count("PREFIX skos:") == 1
    assert text.startswith("PREFIX cpk: <")
    # prefixes inside IRIs, strings and comments are not usages
    untouched = 'SELECT * { ?x <http://e.org/owl:x> "rdfs:label" } # oa:exact'
    assert with_prefixes(untouched) == untouched
    assert "PREFIX oa:" in with_prefixes("SELECT * { ?c cpk:anchor/oa:exact ?e }")
    long_string = 'SELECT * { ?x ?p """a skos:note\nover lines""" }'
    assert with_prefixes(long_string) == long_string
