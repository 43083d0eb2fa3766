"""The built-in criteria: connectives, and tests of the item, the buyer, the leg and the use.

Item criteria dispatch on the item's kind: a fact that the kind does not have, or that is not
published, is unknown. Each class declares its metadata (``geotech.criteria.base``).
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Hashable, Iterable
from typing import Any, ClassVar

import attrs
from attrs import frozen

from geotech.criteria.base import (
    Connective,
    Criterion,
    Junction,
    SetCriterion,
    ThresholdCriterion,
    joined,
    kinds,
)
from geotech.criteria.literals import (
    BUYER_HOMES,
    BUYER_ID,
    BUYER_LISTINGS,
    END_USES,
    ITEM_CLASSES,
    ITEM_ID,
    ITEM_KIND,
    Bound,
    Entity,
    Family,
    Key,
    KeyKind,
    Literal,
    Measure,
    Members,
    Op,
    Places,
    Reference,
    View,
    affiliation,
    homes,
    place_keys,
    ultimate_parent,
)
from geotech.criteria.logic import Fact, Facts, Step, Truth, fmt, names
from geotech.criteria.ownership import Affiliation
from geotech.criteria.uses import EndUseKind, end_use_kind
from geotech.entities import EquipmentKind, boolean, day, member, number, state_codes, strings
from geotech.errors import InvalidValueError


class SpecName(enum.StrEnum):
    """A numeric fact of an item that thresholds compare (chip specs and model figures)."""

    TPP = "tpp"
    PERFORMANCE_DENSITY = "performance_density"
    DRAM_BANDWIDTH_GBS = "dram_bandwidth_gbs"
    INTERCONNECT_GBS = "interconnect_gbs"
    MEMORY_GB = "memory_gb"
    TDP_W = "tdp_w"
    DIE_AREA_MM2 = "die_area_mm2"
    TRAINING_FLOP = "training_flop"
    PARAMETERS = "parameters"
    WAVELENGTH_NM = "wavelength_nm"
    OVERLAY_NM = "overlay_nm"
    MEMORY_BANDWIDTH_DENSITY = "memory_bandwidth_density"
    PROCESS_NM = "process_nm"
    TRANSISTORS = "transistors"


def _no_buyer(text: str) -> Step:
    return Step(f"{text} (no buyer)", Truth.UNKNOWN, needs=frozenset({"request.buyer"}))


# ---------------------------------------------------------------------------------------------
# Connectives


def _parts(values: Iterable[Criterion]) -> tuple[Criterion, ...]:
    return tuple(values)


@frozen
class All(Connective):
    """True when every part is true (an empty ``All`` is true)."""

    tag: ClassVar[str] = "all"
    junction: ClassVar[Junction] = Junction.ALL
    of: tuple[Criterion, ...] = attrs.field(default=(), converter=_parts)

    @property
    def parts(self) -> tuple[Criterion, ...]:
        return self.of

    def rebuilt(self, parts: tuple[Any, ...]) -> All:
        return All(parts)


@frozen
class AnyOf(Connective):
    """True when some part is true (an empty ``AnyOf`` is false)."""

    tag: ClassVar[str] = "any"
    junction: ClassVar[Junction] = Junction.ANY
    of: tuple[Criterion, ...] = attrs.field(default=(), converter=_parts)

    @property
    def parts(self) -> tuple[Criterion, ...]:
        return self.of

    def rebuilt(self, parts: tuple[Any, ...]) -> AnyOf:
        return AnyOf(parts)


@frozen
class Not(Connective):
    """True when its part is false; unknown stays unknown."""

    tag: ClassVar[str] = "not"
    junction: ClassVar[Junction] = Junction.NOT
    of: Criterion

    @property
    def parts(self) -> tuple[Criterion, ...]:
        return (self.of,)

    def rebuilt(self, parts: tuple[Any, ...]) -> Not:
        (only,) = parts
        return Not(only)


# ---------------------------------------------------------------------------------------------
# Item criteria


@frozen
class ItemKind(SetCriterion):
    """The item is of one of these kinds (``chip``, ``model``, ``material``, ``equipment``)."""

    tag: ClassVar[str] = "item_kind"
    family = ITEM_KIND
    members_field: ClassVar[str] = "kinds"
    kinds: frozenset[str] = attrs.field(converter=strings)

    def evaluate(self, facts: Facts) -> Step:
        kind = facts.item.kind
        return Step(f"item kind {kind} in {names(self.kinds)}", Truth.of(kind in self.kinds))


@frozen
class ItemIs(SetCriterion):
    """The item is one of these ids."""

    tag: ClassVar[str] = "item_is"
    family = ITEM_ID
    members_field: ClassVar[str] = "ids"
    entity: ClassVar[Entity | None] = Entity.ITEM
    ids: frozenset[str] = attrs.field(converter=strings)

    def evaluate(self, facts: Facts) -> Step:
        item = facts.item.id
        return Step(f"item {item} in {names(self.ids)}", Truth.of(item in self.ids))


@frozen
class ItemClass(SetCriterion):
    """The item falls in one of these control-class codes on the date (e.g. ``3A090.a``)."""

    tag: ClassVar[str] = "item_class"
    family = ITEM_CLASSES
    members_field: ClassVar[str] = "codes"
    entity: ClassVar[Entity | None] = Entity.CLASS_CODE
    codes: frozenset[str] = attrs.field(converter=strings)

    def evaluate(self, facts: Facts) -> Step:
        steps = tuple(
            facts.registry.class_step(code, facts.item, facts.on) for code in sorted(self.codes)
        )
        truth = Junction.ANY.combine(s.truth for s in steps)
        return joined(f"item {facts.item.id} in class {names(self.codes)}", truth, steps)


@frozen(cache_hash=True)
class EquipmentKinds(Family):
    """The equipment kind of an item; chips, models and materials have none (a known
    absence, so an equipment-kind test is false for them, never unknown)."""

    context: Fact = Fact.ITEM

    def view(self, value: Any, on: Any, registry: Any, wanted: frozenset[Hashable]) -> View | None:
        kind = getattr(value, "equipment_kind", None)
        return View(frozenset() if kind is None else frozenset({str(kind)}))


EQUIPMENT_KINDS = EquipmentKinds()


def _equipment_kinds(values: Iterable[str]) -> frozenset[str]:
    return frozenset(str(member(EquipmentKind, v, "EquipmentIs.kinds")) for v in strings(values))


@frozen
class EquipmentIs(SetCriterion):
    """The item is equipment of one of these kinds (``euv_lithography``, ``etch``...)."""

    tag: ClassVar[str] = "equipment_kind"
    family = EQUIPMENT_KINDS
    members_field: ClassVar[str] = "kinds"
    kinds: frozenset[str] = attrs.field(converter=_equipment_kinds)

    def evaluate(self, facts: Facts) -> Step:
        kind = getattr(facts.item, "equipment_kind", None)
        seen = f"equipment kind {kind}" if kind is not None else f"{facts.item.kind} (no tool)"
        return Step(f"{seen} in {names(self.kinds)}", Truth.of(kind in self.kinds))


def _spec_name(value: SpecName | str) -> SpecName:
    return member(SpecName, value, "Spec.fact")


def _op(value: Op | str) -> Op:
    return member(Op, value, "Spec.op")


def _threshold(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidValueError(f"Spec.value: expected a finite number, got {value!r}")


_ABSENT = object()


@frozen
class Spec(ThresholdCriterion):
    """A numeric fact of the item compared with a threshold, e.g. ``tpp >= 4800``."""

    tag: ClassVar[str] = "spec"
    fact: SpecName = attrs.field(converter=_spec_name)
    op: Op = attrs.field(converter=_op)
    value: float = attrs.field(converter=number, validator=_threshold)

    @property
    def measure(self) -> Measure:
        return Measure(str(self.fact))

    @property
    def bound(self) -> Bound:
        return Bound(self.op, self.value)

    def with_bound(self, bound: Bound) -> Spec:
        return Spec(self.fact, bound.op, bound.value)

    def evaluate(self, facts: Facts) -> Step:
        name = str(self.fact)
        text = f"{name} {{}} {self.op} {fmt(self.value)}"
        observed = getattr(facts.item, name, _ABSENT)
        if observed is _ABSENT:
            need = f"{facts.item.kind} {facts.item.id} has no {name}"
            return Step(text.format("n/a"), Truth.UNKNOWN, needs=frozenset({need}))
        if observed is None:
            need = f"{facts.item.id}.{name}"
            return Step(text.format("unknown"), Truth.UNKNOWN, needs=frozenset({need}))
        assert isinstance(observed, int | float)
        return Step(text.format(fmt(observed)), Truth.of(self.op.holds(observed, self.value)))


@frozen
class AvailableInUs(Criterion):
    """The chip was commercially available in the US on or before ``by`` (its
    ``us_available`` day, the Jan 2026 rule's condition); unknown for a chip without that day,
    false for an item that is not a chip."""

    tag: ClassVar[str] = "us_available_by"
    reads: ClassVar[frozenset[Fact]] = frozenset({Fact.ITEM})
    by: dt.date = attrs.field(validator=day)

    def describe(self) -> str:
        return f"commercially available in the US by {self.by.isoformat()}"

    def evaluate(self, facts: Facts) -> Step:
        item = facts.item
        text = f"{item.id} commercially available in the US {{}} by {self.by.isoformat()}"
        if item.kind != "chip":
            return Step(text.format(f"(a {item.kind}, not a chip)"), Truth.FALSE)
        since = getattr(item, "us_available", None)
        if since is None:
            need = f"{item.id}.us_available"
            return Step(text.format("since unknown"), Truth.UNKNOWN, needs=frozenset({need}))
        return Step(text.format(f"since {since.isoformat()}"), Truth.of(since <= self.by))


# ---------------------------------------------------------------------------------------------
# Buyer criteria


@frozen
class BuyerIs(SetCriterion):
    """The buyer is one of these company ids."""

    tag: ClassVar[str] = "buyer_is"
    family = BUYER_ID
    members_field: ClassVar[str] = "ids"
    entity: ClassVar[Entity | None] = Entity.COMPANY
    ids: frozenset[str] = attrs.field(converter=strings)

    def evaluate(self, facts: Facts) -> Step:
        if facts.buyer is None:
            return _no_buyer(f"buyer in {names(self.ids)}")
        buyer = facts.buyer.id
        return Step(f"buyer {buyer} in {names(self.ids)}", Truth.of(buyer in self.ids))


@frozen
class BuyerListed(Criterion):
    """The buyer is on one of these party lists on the date.

    With ``affiliates=True`` the buyer also counts when it is 50 % or more held, in
    aggregate, by listed parties and their covered affiliates (``criteria.ownership``).
    """

    tag: ClassVar[str] = "buyer_listed"
    reads: ClassVar[frozenset[Fact]] = BUYER_LISTINGS.reads
    lists: frozenset[str] = attrs.field(converter=strings)
    affiliates: bool = attrs.field(default=False, validator=boolean)

    def literal(self, issuer: str) -> Literal | None:
        reach = KeyKind.CHAIN if self.affiliates else KeyKind.OWN
        return Members(BUYER_LISTINGS, frozenset(Key(reach, x) for x in self.lists))

    def references(self) -> tuple[Reference, ...]:
        return (Reference(Entity.PARTY_LIST, "lists", self.lists),)

    def describe(self) -> str:
        listed = f"listed on {names(self.lists)}"
        return (
            f"buyer {listed} or 50 % or more owned by listed parties"
            if self.affiliates
            else f"buyer {listed}"
        )

    def evaluate(self, facts: Facts) -> Step:
        if facts.buyer is None:
            return _no_buyer(f"buyer listed on {names(self.lists)}")
        buyer = facts.buyer.id
        hits = [
            f"{buyer} on {x}"
            for x in sorted(self.lists)
            if facts.registry.listed(x, buyer, facts.on)
        ]
        if self.affiliates and not hits:
            hits = [
                held
                for x in sorted(self.lists)
                if (held := _held(affiliation(facts.registry, x, facts.on), buyer, x))
            ]
        seen = "; ".join(hits) if hits else f"{buyer} on none"
        return Step(f"{self.describe()} ({seen})", Truth.of(bool(hits)))


def _held(test: Affiliation, company: str, party_list: str) -> str:
    """How ``company`` is 50 % or more held by parties on ``party_list``, or ``""``."""
    holding = test.holding(company)
    if not holding.reaches_threshold:
        return ""
    by = ", ".join(f"{x.owner} {x.percent:g} %" for x in holding.stakes)
    return f"{company} {float(holding.percent):g} % owned by parties on {party_list}: {by}"


@frozen
class _InPlaces(Criterion):
    """Base of criteria over a set of states and country groups (membership judged on the
    date): the places of one context value, its ``family``, are among them."""

    family: ClassVar[Places]
    states: frozenset[str] = attrs.field(
        default=frozenset(), converter=strings, validator=state_codes
    )
    groups: frozenset[str] = attrs.field(default=frozenset(), converter=strings)

    def _contains(self, facts: Facts, state: str) -> bool:
        return state in self.states or any(
            facts.registry.group_contains(g, state, facts.on) for g in self.groups
        )

    def _places(self) -> str:
        return names(self.states | self.groups)

    def literal(self, issuer: str) -> Literal | None:
        return Members(self.family, self.keys)

    @property
    def keys(self) -> frozenset[Hashable]:
        return place_keys(self.states, self.groups)

    def references(self) -> tuple[Reference, ...]:
        return (
            Reference(Entity.GROUP, "groups", self.groups),
            Reference(Entity.STATE, "states", self.states),
        )

    def describe(self) -> str:
        return f"{self.family.context} in {self._places()}"


@frozen
class BuyerHeadquartered(_InPlaces):
    """The buyer, or its ultimate parent, is headquartered in one of these places."""

    tag: ClassVar[str] = "buyer_headquartered"
    family: ClassVar[Places] = BUYER_HOMES
    reads: ClassVar[frozenset[Fact]] = BUYER_HOMES.reads

    def describe(self) -> str:
        return f"buyer headquartered in {self._places()}"

    def evaluate(self, facts: Facts) -> Step:
        if facts.buyer is None:
            return _no_buyer(self.describe())
        hit = any(self._contains(facts, hq) for hq in homes(facts.registry, facts.buyer))
        ultimate = ultimate_parent(facts.registry, facts.buyer)
        parent = (
            f", ultimate parent {ultimate.id} in {ultimate.hq}"
            if ultimate is not facts.buyer
            else ""
        )
        text = (
            f"buyer {facts.buyer.id} headquartered in {facts.buyer.hq}{parent}; in {self._places()}"
        )
        return Step(text, Truth.of(hit))


# ---------------------------------------------------------------------------------------------
# Leg and use criteria


@frozen
class _StateIn(_InPlaces):
    """Base of criteria testing one state of the request (``family.context`` names it)."""

    def evaluate(self, facts: Facts) -> Step:
        context = self.family.context
        state = getattr(facts, context)
        hit = self._contains(facts, state)
        return Step(f"{context} {state} in {self._places()}", Truth.of(hit))


_EXPORTER = Places(Fact.EXPORTER)


@frozen
class ExporterIn(_StateIn):
    """The leg's exporting state is in these places."""

    tag: ClassVar[str] = "exporter_in"
    family: ClassVar[Places] = _EXPORTER
    reads: ClassVar[frozenset[Fact]] = _EXPORTER.reads


@frozen
class ImporterIn(_StateIn):
    """The leg's importing state is in these places."""

    tag: ClassVar[str] = "importer_in"
    family: ClassVar[Places] = Places(Fact.IMPORTER)
    reads: ClassVar[frozenset[Fact]] = frozenset({Fact.IMPORTER, Fact.ON})


@frozen
class DestinationIn(_StateIn):
    """The request's final destination (where the end user is located) is in these places."""

    tag: ClassVar[str] = "destination_in"
    family: ClassVar[Places] = Places(Fact.DESTINATION)
    reads: ClassVar[frozenset[Fact]] = frozenset({Fact.DESTINATION, Fact.ON})


@frozen
class Reexport(Criterion):
    """The leg starts outside the issuing state (a reexport or export from abroad)."""

    tag: ClassVar[str] = "reexport"
    reads: ClassVar[frozenset[Fact]] = frozenset({Fact.EXPORTER, Fact.ISSUER})

    def literal(self, issuer: str) -> Literal | None:
        # exporter != issuer is "exporter in {issuer}" negated
        return Members(_EXPORTER, place_keys({issuer}, ()), negated=True)

    def describe(self) -> str:
        return "reexport"

    def evaluate(self, facts: Facts) -> Step:
        text = f"reexport (exporter {facts.exporter} != issuer {facts.issuer})"
        return Step(text, Truth.of(facts.exporter != facts.issuer))


def _end_uses(values: Iterable[str]) -> frozenset[EndUseKind]:
    """Converter: a set of end uses of the vocabulary (``geotech.criteria.uses``), variant
    spellings read as their members; a lone string is one end use."""
    return frozenset(end_use_kind(v, "end_use.uses") for v in strings(values))


@frozen
class EndUse(SetCriterion):
    """The request's declared end use is one of these (``EndUseKind``); an undeclared end use
    is unknown."""

    tag: ClassVar[str] = "end_use"
    family = END_USES
    members_field: ClassVar[str] = "uses"
    uses: frozenset[EndUseKind] = attrs.field(converter=_end_uses)

    def evaluate(self, facts: Facts) -> Step:
        uses = names(self.uses)
        if facts.end_use is None:
            return Step(
                f"end use undeclared in {uses}", Truth.UNKNOWN, needs=frozenset({"request.end_use"})
            )
        return Step(f"end use {facts.end_use} in {uses}", Truth.of(facts.end_use in self.uses))


for _kind in kinds().values():
    if _kind.__module__ == __name__ and attrs.has(_kind):
        attrs.resolve_types(_kind)
