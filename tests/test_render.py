"""Renderings of compute and supply results: exact text and Markdown, and JSON that reads
back through the converter."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from geotech import World, compute, io, render, supply
from geotech.entities import Stage
from geotech.policies import ReviewPolicy, Verdict

D = dt.date


def results(w: World) -> dict[str, Any]:
    acc = compute.accessible_compute(
        w,
        "bytedance",
        D(2026, 2, 1),
        [
            compute.Order(chip="nvidia-h200", quantity=1000, route=("TW", "US", "CN")),
            compute.Order(chip="nvidia-h20", quantity=500),
        ],
    )
    gap = compute.compute_gap(compute.cluster(w.chip("nvidia-h100-sxm"), 2000, label="lab"), acc)
    ctl = supply.SupplierControl(
        state="CN",
        share=0.9,
        estimated=True,
        verdict=Verdict.LICENSE_REQUIRED,
        review=ReviewPolicy.CASE_BY_CASE,
        certain=True,
        policies=("cn-gallium",),
    )
    free = supply.SupplierControl(
        state="JP",
        share=0.05,
        estimated=False,
        verdict=Verdict.ALLOWED,
        review=None,
        certain=True,
        policies=(),
    )
    stage = supply.StageExposure(
        material="gallium", stage=Stage.REFINING, as_of=D(2024, 1, 1), suppliers=(ctl, free)
    )
    exp = supply.Exposure(
        producer="nvidia",
        destination="US",
        on=D(2026, 2, 1),
        inputs=(supply.InputExposure(material="gallium", stages=(stage,)),),
    )
    chokes = (
        supply.Chokepoint(
            material="gallium",
            stage=Stage.REFINING,
            state="CN",
            share=0.98,
            as_of=D(2024, 1, 1),
            estimated=True,
            sources=("https://example.org/ga",),
        ),
    )
    counter = supply.CounterScenario(
        on=D(2026, 2, 1),
        before=(exp,),
        after=(exp,),
        changes=(
            supply.InputChange(
                producer="nvidia", material="gallium", before=0.0, after=0.9, chips=("nvidia-h200",)
            ),
        ),
    )
    return {
        "accessible": acc,
        "gap": gap,
        "exposure": exp,
        "chokepoints": chokes,
        "counter": counter,
    }


EXPECTED: dict[str, tuple[list[str], list[str]]] = {
    "accessible": (
        [
            "Compute bytedance can expect on 2026-02-01 (bf16): 5.69e+17 FLOP/s expected, 1.06e+18 FLOP/s if every order goes through",  # noqa: E501
            "chip         ordered  route               verdict                  units  weight  expected",  # noqa: E501
            "nvidia-h200  1,000    TW -> US -> CN      license (case-by-case)*  1,000  0.50    4.95e+17 FLOP/s",  # noqa: E501
            "nvidia-h20   500      US -> CN (default)  allowed                  500    1.00    7.4e+16 FLOP/s",  # noqa: E501
        ],
        [
            "**Compute bytedance can expect on 2026-02-01 (bf16): 5.69e+17 FLOP/s expected, 1.06e+18 FLOP/s if every order goes through**",  # noqa: E501
            "",
            "| chip | ordered | route | verdict | units | weight | expected |",
            "|---|---|---|---|---|---|---|",
            "| nvidia-h200 | 1,000 | TW -> US -> CN | license (case-by-case)* | 1,000 | 0.50 | 4.95e+17 FLOP/s |",  # noqa: E501
            "| nvidia-h20 | 500 | US -> CN (default) | allowed | 500 | 1.00 | 7.4e+16 FLOP/s |",
        ],
    ),
    "gap": (
        [
            "lab (1.98e+18 FLOP/s) vs bytedance (5.69e+17 FLOP/s): ratio 3.48x, at utilization 35%",
            "workload              FLOP     days (lab)  days (bytedance)",
            "GPT-4-class           2.1e+25  350.9       1,221.0",
            "Llama-3.1-405B-class  3.8e+25  635.0       2,209.4",
        ],
        [
            "**lab (1.98e+18 FLOP/s) vs bytedance (5.69e+17 FLOP/s): ratio 3.48x, at utilization 35%**",  # noqa: E501
            "",
            "| workload | FLOP | days (lab) | days (bytedance) |",
            "|---|---|---|---|",
            "| GPT-4-class | 2.1e+25 | 350.9 | 1,221.0 |",
            "| Llama-3.1-405B-class | 3.8e+25 | 635.0 | 2,209.4 |",
        ],
    ),
    "exposure": (
        [
            "Supply exposure of nvidia (destination US) on 2026-02-01",
            "material  bottleneck  controlled  at most  suppliers",
            "gallium   refining    90.0%       90.0%    CN 90% LICENSE_REQUIRED (case-by-case) [cn-gallium]; JP 5% ALLOWED",  # noqa: E501
        ],
        [
            "**Supply exposure of nvidia (destination US) on 2026-02-01**",
            "",
            "| material | bottleneck | controlled | at most | suppliers |",
            "|---|---|---|---|---|",
            "| gallium | refining | 90.0% | 90.0% | CN 90% LICENSE_REQUIRED (case-by-case) [cn-gallium]; JP 5% ALLOWED |",  # noqa: E501
        ],
    ),
    "chokepoints": (
        [
            "1 chokepoints",
            "material  stage     state  share   as of",
            "gallium   refining  CN     98.0%~  2024-01-01",
            "~ estimated share",
        ],
        [
            "**1 chokepoints**",
            "",
            "| material | stage | state | share | as of |",
            "|---|---|---|---|---|",
            "| gallium | refining | CN | 98.0%~ | 2024-01-01 |",
            "",
            "_~ estimated share_",
        ],
    ),
    "counter": (
        [
            "Counter-scenario on 2026-02-01: 1 inputs change",
            "producer  material  before  after  chips",
            "nvidia    gallium   0.0%    90.0%  nvidia-h200",
        ],
        [
            "**Counter-scenario on 2026-02-01: 1 inputs change**",
            "",
            "| producer | material | before | after | chips |",
            "|---|---|---|---|---|",
            "| nvidia | gallium | 0.0% | 90.0% | nvidia-h200 |",
        ],
    ),
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_text_and_markdown(mini_world: World, name: str) -> None:
    value = results(mini_world)[name]
    text, markdown = EXPECTED[name]
    assert render.to_text(value) == "\n".join(text) + "\n"
    assert render.to_markdown(value) == "\n".join(markdown) + "\n"


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("accessible", compute.AccessibleCompute),
        ("gap", compute.ComputeGap),
        ("exposure", supply.Exposure),
        ("counter", supply.CounterScenario),
    ],
)
def test_json_reads_back(mini_world: World, name: str, cls: Any) -> None:
    value = results(mini_world)[name]
    assert io.from_data(json.loads(render.to_json(value)), cls) == value


def test_sequences_render_under_one_key(mini_world: World) -> None:
    chokes = results(mini_world)["chokepoints"]
    data = json.loads(render.to_json(chokes))
    assert list(data) == ["chokepoints"]
    assert io.from_data(data["chokepoints"], tuple[supply.Chokepoint, ...]) == chokes
    assert json.loads(render.to_json(())) == {"findings": []}
    assert render.to_text(()) == "No findings.\n"


def test_exposure_json_format(mini_world: World) -> None:
    assert io.to_data(results(mini_world)["exposure"]) == {
        "producer": "nvidia",
        "destination": "US",
        "on": D(2026, 2, 1),
        "inputs": [
            {
                "material": "gallium",
                "stages": [
                    {
                        "material": "gallium",
                        "stage": "refining",
                        "as_of": D(2024, 1, 1),
                        "suppliers": [
                            {
                                "state": "CN",
                                "share": 0.9,
                                "estimated": True,
                                "verdict": "license_required",
                                "review": "case_by_case",
                                "certain": True,
                                "policies": ["cn-gallium"],
                            },
                            {
                                "state": "JP",
                                "share": 0.05,
                                "estimated": False,
                                "verdict": "allowed",
                                "review": None,
                                "certain": True,
                                "policies": [],
                            },
                        ],
                    }
                ],
            }
        ],
    }


def test_unknown_values_are_refused() -> None:
    with pytest.raises(TypeError, match="cannot render int"):
        render.to_text(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="cannot render int"):
        render.to_json(5)  # type: ignore[arg-type]


def test_one_table_renderer() -> None:
    rows = [["a|b", "1"], ["c", "22"]]
    assert render.table(["x", "y"], rows, markdown=False) == ["x    y", "a|b  1", "c    22"]
    assert render.table(["x", "y"], rows, markdown=True) == [
        "| x | y |",
        "|---|---|",
        "| a\\|b | 1 |",
        "| c | 22 |",
    ]


@pytest.mark.parametrize("name", ["accessible", "gap", "exposure", "counter"])
def test_compute_and_supply_results_display_as_markdown(mini_world: World, name: str) -> None:
    value = results(mini_world)[name]
    assert value._repr_markdown_() == "\n".join(EXPECTED[name][1]) + "\n"
