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
end use those tests name and once as ``other``. Cells with the same rulings are
merged over buyers, then over neighbouring date ranges.

Cells cover requests from the item's origin to the buyer's headquarters, directly (the
**default route**, ``Where.via`` ``None``) or through one transit state. Per range, item and
buyer class, transit states are grouped by ``transit_classes`` of the policies of either
world that may match that item and buyer (any other is false on every route): none of them
tells two states of a class apart as a leg's exporter or importer, so every state of a class
gets the same rulings. A class is decided, through its first state that is neither end of
the route, only when some changed policy among those may match on a leg of the route through
it: where every changed policy is false on both legs the two worlds rule alike, so there is
no cell. Classes ruled alike are then merged, and ``Where.via`` lists their states.
``WorldDiff.cell(request)`` finds the cell holding a request on any of these routes
(``diff(..., transit=False)``: on the default route only). ``WorldDiff.at(request)`` is
exact for every request, on any route: ``None`` when no policy the worlds do not share is in
force on its date, else the two rulings when they differ.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Hashable, Iterable, Sequence

import attrs
from attrs import frozen

from geotech.analysis.cases import named_end_uses, uses_named
from geotech.criteria import (
    END_USES,
    Criterion,
    EndUseKind,
    Entity,
    Fact,
    Facts,
    SetCriterion,
    Truth,
    item_facts,
    truth,
    unnamed_end_use,
    walk,
)
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

_ITEM_FACTS = frozenset({Fact.ITEM, Fact.ON})
_BUYER_FACTS = frozenset({Fact.BUYER, Fact.DESTINATION, Fact.ON})
_USE_FACTS = frozenset({Fact.END_USE, Fact.ON})
_BUYER_SIDE = frozenset({Fact.BUYER, Fact.DESTINATION})
_LEG = frozenset({Fact.EXPORTER, Fact.IMPORTER})
_LEGS = frozenset({Fact.EXPORTER, Fact.IMPORTER, Fact.DESTINATION, Fact.ON})


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
        ``InvalidRequestError`` for a route the cells do not cover (one not from the item's
        origin to the buyer's headquarters, directly or through one state): ``at`` answers
        those."""
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


def transit_classes(
    worlds: Sequence[World], on: dt.date, policies: Iterable[AnyPolicy]
) -> tuple[tuple[str, ...], ...]:
    """The states of ``worlds[0]`` grouped so that none of ``policies`` tells two of one
    group apart as a leg's exporter or importer on ``on``: a state their route tests name or
    one of them issues is alone; the others are told apart only by the named groups their
    route tests name (membership in each world). Each group sorted; groups ordered by their
    first state."""
    states: set[str] = set()
    groups: set[str] = set()
    for p in policies:
        states.add(p.issuer)
        for leaf in walk(p.criterion):
            if leaf.reads & _LEG:
                for ref in leaf.references():
                    if ref.entity is Entity.STATE:
                        states |= ref.ids
                    elif ref.entity is Entity.GROUP:
                        groups |= ref.ids
    classes: dict[Hashable, list[str]] = {}
    for s in sorted(x.id for x in worlds[0].states):
        held = tuple(frozenset(g for g in groups if w.group_contains(g, s, on)) for w in worlds)
        classes.setdefault((s if s in states else None, held), []).append(s)
    return tuple(tuple(members) for members in classes.values())


def _may_match(criterion: Criterion, facts: Facts, known: frozenset[Fact]) -> bool:
    """Whether the criterion can hold when only the leaves reading ``known`` facts are judged
    on ``facts`` (every other leaf unknown)."""

    def leaf(node: Criterion) -> Truth:
        return node.evaluate(facts).truth if node.reads <= known else Truth.UNKNOWN

    return truth(criterion, leaf) is not Truth.FALSE


def _buyer_classes(worlds: tuple[World, World], on: dt.date) -> list[tuple[str, ...]]:
    """Buyers grouped so that no rule of either world in force on ``on`` tells two of one
    group apart on the default route (which ends at the buyer's headquarters): same
    headquarters, same truth of every leaf reading the buyer or the destination."""
    leaves: dict[Criterion, None] = {}
    for w in worlds:
        for p in w.policies:
            if p.in_force(on):
                for leaf in walk(p.criterion):
                    if not leaf.parts and leaf.reads & _BUYER_SIDE:
                        leaves.setdefault(leaf)
    opaque = any(not leaf.reads <= _BUYER_FACTS for leaf in leaves)
    world = worlds[0]
    items: list[Item] = [*world.chips, *world.models, *world.materials, *world.equipment]
    item = items[0] if items else None
    groups: dict[Hashable, list[str]] = {}
    for c in world.companies:
        if item is None or opaque:
            key: Hashable = c.id
        else:
            truths = []
            for w in worlds:
                company = w.company(c.id)
                facts = attrs.evolve(item_facts(w, on, item), buyer=company, destination=company.hq)
                truths += [leaf.evaluate(facts).truth for leaf in leaves]
            key = (c.hq, tuple(truths))
        groups.setdefault(key, []).append(c.id)
    return [tuple(sorted(ids)) for ids in groups.values()]


Triple = tuple[str, int, str | None]
#: a class ruled differently: item, dates, end use, rulings before and after
Ruled = tuple[str, DateRange, str | None, Ruling, Ruling]
#: a decided class: buyers, item, dates, end use, transit class and its request's index
Found = tuple[tuple[str, ...], str, DateRange, str | None, tuple[str, ...] | None, int]


@frozen
class _Space:
    """The request classes of one date range: items, buyer classes (by index, found when
    first needed) and end uses; ``memo`` keeps which items each criterion may match, shared
    across ranges with the same class definitions in force."""

    worlds: tuple[World, World]
    on: dt.date
    items: tuple[Item, ...]
    uses: tuple[str | None, ...]
    memo: dict[Hashable, list[str]] = attrs.field(eq=False)
    found: dict[dt.date, tuple[tuple[str, ...], ...]] = attrs.field(eq=False, factory=dict)
    #: the transit routes per pair of ends and policies that may match (``transit_routes``)
    routes: dict[Hashable, list[tuple[tuple[str, ...], tuple[str, ...]]]] = attrs.field(
        eq=False, factory=dict
    )
    relevant: dict[tuple[str, int], tuple[AnyPolicy, ...]] = attrs.field(eq=False, factory=dict)
    in_force: list[AnyPolicy] = attrs.field(eq=False, factory=list)
    item_memo: dict[int, frozenset[str]] = attrs.field(eq=False, factory=dict)
    buyer_memo: dict[int, frozenset[int]] = attrs.field(eq=False, factory=dict)
    classes: dict[tuple[int, ...], tuple[tuple[str, ...], ...]] = attrs.field(
        eq=False, factory=dict
    )

    @property
    def world(self) -> World:
        return self.worlds[0]

    @property
    def buyers(self) -> tuple[tuple[str, ...], ...]:
        """The buyer classes of the range (``_buyer_classes``)."""
        if self.on not in self.found:
            self.found[self.on] = tuple(_buyer_classes(self.worlds, self.on))
        return self.found[self.on]

    def base(self) -> Facts:
        return item_facts(self.world, self.on, self.items[0])

    def item_reach(self, criterion: Criterion) -> list[str]:
        defined = tuple(k.id for k in self.world.classes if k.in_force(self.on))
        key = (criterion, defined)
        found = self.memo.get(key)
        if found is None:
            base = self.base()
            found = self.memo[key] = [
                i.id
                for i in self.items
                if _may_match(criterion, attrs.evolve(base, item=i), _ITEM_FACTS)
            ]
        return found

    def buyer_reach(self, criterion: Criterion) -> list[int]:
        """The buyer classes the criterion may match on the default route (the destination
        is the buyer's headquarters)."""
        base = self.base()
        out = []
        for n, group in enumerate(self.buyers):
            company = self.world.company(group[0])
            facts = attrs.evolve(base, buyer=company, destination=company.hq)
            if _may_match(criterion, facts, _BUYER_FACTS):
                out.append(n)
        return out

    def matching(self, item_id: str, n: int) -> tuple[AnyPolicy, ...]:
        """The policies in force in either world that may match the item and buyer class
        ``n`` (whatever the route and end use)."""
        key = (item_id, n)
        found = self.relevant.get(key)
        if found is None:
            found = self.relevant[key] = tuple(
                p for p in self.live if item_id in self.items_of(p) and n in self.buyers_of(p)
            )
        return found

    @property
    def live(self) -> tuple[AnyPolicy, ...]:
        """The policies in force in either world, each once."""
        if not self.in_force:
            found = {id(p): p for w in self.worlds for p in w.policies if p.in_force(self.on)}
            self.in_force.extend(found.values())
        return tuple(self.in_force)

    def items_of(self, p: AnyPolicy) -> frozenset[str]:
        found = self.item_memo.get(id(p))
        if found is None:
            found = self.item_memo[id(p)] = frozenset(self.item_reach(p.criterion))
        return found

    def buyers_of(self, p: AnyPolicy) -> frozenset[int]:
        found = self.buyer_memo.get(id(p))
        if found is None:
            found = self.buyer_memo[id(p)] = frozenset(self.buyer_reach(p.criterion))
        return found

    def transit_routes(
        self, ends: tuple[str, str], relevant: tuple[AnyPolicy, ...], scope: Iterable[AnyPolicy]
    ) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """The transit classes the ``relevant`` policies tell apart (``transit_classes``) on
        which some of them in ``scope`` may match on a leg of the route from ``ends[0]``
        through the class to ``ends[1]``: per class, its states and that route through its
        first state that is neither end."""
        ids = tuple(map(id, relevant))
        key = (ends, ids)
        if key in self.routes:
            return self.routes[key]
        start, end = ends
        criteria = [p.criterion for p in scope if id(p) in ids]
        plain = not any(leaf.reads & _LEG for c in criteria for leaf in walk(c))
        bases = [item_facts(w, self.on, self.items[0]) for w in self.worlds]
        out: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        classes = self.classes.get(ids)
        if classes is None:
            classes = self.classes[ids] = transit_classes(self.worlds, self.on, relevant)
        for members in classes:
            through = next((s for s in members if s not in ends), None)
            if through is None:
                continue
            legs = ((start, through), (through, end))
            if plain or any(
                _may_match(c, attrs.evolve(b, exporter=x, importer=y, destination=end), _LEGS)
                for c in criteria
                for b in bases
                for x, y in legs
            ):
                out.append((members, (start, through, end)))
        self.routes[key] = out
        return out

    def reach(self, criterion: Criterion) -> set[Triple]:
        """The classes (item, buyer class, end use) the criterion may match."""
        if not self.items:
            return set()
        base = self.base()
        items = self.item_reach(criterion)
        buyers = self.buyer_reach(criterion) if items else []
        uses = [
            u for u in self.uses if _may_match(criterion, attrs.evolve(base, end_use=u), _USE_FACTS)
        ]
        return {(i, b, u) for i in items for b in buyers for u in uses}

    def use_classes(self, worlds: tuple[World, World]) -> dict[tuple[str, int], frozenset[str]]:
        """For each (item, buyer class) pair some policy in force reading the end use may
        match, the end uses those policies name (all, when one reads it otherwise): any
        other declared use is ruled as ``other``. Elsewhere every end use is ruled as an
        undeclared one."""
        found: dict[tuple[str, int], frozenset[str]] = {}
        every = frozenset(u for u in self.uses if u is not None)
        seen: set[Criterion] = set()
        for w in worlds:
            for p in w.policies:
                if not p.in_force(self.on) or p.criterion in seen:
                    continue
                seen.add(p.criterion)
                tests = [leaf for leaf in walk(p.criterion) if Fact.END_USE in leaf.reads]
                items = self.item_reach(p.criterion) if tests else []
                if not items:
                    continue
                plain = all(
                    isinstance(t, SetCriterion) and t.family == END_USES and not t.parts
                    for t in tests
                    if not t.parts
                )
                named = uses_named(p.criterion) if plain else every
                for pair in itertools.product(items, self.buyer_reach(p.criterion)):
                    found[pair] = found.get(pair, frozenset()) | named
        return found


def _reach(space: _Space, changed: Iterable[AnyPolicy], worlds: tuple[World, World]) -> set[Triple]:
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
    ranges = [
        DateRange(start, end)
        for start, end in zip(points, [*points[1:], None], strict=True)
        if any(p.in_force(start) for p in scope)
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
    index: dict[tuple[str, str, dt.date, str | None, tuple[str, ...] | None], int] = {}
    declared = (None, *sorted(uses), *([] if other is None else [other]))
    for dates in ranges:
        space = _Space(worlds, dates.start, items, declared, memo)
        triples = _reach(space, scope, worlds)
        named = space.use_classes(worlds) if triples else {}
        for item_id, n, use in triples:
            buyers = space.buyers[n]
            relevant = named.get((item_id, n))
            ruled_as = (
                None
                if relevant is None
                else use
                if use is None or use in relevant or other is None
                else other
            )
            routes: list[tuple[tuple[str, ...] | None, tuple[str, ...] | None]] = [(None, None)]
            start = origins[item_id]
            if transit and start is not None:
                ends = (start, baseline.company(buyers[0]).hq)
                routes += space.transit_routes(ends, space.matching(item_id, n), scope)
            for via, route in routes:
                key = (buyers[0], item_id, dates.start, ruled_as, route)
                k = index.get(key)
                if k is None:
                    k = index[key] = len(requests)
                    requests.append(
                        AccessRequest(
                            buyer=key[0], item=item_id, on=key[2], end_use=key[3], route=route
                        )
                    )
                found.append((buyers, item_id, dates, use, via, k))
    befores = rulings_or_none(baseline, requests)
    afters = rulings_or_none(reformed, requests)
    cells = _merged(found, befores, afters)
    return WorldDiff(baseline, reformed, ids, cells, frozenset(uses), other, transit)


def _merged(
    found: list[Found], befores: list[Ruling | None], afters: list[Ruling | None]
) -> tuple[Difference, ...]:
    """The classes ruled differently, joined where they differ only in transit classes, then
    only in buyers, then only in neighbouring date ranges."""
    by_route: dict[tuple[tuple[str, ...], Ruled, bool], set[str]] = {}
    for buyers, item_id, dates, use, via, k in found:
        before, after = befores[k], afters[k]
        if before is not None and after is not None and before != after:
            ruled = (item_id, dates, use, before, after)
            by_route.setdefault((buyers, ruled, via is None), set()).update(via or ())
    by_buyers: dict[tuple[Ruled, tuple[str, ...] | None], list[str]] = {}
    for (buyers, ruled, direct), states in by_route.items():
        by_buyers.setdefault((ruled, None if direct else tuple(sorted(states))), []).extend(buyers)
    by_dates: dict[
        tuple[tuple[str, ...], str, str | None, tuple[str, ...] | None, Ruling, Ruling],
        list[DateRange],
    ] = {}
    for ((item_id, dates, use, before, after), via), ids in by_buyers.items():
        by_dates.setdefault((tuple(sorted(ids)), item_id, use, via, before, after), []).append(
            dates
        )
    out: list[Difference] = []
    for (buyers, item_id, use, via, before, after), spans in by_dates.items():
        spans.sort(key=lambda d: d.start)
        run = spans[0]
        for d in spans[1:]:
            if run.end == d.start:
                run = DateRange(run.start, d.end)
            else:
                out.append(Difference(Where(buyers, item_id, run, use, via), before, after))
                run = d
        out.append(Difference(Where(buyers, item_id, run, use, via), before, after))
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
