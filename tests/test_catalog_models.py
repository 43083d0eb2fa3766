"""The catalogue's models carry Epoch AI's figures and labels (models.toml, Dec 2026 check), and
the compute analyses read the corrected figures.

Expected values are typed from Epoch's records (Nov 2025 and Apr 2026 exports), not read from
the catalogue; times are worked by hand: FLOP / (chips x dense BF16 FLOP/s x 0.35) / 86,400.
"""

from __future__ import annotations

import pytest

from geotech import Confidence, MissingSpecError, catalog
from geotech.compute import DEFAULT_UTILIZATION, chips_needed, training_time
from geotech.world import World

C, L, S = Confidence.CONFIDENT, Confidence.LIKELY, Confidence.SPECULATIVE

#: id -> (training FLOP, Epoch's label, training chip, chip count) as Epoch lists them.
EPOCH = {
    "xai-grok-3": (3.5e26, L, "nvidia-h100-sxm", 80_000),
    "deepseek-v3": (3.4078e24, C, "nvidia-h800", 2_048),
    "deepseek-r1": (4.02001e24, C, "nvidia-h800", None),
    "openai-gpt-4": (2.1e25, L, "nvidia-a100", 25_000),
    "bytedance-doubao-pro": (2.505e25, L, None, None),
    "google-gemini-1.0-ultra": (5.0e25, S, "google-tpu-v4", 57_000),
    "huawei-pangu-ultra": (1.0692e25, C, "huawei-ascend-910b", 8_192),
    "moonshot-kimi-k2": (2.976e24, C, "nvidia-h800", None),
    "zhipu-glm-4.5": (4.42e24, C, None, None),
    "meta-llama-4-behemoth-preview": (5.184e25, L, "nvidia-h100-sxm", 32_000),
    "huawei-pangu-ultra-moe": (3.0888e24, S, "huawei-ascend-910b", 6_000),
    "deepseek-v4-pro": (9.702e24, L, None, None),
}

#: Models Epoch lists with no training compute (two of them withdrawn estimates).
NO_EPOCH_FIGURE = (
    "openai-gpt-4o",
    "anthropic-claude-3-opus",
    "bytedance-doubao-1.5-pro",
    "bytedance-seed-thinking-v1.5",
)


@pytest.fixture(scope="module")
def world() -> World:
    return catalog.world()


@pytest.mark.parametrize("model", sorted(EPOCH))
def test_figures_and_labels_are_epochs(world: World, model: str) -> None:
    m = world.model(model)
    flop, label, chip, count = EPOCH[model]
    assert (m.training_flop, m.training_flop_confidence) == (flop, label)
    assert (m.training_chip, m.training_chip_count) == (chip, count)
    assert "https://epoch.ai/data/ai-models" in m.sources


@pytest.mark.parametrize("model", NO_EPOCH_FIGURE)
def test_no_figure_where_epoch_lists_none(world: World, model: str) -> None:
    m = world.model(model)
    assert (m.training_flop, m.training_flop_confidence) == (None, None)
    with pytest.raises(MissingSpecError, match=f"model '{model}' has no training_flop"):
        training_time(m, world.chip("nvidia-h100-sxm"), 1_000)


def test_every_compute_figure_carries_a_label(world: World) -> None:
    unlabelled = [
        m.id
        for m in world.models
        if m.training_flop is not None and m.training_flop_confidence is None
    ]
    assert unlabelled == []


def test_grok_3_on_its_cluster_takes_146_days(world: World) -> None:
    # 3.5e26 / (80,000 x 989.5e12 x 0.35) / 86,400 = 146.211 days; the superseded figures
    # (4.64e26 on 100,000) gave 155.07 days.
    assert DEFAULT_UTILIZATION == 0.35
    grok = world.model("xai-grok-3")
    assert grok.training_chip is not None
    assert grok.training_chip_count is not None
    t = training_time(grok, world.chip(grok.training_chip), grok.training_chip_count)
    assert t.days == pytest.approx(146.2111, abs=1e-4)


def test_deepseek_v3_on_2048_h800_takes_55_6_days(world: World) -> None:
    # 3.4078e24 / (2,048 x 989.5e12 x 0.35) / 86,400 = 55.609 days (the paper: under two
    # months); 3.3e24, the superseded figure, gave 53.85 days.
    v3 = world.model("deepseek-v3")
    t = training_time(v3, world.chip("nvidia-h800"), 2_048)
    assert t.days == pytest.approx(55.6092, abs=1e-4)
    # The same run in 30 days: 3.4078e24 / (30 x 86,400 x 989.5e12 x 0.35) = 3,796.3 -> 3,797.
    assert chips_needed(v3, world.chip("nvidia-h800"), 30).count == 3_797
