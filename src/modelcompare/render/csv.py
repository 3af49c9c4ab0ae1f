"""CSV: one row per model, numbers in their own columns.

CSV (RFC 4180)
    UTF-8 with a byte-order mark (so Excel reads it as UTF-8), CRLF line ends.
    A text cell starting with tab or CR, or whose first character after any
    white space and invisible format characters (BOM, zero-width space) is
    ``= + - @`` or a fullwidth or small form of one (``＝ ﹦ ＋ ﹢ － ﹣ ＠ ﹫``), is
    prefixed with ``'`` against formula injection (OWASP); numbers are in separate numeric
    columns, never neutralised, each written as its shortest text that reads back
    to the same float (``repr``, as JSON writes it: every digit of a stated
    figure). CSV has no footer: each row's ``sources`` column holds its numbered
    sources as text, ``[1] title, date, path``.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import TYPE_CHECKING

from .export import ExportUnits, machine_number
from .flat import _flat

if TYPE_CHECKING:
    from modelcompare.table import Table


#: What a spreadsheet may read as the start of a formula: ``= + - @`` and their
#: fullwidth and small forms (which some spreadsheets fold to ASCII).
_FORMULA_START = frozenset("=+-@\uff1d\ufe66\uff0b\ufe62\uff0d\ufe63\uff20\ufe6b")


def _formula_like(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` as a formula: it starts with tab or
    CR, or with a formula character once leading white space (any Unicode space,
    line breaks) and invisible format characters (BOM, zero-width space…) are
    skipped, since spreadsheets strip those before they look."""
    if text.startswith(("\t", "\r")):
        return True
    for ch in text:
        if ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs", "Cc"):
            continue
        return ch in _FORMULA_START
    return False


def escape_csv(text: str) -> str:
    """A text cell neutralised against spreadsheet formula injection (OWASP):
    ``'`` before a cell that starts with tab or CR, or whose first visible
    character is ``= + - @`` (or a fullwidth or small form of one). The
    :mod:`csv` module quotes."""
    return "'" + text if _formula_like(text) else text


def render_csv(c: Table, *, notes: bool = False, units: ExportUnits | None = None) -> str:
    """RFC 4180 CSV, UTF-8 with a byte-order mark: a ``Model`` column, then per
    column its text, numbers in the field's one unit (``units=`` for another;
    see :mod:`modelcompare.render.export`), bound kind, flags (``true``/``false``
    columns too), chips with no count and source numbers, then the row's sources."""
    flat = _flat(c, notes=notes, units=units)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([escape_csv(h) for h in ["Model", *(f.name for f in flat)]])
    for i, model in enumerate(c.models):
        row = [escape_csv(model.name)]
        for f in flat:
            value = f.values[i]
            if isinstance(value, bool):
                row.append("true" if value else "false")
            elif isinstance(value, float):
                row.append(machine_number(value))
            else:
                row.append(escape_csv(str(value)))
        writer.writerow(row)
    return "\ufeff" + buf.getvalue()
