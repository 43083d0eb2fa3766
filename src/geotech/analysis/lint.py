"""Lint: findings about the rules themselves (policies that can never match, policies always
superseded, contradictory effects without precedence, references to classes out of force or
to party lists with no active listing), each with ids and an explanation."""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Hashable, Sequence

from attrs import frozen

from geotech import criteria as c
from geotech.analysis.timeline import events
from geotech.criteria import Criterion, Fact, Truth
from geotech.entities import Chip, Equipment, Item, Material, Model
from geotech.policies import (
    AnyPolicy,
    Restriction,
    Side,
    Verdict,
)
from geotech.world import World


class FindingKind(enum.StrEnum):
    """What is wrong with a rule."""

    NEVER_MATCHES = "never_matches"
    ALWAYS_SUPERSEDED = "always_superseded"
    CONTRADICTION = "contradiction"
    CLASS_OUT_OF_FORCE = "class_out_of_force"
    NO_ACTIVE_LISTING = "no_active_listing"


_KIND_ORDER = {k: i for i, k in enumerate(FindingKind)}


@frozen
class Finding:
    """A problem with the rules: its kind, the ids involved, and an explanation."""

    kind: FindingKind
    ids: tuple[str, ...]
    message: str


def lint(world: World) -> tuple[Finding, ...]:
    """Findings about the world's rules, sorted by kind then ids. Sound but not complete:
    a policy reported as never matching cannot match any request (facts not published count
    as possibly matching); some subtler problems may go unreported."""
    checker = _Checker(world)
    findings: list[Finding] = []
    dead: set[str] = set()
    for p in world.policies:
        reasons = checker.never(p.criterion, p.issuer, p.side, p.effective, p.expires)
        if reasons is not None:
            dead.add(p.id)
            findings.append(
                Finding(
                    FindingKind.NEVER_MATCHES,
                    (p.id,),
                    f"policy {p.id} can never match: {'; '.join(reasons)}",
                )
            )
        findings += _class_gaps(world, p)
        findings += _listing_gaps(world, p)
    live = [p for p in world.policies if p.id not in dead]
    findings += _always_superseded(live)
    findings += _contradictions(checker, live)
    return tuple(sorted(findings, key=lambda f: (_KIND_ORDER[f.kind], f.ids, f.message)))


def _segments(
    dates: Sequence[dt.date], start: dt.date, end: dt.date | None
) -> list[tuple[dt.date, dt.date | None]]:
    """[start, end) cut at the given dates."""
    cuts = [d for d in dates if start < d and (end is None or d < end)]
    bounds: list[dt.date | None] = [start, *cuts, end]
    return [(a, b) for a, b in itertools.pairwise(bounds) if a is not None]


def _named(criterion: Criterion, entity: c.Entity) -> frozenset[str]:
    """The ids of one kind that the criterion names."""
    return frozenset().union(
        *(r.ids for n in c.walk(criterion) for r in n.references() if r.entity is entity)
    )


def _class_gaps(world: World, p: AnyPolicy) -> list[Finding]:
    codes = sorted(_named(p.criterion, c.Entity.CLASS_CODE))
    out: list[Finding] = []
    for code in codes:
        defs = [k for k in world.classes if k.code == code]
        dates = sorted({d for k in defs for d in (k.effective, k.expires) if d is not None})
        gaps = [
            (a, b)
            for a, b in _segments(dates, p.effective, p.expires)
            if not any(k.in_force(a) for k in defs)
        ]
        if gaps:
            spans = ", ".join(
                f"{a.isoformat()} to {b.isoformat() if b else 'open end'}" for a, b in gaps
            )
            out.append(
                Finding(
                    FindingKind.CLASS_OUT_OF_FORCE,
                    (p.id, code),
                    f"policy {p.id} tests class {code}, which has no definition in force "
                    f"from {spans} while the policy is; start the policy later or add a definition",
                )
            )
    return out


def _listing_gaps(world: World, p: AnyPolicy) -> list[Finding]:
    lists = sorted(_named(p.criterion, c.Entity.PARTY_LIST))
    out: list[Finding] = []
    for list_id in lists:
        listings = world.party_list(list_id).listings
        active = any(
            x.start < (p.expires or dt.date.max) and (x.end is None or x.end > p.effective)
            for x in listings
        )
        if not active:
            why = (
                "lists no company"
                if not listings
                else "has no listing active while the policy is in force (all ended or not "
                "yet started)"
            )
            out.append(
                Finding(
                    FindingKind.NO_ACTIVE_LISTING,
                    (p.id, list_id),
                    f"policy {p.id} tests listing on {list_id}, which {why}",
                )
            )
    return out


def _always_superseded(policies: Sequence[AnyPolicy]) -> list[Finding]:
    out: list[Finding] = []
    for p in policies:
        for q in policies:
            if (
                p.id in q.supersedes
                and (q.side, q.issuer) == (p.side, p.issuer)
                and q.effective <= p.effective
                and (q.expires is None or (p.expires is not None and q.expires >= p.expires))
                and _implies(p.criterion, q.criterion, p.issuer)
            ):
                out.append(
                    Finding(
                        FindingKind.ALWAYS_SUPERSEDED,
                        (p.id, q.id),
                        f"policy {p.id} never applies: whenever it matches, {q.id} (in force "
                        f"all that time) matches too and supersedes it",
                    )
                )
    return out


def _implies(a: Criterion, b: Criterion, issuer: str) -> bool:
    """Whether ``a`` true forces ``b`` true, judged on the structure (sound, not complete)."""
    if a == b:
        return True
    if _junction(b) is c.Junction.ALL:
        return all(_implies(a, x, issuer) for x in b.parts)
    if _junction(a) is c.Junction.ANY:
        return all(_implies(x, b, issuer) for x in a.parts)
    if _junction(a) is c.Junction.ALL and any(_implies(x, b, issuer) for x in a.parts):
        return True
    if _junction(b) is c.Junction.ANY:
        return any(_implies(a, x, issuer) for x in b.parts)
    if isinstance(a, c.Connective) or isinstance(b, c.Connective):
        return False
    la, lb = a.literal(issuer), b.literal(issuer)
    if isinstance(la, c.Members) and isinstance(lb, c.Members):
        if la.family != lb.family or la.negated != lb.negated:
            return False
        return lb.keys <= la.keys if la.negated else la.keys <= lb.keys
    if isinstance(la, c.Threshold) and isinstance(lb, c.Threshold):
        return la.measure == lb.measure and la.bound.implies(lb.bound)
    return False


def _junction(node: Criterion) -> c.Junction | None:
    return node.junction if isinstance(node, c.Connective) else None


def _clash(p: AnyPolicy, q: AnyPolicy) -> bool:
    """Whether one policy allows what the other restricts, the allow declaring no precedence.

    An allow that supersedes some policies is a targeted exception (an authorization lifting
    a block, a suspension lifting a ban): other restrictions it meets are meant to stand.
    Two restrictions of different strength are layering: the stricter is meant to win.
    """
    opening = {Verdict.ALLOWED, Verdict.CONDITIONAL}
    allows = [x for x in (p, q) if x.verdict in opening]
    return len(allows) == 1 and not allows[0].supersedes


def _contradictions(checker: _Checker, policies: Sequence[AnyPolicy]) -> list[Finding]:
    out: list[Finding] = []
    for p, q in itertools.combinations(policies, 2):
        if (
            (p.side, p.issuer) != (q.side, q.issuer)
            or p.id in q.supersedes
            or q.id in p.supersedes
            or not _clash(p, q)
        ):
            continue
        start = max(p.effective, q.effective)
        ends = [e for e in (p.expires, q.expires) if e is not None]
        end = min(ends) if ends else None
        if end is not None and end <= start:
            continue
        day = checker.first_match((p.criterion, q.criterion), p.issuer, p.side, start, end)
        if day is None:
            continue
        loose, strict = sorted((p, q), key=lambda x: x.restriction)
        out.append(
            Finding(
                FindingKind.CONTRADICTION,
                (p.id, q.id),
                f"{loose.id} ({Restriction.of(loose.verdict, loose.review)}) and {strict.id} "
                f"({Restriction.of(strict.verdict, strict.review)}) can match the same request "
                f"(from {day.isoformat()}): one allows what the other restricts and neither "
                f"supersedes the other, so {strict.id} always wins; if {loose.id} is an "
                f'exception, add supersedes = ["{strict.id}"] to it',
            )
        )
    return out


# -- satisfiability of criteria (used by lint) ------------------------------------------------

_Branch = tuple[c.Signed, ...]
#: Past this many conjunctive branches a criterion is assumed satisfiable (lint stays sound).
MAX_BRANCHES = 512


class _TooComplexError(Exception):
    pass


_ITEM_TYPES = (Chip, Model, Material, Equipment)


def _kinds_having(attribute: str) -> frozenset[str]:
    return frozenset(t.kind for t in _ITEM_TYPES if hasattr(t, attribute))


def _join(parts: Sequence[list[_Branch]], *, conjunction: bool) -> list[_Branch]:
    """Branches of the conjunction (or disjunction) of criteria given by their branches."""
    if conjunction:
        out: list[_Branch] = [()]
        for part in parts:
            out = [a + b for a in out for b in part]
            if len(out) > MAX_BRANCHES:
                raise _TooComplexError
        return out
    merged = [b for part in parts for b in part]
    if len(merged) > MAX_BRANCHES:
        raise _TooComplexError
    return merged


def _excludes(positive: bool, truth: Truth) -> bool:
    """Whether a value on which a literal has ``truth`` cannot meet it with that polarity."""
    return truth is (Truth.FALSE if positive else Truth.TRUE)


#: Why a branch fails, by the context none of whose values passes its tests.
_EMPTY = {
    Fact.BUYER: "no company meets the buyer tests",
    Fact.DESTINATION: "no destination meets the place tests",
    Fact.END_USE: "no end use meets the end-use tests",
}


class _Checker:
    """Decides whether a criterion can be true for some request on some day of a period.

    The criterion is put in disjunctive normal form (leaves testing control classes replaced
    by the definitions in force on the day); each branch is a conjunction of literals checked
    against the world: the companies and states that pass each buyer and place test, value
    intervals for thresholds, and the world's items when the branch names them. Unpublished
    facts and leaves without a literal count as possibly matching, so "unsatisfiable" is
    always right.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        self.dates = sorted({e.on for e in events(world)})
        self.states = frozenset(s.id for s in world.states)
        self.companies = frozenset(x.id for x in world.companies)
        self._passing: dict[tuple[c.Literal, bool, dt.date], frozenset[str]] = {}

    def never(
        self, criterion: Criterion, issuer: str, side: Side, start: dt.date, end: dt.date | None
    ) -> list[str] | None:
        """None if the criterion can match on some day of [start, end); else the reasons."""
        reasons: set[str] = set()
        for day, _ in _segments(self.dates, start, end):
            why = self._day((criterion,), issuer, side, day)
            if why is None:
                return None
            reasons.update(why)
        return sorted(reasons)[:3] or ["no request can meet it"]

    def first_match(
        self,
        criteria: Sequence[Criterion],
        issuer: str,
        side: Side,
        start: dt.date,
        end: dt.date | None,
    ) -> dt.date | None:
        """The first day of [start, end) on which all the criteria can match at once."""
        for day, _ in _segments(self.dates, start, end):
            if self._day(criteria, issuer, side, day) is None:
                return day
        return None

    def _day(
        self, criteria: Sequence[Criterion], issuer: str, side: Side, day: dt.date
    ) -> list[str] | None:
        notes: list[str] = []
        try:
            branches = _join(
                [self._dnf(x, True, issuer, day, notes) for x in criteria], conjunction=True
            )
        except _TooComplexError:
            return None
        reasons = list(notes)
        for branch in branches:
            why = self._branch(branch, issuer, side, day)
            if why is None:
                return None
            reasons.append(why)
        return reasons

    def _dnf(
        self, node: Criterion, positive: bool, issuer: str, day: dt.date, notes: list[str]
    ) -> list[_Branch]:
        """The branches of ``node`` (negated unless ``positive``), class tests expanded into
        the definitions in force on ``day`` (the first by id, as the engine does)."""
        if isinstance(node, c.Connective):
            if node.junction is c.Junction.NOT:
                return self._dnf(node.parts[0], not positive, issuer, day, notes)
            parts = [self._dnf(x, positive, issuer, day, notes) for x in node.parts]
            return _join(parts, conjunction=(node.junction is c.Junction.ALL) == positive)
        literal = node.literal(issuer)
        if isinstance(literal, c.Members) and literal.family == c.ITEM_CLASSES:
            codes = sorted(map(str, literal.keys))
            defs = [
                k.criterion
                for code in codes
                for k in [k for k in self.world.classes if k.code == code and k.in_force(day)][:1]
            ]
            if not defs:
                notes.append(f"class {', '.join(codes)} is not in force")
            held = positive != literal.negated
            parts = [self._dnf(d, held, issuer, day, notes) for d in defs]
            return _join(parts, conjunction=not held)
        return [(c.Signed(node, positive),)]

    def _values(self, literal: c.Literal, positive: bool, day: dt.date) -> frozenset[str]:
        """The companies (buyer tests) or states (place tests) that may meet ``literal``
        with that polarity on ``day``, as the engine judges them."""
        key = (literal, positive, day)
        found = self._passing.get(key)
        if found is None:
            w = self.world
            if literal.context is Fact.BUYER:
                found = frozenset(
                    x
                    for x in self.companies
                    if not _excludes(positive, literal.judge(w.company(x), day, w))
                )
            else:
                found = frozenset(
                    x for x in self.states if not _excludes(positive, literal.judge(x, day, w))
                )
            self._passing[key] = found
        return found

    def _branch(self, branch: _Branch, issuer: str, side: Side, day: dt.date) -> str | None:
        """None if the conjunction can be true on ``day``; else why not."""
        item = _ItemSpace()
        values: dict[Fact, set[str]] = {
            Fact.BUYER: set(self.companies),
            Fact.EXPORTER: set(self.states),
            Fact.IMPORTER: {issuer} if side is Side.IMPORT else set(self.states) - {issuer},
            Fact.DESTINATION: set(self.states),
        }
        keys = _OpenKeys()
        for node, positive in branch:
            literal = node.literal(issuer)
            if literal is None:
                continue
            if literal.context is Fact.ITEM:
                item.add(literal, positive)
            elif literal.context in values:
                values[literal.context] &= self._values(literal, positive, day)
            elif isinstance(literal, c.Members):
                keys.add(literal, positive)
        if not values[Fact.BUYER]:
            return _EMPTY[Fact.BUYER]
        exporters, importers = values[Fact.EXPORTER], values[Fact.IMPORTER]
        if not exporters or not importers or (exporters == importers and len(exporters) == 1):
            return "no leg (exporter -> importer) meets the place tests"
        if not values[Fact.DESTINATION]:
            return _EMPTY[Fact.DESTINATION]
        empty = keys.empty()
        if empty is not None:
            return _EMPTY.get(empty.context, f"no {empty.context} meets its tests")
        return item.reason(self.world, day)


class _OpenKeys:
    """The keys each family may still take, given the member tests of one branch: those it
    must meet (``None``: any) less those it must avoid."""

    def __init__(self) -> None:
        self.required: dict[c.Family, set[Hashable] | None] = {}
        self.banned: dict[c.Family, set[Hashable]] = {}

    def add(self, literal: c.Members, positive: bool) -> None:
        family = literal.family
        self.required.setdefault(family, None)
        self.banned.setdefault(family, set())
        if positive != literal.negated:
            held = self.required[family]
            self.required[family] = set(literal.keys) if held is None else held & literal.keys
        else:
            self.banned[family] |= literal.keys

    def empty(self) -> c.Family | None:
        """A family no key of which can pass the tests, if any."""
        for family, held in self.required.items():
            pool = held if held is not None else family.domain
            if pool is not None and not set(pool) - self.banned[family]:
                return family
        return None


@frozen
class _Bound:
    value: float
    inclusive: bool


_POSITIVE = _Bound(0.0, False)


class _ItemSpace:
    """The items a conjunction of item literals admits, tracked symbolically."""

    def __init__(self) -> None:
        self.kinds: set[str] = {t.kind for t in _ITEM_TYPES}
        self.ids: set[str] | None = None
        self.excluded: set[str] = set()
        self.keys = _OpenKeys()
        self.lower: dict[str, _Bound] = {}
        self.upper: dict[str, _Bound] = {}
        self.tests: dict[str, list[str]] = {}
        self.literals: list[tuple[c.Literal, bool]] = []

    def add(self, literal: c.Literal, positive: bool) -> None:
        self.literals.append((literal, positive))
        if isinstance(literal, c.Threshold):
            self._threshold(literal.measure.name, literal.bound if positive else ~literal.bound)
            return
        family = literal.family
        held = positive != literal.negated
        if family == c.ITEM_KIND:
            keys = {str(k) for k in literal.keys}
            self.kinds = self.kinds & keys if held else self.kinds - keys
        elif family == c.ITEM_ID:
            keys = {str(k) for k in literal.keys}
            if held:
                self.ids = keys if self.ids is None else self.ids & keys
            else:
                self.excluded |= keys
        elif isinstance(family, c.Attribute) and family.name is not None:
            self.kinds &= _kinds_having(family.name)
            self.keys.add(literal, positive)

    def _threshold(self, name: str, bound: c.Bound) -> None:
        self.kinds &= _kinds_having(name)
        self.tests.setdefault(name, []).append(bound.describe(name))
        edge = _Bound(bound.value, bound.op.inclusive)
        if bound.op.rising:
            # Published figures are > 0: start from that floor; higher (or equal but
            # exclusive) bounds are stricter.
            old = self.lower.get(name, _POSITIVE)
            if (edge.value, not edge.inclusive) > (old.value, not old.inclusive):
                self.lower[name] = edge
        else:
            old_upper = self.upper.get(name)
            if old_upper is None or (edge.value, edge.inclusive) < (
                old_upper.value,
                old_upper.inclusive,
            ):
                self.upper[name] = edge

    def reason(self, world: World, day: dt.date) -> str | None:
        for name in sorted(self.upper):
            lo, hi = self.lower.get(name, _POSITIVE), self.upper[name]
            if hi.value < lo.value or (
                hi.value == lo.value and not (lo.inclusive and hi.inclusive)
            ):
                return f"{' and '.join(self.tests[name])} leave no possible value"
        empty = self.keys.empty()
        if empty is not None:
            what = empty.name if isinstance(empty, c.Attribute) else empty.context
            return f"no value of the item's {what} passes the item tests"
        if not self.kinds:
            return "no item kind passes the item tests (kind, specs, datacenter)"
        if self.ids is None:
            return None
        if any(self._fits(world.item(i), world, day) for i in sorted(self.ids - self.excluded)):
            return None
        return (
            f"none of the items {{{', '.join(sorted(self.ids))}}} passes the other item tests "
            "(kind, specs, datacenter, class definitions)"
        )

    def _fits(self, item: Item, world: World, day: dt.date) -> bool:
        if item.kind not in self.kinds:
            return False
        return not any(
            _excludes(positive, literal.judge(item, day, world))
            for literal, positive in self.literals
        )
