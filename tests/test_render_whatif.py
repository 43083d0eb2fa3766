"""Renderings of the what-if analyses: exact text and Markdown for cases, design spaces and
world diffs and what-it-takes paths on the catalogue, JSON that reads back through the
converter, and the law that ``diff_rows`` joins every class of a diff exactly once."""

from __future__ import annotations

import datetime as dt
import json

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import geotech
from geotech import catalog, io, render
from geotech import strategies as gs
from geotech.analysis import Case, DesignSpace, Path, WorldDiff, design_space, diff
from geotech.policies import Restriction
from geotech.render.whatif import DiffRow, diff_rows

WORLD = catalog.world()
H200 = geotech.AccessRequest(
    buyer="bytedance", item="nvidia-h200", on=dt.date(2026, 2, 1), route=("TW", "US", "CN")
)
LEGEND = "* with conditions; ? not certain (depends on unknown facts)"


def _space_2023() -> DesignSpace:
    return design_space(
        WORLD,
        buyer="bytedance",
        on=dt.date(2024, 1, 1),
        route=("TW", "US", "CN"),
        end_use="datacenter",
        fixed={"performance_density": 19.45, "datacenter": True},
    )


def _revoked() -> WorldDiff:
    return diff(WORLD, catalog.reforms()["revoke-tencent"].apply(WORLD))


def test_cases_render_as_a_table_of_assumptions_and_rulings() -> None:
    found = geotech.cases(WORLD, H200)
    assert render.to_markdown(found).splitlines() == [
        "**4 cases over the unknown facts**",
        "",
        "| case | assumes | verdict | determined by |",
        "|---|---|---|---|",
        "| 1 | request.end_use in {advanced_node_fabrication, supercomputer} | license (denial)* | "
        "us-bis-2023-10-17-supercomputer-end-use |",
        "| 2 | request.end_use not in {advanced_node_fabrication, military, "
        "state_funded_datacenter, supercomputer} | license (case-by-case)* | "
        "us-bis-2026-01-15-h200-case-by-case |",
        "| 3 | request.end_use in {military} | license (denial)* | "
        "us-bis-2020-06-29-military-end-use |",
        "| 4 | request.end_use in {state_funded_datacenter} | prohibited* | "
        "cn-2025-11-state-funded-dc-domestic-only |",
        "",
        f"_{LEGEND}_",
    ]


def test_an_uncertain_unpublished_spec_marks_its_case() -> None:
    request = geotech.AccessRequest(
        buyer="bytedance", item="amazon-inferentia2", on=dt.date(2024, 6, 1), end_use="datacenter"
    )
    lines = render.to_text(geotech.cases(WORLD, request)).splitlines()
    assert lines[0] == "3 cases over the unknown facts"
    assert lines[2].split()[:4] == ["1", "amazon-inferentia2.performance_density", "in", "(0,"]
    assert lines[4].split("  ")[0] == "3"
    assert "license (denial)" in lines[4]


def test_a_design_space_renders_its_regions_and_frontiers() -> None:
    text = render.to_text(_space_2023())
    assert text.splitlines()[-2:] == [
        "Largest specs by ruling:",
        "  - at most allowed: tpp < 1600, dram_bandwidth_gbs any",
    ]
    md = render.to_markdown(_space_2023()).splitlines()
    assert md[0] == (
        "**Design space for bytedance on 2024-01-01, route TW -> US -> CN, end use datacenter: "
        "2 regions over tpp x dram_bandwidth_gbs (fixed: datacenter yes, "
        "performance_density 19.45)**"
    )
    assert md[2:5] == [
        "| tpp | dram_bandwidth_gbs | verdict | determined by |",
        "|---|---|---|---|",
        "| (0, 1600) | (0, inf) | allowed | no restricting policy |",
    ]
    assert md[-3:] == [
        "**Largest specs by ruling:**",
        "",
        "- at most allowed: tpp < 1600, dram_bandwidth_gbs any",
    ]


def test_the_datacenter_axis_reads_yes_and_no() -> None:
    space = design_space(
        WORLD, buyer="bytedance", on=dt.date(2024, 1, 1), axes=("datacenter",), fixed={"tpp": 4000}
    )
    rows = render.to_text(space).splitlines()[2:4]
    assert [r.split()[0] for r in rows] == ["no", "yes"]


def test_a_world_diff_joins_its_classes_by_item_and_rulings() -> None:
    found = _revoked()
    rows = diff_rows(found)
    # per row: classes joined, the default route or how many transit states
    assert [(r.item, str(r.shift), r.buyers, r.classes, r.direct, len(r.via)) for r in rows] == [
        ("nvidia-h200", "loses", ("tencent",), 9, True, 0),
        ("nvidia-h200", "loses", ("tencent",), 1, True, 0),
        ("nvidia-h200", "loses", ("tencent",), 1, True, 0),
        # military via a 744.21 destination (Burma, Cambodia, Belarus, Nicaragua): each its
        # own row, the transit leg's export ruled by its own dated policy
        ("nvidia-h200", "loses", ("tencent",), 1, False, 1),
        ("nvidia-h200", "loses", ("tencent",), 1, False, 1),
        ("nvidia-h200", "loses", ("tencent",), 1, False, 1),
        ("nvidia-h200", "loses", ("tencent",), 1, False, 22),
        ("nvidia-h200", "loses", ("tencent",), 1, False, 68),
        ("nvidia-h200", "loses", ("tencent",), 1, False, 1),
        ("nvidia-h200", "loses", ("tencent",), 2, False, 23),
        ("nvidia-h200", "loses", ("tencent",), 2, False, 71),
        ("nvidia-h200", "loses", ("tencent",), 2, True, 0),
        ("nvidia-h200", "loses", ("tencent",), 9, False, 23),
        ("nvidia-h200", "loses", ("tencent",), 9, False, 71),
        ("nvidia-h200", "loses", ("tencent",), 1, False, 23),
        ("nvidia-h200", "loses", ("tencent",), 1, False, 71),
        ("nvidia-h200", "terms", ("tencent",), 1, True, 0),
        ("nvidia-h200", "terms", ("tencent",), 1, False, 23),
        ("nvidia-h200", "terms", ("tencent",), 1, False, 71),
    ]
    assert [str(d.start) for d in rows[0].dates] == ["2026-01-28"]
    assert rows[0].dates[0].end == dt.date(2026, 12, 5)  # the day after the window ends
    assert rows[1].end_uses == (None,)
    assert rows[2].end_uses == ("military",)
    assert rows[11].end_uses == ("advanced_node_fabrication", "supercomputer")
    assert [r.via for r in rows[3:6]] == [("MM",), ("KH",), ("BY",)]
    assert rows[8].via == ("NI",)
    assert rows[6].via[:3] == ("AE", "AM", "AZ")


def test_no_diff_renders_as_one_line() -> None:
    assert render.to_text(diff(WORLD, WORLD)) == (
        "No request is ruled differently (policies not shared: none)\n"
    )


def test_json_of_cases_and_design_spaces_reads_back() -> None:
    found = geotech.cases(WORLD, H200)
    data = json.loads(render.to_json(found))
    assert list(data) == ["cases"]
    assert io.from_data(data["cases"], tuple[Case, ...]) == found
    space = _space_2023()
    assert io.from_data(json.loads(render.to_json(space)), DesignSpace) == space


def test_diff_rows_read_back() -> None:
    rows = diff_rows(_revoked())
    assert io.from_data(io.to_data(rows), tuple[DiffRow, ...]) == rows


@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_diff_rows_join_every_class_exactly_once(data: st.DataObject) -> None:
    world = data.draw(gs.worlds())
    reformed = attrs.evolve(world, policies=(*world.policies, data.draw(gs.new_policies(world))))
    found = diff(world, reformed)
    rows = diff_rows(found)
    assert sum(r.classes for r in rows) == len(found.cells)
    assert len({(r.item, r.before, r.after) for r in rows}) == len(rows)
    for cell in found.cells:
        (row,) = [
            r
            for r in rows
            if (r.item, r.before, r.after) == (cell.where.item, cell.before, cell.after)
        ]
        assert set(cell.where.buyers) <= set(row.buyers)
        assert cell.where.end_use in row.end_uses
        assert any(
            d.start <= cell.where.dates.start
            and (
                d.end is None
                or (cell.where.dates.end is not None and cell.where.dates.end <= d.end)
            )
            for d in row.dates
        )
    text = render.to_text(found)
    assert text == render.to_text(found)
    assert (text.startswith("No request")) == (not found.cells)


def test_paths_render_their_changes_and_read_back() -> None:
    request = geotech.AccessRequest(
        buyer="bytedance",
        item="nvidia-h200",
        on=dt.date(2025, 6, 1),
        route=("TW", "US", "CN"),
        end_use="datacenter",
    )
    paths = geotech.what_it_takes(WORLD, request, Restriction.LICENSE_CASE_BY_CASE, most=1)
    md = render.to_markdown(paths).splitlines()
    assert md[:5] == [
        f"**{len(paths)} minimal sets of changes reach the target**",
        "",
        "| path | changes | verdict | determined by |",
        "|---|---|---|---|",
        "| 1 | on or after 2019-01-01 and before 2022-10-07 | allowed | no restricting policy |",
    ]
    assert (
        f"| {len(paths)} | on or after 2026-01-28 and before 2026-12-05 | "
        "license (case-by-case)* | "
        "us-bis-2026-01-15-h200-case-by-case |"
    ) in md
    data = json.loads(render.to_json(paths))
    assert list(data) == ["paths"]
    assert io.from_data(data["paths"], tuple[Path, ...]) == paths
