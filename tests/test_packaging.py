"""The package: a wheel that carries the bundled data, and a public API listed once."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import coprodkg
from coprodkg.resources import ontology_dir, queries_dir

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("coprodkg-*.whl")
    return found


def test_the_wheel_carries_every_bundled_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, prefix in ((ontology_dir(), "ontology"), (queries_dir(), "queries")):
        for path in folder.rglob("*"):
            if path.is_file():
                assert f"coprodkg/_data/{prefix}/{path.relative_to(folder).as_posix()}" in names
    assert "coprodkg/py.typed" in names


def test_the_installed_wheel_finds_its_data(wheel: Path, tmp_path: Path) -> None:
    zipfile.ZipFile(wheel).extractall(tmp_path)
    code = (
        f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n"
        "import coprodkg, coprodkg.resources as r\n"
        f"assert coprodkg.__file__.startswith({str(tmp_path)!r}), coprodkg.__file__\n"
        "print(r.ontology_dir()); print(len(coprodkg.load_graph()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    folder, triples = out.stdout.split()
    assert folder == str(tmp_path / "coprodkg" / "_data" / "ontology")
    assert int(triples) == len(coprodkg.load_graph())


def test_public_api_is_sorted_and_importable() -> None:
    assert coprodkg.__all__ == sorted(coprodkg.__all__)
    assert set(coprodkg.__all__) == {"__version__", *coprodkg._LAZY}
    for name in coprodkg.__all__:
        assert getattr(coprodkg, name) is not None, name
    with pytest.raises(AttributeError):
        coprodkg.no_such_thing  # noqa: B018


def test_public_names_are_not_shadowed_by_modules() -> None:
    import coprodkg.lookup  # a module imported first must not hide a function of the same name
    from coprodkg import describe, project, search

    assert callable(describe) and callable(search) and callable(project)
    assert not isinstance(describe, type(coprodkg))


def _imported_private_names(path: Path) -> list[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}: {alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]


def test_no_module_imports_another_modules_private_names() -> None:
    """A name with a leading underscore belongs to its module: share it under a public name."""
    files = [p for folder in ("src", "tests", "bench") for p in sorted((ROOT / folder).rglob("*.py"))]
    assert files
    assert [hit for path in files for hit in _imported_private_names(path)] == []
