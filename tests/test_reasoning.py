"""--reason: the documented entailments become visible, in memory only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coprodkg.engine import fill_store, load_graph
from coprodkg.reasoning import INFERRED, materialise_owlrl

from .conftest import DATA, Outcome, assert_user_error

ROOT = Path(__file__).resolve().parents[1]


def count(kg: object, where: str) -> int:
    rows = kg.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}").rows  # type: ignore[attr-defined]
    return int(rows[0][0].toPython())


def test_rdfs_makes_every_domain_concept_a_skos_concept() -> None:
    plain = load_graph()
    domain = count(plain, "?x a ?t . ?t rdfs:subClassOf+ skos:Concept")
    assert domain > 50
    assert count(plain, "?x a skos:Concept") < domain
    reasoned = load_graph(reason="rdfs")
    assert count(reasoned, "?x a skos:Concept") == count(
        reasoned, "?x a ?t . ?t rdfs:subClassOf* skos:Concept"
    )
    assert count(reasoned, "?x a skos:Concept") >= domain
    sources = count(plain, "?x a ?t . ?t rdfs:subClassOf* cpk:Source")
    assert count(reasoned, "?x a cpk:Source") == sources > 5
    team = "?x cpk:principalInvestigator|cpk:coInvestigator|cpk:researchAssociate|cpk:teamMember ?y"
    assert (
        count(plain, "?x cpk:teamMember ?y") < count(reasoned, "?x cpk:teamMember ?y") == count(plain, team)
    )
    assert count(reasoned, f"GRAPH <{INFERRED}> {{ ?x ?p ?o }}") > 0, "inferences sit in their own graph"


def test_owl_rl_adds_symmetric_links() -> None:
    kg = load_graph([ROOT / "ontology" / "schema.ttl", DATA / "mini"], bundled=False)
    kg.query(
        "INSERT DATA { GRAPH <urn:t> { <urn:a> <https://w3id.org/coprodkg/ns#sameStrandAs> <urn:b> } }",
        allow_update=True,
    )
    assert materialise_owlrl(kg) > 0
    assert kg.query("ASK { <urn:b> cpk:sameStrandAs <urn:a> }").boolean


def test_cli_reason_and_files_untouched(cli: Callable[..., Outcome], tmp_path: Path) -> None:
    study = ROOT / "docs" / "examples" / "my-study.ttl"
    before = study.read_bytes()
    query = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a skos:Concept }"
    plain = cli("query", "-s", study, "-e", query, "-f", "csv")
    reasoned = cli("query", "-s", study, "--reason", "rdfs", "-e", query, "-f", "csv")
    root_option = cli("--reason", "rdfs", "query", "-s", study, "-e", query, "-f", "csv")
    assert int(reasoned.stdout.split()[1]) > int(plain.stdout.split()[1])
    assert root_option.stdout == reasoned.stdout
    assert study.read_bytes() == before


def test_a_store_is_not_written(tmp_path: Path) -> None:
    store = tmp_path / "store"
    fill_store(store).close()
    reasoned = load_graph(store=store, reason="rdfs")
    assert count(reasoned, "?x a skos:Concept") > 0
    del reasoned
    assert load_graph(store=store).query(f"ASK {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}").boolean is False


def test_reason_with_an_endpoint_is_an_error(cli: Callable[..., Outcome]) -> None:
    outcome = cli("query", "--reason", "rdfs", "--endpoint", "http://127.0.0.1:9/sparql", "-e", "ASK {}")
    assert_user_error(outcome, "--reason")
