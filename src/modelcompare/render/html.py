"""HTML: a table, its legend and numbered sources, or a standalone page.

HTML
    ``& < > "`` escaped (:func:`html.escape`), line breaks as ``<br>`` (as
    spaces in a page's ``<title>``), control characters other than tab and
    line breaks as U+FFFD. A source cited by its URL (an external one, or one
    with no file) is a link, ``<a href="…">``, for ``http``/``https`` URLs with
    no white space, quote, ``<``, ``>`` or control character (the loader refuses
    others), the attribute escaped as an attribute
    (:func:`escape_html_attribute`: no ``<br>`` can reach it); a path is shown
    in ``<code>``.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

from ._common import (
    _LINE_BREAK,
    _controls_replaced,
    _link_target,
    _rows,
    _source_parts,
    _word,
)

if TYPE_CHECKING:
    from modelcompare.table import Cell, Column, Piece, Table


def _sorts_as_number(c: Table, j: int) -> bool:
    """True where column ``j`` sorts by number: a quantity or ratio column whose
    cells count one unit (not H100s beside GB200s), or a rank."""
    from modelcompare.table import ColumnKind

    col = c.columns[j]
    if col.kind is ColumnKind.RANK:
        return True
    if not col.numeric:
        return False
    units = {row[j].unit for row in c.rows if not row[j].missing}
    return len(units) <= 1


def escape_html(text: str) -> str:
    """``text`` as HTML character data: ``& < > "`` escaped, line breaks as
    ``<br>``, control characters as U+FFFD (attributes: :func:`escape_html_attribute`)."""
    escaped = html.escape(_controls_replaced(text), quote=False).replace('"', "&quot;")
    return _LINE_BREAK.sub("<br>", escaped)


def escape_html_attribute(text: str) -> str:
    """``text`` as a double-quoted attribute value: ``& < > " '`` escaped, control
    characters as U+FFFD, and never a ``<br>`` (line breaks as ``&#10;``)."""
    escaped = html.escape(_controls_replaced(text), quote=True)
    return escaped.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#9;")


def _html_piece(piece: Piece) -> str:
    """A piece of a cell: separator, text, and its marks and source numbers in
    their own ``<sup>``, whose spaces are no-break spaces (``&nbsp;``), so that
    ``[4, 5]`` never wraps, in a fragment as in the page."""
    e = escape_html
    suffix = f" <sup>{e(piece.suffix).replace(' ', '&nbsp;')}</sup>" if piece.suffix else ""
    return f"{e(piece.separator)}{e(piece.text)}{suffix}"


def _sort_key(column: Column, cell: Cell) -> str:
    """What the standalone page sorts a cell by (its ``data-sort``): the nominal
    figure in the column's scale, a rank's position, or the text; empty (sorted
    last) where the cell has none."""
    from modelcompare.records import Rank

    if cell.missing:
        return ""
    if isinstance(cell.value, Rank):
        return str(cell.value.position)
    if column.numeric:
        return "" if math.isnan(cell.nominal) else repr(cell.nominal)
    return cell.text.casefold()


#: The standalone page's table sorts by a click (or Enter) on a header: numbers
#: by their nominal figure, text alphabetically, missing values last either way,
#: ties in their first order; a second click reverses. Nothing is fetched.
_SORT_SCRIPT = """document.querySelectorAll("table.modelcompare").forEach(function (table) {
  var heads = table.tHead.rows[0].cells, body = table.tBodies[0];
  Array.prototype.forEach.call(heads, function (th, col) {
    th.tabIndex = 0;
    th.setAttribute("aria-sort", "none");
    function key(row) {
      var cell = row.cells[col], v = cell.getAttribute("data-sort");
      if (v === null) v = cell.textContent.toLowerCase();
      if (v === "") return null;
      return th.getAttribute("data-type") === "number" ? parseFloat(v) : v;
    }
    function sort() {
      var down = th.getAttribute("aria-sort") === "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", down ? "descending" : "ascending");
      var rows = Array.prototype.map.call(body.rows, function (r, i) { return [key(r), i, r]; });
      rows.sort(function (a, b) {
        if (a[0] === null || b[0] === null) {
          return a[0] === b[0] ? a[1] - b[1] : (a[0] === null ? 1 : -1);
        }
        var d = typeof a[0] === "number" ? a[0] - b[0] : a[0].localeCompare(b[0]);
        return (down ? -d : d) || a[1] - b[1];
      });
      rows.forEach(function (r) { body.appendChild(r[2]); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); sort(); }
    });
  });
});"""


_HTML_STYLE = """body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table.modelcompare { border-collapse: collapse; }
table.modelcompare caption { font-weight: bold; text-align: left; padding: 0.4em 0; }
table.modelcompare th, table.modelcompare td { padding: 0.3em 0.8em; text-align: left; }
table.modelcompare thead th { border-bottom: 2px solid #222; }
table.modelcompare tbody tr { border-bottom: 1px solid #ccc; }
table.modelcompare .num { text-align: right; font-variant-numeric: tabular-nums; }
table.modelcompare sup { white-space: nowrap; }
table.modelcompare thead th { cursor: pointer; }
table.modelcompare th[aria-sort="ascending"]::after { content: " \\25B2"; }
table.modelcompare th[aria-sort="descending"]::after { content: " \\25BC"; }
.modelcompare-legend, .modelcompare-sources, .modelcompare-notes { font-size: 0.9em; }"""


def render_html(
    c: Table,
    *,
    standalone: bool = False,
    notes: bool = False,
    legend: bool = True,
    sources: bool = True,
) -> str:
    """An HTML ``<table>`` (``<thead>``/``<tbody>``, header cells with ``scope``),
    the legend as a ``<ul>`` and the numbered sources as an ``<ol>``: each source's
    URL, where the footnote gives one (a source with no file, an external one),
    as a link (``http``/``https`` only), else its path in ``<code>``.
    ``legend=False`` / ``sources=False`` leave those out (the cells keep their
    marks and numbers)."""
    e = escape_html
    num = ' class="num"'
    lines = ['<table class="modelcompare">']
    if c.title:
        lines.append(f"<caption>{e(c.title)}</caption>")
    # the standalone page sorts: each header says how, each cell what it sorts by
    numbers = {j for j, col in enumerate(c.columns) if _sorts_as_number(c, j)}
    typed = ' data-type="number"'
    head = "".join(
        f'<th scope="col"{num if col.numeric else ""}'
        + (typed if standalone and j in numbers else "")
        + f">{e(col.header)}</th>"
        for j, col in enumerate(c.columns)
    )
    lines += [
        "<thead>",
        f'<tr><th scope="col">{e(_word(c, "Model"))}</th>{head}</tr>',
        "</thead>",
        "<tbody>",
    ]
    for name, cells in _rows(c):
        tds = []
        for j, (col, cell) in enumerate(zip(c.columns, cells, strict=True)):
            pieces = "".join(_html_piece(piece) for piece in cell.pieces)
            key = _sort_key(col, cell) if j in numbers or not col.numeric else None
            sort = (
                f' data-sort="{escape_html_attribute(key)}"'
                if standalone and key is not None
                else ""
            )
            tds.append(f"<td{num if col.numeric else ''}{sort}>{pieces}</td>")
        lines.append(f'<tr><th scope="row">{e(name)}</th>{"".join(tds)}</tr>')
    lines += ["</tbody>", "</table>"]
    if legend and c.legend:
        lines.append('<ul class="modelcompare-legend">')
        lines += [f"<li>{e(str(entry))}</li>" for entry in c.legend]
        lines.append("</ul>")
    if sources and c.sources:
        lines += [f"<p>{e(_word(c, 'Sources:'))}</p>", '<ol class="modelcompare-sources">']
        for s in c.sources:
            url = _link_target(s)
            if url is not None:
                where = f'<a href="{escape_html_attribute(url)}">{e(url)}</a>'
            else:
                where = f"<code>{e(s.where)}</code>"
            lines.append(f"<li>{', '.join([*map(e, _source_parts(s, c.lang)), where])}</li>")
        lines.append("</ol>")
    if notes and c.notes:
        lines += [f"<p>{e(_word(c, 'Notes:'))}</p>", '<ul class="modelcompare-notes">']
        lines += [f"<li>{e(f'{note.about}: {note.text}')}</li>" for note in c.notes]
        lines.append("</ul>")
    body = "\n".join(lines) + "\n"
    if not standalone:
        return body
    title = e(_LINE_BREAK.sub(" ", c.title)) if c.title else e(_word(c, "Model comparison"))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{c.lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>\n{_HTML_STYLE}\n</style>\n</head>\n<body>\n"
        f"{body}<script>\n{_SORT_SCRIPT}\n</script>\n</body>\n</html>\n"
    )
