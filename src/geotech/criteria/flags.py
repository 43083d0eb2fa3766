"""Criteria over an item's yes/no facts.

- ``Hbm``: the chip's package holds high-bandwidth memory (the foundry due-diligence rule of
  Jan 2025 keeps its later, higher transistor thresholds for ICs without HBM);
- ``OpenWeights``: the model's weights are published (4E091 excludes published weights).

An unknown fact is unknown; an item of another kind has no such fact (unknown too, as for
``datacenter``), so a class definition tests the item's kind first.
"""

from __future__ import annotations

from typing import ClassVar

import attrs
from attrs import frozen

from geotech.criteria.base import Criterion
from geotech.criteria.literals import Attribute, Literal, Members
from geotech.criteria.logic import Fact, Facts, Step, Truth
from geotech.entities import boolean

HBM = Attribute(Fact.ITEM, "hbm", frozenset({True, False}))
OPEN_WEIGHTS = Attribute(Fact.ITEM, "open_weights", frozenset({True, False}))


def _flag(facts: Facts, name: str, value: bool, text: str) -> Step:
    observed = getattr(facts.item, name, None)
    if observed is None:
        need = f"{facts.item.id}.{name}"
        return Step(text.format("unknown"), Truth.UNKNOWN, needs=frozenset({need}))
    return Step(text.format(str(observed).lower()), Truth.of(observed == value))


@frozen
class Hbm(Criterion):
    """The chip's package holds (``value=True``) or does not hold high-bandwidth memory."""

    tag: ClassVar[str] = "hbm"
    reads: ClassVar[frozenset[Fact]] = HBM.reads
    value: bool = attrs.field(default=True, validator=boolean)

    def literal(self, issuer: str) -> Literal | None:
        return Members(HBM, frozenset({self.value}))

    def describe(self) -> str:
        return f"hbm == {str(self.value).lower()}"

    def evaluate(self, facts: Facts) -> Step:
        return _flag(facts, "hbm", self.value, f"hbm {{}} == {str(self.value).lower()}")


@frozen
class OpenWeights(Criterion):
    """The model's weights are published (``value=True``) or are not."""

    tag: ClassVar[str] = "open_weights"
    reads: ClassVar[frozenset[Fact]] = OPEN_WEIGHTS.reads
    value: bool = attrs.field(default=True, validator=boolean)

    def literal(self, issuer: str) -> Literal | None:
        return Members(OPEN_WEIGHTS, frozenset({self.value}))

    def describe(self) -> str:
        return f"open_weights == {str(self.value).lower()}"

    def evaluate(self, facts: Facts) -> Step:
        text = f"open_weights {{}} == {str(self.value).lower()}"
        return _flag(facts, "open_weights", self.value, text)


for _kind in (Hbm, OpenWeights):
    attrs.resolve_types(_kind)
