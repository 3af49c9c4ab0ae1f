"""The standard charts in tables/: committed, fresh (byte for byte), valid files,
and drawing what their comparisons say."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib.image
import pytest

import modelcompare as mc
from conftest import ROOT
from modelcompare.tables import CHART_FILES, STANDARD_CHARTS, check_tables, write_tables


def test_every_standard_chart_is_committed_and_valid() -> None:
    """Each chart is in tables/ as SVG, PNG and dark SVG, each a valid file."""
    for chart in STANDARD_CHARTS:
        for _, fmt, tail in CHART_FILES:
            path = ROOT / "tables" / (chart.name + tail)
            assert path.is_file(), path
            if fmt == "svg":
                assert ET.parse(path).getroot().tag == "{http://www.w3.org/2000/svg}svg"
            else:
                assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
                assert matplotlib.image.imread(path).shape[1] == 1050


def test_standard_charts_draw_their_models(reg: mc.Registry) -> None:
    """Each chart places (or names in a gap) every model it lists."""
    for chart in STANDARD_CHARTS:
        fig = chart.build(reg)
        gids = {a.get_gid() for a in [*fig.axes[0].lines, *fig.axes[0].patches, *fig.axes[0].texts]}
        for name in chart.models:
            model = reg[name]
            assert gids & {f"bar-{model.id}", f"point-{model.id}", f"gap-{model.id}"}, (
                chart.name,
                name,
            )


def test_a_changed_chart_is_stale(reg: mc.Registry, tmp_path: Path) -> None:
    """check_tables reports a chart whose bytes differ, and a missing one."""
    write_tables(reg, tmp_path)
    assert check_tables(reg, tmp_path) == []
    png = tmp_path / "h100.png"
    png.write_bytes(png.read_bytes()[:-1] + b"\0")
    (tmp_path / "phi-3-mmlu-dark.svg").unlink()
    assert check_tables(reg, tmp_path) == ["h100.png", "phi-3-mmlu-dark.svg"]


@pytest.mark.parametrize("option", ["legend", "sources"])
def test_tables_options_reach_the_charts(option: str, reg: mc.Registry) -> None:
    """tables --no-legend / --no-sources / --no-title apply to the charts too."""
    fig = STANDARD_CHARTS[0].build(reg, title=False, **{option: False})
    assert fig.get_suptitle() == ""
    if option == "legend":
        assert fig.legends == []
    else:
        (caption,) = [t for t in fig.texts if t.get_gid() == "caption"]
        assert "Sources:" not in caption.get_text()
