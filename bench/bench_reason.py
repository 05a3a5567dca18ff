"""What ``--reason`` costs: the same query with and without reasoning, as ratios, side by side.

For the bundled graph (and, when ``bench/generate_map.py`` is there, a map of 100 studies made
by it), each run loads the graph, optionally materialises the entailments, and runs one query:
``?x a skos:Concept`` counted. It compares three ways to get the RDFS closure and OWL 2 RL:

- ``none``: no reasoning (the baseline, ratio 1.0);
- ``rdfs``: coprodkg's SPARQL closure inside Oxigraph (what ``--reason rdfs`` runs);
- ``owlrl-rdfs``: owlrl's RDFS closure over an rdflib graph (the alternative that was measured);
- ``owl-rl``: owlrl's OWL 2 RL closure (what ``--reason owl-rl`` runs).

    python bench/bench_reason.py            # bundled graph, and the 100-study map if it can be made
    python bench/bench_reason.py --repeat 5

Results are printed as a table and written to ``bench/results/reason.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

QUERY = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a skos:Concept }"


def run(sources: list[Path], how: str) -> tuple[float, float, int]:
    """(load + reasoning seconds, query seconds, answer) for one way of reasoning."""
    from coprodkg.engine import load_graph
    from coprodkg.reasoning import materialise_owlrl, materialise_rdfs

    steps: dict[str, Callable[..., object]] = {
        "none": lambda kg: 0,
        "rdfs": materialise_rdfs,
        "owlrl-rdfs": lambda kg: materialise_owlrl(kg, "rdfs"),
        "owl-rl": lambda kg: materialise_owlrl(kg, "owl-rl"),
    }
    start = time.perf_counter()
    kg = load_graph(sources)
    steps[how](kg)
    loaded = time.perf_counter()
    answer = kg.query(QUERY).rows[0][0]
    done = time.perf_counter()
    assert answer is not None
    return loaded - start, done - loaded, int(answer.toPython())


def bench(name: str, sources: list[Path], ways: list[str], repeat: int) -> list[dict[str, object]]:
    rows = []
    base = None
    for how in ways:
        times = [run(sources, how) for _ in range(repeat)]
        total = statistics.median(t[0] + t[1] for t in times)
        base = base if base is not None else total
        rows.append(
            {
                "graph": name,
                "reason": how,
                "seconds": round(total, 3),
                "ratio": round(total / base, 2),
                "skos:Concept": times[0][2],
            }
        )
        print(f"{name:<14} {how:<11} {total:8.3f} s  x{total / base:6.2f}  skos:Concept = {times[0][2]}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the median is kept)")
    parser.add_argument("--studies", type=int, default=100, help="studies in the generated map")
    args = parser.parse_args()
    results = bench("bundled", [], ["none", "rdfs", "owlrl-rdfs", "owl-rl"], args.repeat)
    try:
        from generate_map import generate  # the scale helper's generator, when it is in bench/
    except ImportError:
        print("bench/generate_map.py is not here: the map of many studies is not measured")
    else:
        with tempfile.TemporaryDirectory() as folder:
            generate(args.studies, Path(folder))
            results += bench(f"map-{args.studies}", [Path(folder)], ["none", "rdfs"], 1)
    out = HERE / "results" / "reason.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
