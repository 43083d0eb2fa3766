"""The end-use vocabulary (``geotech.EndUseKind``) and the coverage window (``World.window``):
exact readings of variant spellings, errors with suggestions, laws of the reading, and the
engine's answers outside the window on every path."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geotech import (
    AccessRequest,
    All,
    AvailableInUs,
    Chip,
    Company,
    EndUse,
    EndUseKind,
    ExportPolicy,
    ItemIs,
    Model,
    State,
    World,
    catalog,
    evaluate,
    evaluate_many,
    io,
)
from geotech.cli import main
from geotech.criteria import Step, Truth, end_use_kind, item_facts
from geotech.engine import rulings
from geotech.errors import DocumentError, InvalidValueError, WorldError
from geotech.world import Coverage

D = dt.date


@pytest.mark.parametrize(
    ("word", "member"),
    [
        ("datacenter", EndUseKind.DATACENTER),
        ("Data Center", EndUseKind.DATACENTER),
        ("data centre", EndUseKind.DATACENTER),
        ("DATA-CENTRE", EndUseKind.DATACENTER),
        ("state_funded_datacenter", EndUseKind.STATE_FUNDED_DATACENTER),
        ("state-funded datacenter", EndUseKind.STATE_FUNDED_DATACENTER),
        ("State Funded Data Center", EndUseKind.STATE_FUNDED_DATACENTER),
        ("state funded data centre", EndUseKind.STATE_FUNDED_DATACENTER),
        ("  statefunded   datacentre ", EndUseKind.STATE_FUNDED_DATACENTER),
        ("R&D", EndUseKind.RESEARCH_AND_DEVELOPMENT),
        ("research", EndUseKind.RESEARCH_AND_DEVELOPMENT),
        ("Repair or Replacement", EndUseKind.REPAIR_OR_REPLACEMENT),
        ("Military", EndUseKind.MILITARY),
        ("defence", EndUseKind.MILITARY),
        ("super-computer", EndUseKind.SUPERCOMPUTER),
        ("advanced node fabrication", EndUseKind.ADVANCED_NODE_FABRICATION),
    ],
)
def test_variant_spellings_read_as_their_member(word: str, member: EndUseKind) -> None:
    assert end_use_kind(word) is member


def test_the_vocabulary() -> None:
    assert [k.value for k in EndUseKind] == [
        "datacenter",
        "state_funded_datacenter",
        "repair_or_replacement",
        "research_and_development",
        "commercial",
        "startup",
        "consumer",
        "civil_industrial",
        "public_sector",
        "critical_infrastructure",
        "military",
        "supercomputer",
        "advanced_node_fabrication",
    ]
    assert all(EndUseKind)  # no falsy member


def test_an_unknown_word_names_where_and_the_closest_members() -> None:
    with pytest.raises(InvalidValueError) as caught:
        end_use_kind("milatry", "cases[3].end_use")
    message = str(caught.value)
    assert message.startswith(
        "cases[3].end_use: 'milatry' is not an end use geotech knows; did you mean 'military'? "
        "use one of datacenter, state_funded_datacenter, "
    )
    assert message.endswith("(or leave it undeclared when unknown)")
    with pytest.raises(InvalidValueError, match=r"^end_use: expected an end use .* got 3$"):
        end_use_kind(3)


@given(st.sampled_from(list(EndUseKind)))
def test_every_member_reads_as_itself(member: EndUseKind) -> None:
    assert end_use_kind(member) is member
    assert end_use_kind(member.value) is member
    assert end_use_kind(member.value.upper().replace("_", " ")) is member


@given(st.text(max_size=30))
def test_reading_is_idempotent(word: str) -> None:
    try:
        once = end_use_kind(word)
    except InvalidValueError:
        return
    assert end_use_kind(once) is once
    assert end_use_kind(str(once)) is once


def test_requests_criteria_and_documents_read_the_vocabulary() -> None:
    request = AccessRequest(
        buyer="b", item="x", on=D(2026, 1, 1), end_use="State Funded Data Centre"
    )
    assert request.end_use is EndUseKind.STATE_FUNDED_DATACENTER
    assert io.to_data(request, AccessRequest)["end_use"] == "state_funded_datacenter"
    data = {"buyer": "b", "item": "x", "on": "2026-01-01", "end_use": "data centre"}
    assert io.from_data(data, AccessRequest).end_use is EndUseKind.DATACENTER
    with pytest.raises(DocumentError, match=r"end_use: 'data warehouse' is not an end use"):
        io.from_data({**data, "end_use": "data warehouse"}, AccessRequest)
    with pytest.raises(InvalidValueError, match=r"^AccessRequest.end_use: 'gaming rig' is not"):
        AccessRequest(buyer="b", item="x", on=D(2026, 1, 1), end_use="gaming rig")
    assert EndUse(["Data Center", "military"]).uses == {EndUseKind.DATACENTER, EndUseKind.MILITARY}
    with pytest.raises(InvalidValueError, match=r"^end_use.uses: 'use-1' is not an end use"):
        EndUse(["use-1"])


def test_the_command_reads_the_vocabulary(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["explain", "bytedance", "nvidia-h200", "--on", "2026-02-01", "--route", "TW,US,CN"]
    assert main([*argv, "--end-use", "State-Funded Data Centre"]) == 0
    out = capsys.readouterr().out
    assert "end use state_funded_datacenter" in out
    assert "Verdict: PROHIBITED" in out
    assert main([*argv, "--end-use", "milatry"]) == 2
    assert "'milatry' is not an end use geotech knows; did you mean 'military'?" in (
        capsys.readouterr().err
    )


# -- the coverage window -----------------------------------------------------------------------

WINDOW = Coverage(id="test-window", start=D(2020, 1, 1), end=D(2020, 12, 31))


def small(*coverage: Coverage) -> World:
    return World(
        states=[State(id="US", name="United States"), State(id="CN", name="China")],
        companies=[
            Company(id="acme", name="Acme", hq="US"),
            Company(id="buyer", name="B", hq="CN"),
        ],
        chips=[Chip(id="x1", name="X1", designer="acme")],
        coverage=coverage,
    )


def test_the_catalogue_declares_its_window() -> None:
    window = catalog.world().window
    assert window is not None
    assert (window.start, window.end) == (D(2019, 1, 1), D(2026, 12, 4))
    assert str(window) == "2019-01-01 to 2026-12-04"
    assert small().window is None


def test_a_window_is_checked() -> None:
    with pytest.raises(InvalidValueError, match=r"^Coverage.end: 2019-12-31 is before start"):
        Coverage(id="w", start=D(2020, 1, 1), end=D(2019, 12, 31))
    with pytest.raises(WorldError, match=r"coverage: 2 windows \(a, b\); a world declares at most"):
        small(attrs.evolve(WINDOW, id="a"), attrs.evolve(WINDOW, id="b"))


def test_a_window_round_trips_through_documents() -> None:
    world = small(WINDOW)
    text = io.dumps_world(world, "toml")
    assert "[[coverage]]" in text
    assert io.loads_world(text, "toml").window == WINDOW
    assert io.loads_world(io.dumps_world(world, "json"), "json") == world


@pytest.mark.parametrize(
    ("on", "inside"),
    [
        (D(2019, 12, 31), False),
        (D(2020, 1, 1), True),
        (D(2020, 12, 31), True),
        (D(2021, 1, 1), False),
    ],
)
def test_outside_the_window_no_answer_is_certain(on: dt.date, inside: bool) -> None:
    world, plain = small(WINDOW), small()
    request = AccessRequest(buyer="buyer", item="x1", on=on, route=("US", "CN"))
    one = evaluate(world, request)
    (many,) = evaluate_many(world, [request])
    (ruling,) = rulings(world, [request])
    assert one == many
    assert ruling == one.ruling
    assert one.verdict is evaluate(plain, request).verdict
    assert one.certain is inside
    assert one.outside == (None if inside else WINDOW)
    headline = one.explain().splitlines()[1]
    if inside:
        assert headline == "Verdict: ALLOWED [certain]"
    else:
        assert headline == (
            f"Verdict: ALLOWED [NOT certain: {on.isoformat()} is outside the world's window, "
            "2020-01-01 to 2020-12-31]"
        )
    assert io.from_data(io.to_data(one), type(one)) == one


# -- the commercially-available condition ------------------------------------------------------


def test_commercial_availability_in_the_us_is_a_chip_fact() -> None:
    by = AvailableInUs(D(2026, 1, 15))
    assert by.describe() == "commercially available in the US by 2026-01-15"
    available = attrs.evolve(small().chip("x1"), us_available=D(2024, 5, 1))
    later = attrs.evolve(available, us_available=D(2026, 3, 1))
    unknown = small().chip("x1")
    world = small()

    def judge(item: Any) -> Step:
        return by.evaluate(item_facts(world, D(2026, 2, 1), item))

    assert judge(available).lines() == [
        "x1 commercially available in the US since 2024-05-01 by 2026-01-15: true"
    ]
    assert judge(later).truth is Truth.FALSE
    step = judge(unknown)
    assert (step.truth, step.needs) == (Truth.UNKNOWN, {"x1.us_available"})
    model = Model(id="m1", name="M1", developer="acme")
    assert judge(model).lines() == [
        "m1 commercially available in the US (a model, not a chip) by 2026-01-15: false"
    ]


def test_a_policy_may_require_commercial_availability() -> None:
    rule = ExportPolicy(
        id="case-by-case-if-available",
        issuer="US",
        title="t",
        criterion=All([ItemIs(["x1"]), AvailableInUs(D(2026, 1, 15))]),
        effect="license_required",
        review="case_by_case",
        effective=D(2026, 1, 15),
    )
    base = attrs.evolve(small(), policies=[rule])
    request = AccessRequest(buyer="buyer", item="x1", on=D(2026, 2, 1), route=("US", "CN"))
    unknown = evaluate(base, request)
    assert (unknown.verdict.name, unknown.certain) == ("ALLOWED", False)
    assert unknown.unknowns[0].needs == {"x1.us_available"}
    chip = attrs.evolve(base.chip("x1"), us_available=D(2024, 5, 1))
    known = evaluate(attrs.evolve(base, chips=[chip]), request)
    assert (known.verdict.name, known.review.name, known.certain) == (
        "LICENSE_REQUIRED",
        "CASE_BY_CASE",
        True,
    )
    assert io.loads_world(io.dumps_world(attrs.evolve(base, chips=[chip]), "toml"), "toml") == (
        attrs.evolve(base, chips=[chip])
    )
