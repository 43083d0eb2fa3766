"""Compute accounting: exact figures for the formulas, properties for the laws of compute.py."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geotech import (
    Chip,
    Model,
    Precision,
    ReviewPolicy,
    UnknownEntityError,
    Verdict,
    VolumeCap,
    io,
)
from geotech.compute import (
    DEFAULT_APPROVAL,
    DEFAULT_UTILIZATION,
    FP8_UTILIZATION,
    REFERENCE_WORKLOADS,
    SECONDS_PER_DAY,
    AccessibleCompute,
    Approval,
    Capacity,
    Distribution,
    Holding,
    Order,
    UtilizationRange,
    accessible_compute,
    bloc,
    chips_needed,
    cluster,
    cluster_flops,
    compute_gap,
    h100_equivalents,
    peak_flops,
    simulate,
    training_time,
)
from geotech.errors import InvalidValueError, MissingSpecError

D = dt.date
BEFORE, AFTER = D(2025, 12, 1), D(2026, 2, 1)


#: China-bound H200s: presumption of denial until 2026-01-15, then case-by-case with a volume
#: share cap; China allows 1,000 units from 2026-01-28. B200s to China are prohibited; H20s
#: to China need a US license under presumption of approval and China discourages them; H100s
#: to Taiwan need a license under presumption of approval. Ascend chips are Chinese, so a
#: Chinese buyer's order crosses no border.
WORLD_TOML = """
schema_version = 1
states = [{ id = "US", name = "US" }, { id = "CN", name = "CN" }, { id = "TW", name = "TW" }]
companies = [
  { id = "nvidia", name = "NVIDIA", hq = "US" },
  { id = "huawei", name = "Huawei", hq = "CN" },
  { id = "bytedance", name = "ByteDance", hq = "CN" },
  { id = "openai", name = "OpenAI", hq = "US" },
  { id = "tsmc", name = "TSMC", hq = "TW" },
  { id = "meta", name = "Meta", hq = "US" },
]
models = [{ id = "meta-llama-3.1-405b", name = "Llama 3.1 405B", developer = "meta" }]

[[chips]]
id = "nvidia-h100-sxm"
name = "H100"
designer = "nvidia"
throughput = { bf16 = 989.5, fp8 = 1979 }

[[chips]]
id = "nvidia-h200"
name = "H200"
designer = "nvidia"
throughput = { bf16 = 989.5, fp8 = 1979 }

[[chips]]
id = "nvidia-h20"
name = "H20"
designer = "nvidia"
throughput = { bf16 = 148, fp8 = 296 }

[[chips]]
id = "nvidia-b200"
name = "B200"
designer = "nvidia"
throughput = { bf16 = 2250, fp8 = 4500 }

[[chips]]
id = "huawei-ascend-910c"
name = "Ascend 910C"
designer = "huawei"
throughput = { bf16 = 752 }
estimates = ["throughput"]

[[chips]]
id = "nvidia-rtx-4090d"
name = "RTX 4090 D"
designer = "nvidia"
throughput = { fp8 = 588.375 }

[[policies]]
side = "export"
id = "us-h200-denial"
issuer = "US"
title = "H200 to China, before 2026"
criterion = { type = "all", of = [
  { type = "item_is", ids = ["nvidia-h200"] }, { type = "importer_in", states = ["CN"] },
] }
effect = "license_required"
review = "presumption_of_denial"
effective = 2023-11-17
expires = 2026-01-15

[[policies]]
side = "export"
id = "us-h200-case-by-case"
issuer = "US"
title = "H200 to China, from 2026"
criterion = { type = "all", of = [
  { type = "item_is", ids = ["nvidia-h200"] }, { type = "importer_in", states = ["CN"] },
] }
effect = "license_required"
review = "case_by_case"
conditions = [{ type = "volume_cap", fraction = 0.5, reference = "shipments to US end users" }]
effective = 2026-01-15

[[policies]]
side = "export"
id = "us-b200-ban"
issuer = "US"
title = "B200 to China"
criterion = { type = "all", of = [
  { type = "item_is", ids = ["nvidia-b200"] }, { type = "importer_in", states = ["CN"] },
] }
effect = "prohibit"
effective = 2024-01-01

[[policies]]
side = "export"
id = "us-h20-license"
issuer = "US"
title = "H20 to China"
criterion = { type = "all", of = [
  { type = "item_is", ids = ["nvidia-h20"] }, { type = "importer_in", states = ["CN"] },
] }
effect = "license_required"
review = "presumption_of_approval"
effective = 2025-04-15

[[policies]]
side = "export"
id = "us-h100-taiwan"
issuer = "US"
title = "H100 to Taiwan"
criterion = { type = "all", of = [
  { type = "item_is", ids = ["nvidia-h100-sxm"] }, { type = "importer_in", states = ["TW"] },
] }
effect = "license_required"
review = "presumption_of_approval"
effective = 2024-01-01

[[policies]]
side = "import"
id = "cn-h20-guidance"
issuer = "CN"
title = "H20 purchases discouraged"
criterion = { type = "item_is", ids = ["nvidia-h20"] }
effect = "discourage"
effective = 2025-08-12

[[policies]]
side = "import"
id = "cn-h200-quota"
issuer = "CN"
title = "H200 import quota"
criterion = { type = "item_is", ids = ["nvidia-h200"] }
effect = "allow"
conditions = [{ type = "volume_cap", units = 1000, reference = "approved import batch" }]
effective = 2026-01-28
"""


WORLD = io.loads_world(WORLD_TOML, "toml", "test_compute world")
H100, H200, H20, B200, ASCEND, FP8_ONLY = (
    WORLD.chip(c)
    for c in (
        "nvidia-h100-sxm",
        "nvidia-h200",
        "nvidia-h20",
        "nvidia-b200",
        "huawei-ascend-910c",
        "nvidia-rtx-4090d",
    )
)
H200_SHARE = VolumeCap(fraction=0.5, reference="shipments to US end users")
ORDERS = (
    Order(chip="nvidia-h200", quantity=5000),
    Order(chip="nvidia-b200", quantity=1000),
    Order(chip="nvidia-h20", quantity=2000),
    Order(chip="huawei-ascend-910c", quantity=3000),
)

# --- chips and clusters ----------------------------------------------------------------------


def test_peak_flops_is_dense_tops_times_1e12() -> None:
    assert peak_flops(H100) == 989.5e12
    assert peak_flops(H100, Precision.FP8) == 1979e12
    assert cluster_flops(H100, 10_000) == 10_000 * 989.5e12


def test_missing_throughput_is_reported_not_guessed() -> None:
    with pytest.raises(MissingSpecError, match=r"'nvidia-rtx-4090d' has no published dense bf16"):
        peak_flops(FP8_ONLY)
    with pytest.raises(MissingSpecError, match="published: fp8"):
        cluster_flops(FP8_ONLY, 10)


def test_h100_equivalents_reuse_the_chip_figure() -> None:
    assert h100_equivalents(H100, 10) == 10 * (1979 / 1979)
    assert h100_equivalents(B200, 3) == 3 * (4500 / 1979)
    with pytest.raises(MissingSpecError, match="no published dense 8-bit"):
        h100_equivalents(ASCEND)


@pytest.mark.parametrize("count", [0, -5, math.inf, math.nan])
def test_cluster_rejects_bad_counts(count: float) -> None:
    with pytest.raises(InvalidValueError, match="count"):
        cluster_flops(H100, count)


# --- training time ---------------------------------------------------------------------------


def test_gpt4_class_run_on_10k_h100_at_40_percent() -> None:
    run = training_time(2.1e25, H100, 10_000, 0.4)
    assert run.seconds == 2.1e25 / (10_000 * 989.5e12 * 0.4)
    assert run.days == 2.1e25 / (10_000 * 989.5e12 * 0.4) / 86_400
    assert (run.flop, run.chip, run.count, run.utilization) == (2.1e25, "nvidia-h100-sxm", 1e4, 0.4)
    assert run.precision is Precision.BF16


def test_training_time_takes_a_model_and_defaults() -> None:
    llama = Model(id="meta-llama-3.1-405b", name="Llama", developer="meta", training_flop=3.8e25)
    run = training_time(llama, H100, 16_384)
    assert run.seconds == 3.8e25 / (16_384 * 989.5e12 * DEFAULT_UTILIZATION)
    assert DEFAULT_UTILIZATION == 0.35
    fp8 = training_time(llama, H100, 16_384, FP8_UTILIZATION, precision=Precision.FP8)
    assert fp8.seconds == 3.8e25 / (16_384 * 1979e12 * 0.2)


def test_model_without_training_compute_is_reported() -> None:
    with pytest.raises(MissingSpecError, match=r"'meta-llama-3\.1-405b' has no training_flop"):
        training_time(WORLD.model("meta-llama-3.1-405b"), H100, 100)


@pytest.mark.parametrize("utilization", [0, 1.5, -0.1, True])
def test_utilization_must_be_a_fraction(utilization: float) -> None:
    with pytest.raises(InvalidValueError, match=r"utilization must be in \(0, 1\]"):
        training_time(1e24, H100, 100, utilization)


def test_chips_needed_for_a_90_day_run() -> None:
    need = chips_needed(2.1e25, H100, days=90, utilization=0.4)
    exact = 2.1e25 / (90 * 86_400 * 989.5e12 * 0.4)
    assert need.exact == exact
    assert need.count == math.ceil(exact) == 6_824


# --- accessible compute ----------------------------------------------------------------------


def test_accessible_compute_before_the_january_decisions() -> None:
    result = accessible_compute(WORLD, "bytedance", BEFORE, ORDERS)
    h200, b200, h20, ascend = result.orders
    assert (h200.decision.verdict, h200.decision.review) == (
        Verdict.LICENSE_REQUIRED,
        ReviewPolicy.PRESUMPTION_OF_DENIAL,
    )
    assert (h200.holding.units, h200.holding.weight) == (5000, 0.05)
    assert h200.flops == 0.05 * (5000 * 989.5e12)
    assert b200.decision.verdict is Verdict.PROHIBITED
    assert b200.flops == 0
    # Both authorities must agree: US license (0.9) x China's discouragement (0.5).
    assert (h20.decision.verdict, h20.decision.review) == (
        Verdict.LICENSE_REQUIRED,
        ReviewPolicy.PRESUMPTION_OF_APPROVAL,
    )
    assert h20.holding.weight == 0.5 * 0.9
    assert h20.flops == (0.5 * 0.9) * (2000 * 148e12)
    assert ascend.decision.verdict is Verdict.ALLOWED
    assert ascend.flops == 3000 * 752e12
    assert result.flops == math.fsum(o.flops for o in result.orders)
    assert result.max_flops == math.fsum([5000 * 989.5e12, 2000 * 148e12, 3000 * 752e12])


def test_accessible_compute_after_the_january_decisions() -> None:
    result = accessible_compute(WORLD, "bytedance", AFTER, ORDERS)
    h200 = result.orders[0]
    assert h200.decision.review is ReviewPolicy.CASE_BY_CASE
    # The 1,000-unit import quota bounds the 5,000 ordered; the 50 % share cap is reported.
    assert (h200.holding.units, h200.holding.weight) == (1000, 0.5)
    assert h200.fraction_caps == (H200_SHARE,)
    assert h200.flops == 0.5 * (1000 * 989.5e12)
    assert result.capacity == Capacity(
        label="bytedance", holdings=tuple(o.holding for o in result.orders)
    )


def test_approval_probabilities_are_user_overridable() -> None:
    sure = Approval(case_by_case=1.0)
    result = accessible_compute(WORLD, "bytedance", AFTER, ORDERS[:1], approval=sure)
    assert result.flops == 1000 * 989.5e12


def test_presumption_of_approval_weight() -> None:
    result = accessible_compute(WORLD, "tsmc", AFTER, [Order(chip="nvidia-h100-sxm", quantity=8)])
    assert result.orders[0].decision.review is ReviewPolicy.PRESUMPTION_OF_APPROVAL
    assert result.flops == 0.9 * (8 * 989.5e12)


def test_approval_weights_by_verdict() -> None:
    a = Approval(
        presumption_of_approval=0.8, case_by_case=0.4, presumption_of_denial=0.1, discouraged=0.3
    )
    assert a.weight(Verdict.ALLOWED, None) == 1.0
    assert a.weight(Verdict.CONDITIONAL, None) == 1.0
    assert a.weight(Verdict.DISCOURAGED, None) == 0.3
    assert a.weight(Verdict.LICENSE_REQUIRED, ReviewPolicy.PRESUMPTION_OF_APPROVAL) == 0.8
    assert a.weight(Verdict.LICENSE_REQUIRED, ReviewPolicy.CASE_BY_CASE) == 0.4
    assert a.weight(Verdict.LICENSE_REQUIRED, ReviewPolicy.PRESUMPTION_OF_DENIAL) == 0.1
    assert a.weight(Verdict.PROHIBITED, None) == 0.0
    defaults = Approval(
        presumption_of_approval=0.9, case_by_case=0.5, presumption_of_denial=0.05, discouraged=0.5
    )
    assert defaults == DEFAULT_APPROVAL


def test_decision_weight_multiplies_the_authorities() -> None:
    a = Approval(presumption_of_approval=0.8, case_by_case=0.4, discouraged=0.3)
    before = accessible_compute(WORLD, "bytedance", BEFORE, ORDERS, approval=a)
    after = accessible_compute(WORLD, "bytedance", AFTER, ORDERS, approval=a)
    # H20: China discourages (import side, CN) and the US licenses (export side, US).
    assert a.decision_weight(before.orders[2].decision) == 0.3 * 0.8
    # H200 after: China's quota is an allow with a condition (1), the US reviews case by case.
    assert a.decision_weight(after.orders[0].decision) == 0.4
    # Ascend 910C: no border, no authority.
    assert a.decision_weight(after.orders[3].decision) == 1.0


def test_bad_inputs_are_rejected_with_the_field() -> None:
    with pytest.raises(InvalidValueError, match=r"Approval.case_by_case: .* got 1.2"):
        Approval(case_by_case=1.2)
    with pytest.raises(InvalidValueError, match=r"Order\.quantity"):
        Order(chip="nvidia-h200", quantity=0)
    with pytest.raises(UnknownEntityError, match=r"unknown chip 'meta-llama-3\.1-405b'"):
        accessible_compute(WORLD, "bytedance", AFTER, [Order("meta-llama-3.1-405b", 1)])
    with pytest.raises(MissingSpecError, match="nvidia-rtx-4090d"):
        accessible_compute(WORLD, "bytedance", AFTER, [Order("nvidia-rtx-4090d", 1)])


# --- the gap ---------------------------------------------------------------------------------


def test_compute_gap_between_a_buyer_and_a_us_lab() -> None:
    china = accessible_compute(WORLD, "bytedance", AFTER, ORDERS)
    us = cluster(B200, 500, label="US lab")
    gap = compute_gap(china, us)
    assert gap.ratio == china.flops / (500 * 2250e12)
    assert gap.b == Capacity(label="US lab", holdings=(Holding(chip=B200, units=500),))
    gpt4, llama = gap.times
    assert gpt4.workload == REFERENCE_WORKLOADS[0]
    assert gpt4.a_seconds == 2.1e25 / (china.flops * 0.35)
    assert gpt4.b_days == 2.1e25 / (500 * 2250e12 * 0.35) / SECONDS_PER_DAY
    assert llama.workload.flop == 3.8e25
    assert llama.a_seconds == 3.8e25 / (china.flops * 0.35)


def test_compute_gap_without_compute() -> None:
    banned = accessible_compute(WORLD, "bytedance", AFTER, [Order("nvidia-b200", 100)])
    gap = compute_gap(cluster(H100, 10), banned, utilization=0.4)
    assert gap.ratio == math.inf
    assert gap.times[0].b_seconds == math.inf
    assert gap.times[0].a_seconds == 2.1e25 / (10 * 989.5e12 * 0.4)
    assert compute_gap(banned, banned).ratio is None


def test_bloc_pools_capacities() -> None:
    a = cluster(H100, 10)
    b = accessible_compute(WORLD, "bytedance", AFTER, ORDERS)
    pooled = bloc("pooled", [a, b])
    assert pooled.holdings == (*a.holdings, *b.capacity.holdings)
    assert pooled.flops == math.fsum([10 * 989.5e12, *(o.flops for o in b.orders)])
    assert a.label == "10 x H100"


# --- uncertainty -----------------------------------------------------------------------------


def test_quantiles_interpolate_between_order_statistics() -> None:
    d = Distribution(samples=(4, 1, 3, 2))
    assert d.samples == (4.0, 1.0, 3.0, 2.0)
    assert d.quantiles((0, 0.25, 0.5, 1)) == (1.0, 1.75, 2.5, 4.0)
    assert Distribution(samples=(1, math.inf)).median == math.inf
    assert Distribution(samples=(math.inf, math.inf)).quantile(0.3) == math.inf
    with pytest.raises(InvalidValueError, match="at least one sample"):
        Distribution(samples=())


def test_simulation_without_uncertainty_is_the_point_figure() -> None:
    sim = simulate(
        cluster(H100, 100), random.Random(1), samples=5, utilization=UtilizationRange(0.4, 0.4, 0.4)
    )
    assert sim.achieved_flops.samples == (100 * 989.5e12 * 0.4,) * 5
    assert sim.days(2.1e25).median == 2.1e25 / (100 * 989.5e12 * 0.4) / SECONDS_PER_DAY


def test_simulation_bounds_follow_the_ranges() -> None:
    spread, low, high = 0.15, 0.25, 0.5
    sim = simulate(cluster(ASCEND, 1000), random.Random(3), samples=500, spread=spread)
    peak = 1000 * 752e12
    assert min(sim.achieved_flops.samples) >= peak * (1 - spread) * low
    assert max(sim.achieved_flops.samples) <= peak * (1 + spread) * high
    assert len(set(sim.achieved_flops.samples)) == 500


def test_prohibited_orders_never_yield_in_simulation() -> None:
    banned = accessible_compute(WORLD, "bytedance", AFTER, [Order("nvidia-b200", 100)])
    sim = simulate(banned, random.Random(0), samples=50)
    assert sim.achieved_flops.samples == (0.0,) * 50
    assert sim.days(1e24).median == math.inf


def test_simulation_uses_no_global_random_state() -> None:
    random.seed(42)
    expected = random.random()
    random.seed(42)
    simulate(accessible_compute(WORLD, "bytedance", AFTER, ORDERS), random.Random(7), 100)
    assert random.random() == expected


# --- properties ------------------------------------------------------------------------------

counts = st.integers(min_value=1, max_value=10**6)
factors = st.integers(min_value=2, max_value=1000)
utilizations = st.floats(min_value=0.01, max_value=1.0)
probabilities = st.floats(min_value=0.0, max_value=1.0)
chips = st.sampled_from([H100, H200, H20, B200, ASCEND])
flops = st.floats(min_value=1e18, max_value=1e28)


@given(flops, chips, counts, factors, utilizations)
def test_training_time_is_inversely_proportional_to_count(
    flop: float, chip: Chip, count: int, k: int, u: float
) -> None:
    one = training_time(flop, chip, count, u).seconds
    assert math.isclose(training_time(flop, chip, count * k, u).seconds * k, one, rel_tol=1e-12)


@given(flops, chips, counts, utilizations, st.floats(min_value=0.01, max_value=1.0))
def test_training_time_is_inversely_proportional_to_utilization(
    flop: float, chip: Chip, count: int, u: float, scale: float
) -> None:
    one = training_time(flop, chip, count, u).seconds
    scaled = training_time(flop, chip, count, u * scale).seconds
    assert math.isclose(scaled * scale, one, rel_tol=1e-12)


@given(flops, chips, st.floats(min_value=1, max_value=1000), utilizations)
def test_chips_needed_inverts_training_time(flop: float, chip: Chip, days: float, u: float) -> None:
    need = chips_needed(flop, chip, days, u)
    assert math.isclose(training_time(flop, chip, need.exact, u).days, days, rel_tol=1e-12)
    assert training_time(flop, chip, need.count, u).days <= days * (1 + 1e-12)


approvals = st.builds(
    Approval,
    presumption_of_approval=probabilities,
    case_by_case=probabilities,
    presumption_of_denial=probabilities,
    discouraged=probabilities,
)
orders = st.lists(
    st.builds(
        Order,
        chip=st.sampled_from([c.id for c in (H100, H200, H20, B200, ASCEND)]),
        quantity=st.integers(min_value=1, max_value=10**5),
    ),
    max_size=6,
)
buyers = st.sampled_from(["bytedance", "tsmc", "openai"])
dates = st.sampled_from([BEFORE, AFTER, D(2025, 1, 1)])


def _raise(a: Approval, b: Approval) -> Approval:
    """Each probability of ``a`` raised to at least ``b``'s."""
    return Approval(
        presumption_of_approval=max(a.presumption_of_approval, b.presumption_of_approval),
        case_by_case=max(a.case_by_case, b.case_by_case),
        presumption_of_denial=max(a.presumption_of_denial, b.presumption_of_denial),
        discouraged=max(a.discouraged, b.discouraged),
    )


@given(buyers, dates, orders, approvals, approvals)
def test_accessible_compute_is_monotone_in_approval(
    buyer: str, on: dt.date, wanted: list[Order], low: Approval, other: Approval
) -> None:
    high = _raise(low, other)
    lower = accessible_compute(WORLD, buyer, on, wanted, approval=low)
    higher = accessible_compute(WORLD, buyer, on, wanted, approval=high)
    for a, b in zip(lower.orders, higher.orders, strict=True):
        assert a.flops <= b.flops
    assert lower.flops <= higher.flops


@given(dates, st.integers(min_value=1, max_value=10**6), approvals)
def test_prohibited_orders_contribute_nothing(on: dt.date, quantity: int, a: Approval) -> None:
    result = accessible_compute(WORLD, "bytedance", on, [Order("nvidia-b200", quantity)], a)
    assert result.orders[0].decision.verdict is Verdict.PROHIBITED
    assert result.flops == 0
    assert result.max_flops == 0


@given(st.integers(min_value=0, max_value=2**32), buyers, dates, orders)
def test_monte_carlo_is_deterministic_per_seed(
    seed: int, buyer: str, on: dt.date, wanted: list[Order]
) -> None:
    result = accessible_compute(WORLD, buyer, on, wanted)
    first = simulate(result, random.Random(seed), samples=50)
    assert first == simulate(result, random.Random(seed), samples=50)
    samples = first.achieved_flops.samples
    assert min(samples) <= first.achieved_flops.median <= max(samples)


@given(st.lists(st.floats(min_value=0, max_value=1e30), min_size=1, max_size=50), probabilities)
def test_quantiles_stay_within_the_samples(values: list[float], q: float) -> None:
    d = Distribution(samples=values)
    assert min(values) <= d.quantile(q) <= max(values)
    assert d.quantile(q) <= d.quantile(min(1.0, q + 0.1))


def test_domestic_orders_count_in_full() -> None:
    result = accessible_compute(WORLD, "openai", AFTER, [Order("nvidia-b200", 2)])
    assert isinstance(result, AccessibleCompute)
    assert (result.buyer, result.on, result.precision) == ("openai", AFTER, Precision.BF16)
    assert result.flops == 2 * 2250e12
