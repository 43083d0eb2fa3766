"""Rulings from bitmasks of policies: one leg and side settled from the masks of its matching
and unknown-match policies, and the settled outcomes of a request combined.

Bit ``i`` stands for ``world.policies[i]``. ``settle`` follows the semantics of
``geotech.engine.semantics`` exactly as ``geotech.engine.legs.judge_leg`` does, and
``combine`` folds outcomes as steps 5 and 6 of ``geotech.engine.evaluate`` state, so the
batch path's rulings equal the rulings of the explained outcomes.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple, TypeVar

from geotech.engine.decision import Ruling
from geotech.engine.matching import bits, mask_of
from geotech.engine.semantics import OPEN, certain, restriction_range, supersede, union
from geotech.policies import AnyPolicy, Condition, Restriction

T = TypeVar("T")


class Settled(NamedTuple):
    """The outcome of one leg and side, reduced to what a ruling needs: its ruling as if it
    were the only outcome, its restriction, and the range of restrictions over completions
    of its unknown matches. (A NamedTuple: one is made per distinct outcome on the batch
    path's hot loop.)"""

    ruling: Ruling
    key: Restriction
    lowest: Restriction
    highest: Restriction


class PolicyTable(NamedTuple):
    """What settling an outcome needs of the world's policies, by bit (built once per world)."""

    ids: tuple[str, ...]
    #: each policy's bit position, by id
    position: dict[str, int]
    restriction: dict[str, Restriction]
    #: each policy's restriction, by bit
    restrictions: tuple[Restriction, ...]
    conditions: tuple[tuple[Condition, ...], ...]
    #: (restriction, mask of the policies with it), most restrictive first
    levels: tuple[tuple[Restriction, int], ...]
    #: the policies that set others aside, and those with conditions
    superseding: int
    conditional: int

    @classmethod
    def of(cls, policies: Sequence[AnyPolicy]) -> PolicyTable:
        ids: list[str] = []
        restrictions: list[Restriction] = []
        levels: dict[Restriction, list[int]] = {}
        superseding: list[int] = []
        conditional: list[int] = []
        # a property of effect, conditions and review: computed once per combination
        known: dict[tuple[object, bool, object], Restriction] = {}
        for i, p in enumerate(policies):
            ids.append(p.id)
            kind = (p.effect, bool(p.conditions), p.review)
            found = known.get(kind)
            if found is None:
                found = known[kind] = p.restriction
            restrictions.append(found)
            if found in levels:
                levels[found].append(i)
            else:
                levels[found] = [i]
            if p.supersedes:
                superseding.append(i)
            if p.conditions:
                conditional.append(i)
        return cls(
            ids=tuple(ids),
            position={pid: i for i, pid in enumerate(ids)},
            restriction=dict(zip(ids, restrictions, strict=True)),
            restrictions=tuple(restrictions),
            conditions=tuple([p.conditions for p in policies]),
            levels=tuple(sorted((key, mask_of(at)) for key, at in levels.items())[::-1]),
            superseding=mask_of(superseding),
            conditional=mask_of(conditional),
        )


def settle(table: PolicyTable, policies: Sequence[AnyPolicy], held: int, unsure: int) -> Settled:
    """One leg and side's outcome from the masks of its matching (``held``) and unknown-match
    (``unsure``) policies."""
    if not unsure and not held & table.superseding:
        ruling, key = settle_held(table, held)
        return Settled(ruling, key, key, key)
    kept = held
    positions = bits(held)  # once: the other masks are subsets of it
    matching = [policies[i] for i in positions]
    if held & table.superseding:
        _, set_aside = supersede(matching)
        if set_aside:
            aside = {table.position[pid] for pid in set_aside}
            kept &= ~mask_of(aside)
            positions = [i for i in positions if i not in aside]
    key, top = _level(table, kept)
    if unsure:
        unknown = [policies[i] for i in bits(unsure)]
        lowest, highest = restriction_range(matching, unknown, key, table.restriction)
    else:
        lowest = highest = key
    deciding = positions if top == kept else _at_level(table, positions, key)
    determining = _ids_at(table.ids, deciding)
    verdict, review = _PARTS[key]
    # alone, lowest <= key <= highest makes semantics.certain reduce to lowest == highest
    ruling = Ruling(
        verdict,
        review,
        _conditions(table, deciding) if top & table.conditional else (),
        determining,
        determining if top == kept else _ids_at(table.ids, positions),
        lowest == highest,
    )
    return Settled(ruling, key, lowest, highest)


def settle_held(table: PolicyTable, held: int) -> tuple[Ruling, Restriction]:
    """The ruling and restriction of one leg and side whose matching policies are ``held``,
    none of them setting another aside, with no unknown match: ``settle`` for that case. The
    policy ids are listed when first read, unless conditions need the positions now."""
    key, top = _level(table, held)
    verdict, review = _PARTS[key]
    if not top & table.conditional:
        listing = functools.partial(_held_ids, table, held, key, top)
        return Ruling.listed_later(verdict, review, (), True, listing), key
    positions = bits(held)
    deciding = positions if top == held else _at_level(table, positions, key)
    conditions = _conditions(table, deciding)
    determining = _ids_at(table.ids, deciding)
    applying = determining if top == held else _ids_at(table.ids, positions)
    return Ruling(verdict, review, conditions, determining, applying, True), key


def _held_ids(
    table: PolicyTable, held: int, key: Restriction, top: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The (determining, applying) ids of ``settle_held``'s ruling."""
    positions = bits(held)
    applying = _ids_at(table.ids, positions)
    if top == held:
        return applying, applying
    return _ids_at(table.ids, _at_level(table, positions, key)), applying


def _level(table: PolicyTable, kept: int) -> tuple[Restriction, int]:
    """The most restrictive restriction among the policies ``kept``, and their mask at it."""
    for level_key, level in table.levels:
        top = kept & level
        if top:
            return level_key, top
    return OPEN, 0


def _at_level(table: PolicyTable, positions: list[int], key: Restriction) -> list[int]:
    restrictions = table.restrictions
    return [i for i in positions if restrictions[i] == key]


def _ids_at(ids: tuple[str, ...], positions: list[int]) -> tuple[str, ...]:
    if len(positions) > 1:
        return operator.itemgetter(*positions)(ids)  # type: ignore[no-any-return]
    return (ids[positions[0]],) if positions else ()


def _conditions(table: PolicyTable, positions: list[int]) -> tuple[Condition, ...]:
    conditions = table.conditions
    return union([conditions[i] for i in positions if conditions[i]])


#: Each restriction's verdict and review (properties that compute them).
_PARTS = {r: (r.verdict, r.review) for r in Restriction}


def combine(outcomes: Sequence[Settled]) -> Ruling:
    """The ruling over all legs and sides; an outcome without matching or unknown-match
    policies (ALLOWED, certain, nothing to add) may be left out."""
    key = max([o.key for o in outcomes], default=OPEN)
    rulings = [o.ruling for o in outcomes]
    verdict, review = _PARTS[key]
    return Ruling(
        verdict=verdict,
        review=review,
        conditions=_merged([r.conditions for r in rulings if r.conditions], union),
        determining_policies=_merged(
            [
                o.ruling.determining_policies
                for o in outcomes
                if o.key == key and o.ruling.determining_policies
            ],
            _ids,
        ),
        applying_policies=_merged(
            [r.applying_policies for r in rulings if r.applying_policies], _ids
        ),
        certain=certain(outcomes, key),
    )


def _ids(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    return tuple(sorted({x for g in groups for x in g}))


def _merged(
    groups: list[tuple[T, ...]], merge: Callable[[list[tuple[T, ...]]], tuple[T, ...]]
) -> tuple[T, ...]:
    """``merge(groups)`` of canonical non-empty tuples, with no work for none or one."""
    if len(groups) <= 1:
        return groups[0] if groups else ()
    return merge(groups)
