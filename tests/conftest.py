"""Shared fixtures: ``mini_world``, a small world built in code that tells the H200 story.

Contents (ids follow the shared conventions):

- states US, CN, TW, MO, SG; country group ``us-ear-d5`` (US EAR D:5, member CN);
- companies nvidia (US), tsmc (TW), bytedance (CN), ``bytedance-sg`` (SG, parent bytedance),
  huawei (CN); party list ``us-entity-list`` with Huawei listed from 2019-05-16;
- chips nvidia-h100-sxm, nvidia-h200, nvidia-h20, nvidia-rtx-4090, nvidia-rtx-4090d with
  dense throughput, die area and bandwidths from public datasheets;
- US ECCN ``3A090.a`` in two dated definitions: 2022 (TPP >= 4800 and interconnect >= 600)
  and 2023 (TPP >= 4800, or TPP >= 1600 with PD >= 5.92 for datacenter parts: Note 2);
- export policies: the Entity List licence requirement (presumption of denial, in force from
  Huawei's listing), the 2023 destination rule (D:5 and Macau, presumption of denial), the 2023
  headquarters rule (buyer or ultimate parent in D:5 or Macau, presumption of denial), and the
  2026 case-by-case rule for exports from the US to China and Macau, which supersedes both and
  carries a volume cap, third-party testing and supply certification;
- import policies: the 2026 US 25 % tariff on H200-shaped chips (an allow with a condition),
  China's reported customs block of the H200, and China's reported authorization of ByteDance,
  which supersedes the block and requires a domestic purchase ratio.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import settings

from geotech import (
    AccessRequest,
    All,
    AnyOf,
    BuyerHeadquartered,
    BuyerIs,
    BuyerListed,
    Chip,
    Company,
    ControlClass,
    CountryGroup,
    Datacenter,
    ExporterIn,
    ExportPolicy,
    ImporterIn,
    ImportPolicy,
    ItemClass,
    ItemIs,
    ItemKind,
    Listing,
    Membership,
    PartyList,
    Requirement,
    Role,
    Spec,
    Stake,
    State,
    Tariff,
    Throughput,
    VolumeCap,
    World,
)

# CI must be reproducible: the same examples on every run (a local run explores new ones).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

D = dt.date

FR_2023 = "https://www.federalregister.gov/d/2023-23055"
FR_2026 = (
    "https://www.morganlewis.com/pubs/2026/01/bis-revises-export-review-policy-for-advanced-"
    "ai-chips-destined-for-china-and-macau"
)
TARIFF_2026 = (
    "https://www.cov.com/en/news-and-insights/insights/2026/01/us-commerce-department-revises-"
    "license-review-policy-for-exports-of-certain-advanced-computing-commodities-to-china-and-macau"
)
CN_BLOCK = (
    "https://www.usnews.com/news/top-news/articles/2026-01-14/chinas-customs-agents-told-"
    "nvidias-h200-chips-are-not-permitted-sources-say"
)
CN_APPROVAL = (
    "https://www.businesstimes.com.sg/international/global/china-approves-first-batch-nvidia-"
    "h200-chip-imports-sources"
)
ENTITY_LIST_HUAWEI = (
    "https://www.thompsonhinesmartrade.com/2019/05/huawei-technologies-co-ltd-and-68-"
    "affiliates-added-to-bis-entity-list/"
)
H100_DATASHEET = "https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet"
H200_DATASHEET = "https://nvdam.widen.net/s/nb5zzzsjdf/hpc-datasheet-sc23-h200-datasheet-3002446"
H20_SPECS = "https://www.theregister.com/2023/11/27/nvidia_china_h20_accelerator/"
RTX_4090_SPECS = "https://www.techpowerup.com/gpu-specs/geforce-rtx-4090.c3889"
RTX_4090D_SPECS = (
    "https://fudzilla.com/news/graphics/58175-nvidia-slashes-gaming-card-power-to-dodge-us-ban"
)

D5_OR_MACAU = {"groups": ["us-ear-d5"], "states": ["MO"]}


def _states() -> list[State]:
    return [
        State(id="US", name="United States"),
        State(id="CN", name="China"),
        State(id="TW", name="Taiwan"),
        State(id="MO", name="Macau"),
        State(id="SG", name="Singapore"),
    ]


def _companies() -> list[Company]:
    return [
        Company(id="nvidia", name="NVIDIA", hq="US", roles=[Role.CHIP_DESIGNER]),
        Company(id="tsmc", name="TSMC", hq="TW", roles=[Role.FOUNDRY]),
        Company(id="bytedance", name="ByteDance", hq="CN", roles=[Role.AI_LAB, Role.PLATFORM]),
        Company(
            id="bytedance-sg",
            name="ByteDance (Singapore subsidiary)",
            hq="SG",
            owners=[Stake(owner="bytedance", percent=100)],
            roles=[Role.CLOUD],
        ),
        Company(id="huawei", name="Huawei", hq="CN", roles=[Role.CHIP_DESIGNER]),
    ]


def _dense(**tops: float) -> list[Throughput]:
    return [Throughput(precision=p, tops=v) for p, v in tops.items()]


def _chips() -> list[Chip]:
    common = {"designer": "nvidia", "fab": "tsmc"}
    return [
        Chip(
            id="nvidia-h100-sxm",
            name="NVIDIA H100 SXM5 80GB",
            datacenter=True,
            throughput=_dense(fp64=66.9, bf16=989.4, fp8=1979),
            die_area_mm2=814,
            memory_gb=80,
            dram_bandwidth_gbs=3350,
            interconnect_gbs=900,
            tdp_w=700,
            sources=[H100_DATASHEET],
            **common,
        ),
        Chip(
            id="nvidia-h200",
            name="NVIDIA H200 SXM",
            datacenter=True,
            throughput=_dense(bf16=989.5, fp8=1979),
            die_area_mm2=814,
            memory_gb=141,
            dram_bandwidth_gbs=4800,
            interconnect_gbs=900,
            tdp_w=700,
            sources=[H200_DATASHEET],
            **common,
        ),
        Chip(
            id="nvidia-h20",
            name="NVIDIA H20",
            datacenter=True,
            throughput=_dense(bf16=148, fp8=296),
            die_area_mm2=814,
            memory_gb=96,
            dram_bandwidth_gbs=4000,
            interconnect_gbs=900,
            tdp_w=400,
            sources=[H20_SPECS],
            **common,
        ),
        Chip(
            id="nvidia-rtx-4090",
            name="NVIDIA GeForce RTX 4090",
            datacenter=False,
            throughput=_dense(fp16=330.3, fp8=660.6),
            die_area_mm2=608.5,
            memory_gb=24,
            dram_bandwidth_gbs=1008,
            tdp_w=450,
            sources=[RTX_4090_SPECS],
            **common,
        ),
        Chip(
            id="nvidia-rtx-4090d",
            name="NVIDIA GeForce RTX 4090 D",
            datacenter=False,
            # 588.375 = the reported TPP 4707 / 8 bits; no dense FP8 figure is published.
            throughput=_dense(fp8=588.375),
            die_area_mm2=608.5,
            memory_gb=24,
            dram_bandwidth_gbs=1008,
            tdp_w=425,
            estimates=["throughput"],
            sources=[RTX_4090D_SPECS],
            **common,
        ),
    ]


def _classes() -> list[ControlClass]:
    return [
        ControlClass(
            id="us-3a090a-2022",
            issuer="US",
            code="3A090.a",
            title="Advanced computing ICs (October 2022 definition)",
            criterion=All(
                of=[Spec("tpp", ">=", 4800), Spec("interconnect_gbs", ">=", 600)],
            ),
            effective=D(2022, 10, 7),
            expires=D(2023, 11, 17),
            citation="87 FR 62186",
            sources=["https://www.govinfo.gov/content/pkg/FR-2022-10-13/html/2022-21658.htm"],
        ),
        ControlClass(
            id="us-3a090a-2023",
            issuer="US",
            code="3A090.a",
            title="Advanced computing ICs (October 2023 definition, Note 2 to 3A090)",
            criterion=AnyOf(
                of=[
                    Spec("tpp", ">=", 4800),
                    All(
                        of=[
                            Spec("tpp", ">=", 1600),
                            Spec("performance_density", ">=", 5.92),
                            Datacenter(True),
                        ]
                    ),
                ]
            ),
            effective=D(2023, 11, 17),
            citation="88 FR 73458",
            sources=[FR_2023],
        ),
    ]


def _policies() -> list[ExportPolicy | ImportPolicy]:
    return [
        ExportPolicy(
            id="us-2023-acs-destination",
            issuer="US",
            title="3A090.a items to Country Group D:5 and Macau",
            criterion=All(of=[ItemClass(["3A090.a"]), ImporterIn(**D5_OR_MACAU)]),
            effect="license_required",
            review="presumption_of_denial",
            announced=D(2023, 10, 17),
            effective=D(2023, 11, 17),
            citation="88 FR 73458",
            sources=[FR_2023],
        ),
        ExportPolicy(
            id="us-2023-acs-headquarters",
            issuer="US",
            title="3A090.a items to entities headquartered in D:5 or Macau, wherever located",
            criterion=All(of=[ItemClass(["3A090.a"]), BuyerHeadquartered(**D5_OR_MACAU)]),
            effect="license_required",
            review="presumption_of_denial",
            announced=D(2023, 10, 17),
            effective=D(2023, 11, 17),
            citation="88 FR 73458",
            sources=[FR_2023],
        ),
        ExportPolicy(
            id="us-2026-h200-case-by-case",
            issuer="US",
            title="Case-by-case review for exports from the US to China and Macau",
            criterion=All(
                of=[
                    ItemClass(["3A090.a"]),
                    Spec("tpp", "<", 21000),
                    Spec("dram_bandwidth_gbs", "<", 6500),
                    ExporterIn(states=["US"]),
                    ImporterIn(states=["CN", "MO"]),
                ]
            ),
            effect="license_required",
            review="case_by_case",
            conditions=[
                VolumeCap(fraction=0.5, reference="shipments to US end users"),
                Requirement("third_party_testing", "independent testing in the US"),
                Requirement("supply_certification", "sufficient US supply"),
            ],
            supersedes=["us-2023-acs-destination", "us-2023-acs-headquarters"],
            announced=D(2026, 1, 13),
            effective=D(2026, 1, 15),
            citation="91 FR 1684",
            sources=[FR_2026],
        ),
        ExportPolicy(
            id="us-entity-list-license",
            issuer="US",
            title="Licence for all items subject to the EAR to listed parties",
            criterion=BuyerListed(["us-entity-list"]),
            effect="license_required",
            review="presumption_of_denial",
            effective=D(2019, 5, 16),
            citation="84 FR 22961",
            sources=[ENTITY_LIST_HUAWEI],
        ),
        ImportPolicy(
            id="us-2026-semiconductor-tariff",
            issuer="US",
            title="Section 232 duty on H200-shaped logic ICs",
            criterion=All(
                of=[
                    ItemKind(["chip"]),
                    Spec("tpp", ">", 14000),
                    Spec("tpp", "<", 17500),
                    Spec("dram_bandwidth_gbs", ">", 4500),
                    Spec("dram_bandwidth_gbs", "<", 5000),
                ]
            ),
            effect="allow",
            conditions=[Tariff(0.25)],
            announced=D(2026, 1, 14),
            effective=D(2026, 1, 15),
            citation="Proclamation of 14 January 2026 (Section 232, semiconductors)",
            sources=[TARIFF_2026],
        ),
        ImportPolicy(
            id="cn-2026-h200-customs-block",
            issuer="CN",
            title="Customs told H200 imports are not permitted",
            criterion=ItemIs(["nvidia-h200"]),
            effect="prohibit",
            effective=D(2026, 1, 14),
            status="reported",
            sources=[CN_BLOCK],
        ),
        ImportPolicy(
            id="cn-2026-h200-import-approvals",
            issuer="CN",
            title="First batch of approved H200 importers",
            criterion=All(of=[ItemIs(["nvidia-h200"]), BuyerIs(["bytedance"])]),
            effect="allow",
            conditions=[Requirement("domestic_purchase_ratio", "buy domestic chips alongside")],
            supersedes=["cn-2026-h200-customs-block"],
            effective=D(2026, 1, 28),
            status="reported",
            sources=[CN_APPROVAL],
        ),
    ]


def build_mini_world() -> World:
    """The mini world (see the module docstring); also importable for Hypothesis tests."""
    return World(
        states=_states(),
        groups=[
            CountryGroup(
                id="us-ear-d5",
                issuer="US",
                code="D:5",
                name="US EAR Country Group D:5 (arms embargoed)",
                members=[Membership(state="CN")],
            )
        ],
        companies=_companies(),
        party_lists=[
            PartyList(
                id="us-entity-list",
                issuer="US",
                name="BIS Entity List",
                listings=[
                    Listing(
                        company="huawei",
                        start=D(2019, 5, 16),
                        citation="84 FR 22961",
                        sources=[ENTITY_LIST_HUAWEI],
                    )
                ],
            )
        ],
        chips=_chips(),
        classes=_classes(),
        policies=_policies(),
    )


@pytest.fixture(scope="session")
def mini_world() -> World:
    """The H200-story world (immutable, so shared by the whole session)."""
    return build_mini_world()


@pytest.fixture
def flagship_request() -> AccessRequest:
    """ByteDance asks for H200s on 2026-02-01, tested in the US on the way: TW -> US -> CN."""
    return AccessRequest(
        buyer="bytedance", item="nvidia-h200", on=D(2026, 2, 1), route=("TW", "US", "CN")
    )
