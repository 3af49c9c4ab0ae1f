"""Hostile data files: whatever a file holds, loading it gives a registry or a
DataFileError naming the file, the line, the record and the field; never another
exception, a hang, or a value that loads and crashes later."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

import modelcompare as mc

WriteFile = Callable[..., Path]

SOURCE = """
[[source]]
id = "my-notes"
title = "My notes"
url = "https://example.com/notes"
language = "en"
kind = "web"
"""

MODEL = """
[[model]]
id = "acme-1"
name = "Acme-1"
organization = "Acme"
"""

CLAIM = """
[[claim]]
model = "acme-1"
field = "parameters"
value = {value}
status = "official"
citations = [{{ source = "my-notes", quote = "70 billion" }}]
"""

ACCELERATOR = """
[[accelerator]]
id = "my-chip"
unit = "H100"
name = "My chip"
vendor = "Acme"
"""


def problems(err: mc.DataFileError) -> tuple[mc.DataFileError, ...]:
    """Each located problem of an error (one, or several where loading collects them)."""
    found: tuple[mc.DataFileError, ...] = getattr(err, "problems", (err,))
    return found


def refused(
    path: Path, *, field: str | None, match: str, text: str | None = None
) -> mc.DataFileError:
    """Loading ``path`` raises DataFileError whose problem names the file, a line (that
    holds ``text`` if given), a record and ``field``, with a message matching ``match``."""
    with pytest.raises(mc.DataFileError) as info:
        mc.load_registry(paths=[path])
    for p in problems(info.value):
        if p.field == field and match in p.message:
            assert p.path == str(path)
            assert p.line is not None
            if text is not None:
                assert text in path.read_text(encoding="utf-8").split("\n")[p.line - 1], p
            if field is not None:
                assert p.record is not None
            return p
    raise AssertionError(f"no problem on field {field!r} matching {match!r}: {info.value}")


def claim(value: str) -> str:
    return SOURCE + MODEL + CLAIM.format(value=value)


# ── values that are not text where text belongs, and ids that are not ids ───────────


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("note", '{ text = "" }'),
        ("note", "5"),
        ("note", '""'),
        ("family", "5"),
        ("family", "[1]"),
    ],
)
def test_model_text_fields_are_type_checked(data_file: WriteFile, key: str, value: str) -> None:
    """A model's note and family must be non-empty text (a table there used to load,
    then crash `compare` with "unhashable type: 'dict'")."""
    path = data_file(SOURCE + MODEL + f"{key} = {value}\n")
    refused(path, field=key, match="must be non-empty text", text=f"{key} = ")


@pytest.mark.parametrize("key", ["publisher", "date_note"])
def test_source_text_fields_are_type_checked(data_file: WriteFile, key: str) -> None:
    """A source's publisher and date_note must be text."""
    path = data_file(SOURCE + f"{key} = 5\n")
    refused(path, field=key, match="must be non-empty text", text=f"{key} = 5")


@pytest.mark.parametrize(
    ("line", "field", "match"),
    [
        ("note = { a = 1 }", "note", "must be non-empty text"),
        ("gpus_per_unit = true", "gpus_per_unit", "whole number"),
        ('default = "yes"', "default", "true or false"),
    ],
)
def test_accelerator_fields_are_type_checked(
    data_file: WriteFile, line: str, field: str, match: str
) -> None:
    """An accelerator's note is text, its GPU count a number (not true), default a boolean."""
    path = data_file(ACCELERATOR + line + "\n")
    refused(path, field=field, match=match, text=line)


@pytest.mark.parametrize("of", ["true", "1.5", '"3"'])
def test_rank_of_must_be_a_whole_number(data_file: WriteFile, of: str) -> None:
    """{ rank = 1, of = true } is refused, not shown as "#1 of True"."""
    text = SOURCE + MODEL + CLAIM.format(value=f"{{ rank = 1, of = {of} }}").replace(
        '"parameters"', '"lmarena_text_rank"'
    )
    refused(data_file(text), field="value", match="'of' must be a whole number", text="rank = 1")


@pytest.mark.parametrize(
    ("table", "text"),
    [("model", MODEL), ("source", SOURCE), ("accelerator", ACCELERATOR)],
)
def test_an_id_with_a_trailing_newline_is_no_id(
    data_file: WriteFile, table: str, text: str
) -> None:
    """'acme-1\\n' does not pass the id pattern ($ matches before a final newline)."""
    bad = {"model": "acme-1", "source": "my-notes", "accelerator": "my-chip"}[table]
    text = text.replace(f'id = "{bad}"', f'id = "{bad}\\n"')
    refused(data_file(text), field="id", match="lowercase slug", text="id = ")


def test_a_date_with_a_trailing_newline_is_no_date(data_file: WriteFile) -> None:
    """"2024\\n" is not a date."""
    path = data_file(SOURCE + 'date = "2024\\n"\n')
    refused(path, field="date", match="expected a date", text="date = ")


# ── unit text that pint cannot read, or should never be asked to ─────────────────────


@pytest.mark.parametrize(
    "unit", ["(", "parameter)", "1/0", "USD/0", "parameter**-0", "", " ", "Gparameter*", "**2"]
)
def test_unit_text_pint_cannot_read_is_an_unknown_unit(data_file: WriteFile, unit: str) -> None:
    """TokenError, ZeroDivisionError or KeyError inside pint become a located error."""
    path = data_file(claim(f'{{ exact = 1, unit = "{unit}" }}'))
    refused(path, field="value", match="unit", text="value = ")


@pytest.mark.parametrize("unit", ["(", "1/0", "parameter**-0", "x" * 10_000])
def test_an_accelerator_unit_pint_cannot_read(data_file: WriteFile, unit: str) -> None:
    """The same for an accelerator's unit."""
    path = data_file(ACCELERATOR.replace('unit = "H100"', f'unit = "{unit}"'))
    refused(path, field="unit", match="not an accelerator unit", text="unit = ")


@pytest.mark.parametrize("n", [65, 8_000, 60_000])
def test_long_unit_text_is_refused_before_pint_reads_it(data_file: WriteFile, n: int) -> None:
    """pint parses unit text in time quadratic in its length (60,000 characters took
    65 s): longer than 64 characters is refused at once, and the message does not
    repeat the text."""
    unit = ("Gparameter*" * n)[: n - 1] + "s"
    path = data_file(claim(f'{{ exact = 1, unit = "{unit}" }}'))
    start = time.perf_counter()
    err = refused(path, field="value", match="at most 64 characters", text="value = ")
    assert time.perf_counter() - start < 5
    assert len(str(err)) < 500


def test_unit_text_problems_name_what_is_wrong() -> None:
    """The unit grammar accepts what the data uses and says why it refuses the rest."""
    from modelcompare.units import unit_text_problem

    for ok in ["Gparameter", "TFLOP/s", "FLOP/(parameter*token)", "kW h", "s**-1", "m^2", "GB / s"]:
        assert unit_text_problem(ok) is None, ok
    assert "no numbers" in str(unit_text_problem("1/0"))
    assert "not 0" in str(unit_text_problem("parameter**-0"))
    assert "unbalanced" in str(unit_text_problem("parameter)"))
    assert "incomplete" in str(unit_text_problem("("))
    assert "empty" in str(unit_text_problem(""))
    assert "missing" in str(unit_text_problem("GB//s"))
    assert "at most 64" in str(unit_text_problem("G" * 65))


@pytest.mark.parametrize("unit", ["(", "1/0", "parameter**-0", "a" * 100])
def test_unit_errors_are_unit_errors(unit: str) -> None:
    """The library refuses such text with UnitError (a TypeError), never pint's errors."""
    with pytest.raises(mc.UnitError):
        mc.Estimate.exact(1, unit)
