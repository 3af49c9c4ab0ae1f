"""Side-by-side comparisons: models as rows, fields as columns.

:func:`compare` builds a :class:`Comparison`, an immutable table of
:class:`Cell` s that every renderer (:mod:`modelcompare.render`) reads:

>>> import modelcompare as mc
>>> table = mc.compare(["Phi-3-mini", "Phi-3-medium"], ["parameters", "mmlu"])
>>> [c.header for c in table.columns]
['Parameters (B)', 'MMLU (%)']
>>> [[cell.display for cell in row] for row in table.rows]
[['3.8 [1]', '69 [1]'], ['14 [1]', '78 [1]']]

What a cell shows
-----------------
* The value the model's claims agree on (:meth:`Model.value`), in the
  column's one display scale (:func:`~modelcompare.display.choose_scale`; the
  unit goes in the header). Accelerator columns keep the unit in each cell,
  since chips differ, and show every kind of chip a model's claims name
  (``≈15,000 H100 + ? GB200``).
* Where the claims contradict each other, every claimed value side by side
  (``500 / ≥600``) and the conflict mark.
* Marks (:class:`Flag`): rumored ``†``, derived ``‡``, sources differ ``§``,
  conflict ``!``, partial ratio ``*``; the legend (:attr:`Comparison.legend`)
  explains the marks and qualifiers used.
* Source numbers, in order of first appearance across the table (row by row,
  left to right); :attr:`Comparison.sources` is the numbered list.
* :data:`MISSING` (``—``) where there is no value.

Ratio columns (``vs=``)
-----------------------
* The value over the reference model's, every bound carried through, however
  loose: Grok's ``≥70 MW`` over MAI-1-preview's ``≥10.15 MW`` is ``≥0``, as
  :func:`~modelcompare.ratio` says, and the legend explains that such a ratio
  cannot tell which value is the larger. The reference's own row is ``1``.
* :data:`MISSING` only where no ratio can be taken: a figure missing, no kind
  of chip in common, contradicting claims, a reference of exactly zero (the
  legend says so).
* Accelerator counts are divided kind by kind: where either cell names other
  kinds of chip than the one compared (MAI-1-preview's ``? GB200``), the ratio
  is marked ``*`` (:attr:`Flag.PARTIAL`) and the legend says what it leaves
  out (``compares H100 counts only; MAI-1-preview also names GB200 with no
  count``).

Every claim side by side (``claims="each"``)
--------------------------------------------
To write about what the sources say rather than what they agree on,
``compare(..., claims="each")`` shows in each field's cell every claim of the
model, each as a :class:`Piece` with its own marks and source numbers:

>>> t = mc.compare(["MAI-1", "GPT-4"], ["parameters"], claims="each")
>>> [row[0].display for row in t.rows]
['≥500 † [1] / 500 [2] / ≈500 [3]', '1,760 † [2] / ≥1,000 † [3]']

* One piece per claim: stated claims first, in the order of the data, then
  derived ones. Claims with the same value, status and sources are one piece
  (two claims of ``500 B`` quoting one article are ``500 [2]`` once;
  :attr:`Piece.claims` holds both). The same figure with another status is
  another piece: MAI-1-preview's official and reported ``≈15,000 H100`` are
  ``≈15,000 H100 [1] / ≈15,000 H100 [2]``.
* Each piece: its value in the column's one display scale (chosen from every
  piece of the column), then its marks (rumored ``†``, derived ``‡``, and the
  conflict mark ``!`` where it contradicts another piece of the cell), then
  its source numbers. No ``§``: every figure is in view.
* Pieces are joined by ``" / "``; in an accelerator column, claims on
  different chips by ``" + "`` (``≈15,000 H100 [1, 2] + ? GB200 [1]``).
* The cell's :attr:`~Cell.flags` and :attr:`~Cell.sources` are those of all
  its pieces; its value and numbers are still the value the claims agree on
  (:meth:`Model.value`; none where they contradict). Ratio columns (``vs=``)
  divide those values: one piece each, as in the default mode.
* The legend explains ``a / b`` and the marks as the pieces use them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from .collector import collector_paused
from .display import (
    APPROX_SIGN,
    AT_LEAST_SIGN,
    AT_MOST_SIGN,
    CONTINUES,
    RANGE_DASH,
    UNKNOWN_MARK,
    Scale,
    choose_scale,
    column_decimals,
    format_estimate,
    scaled,
    states_its_digits,
)
from .errors import ConflictError, InvalidValueError, UnitError
from .estimate import Bound, Estimate
from .fields import FIELDS, FieldKind, FieldSpec, get_field
from .i18n import Lang, check_lang, field_label, rank_text, translate
from .model import Model
from .reconcile import disagree, disjoint, is_rumored, needs, reconcile, rests_on
from .records import Claim, ClaimValue, Rank, Source, Status
from .registry import Registry, load_registry
from .table import (
    CLAIMS_MODES,
    MISSING,
    Cell,
    ClaimsMode,
    Column,
    ColumnKind,
    Flag,
    LegendEntry,
    Note,
    Piece,
    Table,
)
from .units import chip_symbol, dimension_key, unit_text, units_label
from .units import unit as parse_unit

if TYPE_CHECKING:
    import pandas
    from matplotlib.figure import Figure

    from .plot import PlotKind

__all__ = [
    "CLAIMS_MODES",
    "MISSING",
    "Cell",
    "ClaimsMode",
    "Column",
    "ColumnKind",
    "Comparison",
    "Flag",
    "LegendEntry",
    "Note",
    "Piece",
    "compare",
]

#: The language of the comparison being built (``compare``'s ``lang``): how its
#: figures, ranks and units are written.
_LANG: ContextVar[Lang] = ContextVar("modelcompare_compare_lang", default="en")

_NAN = math.nan


#: Every flag, in the order cells list them.
_FLAGS = tuple(Flag)

_FLAG_MEANINGS = {
    Flag.RUMORED: "rumored (the value rests on claims the sources report as rumors)",
    Flag.DERIVED: "derived (computed by modelcompare from other figures)",
    Flag.SOURCES_DIFFER: (
        "sources differ (their figures differ but are compatible; "
        "the value shown is the narrowest consistent with all)"
    ),
    Flag.CONFLICT: "conflict (the sources contradict each other; every figure is shown)",
    Flag.PARTIAL: "partial ratio (it compares one kind of chip; a cell also names others)",
}
#: What the marks mean on the pieces of ``claims="each"``: each is one claim's figure.
_EACH_FLAG_MEANINGS = {
    **_FLAG_MEANINGS,
    Flag.RUMORED: "rumored (the figure rests on claims the sources report as rumors)",
    Flag.CONFLICT: "conflict (the figure contradicts another figure in the same cell)",
}
#: What separates a cell's pieces: figures of one kind, and of different chips.
_SAME_KIND, _OTHER_KIND = " / ", " + "
_EACH_LEGEND = (
    "a / b",
    "each claim's own figure, marks and sources (stated claims in the order of the data, "
    "then derived ones; claims with the same figure, status and sources shown once)",
)
_BOUND_LEGEND = (
    (Bound.APPROX, APPROX_SIGN, "about (as rounded by the source)"),
    (Bound.AT_LEAST, AT_LEAST_SIGN, "at least (more than)"),
    (Bound.AT_MOST, AT_MOST_SIGN, "at most (up to)"),
    (
        Bound.RANGE,
        f"a{RANGE_DASH}b",
        "from a to b (a stated range, or every value a figure computed from others can take)",
    ),
    (Bound.UNKNOWN, UNKNOWN_MARK, "a figure the source does not give (it names only the unit)"),
)
#: An "about" whose span is not the rounding of its figure (one a source states,
#: as Epoch's bounds 1e25–1e26 around 3.35e25): the figure, then the span.
_AROUND_LEGEND = (
    f"a (b{RANGE_DASH}c)",
    "about a, somewhere from b to c (a central figure and the span its source gives; "
    "not a rounding, so not ≈)",
)
_AROUND_TEXT = re.compile(rf"[0-9…] \([-−]?[0-9][^()]*{RANGE_DASH}[^()]*\)")
_CONTINUES_LEGEND = (
    f"a{CONTINUES}",
    "the figure goes on: its first digits are shown, cut (not rounded); a figure "
    "computed from others, or with more digits than the column shows",
)
_NO_FIGURE = "no figure reported"
_NO_RATIO = (
    "no ratio can be taken (a figure is missing, the two count different chips, "
    "the claims contradict each other, or the reference's figure is zero)"
)
_UNBOUNDED_RATIO = (
    "the figures do not bound the ratio: either model's value may be the larger "
    "(as where both are only lower bounds)"
)


class Comparison(Table):
    """A side-by-side table (a :class:`~modelcompare.table.Table`: one row per
    model, one column per field; see the module doc), with what renders it:
    :meth:`render` (any of :data:`~modelcompare.render.FORMATS`), the ``to_*``
    methods and :meth:`plot`.
    """

    __slots__ = ()

    def render(self, fmt: str, **options: Any) -> str:
        """The table in format ``fmt`` (one of :data:`~modelcompare.render.FORMATS`);
        :class:`~modelcompare.render.UnknownFormatError` lists them if it is not one.
        ``options`` are the format's (``standalone``, ``notes``, ``fit``)."""
        from .render import render

        return render(self, fmt, **options)

    def to_markdown(self, *, notes: bool = False) -> str:
        """A GitHub-flavoured Markdown pipe table, then the legend and the sources."""
        return self.render("markdown", notes=notes)

    def to_latex(self, standalone: bool = False, *, notes: bool = False, fit: bool = True) -> str:
        """A booktabs ``tabular`` for pdflatex, then the legend and the sources
        (needs ``\\usepackage{booktabs}``); ``standalone`` gives a whole document
        that fits the page. With ``fit``, a table wider than the line is scaled
        down to it where the document loads graphicx (see
        :func:`~modelcompare.render.render_latex`)."""
        return self.render("latex", standalone=standalone, notes=notes, fit=fit)

    def to_html(self, standalone: bool = False, *, notes: bool = False) -> str:
        """An HTML ``<table>`` with the legend and the sources; ``standalone``
        gives a whole page."""
        return self.render("html", standalone=standalone, notes=notes)

    def to_csv(self, *, notes: bool = False, units: Mapping[str, str] | None = None) -> str:
        """CSV (RFC 4180, UTF-8 with a BOM) with numeric columns in each field's one
        unit, whatever the models (``units=`` for another); see :mod:`modelcompare.render`."""
        return self.render("csv", notes=notes, units=units)

    def to_json(self, *, notes: bool = False, units: Mapping[str, str] | None = None) -> str:
        """A JSON document of the whole comparison, numbers in each field's one unit
        (``units=`` for another); see :mod:`modelcompare.render`."""
        return self.render("json", notes=notes, units=units)

    def to_frame(self, *, units: Mapping[str, str] | None = None) -> pandas.DataFrame:
        """A pandas DataFrame indexed by model name, numbers in each field's one unit
        (``units={"parameters": "Gparameter"}`` for another); see
        :func:`modelcompare.render.to_frame`."""
        from .render import to_frame

        return to_frame(self, units=units)

    def plot(
        self,
        kind: PlotKind = "bars",
        field: str | None = None,
        y: str | None = None,
        **options: Any,
    ) -> Figure:
        """A chart of the table as a matplotlib ``Figure`` (``kind``: ``"bars"``,
        ``"scatter"`` or ``"timeline"``); see :func:`modelcompare.plot.plot` for
        the options and what each mark means. Needs ``modelcompare[plot]``."""
        from .plot import plot

        return plot(self, kind, field, y, **options)

    def __str__(self) -> str:
        return self.to_markdown()


# -- building -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Part:
    """What a cell shows for one kind of unit: the agreed value, or (None) a conflict."""

    claims: tuple[Claim, ...]
    value: ClaimValue | None
    shown: tuple[ClaimValue, ...] = field(init=False, repr=False, compare=False)
    """What the part shows: the value, or every claimed value of a conflict."""

    def __post_init__(self) -> None:
        v = self.value
        shown = (v,) if v is not None else tuple(dict.fromkeys(c.value for c in self.claims))
        object.__setattr__(self, "shown", shown)

    @property
    def estimate(self) -> Estimate | None:
        """The agreed value if it is a known quantity."""
        v = self.value
        return v if isinstance(v, Estimate) and v.is_known else None

    def flags(self) -> set[Flag]:
        if self.value is None:
            out = {Flag.CONFLICT}
            out |= {Flag.RUMORED} if any(map(_is_rumored, self.claims)) else set()
            out |= {Flag.DERIVED} if any(map(_is_derived, self.claims)) else set()
            return out
        out = set()
        if disagree(self.claims):
            out.add(Flag.SOURCES_DIFFER)
        if _rests_on(self.claims, self.value, _is_rumored):
            out.add(Flag.RUMORED)
        if _rests_on(self.claims, self.value, _is_derived):
            out.add(Flag.DERIVED)
        return out


@dataclass(frozen=True, slots=True)
class _Draft:
    """A cell before the column's scale is known."""

    parts: tuple[_Part, ...] = ()
    flags: frozenset[Flag] = frozenset()
    value: ClaimValue | None = None
    extra_claims: tuple[Claim, ...] = ()
    """Claims behind the cell besides the parts' (a ratio's reference claims)."""
    left_out: str = ""
    """For a partial ratio: what it leaves out (``compares H100 counts only; …``)."""

    @property
    def claims(self) -> tuple[Claim, ...]:
        if len(self.parts) == 1 and not self.extra_claims:
            return self.parts[0].claims
        return tuple(c for p in self.parts for c in p.claims) + self.extra_claims

    @property
    def shown(self) -> tuple[ClaimValue, ...]:
        if len(self.parts) == 1:
            return self.parts[0].shown
        return tuple(v for p in self.parts for v in p.shown)


#: A rumor, or derived from a value that rests on one (the cell's own rule).
_is_rumored = is_rumored


def _is_derived(claim: Claim) -> bool:
    return claim.status is Status.DERIVED


#: Whether a value needs the claims of a kind (without them: missing or wider).
_rests_on = needs


def _by_dimension(claims: Sequence[Claim]) -> list[tuple[Claim, ...]]:
    """Quantity claims grouped by dimension (kind of chip), in order of first appearance."""
    groups: dict[str, list[Claim]] = {}
    for c in claims:
        dim = dimension_key(c.value.units) if isinstance(c.value, Estimate) else ""
        groups.setdefault(dim, []).append(c)
    return [tuple(g) for g in groups.values()]


def _draft(model: Model, spec: FieldSpec, *, each: bool = False) -> _Draft:
    """The parts of ``model``'s cell for ``spec``: of the claims its value rests on
    (derived ones only where no source states the field, as :meth:`Model.value`
    takes them, so that the cell cites only what its figure comes from), or with
    ``each`` of every claim, derived ones included."""
    claims = model.claims(spec.name)
    if not claims:
        return _Draft()
    if not each and spec.derived:
        claims = rests_on(claims)
    if len(claims) == 1 and not spec.accumulates:
        # one claim: its value is the value, as reconcile() gives it, with its own marks
        (claim,) = claims
        flags = _ONE_CLAIM_FLAGS[_is_rumored(claim), claim.status is Status.DERIVED]
        return _Draft((_Part(claims, claim.value),), flags, claim.value)
    return _reconciled_draft(model, spec, claims)


def _reconciled_draft(model: Model, spec: FieldSpec, claims: tuple[Claim, ...]) -> _Draft:
    """:func:`_draft` of ``claims`` (at least one) by reconciling them, kind by kind."""
    groups = _by_dimension(claims) if spec.kind is FieldKind.QUANTITY else [claims]
    # what Model.value reconciles, from the claims in hand (not asked for again)
    pool = rests_on(claims)
    parts = []
    for group in groups:
        unit = None
        if len(groups) > 1:
            first = group[0].value
            assert isinstance(first, Estimate)
            unit = unit_text(first.units)
        try:
            value = reconcile(model, pool, spec.name, unit)
        except ConflictError:
            value = None
        parts.append(_Part(group, value))
    counted = [p for p in parts if p.estimate is not None] or parts
    flags = frozenset(f for p in parts for f in p.flags())
    return _Draft(tuple(parts), flags, counted[0].value)


#: ``(n,)`` for each source number ``n``: the cells citing one source share it.
_ONE_SOURCE: dict[int, tuple[int, ...]] = {}

#: The flags of a cell of one claim, by (rumored, derived).
_ONE_CLAIM_FLAGS = {
    (rumored, derived): frozenset(
        ({Flag.RUMORED} if rumored else set()) | ({Flag.DERIVED} if derived else set())
    )
    for rumored in (False, True)
    for derived in (False, True)
}


def _ratio_draft(model: Model, mine: _Draft, ref: Model, theirs: _Draft) -> _Draft:
    """``mine`` over ``theirs`` (the reference model's): the quotient of the two
    values with every bound carried through, however loose (``≥0`` where both
    are lower bounds, as :func:`~modelcompare.ratio` gives it). An empty draft
    where no ratio can be taken: a value missing or without a figure, no common
    kind of chip, contradicting claims, a reference of exactly zero, or a
    quotient a float cannot hold. Flagged :attr:`Flag.PARTIAL` where either cell
    names kinds of chip besides the one compared."""
    ref_part = next((p for p in theirs.parts if p.estimate is not None), None)
    if ref_part is None or ref_part.estimate is None:
        return _Draft()
    rv = ref_part.estimate
    part = next(
        (
            p
            for p in mine.parts
            if p.estimate is not None and p.estimate.dimensionality == rv.dimensionality
        ),
        None,
    )
    if part is None or part.estimate is None:
        return _Draft()
    try:
        ratio = part.estimate / rv
    except (UnitError, ArithmeticError, ValueError):
        # DivisionByZeroError for a reference of exactly zero; InvalidValueError
        # (a ValueError) for a quotient too large for a float
        return _Draft()
    if model.id == ref.id:  # (still no ratio for a reference of zero: 0 ÷ 0)
        ratio = Estimate.exact(1)  # one value over itself, not any two of its interval
    flags = (part.flags() | ref_part.flags()) & {Flag.RUMORED, Flag.DERIVED}
    left_out = (
        "" if model.id == ref.id else _left_out(rv, [(ref, theirs, ref_part), (model, mine, part)])
    )
    if left_out:
        flags.add(Flag.PARTIAL)
    return _Draft((_Part(part.claims, ratio),), frozenset(flags), ratio, ref_part.claims, left_out)


def _left_out(compared: Estimate, sides: Sequence[tuple[Model, _Draft, _Part]]) -> str:
    """What a ratio of ``compared``'s kind leaves out of the two cells: ``compares
    H100 counts only; MAI-1-preview also names GB200 with no count``; empty
    where neither cell names another kind."""
    also = []
    for model, draft, used in sides:
        others = [_kind_text(p) for p in draft.parts if p is not used]
        if others:
            also.append(f"{model.name} also names {' and '.join(others)}")
    if not also:
        return ""
    return f"compares {_kind_name(compared)} only; {'; '.join(also)}"


def _kind_name(e: Estimate) -> str:
    """``H100 counts`` for a count of chips, else ``figures in <unit>``."""
    name = _unit_name(e)
    return f"{name} counts" if chip_symbol(e.units) is not None else f"figures in {name}"


def _unit_name(e: Estimate) -> str:
    """``H100`` for a count of H100s (whatever its prefix), else the unit's symbol."""
    symbol = chip_symbol(e.units)
    return units_label(e.units) if symbol is None else symbol


def _kind_text(part: _Part) -> str:
    """A part of a cell as a partial ratio's note names it: ``GB200 with no count``,
    or its figures (``≈1,000 GB200``)."""
    shown = [v for v in part.shown if isinstance(v, Estimate)]
    if shown and not any(v.is_known for v in shown):
        return f"{_unit_name(shown[0])} with no count"
    return " / ".join(_text(v, None) for v in part.shown)


def _unbounded(value: ClaimValue | None) -> bool:
    """True for a ratio its figures do not bound (``≥0``, or no bound at all)."""
    if not isinstance(value, Estimate):
        return False
    return value.high is None and (value.low is None or value.low.magnitude <= 0)


def _estimates(draft: _Draft, *, each: bool) -> list[Estimate]:
    """The estimates a cell shows (with ``each``, every claim's), which its
    column's scale and decimals are read from."""
    values = (c.value for c in draft.claims) if each else draft.shown
    return [v for v in values if isinstance(v, Estimate)]


def _column_scale(unit: Any, values: Iterable[Estimate]) -> Scale:
    """The one display scale of a column whose values are in ``unit``'s dimension:
    read from the values its cells show (:func:`_estimates`)."""
    mags = []
    for v in values:
        mags += [m for m in v.interval(unit) if math.isfinite(m)]
    return choose_scale(parse_unit(unit), mags, _LANG.get())


def _numbers(value: ClaimValue | None, scale: Scale | None) -> tuple[float, float, float]:
    """``(low, nominal, high)`` of ``value`` in ``scale``; NaN where unbounded or missing."""
    if not isinstance(value, Estimate) or scale is None:
        return _NAN, _NAN, _NAN
    lo, n, hi = scaled(value, scale)
    isfinite = math.isfinite
    return (lo if isfinite(lo) else _NAN, n if isfinite(n) else _NAN, hi if isfinite(hi) else _NAN)


def _own_scale(e: Estimate) -> Scale:
    """The scale ``e`` reads best in alone (a cell with its own unit: accelerators)."""
    return choose_scale(e.units, [x for x in e.interval() if math.isfinite(x)], _LANG.get())


#: The decimals a column's figures share: one number, or (a column where each cell
#: has its own unit) one per chip symbol; None leaves each figure its own.
Places: TypeAlias = int | dict[str, int] | None


def _places_of(places: Places, value: Estimate) -> int | None:
    if isinstance(places, dict):
        return places.get(_unit_name(value))
    return places


def _stated_places(places: Places, values: Iterable[ClaimValue], scale: Scale | None) -> Places:
    """The decimals a stated figure takes: the column's where it has more digits
    than it can show (``19.94…``), none where it shows all its digits, so that it
    is never padded with zeros its source did not give (``500``, not ``500.0``,
    beside ``3.8``); computed figures (derived, ratios) keep the column's."""
    for v in values:
        if isinstance(v, Estimate) and v.is_known:
            own = scale if scale is not None else _own_scale(v)
            if not states_its_digits(v, own):
                return places
    return None


def _column_places(values: Sequence[Estimate], scale: Scale | None) -> Places:
    """The decimals the column's cells share in their scale (see
    :func:`~modelcompare.display.column_decimals`), from the values its cells show
    (:func:`_estimates`); per chip where each cell has its own unit (``scale`` None)."""
    if scale is not None:
        return column_decimals(values, scale)
    by_chip: dict[str, list[Estimate]] = {}
    for v in values:
        by_chip.setdefault(_unit_name(v), []).append(v)
    return {k: column_decimals(vs, _own_scale(vs[0])) for k, vs in by_chip.items()}


def _text(value: ClaimValue, scale: Scale | None, places: Places = None) -> str:
    lang = _LANG.get()
    if isinstance(value, Estimate):
        decimals = _places_of(places, value)
        if scale is None:
            return format_estimate(value, scale=_own_scale(value), decimals=decimals, lang=lang)
        return format_estimate(value, scale=scale, unit=False, decimals=decimals, lang=lang)
    if isinstance(value, Rank):
        return rank_text(value.position, value.of, lang)
    return str(value)


def _measured(
    value: ClaimValue | None, scale: Scale | None, column: Column
) -> tuple[float, float, float, str]:
    """``(low, nominal, high, unit)`` of ``value`` in its column: in the column's
    scale, or (accelerators) in the scale of its own chip; NaN and no unit
    where it is not a quantity."""
    if not isinstance(value, Estimate):
        return _NAN, _NAN, _NAN, ""
    unit = column.number_unit
    if column.per_cell_unit:
        scale = _own_scale(value)
        unit = scale.header
    return (*_numbers(value, scale), unit)


def _pieces(
    draft: _Draft,
    scale: Scale | None,
    column: Column,
    number: Callable[[Source], int],
    places: Places = None,
) -> tuple[Piece, ...]:
    """One piece per claim of the draft's parts (``claims="each"``); claims with
    the same value, status and sources are one piece."""
    out: list[Piece] = []
    for i, part in enumerate(draft.parts):
        merged: dict[tuple[Any, ...], list[Claim]] = {}
        for c in part.claims:
            key = (c.value, c.status, _is_rumored(c), tuple(s.id for s in c.sources))
            merged.setdefault(key, []).append(c)
        groups = list(merged.values())
        for j, claims in enumerate(groups):
            value = claims[0].value
            flags = {Flag.RUMORED} if _is_rumored(claims[0]) else set()
            flags |= {Flag.DERIVED} if _is_derived(claims[0]) else set()
            shared = places if Flag.DERIVED in flags else _stated_places(places, [value], scale)
            if any(disjoint(claims[0], g[0]) for k, g in enumerate(groups) if k != j):
                flags.add(Flag.CONFLICT)
            sources = sorted({number(s) for c in claims for s in c.sources})
            separator = _SAME_KIND if j else _OTHER_KIND if i else ""
            out.append(
                Piece(
                    _text(value, scale, shared),
                    tuple(f for f in Flag if f in flags),
                    tuple(sources),
                    separator,
                    value,
                    tuple(claims),
                    *_measured(value, scale, column),
                )
            )
    return tuple(out)


def _cell(
    draft: _Draft,
    scale: Scale | None,
    column: Column,
    number: Callable[[Source], int],
    *,
    each: bool = False,
    places: Places = None,
) -> Cell:
    if not draft.parts:
        return Cell(MISSING)
    claims = draft.claims
    cited = claims[0].sources if len(claims) == 1 else None
    if cited is not None and len(cited) == 1:
        n = number(cited[0])
        sources: tuple[int, ...] = _ONE_SOURCE.get(n) or _ONE_SOURCE.setdefault(n, (n,))
    else:
        sources = tuple(sorted({number(s) for c in claims for s in c.sources}))
    numbers = _measured(draft.value, scale, column)
    # the cell's flags are its value's (what its numbers are), in either mode: with
    # claims="each" a piece's own marks are in the piece
    flags = tuple(f for f in _FLAGS if f in draft.flags) if draft.flags else ()
    if each and column.kind is not ColumnKind.RATIO:
        pieces = _pieces(draft, scale, column, number, places)
        return Cell(
            "".join(p.separator + p.text for p in pieces),
            flags,
            sources,
            draft.value,
            tuple(dict.fromkeys(p.value for p in pieces if p.value is not None)),
            draft.claims,
            *numbers,
            pieces=pieces,
        )
    parts = draft.parts
    if column.kind is not ColumnKind.RATIO and Flag.DERIVED not in draft.flags:
        places = _stated_places(places, draft.shown, scale)
    if len(parts) == 1 and len(parts[0].shown) == 1:
        text = _text(parts[0].shown[0], scale, places)
    else:
        text = " + ".join(" / ".join(_text(v, scale, places) for v in p.shown) for p in parts)
    return Cell(text, flags, sources, draft.value, draft.shown, claims, *numbers)


def _header_unit(scale: Scale, label: str) -> str:
    """The unit a header shows: the prefix alone where the label names the
    quantity (``Parameters (B)``), else the scale's unit (``MMLU (%)``); none
    where the label says it (``Tokens per parameter``)."""
    unit = scale.prefix if scale.style == "short" else scale.header
    unit = unit.removesuffix(" de")  # French: "Paramètres (milliards)"
    same = label.lower().replace(" per ", "/").replace(" par ", "/")
    return "" if unit.lower() == same else unit


def _legend(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    vs: Model | None,
    *,
    each: bool = False,
    left_out: Sequence[str] = (),
) -> tuple[LegendEntry, ...]:
    """The marks and qualifiers the cells use; ``left_out`` is what the partial
    ratios leave out (the meaning of ``*``)."""
    placed = [(col, c) for row in rows for col, c in zip(columns, row, strict=True)]
    values = [c for col, c in placed if col.kind is not ColumnKind.RATIO]
    ratio = [c for col, c in placed if col.kind is ColumnKind.RATIO]
    cells = values + ratio
    unbounded = [c for c in ratio if _unbounded(c.value)]
    flags = {f for c in cells for p in c.pieces for f in p.flags}
    # a ratio with no bound at all shows "?", explained with the unbounded ratios below
    bounds = {v.bound for c in cells for v in c.shown if isinstance(v, Estimate)}
    bounds -= {Bound.UNKNOWN} - {
        v.bound for c in values for v in c.shown if isinstance(v, Estimate)
    }
    if Bound.APPROX in bounds and not any(APPROX_SIGN in c.text for c in cells):
        bounds.discard(Bound.APPROX)  # "≈" only for a source's rounding
    spans = any(_AROUND_TEXT.search(c.text) for c in cells)
    out = []
    if any(p.separator == _SAME_KIND for c in cells for p in c.pieces):
        out.append(LegendEntry(*_EACH_LEGEND))
    out += [LegendEntry(mark, meaning) for b, mark, meaning in _BOUND_LEGEND if b in bounds]
    if spans:
        out.append(LegendEntry(*_AROUND_LEGEND))
    if any(CONTINUES in p.text for c in cells for p in c.pieces):
        out.append(LegendEntry(*_CONTINUES_LEGEND))
    no_figure, no_ratio = any(c.missing for c in values), any(c.missing for c in ratio)
    if no_figure or no_ratio:
        meaning = _NO_FIGURE if no_figure else ""
        if no_ratio:
            where = f"in a × {vs.name} column, " if vs is not None else ""
            meaning = "; ".join(m for m in (meaning, where + _NO_RATIO) if m)
        out.append(LegendEntry(MISSING, meaning))
    for text in dict.fromkeys(c.text for c in unbounded):
        out.append(LegendEntry(f"{text} in a × column", _UNBOUNDED_RATIO))
    meanings = dict(_EACH_FLAG_MEANINGS if each else _FLAG_MEANINGS)
    if left_out:
        meanings[Flag.PARTIAL] = f"partial ratio: it {'; it '.join(left_out)}"
    out += [LegendEntry(f.mark, meanings[f]) for f in Flag if f in flags]
    if vs is not None and any(col.kind is ColumnKind.RATIO for col in columns):
        out.append(
            LegendEntry(
                f"× {vs.name}", f"the value divided by {vs.name}'s (bounds carried through)"
            )
        )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class _Planned:
    """A column as :func:`compare` plans it before building its cells."""

    column: Column
    spec: FieldSpec
    scale: Scale | None = None
    places: Places = None
    drafts: Sequence[_Draft] | None = None
    """The cells' drafts (quantity and ratio columns); None: made per cell (text, rank)."""


def compare(
    models: str | Model | Iterable[str | Model],
    fields: str | Sequence[str] | None = None,
    *,
    vs: str | Model | None = None,
    registry: Registry | None = None,
    title: str | None = None,
    claims: ClaimsMode = "value",
    lang: Lang = "en",
) -> Comparison:
    """A side-by-side :class:`Comparison` of ``models`` (rows) on ``fields`` (columns).

    ``models`` are ids, names or aliases (or :class:`Model` s; a single one is
    one row); an unknown one raises :class:`~modelcompare.UnknownModelError`
    with suggestions, none at all or one given twice (by any of its names)
    :class:`~modelcompare.InvalidValueError`.
    ``fields`` are field names (a single string is one field);
    ``fields=None`` takes every field (in :data:`~modelcompare.FIELDS` order)
    that at least one of the models has a claim on, derived ones included,
    but for the text and relation fields (``release``, ``rival_of``…), whose
    prose a table of figures shows only when they are named.
    ``vs`` adds after each quantity column a ratio column ``× <vs>``: the value
    over ``vs``'s with every bound carried through, however loose (``≥0``
    where both are lower bounds; the legend says so); missing where no ratio
    can be taken (a figure missing, different chips, contradicting claims, a
    reference of zero). Where a cell names several kinds of chip, the ratio
    compares the kind both have a count of and is marked ``*`` (:attr:`Flag.PARTIAL`),
    the legend saying what it leaves out.
    ``claims="each"`` shows every claim side by side, each with its own marks
    and source numbers, instead of the value they agree on (see the module
    doc); anything but ``"value"`` or ``"each"`` raises
    :class:`~modelcompare.InvalidValueError` (a :class:`ValueError`).

    >>> import modelcompare as mc
    >>> t = mc.compare(["Grok", "MAI-1-preview"], ["training_accelerators"], vs="MAI-1-preview")
    >>> [c.header for c in t.columns], [row[1].text for row in t.rows]
    (['Training accelerators', '× MAI-1-preview'], ['≥6.45', '1.00'])
    >>> each = mc.compare(["GPT-4"], ["parameters", "architecture"], claims="each")
    >>> [cell.display for cell in each.rows[0]]
    ['1.76 † [1] / ≥1 † [2]', 'moe † [1] / moe † [2]']
    """
    if claims not in CLAIMS_MODES:
        raise InvalidValueError(
            f"claims must be one of {', '.join(map(repr, CLAIMS_MODES))} (got {claims!r})"
        )
    token = _LANG.set(check_lang(lang))
    try:
        with collector_paused():  # the cells it makes all last (see modelcompare.collector)
            return _compare(models, fields, vs, registry, title, claims)
    finally:
        _LANG.reset(token)


def _compare(
    models: str | Model | Iterable[str | Model],
    fields: str | Sequence[str] | None,
    vs: str | Model | None,
    registry: Registry | None,
    title: str | None,
    claims: ClaimsMode,
) -> Comparison:
    """:func:`compare`, in the language ``_LANG`` holds."""
    lang = _LANG.get()

    def label_of(spec: FieldSpec) -> str:
        return field_label(spec.name, spec.label, lang)

    each = claims == "each"
    reg = registry if registry is not None else load_registry()
    if isinstance(models, str | Model):
        models = [models]
    rows = tuple(reg[m] for m in models)
    if not rows:
        raise InvalidValueError("compare() needs at least one model")
    ids = [m.id for m in rows]
    if len(set(ids)) < len(ids):
        twice = next(m for i, m in enumerate(rows) if m.id in ids[:i])
        raise InvalidValueError(f"{twice.name} is given twice: each model is one row")
    if isinstance(fields, str):
        fields = [fields]
    if fields is None:
        specs = [
            f for f in FIELDS.values() if not f.accumulates and any(m.claims(f.name) for m in rows)
        ]
    else:
        specs = list({s.name: s for s in map(get_field, fields)}.values())
    ref = reg[vs] if vs is not None else None

    # Each column's scale and decimals are read from every cell's values first; the
    # cells are then built row by row (sources numbered in reading order) from the
    # drafts the plan kept (the collector is paused meanwhile, and they go when
    # the table is made).
    plan: list[_Planned] = []
    for spec in specs:
        if spec.kind is not FieldKind.QUANTITY:
            kind = ColumnKind.RANK if spec.kind is FieldKind.RANK else ColumnKind.TEXT
            plan.append(_Planned(Column(spec.name, spec, label_of(spec), kind), spec))
            continue
        values: list[Estimate] = []
        ratios: list[_Draft] = []
        theirs = _draft(ref, spec, each=each) if ref is not None else None
        drafts = [_draft(m, spec, each=each) for m in rows]
        for m, d in zip(rows, drafts, strict=True):
            values += _estimates(d, each=each)
            if ref is not None and theirs is not None:
                ratios.append(_ratio_draft(m, d, ref, theirs))
        if spec.dimension == "accelerator":
            column = Column(
                spec.name, spec, label_of(spec), ColumnKind.QUANTITY, per_cell_unit=True
            )
            plan.append(_Planned(column, spec, None, _column_places(values, None), drafts))
        else:
            assert spec.dimension is not None
            scale = _column_scale(spec.dimension, values)
            unit = _header_unit(scale, label_of(spec))
            column = Column(
                spec.name,
                spec,
                label_of(spec),
                ColumnKind.QUANTITY,
                unit,
                scale.header,
                scale=scale,
            )
            plan.append(_Planned(column, spec, scale, _column_places(values, scale), drafts))
        if ref is not None:
            label = f"× {ref.name}"
            shown = [v for d in ratios for v in _estimates(d, each=False)]
            ratio_scale = _column_scale("dimensionless", shown)
            column = Column(
                f"{spec.name} {label}", spec, label, ColumnKind.RATIO, scale=ratio_scale
            )
            places = _column_places(shown, ratio_scale)
            plan.append(_Planned(column, spec, ratio_scale, places, ratios))

    numbers: dict[str, int] = {}
    cited: list[Source] = []

    def number(source: Source) -> int:
        if source.id not in numbers:
            numbers[source.id] = len(cited) + 1
            cited.append(source)
        return numbers[source.id]

    table = tuple(
        tuple(
            _cell(
                _draft(model, p.spec, each=each) if p.drafts is None else p.drafts[i],
                p.scale,
                p.column,
                number,
                each=each,
                places=p.places,
            )
            for p in plan
        )
        for i, model in enumerate(rows)
    )
    columns = tuple(p.column for p in plan)
    left_out = list(
        dict.fromkeys(
            d.left_out for p in plan if p.drafts is not None for d in p.drafts if d.left_out
        )
    )
    notes: dict[tuple[str, str | None, str], Note] = {}
    for model, cells in zip(rows, table, strict=True):
        if model.note:
            notes.setdefault((model.id, None, model.note), Note(model, None, model.note))
        for column, cell in zip(columns, cells, strict=True):
            if column.kind is ColumnKind.RATIO:
                continue
            for c in cell.claims:
                if c.note:
                    notes.setdefault((model.id, column.key, c.note), Note(model, column, c.note))
    return Comparison(
        rows,
        columns,
        table,
        tuple(cited),
        tuple(
            LegendEntry(translate(x.mark, lang), translate(x.meaning, lang))
            for x in _legend(columns, table, ref, each=each, left_out=left_out)
        ),
        tuple(notes.values()),
        title,
        ref,
        claims,
        lang,
    )
