"""docs/model.md: every SPARQL block in it runs on the bundled graph and answers something."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coprodkg.engine import KnowledgeGraph, load_graph

MODEL = Path(__file__).resolve().parents[1] / "docs" / "model.md"
BLOCKS = re.findall(r"```sparql\n(.*?)```", MODEL.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_page_has_sparql_blocks() -> None:
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("block", BLOCKS, ids=[b.splitlines()[0][:40] for b in BLOCKS])
def test_each_block_runs_and_answers(block: str, bundled: KnowledgeGraph) -> None:
    kg = load_graph(reason="rdfs") if "--reason rdfs" in block.splitlines()[0] else bundled
    result = kg.query(block)
    assert result.rows, "the block answers at least one row"
    assert any(v is not None and str(v) not in ("0", "") for v in result.rows[0]), result.rows[0]


def test_the_documented_commands_exist() -> None:
    from coprodkg.cli import app

    names = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback}
    for command in ("new", "import", "diff", "docs", "validate"):
        assert command in names
        assert f"coprodkg {command}" in MODEL.read_text(encoding="utf-8")
