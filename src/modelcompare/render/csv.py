"""CSV: one row per model, numbers in their own columns.

CSV (RFC 4180)
    UTF-8 with a byte-order mark (so Excel reads it as UTF-8), CRLF line ends.
    A text cell starting with ``= + - @``, tab or CR is prefixed with ``'``
    against formula injection (OWASP); numbers are in separate numeric
    columns, never neutralised. CSV has no footer: each row's ``sources``
    column holds its numbered sources as text, ``[1] title, date, path``.
"""

from __future__ import annotations

import csv
import io
import math
from typing import TYPE_CHECKING

from .flat import _flat

if TYPE_CHECKING:
    from modelcompare.comparison import Comparison


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_csv(text: str) -> str:
    """A text cell neutralised against spreadsheet formula injection (OWASP):
    ``'`` before a leading ``= + - @``, tab or CR. The :mod:`csv` module quotes."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_number(x: float) -> str:
    return "" if math.isnan(x) else f"{x:.15g}"


def render_csv(c: Comparison, *, notes: bool = False) -> str:
    """RFC 4180 CSV, UTF-8 with a byte-order mark: a ``Model`` column, then per
    column its text, numbers, flags and source numbers, then the row's sources."""
    flat = _flat(c, notes=notes)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([escape_csv(h) for h in ["Model", *(f.name for f in flat)]])
    for i, model in enumerate(c.models):
        row = [escape_csv(model.name)]
        for f in flat:
            value = f.values[i]
            row.append(_csv_number(value) if isinstance(value, float) else escape_csv(str(value)))
        writer.writerow(row)
    return "\ufeff" + buf.getvalue()
