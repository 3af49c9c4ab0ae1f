"""Renderers: a :class:`~modelcompare.comparison.Comparison` as Markdown, LaTeX,
HTML, CSV or JSON (and a pandas DataFrame).

The formats are a named registry, :data:`RENDERERS` (name -> :class:`Format`),
each with one escape function; :data:`FORMATS` lists their names.

Every string a user can set (model names, notes, source titles and paths, the
title) comes out as that same text, never as markup. Where a format cannot
hold a character as it is, the change is fixed and documented in the
format's module.

Each format is a module of this package — :mod:`.markdown`, :mod:`.latex`,
:mod:`.html`, :mod:`.csv`, :mod:`.json` (and :mod:`.frame` for pandas) — whose
docstring lists exactly how it writes text it cannot hold as it is; adding a
format is one module and one entry in :data:`RENDERERS`.

Machine formats and human ones
    Markdown, LaTeX and HTML show each column in a readable scale
    (``Parameters (B)``). CSV, JSON and :func:`to_frame` give each field's
    numbers in one fixed unit whatever the models (the field's own:
    ``parameter``, ``FLOP``, ``B``…; a chip count in its own chip, in the
    ``unit`` column), with unit strings ``modelcompare.ureg`` reads back, every
    mark of a cell as its own column, and text columns (JSON's ``display``)
    that give each figure as it reads alone, its own ``str()`` with its unit,
    whatever the other models (:func:`.export.own_text`); ``units=`` asks for
    another unit (see :mod:`.export`).

Every claim side by side (``compare(..., claims="each")``)
    A cell is several :class:`~modelcompare.comparison.Piece` s, each a claim's
    figure with its own marks and source numbers, written one after the other
    with their separators (``" / "``, ``" + "`` between kinds of chip), with
    the escapes above. Markdown and plain text:
    ``1,760 † [2] / ≥1,000 † [3]``; LaTeX: each piece's marks and numbers in
    their own ``\\textsuperscript``; HTML: in their own ``<sup>``. CSV and
    :func:`to_frame`: the text column holds the pieces with their units, marks
    and numbers (``1.76 T parameters † [2] / ≥1,000 B parameters † [3]``); the
    flags and sources columns hold those of all the pieces; the number columns
    hold the value the claims agree on, NaN (empty) where they contradict.
    JSON: each cell also has ``pieces``, a list of objects (display, separator,
    marks, flags, bound, nominal/low/high in the field's unit or null, unit,
    statuses, source numbers, and ``claims``, the 0-based positions of the
    piece's claims in the cell's ``claims``). Without ``claims="each"`` the
    output is as above, unchanged, and JSON cells have no ``pieces``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from modelcompare.collector import collector_paused
from modelcompare.errors import ModelCompareError

from .csv import escape_csv, render_csv
from .frame import to_frame
from .html import escape_html, render_html
from .json import escape_json, render_json
from .latex import render_latex
from .latex_text import escape_latex
from .markdown import escape_markdown, render_markdown

if TYPE_CHECKING:
    from modelcompare.table import Table

__all__ = [
    "FORMATS",
    "RENDERERS",
    "Format",
    "UnknownFormatError",
    "escape_csv",
    "escape_html",
    "escape_json",
    "escape_latex",
    "escape_markdown",
    "render",
    "render_csv",
    "render_html",
    "render_json",
    "render_latex",
    "render_markdown",
    "to_frame",
]


class UnknownFormatError(ModelCompareError, ValueError):
    """No renderer has this name; ``choices`` lists those there are."""

    name: str
    choices: tuple[str, ...]

    def __init__(self, name: str, choices: Sequence[str]) -> None:
        super().__init__(name=name, choices=tuple(choices))

    def __str__(self) -> str:
        return f"unknown format {self.name!r}; choose one of {', '.join(self.choices)}"


@dataclass(frozen=True, slots=True)
class Format:
    """A named output format: its renderer, its escape function, its options."""

    name: str
    render: Callable[..., str]
    escape: Callable[[str], str]
    options: tuple[str, ...]
    """The keyword options :attr:`render` takes."""


#: Every output format, by name.
RENDERERS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("markdown", render_markdown, escape_markdown, ("notes", "legend", "sources")),
        Format(
            "latex",
            render_latex,
            escape_latex,
            ("standalone", "notes", "fit", "legend", "sources", "layout", "engine", "label"),
        ),
        Format("html", render_html, escape_html, ("standalone", "notes", "legend", "sources")),
        Format("csv", render_csv, escape_csv, ("notes", "units")),
        Format("json", render_json, escape_json, ("notes", "units")),
    )
}

#: The names of the output formats (the CLI's ``--format`` choices).
FORMATS: tuple[str, ...] = tuple(RENDERERS)


def render(comparison: Table, fmt: str, **options: Any) -> str:
    """``comparison`` in format ``fmt``; :class:`UnknownFormatError` (a
    :class:`ValueError`) listing the formats if there is none of that name,
    :class:`TypeError` naming the options if one is not the format's."""
    try:
        spec = RENDERERS[fmt]
    except KeyError:
        raise UnknownFormatError(str(fmt), FORMATS) from None
    unknown = sorted(set(options) - set(spec.options))
    if unknown:
        raise TypeError(
            f"the {fmt} format takes no option {unknown[0]!r} "
            f"(its options: {', '.join(spec.options)})"
        )
    with collector_paused():  # what a renderer makes is short-lived: no cycle to find
        return spec.render(comparison, **options)
