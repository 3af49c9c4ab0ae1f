"""What the machine formats (CSV, JSON, pandas) share: numbers in one fixed unit.

A human table picks a readable scale for each column from the figures it
shows (``B parameters`` here, ``T parameters`` there). A machine export must
not: the same field has the same unit whatever the selection, so that two
exports concatenate and any program reads them. The unit of a field's numbers
is its :attr:`~modelcompare.FieldSpec.dimension` (``parameter``, ``token``,
``FLOP``, ``B``, ``W``, ``FLOP/s``, ``percent``, ``day``…), a ratio column's
is ``dimensionless``, and an accelerator count's is its own chip (``H100``),
given in the cell's ``unit``. Every unit string is one ``modelcompare.ureg``
parses back to that same unit. ``units={"parameters": "Gparameter"}`` asks for
another (any unit of the field's dimension; for accelerator fields, a chip
unit such as ``kH100``, used for that chip's counts).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from modelcompare.errors import UnitError, UnknownFieldError
from modelcompare.estimate import Bound, Estimate
from modelcompare.units import Q_, accelerator_symbol, chip_symbol, factor, is_accelerator
from modelcompare.units import unit as parse_unit

if TYPE_CHECKING:
    from modelcompare.i18n import Lang
    from modelcompare.records import ClaimValue
    from modelcompare.table import Cell, Column, Piece, Table

__all__ = [
    "RATIO_UNIT",
    "ExportUnits",
    "check_units",
    "export_unit",
    "machine_number",
    "numbers",
    "own_text",
]

#: The unit of a ratio column's numbers.
RATIO_UNIT = "dimensionless"

#: What ``units=`` maps: field names to unit names.
ExportUnits = Mapping[str, str]

_NAN = math.nan


def check_units(c: Table, units: ExportUnits | None) -> dict[str, str]:
    """``units`` checked against the comparison's quantity fields:
    :class:`UnknownFieldError` for a name that is not one of them,
    :class:`UnitError` for a unit of another dimension."""
    if not units:
        return {}
    fields = {col.field.name: col.field for col in c.columns if col.field.dimension is not None}
    out: dict[str, str] = {}
    for name, wanted in units.items():
        spec = fields.get(name)
        if spec is None:
            raise UnknownFieldError(str(name), sorted(fields), "quantity field of this comparison")
        if not isinstance(wanted, str):
            raise UnitError(f"the unit for {name!r} must be a unit name (got {wanted!r})")
        if spec.dimension == "accelerator":
            if not is_accelerator(Q_(1, parse_unit(wanted))):
                raise UnitError(f"{wanted!r} is not a count of one kind of chip (for {name!r})")
        elif not spec.accepts(wanted):
            raise UnitError(
                f"{wanted!r} is not a unit of {name!r} (its numbers are in {spec.dimension})"
            )
        out[name] = wanted
    return out


def export_unit(col: Column, units: Mapping[str, str]) -> str | None:
    """The unit of column ``col``'s numbers (None where each cell has its own: chips)."""
    from modelcompare.table import ColumnKind

    if col.kind is ColumnKind.RATIO:
        return RATIO_UNIT
    if not col.numeric or col.field.dimension == "accelerator":
        return None
    return units.get(col.field.name, col.field.dimension)


def value_unit(col: Column, value: ClaimValue | None, units: Mapping[str, str]) -> str:
    """The unit of one cell's or piece's numbers: the column's, or its chip's
    (the asked chip unit where it is that chip); empty where it has none."""
    fixed = export_unit(col, units)
    if fixed is not None:
        return fixed
    if not col.numeric or not isinstance(value, Estimate):
        return ""
    symbol = chip_symbol(value.units) or ""
    asked = units.get(col.field.name)
    if asked is not None and accelerator_symbol(Q_(1, parse_unit(asked))) == symbol:
        return asked
    return symbol


def numbers(value: ClaimValue | None, unit: str | Any) -> tuple[float, float, float]:
    """``(low, nominal, high)`` of ``value`` in ``unit`` (a unit's text or a pint
    Unit); NaN where unbounded, unknown, missing or not a quantity. In the value's
    own unit they are its figures as they are, every digit kept; converted, the
    conversion's float noise is removed (1.76 T is 1760 G, not 1760.0000000000002)."""
    if not isinstance(value, Estimate) or not unit:
        return _NAN, _NAN, _NAN
    ends = value.interval(unit)
    if factor(value.units, parse_unit(unit)) == 1.0:
        return tuple(x if math.isfinite(x) else _NAN for x in ends)  # type: ignore[return-value]
    from modelcompare.display import denoised

    return tuple(denoised(x) if math.isfinite(x) else _NAN for x in ends)  # type: ignore[return-value]


def machine_number(x: float) -> str:
    """A float as the machine formats write it: its shortest text that reads back
    to the same float (``repr``: ``19944368.12599428``, ``1.2345678901234568e+17``),
    as JSON writes it; empty for NaN (no figure)."""
    return "" if math.isnan(x) else repr(float(x))


def own_text(values: Sequence[ClaimValue], lang: Lang = "en") -> str:
    """The text a machine format writes for the values a cell or piece shows:
    each as it reads alone, in its own unit and scale and with its own digits,
    as ``str()`` writes it (``1.76 T parameters``; ``500 B parameters / ≥600 B
    parameters`` where claims conflict, ``≈15,000 H100 + ? GB200`` for two
    chips). Never the column's shared scale or decimals, which depend on the
    other models compared: a model's text is the same whatever the selection."""
    from modelcompare.display import format_estimate
    from modelcompare.i18n import rank_text
    from modelcompare.records import Rank

    out = ""
    previous: Any = None
    for v in values:
        if isinstance(v, Estimate):
            text = format_estimate(v, lang=lang)
            kind = v.dimensionality
        else:
            text = rank_text(v.position, v.of, lang) if isinstance(v, Rank) else str(v)
            kind = None
        if out:
            out += " / " if kind == previous else " + "  # another chip: another part
        out += text
        previous = kind
    return out


def bound(value: ClaimValue | None) -> str:
    """The bound kind of a cell's value (``exact``, ``approx``…); empty where none."""
    return value.bound.value if isinstance(value, Estimate) else ""


def unknown_chips(part: Cell | Piece) -> list[str]:
    """The chips a cell names with no count (``GB200`` in ``≈15,000 H100 + ? GB200``)."""
    out = []
    for v in getattr(part, "shown", (part.value,)):
        if isinstance(v, Estimate) and v.bound is Bound.UNKNOWN:
            symbol = chip_symbol(v.units)
            if symbol is not None:
                out.append(symbol)
    return list(dict.fromkeys(out))
