"""What loading any file must come to: a registry whose records are valid, or a
DataFileError that locates every problem. Fuzz tests assert one of the two."""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import modelcompare as mc
from modelcompare.loader import FileData
from modelcompare.records import Related

T = TypeVar("T")

#: Problems that concern the whole file, so they have no record (and maybe no line).
FILE_LEVEL = ("no such file", "not UTF-8", "cannot read the file")

_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")


def load_or_located(
    paths: Sequence[Path], load: Callable[[], T], *, names: Path | None = None
) -> T | mc.DataFileError:
    """``load()``'s result, or the DataFileError it raised after checking that each of
    its problems names one of ``paths``, a message, and a line, and that one names
    ``names`` (the file that was broken). Any other exception fails the test."""
    try:
        return load()
    except mc.DataFileError as exc:
        assert_located(exc, paths, names=names)
        return exc


def assert_located(
    exc: mc.DataFileError, paths: Sequence[Path], *, names: Path | None = None
) -> None:
    """Every problem of ``exc`` is located in one of ``paths``; one is in ``names``."""
    assert exc.problems, exc
    if names is not None:
        # the broken file is named, unless what broke in it is an id that other files
        # cite (a source renamed in index.toml): then those citations are the problems
        named = any(p.path == str(names) for p in exc.problems)
        dangling = all("cites unknown source" in p.message for p in exc.problems)
        assert named or dangling, f"{names} is not named: {exc}"
    files = {str(p) for p in paths}
    assert exc.total >= len(exc.problems)
    for p in exc.problems:
        assert p.path in files, (p.path, files)
        assert p.message.strip(), p
        if p.message.startswith(FILE_LEVEL):
            continue
        assert p.line is not None, f"no line: {p}"
        assert p.line >= 1, p
        assert len(str(p)) < 5_000, f"an error message of {len(str(p)):,} characters"


def assert_valid_file(data: FileData) -> None:
    """What a file loaded into is well-formed: each record checked, each value finite."""
    for src, _, _ in data.sources:
        assert isinstance(src, mc.Source)
        assert _ID.fullmatch(src.id)
    for model, _ in data.models:
        assert_valid_model(model)
    for draft in data.claims:
        value = draft.kwargs["value"]
        assert isinstance(value, mc.Estimate | mc.Rank | str | Related), value
        if isinstance(value, mc.Estimate):
            assert_finite(value)


def assert_valid_registry(reg: mc.Registry, models: Sequence[str] = ()) -> None:
    """Every record of ``reg`` is well-formed, and ``models`` (ids) compare and render."""
    for m in reg:
        assert_valid_model(m)
    for a in reg.accelerators:
        assert isinstance(a, mc.Accelerator)
        assert _ID.fullmatch(a.id)
        assert isinstance(a.gpus_per_unit, int)
        assert not isinstance(a.gpus_per_unit, bool)
    for name in models:
        m = reg[name]
        for c in m.stated_claims:
            assert isinstance(c.value, mc.Estimate | mc.Rank | str | Related)
            if isinstance(c.value, mc.Estimate):
                assert_finite(c.value)
            assert c.note is None or isinstance(c.note, str)
            with contextlib.suppress(mc.ModelCompareError):  # contradicting claims: an answer
                assert str(m.value(c.field))
        table = mc.compare([m.id], registry=reg)
        text = table.to_markdown()
        assert text.startswith("| Model |"), text[:200]


def assert_valid_model(m: mc.Model) -> None:
    assert isinstance(m, mc.Model)
    assert _ID.fullmatch(m.id), m.id
    for text in (m.name, m.organization, *m.aliases):
        assert isinstance(text, str)
        assert text.strip()
    for text in (m.note, m.family):
        assert text is None or (isinstance(text, str) and text.strip())


def assert_finite(e: mc.Estimate) -> None:
    """Each end of ``e`` is finite (or unbounded) in base units, never NaN."""
    base = mc.Q_(1, e.units).to_base_units().units
    lo, n, hi = e.interval(base)
    assert not math.isnan(lo), e
    assert not math.isnan(hi), e
    assert lo != math.inf, e
    assert hi != -math.inf, e
    assert math.isfinite(n) or (math.isnan(n) and not e.is_known) or e.bound is not mc.Bound.EXACT
