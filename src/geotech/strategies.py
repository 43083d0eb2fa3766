"""Hypothesis strategies for every geotech type, valid by construction (needs the ``test`` extra).

Every strategy draws values whose construction never raises. Values are small and readable:
ids like ``c1`` (companies), ``g1`` (groups), ``l1`` (party lists), ``chip1`` / ``model1`` /
``mat1`` (items), ``k1`` (control classes) and ``p1`` (policies); states from a pool of six
ISO codes; dates mostly from a pool of half-years 2020-2027, so that period bounds and request
dates coincide often; figures from short lists of realistic values, whole numbers sometimes
given as ``int`` where a float is expected (as users write them). Free text shrinks to a
readable default and is otherwise arbitrary Unicode, to exercise escaping.

Strategies for records that refer to others take a ``Refs``: the ids they may refer to.
``worlds()`` draws a whole consistent World (every reference resolves, no cycles, no
overlapping class versions); ``requests(world)`` draws requests that ``evaluate`` accepts in
that world; ``new_policies(world)`` draws a policy that can be added to it;
``completions(world, request)`` fills in unknown facts and ``blurs(world, request)`` forgets
known ones. ``geotech.testing`` holds the laws these feed; ``docs/laws.md`` states them.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import attrs
from attrs import frozen
from hypothesis import strategies as st

from geotech import criteria as c
from geotech.engine import AccessRequest, evaluate, origin, resolve_route
from geotech.entities import (
    Chip,
    Company,
    Confidence,
    CountryGroup,
    Dependency,
    Item,
    Listing,
    Material,
    Membership,
    Model,
    PartyList,
    Precision,
    Role,
    Stage,
    State,
    Status,
    SupplyShare,
    Throughput,
)
from geotech.policies import (
    AnyPolicy,
    Condition,
    ControlClass,
    EffectKind,
    ExportPolicy,
    ImportPolicy,
    Requirement,
    RequirementKind,
    RevenueShare,
    ReviewPolicy,
    Tariff,
    VolumeCap,
)
from geotech.world import World

__all__ = [
    "DATES",
    "STATES",
    "Refs",
    "access_requests",
    "blurs",
    "chips",
    "companies",
    "completions",
    "conditions",
    "control_classes",
    "country_groups",
    "criteria",
    "criteria_of",
    "dates",
    "dependencies",
    "export_policies",
    "import_policies",
    "items",
    "listings",
    "materials",
    "memberships",
    "models",
    "new_policies",
    "party_lists",
    "policies",
    "requests",
    "states",
    "supply_shares",
    "throughputs",
    "worlds",
]

T = TypeVar("T")

#: The pool of states drawn from, with their names.
STATES: Mapping[str, str] = types.MappingProxyType(
    {
        "CN": "China",
        "JP": "Japan",
        "MO": "Macau",
        "NL": "Netherlands",
        "TW": "Taiwan",
        "US": "United States",
    }
)
#: The pool of dates drawn from: every 1 January and 1 July of 2020-2027.
DATES: tuple[dt.date, ...] = tuple(dt.date(y, m, 1) for y in range(2020, 2028) for m in (1, 7))

_CODES = ("3A090.a", "3A090.b", "4A090.a")
_END_USES = ("commercial", "military", "research")
_URLS = ("https://example.org/rule-1", "https://example.org/rule-2")
#: Readable figures; whole numbers appear as ``int`` too, as users write them for floats.
_TOPS = (1979, 989.5, 296, 148.0, 60, 2250.5, 19.5, 312)
_FRACTIONS = (0.25, 0.5, 0.15, 0, 1, 0.05, 1.0)
_SHARES = (0.25, 0.5, 0.1, 0.05, 0.35)
#: Possible values of each optional chip spec; ``None`` (unknown) is about one value in three.
_CHIP_SPECS: dict[str, tuple[float | None, ...]] = {
    "die_area_mm2": (814, 609.0, 294.5, 750, None, None, None),
    "memory_gb": (80, 141.0, 96, 24, None, None),
    "dram_bandwidth_gbs": (3350, 4800.0, 2039, 1008, None, None),
    "interconnect_gbs": (900, 400.0, 600, 64.5, None, None),
    "tdp_w": (700, 400.0, 300, 75.5, None, None),
}
#: Possible values of each optional model figure.
_MODEL_FIGURES: dict[str, tuple[float | None, ...]] = {
    "parameters": (1.75e11, 4.05e11, 7e9, 1e12, None, None),
    "active_parameters": (3.7e10, 1.75e11, 7e9, None, None),
    "training_flop": (2.1e25, 3.8e25, 5e24, 1e26, 3.2e23, None, None),
}
_THRESHOLDS: dict[c.SpecName, tuple[float, ...]] = {
    c.SpecName.TPP: (4800, 1600.0, 2400.0, 15832),
    c.SpecName.PERFORMANCE_DENSITY: (5.92, 1.6, 3.2),
    c.SpecName.DRAM_BANDWIDTH_GBS: (4100, 1400.0),
    c.SpecName.INTERCONNECT_GBS: (600, 900.0),
    c.SpecName.MEMORY_GB: (80.0, 96),
    c.SpecName.TDP_W: (300, 700.0),
    c.SpecName.DIE_AREA_MM2: (600.0, 814),
    c.SpecName.TRAINING_FLOP: (1e25, 1e26),
    c.SpecName.PARAMETERS: (1e10, 1e11),
}


@frozen
class Refs:
    """The ids that generated records may refer to.

    The defaults are small pools for values drawn on their own; ``Refs.of(world)`` gives the
    ids a world holds, so records drawn with it validate in that world. An empty pool means
    "refer to nothing of that kind" (criteria that would need such an id are not drawn).
    """

    states: tuple[str, ...] = tuple(STATES)
    groups: tuple[str, ...] = ("g1", "g2")
    lists: tuple[str, ...] = ("l1",)
    companies: tuple[str, ...] = ("c1", "c2", "c3")
    items: tuple[str, ...] = ("chip1", "model1", "mat1")
    chips: tuple[str, ...] = ("chip1",)
    materials: tuple[str, ...] = ("mat1",)
    codes: tuple[str, ...] = _CODES
    policies: tuple[str, ...] = ("p1", "p2")

    @classmethod
    def of(cls, world: World) -> Refs:
        """Every id ``world`` holds (``policies``: the ones a new policy may supersede)."""
        return cls(
            states=tuple(s.id for s in world.states),
            groups=tuple(g.id for g in world.groups),
            lists=tuple(p.id for p in world.party_lists),
            companies=tuple(x.id for x in world.companies),
            items=tuple(sorted(world.ids("item"))),
            chips=tuple(x.id for x in world.chips),
            materials=tuple(x.id for x in world.materials),
            codes=tuple(sorted({k.code for k in world.classes})),
            policies=tuple(p.id for p in world.policies),
        )


_DEFAULT = Refs()
_NOTHING = Refs(
    states=(),
    groups=(),
    lists=(),
    companies=(),
    items=(),
    chips=(),
    materials=(),
    codes=(),
    policies=(),
)


# ---------------------------------------------------------------------------------------------
# Building blocks. Strategies are cached and draws kept few: generation cost is per draw.


def _pool(values: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    """One of ``values``, shrinking towards the first."""
    # The types are part of the cache key: (0, 1) == (False, True) == (ReviewPolicy members).
    return _sampled(values, tuple(type(v) for v in values))


@functools.cache
def _sampled(values: tuple[Any, ...], _types: tuple[type, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(values)


def _count(low: int, high: int) -> st.SearchStrategy[int]:
    """A count in [low, high], uniformly (``st.integers`` favours the ends), shrinking to low."""
    return _pool(tuple(range(low, high + 1)))


@functools.cache
def _optional(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.one_of(st.none(), strategy)


@functools.cache
def _texts(readable: str) -> st.SearchStrategy[str]:
    """``readable`` (shrinks to it), or short arbitrary text."""
    return st.one_of(st.just(readable), st.text(max_size=8))


def _sources() -> st.SearchStrategy[tuple[str, ...]]:
    return _pool(((), _URLS[:1], _URLS))


@functools.cache
def _subset(
    pool: tuple[str, ...], *, min_size: int = 0, max_size: int = 3
) -> st.SearchStrategy[frozenset[str]]:
    """Subsets of ``pool`` (only the empty set when the pool is empty and min_size is 0)."""
    if not pool and min_size == 0:
        return st.just(frozenset())
    return st.frozensets(st.sampled_from(pool), min_size=min_size, max_size=max_size)


@functools.cache
def _jurisdictions(pool: tuple[str, ...]) -> st.SearchStrategy[frozenset[str]]:
    """Usually none (the maker's headquarters state decides), else 1-3 states of ``pool``."""
    return st.one_of(st.just(frozenset[str]()), _subset(pool, min_size=1))


@functools.cache
def dates() -> st.SearchStrategy[dt.date]:
    """A date from ``DATES``, or any date in 2019-2028."""
    return st.one_of(_pool(DATES), st.dates(dt.date(2019, 1, 1), dt.date(2028, 12, 31)))


@st.composite
def _period(draw: st.DrawFn, *, open_start: bool = True) -> tuple[dt.date | None, dt.date | None]:
    """A half-open period [start, end) from ``DATES`` with end > start; ``end`` may be open
    (``None``), and so may ``start`` when ``open_start``."""
    start = draw(_optional(_pool(DATES)) if open_start else _pool(DATES))
    later = tuple(d for d in DATES if start is None or d > start)
    return start, draw(_optional(_pool(later))) if later else None


@st.composite
def _dated(draw: st.DrawFn) -> tuple[dt.date, dt.date | None]:
    start, end = draw(_period(open_start=False))
    assert start is not None
    return start, end


# ---------------------------------------------------------------------------------------------
# Entities


@st.composite
def states(draw: st.DrawFn, id: str | None = None) -> State:
    """A ``State`` from ``STATES`` (or with the code ``id``)."""
    code = id if id is not None else draw(_pool(tuple(STATES)))
    return State(id=code, name=draw(_texts(STATES.get(code, code))), sources=draw(_sources()))


@st.composite
def memberships(draw: st.DrawFn, refs: Refs = _DEFAULT) -> Membership:
    """A ``Membership`` of a state of ``refs.states`` over a valid, possibly open, period."""
    start, end = draw(_period())
    return Membership(state=draw(_pool(refs.states)), start=start, end=end)


@st.composite
def country_groups(draw: st.DrawFn, refs: Refs = _DEFAULT, id: str | None = None) -> CountryGroup:
    """A ``CountryGroup`` issued by a state of ``refs.states``, with one membership (over a
    valid, possibly open, period) per member state of ``refs.states``."""
    members = []
    for state in sorted(draw(_subset(refs.states, max_size=4))):
        start, end = draw(_period())
        members.append(Membership(state=state, start=start, end=end))
    key = id if id is not None else draw(_pool(("g1", "g2", "g3")))
    return CountryGroup(
        id=key,
        issuer=draw(_pool(refs.states)),
        code=draw(_pool(("D:5", "D:1", "A:5", "Tier 1"))),
        name=draw(_texts(f"Group {key}")),
        members=members,
        sources=draw(_sources()),
    )


@st.composite
def companies(draw: st.DrawFn, refs: Refs = _DEFAULT, id: str | None = None) -> Company:
    """A ``Company`` headquartered in a state of ``refs.states``, whose parent, if any, is one
    of ``refs.companies`` other than itself."""
    key = id if id is not None else draw(_pool(("c1", "c2", "c3", "c4")))
    parents = tuple(x for x in refs.companies if x != key)
    return Company(
        id=key,
        name=draw(_texts(f"Company {key}")),
        hq=draw(_pool(refs.states)),
        parent=draw(_optional(_pool(parents))) if parents else None,
        roles=draw(st.frozensets(_pool(tuple(Role)), max_size=2)),
        sources=draw(_sources()),
    )


def throughputs(precision: Precision | None = None) -> st.SearchStrategy[Throughput]:
    """A ``Throughput`` of 19.5-2250.5 dense TOPS at ``precision`` (or any precision)."""
    precisions = st.just(precision) if precision is not None else _pool(tuple(Precision))
    return st.builds(Throughput, precision=precisions, tops=_pool(_TOPS))


@st.composite
def _throughput_table(draw: st.DrawFn, min_size: int = 0) -> tuple[Throughput, ...]:
    """0-3 throughputs at distinct precisions (an empty table: TPP unknown)."""
    chosen = draw(st.lists(_pool(tuple(Precision)), min_size=min_size, max_size=3, unique=True))
    return tuple(draw(throughputs(p)) for p in chosen)


def _known(values: tuple[float | None, ...]) -> st.SearchStrategy[float]:
    return _pool(tuple(v for v in values if v is not None))


@st.composite
def chips(draw: st.DrawFn, refs: Refs = _DEFAULT, id: str | None = None) -> Chip:
    """A ``Chip`` designed (and maybe fabbed) by ``refs.companies``. Any spec may be unknown
    (``None``; an empty throughput table leaves TPP unknown); ``estimates`` names only known
    specs; listed jurisdictions are states of ``refs.states``."""
    specs = {name: draw(_pool(values)) for name, values in _CHIP_SPECS.items()}
    known = tuple(name for name, value in specs.items() if value is not None)
    return Chip(
        id=id if id is not None else draw(_pool(("chip1", "chip2", "chip3"))),
        name=draw(_texts("Accelerator")),
        designer=draw(_pool(refs.companies)),
        fab=draw(_optional(_pool(refs.companies))),
        released=draw(_optional(_pool(DATES))),
        datacenter=draw(_optional(st.booleans())),
        throughput=draw(_throughput_table()),
        jurisdictions=draw(_jurisdictions(refs.states)),
        estimates=draw(_subset(known, max_size=1)),
        sources=draw(_sources()),
        **specs,
    )


@st.composite
def models(draw: st.DrawFn, refs: Refs = _DEFAULT, id: str | None = None) -> Model:
    """A ``Model`` developed by one of ``refs.companies``, maybe trained on one of
    ``refs.chips``; any figure may be unknown."""
    return Model(
        id=id if id is not None else draw(_pool(("model1", "model2"))),
        name=draw(_texts("Model")),
        developer=draw(_pool(refs.companies)),
        released=draw(_optional(_pool(DATES))),
        parameters=draw(_pool(_MODEL_FIGURES["parameters"])),
        active_parameters=draw(_pool(_MODEL_FIGURES["active_parameters"])),
        training_flop=draw(_pool(_MODEL_FIGURES["training_flop"])),
        training_flop_confidence=draw(_optional(_pool(tuple(Confidence)))),
        training_chip=draw(_optional(_pool(refs.chips))) if refs.chips else None,
        training_chip_count=draw(_optional(_pool((1024, 16384, 100_000)))),
        open_weights=draw(_optional(st.booleans())),
        jurisdictions=draw(_jurisdictions(refs.states)),
        sources=draw(_sources()),
    )


@st.composite
def materials(draw: st.DrawFn, refs: Refs = _DEFAULT, id: str | None = None) -> Material:
    """A ``Material`` under the controls of zero to two states of ``refs.states``."""
    return Material(
        id=id if id is not None else draw(_pool(("mat1", "mat2"))),
        name=draw(_texts("Gallium")),
        category=draw(_pool(("critical_mineral", "rare_earth", "memory"))),
        jurisdictions=draw(_subset(refs.states, max_size=2)),
        sources=draw(_sources()),
    )


def items(refs: Refs = _DEFAULT) -> st.SearchStrategy[Item]:
    """A chip, model or material (see ``chips``, ``models``, ``materials``)."""
    return st.one_of(chips(refs), models(refs), materials(refs))


@st.composite
def listings(draw: st.DrawFn, refs: Refs = _DEFAULT) -> Listing:
    """A ``Listing`` of one of ``refs.companies`` from a date, maybe until a later one."""
    start, end = draw(_dated())
    return Listing(
        company=draw(_pool(refs.companies)),
        start=start,
        end=end,
        citation=draw(_texts("Federal Register notice")),
        status=draw(_pool(tuple(Status))),
        sources=draw(_sources()),
    )


@st.composite
def party_lists(draw: st.DrawFn, refs: Refs = _DEFAULT, id: str | None = None) -> PartyList:
    """A ``PartyList`` issued by a state of ``refs.states`` listing companies of
    ``refs.companies``; one company's listings never overlap (each ends before the next)."""
    entries: list[Listing] = []
    for company in sorted(draw(_subset(refs.companies))):
        count = draw(_count(1, 2))
        bounds = sorted(draw(st.lists(_pool(DATES), min_size=2 * count, unique=True)))
        for i in range(count):
            end = bounds[2 * i + 1] if i + 1 < count else draw(_optional(st.just(bounds[-1])))
            status = draw(_pool(tuple(Status)))
            entries.append(Listing(company=company, start=bounds[2 * i], end=end, status=status))
    key = id if id is not None else draw(_pool(("l1", "l2")))
    return PartyList(
        id=key,
        issuer=draw(_pool(refs.states)),
        name=draw(_texts(f"List {key}")),
        listings=entries,
        sources=draw(_sources()),
    )


@st.composite
def supply_shares(
    draw: st.DrawFn, refs: Refs = _DEFAULT, material: str | None = None
) -> SupplyShare:
    """A ``SupplyShare`` of a state of ``refs.states`` in one of ``refs.materials`` (or
    ``material``), a share of at most one half."""
    return SupplyShare(
        material=material if material is not None else draw(_pool(refs.materials)),
        stage=draw(_pool(tuple(Stage))),
        state=draw(_pool(refs.states)),
        share=draw(_pool(_SHARES)),
        as_of=draw(_pool(DATES)),
        estimated=draw(st.booleans()),
        sources=draw(_sources()),
    )


def dependencies(refs: Refs = _DEFAULT) -> st.SearchStrategy[Dependency]:
    """A ``Dependency`` of one of ``refs.items`` on one of ``refs.materials``."""
    return st.builds(
        Dependency,
        item=_pool(refs.items),
        material=_pool(refs.materials),
        assumption=st.booleans(),
        sources=_sources(),
    )


# ---------------------------------------------------------------------------------------------
# Criteria


def _leaves(refs: Refs, *, items_only: bool) -> dict[type[c.Criterion], st.SearchStrategy[Any]]:
    """A strategy per leaf criterion type whose references ``refs`` can satisfy."""
    out: dict[type[c.Criterion], st.SearchStrategy[Any]] = {
        c.ItemKind: st.builds(c.ItemKind, kinds=_subset(("chip", "model", "material"), min_size=1)),
        c.Spec: _pool(tuple(c.SpecName)).flatmap(_specs),
        c.Datacenter: st.builds(c.Datacenter, value=st.booleans()),
    }
    if refs.items:
        out[c.ItemIs] = st.builds(c.ItemIs, ids=_subset(refs.items, min_size=1))
    if items_only:
        return out
    if refs.codes:
        out[c.ItemClass] = st.builds(c.ItemClass, codes=_subset(refs.codes, min_size=1))
    if refs.companies:
        out[c.BuyerIs] = st.builds(c.BuyerIs, ids=_subset(refs.companies, min_size=1))
    if refs.lists:
        out[c.BuyerListed] = st.builds(
            c.BuyerListed, lists=_subset(refs.lists, min_size=1), affiliates=st.booleans()
        )
    places = {"states": _subset(refs.states), "groups": _subset(refs.groups, max_size=2)}
    for place in (c.BuyerHeadquartered, c.ExporterIn, c.ImporterIn, c.DestinationIn):
        out[place] = st.builds(place, **places)
    out[c.Reexport] = st.just(c.Reexport())
    out[c.EndUse] = st.builds(c.EndUse, uses=_subset(_END_USES, min_size=1))
    return out


@functools.cache
def _specs(fact: c.SpecName) -> st.SearchStrategy[c.Spec]:
    values = _pool((*_THRESHOLDS[fact], 1))
    return st.builds(c.Spec, fact=st.just(fact), op=_pool(tuple(c.Op)), value=values)


_ITEM_LEAVES = (c.ItemKind, c.ItemIs, c.ItemClass, c.Spec, c.Datacenter)


@functools.cache
def _leaf(refs: Refs, items_only: bool) -> st.SearchStrategy[c.Criterion]:
    """Item tests half the time (they are what export controls turn on, and where unknown
    specs show), the other leaf types the other half."""
    leaves = _leaves(refs, items_only=items_only)
    # Thresholds twice: they read the specs that may be unknown.
    on_item = st.one_of(leaves[c.Spec], *(s for k, s in leaves.items() if k in _ITEM_LEAVES))
    others = [s for kind, s in leaves.items() if kind not in _ITEM_LEAVES]
    return st.one_of(on_item, st.one_of(*others)) if others else on_item


@st.composite
def _tree(draw: st.DrawFn, refs: Refs, items_only: bool, budget: int) -> c.Criterion:
    """A leaf or (shrinking towards a leaf) a connective over subtrees sharing ``budget``."""
    if budget <= 1 or not draw(st.booleans()):
        return draw(_leaf(refs, items_only))
    kind = draw(_pool((c.All, c.AnyOf, c.Not)))
    if kind is c.Not:
        return c.Not(draw(_tree(refs, items_only, budget - 1)))
    n = draw(_count(0, min(3, budget)))
    parts = [draw(_tree(refs, items_only, budget // max(n, 1))) for _ in range(n)]
    return c.All(parts) if kind is c.All else c.AnyOf(parts)


def criteria(
    refs: Refs = _DEFAULT, *, items_only: bool = False, max_leaves: int = 4
) -> st.SearchStrategy[c.Criterion]:
    """A criterion tree with at most ``max_leaves`` leaves (far below the depth limit) whose
    ids, states, groups, lists and class codes all come from ``refs``; every leaf type whose
    references ``refs`` can satisfy is drawn. With ``items_only`` the tree tests only the item
    (what a control class may test)."""
    relevant = attrs.evolve(refs, chips=(), materials=(), policies=())
    return _tree(relevant, items_only, max_leaves)


def criteria_of(
    kind: type[c.Criterion], refs: Refs = _DEFAULT, *, max_leaves: int = 4
) -> st.SearchStrategy[c.Criterion]:
    """Criteria of exactly type ``kind`` (``All``, ``Spec``, ``BuyerListed``...); connectives
    hold ``criteria(refs)`` parts. Raises ``ValueError`` when ``refs`` holds no id a criterion
    of that type could name."""
    if kind in (c.All, c.AnyOf):
        return st.builds(kind, of=st.lists(criteria(refs, max_leaves=max_leaves), max_size=3))
    if kind is c.Not:
        return st.builds(c.Not, of=criteria(refs, max_leaves=max_leaves))
    leaves = _leaves(refs, items_only=False)
    if kind not in leaves:
        raise ValueError(f"criteria_of: refs name nothing a {kind.__name__} could refer to")
    return leaves[kind]


# ---------------------------------------------------------------------------------------------
# Policies


def conditions(refs: Refs = _DEFAULT) -> st.SearchStrategy[Condition]:
    """Any condition: a tariff or revenue share with a rate in [0, 1] (a beneficiary, if any,
    from ``refs.states``), a volume cap of units or of a fraction (exactly one of them), or a
    requirement of any kind."""
    return _conditions(refs.states)


@functools.cache
def _conditions(beneficiaries: tuple[str, ...]) -> st.SearchStrategy[Condition]:
    return st.one_of(
        st.builds(Tariff, rate=_pool(_FRACTIONS), detail=_texts("")),
        st.builds(
            RevenueShare, rate=_pool(_FRACTIONS), beneficiary=_optional(_pool(beneficiaries))
        ),
        st.builds(VolumeCap, units=_pool((0, 1000, 50_000)), reference=_texts("")),
        st.builds(VolumeCap, fraction=_pool(_FRACTIONS), reference=_texts("US sales")),
        st.builds(Requirement, kind=_pool(tuple(RequirementKind)), detail=_texts("")),
    )


@st.composite
def control_classes(draw: st.DrawFn, refs: Refs = _DEFAULT, id: str | None = None) -> ControlClass:
    """A ``ControlClass`` issued by a state of ``refs.states``, with a code from
    ``refs.codes`` (or a default pool when empty), a valid period, and a criterion that tests
    only the item."""
    effective, expires = draw(_dated())
    return ControlClass(
        id=id if id is not None else draw(_pool(("k1", "k2", "k3"))),
        issuer=draw(_pool(refs.states)),
        code=draw(_pool(refs.codes or _CODES)),
        title=draw(_texts("Advanced computing items")),
        criterion=draw(criteria(refs, items_only=True, max_leaves=3)),
        effective=effective,
        expires=expires,
        citation=draw(_texts("15 CFR 774")),
        sources=draw(_sources()),
    )


@st.composite
def _policy(draw: st.DrawFn, side: type[AnyPolicy], refs: Refs, id: str | None) -> AnyPolicy:
    key = id if id is not None else draw(_pool(("p1", "p2", "p3", "p4")))
    effect = draw(_pool(tuple(EffectKind)))
    licensed = effect is EffectKind.LICENSE_REQUIRED
    # Most policies start early in the date pool, so that they are in force on most dates.
    effective = draw(st.one_of(_pool(DATES[:4]), _pool(DATES)))
    later = tuple(d for d in DATES if d > effective)
    expires = draw(_optional(_pool(later))) if later else None
    others = tuple(p for p in refs.policies if p != key)
    return side(
        id=key,
        issuer=draw(_pool(refs.states)),
        title=draw(_texts(f"Rule {key}")),
        criterion=draw(_policy_criteria(refs)),
        effect=effect,
        review=draw(_pool(tuple(ReviewPolicy))) if licensed else None,
        conditions=[draw(conditions(refs)) for _ in range(draw(_count(0, 2)))],
        effective=effective,
        expires=expires,
        announced=draw(_optional(_pool(tuple(d for d in DATES if d <= effective)))),
        supersedes=draw(_subset(others, max_size=2)),
        status=draw(_pool(tuple(Status))),
        citation=draw(_texts("")),
        sources=draw(_sources()),
    )


@functools.cache
def _policy_criteria(refs: Refs) -> st.SearchStrategy[c.Criterion]:
    """A fifth cover every request in scope (so policies meet often), a fifth test one fact
    that may be unknown (so unknowns meet certainties), the rest are any tree."""
    relevant = attrs.evolve(refs, chips=(), materials=(), policies=())
    leaves = _leaves(relevant, items_only=False)
    unknowable = st.one_of(
        *(leaves[k] for k in (c.Spec, c.Datacenter, c.EndUse, c.ItemClass) if k in leaves)
    )
    tree = criteria(refs, max_leaves=3)
    return st.one_of(st.just(c.All()), unknowable, tree, tree, tree)


def export_policies(refs: Refs = _DEFAULT, id: str | None = None) -> st.SearchStrategy[AnyPolicy]:
    """An ``ExportPolicy`` issued by a state of ``refs.states``: any effect, with a review
    policy exactly when a license is required; a valid period; a criterion over ``refs``; 0-2
    conditions; supersedes drawn from ``refs.policies``, never itself."""
    return _policy(ExportPolicy, refs, id)


def import_policies(refs: Refs = _DEFAULT, id: str | None = None) -> st.SearchStrategy[AnyPolicy]:
    """An ``ImportPolicy`` with the same guarantees as ``export_policies``."""
    return _policy(ImportPolicy, refs, id)


def policies(refs: Refs = _DEFAULT, id: str | None = None) -> st.SearchStrategy[AnyPolicy]:
    """An export or import policy (see ``export_policies``)."""
    return st.one_of(export_policies(refs, id), import_policies(refs, id))


def _in_regime_of(model: AnyPolicy, policy: AnyPolicy) -> AnyPolicy:
    """``policy`` moved to ``model``'s side and issuer (its regime)."""
    fields = {a.name: getattr(policy, a.name) for a in attrs.fields(type(policy))}
    return type(model)(**{**fields, "issuer": model.issuer})


@st.composite
def new_policies(draw: st.DrawFn, world: World, near: AccessRequest | None = None) -> AnyPolicy:
    """A policy that ``add_policy(world, ...)`` accepts: a fresh id, references to the world's
    ids only, and no ``supersedes`` (the premise of the monotonicity law).

    With ``near`` (a request the world accepts) the policy is made to meet it: in force on its
    date; issued by a state of its route or of the item's jurisdictions, or, half the time,
    in the regime (side and issuer) of a policy that determines its decision; and half the
    time covering every request (``All()``)."""
    taken = world.ids("policy")
    fresh = next(f"p{i}" for i in range(1, len(taken) + 2) if f"p{i}" not in taken)
    policy = draw(policies(attrs.evolve(Refs.of(world), policies=()), fresh))
    if near is None:
        return policy
    item = world.item(near.item)
    _, route = resolve_route(world, near, world.company(near.buyer), item)
    since = tuple(d for d in DATES if d <= near.on) or (near.on,)
    until = tuple(d for d in DATES if d > near.on)
    everything: bool = draw(st.booleans())
    policy = attrs.evolve(
        policy,
        criterion=c.All() if everything else policy.criterion,
        issuer=draw(_pool(tuple(sorted({*route, *world.jurisdictions(item)})))),
        effective=draw(_pool(since)),
        expires=draw(_optional(_pool(until))) if until else None,
        announced=None,
    )
    deciders = tuple(world.policy(p) for p in evaluate(world, near).determining_policies)
    regime: bool = draw(st.booleans())
    return _in_regime_of(draw(_pool(deciders)), policy) if deciders and regime else policy


# ---------------------------------------------------------------------------------------------
# Worlds and requests


def _ids(records: Sequence[Any]) -> tuple[str, ...]:
    return tuple(r.id for r in records)


@st.composite
def _class_versions(draw: st.DrawFn, refs: Refs, max_classes: int) -> list[ControlClass]:
    """Classes with ids k1, k2...; the versions of one (issuer, code) follow each other."""
    pairs = draw(
        st.lists(
            st.tuples(_pool(refs.states), _pool(_CODES)),
            max_size=max_classes,
            unique_by=lambda pair: pair[1],  # a class code belongs to one issuer
        )
    )
    out: list[ControlClass] = []
    for issuer, code in pairs:
        versions = draw(_count(1, 2))
        bounds = sorted(draw(st.lists(_pool(DATES), min_size=versions, unique=True)))
        later = tuple(d for d in DATES if d > bounds[-1])
        ends = [*bounds[1:versions], draw(_optional(_pool(later))) if later else None]
        for i in range(versions):
            drawn = draw(control_classes(refs))
            out.append(
                attrs.evolve(
                    drawn,
                    id=f"k{len(out) + 1}",
                    issuer=issuer,
                    code=code,
                    effective=bounds[i],
                    expires=ends[i],
                )
            )
    return out


@st.composite
def _supply(draw: st.DrawFn, refs: Refs) -> tuple[list[SupplyShare], list[Dependency]]:
    """Per material up to two states' shares at one stage and date (at most 1/2 each, so the
    total stays <= 1); distinct (item, material) dependencies."""
    shares: list[SupplyShare] = []
    for material in refs.materials:
        first = draw(supply_shares(refs, material))
        others = tuple(s for s in refs.states if s != first.state)
        shares.append(first)
        twice: bool = draw(st.booleans())
        if others and twice:
            second = attrs.evolve(first, state=draw(_pool(others)), share=draw(_pool(_SHARES)))
            shares.append(second)
    pairs = draw(
        st.lists(st.tuples(_pool(refs.items), _pool(refs.materials)), max_size=2, unique=True)
        if refs.materials
        else st.just([])
    )
    needs = [Dependency(item=i, material=m, assumption=draw(st.booleans())) for i, m in pairs]
    return shares, needs


def _maker_states(
    firms: Sequence[Company], chip_records: Sequence[Chip], model_records: Sequence[Model]
) -> set[str]:
    hq = {f.id: f.hq for f in firms}
    return {
        *(hq[x.designer] for x in chip_records),
        *(hq[x.developer] for x in model_records),
        *(s for x in chip_records for s in x.jurisdictions),
        *(s for x in model_records for s in x.jurisdictions),
    }


@st.composite
def worlds(
    draw: st.DrawFn,
    *,
    max_companies: int = 4,
    max_items: int = 4,
    max_classes: int = 3,
    max_policies: int = 8,
) -> World:
    """A valid ``World``: 2-4 states; 0-2 groups and 0-2 party lists; 1..``max_companies``
    companies whose parents are earlier companies (no cycles); 1..``max_items`` items, at
    least one a chip; up to ``max_classes`` (issuer, code) pairs, each with one or two
    successive (never overlapping) versions; supply shares and dependencies of its materials;
    and up to ``max_policies`` policies whose criteria name only ids the world holds and which
    supersede only earlier policies (no cycles); at least one policy unless ``max_policies`` is
    0."""
    refs = attrs.evolve(
        _NOTHING,
        states=tuple(
            sorted(draw(st.lists(_pool(tuple(STATES)), min_size=2, max_size=3, unique=True)))
        ),
    )
    state_records = [draw(states(s)) for s in refs.states]
    groups = [draw(country_groups(refs, f"g{i}")) for i in range(1, draw(_count(0, 2)) + 1)]
    refs = attrs.evolve(refs, groups=_ids(groups))
    firms: list[Company] = []
    for i in range(1, draw(_count(1, max_companies)) + 1):
        firms.append(draw(companies(attrs.evolve(refs, companies=_ids(firms)), f"c{i}")))
    refs = attrs.evolve(refs, companies=_ids(firms))
    lists = [draw(party_lists(refs, f"l{i}")) for i in range(1, draw(_count(0, 2)) + 1)]
    refs = attrs.evolve(refs, lists=_ids(lists))

    n_items = draw(_count(1, max_items))
    n_chips = draw(_count(1, n_items))
    n_models = draw(_count(0, n_items - n_chips))
    chip_records = [draw(chips(refs, f"chip{i}")) for i in range(1, n_chips + 1)]
    refs = attrs.evolve(refs, chips=_ids(chip_records))
    model_records = [draw(models(refs, f"model{i}")) for i in range(1, n_models + 1)]
    material_records = [
        draw(materials(refs, f"mat{i}")) for i in range(1, n_items - n_chips - n_models + 1)
    ]
    refs = attrs.evolve(
        refs,
        items=_ids([*chip_records, *model_records, *material_records]),
        materials=_ids(material_records),
    )
    shares, needs = draw(_supply(refs))

    classes = draw(_class_versions(refs, max_classes))
    refs = attrs.evolve(refs, codes=tuple(sorted({k.code for k in classes})))
    # Export controls reach an item from its makers' states: issue half the export policies
    # there, so that policies are in scope often enough to meet each other.
    makers = tuple(sorted(_maker_states(firms, chip_records, model_records)))
    rules: list[AnyPolicy] = []
    for i in range(1, draw(_count(min(1, max_policies), max_policies)) + 1):
        rule = draw(policies(attrs.evolve(refs, policies=_ids(rules)), f"p{i}"))
        if rule.supersedes:
            # Lex specialis: a policy sets aside others of its own regime (side and issuer).
            target = next(r for r in rules if r.id in rule.supersedes)
            peers = {r.id for r in rules if (r.side, r.issuer) == (target.side, target.issuer)}
            rule = attrs.evolve(_in_regime_of(target, rule), supersedes=rule.supersedes & peers)
        elif isinstance(rule, ExportPolicy) and draw(st.booleans()):
            rule = attrs.evolve(rule, issuer=draw(_pool(makers)))
        rules.append(rule)
    return World(
        states=state_records,
        groups=groups,
        companies=firms,
        party_lists=lists,
        chips=chip_records,
        models=model_records,
        materials=material_records,
        classes=classes,
        policies=rules,
        supply_shares=shares,
        dependencies=needs,
    )


@st.composite
def _route(draw: st.DrawFn, pool: tuple[str, ...]) -> tuple[str, ...]:
    """A route of 2 (half the time), 3 or 1 states of ``pool``, no state following itself."""
    route = [draw(_pool(pool))]
    for _ in range(draw(_pool((1, 1, 2, 0)))):
        others = tuple(s for s in pool if s != route[-1])
        if others:
            route.append(draw(_pool(others)))
    return tuple(route)


@st.composite
def access_requests(draw: st.DrawFn, refs: Refs = _DEFAULT) -> AccessRequest:
    """An ``AccessRequest`` naming ids of ``refs``: a route (2 times in 3) with no state
    following itself and the destination, if given, at its end; otherwise maybe a destination.
    Whether it evaluates depends on the world: see ``requests``."""
    route = draw(st.one_of(_route(refs.states), _route(refs.states), st.none()))
    if route is None:
        destination = draw(_optional(_pool(refs.states)))
    else:
        destination = draw(_pool((None, route[-1])))
    return AccessRequest(
        buyer=draw(_pool(refs.companies)),
        item=draw(_pool(refs.items)),
        on=draw(dates()),
        destination=destination,
        route=route,
        quantity=draw(_optional(_pool((1, 100, 8, 50_000)))),
        end_use=draw(_optional(_pool(_END_USES))),
    )


@st.composite
def requests(draw: st.DrawFn, world: World) -> AccessRequest:
    """An ``AccessRequest`` that ``evaluate(world, ...)`` accepts: buyer, item and states of
    the world; an explicit route whenever the item has no single origin. Half the time the
    date is one on which a policy, class, listing or membership starts or ends, or the day
    before (where off-by-one mistakes would show)."""
    request = draw(access_requests(Refs.of(world)))
    if request.route is None and origin(world, world.item(request.item)) is None:
        route = draw(_route(tuple(s.id for s in world.states)))
        request = attrs.evolve(request, route=route, destination=route[-1])
    edges = _boundaries(world)
    on_edge: bool = draw(st.booleans())
    if edges and on_edge:
        request = attrs.evolve(request, on=draw(_pool(edges)))
    return request


def _boundaries(world: World) -> tuple[dt.date, ...]:
    """Every date on which something in ``world`` starts or ends, and the day before each."""
    periods: list[tuple[dt.date | None, dt.date | None]] = [
        *((p.effective, p.expires) for p in (*world.policies, *world.classes)),
        *((x.start, x.end) for pl in world.party_lists for x in pl.listings),
        *((m.start, m.end) for g in world.groups for m in g.members),
    ]
    edges = {d for period in periods for d in period if d is not None}
    return tuple(sorted(edges | {d - dt.timedelta(days=1) for d in edges}))


@st.composite
def completions(
    draw: st.DrawFn, world: World, request: AccessRequest
) -> tuple[World, AccessRequest]:
    """``(world, request)`` with some or all unknown facts filled in with concrete values:
    unknown chip specs (``None``; an empty throughput table), unknown datacenter flags,
    unknown model figures, an undeclared end use. Every known fact is kept."""
    filled_chips = []
    for chip in world.chips:
        changes: dict[str, Any] = {}
        for name, values in _CHIP_SPECS.items():
            if getattr(chip, name) is None and draw(st.booleans()):
                changes[name] = draw(_known(values))
        if chip.datacenter is None and draw(st.booleans()):
            changes["datacenter"] = draw(st.booleans())
        if not chip.throughput and draw(st.booleans()):
            changes["throughput"] = draw(_throughput_table(min_size=1))
        filled_chips.append(attrs.evolve(chip, **changes))
    filled_models = []
    for model in world.models:
        figures: dict[str, Any] = {
            name: draw(_known(values))
            for name, values in _MODEL_FIGURES.items()
            if getattr(model, name) is None and draw(st.booleans())
        }
        filled_models.append(attrs.evolve(model, **figures))
    if request.end_use is None and draw(st.booleans()):
        request = attrs.evolve(request, end_use=draw(_pool(_END_USES)))
    return attrs.evolve(world, chips=filled_chips, models=filled_models), request


@st.composite
def blurs(draw: st.DrawFn, world: World, request: AccessRequest) -> tuple[World, AccessRequest]:
    """``(world, request)`` with some known facts forgotten: chip specs, datacenter flags and
    throughput tables, model figures, the declared end use. ``(world, request)`` is a
    completion of the result (the converse of ``completions``)."""
    forget = st.booleans()
    blurred_chips = []
    for chip in world.chips:
        names = [*_CHIP_SPECS, "datacenter"]
        changes: dict[str, Any] = {n: None for n in names if draw(forget)}
        if draw(forget):
            changes["throughput"] = ()
        blurred_chips.append(attrs.evolve(chip, **changes))
    blurred_models = []
    for model in world.models:
        figures: dict[str, Any] = {n: None for n in _MODEL_FIGURES if draw(forget)}
        blurred_models.append(attrs.evolve(model, **figures))
    if draw(forget):
        request = attrs.evolve(request, end_use=None)
    return attrs.evolve(world, chips=blurred_chips, models=blurred_models), request
