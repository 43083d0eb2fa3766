"""Hypothesis strategies for criteria: one strategy per registered leaf type, trees of them.

Leaf types register how to draw them (``register_criterion``), so a criterion class defined
outside geotech is drawn in trees, policies and worlds like the built-in ones.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import attrs
from attrs import frozen
from hypothesis import strategies as st

from geotech import criteria as c
from geotech.entities import EquipmentKind
from geotech.strategies.base import (
    DATES,
    DEFAULT_REFS,
    END_USES,
    THRESHOLDS,
    Refs,
    between,
    pool,
    subset,
)

#: Draws one leaf type from the ids it may name; ``None`` when ``refs`` name nothing it needs.
LeafStrategy = Callable[[Refs], "st.SearchStrategy[Any] | None"]


@frozen
class _Leaf:
    make: LeafStrategy
    may_be_unknown: bool


_LEAVES: dict[type[c.Criterion], _Leaf] = {}
_ITEM = frozenset({c.Fact.ITEM})
#: Open questions for ``Unsettled`` leaves.
_QUESTIONS = ("whether the suspension was extended", "whether the licence was granted")


def register_criterion(
    kind: type[c.Criterion], make: LeafStrategy, *, may_be_unknown: bool = False
) -> None:
    """Draw leaves of ``kind`` in ``criteria`` (and so in policies and worlds): ``make(refs)``
    gives a strategy for them, or ``None`` when ``refs`` name nothing they could refer to.
    ``may_be_unknown``: the leaf can be unknown (it reads a fact that may be unpublished), so
    policies test it alone now and then. ``st.from_type(kind)`` draws it too."""
    _LEAVES[kind] = _Leaf(make, may_be_unknown)
    _leaf.cache_clear()
    policy_criteria.cache_clear()
    st.register_type_strategy(kind, st.deferred(lambda: criteria_of(kind)))


def leaves(refs: Refs, *, items_only: bool) -> dict[type[c.Criterion], st.SearchStrategy[Any]]:
    """A strategy per registered leaf type whose references ``refs`` can satisfy; with
    ``items_only``, only the types that read the item alone."""
    out: dict[type[c.Criterion], st.SearchStrategy[Any]] = {}
    for kind, leaf in _LEAVES.items():
        if items_only and not kind.reads <= _ITEM:
            continue
        drawn = leaf.make(refs)
        if drawn is not None:
            out[kind] = drawn
    return out


@functools.cache
def _specs(fact: c.SpecName) -> st.SearchStrategy[c.Spec]:
    values = pool((*THRESHOLDS[fact], 1))
    return st.builds(c.Spec, fact=st.just(fact), op=pool(tuple(c.Op)), value=values)


def _places(kind: type[c.Criterion]) -> LeafStrategy:
    def make(refs: Refs) -> st.SearchStrategy[Any]:
        return st.builds(kind, states=subset(refs.states), groups=subset(refs.groups, max_size=2))

    return make


def _ids(
    kind: type[c.Criterion], field: str, pick: Callable[[Refs], tuple[str, ...]]
) -> LeafStrategy:
    def make(refs: Refs) -> st.SearchStrategy[Any] | None:
        return st.builds(kind, **{field: subset(pick(refs), min_size=1)}) if pick(refs) else None

    return make


@functools.cache
def _leaf(refs: Refs, items_only: bool) -> st.SearchStrategy[c.Criterion]:
    """Item tests half the time (they are what export controls turn on, and where unknown
    specs show), the other leaf types the other half."""
    drawn = leaves(refs, items_only=items_only)
    on_item = [s for kind, s in drawn.items() if c.Fact.ITEM in kind.reads]
    # Thresholds twice: they read the specs that may be unknown.
    on_item += [s for kind, s in drawn.items() if issubclass(kind, c.ThresholdCriterion)]
    others = [s for kind, s in drawn.items() if c.Fact.ITEM not in kind.reads]
    item_tests = st.one_of(*on_item)
    return st.one_of(item_tests, st.one_of(*others)) if others else item_tests


@st.composite
def _tree(draw: st.DrawFn, refs: Refs, items_only: bool, budget: int) -> c.Criterion:
    """A leaf or (shrinking towards a leaf) a connective over subtrees sharing ``budget``."""
    if budget <= 1 or not draw(st.booleans()):
        return draw(_leaf(refs, items_only))
    kind = draw(pool((c.All, c.AnyOf, c.Not)))
    if kind is c.Not:
        return c.Not(draw(_tree(refs, items_only, budget - 1)))
    n = draw(between(0, min(3, budget)))
    parts = [draw(_tree(refs, items_only, budget // max(n, 1))) for _ in range(n)]
    return c.All(parts) if kind is c.All else c.AnyOf(parts)


def criteria(
    refs: Refs = DEFAULT_REFS, *, items_only: bool = False, max_leaves: int = 4
) -> st.SearchStrategy[c.Criterion]:
    """A criterion tree with at most ``max_leaves`` leaves (far below the depth limit) whose
    ids, states, groups, lists and class codes all come from ``refs``; every registered leaf
    type whose references ``refs`` can satisfy is drawn. With ``items_only`` the tree tests
    only the item (what a control class may test)."""
    relevant = attrs.evolve(refs, chips=(), materials=(), policies=())
    return _tree(relevant, items_only, max_leaves)


def criteria_of(
    kind: type[c.Criterion], refs: Refs = DEFAULT_REFS, *, max_leaves: int = 4
) -> st.SearchStrategy[c.Criterion]:
    """Criteria of exactly type ``kind`` (``All``, ``Spec``, ``BuyerListed``...); connectives
    hold ``criteria(refs)`` parts. Raises ``ValueError`` when ``refs`` holds no id a criterion
    of that type could name, or the type is not registered."""
    if kind in (c.All, c.AnyOf):
        return st.builds(kind, of=st.lists(criteria(refs, max_leaves=max_leaves), max_size=3))
    if kind is c.Not:
        return st.builds(c.Not, of=criteria(refs, max_leaves=max_leaves))
    drawn = leaves(refs, items_only=False)
    if kind not in drawn:
        raise ValueError(
            f"criteria_of: refs name nothing a {kind.__name__} could refer to, or it is not "
            "registered (strategies.register_criterion)"
        )
    return drawn[kind]


@functools.cache
def policy_criteria(refs: Refs) -> st.SearchStrategy[c.Criterion]:
    """A fifth cover every request in scope (so policies meet often), a fifth test one fact
    that may be unknown (so unknowns meet certainties), the rest are any tree."""
    relevant = attrs.evolve(refs, chips=(), materials=(), policies=())
    drawn = leaves(relevant, items_only=False)
    unknowable = st.one_of(*(s for k, s in drawn.items() if _LEAVES[k].may_be_unknown))
    tree = criteria(refs, max_leaves=3)
    return st.one_of(st.just(c.All()), unknowable, tree, tree, tree)


# The built-in leaf types.
register_criterion(
    c.ItemKind,
    lambda refs: st.builds(
        c.ItemKind, kinds=subset(("chip", "model", "material", "equipment"), min_size=1)
    ),
)
register_criterion(
    c.EquipmentIs,
    lambda refs: st.builds(
        c.EquipmentIs, kinds=subset(tuple(str(k) for k in EquipmentKind), min_size=1)
    ),
)
register_criterion(
    c.Spec, lambda refs: pool(tuple(c.SpecName)).flatmap(_specs), may_be_unknown=True
)
register_criterion(
    c.Datacenter, lambda refs: st.builds(c.Datacenter, value=st.booleans()), may_be_unknown=True
)
register_criterion(c.ItemIs, _ids(c.ItemIs, "ids", lambda refs: refs.items))
register_criterion(
    c.ItemClass, _ids(c.ItemClass, "codes", lambda refs: refs.codes), may_be_unknown=True
)
register_criterion(c.BuyerIs, _ids(c.BuyerIs, "ids", lambda refs: refs.companies))
register_criterion(
    c.BuyerListed,
    lambda refs: (
        st.builds(c.BuyerListed, lists=subset(refs.lists, min_size=1), affiliates=st.booleans())
        if refs.lists
        else None
    ),
)
for _kind in (c.BuyerHeadquartered, c.ExporterIn, c.ImporterIn, c.DestinationIn):
    register_criterion(_kind, _places(_kind))
register_criterion(c.Reexport, lambda refs: st.just(c.Reexport()))
register_criterion(
    c.AvailableInUs,
    lambda refs: st.builds(c.AvailableInUs, by=pool(DATES)),
    may_be_unknown=True,
)
register_criterion(
    c.MaterialCategory,
    lambda refs: st.builds(
        c.MaterialCategory,
        categories=subset(("critical_mineral", "rare_earth", "memory"), min_size=1),
    ),
)
register_criterion(c.Hbm, lambda refs: st.builds(c.Hbm, value=st.booleans()), may_be_unknown=True)
register_criterion(
    c.OpenWeights,
    lambda refs: st.builds(c.OpenWeights, value=st.booleans()),
    may_be_unknown=True,
)
register_criterion(c.ComplianceFrom, lambda refs: st.builds(c.ComplianceFrom, day=pool(DATES)))
register_criterion(
    c.Unsettled,
    lambda refs: st.builds(c.Unsettled, question=st.sampled_from(_QUESTIONS)),
    may_be_unknown=True,
)
register_criterion(
    c.EndUse,
    lambda refs: st.builds(c.EndUse, uses=subset(END_USES, min_size=1)),
    may_be_unknown=True,
)
