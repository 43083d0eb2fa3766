"""Equipment as an item kind: the record's checks, the world's look-ups and validation, the
criteria that read it (and that the compiled matcher agrees), the document round trip, and the
catalogue's equipment controls by date. Expected values come from the definitions and the
rules' dates (policies_equipment.toml), not from the code."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings

from geotech import (
    AccessRequest,
    All,
    Chip,
    Company,
    ControlClass,
    Equipment,
    EquipmentIs,
    EquipmentKind,
    ExportPolicy,
    ItemClass,
    Material,
    Spec,
    State,
    Truth,
    Verdict,
    World,
    WorldError,
    catalog,
    evaluate,
    evaluate_many,
)
from geotech.catalog.listing import listing
from geotech.criteria import item_facts
from geotech.entities import Item
from geotech.errors import InvalidValueError, UnknownEntityError
from geotech.io import from_data, to_data
from geotech.strategies import equipment as equipment_items

D = dt.date
ACME = Company(id="acme", name="Acme Litho", hq="NL")
FAB = Company(id="fab", name="A fab", hq="CN")
SCANNER = Equipment(
    id="acme-euv",
    name="Acme EUV scanner",
    equipment_kind="euv_lithography",
    producer="acme",
    wavelength_nm=13.5,
)
ETCHER = Equipment(id="acme-etch", name="Acme etcher", equipment_kind="etch", producer="acme")
CHIP = Chip(id="acme-chip", name="Acme chip", designer="acme")
NEON = Material(id="neon", name="Neon", category="gas")


def small_world(**extra: object) -> World:
    parts: dict[str, object] = {
        "states": [State(id="NL", name="Netherlands"), State(id="CN", name="China")],
        "companies": [ACME, FAB],
        "chips": [CHIP],
        "materials": [NEON],
        "equipment": [SCANNER, ETCHER],
    }
    return World(**{**parts, **extra})  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# The record


def test_the_equipment_kind_is_checked_and_converted() -> None:
    assert SCANNER.equipment_kind is EquipmentKind.EUV_LITHOGRAPHY
    assert SCANNER.kind == "equipment"
    with pytest.raises(InvalidValueError, match=r"Equipment\.equipment_kind: expected one of"):
        Equipment(id="x", name="X", equipment_kind="lithography")


def test_specs_are_positive_and_estimates_name_fields() -> None:
    with pytest.raises(InvalidValueError, match="wavelength_nm"):
        Equipment(id="x", name="X", equipment_kind="etch", wavelength_nm=-1)
    with pytest.raises(InvalidValueError, match=r"Equipment.estimates: \['nm'\] are not"):
        Equipment(id="x", name="X", equipment_kind="etch", estimates=["nm"])


# ---------------------------------------------------------------------------------------------
# The world


def test_look_ups_and_the_maker() -> None:
    world = small_world()
    assert world.item("acme-euv") is SCANNER
    assert world.tool("acme-etch") is ETCHER
    assert world.supply_input("neon") is NEON
    assert world.supply_input("acme-euv") is SCANNER
    assert world.jurisdictions(SCANNER) == {"NL"}
    assert World.maker(SCANNER) == "acme"
    assert world.item("euv").id == "acme-euv"  # the producer's prefix may be left out
    with pytest.raises(UnknownEntityError, match="unknown equipment 'acme-chip'"):
        world.tool("acme-chip")
    with pytest.raises(UnknownEntityError, match="unknown material or equipment 'acme-chip'"):
        world.supply_input("acme-chip")


def test_validation_names_the_field() -> None:
    ghost = Equipment(id="t", name="T", equipment_kind="etch", producer="ghost")
    with pytest.raises(WorldError, match=r"equipment\[t\]\.producer: unknown company 'ghost'"):
        World(states=[State(id="NL", name="Netherlands")], equipment=[ghost])
    twin = Equipment(id="neon", name="N", equipment_kind="etch")
    with pytest.raises(WorldError, match="names more than one of chips, models, materials and"):
        small_world(equipment=[twin])


def test_the_default_route_starts_at_the_producer() -> None:
    d = evaluate(small_world(), AccessRequest(buyer="fab", item="acme-euv", on=D(2024, 1, 1)))
    assert d.route == ("NL", "CN")


# ---------------------------------------------------------------------------------------------
# Criteria


def test_equipment_kind_is_false_for_other_items_never_unknown() -> None:
    world = small_world()
    test = EquipmentIs(kinds=["euv_lithography"])
    on = D(2024, 1, 1)
    assert test.evaluate(item_facts(world, on, SCANNER)).truth is Truth.TRUE
    assert test.evaluate(item_facts(world, on, ETCHER)).truth is Truth.FALSE
    assert test.evaluate(item_facts(world, on, CHIP)).truth is Truth.FALSE
    assert test.evaluate(item_facts(world, on, NEON)).truth is Truth.FALSE
    with pytest.raises(InvalidValueError, match=r"EquipmentIs\.kinds: expected one of"):
        EquipmentIs(kinds=["litho"])


def test_a_wavelength_threshold_reads_the_tool_and_is_unknown_for_a_chip() -> None:
    world = small_world()
    below = Spec("wavelength_nm", "<", 193)
    on = D(2024, 1, 1)
    assert below.evaluate(item_facts(world, on, SCANNER)).truth is Truth.TRUE
    assert below.evaluate(item_facts(world, on, ETCHER)).truth is Truth.UNKNOWN
    step = below.evaluate(item_facts(world, on, CHIP))
    assert (step.truth, step.needs) == (Truth.UNKNOWN, {"chip acme-chip has no wavelength_nm"})


def _controlled_world() -> World:
    euv = ControlClass(
        id="k-euv",
        issuer="NL",
        code="NL:EUV",
        title="EUV",
        criterion=All([EquipmentIs(kinds=["euv_lithography"]), Spec("wavelength_nm", "<", 193)]),
        effective=D(2020, 1, 1),
    )
    rule = ExportPolicy(
        id="p-euv",
        issuer="NL",
        title="EUV licence",
        criterion=ItemClass(codes=["NL:EUV"]),
        effect="license_required",
        review="case_by_case",
        effective=D(2020, 1, 1),
    )
    return small_world(classes=[euv], policies=[rule])


def test_the_compiled_matcher_agrees_with_the_trace() -> None:
    world = _controlled_world()
    requests = [
        AccessRequest(buyer="fab", item=i, on=on, route=("NL", "CN"))
        for i in ("acme-euv", "acme-etch", "acme-chip", "neon")
        for on in (D(2019, 12, 31), D(2020, 1, 1))
    ]
    batch = evaluate_many(world, requests)
    one_by_one = [evaluate(world, r) for r in requests]
    assert [d.ruling for d in batch] == [d.ruling for d in one_by_one]
    assert [d.verdict for d in one_by_one] == [
        Verdict.ALLOWED,
        Verdict.LICENSE_REQUIRED,
        *[Verdict.ALLOWED] * 6,
    ]
    assert all(d.certain for d in one_by_one)
    assert world.classify("acme-euv", D(2020, 1, 1)) == ("NL:EUV",)
    assert world.classify("acme-chip", D(2020, 1, 1)) == ()


# ---------------------------------------------------------------------------------------------
# Documents


@settings(max_examples=50, deadline=None)
@given(equipment_items())
def test_equipment_round_trips_through_the_item_union(tool: Equipment) -> None:
    data = to_data(tool, Item)
    assert data["kind"] == "equipment"
    assert from_data(data, Item) == tool


def test_a_world_document_round_trips_its_equipment() -> None:
    world = _controlled_world()
    assert from_data(to_data(world), World) == world


# ---------------------------------------------------------------------------------------------
# The catalogue


@pytest.mark.parametrize(
    ("item", "on", "classes"),
    [
        ("euv-lithography", D(2019, 1, 1), ("NL:EUV",)),
        ("asml-twinscan-nxt-2000i", D(2023, 8, 31), ()),
        ("asml-twinscan-nxt-2000i", D(2023, 9, 1), ("NL:ASME-DUV",)),
        ("asml-twinscan-nxt-1980i", D(2024, 9, 6), ()),
        ("asml-twinscan-nxt-1980i", D(2024, 9, 7), ("NL:ASME-DUV",)),
        ("tokyo-electron-advanced-etch", D(2023, 7, 23), ("JP:METI-SME",)),
        ("tokyo-electron-advanced-deposition", D(2023, 7, 22), ()),
        ("tokyo-electron-advanced-deposition", D(2023, 7, 23), ("JP:METI-SME",)),
        ("screen-holdings-advanced-cleaning", D(2023, 7, 22), ()),
        ("screen-holdings-advanced-cleaning", D(2023, 7, 23), ("JP:METI-SME",)),
        ("asm-international-advanced-deposition", D(2023, 8, 31), ()),
        ("asm-international-advanced-deposition", D(2023, 9, 1), ("NL:ASME-DEP",)),
        ("lam-research-advanced-etch", D(2022, 10, 6), ()),
        ("lam-research-advanced-etch", D(2022, 10, 7), ("US:SME",)),
        ("kla-advanced-inspection", D(2024, 12, 1), ()),
        ("kla-advanced-inspection", D(2024, 12, 2), ("US:SME",)),
    ],
)
def test_catalogue_classes_by_date(item: str, on: dt.date, classes: tuple[str, ...]) -> None:
    assert catalog.world().classify(item, on) == classes


def test_every_catalogue_tool_names_a_known_producer_and_sources() -> None:
    world = catalog.world()
    tools = [t for t in world.equipment if t.producer is not None]
    assert {t.equipment_kind for t in tools} == {
        EquipmentKind.EUV_LITHOGRAPHY,
        EquipmentKind.DUV_IMMERSION_LITHOGRAPHY,
        EquipmentKind.ETCH,
        EquipmentKind.DEPOSITION,
        EquipmentKind.METROLOGY_INSPECTION,
        EquipmentKind.WET_ETCH_CLEAN,
    }
    for tool in world.equipment:
        assert tool.sources, tool.id
    for tool in tools:
        assert world.company(tool.producer).hq, tool.id


def test_every_segment_has_a_kind_of_its_own_and_supply_shares() -> None:
    world = catalog.world()
    segments = [t for t in world.equipment if t.producer is None]
    assert {(t.equipment_kind, t.wavelength_nm) for t in segments} == {
        (EquipmentKind.DUV_IMMERSION_LITHOGRAPHY, 193),
        (EquipmentKind.DUV_DRY_LITHOGRAPHY, 193),
        (EquipmentKind.DUV_DRY_LITHOGRAPHY, 248),
        (EquipmentKind.ETCH, None),
        (EquipmentKind.DEPOSITION, None),
        (EquipmentKind.METROLOGY_INSPECTION, None),
        (EquipmentKind.ION_IMPLANT, None),
        (EquipmentKind.CMP, None),
        (EquipmentKind.WET_ETCH_CLEAN, None),
        (EquipmentKind.RESIST_PROCESSING, None),
    }
    assert len(segments) == 10
    shared = {x.material for x in world.supply_shares}
    assert {t.id for t in segments} <= shared


def test_the_catalogue_lists_equipment_with_its_classes_on_the_date() -> None:
    rows = {
        e.cells[0]: e.cells for e in listing(catalog.world(), "equipment", D(2024, 9, 6)).entries
    }
    assert rows["asml-twinscan-nxt-1980i"] == (
        "asml-twinscan-nxt-1980i",
        "ASML TWINSCAN NXT:1980i",
        "duv_immersion_lithography",
        "asml",
        "193.0",
        "-",
    )
    assert rows["euv-lithography"][2:] == ("euv_lithography", "asml", "13.5", "NL:EUV")
