"""Writing outputs: the one function every file coprodkg writes goes through, and stdout.

:func:`write_file` never writes over an input: it compares files by identity (device and inode,
so a hard link or a symlink to a source is caught, not only the same path), and refuses any path
inside a protected folder (an on-disk store being read, the bundled ontology). It writes a
temporary file in the target's own folder and renames it over the target only once it is
complete, so a full disk or a Ctrl-C leaves the old file as it was. Operating-system errors are
translated into :class:`~coprodkg.errors.OutputError` here, once.

``-`` as a path means stdout (:func:`is_stdout`). Text for a terminal has its control characters
escaped (:func:`escape_control`), so data cannot drive the terminal.

A folder (an on-disk store) is replaced the same way: built in :func:`staging_folder`, then put
in place by :func:`swap_in` in one step.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import OutputError

__all__ = [
    "STDIO",
    "check_output",
    "discard_folder",
    "escape_control",
    "is_stdout",
    "protected_identities",
    "replacing",
    "staging_folder",
    "swap_in",
    "write_file",
    "write_stdout",
]

#: The path that means stdin (for a source) or stdout (for an output).
STDIO = "-"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_ALL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def escape_control(text: str, *, keep_lines: bool = True) -> str:
    r"""``text`` with control characters shown as escapes (``\x1b``), so a terminal only displays them.

    Newlines and tabs are kept unless ``keep_lines`` is false (a table cell, one error line).

    >>> escape_control("red \x1b[31m alarm\x07")
    'red \\x1b[31m alarm\\x07'
    >>> escape_control("a\tb\nc", keep_lines=False)
    'a\\tb\\nc'
    """
    pattern = _CONTROL if keep_lines else _CONTROL_ALL
    return pattern.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


def is_stdout(path: Path | str | None) -> bool:
    """Whether an output path means stdout: none given, or ``-``."""
    return path is None or str(path) == STDIO


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def protected_identities(paths: Iterable[Path]) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """The files and the folders (by device and inode) that ``paths`` stand for: a folder stands
    for itself, every folder below it and every file in them."""
    files: set[tuple[int, int]] = set()
    folders: set[tuple[int, int]] = set()
    for path in paths:
        if str(path) == STDIO:
            continue
        if Path(path).is_dir():
            for root, _dirs, names in os.walk(path):
                if (found := _identity(Path(root))) is not None:
                    folders.add(found)
                files.update(i for n in names if (i := _identity(Path(root) / n)) is not None)
        elif (found := _identity(Path(path))) is not None:
            files.add(found)
    return files, folders


def check_output(path: Path | str, protect: Iterable[Path] = ()) -> None:
    """Refuse an output path that is a folder, or one of ``protect``'s files or inside its folders."""
    shown = Path(path)
    target = Path(os.path.realpath(shown))
    if target.is_dir():
        raise OutputError(f"{shown} is a folder: give a file name")
    if not target.parent.is_dir():
        raise OutputError(f"cannot write {shown}: the folder {shown.parent} does not exist")
    files, folders = protected_identities(protect)
    if _identity(target) in files:
        raise OutputError(
            f"refusing to overwrite {shown}: it is one of the inputs being read; choose another file"
        )
    for folder in [target.parent, *target.parent.parents]:
        if _identity(folder) in folders:
            raise OutputError(
                f"refusing to overwrite {shown}: it lies inside {folder}, which is being read; choose another folder"
            )


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "no space left on the device"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.EROFS:
        return "the file system is read-only"
    return error.strerror or str(error)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_file(path: Path | str, data: str | bytes, *, protect: Iterable[Path] = ()) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` all at once, never over anything in ``protect``.

    The content goes to a temporary file in the same folder, which is renamed over ``path`` once
    complete: a failure (full disk, no permission, Ctrl-C) leaves ``path`` as it was. A symlink is
    followed and its target replaced. Returns ``path``.

    >>> folder = Path(tempfile.mkdtemp())
    >>> source = folder / "a.ttl"
    >>> _ = source.write_text("<a> <b> <c> .")
    >>> write_file(folder / "b.ttl", "x").read_text()
    'x'
    >>> write_file(source, "x", protect=[source])
    Traceback (most recent call last):
    ...
    coprodkg.errors.OutputError: refusing to overwrite ...a.ttl: it is one of the inputs being read; choose another file
    """
    shown = Path(path)
    target = Path(os.path.realpath(shown))
    check_output(shown, protect)
    content = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mode = 0o666 & ~_umask()
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        temporary = Path(name)
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        temporary.chmod(mode)
        temporary.replace(target)
        temporary = None
    except OSError as error:
        raise OutputError(f"cannot write {shown}: {_reason(error)}") from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
    return shown


def write_stdout(data: str | bytes) -> None:
    """Write to stdout; text for a terminal has its control characters escaped.

    A full or closed stdout is an :class:`OutputError` (one line), not a traceback.
    """
    out = sys.stdout
    if isinstance(data, str):
        if out.isatty():
            data = escape_control(data)
        data = data.encode(out.encoding or "utf-8", errors="replace")
    try:
        fileno = out.fileno()
    except (OSError, ValueError, AttributeError):
        fileno = None  # an in-memory stdout (tests, notebooks)
    try:
        if fileno is None:
            if hasattr(out, "buffer"):
                out.buffer.write(data)
            else:
                out.write(data.decode("utf-8"))
            out.flush()
            return
        out.flush()
        view = memoryview(data)
        while view:
            view = view[os.write(fileno, view) :]
    except BrokenPipeError:
        _silence_stdout()
    except OSError as error:
        _silence_stdout()
        raise OutputError(f"cannot write to stdout: {_reason(error)}") from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush cannot fail a second time."""
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(null)


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[None]:
    """Hold the right to replace ``target``: one replacer at a time, the others wait their turn.

    The lock is on the folder holding ``target`` (a store cannot be locked itself: it is swapped),
    so two loads never build on the same old store and lose one another's changes.
    """
    parent = target.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(parent, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


def staging_folder(target: Path) -> Path:
    """A new empty folder beside ``target`` (same file system), to build its replacement in."""
    parent = target.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=".new"))


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap_in(staging: Path, target: Path) -> None:
    """Put the folder ``staging`` in ``target``'s place and delete what was there.

    Where the system allows it the two are exchanged in one atomic step, so a reader or a crash
    sees either the old folder or the new one, never neither.
    """
    if target.exists() and _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)
        return
    if not target.exists():
        staging.rename(target)
        return
    old = Path(tempfile.mkdtemp(dir=target.absolute().parent, prefix=f".{target.name}.", suffix=".old"))
    old.rmdir()
    target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def discard_folder(folder: Path) -> None:
    """Delete a staging folder, even while abandoned work may still be writing into it."""
    trash = folder.with_name(folder.name + ".discarded")
    with contextlib.suppress(OSError):
        folder.rename(trash)  # work still writing by path now fails instead of recreating files
        folder = trash
    shutil.rmtree(folder, ignore_errors=True)
