"""The request space of two worlds on one date, in classes no rule in force tells apart.

``diff`` and ``what_it_takes`` decide one request per class instead of every request. Two
items, buyers, end uses or transit states are in one class when every test of every policy in
force in either world that reads them gives both the same truth (with the other facts of the
request equal), so the engine rules their requests alike. A test that reads one of them
together with another fact (a buyer test that also reads the item, say) keeps every member of
that kind in a class of its own.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Hashable, Iterable, Sequence

import attrs
from attrs import frozen

from geotech.analysis.cases import uses_named
from geotech.analysis.transit import (
    LEG_FACTS,
    RouteTests,
    grouped_states,
    route_tests,
    transit_classes,
)
from geotech.criteria import (
    END_USES,
    Criterion,
    Entity,
    Fact,
    Facts,
    Literal,
    SetCriterion,
    Truth,
    days,
    item_facts,
    truth,
    walk,
)
from geotech.engine import origin
from geotech.entities import Item
from geotech.policies import AnyPolicy
from geotech.world import World

__all__ = [
    "RequestSpace",
    "Triple",
    "Unchanged",
    "buyer_classes",
    "may_match",
    "may_truth",
    "transit_classes",
]

_ITEM_FACTS = frozenset({Fact.ITEM, Fact.ON})
_BUYER_FACTS = frozenset({Fact.BUYER, Fact.DESTINATION, Fact.ON})
_USE_FACTS = frozenset({Fact.END_USE, Fact.ON})
_BUYER_SIDE = frozenset({Fact.BUYER, Fact.DESTINATION})
_LEGS = frozenset({Fact.EXPORTER, Fact.IMPORTER, Fact.DESTINATION, Fact.ON})
#: ``RequestSpace.relevant``'s key for the policies of every end use (no end use's name)
_EVERY_USE = "*"

#: a class of requests: item, buyer class (by index) and end use
Triple = tuple[str, int, str | None]


def may_truth(leaf: Criterion, facts: Facts) -> Truth:
    """A leaf's truth on ``facts``, judged through its literal when it has one (no trace is
    written)."""
    return judge_leaf(leaf, leaf.literal(facts.issuer), facts)


def judge_leaf(leaf: Criterion, found: Literal | None, facts: Facts) -> Truth:
    """``may_truth`` with the leaf's literal for ``facts.issuer`` already found."""
    if found is None:
        return leaf.evaluate(facts).truth
    return found.judge(getattr(facts, found.context), facts.on, facts.registry)


def may_match(criterion: Criterion, facts: Facts, known: frozenset[Fact]) -> bool:
    """Whether the criterion can hold when only the leaves reading ``known`` facts are judged
    on ``facts`` (every other leaf unknown, and so is a leaf with days of its own: what it
    says of one date may not hold on the next, and answers are shared across dates)."""

    def leaf(node: Criterion) -> Truth:
        if node.reads <= known and not node.days():
            return may_truth(node, facts)
        return Truth.UNKNOWN

    return truth(criterion, leaf) is not Truth.FALSE


def _leaves(
    worlds: Sequence[World], on: dt.date, facts: frozenset[Fact]
) -> list[tuple[str, Criterion]]:
    """The (issuer, leaf) pairs of the policies in force in either world whose leaf reads
    one of ``facts``, each once."""
    found: dict[tuple[str, Criterion], None] = {}
    for w in worlds:
        for p in w.policies:
            if p.in_force(on):
                for leaf in walk(p.criterion):
                    if not leaf.parts and leaf.reads & facts:
                        found.setdefault((p.issuer, leaf))
    return list(found)


def _same_records(a: World, b: World) -> bool:
    """Whether two worlds hold equal records but for their policies."""
    return all(
        getattr(a, f.name) == getattr(b, f.name)
        for f in attrs.fields(World)
        if f.init and f.name != "policies"
    )


def buyer_classes(
    worlds: Sequence[World],
    on: dt.date,
    memo: dict[tuple[int, str], tuple[Truth, ...]] | None = None,
) -> list[tuple[str, ...]]:
    """Buyers grouped so that no rule of either world in force on ``on`` tells two of one
    group apart on the default route (which ends at the buyer's headquarters): same
    headquarters, same truth of every leaf reading the buyer or the destination. ``memo``
    keeps a leaf's truths per company (valid while no listing, group membership or class
    definition changes; a leaf with days of its own is judged anew)."""
    memo = {} if memo is None else memo
    leaves = [
        (leaf, leaf.literal(""), bool(leaf.days())) for _, leaf in _leaves(worlds, on, _BUYER_SIDE)
    ]
    opaque = any(not leaf.reads <= _BUYER_FACTS for leaf, _, _ in leaves)
    world = worlds[0]
    items: list[Item] = [*world.chips, *world.models, *world.materials, *world.equipment]
    item = items[0] if items else None
    # a world that differs from the first only in its policies judges every buyer alike
    judging = [world, *(w for w in worlds[1:] if not _same_records(world, w))]
    bases = [item_facts(w, on, item) for w in judging] if item is not None else []
    groups: dict[Hashable, list[str]] = {}
    for c in world.companies:
        if item is None or opaque:
            key: Hashable = c.id
        else:
            facts: list[Facts] = []
            truths: list[tuple[Truth, ...]] = []
            for leaf, found, dated in leaves:
                held = None if dated else memo.get((id(leaf), c.id))
                if held is None:
                    if not facts:
                        for w, base in zip(judging, bases, strict=True):
                            company = w.company(c.id)
                            facts.append(attrs.evolve(base, buyer=company, destination=company.hq))
                    held = tuple(judge_leaf(leaf, found, f) for f in facts)
                    if not dated:
                        memo[id(leaf), c.id] = held
                truths.append(held)
            key = (c.hq, tuple(truths))
        groups.setdefault(key, []).append(c.id)
    return [tuple(sorted(ids)) for ids in groups.values()]


@frozen
class RequestSpace:
    """The request classes of one date: items, buyer classes (by index, found when first
    needed) and end uses; ``memo`` keeps which items each criterion may match, shared across
    dates with the same class definitions in force. Every query is memoised; memos name a
    criterion by its identity (the worlds hold each one while the space is used)."""

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
    relevant: dict[tuple[str, int, str | None], tuple[AnyPolicy, ...]] = attrs.field(
        eq=False, factory=dict
    )
    in_force: list[AnyPolicy] = attrs.field(eq=False, factory=list)
    item_memo: dict[int, frozenset[str]] = attrs.field(eq=False, factory=dict)
    buyer_memo: dict[int, frozenset[int]] = attrs.field(eq=False, factory=dict)
    use_memo: dict[tuple[int, str | None], bool] = attrs.field(eq=False, factory=dict)
    leg_memo: dict[tuple[int, str, str, str], bool] = attrs.field(eq=False, factory=dict)
    tests: dict[tuple[int, ...], RouteTests] = attrs.field(eq=False, factory=dict)
    classes: dict[RouteTests, tuple[tuple[str, ...], ...]] = attrs.field(eq=False, factory=dict)
    #: the truths of a route test per state (kept while no group membership changes)
    leg_truths: dict[tuple[Literal, str], tuple[Truth, ...]] = attrs.field(eq=False, factory=dict)
    index: dict[str, int] = attrs.field(eq=False, factory=dict)
    by_item: dict[str, list[AnyPolicy]] = attrs.field(eq=False, factory=dict)
    #: whether a criterion may match a company as buyer (kept while no listing or
    #: membership changes)
    buyer_truths: dict[tuple[int, str], bool] = attrs.field(eq=False, factory=dict)
    #: the truths of a buyer leaf per company (``buyer_classes``; kept as ``buyer_truths``)
    buyer_leaves: dict[tuple[int, str], tuple[Truth, ...]] = attrs.field(eq=False, factory=dict)
    #: the truth of an item leaf (for an issuer) per item and world (kept while no class
    #: definition starts or ends)
    item_truths: dict[tuple[str, int, str], tuple[Truth, ...]] = attrs.field(eq=False, factory=dict)
    item_class: dict[str, str] = attrs.field(eq=False, factory=dict)

    @property
    def world(self) -> World:
        return self.worlds[0]

    @property
    def buyers(self) -> tuple[tuple[str, ...], ...]:
        """The buyer classes of the date (``buyer_classes``)."""
        if self.on not in self.found:
            found = buyer_classes(self.worlds, self.on, self.buyer_leaves)
            self.found[self.on] = tuple(found)
        return self.found[self.on]

    def buyer_class(self, company: str) -> int:
        """The index of the company's buyer class."""
        if not self.index:
            self.index.update((c, n) for n, group in enumerate(self.buyers) for c in group)
        return self.index[company]

    def base(self) -> Facts:
        return item_facts(self.world, self.on, self.items[0])

    def item_classes(self, among: Iterable[str]) -> dict[str, str]:
        """The class of each item of ``among`` (ids), named by its first member (in the order
        of ``items``): items with the same origin, the same states whose export controls
        reach them, and the same truth of every leaf reading the item (judged for its
        policy's issuer) of the policies in force in either world."""
        if self.item_class:
            return self.item_class
        wanted = set(among)
        leaves: dict[tuple[str, Criterion], None] = {}
        for p in self.live:
            for leaf in walk(p.criterion):
                if not leaf.parts and Fact.ITEM in leaf.reads:
                    leaves.setdefault((p.issuer, leaf))
        opaque = any(not leaf.reads <= _ITEM_FACTS | {Fact.ISSUER} for _, leaf in leaves)
        first: dict[Hashable, str] = {}
        for item in self.items:
            if item.id not in wanted:
                continue
            key: Hashable = item.id
            if not opaque:
                truths: list[Hashable] = [origin(self.world, item)]
                truths += [w.jurisdictions(item) for w in self.worlds]
                truths += [self.item_truth(issuer, leaf, item) for issuer, leaf in leaves]
                key = tuple(truths)
            self.item_class[item.id] = first.setdefault(key, item.id)
        return self.item_class

    def item_truth(self, issuer: str, leaf: Criterion, item: Item) -> tuple[Truth, ...]:
        """The truth of an item leaf for the item in each world."""
        key = (issuer, id(leaf), item.id)
        found = self.item_truths.get(key)
        if found is None:
            found = self.item_truths[key] = tuple(
                may_truth(leaf, item_facts(w, self.on, item, issuer)) for w in self.worlds
            )
        return found

    def end_use_classes(self) -> dict[str | None, str | None]:
        """Each end use's class, named by its first member (undeclared is alone): uses with
        the same truth of every leaf reading the end use in either world."""
        leaves = [leaf for _, leaf in _leaves(self.worlds, self.on, frozenset({Fact.END_USE}))]
        opaque = any(not leaf.reads <= _USE_FACTS for leaf in leaves)
        base = self.base()
        first: dict[Hashable, str | None] = {}
        out: dict[str | None, str | None] = {}
        for use in self.uses:
            key: Hashable = use
            if use is not None and not opaque:
                facts = attrs.evolve(base, end_use=use)
                key = ("declared", tuple(leaf.evaluate(facts).truth for leaf in leaves))
            out[use] = first.setdefault(key, use)
        return out

    def item_reach(self, criterion: Criterion) -> list[str]:
        defined = tuple(k.id for k in self.world.classes if k.in_force(self.on))
        key = (id(criterion), defined)
        found = self.memo.get(key)
        if found is None:
            base = self.base()
            found = self.memo[key] = [
                i.id
                for i in self.items
                if may_match(criterion, attrs.evolve(base, item=i), _ITEM_FACTS)
            ]
        return found

    def buyer_reach(self, criterion: Criterion) -> list[int]:
        """The buyer classes the criterion may match on the default route (the destination
        is the buyer's headquarters)."""
        base = self.base()
        out = []
        for n, group in enumerate(self.buyers):
            key = (id(criterion), group[0])
            hit = self.buyer_truths.get(key)
            if hit is None:
                company = self.world.company(group[0])
                facts = attrs.evolve(base, buyer=company, destination=company.hq)
                hit = self.buyer_truths[key] = may_match(criterion, facts, _BUYER_FACTS)
            if hit:
                out.append(n)
        return out

    def matching(self, item_id: str, n: int) -> tuple[AnyPolicy, ...]:
        """The policies in force in either world that may match the item and buyer class
        ``n`` (whatever the route and end use)."""
        key = (item_id, n, _EVERY_USE)
        found = self.relevant.get(key)
        if found is None:
            if not self.by_item:
                for p in self.live:
                    for i in self.items_of(p):
                        self.by_item.setdefault(i, []).append(p)
            found = self.relevant[key] = tuple(
                p for p in self.by_item.get(item_id, ()) if n in self.buyers_of(p)
            )
        return found

    def matching_use(self, item_id: str, n: int, use: str | None) -> tuple[AnyPolicy, ...]:
        """Those of ``matching`` that may match the end use (``None``: undeclared) too: any
        other is false on every route for that item, any buyer of the class and any end use
        its end-use tests judge as they judge ``use``."""
        key = (item_id, n, use)
        found = self.relevant.get(key)
        if found is None:
            found = self.relevant[key] = tuple(
                p for p in self.matching(item_id, n) if self.use_may_match(p, use)
            )
        return found

    def use_may_match(self, p: AnyPolicy, use: str | None) -> bool:
        """Whether the policy's criterion may match the end use (``may_match`` judging only
        the leaves that read the end use alone)."""
        key = (id(p), use)
        found = self.use_memo.get(key)
        if found is None:
            facts = attrs.evolve(self.base(), end_use=use)
            found = self.use_memo[key] = may_match(p.criterion, facts, _USE_FACTS)
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
        self,
        ends: tuple[str, str],
        relevant: tuple[AnyPolicy, ...],
        scope: Iterable[AnyPolicy],
        ruling: tuple[AnyPolicy, ...],
    ) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """The transit classes the ``relevant`` policies tell apart (``transit_classes``) on
        which some of them in ``scope`` may match on a leg of the route from ``ends[0]``
        through the class to ``ends[1]``: per class, its states and a route through a state
        that is neither end. ``ruling`` (some of ``relevant``; any other is false on these
        routes) tell no two states of that route's class apart: classes they do not tell
        apart get one route, through the first state of their ``ruling`` class that is
        neither end."""
        ids = tuple(map(id, relevant))
        key = (ends, ids, tuple(map(id, ruling)))
        if key in self.routes:
            return self.routes[key]
        start, end = ends
        criteria = [p.criterion for p in scope if id(p) in ids]
        plain = not any(leaf.reads & LEG_FACTS for c in criteria for leaf in walk(c))
        out: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        coarser = {s: members for members in self.grouped(ruling) for s in members}
        for members in self.grouped(relevant):
            through = next((s for s in members if s not in ends), None)
            if through is None:
                continue
            if plain or any(
                self.leg_may_match(c, leg, end)
                for c in criteria
                for leg in ((start, through), (through, end))
            ):
                ruled = next(s for s in coarser[through] if s not in ends)
                out.append((members, (start, ruled, end)))
        self.routes[key] = out
        return out

    def grouped(self, policies: tuple[AnyPolicy, ...]) -> tuple[tuple[str, ...], ...]:
        """``transit_classes`` of the policies, kept per ``route_tests``."""
        ids = tuple(map(id, policies))
        tests = self.tests.get(ids)
        if tests is None:
            tests = self.tests[ids] = route_tests(policies)
        classes = self.classes.get(tests)
        if classes is None:
            classes = self.classes[tests] = grouped_states(
                self.worlds, self.on, tests, self.leg_truths
            )
        return classes

    def leg_may_match(self, criterion: Criterion, leg: tuple[str, str], end: str) -> bool:
        """Whether the criterion may match in some world on the leg (exporter, importer) of
        a route to ``end`` (``may_match`` judging only the leaves that read the leg)."""
        key = (id(criterion), *leg, end)
        found = self.leg_memo.get(key)
        if found is None:
            x, y = leg
            found = self.leg_memo[key] = any(
                may_match(
                    criterion,
                    attrs.evolve(
                        item_facts(w, self.on, self.items[0]),
                        exporter=x,
                        importer=y,
                        destination=end,
                    ),
                    _LEGS,
                )
                for w in self.worlds
            )
        return found

    def reach(self, criterion: Criterion) -> set[Triple]:
        """The classes (item, buyer class, end use) the criterion may match."""
        if not self.items:
            return set()
        base = self.base()
        items = self.item_reach(criterion)
        buyers = self.buyer_reach(criterion) if items else []
        uses = [
            u for u in self.uses if may_match(criterion, attrs.evolve(base, end_use=u), _USE_FACTS)
        ]
        return {(i, b, u) for i in items for b in buyers for u in uses}

    def named_uses(self) -> dict[tuple[str, int], frozenset[str]]:
        """For each (item, buyer class) pair some policy in force reading the end use may
        match, the end uses those policies name (all, when one reads it otherwise): any
        other declared use is ruled as ``other``. Elsewhere every end use is ruled as an
        undeclared one."""
        found: dict[tuple[str, int], frozenset[str]] = {}
        every = frozenset(u for u in self.uses if u is not None)
        seen: set[Criterion] = set()
        for w in self.worlds:
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


@frozen
class Unchanged:
    """What changes from one date's request space to the next one's: the policies in force in
    either world on only one of the two dates (each with the space where it is in force) or
    whose criterion has a day of its own in between (``Criterion.days``), the
    companies listed or unlisted (on the party lists some of those policies name) and the
    states joining or leaving a group in between, and whether ``everything`` may change: a
    class definition starts or ends, or a world's window is entered or left. ``holds`` says
    when a request asked on the later date is ruled as it was on the earlier one."""

    policies: tuple[tuple[AnyPolicy, RequestSpace], ...]
    listed: frozenset[str]
    moved: frozenset[str]
    everything: bool
    worlds: tuple[World, World]
    memo: dict[tuple[str, str], bool] = attrs.field(eq=False, factory=dict)

    @classmethod
    def between(cls, before: RequestSpace, after: RequestSpace) -> Unchanged:
        """The changes from ``before.on`` (exclusive) to ``after.on`` (inclusive)."""
        was = {id(p): p for p in before.live}
        now = {id(p): p for p in after.live}
        policies = tuple(
            [(p, before) for k, p in was.items() if k not in now]
            + [(p, after) for k, p in now.items() if k not in was]
        )

        def changed(day: dt.date | None) -> bool:
            return day is not None and before.on < day <= after.on

        # a policy whose criterion has a day of its own in between may rule anew
        policies += tuple(
            (p, after)
            for k, p in now.items()
            if k in was and any(changed(day) for day in days(p.criterion))
        )

        read: set[str] = set()
        for p in (*before.live, *after.live):
            for leaf in walk(p.criterion):
                for ref in leaf.references():
                    if ref.entity is Entity.PARTY_LIST:
                        read |= ref.ids
        listed: set[str] = set()
        moved: set[str] = set()
        everything = False
        for w in after.worlds:
            window = w.window
            everything = (
                everything
                or any(k.in_force(before.on) != k.in_force(after.on) for k in w.classes)
                or (window is not None and window.contains(before.on) != window.contains(after.on))
            )
            for lst in w.party_lists:
                if lst.id in read:
                    listed.update(
                        x.company for x in lst.listings if changed(x.start) or changed(x.end)
                    )
            for g in w.groups:
                moved.update(m.state for m in g.members if changed(m.start) or changed(m.end))
        return cls(policies, frozenset(listed), frozenset(moved), everything, after.worlds)

    @property
    def empty(self) -> bool:
        """Whether nothing changes."""
        return not (self.policies or self.listed or self.moved or self.everything)

    def holds(self, buyer: str, item: str, route: tuple[str, ...]) -> bool:
        """Whether a request of ``buyer`` for ``item`` on ``route`` (the states it passes
        through) is ruled alike on both dates: no policy that starts or ends may match the
        item and the buyer's class, no listing of the buyer or of a company holding or
        parenting it changes, no state of the route joins or leaves a group, and not
        ``everything`` may change."""
        if self.everything or (self.moved and not self.moved.isdisjoint(route)):
            return False
        key = (buyer, item)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = not self.relisted(buyer) and not any(
                item in space.items_of(p) and space.buyer_class(buyer) in space.buyers_of(p)
                for p, space in self.policies
            )
        return found

    def relisted(self, buyer: str) -> bool:
        """Whether the buyer, or a company parenting it or holding a stake in it, is listed
        or unlisted."""
        if not self.listed:
            return False
        related = {buyer}
        for w in self.worlds:
            related.update(c.id for c in (*w.ancestors(buyer), *w.holders(buyer)))
        return bool(self.listed & related)
