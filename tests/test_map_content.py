"""The evidence map's content for the seed and E1-E5: the facts the competency questions rest on.

Each test asks the bundled graph with SPARQL and checks exact items against studies.md and
sources.md. They look only at the seed (S1-S7) and E1-E5, so they do not depend on E6-E10.
"""

from __future__ import annotations

import pytest
from rdflib import URIRef

from coprodkg import KnowledgeGraph

CPKID = "https://w3id.org/coprodkg/id/"
MINE = ("S1", "E1", "E2", "E3", "E4", "E5")


def rows(kg: KnowledgeGraph, sparql: str, **iris: str) -> list[tuple[str | None, ...]]:
    result = kg.query(sparql, {k: URIRef(CPKID + v) for k, v in iris.items()})
    return [tuple(None if t is None else str(t) for t in row) for row in result.rows]


def test_every_seed_source_counts_under_the_seed(bundled: KnowledgeGraph) -> None:
    found = rows(bundled, "SELECT ?code WHERE { ?s cpk:mapStudy ?seed ; skos:notation ?code }", seed="S1")
    assert {c for (c,) in found} == {"S1", "S2", "S3", "S4", "S5", "S6", "S7"}


@pytest.mark.parametrize(
    ("code", "extent", "stops", "caveat"),
    [
        ("S1", "full", False, False),
        ("E1", "partial", True, False),
        ("E2", "full", False, True),
        ("E3", "full", False, False),
        ("E4", "full", True, False),
        ("E5", "partial", True, True),
    ],
)
def test_readability_as_the_briefs_give_it(
    bundled: KnowledgeGraph, code: str, extent: str, stops: bool, caveat: bool
) -> None:
    found = rows(
        bundled,
        """SELECT ?extent (COUNT(DISTINCT ?stop) AS ?stops) (COUNT(DISTINCT ?caveat) AS ?caveats)
                  (COUNT(DISTINCT ?at) AS ?ats) WHERE {
             ?study cpk:readability ?r . ?r cpk:readingExtent/skos:notation ?extent ; cpk:readAt ?at .
             OPTIONAL { ?r cpk:textStops ?stop } OPTIONAL { ?r cpk:readingCaveat ?caveat } }
           GROUP BY ?extent""",
        study=code,
    )
    assert len(found) == 1
    got_extent, got_stops, got_caveats, got_ats = found[0]
    assert got_extent == extent
    assert (got_stops == "1", got_caveats == "1") == (stops, caveat)
    assert int(got_ats or 0) >= 1


def test_e4_is_flagged_as_not_independent_of_the_seed(bundled: KnowledgeGraph) -> None:
    found = rows(
        bundled,
        """SELECT ?status ?rationale (GROUP_CONCAT(?code; separator=",") AS ?codes) WHERE {
             ?e4 cpk:notIndependentOf ?s1 .
             ?c a cpk:Claim ; rdf:subject ?e4 ; rdf:predicate cpk:notIndependentOf ; rdf:object ?s1 ;
                cpk:status/skos:notation ?status ; cpk:rationale ?rationale ; prov:wasDerivedFrom/skos:notation ?code }
           GROUP BY ?status ?rationale""",
        e4="E4",
        s1="S1",
    )
    assert len(found) == 1
    status, rationale, codes = found[0]
    assert status == "interpretation"
    assert rationale is not None
    for name in ("Cheetham", "van der Graaf", "Fuse"):
        assert name in rationale
    assert {"E4", "S4", "S5"} <= set((codes or "").split(","))


@pytest.mark.parametrize(
    ("row", "studies"),
    [
        ("map-political-context", {"S1", "E1", "E2", "E3", "E4", "E5"}),
        ("map-resource-shortfalls", {"S1", "E2"}),
        ("map-council-academic-relationships", {"S1"}),
        ("map-embedded-researchers", {"S1", "E4", "E5"}),
        ("map-skills-and-capacity-building", {"S1", "E5"}),
    ],
)
def test_the_competency_m2_rows_hold_exactly_these_of_the_seed_and_e1_to_e5(
    bundled: KnowledgeGraph, row: str, studies: set[str]
) -> None:
    found = rows(
        bundled,
        """SELECT DISTINCT ?code WHERE {
             ?a a cpk:Alignment ; rdf:subject ?c ; rdf:object ?row .
             ?c prov:wasDerivedFrom/cpk:mapStudy/skos:notation ?code }""",
        row=row,
    )
    assert {c for (c,) in found} & set(MINE) == studies


def test_m3_political_and_cultural_strengths(bundled: KnowledgeGraph) -> None:
    found = rows(
        bundled,
        """SELECT DISTINCT ?code ?strength WHERE {
             ?a a cpk:Alignment ; rdf:subject ?c ; rdf:object ?row ; cpk:matchStrength/skos:notation ?strength .
             ?c prov:wasDerivedFrom ?study . ?study cpk:mapStudy ?study ; skos:notation ?code .
             FILTER(?code != "S1") }""",
        row="map-political-context",
    )
    assert {(c, s) for c, s in found if c in MINE} == {
        ("E1", "close"),
        ("E2", "close"),
        ("E3", "close"),
        ("E4", "close"),
        ("E5", "same"),
    }


def test_every_alignment_states_its_triple_and_a_strength_that_fits_the_predicate(
    bundled: KnowledgeGraph,
) -> None:
    fits = {
        "exactMatch": {"same"},
        "closeMatch": {"close"},
        "broadMatch": {"close"},
        "narrowMatch": {"close"},
        "relatedMatch": {"loose"},
    }
    found = rows(
        bundled,
        """SELECT ?a ?p ?strength ?asserted WHERE {
             ?a a cpk:Alignment ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                cpk:matchStrength/skos:notation ?strength .
             BIND(EXISTS { ?s ?p ?o } AS ?asserted) }""",
    )
    assert len(found) > 50
    for alignment, predicate, strength, asserted in found:
        assert asserted == "true", alignment
        assert strength in fits[(predicate or "").rsplit("#", 1)[1]], alignment


def test_relationship_building_in_e5_is_not_aligned(bundled: KnowledgeGraph) -> None:
    found = rows(
        bundled,
        """SELECT ?c WHERE { ?a a cpk:Alignment ; rdf:subject ?c . ?c prov:wasDerivedFrom ?e5 ;
                                skos:prefLabel ?l . FILTER(CONTAINS(LCASE(STR(?l)), "relationship")) }""",
        e5="E5",
    )
    assert found == []


def test_study_facts_carry_the_sections_of_the_location_tags(bundled: KnowledgeGraph) -> None:
    found = rows(
        bundled,
        """SELECT DISTINCT ?section WHERE {
             ?c a cpk:Claim ; cpk:status cpk:StatedInStudy ; cpk:section ?section ; prov:wasDerivedFrom ?s .
             VALUES ?s { cpkid:E1 cpkid:E2 cpkid:E3 cpkid:E4 cpkid:E5 } }""",
    )
    assert {s for (s,) in found} == {
        "Metadata",
        "Abstract: background",
        "Abstract: methods",
        "Abstract: results",
        "Abstract: conclusions",
        "Introduction",
    }


def test_kneale_is_one_person_across_studies(bundled: KnowledgeGraph) -> None:
    found = rows(
        bundled,
        """SELECT ?code ?position WHERE { ?study cpk:authorship ?a ; skos:notation ?code .
                                          ?a cpk:author ?kneale ; cpk:authorPosition ?position }""",
        kneale="person-kneale-d",
    )
    assert {(c, p) for c, p in found if c in MINE} == {("E1", "1"), ("E2", "1")}
