"""The one file writer: never over an input (by identity), all at once, errors as one line."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from coprodkg.errors import OutputError
from coprodkg.files import check_output, escape_control, staging_folder, swap_in, write_file


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "a.ttl"
    path.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    return path


def test_writes_all_at_once_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("old")
    target.chmod(0o640)
    write_file(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


@pytest.mark.parametrize("link", ["same path", "hard link", "symlink", "relative path"])
def test_inputs_are_recognised_by_identity(
    tmp_path: Path, source: Path, link: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "b.ttl"
    if link == "same path":
        target = source
    elif link == "hard link":
        os.link(source, target)
    elif link == "symlink":
        target.symlink_to(source)
    else:
        monkeypatch.chdir(tmp_path)
        target = Path("sub/../a.ttl")
        (tmp_path / "sub").mkdir()
    with pytest.raises(OutputError, match=r"refusing to overwrite .*inputs being read"):
        write_file(target, "x", protect=[source])
    assert source.read_text() == "<urn:a> <urn:b> <urn:c> .\n"


def test_nothing_is_written_inside_a_protected_folder(tmp_path: Path) -> None:
    store = tmp_path / "store"
    (store / "deeper").mkdir(parents=True)
    for target in (store / "new.ttl", store / "deeper" / "x"):
        with pytest.raises(OutputError, match="lies inside"):
            write_file(target, "x", protect=[store])
    assert not (store / "new.ttl").exists()


def test_folders_and_missing_folders_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder"):
        check_output(tmp_path)
    with pytest.raises(OutputError, match="does not exist"):
        write_file(tmp_path / "nope" / "x.ttl", "x")


def test_swap_in_replaces_a_folder_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "S"
    target.mkdir()
    (target / "old").write_text("old")
    staging = staging_folder(target)
    (staging / "new").write_text("new")
    swap_in(staging, target)
    assert [p.name for p in target.iterdir()] == ["new"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["S"]
    fresh = staging_folder(tmp_path / "T")
    swap_in(fresh, tmp_path / "T")
    assert (tmp_path / "T").is_dir()


def test_escape_control_leaves_ordinary_text() -> None:
    assert escape_control("café — ok\n") == "café — ok\n"
    assert escape_control("\x1b[2J\x9b") == "\\x1b[2J\\x9b"
