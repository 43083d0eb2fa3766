"""The derived US control class of every catalogue item, checked against what the sources state.

Classes are never stored with items: ``World.classify`` applies the definition in force on a
date to the item's published specs. The expectations below are written from the research notes
(../shared/reference/catalog.md section A and regulations.md entries 1-4) and the sources cited
there, on both sides of each rule change:

- 2022-10-07: the Oct 2022 rule creates 3A090 (TPP >= 4800 AND chip-to-chip I/O >= 600 GB/s);
- 2023-11-17: the Oct 2023 rule replaces it with 3A090.a / 3A090.b (TPP and performance
  density; Note 2 leaves non-datacenter parts with TPP < 4800 outside);
- 2024-12-02: 3A090.c (high-bandwidth memory) is added;
- 2025-01-13 to 2025-05-13: 4E091 (weights of models trained with more than 1e26 operations)
  exists until the AI Diffusion framework's rescission.

Where a spec a definition needs is unpublished, the honest answer is "unknown": the item is in
no certain class and the definition's trace names the missing fact.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from geotech import Truth, catalog
from geotech.world import World

BEFORE_2022 = dt.date(2022, 10, 6)
RULE_2022 = dt.date(2022, 10, 7)
LAST_DAY_2022 = dt.date(2023, 11, 16)
RULE_2023 = dt.date(2023, 11, 17)
BEFORE_HBM = dt.date(2024, 12, 1)
RULE_HBM = dt.date(2024, 12, 2)
BEFORE_4E091 = dt.date(2025, 1, 12)
RULE_4E091 = dt.date(2025, 1, 13)
LAST_DAY_4E091 = dt.date(2025, 5, 12)
RESCISSION = dt.date(2025, 5, 13)
H200_STORY = dt.date(2026, 2, 1)


@attrs.frozen
class Unknown:
    """No certain class: the definition's match depends on an unpublished spec (``fact``)."""

    fact: str


Expected = str | None | Unknown


@attrs.frozen
class Chip:
    """Expected class under the Oct 2022 rule (``3A090`` or None) and the Oct 2023 rule."""

    y2022: Expected
    y2023: Expected


# Sources: catalog.md section A (its "US classification (as stated by source)" column) and the
# URLs there; "DER" marks an expectation derived from the sourced specs and the sourced
# thresholds where no source states the class itself.
CHIPS: dict[str, Chip] = {
    # "3A090 under Oct-2022 rule; 3A090.a under Oct-2023 rule; named in Nvidia 8-K of Oct 2023";
    # TPP 4,992 sits just above 4,800 and NVLink is 600 GB/s.
    "nvidia-a100": Chip("3A090", "3A090.a"),
    # "China variant of the Oct-2022 rule (I/O < 600 GB/s); became 3A090.a" (NVLink 400).
    "nvidia-a800": Chip(None, "3A090.a"),
    # H100: USG is-informed letter of Aug 2022 and "3A090.a; named in 8-K" (NVLink 900).
    "nvidia-h100-sxm": Chip("3A090", "3A090.a"),
    # "3A090.a"; Oct 2022: TPP 12,104 with a 600 GB/s NVLink bridge meets both prongs (DER).
    "nvidia-h100-pcie": Chip("3A090", "3A090.a"),
    # "China variant of Oct-2022 rule; 3A090.a after 17 Oct 2023; named in 8-K" (NVLink 400).
    "nvidia-h800": Chip(None, "3A090.a"),
    # "Designed as Oct-2023 compliant China variant (TPP < 2400, PD < 3.2 -> outside 3A090)".
    "nvidia-h20": Chip(None, None),
    # "3A090.a"; TPP 15,832 with NVLink 900 is also above both Oct 2022 prongs (DER).
    "nvidia-h200": Chip("3A090", "3A090.a"),
    # "3A090.a (far above thresholds)"; NVLink 5 at 1,800 GB/s (DER for 2022).
    "nvidia-b200": Chip("3A090", "3A090.a"),
    "nvidia-b300": Chip("3A090", "3A090.a"),
    "nvidia-gb300": Chip("3A090", "3A090.a"),
    # Consumer card with PCIe only (outside the 2022 I/O prong); "3A090.a via TPP >= 4800
    # (consumer card); licence needed for China from Oct/Nov 2023; named in 8-K".
    "nvidia-rtx-4090": Chip(None, "3A090.a"),
    # "Compliant China variant (TPP just under 4800)": non-datacenter, so Note 2 applies.
    "nvidia-rtx-4090d": Chip(None, None),
    # PCIe only, no NVLink (outside 2022); "3A090.a; named in Oct-2023 8-K".
    "nvidia-l40s": Chip(None, "3A090.a"),
    # "Compliant China variant (TPP < 2400, PD < 3.2)".
    "nvidia-l20": Chip(None, None),
    # "China variant designed after the Apr-2025 bandwidth limits": no throughput published.
    "nvidia-rtx-pro-6000d": Chip(Unknown("tpp"), Unknown("tpp")),
    # "Controlled under Oct-2022 rule (TPP >= 4800, I/O >= 600); 3A090.a under Oct-2023".
    "amd-mi250x": Chip("3A090", "3A090.a"),
    # "3A090.a"; Oct 2022: TPP 20,919 with Infinity Fabric 896 GB/s (DER).
    "amd-mi300x": Chip("3A090", "3A090.a"),
    # "AMD never published full specs ... treat all MI308X throughput as unknown".
    "amd-mi308x": Chip(Unknown("tpp"), Unknown("tpp")),
    # "3A090.a; named in the Jan-2026 rule"; Infinity Fabric 896 GB/s (DER for 2022).
    "amd-mi325x": Chip("3A090", "3A090.a"),
    # "3A090.a"; Infinity Fabric about 1,075 GB/s (DER for 2022).
    "amd-mi355x": Chip("3A090", "3A090.a"),
    # "3A090.a by TPP"; 24 x 100 GbE = 600 GB/s bidirectional, at the 2022 line (DER); its
    # China SKU HL-225B had reduced networking.
    "intel-gaudi2": Chip("3A090", "3A090.a"),
    # "3A090.a by TPP"; 24 x 200 GbE = 1,200 GB/s bidirectional (DER for 2022).
    "intel-gaudi3": Chip("3A090", "3A090.a"),
    # "Would exceed 3A090.a thresholds" (TPP 6,016); HCCS 392 GB/s is under the 2022 I/O line.
    "huawei-ascend-910b": Chip(None, "3A090.a"),
    # "As 910B": TPP about 12,000 with 784 GB/s interconnect (DER for 2022).
    "huawei-ascend-910c": Chip("3A090", "3A090.a"),
    # TPU v4: TPP 4,400 (275 bf16 TFLOPS) is under 4,800, so outside the 2022 rule; its die
    # area is not published, so the 2023 density tests (a.2, b) cannot be decided.
    "google-tpu-v4": Chip(None, Unknown("performance_density")),
    # Accelerator catalogue extension. Unless a comment names a source that states the class,
    # each expectation is DER: the sourced specs against the sourced thresholds.
    "nvidia-a100-pcie": Chip("3A090", "3A090.a"),  # named in the Oct 2022 and Oct 2023 8-Ks
    "nvidia-a800-pcie": Chip(None, "3A090.a"),  # as the A800 SXM: NVLink 400 GB/s
    "nvidia-h100-nvl": Chip("3A090", "3A090.a"),
    "nvidia-gh200": Chip(Unknown("interconnect_gbs"), "3A090.a"),
    "nvidia-b100": Chip(Unknown("interconnect_gbs"), "3A090.a"),
    "nvidia-gb200": Chip(Unknown("interconnect_gbs"), "3A090.a"),
    # The .b band: TPP 2,897 and PD 4.76 (L40), TPP 2,395 and PD 3.81 (A40).
    "nvidia-l40": Chip(None, "3A090.b"),
    "nvidia-a40": Chip(None, "3A090.b"),
    # L4: TPP 1,936 with PD 6.59 meets a.2 (datacenter part).
    "nvidia-l4": Chip(None, "3A090.a"),
    "nvidia-l2": Chip(None, None),  # TPP 1,546 < 1,600
    "nvidia-a10": Chip(None, None),  # TPP 2,000 < 2,400 and PD 3.18 < 3.2
    "nvidia-rtx-6000-ada": Chip(None, "3A090.a"),
    "amd-mi100": Chip(None, Unknown("performance_density")),
    "amd-mi210": Chip(None, "3A090.b"),
    "amd-mi250": Chip("3A090", "3A090.a"),  # 6 Infinity Fabric links = 600 GB/s
    "amd-mi300a": Chip(Unknown("interconnect_gbs"), "3A090.a"),
    "amd-mi350x": Chip(Unknown("interconnect_gbs"), "3A090.a"),
    "huawei-ascend-910": Chip(None, Unknown("performance_density")),
    "huawei-ascend-920": Chip(Unknown("interconnect_gbs"), "3A090.a"),
    "huawei-ascend-950dt": Chip("3A090", "3A090.a"),
    "cambricon-mlu370-x8": Chip(None, Unknown("performance_density")),
    "cambricon-mlu370-x4": Chip(None, Unknown("performance_density")),
    "cambricon-mlu290-m5": Chip(None, Unknown("performance_density")),
    # BR100: TPP 16,384 but chip-to-chip I/O 412 GB/s, under the Oct 2022 line.
    "biren-br100": Chip(None, "3A090.a"),
    "biren-br104": Chip(Unknown("interconnect_gbs"), "3A090.a"),
    "moore-threads-mtt-s4000": Chip(None, Unknown("performance_density")),
    "metax-c500": Chip(None, Unknown("performance_density")),
    "kunlunxin-r200": Chip(None, Unknown("performance_density")),
    "iluvatar-bi-v100": Chip(None, Unknown("performance_density")),
    # TPU v5e: TPP 3,152 with PD 9.7 on Epoch's die-area figure meets a.2.
    "google-tpu-v5e": Chip(None, "3A090.a"),
    "google-tpu-v5p": Chip("3A090", "3A090.a"),
    "google-tpu-v6e": Chip("3A090", "3A090.a"),
    "google-tpu-v7": Chip(Unknown("interconnect_gbs"), "3A090.a"),
    "amazon-trainium": Chip(None, Unknown("performance_density")),
    "amazon-trainium2": Chip("3A090", "3A090.a"),
    "amazon-trainium3": Chip("3A090", "3A090.a"),
    "amazon-inferentia2": Chip(None, Unknown("performance_density")),
    "microsoft-maia-100": Chip("3A090", "3A090.a"),
    "meta-mtia-v1": Chip(None, None),  # TPP 819
    "meta-mtia-v2": Chip(None, "3A090.a"),  # TPP 2,832 with PD 6.73 meets a.2
    # Dec 2026 additions (chips_more.toml). H800 PCIe: TPP 12,104 but ~300 GB/s chip-to-chip,
    # under the Oct 2022 I/O line by design; 3A090.a once that line is dropped (PD 14.9).
    "nvidia-h800-pcie": Chip(None, "3A090.a"),
    # No throughput is published for the reported B30A, the MI309 or the China Gaudi 3 SKU.
    "nvidia-b30a": Chip(Unknown("tpp"), Unknown("tpp")),
    "amd-mi309": Chip(Unknown("tpp"), Unknown("tpp")),
    "intel-gaudi3-hl328": Chip(Unknown("tpp"), Unknown("tpp")),
    # chips_2026.toml: no die area. RG800 (TPP 2,048) and Zhikai 100 (3,072) are between 1,600
    # and 4,800, where density decides; MXN100 (1,280) is under every TPP threshold.
    "kunlunxin-rg800": Chip(None, Unknown("performance_density")),
    "iluvatar-zhikai-100": Chip(None, Unknown("performance_density")),
    "metax-mxn100": Chip(None, None),
    # chips_2026.toml, vendor pages. H200 NVL: TPP 13,368 with a 900 GB/s NVLink bridge meets both
    # Oct 2022 prongs; 3A090.a by TPP. RTX PRO 6000 Blackwell: TPP 8,000 but PCIe only (128 GB/s),
    # under the 2022 I/O line; 3A090.a by TPP (>= 4,800, so Note 2 does not spare the workstation
    # card). Maia 200: TPP 40,000 with 2.8 TB/s of scale-up I/O.
    "nvidia-h200-nvl": Chip("3A090", "3A090.a"),
    "nvidia-rtx-pro-6000-blackwell": Chip(None, "3A090.a"),
    "nvidia-rtx-pro-6000-blackwell-server": Chip(None, "3A090.a"),
    "microsoft-maia-200": Chip("3A090", "3A090.a"),
    # Ascend 950PR: TPP 8,000 with 2 TB/s of interconnect, as the 950DT.
    "huawei-ascend-950pr": Chip("3A090", "3A090.a"),
    # MTIA 300 (TPP 9,600) and 400 (48,000): 3A090.a by TPP; Meta publishes no chip-to-chip
    # rate, so the Oct 2022 I/O prong is unknown.
    "meta-mtia-300": Chip(Unknown("interconnect_gbs"), "3A090.a"),
    "meta-mtia-400": Chip(Unknown("interconnect_gbs"), "3A090.a"),
}

# HBM generations in production in Dec 2024: BIS stated all of them exceed the 3A090.c
# threshold (regulations.md entry 3).
HBM = ("hbm2e", "hbm3", "hbm3e")

# Epoch AI training-compute estimates (models.toml, Epoch's Nov 2025 / Apr 2026 exports) against
# the 4E091 line of 1e26.
MODELS: dict[str, Expected] = {
    "openai-gpt-4.5": "4E091",  # 3.8e26
    # 3.5e26 (corrected from 4.64e26); whether xAI published its weights is not sourced
    "xai-grok-3": Unknown("open_weights"),
    "xai-grok-4": "4E091",  # 5e26
    "openai-gpt-4": None,  # 2.1e25
    "openai-gpt-5": None,  # 6.6e25
    "google-gemini-1.0-ultra": None,  # 5e25
    "meta-llama-3.1-405b": None,  # 3.8e25
    "meta-llama-4-behemoth-preview": None,  # 5.184e25
    "meta-llama-4-maverick": None,  # 2.244e24
    "meta-llama-4-scout": None,  # 4.08e24
    "xai-grok-2": None,  # 2.96e25
    "anthropic-claude-3.5-sonnet": None,  # 2.7e25
    "anthropic-claude-3.7-sonnet": None,  # 3.35e25
    "alibaba-qwen2.5-72b": None,  # 7.8e24
    "alibaba-qwen3-235b-a22b": None,  # 4.752e24
    "alibaba-qwen3-32b": None,  # 7.0848e24
    "alibaba-qwen3-max": None,  # 1.512e25
    "baidu-ernie-4.5-300b-a47b": None,  # 2.82e24
    "bytedance-doubao-pro": None,  # 2.505e25
    "bytedance-seed1.5-vl": None,  # 1.388556e24
    "deepseek-v3": None,  # 3.4078e24 (corrected from 3.3e24)
    "deepseek-r1": None,  # 4.02e24 (corrected from 3.5e24)
    "deepseek-v4-pro": None,  # 9.702e24
    "huawei-pangu-ultra": None,  # 1.0692e25
    "huawei-pangu-ultra-moe": None,  # 3.0888e24
    "moonshot-kimi-k2": None,  # 2.976e24
    "tencent-hunyuan-large": None,  # 3.49e24
    "zhipu-glm-4.5": None,  # 4.42e24
    # ByteDance discloses neither parameters nor compute for these, and Epoch lists none.
    "bytedance-doubao-1.5-pro": Unknown("training_flop"),
    "bytedance-seed-thinking-v1.5": Unknown("training_flop"),
    # Epoch withdrew its estimates for these two (it lists no training compute since Nov 2025).
    "openai-gpt-4o": Unknown("training_flop"),
    "anthropic-claude-3-opus": Unknown("training_flop"),
}


@pytest.fixture(scope="module")
def world() -> World:
    return catalog.world()


def _check(world: World, item: str, code: str, on: dt.date, expected: Expected) -> None:
    """The item's classification on ``on`` as far as ``code`` is concerned is ``expected``."""
    step = world.class_step(code, world.item(item), on)
    if isinstance(expected, Unknown):
        assert step.truth is Truth.UNKNOWN, "\n".join(step.lines())
        assert f"{item}.{expected.fact}" in step.needs
        assert code not in world.classify(item, on)
    else:
        assert step.truth is Truth.of(expected == code), "\n".join(step.lines())


def test_every_catalogue_item_has_an_expectation(world: World) -> None:
    assert set(CHIPS) == {c.id for c in world.chips}
    assert set(MODELS) == {m.id for m in world.models}
    assert set(HBM) <= {m.id for m in world.materials}


@pytest.mark.parametrize("chip", sorted(CHIPS))
def test_no_class_before_the_oct_2022_rule(world: World, chip: str) -> None:
    assert world.classify(chip, BEFORE_2022) == ()


@pytest.mark.parametrize("chip", sorted(CHIPS))
@pytest.mark.parametrize("on", [RULE_2022, LAST_DAY_2022], ids=str)
def test_oct_2022_rule(world: World, chip: str, on: dt.date) -> None:
    expected = CHIPS[chip].y2022
    _check(world, chip, "3A090", on, expected)
    _check(world, chip, "3A090.a", on, None)  # the 2023 codes do not exist yet
    _check(world, chip, "3A090.b", on, None)
    assert world.classify(chip, on) == ((expected,) if isinstance(expected, str) else ())


@pytest.mark.parametrize("chip", sorted(CHIPS))
@pytest.mark.parametrize("on", [RULE_2023, BEFORE_HBM, RULE_HBM, H200_STORY], ids=str)
def test_oct_2023_rule(world: World, chip: str, on: dt.date) -> None:
    expected = CHIPS[chip].y2023
    _check(world, chip, "3A090", on, None)  # the 2022 definition has ended
    _check(world, chip, "3A090.a", on, expected)
    if not isinstance(expected, Unknown):
        _check(world, chip, "3A090.b", on, expected)
    # a chip (memory co-packaged with logic) is never 3A090.c, and never 4E091; the foundry
    # presumption's own code is tested in tests/test_foundry.py
    found = tuple(x for x in world.classify(chip, on) if x != "3A090.a-presumed")
    assert found == ((expected,) if isinstance(expected, str) else ())


# The China variants sit just under the lines the sources name (catalog.md section 0): the H20
# and L20 under both .b bands (TPP < 2400, PD < 3.2), the non-datacenter RTX 4090 D under 4800.
@pytest.mark.parametrize(
    ("chip", "fact", "line"),
    [
        ("nvidia-h20", "tpp", 2400),
        ("nvidia-h20", "performance_density", 3.2),
        ("nvidia-l20", "tpp", 2400),
        ("nvidia-l20", "performance_density", 3.2),
        ("nvidia-rtx-4090d", "tpp", 4800),
    ],
)
def test_china_variants_sit_under_the_oct_2023_lines(
    world: World, chip: str, fact: str, line: float
) -> None:
    value = getattr(world.chip(chip), fact)
    assert value is not None
    assert value < line


@pytest.mark.parametrize("memory", HBM)
def test_hbm_is_3a090c_from_dec_2024(world: World, memory: str) -> None:
    assert world.classify(memory, BEFORE_HBM) == ()
    assert world.classify(memory, RULE_HBM) == ("3A090.c",)
    assert world.classify(memory, H200_STORY) == ("3A090.c",)


@pytest.mark.parametrize("model", sorted(MODELS))
def test_4e091_only_while_the_ai_diffusion_framework_stood(world: World, model: str) -> None:
    expected = MODELS[model]
    assert world.classify(model, BEFORE_4E091) == ()
    for on in (RULE_4E091, LAST_DAY_4E091):
        _check(world, model, "4E091", on, expected)
        assert world.classify(model, on) == ((expected,) if isinstance(expected, str) else ())
    assert world.classify(model, RESCISSION) == ()
