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
            if field not in (None, "root"):  # 'root' is of the file, not of a record
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
    text = (
        SOURCE
        + MODEL
        + CLAIM.format(value=f"{{ rank = 1, of = {of} }}").replace(
            '"parameters"', '"lmarena_text_rank"'
        )
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
    """ "2024\\n" is not a date."""
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


# ── how the file is written: BOM, line ends, line separators inside strings ───────────


def test_a_utf8_bom_is_accepted(data_file: WriteFile, tmp_path: Path) -> None:
    """A file that starts with a UTF-8 byte order mark (Windows Notepad) loads."""
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + claim('{ exact = 70, unit = "Gparameter" }').encode())
    reg = mc.load_registry(paths=[path])
    assert str(reg["acme-1"].value("parameters")) == "70 B parameters"


def test_crlf_line_ends_keep_line_numbers(tmp_path: Path) -> None:
    """With \\r\\n line ends, errors point at the right line."""
    text = claim('{ exact = 70, unit = "Gparameterz" }')
    path = tmp_path / "crlf.toml"
    path.write_bytes(text.replace("\n", "\r\n").encode())
    err = refused(path, field="value", match="unknown unit")
    assert err.line == text.split("\n").index('value = { exact = 70, unit = "Gparameterz" }') + 1


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\u0085"])
def test_line_separators_inside_strings_do_not_shift_line_numbers(
    data_file: WriteFile, sep: str
) -> None:
    """U+2028, U+2029, U+0085 … are legal inside TOML strings and end no line."""
    text = SOURCE.replace('title = "My notes"', f'title = "My{sep}notes{sep}{sep}"') + MODEL
    text += CLAIM.format(value='{ exact = 70, unit = "Gparameterz" }')
    path = data_file(text)
    err = refused(path, field="value", match="unknown unit")
    assert err.line == text.split("\n").index('value = { exact = 70, unit = "Gparameterz" }') + 1


# ── nesting, huge numbers, values that overflow ─────────────────────────────────────────


@pytest.mark.parametrize("depth", [496, 2000, 50_000])
@pytest.mark.parametrize(("opening", "closing"), [("[", "]"), ("{ a = ", " }")])
def test_deep_nesting_is_a_located_error(
    data_file: WriteFile, depth: int, opening: str, closing: str
) -> None:
    """x = [[[…]]] 496 levels deep made tomllib raise RecursionError."""
    text = SOURCE + "\n[[model]]\n" + "x = " + opening * depth + "1" + closing * depth + "\n"
    path = data_file(text)
    with pytest.raises(mc.DataFileError, match="nested too deeply") as info:
        mc.load_registry(paths=[path])
    assert info.value.path == str(path)
    assert info.value.line == text.split("\n").index(text.split("\n")[-2]) + 1


@pytest.mark.parametrize("digits", [400, 4301, 20_000])
def test_a_huge_integer_is_a_located_error(data_file: WriteFile, digits: int) -> None:
    """exact = 1 followed by 400 zeros raised OverflowError (and past 4,300 digits
    Python refuses to convert the text at all)."""
    path = data_file(claim(f'{{ exact = 1{"0" * digits}, unit = "parameter" }}'))
    with pytest.raises(mc.DataFileError) as info:
        mc.load_registry(paths=[path])
    err = info.value
    assert err.path == str(path)
    assert err.line is not None
    assert "exact = 1000" in path.read_text(encoding="utf-8").split("\n")[err.line - 1]
    assert len(str(err)) < 500


@pytest.mark.parametrize(
    "value",
    [
        '{ exact = 1e308, unit = "Eparameter" }',
        '{ about = 1e300, unit = "Eparameter" }',
        '{ low = 1, high = 1e300, unit = "Eparameter" }',
        '{ exact = 1e300, unit = "Tparameter" }',
        '{ exact = 1e999, unit = "parameter" }',
        '{ exact = nan, unit = "parameter" }',
        '{ at_least = -inf, unit = "parameter" }',
    ],
)
def test_values_not_finite_in_base_units_are_refused(data_file: WriteFile, value: str) -> None:
    """1e308 E parameters used to load and show as '∞ T parameters'."""
    refused(data_file(claim(value)), field="value", match="", text="value = ")


# ── paths: symlink loops, and the folder a data file may reach ──────────────────────────


def test_a_symlink_loop_is_a_located_error(data_file: WriteFile, tmp_path: Path) -> None:
    """A source path (or a root) that is a symlink loop raised RuntimeError."""
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    path = data_file(SOURCE.replace('url = "https://example.com/notes"', 'path = "loop/x.txt"'))
    refused(path, field="path", match="not a usable", text="path = ")
    path = data_file('root = "loop"\n' + SOURCE)
    refused(path, field="root", match="not a usable", text="root = ")


def test_interrupting_a_load_propagates(
    data_file: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while pint parses a unit interrupts; it is not an 'unknown unit'."""
    from modelcompare import units

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    units._parse_unit.cache_clear()
    monkeypatch.setattr(units.ureg, "parse_units", interrupted)
    path = data_file(claim('{ exact = 1, unit = "Mparameter" }'))
    with pytest.raises(KeyboardInterrupt):
        mc.load_registry(paths=[path])
    monkeypatch.undo()
    units._parse_unit.cache_clear()
    assert str(mc.load_registry(paths=[path])["acme-1"].value("parameters")) == "1 M parameters"


def test_ctrl_c_in_the_command_line_exits_130(
    data_file: WriteFile, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C during `validate` stops it with exit 130, not 'unknown unit' (exit 4)."""
    from modelcompare import cli, units

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    units._parse_unit.cache_clear()
    monkeypatch.setattr(units.ureg, "parse_units", interrupted)
    path = data_file(claim('{ exact = 1, unit = "kparameter" }'))
    assert cli.main(["validate", str(path)]) == 130
    assert capsys.readouterr().err == "modelcompare: interrupted\n"
    units._parse_unit.cache_clear()


SECRET = "root:$6$secret\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the data file's folder (``tmp_path/data``)."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    (tmp_path / "data").mkdir()
    return secret


def _source_at(path: str) -> str:
    return SOURCE.replace('url = "https://example.com/notes"', f'path = "{path}"') + MODEL


def _write(folder: Path, text: str) -> Path:
    path = folder / "user.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "symlink", "root", "root-symlink"])
def test_source_paths_stay_inside_the_data_files_folder(
    tmp_path: Path, outside: Path, kind: str
) -> None:
    """A path that leads outside the file's folder (absolute, ../, a symlink out of
    it, or through root) is refused, and the refusal says nothing about whether the
    outside file exists: a missing one gives the very same message."""
    data = tmp_path / "data"
    missing = tmp_path / "no-such.txt"
    if kind in ("symlink", "root-symlink"):
        (data / "secret.txt").symlink_to(outside)
        (data / "no-such.txt").symlink_to(missing)
        (data / "up").symlink_to(tmp_path)
    texts = {
        "absolute": (_source_at(str(outside)), _source_at(str(missing))),
        "dotdot": (_source_at("../secret.txt"), _source_at("../no-such.txt")),
        "symlink": (_source_at("secret.txt"), _source_at("no-such.txt")),
        "root": ('root = ".."\n' + _source_at("secret.txt"), 'root = ".."\n' + _source_at("x")),
        "root-symlink": (
            'root = "up"\n' + _source_at("secret.txt"),
            'root = "up"\n' + _source_at("no-such.txt"),
        ),
    }
    messages = []
    for text in texts[kind]:
        path = _write(data, text)
        with pytest.raises(mc.DataFileError, match="leads outside the data file's folder") as info:
            mc.load_registry(paths=[path])
        found = problems(info.value)
        assert all(p.path == str(path) and p.line is not None for p in found)
        assert all(p.suggestion and "allow_paths_outside=True" in p.suggestion for p in found)
        messages.append(
            [str(p).replace("no-such.txt", "X").replace("secret.txt", "X") for p in found]
        )
        assert SECRET.strip() not in str(info.value)
    if kind in ("root", "root-symlink"):
        messages = [[m.replace("'x'", "'X'") for m in ms] for ms in messages]
    assert messages[0] == messages[1], "an outside file that exists is told from one that does not"


def test_allow_paths_outside_is_an_explicit_opt_in(
    tmp_path: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """load_registry(..., allow_paths_outside=True) and --allow-paths-outside read it."""
    from modelcompare import cli

    text = _source_at("../secret.txt")
    text += CLAIM.format(value='{ exact = 6, unit = "parameter" }').replace(
        'quote = "70 billion"', 'quote = "root:", no_figure = "a test of the path only"'
    )
    path = _write(tmp_path / "data", text)
    reg = mc.load_registry(paths=[path], allow_paths_outside=True)
    assert reg.source("my-notes").file == outside.resolve()
    assert reg.validate() == []
    assert cli.main(["validate", str(path)]) == 4
    assert "leads outside" in capsys.readouterr().err
    assert cli.main(["--allow-paths-outside", "validate", str(path)]) == 0
    assert cli.main(["validate", "--allow-paths-outside", str(path)]) == 0
    assert cli.main(["show", "acme-1", "--data", str(path), "--allow-paths-outside"]) == 0


def test_paths_inside_the_folder_still_load(tmp_path: Path) -> None:
    """Subfolders, ./ and a symlink that stays inside the folder are fine."""
    data = tmp_path / "data"
    (data / "texts").mkdir(parents=True)
    (data / "texts" / "n.txt").write_text("70 billion\n", encoding="utf-8")
    (data / "link.txt").symlink_to(data / "texts" / "n.txt")
    for written in ["texts/n.txt", "./texts/../texts/n.txt", "link.txt"]:
        path = _write(data, _source_at(written))
        reg = mc.load_registry(paths=[path])
        assert reg.source("my-notes").file == (data / "texts" / "n.txt").resolve()


# ── size: a 100 KB hostile file is refused (or loaded) quickly ──────────────────────────

_SIZE = 100_000


def _many(record: Callable[[int], str]) -> str:
    out, i = [SOURCE + MODEL], 0
    while sum(map(len, out)) < _SIZE:
        out.append(record(i))
        i += 1
    return "".join(out)


HUGE_FILES = {
    # each used to take minutes: locating every problem rescanned the file
    "unknown tables": lambda: "".join(f"[t{i}]\na = 1\n" for i in range(_SIZE // 12)),
    "unknown keys": lambda: "[[model]]\n" + "".join(f"k{i} = 1\n" for i in range(_SIZE // 10)),
    # pint's parsing is quadratic in a unit's length
    "long unit": lambda: claim('{ exact = 1, unit = "' + "Gparameter*" * 9000 + 's" }'),
    "many units": lambda: _many(
        lambda i: CLAIM.format(value=f'{{ exact = 1, unit = "{"Gparameter*" * 5}x{i}" }}')
    ),
    "deep nesting": lambda: "x = " + "[" * (_SIZE // 2) + "]" * (_SIZE // 2),
}


@pytest.mark.parametrize("kind", sorted(HUGE_FILES))
def test_a_100_kb_hostile_file_is_refused_quickly(data_file: WriteFile, kind: str) -> None:
    """A 100 KB hostile file gives its located problems in seconds (the target is a
    second per 100 KB; the bound here is a generous guard against hangs)."""
    text = HUGE_FILES[kind]()
    assert len(text) >= _SIZE * 0.9
    path = data_file(text)
    mc.load_registry()  # the built-in data, read once, is not what is timed
    start = time.perf_counter()
    with pytest.raises(mc.DataFileError) as info:
        mc.load_registry(paths=[path])
    assert time.perf_counter() - start < 10
    assert all(p.path == str(path) and p.line is not None for p in problems(info.value))
    assert len(str(info.value)) < 600 * (len(problems(info.value)) + 1)
