"""Criteria over an item's yes/no facts, each a ``Flag`` on one attribute of the item:

- ``Datacenter``: the item is designed or marketed for datacenters (Note 2 to 3A090);
- ``Hbm``: the chip's package holds high-bandwidth memory (the foundry due-diligence rule of
  Jan 2025 keeps its later, higher transistor thresholds for ICs without HBM);
- ``OpenWeights``: the model's weights are published (4E091 excludes published weights).

An unknown fact is unknown; an item of another kind has no such fact (unknown too), so a
class definition tests the item's kind first.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
from attrs import frozen

from geotech.criteria.base import Criterion
from geotech.criteria.literals import DATACENTER, Attribute, Literal, Members
from geotech.criteria.logic import Fact, Facts, Step, Truth
from geotech.entities import boolean

HBM = Attribute(Fact.ITEM, "hbm", frozenset({True, False}))
OPEN_WEIGHTS = Attribute(Fact.ITEM, "open_weights", frozenset({True, False}))


class Flag(Criterion):
    """Base of the criteria true when the item's yes/no fact ``family.name`` equals
    ``value``; unknown when the item's fact is unknown or the item has none."""

    __slots__ = ()

    family: ClassVar[Attribute]
    value: bool

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "family" in cls.__dict__:
            cls.reads = cls.family.reads

    @property
    def flag(self) -> str:
        return str(self.family.name)

    def literal(self, issuer: str) -> Literal | None:
        return Members(self.family, frozenset({self.value}))

    def describe(self) -> str:
        return f"{self.flag} == {str(self.value).lower()}"

    def evaluate(self, facts: Facts) -> Step:
        observed = getattr(facts.item, self.flag, None)
        text = f"{self.flag} {{}} == {str(self.value).lower()}"
        if observed is None:
            need = f"{facts.item.id}.{self.flag}"
            return Step(text.format("unknown"), Truth.UNKNOWN, needs=frozenset({need}))
        return Step(text.format(str(observed).lower()), Truth.of(observed == self.value))


@frozen
class Datacenter(Flag):
    """The item is (``value=True``) or is not designed or marketed for datacenters."""

    tag: ClassVar[str] = "datacenter"
    family: ClassVar[Attribute] = DATACENTER
    value: bool = attrs.field(default=True, validator=boolean)


@frozen
class Hbm(Flag):
    """The chip's package holds (``value=True``) or does not hold high-bandwidth memory."""

    tag: ClassVar[str] = "hbm"
    family: ClassVar[Attribute] = HBM
    value: bool = attrs.field(default=True, validator=boolean)


@frozen
class OpenWeights(Flag):
    """The model's weights are published (``value=True``) or are not."""

    tag: ClassVar[str] = "open_weights"
    family: ClassVar[Attribute] = OPEN_WEIGHTS
    value: bool = attrs.field(default=True, validator=boolean)
