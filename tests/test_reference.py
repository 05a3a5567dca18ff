"""coprodkg docs: every cpk: term is on the reference page; the HTML page needs no network."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from coprodkg.engine import KnowledgeGraph
from coprodkg.reference import gather_reference, render_reference

from .conftest import Outcome, assert_user_error

ROOT = Path(__file__).resolve().parents[1]


def schema_terms() -> set[str]:
    text = (ROOT / "ontology" / "schema.ttl").read_text(encoding="utf-8")
    return set(re.findall(r"^(cpk:\w+) a ", text, flags=re.MULTILINE))


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_every_cpk_term_appears(bundled: KnowledgeGraph, fmt: str) -> None:
    page = render_reference(bundled, fmt)
    missing = sorted(t for t in schema_terms() if t not in page)
    assert len(schema_terms()) > 100
    assert not missing, missing


def test_classes_carry_shapes_and_counts(bundled: KnowledgeGraph) -> None:
    ref = gather_reference(bundled)
    theme = next(c for c in ref.classes if c.curie == "cpk:Theme")
    assert theme.instances == 5
    paths = {p: (n, t) for p, n, t, _ in theme.expects}
    assert paths["skos:inScheme"] == ("1..*", "skos:ConceptScheme")
    assert paths["cpk:status"][0] == "1..1"
    addresses = next(p for p in ref.properties if p.curie == "cpk:addresses")
    assert addresses.range == ["cpk:Barrier"]
    assert "cpk:StatedInArticle" in {v for v, *_ in ref.vocabularies["cpk:ClaimStatus"]}
    assert any(name == "theme-barriers" and params for name, _, params in ref.queries)


def test_html_is_offline_and_escaped(bundled: KnowledgeGraph) -> None:
    page = render_reference(bundled, "html")
    assert "<script" not in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    assert "CURIE or &lt;IRI&gt;" in page, "text from the queries is escaped"


def test_cli_writes_a_folder_or_file(tmp_path: Path, cli: Callable[..., Outcome]) -> None:
    assert cli("docs", "-o", tmp_path).code == 0
    assert (tmp_path / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    md = tmp_path / "ref.md"
    assert cli("docs", "-o", md).code == 0 and md.read_text(encoding="utf-8").startswith("# coprodkg")
    assert_user_error(cli("docs", "-o", tmp_path / "ref.pdf"), ".md file")


def test_dash_writes_the_page_to_stdout_and_format_names_it(
    tmp_path: Path, cli: Callable[..., Outcome], monkeypatch: pytest.MonkeyPatch, bundled: KnowledgeGraph
) -> None:
    monkeypatch.chdir(tmp_path)
    html = cli("docs", "-o", "-")
    assert (
        html.code == 0 and html.stdout == render_reference(bundled, "html") and not (tmp_path / "-").exists()
    )
    md = cli("docs", "-o", "-", "-f", "md")
    assert md.code == 0 and md.stdout == render_reference(bundled, "md")
    folder = tmp_path / "ref"
    folder.mkdir()
    assert cli("docs", "-o", folder, "-f", "md").code == 0
    assert (folder / "index.md").read_text(encoding="utf-8") == md.stdout
