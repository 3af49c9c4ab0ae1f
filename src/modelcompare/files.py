"""Writing files so that a failed write never leaves a half-written one.

Every file modelcompare writes (tables, ``compare -o``, the unit cache) goes
through :func:`write_atomically`: the data goes to a temporary file in the
same folder, is flushed to disk, and is renamed over the target in one step.
A reader sees the old file or the whole new one; a failure (a full disk, a
folder that cannot be written) leaves the old file as it was, or none, and
removes the temporary file. The error is an :class:`OSError` naming the
target, not the temporary file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

__all__ = ["write_all_atomically", "write_atomically"]


def write_atomically(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` all at once, or not at all."""
    write_all_atomically([(path, data)])


def write_all_atomically(items: Iterable[tuple[str | os.PathLike[str], str | bytes]]) -> None:
    """Write several files: each is written whole to a temporary file first, and
    only when every one is written are they renamed into place, so a failure
    while writing changes none of them."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in items:
            target = Path(path)
            staged.append((_stage(target, data), target))
        for tmp, target in staged:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise _named(exc, target) from None
    finally:  # whatever was not renamed (an error, Ctrl-C) is removed
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _stage(target: Path, data: str | bytes) -> str:
    """A temporary file beside ``target`` holding ``data``, flushed to disk; it has
    the mode ``target`` has (or a new file's, under the umask)."""
    blob = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent
    try:
        while True:
            tmp = str(folder / f".{target.name}.{secrets.token_hex(6)}.tmp")
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
                break
            except FileExistsError:  # pragma: no cover - 48 random bits collided
                continue
    except OSError as exc:
        raise _named(exc, target) from None
    try:
        with os.fdopen(fd, "wb") as fo:
            fo.write(blob)
            fo.flush()
            os.fsync(fo.fileno())
        with contextlib.suppress(OSError):  # keep an existing file's permissions
            os.chmod(tmp, os.stat(target).st_mode & 0o7777)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _named(exc, target) from None
        raise
    return tmp


def _named(exc: OSError, target: Path) -> OSError:
    """The same error, naming the file that was to be written."""
    return type(exc)(exc.errno, exc.strerror or str(exc), str(target))
