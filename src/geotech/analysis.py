"""Questions over many requests, dates, routes and worlds, answered with the engine.

- ``access_matrix``: one decision per buyer and item on a date, as a typed table.
- ``timeline``: the dates where a request's decision changes, each with the dated events of the
  world (policies, classes, listings, group memberships) that caused it. Computed from the
  world's boundaries: the decision is constant between two consecutive event dates.
- Reforms: named, chainable ``World -> World`` values (rescind or add a policy, authorize or
  de-authorize an importer, change a threshold, list or delist a company); ``compare`` says who
  gains and who loses access between two worlds, from what to what, and which policies did it.
- ``best_route``: the least restrictive route among candidates, with its decision.
- ``lint``: findings about the rules themselves (policies that can never match, policies always
  superseded, contradictory effects without precedence, references to classes out of force or
  to party lists with no active listing), each with ids and an explanation.

Everything here is pure: same world and arguments, same answer.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Callable, Iterable, Sequence

import attrs
from attrs import frozen

from geotech import criteria as c
from geotech import world as gw
from geotech.criteria import Criterion, Op, SpecName
from geotech.engine import AccessRequest, Decision, evaluate_many, resolve_route
from geotech.entities import Chip, Material, Model, member
from geotech.errors import InvalidValueError
from geotech.policies import (
    AnyPolicy,
    Condition,
    EffectKind,
    Restriction,
    ReviewPolicy,
    Side,
    Verdict,
)
from geotech.world import World

__all__ = [
    "AccessMatrix",
    "Cell",
    "Change",
    "ChangePoint",
    "Comparison",
    "Event",
    "EventKind",
    "Finding",
    "FindingKind",
    "Reform",
    "RouteChoice",
    "RouteOption",
    "Shift",
    "Terms",
    "Timeline",
    "access_matrix",
    "add_policy",
    "authorize",
    "best_route",
    "change_threshold",
    "compare",
    "compare_matrices",
    "deauthorize",
    "delist_company",
    "events",
    "lint",
    "list_company",
    "rescind",
    "timeline",
]


@frozen
class Terms:
    """What a decision grants, without its explanation: two decisions with equal terms give
    the same answer (verdict, review, conditions, determining policies, certainty)."""

    verdict: Verdict
    review: ReviewPolicy | None
    conditions: tuple[Condition, ...]
    determining_policies: tuple[str, ...]
    certain: bool

    @classmethod
    def of(cls, decision: Decision) -> Terms:
        return cls(
            verdict=decision.verdict,
            review=decision.review,
            conditions=decision.conditions,
            determining_policies=decision.determining_policies,
            certain=decision.certain,
        )


# ---------------------------------------------------------------------------------------------
# Access matrix


@frozen
class Cell:
    """One buyer x item decision of an access matrix."""

    buyer: str
    item: str
    decision: Decision


@frozen
class AccessMatrix:
    """Decisions for every buyer x item on one date; ``cells`` is row-major (buyer by buyer,
    in the order given, then item by item)."""

    on: dt.date
    buyers: tuple[str, ...]
    items: tuple[str, ...]
    route: tuple[str, ...] | None
    cells: tuple[Cell, ...]

    def decision(self, buyer: str, item: str) -> Decision:
        """The decision for ``buyer`` x ``item`` (``KeyError`` for a pair not in the table)."""
        try:
            i, j = self.buyers.index(buyer), self.items.index(item)
        except ValueError:
            raise KeyError(f"{buyer} x {item} is not in this matrix") from None
        return self.cells[i * len(self.items) + j].decision

    def row(self, buyer: str) -> tuple[Cell, ...]:
        """The cells of one buyer, in item order."""
        i = self.buyers.index(buyer)
        return self.cells[i * len(self.items) : (i + 1) * len(self.items)]


def _distinct(what: str, values: Iterable[str]) -> tuple[str, ...]:
    out = tuple(values)
    twice = sorted({v for v in out if out.count(v) > 1})
    if twice:
        raise InvalidValueError(f"access_matrix.{what}: {twice} listed more than once")
    return out


def access_matrix(
    world: World,
    buyers: Iterable[str],
    items: Iterable[str],
    on: dt.date,
    *,
    route: Sequence[str] | None = None,
) -> AccessMatrix:
    """Evaluate every buyer x item on ``on`` (with ``route`` if given, else each request's
    default route). Raises ``UnknownEntityError`` for an unknown id."""
    bs, its = _distinct("buyers", buyers), _distinct("items", items)
    path = None if route is None else tuple(route)
    requests = [AccessRequest(buyer=b, item=i, on=on, route=path) for b in bs for i in its]
    decisions = evaluate_many(world, requests)
    cells = tuple(
        Cell(buyer=r.buyer, item=r.item, decision=d)
        for r, d in zip(requests, decisions, strict=True)
    )
    return AccessMatrix(on=on, buyers=bs, items=its, route=path, cells=cells)


# ---------------------------------------------------------------------------------------------
# Timeline


class EventKind(enum.StrEnum):
    """A dated change in the world."""

    POLICY_EFFECTIVE = "policy_effective"
    POLICY_EXPIRES = "policy_expires"
    CLASS_EFFECTIVE = "class_effective"
    CLASS_EXPIRES = "class_expires"
    LISTING_START = "listing_start"
    LISTING_END = "listing_end"
    MEMBERSHIP_START = "membership_start"
    MEMBERSHIP_END = "membership_end"


_EVENT_TEXT = {
    EventKind.POLICY_EFFECTIVE: "policy {subject} takes effect",
    EventKind.POLICY_EXPIRES: "policy {subject} expires",
    EventKind.CLASS_EFFECTIVE: "class definition {subject} takes effect",
    EventKind.CLASS_EXPIRES: "class definition {subject} expires",
    EventKind.LISTING_START: "{detail} listed on {subject}",
    EventKind.LISTING_END: "{detail} removed from {subject}",
    EventKind.MEMBERSHIP_START: "{detail} joins group {subject}",
    EventKind.MEMBERSHIP_END: "{detail} leaves group {subject}",
}


@frozen(order=True)
class Event:
    """Something that changes on ``on``: ``subject`` is a policy, class, party list or group
    id; ``detail`` the listed company or the member state."""

    on: dt.date
    kind: EventKind
    subject: str
    detail: str = ""

    def __str__(self) -> str:
        return _EVENT_TEXT[self.kind].format(subject=self.subject, detail=self.detail)


def events(world: World) -> tuple[Event, ...]:
    """Every dated change of the world, sorted by date (then kind and subject). Evaluation
    depends on the date only through these: between two event dates decisions are constant."""
    out: list[Event] = []
    for p in world.policies:
        out.append(Event(p.effective, EventKind.POLICY_EFFECTIVE, p.id))
        if p.expires is not None:
            out.append(Event(p.expires, EventKind.POLICY_EXPIRES, p.id))
    for k in world.classes:
        out.append(Event(k.effective, EventKind.CLASS_EFFECTIVE, k.id))
        if k.expires is not None:
            out.append(Event(k.expires, EventKind.CLASS_EXPIRES, k.id))
    for pl in world.party_lists:
        for x in pl.listings:
            out.append(Event(x.start, EventKind.LISTING_START, pl.id, x.company))
            if x.end is not None:
                out.append(Event(x.end, EventKind.LISTING_END, pl.id, x.company))
    for g in world.groups:
        for m in g.members:
            if m.start is not None:
                out.append(Event(m.start, EventKind.MEMBERSHIP_START, g.id, m.state))
            if m.end is not None:
                out.append(Event(m.end, EventKind.MEMBERSHIP_END, g.id, m.state))
    return tuple(sorted(out))


@frozen
class ChangePoint:
    """On ``on`` the decision changes from ``before`` (the previous day's) to ``after``;
    ``events`` are the world's changes that day that bear on the request."""

    on: dt.date
    before: Decision
    after: Decision
    events: tuple[Event, ...]


@frozen
class Timeline:
    """A request's decisions over [start, end): ``initial`` holds from ``start``, and each
    change point starts a new period."""

    request: AccessRequest
    start: dt.date
    end: dt.date
    initial: Decision
    changes: tuple[ChangePoint, ...]

    def at(self, day: dt.date) -> Decision:
        """The decision in force on ``day`` (as evaluated on the first day of its period)."""
        if not self.start <= day < self.end:
            raise InvalidValueError(
                f"Timeline.at: {day.isoformat()} is outside [{self.start.isoformat()}, "
                f"{self.end.isoformat()})"
            )
        current = self.initial
        for change in self.changes:
            if change.on > day:
                break
            current = change.after
        return current


def timeline(world: World, request: AccessRequest, start: dt.date, end: dt.date) -> Timeline:
    """The change points of ``request`` over [start, end) (``request.on`` is ignored).

    A change point is a date ``d`` with start < d < end whose decision has other ``Terms``
    than the day before. Only the world's event dates are evaluated, never every day.
    """
    if end <= start:
        raise InvalidValueError(
            f"timeline: end {end.isoformat()} must be after start {start.isoformat()}"
        )
    by_date: dict[dt.date, list[Event]] = {}
    for e in events(world):
        if start < e.on < end:
            by_date.setdefault(e.on, []).append(e)
    dates = sorted(by_date)
    decisions = evaluate_many(world, [attrs.evolve(request, on=d) for d in (start, *dates)])
    changes: list[ChangePoint] = []
    for day, before, after in zip(dates, decisions[:-1], decisions[1:], strict=True):
        if Terms.of(before) != Terms.of(after):
            causes = _causes(world, before, after, by_date[day])
            changes.append(ChangePoint(on=day, before=before, after=after, events=causes))
    return Timeline(
        request=request, start=start, end=end, initial=decisions[0], changes=tuple(changes)
    )


def _causes(
    world: World, before: Decision, after: Decision, candidates: list[Event]
) -> tuple[Event, ...]:
    """The events of one day that touch the request: policies in scope, the classes, lists
    and groups those policies test, the buyer's (or an owner's) listings, and memberships of
    the states on the route or where the buyer and its owners are headquartered."""
    scope = {p.id: p for p in (*before.policies, *after.policies)}
    nodes = [n for p in scope.values() for n in c.walk(p.criterion)]
    codes = {code for n in nodes if isinstance(n, c.ItemClass) for code in n.codes}
    lists = {x for n in nodes if isinstance(n, c.BuyerListed) for x in n.lists}
    groups = {g for n in nodes for g in getattr(n, "groups", ())}
    owners = {before.buyer.id, *(a.id for a in world.ancestors(before.buyer.id))}
    places = {
        *before.route,
        before.buyer.hq,
        *(a.hq for a in world.ancestors(before.buyer.id)),
    }
    class_ids = {k.id for k in world.classes if k.code in codes}

    def touches(e: Event) -> bool:
        if e.kind in (EventKind.POLICY_EFFECTIVE, EventKind.POLICY_EXPIRES):
            return e.subject in scope
        if e.kind in (EventKind.CLASS_EFFECTIVE, EventKind.CLASS_EXPIRES):
            return e.subject in class_ids
        if e.kind in (EventKind.LISTING_START, EventKind.LISTING_END):
            return e.subject in lists and e.detail in owners
        return e.subject in groups and e.detail in places

    return tuple(e for e in candidates if touches(e))


# ---------------------------------------------------------------------------------------------
# Reforms


Transform = Callable[[World], World]


def _steps(values: Iterable[Transform]) -> tuple[Transform, ...]:
    return tuple(values)


@frozen
class Reform:
    """A named what-if: a pure ``World -> World`` change. ``a.then(b)`` applies ``a``, then
    ``b``; calling a reform on a world applies it (and validates the result)."""

    name: str
    steps: tuple[Transform, ...] = attrs.field(converter=_steps)

    def __call__(self, world: World) -> World:
        for step in self.steps:
            world = step(world)
        return world

    def then(self, other: Reform) -> Reform:
        return Reform(name=f"{self.name}; then {other.name}", steps=(*self.steps, *other.steps))


def rescind(policy_id: str, on: dt.date | None = None, *, name: str | None = None) -> Reform:
    """Remove a policy (other policies stop naming it in ``supersedes``); with ``on``, end it
    on that date instead (removed outright when it would not yet be in force)."""

    def change(world: World) -> World:
        policy = world.policy(policy_id)
        if on is None or on <= policy.effective:
            return gw.remove_policy(world, policy_id)
        if policy.expires is not None and policy.expires <= on:
            return world
        return gw.amend_policy(world, policy_id, expires=on)

    when = f" from {on.isoformat()}" if on is not None else ""
    return Reform(name=name or f"rescind {policy_id}{when}", steps=(change,))


def add_policy(policy: AnyPolicy, *, name: str | None = None) -> Reform:
    """Add a policy (its id must be new)."""

    def change(world: World) -> World:
        return gw.add_policy(world, policy)

    return Reform(name=name or f"add {policy.id}", steps=(change,))


def _rewrite(
    criterion: Criterion, fn: Callable[[Criterion, bool], Criterion], positive: bool = True
) -> Criterion:
    """The criterion with ``fn(node, positive)`` applied to every leaf; ``positive`` is False
    under an odd number of ``not``."""
    if isinstance(criterion, c.All | c.AnyOf):
        parts = tuple(_rewrite(x, fn, positive) for x in criterion.of)
        return attrs.evolve(criterion, of=parts)
    if isinstance(criterion, c.Not):
        return c.Not(_rewrite(criterion.of, fn, not positive))
    return fn(criterion, positive)


def _authorization(
    world: World, policy_id: str, buyers: Iterable[str], verb: str
) -> tuple[AnyPolicy, list[c.BuyerIs]]:
    """The allow policy and its ``buyer_is`` tests (those outside a ``not``)."""
    policy = world.policy(policy_id)
    for b in buyers:
        world.company(b)
    if policy.effect is not EffectKind.ALLOW:
        raise InvalidValueError(
            f"{verb}: policy {policy_id!r} has effect {policy.effect}, not allow; only an "
            "authorization (an allow naming buyers) can name more or fewer buyers"
        )
    tests = [n for n, pos in _leaves(policy.criterion) if pos and isinstance(n, c.BuyerIs)]
    if not tests:
        raise InvalidValueError(
            f"{verb}: policy {policy_id!r} has no buyer_is test outside a 'not'; add a new "
            "ImportPolicy naming the buyers with add_policy instead"
        )
    return policy, tests


def _leaves(criterion: Criterion, positive: bool = True) -> Iterable[tuple[Criterion, bool]]:
    if isinstance(criterion, c.All | c.AnyOf):
        for x in criterion.of:
            yield from _leaves(x, positive)
    elif isinstance(criterion, c.Not):
        yield from _leaves(criterion.of, not positive)
    else:
        yield criterion, positive


def _with_buyers(
    criterion: Criterion, edit: Callable[[frozenset[str]], frozenset[str]]
) -> Criterion:
    def fn(node: Criterion, positive: bool) -> Criterion:
        if positive and isinstance(node, c.BuyerIs):
            return attrs.evolve(node, ids=edit(node.ids))
        return node

    return _rewrite(criterion, fn)


def authorize(policy_id: str, *buyers: str, name: str | None = None) -> Reform:
    """Name more buyers in an authorization (an allow policy, typically import side, whose
    criterion tests ``buyer_is``)."""
    who = tuple(buyers)

    def change(world: World) -> World:
        policy, _ = _authorization(world, policy_id, who, "authorize")
        criterion = _with_buyers(policy.criterion, lambda ids: ids | set(who))
        return gw.replace_policy(world, attrs.evolve(policy, criterion=criterion))

    return Reform(name=name or f"authorize {', '.join(who)} under {policy_id}", steps=(change,))


def deauthorize(policy_id: str, *buyers: str, name: str | None = None) -> Reform:
    """Remove buyers from an authorization; when it names nobody any more, it is rescinded.
    Raises ``InvalidValueError`` when a buyer is not named by the policy."""
    who = frozenset(buyers)

    def change(world: World) -> World:
        policy, tests = _authorization(world, policy_id, sorted(who), "deauthorize")
        named = frozenset().union(*(n.ids for n in tests))
        missing = sorted(who - named)
        if missing:
            raise InvalidValueError(
                f"deauthorize: policy {policy_id!r} does not name {missing}; it names "
                f"{sorted(named)}"
            )
        if all(n.ids <= who for n in tests):
            return gw.remove_policy(world, policy_id)
        criterion = _with_buyers(policy.criterion, lambda ids: ids - who)
        return gw.replace_policy(world, attrs.evolve(policy, criterion=criterion))

    return Reform(
        name=name or f"deauthorize {', '.join(sorted(who))} under {policy_id}", steps=(change,)
    )


def change_threshold(
    policy_id: str,
    fact: SpecName | str,
    value: float,
    *,
    op: Op | str | None = None,
    name: str | None = None,
) -> Reform:
    """Set the threshold of the policy's ``spec`` tests on ``fact`` (those with ``op`` when
    given) to ``value``. Raises ``InvalidValueError`` when no test matches, or when tests with
    different operators match and ``op`` does not say which."""
    on_fact = member(SpecName, fact, "change_threshold.fact")
    with_op = None if op is None else member(Op, op, "change_threshold.op")

    def change(world: World) -> World:
        policy = world.policy(policy_id)
        specs = [n for n in c.walk(policy.criterion) if isinstance(n, c.Spec)]
        hits = [n for n in specs if n.fact is on_fact and (with_op is None or n.op is with_op)]
        if not hits:
            tests = ", ".join(f"{n.fact} {n.op} {c.fmt(n.value)}" for n in specs) or "none"
            raise InvalidValueError(
                f"change_threshold: policy {policy_id!r} has no spec test on {on_fact}"
                f"{'' if with_op is None else f' with {with_op}'}; its spec tests: {tests}"
            )
        ops = sorted({str(n.op) for n in hits})
        if len(ops) > 1:
            raise InvalidValueError(
                f"change_threshold: policy {policy_id!r} tests {on_fact} with {ops}; pass op= "
                "to say which threshold to change"
            )

        def fn(node: Criterion, positive: bool) -> Criterion:
            if isinstance(node, c.Spec) and node in hits:
                return attrs.evolve(node, value=value)
            return node

        criterion = _rewrite(policy.criterion, fn)
        return gw.replace_policy(world, attrs.evolve(policy, criterion=criterion))

    default = f"set {on_fact}{'' if with_op is None else f' {with_op}'} threshold of {policy_id} "
    return Reform(name=name or default + f"to {c.fmt(float(value))}", steps=(change,))


def list_company(
    party_list: str,
    company: str,
    start: dt.date,
    *,
    end: dt.date | None = None,
    name: str | None = None,
) -> Reform:
    """Put ``company`` on ``party_list`` from ``start`` (until ``end``)."""

    def change(world: World) -> World:
        return gw.list_company(world, party_list, company, start, end=end)

    return Reform(
        name=name or f"list {company} on {party_list} from {start.isoformat()}", steps=(change,)
    )


def delist_company(
    party_list: str, company: str, on: dt.date, *, name: str | None = None
) -> Reform:
    """End every listing of ``company`` on ``party_list`` by ``on``."""

    def change(world: World) -> World:
        return gw.delist_company(world, party_list, company, on)

    return Reform(
        name=name or f"delist {company} from {party_list} on {on.isoformat()}", steps=(change,)
    )


# ---------------------------------------------------------------------------------------------
# Comparison


class Shift(enum.StrEnum):
    """How a decision moved: less restrictive (gains), more (loses), or as restrictive with
    other terms (conditions, determining policies or certainty)."""

    GAINS = "gains"
    LOSES = "loses"
    TERMS = "terms"


@frozen
class Change:
    """One request whose terms differ; ``responsible`` are the policies determining one
    decision and not the other (or, when the same policies determine both, those)."""

    before: Decision
    after: Decision
    responsible: tuple[str, ...]

    @property
    def shift(self) -> Shift:
        a, b = self.before.restriction, self.after.restriction
        return Shift.GAINS if b < a else Shift.LOSES if b > a else Shift.TERMS

    @property
    def buyer(self) -> str:
        return self.before.buyer.id

    @property
    def item(self) -> str:
        return self.before.item.id


@frozen
class Comparison:
    """The requests whose terms differ between two sets of decisions, in request order."""

    compared: int
    changes: tuple[Change, ...]

    @property
    def gains(self) -> tuple[Change, ...]:
        return tuple(x for x in self.changes if x.shift is Shift.GAINS)

    @property
    def losses(self) -> tuple[Change, ...]:
        return tuple(x for x in self.changes if x.shift is Shift.LOSES)


def _diff(pairs: Iterable[tuple[Decision, Decision]]) -> Comparison:
    changes: list[Change] = []
    n = 0
    for before, after in pairs:
        n += 1
        if Terms.of(before) == Terms.of(after):
            continue
        a, b = set(before.determining_policies), set(after.determining_policies)
        responsible = tuple(sorted((a ^ b) or (a | b)))
        changes.append(Change(before=before, after=after, responsible=responsible))
    return Comparison(compared=n, changes=tuple(changes))


def compare(baseline: World, reformed: World, requests: Iterable[AccessRequest]) -> Comparison:
    """Who gains and who loses access from ``baseline`` to ``reformed``. ``compare(w, w, rs)``
    is empty, and ``compare(b, a, rs)`` mirrors ``compare(a, b, rs)``."""
    rs = tuple(requests)
    return _diff(zip(evaluate_many(baseline, rs), evaluate_many(reformed, rs), strict=True))


def compare_matrices(before: AccessMatrix, after: AccessMatrix) -> Comparison:
    """Cell-by-cell comparison of two matrices over the same buyers and items (for instance
    the same world on two dates)."""
    if (before.buyers, before.items) != (after.buyers, after.items):
        raise InvalidValueError(
            "compare_matrices: the matrices must have the same buyers and items in the same "
            f"order; got {before.buyers} x {before.items} and {after.buyers} x {after.items}"
        )
    return _diff((a.decision, b.decision) for a, b in zip(before.cells, after.cells, strict=True))


# ---------------------------------------------------------------------------------------------
# Routes


@frozen
class RouteOption:
    """One candidate route and its decision."""

    route: tuple[str, ...]
    decision: Decision


@frozen
class RouteChoice:
    """Candidate routes ranked from least to most restrictive; ``best`` is the first."""

    options: tuple[RouteOption, ...]

    @property
    def best(self) -> RouteOption:
        return self.options[0]


def _rank(option: RouteOption) -> tuple[Restriction, bool, int, int, tuple[str, ...]]:
    d = option.decision
    return (d.restriction, not d.certain, len(d.conditions), len(option.route), option.route)


def best_route(
    world: World, request: AccessRequest, via: Iterable[Sequence[str]] | None = None
) -> RouteChoice:
    """The least restrictive route from the request's origin to its destination.

    ``via`` lists the candidates as the stops between origin and destination (``()`` is the
    direct route, ``("US",)`` goes through the US); by default the direct route and one stop
    in every other state of the world. The origin is the first state of ``request.route`` when
    given, else the item's origin. Ties go to the certain decision, then fewer conditions,
    then the shorter route, then the alphabetically first.
    """
    buyer, item = world.company(request.buyer), world.item(request.item)
    destination, route = resolve_route(world, request, buyer, item)
    start = route[0]
    if via is None:
        stops: list[tuple[str, ...]] = [()]
        stops += [(s.id,) for s in world.states if s.id not in {start, destination}]
    else:
        stops = [tuple(v) for v in via]
    routes: list[tuple[str, ...]] = []
    for s in stops:
        candidate = (start, *s, destination) if start != destination or s else (destination,)
        if candidate not in routes:
            routes.append(candidate)
    if not routes:
        raise InvalidValueError("best_route: via is empty; give at least one candidate, e.g. ()")
    requests = [attrs.evolve(request, destination=destination, route=r) for r in routes]
    options = [
        RouteOption(route=r, decision=d)
        for r, d in zip(routes, evaluate_many(world, requests), strict=True)
    ]
    return RouteChoice(options=tuple(sorted(options, key=_rank)))


# ---------------------------------------------------------------------------------------------
# Lint


class FindingKind(enum.StrEnum):
    """What is wrong with a rule."""

    NEVER_MATCHES = "never_matches"
    ALWAYS_SUPERSEDED = "always_superseded"
    CONTRADICTION = "contradiction"
    CLASS_OUT_OF_FORCE = "class_out_of_force"
    NO_ACTIVE_LISTING = "no_active_listing"


_KIND_ORDER = {k: i for i, k in enumerate(FindingKind)}


@frozen
class Finding:
    """A problem with the rules: its kind, the ids involved, and an explanation."""

    kind: FindingKind
    ids: tuple[str, ...]
    message: str


def lint(world: World) -> tuple[Finding, ...]:
    """Findings about the world's rules, sorted by kind then ids. Sound but not complete:
    a policy reported as never matching cannot match any request (facts not published count
    as possibly matching); some subtler problems may go unreported."""
    checker = _Checker(world)
    findings: list[Finding] = []
    dead: set[str] = set()
    for p in world.policies:
        reasons = checker.never(p.criterion, p.issuer, p.side, p.effective, p.expires)
        if reasons is not None:
            dead.add(p.id)
            findings.append(
                Finding(
                    FindingKind.NEVER_MATCHES,
                    (p.id,),
                    f"policy {p.id} can never match: {'; '.join(reasons)}",
                )
            )
        findings += _class_gaps(world, p)
        findings += _listing_gaps(world, p)
    live = [p for p in world.policies if p.id not in dead]
    findings += _always_superseded(live)
    findings += _contradictions(checker, live)
    return tuple(sorted(findings, key=lambda f: (_KIND_ORDER[f.kind], f.ids, f.message)))


def _segments(
    dates: Sequence[dt.date], start: dt.date, end: dt.date | None
) -> list[tuple[dt.date, dt.date | None]]:
    """[start, end) cut at the given dates."""
    cuts = [d for d in dates if start < d and (end is None or d < end)]
    bounds: list[dt.date | None] = [start, *cuts, end]
    return [(a, b) for a, b in itertools.pairwise(bounds) if a is not None]


def _class_gaps(world: World, p: AnyPolicy) -> list[Finding]:
    codes = sorted(
        {code for n in c.walk(p.criterion) if isinstance(n, c.ItemClass) for code in n.codes}
    )
    out: list[Finding] = []
    for code in codes:
        defs = [k for k in world.classes if k.code == code]
        dates = sorted({d for k in defs for d in (k.effective, k.expires) if d is not None})
        gaps = [
            (a, b)
            for a, b in _segments(dates, p.effective, p.expires)
            if not any(k.in_force(a) for k in defs)
        ]
        if gaps:
            spans = ", ".join(
                f"{a.isoformat()} to {b.isoformat() if b else 'open end'}" for a, b in gaps
            )
            out.append(
                Finding(
                    FindingKind.CLASS_OUT_OF_FORCE,
                    (p.id, code),
                    f"policy {p.id} tests class {code}, which has no definition in force "
                    f"from {spans} while the policy is; start the policy later or add a definition",
                )
            )
    return out


def _listing_gaps(world: World, p: AnyPolicy) -> list[Finding]:
    lists = sorted(
        {x for n in c.walk(p.criterion) if isinstance(n, c.BuyerListed) for x in n.lists}
    )
    out: list[Finding] = []
    for list_id in lists:
        listings = world.party_list(list_id).listings
        active = any(
            x.start < (p.expires or dt.date.max) and (x.end is None or x.end > p.effective)
            for x in listings
        )
        if not active:
            why = (
                "lists no company"
                if not listings
                else "has no listing active while the policy is in force (all ended or not "
                "yet started)"
            )
            out.append(
                Finding(
                    FindingKind.NO_ACTIVE_LISTING,
                    (p.id, list_id),
                    f"policy {p.id} tests listing on {list_id}, which {why}",
                )
            )
    return out


def _always_superseded(policies: Sequence[AnyPolicy]) -> list[Finding]:
    out: list[Finding] = []
    for p in policies:
        for q in policies:
            if (
                p.id in q.supersedes
                and (q.side, q.issuer) == (p.side, p.issuer)
                and q.effective <= p.effective
                and (q.expires is None or (p.expires is not None and q.expires >= p.expires))
                and _implies(p.criterion, q.criterion)
            ):
                out.append(
                    Finding(
                        FindingKind.ALWAYS_SUPERSEDED,
                        (p.id, q.id),
                        f"policy {p.id} never applies: whenever it matches, {q.id} (in force "
                        f"all that time) matches too and supersedes it",
                    )
                )
    return out


def _implies(a: Criterion, b: Criterion) -> bool:
    """Whether ``a`` true forces ``b`` true, judged on the structure (sound, not complete)."""
    if a == b:
        return True
    if isinstance(b, c.All):
        return all(_implies(a, x) for x in b.of)
    if isinstance(a, c.AnyOf):
        return all(_implies(x, b) for x in a.of)
    if isinstance(a, c.All) and any(_implies(x, b) for x in a.of):
        return True
    if isinstance(b, c.AnyOf):
        return any(_implies(a, x) for x in b.of)
    if isinstance(a, c.Spec) and isinstance(b, c.Spec) and a.fact is b.fact:
        return _spec_implies(a, b)
    if isinstance(a, c.ItemIs | c.BuyerIs | c.ItemKind) and type(a) is type(b):
        return _members(a) <= _members(b)
    if isinstance(a, c.ExporterIn | c.ImporterIn | c.DestinationIn | c.BuyerHeadquartered):
        return type(a) is type(b) and a.states <= b.states and a.groups <= b.groups
    return False


def _members(node: c.ItemIs | c.BuyerIs | c.ItemKind) -> frozenset[str]:
    return node.kinds if isinstance(node, c.ItemKind) else node.ids


def _spec_implies(a: c.Spec, b: c.Spec) -> bool:
    lower = {Op.GE, Op.GT}
    if (a.op in lower) != (b.op in lower):
        return False
    if a.op in lower:
        return a.value > b.value or (a.value == b.value and (a.op is Op.GT or b.op is Op.GE))
    return a.value < b.value or (a.value == b.value and (a.op is Op.LT or b.op is Op.LE))


def _clash(p: AnyPolicy, q: AnyPolicy) -> bool:
    """Whether one policy allows what the other restricts, the allow declaring no precedence.

    An allow that supersedes some policies is a targeted exception (an authorization lifting
    a block, a suspension lifting a ban): other restrictions it meets are meant to stand.
    Two restrictions of different strength are layering: the stricter is meant to win.
    """
    opening = {Verdict.ALLOWED, Verdict.CONDITIONAL}
    allows = [x for x in (p, q) if x.verdict in opening]
    return len(allows) == 1 and not allows[0].supersedes


def _contradictions(checker: _Checker, policies: Sequence[AnyPolicy]) -> list[Finding]:
    out: list[Finding] = []
    for p, q in itertools.combinations(policies, 2):
        if (
            (p.side, p.issuer) != (q.side, q.issuer)
            or p.id in q.supersedes
            or q.id in p.supersedes
            or not _clash(p, q)
        ):
            continue
        start = max(p.effective, q.effective)
        ends = [e for e in (p.expires, q.expires) if e is not None]
        end = min(ends) if ends else None
        if end is not None and end <= start:
            continue
        day = checker.first_match((p.criterion, q.criterion), p.issuer, p.side, start, end)
        if day is None:
            continue
        loose, strict = sorted((p, q), key=lambda x: x.restriction)
        out.append(
            Finding(
                FindingKind.CONTRADICTION,
                (p.id, q.id),
                f"{loose.id} ({Restriction.of(loose.verdict, loose.review)}) and {strict.id} "
                f"({Restriction.of(strict.verdict, strict.review)}) can match the same request "
                f"(from {day.isoformat()}): one allows what the other restricts and neither "
                f"supersedes the other, so {strict.id} always wins; if {loose.id} is an "
                f'exception, add supersedes = ["{strict.id}"] to it',
            )
        )
    return out


# -- satisfiability of criteria (used by lint) ------------------------------------------------

_Literal = tuple[Criterion, bool]
#: Past this many conjunctive branches a criterion is assumed satisfiable (lint stays sound).
MAX_BRANCHES = 512


class _TooComplexError(Exception):
    pass


_ITEM_TYPES = (Chip, Model, Material)


def _kinds_having(attribute: str) -> frozenset[str]:
    return frozenset(t.kind for t in _ITEM_TYPES if hasattr(t, attribute))


_NEGATED = {Op.GE: Op.LT, Op.GT: Op.LE, Op.LT: Op.GE, Op.LE: Op.GT}


def _join(
    parts: Sequence[list[tuple[_Literal, ...]]], *, conjunction: bool
) -> list[tuple[_Literal, ...]]:
    """Branches of the conjunction (or disjunction) of criteria given by their branches."""
    if conjunction:
        out: list[tuple[_Literal, ...]] = [()]
        for part in parts:
            out = [a + b for a in out for b in part]
            if len(out) > MAX_BRANCHES:
                raise _TooComplexError
        return out
    merged = [b for part in parts for b in part]
    if len(merged) > MAX_BRANCHES:
        raise _TooComplexError
    return merged


class _Checker:
    """Decides whether a criterion can be true for some request on some day of a period.

    The criterion is put in disjunctive normal form (``item_class`` replaced by the
    definitions in force on the day); each branch is a conjunction of literals checked
    against the world: concrete sets of states and companies, value intervals for specs,
    and the world's items when the branch names them. Unpublished facts count as possibly
    matching, so "unsatisfiable" is always right.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        self.dates = sorted({e.on for e in events(world)})
        self.states = frozenset(s.id for s in world.states)
        self.companies = frozenset(x.id for x in world.companies)
        self._sets: dict[tuple[Criterion, dt.date], frozenset[str]] = {}

    def never(
        self, criterion: Criterion, issuer: str, side: Side, start: dt.date, end: dt.date | None
    ) -> list[str] | None:
        """None if the criterion can match on some day of [start, end); else the reasons."""
        reasons: set[str] = set()
        for day, _ in _segments(self.dates, start, end):
            why = self._day((criterion,), issuer, side, day)
            if why is None:
                return None
            reasons.update(why)
        return sorted(reasons)[:3] or ["no request can meet it"]

    def first_match(
        self,
        criteria: Sequence[Criterion],
        issuer: str,
        side: Side,
        start: dt.date,
        end: dt.date | None,
    ) -> dt.date | None:
        """The first day of [start, end) on which all the criteria can match at once."""
        for day, _ in _segments(self.dates, start, end):
            if self._day(criteria, issuer, side, day) is None:
                return day
        return None

    def _day(
        self, criteria: Sequence[Criterion], issuer: str, side: Side, day: dt.date
    ) -> list[str] | None:
        notes: list[str] = []
        try:
            branches = _join([self._dnf(x, True, day, notes) for x in criteria], conjunction=True)
        except _TooComplexError:
            return None
        reasons = list(notes)
        for branch in branches:
            why = self._branch(branch, issuer, side, day)
            if why is None:
                return None
            reasons.append(why)
        return reasons

    def _dnf(
        self, node: Criterion, positive: bool, day: dt.date, notes: list[str]
    ) -> list[tuple[_Literal, ...]]:
        """The branches of ``node`` (negated unless ``positive``), ``item_class`` expanded
        into the definitions in force on ``day`` (the first by id, as the engine does)."""
        if isinstance(node, c.Not):
            return self._dnf(node.of, not positive, day, notes)
        if isinstance(node, c.ItemClass):
            defs = [
                k.criterion
                for code in sorted(node.codes)
                for k in [k for k in self.world.classes if k.code == code and k.in_force(day)][:1]
            ]
            if not defs:
                notes.append(f"class {', '.join(sorted(node.codes))} is not in force")
            parts = [self._dnf(d, positive, day, notes) for d in defs]
            return _join(parts, conjunction=not positive)
        if isinstance(node, c.All | c.AnyOf):
            parts = [self._dnf(x, positive, day, notes) for x in node.of]
            return _join(parts, conjunction=isinstance(node, c.All) == positive)
        return [((node, positive),)]

    def _places(
        self, node: c.ExporterIn | c.ImporterIn | c.DestinationIn, day: dt.date
    ) -> frozenset[str]:
        """The states ``node`` contains on ``day``."""
        key = (node, day)
        if key not in self._sets:
            self._sets[key] = frozenset(
                s
                for s in self.states
                if s in node.states
                or any(self.world.group_contains(g, s, day) for g in node.groups)
            )
        return self._sets[key]

    def _buyers(
        self, node: c.BuyerIs | c.BuyerListed | c.BuyerHeadquartered, day: dt.date
    ) -> frozenset[str]:
        """The companies that pass the buyer test ``node`` on ``day`` (as the engine judges)."""
        key = (node, day)
        if key in self._sets:
            return self._sets[key]
        w = self.world
        out: set[str] = set()
        for cid in self.companies:
            chain = (w.company(cid), *w.ancestors(cid))
            if isinstance(node, c.BuyerIs):
                hit = cid in node.ids
            elif isinstance(node, c.BuyerListed):
                who = chain if node.affiliates else chain[:1]
                hit = any(w.listed(lst, x.id, day) for x in who for lst in node.lists)
            else:
                hit = any(
                    hq in node.states or any(w.group_contains(g, hq, day) for g in node.groups)
                    for hq in {chain[0].hq, chain[-1].hq}
                )
            if hit:
                out.add(cid)
        self._sets[key] = frozenset(out)
        return self._sets[key]

    def _branch(
        self, branch: tuple[_Literal, ...], issuer: str, side: Side, day: dt.date
    ) -> str | None:
        """None if the conjunction can be true on ``day``; else why not."""
        item = _ItemSpace()
        buyers = set(self.companies)
        exporters, destinations = set(self.states), set(self.states)
        importers = {issuer} if side is Side.IMPORT else set(self.states) - {issuer}
        uses: set[str] | None = None
        banned_uses: set[str] = set()
        for node, positive in branch:
            if isinstance(node, c.ExporterIn | c.ImporterIn | c.DestinationIn):
                target = {
                    c.ExporterIn: exporters,
                    c.ImporterIn: importers,
                    c.DestinationIn: destinations,
                }[type(node)]
                found = self._places(node, day)
                if positive:
                    target &= found
                else:
                    target -= found
            elif isinstance(node, c.Reexport):
                if positive:
                    exporters.discard(issuer)
                else:
                    exporters &= {issuer}
            elif isinstance(node, c.BuyerIs | c.BuyerListed | c.BuyerHeadquartered):
                found = self._buyers(node, day)
                if positive:
                    buyers &= found
                else:
                    buyers -= found
            elif isinstance(node, c.EndUse):
                if positive:
                    uses = set(node.uses) if uses is None else uses & node.uses
                else:
                    banned_uses |= node.uses
            else:
                item.add(node, positive)
        if not buyers:
            return "no company meets the buyer tests"
        if not exporters or not importers or (exporters == importers and len(exporters) == 1):
            return "no leg (exporter -> importer) meets the place tests"
        if not destinations:
            return "no destination meets the place tests"
        if uses is not None and not uses - banned_uses:
            return "no end use meets the end-use tests"
        return item.reason(self.world)


@frozen
class _Bound:
    value: float
    inclusive: bool


_POSITIVE = _Bound(0.0, False)


class _ItemSpace:
    """The items a conjunction of item literals admits, tracked symbolically."""

    def __init__(self) -> None:
        self.kinds: set[str] = {t.kind for t in _ITEM_TYPES}
        self.ids: set[str] | None = None
        self.excluded: set[str] = set()
        self.datacenter: set[bool] = {True, False}
        self.lower: dict[SpecName, _Bound] = {}
        self.upper: dict[SpecName, _Bound] = {}
        self.tests: dict[SpecName, list[str]] = {}

    def add(self, node: Criterion, positive: bool) -> None:
        if isinstance(node, c.ItemKind):
            self.kinds = self.kinds & node.kinds if positive else self.kinds - node.kinds
        elif isinstance(node, c.ItemIs):
            if positive:
                self.ids = set(node.ids) if self.ids is None else self.ids & node.ids
            else:
                self.excluded |= node.ids
        elif isinstance(node, c.Datacenter):
            self.kinds &= _kinds_having("datacenter")
            self.datacenter &= {node.value if positive else not node.value}
        elif isinstance(node, c.Spec):
            op = node.op if positive else _NEGATED[node.op]
            self.kinds &= _kinds_having(str(node.fact))
            self.tests.setdefault(node.fact, []).append(f"{node.fact} {op} {c.fmt(node.value)}")
            bound = _Bound(node.value, op in (Op.GE, Op.LE))
            if op in (Op.GE, Op.GT):
                # Published figures are > 0: start from that floor; higher (or equal but
                # exclusive) bounds are stricter.
                old = self.lower.get(node.fact, _POSITIVE)
                if (bound.value, not bound.inclusive) > (old.value, not old.inclusive):
                    self.lower[node.fact] = bound
            else:
                old_upper = self.upper.get(node.fact)
                if old_upper is None or (bound.value, bound.inclusive) < (
                    old_upper.value,
                    old_upper.inclusive,
                ):
                    self.upper[node.fact] = bound
        else:
            raise TypeError(f"not an item criterion: {node!r}")

    def _admits(self, fact: SpecName, value: float) -> bool:
        lo, hi = self.lower.get(fact, _POSITIVE), self.upper.get(fact)
        return (value > lo.value or (lo.inclusive and value == lo.value)) and (
            hi is None or value < hi.value or (hi.inclusive and value == hi.value)
        )

    def reason(self, world: World) -> str | None:
        for fact in sorted(self.upper):
            lo, hi = self.lower.get(fact, _POSITIVE), self.upper[fact]
            if hi.value < lo.value or (
                hi.value == lo.value and not (lo.inclusive and hi.inclusive)
            ):
                return f"{' and '.join(self.tests[fact])} leave no possible value"
        if not self.datacenter:
            return "the item would have to be both a datacenter part and not one"
        if not self.kinds:
            return "no item kind passes the item tests (kind, specs, datacenter)"
        if self.ids is None:
            return None
        if any(self._fits(world.item(i)) for i in sorted(self.ids - self.excluded)):
            return None
        return (
            f"none of the items {{{', '.join(sorted(self.ids))}}} passes the other item tests "
            "(kind, specs, datacenter, class definitions)"
        )

    def _fits(self, item: Chip | Model | Material) -> bool:
        if item.kind not in self.kinds:
            return False
        observed = getattr(item, "datacenter", None)
        if observed is not None and observed not in self.datacenter:
            return False
        for fact in {*self.lower, *self.upper}:
            value = getattr(item, str(fact), None)
            if value is not None and not self._admits(fact, value):
                return False
        return True
