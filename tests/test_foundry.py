"""The foundry due-diligence presumption (90 FR 5298, Jan 2025) and 4E091's published-weights
exclusion (90 FR 4544) as exact criteria over the items' facts (docs/coverage.md, "Foundry
presumption and published weights")."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geotech import catalog
from geotech.criteria import Hbm, OpenWeights, Truth, item_facts
from geotech.entities import Chip
from geotech.errors import InvalidValueError
from geotech.io import converter
from geotech.world import World

PRESUMED = "3A090.a-presumed"
BEFORE_COMPLIANCE = dt.date(2025, 1, 30)
COMPLIANCE = dt.date(2025, 1, 31)
Y2027 = dt.date(2027, 6, 1)
Y2028 = dt.date(2028, 6, 1)
Y2029 = dt.date(2029, 6, 1)


@pytest.fixture(scope="module")
def world() -> World:
    return catalog.world()


def _chip(world: World, **changes: object) -> Chip:
    chip = world.item("nvidia-a100")
    assert isinstance(chip, Chip)
    return attrs.evolve(chip, id="probe", **changes)  # type: ignore[arg-type]


def _truth(world: World, chip: Chip, on: dt.date) -> Truth:
    return world.class_step(PRESUMED, chip, on).truth


def test_a100_is_presumed_from_the_compliance_date(world: World) -> None:
    assert PRESUMED not in world.classify("nvidia-a100", BEFORE_COMPLIANCE)
    for on in (COMPLIANCE, Y2027, Y2028, Y2029):
        assert PRESUMED in world.classify("nvidia-a100", on)  # 54 bn, 7 nm, HBM2


@pytest.mark.parametrize(
    ("count", "hbm", "truths"),
    [
        # 2025-26, 2027, 2028, 2029 on
        (2.99e10, False, "ffff"),
        (3e10, True, "tttt"),  # at 30 bn exactly: presumed (the exit is "below")
        (3e10, False, "tftf"),
        (3.5e10, False, "tttf"),
        (3.99e10, False, "tttf"),
        (4e10, False, "tttt"),
        (3.5e10, None, "tttu"),  # HBM unknown matters only where a step rises past the count
    ],
)
def test_thresholds_by_year_and_hbm(
    world: World, count: float, hbm: bool | None, truths: str
) -> None:
    chip = _chip(world, transistors=count, hbm=hbm)
    got = "".join(str(_truth(world, chip, on))[0] for on in (COMPLIANCE, Y2027, Y2028, Y2029))
    assert got == truths


def test_node_above_16_nm_is_not_presumed(world: World) -> None:
    assert _truth(world, _chip(world, process_nm=16.0), COMPLIANCE) is Truth.TRUE
    assert _truth(world, _chip(world, process_nm=28.0), COMPLIANCE) is Truth.FALSE


def test_missing_facts_are_unknown(world: World) -> None:
    assert _truth(world, _chip(world, transistors=None), COMPLIANCE) is Truth.UNKNOWN
    assert _truth(world, _chip(world, process_nm=None), COMPLIANCE) is Truth.UNKNOWN
    # Gaudi 2's node (7 nm) and HBM are known, its transistor count is not
    step = world.class_step(PRESUMED, world.item("intel-gaudi2"), COMPLIANCE)
    assert (step.truth, step.needs) == (Truth.UNKNOWN, {"intel-gaudi2.transistors"})


def test_open_weights_exclude_4e091(world: World) -> None:
    on = dt.date(2025, 2, 3)
    gpt45 = world.item("openai-gpt-4.5")
    assert world.class_step("4E091", gpt45, on).truth is Truth.TRUE
    opened = attrs.evolve(gpt45, id="probe", open_weights=True)
    assert world.class_step("4E091", opened, on).truth is Truth.FALSE
    unknown = attrs.evolve(gpt45, id="probe", open_weights=None)
    step = world.class_step("4E091", unknown, on)
    assert step.truth is Truth.UNKNOWN
    assert step.needs == {"probe.open_weights"}


@given(value=st.booleans(), fact=st.sampled_from([True, False, None]))
def test_flags_literal_agrees_with_evaluate(value: bool, fact: bool | None) -> None:
    world = catalog.world()
    base = world.item("openai-gpt-4.5")
    model = attrs.evolve(base, id="probe", open_weights=fact)
    chip = _chip(world, hbm=fact)
    for leaf, item in ((OpenWeights(value), model), (Hbm(value), chip)):
        facts = item_facts(world, COMPLIANCE, item)
        truth = leaf.evaluate(facts).truth
        literal = leaf.literal("US")
        assert literal is not None
        assert literal.judge(item, COMPLIANCE, world) is truth
        expected = Truth.UNKNOWN if fact is None else Truth.of(fact == value)
        assert truth is expected


def test_round_trip() -> None:
    conv = converter
    for leaf in (Hbm(False), OpenWeights(True)):
        data = conv.unstructure(leaf, type(leaf))
        assert conv.structure(data, type(leaf)) == leaf


def test_chip_facts_are_validated() -> None:
    with pytest.raises(InvalidValueError, match="transistors"):
        Chip(id="x", name="X", designer="nvidia", transistors=-1)
    with pytest.raises(InvalidValueError, match="process_nm"):
        Chip(id="x", name="X", designer="nvidia", process_nm=0)
