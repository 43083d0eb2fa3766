"""Every law of DESIGN.md as a Hypothesis property (docs/laws.md maps each law to its test).

The worlds and requests come from ``geotech.strategies``; the laws themselves are the checks
of ``geotech.testing``, so this file only says what to feed them. Each world is drawn with a
few requests, and the laws are also run on the embedded catalogue and on the H200-story world.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geotech import AccessRequest, Decision, Verdict, World, catalog, evaluate, io
from geotech import strategies as gs
from geotech import testing as laws
from geotech.criteria import Criterion
from geotech.policies import AnyPolicy, Condition, Restriction

settings.register_profile(
    "geotech-laws",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
LAWS = settings.get_profile("geotech-laws")
#: Fewer examples where one example is costly (every policy removed and moved in turn).
FEW = settings(LAWS, max_examples=12)


@st.composite
def cases(draw: st.DrawFn, most: int = 4) -> tuple[World, list[AccessRequest]]:
    """A world and 1..``most`` requests over it."""
    world = draw(gs.worlds())
    return world, draw(st.lists(gs.requests(world), min_size=1, max_size=most))


def _restriction(decision: Decision) -> tuple[Verdict, int]:
    return Restriction.of(decision.verdict, decision.review)


def _shuffler(rnd: random.Random) -> laws.Permutation:
    def permute(records: Sequence[Any]) -> Sequence[Any]:
        out = list(records)
        rnd.shuffle(out)
        return out

    return permute


# ---------------------------------------------------------------------------------------------
# Determinism, order, batches


@LAWS
@given(cases())
def test_evaluation_is_deterministic_and_pure(case: tuple[World, list[AccessRequest]]) -> None:
    world, requests = case
    for request in requests:
        laws.check_deterministic(world, request)


@LAWS
@given(cases(), st.randoms(use_true_random=False))
def test_permuting_records_changes_no_decision(
    case: tuple[World, list[AccessRequest]], rnd: random.Random
) -> None:
    world, requests = case
    laws.check_order_independent(world, requests, _shuffler(rnd))


@LAWS
@given(cases(most=6), st.data())
def test_batch_equals_one_by_one(case: tuple[World, list[AccessRequest]], data: Any) -> None:
    world, requests = case
    repeated = [*requests, *data.draw(st.lists(st.sampled_from(requests), max_size=2))]
    laws.check_batch(world, repeated)


@LAWS
@given(cases(), st.data())
def test_batch_raises_what_evaluate_raises(
    case: tuple[World, list[AccessRequest]], data: Any
) -> None:
    world, requests = case
    stranger = AccessRequest(buyer="nobody", item=requests[0].item, on=requests[0].on)
    at = data.draw(st.integers(0, len(requests)))
    laws.check_batch(world, [*requests[:at], stranger, *requests[at:]])


# ---------------------------------------------------------------------------------------------
# The verdict algebra


@LAWS
@given(cases())
def test_sides_compose_by_max(case: tuple[World, list[AccessRequest]]) -> None:
    world, requests = case
    for request in requests:
        laws.check_max_composition(world, request)


@LAWS
@given(cases())
def test_no_policy_in_force_means_allowed(case: tuple[World, list[AccessRequest]]) -> None:
    world, requests = case
    for request in requests:
        laws.check_no_policy_in_force(world, request)


@FEW
@given(cases(most=2))
def test_a_policy_outside_its_dates_has_no_effect(case: tuple[World, list[AccessRequest]]) -> None:
    world, requests = case
    for request in requests:
        laws.check_out_of_dates(world, request)


@LAWS
@given(st.data())
def test_adding_a_policy_never_loosens(data: Any) -> None:
    world, requests = data.draw(cases(most=6))
    # New policies meet the most restricted requests: where a loosening would show.
    decided = sorted(requests, key=lambda r: _restriction(evaluate(world, r)), reverse=True)
    for near in decided[:2]:
        laws.check_monotone_add(world, data.draw(gs.new_policies(world, near)), requests)


@LAWS
@given(cases())
def test_removing_a_policy_never_tightens(case: tuple[World, list[AccessRequest]]) -> None:
    world, requests = case
    for policy in world.policies:
        if not policy.supersedes:
            laws.check_monotone_remove(world, policy.id, requests)


# ---------------------------------------------------------------------------------------------
# Three-valued soundness


@LAWS
@given(st.data())
def test_completing_unknown_facts_keeps_every_certain_answer(data: Any) -> None:
    world, requests = data.draw(cases(most=6))
    for request in requests:
        # The drawn world is one completion of a blurred copy; a random completion is another.
        blurred_world, blurred_request = data.draw(gs.blurs(world, request))
        laws.check_sound(blurred_world, blurred_request, world, request)
        completed_world, completed_request = data.draw(
            gs.completions(blurred_world, blurred_request)
        )
        laws.check_sound(blurred_world, blurred_request, completed_world, completed_request)


# ---------------------------------------------------------------------------------------------
# Serialization


ROUND_TRIPS: list[tuple[str, st.SearchStrategy[Any], Any]] = [
    ("state", gs.states(), None),
    ("membership", gs.memberships(), None),
    ("country group", gs.country_groups(), None),
    ("company", gs.companies(), None),
    ("throughput", gs.throughputs(), None),
    ("chip", gs.chips(), None),
    ("model", gs.models(), None),
    ("material", gs.materials(), None),
    ("listing", gs.listings(), None),
    ("party list", gs.party_lists(), None),
    ("supply share", gs.supply_shares(), None),
    ("dependency", gs.dependencies(), None),
    ("criterion", gs.criteria(), Criterion),
    ("condition", gs.conditions(), Condition),
    ("control class", gs.control_classes(), None),
    ("export policy", gs.export_policies(), None),
    ("import policy", gs.import_policies(), None),
    ("policy (tagged by side)", gs.policies(), AnyPolicy),
    ("access request", gs.access_requests(), None),
]


@pytest.mark.parametrize(
    ("strategy", "cls"), [(s, c) for _, s, c in ROUND_TRIPS], ids=[n for n, _, _ in ROUND_TRIPS]
)
@LAWS
@given(data=st.data())
def test_values_round_trip(strategy: st.SearchStrategy[Any], cls: Any, data: Any) -> None:
    laws.check_roundtrip(data.draw(strategy), cls)


@LAWS
@given(gs.worlds())
def test_worlds_round_trip_in_json_and_toml(world: World) -> None:
    laws.check_world_roundtrip(world)


@FEW
@given(gs.worlds())
def test_world_files_round_trip(world: World) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("json", "toml"):
            path = Path(tmp) / f"world.{fmt}"
            io.dump_world(world, path)
            assert io.load_world(path) == world
            assert path.read_text(encoding="utf-8") == io.dumps_world(world, fmt)


# ---------------------------------------------------------------------------------------------
# The same laws on hand-made worlds


def _on_world(world: World, requests: Sequence[AccessRequest], rnd: random.Random) -> None:
    for request in requests:
        evaluate(world, request)  # every drawn request is one the world accepts
        laws.check_deterministic(world, request)
        laws.check_max_composition(world, request)
        laws.check_no_policy_in_force(world, request)
    laws.check_order_independent(world, requests, _shuffler(rnd))
    laws.check_batch(world, requests)
    for policy in world.policies:
        if not policy.supersedes:
            laws.check_monotone_remove(world, policy.id, requests)


@FEW
@given(st.data(), st.randoms(use_true_random=False))
def test_laws_hold_on_the_catalogue(data: Any, rnd: random.Random) -> None:
    world = catalog.world()
    requests = data.draw(st.lists(gs.requests(world), min_size=1, max_size=3))
    _on_world(world, requests, rnd)
    moved = data.draw(st.lists(st.sampled_from([p.id for p in world.policies]), max_size=3))
    for request in requests:
        laws.check_out_of_dates(world, request, moved)
        laws.check_sound(world, request, *data.draw(gs.completions(world, request)))


@FEW
@given(st.data(), st.randoms(use_true_random=False))
def test_laws_hold_on_the_mini_world(mini_world: World, data: Any, rnd: random.Random) -> None:
    requests = data.draw(st.lists(gs.requests(mini_world), min_size=1, max_size=3))
    _on_world(mini_world, requests, rnd)
    for request in requests:
        laws.check_out_of_dates(mini_world, request)
        blurred_world, blurred_request = data.draw(gs.blurs(mini_world, request))
        laws.check_sound(blurred_world, blurred_request, mini_world, request)
    policy = data.draw(gs.new_policies(mini_world, requests[0]))
    laws.check_monotone_add(mini_world, policy, requests)


def test_the_catalogue_round_trips() -> None:
    laws.check_world_roundtrip(catalog.world())


def test_requests_before_any_policy_are_allowed_in_the_catalogue() -> None:
    world = catalog.world()
    first = min(p.effective for p in world.policies)
    request = AccessRequest(
        buyer=world.companies[0].id,
        item=world.chips[0].id,
        on=first - dt.timedelta(days=1),
        route=(world.states[0].id, world.states[1].id),
    )
    laws.check_no_policy_in_force(world, request)
