"""The engine: evaluate an access request against a world.

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

import itertools
from collections.abc import Sequence

from geotech.criteria import Facts, Step, Truth
from geotech.engine.decision import (
    AccessRequest,
    Decision,
    Explanation,
    Leg,
    Outcome,
    PolicyResult,
    Ruling,
    explanation_parts,
)
from geotech.engine.semantics import OPEN, certain, restriction_range, supersede, union
from geotech.entities import Chip, Company, Item, Model
from geotech.errors import InvalidRequestError
from geotech.policies import AnyPolicy, Side
from geotech.world import World


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
            outcomes.append(judge_leg(world, request, buyer, item, destination, leg, side, scope))
    return decide(request, route, outcomes, used, buyer, item)


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


def judge_leg(
    world: World,
    request: AccessRequest,
    buyer: Company,
    item: Item,
    destination: str,
    leg: Leg,
    side: Side,
    scope: Sequence[AnyPolicy],
) -> Outcome:
    """The outcome on one leg and side from the policies in scope there (steps 2 to 4)."""
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
    remaining, set_aside = supersede(matching)
    key = max((p.restriction for p in remaining), default=OPEN)
    determining = [p for p in remaining if p.restriction == key]
    lowest, highest = restriction_range(matching, unknown, key)
    considered = tuple(
        PolicyResult(p.id, step.truth, step, set_aside.get(p.id, ())) for p, step in judged
    )
    return Outcome(
        leg=leg,
        side=side,
        verdict=key.verdict,
        review=key.review,
        conditions=union(p.conditions for p in determining),
        determining_policies=tuple(sorted(p.id for p in determining)),
        considered=tuple(sorted(considered, key=lambda r: r.policy)),
        certain=lowest == highest,
        lowest=lowest,
        highest=highest,
    )


def decide(
    request: AccessRequest,
    route: tuple[str, ...],
    outcomes: list[Outcome],
    used: dict[str, AnyPolicy],
    buyer: Company,
    item: Item,
) -> Decision:
    """The decision over all legs and sides (steps 5 and 6)."""
    key = max((o.restriction for o in outcomes), default=OPEN)
    ruling = Ruling(
        verdict=key.verdict,
        review=key.review,
        conditions=union(o.conditions for o in outcomes),
        determining_policies=tuple(
            sorted({p for o in outcomes if o.restriction == key for p in o.determining_policies})
        ),
        applying_policies=tuple(
            sorted({r.policy for o in outcomes for r in o.considered if r.applies})
        ),
        certain=certain(outcomes, key),
    )
    explanation = Explanation.of(*explanation_parts(outcomes, used))
    return Decision(request, route, ruling, explanation, buyer, item)
