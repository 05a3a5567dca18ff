"""The cost of the evidence map, as ratios on the same machine: paired runs, medians.

Whole-process times of the installed ``coprodkg`` (a subprocess each): wall-clock time, and the
CPU time (user + system) the processes used, which a loaded machine disturbs less. The two sides of
each ratio alternate, so that both see the same machine load:

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
import resource
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


def cpu_of_children() -> float:
    """CPU seconds (user + system) used so far by the child processes that have ended."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(commands: Sequence[Sequence[str]], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds to run these commands one after the other (each must succeed)."""
    start, cpu = time.perf_counter(), cpu_of_children()
    for command in commands:
        subprocess.run([COPRODKG, *command], cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start, cpu_of_children() - cpu


def paired(
    a: Sequence[Sequence[str]], b: Sequence[Sequence[str]], repeat: int, cwd: Path
) -> dict[str, float]:
    """Medians of ``a`` and ``b`` run alternately, and the medians of the per-pair ratios a/b."""
    run(a, cwd), run(b, cwd)  # warm the file cache
    pairs = []
    for i in range(repeat):
        if i % 2 == 0:
            ta, tb = run(a, cwd), run(b, cwd)
        else:
            tb, ta = run(b, cwd), run(a, cwd)
        pairs.append((ta, tb))
    med = statistics.median
    return {
        "new_s": round(med(ta[0] for ta, _ in pairs), 3),
        "baseline_s": round(med(tb[0] for _, tb in pairs), 3),
        "ratio": round(med(ta[0] / tb[0] for ta, tb in pairs), 3),
        "new_cpu_s": round(med(ta[1] for ta, _ in pairs), 3),
        "baseline_cpu_s": round(med(tb[1] for _, tb in pairs), 3),
        "cpu_ratio": round(med(ta[1] / tb[1] for ta, tb in pairs), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="pairs per ratio (default 7)")
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
        verdict = "meets" if max(row["ratio"], row["cpu_ratio"]) <= row["target"] else "MISSES"
        print(f"{name:13} wall {row['new_s']:.2f} s / {row['baseline_s']:.2f} s = {row['ratio']:.2f}x, "
              f"CPU {row['new_cpu_s']:.2f} s / {row['baseline_cpu_s']:.2f} s = {row['cpu_ratio']:.2f}x "
              f"({verdict} the target of {row['target']}x)")  # fmt: skip
    out = ROOT / "bench" / "results" / "map.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"repeat": options.repeat, "results": results}, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
