"""How modelcompare's cost grows with the data: thousands of models.

For each size (default 1,000, 10,000 and 30,000 models of 7 claims each; see
``datagen.py``), in one fresh process per size, it times, several rounds each
and alternately,

  baselines  tomllib.load of the data file; json.dumps of the JSON output's
             own structure; csv.writer over the CSV output's rows
  load       mc.load_registry(paths=[file])                       budget 1.5× tomllib
  validate   registry.validate()                                   (reported)
  check      registry.discrepancies(): every derived figure, on a    (reported)
             registry loaded apart
  compare    mc.compare(every model, 6 fields)                     budget 1× tomllib
  renderers  to_markdown, to_latex, to_html, to_csv                budget 1× tomllib
             to_json                                               budget 2× json.dumps

then, across sizes, the log–log slope of each step from the smallest size to
the largest (budget: under 1.1, i.e. linear). A second part times the command
line at each size: ``import pint`` in a fresh process against a repeat
``modelcompare --data FILE compare`` of three models and ``... list`` of every
model (budget 2×), which the registry cache makes cheap, and the same calls
with ``--no-cache``. It measures; it asserts nothing.
Medians are printed.

Usage: python benchmarks/bench_scale.py [--sizes 1000,10000,30000] [--rounds 3]
       [--per-source 50] [--epoch notable_ai_models.csv]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from datagen import write_data  # noqa: E402

FIELDS = [
    "parameters",
    "active_parameters",
    "training_tokens",
    "training_accelerators",
    "mmlu",
    "training_compute",
]
#: step -> (baseline, budget ratio)
BUDGETS: dict[str, tuple[str, float]] = {
    "load": ("tomllib", 1.5),
    "compare": ("tomllib", 1.0),
    "to_markdown": ("tomllib", 1.0),
    "to_latex": ("tomllib", 1.0),
    "to_html": ("tomllib", 1.0),
    "to_csv": ("tomllib", 1.0),
    "to_json": ("json.dumps", 2.0),
}


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure_size(path: Path, rounds: int) -> dict[str, float]:
    """Median seconds of each step on the data file at ``path`` (run in a child)."""
    import modelcompare as mc

    mc.load_registry()  # the built-in data, loaded once as any session does
    samples: dict[str, list[float]] = {}

    def add(name: str, seconds: float) -> None:
        samples.setdefault(name, []).append(seconds)

    for _ in range(rounds):
        with path.open("rb") as f:
            add("tomllib", timed(lambda f=f: tomllib.load(f)))
        start = time.perf_counter()
        reg = mc.load_registry(paths=[path])
        add("load", time.perf_counter() - start)
        add("validate", timed(reg.validate))
        ids = [m.id for m in reg if m.id.startswith("bench-model-")]
        start = time.perf_counter()
        c = mc.compare(ids, FIELDS, registry=reg)
        add("compare", time.perf_counter() - start)
        for name in ("to_markdown", "to_latex", "to_html", "to_csv", "to_json"):
            add(name, timed(getattr(c, name)))
        doc = json.loads(c.to_json())
        add("json.dumps", timed(lambda doc=doc: json.dumps(doc, ensure_ascii=False, indent=2)))
        rows = list(csv.reader(io.StringIO(c.to_csv()[1:], newline="")))
        add("csv", timed(lambda rows=rows: csv.writer(io.StringIO()).writerows(rows)))
        # on a registry of its own, so that neither it nor compare finds the other's
        # derived figures already made
        add("check", timed(mc.load_registry(paths=[path]).discrepancies))
        # the baselines' structures (JSON's alone is millions of objects) go before the
        # next round, whose steps would otherwise run beside them
        del doc, rows, c, reg
    return {name: statistics.median(times) for name, times in samples.items()}


#: The README's command on an Epoch AI export: four models, four fields.
EPOCH_MODELS = ["GPT-4", "Llama 3.1-405B", "Grok-3", "MAI-1-preview"]
EPOCH_FIELDS = ["parameters", "training_compute", "training_accelerators", "training_power"]


def measure_epoch(path: Path, rounds: int) -> dict[str, float]:
    """Median seconds of reading an Epoch AI export with ``csv`` (the baseline), of
    loading it (its rows' models made when first asked for), of loading it and
    making every model, checking its derived figures, validating it, and
    comparing the README's four models."""
    import modelcompare as mc

    mc.load_registry()
    samples: dict[str, list[float]] = {}
    for _ in range(rounds):
        with path.open(newline="", encoding="utf-8") as f:
            samples.setdefault("csv", []).append(timed(lambda f=f: list(csv.reader(f))))
        start = time.perf_counter()
        reg = mc.load_registry(paths=[path])
        samples.setdefault("load", []).append(time.perf_counter() - start)
        # every row's model made (what list, select or validate ask for): reported
        samples.setdefault("load+made", []).append(
            timed(lambda: len(list(mc.load_registry(paths=[path]))))
        )
        samples.setdefault("validate", []).append(timed(reg.validate))
        samples.setdefault("compare", []).append(
            timed(
                lambda reg=reg: mc.compare(EPOCH_MODELS, EPOCH_FIELDS, registry=reg).to_markdown()
            )
        )
        samples.setdefault("check", []).append(timed(mc.load_registry(paths=[path]).discrepancies))
        samples.setdefault("rows", []).append(float(len(reg)))
    return {name: statistics.median(times) for name, times in samples.items()}


def child(args: argparse.Namespace) -> int:
    if args.child_epoch:
        print(json.dumps(measure_epoch(Path(args.child_epoch), args.rounds)))
        return 0
    print(json.dumps(measure_size(Path(args.child), args.rounds)))
    return 0


#: The repeat commands timed: one naming a few models, one listing every model.
CLI_COMMANDS = {
    "compare": ["compare", "bench-model-1", "bench-model-2", "bench-model-3", "--fields",
                ",".join(FIELDS)],
    "list": ["list"],
}  # fmt: skip


def cli_times(
    python: str, path: Path, rounds: int, cache: str, commands: dict[str, list[str]] | None = None
) -> dict[str, float]:
    """Median wall times of ``import pint`` and, for each of ``commands`` (default
    :data:`CLI_COMMANDS`), of a repeat ``--data FILE COMMAND`` (read from the
    registry cache) and of the same with ``--no-cache`` (two rounds)."""
    env = os.environ.copy()
    env["MODELCOMPARE_CACHE_DIR"] = cache
    # as an installed package runs: with its bytecode cached (pint's is, by pip)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    argvs = {"import pint": [python, "-c", "import pint"]}
    for name, args in (commands or CLI_COMMANDS).items():
        argvs[name] = [python, "-m", "modelcompare", "--data", str(path), *args]
        argvs[f"{name} --no-cache"] = [python, "-m", "modelcompare", "--no-cache",
                                       "--data", str(path), *args]  # fmt: skip
    for argv in argvs.values():  # warm caches (the registry cache is written here)
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    times: dict[str, list[float]] = {name: [] for name in argvs}
    for n in range(rounds):
        for name, argv in argvs.items():
            if n >= 2 and name.endswith("--no-cache"):
                continue
            start = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def epoch(path: Path, rounds: int) -> None:
    """Print the Epoch AI export's timings, and the README's command on it."""
    out = subprocess.run(
        [sys.executable, __file__, "--child-epoch", str(path), "--rounds", str(rounds)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    r = json.loads(out.strip().splitlines()[-1])
    print(f"\n{path.name} (Epoch AI export; {r['rows']:.0f} models once merged), "
          f"medians of {rounds} rounds")  # fmt: skip
    for step in ("csv", "load", "load+made", "check", "validate", "compare"):
        verdict = f"  1.5× of csv: {'ok' if r[step] / r['csv'] <= 1.5 else 'OVER'}"
        print(f"  {step:12} {r[step] * 1000:>8.1f}ms  {r[step] / r['csv']:>7.2f}×"
              f"{verdict if step == 'load' else ''}")  # fmt: skip
    command = ["compare", *EPOCH_MODELS, "--fields", ",".join(EPOCH_FIELDS)]
    with tempfile.TemporaryDirectory() as tmp:
        t = cli_times(sys.executable, path, max(3, rounds), tmp, {"compare": command})
    floor = t["import pint"]
    print(f"  the README's `--data {path.name} compare …`: {t['compare'] * 1000:.0f} ms "
          f"repeated ({t['compare'] / floor:.2f}× `import pint`, {floor * 1000:.0f} ms; "
          f"budget 2×), {t['compare --no-cache'] * 1000:,.0f} ms with --no-cache")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,30000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--per-source", type=int, default=50, help="models citing one source")
    parser.add_argument(
        "--epoch",
        metavar="CSV",
        help="also time a real Epoch AI export (notable_ai_models.csv) against csv, "
        "and the README's compare on it against import pint",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-epoch", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child or args.child_epoch:
        return child(args)
    if args.epoch:
        epoch(Path(args.epoch), args.rounds)
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for n in sizes:
            paths[n] = write_data(Path(tmp) / str(n), n, per_source=args.per_source)
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(paths[n]), "--rounds", str(args.rounds)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results[n] = json.loads(out.strip().splitlines()[-1])
            r = results[n]
            print(f"\n{n:,} models ({n * 7:,} claims), medians of {args.rounds} rounds")
            print(f"  {'step':12} {'median':>10}  {'ratio':>8}  budget")
            for step in ("tomllib", "json.dumps", "csv", "load", "check", "validate", "compare",
                         "to_markdown", "to_latex", "to_html", "to_csv", "to_json"):  # fmt: skip
                base, budget = BUDGETS.get(step, ("tomllib", math.nan))
                ratio = r[step] / r[base]
                verdict = "" if math.isnan(budget) else (
                    f"{budget:.1f}× of {base}: {'ok' if ratio <= budget else 'OVER'}"
                )  # fmt: skip
                print(f"  {step:12} {r[step] * 1000:>8.1f}ms  {ratio:>7.2f}×  {verdict}")
        if len(sizes) > 1:
            lo, hi = min(sizes), max(sizes)
            print(f"\nlog–log slope from {lo:,} to {hi:,} models (budget < 1.1)")
            for step in (
                "tomllib",
                "load",
                "check",
                "validate",
                "compare",
                "to_markdown",
                "to_json",
            ):
                slope = math.log(results[hi][step] / results[lo][step]) / math.log(hi / lo)
                print(f"  {step:12} {slope:5.2f}  {'ok' if slope < 1.1 else 'OVER'}")
        print("\ncommand line: a repeat `--data FILE COMMAND` (registry cache) against "
              "`import pint` (budget 2×)")  # fmt: skip
        for n in sizes:
            t = cli_times(sys.executable, paths[n], max(3, args.rounds), tmp)
            floor = t["import pint"]
            print(f"  {n:>6,} models, `import pint` {floor * 1000:.0f} ms")
            for name in CLI_COMMANDS:
                ratio = t[name] / floor
                print(f"    {name:8} {t[name] * 1000:7.0f} ms  {ratio:5.2f}×  "
                      f"{'ok' if ratio <= 2 else 'OVER'}   "
                      f"(--no-cache {t[name + ' --no-cache'] * 1000:,.0f} ms)")  # fmt: skip
    print(f"python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
