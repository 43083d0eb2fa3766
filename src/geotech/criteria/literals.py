"""What a leaf criterion says about itself: the ids it references and the literal it splits
into.

A *literal* is a leaf's test stated as data, so that the compiled matcher, lint and the
analyses can reason about it without knowing its class:

- ``Members(family, keys)``: the keys a context value has in ``family`` (its kind, id, the
  places it is in, the lists it is on, the classes it falls in...) meet ``keys``;
- ``Threshold(measure, bound)``: a number the item has (``measure``) passes ``bound``.

A ``Family`` turns one context value (an item, a buyer, a state, an end use) into a ``View``:
the keys that hold for it, and those whose holding is unknown. Guarantee (a property test):
for a leaf whose ``literal(issuer)`` is not ``None``, ``literal.judge(value, on, registry)``
equals the truth of the leaf's own ``evaluate`` on facts with that value.
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterable
from typing import Any, NamedTuple

from attrs import frozen

from geotech.criteria.logic import Fact, Registry, Truth, fmt
from geotech.criteria.ownership import Affiliation
from geotech.entities import Company


class Entity(enum.StrEnum):
    """A kind of record a criterion can name by id (values as ``World.ids`` spells them)."""

    STATE = "state"
    GROUP = "group"
    PARTY_LIST = "party list"
    ITEM = "item"
    COMPANY = "company"
    CLASS_CODE = "class code"


@frozen
class Reference:
    """Ids of one kind that a criterion names in one of its fields."""

    entity: Entity
    field: str
    ids: frozenset[str]


class KeyKind(enum.StrEnum):
    """What a structured key stands for."""

    STATE = "state"
    GROUP = "group"
    OWN = "own"  # the company itself is listed
    CHAIN = "chain"  # the company is listed or 50 % or more held by listed parties (affiliates)


class Key(NamedTuple):
    """A structured key of a family (a place, a listing). A NamedTuple because matching
    builds and hashes many of them per judged value."""

    kind: KeyKind
    id: str


@frozen
class View:
    """What a context value offers a family: keys that hold, keys whose holding is unknown."""

    holds: frozenset[Hashable]
    maybe: frozenset[Hashable] = frozenset()


class Family(ABC):
    """A kind of key a context value has (its id, kind, places, listings, classes)."""

    context: Fact

    @property
    def reads(self) -> frozenset[Fact]:
        """The facts a view reads: the context, and the date when keys depend on it."""
        return frozenset({self.context})

    @property
    def domain(self) -> frozenset[Hashable] | None:
        """Every key a value can have, when that is a short fixed list (else ``None``)."""
        return None

    @abstractmethod
    def view(
        self, value: Any, on: dt.date, registry: Registry, wanted: frozenset[Hashable]
    ) -> View | None:
        """The keys of ``value`` among ``wanted`` on ``on``; ``None`` when nothing is known."""


@frozen(cache_hash=True)
class Attribute(Family):
    """The key is an attribute of the context value (``name``), or the value itself."""

    context: Fact
    name: str | None = None
    values: frozenset[Hashable] | None = None

    @property
    def domain(self) -> frozenset[Hashable] | None:
        return self.values

    def view(
        self, value: Any, on: dt.date, registry: Registry, wanted: frozenset[Hashable]
    ) -> View | None:
        key = value if self.name is None else getattr(value, self.name, None)
        return None if key is None else View(frozenset({key}))


@frozen(cache_hash=True)
class Places(Family):
    """The states a context value is in, and the groups those states belong to on the date."""

    context: Fact

    @property
    def reads(self) -> frozenset[Fact]:
        return frozenset({self.context, Fact.ON})

    def states(self, value: Any, registry: Registry) -> frozenset[str]:
        """The states of a context value: a state is in itself."""
        return frozenset({value})

    def view(
        self, value: Any, on: dt.date, registry: Registry, wanted: frozenset[Hashable]
    ) -> View | None:
        states = self.states(value, registry)
        keys: set[Hashable] = {Key(KeyKind.STATE, s) for s in states}
        for key in wanted:
            if (
                isinstance(key, Key)
                and key.kind is KeyKind.GROUP
                and any(registry.group_contains(key.id, s, on) for s in states)
            ):
                keys.add(key)
        return View(frozenset(keys))


def ultimate_parent(registry: Registry, company: Company) -> Company:
    """The top of the company's parent chain (the company itself when it has no parent)."""
    chain = registry.ancestors(company.id)
    return chain[-1] if chain else company


def homes(registry: Registry, company: Company) -> frozenset[str]:
    """Where a buyer counts as headquartered: its own state and its ultimate parent's."""
    return frozenset({company.hq, ultimate_parent(registry, company).hq})


@frozen(cache_hash=True)
class Homes(Places):
    """The places of a buyer: where it or its ultimate parent is headquartered."""

    context: Fact = Fact.BUYER

    def states(self, value: Any, registry: Registry) -> frozenset[str]:
        return homes(registry, value)


def affiliation(registry: Registry, party_list: str, on: dt.date) -> Affiliation:
    """The affiliates test of ``party_list`` on ``on`` over the registry's stakes."""
    return Affiliation(registry.stakes, lambda x: registry.listed(party_list, x, on))


@frozen(cache_hash=True)
class Listings(Family):
    """The party lists a buyer is on (``OWN``), or it or an owner is on (``CHAIN``)."""

    context: Fact = Fact.BUYER

    @property
    def reads(self) -> frozenset[Fact]:
        return frozenset({self.context, Fact.ON})

    def view(
        self, value: Any, on: dt.date, registry: Registry, wanted: frozenset[Hashable]
    ) -> View | None:
        keys: set[Hashable] = set()
        for key in wanted:
            assert isinstance(key, Key)
            if key.kind is KeyKind.CHAIN:
                hit = affiliation(registry, key.id, on).covered(value.id)
            else:
                hit = registry.listed(key.id, value.id, on)
            if hit:
                keys.add(key)
        return View(frozenset(keys))


@frozen(cache_hash=True)
class Classes(Family):
    """The control-class codes an item falls in on the date (unknown when a definition
    depends on an unpublished fact)."""

    context: Fact = Fact.ITEM

    @property
    def reads(self) -> frozenset[Fact]:
        return frozenset({self.context, Fact.ON})

    def view(
        self, value: Any, on: dt.date, registry: Registry, wanted: frozenset[Hashable]
    ) -> View | None:
        holds: set[Hashable] = set()
        maybe: set[Hashable] = set()
        for code in wanted:
            truth = registry.class_step(str(code), value, on).truth
            if truth is Truth.TRUE:
                holds.add(code)
            elif truth is Truth.UNKNOWN:
                maybe.add(code)
        return View(frozenset(holds), frozenset(maybe))


@frozen(cache_hash=True)
class Measure:
    """A number the item has, read from its attribute ``name`` (absent or ``None``: unknown)."""

    name: str
    context: Fact = Fact.ITEM

    @property
    def reads(self) -> frozenset[Fact]:
        return frozenset({self.context})

    def observed(self, value: Any) -> float | None:
        found = getattr(value, self.name, None)
        return None if found is None else float(found)


class Op(enum.StrEnum):
    """A comparison of an observed number with a threshold."""

    GE = ">="
    GT = ">"
    LT = "<"
    LE = "<="

    def holds(self, observed: float, threshold: float) -> bool:
        return _OPS[self](observed, threshold)

    @property
    def rising(self) -> bool:
        """Whether the comparison holds above the threshold (``>=``, ``>``)."""
        return self in (Op.GE, Op.GT)

    @property
    def inclusive(self) -> bool:
        """Whether the threshold itself passes (``>=``, ``<=``: a closed edge)."""
        return self in (Op.GE, Op.LE)

    def __invert__(self) -> Op:
        return _NEGATED[self]


_OPS: dict[Op, Callable[[float, float], bool]] = {
    Op.GE: operator.ge,
    Op.GT: operator.gt,
    Op.LT: operator.lt,
    Op.LE: operator.le,
}
_NEGATED = {Op.GE: Op.LT, Op.GT: Op.LE, Op.LT: Op.GE, Op.LE: Op.GT}


@frozen
class Bound:
    """``observed <op> value``: a threshold with its open or closed edge."""

    op: Op
    value: float

    def holds(self, observed: float) -> bool:
        return self.op.holds(observed, self.value)

    def __invert__(self) -> Bound:
        return Bound(~self.op, self.value)

    def implies(self, other: Bound) -> bool:
        """Whether every number passing this bound passes ``other``."""
        if self.op.rising != other.op.rising:
            return False
        if self.value == other.value:
            return self.op is other.op or not self.op.inclusive
        return self.value > other.value if self.op.rising else self.value < other.value

    def describe(self, name: str) -> str:
        return f"{name} {self.op} {fmt(self.value)}"


@frozen
class Members:
    """The literal "the context value's keys in ``family`` meet ``keys``" (or, ``negated``,
    do not meet them)."""

    family: Family
    keys: frozenset[Hashable]
    negated: bool = False

    @property
    def context(self) -> Fact:
        return self.family.context

    def truth(self, view: View | None) -> Truth:
        if view is None:
            return Truth.UNKNOWN
        if view.holds & self.keys:
            hit = Truth.TRUE
        elif view.maybe & self.keys:
            return Truth.UNKNOWN
        else:
            hit = Truth.FALSE
        return ~hit if self.negated else hit

    def judge(self, value: Any, on: dt.date, registry: Registry) -> Truth:
        return self.truth(self.family.view(value, on, registry, self.keys))


@frozen
class Threshold:
    """The literal "the item's ``measure`` passes ``bound``"."""

    measure: Measure
    bound: Bound

    @property
    def context(self) -> Fact:
        return self.measure.context

    def truth(self, observed: float | None) -> Truth:
        return Truth.UNKNOWN if observed is None else Truth.of(self.bound.holds(observed))

    def judge(self, value: Any, on: dt.date, registry: Registry) -> Truth:
        return self.truth(self.measure.observed(value))

    def describe(self) -> str:
        return self.bound.describe(self.measure.name)


Literal = Members | Threshold


def place_keys(states: Iterable[str], groups: Iterable[str]) -> frozenset[Hashable]:
    """The keys of a set of states and country groups."""
    return frozenset(
        {Key(KeyKind.STATE, s) for s in states} | {Key(KeyKind.GROUP, g) for g in groups}
    )


#: The families the built-in criteria use, shared so that equal literals meet in one index.
ITEM_KIND = Attribute(Fact.ITEM, "kind")
ITEM_ID = Attribute(Fact.ITEM, "id")
ITEM_CLASSES = Classes()
DATACENTER = Attribute(Fact.ITEM, "datacenter", frozenset({True, False}))
BUYER_ID = Attribute(Fact.BUYER, "id")
BUYER_HOMES = Homes()
BUYER_LISTINGS = Listings()
END_USES = Attribute(Fact.END_USE)
