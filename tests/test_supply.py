"""Supply-chain leverage: shares against their sources, exposure on the catalogue at dates on both
sides of each Chinese measure, chokepoints, counter-scenarios, and the exposure laws (Hypothesis).
Expected figures come from the cited sources and the instruments' dates, not from the code.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geotech import (
    All,
    AnyOf,
    Company,
    DestinationIn,
    EndUse,
    ExporterIn,
    ExportPolicy,
    ImporterIn,
    ItemIs,
    Material,
    ReviewPolicy,
    Stage,
    State,
    SupplyShare,
    UnknownEntityError,
    Verdict,
    World,
    catalog,
)
from geotech.errors import InvalidValueError
from geotech.reforms import AddPolicy, Amend, RemovePolicy
from geotech.supply import (
    Chokepoint,
    Exposure,
    InputChange,
    chokepoints,
    counter_scenario,
    current_shares,
    exposure,
)

D = dt.date
BEFORE_SUSPENSIONS = D(2025, 6, 1)
DURING_SUSPENSIONS = D(2025, 12, 1)
AFTER_SUSPENSIONS = D(2026, 11, 28)
OCT_2025_SUSPENSION = "cn-mofcom-2025-70-suspension"
US_BAN_SUSPENSION = "cn-mofcom-2025-11-09-us-suspension"


@pytest.fixture(scope="module")
def world() -> World:
    return catalog.world()


# ---------------------------------------------------------------------------------------------
# Shares against the sources


#: (material, stage, state, share, as_of, estimated) as the cited sources state them.
SOURCED = [
    # USGS MCS 2025: 255,000 of 376,000 t REO mined in 2023 (68 %); IEA GCMO 2024: 92 % of
    # refined output (2023); all rare earths, used for the light group (hence estimated).
    ("rare-earths-light", Stage.MINING, "CN", 0.68, D(2023, 12, 31), True),
    ("rare-earths-light", Stage.REFINING, "CN", 0.92, D(2023, 12, 31), True),
    # "~99 % of heavy-REE processing".
    ("rare-earths-medium-heavy", Stage.REFINING, "CN", 0.99, D(2025, 8, 30), True),
    ("rare-earths-ho-er-tm-eu-yb", Stage.REFINING, "CN", 0.99, D(2025, 8, 30), True),
    # IEA commentary of 23 Oct 2025: 94 % of permanent-magnet making.
    ("rare-earth-magnets", Stage.MAGNETS, "CN", 0.94, D(2025, 10, 23), False),
    # USGS: 98 % of primary low-purity gallium.
    ("gallium", Stage.REFINING, "CN", 0.98, D(2023, 12, 31), False),
    # CRMA: around 60 % of germanium.
    ("germanium", Stage.REFINING, "CN", 0.60, D(2023, 7, 4), True),
    # USGS MCS 2025: 78 % of graphite mining (2024); Straits Times: over 90 % of anode refining.
    ("graphite", Stage.MINING, "CN", 0.78, D(2024, 12, 31), True),
    ("graphite", Stage.REFINING, "CN", 0.90, D(2023, 10, 20), True),
    # USGS MCS 2025: 60,000 of 100,000 t of antimony mine production (2024 estimates).
    ("antimony", Stage.MINING, "CN", 0.60, D(2024, 12, 31), True),
    # Superhard materials association: over 95 % of abrasive-grade synthetic diamond.
    ("superhard-materials", Stage.MANUFACTURING, "CN", 0.95, D(2025, 1, 21), True),
    # TrendForce: SK hynix over 90 % of HBM3.
    ("hbm3", Stage.MANUFACTURING, "KR", 0.90, D(2024, 3, 18), True),
    # CSET ETO Chip Explorer (TechInsights data, 2025): ASML (NL) 100 % of EUV scanners.
    ("euv-lithography", Stage.MANUFACTURING, "NL", 1.0, D(2025, 12, 31), False),
]


def _share(world: World, material: str, stage: Stage, state: str) -> SupplyShare:
    found = [
        x for x in world.supply_shares if (x.material, x.stage, x.state) == (material, stage, state)
    ]
    assert len(found) == 1, f"{material}/{stage}/{state}: {found}"
    return found[0]


@pytest.mark.parametrize(
    ("material", "stage", "state", "share", "as_of", "estimated"),
    SOURCED,
    ids=[f"{m}-{s}-{c}" for m, s, c, *_ in SOURCED],
)
def test_share_matches_its_source(
    world: World,
    material: str,
    stage: Stage,
    state: str,
    share: float,
    as_of: dt.date,
    estimated: bool,
) -> None:
    x = _share(world, material, stage, state)
    assert (x.share, x.as_of, x.estimated) == (share, as_of, estimated)
    assert x.sources


def test_derived_shares_follow_from_their_inputs(world: World) -> None:
    # Counterpoint Q2 2025: SK hynix 62 % + Samsung 17 % (KR); Micron 21 % (Taichung, TW).
    assert _share(world, "hbm3e", Stage.MANUFACTURING, "KR").share == pytest.approx(0.62 + 0.17)
    assert _share(world, "hbm3e", Stage.MANUFACTURING, "TW").share == 0.21
    # DIGITIMES: TSMC > 65,000 CoWoS wafers a month against 17,000 for Amkor and ASE together.
    packaging = _share(world, "advanced-packaging", Stage.MANUFACTURING, "TW")
    assert packaging.share == round(65_000 / (65_000 + 17_000), 2)
    # Japan makes about half of the magnets China does not (IEA 94 % for China).
    japan = _share(world, "rare-earth-magnets", Stage.MAGNETS, "JP")
    assert japan.share == pytest.approx((1 - 0.94) / 2)
    assert japan.estimated
    assert packaging.estimated


def test_every_dependency_is_sourced_and_names_a_chip_and_an_input(world: World) -> None:
    chips = {c.id for c in world.chips}
    materials = {m.id for m in world.materials} | {e.id for e in world.equipment}
    assert world.dependencies
    for d in world.dependencies:
        assert d.sources, d
        assert d.item in chips, d
        assert d.material in materials, d


def test_hbm_dependencies_follow_the_chips_memory(world: World) -> None:
    needs = {(d.item, d.material) for d in world.dependencies}
    assert ("nvidia-h200", "hbm3e") in needs
    assert ("nvidia-h100-sxm", "hbm3") in needs
    assert ("nvidia-a100", "hbm2e") in needs
    # GDDR parts need no HBM; TSMC N7 parts and SMIC's DUV process need no EUV.
    assert not {m for c, m in needs if c == "nvidia-rtx-4090"} & {"hbm2e", "hbm3", "hbm3e"}
    assert ("nvidia-a100", "euv-lithography") not in needs
    assert ("huawei-ascend-910c", "euv-lithography") not in needs
    assert ("amd-mi300x", "euv-lithography") in needs


# ---------------------------------------------------------------------------------------------
# Exposure on the catalogue


def test_gallium_for_us_producers_is_banned_then_licensed(world: World) -> None:
    before = exposure(world, "US", BEFORE_SUSPENSIONS).input("gallium")
    during = exposure(world, "US", DURING_SUSPENSIONS).input("gallium")
    assert before.share == during.share == 0.98
    (cn_before,) = before.stages[0].suppliers
    assert (cn_before.verdict, cn_before.review) == (
        Verdict.LICENSE_REQUIRED,
        ReviewPolicy.PRESUMPTION_OF_DENIAL,
    )
    assert cn_before.policies == ("cn-mofcom-2024-46-us-dual-use",)
    (cn_during,) = during.stages[0].suppliers
    assert cn_during.review is ReviewPolicy.CASE_BY_CASE
    assert cn_during.policies == ("cn-mofcom-2023-23-ga-ge",)


def test_gallium_before_the_2023_controls_is_free(world: World) -> None:
    assert exposure(world, "US", D(2023, 7, 31)).share("gallium") == 0
    assert exposure(world, "US", D(2023, 8, 1)).share("gallium") == 0.98


def test_superhard_materials_follow_the_us_ban_and_its_suspension(world: World) -> None:
    def superhard(on: dt.date, producer: str = "US") -> float:
        return exposure(world, producer, on).share("superhard-materials")

    assert superhard(D(2024, 12, 2)) == 0
    assert superhard(D(2024, 12, 3)) == 0.95
    assert superhard(D(2025, 11, 8)) == 0.95  # Oct 2025 package suspended, US ban not yet
    assert superhard(D(2025, 11, 9)) == 0
    assert superhard(D(2026, 11, 11)) == 0.95  # No. 55 applies again
    assert superhard(BEFORE_SUSPENSIONS, "TW") == 0  # the US ban does not reach Taiwan
    assert superhard(AFTER_SUSPENSIONS, "TW") == 0.95


def test_an_undeclared_end_use_leaves_the_military_clause_undecided(world: World) -> None:
    undecided = exposure(world, "US", DURING_SUSPENSIONS).input("superhard-materials")
    assert (undecided.share, undecided.upper) == (0, 0.95)
    military = exposure(world, "US", DURING_SUSPENSIONS, end_use="military")
    (cn,) = military.input("superhard-materials").stages[0].suppliers
    assert (cn.verdict, cn.policies) == (Verdict.PROHIBITED, ("cn-mofcom-2024-46-us-military",))
    civil = exposure(world, "US", DURING_SUSPENSIONS, end_use="civil_industrial")
    assert civil.input("superhard-materials").upper == 0


def test_the_extraterritorial_rule_reaches_japanese_magnets_when_the_suspension_ends(
    world: World,
) -> None:
    def magnets(on: dt.date) -> tuple[float, tuple[str, ...]]:
        stage = exposure(world, "TW", on).input("rare-earth-magnets").stages[0]
        japan = next(s for s in stage.suppliers if s.state == "JP")
        return stage.controlled, japan.policies

    assert magnets(D(2025, 4, 3)) == (0, ())
    assert magnets(D(2025, 4, 4)) == (0.94, ())  # No. 18 licenses exports from China
    assert magnets(D(2025, 10, 9)) == (0.97, ("cn-mofcom-2025-61-china-origin",))
    suspended = (0.94, (OCT_2025_SUSPENSION,))  # No. 70 sets No. 61 aside
    assert magnets(D(2025, 11, 7)) == suspended
    assert magnets(D(2026, 11, 10)) == suspended
    share, policies = magnets(D(2026, 11, 11))
    assert share == pytest.approx(0.97)
    assert policies == ("cn-mofcom-2025-61-china-origin", "cn-mofcom-2025-61-extraterritorial")


def test_the_seven_rare_earths_stay_licensed_through_the_truce(world: World) -> None:
    for on in (D(2025, 4, 4), DURING_SUSPENSIONS, AFTER_SUSPENSIONS):
        assert exposure(world, "KR", on).share("rare-earths-medium-heavy") == 0.99
    assert exposure(world, "KR", D(2025, 4, 3)).share("rare-earths-medium-heavy") == 0


def test_domestic_supply_is_never_controlled(world: World) -> None:
    china = exposure(world, "CN", AFTER_SUSPENSIONS)
    for m in ("gallium", "rare-earths-medium-heavy", "rare-earth-magnets", "superhard-materials"):
        assert china.share(m) == 0


def test_us_hbm_controls_reach_korean_and_taiwanese_supply_to_china(world: World) -> None:
    assert exposure(world, "huawei", BEFORE_SUSPENSIONS).share("hbm3e") == 1.0
    assert exposure(world, "nvidia", BEFORE_SUSPENSIONS).share("hbm3e") == 0


def test_a_state_stands_for_an_unlisted_producer_headquartered_there(world: World) -> None:
    by_state = exposure(world, "US", AFTER_SUSPENSIONS)
    by_company = exposure(world, "nvidia", AFTER_SUSPENSIONS)
    assert [x.share for x in by_state.inputs] == [x.share for x in by_company.inputs]
    assert (by_state.destination, by_company.destination) == ("US", "US")


def test_at_moves_the_delivery(world: World) -> None:
    in_taiwan = exposure(world, "nvidia", BEFORE_SUSPENSIONS, at="TW")
    assert in_taiwan.destination == "TW"
    assert in_taiwan.share("superhard-materials") == 0


def test_a_stage_uses_its_latest_measurement_or_its_first(world: World) -> None:
    early = exposure(world, "huawei", D(2025, 1, 1)).input("hbm3e")
    assert early.stages[0].as_of == D(2025, 6, 30)
    extra = SupplyShare(
        material="hbm3e", stage="manufacturing", state="KR", share=0.5, as_of=D(2026, 1, 1)
    )
    newer = attrs.evolve(world, supply_shares=(*world.supply_shares, extra))
    assert current_shares(newer, D(2025, 12, 31))["hbm3e", Stage.MANUFACTURING][0].share == 0.79
    assert current_shares(newer, D(2026, 1, 1))["hbm3e", Stage.MANUFACTURING] == (extra,)


def test_errors_name_the_unknown_id(world: World) -> None:
    with pytest.raises(UnknownEntityError, match="nvdia"):
        exposure(world, "nvdia", BEFORE_SUSPENSIONS)
    with pytest.raises(UnknownEntityError, match="galium"):
        exposure(world, "US", BEFORE_SUSPENSIONS, materials=["galium"])
    with pytest.raises(UnknownEntityError, match="unobtainium"):
        exposure(world, "US", BEFORE_SUSPENSIONS).input("unobtainium")


# ---------------------------------------------------------------------------------------------
# Equipment: EUV scanners are an input whose only supplier state controls them


def test_chinas_exposure_to_lithography_controls(world: World) -> None:
    # ASML (NL) alone supplies EUV scanners; the Dutch licence for China has been withheld
    # since June 2019 (reported), so all of world supply is controlled for China.
    euv = exposure(world, "CN", D(2024, 1, 1)).input("euv-lithography")
    assert (euv.share, euv.upper) == (1.0, 1.0)
    (stage,) = euv.stages
    (nl,) = stage.suppliers
    assert (stage.stage, nl.state, nl.verdict, nl.review) == (
        Stage.MANUFACTURING,
        "NL",
        Verdict.LICENSE_REQUIRED,
        ReviewPolicy.PRESUMPTION_OF_DENIAL,
    )
    assert nl.policies == ("nl-euv-china-hold-2019",)
    assert exposure(world, "smic", D(2024, 1, 1)).share("euv-lithography") == 1.0


def test_euv_for_a_us_fab_needs_a_licence_decided_case_by_case(world: World) -> None:
    (stage,) = exposure(world, "micron", D(2024, 1, 1)).input("euv-lithography").stages
    (nl,) = stage.suppliers
    assert (nl.share, nl.review, nl.policies) == (
        1.0,
        ReviewPolicy.CASE_BY_CASE,
        ("nl-euv-licence",),
    )


def test_euv_inside_the_eu_is_free(world: World) -> None:
    assert exposure(world, "DE", D(2024, 1, 1)).share("euv-lithography") == 0.0


def test_an_input_must_be_a_material_or_equipment(world: World) -> None:
    with pytest.raises(UnknownEntityError, match="material or equipment"):
        exposure(world, "CN", D(2024, 1, 1), materials=["nvidia-h200"])
    with pytest.raises(UnknownEntityError, match="did you mean 'euv-lithography'"):
        exposure(world, "CN", D(2024, 1, 1), materials=["euv-lithografy"])


# ---------------------------------------------------------------------------------------------
# Chokepoints and counter-scenarios


def test_chokepoints_at_95_percent(world: World) -> None:
    found = chokepoints(world, BEFORE_SUSPENSIONS, 0.95)
    assert [(c.material, c.stage, c.state, c.share) for c in found] == [
        ("euv-lithography", Stage.MANUFACTURING, "NL", 1.0),
        ("arf-immersion-lithography", Stage.MANUFACTURING, "NL", 0.993),  # CSET, 2025
        ("rare-earths-ho-er-tm-eu-yb", Stage.REFINING, "CN", 0.99),
        ("rare-earths-medium-heavy", Stage.REFINING, "CN", 0.99),
        ("gallium", Stage.REFINING, "CN", 0.98),
        ("resist-processing-tools", Stage.MANUFACTURING, "JP", 0.952),  # CSET, 2025
        ("superhard-materials", Stage.MANUFACTURING, "CN", 0.95),
    ]
    assert all(isinstance(c, Chokepoint) and c.sources for c in found)


@pytest.mark.parametrize("threshold", [0, 1.01, -0.5, True])
def test_chokepoint_threshold_must_be_a_fraction(world: World, threshold: float) -> None:
    with pytest.raises(InvalidValueError, match="threshold"):
        chokepoints(world, BEFORE_SUSPENSIONS, threshold)


def _truce(world: World) -> World:
    for suspension in (OCT_2025_SUSPENSION, US_BAN_SUSPENSION):
        world = Amend(suspension, clear={"expires"}).apply(world)
    return world


def test_the_october_package_coming_back(world: World) -> None:
    truce = _truce(world)
    scenario = counter_scenario(
        truce,
        Amend(OCT_2025_SUSPENSION, expires=D(2026, 11, 11)),
        AFTER_SUSPENSIONS,
        ["US", "nvidia"],
    )
    # Every chip with dependency records (chips added without supply data need no input).
    supplied = {d.item for d in world.dependencies}
    all_chips = tuple(sorted(c.id for c in world.chips if c.id in supplied))
    nvidia_chips = tuple(
        sorted(c.id for c in world.chips if c.designer == "nvidia" and c.id in supplied)
    )
    us = [c for c in scenario.changes if c.producer == "US"]
    assert us == [
        InputChange("US", "rare-earth-magnets", 0.94, pytest.approx(0.97), all_chips),  # type: ignore[arg-type]
        InputChange("US", "rare-earths-ho-er-tm-eu-yb", 0.0, 0.99, ()),
        InputChange("US", "superhard-materials", 0.0, 0.95, all_chips),
    ]
    assert scenario.chips_newly_controlled("nvidia") == nvidia_chips
    assert [e.producer for e in scenario.before] == ["US", "nvidia"]


def test_a_counter_scenario_takes_a_world_or_a_reform(world: World) -> None:
    later = Amend(OCT_2025_SUSPENSION, expires=D(2027, 1, 1)).apply(world)
    direct = counter_scenario(world, later, AFTER_SUSPENSIONS, ["KR"])
    reform = counter_scenario(world, lambda _: later, AFTER_SUSPENSIONS, ["KR"])
    assert direct == reform
    assert [c.material for c in direct.changes] == [
        "rare-earth-magnets",
        "rare-earths-ho-er-tm-eu-yb",
        "superhard-materials",
    ]
    assert all(c.after < c.before for c in direct.changes)


# ---------------------------------------------------------------------------------------------
# Laws (Hypothesis): exposure in [0, 1]; adding a control never lowers it, removing one never
# raises it.

STATES = ("CN", "US", "JP", "KR", "TW")
MATERIALS = ("ore", "oxide", "magnet")
PRODUCERS = ("maker", "US", "KR", "CN")


def _base_world() -> World:
    url = ("https://example.org/source",)
    return World(
        states=[State(id=s, name=s, sources=url) for s in STATES],
        companies=[Company(id="maker", name="Maker", hq="US", sources=url)],
        materials=[
            Material(id="ore", name="Ore", category="mineral", sources=url),
            Material(id="oxide", name="Oxide", category="mineral", sources=url),
            Material(
                id="magnet",
                name="Magnet",
                category="component",
                jurisdictions=frozenset({"CN"}),
                sources=url,
            ),
        ],
        supply_shares=[
            SupplyShare(material=m, stage=st_, state=s, share=v, as_of=D(2024, 1, 1), sources=url)
            for m, st_, s, v in (
                ("ore", "mining", "CN", 0.6),
                ("ore", "mining", "US", 0.3),
                ("ore", "refining", "CN", 0.9),
                ("oxide", "refining", "JP", 0.5),
                ("oxide", "refining", "KR", 0.5),
                ("magnet", "magnets", "CN", 0.9),
                ("magnet", "magnets", "JP", 0.05),
            )
        ],
    )


places = st.frozensets(st.sampled_from(STATES), min_size=1, max_size=3)
leaves = st.one_of(
    st.builds(ItemIs, st.frozensets(st.sampled_from(MATERIALS), min_size=1)),
    st.builds(lambda s: ExporterIn(states=s), places),
    st.builds(lambda s: ImporterIn(states=s), places),
    st.builds(lambda s: DestinationIn(states=s), places),
    st.just(EndUse(frozenset({"military"}))),
)
criteria = st.one_of(
    leaves,
    st.builds(All, st.lists(leaves, min_size=1, max_size=3)),
    st.builds(AnyOf, st.lists(leaves, min_size=1, max_size=3)),
)


@st.composite
def controls(draw: st.DrawFn, id: str) -> ExportPolicy:
    """A restricting export policy over materials, without ``supersedes``."""
    effect = draw(st.sampled_from(["license_required", "prohibit", "discourage"]))
    start = draw(st.dates(D(2023, 1, 1), D(2026, 12, 31)))
    end = draw(st.none() | st.dates(start + dt.timedelta(days=1), D(2028, 1, 1)))
    return ExportPolicy(
        id=id,
        issuer=draw(st.sampled_from(STATES)),
        title=id,
        criterion=draw(criteria),
        effect=effect,
        review=draw(st.sampled_from(list(ReviewPolicy))) if effect == "license_required" else None,
        effective=start,
        expires=end,
        sources=("https://example.org/source",),
    )


@st.composite
def worlds(draw: st.DrawFn) -> World:
    world = _base_world()
    for i in range(draw(st.integers(0, 4))):
        world = AddPolicy(draw(controls(f"control-{i}"))).apply(world)
    return world


def _shares(e: Exposure) -> list[list[float]]:
    return [[s.controlled for s in x.stages] for x in e.inputs]


def _at_least(high: Exposure, low: Exposure) -> bool:
    return all(
        h >= lo - 1e-12
        for hs, los in zip(_shares(high), _shares(low), strict=True)
        for h, lo in zip(hs, los, strict=True)
    )


dates = st.dates(D(2023, 1, 1), D(2028, 1, 1))
producers = st.sampled_from(PRODUCERS)
end_uses = st.sampled_from([None, "military", "civil_industrial"])


@settings(max_examples=60, deadline=None)
@given(worlds(), controls("added"), producers, dates, end_uses)
def test_adding_a_control_never_lowers_exposure(
    world: World, control: ExportPolicy, producer: str, on: dt.date, end_use: str | None
) -> None:
    before = exposure(world, producer, on, end_use=end_use)
    after = exposure(AddPolicy(control).apply(world), producer, on, end_use=end_use)
    assert _at_least(after, before)


@settings(max_examples=60, deadline=None)
@given(worlds(), producers, dates, st.data())
def test_removing_a_control_never_raises_exposure(
    world: World, producer: str, on: dt.date, data: st.DataObject
) -> None:
    if not world.policies:
        return
    removed = data.draw(st.sampled_from([p.id for p in world.policies]))
    before = exposure(world, producer, on)
    after = exposure(RemovePolicy(removed).apply(world), producer, on)
    assert _at_least(before, after)


@settings(max_examples=60, deadline=None)
@given(worlds(), producers, dates, end_uses)
def test_exposure_is_a_share_of_world_supply(
    world: World, producer: str, on: dt.date, end_use: str | None
) -> None:
    e = exposure(world, producer, on, end_use=end_use)
    assert [x.material for x in e.inputs] == sorted(MATERIALS)
    for x in e.inputs:
        assert 0 <= x.share <= x.upper <= 1
        for s in x.stages:
            assert 0 <= s.controlled + s.undecided <= s.attributed + 1e-12 <= 1 + 1e-12
