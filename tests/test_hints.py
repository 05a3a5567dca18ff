"""Command-line help: your files' prefixes in CURIEs, one warning per misspelt term of ours, completion."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coprodkg import KnowledgeGraph
from coprodkg.catalogue import find_query
from coprodkg.hints import declared_prefixes, query_warnings, terms_of_ours, undefined_term_warnings
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


THEME_4 = "overcoming political and cultural barriers by increasing absorptive capacity"


@pytest.fixture(scope="module")
def bundled_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeGraph]:
    """The bundled graph in an on-disk store, filled once for this module."""
    from coprodkg import fill_store

    kg = fill_store(tmp_path_factory.mktemp("store") / "store")
    yield kg
    kg.close()


TYPOS = [
    (
        "",
        "SELECT ?x WHERE { ?x a cpk:Barier }",
        {},
        "cpk:Barier is in the query but nowhere in the graph (did you mean cpk:Barrier?)",
    ),
    (
        "claims-by-status",
        "",
        {"status": "projet"},
        'status="projet" matches no value in the graph (did you mean "project"?)',
    ),
    (
        "theme",
        "",
        {"theme": "theme-4"},
        'theme="theme-4" is text where the query expects a term such as cpkid:theme-5 '
        "(did you mean cpkid:theme-4?)",
    ),
    (
        "theme",
        "",
        {"theme": THEME_4},
        f'theme="{THEME_4}" is text where the query expects a term such as cpkid:theme-5 '
        "(did you mean cpkid:theme-4?)",
    ),
]


@pytest.mark.parametrize("on_disk", [False, True], ids=["local", "store"])
@pytest.mark.parametrize(("name", "sparql", "given", "warning"), TYPOS)
def test_one_warning_names_a_typo_on_every_engine(
    bundled: KnowledgeGraph,
    bundled_store: KnowledgeGraph,
    on_disk: bool,
    name: str,
    sparql: str,
    given: dict[str, str],
    warning: str,
) -> None:
    engine = bundled_store if on_disk else bundled
    named = find_query(name) if name else None
    bindings = named.bindings(given) if named else {}
    assert query_warnings(engine, named.text if named else sparql, bindings, named, given) == [warning]


@pytest.mark.parametrize(("name", "given", "warning"), [(t[0], t[2], t[3]) for t in TYPOS[1:3]])
def test_the_warning_goes_to_stderr_and_the_exit_code_is_unchanged(
    cli: Callable[..., Outcome], name: str, given: dict[str, str], warning: str
) -> None:
    ((key, value),) = given.items()
    outcome = cli("query", name, "-p", f"{key}={value}", "-f", "csv")
    assert outcome.code == 0, "the exit code is unchanged"
    assert outcome.stderr.splitlines() == [f"coprodkg: warning: {warning}"]


@pytest.mark.parametrize(
    "args",
    [
        ("claims-by-status", "-p", "status=project"),
        ("claims-by-status", "-p", "status=cpk:Interpretation"),
        ("theme", "-p", "theme=cpkid:theme-4"),
        ("recurring", "-p", "minStudies=9", "-p", "independentOnly=true"),
        ("-e", "SELECT ?x WHERE { ?x skos:prefLabel ?l FILTER(CONTAINS(?l, ?w)) }", "-p", "w=zzz"),
    ],
)
def test_no_warning_for_values_the_graph_holds_or_that_are_not_terms(
    cli: Callable[..., Outcome], args: tuple[str, ...]
) -> None:
    outcome = cli("query", *args, "-f", "csv")
    assert outcome.code == 0 and outcome.stderr == ""


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
