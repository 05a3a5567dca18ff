"""Command-line help: your files' prefixes in CURIEs, one warning per misspelt term of ours, completion."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from coprodkg import KnowledgeGraph
from coprodkg.hints import declared_prefixes, terms_of_ours, undefined_term_warnings
from coprodkg.namespaces import CPK

from .conftest import Outcome

ROOT = Path(__file__).resolve().parents[1]
MY_STUDY = ROOT / "docs" / "examples" / "my-study.ttl"


def test_declared_prefixes_leave_the_known_ones_alone(tmp_path: Path) -> None:
    path = tmp_path / "x.ttl"
    path.write_text(
        "@prefix ex: <https://example.org/x/> .\n@prefix cpk: <https://w3id.org/coprodkg/ns/> .\n"
    )
    assert declared_prefixes([path]) == {"ex": "https://example.org/x/"}


def test_terms_of_ours_skip_strings_comments_and_prefix_lines() -> None:
    text = 'PREFIX cpk: <https://w3id.org/coprodkg/ns#>\nSELECT * { ?x a cpk:Theme ; ?p "cpk:NotThis" } # cpk:Nor'
    assert terms_of_ours(text) == {CPK + "Theme"}


def test_your_prefix_works_in_params_and_sparql(cli: Callable[..., Outcome]) -> None:
    named = cli("query", "theme-barriers", "-s", MY_STUDY, "-p", "theme=ex:theme-1", "-f", "csv")
    assert named.code == 0 and "no time to read research" in named.stdout
    inline = cli(
        "query", "-s", MY_STUDY, "-e", "SELECT ?l WHERE { ex:no-time skos:prefLabel ?l }", "-f", "csv"
    )
    assert inline.stdout.split()[1:] == ["no", "time", "to", "read", "research"]


def test_your_prefix_works_in_show(cli: Callable[..., Outcome]) -> None:
    outcome = cli("show", "ex:no-time", "-s", MY_STUDY)
    assert outcome.code == 0 and outcome.stdout.startswith("no time to read research")


@pytest.mark.parametrize(
    ("args", "term", "suggestion"),
    [
        (("-e", "SELECT ?x WHERE { ?x a cpk:Barier }"), "cpk:Barier", "cpk:Barrier"),
        (("theme", "-p", "theme=cpkid:theme-55"), "cpkid:theme-55", "cpkid:theme-5"),
        (
            ("-e", "SELECT ?x WHERE { ?x cpk:involves cpkid:local-authority-staf }"),
            "cpkid:local-authority-staf",
            "cpkid:local-authority-staff",
        ),
    ],
)
def test_one_warning_names_the_misspelt_term(
    cli: Callable[..., Outcome], args: tuple[str, ...], term: str, suggestion: str
) -> None:
    outcome = cli("query", *args)
    assert outcome.code == 0, "the exit code is unchanged"
    assert outcome.stderr.splitlines() == [
        f"coprodkg: warning: {term} is in the query but nowhere in the graph (did you mean {suggestion}?)"
    ]


def test_no_warning_for_terms_the_graph_holds(bundled: KnowledgeGraph) -> None:
    assert (
        undefined_term_warnings(
            bundled, "SELECT * { ?x a cpk:Theme ; cpk:addresses cpkid:political-barriers }"
        )
        == []
    )


def test_shell_completion_is_on(cli: Callable[..., Outcome]) -> None:
    assert "--install-completion" in cli("--help").stdout
    script = Path(sys.executable).parent / "coprodkg"
    env = {
        "PATH": os.environ["PATH"],
        "_COPRODKG_COMPLETE": "complete_bash",
        "COMP_WORDS": "coprodkg que",
        "COMP_CWORD": "1",
    }
    completed = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=60, check=True)
    assert completed.stdout.split() == ["query", "queries"]
