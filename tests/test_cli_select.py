"""The command line's choosing and sorting options, search, and --format json|csv."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import modelcompare as mc
from conftest import Main
from modelcompare.cli import EXIT_CANNOT, EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE, main
from modelcompare.render.csv import escape_csv
from modelcompare.testing import hostile_text


def rows_of(markdown: str) -> list[str]:
    """The model names of a Markdown comparison, in order."""
    lines = [x for x in markdown.splitlines() if x.startswith("| ")][1:]
    return [x.split(" | ")[0].removeprefix("| ") for x in lines if not x.startswith("| :")]


def parse_csv(text: str) -> list[dict[str, str]]:
    """CSV output as dicts (the BOM removed: it must be there)."""
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


# -- choosing and sorting ----------------------------------------------------------------------
def test_compare_org_sorted_descending(run: Main) -> None:
    """--org --sort --desc: the organization's models, largest first, missing last."""
    code, out, err = run(
        "compare", "--org", "Microsoft", "--sort", "parameters", "--desc", "--fields", "parameters"
    )
    assert code == EXIT_OK, err
    got = rows_of(out)
    assert got[:5] == ["MAI-1", "Phi-3-medium", "Phi-3", "Phi-3-small", "Phi-3-mini"]
    assert set(got[5:]) == {"MAI-1-preview", "MAI-Voice-1", "Phi-2", "Turing"}  # none: last
    assert set(got) == {m.name for m in mc.load_registry() if m.organization == "Microsoft"}


def test_compare_all_has_limit(run: Main) -> None:
    """--all --has --limit: the first N models with the field."""
    code, out, _ = run("compare", "--all", "--has", "mmlu", "--sort", "mmlu", "--limit", "2")
    assert code == EXIT_OK
    assert rows_of(out) == ["Phi-3-mini", "Phi-3-small"]


def test_compare_family_status(run: Main) -> None:
    """--family and --status narrow together; a repeated one matches any value."""
    code, out, _ = run("compare", "--family", "Phi", "--status", "announced", "--status", "preview")
    assert code == EXIT_OK
    assert rows_of(out) == ["Phi-3-small", "Phi-3-medium"]


def test_filters_narrow_named_models_and_say_so(run: Main) -> None:
    """With names, filters choose among them, and what they leave out is named on stderr."""
    code, out, err = run("compare", "Grok", "Phi-3-mini", "GPT-4", "--has", "parameters")
    assert code == EXIT_OK
    assert rows_of(out) == ["Phi-3-mini", "GPT-4"]
    assert err == "modelcompare: warning: left out by --has parameters: Grok\n"


def test_compare_one_model_twice(run: Main) -> None:
    """A model named twice, by any of its names, is a usage error, not a repeated row."""
    code, out, err = run("compare", "GPT-4", "gpt4", "Grok")
    assert (code, out) == (EXIT_USAGE, "")
    assert err == (
        "modelcompare: error: GPT-4 is named twice (as 'GPT-4' and 'gpt4'): each model is one row\n"
    )


def test_compare_python_api_rejects_a_model_twice(reg: mc.Registry) -> None:
    """compare() refuses a repeated model too (InvalidValueError, a ValueError)."""
    with pytest.raises(mc.InvalidValueError, match="GPT-4 is given twice"):
        mc.compare(["GPT-4", "gpt-4"], ["parameters"], registry=reg)


def test_compare_unknown_among_known(run: Main) -> None:
    """Every unknown name is listed with suggestions, the known ones named; no table."""
    code, out, err = run("compare", "Grok", "MAI-1-preveiw", "Nope-9")
    assert (code, out) == (EXIT_NOT_FOUND, "")
    assert err == (
        "modelcompare: error: no model named 'MAI-1-preveiw' (did you mean 'MAI-1-preview'?), "
        "'Nope-9'; known: Grok\n"
    )


def test_compare_field_no_model_has(run: Main) -> None:
    """A field no compared model has: an error naming the models that do, no empty table."""
    code, out, err = run("compare", "Grok", "--fields", "mmlu")
    assert (code, out) == (EXIT_CANNOT, "")
    assert err == (
        "modelcompare: error: no model compared (Grok) has a claim on 'mmlu'; "
        "models with 'mmlu': Phi-3-mini, Phi-3-small, Phi-3-medium\n"
    )


def test_compare_one_empty_column_warns(run: Main) -> None:
    """Among fields that have figures, an all-— column is printed and named on stderr."""
    code, out, err = run("compare", "Grok", "--fields", "mmlu,training_accelerators")
    assert code == EXIT_OK
    assert "≥100,000 H100" in out
    assert err == (
        "modelcompare: warning: no model compared has a claim on 'mmlu': its column is all —\n"
    )


def test_compare_model_with_no_claims(run: Main) -> None:
    """A model with no claim at all: an error saying so, not a table of names."""
    code, out, err = run("compare", "GPT-3.5")
    assert (code, out) == (EXIT_CANNOT, "")
    assert "no field has a claim for GPT-3.5: nothing to compare" in err


def test_filters_that_match_nothing(run: Main) -> None:
    """Filters no model passes: exit 3, naming the filters and who has the field."""
    code, out, err = run("compare", "--org", "xAI", "--has", "mmlu")
    assert (code, out) == (EXIT_NOT_FOUND, "")
    assert err == (
        "modelcompare: error: no model matches --org xAI --has mmlu; "
        "models with 'mmlu': Phi-3-mini, Phi-3-small, Phi-3-medium\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ((), "name the models, or choose them with --all"),
        (("Grok", "--all"), "--all chooses every model: name models or give --all, not both"),
        (("--all", "--desc"), "--desc goes with --sort FIELD"),
    ],
)
def test_selection_usage_errors(run: Main, argv: tuple[str, ...], message: str) -> None:
    """Options that do not go together are usage errors (exit 2)."""
    code, out, err = run("compare", *argv)
    assert (code, out) == (EXIT_USAGE, "")
    assert err.startswith(f"modelcompare: error: {message}")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--org", "Microsft"), "no organization named 'Microsft'; did you mean 'Microsoft'?"),
        (("--all", "--sort", "paramters"), "no field named 'paramters'; did you mean 'parameters'"),
        (("--has", "mmlu2"), "no field named 'mmlu2'; did you mean 'mmlu'"),
    ],
)
def test_selection_unknown_names(run: Main, argv: tuple[str, ...], message: str) -> None:
    """Unknown organizations and fields: exit 3 with a suggestion."""
    code, _, err = run("compare", *argv)
    assert code == EXIT_NOT_FOUND
    assert err.startswith(f"modelcompare: error: {message}")


@pytest.mark.parametrize("n", ["0", "-2", "x"])
def test_limit_must_be_positive(run: Main, n: str) -> None:
    """--limit takes a whole number ≥ 1."""
    code, _, err = run("compare", "--all", "--limit", n)
    assert code == EXIT_USAGE
    assert "expected a whole number ≥ 1" in err


def test_vs_with_no_numeric_column_says_why(run: Main) -> None:
    """--vs over category fields only: the table, and a warning saying why there is no ratio."""
    code, out, err = run("compare", "GPT-4", "--fields", "architecture", "--vs", "GPT-4")
    assert code == EXIT_OK
    assert "×" not in out
    assert err == (
        "modelcompare: warning: no ratio column: --vs divides quantity fields, "
        "and the fields here are architecture (category)\n"
    )


def test_vs_model_without_the_figure_says_why(run: Main) -> None:
    """--vs a model with no figure for a column: its ratio column is explained."""
    code, _, err = run("compare", "Grok", "--fields", "training_accelerators", "--vs", "GPT-4")
    assert code == EXIT_OK
    assert "GPT-4 has no figure for it" in err


def test_sort_different_chips_from_user_data(run: Main, data_file: Callable[..., Path]) -> None:
    """Sorting counts of different chips fails with a hint, exit 5."""
    path = data_file(
        """
[[model]]
id = "tpu-model"
name = "TPU model"
organization = "Lab"
mentions = [{ source = "seed-004", quote = "Grok de xAI" }]

[[claim]]
model = "tpu-model"
field = "training_accelerators"
value = { exact = 10, unit = "GB200" }
status = "rumored"
citations = [{ source = "seed-004", quote = "puces Nvidia H-100" }]
"""
    )
    code, _, err = run(
        "--data", str(path), "compare", "--has", "training_accelerators",
        "--sort", "training_accelerators",
    )  # fmt: skip
    assert code == EXIT_CANNOT
    assert "sort by 'training_h100_equivalents' instead" in err


# -- search --------------------------------------------------------------------------------------
def test_search_command(run: Main) -> None:
    """search finds by name, alias, organization and note; none found is exit 3."""
    code, out, _ = run("search", "AMI-1")
    assert code == EXIT_OK
    assert out.splitlines()[2].startswith("MAI-1 ")
    code, out, _ = run("search", "xai", "--format", "json")
    assert [m["name"] for m in json.loads(out)] == ["Grok"]
    code, out, err = run("search", "Grook")
    assert (code, out) == (EXIT_NOT_FOUND, "")
    assert err == (
        "modelcompare: error: no model's name, alias, organization or note contains 'Grook'; "
        "did you mean 'Grok'?\n"
    )


# -- --format json|csv ---------------------------------------------------------------------------
def test_list_json_and_csv(run: Main, reg: mc.Registry) -> None:
    """list --format json|csv: one record per model, parsable, in registry order."""
    code, out, _ = run("list", "--format", "json")
    assert code == EXIT_OK
    data = json.loads(out)
    assert [d["id"] for d in data] == [m.id for m in reg]
    mai = data[0]
    assert mai["aliases"] == ["AMI-1", "Microsoft MAI-1"]
    assert mai["claims"] == len(reg["MAI-1"].stated_claims)
    code, out, _ = run("list", "--format", "csv")
    rows = parse_csv(out)
    assert [r["name"] for r in rows] == [m.name for m in reg]
    assert rows[0]["aliases"] == "AMI-1; Microsoft MAI-1"
    assert rows[0]["announced"] == ""  # missing is empty, never a made-up value
    assert "\r\n" in out


def test_show_json_figures(run: Main) -> None:
    """show --format json: each field's agreed value and claims, numbers in the field's unit."""
    code, out, _ = run("show", "GPT-4", "--format", "json")
    assert code == EXIT_OK
    doc = json.loads(out)
    params = doc["fields"]["parameters"]
    assert params["value"] == {
        "text": "1.76 T parameters",
        "bound": "exact",
        "nominal": 1.76e12,
        "low": 1.76e12,
        "high": 1.76e12,
        "unit": "parameter",
    }
    at_least = params["claims"][1]["value"]
    assert (at_least["bound"], at_least["low"], at_least["high"]) == ("at_least", 1e12, None)
    assert params["claims"][0]["citations"][0]["quote"].startswith("Le modèle GPT-4 aurait")
    derived = doc["fields"]["weights_memory"]["claims"][0]
    assert derived["status"] == "derived"
    assert derived["formula"]
    assert derived["inputs"][0]["field"] == "parameters"
    code, out, _ = run("show", "MAI-1-preview", "--format", "json")
    doc = json.loads(out)
    counts = [c["value"] for c in doc["fields"]["training_accelerators"]["claims"]]
    assert counts[2] == {
        "text": "? GB200",
        "bound": "unknown",
        "nominal": None,
        "low": None,
        "high": None,
        "unit": "GB200",
    }
    assert doc["fields"]["lmarena_text_rank"]["value"] == {"text": "#13", "rank": 13, "of": None}


def test_show_csv_one_row_per_claim(run: Main, reg: mc.Registry) -> None:
    """show --format csv: one row per claim, derived ones included, numbers as numbers."""
    code, out, _ = run("show", "Phi-3-mini", "--format", "csv")
    assert code == EXIT_OK
    rows = parse_csv(out)
    assert len(rows) == len(reg["Phi-3-mini"].claims())
    mmlu = next(r for r in rows if r["field"] == "mmlu")
    assert (mmlu["value"], mmlu["nominal"], mmlu["unit"]) == (
        "69%",
        "69.0",
        "percent",
    )  # as JSON writes the float
    tokens = next(r for r in rows if r["field"] == "training_tokens")
    assert float(tokens["nominal"]) == 3.3e12


def test_sources_and_fields_formats(run: Main, reg: mc.Registry) -> None:
    """sources and fields in JSON and CSV: every record, parsable."""
    _, out, _ = run("sources", "--format", "json")
    assert [s["id"] for s in json.loads(out)] == list(reg.sources)
    _, out, _ = run("sources", "--format", "csv")
    assert [r["id"] for r in parse_csv(out)] == list(reg.sources)
    _, out, _ = run("fields", "--format", "json")
    fields = json.loads(out)
    assert [f["name"] for f in fields] == list(mc.FIELDS)
    assert next(f for f in fields if f["name"] == "mmlu")["bounds"] == [0.0, 100.0]
    _, out, _ = run("fields", "--format", "csv")
    rows = parse_csv(out)
    assert next(r for r in rows if r["name"] == "architecture")["choices"] == "dense; moe"


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile_text(allow_blank=False), note=hostile_text(allow_blank=False))
def test_hostile_text_round_trips_json_and_csv(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, note: str
) -> None:
    """Any name or note comes back from list --format json exactly, and from CSV
    exactly but for the documented ' before a formula character."""
    path = tmp_path / "hostile.toml"
    path.write_text(
        f"""
[[model]]
id = "hostile"
name = {json.dumps(name)}
organization = "Org"
note = {json.dumps(note)}
mentions = [{{ source = "seed-004", quote = "Grok de xAI" }}]
""",
        encoding="utf-8",
    )
    for fmt in ("json", "csv"):
        code = main(["--data", str(path), "list", "--format", fmt])
        out, err = capsys.readouterr()
        if code != EXIT_OK:  # a name the loader refuses (it says why)
            assert err.startswith("modelcompare: error:")
            return
        if fmt == "json":
            row = json.loads(out)[-1]
            assert (row["name"], row["note"]) == (name, note)
        else:
            row = parse_csv(out)[-1]
            for got, want in ((row["name"], name), (row["note"], note)):
                # a formula-like cell (its first visible character = + - @, or tab/CR
                # first: render.csv's rule, tested there) gains its ' and nothing else
                assert got == escape_csv(want)
                assert got in (want, "'" + want)


# -- what goes with the table: --title, --notes, --no-legend, --no-sources ----------------------
@pytest.mark.parametrize("fmt", ["markdown", "latex", "html"])
def test_title_notes_no_legend_no_sources(run: Main, fmt: str) -> None:
    """--title sets the title; --no-legend / --no-sources leave those out, the cells
    keep their marks and numbers; --notes adds the data's notes."""
    base = ("compare", "Grok", "MAI-1-preview", "--fields", "training_accelerators")
    _, full, _ = run(*base, "--format", fmt)
    code, out, err = run(*base, "--format", fmt, "--title", "H100 counts", "--notes")
    assert (code, err) == (EXIT_OK, "")
    assert "H100 counts" in out
    assert "does not say which Grok version" in out
    assert "does not say" not in full
    code, bare, _ = run(*base, "--format", fmt, "--no-legend", "--no-sources")
    assert code == EXIT_OK
    for gone in ("at least (more than)", "Sources", "3555696a0762c708"):
        assert gone in full
        assert gone not in bare
    assert "100,000" in bare
    assert "[1]" in re.sub(r"[\\{}]", "", bare)  # the cells keep their numbers
    _, legend_only, _ = run(*base, "--format", fmt, "--no-sources")
    assert "at least (more than)" in legend_only
    assert "3555696a0762c708" not in legend_only


@pytest.mark.parametrize(("flag", "fmt"), [("--no-legend", "csv"), ("--no-sources", "json")])
def test_table_options_a_format_does_not_take(run: Main, flag: str, fmt: str) -> None:
    """An option a format does not take is a usage error naming the formats that do."""
    code, out, err = run("compare", "Grok", "--format", fmt, flag)
    assert (code, out) == (EXIT_USAGE, "")
    assert err == f"modelcompare: error: {flag} goes with --format markdown or latex or html\n"


def test_standalone_needs_latex_or_html(run: Main) -> None:
    """--standalone with Markdown is a usage error."""
    code, _, err = run("compare", "Grok", "--standalone")
    assert code == EXIT_USAGE
    assert err == "modelcompare: error: --standalone goes with --format latex or html\n"


def test_tables_options_write_and_check(run: Main, tmp_path: Path) -> None:
    """tables --no-title --no-legend --no-sources --notes writes them so, and --check
    with the same options agrees (and without them does not)."""
    opts = ("--no-title", "--no-legend", "--no-sources", "--notes")
    code, _, _ = run("tables", "--out", str(tmp_path), *opts)
    assert code == EXIT_OK
    mai = (tmp_path / "mai.md").read_text(encoding="utf-8")
    assert not mai.startswith("**")
    assert "Sources:" not in mai
    assert "Notes:" in mai
    assert "≈: about" not in mai
    assert run("tables", "--out", str(tmp_path), "--check", *opts)[0] == EXIT_OK
    assert run("tables", "--out", str(tmp_path), "--check")[0] == 1
