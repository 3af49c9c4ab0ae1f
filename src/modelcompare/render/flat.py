"""The flat form of a comparison (one value per cell), which CSV and pandas share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._common import _source_text

if TYPE_CHECKING:
    from modelcompare.comparison import Comparison


@dataclass(frozen=True, slots=True)
class _Flat:
    """One column of the flat (one value per cell) form of a comparison."""

    name: str
    values: list[str] | list[float]
    numeric: bool = False


def _flat(c: Comparison, *, notes: bool) -> list[_Flat]:
    """The comparison as flat columns: per table column its text (with
    ``claims="each"``, the pieces with their marks and source numbers), its
    numbers (``nominal``/``low``/``high`` with the unit in brackets), its chip
    (where each cell has its own unit), its flags and its source numbers; then
    each row's sources as text (and notes)."""
    each = c.claims_mode == "each"
    out: list[_Flat] = []
    for j, col in enumerate(c.columns):
        cells = [row[j] for row in c.rows]
        out.append(_Flat(col.key, [cell.display if each else cell.text for cell in cells]))
        if col.numeric:
            unit = f" [{col.number_unit}]" if col.number_unit else ""
            for end in ("nominal", "low", "high"):
                values = [float(getattr(cell, end)) for cell in cells]
                out.append(_Flat(f"{col.key} {end}{unit}", values, numeric=True))
        if col.per_cell_unit:
            out.append(_Flat(f"{col.key} unit", [cell.unit for cell in cells]))
        out.append(_Flat(f"{col.key} flags", ["; ".join(cell.flags) for cell in cells]))
        out.append(
            _Flat(f"{col.key} sources", [", ".join(map(str, cell.sources)) for cell in cells])
        )
    cited = []
    for row in c.rows:
        numbers = sorted({n for cell in row for n in cell.sources})
        cited.append("\n".join(f"[{n}] {_source_text(c.sources[n - 1])}" for n in numbers))
    out.append(_Flat("sources", cited))
    if notes:
        text = [
            "\n".join(f"{n.about}: {n.text}" for n in c.notes if n.model is model)
            for model in c.models
        ]
        out.append(_Flat("notes", text))
    return out
