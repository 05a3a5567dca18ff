"""The cost of the evidence map, as ratios on the same machine: paired runs, medians.

Whole-process wall times of the installed ``coprodkg`` (a subprocess each), alternating the two
sides of each ratio so that both see the same machine load:

- ``query themes``: the bundled graph (eleven studies) against the seed-only graph of before the
  map (a copy of ``ontology/`` without ``content/map`` and ``content/studies``, loaded with
  ``--no-bundled -s``); target at most 1.2x;
- ``make demo``'s commands (info, query themes, viz, map) on the bundled graph against the
  demo of before the map (info, query themes, viz) on the seed-only graph; target at most 1.3x;
- ``map`` against ``viz`` on the same (bundled) graph; target at most 1.5x.

Results go to bench/results/map.json.

    .venv/bin/python bench/bench_map.py [--repeat 11]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPRODKG = str(Path(sys.executable).with_name("coprodkg"))
TARGETS = {"query themes": 1.2, "make demo": 1.3, "map vs viz": 1.5}


def seed_only(folder: Path) -> Path:
    """A copy of the bundled ontology as it was with one study: without the map and its studies."""
    target = folder / "ontology"
    shutil.copytree(ROOT / "ontology", target, ignore=shutil.ignore_patterns("map", "studies"))
    return target


def run(commands: Sequence[Sequence[str]], cwd: Path) -> float:
    """Seconds to run these commands one after the other (each must succeed)."""
    start = time.perf_counter()
    for command in commands:
        subprocess.run([COPRODKG, *command], cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def paired(
    a: Sequence[Sequence[str]], b: Sequence[Sequence[str]], repeat: int, cwd: Path
) -> dict[str, float]:
    """Medians of ``a`` and ``b`` run alternately, and the median of the per-pair ratios a/b."""
    run(a, cwd), run(b, cwd)  # warm the file cache
    times_a, times_b, ratios = [], [], []
    for i in range(repeat):
        first, second = (a, b) if i % 2 == 0 else (b, a)
        t1, t2 = run(first, cwd), run(second, cwd)
        ta, tb = (t1, t2) if i % 2 == 0 else (t2, t1)
        times_a.append(ta), times_b.append(tb), ratios.append(ta / tb)
    return {
        "new_s": round(statistics.median(times_a), 3),
        "baseline_s": round(statistics.median(times_b), 3),
        "ratio": round(statistics.median(ratios), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11, help="pairs per ratio (default 11)")
    options = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        seed = ["--no-bundled", "-s", str(seed_only(work))]
        results["query themes"] = paired(
            [["query", "themes"]], [[*seed, "query", "themes"]], options.repeat, work
        )
        demo_new = [["info"], ["query", "themes"], ["viz", "-o", "e.html"], ["map", "-o", "m.html"]]
        demo_old = [[*seed, "info"], [*seed, "query", "themes"], [*seed, "viz", "-o", "e.html"]]
        results["make demo"] = paired(demo_new, demo_old, options.repeat, work)
        results["map vs viz"] = paired(
            [["map", "-o", "m.html"]], [["viz", "-o", "e.html"]], options.repeat, work
        )
    for name, row in results.items():
        row["target"] = TARGETS[name]
        verdict = "meets" if row["ratio"] <= row["target"] else "MISSES"
        print(f"{name:13} {row['new_s']:7.3f} s vs {row['baseline_s']:7.3f} s: {row['ratio']:.2f}x "
              f"({verdict} the target of {row['target']}x)")  # fmt: skip
    out = ROOT / "bench" / "results" / "map.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"repeat": options.repeat, "results": results}, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
