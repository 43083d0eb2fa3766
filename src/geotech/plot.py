"""Pictures of the world (extra ``plot``: matplotlib).

Regions are computed from the rules, never drawn by hand: a grid of hypothetical chips is
classified (or matched against a policy's item criteria) and each region is the set of grid
points that fall in it. Files are written as PNG or SVG by suffix; SVG keeps text as text so
labels can be searched.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from geotech import criteria as c
from geotech import files
from geotech.analysis import AccessMatrix, timeline
from geotech.compute import ComputeGap
from geotech.criteria import Criterion, Truth, item_facts
from geotech.engine import AccessRequest, Decision
from geotech.entities import Chip, Precision, Throughput
from geotech.errors import GeotechError, InvalidValueError
from geotech.policies import AnyPolicy, Restriction
from geotech.render import LEGEND, label
from geotech.world import World

if TYPE_CHECKING:
    from matplotlib.figure import Figure

YAxis = Literal["performance_density", "dram_bandwidth_gbs"]

#: What a leaf may read to be judged on an item alone.
_ITEM_FACTS = frozenset({c.Fact.ITEM, c.Fact.ON})
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

    with _style() as plt:
        fig, ax = plt.subplots(figsize=(9, 6))
        handles = []
        from matplotlib.patches import Patch

        for i, (label, mask) in enumerate(regions):
            colour = _COLOURS[i % len(_COLOURS)]
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
        _place_labels(fig, ax, sorted(at.items()))
    figure: Figure = fig
    return figure


#: Where a chip's label may go, in points from its dot, tried in order: the first that
#: overlaps no label placed before is taken (else the first).
_LABEL_OFFSETS = (
    (3, 3, "left"),
    (3, -9, "left"),
    (-3, 3, "right"),
    (-3, -9, "right"),
    (3, 11, "left"),
    (3, -17, "left"),
    (-3, 11, "right"),
    (-3, -17, "right"),
    (3, 19, "left"),
    (3, -25, "left"),
    (-3, 19, "right"),
    (-3, -25, "right"),
    (3, 27, "left"),
    (3, -33, "left"),
    (-3, 27, "right"),
    (-3, -33, "right"),
)


def _place_labels(fig: Any, ax: Any, labelled: list[tuple[tuple[float, float], list[str]]]) -> None:
    """A dot and a label per point, each label where it overlaps no label placed before
    when one of ``_LABEL_OFFSETS`` allows it."""
    renderer = fig.canvas.get_renderer()
    placed: list[Any] = []
    for (x, y), ids in labelled:
        ax.scatter([x], [y], s=14, color="black", zorder=3)
        text = ax.annotate(
            ", ".join(sorted(ids)), (x, y), xytext=(3, 3), textcoords="offset points", fontsize=6
        )
        boxes = []
        for dx, dy, ha in _LABEL_OFFSETS:
            text.set_position((dx, dy))
            text.set_horizontalalignment(ha)
            box = text.get_window_extent(renderer)
            if not any(box.overlaps(b) for b in placed):
                break
            boxes.append((dx, dy, ha, box))
        else:
            dx, dy, ha, box = boxes[0]
            text.set_position((dx, dy))
            text.set_horizontalalignment(ha)
        placed.append(box)


def text_colour(fill: str) -> str:
    """``white`` on a dark fill, ``black`` on a light one (WCAG relative luminance < 0.4)."""
    channels = [int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "white" if luminance < 0.4 else "black"


# ---------------------------------------------------------------------------------------------
# Verdicts over time, access matrices, compute gaps

#: Colour of each outcome, from open (green) to closed (dark red); licences by review policy.
_OUTCOME_COLOURS: dict[Restriction, str] = {
    Restriction.ALLOWED: "#1a9850",
    Restriction.CONDITIONAL: "#91cf60",
    Restriction.DISCOURAGED: "#fee08b",
    Restriction.LICENSE_APPROVAL: "#fdae61",
    Restriction.LICENSE_CASE_BY_CASE: "#f46d43",
    Restriction.LICENSE_DENIAL: "#d73027",
    Restriction.PROHIBITED: "#67001f",
}


def _outcome_colour(decision: Decision) -> str:
    return _OUTCOME_COLOURS[decision.restriction]


def _outcome_legend(plt: Any, decisions: Iterable[Decision]) -> list[Any]:
    from matplotlib.patches import Patch

    seen = {d.restriction: label(d).rstrip("*?") for d in decisions}
    return [Patch(facecolor=_OUTCOME_COLOURS[k], label=seen[k]) for k in sorted(seen)]


def _request_label(request: AccessRequest) -> str:
    route = " -> ".join(request.route) if request.route else "default route"
    return f"{request.buyer} x {request.item} ({route})"


def _shorten(names: Sequence[str], width: int = 110) -> str:
    """Names joined by commas, cut to about ``width`` characters with a count of the rest."""
    shown: list[str] = []
    for i, name in enumerate(names):
        if shown and len(", ".join([*shown, name])) > width:
            return ", ".join(shown) + f", +{len(names) - i} more"
        shown.append(name)
    return ", ".join(shown)


def verdict_timeline(
    world: World, requests: Sequence[AccessRequest], start: dt.date, end: dt.date
) -> Figure:
    """One bar per request over [start, end), coloured by the verdict of each period; change
    points are numbered, and a panel below lists the policy or listing events behind each."""
    lines = [timeline(world, r, start, end) for r in requests]
    notes: list[str] = []
    for line in lines:
        for ch in line.changes:
            causes = _shorten(sorted({e.subject for e in ch.events})) or "no recorded event"
            notes.append(
                f"{len(notes) + 1}. {ch.on.isoformat()} {line.request.buyer} x "
                f"{line.request.item}: {causes}"
            )
    with _style() as plt:
        import matplotlib.dates as mdates

        fig, (ax, panel) = plt.subplots(
            2,
            1,
            figsize=(11, 1.5 + 0.6 * len(lines) + 0.14 * len(notes)),
            gridspec_kw={"height_ratios": [1.0 + 0.6 * len(lines), 0.2 + 0.14 * len(notes)]},
        )
        decisions: list[Decision] = []
        number = 0
        wide = (end - start).days / 10
        for row, line in zip(range(len(lines) - 1, -1, -1), lines, strict=True):
            bounds = [start, *(ch.on for ch in line.changes), end]
            periods = [line.initial, *(ch.after for ch in line.changes)]
            for (a, b), decision in zip(itertools.pairwise(bounds), periods, strict=True):
                fill = _outcome_colour(decision)
                ax.barh(row, (b - a).days, left=a, height=0.6, color=fill)
                if (b - a).days >= wide:
                    ax.text(
                        a + (b - a) / 2,
                        row,
                        label(decision),
                        ha="center",
                        va="center",
                        fontsize=6,
                        color=text_colour(fill),
                    )
                decisions.append(decision)
            for ch in line.changes:
                number += 1
                ax.plot([ch.on, ch.on], [row - 0.3, row + 0.3], color="black", linewidth=0.6)
                ax.annotate(
                    str(number),
                    (ch.on, row + 0.3),
                    xytext=(0, 1 + 6 * (number % 2)),
                    textcoords="offset points",
                    fontsize=5,
                    ha="center",
                )
        ax.set_yticks(range(len(lines)))
        ax.set_yticklabels([_request_label(t.request) for t in reversed(lines)], fontsize=7)
        ax.set_xlim(start, end)
        ax.set_ylim(-0.6, len(lines) - 0.2)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))  # type: ignore[no-untyped-call]
        ax.set_title(
            f"Verdicts from {start.isoformat()} to {end.isoformat()} ({LEGEND})", fontsize=8
        )
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
        ax.legend(
            handles=_outcome_legend(plt, decisions),
            loc="lower left",
            bbox_to_anchor=(0, 1.06),
            fontsize=6,
            ncol=4,
        )
        panel.axis("off")
        panel.text(
            0,
            1,
            "\n".join(notes) or "no change in this period",
            va="top",
            fontsize=6,
            family="monospace",
            transform=panel.transAxes,
        )
        fig.tight_layout()
    figure: Figure = fig
    return figure


def matrix_heatmap(matrix: AccessMatrix) -> Figure:
    """Buyers x items coloured by verdict (licences by review policy), each cell labelled
    (``*`` conditions, ``?`` uncertain)."""
    with _style() as plt:
        fig, ax = plt.subplots(
            figsize=(1.6 + 1.5 * len(matrix.items), 1.2 + 0.55 * len(matrix.buyers))
        )
        for i, buyer in enumerate(matrix.buyers):
            for j, cell in enumerate(matrix.row(buyer)):
                fill = _outcome_colour(cell.decision)
                ax.add_patch(plt.Rectangle((j, i), 1, 1, color=fill, ec="white"))
                ax.text(
                    j + 0.5,
                    i + 0.5,
                    label(cell.decision),
                    ha="center",
                    va="center",
                    fontsize=6,
                    color=text_colour(fill),
                )
        ax.set_xlim(0, len(matrix.items))
        ax.set_ylim(len(matrix.buyers), 0)
        ax.set_xticks([j + 0.5 for j in range(len(matrix.items))])
        ax.set_xticklabels(matrix.items, rotation=30, ha="right")
        ax.set_yticks([i + 0.5 for i in range(len(matrix.buyers))])
        ax.set_yticklabels(matrix.buyers)
        route = " -> ".join(matrix.route) if matrix.route else "default routes"
        ax.set_title(f"Access on {matrix.on.isoformat()} ({route})\n{LEGEND}", fontsize=7)
        fig.tight_layout()
    figure: Figure = fig
    return figure


def compute_gap_bars(gap: ComputeGap, scale: Literal["log", "linear"] = "log") -> Figure:
    """Days for each side to train each reference workload (``scale``: a log axis, or a
    linear one where the bars' lengths compare directly), with the FLOP/s ratio in the title.
    A side without compute is drawn as a missing bar."""
    if scale not in ("log", "linear"):
        raise InvalidValueError(
            f"compute_gap_bars.scale: expected 'log' or 'linear', got {scale!r}"
        )
    with _style() as plt:
        fig, ax = plt.subplots(figsize=(8, 4.5))
        names = [t.workload.name for t in gap.times]
        width = 0.38
        for k, (side, days) in enumerate(
            (
                (gap.a.label, [t.a_days for t in gap.times]),
                (gap.b.label, [t.b_days for t in gap.times]),
            )
        ):
            xs = [i + (k - 0.5) * width for i in range(len(names))]
            finite = [d if math.isfinite(d) else 0.0 for d in days]
            bars = ax.bar(xs, finite, width, label=side, color=_COLOURS[k + 3])
            for bar, d in zip(bars, days, strict=True):
                text = f"{d:,.1f} d" if math.isfinite(d) else "no compute"
                ax.annotate(
                    text,
                    (bar.get_x() + bar.get_width() / 2, bar.get_height() or 1),
                    ha="center",
                    va="bottom",
                    fontsize=7,
                )
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels(names)
        ax.set_yscale(scale)
        ax.set_ylabel(f"days to train at {gap.utilization:.0%} utilization")
        ratio = "n/a" if gap.ratio is None else f"{gap.ratio:.3g}"
        ax.set_title(
            f"Compute gap: FLOP/s ratio {ratio}\n{gap.a.label} vs {gap.b.label}", fontsize=8
        )
        ax.legend(fontsize=7)
        fig.tight_layout()
    figure: Figure = fig
    return figure


def save(fig: Figure, path: str | os.PathLike[str]) -> Path:
    """Write a figure as PNG or SVG (by suffix), atomically (``geotech.files.atomic_write``);
    returns the path."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise GeotechError(f"{p}: unknown picture type {suffix or '(none)'}; use .png or .svg")
    with _style(), files.atomic_write(p) as f:
        fig.savefig(f, format=suffix[1:], dpi=150, metadata=_metadata(suffix))
    return p


def _metadata(suffix: str) -> dict[str, Any]:
    # Fixed metadata keeps files byte-stable across runs.
    return {"Date": None} if suffix == ".svg" else {"Software": "geotech"}
