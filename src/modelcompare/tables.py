"""The standard comparison tables, rendered into ``tables/``.

Each :class:`TableSpec` names the models and fields of one comparison; the
``modelcompare tables`` command renders every spec as Markdown and LaTeX, and
``--check`` tells whether the files on disk are what the code renders now.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .comparison import ClaimsMode, Comparison
    from .registry import Registry

__all__ = ["STANDARD_TABLES", "TableSpec", "check_tables", "render_tables", "write_tables"]

#: File suffix of each format written into tables/.
SUFFIXES = {"markdown": ".md", "latex": ".tex"}


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One standard comparison: a file name, a title, models (rows) and fields
    (columns); ``vs`` and ``claims`` as :func:`~modelcompare.compare` takes them."""

    name: str
    title: str
    models: tuple[str, ...]
    fields: tuple[str, ...]
    vs: str | None = None
    claims: ClaimsMode = "value"
    """``"each"`` shows every claim with its own marks and sources."""

    def build(self, registry: Registry, *, title: bool = True) -> Comparison:
        """The comparison this spec describes, over ``registry`` (without its
        title if ``title`` is false)."""
        from .comparison import compare

        return compare(
            self.models,
            self.fields,
            vs=self.vs,
            registry=registry,
            title=self.title if title else None,
            claims=self.claims,
        )


STANDARD_TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "parameters",
        "Parameters of the large models",
        ("MAI-1", "GPT-4", "Llama 3", "Meta 70B model", "Mistral 70B model", "Phi-3"),
        ("parameters", "active_parameters", "architecture", "weights_memory"),
    ),
    TableSpec(
        "training-hardware",
        "Training hardware: MAI-1-preview and Grok",
        ("MAI-1-preview", "Grok"),
        (
            "training_accelerators",
            "training_h100_equivalents",
            "training_peak_compute",
            "training_power",
        ),
        vs="MAI-1-preview",
    ),
    TableSpec(
        "phi-3",
        "The Phi-3 family: size, data and benchmarks",
        ("Phi-3-mini", "Phi-3-small", "Phi-3-medium"),
        (
            "parameters",
            "training_tokens",
            "tokens_per_parameter",
            "training_compute",
            "mmlu",
            "mt_bench",
        ),
    ),
    TableSpec(
        "mai",
        "Microsoft's MAI models",
        ("MAI-1", "MAI-1-preview", "MAI-Voice-1"),
        (
            "parameters",
            "training_accelerators",
            "inference_accelerators",
            "lmarena_text_rank",
        ),
    ),
    TableSpec(
        "conflicting-claims",
        "Where the sources disagree",
        ("MAI-1", "GPT-4"),
        ("parameters", "active_parameters", "architecture"),
        claims="each",
    ),
)


def render_tables(
    registry: Registry, *, title: bool = True, **options: Any
) -> Iterator[tuple[str, str]]:
    """``(file name, text)`` of every standard table in every format; ``title``
    false leaves the titles out, ``options`` are render options, each given to
    the formats of :data:`SUFFIXES` that take it (``notes``, ``legend``,
    ``sources``; ``layout``, ``engine`` for the LaTeX files)."""
    from .render import RENDERERS

    for spec in STANDARD_TABLES:
        comparison = spec.build(registry, title=title)
        for fmt, suffix in SUFFIXES.items():
            takes = {k: v for k, v in options.items() if k in RENDERERS[fmt].options}
            yield spec.name + suffix, comparison.render(fmt, **takes)


def write_tables(
    registry: Registry, out: Path, *, title: bool = True, **options: Any
) -> list[Path]:
    """Write every standard table into ``out`` (options as :func:`render_tables`);
    returns the files written.

    Every table is rendered first, then all are written at once (see
    :func:`~modelcompare.files.write_all_atomically`): a failure leaves the old
    files as they were, never a half-written one."""
    from .files import write_all_atomically

    out.mkdir(parents=True, exist_ok=True)
    tables = [(out / name, text) for name, text in render_tables(registry, title=title, **options)]
    write_all_atomically(tables)
    return [path for path, _ in tables]


def check_tables(registry: Registry, out: Path, *, title: bool = True, **options: Any) -> list[str]:
    """The names of the files in ``out`` that differ from what the code renders
    now (with the options of :func:`render_tables`)."""
    stale = []
    for name, text in render_tables(registry, title=title, **options):
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale
