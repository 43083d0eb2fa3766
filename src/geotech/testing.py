"""The laws of geotech as plain checks, for any suite to call with its own worlds and requests.

Each ``check_*`` function evaluates what its law needs and raises ``AssertionError`` with a
message naming the law, the request and what differed (explicitly, so ``python -O`` does not
disable it); it returns ``None`` when the law holds. A check raises ``ValueError`` when called
outside the law's premise (for example ``check_monotone_add`` with a policy that supersedes
others). ``docs/laws.md`` states the laws; ``geotech.strategies`` draws worlds and requests to
feed them. The checks need nothing beyond geotech itself (no Hypothesis, no files).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from geotech import io
from geotech.criteria import Truth
from geotech.engine import AccessRequest, Decision, Outcome, evaluate, evaluate_many
from geotech.policies import AnyPolicy, Condition, Restriction, Verdict
from geotech.reforms import AddPolicy, RemovePolicy, ReplacePolicy
from geotech.world import World

__all__ = [
    "Permutation",
    "check_batch",
    "check_deterministic",
    "check_max_composition",
    "check_monotone_add",
    "check_monotone_remove",
    "check_no_policy_in_force",
    "check_order_independent",
    "check_out_of_dates",
    "check_roundtrip",
    "check_sound",
    "check_world_roundtrip",
    "completion_problems",
]

#: Reorders a collection (a permutation: same elements, any order).
Permutation = Callable[[Sequence[Any]], Sequence[Any]]
_OPEN = Restriction.ALLOWED


def _show(decision: Decision) -> str:
    by = ", ".join(decision.determining_policies) or "no policy"
    return f"{decision.restriction} (determined by {by})"


def _fresh(world: World) -> World:
    """An equal world built anew: nothing a previous evaluation cached is shared."""
    return attrs.evolve(world)


def _same(expected: Decision, got: Decision) -> bool:
    return expected == got and expected.explain() == got.explain()


def _difference(expected: Decision, got: Decision) -> str:
    for field in attrs.fields(Decision):
        mine, theirs = getattr(expected, field.name), getattr(got, field.name)
        if field.eq and mine != theirs:
            return f"{field.name} {mine!r} != {theirs!r}"
    return "the explanations differ"


def _union(groups: Iterable[Iterable[Condition]]) -> set[Condition]:
    return {c for g in groups for c in g}


# ---------------------------------------------------------------------------------------------
# Determinism, order, batches


def check_deterministic(world: World, request: AccessRequest) -> None:
    """Determinism and purity: evaluating twice, or on an equal world built anew, gives equal
    decisions (explanations included), and evaluation leaves the world unchanged."""
    before = io.dumps_world(world, "json")
    first = evaluate(world, request)
    second = evaluate(world, request)
    anew = evaluate(_fresh(world), request)
    if not _same(first, second):
        raise AssertionError(
            f"determinism: two evaluations of {request!r} differ: {_difference(first, second)}"
        )
    if not _same(anew, first):
        raise AssertionError(
            f"determinism: {request!r} is decided differently on an equal world built anew "
            f"(a cache changed the answer): {_difference(anew, first)}"
        )
    if io.dumps_world(world, "json") != before:
        raise AssertionError(f"purity: evaluating {request!r} changed the world")


def _reverse(records: Sequence[Any]) -> Sequence[Any]:
    return records[::-1]


def check_order_independent(
    world: World, requests: Iterable[AccessRequest], permute: Permutation = _reverse
) -> None:
    """Order independence: a World built from the same records in another order (``permute``
    applied to every collection: the records, group memberships, listings, throughput tables
    and conditions) equals ``world`` and decides every request the same way."""
    fields = {a.name: permute(getattr(world, a.name)) for a in attrs.fields(World) if a.init}
    fields["groups"] = [attrs.evolve(g, members=permute(g.members)) for g in fields["groups"]]
    fields["party_lists"] = [
        attrs.evolve(p, listings=permute(p.listings)) for p in fields["party_lists"]
    ]
    fields["chips"] = [attrs.evolve(x, throughput=permute(x.throughput)) for x in fields["chips"]]
    fields["policies"] = [
        attrs.evolve(p, conditions=permute(p.conditions)) for p in fields["policies"]
    ]
    shuffled = World(**fields)
    if shuffled != world:
        raise AssertionError(
            "order independence: the same records in another order make a World that differs "
            "from the original (records must be kept in a canonical order)"
        )
    for request in requests:
        expected, got = evaluate(world, request), evaluate(shuffled, request)
        if not _same(expected, got):
            raise AssertionError(
                f"order independence: {request!r} is decided differently once the world's "
                f"records are permuted: {_difference(expected, got)}"
            )


def check_batch(world: World, requests: Sequence[AccessRequest]) -> None:
    """Batch equals one by one: ``evaluate_many(world, requests)`` (given any iterable) equals
    ``[evaluate(world, r) for r in requests]``, explanations included; when ``evaluate``
    rejects a request, ``evaluate_many`` raises the same error."""
    expected: list[Decision] = []
    failure: Exception | None = None
    fresh = _fresh(world)
    for request in requests:
        try:
            expected.append(evaluate(fresh, request))
        except Exception as exc:
            failure = exc
            break
    if failure is not None:
        _check_batch_failure(world, requests, failure)
        return
    got = evaluate_many(world, iter(requests))
    if len(got) != len(expected):
        raise AssertionError(
            f"batch: evaluate_many gave {len(got)} decisions for {len(expected)} requests"
        )
    for i, (one, many) in enumerate(zip(expected, got, strict=True)):
        if not _same(one, many):
            raise AssertionError(
                f"batch: request {i} ({one.request!r}) is decided differently by "
                f"evaluate_many: {_difference(one, many)}"
            )


def _check_batch_failure(
    world: World, requests: Sequence[AccessRequest], failure: Exception
) -> None:
    try:
        evaluate_many(world, iter(requests))
    except Exception as exc:
        if type(exc) is not type(failure) or str(exc) != str(failure):
            raise AssertionError(
                f"batch: evaluate_many raised {exc!r} where evaluate raised {failure!r}"
            ) from exc
        return
    raise AssertionError(f"batch: evaluate raised {failure!r}; evaluate_many did not")


# ---------------------------------------------------------------------------------------------
# The verdict algebra


def check_max_composition(world: World, request: AccessRequest) -> None:
    """Sides compose by max. Per leg and side: the verdict and review are the most restrictive
    among the policies that apply (ALLOWED when none does), the determining policies are the
    applying ones at that level and the conditions their union. Per decision: the verdict and
    review are the most restrictive outcome's, the determining policies those of the outcomes
    at that level, the conditions the union of all outcomes' conditions, and the applying
    policies those that match and are not set aside on some leg and side."""
    decision = evaluate(world, request)
    by_id = {p.id: p for p in world.policies}
    for o in decision.outcomes:
        applying = [by_id[r.policy] for r in o.considered if r.applies]
        key = max((p.restriction for p in applying), default=_OPEN)
        determining = tuple(sorted(p.id for p in applying if p.restriction == key))
        conditions = _union(by_id[p].conditions for p in determining)
        where = f"max composition: {request!r}, leg {o.leg}, {o.side} side"
        if o.restriction != key:
            raise AssertionError(
                f"{where} is {o.restriction}, but its most restrictive applying policy "
                f"gives {key!s}"
            )
        if o.determining_policies != determining:
            raise AssertionError(
                f"{where} names {o.determining_policies} as determining, expected {determining}"
            )
        if set(o.conditions) != conditions:
            raise AssertionError(
                f"{where} has conditions {o.conditions}, expected the union of its determining "
                f"policies' conditions {sorted(conditions, key=str)}"
            )
    top = max((o.restriction for o in decision.outcomes), default=_OPEN)
    where = f"max composition: {request!r}"
    if decision.restriction != top:
        raise AssertionError(
            f"{where} is {_show(decision)}, but its most restrictive outcome is {top!s}"
        )
    determining_ids = {
        p for o in decision.outcomes if o.restriction == top for p in o.determining_policies
    }
    if set(decision.determining_policies) != determining_ids:
        raise AssertionError(
            f"{where} names {decision.determining_policies} as determining, expected "
            f"{sorted(determining_ids)}"
        )
    if set(decision.conditions) != _union(o.conditions for o in decision.outcomes):
        raise AssertionError(
            f"{where} has conditions {decision.conditions}, not the union of its outcomes' "
            "conditions"
        )
    applying_ids = {r.policy for o in decision.outcomes for r in o.considered if r.applies}
    if decision.ruling.applying_policies != tuple(sorted(applying_ids)):
        raise AssertionError(
            f"{where} names {decision.ruling.applying_policies} as applying, expected "
            f"{sorted(applying_ids)}"
        )


def check_no_policy_in_force(world: World, request: AccessRequest) -> None:
    """No policy in force means ALLOWED: without policies every request is ALLOWED, certain,
    unconditional, determined by no policy and with no unknowns; and when none of the world's
    policies is in force on the request's date, the decision is that same one. The world's
    window is set aside (outside it no answer is certain: ``geotech.engine.evaluate``)."""
    world = attrs.evolve(world, coverage=())
    bare = evaluate(attrs.evolve(world, policies=()), request)
    where = f"no policy in force: {request!r}"
    if bare.verdict is not Verdict.ALLOWED or bare.review is not None:
        raise AssertionError(f"{where} is {_show(bare)} in a world without policies")
    if bare.conditions or bare.determining_policies or bare.unknowns or not bare.certain:
        raise AssertionError(
            f"{where} has conditions {bare.conditions}, determining policies "
            f"{bare.determining_policies}, unknowns {bare.unknowns} or certain={bare.certain} "
            "in a world without policies"
        )
    if not any(p.in_force(request.on) for p in world.policies):
        got = evaluate(world, request)
        if not _same(bare, got):
            raise AssertionError(
                f"{where}: no policy is in force on {request.on}, yet the decision differs from "
                f"the one without policies: {_difference(bare, got)}"
            )


def check_out_of_dates(
    world: World, request: AccessRequest, policy_ids: Iterable[str] | None = None
) -> None:
    """A policy outside its dates has no effect: for every policy (or those of ``policy_ids``),
    the decision is the one without that policy whenever the policy is not in force on the
    request's date: as it stands, moved to end exactly on that date, or moved to start the day
    after (periods are half-open, [effective, expires))."""
    on = request.on
    chosen = world.policies if policy_ids is None else [world.policy(i) for i in policy_ids]
    for p in chosen:
        without = evaluate(RemovePolicy(p.id).apply(world), request)
        variants: list[tuple[str, AnyPolicy]] = []
        if not p.in_force(on):
            variants.append((f"in force from {p.effective} to {p.expires}", p))
        if p.effective < on:
            variants.append((f"moved to end on {on}", attrs.evolve(p, expires=on)))
        if on < dt.date.max:
            start = on + dt.timedelta(days=1)
            end = p.expires if p.expires is not None and p.expires > start else None
            moved = attrs.evolve(p, effective=start, expires=end)
            variants.append((f"moved to start on {start}", moved))
        for how, variant in variants:
            got = evaluate(ReplacePolicy(variant).apply(world), request)
            if not _same(without, got):
                raise AssertionError(
                    f"out of dates: policy {p.id} ({how}) changes the decision of {request!r}: "
                    f"{_difference(without, got)}"
                )


def check_monotone_add(world: World, policy: AnyPolicy, requests: Iterable[AccessRequest]) -> None:
    """Monotonicity (adding): adding a policy that supersedes nothing never loosens a verdict
    (compared by verdict, then license review: ``Verdict`` and ``ReviewPolicy`` order)."""
    if policy.supersedes:
        raise ValueError(
            f"check_monotone_add: policy {policy.id} supersedes {sorted(policy.supersedes)}; "
            "the law covers policies that supersede nothing"
        )
    grown = AddPolicy(policy).apply(world)
    for request in requests:
        before, after = evaluate(world, request), evaluate(grown, request)
        if after.restriction < before.restriction:
            raise AssertionError(
                f"monotonicity: adding {policy.id} loosens {request!r} from {_show(before)} to "
                f"{_show(after)}"
            )


def check_monotone_remove(world: World, policy_id: str, requests: Iterable[AccessRequest]) -> None:
    """Monotonicity (removing): removing a policy that supersedes nothing never tightens a
    verdict."""
    policy = world.policy(policy_id)
    if policy.supersedes:
        raise ValueError(
            f"check_monotone_remove: policy {policy_id} supersedes {sorted(policy.supersedes)}; "
            "the law covers policies that supersede nothing"
        )
    shrunk = RemovePolicy(policy_id).apply(world)
    for request in requests:
        before, after = evaluate(world, request), evaluate(shrunk, request)
        if after.restriction > before.restriction:
            raise AssertionError(
                f"monotonicity: removing {policy_id} tightens {request!r} from {_show(before)} "
                f"to {_show(after)}"
            )


# ---------------------------------------------------------------------------------------------
# Serialization


def check_roundtrip(value: Any, cls: Any = None) -> None:
    """Serialization round-trips: ``io.from_data(io.to_data(x, cls), cls) == x`` (``cls``
    names a union such as ``Criterion``, ``Condition`` or ``AnyPolicy`` when needed; by
    default the value's type), also through JSON text, and the copy writes the same JSON."""
    kind = cls if cls is not None else type(value)
    data = io.to_data(value, kind)
    back = io.from_data(data, kind)
    if back != value:
        raise AssertionError(f"round trip: {value!r} comes back as {back!r}")
    text = io.dumps_json(data)
    from_text = io.from_data(json.loads(text), kind)
    if from_text != value:
        raise AssertionError(f"round trip: {value!r} comes back from JSON as {from_text!r}")
    again = io.dumps_json(io.to_data(back, kind))
    if again != text:
        raise AssertionError(f"round trip: {value!r} writes {text!r}, its copy {again!r}")


def check_world_roundtrip(world: World) -> None:
    """Serialization round-trips for worlds: ``world_from_data(world_to_data(w)) == w``;
    ``loads_world(dumps_world(w, f), f) == w`` for JSON and TOML; and dumping the loaded world
    writes the same text (byte-stable)."""
    if io.world_from_data(io.world_to_data(world)) != world:
        raise AssertionError("round trip: world_from_data(world_to_data(w)) != w")
    for fmt in ("json", "toml"):
        text = io.dumps_world(world, fmt)
        back = io.loads_world(text, fmt)
        if back != world:
            raise AssertionError(f"round trip: the world comes back from {fmt} changed")
        again = io.dumps_world(back, fmt)
        if again != text:
            at = next(
                (i for i, (x, y) in enumerate(zip(text, again, strict=False)) if x != y),
                min(len(text), len(again)),
            )
            raise AssertionError(
                f"round trip: {fmt} output is not byte-stable: at character {at}, "
                f"{text[at - 40 : at + 40]!r} is written again as {again[at - 40 : at + 40]!r}"
            )


# ---------------------------------------------------------------------------------------------
# Three-valued soundness


def completion_problems(
    world: World, request: AccessRequest, completed_world: World, completed_request: AccessRequest
) -> list[str]:
    """Why ``(completed_world, completed_request)`` is not a completion of ``(world,
    request)``; empty when it is one. A completion only gives values to unknown facts: ``None``
    fields of chips and models, a chip's empty throughput table, an undeclared end use."""
    problems: list[str] = []
    declared = request.end_use is not None and completed_request.end_use != request.end_use
    if declared or attrs.evolve(completed_request, end_use=request.end_use) != request:
        problems.append("request: only an undeclared end use may be filled in")
    for field in attrs.fields(World):
        if not field.init:
            continue
        mine, theirs = getattr(world, field.name), getattr(completed_world, field.name)
        if field.name not in ("chips", "models"):
            if mine != theirs:
                problems.append(f"{field.name}: changed; only chips and models may be completed")
        elif [r.id for r in mine] != [r.id for r in theirs]:
            problems.append(f"{field.name}: records added or removed")
        else:
            problems += [
                f"{field.name}[{a.id}].{f.name}: known value {getattr(a, f.name)!r} changed"
                for a, b in zip(mine, theirs, strict=True)
                for f in attrs.fields(type(a))
                if getattr(a, f.name) not in (None, (), getattr(b, f.name))
            ]
    return problems


def check_sound(
    world: World, request: AccessRequest, completed_world: World, completed_request: AccessRequest
) -> None:
    """Three-valued soundness: once unknown facts are filled in (a completion, see
    ``completion_problems``), every policy whose criterion was true or false keeps that value,
    every outcome marked certain keeps its verdict and review, and so does a certain
    decision."""
    problems = completion_problems(world, request, completed_world, completed_request)
    if problems:
        raise ValueError("check_sound: not a completion: " + "; ".join(problems))
    before = evaluate(world, request)
    after = evaluate(completed_world, completed_request)
    if [(o.leg, o.side) for o in before.outcomes] != [(o.leg, o.side) for o in after.outcomes]:
        raise AssertionError(f"soundness: completing {request!r} changed its legs")
    for o, o2 in zip(before.outcomes, after.outcomes, strict=True):
        _check_outcome(request, o, o2)
    if before.certain and after.restriction != before.restriction:
        raise AssertionError(
            f"soundness: {request!r} was certainly {_show(before)}, but once unknown facts are "
            f"filled in it is {_show(after)}"
        )


def _check_outcome(request: AccessRequest, o: Outcome, o2: Outcome) -> None:
    where = f"soundness: {request!r}, leg {o.leg}, {o.side} side"
    truths = {r.policy: r.truth for r in o2.considered}
    for r in o.considered:
        if r.truth is not Truth.UNKNOWN and truths.get(r.policy) is not r.truth:
            raise AssertionError(
                f"{where}: policy {r.policy} was {r.truth} before unknown facts were filled in "
                f"and is {truths.get(r.policy)} after"
            )
    if o.certain and o2.restriction != o.restriction:
        raise AssertionError(
            f"{where} was certainly {o.restriction}, but once unknown facts are filled in it "
            f"is {o2.restriction}"
        )
