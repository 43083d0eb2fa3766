"""Cases over unknowns, the design space of specs and whole-space diffs: exact answers on the
catalogue, and the laws they obey on random worlds."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geotech
from geotech import World, catalog
from geotech import strategies as gs
from geotech.analysis import Interval, WorldDiff, design_space, diff
from geotech.analysis.cases import END_USE
from geotech.analysis.design import hypothetical_chip, joined, pieces
from geotech.analysis.space import RequestSpace, buyer_classes
from geotech.analysis.transit import grouped_states, route_tests, transit_classes
from geotech.criteria import All, Bound, ComplianceFrom, Op, Truth
from geotech.engine import doubted, origin, rulings
from geotech.errors import InvalidRequestError
from geotech.policies import Restriction, ReviewPolicy, Verdict

WORLD = catalog.world()
H200_REQUEST = geotech.AccessRequest(
    buyer="bytedance", item="nvidia-h200", on=dt.date(2026, 2, 1), route=("TW", "US", "CN")
)
CASE_BY_CASE = Restriction.of(Verdict.LICENSE_REQUIRED, ReviewPolicy.CASE_BY_CASE)
DENIAL = Restriction.of(Verdict.LICENSE_REQUIRED, ReviewPolicy.PRESUMPTION_OF_DENIAL)


def test_bytedance_h200_splits_on_the_state_funded_datacenter_end_use() -> None:
    found = geotech.cases(WORLD, H200_REQUEST)
    assert [
        (str(a), c.ruling.restriction, c.ruling.certain) for c in found for a in c.assumptions
    ] == [
        ("request.end_use in {advanced_node_fabrication, supercomputer}", DENIAL, True),
        (
            "request.end_use not in {advanced_node_fabrication, military, "
            "state_funded_datacenter, supercomputer}",
            CASE_BY_CASE,
            True,
        ),
        ("request.end_use in {military}", DENIAL, True),
        ("request.end_use in {state_funded_datacenter}", Restriction.PROHIBITED, True),
    ]
    assert found[2].ruling.determining_policies == ("us-bis-2020-06-29-military-end-use",)
    assert found[3].ruling.determining_policies == ("cn-2025-11-state-funded-dc-domestic-only",)


def test_a_certain_request_is_one_case() -> None:
    request = attrs.evolve(H200_REQUEST, end_use="datacenter")
    (case,) = geotech.cases(WORLD, request)
    assert case.assumptions == ()
    assert case.ruling == geotech.evaluate(WORLD, request).ruling


def test_an_unpublished_die_area_splits_at_the_density_thresholds() -> None:
    request = geotech.AccessRequest(
        buyer="bytedance", item="amazon-inferentia2", on=dt.date(2024, 6, 1), end_use="datacenter"
    )
    found = geotech.cases(WORLD, request)
    assert [(str(a), c.ruling.restriction) for c in found for a in c.assumptions] == [
        ("amazon-inferentia2.performance_density in (0, 1.6)", Restriction.ALLOWED),
        # the two pieces of the density line ruled alike are one interval
        ("amazon-inferentia2.performance_density in [1.6, 5.92)", Restriction.CONDITIONAL),
        ("amazon-inferentia2.performance_density in [5.92, inf)", Restriction.LICENSE_DENIAL),
    ]


def test_pieces_follow_open_and_closed_edges() -> None:
    bounds = [Bound(Op.GE, 10), Bound(Op.LE, 20), Bound(Op.LT, 20), Bound(Op.GT, 30)]
    assert pieces(bounds, low=0.0) == (
        Interval(0.0, 10, False, False),
        Interval(10, 20, True, False),
        Interval(20, 20, True, True),
        Interval(20, 30, False, True),
        Interval(30, None, False, False),
    )


def test_touching_intervals_join_and_others_do_not() -> None:
    below, point, above = (
        Interval(0, 20, False, False),
        Interval(20, 20, True, True),
        Interval(20, None, False, False),
    )
    assert below.join(point) == Interval(0, 20, False, True)
    assert joined([above, point, below]) == (Interval(0, None, False, False),)
    assert below.join(above) is None  # 20 is in neither: a gap
    assert Interval(0, 20, False, True).join(Interval(20, 30, True, False)) is None  # overlap
    assert joined([Interval(0, 1, False, False), Interval(2, 3, True, False)]) == (
        Interval(0, 1, False, False),
        Interval(2, 3, True, False),
    )


def _space(day: dt.date) -> geotech.analysis.DesignSpace:
    return design_space(
        WORLD,
        buyer="bytedance",
        on=day,
        route=("TW", "US", "CN"),
        end_use="datacenter",
        fixed={"performance_density": 19.45, "datacenter": True},
    )


def test_the_2023_rules_leave_open_only_the_box_under_tpp_1600_at_h200_density() -> None:
    space = _space(dt.date(2024, 1, 1))
    assert [(tuple(map(str, r.box)), r.ruling.restriction) for r in space.regions] == [
        (("(0, 1600)", "(0, inf)"), Restriction.ALLOWED),
        # the three pieces above 1600 are ruled alike (same ruling), so they are one box
        (("[1600, inf)", "(0, inf)"), Restriction.LICENSE_DENIAL),
    ]


def test_the_jan_2026_box_is_case_by_case_below_tpp_21000_and_bandwidth_6500() -> None:
    space = _space(dt.date(2026, 2, 1))
    # 63 boxes between the thresholds; 15 once neighbours with equal rulings are joined
    assert len(space.regions) == 15
    assert [str(s) for s in space.region(tpp=15832, dram_bandwidth_gbs=4000).box] == [
        "[1600, 21000)",
        "(0, 4500]",
    ]
    assert space.at(tpp=15832, dram_bandwidth_gbs=4800).restriction == CASE_BY_CASE
    assert space.at(tpp=21000, dram_bandwidth_gbs=4800).restriction == Restriction.LICENSE_DENIAL
    assert space.at(tpp=15832, dram_bandwidth_gbs=6500).restriction == Restriction.LICENSE_DENIAL
    (corner,) = space.frontier(CASE_BY_CASE)
    assert corner.specs == (("tpp", 21000.0), ("dram_bandwidth_gbs", 6500.0))
    assert corner.reached == (False, False)


@settings(max_examples=25, deadline=None)
@given(
    day=st.sampled_from([dt.date(2024, 1, 1), dt.date(2025, 6, 1), dt.date(2026, 2, 1)]),
    data=st.data(),
)
def test_every_point_of_a_region_gets_the_region_ruling(day: dt.date, data: st.DataObject) -> None:
    space = _space(day)
    region = data.draw(st.sampled_from(space.regions))
    point = {}
    for axis, side in zip(space.axes, region.box, strict=True):
        low = side.low if side.low is not None else 0.0
        high = side.high if side.high is not None else low * 4 + 1
        # specs are positive and carried by throughput (tpp / 8): no subnormal numbers
        x = data.draw(st.floats(max(low, 1e-3), max(high, 1e-3), allow_nan=False))
        if x not in side:
            x = side.interior
        point[axis] = x
    chip = hypothetical_chip(
        {**point, "performance_density": 19.45, "datacenter": True}, id="probe", designer="nvidia"
    )
    trial = attrs.evolve(WORLD, chips=(*WORLD.chips, chip))
    request = attrs.evolve(space.request, item="probe")
    assert geotech.evaluate(trial, request).ruling == region.ruling
    assert space.at(**point) == region.ruling
    # the joined regions still partition the space: the point is in exactly one
    assert sum(r.contains(tuple(point[a] for a in space.axes)) for r in space.regions) == 1


def test_rescinding_the_jan_2026_rule_changes_the_h200_for_bytedance() -> None:
    reformed = catalog.reforms()["rescind-h200-rule"].apply(WORLD)
    found = diff(WORLD, reformed)
    # the rule goes, and so does the mention of it in what the NAC notice supersedes
    assert found.changed == ("us-bis-2023-10-17-nac", "us-bis-2026-01-15-h200-case-by-case")
    pair = found.at(H200_REQUEST)
    assert pair is not None
    assert (pair[0].restriction, pair[1].restriction) == (CASE_BY_CASE, Restriction.LICENSE_DENIAL)
    assert found.at(attrs.evolve(H200_REQUEST, on=dt.date(2025, 6, 1))) is None
    assert all(c.where.dates.start >= dt.date(2026, 1, 15) for c in found.cells)
    for cell in [c for c in found.cells if c.where.via is None][:50]:
        request = geotech.AccessRequest(
            buyer=cell.where.buyers[0],
            item=cell.where.item,
            on=cell.where.dates.start,
            end_use=cell.where.end_use,
        )
        assert found.at(request) == (cell.before, cell.after)


def test_the_rescinded_jan_2026_rule_shows_on_routes_through_a_transit_state() -> None:
    reformed = catalog.reforms()["rescind-h200-rule"].apply(WORLD)
    found = diff(WORLD, reformed)
    asked = attrs.evolve(H200_REQUEST, route=None)
    direct = found.cell(asked)
    assert direct is not None
    assert direct.where.via is None
    assert (direct.before.restriction, direct.after.restriction) == (
        CASE_BY_CASE,
        Restriction.LICENSE_DENIAL,
    )
    assert found.cell(attrs.evolve(asked, route=("US", "CN"))) == direct
    # through Taiwan both worlds deny; the terms differ (the rule's conditions go)
    via_tw = found.cell(attrs.evolve(asked, route=("US", "TW", "CN")))
    assert via_tw is not None
    assert "TW" in (via_tw.where.via or ())
    assert (via_tw.before.restriction, via_tw.after.restriction) == (DENIAL, DENIAL)
    assert via_tw.before != via_tw.after
    for route in (("US", "TW", "CN"), ("US", "HK", "CN"), ("US", "DE", "CN")):
        request = attrs.evolve(asked, route=route)
        cell = found.cell(request)
        pair = found.at(request)
        assert (cell is None) == (pair is None)
        assert cell is None or (cell.before, cell.after) == pair
    # the default route alone: the same cells as the default route's here
    direct_only = diff(WORLD, reformed, transit=False)
    # 62 classes for each of 14 chips the rule certainly reaches and 154 for the H200; 9 for
    # each of the 14 chips its match on is unknown (a spec or the US availability day missing:
    # MTIA v2, H800 PCIe, and since the "commercially available" condition the A800s, H800,
    # TPUs, Trainiums, Maia 100, MTIA 300, H200 NVL and RTX PRO 6000 Server Edition)
    assert len(direct_only.cells) == 1148
    assert direct_only.cells == tuple(c for c in found.cells if c.where.via is None)
    with pytest.raises(geotech.InvalidRequestError, match="directly; ask"):
        direct_only.cell(attrs.evolve(asked, route=("US", "TW", "CN")))
    # a route not from the item's origin is answered by at, not by the cells
    with pytest.raises(geotech.InvalidRequestError, match=r"WorldDiff\.at"):
        found.cell(attrs.evolve(asked, route=("TW", "US", "CN")))
    assert found.at(H200_REQUEST) is not None
    assert found.at(attrs.evolve(asked, route=("TW", "CN"))) is None


def test_transit_states_are_told_apart_only_by_the_policies_of_the_end_use() -> None:
    # the 744.21 rule for Burma reads the importer, but only for a military end use (or an
    # undeclared one): for a commercial one Burma is not a class of its own
    reformed = catalog.reforms()["cap-16000"].apply(WORLD)
    on = dt.date(2026, 2, 1)
    items = tuple(sorted(WORLD.chips, key=lambda i: i.id))
    space = RequestSpace((WORLD, reformed), on, items, (None, "commercial"), {})
    n = space.buyer_class("bytedance")
    undeclared = space.matching_use("nvidia-h200", n, None)
    commercial = space.matching_use("nvidia-h200", n, "commercial")
    burma = "us-bis-2021-03-08-military-end-use-burma"
    assert burma in {p.id for p in undeclared} - {p.id for p in commercial}
    assert set(commercial) < set(undeclared) <= set(space.matching("nvidia-h200", n))
    for policies in (undeclared, commercial):
        classes = transit_classes((WORLD, reformed), on, policies)
        assert classes == grouped_states((WORLD, reformed), on, route_tests(policies))
        assert (("MM",) in classes) == (policies is undeclared)
    # routes through the classes the use-blind policies tell apart, one per commercial class
    ends = ("US", "CN")
    every = space.matching("nvidia-h200", n)
    routes = space.transit_routes(ends, every, every, commercial)
    assert [members for members, _ in routes] == [
        c for c in space.grouped(every) if any(s not in ends for s in c)
    ]
    coarser = space.grouped(commercial)
    for members, (_, through, _) in routes:
        alike = next(c for c in coarser if members[0] in c)
        assert through == next(s for s in alike if s not in ends)
    assert len({route for _, route in routes}) < len(routes)


def test_buyer_classes_kept_per_leaf_and_company_equal_those_judged_afresh() -> None:
    # no listing, membership or class definition changes between these dates
    reformed = catalog.reforms()["rescind-h200-rule"].apply(WORLD)
    memo: dict[tuple[int, str], tuple[Truth, ...]] = {}
    for day in (dt.date(2026, 1, 15), dt.date(2026, 1, 28), dt.date(2026, 1, 30)):
        kept = buyer_classes((WORLD, reformed), day, memo)
        assert kept == buyer_classes((WORLD, reformed), day)
    assert memo


def test_cells_end_with_the_catalogue_window() -> None:
    # the last change (2026-11-28) is before the window's end (2026-12-04): cells stop there,
    # and past it (every ruling uncertain) `at` answers
    assert WORLD.window is not None
    found = diff(WORLD, catalog.reforms()["rescind-h200-rule"].apply(WORLD), transit=False)
    assert max(c.where.dates.end or dt.date.max for c in found.cells) == dt.date(2026, 12, 5)
    inside, past = (
        geotech.AccessRequest(buyer="bytedance", item="amd-mi300x", on=on, end_use="datacenter")
        for on in (WORLD.window.end, WORLD.window.end + dt.timedelta(days=1))
    )
    cell = found.cell(inside)
    assert cell is not None
    assert cell.before.certain
    assert cell.after.certain
    assert (cell.before, cell.after) == found.at(inside)
    with pytest.raises(InvalidRequestError, match=r"AccessRequest.on: 2026-12-05 is outside"):
        found.cell(past)
    assert found.at(past) == (doubted(cell.before), doubted(cell.after))


def test_a_day_a_criterion_names_splits_the_cells() -> None:
    """A rule in force since 2020 that binds only from its compliance day: the diff's cells
    change on that day although no record starts or ends on it."""
    world = geotech.World(
        states=[geotech.State(id="CN", name="China"), geotech.State(id="JP", name="Japan")],
        companies=[
            geotech.Company(id="maker", name="Maker", hq="CN"),
            geotech.Company(id="lab", name="Lab", hq="JP"),
        ],
        chips=[geotech.Chip(id="chip", name="Chip", designer="maker")],
        policies=[
            geotech.ExportPolicy(
                id="open",
                issuer="CN",
                title="open",
                criterion=All(of=()),
                effect="allow",
                effective=dt.date(2020, 1, 1),
            )
        ],
    )
    binding = geotech.ImportPolicy(
        id="binding",
        issuer="JP",
        title="binding",
        criterion=ComplianceFrom(dt.date(2025, 1, 1)),
        effect="discourage",
        effective=dt.date(2020, 7, 1),
    )
    reformed = attrs.evolve(world, policies=(*world.policies, binding))
    found = diff(world, reformed, transit=False)
    assert {(c.where.dates.start, c.where.dates.end) for c in found.cells} == {
        (dt.date(2025, 1, 1), None)
    }
    for day, changed in ((dt.date(2024, 12, 31), False), (dt.date(2025, 1, 1), True)):
        request = geotech.AccessRequest(buyer="lab", item="chip", on=day)
        assert (found.cell(request) is not None) is changed
        assert (found.at(request) is not None) is changed


def test_a_world_has_no_diff_with_itself() -> None:
    found = diff(WORLD, WORLD)
    assert found.cells == ()
    assert found.at(H200_REQUEST) is None


@st.composite
def _reformed(draw: st.DrawFn, world: geotech.World) -> geotech.World:
    """The world with a new policy, or with one of its policies removed."""
    if world.policies and draw(st.booleans()):
        gone = draw(st.sampled_from(world.policies))
        kept = tuple(p for p in world.policies if p.id != gone.id)
        # a policy another supersedes stays: removing it would leave a dangling reference
        if any(gone.id in p.supersedes for p in kept):
            return world
        return attrs.evolve(world, policies=kept)
    return attrs.evolve(world, policies=(*world.policies, draw(gs.new_policies(world))))


def _cell_holds(
    world: World, reformed: World, found: WorldDiff, request: geotech.AccessRequest
) -> None:
    """``found`` has a cell for ``request`` exactly when the worlds rule it differently, with
    those rulings (nothing to check when the request cannot be decided)."""
    try:
        before, after = rulings(world, [request])[0], rulings(reformed, [request])[0]
    except geotech.GeotechError:
        return
    assert (found.at(request) is None) == (before == after)
    if world.window is not None and not world.window.contains(request.on):
        with pytest.raises(InvalidRequestError, match="outside the window"):
            found.cell(request)
        return
    cell = found.cell(request)
    if before == after:
        assert cell is None
    else:
        assert cell is not None
        assert (cell.before, cell.after) == (before, after)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_diff_cells_are_sound_and_complete_on_the_default_route(data: st.DataObject) -> None:
    world = data.draw(gs.worlds())
    reformed = data.draw(_reformed(world))
    found = diff(world, reformed)
    request = attrs.evolve(data.draw(gs.requests(world)), route=None, destination=None)
    _cell_holds(world, reformed, found, request)
    for cell in found.cells:
        assert cell.before != cell.after
        end = cell.where.dates.end or cell.where.dates.start + dt.timedelta(days=800)
        day = data.draw(st.dates(cell.where.dates.start, end - dt.timedelta(days=1)))
        member = geotech.AccessRequest(
            buyer=data.draw(st.sampled_from(cell.where.buyers)),
            item=cell.where.item,
            on=day,
            end_use=cell.where.end_use,
        )
        if cell.where.via is not None:
            start = origin(world, world.item(member.item))
            hq = world.company(member.buyer).hq
            through = [s for s in cell.where.via if s not in {start, hq}]
            if start is None or not through:
                continue
            member = attrs.evolve(member, route=(start, data.draw(st.sampled_from(through)), hq))
        assert found.at(member) == (cell.before, cell.after)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_diff_cells_are_sound_and_complete_through_a_transit_state(data: st.DataObject) -> None:
    world = data.draw(gs.worlds())
    reformed = data.draw(_reformed(world))
    found = diff(world, reformed)
    request = data.draw(gs.requests(world))
    start = origin(world, world.item(request.item))
    hq = world.company(request.buyer).hq
    through = data.draw(st.sampled_from([s.id for s in world.states]))
    if start is None:
        return
    # the route given as two states or through a third
    route = (start, hq) if data.draw(st.booleans()) else (start, through, hq)
    request = attrs.evolve(request, route=route, destination=None)
    _cell_holds(world, reformed, found, request)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_case_is_the_ruling_of_the_values_it_assumes(data: st.DataObject) -> None:
    world = data.draw(gs.worlds())
    request = attrs.evolve(data.draw(gs.requests(world)), end_use=None)
    try:
        found = geotech.cases(world, request)
    except geotech.GeotechError:
        return
    for case in found:
        trial, asked, specs = world, request, {}
        for a in case.assumptions:
            if a.fact == END_USE:
                choices = sorted(a.values)
                if a.others:
                    # any word of the vocabulary outside the named values
                    choices = sorted(
                        set(geotech.EndUseKind) - {geotech.EndUseKind(v) for v in a.values}
                    )
                use = data.draw(st.sampled_from(choices))
                assert a.holds(use)
                asked = attrs.evolve(asked, end_use=use)
            else:
                side = data.draw(st.sampled_from(a.intervals))
                specs[a.fact.rsplit(".", 1)[1]] = side.interior
        if specs:
            chip = world.chip(request.item)
            if chip.tpp is None:
                specs.pop("performance_density", None)
            changed = hypothetical_chip(specs, id=chip.id, designer=chip.designer, base=chip)
            trial = attrs.evolve(
                world, chips=[changed if c.id == chip.id else c for c in world.chips]
            )
        assert rulings(trial, [asked])[0] == case.ruling
