"""The model record: a model, with every claim the sources make about it, and
what its claims say (:meth:`Model.value`, by reconciling them).

It sits above :mod:`~modelcompare.records` (the records it holds), and above
:mod:`~modelcompare.fields` and :mod:`~modelcompare.reconcile`, which its
methods use; none of those imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from .fields import FIELDS, get_field
from .reconcile import reconcile, rests_on
from .records import (
    _ID,
    MODALITIES,
    Citation,
    Claim,
    ClaimValue,
    ModelStatus,
    Origin,
    PartialDate,
    Source,
    _check_basis,
    _need,
    _short,
    _text,
)

__all__ = ["Model", "ModelSummary"]


class ModelSummary(NamedTuple):
    """A model's own facts without its claims, as ``modelcompare list`` shows
    them (:meth:`Model.summary`, :meth:`Registry.summaries
    <modelcompare.Registry.summaries>`)."""

    id: str
    name: str
    organization: str
    family: str | None
    status: ModelStatus
    modality: str
    announced: PartialDate | None
    aliases: tuple[str, ...]
    claims: int
    """How many claims the data files make (:attr:`Model.stated_claims`)."""
    note: str | None


@dataclass(frozen=True, slots=True)
class Model:
    """A model, with every claim the sources make about it."""

    id: str
    name: str
    organization: str
    modality: str = "text"
    status: ModelStatus = ModelStatus.RELEASED
    aliases: tuple[str, ...] = ()
    family: str | None = None
    announced: PartialDate | None = None
    note: str | None = None
    mentions: tuple[Citation, ...] = ()
    stated_claims: tuple[Claim, ...] = ()
    """The claims the data files make (derived ones come from :meth:`claims`)."""
    derive: Callable[[Model, str], tuple[Claim, ...]] | None = field(
        default=None, compare=False, repr=False
    )
    announced_basis: str | None = None
    """How ``announced`` is known: ``"stated"`` (a source gives it) or ``"inferred"``."""
    announced_note: str | None = None
    """How an inferred ``announced`` date was reached."""
    outside: tuple[Citation, ...] = ()
    """Quotes from sources outside the model's own that its note or its date rest on."""
    origin: Origin | None = field(default=None, compare=False, repr=False)
    """Where a data file defines it (its ``citation_lines`` are its mentions')."""

    def __post_init__(self) -> None:
        _need(
            isinstance(self.id, str) and bool(_ID.fullmatch(self.id)),
            lambda: f"'id' must be a lowercase slug such as 'mai-1-preview' (got {self.id!r})",
        )
        _text("name", self.name)
        _text("organization", self.organization)
        _need(
            self.modality in MODALITIES,
            lambda: f"'modality' must be one of {', '.join(MODALITIES)} (got {self.modality!r})",
        )
        try:
            object.__setattr__(self, "status", ModelStatus(self.status))
        except ValueError:
            raise ValueError(
                f"'status' must be one of {', '.join(s.value for s in ModelStatus)} "
                f"(got {self.status!r})"
            ) from None
        for a in self.aliases:
            _text("aliases", a)
        _text("family", self.family, optional=True)
        _text("note", self.note, optional=True)
        _check_basis("announced", self.announced, self.announced_basis, self.announced_note)

    def summary(self) -> ModelSummary:
        """The model's own facts, without its claims."""
        return ModelSummary(
            self.id,
            self.name,
            self.organization,
            self.family,
            self.status,
            self.modality,
            self.announced,
            self.aliases,
            len(self.stated_claims),
            self.note,
        )

    def claims(self, field: str | None = None) -> tuple[Claim, ...]:
        """Every claim about this model, or those about ``field`` (derived ones included)."""
        if field is None:
            derived = tuple(c for f in FIELDS.values() if f.derived for c in self._derived(f.name))
            return self.stated_claims + derived
        spec = get_field(field)
        stated = tuple(c for c in self.stated_claims if c.field == spec.name)
        return stated + (self._derived(spec.name) if spec.derived else ())

    def _derived(self, field: str) -> tuple[Claim, ...]:
        return self.derive(self, field) if self.derive is not None else ()

    def value(self, field: str, unit: str | None = None) -> ClaimValue | None:
        """The value the claims on ``field`` agree on, or None where there are none.

        Quantities are reconciled by intersection: the narrowest interval
        consistent with every claim (so ``>1,000 B`` and ``1.76 T`` give
        ``1.76 T``). Where they contradict, :class:`ConflictError`. Derived
        claims fill gaps: they count only where no source states the field. Accelerator
        counts of several kinds of chip: the kind with a figure (``unit`` picks one).
        """
        return reconcile(self, rests_on(self.claims(field)), field, unit)

    @property
    def architecture(self) -> str | None:
        """``"dense"`` or ``"moe"`` where a source says so, else None."""
        value = self.value("architecture")
        return value if isinstance(value, str) else None

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source that says something about this model."""
        seen: dict[str, Source] = {}
        for c in self.mentions:
            seen.setdefault(c.source.id, c.source)
        for claim in self.claims():
            for s in claim.sources:
                seen.setdefault(s.id, s)
        return tuple(seen.values())

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        """One line: id, name, organization, status and how many claims the data make."""
        return (
            f"<Model {self.id} ({_short(self.name)}; {_short(self.organization)}, "
            f"{self.status.value}, {len(self.stated_claims)} stated claims)>"
        )
