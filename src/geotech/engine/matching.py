"""Which policies' criteria hold for a request, answered with bitmasks instead of one
evaluation per policy.

A criterion splits into *literals*, leaves or negated leaves joined by "and" (conjunctions,
negated disjunctions and double negations flatten: these identities hold in Kleene logic),
and *residuals*, the parts that are real disjunctions. Each leaf states its literal itself
(``Criterion.literal``, see ``geotech.criteria.literals``): a family of keys or a measure of
one context (the item, the buyer, the leg's exporter or importer, the destination, the end
use). For each context and family a ``MatchIndex`` holds inverted indexes from keys (ids,
places, listings, class codes, end uses) and sorted thresholds to bitmasks of policies, bit
``i`` standing for ``world.policies[i]``. Judging one context value gives two masks: the
policies with a false literal there and those with an unknown one. A policy is false when
some context marks it false, else unknown when some context marks it unknown, else true; its
residuals, if any, then decide. Each leaf of a residual has a bit of its own above the
policies' bits, so the same masks give its truth; only a leaf without a literal ("opaque") is
evaluated as usual.

Guarantee: for a request's facts, the truth these masks (and residuals) give a policy equals
``policy.criterion.evaluate(facts).truth``.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Literal

from geotech import criteria as c
from geotech.criteria import Criterion, Fact, Facts, Op, Truth
from geotech.entities import Company, Item
from geotech.world import World


def conjuncts(criterion: Criterion) -> tuple[list[tuple[Criterion, bool]], list[Criterion]]:
    """Signed leaves (literals: each leaf and whether it is positive) and residual parts whose
    Kleene conjunction has the truth of ``criterion`` (an empty conjunction is true), in the
    criterion's order."""
    literals: list[tuple[Criterion, bool]] = []
    residuals: list[Criterion] = []
    _split(criterion, True, literals, residuals)
    return literals, residuals


def _split(
    node: Criterion,
    positive: bool,
    literals: list[tuple[Criterion, bool]],
    residuals: list[Criterion],
) -> None:
    """Add the conjuncts of ``node`` (negated unless ``positive``) to the two lists."""
    junction = node.junction
    if junction is None:
        literals.append((node, positive))
    elif junction is c.Junction.NOT:
        _split(node.parts[0], not positive, literals, residuals)
    else:
        parts = node.parts
        if (junction is c.Junction.ALL) == positive or len(parts) == 1:
            for part in parts:
                if part.junction is None:  # most parts are leaves: no call for them
                    literals.append((part, positive))
                else:
                    _split(part, positive, literals, residuals)
        else:
            residuals.append(node if positive else c.negate(node))


def bits(mask: int) -> list[int]:
    """Positions of the set bits of ``mask`` (>= 0), ascending."""
    if not mask & (mask - 1):  # none or one: the common case when settling
        return [mask.bit_length() - 1] if mask else []
    # Peel bits off the top: each step costs a pass over the (shrinking) mask, cheaper than
    # converting it to bytes while the bits are few, as when settling a request.
    out = []
    for _ in range(_PEELED):
        top = mask.bit_length() - 1
        out.append(top)
        mask ^= 1 << top
        if not mask:
            out.reverse()
            return out
    # many: the rest through its bytes, non-zero ones found in C (linear in the width)
    data = mask.to_bytes((mask.bit_length() + 7) >> 3, "little")
    flags = data.translate(_NON_ZERO)
    low: list[int] = []
    at = flags.find(1)
    while at >= 0:
        base = at << 3
        for offset in _OFFSETS[data[at]]:
            low.append(base + offset)
        at = flags.find(1, at + 1)
    out.reverse()
    low += out
    return low


#: Set bits peeled off the top before the rest is read through bytes.
_PEELED = 40
#: A byte's 1 when it is not zero; the positions of each byte's set bits.
_NON_ZERO = bytes([0, *[1] * 255])
_OFFSETS = tuple(tuple(b for b in range(8) if value >> b & 1) for value in range(256))


def mask_of(positions: Iterable[int]) -> int:
    """The mask with these bits set, built in one pass (linear in the widest position, where
    or-ing the bits one by one is quadratic)."""
    at = positions if isinstance(positions, list) else list(positions)
    if not at:
        return 0
    buffer = bytearray((max(at) >> 3) + 1)
    for i in at:
        buffer[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(buffer, "little")


#: The part of a request's facts that a literal reads.
Context = Literal["item", "buyer", "exporter", "importer", "destination", "end_use"]


class _Members:
    """Literals "the context's keys meet the literal's keys", at most one per policy."""

    __slots__ = ("by_key", "every", "negated")

    def __init__(self, negated: bool, entries: Iterable[tuple[Any, int, int]]) -> None:
        """From (keys, bit position, policy) entries."""
        self.negated = negated
        # the bit positions of each key set (many literals share one), masks built once
        sets: dict[frozenset[Hashable], list[int]] = {}
        for keys, at, _ in entries:
            if keys in sets:
                sets[keys].append(at)
            else:
                sets[keys] = [at]
        every = 0
        by_key: dict[Hashable, int] = {}
        for keys, positions in sets.items():
            mask = mask_of(positions)
            every |= mask
            for key in keys:
                by_key[key] = by_key.get(key, 0) | mask
        self.by_key = by_key
        self.every = every

    def judge(self, view: c.View | None) -> tuple[int, int]:
        """(false, unknown) masks for a context value's view."""
        if view is None:
            return 0, self.every
        hit = 0
        for key in view.holds:
            hit |= self.by_key.get(key, 0)
        unsure = 0
        for key in view.maybe:
            unsure |= self.by_key.get(key, 0)
        unsure &= ~hit
        if self.negated:
            return hit, unsure
        return self.every & ~(hit | unsure), unsure


class _Thresholds:
    """Literals "observed <op> threshold" on one measure, at most one per bit position.

    The positions sorted by threshold, with the masks of the first ``_STRIDE``, ``2 *
    _STRIDE``, ... of them: a judgment ors one of these with at most ``_STRIDE`` bits, and the
    index holds a few wide masks rather than one per threshold."""

    __slots__ = ("_checkpoints", "_order", "_right", "_rising", "_thresholds", "every")

    def __init__(self, op: Op, entries: Iterable[tuple[Any, int, int]]) -> None:
        """From (threshold, bit position, policy) entries."""
        # Thresholds [0, j) lie below the observed value, strictly for > and <= (bisect_left).
        self._right = op in (Op.GE, Op.LT)
        # >= and > hold for the thresholds below the observed value, < and <= above it.
        self._rising = op.rising
        ordered = sorted([(threshold, at) for threshold, at, _ in entries])
        self._thresholds = [threshold for threshold, _ in ordered]
        self._order = order = [at for _, at in ordered]
        checkpoints = [0]
        for start in range(0, len(order), _STRIDE):
            checkpoints.append(checkpoints[-1] | mask_of(order[start : start + _STRIDE]))
        self._checkpoints = checkpoints
        self.every = checkpoints[-1]

    def judge(self, observed: float | None) -> tuple[int, int]:
        """(false, unknown) masks for an observed value (``None``: unknown)."""
        if observed is None:
            return 0, self.every
        if self._right:
            j = bisect.bisect_right(self._thresholds, observed)
        else:
            j = bisect.bisect_left(self._thresholds, observed)
        block = j // _STRIDE
        below = self._checkpoints[block]
        if j % _STRIDE:
            below |= mask_of(self._order[block * _STRIDE : j])
        # each position is in one entry: those not below are above
        return (self.every ^ below if self._rising else below), 0


#: Thresholds per checkpoint of ``_Thresholds``.
_STRIDE = 64


class _Family:
    """The indexes of one family (or measure) of one context: one per polarity (or
    comparison) and slot, and every key its literals name."""

    __slots__ = ("indexes", "source", "wanted")

    def __init__(self, source: c.Family | c.Measure, entries: _Entries) -> None:
        self.source = source
        self.indexes: dict[tuple[Hashable, int], _Members | _Thresholds] = {}
        for (kind, slot), group in entries.items():
            if not group:
                continue
            self.indexes[kind, slot] = (
                _Members(kind, group) if isinstance(kind, bool) else _Thresholds(kind, group)
            )
        self.wanted = frozenset().union(
            *(index.by_key for index in self.indexes.values() if isinstance(index, _Members))
        )

    def judge(self, value: Any, on: dt.date, world: World) -> tuple[int, int]:
        source = self.source
        view: Any = (
            source.observed(value)
            if isinstance(source, c.Measure)
            else source.view(value, on, world, self.wanted)
        )
        false = unknown = 0
        for index in self.indexes.values():
            f, u = index.judge(view)
            false |= f
            unknown |= u
        return false, unknown


#: What a family of literals reads: a family of keys or a measure of one context.
Source = c.Family | c.Measure

#: A family's literals by index (kind and slot): (keys or threshold, bit position, policy).
_Entries = dict[tuple[bool | Op, int], list[tuple[Any, int, int]]]

#: A residual compiled for truth over masks: ("leaf", bit) for a leaf with a literal,
#: ("opaque", leaf) for one evaluated as usual, ("not", tree), ("all", trees) or ("any", trees).
Tree = tuple[Any, ...]


class MatchIndex:
    """Bitmask indexes over the criteria of ``world.policies``.

    Bit ``i < len(policies)`` stands for ``policies[i]``; each leaf of a residual part gets a
    bit of its own above those. ``judge_*`` methods return ``(false, unknown)`` masks for one
    context value on a date: pure, and constant between the world's change points. A policy's
    residuals are judged by ``residual_truth`` from the masks of a request's contexts.
    ``replaced`` gives the index of a world whose policies differ at some positions.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        self._families: dict[Fact, dict[Hashable, _Family]] = {}
        # each family's literals by index: (keys or threshold, bit position, policy)
        self._entries: dict[Source, _Entries] = {}
        self._residuals: dict[int, tuple[Tree, ...]] = {}
        self._leaves: dict[int, int] = {}  # the bits of each policy's residual leaves
        self._opaque: set[int] = set()  # policies with opaque residual leaves
        self._item_leaves = 0  # residual leaf bits whose literal reads more than a leg's facts
        self._leg_residuals: int | None = None  # see ``leg_residuals``
        self._truths: dict[tuple[int, int, int], Truth] = {}
        # each (leaf, issuer, sign)'s literal, its family's entries and its index's number:
        # generated and real policies repeat leaves
        self._literals: dict[tuple[Criterion, str, bool], _Routed | tuple[()]] = {}
        # each index's entries, kind, number and first slot's entries, by (source, kind)
        self._routes: dict[tuple[Source, bool | Op], _Route] = {}
        self._next_bit = len(world.policies)
        #: The policies' bits.
        self.policies_mask = (1 << len(world.policies)) - 1
        #: Policies with residual parts.
        self.residual_mask = 0
        #: ``Facts`` fields that residual leaves left to ordinary evaluation read.
        self.opaque_reads: frozenset[str] = frozenset()
        for i, policy in enumerate(world.policies):
            self._add(i, policy.criterion, policy.issuer)
        self._build(self._entries)
        #: The contexts some literal reads (the others always give empty masks).
        self.contexts = frozenset(self._families)

    def replaced(self, world: World, changed: Iterable[int]) -> MatchIndex:
        """The index of ``world``, whose policies are this index's world's but for those at
        the positions ``changed`` (same count, same order): it judges as ``MatchIndex(world)``
        does. Only the families that the old or new policies touch are rebuilt."""
        gone = set(changed)
        new = copy.copy(self)
        new.world = world
        touched = {
            source
            for i in gone
            for source in _sources(self.world.policies[i].criterion, self.world.policies[i].issuer)
        }
        new._entries = {
            source: {
                index: [e for e in group if e[2] not in gone] if source in touched else list(group)
                for index, group in entries.items()
            }
            for source, entries in self._entries.items()
        }
        new._literals, new._routes = {}, {}  # they point at this index's entries
        new._residuals = {i: r for i, r in self._residuals.items() if i not in gone}
        new._leaves = {i: r for i, r in self._leaves.items() if i not in gone}
        new._opaque = self._opaque - gone
        new._truths, new._leg_residuals = {}, None
        new.residual_mask = self.residual_mask & ~mask_of(gone)
        for i in sorted(gone):
            policy = world.policies[i]
            new._add(i, policy.criterion, policy.issuer)
            touched |= _sources(policy.criterion, policy.issuer)
        new._families = {context: dict(families) for context, families in self._families.items()}
        new._build(touched)
        new.contexts = frozenset(context for context, got in new._families.items() if got)
        return new

    def _build(self, sources: Iterable[Source]) -> None:
        """(Re)build the families of ``sources`` from their literals."""
        for source in sources:
            families = self._families.setdefault(source.context, {})
            entries = self._entries.get(source, {})
            if not any(entries.values()):
                families.pop(source, None)
                continue
            families[source] = _Family(source, entries)

    def _add(self, i: int, criterion: Criterion, issuer: str) -> None:
        literals, residuals = conjuncts(criterion)
        slots: dict[int, int] = {}
        trees = [self._tree(r, issuer, i) for r in residuals]
        known = self._literals
        for leaf, positive in literals:
            key = (leaf, issuer, positive)
            routed = known.get(key)
            if routed is None:
                routed = self._routed(key)
            if not routed:
                tree = self._tree(leaf, issuer, i)
                trees.append(tree if positive else ("not", tree))
                continue
            payload, entries, kind, route, first = routed
            slot = slots[route] = slots.get(route, -1) + 1
            if slot:
                entries.setdefault((kind, slot), []).append((payload, i, i))
            else:
                first.append((payload, i, i))
        if trees:
            self._residuals[i] = tuple(trees)
            self.residual_mask |= 1 << i
            self._leaves[i] = 0
            for tree in trees:
                self._leaves[i] |= _leaf_bits(tree, i, self._opaque)

    def _routed(self, key: tuple[Criterion, str, bool]) -> _Routed | tuple[()]:
        """The literal of a (leaf, issuer, sign) as its keys or threshold, its family's entries,
        its index's kind and number (family and polarity or comparison) and the entries of that
        index's first slot; empty for a leaf without a literal."""
        leaf, issuer, positive = key
        literal = leaf.literal(issuer)
        routed: _Routed | tuple[()] = ()
        if literal is not None:
            literal = literal if positive else _negated(literal)
            source, kind, payload = _route(literal)
            route = self._routes.get((source, kind))
            if route is None:
                entries = self._entries.setdefault(source, {})
                first = entries.setdefault((kind, 0), [])
                route = self._routes[source, kind] = (entries, kind, len(self._routes), first)
            routed = (payload, *route)
        self._literals[key] = routed
        return routed

    def _tree(self, node: Criterion, issuer: str, owner: int) -> Tree:
        if isinstance(node, c.Connective):
            parts = tuple(self._tree(part, issuer, owner) for part in node.parts)
            if node.junction is c.Junction.NOT:
                return ("not", parts[0])
            return (node.junction.value, parts)
        literal = node.literal(issuer)
        if literal is None:
            self.opaque_reads |= c.reads(node)
            return ("opaque", node)
        at = self._next_bit
        self._next_bit += 1
        if literal.context not in _LEG_FACTS:
            self._item_leaves |= 1 << at
        source, kind, payload = _route(literal)
        entries = self._entries.setdefault(source, {})
        entries.setdefault((kind, 0), []).append((payload, at, owner))
        return ("leaf", 1 << at)

    def judge(self, context: Fact, value: Any, on: dt.date) -> tuple[int, int]:
        """(false, unknown) masks for one value of a context on ``on``."""
        false = unknown = 0
        for family in self._families.get(context, {}).values():
            f, u = family.judge(value, on, self.world)
            false |= f
            unknown |= u
        return false, unknown & ~false

    def judge_item(self, item: Item, on: dt.date) -> tuple[int, int]:
        return self.judge(Fact.ITEM, item, on)

    def judge_buyer(self, buyer: Company, on: dt.date) -> tuple[int, int]:
        return self.judge(Fact.BUYER, buyer, on)

    def judge_state(self, ctx: Context, state: str, on: dt.date) -> tuple[int, int]:
        """Masks for a leg's exporter or importer, or the destination (``ctx``)."""
        return self.judge(Fact(ctx), state, on)

    def judge_end_use(self, end_use: str | None) -> tuple[int, int]:
        return self.judge(Fact.END_USE, end_use, dt.date.min)

    def leg_residuals(self) -> int:
        """Mask of the policies whose residual parts read only what a leg judges without the
        item (buyer, exporter, importer, destination, end use) and no opaque leaf: their truth
        is the same for every item."""
        found = self._leg_residuals
        if found is None:
            found = 0
            for i, leaves in self._leaves.items():
                if i not in self._opaque and not leaves & self._item_leaves:
                    found |= 1 << i
            self._leg_residuals = found
        return found

    def judge_side(self, possible: int, false: int, unknown: int) -> tuple[int, int, int]:
        """The ``possible`` policies of a leg's side, those sure to match unless the item says
        otherwise, and the unknown mask, once the residual parts of ``leg_residuals`` are
        judged on the leg's ``(false, unknown)`` masks: the same for every item."""
        sure, doubt = possible & ~unknown, unknown
        for i in bits(possible & self.leg_residuals()):
            truth = self.residual_truth(i, false, unknown, _no_facts)
            if truth is Truth.FALSE:
                possible, sure = possible & ~(1 << i), sure & ~(1 << i)
            elif truth is Truth.UNKNOWN:
                sure, doubt = sure & ~(1 << i), doubt | 1 << i
        return possible, sure, doubt

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


#: A literal's keys or threshold, its family's entries, its index's kind and number, and the
#: entries of that index's first slot (see ``MatchIndex._routed``).
_Routed = tuple[Any, "_Entries", bool | Op, int, list[tuple[Any, int, int]]]
#: An index's family's entries, its kind, its number and the entries of its first slot.
_Route = tuple["_Entries", bool | Op, int, list[tuple[Any, int, int]]]


def _route(literal: c.Literal) -> tuple[Source, bool | Op, Any]:
    """What a literal reads, the kind of its index (its polarity or comparison) and what the
    index holds of it (its keys or threshold)."""
    if isinstance(literal, c.Members):
        return literal.family, literal.negated, literal.keys
    return literal.measure, literal.bound.op, literal.bound.value


def _sources(criterion: Criterion, issuer: str) -> set[Source]:
    """What the literals of a policy's criterion read."""
    out: set[Source] = set()
    for node in c.walk(criterion):
        literal = node.literal(issuer) if node.junction is None else None
        if literal is not None:
            out.add(_route(literal)[0])
    return out


def _negated(literal: c.Literal) -> c.Literal:
    """The literal true exactly when ``literal`` is false (unknown stays unknown)."""
    if isinstance(literal, c.Members):
        return c.Members(literal.family, literal.keys, not literal.negated)
    return c.Threshold(literal.measure, ~literal.bound)


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
#: the facts whose masks a leg is judged on before its item (``leg_residuals``)
_LEG_FACTS = frozenset({Fact.BUYER, Fact.EXPORTER, Fact.IMPORTER, Fact.DESTINATION, Fact.END_USE})


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


def _no_facts(issuer: str) -> Facts:
    """The facts of a residual judged without its item: never asked for, since only residuals
    without opaque leaves are (``MatchIndex.leg_residuals``)."""
    raise AssertionError(f"a residual without opaque leaves asked for facts ({issuer})")
