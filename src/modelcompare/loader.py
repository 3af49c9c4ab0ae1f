"""Reading registry data files (see ``docs/data-format.md``).

Every problem is a :class:`DataFileError` naming the file, the line where
one can be found, the record and the field. A file's problems are all
collected (a record with a problem is left out, and so are the checks that
would only repeat it) and raised together; nothing is half-loaded.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
import operator
import os
import re
import sys
import threading
import tomllib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .collector import collector_paused
from .deferred import LazySources
from .errors import DataFileError, ModelCompareError
from .estimate import Bound, Estimate, _estimate
from .fields import ACCELERATOR_FIELDS, FIELDS, FieldSpec
from .model import Model
from .records import (
    _CLAIM_VALUES,
    _ID,
    Accelerator,
    Citation,
    Claim,
    Locator,
    Origin,
    PartialDate,
    Rank,
    Related,
    Source,
    Status,
    _need,
    _unchecked,
)
from .units import (
    ACCELERATOR_SYMBOL,
    MAX_UNIT_TEXT,
    accelerator_units,
    define_accelerator,
    is_accelerator,
    quantity,
    unit_text_problem,
)
from .units import unit as unit_of

__all__ = ["FileData", "HardwareDraft", "build", "parse_file"]

#: Common spellings offered as suggestions for an unknown unit (with every chip).
_COMMON_UNITS = (
    "parameter",
    "Mparameter",
    "Gparameter",
    "Tparameter",
    "token",
    "Gtoken",
    "Ttoken",
    "FLOP",
    "FLOP/s",
    "TFLOP/s",
    "PFLOP/s",
    "B",
    "GB",
    "TB",
    "GB/s",
    "TB/s",
    "W",
    "kW",
    "MW",
    "Wh",
    "MWh",
    "USD",
    "percent",
    "mt_bench_point",
    "s",
    "h",
    "day",
)

_TOP = ("root", "source", "model", "claim", "accelerator")
_SOURCE_KEYS = (
    "id",
    "title",
    "path",
    "url",
    "date",
    "date_basis",
    "date_note",
    "language",
    "publisher",
    "kind",
    "external",
    "outside",
    "license",
)
_MODEL_KEYS = (
    "id",
    "name",
    "aliases",
    "organization",
    "family",
    "modality",
    "status",
    "announced",
    "announced_basis",
    "announced_note",
    "note",
    "mentions",
    "outside",
)
_CLAIM_KEYS = ("model", "field", "value", "status", "as_of", "note", "citations")
_SPEC_KEYS = ("field", "value", "status", "as_of", "note", "citations")
_CITE_KEYS = {"source", "quote", "no_figure", "scale"}
_CITE_MUST = {"source", "quote"}
_ACCEL_KEYS = (
    "id",
    "unit",
    "name",
    "vendor",
    "form_factor",
    "gpus_per_unit",
    "default",
    "released",
    "note",
    "spec",
    "aliases",
    "new_unit",
)
_VALUE_FORMS = (
    "exact",
    "about",
    "at_least",
    "at_most",
    "low",
    "unknown",
    "rank",
    "text",
    "models",
)
_VALUE_FORM_SET = frozenset(_VALUE_FORMS)
_VALUE_KEYS = frozenset((*_VALUE_FORMS, "unit", "high", "of"))
_NUMBER_KEYS = ("exact", "about", "at_least", "at_most", "low", "high")


def _suggest(word: str, choices: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def chip_hint(word: str) -> str:
    """How to count a kind of chip modelcompare does not know, named ``word``."""
    unit = f'unit = "{word}"' if ACCELERATOR_SYMBOL.match(word) else 'a unit such as "TPUv4"'
    return (
        f"if it is a kind of chip, declare it with an [[accelerator]] table holding {unit} "
        'and new_unit = true (see "A new kind of chip" in docs/data-format.md)'
    )


#: What to say to an [[accelerator]] whose unit is not yet a chip.
NEW_CHIP_HINT = "to declare a new kind of chip, add new_unit = true"


def _same_chip(word: str) -> str | None:
    """The chip unit ``word`` spells another way (``H-100``, ``h100s``, ``NVIDIA H100``),
    else None: chips are never suggested for a merely similar name (``TPU`` is no ``GPU``)."""
    tokens = {normalize(t) for t in re.split(r"[\s/]+", word)}
    whole = normalize(word)
    for chip, key in _chip_keys():
        if whole in (key, key + "s") or key in tokens or key + "s" in tokens:
            return chip
    return None


@functools.cache
def _common_units_of(dimension: str) -> tuple[str, ...]:
    """The common units of ``dimension``'s dimension, computed once."""
    want = quantity(1, dimension).dimensionality
    return tuple(u for u in _COMMON_UNITS if quantity(1, u).dimensionality == want)


@functools.cache
def _chip_keys() -> tuple[tuple[str, str], ...]:
    """Each chip unit with its lookup key, computed once."""
    return tuple((chip, normalize(chip)) for chip in accelerator_units())


def unit_hint(word: str, spec: FieldSpec | None = None) -> str:
    """What to say about an unknown unit ``word`` (for ``spec``'s field, if known):
    a unit of the field's own dimension it may be a misspelling of, the chip it
    spells another way, or how units and chips are added. Never a unit of
    another dimension, nor another chip that merely looks alike."""
    chip = _same_chip(word)
    wants_chip = spec is None or spec.dimension == "accelerator"
    if chip is not None and wants_chip:
        return f"did you mean {chip!r}?"
    common: tuple[str, ...] = _COMMON_UNITS
    if spec is not None and spec.dimension not in (None, "accelerator"):
        common = _common_units_of(spec.dimension)
    if not (spec is not None and spec.dimension == "accelerator"):
        close = _suggest(word, common)
        if close:
            return close
    if wants_chip:
        return chip_hint(word)
    assert spec is not None
    assert spec.dimension is not None
    return f"{spec.name!r} is counted in {', '.join(common) or spec.dimension}"


@dataclass(slots=True)
class _Cite:
    source: str
    quote: str
    locator: Locator | None = None
    line: int | None = None
    no_figure: str | None = None
    scale: str | None = None
    spot: tuple[_QuoteLines, int] | None = None
    """Where ``line`` is found when first asked: the quotes of a citation array, and
    this citation's place among them (None: ``line`` is known)."""
    made: Citation | None = field(default=None, compare=False, repr=False)
    """The Citation last made of it: the records citing it share one where they cite
    the same Source (a dataset row's primary source, cited by each of its claims)."""

    def at(self) -> int | None:
        """The line of the citation's quote, where one is found."""
        spot = self.spot
        if spot is not None:
            return spot[0].line(spot[1])  # the same answer every time (it is kept there)
        return self.line


class _QuoteLines:
    """The lines of the ``quote =`` keys of one citation array (see
    :meth:`_Locator.quote_lines`), found on the first question: a file with no
    problem to locate is never searched line by line."""

    __slots__ = ("_index", "_key", "_lines", "_locator", "_table", "count")

    def __init__(self, locator: _Locator, table: str, index: int, key: str) -> None:
        self._locator: _Locator | None = locator
        self._table, self._index, self._key = table, index, key
        self._lines: list[int] | None = None
        self.count = 0
        """How many citations the array holds."""

    def line(self, n: int) -> int | None:
        """The line of the ``n``-th quote, where one is found."""
        lines = self._lines
        if lines is None:
            locator = self._locator
            if locator is None:  # another thread found them meanwhile (_lines is set first)
                lines = self._lines or []
            else:
                lines = locator.quote_lines(self._table, self._index, self._key)
                self._lines = lines
                self._locator = None
        return lines[n] if n < len(lines) else None

    def __call__(self) -> tuple[int | None, ...]:
        """The line of each citation's quote (an Origin's ``citation_lines``)."""
        return tuple(self.line(n) for n in range(self.count))


@dataclass(slots=True)
class _Draft:
    """A claim or mention whose citations are not yet resolved to sources."""

    record: str
    line: int | None
    kwargs: dict[str, Any]
    cites: list[_Cite]
    start: int | None = None
    """The line of the record's table, where ``line`` is that of a key in it."""
    key: tuple[_Locator, str, int, str] | None = None
    """Where ``line`` is found when first asked: the locator of the file, the table,
    the record's index and the key whose line it is (None: ``line`` is known)."""

    def at(self) -> int | None:
        """``line``, found if it is not yet known."""
        where = self.key
        if where is not None:
            locator, table, index, key = where
            self.line = locator.line(table, index, key)  # the same in any thread
            self.key = None
        return self.line


class _Skip(Exception):
    """A record is left out; its problems are already reported."""


@dataclass
class HardwareDraft:
    """Chips a dataset names for a model's training, resolved to kinds of chip
    (the catalog's units, by name or alias) when the files are merged."""

    record: str
    line: int
    names: tuple[str, ...]
    quantity: float | None
    kwargs: dict[str, Any]
    """The claim's other keys: subject, status, note, confidence."""
    cites: list[_Cite]
    """The citation of the hardware cell, then any others."""
    quantity_cite: _Cite | None = None


class DeferredRows(ABC):
    """The rows of a dataset that its reader has checked but not yet made into
    records, in file order. Row ``k`` is ``lines[k]`` of the file, names the
    model ``names[k]`` (lookup key ``keys[k]``), which the reader gives the id
    ``ids[k]`` (key ``id_keys[k]``); ``sources[k]`` is the id of the row's own source (None: it has
    none), and ``chips[k]`` the hardware names it gives, each once."""

    lines: list[int]
    ids: list[str]
    id_keys: list[str]
    names: list[str]
    keys: list[str]
    sources: list[str | None]
    chips: list[tuple[str, ...]]

    @abstractmethod
    def records(self, k: int) -> FileData:
        """The records of row ``k``, as the reader makes them (one model in
        ``matched_models``, its claims in ``made``, its hardware, and its own
        source first in ``sources`` where it has one). The reader has checked
        the row when it loaded: this never reports a problem."""


@dataclass
class FileData:
    """What one data file holds, before it is merged with the others."""

    path: Path
    problems: list[DataFileError] = field(default_factory=list)
    """What is wrong in the file (its records with a problem are left out)."""
    skipped: set[tuple[str, str]] = field(default_factory=set)
    """``(kind, id)`` of the records left out, so that what refers to them is not
    reported again."""
    tables: int | None = None
    """How many record tables the file holds, good or bad (None: not counted); a
    file of none adds nothing (it is empty, or only comments)."""
    sources: list[tuple[Source, str, int | None]] = field(default_factory=list)
    models: list[tuple[Model, _Draft]] = field(default_factory=list)
    claims: list[_Draft] = field(default_factory=list)
    accelerators: list[tuple[Accelerator, list[_Draft], str, int | None]] = field(
        default_factory=list
    )
    outside: dict[tuple[str, str], _Draft] = field(default_factory=dict)
    """The ``outside`` citations of a source or a model, by ``(table, id)``."""
    matched_models: list[tuple[Model, _Draft]] = field(default_factory=list)
    """Models that join a loaded model of the same name or alias where there is
    one, and are new models otherwise (a dataset's rows); claims name them by
    their id here, which the merge maps to the model they joined."""
    hardware: list[HardwareDraft] = field(default_factory=list)
    made: list[Claim] = field(default_factory=list)
    """Claims a reader made whole (a dataset's rows), each citing sources the same
    reader made: the merge files each under its model (its subject mapped as
    ``claims``' are), and reads one as a draft wherever a source it cites is not
    the one the merged sources have under its id (two files giving one id)."""
    skipped_lines: list[int] = field(default_factory=list)
    """Lines of records that hold nothing to load (a dataset row with no name and no figure)."""
    consulted: list[tuple[Path, Path]] = field(default_factory=list)
    """The paths the file led to, as written (joined to its folder) and as resolved:
    what a cached registry of the file depends on besides the file itself."""
    deferred: DeferredRows | None = None
    """Rows the reader has checked but not made into records (a dataset's): each is
    one more model, claims and source, after those above (see :func:`expanded`)."""

    @functools.cached_property
    def where(self) -> str:
        """``str(path)``, as the file's Origins and problems name it."""
        return str(self.path)


class _Locator:
    """Finds the line of the n-th ``[[table]]`` of a file, and of a key in it.

    The table headers are found when the locator is made, by one search of the
    whole text; the file is read line by line only for a question about a record's
    keys (each record once) or about the top-level keys (once), so locating every
    problem of a file with thousands of them stays linear in its size, and a file
    with none costs one search.
    """

    _KEY = re.compile(r'\s*(\[+\s*)?("[^"\n]*"|\'[^\'\n]*\'|[A-Za-z0-9_-]+)')
    # what each line of the file is matched against: lines end at \n only (see lines)
    _TABLE_LINE = re.compile(r"^\s*\[\[?\s*[A-Za-z]")
    _KEY_LINE = re.compile(r'^\s*("[^"\n]*"|\'[^\'\n]*\'|[^\s=]+)\s*=')
    _ARRAY_END = re.compile(r"^\s*(\[\[?\s*[A-Za-z]|[A-Za-z_][\w-]*\s*=)")
    _QUOTE = re.compile(r"\bquote\s*=")
    #: A header line, r"^\s*\[\[\s*([A-Za-z_.]+)\s*\]\]" on each line, matched on the
    #: whole text: on its first line (_FIRST_HEADER), then after each \n (_HEADERS); a
    #: match never leaves its line (white space but \n stands for the \s of a line), so
    #: each line matches as if alone.
    _FIRST_HEADER = re.compile(r"[^\S\n]*\[\[[^\S\n]*([A-Za-z_.]+)[^\S\n]*\]\]")
    _HEADERS = re.compile(r"\n[^\S\n]*\[\[[^\S\n]*([A-Za-z_.]+)[^\S\n]*\]\]")

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[str] | None = None
        self._headers: dict[str, list[int]] = {}
        self._first: dict[str, int] | None = None  # a top-level word -> the first line it starts
        self._keys: dict[int, dict[str, int]] = {}  # a record's start -> its keys' lines
        first = self._FIRST_HEADER.match(text)
        if first:
            self._headers[first.group(1)] = [1]
        parts = self._HEADERS.split(text)  # text, table, text, table …, text
        line = 1 + parts[0].count("\n")
        headers = self._headers
        for j in range(1, len(parts), 2):
            line += 1  # the \n a header match starts with
            headers.setdefault(parts[j], []).append(line)
            line += parts[j + 1].count("\n")

    @property
    def lines(self) -> list[str]:
        """The file's lines, split when first needed. Lines end at \n (or \r\n) only,
        as in TOML: str.splitlines() would also split at U+2028, U+2029, U+0085 …
        inside strings and miscount what follows."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def first(self, key: str) -> int | None:
        """The first line that starts with ``key`` (``key = …``, ``[key]``, ``[[key]]``)."""
        if self._first is None:
            first: dict[str, int] = {}
            match = self._KEY.match
            for i, line in enumerate(self.lines, 1):
                k = match(line)
                if k:
                    first.setdefault(k.group(2).strip("\"'"), i)
            self._first = first
        return self._first.get(key)

    def line(self, table: str, index: int, key: str | None = None) -> int | None:
        starts = self._headers.get(table, [])
        if index >= len(starts):  # written inline (model = [{ … }]): where the array starts
            return self.first(table.split(".")[0])
        start = starts[index]
        if key is None:
            return start
        return self._record_keys(start).get(key, start)

    def _record_keys(self, start: int) -> dict[str, int]:
        keys = self._keys.get(start)
        if keys is None:
            keys = {}
            lines = self.lines
            table, key = self._TABLE_LINE.match, self._KEY_LINE.match
            for j in range(start, len(lines)):
                text = lines[j]
                if table(text):
                    break
                m = key(text)
                if m:
                    keys.setdefault(m.group(1).strip("\"'"), j + 1)
            self._keys[start] = keys
        return keys

    def quote_lines(self, table: str, index: int, key: str) -> list[int]:
        """The lines of the ``quote =`` keys in the ``key = [...]`` array of the n-th
        ``[[table]]``, in order."""
        start = self.line(table, index, key)
        if start is None:
            return []
        out: list[int] = []
        lines = self.lines
        for j in range(start - 1, len(lines)):
            text = lines[j]
            if j >= start and self._ARRAY_END.match(text):
                break
            out.extend(j + 1 for _ in self._QUOTE.finditer(text))
        return out


class _Context:
    """Error reporting for one file: problems are collected in ``problems``."""

    def __init__(self, path: Path, text: str, *, allow_paths_outside: bool = False) -> None:
        self.path = path
        self.locator = _Locator(text)
        self.problems: list[DataFileError] = []
        self.consulted: list[tuple[Path, Path]] = []
        self.allow_paths_outside = allow_paths_outside
        """Whether ``root`` and source paths may lead outside the file's folder."""

    def report(self, error: DataFileError) -> None:
        """Note a problem and carry on (the record is left out at its end)."""
        self.problems.append(error)

    def attempt(
        self, data: FileData, kind: str, raw: Any, read: Callable[..., Any], *args: Any
    ) -> Any:
        """``read(self, *args)`` one record; None, with its problems noted, if it has any."""
        before = len(self.problems)
        try:
            result = read(self, *args)
        except DataFileError as exc:
            self.problems.append(exc)
        except _Skip:
            pass
        else:
            if len(self.problems) == before:
                return result
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            data.skipped.add((kind, raw["id"]))
        return None

    def error(
        self,
        message: str,
        *,
        table: str | None = None,
        index: int = 0,
        record: str | None = None,
        key: str | None = None,
        suggestion: str | None = None,
        line: int | None = None,
    ) -> DataFileError:
        if line is None and table is not None:
            line = self.locator.line(table, index, key)
        return DataFileError(
            str(self.path), message, line=line, record=record, field=key, suggestion=suggestion
        )


def parse_file(
    path: Path, text: str | None = None, *, allow_paths_outside: bool = False
) -> FileData:
    """Read one data file into records (citations still unresolved); a
    :class:`DataFileError` listing every problem of the file if it has any.

    Source paths (and ``root``) must lead inside the file's folder, symlinks
    resolved, unless ``allow_paths_outside``."""
    data = read_file(path, text, allow_paths_outside=allow_paths_outside)
    if data.problems:
        raise DataFileError.of(data.problems)
    return data


def read_file(
    path: Path, text: str | None = None, *, allow_paths_outside: bool = False
) -> FileData:
    """Read one data file into records, its problems in ``problems`` (never raises
    :class:`DataFileError`): records with a problem are left out."""
    try:
        with collector_paused():
            return _read_file(path, text, allow_paths_outside)
    except DataFileError as exc:
        return FileData(path, problems=[exc])


def _read_file(path: Path, text: str | None, allow_paths_outside: bool) -> FileData:
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise DataFileError(str(path), "no such file") from None
        except UnicodeDecodeError as exc:
            raise DataFileError(
                str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})"
            ) from None
        except OSError as exc:
            raise DataFileError(str(path), f"cannot read the file: {exc.strerror}") from None
    text = text.removeprefix("\ufeff")  # a UTF-8 byte order mark (Windows Notepad)
    try:
        doc = tomllib.loads(text)
    except RecursionError:
        raise DataFileError(
            str(path),
            "arrays or tables nested too deeply",
            line=_deepest_line(text),
            suggestion="a data file needs at most a few levels",
        ) from None
    except ValueError as exc:
        if isinstance(exc, tomllib.TOMLDecodeError):
            raise _toml_error(path, text, exc) from None
        digits = re.search(r"[0-9_]{4000,}", text)  # past Python's int conversion limit
        raise DataFileError(
            str(path),
            "a number with thousands of digits" if digits else f"invalid TOML: {exc}",
            line=text.count("\n", 0, digits.start()) + 1 if digits else None,
        ) from None
    ctx = _Context(path, text, allow_paths_outside=allow_paths_outside)
    data = FileData(path, problems=ctx.problems, consulted=ctx.consulted)
    for key in doc:
        if key not in _TOP:
            ctx.report(
                ctx.error(
                    f"unknown table {key!r}; a data file holds {', '.join(_TOP)}",
                    suggestion=_suggest(key, _TOP),
                    line=_key_line(ctx, key),
                )
            )
    root = doc.get("root", ".")
    base: Path | None = _folder(path)  # None: 'root' is wrong, so no path is checked
    if not isinstance(root, str):
        base = None
        ctx.report(
            ctx.error(
                f"'root' must be a folder path as text (got {root!r})",
                key="root",
                line=_key_line(ctx, "root"),
            )
        )
    else:
        try:
            base = _resolve_inside(ctx, _folder(path), root)
        except ValueError as exc:
            base = None
            ctx.report(
                ctx.error(
                    f"'root' {exc}",
                    key="root",
                    line=_key_line(ctx, "root"),
                    suggestion=_OUTSIDE_HINT if isinstance(exc, _Outside) else None,
                )
            )
    tables: dict[str, list[Any]] = {}
    for kind in ("source", "model", "claim", "accelerator"):
        items = doc.get(kind, [])
        if not isinstance(items, list):
            ctx.report(
                ctx.error(
                    f"{kind!r} must be an array of tables: write [[{kind}]]",
                    line=_key_line(ctx, kind),
                )
            )
            items = []
        tables[kind] = items
    data.tables = sum(len(items) for items in tables.values())
    for i, raw in enumerate(tables["source"]):
        got = ctx.attempt(data, "source", raw, _source, i, raw, base)
        if got is not None:
            data.sources.append(got)
            ctx.attempt(data, "source", raw, _outside, data, "source", i, raw, got[0].id, got[1])
    for i, raw in enumerate(tables["model"]):
        got = ctx.attempt(data, "model", raw, _model, i, raw)
        if got is not None:
            data.models.append(got)
            rec = got[1].record
            ctx.attempt(data, "model", raw, _outside, data, "model", i, raw, got[0].id, rec)
    spec_index = 0  # accelerators first: a chip they declare is a unit the claims may use
    for i, raw in enumerate(tables["accelerator"]):
        specs_raw = raw.get("spec", []) if isinstance(raw, dict) else []
        got = ctx.attempt(data, "accelerator", raw, _accelerator, i, raw, spec_index)
        spec_index += len(specs_raw) if isinstance(specs_raw, list) else 0
        if got is not None:
            data.accelerators.append(got)
    for i, raw in enumerate(tables["claim"]):
        got = _plain_claim(ctx, i, raw)
        if got is None:  # something to report: read it step by step
            got = ctx.attempt(data, "claim", raw, _claim, "claim", i, raw, _CLAIM_KEYS)
        if got is not None:
            data.claims.append(got)
    return data


def _toml_error(path: Path, text: str, exc: tomllib.TOMLDecodeError) -> DataFileError:
    """tomllib's error, located: its line and column, or the last line."""
    m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    msg = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
    line = int(m.group(1)) if m else None
    col = f", column {m.group(2)}" if m else ""
    if m is None and "end of document" in str(exc):
        line = text.rstrip("\n").count("\n") + 1
    return DataFileError(str(path), f"invalid TOML{col}: {msg}", line=line)


def _deepest_line(text: str) -> int:
    """The line where brackets and braces nest deepest (strings are not told apart:
    this only points at where to look)."""
    depth = deepest = 0
    line = best = 1
    for ch in text:
        if ch in "[{":
            depth += 1
            if depth > deepest:
                deepest, best = depth, line
        elif ch in "]}":
            depth = max(0, depth - 1)
        elif ch == "\n":
            line += 1
    return best


_OUTSIDE_HINT = (
    "a data file reaches only files in its own folder; for a file you trust, "
    "load_registry(..., allow_paths_outside=True) or --allow-paths-outside lifts this"
)


class _Outside(ValueError):
    """A path leads outside the data file's folder."""


def _folder(path: Path) -> Path:
    """The folder of the data file ``path``, absolute (symlinks resolved where possible)."""
    try:
        return path.parent.resolve()
    except (OSError, RuntimeError, ValueError):
        return Path(os.path.abspath(path.parent))


def _why(exc: BaseException) -> str:
    """What went wrong with a path, without repeating the (maybe huge) path."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, RuntimeError):
        return "a symlink loop"
    return str(exc)[:200]


def _resolve_inside(ctx: _Context, start: Path, written: str) -> Path:
    """``written`` (relative to ``start``) with symlinks resolved.

    Unless ``ctx.allow_paths_outside``, it must lead inside the data file's folder,
    after symlinks (:class:`_Outside` otherwise): a data file given by someone else
    must not make ``validate`` an oracle on other files of the machine. The error
    is the same whether or not such a path exists. :class:`ValueError` for a path
    that cannot be resolved (a symlink loop, a NUL byte).
    """
    allow = ctx.allow_paths_outside
    folder = _folder(ctx.path)
    near = {folder, Path(os.path.abspath(ctx.path.parent))}
    outside = _Outside(f"{_shown(written)} leads outside the data file's folder")
    lexical = Path(os.path.normpath(os.path.join(start, written)))
    if not allow and not any(lexical.is_relative_to(f) for f in near):
        raise outside  # decided before the file system is asked anything
    try:
        resolved = (start / written).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise ValueError(f"is not a usable path ({_why(exc)})") from None
    ctx.consulted.append((start / written, resolved))
    if not allow and not resolved.is_relative_to(folder):
        raise outside  # a symlink inside the folder that points out of it
    return resolved


def _shown(text: str, limit: int = 80) -> str:
    """``repr(text)``, cut to about ``limit`` characters with a mark."""
    return (
        repr(text) if len(text) <= limit else repr(text[:limit]) + f"… ({len(text):,} characters)"
    )


def _key_line(ctx: _Context, key: str) -> int | None:
    return ctx.locator.first(key)


def _check_keys(
    ctx: _Context, table: str, index: int, raw: Any, allowed: tuple[str, ...], record: str
) -> None:
    if not isinstance(raw, dict):
        raise ctx.error(f"expected a table, got {raw!r}", table=table, index=index, record=record)
    unknown = [key for key in raw if key not in allowed]
    for key in unknown:
        ctx.report(
            ctx.error(
                f"unknown key; a {table} has {', '.join(allowed)}",
                table=table,
                index=index,
                record=record,
                key=key,
                suggestion=_suggest(key, allowed),
            )
        )
    if unknown:
        raise _Skip


def _required(
    ctx: _Context, table: str, index: int, raw: dict[str, Any], record: str, *keys: str
) -> list[str]:
    """Report each of ``keys`` that ``raw`` lacks; the missing ones (the caller goes
    on checking the others, so that one pass finds every mistake of a record, and
    leaves the record out at the end)."""
    missing = [key for key in keys if key not in raw]
    for key in missing:
        ctx.report(
            ctx.error("missing (required)", table=table, index=index, record=record, key=key)
        )
    return missing


def _date(
    ctx: _Context, table: str, index: int, raw: dict[str, Any], record: str, key: str
) -> PartialDate | None:
    if key not in raw:
        return None
    try:
        return PartialDate.parse(raw[key])
    except ValueError as exc:
        raise ctx.error(str(exc), table=table, index=index, record=record, key=key) from None


def _make(
    ctx: _Context,
    table: str,
    index: int,
    record: str,
    cls: type[Any],
    kwargs: dict[str, Any],
    written: Iterable[str],
) -> Any:
    """``cls(**kwargs)``, its ValueError a located DataFileError; and every such
    error of the record, not only the first: a field found wrong is replaced by a
    value its check takes (its default), and the record checked again, as long as
    each new error is about another key the file wrote (``written``). Where any is
    found they are reported and the record left out (:class:`_Skip`)."""
    kwargs, written = dict(kwargs), set(written)
    found: list[DataFileError] = []
    for _ in range(len(kwargs) + 1):
        try:
            made = cls(**kwargs)
        except (ValueError, TypeError) as exc:
            msg = str(exc)
            m = re.match(r"^'(\w+)'", msg)
            key = m.group(1) if m else None
            if found and (key not in written or key is None):
                break  # a consequence of a replaced value, not a mistake of the file
            found.append(ctx.error(msg, table=table, index=index, record=record, key=key))
            stand_in = _stand_in(cls, key)
            if key is None or key not in kwargs or stand_in is _NO_STAND_IN:
                break
            kwargs[key] = stand_in
            written.discard(key)
            continue
        if not found:
            return made
        break
    if len(found) == 1:
        raise found[0]
    for error in found:
        ctx.report(error)
    raise _Skip


_NO_STAND_IN = object()
#: Values the checks take, for required fields with no default (see _make).
_STAND_INS = {"id": "x", "name": "x", "organization": "x", "title": "x", "language": "en"}


def _stand_in(cls: type[Any], key: str | None) -> Any:
    """A value of field ``key`` of ``cls`` its checks take: its default, else one of
    :data:`_STAND_INS`."""
    from dataclasses import MISSING, fields

    for f in fields(cls):
        if f.name == key:
            if f.default is not MISSING:
                return f.default
            if f.default_factory is not MISSING:
                return f.default_factory()
    return _STAND_INS.get(key or "", _NO_STAND_IN)


def _source(ctx: _Context, i: int, raw: Any, base: Path | None) -> tuple[Source, str, int | None]:
    rec = f"source #{i + 1}"
    _check_keys(ctx, "source", i, raw, _SOURCE_KEYS, rec)
    if "id" in raw:
        rec = f"source {raw['id']!r}"
    missing = _required(ctx, "source", i, raw, rec, "id", "title", "language")
    path = raw.get("path")
    file = None
    if isinstance(path, str) and base is not None:
        try:
            file = _resolve_inside(ctx, base, path)
            found = file.is_file()
        except (ValueError, OSError) as exc:
            outside = isinstance(exc, _Outside)
            raise ctx.error(
                str(exc) if outside else f"not a usable file path ({_why(exc)})",
                table="source",
                index=i,
                record=rec,
                key="path",
                suggestion=_OUTSIDE_HINT if outside else None,
            ) from None
        if not found:
            what = "is a folder, not a file" if file.is_dir() else "no such file"
            raise ctx.error(
                f"{what}: {str(file)!r}",
                table="source",
                index=i,
                record=rec,
                key="path",
                suggestion="paths are relative to the data file's folder (or to its 'root')",
            )
    date = _date(ctx, "source", i, raw, rec, "date")
    kwargs = {k: v for k, v in raw.items() if k not in ("date", "outside")}
    kwargs.update({k: _STAND_INS[k] for k in missing}, date=date, file=file)
    source = _make(ctx, "source", i, rec, Source, kwargs, raw)
    if missing:
        raise _Skip
    return source, rec, ctx.locator.line("source", i)


def _citations(
    ctx: _Context, table: str, i: int, raw: dict[str, Any], key: str, record: str
) -> list[_Cite]:
    items = raw.get(key, [])
    if not isinstance(items, list):
        raise ctx.error(
            "expected an array of { source = …, quote = … }",
            table=table,
            index=i,
            record=record,
            key=key,
        )
    cites = []
    lines = _QuoteLines(ctx.locator, table, i, key)

    def error(message: str, n: int) -> DataFileError:
        return _citation_error(ctx, lines, message, n, table, i, record, key)

    for n, item in enumerate(items):
        if not isinstance(item, dict) or not _CITE_MUST <= item.keys() <= _CITE_KEYS:
            raise error(
                f'each citation is {{ source = "id", quote = "…" }}, optionally with '
                f'no_figure = "why" or scale = "short" (got {item!r})',
                n,
            )
        source, quote = item["source"], item["quote"]
        if not (
            isinstance(source, str) and source.strip() and isinstance(quote, str) and quote.strip()
        ):
            raise error(f"a citation's source and quote must be non-empty text (got {item!r})", n)
        no_figure = item.get("no_figure")
        if no_figure is not None and not (isinstance(no_figure, str) and no_figure.strip()):
            raise error(
                f"a citation's no_figure says why the quote gives no figure (got {no_figure!r})",
                n,
            )
        scale = item.get("scale")
        if scale is not None and scale not in ("short", "long"):
            raise error(
                f"a citation's scale is 'short' (billion = 10^9) or 'long' (10^12) (got {scale!r})",
                n,
            )
        cites.append(_Cite(source, quote, no_figure=no_figure, scale=scale, spot=(lines, n)))
    lines.count = len(cites)
    return cites


def _citation_error(
    ctx: _Context,
    lines: _QuoteLines,
    message: str,
    n: int,
    table: str,
    i: int,
    record: str,
    key: str,
) -> DataFileError:
    """The problem ``message`` of the ``n``-th citation, located at its quote if found."""
    where: dict[str, Any] = {"table": table, "index": i, "record": record, "key": key}
    line = lines.line(n)
    if line is not None:
        where["line"] = line
    return ctx.error(message, **where)


def _outside(
    ctx: _Context, data: FileData, table: str, i: int, raw: dict[str, Any], key: str, rec: str
) -> None:
    """Keep the ``outside`` citations of a source or a model, to resolve once every file is read."""
    if "outside" in raw:
        cites = _citations(ctx, table, i, raw, "outside", rec)
        data.outside[(table, key)] = _Draft(rec, ctx.locator.line(table, i, "outside"), {}, cites)


def _model(ctx: _Context, i: int, raw: Any) -> tuple[Model, _Draft]:
    rec = f"model #{i + 1}"
    _check_keys(ctx, "model", i, raw, _MODEL_KEYS, rec)
    if "id" in raw:
        rec = f"model {raw['id']!r}"
    missing = _required(ctx, "model", i, raw, rec, "id", "name", "organization")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        ctx.report(
            ctx.error(
                "expected an array of names", table="model", index=i, record=rec, key="aliases"
            )
        )
        aliases, missing = [], [*missing, "aliases"]
    announced = _date(ctx, "model", i, raw, rec, "announced")
    kwargs = {
        k: v for k, v in raw.items() if k not in ("aliases", "announced", "mentions", "outside")
    }
    kwargs.update(
        {k: _STAND_INS[k] for k in missing if k in _STAND_INS},
        aliases=tuple(aliases),
        announced=announced,
    )
    model = _make(ctx, "model", i, rec, Model, kwargs, raw)
    if missing:
        raise _Skip
    cites = _citations(ctx, "model", i, raw, "mentions", rec)
    draft = _Draft(rec, None, {}, cites, start=ctx.locator.line("model", i))
    draft.key = (ctx.locator, "model", i, "mentions")  # the line of its mentions, if asked
    return model, draft


#: The keys each form of value may have besides its own (see docs/data-format.md).
_FORM_KEYS = {
    "exact": {"unit"},
    "about": {"unit", "low", "high"},
    "at_least": {"unit"},
    "at_most": {"unit"},
    "range": {"unit", "low", "high"},
    "unknown": {"unit"},
}


def _finite_number(v: Any) -> bool:
    """A TOML number a float can hold (an int of 400 digits cannot: OverflowError)."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return False
    return math.isfinite(v) if isinstance(v, float) else abs(v) <= sys.float_info.max


#: The forms of value that are one number and a unit, and their bound.
_SIMPLE_FORMS = {
    "exact": Bound.EXACT,
    "about": Bound.APPROX,
    "at_least": Bound.AT_LEAST,
    "at_most": Bound.AT_MOST,
}


def _simple_value(raw: dict[str, Any]) -> Estimate | None:
    """The Estimate :func:`parse_value` reads from ``{ form = number, unit = "…" }``
    (``form`` one of :data:`_SIMPLE_FORMS`, the number finite, the unit known),
    found in fewer steps; None for anything else (parse_value then says what it is)."""
    text = raw.get("unit")
    if type(text) is not str or len(text) > MAX_UNIT_TEXT:
        return None
    for form in raw:
        if form != "unit":
            break
    bound = _SIMPLE_FORMS.get(form)
    value = raw[form]
    if bound is None:
        return None
    kind = type(value)
    if kind is float:
        if not math.isfinite(value):
            return None
    elif kind is not int or not _finite_number(value):
        return None
    try:
        u = unit_of(text)
    except ModelCompareError:
        return None
    return _estimate(bound, u, value)


def parse_value(raw: Any, spec: FieldSpec | None = None) -> Any:
    """A claim's value from its TOML form (``{ about = 15000, unit = "H100" }``);
    :class:`ValueError` saying what is wrong (for an unknown unit, what ``spec``'s
    field is counted in)."""
    if type(raw) is dict and len(raw) == 2:  # { about = 15000, unit = "H100" }: in one step
        fast = _simple_value(raw)
        if fast is not None:
            return fast
    if not isinstance(raw, dict):
        raise ValueError(
            f'a value is a table such as {{ about = 15000, unit = "H100" }} (got {raw!r})'
        )
    forms = [k for k in raw if k in _VALUE_FORM_SET]
    extra = [k for k in raw if k not in _VALUE_KEYS]
    if extra:
        hint = _suggest(extra[0], (*_VALUE_FORMS, "unit", "high"))
        raise ValueError(f"unknown key {extra[0]!r} in the value" + (f"; {hint}" if hint else ""))
    if "rank" in raw:
        if set(raw) - {"rank", "of"}:
            raise ValueError("a rank value is { rank = N } (optionally with of = M)")
        return Rank(raw["rank"], raw.get("of"))
    if "text" in raw:
        if set(raw) != {"text"} or not isinstance(raw["text"], str):
            raise ValueError('a text value is { text = "…" }')
        return raw["text"]
    if "models" in raw:
        ids = raw["models"]
        if set(raw) != {"models"} or not isinstance(ids, list) or not ids:
            raise ValueError('a relation value is { models = ["model-id", …] }')
        return Related(tuple(ids))
    kinds = [k for k in forms if k != "low"]
    if "low" in raw and "about" not in raw:
        kinds.append("range")
    if len(kinds) != 1:
        raise ValueError(
            "a value needs exactly one of exact, about, at_least, at_most, low+high, unknown, "
            f"rank, text, models (got {', '.join(raw) or 'nothing'})"
        )
    kind = kinds[0]
    unused = sorted(set(raw) - _FORM_KEYS[kind] - {kind})
    if unused:
        raise ValueError(f"{unused[0]!r} does not go with {kind!r}: it would be ignored")
    if "unit" not in raw or not isinstance(raw["unit"], str):
        raise ValueError('a quantity needs a unit, e.g. unit = "Gparameter"')
    unit_name = raw["unit"]
    if len(unit_name) > MAX_UNIT_TEXT:  # refused before pint (or a suggestion) reads it
        raise ValueError(f"{unit_text_problem(unit_name)}: {_shown(unit_name, 40)}")
    try:
        u = unit_of(unit_name)
    except ModelCompareError:
        raise ValueError(f"unknown unit {unit_name!r}; {unit_hint(unit_name, spec)}") from None
    for k in _NUMBER_KEYS:
        if k in raw:
            v = raw[k]
            if not _finite_number(v):
                got = f"{v!r}" if not isinstance(v, int) or abs(v) < 10**20 else "a huge number"
                raise ValueError(f"{k!r} must be a finite number (got {got})")
    # each number is an int or a float (_finite_number): what Estimate's constructors
    # build from it, built without a pint Quantity
    if kind == "unknown":
        if raw["unknown"] is not True:
            raise ValueError("write unknown = true")
        return _estimate(Bound.UNKNOWN, u, math.nan)
    if kind == "exact":
        return _estimate(Bound.EXACT, u, raw["exact"])
    if kind == "about":
        return _estimate(Bound.APPROX, u, raw["about"], raw.get("low"), raw.get("high"))
    if kind == "at_least":
        return _estimate(Bound.AT_LEAST, u, raw["at_least"])
    if kind == "at_most":
        return _estimate(Bound.AT_MOST, u, raw["at_most"])
    if "high" not in raw:
        raise ValueError("a range needs both low and high")
    low, high = raw["low"], raw["high"]
    return _estimate(Bound.RANGE, u, low / 2 + high / 2, low, high)  # as Estimate.between


_STATUS_VALUES = [s.value for s in Status]
_STATUS_OF = {s.value: s for s in Status}
_CLAIM_KEY_SET = frozenset(_CLAIM_KEYS)
_CLAIM_NEEDS = frozenset(("model", "field", "value", "status"))


def _plain_claim(ctx: _Context, i: int, raw: Any) -> _Draft | None:
    """The draft :func:`_claim` reads from the ``i``-th [[claim]] where it has no
    problem at all, made with the same steps in one place; None wherever _claim
    would report anything (it then reads the claim and reports)."""
    if type(raw) is not dict or not (_CLAIM_NEEDS <= raw.keys() <= _CLAIM_KEY_SET):
        return None
    subject, name, status = raw["model"], raw["field"], raw["status"]
    if type(subject) is not str or type(name) is not str:
        return None
    spec = FIELDS.get(name)
    if spec is None or not spec.stated:
        return None
    try:
        value = parse_value(raw["value"], spec)
    except (ValueError, ModelCompareError):
        return None
    if spec.check(value) or status not in _STATUS_VALUES or status == Status.DERIVED:
        return None
    as_of = None
    if "as_of" in raw:
        try:
            as_of = PartialDate.parse(raw["as_of"])
        except ValueError:
            return None
    rec = f"claim #{i + 1} ({subject}, {name})"
    items = raw.get("citations")
    one = items[0] if type(items) is list and len(items) == 1 else None
    if type(one) is dict and one.keys() == _CITE_MUST:  # one { source, quote }: as _citations
        source, quote = one["source"], one["quote"]
        if not (type(source) is str and source.strip() and type(quote) is str and quote.strip()):
            return None
        lines = _QuoteLines(ctx.locator, "claim", i, "citations")
        lines.count = 1
        cites = [_Cite(source, quote, spot=(lines, 0))]
    else:
        try:
            cites = _citations(ctx, "claim", i, raw, "citations", rec)
        except DataFileError:
            return None
        if not cites:
            return None
    kwargs = {
        "subject": subject,
        "field": name,
        "value": value,
        "status": _STATUS_OF[status],  # what Claim makes of the text
        "as_of": as_of,
        "note": raw.get("note"),
    }
    return _Draft(rec, ctx.locator.line("claim", i), kwargs, cites)


def _claim(
    ctx: _Context,
    table: str,
    i: int,
    raw: Any,
    allowed: tuple[str, ...],
    *,
    subject: str | None = None,
    fields: Mapping[str, FieldSpec] = FIELDS,
) -> _Draft:
    rec = f"{table.split('.')[-1]} #{i + 1}"
    _check_keys(ctx, table, i, raw, allowed, rec)
    before = len(ctx.problems)
    if subject is None:
        subject = raw.get("model")
        if _required(ctx, table, i, raw, rec, "model"):
            subject = "?"
        elif not isinstance(subject, str):
            ctx.report(
                ctx.error(
                    f"expected a model id (got {subject!r})",
                    table=table,
                    index=i,
                    record=rec,
                    key="model",
                )
            )
            subject = "?"
    missing = _required(ctx, table, i, raw, rec, "field", "value", "status")
    name = raw.get("field")
    if name is not None:
        rec = f"{rec} ({subject}, {name})"
    spec = fields.get(name) if isinstance(name, str) else None
    if "field" in missing:
        pass
    elif spec is None:
        ctx.report(
            ctx.error(
                f"unknown field {name!r}; known: {', '.join(fields)}",
                table=table,
                index=i,
                record=rec,
                key="field",
                suggestion=_suggest(name, fields),
            )
        )
    elif not spec.stated:
        ctx.report(
            ctx.error(
                f"{name!r} is derived by modelcompare and cannot be stated in a file",
                table=table,
                index=i,
                record=rec,
                key="field",
            )
        )
    value = None
    try:
        if "value" not in missing:
            value = parse_value(raw["value"], spec)
    except (ValueError, ModelCompareError) as exc:
        ctx.report(ctx.error(str(exc), table=table, index=i, record=rec, key="value"))
    problem = spec.check(value) if spec is not None and value is not None else None
    if problem:
        ctx.report(
            ctx.error(
                f"{name!r} {problem}" if problem.startswith("must") else problem,
                table=table,
                index=i,
                record=rec,
                key="value",
            )
        )
    if "status" in missing:
        pass
    elif raw["status"] not in _STATUS_VALUES:
        statuses = [s.value for s in Status if s is not Status.DERIVED]
        ctx.report(
            ctx.error(
                f"'status' must be one of {', '.join(statuses)} (got {raw['status']!r})",
                table=table,
                index=i,
                record=rec,
                key="status",
                suggestion=_suggest(str(raw["status"]), statuses),
            )
        )
    elif raw["status"] == Status.DERIVED:
        ctx.report(
            ctx.error(
                "'derived' claims are computed by modelcompare, not written in files",
                table=table,
                index=i,
                record=rec,
                key="status",
                suggestion="use rumored, reported or official",
            )
        )
    as_of = None
    try:
        as_of = _date(ctx, table, i, raw, rec, "as_of")
    except DataFileError as exc:
        ctx.report(exc)
    cites: list[_Cite] = []
    try:
        cites = _citations(ctx, table, i, raw, "citations", rec)
    except DataFileError as exc:
        ctx.report(exc)
    else:
        if not cites:
            ctx.report(
                ctx.error(
                    "a claim needs at least one citation",
                    table=table,
                    index=i,
                    record=rec,
                    key="citations",
                )
            )
    if len(ctx.problems) > before:
        raise _Skip
    kwargs = {
        "subject": subject,
        "field": name,
        "value": value,
        "status": raw["status"],
        "as_of": as_of,
        "note": raw.get("note"),
    }
    return _Draft(rec, ctx.locator.line(table, i), kwargs, cites)


def _accelerator(
    ctx: _Context, i: int, raw: Any, spec_start: int
) -> tuple[Accelerator, list[_Draft], str, int | None]:
    rec = f"accelerator #{i + 1}"
    _check_keys(ctx, "accelerator", i, raw, _ACCEL_KEYS, rec)
    if "id" in raw:
        rec = f"accelerator {raw['id']!r}"
    if _required(ctx, "accelerator", i, raw, rec, "id", "unit", "name", "vendor"):
        raise _Skip
    unit_name = raw["unit"]
    new_unit = raw.get("new_unit", False)
    if not isinstance(new_unit, bool):
        raise ctx.error(
            f"'new_unit' must be true or false (got {new_unit!r})",
            table="accelerator",
            index=i,
            record=rec,
            key="new_unit",
        )
    if new_unit:
        try:
            define_accelerator(unit_name)
        except ModelCompareError as exc:
            raise ctx.error(
                str(exc), table="accelerator", index=i, record=rec, key="unit"
            ) from None
    try:
        ok = isinstance(unit_name, str) and is_accelerator(quantity(1, unit_name))
    except ModelCompareError:
        ok = False
    if not ok:
        short = isinstance(unit_name, str) and len(unit_name) <= MAX_UNIT_TEXT
        chip = _same_chip(unit_name) if short else None
        shown = _shown(unit_name) if isinstance(unit_name, str) else repr(unit_name)
        raise ctx.error(
            f"{shown} is not an accelerator unit (known: {', '.join(accelerator_units())})",
            table="accelerator",
            index=i,
            record=rec,
            key="unit",
            suggestion=f"did you mean {chip!r}?" if chip else NEW_CHIP_HINT,
        )
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ctx.error(
            "expected an array of names", table="accelerator", index=i, record=rec, key="aliases"
        )
    released = _date(ctx, "accelerator", i, raw, rec, "released")
    kwargs = {k: v for k, v in raw.items() if k not in ("released", "spec", "aliases", "new_unit")}
    kwargs.update(released=released, aliases=tuple(aliases))
    accel = _make(ctx, "accelerator", i, rec, Accelerator, kwargs, raw)
    specs_raw = raw.get("spec", [])
    if not isinstance(specs_raw, list):
        raise ctx.error(
            "write specs as [[accelerator.spec]] tables",
            table="accelerator",
            index=i,
            record=rec,
            key="spec",
        )
    specs = []
    for j, s in enumerate(specs_raw):
        try:
            specs.append(
                _claim(
                    ctx,
                    "accelerator.spec",
                    spec_start + j,
                    s,
                    _SPEC_KEYS,
                    subject=raw["id"],
                    fields=ACCELERATOR_FIELDS,
                )
            )
        except DataFileError as exc:
            ctx.report(exc)
        except _Skip:
            pass
    return accel, specs, rec, ctx.locator.line("accelerator", i)


def normalize(name: str) -> str:
    """The lookup key of a name: case folded, only letters, digits and ``+`` kept
    (``Command R+`` is not ``Command R``, nor ``PointNet++`` ``PointNet``); empty
    where the name has no letter or digit."""
    if name.isascii():  # what the general rule gives ASCII text, in one step
        key = _NOT_ASCII_KEPT.sub("", name.lower())
        return key if key.strip("+") else ""
    return _normalize_unicode(name)


_NOT_ASCII_KEPT = re.compile(r"[^a-z0-9+]+")


def _normalize_unicode(name: str) -> str:
    """:func:`normalize` of any text: compatibility-decomposed, case folded, only
    letters, digits and ``+`` kept (accents, which decompose into combining marks,
    dropped); empty where no letter or digit is left."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name).casefold()
    key = "".join(
        ch for ch in text if (ch == "+" or ch.isalnum()) and not unicodedata.combining(ch)
    )
    return key if key.strip("+") else ""


@dataclass
class Built:
    """The merged, resolved contents of several files."""

    sources: Mapping[str, Source]
    models: list[Model | LazyModel]
    """The models, in order; a dataset row's model left for later is a LazyModel."""
    accelerators: list[Accelerator]
    files: list[Path]


def _claim_id(
    seen: dict[str, str],
    kind: str,
    key: str,
    fd: FileData,
    line: int | None,
    record: str,
    suggestion: str | None = None,
) -> DataFileError | None:
    """Record that ``fd`` defines the ``kind`` id ``key``; for a second definition,
    the DataFileError naming both files."""
    if key in seen:
        return DataFileError(
            str(fd.path),
            f"duplicate {kind} id (already in {seen[key]})",
            line=line,
            record=record,
            field="id",
            suggestion=suggestion,
        )
    seen[key] = fd.where
    return None


def expanded(fd: FileData) -> FileData:
    """``fd`` with its deferred rows made into records, after its own: what a
    reader that made every row at once would have given."""
    rows = fd.deferred
    if rows is None:
        return fd
    out = replace(
        fd,
        deferred=None,
        sources=list(fd.sources),
        matched_models=list(fd.matched_models),
        made=list(fd.made),
        hardware=list(fd.hardware),
    )
    for k in range(len(rows.lines)):
        r = rows.records(k)
        out.sources.extend(r.sources)
        out.matched_models.extend(r.matched_models)
        out.made.extend(r.made)
        out.hardware.extend(r.hardware)
    return out


def build(
    files: Iterable[FileData],
    problems: list[DataFileError] | None = None,
    *,
    defer: bool = False,
    base: int = 0,
) -> Built:
    """Merge parsed files, resolving citations and checking cross-file consistency.

    Every problem is collected (the files' own and those found here): with no
    ``problems`` list they are raised together as one :class:`DataFileError`;
    with one, they are appended to it and the records without a problem are
    returned (what refers to a record left out is left out too, unreported).

    With ``defer`` (and no ``problems`` list), the deferred rows of a file (a
    dataset's, checked by its reader) that no other file's record needs are
    merged without their records: each stays a :class:`LazyModel` in
    ``models``, and its source a source still to make in ``sources``, which the
    registry makes when first asked for. Where the files have a problem, they
    are merged again whole, so that the error lists every problem.

    ``base``: how many of the first files are the same on every call (the
    built-in data, as the registry keeps it read): their merge is kept, and a
    merge of the same files (the same objects) starts from it.
    """
    with collector_paused():
        files = list(files)
        if defer and problems is None and any(fd.deferred is not None for fd in files):
            try:
                return _build(files, None, _Later(), base=base)
            except DataFileError:
                pass  # raised again below, by the merge of every record
        return _build([expanded(fd) for fd in files], problems, None, base=base)


class _Later:
    """What the merge leaves for later: the records of each deferred row it needs
    (each made once), and, once it is done, the merged sources and chips the
    rows' models are made with."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.made: dict[tuple[int, int], FileData] = {}
        self.sources: Mapping[str, Source] = {}
        self.by_name: dict[str, Accelerator] = {}
        self.accelerators: list[Accelerator] = []
        self.files: list[FileData] = []
        """The files with deferred rows, as :meth:`code` numbers them."""

    def records(self, fd: FileData, k: int) -> FileData:
        """The records of row ``k`` of ``fd``, made on the first call."""
        key = (id(fd), k)
        found = self.made.get(key)
        if found is None:
            with self.lock:
                found = self.made.get(key)
                if found is None:
                    assert fd.deferred is not None
                    found = self.made[key] = fd.deferred.records(k)
        return found

    def source(self, fd: FileData, k: int) -> Source:
        """The source of row ``k`` of ``fd`` (one it has)."""
        return self.records(fd, k).sources[0][0]

    def number(self, fd: FileData) -> int:
        """The number of ``fd`` among the files with deferred rows (see :meth:`code`)."""
        files = self.files
        if not files or files[-1] is not fd:
            files.append(fd)
        return len(files) - 1

    def code(self, fd: FileData, k: int) -> int:
        """Row ``k`` of ``fd`` as one number (see :meth:`row_source`): ``k`` itself in
        the first file."""
        return self.number(fd) << 32 | k

    def row_source(self, code: int) -> Source:
        """The source of the row :meth:`code` gave ``code``."""
        return self.source(self.files[code >> 32], code & 0xFFFFFFFF)


class LazyModel:
    """A model the merge left for later: a dataset row of its own (joined to no
    other model, cited by no other record), with the labels it is looked up by;
    :meth:`make` makes it, as the merge would have."""

    __slots__ = ("_fd", "_k", "_later", "id", "id_key", "name", "name_key")
    aliases: tuple[str, ...] = ()

    def __init__(self, later: _Later, fd: FileData, k: int, mid: str, key: str) -> None:
        rows = fd.deferred
        assert rows is not None
        self._later, self._fd, self._k = later, fd, k
        self.id, self.name = mid, rows.names[k]
        self.id_key, self.name_key = key, rows.keys[k]
        """:func:`normalize` of the id and of the name (each a slot, not a tuple: the
        collector goes over thousands of these)."""

    def make(self) -> Model:
        """The model, with its mentions and claims (none of its checks can fail:
        its reader checked the row, and the merge found no problem)."""
        later, fd = self._later, self._fd
        r = later.records(fd, self._k)
        sources = later.sources
        model, draft = r.matched_models[0]
        mentions = tuple(_resolved(sources[c.source], c) for c in draft.cites)
        made = _with(model, id=self.id, mentions=mentions)
        claims: list[Claim] = []
        # its claims filed as the merge files them (a claim citing a source that is not
        # the one merged under its id is made again of its draft)
        filed = {self.id: claims}
        for d in _drafts(r, r.made, {model.id: self.id}, sources, {self.id: made}, filed):
            d = _Draft(d.record, d.line, {**d.kwargs, "subject": self.id}, d.cites)
            claims.append(_sure(_record(r, d, _resolved_all(sources, d), _never)))
        for hw in r.hardware:
            for d in _hardware_claims(r, hw, self.id, later.by_name, later.accelerators):
                claims.append(_sure(_record(r, d, _resolved_all(sources, d), _never)))
        object.__setattr__(made, "stated_claims", tuple(claims))
        return made


def _never(error: DataFileError) -> object:
    raise AssertionError(f"a deferred row's record has a problem: {error}")  # pragma: no cover


def _sure(claim: Claim | None) -> Claim:
    assert claim is not None
    return claim


def _resolved(src: Source, c: _Cite) -> Citation:
    """The citation ``c`` of ``src``: the one last made of it where it cites ``src``."""
    made = c.made
    if made is None or made.source is not src:
        made = c.made = _citation(src, c)
    return made


def _resolved_all(sources: Mapping[str, Source], draft: _Draft) -> tuple[Citation, ...]:
    return tuple(_resolved(sources[c.source], c) for c in draft.cites)


@dataclass(frozen=True)
class _Base:
    """What merging the first files of a merge gives (the built-in data's, the same
    on every load): kept, each later merge of them starts from it."""

    files: tuple[FileData, ...]
    sources: dict[str, Source]
    source_files: dict[str, str]
    models: dict[str, Model]
    model_file: dict[str, str]
    keys: dict[str, str]
    claims: dict[str, tuple[Claim, ...]]
    accelerators: list[Accelerator]
    accel_ids: dict[str, str]
    default_of: dict[str, str]
    by_name: dict[str, Accelerator]


_bases: list[_Base] = []  # the last one made
_bases_lock = threading.Lock()


def _base_of(files: list[FileData]) -> _Base | None:
    """The kept merge of ``files`` (made now if it is not kept); None where they have
    a problem (then merged each time, to say it)."""
    with _bases_lock:
        for base in _bases:
            if len(base.files) == len(files) and all(map(operator.is_, base.files, files)):
                return base
        kept: list[_Base] = []
        try:
            _build(list(files), None, None, keep=kept)
        except DataFileError:
            return None
        _bases[:] = kept
        return kept[0]


def _build(
    files: list[FileData],
    problems: list[DataFileError] | None,
    later: _Later | None,
    *,
    base: int = 0,
    keep: list[_Base] | None = None,
) -> Built:
    """The merge of ``files`` (see :func:`build`): the first ``base`` of them taken
    from their kept merge (:func:`_base_of`); with ``keep``, what merging them gave
    is put there (as a :class:`_Base`)."""
    kept = _base_of(files[:base]) if base else None
    every = files
    files = files[base:] if kept is not None else files  # the files merged here
    found: list[DataFileError] = []
    for fd in files:
        found.extend(fd.problems)
    skipped = {key for fd in files for key in fd.skipped}

    def report(error: DataFileError | None) -> bool:
        if error is not None:
            found.append(error)
        return error is not None

    sources: dict[str, Source] = dict(kept.sources) if kept else {}
    source_files: dict[str, str] = dict(kept.source_files) if kept else {}
    order: list[str] = list(sources)  # every source id, in order (those still to make too)
    # a deferred row's source → its row (an int: no tuple per row for the collector)
    pending: dict[str, int] = {}
    for fd in files:
        for src, rec, line in fd.sources:
            if not report(_claim_id(source_files, "source", src.id, fd, line, rec)):
                sources[src.id] = src
                order.append(src.id)
        waiting = fd.deferred
        if waiting is None:
            continue
        where = fd.where
        own = {sid: j for j, sid in enumerate(waiting.sources) if sid is not None}
        if (
            later is not None
            and len(own) == len(waiting.sources) - waiting.sources.count(None)
            and source_files.keys().isdisjoint(own)
        ):  # (nearly always) no id taken: the rows' sources at once, as below
            number = later.number(fd) << 32
            source_files.update(dict.fromkeys(own, where))
            pending.update({sid: number | j for sid, j in own.items()} if number else own)
            order.extend(own)
            continue
        for j, sid in enumerate(waiting.sources):
            if sid is None:
                continue
            if sid in source_files:  # (as _claim_id says)
                rec = f"source {sid!r}"
                report(_claim_id(source_files, "source", sid, fd, waiting.lines[j], rec))
                continue
            source_files[sid] = where
            pending[sid] = later.code(fd, j) if later is not None else j
            order.append(sid)

    def source_of(sid: str) -> Source | None:
        """The merged source ``sid``; a deferred row's is made now."""
        src = sources.get(sid)
        if src is None and sid in pending:
            assert later is not None
            src = sources[sid] = later.row_source(pending.pop(sid))
        return src

    def resolve(fd: FileData, draft: _Draft, key: str) -> tuple[Citation, ...] | None:
        out = []
        for c in draft.cites:
            src = source_of(c.source)
            if src is None:
                if ("source", c.source) not in skipped:
                    report(
                        DataFileError(
                            str(fd.path),
                            f"cites unknown source {c.source!r}",
                            line=c.at() or draft.at(),
                            record=draft.record,
                            field=key,
                            suggestion=_suggest(c.source, order),
                        )
                    )
                return None
            out.append(_resolved(src, c))
        return tuple(out)

    def outside(fd: FileData, table: str, key: str) -> tuple[Citation, ...] | None:
        draft = fd.outside.get((table, key))
        return resolve(fd, draft, "outside") if draft is not None else ()

    # a source's outside citations, resolved before anything cites the source
    dated = {src.id: outside(fd, "source", src.id) for fd in files for src, _, _ in fd.sources}
    for key, cites in dated.items():
        if cites:
            sources[key] = replace(sources[key], outside=cites)

    # the kept models are copied: a merge's models take its claims (and a registry)
    models: dict[str, Model] = {k: _with(m) for k, m in kept.models.items()} if kept else {}
    model_file: dict[str, str] = dict(kept.model_file) if kept else {}
    keys: dict[str, str] = dict(kept.keys) if kept else {}
    for fd in files:
        for model, draft in fd.models:
            hint = (
                "to add facts to an existing model, write [[claim]] tables "
                f"with model = {model.id!r}"
            )
            line = draft.at() if model.id in model_file else None  # only a duplicate needs it
            if report(_claim_id(model_file, "model", model.id, fd, line, draft.record, hint)):
                continue
            ok = True
            labelled = [("id", model.id), ("name", model.name)]
            for label, key in [*labelled, *(("aliases", a) for a in model.aliases)]:
                k = normalize(key)
                if not k:
                    ok = not report(
                        DataFileError(
                            str(fd.path),
                            f"{key!r} has no letters or digits",
                            line=draft.at(),
                            record=draft.record,
                            field=label,
                        )
                    )
                elif k in keys and keys[k] != model.id:
                    ok = not report(
                        DataFileError(
                            str(fd.path),
                            f"{key!r} is also a name of model {keys[k]!r} (names are compared "
                            "without case, spaces or punctuation but for '+')",
                            line=draft.at(),
                            record=draft.record,
                            field=label,
                        )
                    )
                else:
                    keys[k] = model.id
            mentions = resolve(fd, draft, "mentions")
            quoted = outside(fd, "model", model.id)
            if not ok or mentions is None or quoted is None:
                skipped.add(("model", model.id))
                continue
            origin = _origin(fd, draft)
            models[model.id] = _with(model, mentions=mentions, outside=quoted, origin=origin)
    # every model, in order: those a deferred row leaves for later too (see LazyModel)
    slots: dict[str, Model | LazyModel] = dict(models)
    lazy = False  # whether a model is left for later
    rows_made: dict[int, dict[int, FileData]] = {}  # per file: its deferred rows made now

    def row_records(fd: FileData, k: int) -> FileData:
        """The records of deferred row ``k`` of ``fd``, made now, its source merged."""
        assert later is not None
        assert fd.deferred is not None
        made = rows_made.setdefault(id(fd), {})
        r = made.get(k)
        if r is None:
            r = made[k] = later.records(fd, k)
            sid = fd.deferred.sources[k]
            if sid is not None:
                source_of(sid)
        return r

    def materialize(mid: str) -> None:
        """Make the model ``mid`` now, where it was left for later."""
        waiting = slots.get(mid)
        if type(waiting) is LazyModel:
            model, draft = row_records(waiting._fd, waiting._k).matched_models[0]
            mentions = resolve(waiting._fd, draft, "mentions")
            assert mentions is not None  # the file's own dataset source
            slots[mid] = models[mid] = _with(model, id=mid, mentions=mentions)

    def row_model(fd: FileData, k: int) -> Model:
        return row_records(fd, k).matched_models[0][0]

    def free_id(mid: str, key: str) -> tuple[str, str]:
        """``mid`` (its key ``key``), or where it or its key is taken, the first of
        ``mid-2``, ``mid-3`` … that is not, with its key."""
        new_id, n = mid, 2
        while new_id in slots or new_id in model_file or key in owners:
            new_id, n = f"{mid}-{n}", n + 1
            key = normalize(new_id)
        return new_id, key

    joined: dict[int, dict[str, str]] = {}  # per file: a matched model's id → the id it took
    owners = {k: [mid] for k, mid in keys.items()}  # a label's key → every model with it
    for fd in files:
        here = joined.setdefault(id(fd), {})
        # a row joins a model of another file, never one its own file made (two rows
        # are two models), and at most one row of a file joins a model
        apart: set[str] = set()
        rows = [
            (model, draft, labels, [normalize(label) for label in labels])
            for model, draft in fd.matched_models
            for labels in [(model.name, *model.aliases)]
        ]
        deferred = fd.deferred if later is not None else None
        ids, names, row_keys = (
            (deferred.ids, deferred.names, deferred.keys) if deferred else ([], [], [])
        )

        def join(
            mid: str,
            hit: str,
            row: Model,
            here: dict[str, str] = here,
            apart: set[str] = apart,
        ) -> None:
            """The row ``row`` (its model's id ``mid``) joins the loaded model ``hit``."""
            here[mid] = hit
            apart.add(hit)
            materialize(hit)  # where it is another file's row left for later
            _date_from(models, hit, row)
            slots[hit] = models[hit]

        for model, _, labels, names_of in rows:  # first the rows of a loaded model's very name
            hit = _joined(labels, names_of, owners, slots, apart, exact=True)
            if hit is not None and model.id not in here:
                join(model.id, hit, model)
        # (few rows, if any)
        for j in itertools.compress(range(len(row_keys)), map(owners.__contains__, row_keys)):
            hit = _joined((names[j],), [row_keys[j]], owners, slots, apart, exact=True)
            if hit is not None and ids[j] not in here:
                join(ids[j], hit, row_model(fd, j))
        for model, draft, labels, names_of in rows:
            if model.id in here:
                continue  # joined above (a reader gives each model once)
            hit = _joined(labels, names_of, owners, slots, apart)
            if hit is not None:
                join(model.id, hit, model)
                continue
            new_id, new_key = free_id(model.id, normalize(model.id))
            mentions = resolve(fd, draft, "mentions")
            if mentions is None:
                continue
            for key in dict.fromkeys((new_key, *names_of)):
                if key:
                    owners.setdefault(key, []).append(new_id)
            slots[new_id] = models[new_id] = _with(model, id=new_id, mentions=mentions)
            model_file[new_id] = fd.where
            here[model.id] = new_id
            apart.add(new_id)
        if deferred is None:
            continue
        assert later is not None
        where = fd.where
        plain = _plain_rows(deferred, here, owners, slots, model_file)
        if plain is not None:  # (nearly always) the steps below, at once
            news = [LazyModel(later, fd, j, ids[j], deferred.id_keys[j]) for j in plain]
            slots.update({lz.id: lz for lz in news})
            lazy = True
            if fd is files[-1] and keep is None:
                continue  # what the models' files and keys are asked for next: nothing
            owners.update({lz.id_key: [lz.id] for lz in news if lz.id_key})
            name_keys, id_keys = [lz.name_key for lz in news], [lz.id_key for lz in news]
            # (few: a name with '+', or a name twice)
            for lz in itertools.compress(news, map(operator.ne, name_keys, id_keys)):
                if lz.name_key:
                    owners.setdefault(lz.name_key, []).append(lz.id)
            model_file.update(dict.fromkeys((lz.id for lz in news), where))
            # (apart: the file's last step, nothing asks it again)
            continue
        for j, (mid, key, new_key) in enumerate(zip(ids, row_keys, deferred.id_keys, strict=True)):
            # the same steps for a deferred row, which stays a LazyModel
            if mid in here:
                continue
            if key in owners:
                hit = _joined((names[j],), [key], owners, slots, apart)
                if hit is not None:
                    join(mid, hit, row_model(fd, j))
                    continue
            new_id = mid
            if mid in slots or mid in model_file or new_key in owners:  # (as free_id asks)
                new_id, new_key = free_id(mid, new_key)
                here[mid] = new_id
            slots[new_id] = LazyModel(later, fd, j, new_id, new_key)
            lazy = True
            if new_key:
                owners.setdefault(new_key, []).append(new_id)
            if key and key != new_key:
                owners.setdefault(key, []).append(new_id)
            model_file[new_id] = where
            apart.add(new_id)
    # a model another record names (a claim of it, a relation to it) is made now
    for fd in files if lazy else ():
        remap = joined.get(id(fd), {})
        named: list[tuple[Any, Any]] = [
            *((d.kwargs.get("subject"), d.kwargs.get("value")) for d in fd.claims),
            *((c.subject, c.value) for c in fd.made),
            *((hw.kwargs.get("subject"), None) for hw in fd.hardware),
        ]
        for subject, value in named:
            if isinstance(subject, str):
                subject = remap.get(subject, subject)
            for mid in (subject, *(value.ids if isinstance(value, Related) else ())):
                if isinstance(mid, str) and type(slots.get(mid)) is LazyModel:
                    materialize(mid)
    claims: dict[str, list[Claim]] = {mid: [] for mid in models}
    for mid, stated in kept.claims.items() if kept else ():
        claims[mid].extend(stated)
    # the models left out, by key: a claim of 'acme-1' is no new problem where the
    # model is left out for its id 'Acme 1'
    left_out = {normalize(k) for kind, k in skipped if kind == "model" and isinstance(k, str)}

    def made_rows(fd: FileData) -> list[FileData]:
        """The records of the deferred rows of ``fd`` made now, in file order."""
        made = rows_made.get(id(fd), {})
        return [made[k] for k in sorted(made)]

    for fd in files:
        remap = joined.get(id(fd), {})
        filed = [*fd.made, *(c for r in made_rows(fd) for c in r.made)]
        for draft in _drafts(fd, filed, remap, sources, models, claims):
            subject = draft.kwargs["subject"]
            if subject in remap:
                subject = remap[subject]
                draft = _Draft(
                    draft.record, draft.line, {**draft.kwargs, "subject": subject}, draft.cites
                )
            if subject not in models:
                if ("model", subject) not in skipped and normalize(subject) not in left_out:
                    report(
                        DataFileError(
                            str(fd.path),
                            f"no model with id {subject!r}",
                            line=draft.line,
                            record=draft.record,
                            field="model",
                            suggestion=_suggest(subject, slots),
                        )
                    )
                continue
            cites = resolve(fd, draft, "citations")
            claim = _record(fd, draft, cites, report) if cites is not None else None
            if claim is not None and isinstance(claim.value, Related):
                claim = _relate(fd, draft, claim, claim.value, models, skipped, report)
            if claim is not None:
                claims[subject].append(claim)
    accelerators: list[Accelerator] = list(kept.accelerators) if kept else []
    accel_ids: dict[str, str] = dict(kept.accel_ids) if kept else {}
    default_of: dict[str, str] = dict(kept.default_of) if kept else {}
    for fd in files:
        for accel, specs, rec, line in fd.accelerators:
            if report(_claim_id(accel_ids, "accelerator", accel.id, fd, line, rec)):
                continue
            resolved = []
            for d in specs:
                cites = resolve(fd, d, "citations")
                spec = _record(fd, d, cites, report) if cites is not None else None
                if spec is not None:
                    resolved.append(spec)
            if accel.default:
                if accel.unit in default_of:
                    report(
                        DataFileError(
                            str(fd.path),
                            f"a second default accelerator for unit {accel.unit!r} "
                            f"(the first is {default_of[accel.unit]})",
                            line=line,
                            record=rec,
                            field="default",
                            suggestion="set default = false on one of them",
                        )
                    )
                    continue
                default_of[accel.unit] = f"{accel.id!r} in {fd.path}"
            # Accelerator's checks read no spec: the reader's checked record, its specs given
            accelerators.append(
                _unchecked(
                    Accelerator,
                    *[
                        tuple(resolved) if n == "specs" else getattr(accel, n)
                        for n in _field_names(Accelerator)
                    ],
                )
            )
    by_name: dict[str, Accelerator] = dict(kept.by_name) if kept else {}
    for a in accelerators[len(kept.accelerators) if kept else 0 :]:
        for label in (*a.aliases, a.name):
            by_name.setdefault(normalize(label), a)

    def hardware(fd: FileData, hw: HardwareDraft, remap: Mapping[str, str]) -> None:
        subject = remap.get(hw.kwargs["subject"], hw.kwargs["subject"])
        if subject not in claims:
            return  # its model was left out, with its problem reported
        for draft in _hardware_claims(fd, hw, subject, by_name, accelerators):
            cites = resolve(fd, draft, "citations")
            claim = _record(fd, draft, cites, report) if cites is not None else None
            if claim is not None:
                claims[subject].append(claim)

    for fd in files:
        remap = joined.get(id(fd), {})
        for hw in fd.hardware:
            hardware(fd, hw, remap)
        deferred = fd.deferred
        if deferred is None:
            continue
        now = rows_made.get(id(fd), {})
        declared: set[tuple[str, ...]] = {()}  # the chip names declared (rows share them)
        start = 0
        for j in [*sorted(now), len(deferred.chips)]:  # each row made now, then the end
            # the chips of the rows left for later before it (each tuple once): declared now
            for chips_of in dict.fromkeys(deferred.chips[start:j]):
                if chips_of in declared:
                    continue
                declared.add(chips_of)
                for name in chips_of:
                    key = normalize(name)
                    if key not in by_name:
                        by_name[key] = _declare_chip(name, accelerators)
            r = now.get(j)
            if r is not None:
                for hw in r.hardware:
                    hardware(r, hw, remap)
            start = j + 1
    order_of = {str(fd.path): n for n, fd in enumerate(every)}
    found.sort(key=lambda e: (order_of.get(e.path, len(order_of)), e.line or 0))
    if problems is not None:
        problems.extend(found)
    elif found:
        raise DataFileError.of(found)
    if keep is not None:  # (copies: the kept records are copied for each merge)
        keep.append(
            _Base(
                tuple(files),
                dict(sources),
                dict(source_files),
                dict(models),
                dict(model_file),
                dict(keys),
                {mid: tuple(c) for mid, c in claims.items()},
                list(accelerators),
                dict(accel_ids),
                dict(default_of),
                dict(by_name),
            )
        )
    for m in models.values():  # each a copy made above (by _with), seen by nothing else yet
        object.__setattr__(m, "stated_claims", tuple(claims[m.id]))
    merged: Mapping[str, Source] = sources
    if later is not None:
        later.by_name, later.accelerators = by_name, accelerators
        if pending:
            merged = LazySources(order, sources, pending, later.row_source)
        else:  # every deferred row's source made: in their order
            merged = {sid: sources[sid] for sid in order}
        later.sources = merged
    return Built(merged, list(slots.values()), accelerators, [fd.path for fd in every])


def _plain_rows(
    rows: DeferredRows,
    here: Mapping[str, str],
    owners: Mapping[str, list[str]],
    slots: Mapping[str, object],
    model_file: Mapping[str, str],
) -> list[int] | None:
    """The deferred rows that the merge's steps, one row at a time, would make
    models of their own, with the ids and keys their reader gave them (a row not
    joined already: ``here``, by id); None where one row might take another path
    (join a loaded model, or need an id of its own): then they go one at a time.

    That is where no row not joined has a name that another model has
    (``owners``: by key), or an id or id's key another model, or another row of
    theirs, has. (Each test a scan in C: an export has thousands of rows.)"""
    ids, keys, id_keys = rows.ids, rows.keys, rows.id_keys
    if any(
        ids[j] not in here
        for j in itertools.compress(range(len(keys)), map(owners.__contains__, keys))
    ):
        return None  # a row that may join a loaded model of another name
    mids, new_keys = set(ids), set(id_keys)
    if len(mids) < len(ids) or len(new_keys) < len(ids):
        return None  # (each row's id and its key are the file's own: as its reader gives them)
    plain = list(range(len(ids)))
    joined = here.keys() & mids
    if joined:  # (a few rows, joined already)
        place = dict(zip(ids, plain, strict=True))
        gone = {place[mid] for mid in joined}
        plain = [j for j in plain if j not in gone]
        mids -= joined
        new_keys -= {id_keys[j] for j in gone}
    if (
        not slots.keys().isdisjoint(mids)
        or not model_file.keys().isdisjoint(mids)
        or not owners.keys().isdisjoint(new_keys)
        or not new_keys.isdisjoint(itertools.compress(keys, map(operator.ne, keys, id_keys)))
    ):  # (the last: a name that is another row's id's key)
        return None
    return plain


def _date_from(models: dict[str, Model], mid: str, row: Model) -> None:
    """Give the loaded model ``mid`` the date of a dataset row that joins it, with
    how the row knows it, where it has none (the press articles do not date GPT-4;
    Epoch AI does)."""
    into = models[mid]
    if into.announced is None and row.announced is not None:
        models[mid] = replace(
            into,
            announced=row.announced,
            announced_basis=row.announced_basis,
            announced_note=row.announced_note,
        )


def _joined(
    labels: Sequence[str],
    names: Sequence[str],
    owners: Mapping[str, list[str]],
    models: Mapping[str, Model | LazyModel],
    apart: set[str],
    *,
    exact: bool = False,
) -> str | None:
    """The id of the loaded model a dataset row of these ``labels`` (``names``: their
    keys) joins: the one model with one of their keys, else the one of those with
    one of the labels as it is (with ``exact``, only that); None where there is
    none (or several), and never a model in ``apart``. ``DeepLabV3`` is not
    ``DeepLabV3+`` (their keys differ), nor, in a file that has both, ``CaLM``
    ``CALM``."""
    found = [mid for k in names for mid in owners.get(k, ()) if mid not in apart]
    if not found:
        return None  # (most rows of an export: a model no other file has)
    found = list(dict.fromkeys(found))
    if exact or len(found) > 1:
        wanted = {label.strip() for label in labels}
        found = [
            mid
            for mid in found
            if wanted.intersection((mid, models[mid].name, *models[mid].aliases))
        ]
    return found[0] if len(found) == 1 else None


def _drafts(
    fd: FileData,
    made: Iterable[Claim],
    remap: Mapping[str, str],
    sources: Mapping[str, Source],
    models: Mapping[str, Model],
    claims: dict[str, list[Claim]],
) -> Iterator[_Draft]:
    """The claim drafts of ``fd``, in order: its ``claims``, then each of the claims
    it ``made`` that cannot be filed as it is (put in ``claims`` under its model meanwhile,
    where it can: its model merged, every source it cites the one merged under that id,
    no relation to resolve), as the draft it stands for."""
    yield from fd.claims
    for claim in made:
        subject = remap.get(claim.subject, claim.subject)
        filed = subject in models and not isinstance(claim.value, Related)
        for c in claim.citations if filed else ():
            if sources.get(c.source.id) is not c.source:
                filed = False
                break
        if filed:
            if subject != claim.subject:
                claim = _unchecked(Claim, subject, *_claim_fields(claim)[1:])
            claims[subject].append(claim)
        else:
            yield _as_draft(claim)


def _claim_fields(claim: Claim) -> tuple[Any, ...]:
    """The values of ``claim``'s fields, in order."""
    return tuple(getattr(claim, n) for n in _field_names(Claim))


def _as_draft(claim: Claim) -> _Draft:
    """The draft a reader would have written for the claim it made (its sources by id)."""
    assert claim.origin is not None
    kwargs = {
        "subject": claim.subject,
        "status": claim.status,
        "confidence": claim.confidence,
        "as_of": claim.as_of,
        "field": claim.field,
        "value": claim.value,
        "note": claim.note,
    }
    cites = [
        _Cite(c.source.id, c.quote, c.locator, no_figure=c.no_figure, scale=c.scale)
        for c in claim.citations
    ]
    return _Draft(claim.origin.record, claim.origin.line, kwargs, cites)


def _chip_symbol(name: str) -> str:
    """A unit symbol for a chip only a dataset names: ``Huawei Ascend 910B`` →
    ``Huawei_Ascend_910B``."""
    sym = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")[:60] or "chip"
    return sym if sym[0].isalpha() else f"chip_{sym}"


def _declare_chip(name: str, accelerators: list[Accelerator]) -> Accelerator:
    """A kind of chip for a hardware name no catalog entry has: its own unit, no specs."""
    symbol = _chip_symbol(name)
    try:
        define_accelerator(symbol)
    except ModelCompareError:
        symbol = f"chip_{symbol}"[:64]
        define_accelerator(symbol)
    ids = {a.id for a in accelerators}
    base = re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-.") or "chip"
    if not base[0].isalnum():
        base = f"chip-{base}"
    aid, n = base, 2
    while aid in ids:
        aid, n = f"{base}-{n}", n + 1
    accel = Accelerator(
        id=aid,
        unit=symbol,
        name=name,
        vendor=name.split()[0],
        note="Declared when a dataset named it: no catalog entry has this name, so it is "
        "its own kind of chip, with no specs.",
    )
    accelerators.append(accel)
    return accel


def _hardware_claims(
    fd: FileData,
    hw: HardwareDraft,
    subject: str,
    by_name: dict[str, Accelerator],
    accelerators: list[Accelerator],
) -> list[_Draft]:
    """One training_accelerators claim per kind of chip (unit) a row names: with
    the row's count where its names are all one kind (``A100 SXM4 40 GB`` and
    ``80 GB`` are both ``A100``), without a count where they are several kinds
    (the total is in the note: the split is never guessed)."""
    kinds: dict[str, list[tuple[str, Accelerator]]] = {}
    for name in hw.names:
        key = normalize(name)
        accel = by_name.get(key)
        if accel is None:
            accel = _declare_chip(name, accelerators)
            by_name[key] = accel
        kinds.setdefault(accel.unit, []).append((name, accel))
    out = []
    several = len(kinds) > 1
    for unit, named in kinds.items():
        base_note = hw.kwargs.get("note")
        note = "; ".join(
            f"{name!r} is counted as {unit} ({accel.name}, catalog entry {accel.id})"
            for name, accel in named
        )
        if hw.quantity is not None and not several:
            value = Estimate.exact(hw.quantity, unit)
            cites = [hw.cites[0], *([hw.quantity_cite] if hw.quantity_cite else []), *hw.cites[1:]]
        else:
            value = Estimate.unknown(unit)
            cites = list(hw.cites)
            if hw.quantity is not None:
                others = ", ".join(" or ".join(repr(n) for n, _ in k) for k in kinds.values())
                note += (
                    f"; the row names {len(kinds)} kinds of chip ({others}) with one quantity, "
                    f"{hw.quantity:g} in all, and does not say how many of each"
                )
                if hw.quantity_cite:
                    cites.insert(1, hw.quantity_cite)
        kwargs = {
            **hw.kwargs,
            "subject": subject,
            "field": "training_accelerators",
            "value": value,
            "note": f"{base_note}; {note}" if base_note else note,
        }
        out.append(_Draft(hw.record, hw.line, kwargs, cites))
    return out


def _citation(source: Source, c: _Cite) -> Citation:
    """``Citation(source, c.quote, c.locator, no_figure=c.no_figure, scale=c.scale)``:
    where it passes Citation's checks at a glance (non-empty quote, no no_figure nor
    scale), made without repeating them."""
    quote = c.quote
    if c.no_figure is None and c.scale is None and type(quote) is str and quote.strip():
        return _unchecked(Citation, source, quote, c.locator, None, None)
    return Citation(source, quote, c.locator, no_figure=c.no_figure, scale=c.scale)


#: The keys of a claim draft that :func:`_record` makes without Claim's own checks.
_PLAIN_DRAFT_KEYS = frozenset(
    ("subject", "field", "value", "status", "as_of", "note", "confidence")
)


def _plain_record(kwargs: dict[str, Any], citations: tuple[Citation, ...]) -> bool:
    """Whether ``Claim(**kwargs, citations=citations)`` passes Claim's checks, as
    ``__post_init__`` makes them (a stated status, a value of a claim's kind, a
    citation, non-empty note and confidence), where that is plain to see; False
    where it is not (Claim then checks, and says what is wrong)."""
    if not (citations and kwargs.keys() <= _PLAIN_DRAFT_KEYS):
        return False
    status = kwargs.get("status")
    note, confidence = kwargs.get("note"), kwargs.get("confidence")
    return (
        type(status) is Status
        and status is not Status.DERIVED
        and "subject" in kwargs
        and "field" in kwargs
        and isinstance(kwargs.get("value"), _CLAIM_VALUES)
        and (note is None or (type(note) is str and note.strip() != ""))
        and (confidence is None or (type(confidence) is str and confidence.strip() != ""))
    )


def _record(
    fd: FileData,
    draft: _Draft,
    citations: tuple[Citation, ...],
    report: Callable[[DataFileError], object],
) -> Claim | None:
    """The claim of ``draft``, or None with its own checks' error reported, located."""
    kw = draft.kwargs
    if _plain_record(kw, citations):
        return _unchecked(
            Claim,
            kw["subject"],
            kw["field"],
            kw["value"],
            kw["status"],
            citations,
            kw.get("as_of"),
            kw.get("note"),
            None,
            (),
            kw.get("confidence"),
            _origin(fd, draft),
        )
    try:
        return Claim(**draft.kwargs, citations=citations, origin=_origin(fd, draft))
    except (ValueError, TypeError) as exc:
        m = re.match(r"^'(\w+)'", str(exc))
        report(
            DataFileError(
                str(fd.path),
                str(exc),
                line=draft.line,
                record=draft.record,
                field=m.group(1) if m else None,
            )
        )
        return None


def _relate(
    fd: FileData,
    draft: _Draft,
    claim: Claim,
    value: Related,
    models: Mapping[str, Model],
    skipped: set[tuple[str, str]],
    report: Callable[[DataFileError | None], bool],
) -> Claim | None:
    """``claim`` with its relation's model names filled in; None, reported, where it names
    no model of that id or its own model."""
    for target in value.ids:
        problem = None
        if target == claim.subject:
            problem = f"a model is not related to itself ({target!r})"
        elif target not in models:
            if ("model", target) in skipped:
                return None
            problem = f"no model with id {target!r}"
        if problem is not None:
            report(
                DataFileError(
                    str(fd.path),
                    problem,
                    line=draft.line,
                    record=draft.record,
                    field="value",
                    suggestion=_suggest(target, models) if target != claim.subject else None,
                )
            )
            return None
    names = tuple(models[t].name for t in value.ids)
    return replace(claim, value=Related(value.ids, names))


def _origin(fd: FileData, draft: _Draft) -> Origin:
    """Where ``draft`` is written (the lines of its citations are found if asked for)."""
    line = draft.start if draft.start is not None else draft.at()
    cites = draft.cites
    spot = cites[0].spot if cites else None
    if spot is not None and spot[0].count == len(cites):
        lines = spot[0]
        if all(c.spot is not None and c.spot[0] is lines for c in cites):
            return Origin.lazy(fd.where, line, draft.record, lines)  # the array's own lines
    if all(c.spot is None for c in cites):
        return Origin(fd.where, line, draft.record, tuple(c.line for c in cites))
    return Origin.lazy(fd.where, line, draft.record, lambda: tuple(c.at() for c in cites))


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    from dataclasses import fields as dc_fields

    return tuple(f.name for f in dc_fields(cls))


def _with(model: Model, **changes: Any) -> Model:
    """``Model(**{**fields of model, **changes})`` for changes to fields its checks
    (``__post_init__``) do not read (citations, claims, origin, derive): the checked
    fields are copied as they are, not checked again. A new ``id`` is checked alone
    (no other check reads it)."""
    assert changes.keys() <= _UNCHECKED_MODEL_FIELDS | {"id"}
    if "id" in changes:
        new_id = changes["id"]
        _need(
            isinstance(new_id, str) and bool(_ID.fullmatch(new_id)),
            lambda: f"'id' must be a lowercase slug such as 'mai-1-preview' (got {new_id!r})",
        )
    return _unchecked(
        Model, *[changes[n] if n in changes else getattr(model, n) for n in _field_names(Model)]
    )


_UNCHECKED_MODEL_FIELDS = {"mentions", "outside", "origin", "stated_claims", "derive"}
