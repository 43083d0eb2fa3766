"""Chip maps: TPP against performance density or DRAM bandwidth, with the control regions in
force on a date.

Regions are computed from the rules, never drawn by hand: a grid of hypothetical chips is
classified (or matched against a policy's item criteria) and each region is the set of grid
points that fall in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

from geotech import criteria as c
from geotech.analysis.design import hypothetical_chip as designed_chip
from geotech.criteria import Criterion, Truth, item_facts
from geotech.entities import Chip
from geotech.plot.figures import COLOURS, place_labels, style
from geotech.policies import AnyPolicy
from geotech.world import World

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["HYPOTHETICAL_DIE_MM2", "YAxis", "chip_map", "hypothetical_chip", "item_truth"]

YAxis = Literal["performance_density", "dram_bandwidth_gbs"]

#: What a leaf may read to be judged on an item alone.
_ITEM_FACTS = frozenset({c.Fact.ITEM, c.Fact.ON})

#: Die area of hypothetical chips on the bandwidth map: the H100/H200 die, so that density
#: tests see a large-die part rather than an unknown.
HYPOTHETICAL_DIE_MM2 = 814.0


def hypothetical_chip(tpp: float, y_axis: YAxis, y: float, *, datacenter: bool = True) -> Chip:
    """A chip with the given TPP (8-bit dense TOPS = tpp / 8) and density, or DRAM bandwidth
    and an 814 mm² die (``geotech.analysis.design.hypothetical_chip`` on the map's axes)."""
    specs: dict[str, float | bool] = {"tpp": tpp, y_axis: y, "datacenter": datacenter}
    if y_axis == "dram_bandwidth_gbs":
        specs["die_area_mm2"] = HYPOTHETICAL_DIE_MM2
    return designed_chip(specs, designer="hypothetical")


def item_truth(world: World, criterion: Criterion, item: Chip, on: dt.date) -> Truth:
    """The criterion judged on the item alone: leaves that read more than the item (and the
    date) are unknown.

    A region is where this is not false: some buyer, leg or use could make the rule match.
    """
    facts = item_facts(world, on, item)

    def leaf(node: Criterion) -> Truth:
        return node.evaluate(facts).truth if node.reads <= _ITEM_FACTS else Truth.UNKNOWN

    return c.truth(criterion, leaf)


def _grid(lo: float, hi: float, n: int) -> list[float]:
    step = (hi - lo) / (n - 1)
    return [lo + i * step for i in range(n)]


def _mask(
    xs: Sequence[float],
    ys: Sequence[float],
    y_axis: YAxis,
    datacenter: bool,
    criteria: Sequence[Criterion],
    inside: Callable[[Chip], bool],
) -> list[list[float]]:
    """1.0 where ``inside`` holds for the hypothetical chip at (x, y), else 0.0.

    The criteria read a grid point only through their threshold comparisons, so points with
    the same comparison outcomes get the same answer: ``inside`` runs once per outcome pattern.
    """
    bounds = [(n.measure.name, n.bound) for crit in criteria for n in c.thresholds(crit)]
    memo: dict[tuple[bool | None, ...], float] = {}
    rows = []
    for y in ys:
        row = []
        for x in xs:
            values = _grid_facts(x, y_axis, y)
            key = tuple(
                None if values.get(name) is None else bound.holds(values[name])
                for name, bound in bounds
            )
            if key not in memo:
                chip = hypothetical_chip(x, y_axis, y, datacenter=datacenter)
                memo[key] = 1.0 if inside(chip) else 0.0
            row.append(memo[key])
        rows.append(row)
    return rows


def _grid_facts(tpp: float, y_axis: YAxis, y: float) -> dict[str, float]:
    """The measures of ``hypothetical_chip(tpp, y_axis, y)``, without building it."""
    if y_axis == "performance_density":
        return {"tpp": tpp, "performance_density": y, "die_area_mm2": tpp / y}
    return {
        "tpp": tpp,
        "dram_bandwidth_gbs": y,
        "die_area_mm2": HYPOTHETICAL_DIE_MM2,
        "performance_density": tpp / HYPOTHETICAL_DIE_MM2,
    }


def _policies_on_axis(world: World, on: dt.date, y_axis: YAxis) -> list[AnyPolicy]:
    """Policies in force whose criteria test TPP and the plotted measure: the zones to shade."""
    out = []
    for p in world.policies:
        if not p.in_force(on):
            continue
        measures = {n.measure.name for n in c.thresholds(p.criterion)}
        if {"tpp", y_axis} <= measures:
            out.append(p)
    return out


def chip_map(
    world: World,
    on: dt.date,
    *,
    y_axis: YAxis = "performance_density",
    chips: Sequence[str] | None = None,
    resolution: int = 200,
) -> Figure:
    """TPP against performance density (or DRAM bandwidth) with every chip labelled and the
    control regions in force on ``on``: each class (for datacenter parts, and Note 2's
    non-datacenter boundary where it differs) on the density map; each policy zone testing
    TPP and DRAM bandwidth (the case-by-case zone, the tariff bands) on the bandwidth map."""
    selected = [world.chip(i) for i in chips] if chips is not None else list(world.chips)
    points = [
        (ch, ch.tpp, getattr(ch, y_axis))
        for ch in selected
        if ch.tpp is not None and getattr(ch, y_axis) is not None
    ]
    x_hi = max([30000.0, *(p[1] * 1.1 for p in points)])
    y_hi = max([30.0 if y_axis == "performance_density" else 9000.0, *(p[2] * 1.1 for p in points)])
    xs = _grid(x_hi / resolution, x_hi, resolution)
    ys = _grid(y_hi / resolution, y_hi, resolution)

    in_force = [k for k in world.classes if k.in_force(on)]
    regions: list[tuple[str, list[list[float]]]] = []
    if y_axis == "performance_density":
        for code in sorted({k.code for k in in_force}):
            defs = [k.criterion for k in in_force if k.code == code]
            for datacenter, label in ((True, code), (False, f"{code} (non-datacenter, Note 2)")):

                def inside(chip: Chip, code: str = code) -> bool:
                    return world.class_step(code, chip, on).truth is Truth.TRUE

                mask = _mask(xs, ys, y_axis, datacenter, defs, inside)
                if any(any(row) for row in mask) and (
                    datacenter or not regions or mask != regions[-1][1]
                ):
                    regions.append((label, mask))
    else:
        for p in _policies_on_axis(world, on, y_axis):

            def could_match(chip: Chip, p: AnyPolicy = p) -> bool:
                return item_truth(world, p.criterion, chip, on) is not Truth.FALSE

            criteria = [p.criterion, *(k.criterion for k in in_force)]
            mask = _mask(xs, ys, y_axis, True, criteria, could_match)
            if any(any(row) for row in mask):
                regions.append((f"{p.id} ({p.verdict.name.lower()})", mask))

    with style() as plt:
        fig, ax = plt.subplots(figsize=(9, 6))
        handles = []
        from matplotlib.patches import Patch

        for i, (label, mask) in enumerate(regions):
            colour = COLOURS[i % len(COLOURS)]
            ax.contourf(xs, ys, mask, levels=[0.5, 1.5], colors=[colour], alpha=0.18)
            ax.contour(xs, ys, mask, levels=[0.5], colors=[colour], linewidths=1.0)
            handles.append(Patch(facecolor=colour, alpha=0.35, label=label))
        at: dict[tuple[float, float], list[str]] = {}
        for ch, x, y in points:
            at.setdefault((round(x, 1), round(y, 3)), []).append(ch.id)
        missing = len(selected) - len(points)
        ylabel = (
            "performance density (TPP / mm²)"
            if y_axis == "performance_density"
            else "DRAM bandwidth (GB/s)"
        )
        ax.set_xlabel("TPP (dense TOPS x bit length)")
        ax.set_ylabel(ylabel)
        note = f"; {missing} chips without the needed specs not shown" if missing else ""
        ax.set_title(f"Chips and control regions in force on {on.isoformat()}{note}")
        ax.set_xlim(0, x_hi)
        ax.set_ylim(0, y_hi)
        if handles:
            ax.legend(handles=handles, loc="upper left", fontsize=7)
        fig.tight_layout()
        # labels are placed on the final layout, where their sizes on the page are known
        place_labels(fig, ax, [(p, ", ".join(sorted(ids))) for p, ids in sorted(at.items())])
    figure: Figure = fig
    return figure


#: Where a chip's label may go, in points from its dot, tried in order: the first that
#: overlaps no label placed before is taken (else the first).
