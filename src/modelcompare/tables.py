"""The standard comparison tables, rendered into ``tables/``.

Each :class:`TableSpec` names the models and fields of one comparison; the
``modelcompare tables`` command renders every spec as Markdown and LaTeX, and
every :class:`ChartSpec` as a chart (SVG and PNG, light, and SVG on the dark
theme as ``NAME-dark.svg``; the same bytes on every run), and ``--check``
tells whether the files on disk are what the code renders now.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .comparison import ClaimsMode, Comparison
    from .i18n import Lang
    from .plot import PlotKind
    from .registry import Registry

__all__ = [
    "STANDARD_CHARTS",
    "STANDARD_TABLES",
    "ChartSpec",
    "TableSpec",
    "check_tables",
    "render_tables",
    "write_tables",
]

#: File suffix of each format written into tables/.
SUFFIXES = {"markdown": ".md", "latex": ".tex"}
#: The files written for each chart: (theme, format, what follows the name).
CHART_FILES = (("light", "svg", ".svg"), ("light", "png", ".png"), ("dark", "svg", "-dark.svg"))


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

    def build(self, registry: Registry, *, title: bool = True, lang: Lang = "en") -> Comparison:
        """The comparison this spec describes, over ``registry`` (without its
        title if ``title`` is false), in ``lang``."""
        from .comparison import compare

        return compare(
            self.models,
            self.fields,
            vs=self.vs,
            registry=registry,
            title=(TITLES_FR.get(self.name, self.title) if lang == "fr" else self.title)
            if title
            else None,
            claims=self.claims,
            lang=lang,
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


#: The standard tables' titles in French, by name.
TITLES_FR: dict[str, str] = {
    "parameters": "Paramètres des grands modèles",
    "training-hardware": "Matériel d’entraînement\u00a0: MAI-1-preview et Grok",
    "phi-3": "La famille Phi-3\u00a0: taille, données et évaluations",
    "mai": "Les modèles MAI de Microsoft",
    "conflicting-claims": "Là où les sources divergent",
}


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """One standard chart: a file name, a title, the models, the kind and the
    field (and ``y`` for a scatter), as :func:`~modelcompare.plot.plot` takes them."""

    name: str
    title: str
    models: tuple[str, ...]
    kind: PlotKind
    field: str
    y: str | None = None

    def build(
        self, registry: Registry, *, title: bool = True, theme: str = "light", **options: Any
    ) -> Figure:
        """The chart this spec describes, over ``registry``; ``options`` are
        :func:`~modelcompare.plot.plot`'s (``legend``, ``sources``)."""
        from .comparison import compare

        fields = [self.field, *([self.y] if self.y else [])]
        comparison = compare(
            self.models, fields, registry=registry, title=self.title if title else None
        )
        return comparison.plot(self.kind, self.field, self.y, theme=theme, **options)


STANDARD_CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "h100",
        "H100s used in training: MAI-1-preview and Grok",
        ("MAI-1-preview", "Grok"),
        "bars",
        "training_accelerators",
    ),
    ChartSpec(
        "phi-3-mmlu",
        "The Phi-3 family: parameters against MMLU",
        ("Phi-3-mini", "Phi-3-small", "Phi-3-medium"),
        "scatter",
        "parameters",
        "mmlu",
    ),
    ChartSpec(
        "parameters-chart",
        "Parameters of the large models",
        ("MAI-1", "GPT-4", "Llama 3", "Meta 70B model", "Mistral 70B model", "Phi-3"),
        "bars",
        "parameters",
    ),
)


def render_tables(
    registry: Registry,
    *,
    title: bool = True,
    charts: bool = True,
    lang: Lang = "en",
    **options: Any,
) -> Iterator[tuple[str, str | bytes]]:
    """``(file name, text or bytes)`` of every standard table in every format,
    then of every standard chart in every file of :data:`CHART_FILES`; ``title``
    false leaves the titles out, ``options`` are render options, each given to
    the formats of :data:`SUFFIXES` that take it (``notes``, ``legend``,
    ``sources``; ``layout``, ``engine`` for the LaTeX files); the charts take
    ``legend`` and ``sources``; ``charts=False`` leaves the charts out. ``lang``
    is the tables' language (the charts are in English)."""
    from .plot import figure_bytes
    from .render import RENDERERS

    for spec in STANDARD_TABLES:
        comparison = spec.build(registry, title=title, lang=lang)
        for fmt, suffix in SUFFIXES.items():
            takes = {k: v for k, v in options.items() if k in RENDERERS[fmt].options}
            yield spec.name + suffix, comparison.render(fmt, **takes)
    chart_options = {k: v for k, v in options.items() if k in ("legend", "sources")}
    for chart in STANDARD_CHARTS if charts else ():
        figures: dict[str, Figure] = {}
        for theme, fmt, tail in CHART_FILES:
            if theme not in figures:
                figures[theme] = chart.build(registry, title=title, theme=theme, **chart_options)
            yield chart.name + tail, figure_bytes(figures[theme], fmt)


def write_tables(
    registry: Registry, out: Path, *, title: bool = True, lang: Lang = "en", **options: Any
) -> list[Path]:
    """Write every standard table into ``out`` (options as :func:`render_tables`);
    returns the files written.

    Every table is rendered first, then all are written at once (see
    :func:`~modelcompare.files.write_all_atomically`): a failure leaves the old
    files as they were, never a half-written one."""
    from .files import write_all_atomically

    out.mkdir(parents=True, exist_ok=True)
    rendered = render_tables(registry, title=title, lang=lang, **options)
    tables = [(out / name, text) for name, text in rendered]
    write_all_atomically(tables)
    return [path for path, _ in tables]


def check_tables(
    registry: Registry, out: Path, *, title: bool = True, lang: Lang = "en", **options: Any
) -> list[str]:
    """The names of the files in ``out`` that differ from what the code renders
    now (with the options of :func:`render_tables`)."""
    stale = []
    for name, text in render_tables(registry, title=title, lang=lang, **options):
        path = out / name
        data = text.encode("utf-8") if isinstance(text, str) else text
        if not path.is_file() or path.read_bytes() != data:
            stale.append(name)
    return stale
