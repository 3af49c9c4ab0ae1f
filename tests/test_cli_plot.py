"""The plot command: the chart the issue's done-means asks for, the options, the
files it writes (atomically), and the errors it reports with their exit codes."""

from __future__ import annotations

import html
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import matplotlib.image
import pytest

import modelcompare.plot
from conftest import Main
from modelcompare import cli
from modelcompare.cli import EXIT_CANNOT, EXIT_IO, EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE


def svg_texts(path: Path) -> list[str]:
    """The texts of an SVG chart, white space collapsed (its glyphs are paths;
    matplotlib writes each text, escaped, as a comment before them)."""
    ET.parse(path)  # well-formed
    comments = re.findall(r"<!--(.*?)-->", path.read_text(encoding="utf-8"), re.S)
    return [" ".join(html.unescape(t).split()) for t in comments]


def test_done_means(run: Main, tmp_path: Path) -> None:
    """`plot --all --has training_accelerators --field training_accelerators -o h100.svg`:
    Grok's "more than 100,000" is an arrow, MAI-1-preview's "about 15,000" a span,
    and the sources are under it."""
    out = tmp_path / "h100.svg"
    code, stdout, stderr = run(
        "plot",
        "--all",
        "--has",
        "training_accelerators",
        "--field",
        "training_accelerators",
        "-o",
        str(out),
    )
    assert (code, stderr) == (EXIT_OK, "")
    assert stdout == f"wrote {out}\n"
    ids = {e.get("id") for e in ET.parse(out).getroot().iter()}
    assert {"bar-grok", "xarrow-grok", "bar-mai-1-preview", "xband-mai-1-preview"} <= ids
    assert "xband-grok" not in ids
    assert "xarrow-mai-1-preview" not in ids
    texts = svg_texts(out)
    assert "≥100,000 H100 [2]" in texts
    assert "≈15,000 H100 + ? GB200 [1, 2]" in texts
    joined = " ".join(texts)  # one comment per line of a text
    assert "Sources: 1. Microsoft a lancé des tests publics" in joined
    assert "2. Microsoft lance ses propres modèles" in joined
    assert [p.name for p in tmp_path.iterdir()] == ["h100.svg"]


def test_scatter_from_y_and_png(run: Main, tmp_path: Path) -> None:
    """--y makes a scatter; a .png is a PNG that matplotlib reads back."""
    out = tmp_path / "phi.png"
    code, _, stderr = run(
        "plot", "--family", "Phi", "--field", "parameters", "--y", "mmlu", "-o", str(out)
    )
    assert (code, stderr) == (EXIT_OK, "")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.image.imread(out).shape[1] == 1050


def test_timeline_pdf_page_dark(run: Main, tmp_path: Path) -> None:
    """A time line as PDF, page-wide, on the dark theme."""
    out = tmp_path / "compute.pdf"
    code, _, stderr = run(
        "plot",
        "--family",
        "Phi",
        "--field",
        "training_compute",
        "--kind",
        "timeline",
        "--size",
        "page",
        "--theme",
        "dark",
        "-o",
        str(out),
    )
    assert (code, stderr) == (EXIT_OK, "")
    assert out.read_bytes()[:5] == b"%PDF-"


def test_options_reach_plot(run: Main, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every chart option is passed on; --sort keeps the order it chose."""
    seen: dict[str, Any] = {}
    real = modelcompare.comparison.Comparison.plot

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        seen.update(kwargs, args=args)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(modelcompare.comparison.Comparison, "plot", spy)
    code, _, _ = run(
        "plot",
        "--family",
        "Phi",
        "--field",
        "parameters",
        "--sort",
        "name",
        "--log",
        "--title",
        "T",
        "--no-legend",
        "--no-sources",
        "-o",
        str(tmp_path / "c.svg"),
    )
    assert code == EXIT_OK
    assert seen["args"] == ("bars", "parameters", None)
    assert (seen["log"], seen["legend"], seen["sources"], seen["sort"]) == (
        True,
        False,
        False,
        False,
    )
    assert "T" in svg_texts(tmp_path / "c.svg")
    assert not any("Sources:" in t for t in svg_texts(tmp_path / "c.svg"))


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ["Grok", "--field", "parameters", "-o", "c.jpg"],
            EXIT_USAGE,
            "a chart is written as .png, .svg, .pdf",
        ),
        (
            ["Grok", "--field", "parameters", "--kind", "scatter", "-o", "c.svg"],
            EXIT_USAGE,
            "needs --y FIELD",
        ),
        (
            ["Grok", "--field", "parameters", "--y", "mmlu", "--kind", "bars", "-o", "c.svg"],
            EXIT_USAGE,
            "--y goes with --kind scatter",
        ),
        (
            ["Grok", "--field", "parameters", "--log-y", "-o", "c.svg"],
            EXIT_USAGE,
            "--log-y/--linear-y go with --kind scatter",
        ),
        (["--field", "parameters", "-o", "c.svg"], EXIT_USAGE, "name the models"),
        (
            ["Grok", "--field", "paramters", "-o", "c.svg"],
            EXIT_NOT_FOUND,
            "did you mean 'parameters'",
        ),
        (
            ["Grokk", "--field", "parameters", "-o", "c.svg"],
            EXIT_NOT_FOUND,
            "no model named 'Grokk'",
        ),
        (
            ["Grok", "GPT-4", "--field", "mmlu", "-o", "c.svg"],
            EXIT_CANNOT,
            "no model of the comparison has a figure for 'mmlu'",
        ),
        (
            ["GPT-4", "--field", "architecture", "-o", "c.svg"],
            EXIT_CANNOT,
            "'architecture' is text, not a quantity",
        ),
    ],
)
def test_errors_say_why_and_write_nothing(
    argv: list[str],
    code: int,
    message: str,
    run: Main,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each mistake has its exit code and a message saying what is wrong; no file appears."""
    monkeypatch.chdir(tmp_path)
    got, stdout, stderr = run("plot", *argv)
    assert got == code
    assert message in stderr
    assert stderr.startswith("modelcompare: error: ")
    assert stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_is_exit_6(run: Main, tmp_path: Path) -> None:
    """A folder that does not exist: exit 6 naming the file, not a temporary one."""
    out = tmp_path / "no" / "c.svg"
    code, _, stderr = run("plot", "Grok", "--field", "training_accelerators", "-o", str(out))
    assert code == EXIT_IO
    assert stderr == f"modelcompare: error: cannot write {out}: No such file or directory\n"


def test_missing_matplotlib_names_the_extra(
    run: Main, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without matplotlib: exit 5 and the pip command that installs it."""
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    code, _, stderr = run(
        "plot", "Grok", "--field", "training_accelerators", "-o", str(tmp_path / "c.svg")
    )
    assert code == EXIT_CANNOT
    assert "pip install 'modelcompare[plot]'" in stderr
    assert list(tmp_path.iterdir()) == []


def test_hostile_name_is_drawn_as_written(run: Main, tmp_path: Path) -> None:
    """A user model named with $…$ and markup shows as written in the SVG."""
    name = "R&D $x^2$ <b>50%</b> \\input{x}"
    data = tmp_path / "user.toml"
    data.write_text(
        f"""
[[model]]
id = "hostile"
name = {json.dumps(name)}
organization = "Lab"

[[claim]]
model = "hostile"
field = "training_accelerators"
value = {{ about = 2000, unit = "H100" }}
status = "rumored"
citations = [{{ source = "seed-004", quote = "puces Nvidia H-100" }}]
""",
        encoding="utf-8",
    )
    out = tmp_path / "c.svg"
    code, _, stderr = run(
        "--data",
        str(data),
        "plot",
        "hostile",
        "Grok",
        "--field",
        "training_accelerators",
        "-o",
        str(out),
    )
    assert (code, stderr) == (EXIT_OK, "")
    assert name in " ".join(svg_texts(out))


def test_choices_are_the_plot_modules() -> None:
    """The CLI's choices (written out for a fast start) are modelcompare.plot's."""
    assert cli._PLOT_KINDS == modelcompare.plot.KINDS
    assert tuple(modelcompare.plot.SIZES) == cli._PLOT_SIZES
    assert tuple(modelcompare.plot.THEMES) == cli._PLOT_THEMES
    assert tuple("." + f for f in modelcompare.plot.FIGURE_FORMATS) == cli._PLOT_SUFFIXES
