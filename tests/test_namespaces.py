"""Terms as users type them, CURIEs as tables print them, PREFIX lines added where missing."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from coprodkg.errors import TermError
from coprodkg.namespaces import CPK, CPKID, format_term, parse_term, shorten


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cpk:Theme", URIRef(CPK + "Theme")),
        ("cpkid:theme-4", URIRef(CPKID + "theme-4")),
        ("<https://example.org/a>", URIRef("https://example.org/a")),
        ("54", Literal(54)),
        ("2.5", Literal("2.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))),
        ("true", Literal(True)),
        ('"policy"@en', Literal("policy", lang="en")),
        ('"7"^^xsd:integer', Literal(7)),
        ("plain words", Literal("plain words")),
        ("https://example.org/bare", URIRef("https://example.org/bare")),
    ],
)
def test_parse_term(text: str, expected: object) -> None:
    assert parse_term(text) == expected


@pytest.mark.parametrize("text", ["<has space>", '"unterminated', '"x"@', '"x"^^notaprefix', "ex:theme-1"])
def test_parse_term_rejects_malformed(text: str) -> None:
    with pytest.raises(TermError):
        parse_term(text)


def test_shorten_prefers_the_longest_namespace_and_falls_back_to_angle_brackets() -> None:
    assert shorten(CPKID + "theme-1") == "cpkid:theme-1"
    assert shorten("https://example.org/x") == "<https://example.org/x>"
    assert shorten(CPKID + "has/slash") == "<" + CPKID + "has/slash>"


def test_format_term_reads_literals_bare() -> None:
    assert format_term(Literal("x", lang="en")) == "x"
    assert format_term(URIRef(CPK + "Barrier")) == "cpk:Barrier"
