"""The flat form of a comparison (one value per cell), which CSV and pandas share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from modelcompare.table import Flag

from ._common import _source_text
from .export import (
    ExportUnits,
    bound,
    check_units,
    export_unit,
    numbers,
    own_text,
    unknown_chips,
    value_unit,
)

if TYPE_CHECKING:
    from modelcompare.i18n import Lang
    from modelcompare.table import Cell, Table


@dataclass(frozen=True, slots=True)
class _Flat:
    """One column of the flat (one value per cell) form of a comparison."""

    name: str
    values: list[str] | list[float] | list[bool]
    numeric: bool = False
    boolean: bool = False


def _text(cell: Cell, lang: Lang, *, each: bool) -> str:
    """A cell's text as the machine formats write it: each value as it reads
    alone, with its unit (``1.76 T parameters``, whatever else is compared: see
    :func:`.export.own_text`); with ``claims="each"``, each piece so, with its
    marks and source numbers (``≈7 B parameters † [1] / …``)."""
    if cell.missing:
        return cell.display if each else cell.text
    if not each:
        return own_text(cell.shown, lang)
    return "".join(
        p.separator
        + " ".join(
            x for x in (own_text(() if p.value is None else (p.value,), lang), p.suffix) if x
        )
        for p in cell.pieces
    )


def _flat(c: Table, *, notes: bool, units: ExportUnits | None = None) -> list[_Flat]:
    """The comparison as flat columns: per table column its text (with
    ``claims="each"``, the pieces with their marks and source numbers), its
    numbers (``nominal``/``low``/``high``) in the field's one unit (see
    :mod:`.export`; in brackets, or in the ``unit`` column where each cell has
    its own chip), the bound kind, its flags (as text, then one true/false
    column per flag), the chips named with no count (accelerator columns) and
    its source numbers; then each row's sources as text (and notes). The set
    of columns depends on the columns compared, never on the models."""
    asked = check_units(c, units)
    each = c.claims_mode == "each"
    out: list[_Flat] = []
    for j, col in enumerate(c.columns):
        cells = [row[j] for row in c.rows]
        out.append(_Flat(col.key, [_text(cell, c.lang, each=each) for cell in cells]))
        if col.numeric:
            fixed = export_unit(col, asked)
            unit = f" [{fixed}]" if fixed else ""
            per_cell = [value_unit(col, cell.value, asked) for cell in cells]
            figures = [numbers(cell.value, u) for cell, u in zip(cells, per_cell, strict=True)]
            for end, k in (("nominal", 1), ("low", 0), ("high", 2)):
                values = [f[k] for f in figures]
                out.append(_Flat(f"{col.key} {end}{unit}", values, numeric=True))
            if fixed is None:
                out.append(_Flat(f"{col.key} unit", per_cell))
            out.append(_Flat(f"{col.key} bound", [bound(cell.value) for cell in cells]))
        out.append(_Flat(f"{col.key} flags", ["; ".join(cell.flags) for cell in cells]))
        for flag in Flag:
            marked = [flag in cell.flags for cell in cells]
            out.append(_Flat(f"{col.key} {flag.value}", marked, boolean=True))
        if col.field.dimension == "accelerator" and export_unit(col, asked) is None:
            chips = ["; ".join(unknown_chips(cell)) for cell in cells]
            out.append(_Flat(f"{col.key} chips with no count", chips))
        out.append(
            _Flat(f"{col.key} sources", [", ".join(map(str, cell.sources)) for cell in cells])
        )
    cited = []
    for row in c.rows:
        numbers_ = sorted({n for cell in row for n in cell.sources})
        cited.append("\n".join(f"[{n}] {_source_text(c.sources[n - 1])}" for n in numbers_))
    out.append(_Flat("sources", cited))
    if notes:
        text = [
            "\n".join(f"{n.about}: {n.text}" for n in c.notes if n.model is model)
            for model in c.models
        ]
        out.append(_Flat("notes", text))
    return out
