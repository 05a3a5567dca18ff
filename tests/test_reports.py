"""reports.py: the text and JSON renderings of info, show, search, queries and validate, on the
bundled graph's own answers."""

from __future__ import annotations

import json

from rdflib import BNode

from coprodkg import KnowledgeGraph
from coprodkg.catalogue import find_query, list_queries
from coprodkg.checks import Finding
from coprodkg.lookup import describe, graph_info, resolve_term, search
from coprodkg.namespaces import shorten
from coprodkg.reports import (
    render_catalogue,
    render_description,
    render_hits,
    render_info,
    render_named_query,
    render_report,
    to_json,
)
from coprodkg.validation import Report


def test_info_lists_every_file_and_class_with_its_counts(bundled: KnowledgeGraph) -> None:
    info = graph_info(bundled)
    text = render_info(info)
    assert text.splitlines()[0] == f"{info.triples} triples in {len(info.graphs)} files"
    rows = {tuple(line.split()[:2]) for line in text.splitlines() if line.startswith("  ")}
    assert all((str(count), shorten(cls)) in rows for cls, _, count in info.classes)
    assert "Prefixes" in text and "cpk:" in text


def test_show_renders_each_relation_and_each_claim_with_its_source(bundled: KnowledgeGraph) -> None:
    found = describe(bundled, resolve_term(bundled, "political barriers"))
    text = render_description(found)
    assert text.startswith(found.label)
    assert len([line for line in text.splitlines() if " -> " in line]) == len(found.outgoing)
    assert len([line for line in text.splitlines() if " <- " in line]) == len(found.incoming)
    assert text.count("      source: ") == len(found.claims)
    assert found.claims and all(f"[{c.status}]" in text for c in found.claims)


def test_search_is_a_table_with_one_row_per_hit_and_says_when_nothing_matches(
    bundled: KnowledgeGraph,
) -> None:
    hits = search(bundled, "political barriers")
    lines = render_hits(hits).splitlines()
    assert lines[0].split() == ["type", "label", "curie"]
    assert "political barriers" in lines[2]  # the exact label first
    assert [h.iri.rsplit("/", 1)[1] for h in hits] == [
        line.split("cpkid:")[1] for line in lines[2:] if "cpkid:" in line
    ]  # one row per hit (long labels wrap onto lines of their own), in order
    assert render_hits([]) == "no matches\n"


def test_the_catalogue_names_every_query_and_a_query_shows_how_to_run_it() -> None:
    queries = list_queries()
    table = render_catalogue(queries)
    assert all(q.name in table for q in queries)
    text = render_named_query(find_query("theme-barriers"))
    assert "Run it: coprodkg query theme-barriers" in text
    assert "SELECT" in text.upper()


def test_json_keeps_every_field_and_marks_blank_nodes() -> None:
    data = json.loads(to_json(Finding("shape", "needs a label", focus=str(BNode("b1")), line=3)))
    assert set(data) == set(Finding.__dataclass_fields__)
    assert json.loads(to_json({"node": BNode("b7")})) == {"node": "_:b7"}


def test_a_report_gives_file_line_the_fix_and_a_grammatical_summary() -> None:
    one = Finding(
        "label", "give a label", focus="cpkid:x", file="my.ttl", line=4, suggestion='rdfs:label "x"'
    )
    text = render_report(Report(("my.ttl",), (one,)))
    assert text.splitlines()[0] == "my.ttl:4: [label] cpkid:x: give a label"
    assert text.splitlines()[1] == '    write: rdfs:label "x"'
    assert text.splitlines()[-1] == "1 finding in 1 file"
    assert render_report(Report(("a.ttl", "b.ttl"), ())).strip() == "ok: 2 files conform"
