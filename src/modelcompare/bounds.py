"""The vocabulary of an estimate: how a value is bounded (:class:`Bound`), how two
compare (:class:`Ordering`), and what reading one needs (:class:`Figures`).

It sits below :mod:`~modelcompare.estimate`, which defines the values, and
:mod:`~modelcompare.display`, which writes them: so the writing never imports
the values it writes (``Estimate.__str__`` calls the display, not the reverse).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol

__all__ = ["Bound", "Figures", "Ordering"]


class Bound(StrEnum):
    """How a value is bounded."""

    EXACT = "exact"  #: stated with no qualifier; low == nominal == high
    APPROX = "approx"  #: "about"; a finite interval around the nominal value
    AT_LEAST = "at_least"  #: "more than", "at least"; no upper bound
    AT_MOST = "at_most"  #: "up to", "at most"; no lower bound
    RANGE = "range"  #: "from x to y"; a finite interval
    UNKNOWN = "unknown"  #: no bound known (a unit with no figure, or a result that lost both)


class Ordering(StrEnum):
    """The answer of :meth:`Estimate.compare <modelcompare.Estimate.compare>`."""

    LESS = "less"  #: certainly less: every value of one is below every value of the other
    GREATER = "greater"  #: certainly greater
    EQUAL = "equal"  #: both exact and equal
    CANNOT_TELL = "cannot_tell"  #: the intervals overlap


class Figures(Protocol):
    """What writing an estimate reads of it (:class:`~modelcompare.Estimate` has it all)."""

    @property
    def bound(self) -> Bound:
        """Its bound kind."""

    @property
    def units(self) -> Any:
        """Its unit (a pint Unit)."""

    @property
    def _ends(self) -> tuple[float, float, float]:
        """``(low, nominal, high)`` in its unit, ``±inf`` where unbounded."""

    def interval(self, unit: str | Any | None = None) -> tuple[float, float, float]:
        """``(low, nominal, high)`` as floats in ``unit`` (default: its own)."""
        ...
