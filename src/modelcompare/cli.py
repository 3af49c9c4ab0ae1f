"""The ``modelcompare`` command line: a thin layer over the library.

Exit codes: 0 success; 1 problems found (``validate``, ``tables --check``);
2 usage error; 3 unknown model, field or source; 4 bad data file;
5 a value cannot be computed (units that do not match, contradicting claims,
no figure, text that cannot be parsed); 6 a file cannot be written;
70 an internal error (a bug: please report it).
"""

from __future__ import annotations

import argparse
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .errors import (
    ConflictError,
    DataFileError,
    ModelCompareError,
    UnknownFieldError,
    UnknownModelError,
)

if TYPE_CHECKING:
    from .records import Claim, Model
    from .registry import Registry

__all__ = ["main"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_DATA, EXIT_CANNOT = 0, 1, 2, 3, 4, 5
EXIT_IO, EXIT_INTERNAL = 6, 70


def _printable(text: str) -> str:
    """Text for a terminal: control characters shown as escapes, never obeyed."""
    return "".join(ch if ch.isprintable() or ch == " " else f"\\x{ord(ch):02x}" for ch in text)


def _registry(args: argparse.Namespace) -> Registry:
    from .registry import load_registry

    return load_registry(paths=[*args.data, *getattr(args, "data_sub", [])])


def _cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    from tabulate import tabulate

    reg = _registry(args)
    rows = [
        [
            _printable(m.name),
            _printable(m.organization),
            m.status.value,
            m.modality,
            str(m.announced or "—"),
            len(m.stated_claims),
        ]
        for m in reg
    ]
    headers = ["model", "organization", "status", "modality", "announced", "claims"]
    print(tabulate(rows, headers, tablefmt="simple", disable_numparse=True), file=out)
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
        facts.append(f"announced {m.announced}")
    lines.append("  " + " · ".join(facts))
    if m.aliases:
        lines.append("  also: " + ", ".join(m.aliases))
    if m.note:
        lines.append(f"  note: {m.note}")
    return [_printable(x) for x in lines]


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    from .fields import FIELDS

    reg = _registry(args)
    m = reg[args.model]
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
        for claim in by_field[name]:
            lines.extend(_claim_lines(claim))
    if m.mentions:
        lines += ["", "mentioned in:"]
        for cite in m.mentions:
            lines.append(_printable(f"  [{cite.source.id}] «{' '.join(cite.quote.split())}»"))
    print("\n".join(lines), file=out)
    return EXIT_OK


def _fields_arg(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [f.strip() for f in text.split(",") if f.strip()]


def _cmd_compare(args: argparse.Namespace, out: TextIO) -> int:
    from .comparison import compare

    if args.standalone and args.format not in ("latex", "html"):
        raise UsageError("--standalone goes with --format latex or html")
    fields = _fields_arg(args.fields)
    if fields == []:
        raise UsageError("--fields names no field (see `modelcompare fields`)")
    reg = _registry(args)
    comparison = compare(
        args.models,
        fields,
        vs=args.vs,
        registry=reg,
        claims="each" if args.each_claim else "value",
    )
    options = {"standalone": True} if args.standalone else {}
    text = comparison.render(args.format, **options)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        out.write(text if text.endswith("\n") else text + "\n")
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
    from tabulate import tabulate

    reg = _registry(args)
    rows = []
    for s in reg.sources.values():
        date = f"{s.date} ({s.date_basis})" if s.date and s.date_basis else str(s.date or "—")
        rows.append([s.id, date, s.language, s.kind, _printable(s.title[:70]), _printable(s.where)])
    headers = ["id", "date", "lang", "kind", "title", "file or url"]
    print(tabulate(rows, headers, tablefmt="simple", disable_numparse=True), file=out)
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    from .registry import load_registry

    reg = load_registry(paths=[*args.data, *args.files])
    problems = reg.validate()
    for p in problems:
        print(_printable(str(p)), file=sys.stderr)
    n_claims = sum(len(m.stated_claims) for m in reg)
    summary = (
        f"{len(reg)} models, {n_claims} claims, {len(reg.sources)} sources, "
        f"{len(reg.accelerators)} accelerators"
    )
    if problems:
        print(f"{len(problems)} problem(s) in {summary}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"ok: {summary}", file=out)
    return EXIT_OK


def _cmd_tables(args: argparse.Namespace, out: TextIO) -> int:
    from .tables import check_tables, write_tables

    reg = _registry(args)
    target = Path(args.out)
    if args.check:
        stale = check_tables(reg, target)
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
    for path in write_tables(reg, target):
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
    from tabulate import tabulate

    from .fields import FIELDS

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
    print(
        tabulate(rows, ["field", "kind", "unit", "how", "description"], tablefmt="simple"), file=out
    )
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument(
        "--data",
        dest="data_sub",
        action="append",
        default=[],
        metavar="FILE",
        help="add a registry data file (repeatable)",
    )
    parser = argparse.ArgumentParser(
        prog="modelcompare",
        description="Reported AI model facts side by side: sourced, bounded, unit-checked.",
        epilog="exit codes: 0 ok, 1 problems found, 2 usage, 3 unknown name, 4 bad data file, "
        "5 cannot compute",
    )
    parser.add_argument("--version", action="version", version=f"modelcompare {__version__}")
    parser.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="FILE",
        help="add a registry data file (repeatable)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, func: Callable[[argparse.Namespace, TextIO], int], help: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[data], help=help, description=help)
        p.set_defaults(func=func)
        return p

    command("list", _cmd_list, "list the models with organization and status")
    p = command("show", _cmd_show, "every claim of one model: qualifier, status, source, quote")
    p.add_argument("model", help="a model id, name or alias")
    p = command("compare", _cmd_compare, "a side-by-side table of models and fields")
    p.add_argument("models", nargs="+", metavar="NAME", help="models to compare (rows)")
    p.add_argument(
        "--fields",
        metavar="F,...",
        help="comma-separated fields (columns); default: every field one of the models has",
    )
    p.add_argument(
        "--format", default="markdown", choices=_formats(), help="output format (default: markdown)"
    )
    p.add_argument("--vs", metavar="NAME", help="add ratio columns against this model")
    p.add_argument(
        "--each-claim",
        action="store_true",
        help="show every claim side by side, each with its own marks and sources, "
        "instead of the value they agree on",
    )
    p.add_argument(
        "--standalone", action="store_true", help="a complete LaTeX document or HTML page"
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p = command("ratio", _cmd_ratio, "A's value of FIELD over B's, bounded honestly")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.add_argument("field", metavar="FIELD")
    command("sources", _cmd_sources, "list the sources")
    p = command(
        "validate",
        _cmd_validate,
        "check the data (built-in and FILEs): quotes verbatim, dimensions, ids",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="user data files to check too")
    p = command("tables", _cmd_tables, "render the standard tables (Markdown and LaTeX)")
    p.add_argument("--out", default="tables", metavar="DIR", help="folder (default: tables)")
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; fail (exit 1) when DIR differs from what would be written",
    )
    p = command("parse", _cmd_parse, "read a quantity from text, e.g. 'plus de 100 000 puces H100'")
    p.add_argument("text")
    p.add_argument("--lang", default="en", choices=("en", "fr"))
    p.add_argument(
        "--scale",
        choices=("long", "short"),
        help="how to read French billion/trillion (default: long, with a warning)",
    )
    command("fields", _cmd_fields, "list the fields a claim can be about")
    return parser


def _formats() -> tuple[str, ...]:
    from .render import FORMATS

    return FORMATS


class UsageError(Exception):
    """Options that do not go together (exit code 2)."""


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    stream = out if out is not None else sys.stdout
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
    except (UnknownModelError, UnknownFieldError) as exc:
        code = EXIT_NOT_FOUND
        message = str(exc)
    except DataFileError as exc:  # every problem of the files, one line each
        for line in exc.lines():
            print(f"modelcompare: error: {_printable(line)}", file=sys.stderr)
        if exc.total > 1:
            print(f"modelcompare: {exc.total} problems; nothing was loaded", file=sys.stderr)
        return EXIT_DATA
    except ModelCompareError as exc:  # contradicting claims, units, no figure, unreadable text
        code = EXIT_CANNOT
        message = str(exc)
    except BrokenPipeError:  # pragma: no cover - `modelcompare list | head`
        return EXIT_OK
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
