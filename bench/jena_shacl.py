"""Jena SHACL, the anchor of `validate`'s target: its ``shacl validate`` on the same data and shapes.

The jars come from, in order:

1. ``bench/jena/lib/`` (git ignores it), filled once by ``mvn dependency:copy-dependencies`` with
   ``bench/jena/pom.xml`` (org.apache.jena:jena-shacl 5.6.0 and jena-cmds);
2. Debian's ``libapache-jena-java`` (Jena 4.5.0, ``apt-get install libapache-jena-java``), its jars
   and those of the packages it depends on, under ``/usr/share/java``.

    python bench/jena_shacl.py DATA.nt [SHAPES.ttl]     # prints the number of results; exit 0/1

:func:`command` returns the java command line, or raises :class:`UnavailableError` saying exactly why
none of the two could be run (bench_scale.py prints that reason in its table).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
POM = HERE / "jena" / "pom.xml"
LIB = HERE / "jena" / "lib"
SHAPES = HERE.parent / "ontology" / "shapes.ttl"
DEBIAN = "libapache-jena-java"
#: slf4j bindings and bridges that clash with each other; slf4j-nop stays, to keep Jena quiet.
CLASHES = ("log4j-over", "slf4j-log4j12", "slf4j-jdk", "slf4j-simple", "jcl-over", "slf4j-jcl")


class UnavailableError(Exception):
    """Jena SHACL cannot be fetched or run on this machine; the message says why."""


def _fetch() -> str:
    """Fill bench/jena/lib with Maven; '' when done, else Maven's reason."""
    if not shutil.which("mvn"):
        return "mvn is not installed"
    done = subprocess.run(
        ["mvn", "-q", "-B", "-f", str(POM), "dependency:copy-dependencies", f"-DoutputDirectory={LIB}"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode == 0 and any(LIB.glob("jena-shacl-*.jar")):
        return ""
    lines = [line for line in done.stdout.splitlines() if "Unknown host" in line or "Could not" in line]
    reason = lines[0] if lines else done.stdout.strip()[-300:]
    if "Unknown host" in reason:
        return "Maven cannot reach its central repository from this machine (unknown host)"
    return f"mvn dependency:copy-dependencies failed: {reason[:300]}"


def _debian_jars() -> list[str]:
    """The jars of Debian's Jena and of every Java package it depends on."""
    deps = subprocess.run(
        ["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", DEBIAN],
        capture_output=True,
        text=True,
    ).stdout.split()
    packages = {p for p in deps if p.endswith("-java") and not p.startswith("<")} | {DEBIAN}
    listed = subprocess.run(["dpkg", "-L", *sorted(packages)], capture_output=True, text=True).stdout
    jars = {
        line
        for line in listed.splitlines()
        if line.startswith("/usr/share/java/") and line.endswith(".jar") and Path(line).is_file()
    }
    # each jar is there twice, as name.jar and name-VERSION.jar: keep the unversioned one
    unversioned = {j for j in jars if not Path(j).stem.rsplit("-", 1)[-1][:1].isdigit()}
    return sorted(j for j in unversioned if not any(c in Path(j).name for c in CLASHES))


def _works(classpath: str) -> str:
    """'' when Jena's shacl command starts with this classpath, else the first error it prints."""
    empty = HERE / "jena" / "empty.nt"
    empty.parent.mkdir(exist_ok=True)
    empty.write_text("", encoding="utf-8")
    done = subprocess.run(
        ["java", "-cp", classpath, "shacl.shacl", "validate", "--data", str(empty), "--shapes", str(SHAPES)],
        capture_output=True,
        text=True,
    )
    if done.returncode in (0, 1) and "Exception" not in done.stderr:
        return ""
    lines = [line.strip() for line in done.stderr.splitlines()]
    causes = [i for i, line in enumerate(lines) if "Caused by" in line or "Exception" in line]
    return " ".join(lines[causes[-1] : causes[-1] + 2]) if causes else done.stderr.strip()[-300:]


def command(data: str, shapes: str = str(SHAPES)) -> list[str]:
    """The java command that validates DATA against SHAPES with Jena SHACL."""
    if not shutil.which("java"):
        raise UnavailableError("java is not installed")
    reasons = []
    if not any(LIB.glob("jena-shacl-*.jar")):
        reason = _fetch()
        if reason:
            reasons.append(f"jena-shacl 5.6.0: {reason}")
    candidates = []
    if any(LIB.glob("jena-shacl-*.jar")):
        candidates.append(("jena-shacl 5.6.0", f"{LIB}/*"))
    if shutil.which("dpkg") and Path("/usr/share/java/jena-shacl.jar").is_file():
        candidates.append((f"Debian's {DEBIAN} (Jena 4.5.0)", ":".join(_debian_jars())))
    else:
        reasons.append(f"Debian's {DEBIAN} is not installed (apt-get install {DEBIAN})")
    for name, classpath in candidates:
        reason = _works(classpath)
        if not reason:
            return ["java", "-cp", classpath, "shacl.shacl", "validate", "--data", data, "--shapes", shapes]
        reasons.append(f"{name} does not start: {reason}")
    raise UnavailableError("; ".join(reasons))


def main() -> None:
    data, shapes = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else str(SHAPES)
    try:
        argv = command(data, shapes)
    except UnavailableError as error:
        raise SystemExit(f"jena_shacl.py: Jena SHACL unavailable: {error}") from None
    report = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    results = report.count("sh:ValidationResult")
    print(results)
    sys.exit(1 if results else 0)


if __name__ == "__main__":
    main()
