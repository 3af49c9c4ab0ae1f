"""Fuzzing the loader: the built-in data files and a user file, mutated (bytes
flipped, fields deleted or retyped, huge numbers, deep nesting, hostile unit
text, a BOM, CRLF, U+2028), each load within a time budget. Every outcome is
asserted: a valid registry, or a DataFileError that locates each problem."""

from __future__ import annotations

import os
import re
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare.loader import build, parse_file, read_file
from modelcompare.registry import builtin_files
from outcomes import assert_located, assert_valid_file, assert_valid_registry, load_or_located

#: Each input must load (or be refused) within this; a hang guard, generous for a
#: shared, loaded machine (a load takes well under a second).
BUDGET = 10.0

FUZZ = settings(
    max_examples=200 if os.environ.get("CI") else 15,
    deadline=timedelta(seconds=BUDGET),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

USER = """\
[[source]]
id = "my-notes"
title = "My notes"
path = "notes.txt"
language = "en"
kind = "other"
external = true

[[model]]
id = "acme-1"
name = "Acme-1"
aliases = ["Acme One"]
organization = "Acme"
family = "Acme"
status = "released"
note = "a user's model"

[[claim]]
model = "acme-1"
field = "parameters"
value = { about = 70, unit = "Gparameter" }
status = "official"
as_of = "2024-05"
citations = [{ source = "my-notes", quote = "about 70 billion parameters" }]

[[claim]]
model = "acme-1"
field = "training_accelerators"
value = { exact = 2048, unit = "H100" }
status = "official"
citations = [{ source = "my-notes", quote = "2,048 H100 GPUs" }]

[[claim]]
model = "acme-1"
field = "lmarena_text_rank"
value = { rank = 3, of = 90 }
status = "reported"
citations = [{ source = "my-notes", quote = "Acme-1 ranks #3 of 90" }]

[[accelerator]]
id = "acme-chip"
unit = "H100"
name = "Acme H100"
vendor = "Acme"
gpus_per_unit = 1

[[accelerator.spec]]
field = "tdp"
value = { at_most = 700, unit = "W" }
status = "official"
citations = [{ source = "my-notes", quote = "H100" }]
"""
NOTES = (
    "Acme-1 has about 70 billion parameters and was trained on 2,048 H100 GPUs.\n"
    "Acme-1 ranks #3 of 90 on the arena.\n"
)

HOSTILE_UNITS = [
    "(",
    "parameter)",
    "1/0",
    "USD/0",
    "parameter**-0",
    "parameter**99999",
    "Gparameter" * 7,
    "parameter*" * 800 + "parameter",
    "a" * 8_000,
    "H-100",
    "%",
    "",
    " ",
    "\u2028",
    "Gparameter\n",
    "e",
    "__class__",
    "nan",
    "1e999 parameter",
]
HOSTILE_VALUES = [
    "5",
    "-1",
    "0",
    "true",
    '""',
    '"x"',
    '"acme-1\\n"',
    "[1]",
    "[]",
    "{ a = 1 }",
    '{ text = "" }',
    "1e999",
    "-1e999",
    "nan",
    "1" + "0" * 400,
    "1" + "0" * 5_000,
    "1e308",
    "2024-02-30",
    "1979-05-27T07:32:00Z",
    '{ exact = 1e308, unit = "Eparameter" }',
    "{ rank = 1, of = true }",
    '{ exact = 1, unit = "' + "x" * 100 + '" }',
    "[" * 600 + "]" * 600,
    "{ a = " * 600 + "1" + " }" * 600,
    '"/etc/passwd"',
    '"../../../etc/shadow"',
    '"\u2028\u2029\u0085"',
]
ALPHABET = "\"'=[]{}#\n\\,.01-_ae\u2028\u0085\ufeff\x00\t"


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with one to three hostile changes."""
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        kind = draw(
            st.sampled_from(
                ["flip", "delete", "duplicate", "retype", "unit", "number", "bom", "crlf", "sep"]
            )
        )
        if kind == "flip" and text:
            at = draw(st.integers(0, len(text) - 1))
            text = text[:at] + draw(st.sampled_from(ALPHABET)) + text[at + 1 :]
        elif kind == "delete":
            del lines[draw(st.integers(0, len(lines) - 1))]
            text = "\n".join(lines)
        elif kind == "duplicate":
            at = draw(st.integers(0, len(lines) - 1))
            lines.insert(at, lines[at])
            text = "\n".join(lines)
        elif kind == "retype":
            keyed = [i for i, line in enumerate(lines) if re.match(r"\s*\w+\s*=", line)]
            if keyed:
                i = draw(st.sampled_from(keyed))
                key = lines[i].split("=", 1)[0]
                lines[i] = f"{key}= {draw(st.sampled_from(HOSTILE_VALUES))}"
                text = "\n".join(lines)
        elif kind == "unit":
            units = [m.span(1) for m in re.finditer(r'unit = "([^"\n]*)"', text)]
            if units:
                a, b = draw(st.sampled_from(units))
                unit = draw(st.sampled_from(HOSTILE_UNITS) | st.text(ALPHABET, max_size=10))
                text = text[:a] + unit.replace("\\", "\\\\").replace('"', '\\"') + text[b:]
        elif kind == "number":
            numbers = [m.span() for m in re.finditer(r"(?<![\w.-])\d+(\.\d+)?(?![\w-])", text)]
            if numbers:
                a, b = draw(st.sampled_from(numbers))
                huge = draw(
                    st.sampled_from(["1" + "0" * 400, "1e308", "1e999", "0", "-5", "1e-320"])
                )
                text = text[:a] + huge + text[b:]
        elif kind == "bom":
            text = "\ufeff" + text
        elif kind == "crlf":
            text = text.replace("\n", "\r\n")
        elif kind == "sep":
            quotes = [m.start() + 1 for m in re.finditer(r'"[^"\n]', text)]
            if quotes:
                at = draw(st.sampled_from(quotes))
                text = text[:at] + draw(st.sampled_from(["\u2028", "\u2029", "\u0085"])) + text[at:]
    return text


def _timed(call: object) -> None:
    start = time.perf_counter()
    assert callable(call)
    call()
    assert time.perf_counter() - start < BUDGET


BUILTIN = builtin_files()


@pytest.mark.parametrize("target", BUILTIN, ids=lambda p: p.name)
@FUZZ
@given(data=st.data())
def test_mutated_builtin_files_load_or_are_located(target: Path, data: st.DataObject) -> None:
    """A built-in data file, mutated, merged with the other built-in files as they are:
    a valid registry (its models compare), or located problems in that file."""
    original = target.read_text(encoding="utf-8")
    text = data.draw(mutated(original), label="text")
    others = {p: parse_file(p, allow_paths_outside=True) for p in BUILTIN if p != target}

    def load() -> mc.Registry:
        parsed = [
            others[p] if p != target else read_file(p, text, allow_paths_outside=True)
            for p in BUILTIN
        ]
        built = build(parsed)
        return mc.Registry(built.models, built.sources, built.accelerators, built.files)

    start = time.perf_counter()
    outcome = load_or_located(BUILTIN, load, names=target)
    if isinstance(outcome, mc.Registry):
        changed = [m.id for m in outcome if m.id in text][:2] if "model" in target.name else []
        assert_valid_registry(outcome, changed)
    assert time.perf_counter() - start < BUDGET


@FUZZ
@given(data=st.data())
def test_mutated_user_files_load_or_are_located(data: st.DataObject) -> None:
    """A user file (with a source text beside it), mutated and written as bytes:
    `load_registry` gives a valid registry with its models, or located problems."""
    text = data.draw(mutated(USER), label="text")
    raw = text.encode("utf-8", "surrogatepass")
    if data.draw(st.booleans(), label="flip a byte"):  # and sometimes not UTF-8 at all
        at = data.draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + bytes([raw[at] ^ data.draw(st.integers(1, 255))]) + raw[at + 1 :]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "notes.txt").write_text(NOTES, encoding="utf-8")
        path = Path(folder) / "user.toml"
        path.write_bytes(raw)
        start = time.perf_counter()
        outcome = load_or_located([path], lambda: mc.load_registry(paths=[path]), names=path)
        if isinstance(outcome, mc.Registry):
            assert_valid_registry(outcome, [m.id for m in outcome if m.id == "acme-1"])
            assert all(str(p).strip() for p in outcome.validate())
        assert time.perf_counter() - start < BUDGET


def test_the_unmutated_seeds_load() -> None:
    """The fuzz tests start from files that load: their mutations are the only faults."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "notes.txt").write_text(NOTES, encoding="utf-8")
        path = Path(folder) / "user.toml"
        path.write_text(USER, encoding="utf-8")
        reg = mc.load_registry(paths=[path])
        assert_valid_registry(reg, ["acme-1"])
        assert reg.validate() == []
    for p in BUILTIN:
        assert_valid_file(parse_file(p, allow_paths_outside=True))


def test_a_broken_user_file_is_located_by_the_checker(tmp_path: Path) -> None:
    """The checker itself can fail: a problem without a line is not 'located'."""
    err = mc.DataFileError(str(tmp_path / "x.toml"), "bad", record="model 'a'", field="id")
    with pytest.raises(AssertionError, match="no line"):
        assert_located(err, [tmp_path / "x.toml"])
    with pytest.raises(AssertionError):
        assert_located(err, [tmp_path / "other.toml"])
