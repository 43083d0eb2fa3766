"""The embedded catalogue's data: sources everywhere, counts, and figures checked against the
sources (expected values come from the research notes and the cited pages, not from the code).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

import attrs
import pytest

from geotech import catalog
from geotech.criteria import ItemIs, walk
from geotech.entities import Chip, Precision, Status
from geotech.world import World

D = dt.date

#: The kinds of records a World holds (states, groups, ..., policies).
KINDS = tuple(a.name for a in attrs.fields(World) if a.init)


def _records(world: World) -> list[tuple[str, Any]]:
    """Every top-level record with a path, plus records nested in them that carry sources."""
    out: list[tuple[str, Any]] = []
    for kind in KINDS:
        for index, record in enumerate(getattr(world, kind)):
            path = f"{kind}[{getattr(record, 'id', index)}]"
            out.append((path, record))
            for field in attrs.fields(type(record)):
                value = getattr(record, field.name)
                if isinstance(value, tuple):
                    nested = [v for v in value if attrs.has(type(v)) and hasattr(v, "sources")]
                    out += [(f"{path}.{field.name}[{i}]", v) for i, v in enumerate(nested)]
    return out


@pytest.fixture(scope="module")
def world() -> World:
    return catalog.world()


def test_world_loads_and_is_cached() -> None:
    assert catalog.world() is catalog.world()
    assert catalog.world(include_reported=False) is catalog.world(include_reported=False)


def test_every_record_has_a_source_url(world: World) -> None:
    records = _records(world)
    assert {path.split("[")[0] for path, _ in records} >= {"states", "chips", "party_lists"}
    missing = [path for path, record in records if not record.sources]
    assert missing == [], f"records without a source URL: {missing}"
    bad = [
        (path, url)
        for path, record in records
        for url in record.sources
        if not url.startswith(("https://", "http://"))
    ]
    assert bad == []


def test_catalogue_sizes(world: World) -> None:
    assert len(world.companies) >= 25
    assert len(world.chips) >= 25
    assert len(world.models) >= 15


# ---------------------------------------------------------------------------------------------
# Chips: TPP and performance density against catalog.md / regulations.md


class Between(NamedTuple):
    """A reference value given as a range (sources disagree, or it rests on an estimate)."""

    low: float
    high: float


Expected = float | Between | None

#: chip id -> (TPP, performance density) as the sources state them. Exact floats where the
#: source figures are exact; ranges or approximations where they rest on estimates.
REFERENCE: dict[str, tuple[Expected, Expected]] = {
    "nvidia-a100": (4992.0, 4992 / 826),
    "nvidia-a800": (4992.0, 4992 / 826),
    "nvidia-h100-sxm": (15832.0, 15832 / 814),
    "nvidia-h100-pcie": (12104.0, 12104 / 814),
    # catalog.md rounds the H800's FP8 to 1,978.9 (15,831); the datasheet's dense 1,979 gives
    # the same 15,832 as the H100 SXM.
    "nvidia-h800": (15832.0, 15832 / 814),
    "nvidia-h20": (2368.0, 2368 / 814),
    "nvidia-h200": (15832.0, 15832 / 814),
    "nvidia-b200": (36000.0, Between(22.4, 22.6)),
    "nvidia-b300": (Between(53500, 56000), Between(33.5, 35.0)),
    "nvidia-gb300": (60000.0, Between(37.4, 37.6)),
    # TechPowerUp: 660.6 dense 8-bit TOPS (catalog.md rounds the TPP to 5,285).
    "nvidia-rtx-4090": (660.6 * 8, 660.6 * 8 / 608.5),
    "nvidia-rtx-4090d": (4707.0, 4707 / 608.5),
    "nvidia-l40s": (5864.0, 5864 / 608.5),
    "nvidia-l20": (Between(1911, 1914), Between(3.13, 3.15)),
    "nvidia-rtx-pro-6000d": (None, None),
    "amd-mi250x": (6128.0, Between(3.9, 4.25)),
    # AMD datasheet: 2,614.9 dense FP8 TFLOPS; the density range is catalog.md's (area unknown).
    "amd-mi300x": (2614.9 * 8, Between(8.7, 20.6)),
    "amd-mi308x": (None, None),
    "amd-mi325x": (2614.9 * 8, Between(8.7, 20.6)),
    "amd-mi355x": (Between(60395, 60397), None),
    "intel-gaudi2": (Between(6919, 6921), None),
    "intel-gaudi3": (Between(29359, 29361), None),
    "huawei-ascend-910b": (6016.0, 6016 / 665.61),
    "huawei-ascend-910c": (Between(12032, 12800), Between(9.0, 9.6)),
    # Google's Cloud TPU v4 page: 275 TFLOPS bf16; die area not published.
    "google-tpu-v4": (4400.0, None),
    # Accelerator catalogue extension: figures from the cited sources (Epoch AI's ML hardware
    # data, vendor documentation), TPP = max over precisions of dense TOPS x bit length.
    "nvidia-a100-pcie": (624.0 * 8, 624.0 * 8 / 826),
    "nvidia-a800-pcie": (max(311.8 * 16, 155.9 * 32), max(311.8 * 16, 155.9 * 32) / 826),
    "nvidia-h100-nvl": (Between(13360, 13370), Between(16.4, 16.5)),
    "nvidia-gh200": (15832.0, 15832 / 814),
    "nvidia-b100": (28000.0, Between(17.4, 17.6)),
    "nvidia-gb200": (40000.0, Between(24.9, 25.1)),
    "nvidia-l40": (90.52 * 32, 90.52 * 32 / 608.5),
    "nvidia-l4": (1936.0, 1936 / 294),
    "nvidia-l2": (Between(1545, 1546), None),
    "nvidia-a40": (149.7 * 16, 149.7 * 16 / 628),
    "nvidia-a10": (2000.0, 2000 / 628),
    "nvidia-rtx-6000-ada": (5832.0, 5832 / 608.5),
    "amd-mi100": (184.6 * 16, None),
    "amd-mi210": (45.3 * 64, Between(3.9, 4.1)),
    "amd-mi250": (362.1 * 16, Between(3.9, 4.1)),
    "amd-mi300a": (max(980.6 * 16, 490.3 * 32, 1961.2 * 8), None),
    "amd-mi350x": (Between(55364, 55366), None),
    "huawei-ascend-910": (4096.0, None),
    "huawei-ascend-920": (Between(14399, 14401), None),
    "huawei-ascend-950dt": (8000.0, None),
    "cambricon-mlu370-x8": (Between(2047, 2049), None),
    "cambricon-mlu370-x4": (2048.0, None),
    "cambricon-mlu290-m5": (4096.0, None),
    "biren-br100": (16384.0, Between(15.2, 15.3)),
    "biren-br104": (8192.0, None),
    "moore-threads-mtt-s4000": (1600.0, None),
    "metax-c500": (Between(4479, 4481), None),
    "kunlunxin-r200": (2048.0, None),
    "iluvatar-bi-v100": (2360.0, None),
    "google-tpu-v5e": (3152.0, Between(9.6, 9.8)),
    "google-tpu-v5p": (7344.0, None),
    "google-tpu-v6e": (14688.0, None),
    "google-tpu-v7": (36912.0, None),
    # AWS Neuron docs: BF16 667 x 16 exceeds FP8 1,299 x 8 on Trainium2.
    "amazon-trainium": (3040.0, None),
    "amazon-trainium2": (10672.0, None),
    "amazon-trainium3": (20136.0, None),
    "amazon-inferentia2": (3040.0, None),
    "microsoft-maia-100": (Between(17999, 18001), Between(21.9, 22.0)),
    "meta-mtia-v1": (102.4 * 8, 102.4 * 8 / 373),
    "meta-mtia-v2": (2832.0, 2832 / 421),
    # chips_more.toml: H800 PCIe at the H100 PCIe's rates (FP8 1,513 x 8 over 814 mm2); the
    # others publish no throughput.
    "nvidia-h800-pcie": (12104.0, 12104 / 814),
    "nvidia-b30a": (None, None),
    "amd-mi309": (None, None),
    "intel-gaudi3-hl328": (None, None),
    # chips_2026.toml (Epoch rates, no die area): RG800 INT8 256 x 8 (= FP16 128 x 16),
    # Zhikai 100 INT8 384 x 8, MXN100 INT8 160 x 8.
    "kunlunxin-rg800": (2048.0, None),
    "iluvatar-zhikai-100": (3072.0, None),
    "metax-mxn100": (1280.0, None),
    # chips_2026.toml, vendor pages (sparse figures halved). H200 NVL: BF16 835.5 x 16 = 13,368
    # (above FP8 1,670.5 x 8 = 13,364 and TF32 417.5 x 32 = 13,360) over GH100's 814 mm2. RTX PRO
    # 6000 Blackwell (both editions): FP4 2,000 x 4 = 8,000 (FP32 125 or 120 x 32 is lower) over
    # GB202's ~750 mm2 (an estimate). Maia 200: FP4 10,000 x 4 = FP8 5,000 x 8 = 40,000, no area.
    "nvidia-h200-nvl": (13368.0, 13368 / 814),
    "nvidia-rtx-pro-6000-blackwell": (8000.0, Between(10.66, 10.67)),
    "nvidia-rtx-pro-6000-blackwell-server": (8000.0, Between(10.66, 10.67)),
    "microsoft-maia-200": (40000.0, None),
    # Ascend 950PR (Huawei's keynote): FP4 2,000 x 4 = FP8 1,000 x 8 = 8,000, no die area.
    "huawei-ascend-950pr": (8000.0, None),
    # MTIA 300: FP8 1,200 x 8 = BF16 600 x 16 = 9,600; MTIA 400: MX4 12,000 x 4 = FP8 6,000 x 8 =
    # BF16 3,000 x 16 = 48,000 (Tom's Hardware's table of Meta's figures); no die area.
    "meta-mtia-300": (9600.0, None),
    "meta-mtia-400": (48000.0, None),
}


def _check(observed: float | None, expected: Expected) -> bool:
    if expected is None or observed is None:
        return observed is expected
    if isinstance(expected, Between):
        return expected.low <= observed <= expected.high
    return observed == expected


def test_every_chip_has_reference_figures(world: World) -> None:
    assert {c.id for c in world.chips} == set(REFERENCE)


@pytest.mark.parametrize("chip_id", sorted(REFERENCE))
def test_tpp_and_density_match_the_sources(world: World, chip_id: str) -> None:
    chip = world.chip(chip_id)
    tpp, density = REFERENCE[chip_id]
    assert _check(chip.tpp, tpp), f"{chip_id}: TPP {chip.tpp} vs reference {tpp}"
    assert _check(chip.performance_density, density), (
        f"{chip_id}: density {chip.performance_density} vs reference {density}"
    )


@pytest.mark.parametrize(
    "chip_id",
    sorted(
        c for c, (t, d) in REFERENCE.items() if isinstance(t, Between) or isinstance(d, Between)
    ),
)
def test_approximate_figures_rest_on_flagged_estimates(world: World, chip_id: str) -> None:
    flagged = world.chip(chip_id).estimates & {"throughput", "die_area_mm2"}
    assert flagged, f"{chip_id}: an approximate reference value needs an estimated input"


def test_brief_anchor_figures(world: World) -> None:
    for chip_id in ("nvidia-h100-sxm", "nvidia-h200"):
        assert world.chip(chip_id).dense_tops(Precision.FP8) == 1979.0
        assert world.chip(chip_id).die_area_mm2 == 814.0
    h20 = world.chip("nvidia-h20")
    assert h20.dense_tops(Precision.FP8) == 296.0
    assert h20.h100_equivalents == 296.0 / 1979.0
    assert world.chip("nvidia-h200").dram_bandwidth_gbs == 4800.0
    assert world.chip("nvidia-a800").interconnect_gbs == 400.0
    assert world.chip("nvidia-h800").interconnect_gbs == 400.0


def test_consumer_cards_are_not_datacenter_parts(world: World) -> None:
    assert world.chip("nvidia-rtx-4090").datacenter is False
    assert world.chip("nvidia-rtx-4090d").datacenter is False


def test_unknown_specs_stay_unknown(world: World) -> None:
    for chip in world.chips:
        for field in ("die_area_mm2", "memory_gb", "dram_bandwidth_gbs", "interconnect_gbs"):
            assert getattr(chip, field) != 0
    assert world.chip("amd-mi308x").throughput == ()
    assert world.chip("nvidia-rtx-pro-6000d").throughput == ()


def test_multi_die_areas_are_flagged_as_estimates(world: World) -> None:
    multi_die = (
        "nvidia-b200",
        "nvidia-b300",
        "nvidia-gb300",
        "amd-mi250x",
        "amd-mi300x",
        "amd-mi325x",
        "huawei-ascend-910c",
        "nvidia-b100",
        "nvidia-gb200",
        "amd-mi250",
        "biren-br100",
    )
    unflagged = [c for c in multi_die if "die_area_mm2" not in world.chip(c).estimates]
    assert unflagged == []


def test_chips_reference_known_designers(world: World) -> None:
    assert world.chip("huawei-ascend-910b").designer == "hisilicon"
    # BIS presumes the named Ascend chips subject to the EAR (May 2025 GP10 guidance)
    assert world.jurisdictions(world.chip("huawei-ascend-910b")) == {"CN", "US"}
    assert world.jurisdictions(world.chip("huawei-ascend-910")) == {"CN"}
    assert world.jurisdictions(world.chip("nvidia-h200")) == {"US"}
    assert isinstance(world.item("intel-gaudi3"), Chip)


# ---------------------------------------------------------------------------------------------
# Groups, companies, lists


def test_d5_and_macau(world: World) -> None:
    on = D(2023, 11, 17)
    assert world.group_contains("us-ear-d5", "CN", on)
    assert world.group_contains("us-ear-d5", "RU", on)
    # Macau is in D:1 and D:4, not in D:5: the rules name it beside D:5.
    assert not world.group_contains("us-ear-d5", "MO", on)
    assert world.group_contains("us-ear-d1", "MO", on)
    assert world.group_contains("us-ear-d4", "MO", on)
    # Israel is in D:4 and in A:6, which the 2023 rule excludes.
    assert world.group_contains("us-ear-d4", "IL", on)
    assert world.group_contains("us-ear-a6", "IL", on)
    assert world.group_contains("us-ear-d4", "SA", on)
    assert world.group_contains("us-ear-d1", "VN", on)


def test_dated_group_changes(world: World) -> None:
    assert not world.group_contains("us-ear-d5", "KH", D(2021, 12, 8))
    assert world.group_contains("us-ear-d5", "KH", D(2021, 12, 9))
    assert world.group_contains("us-ear-d5", "KH", D(2025, 11, 6))
    assert not world.group_contains("us-ear-d5", "KH", D(2025, 11, 7))
    assert not world.group_contains("us-ear-d5", "HK", D(2020, 12, 22))
    assert world.group_contains("us-ear-d5", "HK", D(2020, 12, 23))
    assert world.group_contains("us-ear-a6", "HK", D(2020, 12, 22))
    assert not world.group_contains("us-ear-a6", "HK", D(2020, 12, 23))
    assert not world.group_contains("us-ear-d5", "NI", D(2024, 3, 14))
    assert world.group_contains("us-ear-d5", "NI", D(2024, 3, 15))


def test_ai_diffusion_tier1(world: World) -> None:
    tier1 = world.group("us-aidf-tier1").states_on(D(2025, 2, 1))
    assert len(tier1) == 19
    assert {"US", "TW", "JP", "KR", "NL", "GB"} <= tier1
    assert not tier1 & {"CN", "IL", "SG", "AE", "IN"}


def test_parents(world: World) -> None:
    assert [c.id for c in world.ancestors("hisilicon")] == ["huawei"]
    assert [c.id for c in world.ancestors("google")] == ["alphabet"]
    assert world.company("sk-hynix").hq == "KR"
    assert world.company("tsmc").hq == "TW"


LISTED = [
    ("us-entity-list", "huawei", D(2019, 5, 16)),
    ("us-entity-list", "smic", D(2020, 12, 18)),
    ("us-entity-list", "cambricon", D(2022, 12, 16)),
    ("us-entity-list", "zhipu", D(2025, 1, 16)),
    ("us-dod-1260h", "tencent", D(2025, 1, 7)),
]


@pytest.mark.parametrize(("party_list", "company", "start"), LISTED)
def test_listing_dates(world: World, party_list: str, company: str, start: dt.date) -> None:
    assert not world.listed(party_list, company, start - dt.timedelta(days=1))
    assert world.listed(party_list, company, start)
    assert world.listed(party_list, company, D(2026, 2, 1))


def test_amec_left_the_1260h_list_in_december_2024(world: World) -> None:
    # Listed 31 Jan 2024, removed after its lawsuit by the December 2024 update (Bloomberg).
    assert world.listed("us-dod-1260h", "amec", D(2024, 1, 31))
    assert world.listed("us-dod-1260h", "amec", D(2024, 12, 17))
    assert not world.listed("us-dod-1260h", "amec", D(2024, 12, 18))
    assert not world.listed("us-dod-1260h", "amec", D(2026, 2, 1))


def test_firms_not_listed(world: World) -> None:
    for company in ("bytedance", "alibaba", "tencent", "deepseek", "baidu"):
        assert not world.listed("us-entity-list", company, D(2026, 2, 1))
    assert not world.listed("us-dod-1260h", "bytedance", D(2026, 2, 1))


def test_reported_records_are_flagged_and_can_be_left_out(world: World) -> None:
    def reported(w: World) -> list[str]:
        listings = [
            f"{pl.id}:{x.company}"
            for pl in w.party_lists
            for x in pl.listings
            if x.status is Status.REPORTED
        ]
        return listings + [p.id for p in w.policies if p.status is Status.REPORTED]

    assert "us-dod-1260h:alibaba" in reported(world)
    assert world.listed("us-dod-1260h", "alibaba", D(2026, 2, 13))
    assert not world.listed("us-dod-1260h", "alibaba", D(2026, 2, 14))
    official = catalog.world(include_reported=False)
    assert reported(official) == []
    assert not official.listed("us-dod-1260h", "alibaba", D(2026, 2, 13))
    assert official.listed("us-dod-1260h", "tencent", D(2026, 2, 13))


def test_models_training_figures(world: World) -> None:
    llama = world.model("meta-llama-3.1-405b")
    assert (llama.training_chip, llama.training_chip_count) == ("nvidia-h100-sxm", 16384)
    assert llama.training_flop == 3.8e25
    v3 = world.model("deepseek-v3")
    assert (v3.training_chip, v3.training_chip_count) == ("nvidia-h800", 2048)
    assert (v3.parameters, v3.active_parameters) == (6.71e11, 3.7e10)
    flop_without_confidence = [
        m.id
        for m in world.models
        if m.training_flop is not None
        and "training_flop" not in m.estimates
        and m.training_flop_confidence is None
    ]
    assert flop_without_confidence == []


def test_the_state_funded_rule_lists_every_chinese_chip(world: World) -> None:
    """China's state-funded data-centre rule names its domestic chips one by one (the criteria
    have no designer test for items): every chip designed by a company headquartered in China
    is on the list, and nothing else is."""
    rule = next(p for p in world.policies if p.id == "cn-2025-11-state-funded-dc-domestic-only")
    listed = {i for node in walk(rule.criterion) if isinstance(node, ItemIs) for i in node.ids}
    chinese = {c.id for c in world.chips if world.company(c.designer).hq == "CN"}
    assert listed == chinese
