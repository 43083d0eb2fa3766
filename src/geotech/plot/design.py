"""The design space in a picture: the exact regions of hypothetical chip specs, each filled by
its ruling and labelled with it, and the catalogue's chips placed on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from geotech.analysis.design import DesignSpace, Interval
from geotech.engine import Ruling
from geotech.errors import InvalidValueError
from geotech.plot.figures import OUTCOME_COLOURS, outcome_colour, place_labels, style, text_colour
from geotech.policies import Restriction
from geotech.render import LEGEND, label
from geotech.world import World

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["design_space_map"]

#: Axis titles of the specs a design space can vary.
_TITLES = {
    "tpp": "TPP (dense TOPS x bit length)",
    "performance_density": "performance density (TPP / mm²)",
    "dram_bandwidth_gbs": "DRAM bandwidth (GB/s)",
    "interconnect_gbs": "interconnect bandwidth (GB/s)",
    "memory_gb": "memory (GB)",
    "tdp_w": "TDP (W)",
    "die_area_mm2": "die area (mm²)",
}


def _span(sides: list[Interval], values: list[float]) -> float:
    """The axis's upper limit: past the last finite edge and every chip, by a margin."""
    edges = [s.high for s in sides if s.high is not None] + [s.low or 0.0 for s in sides]
    return 1.15 * max([*edges, *values, 1.0])


def design_space_map(
    space: DesignSpace, world: World | None = None, *, chips: list[str] | None = None
) -> Figure:
    """The two-axis design space as filled boxes, coloured by ruling, each ruling labelled once
    in its largest box (``*`` conditions, ``?`` uncertain); with ``world``, its chips that
    publish both specs (or ``chips``, by id) as labelled dots. Boxes are drawn from their exact
    edges, up to 15 % past the last finite edge or chip."""
    if len(space.axes) != 2 or "datacenter" in space.axes:
        raise InvalidValueError(
            f"design_space_map: expected two numeric axes, got {list(space.axes)}; "
            "build the space with axes=(x, y), e.g. ('tpp', 'dram_bandwidth_gbs')"
        )
    x_axis, y_axis = space.axes
    shown = []
    if world is not None:
        selected = [world.chip(i) for i in chips] if chips is not None else list(world.chips)
        for chip in selected:
            x, y = getattr(chip, x_axis), getattr(chip, y_axis)
            if x is not None and y is not None:
                shown.append(((float(x), float(y)), chip.id))
    x_hi = _span([r.box[0] for r in space.regions], [p[0] for p, _ in shown])
    y_hi = _span([r.box[1] for r in space.regions], [p[1] for p, _ in shown])
    with style() as plt:
        from matplotlib.patches import Patch, Rectangle

        fig, ax = plt.subplots(figsize=(9, 6))
        largest: dict[Restriction, tuple[float, float, float, Ruling]] = {}
        for region in space.regions:
            bx, by = region.box
            x0, y0 = bx.low or 0.0, by.low or 0.0
            x1 = x_hi if bx.high is None else min(bx.high, x_hi)
            y1 = y_hi if by.high is None else min(by.high, y_hi)
            if x1 <= x0 or y1 <= y0:
                continue
            kind = region.ruling.restriction
            ax.add_patch(
                Rectangle(
                    (x0, y0), x1 - x0, y1 - y0, color=outcome_colour(kind), ec="white", lw=0.6
                )
            )
            area = (x1 - x0) / x_hi * (y1 - y0) / y_hi
            if kind not in largest or area > largest[kind][0]:
                largest[kind] = (area, (x0 + x1) / 2, (y0 + y1) / 2, region.ruling)
        # one label per outcome, in its largest box, keeps the picture readable
        for kind, (_, x, y, ruling) in sorted(largest.items()):
            ax.text(
                x,
                y,
                label(ruling),
                ha="center",
                va="center",
                fontsize=6,
                color=text_colour(outcome_colour(kind)),
            )
        ax.set_xlim(0, x_hi)
        ax.set_ylim(0, y_hi)
        ax.set_xlabel(_TITLES.get(x_axis, x_axis))
        ax.set_ylabel(_TITLES.get(y_axis, y_axis))
        request = space.request
        route = " -> ".join(request.route) if request.route else "default route"
        use = f", end use {request.end_use}" if request.end_use else ""
        ax.set_title(
            f"Design space for {request.buyer} on {request.on.isoformat()} ({route}{use})\n"
            f"{LEGEND}",
            fontsize=8,
        )
        ax.legend(
            handles=[
                Patch(facecolor=OUTCOME_COLOURS[k], label=label(largest[k][3]).rstrip("*?"))
                for k in sorted(largest)
            ],
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            fontsize=6,
        )
        fig.tight_layout()
        # labels are placed on the final layout, where their sizes on the page are known
        place_labels(fig, ax, sorted(shown))
    figure: Figure = fig
    return figure
