"""Where the bundled data lives: the checkout's own folders here, found the same from anywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import coprodkg.resources
from coprodkg.resources import ontology_dir, queries_dir, shapes_path

ROOT = Path(__file__).resolve().parents[1]


def test_an_editable_install_uses_the_checkouts_folders() -> None:
    assert ontology_dir() == ROOT / "ontology"
    assert queries_dir() == ROOT / "queries"
    assert shapes_path() == ROOT / "ontology" / "shapes.ttl"
    assert shapes_path().is_file()
    assert any(ontology_dir().rglob("*.ttl"))
    assert any(queries_dir().glob("*.rq"))


def test_the_working_directory_does_not_matter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "ontology").mkdir()
    (tmp_path / "queries").mkdir()
    monkeypatch.chdir(tmp_path)
    assert (ontology_dir(), queries_dir()) == (ROOT / "ontology", ROOT / "queries")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ontology", "pyproject.toml", "queries"]


def test_a_package_without_its_data_says_the_installation_is_broken(tmp_path: Path) -> None:
    package = tmp_path / "site" / "coprodkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    shutil.copy(coprodkg.resources.__file__, package / "resources.py")
    run = subprocess.run(
        [sys.executable, "-c", "from coprodkg.resources import queries_dir; queries_dir()"],
        env={**os.environ, "PYTHONPATH": str(tmp_path / "site")},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert "FileNotFoundError: coprodkg's bundled queries/ folder is missing" in run.stderr
