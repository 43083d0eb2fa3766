"""The engine: legs and sides, supersession, verdict order, conditions, unknowns and
certainty, determining policies, explanations, and route defaults and errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from geotech import (
    AccessRequest,
    All,
    BuyerIs,
    Chip,
    Company,
    EndUse,
    EndUseKind,
    ExportPolicy,
    ImporterIn,
    ImportPolicy,
    InvalidRequestError,
    InvalidValueError,
    ItemIs,
    Leg,
    Material,
    Model,
    Requirement,
    ReviewPolicy,
    Side,
    Spec,
    State,
    Tariff,
    Truth,
    Unknown,
    UnknownEntityError,
    Verdict,
    VolumeCap,
    World,
    evaluate,
    evaluate_many,
)
from geotech.policies import Restriction
from geotech.reforms import AddPolicy, ListCompany

D = dt.date
ON = D(2026, 2, 1)
LR = Verdict.LICENSE_REQUIRED
POA = ReviewPolicy.PRESUMPTION_OF_APPROVAL
CBC = ReviewPolicy.CASE_BY_CASE
POD = ReviewPolicy.PRESUMPTION_OF_DENIAL

DESTINATION = "us-2023-acs-destination"
HEADQUARTERS = "us-2023-acs-headquarters"
CASE_BY_CASE = "us-2026-h200-case-by-case"
TARIFF = "us-2026-semiconductor-tariff"
CN_BLOCK = "cn-2026-h200-customs-block"
CN_APPROVALS = "cn-2026-h200-import-approvals"
ENTITY_LIST = "us-entity-list-license"

CAP = VolumeCap(fraction=0.5, reference="shipments to US end users")
TESTING = Requirement("third_party_testing", "independent testing in the US")
SUPPLY = Requirement("supply_certification", "sufficient US supply")
DOMESTIC = Requirement("domestic_purchase_ratio", "buy domestic chips alongside")


def ask(world: World, buyer: str = "bytedance", item: str = "nvidia-h200", **kw: Any) -> Any:
    return evaluate(world, AccessRequest(buyer=buyer, item=item, on=kw.pop("on", ON), **kw))


def summary(decision: Any) -> list[tuple[str, str, str, str | None, tuple[str, ...]]]:
    """Each outcome as (leg, side, verdict, review, determining policies)."""
    return [
        (
            str(o.leg),
            str(o.side),
            o.verdict.name,
            o.review.name if o.review else None,
            o.determining_policies,
        )
        for o in decision.outcomes
    ]


# -- a two-state world for the ordering rules ---------------------------------------------------


def tiny(*policies: ExportPolicy | ImportPolicy) -> World:
    return World(
        states=[State(id="US", name="United States"), State(id="CN", name="China")],
        companies=[
            Company(id="acme", name="Acme", hq="US"),
            Company(id="buyer", name="Buyer", hq="CN"),
        ],
        chips=[Chip(id="x1", name="X1", designer="acme")],
        policies=policies,
    )


def rule(id: str, effect: str, review: str | None = None, **fields: Any) -> ExportPolicy:
    """An export policy of the US that matches x1 going to China."""
    return ExportPolicy(
        id=id,
        issuer="US",
        title=id,
        criterion=fields.pop("criterion", ItemIs(["x1"])),
        effect=effect,
        review=review,
        effective=D(2025, 1, 1),
        **fields,
    )


def import_rule(id: str, effect: str, review: str | None = None, **fields: Any) -> ImportPolicy:
    return ImportPolicy(
        id=id,
        issuer="CN",
        title=id,
        criterion=fields.pop("criterion", ItemIs(["x1"])),
        effect=effect,
        review=review,
        effective=D(2025, 1, 1),
        **fields,
    )


def decide(world: World, **kw: Any) -> Any:
    return evaluate(world, AccessRequest(buyer="buyer", item="x1", on=D(2025, 6, 1), **kw))


# -- the flagship case --------------------------------------------------------------------------


def test_flagship_h200_via_the_us(mini_world: World, flagship_request: AccessRequest) -> None:
    d = evaluate(mini_world, flagship_request)
    assert d.verdict is LR
    assert d.review is CBC
    assert d.conditions == (DOMESTIC, SUPPLY, TESTING, Tariff(0.25), CAP)
    assert d.determining_policies == (CASE_BY_CASE,)
    assert d.certain
    assert d.unknowns == ()


def test_flagship_outcomes_per_leg_and_side(
    mini_world: World, flagship_request: AccessRequest
) -> None:
    d = evaluate(mini_world, flagship_request)
    assert summary(d) == [
        ("TW -> US", "export", "ALLOWED", None, ()),
        ("TW -> US", "import", "CONDITIONAL", None, (TARIFF,)),
        ("US -> CN", "export", "LICENSE_REQUIRED", "CASE_BY_CASE", (CASE_BY_CASE,)),
        ("US -> CN", "import", "CONDITIONAL", None, (CN_APPROVALS,)),
    ]
    first, tariff, export, imports = d.outcomes
    assert first.leg == Leg("TW", "US")
    assert first.side is Side.EXPORT
    # US export rules do not reach a leg that enters the US itself.
    assert first.considered == ()
    assert tariff.conditions == (Tariff(0.25),)
    assert export.conditions == (SUPPLY, TESTING, CAP)
    # Considered policies are listed by id.
    assert [(r.policy, r.truth, r.set_aside_by) for r in export.considered] == [
        (DESTINATION, Truth.TRUE, (CASE_BY_CASE,)),
        (HEADQUARTERS, Truth.TRUE, (CASE_BY_CASE,)),
        (CASE_BY_CASE, Truth.TRUE, ()),
        (ENTITY_LIST, Truth.FALSE, ()),
    ]
    assert [r.applies for r in export.considered] == [False, False, True, False]
    assert [(r.policy, r.set_aside_by) for r in imports.considered] == [
        (CN_BLOCK, (CN_APPROVALS,)),
        (CN_APPROVALS, ()),
    ]
    assert imports.conditions == (DOMESTIC,)
    assert all(o.certain for o in d.outcomes)


def test_before_the_2026_rule_presumption_of_denial(mini_world: World) -> None:
    d = ask(mini_world, on=D(2025, 6, 1))
    assert d.route == ("US", "CN")
    assert d.destination == "CN"
    assert d.request.route is None  # the request as asked
    assert (d.verdict, d.review) == (LR, POD)
    assert d.determining_policies == (DESTINATION, HEADQUARTERS)
    assert d.conditions == ()
    assert summary(d) == [
        ("US -> CN", "export", "LICENSE_REQUIRED", "PRESUMPTION_OF_DENIAL", d.determining_policies),
        ("US -> CN", "import", "ALLOWED", None, ()),
    ]


def test_before_the_2023_rule_no_policy_is_in_force(mini_world: World) -> None:
    d = ask(mini_world, on=D(2023, 11, 16))
    assert d.verdict is Verdict.ALLOWED
    assert d.review is None
    assert d.determining_policies == ()
    assert all(r.policy == ENTITY_LIST for o in d.outcomes for r in o.considered)


def test_direct_reexport_keeps_presumption_of_denial(mini_world: World) -> None:
    d = ask(mini_world, route=("TW", "CN"))
    assert (d.verdict, d.review) == (LR, POD)
    assert d.determining_policies == (DESTINATION, HEADQUARTERS)
    # The China-side authorization still applies and brings its condition.
    assert d.conditions == (DOMESTIC,)
    export = d.outcomes[0]
    case = {r.policy: r for r in export.considered}[CASE_BY_CASE]
    assert case.truth is Truth.FALSE
    assert "exporter TW in {US}: false" in case.trace.lines()[-2]
    assert {r.policy: r.set_aside_by for r in export.considered}[DESTINATION] == ()


def test_policies_of_the_exporting_state_are_in_scope(mini_world: World) -> None:
    tw_rule = ExportPolicy(
        id="tw-test-export-rule",
        issuer="TW",
        title="A Taiwanese export rule on H200s to China",
        criterion=All(of=[ItemIs(["nvidia-h200"]), ImporterIn(states=["CN"])]),
        effect="prohibit",
        effective=D(2026, 1, 1),
    )
    world = AddPolicy(tw_rule).apply(mini_world)
    direct = ask(world, route=("TW", "CN"))
    assert direct.verdict is Verdict.PROHIBITED
    assert direct.determining_policies == ("tw-test-export-rule",)
    # Via the US: considered where Taiwan exports (TW -> US, not matching), out of scope on
    # US -> CN where Taiwan is neither the exporter nor a jurisdiction of the item.
    via_us = ask(world, route=("TW", "US", "CN"))
    assert via_us.verdict is LR
    assert [(r.policy, r.truth) for r in via_us.outcomes[0].considered] == [
        ("tw-test-export-rule", Truth.FALSE)
    ]
    assert "tw-test-export-rule" not in {r.policy for r in via_us.outcomes[2].considered}


def test_headquarters_rule_through_a_parent(mini_world: World) -> None:
    d = ask(mini_world, buyer="bytedance-sg")
    assert d.route == ("US", "SG")
    assert (d.verdict, d.review) == (LR, POD)
    assert d.determining_policies == (HEADQUARTERS,)


def test_determining_policies_are_gathered_over_legs(mini_world: World) -> None:
    d = ask(mini_world, on=D(2025, 6, 1), route=("US", "SG", "CN"))
    assert summary(d)[0] == (
        "US -> SG",
        "export",
        "LICENSE_REQUIRED",
        "PRESUMPTION_OF_DENIAL",
        (HEADQUARTERS,),
    )
    assert summary(d)[2][4] == (DESTINATION, HEADQUARTERS)
    assert d.determining_policies == (DESTINATION, HEADQUARTERS)


def test_entity_list_and_sides_compose_by_max(mini_world: World) -> None:
    d = ask(mini_world, buyer="huawei")
    # The 2026 rule sets aside the 2023 rules but not the Entity List requirement; China's
    # block applies to Huawei, which is not an approved importer.
    assert summary(d) == [
        ("US -> CN", "export", "LICENSE_REQUIRED", "PRESUMPTION_OF_DENIAL", (ENTITY_LIST,)),
        ("US -> CN", "import", "PROHIBITED", None, (CN_BLOCK,)),
    ]
    assert d.verdict is Verdict.PROHIBITED
    assert d.review is None
    assert d.determining_policies == (CN_BLOCK,)


def test_entity_list_reaches_items_outside_3a090(mini_world: World) -> None:
    d = ask(mini_world, buyer="huawei", item="nvidia-rtx-4090d")
    assert (d.verdict, d.review) == (LR, POD)
    assert d.determining_policies == (ENTITY_LIST,)
    assert ask(mini_world, item="nvidia-rtx-4090d").verdict is Verdict.ALLOWED


# -- verdict order and determining policies -----------------------------------------------------


@pytest.mark.parametrize(
    ("policies", "verdict", "review", "determining"),
    [
        ([], Verdict.ALLOWED, None, ()),
        ([rule("a", "allow")], Verdict.ALLOWED, None, ("a",)),
        (
            [rule("a", "allow"), rule("b", "allow", conditions=[Tariff(0.1)])],
            Verdict.CONDITIONAL,
            None,
            ("b",),
        ),
        (
            [rule("a", "allow", conditions=[Tariff(0.1)]), rule("b", "discourage")],
            Verdict.DISCOURAGED,
            None,
            ("b",),
        ),
        (
            [rule("a", "discourage"), rule("b", "license_required", "presumption_of_approval")],
            LR,
            POA,
            ("b",),
        ),
        (
            [
                rule("a", "license_required", "presumption_of_approval"),
                rule("b", "license_required", "case_by_case"),
            ],
            LR,
            CBC,
            ("b",),
        ),
        (
            [
                rule("a", "license_required", "presumption_of_denial"),
                rule("b", "license_required", "case_by_case"),
                rule("c", "license_required", "presumption_of_denial"),
            ],
            LR,
            POD,
            ("a", "c"),
        ),
        (
            [rule("a", "license_required", "presumption_of_denial"), rule("b", "prohibit")],
            Verdict.PROHIBITED,
            None,
            ("b",),
        ),
    ],
    ids=[
        "none",
        "allow",
        "conditional",
        "discourage",
        "approval",
        "case-by-case",
        "denial",
        "prohibit",
    ],
)
def test_most_restrictive_effect_wins(
    policies: list[ExportPolicy],
    verdict: Verdict,
    review: ReviewPolicy | None,
    determining: tuple[str, ...],
) -> None:
    d = decide(tiny(*policies))
    assert (d.verdict, d.review, d.determining_policies) == (verdict, review, determining)


def test_conditions_come_from_determining_policies_only() -> None:
    world = tiny(
        rule("a", "license_required", "presumption_of_approval", conditions=[Tariff(0.1)]),
        rule("b", "license_required", "case_by_case", conditions=[Requirement("kyc")]),
        import_rule("c", "allow", conditions=[Requirement("notification")]),
        import_rule("d", "allow", conditions=[Requirement("notification"), Tariff(0.2)]),
    )
    d = decide(world)
    assert (d.verdict, d.review) == (LR, CBC)
    assert d.outcomes[0].conditions == (Requirement("kyc"),)
    # Both allows determine the CONDITIONAL import side; the union is deduplicated.
    assert d.outcomes[1].determining_policies == ("c", "d")
    assert d.outcomes[1].conditions == (Requirement("notification"), Tariff(0.2))
    assert d.conditions == (Requirement("kyc"), Requirement("notification"), Tariff(0.2))
    assert d.determining_policies == ("b",)


def test_supersedes_needs_the_superseding_policy_to_match() -> None:
    narrow = rule(
        "narrow",
        "license_required",
        "case_by_case",
        criterion=All(of=[ItemIs(["x1"]), BuyerIs(["acme"])]),
        supersedes=["broad"],
    )
    world = tiny(rule("broad", "prohibit"), narrow)
    d = decide(world)
    assert d.verdict is Verdict.PROHIBITED
    assert [(r.policy, r.truth, r.set_aside_by) for r in d.outcomes[0].considered] == [
        ("broad", Truth.TRUE, ()),
        ("narrow", Truth.FALSE, ()),
    ]


def test_supersedes_can_loosen_and_is_not_transitive() -> None:
    world = tiny(
        rule("a", "prohibit"),
        rule("b", "license_required", "presumption_of_denial", supersedes=["a"]),
        rule("c", "license_required", "case_by_case", supersedes=["b"]),
    )
    d = decide(world)
    # b sets aside a, c sets aside b; a is set aside by b although b is itself set aside.
    assert (d.verdict, d.review, d.determining_policies) == (LR, CBC, ("c",))
    assert {r.policy: r.set_aside_by for r in d.outcomes[0].considered} == {
        "a": ("b",),
        "b": ("c",),
        "c": (),
    }


def test_superseding_works_within_one_leg_and_side_only() -> None:
    world = tiny(
        rule("block", "prohibit"),
        import_rule("authorization", "allow", supersedes=["block"]),
    )
    d = decide(world)
    assert d.verdict is Verdict.PROHIBITED
    assert d.determining_policies == ("block",)


def test_policies_out_of_force_have_no_effect() -> None:
    expired = rule("expired", "prohibit")
    expired = attrs.evolve(expired, effective=D(2024, 1, 1), expires=D(2025, 6, 1))
    future = attrs.evolve(rule("future", "prohibit"), effective=D(2025, 6, 2))
    today = attrs.evolve(rule("today", "discourage"), effective=D(2025, 6, 1))
    d = decide(tiny(expired, future, today))
    assert d.verdict is Verdict.DISCOURAGED
    assert d.determining_policies == ("today",)
    assert [r.policy for r in d.outcomes[0].considered] == ["today"]
    assert [p.id for p in d.policies] == ["today"]


# -- unknowns and certainty -------------------------------------------------------------------


def test_unknown_that_could_loosen_makes_the_decision_uncertain(mini_world: World) -> None:
    secret = attrs.evolve(
        mini_world.chip("nvidia-h200"), id="nvidia-h200-unlisted", dram_bandwidth_gbs=None
    )
    world = attrs.evolve(mini_world, chips=(*mini_world.chips, secret))
    d = ask(world, item="nvidia-h200-unlisted")
    # Known facts force the 2023 presumption of denial; the 2026 rule would set it aside.
    assert (d.verdict, d.review) == (LR, POD)
    assert d.determining_policies == (DESTINATION, HEADQUARTERS)
    assert not d.certain
    assert d.unknowns == (
        Unknown(
            policy=CASE_BY_CASE,
            leg=Leg("US", "CN"),
            side=Side.EXPORT,
            needs=frozenset({"nvidia-h200-unlisted.dram_bandwidth_gbs"}),
        ),
    )
    assert not d.outcomes[0].certain


def test_unknown_that_could_not_change_the_verdict_keeps_it_certain(
    mini_world: World, flagship_request: AccessRequest
) -> None:
    military = ImportPolicy(
        id="cn-test-military-use",
        issuer="CN",
        title="Imports for military use discouraged",
        criterion=EndUse(["military"]),
        effect="discourage",
        effective=D(2025, 1, 1),
    )
    d = evaluate(AddPolicy(military).apply(mini_world), flagship_request)
    assert (d.verdict, d.review) == (LR, CBC)
    assert d.certain
    assert d.unknowns == (
        Unknown(
            "cn-test-military-use", Leg("US", "CN"), Side.IMPORT, frozenset({"request.end_use"})
        ),
    )
    # The outcome itself is uncertain (CONDITIONAL or DISCOURAGED), the decision is not.
    assert not d.outcomes[3].certain
    declared = evaluate(
        AddPolicy(military).apply(mini_world), attrs.evolve(flagship_request, end_use="military")
    )
    assert (declared.verdict, declared.review) == (LR, CBC)


def test_unknown_alone_on_an_open_request() -> None:
    world = tiny(rule("military", "prohibit", criterion=EndUse(["military"])))
    d = decide(world)
    assert d.verdict is Verdict.ALLOWED
    assert not d.certain
    assert d.determining_policies == ()
    declared = decide(world, end_use="military")
    assert declared.verdict is Verdict.PROHIBITED
    assert declared.certain
    assert declared.unknowns == ()


def test_unknown_that_could_only_repeat_the_verdict_is_certain() -> None:
    world = tiny(
        rule("known", "license_required", "case_by_case"),
        rule("maybe", "license_required", "case_by_case", criterion=EndUse(["military"])),
    )
    d = decide(world)
    assert (d.verdict, d.review, d.certain) == (LR, CBC, True)
    assert [u.policy for u in d.unknowns] == ["maybe"]


#: The end uses of the closed vocabulary, for many distinct end-use policies.
USES = list(EndUseKind)


def test_certainty_is_exact_for_any_number_of_unknowns() -> None:
    def world_with(n: int, *extra: ExportPolicy) -> World:
        unknown_allows = [
            rule(f"allow-{i:02d}", "allow", criterion=EndUse([USES[i % len(USES)]]))
            for i in range(n)
        ]
        return tiny(rule("ban", "prohibit"), *unknown_allows, *extra)

    # allows that set nothing aside cannot lower a ban, however many there are
    for n in (10, 11, 40):
        d = decide(world_with(n))
        assert (d.verdict, d.certain, len(d.unknowns)) == (Verdict.PROHIBITED, True, n)
    # one that sets the ban aside can
    exception = rule("exception", "allow", criterion=EndUse(["military"]), supersedes=["ban"])
    d = decide(world_with(40, exception))
    assert (d.verdict, d.certain, len(d.unknowns)) == (Verdict.PROHIBITED, False, 41)
    assert (d.outcomes[0].lowest, d.outcomes[0].highest) == (
        Restriction.ALLOWED,
        Restriction.PROHIBITED,
    )


def test_missing_spec_is_unknown_not_a_crash() -> None:
    world = tiny(rule("big", "prohibit", criterion=Spec("tpp", ">=", 4800)))
    d = decide(world)
    assert d.verdict is Verdict.ALLOWED
    assert not d.certain
    assert d.unknowns[0].needs == {"x1.tpp"}


# -- other items -----------------------------------------------------------------------------


def test_a_model_item_defaults_to_its_developers_state() -> None:
    world = attrs.evolve(
        tiny(
            rule(
                "weights",
                "license_required",
                "presumption_of_denial",
                criterion=All(of=[Spec("training_flop", ">=", 1e26), ImporterIn(states=["CN"])]),
            )
        ),
        models=(Model(id="acme-m1", name="M1", developer="acme", training_flop=3e26),),
    )
    d = evaluate(world, AccessRequest(buyer="buyer", item="acme-m1", on=D(2025, 6, 1)))
    assert d.route == ("US", "CN")
    assert (d.verdict, d.review, d.determining_policies) == (LR, POD, ("weights",))


def test_a_material_with_one_jurisdiction_starts_there() -> None:
    gallium = Material(
        id="gallium", name="Gallium", category="critical mineral", jurisdictions=["CN"]
    )
    world = attrs.evolve(tiny(), materials=(gallium,))
    d = evaluate(world, AccessRequest(buyer="acme", item="gallium", on=D(2025, 6, 1)))
    assert d.route == ("CN", "US")
    assert d.verdict is Verdict.ALLOWED


def test_a_material_without_a_single_origin_needs_a_route() -> None:
    world = attrs.evolve(tiny(), materials=(Material(id="gallium", name="Gallium", category="m"),))
    with pytest.raises(InvalidRequestError, match="item 'gallium' has no single origin"):
        evaluate(world, AccessRequest(buyer="acme", item="gallium", on=D(2025, 6, 1)))
    d = evaluate(
        world, AccessRequest(buyer="acme", item="gallium", on=D(2025, 6, 1), route=("CN", "US"))
    )
    assert d.verdict is Verdict.ALLOWED


# -- routes -----------------------------------------------------------------------------------


def test_route_defaults(mini_world: World) -> None:
    assert ask(mini_world).route == ("US", "CN")
    to_sg = ask(mini_world, destination="SG")
    assert (to_sg.destination, to_sg.route) == ("SG", ("US", "SG"))
    via = ask(mini_world, route=("TW", "US", "MO"))
    assert via.destination == "MO"


def test_a_route_without_legs_is_allowed(mini_world: World) -> None:
    d = ask(mini_world, buyer="nvidia")
    assert d.route == ("US",)
    assert d.outcomes == ()
    assert (d.verdict, d.review, d.certain) == (Verdict.ALLOWED, None, True)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        (
            {"route": ("TW", "US")},
            "AccessRequest.route: ends at US but the destination is CN; end the route at the "
            "destination",
        ),
        ({"route": ()}, "AccessRequest.route: empty; give at least the destination"),
        (
            {"route": ("US", "US", "CN")},
            "AccessRequest.route: US follows itself in ['US', 'US', 'CN']; list each crossing once",
        ),
        (
            {"route": ("TW", "SG"), "destination": "CN"},
            "AccessRequest.route: ends at SG but the destination is CN; end the route at the "
            "destination",
        ),
    ],
)
def test_route_errors(mini_world: World, kw: dict[str, Any], message: str) -> None:
    request = AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, **kw)
    if "destination" not in kw:
        request = attrs.evolve(request, destination="CN")
    with pytest.raises(InvalidRequestError) as info:
        evaluate(mini_world, request)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"buyer": "bytedanse"}, "unknown company 'bytedanse'; did you mean 'bytedance'"),
        (
            {"item": "nvidia-h2oo"},
            "unknown item 'nvidia-h2oo'; did you mean 'nvidia-h20', 'nvidia-h200'",
        ),
        ({"destination": "HK"}, "unknown state 'HK'"),
        ({"route": ("TW", "HK", "CN")}, "unknown state 'HK'"),
    ],
)
def test_unknown_ids_in_a_request(mini_world: World, kw: dict[str, Any], message: str) -> None:
    fields: dict[str, Any] = {"buyer": "bytedance", "item": "nvidia-h200", "on": ON, **kw}
    with pytest.raises(UnknownEntityError) as info:
        evaluate(mini_world, AccessRequest(**fields))
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"on": "2026-02-01"}, "AccessRequest.on"),
        ({"on": dt.datetime(2026, 2, 1)}, "AccessRequest.on"),
        ({"quantity": 0}, "AccessRequest.quantity"),
        ({"quantity": True}, "AccessRequest.quantity"),
        ({"destination": "China"}, "AccessRequest.destination"),
        ({"destination": "CN\n"}, "AccessRequest.destination"),
        ({"buyer": None}, "AccessRequest.buyer: expected the id of a company"),
        ({"buyer": 5}, "AccessRequest.buyer: expected the id of a company"),
        ({"item": 3}, "AccessRequest.item: expected the id of a chip, model or material"),
        ({"item": ["nvidia-h200"]}, "AccessRequest.item"),
        ({"route": 5}, r"AccessRequest.route: expected the states .* got 5"),
        ({"route": {"TW", "CN"}}, "AccessRequest.route: expected the states"),
        ({"route": {"TW": "CN"}}, "AccessRequest.route: expected the states"),
        ({"route": b"CN"}, "AccessRequest.route: expected the states"),
        ({"route": ("TW", 5)}, r"AccessRequest.route\[1\]: expected an ISO 3166 .* got 5"),
        ({"route": ["TW", None]}, r"AccessRequest.route\[1\]: .* got None"),
        ({"route": "TW,China"}, r"AccessRequest.route\[1\]: .* got 'China'"),
        ({"route": "tw"}, r"AccessRequest.route\[0\]: .* got 'tw'"),
        ({"end_use": []}, "AccessRequest.end_use: expected an end use"),
        ({"end_use": 1}, "AccessRequest.end_use: expected an end use"),
        ({"quantity": 2.5}, "AccessRequest.quantity"),
        ({"quantity": "10"}, "AccessRequest.quantity"),
        ({"on": None}, "AccessRequest.on"),
    ],
)
def test_invalid_requests(kw: dict[str, Any], field: str) -> None:
    fields: dict[str, Any] = {"buyer": "bytedance", "item": "nvidia-h200", "on": ON, **kw}
    with pytest.raises(InvalidValueError, match=field):
        AccessRequest(**fields)


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ("CN", ("CN",)),
        ("TW,US,CN", ("TW", "US", "CN")),
        ("TW, US, CN", ("TW", "US", "CN")),
        (["TW", "CN"], ("TW", "CN")),
        (iter(["TW", "CN"]), ("TW", "CN")),
    ],
)
def test_a_route_string_is_one_state_or_a_comma_separated_list(
    route: Any, expected: tuple[str, ...]
) -> None:
    request = AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, route=route)
    assert request.route == expected


def test_a_route_string_is_decided_as_the_states_it_names(mini_world: World) -> None:
    by_text = AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, route="TW,US,CN")
    by_tuple = AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, route=("TW", "US", "CN"))
    assert by_text == by_tuple
    assert evaluate(mini_world, by_text).route == ("TW", "US", "CN")


# -- batch, purity, explanation --------------------------------------------------------------


def test_evaluate_many_equals_one_by_one(mini_world: World) -> None:
    requests = [
        AccessRequest(buyer=b, item=i, on=on)
        for b in ("bytedance", "bytedance-sg", "huawei")
        for i in ("nvidia-h200", "nvidia-h20", "nvidia-rtx-4090")
        for on in (D(2023, 1, 1), D(2025, 6, 1), ON)
    ]
    assert evaluate_many(mini_world, requests) == [evaluate(mini_world, r) for r in requests]
    assert evaluate_many(mini_world, iter(requests[:2])) == [
        evaluate(mini_world, r) for r in requests[:2]
    ]
    assert evaluate_many(mini_world, []) == []


def test_evaluation_is_deterministic(mini_world: World, flagship_request: AccessRequest) -> None:
    a = evaluate(mini_world, flagship_request)
    b = evaluate(mini_world, flagship_request)
    assert a == b
    assert a.explain() == b.explain()


def test_decision_lists_the_policies_in_scope(
    mini_world: World, flagship_request: AccessRequest
) -> None:
    d = evaluate(mini_world, flagship_request)
    assert [p.id for p in d.policies] == [
        CN_BLOCK,
        CN_APPROVALS,
        DESTINATION,
        HEADQUARTERS,
        CASE_BY_CASE,
        TARIFF,
        ENTITY_LIST,
    ]
    assert d.buyer == mini_world.company("bytedance")
    assert d.item == mini_world.chip("nvidia-h200")


def test_restriction_text() -> None:
    assert str(Restriction.of(LR, CBC)) == "LICENSE_REQUIRED (case-by-case)"
    assert str(Restriction.of(LR, POD)) == "LICENSE_REQUIRED (presumption of denial)"
    assert str(Restriction.of(Verdict.CONDITIONAL, None)) == "CONDITIONAL"


def test_explain_flagship(mini_world: World, flagship_request: AccessRequest) -> None:
    lines = evaluate(mini_world, flagship_request).explain().splitlines()
    assert lines[:9] == [
        "ByteDance (bytedance) x NVIDIA H200 SXM (nvidia-h200) on 2026-02-01, route TW -> US -> CN",
        "Verdict: LICENSE_REQUIRED (case-by-case) [certain]",
        "Conditions:",
        "  - domestic purchase ratio: buy domestic chips alongside",
        "  - supply certification: sufficient US supply",
        "  - third party testing: independent testing in the US",
        "  - tariff 25%",
        "  - volume cap 50% of shipments to US end users",
        "Determined by:",
    ]
    policy = mini_world.policy(CASE_BY_CASE)
    assert lines[9] == (
        f"  - {CASE_BY_CASE}: Case-by-case review for exports from the US to China and Macau; "
        f"US export policy; effective 2026-01-15; 91 FR 1684 <{policy.sources[0]}>"
    )
    assert lines[10:13] == [
        "Leg TW -> US, export side: ALLOWED",
        "    no policy in scope",
        "Leg TW -> US, import side: CONDITIONAL",
    ]
    text = "\n".join(lines)
    assert "    us-2023-acs-destination [set aside by us-2026-h200-case-by-case]" in lines
    assert "    us-entity-list-license [false]" in lines
    assert "    us-2026-h200-case-by-case [applies]" in lines
    assert "Leg US -> CN, export side: LICENSE_REQUIRED (case-by-case)" in lines
    assert "              tpp 15832 >= 4800: true" in lines
    assert "        dram_bandwidth_gbs 4800 < 6500: true" in lines
    assert "        exporter US in {US}: true" in lines
    assert "        buyer bytedance in {bytedance}: true" in lines
    # A policy that does not match is listed without its trace.
    assert "buyer listed on" not in text
    assert "Unknown facts" not in text


def test_explain_reported_policy_and_unknowns(mini_world: World) -> None:
    military = ImportPolicy(
        id="cn-test-military-use",
        issuer="CN",
        title="Imports for military use discouraged",
        criterion=EndUse(["military"]),
        effect="discourage",
        effective=D(2025, 1, 1),
    )
    d = evaluate(
        AddPolicy(military).apply(mini_world),
        AccessRequest(buyer="huawei", item="nvidia-h200", on=ON, quantity=1000),
    )
    lines = d.explain().splitlines()
    assert lines[0] == (
        "Huawei (huawei) x NVIDIA H200 SXM (nvidia-h200) on 2026-02-01, route US -> CN, "
        "quantity 1,000"
    )
    assert lines[1] == "Verdict: PROHIBITED [certain]"
    block = mini_world.policy(CN_BLOCK)
    assert lines[2:4] == [
        "Determined by:",
        f"  - {CN_BLOCK}: Customs told H200 imports are not permitted; CN import policy; "
        f"effective 2026-01-14; reported <{block.sources[0]}>",
    ]
    assert lines[-2:] == [
        "Unknown facts:",
        "  - cn-test-military-use (US -> CN, import) needs request.end_use",
    ]
    assert "    cn-test-military-use [unknown]" in lines
    assert "      end use undeclared in {military}: unknown" in lines


def test_explain_uncertain_and_unrestricted() -> None:
    world = tiny(rule("military", "prohibit", criterion=EndUse(["military"])))
    d = evaluate(
        world, AccessRequest(buyer="buyer", item="x1", on=D(2025, 6, 1), end_use="commercial")
    )
    lines = d.explain().splitlines()
    assert lines[:3] == [
        "Buyer (buyer) x X1 (x1) on 2025-06-01, route US -> CN, end use commercial",
        "Verdict: ALLOWED [certain]",
        "Determined by: no policy restricts this request",
    ]
    uncertain = decide(world).explain().splitlines()
    assert uncertain[1] == "Verdict: ALLOWED [NOT certain: depends on unknown facts]"


def test_listing_a_buyer_tightens_the_decision(mini_world: World) -> None:
    listed = ListCompany("us-entity-list", "bytedance", D(2026, 1, 20)).apply(mini_world)
    d = ask(listed, route=("TW", "US", "CN"))
    assert (d.verdict, d.review) == (LR, POD)
    assert d.determining_policies == (ENTITY_LIST,)
    before = ask(listed, route=("TW", "US", "CN"), on=D(2026, 1, 19))
    # Before the China authorization (2026-01-28) the customs block prohibits.
    assert before.verdict is Verdict.PROHIBITED


def test_exporter_in_uses_the_leg_not_the_origin(mini_world: World) -> None:
    d = ask(mini_world, route=("TW", "US", "MO"))
    export = d.outcomes[2]
    assert export.leg == Leg("US", "MO")
    assert (export.verdict, export.review) == (LR, CBC)
    assert {r.policy for r in export.considered if r.truth is Truth.TRUE} == {
        DESTINATION,
        HEADQUARTERS,
        CASE_BY_CASE,
    }
