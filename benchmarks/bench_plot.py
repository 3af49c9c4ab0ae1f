"""What charts cost at start-up, against ``import modelcompare``.

Runs, alternately and each in a fresh process,

  import:       python -c "import modelcompare"
  plot module:  python -c "import modelcompare.plot"   (must not load matplotlib)
  matplotlib:   python -c "import matplotlib.figure, matplotlib.backends.backend_agg"
  compare:      the H100 comparison of MAI-1-preview and Grok, no chart
  chart:        the same comparison drawn as bars (Comparison.plot)
  chart + svg:  and written as SVG bytes

and prints each one's median wall time and its difference from ``import``.
It measures; it asserts nothing. Usage: python benchmarks/bench_plot.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

_TABLE = "mc.compare(['MAI-1-preview', 'Grok'], 'training_accelerators')"
COMMANDS = {
    "import": "import modelcompare",
    "plot module": "import modelcompare.plot",
    "matplotlib": "import matplotlib.figure, matplotlib.backends.backend_agg",
    "compare": f"import modelcompare as mc; {_TABLE}",
    "chart": f"import modelcompare as mc; {_TABLE}.plot('bars')",
    "chart + svg": (
        "import modelcompare as mc; from modelcompare.plot import figure_bytes; "
        f"figure_bytes({_TABLE}.plot('bars'), 'svg')"
    ),
}


def main() -> int:
    """Time the commands and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=11, help="runs of each command (default 11)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter to time")
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.rounds):
        for name, code in COMMANDS.items():
            start = time.perf_counter()
            subprocess.run([args.python, "-c", code], check=True)
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["import"])
    print(f"{'command':14} {'median':>9} {'- import':>9}")
    for name, runs in times.items():
        median = statistics.median(runs)
        print(f"{name:14} {median * 1000:7.0f} ms {(median - base) * 1000:+7.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
