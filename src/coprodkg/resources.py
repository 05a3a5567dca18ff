"""Where the bundled ``ontology/`` and ``queries/`` live — the only module that knows.

In an editable install (a checkout) they are the checkout's own folders; in a wheel they are
package data under ``coprodkg/_data``. Nothing here is computed from the working directory, and
nothing is ever written there.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["ontology_dir", "queries_dir", "shapes_path"]


def _bundled(name: str) -> Path:
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / name).is_dir():
        return root / name
    packaged = Path(str(resources.files("coprodkg") / "_data" / name))
    if packaged.is_dir():
        return packaged
    raise FileNotFoundError(f"coprodkg's bundled {name}/ folder is missing: the installation is broken")


def ontology_dir() -> Path:
    """The folder of bundled Turtle: schema, shapes and the study's content.

    >>> (ontology_dir() / "shapes.ttl").is_file()
    True
    """
    return _bundled("ontology")


def queries_dir() -> Path:
    """The folder of bundled named queries (``*.rq``)."""
    return _bundled("queries")


def shapes_path() -> Path:
    """The bundled SHACL shapes file."""
    return ontology_dir() / "shapes.ttl"
