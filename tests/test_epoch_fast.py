"""Property tests pinning the fast paths of reading an Epoch AI export (and of
merging files) to the checked constructors they stand in for: every record made
without its ``__post_init__`` is one its class would make, field for field."""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare.estimate import Estimate, _exact
from modelcompare.loader import (
    FileData,
    _as_draft,
    _citation,
    _Cite,
    _Draft,
    _origin,
    _plain_record,
    _record,
    _with,
    build,
    expanded,
)
from modelcompare.model import Model
from modelcompare.readers import read_file
from modelcompare.readers.epoch import _READ_COLUMNS, _Row, _slug
from modelcompare.records import Citation, Claim, Locator, Origin, Rank, Related, Source, Status
from modelcompare.registry import _parse_cached, builtin_files
from modelcompare.testing import estimates, hostile_text, models, unit_names
from strategies import EPOCH_FIGURE_COLUMNS, epoch_names, epoch_numbers

FIXTURES = Path(__file__).parent / "fixtures" / "epoch"


def _same(a: Any, b: Any) -> bool:
    """Equal, of the same type, field for field (those a record's ``==`` leaves out too)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, Estimate):
        return a.__getstate__() == b.__getstate__()
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return all(
            _same(getattr(a, f.name), getattr(b, f.name))
            for f in dataclasses.fields(a)
            if f.name != "derive"  # a bound method of the registry: compared by ==
        ) and (not hasattr(a, "derive") or a.derive == b.derive)
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(map(_same, a, b))
    return bool(a == b) or (a is b)


def _rechecked(obj: Any) -> Any:
    """``obj`` made again by its class's checked constructor, from its fields."""
    values = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if f.init}
    return type(obj)(**values)


def _assert_checked(obj: Any) -> None:
    """``obj`` passes its class's checks, and they make the very same record."""
    again = _rechecked(obj)
    assert _same(obj, again), (obj, again)


def _every_record(reg: mc.Registry) -> list[Any]:
    out: list[Any] = [*reg.sources.values()]
    for m in reg:
        out.append(m)
        for c in (*m.mentions, *m.stated_claims):
            out.append(c)
            for cite in getattr(c, "citations", ()):
                out.append(cite)
            if isinstance(c, Citation) and c.locator is not None:
                out.append(c.locator)
            for cite in getattr(c, "citations", ()):
                if cite.locator is not None:
                    out.append(cite.locator)
            if isinstance(c, Claim) and c.origin is not None:
                out.append(c.origin)
    return out


_TEXT_COLUMNS = {
    "Organization": st.one_of(st.just(""), hostile_text(max_size=15)),
    "Domain": st.sampled_from(["", "Language", "Vision", "Language,Vision", " Speech ", "Other"]),
    "Model accessibility": st.sampled_from(["", "Open weights (unrestricted)", "API access", "x"]),
    "Publication date": st.sampled_from(["", "2024-05-16", "2023", "2023-07"]),
    "Confidence": st.sampled_from(["", "Confident", "Likely", "Speculative", " Unknown ", "Odd"]),
    "Link": st.sampled_from(["", "https://arxiv.org/abs/2407.21783", "see https://a.example/x"]),
    "Reference": st.one_of(st.just(""), hostile_text(max_size=15)),
    "Training hardware": st.sampled_from(
        ["", "NVIDIA H100 SXM5 80GB", "Google TPU v4, NVIDIA A100", "Some New Chip 9"]
    ),
    "Last modified": st.sampled_from(["", "2025-01-02 10:00:00", "2024-12-31"]),
}
_NUMBER_COLUMNS = (
    *EPOCH_FIGURE_COLUMNS,
    "Hardware quantity",
    "Training compute lower bound",
    "Training compute upper bound",
)


@st.composite
def _rows(draw: st.DrawFn) -> list[dict[str, str]]:
    joined = st.sampled_from(["GPT-4", "Microsoft MAI-1", "gpt 4"])  # built-in models' names
    names = draw(st.lists(st.one_of(epoch_names(), joined), min_size=1, max_size=4))
    rows = []
    for name in names:
        row = {"Model": name}
        for col, cells in _TEXT_COLUMNS.items():
            row[col] = draw(cells)
        for col in _NUMBER_COLUMNS:
            row[col] = draw(st.one_of(st.just(""), epoch_numbers()))
        counts = st.one_of(
            st.integers(1, 10**15).map(str), st.integers(1, 10**6).map("{}.0".format)
        )
        row["Hardware quantity"] = draw(st.one_of(st.just(""), counts))  # a whole number
        row["Hardware utilization"] = draw(st.sampled_from(["", "0.42", "0.3", "1"]))
        low, high = "Training compute lower bound", "Training compute upper bound"
        if row[low] and row[high] and float(row[low]) > float(row[high]):
            row[low], row[high] = row[high], row[low]  # bounds the wrong way round: an error
        rows.append(row)
    return rows


def _write_export(factory: pytest.TempPathFactory, rows: list[dict[str, str]]) -> Path:
    """``rows`` as an Epoch export (every column the reader reads), in a folder of its own."""
    header = ["Model", *_TEXT_COLUMNS, *_NUMBER_COLUMNS, "Hardware utilization"]
    path = factory.mktemp("epoch") / "notable_ai_models.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for row in rows:
            w.writerow([row[h] for h in header])
    return path


@settings(max_examples=40, deadline=None)
@given(_rows(), st.booleans())
def test_every_record_an_export_makes_is_what_its_checks_make(
    tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, str]], builtin: bool
) -> None:
    """Rows of every column the reader reads (hostile text, several chips, bounds,
    names that join the built-in models or repeat): each model, claim, citation,
    locator, origin and source loaded (made without ``__post_init__``) is the one
    its checked constructor makes from the same fields."""
    path = _write_export(tmp_path_factory, rows)
    reg = mc.load_registry(paths=[path], builtin=builtin)
    for record in _every_record(reg):
        _assert_checked(record)


def test_real_exports_records_are_what_their_checks_make() -> None:
    """The same, on the real rows of the fixtures."""
    for path in sorted(FIXTURES.glob("*.csv")):
        reg = mc.load_registry(paths=[path])
        for record in _every_record(reg):
            _assert_checked(record)


@given(
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(1e300, 1.7e308),
        st.floats(-1e3, 1e29),
    ),
    st.sampled_from(unit_names()),
)
def test_fast_exact_is_estimate_exact(x: float, unit: str) -> None:
    """``_exact`` makes the Estimate ``Estimate.exact`` makes (the same state), or
    raises the same error (a figure not finite, or not finite in base units)."""
    u = mc.ureg.Unit(unit)  # the Unit, as the reader looks it up once per column
    try:
        slow = Estimate.exact(x, u)
    except mc.ModelCompareError as exc:
        if math.isfinite(x):  # _exact's callers give finite figures only
            with pytest.raises(type(exc), match=re.escape(str(exc))):
                _exact(u, x)
        return
    fast = _exact(u, x)
    assert fast.__getstate__() == slow.__getstate__()
    assert _exact(u, x, factor_of(u)).__getstate__() == slow.__getstate__()
    assert fast == slow
    assert str(fast) == str(slow)


def factor_of(u: Any) -> float:
    from modelcompare.estimate import _base_factor

    return _base_factor(u)


_SOURCE = Source(id="s", title="t", language="en", url="https://a.example")
_QUOTES = st.one_of(hostile_text(max_size=12), st.integers(), st.none())


@given(
    _QUOTES,
    st.one_of(st.none(), hostile_text(max_size=8)),
    st.sampled_from([None, "short", "long", "Short", ""]),
    st.one_of(st.none(), st.builds(Locator, st.integers(1, 9), st.just("M"), st.just("C"))),
)
def test_fast_citation_is_the_checked_one(
    quote: Any, no_figure: str | None, scale: str | None, locator: Locator | None
) -> None:
    """A _Cite's Citation is the one ``Citation(...)`` makes, or the same error."""
    cite = _Cite("s", quote, locator, no_figure=no_figure, scale=scale)
    try:
        slow = Citation(_SOURCE, quote, locator, no_figure=no_figure, scale=scale)
    except ValueError as exc:
        with pytest.raises(ValueError, match=re.escape(str(exc))):
            _citation(_SOURCE, cite)
        return
    assert _same(_citation(_SOURCE, cite), slow)


_CITATIONS = (Citation(_SOURCE, "q"),)


@given(
    st.fixed_dictionaries(
        {
            "subject": st.just("m"),
            "field": st.just("parameters"),
            "value": st.one_of(
                estimates(),
                st.builds(Rank, st.integers(1, 5)),
                hostile_text(max_size=5),
                st.just(Related(("a", "b"))),
                st.integers(),
                st.none(),
            ),
            "status": st.one_of(st.sampled_from(list(Status)), st.sampled_from(["reported", "x"])),
        },
        optional={
            "as_of": st.none(),
            "note": st.one_of(st.none(), hostile_text(max_size=6), st.integers()),
            "confidence": st.one_of(st.none(), hostile_text(max_size=6)),
            "formula": st.just("6 · N · D"),
        },
    ),
    st.sampled_from([(), _CITATIONS]),
)
def test_a_plain_record_is_one_claim_accepts(
    kwargs: dict[str, Any], citations: tuple[Citation, ...]
) -> None:
    """Where ``_plain_record`` lets a claim draft skip Claim's checks, they pass and
    make the very claim the fast path makes; where they fail, it never does."""
    fd = FileData(Path("f.toml"))
    draft = _Draft("claim #1 (m, parameters)", 3, kwargs, [_Cite("s", "q")])
    try:
        slow = Claim(**kwargs, citations=citations, origin=_origin(fd, draft))
    except (ValueError, TypeError):
        assert not _plain_record(kwargs, citations)
        return
    reported: list[Any] = []
    assert _same(_record(fd, draft, citations, reported.append), slow)
    assert reported == []


@given(
    models(max_claims=2),
    st.fixed_dictionaries(
        {},
        optional={
            "id": st.one_of(
                st.from_regex(r"\A[a-z0-9][a-z0-9._-]{0,8}\Z"), hostile_text(max_size=5)
            ),
            "mentions": st.just(_CITATIONS),
            "outside": st.just(()),
            "origin": st.just(Origin("f.toml", 3, "model 'x'")),
            "stated_claims": st.just(()),
        },
    ),
)
def test_with_is_the_checked_model(model: Model, changes: dict[str, Any]) -> None:
    """``_with`` makes the model ``Model(**fields, **changes)`` makes, or the same error."""
    fields = {f.name: getattr(model, f.name) for f in dataclasses.fields(model)}
    try:
        slow = Model(**{**fields, **changes})
    except ValueError as exc:
        with pytest.raises(ValueError, match=re.escape(str(exc))):
            _with(model, **changes)
        return
    assert _same(_with(model, **changes), slow)


_HEADER_NAMES = st.lists(
    st.sampled_from([*sorted(_READ_COLUMNS), "Abstract", "Zzz"]), min_size=1, unique=True
)


@given(_HEADER_NAMES, st.lists(st.one_of(hostile_text(max_size=6), st.just("  ")), max_size=30))
def test_a_rows_cells_are_each_cell_stripped(header: list[str], cells: list[str]) -> None:
    """``_Row.get`` (each read cell stripped once) gives what stripping the cell of
    that column gives: its text, None where empty, missing or past the row's end."""
    index = {h: i for i, h in enumerate(header)}
    row = _Row(Path("x.csv"), 2, index, cells, "epoch-x")
    for column in [*header, "Not a column", "Parameters"]:
        i = index.get(column)
        want = cells[i].strip() or None if i is not None and i < len(cells) else None
        assert row.get(column) == want


@given(st.one_of(epoch_names(), hostile_text(max_size=20), st.text(max_size=20)))
def test_slug_of_ascii_names_is_the_general_rule(name: str) -> None:
    """The slug of a name (NFKD skipped for ASCII text) is the general rule's."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    assert _slug(name) == re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")


def _one_row(tmp_path: Path, **cells: str) -> Path:
    header = ["Model", "Organization", "Publication date", "Domain", "Confidence", *cells]
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerow(["Acme-1", "", "", "", "", *cells.values()])
    return path


def test_a_figure_too_large_in_base_units_is_a_located_error(tmp_path: Path) -> None:
    """1e308 hours is a float but no finite number of seconds: a located error
    (it was an unlocated InvalidValueError)."""
    path = _one_row(tmp_path, **{"Training time (hours)": "1e308"})
    with pytest.raises(mc.DataFileError) as err:
        mc.load_registry(paths=[path], builtin=False)
    e = err.value
    assert (e.line, e.record, e.field) == (2, "row 'Acme-1'", "Training time (hours)")
    assert "too large" in e.message


def test_a_link_no_source_can_hold_is_a_located_error(tmp_path: Path) -> None:
    """A Link with a quote (or no host) is a located error naming the column (it was
    an internal error from Source's own check)."""
    for link in ('https://exa"mple.com/x', "https:///foo"):
        path = _one_row(tmp_path, Link=link, Reference="A paper")
        with pytest.raises(mc.DataFileError) as err:
            mc.load_registry(paths=[path], builtin=False)
        e = err.value
        assert (e.line, e.record, e.field) == (2, "row 'Acme-1'", "Link")
        assert repr(link) in e.message
        assert "percent-encode" in (e.suggestion or "")


def _as_drafts(fd: FileData) -> FileData:
    """``fd`` with the claims its reader made whole given as the drafts they stand for."""
    return dataclasses.replace(fd, claims=[*fd.claims, *map(_as_draft, fd.made)], made=[])


def _built(files: list[FileData]) -> tuple[list[Any], list[str]]:
    problems: list[mc.DataFileError] = []
    built = build(files, problems)
    return built.models, [repr(p) for p in problems]


@settings(max_examples=25, deadline=None)
@given(_rows(), st.booleans())
def test_made_claims_are_the_claims_of_their_drafts(
    tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, str]], twice: bool
) -> None:
    """The claims an export's reader makes whole, filed as they are by the merge, are
    the claims their drafts make (resolved, checked): the same models, claims and
    origins, the same problems, also where a second export of the same name in
    another folder gives its sources the ids of the first's (its claims then cite
    the first's sources, as drafts naming them by id do)."""
    paths = [_write_export(tmp_path_factory, rows) for _ in range(2 if twice else 1)]
    builtin = [_parse_cached(p) for p in builtin_files()]
    files = [*builtin, *(expanded(read_file(p)) for p in paths)]
    assert all(fd.made for fd in files[len(builtin) :] if any(r["Parameters"] for r in rows))
    fast, fast_problems = _built(files)
    slow, slow_problems = _built([*builtin, *map(_as_drafts, files[len(builtin) :])])
    assert fast_problems == slow_problems
    assert _same(fast, slow)


def test_a_loaded_registry_is_the_one_its_constructor_makes() -> None:
    """load_registry's registry (its models take its ``derive`` in place) holds the
    models ``Registry(...)`` makes of the same merge (copies), field for field, each
    deriving through its own registry; the merge's own models are left as they were."""
    path = FIXTURES / "notable_ai_models.csv"
    reg = mc.load_registry(paths=[path])
    files = [*(_parse_cached(p) for p in builtin_files()), read_file(path)]
    built = build(files)
    copied = mc.Registry(built.models, built.sources, built.accelerators, built.files)
    assert all(m.derive is None for m in built.models)
    assert len(reg) == len(copied)
    for a, b in zip(reg, copied, strict=True):
        assert _same(dataclasses.replace(a, derive=None), dataclasses.replace(b, derive=None))
        assert a.derive is not None
        assert a.derive.__self__ is reg  # type: ignore[attr-defined]
        assert a.claims() == b.claims()
    assert reg.sources == copied.sources
    assert reg.accelerators == copied.accelerators


# ── the export's bytes, decoded as the rows are read ────────────────────────────────────


def _file_data_state(read: Any, *args: Any) -> tuple[Any, ...]:
    """What ``read(*args)`` gives, comparable: records field for field, problems
    by their text (an error it raises is its one problem, as ``read_file`` has it)."""
    try:
        data: FileData = expanded(read(*args))
    except mc.DataFileError as exc:
        data = FileData(args[0], problems=[exc])
    return (
        [(s, r, line) for s, r, line in data.sources],
        data.made,
        data.matched_models,
        data.hardware,
        [str(p) for p in data.problems],
        data.skipped_lines,
    )


@settings(max_examples=60, deadline=None)
@given(
    _rows(),
    st.sampled_from(["\r\n", "\n", "\r"]),
    st.booleans(),
    st.lists(st.sampled_from(["𝔘", "😀", "東", "é", "\r\n", "\n", "\r", "\u2028", "\x0c"])),
)
def test_an_export_read_from_its_bytes_is_the_export_read_from_its_text(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[dict[str, str]],
    newline: str,
    bom: bool,
    odd: list[str],
) -> None:
    """``read_bytes`` (what ``read_file`` uses for a ``.csv``: decoded chunk by
    chunk) makes the records and problems ``read`` makes of the decoded text,
    whatever the line ends, a byte-order mark, characters beyond U+FFFF and line
    breaks inside quoted cells (each row's line numbers included)."""
    from modelcompare.readers import epoch

    for row, extra in zip(rows, odd, strict=False):
        row["Reference"] = f"{row['Reference']}{extra}x"  # a cell with a line break or wide text
    header = ["Model", *_TEXT_COLUMNS, *_NUMBER_COLUMNS, "Hardware utilization"]
    buffer = io.StringIO(newline="")
    w = csv.writer(buffer, lineterminator=newline)
    w.writerow(header)
    for row in rows:
        w.writerow([row[h] for h in header])
    text = buffer.getvalue()
    path = tmp_path_factory.mktemp("epoch") / "notable_ai_models.csv"
    raw = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    path.write_bytes(raw)
    from_text = _file_data_state(epoch.read, path, text)
    assert _same(_file_data_state(epoch.read_bytes, path, raw), from_text)
    assert _same(_file_data_state(read_file, path), from_text)


_HEAD = b"Model,Organization,Publication date,Domain,Parameters\n"


@pytest.mark.parametrize(
    ("raw", "at"),
    [
        (_HEAD + b"A,\xff\n", len(_HEAD) + 2),  # a byte no UTF-8 text has
        (_HEAD + "A,é".encode()[:-1], len(_HEAD) + 2),  # a character cut at the end
        (_HEAD + b"x" * 20_000 + b"\xc3(\n", len(_HEAD) + 20_000),  # past the first chunk
    ],
)
def test_an_export_that_is_not_utf8_is_a_located_error(tmp_path: Path, raw: bytes, at: int) -> None:
    """A ``.csv`` export that is not UTF-8, anywhere: the error says so and at which
    byte (the whole file's, not the chunk's), as for any data file."""
    path = tmp_path / "notable_ai_models.csv"
    path.write_bytes(raw)
    (problem,) = read_file(path).problems
    assert str(problem).startswith(f"{path}: not UTF-8 text (")
    assert str(problem).endswith(f"at byte {at})")
