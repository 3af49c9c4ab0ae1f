"""The table a comparison is: :class:`Table`, its :class:`Column` s and
:class:`Cell` s (each of :class:`Piece` s, with their :class:`Flag` s), its
legend and notes; plain frozen records, made by
:func:`~modelcompare.comparison.compare` and read by every renderer
(:mod:`modelcompare.render`) and by the charts (:mod:`modelcompare.plot`).

It sits below all of them: it imports none of modelcompare's modules but for
types. :class:`~modelcompare.comparison.Comparison` is a :class:`Table` with
the methods that render it (``to_markdown()``, ``plot()`` …); what each cell
shows is documented in :mod:`modelcompare.comparison`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal, TypeAlias

if TYPE_CHECKING:
    from .display import Scale
    from .fields import FieldSpec
    from .i18n import Lang
    from .model import Model
    from .records import Claim, ClaimValue, Source

__all__ = [
    "CLAIMS_MODES",
    "MISSING",
    "Cell",
    "ClaimsMode",
    "Column",
    "ColumnKind",
    "Flag",
    "LegendEntry",
    "Note",
    "Piece",
    "Table",
]

#: What a cell shows where there is no value.
MISSING = "—"
_NAN = math.nan

#: How cells show their claims: ``"value"``, the value they agree on (the
#: default), or ``"each"``, every claim with its own marks and sources.
ClaimsMode: TypeAlias = Literal["value", "each"]
#: The values :func:`compare`'s ``claims`` takes.
CLAIMS_MODES: tuple[ClaimsMode, ...] = ("value", "each")


class Flag(StrEnum):
    """Something a cell's reader must know about its value; each has a mark."""

    RUMORED = "rumored"  #: rests on claims the sources report as rumor
    DERIVED = "derived"  #: computed by modelcompare from other figures
    SOURCES_DIFFER = "sources differ"  #: different but compatible figures
    CONFLICT = "conflict"  #: figures that contradict each other
    PARTIAL = "partial"  #: a ratio that compares one kind of chip of several

    @property
    def mark(self) -> str:
        """The symbol a table shows: ``†``, ``‡``, ``§``, ``!`` or ``*``."""
        return _MARKS[self]


_MARKS = {
    Flag.RUMORED: "†",
    Flag.DERIVED: "‡",
    Flag.SOURCES_DIFFER: "§",
    Flag.CONFLICT: "!",
    Flag.PARTIAL: "*",
}


class ColumnKind(StrEnum):
    """What a column holds."""

    QUANTITY = "quantity"  #: a quantity field: numbers with a unit
    RATIO = "ratio"  #: a quantity field divided by the reference model's (``vs=``)
    RANK = "rank"  #: a leaderboard position
    TEXT = "text"  #: a category such as ``moe``


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a comparison: a field, or a field's ratio to the reference model."""

    key: str
    """A unique name: the field name (``parameters``), or ``parameters × GPT-4``."""
    field: FieldSpec
    label: str
    """``Parameters``, or ``× GPT-4`` for a ratio column."""
    kind: ColumnKind
    unit: str = ""
    """The unit the header shows in parentheses (``B``, ``%``); empty for none."""
    number_unit: str = ""
    """The unit of the cells' numbers (``B parameters``, ``%``); empty where
    dimensionless or where each cell has its own (:attr:`per_cell_unit`)."""
    per_cell_unit: bool = False
    """True for accelerator counts: each cell carries its chip's unit."""
    scale: Scale | None = None
    """The display scale of the cells' numbers (None where each cell has its own,
    or for text and ranks)."""

    @property
    def header(self) -> str:
        """The header text: ``Parameters (B)``, ``MMLU (%)``, ``Training accelerators``."""
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @property
    def numeric(self) -> bool:
        """True for quantity and ratio columns (right-aligned, with numbers)."""
        return self.kind in (ColumnKind.QUANTITY, ColumnKind.RATIO)


class _Marked:
    """A text followed by its marks and source numbers (:class:`Piece`, :class:`Cell`)."""

    __slots__ = ()
    text: str
    flags: tuple[Flag, ...]
    sources: tuple[int, ...]

    @property
    def marks(self) -> str:
        """The flags' marks, space-separated: ``† §``."""
        return " ".join(f.mark for f in self.flags)

    @property
    def refs(self) -> str:
        """The source numbers as a cell cites them: ``[1, 2]`` (empty for none)."""
        return f"[{', '.join(map(str, self.sources))}]" if self.sources else ""

    @property
    def suffix(self) -> str:
        """What follows the value: marks, then source numbers (``† [1, 2]``)."""
        return " ".join(part for part in (self.marks, self.refs) if part)

    @property
    def display(self) -> str:
        """The text with its marks and source numbers, as plain text shows it."""
        return f"{self.text} {self.suffix}" if self.suffix else self.text


@dataclass(frozen=True, slots=True)
class Piece(_Marked):
    """One figure of a cell, with its own marks and source numbers.

    Renderers write a cell piece by piece: each piece's :attr:`separator`, its
    text, then its :attr:`suffix` (in LaTeX its own ``\\textsuperscript``, in
    HTML its own ``<sup>``). A cell of the default mode is one piece, the cell
    itself; with ``compare(..., claims="each")`` each claim is a piece (see the
    module doc), and ``!`` marks a piece that contradicts another of the cell.
    """

    text: str
    """The figure in the column's scale, without marks: ``1,760``, ``≥1,000``, ``moe``."""
    flags: tuple[Flag, ...] = ()
    sources: tuple[int, ...] = ()
    """The numbers of this piece's sources (1-based, see :attr:`Comparison.sources`)."""
    separator: str = ""
    """What the cell shows before this piece: nothing for the first, ``" / "``
    between figures of one kind, ``" + "`` between kinds of chip."""
    value: ClaimValue | None = None
    """The value the piece shows (None for a missing cell or, in the default
    mode, a conflict)."""
    claims: tuple[Claim, ...] = ()
    """The claims behind the piece (several where they give the same figure,
    with the same status and sources)."""
    low: float = _NAN
    """The lower end in the column's scale (NaN where unbounded or not a quantity)."""
    nominal: float = _NAN
    """The nominal value in the column's scale (NaN where unknown or not a quantity)."""
    high: float = _NAN
    """The upper end in the column's scale (NaN where unbounded or not a quantity)."""
    unit: str = ""
    """The unit of the numbers (the column's, or this piece's chip)."""


@dataclass(frozen=True, slots=True)
class Cell(_Marked):
    """One model's entry in one column: one or more :attr:`pieces`."""

    text: str
    """The value as shown, in the column's scale, without marks: ``1,760``,
    ``≈15,000 H100 + ? GB200``, ``500 / ≥600``, or :data:`MISSING`; with
    ``claims="each"``, every piece's text (``1,760 / ≥1,000``)."""
    flags: tuple[Flag, ...] = ()
    """The flags of the cell's :attr:`value`, the value its numbers describe, in
    either mode (with ``claims="each"`` each piece has its own: MAI-1's 500 B is
    not rumored, though its ≥500 B claim is)."""
    sources: tuple[int, ...] = ()
    """The numbers of the sources behind the cell (1-based, see :attr:`Comparison.sources`)."""
    value: ClaimValue | None = None
    """The value the numbers describe (None where missing or in conflict)."""
    shown: tuple[ClaimValue, ...] = ()
    """Every value the text shows (several in a conflict or for several chips)."""
    claims: tuple[Claim, ...] = ()
    """The claims behind the cell."""
    low: float = _NAN
    """The lower end in the column's scale; NaN where unbounded, missing or not a quantity."""
    nominal: float = _NAN
    """The nominal value in the column's scale; NaN where unknown or not a quantity."""
    high: float = _NAN
    """The upper end in the column's scale; NaN where unbounded, missing or not a quantity."""
    unit: str = ""
    """The unit of the numbers (the column's, or this cell's chip)."""
    pieces: tuple[Piece, ...] = ()
    """What the renderers write, piece by piece: by default one piece, the
    cell's text, flags and sources (filled in when not given); with
    ``claims="each"`` one per claim."""

    def __post_init__(self) -> None:
        if not self.pieces:
            whole = Piece(
                self.text,
                self.flags,
                self.sources,
                "",
                self.value,
                self.claims,
                self.low,
                self.nominal,
                self.high,
                self.unit,
            )
            object.__setattr__(self, "pieces", (whole,))

    @property
    def missing(self) -> bool:
        """True where the cell has no value at all."""
        return not self.shown

    @property
    def display(self) -> str:
        """The pieces with their marks and source numbers, as plain text shows
        them: ``1.76 † § [3, 4]``; with ``claims="each"``, ``1,760 † [2] / ≥1,000 † [3]``."""
        return "".join(p.separator + p.display for p in self.pieces)


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """What a mark or a qualifier used in the table means."""

    mark: str
    meaning: str

    def __str__(self) -> str:
        return f"{self.mark}: {self.meaning}"


@dataclass(frozen=True, slots=True)
class Note:
    """A note from the data: on a model (``column`` None) or on a claim behind a cell."""

    model: Model
    column: Column | None
    text: str

    @property
    def about(self) -> str:
        """What the note is about: ``MAI-1-preview`` or ``MAI-1-preview, Training accelerators``."""
        return self.model.name if self.column is None else f"{self.model.name}, {self.column.label}"


@dataclass(frozen=True, slots=True, repr=False)
class Table:
    """A side-by-side table: one row per model, one column per field. Made by
    :func:`~modelcompare.comparison.compare`, as a
    :class:`~modelcompare.comparison.Comparison` (which renders it)."""

    models: tuple[Model, ...]
    """The rows' models, in order."""
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    """One tuple of cells per model, one cell per column."""
    sources: tuple[Source, ...]
    """The sources cited, numbered from 1 in order of first appearance."""
    legend: tuple[LegendEntry, ...]
    """The marks and qualifiers the table uses, and what they mean."""
    notes: tuple[Note, ...] = ()
    """The models' notes and the notes of the claims behind the cells."""
    title: str | None = None
    vs: Model | None = None
    """The reference model of the ratio columns, if any."""
    claims_mode: ClaimsMode = "value"
    """How the cells show their claims: ``"value"`` or ``"each"`` (:func:`compare`'s ``claims``)."""
    lang: Lang = "en"
    """The language the table is written in (:func:`compare`'s ``lang``)."""

    @property
    def row_names(self) -> tuple[str, ...]:
        """Each row's model as the human formats (Markdown, LaTeX, HTML, charts)
        name it: by its name, and where another row has the same name (Epoch AI's
        all_ai_models.csv has two SigLIPs), with its id after it, ``SigLIP
        (siglip-line-6753)``. The machine formats keep the name (and JSON the id)."""
        seen: dict[str, int] = {}
        for m in self.models:
            seen[m.name] = seen.get(m.name, 0) + 1
        return tuple(m.name if seen[m.name] == 1 else f"{m.name} ({m.id})" for m in self.models)

    def __repr__(self) -> str:
        names = ", ".join(m.name for m in self.models)
        kind = type(self).__name__
        return f"<{kind} of {names} on {', '.join(c.key for c in self.columns) or 'nothing'}>"
