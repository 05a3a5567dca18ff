"""Benchmark the embedded engine against a bare pyoxigraph script and rdflib's memory store.

Generates a synthetic co-production graph (studies x themes x mechanisms x barriers x actors x
findings; about 1.8M triples at the default scale), then times, side by side in one run:

1. ``coprodkg load --store`` + ``coprodkg query`` (a 4-way join with GROUP BY), as subprocesses;
2. a bare pyoxigraph script doing the same bulk load and query;
3. rdflib's default memory store parsing the file and running the same query.

Each job runs in its own process; its peak memory is that process's max RSS (``os.wait4``).
It also times ``coprodkg --help`` against ``python -c "import typer"``. Results are printed as a
table with ratios against the targets and written to ``bench/results/engine.json``.

    python bench/bench_engine.py              # full size, about 1.8M triples (a few minutes)
    python bench/bench_engine.py --scale 0.1  # a quick look
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
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
EX = "https://example.org/bench/"

#: Two 4-way joins with GROUP BY. "selective" asks which themes bear on one actor (actor <- barrier
#: <- mechanism <- finding -> theme), the shape of the named queries; "analytical" counts, for every
#: theme, the findings and actors reached through mechanisms and barriers: the whole join.
QUERIES = {
    "selective": f"""PREFIX ex: <{EX}>
SELECT ?theme (COUNT(DISTINCT ?finding) AS ?findings) (COUNT(DISTINCT ?barrier) AS ?barriers) WHERE {{
  ?barrier ex:affects <{EX}actor/7> .
  ?mechanism ex:addresses ?barrier .
  ?finding ex:mechanism ?mechanism ;
           ex:theme ?theme .
}} GROUP BY ?theme ORDER BY ?theme
""",
    "analytical": f"""PREFIX ex: <{EX}>
SELECT ?theme (COUNT(*) AS ?n) (COUNT(DISTINCT ?actor) AS ?actors) WHERE {{
  ?finding ex:theme ?theme ; ex:mechanism ?mechanism .
  ?mechanism ex:addresses ?barrier .
  ?barrier ex:affects ?actor .
}} GROUP BY ?theme ORDER BY ?theme
""",
}

BARE_LOAD = """
import sys, pyoxigraph as ox
store = ox.Store(sys.argv[1])
store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:bench"))
store.flush()
"""
BARE_QUERY = """
import sys, pyoxigraph as ox
store = ox.Store(sys.argv[1])
rows = list(store.query(open(sys.argv[2]).read(), use_default_graph_as_union=True))
print(len(rows))
"""
RDFLIB = """
import json, sys, time, rdflib
start = time.perf_counter()
g = rdflib.Graph()
g.parse(sys.argv[1], format="nt")
out = {"load": time.perf_counter() - start}
for path in sys.argv[2:]:
    start = time.perf_counter()
    rows = len(list(g.query(open(path).read())))
    out[path] = [time.perf_counter() - start, rows]
print(json.dumps(out))
"""


def generate(path: Path, scale: float, seed: int = 1) -> int:
    """Write the synthetic graph as N-Triples; return its triple count."""
    rng = random.Random(seed)
    studies, themes, mechanisms = max(1, int(200 * scale)), 40, 400
    barriers, actors, findings_per_study = 300, 200, 1500
    count = 0
    with path.open("w", encoding="utf-8") as out:

        def emit(s: str, p: str, o: str) -> None:
            nonlocal count
            out.write(f"<{EX}{s}> <{EX}{p}> {o} .\n")
            count += 1

        for m in range(mechanisms):
            emit(f"mechanism/{m}", "label", f'"mechanism {m}"')
            for b in rng.sample(range(barriers), 3):
                emit(f"mechanism/{m}", "addresses", f"<{EX}barrier/{b}>")
        for b in range(barriers):
            emit(f"barrier/{b}", "label", f'"barrier {b}"')
            for a in rng.sample(range(actors), 2):
                emit(f"barrier/{b}", "affects", f"<{EX}actor/{a}>")
        for s in range(studies):
            emit(f"study/{s}", "label", f'"study {s}"')
            for f in range(findings_per_study):
                fid = f"finding/{s}-{f}"
                emit(fid, "study", f"<{EX}study/{s}>")
                emit(fid, "theme", f"<{EX}theme/{rng.randrange(themes)}>")
                emit(fid, "mechanism", f"<{EX}mechanism/{rng.randrange(mechanisms)}>")
                emit(fid, "text", f'"finding {f} of study {s}"')
                emit(fid, "weight", f'"{rng.randrange(100)}"^^<http://www.w3.org/2001/XMLSchema#integer>')
                emit(fid, "actor", f"<{EX}actor/{rng.randrange(actors)}>")
    return count


@dataclass
class Run:
    seconds: float
    peak_mb: float
    stdout: str


def run(argv: list[str]) -> Run:
    """Run one process; its wall time and peak RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    assert proc.stdout is not None and proc.stderr is not None
    stdout, stderr = proc.stdout.read(), proc.stderr.read()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[:3]} failed ({proc.returncode}): {stderr[-500:]}")
    return Run(seconds, usage.ru_maxrss / 1024, stdout)


def median_times(first: list[str], second: list[str], repeat: int) -> tuple[float, float]:
    """Median wall times of two commands, run alternately so that drift in the machine hits both."""
    a, b = [], []
    for _ in range(repeat):
        a.append(run(first).seconds)
        b.append(run(second).seconds)
    return statistics.median(a), statistics.median(b)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is about 1.8M triples")
    parser.add_argument("--repeat", type=int, default=21, help="runs of the --help timing")
    parser.add_argument("--skip-rdflib", action="store_true", help="leave out the slow rdflib baseline")
    args = parser.parse_args()

    results: dict[str, object] = {"scale": args.scale}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = work / "bench.nt"
        files = {name: work / f"{name}.rq" for name in QUERIES}
        for name, path in files.items():
            path.write_text(QUERIES[name], encoding="utf-8")
        triples = generate(data, args.scale)
        results["triples"] = triples
        print(f"generated {triples:,} triples ({data.stat().st_size / 1e6:.0f} MB of N-Triples)")

        coprodkg = str(BIN / "coprodkg")
        ours = {"load": run([coprodkg, "load", "--no-bundled", "--store", str(work / "ck"), str(data)])}
        bare = {"load": run([sys.executable, "-c", BARE_LOAD, str(work / "ox"), str(data)])}
        rows, in_memory = {}, {}
        for name, path in files.items():
            ours[name] = run([coprodkg, "query", str(path), "--store", str(work / "ck"), "-f", "csv"])
            in_memory[name] = run(
                [coprodkg, "query", str(path), "--no-bundled", "-s", str(data), "-f", "csv"]
            )
            assert in_memory[name].stdout == ours[name].stdout
            bare[name] = run([sys.executable, "-c", BARE_QUERY, str(work / "ox"), str(path)])
            rows[name] = len(ours[name].stdout.strip().splitlines()) - 1
            assert rows[name] == int(bare[name].stdout) > 0, (name, rows[name], bare[name].stdout)
        memory: dict[str, object] = {}
        if not args.skip_rdflib:
            rdflib_run = run([sys.executable, "-c", RDFLIB, str(data), *map(str, files.values())])
            timings = json.loads(rdflib_run.stdout)
            memory = {"load": timings["load"], "peak_mb": rdflib_run.peak_mb}
            for name, path in files.items():
                seconds, count = timings[str(path)]
                assert count == rows[name], (name, count, rows[name])
                memory[name] = seconds

    def seconds(runs: dict[str, Run], name: str) -> float:
        return runs["load"].seconds + runs[name].seconds

    def peak(runs: dict[str, Run]) -> float:
        return max(r.peak_mb for r in runs.values())

    print(
        f"\n{'engine':<30} {'load s':>8} " + " ".join(f"{n + ' s':>13}" for n in QUERIES) + f" {'peak MB':>8}"
    )
    for label, runs in (("coprodkg load --store + query", ours), ("bare pyoxigraph script", bare)):
        cells = " ".join(f"{runs[n].seconds:>13.2f}" for n in QUERIES)
        print(f"{label:<30} {runs['load'].seconds:>8.2f} {cells} {peak(runs):>8.0f}")
    cells = " ".join(f"{in_memory[n].seconds:>13.2f}" for n in QUERIES)
    print(
        f"{'coprodkg query -s (in memory)':<30} {'(in query)':>8} {cells} {max(r.peak_mb for r in in_memory.values()):>8.0f}"
    )
    if memory:
        cells = " ".join(f"{float(memory[n]):>13.2f}" for n in QUERIES)  # type: ignore[arg-type]
        print(
            f"{'rdflib memory store':<30} {float(memory['load']):>8.2f} {cells} {float(memory['peak_mb']):>8.0f}"
        )  # type: ignore[arg-type]

    print("\nratios (load + query, each query on its own)")
    for name in QUERIES:
        time_ratio = seconds(ours, name) / seconds(bare, name)
        line = f"  {name:<11} coprodkg / pyoxigraph time {time_ratio:.2f}x (target <= 1.3x)"
        entry: dict[str, float] = {
            "coprodkg_s": seconds(ours, name),
            "pyoxigraph_s": seconds(bare, name),
            "time_vs_pyoxigraph": time_ratio,
        }
        if memory:
            rdflib_s = float(memory["load"]) + float(memory[name])  # type: ignore[arg-type]
            entry.update(rdflib_s=rdflib_s, speedup_vs_rdflib=rdflib_s / seconds(ours, name))
            line += f"; rdflib / coprodkg {rdflib_s / seconds(ours, name):.1f}x faster (target >= 8x)"
            entry.update(
                in_memory_s=in_memory[name].seconds,
                in_memory_speedup_vs_rdflib=rdflib_s / in_memory[name].seconds,
            )
            line += f"; rdflib / coprodkg in memory {rdflib_s / in_memory[name].seconds:.1f}x faster"
        results[name] = entry
        print(line)
    memory_ratio = peak(ours) / peak(bare)
    results.update(
        load={"coprodkg_s": ours["load"].seconds, "pyoxigraph_s": bare["load"].seconds},
        peak_mb={
            "coprodkg": peak(ours),
            "pyoxigraph": peak(bare),
            **({"rdflib": memory["peak_mb"]} if memory else {}),
        },
        memory_vs_pyoxigraph=memory_ratio,
    )
    print(f"  peak memory coprodkg / pyoxigraph {memory_ratio:.2f}x (target <= 1.3x)")

    help_s, typer_s = median_times(
        [str(BIN / "coprodkg"), "--help"], [sys.executable, "-c", "import typer"], args.repeat
    )
    results.update(help_s=help_s, import_typer_s=typer_s, help_vs_typer=help_s / typer_s)
    print(
        f"\ncoprodkg --help {help_s * 1000:.0f} ms; python -c 'import typer' {typer_s * 1000:.0f} ms: "
        f"{help_s / typer_s:.2f}x  (target <= 1.5x)"
    )

    out = HERE / "results" / "engine.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {out.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
