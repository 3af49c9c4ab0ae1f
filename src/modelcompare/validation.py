"""What ``validate`` checks in loaded data, each problem at its place in its file.

For every claim of a model: each quote stands verbatim in its source's text;
the quote gives the claim's figure, as :func:`~modelcompare.parsing.find_quantities`
reads it in the source's language (a citation's ``no_figure`` says why a quote
gives none, its ``scale`` how a French billion reads); no two claims say the
same thing from the same sources; and, as warnings, claims that contradict
each other. See docs/data-format.md, "What validate checks".
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from .estimate import Bound, Estimate
from .fields import FIELDS
from .model import Model
from .records import Citation, Claim, Origin, Rank, Source

if TYPE_CHECKING:
    from .reconcile import Conflict

__all__ = ["Problem", "check"]

Severity = Literal["error", "warning"]

#: How a rank's position is written: 13e, 13ème, 13th, #13, n° 13, rank 13.
_ORDINAL = r"(?<![0-9]){n}\s*(?:e|è|ème|eme|er|ère|re|th|st|nd|rd)(?!\w)"
_NUMBERED = r"(?:#|n°|no\.|rank|rang|number|numéro)\s*{n}(?![0-9])"

#: The languages find_quantities reads.
_READABLE = ("en", "fr")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing :meth:`Registry.validate` found: where (the data file, its line,
    the record, the field), what, a suggestion where there is one, and whether it
    is an ``"error"`` or a ``"warning"``."""

    path: str
    record: str
    field: str
    message: str
    line: int | None = None
    suggestion: str | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        parts = [self.path + (f":{self.line}" if self.line is not None else "")]
        if self.record:
            parts.append(self.record)
        if self.field:
            parts.append(f"field {self.field!r}")
        text = ": ".join([*parts, self.message])
        return text + (f" ({self.suggestion})" if self.suggestion else "")


def _where(origin: Origin | None, fallback: str) -> tuple[str, str, int | None]:
    if origin is None:
        return "-", fallback, None
    return origin.path, origin.record, origin.line


def _cite_line(origin: Origin | None, n: int) -> int | None:
    """The line of a record's ``n``-th citation (asked only where a problem is
    reported: a loader finds these lines on demand)."""
    return origin.citation_line(n) if origin is not None else None


#: A word: a longest run of letters and digits (the \w characters but "_").
_WORD = re.compile(r"[^\W_]+")


class _Quotes:
    """Whether quotes stand in one source's text: searched for while the source is
    cited a few times, looked up in an index of its words once searching it again
    and again would cost more than reading it once, so that checking thousands of
    quotes against one large source (a dataset's text, a long report) stays linear.

    The lookup is exact: a quote that stands in the text has each of its inner
    words (a word with a character of the quote on each side, which neither letters
    nor digits) as a word of the text, at the same distance from its start; so the
    quote is looked for only where its rarest inner word stands (where it has none,
    the text is searched)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._scanned = 0
        self._words: dict[str, list[int]] | None = None

    def __contains__(self, quote: str) -> bool:
        if self._words is None:
            self._scanned += len(self.text)
            if self._scanned <= 4 * len(self.text) + 1_000_000:
                return quote in self.text
            self._words = self._index()
        return self.found(quote)

    def _index(self) -> dict[str, list[int]]:
        words: dict[str, list[int]] = {}
        for m in _WORD.finditer(self.text):
            words.setdefault(m.group(), []).append(m.start())
        return words

    def found(self, quote: str) -> bool:
        """``quote in text``, by the index of the text's words."""
        words = self._words if self._words is not None else self._index()
        self._words = words
        best: tuple[int, list[int]] | None = None
        for m in _WORD.finditer(quote):
            if m.start() == 0 or m.end() == len(quote):
                continue  # it may be part of a longer word of the text
            where = words.get(m.group())
            if where is None:
                return False
            if best is None or len(where) < len(best[1]):
                best = (m.start(), where)
        if best is None:
            return quote in self.text
        offset, where = best
        text = self.text
        return any(p >= offset and text.startswith(quote, p - offset) for p in where)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._texts: dict[str, str | None] = {}
        self._tables: dict[str, dict[int, dict[str, str]] | None] = {}
        self._quotes: dict[str, _Quotes] = {}

    def table(self, src: Source) -> dict[int, dict[str, str]] | None:
        """A dataset's cells by row line and column: read once, so that each located
        quote is checked by one look-up (linear in the file)."""
        if src.id not in self._tables:
            from .errors import ModelCompareError
            from .readers.epoch import cells_by_line

            try:
                assert src.file is not None
                text = src.file.read_bytes().decode("utf-8-sig")
                self._tables[src.id] = cells_by_line(src.file, text)
            except (OSError, UnicodeDecodeError, AssertionError, ModelCompareError):
                self._tables[src.id] = None
        return self._tables[src.id]

    def add(
        self,
        origin: Origin | None,
        fallback: str,
        field: str,
        message: str,
        *,
        line: int | None = None,
        suggestion: str | None = None,
        severity: Severity = "error",
    ) -> None:
        path, record, own = _where(origin, fallback)
        self.problems.append(
            Problem(path, record, field, message, line or own, suggestion, severity)
        )

    def quotes_of(self, src: Source, text: str) -> _Quotes:
        """What looks quotes up in ``src``'s text (white space normalized: ``text``)."""
        found = self._quotes.get(src.id)
        if found is None:
            found = self._quotes[src.id] = _Quotes(text)
        return found

    def text(self, src: Source) -> str | None:
        if src.id not in self._texts:
            try:
                self._texts[src.id] = " ".join(src.text().split())
            except (OSError, UnicodeDecodeError):
                self._texts[src.id] = None
        return self._texts[src.id]

    def quotes(
        self, origin: Origin | None, fallback: str, field: str, cites: Sequence[Citation]
    ) -> list[bool]:
        """Check each quote stands in its source; whether each one could be read there."""
        found_ok: list[bool] = []
        for n, c in enumerate(cites):
            src = c.source
            where = f"source {src.id!r} ({src.file or src.url})"
            if c.locator is not None and src.file is not None:  # a dataset's cell
                cells = self.table(src)
                row = cells.get(c.locator.line) if cells is not None else None
                cell = row.get(c.locator.column) if row is not None else None
                if cells is None:
                    line = _cite_line(origin, n)
                    self.add(origin, fallback, field, f"{where} cannot be read", line=line)
                elif cell is None or " ".join(cell.split()) != " ".join(c.quote.split()):
                    found = "no such cell" if cell is None else f"the cell holds {cell!r}"
                    self.add(
                        origin,
                        fallback,
                        field,
                        f"quote not found at {c.locator} of {where}: {c.quote!r} ({found})",
                        line=_cite_line(origin, n),
                    )
                found_ok.append(False)  # a cell's figure is its reader's reading, not re-read
                continue
            text = self.text(src)
            if text is None:
                if src.path is not None:
                    line = _cite_line(origin, n)
                    self.add(
                        origin, fallback, field, f"{where} has no readable UTF-8 text", line=line
                    )
                found_ok.append(False)
                continue
            ok = " ".join(c.quote.split()) in self.quotes_of(src, text)
            if not ok:
                self.add(
                    origin,
                    fallback,
                    field,
                    f"quote not found verbatim in {where}: {c.quote!r}",
                    line=_cite_line(origin, n),
                )
            found_ok.append(ok)
        return found_ok

    def figures(self, claim: Claim, fallback: str, readable: Iterable[bool]) -> None:
        """Check each readable quote gives the claim's figure (or says why it does not)."""
        for n, (c, ok) in enumerate(zip(claim.citations, readable, strict=True)):
            if not ok:
                continue
            got = _figure_problem(claim.value, c)
            if got is not None:
                line = _cite_line(claim.origin, n)
                message, suggestion, severity = got
                self.add(
                    claim.origin,
                    fallback,
                    "citations",
                    message,
                    line=line,
                    suggestion=suggestion,
                    severity=severity,
                )

    def duplicates(self, model: Model) -> None:
        """Two claims identical in field, value, status and sources are one claim."""
        seen: list[Claim] = []
        for c in model.stated_claims:
            first = next((s for s in seen if _same_claim(s, c)), None)
            if first is None:
                seen.append(c)
                continue
            self.add(
                c.origin,
                f"claim ({model.id}, {c.field})",
                "citations",
                f"the same claim as {_place(first.origin, c.origin)}: same field, value, "
                "status and sources",
                suggestion="merge them: one claim citing both quotes",
            )

    def conflicts(self, found: Iterable[Conflict]) -> None:
        for conflict in found:
            for a, b in conflict.pairs:
                first, second = sorted((a, b), key=_order)
                self.add(
                    second.origin,
                    f"claim ({conflict.model.id}, {conflict.field})",
                    "value",
                    f"{second.value} contradicts {first.value} of "
                    f"{_place(first.origin, second.origin)}",
                    severity="warning",
                )


def _order(claim: Claim) -> tuple[str, int]:
    o = claim.origin
    return (o.path, o.line or 0) if o is not None else ("", 0)


def _place(origin: Origin | None, here: Origin | None) -> str:
    """How a problem at ``here`` names the record at ``origin``."""
    if origin is None:
        return "another claim"
    if here is not None and here.path == origin.path:
        return f"{origin.record} (line {origin.line})"
    return f"{origin.record} ({origin.path}:{origin.line})"


def _same_claim(a: Claim, b: Claim) -> bool:
    return (
        a.field == b.field
        and a.status is b.status
        and type(a.value) is type(b.value)
        and a.value == b.value
        and {s.id for s in a.sources} == {s.id for s in b.sources}
    )


def _same_figure(value: Estimate, found: Estimate) -> bool:
    """The figure found states ``value``: equal, or the same "about" figure where the
    value sets its own span."""
    if value == found:
        return True
    if value.bound is not Bound.APPROX or found.bound is not Bound.APPROX:
        return False
    if value.dimensionality != found.dimensionality:
        return False
    a, b = value.interval()[1], found.to(value.units).interval()[1]
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def _read(
    quote: str, lang: str, scale: str | None, unit: str | None
) -> tuple[list[Estimate], bool]:
    """The quantities of ``quote``, and whether a French billion/trillion in it was
    read with no scale given."""
    from .parsing import AmbiguousScaleWarning, find_quantities

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AmbiguousScaleWarning)
        found = find_quantities(quote, lang, scale=scale, default_unit=unit)  # type: ignore[arg-type]
    ambiguous = any(issubclass(w.category, AmbiguousScaleWarning) for w in caught)
    return [e for _, _, e in found], ambiguous


def _bare_units(value: Estimate) -> list[str]:
    """Units a figure the quote leaves without its unit may count: the value's base
    unit (``7B`` models: 7 × 10⁹ parameters) and its own (``8,38`` on MT-bench)."""
    return list(_bare_units_of(value.units))


@functools.lru_cache(maxsize=1024)
def _bare_units_of(units: Any) -> tuple[str, ...]:
    """:func:`_bare_units` of a value in ``units``, computed once per unit."""
    own = f"{units}"
    base = f"{(1 * units).to_base_units().units}"
    return tuple(u for u in dict.fromkeys((base, own)) if u != "dimensionless")


def _figure_problem(value: object, cite: Citation) -> tuple[str, str | None, Severity] | None:
    """What is wrong with ``cite`` as a statement of ``value``, if anything."""
    if not isinstance(value, Estimate | Rank):
        return None  # a category or a relation, stated in words
    quote, lang = cite.quote, cite.source.language
    if isinstance(value, Rank):
        n = value.position
        said = re.search(_ORDINAL.format(n=n), quote) or re.search(
            _NUMBERED.format(n=n), quote, re.IGNORECASE
        )
        if cite.no_figure is not None:
            return ("the quote gives the rank: remove no_figure", None, "error") if said else None
        if said:
            return None
        return (
            f"the quote gives no rank {n} (as '{n}e', '{n}th' or '#{n}')",
            _NO_FIGURE_HINT,
            "error",
        )
    if lang not in _READABLE:
        return (
            f"the figure was not checked: no reader for {lang!r} text (only en, fr)",
            None,
            "warning",
        )
    found, ambiguous = _read(quote, lang, cite.scale, None)
    if not value.is_known:
        return None if cite.no_figure is not None else _unknown_problem(value, found)
    with_unit = any(_same_figure(value, e) for e in found)
    if cite.no_figure is not None:  # refused only where the quote states it, unit and all
        if with_unit:
            return (f"the quote gives {value}: remove no_figure", None, "error")
        return None
    stated = with_unit or any(
        _same_figure(value, e)
        for unit in _bare_units(value)
        for e in _read(quote, lang, cite.scale, unit)[0]
    )
    if stated:
        return None
    if ambiguous and cite.scale is None:
        other, _ = _read(quote, lang, "short", None)
        if any(_same_figure(value, e) for e in other):
            return (
                f"the quote's billion/trillion reads as {_listed(found, value)} in the "
                f"French long scale, not {value}",
                'if the source means it in the English sense, add scale = "short" to the citation',
                "error",
            )
    same = [e for e in found if e.is_known and e.dimensionality == value.dimensionality]
    if same:
        return (f"the quote gives {_listed(same, value)}, not {value}", None, "error")
    return (f"the quote gives no figure for {value}", _NO_FIGURE_HINT, "error")


_NO_FIGURE_HINT = (
    'if the source states it without a figure, say why: no_figure = "…" in the citation'
)


def _listed(found: Sequence[Estimate], value: Estimate) -> str:
    shown = [str(e) for e in found if e.dimensionality == value.dimensionality] or [
        str(e) for e in found
    ]
    return ", ".join(dict.fromkeys(shown)) or "nothing"


def _unknown_problem(
    value: Estimate, found: Sequence[Estimate]
) -> tuple[str, str | None, Severity] | None:
    """``? GB200``: the quote names the chip and gives no count of it."""
    counts = [e for e in found if e.is_known and e.dimensionality == value.dimensionality]
    if counts:
        return (
            f"the quote gives {_listed(counts, value)}: the value is that figure, not {value}",
            None,
            "error",
        )
    if any(e.dimensionality == value.dimensionality for e in found):
        return None
    from .units import units_label

    unit = units_label(value.units)
    return (
        f"the quote does not name {unit} ({value} says the source names it with no figure)",
        None,
        "error",
    )


def check(
    models: Iterable[Model],
    accelerators: Iterable[object] = (),
    conflicts: Iterable[Conflict] = (),
    *,
    include_warnings: bool = False,
    files: Iterable[object] = (),
    partial: Iterable[str] = (),
    sources: Iterable[Source] = (),
) -> list[Problem]:
    """Every problem of the loaded records (and, with ``include_warnings``, the
    warnings: ``conflicts`` and unchecked figures), in the order of ``files``
    and of their lines. ``partial`` names the files some of whose records were
    refused: a model there with no claim left is not reported again."""
    from .records import Accelerator

    refused = set(partial)
    checker = _Checker()
    for src in sources:
        checker.quotes(None, f"source {src.id!r}", "outside", src.outside)
    for m in models:
        fallback = f"model {m.id!r}"
        checker.quotes(m.origin, fallback, "mentions", m.mentions)
        checker.quotes(
            None if m.origin is None else replace(m.origin, citation_lines=()),
            fallback,
            "outside",
            m.outside,
        )
        where = m.origin.path if m.origin is not None else None
        if not m.stated_claims and not m.mentions and where not in refused:
            checker.add(
                m.origin, fallback, "mentions", "a model needs a claim or a mention citing a source"
            )
        for c in m.stated_claims:
            rec = f"claim ({m.id}, {c.field})"
            readable = checker.quotes(c.origin, rec, "citations", c.citations)
            checker.figures(c, rec, readable)
            problem = FIELDS[c.field].check(c.value)
            if problem:
                checker.add(c.origin, rec, "value", problem)
        checker.duplicates(m)
    for a in accelerators:
        assert isinstance(a, Accelerator)
        for s in a.specs:
            rec = f"accelerator {a.id!r} spec {s.field}"
            checker.quotes(s.origin, rec, "citations", s.citations)
    checker.conflicts(conflicts)
    problems = checker.problems
    if not include_warnings:
        problems = [p for p in problems if p.severity == "error"]
    order = {str(f): n for n, f in enumerate(files)}
    for p in problems:
        order.setdefault(p.path, len(order))
    return sorted(problems, key=lambda p: (order[p.path], p.line or 0))
