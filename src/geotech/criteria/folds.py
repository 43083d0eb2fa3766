"""Generic folds over criterion trees: walk, reads, signed leaves, Kleene truth,
description, leaf replacement, and the tree edits reforms make.

Every fold is iterative (a deep tree cannot exhaust the stack) and dispatches on the
metadata the classes declare (``parts``, ``junction``, ``reads``, ``literal``), never on
the classes themselves, so criteria defined outside geotech fold like the built-in ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from geotech.criteria.base import Connective, Criterion, Junction, SetCriterion, ThresholdCriterion
from geotech.criteria.builtin import Not
from geotech.criteria.literals import BUYER_ID, Bound, Op
from geotech.criteria.logic import Fact, Truth


class Signed(NamedTuple):
    """A leaf and its polarity: ``positive`` is False under an odd number of negations.
    A NamedTuple: matching and lint unpack many of them."""

    leaf: Criterion
    positive: bool


def walk(criterion: Criterion) -> Iterator[Criterion]:
    """Every node of a criterion tree, depth first, parents before parts."""
    stack: list[Criterion] = [criterion]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.parts))


def reads(criterion: Criterion) -> frozenset[Fact]:
    """The facts evaluating the criterion reads: the union of its nodes' ``reads``."""
    return frozenset().union(*(node.reads for node in walk(criterion)))


def days(criterion: Criterion) -> frozenset[dt.date]:
    """The days of its own the criterion's truth may change on: the union of its nodes'
    ``days()``."""
    found: set[dt.date] = set()
    stack = [criterion]
    while stack:  # walk's nodes, in any order: most trees name no day, so no generator
        node = stack.pop()
        found.update(node.days())
        stack.extend(node.parts)
    return frozenset(found)


def leaves(criterion: Criterion) -> Iterator[Signed]:
    """Every leaf with its polarity, depth first."""
    stack = [Signed(criterion, True)]
    while stack:
        node, positive = stack.pop()
        if not isinstance(node, Connective):
            yield Signed(node, positive)
            continue
        flip = node.junction is Junction.NOT
        stack.extend(Signed(part, positive != flip) for part in reversed(node.parts))


def truth(criterion: Criterion, leaf: Callable[[Criterion], Truth]) -> Truth:
    """The Kleene truth of the tree with each leaf's truth given by ``leaf``."""
    stack: list[tuple[Criterion, bool]] = [(criterion, False)]
    done: list[Truth] = []
    while stack:
        node, expanded = stack.pop()
        if not isinstance(node, Connective):
            done.append(leaf(node))
        elif expanded:
            n = len(node.parts)
            parts = done[len(done) - n :]
            del done[len(done) - n :]
            done.append(node.junction.combine(parts))
        else:
            stack.append((node, True))
            stack.extend((part, False) for part in reversed(node.parts))
    return done[0]


def describe(criterion: Criterion) -> str:
    """The tree as one line: ``all of (tpp >= 4800, not (reexport))``."""
    stack: list[tuple[Criterion, bool]] = [(criterion, False)]
    done: list[str] = []
    while stack:
        node, expanded = stack.pop()
        if not isinstance(node, Connective):
            done.append(node.describe())
        elif expanded:
            n = len(node.parts)
            parts = done[len(done) - n :]
            del done[len(done) - n :]
            done.append(f"{node.describe()} ({', '.join(parts)})")
        else:
            stack.append((node, True))
            stack.extend((part, False) for part in reversed(node.parts))
    return done[0]


def map_leaves(criterion: Criterion, fn: Callable[[Signed], Criterion]) -> Criterion:
    """The tree with each leaf replaced by ``fn(Signed(leaf, positive))``; subtrees whose
    leaves all come back unchanged are kept as they are."""
    stack: list[tuple[Criterion, bool, bool]] = [(criterion, True, False)]
    done: list[Criterion] = []
    while stack:
        node, positive, expanded = stack.pop()
        if not isinstance(node, Connective):
            done.append(fn(Signed(node, positive)))
        elif expanded:
            n = len(node.parts)
            parts = tuple(done[len(done) - n :])
            del done[len(done) - n :]
            same = all(a is b for a, b in zip(parts, node.parts, strict=True))
            done.append(node if same else node.rebuilt(parts))
        else:
            stack.append((node, positive, True))
            flip = node.junction is Junction.NOT
            stack.extend((part, positive != flip, False) for part in reversed(node.parts))
    return done[0]


def negate(criterion: Criterion) -> Criterion:
    """The negation of a criterion."""
    return Not(criterion)


# -- the edits reforms make --------------------------------------------------------------------


def _buyer_set(signed: Signed) -> SetCriterion | None:
    """The leaf, when it is a set of buyer ids outside a negation."""
    leaf = signed.leaf
    if signed.positive and isinstance(leaf, SetCriterion) and leaf.family == BUYER_ID:
        return leaf
    return None


def buyer_sets(criterion: Criterion) -> tuple[frozenset[str], ...]:
    """The ids of each set of buyers the criterion names outside a negation (``buyer_is``):
    the sets an authorization names."""
    found = (_buyer_set(s) for s in leaves(criterion))
    return tuple(frozenset(map(str, leaf.members)) for leaf in found if leaf is not None)


def _edit_buyers(
    criterion: Criterion, edit: Callable[[frozenset[str]], frozenset[str]]
) -> Criterion:
    def fn(signed: Signed) -> Criterion:
        leaf = _buyer_set(signed)
        if leaf is None:
            return signed.leaf
        return leaf.with_members(edit(frozenset(map(str, leaf.members))))

    return map_leaves(criterion, fn)


def add_buyers(criterion: Criterion, buyers: Iterable[str]) -> Criterion:
    """The criterion with ``buyers`` added to every set of buyers outside a negation."""
    more = frozenset(buyers)
    return _edit_buyers(criterion, lambda ids: ids | more)


def remove_buyers(criterion: Criterion, buyers: Iterable[str]) -> Criterion:
    """The criterion with ``buyers`` removed from every set of buyers outside a negation."""
    fewer = frozenset(buyers)
    return _edit_buyers(criterion, lambda ids: ids - fewer)


def thresholds(
    criterion: Criterion, measure: str | None = None, op: Op | None = None
) -> tuple[ThresholdCriterion, ...]:
    """The threshold leaves of the tree, depth first; with ``measure`` (and ``op``) only
    those on that measure (and with that comparison)."""
    return tuple(
        leaf
        for leaf in walk(criterion)
        if isinstance(leaf, ThresholdCriterion)
        and (measure is None or leaf.measure.name == measure)
        and (op is None or leaf.bound.op is op)
    )


def with_threshold(
    criterion: Criterion, measure: str, value: float, op: Op | None = None
) -> Criterion:
    """The criterion with the bound of every threshold leaf on ``measure`` (with ``op``, when
    given) moved to ``value``; each keeps its comparison (its open or closed edge)."""
    hits = set(thresholds(criterion, measure, op))

    def fn(signed: Signed) -> Criterion:
        leaf = signed.leaf
        if isinstance(leaf, ThresholdCriterion) and leaf in hits:
            return leaf.with_bound(Bound(leaf.bound.op, value))
        return leaf

    return map_leaves(criterion, fn)
