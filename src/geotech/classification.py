"""Which control classes an item falls in on a date, with the test behind each.

``Classification.of(world, item, on)`` tests the item, which may be hypothetical (a chip built
from specs that no world holds), against every class code in force on ``on``, in code order.
Each test is three-valued: a class whose definition reads a spec the item does not publish
is *undecided*, never guessed. ``classes`` equals ``world.classify(item, on)``.
"""

from __future__ import annotations

import datetime as dt

from attrs import frozen

from geotech.criteria import Step, Truth
from geotech.entities import Item
from geotech.world import World

__all__ = ["ClassTest", "Classification"]


@frozen
class ClassTest:
    """One class code and the item's test against its definition in force."""

    code: str
    step: Step

    @property
    def truth(self) -> Truth:
        return self.step.truth


@frozen
class Classification:
    """An item's tests against every class code in force on a date, in code order."""

    item: Item
    on: dt.date
    tests: tuple[ClassTest, ...]

    @classmethod
    def of(cls, world: World, item: Item, on: dt.date) -> Classification:
        """Test ``item`` against each class code in force on ``on``."""
        codes = sorted({k.code for k in world.classes if k.in_force(on)})
        return cls(
            item=item,
            on=on,
            tests=tuple(
                ClassTest(code=code, step=world.class_step(code, item, on)) for code in codes
            ),
        )

    @property
    def classes(self) -> tuple[str, ...]:
        """The codes the item certainly falls in."""
        return tuple(t.code for t in self.tests if t.truth is Truth.TRUE)

    @property
    def undecided(self) -> tuple[str, ...]:
        """The codes whose test reads a spec the item does not publish."""
        return tuple(t.code for t in self.tests if t.truth is Truth.UNKNOWN)

    @property
    def label(self) -> str:
        """A short label for tables: ``3A090.a, 4A090.a?`` (``?`` undecided), or ``none``."""
        marks = [
            t.code + ("?" if t.truth is Truth.UNKNOWN else "")
            for t in self.tests
            if t.truth is not Truth.FALSE
        ]
        return ", ".join(marks) or "none"
