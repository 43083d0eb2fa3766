"""Golden cases: each ``tests/golden/*.json`` holds a small world (in the document format of
``geotech.io``), a request, and the expected decision worked out by hand (see its ``why``).

Expected fields: ``verdict`` (a ``Verdict`` member name), ``review`` (as in documents, or
null), ``conditions`` (as in documents, in canonical order), ``determining_policies``,
``certain``, ``unknowns`` (policy, leg, side, needs), and ``outcomes`` in route order, export
side first, each with its verdict, review, determining policies and every considered policy
marked ``applies``, ``set aside by ...``, ``false`` or ``unknown``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from geotech import AccessRequest, Decision, Outcome, PolicyResult, Truth, evaluate, io
from geotech.policies import Condition

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def review(r: Any) -> str | None:
    return None if r is None else str(r.name.lower())


def mark(result: PolicyResult) -> str:
    if result.set_aside_by:
        return "set aside by " + ", ".join(result.set_aside_by)
    return "applies" if result.truth is Truth.TRUE else str(result.truth)


def outcome(o: Outcome) -> dict[str, Any]:
    return {
        "leg": str(o.leg),
        "side": str(o.side),
        "verdict": o.verdict.name,
        "review": review(o.review),
        "determining_policies": list(o.determining_policies),
        "considered": {r.policy: mark(r) for r in o.considered},
    }


def observed(d: Decision) -> dict[str, Any]:
    """The decision in the golden files' terms."""
    return {
        "verdict": d.verdict.name,
        "review": review(d.review),
        "conditions": [io.to_data(c, Condition) for c in d.conditions],
        "determining_policies": list(d.determining_policies),
        "certain": d.certain,
        "outcomes": [outcome(o) for o in d.outcomes],
        "unknowns": [
            {"policy": u.policy, "leg": str(u.leg), "side": str(u.side), "needs": sorted(u.needs)}
            for u in d.unknowns
        ],
    }


def decide(case: dict[str, Any], fmt: io.Format | None = None) -> Decision:
    world = io.world_from_data(case["world"], "golden world")
    if fmt is not None:
        world = io.loads_world(io.dumps_world(world, fmt), fmt)
    return evaluate(world, io.from_data(case["request"], AccessRequest))


def test_there_are_enough_golden_cases() -> None:
    assert len(CASES) >= 12


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_golden(path: Path) -> None:
    case = load(path)
    assert case["why"], "every golden case explains its expectation"
    assert observed(decide(case)) == case["expected"]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_golden_after_a_round_trip(path: Path, fmt: io.Format) -> None:
    case = load(path)
    assert decide(case, fmt) == decide(case)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_golden_explanation_names_the_determining_policies(path: Path) -> None:
    decision = decide(load(path))
    text = decision.explain()
    for pid in decision.determining_policies:
        assert f"  - {pid}: " in text
    for result in (r for o in decision.outcomes for r in o.considered):
        assert f"    {result.policy} [{mark(result)}]" in text


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_golden_in_the_public_json_format(path: Path) -> None:
    """The converter's JSON of each golden decision says what the golden file expects (verdicts
    written as lowercase names) and reads back to the same decision."""
    case = load(path)
    decision = decide(case)
    data = json.loads(io.dumps_json(io.to_data(decision)))
    expected = case["expected"]
    assert data["ruling"] == {
        "verdict": expected["verdict"].lower(),
        "review": expected["review"],
        "conditions": json.loads(io.dumps_json(expected["conditions"])),
        "determining_policies": expected["determining_policies"],
        "applying_policies": data["ruling"]["applying_policies"],
        "certain": expected["certain"],
    }
    assert [
        (f"{o['leg']['exporter']} -> {o['leg']['importer']}", o["side"], o["verdict"].upper())
        for o in data["outcomes"]
    ] == [(o["leg"], o["side"], o["verdict"]) for o in expected["outcomes"]]
    assert [
        {"policy": u["policy"], "side": u["side"], "needs": u["needs"]} for u in data["unknowns"]
    ] == [{k: u[k] for k in ("policy", "side", "needs")} for u in expected["unknowns"]]
    assert io.from_data(data, Decision) == decision
