"""Generated data files for the scale benchmarks: ``n`` models of 7 claims each.

Each model cites one of ``n // per_source`` sources (default: 50 models a
source), whose text holds every quote its claims cite. The figures vary with
the model's number, so no two models are alike; every file validates.
"""

from __future__ import annotations

import json
from pathlib import Path

#: (field, TOML value, quote) of each model's claims; {i} is the model's number.
CLAIMS = [
    ("parameters", '{{ about = {p}, unit = "Gparameter" }}', "about {p} billion parameters"),
    (
        "active_parameters",
        '{{ exact = {a}, unit = "Gparameter" }}',
        "{a} billion active parameters",
    ),
    ("training_tokens", '{{ at_least = {t}, unit = "Ttoken" }}', "more than {t} trillion tokens"),
    ("training_accelerators", '{{ about = {h}, unit = "H100" }}', "about {h} H100 GPUs"),
    ("mmlu", '{{ exact = {m}, unit = "percent" }}', "{m}% on MMLU"),
    ("mt_bench", '{{ exact = {b}, unit = "mt_bench_point" }}', "MT-bench score of {b}"),
    ("training_accelerators", '{{ at_least = {g}, unit = "GB200" }}', "at least {g} GB200 chips"),
]


def figures(i: int) -> dict[str, object]:
    """The figures of model ``i``: plausible, distinct, each within its field's range."""
    return {
        "p": 1 + i % 900,
        "a": 1 + i % 97,
        "t": 1 + i % 30,
        "h": 1000 * (1 + i % 90),
        "m": 40 + i % 50,
        "b": round(5 + (i % 40) / 10, 1),
        "g": 100 * (1 + i % 70),
    }


def write_data(folder: Path, n: int, per_source: int = 50) -> Path:
    """Write ``data.toml`` (and its sources' text files) with ``n`` models into
    ``folder``; return the data file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = max(1, n // per_source)
    texts: list[list[str]] = [[] for _ in range(sources)]
    out: list[str] = []
    for s in range(sources):
        out += [
            "[[source]]",
            f'id = "bench-source-{s}"',
            f'title = "Benchmark source {s}"',
            f'path = "bench-source-{s}.txt"',
            'language = "en"',
            'kind = "other"',
            "",
        ]
    for i in range(n):
        s = i % sources
        f = figures(i)
        out += [
            "[[model]]",
            f'id = "bench-model-{i}"',
            f'name = "Bench Model {i}"',
            f'organization = "Org {i % 37}"',
            "",
        ]
        for field, value, quote in CLAIMS:
            q = f"Bench Model {i}: " + quote.format(**f)
            texts[s].append(q)
            out += [
                "[[claim]]",
                f'model = "bench-model-{i}"',
                f'field = "{field}"',
                f"value = {value.format(**f)}",
                'status = "reported"',
                f'citations = [{{ source = "bench-source-{s}", quote = {json.dumps(q)} }}]',
                "",
            ]
    for s, lines in enumerate(texts):
        (folder / f"bench-source-{s}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = folder / "data.toml"
    path.write_text("\n".join(out), encoding="utf-8")
    return path
