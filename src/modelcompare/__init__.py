"""modelcompare: reported AI model facts, sourced, bounded and unit-checked.

>>> import modelcompare as mc
>>> reg = mc.load_registry()
>>> str(reg["MAI-1-preview"].value("training_accelerators"))
'≈15,000 H100'

Only the unit registry and :class:`Estimate` load on import; everything else
loads on first use, so ``import modelcompare`` costs little more than ``import pint``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    AmbiguousModelError,
    ConflictError,
    DataFileError,
    DataFileWarning,
    DivisionByZeroError,
    InvalidValueError,
    MissingDependencyError,
    ModelCompareError,
    NoValueError,
    ParseError,
    UnitError,
    UnknownFieldError,
    UnknownModelError,
)
from .estimate import Bound, Estimate, Ordering
from .units import Q_, ureg

if TYPE_CHECKING:
    from .comparison import Comparison, compare
    from .fields import FIELDS, FieldKind, FieldSpec
    from .model import Model, ModelSummary
    from .parsing import AmbiguousScaleWarning, FoundQuantity, find_quantities, parse
    from .reconcile import Conflict, Discrepancy
    from .records import (
        Accelerator,
        Citation,
        Claim,
        ClaimValue,
        Locator,
        ModelStatus,
        PartialDate,
        Rank,
        Related,
        Source,
        Status,
    )
    from .registry import (
        Notice,
        Problem,
        Registry,
        accelerators_to_hold,
        chinchilla_ratio,
        load_registry,
        ratio,
        training_time,
        validate_files,
        weights_memory,
    )
    from .render import FORMATS, UnknownFormatError

__version__ = "0.1.0"

#: Public names that load on first use, and the module each comes from.
_LAZY: dict[str, str] = {
    "Comparison": "comparison",
    "compare": "comparison",
    "FORMATS": "render",
    "UnknownFormatError": "render",
    "FIELDS": "fields",
    "AmbiguousScaleWarning": "parsing",
    "FoundQuantity": "parsing",
    "find_quantities": "parsing",
    "parse": "parsing",
    "FieldKind": "fields",
    "FieldSpec": "fields",
    "Conflict": "reconcile",
    "Discrepancy": "reconcile",
    "Locator": "records",
    "Accelerator": "records",
    "Citation": "records",
    "Claim": "records",
    "ClaimValue": "records",
    "Model": "model",
    "ModelSummary": "model",
    "ModelStatus": "records",
    "PartialDate": "records",
    "Rank": "records",
    "Related": "records",
    "Source": "records",
    "Status": "records",
    "Notice": "registry",
    "Problem": "registry",
    "Registry": "registry",
    "load_registry": "registry",
    "ratio": "registry",
    "validate_files": "registry",
    "accelerators_to_hold": "registry",
    "chinchilla_ratio": "registry",
    "training_time": "registry",
    "weights_memory": "registry",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'modelcompare' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


#: What ``dir(modelcompare)`` lists besides :data:`__all__`.
_DUNDERS = ("__all__", "__doc__", "__file__", "__name__", "__path__", "__spec__")


def __dir__() -> list[str]:
    """The public names (``__all__``) and the module's standard attributes, nothing else."""
    return sorted({*__all__, *_DUNDERS})


__all__ = [
    "FIELDS",
    "FORMATS",
    "Q_",
    "Accelerator",
    "AmbiguousModelError",
    "AmbiguousScaleWarning",
    "Bound",
    "Citation",
    "Claim",
    "ClaimValue",
    "Comparison",
    "Conflict",
    "ConflictError",
    "DataFileError",
    "DataFileWarning",
    "Discrepancy",
    "DivisionByZeroError",
    "Estimate",
    "FieldKind",
    "FieldSpec",
    "FoundQuantity",
    "InvalidValueError",
    "Locator",
    "MissingDependencyError",
    "Model",
    "ModelCompareError",
    "ModelStatus",
    "ModelSummary",
    "NoValueError",
    "Notice",
    "Ordering",
    "ParseError",
    "PartialDate",
    "Problem",
    "Rank",
    "Registry",
    "Related",
    "Source",
    "Status",
    "UnitError",
    "UnknownFieldError",
    "UnknownFormatError",
    "UnknownModelError",
    "__version__",
    "accelerators_to_hold",
    "chinchilla_ratio",
    "compare",
    "find_quantities",
    "load_registry",
    "parse",
    "ratio",
    "training_time",
    "ureg",
    "validate_files",
    "weights_memory",
]
