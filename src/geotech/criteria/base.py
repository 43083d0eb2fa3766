"""The criterion type: an open family of classes that register themselves by tag.

Every criterion subclasses ``Criterion`` and declares its metadata on the class: ``tag`` (its
serialization name; a subclass with a ``tag`` registers itself, so ``kinds()`` lists it and
documents can name it), ``reads`` (the facts it reads), and, for leaves, ``literal(issuer)``
(its test as data, see ``geotech.criteria.literals``) and ``references()`` (the ids it
names). Connectives (``Connective``) combine their ``parts`` by a ``Junction``.

Two leaf bases carry the metadata of common shapes: ``SetCriterion`` (a context key in a set
of members) and ``ThresholdCriterion`` (an item's number against a bound).
"""

from __future__ import annotations

import datetime as dt
import enum
import types
from abc import ABC, abstractmethod
from collections.abc import Hashable, Iterable, Mapping
from typing import Any, ClassVar

import attrs

from geotech.criteria.literals import (
    Bound,
    Entity,
    Family,
    Literal,
    Measure,
    Members,
    Reference,
    Threshold,
)
from geotech.criteria.logic import Fact, Facts, Step, Truth
from geotech.errors import InvalidValueError

#: Deepest criterion tree that can be built (a leaf has depth 1). A connective over deeper
#: parts is refused when it is constructed, so no tree that equality, hashing, ``repr`` or
#: pickling could not handle ever exists.
MAX_CRITERION_DEPTH = 64

_KINDS: dict[str, type[Criterion]] = {}
_KINDS_VIEW = types.MappingProxyType(_KINDS)


def kinds() -> Mapping[str, type[Criterion]]:
    """Every criterion class by its tag, in the order they were defined: a live, read-only
    view (a class defined later appears in it). Serialization dispatches on it."""
    return _KINDS_VIEW


def _register(cls: type[Criterion], tag: str) -> None:
    known = _KINDS.get(tag)
    # attrs rebuilds a slotted class: the rebuilt class takes the place of the original.
    if known is not None and (known.__module__, known.__qualname__) != (
        cls.__module__,
        cls.__qualname__,
    ):
        raise InvalidValueError(
            f"{cls.__module__}.{cls.__qualname__}.tag: {tag!r} is already the tag of "
            f"{known.__module__}.{known.__qualname__}; choose another tag"
        )
    _KINDS[tag] = cls


class Criterion(ABC):
    """Base of every criterion: an immutable value that evaluates to a ``Step``."""

    __slots__ = ()

    #: The serialization tag; a subclass that sets it is registered under it.
    tag: ClassVar[str]
    #: The facts evaluating it reads (all of them unless the class says less).
    reads: ClassVar[frozenset[Fact]] = frozenset(Fact)
    #: How a connective combines its parts; ``None`` for a leaf.
    junction: ClassVar[Junction | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        tag = cls.__dict__.get("tag")
        if isinstance(tag, str):
            _register(cls, tag)

    @abstractmethod
    def evaluate(self, facts: Facts) -> Step:
        """The truth on ``facts``, with the observed values in the step's text."""

    @property
    def parts(self) -> tuple[Criterion, ...]:
        """The criteria this one combines (none for a leaf)."""
        return ()

    def literal(self, issuer: str) -> Literal | None:
        """This leaf's test as a literal, for a policy of ``issuer``; ``None`` when it has no
        literal form (matching then evaluates it as usual, lint assumes it can hold)."""
        return None

    def references(self) -> tuple[Reference, ...]:
        """The ids this leaf names, by kind and field (checked when a world is built)."""
        return ()

    def days(self) -> tuple[dt.date, ...]:
        """The days of its own on which this leaf's truth may change as the request's date
        moves (a leaf comparing the date with a day it holds names that day); none for the
        others. Timelines, batches and diffs split the calendar at them, as they do at the
        bounds of the world's dated records."""
        return ()

    def describe(self) -> str:
        """What the leaf tests, without facts (``tpp >= 4800``)."""
        return self.tag


class Junction(enum.Enum):
    """How a connective combines its parts' truths (Kleene: min, max, negation)."""

    ALL = "all"
    ANY = "any"
    NOT = "not"

    def combine(self, truths: Iterable[Truth]) -> Truth:
        if self is Junction.NOT:
            (only,) = truths
            return ~only
        values = [t.value for t in truths]
        if self is Junction.ALL:
            return Truth(min(values, default=Truth.TRUE.value))
        return Truth(max(values, default=Truth.FALSE.value))


class Connective(Criterion):
    """A criterion made of others, combined by its ``junction``."""

    __slots__ = ()

    junction: ClassVar[Junction]
    reads: ClassVar[frozenset[Fact]] = frozenset()

    @abstractmethod
    def rebuilt(self, parts: tuple[Any, ...]) -> Criterion:
        """The same connective over other parts."""

    def step(self, steps: tuple[Step, ...]) -> Step:
        """This connective's step over its parts' steps."""
        truth = self.junction.combine(s.truth for s in steps)
        if self.junction is Junction.NOT:
            return Step("not", truth, steps, steps[0].needs)
        return joined(f"{self.junction.value} of", truth, steps)

    def __attrs_post_init__(self) -> None:
        if depth(self) > MAX_CRITERION_DEPTH:
            fields = getattr(type(self), "__attrs_attrs__", ())
            where = fields[0].name if fields else "parts"
            raise InvalidValueError(
                f"{type(self).__name__}.{where}: nested deeper than {MAX_CRITERION_DEPTH} "
                "levels (geotech.criteria.MAX_CRITERION_DEPTH); flatten it"
            )

    def evaluate(self, facts: Facts) -> Step:
        return evaluate(self, facts)

    def describe(self) -> str:
        return self.junction.value


def depth(criterion: Criterion) -> int:
    """Nesting depth of a criterion tree (a leaf has depth 1); never above
    ``MAX_CRITERION_DEPTH`` for a tree that was built."""
    deepest = 0
    stack: list[tuple[Criterion, int]] = [(criterion, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if isinstance(node, Criterion):
            stack.extend((part, d + 1) for part in node.parts)
    return deepest


def joined(text: str, truth: Truth, steps: tuple[Step, ...]) -> Step:
    """A step over others: when it is unknown, it needs what its parts need."""
    needs = frozenset().union(*(s.needs for s in steps)) if truth is Truth.UNKNOWN else frozenset()
    return Step(text, truth, steps, needs)


def evaluate(criterion: Criterion, facts: Facts) -> Step:
    """The criterion's step on ``facts``, computed without recursion (deep trees are safe).
    A node that is not a ``Connective`` is evaluated by its own ``evaluate``."""
    stack: list[tuple[Any, bool]] = [(criterion, False)]
    done: list[Step] = []
    while stack:
        node, expanded = stack.pop()
        if not isinstance(node, Connective):
            done.append(node.evaluate(facts))
        elif expanded:
            n = len(node.parts)
            steps = tuple(done[len(done) - n :])
            del done[len(done) - n :]
            done.append(node.step(steps))
        else:
            stack.append((node, True))
            stack.extend((part, False) for part in reversed(node.parts))
    return done[0]


class SetCriterion(Criterion):
    """A leaf true when a key of one context value (``family``) is among its members, the
    set held in its field ``members_field``."""

    __slots__ = ()

    family: ClassVar[Family]
    members_field: ClassVar[str]
    #: The kind of record the members are ids of, if any.
    entity: ClassVar[Entity | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "family" in cls.__dict__ and "reads" not in cls.__dict__:
            cls.reads = cls.family.reads

    @property
    def members(self) -> frozenset[Hashable]:
        members: frozenset[Hashable] = getattr(self, self.members_field)
        return members

    def with_members(self, members: Iterable[Hashable]) -> SetCriterion:
        """The same test over other members."""
        return attrs.evolve(self, **{self.members_field: frozenset(members)})  # type: ignore[misc]

    def literal(self, issuer: str) -> Literal | None:
        return Members(self.family, self.members)

    def references(self) -> tuple[Reference, ...]:
        if self.entity is None:
            return ()
        return (Reference(self.entity, self.members_field, frozenset(map(str, self.members))),)

    def describe(self) -> str:
        return f"{self.tag} {{{', '.join(sorted(map(str, self.members)))}}}"


class ThresholdCriterion(Criterion):
    """A leaf comparing a number of the item (``measure``) with a ``bound``."""

    __slots__ = ()

    reads: ClassVar[frozenset[Fact]] = frozenset({Fact.ITEM})

    @property
    @abstractmethod
    def measure(self) -> Measure: ...

    @property
    @abstractmethod
    def bound(self) -> Bound: ...

    @abstractmethod
    def with_bound(self, bound: Bound) -> ThresholdCriterion:
        """The same test against another bound."""

    def literal(self, issuer: str) -> Literal | None:
        return Threshold(self.measure, self.bound)

    def describe(self) -> str:
        return self.bound.describe(self.measure.name)
