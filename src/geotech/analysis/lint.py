"""Lint: findings about the rules themselves (policies that can never match, policies always
superseded, contradictory effects without precedence, references to classes out of force or
to party lists with no active listing), each with ids and an explanation."""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Sequence

from attrs import frozen

from geotech import criteria as c
from geotech.analysis.timeline import events
from geotech.criteria import Criterion, Op, SpecName
from geotech.entities import Chip, Material, Model
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


def _class_gaps(world: World, p: AnyPolicy) -> list[Finding]:
    codes = sorted(
        {code for n in c.walk(p.criterion) if isinstance(n, c.ItemClass) for code in n.codes}
    )
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
    lists = sorted(
        {x for n in c.walk(p.criterion) if isinstance(n, c.BuyerListed) for x in n.lists}
    )
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
                and _implies(p.criterion, q.criterion)
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


def _implies(a: Criterion, b: Criterion) -> bool:
    """Whether ``a`` true forces ``b`` true, judged on the structure (sound, not complete)."""
    if a == b:
        return True
    if isinstance(b, c.All):
        return all(_implies(a, x) for x in b.of)
    if isinstance(a, c.AnyOf):
        return all(_implies(x, b) for x in a.of)
    if isinstance(a, c.All) and any(_implies(x, b) for x in a.of):
        return True
    if isinstance(b, c.AnyOf):
        return any(_implies(a, x) for x in b.of)
    if isinstance(a, c.Spec) and isinstance(b, c.Spec) and a.fact is b.fact:
        return _spec_implies(a, b)
    if isinstance(a, c.ItemIs | c.BuyerIs | c.ItemKind) and type(a) is type(b):
        return _members(a) <= _members(b)
    if isinstance(a, c.ExporterIn | c.ImporterIn | c.DestinationIn | c.BuyerHeadquartered):
        return type(a) is type(b) and a.states <= b.states and a.groups <= b.groups
    return False


def _members(node: c.ItemIs | c.BuyerIs | c.ItemKind) -> frozenset[str]:
    return node.kinds if isinstance(node, c.ItemKind) else node.ids


def _spec_implies(a: c.Spec, b: c.Spec) -> bool:
    lower = {Op.GE, Op.GT}
    if (a.op in lower) != (b.op in lower):
        return False
    if a.op in lower:
        return a.value > b.value or (a.value == b.value and (a.op is Op.GT or b.op is Op.GE))
    return a.value < b.value or (a.value == b.value and (a.op is Op.LT or b.op is Op.LE))


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

_Literal = tuple[Criterion, bool]
#: Past this many conjunctive branches a criterion is assumed satisfiable (lint stays sound).
MAX_BRANCHES = 512


class _TooComplexError(Exception):
    pass


_ITEM_TYPES = (Chip, Model, Material)


def _kinds_having(attribute: str) -> frozenset[str]:
    return frozenset(t.kind for t in _ITEM_TYPES if hasattr(t, attribute))


_NEGATED = {Op.GE: Op.LT, Op.GT: Op.LE, Op.LT: Op.GE, Op.LE: Op.GT}


def _join(
    parts: Sequence[list[tuple[_Literal, ...]]], *, conjunction: bool
) -> list[tuple[_Literal, ...]]:
    """Branches of the conjunction (or disjunction) of criteria given by their branches."""
    if conjunction:
        out: list[tuple[_Literal, ...]] = [()]
        for part in parts:
            out = [a + b for a in out for b in part]
            if len(out) > MAX_BRANCHES:
                raise _TooComplexError
        return out
    merged = [b for part in parts for b in part]
    if len(merged) > MAX_BRANCHES:
        raise _TooComplexError
    return merged


class _Checker:
    """Decides whether a criterion can be true for some request on some day of a period.

    The criterion is put in disjunctive normal form (``item_class`` replaced by the
    definitions in force on the day); each branch is a conjunction of literals checked
    against the world: concrete sets of states and companies, value intervals for specs,
    and the world's items when the branch names them. Unpublished facts count as possibly
    matching, so "unsatisfiable" is always right.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        self.dates = sorted({e.on for e in events(world)})
        self.states = frozenset(s.id for s in world.states)
        self.companies = frozenset(x.id for x in world.companies)
        self._sets: dict[tuple[Criterion, dt.date], frozenset[str]] = {}

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
            branches = _join([self._dnf(x, True, day, notes) for x in criteria], conjunction=True)
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
        self, node: Criterion, positive: bool, day: dt.date, notes: list[str]
    ) -> list[tuple[_Literal, ...]]:
        """The branches of ``node`` (negated unless ``positive``), ``item_class`` expanded
        into the definitions in force on ``day`` (the first by id, as the engine does)."""
        if isinstance(node, c.Not):
            return self._dnf(node.of, not positive, day, notes)
        if isinstance(node, c.ItemClass):
            defs = [
                k.criterion
                for code in sorted(node.codes)
                for k in [k for k in self.world.classes if k.code == code and k.in_force(day)][:1]
            ]
            if not defs:
                notes.append(f"class {', '.join(sorted(node.codes))} is not in force")
            parts = [self._dnf(d, positive, day, notes) for d in defs]
            return _join(parts, conjunction=not positive)
        if isinstance(node, c.All | c.AnyOf):
            parts = [self._dnf(x, positive, day, notes) for x in node.of]
            return _join(parts, conjunction=isinstance(node, c.All) == positive)
        return [((node, positive),)]

    def _places(
        self, node: c.ExporterIn | c.ImporterIn | c.DestinationIn, day: dt.date
    ) -> frozenset[str]:
        """The states ``node`` contains on ``day``."""
        key = (node, day)
        if key not in self._sets:
            self._sets[key] = frozenset(
                s
                for s in self.states
                if s in node.states
                or any(self.world.group_contains(g, s, day) for g in node.groups)
            )
        return self._sets[key]

    def _buyers(
        self, node: c.BuyerIs | c.BuyerListed | c.BuyerHeadquartered, day: dt.date
    ) -> frozenset[str]:
        """The companies that pass the buyer test ``node`` on ``day`` (as the engine judges)."""
        key = (node, day)
        if key in self._sets:
            return self._sets[key]
        w = self.world
        out: set[str] = set()
        for cid in self.companies:
            chain = (w.company(cid), *w.ancestors(cid))
            if isinstance(node, c.BuyerIs):
                hit = cid in node.ids
            elif isinstance(node, c.BuyerListed):
                who = chain if node.affiliates else chain[:1]
                hit = any(w.listed(lst, x.id, day) for x in who for lst in node.lists)
            else:
                hit = any(
                    hq in node.states or any(w.group_contains(g, hq, day) for g in node.groups)
                    for hq in {chain[0].hq, chain[-1].hq}
                )
            if hit:
                out.add(cid)
        self._sets[key] = frozenset(out)
        return self._sets[key]

    def _branch(
        self, branch: tuple[_Literal, ...], issuer: str, side: Side, day: dt.date
    ) -> str | None:
        """None if the conjunction can be true on ``day``; else why not."""
        item = _ItemSpace()
        buyers = set(self.companies)
        exporters, destinations = set(self.states), set(self.states)
        importers = {issuer} if side is Side.IMPORT else set(self.states) - {issuer}
        uses: set[str] | None = None
        banned_uses: set[str] = set()
        for node, positive in branch:
            if isinstance(node, c.ExporterIn | c.ImporterIn | c.DestinationIn):
                target = {
                    c.ExporterIn: exporters,
                    c.ImporterIn: importers,
                    c.DestinationIn: destinations,
                }[type(node)]
                found = self._places(node, day)
                if positive:
                    target &= found
                else:
                    target -= found
            elif isinstance(node, c.Reexport):
                if positive:
                    exporters.discard(issuer)
                else:
                    exporters &= {issuer}
            elif isinstance(node, c.BuyerIs | c.BuyerListed | c.BuyerHeadquartered):
                found = self._buyers(node, day)
                if positive:
                    buyers &= found
                else:
                    buyers -= found
            elif isinstance(node, c.EndUse):
                if positive:
                    uses = set(node.uses) if uses is None else uses & node.uses
                else:
                    banned_uses |= node.uses
            else:
                item.add(node, positive)
        if not buyers:
            return "no company meets the buyer tests"
        if not exporters or not importers or (exporters == importers and len(exporters) == 1):
            return "no leg (exporter -> importer) meets the place tests"
        if not destinations:
            return "no destination meets the place tests"
        if uses is not None and not uses - banned_uses:
            return "no end use meets the end-use tests"
        return item.reason(self.world)


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
        self.datacenter: set[bool] = {True, False}
        self.lower: dict[SpecName, _Bound] = {}
        self.upper: dict[SpecName, _Bound] = {}
        self.tests: dict[SpecName, list[str]] = {}

    def add(self, node: Criterion, positive: bool) -> None:
        if isinstance(node, c.ItemKind):
            self.kinds = self.kinds & node.kinds if positive else self.kinds - node.kinds
        elif isinstance(node, c.ItemIs):
            if positive:
                self.ids = set(node.ids) if self.ids is None else self.ids & node.ids
            else:
                self.excluded |= node.ids
        elif isinstance(node, c.Datacenter):
            self.kinds &= _kinds_having("datacenter")
            self.datacenter &= {node.value if positive else not node.value}
        elif isinstance(node, c.Spec):
            op = node.op if positive else _NEGATED[node.op]
            self.kinds &= _kinds_having(str(node.fact))
            self.tests.setdefault(node.fact, []).append(f"{node.fact} {op} {c.fmt(node.value)}")
            bound = _Bound(node.value, op in (Op.GE, Op.LE))
            if op in (Op.GE, Op.GT):
                # Published figures are > 0: start from that floor; higher (or equal but
                # exclusive) bounds are stricter.
                old = self.lower.get(node.fact, _POSITIVE)
                if (bound.value, not bound.inclusive) > (old.value, not old.inclusive):
                    self.lower[node.fact] = bound
            else:
                old_upper = self.upper.get(node.fact)
                if old_upper is None or (bound.value, bound.inclusive) < (
                    old_upper.value,
                    old_upper.inclusive,
                ):
                    self.upper[node.fact] = bound
        else:
            raise TypeError(f"not an item criterion: {node!r}")

    def _admits(self, fact: SpecName, value: float) -> bool:
        lo, hi = self.lower.get(fact, _POSITIVE), self.upper.get(fact)
        return (value > lo.value or (lo.inclusive and value == lo.value)) and (
            hi is None or value < hi.value or (hi.inclusive and value == hi.value)
        )

    def reason(self, world: World) -> str | None:
        for fact in sorted(self.upper):
            lo, hi = self.lower.get(fact, _POSITIVE), self.upper[fact]
            if hi.value < lo.value or (
                hi.value == lo.value and not (lo.inclusive and hi.inclusive)
            ):
                return f"{' and '.join(self.tests[fact])} leave no possible value"
        if not self.datacenter:
            return "the item would have to be both a datacenter part and not one"
        if not self.kinds:
            return "no item kind passes the item tests (kind, specs, datacenter)"
        if self.ids is None:
            return None
        if any(self._fits(world.item(i)) for i in sorted(self.ids - self.excluded)):
            return None
        return (
            f"none of the items {{{', '.join(sorted(self.ids))}}} passes the other item tests "
            "(kind, specs, datacenter, class definitions)"
        )

    def _fits(self, item: Chip | Model | Material) -> bool:
        if item.kind not in self.kinds:
            return False
        observed = getattr(item, "datacenter", None)
        if observed is not None and observed not in self.datacenter:
            return False
        for fact in {*self.lower, *self.upper}:
            value = getattr(item, str(fact), None)
            if value is not None and not self._admits(fact, value):
                return False
        return True
