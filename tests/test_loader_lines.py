"""The loader finds lines lazily (a table's headers by one search of the text, a
record's keys and quotes only when asked): on any text, hostile ones included, it
gives the lines the eager, line-by-line locator gave, and every Origin of a loaded
file holds them."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare.loader import _Locator, read_file
from modelcompare.registry import builtin_files
from test_fuzz_loader import NOTES, USER, mutated


class EagerLocator:
    """The locator as it was: every line read when it is made (the reference)."""

    _KEY = re.compile(r'\s*(\[+\s*)?("[^"\n]*"|\'[^\'\n]*\'|[A-Za-z0-9_-]+)')

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self._headers: dict[str, list[int]] = {}
        self._first: dict[str, int] = {}
        self._keys: dict[int, dict[str, int]] = {}
        for i, line in enumerate(self.lines, 1):
            m = re.match(r"^\s*\[\[\s*([A-Za-z_.]+)\s*\]\]", line)
            if m:
                self._headers.setdefault(m.group(1), []).append(i)
            k = self._KEY.match(line)
            if k:
                self._first.setdefault(k.group(2).strip("\"'"), i)

    def first(self, key: str) -> int | None:
        return self._first.get(key)

    def line(self, table: str, index: int, key: str | None = None) -> int | None:
        starts = self._headers.get(table, [])
        if index >= len(starts):
            return self.first(table.split(".")[0])
        start = starts[index]
        if key is None:
            return start
        return self._record_keys(start).get(key, start)

    def _record_keys(self, start: int) -> dict[str, int]:
        keys = self._keys.get(start)
        if keys is None:
            keys = {}
            for j in range(start, len(self.lines)):
                text = self.lines[j]
                if re.match(r"^\s*\[\[?\s*[A-Za-z]", text):
                    break
                m = re.match(r'^\s*("[^"\n]*"|\'[^\'\n]*\'|[^\s=]+)\s*=', text)
                if m:
                    keys.setdefault(m.group(1).strip("\"'"), j + 1)
            self._keys[start] = keys
        return keys

    def quote_lines(self, table: str, index: int, key: str) -> list[int]:
        start = self.line(table, index, key)
        if start is None:
            return []
        out: list[int] = []
        for j in range(start - 1, len(self.lines)):
            text = self.lines[j]
            if j >= start and re.match(r"^\s*(\[\[?\s*[A-Za-z]|[A-Za-z_][\w-]*\s*=)", text):
                break
            out.extend(j + 1 for _ in re.finditer(r"\bquote\s*=", text))
        return out


TABLES = ["source", "model", "claim", "accelerator", "accelerator.spec", "_x", "root"]
KEYS = [None, "citations", "mentions", "outside", "value", "quote", "id", "unit", "root"]

#: Pieces of lines a hostile file is made of: headers (spaced, quoted, dotted, of
#: no letter), keys (quoted, bare, dotted), quotes, and the separators TOML does
#: not count as line ends (\r, U+2028, U+0085, \x0c, \x1f).
PIECES = st.sampled_from(
    [
        "[[claim]]",
        " [[ claim ]]",
        "\t[[model]] # c",
        "[[accelerator.spec]]",
        "[[_x]]",
        "[[.]]",
        "[claim.value]",
        "[ a",
        '[["claim"]]',
        "citations = [",
        '"citations" = [',
        "'citations' = [",
        "citations.x = 1",
        "mentions = [{ source = 'a', quote = 'b' }, { quote = 'c' }]",
        "outside = [",
        '{ source = "s", quote = "q" },',
        "quote = 1",
        "quotes = 2",
        "xquote = 3",
        "  quote=4 quote =5",
        "value = 1",
        "]",
        "id = 'x'",
        'root = "."',
        "# quote = 6",
        "=",
        "",
        " ",
    ]
)
SEPARATORS = st.sampled_from(["\n", "\n", "\n", "\r\n", "\u2028", "\u0085", "\x0c", "\x1f", " "])


@st.composite
def hostile_texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(PIECES, SEPARATORS), max_size=30))
    text = "".join(p + s for p, s in parts)
    if draw(st.booleans()):
        text = text.rstrip("\n")
    return text


def assert_same_lines(text: str) -> None:
    lazy, eager = _Locator(text), EagerLocator(text)
    assert lazy._headers == eager._headers
    for table in TABLES:
        for index in range(len(eager._headers.get(table, [])) + 2):
            for key in KEYS:
                assert lazy.line(table, index, key) == eager.line(table, index, key)
                if key is not None:
                    assert lazy.quote_lines(table, index, key) == eager.quote_lines(
                        table, index, key
                    )
    for key in (*TABLES, *(k for k in KEYS if k), "quote", "x"):
        assert lazy.first(key) == eager.first(key)


@settings(max_examples=300, deadline=None)
@given(hostile_texts())
def test_lazy_lines_are_the_eager_lines_on_hostile_text(text: str) -> None:
    """Headers, record keys, first keys and quote lines, on text made to confuse them."""
    assert_same_lines(text)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mutated(USER))
def test_lazy_lines_are_the_eager_lines_on_mutated_files(text: str) -> None:
    """On a user file mutated as the fuzz test mutates it (CRLF, U+2028, BOM …)."""
    assert_same_lines(text)


def test_lazy_lines_are_the_eager_lines_on_the_builtin_files() -> None:
    for path in builtin_files():
        assert_same_lines(path.read_text(encoding="utf-8"))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=mutated(USER))
def test_every_origin_holds_the_eager_lines(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    """A file that loads: each claim's and model's Origin gives the line of its table
    and of each of its citations that the eager locator finds, before and after
    pickling."""
    folder = Path(tmp_path_factory.mktemp("f"))
    (folder / "notes.txt").write_text(NOTES, encoding="utf-8")
    path = folder / "data.toml"
    path.write_text(text, encoding="utf-8")
    try:
        reg = mc.load_registry(paths=[path], builtin=False)
    except mc.DataFileError:
        return
    eager = EagerLocator(text.removeprefix("\ufeff"))
    seen = 0
    for model in reg:
        o = model.origin
        assert o is not None
        models = eager._headers.get("model", [])
        if o.line in models:
            want = eager.quote_lines("model", models.index(o.line), "mentions")
            got = [o.citation_line(n) for n in range(len(model.mentions))]
            assert got == [want[n] if n < len(want) else o.line for n in range(len(got))]
        for claim in model.stated_claims:
            co = claim.origin
            assert co is not None
            starts = eager._headers.get("claim", [])
            if co.line in starts:
                want = eager.quote_lines("claim", starts.index(co.line), "citations")
                lines = co.citation_lines
                assert list(lines) == [
                    want[n] if n < len(want) else None for n in range(len(claim.citations))
                ]
                seen += 1
            back = pickle.loads(pickle.dumps(co))
            assert back == co
            assert back.citation_lines == co.citation_lines
    assert seen or not any(m.stated_claims for m in reg)


def test_a_problem_in_a_citation_is_located_at_its_quote(tmp_path: Path) -> None:
    """The lines found lazily are those a problem names: the second quote of an array
    spread over lines, in a file whose earlier records were never asked about."""
    (tmp_path / "notes.txt").write_text(NOTES, encoding="utf-8")
    text = USER + (
        "\n[[claim]]\n"
        'model = "acme-1"\n'
        'field = "parameters"\n'
        'value = { exact = 70, unit = "Gparameter" }\n'
        'status = "official"\n'
        "citations = [\n"
        '  { source = "my-notes", quote = "about 70 billion parameters" },\n'
        '  { source = "no-such-source", quote = "70" },\n'
        "]\n"
    )
    path = tmp_path / "data.toml"
    path.write_text(text, encoding="utf-8")
    fd = read_file(path)
    assert not fd.problems
    try:
        mc.load_registry(paths=[path], builtin=False)
    except mc.DataFileError as exc:
        problems = exc.problems
    else:
        raise AssertionError("an unknown source is refused")
    line = text.count("\n", 0, text.index("no-such-source")) + 1
    assert [(p.line, p.field) for p in problems] == [(line, "citations")]


@given(st.text() | st.text(st.characters(max_codepoint=127)))
def test_ascii_names_normalize_as_any_text_does(name: str) -> None:
    """The lookup key of an ASCII name (one regex) is the one the general rule
    (NFKD, case folding, letters and digits) gives."""
    from modelcompare.loader import _normalize_unicode, normalize

    assert normalize(name) == _normalize_unicode(name)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mutated(USER))
def test_a_claim_read_in_one_step_is_the_claim_read_step_by_step(text: str) -> None:
    """Where the one-step reading of a [[claim]] takes it, it makes the draft that
    the step-by-step reading makes, and that reading reports nothing."""
    import tomllib

    from modelcompare.loader import _CLAIM_KEYS, _claim, _Context, _plain_claim

    try:
        doc = tomllib.loads(text.removeprefix("\ufeff"))
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return
    claims = doc.get("claim")
    if not isinstance(claims, list):
        return
    ctx = _Context(Path("data.toml"), text.removeprefix("\ufeff"))
    for i, raw in enumerate(claims):
        fast = _plain_claim(ctx, i, raw)
        if fast is None:
            continue
        slow = _claim(ctx, "claim", i, raw, _CLAIM_KEYS)
        assert not ctx.problems
        assert (fast.record, fast.line, fast.start) == (slow.record, slow.line, slow.start)
        assert fast.kwargs.keys() == slow.kwargs.keys()
        for key, value in fast.kwargs.items():
            if key == "status":  # given as the member the Claim makes of the text
                assert value is mc.Status(slow.kwargs[key])
            else:
                assert repr(value) == repr(slow.kwargs[key]), key
        assert [(c.source, c.quote, c.no_figure, c.scale, c.at()) for c in fast.cites] == [
            (c.source, c.quote, c.no_figure, c.scale, c.at()) for c in slow.cites
        ]


def test_plain_claims_are_read_in_one_step() -> None:
    """The user file's claims with no problem take the one-step reading."""
    import tomllib

    from modelcompare.loader import _Context, _plain_claim

    ctx = _Context(Path("data.toml"), USER)
    claims = tomllib.loads(USER)["claim"]
    assert all(_plain_claim(ctx, i, raw) is not None for i, raw in enumerate(claims))


@given(st.text(max_size=12), st.sampled_from(["+", "++", " +", "+ "]))
def test_a_plus_is_part_of_a_name(name: str, plus: str) -> None:
    """``Command R+`` is not ``Command R``, nor ``PointNet++`` ``PointNet``: a name's
    key keeps its ``+`` (spaces around it aside), where it has a letter or digit."""
    from modelcompare.loader import normalize

    key = normalize(name)
    if key:
        assert normalize(name + plus) == key + plus.strip()
        assert normalize(name + plus) != key
    assert normalize(plus) == ""
