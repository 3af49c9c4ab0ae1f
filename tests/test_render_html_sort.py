"""The standalone HTML page: a table sorted by clicking a header, with nothing
fetched from outside, and citation superscripts that do not wrap.

The sorting script runs in node (where installed) on a small stand-in for the
DOM built from the page itself, so the test sees the order a reader would.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

import modelcompare as mc
from modelcompare.render.html import _SORT_SCRIPT


class Table(HTMLParser):
    """The page's header cells and rows: attributes and text of each cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.heads: list[dict[str, str | None]] = []
        self.rows: list[list[dict[str, str | None]]] = []
        self._cell: dict[str, str | None] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "thead":
            self._in_head = True
        elif tag == "tbody":
            self._in_head = False
        elif tag == "tr" and not self._in_head:
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = {**dict(attrs), "text": ""}

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            (self.heads if self._in_head else self.rows[-1]).append(self._cell)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell["text"] = (self._cell["text"] or "") + data


def table_of(page: str) -> Table:
    t = Table()
    t.feed(page)
    t.close()
    return t


HARNESS = """
const data = JSON.parse(process.argv[1]);
function cell(c) { return { textContent: c.text, getAttribute: (k) => (k in c ? c[k] : null) }; }
const heads = data.heads.map((h) => {
  const attrs = Object.assign({}, h), handlers = {};
  return { attrs, handlers, tabIndex: -1,
    getAttribute: (k) => (k in attrs ? attrs[k] : null),
    setAttribute: (k, v) => { attrs[k] = String(v); },
    addEventListener: (ev, f) => { handlers[ev] = f; } };
});
const rows = data.rows.map((r, i) => ({ id: i, cells: r.map(cell) }));
const body = { rows: rows.slice(), appendChild(r) {
  this.rows.splice(this.rows.indexOf(r), 1); this.rows.push(r); } };
const table = { tHead: { rows: [{ cells: heads }] }, tBodies: [body] };
global.document = { querySelectorAll: () => [table] };
eval(data.script);
const out = [];
for (const [col, times] of data.clicks) {
  for (let k = 0; k < times; k++) heads[col].handlers.click();
  out.push(body.rows.map((r) => r.id));
}
console.log(JSON.stringify(out));
"""


def clicks(page: str, *presses: tuple[int, int]) -> list[list[str]]:
    """The models' order after each (column, number of clicks), as node runs the script."""
    t = table_of(page)
    data = {"heads": t.heads, "rows": t.rows, "script": _SORT_SCRIPT, "clicks": presses}
    run = subprocess.run(
        ["node", "-e", HARNESS, json.dumps(data)], capture_output=True, text=True, check=True
    )
    names = [row[0]["text"] for row in t.rows]
    return [[names[i] for i in order] for order in json.loads(run.stdout)]


needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")


@needs_node
def test_click_sorts_by_nominal_missing_last(reg: mc.Registry) -> None:
    """A numeric column sorts by nominal figure, ascending then descending, the
    models with no figure last both ways; the model column alphabetically."""
    models = reg.select(organization="Microsoft")
    page = mc.compare(models, ["parameters"], registry=reg).to_html(standalone=True)
    up, down, by_name = clicks(page, (1, 1), (1, 1), (0, 1))
    have = [m.name for m in reg.select(organization="Microsoft", sort="parameters")]
    with_figure = [m.name for m in models if m.value("parameters") is not None]
    assert up == have  # the same order as the Python sort (by nominal, missing last)
    assert (
        down[: len(with_figure)]
        == [
            m.name for m in reg.select(organization="Microsoft", sort="parameters", descending=True)
        ][: len(with_figure)]
    )
    assert down[len(with_figure) :] == up[len(with_figure) :]  # missing: last, in order
    assert by_name == sorted(by_name, key=str.lower)


@needs_node
def test_click_sorts_ranks_by_position_and_text(reg: mc.Registry) -> None:
    """A rank sorts by position (#2 before #13), text alphabetically."""
    page = mc.compare(["MAI-1-preview", "GPT-4", "Grok"], ["lmarena_text_rank", "architecture"])
    html = page.to_html(standalone=True)
    ranks, arch = clicks(html, (1, 1), (2, 1))
    assert ranks[0] == "MAI-1-preview"  # the only one with a rank; the others after
    assert arch[0] == "GPT-4"


def test_mixed_chips_do_not_sort_as_numbers(reg: mc.Registry, data_file: object) -> None:
    """A column of H100 and GB200 counts is no number column (they count different
    chips); a column of one kind of chip is."""
    page = mc.compare(["MAI-1-preview", "Grok"], ["training_accelerators"], registry=reg)
    head = table_of(page.to_html(standalone=True)).heads[1]
    assert head.get("data-type") == "number"  # both cells count H100s
    rows = table_of(page.to_html(standalone=True)).rows
    assert [r[1]["data-sort"] for r in rows] == ["15000.0", "100000.0"]


def test_page_fetches_nothing_and_fragment_has_no_script(reg: mc.Registry) -> None:
    """The page loads no outside resource (no src, no <link>, no url() in its style);
    the fragment has no script and no sort attributes at all."""
    c = mc.compare(["MAI-1-preview", "Grok"], registry=reg)
    page = c.to_html(standalone=True)
    assert page.count("<script>") == 1
    assert not re.search(r"\bsrc=|<link|url\(|@import|fetch\(|XMLHttpRequest", page)
    head, _, _ = page.partition("<body>")
    assert "http" not in head
    fragment = c.to_html()
    assert "<script" not in fragment
    assert "data-sort" not in fragment


def test_citations_do_not_wrap(reg: mc.Registry) -> None:
    """Inside a <sup> every space is a no-break space: ``[4, 5]`` stays on one line."""
    c = mc.compare(["MAI-1-preview", "Grok"], ["training_power"], registry=reg)
    for html in (c.to_html(), c.to_html(standalone=True)):
        sups = re.findall(r"<sup>(.*?)</sup>", html)
        assert sups
        assert any("&nbsp;" in s for s in sups)
        assert all(" " not in s for s in sups)
    assert "sup { white-space: nowrap; }" in c.to_html(standalone=True)
