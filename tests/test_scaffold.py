"""coprodkg new: every kind's snippet is valid Turtle that validate flags until its TODOs are filled."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from coprodkg.errors import OutputError
from coprodkg.scaffold import KINDS, render_new, write_new
from coprodkg.validation import validate_sources

from .conftest import Outcome, assert_user_error

#: what the test writes for each IRI placeholder: bundled resources of the right kind
FILL = {
    "ex:TODO-source": "cpkid:S1",
    "ex:TODO-scheme": "cpkid:themes",
    "ex:TODO-barrier": "cpkid:political-barriers",
    "ex:TODO-outcome": "cpkid:public-health-evidence-used",
    "ex:TODO-subject": "cpkid:theme-4",
    "ex:TODO-object": "cpkid:political-barriers",
}


def fill(kind: str, text: str) -> str:
    """Replace every placeholder as an author would."""
    text = text.replace(f"ex:TODO-{kind}", f"ex:new-{kind}")
    for placeholder, value in FILL.items():
        text = text.replace(placeholder, value)
    text = re.sub(r'"TODO: the year[^"]*"', '"2024"^^xsd:gYear', text)
    text = text.replace('"TODO: its number, such as 1"', '"9"')
    text = re.sub(r'"TODO: a short code[^"]*"', f'"NEW-{kind}"', text)
    text = re.sub(r'"TODO:([^"]*)"', lambda m: f'"{kind}: {m.group(1).strip()} (filled in)"', text)
    if kind == "study":  # on an evidence map of the test's own, so that the map study shape applies
        text += "\nex:test-map a cpk:EvidenceMap ; cpk:includesStudy ex:new-study .\n"
    return text


def test_every_kind_is_flagged_until_filled_then_validates(tmp_path: Path) -> None:
    raw, filled = tmp_path / "raw", tmp_path / "filled"
    raw.mkdir()
    filled.mkdir()
    for kind in KINDS:
        text = render_new(kind)
        assert "TODO" in text
        (raw / f"{kind}.ttl").write_text(text, encoding="utf-8")
        (filled / f"{kind}.ttl").write_text(fill(kind, text), encoding="utf-8")
    report = validate_sources([raw])
    for kind in KINDS:
        placeholders = [
            f for f in report.findings if f.file.endswith(f"{kind}.ttl") and f.check == "placeholder"
        ]
        assert placeholders, kind
        assert all(f.line is not None for f in placeholders)
    done = validate_sources([filled])
    assert done.conforms, [f.as_dict() for f in done.findings]


def test_each_link_has_its_claim() -> None:
    for kind, spec in KINDS.items():
        text = render_new(kind, ident="x")
        if spec.link:
            assert f"rdf:predicate {spec.link}" in text, kind


def test_options_fill_in_what_they_name() -> None:
    text = render_new("barrier", ident="no-time", label="no time to read research", source="cpkid:S1")
    assert 'skos:prefLabel "no time to read research"@en' in text
    assert "prov:wasDerivedFrom cpkid:S1" in text
    assert "ex:TODO-barrier" not in text


def test_unknown_kind_and_taken_prefix_are_errors() -> None:
    with pytest.raises(Exception, match="unknown kind 'thema'"):
        render_new("thema")
    with pytest.raises(Exception, match="known prefix"):
        render_new("theme", prefix="cpk")


def test_never_rewrites_a_file(tmp_path: Path) -> None:
    mine = tmp_path / "mine.ttl"
    mine.write_text("# my own file, no newline at the end", encoding="utf-8")
    before = mine.read_bytes()
    with pytest.raises(OutputError, match="--append"):
        write_new("x", mine)
    assert mine.read_bytes() == before
    write_new("snippet\n", mine, append=True)
    assert mine.read_bytes().startswith(before)
    assert mine.read_text(encoding="utf-8").endswith("\n\nsnippet\n")
    with pytest.raises(OutputError, match="does not exist"):
        write_new("x", tmp_path / "absent.ttl", append=True)


def test_cli_writes_stdout_a_new_file_or_appends(tmp_path: Path, cli: Callable[..., Outcome]) -> None:
    out = cli("new", "theme", "--id", "t1")
    assert out.code == 0 and "ex:t1 a cpk:Theme" in out.stdout
    target = tmp_path / "new.ttl"
    assert cli("new", "outcome", "-o", target).code == 0
    assert_user_error(cli("new", "outcome", "-o", target), "exists", "--append")
    first = target.read_text(encoding="utf-8")
    assert cli("new", "actor", "--id", "a1", "-o", target, "--append").code == 0
    assert target.read_text(encoding="utf-8").startswith(first)
    assert_user_error(cli("new", "thema"), "unknown kind")
    assert_user_error(cli("new"), "KIND")
    table = cli("new", "--table")
    assert table.stdout.startswith("id,kind,label,definition")


def test_dash_means_stdout_and_validate_dash_reads_stdin(
    tmp_path: Path, cli: Callable[..., Outcome], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    outcome = cli("new", "theme", "--id", "t1", "--label", "my theme", "-o", "-")
    assert outcome.code == 0 and "@prefix cpk:" in outcome.stdout and not (tmp_path / "-").exists()
    assert_user_error(cli("validate", "-"), "--source-format")
    checked = cli("validate", "-", "--source-format", "ttl", input=outcome.stdout)
    assert checked.code == 1 and "TODO" in checked.stdout and not (tmp_path / "-").exists()
