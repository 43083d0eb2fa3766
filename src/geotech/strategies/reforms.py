"""Hypothesis strategies for reforms: records that apply to a given world.

``steps(world)`` draws one reform (not a chain) whose ``apply(world)`` succeeds;
``reforms(world)`` draws such a reform or a ``Chain`` of them, each step drawn for the world
the previous steps leave. Every drawn record pickles and round-trips through ``geotech.io``.
"""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import strategies as st

from geotech import criteria as c
from geotech.entities import Status
from geotech.policies import EffectKind
from geotech.reforms import (
    AddPolicy,
    Amend,
    Authorize,
    Chain,
    ChangeThreshold,
    Deauthorize,
    DelistCompany,
    ListCompany,
    Reform,
    RemovePolicy,
    ReplacePolicy,
    Rescind,
)
from geotech.strategies import DATES, new_policies
from geotech.world import World

__all__ = ["reforms", "steps"]

_TITLES = st.sampled_from(("amended", "a what-if", "revised rule"))


def _after(day: dt.date) -> st.SearchStrategy[dt.date]:
    """A date of the pool after ``day``, else the day after (``day`` is before ``date.max``)."""
    later = [d for d in DATES if d > day]
    return st.sampled_from(later) if later else st.just(day + dt.timedelta(days=1))


@st.composite
def _policy_changes(draw: st.DrawFn, world: World) -> Reform:
    policy = draw(st.sampled_from(world.policies))
    kind = draw(st.sampled_from(("remove", "rescind", "amend", "expire", "replace")))
    if kind == "remove":
        return RemovePolicy(policy.id)
    if kind == "rescind":
        return Rescind(policy.id, draw(st.none() | st.sampled_from(DATES)))
    if kind == "amend":
        return Amend(
            policy.id,
            title=draw(_TITLES),
            status=draw(st.none() | st.sampled_from(list(Status))),
        )
    if kind == "expire" and policy.effective < dt.date.max:
        if policy.expires is not None and draw(st.booleans()):
            return Amend(policy.id, clear={"expires"})
        return Amend(policy.id, expires=draw(_after(policy.effective)))
    return ReplacePolicy(attrs.evolve(policy, title=draw(_TITLES), citation="what-if"))


@st.composite
def _thresholds(draw: st.DrawFn, world: World) -> Reform:
    tested = [
        (p.id, n) for p in world.policies for n in c.walk(p.criterion) if isinstance(n, c.Spec)
    ]
    policy, spec = draw(st.sampled_from(tested))
    value = draw(st.integers(0, 30_000))
    return ChangeThreshold(policy, spec.fact, value, spec.op)


def _authorizations(world: World) -> list[tuple[str, frozenset[str]]]:
    """Allow policies with ``buyer_is`` tests outside a ``not``, and the buyers they name."""
    out = []
    for p in world.policies:
        if p.effect is not EffectKind.ALLOW:
            continue
        named = [
            n
            for n in c.walk(p.criterion)
            if isinstance(n, c.BuyerIs) and not _negated(p.criterion, n)
        ]
        if named:
            out.append((p.id, frozenset().union(*(n.ids for n in named))))
    return out


def _negated(criterion: c.Criterion, node: c.Criterion) -> bool:
    """Whether ``node`` occurs under a ``not`` in ``criterion``."""
    return any(node in set(c.walk(x.of)) for x in c.walk(criterion) if isinstance(x, c.Not))


@st.composite
def _buyer_changes(draw: st.DrawFn, world: World) -> Reform:
    policy, named = draw(st.sampled_from(_authorizations(world)))
    companies = sorted(world.ids("company"))
    if draw(st.booleans()):
        return Authorize(policy, draw(st.lists(st.sampled_from(companies), min_size=1)))
    return Deauthorize(policy, draw(st.lists(st.sampled_from(sorted(named)), min_size=1)))


@st.composite
def _listings(draw: st.DrawFn, world: World) -> Reform:
    party_list = draw(st.sampled_from(world.party_lists))
    on_it = sorted({x.company for x in party_list.listings})
    free = sorted(world.ids("company") - set(on_it))
    if on_it and (not free or draw(st.booleans())):
        return DelistCompany(
            party_list.id, draw(st.sampled_from(on_it)), draw(st.sampled_from(DATES))
        )
    start = draw(st.sampled_from(DATES))
    end = draw(st.none() | _after(start))
    return ListCompany(party_list.id, draw(st.sampled_from(free)), start, end)


def steps(world: World) -> st.SearchStrategy[Reform]:
    """One reform, not a chain, that applies to ``world``."""
    options: list[st.SearchStrategy[Reform]] = [st.builds(AddPolicy, new_policies(world))]
    if world.policies:
        options.append(_policy_changes(world))
    if any(isinstance(n, c.Spec) for p in world.policies for n in c.walk(p.criterion)):
        options.append(_thresholds(world))
    if _authorizations(world) and world.companies:
        options.append(_buyer_changes(world))
    if world.party_lists and world.companies:
        options.append(_listings(world))
    return st.one_of(options)


@st.composite
def reforms(draw: st.DrawFn, world: World, max_steps: int = 3) -> Reform:
    """A reform that applies to ``world``: one step, or (half the time) a ``Chain`` of two to
    ``max_steps`` steps, each drawn for the world the previous steps leave."""
    if max_steps < 2 or draw(st.booleans()):
        return draw(steps(world))
    drawn: list[Reform] = []
    for _ in range(draw(st.integers(2, max_steps))):
        step = draw(steps(world))
        world = step.apply(world)
        drawn.append(step)
    return Chain(drawn)
