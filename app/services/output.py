"""Writing output files whole or not at all.

Every file EcoMap writes (maps, reports, exports, generated CSV) goes through
:func:`atomic_open` (:func:`atomic_path` when another program, a browser, writes it): the data
goes to a temporary file in the target's folder, which replaces the target only once
everything is written and flushed to disk. A failure on the way (a full
disk, a folder that cannot be created, ...) removes the temporary file and leaves whatever was
there before untouched, and is raised as :class:`OutputError`, naming the file asked for.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Literal

__all__ = [
    "OutputError",
    "atomic_open",
    "atomic_path",
    "check_writable",
    "ensure_folder",
    "write_text_atomically",
]


class OutputError(OSError):
    """An output file or folder could not be written; ``filename`` is the one asked for.

    ``str()`` is one line: ``cannot write PATH: REASON``. An ``OSError`` (not an
    :class:`~app.errors.EcoMapError`): the user asked for nothing wrong, the system failed.
    """

    def __init__(self, path: Path, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause), str(path))

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror}"


def ensure_folder(path: Path) -> None:
    """Create the folder ``path`` (and its parents) unless it exists."""
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(path, exc) from exc


def check_writable(path: Path, *, folder: bool = False) -> None:
    """Fail early, before the work that produces an output: raise :class:`OutputError`
    unless a file can be created at ``path`` (in the folder ``path`` when ``folder``).

    Creates the missing folders, as writing would; leaves no file behind.
    """
    path = Path(path)
    try:
        if folder:
            path.mkdir(parents=True, exist_ok=True)
            fd, tmp = _create_temp(path / "check")
        else:
            if path.is_dir():
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = _create_temp(path)
        os.close(fd)
        tmp.unlink()
    except OSError as exc:
        raise OutputError(path, exc) from exc


def _create_temp(path: Path, *, suffix: str = "") -> tuple[int, Path]:
    """A new hidden file beside ``path``, with the permissions ``open()`` would give it.

    ``tempfile.mkstemp`` makes 0600 files, and reading the umask means changing it (for the
    whole process, threads included): ``os.open`` with 0666 applies the umask by itself.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp{suffix}")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue


def _open_fd(fd: int, mode: Literal["w", "wb"], newline: str | None) -> IO[Any]:
    if mode == "wb":
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding="utf-8", newline=newline)


@contextmanager
def atomic_open(
    path: Path, mode: Literal["w", "wb"] = "w", *, newline: str | None = None
) -> Iterator[IO[Any]]:
    """Open ``path`` for writing, all or nothing: a temporary file that replaces ``path`` when
    the ``with`` block ends without an exception, and is removed when it does not.

    Text mode writes UTF-8. Any ``OSError`` (creating the folder, writing, flushing,
    renaming) is raised as :class:`OutputError` naming ``path``; other exceptions are raised
    as they are. The folder is created when missing.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_temp(path)
    except OSError as exc:
        raise OutputError(path, exc) from exc
    try:
        handle = _open_fd(fd, mode, newline)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(path, exc) from exc
        raise


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` for a program to write (a browser printing a PDF),
    moved onto ``path`` when the ``with`` block ends without an exception and removed when
    it does not (interrupted included), as :func:`atomic_open` does for Python's writes.
    The temporary name ends in ``path``'s suffix (programs choose the format by it)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_temp(path, suffix=path.suffix.lower())
        os.close(fd)
    except OSError as exc:
        raise OutputError(path, exc) from exc
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(path, exc) from exc
        raise


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` with :func:`atomic_open`."""
    with atomic_open(path) as handle:
        handle.write(text)
