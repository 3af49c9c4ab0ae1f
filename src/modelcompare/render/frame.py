"""pandas: a comparison as a DataFrame (pandas is imported only when called)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._common import _source_text
from .export import ExportUnits
from .flat import _flat

if TYPE_CHECKING:
    import pandas

    from modelcompare.table import Table


def to_frame(c: Table, *, units: ExportUnits | None = None) -> pandas.DataFrame:
    """A DataFrame indexed by model name: per column its display text (``str``),
    its numbers as ``float64`` in the field's one unit, whatever the models
    (``parameters low [parameter]``; NaN where unbounded or missing; see
    :mod:`modelcompare.render.export`, and ``units={"parameters": "Gparameter"}``
    for another), the bound kind, flags (as text and one ``bool`` column each),
    the chips named with no count, source numbers; then each row's sources.
    ``df.attrs`` holds the title, the legend, the sources and each column's unit
    (None where each cell gives its chip in the ``unit`` column)."""
    import pandas as pd

    from .export import check_units, export_unit

    data: dict[str, Any] = {}
    for f in _flat(c, notes=False, units=units):
        dtype = "float64" if f.numeric else "bool" if f.boolean else "str"
        data[f.name] = pd.Series(f.values, dtype=dtype)
    df = pd.DataFrame(data)
    df.index = pd.Index([m.name for m in c.models], name="Model")
    df.attrs = {
        "title": c.title,
        "legend": {entry.mark: entry.meaning for entry in c.legend},
        "sources": [_source_text(s) for s in c.sources],
        "units": {
            col.key: export_unit(col, check_units(c, units)) for col in c.columns if col.numeric
        },
    }
    return df
