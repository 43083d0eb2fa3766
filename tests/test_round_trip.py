"""One converter for every public value: ``from_data(to_data(x), T) == x``, directly and
through JSON text, for entities, policies, worlds, requests, rulings, decisions, outcomes and
every analysis, compute and supply result."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geotech import Decision, Outcome, Ruling, World, catalog, io
from geotech import strategies as gs
from geotech.policies import AnyPolicy, Condition, Restriction, ReviewPolicy, Verdict
from result_strategies import RESULTS


def assert_round_trip(value: Any, cls: Any) -> None:
    data = io.to_data(value, cls)
    assert io.from_data(data, cls) == value
    text = io.dumps_json(data)
    back = io.from_data(json.loads(text), cls)
    assert back == value
    assert io.dumps_json(io.to_data(back, cls)) == text


@pytest.mark.parametrize("cls", list(RESULTS), ids=lambda c: getattr(c, "__name__", str(c)))
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_results_round_trip(cls: Any, data: st.DataObject) -> None:
    assert_round_trip(data.draw(RESULTS[cls]), cls)


@settings(max_examples=10, deadline=None)
@given(RESULTS[Decision])
def test_ruling_and_outcomes_round_trip_alone(decision: Decision) -> None:
    assert_round_trip(decision.ruling, Ruling)
    for outcome in decision.outcomes:
        assert_round_trip(outcome, Outcome)


@settings(max_examples=10, deadline=None)
@given(RESULTS[Decision])
def test_a_decision_read_back_explains_itself_the_same(decision: Decision) -> None:
    back = io.from_data(json.loads(io.dumps_json(io.to_data(decision))), Decision)
    assert back.explain() == decision.explain()
    assert back.policies == decision.policies


@settings(max_examples=10, deadline=None)
@given(gs.policies(), gs.conditions(), gs.criteria())
def test_policies_conditions_and_criteria_round_trip(policy: Any, condition: Any, c: Any) -> None:
    from geotech.criteria import Criterion

    assert_round_trip(policy, AnyPolicy)
    assert_round_trip(condition, Condition)
    assert_round_trip(c, Criterion)


@settings(max_examples=8, deadline=None)
@given(gs.worlds())
def test_worlds_round_trip_as_values(world: World) -> None:
    assert_round_trip(world, World)


def test_enums_are_lowercase_names_or_their_text() -> None:
    assert io.to_data(Verdict.LICENSE_REQUIRED) == "license_required"
    assert io.to_data(ReviewPolicy.CASE_BY_CASE) == "case_by_case"
    assert io.to_data(Restriction.LICENSE_DENIAL) == "license_denial"
    assert io.from_data("prohibited", Verdict) is Verdict.PROHIBITED
    assert io.from_data("license_approval", Restriction) is Restriction.LICENSE_APPROVAL


def test_the_catalogue_decision_format(flagship: Decision) -> None:
    data = io.to_data(flagship)
    assert list(data) == [
        "request",
        "route",
        "ruling",
        "outcomes",
        "unknowns",
        "buyer",
        "item",
        "policies",
    ]
    assert data["ruling"]["verdict"] == "license_required"
    assert data["ruling"]["review"] == "case_by_case"
    assert data["item"]["kind"] == "chip"
    assert data["outcomes"][0]["leg"] == {"exporter": "TW", "importer": "US"}
    considered = [r for o in data["outcomes"] for r in o.get("considered", [])]
    assert {r["truth"] for r in considered} <= {"true", "false", "unknown"}
    assert {"policy": "us-bis-2026-01-15-h200-case-by-case", "truth": "true"}.items() <= next(
        r for r in considered if r["policy"] == "us-bis-2026-01-15-h200-case-by-case"
    ).items()
    assert [p["id"] for p in data["policies"]] == [p.id for p in flagship.policies]
    assert io.from_data(data, Decision) == flagship


@pytest.fixture
def flagship() -> Decision:
    import datetime as dt

    from geotech import AccessRequest, evaluate

    request = AccessRequest(
        buyer="bytedance", item="nvidia-h200", on=dt.date(2026, 2, 1), route=("TW", "US", "CN")
    )
    return evaluate(catalog.world(), request)
