"""The engine's semantics in one place: supersession, the outcome of one leg and side, the
range of outcomes over completions of unknown matches, certainty, and conditions' union.

``evaluate`` and the batch path both decide through these functions, so they agree by
construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from geotech.policies import AnyPolicy, Condition, Restriction, condition_key

#: Up to this many unknown-match policies on one leg and side, certainty is decided exactly
#: by trying every combination; beyond it, conservatively (never claiming a false certainty).
EXACT_UNKNOWNS = 10

#: The outcome of a leg and side that no policy restricts.
OPEN = Restriction.ALLOWED


def supersede(
    matching: Sequence[AnyPolicy],
) -> tuple[list[AnyPolicy], dict[str, tuple[str, ...]]]:
    """The matching policies no other matching policy supersedes, and for each set-aside
    policy the ids of the policies that set it aside."""
    set_aside: dict[str, tuple[str, ...]] = {}
    for p in matching:
        by = tuple(sorted(q.id for q in matching if p.id in q.supersedes))
        if by:
            set_aside[p.id] = by
    return [p for p in matching if p.id not in set_aside], set_aside


def strictest(matching: Sequence[AnyPolicy]) -> Restriction:
    """The outcome of a leg and side on which exactly ``matching`` match."""
    remaining, _ = supersede(matching)
    return max((p.restriction for p in remaining), default=OPEN)


def restriction_range(
    matching: list[AnyPolicy], unknown: list[AnyPolicy], key: Restriction
) -> tuple[Restriction, Restriction]:
    """The least and most restrictive outcome over completions of the unknown matches."""
    if not unknown:
        return key, key
    if len(unknown) <= EXACT_UNKNOWNS:
        keys = [
            strictest(matching + [u for i, u in enumerate(unknown) if mask >> i & 1])
            for mask in range(1 << len(unknown))
        ]
        return min(keys), max(keys)
    everything = (p.restriction for p in (*matching, *unknown))
    return OPEN, max(everything, default=OPEN)


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
