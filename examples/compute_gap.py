"""Time to train Doubao-, Qwen- and Hunyuan-scale models on the chips each developer can get,
before (2025-12-01) and after (2026-02-01) the January 2026 H200 decisions, against a US lab's
B200 cluster of the same size.

Each developer orders ``CLUSTER`` chips of one kind; ``geotech.evaluate`` decides the order on
the date, and the order is weighed by the default approval probabilities
(``geotech.compute.DEFAULT_APPROVAL``). H200s travel TW -> US -> CN, the route the January
2026 rule requires (third-party testing in the US); other chips take the default route. The
model of each family is the developer's catalogue model of that family with the most training
compute. Run: ``python examples/compute_gap.py``.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from geotech import Model, World, catalog
from geotech.compute import (
    DEFAULT_APPROVAL,
    DEFAULT_UTILIZATION,
    DEFAULT_UTILIZATION_RANGE,
    ESTIMATE_SPREAD,
    AccessibleCompute,
    Order,
    Simulation,
    Workload,
    accessible_compute,
    compute_gap,
    simulate,
)

BEFORE = dt.date(2025, 12, 1)
AFTER = dt.date(2026, 2, 1)
CLUSTER = 100_000
SEED = 2026
SAMPLES = 1000
FAMILIES = (("bytedance", "Doubao"), ("alibaba", "Qwen"), ("tencent", "Hunyuan"))
CHIPS = {"nvidia-h20": "H20", "nvidia-h200": "H200", "huawei-ascend-910c": "Ascend 910C"}
ROUTES = {"nvidia-h200": ("TW", "US", "CN")}
US_LAB, US_CHIP = "openai", "nvidia-b200"
HEADER = ("cluster", "date", "decision", "weight", "days", "Monte Carlo days", "gap")
WIDTHS = (18, 10, 42, 6, 8, 0, 0)


def family_model(world: World, developer: str, family: str) -> Model:
    """The developer's model of ``family`` with the most training compute."""
    known = [
        m
        for m in world.models
        if m.developer == developer and family.lower() in m.name.lower() and m.training_flop
    ]
    if not known:
        raise LookupError(f"no {family} model of {developer} with training compute")
    return max(known, key=lambda m: (m.training_flop or 0.0, m.id))


def order(chip: str) -> Order:
    return Order(chip=chip, quantity=CLUSTER, route=ROUTES.get(chip))


def days(value: float) -> str:
    return "never" if value == math.inf else f"{value:,.1f}"


def table_row(cells: tuple[str, ...]) -> str:
    """Cells padded to their column widths (numbers right-aligned), two spaces apart."""
    padded = [
        cell.rjust(width) if i in (3, 4) else cell.ljust(width)
        for i, (cell, width) in enumerate(zip(cells, WIDTHS, strict=True))
    ]
    return ("  " + "  ".join(padded)).rstrip()


def row(
    label: str,
    flop: float,
    result: AccessibleCompute,
    sim: Simulation,
    us: AccessibleCompute,
) -> str:
    """One cluster on one date: decision, weight, days at expected capacity, Monte Carlo days
    and the gap (US lab FLOP/s over this cluster's)."""
    (o,) = result.orders
    gap = compute_gap(us, result, workloads=[Workload(name=label, flop=flop, source="")])
    low, mid, high = (days(q) for q in sim.days(flop).quantiles((0.05, 0.5, 0.95)))
    ratio = gap.ratio
    return table_row(
        (
            label,
            result.on.isoformat(),
            str(o.decision.restriction),
            f"{o.holding.weight:.2f}",
            days(gap.times[0].b_days),
            f"{mid} [{low}, {high}]",
            "n/a" if ratio is None else "inf" if ratio == math.inf else f"x{ratio:,.1f}",
        )
    )


def main() -> str:
    """The report as plain text."""
    world = catalog.world()
    a = DEFAULT_APPROVAL
    u = DEFAULT_UTILIZATION_RANGE
    lines = [
        f"Time to train on {CLUSTER:,}-chip clusters: dense BF16 peak, "
        f"{DEFAULT_UTILIZATION:.0%} utilization.",
        f"Approval weights: presumption of approval {a.presumption_of_approval:.2f}, "
        f"case-by-case {a.case_by_case:.2f}, presumption of denial "
        f"{a.presumption_of_denial:.2f}, discouraged {a.discouraged:.2f}.",
        "days: at the expected capacity (units x peak x weight).",
        f"Monte Carlo days: median [5 %, 95 %] of {SAMPLES:,} samples (seed {SEED}); utilization "
        f"{u.low:.0%}-{u.high:.0%}, estimated throughput +/-{ESTIMATE_SPREAD:.0%}, each order",
        "  approved with its weight; never = no chips obtained.",
        "gap: the US lab's expected FLOP/s over the cluster's.",
    ]
    us_label = f"US lab {world.chip(US_CHIP).name.split(' (')[0].removeprefix('NVIDIA ')}"
    us = {on: accessible_compute(world, US_LAB, on, [order(US_CHIP)]) for on in (BEFORE, AFTER)}
    us_sims = {on: simulate(us[on], random.Random(SEED), SAMPLES) for on in us}
    china = {
        (developer, chip, on): accessible_compute(world, developer, on, [order(chip)])
        for developer, _ in FAMILIES
        for chip in CHIPS
        for on in (BEFORE, AFTER)
    }
    sims = {key: simulate(r, random.Random(SEED), SAMPLES) for key, r in china.items()}
    for developer, family in FAMILIES:
        model = family_model(world, developer, family)
        flop = model.training_flop or 0.0
        lines += [
            "",
            f"{family}-scale: {model.name} ({world.company(developer).name}), {flop:.3g} FLOP",
            table_row(HEADER),
        ]
        for chip, label in CHIPS.items():
            for on in (BEFORE, AFTER):
                key = (developer, chip, on)
                lines.append(row(label, flop, china[key], sims[key], us[on]))
        for on in (BEFORE, AFTER):
            lines.append(row(us_label, flop, us[on], us_sims[on], us[on]))
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
