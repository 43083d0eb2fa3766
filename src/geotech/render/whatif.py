"""Text and Markdown lines for the what-if analyses: the cases of a request's unknown facts,
a design space of chip specs, the requests two worlds rule differently (``diff_rows`` joins a
diff's classes for display and for the command's JSON), and the paths of what it takes."""

from __future__ import annotations

import math
from collections.abc import Sequence

from attrs import frozen

from geotech.analysis import (
    Case,
    Corner,
    DateRange,
    DesignSpace,
    Interval,
    Path,
    Shift,
    WorldDiff,
)
from geotech.engine import Decision, Ruling
from geotech.render.tables import LEGEND, label, route_text, table, titled, verdict_label, who

#: How many ids (buyers, transit states) a diff row names before counting the rest.
NAMED_BUYERS = 3


def case_lines(cases: Sequence[Case], markdown: bool) -> list[str]:
    """One row per case: what it assumes of the unknown facts, and its ruling."""
    if len(cases) == 1 and not cases[0].assumptions:
        title = "1 case: no unknown fact changes the ruling"
    else:
        title = f"{len(cases)} cases over the unknown facts"
    rows = [("; ".join(str(a) for a in c.assumptions) or "nothing", c.ruling) for c in cases]
    return _numbered(title, ("case", "assumes"), rows, markdown)


def _legended(title: str, grid: list[str], markdown: bool) -> list[str]:
    """A titled table with the legend of the verdict marks below it."""
    legend = ["", f"_{LEGEND}_"] if markdown else [LEGEND]
    return [*titled(title, grid, markdown), *legend]


def _side(axis: str, side: Interval) -> str:
    if axis == "datacenter":
        return "yes" if side.low == 1 else "no"
    return str(side)


def _corner(corner: Corner) -> str:
    parts = [
        f"{axis} any" if math.isinf(v) else f"{axis} {'<=' if reached else '<'} {v:g}"
        for (axis, v), reached in zip(corner.specs, corner.reached, strict=True)
    ]
    return ", ".join(parts)


def design_lines(space: DesignSpace, markdown: bool) -> list[str]:
    """The regions of a design space, one row each, then for each ruling short of the most
    restrictive the largest specs ruled at most that (``DesignSpace.frontier``)."""
    r = space.request
    place = f"route {route_text(r.route)}" + (f" to {r.destination}" if r.destination else "")
    use = f", end use {r.end_use}" if r.end_use is not None else ""
    fixed = ", ".join(
        f"{k} {'yes' if v else 'no'}" if k == "datacenter" else f"{k} {v:g}" for k, v in space.fixed
    )
    title = (
        f"Design space for {r.buyer} on {r.on.isoformat()}, {place}{use}: "
        f"{len(space.regions)} regions over {' x '.join(space.axes)}"
        + (f" (fixed: {fixed})" if fixed else "")
    )
    rows = [
        [
            *(_side(a, s) for a, s in zip(space.axes, region.box, strict=True)),
            label(region.ruling),
            who(region.ruling),
        ]
        for region in space.regions
    ]
    grid = table([*space.axes, "verdict", "determined by"], rows, markdown)
    found = sorted({region.ruling.restriction for region in space.regions})
    best = [
        f"at most {verdict_label(x.verdict, x.review)}: "
        + " or ".join(_corner(c) for c in space.frontier(x))
        for x in found[:-1]
    ]
    lines = _legended(title, grid, markdown)
    if best:
        heading = "Largest specs by ruling"
        if markdown:
            return [*lines, "", f"**{heading}:**", "", *(f"- {x}" for x in best)]
        return [*lines, f"{heading}:", *(f"  - {x}" for x in best)]
    return lines


@frozen
class DiffRow:
    """The classes of a diff with the same item and the same rulings before and after,
    joined: the dates they cover (contiguous ranges merged), their buyers and end uses
    (``None``: undeclared), their routes (``direct``: the default route; ``via``: the transit
    states of the others) and how many classes were joined."""

    item: str
    before: Ruling
    after: Ruling
    dates: tuple[DateRange, ...]
    buyers: tuple[str, ...]
    end_uses: tuple[str | None, ...]
    classes: int
    direct: bool = True
    via: tuple[str, ...] = ()

    @property
    def shift(self) -> Shift:
        """Whether the reformed world rules these requests less (gains) or more (loses)
        restrictively, or as restrictively with other terms."""
        a, b = self.before.restriction, self.after.restriction
        return Shift.GAINS if b < a else Shift.LOSES if b > a else Shift.TERMS


def _merged(ranges: set[DateRange]) -> tuple[DateRange, ...]:
    out: list[DateRange] = []
    for x in sorted(ranges, key=lambda d: d.start):
        if out and out[-1].end == x.start:
            out[-1] = DateRange(out[-1].start, x.end)
        else:
            out.append(x)
    return tuple(out)


def diff_rows(d: WorldDiff) -> tuple[DiffRow, ...]:
    """The cells of ``d`` joined by item and rulings, ordered by first date, item and
    restriction before and after."""
    groups: dict[tuple[str, Ruling, Ruling], list[int]] = {}
    for i, cell in enumerate(d.cells):
        groups.setdefault((cell.where.item, cell.before, cell.after), []).append(i)
    rows = [
        DiffRow(
            item=item,
            before=before,
            after=after,
            dates=_merged({d.cells[i].where.dates for i in found}),
            buyers=tuple(sorted({b for i in found for b in d.cells[i].where.buyers})),
            end_uses=tuple(
                sorted({d.cells[i].where.end_use for i in found}, key=lambda u: (u is not None, u))
            ),
            classes=len(found),
            direct=any(d.cells[i].where.via is None for i in found),
            via=tuple(sorted({s for i in found for s in d.cells[i].where.via or ()})),
        )
        for (item, before, after), found in groups.items()
    ]
    return tuple(
        sorted(
            rows,
            key=lambda r: (
                r.dates[0].start,
                r.item,
                r.before.restriction,
                r.after.restriction,
                label(r.before),
                label(r.after),
                who(r.before),
                who(r.after),
            ),
        )
    )


def _dates(ranges: tuple[DateRange, ...]) -> str:
    return "; ".join(
        f"from {x.start.isoformat()}"
        if x.end is None
        else f"{x.start.isoformat()} until {x.end.isoformat()}"
        for x in ranges
    )


def _named(ids: tuple[str, ...]) -> str:
    shown = ", ".join(ids[:NAMED_BUYERS])
    rest = len(ids) - NAMED_BUYERS
    return f"{shown} +{rest} more" if rest > 0 else shown


def _routes(row: DiffRow) -> str:
    through = f"via {_named(row.via)}" if row.via else ""
    return "; ".join(x for x in ("direct" if row.direct else "", through) if x)


def _uses(uses: tuple[str | None, ...], every: frozenset[str | None]) -> str:
    """The end uses of a row, or ``any`` (``any but ...``) against every end use the diff
    tried."""

    def named(found: Sequence[str | None]) -> str:
        return ", ".join("undeclared" if u is None else u for u in found)

    left = sorted(every - set(uses), key=lambda u: (u is not None, u))
    if not left:
        return "any"
    return f"any but {named(left)}" if len(left) < len(uses) else named(uses)


def diff_lines(d: WorldDiff, markdown: bool) -> list[str]:
    """A diff's classes joined by item and rulings (``diff_rows``), one row each."""
    changed = ", ".join(d.changed) or "none"
    if not d.cells:
        return [f"No request is ruled differently (policies not shared: {changed})"]
    rows = diff_rows(d)
    every = frozenset(c.where.end_use for c in d.cells)
    title = (
        f"{len(d.cells):,} classes of requests are ruled differently, in {len(rows)} rows of "
        f"one item and one ruling before and after (policies not shared: {changed})"
    )
    cells = [
        [
            r.item,
            _dates(r.dates),
            _named(r.buyers),
            _uses(r.end_uses, every),
            _routes(r),
            str(r.shift),
            label(r.before),
            label(r.after),
            who(r.after),
        ]
        for r in rows
    ]
    header = [
        "item",
        "dates",
        "buyers",
        "end uses",
        "route",
        "shift",
        "before",
        "after",
        "after by",
    ]
    grid = table(header, cells, markdown)
    return _legended(title, grid, markdown)


def path_lines(found: Sequence[Path], markdown: bool) -> list[str]:
    """One row per path: its changes and the decision they give."""
    if len(found) == 1 and not found[0].changes:
        title = "The request as asked reaches the target"
    else:
        title = f"{len(found)} minimal sets of changes reach the target"
    rows = [(" + ".join(str(c) for c in p.changes) or "as asked", p.decision) for p in found]
    return _numbered(title, ("path", "changes"), rows, markdown)


def _numbered(
    title: str,
    names: tuple[str, str],
    rows: Sequence[tuple[str, Ruling | Decision]],
    markdown: bool,
) -> list[str]:
    """A numbered table: each row's text and the verdict and determining policies of its
    ruling, under ``title`` and the legend."""
    cells = [[str(i), text, label(r), who(r)] for i, (text, r) in enumerate(rows, 1)]
    return _legended(title, table([*names, "verdict", "determined by"], cells, markdown), markdown)
