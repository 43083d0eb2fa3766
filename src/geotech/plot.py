"""Pictures of the world (extra ``plot``: matplotlib).

Regions are computed from the rules, never drawn by hand: a grid of hypothetical chips is
classified (or matched against a policy's item criteria) and each region is the set of grid
points that fall in it. Files are written as PNG or SVG by suffix; SVG keeps text as text so
labels can be searched.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from geotech import criteria as c
from geotech.criteria import Criterion, Facts, Truth
from geotech.entities import Chip, Precision, Throughput
from geotech.errors import GeotechError
from geotech.policies import AnyPolicy
from geotech.world import World

if TYPE_CHECKING:
    from matplotlib.figure import Figure

YAxis = Literal["performance_density", "dram_bandwidth_gbs"]

_ITEM_LEAVES = (c.ItemKind, c.ItemIs, c.ItemClass, c.Spec, c.Datacenter)
_COLOURS = ("#d62728", "#ff7f0e", "#9467bd", "#2ca02c", "#1f77b4", "#8c564b", "#e377c2")


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        raise GeotechError("plotting needs matplotlib: pip install 'geotech[plot]'") from None
    return plt


@contextmanager
def _style() -> Iterator[Any]:
    plt = _pyplot()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "geotech", "font.size": 8}):
        yield plt


#: Die area of hypothetical chips on the bandwidth map: the H100/H200 die, so that density
#: tests see a large-die part rather than an unknown.
HYPOTHETICAL_DIE_MM2 = 814.0


def hypothetical_chip(tpp: float, y_axis: YAxis, y: float, *, datacenter: bool = True) -> Chip:
    """A chip with the given TPP (8-bit dense TOPS = tpp / 8) and density, or DRAM bandwidth
    and an 814 mm² die."""
    density = y_axis == "performance_density"
    return Chip(
        id="hypothetical",
        name="hypothetical",
        designer="hypothetical",
        datacenter=datacenter,
        throughput=(Throughput(precision=Precision.INT8, tops=tpp / 8),),
        die_area_mm2=tpp / y if density else HYPOTHETICAL_DIE_MM2,
        dram_bandwidth_gbs=None if density else y,
    )


def item_truth(world: World, criterion: Criterion, item: Chip, on: dt.date) -> Truth:
    """The criterion judged on the item alone: leaves about buyers, legs or uses are unknown.

    A region is where this is not false: some buyer, leg or use could make the rule match.
    """
    facts = Facts(
        registry=world,
        on=on,
        item=item,
        buyer=None,
        exporter="",
        importer="",
        destination="",
        issuer="",
    )

    def judge(node: Criterion) -> Truth:
        if isinstance(node, c.All):
            return min((judge(x) for x in node.of), default=Truth.TRUE, key=lambda t: t.value)
        if isinstance(node, c.AnyOf):
            return max((judge(x) for x in node.of), default=Truth.FALSE, key=lambda t: t.value)
        if isinstance(node, c.Not):
            return ~judge(node.of)
        if isinstance(node, _ITEM_LEAVES):
            return node.evaluate(facts).truth
        return Truth.UNKNOWN

    return judge(criterion)


def _grid(lo: float, hi: float, n: int) -> list[float]:
    step = (hi - lo) / (n - 1)
    return [lo + i * step for i in range(n)]


def _policies_on_axis(world: World, on: dt.date, y_axis: YAxis) -> list[AnyPolicy]:
    """Policies in force whose criteria test TPP and the plotted spec: the zones to shade."""
    out = []
    for p in world.policies:
        if not p.in_force(on):
            continue
        facts = {n.fact for n in c.walk(p.criterion) if isinstance(n, c.Spec)}
        if c.SpecName.TPP in facts and c.SpecName(y_axis) in facts:
            out.append(p)
    return out


def chip_map(
    world: World,
    on: dt.date,
    *,
    y_axis: YAxis = "performance_density",
    chips: Sequence[str] | None = None,
    resolution: int = 80,
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

    regions: list[tuple[str, list[list[float]]]] = []
    if y_axis == "performance_density":
        for code in sorted({k.code for k in world.classes if k.in_force(on)}):
            for datacenter, label in ((True, code), (False, f"{code} (non-datacenter, Note 2)")):
                mask = [
                    [
                        1.0
                        if world.class_step(
                            code, hypothetical_chip(x, y_axis, y, datacenter=datacenter), on
                        ).truth
                        is Truth.TRUE
                        else 0.0
                        for x in xs
                    ]
                    for y in ys
                ]
                if any(any(row) for row in mask) and (
                    datacenter or not regions or mask != regions[-1][1]
                ):
                    regions.append((label, mask))
    else:
        for p in _policies_on_axis(world, on, y_axis):
            mask = [
                [
                    0.0
                    if item_truth(world, p.criterion, hypothetical_chip(x, y_axis, y), on)
                    is Truth.FALSE
                    else 1.0
                    for x in xs
                ]
                for y in ys
            ]
            if any(any(row) for row in mask):
                regions.append((f"{p.id} ({p.verdict.name.lower()})", mask))

    with _style() as plt:
        fig, ax = plt.subplots(figsize=(9, 6))
        handles = []
        from matplotlib.patches import Patch

        for i, (label, mask) in enumerate(regions):
            colour = _COLOURS[i % len(_COLOURS)]
            ax.contourf(xs, ys, mask, levels=[0.5, 1.5], colors=[colour], alpha=0.18)
            ax.contour(xs, ys, mask, levels=[0.5], colors=[colour], linewidths=1.0)
            handles.append(Patch(facecolor=colour, alpha=0.35, label=label))
        for ch, x, y in points:
            ax.scatter([x], [y], s=14, color="black", zorder=3)
            ax.annotate(ch.name, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=7)
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
    figure: Figure = fig
    return figure


def save(fig: Figure, path: str | os.PathLike[str]) -> Path:
    """Write a figure as PNG or SVG (by suffix), atomically; returns the path."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise GeotechError(f"{p}: unknown picture type {suffix or '(none)'}; use .png or .svg")
    tmp = p.with_name(f".{p.name}.tmp{suffix}")
    with _style():
        fig.savefig(tmp, format=suffix[1:], dpi=150, metadata=_metadata(suffix))
    os.replace(tmp, p)
    return p


def _metadata(suffix: str) -> dict[str, Any]:
    # Fixed metadata keeps files byte-stable across runs.
    return {"Date": None} if suffix == ".svg" else {"Software": "geotech"}
