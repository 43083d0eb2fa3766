"""Many requests against one world: compiled indexes, shared work, the same answers.

An ``Evaluator`` uses its world's compiled index (built on first use and kept with the world)
and keeps the answers it computes:

- the world's change points (bounds of policies, class definitions, group memberships and
  listings, and the days dated criteria name): nothing the engine reads changes between two
  of them, so every date falls in one *interval* and everything below is computed once per
  interval, not per date;
- per interval, bitmasks of the policies in force by side and issuer: a leg's scope is the
  ``or`` of a few masks, not a filter over every policy;
- a ``geotech.engine.matching.MatchIndex``, and per interval the masks of each item, buyer, state
  and end use; buyers whose masks agree, and items whose masks and reach agree, share answers, and
  equal outcomes are settled once; per buyer group, a leg's sides are reduced to what only the
  item can change, so a new (buyer, item) pair costs an ``and`` and the listing of its bits;
- criteria wrapped so that a part reading only the item, only the buyer, only the leg or only
  the end use is evaluated once per value and its trace reused.

Guarantees: ``decisions(requests)`` are, in order, the decisions of the semantics
(``geotech.engine.evaluate``), whose explanations, built when first read, equal the outcomes
``geotech.engine.legs.judge_leg`` gives on each leg and side; a request that cannot be
decided raises the error its resolution gives. ``rulings(requests)`` are their rulings,
computed from the policies that can apply only. Caches never change an answer; an
Evaluator is not thread-safe.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

import attrs

from geotech import criteria as c
from geotech.criteria import Criterion, Facts, Step, Truth
from geotech.engine.decision import (
    AccessRequest,
    Decision,
    Explanation,
    Leg,
    Parts,
    Ruling,
    explanation_parts,
)
from geotech.engine.legs import judge_leg, resolve_route
from geotech.engine.matching import Context, MatchIndex, bits, mask_of
from geotech.engine.settle import PolicyTable, Settled, combine, settle, settle_held
from geotech.entities import Company, Item
from geotech.policies import AnyPolicy, Side
from geotech.world import World


def change_points(world: World) -> tuple[dt.date, ...]:
    """The dates on which something the engine reads may change, ascending."""
    dates: set[dt.date | None] = set()
    for record in (*world.policies, *world.classes):
        dates |= {record.effective, record.expires, *c.days(record.criterion)}
    for group in world.groups:
        for m in group.members:
            dates |= {m.start, m.end}
    for party_list in world.party_lists:
        for x in party_list.listings:
            dates |= {x.start, x.end}
    return tuple(sorted(d for d in dates if d is not None))


# A part of a criterion that reads facts of one kind only is memoized on them.
_MEMO_KEYS: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = (
    (frozenset({"item"}), ("item.id",)),
    (frozenset({"buyer"}), ("buyer.id",)),
    (frozenset({"exporter", "importer", "destination", "issuer"}), ()),
    (frozenset({"end_use"}), ("end_use",)),
)


def _memo_key(read: frozenset[str]) -> Callable[[Facts], Any] | None:
    """The memo key of a part that reads ``read``, or None when it reads several kinds."""
    rest = read - {"on"}
    for kind, fields in _MEMO_KEYS:
        if rest <= kind:
            names = (fields or tuple(sorted(rest))) if rest else ()
            names += ("on",) if "on" in read else ()
            return operator.attrgetter(*names) if names else _constant
    return None


def _constant(facts: Facts) -> None:
    return None


class _Memo:
    """A criterion whose evaluation is remembered by the facts it reads."""

    __slots__ = ("_key", "_node", "_steps")

    def __init__(self, node: Any, key: Callable[[Facts], Any]) -> None:
        self._node = node
        self._key = key
        self._steps: dict[Any, Step] = {}

    def evaluate(self, facts: Facts) -> Step:
        key = self._key(facts)
        step = self._steps.get(key)
        if step is None:
            step = self._steps[key] = self._node.evaluate(facts)
        return step


class _Index(NamedTuple):
    """What an Evaluator compiles of its world, once per world (``World.derived``)."""

    points: tuple[dt.date, ...]
    match: MatchIndex
    table: PolicyTable
    #: whether some literal reads the destination or the end use
    request_contexts: bool
    #: per interval, filled on first need: the export and import policies in force by issuer
    forces: dict[int, tuple[dict[str, int], dict[str, int]]]

    @classmethod
    def of(cls, world: World) -> _Index:
        match = MatchIndex(world)
        return cls(
            points=change_points(world),
            match=match,
            table=PolicyTable.of(world.policies),
            request_contexts=bool({"destination", "end_use"} & match.contexts),
            forces={},
        )

    def replaced(self, world: World, changed: Sequence[int]) -> _Index:
        """The index of ``world``, this index's world with the policies at ``changed``
        replaced: the match index patched for them, the rest recomputed (linear)."""
        match = self.match.replaced(world, changed)
        return _Index(
            points=change_points(world),
            match=match,
            table=PolicyTable.of(world.policies),
            request_contexts=bool({"destination", "end_use"} & match.contexts),
            forces={},
        )

    def in_force(self, k: int, world: World) -> tuple[dict[str, int], dict[str, int]]:
        """Masks of the policies in force in interval ``k``, by side and issuer."""
        found = self.forces.get(k)
        if found is None:
            on = self.points[k - 1] if k else dt.date.min
            export: dict[str, list[int]] = {}
            import_: dict[str, list[int]] = {}
            for i, p in enumerate(world.policies):
                if p.in_force(on):
                    issuers = export if p.side is Side.EXPORT else import_
                    issuers.setdefault(p.issuer, []).append(i)
            found = self.forces[k] = (
                {issuer: mask_of(at) for issuer, at in export.items()},
                {issuer: mask_of(at) for issuer, at in import_.items()},
            )
        return found


def patch_index(world: World, base: World) -> None:
    """Give ``world`` the compiled index of ``base`` patched for the policies that differ,
    when ``world`` has no index yet and its policies have the ids of ``base``'s (a reform that
    changes policies in place); otherwise ``world`` compiles its own on first use. Either way
    an ``Evaluator`` of ``world`` gives the same answers."""
    old, new = base.policies, world.policies
    if len(old) != len(new) or any(a.id != b.id for a, b in zip(old, new, strict=True)):
        return
    changed = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a is not b]
    index = base.derived(Evaluator, _Index.of)
    world.derived(Evaluator, lambda w: index.replaced(w, changed))


class Evaluator:
    """Evaluates requests against one world, sharing work between them (see the module).

    The world's index is compiled once per world and kept with it; an Evaluator keeps the
    answers it computes.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        index = world.derived(Evaluator, _Index.of)
        self._index = index
        self._match = index.match
        self._table = index.table
        self._request_contexts = index.request_contexts
        self._intervals: dict[dt.date, int] = {}
        self._export_scopes: dict[tuple[Any, ...], int] = {}
        self._buyers: dict[str, Company] = {}
        self._items: dict[str, Item] = {}
        self._routes: dict[tuple[Any, ...], tuple[str, tuple[str, ...]]] = {}
        self._jurisdictions: dict[str, frozenset[str]] = {}
        # rulings
        self._item_masks: dict[tuple[str, int], _ItemMasks] = {}
        self._buyer_masks: dict[tuple[str, int], tuple[int, int, int]] = {}
        self._groups: dict[tuple[Any, ...], int] = {}
        self._other_masks: dict[tuple[Any, ...], tuple[int, int]] = {}
        self._front: dict[tuple[Any, ...], Ruling] = {}
        self._sides: dict[tuple[Any, ...], tuple[_Sides, ...]] = {}
        self._ruled: dict[tuple[int, ...], Ruling] = {}
        self._held: dict[int, list[tuple[int, Ruling]]] = {}
        self._settled: dict[tuple[int, int], Settled] = {}
        # decisions
        self._compiled: dict[int, AnyPolicy] = {}
        self._memos: dict[Criterion, Any] = {}

    # -- shared ------------------------------------------------------------------------------

    def _interval(self, on: dt.date) -> int:
        k = self._intervals.get(on)
        if k is None:
            k = self._intervals[on] = bisect.bisect_right(self._index.points, on)
            self._index.in_force(k, self.world)  # fills index.forces[k] on first need
        return k

    def _reach(self, item: Item) -> frozenset[str]:
        """The states whose export controls reach the item."""
        reach = self._jurisdictions.get(item.id)
        if reach is None:
            reach = self._jurisdictions[item.id] = self.world.jurisdictions(item)
        return reach

    def _export_scope(self, k: int, exporter: str, importer: str, reach: frozenset[str]) -> int:
        """Mask of the export policies in scope on a leg (semantics, step 1)."""
        key = (k, exporter, importer, reach)
        mask = self._export_scopes.get(key)
        if mask is None:
            by_issuer = self._index.forces[k][0]
            mask = 0
            for issuer in (reach | {exporter}) - {importer}:
                mask |= by_issuer.get(issuer, 0)
            self._export_scopes[key] = mask
        return mask

    def _import_scope(self, k: int, importer: str) -> int:
        return self._index.forces[k][1].get(importer, 0)

    def _resolve(self, request: AccessRequest) -> tuple[Company, Item, str, tuple[str, ...]]:
        """Buyer, item, destination and route, checked (and failing) as ``resolve_route`` does."""
        world = self.world
        try:
            buyer = self._buyers[request.buyer]
        except (KeyError, TypeError):
            buyer = self._buyers[request.buyer] = world.company(request.buyer)
        try:
            item = self._items[request.item]
        except (KeyError, TypeError):
            item = self._items[request.item] = world.item(request.item)
        # an explicit route does not depend on the buyer or the item
        key = (
            (request.destination, request.route)
            if request.route
            else (buyer.hq, item.id, request.destination)
        )
        try:
            destination, route = self._routes[key]
        except (KeyError, TypeError):
            destination, route = resolve_route(world, request, buyer, item)
            self._routes[key] = destination, route
        return buyer, item, destination, route

    # -- full decisions ----------------------------------------------------------------------

    def decisions(self, requests: Iterable[AccessRequest]) -> list[Decision]:
        """``[evaluate(world, r) for r in requests]``, in order.

        Each decision's verdict, review, conditions, determining policies and certainty come
        from its ruling; its ``explanation`` (outcomes, traces, unknowns, policies in scope) is
        built the first time it is read, by this evaluator.
        """
        resolved: list[tuple[AccessRequest, Company, Item, tuple[str, ...]]] = []
        ruled = self._rulings(requests, resolved)
        out: list[Decision] = []
        for (request, buyer, item, route), ruling in zip(resolved, ruled, strict=True):
            explanation = Explanation(functools.partial(self._explain, request, buyer, item, route))
            out.append(Decision(request, route, ruling, explanation, buyer, item))
        return out

    def _explain(
        self, request: AccessRequest, buyer: Company, item: Item, route: tuple[str, ...]
    ) -> Parts:
        """The explanation of a request on its resolved route, judged leg by leg,
        with compiled scopes and memoized criteria."""
        destination = route[-1]
        k = self._interval(request.on)
        policies = self.world.policies
        outcomes = []
        used: dict[str, AnyPolicy] = {}
        for exporter, importer in itertools.pairwise(route):
            leg = Leg(exporter, importer)
            for side, mask in (
                (Side.EXPORT, self._export_scope(k, exporter, importer, self._reach(item))),
                (Side.IMPORT, self._import_scope(k, importer)),
            ):
                scope = bits(mask)
                used.update((policies[i].id, policies[i]) for i in scope)
                compiled = [self._compile(i) for i in scope]
                outcomes.append(
                    judge_leg(self.world, request, buyer, item, destination, leg, side, compiled)
                )
        return explanation_parts(outcomes, used)

    def _compile(self, i: int) -> AnyPolicy:
        """Policy ``i`` with its criterion's single-kind parts memoized."""
        found = self._compiled.get(i)
        if found is None:
            policy = self.world.policies[i]
            criterion = self._memoized(policy.criterion)
            found = self._compiled[i] = attrs.evolve(policy, criterion=criterion)
        return found

    def _memoized(self, node: Criterion) -> Any:
        found = self._memos.get(node)
        if found is None:
            rebuilt: Any = node
            if isinstance(node, c.Connective):
                rebuilt = node.rebuilt(tuple(self._memoized(x) for x in node.parts))
            key = _memo_key(c.reads(node))
            found = self._memos[node] = rebuilt if key is None else _Memo(rebuilt, key)
        return found

    # -- rulings -----------------------------------------------------------------------------

    def rulings(self, requests: Iterable[AccessRequest]) -> list[Ruling]:
        """``[evaluate(world, r).ruling for r in requests]``, in order."""
        return self._rulings(requests, None)

    def _rulings(
        self,
        requests: Iterable[AccessRequest],
        resolved: list[tuple[AccessRequest, Company, Item, tuple[str, ...]]] | None,
    ) -> list[Ruling]:
        """The rulings; with ``resolved``, also appends each request with its buyer, item and
        route there."""
        # Buyers with equal masks, items with equal masks and reach, dates in one interval get
        # equal rulings, unless a leaf left to ordinary evaluation reads the buyer, item or date.
        opaque = self._match.opaque_reads
        by_buyer, by_item, by_interval = (
            "buyer" not in opaque,
            "item" not in opaque,
            "on" not in opaque,
        )
        intervals, buyer_masks, item_masks = self._intervals, self._buyer_masks, self._item_masks
        front = self._front
        out: list[Ruling] = []
        for request in requests:
            buyer, item, _, route = self._resolve(request)
            if resolved is not None:
                resolved.append((request, buyer, item, route))
            k = intervals.get(request.on)
            if k is None:
                k = self._interval(request.on)
            b = buyer_masks.get((buyer.id, k))
            if b is None:
                b = self._judge_buyer(buyer, k, request.on)
            i = item_masks.get((item.id, k))
            if i is None:
                i = self._judge_item(item, k, request.on)
            key = (
                b[2] if by_buyer else buyer.id,
                i[2] if by_item else item.id,
                k if by_interval else request.on,
                route,
                request.end_use,
            )
            ruling = front.get(key)
            if ruling is None:
                ruling = front[key] = self._rule(request, buyer, b, item, i, route, k)
            out.append(ruling)
        return out

    def _judge_buyer(self, buyer: Company, k: int, on: dt.date) -> tuple[int, int, int]:
        """The buyer's masks and group: buyers with the same masks get the same answers."""
        false, unknown = self._match.judge_buyer(buyer, on)
        group = self._groups.setdefault((false, unknown), len(self._groups))
        found = self._buyer_masks[buyer.id, k] = (false, unknown, group)
        return found

    def _judge_item(self, item: Item, k: int, on: dt.date) -> _ItemMasks:
        """The item's masks, group and reach (the states whose controls reach it): items with
        the same masks and reach get the same answers."""
        false, unknown = self._match.judge_item(item, on)
        reach = self._reach(item)
        group = self._groups.setdefault((false, unknown, reach), len(self._groups))
        open_ = self._match.policies_mask & ~(false | unknown)
        found = self._item_masks[item.id, k] = (false, unknown, group, reach, open_)
        return found

    def _judge(self, context: Context, value: Any, k: int, on: dt.date) -> tuple[int, int]:
        """Masks of a state (exporter, importer or destination) or an end use; none when no
        literal reads that context."""
        if context not in self._match.contexts:
            return 0, 0
        key = (context, value, k)
        found = self._other_masks.get(key)
        if found is None:
            if context == "end_use":
                found = self._match.judge_end_use(value)
            else:
                found = self._match.judge_state(context, value, on)
            self._other_masks[key] = found
        return found

    def _rule(
        self,
        request: AccessRequest,
        buyer: Company,
        buyer_masks: tuple[int, int, int],
        item: Item,
        masks: _ItemMasks,
        route: tuple[str, ...],
        k: int,
    ) -> Ruling:
        """The ruling of a resolved request: masks in, set bits only for what can apply."""
        key = self._deciding(request, buyer, buyer_masks, item, masks, route, k)
        if len(key) == 2 and not key[1] and not key[0] & self._table.superseding:
            # the usual case: one side decides, surely. Hashing a wide mask costs a pass over
            # it: rulings are kept by the mask's hash, computed once, then compared.
            held = key[0]
            sketch = hash(held)
            known = self._held.get(sketch)
            if known is None:
                known = self._held[sketch] = []
            for mask, found in known:
                if mask == held:
                    return found
            settled = settle_held(self._table, held)[0]
            known.append((held, settled))
            return settled
        ruling = self._ruled.get(key)
        if ruling is None:
            if len(key) == 2:
                ruling = settle(self._table, self.world.policies, *key).ruling
            else:
                ruling = combine([self._settle(key[j], key[j + 1]) for j in range(0, len(key), 2)])
            self._ruled[key] = ruling
        return ruling

    def _deciding(
        self,
        request: AccessRequest,
        buyer: Company,
        buyer_masks: tuple[int, int, int],
        item: Item,
        masks: _ItemMasks,
        route: tuple[str, ...],
        k: int,
    ) -> tuple[int, ...]:
        """The (matching, unknown-match) masks of the legs and sides where some policy may
        apply, in route order: the ruling is settled from these alone (the others add nothing
        to it: ALLOWED, certain; ``engine.settle.combine``)."""
        end_use = request.end_use if self._request_contexts else None
        legs = self._sides.get((buyer_masks[2], k, route, masks[3], end_use))
        if legs is None:
            legs = self._buyer_sides(request, buyer_masks, route, masks[3], k)
        item_false, item_unknown, _, _, item_open = masks
        deciding: list[int] = []
        for exporter, importer, false, unknown, sides in legs:
            for possible, sure, residual, doubt in sides:
                if residual and residual & ~item_false:
                    held, unsure = self._residuals(
                        request,
                        buyer,
                        item,
                        (exporter, importer, route[-1]),
                        possible & ~item_false,
                        false | item_false,
                        unknown | item_unknown,
                    )
                else:
                    held = sure & item_open
                    unsure = (
                        possible & ~item_false & (doubt | item_unknown)
                        if doubt or item_unknown
                        else 0
                    )
                if held or unsure:
                    deciding += (held, unsure)
        return tuple(deciding)

    def _buyer_sides(
        self,
        request: AccessRequest,
        buyer_masks: tuple[int, int, int],
        route: tuple[str, ...],
        reach: frozenset[str],
        k: int,
    ) -> tuple[_Sides, ...]:
        """Per leg of the route: what all but the item make of its sides, shared by the
        requests of buyers of one group on items of one reach (``_Sides``)."""
        on = request.on
        false, unknown = buyer_masks[0], buyer_masks[1]
        end_use = None
        if self._request_contexts:
            end_use = request.end_use
            fd, ud = self._judge("destination", route[-1], k, on)
            fu, uu = self._judge("end_use", end_use, k, on)
            false, unknown = false | fd | fu, unknown | ud | uu
        match = self._match
        residuals = match.residual_mask & ~match.leg_residuals()
        legs = []
        for exporter, importer in itertools.pairwise(route):
            fe, ue = self._judge("exporter", exporter, k, on)
            fi, ui = self._judge("importer", importer, k, on)
            f, u = false | fe | fi, unknown | ue | ui
            sides = []
            export = self._export_scope(k, exporter, importer, reach)
            for scope in (export, self._import_scope(k, importer)):
                possible, sure, doubt = match.judge_side(scope & ~f, f, u)
                if possible:
                    sides.append((possible, sure, possible & residuals, doubt))
            legs.append((exporter, importer, f, u, tuple(sides)))
        found = self._sides[buyer_masks[2], k, route, reach, end_use] = tuple(legs)
        return found

    def applying(self, requests: Iterable[AccessRequest]) -> list[int]:
        """Per request, in order, the mask of the policies (bit ``i``: ``world.policies[i]``)
        that match or may match it on some leg and side. Its ruling depends on these policies
        only: removing or changing any other policy leaves it as it is."""
        out: list[int] = []
        for request in requests:
            buyer, item, _, route = self._resolve(request)
            k = self._interval(request.on)
            b = self._buyer_masks.get((buyer.id, k)) or self._judge_buyer(buyer, k, request.on)
            i = self._item_masks.get((item.id, k)) or self._judge_item(item, k, request.on)
            out.append(
                functools.reduce(
                    operator.or_, self._deciding(request, buyer, b, item, i, route, k), 0
                )
            )
        return out

    def _residuals(
        self,
        request: AccessRequest,
        buyer: Company,
        item: Item,
        leg: tuple[str, str, str],
        candidates: int,
        false: int,
        unknown: int,
    ) -> tuple[int, int]:
        """(matching, unknown-match) masks of the candidates once residual parts are judged;
        ``leg`` is the exporter, the importer and the destination."""
        match = self._match
        exporter, importer, destination = leg
        held, unsure = candidates & ~unknown, candidates & unknown

        def facts(issuer: str) -> Facts:
            return Facts(
                registry=self.world,
                on=request.on,
                item=item,
                buyer=buyer,
                exporter=exporter,
                importer=importer,
                destination=destination,
                issuer=issuer,
                end_use=request.end_use,
            )

        for i in bits(candidates & match.residual_mask):
            truth = match.residual_truth(i, false, unknown, facts)
            if truth is Truth.FALSE:
                held, unsure = held & ~(1 << i), unsure & ~(1 << i)
            elif truth is Truth.UNKNOWN:
                held, unsure = held & ~(1 << i), unsure | 1 << i
        return held, unsure

    def _settle(self, held: int, unsure: int) -> Settled:
        """``settle``, remembered."""
        found = self._settled.get((held, unsure))
        if found is None:
            found = self._settled[held, unsure] = settle(
                self._table, self.world.policies, held, unsure
            )
        return found


#: An item's false and unknown masks, its group, its reach, and the complement of its false
#: and unknown masks (the policies it leaves open).
_ItemMasks = tuple[int, int, int, frozenset[str], int]

#: One leg for a buyer (group), date interval, item reach and end use: exporter, importer, the
#: false and unknown masks of all but the item, and per side with policies in scope that these
#: leave possible: those policies, those of them that match unless the item says otherwise,
#: those of them with residual parts that read the item, and the unknown mask with the policies
#: whose residual parts, judged without the item, are unknown (``MatchIndex.leg_residuals``).
_Sides = tuple[str, str, int, int, tuple[tuple[int, int, int, int], ...]]
