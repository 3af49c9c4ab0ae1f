"""Derived fields: computed on demand from claims (and the hardware catalog)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .records import Claim

if TYPE_CHECKING:
    from .records import Model
    from .registry import Registry


def derive(registry: Registry, model: Model, field: str) -> tuple[Claim, ...]:
    """The derived claims of ``field`` for ``model`` (none yet)."""
    return ()
