"""Classifications, catalogue listings and their reports (``geotech.classification``,
``geotech.catalog.listing``, ``geotech.reports``)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from geotech import catalog, reports
from geotech.catalog.listing import KINDS, Filters, filtered_by, listing
from geotech.classification import Classification
from geotech.entities import Chip, Precision, Status, Throughput
from geotech.errors import GeotechError, UnknownEntityError
from geotech.policies import Side
from geotech.world import World

ON = dt.date(2026, 2, 1)


@pytest.fixture(scope="module")
def world() -> World:
    return catalog.world()


def test_classification_agrees_with_world_classify(world: World) -> None:
    for chip in world.chips:
        for day in (dt.date(2023, 1, 1), dt.date(2024, 1, 1), ON):
            c = Classification.of(world, chip, day)
            assert c.classes == world.classify(chip, day)
            assert [t.code for t in c.tests] == sorted(
                {k.code for k in world.classes if k.in_force(day)}
            )


def test_an_unpublished_spec_leaves_a_class_undecided(world: World) -> None:
    chip = Chip(id="bare", name="bare", designer="hypothetical")
    c = Classification.of(world, chip, ON)
    # no node or transistor count either: the foundry presumption is undecided too
    assert (c.classes, c.undecided) == ((), ("3A090.a", "3A090.a-presumed", "3A090.b"))
    assert c.label == "3A090.a?, 3A090.a-presumed?, 3A090.b?"


def test_a_chip_in_no_class_is_labelled_none(world: World) -> None:
    chip = Chip(
        id="tiny",
        name="tiny",
        designer="hypothetical",
        throughput=(Throughput(precision=Precision.INT8, tops=10),),
        die_area_mm2=800,
        datacenter=False,
        process_nm=28,
    )
    c = Classification.of(world, chip, ON)
    assert (c.classes, c.undecided, c.label) == ((), (), "none")


def test_listing_filters_like_the_records_say(world: World) -> None:
    found = listing(world, "policies", ON, Filters(issuer="CN", in_force=ON, side=Side.IMPORT))
    assert [e.record.id for e in found.entries] == [
        p.id for p in world.policies if p.issuer == "CN" and p.in_force(ON) and p.side == "import"
    ]
    assert found.on is None
    reported = listing(world, "policies", ON, Filters(status=Status.REPORTED))
    assert {e.record.status for e in reported.entries} == {Status.REPORTED}


def test_listing_search_matches_id_or_name_in_any_case(world: World) -> None:
    found = listing(world, "chips", ON, Filters(search="H20"))
    assert [e.record.id for e in found.entries] == [
        c.id for c in world.chips if "h20" in c.id or "h20" in c.name.lower()
    ]
    assert found.on == ON
    for entry in found.entries:
        assert entry.classification == Classification.of(world, entry.record, ON)
        assert entry.cells[-1] == entry.classification.label


def test_every_kind_lists_every_record_unfiltered(world: World) -> None:
    for kind in KINDS:
        found = listing(world, kind, ON)
        assert all(len(e.cells) == len(found.header) for e in found.entries)
    assert len(listing(world, "states", ON).entries) == len(world.states)


def test_a_filter_that_does_not_apply_is_refused(world: World) -> None:
    assert filtered_by("issuer") == ("classes", "policies", "groups", "lists")
    with pytest.raises(GeotechError, match=r"Filters\.issuer: filters classes, policies"):
        listing(world, "chips", ON, Filters(issuer="US"))
    with pytest.raises(UnknownEntityError, match="unknown kind of record 'chip'; did you mean"):
        listing(world, "chip", ON)


def test_reports_render_a_listing_with_the_table_renderer(world: World) -> None:
    found = listing(world, "states", ON, Filters(search="china"))
    assert reports.listing(found, "text").splitlines()[0] == f"states: {len(found.entries)}"
    markdown = reports.listing(found, "markdown").splitlines()
    assert markdown[:3] == [f"**states: {len(found.entries)}**", "", "| id | name |"]
    data = json.loads(reports.listing(found, "json"))
    assert [r["id"] for r in data["records"]] == [e.record.id for e in found.entries]


def test_reports_of_a_classification(world: World) -> None:
    c = Classification.of(world, world.chip("nvidia-h200"), dt.date(2024, 1, 1))
    text = reports.classification(c, "text", adjusted=["--memory"]).splitlines()
    assert text[0] == "NVIDIA H200 SXM 141 GB (nvidia-h200) with --memory on 2024-01-01"
    assert text[1] == f"Specs: {reports.specs_text(world.chip('nvidia-h200'))}"
    assert text[2] == f"Classes: {', '.join(c.classes)}"
    data = json.loads(reports.classification(c, "json"))
    assert data["classes"] == list(c.classes)
    assert [t["code"] for t in data["tests"]] == [t.code for t in c.tests]
