"""Time the explorer against pyvis defaults and a static-layout floor, in headless Chromium.

For the bundled graph and for 500, 2,000 and 5,000 generated nodes (kinds from
docs/conventions.md, 1.5 random relations per node) it measures:

- coprodkg: from the start of ``coprodkg viz`` (a subprocess: loading, projection, layout and
  writing included) to the page's first draw;
- floor: the same graph written by pyvis with positions given and physics off, from navigation
  start to first draw (no coprodkg at all);
- pyvis defaults: the same graph under pyvis's defaults (physics on), from navigation start to
  first draw, capped (``--cap``) so the run stays bounded.

First draw = the first ``afterDrawing`` event of ``vis.Network``, caught by wrapping
``vis.Network.prototype.emit`` before any page script runs. On coprodkg's page at its default fit
(a 1400 × 900 window) it also reads, from vis-network's own node boxes (``getBoundingBox``), how
many pairs of drawn nodes (shape and label) overlap, and the median label text height on screen
(font size × zoom). Results go to bench/results/viz.json.

    .venv/bin/python bench/bench_viz.py [--sizes bundled,500,2000,5000] [--cap 60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
COPRODKG = Path(sys.executable).with_name("coprodkg")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
CLASSES = ["Theme", "Mechanism", "Barrier", "Facilitator", "Outcome", "ActorRole", "Concept", "Finding"]
RELATIONS = ["addresses", "supports", "hinders", "leadsTo", "about", "involves"]

#: Runs before any page script: wraps vis.Network.prototype.emit as soon as vis-network defines it.
HOOK = """
(() => {
  let store;
  Object.defineProperty(window, "vis", { configurable: true, get() { return store; }, set(v) {
    store = v; let N;
    Object.defineProperty(v, "Network", { configurable: true, enumerable: true, get() { return N; }, set(c) {
      N = c; const emit = c.prototype.emit;
      c.prototype.emit = function (name, ...rest) {
        if (name === "afterDrawing" && window.__firstDraw === undefined) { window.__firstDraw = performance.now(); }
        return emit.call(this, name, ...rest);
      };
    } });
  } });
})();
"""


def synthetic(n: int, folder: Path, seed: int = 1) -> Path:
    """A Turtle graph of ``n`` typed, labelled, defined resources and ``1.5 n`` random relations."""
    rng = random.Random(seed)
    lines = [
        "@prefix cpk: <https://w3id.org/coprodkg/ns#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix ex: <https://example.org/bench/> .",
    ]
    for i in range(n):
        cls = CLASSES[i % len(CLASSES)]
        lines.append(
            f'ex:n{i} a cpk:{cls} ; skos:prefLabel "{cls.lower()} {i}" ; skos:definition "Node {i}." .'
        )
    for _ in range(int(1.5 * n)):
        a, b = rng.randrange(n), rng.randrange(n)
        lines.append(f"ex:n{a} cpk:{rng.choice(RELATIONS)} ex:n{b} .")
    path = folder / f"synthetic-{n}.ttl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


#: Reads, at the page's default fit, the drawn nodes' overlapping pairs and median label height.
READ_LABELS = """() => {
  const c = window.coprodkg, n = c.network, ids = c.visible(), scale = n.getScale();
  const b = ids.map(id => n.getBoundingBox(id));
  const order = b.map((_, i) => i).sort((i, j) => b[i].left - b[j].left);
  let pairs = 0;
  for (let k = 0; k < order.length; k++) {
    const a = b[order[k]];
    for (let m = k + 1; m < order.length && b[order[m]].left < a.right; m++) {
      const o = b[order[m]];
      if (o.top < a.bottom && a.top < o.bottom && o.left < a.right) pairs++;
    }
  }
  const heights = ids.map(id => n.body.nodes[id].options.font.size * scale).sort((x, y) => x - y);
  return { pairs: pairs, median: heights[Math.floor(heights.length / 2)], drawn: ids.length };
}"""


def pyvis_page(n: int | str, turtle: Path | None, folder: Path, physics: bool) -> Path:
    """The same graph written by plain pyvis: defaults (physics on), or positions given and physics off."""
    from pyvis.network import Network

    from coprodkg import load_graph, project
    from coprodkg.layout import label_layout, text_width

    graph = project(load_graph() if turtle is None else load_graph([turtle], bundled=False))
    order = list(graph)
    index = {node: i for i, node in enumerate(order)}
    net = Network(directed=True, cdn_resources="in_line")
    if physics:
        for node in order:
            net.add_node(index[node], label=graph.nodes[node]["label"])
    else:
        edges = sorted({(index[u], index[v]) for u, v in graph.edges() if u != v})
        boxes = [[-w / 2, -10.0, w / 2, 24.0] for w in (text_width(graph.nodes[n]["label"]) for n in order)]
        positions = label_layout(edges, __import__("numpy").array(boxes))
        for node in order:
            x, y = positions[index[node]]
            net.add_node(index[node], label=graph.nodes[node]["label"], x=float(x), y=float(y))
        net.toggle_physics(False)
    for u, v, attrs in graph.edges(data=True):
        net.add_edge(index[u], index[v], label=attrs["label"])
    path = folder / f"pyvis-{'defaults' if physics else 'static'}-{n}.html"
    path.write_text(net.generate_html(), encoding="utf-8")
    return path


def first_draw(browser: Any, path: Path, cap: float) -> tuple[float | None, float]:
    """(first draw in seconds after navigation start or None past the cap, navigation start as epoch seconds)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(HOOK)
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    try:
        page.goto(path.resolve().as_uri(), wait_until="commit", timeout=cap * 1000)
        page.wait_for_function("window.__firstDraw !== undefined", timeout=cap * 1000, polling=50)
        drawn, origin = page.evaluate("[window.__firstDraw, performance.timeOrigin]")
        return drawn / 1000.0, origin / 1000.0
    except Exception as error:  # a timeout past the cap; the page may be busy with physics
        if "Timeout" not in type(error).__name__ and "timeout" not in str(error).lower():
            raise
        return None, 0.0
    finally:
        context.close()


def run_coprodkg(browser: Any, turtle: Path | None, folder: Path, cap: float) -> dict[str, float]:
    out = folder / "explorer.html"
    source = [] if turtle is None else ["--no-bundled", "-s", str(turtle)]
    start = time.time()
    subprocess.run(
        [str(COPRODKG), "viz", *source, "-o", str(out)], check=True, capture_output=True, cwd=folder
    )
    written = time.time()
    drawn, origin = first_draw(browser, out, cap)
    if drawn is None:
        raise RuntimeError(f"the explorer did not draw {out.name} within {cap} s")
    return {"total": origin + drawn - start, "cli": written - start, "draw": drawn}


def read_labels(browser: Any, path: Path) -> dict[str, float]:
    """Overlapping pairs of drawn boxes and the median label height, at the default fit of 1400 × 900."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_selector("body[data-drawn]", timeout=120_000)
    found: dict[str, float] = page.evaluate(READ_LABELS)
    page.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="bundled,500,2000,5000", help="node counts, or 'bundled'")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds to wait for pyvis defaults to draw")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chromium", default=os.environ.get("COPRODKG_CHROMIUM", "/usr/bin/chromium"))
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=options.chromium, headless=True, args=ARGS)
        folder = Path(tmp)
        first_draw(
            browser, pyvis_page(50, synthetic(50, folder), folder, physics=False), options.cap
        )  # warm-up
        for size in options.sizes.split(","):
            turtle = None if size == "bundled" else synthetic(int(size), folder)
            ours = [run_coprodkg(browser, turtle, folder, options.cap) for _ in range(options.repeat)]
            labels = read_labels(browser, folder / "explorer.html")
            static = pyvis_page(size, turtle, folder, physics=False)
            floors = [first_draw(browser, static, options.cap)[0] for _ in range(options.repeat)]
            defaults, _ = first_draw(browser, pyvis_page(size, turtle, folder, physics=True), options.cap)
            row = {
                "nodes": size if turtle is None else int(size),
                "drawn": labels["drawn"],
                "coprodkg_s": statistics.median(r["total"] for r in ours),
                "coprodkg_cli_s": statistics.median(r["cli"] for r in ours),
                "coprodkg_draw_s": statistics.median(r["draw"] for r in ours),
                "floor_s": statistics.median(f for f in floors if f is not None),
                "pyvis_defaults_s": defaults,
                "cap_s": options.cap,
                "overlapping_pairs": labels["pairs"],
                "median_label_px": labels["median"],
            }
            row["target_s"] = 1.5 * row["floor_s"] + 1.0
            row["meets_floor_target"] = row["coprodkg_s"] <= row["target_s"]
            speedup = (defaults if defaults is not None else options.cap) / row["coprodkg_s"]
            row["speedup_vs_pyvis"] = speedup
            row["speedup_is_lower_bound"] = defaults is None
            results.append(row)
            print(f"measured {size}", file=sys.stderr, flush=True)
        browser.close()
    print(table(results))
    target = ROOT / "bench" / "results" / "viz.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        json.dumps({"machine": os.uname().machine, "cpus": os.cpu_count(), "rows": results}, indent=2)
    )
    print(f"\nwrote {target.relative_to(ROOT)}", file=sys.stderr)


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| nodes | coprodkg viz → first draw | of which CLI | floor (static pyvis) | target ≤ 1.5×floor+1 "
        "| pyvis defaults | speed-up | overlapping label pairs | median label height |"
    )
    lines = [head, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        defaults = (
            f"{r['pyvis_defaults_s']:.1f} s" if r["pyvis_defaults_s"] is not None else f"> {r['cap_s']:.0f} s"
        )
        mark = "met" if r["meets_floor_target"] else "MISSED"
        bound = "> " if r["speedup_is_lower_bound"] else ""
        name = f"bundled ({r['drawn']} drawn)" if r["nodes"] == "bundled" else f"{r['nodes']:,}"
        lines.append(
            f"| {name} | {r['coprodkg_s']:.2f} s | {r['coprodkg_cli_s']:.2f} s | {r['floor_s']:.2f} s "
            f"| {r['target_s']:.2f} s ({mark}) | {defaults} | {bound}{r['speedup_vs_pyvis']:.0f}× "
            f"| {r['overlapping_pairs']:,} | {r['median_label_px']:.1f} px |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
