"""The design space: which hypothetical chip specs get which ruling for one buyer, date and
route.

The specs a rule reads are compared with thresholds, so the space splits exactly into boxes:
along each axis, the pieces between the thresholds of every criterion in scope (the policies
and class definitions in force on the date), each edge open or closed as the comparison says
(``>= 4800`` puts 4800 in the upper piece, ``> 4800`` in the lower one). Every chip in a box
passes and fails the same comparisons, so it gets the same ruling: the ruling of a box is
that of a hypothetical chip at an interior point, decided by the engine. Nothing is sampled.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Mapping

import attrs
from attrs import frozen

from geotech.criteria import Bound, Op, thresholds
from geotech.engine import AccessRequest, Ruling, rulings
from geotech.entities import Chip, Precision, Throughput
from geotech.errors import InvalidValueError
from geotech.policies import Restriction
from geotech.world import World

__all__ = [
    "AXES",
    "DesignSpace",
    "Interval",
    "Region",
    "axis_bounds",
    "design_space",
    "hypothetical_chip",
    "joined",
    "start_key",
]

#: The specs a design space can vary: those a hypothetical chip is built from.
#: ``datacenter`` is an axis of two points, 0 (no) and 1 (yes).
AXES = (
    "tpp",
    "performance_density",
    "dram_bandwidth_gbs",
    "interconnect_gbs",
    "memory_gb",
    "tdp_w",
    "die_area_mm2",
    "datacenter",
)

#: The die of hypothetical chips when neither density nor die area is given: the H100/H200
#: die, so that density tests see a large-die part rather than an unknown.
DEFAULT_DIE_MM2 = 814.0

#: The first day of US availability of hypothetical chips built from specs alone: before any
#: rule, so that a rule's "commercially available in the US" condition (a fact of a real
#: product, not a spec) holds and the space varies the specs only.
ON_THE_US_MARKET = dt.date(2000, 1, 1)


def hypothetical_chip(
    specs: Mapping[str, float | bool],
    *,
    id: str = "hypothetical",
    designer: str,
    base: Chip | None = None,
) -> Chip:
    """A chip with ``specs`` (names from ``AXES``) over ``base`` (or no other spec but US
    availability since ``ON_THE_US_MARKET``).

    TPP is carried by 8-bit dense throughput (int8 TOPS = tpp / 8); performance density by the
    die area (tpp / density), so the chip's derived ``tpp`` and ``performance_density`` equal
    the figures asked.
    """
    unknown = set(specs) - set(AXES)
    if unknown:
        raise InvalidValueError(
            f"specs: {sorted(unknown)} are not specs of a hypothetical chip; use {list(AXES)}"
        )
    changes: dict[str, object] = {}
    if "tpp" in specs:
        changes["throughput"] = (Throughput(precision=Precision.INT8, tops=specs["tpp"] / 8),)
    for name in ("dram_bandwidth_gbs", "interconnect_gbs", "memory_gb", "tdp_w", "die_area_mm2"):
        if name in specs:
            changes[name] = float(specs[name])
    if "datacenter" in specs:
        changes["datacenter"] = bool(specs["datacenter"])
    chip = (
        attrs.evolve(base, id=id, estimates=frozenset(), **changes)  # type: ignore[arg-type]
        if base is not None
        else Chip(
            id=id,
            name=id,
            designer=designer,
            us_available=ON_THE_US_MARKET,
            **changes,  # type: ignore[arg-type]
        )
    )
    if "performance_density" in specs:
        tpp = chip.tpp
        if tpp is None:
            raise InvalidValueError(
                "specs.performance_density: the chip has no TPP to divide; give tpp too"
            )
        chip = attrs.evolve(chip, die_area_mm2=tpp / specs["performance_density"])
    return chip


@frozen
class Interval:
    """The numbers between ``low`` and ``high`` (``None``: unbounded), each edge closed or
    open; a point when ``low == high`` (both edges closed)."""

    low: float | None
    high: float | None
    low_closed: bool = False
    high_closed: bool = False

    def __contains__(self, x: float) -> bool:
        above = self.low is None or x > self.low or (self.low_closed and x == self.low)
        below = self.high is None or x < self.high or (self.high_closed and x == self.high)
        return above and below

    @property
    def interior(self) -> float:
        """A point strictly inside (the point itself for a point interval)."""
        if self.low is not None and self.high is not None:
            return self.low if self.low == self.high else (self.low + self.high) / 2
        if self.high is not None:
            return self.high / 2 if self.high > 0 else self.high - 1
        if self.low is not None:
            return self.low * 2 if self.low > 0 else self.low + 1
        return 1.0

    def join(self, other: Interval) -> Interval | None:
        """The union when it is one interval and the two do not overlap (this one below,
        touching ``other``), else ``None``."""
        if self.high is None or self.high != other.low or self.high_closed == other.low_closed:
            return None
        return Interval(self.low, other.high, self.low_closed, other.high_closed)

    def __str__(self) -> str:
        if self.low is not None and self.low == self.high:
            return f"= {self.low:g}"
        left = "-inf" if self.low is None else f"{self.low:g}"
        right = "inf" if self.high is None else f"{self.high:g}"
        return f"{'[' if self.low_closed else '('}{left}, {right}{']' if self.high_closed else ')'}"


def pieces(bounds: Iterable[Bound], *, low: float | None = None) -> tuple[Interval, ...]:
    """The pieces of the line (from ``low``, open, when given) on which every bound is
    constant, in order: a bound ``>= v`` or ``< v`` puts ``v`` in the upper piece, ``> v`` or
    ``<= v`` in the lower one; when both kinds meet at ``v``, ``v`` is a piece of its own."""
    upper: set[float] = set()  # v starts the piece above it
    lower: set[float] = set()  # v ends the piece below it
    for b in bounds:
        if low is not None and b.value <= low:
            continue
        (upper if b.op in (Op.GE, Op.LT) else lower).add(b.value)
    out: list[Interval] = []
    start, start_closed = low, False
    for v in sorted(upper | lower):
        if v in upper and v in lower:
            out.append(Interval(start, v, start_closed, False))
            out.append(Interval(v, v, True, True))
            start, start_closed = v, False
        elif v in upper:
            out.append(Interval(start, v, start_closed, False))
            start, start_closed = v, True
        else:
            out.append(Interval(start, v, start_closed, True))
            start, start_closed = v, False
    out.append(Interval(start, None, start_closed, False))
    return tuple(out)


def joined(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Disjoint intervals in order, neighbours that touch joined into one."""
    out: list[Interval] = []
    for side in sorted(intervals, key=start_key):
        merged = out[-1].join(side) if out else None
        if merged is None:
            out.append(side)
        else:
            out[-1] = merged
    return tuple(out)


def start_key(side: Interval) -> tuple[float, bool]:
    """Intervals by where they start: unbounded first, an open start after a closed one."""
    return (-math.inf if side.low is None else side.low, not side.low_closed)


@frozen
class Region:
    """A box of the design space (one interval per axis, in axis order) and its ruling."""

    box: tuple[Interval, ...]
    ruling: Ruling

    def contains(self, point: tuple[float, ...]) -> bool:
        return all(x in side for x, side in zip(point, self.box, strict=True))


@frozen
class Corner:
    """A best spec point of a frontier: the upper edge of an allowed region on each axis
    (``inf`` when unbounded) and whether that edge is reached (closed)."""

    specs: tuple[tuple[str, float], ...]
    reached: tuple[bool, ...]


@frozen
class DesignSpace:
    """The exact regions of hypothetical chip specs for one buyer, date and route."""

    axes: tuple[str, ...]
    fixed: tuple[tuple[str, float], ...]
    request: AccessRequest
    regions: tuple[Region, ...]

    def region(self, **specs: float) -> Region:
        """The region holding the point with these specs (one per axis)."""
        if set(specs) != set(self.axes):
            raise InvalidValueError(
                f"specs: give exactly the axes {list(self.axes)}, got {sorted(specs)}"
            )
        point = tuple(float(specs[a]) for a in self.axes)
        for region in self.regions:
            if region.contains(point):
                return region
        raise InvalidValueError(f"specs: {specs} lies outside the design space (specs are > 0)")

    def at(self, **specs: float) -> Ruling:
        """The ruling of a hypothetical chip with these specs (one per axis)."""
        return self.region(**specs).ruling

    def frontier(self, target: Restriction) -> tuple[Corner, ...]:
        """The best spec points ruled at most ``target``: the upper corners of the allowed
        regions that no other allowed region exceeds on every axis, in axis order."""
        allowed = [r for r in self.regions if r.ruling.restriction <= target]

        def top(side: Interval) -> float:
            return math.inf if side.high is None else side.high

        tops = [tuple(top(s) for s in r.box) for r in allowed]
        best = [
            (r, t)
            for r, t in zip(allowed, tops, strict=True)
            if not any(o != t and all(a >= b for a, b in zip(o, t, strict=True)) for o in tops)
        ]
        corners = {
            Corner(
                specs=tuple(zip(self.axes, t, strict=True)),
                reached=tuple(s.high_closed for s in r.box),
            )
            for r, t in best
        }
        return tuple(sorted(corners, key=lambda c: c.specs))


def axis_bounds(world: World, on: dt.date, axis: str, fixed: Mapping[str, float]) -> list[Bound]:
    """The thresholds the rules in force on ``on`` (policies and class definitions) compare
    ``axis`` with, including those on performance density seen on the TPP axis when the die
    area is ``fixed``."""
    criteria = [p.criterion for p in world.policies if p.in_force(on)]
    criteria += [k.criterion for k in world.classes if k.in_force(on)]
    found = [leaf.bound for crit in criteria for leaf in thresholds(crit, axis)]
    area = fixed.get("die_area_mm2")
    if axis == "tpp" and area is not None:
        found += [
            Bound(leaf.bound.op, leaf.bound.value * area)
            for crit in criteria
            for leaf in thresholds(crit, "performance_density")
        ]
    return found


def design_space(
    world: World,
    *,
    buyer: str,
    on: dt.date,
    route: tuple[str, ...] | str | None = None,
    destination: str | None = None,
    end_use: str | None = None,
    axes: tuple[str, ...] = ("tpp", "dram_bandwidth_gbs"),
    fixed: Mapping[str, float | bool] | None = None,
    designer: str = "nvidia",
) -> DesignSpace:
    """The exact regions of hypothetical chip specs along ``axes`` (the others ``fixed``;
    by default a datacenter part with an 814 mm² die) designed by ``designer``, each with the
    ruling the engine gives ``buyer`` on ``on`` over ``route``."""
    given: dict[str, float | bool] = dict(fixed) if fixed is not None else {"datacenter": True}
    if not axes or len(set(axes)) != len(axes):
        raise InvalidValueError(f"axes: expected distinct spec names, got {list(axes)}")
    for name in (*axes, *given):
        if name not in AXES:
            raise InvalidValueError(f"axes: {name!r} is not a spec; use one of {list(AXES)}")
    clash = set(axes) & set(given)
    if clash:
        raise InvalidValueError(f"fixed: {sorted(clash)} are axes; fix only the other specs")
    if "performance_density" not in (*axes, *given) and "die_area_mm2" not in (*axes, *given):
        given["die_area_mm2"] = DEFAULT_DIE_MM2
    numbers = {k: float(v) for k, v in given.items()}
    sides = [
        (
            (Interval(0, 0, True, True), Interval(1, 1, True, True))
            if axis == "datacenter"
            else pieces(axis_bounds(world, on, axis, numbers), low=0.0)
        )
        for axis in axes
    ]
    boxes = list(itertools.product(*sides))
    chips = [
        hypothetical_chip(
            {**given, **{a: s.interior for a, s in zip(axes, box, strict=True)}},
            id=f"hypothetical-{i}",
            designer=designer,
        )
        for i, box in enumerate(boxes)
    ]
    trial = attrs.evolve(world, chips=(*world.chips, *chips))
    requests = [
        AccessRequest(
            buyer=buyer,
            item=chip.id,
            on=on,
            route=route,
            destination=destination,
            end_use=end_use,
        )
        for chip in chips
    ]
    found = rulings(trial, requests)
    regions = [Region(box, r) for box, r in zip(boxes, found, strict=True)]
    return DesignSpace(
        axes=tuple(axes),
        fixed=tuple(sorted(numbers.items())),
        request=attrs.evolve(requests[0], item="hypothetical"),
        regions=_merged(regions, len(axes)),
    )


def _merged(regions: list[Region], dims: int) -> tuple[Region, ...]:
    """Regions with the same ruling joined along one axis where their union is a box, axis
    by axis until none joins; in the order of their lower corners."""
    changed = True
    while changed:
        changed = False
        for k in range(dims):
            rows: dict[tuple[tuple[Interval, ...], Ruling], list[Interval]] = {}
            for r in regions:
                rest = (*r.box[:k], *r.box[k + 1 :])
                rows.setdefault((rest, r.ruling), []).append(r.box[k])
            out: list[Region] = []
            for (rest, ruling), sides in rows.items():
                merged = joined(sides)
                changed = changed or len(merged) < len(sides)
                out += [Region((*rest[:k], side, *rest[k:]), ruling) for side in merged]
            regions = out
    return tuple(sorted(regions, key=lambda r: [start_key(s) for s in r.box]))
