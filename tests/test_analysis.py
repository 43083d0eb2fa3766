"""Scenario analysis: matrices, timelines, reforms and comparisons, routes, lint, rendering.

Exact expectations are on ``mini_world`` (tests/conftest.py); the laws are property-tested on
worlds drawn by ``geotech.strategies``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geotech import (
    AccessRequest,
    All,
    BuyerIs,
    BuyerListed,
    EffectKind,
    ExportPolicy,
    ImportPolicy,
    ItemClass,
    ItemIs,
    Spec,
    Truth,
    Verdict,
    World,
    catalog,
    evaluate,
    render,
    strategies,
)
from geotech.analysis import (
    Event,
    EventKind,
    Finding,
    FindingKind,
    Shift,
    Terms,
    access_matrix,
    best_route,
    compare,
    compare_matrices,
    events,
    lint,
    timeline,
)
from geotech.criteria import Criterion, walk
from geotech.errors import InvalidValueError, UnknownEntityError
from geotech.policies import AnyPolicy, Restriction, ReviewPolicy
from geotech.reforms import (
    AddPolicy,
    Amend,
    Authorize,
    Chain,
    ChangeThreshold,
    Deauthorize,
    DelistCompany,
    ListCompany,
    Reform,
    Rescind,
)

D = dt.date
ON = D(2026, 2, 1)
BUYERS = ("bytedance", "huawei", "bytedance-sg")
ITEMS = ("nvidia-h200", "nvidia-h20", "nvidia-h100-sxm")
CBC = "us-2026-h200-case-by-case"
APPROVALS = "cn-2026-h200-import-approvals"
VIA_US = ("TW", "US", "CN")


def _requests() -> list[AccessRequest]:
    """The nine default-route requests of the matrix, then ByteDance x H200 via the US."""
    return [AccessRequest(buyer=b, item=i, on=ON) for b in BUYERS for i in ITEMS] + [
        AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, route=VIA_US)
    ]


# ---------------------------------------------------------------------------------------------
# Access matrix


def test_access_matrix_labels(mini_world: World) -> None:
    matrix = access_matrix(mini_world, BUYERS, ITEMS, ON)
    assert render.to_text(matrix) == (
        "Access on 2026-02-01, route default routes\n"
        "buyer         nvidia-h200                                  nvidia-h20        "
        "nvidia-h100-sxm\n"
        "bytedance     US license (case-by-case) / CN conditional*  allowed           "
        "license (case-by-case)*\n"
        "huawei        CN prohibited / US license (denial)          license (denial)  "
        "license (denial)\n"
        "bytedance-sg  license (denial)                             allowed           "
        "license (denial)\n"
        "* with conditions; ? not certain (depends on unknown facts)\n"
    )


def test_access_matrix_is_evaluate_cell_by_cell(mini_world: World) -> None:
    matrix = access_matrix(mini_world, BUYERS, ITEMS, ON, route=VIA_US)
    assert [(x.buyer, x.item) for x in matrix.cells] == [(b, i) for b in BUYERS for i in ITEMS]
    for b in BUYERS:
        for i in ITEMS:
            expected = evaluate(mini_world, AccessRequest(buyer=b, item=i, on=ON, route=VIA_US))
            assert matrix.decision(b, i) == expected
    assert [x.item for x in matrix.row("huawei")] == list(ITEMS)


def test_access_matrix_rejects_repeats_and_unknown_pairs(mini_world: World) -> None:
    with pytest.raises(InvalidValueError, match=r"access_matrix.buyers: \['huawei'\]"):
        access_matrix(mini_world, ["huawei", "huawei"], ITEMS, ON)
    matrix = access_matrix(mini_world, ["huawei"], ["nvidia-h20"], ON)
    with pytest.raises(KeyError, match="bytedance x nvidia-h20"):
        matrix.decision("bytedance", "nvidia-h20")
    with pytest.raises(UnknownEntityError):
        access_matrix(mini_world, ["bytedanse"], ITEMS, ON)


# ---------------------------------------------------------------------------------------------
# Timeline


def test_timeline_of_the_flagship_request(mini_world: World) -> None:
    request = AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, route=VIA_US)
    line = timeline(mini_world, request, D(2022, 1, 1), D(2027, 1, 1))
    assert render.to_text(line) == (
        "bytedance x nvidia-h200, route TW -> US -> CN: decisions from 2022-01-01 to "
        "2027-01-01 (exclusive)\n"
        "2022-01-01  allowed  [no restricting policy]\n"
        "2023-11-17  allowed -> license (denial)  [us-2023-acs-destination, "
        "us-2023-acs-headquarters]\n"
        "            - class definition us-3a090a-2023 takes effect\n"
        "            - class definition us-3a090a-2022 expires\n"
        "            - policy us-2023-acs-destination takes effect\n"
        "            - policy us-2023-acs-headquarters takes effect\n"
        "2026-01-14  license (denial) -> CN prohibited / US license (denial)  "
        "[cn-2026-h200-customs-block]\n"
        "            - policy cn-2026-h200-customs-block takes effect\n"
        "2026-01-15  CN prohibited / US license (denial) -> "
        "CN prohibited / US license (case-by-case)*  [cn-2026-h200-customs-block]\n"
        "            - policy us-2026-h200-case-by-case takes effect\n"
        "            - policy us-2026-semiconductor-tariff takes effect\n"
        "2026-01-28  CN prohibited / US license (case-by-case)* -> "
        "US license (case-by-case) / CN conditional*  [us-2026-h200-case-by-case]\n"
        "            - policy cn-2026-h200-import-approvals takes effect\n"
    )
    assert line.at(D(2026, 1, 27)).verdict is Verdict.PROHIBITED
    assert line.at(D(2026, 1, 28)).review is ReviewPolicy.CASE_BY_CASE
    with pytest.raises(InvalidValueError, match="outside"):
        line.at(D(2027, 1, 1))


def test_timeline_keeps_only_the_events_that_touch_the_request(mini_world: World) -> None:
    # The default route US -> CN has no leg into the US: the US tariff is out of scope.
    request = AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON)
    line = timeline(mini_world, request, D(2026, 1, 10), D(2026, 1, 20))
    block = "cn-2026-h200-customs-block"
    assert [(x.on, x.events) for x in line.changes] == [
        (D(2026, 1, 14), (Event(D(2026, 1, 14), EventKind.POLICY_EFFECTIVE, block),)),
        (D(2026, 1, 15), (Event(D(2026, 1, 15), EventKind.POLICY_EFFECTIVE, CBC),)),
    ]


def test_timeline_reports_listings(mini_world: World) -> None:
    request = AccessRequest(buyer="huawei", item="nvidia-h20", on=ON)
    line = timeline(mini_world, request, D(2019, 1, 1), D(2020, 1, 1))
    assert [(x.on, [str(e) for e in x.events]) for x in line.changes] == [
        (
            D(2019, 5, 16),
            ["huawei listed on us-entity-list", "policy us-entity-list-license takes effect"],
        )
    ]
    listed = ListCompany("us-entity-list", "bytedance", D(2026, 1, 20)).apply(mini_world)
    flagship = AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, route=VIA_US)
    change = timeline(listed, flagship, D(2026, 1, 16), D(2026, 1, 25)).changes
    assert [(x.on, [str(e) for e in x.events]) for x in change] == [
        (D(2026, 1, 20), ["bytedance listed on us-entity-list"])
    ]


def test_timeline_needs_a_window(mini_world: World) -> None:
    request = AccessRequest(buyer="huawei", item="nvidia-h20", on=ON)
    with pytest.raises(InvalidValueError, match="end 2020-01-01 must be after start 2020-01-01"):
        timeline(mini_world, request, D(2020, 1, 1), D(2020, 1, 1))


def test_events_of_the_world(mini_world: World) -> None:
    found = events(mini_world)
    assert found == tuple(sorted(found))
    assert [str(e) for e in found if e.on < D(2023, 1, 1)] == [
        "huawei listed on us-entity-list",
        "policy us-entity-list-license takes effect",
        "class definition us-3a090a-2022 takes effect",
    ]
    assert len(found) == len(mini_world.policies) + 3 + 1  # + class bounds, + one listing


# ---------------------------------------------------------------------------------------------
# Reforms and comparison


def test_rescinding_the_case_by_case_rule(mini_world: World) -> None:
    result = compare(mini_world, Rescind(CBC).apply(mini_world), _requests())
    assert compare(mini_world, Rescind(CBC), _requests()) == result  # a reform of the baseline
    assert render.to_text(result).splitlines() == [
        "4 of 10 requests change: 0 gain, 3 lose, 1 change terms only",
        "buyer      item             shift  before                   after              "
        "responsible",
        "bytedance  nvidia-h200      loses  license (case-by-case)*  license (denial)*  "
        "us-2023-acs-destination, us-2023-acs-headquarters, us-2026-h200-case-by-case",
        "bytedance  nvidia-h100-sxm  loses  license (case-by-case)*  license (denial)   "
        "us-2023-acs-destination, us-2023-acs-headquarters, us-2026-h200-case-by-case",
        "huawei     nvidia-h100-sxm  terms  license (denial)         license (denial)   "
        "us-2023-acs-destination, us-2023-acs-headquarters",
        "bytedance  nvidia-h200      loses  license (case-by-case)*  license (denial)*  "
        "us-2023-acs-destination, us-2023-acs-headquarters, us-2026-h200-case-by-case",
    ]
    assert [x.shift for x in result.changes] == [Shift.LOSES, Shift.LOSES, Shift.TERMS, Shift.LOSES]
    assert result.gains == ()
    assert len(result.losses) == 3


def test_rescinding_from_a_date_ends_the_policy(mini_world: World) -> None:
    later = Rescind(CBC, D(2026, 3, 1))
    assert later.name == "rescind us-2026-h200-case-by-case from 2026-03-01"
    assert later.apply(mini_world).policy(CBC).expires == D(2026, 3, 1)
    assert compare(mini_world, later.apply(mini_world), _requests()).changes == ()
    assert CBC not in Rescind(CBC, D(2026, 1, 1)).apply(mini_world).ids("policy")
    ended = Rescind(CBC, D(2026, 3, 1)).apply(mini_world)
    assert Rescind(CBC, D(2026, 4, 1)).apply(ended) == ended


def test_deauthorizing_the_only_buyer_rescinds_the_authorization(mini_world: World) -> None:
    reformed = Deauthorize(APPROVALS, "bytedance").apply(mini_world)
    assert APPROVALS not in reformed.ids("policy")
    changes = compare(mini_world, reformed, _requests()).changes
    seen = [(x.buyer, x.item, x.before.verdict, x.after.verdict, x.responsible) for x in changes]
    assert seen == [
        ("bytedance", "nvidia-h200", Verdict.LICENSE_REQUIRED, Verdict.PROHIBITED,
         ("cn-2026-h200-customs-block", CBC)),
    ] * 2  # fmt: skip


def test_authorize_and_deauthorize_edit_the_buyers(mini_world: World) -> None:
    both = Authorize(APPROVALS, "huawei").apply(mini_world)
    buyers = [n for n in walk(both.policy(APPROVALS).criterion) if isinstance(n, BuyerIs)]
    assert buyers == [BuyerIs(["bytedance", "huawei"])]
    result = compare(mini_world, both, _requests())
    assert render.to_text(result).splitlines() == [
        "1 of 10 requests change: 1 gain, 0 lose, 0 change terms only",
        "buyer   item         shift  before      after              responsible",
        "huawei  nvidia-h200  gains  prohibited  license (denial)*  cn-2026-h200-customs-block, "
        "us-entity-list-license",
    ]
    assert Deauthorize(APPROVALS, "huawei").apply(both) == mini_world


def test_authorization_errors(mini_world: World) -> None:
    with pytest.raises(InvalidValueError, match="effect prohibit, not allow"):
        Authorize("cn-2026-h200-customs-block", "huawei").apply(mini_world)
    with pytest.raises(InvalidValueError, match="no buyer_is test"):
        Authorize("us-2026-semiconductor-tariff", "huawei").apply(mini_world)
    with pytest.raises(InvalidValueError, match=r"does not name \['huawei'\]"):
        Deauthorize(APPROVALS, "huawei").apply(mini_world)
    with pytest.raises(UnknownEntityError, match="bytedanse"):
        Authorize(APPROVALS, "bytedanse").apply(mini_world)


def test_change_threshold(mini_world: World) -> None:
    # TPP 16,000 still covers the H200 (15,832): nothing changes.
    cap = ChangeThreshold(CBC, "tpp", 16000)
    assert cap.name == "set tpp threshold of us-2026-h200-case-by-case to 16000"
    assert Spec("tpp", "<", 16000) in walk(cap.apply(mini_world).policy(CBC).criterion)
    assert compare(mini_world, cap.apply(mini_world), _requests()).changes == ()
    lower = ChangeThreshold(CBC, "tpp", 15000).apply(mini_world)
    result = compare(mini_world, lower, _requests())
    assert [(x.buyer, x.item, x.shift) for x in result.changes] == [
        ("bytedance", "nvidia-h200", Shift.LOSES),
        ("bytedance", "nvidia-h100-sxm", Shift.LOSES),
        ("huawei", "nvidia-h100-sxm", Shift.TERMS),
        ("bytedance", "nvidia-h200", Shift.LOSES),
    ]


def test_change_threshold_errors(mini_world: World) -> None:
    with pytest.raises(InvalidValueError, match=r"tests tpp with \['<', '>'\]; pass op="):
        ChangeThreshold("us-2026-semiconductor-tariff", "tpp", 15000).apply(mini_world)
    with pytest.raises(InvalidValueError, match="has no spec test on memory_gb; its spec tests"):
        ChangeThreshold(CBC, "memory_gb", 100).apply(mini_world)
    tariff = ChangeThreshold("us-2026-semiconductor-tariff", "tpp", 15000, op=">").apply(mini_world)
    assert Spec("tpp", ">", 15000) in walk(tariff.policy("us-2026-semiconductor-tariff").criterion)


def test_listing_and_delisting(mini_world: World) -> None:
    listed = ListCompany("us-entity-list", "bytedance", D(2026, 1, 20)).apply(mini_world)
    result = compare(mini_world, listed, _requests())
    assert [(x.buyer, x.item, x.shift) for x in result.changes] == [
        ("bytedance", "nvidia-h200", Shift.LOSES),
        ("bytedance", "nvidia-h20", Shift.LOSES),
        ("bytedance", "nvidia-h100-sxm", Shift.LOSES),
        ("bytedance", "nvidia-h200", Shift.LOSES),
    ]  # fmt: skip
    delisted = DelistCompany("us-entity-list", "huawei", D(2026, 1, 1)).apply(mini_world)
    result = compare(mini_world, delisted, _requests())
    assert render.to_text(result).splitlines()[2:] == [
        "huawei  nvidia-h200      terms  prohibited        prohibited*              "
        "cn-2026-h200-customs-block",
        "huawei  nvidia-h20       gains  license (denial)  allowed                  "
        "us-entity-list-license",
        "huawei  nvidia-h100-sxm  gains  license (denial)  license (case-by-case)*  "
        "us-2026-h200-case-by-case, us-entity-list-license",
    ]


def test_reforms_chain_in_order(mini_world: World) -> None:
    new = ImportPolicy(
        id="cn-what-if-approvals",
        issuer="CN",
        title="A second batch of approvals",
        criterion=All(of=[ItemIs(["nvidia-h200"]), BuyerIs(["huawei"])]),
        effect="allow",
        supersedes=["cn-2026-h200-customs-block"],
        effective=D(2026, 1, 30),
    )
    both = AddPolicy(new).then(Rescind(CBC))
    assert isinstance(both, Reform)
    assert both.name == "add cn-what-if-approvals; then rescind us-2026-h200-case-by-case"
    assert both.apply(mini_world) == Rescind(CBC).apply(AddPolicy(new).apply(mini_world))
    with pytest.raises(UnknownEntityError, match="cn-what-if-approvals"):
        Rescind("cn-what-if-approvals").then(AddPolicy(new)).apply(mini_world)


def test_compare_matrices_between_two_dates(mini_world: World) -> None:
    before = access_matrix(mini_world, BUYERS, ITEMS, D(2025, 12, 1), route=VIA_US)
    after = access_matrix(mini_world, BUYERS, ITEMS, ON, route=VIA_US)
    diff = compare_matrices(before, after)
    us_2023 = ("us-2023-acs-destination", "us-2023-acs-headquarters")
    assert [(x.buyer, x.item, x.shift, x.responsible) for x in diff.changes] == [
        ("bytedance", "nvidia-h200", Shift.GAINS, (*us_2023, CBC)),
        ("bytedance", "nvidia-h100-sxm", Shift.GAINS, (*us_2023, CBC)),
        ("huawei", "nvidia-h200", Shift.LOSES,
         ("cn-2026-h200-customs-block", *us_2023, "us-entity-list-license")),
        ("huawei", "nvidia-h100-sxm", Shift.TERMS, us_2023),
        ("bytedance-sg", "nvidia-h200", Shift.LOSES, ("cn-2026-h200-customs-block", *us_2023)),
        ("bytedance-sg", "nvidia-h100-sxm", Shift.GAINS, (*us_2023, CBC)),
    ]  # fmt: skip
    with pytest.raises(InvalidValueError, match="same buyers and items"):
        compare_matrices(before, access_matrix(mini_world, BUYERS[:1], ITEMS, ON))


# ---------------------------------------------------------------------------------------------
# Routes


def test_best_route_goes_through_the_us(mini_world: World) -> None:
    direct = AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, route=("TW", "CN"))
    choice = best_route(mini_world, direct, via=[(), ("US",)])
    assert [(o.route, o.decision.review, len(o.decision.conditions)) for o in choice.options] == [
        (VIA_US, ReviewPolicy.CASE_BY_CASE, 5),
        (("TW", "CN"), ReviewPolicy.PRESUMPTION_OF_DENIAL, 1),
    ]
    assert render.to_text(best_route(mini_world, direct)) == (
        "Best route for bytedance x nvidia-h200 on 2026-02-01: TW -> US -> CN, "
        "LICENSE_REQUIRED (case-by-case)\n"
        "rank  route           verdict                  conditions  determined by\n"
        "1     TW -> US -> CN  license (case-by-case)*  5           us-2026-h200-case-by-case\n"
        "2     TW -> CN        license (denial)*        1           us-2023-acs-destination, "
        "us-2023-acs-headquarters\n"
        "3     TW -> MO -> CN  license (denial)*        1           us-2023-acs-destination, "
        "us-2023-acs-headquarters\n"
        "4     TW -> SG -> CN  license (denial)*        1           us-2023-acs-destination, "
        "us-2023-acs-headquarters\n"
    )
    with pytest.raises(InvalidValueError, match="via is empty"):
        best_route(mini_world, direct, via=[])


# ---------------------------------------------------------------------------------------------
# Lint


def _with(world: World, *policies: AnyPolicy) -> World:
    for p in policies:
        world = AddPolicy(p).apply(world)
    return world


def _planted(
    id: str, criterion: Criterion, effect: str = "prohibit", *, effective: dt.date
) -> AnyPolicy:
    return ImportPolicy(
        id=id, issuer="CN", title="planted", criterion=criterion, effect=effect, effective=effective
    )


def test_lint_finds_nothing_in_the_mini_world(mini_world: World) -> None:
    assert lint(mini_world) == ()
    assert render.to_text(lint(mini_world)) == "No findings.\n"


def test_lint_finds_planted_problems(mini_world: World) -> None:
    world = _with(
        mini_world,
        _planted(
            "planted-thresholds",
            All(of=[Spec("tpp", ">=", 5000), Spec("tpp", "<", 4000)]),
            effective=D(2024, 1, 1),
        ),
        _planted(
            "planted-h20-in-class",
            All(of=[ItemIs(["nvidia-h20"]), ItemClass(["3A090.a"])]),
            effective=D(2024, 1, 1),
        ),
        _planted("planted-h20-allow", ItemIs(["nvidia-h20"]), "allow", effective=D(2025, 1, 1)),
        _planted("planted-h20-ban", ItemIs(["nvidia-h20"]), effective=D(2025, 6, 1)),
        ExportPolicy(
            id="planted-early-class",
            issuer="US",
            title="planted",
            criterion=ItemClass(["3A090.a"]),
            effect="license_required",
            review="presumption_of_denial",
            effective=D(2021, 1, 1),
        ),
    )
    assert lint(world) == (
        Finding(
            FindingKind.NEVER_MATCHES,
            ("planted-h20-in-class",),
            "policy planted-h20-in-class can never match: none of the items {nvidia-h20} passes "
            "the other item tests (kind, specs, datacenter, class definitions)",
        ),
        Finding(
            FindingKind.NEVER_MATCHES,
            ("planted-thresholds",),
            "policy planted-thresholds can never match: tpp >= 5000 and tpp < 4000 leave no "
            "possible value",
        ),
        Finding(
            FindingKind.CONTRADICTION,
            ("planted-h20-allow", "planted-h20-ban"),
            "planted-h20-allow (ALLOWED) and planted-h20-ban (PROHIBITED) can match the same "
            "request (from 2025-06-01): one allows what the other restricts and neither "
            "supersedes the other, so planted-h20-ban always wins; if planted-h20-allow is an "
            'exception, add supersedes = ["planted-h20-ban"] to it',
        ),
        Finding(
            FindingKind.CLASS_OUT_OF_FORCE,
            ("planted-early-class", "3A090.a"),
            "policy planted-early-class tests class 3A090.a, which has no definition in force "
            "from 2021-01-01 to 2022-10-07 while the policy is; start the policy later or add a "
            "definition",
        ),
    )


def test_lint_finds_always_superseded_policies(mini_world: World) -> None:
    shadowed = _planted(
        "planted-discouraged",
        All(of=[ItemIs(["nvidia-h200"]), BuyerIs(["bytedance"])]),
        "discourage",
        effective=D(2026, 2, 1),
    )
    world = Amend(
        APPROVALS, supersedes={"cn-2026-h200-customs-block", "planted-discouraged"}
    ).apply(_with(mini_world, shadowed))
    assert lint(world) == (
        Finding(
            FindingKind.ALWAYS_SUPERSEDED,
            ("planted-discouraged", APPROVALS),
            "policy planted-discouraged never applies: whenever it matches, "
            "cn-2026-h200-import-approvals (in force all that time) matches too and supersedes "
            "it",
        ),
    )


def test_lint_finds_tests_of_ended_listings(mini_world: World) -> None:
    delisted = DelistCompany("us-entity-list", "huawei", D(2020, 1, 1)).apply(mini_world)
    world = _with(
        delisted,
        _planted("planted-listed", BuyerListed(["us-entity-list"]), effective=D(2021, 1, 1)),
    )
    assert [(f.kind, f.ids) for f in lint(world)] == [
        (FindingKind.NEVER_MATCHES, ("planted-listed",)),
        (FindingKind.NO_ACTIVE_LISTING, ("planted-listed", "us-entity-list")),
    ]
    assert lint(world)[1].message == (
        "policy planted-listed tests listing on us-entity-list, which has no listing active "
        "while the policy is in force (all ended or not yet started)"
    )
    assert lint(delisted) == ()


def test_the_catalogue_lints_clean() -> None:
    assert lint(catalog.world()) == ()


def test_catalogue_timeline_of_the_flagship_request() -> None:
    request = AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, route=VIA_US)
    line = timeline(catalog.world(), request, D(2022, 1, 1), D(2026, 6, 1))
    # uncertain: with the end use undeclared, the military end-use rule (744.21) may apply
    assert render.label(line.initial) == "allowed?"
    assert [(x.on, render.label(x.after), x.after.determining_policies) for x in line.changes] == [
        (D(2022, 10, 7), "license (denial)", ("us-bis-2022-10-07-advanced-computing",)),
        (D(2023, 11, 17), "license (denial)",
         ("us-bis-2023-10-17-acs-ifr", "us-bis-2023-10-17-hq-rule")),
        (D(2025, 11, 5), "license (denial)?",
         ("us-bis-2023-10-17-acs-ifr", "us-bis-2023-10-17-hq-rule")),
        (D(2026, 1, 14), "prohibited", ("cn-gac-2026-01-14-h200-not-permitted",)),
        (D(2026, 1, 15), "prohibited*", ("cn-gac-2026-01-14-h200-not-permitted",)),
        (D(2026, 1, 28), "license (case-by-case)*?", ("us-bis-2026-01-15-h200-case-by-case",)),
    ]  # fmt: skip
    assert [str(e) for e in line.changes[4].events] == [
        "policy us-bis-2026-01-15-h200-case-by-case takes effect",
        "policy us-potus-2026-01-14-s232-semiconductor-tariff takes effect",
    ]


# ---------------------------------------------------------------------------------------------
# Rendering


def test_json_is_plain_and_byte_stable(mini_world: World) -> None:
    matrix = access_matrix(mini_world, BUYERS[:1], ITEMS[:1], ON, route=VIA_US)
    text = render.to_json(matrix)
    assert text == render.to_json(
        access_matrix(mini_world, BUYERS[:1], ITEMS[:1], ON, route=VIA_US)
    )
    data = json.loads(text)
    # Results are written by the one converter: a cell holds its whole decision.
    assert {k: v for k, v in data.items() if k != "cells"} == {
        "on": "2026-02-01",
        "route": ["TW", "US", "CN"],
        "buyers": ["bytedance"],
        "items": ["nvidia-h200"],
    }
    (cell,) = data["cells"]
    assert (cell["buyer"], cell["item"]) == ("bytedance", "nvidia-h200")
    assert cell["decision"]["ruling"] == {
        "verdict": "license_required",
        "review": "case_by_case",
        "conditions": [
            {"type": "requirement", "kind": "domestic_purchase_ratio",
             "detail": "buy domestic chips alongside"},
            {"type": "requirement", "kind": "supply_certification",
             "detail": "sufficient US supply"},
            {"type": "requirement", "kind": "third_party_testing",
             "detail": "independent testing in the US"},
            {"type": "tariff", "rate": 0.25},
            {"type": "volume_cap", "fraction": 0.5,
             "reference": "shipments to US end users"},
        ],
        "determining_policies": [CBC],
        "applying_policies": cell["decision"]["ruling"]["applying_policies"],
        "certain": True,
    }  # fmt: skip
    assert CBC in cell["decision"]["ruling"]["applying_policies"]
    decision = json.loads(render.to_json(matrix.cells[0].decision))
    assert [(o["leg"], o["side"], o["verdict"]) for o in decision["outcomes"]] == [
        ({"exporter": "TW", "importer": "US"}, "export", "allowed"),
        ({"exporter": "TW", "importer": "US"}, "import", "conditional"),
        ({"exporter": "US", "importer": "CN"}, "export", "license_required"),
        ({"exporter": "US", "importer": "CN"}, "import", "conditional"),
    ]
    findings = json.loads(render.to_json(lint(mini_world)))
    assert findings == {"findings": []}


def test_json_of_timelines_comparisons_and_routes(mini_world: World) -> None:
    request = AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, route=VIA_US)
    line = json.loads(render.to_json(timeline(mini_world, request, D(2026, 1, 20), ON)))
    assert line["start"] == "2026-01-20"
    assert line["initial"]["ruling"]["verdict"] == "prohibited"
    changes = line["changes"]
    assert [(x["on"], x["after"]["ruling"]["review"], x["events"]) for x in changes] == [
        (
            "2026-01-28",
            "case_by_case",
            [
                {
                    "on": "2026-01-28",
                    "kind": "policy_effective",
                    "subject": APPROVALS,
                }
            ],
        )
    ]
    result = json.loads(
        render.to_json(compare(mini_world, Rescind(CBC).apply(mini_world), [request]))
    )
    assert result["compared"] == 1
    assert [
        (x["before"]["ruling"]["review"], x["after"]["ruling"]["review"]) for x in result["changes"]
    ] == [("case_by_case", "presumption_of_denial")]
    direct = attrs.evolve(request, route=("TW", "CN"))
    routes = json.loads(render.to_json(best_route(mini_world, direct, via=[(), ("US",)])))
    assert routes["options"][0]["route"] == list(VIA_US)  # ranked: the best first
    assert [o["route"] for o in routes["options"]] == [list(VIA_US), ["TW", "CN"]]


def test_markdown_tables(mini_world: World) -> None:
    matrix = access_matrix(mini_world, ["huawei"], ["nvidia-h20", "nvidia-h200"], ON)
    assert render.to_markdown(matrix) == (
        "**Access on 2026-02-01, route default routes**\n\n"
        "| buyer | nvidia-h20 | nvidia-h200 |\n"
        "|---|---|---|\n"
        "| huawei | license (denial) | CN prohibited / US license (denial) |\n\n"
        "_* with conditions; ? not certain (depends on unknown facts)_\n"
    )
    result = compare(mini_world, Rescind(CBC).apply(mini_world), _requests()[:1])
    assert render.to_markdown(result).splitlines()[:4] == [
        "**1 of 1 requests change: 0 gain, 1 lose, 0 change terms only**",
        "",
        "| buyer | item | shift | before | after | responsible |",
        "|---|---|---|---|---|---|",
    ]
    decision = matrix.decision("huawei", "nvidia-h20")
    assert render.to_markdown(decision).splitlines()[2] == (
        "**Verdict:** LICENSE_REQUIRED (presumption of denial)"
    )
    # the text is the concise account; Decision.explain() keeps the full trace
    assert render.to_text(decision).splitlines()[1] == decision.explain().splitlines()[1]


def test_render_rejects_other_values() -> None:
    with pytest.raises(TypeError, match="cannot render int"):
        render.to_text(3)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Laws


def _days(start: dt.date, n: int) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range(n)]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_timeline_change_points_are_the_days_the_decision_changes(data: st.DataObject) -> None:
    world = data.draw(strategies.worlds())
    request = data.draw(strategies.requests(world))
    start = data.draw(st.sampled_from(strategies.DATES)) - dt.timedelta(
        days=data.draw(st.integers(0, 120))
    )
    days = _days(start, data.draw(st.integers(1, 240)))
    line = timeline(world, request, days[0], days[-1] + dt.timedelta(days=1))
    terms = [Terms.of(evaluate(world, attrs.evolve(request, on=d))) for d in days]
    changed = [d for d, a, b in zip(days[1:], terms[:-1], terms[1:], strict=True) if a != b]
    assert [x.on for x in line.changes] == changed
    assert Terms.of(line.initial) == terms[0]
    for x in line.changes:
        assert Terms.of(x.after) == terms[days.index(x.on)]
        assert x.events, "every change point names the events that caused it"
        assert {e.on for e in x.events} == {x.on}


@st.composite
def _worlds_with_reform(draw: st.DrawFn) -> tuple[World, World, list[AccessRequest]]:
    world = draw(strategies.worlds())
    gone = draw(st.lists(st.sampled_from([p.id for p in world.policies] or [""]), unique=True))
    steps = [Rescind(pid) for pid in gone if pid]
    requests = draw(st.lists(strategies.requests(world), min_size=1, max_size=6))
    return world, Chain(steps).apply(world) if steps else world, requests


@settings(max_examples=60, deadline=None)
@given(_worlds_with_reform())
def test_compare_a_world_with_itself_is_empty(
    case: tuple[World, World, list[AccessRequest]],
) -> None:
    world, _, requests = case
    result = compare(world, world, requests)
    assert result.changes == ()
    assert result.compared == len(requests)


@settings(max_examples=60, deadline=None)
@given(_worlds_with_reform())
def test_compare_mirrors(case: tuple[World, World, list[AccessRequest]]) -> None:
    a, b, requests = case
    forth, back = compare(a, b, requests), compare(b, a, requests)
    assert len(forth.changes) == len(back.changes)
    mirror = {Shift.GAINS: Shift.LOSES, Shift.LOSES: Shift.GAINS, Shift.TERMS: Shift.TERMS}
    for x, y in zip(forth.changes, back.changes, strict=True):
        assert (x.before, x.after) == (y.after, y.before)
        assert mirror[x.shift] is y.shift
        assert x.responsible == y.responsible
    assert len(forth.gains) == len(back.losses)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_best_route_is_never_more_restrictive_than_a_candidate(data: st.DataObject) -> None:
    world = data.draw(strategies.worlds())
    request = data.draw(strategies.requests(world))
    route = evaluate(world, request).route
    start, end = route[0], route[-1]
    others = [s.id for s in world.states if s.id not in {start, end}]
    stops = st.lists(st.sampled_from(others), max_size=2, unique=True) if others else st.just([])
    choice = best_route(world, request, data.draw(st.lists(stops, min_size=1)))
    best = choice.best.decision
    for option in choice.options:
        d = option.decision
        assert Restriction.of(best.verdict, best.review) <= Restriction.of(d.verdict, d.review)
        assert option.route[0] == start
        assert option.route[-1] == end


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_policies_lint_calls_never_matching_never_match(data: st.DataObject) -> None:
    world = data.draw(strategies.worlds())
    dead = {f.ids[0] for f in lint(world) if f.kind is FindingKind.NEVER_MATCHES}
    for request in data.draw(st.lists(strategies.requests(world), max_size=5)):
        for outcome in evaluate(world, request).outcomes:
            for result in outcome.considered:
                assert not (result.policy in dead and result.truth is Truth.TRUE)


@st.composite
def _clean_worlds(draw: st.DrawFn) -> World:
    """Random worlds whose policies cannot be faulted: each item gets one effect, tested by
    ``item_is`` (sometimes with a spec the item meets, or a non-empty set of buyers)."""
    world = draw(strategies.worlds(max_policies=0))
    states = [s.id for s in world.states]
    companies = [x.id for x in world.companies]
    rules: list[AnyPolicy] = []
    chosen = draw(st.lists(st.sampled_from(sorted(world.ids("item"))), unique=True, max_size=3))
    for n, item_id in enumerate(chosen):
        effect = draw(st.sampled_from(list(EffectKind)))
        review = draw(st.sampled_from(list(ReviewPolicy)))
        item = world.item(item_id)
        for k in range(draw(st.integers(1, 2))):
            tests: list[Criterion] = [ItemIs([item_id])]
            tpp = getattr(item, "tpp", None)
            if tpp is not None and draw(st.booleans()):
                tests.append(Spec("tpp", "<=", tpp))
            if draw(st.booleans()):
                tests.append(BuyerIs(draw(st.lists(st.sampled_from(companies), min_size=1))))
            fields: dict[str, Any] = {
                "id": f"q{n}-{k}",
                "issuer": draw(st.sampled_from(states)),
                "title": "clean",
                "criterion": All(of=tests),
                "effect": effect,
                "review": review if effect is EffectKind.LICENSE_REQUIRED else None,
                "effective": draw(strategies.dates()),
            }
            if draw(st.booleans()):
                rules.append(ExportPolicy(**fields))
            else:
                rules.append(ImportPolicy(**fields))
    return attrs.evolve(world, policies=rules)


@settings(max_examples=60, deadline=None)
@given(_clean_worlds())
def test_lint_finds_nothing_in_a_clean_world(world: World) -> None:
    assert lint(world) == ()


@settings(max_examples=60, deadline=None)
@given(_clean_worlds(), st.data())
def test_lint_finds_planted_problems_in_a_clean_world(world: World, data: st.DataObject) -> None:
    item = data.draw(st.sampled_from(sorted(world.ids("item"))))
    issuer = data.draw(st.sampled_from([s.id for s in world.states]))
    on = data.draw(strategies.dates())
    never = All(of=[ItemIs([item]), Spec("tpp", ">=", 5000), Spec("tpp", "<", 4000)])
    planted = [
        ImportPolicy(
            id="planted-never", issuer=issuer, title="t", criterion=never, effect="prohibit",
            effective=on,
        ),
        ImportPolicy(
            id="planted-allow", issuer=issuer, title="t", criterion=ItemIs([item]),
            effect="allow", effective=on,
        ),
        ImportPolicy(
            id="planted-ban", issuer=issuer, title="t", criterion=ItemIs([item]),
            effect="prohibit", effective=on,
        ),
    ]  # fmt: skip
    findings = lint(_with(world, *planted))
    kinds = {(f.kind, f.ids) for f in findings}
    assert (FindingKind.NEVER_MATCHES, ("planted-never",)) in kinds
    assert (FindingKind.CONTRADICTION, ("planted-allow", "planted-ban")) in kinds
    assert all(any(i.startswith("planted-") for i in f.ids) for f in findings)
