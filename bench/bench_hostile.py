"""How much a hostile endpoint costs the client: time and peak memory, against ``coprodkg --help``.

Four misbehaving loopback servers (the ones in tests/test_remote.py) each answer a child
``coprodkg query``: one streams forever (with ``--max-bytes 5000000``), one sends a byte every
0.2 s (with ``--timeout 2``), one sends JSON nested 100,000 deep, one an RDF/XML entity bomb.
Each child's peak memory is its max RSS (``os.wait4``, through a small launcher); the baseline is
the same query answered by a well-behaved loopback endpoint, run the same way, side by side.
Prints one line per case with the ratios to the baseline.

    python bench/bench_hostile.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.servers import loopback, run_child
from tests.test_remote import _BOMB, _DEEP, _drip, _serve_body, _stream_forever

CASES = [
    ("stream-forever", _stream_forever, ["query", "themes", "--max-bytes", "5000000"]),
    ("one-byte-drip", _drip, ["query", "themes", "--timeout", "2"]),
    ("deep-json", _serve_body(_DEEP, "application/sparql-results+json"), ["query", "themes"]),
    (
        "entity-bomb",
        _serve_body(_BOMB, "application/rdf+xml"),
        ["query", "-e", "CONSTRUCT WHERE { ?s ?p ?o }"],
    ),
]


_HEALTHY = b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]}}'


def main() -> None:
    """Run the baseline and each case; print time and peak memory with their ratios."""
    with loopback(_serve_body(_HEALTHY, "application/sparql-results+json")) as url:
        base = run_child(["query", "-e", "SELECT ?n {}", "--endpoint", f"{url}/sparql"])
    print(
        f"{'baseline (a healthy answer)':28} {base.seconds:6.2f} s {base.peak_rss_mb:6.0f} MiB  (exit {base.code})"
    )
    for name, handle, args in CASES:
        with loopback(handle) as url:
            run = run_child([*args, "--endpoint", f"{url}/sparql"])
        print(
            f"{name:28} {run.seconds:6.2f} s {run.peak_rss_mb:6.0f} MiB  "
            f"(x{run.seconds / base.seconds:.1f} time, x{run.peak_rss_mb / base.peak_rss_mb:.2f} memory, exit {run.code})"
        )


if __name__ == "__main__":
    main()
