"""The evidence map as one offline HTML page: the matrix, its filters, and the claims behind a cell.

The page follows the explorer's rules (:mod:`coprodkg.viz`): every script and style is inlined, no
request leaves the page, and every text from the graph reaches it as JSON data that the script
shows with ``textContent``, never as markup.

>>> from coprodkg import load_graph
>>> from coprodkg.evidence_map import build_map
>>> from coprodkg.resources import ontology_dir
>>> kg = load_graph([ontology_dir() / "schema.ttl", "tests/data/map/fixture.ttl"], bundled=False)
>>> render_map_html(build_map(kg)).startswith("<!DOCTYPE html>")
True
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .evidence_map import CO_OCCURRENCE_TITLE, KINDS, STRENGTHS, EvidenceMap
from .namespaces import shorten
from .viz import STYLES, script_safe

__all__ = ["DEFAULT_TITLE", "render_map_html"]

DEFAULT_TITLE = "coprodkg evidence map"
#: Strength -> cell shading (darker is stronger), one hue.
SHADES: dict[str, str] = {"same": "#08519c", "close": "#6baed6", "loose": "#deebf7"}


def _data(emap: EvidenceMap) -> dict[str, Any]:
    barriers, others, pairs = emap.co_occurrence()
    return {
        "studies": [asdict(s) for s in emap.studies],
        "rows": [
            {
                "iri": r.iri,
                "curie": shorten(r.iri),
                "label": r.label,
                "kind": r.kind,
                "definition": r.definition,
                "cells": {code: [asdict(c) for c in concepts] for code, concepts in r.cells.items()},
            }
            for r in emap.rows
        ],
        "kinds": [
            {"name": k, "colour": STYLES.get(k, STYLES["concept"])[0]}
            for k in KINDS
            if any(r.kind == k for r in emap.rows)
        ],
        "strengths": [{"name": s, "shade": SHADES[s]} for s in STRENGTHS],
        "pairs": {
            "title": CO_OCCURRENCE_TITLE,
            "barriers": [b.iri for b in barriers],
            "others": [o.iri for o in others],
            "cells": [[b, o, codes] for (b, o), codes in pairs.items()],
        },
        "filters": list(emap.filters),
    }


def render_map_html(emap: EvidenceMap, *, title: str = DEFAULT_TITLE) -> str:
    """The evidence map page, self-contained and offline."""
    from importlib.resources import files

    from jinja2 import Environment, PackageLoader
    from markupsafe import Markup

    env = Environment(
        loader=PackageLoader("coprodkg", "mapview"), autoescape=True, keep_trailing_newline=True
    )
    own = files("coprodkg").joinpath("mapview")
    page = env.get_template("map.html").render(
        title=title,
        data=_data(emap),
        map_js=Markup(script_safe(own.joinpath("map.js").read_text(encoding="utf-8"))),
        map_css=Markup(own.joinpath("map.css").read_text(encoding="utf-8")),
    )
    return str(page)
