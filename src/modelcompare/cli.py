"""The ``modelcompare`` command line: a thin layer over the library.

Exit codes: 0 success; 1 problems found (``validate``, ``tables --check``);
2 usage error; 3 unknown model, field or source; 4 bad data file;
5 a value cannot be computed (units that do not match, contradicting claims,
no figure, text that cannot be parsed); 6 a file cannot be written;
70 an internal error (a bug: please report it); 130 interrupted (Ctrl-C);
141 the output was cut (the reader closed the pipe, as ``| head`` does: what
the command found was not all shown, so it does not claim success).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__
from .errors import (
    AmbiguousModelError,
    ConflictError,
    DataFileError,
    ModelCompareError,
    UnknownFieldError,
    UnknownModelError,
)
from .i18n import LANGS
from .terminal import clip, text_table
from .terminal import printable as _printable

if TYPE_CHECKING:
    from .comparison import Comparison
    from .model import Model, ModelSummary
    from .records import Claim
    from .registry import Registry

__all__ = ["add_selection_options", "main", "selected_models"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_DATA, EXIT_CANNOT = 0, 1, 2, 3, 4, 5
EXIT_IO, EXIT_INTERNAL, EXIT_INTERRUPTED = 6, 70, 130
EXIT_PIPE = 141  # 128 + SIGPIPE, as a shell reports a command killed by a closed pipe


def _registry(args: argparse.Namespace, *more: str) -> Registry:
    from .errors import DataFileWarning
    from .registry import load_registry

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataFileWarning)
        reg = load_registry(
            paths=[*args.data, *getattr(args, "data_sub", []), *more],
            allow_paths_outside=_allow_outside(args),
            date=_data_date(args),
            cache=not (args.no_cache or getattr(args, "no_cache_sub", False)),
        )
    for w in caught:
        if issubclass(w.category, DataFileWarning):  # a --data file that adds nothing
            print(f"modelcompare: warning: {_printable(str(w.message))}", file=sys.stderr)
        else:  # pragma: no cover - not ours: show it as Python would
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    return reg


def _allow_outside(args: argparse.Namespace) -> bool:
    return bool(args.allow_paths_outside or getattr(args, "allow_outside_sub", False))


def _data_date(args: argparse.Namespace) -> str | None:
    date: str | None = getattr(args, "data_date_sub", None) or getattr(args, "data_date", None)
    return date


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    reg = _registry(args)
    found = reg.discrepancies()
    for d in found:
        print(_printable(f"{d.model.name}: {d.field}"), file=out)
        print(_printable(f"  derived {d.derived.value}   = {d.derived.formula}"), file=out)
        print(_printable(f"  stated  {d.stated.value}   {d.stated.field}"), file=out)
        for cite in d.stated.citations:
            where = f" at {cite.locator}" if cite.locator else ""
            print(_printable(f"    {cite.source.title}{where}: {cite.quote!r}"), file=out)
        print(_printable(f"  the derived figure is {d.derived_is}"), file=out)
    n = len(found)
    print(f"{n} discrepanc{'y' if n == 1 else 'ies'} between derived and stated figures", file=out)
    return EXIT_PROBLEMS if found else EXIT_OK


_SUMMARY_COLUMNS = (
    "id",
    "name",
    "organization",
    "family",
    "status",
    "modality",
    "announced",
    "aliases",
    "claims",
    "note",
)


def _write_records(
    fmt: str, out: TextIO, records: Sequence[dict[str, Any]], columns: Sequence[str]
) -> None:
    """``records`` as JSON (a list) or CSV with ``columns`` (``--format json|csv``)."""
    from .listing import to_csv, to_json

    out.write(to_json(list(records)) if fmt == "json" else to_csv(records, columns))


def _summary_table(
    models: Sequence[Model | ModelSummary], out: TextIO, *, fmt: str = "text"
) -> None:
    """``list`` and ``search``: models with organization and status, in ``fmt``."""
    from .model import Model

    if fmt != "text":
        from .listing import model_summary

        _write_records(fmt, out, [model_summary(m) for m in models], _SUMMARY_COLUMNS)
        return
    summaries = [m.summary() if isinstance(m, Model) else m for m in models]
    rows = [
        [
            _printable(s.name),
            clip(_printable(s.organization), 40),
            s.status.value,
            s.modality,
            str(s.announced or "—"),
            str(s.claims),
        ]
        for s in summaries
    ]
    headers = ["model", "organization", "status", "modality", "announced", "claims"]
    print(text_table(rows, headers), file=out)


def _cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    _summary_table(_registry(args).summaries(), out, fmt=args.format)
    return EXIT_OK


def _cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    reg = _registry(args)
    found = reg.search(args.text)
    if not found:
        close = reg.suggest(args.text)
        hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
        raise NotFound(f"no model's name, alias, organization or note contains {args.text!r}{hint}")
    _summary_table(found, out, fmt=args.format)
    return EXIT_OK


def _claim_lines(claim: Claim, indent: str = "  ") -> list[str]:
    """A claim as text: value, status, date, and each citation's source and quote."""
    head = f"{indent}{claim.value}   {claim.status.value}"
    if claim.as_of is not None:
        head += f", as of {claim.as_of}"
    lines = [_printable(head)]
    if claim.formula:
        lines.append(f"{indent}  = {claim.formula}")
    if claim.note:
        lines.append(_printable(f"{indent}  note: {claim.note}"))
    for cite in claim.citations:
        src = cite.source
        lines.append(_printable(f"{indent}  [{src.id}] «{' '.join(cite.quote.split())}»"))
        lines.append(_printable(f"{indent}      {src.title} — {src.where}"))
    for given in claim.inputs:
        lines.append(f"{indent}  from {given.field} ({given.subject}):")
        lines.extend(_claim_lines(given, indent + "    "))
    return lines


def _model_header(m: Model) -> list[str]:
    lines = [f"{m.name} — {m.organization}"]
    facts = [f"status {m.status.value}", f"modality {m.modality}"]
    if m.family:
        facts.append(f"family {m.family}")
    if m.announced:
        basis = f" ({m.announced_basis})" if m.announced_basis else ""
        facts.append(f"announced {m.announced}{basis}")
    lines.append("  " + " · ".join(facts))
    if m.aliases:
        lines.append("  also: " + ", ".join(m.aliases))
    if m.note:
        lines.append(f"  note: {m.note}")
    if m.announced_note:
        lines.append(f"  announced: {m.announced_note}")
    for cite in m.outside:
        src = cite.source
        lines.append(f"  outside: [{src.id}] «{' '.join(cite.quote.split())}»")
        lines.append(f"      {src.title} — {src.where}")
    return [_printable(x) for x in lines]


_CLAIM_COLUMNS = (
    "model",
    "field",
    "value",
    "bound",
    "nominal",
    "low",
    "high",
    "unit",
    "status",
    "as_of",
    "formula",
    "sources",
    "quotes",
    "note",
)


def _agreement(claims: Sequence[Claim]) -> list[str]:
    """How several stated claims on one field (one kind of chip) stand to each other:
    ``2 claims agree (official, reported)``, or differ but are compatible. Conflicts
    are said by the field's line; derived claims are not compared."""
    from .estimate import Estimate
    from .fields import FIELDS
    from .reconcile import disagree, disjoint
    from .records import Status

    stated = [c for c in claims if c.status is not Status.DERIVED]
    spec = FIELDS.get(claims[0].field) if claims else None
    if spec is not None and spec.accumulates:  # descriptions and relations add up
        if len(stated) < 2:
            return []
        statuses = ", ".join(dict.fromkeys(c.status.value for c in stated))
        return [f"  {len(stated)} claims, taken together ({statuses})"]
    groups: dict[str, list[Claim]] = {}
    for c in claims:
        if c.status is not Status.DERIVED:
            kind = str(c.value.dimensionality) if isinstance(c.value, Estimate) else ""
            groups.setdefault(kind, []).append(c)
    lines = []
    for group in groups.values():
        if len(group) < 2 or any(disjoint(a, b) for a in group for b in group):
            continue
        statuses = ", ".join(dict.fromkeys(c.status.value for c in group))
        first = group[0].value
        what = f" on {first}" if not disagree(group) else ""
        verdict = "differ but are compatible" if disagree(group) else f"agree{what}"
        lines.append(f"  {len(group)} claims {verdict} ({statuses})")
    return lines


def _related_by_others(reg: Registry, m: Model) -> list[str]:
    """The other models' relation claims that name ``m`` (``Phi-3-mini rival_of: …``)."""
    from .records import Related

    lines = []
    for other in reg:
        for c in other.stated_claims:
            if other.id != m.id and isinstance(c.value, Related) and m.id in c.value.ids:
                cited = ", ".join(s.id for s in c.sources)
                lines.append(
                    _printable(f"  {other.name} {c.field}: {c.value}   {c.status.value} [{cited}]")
                )
    return ["", "named by other models' claims:", *lines] if lines else []


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    from .fields import FIELDS

    reg = _registry(args)
    m = reg[args.model]
    if args.format == "json":
        from .listing import model_record, to_json

        out.write(to_json(model_record(m)))
        return EXIT_OK
    if args.format == "csv":
        from .listing import claim_rows, to_csv

        out.write(to_csv(claim_rows(m), _CLAIM_COLUMNS))
        return EXIT_OK
    lines = _model_header(m)
    by_field: dict[str, list[Claim]] = {}
    for claim in m.claims():
        by_field.setdefault(claim.field, []).append(claim)
    for name in (f for f in FIELDS if f in by_field):
        try:
            value = str(m.value(name))
        except ConflictError:
            value = "claims contradict each other (see below)"
        lines += ["", _printable(f"{name}: {value}")]
        lines += [_printable(x) for x in _agreement(by_field[name])]
        for claim in by_field[name]:
            lines.extend(_claim_lines(claim))
    if m.mentions:
        lines += ["", "mentioned in:"]
        for cite in m.mentions:
            lines.append(_printable(f"  [{cite.source.id}] «{' '.join(cite.quote.split())}»"))
    lines += _related_by_others(reg, m)
    print("\n".join(lines), file=out)
    return EXIT_OK


# -- choosing models: shared by every command that takes a set of models ----------------------
_FILTERS = (
    ("organization", "--org"),
    ("family", "--family"),
    ("modality", "--modality"),
    ("status", "--status"),
    ("has", "--has"),
)


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1 (got {text!r})")
    return n


def add_selection_options(p: argparse.ArgumentParser) -> None:
    """Add ``NAME...`` and the options that choose and order models (``--all``,
    ``--org``, ``--family``, ``--modality``, ``--status``, ``--has``, ``--sort``,
    ``--desc``, ``--limit``) to ``p``; :func:`selected_models` reads them."""
    p.add_argument(
        "models",
        nargs="*",
        metavar="NAME",
        help="models (rows), by id, name or alias; or choose them with the options below",
    )
    g = p.add_argument_group(
        "choosing models",
        "Filters combine with 'and'; a repeated filter matches any of its values. "
        "With NAMEs, the filters choose among them; without, among every model.",
    )
    g.add_argument("--all", action="store_true", help="every model of the registry")
    g.add_argument(
        "--org", dest="organization", action="append", metavar="ORG", help="of this organization"
    )
    g.add_argument("--family", action="append", metavar="FAMILY", help="of this family (Phi, GPT…)")
    g.add_argument(
        "--modality", action="append", metavar="M", help="text, speech, image, multimodal or code"
    )
    g.add_argument(
        "--status", action="append", metavar="S", help="rumored, planned, preview or released"
    )
    g.add_argument(
        "--has", action="append", metavar="FIELD", help="with at least one claim on FIELD"
    )
    g.add_argument(
        "--sort",
        metavar="FIELD",
        help="order by FIELD's nominal figure (≥100,000 as 100,000), missing values last, "
        "ties in order; or by name, organization, family, announced",
    )
    g.add_argument("--desc", action="store_true", help="with --sort: largest first")
    g.add_argument("--limit", type=_positive, metavar="N", help="only the first N models")


def _describe(args: argparse.Namespace) -> str:
    """The filters given, as the command line spells them."""
    parts = []
    for dest, flag in _FILTERS:
        for value in getattr(args, dest) or ():
            parts.append(f"{flag} {value}")
    return " ".join(parts)


def selected_models(args: argparse.Namespace, reg: Registry) -> tuple[Model, ...]:
    """The models that the options of :func:`add_selection_options` choose, in
    order. Says what is wrong instead of giving a repeated or empty set: a
    model named twice, unknown names (every one, with suggestions), --all with
    names, nothing chosen, filters that no model passes."""
    filters = {dest: getattr(args, dest) for dest, _ in _FILTERS}
    chosen_by_filter = any(filters.values())
    if args.all and args.models:
        raise UsageError("--all chooses every model: name models or give --all, not both")
    if args.desc and not args.sort:
        raise UsageError("--desc goes with --sort FIELD")
    if not args.models and not args.all and not chosen_by_filter:
        raise UsageError(
            "name the models, or choose them with --all, --org, --family, --modality, "
            "--status or --has"
        )
    among = None
    if args.models:
        found: dict[str, tuple[Model, str]] = {}
        unknown: list[str] = []
        for name in args.models:
            m = reg.get(name)
            if m is None:
                close = reg.suggest(name)
                hint = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
                unknown.append(f"{name!r}{hint}")
            elif m.id in found:
                first = found[m.id][1]
                also = f" (as {first!r} and {name!r})" if first != name else ""
                raise UsageError(f"{m.name} is named twice{also}: each model is one row")
            else:
                found[m.id] = (m, name)
        if unknown:
            known = f"; known: {', '.join(m.name for m, _ in found.values())}" if found else ""
            raise NotFound(f"no model named {', '.join(unknown)}{known}")
        among = [m for m, _ in found.values()]
    picked = reg.select(
        among=among, sort=args.sort, descending=args.desc, limit=args.limit, **filters
    )
    if not picked:
        hint = ""
        for field in filters["has"] or ():
            having = reg.select(has=field)
            names = ", ".join(m.name for m in having) or "none"
            hint += f"; models with {field!r}: {names}"
        pool = "of the models named " if among else ""
        raise NotFound(f"no model {pool}matches {_describe(args)}{hint}")
    if among is not None and args.limit is None and len(picked) < len(among):
        left = [m.name for m in among if m not in picked]
        _warn(f"left out by {_describe(args)}: {', '.join(left)}")
    return picked


def _warn(message: str) -> None:
    print(f"modelcompare: warning: {_printable(message)}", file=sys.stderr)


def _fields_arg(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [f.strip() for f in text.split(",") if f.strip()]


def _units_arg(given: list[str], fmt: str) -> dict[str, str]:
    """``--unit FIELD=UNIT`` options as the ``units=`` of an export."""
    from .render import RENDERERS

    if not given:
        return {}
    if "units" not in RENDERERS[fmt].options:
        takers = [f for f, spec in RENDERERS.items() if "units" in spec.options]
        raise UsageError(f"--unit goes with --format {' or '.join(takers)}")
    units: dict[str, str] = {}
    for item in given:
        name, eq, unit = item.partition("=")
        if not eq or not name.strip() or not unit.strip():
            raise UsageError(
                f"--unit takes FIELD=UNIT, such as parameters=Gparameter (got {item!r})"
            )
        if name.strip() in units:
            raise UsageError(f"--unit gives {name.strip()!r} twice")
        units[name.strip()] = unit.strip()
    return units


def _cmd_compare(args: argparse.Namespace, out: TextIO) -> int:
    from .comparison import compare

    fields = _fields_arg(args.fields)
    if fields == []:
        raise UsageError("--fields names no field (see `modelcompare fields`)")
    reg = _registry(args)
    models = selected_models(args, reg)
    comparison = compare(
        models,
        fields,
        vs=args.vs,
        registry=reg,
        claims="each" if args.each_claim else "value",
        title=args.title,
        lang=args.lang,
    )
    _check_comparison(comparison, reg, args.vs)
    options = _render_options(args, args.format)
    units = _units_arg(args.unit, args.format)
    if units:
        options["units"] = units
    text = comparison.render(args.format, **options)
    if args.output:
        from .files import write_atomically

        write_atomically(args.output, text)
    else:
        out.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def add_table_options(p: argparse.ArgumentParser, *, standalone: bool = True) -> None:
    """Add what goes around a table (``--notes``, ``--no-legend``, ``--no-sources``,
    ``--standalone``) to ``p``; :func:`_render_options` reads them."""
    g = p.add_argument_group("what goes with the table")
    g.add_argument(
        "--notes",
        "--note",
        action="store_true",
        help="add the data's notes on the models and the claims shown",
    )
    g.add_argument(
        "--no-legend",
        dest="legend",
        action="store_false",
        help="leave out the legend (the cells keep their marks)",
    )
    g.add_argument(
        "--no-sources",
        dest="sources",
        action="store_false",
        help="leave out the numbered sources (the cells keep their numbers)",
    )
    if standalone:
        g.add_argument(
            "--standalone", action="store_true", help="a complete LaTeX document or HTML page"
        )
    g.add_argument(
        "--layout",
        choices=("column", "page"),
        help="LaTeX for a paper: a float that fits one column of a two-column article, "
        "or the page (table*, sideways where wider), with caption, label and table notes",
    )
    g.add_argument(
        "--engine",
        choices=("pdflatex", "xelatex", "lualatex"),
        help="with --layout: xelatex or lualatex keep every script (CJK, Greek, emoji) "
        "with fontspec; default pdflatex",
    )
    g.add_argument(
        "--label", metavar="KEY", help="with --layout: the \\label (default: from the title)"
    )


#: Each table option: its command-line flag, and the value that means "given"
#: (None: any value but None).
_TABLE_FLAGS: dict[str, tuple[str, object]] = {
    "notes": ("--notes", True),
    "legend": ("--no-legend", False),
    "sources": ("--no-sources", False),
    "standalone": ("--standalone", True),
    "layout": ("--layout", None),
    "engine": ("--engine", None),
    "label": ("--label", None),
}


def _render_options(
    args: argparse.Namespace, *formats: str, any_format: bool = False
) -> dict[str, Any]:
    """The render options ``args`` give, checked against every one of ``formats``
    (with ``any_format``, against at least one): an option a format does not
    take is a usage error naming the formats that do."""
    from .render import RENDERERS

    options: dict[str, Any] = {}
    for name, (flag, given) in _TABLE_FLAGS.items():
        value = getattr(args, name, None)
        if (value is None) if given is None else (value != given):
            continue
        taken = [name in RENDERERS[fmt].options for fmt in formats]
        if not (any(taken) if any_format else all(taken)):
            takers = [f for f, spec in RENDERERS.items() if name in spec.options]
            raise UsageError(f"{flag} goes with --format {' or '.join(takers)}")
        options[name] = value
    if ("engine" in options or "label" in options) and "layout" not in options:
        raise UsageError("--engine and --label go with --layout column or page")
    return options


def _check_comparison(c: Comparison, reg: Registry, vs: str | None) -> None:
    """Fail where the table would say nothing; warn of a column that is all ``—``
    and of a ``--vs`` that gives no ratio, saying why."""
    from .comparison import ColumnKind
    from .estimate import Estimate

    names = ", ".join(m.name for m in c.models)
    values = [(j, col) for j, col in enumerate(c.columns) if col.kind is not ColumnKind.RATIO]
    empty = [col for j, col in values if all(row[j].missing for row in c.rows)]
    if not values:
        raise CannotCompute(
            f"no field has a claim for {names}: nothing to compare "
            "(`modelcompare show NAME` lists what the sources say of a model)"
        )
    if len(empty) == len(values):
        listed = " or ".join(repr(col.field.name) for col in empty)
        having = [m.name for m in reg.select(has=[col.field.name for col in empty][:1])]
        hint = f"; models with {empty[0].field.name!r}: {', '.join(having)}" if having else ""
        raise CannotCompute(f"no model compared ({names}) has a claim on {listed}{hint}")
    for col in empty:
        _warn(f"no model compared has a claim on {col.field.name!r}: its column is all —")
    if vs is None or c.vs is None:
        return
    if not any(col.kind is ColumnKind.RATIO for col in c.columns):
        kinds = ", ".join(f"{col.field.name} ({col.field.kind.value})" for _, col in values)
        _warn(f"no ratio column: --vs divides quantity fields, and the fields here are {kinds}")
        return
    ref = c.vs
    for col in c.columns:
        if col.kind is ColumnKind.QUANTITY:
            value = _value_or_none(ref, col.field.name)
            if not (isinstance(value, Estimate) and value.is_known):
                _warn(
                    f"no ratio in the × {ref.name} column after {col.field.name!r}: "
                    f"{ref.name} has no figure for it"
                )


def _value_or_none(m: Model, field: str) -> object:
    try:
        return m.value(field)
    except ModelCompareError:
        return None


#: The choices of ``plot``'s options (``modelcompare.plot``'s, which a test checks;
#: written out so that the CLI starts without importing the chart module).
_PLOT_KINDS = ("bars", "scatter", "timeline")
_PLOT_SIZES = ("column", "page")
_PLOT_THEMES = ("light", "dark")
_PLOT_SUFFIXES = (".png", ".svg", ".pdf")


def _cmd_plot(args: argparse.Namespace, out: TextIO) -> int:
    from .comparison import compare
    from .plot import PlotKind, save_figure

    target = Path(args.output)
    if target.suffix.lower() not in _PLOT_SUFFIXES:
        raise UsageError(
            f"-o {args.output}: a chart is written as {', '.join(_PLOT_SUFFIXES)} "
            "(the file name says which)"
        )
    kind: PlotKind = args.kind or ("scatter" if args.y else "bars")
    if kind == "scatter" and not args.y:
        raise UsageError("--kind scatter needs --y FIELD: the field up the vertical axis")
    if kind != "scatter" and args.y:
        raise UsageError(f"--y goes with --kind scatter (a {kind} chart draws one field)")
    if args.log_y is not None and kind != "scatter":
        raise UsageError("--log-y/--linear-y go with --kind scatter; use --log/--linear")
    reg = _registry(args)
    models = selected_models(args, reg)
    fields = [args.field, *([args.y] if args.y else [])]
    comparison = compare(models, fields, registry=reg, title=args.title, lang=args.lang)
    figure = comparison.plot(
        kind,
        args.field,
        args.y,
        size=args.size,
        theme=args.theme,
        log=args.log,
        log_y=args.log_y,
        legend=args.legend,
        sources=args.sources,
        sort=args.sort is None,  # --sort FIELD orders the bars as it orders the rows
    )
    save_figure(figure, target)
    print(_printable(f"wrote {target}"), file=out)
    return EXIT_OK


def _cmd_ratio(args: argparse.Namespace, out: TextIO) -> int:
    from .estimate import Estimate

    reg = _registry(args)
    value = reg.ratio(args.a, args.b, args.field)
    lo, n, hi = value.interval()
    print(f"{value}", file=out)
    print(
        _printable(
            f"  {reg[args.a].name} / {reg[args.b].name}, {args.field}: "
            f"{value.bound.value}, low {lo:.6g}, nominal {n:.6g}, high {hi:.6g}"
        ),
        file=out,
    )
    for name in (args.a, args.b):  # say what a count of one kind of chip leaves out
        model = reg[name]
        counted = model.value(args.field)
        for claim in model.claims(args.field):
            other = claim.value
            if (
                isinstance(other, Estimate)
                and isinstance(counted, Estimate)
                and other.dimensionality != counted.dimensionality
            ):
                print(
                    _printable(f"  note: {model.name} also names {other} (not compared)"),
                    file=out,
                )
    return EXIT_OK


def _cmd_sources(args: argparse.Namespace, out: TextIO) -> int:
    reg = _registry(args)
    if args.format != "text":
        from .listing import source_record

        records = [source_record(s) for s in reg.sources.values()]
        _write_records(args.format, out, records, list(records[0]) if records else ["id"])
        return EXIT_OK
    rows = []
    for s in reg.sources.values():
        date = f"{s.date} ({s.date_basis})" if s.date and s.date_basis else str(s.date or "—")
        title = clip(_printable(s.title), 70)
        rows.append([s.id, date, s.language, s.kind, title, _printable(s.where)])
    headers = ["id", "date", "lang", "kind", "title", "file or url"]
    print(text_table(rows, headers), file=out)
    return EXIT_OK


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    from .errors import MAX_PROBLEMS
    from .registry import _validate

    paths = [*args.data, *args.data_sub, *args.files]
    reg, found, refused = _validate(
        paths,
        builtin=True,
        include_warnings=True,
        allow_paths_outside=_allow_outside(args),
        date=_data_date(args),
    )
    errors = [p for p in found if p.severity == "error"]
    notes = [p for p in found if p.severity != "error"]
    for kind, listed in (("error", errors), ("warning", notes)):
        for p in listed[:MAX_PROBLEMS]:
            print(f"modelcompare: {kind}: {_printable(str(p))}", file=sys.stderr)
        if len(listed) > MAX_PROBLEMS:
            print(
                f"modelcompare: … and {len(listed) - MAX_PROBLEMS} more {kind}s "
                f"(only the first {MAX_PROBLEMS} are listed)",
                file=sys.stderr,
            )
    for notice in reg.outside_knowledge():  # dates and notes that rest on more than their sources
        print(_printable(f"info: {notice}"), file=out)
    n_claims = sum(len(m.stated_claims) for m in reg)
    summary = (
        f"{len(reg)} models, {n_claims} claims, {len(reg.sources)} sources, "
        f"{len(reg.accelerators)} accelerators"
    )
    if errors or (notes and args.strict):
        counts = [_plural(len(errors), "problem")] if errors else []
        counts += [_plural(len(notes), "warning")] if notes else []
        strict = " (--strict)" if not errors else ""
        print(f"modelcompare: {', '.join(counts)}{strict}; checked {summary}", file=sys.stderr)
        return EXIT_DATA if refused else EXIT_PROBLEMS
    with_notes = f" ({_plural(len(notes), 'warning')})" if notes else ""
    print(f"ok: {summary}{with_notes}", file=out)
    return EXIT_OK


def _cmd_tables(args: argparse.Namespace, out: TextIO) -> int:
    from .tables import SUFFIXES, check_tables, write_tables

    options = _render_options(args, *SUFFIXES, any_format=True)
    reg = _registry(args)
    target = Path(args.out)
    if args.check:
        stale = check_tables(reg, target, title=args.title, lang=args.lang, **options)
        for name in stale:
            state = "out of date" if (target / name).exists() else "missing"
            print(f"{state}: {target / name}", file=sys.stderr)
        if stale:
            print(
                "run `make tables` (or `modelcompare tables`) and commit the result",
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
        print(f"ok: {target} is up to date", file=out)
        return EXIT_OK
    for path in write_tables(reg, target, title=args.title, lang=args.lang, **options):
        print(f"wrote {path}", file=out)
    return EXIT_OK


def _cmd_parse(args: argparse.Namespace, out: TextIO) -> int:
    from .parsing import AmbiguousScaleWarning, parse

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AmbiguousScaleWarning)
        value = parse(args.text, lang=args.lang, scale=args.scale)
    for w in caught:
        message = str(w.message).replace("Pass scale='long' or scale='short'", "Pass --scale")
        print(f"modelcompare: warning: {_printable(message)}", file=sys.stderr)
    lo, n, hi = value.interval()
    print(f"{value}", file=out)
    print(
        f"  {value.bound.value}, low {lo:.6g}, nominal {n:.6g}, high {hi:.6g} {value.units:~}",
        file=out,
    )
    return EXIT_OK


def _cmd_fields(args: argparse.Namespace, out: TextIO) -> int:
    from .fields import FIELDS

    if args.format != "text":
        from .listing import field_record

        records = [field_record(f) for f in FIELDS.values()]
        _write_records(args.format, out, records, list(records[0]))
        return EXIT_OK
    rows = [
        [
            f.name,
            f.kind.value,
            f.dimension or "—",
            "derived" if f.derived else "stated",
            f.description,
        ]
        for f in FIELDS.values()
    ]
    print(text_table(rows, ["field", "kind", "unit", "how", "description"]), file=out)
    return EXIT_OK


_ALLOW_OUTSIDE_HELP = (
    "let data files read source texts outside their own folder (only for files you trust)"
)


_NO_CACHE_HELP = (
    "read and check every data file again, neither using nor updating the registry "
    "cache (also MODELCOMPARE_NO_CACHE=1)"
)


def _parser() -> argparse.ArgumentParser:
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument(
        "--data",
        dest="data_sub",
        action="append",
        default=[],
        metavar="FILE",
        help="add a data file: TOML, or an Epoch AI CSV export (repeatable)",
    )
    data.add_argument(
        "--data-date",
        dest="data_date_sub",
        metavar="YYYY-MM-DD",
        help="when the Epoch AI exports given with --data were downloaded "
        "(default: the newest 'Last modified' in each)",
    )
    data.add_argument(
        "--allow-paths-outside",
        dest="allow_outside_sub",
        action="store_true",
        help=_ALLOW_OUTSIDE_HELP,
    )
    data.add_argument("--no-cache", dest="no_cache_sub", action="store_true", help=_NO_CACHE_HELP)
    parser = argparse.ArgumentParser(
        prog="modelcompare",
        description="Reported AI model facts side by side: sourced, bounded, unit-checked.",
        epilog="exit codes: 0 ok, 1 problems found, 2 usage, 3 unknown name, 4 bad data file, "
        "5 cannot compute, 6 cannot write, 70 internal error, 141 output cut (closed pipe)",
    )
    parser.add_argument("--version", action="version", version=f"modelcompare {__version__}")
    parser.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="FILE",
        help="add a data file: TOML, or an Epoch AI CSV export (repeatable)",
    )
    parser.add_argument(
        "--data-date",
        metavar="YYYY-MM-DD",
        help="when the Epoch AI exports given with --data were downloaded "
        "(default: the newest 'Last modified' in each)",
    )
    parser.add_argument("--allow-paths-outside", action="store_true", help=_ALLOW_OUTSIDE_HELP)
    parser.add_argument("--no-cache", action="store_true", help=_NO_CACHE_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, func: Callable[[argparse.Namespace, TextIO], int], help: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[data], help=help, description=help)
        p.set_defaults(func=func)
        return p

    def data_format(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--format",
            default="text",
            choices=("text", "json", "csv"),
            help="text (default), or JSON / CSV for scripts and jq",
        )

    data_format(command("list", _cmd_list, "list the models with organization and status"))
    p = command("show", _cmd_show, "every claim of one model: qualifier, status, source, quote")
    p.add_argument("model", help="a model id, name or alias")
    data_format(p)
    p = command("search", _cmd_search, "find models by name, alias, organization or note")
    p.add_argument("text", metavar="TEXT", help="words to look for (case does not matter)")
    data_format(p)
    p = command("compare", _cmd_compare, "a side-by-side table of models and fields")
    add_selection_options(p)
    p.add_argument(
        "--fields",
        metavar="F,...",
        help="comma-separated fields (columns); default: every field one of the models "
        "has, but for text and relation fields",
    )
    p.add_argument(
        "--format",
        default="markdown",
        choices=_Formats(),
        metavar="FORMAT",  # the choices are read when checked or shown (see _Formats)
        help="output format: %(choices)s (default: markdown)",
    )
    p.add_argument("--vs", metavar="NAME", help="add ratio columns against this model")
    p.add_argument(
        "--unit",
        action="append",
        default=[],
        metavar="FIELD=UNIT",
        help="with --format csv or json: write FIELD's numbers in UNIT "
        "(parameters=Gparameter; repeatable); by default each field's base unit",
    )
    p.add_argument(
        "--each-claim",
        action="store_true",
        help="show every claim side by side, each with its own marks and sources, "
        "instead of the value they agree on",
    )
    p.add_argument("--title", metavar="TEXT", help="a title above the table (a LaTeX caption)")
    p.add_argument(
        "--lang",
        default="en",
        choices=LANGS,
        help="the table's language: figures (15 000, 1,76), headers and legend (default: en)",
    )
    add_table_options(p)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p = command("plot", _cmd_plot, "a chart of one field (or two) as PNG, SVG or PDF")
    add_selection_options(p)
    g = p.add_argument_group("the chart")
    g.add_argument("--field", required=True, metavar="FIELD", help="the field to draw")
    g.add_argument("--y", metavar="FIELD", help="scatter: the field up the vertical axis")
    g.add_argument(
        "--kind",
        choices=_PLOT_KINDS,
        help="bars (one field across the models, sorted by value unless --sort), scatter "
        "(--field across, --y up) or timeline (--field against the models' dates); "
        "default: scatter with --y, else bars",
    )
    g.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="chart.png, chart.svg or chart.pdf"
    )
    g.add_argument(
        "--size",
        default="column",
        choices=_PLOT_SIZES,
        help="column (3.5 in wide, the default) or page (7 in)",
    )
    g.add_argument(
        "--theme",
        default="light",
        choices=_PLOT_THEMES,
        help="light (dark text on white, the default) or dark; each has its own background",
    )
    scale = g.add_mutually_exclusive_group()
    scale.add_argument(
        "--log",
        dest="log",
        action="store_const",
        const=True,
        help="a log axis for --field (default: where its figures span 100× or more)",
    )
    scale.add_argument("--linear", dest="log", action="store_const", const=False)
    scale_y = g.add_mutually_exclusive_group()
    scale_y.add_argument(
        "--log-y", dest="log_y", action="store_const", const=True, help="scatter: for --y"
    )
    scale_y.add_argument("--linear-y", dest="log_y", action="store_const", const=False)
    g.add_argument("--title", metavar="TEXT", help="a title above the chart")
    g.add_argument(
        "--lang",
        default="en",
        choices=LANGS,
        help="the chart's language: figures (15 000, 1,76), labels, legend, caption (default: en)",
    )
    g.add_argument(
        "--no-legend",
        dest="legend",
        action="store_false",
        help="leave out the legend and the marks' meanings",
    )
    g.add_argument(
        "--no-sources",
        dest="sources",
        action="store_false",
        help="leave out the numbered sources (the labels keep their numbers)",
    )
    p = command("ratio", _cmd_ratio, "A's value of FIELD over B's, bounded honestly")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.add_argument("field", metavar="FIELD")
    data_format(command("sources", _cmd_sources, "list the sources"))
    p = command(
        "validate",
        _cmd_validate,
        "check the data (built-in and FILEs), listing every problem at its place: "
        "structure, quotes verbatim, each quote's figure, duplicate claims; contradicting "
        "claims and files that add nothing are warnings",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="user data files to check too")
    p.add_argument(
        "--strict", action="store_true", help="warnings fail too (exit 1, as problems do)"
    )
    p = command(
        "tables",
        _cmd_tables,
        "render the standard tables (Markdown and LaTeX) and charts (SVG and PNG)",
    )
    p.add_argument("--out", default="tables", metavar="DIR", help="folder (default: tables)")
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; fail (exit 1) when DIR differs from what would be written",
    )
    p.add_argument(
        "--no-title", dest="title", action="store_false", help="leave out each table's title"
    )
    p.add_argument("--lang", default="en", choices=LANGS, help="the tables' language (default: en)")
    add_table_options(p, standalone=False)
    p = command("parse", _cmd_parse, "read a quantity from text, e.g. 'plus de 100 000 puces H100'")
    p.add_argument("text")
    p.add_argument("--lang", default="en", choices=LANGS)
    p.add_argument(
        "--scale",
        choices=("long", "short"),
        help="how to read French billion/trillion (default: long, with a warning)",
    )
    data_format(command("fields", _cmd_fields, "list the fields a claim can be about"))
    command(
        "check",
        _cmd_check,
        "list where a derived figure and a stated one (e.g. Epoch AI's) disagree beyond "
        "both bounds (exit 1 if any)",
    )
    return parser


class _Formats(Sequence[str]):
    """The output formats (:data:`~modelcompare.render.FORMATS`) as argparse's
    ``choices``, read from the renderers' registry only when a command's
    ``--format`` is checked or its help shown: ``list`` and ``show`` do not load
    the renderers."""

    def _names(self) -> tuple[str, ...]:
        from .render import FORMATS

        return FORMATS

    def __len__(self) -> int:
        return len(self._names())

    def __getitem__(self, i: Any) -> Any:
        return self._names()[i]

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())


class UsageError(Exception):
    """Options that do not go together (exit code 2)."""


class NotFound(Exception):
    """Names, or a choice of models, that match nothing (exit code 3)."""


class CannotCompute(Exception):
    """A command that would print nothing worth reading (exit code 5)."""


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit code.

    Output cut by a closed pipe (``modelcompare validate bad.toml 2>&1 | head -1``)
    gives :data:`EXIT_PIPE`, never success: the reader did not see it all.
    """
    stream = out if out is not None else sys.stdout
    try:
        code = _main(argv, stream)
        stream.flush()  # a closed pipe shows here, not at exit after "success"
        sys.stderr.flush()
    except BrokenPipeError:
        if out is None:
            _discard_output()
        return EXIT_PIPE
    return code


def _discard_output() -> None:
    """Point stdout and stderr at the null device, so that Python's own flush at
    exit does not fail again on the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for s in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # not a real file
            os.dup2(devnull, s.fileno())
    os.close(devnull)


def _main(argv: Sequence[str] | None, stream: TextIO) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        result: int = args.func(args, stream)
        return result
    except UsageError as exc:
        code = EXIT_USAGE
        message = str(exc)
    except (UnknownModelError, AmbiguousModelError, UnknownFieldError, NotFound) as exc:
        code = EXIT_NOT_FOUND
        message = str(exc)
    except DataFileError as exc:  # every problem of the files, one line each
        for line in exc.lines():
            print(f"modelcompare: error: {_printable(line)}", file=sys.stderr)
        if exc.total > 1:
            print(f"modelcompare: {exc.total} problems; nothing was loaded", file=sys.stderr)
        return EXIT_DATA
    except (ModelCompareError, CannotCompute) as exc:  # contradictions, units, no figure…
        code = EXIT_CANNOT
        message = str(exc)
    except BrokenPipeError:  # `modelcompare list | head`: main() says the output was cut
        raise
    except KeyboardInterrupt:  # Ctrl-C: stop, say so, and exit as a shell expects
        print("modelcompare: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        code = EXIT_IO
        message = f"cannot write {exc.filename or 'the output'}: {exc.strerror or exc}"
    except Exception:  # a bug: say so, show where, and keep exit 1 for "problems found"
        traceback.print_exc()
        print("modelcompare: internal error (a bug: please report it)", file=sys.stderr)
        return EXIT_INTERNAL
    print(f"modelcompare: error: {_printable(message)}", file=sys.stderr)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
