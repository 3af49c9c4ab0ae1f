"""Epoch AI's model database, as its CSV exports are downloaded.

Epoch AI (https://epoch.ai/data/ai-models) publishes ``notable_ai_models.csv``,
``all_ai_models.csv``, ``large_scale_ai_models.csv`` and
``frontier_ai_models.csv`` under CC BY 4.0. Their columns differ between
exports and over time (31 to 47 of them), so cells are read by column name:
unknown columns are ignored, missing ones give no claim. An export is
recognised by its header (``Model`` and at least four of :data:`CORE_COLUMNS`).

Every figure becomes a claim citing the export with a :class:`Locator` (the
row's first line, its ``Model`` name, the column) and the cell's text as its
quote, beside the row's own ``Link``/``Reference`` as the primary source. An
empty cell is no claim, never zero; a cell that is not what its column holds
raises :class:`DataFileError` naming the file, line, model and column.
See ``docs/data-format.md`` for the column → field mapping.
"""

from __future__ import annotations

import csv
import datetime as _dt
import functools
import io
import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

from modelcompare.errors import DataFileError, InvalidValueError
from modelcompare.estimate import Estimate, _base_factor, _exact
from modelcompare.fields import FIELDS
from modelcompare.loader import DeferredRows, FileData, HardwareDraft, _Cite, _Draft, normalize
from modelcompare.model import Model
from modelcompare.records import (
    _URL_CHARS,
    Citation,
    Claim,
    Locator,
    ModelStatus,
    Origin,
    PartialDate,
    Source,
    Status,
    _maker,
    _unchecked,
)
from modelcompare.units import unit as unit_of

__all__ = [
    "CORE_COLUMNS",
    "EXPORTS",
    "LICENSE",
    "cells_by_line",
    "detect",
    "read",
]

#: Columns every Epoch export has had; a CSV with ``Model`` and four of these is one.
CORE_COLUMNS = (
    "Organization",
    "Publication date",
    "Domain",
    "Parameters",
    "Training compute (FLOP)",
    "Confidence",
    "Link",
    "Reference",
    "Training hardware",
)

#: Epoch's export files, by file name: the title of the data set each holds.
EXPORTS: Mapping[str, str] = {
    "notable_ai_models.csv": "Notable AI Models",
    "all_ai_models.csv": "AI Models (all models)",
    "large_scale_ai_models.csv": "Large-Scale AI Models",
    "frontier_ai_models.csv": "Frontier AI Models",
}

LICENSE = (
    "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); attribution: Epoch AI, "
    "'Parameter, Compute and Data Trends in Machine Learning', https://epoch.ai/data/ai-models"
)

_NUMBER = re.compile(r"^\+?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_URL = re.compile(r"https?://[^\s,;]+")


@dataclass(frozen=True, slots=True)
class _Column:
    """A figure column: the field it fills, the unit of its numbers, a note."""

    field: str
    unit: str
    note: str | None = None
    scale: float = 1.0


#: Figure columns, by the name Epoch gives them (any export, any version).
FIGURE_COLUMNS: Mapping[str, _Column] = {
    "Parameters": _Column("parameters", "parameter"),
    "Training dataset size (datapoints)": _Column("training_datapoints", "datapoint"),
    "(DEPRECATED) Training dataset size (datapoints)": _Column("training_datapoints", "datapoint"),
    "Training dataset size (total)": _Column("training_datapoints", "datapoint"),
    "Training time (hours)": _Column("training_duration", "h"),
    "Training power draw (W)": _Column("training_power", "W"),
    "Training compute cost (2023 USD)": _Column(
        "training_cost_usd2023", "USD", "in 2023 US dollars"
    ),
    "Finetune compute (FLOP)": _Column(
        "finetune_compute", "FLOP", "the fine-tuning run alone, beside the total training compute"
    ),
    "Hardware utilization": _Column(
        "hardware_utilization", "percent", "Epoch's fraction × 100", scale=100.0
    ),
    "Hardware utilization (MFU)": _Column(
        "hardware_utilization",
        "percent",
        "model FLOP utilization (MFU); Epoch's fraction × 100",
        scale=100.0,
    ),
}
_COMPUTE = "Training compute (FLOP)"
_LOWER, _UPPER = "Training compute lower bound", "Training compute upper bound"
_HARDWARE, _QUANTITY = "Training hardware", "Hardware quantity"
_BASE = "Base model"
_OTHER_FIGURES = (_COMPUTE, _LOWER, _UPPER, _HARDWARE, _QUANTITY, _BASE)
#: Every column the reader reads (a row keeps the text of these cells only).
_READ_COLUMNS = frozenset(
    (
        *FIGURE_COLUMNS,
        *_OTHER_FIGURES,
        "Model",
        "Last modified",
        "Publication date",
        "Domain",
        "Model accessibility",
        "Organization",
        "Confidence",
        "Link",
        "Reference",
    )
)


@dataclass(frozen=True, slots=True)
class _Figure:
    """A figure column as the rows are read: its :class:`_Column`, with the unit
    looked up once, whether zero is a figure, and the end of its claims' records."""

    column: str
    spec: _Column
    unit: Any
    base: float
    """How many base units one ``unit`` is."""
    zero: bool
    record: str
    """``", column '…'"``: what a claim's record adds to its row's."""


@functools.cache
def _figures() -> tuple[_Figure, ...]:
    out = []
    for column, spec in FIGURE_COLUMNS.items():
        f = FIELDS[spec.field]
        u = unit_of(spec.unit)
        zero = f.zero or (f.bounds is not None and f.bounds[0] == 0)
        out.append(_Figure(column, spec, u, _base_factor(u), zero, f", column {column!r}"))
    return tuple(out)


def _header_line(text: str) -> list[str]:
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    try:
        return next(csv.reader([first.rstrip("\r")]), [])
    except csv.Error:
        return []


def detect(text: str) -> bool:
    """True when ``text`` starts with an Epoch export's header."""
    header = {h.strip() for h in _header_line(text)}
    return "Model" in header and len(header & set(CORE_COLUMNS)) >= 4


def _slug(text: str) -> str:
    if text.isascii():  # NFKD leaves ASCII text as it is
        ascii_text = text
    else:
        import unicodedata

        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-._")


_NOT_SLUG = re.compile(r"[^a-z0-9._-]+")


class _Rows:
    """The records of a CSV text (or a text stream opened with ``newline=""``)
    with the line each starts on (1-based)."""

    def __init__(self, path: Path, text: str | IO[str]) -> None:
        self.path = path
        stream = io.StringIO(text, newline="") if isinstance(text, str) else text
        self._reader = csv.reader(stream, strict=True)

    def table(self) -> tuple[list[str], list[int], list[list[str]]]:
        """The first record (StopIteration: there is none), and the others with the
        line each starts on."""
        reader = self._reader
        rows: list[list[str]] = []
        ends: list[int] = []  # the line each record ends on
        add_row, add_end = rows.append, ends.append
        try:
            first = next(reader)
            after = reader.line_num + 1
            for cells in reader:
                add_row(cells)
                add_end(reader.line_num)
        except csv.Error as exc:
            raise DataFileError(
                str(self.path), f"not valid CSV: {exc}", line=reader.line_num
            ) from None
        return first, [after, *map((1).__add__, ends[:-1])][: len(rows)], rows


def cells_by_line(path: Path, text: str) -> dict[int, dict[str, str]]:
    """Each row's cells by column name, keyed by the row's first line (for
    ``validate``: one pass over the file, then each quote is one look-up)."""
    try:
        header, lines, rows = _Rows(path, text).table()
    except StopIteration:
        return {}
    names = [h.strip() for h in header]
    return {
        line: dict(zip(names, cells, strict=False)) for line, cells in zip(lines, rows, strict=True)
    }


def _expected(path: Path, header: list[str]) -> DataFileError:
    got = ", ".join(repr(h) for h in header[:8]) + (" …" if len(header) > 8 else "")
    return DataFileError(
        str(path),
        "not an Epoch AI export: expected a header with the column 'Model' and at least "
        f"four of {', '.join(repr(c) for c in CORE_COLUMNS)} (got {got or 'no header'})",
        line=1,
        suggestion="registry data files are TOML (*.toml); see docs/data-format.md",
    )


def _date_option(path: Path, date: Any) -> PartialDate | None:
    if date is None:
        return None
    try:
        return PartialDate.parse(date if isinstance(date, _dt.date) else str(date))
    except ValueError as exc:
        raise DataFileError(str(path), f"the export's date: {exc}") from None


@functools.lru_cache(maxsize=1024)  # an export names a few dozen domains
def _modality(domain: str) -> str:
    parts = {p.strip().lower() for p in domain.split(",") if p.strip()}
    if not parts:
        return "text"
    media = parts & {"language", "vision", "image generation", "speech", "audio", "video"}
    if "multimodal" in parts or len(media) >= 2:
        return "multimodal"
    if parts == {"language"}:
        return "text"
    if parts <= {"speech", "audio"}:
        return "speech"
    if parts <= {"vision", "image generation"}:
        return "image"
    return "other"


_RELEASED = ("api access", "open weights", "open access", "hosted access", "open source")


def _read_places(index: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    """The columns of :data:`_READ_COLUMNS` in ``index``, with their places."""
    return tuple((c, i) for c, i in index.items() if c in _READ_COLUMNS)


@functools.lru_cache(maxsize=1024)
def _status(accessibility: str) -> ModelStatus:
    a = accessibility.strip().lower()
    return ModelStatus.RELEASED if a.startswith(_RELEASED) else ModelStatus.ANNOUNCED


class _Row:
    """One record of the export, its cells by column name."""

    __slots__ = ("cells", "index", "line", "name", "path", "record", "source", "values")

    def __init__(
        self,
        path: Path,
        line: int,
        index: Mapping[str, int],
        cells: list[str],
        source: str,
        read: tuple[tuple[str, int], ...] | None = None,
    ) -> None:
        """``read``: the columns of :data:`_READ_COLUMNS` the header has, with their
        places (by default found from ``index``)."""
        self.path, self.line, self.index, self.cells, self.source = (
            path,
            line,
            index,
            cells,
            source,
        )
        if read is None:
            read = _read_places(index)
        n = len(cells)
        # each cell read once, stripped: the non-empty ones by column name
        self.values = {c: text for c, i in read if i < n and (text := cells[i].strip())}
        self.name = self.values.get("Model") or ""
        self.record = f"row {self.name!r}"

    def get(self, column: str) -> str | None:
        """The cell's text, stripped; None where the column is missing or the cell empty."""
        text = self.values.get(column)
        if text is not None or column in _READ_COLUMNS:
            return text
        i = self.index.get(column)  # a column the reader does not read
        if i is None or i >= len(self.cells):
            return None
        return self.cells[i].strip() or None

    def error(self, column: str, message: str, suggestion: str | None = None) -> DataFileError:
        return DataFileError(
            str(self.path),
            message,
            line=self.line,
            record=self.record,
            field=column,
            suggestion=suggestion,
        )

    def cite(self, column: str) -> _Cite:
        text = self.get(column)
        assert text is not None
        # the Locator's checks hold: the line is ≥ 1, the column a header's name
        return _Cite(self.source, text, _new_locator(self.line, self.name, column))

    def number(self, column: str, *, zero: bool = False, text: str | None = None) -> float | None:
        """The cell (or ``text``, its text) as a positive (or, with ``zero``,
        non-negative) finite number; None where empty."""
        if text is None:
            text = self.get(column)
            if text is None:
                return None
        if not _NUMBER.match(text):
            raise self.error(column, f"expected a number such as 2.1e+25 (got {text!r})")
        value = float(text)
        if value == float("inf") or not (value >= 0 if zero else value > 0):
            what = "non-negative" if zero else "positive"
            raise self.error(column, f"expected a {what}, finite number (got {text!r})")
        return value


def read(
    path: Path,
    text: str | IO[str],
    *,
    date: Any = None,
    allow_paths_outside: bool = False,
    **options: object,
) -> FileData:
    """The records of an Epoch AI export (its text, or a text stream opened with
    ``newline=""``): a dataset source, a model per row (joining a loaded model of
    the same name), and a claim per figure cell. (``allow_paths_outside``
    changes nothing: an export names no other file.)"""
    if options:
        raise TypeError(f"unknown option(s) for an Epoch export: {', '.join(options)}")
    try:  # a record that is not CSV stops the file there, as it would midway
        raw_header, lines, body = _Rows(path, text).table()
    except StopIteration:
        raise _expected(path, []) from None
    header = [h.strip() for h in raw_header]
    if "Model" not in header or len(set(header) & set(CORE_COLUMNS)) < 4:
        raise _expected(path, header)
    index: dict[str, int] = {}
    for i, h in enumerate(header):
        if h in index:
            raise DataFileError(str(path), f"the header names column {h!r} twice", line=1)
        if h:
            index[h] = i
    stated_date = _date_option(path, date)
    data = FileData(path)
    stem = _slug(path.stem) or "export"
    ds_id = f"epoch-{stem}"
    source = _dataset(path, ds_id, stated_date, _newest(body, index, len(header)))
    data.sources.append((source, f"source {ds_id!r}", None))
    rows_of = _ExportRows(path, index, source, tuple(f for f in _figures() if f.column in index))
    data.deferred = rows_of
    width, at_name = len(header), index["Model"]
    checked = _Checked(body, index)
    bad, columns = checked.bad, checked.columns
    names = list(map(str.strip, columns[at_name])) if columns else []
    keyed = _keys_and_slugs(names)
    # the rows that load, by place in body: first those checked column by column
    # (their records can wait), then those read now (tried: their source and chips)
    if not bad and all(names) and max(map(len, body), default=0) <= width:
        taken = list(range(len(body)))  # (nearly always: every row)
    else:
        taken = [
            pos
            for pos, (name, cells) in enumerate(zip(names, body, strict=True))
            if name and pos not in bad and len(cells) <= width
        ]
    tried: dict[int, tuple[str | None, tuple[str, ...]]] = {}
    rest = [] if len(taken) == len(body) else sorted(set(range(len(body))).difference(taken))
    for pos in rest:
        line, cells = lines[pos], body[pos]
        if not any(c.strip() for c in cells):
            continue  # a blank line: no record
        if len(cells) > width:
            data.problems.append(
                DataFileError(
                    str(path),
                    f"the row has {len(cells)} cells but the header {width} columns",
                    line=line,
                )
            )
            continue
        row = _Row(path, line, index, cells, ds_id, rows_of.read_places)
        if not row.name:
            figures = [c for c in (*FIGURE_COLUMNS, *_OTHER_FIGURES) if row.get(c) is not None]
            if figures:
                data.problems.append(
                    row.error(
                        "Model", f"the row has no 'Model' name but gives {', '.join(figures)}"
                    )
                )
                continue
            data.skipped_lines.append(line)  # nothing to load: no name, no figure
            continue
        trial = FileData(path)
        try:  # a cell its column's checks could not clear: the row is read now
            _read_row(trial, row, source, "row", rows_of.figures)
        except DataFileError as exc:  # the row is left out, its problem reported
            data.problems.append(exc)
            continue
        taken.append(pos)
        sid = trial.sources[0][0].id if trial.sources else None
        tried[pos] = (sid, trial.hardware[0].names if trial.hardware else ())
    if tried:
        taken.sort()
    rows_of.take(lines, taken, names, keyed, columns, tried)
    return data


_SEP, _RUN = "\x00", b"\x01"
_ASCII_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789"
#: the ASCII bytes a key drops; each byte a slug replaces (with _RUN, then runs with "-")
_NOT_KEY = bytes(c for c in range(128) if chr(c) not in f"{_ASCII_DIGITS}+{_SEP}")
_SLUG_TABLE = bytes(
    c if chr(c) in f"{_ASCII_DIGITS}._-{_SEP}" or c >= 128 else _RUN[0] for c in range(256)
)


def _keys_and_slugs(names: list[str]) -> tuple[list[str], list[str], list[str]]:
    """:func:`normalize` of each name, its :func:`_slug`, and the slug's key: the
    ASCII names (nearly all) in a few passes over their text joined."""
    text = _SEP.join(names)
    if text.count(_SEP) != len(names) - 1:  # a name holding the separator: one by one
        slugs = [_slug(name) for name in names]
        return [normalize(n) for n in names], slugs, [normalize(s) for s in slugs]
    if text.isascii():
        return _ascii_keys_and_slugs(text)
    # each other character a '?' (one for one): the ASCII names' right, then the others'
    keys, slugs, slug_keys = _ascii_keys_and_slugs(text.encode("ascii", "replace").decode())
    for i in [i for i, name in enumerate(names) if not name.isascii()]:
        slugs[i] = _slug(names[i])
        keys[i], slug_keys[i] = normalize(names[i]), normalize(slugs[i])
    return keys, slugs, slug_keys


def _ascii_keys_and_slugs(text: str) -> tuple[list[str], list[str], list[str]]:
    """:func:`_keys_and_slugs` of the ASCII names joined by the separator in ``text``."""
    low = text.lower().encode("ascii")
    kept = low.translate(None, _NOT_KEY)  # a key keeps letters, digits and '+'
    keys = kept.decode("ascii").split(_SEP)
    slug_keys = kept.replace(b"+", b"").decode("ascii").split(_SEP)  # letters and digits
    if "" in slug_keys:  # a key of '+' alone is no key (normalize says so)
        keys = [key if slug_key else "" for key, slug_key in zip(keys, slug_keys, strict=True)]
    # a slug: each run of other characters than letters, digits and "._-" one "-"
    runs = filter(None, low.translate(_SLUG_TABLE).split(_RUN))
    slugs = [slug.strip("-._") for slug in b"-".join(runs).decode("ascii").split(_SEP)]
    return keys, slugs, slug_keys


_DAY = r"(?:19|20)\d\d(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|1\d|2[0-8]))?)?"
_LINK = (  # a cell whose first URL _URL finds whole, and _URL_CHARS takes
    r"(?:(?!https?://)[^\x00])*"  # what comes before it
    r"https?://[^\s/?#<>\"'`\\\x00-\x1f\x7f,;]+(?:[/?#][^\s<>\"'`\\\x00-\x1f\x7f,;]*)?"
    r"(?:[\s,;][^\x00]*)?"  # and after it, from the character that ends it
)


def _column_of(pattern: str) -> re.Pattern[str]:
    """A column's cells joined by NUL, each empty or a whole ``pattern``."""
    return re.compile(rf"(?:{pattern})?(?:\x00(?:{pattern})?)*")


_DAYS, _LINKS = _column_of(_DAY), _column_of(_LINK)
_NUMBER_CHARS = f"0123456789.eE+-{_SEP}"
_NUMBER_BYTES = _NUMBER_CHARS.encode("ascii")
_MINUS = re.compile(r"(?<![eE])-")
_ONE_LINK = re.compile(_LINK)
#: what no URL _URL_CHARS takes holds (whitespace ends one); a URL with no host
_NOT_IN_LINKS = re.compile(r"[<>\"'`\\\x01-\x08\x0e-\x1b\x7f]")
#: the ASCII bytes that _NOT_IN_LINKS does not find
_IN_LINKS = bytes(c for c in range(128) if _NOT_IN_LINKS.match(chr(c)) is None)
_EMPTY_HOST = re.compile(r"://(?:[/?#\s,;\x00]|$)")


@dataclass(frozen=True, slots=True)
class _Rule:
    """What a number column's cells must be: non-negative (``zero``) or positive,
    finite once scaled and in base units (``factor``), at most 1 (``fraction``),
    whole (``whole``)."""

    zero: bool = False
    factor: float = 1.0
    fraction: bool = False
    whole: bool = False

    def fine(self, value: float) -> bool:
        return (
            (value >= 0 if self.zero else value > 0)
            and math.isfinite(value * self.factor)
            and (not self.fraction or value <= 1)
            and (not self.whole or value.is_integer())
        )


@functools.cache
def _rules() -> Mapping[str, _Rule]:
    """The rule of each number column, by its name: what :func:`_read_row` accepts."""
    out = {
        f.column: _Rule(f.zero, f.base * f.spec.scale, fraction=f.spec.scale != 1.0)
        for f in _figures()
    }
    out.update({c: _Rule() for c in (_COMPUTE, _LOWER, _UPPER)})
    out[_QUANTITY] = _Rule(whole=True)
    return out


class _Checked:
    """Which rows of an export need reading now: those with a cell that the
    checks of its whole column do not clear (it may be wrong: reading the row
    says where, or finds nothing wrong), and the others, whose records can wait.

    A column is cleared at once where its cells, joined, match one pattern and
    its extremes pass the column's rule; otherwise cell by cell, by the same
    tests the row's reading makes."""

    __slots__ = ("bad", "columns")

    def __init__(self, cells: list[list[str]], index: Mapping[str, int]) -> None:
        self.bad: set[int] = set()
        """The places in ``cells`` (the rows' cells) of the rows to read now."""
        columns = list(itertools.zip_longest(*cells, fillvalue="")) if cells else []
        width = max(index.values(), default=-1) + 1  # the columns the header names
        if columns and len(columns) < width:  # every row shorter than the header
            columns += [("",) * len(cells)] * (width - len(columns))
        self.columns = columns
        """The cells of each column ('' where a row has fewer)."""
        rules = _rules()
        for column, i in index.items() if columns else ():
            rule = rules.get(column)
            if rule is not None:
                self._numbers(columns[i], rule)
            elif column == "Publication date":
                self._dates(columns[i])
            elif column == "Link":
                self._links(columns[i])
        lower, upper = index.get(_LOWER), index.get(_UPPER)
        if columns and lower is not None and upper is not None:
            for pos, (low, high) in enumerate(zip(columns[lower], columns[upper], strict=True)):
                if (
                    low
                    and high
                    and pos not in self.bad
                    and float(low.strip()) > float(high.strip())
                ):
                    self.bad.add(pos)  # bounds the wrong way round: an error if no figure

    @staticmethod
    def _joined(column: tuple[str, ...], pattern: re.Pattern[str]) -> bool:
        """Every cell empty or a whole ``pattern`` (and none holding the separator)."""
        text = _SEP.join(column)
        return text.count(_SEP) == len(column) - 1 and pattern.fullmatch(text) is not None

    def _numbers(self, column: tuple[str, ...], rule: _Rule) -> None:
        text = _SEP.join(column)
        if (
            _only(text, _NUMBER_BYTES)  # digits, '.', 'e', '+' and '-' only
            and text.count(_SEP) == len(column) - 1
            and ("-" not in text or _MINUS.search(text) is None)  # '-' in exponents only
        ):
            try:  # float() takes the same numbers as _NUMBER does, of these characters
                values = list(map(float, filter(None, column)))
            except ValueError:
                values = [-1.0]  # (a cell such as '1e' or '.'): cell by cell
            if not values or (
                rule.fine(min(values))
                and rule.fine(max(values))
                and (not rule.whole or all(v.is_integer() for v in values))
            ):
                return
        for pos, cell in enumerate(column):
            text = cell.strip()
            if text and not (_NUMBER.match(text) and rule.fine(float(text))):
                self.bad.add(pos)

    def _dates(self, column: tuple[str, ...]) -> None:
        if self._joined(column, _DAYS):
            return
        for pos, cell in enumerate(column):
            text = cell.strip()
            if text:
                try:
                    _date(text)
                except ValueError:
                    self.bad.add(pos)

    def _links(self, column: tuple[str, ...]) -> None:
        text = _SEP + _SEP.join(column)
        if (  # every cell empty or one URL that _URL_CHARS takes: a few scans in C
            text.count(_SEP) == len(column)
            and (_only(text, _IN_LINKS) if text.isascii() else not _NOT_IN_LINKS.search(text))
            and _EMPTY_HOST.search(text) is None
            and text.count(_SEP + "https://") + text.count(_SEP + "http://")
            == len(column) - column.count("")
        ):
            return
        if self._joined(column, _LINKS):
            return
        for pos, cell, plain in zip(itertools.count(), column, map(_ONE_LINK.fullmatch, column)):
            text = cell.strip() if plain is None else ""
            if text:
                _, usable = _first_url(text)
                if not usable:
                    self.bad.add(pos)


def _only(text: str, chars: bytes) -> bool:
    """Whether ``text`` holds none but the ASCII characters ``chars`` (one scan in C)."""
    return text.isascii() and not text.encode("ascii").translate(None, chars)


def _first_url(link: str) -> tuple[str | None, bool]:
    """The first URL in a 'Link' cell (None: it holds none), and whether a source
    can hold it (a host, and no quote, '<', '>', backslash or control character)."""
    urls = _URL.findall(link)
    if not urls:
        return None, False
    return urls[0], _URL_CHARS.fullmatch(urls[0]) is not None


def _chip_names(cell: str) -> tuple[str, ...]:
    """The hardware names of a 'Training hardware' cell, each once, white space folded."""
    names: list[str] = []
    for part in cell.split(","):
        part = " ".join(part.split())
        if part and part not in names:
            names.append(part)
    return tuple(names)


class _ExportRows(DeferredRows):
    """The rows of an export that its reader has checked, made into records when
    first asked for (see :mod:`modelcompare.deferred`)."""

    def __init__(
        self, path: Path, index: dict[str, int], dataset: Source, figures: tuple[_Figure, ...]
    ) -> None:
        self.path, self.index, self.dataset, self.figures = path, index, dataset, figures
        self.read_places = _read_places(index)
        read = [c for c, _ in self.read_places]
        self.row_index = {c: n for n, c in enumerate(read)}
        """The place of each column the reader reads among a kept row's cells."""
        self.row_places = tuple((c, n) for n, c in enumerate(read))
        self.columns: list[tuple[str, ...]] = []
        """The cells of the columns the reader reads, each column a tuple ('' past a
        row's end): a kept row's cells are made into a list only when the row is
        read (a list a row, kept, would be thousands for the collector to go over)."""
        self.places: list[int] = []
        """Each row's place in ``columns``."""
        self.lines, self.ids, self.names, self.keys, self.id_keys = [], [], [], [], []
        self.sources, self.chips = [], []

    def take(
        self,
        lines: list[int],
        taken: list[int],
        names: list[str],
        keyed: tuple[list[str], list[str], list[str]],
        columns: list[tuple[str, ...]],
        tried: Mapping[int, tuple[str | None, tuple[str, ...]]],
    ) -> None:
        """Keep the rows at the places ``taken`` (``lines``: where each row is), in
        order: their lines, cells, names and keys (``keyed``: see
        :func:`_keys_and_slugs`), each model's id,
        each row's own source (where its Link and Reference are not empty) and chips
        (``tried``: what reading the rows read already found)."""
        every = len(taken) == len(lines)

        def pick(cells: Sequence[str]) -> Sequence[str]:
            return cells if every else [cells[p] for p in taken]

        keys, slugs, slug_keys = keyed
        self.lines = lines if every else [lines[p] for p in taken]
        self.columns = [columns[i] for _, i in self.read_places] if columns else []
        self.places = taken
        self.names, self.keys = list(pick(names)), list(pick(keys))
        mids, mid_keys = list(pick(slugs)), list(pick(slug_keys))
        for k in [
            k for k, (a, b) in enumerate(zip(self.keys, mid_keys, strict=True)) if a != b or not b
        ]:
            # (few: a name with '+', or no letter) an id with its line, as _row_id gives it
            mids[k] = _row_id(self.lines[k], set(), (self.keys[k], mids[k], mid_keys[k]))
            mid_keys[k] = normalize(mids[k])
        if len(set(mids)) == len(mids):  # (nearly always) each row's id as _row_id gives it
            self.ids, self.id_keys = mids, mid_keys
        else:
            ids: set[str] = set()  # the models' ids in this file
            for p, line in zip(taken, self.lines, strict=True):
                mid = _row_id(line, ids, (keys[p], slugs[p], slug_keys[p]))
                ids.add(mid)
                self.ids.append(mid)
                self.id_keys.append(slug_keys[p] if mid == slugs[p] else normalize(mid))
        index, ds = self.index, self.dataset.id
        empty = ("",) * len(taken)
        link, reference, hardware = (
            pick(columns[i]) if i is not None and columns else empty
            for i in (index.get("Link"), index.get("Reference"), index.get(_HARDWARE))
        )
        self.sources = [
            f"{ds}-line-{line}" if at.strip() and ref.strip() else None
            for at, ref, line in zip(link, reference, self.lines, strict=True)
        ]
        chips: dict[str, tuple[str, ...]] = {"": ()}
        for cell in hardware:
            names_of = chips.get(cell)
            if names_of is None:
                names_of = chips[cell] = _chip_names(cell.strip())
            self.chips.append(names_of)
        for k, p in enumerate(taken if tried else ()):
            if p in tried:  # read already: what its reading found
                self.sources[k], self.chips[k] = tried[p]

    def records(self, k: int) -> FileData:
        data = FileData(self.path)
        at = self.places[k]
        cells = [column[at] for column in self.columns]
        row = _Row(
            self.path, self.lines[k], self.row_index, cells, self.dataset.id, self.row_places
        )
        _read_row(data, row, self.dataset, self.ids[k], self.figures)
        return data


def _row_id(line: int, ids: set[str], keyed: tuple[str, str, str]) -> str:
    """The id of a row's model (``keyed``: :func:`normalize` of its name, its slug and
    the slug's key): its name as a slug, unless that is another name's key or taken
    in this file (then with the row's line)."""
    key, mid, slug_key = keyed
    if slug_key != key or not mid[:1].isalnum() or mid in ids:
        # a slug that is not the name ("0ȴ" → "0", "Command R+" → "command-r") could be
        # another model's name; a second row of one name is another model (Epoch's
        # all_ai_models.csv has two SigLIPs, of 400 M and 6.3 B parameters)
        mid = f"{mid}-line-{line}" if mid[:1].isalnum() else f"line-{line}"
    return mid


def read_bytes(path: Path, data: bytes | BinaryIO, **options: Any) -> FileData:
    """:func:`read` of the export's bytes (or of the export, opened in binary mode),
    decoded as UTF-8 as the rows are read.

    Decoding chunk by chunk keeps each cell a narrow string: decoded whole, an
    export with one character beyond U+FFFF (Epoch's have some) becomes a text of
    four bytes a character, and parsing it costs half as much again.
    :class:`UnicodeDecodeError` where ``data`` is not UTF-8."""
    raw = io.BytesIO(data) if isinstance(data, bytes) else data
    stream = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        return read(path, stream, **options)
    finally:
        stream.detach()  # the file is its opener's to close


def _newest(body: list[list[str]], index: Mapping[str, int], width: int) -> str | None:
    """The newest date (its first ten characters) in the 'Last modified' cells of the
    records that are rows (not blank, no more cells than the header's ``width``)."""
    i = index.get("Last modified")
    newest: str | None = None
    if i is None:
        return None
    for cells in body:
        if i < len(cells) <= width:
            modified = cells[i].strip()[:10]
            if modified and (newest is None or modified > newest):
                newest = modified
    return newest


def _dataset(path: Path, ds_id: str, stated_date: PartialDate | None, newest: str | None) -> Source:
    """The export as a source: dated as stated, else by its newest 'Last modified'."""
    source_date = stated_date
    basis = "stated" if stated_date is not None else None
    note = None
    if source_date is None and newest is not None:
        try:
            source_date = PartialDate.parse(newest)
        except ValueError as exc:
            raise DataFileError(
                str(path), f"'Last modified' is not a date: {exc}", field="Last modified"
            ) from None
        basis, note = "inferred", "the newest 'Last modified' in the export"
    title = EXPORTS.get(path.name, "AI Models")
    url_name = path.name if path.name in EXPORTS else "ai-models"
    return Source(
        id=ds_id,
        title=f"Epoch AI, {title} ({path.name}), CC BY 4.0",
        language="en",
        kind="dataset",
        path=str(path),
        url=f"https://epoch.ai/data/{url_name}",
        date=source_date,
        date_basis=basis,
        date_note=note,
        publisher="Epoch AI",
        external=True,
        license=LICENSE,
        file=path.resolve(),
    )


def _primary(data: FileData, row: _Row) -> Citation | None:
    """The row's own Link/Reference, as a URL source; its citation (the Reference
    as quote) or None where the row has no link."""
    link = row.get("Link")
    if link is None:
        return None
    url, usable = _first_url(link)
    if url is None:
        shown = link if len(link) <= 60 else link[:57] + "..."
        raise row.error(
            "Link",
            f"{shown!r} is not a link: the cell holds no http:// or https:// URL",
            suggestion="give the row's source as an http(s) URL, or leave the cell empty",
        )
    if not usable:
        raise row.error(
            "Link",
            f"{url!r} is not a usable link: a URL has a host, and no quote, '<', '>', "
            "backslash or control character",
            suggestion="percent-encode such characters (a quote is %22)",
        )
    reference = row.get("Reference")
    if reference is None:
        return None
    sid = f"{row.source}-line-{row.line}"
    kind = "paper" if "arxiv.org" in url or url.lower().endswith(".pdf") else "web"
    # what Source checks holds: a slug id, the Reference as title (stripped, not
    # empty), an http(s) URL with a host and no character a URL may not hold
    src = _unchecked(
        Source,
        sid,
        reference,
        "en",
        kind,
        None,
        url,
        None,
        None,
        f"the reference Epoch AI gives for {row.name!r}",
        None,
        True,
        None,
        None,
        (),
    )
    data.sources.append((src, f"source {sid!r}", row.line))
    return _unchecked(Citation, src, reference, None, None, None)  # a non-empty quote


#: Makers of the records a row makes most (see records._unchecked).
_new_claim: Callable[..., Claim] = _maker(Claim)
_new_citation: Callable[..., Citation] = _maker(Citation)
_new_locator: Callable[..., Locator] = _maker(Locator)
_new_origin: Callable[..., Origin] = _maker(Origin)

#: The citation lines of an Origin, by its number of citations: none known (an
#: export's quotes are found by their locators).
_NO_LINES = tuple((None,) * n for n in range(4))


class _Claims:
    """Makes the claims of one row, each citing the cell it reads (and the row's
    own source): what Claim and Citation check holds (a stated status, an Estimate,
    a citation, non-empty quotes, note and confidence)."""

    __slots__ = ("confidence", "data", "dataset", "extra", "mid", "note", "row", "where")

    def __init__(
        self, data: FileData, row: _Row, dataset: Source, mid: str, primary: Citation | None
    ) -> None:
        self.data, self.row, self.dataset, self.mid = data, row, dataset, mid
        self.where = data.where
        self.extra = () if primary is None else (primary,)
        self.confidence = row.get("Confidence")
        self.note = f"Epoch AI's confidence: {self.confidence}" if self.confidence else None
        """What every claim of the row notes first (None: nothing)."""

    def notes(self, note: str | None) -> str | None:
        """The note of a claim that also notes ``note``."""
        if not note:
            return self.note
        return note if self.note is None else f"{self.note}; {note}"

    def citation(self, column: str) -> Citation:
        """The citation of the cell in ``column`` (not empty), found by its locator."""
        row = self.row
        text = row.get(column)
        assert text is not None
        return _new_citation(
            self.dataset, text, _new_locator(row.line, row.name, column), None, None
        )

    def add(
        self,
        column: str,
        field: str,
        value: Estimate | str,
        note: str | None,
        record: str | None = None,
    ) -> None:
        """The claim of the cell in ``column`` (``record``: its record's end, if known)."""
        row = self.row
        cites = (self.citation(column), *self.extra)
        end = f", column {column!r}" if record is None else record
        origin = _new_origin(self.where, row.line, row.record + end, _NO_LINES[len(cites)])
        self.data.made.append(
            _new_claim(
                self.mid,
                field,
                value,
                Status.REPORTED,
                cites,
                None,
                note,
                None,
                (),
                self.confidence,
                origin,
            )
        )


def _read_row(
    data: FileData,
    row: _Row,
    dataset: Source,
    mid: str,
    figures: tuple[_Figure, ...] | None = None,
) -> None:
    """The records of one row: its model (named ``mid``; every row is a model of its
    own, which the merge may join to a loaded model of its name), its primary
    source, a claim per figure cell (``figures``: the figure columns the header
    has), each citing ``dataset``."""
    draft = _Draft(row.record, row.line, {}, [row.cite("Model")])
    data.matched_models.append((_model(row, mid), draft))
    claims = _Claims(data, row, dataset, mid, _primary(data, row))
    values = row.values
    for fig in _figures() if figures is None else figures:
        column = fig.column
        text = values.get(column)
        if text is None:
            continue
        value = row.number(column, zero=fig.zero, text=text)
        assert value is not None
        spec = fig.spec
        if spec.scale != 1.0:
            if spec.field == "hardware_utilization" and value > 1:
                raise row.error(column, f"expected a fraction between 0 and 1 (got {value:g})")
            value = float(f"{value * spec.scale:.12g}")
        try:
            estimate = _exact(fig.unit, value, fig.base)
        except InvalidValueError as exc:  # a figure too large in base units (1e306 hours)
            raise row.error(column, str(exc)) from None
        claims.add(column, spec.field, estimate, claims.notes(spec.note), fig.record)
    _compute(row, claims)
    _hardware(data, row, claims)
    if (base := values.get(_BASE)) is not None:
        note = "Epoch AI's 'Base model': the model it was fine-tuned from"
        claims.add(_BASE, "base_model", base, claims.notes(note))


@functools.lru_cache(maxsize=4096)  # the dates of an export repeat (one record each)
def _date(text: str) -> PartialDate:
    """``PartialDate.parse(text)``, one record per date text."""
    return PartialDate.parse(text)


def _model(row: _Row, mid: str) -> Model:
    """The model of the row, named ``mid``."""
    name, line, where = row.name, row.line, row.path.name
    announced = None
    pub = row.get("Publication date")
    if pub is not None:
        try:
            announced = _date(pub)
        except ValueError as exc:
            raise row.error("Publication date", str(exc)) from None
    domain = row.get("Domain") or ""
    access = row.get("Model accessibility") or ""
    note = f"In Epoch AI's {where} (line {line})"
    if domain:
        note += f"; domain: {domain}"
    if access:
        note += f"; accessibility: {access}"
    # what Model checks holds: ``mid`` is a slug, the name and organization stripped
    # non-empty text, the modality and status of their kinds, a stated date with its note
    return _unchecked(
        Model,
        mid,
        name,
        row.get("Organization") or "unknown (Epoch AI gives none)",
        _modality(domain),
        _status(access),
        (),
        None,
        announced,
        note + ".",
        (),
        (),
        None,
        "stated" if announced is not None else None,
        (
            f"Epoch AI's 'Publication date' ({where}, line {line})"
            if announced is not None
            else None
        ),
        (),
        None,
    )


def _compute(row: _Row, claims: _Claims) -> None:
    value = row.number(_COMPUTE)
    low, high = row.number(_LOWER), row.number(_UPPER)
    base = row.get(_BASE)
    total = (
        None
        if base is None
        else f"the row names a base model ({base}): a fine-tuned model's training compute "
        "may include the base model's training"
    )

    def claim(column: str, est: Estimate, note: str | None) -> None:
        if total is not None:
            note = total if note is None else f"{note}; {total}"
        claims.add(column, "training_compute", est, claims.notes(note))

    if value is None:
        if low is not None and high is not None:
            if low > high:
                raise row.error(_LOWER, f"the lower bound {low:g} is above the upper {high:g}")
            claim(_LOWER, Estimate.between(low, high, "FLOP"), "bounds only")
        elif low is not None:
            claim(_LOWER, Estimate.at_least(low, "FLOP"), "a lower bound")
        elif high is not None:
            claim(_UPPER, Estimate.at_most(high, "FLOP"), "an upper bound")
        return
    if low is not None and high is not None and low <= value <= high:
        est = Estimate.about(value, "FLOP", low=low, high=high)
        claim(_COMPUTE, est, f"Epoch's bounds: {low:g} to {high:g} FLOP")
        return
    notes = []
    if low is not None:
        notes.append(f"Epoch's lower bound {low:g} FLOP")
    if high is not None:
        notes.append(f"Epoch's upper bound {high:g} FLOP")
    if notes and low is not None and high is not None:
        notes.append("they do not bracket the figure, so are not used as its range")
    elif notes:
        notes.append("one bound only, so not used as a range")
    claim(_COMPUTE, _exact(_flop(), value), "; ".join(notes) or None)


@functools.cache
def _flop() -> Any:
    return unit_of("FLOP")


def _hardware(data: FileData, row: _Row, claims: _Claims) -> None:
    cell = row.get(_HARDWARE)
    quantity = row.number(_QUANTITY)
    if quantity is not None and not quantity.is_integer():
        raise row.error(
            _QUANTITY,
            f"expected a whole number of chips (got {row.get(_QUANTITY)!r})",
            suggestion="a count of chips is a whole number, such as 512 or 512.0",
        )
    if cell is None:
        if quantity is not None:
            note = claims.notes("Epoch AI gives the quantity but not the hardware")
            value = Estimate.exact(quantity, "chip")
            claims.add(_QUANTITY, "training_accelerators", value, note)
        return
    extra = [_Cite(c.source.id, c.quote, made=c) for c in claims.extra]
    data.hardware.append(
        HardwareDraft(
            record=f"{row.record}, column {_HARDWARE!r}",
            line=row.line,
            names=_chip_names(cell),
            quantity=quantity,
            kwargs={
                "subject": claims.mid,
                "status": Status.REPORTED,
                "confidence": claims.confidence,
                "as_of": None,
                "note": claims.note,
            },
            cites=[row.cite(_HARDWARE), *extra],
            quantity_cite=row.cite(_QUANTITY) if quantity is not None else None,
        )
    )
