"""The exception tree: every error modelcompare raises derives from
:class:`ModelCompareError` and from the builtin it behaves like."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "AmbiguousModelError",
    "ConflictError",
    "DataFileError",
    "DataFileWarning",
    "DivisionByZeroError",
    "InvalidValueError",
    "MissingDependencyError",
    "ModelCompareError",
    "NoValueError",
    "ParseError",
    "UnitError",
    "UnknownFieldError",
    "UnknownModelError",
]


class ModelCompareError(Exception):
    """Base class of every error modelcompare raises.

    Subclasses keep their details as attributes, build the message in
    ``__str__`` and survive pickling.
    """

    def __init__(self, **fields: Any) -> None:
        super().__init__(*fields.values())
        self._fields = fields
        for name, value in fields.items():
            setattr(self, name, value)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self._fields))

    def __str__(self) -> str:  # pragma: no cover - every subclass overrides
        return ", ".join(f"{k}={v!r}" for k, v in self._fields.items())


def _rebuild(cls: type[ModelCompareError], fields: dict[str, Any]) -> ModelCompareError:
    return cls(**fields)


def _did_you_mean(suggestions: Sequence[str]) -> str:
    if not suggestions:
        return ""
    quoted = " or ".join(repr(s) for s in suggestions)
    return f"; did you mean {quoted}?"


class UnknownModelError(ModelCompareError, KeyError):
    """No model has this id, name or alias. ``suggestions`` holds near matches."""

    name: str
    suggestions: tuple[str, ...]

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(name=name, suggestions=tuple(suggestions))

    def __str__(self) -> str:
        return f"no model named {self.name!r}{_did_you_mean(self.suggestions)}"


class AmbiguousModelError(ModelCompareError, KeyError):
    """Several models have this name (or alias), none of them exactly as written:
    a data file holds two of one name (Epoch AI's all_ai_models.csv has two
    SigLIPs), or two whose names differ only in case (``CALM``, ``CaLM``).
    ``candidates`` holds each one's id, name and organization; name one by its id."""

    name: str
    candidates: tuple[tuple[str, str, str], ...]

    def __init__(self, name: str, candidates: Sequence[tuple[str, str, str]]) -> None:
        super().__init__(name=name, candidates=tuple(tuple(c) for c in candidates))

    def __str__(self) -> str:
        each = [f"{mid!r} ({name}, {org})" for mid, name, org in self.candidates]
        listed = ", ".join(each[:-1]) + f" and {each[-1]}" if len(each) > 1 else "".join(each)
        return f"{self.name!r} names {len(each)} models: {listed}; name one by its id"


class UnknownFieldError(ModelCompareError, KeyError):
    """No field (or accelerator, or source) has this name."""

    name: str
    kind: str
    suggestions: tuple[str, ...]

    def __init__(self, name: str, suggestions: Sequence[str] = (), kind: str = "field") -> None:
        super().__init__(name=name, suggestions=tuple(suggestions), kind=kind)

    def __str__(self) -> str:
        return f"no {self.kind} named {self.name!r}{_did_you_mean(self.suggestions)}"


#: How many problems a :class:`DataFileError` lists at most (the rest are counted).
MAX_PROBLEMS = 100


#: The longest message a :class:`DataFileError` repeats from a file (a 100 KB value
#: quoted back in full would bury the problem).
MAX_QUOTED = 3000


def _clip(text: str, limit: int = MAX_QUOTED) -> str:
    """``text``, or its start and end around a mark saying how much was left out;
    never longer than ``limit`` (so clipping twice changes nothing)."""
    if len(text) <= limit:
        return text
    mark = f" … ({len(text):,} characters) … "
    head = (limit - len(mark)) * 2 // 3
    tail = limit - len(mark) - head
    return text[:head] + mark + text[len(text) - tail :]


class DataFileError(ModelCompareError, ValueError):
    """A registry data file is malformed or inconsistent.

    The message names the file, the line where one is known, the record and
    the field, what was expected, and a suggestion where one exists.

    Loading collects every problem of the files before it raises: ``problems``
    lists them (each a :class:`DataFileError` for one place; the first
    :data:`MAX_PROBLEMS`), ``total`` counts them all, and the error's own
    ``path``, ``line``, ``record``, ``field`` and ``message`` are those of
    the first. ``str()`` is one line per problem.
    """

    path: str
    message: str
    line: int | None
    record: str | None
    field: str | None
    suggestion: str | None
    total: int

    def __init__(
        self,
        path: str,
        message: str,
        *,
        line: int | None = None,
        record: str | None = None,
        field: str | None = None,
        suggestion: str | None = None,
        problems: Sequence[DataFileError] = (),
        total: int | None = None,
    ) -> None:
        problems = tuple(problems)
        super().__init__(
            path=path,
            message=_clip(message),
            line=line,
            record=None if record is None else _clip(record, 120),
            field=None if field is None else _clip(field, 80),
            suggestion=None if suggestion is None else _clip(suggestion),
            problems=problems,
            total=max(total or 0, len(problems), 1),
        )
        self.problems: tuple[DataFileError, ...] = problems or (self,)
        """Each problem found, one place each (this error alone, if it is one)."""

    @classmethod
    def of(cls, problems: Sequence[DataFileError]) -> DataFileError:
        """One error for several problems (at least one): the first's place, every
        problem in ``problems`` up to :data:`MAX_PROBLEMS`."""
        flat = [q for p in problems for q in p.problems]
        total = sum(p.total for p in problems)
        if len(flat) == 1:
            return flat[0]
        first = flat[0]
        return cls(
            first.path,
            first.message,
            line=first.line,
            record=first.record,
            field=first.field,
            suggestion=first.suggestion,
            problems=flat[:MAX_PROBLEMS],
            total=total,
        )

    def lines(self) -> list[str]:
        """One line per problem, and a last one counting those not listed."""
        out = [p._line() for p in self.problems]
        if self.total > len(self.problems):
            out.append(
                f"… and {self.total - len(self.problems)} more problems "
                f"(only the first {len(self.problems)} are listed)"
            )
        return out

    def __str__(self) -> str:
        if len(self.problems) == 1 and self.total == 1:
            return self._line()
        files = sorted({p.path for p in self.problems})
        return f"{self.total} problems in {', '.join(files)}:\n" + "\n".join(self.lines())

    def _line(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
        parts = [where]
        if self.record is not None:
            parts.append(self.record)
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        text = ": ".join(parts) + ": " + self.message
        if self.suggestion:
            text += f" ({self.suggestion})"
        return text


class DataFileWarning(UserWarning):
    """A data file loads, but something in it deserves a look: it adds nothing at
    all (empty, or only comments)."""


class ParseError(ModelCompareError, ValueError):
    """Text could not be read as a quantity; says what and where."""

    text: str
    position: int
    reason: str

    def __init__(self, text: str, position: int, reason: str) -> None:
        super().__init__(text=text, position=position, reason=reason)

    def __str__(self) -> str:
        return f"cannot read {self.text!r} at position {self.position}: {self.reason}"


class UnitError(ModelCompareError, TypeError):
    """Quantities of incompatible dimensions were combined or converted."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message=message)

    def __str__(self) -> str:
        return self.message


class ConflictError(ModelCompareError, ValueError):
    """Claims contradict each other, so no single value is consistent with all."""

    model: str
    field: str
    claims: tuple[str, ...]

    def __init__(self, model: str, field: str, claims: Sequence[str]) -> None:
        super().__init__(model=model, field=field, claims=tuple(claims))

    def __str__(self) -> str:
        listed = "; ".join(self.claims)
        return (
            f"{self.model}: the claims on {self.field!r} contradict each other ({listed}); "
            f"see model.claims({self.field!r}) or registry.conflicts()"
        )


class InvalidValueError(ModelCompareError, ValueError):
    """A value or an argument that cannot be right: an estimate whose low is above
    its high, a non-finite figure, a result too large for a float, an empty list."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message=message)

    def __str__(self) -> str:
        return self.message


class DivisionByZeroError(ModelCompareError, ZeroDivisionError):
    """Division by an estimate that is exactly zero."""

    message: str

    def __init__(self, message: str = "division by an Estimate that is exactly zero") -> None:
        super().__init__(message=message)

    def __str__(self) -> str:
        return self.message


class NoValueError(ModelCompareError, ValueError):
    """A model has no figure (or no quantity) for a field that a computation needs."""

    model: str
    field: str
    reason: str

    def __init__(self, model: str, field: str, reason: str = "has no figure for") -> None:
        super().__init__(model=model, field=field, reason=reason)

    def __str__(self) -> str:
        return f"{self.model} {self.reason} {self.field!r}"


class MissingDependencyError(ModelCompareError, ImportError):
    """An optional dependency is not installed; the message names the extra that
    installs it (``pip install 'modelcompare[plot]'`` for charts)."""

    package: str
    extra: str
    feature: str

    def __init__(self, package: str, extra: str, feature: str) -> None:
        super().__init__(package=package, extra=extra, feature=feature)

    def __str__(self) -> str:
        return (
            f"{self.feature} need {self.package}, which is not installed; "
            f"install it with: pip install 'modelcompare[{self.extra}]'"
        )
