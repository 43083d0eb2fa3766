"""examples/compute_gap.py runs, and its key figures match figures computed here from the
catalogue's specs and decisions."""

from __future__ import annotations

import datetime as dt
import re
import runpy
from collections.abc import Callable
from pathlib import Path

import pytest

import geotech
from geotech import ReviewPolicy, Side, Verdict, catalog
from geotech.compute import DEFAULT_APPROVAL, DEFAULT_UTILIZATION

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "compute_gap.py"
BEFORE, AFTER = dt.date(2025, 12, 1), dt.date(2026, 2, 1)
CLUSTER = 100_000
MODELS = {
    "Doubao": ("bytedance", "bytedance-doubao-pro"),
    "Qwen": ("alibaba", "alibaba-qwen3-max"),  # Epoch: 1.512e25, the largest Qwen
    "Hunyuan": ("tencent", "tencent-hunyuan-large"),
}
H200_ROUTE = ("TW", "US", "CN")

Table = dict[tuple[str, str, str], list[str]]


@pytest.fixture(scope="module")
def output() -> str:
    main: Callable[[], str] = runpy.run_path(str(EXAMPLE))["main"]
    text = main()
    assert main() == text  # seeded Monte Carlo: same report every run
    return text


@pytest.fixture(scope="module")
def table(output: str) -> Table:
    """Rows by (family, cluster label, date) -> cells."""
    rows: Table = {}
    family = ""
    for line in output.splitlines():
        header = re.match(r"^(\w+)-scale: ", line)
        if header:
            family = header.group(1)
        elif family and line.startswith("  ") and not line.strip().startswith("cluster"):
            cells = re.split(r"\s{2,}", line.strip())
            rows[(family, cells[0], cells[1])] = cells
    return rows


def _days(flop: float, units: int, tops: float, weight: float) -> str:
    flops = weight * (units * (tops * 1e12))
    return f"{flop / (flops * DEFAULT_UTILIZATION) / 86_400:,.1f}"


def _decision(buyer: str, chip: str, on: dt.date) -> geotech.Decision:
    route = H200_ROUTE if chip == "nvidia-h200" else None
    request = geotech.AccessRequest(buyer=buyer, item=chip, on=on, route=route, quantity=CLUSTER)
    return geotech.evaluate(catalog.world(), request)


def _bf16(chip: str) -> float:
    tops = catalog.world().chip(chip).dense_tops(geotech.Precision.BF16)
    assert tops is not None
    return tops


@pytest.mark.parametrize("family", sorted(MODELS))
def test_each_family_names_its_catalogue_model(output: str, family: str) -> None:
    developer, model_id = MODELS[family]
    world = catalog.world()
    model = world.model(model_id)
    assert f"{family}-scale: {model.name} ({world.company(developer).name}), " in output


@pytest.mark.parametrize("family", sorted(MODELS))
def test_h200_before_and_after_the_january_decisions(table: Table, family: str) -> None:
    developer, model_id = MODELS[family]
    flop = catalog.world().model(model_id).training_flop
    assert flop is not None
    before = _decision(developer, "nvidia-h200", BEFORE)
    after = _decision(developer, "nvidia-h200", AFTER)
    assert (before.verdict, before.review) == (
        Verdict.LICENSE_REQUIRED,
        ReviewPolicy.PRESUMPTION_OF_DENIAL,
    )
    assert (after.verdict, after.review) == (Verdict.LICENSE_REQUIRED, ReviewPolicy.CASE_BY_CASE)
    # China's side lets the H200s in on both dates (no authorization needed before the
    # customs block; the January approvals after it), so the US review alone sets the weight.
    for d in (before, after):
        china = [o for o in d.outcomes if o.leg.importer == "CN" and o.side is Side.IMPORT]
        assert all(o.verdict <= Verdict.CONDITIONAL for o in china)
    row_before = table[(family, "H200", BEFORE.isoformat())]
    row_after = table[(family, "H200", AFTER.isoformat())]
    pod, cbc = DEFAULT_APPROVAL.presumption_of_denial, DEFAULT_APPROVAL.case_by_case
    assert row_before[2:5] == [
        "LICENSE_REQUIRED (presumption of denial)",
        f"{pod:.2f}",
        _days(flop, CLUSTER, _bf16("nvidia-h200"), pod),
    ]
    assert row_after[2:5] == [
        "LICENSE_REQUIRED (case-by-case)",
        f"{cbc:.2f}",
        _days(flop, CLUSTER, _bf16("nvidia-h200"), cbc),
    ]
    ratio = (CLUSTER * (_bf16("nvidia-b200") * 1e12)) / (
        cbc * (CLUSTER * (_bf16("nvidia-h200") * 1e12))
    )
    assert row_after[6] == f"x{ratio:,.1f}"


@pytest.mark.parametrize("family", sorted(MODELS))
@pytest.mark.parametrize("on", [BEFORE, AFTER])
def test_domestic_and_us_clusters_count_in_full(table: Table, family: str, on: dt.date) -> None:
    developer, model_id = MODELS[family]
    flop = catalog.world().model(model_id).training_flop
    assert flop is not None
    assert _decision(developer, "huawei-ascend-910c", on).verdict is Verdict.ALLOWED
    ascend = table[(family, "Ascend 910C", on.isoformat())]
    assert ascend[2:5] == ["ALLOWED", "1.00", _days(flop, CLUSTER, _bf16("huawei-ascend-910c"), 1)]
    us = table[(family, "US lab B200", on.isoformat())]
    assert us[2:5] == ["ALLOWED", "1.00", _days(flop, CLUSTER, _bf16("nvidia-b200"), 1)]
    ratio = _bf16("nvidia-b200") / _bf16("huawei-ascend-910c")
    assert ascend[6] == f"x{ratio:,.1f}"
    assert us[6] == "x1.0"


@pytest.mark.parametrize("family", sorted(MODELS))
def test_h20_rows_use_the_decision_weight(table: Table, family: str) -> None:
    developer, model_id = MODELS[family]
    flop = catalog.world().model(model_id).training_flop
    assert flop is not None
    for on in (BEFORE, AFTER):
        weight = DEFAULT_APPROVAL.decision_weight(_decision(developer, "nvidia-h20", on))
        row = table[(family, "H20", on.isoformat())]
        assert row[3:5] == [f"{weight:.2f}", _days(flop, CLUSTER, _bf16("nvidia-h20"), weight)]


def test_monte_carlo_columns_are_ordered(table: Table) -> None:
    for cells in table.values():
        found = re.fullmatch(r"(\S+) \[(\S+), (\S+)\]", cells[5])
        assert found is not None
        mid, low, high = (
            float("inf") if v == "never" else float(v.replace(",", "")) for v in found.groups()
        )
        assert low <= mid <= high
    assert len(table) == 3 * 8
