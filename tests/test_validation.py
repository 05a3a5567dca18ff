"""validate: parse errors, SHACL findings named by label and file, the hand-editing checks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef

from coprodkg.reports import render_report
from coprodkg.validation import validate_sources

from .conftest import Outcome

DATA = Path(__file__).parent / "data"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_the_bundled_graph_is_clean() -> None:
    report = validate_sources()
    assert report.conforms, [f.message for f in report.findings]
    assert len(report.files) >= 10


def test_hand_editing_checks_find_each_problem() -> None:
    report = validate_sources([DATA / "incomplete"])
    checks = {(f.check, f.focus) for f in report.findings}
    missing_definition = [
        f for f in report.findings if f.focus == "cpkid:test-theme-a" and f.path == "skos:definition"
    ]
    assert len(missing_definition) == 1, "the missing definition is reported once (by the shapes), not twice"
    assert ("undefined", "cpkid:test-undefined-barrier") in checks
    assert any(c == "duplicate-label" for c, _ in checks)
    shacl = [f for f in report.findings if f.check == "shacl"]
    assert shacl, "the SHACL shapes run too"
    for finding in report.findings:
        assert finding.file == "tests/data/incomplete/study.ttl" or finding.file.endswith(
            "incomplete/study.ttl"
        )
    assert all(f.label for f in shacl), "findings name the resource by its label"


def test_parse_errors_are_findings_with_positions() -> None:
    report = validate_sources([DATA / "bad" / "truncated.ttl"], bundled=False)
    parse = [f for f in report.findings if f.check == "parse"]
    assert len(parse) == 1
    assert parse[0].line == 3 and parse[0].file.endswith("truncated.ttl")


def test_blank_node_findings_name_what_they_are_about(tmp_path: Path) -> None:
    path = tmp_path / "claim.ttl"
    path.write_text(
        "@prefix cpk: <https://w3id.org/coprodkg/ns#> .\n"
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://example.org/t> skos:prefLabel "Theme T" .\n'
        '[] a cpk:Claim ; rdf:subject <https://example.org/t> ; rdf:predicate skos:prefLabel ; rdf:object "Theme T" .\n',
        encoding="utf-8",
    )
    report = validate_sources([path])
    claim = [f for f in report.findings if f.check == "shacl" and "blank node" in f.label]
    assert claim, [f.as_dict() for f in report.findings]
    assert "Theme T" in claim[0].label
    assert "_:" not in json.dumps([f.as_dict() for f in report.findings])


# ---- the researcher's study: each mistake of issue 11, one per case ------------------------------

MY_STUDY = Path(__file__).parent / "data" / "researcher" / "my-study.ttl"

#: name -> (text in my-study.ttl, the mistake, check, the start of the message, what to type)
MISTAKES = {
    "prefix ns/ for ns#": (
        "<https://w3id.org/coprodkg/ns#>",
        "<https://w3id.org/coprodkg/ns/>",
        "prefix",
        "the prefix cpk: is <https://w3id.org/coprodkg/ns/>, one character away",
        "@prefix cpk: <https://w3id.org/coprodkg/ns#> .",
    ),
    "prefix http for https": (
        "<https://w3id.org/coprodkg/id/>",
        "<http://w3id.org/coprodkg/id/>",
        "prefix",
        "the prefix cpkid: is <http://w3id.org/coprodkg/id/>",
        "@prefix cpkid: <https://w3id.org/coprodkg/id/> .",
    ),
    "link without its claim": (
        "rdf:predicate cpk:addresses ; rdf:object ex:no-time ;",
        "rdf:predicate cpk:addresses ; rdf:object ex:cafes ;",
        "missing-claim",
        "the link cpk:addresses ex:no-time has no cpk:Claim",
        "rdf:subject ex:theme-1 ; rdf:predicate cpk:addresses ; rdf:object ex:no-time ;",
    ),
    "duplicate source code": (
        'skos:notation "EX1"',
        'skos:notation "S1"',
        "duplicate-code",
        "the source code 'S1' is also the code of cpkid:S1",
        "",
    ),
    "misspelt class": (
        "ex:no-time a cpk:Barrier",
        "ex:no-time a cpk:Barier",
        "undefined",
        "unknown class cpk:Barier: it is defined nowhere; did you mean cpk:Barrier?",
        "cpk:Barrier",
    ),
    "misspelt resource": (
        "cpk:involves cpkid:local-authority-staff ;",
        "cpk:involves cpkid:local-authority-staf ;",
        "undefined",
        "unknown term cpkid:local-authority-staf: it is defined nowhere; did you mean cpkid:local-authority-staff?",
        "cpkid:local-authority-staff",
    ),
    "misspelt property": (
        'skos:definition "Staff workloads',
        'skos:defintion "Staff workloads',
        "undefined",
        "unknown property skos:defintion: it is defined nowhere; did you mean skos:definition?",
        "skos:definition",
    ),
    "theme number as a number": (
        'skos:notation "1"',
        "skos:notation 1",
        "theme-number",
        "the theme number 1 is not a plain string",
        'skos:notation "1"',
    ),
    "count in quotes": (
        "cpk:participantCount 40 ;",
        'cpk:participantCount "40" ;',
        "shacl",
        "cpk:participantCount must be a whole number",
        "",
    ),
}


#: where the finding belongs when it is not the changed text: the link that lost its claim
AT = {"link without its claim": "cpk:addresses ex:no-time ;"}


@pytest.mark.parametrize("case", list(MISTAKES))
def test_each_mistake_is_flagged_once_at_its_line_with_the_fix(
    case: str, tmp_path: Path, cli: Callable[..., Outcome]
) -> None:
    original, mistake, check, message, fix = MISTAKES[case]
    text = MY_STUDY.read_text(encoding="utf-8")
    assert text.count(original) >= 1
    wrong = text.replace(original, mistake, 1)
    at = AT.get(case, mistake)
    line = wrong[: wrong.index(at)].count("\n") + 1
    path = tmp_path / "my-study.ttl"
    path.write_text(wrong, encoding="utf-8")
    report = validate_sources([path])
    assert len(report.findings) == 1, [f.as_dict() for f in report.findings]
    finding = report.findings[0]
    assert (finding.check, finding.file, finding.line) == (check, str(path), line)
    assert finding.message.startswith(message), finding.message
    assert fix in finding.suggestion
    text = render_report(report)
    assert text.splitlines()[0].startswith(f"{path}:{line}: [{check}] ")
    assert "<<" not in text
    assert text.rstrip().endswith(f"1 finding in {len(report.files)} files")
    if case == "misspelt class":  # the command line gives the same, as text and as JSON
        outcome = cli("validate", path, "--format", "json")
        assert outcome.code == 1
        data = json.loads(outcome.stdout)
        assert data["findings"] == [finding.as_dict()]
        assert data["summary"] == report.summary()
        assert cli("validate", path).stdout == text


def test_the_example_study_is_clean_and_files_are_arguments(cli: Callable[..., Outcome]) -> None:
    example = Path(__file__).resolve().parents[1] / "docs" / "examples" / "my-study.ttl"
    assert cli("validate", example).code == 0
    outcome = cli("validate", MY_STUDY)
    assert outcome.code == 0, outcome.stdout
    assert outcome.stdout.startswith("ok: ") and outcome.stdout.strip().endswith("files conform")


def test_the_claim_snippet_makes_the_file_clean(tmp_path: Path) -> None:
    original, mistake, *_ = MISTAKES["link without its claim"]
    path = tmp_path / "my-study.ttl"
    path.write_text(MY_STUDY.read_text(encoding="utf-8").replace(original, mistake, 1), encoding="utf-8")
    (finding,) = validate_sources([path]).findings
    assert finding.suggestion.startswith("@prefix rdfs: ")  # the file does not declare it
    path.write_text(path.read_text(encoding="utf-8") + "\n" + finding.suggestion + "\n", encoding="utf-8")
    report = validate_sources([path])
    assert report.conforms, [f.as_dict() for f in report.findings]


def test_shacl_findings_on_blank_nodes_have_lines(tmp_path: Path) -> None:
    path = tmp_path / "anchor.ttl"
    text = MY_STUDY.read_text(encoding="utf-8").replace(
        'oa:exact "protected time"', 'oa:exact "' + "x" * 80 + '"'
    )
    path.write_text(text, encoding="utf-8")
    (finding,) = validate_sources([path]).findings
    assert finding.check == "shacl" and finding.line == text[: text.index("x" * 80)].count("\n") + 1


def _shacl_results(report: Graph) -> set[tuple[str, ...]]:
    sh = "http://www.w3.org/ns/shacl#"
    results = report.subjects(URIRef(RDF_TYPE), URIRef(sh + "ValidationResult"))
    fields = (
        "focusNode",
        "resultPath",
        "resultMessage",
        "value",
        "resultSeverity",
        "sourceConstraintComponent",
    )
    return {
        tuple("_:b" if isinstance(v := report.value(r, URIRef(sh + f)), BNode) else str(v) for f in fields)
        for r in results
    }


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "shapes").glob("*.ttl")))
def test_the_fast_engine_gives_pyshacls_results(name: str) -> None:
    """`validate` runs pyshacl-turbo on the store: the same results as pySHACL on every broken example."""
    import pyshacl
    import pyshacl_turbo

    from coprodkg.engine import load_graph
    from coprodkg.resources import shapes_path
    from coprodkg.validation import union_graph

    kg = load_graph([DATA / "shapes" / name])
    shapes = Graph().parse(shapes_path())
    _, slow, _ = pyshacl.validate(union_graph(kg), shacl_graph=shapes, inference="none", advanced=False)
    _, fast, _ = pyshacl_turbo.validate(kg.store, shacl_graph=shapes, inference="none", advanced=False)
    assert _shacl_results(slow), "the example breaks a shape"
    assert _shacl_results(fast) == _shacl_results(slow)


def test_names_and_files_are_what_the_label_and_type_queries_give(tmp_path: Path) -> None:
    """The labels and defining files that validate reads straight from the store are the SPARQL's
    answers (SAMPLE of the first label property; the first file by name that types it), here with
    several labels per resource, of several properties and languages, over several files."""
    from coprodkg.checks import Context
    from coprodkg.engine import load_graph
    from coprodkg.lookup import display_graph, label_pattern

    head = (
        "@prefix ex: <https://example.org/> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
    )
    (tmp_path / "b.ttl").write_text(
        head + 'ex:a a ex:T ; skos:prefLabel "zeta"@en, "alpha"@fr, "a label long enough to be hashed"@de ;'
        ' rdfs:label "not this" .\nex:b rdfs:label "b", "b two" ; foaf:name "not this either" .\n'
        'ex:c foaf:name "c" .\nex:d ex:p "no label" .\n',
        encoding="utf-8",
    )
    (tmp_path / "a.ttl").write_text(
        head + 'ex:a a ex:T ; skos:prefLabel "middle"@en .\nex:b a ex:T .\nex:c a ex:U ; rdfs:label 7 .\n',
        encoding="utf-8",
    )
    kg = load_graph([tmp_path])
    context = Context(kg)
    rows = kg.query(
        "SELECT ?x (SAMPLE(?l) AS ?label) WHERE { ?x ?p ?o . FILTER(isIRI(?x)) "
        + label_pattern("x", "l")
        + " } GROUP BY ?x"
    ).rows
    assert context.labels == {str(x): str(label) for x, label in rows if label is not None}
    assert {"https://example.org/a", "https://example.org/b", "https://example.org/c"} <= set(context.labels)
    files: dict[str, str] = {}
    for x, g in kg.query("SELECT ?x ?g WHERE { GRAPH ?g { ?x a ?t } } ORDER BY ?g").rows:
        files.setdefault(str(x), display_graph(str(g)))
    assert context.files == files and context.files["https://example.org/a"].endswith("a.ttl")
