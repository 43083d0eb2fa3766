"""Write the pictures the documentation embeds (needs the ``plot`` extra).

Usage: ``python scripts/make_docs_images.py [OUTPUT_DIR]`` (default: ``docs/images``).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import geotech
from geotech import analysis, catalog, compute, plot

#: The January 2026 story's key date and the buyers and chips the tutorial follows.
ON = dt.date(2026, 2, 1)
BUYERS = ("bytedance", "alibaba", "tencent", "deepseek", "baidu", "huawei")
CHIPS = ("nvidia-h200", "nvidia-h20", "nvidia-h100-sxm", "nvidia-b200", "huawei-ascend-910c")


def main(out: Path) -> list[Path]:
    """Write every picture into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    world = catalog.world()
    via_us = ("TW", "US", "CN")
    requests = [
        geotech.AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, route=via_us),
        geotech.AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, route=("TW", "CN")),
        geotech.AccessRequest(buyer="bytedance", item="nvidia-h20", on=ON),
        geotech.AccessRequest(buyer="huawei", item="nvidia-h200", on=ON, route=via_us),
    ]
    matrix = analysis.access_matrix(world, BUYERS, CHIPS, ON, route=via_us)
    gap = compute.compute_gap(
        compute.cluster(world.chip("nvidia-h200"), 100_000),
        compute.cluster(world.chip("nvidia-b200"), 100_000),
    )
    figures = {
        "chip-map-density.svg": plot.chip_map(world, ON),
        "chip-map-bandwidth.svg": plot.chip_map(world, ON, y_axis="dram_bandwidth_gbs"),
        "verdict-timeline.svg": plot.verdict_timeline(
            world, requests, dt.date(2022, 1, 1), dt.date(2026, 6, 1)
        ),
        "access-matrix.svg": plot.matrix_heatmap(matrix),
        "compute-gap.svg": plot.compute_gap_bars(gap),
        "design-space.svg": plot.design_space_map(
            geotech.design_space(
                world, buyer="bytedance", on=ON, route=via_us, end_use="datacenter"
            ),
            world,
        ),
    }
    return [plot.save(fig, out / name) for name, fig in figures.items()]


if __name__ == "__main__":
    target = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / "docs/images"
    )
    for path in main(target):
        print(path)
