"""Pausing Python's cyclic garbage collector while many lasting objects are made.

Loading a data file, decoding a cached registry and building a comparison each
make hundreds of thousands of objects that live as long as the result and form
no cycles. The collector would go over all of them again each time a few hundred
more are made (a third of a large load's time; most of a large ``compare``'s
spread). :func:`collector_paused` pauses it for such a step and restores it after.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["collector_paused"]

_paused = [0, False]  # how many pauses are under way; whether the collector ran before
_pause_lock = threading.Lock()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused meanwhile, then as it was.

    Pauses nest, and threads pausing at once share one: the collector runs again
    when the last pause ends, if it ran when the first began."""
    with _pause_lock:
        if _paused[0] == 0:
            _paused[1] = gc.isenabled()
            gc.disable()
        _paused[0] += 1
    try:
        yield
    finally:
        with _pause_lock:
            _paused[0] -= 1
            if _paused[0] == 0 and _paused[1]:
                gc.enable()
