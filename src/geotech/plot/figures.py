"""The figure machinery the pictures share: matplotlib on demand, one style, colours by
outcome, text readable on its fill, chip labels placed clear of each other, and byte-stable
files."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geotech import files
from geotech.engine import Decision
from geotech.errors import GeotechError
from geotech.policies import Restriction
from geotech.render import label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "COLOURS",
    "OUTCOME_COLOURS",
    "outcome_colour",
    "outcome_legend",
    "place_labels",
    "pyplot",
    "save",
    "style",
    "text_colour",
]

#: Colours of regions and series, in order of use.
COLOURS = ("#d62728", "#ff7f0e", "#9467bd", "#2ca02c", "#1f77b4", "#8c564b", "#e377c2")


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the non-interactive Agg backend (extra ``plot``)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        raise GeotechError("plotting needs matplotlib: pip install 'geotech[plot]'") from None
    return plt


@contextmanager
def style() -> Iterator[Any]:
    """The house style (SVG text kept as text, stable ids, 8-point type); yields pyplot."""
    plt = pyplot()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "geotech", "font.size": 8}):
        yield plt


def text_colour(fill: str) -> str:
    """``white`` on a dark fill, ``black`` on a light one (WCAG relative luminance < 0.4)."""
    channels = [int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "white" if luminance < 0.4 else "black"


#: Colour of each outcome, from open (green) to closed (dark red); licences by review policy.
OUTCOME_COLOURS: dict[Restriction, str] = {
    Restriction.ALLOWED: "#1a9850",
    Restriction.CONDITIONAL: "#91cf60",
    Restriction.DISCOURAGED: "#fee08b",
    Restriction.LICENSE_APPROVAL: "#fdae61",
    Restriction.LICENSE_CASE_BY_CASE: "#f46d43",
    Restriction.LICENSE_DENIAL: "#d73027",
    Restriction.PROHIBITED: "#67001f",
}


def outcome_colour(restriction: Restriction) -> str:
    """The fill of an outcome."""
    return OUTCOME_COLOURS[restriction]


def outcome_legend(decisions: Iterable[Decision]) -> list[Any]:
    """One legend patch per outcome among ``decisions``, from open to closed."""
    from matplotlib.patches import Patch

    seen = {d.restriction: label(d).rstrip("*?") for d in decisions}
    return [Patch(facecolor=OUTCOME_COLOURS[k], label=seen[k]) for k in sorted(seen)]


def _offsets() -> Iterator[tuple[float, float]]:
    """Label offsets in points from a dot: rings of growing radius, 24 directions each, the
    up-right direction first."""
    for radius in (4.0, 10.0, 17.0, 25.0, 34.0, 44.0, 56.0, 70.0, 86.0, 104.0, 124.0):
        for k in range(24):
            angle = math.pi / 4 + k * math.pi / 12
            yield radius * math.cos(angle), radius * math.sin(angle)


#: Beyond this distance (points) a label is tied to its dot by a thin line.
_LEADER_FROM = 12.0


def place_labels(fig: Any, ax: Any, labelled: Sequence[tuple[tuple[float, float], str]]) -> None:
    """A dot and a label per point. Each label takes the nearest place (rings of offsets around
    its dot) where it overlaps no label placed before and no other dot, inside the axes; where
    none is free, the place with the fewest collisions. Far labels get a leader line. The most
    crowded points are placed first."""
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    xy: list[tuple[float, float]] = [tuple(ax.transData.transform(p)) for p, _ in labelled]
    dots = [(x - 2.5, y - 2.5, x + 2.5, y + 2.5) for x, y in xy]

    def crowd(i: int) -> int:
        x, y = xy[i]
        return -sum(1 for a, b in xy if abs(x - a) < 60 and abs(y - b) < 30)

    def collisions(i: int, box: Any, placed: list[Any]) -> tuple[int, int, int]:
        outside = not (frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1))
        labels = sum(box.overlaps(b) for b in placed)
        covered = sum(
            box.x0 < d[2] and d[0] < box.x1 and box.y0 < d[3] and d[1] < box.y1
            for j, d in enumerate(dots)
            if j != i
        )
        return labels, int(outside), covered

    def put(note: Any, dx: float, dy: float) -> Any:
        note.set_position((dx, dy))
        note.set_horizontalalignment("left" if dx >= 0 else "right")
        note.set_verticalalignment("bottom" if dy >= 0 else "top")
        return note.get_window_extent(renderer)

    for (x, y), _ in labelled:
        ax.scatter([x], [y], s=14, color="black", zorder=3)
    placed: list[Any] = []
    for i in sorted(range(len(labelled)), key=crowd):
        (x, y), text = labelled[i]
        note = ax.annotate(text, (x, y), xytext=(4, 4), textcoords="offset points", fontsize=6)
        best: tuple[tuple[int, int, int], float, float] | None = None
        for dx, dy in _offsets():
            cost = collisions(i, put(note, dx, dy), placed)
            if best is None or cost < best[0]:
                best = (cost, dx, dy)
            if cost == (0, 0, 0):
                break
        assert best is not None
        _, dx, dy = best
        placed.append(put(note, dx, dy))
        if math.hypot(dx, dy) > _LEADER_FROM:
            # a plain line, not an arrow, so the label's own box stays the text's
            px, py = xy[i]
            scale = fig.dpi / 72
            tip = ax.transData.inverted().transform((px + dx * scale, py + dy * scale))
            ax.plot([x, tip[0]], [y, tip[1]], color="0.45", linewidth=0.4, zorder=2)


def save(fig: Figure, path: str | os.PathLike[str]) -> Path:
    """Write a figure as PNG or SVG (by suffix), atomically (``geotech.files.atomic_write``);
    returns the path."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise GeotechError(f"{p}: unknown picture type {suffix or '(none)'}; use .png or .svg")
    with style(), files.atomic_write(p) as f:
        fig.savefig(f, format=suffix[1:], dpi=150, metadata=_metadata(suffix))
    return p


def _metadata(suffix: str) -> dict[str, Any]:
    # Fixed metadata keeps files byte-stable across runs.
    return {"Date": None} if suffix == ".svg" else {"Software": "geotech"}
