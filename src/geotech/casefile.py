"""Decision test files: cases that pin the decisions a world must give, and their runner.

A case names a request (``buyer``, ``item``, ``on``, optional ``route``, ``destination``,
``end_use``, ``quantity``), the answer expected (``verdict``; optional ``review``,
``conditions``, ``certain``, ``determining``, ``outcomes`` leg by leg, ``unknowns``) and
``why`` that answer is right. A file is a table with a list of ``cases``, loaded and dumped
through ``geotech.io``'s converter (``cases_from_data``, ``cases_to_data``).

Guarantees: ``run_cases(world, cases)`` is pure and decides every case through the batch
path (``geotech.evaluate_many``); a case passes when every expectation it states holds, and a
failure lists each expectation that does not, with the expected and the actual value; the
report's coverage counts, among the world's policies, those that determine or apply in some
case's decision. Cases that do not fit the world (an unknown id, a route that does not end at
the destination, a duplicate name) are refused as a whole, each problem with its path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
from attrs import frozen

from geotech import io
from geotech.engine import AccessRequest, Decision, Outcome, evaluate_many
from geotech.entities import day
from geotech.errors import DocumentError, InvalidValueError, UnknownEntityError
from geotech.policies import CONDITIONS, Condition, RequirementKind, ReviewPolicy, Side, Verdict
from geotech.stream import request_problem
from geotech.world import World

__all__ = [
    "Case",
    "CaseFile",
    "CaseResult",
    "ConditionPattern",
    "Difference",
    "OutcomePattern",
    "Report",
    "UnknownPattern",
    "cases_from_data",
    "cases_to_data",
    "check_cases",
    "run_cases",
]

#: A verdict as case files write it: ``Verdict.LICENSE_REQUIRED`` is ``license_required``.
VERDICT_NAMES = tuple(v.name.lower() for v in Verdict)


def _verdict_name(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if value not in VERDICT_NAMES:
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name}: expected one of "
            f"{', '.join(VERDICT_NAMES)}, got {value!r}"
        )


def _leg(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    if len(value) != 2:
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name}: expected [exporter, importer], e.g. "
            f'["US", "CN"], got {list(value)!r}'
        )


def _review(review: ReviewPolicy | None) -> str:
    return "none" if review is None else review.name.lower()


def _ids(ids: Iterable[str]) -> str:
    return ", ".join(sorted(ids)) or "none"


@frozen(kw_only=True)
class ConditionPattern:
    """A condition expected by its ``type`` (``tariff``, ``revenue_share``, ``volume_cap``,
    ``requirement``) and any of its fields; a field left out matches any value."""

    type: str
    rate: float | None = None
    fraction: float | None = None
    units: int | None = None
    kind: RequirementKind | None = None
    beneficiary: str | None = None

    def __attrs_post_init__(self) -> None:
        cls = CONDITIONS.get(self.type)
        if cls is None:
            raise InvalidValueError(
                f"ConditionPattern.type: expected one of {', '.join(CONDITIONS)}, got {self.type!r}"
            )
        fields = attrs.fields_dict(cls)
        for name, _ in self._given():
            if name not in fields:
                raise InvalidValueError(
                    f"ConditionPattern.{name}: a {self.type} has no {name}; give "
                    f"{', '.join(f for f in fields if f in _PATTERN_FIELDS) or 'only the type'}"
                )

    def _given(self) -> list[tuple[str, object]]:
        return [(n, getattr(self, n)) for n in _PATTERN_FIELDS if getattr(self, n) is not None]

    def matches(self, condition: Condition) -> bool:
        """Whether ``condition`` has this type and every field given."""
        return condition.tag == self.type and all(
            getattr(condition, n) == v for n, v in self._given()
        )

    def __str__(self) -> str:
        return " ".join([self.type, *(f"{n}={v}" for n, v in self._given())])


_PATTERN_FIELDS = ("rate", "fraction", "units", "kind", "beneficiary")


@frozen(kw_only=True)
class OutcomePattern:
    """The outcome expected on one leg and side of the route."""

    leg: tuple[str, ...] = attrs.field(validator=_leg)
    side: Side
    verdict: str = attrs.field(validator=_verdict_name)
    review: ReviewPolicy | None = None
    determining: tuple[str, ...] | None = None


@frozen(kw_only=True)
class UnknownPattern:
    """A policy expected to be undecided on a leg, and the facts it needs."""

    policy: str
    leg: tuple[str, ...] = attrs.field(validator=_leg)
    needs: frozenset[str]
    side: Side | None = None


@frozen(kw_only=True)
class Case:
    """One request and the decision expected for it, with the reason (``why``)."""

    name: str
    buyer: str
    item: str
    on: dt.date = attrs.field(validator=day)
    route: tuple[str, ...] | None = None
    destination: str | None = None
    end_use: str | None = None
    quantity: int | None = None
    verdict: str = attrs.field(validator=_verdict_name)
    review: ReviewPolicy | None = None
    conditions: tuple[ConditionPattern, ...] | None = None
    certain: bool | None = None
    determining: tuple[str, ...] | None = None
    outcomes: tuple[OutcomePattern, ...] | None = None
    unknowns: tuple[UnknownPattern, ...] | None = None
    why: str

    def __attrs_post_init__(self) -> None:
        self.request  # noqa: B018 - the request's own checks (quantity, state codes)

    @property
    def request(self) -> AccessRequest:
        """The access request the case asks."""
        return AccessRequest(
            buyer=self.buyer,
            item=self.item,
            on=self.on,
            destination=self.destination,
            route=self.route,
            quantity=self.quantity,
            end_use=self.end_use,
        )


@frozen
class CaseFile:
    """A decision test file: its cases, in order."""

    cases: tuple[Case, ...]


@frozen
class Difference:
    """One expectation that does not hold: where (a field path), what was expected, what the
    decision says."""

    field: str
    expected: str
    actual: str

    def __str__(self) -> str:
        return f"{self.field}: expected {self.expected}, got {self.actual}"


@frozen
class CaseResult:
    """A case, the decision it got, and every difference from what it expected."""

    case: Case
    decision: Decision
    differences: tuple[Difference, ...]

    @property
    def passed(self) -> bool:
        return not self.differences

    @property
    def headline(self) -> str:
        """The decision's explanation headline: the request, then the verdict."""
        return "\n".join(self.decision.explain().splitlines()[:2])


@frozen
class Report:
    """Every case's result and the policy coverage: which of the world's policies some case
    exercised (determining or applying in its decision)."""

    results: tuple[CaseResult, ...]
    policies: tuple[str, ...]
    exercised: tuple[str, ...]

    @property
    def passed(self) -> tuple[CaseResult, ...]:
        return tuple(r for r in self.results if r.passed)

    @property
    def failed(self) -> tuple[CaseResult, ...]:
        return tuple(r for r in self.results if not r.passed)

    @property
    def unexercised(self) -> tuple[str, ...]:
        """The world's policies no case exercised, by id."""
        done = set(self.exercised)
        return tuple(p for p in self.policies if p not in done)

    @property
    def coverage(self) -> float:
        """The fraction of the world's policies exercised (1.0 for a world without any)."""
        return len(self.exercised) / len(self.policies) if self.policies else 1.0


# ---------------------------------------------------------------------------------------------
# Documents


def cases_from_data(doc: Any, source: str | None = None) -> tuple[Case, ...]:
    """The cases of a decision test document (``{"cases": [...]}``); raises
    ``DocumentError`` with every problem and its path."""
    return io.from_data(doc, CaseFile, source).cases


def cases_to_data(cases: Sequence[Case]) -> dict[str, Any]:
    """A decision test document (defaults omitted); ``cases_from_data`` reads it back."""
    data: dict[str, Any] = io.to_data(CaseFile(tuple(cases)))
    return data


def check_cases(world: World, cases: Sequence[Case]) -> list[str]:
    """Every way ``cases`` do not fit ``world``, each as ``cases[i].field: problem``."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    for i, case in enumerate(cases):
        where = f"cases[{i}]"
        if case.name in seen:
            problems.append(
                f"{where}.name: {case.name!r} also names cases[{seen[case.name]}]; give each "
                "case its own name"
            )
        seen.setdefault(case.name, i)
        problem = request_problem(world, case.request)
        if problem is not None:
            problems.append(f"{where}.{problem}")
        named = [("determining", case.determining or ())]
        named += [
            (f"outcomes[{j}].determining", o.determining or ())
            for j, o in enumerate(case.outcomes or ())
        ]
        named += [(f"unknowns[{j}].policy", (u.policy,)) for j, u in enumerate(case.unknowns or ())]
        for field, ids in named:
            for pid in ids:
                try:
                    world.policy(pid)
                except UnknownEntityError as exc:
                    problems.append(f"{where}.{field}: {exc}")
    return problems


# ---------------------------------------------------------------------------------------------
# Running


def run_cases(world: World, cases: Sequence[Case]) -> Report:
    """Decide every case in ``world`` and compare; raises ``DocumentError`` listing every
    problem (``check_cases``) when the cases do not fit the world."""
    problems = check_cases(world, cases)
    if problems:
        raise DocumentError(problems)
    decisions = evaluate_many(world, [c.request for c in cases])
    results = tuple(
        CaseResult(case=c, decision=d, differences=tuple(_differences(c, d)))
        for c, d in zip(cases, decisions, strict=True)
    )
    exercised = {
        p for d in decisions for p in (*d.determining_policies, *d.ruling.applying_policies)
    }
    ids = tuple(sorted(p.id for p in world.policies))
    return Report(results=results, policies=ids, exercised=tuple(p for p in ids if p in exercised))


def _differences(case: Case, decision: Decision) -> list[Difference]:
    """Every expectation of ``case`` that ``decision`` does not meet."""
    out: list[Difference] = []

    def compare(field: str, expected: str, actual: str) -> None:
        if expected != actual:
            out.append(Difference(field, expected, actual))

    compare("verdict", case.verdict, decision.verdict.name.lower())
    if case.review is not None:
        compare("review", _review(case.review), _review(decision.review))
    if case.certain is not None:
        compare("certain", str(case.certain).lower(), str(decision.certain).lower())
    if case.determining is not None:
        compare("determining", _ids(case.determining), _ids(decision.determining_policies))
    if case.conditions is not None:
        out += _conditions(case.conditions, decision.conditions)
    if case.outcomes is not None:
        out += _outcomes(case.outcomes, decision.outcomes)
    if case.unknowns is not None:
        expected = {_unknown(u.policy, u.leg, u.side, u.needs) for u in case.unknowns}
        actual = {
            _unknown(
                u.policy,
                (u.leg.exporter, u.leg.importer),
                u.side if _sided(case.unknowns, u.policy) else None,
                u.needs,
            )
            for u in decision.unknowns
        }
        compare(
            "unknowns", "; ".join(sorted(expected)) or "none", "; ".join(sorted(actual)) or "none"
        )
    return out


def _sided(patterns: Sequence[UnknownPattern], policy: str) -> bool:
    return any(p.policy == policy and p.side is not None for p in patterns)


def _unknown(policy: str, leg: Sequence[str], side: Side | None, needs: Iterable[str]) -> str:
    on = " -> ".join(leg) + ("" if side is None else f" {side}")
    return f"{policy} ({on}) needs {', '.join(sorted(needs))}"


def _conditions(
    patterns: Sequence[ConditionPattern], conditions: Sequence[Condition]
) -> list[Difference]:
    out = [
        Difference("conditions", f"a condition like {p}", "none like it")
        for p in patterns
        if not any(p.matches(c) for c in conditions)
    ]
    out += [
        Difference("conditions", "no other condition", f"{c.tag}: {c}")
        for c in conditions
        if not any(p.matches(c) for p in patterns)
    ]
    return out


def _outcomes(patterns: Sequence[OutcomePattern], outcomes: Sequence[Outcome]) -> list[Difference]:
    if len(patterns) != len(outcomes):
        shown = "; ".join(f"{o.leg} {o.side}" for o in outcomes)
        return [
            Difference("outcomes", f"{len(patterns)} legs and sides", f"{len(outcomes)} ({shown})")
        ]
    out: list[Difference] = []
    for i, (p, o) in enumerate(zip(patterns, outcomes, strict=True)):
        where = f"outcomes[{i}]"
        pairs = [
            ("leg", " -> ".join(p.leg), str(o.leg)),
            ("side", str(p.side), str(o.side)),
            ("verdict", p.verdict, o.verdict.name.lower()),
        ]
        if p.review is not None:
            pairs.append(("review", _review(p.review), _review(o.review)))
        if p.determining is not None:
            pairs.append(("determining", _ids(p.determining), _ids(o.determining_policies)))
        out += [Difference(f"{where}.{f}", e, a) for f, e, a in pairs if e != a]
    return out
