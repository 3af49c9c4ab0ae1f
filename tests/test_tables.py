"""The committed tables/ are what the code renders now; the import stays light."""

from __future__ import annotations

import json
import subprocess
import sys

import modelcompare as mc
from conftest import ROOT
from modelcompare.tables import STANDARD_TABLES, SUFFIXES, check_tables


def test_committed_tables_are_up_to_date() -> None:
    """tables/ matches what `modelcompare tables` renders from the current code and data."""
    stale = check_tables(mc.load_registry(), ROOT / "tables")
    assert stale == [], f"out of date: {stale}; run `make tables` and commit tables/"


def test_every_standard_table_is_committed() -> None:
    """Each standard table exists in tables/ in Markdown and LaTeX."""
    names = {p.name for p in (ROOT / "tables").iterdir()}
    for spec in STANDARD_TABLES:
        for suffix in SUFFIXES.values():
            assert spec.name + suffix in names


def test_standard_tables_name_real_models_and_fields() -> None:
    """Every standard table has a row per model it names and a column per field, each
    with at least one figure, and cites its sources."""
    reg = mc.load_registry()
    for spec in STANDARD_TABLES:
        comparison = spec.build(reg)
        assert [m.name for m in comparison.models] == [reg[m].name for m in spec.models]
        assert [c.key for c in comparison.columns if c.kind != "ratio"] == list(spec.fields)
        for index, column in enumerate(comparison.columns):
            assert any(not row[index].missing for row in comparison.rows), (spec.name, column.key)
        assert comparison.sources, spec.name


def test_import_is_light() -> None:
    """import modelcompare loads neither pandas, tabulate, tomllib nor the data.

    (pint itself imports babel when it is installed, so babel is not checked.)"""
    code = (
        "import sys, json, modelcompare;"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'pandas','tabulate','tomllib','markdown_it'} or m in "
        "{'modelcompare.registry','modelcompare.loader','modelcompare.comparison'})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == []
