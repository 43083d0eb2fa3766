"""What a change of world changes, over the whole request space.

Two worlds can only rule a request differently through the policies they do not share (when
every other record is the same). ``diff`` finds those policies, and the requests they can
reach: the dates they are in force (split at every date any rule, listing or membership
changes), the items their item tests do not rule out, every buyer class (buyers that the
rules cannot tell apart: same headquarters, same listings, not named), every end use the
rules name, an undeclared one and any other. Each class is decided once in each world on the
default route; the cells are the classes where the rulings differ.

``WorldDiff.at(request)`` is exact for every request, on any route: ``None`` when no policy
the worlds do not share is in force on its date, else the two rulings when they differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable

import attrs
from attrs import frozen

from geotech.analysis.cases import named_end_uses
from geotech.criteria import BUYER_ID, Criterion, Fact, SetCriterion, Truth, item_facts, truth, walk
from geotech.engine import AccessRequest, Ruling, rulings
from geotech.entities import Company
from geotech.errors import InvalidRequestError
from geotech.policies import AnyPolicy
from geotech.world import World

__all__ = [
    "DateRange",
    "Difference",
    "Where",
    "WorldDiff",
    "change_dates",
    "diff",
    "rulings_or_none",
]

_ITEM_FACTS = frozenset({Fact.ITEM, Fact.ON})


@frozen
class DateRange:
    """The dates ``start <= on < end`` (``end`` ``None``: open-ended)."""

    start: dt.date
    end: dt.date | None

    def __contains__(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or on < self.end)


@frozen
class Where:
    """A class of requests: these buyers, this item, these dates, this end use (``None``:
    undeclared), on the default route."""

    buyers: tuple[str, ...]
    item: str
    dates: DateRange
    end_use: str | None


@frozen
class Difference:
    """A class of requests the two worlds rule differently."""

    where: Where
    before: Ruling
    after: Ruling


def _shared(a: World, b: World) -> bool:
    """Whether the worlds hold the same records except policies."""
    fields = [f.name for f in attrs.fields(World) if f.init and f.name != "policies"]
    return all(getattr(a, f) == getattr(b, f) for f in fields)


@frozen
class WorldDiff:
    """The requests two worlds rule differently, as cells of requests ruled alike."""

    baseline: World = attrs.field(repr=False)
    reformed: World = attrs.field(repr=False)
    changed: tuple[str, ...]
    cells: tuple[Difference, ...]

    def at(self, request: AccessRequest) -> tuple[Ruling, Ruling] | None:
        """The rulings before and after, or ``None`` when they are equal."""
        if _shared(self.baseline, self.reformed):
            ids = set(self.changed)
            policies = (*self.baseline.policies, *self.reformed.policies)
            if not any(p.id in ids and p.in_force(request.on) for p in policies):
                return None
        (before,) = rulings(self.baseline, [request])
        (after,) = rulings(self.reformed, [request])
        return None if before == after else (before, after)


def _changed(a: World, b: World) -> tuple[AnyPolicy, ...]:
    mine, theirs = set(a.policies), set(b.policies)
    return tuple(sorted(mine ^ theirs, key=lambda p: (p.id, p.effective)))


def change_dates(worlds: Iterable[World]) -> list[dt.date]:
    """Every date on which some rule, listing or membership starts or ends."""
    found: set[dt.date] = set()
    for w in worlds:
        for rule in (*w.policies, *w.classes):
            found.add(rule.effective)
            if rule.expires is not None:
                found.add(rule.expires)
        for lst in w.party_lists:
            for x in lst.listings:
                found.update(d for d in (x.start, x.end) if d is not None)
        for g in w.groups:
            for m in g.members:
                found.update(d for d in (m.start, m.end) if d is not None)
    return sorted(found)


def _item_may_match(world: World, criterion: Criterion, item: object, on: dt.date) -> bool:
    facts = item_facts(world, on, item)  # type: ignore[arg-type]

    def leaf(node: Criterion) -> Truth:
        return node.evaluate(facts).truth if node.reads <= _ITEM_FACTS else Truth.UNKNOWN

    return truth(criterion, leaf) is not Truth.FALSE


def _buyer_classes(worlds: tuple[World, World]) -> list[tuple[str, ...]]:
    """Buyers grouped so that no rule of either world tells two of one group apart."""
    named = {
        str(m)
        for w in worlds
        for p in w.policies
        for leaf in walk(p.criterion)
        if isinstance(leaf, SetCriterion) and leaf.family == BUYER_ID
        for m in leaf.members
    }
    world = worlds[0]
    groups: dict[Hashable, list[str]] = {}
    for c in world.companies:
        chain: tuple[Company, ...] = (c, *world.ancestors(c.id))
        listings = tuple(
            (i, lst.id, x.start, x.end)
            for i, who in enumerate(chain)
            for lst in world.party_lists
            for x in lst.listings
            if x.company == who.id
        )
        key = (c.id if c.id in named else None, c.hq, chain[-1].hq, listings)
        groups.setdefault(key, []).append(c.id)
    return [tuple(sorted(ids)) for ids in groups.values()]


def diff(baseline: World, reformed: World) -> WorldDiff:
    """The classes of requests ``baseline`` and ``reformed`` rule differently."""
    changed = _changed(baseline, reformed)
    ids = tuple(sorted({p.id for p in changed}))
    if not changed:
        return WorldDiff(baseline, reformed, ids, ())
    points = change_dates((baseline, reformed))
    ranges = [
        DateRange(start, end)
        for start, end in zip(points, [*points[1:], None], strict=True)
        if any(p.in_force(start) for p in changed)
    ]
    worlds = (baseline, reformed)
    uses = named_end_uses(baseline, points[-1]) | named_end_uses(reformed, points[-1])
    for day in points:
        uses |= named_end_uses(baseline, day) | named_end_uses(reformed, day)
    other = next(f"other{i}" for i in range(len(uses) + 1) if f"other{i}" not in uses)
    end_uses: list[str | None] = [None, *sorted(uses), other]
    buyers = _buyer_classes(worlds)
    shared_items = {i.id for i in baseline.chips} | {i.id for i in baseline.models}
    shared_items |= {i.id for i in baseline.materials}
    wheres: list[Where] = []
    for dates in ranges:
        live = [p for p in changed if p.in_force(dates.start)]
        for item_id in sorted(shared_items):
            item = baseline.item(item_id)
            if not any(_item_may_match(baseline, p.criterion, item, dates.start) for p in live):
                continue
            for group in buyers:
                for use in end_uses:
                    wheres.append(Where(group, item_id, dates, use))
    requests = [
        AccessRequest(buyer=w.buyers[0], item=w.item, on=w.dates.start, end_use=w.end_use)
        for w in wheres
    ]
    befores = rulings_or_none(baseline, requests)
    afters = rulings_or_none(reformed, requests)
    cells = tuple(
        Difference(w, b, a)
        for w, b, a in zip(wheres, befores, afters, strict=True)
        if b is not None and a is not None and b != a
    )
    return WorldDiff(baseline, reformed, ids, cells)


def rulings_or_none(world: World, requests: list[AccessRequest]) -> list[Ruling | None]:
    """The rulings, ``None`` for a request without a default route."""
    try:
        return list(rulings(world, requests))
    except InvalidRequestError:
        out: list[Ruling | None] = []
        for r in requests:
            try:
                out.append(rulings(world, [r])[0])
            except InvalidRequestError:
                out.append(None)
        return out
