"""Start-up cost of modelcompare, against the floor any pint-based tool pays.

Runs, alternately and each in a fresh process,

  floor:    python -c "import pint"
  import:   python -c "import modelcompare"
  cli:      modelcompare compare MAI-1-preview Grok GPT-4 --format markdown

and prints each one's median wall time and its ratio to the floor measured in
the same run, with the budgets (import ≤ 1.15×, CLI ≤ 1.5×). It measures; it
asserts nothing. Usage: python benchmarks/bench_startup.py [--rounds N]

pint comes byte-compiled from its wheel; modelcompare, installed editable,
would be recompiled on every run where PYTHONDONTWRITEBYTECODE is set. So
that both are timed as installed packages, the script byte-compiles
modelcompare first (what `pip install` does).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BUDGETS = {"import": 1.15, "cli": 1.5}


def commands(python: str) -> dict[str, list[str]]:
    """The commands to time, by name."""
    cli = [python, "-m", "modelcompare"]
    return {
        "floor": [python, "-c", "import pint"],
        "import": [python, "-c", "import modelcompare"],
        "cli": [*cli, "compare", "MAI-1-preview", "Grok", "GPT-4", "--format", "markdown"],
    }


def time_once(argv: list[str]) -> float:
    """Wall time of one run of ``argv``, which must succeed."""
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=os.environ.copy())
    return time.perf_counter() - start


def main() -> int:
    """Time the commands and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=21, help="runs of each command (default 21)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter to time")
    args = parser.parse_args()
    cmds = commands(args.python)
    package = subprocess.run(
        [
            args.python,
            "-c",
            "import modelcompare, os; print(os.path.dirname(modelcompare.__file__))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    subprocess.run([args.python, "-m", "compileall", "-q", package], check=True)
    for argv in cmds.values():  # warm the file cache and pint's, and fail early if broken
        time_once(argv)
    samples: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(args.rounds):
        for name, argv in cmds.items():  # alternate, so drift hits every command alike
            samples[name].append(time_once(argv))
    floor = statistics.median(samples["floor"])
    print(f"{'command':8} {'median':>9} {'ratio':>7} {'budget':>7}  ({args.rounds} runs each)")
    for name, times in samples.items():
        med = statistics.median(times)
        budget = BUDGETS.get(name)
        verdict = ""
        if budget is not None:
            verdict = f"{budget:>6.2f}×  {'ok' if med / floor <= budget else 'OVER BUDGET'}"
        print(f"{name:8} {med * 1000:>7.1f}ms {med / floor:>6.2f}× {verdict}")
    print(f"python {sys.version.split()[0]} at {Path(args.python)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
