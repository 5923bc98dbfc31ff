"""Writing files so that a reader never sees half of one, and a folder one writer at a time."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import CxError


def replace_atomic(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Create ``path`` by calling ``write(tmp)`` on a temporary file, then renaming it into place.

    ``write`` may be any writer that takes a path (``DataFrame.to_excel``, ``Path.write_bytes``).
    On error the temporary file is removed and an existing ``path`` is left untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=f".tmp{path.suffix}")
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file renamed into place."""
    return replace_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes, read in blocks of 1 MiB."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class FolderBusy(CxError):
    """Another process holds the folder's lock (:func:`folder_lock`)."""


@contextlib.contextmanager
def folder_lock(folder: Path, what: str) -> Iterator[Path]:
    """Hold ``folder``'s lock (the file ``.cxwb.lock`` in it) for the ``with`` block.

    Raises :class:`FolderBusy` at once, without waiting, when another process holds it; ``what``
    names the folder's kind in that message. The operating system releases the lock when its
    process ends, however it ends, so a killed run never leaves the folder locked.
    """
    lock = FileLock(folder / ".cxwb.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise FolderBusy(f"Another run is writing the {what} in {folder}; let it finish, or choose another "
                         f"folder (--out).") from None
    try:
        yield folder
    finally:
        lock.release()
