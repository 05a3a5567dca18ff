"""What the line numbers of ``coprodkg validate`` cost: the Turtle position scan against the rest.

Runs, side by side on the same files: the whole validation (parse, SHACL, the hand-editing
checks, line numbers), the same without the position scan, and the scan alone. With
``--map N`` it adds a generated map of N studies (``bench/generate_map.py``, when it is there).

    python bench/bench_validate.py
    python bench/bench_validate.py --map 100

Results are printed and written to ``bench/results/validate.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def measure(sources: list[Path], repeat: int) -> dict[str, float]:
    import coprodkg.validation as validation
    from coprodkg.engine import source_paths
    from coprodkg.positions import scan_turtle

    paths = [p for p in source_paths(sources) if p.suffix in (".ttl", ".nt")]

    def scan() -> None:
        for path in paths:
            scan_turtle(path.read_text(encoding="utf-8"), path.as_uri())

    def full() -> None:
        validation.validate_sources(sources)

    def without() -> None:
        real = validation.scan_turtle
        validation.scan_turtle = lambda text, base: validation.FilePositions()  # type: ignore[assignment]
        try:
            validation.validate_sources(sources)
        finally:
            validation.scan_turtle = real

    times = {}
    for name, job in (("validate", full), ("validate without lines", without), ("position scan alone", scan)):
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            job()
            runs.append(time.perf_counter() - start)
        times[name] = statistics.median(runs)
    return times


def report(name: str, times: dict[str, float]) -> dict[str, object]:
    base = times["validate without lines"]
    for what, seconds in times.items():
        print(f"{name:<10} {what:<24} {seconds:8.3f} s  x{seconds / base:5.2f}")
    return {"graph": name, **{k: round(v, 3) for k, v in times.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--map", type=int, default=0, help="also a generated map of this many studies")
    args = parser.parse_args()
    results = [report("bundled", measure([], args.repeat))]
    if args.map:
        try:
            from generate_map import generate
        except ImportError:
            print("bench/generate_map.py is not here: the map is not measured")
        else:
            with tempfile.TemporaryDirectory() as folder:
                generate(args.map, Path(folder))
                results.append(report(f"map-{args.map}", measure([Path(folder)], 1)))
    out = HERE / "results" / "validate.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
