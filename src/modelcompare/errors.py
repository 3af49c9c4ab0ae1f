"""The exception tree: every error modelcompare raises derives from
:class:`ModelCompareError` and from the builtin it behaves like."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "ConflictError",
    "DataFileError",
    "DivisionByZeroError",
    "InvalidValueError",
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


class UnknownFieldError(ModelCompareError, KeyError):
    """No field (or accelerator, or source) has this name."""

    name: str
    kind: str
    suggestions: tuple[str, ...]

    def __init__(self, name: str, suggestions: Sequence[str] = (), kind: str = "field") -> None:
        super().__init__(name=name, suggestions=tuple(suggestions), kind=kind)

    def __str__(self) -> str:
        return f"no {self.kind} named {self.name!r}{_did_you_mean(self.suggestions)}"


class DataFileError(ModelCompareError, ValueError):
    """A registry data file is malformed or inconsistent.

    The message names the file, the line where one is known, the record and
    the field, what was expected, and a suggestion where one exists.
    """

    path: str
    message: str
    line: int | None
    record: str | None
    field: str | None
    suggestion: str | None

    def __init__(
        self,
        path: str,
        message: str,
        *,
        line: int | None = None,
        record: str | None = None,
        field: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        super().__init__(
            path=path, message=message, line=line, record=record, field=field, suggestion=suggestion
        )

    def __str__(self) -> str:
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
