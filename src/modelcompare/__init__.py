"""modelcompare: reported AI model facts, sourced, bounded and unit-checked.

>>> import modelcompare as mc
>>> reg = mc.load_registry()
>>> str(reg["MAI-1-preview"].value("training_accelerators"))
'≈15,000 H100'
"""

from .errors import (
    ConflictError,
    DataFileError,
    ModelCompareError,
    ParseError,
    UnitError,
    UnknownFieldError,
    UnknownModelError,
)
from .estimate import Bound, Estimate, Ordering
from .fields import FIELDS, FieldKind, FieldSpec
from .reconcile import Conflict
from .records import (
    Accelerator,
    Citation,
    Claim,
    ClaimValue,
    Model,
    ModelStatus,
    PartialDate,
    Rank,
    Source,
    Status,
)
from .registry import Problem, Registry, load_registry, ratio
from .units import Q_, ureg

__version__ = "0.1.0"

__all__ = [
    "FIELDS",
    "Q_",
    "Accelerator",
    "Bound",
    "Citation",
    "Claim",
    "ClaimValue",
    "Conflict",
    "ConflictError",
    "DataFileError",
    "Estimate",
    "FieldKind",
    "FieldSpec",
    "Model",
    "ModelCompareError",
    "ModelStatus",
    "Ordering",
    "ParseError",
    "PartialDate",
    "Problem",
    "Rank",
    "Registry",
    "Source",
    "Status",
    "UnitError",
    "UnknownFieldError",
    "UnknownModelError",
    "__version__",
    "load_registry",
    "ratio",
    "ureg",
]
