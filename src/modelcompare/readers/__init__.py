"""One reader per input format, behind one registry (:data:`READERS`).

A data file is read by the reader its name or its content picks:
``*.toml`` by :mod:`~modelcompare.readers.toml`, an Epoch AI CSV export by
:mod:`~modelcompare.readers.epoch`. Every reader returns the same
:class:`~modelcompare.loader.FileData`, merged with the others by
:func:`~modelcompare.loader.build`; a file no reader accepts raises
:class:`~modelcompare.errors.DataFileError` saying what was expected.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from modelcompare.errors import DataFileError
from modelcompare.loader import FileData

__all__ = ["READERS", "Reader", "read_file", "read_text", "reader_for"]


@dataclass(frozen=True, slots=True)
class Reader:
    """An input format: its name, the file name endings it claims, a test of a
    file's text, and the function that reads it."""

    name: str
    suffixes: tuple[str, ...]
    detect: Callable[[str], bool]
    """True when a file's text (of any name) is in this format."""
    read: Callable[..., FileData]
    """``read(path, text, **options)``: the file's records."""
    read_bytes: Callable[..., FileData] | None = None
    """``read_bytes(path, data, **options)``: the same from the file's bytes (or the
    file, opened in binary mode), where the reader decodes them faster itself
    (:class:`UnicodeDecodeError` where they are not UTF-8: :func:`read_file` then
    says where)."""


def _toml_reader() -> Reader:
    from . import toml

    return Reader("toml", (".toml",), toml.detect, toml.read)


def _epoch_reader() -> Reader:
    from . import epoch

    return Reader("epoch", (".csv",), epoch.detect, epoch.read, epoch.read_bytes)


#: Every input format, by name. Adding one touches one module and one line here.
READERS: dict[str, Callable[[], Reader]] = {"toml": _toml_reader, "epoch": _epoch_reader}


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _opened(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: OSError) -> DataFileError:
    if isinstance(exc, FileNotFoundError):
        return DataFileError(str(path), "no such file")
    if isinstance(exc, IsADirectoryError):
        return DataFileError(str(path), "is a folder, not a file")
    return DataFileError(str(path), f"cannot read the file: {exc.strerror}")


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None


def _by_suffix(path: Path, readers: list[Reader]) -> Reader | None:
    suffix = path.suffix.lower()
    for r in readers:
        if suffix in r.suffixes:
            return r
    return None


def reader_for(path: Path, text: str) -> Reader:
    """The reader of ``path``: by its ending (``.toml``, ``.csv``), else by its content."""
    readers = [make() for make in READERS.values()]
    found = _by_suffix(path, readers)
    if found is not None:
        return found
    for r in readers:
        if r.name != "toml" and r.detect(text):
            return r
    return readers[0]  # TOML: its parser says what is wrong with the file


def read_text(path: Path, text: str, **options: object) -> FileData:
    """Read ``text`` (the contents of ``path``) with the reader it needs; its
    problems in ``problems`` (a problem that stops the reading is raised)."""
    return reader_for(path, text).read(path, text, **options)


def read_file(path: str | Path, **options: object) -> FileData:
    """Read one data file, of any supported format (options go to its reader:
    ``date=`` gives the date of an Epoch AI export). Never raises
    :class:`DataFileError`: the file's problems are in ``problems``, and the
    records with a problem are left out."""
    p = Path(path)
    try:
        reader = _by_suffix(p, [make() for make in READERS.values()])
        if reader is not None and reader.read_bytes is not None:
            with contextlib.suppress(UnicodeDecodeError), _opened(p) as stream:
                return reader.read_bytes(p, stream, **options)  # (_decode says where)
        text = _decode(p, _bytes(p))
        return (reader or reader_for(p, text)).read(p, text, **options)
    except DataFileError as exc:
        return FileData(p, problems=[exc])
