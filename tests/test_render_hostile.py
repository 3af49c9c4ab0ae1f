"""Any text a user can set (a model's name and note, a source's title, the table's
title) comes out of every renderer as that same text, read back with a real
parser: markdown-it-py (CommonMark with GFM tables), html.parser, csv, json; and
for LaTeX a reader of exactly what the escapes print.

Each format's documented changes (module doc of modelcompare.render) are
applied to the input before comparing: nothing else may differ.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

import modelcompare as mc
from modelcompare.comparison import Comparison, compare
from modelcompare.loader import normalize
from modelcompare.render import escape_latex
from modelcompare.render.html import _SORT_SCRIPT
from modelcompare.testing import HOSTILE_TEXTS, hostile_text
from strategies import user_registry

#: The done-criterion of the issue: this name comes out as itself in every format.
DONE = "R&D | <b>50%</b> \\input{x}"


def controls_replaced(text: str) -> str:
    """Control characters other than tab, LF and CR as U+FFFD (Markdown, HTML)."""
    return "".join(
        "\ufffd" if unicodedata.category(c) == "Cc" and c not in "\t\n\r" else c for c in text
    )


def lines_normalized(text: str) -> str:
    """What Markdown and HTML keep of a text: line breaks as LF, controls as U+FFFD."""
    return re.sub(r"\r\n?", "\n", controls_replaced(text))


# -- Markdown -------------------------------------------------------------------------------
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def md_text(inline: Token, *, strong: bool = False) -> str:
    """The text of an inline token; any markup but our <br> (and, for the title,
    the surrounding **) fails: user text must never become markup."""
    children = [c for c in inline.children or [] if c.type != "text" or c.content]
    if strong:
        assert [children[0].type, children[-1].type] == ["strong_open", "strong_close"]
        children = children[1:-1]
    out = []
    for child in children:
        if child.type == "text":
            out.append(child.content)
        elif child.type == "html_inline" and child.content == "<br>":
            out.append("\n")
        elif child.type == "html_inline" and child.content == "<!---->":
            pass  # the empty comment after "@" that keeps an address from becoming a link
        else:
            raise AssertionError(f"user text became markup: {child.type} {child.content!r}")
    return "".join(out)


def read_markdown(text: str) -> dict[str, Any]:
    """The title, the table's cells (row by row) and the list items of a Markdown table."""
    tokens = MD.parse(text)
    rows: list[list[str]] = []
    items: list[str] = []
    title = None
    in_item = 0
    for i, tok in enumerate(tokens):
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type in ("th_open", "td_open"):
            rows[-1].append(md_text(tokens[i + 1]))
        elif tok.type == "list_item_open":
            in_item += 1
        elif tok.type == "list_item_close":
            in_item -= 1
        elif tok.type == "inline" and in_item and tokens[i - 1].type == "paragraph_open":
            items.append(md_text(tok))
        elif tok.type == "inline" and i == 1 and not rows:
            title = md_text(tok, strong=True)
    return {"title": title, "rows": rows, "items": items}


# -- HTML -----------------------------------------------------------------------------------
class HTMLReader(HTMLParser):
    """Collects the page title, the caption, the table's cells (without their <sup>),
    the texts of the <sup>s (no-break spaces read as spaces), the list items and
    the scripts (only the page's own sorting script may be there)."""

    ALLOWED = frozenset(
        {"table", "caption", "thead", "tbody", "tr", "th", "td", "sup", "br", "ul", "ol", "li"}
        | {"p", "code", "a", "html", "head", "meta", "title", "style", "body"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.items: list[str] = []
        self.caption: str | None = None
        self.title: str | None = None
        self.unexpected: list[str] = []
        self.sups: list[str] = []
        self.scripts: list[str] = []
        self._script: list[str] | None = None
        self._buf: list[str] | None = None
        self._sup = 0
        self._sup_buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._script = []
            return
        if tag not in self.ALLOWED:
            self.unexpected.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td", "li", "caption", "title"):
            self._buf = []
        elif tag == "br" and self._buf is not None:
            self._buf.append("\n")
        elif tag == "sup":
            self._sup += 1
            self._sup_buf = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None
            return
        if tag == "sup":
            self._sup -= 1
            self.sups.append("".join(self._sup_buf).replace("\xa0", " "))
            return
        if tag not in ("th", "td", "li", "caption", "title") or self._buf is None:
            return
        text = "".join(self._buf)
        self._buf = None
        if tag == "li":
            self.items.append(text)
        elif tag == "caption":
            self.caption = text
        elif tag == "title":
            self.title = text
        else:
            self.rows[-1].append(text)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        elif self._sup:
            self._sup_buf.append(data)
        elif self._buf is not None:
            self._buf.append(data)


def read_html(text: str, reader: HTMLReader | None = None) -> HTMLReader:
    """An HTML table parsed by html.parser; no tag may come from user text."""
    reader = HTMLReader() if reader is None else reader
    reader.feed(text)
    reader.close()
    assert reader.unexpected == []
    assert all(script == f"\n{_SORT_SCRIPT}\n" for script in reader.scripts)  # ours alone
    assert len(reader.scripts) <= 1
    return reader


# -- Markdown as GitHub renders it: cmark-gfm with the table and autolink extensions ----------
CMARK = shutil.which("cmark-gfm")
needs_cmark = pytest.mark.skipif(
    CMARK is None,
    reason="cmark-gfm is not installed (.ci/run installs it)",
)


class GFMReader(HTMLReader):
    """The HTML cmark-gfm makes of a Markdown table: no link (``<a>``) may appear."""

    ALLOWED = (HTMLReader.ALLOWED - {"a"}) | {"strong"}


def read_gfm(text: str) -> GFMReader:
    """Markdown rendered by cmark-gfm as GitHub does (tables, autolinks, raw ``<br>``
    kept), then read by html.parser: the cells and list items, and no tag but ours."""
    assert CMARK is not None
    out = subprocess.run(
        [CMARK, "-e", "table", "-e", "autolink", "--unsafe"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode("utf-8")
    return cast(GFMReader, read_html(out, GFMReader()))


def check_markdown_gfm(c: Comparison, name: str, note: str, title: str) -> None:
    """The name, note and source title read back from the Markdown output as
    GitHub renders it: the same visible text, and not a link."""
    doc = read_gfm(c.to_markdown(notes=True))
    n, t, o = (lines_normalized(s) for s in (name, title, note))
    assert doc.rows[1][0] == n
    assert f"{t}, user.txt" in doc.items
    assert f"{n}: {o}" in doc.items


# -- CSV ------------------------------------------------------------------------------------
def read_csv(text: str) -> list[dict[str, str]]:
    """The rows of a CSV table (after its byte-order mark), by header."""
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


#: Characters a spreadsheet may start a formula with (ASCII, fullwidth, small forms).
FORMULA = "=+-@＝﹦＋﹢－﹣＠﹫"


def neutralised(text: str) -> str:
    """What CSV holds of a text cell: a leading quote where a spreadsheet could see a
    formula: tab or CR first, or a formula character after leading blanks and
    invisible characters (any Unicode space or control, BOM, zero-width space…)."""
    invisible = "".join(
        ch for ch in text if not (ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs", "Cc"))
    )
    danger = text.startswith(("\t", "\r")) or invisible[:1] in set(FORMULA)
    return "'" + text if danger else text


# -- LaTeX: what each escape prints ---------------------------------------------------------
_PRINTS = {
    r"\textbackslash{}": "\\",
    r"\{": "{",
    r"\}": "}",
    r"\&": "&",
    r"\%": "%",
    r"\$": "$",
    r"\#": "#",
    r"\_": "_",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    r"\textless{}": "<",
    r"\textgreater{}": ">",
    r"\textbar{}": "|",
    r"{\ttfamily\char34}": '"',
    r"\textasciigrave{}": "`",
    "{[}": "[",
    "{]}": "]",
    "{*}": "*",
    r"\ensuremath{\approx}": "≈",
    r"\ensuremath{\geq}": "≥",
    r"\ensuremath{\leq}": "≤",
    r"\ensuremath{\neq}": "≠",
    r"\ensuremath{-}": "−",
    r"\ensuremath{\times}": "×",
    r"\ensuremath{\div}": "÷",
    r"\ensuremath{\pm}": "±",
    r"\ensuremath{\cdot}": "·",
    r"\ensuremath{\neg}": "¬",
    r"\ensuremath{\infty}": "∞",
    r"\ensuremath{\rightarrow}": "→",
    r"\ensuremath{\leftarrow}": "←",
    r"\ensuremath{^\circ}": "°",
    r"\ensuremath{\mu}": "µ",
    r"\ensuremath{\dagger}": "†",
    r"\ensuremath{\ddagger}": "‡",
    r"\dots{}": "…",
    r"\S{}": "§",
    r"\P{}": "¶",
    r"{\fontencoding{T1}\selectfont\guillemotleft}": "«",
    r"{\fontencoding{T1}\selectfont\guillemotright}": "»",
    r"\textsuperscript{\ensuremath{-}}": "⁻",
    **{rf"\textsuperscript{{{d}}}": s for d, s in zip("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹", strict=True)},
    r"\-": "\u00ad",
    r"\,": "\u202f",
    "~": "\u00a0",
    "---": "—",
    "--": "–",
    "``": "“",
    "''": "”",
    "`": "‘",
    "'": "’",
    r"\allowbreak{}": "",  # a place a source's path may break (render_latex)
    "{}": "",
}
_PRINTS_RE = re.compile(
    r"\\texttt\{U\+([0-9A-F]{4,6})\}|"
    + "|".join(re.escape(k) for k in sorted(_PRINTS, key=len, reverse=True))
)
#: Characters that must never stand bare in escaped text.
_LATEX_SPECIAL = set('\\{}&%$#_^~[]*"<>|\n')


def latex_prints(source: str) -> str:
    """What pdflatex prints for escaped text; fails on anything unescaped."""
    out, i = [], 0
    while i < len(source):
        m = _PRINTS_RE.match(source, i)
        if m:
            out.append(chr(int(m.group(1), 16)) if m.group(1) else _PRINTS[m.group(0)])
            i = m.end()
            continue
        assert source[i] not in _LATEX_SPECIAL, f"bare {source[i]!r} at {i} in {source!r}"
        out.append(source[i])
        i += 1
    return "".join(out)


def latex_normalized(text: str) -> str:
    """What LaTeX keeps of a text: NFC, white space as spaces, ' as ’ (the LaTeX
    apostrophe), μ as µ, a thin space as a narrow one."""
    text = unicodedata.normalize("NFC", text)
    for a, b in (("\t", " "), ("\n", " "), ("\r", " "), ("'", "’"), ("μ", "µ")):
        text = text.replace(a, b)
    return text.replace("\u2009", "\u202f")


def read_latex(fragment: str) -> dict[str, Any]:
    """The title, the first column of the table's rows and the list items of a fragment."""
    lines = fragment.splitlines()
    title = None
    if lines[1].startswith(r"\noindent\textbf{"):
        inner = lines[1].removeprefix(r"\noindent\textbf{").removesuffix(r"}\par\medskip")
        title = latex_prints(inner)
    body = lines[lines.index(r"\midrule") + 1 : lines.index(r"\bottomrule")]
    names = [latex_prints(line.split(" & ")[0]) for line in body]
    items = []
    for line in lines:
        m = re.match(r"\\item\[\{(.*?)\}\] (.*)$", line)
        if m:
            text = m.group(2)
            if re.fullmatch(r"\{\[\}\d+\{\]\}", m.group(1)):  # a source: its path in \texttt
                # the path is the last \texttt (a title may hold one: U+XXXX)
                head, _, path = text.rpartition(", \\texttt{")
                text = f"{head}, {path.removesuffix('}')}"
            items.append(latex_prints(text))
    return {"title": title, "names": names, "items": items}


# -- the checks, one per format -------------------------------------------------------------
def check_markdown(c: Comparison, name: str, note: str, title: str) -> None:
    """The name, note and title read back from the Markdown output."""
    doc = read_markdown(c.to_markdown(notes=True))
    n, t, o = (lines_normalized(s) for s in (name, title, note))
    assert doc["title"] == t
    assert doc["rows"][0][0] == "Model"
    assert doc["rows"][1][0] == n
    assert f"{t}, user.txt" in doc["items"]
    assert f"{n}: {o}" in doc["items"]


def check_html(c: Comparison, name: str, note: str, title: str) -> None:
    """The name, note and title read back from the HTML output (fragment and page)."""
    n, t, o = (lines_normalized(s) for s in (name, title, note))
    assert read_html(c.to_html(standalone=True)).title == t.replace("\n", " ")
    for page in (c.to_html(notes=True), c.to_html(standalone=True, notes=True)):
        doc = read_html(page)
        assert doc.caption == t
        assert doc.rows[1][0] == n
        assert f"{t}, user.txt" in doc.items
        assert f"{n}: {o}" in doc.items


def check_csv(c: Comparison, name: str, note: str, title: str) -> None:
    """The name, notes and source title read back from the CSV output."""
    (row,) = read_csv(c.to_csv(notes=True))
    assert row["Model"] == neutralised(name)
    assert row["notes"] == neutralised(f"{name}: {note}\n{name}, Parameters: {note}")
    assert row["sources"] == f"[1] {title}, user.txt"


def check_json(c: Comparison, name: str, note: str, title: str) -> None:
    """The name, note and titles read back from the JSON output."""
    doc = json.loads(c.to_json(notes=True))
    assert doc["title"] == title
    assert doc["rows"][0]["name"] == name
    assert doc["rows"][0]["note"] == note
    assert doc["rows"][0]["cells"][0]["claims"][0]["note"] == note
    assert doc["sources"][0]["title"] == title


def check_latex(c: Comparison, name: str, note: str, title: str) -> None:
    """The name, note and title as pdflatex prints the LaTeX output."""
    fragment = c.to_latex(notes=True)
    doc = read_latex(fragment)
    n, t, o = (latex_normalized(s) for s in (name, title, note))
    assert doc["title"] == t
    assert doc["names"] == [n]
    assert f"{t}, user.txt" in doc["items"]
    assert f"{n}: {o}" in doc["items"]
    assert c.to_latex(standalone=True, notes=True).count(fragment) == 1


def check_frame(c: Comparison, name: str, note: str, title: str) -> None:
    """The name is the DataFrame's index, the title in its attrs."""
    df = c.to_frame()
    assert list(df.index) == [name]
    assert df.attrs["title"] == title
    assert df.attrs["sources"] == [f"{title}, user.txt"]


CHECKS: list[Callable[[Comparison, str, str, str], None]] = [
    check_markdown,
    check_html,
    check_csv,
    check_json,
    check_latex,
    check_frame,
]


def user_comparison(name: str, note: str, title: str) -> Comparison:
    """A one-row comparison of a user model (see strategies.user_registry)."""
    return compare(
        ["user-model"], ["parameters"], registry=user_registry(name, note, title), title=title
    )


# -- through a data file --------------------------------------------------------------------
def toml_string(text: str) -> str:
    """``text`` as a TOML basic string."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def user_file(tmp_path: Path, name: str, note: str, title: str) -> Path:
    """A data file with a source titled ``title`` and a model called ``name``
    (with ``note``) whose parameter claim (with the same note) cites it."""
    (tmp_path / "user.txt").write_text("seven billion", encoding="utf-8")
    path = tmp_path / "user.toml"
    path.write_text(
        f"""
[[source]]
id = "user-source"
title = {toml_string(title)}
path = "user.txt"
language = "en"
kind = "other"
external = true

[[model]]
id = "user-model"
name = {toml_string(name)}
organization = "Org"
note = {toml_string(note)}

[[claim]]
model = "user-model"
field = "parameters"
value = {{ about = 7, unit = "Gparameter" }}
status = "rumored"
note = {toml_string(note)}
citations = [{{ source = "user-source", quote = "seven billion" }}]
""",
        encoding="utf-8",
    )
    return path


def test_done_criterion_the_hostile_name_comes_out_as_itself(tmp_path: Path) -> None:
    """A model named `R&D | <b>50%</b> \\input{x}` (beside GPT-4) comes out as exactly
    that text in every format, and its note and its source's title too."""
    reg = mc.load_registry(paths=[user_file(tmp_path, DONE, DONE, DONE)])
    c = compare([DONE, "GPT-4"], ["parameters"], registry=reg, title=DONE)
    assert read_markdown(c.to_markdown())["rows"][1][0] == DONE
    assert read_html(c.to_html()).rows[1][0] == DONE
    assert read_csv(c.to_csv())[0]["Model"] == DONE
    assert json.loads(c.to_json())["rows"][0]["name"] == DONE
    assert read_latex(c.to_latex())["names"] == [DONE, "GPT-4"]
    assert c.to_frame().index[0] == DONE
    for check in CHECKS:
        check(compare([DONE], ["parameters"], registry=reg, title=DONE), DONE, DONE, DONE)


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_hostile_text_from_a_data_file_survives_every_format(tmp_path: Path, text: str) -> None:
    """Each HOSTILE_TEXTS string as a model name, note and source title, loaded from a data
    file, reads back as itself from every format (a name needs a letter or digit)."""
    name = text if normalize(text) else text + "x"
    note = title = text if text.strip() else "x"
    reg = mc.load_registry(paths=[user_file(tmp_path, name, note, title)], builtin=False)
    c = compare([name], ["parameters"], registry=reg, title=title)
    for check in CHECKS:
        check(c, name, note, title)


#: Text that GitHub's autolink extension would make a link of, or that would start
#: a list or a heading in a footnote: each must come back as the same text.
LINKY = [
    "https://evil.example",
    "www.evil.example",
    "WWW.evil.example",
    "evil@evil.example",
    "mailto:evil@evil.example",
    "ftp://evil.example/x",
    "https://ⓤ]",
    "see https://evil.example/a_b?c=d&e=f#g",
    "# H",
    "1. x",
    "- item",
    "+ x",
    "1) y",
    "> quote",
]

#: Cells a spreadsheet reads as formulas once it strips what comes before them.
FORMULAS = [
    " =1+1",
    "\u00a0=1+1",
    "\u3000=1+1",
    "\n=1+1",
    "\ufeff=1+1",
    "\u200b=1+1",
    "＝1+1",
    "﹦1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
    " \t@x",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_neutralises_formulas_behind_blanks_and_fullwidth_forms(text: str) -> None:
    """A name, note and source title that a spreadsheet would read as a formula
    come out of CSV with a leading quote, and read back otherwise unchanged."""
    from modelcompare.render import escape_csv

    assert escape_csv(text) == "'" + text
    check_csv(user_comparison(text + "x", text, text), text + "x", text, text)


@needs_cmark
@pytest.mark.parametrize("text", [*HOSTILE_TEXTS, *LINKY])
def test_markdown_as_github_renders_it_keeps_text_and_makes_no_link(
    tmp_path: Path, text: str
) -> None:
    """Each hostile string as a model name, note and source title comes back from
    cmark-gfm (table + autolink, as GitHub renders) as the same visible text, no link."""
    name = text if normalize(text) else text + "x"
    note = title = text if text.strip() else "x"
    reg = mc.load_registry(paths=[user_file(tmp_path, name, note, title)], builtin=False)
    check_markdown_gfm(
        compare([name], ["parameters"], registry=reg, title=title), name, note, title
    )


@pytest.mark.parametrize("text", LINKY)
def test_markdown_link_escapes_read_back_with_markdown_it(text: str) -> None:
    """The autolink and block-start escapes read back as the same text with
    markdown-it-py too (a second CommonMark parser)."""
    check_markdown(user_comparison(text, text, text), text, text, text)


# -- any text (hypothesis) ------------------------------------------------------------------
@needs_cmark
@settings(max_examples=30, deadline=None)
@given(
    name=hostile_text(allow_blank=False),
    note=hostile_text(allow_blank=False),
    title=hostile_text(allow_blank=False),
)
def test_markdown_as_github_renders_it_keeps_any_text(name: str, note: str, title: str) -> None:
    """Markdown rendered by cmark-gfm with autolink gives back any text, never a link."""
    check_markdown_gfm(user_comparison(name, note, title), name, note, title)


@given(
    name=hostile_text(allow_blank=False),
    note=hostile_text(allow_blank=False),
    title=hostile_text(allow_blank=False),
)
def test_markdown_keeps_any_text(name: str, note: str, title: str) -> None:
    """Markdown read back with markdown-it-py (GFM tables) gives back any text."""
    check_markdown(user_comparison(name, note, title), name, note, title)


@given(
    name=hostile_text(allow_blank=False),
    note=hostile_text(allow_blank=False),
    title=hostile_text(allow_blank=False),
)
def test_html_keeps_any_text(name: str, note: str, title: str) -> None:
    """HTML read back with html.parser gives back any text, and no tag of it."""
    check_html(user_comparison(name, note, title), name, note, title)


@given(
    name=hostile_text(allow_blank=False),
    note=hostile_text(allow_blank=False),
    title=hostile_text(allow_blank=False),
)
def test_csv_keeps_any_text(name: str, note: str, title: str) -> None:
    """CSV read back with the csv module gives back any text (neutralised formulas aside)."""
    check_csv(user_comparison(name, note, title), name, note, title)


@given(
    name=hostile_text(allow_blank=False),
    note=hostile_text(allow_blank=False),
    title=hostile_text(allow_blank=False),
)
def test_json_keeps_any_text(name: str, note: str, title: str) -> None:
    """JSON read back with json.loads gives back any text exactly."""
    check_json(user_comparison(name, note, title), name, note, title)


@given(
    name=hostile_text(allow_blank=False),
    note=hostile_text(allow_blank=False),
    title=hostile_text(allow_blank=False),
)
def test_latex_prints_any_text(name: str, note: str, title: str) -> None:
    """The LaTeX output prints any name, note and title as themselves."""
    check_latex(user_comparison(name, note, title), name, note, title)


@given(text=hostile_text())
def test_latex_escapes_leave_nothing_bare(text: str) -> None:
    """Escaped text holds no bare special character, no command but the known
    escapes (so never \\input or \\write18), balanced braces and no line break,
    and prints as the text itself."""
    escaped = escape_latex(text)
    assert latex_prints(escaped) == latex_normalized(text)
    commands = set(re.findall(r"\\([A-Za-z]+|.)", escaped))
    assert "input" not in commands
    assert "write" not in commands
    depth = 0
    for m in re.finditer(r"\\[{}]|[{}]", escaped):
        depth += {"{": 1, "}": -1}.get(m.group(0), 0)
        assert depth >= 0
    assert depth == 0
    assert "\n" not in escaped


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        (DONE, r"R\&D \textbar{} \textless{}b\textgreater{}50\%\textless{}/b\textgreater{} "
               r"\textbackslash{}input\{x\}"),
        ("\\write18{rm -rf /}", r"\textbackslash{}write18\{rm -rf /\}"),
        ("a--b ''", "a-{}-b '{}'{}"),
        ("≈ ≥ ≤ − – ×", r"\ensuremath{\approx} \ensuremath{\geq} \ensuremath{\leq} "
                        r"\ensuremath{-} -- \ensuremath{\times}"),
        ("«g» l’a", r"{\fontencoding{T1}\selectfont\guillemotleft}g"
                    r"{\fontencoding{T1}\selectfont\guillemotright} l'a"),
        ("é ç Ø ß", "é ç Ø ß"),
        ("日本 😀", r"\texttt{U+65E5}\texttt{U+672C} \texttt{U+1F600}"),
        ("[x] *y*", "{[}x{]} {*}y{*}"),
    ],
)  # fmt: skip
def test_latex_escapes(text: str, escaped: str) -> None:
    """The LaTeX escapes of the hostile and unicode cases, written out."""
    assert escape_latex(text) == escaped


# -- every claim side by side (claims="each") ----------------------------------------------
#: The cell of each_comparison(): two contradicting claims, each with its own marks
#: and source number, as plain text shows it and as LaTeX writes it.
EACH_CELL = "≈7 † ! [1] / ≥9 ! [2]"
#: The same cell in the machine formats, each piece with its unit.
EACH_CELL_WITH_UNIT = "≈7 B parameters † ! [1] / ≥9 B parameters ! [2]"
EACH_CELL_LATEX = (
    r"\ensuremath{\approx}7\textsuperscript{\ensuremath{\dagger} ! {[}1{]}} / "
    r"\ensuremath{\geq}9\textsuperscript{! {[}2{]}}"
)
Pair = tuple[str, str]


def two_claims_registry(name: str, notes: Pair, titles: Pair) -> mc.Registry:
    """A registry of one user model called ``name`` (with the first note) whose two
    parameter claims contradict: ≈7 B (rumored) and ≥9 B (reported), each with its
    note, citing its own source (titled ``titles[i]``, path ``user<i+1>.txt``)."""
    sources = [
        mc.Source(id=f"user-source-{i}", title=title, language="en", path=f"user{i}.txt")
        for i, title in enumerate(titles, 1)
    ]
    values = (mc.Estimate.about(7, "Gparameter"), mc.Estimate.at_least(9, "Gparameter"))
    statuses = (mc.Status.RUMORED, mc.Status.REPORTED)
    claims = tuple(
        mc.Claim(
            subject="user-model",
            field="parameters",
            value=value,
            status=status,
            citations=(mc.Citation(source, "seven or nine billion"),),
            note=note,
        )
        for value, status, source, note in zip(values, statuses, sources, notes, strict=True)
    )
    model = mc.Model(
        id="user-model", name=name, organization="Org", note=notes[0], stated_claims=claims
    )
    return mc.Registry([model], {s.id: s for s in sources})


def each_comparison(name: str, notes: Pair, titles: Pair) -> Comparison:
    """The user model of two_claims_registry() on parameters, every claim side by side,
    titled with the first source title."""
    reg = two_claims_registry(name, notes, titles)
    return compare(["user-model"], ["parameters"], registry=reg, title=titles[0], claims="each")


def note_lines(name: str, notes: Pair) -> list[str]:
    """The notes as every format lists them: the model's, then each claim's (once)."""
    return list(
        dict.fromkeys([f"{name}: {notes[0]}", *(f"{name}, Parameters: {o}" for o in notes)])
    )


def check_each_markdown(c: Comparison, name: str, notes: Pair, titles: Pair) -> None:
    """Name, notes, titles and the two pieces read back from the Markdown output."""
    doc = read_markdown(c.to_markdown(notes=True))
    n = lines_normalized(name)
    t1, t2 = map(lines_normalized, titles)
    assert doc["title"] == t1
    assert doc["rows"][1] == [n, EACH_CELL]
    assert {f"{t1}, user1.txt", f"{t2}, user2.txt"} <= set(doc["items"])
    notes_n = (lines_normalized(notes[0]), lines_normalized(notes[1]))
    assert set(note_lines(n, notes_n)) <= set(doc["items"])


def check_each_html(c: Comparison, name: str, notes: Pair, titles: Pair) -> None:
    """Name, notes, titles read back from the HTML output; each piece's marks and
    source number in its own <sup>."""
    doc = read_html(c.to_html(notes=True))
    n = lines_normalized(name)
    t1, t2 = map(lines_normalized, titles)
    assert doc.caption == t1
    assert doc.rows[1] == [n, "≈7  / ≥9 "]
    assert doc.sups == ["† ! [1]", "! [2]"]
    assert {f"{t1}, user1.txt", f"{t2}, user2.txt"} <= set(doc.items)
    notes_n = (lines_normalized(notes[0]), lines_normalized(notes[1]))
    assert set(note_lines(n, notes_n)) <= set(doc.items)


def check_each_csv(c: Comparison, name: str, notes: Pair, titles: Pair) -> None:
    """Name, notes, titles and the pieces read back from the CSV output; the conflict
    leaves the number columns empty."""
    (row,) = read_csv(c.to_csv(notes=True))
    assert row["Model"] == neutralised(name)
    assert row["parameters"] == EACH_CELL_WITH_UNIT
    assert row["parameters flags"] == "rumored; conflict"
    assert row["parameters nominal [parameter]"] == ""
    assert row["parameters sources"] == "1, 2"
    assert row["sources"] == f"[1] {titles[0]}, user1.txt\n[2] {titles[1]}, user2.txt"
    assert row["notes"] == neutralised("\n".join(note_lines(name, notes)))


def check_each_json(c: Comparison, name: str, notes: Pair, titles: Pair) -> None:
    """Name, notes, titles and each piece's marks and sources read back from the JSON output."""
    doc = json.loads(c.to_json(notes=True))
    assert (doc["title"], doc["rows"][0]["name"], doc["rows"][0]["note"]) == (
        titles[0],
        name,
        notes[0],
    )
    cell = doc["rows"][0]["cells"][0]
    assert [claim["note"] for claim in cell["claims"]] == list(notes)
    pieces = [(p["display"], p["marks"], p["sources"], p["claims"]) for p in cell["pieces"]]
    assert pieces == [
        ("≈7 B parameters", ["†", "!"], [1], [0]),
        ("≥9 B parameters", ["!"], [2], [1]),
    ]
    assert [s["title"] for s in doc["sources"]] == list(titles)


def check_each_latex(c: Comparison, name: str, notes: Pair, titles: Pair) -> None:
    """Name, notes and titles as pdflatex prints them; each piece's marks and source
    number in its own \\textsuperscript."""
    fragment = c.to_latex(notes=True)
    doc = read_latex(fragment)
    n = latex_normalized(name)
    t1, t2 = map(latex_normalized, titles)
    assert doc["title"] == t1
    assert doc["names"] == [n]
    lines = fragment.splitlines()
    (row,) = lines[lines.index(r"\midrule") + 1 : lines.index(r"\bottomrule")]
    assert row.split(" & ")[-1] == EACH_CELL_LATEX + r" \\"
    assert {f"{t1}, user1.txt", f"{t2}, user2.txt"} <= set(doc["items"])
    notes_n = (latex_normalized(notes[0]), latex_normalized(notes[1]))
    assert set(note_lines(n, notes_n)) <= set(doc["items"])


def check_each_frame(c: Comparison, name: str, notes: Pair, titles: Pair) -> None:
    """The name is the DataFrame's index, the pieces in the text column, both sources in attrs."""
    df = c.to_frame()
    assert list(df.index) == [name]
    assert df.iloc[0]["parameters"] == EACH_CELL_WITH_UNIT
    assert df.attrs["sources"] == [f"{titles[0]}, user1.txt", f"{titles[1]}, user2.txt"]


EACH_CHECKS: list[Callable[[Comparison, str, Pair, Pair], None]] = [
    check_each_markdown,
    check_each_html,
    check_each_csv,
    check_each_json,
    check_each_latex,
    check_each_frame,
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_each_claim_hostile_text_survives_every_format(text: str) -> None:
    """Each HOSTILE_TEXTS string as a model name, the first claim's note and source title (the
    second claim's are the done-criterion text) reads back as itself from every format
    in the each-claim mode, and each piece keeps its own marks and source number."""
    name = text if normalize(text) else text + "x"
    other = text if text.strip() else "x"
    c = each_comparison(name, (other, DONE), (other, DONE))
    for check in EACH_CHECKS:
        check(c, name, (other, DONE), (other, DONE))


@given(
    name=hostile_text(allow_blank=False),
    notes=st.tuples(hostile_text(allow_blank=False), hostile_text(allow_blank=False)),
    titles=st.tuples(hostile_text(allow_blank=False), hostile_text(allow_blank=False)),
)
def test_each_claim_markdown_keeps_any_text(name: str, notes: Pair, titles: Pair) -> None:
    """Each-claim Markdown, read back with markdown-it-py, gives back any text and the pieces."""
    check_each_markdown(each_comparison(name, notes, titles), name, notes, titles)


@given(
    name=hostile_text(allow_blank=False),
    notes=st.tuples(hostile_text(allow_blank=False), hostile_text(allow_blank=False)),
    titles=st.tuples(hostile_text(allow_blank=False), hostile_text(allow_blank=False)),
)
def test_each_claim_html_keeps_any_text(name: str, notes: Pair, titles: Pair) -> None:
    """Each-claim HTML, read back with html.parser, gives back any text, no tag of it,
    and one <sup> per piece."""
    check_each_html(each_comparison(name, notes, titles), name, notes, titles)


@given(
    name=hostile_text(allow_blank=False),
    notes=st.tuples(hostile_text(allow_blank=False), hostile_text(allow_blank=False)),
    titles=st.tuples(hostile_text(allow_blank=False), hostile_text(allow_blank=False)),
)
def test_each_claim_csv_keeps_any_text(name: str, notes: Pair, titles: Pair) -> None:
    """Each-claim CSV, read back with the csv module, gives back any text and the pieces."""
    check_each_csv(each_comparison(name, notes, titles), name, notes, titles)


@given(
    name=hostile_text(allow_blank=False),
    notes=st.tuples(hostile_text(allow_blank=False), hostile_text(allow_blank=False)),
    titles=st.tuples(hostile_text(allow_blank=False), hostile_text(allow_blank=False)),
)
def test_each_claim_json_keeps_any_text(name: str, notes: Pair, titles: Pair) -> None:
    """Each-claim JSON, read back with json.loads, gives back any text and the pieces."""
    check_each_json(each_comparison(name, notes, titles), name, notes, titles)


@given(
    name=hostile_text(allow_blank=False),
    notes=st.tuples(hostile_text(allow_blank=False), hostile_text(allow_blank=False)),
    titles=st.tuples(hostile_text(allow_blank=False), hostile_text(allow_blank=False)),
)
def test_each_claim_latex_prints_any_text(name: str, notes: Pair, titles: Pair) -> None:
    """Each-claim LaTeX prints any name, notes and titles as themselves, each piece's
    suffix in its own superscript."""
    check_each_latex(each_comparison(name, notes, titles), name, notes, titles)


@given(hostile_text())
def test_html_attribute_escape_reads_back_as_the_attribute(text: str) -> None:
    """An attribute escaped with escape_html_attribute reads back through html.parser
    as the same value (controls aside), with no tag and no ``<br>`` in it."""
    from modelcompare.render.html import escape_html_attribute

    found: list[list[tuple[str, str | None]]] = []

    class Attrs(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append(attrs)

    parser = Attrs(convert_charrefs=True)
    parser.feed(f'<a href="{escape_html_attribute(text)}">x</a>')
    parser.close()
    assert found == [[("href", controls_replaced(text))]]


@pytest.mark.parametrize(
    "url", ["https://x.example/a b", "https://x.example/\nb", 'https://x.example/"', "https://"]
)
def test_a_url_that_could_break_out_of_a_link_is_refused(url: str) -> None:
    """A source URL with white space, a quote or no host is refused when the record is made."""
    with pytest.raises(ValueError, match="'url' must have a host"):
        mc.Source(id="s", title="S", language="en", url=url)
