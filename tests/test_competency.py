"""The competency questions of the content brief, each answered by a query with its source.

Every test runs a named query from ``queries/`` (with parameters) or an ad hoc SPARQL query written
against the documented model, and checks exactly the expected items (compared by label) and the
S-number (``skos:notation``) of the source they rest on.
"""

from __future__ import annotations

from collections import defaultdict, deque

import pytest
from rdflib import URIRef
from rdflib.term import Node

from coprodkg import KnowledgeGraph, find_query, list_queries

CPKID = "https://w3id.org/coprodkg/id/"
Row = dict[str, str | None]


def _text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def run(kg: KnowledgeGraph, name: str, **params: str) -> list[Row]:
    """Run a named query; parameters are given as the user types them (CURIEs, quoted literals)."""
    query = find_query(name)
    result = kg.query(query.text, query.bindings(params))
    return [dict(zip(result.vars, map(_text, row), strict=True)) for row in result.rows]


def ask(kg: KnowledgeGraph, sparql: str, **bindings: str) -> list[Row]:
    """Run an ad hoc query, binding CURIE-free IRIs given as local names in the cpkid: namespace."""
    terms: dict[str, Node] = {k: URIRef(CPKID + v) for k, v in bindings.items()}
    result = kg.query(sparql, terms)
    return [dict(zip(result.vars, map(_text, row), strict=True)) for row in result.rows]


def codes(rows: list[Row], column: str = "sources") -> set[str]:
    """The source codes of a column of comma-separated codes."""
    return {c.strip() for r in rows for c in (r[column] or "").split(",") if c.strip()}


def claim_sources(kg: KnowledgeGraph, subject: str, predicate: str) -> set[str]:
    """The source codes of every claim with this subject and predicate."""
    rows = ask(
        kg,
        f"""SELECT ?code WHERE {{
              ?claim a cpk:Claim ; rdf:subject ?s ; rdf:predicate {predicate} ; prov:wasDerivedFrom ?src .
              ?src skos:notation ?code }} ORDER BY ?code""",
        s=subject,
    )
    return {r["code"] for r in rows if r["code"]}


# --- 1-5: the article's metadata -----------------------------------------------------------------


def test_q01_journal_volume_issue_article_number_year(bundled: KnowledgeGraph) -> None:
    (row,) = run(bundled, "article", article="cpkid:S1")
    assert (row["journal"], row["volume"], row["issue"], row["articleNumber"], row["year"]) == (
        "Health Research Policy and Systems",
        "19",
        "1",
        "12",
        "2021",
    )
    assert row["code"] == "S1"
    for predicate in (
        "dct:isPartOf",
        "bibo:volume",
        "bibo:issue",
        "cpk:articleNumber",
        "fabio:hasPublicationYear",
    ):
        assert claim_sources(bundled, "S1", predicate) == {"S1"}


def test_q02_authors_in_order(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "authors", publication="cpkid:S1")
    assert [r["position"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert [r["name"] for r in rows] == [
        "Peter van der Graaf",
        "Mandy Cheetham",
        "Sam Redgate",
        "Clare Humble",
        "Ashley Adamson",
    ]
    for position in range(1, 6):
        assert claim_sources(bundled, f"S1-authorship-{position}", "cpk:authorPosition") == {"S1"}


def test_q02_author_list_as_rdf_list_agrees(bundled: KnowledgeGraph) -> None:
    rows = ask(
        bundled,
        """SELECT ?name (COUNT(?mid) AS ?index) WHERE {
             ?article bibo:authorList ?list . ?list rdf:rest* ?mid . ?mid rdf:rest* ?node .
             ?node rdf:first ?person . ?person foaf:name ?name }
           GROUP BY ?name ORDER BY ?index""",
        article="S1",
    )
    assert [r["name"] for r in rows] == [
        "Peter van der Graaf",
        "Mandy Cheetham",
        "Sam Redgate",
        "Clare Humble",
        "Ashley Adamson",
    ]


def test_q02_council_affiliation_doubt_is_visible(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "doubts")
    assert len(rows) == 1
    assert "Clare Humble" in (rows[0]["statement"] or "")
    assert "Newcastle City Council" in (rows[0]["statement"] or "")
    assert rows[0]["alternativeLabel"] == "Ashley Adamson, author 5 of the main article"
    assert codes(rows) == {"S1"}


def test_q03_keywords(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "keywords", publication="cpkid:S1")
    assert {r["keyword"] for r in rows} == {
        "co-production",
        "knowledge brokering",
        "translational research",
        "public health",
        "embedded research",
    }
    assert {r["code"] for r in rows} == {"S1"}


def test_q04_licence_and_open_access(bundled: KnowledgeGraph) -> None:
    (row,) = run(bundled, "article", article="cpkid:S1")
    assert row["licence"] == "CC BY 4.0"
    assert row["openAccess"] == "true"
    assert claim_sources(bundled, "S1", "dct:license") == {"S1"}
    assert claim_sources(bundled, "S1", "cpk:openAccess") == {"S1"}


def test_q05_funder(bundled: KnowledgeGraph) -> None:
    rows = ask(
        bundled,
        """SELECT ?funder (GROUP_CONCAT(DISTINCT ?code; separator=", ") AS ?sources) WHERE {
             ?claim a cpk:Claim ; rdf:predicate cpk:fundedBy ; rdf:object ?org ; prov:wasDerivedFrom ?src .
             ?org skos:prefLabel ?funder . ?src skos:notation ?code
             FILTER NOT EXISTS { ?claim prov:wasDerivedFrom/cpk:mapStudy ?other . FILTER(?other != cpkid:S1) } }
           GROUP BY ?funder ORDER BY ?funder""",
    )
    assert {r["funder"] for r in rows} == {"The Health Foundation"}
    assert {"S1", "S4"} <= codes(rows)


# --- 6-11: the project and the data as the article reports them ------------------------------------


def test_q06_what_the_project_set_out_to_explore(bundled: KnowledgeGraph) -> None:
    rows = [r for r in run(bundled, "project", project="cpkid:lacor") if r["property"] == "research question"]
    assert [r["value"] for r in rows] == [
        "how a culture of evidence use to improve population health could be embedded in UK local government"
    ]
    assert codes(rows) == {"S1"}


def test_q07_aim_of_the_article(bundled: KnowledgeGraph) -> None:
    rows = ask(
        bundled,
        """SELECT ?aim ?code WHERE { ?article cpk:aim ?aim .
             ?claim rdf:subject ?article ; rdf:predicate cpk:aim ; prov:wasDerivedFrom ?src .
             ?src skos:notation ?code } ORDER BY ?aim""",
        article="S1",
    )
    assert [r["aim"] for r in rows] == [
        "to reflect on mechanisms that increase co-production in local government"
    ]
    assert {r["code"] for r in rows} == {"S1"}


def test_q08_work_packages_and_design(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "project", project="cpkid:lacor")
    facts = {r["property"]: r for r in rows}
    assert facts["number of work packages"]["value"] == "5"
    assert facts["research design"]["value"] == "mixed methods"
    assert "S1" in codes([facts["number of work packages"], facts["research design"]])
    assert facts["number of work packages"]["status"] == "article"


def test_q09_workshops_and_participants_in_the_article(bundled: KnowledgeGraph) -> None:
    rows = [r for r in run(bundled, "disagreements") if r["code"] == "S1"]
    assert {(r["measure"], r["value"]) for r in rows} == {
        ("number of workshops", "4"),
        ("number of participants", "54"),
    }
    assert {r["status"] for r in rows} == {"article"}


def test_q09_all_three_workshop_accounts_are_kept(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "disagreements")
    assert {(r["code"], r["measure"], r["value"]) for r in rows} == {
        ("S1", "number of workshops", "4"),
        ("S1", "number of participants", "54"),
        ("S2", "number of sites", "3"),
        ("S2", "number of participants", "49"),
        ("S5", "number of workshops", "5"),
    }


def test_q10_whose_views(bundled: KnowledgeGraph) -> None:
    rows = [r for r in run(bundled, "actors") if r["relation"] == "reports views of" and r["sources"] == "S1"]
    assert {r["actorLabel"] for r in rows} == {"local authority staff"}


def test_q11_data_sources_behind_the_themes(bundled: KnowledgeGraph) -> None:
    rows = [r for r in run(bundled, "data-source-inputs") if str(r["informed"]).startswith(CPKID + "theme-")]
    assert {r["informed"] for r in rows} == {f"{CPKID}theme-{n}" for n in range(1, 6)}
    assert {r["dataSourceLabel"] for r in rows} == {
        "workshops with local authority staff (as the article reports them)"
    }
    assert {r["inputLabel"] for r in rows} == {
        "rapid literature review",
        "online scoping survey of UK local authority practice",
    }
    assert codes(rows) == {"S1"}
    assert claim_sources(bundled, "workshops-s1", "cpk:informedBy") == {"S1"}


# --- 12-20: the themes and how they link ---------------------------------------------------------


def test_q12_the_five_themes_in_order(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "themes")
    assert [r["number"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert [r["label"] for r in rows] == [
        "new governance arrangements integrating national and local policies",
        "codifying research evidence through local system-wide approaches",
        "ongoing evaluation of programmes",
        "overcoming political and cultural barriers by increasing absorptive capacity",
        "collective spaces for reflection",
    ]
    assert codes(rows) == {"S1"}


def test_q13_barriers_theme_4_addresses(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "theme-barriers", theme="cpkid:theme-4")
    assert {r["barrierLabel"] for r in rows} == {"political barriers", "cultural barriers"}
    assert codes(rows) == {"S1"}
    assert {r["status"] for r in rows} == {"article"}


def test_q14_concept_underpinning_theme_4(bundled: KnowledgeGraph) -> None:
    rows = ask(
        bundled,
        """SELECT ?label ?code WHERE { ?theme cpk:underpinnedBy ?c . ?c skos:prefLabel ?label .
             ?claim rdf:subject ?theme ; rdf:predicate cpk:underpinnedBy ; rdf:object ?c ;
                    prov:wasDerivedFrom ?src . ?src skos:notation ?code } ORDER BY ?label""",
        theme="theme-4",
    )
    assert {r["label"] for r in rows} == {"absorptive capacity"}
    assert {r["code"] for r in rows} == {"S1"}


def test_q15_what_increasing_absorptive_capacity_requires(bundled: KnowledgeGraph) -> None:
    rows = ask(
        bundled,
        """SELECT ?required ?through ?code WHERE {
             ?m cpk:underpinnedBy ?concept ; cpk:requires ?r . ?r skos:prefLabel ?required .
             ?r cpk:achievedThrough ?t . ?t skos:prefLabel ?through .
             ?claim rdf:subject ?r ; rdf:predicate cpk:achievedThrough ; rdf:object ?t ;
                    prov:wasDerivedFrom ?src . ?src skos:notation ?code } ORDER BY ?through""",
        concept="absorptive-capacity",
    )
    assert {r["required"] for r in rows} == {"adaptive governance"}
    assert {r["through"] for r in rows} == {
        "relationship building between academic researchers and local authority staff",
        "shared understanding of fragmented local policy making",
    }
    assert {r["code"] for r in rows} == {"S1"}
    assert claim_sources(bundled, "increasing-absorptive-capacity", "cpk:requires") == {"S1"}


def test_q16_actors_in_the_reflection_spaces(bundled: KnowledgeGraph) -> None:
    rows = ask(
        bundled,
        """SELECT ?actor ?code WHERE {
             ?theme cpk:includes ?space . ?space cpk:enables? ?process .
             ?process cpk:involves ?a . ?a skos:prefLabel ?actor .
             ?claim rdf:subject ?process ; rdf:predicate cpk:involves ; rdf:object ?a ;
                    prov:wasDerivedFrom ?src . ?src skos:notation ?code } ORDER BY ?actor""",
        theme="theme-5",
    )
    assert {r["actor"] for r in rows} == {"local authority staff", "external partners"}
    assert {r["code"] for r in rows} == {"S1"}


def test_q16_academic_researchers_as_external_partners_is_an_interpretation(bundled: KnowledgeGraph) -> None:
    rows = [r for r in run(bundled, "interpretations") if r["objectLabel"] == "external partners"]
    assert {r["subjectLabel"] for r in rows} == {"academic researchers"}


def test_q17_process_the_reflection_spaces_allow(bundled: KnowledgeGraph) -> None:
    rows = ask(
        bundled,
        """SELECT ?process ?partner ?code WHERE {
             ?theme cpk:includes ?space . ?space cpk:enables ?p . ?p skos:prefLabel ?process .
             ?p cpk:involves ?a . ?a skos:prefLabel ?partner .
             ?claim rdf:subject ?space ; rdf:predicate cpk:enables ; rdf:object ?p ;
                    prov:wasDerivedFrom ?src . ?src skos:notation ?code } ORDER BY ?process""",
        theme="theme-5",
    )
    assert {(r["process"], r["partner"]) for r in rows} == {
        ("iterative, interactive co-production with external partners", "external partners")
    }
    assert {r["code"] for r in rows} == {"S1"}


def test_q17_what_the_co_production_supports(bundled: KnowledgeGraph) -> None:
    rows = ask(
        bundled,
        """SELECT ?outcome ?code WHERE { ?p cpk:supports ?o . ?o a cpk:Outcome ; skos:prefLabel ?outcome .
             ?claim rdf:subject ?p ; rdf:predicate cpk:supports ; rdf:object ?o ;
                    prov:wasDerivedFrom ?src . ?src skos:notation ?code } ORDER BY ?outcome""",
        p="iterative-interactive-co-production",
    )
    assert {r["outcome"] for r in rows} == {
        "emergence of new governance structures",
        "acting on co-produced knowledge socially in context",
        "capacity for sustained evidence use",
    }
    assert {r["code"] for r in rows} == {"S1"}


def test_q18_dark_shadows_of_co_production(bundled: KnowledgeGraph) -> None:
    rows = ask(
        bundled,
        """SELECT ?label ?code WHERE { ?b skos:altLabel "dark shadows of co-production"@en ;
             skos:prefLabel ?label .
             ?claim rdf:subject ?b ; rdf:predicate skos:altLabel ; prov:wasDerivedFrom ?src .
             ?src skos:notation ?code } ORDER BY ?label""",
    )
    assert {r["label"] for r in rows} == {"underlying structural issues of power"}
    assert {r["code"] for r in rows} == {"S1"}


def _theme_about(kg: KnowledgeGraph, word: str) -> list[Row]:
    return ask(
        kg,
        """SELECT ?number ?theme ?mechanism ?result ?code WHERE {
             ?t a cpk:Theme ; skos:notation ?number ; skos:prefLabel ?theme ; cpk:includes ?m .
             ?m skos:prefLabel ?mechanism .
             OPTIONAL { ?m cpk:leadsTo ?o . ?o skos:prefLabel ?result }
             ?claim rdf:subject ?t ; rdf:predicate cpk:includes ; rdf:object ?m ;
                    prov:wasDerivedFrom ?src . ?src skos:notation ?code .
             FILTER(CONTAINS(LCASE(CONCAT(?theme, " ", COALESCE(?result, ""))), ?word)) }
           ORDER BY ?number""".replace("?word", f'"{word}"'),
    )


def test_q19_theme_on_national_and_local_policy(bundled: KnowledgeGraph) -> None:
    rows = _theme_about(bundled, "national")
    assert [(r["number"], r["mechanism"], r["result"]) for r in rows] == [
        ("1", "new governance arrangements", "national and local policies integrated")
    ]
    assert {r["code"] for r in rows} == {"S1"}


def test_q20_theme_on_evaluation(bundled: KnowledgeGraph) -> None:
    rows = _theme_about(bundled, "evaluation")
    assert [(r["number"], r["theme"]) for r in rows] == [("3", "ongoing evaluation of programmes")]
    assert [r["mechanism"] for r in rows] == ["ongoing programme evaluation"]
    assert {r["code"] for r in rows} == {"S1"}


# --- 21-28: the wider project, the literature, statuses ---------------------------------------------


def test_q21_name_of_the_project(bundled: KnowledgeGraph) -> None:
    rows = [r for r in run(bundled, "project", project="cpkid:lacor") if r["property"] == "name"]
    assert [r["value"] for r in rows] == ["Local Authority Champions of Research (LACoR)"]
    assert {"S4", "S7"} <= codes(rows)
    assert {r["status"] for r in rows} == {"project"}


def test_q22_when_the_project_was_funded(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "project", project="cpkid:lacor")
    dates = {r["property"]: r for r in rows if r["property"] in ("funding start", "funding end")}
    assert (dates["funding start"]["value"], dates["funding end"]["value"]) == ("2019-03", "2019-09")
    assert "S4" in codes(list(dates.values()))


def test_q23_work_package_1(bundled: KnowledgeGraph) -> None:
    rows = [r for r in run(bundled, "project-parts", project="cpkid:lacor") if r["number"] == "1"]
    assert [(r["kind"], r["label"]) for r in rows] == [
        ("work package", "review of embedded research models in local government")
    ]
    assert codes(rows) == {"S7"}


def test_q24_barriers_on_the_project_page(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "barriers", source="cpkid:S6")
    assert {r["label"] for r in rows} == {
        "organisational churn",
        "rising demands",
        "fragmentation",
        "siloed thinking",
        "data sharing, governance and access issues",
        "capacity, workload and resource pressures",
    }
    assert codes(rows) == {"S6"}
    assert {r["status"] for r in rows} == {"project"}


def test_q25_dimensions_of_absorptive_capacity(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "concept-dimensions", concept="cpkid:absorptive-capacity")
    assert {(r["dimensionLabel"], r["groupLabel"]) for r in rows} == {
        ("acquisition", "potential absorptive capacity"),
        ("assimilation", "potential absorptive capacity"),
        ("transformation", "realised absorptive capacity"),
        ("exploitation", "realised absorptive capacity"),
    }
    assert codes(rows) == {"Zahra & George 2002"}
    assert {r["status"] for r in rows} == {"literature"}


def test_q26_facts_resting_only_on_project_outputs(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "project-only", article="cpkid:S1")
    statements = " | ".join(r["statement"] or "" for r in rows)
    for expected in (
        "Local Authority Champions of Research (LACoR) — name —",
        "Local Authority Champions of Research (LACoR) — funding start — March 2019",
        "Local Authority Champions of Research (LACoR) — partner — University of Southampton",
        "semi-structured interviews with local authority staff — number of participants — 14",
        "organisational churn — hinders —",
    ):
        assert expected in statements
    assert codes(rows) <= {"S2", "S3", "S4", "S5", "S6", "S7"}
    assert "S1" not in codes(rows)


def test_q27_interpretations(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "interpretations")
    assert {(r["subjectLabel"], r["objectLabel"]) for r in rows} == {
        ("process (title term)", "iterative, interactive co-production with external partners"),
        ("codification (title term)", "codifying research evidence through local system-wide approaches"),
        (
            "capacity building (title term)",
            "overcoming political and cultural barriers by increasing absorptive capacity",
        ),
        ("capacity building (title term)", "capacity for sustained evidence use"),
        ("academic researchers", "external partners"),
        ("underlying structural issues of power", "dark side of co-production"),
    }
    by_status = run(bundled, "claims-by-status", status='"interpretation"')
    assert len(by_status) == len(rows)
    assert run(bundled, "claims-by-status", status="cpk:Interpretation") == by_status


def test_q28_principal_investigator(bundled: KnowledgeGraph) -> None:
    rows = [
        r
        for r in run(bundled, "project-team", project="cpkid:lacor")
        if r["role"] == "principal investigator"
    ]
    assert {r["name"] for r in rows} == {"Ashley Adamson"}
    assert codes(rows) == {"S6"}


# --- the graph as a whole ------------------------------------------------------------------------


def test_academic_researchers_reach_sustained_evidence_use(bundled: KnowledgeGraph) -> None:
    """The network links the actor to the outcome through relations that each carry a claim."""
    result = bundled.query(
        """SELECT ?s ?o WHERE { ?c a cpk:Claim ; rdf:subject ?s ; rdf:object ?o ; rdf:predicate ?p .
             ?s ?p ?o . ?s cpk:status ?x . ?o cpk:status ?y }"""
    )
    graph: dict[str, set[str]] = defaultdict(set)
    for s, o in result.rows:
        graph[str(s)].add(str(o))
        graph[str(o)].add(str(s))
    start, goal = CPKID + "academic-researchers", CPKID + "capacity-for-sustained-evidence-use"
    seen, todo = {start}, deque([start])
    while todo:
        node = todo.popleft()
        for nxt in graph[node] - seen:
            seen.add(nxt)
            todo.append(nxt)
    assert goal in seen


def test_every_status_value_is_used(bundled: KnowledgeGraph) -> None:
    for status in ("article", "project", "literature", "interpretation"):
        assert run(bundled, "claims-by-status", status=f'"{status}"'), status


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_named_query_answers_with_its_defaults(bundled: KnowledgeGraph, name: str) -> None:
    assert run(bundled, name), f"{name} returned no rows"


# --- M1-M10: the evidence map (studies.md) -------------------------------------------------------

STUDY_CODES = ["S1", *(f"E{n}" for n in range(1, 11))]


def studies_by_code(kg: KnowledgeGraph) -> dict[str, Row]:
    return {r["code"] or "": r for r in run(kg, "studies")}


def test_m01_studies_with_year_setting_design_and_sample(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "studies")
    assert rows[0]["code"] == "S1" and rows[0]["role"] == "seed" and rows[0]["year"] == "2021"
    assert sorted(r["code"] or "" for r in rows) == sorted(STUDY_CODES)
    years = [r["year"] or "" for r in rows[1:]]
    assert years == sorted(years)
    studies = studies_by_code(bundled)
    e6 = studies["E6"]
    assert (e6["year"], e6["sampleSize"]) == ("2022", "14")
    setting = e6["setting"] or ""  # one urban unitary authority in the south of England
    assert "urban unitary" in setting and "southern England" in setting
    assert "interviews" in (e6["design"] or "")
    e1 = studies["E1"]
    assert e1["year"] == "2017" and "scoping review" in (e1["design"] or "")
    assert "23 papers from 21 studies" in (e1["sample"] or "")
    for code in STUDY_CODES:
        assert studies[code]["setting"] and studies[code]["design"], code


def test_m02_concepts_named_by_at_least_five_studies(bundled: KnowledgeGraph) -> None:
    rows = {r["label"]: r for r in run(bundled, "recurring", minStudies="5")}
    expected = {
        "map-political-context": "S1, E1, E2, E3, E4, E5, E6",
        "map-resource-shortfalls": "S1, E2, E6, E7, E8, E9",
        "map-council-academic-relationships": "S1, E6, E7, E8, E9, E10",
        "map-embedded-researchers": "S1, E4, E5, E6, E9, E10",
        "map-skills-and-capacity-building": "S1, E5, E6, E7, E8, E9",
    }
    found = {(r["concept"] or "").removeprefix(CPKID): r for r in rows.values()}
    for concept, studies in expected.items():
        assert concept in found, concept
        assert set(codes([found[concept]], "studies")) == {s.strip() for s in studies.split(",")}, concept
        assert found[concept]["studyCount"] == str(len(studies.split(",")))
    assert all(int(r["studyCount"] or 0) >= 5 for r in rows.values())


def test_m02_independent_studies_only_leaves_out_e4(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "recurring", minStudies="1", independentOnly="true")
    assert rows and all("E4" not in codes([r], "studies") for r in rows)
    political = next(r for r in rows if r["concept"] == CPKID + "map-political-context")
    assert codes([political], "studies") == {"S1", "E1", "E2", "E3", "E5", "E6"}


def test_m03_alignments_with_the_seeds_political_barriers(bundled: KnowledgeGraph) -> None:
    rows = [r for r in run(bundled, "aligned", concept="cpkid:political-barriers") if r["code"] != "S1"]
    strengths = {r["code"]: r["strength"] for r in rows}
    assert strengths == {
        "E5": "same",
        "E1": "close",
        "E2": "close",
        "E3": "close",
        "E4": "close",
        "E6": "close",
    }
    assert {r["status"] for r in rows} == {"interpretation"}
    assert all(r["rationale"] for r in rows)
    assert all(r["code"] in codes([r]) for r in rows)


def test_m04_embedded_researchers_and_their_role(bundled: KnowledgeGraph) -> None:
    rows = [r for r in run(bundled, "aligned", concept="cpkid:map-embedded-researchers") if r["code"] != "S1"]
    roles: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        roles[r["code"] or ""].add(r["role"] or "")
    assert set(roles) == {"E4", "E5", "E6", "E9", "E10"}
    assert "studied" in roles["E4"] and "studied" in roles["E9"]
    assert "data collector" in roles["E5"]
    assert "recommended" in roles["E6"]
    assert "the authors" in roles["E10"]


def test_m05_the_study_that_is_not_independent(bundled: KnowledgeGraph) -> None:
    (row,) = run(bundled, "independence")
    assert (row["code"], row["otherCode"], row["status"]) == ("E4", "S1", "interpretation")
    rationale = row["rationale"] or ""
    for name in ("Cheetham", "van der Graaf", "Fuse", "LACoR partner"):
        assert name in rationale, name
    assert {"E4", "S1"} <= codes([row])


def test_m06_studies_read_only_in_part(bundled: KnowledgeGraph) -> None:
    rows = {r["code"]: r for r in run(bundled, "readability")}
    assert set(rows) == set(STUDY_CODES)
    assert {c for c, r in rows.items() if r["extent"] == "partial"} == {"E1", "E5", "E7", "E10"}
    assert {c for c, r in rows.items() if r["caveat"]} >= {"E2"}
    assert "conclusions" in (rows["E2"]["caveat"] or "")
    for code in ("E1", "E5"):
        assert "results" in (rows[code]["textStops"] or ""), code
    assert "Tables 2, 3 and 4" in (rows["E7"]["textRead"] or "")
    assert "markers" in (rows["E10"]["textStops"] or "")


def test_m07_what_mcgee_et_al_recommended(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "study-concepts", study="cpkid:E6")
    recommended = sorted(r["label"] or "" for r in rows if r["role"] == "recommended")
    assert recommended == [
        "embedded researchers recommended for the council",
        "open data and evidence repository",
        "strategic research posts within public health",
    ]
    assert {r["code"] for r in rows} == {"E6"}
    claims = run(bundled, "study-claims", study="cpkid:E6")
    assert claims and all("E6" in codes([c]) or "E6-P" in codes([c]) for c in claims)


def test_m08_what_only_one_study_names(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "thin")
    named = {(r["code"], r["label"]) for r in rows}
    assert ("E3", "empiricism (a discourse of decision-making)") in named
    assert ("E3", "holism (a discourse of decision-making)") in named
    assert any(code == "E10" and "markers of change" in (label or "") for code, label in named)
    aligned_elsewhere = {
        r["ownLabel"] for r in run(bundled, "aligned", concept="cpkid:map-political-context")
    }
    assert not aligned_elsewhere & {label for _, label in named}


def test_m09_where_each_study_was_set(bundled: KnowledgeGraph) -> None:
    studies = studies_by_code(bundled)
    assert "Norfolk County Council" in (studies["E7"]["places"] or "")
    assert "Bradford" in (studies["E8"]["places"] or "")
    assert "northern England" in (studies["E5"]["setting"] or "")  # one authority in the north
    assert "north east England" in (studies["E4"]["setting"] or "") and "Fuse" in (
        studies["E4"]["setting"] or ""
    )


def test_m10_a_barrier_and_what_the_same_studies_report(bundled: KnowledgeGraph) -> None:
    rows = run(bundled, "barrier-across", barrier="cpkid:map-resource-shortfalls")
    by_study: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        by_study[r["code"] or ""].add((r["reported"] or "").removeprefix(CPKID))
    assert set(by_study) == {"S1", "E2", "E6", "E7", "E8", "E9"}
    assert {"e7-university-partnerships", "e7-training-models", "e7-knowledge-hub"} <= by_study["E7"]
    assert {"e9-local-appetite-for-evidence", "e9-research-skills"} <= by_study["E9"]
    assert {r["kind"] for r in rows} <= {"facilitator", "mechanism"}
