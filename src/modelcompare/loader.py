"""Reading registry data files (see ``docs/data-format.md``).

Every problem raises :class:`DataFileError` naming the file, the line where
one can be found, the record and the field; nothing is half-loaded.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DataFileError, ModelCompareError
from .estimate import Estimate
from .fields import ACCELERATOR_FIELDS, FIELDS, FieldSpec
from .records import (
    Accelerator,
    Citation,
    Claim,
    Model,
    PartialDate,
    Rank,
    Source,
    Status,
)
from .units import accelerator_units, is_accelerator, quantity

__all__ = ["FileData", "build", "parse_file"]

#: Common spellings offered as suggestions for an unknown unit (with every chip).
_COMMON_UNITS = (
    "parameter",
    "Mparameter",
    "Gparameter",
    "Tparameter",
    "token",
    "Gtoken",
    "Ttoken",
    "FLOP",
    "FLOP/s",
    "TFLOP/s",
    "PFLOP/s",
    "B",
    "GB",
    "TB",
    "GB/s",
    "TB/s",
    "W",
    "kW",
    "MW",
    "Wh",
    "MWh",
    "USD",
    "percent",
    "mt_bench_point",
    "s",
    "h",
    "day",
)

_TOP = ("root", "source", "model", "claim", "accelerator")
_SOURCE_KEYS = (
    "id",
    "title",
    "path",
    "url",
    "date",
    "date_basis",
    "date_note",
    "language",
    "publisher",
    "kind",
    "external",
)
_MODEL_KEYS = (
    "id",
    "name",
    "aliases",
    "organization",
    "family",
    "modality",
    "status",
    "announced",
    "note",
    "mentions",
)
_CLAIM_KEYS = ("model", "field", "value", "status", "as_of", "note", "citations")
_SPEC_KEYS = ("field", "value", "status", "as_of", "note", "citations")
_ACCEL_KEYS = (
    "id",
    "unit",
    "name",
    "vendor",
    "form_factor",
    "gpus_per_unit",
    "default",
    "released",
    "note",
    "spec",
)
_VALUE_FORMS = ("exact", "about", "at_least", "at_most", "low", "unknown", "rank", "text")


def _suggest(word: str, choices: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


@dataclass
class _Cite:
    source: str
    quote: str


@dataclass
class _Draft:
    """A claim or mention whose citations are not yet resolved to sources."""

    record: str
    line: int | None
    kwargs: dict[str, Any]
    cites: list[_Cite]


@dataclass
class FileData:
    """What one data file holds, before it is merged with the others."""

    path: Path
    sources: list[tuple[Source, str, int | None]] = field(default_factory=list)
    models: list[tuple[Model, _Draft]] = field(default_factory=list)
    claims: list[_Draft] = field(default_factory=list)
    accelerators: list[tuple[Accelerator, list[_Draft], str, int | None]] = field(
        default_factory=list
    )


class _Locator:
    """Finds the line of the n-th ``[[table]]`` of a file, and of a key in it."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self._headers: dict[str, list[int]] = {}
        for i, line in enumerate(self.lines, 1):
            m = re.match(r"^\s*\[\[\s*([A-Za-z_.]+)\s*\]\]", line)
            if m:
                self._headers.setdefault(m.group(1), []).append(i)

    def line(self, table: str, index: int, key: str | None = None) -> int | None:
        starts = self._headers.get(table, [])
        if index >= len(starts):
            return None
        start = starts[index]
        if key is None:
            return start
        for j in range(start, len(self.lines)):
            text = self.lines[j]
            if re.match(r"^\s*\[\[?\s*[A-Za-z]", text):
                break
            if re.match(rf"^\s*{re.escape(key)}\s*=", text):
                return j + 1
        return start


class _Context:
    """Error reporting for one file."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.locator = _Locator(text)

    def error(
        self,
        message: str,
        *,
        table: str | None = None,
        index: int = 0,
        record: str | None = None,
        key: str | None = None,
        suggestion: str | None = None,
        line: int | None = None,
    ) -> DataFileError:
        if line is None and table is not None:
            line = self.locator.line(table, index, key)
        return DataFileError(
            str(self.path), message, line=line, record=record, field=key, suggestion=suggestion
        )


def parse_file(path: Path, text: str | None = None) -> FileData:
    """Read one data file into records (citations still unresolved)."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise DataFileError(str(path), "no such file") from None
        except UnicodeDecodeError as exc:
            raise DataFileError(
                str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})"
            ) from None
        except OSError as exc:
            raise DataFileError(str(path), f"cannot read the file: {exc.strerror}") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        msg = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        line = int(m.group(1)) if m else None
        col = f", column {m.group(2)}" if m else ""
        if m is None and "end of document" in str(exc):
            line = max(1, len(text.splitlines()))
        raise DataFileError(str(path), f"invalid TOML{col}: {msg}", line=line) from None
    ctx = _Context(path, text)
    data = FileData(path)
    for key in doc:
        if key not in _TOP:
            raise ctx.error(
                f"unknown table {key!r}; a data file holds {', '.join(_TOP)}",
                suggestion=_suggest(key, _TOP),
                line=_key_line(ctx, key),
            )
    root = doc.get("root", ".")
    if not isinstance(root, str):
        raise ctx.error(
            f"'root' must be a folder path as text (got {root!r})",
            key="root",
            line=_key_line(ctx, "root"),
        )
    try:
        base = (path.parent / root).resolve()
    except (ValueError, OSError) as exc:
        raise ctx.error(
            f"'root' is not a usable folder path: {exc}", key="root", line=_key_line(ctx, "root")
        ) from None
    for kind in ("source", "model", "claim", "accelerator"):
        items = doc.get(kind, [])
        if not isinstance(items, list):
            raise ctx.error(
                f"{kind!r} must be an array of tables: write [[{kind}]]", line=_key_line(ctx, kind)
            )
    for i, raw in enumerate(doc.get("source", [])):
        data.sources.append(_source(ctx, i, raw, base))
    for i, raw in enumerate(doc.get("model", [])):
        data.models.append(_model(ctx, i, raw))
    for i, raw in enumerate(doc.get("claim", [])):
        data.claims.append(_claim(ctx, "claim", i, raw, _CLAIM_KEYS))
    spec_index = 0
    for i, raw in enumerate(doc.get("accelerator", [])):
        accel, specs, rec, line = _accelerator(ctx, i, raw, spec_index)
        spec_index += len(specs)
        data.accelerators.append((accel, specs, rec, line))
    return data


def _key_line(ctx: _Context, key: str) -> int | None:
    for i, line in enumerate(ctx.locator.lines, 1):
        if re.match(rf"^\s*(\[+\s*)?{re.escape(key)}\b", line):
            return i
    return None


def _check_keys(
    ctx: _Context, table: str, index: int, raw: Any, allowed: tuple[str, ...], record: str
) -> None:
    if not isinstance(raw, dict):
        raise ctx.error(f"expected a table, got {raw!r}", table=table, index=index, record=record)
    for key in raw:
        if key not in allowed:
            raise ctx.error(
                f"unknown key; a {table} has {', '.join(allowed)}",
                table=table,
                index=index,
                record=record,
                key=key,
                suggestion=_suggest(key, allowed),
            )


def _required(
    ctx: _Context, table: str, index: int, raw: dict[str, Any], record: str, *keys: str
) -> None:
    for key in keys:
        if key not in raw:
            raise ctx.error("missing (required)", table=table, index=index, record=record, key=key)


def _date(
    ctx: _Context, table: str, index: int, raw: dict[str, Any], record: str, key: str
) -> PartialDate | None:
    if key not in raw:
        return None
    try:
        return PartialDate.parse(raw[key])
    except ValueError as exc:
        raise ctx.error(str(exc), table=table, index=index, record=record, key=key) from None


def _make(ctx: _Context, table: str, index: int, record: str, build: Callable[[], Any]) -> Any:
    """Run a record constructor, turning its ValueError into a located DataFileError."""
    try:
        return build()
    except (ValueError, TypeError) as exc:
        msg = str(exc)
        m = re.match(r"^'(\w+)'", msg)
        key = m.group(1) if m else None
        raise ctx.error(msg, table=table, index=index, record=record, key=key) from None


def _source(ctx: _Context, i: int, raw: Any, base: Path) -> tuple[Source, str, int | None]:
    rec = f"source #{i + 1}"
    _check_keys(ctx, "source", i, raw, _SOURCE_KEYS, rec)
    if "id" in raw:
        rec = f"source {raw['id']!r}"
    _required(ctx, "source", i, raw, rec, "id", "title", "language")
    path = raw.get("path")
    file = None
    if isinstance(path, str):
        try:
            file = (base / path).resolve()
            found = file.is_file()
        except (ValueError, OSError) as exc:
            raise ctx.error(
                f"not a usable file path: {exc}", table="source", index=i, record=rec, key="path"
            ) from None
        if not found:
            what = "is a folder, not a file" if file.is_dir() else "no such file"
            raise ctx.error(
                f"{what}: {str(file)!r}",
                table="source",
                index=i,
                record=rec,
                key="path",
                suggestion="paths are relative to the data file's folder (or to its 'root')",
            )
    date = _date(ctx, "source", i, raw, rec, "date")
    kwargs = {k: v for k, v in raw.items() if k != "date"}
    source = _make(ctx, "source", i, rec, lambda: Source(**kwargs, date=date, file=file))
    return source, rec, ctx.locator.line("source", i)


def _citations(
    ctx: _Context, table: str, i: int, raw: dict[str, Any], key: str, record: str
) -> list[_Cite]:
    items = raw.get(key, [])
    if not isinstance(items, list):
        raise ctx.error(
            "expected an array of { source = …, quote = … }",
            table=table,
            index=i,
            record=record,
            key=key,
        )
    cites = []
    for item in items:
        if not isinstance(item, dict) or set(item) != {"source", "quote"}:
            raise ctx.error(
                f'each citation is {{ source = "id", quote = "…" }} (got {item!r})',
                table=table,
                index=i,
                record=record,
                key=key,
            )
        if not all(isinstance(item[k], str) and item[k].strip() for k in ("source", "quote")):
            raise ctx.error(
                f"a citation's source and quote must be non-empty text (got {item!r})",
                table=table,
                index=i,
                record=record,
                key=key,
            )
        cites.append(_Cite(item["source"], item["quote"]))
    return cites


def _model(ctx: _Context, i: int, raw: Any) -> tuple[Model, _Draft]:
    rec = f"model #{i + 1}"
    _check_keys(ctx, "model", i, raw, _MODEL_KEYS, rec)
    if "id" in raw:
        rec = f"model {raw['id']!r}"
    _required(ctx, "model", i, raw, rec, "id", "name", "organization")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ctx.error(
            "expected an array of names", table="model", index=i, record=rec, key="aliases"
        )
    announced = _date(ctx, "model", i, raw, rec, "announced")
    kwargs = {k: v for k, v in raw.items() if k not in ("aliases", "announced", "mentions")}
    model = _make(
        ctx, "model", i, rec, lambda: Model(**kwargs, aliases=tuple(aliases), announced=announced)
    )
    cites = _citations(ctx, "model", i, raw, "mentions", rec)
    return model, _Draft(rec, ctx.locator.line("model", i, "mentions"), {}, cites)


#: The keys each form of value may have besides its own (see docs/data-format.md).
_FORM_KEYS = {
    "exact": {"unit"},
    "about": {"unit", "low", "high"},
    "at_least": {"unit"},
    "at_most": {"unit"},
    "range": {"unit", "low", "high"},
    "unknown": {"unit"},
}


def parse_value(raw: Any) -> Any:
    """A claim's value from its TOML form (``{ about = 15000, unit = "H100" }``);
    :class:`ValueError` saying what is wrong."""
    if not isinstance(raw, dict):
        raise ValueError(
            f'a value is a table such as {{ about = 15000, unit = "H100" }} (got {raw!r})'
        )
    forms = [k for k in raw if k in _VALUE_FORMS]
    extra = [k for k in raw if k not in (*_VALUE_FORMS, "unit", "high", "of")]
    if extra:
        hint = _suggest(extra[0], (*_VALUE_FORMS, "unit", "high"))
        raise ValueError(f"unknown key {extra[0]!r} in the value" + (f"; {hint}" if hint else ""))
    if "rank" in raw:
        if set(raw) - {"rank", "of"}:
            raise ValueError("a rank value is { rank = N } (optionally with of = M)")
        return Rank(raw["rank"], raw.get("of"))
    if "text" in raw:
        if set(raw) != {"text"} or not isinstance(raw["text"], str):
            raise ValueError('a text value is { text = "…" }')
        return raw["text"]
    kinds = [k for k in forms if k not in ("low",)]
    if "low" in raw and "about" not in raw:
        kinds.append("range")
    if len(kinds) != 1:
        raise ValueError(
            "a value needs exactly one of exact, about, at_least, at_most, low+high, unknown, "
            f"rank, text (got {', '.join(raw) or 'nothing'})"
        )
    kind = kinds[0]
    unused = sorted(set(raw) - _FORM_KEYS[kind] - {kind})
    if unused:
        raise ValueError(f"{unused[0]!r} does not go with {kind!r}: it would be ignored")
    if "unit" not in raw or not isinstance(raw["unit"], str):
        raise ValueError('a quantity needs a unit, e.g. unit = "Gparameter"')
    unit_name = raw["unit"]
    try:
        quantity(1, unit_name)
    except ModelCompareError:
        hint = _suggest(unit_name.replace("-", ""), (*_COMMON_UNITS, *accelerator_units()))
        raise ValueError(f"unknown unit {unit_name!r}" + (f"; {hint}" if hint else "")) from None
    numbers = {
        k: raw[k] for k in ("exact", "about", "at_least", "at_most", "low", "high") if k in raw
    }
    for k, v in numbers.items():
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise ValueError(f"{k!r} must be a finite number (got {v!r})")
    if kind == "unknown":
        if raw["unknown"] is not True:
            raise ValueError("write unknown = true")
        return Estimate.unknown(unit_name)
    if kind == "exact":
        return Estimate.exact(raw["exact"], unit_name)
    if kind == "about":
        return Estimate.about(raw["about"], unit_name, low=raw.get("low"), high=raw.get("high"))
    if kind == "at_least":
        return Estimate.at_least(raw["at_least"], unit_name)
    if kind == "at_most":
        return Estimate.at_most(raw["at_most"], unit_name)
    if "high" not in raw:
        raise ValueError("a range needs both low and high")
    return Estimate.between(raw["low"], raw["high"], unit_name)


def _claim(
    ctx: _Context,
    table: str,
    i: int,
    raw: Any,
    allowed: tuple[str, ...],
    *,
    subject: str | None = None,
    fields: Mapping[str, FieldSpec] = FIELDS,
) -> _Draft:
    rec = f"{table.split('.')[-1]} #{i + 1}"
    _check_keys(ctx, table, i, raw, allowed, rec)
    if subject is None:
        _required(ctx, table, i, raw, rec, "model")
        subject = raw["model"]
        if not isinstance(subject, str):
            raise ctx.error(
                f"expected a model id (got {subject!r})",
                table=table,
                index=i,
                record=rec,
                key="model",
            )
    _required(ctx, table, i, raw, rec, "field", "value", "status")
    name = raw["field"]
    rec = f"{rec} ({subject}, {name})"
    spec = fields.get(name) if isinstance(name, str) else None
    if spec is None:
        raise ctx.error(
            f"unknown field {name!r}; known: {', '.join(fields)}",
            table=table,
            index=i,
            record=rec,
            key="field",
            suggestion=_suggest(name, fields),
        )
    if not spec.stated:
        raise ctx.error(
            f"{name!r} is derived by modelcompare and cannot be stated in a file",
            table=table,
            index=i,
            record=rec,
            key="field",
        )
    try:
        value = parse_value(raw["value"])
    except (ValueError, ModelCompareError) as exc:
        raise ctx.error(str(exc), table=table, index=i, record=rec, key="value") from None
    problem = spec.check(value)
    if problem:
        raise ctx.error(
            f"{name!r} {problem}" if problem.startswith("must") else problem,
            table=table,
            index=i,
            record=rec,
            key="value",
        )
    statuses = [s.value for s in Status if s is not Status.DERIVED]
    if raw["status"] not in [s.value for s in Status]:
        raise ctx.error(
            f"'status' must be one of {', '.join(statuses)} (got {raw['status']!r})",
            table=table,
            index=i,
            record=rec,
            key="status",
            suggestion=_suggest(str(raw["status"]), statuses),
        )
    if raw["status"] == Status.DERIVED:
        raise ctx.error(
            "'derived' claims are computed by modelcompare, not written in files",
            table=table,
            index=i,
            record=rec,
            key="status",
            suggestion="use rumored, reported or official",
        )
    as_of = _date(ctx, table, i, raw, rec, "as_of")
    cites = _citations(ctx, table, i, raw, "citations", rec)
    if not cites:
        raise ctx.error(
            "a claim needs at least one citation", table=table, index=i, record=rec, key="citations"
        )
    kwargs = {
        "subject": subject,
        "field": name,
        "value": value,
        "status": raw["status"],
        "as_of": as_of,
        "note": raw.get("note"),
    }
    return _Draft(rec, ctx.locator.line(table, i), kwargs, cites)


def _accelerator(
    ctx: _Context, i: int, raw: Any, spec_start: int
) -> tuple[Accelerator, list[_Draft], str, int | None]:
    rec = f"accelerator #{i + 1}"
    _check_keys(ctx, "accelerator", i, raw, _ACCEL_KEYS, rec)
    if "id" in raw:
        rec = f"accelerator {raw['id']!r}"
    _required(ctx, "accelerator", i, raw, rec, "id", "unit", "name", "vendor")
    unit_name = raw["unit"]
    try:
        ok = isinstance(unit_name, str) and is_accelerator(quantity(1, unit_name))
    except ModelCompareError:
        ok = False
    if not ok:
        raise ctx.error(
            f"{unit_name!r} is not an accelerator unit",
            table="accelerator",
            index=i,
            record=rec,
            key="unit",
            suggestion=_suggest(str(unit_name), accelerator_units()),
        )
    released = _date(ctx, "accelerator", i, raw, rec, "released")
    kwargs = {k: v for k, v in raw.items() if k not in ("released", "spec")}
    accel = _make(ctx, "accelerator", i, rec, lambda: Accelerator(**kwargs, released=released))
    specs_raw = raw.get("spec", [])
    if not isinstance(specs_raw, list):
        raise ctx.error(
            "write specs as [[accelerator.spec]] tables",
            table="accelerator",
            index=i,
            record=rec,
            key="spec",
        )
    specs = [
        _claim(
            ctx,
            "accelerator.spec",
            spec_start + j,
            s,
            _SPEC_KEYS,
            subject=raw["id"],
            fields=ACCELERATOR_FIELDS,
        )
        for j, s in enumerate(specs_raw)
    ]
    return accel, specs, rec, ctx.locator.line("accelerator", i)


def normalize(name: str) -> str:
    """The lookup key of a name: case folded, only letters and digits kept."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name).casefold()
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


@dataclass
class Built:
    """The merged, resolved contents of several files."""

    sources: dict[str, Source]
    models: list[Model]
    accelerators: list[Accelerator]
    files: list[Path]


def _claim_id(
    seen: dict[str, str],
    kind: str,
    key: str,
    fd: FileData,
    line: int | None,
    record: str,
    suggestion: str | None = None,
) -> None:
    """Record that ``fd`` defines the ``kind`` id ``key``; a second definition
    raises DataFileError naming both files."""
    if key in seen:
        raise DataFileError(
            str(fd.path),
            f"duplicate {kind} id (already in {seen[key]})",
            line=line,
            record=record,
            field="id",
            suggestion=suggestion,
        )
    seen[key] = str(fd.path)


def build(files: Iterable[FileData]) -> Built:
    """Merge parsed files, resolving citations and checking cross-file consistency."""
    files = list(files)
    sources: dict[str, Source] = {}
    source_files: dict[str, str] = {}
    for fd in files:
        for src, rec, line in fd.sources:
            _claim_id(source_files, "source", src.id, fd, line, rec)
            sources[src.id] = src

    def resolve(fd: FileData, draft: _Draft, key: str) -> tuple[Citation, ...]:
        out = []
        for c in draft.cites:
            src = sources.get(c.source)
            if src is None:
                raise DataFileError(
                    str(fd.path),
                    f"cites unknown source {c.source!r}",
                    line=draft.line,
                    record=draft.record,
                    field=key,
                    suggestion=_suggest(c.source, sources),
                )
            out.append(Citation(src, c.quote))
        return tuple(out)

    models: dict[str, Model] = {}
    model_file: dict[str, str] = {}
    keys: dict[str, str] = {}
    for fd in files:
        for model, draft in fd.models:
            _claim_id(
                model_file,
                "model",
                model.id,
                fd,
                draft.line,
                draft.record,
                "to add facts to an existing model, write [[claim]] tables "
                f"with model = {model.id!r}",
            )
            for label in (model.id, model.name, *model.aliases):
                k = normalize(label)
                if not k:
                    raise DataFileError(
                        str(fd.path),
                        f"{label!r} has no letters or digits",
                        line=draft.line,
                        record=draft.record,
                        field="aliases",
                    )
                if k in keys and keys[k] != model.id:
                    raise DataFileError(
                        str(fd.path),
                        f"{label!r} is also a name of model {keys[k]!r} (names are compared "
                        "without case, spaces or punctuation)",
                        line=draft.line,
                        record=draft.record,
                        field="aliases",
                    )
                keys[k] = model.id
            models[model.id] = Model(
                **{**_fields_of(model), "mentions": resolve(fd, draft, "mentions")}
            )
    claims: dict[str, list[Claim]] = {mid: [] for mid in models}
    for fd in files:
        for draft in fd.claims:
            subject = draft.kwargs["subject"]
            if subject not in models:
                raise DataFileError(
                    str(fd.path),
                    f"no model with id {subject!r}",
                    line=draft.line,
                    record=draft.record,
                    field="model",
                    suggestion=_suggest(subject, models),
                )
            claims[subject].append(_record(fd, draft, resolve(fd, draft, "citations")))
    accelerators: list[Accelerator] = []
    accel_ids: dict[str, str] = {}
    default_of: dict[str, str] = {}
    for fd in files:
        for accel, specs, rec, line in fd.accelerators:
            _claim_id(accel_ids, "accelerator", accel.id, fd, line, rec)
            resolved = tuple(_record(fd, d, resolve(fd, d, "citations")) for d in specs)
            if accel.default:
                _claim_id(
                    default_of,
                    "default accelerator for unit",
                    accel.unit,
                    fd,
                    line,
                    rec,
                    "set default = false on one of them",
                )
            accelerators.append(Accelerator(**{**_fields_of(accel), "specs": resolved}))
    final = [
        Model(**{**_fields_of(m), "stated_claims": tuple(claims[m.id])}) for m in models.values()
    ]
    return Built(sources, final, accelerators, [fd.path for fd in files])


def _record(fd: FileData, draft: _Draft, citations: tuple[Citation, ...]) -> Claim:
    """The claim of ``draft``; its own checks' errors become a located DataFileError."""
    try:
        return Claim(**draft.kwargs, citations=citations)
    except (ValueError, TypeError) as exc:
        m = re.match(r"^'(\w+)'", str(exc))
        raise DataFileError(
            str(fd.path),
            str(exc),
            line=draft.line,
            record=draft.record,
            field=m.group(1) if m else None,
        ) from None


def _fields_of(obj: Any) -> dict[str, Any]:
    from dataclasses import fields as dc_fields

    return {f.name: getattr(obj, f.name) for f in dc_fields(obj)}
