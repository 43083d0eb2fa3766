"""A composable three-valued predicate language over items, buyers, legs and end uses.

A criterion is data (an immutable attrs value with a stable tag for serialization). Evaluating
it against ``Facts`` yields a ``Step``: a truth value (true / false / unknown, Kleene logic),
a human-readable line with the observed values (``tpp 15832 >= 4800: true``), the steps of its
parts, and the facts whose absence made it unknown. Item criteria dispatch on the item's
kind: a fact that the kind does not have, or that is not published, is unknown.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import operator
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import attrs
from attrs import frozen

from geotech.entities import Company, Item, boolean, member, number, state_codes, strings
from geotech.errors import InvalidValueError

if TYPE_CHECKING:
    from geotech.entities import Chip  # noqa: F401


class Truth(enum.Enum):
    """A three-valued truth value."""

    FALSE = 0
    UNKNOWN = 1
    TRUE = 2

    def __str__(self) -> str:
        return self.name.lower()

    @staticmethod
    def of(value: bool) -> Truth:
        return Truth.TRUE if value else Truth.FALSE

    def __invert__(self) -> Truth:
        return Truth(2 - self.value)


@frozen
class Step:
    """One node of a criteria trace: what was checked, with which values, and the result."""

    text: str
    truth: Truth
    children: tuple[Step, ...] = ()
    needs: frozenset[str] = frozenset()

    def lines(self, indent: int = 0) -> list[str]:
        """The trace as indented lines, one per step."""
        out = [f"{'  ' * indent}{self.text}: {self.truth}"]
        for child in self.children:
            out += child.lines(indent + 1)
        return out


class Registry(Protocol):
    """What criteria need to know about the world beyond the request (implemented by World)."""

    def group_contains(self, group: str, state: str, on: dt.date) -> bool: ...

    def class_step(self, code: str, item: Item, on: dt.date) -> Step: ...

    def listed(self, party_list: str, company: str, on: dt.date) -> bool: ...

    def ancestors(self, company: str) -> tuple[Company, ...]: ...


@frozen
class Facts:
    """The facts one policy's criterion is judged on: the request, the leg and the issuer."""

    registry: Registry
    on: dt.date
    item: Item
    buyer: Company | None
    exporter: str
    importer: str
    destination: str
    issuer: str
    end_use: str | None = None


def item_facts(registry: Registry, on: dt.date, item: Item, issuer: str = "") -> Facts:
    """Facts about an item alone (no buyer, no leg): what class definitions are judged on."""
    return Facts(
        registry=registry,
        on=on,
        item=item,
        buyer=None,
        exporter="",
        importer="",
        destination="",
        issuer=issuer,
    )


def _no_buyer(text: str) -> Step:
    return Step(f"{text} (no buyer)", Truth.UNKNOWN, needs=frozenset({"request.buyer"}))


def fmt(value: object) -> str:
    """Format an observed value for a trace: integral floats without a decimal point."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.6g}"
    return str(value)


def _names(values: Iterable[str]) -> str:
    return "{" + ", ".join(sorted(values)) + "}"


@frozen
class _InPlaces:
    """Base of criteria over a set of states and country groups (membership judged on the date)."""

    states: frozenset[str] = attrs.field(
        default=frozenset(), converter=strings, validator=state_codes
    )
    groups: frozenset[str] = attrs.field(default=frozenset(), converter=strings)

    def _contains(self, facts: Facts, state: str) -> bool:
        return state in self.states or any(
            facts.registry.group_contains(g, state, facts.on) for g in self.groups
        )

    def _places(self) -> str:
        return _names(self.states | self.groups)


class Op(enum.StrEnum):
    """A comparison of an observed number with a threshold."""

    GE = ">="
    GT = ">"
    LT = "<"
    LE = "<="

    def holds(self, observed: float, threshold: float) -> bool:
        return _OPS[self](observed, threshold)


_OPS: dict[Op, Callable[[float, float], bool]] = {
    Op.GE: operator.ge,
    Op.GT: operator.gt,
    Op.LT: operator.lt,
    Op.LE: operator.le,
}


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


# ---------------------------------------------------------------------------------------------
# Connectives


def _parts(values: Iterable[Criterion]) -> tuple[Criterion, ...]:
    return tuple(values)


@frozen
class All:
    """True when every part is true (an empty ``All`` is true)."""

    tag: ClassVar[str] = "all"
    of: tuple[Criterion, ...] = attrs.field(default=(), converter=_parts)

    def evaluate(self, facts: Facts) -> Step:
        steps = tuple(c.evaluate(facts) for c in self.of)
        truth = min((s.truth for s in steps), default=Truth.TRUE, key=lambda t: t.value)
        return _combine("all of", truth, steps)


@frozen
class AnyOf:
    """True when some part is true (an empty ``AnyOf`` is false)."""

    tag: ClassVar[str] = "any"
    of: tuple[Criterion, ...] = attrs.field(default=(), converter=_parts)

    def evaluate(self, facts: Facts) -> Step:
        steps = tuple(c.evaluate(facts) for c in self.of)
        truth = max((s.truth for s in steps), default=Truth.FALSE, key=lambda t: t.value)
        return _combine("any of", truth, steps)


@frozen
class Not:
    """True when its part is false; unknown stays unknown."""

    tag: ClassVar[str] = "not"
    of: Criterion

    def evaluate(self, facts: Facts) -> Step:
        step = self.of.evaluate(facts)
        return Step("not", ~step.truth, (step,), step.needs)


def _combine(text: str, truth: Truth, steps: tuple[Step, ...]) -> Step:
    needs = frozenset().union(*(s.needs for s in steps)) if truth is Truth.UNKNOWN else frozenset()
    return Step(text, truth, steps, needs)


# ---------------------------------------------------------------------------------------------
# Item criteria


@frozen
class ItemKind:
    """The item is of one of these kinds (``chip``, ``model``, ``material``)."""

    tag: ClassVar[str] = "item_kind"
    kinds: frozenset[str] = attrs.field(converter=strings)

    def evaluate(self, facts: Facts) -> Step:
        kind = facts.item.kind
        return Step(f"item kind {kind} in {_names(self.kinds)}", Truth.of(kind in self.kinds))


@frozen
class ItemIs:
    """The item is one of these ids."""

    tag: ClassVar[str] = "item_is"
    ids: frozenset[str] = attrs.field(converter=strings)

    def evaluate(self, facts: Facts) -> Step:
        item = facts.item.id
        return Step(f"item {item} in {_names(self.ids)}", Truth.of(item in self.ids))


@frozen
class ItemClass:
    """The item falls in one of these control-class codes on the date (e.g. ``3A090.a``)."""

    tag: ClassVar[str] = "item_class"
    codes: frozenset[str] = attrs.field(converter=strings)

    def evaluate(self, facts: Facts) -> Step:
        steps = tuple(
            facts.registry.class_step(code, facts.item, facts.on) for code in sorted(self.codes)
        )
        truth = max((s.truth for s in steps), default=Truth.FALSE, key=lambda t: t.value)
        return _combine(f"item {facts.item.id} in class {_names(self.codes)}", truth, steps)


def _spec_name(value: SpecName | str) -> SpecName:
    return member(SpecName, value, "Spec.fact")


def _op(value: Op | str) -> Op:
    return member(Op, value, "Spec.op")


def _threshold(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidValueError(f"Spec.value: expected a finite number, got {value!r}")


@frozen
class Spec:
    """A numeric fact of the item compared with a threshold, e.g. ``tpp >= 4800``."""

    tag: ClassVar[str] = "spec"
    fact: SpecName = attrs.field(converter=_spec_name)
    op: Op = attrs.field(converter=_op)
    value: float = attrs.field(converter=number, validator=_threshold)

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


_ABSENT = object()


@frozen
class Datacenter:
    """The item is (``value=True``) or is not designed or marketed for datacenters."""

    tag: ClassVar[str] = "datacenter"
    value: bool = attrs.field(default=True, validator=boolean)

    def evaluate(self, facts: Facts) -> Step:
        observed = getattr(facts.item, "datacenter", _ABSENT)
        text = f"datacenter {{}} == {str(self.value).lower()}"
        if observed is _ABSENT or observed is None:
            need = f"{facts.item.id}.datacenter"
            return Step(text.format("unknown"), Truth.UNKNOWN, needs=frozenset({need}))
        assert isinstance(observed, bool)
        return Step(text.format(str(observed).lower()), Truth.of(observed == self.value))


# ---------------------------------------------------------------------------------------------
# Buyer criteria


@frozen
class BuyerIs:
    """The buyer is one of these company ids."""

    tag: ClassVar[str] = "buyer_is"
    ids: frozenset[str] = attrs.field(converter=strings)

    def evaluate(self, facts: Facts) -> Step:
        if facts.buyer is None:
            return _no_buyer(f"buyer in {_names(self.ids)}")
        buyer = facts.buyer.id
        return Step(f"buyer {buyer} in {_names(self.ids)}", Truth.of(buyer in self.ids))


@frozen
class BuyerListed:
    """The buyer is on one of these party lists on the date.

    With ``affiliates=True`` a listing of any owner up the buyer's parent chain counts too.
    """

    tag: ClassVar[str] = "buyer_listed"
    lists: frozenset[str] = attrs.field(converter=strings)
    affiliates: bool = attrs.field(default=False, validator=boolean)

    def evaluate(self, facts: Facts) -> Step:
        if facts.buyer is None:
            return _no_buyer(f"buyer listed on {_names(self.lists)}")
        chain = (
            (facts.buyer, *facts.registry.ancestors(facts.buyer.id))
            if self.affiliates
            else (facts.buyer,)
        )
        hits = sorted(
            f"{c.id} on {lst}"
            for c in chain
            for lst in self.lists
            if facts.registry.listed(lst, c.id, facts.on)
        )
        who = "buyer or owner" if self.affiliates else "buyer"
        seen = "; ".join(hits) if hits else f"{facts.buyer.id} on none"
        return Step(f"{who} listed on {_names(self.lists)} ({seen})", Truth.of(bool(hits)))


@frozen
class BuyerHeadquartered(_InPlaces):
    """The buyer, or its ultimate parent, is headquartered in one of these places."""

    tag: ClassVar[str] = "buyer_headquartered"

    def evaluate(self, facts: Facts) -> Step:
        if facts.buyer is None:
            return _no_buyer(f"buyer headquartered in {self._places()}")
        chain = (facts.buyer, *facts.registry.ancestors(facts.buyer.id))
        ultimate = chain[-1]
        hqs = sorted({facts.buyer.hq, ultimate.hq})
        hit = any(self._contains(facts, hq) for hq in hqs)
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
    """Base of criteria testing one state of the request (``fact`` names it in ``Facts``)."""

    fact: ClassVar[str]

    def evaluate(self, facts: Facts) -> Step:
        state = getattr(facts, self.fact)
        hit = self._contains(facts, state)
        return Step(f"{self.fact} {state} in {self._places()}", Truth.of(hit))


@frozen
class ExporterIn(_StateIn):
    """The leg's exporting state is in these places."""

    tag: ClassVar[str] = "exporter_in"
    fact: ClassVar[str] = "exporter"


@frozen
class ImporterIn(_StateIn):
    """The leg's importing state is in these places."""

    tag: ClassVar[str] = "importer_in"
    fact: ClassVar[str] = "importer"


@frozen
class DestinationIn(_StateIn):
    """The request's final destination (where the end user is located) is in these places."""

    tag: ClassVar[str] = "destination_in"
    fact: ClassVar[str] = "destination"


@frozen
class Reexport:
    """The leg starts outside the issuing state (a reexport or export from abroad)."""

    tag: ClassVar[str] = "reexport"

    def evaluate(self, facts: Facts) -> Step:
        text = f"reexport (exporter {facts.exporter} != issuer {facts.issuer})"
        return Step(text, Truth.of(facts.exporter != facts.issuer))


@frozen
class EndUse:
    """The request's declared end use is one of these; an undeclared end use is unknown."""

    tag: ClassVar[str] = "end_use"
    uses: frozenset[str] = attrs.field(converter=strings)

    def evaluate(self, facts: Facts) -> Step:
        uses = _names(self.uses)
        if facts.end_use is None:
            return Step(
                f"end use undeclared in {uses}", Truth.UNKNOWN, needs=frozenset({"request.end_use"})
            )
        return Step(f"end use {facts.end_use} in {uses}", Truth.of(facts.end_use in self.uses))


Criterion = (
    All
    | AnyOf
    | Not
    | ItemKind
    | ItemIs
    | ItemClass
    | Spec
    | Datacenter
    | BuyerIs
    | BuyerListed
    | BuyerHeadquartered
    | ExporterIn
    | ImporterIn
    | DestinationIn
    | Reexport
    | EndUse
)

#: Every criterion type, by its serialization tag.
CRITERIA: dict[str, type[Criterion]] = {
    cls.tag: cls
    for cls in (
        All,
        AnyOf,
        Not,
        ItemKind,
        ItemIs,
        ItemClass,
        Spec,
        Datacenter,
        BuyerIs,
        BuyerListed,
        BuyerHeadquartered,
        ExporterIn,
        ImporterIn,
        DestinationIn,
        Reexport,
        EndUse,
    )
}

for _cls in CRITERIA.values():
    attrs.resolve_types(_cls, globals())


def walk(criterion: Criterion) -> Iterable[Criterion]:
    """Every node of a criterion tree, depth first (iterative: safe on deep trees)."""
    stack: list[Criterion] = [criterion]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, All | AnyOf):
            stack.extend(reversed(node.of))
        elif isinstance(node, Not):
            stack.append(node.of)


def depth(criterion: Criterion) -> int:
    """Nesting depth of a criterion tree (a leaf has depth 1), computed iteratively."""
    deepest = 0
    stack: list[tuple[Criterion, int]] = [(criterion, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if isinstance(node, All | AnyOf):
            stack.extend((c, d + 1) for c in node.of)
        elif isinstance(node, Not):
            stack.append((node.of, d + 1))
    return deepest
