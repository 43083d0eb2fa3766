"""Outcomes in pictures: verdicts over time, access matrices and compute gaps."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from geotech.analysis import AccessMatrix, timeline
from geotech.compute import ComputeGap
from geotech.engine import AccessRequest, Decision
from geotech.errors import InvalidValueError
from geotech.plot.figures import COLOURS, outcome_colour, outcome_legend, style, text_colour
from geotech.render import LEGEND, label
from geotech.world import World

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["compute_gap_bars", "matrix_heatmap", "verdict_timeline"]


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
    with style() as plt:
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
                fill = outcome_colour(decision.restriction)
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
            handles=outcome_legend(decisions),
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
    with style() as plt:
        fig, ax = plt.subplots(
            figsize=(1.6 + 1.5 * len(matrix.items), 1.2 + 0.55 * len(matrix.buyers))
        )
        for i, buyer in enumerate(matrix.buyers):
            for j, cell in enumerate(matrix.row(buyer)):
                fill = outcome_colour(cell.decision.restriction)
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
    with style() as plt:
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
            bars = ax.bar(xs, finite, width, label=side, color=COLOURS[k + 3])
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
