"""Serialization: round trips through TOML and JSON, byte-stable output, the document format,
and files on disk."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest

from geotech import (
    AccessRequest,
    Chip,
    Company,
    Datacenter,
    GeotechError,
    ItemIs,
    Material,
    Model,
    Requirement,
    State,
    Tariff,
    VolumeCap,
    World,
    io,
)
from geotech.criteria import Criterion
from geotech.policies import AnyPolicy, Condition

D = dt.date


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_world_round_trip(mini_world: World, fmt: io.Format) -> None:
    text = io.dumps_world(mini_world, fmt)
    assert io.loads_world(text, fmt) == mini_world


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_dump_is_byte_stable(mini_world: World, fmt: io.Format) -> None:
    text = io.dumps_world(mini_world, fmt)
    assert io.dumps_world(io.loads_world(text, fmt), fmt) == text
    permuted = World(
        states=mini_world.states[::-1],
        groups=mini_world.groups,
        companies=mini_world.companies[::-1],
        party_lists=mini_world.party_lists,
        chips=mini_world.chips[::-1],
        classes=mini_world.classes[::-1],
        policies=mini_world.policies[::-1],
    )
    assert io.dumps_world(permuted, fmt) == text


def test_toml_and_json_hold_the_same_document(mini_world: World) -> None:
    from_toml = tomllib.loads(io.dumps_world(mini_world, "toml"))
    from_json = json.loads(io.dumps_world(mini_world, "json"))
    assert io.world_from_data(from_toml) == io.world_from_data(from_json) == mini_world
    assert list(from_json) == [
        "schema_version",
        "states",
        "groups",
        "companies",
        "party_lists",
        "chips",
        "classes",
        "policies",
    ]


def test_empty_world() -> None:
    assert io.dumps_world(World(), "toml") == "schema_version = 1\n"
    assert io.dumps_world(World(), "json") == '{\n  "schema_version": 1\n}\n'
    assert io.loads_world("", "toml") == World()
    assert io.loads_world("{}", "json") == World()


def test_chip_document_format(mini_world: World) -> None:
    data = io.to_data(mini_world.chip("nvidia-h100-sxm"))
    assert data == {
        "id": "nvidia-h100-sxm",
        "name": "NVIDIA H100 SXM5 80GB",
        "designer": "nvidia",
        "fab": "tsmc",
        "datacenter": True,
        "throughput": {"fp64": 66.9, "bf16": 989.4, "fp8": 1979.0},
        "die_area_mm2": 814.0,
        "memory_gb": 80.0,
        "dram_bandwidth_gbs": 3350.0,
        "interconnect_gbs": 900.0,
        "tdp_w": 700.0,
        "sources": [
            "https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet"
        ],
    }


def test_policy_document_format(mini_world: World) -> None:
    data = io.to_data(mini_world.policy("us-2026-h200-case-by-case"), AnyPolicy)
    assert list(data)[:2] == ["side", "id"]
    assert data["side"] == "export"
    assert data["effect"] == "license_required"
    assert data["review"] == "case_by_case"
    assert data["effective"] == D(2026, 1, 15)
    assert data["supersedes"] == ["us-2023-acs-destination", "us-2023-acs-headquarters"]
    assert data["conditions"] == [
        {"type": "requirement", "kind": "supply_certification", "detail": "sufficient US supply"},
        {
            "type": "requirement",
            "kind": "third_party_testing",
            "detail": "independent testing in the US",
        },
        {"type": "volume_cap", "fraction": 0.5, "reference": "shipments to US end users"},
    ]
    assert data["criterion"]["type"] == "all"
    assert data["criterion"]["of"][0] == {"type": "item_class", "codes": ["3A090.a"]}
    assert "status" not in data  # defaults are omitted


def test_sets_are_sorted_lists_and_defaults_are_omitted() -> None:
    assert io.to_data(ItemIs(["b", "c", "a"]), Criterion) == {
        "type": "item_is",
        "ids": ["a", "b", "c"],
    }
    assert io.to_data(Datacenter(), Criterion) == {"type": "datacenter"}
    assert io.to_data(Datacenter(False), Criterion) == {"type": "datacenter", "value": False}
    assert io.to_data(Company(id="a", name="A", hq="US", roles=["cloud", "ai_lab"])) == {
        "id": "a",
        "name": "A",
        "hq": "US",
        "roles": ["ai_lab", "cloud"],
    }


@pytest.mark.parametrize(
    ("value", "cls"),
    [
        (Tariff(0.25), Condition),
        (VolumeCap(units=75000), Condition),
        (Requirement("kyc", "know your customer"), Condition),
        (ItemIs(["nvidia-h200"]), Criterion),
        (Model(id="m", name="M", developer="lab", training_flop=3.8e25, open_weights=True), Model),
        (
            Material(id="gallium", name="Gallium", category="mineral", jurisdictions=["CN"]),
            Material,
        ),
        (
            AccessRequest(
                buyer="bytedance",
                item="nvidia-h200",
                on=D(2026, 2, 1),
                route=("TW", "US", "CN"),
                quantity=1000,
                end_use="datacenter",
            ),
            AccessRequest,
        ),
    ],
)
def test_values_round_trip(value: Any, cls: Any) -> None:
    data = io.to_data(value, cls)
    assert io.from_data(data, cls) == value
    assert io.from_data(json.loads(io.dumps_json(data)), cls) == value


def test_request_from_json_data() -> None:
    request = io.from_data(
        {"buyer": "bytedance", "item": "nvidia-h200", "on": "2026-02-01", "route": ["US", "CN"]},
        AccessRequest,
    )
    assert request == AccessRequest(
        buyer="bytedance", item="nvidia-h200", on=D(2026, 2, 1), route=("US", "CN")
    )


def test_the_briefs_toml_example_loads() -> None:
    text = """
schema_version = 1

[[states]]
id = "US"
name = "United States"

[[states]]
id = "CN"
name = "China"

[[states]]
id = "MO"
name = "Macau"

[[groups]]
id = "us-ear-d5"
issuer = "US"
code = "D:5"
name = "D:5"
members = [{ state = "CN" }]

[[groups]]
id = "us-ear-a5"
issuer = "US"
code = "A:5"
name = "A:5"

[[groups]]
id = "us-ear-a6"
issuer = "US"
code = "A:6"
name = "A:6"

[[classes]]
id = "us-3a090a-2023"
issuer = "US"
code = "3A090.a"
title = "3A090.a"
criterion = { type = "spec", fact = "tpp", op = ">=", value = 4800 }
effective = 2023-11-17

[[policies]]
side = "export"
id = "us-2023-acs-destination"
issuer = "US"
title = "3A090.a to D:5 and Macau"
criterion = { type = "all", of = [
  { type = "item_class", codes = ["3A090.a"] },
  { type = "importer_in", groups = ["us-ear-d5"], states = ["MO"] },
  { type = "not", of = { type = "importer_in", groups = ["us-ear-a5", "us-ear-a6"] } },
] }
effect = "license_required"
review = "presumption_of_denial"
effective = 2023-11-17
conditions = [
  { type = "tariff", rate = 0.25 },
  { type = "volume_cap", fraction = 0.5, reference = "US volume" },
  { type = "requirement", kind = "third_party_testing", detail = "in the US" },
]
"""
    world = io.loads_world(text, "toml")
    policy = world.policy("us-2023-acs-destination")
    assert policy.conditions == (
        Requirement("third_party_testing", "in the US"),
        Tariff(0.25),
        VolumeCap(fraction=0.5, reference="US volume"),
    )
    assert world.control_class("us-3a090a-2023").criterion.value == 4800.0  # type: ignore[union-attr]


def test_strings_survive_toml_escaping() -> None:
    tricky = 'quote " backslash \\ newline \n tab \t delete \x7f accent é'
    world = World(states=[State(id="US", name=tricky)])
    text = io.dumps_world(world, "toml")
    assert io.loads_world(text, "toml").state("US").name == tricky


def test_large_and_small_floats_survive_toml() -> None:
    world = World(
        states=[State(id="US", name="US")],
        companies=[Company(id="lab", name="Lab", hq="US")],
        models=[Model(id="m", name="M", developer="lab", training_flop=3.8e25, parameters=1.8e12)],
        chips=[Chip(id="c", name="C", designer="lab", die_area_mm2=0.1)],
    )
    text = io.dumps_world(world, "toml")
    assert "training_flop = 3.8e+25" in text
    assert io.loads_world(text, "toml") == world


def test_whole_numbers_load_as_floats() -> None:
    world = io.loads_world(
        '{"states": [{"id": "US", "name": "US"}], "companies": [{"id": "n", "name": "N", '
        '"hq": "US"}], "chips": [{"id": "c", "name": "C", "designer": "n", "die_area_mm2": 814,'
        ' "throughput": {"fp8": 1979}}]}',
        "json",
    )
    chip = world.chip("c")
    assert type(chip.die_area_mm2) is float
    assert chip.tpp == 15832.0
    assert io.dumps_world(world, "json") == io.dumps_world(
        attrs.evolve(world, chips=(attrs.evolve(chip, die_area_mm2=814.0),)), "json"
    )


def test_json_dates_are_iso_strings(mini_world: World) -> None:
    doc = json.loads(io.dumps_world(mini_world, "json"))
    assert doc["classes"][1]["effective"] == "2023-11-17"


# -- files -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["world.toml", "world.json", "WORLD.TOML"])
def test_dump_and_load_files(mini_world: World, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    io.dump_world(mini_world, path)
    fmt: io.Format = "toml" if name.lower().endswith(".toml") else "json"
    assert path.read_text(encoding="utf-8") == io.dumps_world(mini_world, fmt)
    assert io.load_world(path) == mini_world
    assert io.load_world(str(path)) == mini_world
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_dump_overwrites_atomically(mini_world: World, tmp_path: Path) -> None:
    path = tmp_path / "world.json"
    path.write_text("old", encoding="utf-8")
    io.dump_world(mini_world, path)
    assert io.load_world(path) == mini_world
    first = path.read_bytes()
    io.dump_world(io.load_world(path), path)
    assert path.read_bytes() == first


@pytest.mark.parametrize("name", ["world.yaml", "world", "world.toml.bak"])
def test_unknown_file_types_are_refused(mini_world: World, tmp_path: Path, name: str) -> None:
    with pytest.raises(GeotechError, match=r"unknown file type .*; use \.toml or \.json"):
        io.dump_world(mini_world, tmp_path / name)
    with pytest.raises(GeotechError, match=r"unknown file type"):
        io.load_world(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_a_string_that_cannot_be_utf8_fails_the_dump_and_writes_nothing(tmp_path: Path) -> None:
    world = World(states=[State(id="US", name="\ud800")])
    with pytest.raises(GeotechError, match="cannot write text '\\\\ud800' as UTF-8"):
        io.dump_world(world, tmp_path / "w.json")
    assert list(tmp_path.iterdir()) == []
