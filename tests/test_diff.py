"""coprodkg diff: equal graphs exit 0; each kind of change is reported by label; blank nodes do not count."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from coprodkg.diff import diff_sources

from .conftest import Outcome, assert_user_error

ROOT = Path(__file__).resolve().parents[1]
MY_STUDY = Path(__file__).parent / "data" / "researcher" / "my-study.ttl"


def copy(tmp_path: Path, name: str, old: str = "", new: str = "") -> Path:
    path = tmp_path / name
    text = MY_STUDY.read_text(encoding="utf-8")
    if old:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_graph_and_itself_are_equal(cli: Callable[..., Outcome]) -> None:
    outcome = cli("diff", ROOT / "ontology", ROOT / "ontology")
    assert outcome.code == 0, outcome.stdout
    assert "hold the same graph" in outcome.stdout


def test_one_label_changed_is_exactly_that_change(tmp_path: Path, cli: Callable[..., Outcome]) -> None:
    changed = copy(tmp_path, "b.ttl", '"no time to read research"@en', '"no time for research"@en')
    found = diff_sources(str(MY_STUDY), str(changed))
    assert [(c.kind, c.subject, c.old, c.new) for c in found.changes] == [
        (
            "label changed",
            "ex:no-time",
            "no time to read research",
            "no time for research",
        )
    ]
    assert (found.added_triples, found.removed_triples) == (1, 1)
    outcome = cli("diff", MY_STUDY, changed, "-f", "json")
    assert outcome.code == 1
    assert json.loads(outcome.stdout)["changes"][0]["kind"] == "label changed"
    assert "| label changed | no time for research" in cli("diff", MY_STUDY, changed, "-f", "md").stdout


def test_blank_node_renaming_is_no_change(tmp_path: Path) -> None:
    renamed = copy(
        tmp_path,
        "b.ttl",
        'cpk:anchor [ a oa:TextQuoteSelector ; oa:exact "protected time" ] .',
        'cpk:anchor _:quote .\n_:quote a oa:TextQuoteSelector ; oa:exact "protected time" .',
    )
    assert diff_sources(str(MY_STUDY), str(renamed)).equal


def test_claims_links_and_resources(tmp_path: Path) -> None:
    status = copy(tmp_path, "status.ttl", 'cpk:section "Findings"', 'cpk:section "Findings"')
    text = status.read_text(encoding="utf-8")
    block = text.index("ex:claim-theme-1-addresses-no-time")
    end = text.index(".\n", text.index("cpk:anchor", block)) + 2
    claim = text[block:end]
    changed = text[:block] + claim.replace("cpk:StatedInArticle", "cpk:Interpretation") + text[end:]
    changed = changed.replace(
        "    cpk:addresses ex:no-time ;\n", "    cpk:addresses ex:no-time ;\n    cpk:overcomes ex:no-time ;\n"
    )
    changed += '\nex:extra a cpk:Outcome ; skos:prefLabel "an extra outcome"@en .\n'
    status.write_text(changed, encoding="utf-8")
    kinds = {(c.kind, c.old, c.new) for c in diff_sources(str(MY_STUDY), str(status)).changes}
    assert ("claim status changed", "cpk:StatedInArticle", "cpk:Interpretation") in kinds
    assert any(k == "link added" and "overcomes" in n for k, _, n in kinds)
    assert ("resource added", "", "") in kinds


def test_git_revisions(tmp_path: Path, cli: Callable[..., Outcome], monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "ontology").mkdir(parents=True)
    shutil.copy(MY_STUDY, repo / "ontology" / "my-study.ttl")

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "one")
    page = repo / "ontology" / "my-study.ttl"
    page.write_text(
        page.read_text(encoding="utf-8").replace("evidence cafés in", "evidence lunches in"), encoding="utf-8"
    )
    monkeypatch.chdir(repo)
    outcome = cli("diff", "HEAD", "ontology")
    same = cli("diff", "HEAD:ontology", "HEAD")
    assert outcome.code == 1 and "label changed" in outcome.stdout, outcome.stdout
    assert same.code == 0


def test_neither_path_nor_revision_is_an_error(tmp_path: Path, cli: Callable[..., Outcome]) -> None:
    assert_user_error(
        cli("diff", tmp_path / "absent.ttl", MY_STUDY), "not a file, folder, store or git revision"
    )


def test_a_store_and_its_files_are_equal(tmp_path: Path, cli: Callable[..., Outcome]) -> None:
    from coprodkg.engine import fill_store

    fill_store(tmp_path / "store", [MY_STUDY], bundled=False).close()
    assert cli("diff", tmp_path / "store", MY_STUDY).code == 0


def test_dash_reads_one_side_from_stdin(tmp_path: Path, cli: Callable[..., Outcome]) -> None:
    changed = copy(tmp_path, "b.ttl", '"no time to read research"@en', '"no time for research"@en')
    piped = cli("diff", MY_STUDY, "-", "--source-format", "ttl", input=changed.read_text(encoding="utf-8"))
    assert (piped.code, piped.stdout) == (
        1,
        cli("diff", MY_STUDY, changed).stdout.replace(str(changed), "stdin"),
    )
    same = cli("diff", "-", MY_STUDY, "--source-format", "ttl", input=MY_STUDY.read_text(encoding="utf-8"))
    assert same.code == 0
    assert_user_error(cli("diff", MY_STUDY, "-", input="x"), "--source-format")
    assert_user_error(cli("diff", "-", "-", "--source-format", "ttl", input=""), "only one side")
