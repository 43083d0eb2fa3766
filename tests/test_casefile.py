"""Decision test files: ``geotech.casefile`` and ``geotech test``. Cases load and dump through
the one converter, failures say what differs field by field, coverage names the policies no
case exercised, and a case pinned from a decision passes (a law)."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geotech import AccessRequest, DocumentError, World, catalog, evaluate, io
from geotech.casefile import (
    Case,
    ConditionPattern,
    Difference,
    cases_from_data,
    cases_to_data,
    check_cases,
    run_cases,
)
from geotech.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "cases" / "h200.toml"
SMALL = ROOT / "examples" / "my_world.toml"
CASE_FILES = [EXAMPLE, *sorted((ROOT / "tests" / "cases").glob("*.toml"))]


@pytest.fixture(scope="module")
def world() -> World:
    return catalog.world()


def load(path: Path) -> tuple[Case, ...]:
    return cases_from_data(tomllib.loads(path.read_text(encoding="utf-8")), str(path))


def test_the_shipped_cases_pass_against_the_catalogue(world: World) -> None:
    report = run_cases(world, load(EXAMPLE))
    assert (len(report.passed), len(report.failed)) == (7, 0)
    assert report.exercised == (
        "cn-2025-08-h20-guidance",
        "cn-2026-01-07-h200-order-pause",
        "cn-2026-01-h200-import-approvals",
        "cn-cac-2025-07-31-nvidia-summons",
        "cn-gac-2026-01-14-h200-not-permitted",
        "us-bis-2023-10-17-acs-ifr",
        "us-bis-2023-10-17-hq-rule",
        "us-bis-2025-11-10-affiliates-suspension",
        "us-bis-2026-01-15-h200-case-by-case",
        "us-bis-entity-list",
        "us-potus-2026-01-14-s232-semiconductor-tariff",
        "us-usg-2025-08-15pct-revenue-share",
    )
    assert report.policies == tuple(sorted(p.id for p in world.policies))
    assert set(report.unexercised) == set(report.policies) - set(report.exercised)
    assert report.coverage == 12 / len(world.policies)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_case_files_round_trip(path: Path) -> None:
    cases = load(path)
    data = cases_to_data(cases)
    assert cases_from_data(data) == cases
    assert cases_from_data(json.loads(io.dumps_json(data))) == cases
    assert cases_from_data(tomllib.loads(io.dumps_toml(data))) == cases


def _case(**changes: object) -> Case:
    base: dict[str, object] = {
        "name": "x",
        "buyer": "buyer",
        "item": "x1",
        "on": "2026-01-01",
        "verdict": "license_required",
        "why": "w",
    }
    return cases_from_data({"cases": [{**base, **changes}]})[0]


@pytest.fixture(scope="module")
def small() -> World:
    return io.load_world(SMALL)


def test_a_failure_lists_every_difference(small: World) -> None:
    wrong = _case(
        verdict="prohibited",
        review="presumption_of_denial",
        certain=False,
        determining=["us-never"],
        conditions=[{"type": "tariff", "rate": 0.25}],
        outcomes=[
            {"leg": ["US", "CN"], "side": "export", "verdict": "allowed"},
            {
                "leg": ["US", "CN"],
                "side": "import",
                "verdict": "allowed",
                "determining": ["us-never"],
            },
        ],
        unknowns=[{"policy": "us-x1-license", "leg": ["US", "CN"], "needs": ["request.end_use"]}],
    )
    (result,) = run_cases(small, [wrong]).results
    assert result.differences == (
        Difference("verdict", "prohibited", "license_required"),
        Difference("review", "presumption_of_denial", "case_by_case"),
        Difference("certain", "false", "true"),
        Difference("determining", "us-never", "us-x1-license"),
        Difference("conditions", "a condition like tariff rate=0.25", "none like it"),
        Difference("outcomes[0].verdict", "allowed", "license_required"),
        Difference("outcomes[1].determining", "us-never", "none"),
        Difference("unknowns", "us-x1-license (US -> CN) needs request.end_use", "none"),
    )
    assert result.headline == (
        "Buyer Co (buyer) x X1 (x1) on 2026-01-01, route US -> CN\n"
        "Verdict: LICENSE_REQUIRED (case-by-case) [certain]"
    )


def test_coverage_of_a_small_world(small: World) -> None:
    report = run_cases(small, [_case(), _case(name="y", on="2024-06-01", verdict="allowed")])
    assert (len(report.passed), len(report.failed)) == (2, 0)
    assert (report.exercised, report.unexercised, report.coverage) == (
        ("us-x1-license",),
        ("us-never",),
        0.5,
    )


def test_cases_that_do_not_fit_the_world(small: World) -> None:
    cases = [
        _case(buyer="buyr"),
        _case(route=["US", "XX"]),
        _case(
            name="x",
            determining=["us-nevr"],
            unknowns=[{"policy": "p", "leg": ["US", "CN"], "needs": []}],
        ),
        _case(name="y", destination="US", route=["CN"]),
    ]
    assert check_cases(small, cases) == [
        "cases[0].buyer: unknown company 'buyr'; did you mean 'buyer'?",
        "cases[1].name: 'x' also names cases[0]; give each case its own name",
        "cases[1].route: unknown state 'XX'",
        "cases[2].name: 'x' also names cases[0]; give each case its own name",
        "cases[2].determining: unknown policy 'us-nevr'; did you mean 'us-never'?",
        "cases[2].unknowns[0].policy: unknown policy 'p'",
        "cases[3].route: ends at CN but the destination is US; end the route at the destination",
    ]
    with pytest.raises(DocumentError) as raised:
        run_cases(small, cases)
    assert len(raised.value.problems) == 7


def test_malformed_cases_are_reported_with_their_paths() -> None:
    doc = {
        "cases": [
            {"name": "a", "buyer": "b", "item": "i", "on": "2026-13-01", "verdict": "maybe"},
            {
                "name": "b",
                "buyer": "b",
                "item": "i",
                "on": "2026-01-01",
                "verdict": "allowed",
                "why": "w",
                "quantity": 0,
                "conditions": [{"type": "tariff", "kind": "kyc"}, {"type": "bribe"}],
                "outcomes": [{"leg": ["US"], "side": "export", "verdict": "allowed"}],
                "colour": "red",
            },
        ]
    }
    with pytest.raises(DocumentError) as raised:
        cases_from_data(doc, "cases.toml")
    assert raised.value.problems == (
        "cases[0].on: expected a date YYYY-MM-DD, got '2026-13-01'",
        "cases[0].verdict: expected one of allowed, conditional, discouraged, license_required, "
        "prohibited, got 'maybe'",
        "cases[0]: missing required key 'why'",
        "cases[1].conditions[0].kind: a tariff has no kind; give rate",
        "cases[1].conditions[1].type: expected one of tariff, revenue_share, volume_cap, "
        "requirement, got 'bribe'",
        'cases[1].outcomes[0].leg: expected [exporter, importer], e.g. ["US", "CN"], got [\'US\']',
        "cases[1]: unknown key 'colour'; allowed keys are name, buyer, item, on, route, "
        "destination, end_use, quantity, verdict, review, conditions, certain, determining, "
        "outcomes, unknowns, why",
    )


def test_a_pattern_matches_by_type_and_given_fields(world: World) -> None:
    decision = evaluate(
        world,
        AccessRequest(buyer="bytedance", item="nvidia-h20", on=dt.date(2025, 9, 1)),
    )
    (share,) = decision.conditions
    assert ConditionPattern(type="revenue_share").matches(share)
    assert ConditionPattern(type="revenue_share", rate=0.15).matches(share)
    assert not ConditionPattern(type="revenue_share", rate=0.25).matches(share)
    assert not ConditionPattern(type="tariff", rate=0.15).matches(share)
    assert str(ConditionPattern(type="revenue_share", rate=0.15)) == "revenue_share rate=0.15"


BUYERS = ("bytedance", "alibaba", "huawei", "openai", "deepseek")
ITEMS = ("nvidia-h200", "nvidia-h20", "nvidia-b200", "huawei-ascend-910c")


@settings(max_examples=30, deadline=None)
@given(
    buyer=st.sampled_from(BUYERS),
    item=st.sampled_from(ITEMS),
    on=st.dates(dt.date(2022, 1, 1), dt.date(2026, 6, 1)),
    route=st.sampled_from([None, ("TW", "US", "CN"), ("TW", "CN")]),
    end_use=st.sampled_from([None, "datacenter", "state_funded_datacenter"]),
)
def test_a_case_pinned_from_its_decision_passes(
    buyer: str, item: str, on: dt.date, route: tuple[str, ...] | None, end_use: str | None
) -> None:
    world = catalog.world()
    request = AccessRequest(buyer=buyer, item=item, on=on, route=route, end_use=end_use)
    d = evaluate(world, request)
    data = io.to_data(d.request)
    data.update(
        name="pinned",
        verdict=d.verdict.name.lower(),
        review=None if d.review is None else d.review.name.lower(),
        certain=d.certain,
        determining=list(d.determining_policies),
        conditions=[
            {
                k: v
                for k, v in io.to_data(c, type(c)).items()
                if k in ("rate", "fraction", "units", "kind", "beneficiary")
            }
            | {"type": c.tag}
            for c in d.conditions
        ],
        outcomes=[
            {
                "leg": [o.leg.exporter, o.leg.importer],
                "side": str(o.side),
                "verdict": o.verdict.name.lower(),
                "determining": list(o.determining_policies),
            }
            for o in d.outcomes
        ],
        unknowns=[
            {
                "policy": u.policy,
                "leg": [u.leg.exporter, u.leg.importer],
                "side": str(u.side),
                "needs": sorted(u.needs),
            }
            for u in d.unknowns
        ],
        why="pinned from the engine",
    )
    if data["review"] is None:
        del data["review"]
    (result,) = run_cases(world, cases_from_data({"cases": [data]})).results
    assert result.differences == ()


# ---------------------------------------------------------------------------------------------
# The command


def test_geotech_test_passes_the_shipped_cases(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(EXAMPLE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    policies = len(catalog.world().policies)
    assert lines[:2] == [
        "7 passed, 0 failed",
        f"policy coverage: 12 of {policies} policies exercised ({12 / policies:.0%}); "
        "not exercised:",
    ]


def test_geotech_test_json_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = cases_to_data([_case(), _case(name="wrong", verdict="allowed")])
    (tmp_path / "c.json").write_text(json.dumps(doc, default=str), encoding="utf-8")
    argv = ["test", str(tmp_path / "c.json"), "--world", str(SMALL), "--format", "json"]
    assert main(argv) == 1
    assert json.loads(capsys.readouterr().out) == {
        "passed": 1,
        "failed": 1,
        "cases": [
            {"file": str(tmp_path / "c.json"), "name": "x", "passed": True, "differences": []},
            {
                "file": str(tmp_path / "c.json"),
                "name": "wrong",
                "passed": False,
                "differences": [
                    {"field": "verdict", "expected": "allowed", "actual": "license_required"}
                ],
            },
        ],
        "coverage": {
            "policies": 2,
            "exercised": ["us-x1-license"],
            "unexercised": ["us-never"],
            "fraction": 0.5,
        },
    }


def test_geotech_test_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "c.toml").write_text(
        '[[cases]]\nname = "w"\nbuyer = "buyer"\nitem = "x1"\non = 2026-01-01\n'
        'verdict = "allowed"\nwhy = "wrong on purpose"\n',
        encoding="utf-8",
    )
    assert (
        main(["test", str(tmp_path / "c.toml"), "--world", str(SMALL), "--format", "markdown"]) == 1
    )
    assert capsys.readouterr().out == (
        f"**FAIL** w ({tmp_path / 'c.toml'})\n"
        "\n"
        "- verdict: expected allowed, got license_required\n"
        "- decision: Buyer Co (buyer) x X1 (x1) on 2026-01-01, route US -> CN\n"
        "- decision: Verdict: LICENSE_REQUIRED (case-by-case) [certain]\n"
        "- why: wrong on purpose\n"
        "\n"
        "**0 passed, 1 failed**\n"
        "\n"
        "policy coverage: 1 of 2 policies exercised (50%), not exercised:\n"
        "\n"
        "- us-never\n"
    )


def test_geotech_test_bad_files_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.toml").write_text("[[cases]]\nname = 1\n", encoding="utf-8")
    (tmp_path / "b.toml").write_text("cases = [", encoding="utf-8")
    (tmp_path / "c.toml").write_text(
        '[[cases]]\nname = "n"\nbuyer = "buyr"\nitem = "x1"\non = 2026-01-01\n'
        'verdict = "allowed"\nwhy = "w"\n',
        encoding="utf-8",
    )
    argv = ["test", "--world", str(SMALL), *(str(tmp_path / f"{x}.toml") for x in "abc")]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    a, b, c = (tmp_path / f"{x}.toml" for x in "abc")
    assert line.startswith(
        f"geotech test: error: CASES: 8 problems: {a}: cases[0].name: expected a string, got 1; "
    )
    assert f"{b}: $: not valid TOML:" in line
    assert line.endswith(f"; {c}: cases[0].buyer: unknown company 'buyr'; did you mean 'buyer'?")
