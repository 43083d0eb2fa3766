"""Policies: the verdict and review orders, effects, conditions, periods and invariants."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from geotech import (
    ControlClass,
    EffectKind,
    ExportPolicy,
    ImportPolicy,
    InvalidValueError,
    Reexport,
    Requirement,
    RequirementKind,
    RevenueShare,
    ReviewPolicy,
    Side,
    Status,
    Tariff,
    Verdict,
    VolumeCap,
    World,
)
from geotech.policies import CONDITIONS, Restriction

D = dt.date


def policy(**fields: Any) -> ExportPolicy:
    base: dict[str, Any] = {
        "id": "p",
        "issuer": "US",
        "title": "P",
        "criterion": Reexport(),
        "effect": "prohibit",
        "effective": D(2024, 1, 1),
    }
    return ExportPolicy(**{**base, **fields})


def test_verdict_members_in_order() -> None:
    assert [v.name for v in sorted(Verdict)] == [
        "ALLOWED",
        "CONDITIONAL",
        "DISCOURAGED",
        "LICENSE_REQUIRED",
        "PROHIBITED",
    ]
    assert Verdict.ALLOWED < Verdict.CONDITIONAL < Verdict.DISCOURAGED
    assert Verdict.DISCOURAGED < Verdict.LICENSE_REQUIRED < Verdict.PROHIBITED
    assert max(Verdict.CONDITIONAL, Verdict.LICENSE_REQUIRED) is Verdict.LICENSE_REQUIRED


def test_review_members_from_most_to_least_favourable() -> None:
    assert [r.name for r in sorted(ReviewPolicy)] == [
        "PRESUMPTION_OF_APPROVAL",
        "CASE_BY_CASE",
        "PRESUMPTION_OF_DENIAL",
    ]


def test_restriction_is_a_total_order() -> None:
    ladder = [
        (Verdict.ALLOWED, None),
        (Verdict.CONDITIONAL, None),
        (Verdict.DISCOURAGED, None),
        (Verdict.LICENSE_REQUIRED, ReviewPolicy.PRESUMPTION_OF_APPROVAL),
        (Verdict.LICENSE_REQUIRED, ReviewPolicy.CASE_BY_CASE),
        (Verdict.LICENSE_REQUIRED, ReviewPolicy.PRESUMPTION_OF_DENIAL),
        (Verdict.PROHIBITED, None),
    ]
    keys = [Restriction.of(v, r) for v, r in ladder]
    assert keys == sorted(keys)
    assert keys == list(Restriction)
    assert [(k.verdict, k.review) for k in keys] == ladder


def test_restriction_text_and_truth() -> None:
    assert [str(r) for r in Restriction] == [
        "ALLOWED",
        "CONDITIONAL",
        "DISCOURAGED",
        "LICENSE_REQUIRED (presumption of approval)",
        "LICENSE_REQUIRED (case-by-case)",
        "LICENSE_REQUIRED (presumption of denial)",
        "PROHIBITED",
    ]
    assert all(Restriction)
    assert all(Verdict)
    assert all(ReviewPolicy)
    with pytest.raises(InvalidValueError, match="needs a review policy"):
        Restriction.of(Verdict.LICENSE_REQUIRED, None)


@pytest.mark.parametrize(
    ("fields", "verdict"),
    [
        ({"effect": "allow"}, Verdict.ALLOWED),
        ({"effect": "allow", "conditions": [Tariff(0.25)]}, Verdict.CONDITIONAL),
        ({"effect": "discourage"}, Verdict.DISCOURAGED),
        ({"effect": "license_required", "review": "case_by_case"}, Verdict.LICENSE_REQUIRED),
        ({"effect": "prohibit"}, Verdict.PROHIBITED),
    ],
    ids=["allow", "allow-with-conditions", "discourage", "license", "prohibit"],
)
def test_effect_gives_verdict(fields: dict[str, Any], verdict: Verdict) -> None:
    assert policy(**fields).verdict is verdict


def test_a_license_with_conditions_stays_license_required() -> None:
    p = policy(effect="license_required", review="case_by_case", conditions=[Tariff(0.25)])
    assert p.verdict is Verdict.LICENSE_REQUIRED
    assert p.restriction is Restriction.LICENSE_CASE_BY_CASE


def test_review_is_required_exactly_for_license_required() -> None:
    with pytest.raises(InvalidValueError, match="review is required when effect is"):
        policy(effect="license_required")
    with pytest.raises(InvalidValueError, match=r"effect=prohibit, review=case_by_case"):
        policy(effect="prohibit", review="case_by_case")


def test_review_from_text_or_member() -> None:
    a = policy(effect="license_required", review="presumption_of_denial")
    b = policy(effect="license_required", review=ReviewPolicy.PRESUMPTION_OF_DENIAL)
    assert a == b
    assert a.review is ReviewPolicy.PRESUMPTION_OF_DENIAL
    with pytest.raises(InvalidValueError, match=r"review: expected one of .* got 'maybe'"):
        policy(effect="license_required", review="maybe")


def test_a_policy_cannot_supersede_itself() -> None:
    with pytest.raises(InvalidValueError, match="ExportPolicy 'p': supersedes itself"):
        policy(supersedes=["p"])


def test_policy_period_is_half_open() -> None:
    p = policy(effective=D(2023, 11, 17), expires=D(2026, 1, 15))
    assert not p.in_force(D(2023, 11, 16))
    assert p.in_force(D(2023, 11, 17))
    assert p.in_force(D(2026, 1, 14))
    assert not p.in_force(D(2026, 1, 15))
    with pytest.raises(InvalidValueError, match="end 2023-11-17 must be after start"):
        policy(effective=D(2023, 11, 17), expires=D(2023, 11, 17))


def test_sides_and_defaults() -> None:
    export = policy()
    imp = ImportPolicy(
        id="q",
        issuer="CN",
        title="Q",
        criterion=Reexport(),
        effect="allow",
        effective=D(2026, 1, 1),
    )
    assert export.side is Side.EXPORT
    assert imp.side is Side.IMPORT
    assert export.effect is EffectKind.PROHIBIT
    assert export.status is Status.OFFICIAL
    assert export.supersedes == frozenset()
    assert policy(status="reported").status is Status.REPORTED


def test_control_class_period(mini_world: World) -> None:
    k2022 = mini_world.control_class("us-3a090a-2022")
    k2023 = mini_world.control_class("us-3a090a-2023")
    assert k2022.in_force(D(2023, 11, 16))
    assert not k2022.in_force(D(2023, 11, 17))
    assert k2023.in_force(D(2023, 11, 17))
    with pytest.raises(InvalidValueError, match="ControlClass 'k': end 2019-01-01"):
        ControlClass(
            id="k",
            issuer="US",
            code="X",
            title="X",
            criterion=Reexport(),
            effective=D(2020, 1, 1),
            expires=D(2019, 1, 1),
        )


# -- conditions ---------------------------------------------------------------------------------


def test_condition_tags() -> None:
    assert sorted(CONDITIONS) == ["requirement", "revenue_share", "tariff", "volume_cap"]


def test_conditions_are_deduplicated_and_in_canonical_order() -> None:
    cap = VolumeCap(fraction=0.5, reference="US shipments")
    testing = Requirement("third_party_testing", "in the US")
    kyc = Requirement("kyc")
    p = policy(
        effect="allow",
        conditions=[cap, Tariff(0.25), testing, kyc, Tariff(0.25), RevenueShare(0.15, "US")],
    )
    assert p.conditions == (kyc, testing, RevenueShare(0.15, "US"), Tariff(0.25), cap)


def test_condition_text() -> None:
    assert str(Tariff(0.25)) == "tariff 25%"
    assert str(Tariff(0.25, "Section 232")) == "tariff 25% (Section 232)"
    assert str(RevenueShare(0.15, "US")) == "revenue share 15% to US"
    assert str(VolumeCap(units=75000)) == "volume cap 75,000 units"
    assert (
        str(VolumeCap(fraction=0.5, reference="US shipments")) == "volume cap 50% of US shipments"
    )
    assert str(Requirement("third_party_testing", "in the US")) == "third party testing: in the US"
    assert str(Requirement(RequirementKind.KYC)) == "kyc"


@pytest.mark.parametrize("rate", [-0.1, 1.5, True, "0.25"])
def test_rates_are_fractions(rate: object) -> None:
    with pytest.raises(InvalidValueError, match=r"Tariff\.rate: expected a fraction"):
        Tariff(rate)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"RevenueShare\.rate: expected a fraction"):
        RevenueShare(rate)  # type: ignore[arg-type]


def test_volume_cap_takes_units_or_a_fraction() -> None:
    with pytest.raises(InvalidValueError, match="give exactly one of units"):
        VolumeCap()
    with pytest.raises(InvalidValueError, match="give exactly one of units"):
        VolumeCap(units=10, fraction=0.5)
    with pytest.raises(InvalidValueError, match=r"VolumeCap\.units: expected a count >= 0"):
        VolumeCap(units=-1)
    with pytest.raises(InvalidValueError, match=r"VolumeCap\.fraction: expected a fraction"):
        VolumeCap(fraction=2.0)


def test_revenue_share_beneficiary_is_a_state() -> None:
    with pytest.raises(InvalidValueError, match=r"RevenueShare\.beneficiary"):
        RevenueShare(0.15, "USA")
