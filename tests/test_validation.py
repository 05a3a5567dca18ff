"""validate: parse errors, SHACL findings named by label and file, the hand-editing checks."""

from __future__ import annotations

import json
from pathlib import Path

from coprodkg.validation import validate_sources

DATA = Path(__file__).parent / "data"


def test_the_bundled_graph_is_clean() -> None:
    report = validate_sources()
    assert report.conforms, [f.message for f in report.findings]
    assert len(report.files) >= 10


def test_hand_editing_checks_find_each_problem() -> None:
    report = validate_sources([DATA / "incomplete"])
    checks = {(f.check, f.focus) for f in report.findings}
    assert ("label-definition", "cpkid:test-theme-a") in checks
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
