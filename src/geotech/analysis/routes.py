"""Routes: the least restrictive route among candidates, with its decision."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs
from attrs import frozen

from geotech import frames
from geotech.engine import AccessRequest, Decision, evaluate_many, resolve_route
from geotech.errors import InvalidValueError
from geotech.policies import (
    Restriction,
)
from geotech.world import World


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

    def rows(self) -> tuple[dict[str, object], ...]:
        """One row per candidate, best first: rank (1 is best), buyer, item, route and the
        decision's terms (``geotech.frames.terms``)."""
        return tuple(
            {
                "rank": rank,
                "buyer": o.decision.buyer.id,
                "item": o.decision.item.id,
                "route": o.route,
                **frames.decision_terms(o.decision),
            }
            for rank, o in enumerate(self.options, start=1)
        )

    def to_frame(self) -> Any:
        """``rows()`` as a ``pandas.DataFrame`` (extra ``pandas``)."""
        return frames.to_frame(self.rows())


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
