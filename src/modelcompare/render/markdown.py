"""Markdown: a GitHub-flavoured pipe table, its legend and numbered sources."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._common import _LINE_BREAK, _controls_replaced, _rows, _source_text

if TYPE_CHECKING:
    from modelcompare.comparison import Comparison


_MD_ESCAPED = frozenset("\\`*_[]~|$")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_BLOCK_START = re.compile(r"(?:[-+]|#{1,6}|\d{1,9}[.)])(?=[ \t]|$)")


def escape_markdown(text: str) -> str:
    """``text`` as inline GitHub-flavoured Markdown that reads back as ``text``
    (see the module doc for the fixed changes: line breaks as ``<br>`` …)."""
    text = _LINE_BREAK.sub("\n", _controls_replaced(text))
    out = []
    for i, ch in enumerate(text):
        if ch == "\n":
            out.append("<br>")
        elif ch in _MD_ENTITIES:
            out.append(_MD_ENTITIES[ch])
        elif ch == "_" and text[i - 1 : i].isalnum() and text[i + 1 : i + 2].isalnum():
            out.append(ch)  # inside a word (``snake_case``): never emphasis
        elif ch in _MD_ESCAPED:
            out.append("\\" + ch)
        else:
            out.append(ch)
    body = "".join(out)
    start = len(body) - len(body.lstrip())
    core = body.strip()
    m = _MD_BLOCK_START.match(core)
    if m:  # would start a list item or a heading: escape the marker's last character
        i = m.end() - 1
        core = core[:i] + "\\" + core[i:]
    return _char_refs(body[:start]) + core + _char_refs(body[start + len(core) :])


def _char_refs(text: str) -> str:
    return "".join(f"&#x{ord(ch):X};" for ch in text)


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_markdown(c: Comparison, *, notes: bool = False) -> str:
    """A GitHub-flavoured Markdown pipe table, the legend and the numbered sources."""
    e = escape_markdown
    lines = []
    if c.title:
        lines += [f"**{e(c.title)}**", ""]
    lines.append(_md_row(["Model", *(e(col.header) for col in c.columns)]))
    lines.append(_md_row([":---", *("---:" if col.numeric else ":---" for col in c.columns)]))
    for name, cells in _rows(c):
        lines.append(_md_row([e(name), *(e(cell.display) for cell in cells)]))
    if c.legend:
        lines += ["", *(f"- {e(str(entry))}" for entry in c.legend)]
    if c.sources:
        lines += ["", "Sources:", ""]
        lines += [f"{n}. {e(_source_text(s))}" for n, s in enumerate(c.sources, 1)]
    if notes and c.notes:
        lines += ["", "Notes:", ""]
        lines += [f"- {e(f'{note.about}: {note.text}')}" for note in c.notes]
    return "\n".join(lines) + "\n"
