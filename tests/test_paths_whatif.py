"""What it takes: exact paths on the catalogue, and the laws every answer obeys on random
worlds (each decision is the engine's on the changed request, reaches the target, minimal,
fewest changes first)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geotech
from geotech import catalog
from geotech import strategies as gs
from geotech.analysis.paths import Trial, apply_all, as_restriction, reaches, what_it_takes
from geotech.criteria import All, Spec
from geotech.errors import InvalidValueError
from geotech.policies import Restriction, ReviewPolicy, Verdict

WORLD = catalog.world()
BYTEDANCE_H200 = geotech.AccessRequest(
    buyer="bytedance", item="nvidia-h200", on=dt.date(2025, 6, 1)
)
CASE_BY_CASE = (Verdict.LICENSE_REQUIRED, ReviewPolicy.CASE_BY_CASE)


def test_bytedance_h200_reaches_case_by_case_after_the_chinese_approvals_with_an_end_use() -> None:
    paths = what_it_takes(WORLD, BYTEDANCE_H200, CASE_BY_CASE)
    words = [" + ".join(map(str, p.changes)) for p in paths]
    # the US case-by-case rule (2026-01-15) needs a declared end use to be certain, and China's
    # customs ban on the H200 (2026-01-14) is lifted by the import approvals of 2026-01-28
    assert "on or after 2026-01-28 and before 2026-12-05 + declare end use datacenter" in words
    assert "on or after 2026-01-15 and before 2026-12-05 + declare end use datacenter" not in words
    path = paths[
        words.index("on or after 2026-01-28 and before 2026-12-05 + declare end use datacenter")
    ]
    assert path.decision.restriction is Restriction.LICENSE_CASE_BY_CASE
    assert path.decision.determining_policies == ("us-bis-2026-01-15-h200-case-by-case",)
    assert path.decision.request.on == dt.date(2026, 1, 28)
    # (the open end is the catalogue's window: no day after it is answered with certainty)
    # a TPP between the 3A090.b floor and the 3A090.a line (at the H200's density), with an
    # end use that the military end-use rule does not reach, leaves a notification; its
    # touching pieces are one change
    spec = "declare end use datacenter + TPP in [2400, 4800)"
    assert spec in words
    assert paths[words.index(spec)].decision.restriction is Restriction.CONDITIONAL
    assert [len(p.changes) for p in paths] == sorted(len(p.changes) for p in paths)


def test_a_listed_buyer_is_allowed_an_a10_once_delisted() -> None:
    request = geotech.AccessRequest(buyer="huawei", item="nvidia-a10", on=dt.date(2025, 6, 1))
    assert geotech.evaluate(WORLD, request).determining_policies == ("us-bis-entity-list",)
    paths = what_it_takes(WORLD, request, Verdict.ALLOWED)
    words = [" + ".join(map(str, p.changes)) for p in paths]
    # before the Entity List listing of 2019-05-16 an undeclared end use could still be
    # military, and the 744.21 of then (items of the Supplement No. 2 of the time, unsettled for
    # the catalogue's chips) leaves that uncertain, so the earlier day needs a declared end use too
    assert "on or after 2019-01-01 and before 2019-05-16 + declare end use datacenter" in words
    # delisted, an undeclared end use could still be military (15 CFR 744.21, before and after
    # its 2020 expansion), so the delisting needs a declared end use
    assert [w for w in words if "delist" in w] == [
        "declare end use critical_infrastructure + delist huawei from us-entity-list",
        "declare end use datacenter + delist huawei from us-entity-list",
    ]
    assert "delist huawei from us-entity-list" not in words
    # minimal: no path adds anything to a one-change path
    # (one change: one of the 18 Chinese chips US rules do not reach)
    assert [len(p.changes) for p in paths] == [1] * 18 + [2, 2, 2]
    delisted = paths[words.index("declare end use datacenter + delist huawei from us-entity-list")]
    assert delisted.decision.restriction is Restriction.ALLOWED
    assert delisted.decision.certain


def test_joined_spec_pieces_do_not_repeat_a_smaller_path() -> None:
    """A threshold in force only from a later day cuts the spec's line there; the pieces below
    it, joined, equal the one-change path's piece, so date + spec is not minimal."""
    world = geotech.World(
        states=[geotech.State(id="CN", name="China"), geotech.State(id="JP", name="Japan")],
        companies=[geotech.Company(id="c1", name="C1", hq="CN")],
        chips=[geotech.Chip(id="chip1", name="Accelerator", designer="c1", memory_gb=80.0)],
        policies=[
            geotech.ExportPolicy(
                id=id_, issuer="CN", title=id_, criterion=c, effect=e, effective=day
            )
            for id_, c, e, day in (
                ("p1", All(of=()), "allow", dt.date(2020, 1, 1)),
                ("p2", Spec("memory_gb", ">=", 24), "allow", dt.date(2020, 7, 1)),
                ("p3", Spec("memory_gb", ">=", 80), "discourage", dt.date(2020, 1, 1)),
            )
        ],
    )
    request = geotech.AccessRequest(
        buyer="c1", item="chip1", on=dt.date(2020, 1, 1), route=("CN", "JP")
    )
    paths = what_it_takes(world, request, Restriction.ALLOWED)
    assert [[str(c) for c in p.changes] for p in paths] == [["memory gb below 80"]]


def test_a_request_at_the_target_already_is_one_empty_path() -> None:
    (path,) = what_it_takes(WORLD, BYTEDANCE_H200, Verdict.LICENSE_REQUIRED)
    assert path.changes == ()
    assert path.decision == geotech.evaluate(WORLD, BYTEDANCE_H200)


def test_targets_convert_at_the_boundary() -> None:
    assert as_restriction(CASE_BY_CASE) is Restriction.LICENSE_CASE_BY_CASE
    assert as_restriction(Verdict.LICENSE_REQUIRED) is Restriction.LICENSE_DENIAL
    assert as_restriction(Verdict.ALLOWED) is Restriction.ALLOWED
    assert as_restriction(Restriction.CONDITIONAL) is Restriction.CONDITIONAL
    with pytest.raises(InvalidValueError, match="target: expected a Verdict"):
        as_restriction((Verdict.ALLOWED, "soon"))  # type: ignore[arg-type]


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_every_path_is_the_engines_decision_reaches_the_target_and_is_minimal(
    data: st.DataObject,
) -> None:
    world = data.draw(gs.worlds())
    request = data.draw(gs.requests(world))
    target = data.draw(st.sampled_from(list(Restriction)))
    paths = what_it_takes(world, request, target, most=2)
    sets = [frozenset(p.changes) for p in paths]
    for path in paths:
        trial = apply_all(Trial(world, request), path.changes)
        assert reaches(path.decision, target)
        assert path.decision == geotech.evaluate(trial.world, trial.request)
    for a, b in itertools.permutations(sets, 2):
        assert not a < b
    assert [len(s) for s in sets] == sorted(len(s) for s in sets)
    if reaches(geotech.evaluate(world, request), target):
        assert [p.changes for p in paths] == [()]
