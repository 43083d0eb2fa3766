"""One request's route, and the judgment of one leg and side with every in-scope policy's
trace: what decisions are explained with (``geotech.engine.evaluate`` states the semantics).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from geotech.criteria import Facts, Step, Truth
from geotech.engine.decision import AccessRequest, Leg, Outcome, PolicyResult
from geotech.engine.semantics import OPEN, restriction_range, supersede, union
from geotech.entities import Company, Item
from geotech.errors import InvalidRequestError
from geotech.policies import AnyPolicy, Side
from geotech.world import World


def origin(world: World, item: Item) -> str | None:
    """Where an item starts by default: its designer's, developer's or producer's headquarters
    state, or its only jurisdiction; ``None`` when there is no single answer."""
    maker = world.maker(item)
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
