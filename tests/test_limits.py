"""The criteria that made the rulebook's known limits exact: each criterion's values and
edges as the rule states them, the laws it keeps, and the catalogue records that use it."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geotech import (
    AccessRequest,
    All,
    Chip,
    Company,
    ExportPolicy,
    ItemIs,
    Material,
    State,
    World,
    catalog,
    evaluate,
    evaluate_many,
    io,
)
from geotech import criteria as c
from geotech.analysis import EventKind, diff, timeline
from geotech.criteria import ComplianceFrom, Truth, item_facts
from geotech.errors import InvalidValueError

D = dt.date
DAYS = st.dates(D(2019, 1, 1), D(2030, 12, 31))


def small(*policies: ExportPolicy) -> World:
    return World(
        states=[State(id="US", name="United States"), State(id="IN", name="India")],
        companies=[
            Company(id="acme", name="Acme", hq="US"),
            Company(id="buyer", name="B", hq="IN"),
        ],
        chips=[Chip(id="x1", name="X1", designer="acme")],
        policies=policies,
    )


# -- compliance dates --------------------------------------------------------------------------

RULE = ExportPolicy(
    id="rule-with-compliance-date",
    issuer="US",
    title="License for X1, effective 2025-01-13, compliance from 2025-05-15",
    criterion=All([ItemIs(["x1"]), ComplianceFrom(D(2025, 5, 15))]),
    effect="license_required",
    review="presumption_of_approval",
    effective=D(2025, 1, 13),
)


def test_compliance_is_required_from_its_day_on() -> None:
    rule = ComplianceFrom(D(2025, 5, 15))
    world = small()

    def on(day: dt.date) -> c.Step:
        return rule.evaluate(item_facts(world, day, world.chip("x1")))

    assert on(D(2025, 5, 14)).lines() == [
        "compliance required from 2025-05-15 (request of 2025-05-14): false"
    ]
    assert on(D(2025, 5, 15)).truth is Truth.TRUE  # the compliance date itself binds
    assert rule.describe() == "compliance required from 2025-05-15"
    assert rule.days() == (D(2025, 5, 15),)
    assert c.days(RULE.criterion) == {D(2025, 5, 15)}
    assert rule.reads == {c.Fact.ON}


@given(DAYS, DAYS)
def test_compliance_truth_is_the_date_order(day: dt.date, on: dt.date) -> None:
    world = small()
    step = ComplianceFrom(day).evaluate(item_facts(world, on, world.chip("x1")))
    assert step.truth is Truth.of(on >= day)
    assert not step.needs


def test_a_rule_in_force_binds_from_its_compliance_date() -> None:
    world = small(RULE)
    days = [D(2025, 1, 12), D(2025, 1, 13), D(2025, 5, 14), D(2025, 5, 15), D(2025, 6, 1)]
    requests = [AccessRequest(buyer="buyer", item="x1", on=d, route=("US", "IN")) for d in days]
    verdicts = [d.verdict.name for d in evaluate_many(world, requests)]
    assert verdicts == ["ALLOWED", "ALLOWED", "ALLOWED", "LICENSE_REQUIRED", "LICENSE_REQUIRED"]
    assert verdicts == [evaluate(world, r).verdict.name for r in requests]
    between = evaluate(world, requests[2])
    assert between.certain
    lines = [x for o in between.outcomes for r in o.considered for x in r.trace.lines()]
    assert "  compliance required from 2025-05-15 (request of 2025-05-14): false" in lines


def test_timelines_and_diffs_split_at_the_compliance_date() -> None:
    world = small(RULE)
    request = AccessRequest(buyer="buyer", item="x1", on=D(2025, 1, 1), route=("US", "IN"))
    line = timeline(world, request, D(2025, 1, 1), D(2025, 12, 31))
    assert [x.on for x in line.changes] == [D(2025, 5, 15)]
    (event,) = line.changes[0].events
    assert event.kind is EventKind.CRITERION_DAY
    assert str(event) == ("rule-with-compliance-date: compliance required from 2025-05-15")
    earlier = attrs.evolve(RULE, criterion=All([ItemIs(["x1"]), ComplianceFrom(D(2025, 3, 1))]))
    change = diff(world, small(earlier))
    assert change.at(attrs.evolve(request, on=D(2025, 4, 1))) is not None
    assert change.at(attrs.evolve(request, on=D(2025, 5, 15))) is None
    assert change.at(attrs.evolve(request, on=D(2025, 2, 28))) is None


def test_compliance_dates_round_trip() -> None:
    world = small(RULE)
    for fmt in ("json", "toml"):
        assert io.loads_world(io.dumps_world(world, fmt), fmt) == world
    data = io.to_data(ComplianceFrom(D(2025, 5, 15)), c.Criterion)
    assert data == {"type": "compliance_from", "day": D(2025, 5, 15)}
    assert io.from_data(data, c.Criterion) == ComplianceFrom(D(2025, 5, 15))


QUESTION = "whether the suspension was extended after 2026-11-10"


def test_an_unsettled_question_is_always_unknown_and_names_itself() -> None:
    world = small()
    open_ = c.Unsettled(QUESTION)
    for day in (D(2019, 1, 1), D(2026, 11, 10), D(2030, 1, 1)):
        step = open_.evaluate(item_facts(world, day, world.chip("x1")))
        assert (step.truth, step.needs) == (Truth.UNKNOWN, frozenset({QUESTION}))
    assert open_.describe() == f"unsettled: {QUESTION}"
    assert (open_.reads, open_.days(), open_.literal("US")) == (frozenset(), (), None)
    data = io.to_data(open_, c.Criterion)
    assert data == {"type": "unsettled", "question": QUESTION}
    assert io.from_data(data, c.Criterion) == open_


def test_an_unsettled_policy_leaves_the_answer_uncertain_in_one_and_many() -> None:
    ruled = attrs.evolve(RULE, criterion=All([ItemIs(["x1"]), c.Unsettled(QUESTION)]))
    world = small(ruled)
    request = AccessRequest(buyer="buyer", item="x1", on=D(2025, 6, 1), route=("US", "IN"))
    one = evaluate(world, request)
    assert (one.verdict.name, one.certain) == ("ALLOWED", False)
    assert [(u.policy, u.needs) for u in one.unknowns] == [(ruled.id, frozenset({QUESTION}))]
    assert evaluate_many(world, [request]) == [one]


@pytest.mark.parametrize("question", ["", "  ", 3])
def test_an_unsettled_question_must_be_text(question: object) -> None:
    with pytest.raises(InvalidValueError, match=r"Unsettled\.question: expected the open"):
        c.Unsettled(question)  # type: ignore[arg-type]


def test_the_ai_diffusion_framework_never_bound() -> None:
    """Effective 2025-01-13, compliance from 2025-05-15, not enforced from 2025-05-13: in force
    but never matched (90 FR 4544; BIS's page on the rule)."""
    world = catalog.world()
    for pid in ("us-bis-2025-01-ai-diffusion", "us-bis-2025-01-ai-diffusion-model-weights"):
        policy = world.policy(pid)
        assert (policy.effective, policy.expires) == (D(2025, 1, 13), D(2025, 5, 13))
        assert c.days(policy.criterion) == {D(2025, 5, 15)}


# -- 3A090.c: memory bandwidth density ---------------------------------------------------------

HBM_CLASS = "us-3a090c-2024"


def _memory(bandwidth: float | None, area: float | None, category: str = "memory") -> Material:
    return Material(
        id="stack",
        name="Stack",
        category=category,
        bandwidth_gbs=bandwidth,
        package_area_mm2=area,
    )


def _hbm_class(item: Material | Chip) -> c.Step:
    world = catalog.world()
    definition = next(k for k in world.classes if k.id == HBM_CLASS)
    return definition.criterion.evaluate(item_facts(world, D(2025, 2, 3), item))


def test_memory_bandwidth_density_is_bandwidth_over_package_area() -> None:
    hbm3e = catalog.world().material("hbm3e")
    assert (hbm3e.bandwidth_gbs, hbm3e.package_area_mm2) == (1200.0, 121.0)
    assert hbm3e.memory_bandwidth_density == 1200 / 121
    assert catalog.world().classify("hbm3e", on=D(2025, 2, 3)) == ("3A090.c",)
    assert catalog.world().classify("hbm3e", on=D(2024, 12, 1)) == ()
    assert _memory(None, 121).memory_bandwidth_density is None
    assert _memory(1200, None).memory_bandwidth_density is None


def test_3a090c_has_an_open_edge_at_2_gbs_per_mm2() -> None:
    assert _hbm_class(_memory(242, 121)).truth is Truth.FALSE  # exactly 2: not controlled
    assert _hbm_class(_memory(242.1, 121)).truth is Truth.TRUE
    unknown = _hbm_class(_memory(None, 121))
    assert (unknown.truth, unknown.needs) == (Truth.UNKNOWN, {"stack.memory_bandwidth_density"})


def test_3a090c_is_known_false_for_what_is_not_memory() -> None:
    gallium = catalog.world().material("gallium")
    assert _hbm_class(gallium).truth is Truth.FALSE
    assert _hbm_class(_memory(None, None, "mineral")).truth is Truth.FALSE
    assert _hbm_class(catalog.world().chip("nvidia-h200")).truth is Truth.FALSE
    category = c.MaterialCategory(["memory"])
    step = category.evaluate(item_facts(catalog.world(), D(2025, 2, 3), gallium))
    assert step.lines() == ["material gallium category mineral in {memory}: false"]
    chip = category.evaluate(
        item_facts(catalog.world(), D(2025, 2, 3), catalog.world().chip("nvidia-h200"))
    )
    assert chip.lines() == ["nvidia-h200 (a chip, not a material) in category {memory}: false"]


@given(st.floats(1, 5000), st.floats(1, 2000), st.sampled_from(["memory", "mineral"]))
def test_3a090c_is_density_above_2_for_memory(bandwidth: float, area: float, kind: str) -> None:
    item = _memory(bandwidth, area, kind)
    expected = kind == "memory" and bandwidth / area > 2
    assert _hbm_class(item).truth is Truth.of(expected)
    literal = c.MaterialCategory(["memory"]).literal("US")
    assert literal is not None
    assert literal.judge(item, D(2025, 2, 3), catalog.world()) is Truth.of(kind == "memory")


def test_material_specs_round_trip() -> None:
    stack = _memory(1200, 121)
    assert io.from_data(io.to_data(stack), Material) == stack
    data = io.to_data(c.MaterialCategory(["memory"]), c.Criterion)
    assert data == {"type": "material_category", "categories": ["memory"]}
    assert io.from_data(data, c.Criterion) == c.MaterialCategory(["memory"])
