"""Reforms: named, chainable ``World -> World`` values (rescind or add a policy, authorize or
de-authorize an importer, change a threshold, list or delist a company)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import attrs
from attrs import frozen

from geotech import criteria as c
from geotech import world as gw
from geotech.criteria import Criterion, Op, SpecName
from geotech.entities import member
from geotech.errors import InvalidValueError
from geotech.policies import (
    AnyPolicy,
    EffectKind,
)
from geotech.world import World

Transform = Callable[[World], World]


def _steps(values: Iterable[Transform]) -> tuple[Transform, ...]:
    return tuple(values)


@frozen
class Reform:
    """A named what-if: a pure ``World -> World`` change. ``a.then(b)`` applies ``a``, then
    ``b``; calling a reform on a world applies it (and validates the result)."""

    name: str
    steps: tuple[Transform, ...] = attrs.field(converter=_steps)

    def __call__(self, world: World) -> World:
        for step in self.steps:
            world = step(world)
        return world

    def then(self, other: Reform) -> Reform:
        return Reform(name=f"{self.name}; then {other.name}", steps=(*self.steps, *other.steps))


def rescind(policy_id: str, on: dt.date | None = None, *, name: str | None = None) -> Reform:
    """Remove a policy (other policies stop naming it in ``supersedes``); with ``on``, end it
    on that date instead (removed outright when it would not yet be in force)."""

    def change(world: World) -> World:
        policy = world.policy(policy_id)
        if on is None or on <= policy.effective:
            return gw.remove_policy(world, policy_id)
        if policy.expires is not None and policy.expires <= on:
            return world
        return gw.amend_policy(world, policy_id, expires=on)

    when = f" from {on.isoformat()}" if on is not None else ""
    return Reform(name=name or f"rescind {policy_id}{when}", steps=(change,))


def add_policy(policy: AnyPolicy, *, name: str | None = None) -> Reform:
    """Add a policy (its id must be new)."""

    def change(world: World) -> World:
        return gw.add_policy(world, policy)

    return Reform(name=name or f"add {policy.id}", steps=(change,))


def _rewrite(
    criterion: Criterion, fn: Callable[[Criterion, bool], Criterion], positive: bool = True
) -> Criterion:
    """The criterion with ``fn(node, positive)`` applied to every leaf; ``positive`` is False
    under an odd number of ``not``."""
    if isinstance(criterion, c.All | c.AnyOf):
        parts = tuple(_rewrite(x, fn, positive) for x in criterion.of)
        return attrs.evolve(criterion, of=parts)
    if isinstance(criterion, c.Not):
        return c.Not(_rewrite(criterion.of, fn, not positive))
    return fn(criterion, positive)


def _authorization(
    world: World, policy_id: str, buyers: Iterable[str], verb: str
) -> tuple[AnyPolicy, list[c.BuyerIs]]:
    """The allow policy and its ``buyer_is`` tests (those outside a ``not``)."""
    policy = world.policy(policy_id)
    for b in buyers:
        world.company(b)
    if policy.effect is not EffectKind.ALLOW:
        raise InvalidValueError(
            f"{verb}: policy {policy_id!r} has effect {policy.effect}, not allow; only an "
            "authorization (an allow naming buyers) can name more or fewer buyers"
        )
    tests = [n for n, pos in _leaves(policy.criterion) if pos and isinstance(n, c.BuyerIs)]
    if not tests:
        raise InvalidValueError(
            f"{verb}: policy {policy_id!r} has no buyer_is test outside a 'not'; add a new "
            "ImportPolicy naming the buyers with add_policy instead"
        )
    return policy, tests


def _leaves(criterion: Criterion, positive: bool = True) -> Iterable[tuple[Criterion, bool]]:
    if isinstance(criterion, c.All | c.AnyOf):
        for x in criterion.of:
            yield from _leaves(x, positive)
    elif isinstance(criterion, c.Not):
        yield from _leaves(criterion.of, not positive)
    else:
        yield criterion, positive


def _with_buyers(
    criterion: Criterion, edit: Callable[[frozenset[str]], frozenset[str]]
) -> Criterion:
    def fn(node: Criterion, positive: bool) -> Criterion:
        if positive and isinstance(node, c.BuyerIs):
            return attrs.evolve(node, ids=edit(node.ids))
        return node

    return _rewrite(criterion, fn)


def authorize(policy_id: str, *buyers: str, name: str | None = None) -> Reform:
    """Name more buyers in an authorization (an allow policy, typically import side, whose
    criterion tests ``buyer_is``)."""
    who = tuple(buyers)

    def change(world: World) -> World:
        policy, _ = _authorization(world, policy_id, who, "authorize")
        criterion = _with_buyers(policy.criterion, lambda ids: ids | set(who))
        return gw.replace_policy(world, attrs.evolve(policy, criterion=criterion))

    return Reform(name=name or f"authorize {', '.join(who)} under {policy_id}", steps=(change,))


def deauthorize(policy_id: str, *buyers: str, name: str | None = None) -> Reform:
    """Remove buyers from an authorization; when it names nobody any more, it is rescinded.
    Raises ``InvalidValueError`` when a buyer is not named by the policy."""
    who = frozenset(buyers)

    def change(world: World) -> World:
        policy, tests = _authorization(world, policy_id, sorted(who), "deauthorize")
        named = frozenset().union(*(n.ids for n in tests))
        missing = sorted(who - named)
        if missing:
            raise InvalidValueError(
                f"deauthorize: policy {policy_id!r} does not name {missing}; it names "
                f"{sorted(named)}"
            )
        if all(n.ids <= who for n in tests):
            return gw.remove_policy(world, policy_id)
        criterion = _with_buyers(policy.criterion, lambda ids: ids - who)
        return gw.replace_policy(world, attrs.evolve(policy, criterion=criterion))

    return Reform(
        name=name or f"deauthorize {', '.join(sorted(who))} under {policy_id}", steps=(change,)
    )


def change_threshold(
    policy_id: str,
    fact: SpecName | str,
    value: float,
    *,
    op: Op | str | None = None,
    name: str | None = None,
) -> Reform:
    """Set the threshold of the policy's ``spec`` tests on ``fact`` (those with ``op`` when
    given) to ``value``. Raises ``InvalidValueError`` when no test matches, or when tests with
    different operators match and ``op`` does not say which."""
    on_fact = member(SpecName, fact, "change_threshold.fact")
    with_op = None if op is None else member(Op, op, "change_threshold.op")

    def change(world: World) -> World:
        policy = world.policy(policy_id)
        specs = [n for n in c.walk(policy.criterion) if isinstance(n, c.Spec)]
        hits = [n for n in specs if n.fact is on_fact and (with_op is None or n.op is with_op)]
        if not hits:
            tests = ", ".join(f"{n.fact} {n.op} {c.fmt(n.value)}" for n in specs) or "none"
            raise InvalidValueError(
                f"change_threshold: policy {policy_id!r} has no spec test on {on_fact}"
                f"{'' if with_op is None else f' with {with_op}'}; its spec tests: {tests}"
            )
        ops = sorted({str(n.op) for n in hits})
        if len(ops) > 1:
            raise InvalidValueError(
                f"change_threshold: policy {policy_id!r} tests {on_fact} with {ops}; pass op= "
                "to say which threshold to change"
            )

        def fn(node: Criterion, positive: bool) -> Criterion:
            if isinstance(node, c.Spec) and node in hits:
                return attrs.evolve(node, value=value)
            return node

        criterion = _rewrite(policy.criterion, fn)
        return gw.replace_policy(world, attrs.evolve(policy, criterion=criterion))

    default = f"set {on_fact}{'' if with_op is None else f' {with_op}'} threshold of {policy_id} "
    return Reform(name=name or default + f"to {c.fmt(float(value))}", steps=(change,))


def list_company(
    party_list: str,
    company: str,
    start: dt.date,
    *,
    end: dt.date | None = None,
    name: str | None = None,
) -> Reform:
    """Put ``company`` on ``party_list`` from ``start`` (until ``end``)."""

    def change(world: World) -> World:
        return gw.list_company(world, party_list, company, start, end=end)

    return Reform(
        name=name or f"list {company} on {party_list} from {start.isoformat()}", steps=(change,)
    )


def delist_company(
    party_list: str, company: str, on: dt.date, *, name: str | None = None
) -> Reform:
    """End every listing of ``company`` on ``party_list`` by ``on``."""

    def change(world: World) -> World:
        return gw.delist_company(world, party_list, company, on)

    return Reform(
        name=name or f"delist {company} from {party_list} on {on.isoformat()}", steps=(change,)
    )
