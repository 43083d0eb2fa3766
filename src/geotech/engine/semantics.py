"""The engine's semantics in one place: supersession, the outcome of one leg and side, the
range of outcomes over completions of unknown matches, certainty, and conditions' union.

``evaluate`` and the batch path both decide through these functions, so they agree by
construction. Every function here is polynomial in the policies it is given: supersession
is found through a map from superseded id to superseders, never by comparing all pairs, and
the range of outcomes over completions is found without enumerating them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from geotech.policies import AnyPolicy, Condition, Restriction, condition_key

#: The outcome of a leg and side that no policy restricts.
OPEN = Restriction.ALLOWED


def superseders(policies: Iterable[AnyPolicy]) -> dict[str, list[str]]:
    """For each of ``policies`` that another of them supersedes, the ids of those that do
    (in the order given). Linear in the policies and their ``supersedes`` lists."""
    given = list(policies)
    ids = {p.id for p in given}
    by: dict[str, list[str]] = {}
    for q in given:
        for target in q.supersedes:
            if target in ids:
                by.setdefault(target, []).append(q.id)
    return by


def supersede(
    matching: Sequence[AnyPolicy],
) -> tuple[list[AnyPolicy], dict[str, tuple[str, ...]]]:
    """The matching policies no other matching policy supersedes, and for each set-aside
    policy the ids of the policies that set it aside, sorted."""
    set_aside = {pid: tuple(sorted(by)) for pid, by in superseders(matching).items()}
    return [p for p in matching if p.id not in set_aside], set_aside


def strictest(matching: Sequence[AnyPolicy]) -> Restriction:
    """The outcome of a leg and side on which exactly ``matching`` match."""
    remaining, _ = supersede(matching)
    return max((p.restriction for p in remaining), default=OPEN)


def restriction_range(
    matching: Sequence[AnyPolicy],
    unknown: Sequence[AnyPolicy],
    key: Restriction,
    ranks: Mapping[str, Restriction] | None = None,
) -> tuple[Restriction, Restriction]:
    """The least and most restrictive outcome over completions of the unknown matches, where
    ``key`` is the outcome when none of them matches; ``ranks``, when given, holds the
    policies' restrictions by id. Exact, and polynomial: no completion is enumerated.

    Write K for ``matching``, U for ``unknown``; a completion matches K and some S within U,
    and its outcome is the most restrictive policy of K + S that no policy of K + S
    supersedes (OPEN if none).

    *Most restrictive.* A policy p of K + U can remain in some completion exactly when no
    policy of K supersedes it: take S = {p} (or S empty if p is in K); nothing added can set
    p aside, since a policy does not supersede itself. Conversely whatever remains in a
    completion is not superseded by K. So the maximum is ``key`` or the most restrictive
    policy of U that K does not supersede: an unknown policy that a matching one supersedes
    cannot raise the outcome.

    *Least restrictive.* If no policy of U supersedes one of K, whatever remains of K alone
    remains in every completion, and the minimum is ``key``. Otherwise, the outcome can be at
    most t exactly when some S leaves every policy of K + S above t superseded by a policy of
    K + S. Unknown policies at most t only help (they can set others aside and are no
    obligation), so take all of them. Of the unknown policies above t, one that no policy of
    K + U' supersedes (U' the unknown policies not yet ruled out) cannot be in any such S;
    ruling them out until none is left gives the largest candidate set F, and t is reachable
    exactly when every policy of K above t is superseded by some policy of K + F (a smaller S
    only supersedes less). So an unknown policy that supersedes a matching one may lower the
    outcome. The minimum is the least t for which this holds, at least the most restrictive
    policy of K that nothing in K + U supersedes; there are seven restrictions, and each test
    is linear in the policies and their ``supersedes`` lists.
    """
    if not unknown:
        return key, key
    by = superseders((*matching, *unknown))
    known = {p.id for p in matching}
    highest = max(
        (u.restriction for u in unknown if not any(q in known for q in by.get(u.id, ()))),
        default=OPEN,
    )
    highest = max(highest, key)
    if not any(target in known for u in unknown for target in u.supersedes):
        return key, highest
    rank = ranks if ranks is not None else {p.id: p.restriction for p in (*matching, *unknown)}
    floor = max((rank[p.id] for p in matching if p.id not in by), default=OPEN)
    lowest = next(
        (t for t in Restriction if floor <= t < key and _reachable(matching, unknown, by, rank, t)),
        key,
    )
    return lowest, highest


def _reachable(
    matching: Sequence[AnyPolicy],
    unknown: Sequence[AnyPolicy],
    by: dict[str, list[str]],
    rank: Mapping[str, Restriction],
    t: Restriction,
) -> bool:
    """Whether some completion's outcome is at most ``t`` (see ``restriction_range``)."""
    covered = {pid: len(qs) for pid, qs in by.items()}  # superseders not ruled out
    above = {u.id: u.supersedes for u in unknown if rank[u.id] > t}
    ruled_out: set[str] = set()
    stack = [pid for pid in above if pid not in covered]
    while stack:
        pid = stack.pop()
        ruled_out.add(pid)
        for target in above[pid]:
            if target in covered and target not in ruled_out:
                covered[target] -= 1
                if not covered[target] and target in above:
                    stack.append(target)
    return all(covered.get(p.id) for p in matching if rank[p.id] > t)


def union(groups: Iterable[Iterable[Condition]]) -> tuple[Condition, ...]:
    """The conditions of all groups, each once, in canonical order."""
    return tuple(sorted({c for g in groups for c in g}, key=condition_key))


class Bounds(Protocol):
    """An outcome's range over completions of its unknown matches."""

    @property
    def lowest(self) -> Restriction: ...

    @property
    def highest(self) -> Restriction: ...


def certain(outcomes: Sequence[Bounds], key: Restriction) -> bool:
    """Whether every completion keeps the most restrictive outcome at ``key``: none can rise
    above it, and one that reaches it cannot fall below it."""
    return all(o.highest <= key for o in outcomes) and (
        not outcomes or any(o.lowest == key for o in outcomes)
    )
