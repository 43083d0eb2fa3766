"""Golden cases: the foundry due-diligence presumption (``3A090.a-presumed``, 90 FR 5298) over
the catalogue's chip facts, in each period of its transistor-count steps (docs/coverage.md,
"Foundry presumption and published weights" and "Chip facts for the foundry presumption").

Worked by hand from the chips' records (chips.toml: ``process_nm``, ``transistors``, ``hbm``)
and the rule's test: a chip at 16 nm or below is presumed unless its packaged count is below 30
billion, or, without HBM, below 35 billion in 2027 and 40 billion from 2029 (2028 stays at 30).
Each case gives the exact classes ``World.classify`` returns on a day of 2025, 2027, 2028 and
2029; the presumption binds the exporting foundry, so it sits beside the chip's own class.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from geotech import Truth, catalog
from geotech.entities import Chip
from geotech.world import World

PRESUMED = "3A090.a-presumed"
DAYS = (dt.date(2025, 6, 1), dt.date(2027, 6, 1), dt.date(2028, 6, 1), dt.date(2029, 6, 1))
A = ("3A090.a",)
AP = ("3A090.a", PRESUMED)
P = (PRESUMED,)

#: chip -> (classes on each of DAYS, why)
CASES: dict[str, tuple[tuple[tuple[str, ...], ...], str]] = {
    "nvidia-h100-sxm": ((AP, AP, AP, AP), "80 bn on 4N with HBM3: over every step"),
    "nvidia-h200": ((AP, AP, AP, AP), "the H100's GH100 die with HBM3e"),
    "nvidia-h200-nvl": ((AP, AP, AP, AP), "the H200's GH100 die (80 bn, 4N) on a PCIe card"),
    "microsoft-maia-200": ((AP, AP, AP, AP), "over 140 bn (estimate) on 3 nm with HBM3e"),
    "nvidia-b200": ((AP, AP, AP, AP), "208 bn (estimate) on 4NP with HBM3e"),
    "amd-mi300x": ((AP, AP, AP, AP), "153 bn (estimate) on 5 nm with HBM3"),
    "amd-mi250x": ((AP, AP, AP, AP), "58.2 bn on 6 nm with HBM2e"),
    "nvidia-rtx-4090": ((AP, AP, AP, AP), "76.3 bn without HBM: over even the 40 bn step"),
    # 35.8 bn without HBM: over 30 and 35 bn, under the 40 bn step of 2029
    "nvidia-l4": ((AP, AP, AP, A), "AD104, 35.8 bn, GDDR6"),
    # The China variants fall outside 3A090.a, yet the foundry must presume it: the count, not
    # the performance, decides (the attestation exits are not modelled).
    "nvidia-h20": ((P, P, P, P), "cut-down GH100, 80 bn (estimate), HBM3"),
    "nvidia-l20": ((P, P, P, P), "AD102, 76.3 bn, GDDR6"),
    # Count unknown: the presumption is unknown, so only the chip's own class is certain.
    "amd-mi300a": ((A, A, A, A), "5 nm and HBM3, count read only off the allow-list"),
    "intel-gaudi2": ((A, A, A, A), "7 nm and HBM2e, count unpublished"),
    "huawei-ascend-910b": ((A, A, A, A), "7 nm-class (reported) and HBM, count unknown"),
    # No node, count or memory type recorded (GB202's figures were read only off the allow-list).
    "nvidia-rtx-pro-6000-blackwell-server": ((A, A, A, A), "GB202, no facts recorded"),
}


@pytest.fixture(scope="module")
def world() -> World:
    return catalog.world()


@pytest.mark.parametrize("chip", sorted(CASES))
def test_presumption_by_period(world: World, chip: str) -> None:
    expected, _why = CASES[chip]
    assert tuple(world.classify(chip, on) for on in DAYS) == expected


@pytest.mark.parametrize("chip", ["amd-mi300a", "intel-gaudi2", "huawei-ascend-910b"])
def test_unknown_count_leaves_the_presumption_unknown(world: World, chip: str) -> None:
    for on in DAYS:
        step = world.class_step(PRESUMED, world.item(chip), on)
        assert (step.truth, step.needs) == (Truth.UNKNOWN, {f"{chip}.transistors"})


def _probe(world: World, **changes: object) -> Chip:
    chip = world.item("nvidia-l4")
    assert isinstance(chip, Chip)
    return attrs.evolve(chip, id="probe", **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "truths"),
    [
        # 2025, 2027, 2028, 2029
        ({"transistors": 2.9e10, "process_nm": 7.0}, "ffff"),  # under 30 bn at 7 nm: never
        ({"transistors": 3.2e10, "hbm": False}, "tftf"),  # 30-35 bn without HBM: not in 2027
        ({"transistors": 3.2e10, "hbm": True}, "tttt"),  # with HBM the line stays at 30 bn
        ({"process_nm": 28.0}, "ffff"),  # above 16 nm: not an applicable advanced logic IC
    ],
)
def test_probes_beside_the_l4(world: World, changes: dict[str, object], truths: str) -> None:
    chip = _probe(world, **changes)
    got = "".join(str(world.class_step(PRESUMED, chip, on).truth)[0] for on in DAYS)
    assert got == truths
