"""Three-valued truth, the trace steps criteria answer with, and the facts they read.

``Truth`` is Kleene's logic (false < unknown < true); a ``Step`` is one node of a criteria
trace; ``Facts`` is what one policy's criterion is judged on; ``Fact`` names its fields.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Protocol

from attrs import frozen

from geotech.entities import Company, Item, Stake


class Truth(enum.Enum):
    """A three-valued truth value, ordered false < unknown < true."""

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

    def stakes(self, company: str) -> tuple[Stake, ...]: ...


class Fact(enum.StrEnum):
    """A field of ``Facts`` a criterion may read (its value is the field's name)."""

    ITEM = "item"
    BUYER = "buyer"
    EXPORTER = "exporter"
    IMPORTER = "importer"
    DESTINATION = "destination"
    ISSUER = "issuer"
    END_USE = "end_use"
    ON = "on"


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


def fmt(value: object) -> str:
    """Format an observed value for a trace: integral floats without a decimal point."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.6g}"
    return str(value)


def names(values: Iterable[object]) -> str:
    """A set for a trace: ``{a, b}``, sorted."""
    return "{" + ", ".join(sorted(str(v) for v in values)) + "}"
