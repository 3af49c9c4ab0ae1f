"""Text for a terminal: control characters shown, never obeyed, and plain
column tables (what ``list``, ``search``, ``sources`` and ``fields`` print).

:func:`text_table` lays columns out as tabulate's ``simple`` format does
(each column as wide as its widest cell, and at least its header and two,
two spaces between columns, a line of dashes under the header, no trailing
spaces) and measures text as a terminal shows it: a wide East Asian character
takes two columns, a combining mark none. It is linear in the cells and
cheap: ``list`` of thirty thousand models prints in a few hundredths of a second.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["clip", "display_width", "printable", "text_table"]


def printable(text: str) -> str:
    """Text for a terminal: control characters shown as escapes (``\\x1b``), never obeyed."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def display_width(text: str) -> int:
    """How many columns ``text`` takes in a terminal: two for a wide or
    full-width character (``東``), none for a combining mark or a zero-width
    format character, one for any other."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def clip(text: str, width: int) -> str:
    """``text`` if it takes at most ``width`` columns, else cut to fit and ending
    in ``…`` (so that a cut never passes for the whole; a letter keeps its
    combining marks)."""
    if text.isascii():  # one column a character: what the general rule gives, in one step
        return text if len(text) <= width else text[: width - 1].rstrip() + "…"
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + "…"


def _layout(column: list[str], least: int) -> tuple[int, bool]:
    """The width of a column (at least ``least``) and whether each of its cells
    takes as many terminal columns as it has characters (so ``%-Ns`` pads it)."""
    if "".join(column).isascii():
        return max(least, max(map(len, column), default=0)), True
    even, width = True, least
    for c in column:
        w = len(c) if c.isascii() else display_width(c)
        even = even and w == len(c)
        width = max(width, w)
    return width, even


def text_table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> str:
    """``rows`` of text cells under ``headers``, in aligned columns (see the module
    doc); each cell stripped of surrounding spaces. No trailing newline."""
    for n, row in enumerate(rows, 1):
        if len(row) != len(headers):
            raise ValueError(f"row {n} has {len(row)} cells for {len(headers)} columns")
    heads = [h.strip() for h in headers]
    columns = [[h, *[row[i].strip() for row in rows]] for i, h in enumerate(heads)]
    formats = []
    for i, column in enumerate(columns):
        width, even = _layout(column, display_width(heads[i]) + 2)
        if i == len(columns) - 1:
            formats.append("%s")  # the last column's padding would be stripped
        elif even:
            formats.append(f"%-{width}s")
        else:  # wide or zero-width characters: each cell padded by what it shows
            columns[i] = [c + " " * (width - display_width(c)) for c in column]
            formats.append("%s")
        heads[i] = "-" * width
    line = "  ".join(formats)
    lines = [(line % cells).rstrip() for cells in zip(*columns, strict=True)]
    lines.insert(1, "  ".join(heads))
    return "\n".join(lines)
