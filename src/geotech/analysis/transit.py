"""Transit states in classes that given policies cannot tell apart as a leg's exporter or
importer (``transit_classes``), and what tells them apart (``route_tests``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Sequence

from attrs import frozen

from geotech.criteria import Entity, Fact, Literal, Truth, walk
from geotech.policies import AnyPolicy
from geotech.world import World

__all__ = ["LEG_FACTS", "RouteTests", "grouped_states", "route_tests", "transit_classes"]

#: the facts a route test reads: a leg's exporter or importer
LEG_FACTS = frozenset({Fact.EXPORTER, Fact.IMPORTER})


@frozen
class RouteTests:
    """What tells transit states apart (``route_tests``): equal values group states alike."""

    #: the states each a class of its own (issuers and states a route test names)
    alone: frozenset[str]
    #: the route tests judged per state
    judged: tuple[Literal, ...]
    #: the groups whose membership tells states apart
    groups: frozenset[str]


def transit_classes(
    worlds: Sequence[World],
    on: dt.date,
    policies: Iterable[AnyPolicy],
    memo: dict[tuple[Literal, str], tuple[Truth, ...]] | None = None,
) -> tuple[tuple[str, ...], ...]:
    """The states of ``worlds[0]`` grouped so that none of ``policies`` tells two of one
    group apart as a leg's exporter or importer on ``on``: a state one of them issues is
    alone; the others are told apart by the truth, in each world, of every route test that
    reads the exporter or the importer alone (judged for its policy's issuer), and by their
    membership in the groups any other route test names (a state it names is alone). Each
    group sorted; groups ordered by their first state. ``memo`` keeps the truths of a route
    test per state (valid while no group membership changes)."""
    return grouped_states(worlds, on, route_tests(policies), memo)


def route_tests(policies: Iterable[AnyPolicy]) -> RouteTests:
    """What tells transit states apart for ``policies`` (``transit_classes``): equal for two
    sets of policies, they group the states alike."""
    alone: set[str] = set()
    groups: set[str] = set()
    judged: dict[Literal, None] = {}
    for p in policies:
        alone.add(p.issuer)
        for leaf in walk(p.criterion):
            if not leaf.reads & LEG_FACTS:
                continue
            found = leaf.literal(p.issuer)
            if found is not None and found.context in LEG_FACTS:
                judged.setdefault(found)
                continue
            for ref in leaf.references():
                if ref.entity is Entity.STATE:
                    alone |= ref.ids
                elif ref.entity is Entity.GROUP:
                    groups |= ref.ids
    return RouteTests(frozenset(alone), tuple(judged), frozenset(groups))


def grouped_states(
    worlds: Sequence[World],
    on: dt.date,
    tests: RouteTests,
    memo: dict[tuple[Literal, str], tuple[Truth, ...]] | None = None,
) -> tuple[tuple[str, ...], ...]:
    """The states of ``worlds[0]`` grouped by ``tests`` (``transit_classes``)."""
    memo = {} if memo is None else memo
    members = [
        {g: found.states_on(on) for found in w.groups if (g := found.id) in tests.groups}
        for w in worlds
    ]
    classes: dict[Hashable, list[str]] = {}
    for s in sorted(x.id for x in worlds[0].states):
        if s in tests.alone:
            classes[s] = [s]
            continue
        held = tuple(frozenset(g for g, states_on in m.items() if s in states_on) for m in members)
        truths = []
        for lit in tests.judged:
            held_by = memo.get((lit, s))
            if held_by is None:
                held_by = memo[lit, s] = tuple(lit.judge(s, on, w) for w in worlds)
            truths.append(held_by)
        classes.setdefault((held, tuple(truths)), []).append(s)
    return tuple(tuple(members) for members in classes.values())
