"""Records read on first use: the rows of a dataset, and the sources they give.

A database export holds thousands of rows, and a command asks for a few of
them. Its reader checks every row when the file loads (a row with a problem
is reported then, with its file, line and column, as with any data file),
and the records of a row that has none — its model, claims and citations,
its primary source — are made the first time they are asked for, the same
records a reader that made them all at once would have made (the tests hold
the two to each other, record for record).

The rows a reader leaves for later are :class:`~modelcompare.loader.DeferredRows`,
and the models the merge leaves for later
:class:`~modelcompare.loader.LazyModel`; this module holds the registry's
sources, some still to make (:class:`LazySources`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .records import Source

__all__ = ["LazySources"]


class LazySources(Mapping[str, Source]):
    """Sources by id, in order, some made only when first asked for (a dataset
    row's own source, made with its row). Pickled, copied or compared, it is
    the plain ``dict`` of every source."""

    __slots__ = ("_lock", "_made", "_make", "_order", "_pending")

    def __init__(
        self,
        order: list[str],
        made: dict[str, Source],
        pending: dict[str, Any],
        make: Callable[[Any], Source],
    ) -> None:
        """``order``: every id; ``made``: the sources made, by id; ``pending``: what
        ``make`` makes each of the others of, by id."""
        self._order = order
        self._made = made
        self._pending = pending
        self._make = make
        self._lock = threading.Lock()

    def __getitem__(self, key: str) -> Source:
        found = self._made.get(key)
        if found is not None:
            return found
        with self._lock:
            found = self._made.get(key)
            if found is None:
                what = self._pending[key]  # KeyError: no such source
                found = self._made[key] = self._make(what)
                del self._pending[key]
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._made or key in self._pending

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self.items()),))

    def __repr__(self) -> str:
        return f"<LazySources: {len(self)} sources, {len(self._pending)} not yet made>"
