"""The registry's own TOML data files (see ``docs/data-format.md``)."""

from __future__ import annotations

from pathlib import Path

from modelcompare.loader import FileData
from modelcompare.loader import read_file as read_toml

__all__ = ["detect", "read"]


def detect(text: str) -> bool:
    """Any text may be TOML; the parser says where it is not."""
    return True


def read(
    path: Path, text: str, *, allow_paths_outside: bool = False, **options: object
) -> FileData:
    """The records of a TOML data file, its problems in ``problems``
    (``allow_paths_outside``: see :func:`~modelcompare.load_registry`; other
    options are for other formats and ignored)."""
    return read_toml(path, text, allow_paths_outside=allow_paths_outside)
