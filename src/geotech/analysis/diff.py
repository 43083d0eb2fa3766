"""What a change of world changes, over the whole request space.

Two worlds can only rule a request differently through the policies they do not share (when
every other record is the same; otherwise through any policy). A policy changes a ruling only
where it may match, so ``diff`` decides only the classes some changed policy may match: in
each date range between the dates any rule, listing or membership changes, the items its
item tests do not rule out, the buyer classes its buyer and destination tests do not rule
out, and the end uses its end-use tests do not. Buyers are grouped per range by the truth of
every buyer or destination test in force (and their headquarters); end uses are those the
rules name, an undeclared one and one ``other`` standing for any use no rule names. A class
no end-use test may match is decided once, undeclared; one that some may match, once per
class of the end uses those tests name and ``other`` (uses every end-use test in force
judges alike, ``RequestSpace.end_use_classes``). Items every item test in force judges
alike, with the same origin and the same states whose controls reach them, are decided once
too (``RequestSpace.item_classes``); cells still name one item each. Cells with the same
rulings are merged over buyers, then over neighbouring date ranges.

From one range to the next, only what changes on the date between them is decided again
(``Unchanged``): a range where nothing either world reads changes (no policy starts or ends,
no day a policy's criterion names, no listing on a list a policy names, no group membership,
no class definition) continues the
range before; in a range that follows, a request whose buyer, item and route no change can
reach keeps the ruling of the range before.

Cells cover the days of the baseline's window (all days when it declares none): beyond it
every ruling is uncertain, and ``WorldDiff.at`` answers. They cover requests from the
item's origin to the buyer's headquarters, directly (the
**default route**, ``Where.via`` ``None``) or through one transit state. Per range, item and
buyer class, transit states are grouped by ``transit_classes`` of the policies of either
world that may match that item and buyer (any other is false on every route): none of them
tells two states of a class apart as a leg's exporter or importer, so every state of a class
gets the same rulings. A class is decided only when some changed policy among those may
match on a leg of the route through its first state that is neither end of the route: where
every changed policy is false on both legs the two worlds rule alike, so there is no cell.
It is decided through the first state, neither end, of its class under the
policies that may match the end use too (``RequestSpace.matching_use``): classes only a
policy false for that end use tells apart (a 744.21 rule's test of the importer, for a
commercial end use) are decided once. Classes ruled alike are then merged, and ``Where.via``
lists their states.
``WorldDiff.cell(request)`` finds the cell holding a request on any of these routes
(``diff(..., transit=False)``: on the default route only). ``WorldDiff.at(request)`` is
exact for every request, on any route: ``None`` when no policy the worlds do not share is in
force on its date, else the two rulings when they differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Sequence

import attrs
from attrs import frozen

from geotech.analysis.cases import named_end_uses
from geotech.analysis.space import RequestSpace, Triple, Unchanged, transit_classes
from geotech.criteria import EndUseKind, days, unnamed_end_use
from geotech.engine import AccessRequest, Ruling, origin, resolve_route, rulings
from geotech.entities import Item
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
    "transit_classes",
]


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
    undeclared), on the default route (``via`` ``None``: the item's origin to the buyer's
    headquarters) or from the origin through any one of the states ``via`` to the
    headquarters."""

    buyers: tuple[str, ...]
    item: str
    dates: DateRange
    end_use: str | None
    via: tuple[str, ...] | None = None


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
    #: the end uses some rule names; every other declared end use is in the cells as ``other``
    end_uses: frozenset[str] = frozenset()
    other: EndUseKind | None = None
    #: whether the cells cover routes through one transit state (else the default route only)
    transit: bool = True

    def cell(self, request: AccessRequest) -> Difference | None:
        """The cell holding ``request``, or ``None`` when both worlds rule it alike. Raises
        ``InvalidRequestError`` for a request the cells do not cover: one dated outside the
        baseline's window, or on a route not from the item's origin to the buyer's
        headquarters, directly or through one state. ``at`` answers those."""
        window = self.baseline.window
        if window is not None and not window.contains(request.on):
            raise InvalidRequestError(
                f"AccessRequest.on: {request.on} is outside the window the diff's cells cover "
                f"({window}), where both worlds' rulings are uncertain; ask WorldDiff.at"
            )
        via = self.transit_state(request)
        use = request.end_use
        if use is not None and use not in self.end_uses:
            use = self.other
        for c in self.cells:
            w = c.where
            in_cell = w.item == request.item and w.end_use == use and request.buyer in w.buyers
            on_route = w.via is None if via is None else w.via is not None and via in w.via
            if in_cell and on_route and request.on in w.dates:
                return c
        return None

    def transit_state(self, request: AccessRequest) -> str | None:
        """The transit state of the request's route: ``None`` for the default route."""
        world = self.baseline
        buyer, item = world.company(request.buyer), world.item(request.item)
        _, route = resolve_route(world, request, buyer, item)
        start = origin(world, item)
        default = (buyer.hq,) if start == buyer.hq else (start, buyer.hq)
        if route == default:
            return None
        if not self.transit or len(route) != 3 or route[0] != start or route[-1] != buyer.hq:
            raise InvalidRequestError(
                f"AccessRequest.route: {list(route)} is not covered by the diff's cells, which "
                f"hold routes from {start} to {buyer.hq} directly"
                f"{' or through one state' if self.transit else ''}; ask WorldDiff.at for any "
                "route"
            )
        return route[1]

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
    """Every date on which some rule, listing or membership starts or ends, a dated criterion
    of a rule turns, or a world's window starts or ends (a day outside it is ruled without
    certainty)."""
    found: set[dt.date] = set()
    for w in worlds:
        if w.window is not None:
            found.update((w.window.start, w.window.end + dt.timedelta(days=1)))
        for rule in (*w.policies, *w.classes):
            found.add(rule.effective)
            found.update(days(rule.criterion))
            if rule.expires is not None:
                found.add(rule.expires)
        for lst in w.party_lists:
            for x in lst.listings:
                found.update(d for d in (x.start, x.end) if d is not None)
        for g in w.groups:
            for m in g.members:
                found.update(d for d in (m.start, m.end) if d is not None)
    return sorted(found)


#: a class ruled differently: item, date range, end use, rulings before and after (numbers)
Ruled = tuple[str, int, str | None, int, int]
#: a decided class: buyers, the (item, end use) pairs it holds, the date ranges it holds
#: (their numbers), transit class and the number of the request decided for it
Found = tuple[
    tuple[str, ...], tuple[tuple[str, str | None], ...], list[int], tuple[str, ...] | None, int
]


def _reach(
    space: RequestSpace, changed: Iterable[AnyPolicy], worlds: tuple[World, World]
) -> set[Triple]:
    """The classes a changed policy in force may match. A policy whose versions differ only
    in what they supersede changes a ruling only where a policy it newly sets aside (or no
    longer does) matches too."""
    found: set[Triple] = set()
    by_id: dict[str, list[AnyPolicy]] = {}
    for p in changed:
        by_id.setdefault(p.id, []).append(p)
    for versions in by_id.values():
        live = [p for p in versions if p.in_force(space.on)]
        if not live:
            continue
        first, *rest = versions
        if len(rest) == 1 and attrs.evolve(first, supersedes=rest[0].supersedes) == rest[0]:
            aside: set[Triple] = set()
            for t in first.supersedes ^ rest[0].supersedes:
                for w in worlds:
                    q = next((x for x in w.policies if x.id == t), None)
                    if q is not None and q.in_force(space.on):
                        aside |= space.reach(q.criterion)
            if aside:
                found |= space.reach(live[0].criterion) & aside
            continue
        for p in live:
            found |= space.reach(p.criterion)
    return found


def diff(baseline: World, reformed: World, *, transit: bool = True) -> WorldDiff:
    """The classes of requests ``baseline`` and ``reformed`` rule differently, on the
    default route and (``transit``, the default) through one transit state (the module's
    docstring says which), with neighbouring date ranges and buyer classes ruled alike
    merged. ``transit=False`` decides the default route only, several times faster."""
    changed = _changed(baseline, reformed)
    ids = tuple(sorted({p.id for p in changed}))
    if not changed and _shared(baseline, reformed):
        return WorldDiff(baseline, reformed, ids, (), transit=transit)
    worlds = (baseline, reformed)
    points = change_dates(worlds)
    scope = changed if _shared(baseline, reformed) else (*baseline.policies, *reformed.policies)
    window = baseline.window
    ranges = [
        DateRange(start, end)
        for start, end in zip(points, [*points[1:], None], strict=True)
        if any(p.in_force(start) for p in scope) and (window is None or window.contains(start))
    ]
    uses: set[str] = set()
    for day in points:
        uses |= named_end_uses(baseline, day) | named_end_uses(reformed, day)
    other = unnamed_end_use(uses)
    items: tuple[Item, ...] = (
        *baseline.chips,
        *baseline.models,
        *baseline.materials,
        *baseline.equipment,
    )
    items = tuple(sorted(items, key=lambda i: i.id))
    origins = {i.id: origin(baseline, i) for i in items}
    memo: dict[Hashable, list[str]] = {}
    found: list[Found] = []
    requests: list[AccessRequest] = []
    index: dict[tuple[str, str, dt.date | None, str | None, tuple[str, ...] | None], int] = {}
    declared = (None, *sorted(uses), *([] if other is None else [other]))
    before: RequestSpace | None = None
    extended = 0
    # per class of the range before (item, end use as ruled, buyers, pairs held): its cells
    carried: dict[Hashable, list[tuple[int, tuple[str, ...] | None]]] = {}
    for span, dates in enumerate(ranges):
        space = RequestSpace(worlds, dates.start, items, declared, memo)
        same = Unchanged.between(before, space) if before is not None else None
        if same is not None and same.empty and ranges[extended].end == dates.start:
            # nothing either world reads changes: the range before goes on
            ranges[extended] = DateRange(ranges[extended].start, dates.end)
            continue
        if same is not None and before is not None and not same.moved:
            space.routes.update(before.routes)
            space.classes.update(before.classes)
            space.leg_truths.update(before.leg_truths)
            if not same.listed and not same.everything:
                space.buyer_truths.update(before.buyer_truths)
                space.buyer_leaves.update(before.buyer_leaves)
        if same is not None and before is not None and not same.everything:
            space.item_truths.update(before.item_truths)
        triples = _reach(space, scope, worlds)
        if not triples:
            before, carried = None, {}
            continue
        extended = span
        last = before.on if before is not None else None
        # each buyer's class's first member on the range before
        stood_for = (
            {c: group[0] for group in before.buyers for c in group} if before is not None else {}
        )
        before = space
        named = space.named_uses()
        use_class = space.end_use_classes()
        item_class = space.item_classes(t[0] for t in triples)
        # end uses ruled alike for an item and buyer class are decided once
        members: dict[tuple[str, int, str | None], list[tuple[str, str | None]]] = {}
        for item_id, n, use in sorted(triples, key=_ordered):
            relevant = named.get((item_id, n))
            ruled_as = (
                None
                if relevant is None
                else use
                if use is None or use in relevant or other is None
                else other
            )
            key = (item_class[item_id], n, use_class[ruled_as])
            members.setdefault(key, []).append((item_id, use))
        now: dict[Hashable, list[tuple[int, tuple[str, ...] | None]]] = {}
        for (item_id, n, ruled_as), pairs in members.items():
            buyers = space.buyers[n]
            held = tuple(pairs)
            whole = (item_id, ruled_as, buyers, held)
            entries = carried.get(whole)
            if (
                entries is not None
                and same is not None
                and not same.moved
                and same.holds(buyers[0], item_id, ())
            ):
                # the class and its rulings on every route are those of the range before
                for e, route in entries:
                    found[e][2].append(span)
                    index[buyers[0], item_id, dates.start, ruled_as, route] = found[e][4]
                now[whole] = entries
                continue
            hq = baseline.company(buyers[0]).hq
            start = origins[item_id]
            routes: list[tuple[tuple[str, ...] | None, tuple[str, ...] | None]] = [(None, None)]
            if transit and start is not None:
                routes += space.transit_routes(
                    (start, hq),
                    space.matching(item_id, n),
                    scope,
                    space.matching_use(item_id, n, ruled_as),
                )
            entries = now[whole] = []
            for via, route in routes:
                asked = (buyers[0], item_id, dates.start, ruled_as, route)
                k = index.get(asked)
                if k is None and same is not None:
                    # the buyer was ruled as its class's first member on the range before
                    states = route or ((hq,) if start in (None, hq) else (start, hq))
                    earlier = (stood_for[buyers[0]], item_id, last, ruled_as, route)
                    k = index.get(earlier)
                    if k is not None and not same.holds(buyers[0], item_id, states):
                        k = None
                if k is None:
                    k = len(requests)
                    requests.append(
                        AccessRequest(
                            buyer=buyers[0],
                            item=item_id,
                            on=dates.start,
                            end_use=None if ruled_as is None else EndUseKind(ruled_as),
                            route=route,
                        )
                    )
                index[asked] = k
                entries.append((len(found), route))
                found.append((buyers, held, [span], via, k))
        carried = now
    befores = rulings_or_none(baseline, requests)
    afters = rulings_or_none(reformed, requests)
    cells = _merged(found, ranges, befores, afters)
    return WorldDiff(baseline, reformed, ids, cells, frozenset(uses), other, transit)


def _ordered(triple: Triple) -> tuple[str, int, str]:
    return (triple[0], triple[1], triple[2] or "")


def _merged(
    found: list[Found],
    ranges: Sequence[DateRange],
    befores: list[Ruling | None],
    afters: list[Ruling | None],
) -> tuple[Difference, ...]:
    """The classes ruled differently, joined where they differ only in transit classes, then
    only in buyers, then only in neighbouring date ranges."""
    # rulings and date ranges by number, so that none is hashed more than once
    numbers: dict[Ruling, int] = {}
    differ: dict[int, tuple[int, int]] = {}
    for k, (before, after) in enumerate(zip(befores, afters, strict=True)):
        if before is not None and after is not None and before != after:
            b = numbers.setdefault(before, len(numbers))
            a = numbers.setdefault(after, len(numbers))
            differ[k] = (b, a)
    table: list[Ruling] = list(numbers)
    # transit classes joined per decided class (the buyers and pairs are shared objects)
    groups: dict[int, tuple[str, ...]] = {}
    pairs: dict[int, tuple[tuple[str, str | None], ...]] = {}
    by_class: dict[tuple[int, int, int, int, int, bool], set[str]] = {}
    for buyers, held, spans, via, k in found:
        pair = differ.get(k)
        if pair is not None:
            groups.setdefault(id(buyers), buyers)
            pairs.setdefault(id(held), held)
            for span in spans:
                key = (id(buyers), id(held), span, *pair, via is None)
                by_class.setdefault(key, set()).update(via or ())
    # a pair (item, end use) is held by one decided class per buyer class and range
    by_buyers: dict[tuple[Ruled, tuple[str, ...] | None], list[str]] = {}
    for (buyers_id, held_id, span, was, now, direct), states in by_class.items():
        via = None if direct else tuple(sorted(states))
        buyers = groups[buyers_id]
        for item_id, use in pairs[held_id]:
            by_buyers.setdefault(((item_id, span, use, was, now), via), []).extend(buyers)
    by_dates: dict[
        tuple[tuple[str, ...], str, str | None, tuple[str, ...] | None, int, int], list[int]
    ] = {}
    for ((item_id, span, use, was, now), via), ids in by_buyers.items():
        by_dates.setdefault((tuple(sorted(ids)), item_id, use, via, was, now), []).append(span)
    out: list[Difference] = []
    for (buyers, item_id, use, via, was, now), spans in by_dates.items():
        ruled_before, ruled_after = table[was], table[now]
        spans.sort()
        run = ranges[spans[0]]
        for d in (ranges[s] for s in spans[1:]):
            if run.end == d.start:
                run = DateRange(run.start, d.end)
            else:
                out.append(
                    Difference(Where(buyers, item_id, run, use, via), ruled_before, ruled_after)
                )
                run = d
        out.append(Difference(Where(buyers, item_id, run, use, via), ruled_before, ruled_after))
    return tuple(sorted(out, key=_place))


def _place(cell: Difference) -> tuple[str, dt.date, str, tuple[str, ...], tuple[str, ...]]:
    w = cell.where
    return (w.item, w.dates.start, w.end_use or "", w.via or (), w.buyers)


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
