"""The "Public API contract" of DESIGN.md, line by line, on a world built in code (the
``mini_world`` fixture stands in for ``catalog.world()``, which the catalogue tests check)."""

from __future__ import annotations

import datetime as dt
import enum
import importlib
from pathlib import Path

import pytest

import geotech
from geotech import World, io


def test_the_contract_runs_as_written(
    mini_world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from geotech import catalog

    assert callable(catalog.world)
    world = mini_world  # stands for catalog.world()
    h200 = world.chip("nvidia-h200")
    assert (h200.tpp, round(h200.performance_density or 0, 2)) == (15832.0, 19.45)
    assert world.classify("nvidia-h200", on=dt.date(2024, 1, 1)) == ("3A090.a",)
    request = geotech.AccessRequest(
        buyer="bytedance", item="nvidia-h200", on=dt.date(2026, 2, 1), route=("TW", "US", "CN")
    )
    decision = geotech.evaluate(world, request)
    assert decision.verdict is geotech.Verdict.LICENSE_REQUIRED
    assert decision.review is geotech.ReviewPolicy.CASE_BY_CASE
    conditions = decision.conditions
    assert [type(c) for c in conditions] == [
        geotech.Requirement,
        geotech.Requirement,
        geotech.Requirement,
        geotech.Tariff,
        geotech.VolumeCap,
    ]
    assert geotech.Tariff(rate=0.25) in conditions
    assert isinstance(decision.determining_policies, tuple)
    assert decision.determining_policies == ("us-2026-h200-case-by-case",)
    assert decision.certain is True
    for outcome in decision.outcomes:
        assert isinstance(outcome.leg.exporter, str)
        assert isinstance(outcome.leg.importer, str)
        assert outcome.side in (geotech.Side.EXPORT, geotech.Side.IMPORT)
        assert isinstance(outcome.verdict, geotech.Verdict)
        assert outcome.review is None or isinstance(outcome.review, geotech.ReviewPolicy)
        assert isinstance(outcome.conditions, tuple)
        assert isinstance(outcome.determining_policies, tuple)
        assert isinstance(outcome.considered, tuple)
    assert [(o.leg.exporter, o.leg.importer, o.side) for o in decision.outcomes] == [
        ("TW", "US", geotech.Side.EXPORT),
        ("TW", "US", geotech.Side.IMPORT),
        ("US", "CN", geotech.Side.EXPORT),
        ("US", "CN", geotech.Side.IMPORT),
    ]
    print(decision.explain())
    printed = capsys.readouterr().out
    assert "91 FR 1684" in printed
    assert "tpp 15832 >= 4800: true" in printed
    requests = [
        request,
        geotech.AccessRequest(buyer="huawei", item="nvidia-h20", on=dt.date(2025, 6, 1)),
    ]
    assert geotech.evaluate_many(world, requests) == [geotech.evaluate(world, r) for r in requests]

    monkeypatch.chdir(tmp_path)
    io.dump_world(world, "my_world.toml")
    mine = io.load_world("my_world.toml")
    io.dump_world(mine, "copy.json")
    assert mine == world
    assert io.load_world("copy.json") == world
    first = Path("copy.json").read_bytes()
    io.dump_world(io.load_world("copy.json"), "copy.json")
    assert Path("copy.json").read_bytes() == first


def test_enum_members() -> None:
    assert [m.name for m in geotech.Verdict] == [
        "ALLOWED",
        "CONDITIONAL",
        "DISCOURAGED",
        "LICENSE_REQUIRED",
        "PROHIBITED",
    ]
    assert (
        geotech.Verdict.ALLOWED
        < geotech.Verdict.CONDITIONAL
        < geotech.Verdict.DISCOURAGED
        < geotech.Verdict.LICENSE_REQUIRED
        < geotech.Verdict.PROHIBITED
    )
    assert [m.name for m in geotech.ReviewPolicy] == [
        "PRESUMPTION_OF_APPROVAL",
        "CASE_BY_CASE",
        "PRESUMPTION_OF_DENIAL",
    ]
    assert [m.name for m in geotech.Side] == ["EXPORT", "IMPORT"]


def test_error_hierarchy() -> None:
    for error in (
        geotech.UnknownEntityError,
        geotech.DocumentError,
        geotech.WorldError,
        geotech.InvalidValueError,
        geotech.InvalidRequestError,
    ):
        assert issubclass(error, geotech.GeotechError)


def test_document_errors_list_every_problem_with_its_field_path() -> None:
    doc = {
        "states": [{"id": "US", "name": "United States"}],
        "companies": [{"id": "nvidia", "name": "NVIDIA", "hq": "US"}],
        "chips": [
            {"id": f"c{i}", "name": f"C{i}", "designer": "nvidia", "die_area_mm2": 800}
            for i in range(3)
        ]
        + [{"id": "c3", "name": "C3", "designer": "nvidia", "die_area_mm2": "big"}],
    }
    with pytest.raises(geotech.DocumentError) as info:
        io.world_from_data(doc)
    assert isinstance(info.value, geotech.GeotechError)
    assert info.value.problems == ("chips[3].die_area_mm2: expected a number, got 'big'",)


def test_unknown_ids_name_the_id_and_close_matches(mini_world: World) -> None:
    request = geotech.AccessRequest(buyer="bytedance", item="nvidia-h2000", on=dt.date(2026, 2, 1))
    with pytest.raises(geotech.UnknownEntityError) as info:
        geotech.evaluate(mini_world, request)
    assert info.value.key == "nvidia-h2000"
    assert "nvidia-h200" in info.value.suggestions
    assert "'nvidia-h2000'" in str(info.value)


def test_domain_outcomes_never_raise(mini_world: World) -> None:
    """Unknown facts, prohibitions and requests without legs are decisions, not errors."""
    chips = [
        geotech.Chip(id="bare", name="Bare", designer="nvidia"),
        geotech.Chip(id="half", name="Half", designer="nvidia", datacenter=True),
    ]
    world = World(
        states=mini_world.states,
        groups=mini_world.groups,
        companies=mini_world.companies,
        party_lists=mini_world.party_lists,
        chips=(*mini_world.chips, *chips),
        classes=mini_world.classes,
        policies=mini_world.policies,
    )
    for item in world.ids("item"):
        for buyer in world.ids("company"):
            for on in (dt.date(2019, 1, 1), dt.date(2024, 1, 1), dt.date(2026, 2, 1)):
                decision = geotech.evaluate(
                    world, geotech.AccessRequest(buyer=buyer, item=item, on=on)
                )
                assert isinstance(decision.verdict, geotech.Verdict)
                assert decision.explain()


def test_public_names_are_exported() -> None:
    module = importlib.import_module("geotech")
    for name in module.__all__:
        assert hasattr(module, name), name
    for name in (
        "AccessRequest",
        "evaluate",
        "evaluate_many",
        "Verdict",
        "ReviewPolicy",
        "Tariff",
        "VolumeCap",
        "Requirement",
        "GeotechError",
        "UnknownEntityError",
        "DocumentError",
    ):
        assert name in module.__all__, name


def test_no_public_enum_member_is_falsy() -> None:
    enums = [
        value
        for name in geotech.__all__
        if isinstance(value := getattr(geotech, name), type) and issubclass(value, enum.Enum)
    ]
    assert len(enums) >= 10
    falsy = [f"{e.__name__}.{m.name}" for e in enums for m in e if not m]
    assert falsy == []
