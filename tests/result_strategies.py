"""Hypothesis strategies for results: decisions and what the analyses, compute and supply
make of them, built by running geotech on generated worlds (or on the catalogue where the
result needs real specs and supply data)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from hypothesis import strategies as st

from geotech import AccessRequest, Decision, World, analysis, catalog, compute, evaluate, supply
from geotech import strategies as gs

CATALOGUE_DAYS = st.dates(dt.date(2022, 1, 1), dt.date(2026, 12, 31))
COMPUTE_CHIPS = ("nvidia-h100-sxm", "nvidia-h200", "nvidia-h20", "huawei-ascend-910c")
BUYERS = ("bytedance", "tencent", "openai", "huawei")


@st.composite
def world_requests(draw: st.DrawFn) -> tuple[World, AccessRequest]:
    world = draw(gs.worlds(max_policies=5))
    return world, draw(gs.requests(world))


@st.composite
def decisions(draw: st.DrawFn) -> Decision:
    world, request = draw(world_requests())
    return evaluate(world, request)


@st.composite
def access_matrices(draw: st.DrawFn) -> analysis.AccessMatrix:
    world, request = draw(world_requests())
    items = sorted(world.ids("item"))
    chosen = draw(st.lists(st.sampled_from(items), min_size=1, max_size=2, unique=True))
    if request.route is None:
        chosen = [request.item]
    return analysis.access_matrix(world, [request.buyer], chosen, request.on, route=request.route)


@st.composite
def timelines(draw: st.DrawFn) -> analysis.Timeline:
    world, request = draw(world_requests())
    return analysis.timeline(world, request, request.on, request.on + dt.timedelta(days=800))


@st.composite
def comparisons(draw: st.DrawFn) -> analysis.Comparison:
    world, request = draw(world_requests())
    added = draw(gs.new_policies(world, request))
    reformed = attrs.evolve(world, policies=(*world.policies, added))
    return analysis.compare(world, reformed, [request])


@st.composite
def route_choices(draw: st.DrawFn) -> analysis.RouteChoice:
    world, request = draw(world_requests())
    return analysis.best_route(world, request, via=[()])


@st.composite
def findings(draw: st.DrawFn) -> tuple[analysis.Finding, ...]:
    return analysis.lint(draw(gs.worlds(max_policies=5)))


@st.composite
def accessible_computes(draw: st.DrawFn) -> compute.AccessibleCompute:
    orders = [
        compute.Order(chip=chip, quantity=draw(st.integers(1, 100_000)))
        for chip in draw(st.lists(st.sampled_from(COMPUTE_CHIPS), max_size=3, unique=True))
    ]
    buyer = draw(st.sampled_from(BUYERS))
    return compute.accessible_compute(catalog.world(), buyer, draw(CATALOGUE_DAYS), orders)


@st.composite
def compute_gaps(draw: st.DrawFn) -> compute.ComputeGap:
    a, b = draw(accessible_computes()), draw(accessible_computes())
    return compute.compute_gap(a, b, utilization=draw(st.floats(0.05, 1.0)))


@st.composite
def exposures(draw: st.DrawFn) -> supply.Exposure:
    world = catalog.world()
    producer = draw(st.sampled_from(sorted(world.ids("company"))))
    return supply.exposure(world, producer, draw(CATALOGUE_DAYS))


@st.composite
def chokepoint_lists(draw: st.DrawFn) -> tuple[supply.Chokepoint, ...]:
    threshold = draw(st.floats(0.05, 1.0))
    return supply.chokepoints(catalog.world(), draw(CATALOGUE_DAYS), threshold)


@st.composite
def counter_scenarios(draw: st.DrawFn) -> supply.CounterScenario:
    world = catalog.world()
    dropped = draw(st.sampled_from([p.id for p in world.policies if not _superseding(world, p.id)]))
    scenario = attrs.evolve(world, policies=[p for p in world.policies if p.id != dropped])
    producers = draw(st.lists(st.sampled_from(BUYERS), min_size=1, max_size=2, unique=True))
    return supply.counter_scenario(world, scenario, draw(CATALOGUE_DAYS), producers)


def _superseding(world: World, policy: str) -> bool:
    return any(policy in p.supersedes for p in world.policies)


#: Each result type with a strategy of its values, for round-trip laws.
RESULTS: dict[Any, st.SearchStrategy[Any]] = {
    Decision: decisions(),
    analysis.AccessMatrix: access_matrices(),
    analysis.Timeline: timelines(),
    analysis.Comparison: comparisons(),
    analysis.RouteChoice: route_choices(),
    tuple[analysis.Finding, ...]: findings(),
    compute.AccessibleCompute: accessible_computes(),
    compute.ComputeGap: compute_gaps(),
    supply.Exposure: exposures(),
    tuple[supply.Chokepoint, ...]: chokepoint_lists(),
    supply.CounterScenario: counter_scenarios(),
}
