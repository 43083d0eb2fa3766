"""The engine: evaluate an access request against a world and explain the decision.

Semantics (docs/concepts.md states them in full):

1. The route is split into legs (A -> B). On each leg, the export side holds the export
   policies in force whose issuer's controls reach the item (the issuer is the leg's exporter,
   or one of the item's jurisdictions) unless the leg enters the issuer's own territory; the
   import side holds the import policies in force issued by the leg's importer.
2. Each policy's criterion evaluates to true / false / unknown with a trace.
3. A matching policy that another matching policy supersedes is set aside.
4. Per leg and side the outcome is the most restrictive remaining effect (``Verdict`` order,
   then review policy); no matching policy gives ALLOWED. Conditions are the union over the
   determining policies (those whose effect equals the outcome).
5. The decision's verdict is the most restrictive outcome; its conditions are the union of all
   outcomes' conditions.
6. Policies whose match is unknown do not move the verdict; they are reported with the facts
   they need, and ``certain`` is False when some completion of those facts would change it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

import attrs
from attrs import frozen

from geotech.criteria import Facts, Step, Truth
from geotech.entities import Chip, Company, Item, Model, day, state_code
from geotech.errors import InvalidRequestError, InvalidValueError
from geotech.policies import (
    AnyPolicy,
    Condition,
    ReviewPolicy,
    Side,
    Verdict,
    condition_key,
    restriction,
)
from geotech.world import World

#: Up to this many unknown-match policies on one leg and side, certainty is decided exactly
#: by trying every combination; beyond it, conservatively (never claiming a false certainty).
EXACT_UNKNOWNS = 10

Key = tuple[Verdict, int]
_OPEN: Key = restriction(Verdict.ALLOWED, None)


def _route(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


def _quantity(instance: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise InvalidValueError(f"AccessRequest.quantity: expected a count >= 1, got {value!r}")


@frozen
class Leg:
    """One border crossing of a route."""

    exporter: str
    importer: str

    def __str__(self) -> str:
        return f"{self.exporter} -> {self.importer}"


@frozen
class AccessRequest:
    """Could ``buyer`` obtain ``item`` on ``on``?

    ``destination`` defaults to the buyer's headquarters (or the route's end); ``route`` lists
    the states the item passes through, ending at the destination, and defaults to the item's
    origin (its designer's or developer's state) followed by the destination.
    """

    buyer: str
    item: str
    on: dt.date = attrs.field(validator=day)
    destination: str | None = attrs.field(default=None, validator=state_code)
    route: tuple[str, ...] | None = attrs.field(default=None, converter=_route)
    quantity: int | None = attrs.field(default=None, validator=_quantity)
    end_use: str | None = None


@frozen
class PolicyResult:
    """How one in-scope policy fared: its match, trace, and who set it aside."""

    policy: str
    truth: Truth
    trace: Step
    set_aside_by: tuple[str, ...] = ()

    @property
    def applies(self) -> bool:
        """Matched and not set aside."""
        return self.truth is Truth.TRUE and not self.set_aside_by


@frozen
class Outcome:
    """The result on one leg and one side."""

    leg: Leg
    side: Side
    verdict: Verdict
    review: ReviewPolicy | None
    conditions: tuple[Condition, ...]
    determining_policies: tuple[str, ...]
    considered: tuple[PolicyResult, ...]
    certain: bool
    lowest: Key = attrs.field(repr=False)
    highest: Key = attrs.field(repr=False)

    @property
    def key(self) -> Key:
        return restriction(self.verdict, self.review)


@frozen
class Unknown:
    """A policy whose match depends on facts the world or the request does not give."""

    policy: str
    leg: Leg
    side: Side
    needs: frozenset[str]


Parts = tuple[tuple[Outcome, ...], tuple[Unknown, ...], tuple[AnyPolicy, ...]]


class Explanation:
    """Why a decision came out as it did: the outcome of each leg and side with every
    in-scope policy's trace, the unknown facts, and the policies in scope.

    Immutable. ``evaluate`` builds it with the decision; ``evaluate_many`` builds it the first
    time it is read, so a batch whose explanations are never read never builds them. Either
    way the parts are the same: explanations compare, hash and pickle by them.
    """

    __slots__ = ("_build", "_parts")

    def __init__(self, build: Callable[[], Parts]) -> None:
        self._build: Callable[[], Parts] | None = build
        self._parts: Parts | None = None

    @classmethod
    def of(
        cls,
        outcomes: tuple[Outcome, ...],
        unknowns: tuple[Unknown, ...],
        policies: tuple[AnyPolicy, ...],
    ) -> Explanation:
        """An explanation from its parts, already built."""
        made = cls.__new__(cls)
        made._build, made._parts = None, (outcomes, unknowns, policies)
        return made

    @property
    def parts(self) -> Parts:
        parts = self._parts
        if parts is None:
            assert self._build is not None
            # a race between threads builds equal parts twice; either result is kept
            parts = self._parts = self._build()
            self._build = None
        return parts

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """Per leg of the route, the export side's outcome, then the import side's."""
        return self.parts[0]

    @property
    def unknowns(self) -> tuple[Unknown, ...]:
        """The in-scope policies whose match is unknown, with the facts each needs."""
        return self.parts[1]

    @property
    def policies(self) -> tuple[AnyPolicy, ...]:
        """Every policy in scope on some leg and side, by id."""
        return self.parts[2]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Explanation):
            return NotImplemented
        return self is other or self.parts[:2] == other.parts[:2]

    def __hash__(self) -> int:
        return hash(self.parts[:2])

    def __repr__(self) -> str:
        return f"Explanation(outcomes={self.outcomes!r}, unknowns={self.unknowns!r})"

    def __reduce__(self) -> tuple[Callable[..., Explanation], Parts]:
        return Explanation.of, self.parts


@frozen
class Ruling:
    """A decision without its explanation: verdict, review, conditions, the determining and
    the applying policies (matching and not set aside, over all legs and sides), certainty.

    Equal facts give one ruling: batch paths share ruling objects between requests.
    """

    verdict: Verdict
    review: ReviewPolicy | None
    conditions: tuple[Condition, ...]
    determining_policies: tuple[str, ...]
    applying_policies: tuple[str, ...]
    certain: bool


@frozen
class Decision:
    """The answer to an access request, with everything needed to explain it: the request as
    asked, the route it was decided on, the ruling, and the explanation.

    Decisions are equal when their requests, routes, rulings and explanations are.
    """

    request: AccessRequest
    #: the states the item passes through, ending at the destination (defaults applied)
    route: tuple[str, ...]
    ruling: Ruling
    explanation: Explanation = attrs.field(repr=False)
    buyer: Company = attrs.field(eq=False, repr=False)
    item: Item = attrs.field(eq=False, repr=False)

    @property
    def destination(self) -> str:
        """Where the item ends up: the last state of the route."""
        return self.route[-1]

    @property
    def verdict(self) -> Verdict:
        """The most restrictive outcome over all legs and sides."""
        return self.ruling.verdict

    @property
    def review(self) -> ReviewPolicy | None:
        """How a license application is reviewed, when the verdict is LICENSE_REQUIRED."""
        return self.ruling.review

    @property
    def conditions(self) -> tuple[Condition, ...]:
        """The union of every outcome's conditions."""
        return self.ruling.conditions

    @property
    def determining_policies(self) -> tuple[str, ...]:
        """The policies behind the verdict, by id."""
        return self.ruling.determining_policies

    @property
    def certain(self) -> bool:
        """Whether no completion of the unknown facts could change the verdict or review."""
        return self.ruling.certain

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """Per leg of the route, the export side's outcome, then the import side's."""
        return self.explanation.outcomes

    @property
    def unknowns(self) -> tuple[Unknown, ...]:
        """The in-scope policies whose match is unknown, with the facts each needs."""
        return self.explanation.unknowns

    @property
    def policies(self) -> tuple[AnyPolicy, ...]:
        """Every policy in scope on some leg and side, by id."""
        return self.explanation.policies

    def explain(self) -> str:
        """A human-readable account: verdict, conditions, determining policies with their
        citations, each leg and side with the criteria trace, and unknown facts."""
        return "\n".join(_explain(self))


# ---------------------------------------------------------------------------------------------


def evaluate(world: World, request: AccessRequest) -> Decision:
    """Decide ``request`` in ``world``. Pure: same inputs, same decision.

    Raises ``UnknownEntityError`` for an unknown buyer, item or state, and
    ``InvalidRequestError`` for a route that does not fit the request; domain outcomes
    (including unknown facts) never raise.
    """
    buyer = world.company(request.buyer)
    item = world.item(request.item)
    destination, route = resolve_route(world, request, buyer, item)
    in_force = tuple(p for p in world.policies if p.in_force(request.on))
    jurisdictions = world.jurisdictions(item)

    outcomes: list[Outcome] = []
    used: dict[str, AnyPolicy] = {}
    for exporter, importer in itertools.pairwise(route):
        leg = Leg(exporter, importer)
        export_scope = [
            p
            for p in in_force
            if p.side is Side.EXPORT
            and (p.issuer == exporter or p.issuer in jurisdictions)
            and p.issuer != importer
        ]
        import_scope = [p for p in in_force if p.side is Side.IMPORT and p.issuer == importer]
        for side, scope in ((Side.EXPORT, export_scope), (Side.IMPORT, import_scope)):
            used.update((p.id, p) for p in scope)
            outcomes.append(_outcome(world, request, buyer, item, destination, leg, side, scope))
    return _decide(request, route, outcomes, used, buyer, item)


def evaluate_many(world: World, requests: Iterable[AccessRequest]) -> list[Decision]:
    """``[evaluate(world, r) for r in requests]``, in order, computed on the world's compiled
    index (``geotech.batch``); each decision's explanation is built the first time it is
    read."""
    from geotech.batch import Evaluator  # batch builds on this module

    return Evaluator(world).decisions(requests)


def origin(world: World, item: Item) -> str | None:
    """Where an item starts by default: its designer's or developer's headquarters state,
    or its only jurisdiction; ``None`` when there is no single answer."""
    maker = (
        item.designer
        if isinstance(item, Chip)
        else (item.developer if isinstance(item, Model) else None)
    )
    if maker is not None:
        return world.company(maker).hq
    return next(iter(item.jurisdictions)) if len(item.jurisdictions) == 1 else None


def resolve_route(
    world: World, request: AccessRequest, buyer: Company, item: Item
) -> tuple[str, tuple[str, ...]]:
    """The request's destination and full route, with defaults applied and checked."""
    destination = request.destination
    if destination is None:
        destination = request.route[-1] if request.route else buyer.hq
    world.state(destination)
    if request.route is not None:
        route = request.route
        if not route:
            raise InvalidRequestError("AccessRequest.route: empty; give at least the destination")
        for s in route:
            world.state(s)
        if route[-1] != destination:
            raise InvalidRequestError(
                f"AccessRequest.route: ends at {route[-1]} but the destination is {destination}; "
                "end the route at the destination"
            )
        for a, b in itertools.pairwise(route):
            if a == b:
                raise InvalidRequestError(
                    f"AccessRequest.route: {a} follows itself in {list(route)}; list each "
                    "crossing once"
                )
        return destination, route
    start = origin(world, item)
    if start is None:
        raise InvalidRequestError(
            f"AccessRequest.route: item {item.id!r} has no single origin; give the route "
            "(the states it passes through, ending at the destination)"
        )
    return destination, (destination,) if start == destination else (start, destination)


def _outcome(
    world: World,
    request: AccessRequest,
    buyer: Company,
    item: Item,
    destination: str,
    leg: Leg,
    side: Side,
    scope: Sequence[AnyPolicy],
) -> Outcome:
    facts_by_issuer: dict[str, Facts] = {}
    judged: list[tuple[AnyPolicy, Step]] = []
    for p in scope:
        facts = facts_by_issuer.get(p.issuer)
        if facts is None:
            facts = Facts(
                registry=world,
                on=request.on,
                item=item,
                buyer=buyer,
                exporter=leg.exporter,
                importer=leg.importer,
                destination=destination,
                issuer=p.issuer,
                end_use=request.end_use,
            )
            facts_by_issuer[p.issuer] = facts
        judged.append((p, p.criterion.evaluate(facts)))

    matching = [p for p, step in judged if step.truth is Truth.TRUE]
    unknown = [p for p, step in judged if step.truth is Truth.UNKNOWN]
    remaining, set_aside = _supersede(matching)
    key = max((p.restriction for p in remaining), default=_OPEN)
    determining = [p for p in remaining if p.restriction == key]
    lowest, highest = _range(matching, unknown, key)
    considered = tuple(
        PolicyResult(p.id, step.truth, step, set_aside.get(p.id, ())) for p, step in judged
    )
    return Outcome(
        leg=leg,
        side=side,
        verdict=key[0],
        review=_review(key),
        conditions=_union(p.conditions for p in determining),
        determining_policies=tuple(sorted(p.id for p in determining)),
        considered=tuple(sorted(considered, key=lambda r: r.policy)),
        certain=lowest == highest,
        lowest=lowest,
        highest=highest,
    )


def _supersede(matching: Sequence[AnyPolicy]) -> tuple[list[AnyPolicy], dict[str, tuple[str, ...]]]:
    set_aside: dict[str, tuple[str, ...]] = {}
    for p in matching:
        by = tuple(sorted(q.id for q in matching if p.id in q.supersedes))
        if by:
            set_aside[p.id] = by
    return [p for p in matching if p.id not in set_aside], set_aside


def _key_of(matching: Sequence[AnyPolicy]) -> Key:
    remaining, _ = _supersede(matching)
    return max((p.restriction for p in remaining), default=_OPEN)


def _range(matching: list[AnyPolicy], unknown: list[AnyPolicy], key: Key) -> tuple[Key, Key]:
    """The least and most restrictive outcome over completions of the unknown matches."""
    if not unknown:
        return key, key
    if len(unknown) <= EXACT_UNKNOWNS:
        keys = [
            _key_of(matching + [u for i, u in enumerate(unknown) if mask >> i & 1])
            for mask in range(1 << len(unknown))
        ]
        return min(keys), max(keys)
    everything = (p.restriction for p in (*matching, *unknown))
    return _OPEN, max(everything, default=_OPEN)


def _review(key: Key) -> ReviewPolicy | None:
    return ReviewPolicy(key[1]) if key[0] is Verdict.LICENSE_REQUIRED and key[1] >= 0 else None


def _union(groups: Iterable[Iterable[Condition]]) -> tuple[Condition, ...]:
    return tuple(sorted({c for g in groups for c in g}, key=condition_key))


class _Bounds(Protocol):
    @property
    def lowest(self) -> Key: ...

    @property
    def highest(self) -> Key: ...


def _certain(outcomes: Sequence[_Bounds], key: Key) -> bool:
    """Whether every completion keeps the most restrictive outcome at ``key``: none can rise
    above it, and one that reaches it cannot fall below it."""
    return all(o.highest <= key for o in outcomes) and (
        not outcomes or any(o.lowest == key for o in outcomes)
    )


def explanation_parts(outcomes: Sequence[Outcome], used: dict[str, AnyPolicy]) -> Parts:
    """An explanation's parts from the outcomes and the policies in scope."""
    unknowns = tuple(
        Unknown(r.policy, o.leg, o.side, r.trace.needs)
        for o in outcomes
        for r in o.considered
        if r.truth is Truth.UNKNOWN
    )
    return tuple(outcomes), unknowns, tuple(used[k] for k in sorted(used))


def _decide(
    request: AccessRequest,
    route: tuple[str, ...],
    outcomes: list[Outcome],
    used: dict[str, AnyPolicy],
    buyer: Company,
    item: Item,
) -> Decision:
    key = max((o.key for o in outcomes), default=_OPEN)
    ruling = Ruling(
        verdict=key[0],
        review=_review(key),
        conditions=_union(o.conditions for o in outcomes),
        determining_policies=tuple(
            sorted({p for o in outcomes if o.key == key for p in o.determining_policies})
        ),
        applying_policies=tuple(
            sorted({r.policy for o in outcomes for r in o.considered if r.applies})
        ),
        certain=_certain(outcomes, key),
    )
    explanation = Explanation.of(*explanation_parts(outcomes, used))
    return Decision(request, route, ruling, explanation, buyer, item)


# ---------------------------------------------------------------------------------------------
# Explanation


def verdict_text(verdict: Verdict, review: ReviewPolicy | None) -> str:
    """``LICENSE_REQUIRED (case-by-case)`` style text for a verdict and review."""
    if review is None:
        return verdict.name
    words = review.name.lower().replace("_", " ").replace("case by case", "case-by-case")
    return f"{verdict.name} ({words})"


def _explain(d: Decision) -> list[str]:
    r = d.request
    by_id = {p.id: p for p in d.policies}
    route = " -> ".join(d.route)
    head = f"{d.buyer.name} ({d.buyer.id}) x {d.item.name} ({d.item.id}) on {r.on.isoformat()}"
    extras = [f"route {route}"]
    if r.quantity is not None:
        extras.append(f"quantity {r.quantity:,}")
    if r.end_use is not None:
        extras.append(f"end use {r.end_use}")
    lines = [head + ", " + ", ".join(extras)]
    certainty = "certain" if d.certain else "NOT certain: depends on unknown facts"
    lines.append(f"Verdict: {verdict_text(d.verdict, d.review)} [{certainty}]")
    if d.conditions:
        lines.append("Conditions:")
        lines += [f"  - {c}" for c in d.conditions]
    if d.determining_policies:
        lines.append("Determined by:")
        for pid in d.determining_policies:
            lines.append(f"  - {_cite(by_id[pid])}")
    else:
        lines.append("Determined by: no policy restricts this request")
    shown: set[str] = set()
    for o in d.outcomes:
        lines.append(f"Leg {o.leg}, {o.side} side: {verdict_text(o.verdict, o.review)}")
        if not o.considered:
            lines.append("    no policy in scope")
        for res in o.considered:
            mark = (
                "applies"
                if res.applies
                else (
                    f"set aside by {', '.join(res.set_aside_by)}"
                    if res.set_aside_by
                    else str(res.truth)
                )
            )
            lines.append(f"    {res.policy} [{mark}]")
            if res.truth is not Truth.FALSE:
                lines += _trace_lines(res.trace, 3, shown)
    if d.unknowns:
        lines.append("Unknown facts:")
        for u in d.unknowns:
            lines.append(f"  - {u.policy} ({u.leg}, {u.side}) needs {', '.join(sorted(u.needs))}")
    return lines


def _trace_lines(step: Step, indent: int, shown: set[str]) -> list[str]:
    """A trace as indented lines; a class definition's trace is printed the first time only."""
    out = [f"{'  ' * indent}{step.text}: {step.truth}"]
    if step.text.startswith("class ") and step.children:
        if step.text in shown:
            return [out[0] + " (as above)"]
        shown.add(step.text)
    for child in step.children:
        out += _trace_lines(child, indent + 1, shown)
    return out


def _cite(p: AnyPolicy) -> str:
    when = f"effective {p.effective.isoformat()}"
    if p.expires is not None:
        when += f" until {p.expires.isoformat()}"
    parts = [f"{p.id}: {p.title}", f"{p.issuer} {p.side} policy", when]
    if p.citation:
        parts.append(p.citation)
    if p.status.value != "official":
        parts.append(p.status.value)
    text = "; ".join(parts)
    if p.sources:
        text += f" <{p.sources[0]}>"
    return text
