"""Hypothesis strategies: policies."""

from __future__ import annotations

import functools

import attrs
from hypothesis import strategies as st

from geotech import criteria as c
from geotech.engine import AccessRequest, evaluate, resolve_route
from geotech.entities import (
    Status,
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
from geotech.strategies.base import (
    CODES,
    DATES,
    DEFAULT_REFS,
    FRACTIONS,
    Refs,
    between,
    dated,
    optional,
    pool,
    sources,
    subset,
    texts,
)
from geotech.strategies.criteria import criteria, policy_criteria
from geotech.world import World

# ---------------------------------------------------------------------------------------------
# Policies


def conditions(refs: Refs = DEFAULT_REFS) -> st.SearchStrategy[Condition]:
    """Any condition: a tariff or revenue share with a rate in [0, 1] (a beneficiary, if any,
    from ``refs.states``), a volume cap of units or of a fraction (exactly one of them), or a
    requirement of any kind."""
    return _conditions(refs.states)


@functools.cache
def _conditions(beneficiaries: tuple[str, ...]) -> st.SearchStrategy[Condition]:
    return st.one_of(
        st.builds(Tariff, rate=pool(FRACTIONS), detail=texts("")),
        st.builds(RevenueShare, rate=pool(FRACTIONS), beneficiary=optional(pool(beneficiaries))),
        st.builds(VolumeCap, units=pool((0, 1000, 50_000)), reference=texts("")),
        st.builds(VolumeCap, fraction=pool(FRACTIONS), reference=texts("US sales")),
        st.builds(Requirement, kind=pool(tuple(RequirementKind)), detail=texts("")),
    )


@st.composite
def control_classes(
    draw: st.DrawFn, refs: Refs = DEFAULT_REFS, id: str | None = None
) -> ControlClass:
    """A ``ControlClass`` issued by a state of ``refs.states``, with a code from
    ``refs.codes`` (or a default pool when empty), a valid period, and a criterion that tests
    only the item."""
    effective, expires = draw(dated())
    return ControlClass(
        id=id if id is not None else draw(pool(("k1", "k2", "k3"))),
        issuer=draw(pool(refs.states)),
        code=draw(pool(refs.codes or CODES)),
        title=draw(texts("Advanced computing items")),
        criterion=draw(criteria(refs, items_only=True, max_leaves=3)),
        effective=effective,
        expires=expires,
        citation=draw(texts("15 CFR 774")),
        sources=draw(sources()),
    )


@st.composite
def _policy(draw: st.DrawFn, side: type[AnyPolicy], refs: Refs, id: str | None) -> AnyPolicy:
    key = id if id is not None else draw(pool(("p1", "p2", "p3", "p4")))
    effect = draw(pool(tuple(EffectKind)))
    licensed = effect is EffectKind.LICENSE_REQUIRED
    # Most policies start early in the date pool, so that they are in force on most dates.
    effective = draw(st.one_of(pool(DATES[:4]), pool(DATES)))
    later = tuple(d for d in DATES if d > effective)
    expires = draw(optional(pool(later))) if later else None
    others = tuple(p for p in refs.policies if p != key)
    return side(
        id=key,
        issuer=draw(pool(refs.states)),
        title=draw(texts(f"Rule {key}")),
        criterion=draw(policy_criteria(refs)),
        effect=effect,
        review=draw(pool(tuple(ReviewPolicy))) if licensed else None,
        conditions=[draw(conditions(refs)) for _ in range(draw(between(0, 2)))],
        effective=effective,
        expires=expires,
        announced=draw(optional(pool(tuple(d for d in DATES if d <= effective)))),
        supersedes=draw(subset(others, max_size=2)),
        status=draw(pool(tuple(Status))),
        citation=draw(texts("")),
        sources=draw(sources()),
    )


def export_policies(
    refs: Refs = DEFAULT_REFS, id: str | None = None
) -> st.SearchStrategy[AnyPolicy]:
    """An ``ExportPolicy`` issued by a state of ``refs.states``: any effect, with a review
    policy exactly when a license is required; a valid period; a criterion over ``refs``; 0-2
    conditions; supersedes drawn from ``refs.policies``, never itself."""
    return _policy(ExportPolicy, refs, id)


def import_policies(
    refs: Refs = DEFAULT_REFS, id: str | None = None
) -> st.SearchStrategy[AnyPolicy]:
    """An ``ImportPolicy`` with the same guarantees as ``export_policies``."""
    return _policy(ImportPolicy, refs, id)


def policies(refs: Refs = DEFAULT_REFS, id: str | None = None) -> st.SearchStrategy[AnyPolicy]:
    """An export or import policy (see ``export_policies``)."""
    return st.one_of(export_policies(refs, id), import_policies(refs, id))


def in_regime_of(model: AnyPolicy, policy: AnyPolicy) -> AnyPolicy:
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
        issuer=draw(pool(tuple(sorted({*route, *world.jurisdictions(item)})))),
        effective=draw(pool(since)),
        expires=draw(optional(pool(until))) if until else None,
        announced=None,
    )
    deciders = tuple(world.policy(p) for p in evaluate(world, near).determining_policies)
    regime: bool = draw(st.booleans())
    return in_regime_of(draw(pool(deciders)), policy) if deciders and regime else policy
