"""pandas: a comparison as a DataFrame (pandas is imported only when called)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._common import _source_text
from .flat import _flat

if TYPE_CHECKING:
    import pandas

    from modelcompare.comparison import Comparison


def to_frame(c: Comparison) -> pandas.DataFrame:
    """A DataFrame indexed by model name: per column its display text (``str``),
    its numbers as ``float64`` (``parameters low [B parameters]``; NaN where
    unbounded or missing), flags and source numbers; then each row's sources.
    ``df.attrs`` holds the title, the legend, the sources and each column's unit."""
    import pandas as pd

    data: dict[str, Any] = {}
    for f in _flat(c, notes=False):
        data[f.name] = pd.Series(f.values, dtype="float64" if f.numeric else "str")
    df = pd.DataFrame(data)
    df.index = pd.Index([m.name for m in c.models], name="Model")
    df.attrs = {
        "title": c.title,
        "legend": {entry.mark: entry.meaning for entry in c.legend},
        "sources": [_source_text(s) for s in c.sources],
        "units": {col.key: col.number_unit for col in c.columns if col.number_unit},
    }
    return df
