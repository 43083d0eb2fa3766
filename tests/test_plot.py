"""The pictures: generated from the catalogue, non-trivial, labelled (extra ``plot``)."""

from __future__ import annotations

import datetime as dt
import runpy
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from geotech import GeotechError, catalog, plot

ROOT = Path(__file__).resolve().parent.parent
ON = dt.date(2026, 2, 1)


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("images")
    script = runpy.run_path(str(ROOT / "scripts/make_docs_images.py"))
    written = script["main"](out)
    return {p.name: p.read_text(encoding="utf-8") for p in written}


def test_the_docs_script_writes_every_picture(images: dict[str, str]) -> None:
    assert sorted(images) == [
        "access-matrix.svg",
        "chip-map-bandwidth.svg",
        "chip-map-density.svg",
        "compute-gap.svg",
        "verdict-timeline.svg",
    ]
    for name, svg in images.items():
        assert svg.startswith("<?xml"), name
        assert len(svg) > 10_000, f"{name} is suspiciously small ({len(svg)} bytes)"
        assert svg.count("<path") + svg.count("<use") > 20, f"{name} draws almost nothing"


def test_chip_maps_label_every_chip_and_region(images: dict[str, str]) -> None:
    world = catalog.world()
    density = images["chip-map-density.svg"]
    for chip in world.chips:
        if chip.tpp is not None and chip.performance_density is not None:
            assert chip.id in density, chip.id
    for region in ("3A090.a", "3A090.b", "3A090.a (non-datacenter, Note 2)"):
        assert region in density
    bandwidth = images["chip-map-bandwidth.svg"]
    assert "us-bis-2026-01-15-h200-case-by-case (license_required)" in bandwidth
    assert "us-potus-2026-01-14-s232-semiconductor-tariff (conditional)" in bandwidth
    assert "nvidia-h200" in bandwidth
    assert "amd-mi325x" in bandwidth


def test_timeline_matrix_and_gap_carry_their_labels(images: dict[str, str]) -> None:
    timeline = images["verdict-timeline.svg"]
    assert "bytedance x nvidia-h200 (TW -&gt; US -&gt; CN)" in timeline
    assert "us-bis-2026-01-15-h200-case-by-case" in timeline
    assert "cn-2026-01-h200-import-approvals" in timeline
    matrix = images["access-matrix.svg"]
    assert "license (case-by-case)" in matrix
    assert "prohibited" in matrix
    assert all(b in matrix for b in ("bytedance", "huawei", "huawei-ascend-910c"))
    gap = images["compute-gap.svg"]
    assert "GPT-4-class" in gap
    assert "Llama-3.1-405B-class" in gap


def test_the_policies_zone_is_the_rule(tmp_path: Path) -> None:
    """A hypothetical H200-like chip is inside the case-by-case zone exactly as the rule's
    thresholds say (TPP < 21000 and DRAM bandwidth < 6500)."""
    world = catalog.world()
    rule = world.policy("us-bis-2026-01-15-h200-case-by-case")
    inside = plot.hypothetical_chip(15832, "dram_bandwidth_gbs", 4800)
    over_tpp = plot.hypothetical_chip(21000, "dram_bandwidth_gbs", 4800)
    over_bw = plot.hypothetical_chip(15832, "dram_bandwidth_gbs", 6500)
    assert plot.item_truth(world, rule.criterion, inside, ON).name != "FALSE"
    assert plot.item_truth(world, rule.criterion, over_tpp, ON).name == "FALSE"
    assert plot.item_truth(world, rule.criterion, over_bw, ON).name == "FALSE"


def test_png_and_unknown_suffix(tmp_path: Path) -> None:
    fig = plot.chip_map(catalog.world(), ON, chips=["nvidia-h200", "nvidia-h20"], resolution=20)
    png = plot.save(fig, tmp_path / "map.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000
    with pytest.raises(GeotechError, match=r"use \.png or \.svg"):
        plot.save(fig, tmp_path / "map.gif")
    assert not list(tmp_path.glob(".*tmp*"))
