"""LaTeX for pdflatex: a booktabs tabular, its legend and numbered sources.

LaTeX (pdflatex)
    ``& % $ # _ { } ~ ^ \\`` and ``< > | " ` [ ] *`` are written as commands
    or braced (no text can reach ``\\input`` or ``\\write18``, end a row or
    start an optional argument); ``--``, ``''`` and ``,,`` are kept from
    becoming ligatures. ``≈ ≥ ≤ ≠ − – — × ÷ ± · … ∞ → ← ° µ † ‡ § ¶``, typographic
    quotes, guillemets, superscript digits and no-break spaces become LaTeX
    commands; accented Latin letters pass through (pdflatex reads UTF-8 since
    2018); any other character (CJK, emoji, control characters…) is shown as
    ``\\texttt{U+XXXX}``. Line breaks and tabs become spaces and runs of white
    space collapse, as TeX does; ``'`` prints as a typographic apostrophe.
    A source's path or URL (in ``\\texttt``) may break across lines after
    ``/ _ - ? & = #`` (``\\allowbreak{}``, which prints nothing).
    A cell longer than 60 characters wraps in a 200 pt ragged-right
    ``\\parbox``, with a break point every 10 characters of a run with no
    space; a text longer than 300 characters is cut there and ends in ``[…]``,
    which a line under the table explains (a paragraph cannot break across
    pages; the other formats keep all of it). A table of more than 40 rows is a
    ``longtable`` (the fragment then needs ``\\usepackage{longtable}``), which
    breaks across pages with its header on each; it is never scaled, and, as
    longtable is, is for one-column pages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._common import _rows, _source_parts, _word
from .latex_text import breakable, escape_latex

if TYPE_CHECKING:
    from modelcompare.table import Cell, Piece, Table


def _latex_piece(piece: Piece) -> str:
    """A piece of a cell: separator, text, and its marks and source numbers in
    their own superscript."""
    e = _escape_breakable
    suffix = f"\\textsuperscript{{{escape_latex(piece.suffix)}}}" if piece.suffix else ""
    return e(piece.separator) + e(_cut(piece.text)) + suffix


#: A cell longer than this many characters is set as a paragraph of
#: :data:`_LONG_CELL_WIDTH` that wraps, so no text can make a table wider than a
#: page (or than TeX's largest dimension, which stops pdflatex).
_LONG_CELL = 60
_LONG_CELL_WIDTH = "200pt"
_escape_breakable = breakable


#: A text longer than this many characters is cut there, ending in
#: :data:`CUT_MARK`, which a line under the table explains: a paragraph cannot
#: break across pages, and the full text stays in the other formats.
LONG_TEXT = 300
CUT_MARK = " […]"
_CUT_NOTE = (
    f"{CUT_MARK.strip()} text cut at {LONG_TEXT} characters to fit the page; "
    "the CSV, JSON and HTML outputs keep all of it"
)


def _cut(text: str) -> str:
    """``text``, or its first :data:`LONG_TEXT` characters and :data:`CUT_MARK`."""
    return text if len(text) <= LONG_TEXT else text[:LONG_TEXT] + CUT_MARK


def _latex_cell(source: str, chars: float) -> str:
    """A cell's LaTeX ``source``, whose text is ``chars`` characters long: as it is,
    or, when longer than :data:`_LONG_CELL`, a ragged-right paragraph of
    :data:`_LONG_CELL_WIDTH` that wraps."""
    if chars <= _LONG_CELL:
        return source
    return f"\\parbox[t]{{{_LONG_CELL_WIDTH}}}{{\\raggedright {source}}}"


_LATEX_DOCUMENT = r"""\documentclass{article}
\usepackage[utf8]{inputenc}
\IfFileExists{lmodern.sty}{\usepackage[T1]{fontenc}\usepackage{lmodern}}{}
\usepackage{booktabs}
\usepackage{longtable}
\usepackage{graphicx}
\usepackage[%s]{geometry}
\begin{document}
"""
#: The text width of a portrait page in points (US letter with 2 cm margins, as the
#: standalone document has; an A4 or letter article's is 345 to 500): a table
#: estimated wider has its long headers broken onto several lines, and in the
#: standalone document goes on a landscape page.
_PAGE_WIDTH = 500.0
#: The fragment's first line.
_LATEX_HEAD = (
    "% modelcompare table for pdflatex; needs \\usepackage{booktabs}; "
    "with \\usepackage{graphicx} a table wider than the line is scaled down to fit"
)
#: The fragment's first line when the table is a longtable.
_LATEX_HEAD_LONG = (
    "% modelcompare table for pdflatex; needs \\usepackage{booktabs} and "
    "\\usepackage{longtable} (it breaks across pages; one-column pages only)"
)
#: Shows the tabular saved in box 0: scaled down to the line width where it is wider
#: and graphicx is loaded (never enlarged), else at its natural width.
_LATEX_FIT = (
    r"\noindent\ifdefined\resizebox\ifdim\wd0>\linewidth"
    r"\resizebox{\linewidth}{!}{\box0}\else\box0\fi\else\box0\fi"
)
#: A table of more rows than this is a ``longtable`` (``\\usepackage{longtable}``),
#: which breaks across pages with its header repeated; a ``tabular`` cannot, and
#: pdflatex would drop every row past the first page without a word.
LONG_TABLE_ROWS = 40
#: Where a path or URL may break: after these characters.
_PATH_BREAKS = re.compile(r"(?<=[/_?&=#-])")


def _latex_path(text: str) -> str:
    """A path or URL for ``\\texttt``: escaped, and breakable after ``/ _ - ? & = #``
    (``\\allowbreak{}``), since typewriter type never hyphenates."""
    return r"\allowbreak{}".join(escape_latex(part) for part in _PATH_BREAKS.split(text) if part)


def _chars(cell: Cell) -> float:
    """A cell's length in characters of the body font (a superscript's count 0.7)."""
    return sum(len(p.separator + p.text) + 0.7 * len(p.suffix) for p in cell.pieces)


def _set_width(chars: float) -> float:
    """The width in characters a cell of ``chars`` characters takes in the table:
    a long one wraps at :data:`_LONG_CELL_WIDTH` (200 pt, 40 characters)."""
    return chars if chars <= _LONG_CELL else 40.0


_WHITE = re.compile(r"[ \t\r\n]+")


def _header_lines(c: Table, j: int, *, wrap: bool) -> list[str]:
    """Column ``j``'s header; with ``wrap``, broken at spaces into lines no wider
    than its widest cell (or its longest word), so that a long header over short
    figures does not widen the table."""
    header = c.columns[j].header
    if not wrap:
        return [header]
    words = [w for w in _WHITE.split(header) if w]
    limit = max([*(_set_width(_chars(row[j])) for row in c.rows), *map(len, words), 1])
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines if len(lines) > 1 else [header]


def _latex_header(c: Table, j: int, *, wrap: bool) -> str:
    """A header cell: one line, or a stack of lines aligned as the column."""
    lines = _header_lines(c, j, wrap=wrap)
    if len(lines) == 1:
        return escape_latex(lines[0])
    align = "r" if c.columns[j].numeric else "l"
    stacked = r" \\ ".join(map(escape_latex, lines))
    return f"\\begin{{tabular}}[b]{{@{{}}{align}@{{}}}}{stacked}\\end{{tabular}}"


def _latex_width(c: Table, *, wrap: bool) -> float:
    """A rough natural width of the table in points (10 pt Computer Modern: about
    5 pt a character; 12 pt of padding a column)."""
    names = ("Model", *c.row_names)
    widths = [max(_set_width(len(name)) for name in names)]
    for j in range(len(c.columns)):
        lines = _header_lines(c, j, wrap=wrap)
        widths.append(max([*map(len, lines), *(_set_width(_chars(row[j])) for row in c.rows)]))
    return 5.0 * sum(widths) + 12.0 * len(widths)


def render_latex(
    c: Table,
    *,
    standalone: bool = False,
    notes: bool = False,
    fit: bool = True,
    legend: bool = True,
    sources: bool = True,
    layout: str | None = None,
    engine: str = "pdflatex",
    label: str | None = None,
) -> str:
    """A booktabs ``tabular`` with the legend and the numbered sources as lists.

    ``layout="column"`` or ``"page"`` gives instead a float that fits a paper's
    column or page, with a caption, a label and the legend and sources as table
    notes, for pdflatex or (``engine="xelatex"`` / ``"lualatex"``) with every
    script kept: see :mod:`modelcompare.render.latex_paper`.

    The fragment needs ``\\usepackage{booktabs}`` and pdflatex from 2018 or
    later (UTF-8 input by default). A wide table: with ``fit`` (the default),
    a table wider than ``\\linewidth`` is scaled down to it where the document
    loads ``graphicx`` (``\\usepackage{graphicx}``; it is never enlarged), and
    keeps its natural width where it does not, so the fragment still compiles
    with booktabs alone; ``fit=False`` never scales. Other ways to fit one: a
    landscape page (``\\usepackage{pdflscape}`` and the ``landscape``
    environment), or ``\\small`` / a smaller ``\\tabcolsep`` before it. A table
    estimated wider than a page (about 500 pt) has its long headers broken onto
    several lines (a stacked ``tabular``). Paths and URLs in the sources may
    break after ``/`` and the like; the legend is a ``description`` list, so a
    long mark (``× MAI-1-preview``) stays on the page.

    ``standalone`` wraps it in a document that compiles with TeX Live's base and
    recommended LaTeX packages (T1 fonts with Latin Modern where ``lmodern`` is
    installed) and fits the page: graphicx is loaded (so with ``fit`` a wide
    table is scaled down to the line), and a table estimated wider than a
    portrait page goes on a landscape one.

    ``legend=False`` / ``sources=False`` leave the legend or the sources out
    (the cells keep their marks and source numbers).
    """
    if layout is not None:
        from .latex_paper import render_latex_paper

        return render_latex_paper(
            c,
            layout=layout,  # type: ignore[arg-type]
            engine=engine,  # type: ignore[arg-type]
            standalone=standalone,
            notes=notes,
            legend=legend,
            sources=sources,
            label=label,
        )
    if engine != "pdflatex" or label is not None:
        from modelcompare.errors import InvalidValueError

        raise InvalidValueError(
            "engine= and label= go with layout='column' or layout='page' (a float with a caption)"
        )
    e = escape_latex
    lines = [_LATEX_HEAD_LONG if len(c.rows) > LONG_TABLE_ROWS else _LATEX_HEAD]
    if c.title:
        lines.append(f"\\noindent\\textbf{{{e(c.title)}}}\\par\\medskip")
    spec = "l" + "".join("r" if col.numeric else "l" for col in c.columns)
    long = len(c.rows) > LONG_TABLE_ROWS  # a longtable, which breaks across pages
    cut = False  # whether a text was cut (a line under the table says so)
    if long:
        lines += [f"\\begin{{longtable}}{{{spec}}}", r"\toprule"]
    else:
        begin = f"\\begin{{tabular}}{{{spec}}}"
        lines += [f"\\setbox0=\\hbox{{{begin}" if fit else f"\\noindent{begin}", r"\toprule"]
    wrap = _latex_width(c, wrap=False) > _PAGE_WIDTH  # a wide table: long headers on 2+ lines
    headers = [_latex_header(c, j, wrap=wrap) for j in range(len(c.columns))]
    lines.append(" & ".join([e(_word(c, "Model")), *headers]) + r" \\")
    lines.append(r"\midrule")
    if long:  # the header on every page, the rule under the last row only
        lines += [r"\endhead", r"\bottomrule", r"\endlastfoot"]
    for name, cells in _rows(c):
        row = [_latex_cell(_escape_breakable(_cut(name)), len(name))]
        for cell in cells:
            source = "".join(_latex_piece(piece) for piece in cell.pieces)
            row.append(_latex_cell(source, _chars(cell)))
        cut = (
            cut
            or len(name) > LONG_TEXT
            or any(len(p.text) > LONG_TEXT for x in cells for p in x.pieces)
        )
        lines.append(" & ".join(row) + r" \\")
    if long:
        lines.append(r"\end{longtable}")
    else:
        lines.append(r"\bottomrule")
        lines += [r"\end{tabular}}%", _LATEX_FIT] if fit else [r"\end{tabular}"]

    def items(labelled: Sequence[tuple[str, str]], env: str = "itemize") -> list[str]:
        # ragged right: a line may end short before a long path rather than run out
        body = [f"\\item[{{{label}}}] {text}" for label, text in labelled]
        return [f"\\begin{{{env}}}\\small\\raggedright", *body, f"\\end{{{env}}}"]

    marks = [(f"\\mdseries {e(entry.mark)}", e(entry.meaning)) for entry in c.legend]
    marks = marks if legend else []
    if cut:  # what a cut cell leaves out: said even without the legend
        mark, meaning = _CUT_NOTE.split(" ", 1)
        marks.append((f"\\mdseries {e(mark)}", e(meaning)))
    if marks:  # a description list, so a long mark (``× MAI-1-preview``) stays on the page
        lines += items(marks, "description")
    if sources and c.sources:
        lines.append(f"\\noindent {e(_word(c, 'Sources:'))}")
        lines += items(
            [
                (
                    e(f"[{n}]"),
                    ", ".join(
                        [*map(e, _source_parts(s, c.lang)), f"\\texttt{{{_latex_path(s.where)}}}"]
                    ),
                )
                for n, s in enumerate(c.sources, 1)
            ]
        )
    if notes and c.notes:
        lines.append(f"\\noindent {e(_word(c, 'Notes:'))}")
        lines += items([(r"\textbullet", e(f"{note.about}: {note.text}")) for note in c.notes])
    text = "\n".join(lines) + "\n"
    if not standalone:
        return text
    page = "landscape, margin=2cm" if _latex_width(c, wrap=wrap) > _PAGE_WIDTH else "margin=2cm"
    return _LATEX_DOCUMENT % page + text + "\\end{document}\n"
