"""Hypothesis strategies: worlds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from geotech.criteria import days
from geotech.engine import AccessRequest, origin
from geotech.entities import (
    Chip,
    Company,
    Dependency,
    Equipment,
    Model,
    SupplyShare,
)
from geotech.policies import (
    AnyPolicy,
    ControlClass,
    ExportPolicy,
)
from geotech.strategies.base import (
    CHIP_SPECS,
    CODES,
    DATES,
    DEFAULT_REFS,
    END_USES,
    MODEL_FIGURES,
    NO_REFS,
    SHARES,
    STATES,
    Refs,
    between,
    dates,
    optional,
    pool,
)
from geotech.strategies.entities import (
    chips,
    companies,
    country_groups,
    equipment,
    known,
    materials,
    models,
    party_lists,
    states,
    supply_shares,
    throughput_table,
)
from geotech.strategies.policies import control_classes, in_regime_of, policies
from geotech.world import World

# ---------------------------------------------------------------------------------------------
# Worlds and requests


def _ids(records: Sequence[Any]) -> tuple[str, ...]:
    return tuple(r.id for r in records)


@st.composite
def _class_versions(draw: st.DrawFn, refs: Refs, max_classes: int) -> list[ControlClass]:
    """Classes with ids k1, k2...; the versions of one (issuer, code) follow each other."""
    pairs = draw(
        st.lists(
            st.tuples(pool(refs.states), pool(CODES)),
            max_size=max_classes,
            unique_by=lambda pair: pair[1],  # a class code belongs to one issuer
        )
    )
    out: list[ControlClass] = []
    for issuer, code in pairs:
        versions = draw(between(1, 2))
        bounds = sorted(draw(st.lists(pool(DATES), min_size=versions, unique=True)))
        later = tuple(d for d in DATES if d > bounds[-1])
        ends = [*bounds[1:versions], draw(optional(pool(later))) if later else None]
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
    """Per input (material or equipment) up to two states' shares at one stage and date (at
    most 1/2 each, so the total stays <= 1); distinct (item, input) dependencies."""
    shares: list[SupplyShare] = []
    for material in refs.materials:
        first = draw(supply_shares(refs, material))
        others = tuple(s for s in refs.states if s != first.state)
        shares.append(first)
        twice: bool = draw(st.booleans())
        if others and twice:
            second = attrs.evolve(first, state=draw(pool(others)), share=draw(pool(SHARES)))
            shares.append(second)
    pairs = draw(
        st.lists(st.tuples(pool(refs.items), pool(refs.materials)), max_size=2, unique=True)
        if refs.materials
        else st.just([])
    )
    needs = [Dependency(item=i, material=m, assumption=draw(st.booleans())) for i, m in pairs]
    return shares, needs


def _maker_states(
    firms: Sequence[Company],
    chip_records: Sequence[Chip],
    model_records: Sequence[Model],
    tools: Sequence[Equipment],
) -> set[str]:
    hq = {f.id: f.hq for f in firms}
    return {
        *(hq[x.designer] for x in chip_records),
        *(hq[x.developer] for x in model_records),
        *(hq[x.producer] for x in tools if x.producer is not None),
        *(s for x in chip_records for s in x.jurisdictions),
        *(s for x in model_records for s in x.jurisdictions),
        *(s for x in tools for s in x.jurisdictions),
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
    companies whose owners are earlier companies (no cycles); 1..``max_items`` items, at
    least one a chip; up to ``max_classes`` (issuer, code) pairs, each with one or two
    successive (never overlapping) versions; supply shares and dependencies of its materials
    and equipment;
    and up to ``max_policies`` policies whose criteria name only ids the world holds and which
    supersede only earlier policies (no cycles); at least one policy unless ``max_policies`` is
    0."""
    refs = attrs.evolve(
        NO_REFS,
        states=tuple(
            sorted(draw(st.lists(pool(tuple(STATES)), min_size=2, max_size=3, unique=True)))
        ),
    )
    state_records = [draw(states(s)) for s in refs.states]
    groups = [draw(country_groups(refs, f"g{i}")) for i in range(1, draw(between(0, 2)) + 1)]
    refs = attrs.evolve(refs, groups=_ids(groups))
    firms: list[Company] = []
    for i in range(1, draw(between(1, max_companies)) + 1):
        firms.append(draw(companies(attrs.evolve(refs, companies=_ids(firms)), f"c{i}")))
    refs = attrs.evolve(refs, companies=_ids(firms))
    lists = [draw(party_lists(refs, f"l{i}")) for i in range(1, draw(between(0, 2)) + 1)]
    refs = attrs.evolve(refs, lists=_ids(lists))

    n_items = draw(between(1, max_items))
    n_chips = draw(between(1, n_items))
    n_models = draw(between(0, n_items - n_chips))
    chip_records = [draw(chips(refs, f"chip{i}")) for i in range(1, n_chips + 1)]
    refs = attrs.evolve(refs, chips=_ids(chip_records))
    model_records = [draw(models(refs, f"model{i}")) for i in range(1, n_models + 1)]
    n_tools = draw(between(0, n_items - n_chips - n_models))
    tool_records = [draw(equipment(refs, f"tool{i}")) for i in range(1, n_tools + 1)]
    material_records = [
        draw(materials(refs, f"mat{i}"))
        for i in range(1, n_items - n_chips - n_models - n_tools + 1)
    ]
    refs = attrs.evolve(
        refs,
        items=_ids([*chip_records, *model_records, *material_records, *tool_records]),
        materials=_ids([*material_records, *tool_records]),
    )
    shares, needs = draw(_supply(refs))

    classes = draw(_class_versions(refs, max_classes))
    refs = attrs.evolve(refs, codes=tuple(sorted({k.code for k in classes})))
    # Export controls reach an item from its makers' states: issue half the export policies
    # there, so that policies are in scope often enough to meet each other.
    makers = tuple(sorted(_maker_states(firms, chip_records, model_records, tool_records)))
    rules: list[AnyPolicy] = []
    for i in range(1, draw(between(min(1, max_policies), max_policies)) + 1):
        rule = draw(policies(attrs.evolve(refs, policies=_ids(rules)), f"p{i}"))
        if rule.supersedes:
            # Lex specialis: a policy sets aside others of its own regime (side and issuer).
            target = next(r for r in rules if r.id in rule.supersedes)
            peers = {r.id for r in rules if (r.side, r.issuer) == (target.side, target.issuer)}
            rule = attrs.evolve(in_regime_of(target, rule), supersedes=rule.supersedes & peers)
        elif isinstance(rule, ExportPolicy) and draw(st.booleans()):
            rule = attrs.evolve(rule, issuer=draw(pool(makers)))
        rules.append(rule)
    return World(
        states=state_records,
        groups=groups,
        companies=firms,
        party_lists=lists,
        chips=chip_records,
        models=model_records,
        materials=material_records,
        equipment=tool_records,
        classes=classes,
        policies=rules,
        supply_shares=shares,
        dependencies=needs,
    )


@st.composite
def _route(draw: st.DrawFn, places: tuple[str, ...]) -> tuple[str, ...]:
    """A route of 2 (half the time), 3 or 1 states of ``places``, no state following itself."""
    route = [draw(pool(places))]
    for _ in range(draw(pool((1, 1, 2, 0)))):
        others = tuple(s for s in places if s != route[-1])
        if others:
            route.append(draw(pool(others)))
    return tuple(route)


@st.composite
def access_requests(draw: st.DrawFn, refs: Refs = DEFAULT_REFS) -> AccessRequest:
    """An ``AccessRequest`` naming ids of ``refs``: a route (2 times in 3) with no state
    following itself and the destination, if given, at its end; otherwise maybe a destination.
    Whether it evaluates depends on the world: see ``requests``."""
    route = draw(st.one_of(_route(refs.states), _route(refs.states), st.none()))
    if route is None:
        destination = draw(optional(pool(refs.states)))
    else:
        destination = draw(pool((None, route[-1])))
    return AccessRequest(
        buyer=draw(pool(refs.companies)),
        item=draw(pool(refs.items)),
        on=draw(dates()),
        destination=destination,
        route=route,
        quantity=draw(optional(pool((1, 100, 8, 50_000)))),
        end_use=draw(optional(pool(END_USES))),
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
        request = attrs.evolve(request, on=draw(pool(edges)))
    return request


def _boundaries(world: World) -> tuple[dt.date, ...]:
    """Every date on which something in ``world`` starts or ends, and the day before each
    (none before ``date.min``)."""
    periods: list[tuple[dt.date | None, dt.date | None]] = [
        *((p.effective, p.expires) for p in (*world.policies, *world.classes)),
        *((x.start, x.end) for pl in world.party_lists for x in pl.listings),
        *((m.start, m.end) for g in world.groups for m in g.members),
    ]
    edges = {d for period in periods for d in period if d is not None}
    edges |= {d for r in (*world.policies, *world.classes) for d in days(r.criterion)}
    before = {d - dt.timedelta(days=1) for d in edges if d > dt.date.min}
    return tuple(sorted(edges | before))


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
        for name, values in CHIP_SPECS.items():
            if getattr(chip, name) is None and draw(st.booleans()):
                changes[name] = draw(known(values))
        if chip.datacenter is None and draw(st.booleans()):
            changes["datacenter"] = draw(st.booleans())
        if not chip.throughput and draw(st.booleans()):
            changes["throughput"] = draw(throughput_table(min_size=1))
        filled_chips.append(attrs.evolve(chip, **changes))
    filled_models = []
    for model in world.models:
        figures: dict[str, Any] = {
            name: draw(known(values))
            for name, values in MODEL_FIGURES.items()
            if getattr(model, name) is None and draw(st.booleans())
        }
        filled_models.append(attrs.evolve(model, **figures))
    if request.end_use is None and draw(st.booleans()):
        request = attrs.evolve(request, end_use=draw(pool(END_USES)))
    return attrs.evolve(world, chips=filled_chips, models=filled_models), request


@st.composite
def blurs(draw: st.DrawFn, world: World, request: AccessRequest) -> tuple[World, AccessRequest]:
    """``(world, request)`` with some known facts forgotten: chip specs, datacenter flags and
    throughput tables, model figures, the declared end use. ``(world, request)`` is a
    completion of the result (the converse of ``completions``)."""
    forget = st.booleans()
    blurred_chips = []
    for chip in world.chips:
        names = [*CHIP_SPECS, "datacenter"]
        changes: dict[str, Any] = {n: None for n in names if draw(forget)}
        if draw(forget):
            changes["throughput"] = ()
        blurred_chips.append(attrs.evolve(chip, **changes))
    blurred_models = []
    for model in world.models:
        figures: dict[str, Any] = {n: None for n in MODEL_FIGURES if draw(forget)}
        blurred_models.append(attrs.evolve(model, **figures))
    if draw(forget):
        request = attrs.evolve(request, end_use=None)
    return attrs.evolve(world, chips=blurred_chips, models=blurred_models), request
