"""Which policies' criteria hold for a request, answered with bitmasks instead of one
evaluation per policy.

A criterion splits into *literals*, leaves or negated leaves joined by "and" (``All``,
``Not(AnyOf(...))`` and ``Not(Not(...))`` flatten: these identities hold in Kleene logic), and
*residuals*, the parts that are real disjunctions. Each literal reads one context: the item,
the buyer, the leg's exporter or importer, the destination, or the end use. For each context
a ``MatchIndex`` holds inverted indexes from keys (ids, states, groups, party lists, class
codes, end uses) and sorted thresholds (specs) to bitmasks of policies, bit ``i`` standing for
``world.policies[i]``. Judging one context value gives two masks: the policies with a false
literal there and those with an unknown one. A policy is false when some context marks it
false, else unknown when some context marks it unknown, else true; its residuals, if any,
then decide. Each leaf of a residual has a bit of its own above the policies' bits, so the
same masks give its truth; only a leaf of a type this module does not know ("opaque") is
evaluated as usual.

Guarantee: for a request's facts, the truth these masks (and residuals) give a policy equals
``policy.criterion.evaluate(facts).truth``.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Literal

from geotech import criteria as c
from geotech.criteria import Criterion, Facts, Op, Truth
from geotech.entities import Company, Item
from geotech.world import World

#: Every field of ``Facts`` a criterion can read besides the registry.
FACTS = frozenset(
    {"item", "buyer", "exporter", "importer", "destination", "issuer", "end_use", "on"}
)

_CONNECTIVES = (c.All, c.AnyOf, c.Not)
_READS: dict[type[Any], frozenset[str]] = {
    c.ItemKind: frozenset({"item"}),
    c.ItemIs: frozenset({"item"}),
    c.Spec: frozenset({"item"}),
    c.Datacenter: frozenset({"item"}),
    c.ItemClass: frozenset({"item", "on"}),
    c.BuyerIs: frozenset({"buyer"}),
    c.BuyerListed: frozenset({"buyer", "on"}),
    c.BuyerHeadquartered: frozenset({"buyer", "on"}),
    c.ExporterIn: frozenset({"exporter", "on"}),
    c.ImporterIn: frozenset({"importer", "on"}),
    c.DestinationIn: frozenset({"destination", "on"}),
    c.Reexport: frozenset({"exporter", "issuer"}),
    c.EndUse: frozenset({"end_use"}),
}


def reads(criterion: Criterion) -> frozenset[str]:
    """The ``Facts`` fields that evaluating ``criterion`` reads (all of them for a criterion
    type this module does not know)."""
    out: set[str] = set()
    for node in c.walk(criterion):
        if not isinstance(node, _CONNECTIVES):
            out |= _READS.get(type(node), FACTS)
    return frozenset(out)


def conjuncts(criterion: Criterion) -> tuple[list[tuple[Criterion, bool]], list[Criterion]]:
    """Literals ``(leaf, positive)`` and residual parts whose Kleene conjunction has the truth
    of ``criterion`` (an empty conjunction is true)."""
    literals: list[tuple[Criterion, bool]] = []
    residuals: list[Criterion] = []
    stack: list[tuple[Criterion, bool]] = [(criterion, True)]
    while stack:
        node, positive = stack.pop()
        if isinstance(node, c.Not):
            stack.append((node.of, not positive))
        elif isinstance(node, (c.All, c.AnyOf)):
            conjunction = isinstance(node, c.All) == positive
            if conjunction or len(node.of) == 1:
                stack.extend((part, positive) for part in reversed(node.of))
            else:
                residuals.append(node if positive else c.Not(node))
        else:
            literals.append((node, positive))
    return literals, residuals


def bits(mask: int) -> list[int]:
    """Positions of the set bits of ``mask`` (>= 0), ascending."""
    if not mask & (mask - 1):  # none or one: the common case when settling
        return [mask.bit_length() - 1] if mask else []
    out = []
    if mask.bit_count() <= 16:  # few bits: peel them off the top
        while mask:
            top = mask.bit_length() - 1
            out.append(top)
            mask ^= 1 << top
        out.reverse()
        return out
    # many: the digits, lowest first, scanned in C (linear in the width, not in bits x width)
    digits = bin(mask)[:1:-1]
    i = digits.find("1")
    while i >= 0:
        out.append(i)
        i = digits.find("1", i + 1)
    return out


#: The part of a request's facts that a literal reads.
Context = Literal["item", "buyer", "exporter", "importer", "destination", "end_use"]
CONTEXTS: tuple[Context, ...] = ("item", "buyer", "exporter", "importer", "destination", "end_use")


#: What a context value offers a family of literals: keys that hold, keys whose holding is
#: unknown; ``None`` when every literal of the family is unknown.
KeyView = tuple[Iterable[Hashable], Iterable[Hashable]] | None


class _Members:
    """Literals "the context's keys meet the literal's keys", at most one per policy."""

    __slots__ = ("_sets", "by_key", "every", "negated")

    def __init__(self, negated: bool) -> None:
        self.negated = negated
        self.every = 0
        self.by_key: dict[Hashable, int] = {}
        self._sets: dict[frozenset[Hashable], int] = {}  # many literals share one key set

    def add(self, bit: int, keys: frozenset[Hashable]) -> None:
        self.every |= bit
        self._sets[keys] = self._sets.get(keys, 0) | bit

    def freeze(self) -> None:
        for keys, mask in self._sets.items():
            for key in keys:
                self.by_key[key] = self.by_key.get(key, 0) | mask

    def judge(self, view: KeyView) -> tuple[int, int]:
        """(false, unknown) masks for a context value."""
        if view is None:
            return 0, self.every
        known, maybe = view
        hit = 0
        for key in known:
            hit |= self.by_key.get(key, 0)
        unsure = 0
        for key in maybe:
            unsure |= self.by_key.get(key, 0)
        unsure &= ~hit
        if self.negated:
            return hit, unsure
        return self.every & ~(hit | unsure), unsure


class _Thresholds:
    """Literals "observed <op> threshold" on one numeric fact, at most one per policy."""

    __slots__ = ("_above", "_below", "_masks", "_right", "_rising", "_values", "every", "negated")

    def __init__(self, op: Op, negated: bool) -> None:
        # Thresholds [0, j) lie below the observed value, strictly for > and <= (bisect_left).
        self._right = op in (Op.GE, Op.LT)
        # >= and > hold for the thresholds below the observed value, < and <= above it.
        self._rising = op in (Op.GE, Op.GT)
        self.negated = negated
        self.every = 0
        self._masks: dict[float, int] = {}
        self._values: list[float] = []
        self._below: list[int] = []
        self._above: list[int] = []

    def add(self, bit: int, threshold: float) -> None:
        self.every |= bit
        self._masks[threshold] = self._masks.get(threshold, 0) | bit

    def freeze(self) -> None:
        self._values = sorted(self._masks)
        masks = [self._masks[v] for v in self._values]
        below = [0]
        for m in masks:
            below.append(below[-1] | m)
        above = [0]
        for m in reversed(masks):
            above.append(above[-1] | m)
        self._below = below
        self._above = above[::-1]

    def judge(self, observed: float | None) -> tuple[int, int]:
        """(false, unknown) masks for an observed value (``None``: unknown)."""
        if observed is None:
            return 0, self.every
        if self._right:
            j = bisect.bisect_right(self._values, observed)
        else:
            j = bisect.bisect_left(self._values, observed)
        below, above = self._below[j], self._above[j]
        holds, fails = (below, above) if self._rising else (above, below)
        return (holds if self.negated else fails), 0


_Index = _Members | _Thresholds
#: A literal's family within its context: a name, or ("spec", fact, op) for thresholds.
_Family = Hashable


def _places(node: Any) -> frozenset[Hashable]:
    return frozenset({("s", s) for s in node.states} | {("g", g) for g in node.groups})


_Placed = tuple[Context, _Family, Any, bool]


def _listed(leaf: Any, issuer: str) -> _Placed:
    reach = "chain" if leaf.affiliates else "own"
    return "buyer", "listed", frozenset({(reach, x) for x in leaf.lists}), False


_PLACERS: dict[type[Any], Callable[[Any, str], _Placed | None]] = {
    c.ItemKind: lambda leaf, issuer: ("item", "kind", leaf.kinds, False),
    c.ItemIs: lambda leaf, issuer: ("item", "id", leaf.ids, False),
    c.ItemClass: lambda leaf, issuer: ("item", "class", leaf.codes, False),
    c.Datacenter: lambda leaf, issuer: ("item", "datacenter", frozenset({leaf.value}), False),
    c.Spec: lambda leaf, issuer: (
        "item",
        ("spec", str(leaf.fact), str(leaf.op)),
        leaf.value,
        False,
    ),
    c.BuyerIs: lambda leaf, issuer: ("buyer", "id", leaf.ids, False),
    c.BuyerListed: _listed,
    c.BuyerHeadquartered: lambda leaf, issuer: ("buyer", "hq", _places(leaf), False),
    c.ExporterIn: lambda leaf, issuer: ("exporter", "in", _places(leaf), False),
    # exporter != issuer is "exporter in {issuer}" negated
    c.Reexport: lambda leaf, issuer: ("exporter", "in", frozenset({("s", issuer)}), True),
    c.ImporterIn: lambda leaf, issuer: ("importer", "in", _places(leaf), False),
    c.DestinationIn: lambda leaf, issuer: ("destination", "in", _places(leaf), False),
    c.EndUse: lambda leaf, issuer: ("end_use", "use", leaf.uses, False),
}


def _place(leaf: Criterion, issuer: str) -> _Placed | None:
    """Where a leaf's literal goes: context, family, payload (keys or a threshold) and
    whether its polarity flips; ``None`` for leaves left to residual evaluation."""
    placer = _PLACERS.get(type(leaf))
    return None if placer is None else placer(leaf, issuer)


_ABSENT = object()


#: A residual compiled for truth over masks: ("leaf", bit) for a placed leaf, ("opaque", leaf)
#: for one left to ordinary evaluation, ("not", tree), ("all", trees) or ("any", trees).
Tree = tuple[Any, ...]


class MatchIndex:
    """Bitmask indexes over the criteria of ``world.policies``.

    Bit ``i < len(policies)`` stands for ``policies[i]``; each leaf of a residual part gets a
    bit of its own above those. ``judge_*`` methods return ``(false, unknown)`` masks for one
    context value on a date: pure, and constant between the world's change points. A policy's
    residuals are judged by ``residual_truth`` from the masks of a request's contexts.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        self._indexes: dict[Context, dict[tuple[_Family, bool, int], _Index]] = {
            ctx: {} for ctx in CONTEXTS
        }
        self._residuals: dict[int, tuple[Tree, ...]] = {}
        self._leaves: dict[int, int] = {}  # the bits of each policy's residual leaves
        self._opaque: set[int] = set()  # policies with opaque residual leaves
        self._truths: dict[tuple[int, int, int], Truth] = {}
        self._next_bit = len(world.policies)
        #: Policies with residual parts.
        self.residual_mask = 0
        #: ``Facts`` fields that residual leaves left to ordinary evaluation read.
        self.opaque_reads: frozenset[str] = frozenset()
        self._codes: set[str] = set()
        self._dated: dict[tuple[str, dt.date], dict[str, frozenset[str]]] = {}
        for i, policy in enumerate(world.policies):
            self._add(i, policy.criterion, policy.issuer)
        for indexes in self._indexes.values():
            for index in indexes.values():
                index.freeze()
        self._families = {
            ctx: frozenset(family for family, _, _ in indexes)
            for ctx, indexes in self._indexes.items()
        }
        #: The contexts some literal reads (the others always give empty masks).
        self.contexts = frozenset(ctx for ctx, indexes in self._indexes.items() if indexes)

    def _add(self, i: int, criterion: Criterion, issuer: str) -> None:
        bit = 1 << i
        literals, residuals = conjuncts(criterion)
        slots: dict[tuple[Context, _Family, bool], int] = {}
        trees = [self._tree(r, issuer) for r in residuals]
        for leaf, positive in literals:
            placed = _place(leaf, issuer)
            if placed is None:
                tree = self._tree(leaf, issuer)
                trees.append(tree if positive else ("not", tree))
                continue
            ctx, family, payload, flip = placed
            negated = positive == flip
            slot = slots[ctx, family, negated] = slots.get((ctx, family, negated), -1) + 1
            self._literal(ctx, (family, negated, slot), bit, payload)
        if trees:
            self._residuals[i] = tuple(trees)
            self.residual_mask |= bit
            self._leaves[i] = 0
            for tree in trees:
                self._leaves[i] |= _leaf_bits(tree, i, self._opaque)

    def _literal(
        self, ctx: Context, key: tuple[_Family, bool, int], bit: int, payload: Any
    ) -> None:
        family, negated, _ = key
        indexes = self._indexes[ctx]
        index = indexes.get(key)
        if index is None:
            index = indexes[key] = (
                _Thresholds(Op(family[2]), negated)
                if isinstance(family, tuple)
                else _Members(negated)
            )
        index.add(bit, payload)
        if family == "class":
            self._codes |= payload

    def _tree(self, node: Criterion, issuer: str) -> Tree:
        if isinstance(node, c.Not):
            return ("not", self._tree(node.of, issuer))
        if isinstance(node, (c.All, c.AnyOf)):
            kind = "all" if isinstance(node, c.All) else "any"
            return (kind, tuple(self._tree(part, issuer) for part in node.of))
        placed = _place(node, issuer)
        if placed is None:
            self.opaque_reads |= reads(node)
            return ("opaque", node)
        ctx, family, payload, flip = placed
        bit = 1 << self._next_bit
        self._next_bit += 1
        tree: Tree = ("leaf", bit)
        self._literal(ctx, (family, flip, 0), bit, payload)  # a bit of its own: slot 0
        return tree

    def _judge(self, ctx: Context, views: dict[_Family, Any]) -> tuple[int, int]:
        false = unknown = 0
        for (family, _, _), index in self._indexes[ctx].items():
            f, u = index.judge(views[family])
            false |= f
            unknown |= u
        return false, unknown & ~false

    def judge_item(self, item: Item, on: dt.date) -> tuple[int, int]:
        views: dict[_Family, Any] = {}
        for family in self._families["item"]:
            if family == "kind":
                views[family] = ((item.kind,), ())
            elif family == "id":
                views[family] = ((item.id,), ())
            elif family == "class":
                steps = {code: self.world.class_step(code, item, on) for code in self._codes}
                views[family] = (
                    [k for k, s in steps.items() if s.truth is Truth.TRUE],
                    [k for k, s in steps.items() if s.truth is Truth.UNKNOWN],
                )
            elif family == "datacenter":
                seen = getattr(item, "datacenter", None)
                views[family] = None if seen is None else ((seen,), ())
            else:
                assert isinstance(family, tuple)
                seen = getattr(item, family[1], _ABSENT)
                views[family] = None if seen is None or seen is _ABSENT else seen
        return self._judge("item", views)

    def judge_buyer(self, buyer: Company, on: dt.date) -> tuple[int, int]:
        chain = (buyer, *self.world.ancestors(buyer.id))
        views: dict[_Family, Any] = {}
        for family in self._families["buyer"]:
            if family == "id":
                views[family] = ((buyer.id,), ())
            elif family == "listed":
                keys: list[Hashable] = []
                for party_list, listed in self._listed(on).items():
                    if buyer.id in listed:
                        keys.append(("own", party_list))
                    if any(x.id in listed for x in chain):
                        keys.append(("chain", party_list))
                views[family] = (keys, ())
            else:
                views[family] = (self._state_keys({buyer.hq, chain[-1].hq}, on), ())
        return self._judge("buyer", views)

    def judge_state(self, ctx: Context, state: str, on: dt.date) -> tuple[int, int]:
        """Masks for a leg's exporter or importer, or the destination (``ctx``)."""
        return self._judge(ctx, {"in": (self._state_keys({state}, on), ())})

    def judge_end_use(self, end_use: str | None) -> tuple[int, int]:
        view = None if end_use is None else ((end_use,), ())
        return self._judge("end_use", {"use": view})

    def _state_keys(self, states: set[str], on: dt.date) -> list[Hashable]:
        keys: list[Hashable] = [("s", s) for s in states]
        keys += [("g", g) for g, members in self._members(on).items() if states & members]
        return keys

    def _members(self, on: dt.date) -> dict[str, frozenset[str]]:
        """Each group's members on ``on``."""
        found = self._dated.get(("members", on))
        if found is None:
            found = self._dated["members", on] = {g.id: g.states_on(on) for g in self.world.groups}
        return found

    def _listed(self, on: dt.date) -> dict[str, frozenset[str]]:
        """Each party list's listed companies on ``on``."""
        found = self._dated.get(("listed", on))
        if found is None:
            found = self._dated["listed", on] = {
                pl.id: frozenset(x.company for x in pl.listings if x.active(on))
                for pl in self.world.party_lists
            }
        return found

    def residual_truth(
        self, i: int, false: int, unknown: int, facts: Callable[[str], Facts]
    ) -> Truth:
        """The Kleene conjunction of policy ``i``'s residual parts, given the ``(false,
        unknown)`` masks of all of a request's contexts (and, for opaque leaves, its facts
        for an issuer)."""
        leaves = self._leaves[i]
        key = (i, false & leaves, unknown & leaves)
        truth = self._truths.get(key)
        if truth is None:
            issuer = self.world.policies[i].issuer
            ranks = [
                _truth(tree, false, unknown, lambda: facts(issuer)) for tree in self._residuals[i]
            ]
            truth = _TRUTHS[min(ranks)]
            if i not in self._opaque:  # otherwise the masks do not tell everything
                self._truths[key] = truth
        return truth


def _leaf_bits(tree: Tree, i: int, opaque: set[int]) -> int:
    if tree[0] == "leaf":
        return tree[1]  # type: ignore[no-any-return]
    if tree[0] == "opaque":
        opaque.add(i)
        return 0
    parts = tree[1:] if tree[0] == "not" else tree[1]
    out = 0
    for part in parts:
        out |= _leaf_bits(part, i, opaque)
    return out


_TRUTHS = (Truth.FALSE, Truth.UNKNOWN, Truth.TRUE)  # by Kleene rank


def _truth(tree: Tree, false: int, unknown: int, facts: Callable[[], Facts]) -> int:
    """The Kleene rank of a residual tree: 0 false, 1 unknown, 2 true."""
    kind = tree[0]
    if kind == "leaf":
        bit = tree[1]
        return 0 if false & bit else 1 if unknown & bit else 2
    if kind == "not":
        return 2 - _truth(tree[1], false, unknown, facts)
    if kind == "opaque":
        return _TRUTHS.index(tree[1].evaluate(facts()).truth)
    ranks = [_truth(part, false, unknown, facts) for part in tree[1]]
    if kind == "all":
        return min(ranks, default=2)
    return max(ranks, default=0)
