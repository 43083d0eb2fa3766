"""The compiled batch path equals the engine: full decisions, rulings, errors, date intervals."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import pickle
import random
from collections.abc import Callable
from functools import partial
from typing import ClassVar

import attrs
import pytest
from attrs import frozen
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from geotech import (
    AccessRequest,
    All,
    AnyOf,
    BuyerIs,
    Decision,
    EffectKind,
    ExportPolicy,
    ImportPolicy,
    ReviewPolicy,
    Verdict,
    World,
    catalog,
    evaluate,
    evaluate_many,
    io,
)
from geotech import strategies as gs
from geotech.criteria import Criterion, Facts, Step, Truth
from geotech.engine import Evaluator, rulings
from geotech.engine.batch import change_points, patch_index
from geotech.engine.decision import Explanation, Leg, Parts, Ruling, explanation_parts
from geotech.engine.legs import judge_leg, resolve_route
from geotech.engine.matching import conjuncts
from geotech.engine.semantics import OPEN, certain, union
from geotech.errors import GeotechError
from geotech.policies import Side
from geotech.strategies.reforms import reforms

D = dt.date
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def batches(
    draw: st.DrawFn, max_policies: int = 6, max_requests: int = 8
) -> tuple[World, list[AccessRequest]]:
    world = draw(gs.worlds(max_policies=max_policies))
    return world, draw(st.lists(gs.requests(world), min_size=1, max_size=max_requests))


@FAST
@given(batches())
def test_evaluate_many_equals_evaluate_one_by_one(case: tuple[World, list[AccessRequest]]) -> None:
    world, requests = case
    assert evaluate_many(world, requests) == [evaluate(world, r) for r in requests]


def test_batch_explanations_are_built_when_read_and_equal_the_engines(
    mini_world: World,
) -> None:
    asked = [
        AccessRequest(buyer=buyer, item="nvidia-h20", on=D(2025, 6, 1))
        for buyer in ("bytedance", "huawei", "bytedance-sg")
    ]
    for lazy, eager in zip(
        evaluate_many(mini_world, asked), map(partial(evaluate, mini_world), asked), strict=True
    ):
        copy = pickle.loads(pickle.dumps(lazy))  # pickling builds the explanation
        assert copy == lazy == eager
        assert hash(copy.explanation) == hash(lazy.explanation) == hash(eager.explanation)
        assert lazy.explain() == eager.explain()
        assert [o.considered for o in lazy.outcomes] == [o.considered for o in eager.outcomes]
        assert lazy.policies == eager.policies


@FAST
@given(batches())
def test_rulings_are_the_decisions_without_explanations(
    case: tuple[World, list[AccessRequest]],
) -> None:
    world, requests = case
    assert rulings(world, requests) == [evaluate(world, r).ruling for r in requests]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches(max_policies=16, max_requests=16), st.randoms(use_true_random=False))
def test_an_evaluator_reused_in_any_order_answers_alike(
    case: tuple[World, list[AccessRequest]], rng: random.Random
) -> None:
    world, requests = case
    expected = {r: evaluate(world, r) for r in requests}
    evaluator = Evaluator(world)
    shuffled = list(requests)
    rng.shuffle(shuffled)
    assert evaluator.rulings(shuffled) == [expected[r].ruling for r in shuffled]
    assert evaluator.decisions(requests) == [expected[r] for r in requests]
    assert evaluator.rulings(requests) == [expected[r].ruling for r in requests]


@FAST
@given(batches(max_requests=1), st.data())
def test_answers_are_constant_between_change_points(
    case: tuple[World, list[AccessRequest]], data: st.DataObject
) -> None:
    world, [request] = case
    points = change_points(world)
    other = data.draw(gs.dates())
    if bisect.bisect_right(points, other) == bisect.bisect_right(points, request.on):
        moved = attrs.evolve(request, on=other)
        assert evaluate(world, moved).ruling == evaluate(world, request).ruling


@FAST
@given(batches(max_requests=1))
def test_literals_and_residuals_conjoin_to_the_criterion(
    case: tuple[World, list[AccessRequest]],
) -> None:
    world, [request] = case
    decision = evaluate(world, request)
    for outcome in decision.outcomes:
        for result in outcome.considered:
            policy = world.policy(result.policy)
            facts = Facts(
                registry=world,
                on=request.on,
                item=world.item(request.item),
                buyer=world.company(request.buyer),
                exporter=outcome.leg.exporter,
                importer=outcome.leg.importer,
                destination=decision.destination,
                issuer=policy.issuer,
                end_use=request.end_use,
            )
            literals, residuals = conjuncts(policy.criterion)
            truths = [leaf.evaluate(facts).truth for leaf, _ in literals]
            truths = [
                t if positive else ~t for t, (_, positive) in zip(truths, literals, strict=True)
            ]
            truths += [r.evaluate(facts).truth for r in residuals]
            assert min(truths, default=Truth.TRUE, key=lambda t: t.value) is result.truth


def test_change_points_are_every_bound_of_policies_classes_memberships_and_listings(
    mini_world: World,
) -> None:
    assert change_points(mini_world) == (
        D(2019, 5, 16),  # Huawei listed; the Entity List licence requirement
        D(2022, 10, 7),  # 3A090.a, 2022 definition
        D(2023, 11, 17),  # its 2023 replacement and the 2023 rules
        D(2026, 1, 14),  # the US semiconductor tariff
        D(2026, 1, 15),  # the case-by-case rule and China's customs block
        D(2026, 1, 28),  # China's import approvals
    )


def test_the_flagship_ruling_is_its_decisions(
    mini_world: World, flagship_request: AccessRequest
) -> None:
    decision = evaluate(mini_world, flagship_request)
    [ruling] = rulings(mini_world, [flagship_request])
    assert ruling == decision.ruling
    assert ruling.applying_policies == tuple(
        sorted({r.policy for o in decision.outcomes for r in o.considered if r.applies})
    )


def test_equivalent_requests_share_one_ruling(mini_world: World) -> None:
    on = D(2026, 2, 1)
    asked = [
        AccessRequest(buyer="bytedance", item="nvidia-h200", on=on, quantity=q) for q in (1, 9)
    ]
    first, second = rulings(mini_world, asked)
    assert first is second


@pytest.mark.parametrize(
    "bad",
    [
        AccessRequest(buyer="bytedanse", item="nvidia-h200", on=D(2026, 2, 1)),
        AccessRequest(buyer="bytedance", item="nvidia-h201", on=D(2026, 2, 1)),
        AccessRequest(buyer="bytedance", item="nvidia-h200", on=D(2026, 2, 1), destination="FR"),
        AccessRequest(
            buyer="bytedance",
            item="nvidia-h200",
            on=D(2026, 2, 1),
            destination="CN",
            route=("TW", "US"),
        ),
        AccessRequest(buyer="bytedance", item="nvidia-h200", on=D(2026, 2, 1), route=("CN", "CN")),
    ],
    ids=["buyer", "item", "destination", "route-end", "route-repeat"],
)
def test_bad_requests_fail_as_in_evaluate(mini_world: World, bad: AccessRequest) -> None:
    good = AccessRequest(buyer="bytedance", item="nvidia-h200", on=D(2026, 2, 1))
    with pytest.raises(GeotechError) as expected:
        evaluate(mini_world, bad)
    for decide in (evaluate_many, rulings):
        with pytest.raises(type(expected.value)) as got:
            decide(mini_world, [good, bad, good])
        assert str(got.value) == str(expected.value)


@frozen
class OnOrAfter(Criterion):
    """A criterion type the batch indexes do not know: true from ``day`` on."""

    tag: ClassVar[str] = "on_or_after"
    day: dt.date

    def evaluate(self, facts: Facts) -> Step:
        return Step(f"on {facts.on} >= {self.day}", Truth.of(facts.on >= self.day))


def test_criteria_of_unknown_types_are_evaluated_as_they_are(mini_world: World) -> None:
    day = D(2024, 6, 1)  # not a change point of the world
    late = ExportPolicy(
        id="late-rule",
        issuer="US",
        title="A rule from a day no bound names",
        criterion=All(of=(BuyerIs(ids=frozenset({"bytedance"})), OnOrAfter(day))),
        effect=EffectKind.PROHIBIT,
        effective=D(2020, 1, 1),
    )
    either = ImportPolicy(
        id="either-rule",
        issuer="CN",
        title="Huawei, or any buyer from that day",
        criterion=AnyOf(of=(BuyerIs(ids=frozenset({"huawei"})), OnOrAfter(day))),
        effect=EffectKind.DISCOURAGE,
        effective=D(2020, 1, 1),
    )
    world = attrs.evolve(mini_world, policies=(*mini_world.policies, late, either))
    asked = [
        AccessRequest(buyer=buyer, item="nvidia-h20", on=on)
        for buyer in ("bytedance", "huawei", "bytedance-sg")
        for on in (D(2024, 5, 31), day, D(2024, 12, 1))
    ]
    expected = [evaluate(world, r) for r in asked]
    assert evaluate_many(world, asked) == expected
    fast = rulings(world, asked)
    assert fast == [d.ruling for d in expected]
    applying = {(r.buyer, r.on): d.applying_policies for r, d in zip(asked, fast, strict=True)}
    assert "late-rule" not in applying["bytedance", D(2024, 5, 31)]
    assert "late-rule" in applying["bytedance", day]
    assert "either-rule" in applying["huawei", D(2024, 5, 31)]
    assert "either-rule" not in applying["bytedance", D(2024, 5, 31)]
    assert "either-rule" in applying["bytedance", D(2024, 12, 1)]


# -- one request at a time, on the compiled index ----------------------------------------------


def eager(world: World, request: AccessRequest) -> tuple[Ruling, Parts]:
    """The decision as the semantics state it, every leg and side judged on the spot with the
    world's own policies (no index, no memo): the reference for ``evaluate``."""
    buyer, item = world.company(request.buyer), world.item(request.item)
    destination, route = resolve_route(world, request, buyer, item)
    in_force = [p for p in world.policies if p.in_force(request.on)]
    reach = world.jurisdictions(item)
    outcomes, used = [], {}
    for exporter, importer in itertools.pairwise(route):
        leg = Leg(exporter, importer)
        scopes = (
            (
                Side.EXPORT,
                [
                    p
                    for p in in_force
                    if p.side is Side.EXPORT
                    and (p.issuer == exporter or p.issuer in reach)
                    and p.issuer != importer
                ],
            ),
            (Side.IMPORT, [p for p in in_force if p.side is Side.IMPORT and p.issuer == importer]),
        )
        for side, scope in scopes:
            used.update((p.id, p) for p in scope)
            outcomes.append(judge_leg(world, request, buyer, item, destination, leg, side, scope))
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
    return ruling, explanation_parts(outcomes, used)


@FAST
@given(batches(max_policies=10, max_requests=4))
def test_evaluate_is_the_eager_semantics_with_a_lazily_built_explanation(
    case: tuple[World, list[AccessRequest]],
) -> None:
    world, requests = case
    for request in requests:
        ruling, parts = eager(world, request)
        decision = evaluate(world, request)
        assert decision.ruling == ruling
        assert decision.explanation == Explanation.of(*parts)
        assert decision.explanation.parts == parts
        assert decision == evaluate_many(world, [request])[0]


def test_evaluate_on_the_catalogue_equals_the_eager_semantics() -> None:
    world = catalog.world()
    for buyer in ("bytedance", "huawei", "openai", "alibaba"):
        for item in ("nvidia-h200", "nvidia-h20", "nvidia-rtx-4090"):
            for on in (D(2023, 1, 1), D(2025, 6, 1), D(2026, 2, 1)):
                for route in (None, ("TW", "US", "CN")):
                    request = AccessRequest(buyer=buyer, item=item, on=on, route=route)
                    ruling, parts = eager(world, request)
                    decision = evaluate(world, request)
                    assert (decision.ruling, decision.explanation.parts) == (ruling, parts)


def test_rulings_through_transit_states_equal_the_eager_semantics_for_every_end_use() -> None:
    """Residual parts that read only the leg (744.21's "importer or destination in Burma"),
    judged once per leg for every item, rule as the engine does item by item; the answers
    differ by end use and transit state, so the check is not vacuous."""
    world = catalog.world()
    requests = [
        AccessRequest(buyer=buyer, item=item, on=on, route=route, end_use=use)
        for buyer in ("bytedance", "fly-raise-international")
        for item in ("nvidia-h200", "nvidia-a10", "arf-immersion-lithography")
        for on in (D(2020, 6, 28), D(2022, 6, 1), D(2026, 2, 1))
        for route in (("US", "MM", "CN"), ("US", "BY", "CN"), ("US", "SG", "CN"))
        for use in (None, "military", "commercial")
    ]
    batch = rulings(world, requests)
    assert batch == [eager(world, r)[0] for r in requests]
    assert len({(r.verdict, r.certain) for r in batch}) >= 3


GARBAGE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False),
    st.text(max_size=4),
    st.binary(max_size=3),
    st.lists(st.text(max_size=3), max_size=3),
    st.sets(st.sampled_from(["CN", "US", "TW"]), max_size=2),
    st.dates(),
    st.datetimes(),
)


def answer(decide: Callable[[], Decision]) -> Decision | tuple[type[BaseException], str]:
    try:
        return decide()
    except GeotechError as e:
        return type(e), str(e)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches(max_policies=6, max_requests=1), st.data())
def test_any_request_fields_are_checked_and_decided_alike_one_by_one_and_in_a_batch(
    case: tuple[World, list[AccessRequest]], data: st.DataObject
) -> None:
    world, [valid] = case
    states = [s.id for s in world.states]
    fields = {
        "buyer": st.one_of(st.sampled_from([c.id for c in world.companies]), GARBAGE),
        "item": st.one_of(st.sampled_from(sorted(world.ids("item"))), GARBAGE),
        "on": st.one_of(st.just(valid.on), GARBAGE),
        "destination": st.one_of(st.none(), st.sampled_from(states), GARBAGE),
        "route": st.one_of(
            st.none(),
            st.lists(st.sampled_from(states), min_size=1, max_size=3),
            st.lists(st.sampled_from(states), min_size=1, max_size=3).map(",".join),
            GARBAGE,
        ),
        "quantity": st.one_of(st.none(), st.integers(1, 5), GARBAGE),
        "end_use": st.one_of(st.none(), st.sampled_from(["datacenter", "military"]), GARBAGE),
    }
    chosen = {
        name: data.draw(strategy, label=name)
        for name, strategy in fields.items()
        if data.draw(st.booleans(), label=f"garble {name}")
    }
    try:
        request = attrs.evolve(valid, **chosen)
    except GeotechError:
        return  # rejected at the edge with a GeotechError (InvalidValueError), never TypeError
    one = answer(lambda: evaluate(world, request))
    assert answer(lambda: evaluate_many(world, [request])[0]) == one
    assert answer(lambda: evaluate_many(world, [valid, request])[1]) == one
    if isinstance(one, Decision):
        assert one.explain() == evaluate_many(world, [request])[0].explain()


@frozen
class Traced(Criterion):
    """A criterion type the batch indexes do not know, always true, that counts the traces
    it builds in ``calls`` (a list, so that the frozen record can count)."""

    tag: ClassVar[str] = "traced"
    calls: list[int] = attrs.field(eq=False, hash=False)

    def evaluate(self, facts: Facts) -> Step:
        self.calls.append(1)
        return Step("traced", Truth.TRUE)


def test_evaluate_builds_no_trace_until_the_explanation_is_read(mini_world: World) -> None:
    calls: list[int] = []
    never = ExportPolicy(
        id="never-rule",
        issuer="US",
        title="A rule for a buyer not asked about, with a traced part",
        criterion=All(of=(BuyerIs(ids=frozenset({"huawei"})), Traced(calls))),
        effect=EffectKind.PROHIBIT,
        effective=D(2020, 1, 1),
    )
    world = attrs.evolve(mini_world, policies=(*mini_world.policies, never))
    decision = evaluate(
        world, AccessRequest(buyer="bytedance", item="nvidia-h20", on=D(2025, 6, 1))
    )
    assert calls == []  # decided without the trace
    assert any(r.policy == "never-rule" for o in decision.outcomes for r in o.considered)
    assert calls != []  # built on first read


def test_a_ruling_listed_later_lists_once_and_equals_the_one_listed_at_once() -> None:
    listed: list[int] = []

    def listing() -> tuple[tuple[str, ...], tuple[str, ...]]:
        listed.append(1)
        return ("deny",), ("allow", "deny")

    verdict, review = Verdict.LICENSE_REQUIRED, ReviewPolicy.CASE_BY_CASE
    at_once = Ruling(verdict, review, (), ("deny",), ("allow", "deny"), True)
    later = Ruling.listed_later(verdict, review, (), True, listing)
    assert (later.verdict, later.restriction, later.certain) == (verdict, at_once.restriction, True)
    assert listed == []  # read for its verdict only: nothing listed
    assert later == at_once
    assert hash(later) == hash(at_once)
    assert repr(later) == repr(at_once)
    assert (later.determining_policies, later.applying_policies) == (("deny",), ("allow", "deny"))
    assert listed == [1]
    again = Ruling.listed_later(verdict, review, (), True, listing)
    assert pickle.loads(pickle.dumps(again)) == at_once
    assert io.to_data(Ruling.listed_later(verdict, review, (), True, listing)) == io.to_data(
        at_once
    )
    assert attrs.evolve(Ruling.listed_later(verdict, review, (), True, listing), certain=False) == (
        attrs.evolve(at_once, certain=False)
    )
    with pytest.raises(AttributeError, match="no_such_field"):
        getattr(later, "no_such_field")  # noqa: B009 - the lookup under test


def test_the_batch_lists_a_rulings_policies_when_read(mini_world: World) -> None:
    # on these days one side decides each request, surely: the batch lists ids on first read
    requests = [
        AccessRequest(buyer=b, item=i, on=on, route=route)
        for b in ("bytedance", "huawei", "tsmc")
        for i in ("nvidia-h200", "nvidia-h20")
        for on in (D(2023, 2, 1), D(2025, 2, 1), D(2026, 2, 1))
        for route in (("US", "CN"), ("US", "TW"), ("TW", "CN"))
    ]
    for batch, one in zip(evaluate_many(mini_world, requests), requests, strict=True):
        alone = evaluate(mini_world, one).ruling
        assert batch.ruling.determining_policies == alone.determining_policies
        assert batch.ruling.applying_policies == alone.applying_policies
        assert batch.ruling == alone


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_patched_index_decides_as_a_fresh_one(data: st.DataObject) -> None:
    """A reformed world given its base's index patched for the changed policies decides (and
    explains) every request as a copy that compiles its own."""
    world = data.draw(gs.worlds())
    reformed = data.draw(reforms(world)).apply(world)
    asked = data.draw(st.lists(gs.requests(reformed), min_size=1, max_size=6))
    Evaluator(world).rulings(asked)  # the base's index is built and used
    patch_index(reformed, world)
    same_ids = [p.id for p in reformed.policies] == [p.id for p in world.policies]
    event("patched" if same_ids and reformed is not world else "compiled")
    fresh = attrs.evolve(reformed)  # equal, without an index
    assert Evaluator(reformed).rulings(asked) == Evaluator(fresh).rulings(asked)
    assert Evaluator(reformed).decisions(asked) == Evaluator(fresh).decisions(asked)
