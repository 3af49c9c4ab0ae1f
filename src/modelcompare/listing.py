"""The registry as plain data, for ``list``, ``show``, ``search``, ``sources`` and
``fields`` with ``--format json`` or ``--format csv``.

Each record is a dict of JSON types, keys in a fixed order. A value is a
*figure*: ``text`` (as the tables show it, qualifier and unit included), then
for a quantity ``bound`` (``exact``, ``approx``, ``at_least``, ``at_most``,
``range``, ``unknown``) and ``nominal``/``low``/``high`` as numbers in
``unit`` (``null`` where unbounded, or no figure is known). ``unit`` is the
field's base unit (``parameter``, ``token``, ``FLOP``, ``percent``, ``B``,
``FLOP/s``, ``W``, ``day``…), so figures of one field compare as numbers
whatever their prefix (1.76 T parameters is ``1.76e12``), or for an
accelerator count the chip (``H100``); a rank has ``rank`` and ``of``. Every
number reads back to the same float (JSON and CSV write its shortest round-trip
text, ``repr``): a figure in the field's own unit keeps every digit its source
gives (``19944368.12599428``); a converted one loses only the conversion's
float noise (1.76 T parameters is ``1760000000000.0``, not ``…0.0002``).

CSV follows the project's CSV conventions (as ``compare --format csv``):
RFC 4180, UTF-8 with a byte-order mark, CRLF line ends, a text cell starting
with ``= + - @``, tab or CR prefixed with ``'``; a list in a cell is joined
with ``"; "``; a missing value is an empty cell.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

from .errors import ConflictError
from .estimate import Estimate
from .fields import ACCELERATOR_FIELDS, FIELDS, FieldSpec
from .model import Model, ModelSummary
from .records import Claim, ClaimValue, Rank, Related, Source
from .units import accelerator_symbol, is_accelerator

__all__ = [
    "claim_record",
    "claim_rows",
    "field_record",
    "figure",
    "model_record",
    "model_summary",
    "source_record",
    "to_csv",
    "to_json",
]


def _number(x: float) -> float | None:
    """A finite figure as it is (see :func:`~modelcompare.render.export.numbers`);
    else None (NaN: no figure)."""
    return x if math.isfinite(x) else None


def figure(value: ClaimValue | None, field: str | None = None) -> dict[str, Any] | None:
    """A value as a JSON object (see the module doc); None for no value.

    ``field`` names the field the value is of: its numbers are given in that
    field's unit (without one, in the value's own unit).
    """
    if value is None:
        return None
    if isinstance(value, Rank):
        return {"text": str(value), "rank": value.position, "of": value.of}
    if isinstance(value, Related):
        return {"text": str(value), "models": list(value.ids)}
    if not isinstance(value, Estimate):
        return {"text": str(value)}
    spec = FIELDS.get(field or "") or ACCELERATOR_FIELDS.get(field or "")
    unit: Any = value.units
    label = str(value.units)
    if is_accelerator(value.nominal):
        unit = label = accelerator_symbol(value.nominal)
    elif spec is not None and spec.dimension is not None:
        unit = label = spec.dimension
    from .render.export import numbers

    lo, n, hi = numbers(value, unit)
    return {
        "text": str(value),
        "bound": value.bound.value,
        "nominal": _number(n),
        "low": _number(lo),
        "high": _number(hi),
        "unit": label,
    }


def model_summary(m: Model | ModelSummary) -> dict[str, Any]:
    """A model's own facts (of a :class:`Model` or its :class:`ModelSummary`), as
    ``list`` and ``search`` give them."""
    s = m.summary() if isinstance(m, Model) else m
    return {
        "id": s.id,
        "name": s.name,
        "organization": s.organization,
        "family": s.family,
        "status": s.status.value,
        "modality": s.modality,
        "announced": None if s.announced is None else str(s.announced),
        "aliases": list(s.aliases),
        "claims": s.claims,
        "note": s.note,
    }


def claim_record(c: Claim) -> dict[str, Any]:
    """A claim: its value, status, date, note, citations (source id and quote),
    and for a derived claim its formula and the claims it was computed from."""
    out: dict[str, Any] = {
        "subject": c.subject,
        "field": c.field,
        "value": figure(c.value, c.field),
        "status": c.status.value,
        "as_of": None if c.as_of is None else str(c.as_of),
        "note": c.note,
        "sources": [s.id for s in c.sources],
        "citations": [{"source": q.source.id, "quote": q.quote} for q in c.citations],
    }
    if c.formula is not None:
        out["formula"] = c.formula
        out["inputs"] = [claim_record(i) for i in c.inputs]
    return out


def model_record(m: Model) -> dict[str, Any]:
    """Everything ``show`` gives: the model's facts, then per field (in
    :data:`~modelcompare.FIELDS` order) the value its claims agree on (null
    and ``"conflict": true`` where they contradict each other) and every
    claim; then the mentions."""
    fields: dict[str, Any] = {}
    for name in FIELDS:
        claims = m.claims(name)
        if not claims:
            continue
        try:
            value, conflict = m.value(name), False
        except ConflictError:
            value, conflict = None, True
        fields[name] = {
            "value": figure(value, name),
            "conflict": conflict,
            "claims": [claim_record(c) for c in claims],
        }
    return {
        **model_summary(m),
        "announced_basis": m.announced_basis,
        "announced_note": m.announced_note,
        "outside": [{"source": q.source.id, "quote": q.quote} for q in m.outside],
        "fields": fields,
        "mentions": [{"source": q.source.id, "quote": q.quote} for q in m.mentions],
    }


def claim_rows(m: Model) -> list[dict[str, Any]]:
    """``show`` as CSV rows: one per claim (derived ones included), flat."""
    rows = []
    for name in FIELDS:
        for c in m.claims(name):
            fig = figure(c.value, c.field) or {}
            rows.append(
                {
                    "model": m.id,
                    "field": c.field,
                    "value": fig.get("text"),
                    "bound": fig.get("bound"),
                    "nominal": fig.get("nominal", fig.get("rank")),
                    "low": fig.get("low"),
                    "high": fig.get("high"),
                    "unit": fig.get("unit"),
                    "status": c.status.value,
                    "as_of": None if c.as_of is None else str(c.as_of),
                    "formula": c.formula,
                    "sources": [s.id for s in c.sources],
                    "quotes": [q.quote for q in c.citations],
                    "note": c.note,
                }
            )
    return rows


def source_record(s: Source) -> dict[str, Any]:
    """A source: id, title, date (and whether stated or inferred), language,
    kind, publisher, path, URL, whether external, and where footnotes point."""
    return {
        "id": s.id,
        "title": s.title,
        "date": None if s.date is None else str(s.date),
        "date_basis": s.date_basis,
        "language": s.language,
        "kind": s.kind,
        "publisher": s.publisher,
        "path": s.path,
        "url": s.url,
        "external": s.external,
        "where": s.where,
    }


def field_record(f: FieldSpec) -> dict[str, Any]:
    """A field: name, label, kind, unit (its dimension), whether derived or
    stated, description, choices (text fields) and bounds."""
    return {
        "name": f.name,
        "label": f.label,
        "kind": f.kind.value,
        "unit": f.dimension,
        "derived": f.derived,
        "stated": f.stated,
        "description": f.description,
        "choices": list(f.choices),
        "bounds": None if f.bounds is None else list(f.bounds),
    }


def to_json(data: Any) -> str:
    """``data`` as indented JSON, non-ASCII as it is, ending in a newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _csv_cell(value: Any) -> str:
    from .render.csv import escape_csv

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        from .render.export import machine_number

        return machine_number(value)
    if isinstance(value, list | tuple):
        return escape_csv("; ".join(_csv_text(v) for v in value))
    return escape_csv(str(value))


def _csv_text(value: Any) -> str:
    return "" if value is None else str(value)


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    """``rows`` (dicts) as CSV with ``columns`` as the header (see the module doc)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return "\ufeff" + buf.getvalue()
