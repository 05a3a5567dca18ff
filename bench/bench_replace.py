"""Benchmark ``coprodkg load --store S --replace``: the atomic replace against the old in-place one.

The atomic replace builds the new content in a folder beside the store and swaps it in once
every file parsed and loaded (a failure leaves the store as it was). The old replace emptied the
store first (``Store.clear()``), then bulk-loaded into it, so a typo in the new file wiped it.
Both run side by side, alternating, each job in its own process, on a store already holding
``--triples`` triples and replacing them with as many new ones. Peak memory is each process's max
RSS (``os.wait4``); disk is the most the store's parent folder held during the job.

    python bench/bench_replace.py                     # 1M triples, 3 rounds (a few minutes)
    python bench/bench_replace.py --triples 100000    # a quick look

Results are printed as a table and written to ``bench/results/replace.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: The old in-place replace, as `fill_store(replace=True)` did it before it was made atomic.
IN_PLACE = """
import sys, pyoxigraph as ox
from pathlib import Path
import coprodkg.engine  # the same imports as the atomic job, so only the replace differs
store = ox.Store(sys.argv[1])
store.clear()
path = Path(sys.argv[2])
store.bulk_load(path=path, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(path.resolve().as_uri()))
store.flush()
"""

#: The atomic replace, through the library exactly as `coprodkg load --replace` calls it.
ATOMIC = """
import sys
from coprodkg.engine import fill_store
fill_store(sys.argv[1], [sys.argv[2]], bundled=False, replace=True).close()
"""


def write_triples(path: Path, count: int, tag: str) -> Path:
    """``count`` N-Triples statements, all distinct; ``tag`` makes two files' statements differ."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            out.write(
                f'<https://example.org/{tag}/{i % 5000}/{i}> <https://example.org/p/{i % 40}> "{tag} {i}" .\n'
            )
    return path


def folder_size(folder: Path) -> int:
    """Bytes held under ``folder`` (hard links counted once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                info = (Path(root) / name).lstat()
            except OSError:
                continue
            if (info.st_dev, info.st_ino) not in seen:
                seen.add((info.st_dev, info.st_ino))
                total += info.st_size
    return total


def run_job(script: str, store: Path, data: Path) -> tuple[float, float, float]:
    """Run one replace in its own process: (seconds, peak RSS in MB, peak disk in MB)."""
    peak_disk = [folder_size(store.parent)]
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            peak_disk[0] = max(peak_disk[0], folder_size(store.parent))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", script, str(store), str(data)])
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    watcher.join()
    if status != 0:
        raise SystemExit(f"job failed with status {status}")
    return seconds, usage.ru_maxrss / 1024, peak_disk[0] / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--triples", type=int, default=1_000_000, help="triples in the store and in the new file"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each job (alternating)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-replace-") as tmp:
        work = Path(tmp)
        first = write_triples(work / "first.nt", args.triples, "first")
        second = write_triples(work / "second.nt", args.triples, "second")
        timings: dict[str, list[tuple[float, float, float]]] = {"in-place": [], "atomic": []}
        for _ in range(args.rounds):
            for name, script in (("in-place", IN_PLACE), ("atomic", ATOMIC)):
                folder = work / name
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                store = folder / "S"
                run_job(ATOMIC, store, first)  # the store as it was: `triples` triples
                timings[name].append(run_job(script, store, second))

    rows = {}
    for name, runs in timings.items():
        rows[name] = {
            "seconds": statistics.median(r[0] for r in runs),
            "peak_rss_mb": statistics.median(r[1] for r in runs),
            "peak_disk_mb": statistics.median(r[2] for r in runs),
        }
    ratio = {k: rows["atomic"][k] / rows["in-place"][k] for k in rows["atomic"]}
    print(f"replace {args.triples:,} triples with {args.triples:,} new ones; median of {args.rounds} rounds")
    print(f"{'job':<10} {'time':>9} {'peak RSS':>10} {'peak disk':>10}")
    for name, row in [*rows.items(), ("ratio", ratio)]:
        unit = ("x", "x", "x") if name == "ratio" else (" s", " MB", " MB")
        print(
            f"{name:<10} {row['seconds']:>7.2f}{unit[0]:<2} {row['peak_rss_mb']:>7.0f}{unit[1]:<3}"
            f" {row['peak_disk_mb']:>7.0f}{unit[2]:<3}"
        )
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "replace.json").write_text(
        json.dumps({"triples": args.triples, "rounds": args.rounds, "jobs": rows, "ratio": ratio}, indent=2)
        + "\n"
    )


if __name__ == "__main__":
    main()
