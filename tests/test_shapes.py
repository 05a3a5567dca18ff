"""The SHACL shapes: the bundled graph conforms, and every shape catches a broken example.

Each file under ``tests/data/shapes/`` breaks the rules on purpose and lists, in ``# expect:``
comment lines, the start of every message the shapes must give for it (and no other).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, Graph, Literal
from rdflib.namespace import SH

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
SHAPES = ONTOLOGY / "shapes.ttl"
EXAMPLES = sorted((Path(__file__).parent / "data" / "shapes").glob("*.ttl"))
MY_STUDY = ROOT / "docs" / "examples" / "my-study.ttl"
CONSTRAINTS = (
    SH["class"],
    SH.minCount,
    SH.maxCount,
    SH.datatype,
    SH["or"],
    SH.minInclusive,
    SH.maxLength,
    SH.uniqueLang,
    SH.nodeKind,
)


@cache
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


@cache
def bundled() -> Graph:
    graph = Graph()
    for path in sorted(ONTOLOGY.rglob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def messages(*extra: Path) -> tuple[bool, set[str]]:
    """Validate the bundled graph plus ``extra`` files; the conformance and the messages given."""
    data = Graph()
    data += bundled()
    for path in extra:
        data.parse(path, format="turtle")
    conforms, report, _ = validate(data, shacl_graph=shapes())
    return conforms, {str(m) for m in report.objects(None, SH.resultMessage)}


def expected(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split(":", 1)[1].strip() for line in lines if line.startswith("# expect:")]


def test_the_bundled_graph_conforms() -> None:
    conforms, found = messages()
    assert conforms, sorted(found)


def test_the_worked_example_in_the_model_docs_conforms() -> None:
    conforms, found = messages(MY_STUDY)
    assert conforms, sorted(found)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_a_broken_example_gives_exactly_its_messages(example: Path) -> None:
    wanted = expected(example)
    assert wanted, f"{example.name} has no '# expect:' line"
    conforms, found = messages(example)
    assert not conforms
    for prefix in wanted:
        assert any(m.startswith(prefix) for m in found), f"{example.name}: no message starting {prefix!r}"
    for message in found:
        assert any(message.startswith(p) for p in wanted), f"{example.name}: unexpected {message!r}"


def test_every_shape_is_caught_by_some_broken_example() -> None:
    graph = shapes()
    shape_nodes = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.objects(None, SH.property))
    checking = {s for c in CONSTRAINTS for s in graph.subjects(c, None)} & shape_nodes
    shape_messages = {str(graph.value(s, SH.message)) for s in checking}
    given: set[str] = set()
    for example in EXAMPLES:
        given |= messages(example)[1]
    assert shape_messages - given == set()


def test_every_shape_has_a_plain_words_message() -> None:
    graph = shapes()
    nodes = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.objects(None, SH.property))
    for node in nodes:
        message = graph.value(node, SH.message)
        assert isinstance(message, Literal), node
        assert len(str(message).split()) >= 5, node


def test_the_shapes_do_not_apply_to_themselves() -> None:
    conforms, report, _ = validate(shapes(), shacl_graph=shapes())
    assert conforms
    assert not set(report.objects(None, SH.focusNode))
