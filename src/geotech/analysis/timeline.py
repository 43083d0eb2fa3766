"""Timelines: the dates where a request's decision changes, each with the dated events of
the world (policies, classes, listings, group memberships) that caused it. Computed from the
world's boundaries: the decision is constant between two consecutive event dates."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs
from attrs import frozen

from geotech import criteria as c
from geotech import frames
from geotech.analysis.matrix import Terms
from geotech.engine import AccessRequest, Decision, evaluate_many
from geotech.errors import InvalidValueError
from geotech.world import World


class EventKind(enum.StrEnum):
    """A dated change in the world."""

    POLICY_EFFECTIVE = "policy_effective"
    POLICY_EXPIRES = "policy_expires"
    CLASS_EFFECTIVE = "class_effective"
    CLASS_EXPIRES = "class_expires"
    LISTING_START = "listing_start"
    LISTING_END = "listing_end"
    MEMBERSHIP_START = "membership_start"
    MEMBERSHIP_END = "membership_end"
    CRITERION_DAY = "criterion_day"


_EVENT_TEXT = {
    EventKind.POLICY_EFFECTIVE: "policy {subject} takes effect",
    EventKind.POLICY_EXPIRES: "policy {subject} expires",
    EventKind.CLASS_EFFECTIVE: "class definition {subject} takes effect",
    EventKind.CLASS_EXPIRES: "class definition {subject} expires",
    EventKind.LISTING_START: "{detail} listed on {subject}",
    EventKind.LISTING_END: "{detail} removed from {subject}",
    EventKind.MEMBERSHIP_START: "{detail} joins group {subject}",
    EventKind.MEMBERSHIP_END: "{detail} leaves group {subject}",
    EventKind.CRITERION_DAY: "{subject}: {detail}",
}


@frozen(order=True)
class Event:
    """Something that changes on ``on``: ``subject`` is a policy, class, party list or group
    id; ``detail`` the listed company, the member state, or the dated criterion that turns."""

    on: dt.date
    kind: EventKind
    subject: str
    detail: str = ""

    def __str__(self) -> str:
        return _EVENT_TEXT[self.kind].format(subject=self.subject, detail=self.detail)


def events(world: World) -> tuple[Event, ...]:
    """Every dated change of the world, sorted by date (then kind and subject). Evaluation
    depends on the date only through these: between two event dates decisions are constant."""
    out: list[Event] = []
    for p in world.policies:
        out.append(Event(p.effective, EventKind.POLICY_EFFECTIVE, p.id))
        if p.expires is not None:
            out.append(Event(p.expires, EventKind.POLICY_EXPIRES, p.id))
    for k in world.classes:
        out.append(Event(k.effective, EventKind.CLASS_EFFECTIVE, k.id))
        if k.expires is not None:
            out.append(Event(k.expires, EventKind.CLASS_EXPIRES, k.id))
    for rule in (*world.policies, *world.classes):
        for node in c.walk(rule.criterion):
            for day in node.days():
                out.append(Event(day, EventKind.CRITERION_DAY, rule.id, node.describe()))
    for pl in world.party_lists:
        for x in pl.listings:
            out.append(Event(x.start, EventKind.LISTING_START, pl.id, x.company))
            if x.end is not None:
                out.append(Event(x.end, EventKind.LISTING_END, pl.id, x.company))
    for g in world.groups:
        for m in g.members:
            if m.start is not None:
                out.append(Event(m.start, EventKind.MEMBERSHIP_START, g.id, m.state))
            if m.end is not None:
                out.append(Event(m.end, EventKind.MEMBERSHIP_END, g.id, m.state))
    return tuple(sorted(out))


@frozen
class ChangePoint:
    """On ``on`` the decision changes from ``before`` (the previous day's) to ``after``;
    ``events`` are the world's changes that day that bear on the request."""

    on: dt.date
    before: Decision
    after: Decision
    events: tuple[Event, ...]


@frozen
class Timeline:
    """A request's decisions over [start, end): ``initial`` holds from ``start``, and each
    change point starts a new period."""

    request: AccessRequest
    start: dt.date
    end: dt.date
    initial: Decision
    changes: tuple[ChangePoint, ...]

    def at(self, day: dt.date) -> Decision:
        """The decision in force on ``day`` (as evaluated on the first day of its period)."""
        if not self.start <= day < self.end:
            raise InvalidValueError(
                f"Timeline.at: {day.isoformat()} is outside [{self.start.isoformat()}, "
                f"{self.end.isoformat()})"
            )
        current = self.initial
        for change in self.changes:
            if change.on > day:
                break
            current = change.after
        return current

    def rows(self) -> tuple[dict[str, object], ...]:
        """One row per period [start, end) of constant terms: buyer, item, the period, the
        decision's terms (``geotech.frames.terms``) and the events that opened the period
        (none for the first)."""
        starts = (self.start, *(x.on for x in self.changes))
        ends = (*(x.on for x in self.changes), self.end)
        decisions = (self.initial, *(x.after for x in self.changes))
        causes = ((), *(tuple(str(e) for e in x.events) for x in self.changes))
        return tuple(
            {
                "buyer": self.request.buyer,
                "item": self.request.item,
                "start": start,
                "end": end,
                **frames.decision_terms(d),
                "events": why,
            }
            for start, end, d, why in zip(starts, ends, decisions, causes, strict=True)
        )

    def to_frame(self) -> Any:
        """``rows()`` as a ``pandas.DataFrame`` (extra ``pandas``)."""
        return frames.to_frame(self.rows())


def timeline(world: World, request: AccessRequest, start: dt.date, end: dt.date) -> Timeline:
    """The change points of ``request`` over [start, end) (``request.on`` is ignored).

    A change point is a date ``d`` with start < d < end whose decision has other ``Terms``
    than the day before. Only the world's event dates are evaluated, never every day.
    """
    if end <= start:
        raise InvalidValueError(
            f"timeline: end {end.isoformat()} must be after start {start.isoformat()}"
        )
    by_date: dict[dt.date, list[Event]] = {}
    for e in events(world):
        if start < e.on < end:
            by_date.setdefault(e.on, []).append(e)
    dates = sorted(by_date)
    decisions = evaluate_many(world, [attrs.evolve(request, on=d) for d in (start, *dates)])
    changes: list[ChangePoint] = []
    for day, before, after in zip(dates, decisions[:-1], decisions[1:], strict=True):
        if Terms.of(before) != Terms.of(after):
            causes = _causes(world, before, after, by_date[day])
            changes.append(ChangePoint(on=day, before=before, after=after, events=causes))
    return Timeline(
        request=request, start=start, end=end, initial=decisions[0], changes=tuple(changes)
    )


def _causes(
    world: World, before: Decision, after: Decision, candidates: list[Event]
) -> tuple[Event, ...]:
    """The events of one day that touch the request: policies in scope, the classes, lists
    and groups those policies test, the buyer's (or an owner's) listings, and memberships of
    the states on the route or where the buyer and its owners are headquartered."""
    scope = {p.id: p for p in (*before.policies, *after.policies)}
    named: dict[c.Entity, set[str]] = {e: set() for e in c.Entity}
    for p in scope.values():
        for node in c.walk(p.criterion):
            for ref in node.references():
                named[ref.entity] |= ref.ids
    codes, lists, groups = (
        named[c.Entity.CLASS_CODE],
        named[c.Entity.PARTY_LIST],
        named[c.Entity.GROUP],
    )
    owners = {before.buyer.id, *(a.id for a in world.holders(before.buyer.id))}
    places = {
        *before.route,
        before.buyer.hq,
        *(a.hq for a in world.ancestors(before.buyer.id)),
    }
    class_ids = {k.id for k in world.classes if k.code in codes}

    def touches(e: Event) -> bool:
        if e.kind in (EventKind.POLICY_EFFECTIVE, EventKind.POLICY_EXPIRES):
            return e.subject in scope
        if e.kind in (EventKind.CLASS_EFFECTIVE, EventKind.CLASS_EXPIRES):
            return e.subject in class_ids
        if e.kind is EventKind.CRITERION_DAY:
            return e.subject in scope or e.subject in class_ids
        if e.kind in (EventKind.LISTING_START, EventKind.LISTING_END):
            return e.subject in lists and e.detail in owners
        return e.subject in groups and e.detail in places

    return tuple(e for e in candidates if touches(e))
