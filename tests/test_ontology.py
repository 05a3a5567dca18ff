"""Every bundled Turtle file, the documented examples and the map fixtures parse with three
independent parsers: Oxigraph, rdflib and rapper."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from coprodkg.resources import ontology_dir

ROOT = Path(__file__).parents[1]
BUNDLED = sorted(ontology_dir().rglob("*.ttl"))
EXAMPLES = sorted(
    [*(ROOT / "docs" / "examples").glob("*.ttl"), *(ROOT / "tests" / "data").glob("map*/*.ttl")]
)
TURTLE = [*BUNDLED, *EXAMPLES]
IDS = [p.relative_to(ontology_dir()).as_posix() for p in BUNDLED] + [
    p.relative_to(ROOT).as_posix() for p in EXAMPLES
]


def test_there_is_a_schema_shapes_and_content() -> None:
    assert {"schema.ttl", "shapes.ttl"} <= set(IDS)
    assert len(BUNDLED) >= 5
    assert {"docs/examples/my-study.ttl", "tests/data/map/fixture.ttl"} <= set(IDS)


@pytest.mark.parametrize("path", TURTLE, ids=IDS)
def test_rapper_accepts_it(path: Path) -> None:
    rapper = shutil.which("rapper")
    assert rapper, "rapper (Debian raptor2-utils) is missing: `make test` installs it"
    out = subprocess.run([rapper, "-i", "turtle", "-c", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    match = re.search(r"Parsing returned (\d+) triples", out.stderr)
    assert match, out.stderr
    assert int(match.group(1)) == sum(1 for _ in ox.parse(path=path, format=ox.RdfFormat.TURTLE))


@pytest.mark.parametrize("path", TURTLE, ids=IDS)
def test_oxigraph_and_rdflib_agree(path: Path) -> None:
    oxigraph = len(
        {(t.subject, t.predicate, t.object) for t in ox.parse(path=path, format=ox.RdfFormat.TURTLE)}
    )
    rdflib = len(Graph().parse(path, format="turtle"))
    assert oxigraph == rdflib > 0
