"""What it takes: the smallest sets of changes that bring a request's decision to a target.

A change is one of: the date (an interval between two dates where rules, listings or
memberships change), the route (through one other state), the declared end use, another item
of the same kind, one spec of the item (a piece of its line between the thresholds in force),
or a reform of the buyer's facts (delisting the buyer or a parent from a party list it is on).
Candidates come from the criteria: the change dates of the world, the states and groups the
route tests name and the states issuing policies (one state per class the rules cannot tell
apart), the end uses the rules name (and one they do not), the thresholds the rules compare
each spec with. Every candidate set is decided by the engine; nothing is sampled.
"""

from __future__ import annotations

import abc
import datetime as dt
import enum
import itertools
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

import attrs
from attrs import frozen

from geotech.analysis.cases import named_end_uses
from geotech.analysis.design import (
    AXES,
    Interval,
    axis_bounds,
    hypothetical_chip,
    pieces,
    start_key,
)
from geotech.analysis.diff import DateRange, change_dates, rulings_or_none
from geotech.analysis.space import transit_classes
from geotech.criteria import unnamed_end_use
from geotech.engine import AccessRequest, Decision, evaluate
from geotech.entities import Chip, Item, Model
from geotech.errors import InvalidValueError
from geotech.policies import Restriction, ReviewPolicy, Verdict
from geotech.reforms import DelistCompany, Reform
from geotech.world import World

__all__ = [
    "ApplyReform",
    "Change",
    "ChangeKind",
    "DeclareEndUse",
    "OnDate",
    "OtherItem",
    "Path",
    "RequestChange",
    "SpecIn",
    "Trial",
    "ViaRoute",
    "apply_all",
    "as_restriction",
    "reaches",
    "what_it_takes",
]

#: The most restrictive outcome each verdict covers ("at most LICENSE_REQUIRED" admits denial).
_CEILING = {
    Verdict.ALLOWED: Restriction.ALLOWED,
    Verdict.CONDITIONAL: Restriction.CONDITIONAL,
    Verdict.DISCOURAGED: Restriction.DISCOURAGED,
    Verdict.LICENSE_REQUIRED: Restriction.LICENSE_DENIAL,
    Verdict.PROHIBITED: Restriction.PROHIBITED,
}


class ChangeKind(enum.StrEnum):
    """What a change alters, in the order changes are applied and listed."""

    DATE = "date"
    ROUTE = "route"
    END_USE = "end_use"
    ITEM = "item"
    SPEC = "spec"
    REFORM = "reform"


_ORDER = {k: i for i, k in enumerate(ChangeKind)}


@frozen
class Trial:
    """A world and a request to decide in it."""

    world: World
    request: AccessRequest


class Change(abc.ABC):
    """One change to a request or to its world; ``str`` says it in plain words."""

    __slots__ = ()
    kind: ClassVar[ChangeKind]

    @abc.abstractmethod
    def apply(self, trial: Trial) -> Trial:
        """The trial with this change made."""

    @abc.abstractmethod
    def __str__(self) -> str: ...

    @property
    def order(self) -> tuple[int, str]:
        """Where the change sorts: by kind, then by its words."""
        return (_ORDER[self.kind], str(self))


class RequestChange(Change):
    """A change to the request's fields only."""

    __slots__ = ()

    @property
    @abc.abstractmethod
    def fields(self) -> dict[str, Any]:
        """The request fields this change sets."""

    def apply(self, trial: Trial) -> Trial:
        return attrs.evolve(trial, request=attrs.evolve(trial.request, **self.fields))


@frozen
class OnDate(RequestChange):
    """Ask on a date of ``dates`` (the request is decided on its first day)."""

    kind: ClassVar[ChangeKind] = ChangeKind.DATE
    dates: DateRange

    @property
    def fields(self) -> dict[str, Any]:
        return {"on": self.dates.start}

    def __str__(self) -> str:
        start = self.dates.start.isoformat()
        if self.dates.end is None:
            return f"on or after {start}"
        return f"on or after {start} and before {self.dates.end.isoformat()}"


@frozen
class ViaRoute(RequestChange):
    """Ship along ``route``: the origin, the states ``via``, the destination."""

    kind: ClassVar[ChangeKind] = ChangeKind.ROUTE
    route: tuple[str, ...]

    @property
    def fields(self) -> dict[str, Any]:
        return {"route": self.route}

    @property
    def via(self) -> tuple[str, ...]:
        return self.route[1:-1]

    def __str__(self) -> str:
        return f"route via {', '.join(self.via)}"


@frozen
class DeclareEndUse(RequestChange):
    """Declare ``end_use``."""

    kind: ClassVar[ChangeKind] = ChangeKind.END_USE
    end_use: str

    @property
    def fields(self) -> dict[str, Any]:
        return {"end_use": self.end_use}

    def __str__(self) -> str:
        return f"declare end use {self.end_use}"


@frozen
class OtherItem(RequestChange):
    """Obtain ``item`` instead."""

    kind: ClassVar[ChangeKind] = ChangeKind.ITEM
    item: str

    @property
    def fields(self) -> dict[str, Any]:
        return {"item": self.item}

    def __str__(self) -> str:
        return f"obtain {self.item} instead"


def _spec_words(spec: str, side: Interval) -> str:
    name = "TPP" if spec == "tpp" else spec.replace("_", " ")
    if spec == "datacenter":
        return "a datacenter part" if side.low == 1 else "not a datacenter part"
    if side.low is not None and side.low == side.high:
        return f"{name} exactly {side.low:g}"
    if side.high is None and side.low is not None:
        return f"{name} {'at least' if side.low_closed else 'above'} {side.low:g}"
    if side.high is not None and (side.low is None or side.low == 0):
        return f"{name} {'at most' if side.high_closed else 'below'} {side.high:g}"
    return f"{name} in {side}"


@frozen
class SpecIn(Change):
    """Make the chip's ``spec`` a number in ``side`` (decided at ``side.interior``; every
    number of ``side`` passes and fails the same thresholds in force)."""

    kind: ClassVar[ChangeKind] = ChangeKind.SPEC
    spec: str
    side: Interval

    def apply(self, trial: Trial) -> Trial:
        world = trial.world
        chip = world.chip(trial.request.item)
        changed = hypothetical_chip(
            {self.spec: self.side.interior}, id=chip.id, designer=chip.designer, base=chip
        )
        chips = [changed if c.id == chip.id else c for c in world.chips]
        return attrs.evolve(trial, world=attrs.evolve(world, chips=chips))

    def __str__(self) -> str:
        return _spec_words(self.spec, self.side)

    @property
    def order(self) -> tuple[int, str]:
        return (_ORDER[self.kind], f"{AXES.index(self.spec)}{self}")


@frozen
class ApplyReform(Change):
    """Apply ``reform`` to the world (delisting the buyer, for instance)."""

    kind: ClassVar[ChangeKind] = ChangeKind.REFORM
    reform: Reform

    def apply(self, trial: Trial) -> Trial:
        return attrs.evolve(trial, world=self.reform.apply(trial.world))

    def __str__(self) -> str:
        return self.reform.name


@frozen
class Path:
    """Changes that together bring the decision to the target, and the decision they give
    (``evaluate`` of the changed request in the changed world)."""

    changes: tuple[Change, ...]
    decision: Decision

    def __str__(self) -> str:
        words = " + ".join(map(str, self.changes)) or "as asked"
        return f"{words}: {self.decision.restriction}"


def as_restriction(target: Verdict | Restriction | tuple[Verdict, ReviewPolicy]) -> Restriction:
    """The restriction a target stands for: a restriction as is, a verdict as the most
    restrictive outcome it covers, a ``(verdict, review)`` pair as ``Restriction.of``."""
    if isinstance(target, Restriction):
        return target
    if isinstance(target, Verdict):
        return _CEILING[target]
    if isinstance(target, tuple) and len(target) == 2:
        verdict, review = target
        if isinstance(verdict, Verdict) and isinstance(review, ReviewPolicy):
            return Restriction.of(verdict, review)
    raise InvalidValueError(
        f"target: expected a Verdict, a Restriction or a (Verdict, ReviewPolicy) pair, "
        f"got {target!r}"
    )


def reaches(decision: Decision, target: Restriction) -> bool:
    """Whether every completion of the decision's unknown facts is at most ``target``."""
    if decision.restriction > target:
        return False
    return decision.certain or all(o.highest <= target for o in decision.outcomes)


def apply_all(trial: Trial, changes: Iterable[Change]) -> Trial:
    """The trial with ``changes`` made in their order (dates first)."""
    for change in sorted(changes, key=_order):
        trial = change.apply(trial)
    return trial


# -- candidates from the criteria ----------------------------------------------------------


def _date_options(world: World, on: dt.date) -> list[OnDate]:
    """The date ranges between change points, cut to the world's window when it declares one
    (a day outside it is not answered with certainty)."""
    points = change_dates((world,))
    ends: list[dt.date | None] = [*points[1:], None]
    ranges = [DateRange(start, end) for start, end in zip(points, ends, strict=True)]
    window = world.window
    if window is not None:
        after = window.end + dt.timedelta(days=1)
        ranges = [
            DateRange(max(r.start, window.start), after if r.end is None else min(r.end, after))
            for r in ranges
            if r.start <= window.end and (r.end is None or r.end > window.start)
        ]
    return [OnDate(r) for r in ranges if on not in r]


def _route_options(world: World, on: dt.date, route: tuple[str, ...]) -> list[ViaRoute]:
    """One transit state per class the rules in force cannot tell apart (``transit_classes``):
    its first state that is neither end of the route."""
    ends = {route[0], route[-1]}
    found = (
        next((s for s in members if s not in ends), None)
        for members in transit_classes((world,), on, (p for p in world.policies if p.in_force(on)))
    )
    return [ViaRoute((route[0], s, route[-1])) for s in sorted(s for s in found if s is not None)]


def _end_use_options(world: World, on: dt.date, current: str | None) -> list[DeclareEndUse]:
    named = named_end_uses(world, on)
    other = unnamed_end_use(named)
    uses = [*sorted(named), *([] if other is None else [other])]
    return [DeclareEndUse(u) for u in uses if u != current]


def _item_options(world: World, item: Item) -> list[OtherItem]:
    """Every other item of the same kind."""
    same: Sequence[Item] = (
        world.chips
        if isinstance(item, Chip)
        else world.models
        if isinstance(item, Model)
        else world.materials
    )
    return [OtherItem(x.id) for x in sorted(same, key=lambda x: x.id) if x.id != item.id]


def _spec_options(world: World, on: dt.date, chip: Chip) -> list[list[SpecIn]]:
    """Per spec the rules in force compare, the pieces of its line the chip is not in."""
    out: list[list[SpecIn]] = []
    area = {"die_area_mm2": chip.die_area_mm2} if chip.die_area_mm2 is not None else {}
    for spec in AXES:
        if spec == "die_area_mm2" or (spec == "performance_density" and chip.tpp is None):
            continue
        current = getattr(chip, spec)
        sides: tuple[Interval, ...]
        if spec == "datacenter":
            sides = (Interval(0, 0, True, True), Interval(1, 1, True, True))
            current = None if current is None else float(current)
        else:
            sides = pieces(axis_bounds(world, on, spec, area if spec == "tpp" else {}), low=0.0)
            if len(sides) < 2:
                continue
        options = [SpecIn(spec, s) for s in sides if current is None or current not in s]
        if options:
            out.append(options)
    return out


def _reform_options(world: World, on: dt.date, buyer: str) -> list[ApplyReform]:
    """Delisting the buyer or a parent from each party list it is on on ``on``: every listing
    of it on that list goes (so the change is the same whatever the date)."""
    chain = [buyer, *(c.id for c in world.ancestors(buyer))]
    out = []
    for lst in world.party_lists:
        for who in chain:
            if world.listed(lst.id, who, on):
                first = min(x.start for x in lst.listings if x.company == who)
                name = f"delist {who} from {lst.id}"
                out.append(ApplyReform(DelistCompany(lst.id, who, first, name=name)))
    return out


def _dimensions(world: World, request: AccessRequest, base: Decision) -> list[list[Change]]:
    """The options of each kind of change on the request's date, one list per dimension."""
    on = request.on
    dims: list[list[Change]] = [
        list(_route_options(world, on, base.route)),
        list(_end_use_options(world, on, request.end_use)),
        list(_item_options(world, base.item)),
    ]
    if isinstance(base.item, Chip):
        dims += [list(d) for d in _spec_options(world, on, base.item)]
    dims.append(list(_reform_options(world, on, base.buyer.id)))
    return [d for d in dims if d]


def _compatible(changes: Sequence[Change]) -> bool:
    kinds = [c.kind for c in changes]
    return not (ChangeKind.ITEM in kinds and ChangeKind.SPEC in kinds)


def _candidates(
    world: World, request: AccessRequest, base: Decision, most: int
) -> list[tuple[Change, ...]]:
    """Every compatible set of at most ``most`` changes, one option per dimension."""
    out: list[tuple[Change, ...]] = []
    for date in [None, *_date_options(world, request.on)]:
        asked = request if date is None else date.apply(Trial(world, request)).request
        dims = _dimensions(world, asked, base)
        lead: tuple[Change, ...] = () if date is None else (date,)
        for k in range(0 if lead else 1, most - len(lead) + 1):
            for chosen in itertools.combinations(dims, k):
                for combo in itertools.product(*chosen):
                    if _compatible(combo):
                        out.append((*lead, *combo))
    return out


def _screen(
    world: World, request: AccessRequest, sets: Sequence[tuple[Change, ...]], target: Restriction
) -> list[bool]:
    """Whether each set of changes may bring the request to at most ``target``: its ruling is,
    and when it is uncertain over an undeclared end use, so is every declared completion
    (each lies in the decision's range, so one above the target rules it out)."""
    groups: dict[tuple[Change, ...], list[int]] = {}
    for i, changes in enumerate(sets):
        key = tuple(sorted((c for c in changes if not isinstance(c, RequestChange)), key=_order))
        groups.setdefault(key, []).append(i)
    found = [False] * len(sets)
    for key, members in groups.items():
        trial_world = apply_all(Trial(world, request), key).world
        asked = [_asked(request, sets[i]) for i in members]
        doubtful: list[int] = []
        for i, r, ruling in zip(members, asked, rulings_or_none(trial_world, asked), strict=True):
            if ruling is None or ruling.restriction > target:
                continue
            found[i] = True
            if not ruling.certain and r.end_use is None:
                doubtful.append(i)
        spans: list[tuple[int, int, int]] = []
        completions: list[AccessRequest] = []
        for i in doubtful:
            r = _asked(request, sets[i])
            uses = _end_use_options(world, r.on, None)
            spans.append((i, len(completions), len(completions) + len(uses)))
            completions += [attrs.evolve(r, end_use=u.end_use) for u in uses]
        ruled = rulings_or_none(trial_world, completions)
        for i, start, end in spans:
            found[i] = all(x is not None and x.restriction <= target for x in ruled[start:end])
    return found


def _asked(request: AccessRequest, changes: Iterable[Change]) -> AccessRequest:
    fields: dict[str, Any] = {}
    for c in changes:
        if isinstance(c, RequestChange):
            fields.update(c.fields)
    return attrs.evolve(request, **fields) if fields else request


def _order(change: Change) -> tuple[int, str]:
    return change.order


def what_it_takes(
    world: World,
    request: AccessRequest,
    target: Verdict | Restriction | tuple[Verdict, ReviewPolicy],
    *,
    most: int = 2,
) -> tuple[Path, ...]:
    """The minimal sets of at most ``most`` changes that bring ``request``'s decision to at
    most ``target``, fewest changes first, then least restrictive, then by kind and words.

    Guarantees: every ``Path.decision`` is ``evaluate`` of the changed request in the changed
    world and ``reaches`` the target (all completions of its unknown facts at most the
    target); no path's changes hold another's; ``(Path((), decision),)`` when the request
    already reaches the target; ``()`` when no set of at most ``most`` changes does. Date
    changes that reach the target with the same other changes on neighbouring intervals are
    one change over their union (the decision is that of its first day).
    """
    goal = as_restriction(target)
    if most < 1:
        raise InvalidValueError(f"most: expected at least one change, got {most}")
    base = evaluate(world, request)
    if reaches(base, goal):
        return (Path((), base),)
    candidates = _candidates(world, request, base, most)
    found: dict[frozenset[Change], Path] = {}
    for size in range(1, most + 1):
        todo = [
            c
            for c in candidates
            if len(c) == size
            and not any(
                frozenset(s) in found for k in range(1, size) for s in itertools.combinations(c, k)
            )
        ]
        for changes, ok in zip(todo, _screen(world, request, todo, goal), strict=True):
            if not ok:
                continue
            trial = apply_all(Trial(world, request), changes)
            decision = evaluate(trial.world, trial.request)
            if reaches(decision, goal):
                ordered = tuple(sorted(changes, key=_order))
                found[frozenset(changes)] = Path(ordered, decision)
    paths = _joined(list(found.values()), world, request)
    # joining pieces can rebuild a smaller path's change beside another (a spec cut by a
    # threshold in force only on a later day): keep the minimal sets
    sets = [frozenset(p.changes) for p in paths]
    paths = [p for p, s in zip(paths, sets, strict=True) if not any(o < s for o in sets)]
    return tuple(
        sorted(
            paths,
            key=lambda p: (len(p.changes), p.decision.restriction, [c.order for c in p.changes]),
        )
    )


def _joined(paths: list[Path], world: World, request: AccessRequest) -> list[Path]:
    """Paths equal but for a date or one spec on touching intervals, joined into one change
    over their union, decided again (on its first day; at the interior of a spec's union)."""
    for axis in ("date", *AXES):
        paths = _joined_on(paths, axis, world, request)
    return paths


def _axis(change: Change) -> str | None:
    if isinstance(change, OnDate):
        return "date"
    return change.spec if isinstance(change, SpecIn) else None


def _start(change: Change) -> tuple[float, bool]:
    if isinstance(change, OnDate):
        return (float(change.dates.start.toordinal()), False)
    assert isinstance(change, SpecIn)
    return start_key(change.side)


def _touch(a: Change, b: Change) -> Change | None:
    """The change over both intervals when ``a``'s ends where ``b``'s starts."""
    if isinstance(a, OnDate) and isinstance(b, OnDate):
        return (
            OnDate(DateRange(a.dates.start, b.dates.end)) if a.dates.end == b.dates.start else None
        )
    if isinstance(a, SpecIn) and isinstance(b, SpecIn):
        side = a.side.join(b.side)
        return None if side is None else SpecIn(a.spec, side)
    return None


def _joined_on(paths: list[Path], axis: str, world: World, request: AccessRequest) -> list[Path]:
    out: list[Path] = []
    groups: dict[tuple[Change, ...], list[tuple[Change, Path]]] = {}
    for p in paths:
        hit = next((c for c in p.changes if _axis(c) == axis), None)
        # TPP pieces are cut at the density thresholds for the chip's own die: not joined
        # when the path also moves the density (and so the die)
        moved = axis == "tpp" and any(_axis(c) == "performance_density" for c in p.changes)
        if hit is None or moved:
            out.append(p)
        else:
            groups.setdefault(tuple(c for c in p.changes if c != hit), []).append((hit, p))
    for rest, group in groups.items():
        group.sort(key=lambda pair: _start(pair[0]))
        runs: list[tuple[Change, Path]] = [group[0]]
        for change, p in group[1:]:
            merged = _touch(runs[-1][0], change)
            if merged is None:
                runs.append((change, p))
            else:
                runs[-1] = (merged, runs[-1][1])
        for run, kept in runs:
            if run in kept.changes:
                out.append(kept)
            else:
                trial = apply_all(Trial(world, request), (run, *rest))
                changes = tuple(sorted((run, *rest), key=_order))
                out.append(Path(changes, evaluate(trial.world, trial.request)))
    return out
