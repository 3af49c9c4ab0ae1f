"""LaTeX for papers: layout="column" | "page" compiles in a two-column article with
no overfull box and no float taller than the page, and pdftotext reads back
every row; engine="xelatex" / "lualatex" keep CJK, Greek and emoji.

Skipped where the engines are not installed (.ci/run installs them).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import modelcompare as mc
from modelcompare.cli import main
from modelcompare.render.latex_paper import _decimals, _em, escape_latex_unicode
from modelcompare.tables import STANDARD_TABLES
from modelcompare.testing import hostile_text
from strategies import user_registry
from test_render_latex import squeezed

PACKAGES = "\\usepackage{booktabs,tabularx,threeparttable,rotating}\n"
#: A two-column article, as a paper is, holding a fragment.
TWO_COLUMN = (
    "\\documentclass[twocolumn]{article}\n\\usepackage[T1]{fontenc}\\usepackage{lmodern}\n"
    + PACKAGES
    + "\\begin{document}\n%s\\end{document}\n"
)
XE_TWO_COLUMN = (
    "\\documentclass[twocolumn]{article}\n\\usepackage{fontspec}\n"
    + PACKAGES
    + "\\begin{document}\n%s\\end{document}\n"
)


def needs(*tools: str) -> pytest.MarkDecorator:
    missing = [t for t in (*tools, "pdftotext") if shutil.which(t) is None]
    return pytest.mark.skipif(bool(missing), reason=f"{', '.join(missing)} not installed")


def compile_tex(folder: Path, source: str, engine: str = "pdflatex") -> tuple[str, str]:
    """Compile ``source`` with ``engine``; (the PDF's text, the log). Fails on an
    error, an overfull box or a float too large for its page."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "t.tex").write_text(source, encoding="utf-8")
    run = subprocess.run(
        [engine, "-halt-on-error", "-interaction=nonstopmode", "-no-shell-escape", "t.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=180,
    )
    log = (folder / "t.log").read_text(encoding="utf-8", errors="replace")
    assert run.returncode == 0, run.stdout[-3000:]
    assert "Overfull \\hbox" not in log, re.findall(r"Overfull \\hbox.*\n.*", log)[:3]
    assert "Float too large" not in log
    text = subprocess.run(
        ["pdftotext", str(folder / "t.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text, log


def assert_rows_read_back(c: mc.Comparison, text: str) -> None:
    """Every model's name, every figure and every figure's marks and numbers are in
    the PDF's text (a superscript may be read out of line, so each on its own)."""
    flat = squeezed(text).replace("-", "").replace("’", "'")  # LaTeX sets ' as ’
    for model, row in zip(c.models, c.rows, strict=True):
        assert squeezed(model.name).replace("-", "") in flat, model.name
        for cell in row:
            for piece in cell.pieces:
                for part in (piece.text, piece.suffix):
                    assert squeezed(part).replace("-", "") in flat, (model.name, part)


@needs("pdflatex")
@pytest.mark.parametrize("layout", ["column", "page"])
def test_done_criterion_microsoft_sorted(tmp_path: Path, layout: str) -> None:
    """The issue's command (`compare --org Microsoft --sort parameters --desc
    --format latex --layout column`) compiles in a two-column article with no
    overflow, and every row and figure reads back."""
    out = tmp_path / "table.tex"
    argv = ["compare", "--org", "Microsoft", "--sort", "parameters", "--desc"]
    assert main([*argv, "--format", "latex", "--layout", layout, "-o", str(out)]) == 0
    fragment = out.read_text(encoding="utf-8")
    assert "\\resizebox" not in fragment
    assert "\\caption" not in fragment  # no title, no caption
    text, _ = compile_tex(tmp_path / "pdf", TWO_COLUMN % fragment)
    reg = mc.load_registry()
    c = mc.compare(reg.select(organization="Microsoft", sort="parameters", descending=True))
    assert_rows_read_back(c, text)
    assert "about (as rounded by the source)" in text.replace("\n", " ")


@needs("pdflatex")
@pytest.mark.parametrize("spec", STANDARD_TABLES, ids=lambda s: s.name)
@pytest.mark.parametrize("layout", ["column", "page"])
def test_standard_tables_in_both_layouts(
    tmp_path: Path, reg: mc.Registry, spec: object, layout: str
) -> None:
    """Every standard table compiles in both layouts, caption and notes included."""
    c = spec.build(reg)  # type: ignore[attr-defined]
    fragment = c.render("latex", layout=layout, notes=True)
    text, _ = compile_tex(tmp_path, TWO_COLUMN % fragment)
    assert_rows_read_back(c, text)
    assert squeezed(c.title).replace("'", "’") in squeezed(text)  # TeX's apostrophe
    for n, _source in enumerate(c.sources, 1):
        assert f"[{n}]" in text


@needs("pdflatex")
def test_standalone_documents(tmp_path: Path, reg: mc.Registry) -> None:
    """standalone: a two-column article (column), a one-column one (page); both compile."""
    c = mc.compare(["MAI-1-preview", "Grok"], vs="MAI-1-preview", registry=reg, title="Chips")
    for layout in ("column", "page"):
        source = c.render("latex", layout=layout, standalone=True)
        assert ("[twocolumn]" in source) == (layout == "column")
        text, _ = compile_tex(tmp_path / layout, source)
        assert_rows_read_back(c, text)


@needs("pdflatex")
def test_a_wide_table_goes_sideways(tmp_path: Path, reg: mc.Registry) -> None:
    """layout='page' puts a table whose columns do not fit the page on a rotated page."""
    c = mc.compare(reg.select(has="parameters"), registry=reg)
    fragment = c.render("latex", layout="page")
    assert "\\begin{sidewaystable}" in fragment
    assert "rotating" in fragment.splitlines()[0]
    text, _ = compile_tex(tmp_path, TWO_COLUMN % fragment)
    assert_rows_read_back(c, text)


@needs("pdflatex")
@settings(max_examples=6, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile_text(allow_blank=False), note=hostile_text(allow_blank=False))
def test_hostile_text_fits_a_column(
    tmp_path_factory: pytest.TempPathFactory, name: str, note: str
) -> None:
    """Any name, note or title compiles in the column layout with no overfull box."""
    c = mc.compare(["user-model"], registry=user_registry(name, note, note), title=name)
    folder = tmp_path_factory.mktemp("hostile")
    compile_tex(folder, TWO_COLUMN % c.render("latex", layout="column", notes=True))


def test_caption_label_and_notes_below() -> None:
    """The title gives \\caption and \\label{tab:slug}; label= overrides; the legend
    and sources are table notes after the tabular, inside the threeparttable."""
    c = mc.compare(["Grok"], ["training_accelerators"], title="Grok's H100s, 2025!")
    text = c.render("latex", layout="column")
    assert "\\caption{Grok's H100s,{} 2025!}\n\\label{tab:grok-s-h100s-2025}" in text
    assert text.index("\\end{tabularx}") < text.index("\\begin{tablenotes}")
    assert text.index("\\end{tablenotes}") < text.index("\\end{threeparttable}")
    assert "\\label{tab:mine}" in c.render("latex", layout="page", label="tab:mine")
    assert "\\begin{table*}" in c.render("latex", layout="page")
    bare = mc.compare(["Grok"], ["training_accelerators"]).render("latex", layout="column")
    assert "\\caption" not in bare
    assert "\\label" not in bare
    assert "tablenotes" not in c.render("latex", layout="column", legend=False, sources=False)


def test_figures_align_in_a_gutter(reg: mc.Registry) -> None:
    """Each numeric cell's marks hang in a gutter as wide as the column's widest
    (\\rlap + \\phantom), so the figures' right ends line up."""
    c = mc.compare(["MAI-1", "Phi-3-mini"], ["parameters"], registry=reg)
    text = c.render("latex", layout="column")
    widest = max((row[0].suffix for row in c.rows), key=len)
    rows = [x for x in text.splitlines() if x.startswith(("MAI-1 &", "Phi-3-mini &"))]
    assert len(rows) == 2
    for line in rows:
        assert "\\rlap{" in line
        assert line.endswith(f"\\phantom{{{mc.render.escape_latex(widest)}}}}} \\\\")


@pytest.mark.parametrize(
    ("text", "places"),
    [("3.8", 1), ("14", 0), ("≈15,000", 0), ("≥1.76", 2), ("3.8–14", 0), ("3.8–14.25", 2)],
)
def test_decimals(text: str, places: int) -> None:
    """A plain figure's decimals are counted (the last number of a range)."""
    assert _decimals(text) == places


@pytest.mark.parametrize("text", ["—", "≈15,000 H100", "#13", "moe", "1 / 2"])
def test_decimals_of_other_text(text: str) -> None:
    """Text that is not one plain figure is not decimal-aligned."""
    assert _decimals(text) is None


def test_wide_characters_measure_wider() -> None:
    """Capitals and CJK count wider than lowercase letters and digits."""
    assert _em("MMLU") > _em("mmlu") * 0.9 > _em("1111")
    assert _em("通义") == 2.0


def test_bad_layout_and_engine() -> None:
    """A layout or engine that is not one raises InvalidValueError; engine needs a layout."""
    c = mc.compare(["Grok"], ["training_accelerators"])
    with pytest.raises(mc.InvalidValueError, match="layout must be one of column, page"):
        c.render("latex", layout="wide")
    with pytest.raises(mc.InvalidValueError, match="engine must be one of"):
        c.render("latex", layout="page", engine="tex")
    with pytest.raises(mc.InvalidValueError, match="go with layout="):
        c.render("latex", engine="xelatex")


def test_cli_engine_needs_layout(capsys: pytest.CaptureFixture[str]) -> None:
    """--engine without --layout is a usage error; --layout with Markdown too."""
    assert main(["compare", "Grok", "--format", "latex", "--engine", "xelatex"]) == 2
    assert "--engine and --label go with --layout" in capsys.readouterr().err
    assert main(["compare", "Grok", "--layout", "column"]) == 2
    assert "--layout goes with --format latex" in capsys.readouterr().err


# -- xelatex / lualatex ------------------------------------------------------------------------
QWEN = "通义千问 Qwen"
GREEK = "Ελληνικά αβγ"
EMOJI = "🚀"


def test_unicode_escape_keeps_scripts_and_escapes_specials() -> None:
    """Every script is kept, in its font's group; TeX's specials are still escaped."""
    assert escape_latex_unicode(QWEN) == "{\\modelcompareCJK 通义千问} Qwen"
    assert escape_latex_unicode("αβ & ü") == "{\\modelcompareOther αβ} \\& ü"
    assert escape_latex_unicode(EMOJI) == "{\\modelcompareEmoji 🚀}"
    assert escape_latex_unicode("\\input{x} 50%") == "\\textbackslash{}input\\{x\\} 50\\%"
    assert escape_latex_unicode("a\x00b") == "a\\texttt{U+0000}b"


@pytest.mark.parametrize("engine", ["xelatex", "lualatex"])
def test_engines_keep_cjk_greek_emoji(tmp_path: Path, engine: str) -> None:
    """With fontspec, CJK, Greek and emoji print as themselves (read back from the PDF),
    in the column layout of a two-column article."""
    if shutil.which(engine) is None or shutil.which("pdftotext") is None:
        pytest.skip(f"{engine} not installed")
    reg = user_registry(QWEN, f"{GREEK} {EMOJI}", f"{GREEK} {EMOJI}")
    c = mc.compare(["user-model"], registry=reg, title=f"{QWEN} {EMOJI}")
    fragment = c.render("latex", layout="column", engine=engine, notes=True)
    assert "U+" not in fragment
    text, log = compile_tex(tmp_path, XE_TWO_COLUMN % fragment, engine)
    assert "Missing character" not in log
    for want in (QWEN, GREEK, EMOJI):
        assert squeezed(want) in squeezed(text), want
    standalone = c.render("latex", layout="page", engine=engine, standalone=True)
    assert "\\usepackage{fontspec}" in standalone
    compile_tex(tmp_path / "standalone", standalone, engine)


@needs("pdflatex")
def test_pdflatex_fallback_stays(tmp_path: Path) -> None:
    """engine='pdflatex' (the default) still shows what it cannot set as U+XXXX."""
    c = mc.compare(["user-model"], registry=user_registry(QWEN, "n", "t"))
    fragment = c.render("latex", layout="column")
    assert "\\texttt{U+901A}" in fragment
    text, _ = compile_tex(tmp_path, TWO_COLUMN % fragment)
    assert "U+901A" in text
