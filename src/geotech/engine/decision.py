"""What the engine answers: an access request, the outcome of each leg and side, the ruling, the
explanation, and the decision that holds them, with its human-readable account.

``geotech.engine.legs``, ``batch`` and ``settle`` make these values; the semantics they follow
are stated in ``geotech.engine.evaluate`` and ``geotech.engine.semantics``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from geotech.criteria import EndUseKind, Step, Truth, end_use_kind
from geotech.entities import Company, Item, count, day, is_state_code, state_code
from geotech.errors import InvalidValueError
from geotech.policies import AnyPolicy, Condition, Restriction, ReviewPolicy, Side, Verdict
from geotech.world import Coverage


def _route(value: Any) -> Any:
    """Converter: the route as a tuple; a string is one state or a comma-separated list
    ("CN", "TW,US,CN"), never its letters. Anything else is left for the validator."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(","))
    if isinstance(value, list | tuple | Iterator):
        return tuple(value)
    return value


def _states(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, tuple):
        raise InvalidValueError(
            f"AccessRequest.route: expected the states the item passes through, such as "
            f"('TW', 'US', 'CN') or 'TW,US,CN', got {value!r}"
        )
    for i, code in enumerate(value):
        if not is_state_code(code):
            raise InvalidValueError(
                f"AccessRequest.route[{i}]: expected an ISO 3166 alpha-2 code like 'CN', "
                f"got {code!r}"
            )


def _id(what: str) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """Validator of a field that names a record of the world by id."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str):
            raise InvalidValueError(
                f"AccessRequest.{attribute.name}: expected the id of {what}, got {value!r}"
            )

    return check


def _end_use(value: object) -> EndUseKind | None:
    """Converter: the declared end use read through the vocabulary (``end_use_kind``: variant
    spellings give their member, an unknown word raises with suggestions); none stays none."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValueError(
            f"AccessRequest.end_use: expected an end use such as 'datacenter' (or none if "
            f"unknown), got {value!r}"
        )
    return end_use_kind(value, "AccessRequest.end_use")


@frozen
class Leg:
    """One border crossing of a route."""

    exporter: str
    importer: str

    def __str__(self) -> str:
        return f"{self.exporter} -> {self.importer}"


@frozen
class AccessRequest:
    """Could ``buyer`` obtain ``item`` on ``on``?

    ``destination`` defaults to the buyer's headquarters (or the route's end); ``route`` lists
    the states the item passes through, ending at the destination, and defaults to the item's
    origin (its designer's or developer's state) followed by the destination. A route given
    as a string is one state (``"CN"``) or a comma-separated list (``"TW,US,CN"``).
    ``end_use`` is a word of the closed vocabulary ``EndUseKind`` (variant spellings such as
    ``"State Funded Data Centre"`` are read as their member); none means undeclared.

    Every field is checked when the request is made: a value of the wrong kind raises
    ``InvalidValueError`` naming the field; ids that the world does not hold are found when
    the request is decided (``UnknownEntityError``).
    """

    buyer: str = attrs.field(validator=_id("a company, such as 'bytedance'"))
    item: str = attrs.field(validator=_id("a chip, model or material, such as 'nvidia-h200'"))
    on: dt.date = attrs.field(validator=day)
    destination: str | None = attrs.field(default=None, validator=state_code)
    route: tuple[str, ...] | None = attrs.field(default=None, converter=_route, validator=_states)
    quantity: int | None = attrs.field(default=None, validator=count)
    end_use: EndUseKind | None = attrs.field(default=None, converter=_end_use)


@frozen
class PolicyResult:
    """How one in-scope policy fared: its match, trace, and who set it aside."""

    policy: str
    truth: Truth
    trace: Step
    set_aside_by: tuple[str, ...] = ()

    @property
    def applies(self) -> bool:
        """Matched and not set aside."""
        return self.truth is Truth.TRUE and not self.set_aside_by


@frozen
class Outcome:
    """The result on one leg and one side."""

    leg: Leg
    side: Side
    verdict: Verdict
    review: ReviewPolicy | None
    conditions: tuple[Condition, ...]
    determining_policies: tuple[str, ...]
    considered: tuple[PolicyResult, ...]
    certain: bool
    lowest: Restriction = attrs.field(repr=False)
    highest: Restriction = attrs.field(repr=False)

    @property
    def restriction(self) -> Restriction:
        """How restrictive this outcome is."""
        return Restriction.of(self.verdict, self.review)


@frozen
class Unknown:
    """A policy whose match depends on facts the world or the request does not give."""

    policy: str
    leg: Leg
    side: Side
    needs: frozenset[str]


Parts = tuple[tuple[Outcome, ...], tuple[Unknown, ...], tuple[AnyPolicy, ...]]


class Explanation:
    """Why a decision came out as it did: the outcome of each leg and side with every
    in-scope policy's trace, the unknown facts, and the policies in scope.

    Immutable. ``evaluate`` and ``evaluate_many`` build it the first time it is read, so a
    decision whose explanation is never read never builds its traces; the parts are those
    judged eagerly on every leg and side (``geotech.engine.legs.judge_leg``). Explanations
    compare, hash and pickle by their parts.
    """

    __slots__ = ("_build", "_parts")

    def __init__(self, build: Callable[[], Parts]) -> None:
        self._build: Callable[[], Parts] | None = build
        self._parts: Parts | None = None

    @classmethod
    def of(
        cls,
        outcomes: tuple[Outcome, ...],
        unknowns: tuple[Unknown, ...],
        policies: tuple[AnyPolicy, ...],
    ) -> Explanation:
        """An explanation from its parts, already built."""
        made = cls.__new__(cls)
        made._build, made._parts = None, (outcomes, unknowns, policies)
        return made

    @property
    def parts(self) -> Parts:
        parts = self._parts
        if parts is None:
            assert self._build is not None
            # a race between threads builds equal parts twice; either result is kept
            parts = self._parts = self._build()
            self._build = None
        return parts

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """Per leg of the route, the export side's outcome, then the import side's."""
        return self.parts[0]

    @property
    def unknowns(self) -> tuple[Unknown, ...]:
        """The in-scope policies whose match is unknown, with the facts each needs."""
        return self.parts[1]

    @property
    def policies(self) -> tuple[AnyPolicy, ...]:
        """Every policy in scope on some leg and side, by id."""
        return self.parts[2]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Explanation):
            return NotImplemented
        return self is other or self.parts[:2] == other.parts[:2]

    def __hash__(self) -> int:
        return hash(self.parts[:2])

    def __repr__(self) -> str:
        return f"Explanation(outcomes={self.outcomes!r}, unknowns={self.unknowns!r})"

    def __reduce__(self) -> tuple[Callable[..., Explanation], Parts]:
        return Explanation.of, self.parts


@frozen
class Ruling:
    """A decision without its explanation: verdict, review, conditions, the determining and
    the applying policies (matching and not set aside, over all legs and sides), certainty.

    Equal facts give one ruling: batch paths share ruling objects between requests, and may
    list the policy ids when they are first read (``listed_later``); a ruling reads, compares,
    hashes, converts and pickles the same either way.
    """

    verdict: Verdict
    review: ReviewPolicy | None
    conditions: tuple[Condition, ...]
    determining_policies: tuple[str, ...]
    applying_policies: tuple[str, ...]
    certain: bool
    #: lists (determining, applying) on first read; None once listed (or listed at once)
    _listing: PolicyListing | None = attrs.field(
        default=None, init=False, eq=False, hash=False, repr=False
    )

    @classmethod
    def listed_later(
        cls,
        verdict: Verdict,
        review: ReviewPolicy | None,
        conditions: tuple[Condition, ...],
        certain: bool,
        listing: PolicyListing,
    ) -> Ruling:
        """A ruling whose determining and applying policies ``listing()`` gives on first read:
        listing ids is most of a ruling's cost on worlds of many policies, and batch answers
        are often read for their verdict only."""
        made = cls.__new__(cls)
        put = object.__setattr__
        put(made, "verdict", verdict)
        put(made, "review", review)
        put(made, "conditions", conditions)
        put(made, "certain", certain)
        put(made, "_listing", listing)
        return made

    if not TYPE_CHECKING:  # typed attributes stay checked: this only serves the two above

        def __getattr__(self, name: str) -> tuple[str, ...]:
            listing = object.__getattribute__(self, "_listing")
            if listing is None or name not in ("determining_policies", "applying_policies"):
                raise AttributeError(name)
            # a race between threads lists equal ids twice; either result is kept
            determining, applying = listing()
            object.__setattr__(self, "determining_policies", determining)
            object.__setattr__(self, "applying_policies", applying)
            object.__setattr__(self, "_listing", None)
            return determining if name == "determining_policies" else applying

    @property
    def restriction(self) -> Restriction:
        """How restrictive the ruling is."""
        return Restriction.of(self.verdict, self.review)


#: Lists a ruling's (determining, applying) policy ids.
PolicyListing = Callable[[], tuple[tuple[str, ...], tuple[str, ...]]]


@frozen
class Decision:
    """The answer to an access request, with everything needed to explain it: the request as
    asked, the route it was decided on, the ruling, and the explanation.

    Decisions are equal when their requests, routes, rulings and explanations are.
    """

    request: AccessRequest
    #: the states the item passes through, ending at the destination (defaults applied)
    route: tuple[str, ...]
    ruling: Ruling
    explanation: Explanation = attrs.field(repr=False)
    buyer: Company = attrs.field(eq=False, repr=False)
    item: Item = attrs.field(eq=False, repr=False)
    #: the world's window when the request's day lies outside it (the ruling is then not
    #: certain); ``None`` inside the window or for a world that declares none
    outside: Coverage | None = None

    @property
    def destination(self) -> str:
        """Where the item ends up: the last state of the route."""
        return self.route[-1]

    @property
    def verdict(self) -> Verdict:
        """The most restrictive outcome over all legs and sides."""
        return self.ruling.verdict

    @property
    def review(self) -> ReviewPolicy | None:
        """How a license application is reviewed, when the verdict is LICENSE_REQUIRED."""
        return self.ruling.review

    @property
    def restriction(self) -> Restriction:
        """How restrictive the decision is."""
        return self.ruling.restriction

    @property
    def conditions(self) -> tuple[Condition, ...]:
        """The union of every outcome's conditions."""
        return self.ruling.conditions

    @property
    def determining_policies(self) -> tuple[str, ...]:
        """The policies behind the verdict, by id."""
        return self.ruling.determining_policies

    @property
    def certain(self) -> bool:
        """Whether no completion of the unknown facts could change the verdict or review."""
        return self.ruling.certain

    @property
    def doubt(self) -> str | None:
        """Why the decision is not certain (``None`` when it is): the day lies outside the
        world's window, or the verdict depends on unknown facts."""
        if self.outside is not None:
            return f"{self.request.on.isoformat()} is outside the world's window, {self.outside}"
        return None if self.certain else "depends on unknown facts"

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """Per leg of the route, the export side's outcome, then the import side's."""
        return self.explanation.outcomes

    @property
    def unknowns(self) -> tuple[Unknown, ...]:
        """The in-scope policies whose match is unknown, with the facts each needs."""
        return self.explanation.unknowns

    @property
    def policies(self) -> tuple[AnyPolicy, ...]:
        """Every policy in scope on some leg and side, by id."""
        return self.explanation.policies

    def explain(self) -> str:
        """A human-readable account: verdict, conditions, determining policies with their
        citations, each leg and side with the criteria trace, and unknown facts."""
        return "\n".join(_explain(self))


def explanation_parts(outcomes: Sequence[Outcome], used: dict[str, AnyPolicy]) -> Parts:
    """An explanation's parts from the outcomes and the policies in scope."""
    unknowns = tuple(
        Unknown(r.policy, o.leg, o.side, r.trace.needs)
        for o in outcomes
        for r in o.considered
        if r.truth is Truth.UNKNOWN
    )
    return tuple(outcomes), unknowns, tuple(used[k] for k in sorted(used))


# ---------------------------------------------------------------------------------------------
# Explanation


def _explain(d: Decision) -> list[str]:
    r = d.request
    by_id = {p.id: p for p in d.policies}
    route = " -> ".join(d.route)
    head = f"{d.buyer.name} ({d.buyer.id}) x {d.item.name} ({d.item.id}) on {r.on.isoformat()}"
    extras = [f"route {route}"]
    if r.quantity is not None:
        extras.append(f"quantity {r.quantity:,}")
    if r.end_use is not None:
        extras.append(f"end use {r.end_use}")
    lines = [head + ", " + ", ".join(extras)]
    certainty = "certain" if d.doubt is None else f"NOT certain: {d.doubt}"
    lines.append(f"Verdict: {d.restriction} [{certainty}]")
    if d.conditions:
        lines.append("Conditions:")
        lines += [f"  - {c}" for c in d.conditions]
    if d.determining_policies:
        lines.append("Determined by:")
        for pid in d.determining_policies:
            lines.append(f"  - {by_id[pid].cite()}")
    else:
        lines.append("Determined by: no policy restricts this request")
    shown: set[str] = set()
    for o in d.outcomes:
        lines.append(f"Leg {o.leg}, {o.side} side: {o.restriction}")
        if not o.considered:
            lines.append("    no policy in scope")
        for res in o.considered:
            mark = (
                "applies"
                if res.applies
                else (
                    f"set aside by {', '.join(res.set_aside_by)}"
                    if res.set_aside_by
                    else str(res.truth)
                )
            )
            lines.append(f"    {res.policy} [{mark}]")
            if res.truth is not Truth.FALSE:
                lines += _trace_lines(res.trace, 3, shown)
    if d.unknowns:
        lines.append("Unknown facts:")
        for u in d.unknowns:
            lines.append(f"  - {u.policy} ({u.leg}, {u.side}) needs {', '.join(sorted(u.needs))}")
    return lines


def _trace_lines(step: Step, indent: int, shown: set[str]) -> list[str]:
    """A trace as indented lines; a class definition's trace is printed the first time only."""
    out = [f"{'  ' * indent}{step.text}: {step.truth}"]
    if step.text.startswith("class ") and step.children:
        if step.text in shown:
            return [out[0] + " (as above)"]
        shown.add(step.text)
    for child in step.children:
        out += _trace_lines(child, indent + 1, shown)
    return out
