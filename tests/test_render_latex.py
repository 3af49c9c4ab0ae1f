"""The LaTeX output compiles with pdflatex, whatever the text in it: the fragment
inside a document that loads only booktabs, and the standalone document.

pdflatex is slow: hypothesis runs few examples here. Skipped where pdflatex is
not installed (.ci/run installs texlive-latex-base texlive-latex-recommended).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import modelcompare as mc
from modelcompare import load_registry
from modelcompare.comparison import Comparison, compare
from modelcompare.testing import HOSTILE_TEXTS, hostile_text
from strategies import user_registry
from test_render_hostile import two_claims_registry

DONE = "R&D | <b>50%</b> \\input{x}"
UNICODE = "≈ ≥ ≤ – × é è ç ô ü Ø ß «guillemets» l’apostrophe 日本語 😀"

#: A document that loads nothing but booktabs, to hold a fragment.
MINIMAL = "\\documentclass{article}\n\\usepackage{booktabs}\n\\begin{document}\n%s\\end{document}\n"

needs_pdflatex = pytest.mark.skipif(
    shutil.which("pdflatex") is None or shutil.which("pdftotext") is None,
    reason="pdflatex or pdftotext not installed (.ci/run installs them)",
)


def pdflatex(folder: Path, source: str) -> str:
    """Compile ``source`` in ``folder``; the PDF's text (via pdftotext)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "table.tex").write_text(source, encoding="utf-8")
    run = subprocess.run(
        ["pdflatex", "-halt-on-error", "-interaction=nonstopmode", "-no-shell-escape", "table.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    pdf = folder / "table.pdf"
    assert pdf.is_file()
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def squeezed(text: str) -> str:
    """``text`` without white space (PDF text extraction spaces words its own way)
    and with ligatures (ﬁ) as letters."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def documents(c: Comparison) -> list[tuple[str, str]]:
    """The two ways to compile a comparison: fragment in a minimal document, standalone."""
    return [
        ("fragment", MINIMAL % c.to_latex(notes=True)),
        ("standalone", c.to_latex(standalone=True, notes=True)),
    ]


@needs_pdflatex
def test_the_hostile_name_compiles_and_prints(tmp_path: Path) -> None:
    """The done-criterion name (as name, note, title) compiles, fragment and standalone,
    and the PDF shows it; nothing is \\input (no file x.tex is asked for)."""
    c = compare(["user-model"], registry=user_registry(DONE, DONE, DONE), title=DONE)
    for kind, source in documents(c):
        text = pdflatex(tmp_path / kind, source)
        assert "x.tex" not in (tmp_path / kind / "table.log").read_text(errors="replace")
        assert squeezed(DONE) in squeezed(text)


@needs_pdflatex
def test_unicode_compiles(tmp_path: Path) -> None:
    """≈ ≥ ≤ – ×, accented letters, guillemets, l’apostrophe, CJK and emoji compile
    (the last as U+XXXX), fragment and standalone."""
    c = compare(["user-model"], registry=user_registry(UNICODE, UNICODE, UNICODE), title=UNICODE)
    for kind, source in documents(c):
        text = pdflatex(tmp_path / kind, source)
        assert "U+65E5" in text
        assert "U+1F600" in text
        assert "guillemets" in text


@needs_pdflatex
def test_every_hostile_string_compiles(tmp_path: Path) -> None:
    """One document holding a table for each HOSTILE_TEXTS string compiles, asks for no
    file (nothing is \\input), and the PDF shows each name's runs of ASCII letters
    and digits, in order."""
    tables = []
    names = []
    for text in HOSTILE_TEXTS:
        name = text if text.strip() else "blank"
        c = compare(["user-model"], registry=user_registry(name, name, name), title=name)
        tables.append(c.to_latex(notes=True))
        names.append(name)
    text = pdflatex(tmp_path, MINIMAL % "\n\\clearpage\n".join(tables))
    assert "x.tex" not in (tmp_path / "table.log").read_text(errors="replace")
    shown = squeezed(text)
    at = 0
    for name in names:
        for run in re.findall(r"[A-Za-z0-9]+", name):
            assert run in shown[at:], (name, run)
            at = shown.index(run, at)


@needs_pdflatex
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=hostile_text(allow_blank=False),
    note=hostile_text(allow_blank=False),
    title=hostile_text(allow_blank=False),
)
def test_any_text_compiles(tmp_path: Path, name: str, note: str, title: str) -> None:
    """Generated names, notes and titles compile, standalone; the PDF shows the
    name's runs of ASCII letters and digits."""
    c = compare(["user-model"], registry=user_registry(name, note, title), title=title)
    text = pdflatex(tmp_path / "any", c.to_latex(standalone=True, notes=True))
    for run in re.findall(r"[A-Za-z0-9]+", name):
        assert run in squeezed(text)


@needs_pdflatex
def test_each_claim_tables_compile(tmp_path: Path) -> None:
    """Each-claim tables compile, fragment and standalone: MAI-1 and GPT-4 (one
    superscript per piece) and a user model whose two claims have hostile notes and
    source titles; the PDF shows every piece's figure."""
    builtin = compare(
        ["MAI-1", "GPT-4"], ["parameters", "architecture"], claims="each", title="Each claim"
    )
    hostile = compare(
        ["user-model"],
        ["parameters"],
        registry=two_claims_registry(DONE, (DONE, UNICODE), (UNICODE, DONE)),
        title=DONE,
        claims="each",
    )
    for c in (builtin, hostile):
        for kind, source in documents(c):
            text = pdflatex(tmp_path / f"{c.models[0].id}-{kind}", source)
            assert "x.tex" not in (tmp_path / f"{c.models[0].id}-{kind}" / "table.log").read_text(
                errors="replace"
            )
            shown = squeezed(text)
            for cell in (cell for row in c.rows for cell in row):
                for piece in cell.pieces:
                    assert squeezed(piece.text) in shown
                    assert squeezed(piece.refs) in shown


# -- fitting the page -------------------------------------------------------------------------
#: An article page (default margins, 345 pt of text) with booktabs and graphicx.
ARTICLE = (
    "\\documentclass{article}\n\\usepackage{booktabs}\n\\usepackage{graphicx}\n"
    "\\begin{document}\n%s\\end{document}\n"
)

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext not installed; .ci/run installs poppler-utils",
)


def standard(name: str) -> Comparison:
    """One of the standard tables (modelcompare.tables)."""
    from modelcompare.tables import STANDARD_TABLES

    (spec,) = (s for s in STANDARD_TABLES if s.name == name)
    return spec.build(load_registry())


def overfull(folder: Path) -> list[str]:
    """The "Overfull \\hbox" lines of the log of the last compilation in ``folder``."""
    log = (folder / "table.log").read_text(errors="replace")
    return [line for line in log.splitlines() if "Overfull \\hbox" in line]


@needs_pdflatex
def test_standalone_tables_fit_the_page(tmp_path: Path) -> None:
    """The standalone training-hardware table (nine columns), the command line's
    `compare MAI-1-preview Grok`, and every standard table compile with no
    "Overfull \\hbox": nothing runs off the page."""
    from modelcompare.tables import STANDARD_TABLES

    tables = {
        "cli": compare(["MAI-1-preview", "Grok"]),
        **{spec.name: standard(spec.name) for spec in STANDARD_TABLES},
    }
    assert "landscape" in tables["training-hardware"].to_latex(standalone=True)
    for name, c in tables.items():
        pdflatex(tmp_path / name, c.to_latex(standalone=True, notes=True))
        assert overfull(tmp_path / name) == [], name


@needs_pdflatex
def test_the_fragment_fits_an_article_that_loads_graphicx(tmp_path: Path) -> None:
    """The training-hardware fragment (as tables/ holds it) in an article page that
    loads graphicx: scaled down to the line, nothing overfull; with booktabs alone it
    still compiles, at its natural width (wider than the line)."""
    fragment = standard("training-hardware").to_latex()
    pdflatex(tmp_path / "graphicx", ARTICLE % fragment)
    assert overfull(tmp_path / "graphicx") == []
    pdflatex(tmp_path / "booktabs", MINIMAL % fragment)
    assert overfull(tmp_path / "booktabs") != []


def word_box(folder: Path, word: str) -> tuple[float, float]:
    """Width and height of the first ``word`` in ``folder``'s PDF (pdftotext -bbox)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(folder / "table.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pattern = (
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
        + re.escape(word)
        + "</word>"
    )
    m = re.search(pattern, html)
    assert m, f"{word!r} not in the PDF"
    x0, y0, x1, y1 = map(float, m.groups())
    return round(x1 - x0, 2), round(y1 - y0, 2)


@needs_pdflatex
@needs_pdftotext
def test_fit_scales_wide_tables_down_and_never_enlarges_narrow_ones(tmp_path: Path) -> None:
    """With graphicx loaded, fit=True leaves a narrow table (two Phi-3s) at its natural size
    and scales the wide one down (without its title, which is never scaled); fit=False
    leaves both as they are."""
    sizes = {}
    narrow = compare(["Phi-3-mini", "Phi-3-medium"], ["parameters", "mmlu"])
    for name, first in (("narrow", "Phi-3-mini"), ("training-hardware", "MAI-1-preview")):
        c = narrow if name == "narrow" else replace(standard(name), title=None)
        for fit in (True, False):
            folder = tmp_path / f"{name}-{fit}"
            pdflatex(folder, ARTICLE % c.to_latex(fit=fit))
            sizes[name, fit] = word_box(folder, first)
    assert sizes["narrow", True] == sizes["narrow", False]
    assert sizes["training-hardware", True][0] < 0.9 * sizes["training-hardware", False][0]
    assert sizes["training-hardware", True][1] < sizes["training-hardware", False][1]


# -- long cells and long tables ---------------------------------------------------------------
def many_models(n: int, name: str = "Model {i:03d}") -> mc.Registry:
    """A registry of ``n`` user models, each with one parameter claim citing one source."""
    source = mc.Source(id="s", title="S", language="en", path="s.txt")
    models = []
    for i in range(n):
        claim = mc.Claim(
            subject=f"m{i}",
            field="parameters",
            value=mc.Estimate.about(i + 1, "Gparameter"),
            status=mc.Status.REPORTED,
            citations=(mc.Citation(source, "q"),),
        )
        models.append(
            mc.Model(id=f"m{i}", name=name.format(i=i), organization="O", stated_claims=(claim,))
        )
    return mc.Registry(models, {"s": source})


@needs_pdflatex
def test_a_name_of_thousands_of_characters_wraps_and_compiles(tmp_path: Path) -> None:
    """A 3,500-character model name (one long run, then many words) compiles,
    fragment and standalone, instead of growing past TeX's largest dimension
    ('Dimension too large'): the PDF shows its first LONG_TEXT characters, wrapped,
    then the cut mark, and a line under the table says it was cut."""
    from modelcompare.render.latex import LONG_TEXT

    name = "X" * 1500 + " " + " ".join(["word"] * 400)
    c = compare(["user-model"], registry=user_registry(name, "n", "t"), title="t")
    for kind, source in documents(c):
        text = pdflatex(tmp_path / kind, source)
        assert squeezed(name[:LONG_TEXT] + " […]") in squeezed(text)
        assert "text cut at 300 characters" in " ".join(text.split())
    short = compare(["user-model"], registry=user_registry("X" * 200, "n", "t"), title="t")
    text = pdflatex(tmp_path / "short", short.to_latex(standalone=True))
    assert "X" * 200 in squeezed(text)  # shorter: all of it, wrapped, no mark
    assert "[…]" not in text


@needs_pdflatex
@pytest.mark.parametrize("rows", [41, 150])
def test_long_tables_break_across_pages_and_keep_every_row(tmp_path: Path, rows: int) -> None:
    """A table of more than LONG_TABLE_ROWS rows is a longtable: it compiles, fragment
    (with booktabs and longtable) and standalone, runs over several pages with the
    header on each, and the PDF shows every row, in order."""
    c = compare([f"m{i}" for i in range(rows)], registry=many_models(rows))
    fragment = c.to_latex()
    assert "\\begin{longtable}" in fragment
    minimal = MINIMAL.replace("\\usepackage{booktabs}", "\\usepackage{booktabs,longtable}")
    for kind, source in [
        ("fragment", minimal % fragment),
        ("standalone", c.to_latex(standalone=True)),
    ]:
        text = pdflatex(tmp_path / kind, source)
        at = 0
        for i in range(rows):
            at = text.index(f"Model {i:03d}", at)
        pages = text.count("\f")
        if rows > 60:
            assert pages >= 2
            assert text.count("Parameters") >= pages


def test_short_tables_stay_tabulars() -> None:
    """Up to LONG_TABLE_ROWS rows the table is a tabular (which can be scaled to fit)."""
    from modelcompare.render.latex import LONG_TABLE_ROWS

    n = LONG_TABLE_ROWS
    c = compare([f"m{i}" for i in range(n)], registry=many_models(n))
    assert "\\begin{tabular}" in c.to_latex()
    assert "longtable" not in c.to_latex()
