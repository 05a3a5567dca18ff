"""Every command on evidence maps of N studies, each beside its floor, in the same run.

For each N it generates a map (bench/generate_map.py), then runs each step as a whole process,
coprodkg and its floor (bench/floor.py: the same job as a bare pyoxigraph script with the best
library for the step) alternately, ``--repeat`` times. It prints the median seconds and peak
memory (max RSS) of both, their ratios against the targets, and each step's growth exponent
between the two largest N (``log(t2/t1) / log(N2/N1)``). Results go to bench/results/scale.json.

    python bench/bench_scale.py --sizes 11 100      # make bench-scale
    python bench/bench_scale.py --sizes 11 100 300 --repeat 3 3 1
    python bench/bench_scale.py --sizes 22 --steps analyse path --repeat 1

N counts studies, the bundled ones included: with the evidence map's eleven studies bundled, the
smallest map is N=11 (``--sizes 11 100 300``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

from generate_map import generate, templates  # noqa: E402
from jena_shacl import UnavailableError, command  # noqa: E402

QUERY = "data-sources"  # a named query with no parameters, over every study's data sources
PROJECT = "import sys; from coprodkg import load_graph; from coprodkg.projection import project; project(load_graph(sys.argv[1:]))"

#: Step -> (what it is, time target, whose the target is).
TARGETS: dict[str, tuple[str, float]] = {
    "info": ("`info`", 1.5),
    "query": (f"named query (`query {QUERY}`)", 1.5),
    "load": ("`load --store`", 1.5),
    "query-store": ("`query --store`", 1.5),
    "validate": ("`validate`", 2.0),
    "project": ("the projection (`project()`)", 1.5),
    "path": ("`path A B`", 2.0),
    "viz": ("`viz`", 2.0),
    "graphml": ("`export -f graphml`", 1.5),
    "analyse": ("`analyse`", 2.0),
}
ANCHORS = {
    "info": "pyoxigraph load + counts",
    "query": "pyoxigraph load + query",
    "load": "pyoxigraph bulk_load",
    "query-store": "pyoxigraph open + query",
    "validate": "pyoxigraph load + pySHACL (advanced=False)",
    "project": "pyoxigraph load + the same rows",
    "path": "rows + igraph shortest path",
    "viz": "rows + igraph layout",
    "graphml": "rows + networkx write_graphml",
    "analyse": "rows + igraph betweenness, PageRank, multilevel",
}
#: Step -> (a second, closer floor, its floor.py step): run in the same rotation, reported as a row.
SECOND_FLOORS = {
    "validate": ("pyoxigraph load + pyshacl-turbo (the engine `validate` runs)", "validate-turbo"),
}
MEMORY_TARGET = 1.5
GROWTH_TARGET = 1.15


@dataclass
class Run:
    seconds: float
    peak_mb: float


def run(argv: list[str], env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> Run:
    """Run one process; its wall time and peak RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})}
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise SystemExit(f"{' '.join(argv[:4])} failed ({code}): {stderr[-800:]}")
    return Run(seconds, usage.ru_maxrss / 1024)


def bundled_files() -> list[Path]:
    ontology = ROOT / "ontology"
    return sorted(p for p in ontology.rglob("*") if p.suffix in (".ttl", ".nt"))


def jobs(n: int, work: Path) -> dict[str, tuple[list[str], list[str], dict[str, str], tuple[int, ...]]]:
    """Step -> (coprodkg's command, the floor's command, environment, accepted exit codes).

    A step with a second floor (:data:`SECOND_FLOORS`) has it under ``STEP+``."""
    from coprodkg.catalogue import find_query
    from coprodkg.sparql import with_prefixes

    bundled = len(templates(ROOT / "ontology" / "content"))
    if n < bundled:
        raise SystemExit(
            f"bench_scale.py: the bundled content already holds {bundled} studies: use N >= {bundled}"
        )
    folder = work / f"map{n}"
    generated = generate(n, folder)
    files = [str(p) for p in [*bundled_files(), *generated]]
    query = work / "query.rq"
    query.write_text(with_prefixes(find_query(QUERY).text), encoding="utf-8")
    ck, py, floor = str(BIN / "coprodkg"), sys.executable, str(HERE / "floor.py")
    last = f"--m{(n - 1) // bundled}" if n > bundled else ""  # the seed's last copy (generate_map.py)
    start, end = "cpkid:theme-1", f"cpkid:capacity-for-sustained-evidence-use{last}"
    iri = "https://w3id.org/coprodkg/id/"
    path_env = {"FLOOR_FROM": iri + start[6:], "FLOOR_TO": iri + end[6:]}
    mine = [str(folder)] if generated else []  # N = the bundled studies: nothing generated
    src = ["-s", *mine] if mine else []
    return {
        "info": ([ck, "info", *src], [py, floor, "info", "-", *files], {}, (0,)),
        "query": ([ck, "query", QUERY, *src, "-f", "csv"], [py, floor, "query", "-", str(query), *files], {}, (0,)),
        "load": ([ck, "load", *mine, "--store", str(work / "ck-store")], [py, floor, "load", str(work / "ox-store"), *files], {}, (0,)),
        "query-store": ([ck, "query", QUERY, "--store", str(work / "ck-store"), "-f", "csv"], [py, floor, "query-store", str(work / "ox-store"), str(query)], {}, (0,)),
        "validate": ([ck, "validate", *src], [py, floor, "validate", "-", *files], {}, (0, 1)),
        "project": ([py, "-c", PROJECT, *mine], [py, floor, "rows", "-", *files], {}, (0,)),
        "path": ([ck, "path", start, end, *src], [py, floor, "path", "-", *files], path_env, (0, 1)),
        "viz": ([ck, "viz", *src, "-o", str(work / "ck.html")], [py, floor, "viz", str(work / "ox.txt"), *files], {}, (0,)),
        "graphml": ([ck, "export", "-f", "graphml", *src, "-o", str(work / "ck.graphml")], [py, floor, "graphml", str(work / "ox.graphml"), *files], {}, (0,)),
        "analyse": ([ck, "analyse", *src, "--top", "20"], [py, floor, "analyse", "-", *files], {}, (0,)),
        **{f"{step}+": ([], [py, floor, second, "-", *files], {}, (0, 1)) for step, (_, second) in SECOND_FLOORS.items()},
    }  # fmt: skip


def measure(steps: list[str], n: int, repeat: int, work: Path) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    table = jobs(n, work)
    for step in steps:
        ours_cmd, floor_cmd, env, ok = table[step]
        ours: list[Run] = []
        floor: list[Run] = []
        second: list[Run] = []
        for i in range(repeat):
            if step == "load":  # a fresh store each time
                for d in ("ck-store", "ox-store"):
                    shutil.rmtree(work / d, ignore_errors=True)
            pair = [(ours, ours_cmd), (floor, floor_cmd)]
            if step in SECOND_FLOORS:  # three in turn: each goes first once every three runs
                pair.append((second, table[step + "+"][1]))
                turn = i % len(pair)
                order = pair[turn:] + pair[:turn]
            else:
                order = pair if i % 2 == 0 else pair[::-1]
            for runs, cmd in order:
                runs.append(run(cmd, env, ok))
        out[step] = {
            "coprodkg_s": statistics.median(r.seconds for r in ours),
            "floor_s": statistics.median(r.seconds for r in floor),
            "coprodkg_mb": statistics.median(r.peak_mb for r in ours),
            "floor_mb": statistics.median(r.peak_mb for r in floor),
        }
        if second:
            out[step].update(
                floor2_s=statistics.median(r.seconds for r in second),
                floor2_mb=statistics.median(r.peak_mb for r in second),
            )
        if step == "validate":
            out[step].update(jena(n, work, repeat))
        row = out[step]
        print(
            f"  N={n:<4} {step:<12} coprodkg {row['coprodkg_s']:7.2f} s {row['coprodkg_mb']:6.0f} MB   "
            f"floor {row['floor_s']:7.2f} s {row['floor_mb']:6.0f} MB   "
            f"{row['coprodkg_s'] / row['floor_s']:.2f}x",
            flush=True,
        )
        if "floor2_s" in row:
            print(
                f"  N={n:<4} {step + '+':<12} coprodkg {row['coprodkg_s']:7.2f} s {row['coprodkg_mb']:6.0f} MB   "
                f"floor {row['floor2_s']:7.2f} s {row['floor2_mb']:6.0f} MB   "
                f"{row['coprodkg_s'] / row['floor2_s']:.2f}x   (floor: {SECOND_FLOORS[step][0]})",
                flush=True,
            )
    return out


JENA: dict[str, str] = {}  # why Jena SHACL could not be run, once found out


def jena(n: int, work: Path, repeat: int) -> dict[str, float]:
    """Jena SHACL on the same data (one N-Triples file of the union) and shapes: median s and MB."""
    if "reason" in JENA:
        return {}
    import pyoxigraph as ox

    data = work / f"jena{n}.nt"
    store = ox.Store()
    for f in [*bundled_files(), *sorted((work / f"map{n}").glob("*"))]:
        store.load(path=str(f), format=ox.RdfFormat.from_extension(f.suffix[1:]))
    with data.open("wb") as out:
        ox.serialize(store, out, ox.RdfFormat.N_TRIPLES)
    try:
        argv = command(str(data))
    except UnavailableError as error:
        JENA["reason"] = str(error)
        print(f"  Jena SHACL unavailable: {error}", flush=True)
        return {}
    runs = [run(argv, ok=(0, 1)) for _ in range(repeat)]
    return {
        "jena_s": statistics.median(r.seconds for r in runs),
        "jena_mb": statistics.median(r.peak_mb for r in runs),
    }


def report(results: dict[int, dict[str, dict[str, float]]], steps: list[str]) -> str:
    """The table as Markdown: every step against its floor at each N, the targets marked."""
    sizes = sorted(results)
    big = sizes[-1]
    head = ["step", "floor (same data, same run)"]
    for n in sizes:
        head += [f"N={n}"]
    head += [f"ratio at N={big} (target)", f"memory at N={big} (target ≤ {MEMORY_TARGET}×)"]
    growth = len(sizes) >= 2 and sizes[-2] >= 10
    if growth:
        head.append(f"growth N={sizes[-2]}→{big} (target ≤ {GROWTH_TARGET})")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for step in steps:
        floors = [("floor", ANCHORS[step])]
        if step in SECOND_FLOORS and "floor2_s" in results[big][step]:
            floors.append(("floor2", SECOND_FLOORS[step][0]))
        for key, anchor in floors:
            name, target = TARGETS[step]
            cells = [name, anchor]
            for n in sizes:
                r = results[n][step]
                cells.append(f"{r['coprodkg_s']:.2f} s / {r[key + '_s']:.2f} s")
            r = results[big][step]
            ratio = r["coprodkg_s"] / r[key + "_s"]
            memory = r["coprodkg_mb"] / r[key + "_mb"]
            cells.append(f"{ratio:.2f}× (≤ {target}×) {'met' if ratio <= target else '**not met**'}")
            cells.append(
                f"{r['coprodkg_mb']:.0f} / {r[key + '_mb']:.0f} MB = {memory:.2f}× "
                + ("met" if memory <= MEMORY_TARGET else "**not met**")
            )
            if growth:
                a, b = results[sizes[-2]][step]["coprodkg_s"], r["coprodkg_s"]
                exponent = math.log(b / a) / math.log(big / sizes[-2])
                exempt = step == "analyse"
                verdict = (
                    "exempt (exact betweenness)"
                    if exempt
                    else ("met" if exponent <= GROWTH_TARGET else "**not met**")
                )
                if sizes[-2] < 100:  # the target is for 100 -> 300 studies; below that start-up dominates
                    verdict = "(no verdict: the target is for N=100→300)"
                cells.append(f"{exponent:.2f} {verdict}")
            lines.append("| " + " | ".join(cells) + " |")
    if "validate" in steps:
        r = results[big]["validate"]
        if "jena_s" in r:
            ratio = r["coprodkg_s"] / r["jena_s"]
            lines.append(
                f"\n`validate` against Jena SHACL at N={big}: {r['coprodkg_s']:.2f} s / {r['jena_s']:.2f} s"
                f" = {ratio:.2f}× (target ≤ 2×) {'met' if ratio <= 2 else '**not met**'}"
            )
        else:
            lines.append(f"\n`validate` against Jena SHACL: not measured: {JENA.get('reason', 'not run')}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[11, 100])
    parser.add_argument(
        "--repeat",
        type=int,
        nargs="+",
        default=[3],
        help="runs of each side per step (median): one number, or one per size (--repeat 3 3 1)",
    )
    parser.add_argument("--steps", nargs="+", choices=list(TARGETS), default=list(TARGETS))
    args = parser.parse_args()
    if len(args.repeat) not in (1, len(args.sizes)):
        raise SystemExit("bench_scale.py: --repeat takes one number or one per size")
    repeats = dict(
        zip(args.sizes, args.repeat * len(args.sizes) if len(args.repeat) == 1 else args.repeat, strict=True)
    )
    results: dict[int, dict[str, dict[str, float]]] = {}
    load_before = os.getloadavg()[0]  # the machine's 1-minute load average: others' work on the cores
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        for n in args.sizes:
            print(f"N={n}", flush=True)
            results[n] = measure(args.steps, n, repeats[n], Path(tmp))
            shutil.rmtree(Path(tmp) / f"map{n}", ignore_errors=True)
    print()
    print(f"Medians of {'/'.join(map(str, repeats.values()))} paired runs: coprodkg s / floor s. Command: python "
          f"bench/bench_scale.py --sizes {' '.join(map(str, args.sizes))} --repeat {' '.join(map(str, args.repeat))}"
          f" --steps {' '.join(args.steps)}; load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")  # fmt: skip
    print(report(results, args.steps))
    out = HERE / "results" / "scale.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"repeat": repeats, "results": results}, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
