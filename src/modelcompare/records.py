"""The registry's records: frozen, typed, and checked when made.

A record that is given a wrong value raises :class:`ValueError` saying which
field and what was expected; the loader adds the file, line and record.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

from .estimate import Estimate

__all__ = [
    "Accelerator",
    "Citation",
    "Claim",
    "ClaimValue",
    "Locator",
    "ModelStatus",
    "Origin",
    "PartialDate",
    "Rank",
    "Related",
    "Source",
    "Status",
]


#: A web URL as a source may give it: a host, and nothing that could end a link
#: or an attribute in an output (white space, quotes, angle brackets, controls).
_URL_CHARS = re.compile(r"https?://[^\s/?#<>\"'`\\\x00-\x1f\x7f]+[^\s<>\"'`\\\x00-\x1f\x7f]*", re.I)


class Status(StrEnum):
    """How a claim is known."""

    RUMORED = "rumored"  #: a rumour, or the conditional ("aurait", "would have")
    REPORTED = "reported"  #: reported by the press as fact
    OFFICIAL = "official"  #: stated by the organization itself
    DERIVED = "derived"  #: computed by modelcompare from other claims


class ModelStatus(StrEnum):
    """Where a model stands."""

    RUMORED = "rumored"  #: spoken of only as a rumour
    PLANNED = "planned"  #: to be built or released (« prévu »)
    ANNOUNCED = "announced"  #: presented or named by its maker, with no release said
    PREVIEW = "preview"  #: open to testing before a release
    RELEASED = "released"


MODALITIES = ("text", "speech", "image", "multimodal", "code", "other")
SOURCE_KINDS = ("press", "paper", "datasheet", "web", "dataset", "other")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")  # always fullmatch: "acme-1\n" is no id
_R = TypeVar("_R")


def _need(cond: bool, message: str | Callable[[], str]) -> None:
    """Raise ValueError(message) unless ``cond``; a callable message is built only then."""
    if not cond:
        raise ValueError(message if isinstance(message, str) else message())


def _text(name: str, value: Any, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    _need(
        isinstance(value, str) and value.strip() != "",
        lambda: f"{name!r} must be non-empty text (got {value!r})",
    )


def _check_basis(key: str, date: object, basis: str | None, note: str | None) -> None:
    """A date's basis is "stated" or "inferred", and an inferred date says how it was reached."""
    if basis is None and note is None:
        return
    _need(date is not None, lambda: f"'{key}_basis' and '{key}_note' need a date in '{key}'")
    _need(
        basis in ("stated", "inferred"),
        lambda: f"'{key}_basis' must be 'stated' or 'inferred' (got {basis!r})",
    )
    _need(
        basis != "inferred" or note is not None,
        lambda: f"'{key}_note' is required where the date is inferred: say how it was reached",
    )
    _text(f"{key}_note", note, optional=True)


@functools.total_ordering
@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day: ``2024-05``."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        _need(1900 <= self.year <= 2100, lambda: f"year {self.year} is out of range")
        _need(self.month is not None or self.day is None, "a day needs a month")
        if self.month is not None:
            _need(1 <= self.month <= 12, lambda: f"month {self.month} is out of range")
        if self.day is not None:
            assert self.month is not None
            try:
                _dt.date(self.year, self.month, self.day)
            except ValueError as exc:
                raise ValueError(f"{self} is not a date: {exc}") from None

    @classmethod
    def parse(cls, text: str | _dt.date) -> PartialDate:
        """``"2024"``, ``"2024-05"`` or ``"2024-05-16"`` (or a ``datetime.date``)."""
        if isinstance(text, _dt.date):
            return cls(text.year, text.month, text.day)
        m = _DATE.fullmatch(text) if isinstance(text, str) else None
        if m is None:
            raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD (got {text!r})")
        y, mo, d = m.groups()
        return cls(int(y), int(mo) if mo else None, int(d) if d else None)

    def _key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        """Earlier; a date known to the month sorts before the days of that month."""
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
        if self.day is not None:
            out += f"-{self.day:02d}"
        return out


@dataclass(frozen=True, slots=True, order=True)
class Rank:
    """A position on a leaderboard: an ordinal, never added or scaled."""

    position: int
    of: int | None = None

    def __post_init__(self) -> None:
        _need(
            isinstance(self.position, int)
            and not isinstance(self.position, bool)
            and self.position >= 1,
            lambda: f"a rank must be a whole number ≥ 1 (got {self.position!r})",
        )
        if self.of is not None:
            _need(
                isinstance(self.of, int)
                and not isinstance(self.of, bool)
                and self.of >= self.position,
                lambda: f"'of' must be a whole number ≥ the position (got {self.of!r})",
            )

    def __str__(self) -> str:
        return f"#{self.position}" + (f" of {self.of}" if self.of else "")


@dataclass(frozen=True, slots=True)
class Related:
    """Other models a claim relates its model to (``rival_of``, ``same_class_as``), by id.

    ``names`` are filled in when the registry is loaded (the loader checks that each id
    is a model); two values are equal when they name the same ids in the same order.
    """

    ids: tuple[str, ...]
    names: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        _need(
            isinstance(self.ids, tuple) and len(self.ids) > 0,
            lambda: f"a relation names at least one model id (got {self.ids!r})",
        )
        bad = [i for i in self.ids if not (isinstance(i, str) and _ID.fullmatch(i))]
        _need(not bad, lambda: f"a relation names models by id, such as 'gpt-4' (got {bad[0]!r})")
        _need(
            len(set(self.ids)) == len(self.ids),
            lambda: f"a relation names each model once (got {list(self.ids)!r})",
        )
        _need(
            self.names == () or len(self.names) == len(self.ids),
            "a relation has one name per id",
        )

    def __str__(self) -> str:
        return ", ".join(self.names or self.ids)

    def __repr__(self) -> str:
        return f"<Related {', '.join(self.ids)}>"


#: What a claim can hold: a quantity, a rank, text (a category or a description),
#: or the models it relates to.
ClaimValue: TypeAlias = Estimate | Rank | str | Related
_CLAIM_VALUES = (Estimate, Rank, str, Related)


@dataclass(frozen=True, slots=True)
class Source:
    """A document facts come from: one of the seed articles, a paper, a datasheet."""

    id: str
    title: str
    language: str
    kind: str = "press"
    path: str | None = None
    url: str | None = None
    date: PartialDate | None = None
    date_basis: str | None = None
    date_note: str | None = None
    publisher: str | None = None
    external: bool = False
    license: str | None = None
    """The terms the source may be reused under (``CC BY 4.0``), with its attribution."""
    file: Path | None = field(default=None, compare=False, repr=False)
    """Where ``path`` resolved to on this machine."""
    outside: tuple[Citation, ...] = ()
    """Quotes from other sources that an inferred ``date`` (or ``date_note``) rests on."""

    def __post_init__(self) -> None:
        _need(
            isinstance(self.id, str) and bool(_ID.fullmatch(self.id)),
            lambda: f"'id' must be a lowercase slug such as 'seed-003' (got {self.id!r})",
        )
        _text("title", self.title)
        _need(
            isinstance(self.language, str) and bool(re.fullmatch(r"[a-z]{2}", self.language)),
            lambda: f"'language' must be a two-letter code such as 'fr' (got {self.language!r})",
        )
        _need(
            self.kind in SOURCE_KINDS,
            lambda: f"'kind' must be one of {', '.join(SOURCE_KINDS)} (got {self.kind!r})",
        )
        _need(self.path is not None or self.url is not None, "a source needs a 'path' or a 'url'")
        _text("path", self.path, optional=True)
        if self.url is not None:
            _need(
                isinstance(self.url, str) and self.url.startswith(("https://", "http://")),
                lambda: f"'url' must start with https:// or http:// (got {self.url!r})",
            )
            _need(
                _URL_CHARS.fullmatch(self.url) is not None,
                lambda: (
                    f"'url' must have a host and no white space, quote, '<', '>', "
                    f"backslash or control character; percent-encode them (got {self.url!r})"
                ),
            )
        if self.date_basis is not None:
            _need(
                self.date_basis in ("stated", "inferred"),
                lambda: f"'date_basis' must be 'stated' or 'inferred' (got {self.date_basis!r})",
            )
        _text("date_note", self.date_note, optional=True)
        _text("publisher", self.publisher, optional=True)
        _need(
            isinstance(self.external, bool),
            lambda: f"'external' must be true or false (got {self.external!r})",
        )
        _text("license", self.license, optional=True)

    def __repr__(self) -> str:
        return f"<Source {self.id}: {_short(self.title)}>"

    def text(self) -> str:
        """The source's text, read from its file (:class:`OSError` if there is none)."""
        if self.file is None:
            raise FileNotFoundError(f"source {self.id!r} has no text file")
        return self.file.read_text(encoding="utf-8")

    @property
    def where(self) -> str:
        """How a footnote points at it: the URL of an external source (its file is
        an excerpt), else the path of the seed article, else the URL."""
        if self.external and self.url:
            return self.url
        return self.path or self.url or ""


@dataclass(frozen=True, slots=True)
class Locator:
    """Where in a tabular source a quote stands: a row (its first line and its
    record's name) and a column. ``validate`` reads the cell there."""

    line: int
    record: str
    column: str

    def __post_init__(self) -> None:
        _need(
            isinstance(self.line, int) and self.line >= 1,
            lambda: f"a locator's line must be ≥ 1 (got {self.line!r})",
        )
        _text("column", self.column)

    def __str__(self) -> str:
        return f"line {self.line} ({self.record}), column {self.column!r}"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record is written: the data file, the line of its table, how the
    file's problems name it (``claim #3 (acme-1, parameters)``) and the line of
    each of its citations."""

    path: str
    line: int | None
    record: str
    citation_lines: tuple[int | None, ...] = ()

    def citation_line(self, index: int) -> int | None:
        """The line of the record's ``index``-th citation (else the record's)."""
        lines = self.citation_lines
        if index < len(lines) and lines[index] is not None:
            return lines[index]
        return self.line

    @classmethod
    def lazy(
        cls,
        path: str,
        line: int | None,
        record: str,
        citation_lines: Callable[[], tuple[int | None, ...]],
    ) -> Origin:
        """An Origin whose ``citation_lines`` are computed by ``citation_lines()`` when
        first read (a loader finds them only if they are asked for: most never are).
        It is the same Origin in every other way: equal, hashed, shown, replaced and
        pickled with the lines themselves."""
        origin = object.__new__(cls)
        object.__setattr__(origin, "path", path)
        object.__setattr__(origin, "line", line)
        object.__setattr__(origin, "record", record)
        _CITATION_LINES.__set__(origin, citation_lines)
        return origin


#: The slot behind ``Origin.citation_lines``, which may hold a function computing them.
_CITATION_LINES: Any = Origin.__dict__["citation_lines"]


def _citation_lines(origin: Origin) -> tuple[int | None, ...]:
    lines = _CITATION_LINES.__get__(origin, Origin)
    if callable(lines):
        lines = lines()
        _CITATION_LINES.__set__(origin, lines)
    return lines  # type: ignore[no-any-return]


# read through _citation_lines (set by __init__, never after: the class stays frozen)
setattr(Origin, "citation_lines", property(_citation_lines, _CITATION_LINES.__set__))  # noqa: B010


@dataclass(frozen=True, slots=True)
class Citation:
    """A verbatim quote from a source (at ``locator``, for a table such as a CSV export)."""

    source: Source
    quote: str
    locator: Locator | None = None
    no_figure: str | None = None
    """Why the quote supports a figure it does not state (validate then does not
    look for the figure in it)."""
    scale: str | None = None
    """How the quote's French billion/trillion reads: ``"short"`` (10^9, 10^12) or
    ``"long"`` (10^12, 10^18); None: the reader's default (long, for French)."""

    def __post_init__(self) -> None:
        if not (isinstance(self.quote, str) and self.quote.strip()):
            _text("quote", self.quote)
        if self.no_figure is not None:
            _text("no_figure", self.no_figure)
        if self.scale is not None and self.scale not in ("short", "long"):
            raise ValueError(f"'scale' must be 'short' or 'long' (got {self.scale!r})")

    def __repr__(self) -> str:
        return f"<Citation {self.source.id}: {_short(self.quote)}>"


@dataclass(frozen=True, slots=True)
class Claim:
    """One reported (or derived) fact about a model or an accelerator."""

    subject: str
    """The id of the model (or accelerator) the claim is about."""
    field: str
    value: ClaimValue
    status: Status
    citations: tuple[Citation, ...] = ()
    as_of: PartialDate | None = None
    note: str | None = None
    formula: str | None = None
    """For a derived claim: how it was computed, e.g. ``6 · N · D``."""
    inputs: tuple[Claim, ...] = ()
    """For a derived claim: the claims and catalog figures it used."""
    confidence: str | None = None
    """The confidence level a dataset gives the figure, verbatim (Epoch AI's
    ``Confident``, ``Likely``, ``Speculative`` …); None where it gives none."""
    origin: Origin | None = dataclasses.field(default=None, compare=False, repr=False)
    """Where a data file states it (None for a derived claim, or one made in code)."""

    def __post_init__(self) -> None:
        if not isinstance(self.value, _CLAIM_VALUES):
            raise ValueError(
                f"'value' must be an Estimate, a Rank, text or Related (got {self.value!r})"
            )
        if type(self.status) is not Status:
            try:
                object.__setattr__(self, "status", Status(self.status))
            except ValueError:
                choices = ", ".join(s.value for s in Status)
                raise ValueError(
                    f"'status' must be one of {choices} (got {self.status!r})"
                ) from None
        if self.status is Status.DERIVED:
            _need(bool(self.formula and self.inputs), "a derived claim needs a formula and inputs")
        elif len(self.citations) == 0:
            raise ValueError("a claim needs at least one citation")
        if self.note is not None:
            _text("note", self.note)
        if self.confidence is not None:
            _text("confidence", self.confidence)

    def __repr__(self) -> str:
        """One line: subject, field, value, status and sources (the detail is in the
        attributes: ``citations``, ``inputs``, ``note``)."""
        cited = ", ".join(s.id for s in self.sources)
        return f"<Claim {self.subject} {self.field} = {self.value} ({self.status.value}; {cited})>"

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources behind this claim: cited, or (derived) those of its inputs."""
        seen: dict[str, Source] = {}
        for c in self.citations:
            seen.setdefault(c.source.id, c.source)
        for i in self.inputs:
            for s in i.sources:
                seen.setdefault(s.id, s)
        return tuple(seen.values())


@dataclass(frozen=True, slots=True)
class Accelerator:
    """A chip (or superchip) in the hardware catalog, with sourced specs."""

    id: str
    unit: str
    name: str
    vendor: str
    form_factor: str = "gpu"
    gpus_per_unit: int = 1
    default: bool = False
    released: PartialDate | None = None
    note: str | None = None
    specs: tuple[Claim, ...] = ()
    aliases: tuple[str, ...] = ()
    """Other names of this chip, such as the hardware names of Epoch AI's exports."""

    def __post_init__(self) -> None:
        _need(
            isinstance(self.id, str) and bool(_ID.fullmatch(self.id)),
            lambda: f"'id' must be a lowercase slug such as 'h100-sxm' (got {self.id!r})",
        )
        _text("name", self.name)
        _text("vendor", self.vendor)
        _need(
            self.form_factor in ("gpu", "superchip", "chip"),
            lambda: (
                f"'form_factor' must be 'gpu', 'superchip' or 'chip' (got {self.form_factor!r})"
            ),
        )
        _need(
            isinstance(self.gpus_per_unit, int)
            and not isinstance(self.gpus_per_unit, bool)
            and self.gpus_per_unit >= 1,
            lambda: f"'gpus_per_unit' must be a whole number ≥ 1 (got {self.gpus_per_unit!r})",
        )
        _need(
            isinstance(self.default, bool),
            lambda: f"'default' must be true or false (got {self.default!r})",
        )
        _text("note", self.note, optional=True)
        for a in self.aliases:
            _text("aliases", a)

    def __repr__(self) -> str:
        return (
            f"<Accelerator {self.id} ({self.unit}): {_short(self.name)}, {len(self.specs)} specs>"
        )

    def spec(self, field: str) -> Claim | None:
        """The spec claim for ``field`` (``bf16_dense``, ``tdp`` …), or None."""
        for s in self.specs:
            if s.field == field:
                return s
        return None


@functools.cache
def _maker(cls: type) -> Callable[..., Any]:
    """A function making a record of the slotted class ``cls`` from its fields'
    values in order, without ``__post_init__`` (written out per class, as
    :mod:`dataclasses` writes ``__init__``: a loop over setters is twice as slow)."""
    names = [f.name for f in dataclasses.fields(cls)]
    args = ", ".join(f"_{i}" for i in range(len(names)))
    body = "".join(f"    _set(obj, {n!r}, _{i})\n" for i, n in enumerate(names))
    namespace: dict[str, Any] = {"_new": object.__new__, "_set": object.__setattr__, "cls": cls}
    exec(f"def make({args}):\n    obj = _new(cls)\n{body}    return obj\n", namespace)
    return namespace["make"]  # type: ignore[no-any-return]


def _unchecked(cls: type[_R], *values: Any) -> _R:
    """The record ``cls(*values)`` (every field given, in order), made without
    ``__post_init__``: for values already checked as it would check them (a reader
    that made them itself). Each use is pinned by a test to the checked constructor."""
    make: Callable[..., _R] = _maker(cls)  # type: ignore[arg-type]
    return make(*values)


def _short(text: str, limit: int = 60) -> str:
    """``text`` quoted as ``repr`` does, cut to about ``limit`` characters."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
