"""JSON: the whole comparison as one document.

JSON
    Verbatim (``ensure_ascii=False``); keys in a fixed order.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from modelcompare.estimate import Estimate

from .export import (
    ExportUnits,
    check_units,
    export_unit,
    numbers,
    own_text,
    unknown_chips,
    value_unit,
)

if TYPE_CHECKING:
    from modelcompare.i18n import Lang
    from modelcompare.records import ClaimValue
    from modelcompare.table import Cell, Column, Piece, Table


def escape_json(text: str) -> str:
    """``text`` as a JSON string literal (non-ASCII kept as it is)."""
    return json.dumps(text, ensure_ascii=False)


def _json_number(x: float) -> float | None:
    return None if math.isnan(x) else x


def _json_numbers(
    value: ClaimValue | None, low: float, nominal: float, high: float
) -> dict[str, Any]:
    """The bound and the numbers of a cell or a piece (null where NaN)."""
    return {
        "bound": value.bound.value if isinstance(value, Estimate) else None,
        "nominal": _json_number(nominal),
        "low": _json_number(low),
        "high": _json_number(high),
    }


def _json_piece(
    col: Column, piece: Piece, position: dict[int, int], units: Mapping[str, str], lang: Lang
) -> dict[str, Any]:
    """A piece of a cell (``claims="each"``); its ``claims`` are their positions in
    the cell's (``position``: claim's ``id()`` -> index)."""
    return {
        **_json_figure(col, piece, units, lang),
        "separator": piece.separator,
        "claims": [position[id(claim)] for claim in piece.claims],
    }


def _json_figure(
    col: Column, part: Cell | Piece, units: Mapping[str, str], lang: Lang
) -> dict[str, Any]:
    """What a cell and a piece of a cell both say: text, marks, numbers (in the
    field's one unit: see :mod:`.export`), status, sources."""
    unit = value_unit(col, part.value, units)
    low, nominal, high = numbers(part.value, unit)
    values = getattr(part, "shown", () if part.value is None else (part.value,))
    # self-contained: each value with its unit, as it reads alone (never the column's
    # scale, which depends on the other models: see .export.own_text)
    shown = own_text(values, lang) if values else part.text
    out = {
        "display": shown,
        "marks": [f.mark for f in part.flags],
        "flags": [f.value for f in part.flags],
        **_json_numbers(part.value, low, nominal, high),
        "unit": unit,
        "status": list(dict.fromkeys(claim.status.value for claim in part.claims)),
        "sources": list(part.sources),
    }
    if col.numeric and col.field.dimension == "accelerator" and export_unit(col, units) is None:
        out["chips_with_no_count"] = unknown_chips(part)
    return out


def _source_numbers(c: Table) -> dict[str, int]:
    """Each cited source's number, by source id."""
    return {s.id: n for n, s in enumerate(c.sources, 1)}


def _json_cell(
    c: Table,
    col: Column,
    cell: Cell,
    notes: bool,
    number: Mapping[str, int],
    units: Mapping[str, str],
) -> dict[str, Any]:
    """A cell; ``number`` is :func:`_source_numbers` of the table (computed once)."""
    claims = []
    for claim in cell.claims:
        entry: dict[str, Any] = {
            "value": str(claim.value),
            "status": claim.status.value,
            "as_of": None if claim.as_of is None else str(claim.as_of),
            "sources": [number[s.id] for s in claim.sources],
            "quotes": [{"source": number[q.source.id], "quote": q.quote} for q in claim.citations],
        }
        if claim.formula is not None:
            entry["formula"] = claim.formula
        if notes and claim.note is not None:
            entry["note"] = claim.note
        claims.append(entry)
    out = {"column": col.key, **_json_figure(col, cell, units, c.lang)}
    if c.claims_mode == "each":
        position = {id(claim): i for i, claim in enumerate(cell.claims)}
        out["pieces"] = [_json_piece(col, piece, position, units, c.lang) for piece in cell.pieces]
    out["claims"] = claims
    return out


def render_json(c: Table, *, notes: bool = False, units: ExportUnits | None = None) -> str:
    """The whole comparison as a JSON document: title, reference model, columns
    (with the unit of their numbers, null where each cell has its chip's),
    one row per model (id, name, organization, status, cells: display text,
    marks, flags, bound, nominal/low/high in the field's one unit or null, that
    unit, statuses, source numbers, chips named with no count in accelerator
    columns, with ``claims="each"`` the pieces, the claims with their quotes),
    the numbered sources and the legend. ``notes=True`` adds the models' and
    claims' notes; ``units={"parameters": "Gparameter"}`` another unit (see
    :mod:`modelcompare.render.export`)."""
    asked = check_units(c, units)
    try:
        return _render_json(c, notes, asked, written=True)
    except _Unwritten:  # a value for json.dumps to write (or to refuse)
        return _render_json(c, notes, asked, written=False)


def _render_json(c: Table, notes: bool, asked: Mapping[str, str], *, written: bool) -> str:
    """:func:`render_json`; ``written``: each row is written as soon as it is built
    (:class:`_Written`), so that a large table never holds every row's dicts at
    once (nor makes the garbage collector walk them); :class:`_Unwritten` where a
    row has a value :func:`dumps` leaves to :func:`json.dumps`."""
    rows: list[Any] = []
    number = _source_numbers(c)
    for model, cells in zip(c.models, c.rows, strict=True):
        entry: dict[str, Any] = {
            "id": model.id,
            "name": model.name,
            "organization": model.organization,
            "status": model.status.value,
        }
        if notes and model.note is not None:
            entry["note"] = model.note
        entry["cells"] = [
            _json_cell(c, col, cell, notes, number, asked)
            for col, cell in zip(c.columns, cells, strict=True)
        ]
        if written:
            out: list[str] = []
            _write(entry, _ROW_NEWLINE, out.append)
            rows.append(_Written("".join(out)))
        else:
            rows.append(entry)
    doc = {
        "title": c.title,
        "vs": None if c.vs is None else c.vs.name,
        "columns": [
            {
                "key": col.key,
                "field": col.field.name,
                "header": col.header,
                "kind": col.kind.value,
                "unit": export_unit(col, asked) if col.numeric else None,
            }
            for col in c.columns
        ],
        "rows": rows,
        "sources": [
            {
                "number": n,
                "id": s.id,
                "title": s.title,
                "date": None if s.date is None else str(s.date),
                "date_basis": s.date_basis,
                "path": s.path,
                "url": s.url,
            }
            for n, s in enumerate(c.sources, 1)
        ],
        "legend": [{"mark": entry.mark, "meaning": entry.meaning} for entry in c.legend],
    }
    if not written:
        return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    out = []
    _write(doc, "\n", out.append)
    return "".join(out) + "\n"


class _Unwritten(Exception):
    """A value :func:`dumps` leaves to :func:`json.dumps` (which says what is wrong)."""


@dataclass(frozen=True, slots=True)
class _Written:
    """A value already written as JSON, at the indentation of an item of the
    document's ``rows`` (:data:`_ROW_NEWLINE`)."""

    text: str


#: What starts a line inside an item of the document's ``rows`` (two levels down).
_ROW_NEWLINE = "\n    "


def dumps(doc: Any) -> str:
    """``json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False)``, the same
    text, without the standard library's pure-Python encoder (which ``indent``
    selects): dicts with string keys, lists and tuples, strings, numbers, booleans
    and None are written here; anything else (a non-finite float, another key or
    type) goes to :func:`json.dumps`, which writes it or raises its own error."""
    out: list[str] = []
    try:
        _write(doc, "\n", out.append)
    except _Unwritten:
        return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False)
    return "".join(out)


_encode = json.encoder.encode_basestring  # the C encoder's, as ensure_ascii=False uses
_float_repr = float.__repr__
_int_repr = int.__repr__


def _write(o: Any, newline: str, add: Callable[[str], None]) -> None:
    """Write ``o``, its nested lines starting ``newline`` plus two spaces."""
    t = type(o)
    if t is dict:
        if not o:
            add("{}")
            return
        inner = newline + "  "
        head = "{" + inner
        for k, v in o.items():
            if type(k) is not str:
                raise _Unwritten
            if type(v) is str:  # (the most common value, written here)
                add(head + _encode(k) + ": " + _encode(v))
            else:
                add(head + _encode(k) + ": ")
                _write(v, inner, add)
            head = "," + inner
        add(newline + "}")
    elif t is list or t is tuple:
        if not o:
            add("[]")
            return
        inner = newline + "  "
        head = "[" + inner
        for v in o:
            if type(v) is str:
                add(head + _encode(v))
            else:
                add(head)
                _write(v, inner, add)
            head = "," + inner
        add(newline + "]")
    elif t is _Written:
        add(o.text)
    else:
        add(_scalar(o))


def _scalar(o: Any) -> str:
    """A string, number, boolean or None as JSON; :class:`_Unwritten` for anything else."""
    t = type(o)
    if t is str:
        return _encode(o)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if t is int:
        return _int_repr(o)
    if t is float and math.isfinite(o):
        return _float_repr(o)
    if isinstance(o, str) and not isinstance(o, Enum):
        return _encode(o)
    raise _Unwritten
