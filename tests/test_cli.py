"""The command line, called as main([...]): output, errors on stderr, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import modelcompare as mc
from conftest import ROOT, Main
from modelcompare.cli import (
    EXIT_CANNOT,
    EXIT_DATA,
    EXIT_INTERNAL,
    EXIT_IO,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
)

WriteFile = Callable[..., Path]

HOSTILE_NAME = "R&D | <b>50%</b> \\input{x}"


@pytest.fixture
def user_file(data_file: WriteFile) -> Path:
    """A user data file adding a model with a hostile name and an H100 count."""
    return data_file(
        f"""
[[model]]
id = "hostile"
name = {json.dumps(HOSTILE_NAME)}
organization = "Lab\\nwith a newline"
mentions = [{{ source = "seed-004", quote = "Grok de xAI" }}]

[[claim]]
model = "hostile"
field = "training_accelerators"
value = {{ about = 2000, unit = "H100" }}
status = "rumored"
citations = [{{ source = "seed-004", quote = "puces Nvidia H-100" }}]
"""
    )


def test_list(run: Main) -> None:
    """list shows every model with its organization and status."""
    code, out, err = run("list")
    assert code == EXIT_OK
    assert err == ""
    assert "MAI-1-preview" in out
    line = next(x for x in out.splitlines() if x.startswith("MAI-1-preview"))
    assert "Microsoft" in line
    assert "preview" in line


def test_show_lists_claims_with_quotes(run: Main) -> None:
    """show gives every claim with qualifier, status, source and verbatim quote."""
    code, out, _ = run("show", "MAI-1")
    assert code == EXIT_OK
    assert "parameters: 500 B parameters" in out
    for shown in (
        "≥500 B parameters",
        "≈500 B parameters",
        "rumored",
        "reported",
        "[seed-000]",
        "plus de 500 milliards de paramètres",
        "seeds/002_",
    ):
        assert shown in out


def test_show_unknown_model(run: Main) -> None:
    """An unknown model exits 3 with the suggestion on stderr."""
    code, out, err = run("show", "MAI-1-preveiw")
    assert code == EXIT_NOT_FOUND
    assert out == ""
    assert err == (
        "modelcompare: error: no model named 'MAI-1-preveiw'; did you mean 'MAI-1-preview'?\n"
    )


def test_compare_markdown(run: Main) -> None:
    """compare prints a Markdown table with both models and the sources."""
    code, out, err = run("compare", "MAI-1-preview", "Grok", "--fields", "training_accelerators")
    assert code == EXIT_OK, err
    assert out.count("\n|") >= 3
    assert "≈15,000" in out
    assert "≥100,000" in out
    assert "seeds/004_0207edb4e130b79e.txt" in out


#: What `compare MAI-1-preview Grok GPT-4 --fields training_accelerators,parameters`
#: shows: per model, each cell's text (marks and footnotes aside).
EXPECTED_CELLS = {
    "MAI-1-preview": ["≈15,000 H100 + ? GB200", "—"],
    "Grok": ["≥100,000 H100", "—"],
    "GPT-4": ["—", "1.76"],
}
EXPECTED_HEADERS = ["Model", "Training accelerators", "Parameters (T)"]


def _cells_markdown(out: str) -> tuple[list[str], dict[str, list[str]]]:
    rows = [line for line in out.splitlines() if line.startswith("| ") and ":---" not in line]
    split = [[c.strip() for c in row.strip("|").split(" | ")] for row in rows]
    assert re.fullmatch(r"\| :--- (\| ---: ){2}\|", out.splitlines()[1])
    return split[0], {
        r[0]: [re.sub(r" [†§ ]*\\\[[0-9, ]+\\\]$", "", c) for c in r[1:]] for r in split[1:]
    }


def _cells_latex(out: str) -> tuple[list[str], dict[str, list[str]]]:
    body = out[out.index("\\midrule") : out.index("\\bottomrule")]
    assert out.count("\\begin{tabular}") == out.count("\\end{tabular}") == 1
    assert out.count("{") == out.count("}")

    def text(cell: str) -> str:
        cell = re.sub(r"\\textsuperscript\{.*\}$", "", cell.strip())
        for tex, plain in [
            ("\\ensuremath{\\approx}", "≈"),
            ("\\ensuremath{\\geq}", "≥"),
            ("---{}", "—"),
        ]:
            cell = cell.replace(tex, plain)
        return cell

    header = out[out.index("\\toprule") + 8 : out.index("\\midrule")].strip().rstrip("\\ ")
    rows = [line.rstrip(" \\").split(" & ") for line in body.splitlines()[1:] if " & " in line]
    return [h.strip() for h in header.split(" & ")], {r[0]: [text(c) for c in r[1:]] for r in rows}


def _cells_html(out: str) -> tuple[list[str], dict[str, list[str]]]:
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None
            self.sup = False

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th") and self.rows:
                self.cell = []
            elif tag == "sup":
                self.sup = True

        def handle_endtag(self, tag: str) -> None:
            if tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append("".join(self.cell).strip())
                self.cell = None
            elif tag == "sup":
                self.sup = False

        def handle_data(self, data: str) -> None:
            if self.cell is not None and not self.sup:
                self.cell.append(data)

    parser = Cells()
    parser.feed(out)
    head, *rows = parser.rows
    assert out.count("<table") == out.count("</table>") == 1
    return head, {r[0]: r[1:] for r in rows}


def _cells_csv(out: str) -> tuple[list[str], dict[str, list[str]]]:
    import csv
    import io

    assert out.startswith("\ufeff")
    head, *rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    named = [dict(zip(head, r, strict=True)) for r in rows]
    by = {r["Model"]: r for r in named}
    # numbers as JSON writes them: each float's shortest round-trip text (repr)
    assert by["MAI-1-preview"]["training_accelerators nominal"] == "15000.0"
    assert (
        by["MAI-1-preview"]["training_accelerators low"],
        by["MAI-1-preview"]["training_accelerators high"],
    ) == ("14500.0", "15500.0")
    assert (by["Grok"]["training_accelerators low"], by["Grok"]["training_accelerators high"]) == (
        "100000.0",
        "",
    )
    nominal = next(c for c in head if c.startswith("parameters nominal ["))
    scale = {"[parameter]": 1e12, "[T parameters]": 1}[nominal.removeprefix("parameters nominal ")]
    assert float(by["GPT-4"][nominal]) == 1.76 * scale
    assert by["GPT-4"]["parameters flags"] == "rumored; sources differ"
    cols = ["training_accelerators", "parameters"]
    return ["Model", *cols], {r["Model"]: [r[c] for c in cols] for r in named}


def _cells_json(out: str) -> tuple[list[str], dict[str, list[str]]]:
    doc = json.loads(out)
    headers = ["Model", *(c["header"] for c in doc["columns"])]
    rows = {r["name"]: r["cells"] for r in doc["rows"]}
    mai = rows["MAI-1-preview"][0]
    assert (mai["bound"], mai["nominal"], mai["low"], mai["high"], mai["unit"]) == (
        "approx",
        15000,
        14500,
        15500,
        "H100",
    )
    grok = rows["Grok"][0]
    assert (grok["bound"], grok["low"], grok["high"]) == ("at_least", 100000, None)
    return headers, {n: [c["display"] for c in cells] for n, cells in rows.items()}


CELLS = {
    "markdown": _cells_markdown,
    "latex": _cells_latex,
    "html": _cells_html,
    "csv": _cells_csv,
    "json": _cells_json,
}


def test_every_format_is_checked() -> None:
    """Each --format choice has a content check below (a new format needs one)."""
    from modelcompare import FORMATS

    assert sorted(CELLS) == sorted(FORMATS)


@pytest.mark.parametrize("fmt", sorted(CELLS))
def test_compare_every_format(run: Main, fmt: str) -> None:
    """Every --format renders the same table: the headers, each model's row in order,
    and each cell's figure (and, where the format has them, nominal, low and high)."""
    code, out, err = run(
        "compare",
        "MAI-1-preview",
        "Grok",
        "GPT-4",
        "--fields",
        "training_accelerators,parameters",
        "--format",
        fmt,
    )
    assert code == EXIT_OK, err
    headers, cells = CELLS[fmt](out)
    if fmt == "csv":  # a spreadsheet's columns are named by field
        assert headers == ["Model", "training_accelerators", "parameters"]
    else:
        assert headers == EXPECTED_HEADERS
    expected = dict(EXPECTED_CELLS)
    if fmt in ("csv", "json"):  # a cell read alone (no column header) names its unit
        expected["GPT-4"] = ["—", "1.76 T parameters"]
    assert list(cells) == list(expected)
    assert cells == expected


def test_compare_output_file(run: Main, tmp_path: Path) -> None:
    """-o writes the table to a file."""
    target = tmp_path / "t.tex"
    code, out, _ = run("compare", "Grok", "--format", "latex", "--standalone", "-o", str(target))
    assert code == EXIT_OK
    assert out == ""
    assert "\\documentclass" in target.read_text(encoding="utf-8")


def test_compare_unknown_format_is_usage_error(run: Main) -> None:
    """An unknown --format exits 2 listing the choices."""
    code, _, err = run("compare", "Grok", "--format", "docx")
    assert code == EXIT_USAGE
    assert "markdown" in err


def test_compare_unknown_field(run: Main) -> None:
    """An unknown field exits 3 with a suggestion."""
    code, _, err = run("compare", "Grok", "--fields", "paramters")
    assert code == EXIT_NOT_FOUND
    assert "did you mean 'parameters'" in err


def test_ratio(run: Main) -> None:
    """ratio prints the bounded ratio first."""
    code, out, _ = run("ratio", "Grok", "MAI-1-preview", "training_accelerators")
    assert code == EXIT_OK
    assert out.splitlines()[0] == "≥6.45"
    assert "at_least" in out


def test_ratio_without_figure(run: Main) -> None:
    """A ratio with a model that has no figure cannot be computed: exit 5 naming the model."""
    code, _, err = run("ratio", "GPT-4", "Phi-3-mini", "mmlu")
    assert code == EXIT_CANNOT
    assert err == "modelcompare: error: GPT-4 has no figure for 'mmlu'\n"


def test_ratio_says_what_a_chip_count_leaves_out(run: Main) -> None:
    """The H100 ratio notes that MAI-1-preview also names GB200s with no count."""
    code, out, _ = run("ratio", "Grok", "MAI-1-preview", "training_accelerators")
    assert code == EXIT_OK
    assert "note: MAI-1-preview also names ? GB200 (not compared)" in out


def test_unwritable_output(run: Main, tmp_path: Path) -> None:
    """An output path that cannot be written exits 6 with one line, not a traceback."""
    code, _, err = run("compare", "Grok", "-o", str(tmp_path / "no" / "such" / "dir.md"))
    assert code == EXIT_IO
    assert err.startswith("modelcompare: error: cannot write ")
    assert "Traceback" not in err
    (tmp_path / "file").write_text("x", encoding="utf-8")
    code, _, err = run("tables", "--out", str(tmp_path / "file"))
    assert code == EXIT_IO
    assert "Traceback" not in err


def test_empty_fields_is_usage_error(run: Main) -> None:
    """--fields that names no field exits 2."""
    code, _, err = run("compare", "Grok", "--fields", ",,")
    assert code == EXIT_USAGE
    assert "names no field" in err


def test_tables_check_says_missing(run: Main, tmp_path: Path) -> None:
    """tables --check on an empty folder calls the files missing, not out of date."""
    code, _, err = run("tables", "--out", str(tmp_path), "--check")
    assert code == EXIT_PROBLEMS
    assert f"missing: {tmp_path / 'phi-3.md'}" in err


def test_internal_errors_are_reported_as_bugs(run: Main, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception exits 70 with a bug report line, keeping 1 for 'problems found'."""
    import modelcompare.cli as cli

    def broken(*args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "_cmd_list", broken)
    code, _, err = run("list")
    assert code == EXIT_INTERNAL
    assert "internal error" in err


def test_ratio_of_different_chips(run: Main, data_file: WriteFile) -> None:
    """H100s over GB200s cannot be computed: exit 5, pointing at H100-equivalents."""
    path = data_file(
        """
[[claim]]
model = "mai-voice-1"
field = "training_accelerators"
value = { exact = 100, unit = "GB200" }
status = "rumored"
citations = [{ source = "seed-003", quote = "puces NVIDIA GB200" }]
"""
    )
    code, _, err = run("ratio", "Grok", "MAI-Voice-1", "training_accelerators", "--data", str(path))
    assert code == EXIT_CANNOT
    assert "training_h100_equivalents" in err


def test_sources(run: Main) -> None:
    """sources lists the seed articles with their dates and files."""
    code, out, _ = run("sources")
    assert code == EXIT_OK
    assert "seed-003" in out
    assert "2025-08 (inferred)" in out


def test_validate_builtin(run: Main) -> None:
    """validate on the built-in data finds nothing; its last line is the summary (info
    lines before it say which dates and notes rest on outside knowledge)."""
    code, out, err = run("validate")
    assert code == EXIT_OK, err
    assert out.splitlines()[-1].startswith("ok: ")
    assert all(line.startswith("info: ") for line in out.splitlines()[:-1])


def test_validate_reports_bad_quote(run: Main, data_file: WriteFile) -> None:
    """validate FILE exits 1 and names the record whose quote is not in its source."""
    path = data_file(
        """
[[claim]]
model = "grok"
field = "parameters"
value = { exact = 314, unit = "Gparameter" }
status = "rumored"
citations = [{ source = "seed-004", quote = "Grok a 314 milliards de paramètres" }]
"""
    )
    code, _, err = run("validate", str(path))
    assert code == EXIT_PROBLEMS
    assert "claim #1 (grok, parameters)" in err
    assert "quote not found verbatim" in err


def test_malformed_data_file(run: Main, data_file: WriteFile) -> None:
    """A malformed --data file exits 4 naming the file and line."""
    path = data_file("[[model]]\nid = 'x\n")
    code, _, err = run("--data", str(path), "list")
    assert code == EXIT_DATA
    assert f"{path}:2: invalid TOML" in err


def test_data_option_in_both_positions(run: Main, user_file: Path) -> None:
    """--data works before and after the command, and the model shows in list and compare."""
    for argv in (("--data", str(user_file), "list"), ("list", "--data", str(user_file))):
        code, out, _ = run(*argv)
        assert code == EXIT_OK
        assert HOSTILE_NAME in out


def test_hostile_text_is_shown_not_obeyed(run: Main, user_file: Path) -> None:
    """Control characters in user text are escaped on the terminal."""
    code, out, _ = run("show", "hostile", "--data", str(user_file))
    assert code == EXIT_OK
    assert HOSTILE_NAME in out
    assert "Lab\\x0awith a newline" in out


def test_tables_write_and_check(run: Main, tmp_path: Path) -> None:
    """tables writes Markdown and LaTeX files; --check passes, then fails after an edit."""
    code, _out, _ = run("tables", "--out", str(tmp_path))
    assert code == EXIT_OK
    written = sorted(p.name for p in tmp_path.iterdir())
    assert "training-hardware.md" in written
    assert "training-hardware.tex" in written
    assert run("tables", "--out", str(tmp_path), "--check")[0] == EXIT_OK
    (tmp_path / "phi-3.md").write_text("stale\n", encoding="utf-8")
    code, _, err = run("tables", "--out", str(tmp_path), "--check")
    assert code == EXIT_PROBLEMS
    assert "phi-3.md" in err


def test_parse_command(run: Main) -> None:
    """parse reads French press wording."""
    code, out, _ = run("parse", "plus de 100 000 puces H100", "--lang", "fr")
    assert code == EXIT_OK
    assert out.splitlines()[0] == "≥100,000 H100"


def test_parse_command_warns_on_french_trillions(run: Main) -> None:
    """French 'trillions' reads in the long scale, with a one-line warning naming --scale."""
    code, out, err = run("parse", "3,3 trillions de tokens", "--lang", "fr")
    assert code == EXIT_OK
    assert out.splitlines()[0] == "3.3 × 10¹⁸ tokens"
    assert err.startswith("modelcompare: warning: '3,3 trillions de tokens'")
    assert "Pass --scale to choose" in err
    code, out, err = run("parse", "3,3 trillions de tokens", "--lang", "fr", "--scale", "short")
    assert (code, out.splitlines()[0], err) == (EXIT_OK, "3.3 T tokens", "")


def test_parse_command_error(run: Main) -> None:
    """Unreadable text exits 5 with a ParseError message."""
    code, _, err = run("parse", "beaucoup de puces")
    assert code == EXIT_CANNOT
    assert err.startswith("modelcompare: error: cannot read")


@pytest.mark.parametrize(
    "command",
    ["list", "show", "compare", "ratio", "sources", "validate", "tables", "parse", "fields"],
)
def test_help(run: Main, command: str) -> None:
    """Every command has --help."""
    code, out, _ = run(command, "--help")
    assert code == EXIT_OK
    assert "usage: modelcompare" in out


def test_no_command_is_usage_error(run: Main) -> None:
    """No command exits 2."""
    assert run()[0] == EXIT_USAGE


def test_python_dash_m() -> None:
    """python -m modelcompare runs the same CLI."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "modelcompare",
            "ratio",
            "Grok",
            "MAI-1-preview",
            "training_accelerators",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("≥6.45")


def test_compare_each_claim(run: Main) -> None:
    """--each-claim shows every claim with its own marks and sources; without it, the
    value the claims agree on."""
    args = ("compare", "MAI-1", "GPT-4", "--fields", "parameters")
    code, out, err = run(*args, "--each-claim")
    assert code == EXIT_OK, err
    assert r"| MAI-1 | ≥500 † \[1\] / 500 \[2\] / ≈500 \[3\] |" in out
    assert r"| GPT-4 | 1,760 † \[2\] / ≥1,000 † \[3\] |" in out
    assert "- a / b: each claim's own figure" in out
    code, out, _ = run(*args)
    assert code == EXIT_OK
    assert r"| MAI-1 | 500 § \[1, 2, 3\] |" in out
    assert "a / b" not in out


def test_compare_each_claim_in_every_format(run: Main) -> None:
    """--each-claim goes with every --format: JSON cells list their pieces."""
    args = ("compare", "GPT-4", "--fields", "parameters", "--each-claim")
    code, out, err = run(*args, "--format", "json")
    assert code == EXIT_OK, err
    pieces = json.loads(out)["rows"][0]["cells"][0]["pieces"]
    assert [(p["display"], p["sources"]) for p in pieces] == [
        ("1.76 T parameters", [1]),
        ("≥1,000 B parameters", [2]),
    ]
    code, out, err = run(*args, "--format", "latex", "--standalone")
    assert code == EXIT_OK, err
    assert r"1.76\textsuperscript{\ensuremath{\dagger} {[}1{]}} / " in out


def test_tables_conflicting_claims_shows_each_claim(run: Main, tmp_path: Path) -> None:
    """The standard table conflicting-claims is rendered with every claim side by side."""
    assert run("tables", "--out", str(tmp_path))[0] == EXIT_OK
    text = (tmp_path / "conflicting-claims.md").read_text(encoding="utf-8")
    row = r"| GPT-4 | 1,760 † \[2\] / ≥1,000 † \[3\] | ≈280 † \[2\] | moe † \[2\] / moe † \[3\] |"
    assert row in text
    assert (ROOT / "tables" / "conflicting-claims.md").read_text(encoding="utf-8") == text


@pytest.mark.parametrize("fmt", ["csv", "json"])
@given(unit=st.sampled_from(["parameter", "Mparameter", "Gparameter", "Tparameter"]))
@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_compare_unit_option_sets_the_export_unit(run: Main, fmt: str, unit: str) -> None:
    """`--unit FIELD=UNIT` writes that field's numbers in UNIT (the header says which),
    the same quantity as the default export in the base unit."""
    import csv as _csv
    import io

    args = ("compare", "Phi-3-mini", "MAI-1", "--fields", "parameters", "--format", fmt)
    code, base, _ = run(*args)
    code2, out, err = run(*args, "--unit", f"parameters={unit}")
    assert (code, code2) == (0, 0), err
    factor = float(mc.Q_(1, unit).to("parameter").magnitude)
    if fmt == "csv":
        rows = list(_csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
        base_rows = list(_csv.DictReader(io.StringIO(base.lstrip("\ufeff"))))
        key = f"parameters nominal [{unit}]"
        assert key in rows[0]
        for r, b in zip(rows, base_rows, strict=True):
            assert float(r[key]) * factor == pytest.approx(
                float(b["parameters nominal [parameter]"])
            )
    else:
        doc, base_doc = json.loads(out), json.loads(base)
        assert doc["columns"][0]["unit"] == unit
        for row, base_row in zip(doc["rows"], base_doc["rows"], strict=True):
            cell, base_cell = row["cells"][0], base_row["cells"][0]
            assert cell["unit"] == unit
            assert cell["display"] == base_cell["display"]
            for end in ("nominal", "low", "high"):
                assert cell[end] * factor == pytest.approx(base_cell[end])


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        (("--unit", "parameters=Gparameter"), 2, "--unit goes with --format csv or json"),
        (("--format", "csv", "--unit", "parameters"), 2, "FIELD=UNIT"),
        (("--format", "csv", "--unit", "parameters=H100"), 5, "is not a unit of 'parameters'"),
        (("--format", "csv", "--unit", "parametres=Gparameter"), 3, "did you mean 'parameters'"),
        (("--format", "csv", "--unit", "parameters=zzz"), 5, "unknown unit 'zzz'"),
        (
            (
                "--format",
                "csv",
                "--unit",
                "parameters=Gparameter",
                "--unit",
                "parameters=parameter",
            ),
            2,
            "twice",
        ),
    ],
)
def test_compare_unit_option_refuses_what_it_cannot_do(
    run: Main, extra: tuple[str, ...], code: int, message: str
) -> None:
    got, out, err = run("compare", "Phi-3-mini", "MAI-1", "--fields", "parameters", *extra)
    assert got == code
    assert out == ""
    assert message in err


@pytest.mark.parametrize("command", [["list"], ["show", "GPT-4"], ["search", "phi"], ["fields"]])
def test_commands_that_render_no_table_load_no_renderer(command: list[str]) -> None:
    """The command line reads the output formats (compare's ``--format`` choices)
    only when it checks or shows them: list, show, search and fields load none of
    the renderers (a repeat command on a large cached file stays near import pint)."""
    code = (
        "import io, sys\n"
        "from modelcompare.cli import main\n"
        f"assert main({command!r}, io.StringIO()) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('modelcompare.render')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
