"""The renderers: the format registry, and the exact output of each format
(golden strings written out line by line) for small fixed comparisons."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest

import modelcompare as mc
from modelcompare.comparison import Comparison, compare
from modelcompare.render import (
    FORMATS,
    RENDERERS,
    UnknownFormatError,
    escape_csv,
    render,
)
from modelcompare.tables import STANDARD_TABLES


def joined(*lines: str) -> str:
    """The lines of an expected output, joined with newlines."""
    return "\n".join(lines)


@pytest.fixture(scope="module")
def chips(reg: mc.Registry) -> Comparison:
    """MAI-1-preview and Grok on training accelerators, against MAI-1-preview."""
    return compare(
        ["MAI-1-preview", "Grok"], ["training_accelerators"], vs="MAI-1-preview", registry=reg
    )


@pytest.fixture(scope="module")
def phi3(reg: mc.Registry) -> Comparison:
    """The Phi-3 family and GPT-4 on parameters and two benchmarks."""
    return compare(
        ["Phi-3-mini", "Phi-3-small", "Phi-3-medium", "GPT-4"],
        ["parameters", "mmlu", "mt_bench"],
        registry=reg,
    )


@pytest.fixture(scope="module")
def gpt4(reg: mc.Registry) -> Comparison:
    """GPT-4's parameters, where the sources differ, with a title."""
    return compare(["GPT-4"], ["parameters"], registry=reg, title="GPT-4")


#: The legend's meaning of * in the chips table: the ratio compares H100 counts only.
PARTIAL = (
    "partial ratio: it compares H100 counts only; MAI-1-preview also names GB200 with no count"
)
#: The first line of every LaTeX fragment.
LATEX_HEAD = (
    r"% modelcompare table for pdflatex; needs \usepackage{booktabs}; "
    r"with \usepackage{graphicx} a table wider than the line is scaled down to fit"
)
#: How a fragment shows its tabular (saved in box 0): scaled down to the line where it
#: is wider and graphicx is loaded, else as it is.
LATEX_FIT = (
    r"\noindent\ifdefined\resizebox\ifdim\wd0>\linewidth"
    r"\resizebox{\linewidth}{!}{\box0}\else\box0\fi\else\box0\fi"
)
MARKDOWN_CHIPS = joined(
    "| Model | Training accelerators | × MAI-1-preview |",
    "| :--- | ---: | ---: |",
    r"| MAI-1-preview | ≈15,000 H100 + ? GB200 \[1, 2\] | 1.00 \[1, 2\] |",
    r"| Grok | ≥100,000 H100 \[2\] | ≥6.45 \* \[1, 2\] |",
    "",
    "- ≈: about (as rounded by the source)",
    "- ≥: at least (more than)",
    "- ?: a figure the source does not give (it names only the unit)",
    f"- \\*: {PARTIAL}",
    "- × MAI-1-preview: the value divided by MAI-1-preview's (bounds carried through)",
    "",
    "Sources:",
    "",
    "1. Microsoft a lancé des tests publics de son modèle de langage AI MAI-1-preview, "
    "2025-08 (inferred), seeds/003_3555696a0762c708.txt",
    "2. Microsoft lance ses propres modèles d'intelligence artificielle maison, "
    "2025-08 (inferred), seeds/004_0207edb4e130b79e.txt",
    "",
)
MARKDOWN_PHI3 = joined(
    "| Model | Parameters (B) | MMLU (%) | MT-bench |",
    "| :--- | ---: | ---: | ---: |",
    r"| Phi-3-mini | 3.8 \[1\] | 69 \[1\] | 8.38 \[1\] |",
    r"| Phi-3-small | 7 \[1\] | 75 \[1\] | 8.7 \[1\] |",
    r"| Phi-3-medium | 14 \[1\] | 78 \[1\] | 8.9 \[1\] |",
    r"| GPT-4 | 1,760 † § \[1, 2\] | — | — |",
    "",
    "- —: no figure reported",
    "- †: rumored (the value rests on claims the sources report as rumors)",
    "- §: sources differ (their figures differ but are compatible; the value shown is "
    "the narrowest consistent with all)",
    "",
    "Sources:",
    "",
    "1. Des courriels révèlent que l'investissement d'un milliard de dollars de "
    "Microsoft dans OpenAI a été déclenché par les craintes de Google, 2024-05, "
    "seeds/002_365bd2d46b3bd044.txt",
    "2. Selon un rapport de The Information, Microsoft travaille sur un LLM à "
    "paramètre 500B appelé MAI-1 qui pourrait s'attaquer à GPT-4 et à Google. Gemini "
    "modèles, 2024-05 (inferred), seeds/001_4022a1ddfa93b453.txt",
    "",
)
MARKDOWN_GPT4 = joined(
    "**GPT-4**",
    "",
    "| Model | Parameters (T) |",
    "| :--- | ---: |",
    r"| GPT-4 | 1.76 † § \[1, 2\] |",
    "",
    "- †: rumored (the value rests on claims the sources report as rumors)",
    "- §: sources differ (their figures differ but are compatible; the value shown is "
    "the narrowest consistent with all)",
    "",
    "Sources:",
    "",
    "1. Selon un rapport de The Information, Microsoft travaille sur un LLM à "
    "paramètre 500B appelé MAI-1 qui pourrait s'attaquer à GPT-4 et à Google. Gemini "
    "modèles, 2024-05 (inferred), seeds/001_4022a1ddfa93b453.txt",
    "2. Des courriels révèlent que l'investissement d'un milliard de dollars de "
    "Microsoft dans OpenAI a été déclenché par les craintes de Google, 2024-05, "
    "seeds/002_365bd2d46b3bd044.txt",
    "",
)
LATEX_CHIPS = joined(
    LATEX_HEAD,
    r"\setbox0=\hbox{\begin{tabular}{lrr}",
    r"\toprule",
    "Model & Training accelerators & \\ensuremath{\\times} MAI-1-preview \\\\",
    r"\midrule",
    r"MAI-1-preview & \ensuremath{\approx}15,000 H100 + ? "
    "GB200\\textsuperscript{{[}1, 2{]}} & 1.00\\textsuperscript{{[}1, 2{]}} \\\\",
    r"Grok & \ensuremath{\geq}100,000 H100\textsuperscript{{[}2{]}} & "
    "\\ensuremath{\\geq}6.45\\textsuperscript{{*} {[}1, 2{]}} \\\\",
    r"\bottomrule",
    r"\end{tabular}}%",
    LATEX_FIT,
    r"\begin{description}\small\raggedright",
    r"\item[{\mdseries \ensuremath{\approx}}] about (as rounded by the source)",
    r"\item[{\mdseries \ensuremath{\geq}}] at least (more than)",
    r"\item[{\mdseries ?}] a figure the source does not give (it names only the unit)",
    r"\item[{\mdseries {*}}] " + PARTIAL,
    r"\item[{\mdseries \ensuremath{\times} MAI-1-preview}] the value divided by "
    "MAI-1-preview's (bounds carried through)",
    r"\end{description}",
    r"\noindent Sources:",
    r"\begin{itemize}\small\raggedright",
    r"\item[{{[}1{]}}] Microsoft a lancé des tests publics de son modèle de langage AI "
    r"MAI-1-preview, 2025-08 (inferred), "
    r"\texttt{seeds/\allowbreak{}003\_\allowbreak{}3555696a0762c708.txt}",
    r"\item[{{[}2{]}}] Microsoft lance ses propres modèles d'intelligence artificielle "
    r"maison, 2025-08 (inferred), "
    r"\texttt{seeds/\allowbreak{}004\_\allowbreak{}0207edb4e130b79e.txt}",
    r"\end{itemize}",
    "",
)
HTML_CHIPS = joined(
    '<table class="modelcompare">',
    "<thead>",
    '<tr><th scope="col">Model</th><th scope="col" class="num">Training '
    'accelerators</th><th scope="col" class="num">× MAI-1-preview</th></tr>',
    "</thead>",
    "<tbody>",
    '<tr><th scope="row">MAI-1-preview</th><td class="num">≈15,000 H100 + ? GB200 '
    '<sup>[1,&nbsp;2]</sup></td><td class="num">1.00 <sup>[1,&nbsp;2]</sup></td></tr>',
    '<tr><th scope="row">Grok</th><td class="num">≥100,000 H100 <sup>[2]</sup></td><td '
    'class="num">≥6.45 <sup>*&nbsp;[1,&nbsp;2]</sup></td></tr>',
    "</tbody>",
    "</table>",
    '<ul class="modelcompare-legend">',
    "<li>≈: about (as rounded by the source)</li>",
    "<li>≥: at least (more than)</li>",
    "<li>?: a figure the source does not give (it names only the unit)</li>",
    f"<li>*: {PARTIAL}</li>",
    "<li>× MAI-1-preview: the value divided by MAI-1-preview's (bounds carried through)</li>",
    "</ul>",
    "<p>Sources:</p>",
    '<ol class="modelcompare-sources">',
    "<li>Microsoft a lancé des tests publics de son modèle de langage AI "
    "MAI-1-preview, 2025-08 (inferred), "
    "<code>seeds/003_3555696a0762c708.txt</code></li>",
    "<li>Microsoft lance ses propres modèles d'intelligence artificielle maison, "
    "2025-08 (inferred), <code>seeds/004_0207edb4e130b79e.txt</code></li>",
    "</ol>",
    "",
)
JSON_GPT4 = joined(
    "{",
    '  "title": "GPT-4",',
    '  "vs": null,',
    '  "columns": [',
    "    {",
    '      "key": "parameters",',
    '      "field": "parameters",',
    '      "header": "Parameters (T)",',
    '      "kind": "quantity",',
    '      "unit": "parameter"',
    "    }",
    "  ],",
    '  "rows": [',
    "    {",
    '      "id": "gpt-4",',
    '      "name": "GPT-4",',
    '      "organization": "OpenAI",',
    '      "status": "released",',
    '      "cells": [',
    "        {",
    '          "column": "parameters",',
    '          "display": "1.76 T parameters",',
    '          "marks": [',
    '            "†",',
    '            "§"',
    "          ],",
    '          "flags": [',
    '            "rumored",',
    '            "sources differ"',
    "          ],",
    '          "bound": "exact",',
    '          "nominal": 1760000000000.0,',
    '          "low": 1760000000000.0,',
    '          "high": 1760000000000.0,',
    '          "unit": "parameter",',
    '          "status": [',
    '            "rumored"',
    "          ],",
    '          "sources": [',
    "            1,",
    "            2",
    "          ],",
    '          "claims": [',
    "            {",
    '              "value": "1.76 T parameters",',
    '              "status": "rumored",',
    '              "as_of": "2024-05",',
    '              "sources": [',
    "                1",
    "              ],",
    '              "quotes": [',
    "                {",
    '                  "source": 1,',
    '                  "quote": "Le modèle GPT-4 aurait 1,76 T de paramètres"',
    "                }",
    "              ]",
    "            },",
    "            {",
    '              "value": "≥1,000 B parameters",',
    '              "status": "rumored",',
    '              "as_of": "2024-05",',
    '              "sources": [',
    "                2",
    "              ],",
    '              "quotes": [',
    "                {",
    '                  "source": 2,',
    '                  "quote": "GPT-4 d\'OpenAI, qui aurait plus de 1 000 milliards '
    'de paramètres"',
    "                }",
    "              ]",
    "            }",
    "          ]",
    "        }",
    "      ]",
    "    }",
    "  ],",
    '  "sources": [',
    "    {",
    '      "number": 1,',
    '      "id": "seed-001",',
    '      "title": "Selon un rapport de The Information, Microsoft travaille sur un '
    "LLM à paramètre 500B appelé MAI-1 qui pourrait s'attaquer à GPT-4 et à Google. "
    'Gemini modèles",',
    '      "date": "2024-05",',
    '      "date_basis": "inferred",',
    '      "path": "seeds/001_4022a1ddfa93b453.txt",',
    '      "url": null',
    "    },",
    "    {",
    '      "number": 2,',
    '      "id": "seed-002",',
    '      "title": "Des courriels révèlent que l\'investissement d\'un milliard de '
    'dollars de Microsoft dans OpenAI a été déclenché par les craintes de Google",',
    '      "date": "2024-05",',
    '      "date_basis": "stated",',
    '      "path": "seeds/002_365bd2d46b3bd044.txt",',
    '      "url": null',
    "    }",
    "  ],",
    '  "legend": [',
    "    {",
    '      "mark": "†",',
    '      "meaning": "rumored (the value rests on claims the sources report as rumors)"',
    "    },",
    "    {",
    '      "mark": "§",',
    '      "meaning": "sources differ (their figures differ but are compatible; the '
    'value shown is the narrowest consistent with all)"',
    "    }",
    "  ]",
    "}",
    "",
)

CSV_CHIPS = (
    "\ufeff"
    "Model,training_accelerators,training_accelerators nominal,training_accelerators low,"
    "training_accelerators high,training_accelerators unit,training_accelerators bound,"
    "training_accelerators flags,training_accelerators rumored,training_accelerators derived,"
    "training_accelerators sources differ,training_accelerators conflict,"
    "training_accelerators partial,training_accelerators chips with no count,"
    "training_accelerators sources,training_accelerators × MAI-1-preview,"
    "training_accelerators × MAI-1-preview nominal [dimensionless],"
    "training_accelerators × MAI-1-preview low [dimensionless],"
    "training_accelerators × MAI-1-preview high [dimensionless],"
    "training_accelerators × MAI-1-preview bound,training_accelerators × MAI-1-preview flags,"
    "training_accelerators × MAI-1-preview rumored,training_accelerators × MAI-1-preview derived,"
    "training_accelerators × MAI-1-preview sources differ,"
    "training_accelerators × MAI-1-preview conflict,training_accelerators × MAI-1-preview partial,"
    "training_accelerators × MAI-1-preview sources,sources\r\n"
    'MAI-1-preview,"≈15,000 H100 + ? GB200",15000.0,14500.0,15500.0,H100,approx,,'
    'false,false,false,false,false,GB200,"1, 2",'
    '1,1.0,1.0,1.0,exact,,false,false,false,false,false,"1, 2",'
    '"[1] Microsoft a lancé des tests publics de son modèle de langage AI MAI-1-preview, '
    "2025-08 (inferred), seeds/003_3555696a0762c708.txt\n"
    "[2] Microsoft lance ses propres modèles d'intelligence artificielle maison, "
    '2025-08 (inferred), seeds/004_0207edb4e130b79e.txt"\r\n'
    'Grok,"≥100,000 H100",100000.0,100000.0,,H100,at_least,,false,false,false,false,false,,2,'
    "≥6.45,6.666666666666667,6.451612903225807,,at_least,partial,false,false,false,false,true,"
    '"1, 2",'
    '"[1] Microsoft a lancé des tests publics de son modèle de langage AI MAI-1-preview, '
    "2025-08 (inferred), seeds/003_3555696a0762c708.txt\n"
    "[2] Microsoft lance ses propres modèles d'intelligence artificielle maison, "
    '2025-08 (inferred), seeds/004_0207edb4e130b79e.txt"\r\n'
)


# -- golden outputs -------------------------------------------------------------------------
def test_markdown_chips(chips: Comparison) -> None:
    """Markdown: every kind of chip, the ratio column, legend and numbered sources."""
    assert chips.to_markdown() == MARKDOWN_CHIPS


def test_markdown_phi3(phi3: Comparison) -> None:
    """Markdown: one scale per column (3.8 and 1,760 in B), units in the headers."""
    assert phi3.to_markdown() == MARKDOWN_PHI3


def test_markdown_gpt4(gpt4: Comparison) -> None:
    """Markdown: the title, and the "sources differ" and rumored marks."""
    assert gpt4.to_markdown() == MARKDOWN_GPT4
    assert str(gpt4) == MARKDOWN_GPT4


def test_latex_chips(chips: Comparison) -> None:
    """LaTeX: a booktabs tabular, math-mode symbols, braced brackets, itemized notes."""
    assert chips.to_latex() == LATEX_CHIPS


def test_latex_standalone_wraps_the_fragment(chips: Comparison) -> None:
    """standalone=True gives a whole document around the same fragment, loading
    graphicx (so a wide table is scaled down) on a portrait page for a narrow table."""
    doc = chips.to_latex(standalone=True)
    assert doc.startswith("\\documentclass{article}\n")
    assert "\\usepackage{booktabs}\n\\usepackage{longtable}\n\\usepackage{graphicx}\n" in doc
    assert "\\usepackage[margin=2cm]{geometry}\n" in doc
    assert doc.endswith("\\begin{document}\n" + LATEX_CHIPS + "\\end{document}\n")


def wide(reg: mc.Registry) -> Comparison:
    """The standard training-hardware table: nine columns, wider than any portrait page."""
    (spec,) = (s for s in STANDARD_TABLES if s.name == "training-hardware")
    return spec.build(reg)


def test_latex_wide_table_is_landscape_with_stacked_headers(reg: mc.Registry) -> None:
    """A table wider than a page goes on a landscape page when standalone, and its
    long headers are stacked in lines no wider than their column's cells; a narrow
    table's are not."""
    c = wide(reg)
    doc = c.to_latex(standalone=True)
    assert "\\usepackage[landscape, margin=2cm]{geometry}\n" in doc
    fragment = c.to_latex()
    assert doc.endswith("\\begin{document}\n" + fragment + "\\end{document}\n")
    header = fragment.splitlines()[4]
    assert header.startswith("Model & Training accelerators & ")
    assert r"\begin{tabular}[b]{@{}r@{}}Training \\ H100-equivalents \\ (H100)\end{tabular}" in (
        header
    )
    assert r"\begin{tabular}[b]{@{}r@{}}\ensuremath{\times} \\ MAI-1-preview\end{tabular}" in (
        header
    )
    assert "[b]" not in LATEX_CHIPS


def test_latex_fit_false_is_the_plain_tabular(chips: Comparison) -> None:
    """fit=False: the tabular as it is, never scaled (no box, no \\resizebox)."""
    plain = chips.to_latex(fit=False)
    assert chips.render("latex", fit=False) == plain
    lines = plain.splitlines()
    assert lines[1] == r"\noindent\begin{tabular}{lrr}"
    assert lines[lines.index(r"\bottomrule") + 1 : lines.index(r"\bottomrule") + 3] == [
        r"\end{tabular}",
        r"\begin{description}\small\raggedright",
    ]
    assert "setbox" not in plain
    assert "resizebox" not in plain
    assert plain.replace(lines[1], "") == LATEX_CHIPS.replace(
        "\\setbox0=\\hbox{\\begin{tabular}{lrr}", ""
    ).replace("\\end{tabular}}%\n" + LATEX_FIT, "\\end{tabular}")


def test_html_chips(chips: Comparison) -> None:
    """HTML: thead/tbody, th scope, numeric cells right-aligned, sources as an <ol>."""
    assert chips.to_html() == HTML_CHIPS


def test_html_standalone_is_a_page(chips: Comparison) -> None:
    """standalone=True gives a page with a doctype, a UTF-8 charset and a style."""
    page = chips.to_html(standalone=True)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')
    assert "<style>" in page
    assert HTML_CHIPS in re.sub(r' data-(?:sort|type)="[^"]*"', "", page)
    assert page.endswith("</script>\n</body>\n</html>\n")


def test_csv_chips(chips: Comparison) -> None:
    """CSV: a BOM, CRLF rows, numeric columns per end, the chip, flags and sources."""
    assert chips.to_csv() == CSV_CHIPS


def test_json_gpt4(gpt4: Comparison) -> None:
    """JSON: cells with bound, numbers, unit, status, sources, claims with their quotes."""
    assert gpt4.to_json() == JSON_GPT4


# -- the registry of formats ----------------------------------------------------------------
def test_formats_are_a_named_registry(chips: Comparison) -> None:
    """FORMATS names the renderers; render(fmt) and the to_* methods agree."""
    assert FORMATS == ("markdown", "latex", "html", "csv", "json")
    assert tuple(RENDERERS) == FORMATS
    assert all(callable(f.escape) for f in RENDERERS.values())
    assert chips.render("markdown") == chips.to_markdown() == render(chips, "markdown")
    assert chips.render("latex", standalone=True) == chips.to_latex(standalone=True)
    assert chips.render("html", notes=True) == chips.to_html(notes=True)
    assert chips.render("csv") == chips.to_csv()
    assert chips.render("json") == chips.to_json()


def test_an_unknown_format_lists_the_choices(chips: Comparison) -> None:
    """An unknown format raises a ValueError (UnknownFormatError) naming every format."""
    with pytest.raises(ValueError, match="markdown, latex, html, csv, json") as info:
        chips.render("docx")
    assert isinstance(info.value, UnknownFormatError)
    assert isinstance(info.value, mc.ModelCompareError)
    assert info.value.choices == FORMATS


def test_an_option_of_another_format_is_refused(chips: Comparison) -> None:
    """An option the format does not take raises TypeError naming its options."""
    with pytest.raises(TypeError, match="takes no option 'standalone'"):
        chips.render("markdown", standalone=True)


def test_notes_are_added_on_request(chips: Comparison) -> None:
    """notes=True adds the models' and claims' notes in every format."""
    note = "seed-004 does not say which Grok version it means."
    for fmt in FORMATS:
        assert note not in chips.render(fmt)
        assert note in chips.render(fmt, notes=True)


# -- CSV and pandas details -----------------------------------------------------------------
@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_neutralises_formulas(text: str) -> None:
    """A text cell that a spreadsheet would read as a formula gets a leading quote."""
    assert escape_csv(text) == "'" + text
    assert escape_csv("a" + text) == "a" + text


def test_csv_negative_numbers_stay_numbers() -> None:
    """A negative figure is neutralised in its text column but a real number in its
    numeric columns."""
    source = mc.Source(id="s", title="S", language="en", path="s.txt")
    claim = mc.Claim(
        "m", "parameters", mc.Estimate.exact(-5, "Gparameter"), mc.Status.OFFICIAL,
        (mc.Citation(source, "q"),),
    )  # fmt: skip
    model = mc.Model(id="m", name="M", organization="O", stated_claims=(claim,))
    comparison = compare(["M"], ["parameters"], registry=mc.Registry([model], {"s": source}))
    rows = list(csv.DictReader(io.StringIO(comparison.to_csv().removeprefix("\ufeff"))))
    assert rows[0]["parameters"] == "'-5 B parameters"
    assert rows[0]["parameters nominal [parameter]"] == "-5000000000.0"


def test_to_frame_has_float_columns_and_model_index(chips: Comparison, phi3: Comparison) -> None:
    """to_frame(): index = model names, numbers as float64 (NaN where unbounded),
    units in the column names (each field's one unit), legend and sources in attrs."""
    df = phi3.to_frame()
    assert list(df.index) == ["Phi-3-mini", "Phi-3-small", "Phi-3-medium", "GPT-4"]
    assert df.index.name == "Model"
    assert str(df["parameters low [parameter]"].dtype) == "float64"
    assert df.loc["GPT-4", "parameters nominal [parameter]"] == 1.76e12
    assert df["mmlu nominal [percent]"].isna().tolist() == [False, False, False, True]
    assert df.loc["GPT-4", "parameters"] == "1.76 T parameters"  # its own, as it reads alone
    assert df.loc["GPT-4", "parameters flags"] == "rumored; sources differ"
    assert df.attrs["units"] == {
        "parameters": "parameter",
        "mmlu": "percent",
        "mt_bench": "mt_bench_point",
    }
    assert bool(df.loc["GPT-4", "parameters rumored"])
    assert not bool(df.loc["Phi-3-mini", "parameters rumored"])
    assert str(df["parameters rumored"].dtype) == "bool"
    assert df.loc["Phi-3-mini", "parameters bound"] == "exact"
    assert set(df.attrs["legend"]) == {"—", "†", "§"}
    frame = chips.to_frame()
    assert frame["training_accelerators high"].isna().tolist() == [False, True]
    assert frame["training_accelerators unit"].tolist() == ["H100", "H100"]
    assert frame["training_accelerators chips with no count"].tolist() == ["GB200", ""]
    numeric = [name for name in df.columns if name.endswith("]")]
    assert all(str(df[name].dtype) == "float64" for name in numeric)


def test_importing_the_package_loads_no_renderer_dependency() -> None:
    """import modelcompare, and even compare(), load neither pandas, tabulate nor markdown-it."""
    code = (
        "import sys, modelcompare as mc\n"
        "mc.compare(['GPT-4'], ['parameters']).to_markdown()\n"
        "print(sorted(m for m in ('pandas', 'tabulate', 'markdown_it') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_an_external_source_url_is_a_link(reg: mc.Registry) -> None:
    """An external source (a spec sheet kept as an excerpt file) is cited by its URL,
    which HTML links (escaped), not in <code>; a seed article's path stays in <code>."""
    c = compare(["Grok"], ["training_power"], registry=reg)
    page = c.to_html()
    url = "https://glennklockwood.com/garden/processors/h100"
    assert f'<a href="{url}">{url}</a></li>' in page
    assert "<code>https://" not in page
    assert "<code>seeds/004_0207edb4e130b79e.txt</code></li>" in page
    assert read_links(page) == [
        url,
        "https://archive-lib.hpctech.co.jp/gpuproduct/nvidia-h100.html",
    ]


def test_only_web_urls_are_links() -> None:
    """A source cited by a path is never a link, whatever the path says."""
    source = mc.Source(
        id="s", title="S", language="en", path="javascript:alert(1)", url="https://example.org/"
    )
    claim = mc.Claim(
        "m", "mmlu", mc.Estimate.exact(50, "percent"), mc.Status.OFFICIAL,
        (mc.Citation(source, "q"),),
    )  # fmt: skip
    model = mc.Model(id="m", name="M", organization="O", stated_claims=(claim,))
    page = compare(["M"], registry=mc.Registry([model], {"s": source})).to_html()
    assert "<li>S, <code>javascript:alert(1)</code></li>" in page
    assert "<a " not in page


def read_links(page: str) -> list[str]:
    """The href of every <a> in an HTML page, as html.parser reads them."""
    from html.parser import HTMLParser

    links: list[str] = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "a":
                links.extend(v or "" for k, v in attrs if k == "href")

    Reader().feed(page)
    return links


def test_json_numbers_the_sources_once_per_table(
    reg: mc.Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JSON builds the map of source numbers once for the table, not once per cell,
    and every cell's claims cite by those numbers."""
    from modelcompare.render import json as render_module

    calls = []
    numbers = render_module._source_numbers

    def counting(c: Comparison) -> dict[str, int]:
        calls.append(c)
        return numbers(c)

    monkeypatch.setattr(render_module, "_source_numbers", counting)
    c = compare(["MAI-1", "GPT-4", "Phi-3-mini"], ["parameters", "mmlu"], registry=reg)
    doc = json.loads(c.to_json())
    assert len(calls) == 1
    cited = {
        n
        for row in doc["rows"]
        for cell in row["cells"]
        for cl in cell["claims"]
        for n in cl["sources"]
    }
    assert cited == set(range(1, len(c.sources) + 1))


def test_a_url_source_is_a_link() -> None:
    """A source with only a URL is linked in HTML and Markdown, written out elsewhere."""
    source = mc.Source(id="s", title="S", language="en", url="https://example.org/a?b=1&c=2")
    claim = mc.Claim(
        "m", "mmlu", mc.Estimate.exact(50, "percent"), mc.Status.OFFICIAL,
        (mc.Citation(source, "q"),),
    )  # fmt: skip
    model = mc.Model(id="m", name="M", organization="O", stated_claims=(claim,))
    c = compare(["M"], registry=mc.Registry([model], {"s": source}))
    assert (
        '<li>S, <a href="https://example.org/a?b=1&amp;c=2">'
        "https://example.org/a?b=1&amp;c=2</a></li>" in c.to_html()
    )
    assert "1. S, <https://example.org/a?b=1&c=2>\n" in c.to_markdown()  # a CommonMark autolink
    assert json.loads(c.to_json())["sources"][0]["url"] == "https://example.org/a?b=1&c=2"


# -- every claim side by side (claims="each") ----------------------------------------------
@pytest.fixture(scope="module")
def each(reg: mc.Registry) -> Comparison:
    """MAI-1 and GPT-4 on parameters, every claim side by side."""
    return compare(["MAI-1", "GPT-4"], ["parameters"], registry=reg, claims="each")


EACH_LEGEND = (
    "each claim's own figure, marks and sources (stated claims in the order of the data, "
    "then derived ones; claims with the same figure, status and sources shown once)"
)
EACH_RUMORED = "rumored (the figure rests on claims the sources report as rumors)"
SOURCE_000 = (
    "Selon différentes sources, Microsoft développerait un nouveau modèle LLM gigantesque "
    "dénommé « MAI-1 », 2024-05"
)
SOURCE_001 = (
    "Selon un rapport de The Information, Microsoft travaille sur un LLM à paramètre 500B "
    "appelé MAI-1 qui pourrait s'attaquer à GPT-4 et à Google. Gemini modèles, 2024-05 (inferred)"
)
SOURCE_002 = (
    "Des courriels révèlent que l'investissement d'un milliard de dollars de Microsoft dans "
    "OpenAI a été déclenché par les craintes de Google, 2024-05"
)
MARKDOWN_EACH = joined(
    "| Model | Parameters (B) |",
    "| :--- | ---: |",
    r"| MAI-1 | ≥500 † \[1\] / 500 \[2\] / ≈500 \[3\] |",
    r"| GPT-4 | 1,760 † \[2\] / ≥1,000 † \[3\] |",
    "",
    f"- a / b: {EACH_LEGEND}",
    "- ≈: about (as rounded by the source)",
    "- ≥: at least (more than)",
    f"- †: {EACH_RUMORED}",
    "",
    "Sources:",
    "",
    f"1. {SOURCE_000}, seeds/000_3dcffc240143bb37.txt",
    f"2. {SOURCE_001}, seeds/001_4022a1ddfa93b453.txt",
    f"3. {SOURCE_002}, seeds/002_365bd2d46b3bd044.txt",
    "",
)
LATEX_EACH = joined(
    LATEX_HEAD,
    r"\setbox0=\hbox{\begin{tabular}{lr}",
    r"\toprule",
    r"Model & Parameters (B) \\",
    r"\midrule",
    r"MAI-1 & \ensuremath{\geq}500\textsuperscript{\ensuremath{\dagger} {[}1{]}} / "
    r"500\textsuperscript{{[}2{]}} / \ensuremath{\approx}500\textsuperscript{{[}3{]}} \\",
    r"GPT-4 & 1,760\textsuperscript{\ensuremath{\dagger} {[}2{]}} / "
    r"\ensuremath{\geq}1,000\textsuperscript{\ensuremath{\dagger} {[}3{]}} \\",
    r"\bottomrule",
    r"\end{tabular}}%",
    LATEX_FIT,
    r"\begin{description}\small\raggedright",
    r"\item[{\mdseries a / b}] " + EACH_LEGEND,
    r"\item[{\mdseries \ensuremath{\approx}}] about (as rounded by the source)",
    r"\item[{\mdseries \ensuremath{\geq}}] at least (more than)",
    r"\item[{\mdseries \ensuremath{\dagger}}] " + EACH_RUMORED,
    r"\end{description}",
    r"\noindent Sources:",
    r"\begin{itemize}\small\raggedright",
    r"\item[{{[}1{]}}] Selon différentes sources, Microsoft développerait un nouveau modèle "
    r"LLM gigantesque dénommé {\fontencoding{T1}\selectfont\guillemotleft} MAI-1 "
    r"{\fontencoding{T1}\selectfont\guillemotright}, 2024-05, "
    r"\texttt{seeds/\allowbreak{}000\_\allowbreak{}3dcffc240143bb37.txt}",
    r"\item[{{[}2{]}}] "
    + SOURCE_001
    + ", "
    + r"\texttt{seeds/\allowbreak{}001\_\allowbreak{}4022a1ddfa93b453.txt}",
    r"\item[{{[}3{]}}] "
    + SOURCE_002
    + ", "
    + r"\texttt{seeds/\allowbreak{}002\_\allowbreak{}365bd2d46b3bd044.txt}",
    r"\end{itemize}",
    "",
)
HTML_EACH = joined(
    '<table class="modelcompare">',
    "<thead>",
    '<tr><th scope="col">Model</th><th scope="col" class="num">Parameters (B)</th></tr>',
    "</thead>",
    "<tbody>",
    '<tr><th scope="row">MAI-1</th><td class="num">≥500 <sup>†&nbsp;[1]</sup> / '
    "500 <sup>[2]</sup> / ≈500 <sup>[3]</sup></td></tr>",
    '<tr><th scope="row">GPT-4</th><td class="num">1,760 <sup>†&nbsp;[2]</sup> / '
    "≥1,000 <sup>†&nbsp;[3]</sup></td></tr>",
    "</tbody>",
    "</table>",
    '<ul class="modelcompare-legend">',
    f"<li>a / b: {EACH_LEGEND}</li>",
    "<li>≈: about (as rounded by the source)</li>",
    "<li>≥: at least (more than)</li>",
    f"<li>†: {EACH_RUMORED}</li>",
    "</ul>",
    "<p>Sources:</p>",
    '<ol class="modelcompare-sources">',
    f"<li>{SOURCE_000}, <code>seeds/000_3dcffc240143bb37.txt</code></li>",
    f"<li>{SOURCE_001}, <code>seeds/001_4022a1ddfa93b453.txt</code></li>",
    f"<li>{SOURCE_002}, <code>seeds/002_365bd2d46b3bd044.txt</code></li>",
    "</ol>",
    "",
)


def test_markdown_each_claim(each: Comparison) -> None:
    """Markdown, claims="each": every claim with its own marks and source numbers,
    joined by " / ", and a legend that explains "a / b"."""
    assert each.to_markdown() == MARKDOWN_EACH
    assert str(each) == MARKDOWN_EACH


def test_latex_each_claim(each: Comparison) -> None:
    """LaTeX, claims="each": each piece's marks and numbers in its own \\textsuperscript."""
    assert each.to_latex() == LATEX_EACH
    assert each.to_latex(standalone=True).count(LATEX_EACH) == 1


def test_html_each_claim(each: Comparison) -> None:
    """HTML, claims="each": each piece's marks and numbers in its own <sup>."""
    assert each.to_html() == HTML_EACH


def test_json_each_claim_has_pieces(each: Comparison) -> None:
    """JSON, claims="each": each cell lists its pieces (bound, numbers, unit, status,
    sources, positions of their claims); the cell keeps the agreed value's numbers."""
    doc = json.loads(each.to_json())
    mai, gpt4 = (row["cells"][0] for row in doc["rows"])
    assert list(gpt4) == [
        "column", "display", "marks", "flags", "bound", "nominal", "low", "high", "unit",
        "status", "sources", "pieces", "claims",
    ]  # fmt: skip
    assert (gpt4["display"], gpt4["bound"], gpt4["nominal"]) == (
        "1.76 T parameters / ≥1,000 B parameters",
        "exact",
        1.76e12,
    )
    assert gpt4["pieces"] == [
        {
            "display": "1.76 T parameters",
            "separator": "",
            "marks": ["†"],
            "flags": ["rumored"],
            "bound": "exact",
            "nominal": 1.76e12,
            "low": 1.76e12,
            "high": 1.76e12,
            "unit": "parameter",
            "status": ["rumored"],
            "sources": [2],
            "claims": [0],
        },
        {
            "display": "≥1,000 B parameters",
            "separator": " / ",
            "marks": ["†"],
            "flags": ["rumored"],
            "bound": "at_least",
            "nominal": 1e12,
            "low": 1e12,
            "high": None,
            "unit": "parameter",
            "status": ["rumored"],
            "sources": [3],
            "claims": [1],
        },
    ]
    pieces = [(p["display"], p["bound"], p["status"], p["sources"]) for p in mai["pieces"]]
    assert pieces == [
        ("≥500 B parameters", "at_least", ["rumored"], [1]),
        ("500 B parameters", "exact", ["reported"], [2]),
        ("≈500 B parameters", "approx", ["reported"], [3]),
    ]
    assert [p["claims"] for p in mai["pieces"]] == [[0], [1], [2]]
    assert [mai["claims"][i]["sources"] for i in (1, 2)] == [[2], [3]]
    assert (mai["pieces"][2]["low"], mai["pieces"][2]["high"]) == (450e9, 550e9)


def test_json_default_has_no_pieces(gpt4: Comparison) -> None:
    """Without claims="each", JSON cells have no pieces key (the output is unchanged)."""
    cell = json.loads(gpt4.to_json())["rows"][0]["cells"][0]
    assert "pieces" not in cell


def test_csv_each_claim_text_holds_the_pieces(each: Comparison) -> None:
    """CSV, claims="each": the text column holds the pieces with their own marks and
    numbers; the numbers and flags are the agreed value's (MAI-1's 500 B is not
    rumored, though one claim is: value mode says the same), the sources all pieces'."""
    rows = list(csv.DictReader(io.StringIO(each.to_csv().removeprefix("\ufeff"))))
    assert [r["parameters"] for r in rows] == [
        "≥500 B parameters † [1] / 500 B parameters [2] / ≈500 B parameters [3]",
        "1.76 T parameters † [2] / ≥1,000 B parameters † [3]",
    ]
    assert [r["parameters nominal [parameter]"] for r in rows] == [
        "500000000000.0",
        "1760000000000.0",
    ]
    assert [r["parameters flags"] for r in rows] == ["sources differ", "rumored; sources differ"]
    assert [r["parameters rumored"] for r in rows] == ["false", "true"]
    assert [r["parameters sources"] for r in rows] == ["1, 2, 3", "2, 3"]


def test_csv_each_claim_conflict_has_no_numbers() -> None:
    """CSV and to_frame, claims="each": where the claims contradict, the pieces are in the
    text column and the number columns are empty (NaN)."""
    source = mc.Source(id="s", title="S", language="en", path="s.txt")
    claims = tuple(
        mc.Claim("m", "parameters", value, mc.Status.REPORTED, (mc.Citation(source, "q"),))
        for value in (mc.Estimate.exact(5, "Gparameter"), mc.Estimate.at_least(9, "Gparameter"))
    )
    model = mc.Model(id="m", name="M", organization="O", stated_claims=claims)
    c = compare(["M"], registry=mc.Registry([model], {"s": source}), claims="each")
    (row,) = csv.DictReader(io.StringIO(c.to_csv().removeprefix("\ufeff")))
    assert row["parameters"] == "5 B parameters ! [1] / ≥9 B parameters ! [1]"
    assert row["parameters nominal [parameter]"] == ""
    assert row["parameters flags"] == "conflict"
    df = c.to_frame()
    assert df.loc["M", "parameters"] == "5 B parameters ! [1] / ≥9 B parameters ! [1]"
    assert (
        df[["parameters nominal [parameter]", "parameters low [parameter]"]].isna().all(axis=None)
    )


def test_to_frame_each_claim_is_as_csv(each: Comparison) -> None:
    """to_frame(), claims="each": the text columns hold the pieces as in CSV, numbers as floats."""
    df = each.to_frame()
    assert df.loc["GPT-4", "parameters"] == "1.76 T parameters † [2] / ≥1,000 B parameters † [3]"
    assert df.loc["GPT-4", "parameters nominal [parameter]"] == 1.76e12
    assert set(df.attrs["legend"]) == {"a / b", "≈", "≥", "†"}


def test_every_format_writes_each_piece(reg: mc.Registry) -> None:
    """Every format shows every piece of an each-claim table: its figures and numbers."""
    fields = ["architecture", "training_accelerators"]
    c = compare(["GPT-4", "MAI-1-preview"], fields, registry=reg, claims="each")
    assert c.rows[0][0].display == "moe † [1] / moe † [2]"
    assert c.rows[1][1].display == "≈15,000 H100 [3] / ≈15,000 H100 [4] + ? GB200 [3]"
    assert "moe <sup>†&nbsp;[1]</sup> / moe <sup>†&nbsp;[2]</sup>" in c.to_html()
    latex = c.to_latex()
    dagger = r"\textsuperscript{\ensuremath{\dagger} "
    assert rf"moe{dagger}{{[}}1{{]}}}} / moe{dagger}{{[}}2{{]}}}}" in latex
    assert r"? GB200\textsuperscript{{[}3{]}}" in latex
    assert r"≈15,000 H100 \[3\] / ≈15,000 H100 \[4\] + ? GB200 \[3\]" in c.to_markdown()
    pieces = json.loads(c.to_json())["rows"][1]["cells"][1]["pieces"]
    assert [(p["unit"], p["separator"], p["nominal"]) for p in pieces] == [
        ("H100", "", 15000),
        ("H100", " / ", 15000),
        ("GB200", " + ", None),
    ]


def test_two_models_of_one_name_are_told_apart_in_every_human_format() -> None:
    """Epoch AI's all_ai_models.csv has two SigLIPs (400 M and 6.3 B parameters):
    a table of both names each with its id, in Markdown, HTML, LaTeX and on a
    chart; a model whose name no other row has keeps its bare name; the machine
    formats keep the name."""
    from pathlib import Path

    names = Path(__file__).parent / "fixtures" / "epoch" / "names" / "all_ai_models.csv"
    reg = mc.load_registry(paths=[names])
    (first, second) = [m for m in reg if m.name == "SigLIP"]
    table = mc.compare([first.id, second.id, "Command R"], ["parameters"], registry=reg)
    want = (f"SigLIP ({first.id})", f"SigLIP ({second.id})", "Command R")
    assert table.row_names == want
    for text in (table.to_markdown(), table.to_html(), table.to_latex()):
        for name in want:
            assert name in text
    assert [m.name for m in table.models] == ["SigLIP", "SigLIP", "Command R"]
    assert table.to_csv().splitlines()[1].startswith("SigLIP,")
