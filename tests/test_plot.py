"""The pictures: generated from the catalogue, non-trivial, labelled (extra ``plot``)."""

from __future__ import annotations

import datetime as dt
import runpy
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

pytest.importorskip("matplotlib")

from geotech import GeotechError, catalog, plot, render

ROOT = Path(__file__).resolve().parent.parent
ON = dt.date(2026, 2, 1)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


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
        "design-space.svg",
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


def _label_overlaps(fig: object) -> int:
    import itertools

    fig.canvas.draw()  # type: ignore[attr-defined]
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [t.get_window_extent(renderer) for t in fig.axes[0].texts]  # type: ignore[attr-defined]
    return sum(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def test_chip_labels_avoid_each_other() -> None:
    world = catalog.world()
    density = plot.chip_map(world, ON)
    assert len(density.axes[0].texts) == 32
    assert _label_overlaps(density) == 0
    # the crowded bandwidth map: 166 pairs with every label up-right
    assert _label_overlaps(plot.chip_map(world, ON, y_axis="dram_bandwidth_gbs")) == 0


def test_text_is_white_on_dark_fills() -> None:
    assert [plot.text_colour(x) for x in ("#67001f", "#d73027", "#fee08b", "#ffffff")] == [
        "white",
        "white",
        "black",
        "black",
    ]
    world = catalog.world()
    from geotech.analysis import access_matrix

    matrix = access_matrix(world, ["huawei", "openai"], ["nvidia-h200", "nvidia-h20"], ON)
    fig = plot.matrix_heatmap(matrix)
    colours = {t.get_text(): t.get_color() for t in fig.axes[0].texts}
    assert colours["prohibited"] == "white"  # dark red
    assert colours["license (denial)?"] == "white"
    assert colours["allowed"] == "white"  # dark green


def test_the_gap_plot_has_a_linear_axis() -> None:
    from geotech import compute

    world = catalog.world()
    a = compute.cluster(world.chip("nvidia-h20"), 1000)
    b = compute.cluster(world.chip("nvidia-b200"), 1000)
    gap = compute.compute_gap(a, b)
    assert plot.compute_gap_bars(gap).axes[0].get_yscale() == "log"
    assert plot.compute_gap_bars(gap, scale="linear").axes[0].get_yscale() == "linear"
    with pytest.raises(GeotechError, match="expected 'log' or 'linear'"):
        plot.compute_gap_bars(gap, scale="square")  # type: ignore[arg-type]


def test_the_gap_command_draws_a_linear_axis(tmp_path: Path) -> None:
    from geotech.cli import main

    target = tmp_path / "gap.svg"
    argv = ["plot", "gap", "--buyer", "bytedance", "--order", "nvidia-h20=1000"]
    argv += ["--versus", "openai", "--versus-order", "nvidia-b200=1000", "--on", "2026-02-01"]
    assert main([*argv, "--linear", "-o", str(target)]) == 0
    assert target.exists()


def test_the_design_space_map_draws_every_region_once_and_places_the_chips() -> None:
    from matplotlib.colors import to_hex
    from matplotlib.patches import Rectangle

    import geotech
    from geotech.plot.figures import OUTCOME_COLOURS

    world = catalog.world()
    space = geotech.design_space(
        world, buyer="bytedance", on=ON, route=("TW", "US", "CN"), end_use="datacenter"
    )
    fig = plot.design_space_map(space, world, chips=["nvidia-h20", "nvidia-h200", "nvidia-b200"])
    ax = fig.axes[0]
    boxes = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(boxes) == len(space.regions)
    # every box's fill is the colour of its region's ruling, read back at the box's centre
    for box in boxes:
        x, y = box.get_x() + box.get_width() / 2, box.get_y() + box.get_height() / 2
        tpp_and_bandwidth = {"tpp": x, "dram_bandwidth_gbs": y}
        expected = OUTCOME_COLOURS[space.at(**tpp_and_bandwidth).restriction]
        assert to_hex(box.get_facecolor()) == expected
    texts = [t.get_text() for t in ax.texts]
    assert sorted(texts[-3:]) == ["nvidia-b200", "nvidia-h20", "nvidia-h200"]
    # one label per outcome, each the label of a region with that outcome
    assert len(texts[:-3]) == len({r.ruling.restriction for r in space.regions}) == 4
    assert set(texts[:-3]) <= {render.label(r.ruling) for r in space.regions}
    assert "license (case-by-case)*" in texts
    assert _label_overlaps(fig) == 0
    with pytest.raises(GeotechError, match=r"expected two numeric axes, got \['tpp'\]"):
        plot.design_space_map(attrs.evolve(space, axes=("tpp",)))


def test_the_design_space_command_draws_the_docs_picture(
    images: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from geotech.cli import main

    target = tmp_path / "space.svg"
    argv = ["plot", "design-space", "bytedance", "--on", "2026-02-01", "--route", "TW,US,CN"]
    assert main([*argv, "--end-use", "datacenter", "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == images["design-space.svg"]
    # a picture needs two numeric axes: a usage error before any work
    assert main(["plot", "design-space", "bytedance", "--axes", "tpp", "-o", str(target)]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "geotech plot design-space: error: --axes: a picture needs two numeric specs, got tpp; "
        "e.g. --axes tpp,dram_bandwidth_gbs"
    )
    # the options are the design-space command's: --fixed and --axes reach the analysis
    argv = ["plot", "design-space", "bytedance", "--on", "2024-01-01", "--end-use", "datacenter"]
    argv += ["--axes", "tpp,performance_density", "--fixed", "dram_bandwidth_gbs=4000"]
    assert main([*argv, "-o", str(target)]) == 0
    assert "performance density (TPP / mm²)" in target.read_text(encoding="utf-8")
