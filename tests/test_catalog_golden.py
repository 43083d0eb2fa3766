"""Golden cases of the H200 story, evaluated against the embedded catalogue.

Every expected verdict, review policy, determining policy and key condition is written from the
sources (../shared/reference/regulations.md, entry numbers in the comments), not from the
engine's output. Routes: "via the US" is TW -> US -> CN (chips made in Taiwan, imported into the
US for the third-party testing the Jan 2026 rule requires, then exported from the US); "direct"
is TW -> CN, which for US controls is a reexport.

Requests into China after Nov 2025 declare their end use ("datacenter": a commercial data
centre) because China's reported rule for state-funded data centres turns on it; one case
leaves it undeclared and checks that the answer says so.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from geotech import (
    AccessRequest,
    RevenueShare,
    ReviewPolicy,
    Side,
    Tariff,
    Verdict,
    VolumeCap,
    catalog,
    evaluate,
    io,
)
from geotech.policies import Condition

VIA_US = ("TW", "US", "CN")
DIRECT = ("TW", "CN")
EXPORT, IMPORT = Side.EXPORT, Side.IMPORT
ALLOWED, CONDITIONAL, DISCOURAGED = Verdict.ALLOWED, Verdict.CONDITIONAL, Verdict.DISCOURAGED
LICENSE, PROHIBITED = Verdict.LICENSE_REQUIRED, Verdict.PROHIBITED
APPROVAL = ReviewPolicy.PRESUMPTION_OF_APPROVAL
CASE_BY_CASE = ReviewPolicy.CASE_BY_CASE
DENIAL = ReviewPolicy.PRESUMPTION_OF_DENIAL

# Policy ids (regulations.md's suggested ids where it gives one).
OCT_2023 = "us-bis-2023-10-17-acs-ifr"  # entry 2.3-2.4: D:5 and Macau, presumption of denial
HQ_RULE = "us-bis-2023-10-17-hq-rule"  # entry 2.3: buyer headquartered in D:5 / Macau
JAN_2026 = "us-bis-2026-01-15-h200-case-by-case"  # entry 8a
S232 = "us-potus-2026-01-14-s232-semiconductor-tariff"  # entry 8b
ENTITY_LIST = "us-bis-entity-list"  # entry 11
H20_LETTER = "us-usg-2025-04-h20-is-informed"  # entry 5
H20_SHARE = "us-usg-2025-08-15pct-revenue-share"  # entry 5
CN_SUMMONS = "cn-cac-2025-07-31-nvidia-summons"  # entry 6
CN_H20_GUIDANCE = "cn-2025-08-h20-guidance"  # entry 6
CN_STATE_FUNDED = "cn-2025-11-state-funded-dc-domestic-only"  # entry 6
CN_CUSTOMS = "cn-gac-2026-01-14-h200-not-permitted"  # entry 9
CN_APPROVALS = "cn-2026-01-h200-import-approvals"  # entry 9
CN_DEEPSEEK = "cn-2026-01-30-deepseek-h200-approval"  # entry 9
CN_PAUSE = "cn-2026-01-07-h200-order-pause"  # entry 9: pause new orders, buy only if necessary
CN_PORT_CHECKS = "cn-gac-2025-10-port-checks"  # entry 6
MACAU = "us-bis-2023-01-18-macau"  # entry 1: 88 FR 2821, effective 2023-01-17
AFFILIATES = "us-bis-2025-09-29-affiliates-rule"  # entry 11
AFFILIATES_SUSPENSION = "us-bis-2025-11-10-affiliates-suspension"  # entry 10 (Busan truce)

Key = tuple[str, object]


def key(condition: Condition) -> Key:
    """A condition reduced to what the sources fix: its type and its rate, share or kind."""
    if isinstance(condition, Tariff | RevenueShare):
        return (condition.tag, condition.rate)
    if isinstance(condition, VolumeCap):
        return (condition.tag, condition.fraction if condition.units is None else condition.units)
    return (condition.tag, str(condition.kind))


# Conditions of the Jan 2026 rule (entry 8a): shipment count and performance certification,
# sufficient US supply, China <= 50 % of US shipments, no military end use, KYC, remote-access
# controls, independent US third-party testing of every shipment.
US_2026: frozenset[Key] = frozenset(
    {
        ("requirement", "other"),
        ("requirement", "supply_certification"),
        ("volume_cap", 0.5),
        ("requirement", "end_use_limit"),
        ("requirement", "kyc"),
        ("requirement", "remote_access_control"),
        ("requirement", "third_party_testing"),
    }
)
# Section 232: 25 % on import into the US (entry 8b).
TARIFF: frozenset[Key] = frozenset({("tariff", 0.25)})
# China's first batch (entry 9), conditions as reported: domestic-chip quota, no military /
# sensitive government / critical infrastructure / SOE use, need justification and caps, NDRC
# terms unpublished.
CN_BATCH: frozenset[Key] = frozenset(
    {
        ("requirement", "domestic_purchase_ratio"),
        ("requirement", "end_use_limit"),
        ("requirement", "need_justification"),
        ("requirement", "other"),
    }
)
# DeepSeek's conditional approval (entry 9): terms not reported.
CN_DEEPSEEK_TERMS: frozenset[Key] = frozenset({("requirement", "other")})
NONE: frozenset[Key] = frozenset()

Row = tuple[str, Side, Verdict, ReviewPolicy | None, tuple[str, ...]]


@attrs.frozen
class Golden:
    """One request and the answer the sources give, leg by leg and side by side."""

    name: str
    request: AccessRequest
    verdict: Verdict
    review: ReviewPolicy | None
    determining: tuple[str, ...]
    outcomes: tuple[Row, ...]
    conditions: frozenset[Key]
    certain: bool = True
    unknowns: tuple[tuple[str, str, frozenset[str]], ...] = ()
    include_reported: bool = True


def request(
    buyer: str,
    item: str,
    on: dt.date,
    route: tuple[str, ...] | None = None,
    end_use: str | None = None,
) -> AccessRequest:
    return AccessRequest(buyer=buyer, item=item, on=on, route=route, end_use=end_use)


JUN_2025 = dt.date(2025, 6, 1)
JAN_20_2026 = dt.date(2026, 1, 20)
FEB_2026 = dt.date(2026, 2, 1)

CASES = [
    # Before any opening: the H200 is 3A090.a (entry 12); exports to China need a license under
    # presumption of denial (entry 2.4), and ByteDance, headquartered in China, triggers the
    # headquarters rule too (entry 2.3). The AI Diffusion rule was rescinded on 2025-05-13
    # (entry 4); no US tariff and no Chinese measure yet.
    Golden(
        "bytedance-h200-2025-06-01-via-us",
        request("bytedance", "nvidia-h200", JUN_2025, VIA_US),
        LICENSE,
        DENIAL,
        (OCT_2023, HQ_RULE),
        (
            ("TW -> US", EXPORT, ALLOWED, None, ()),
            ("TW -> US", IMPORT, ALLOWED, None, ()),
            ("US -> CN", EXPORT, LICENSE, DENIAL, (OCT_2023, HQ_RULE)),
            ("US -> CN", IMPORT, ALLOWED, None, ()),
        ),
        NONE,
    ),
    # Same rules reach the Taiwan-made chip shipped straight to China.
    Golden(
        "bytedance-h200-2025-06-01-direct",
        request("bytedance", "nvidia-h200", JUN_2025, DIRECT),
        LICENSE,
        DENIAL,
        (OCT_2023, HQ_RULE),
        (
            ("TW -> CN", EXPORT, LICENSE, DENIAL, (OCT_2023, HQ_RULE)),
            ("TW -> CN", IMPORT, ALLOWED, None, ()),
        ),
        NONE,
    ),
    # After 15 Jan 2026: the US export from the US is case-by-case with all the rule's
    # conditions (entry 8a), the import into the US for testing pays 25 % (entry 8b, H200 in
    # band 1), but Chinese customs were told on 14 Jan that the H200 is "not permitted"
    # (entry 9, reported): the import into China is blocked.
    Golden(
        "bytedance-h200-2026-01-20-via-us",
        request("bytedance", "nvidia-h200", JAN_20_2026, VIA_US, "datacenter"),
        PROHIBITED,
        None,
        (CN_CUSTOMS,),
        (
            ("TW -> US", EXPORT, ALLOWED, None, ()),
            ("TW -> US", IMPORT, CONDITIONAL, None, (S232,)),
            ("US -> CN", EXPORT, LICENSE, CASE_BY_CASE, (JAN_2026,)),
            ("US -> CN", IMPORT, PROHIBITED, None, (CN_CUSTOMS,)),
        ),
        US_2026 | TARIFF,
    ),
    # Direct shipment: a reexport keeps the presumption of denial (entry 8a); no US import.
    Golden(
        "bytedance-h200-2026-01-20-direct",
        request("bytedance", "nvidia-h200", JAN_20_2026, DIRECT, "datacenter"),
        PROHIBITED,
        None,
        (CN_CUSTOMS,),
        (
            ("TW -> CN", EXPORT, LICENSE, DENIAL, (OCT_2023, HQ_RULE)),
            ("TW -> CN", IMPORT, PROHIBITED, None, (CN_CUSTOMS,)),
        ),
        NONE,
    ),
    # 28 Jan 2026: China authorizes ByteDance (with Alibaba and Tencent) under reported
    # conditions, setting the customs block aside for them (entry 9). Both "keys" are then
    # conditional: the US license is reviewed case by case, so that is the verdict.
    Golden(
        "bytedance-h200-2026-02-01-via-us",
        request("bytedance", "nvidia-h200", FEB_2026, VIA_US, "datacenter"),
        LICENSE,
        CASE_BY_CASE,
        (JAN_2026,),
        (
            ("TW -> US", EXPORT, ALLOWED, None, ()),
            ("TW -> US", IMPORT, CONDITIONAL, None, (S232,)),
            ("US -> CN", EXPORT, LICENSE, CASE_BY_CASE, (JAN_2026,)),
            ("US -> CN", IMPORT, CONDITIONAL, None, (CN_APPROVALS,)),
        ),
        US_2026 | TARIFF | CN_BATCH,
    ),
    # Direct: China would let it in, but the US reexport stays under presumption of denial.
    Golden(
        "bytedance-h200-2026-02-01-direct",
        request("bytedance", "nvidia-h200", FEB_2026, DIRECT, "datacenter"),
        LICENSE,
        DENIAL,
        (OCT_2023, HQ_RULE),
        (
            ("TW -> CN", EXPORT, LICENSE, DENIAL, (OCT_2023, HQ_RULE)),
            ("TW -> CN", IMPORT, CONDITIONAL, None, (CN_APPROVALS,)),
        ),
        CN_BATCH,
    ),
    # Without a declared end use the answer cannot be certain: China's reported rule of Nov 2025
    # bars foreign AI chips from state-funded data centres (entry 6), so the import into China
    # would be prohibited if the end use were one. The known facts force the same verdict as
    # above.
    Golden(
        "bytedance-h200-2026-02-01-via-us-end-use-undeclared",
        request("bytedance", "nvidia-h200", FEB_2026, VIA_US),
        LICENSE,
        CASE_BY_CASE,
        (JAN_2026,),
        (
            ("TW -> US", EXPORT, ALLOWED, None, ()),
            ("TW -> US", IMPORT, CONDITIONAL, None, (S232,)),
            ("US -> CN", EXPORT, LICENSE, CASE_BY_CASE, (JAN_2026,)),
            ("US -> CN", IMPORT, CONDITIONAL, None, (CN_APPROVALS,)),
        ),
        US_2026 | TARIFF | CN_BATCH,
        certain=False,
        unknowns=((CN_STATE_FUNDED, "US -> CN", frozenset({"request.end_use"})),),
    ),
    # Huawei is on the Entity List since 2019-05-16 (entry 11): presumption of denial, which
    # the Jan 2026 rule does not relax ("not barred by end-user controls", entry 8a). China's
    # customs block applies, Huawei not being among the authorized firms (entry 9).
    Golden(
        "huawei-h200-2026-02-01-via-us",
        request("huawei", "nvidia-h200", FEB_2026, VIA_US, "datacenter"),
        PROHIBITED,
        None,
        (CN_CUSTOMS,),
        (
            ("TW -> US", EXPORT, ALLOWED, None, ()),
            ("TW -> US", IMPORT, CONDITIONAL, None, (S232,)),
            ("US -> CN", EXPORT, LICENSE, DENIAL, (ENTITY_LIST,)),
            ("US -> CN", IMPORT, PROHIBITED, None, (CN_CUSTOMS,)),
        ),
        TARIFF,
    ),
    # Baidu is not on the Entity List (its 1260H posting was withdrawn, entry 11), so the US
    # side is case-by-case; but Baidu was not in China's first batch: the customs block holds.
    Golden(
        "baidu-h200-2026-02-01-via-us",
        request("baidu", "nvidia-h200", FEB_2026, VIA_US, "datacenter"),
        PROHIBITED,
        None,
        (CN_CUSTOMS,),
        (
            ("TW -> US", EXPORT, ALLOWED, None, ()),
            ("TW -> US", IMPORT, CONDITIONAL, None, (S232,)),
            ("US -> CN", EXPORT, LICENSE, CASE_BY_CASE, (JAN_2026,)),
            ("US -> CN", IMPORT, PROHIBITED, None, (CN_CUSTOMS,)),
        ),
        US_2026 | TARIFF,
    ),
    # DeepSeek got a conditional approval on 30 Jan 2026 (entry 9).
    Golden(
        "deepseek-h200-2026-02-01-via-us",
        request("deepseek", "nvidia-h200", FEB_2026, VIA_US, "datacenter"),
        LICENSE,
        CASE_BY_CASE,
        (JAN_2026,),
        (
            ("TW -> US", EXPORT, ALLOWED, None, ()),
            ("TW -> US", IMPORT, CONDITIONAL, None, (S232,)),
            ("US -> CN", EXPORT, LICENSE, CASE_BY_CASE, (JAN_2026,)),
            ("US -> CN", IMPORT, CONDITIONAL, None, (CN_DEEPSEEK,)),
        ),
        US_2026 | TARIFF | CN_DEEPSEEK_TERMS,
    ),
    # The H20 is outside 3A090 (entry 5) but the Apr 2025 letters require a license to China;
    # none was granted before Aug 2025 (entry 5), modelled as presumption of denial. China had
    # taken no measure yet (the CAC summons is of 31 Jul 2025).
    Golden(
        "bytedance-h20-2025-05-01",
        request("bytedance", "nvidia-h20", dt.date(2025, 5, 1)),
        LICENSE,
        DENIAL,
        (H20_LETTER,),
        (
            ("US -> CN", EXPORT, LICENSE, DENIAL, (H20_LETTER,)),
            ("US -> CN", IMPORT, ALLOWED, None, ()),
        ),
        NONE,
    ),
    # From Aug 2025 licenses are granted against 15 % of China revenue (entry 5, reported);
    # China discourages the H20 after the CAC summons and the August notices (entry 6).
    Golden(
        "bytedance-h20-2025-09-01",
        request("bytedance", "nvidia-h20", dt.date(2025, 9, 1)),
        LICENSE,
        APPROVAL,
        (H20_SHARE,),
        (
            ("US -> CN", EXPORT, LICENSE, APPROVAL, (H20_SHARE,)),
            ("US -> CN", IMPORT, DISCOURAGED, None, (CN_H20_GUIDANCE, CN_SUMMONS)),
        ),
        frozenset({("revenue_share", 0.15)}),
    ),
    # Officially, only the Apr 2025 letter exists: the 15 % arrangement was never codified
    # (entry 5) and the August notices are reported only; the CAC summons is official.
    Golden(
        "bytedance-h20-2025-09-01-official-only",
        request("bytedance", "nvidia-h20", dt.date(2025, 9, 1)),
        LICENSE,
        DENIAL,
        (H20_LETTER,),
        (
            ("US -> CN", EXPORT, LICENSE, DENIAL, (H20_LETTER,)),
            ("US -> CN", IMPORT, DISCOURAGED, None, (CN_SUMMONS,)),
        ),
        NONE,
        include_reported=False,
    ),
    # The B200 is far beyond the case-by-case zone (TPP about 36,000 >= 21,000 and 8,000 GB/s
    # >= 6,500, entry 12) and outside both tariff bands: presumption of denial; China's measures
    # name the H200 only.
    Golden(
        "bytedance-b200-2026-02-01-via-us",
        request("bytedance", "nvidia-b200", FEB_2026, VIA_US, "datacenter"),
        LICENSE,
        DENIAL,
        (OCT_2023, HQ_RULE),
        (
            ("TW -> US", EXPORT, ALLOWED, None, ()),
            ("TW -> US", IMPORT, ALLOWED, None, ()),
            ("US -> CN", EXPORT, LICENSE, DENIAL, (OCT_2023, HQ_RULE)),
            ("US -> CN", IMPORT, ALLOWED, None, ()),
        ),
        NONE,
    ),
    # The Macau rule (88 FR 2821) was published on 2023-01-18 but is effective from 2023-01-17
    # (its DATES paragraph; corrected fact): an A100 (3A090 under the Oct 2022 test: TPP 4,992
    # and 600 GB/s I/O) exported to Macau needs a license from the 17th, under the presumption
    # of denial the Oct 2022 rule set for China.
    Golden(
        "a100-to-macau-2023-01-17",
        request("bytedance", "nvidia-a100", dt.date(2023, 1, 17), ("US", "MO")),
        LICENSE,
        DENIAL,
        (MACAU,),
        (
            ("US -> MO", EXPORT, LICENSE, DENIAL, (MACAU,)),
            ("US -> MO", IMPORT, ALLOWED, None, ()),
        ),
        NONE,
    ),
    # The day before, Macau was outside the Oct 2022 rule (China and Hong Kong only).
    Golden(
        "a100-to-macau-2023-01-16",
        request("bytedance", "nvidia-a100", dt.date(2023, 1, 16), ("US", "MO")),
        ALLOWED,
        None,
        (),
        (
            ("US -> MO", EXPORT, ALLOWED, None, ()),
            ("US -> MO", IMPORT, ALLOWED, None, ()),
        ),
        NONE,
    ),
    # Week of 5 Jan 2026: Beijing told firms to pause new H200 orders and, on 13 Jan, not to buy
    # unless necessary (entry 9, reported): the import into China is discouraged. The Jan 2026
    # US rule and the Section 232 tariff are not yet in force (both from 15 Jan), so the US
    # export is still under the presumption of denial and the import into the US is duty-free.
    Golden(
        "bytedance-h200-2026-01-10-via-us-order-pause",
        request("bytedance", "nvidia-h200", dt.date(2026, 1, 10), VIA_US, "datacenter"),
        LICENSE,
        DENIAL,
        (OCT_2023, HQ_RULE),
        (
            ("TW -> US", EXPORT, ALLOWED, None, ()),
            ("TW -> US", IMPORT, ALLOWED, None, ()),
            ("US -> CN", EXPORT, LICENSE, DENIAL, (OCT_2023, HQ_RULE)),
            ("US -> CN", IMPORT, DISCOURAGED, None, (CN_PAUSE,)),
        ),
        NONE,
    ),
    # From 10 Oct 2025 customs teams check imports of the H20 and RTX Pro 6000D (entry 6, FT):
    # a third Chinese measure discouraging the H20, beside the CAC summons and the August notices.
    Golden(
        "bytedance-h20-2025-11-01-port-checks",
        request("bytedance", "nvidia-h20", dt.date(2025, 11, 1), None, "datacenter"),
        LICENSE,
        APPROVAL,
        (H20_SHARE,),
        (
            ("US -> CN", EXPORT, LICENSE, APPROVAL, (H20_SHARE,)),
            ("US -> CN", IMPORT, DISCOURAGED, None, (CN_H20_GUIDANCE, CN_SUMMONS, CN_PORT_CHECKS)),
        ),
        frozenset({("revenue_share", 0.15)}),
    ),
    # China's state-funded data-centre rule bars foreign chips only (entry 6): a Chinese-designed
    # accelerator (Cambricon MLU370, made by TSMC) may go into such a project. Corrected rule:
    # the record used to except only the Ascend 910B/910C and so barred every other domestic chip.
    Golden(
        "bytedance-cambricon-2026-02-01-state-funded",
        request("bytedance", "cambricon-mlu370-x8", FEB_2026, DIRECT, "state_funded_datacenter"),
        ALLOWED,
        None,
        (),
        (
            ("TW -> CN", EXPORT, ALLOWED, None, ()),
            ("TW -> CN", IMPORT, ALLOWED, None, ()),
        ),
        NONE,
    ),
    # ... while a foreign chip for the same project is prohibited.
    Golden(
        "bytedance-h20-2026-02-01-state-funded",
        request("bytedance", "nvidia-h20", FEB_2026, DIRECT, "state_funded_datacenter"),
        PROHIBITED,
        None,
        (CN_STATE_FUNDED,),
        (
            ("TW -> CN", EXPORT, LICENSE, APPROVAL, (H20_SHARE,)),
            ("TW -> CN", IMPORT, PROHIBITED, None, (CN_STATE_FUNDED,)),
        ),
        frozenset({("revenue_share", 0.15)}),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_golden(case: Golden) -> None:
    decision = evaluate(catalog.world(include_reported=case.include_reported), case.request)
    explanation = decision.explain()
    assert decision.verdict is case.verdict, explanation
    assert decision.review is case.review, explanation
    assert decision.determining_policies == case.determining, explanation
    assert decision.certain is case.certain, explanation
    outcomes = tuple(
        (str(o.leg), o.side, o.verdict, o.review, o.determining_policies) for o in decision.outcomes
    )
    assert outcomes == case.outcomes, explanation
    assert {key(c) for c in decision.conditions} == case.conditions, explanation
    unknowns = tuple((u.policy, str(u.leg), u.needs) for u in decision.unknowns)
    assert unknowns == case.unknowns, explanation


# The affiliates rule (entry 11) was suspended, not ended: the suspension rule of 10 Nov 2025
# sets it aside through 9 Nov 2026 and reimposes it on 10 Nov 2026 absent an extension (none is
# recorded). The catalogue has no unlisted affiliate of a listed party, so one is added: a
# Singapore subsidiary of Huawei (Entity List since 2019). The item is the RTX 4090 D, a consumer
# card outside 3A090 (TPP 4,707 < 4,800), so the headquarters rule does not reach it and only the
# Entity List policies can: the affiliate needs a license while the rule runs, none during the
# suspension (the suspension decides), and one again from 2026-11-10.
AFFILIATE_CASES = [
    (dt.date(2025, 10, 1), LICENSE, DENIAL, (AFFILIATES,)),
    (dt.date(2025, 11, 10), ALLOWED, None, (AFFILIATES_SUSPENSION,)),
    (dt.date(2026, 11, 9), ALLOWED, None, (AFFILIATES_SUSPENSION,)),
    (dt.date(2026, 11, 10), LICENSE, DENIAL, (AFFILIATES,)),
]


@pytest.mark.parametrize(("on", "verdict", "review", "determining"), AFFILIATE_CASES)
def test_affiliates_rule_suspension(
    on: dt.date, verdict: Verdict, review: ReviewPolicy | None, determining: tuple[str, ...]
) -> None:
    data = io.world_to_data(catalog.world())
    data["companies"].append(
        {"id": "huawei-sg", "name": "Huawei affiliate (Singapore)", "hq": "SG", "parent": "huawei"}
    )
    world = io.world_from_data(data)
    request = AccessRequest(buyer="huawei-sg", item="nvidia-rtx-4090d", on=on, route=("US", "SG"))
    decision = evaluate(world, request)
    explanation = decision.explain()
    assert decision.verdict is verdict, explanation
    assert decision.review is review, explanation
    assert decision.determining_policies == determining, explanation
