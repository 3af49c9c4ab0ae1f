"""A compiled cache of loaded registries, so that a repeat command on unchanged
data files does not read and check them again.

An entry is keyed by everything a load reads: the content of each data file
(and its resolved path), the load's options, and the package itself (its
version, and the size and time of each of its files, so an edited checkout
counts as another package), with the Python and pint versions. Beside the
registry it keeps what the load consulted besides the data files (source
files, ``root`` folders: each path as written and as it resolved, with its
size and time), and a hit re-checks them: a source file that changed, moved or
vanished, or a symlink that now points elsewhere, makes the entry stale.

An entry file holds a head (the chips, warnings and consulted paths, the
registry's own records and name index, and each model's length and SHA-256
digest), itself checksummed, then each model pickled on its own. It is written
atomically (:func:`~modelcompare.files.write_atomically`). A hit maps the file
and reads the head only; each model is read, checked against its digest and
decoded when it is first asked for, so a command on two models of thirty
thousand reads two. An entry whose head cannot be read (absent, truncated,
corrupted, from another version, stale) is ignored: the files are loaded
again and the entry replaced. A model that fails its digest later (the disk
changed it under the command) is an error naming the entry, which is removed,
never a wrong figure. A cache that cannot be written only costs time. Only
successful loads are kept, and the problems of a file are never cached.

The cache lives in modelcompare's cache folder (``MODELCOMPARE_CACHE_DIR``, or
the user's cache folder), under ``registry/``; ``MODELCOMPARE_NO_CACHE=1``
turns it off. At most :data:`MAX_ENTRIES` entries are kept, the oldest removed.
The folder is the user's own: as pint's unit cache, it holds pickles, which a
process that can write there could replace.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import mmap
import os
import pickle
import stat
import struct
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

from .collector import collector_paused
from .errors import DataFileError
from .files import write_atomically

__all__ = ["MAX_ENTRIES", "Entry", "dumps", "key", "load", "loads", "store"]

#: Bumped when the layout of an entry changes.
FORMAT = 4
#: How many entries the cache keeps (each a few MB at most for large files).
MAX_ENTRIES = 16
_DIGEST = hashlib.sha256().digest_size
_SUFFIX = ".registry.pickle"
_KEY_SUFFIX = ".key"
#: What an entry file starts with (then its head's length, digest and pickle, then the models).
_MAGIC = b"MCREG3\n\0"


@dataclass(frozen=True, slots=True)
class Entry:
    """What a cache entry holds besides its key."""

    chips: tuple[str, ...]
    """The chip units the data files declare (defined before the registry is unpickled)."""
    warnings: tuple[str, ...]
    """The warnings the load gave (replayed on a hit)."""
    consulted: tuple[tuple[str, str, tuple[int, int, int] | None], ...]
    """Each path the load consulted: as written, as resolved, and its stat (kind, size, time)."""
    registry: tuple[bytes, Sequence[bytes]]
    """The compiled registry: its own records, and each model's (see
    :meth:`Registry._compiled <modelcompare.registry.Registry._compiled>`)."""


@functools.cache
def _slots(cls: type) -> tuple[str, ...] | None:
    """The fields of one of modelcompare's frozen slotted records, or None (not
    one, or one with pickling of its own: :func:`_own_state`)."""
    if not (
        dataclasses.is_dataclass(cls)
        and "__slots__" in cls.__dict__
        and cls.__module__.startswith("modelcompare.")
    ) or _own_state(cls):
        return None
    return tuple(f.name for f in dataclasses.fields(cls))


@functools.cache
def _own_state(cls: type) -> bool:
    """Whether ``cls`` says what of it a pickle keeps (``Estimate``: its figures, not
    the quantities built from them), rather than the dataclass's every field."""
    own = cls.__dict__.get("__getstate__")
    return own is not None and getattr(own, "__name__", "") != "_dataclass_getstate"


def _with_state(cls: type, state: Any) -> Any:
    """A record of a class with pickling of its own, from its state."""
    obj: Any = object.__new__(cls)
    obj.__setstate__(state)
    return obj


def _restore(cls: type, values: tuple[Any, ...]) -> Any:
    """A record from its fields' values, as it was pickled (already checked when made)."""
    obj: Any = object.__new__(cls)
    for name, value in zip(_slots(cls) or (), values, strict=True):
        object.__setattr__(obj, name, value)
    return obj


@functools.lru_cache(maxsize=1024)
def _unit_name(unit: Any) -> str:
    """The name pint reads ``unit`` back from (pint formats it anew each time)."""
    return str(unit)


def _unit(name: str) -> Any:
    from .units import _parse_unit

    return _parse_unit(name)


def _quantity(magnitude: Any, unit: Any) -> Any:
    from .units import Q_

    return Q_(magnitude, unit)


_resolving = threading.local()


def _shared(key: tuple[str, ...]) -> Any:
    """The shared object ``key`` names, from the :func:`loads` call under way."""
    resolve = getattr(_resolving, "resolve", None)
    if resolve is None:
        raise pickle.UnpicklingError(f"unexpected shared object {key!r}")
    return resolve(key)


class _Pickler(pickle.Pickler):
    """pickle, with modelcompare's records as tuples of their fields and pint's
    units by name (pint's own pickles rebuild each unit from its parts, and a
    dataclass's restores look its fields up each time: ten times slower); the
    objects in ``shared`` (by ``id``) are written as their keys, for
    :func:`loads` to resolve. (Not ``persistent_id``: pickle asks it of every
    object, every string and number included.)"""

    def __init__(self, file: Any, shared: dict[int, tuple[str, ...]] | None = None) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._shared = shared or {}

    def reducer_override(self, obj: Any) -> Any:
        from .units import ureg

        key = self._shared.get(id(obj))
        if key is not None:
            return _shared, (key,)
        cls: type = type(obj)
        names = _slots(cls)
        if names is not None:
            return _restore, (cls, tuple(getattr(obj, n) for n in names))
        if _own_state(cls) and cls.__module__.startswith("modelcompare."):
            return _with_state, (cls, obj.__getstate__())
        if isinstance(obj, ureg.Unit):
            return _unit, (_unit_name(obj),)
        if isinstance(obj, ureg.Quantity):
            return _quantity, (obj.magnitude, obj.units)
        return NotImplemented


def dumps(obj: Any, shared: dict[int, tuple[str, ...]] | None = None) -> bytes:
    """``obj`` pickled as the cache keeps records, the objects in ``shared``
    (``id(obj)`` → a key) written as their keys (see :func:`loads`)."""
    out = io.BytesIO()
    _Pickler(out, shared).dump(obj)
    return out.getvalue()


def loads(blob: bytes, resolve: Callable[[tuple[str, ...]], Any] | None = None) -> Any:
    """What :func:`dumps` pickled, each shared object's key given to ``resolve``
    (the collector paused: :func:`~modelcompare.collector.collector_paused`)."""
    outer = getattr(_resolving, "resolve", None)
    _resolving.resolve = resolve
    try:
        with collector_paused():
            return pickle.loads(blob)
    finally:
        _resolving.resolve = outer


def _folder() -> Path | None:
    from .units import _cache_folder

    folder = _cache_folder()
    return None if folder is None else Path(folder) / "registry"


def _stat(path: str) -> tuple[int, int, int] | None:
    """What a cached load assumed of a path: its kind, size and time (None: absent)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_mode >> 12, st.st_size, st.st_mtime_ns)


def _package_fingerprint() -> bytes:
    """The installed package as it is: each file's name, size and time."""
    from . import __version__

    pkg = Path(__file__).parent
    h = hashlib.sha256(f"{FORMAT}|{__version__}|{sys.version}|".encode())
    import pint

    h.update(pint.__version__.encode())
    for root, dirs, names in os.walk(pkg):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(root, name)
            h.update(f"|{os.path.relpath(path, pkg)}|{_stat(path)}".encode())
    return h.digest()


def key(files: Sequence[Path], options: Iterable[tuple[str, object]]) -> str | None:
    """The cache key of loading ``files`` with ``options``, or None when a file
    cannot be read (the load will say why) or caching is off.

    The key hashes the files' contents. Which contents a file has is remembered
    beside the entries by its stat (device, inode, size, and the modification and
    change times in nanoseconds, the change time being set by the system on any
    write, whatever a tool does to the modification time), so that an unchanged
    file is not read again to be hashed."""
    folder = _folder()
    if folder is None:
        return None
    base = hashlib.sha256(_package_fingerprint())
    base.update(repr(sorted(options, key=lambda kv: kv[0])).encode())
    stats = []
    for path in files:
        try:
            real = os.path.realpath(path)
            st = os.stat(real)
        except (OSError, ValueError):
            return None
        stats.append((real, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    by_stat = hashlib.sha256(base.digest() + repr(stats).encode()).hexdigest()
    remembered = folder / f"{by_stat}{_KEY_SUFFIX}"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        known = remembered.read_text(encoding="ascii")
        if len(known) == 64 and all(c in "0123456789abcdef" for c in known):
            return known
    h = base.copy()
    for path, (real, *_) in zip(files, stats, strict=True):
        try:
            data = path.read_bytes()
        except (OSError, ValueError):
            return None
        h.update(f"|{len(data)}|{real}|".encode())
        h.update(hashlib.sha256(data).digest())
    content = h.hexdigest()
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(remembered, content)
    return content


def consulted(pairs: Iterable[tuple[Path, Path]]) -> tuple[tuple[str, str, Any], ...]:
    """The consulted paths of a load, as an entry keeps them."""
    seen: dict[tuple[str, str], Any] = {}
    for written, resolved in pairs:
        seen.setdefault((str(written), str(resolved)), _stat(str(resolved)))
    return tuple((w, r, st) for (w, r), st in seen.items())


def _fresh(entry: Entry) -> bool:
    """Whether every path the load consulted still resolves and looks as it did."""
    folders: dict[str, str] = {}  # a folder as written → as it resolves now
    for written, resolved, st in entry.consulted:
        try:
            now, seen = _resolved(written, folders)
        except (OSError, ValueError):
            return False
        if now != resolved or seen != st:
            return False
    return True


def _resolved(written: str, folders: dict[str, str]) -> tuple[str, tuple[int, int, int] | None]:
    """``os.path.realpath(written)`` and :func:`_stat` of it, with each folder
    resolved once (``folders`` keeps them): a path whose last part is no symlink
    costs one ``lstat``, not one a part. (A path with a ``..`` goes the long
    way: past a symlink loop, realpath takes the rest of a path as written.)"""
    folder, name = os.path.split(written)
    if name in ("", ".", "..") or not folder or ".." in written.split(os.sep):
        real = os.path.realpath(written)
        return real, _stat(real)
    base = folders.get(folder)
    if base is None:
        base = folders[folder] = os.path.realpath(folder)
    real = os.path.join(base, name)
    try:
        st = os.lstat(real)
    except OSError:
        return real, None  # as realpath leaves a path it cannot follow
    if stat.S_ISLNK(st.st_mode):
        real = os.path.realpath(real)
        return real, _stat(real)
    return real, (st.st_mode >> 12, st.st_size, st.st_mtime_ns)


class _Blobs(Sequence[bytes]):
    """The models of an entry (then their summaries), each read from the mapped
    file and checked against its own digest when it is first decoded (a command
    on a few models of a large file reads and hashes only those)."""

    def __init__(self, path: Path, data: Any, spans: list[tuple[int, int, bytes]]) -> None:
        self._path, self._data, self._spans = path, data, spans

    def __len__(self) -> int:
        return len(self._spans)

    @overload
    def __getitem__(self, i: int) -> bytes: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[bytes]: ...
    def __getitem__(self, i: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        start, length, digest = self._spans[i]
        blob = bytes(self._data[start : start + length])
        if hashlib.sha256(blob).digest() != digest:
            with contextlib.suppress(OSError):
                self._path.unlink()
            raise DataFileError(
                str(self._path),
                f"the registry cache entry is damaged (part {i + 1} of {len(self)} does not "
                "match its checksum); it has been removed",
                suggestion="run the command again (or with --no-cache)",
            )
        return blob


def load(cache_key: str | None) -> Entry | None:
    """The entry stored under ``cache_key`` if its head is whole and fresh, else
    None. Its models stay in the file (mapped), each checked when decoded."""
    folder = _folder()
    if cache_key is None or folder is None:
        return None
    path = folder / f"{cache_key}{_SUFFIX}"
    try:
        with path.open("rb") as f:
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        start = len(_MAGIC) + 8 + _DIGEST
        if data[: len(_MAGIC)] != _MAGIC:
            return None
        (size,) = struct.unpack("<Q", data[len(_MAGIC) : len(_MAGIC) + 8])
        digest = data[len(_MAGIC) + 8 : start]
        head = data[start : start + size]
        if len(head) != size or hashlib.sha256(head).digest() != digest:
            return None
        fmt, chips, said, consulted, registry_head, sizes = pickle.loads(head)
        spans, at = [], start + size
        for length, blob_digest in sizes:
            spans.append((at, length, blob_digest))
            at += length
        if fmt != FORMAT or at != len(data):  # truncated, or more than was written
            return None
        entry = Entry(chips, said, consulted, (registry_head, _Blobs(path, data, spans)))
    except Exception:  # any failure to read: load the files (a cache is an optimisation)
        return None
    if not _fresh(entry):
        return None
    return entry


def store(cache_key: str | None, entry: Entry) -> None:
    """Keep ``entry`` under ``cache_key`` (atomically), and forget the oldest
    entries beyond :data:`MAX_ENTRIES`. Never raises for a cache that cannot be
    written."""
    folder = _folder()
    if cache_key is None or folder is None:
        return
    try:
        registry_head, blobs = entry.registry
        sizes = [(len(b), hashlib.sha256(b).digest()) for b in blobs]
        head = pickle.dumps(
            (FORMAT, entry.chips, entry.warnings, entry.consulted, registry_head, sizes),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        parts = [_MAGIC, struct.pack("<Q", len(head)), hashlib.sha256(head).digest(), head]
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / f"{cache_key}{_SUFFIX}", b"".join([*parts, *blobs]))
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # a full disk, a read-only folder: run without a cache
    _prune(folder)


def _prune(folder: Path) -> None:
    for suffix, keep in ((_SUFFIX, MAX_ENTRIES), (_KEY_SUFFIX, 8 * MAX_ENTRIES)):
        with contextlib.suppress(OSError):
            entries = []
            for p in folder.glob(f"*{suffix}"):
                with contextlib.suppress(OSError):
                    entries.append((p.stat().st_mtime_ns, p))
            for _, p in sorted(entries, reverse=True)[keep:]:
                with contextlib.suppress(OSError):
                    p.unlink()
