"""The strategies of ``geotech.strategies`` draw valid values and reach the interesting cases.

Valid: construction never raises, worlds validate, requests evaluate, completions complete.
Reaching: every criterion, condition, effect and verdict turns up, and so do set-aside
policies and uncertain decisions, so that the laws in test_laws.py are exercised on them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from geotech import (
    AccessRequest,
    Chip,
    Company,
    ControlClass,
    CountryGroup,
    Decision,
    Dependency,
    EffectKind,
    ExportPolicy,
    ImportPolicy,
    ItemIs,
    Listing,
    Material,
    Membership,
    Model,
    PartyList,
    ReviewPolicy,
    State,
    SupplyShare,
    Throughput,
    Verdict,
    World,
    evaluate,
)
from geotech import strategies as gs
from geotech.criteria import depth, kinds, walk
from geotech.policies import CONDITIONS
from geotech.reforms import AddPolicy, Reform
from geotech.strategies.reforms import steps as reform_steps
from geotech.testing import completion_problems
from geotech.world import MAX_CRITERION_DEPTH

#: The criterion classes geotech defines (test modules may register more).
CRITERIA = {tag: kind for tag, kind in kinds().items() if kind.__module__.startswith("geotech.")}
SOME = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: How far ``find`` may search for a case before the strategies count as not reaching it
#: (no shrinking: the first case found will do).
SEARCH = settings(max_examples=400, deadline=None, database=None, phases=[Phase.generate])

RECORDS: list[tuple[st.SearchStrategy[Any], type]] = [
    (gs.states(), State),
    (gs.memberships(), Membership),
    (gs.country_groups(), CountryGroup),
    (gs.companies(), Company),
    (gs.throughputs(), Throughput),
    (gs.chips(), Chip),
    (gs.models(), Model),
    (gs.materials(), Material),
    (gs.listings(), Listing),
    (gs.party_lists(), PartyList),
    (gs.supply_shares(), SupplyShare),
    (gs.dependencies(), Dependency),
    (gs.control_classes(), ControlClass),
    (gs.export_policies(), ExportPolicy),
    (gs.import_policies(), ImportPolicy),
    (gs.access_requests(), AccessRequest),
]


@pytest.mark.parametrize(("strategy", "kind"), RECORDS, ids=[k.__name__ for _, k in RECORDS])
@SOME
@given(data=st.data())
def test_records_construct(strategy: st.SearchStrategy[Any], kind: type, data: Any) -> None:
    value: Any = data.draw(strategy)
    rebuilt = attrs.evolve(value)  # through the converters and validators again
    assert type(value) is kind
    assert rebuilt == value


@SOME
@given(gs.criteria())
def test_criteria_stay_shallow(criterion: Any) -> None:
    assert type(criterion) in kinds().values()
    assert depth(criterion) <= MAX_CRITERION_DEPTH


@pytest.mark.parametrize("kind", list(CRITERIA.values()), ids=list(CRITERIA))
@SOME
@given(data=st.data())
def test_criteria_of_draws_that_type(kind: type, data: Any) -> None:
    assert type(data.draw(gs.criteria_of(kind))) is kind


def test_criteria_of_refuses_types_refs_cannot_support() -> None:
    lonely = gs.Refs(lists=())
    with pytest.raises(ValueError, match="BuyerListed"):
        gs.criteria_of(CRITERIA["buyer_listed"], lonely)


@pytest.mark.parametrize("kind", list(CRITERIA.values()), ids=list(CRITERIA))
def test_every_criterion_type_is_drawn(kind: type) -> None:
    found = find(gs.criteria(), lambda x: any(type(n) is kind for n in walk(x)), settings=SEARCH)
    assert any(type(n) is kind for n in walk(found))


@pytest.mark.parametrize("kind", list(CONDITIONS.values()), ids=list(CONDITIONS))
def test_every_condition_type_is_drawn(kind: type) -> None:
    assert type(find(gs.conditions(), lambda x: type(x) is kind, settings=SEARCH)) is kind


@pytest.mark.parametrize("effect", list(EffectKind), ids=[e.value for e in EffectKind])
def test_every_effect_is_drawn(effect: EffectKind) -> None:
    assert find(gs.policies(), lambda p: p.effect is effect, settings=SEARCH).effect is effect


@pytest.mark.parametrize("review", list(ReviewPolicy), ids=[r.name for r in ReviewPolicy])
def test_every_review_is_drawn(review: ReviewPolicy) -> None:
    assert find(gs.policies(), lambda p: p.review is review, settings=SEARCH).review is review


# ---------------------------------------------------------------------------------------------
# Worlds


_IDS = {
    "groups": r"g\d+",
    "companies": r"c\d+",
    "party_lists": r"l\d+",
    "chips": r"chip\d+",
    "models": r"model\d+",
    "materials": r"mat\d+",
    "classes": r"k\d+",
    "policies": r"p\d+",
}


@SOME
@given(gs.worlds())
def test_worlds_validate_and_read_easily(world: World) -> None:
    assert attrs.evolve(world) == world  # validated again from scratch: no problem found
    assert 2 <= len(world.states) <= 3
    assert {s.id for s in world.states} <= set(gs.STATES)
    assert world.companies
    assert world.chips
    assert world.policies
    for kind, pattern in _IDS.items():
        for record in getattr(world, kind):
            assert re.fullmatch(pattern, record.id), f"{kind}: {record.id}"
    for policy in world.policies:  # supersedes stay within one regime: side and issuer
        assert {(world.policy(p).side, world.policy(p).issuer) for p in policy.supersedes} <= {
            (policy.side, policy.issuer)
        }


@SOME
@given(gs.worlds(max_policies=0, max_classes=0))
def test_worlds_can_be_drawn_without_rules(world: World) -> None:
    assert not world.policies
    assert not world.classes


@SOME
@given(gs.worlds())
def test_refs_of_a_world_name_its_ids(world: World) -> None:
    refs = gs.Refs.of(world)
    assert set(refs.items) == world.ids("item")
    assert set(refs.policies) == world.ids("policy")
    assert set(refs.codes) == {k.code for k in world.classes}


@SOME
@given(st.data())
def test_requests_evaluate(data: Any) -> None:
    world = data.draw(gs.worlds())
    request = data.draw(gs.requests(world))
    decision = evaluate(world, request)
    assert decision.route[-1] == decision.destination
    assert request.route in (None, decision.route)
    assert request.destination in (None, decision.destination)


@SOME
@given(st.data())
def test_new_policies_fit_the_world(data: Any) -> None:
    world = data.draw(gs.worlds())
    near = data.draw(gs.requests(world))
    for policy in (data.draw(gs.new_policies(world)), data.draw(gs.new_policies(world, near))):
        assert not policy.supersedes
        assert policy.id not in world.ids("policy")
        assert policy in AddPolicy(policy).apply(world).policies
    assert policy.in_force(near.on)


@SOME
@given(st.data())
def test_completions_and_blurs_are_completions(data: Any) -> None:
    world = data.draw(gs.worlds())
    request = data.draw(gs.requests(world))
    completed_world, completed_request = data.draw(gs.completions(world, request))
    assert completion_problems(world, request, completed_world, completed_request) == []
    blurred_world, blurred_request = data.draw(gs.blurs(world, request))
    assert completion_problems(blurred_world, blurred_request, world, request) == []
    evaluate(completed_world, completed_request)
    evaluate(blurred_world, blurred_request)


def test_a_changed_known_fact_is_no_completion() -> None:
    world, request = _world_and_request_with_a_chip_spec()
    chip = world.chip(request.item)
    assert chip.die_area_mm2 is not None
    changed = attrs.evolve(
        world, chips=[attrs.evolve(chip, die_area_mm2=chip.die_area_mm2 + 1), *world.chips[1:]]
    )
    assert completion_problems(world, request, changed, request) == [
        f"chips[{chip.id}].die_area_mm2: known value {chip.die_area_mm2!r} changed"
    ]


def _world_and_request_with_a_chip_spec() -> tuple[World, AccessRequest]:
    def has_spec(case: tuple[World, AccessRequest]) -> bool:
        world, request = case
        return request.item == world.chips[0].id and world.chips[0].die_area_mm2 is not None

    cases = gs.worlds().flatmap(lambda w: st.tuples(st.just(w), gs.requests(w)))
    return find(cases, has_spec, settings=SEARCH)


# ---------------------------------------------------------------------------------------------
# The cases the laws need


@st.composite
def _decisions(draw: st.DrawFn) -> list[Decision]:
    world = draw(gs.worlds())
    return [evaluate(world, draw(gs.requests(world))) for _ in range(4)]


def _features(decision: Decision) -> set[str]:
    found = {o.verdict.name for o in decision.outcomes}
    if not decision.certain:
        found.add("uncertain decision")
    if any(r.set_aside_by for o in decision.outcomes for r in o.considered):
        found.add("policy set aside")
    if len(decision.outcomes) >= 4:
        found.add("route of two legs or more")
    return found


class _AllSeenError(Exception):
    """Stops the search once every wanted case has turned up."""


def test_the_cases_the_laws_need_are_reached() -> None:
    wanted = {
        *(v.name for v in Verdict),
        "uncertain decision",
        "policy set aside",
        "route of two legs or more",
    }
    seen: set[str] = set()

    @settings(SEARCH, max_examples=300)
    @given(_decisions())
    def record(decisions: list[Decision]) -> None:
        for decision in decisions:
            seen.update(_features(decision))
        if seen == wanted:
            raise _AllSeenError

    with contextlib.suppress(_AllSeenError):
        record()
    assert seen == wanted


def _world_at_the_ends_of_time() -> World:
    """A world whose policies start on the first representable day and end on the last."""
    us, cn = State(id="US", name="United States"), State(id="CN", name="China")
    nv = Company(id="nv", name="NV", hq="US")
    chip = Chip(id="c", name="C", designer="nv")
    early = ExportPolicy(
        id="early",
        issuer="US",
        title="from the first day",
        criterion=ItemIs(["c"]),
        effect="prohibit",
        effective=dt.date.min,
        expires=dt.date.max,
    )
    late = ImportPolicy(
        id="late",
        issuer="CN",
        title="from the last day",
        criterion=ItemIs(["c"]),
        effect="prohibit",
        effective=dt.date.max,
    )
    return World(states=[us, cn], companies=[nv], chips=[chip], policies=[early, late])


_ENDS_OF_TIME = _world_at_the_ends_of_time()


@given(gs.requests(_ENDS_OF_TIME))
def test_requests_on_a_world_at_the_ends_of_time(request: AccessRequest) -> None:
    """Dates next to ``date.min`` and ``date.max`` are drawn without overflowing, and the
    engine answers on them."""
    assert evaluate(_ENDS_OF_TIME, request).verdict in set(Verdict)


def test_boundary_dates_include_the_ends_of_time() -> None:
    drawn = find(gs.requests(_ENDS_OF_TIME), lambda r: r.on == dt.date.max)
    assert drawn.on == dt.date.max
    assert find(gs.requests(_ENDS_OF_TIME), lambda r: r.on == dt.date.min).on == dt.date.min


@given(reform_steps(_ENDS_OF_TIME))
def test_reform_steps_on_a_world_at_the_ends_of_time(step: Reform) -> None:
    step.apply(_ENDS_OF_TIME)
