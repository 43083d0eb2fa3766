"""Hypothesis strategies: entities."""

from __future__ import annotations

from hypothesis import strategies as st

from geotech.entities import (
    Chip,
    Company,
    Confidence,
    CountryGroup,
    Dependency,
    Equipment,
    EquipmentKind,
    Item,
    Listing,
    Material,
    Membership,
    Model,
    PartyList,
    Precision,
    Role,
    Stage,
    Stake,
    State,
    Status,
    SupplyShare,
    Throughput,
)
from geotech.strategies.base import (
    CHIP_SPECS,
    DATES,
    DEFAULT_REFS,
    MODEL_FIGURES,
    SHARES,
    STATES,
    TOPS,
    Refs,
    between,
    dated,
    jurisdictions,
    optional,
    period,
    pool,
    sources,
    subset,
    texts,
)

# ---------------------------------------------------------------------------------------------
# Entities


@st.composite
def states(draw: st.DrawFn, id: str | None = None) -> State:
    """A ``State`` from ``STATES`` (or with the code ``id``)."""
    code = id if id is not None else draw(pool(tuple(STATES)))
    return State(id=code, name=draw(texts(STATES.get(code, code))), sources=draw(sources()))


@st.composite
def memberships(draw: st.DrawFn, refs: Refs = DEFAULT_REFS) -> Membership:
    """A ``Membership`` of a state of ``refs.states`` over a valid, possibly open, period."""
    start, end = draw(period())
    return Membership(state=draw(pool(refs.states)), start=start, end=end)


@st.composite
def country_groups(
    draw: st.DrawFn, refs: Refs = DEFAULT_REFS, id: str | None = None
) -> CountryGroup:
    """A ``CountryGroup`` issued by a state of ``refs.states``, with one membership (over a
    valid, possibly open, period) per member state of ``refs.states``."""
    members = []
    for state in sorted(draw(subset(refs.states, max_size=4))):
        start, end = draw(period())
        members.append(Membership(state=state, start=start, end=end))
    key = id if id is not None else draw(pool(("g1", "g2", "g3")))
    return CountryGroup(
        id=key,
        issuer=draw(pool(refs.states)),
        code=draw(pool(("D:5", "D:1", "A:5", "Tier 1"))),
        name=draw(texts(f"Group {key}")),
        members=members,
        sources=draw(sources()),
    )


@st.composite
def stakes(draw: st.DrawFn, owners: tuple[str, ...]) -> tuple[Stake, ...]:
    """Stakes of up to three of ``owners``, in half percents adding up to at most 100 (so
    sums land exactly on 50 % and 100 % often); either status."""
    chosen = draw(st.lists(pool(owners), max_size=3, unique=True)) if owners else []
    out: list[Stake] = []
    halves_left = 200
    for owner in chosen:
        if halves_left < 1:
            break
        halves = draw(st.integers(1, halves_left))
        halves_left -= halves
        out.append(Stake(owner=owner, percent=halves / 2, status=draw(pool(tuple(Status)))))
    return tuple(out)


@st.composite
def companies(draw: st.DrawFn, refs: Refs = DEFAULT_REFS, id: str | None = None) -> Company:
    """A ``Company`` headquartered in a state of ``refs.states``, whose owners, if any, are
    among ``refs.companies`` other than itself (``stakes``)."""
    key = id if id is not None else draw(pool(("c1", "c2", "c3", "c4")))
    others = tuple(x for x in refs.companies if x != key)
    return Company(
        id=key,
        name=draw(texts(f"Company {key}")),
        hq=draw(pool(refs.states)),
        owners=draw(stakes(others)),
        roles=draw(st.frozensets(pool(tuple(Role)), max_size=2)),
        sources=draw(sources()),
    )


def throughputs(precision: Precision | None = None) -> st.SearchStrategy[Throughput]:
    """A ``Throughput`` of 19.5-2250.5 dense TOPS at ``precision`` (or any precision)."""
    precisions = st.just(precision) if precision is not None else pool(tuple(Precision))
    return st.builds(Throughput, precision=precisions, tops=pool(TOPS))


@st.composite
def throughput_table(draw: st.DrawFn, min_size: int = 0) -> tuple[Throughput, ...]:
    """0-3 throughputs at distinct precisions (an empty table: TPP unknown)."""
    chosen = draw(st.lists(pool(tuple(Precision)), min_size=min_size, max_size=3, unique=True))
    return tuple(draw(throughputs(p)) for p in chosen)


def known(values: tuple[float | None, ...]) -> st.SearchStrategy[float]:
    return pool(tuple(v for v in values if v is not None))


@st.composite
def chips(draw: st.DrawFn, refs: Refs = DEFAULT_REFS, id: str | None = None) -> Chip:
    """A ``Chip`` designed (and maybe fabbed) by ``refs.companies``. Any spec may be unknown
    (``None``; an empty throughput table leaves TPP unknown); ``estimates`` names only known
    specs; listed jurisdictions are states of ``refs.states``."""
    specs = {name: draw(pool(values)) for name, values in CHIP_SPECS.items()}
    known = tuple(name for name, value in specs.items() if value is not None)
    return Chip(
        id=id if id is not None else draw(pool(("chip1", "chip2", "chip3"))),
        name=draw(texts("Accelerator")),
        designer=draw(pool(refs.companies)),
        fab=draw(optional(pool(refs.companies))),
        released=draw(optional(pool(DATES))),
        us_available=draw(optional(pool(DATES))),
        datacenter=draw(optional(st.booleans())),
        hbm=draw(optional(st.booleans())),
        throughput=draw(throughput_table()),
        jurisdictions=draw(jurisdictions(refs.states)),
        estimates=draw(subset(known, max_size=1)),
        sources=draw(sources()),
        **specs,
    )


@st.composite
def models(draw: st.DrawFn, refs: Refs = DEFAULT_REFS, id: str | None = None) -> Model:
    """A ``Model`` developed by one of ``refs.companies``, maybe trained on one of
    ``refs.chips``; any figure may be unknown."""
    return Model(
        id=id if id is not None else draw(pool(("model1", "model2"))),
        name=draw(texts("Model")),
        developer=draw(pool(refs.companies)),
        released=draw(optional(pool(DATES))),
        parameters=draw(pool(MODEL_FIGURES["parameters"])),
        active_parameters=draw(pool(MODEL_FIGURES["active_parameters"])),
        training_flop=draw(pool(MODEL_FIGURES["training_flop"])),
        training_flop_confidence=draw(optional(pool(tuple(Confidence)))),
        training_chip=draw(optional(pool(refs.chips))) if refs.chips else None,
        training_chip_count=draw(optional(pool((1024, 16384, 100_000)))),
        open_weights=draw(optional(st.booleans())),
        jurisdictions=draw(jurisdictions(refs.states)),
        sources=draw(sources()),
    )


@st.composite
def materials(draw: st.DrawFn, refs: Refs = DEFAULT_REFS, id: str | None = None) -> Material:
    """A ``Material`` under the controls of zero to two states of ``refs.states``, with its
    memory bandwidth and package area known or not (densities on both sides of 3A090.c's
    2 GB/s/mm2 and License Exception HBM's 3.3)."""
    return Material(
        id=id if id is not None else draw(pool(("mat1", "mat2"))),
        name=draw(texts("Gallium")),
        category=draw(pool(("critical_mineral", "rare_earth", "memory"))),
        bandwidth_gbs=draw(pool((242.0, 1200.0, None))),
        package_area_mm2=draw(pool((121.0, 600.0, None))),
        jurisdictions=draw(subset(refs.states, max_size=2)),
        sources=draw(sources()),
    )


@st.composite
def equipment(draw: st.DrawFn, refs: Refs = DEFAULT_REFS, id: str | None = None) -> Equipment:
    """An ``Equipment`` item of any kind, maybe produced by one of ``refs.companies``, with
    wavelength and overlay known or not."""
    return Equipment(
        id=id if id is not None else draw(pool(("tool1", "tool2"))),
        name=draw(texts("Scanner")),
        equipment_kind=draw(pool(tuple(EquipmentKind))),
        producer=draw(optional(pool(refs.companies))) if refs.companies else None,
        released=draw(optional(pool(DATES))),
        wavelength_nm=draw(pool((13.5, 193.0, 248.0, None))),
        overlay_nm=draw(pool((1.5, 2.4, 3.5, None))),
        jurisdictions=draw(jurisdictions(refs.states)),
        sources=draw(sources()),
    )


def items(refs: Refs = DEFAULT_REFS) -> st.SearchStrategy[Item]:
    """A chip, model, material or equipment item (see ``chips``, ``models``, ``materials``,
    ``equipment``)."""
    return st.one_of(chips(refs), models(refs), materials(refs), equipment(refs))


@st.composite
def listings(draw: st.DrawFn, refs: Refs = DEFAULT_REFS) -> Listing:
    """A ``Listing`` of one of ``refs.companies`` from a date, maybe until a later one."""
    start, end = draw(dated())
    return Listing(
        company=draw(pool(refs.companies)),
        start=start,
        end=end,
        citation=draw(texts("Federal Register notice")),
        status=draw(pool(tuple(Status))),
        sources=draw(sources()),
    )


@st.composite
def party_lists(draw: st.DrawFn, refs: Refs = DEFAULT_REFS, id: str | None = None) -> PartyList:
    """A ``PartyList`` issued by a state of ``refs.states`` listing companies of
    ``refs.companies``; one company's listings never overlap (each ends before the next)."""
    entries: list[Listing] = []
    for company in sorted(draw(subset(refs.companies))):
        count = draw(between(1, 2))
        bounds = sorted(draw(st.lists(pool(DATES), min_size=2 * count, unique=True)))
        for i in range(count):
            end = bounds[2 * i + 1] if i + 1 < count else draw(optional(st.just(bounds[-1])))
            status = draw(pool(tuple(Status)))
            entries.append(Listing(company=company, start=bounds[2 * i], end=end, status=status))
    key = id if id is not None else draw(pool(("l1", "l2")))
    return PartyList(
        id=key,
        issuer=draw(pool(refs.states)),
        name=draw(texts(f"List {key}")),
        listings=entries,
        sources=draw(sources()),
    )


@st.composite
def supply_shares(
    draw: st.DrawFn, refs: Refs = DEFAULT_REFS, material: str | None = None
) -> SupplyShare:
    """A ``SupplyShare`` of a state of ``refs.states`` in one of ``refs.materials`` (or
    ``material``), a share of at most one half."""
    return SupplyShare(
        material=material if material is not None else draw(pool(refs.materials)),
        stage=draw(pool(tuple(Stage))),
        state=draw(pool(refs.states)),
        share=draw(pool(SHARES)),
        as_of=draw(pool(DATES)),
        estimated=draw(st.booleans()),
        sources=draw(sources()),
    )


def dependencies(refs: Refs = DEFAULT_REFS) -> st.SearchStrategy[Dependency]:
    """A ``Dependency`` of one of ``refs.items`` on one of ``refs.materials``."""
    return st.builds(
        Dependency,
        item=pool(refs.items),
        material=pool(refs.materials),
        assumption=st.booleans(),
        sources=sources(),
    )
