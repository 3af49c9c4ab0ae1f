"""The package's one pint unit registry, built from ``units.txt``.

``ureg`` is registered as pint's application registry, so quantities made
here pickle and unpickle. Conversions go through :func:`to_unit`, which turns
pint's errors into :class:`~modelcompare.errors.UnitError`.
"""

from __future__ import annotations

import functools
import os
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeAlias

import pint

from .errors import UnitError

__all__ = ["Q_", "Quantity", "Unit", "quantity", "to_unit", "unit", "ureg"]

Quantity: TypeAlias = pint.Quantity
Unit: TypeAlias = pint.Unit


def _cache_folder() -> str | None:
    """Where pint may cache the parsed definitions (``MODELCOMPARE_CACHE_DIR``;
    ``MODELCOMPARE_NO_CACHE=1`` turns caching off)."""
    if os.environ.get("MODELCOMPARE_NO_CACHE"):
        return None
    folder = os.environ.get("MODELCOMPARE_CACHE_DIR")
    if folder is None:
        from platformdirs import user_cache_dir

        folder = user_cache_dir("modelcompare", appauthor=False)
    return folder


def _build_registry() -> Any:
    """The registry from units.txt, through pint's on-disk cache where it can write one."""
    definitions = str(files("modelcompare") / "units.txt")
    kwargs: dict[str, Any] = {"autoconvert_offset_to_baseunit": False, "on_redefinition": "raise"}
    folder = _cache_folder()
    if folder is not None:
        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
            return pint.UnitRegistry(filename=definitions, cache_folder=folder, **kwargs)
        except OSError:
            pass  # an unwritable cache only costs start-up time
    return pint.UnitRegistry(filename=definitions, **kwargs)


ureg: Any = _build_registry()
pint.set_application_registry(ureg)  # type: ignore[no-untyped-call]
Q_ = ureg.Quantity

#: The dimension names of accelerator units (``[accelerator_H100]`` …).
ACCELERATOR_PREFIX = "[accelerator_"


def unit(name: str | Any) -> Any:
    """Return the registry's unit for ``name``; :class:`UnitError` if unknown."""
    if not isinstance(name, str):
        return name
    return _parse_unit(name)


@functools.lru_cache(maxsize=512)
def _parse_unit(name: str) -> Any:
    """Parse a unit name once (pint re-parses each time it is asked)."""
    try:
        return ureg.parse_units(name)
    except (
        pint.errors.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        AttributeError,
        ValueError,
        TypeError,
        AssertionError,
    ) as exc:
        raise UnitError(f"unknown unit {name!r}") from exc


def quantity(value: float | int | Any, unit_name: str | Any | None = None) -> Any:
    """A :class:`Quantity` from a number and a unit (or a quantity as it is)."""
    if isinstance(value, ureg.Quantity):
        if unit_name is not None:
            return to_unit(value, unit_name)
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UnitError(f"expected a number or a quantity, got {value!r}")
    return Q_(value, unit(unit_name) if unit_name is not None else ureg.dimensionless)


def to_unit(q: Any, target: str | Any) -> Any:
    """Convert ``q`` to ``target``, raising :class:`UnitError` on a dimension mismatch."""
    target_unit = unit(target)
    try:
        return q.to(target_unit)
    except pint.errors.DimensionalityError as exc:
        raise UnitError(
            f"cannot convert {units_label(q.units)} ({dimension_label(q)}) "
            f"to {units_label(target_unit)} ({dimension_label(Q_(1, target_unit))})"
        ) from exc


def dimension_label(q: Any) -> str:
    """The dimension of ``q`` as people read it: ``[parameter]``, ``dimensionless``."""
    dims = q.dimensionality
    return str(dims) if dims else "dimensionless"


def units_label(u: Any) -> str:
    """A unit's short symbol: ``H100``, ``Gparameter``, ``TFLOP / s``."""
    text = f"{u:~}"
    return text or "dimensionless"


def is_accelerator(q: Any) -> bool:
    """True when ``q`` counts accelerators of one kind."""
    dims = dict(q.dimensionality)
    return (
        len(dims) == 1
        and next(iter(dims)).startswith(ACCELERATOR_PREFIX)
        and next(iter(dims.values())) == 1
    )


@functools.cache
def accelerator_units() -> tuple[str, ...]:
    """The symbols of every accelerator unit ``units.txt`` defines: ``H100``, ``GB200`` …"""
    return tuple(sorted({accelerator_symbol(Q_(1, n)) for n in ureg if is_accelerator(Q_(1, n))}))


def accelerator_symbol(q: Any) -> str:
    """``H100`` for a count of H100s."""
    dim = next(iter(q.dimensionality))
    return str(dim)[len(ACCELERATOR_PREFIX) : -1]
