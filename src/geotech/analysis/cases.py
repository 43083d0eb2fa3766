"""Cases over the unknown facts of a request: which values give which certain ruling.

An undecided request depends on facts the request or the world does not give: the declared
end use, an unpublished spec of the item. The rules only ever test these facts against the
end uses they name and the thresholds they compare, so the values split into finitely many
classes: each end use the rules in force name, plus any other; the pieces of a spec's line
between the thresholds in force (``geotech.analysis.design.pieces``). One value per class is
decided by the engine; classes with equal rulings are merged. Nothing is tried value by value.
"""

from __future__ import annotations

import datetime as dt
import itertools

import attrs
from attrs import frozen

from geotech.analysis.design import (
    AXES,
    Interval,
    axis_bounds,
    hypothetical_chip,
    joined,
    pieces,
)
from geotech.criteria import (
    END_USES,
    Criterion,
    EndUseKind,
    SetCriterion,
    unnamed_end_use,
    walk,
)
from geotech.engine import AccessRequest, Ruling, evaluate, rulings
from geotech.entities import Chip
from geotech.world import World

__all__ = [
    "END_USE",
    "Assumption",
    "Case",
    "cases",
    "named_end_uses",
    "uses_named",
]

#: The fact an undeclared end use is reported as.
END_USE = "request.end_use"


@frozen
class Assumption:
    """What a case assumes of one unknown fact: one of ``values`` (with ``others``: any value
    but ``values``), or a number in one of ``intervals``."""

    fact: str
    values: frozenset[str] = frozenset()
    others: bool = False
    intervals: tuple[Interval, ...] = ()

    def __str__(self) -> str:
        if self.intervals:
            return f"{self.fact} in {' or '.join(map(str, self.intervals))}"
        named = ", ".join(sorted(self.values))
        if self.others:
            return f"{self.fact} not in {{{named}}}" if named else f"{self.fact} any"
        return f"{self.fact} in {{{named}}}"

    def holds(self, value: str) -> bool:
        """Whether a named value falls in this assumption."""
        return (value in self.values) != self.others

    def join(self, other: Assumption) -> Assumption:
        """The assumption holding where either does."""
        if self.others or other.others:
            if self.others and other.others:
                excluded = self.values & other.values
            else:
                out, inside = (self, other) if self.others else (other, self)
                excluded = out.values - inside.values
            return Assumption(self.fact, excluded, True)
        return Assumption(
            self.fact,
            self.values | other.values,
            False,
            joined((*self.intervals, *other.intervals)),
        )


@frozen
class Case:
    """Assumptions on the unknown facts, and the certain ruling they give."""

    assumptions: tuple[Assumption, ...]
    ruling: Ruling


def named_end_uses(world: World, on: dt.date) -> frozenset[str]:
    """The end uses the policies in force on ``on`` name."""
    return frozenset().union(*(uses_named(p.criterion) for p in world.policies if p.in_force(on)))


def uses_named(criterion: Criterion) -> frozenset[str]:
    """The end uses a criterion's end-use tests name."""
    return frozenset(
        str(m)
        for leaf in walk(criterion)
        if isinstance(leaf, SetCriterion) and leaf.family == END_USES
        for m in leaf.members
    )


def cases(world: World, request: AccessRequest) -> tuple[Case, ...]:
    """The unknown facts of ``request``'s decision split into cases with certain rulings,
    in the order of their values; ``(Case((), ruling),)`` when the decision is certain.

    Unknowns handled: the declared end use, and the specs of a chip named in ``AXES``
    (``datacenter`` as yes or no). A case whose ruling is still uncertain depends on other
    facts (a class definition reading an unlisted spec, for instance).
    """
    decision = evaluate(world, request)
    needs = {n for u in decision.unknowns for n in u.needs}
    item = decision.item
    dims: list[tuple[str, list[Assumption]]] = []
    if END_USE in needs:
        named = sorted(named_end_uses(world, request.on))
        options = [Assumption(END_USE, frozenset({u})) for u in named]
        if unnamed_end_use(named) is not None:
            options.append(Assumption(END_USE, frozenset(named), others=True))
        dims.append((END_USE, options))
    specs: list[str] = []
    if isinstance(item, Chip):
        for spec in AXES:
            if f"{item.id}.{spec}" not in needs:
                continue
            specs.append(spec)
            fact = f"{item.id}.{spec}"
            sides: tuple[Interval, ...]
            if spec == "datacenter":
                sides = (Interval(0, 0, True, True), Interval(1, 1, True, True))
            else:
                sides = pieces(axis_bounds(world, request.on, spec, {}), low=0.0)
            dims.append((fact, [Assumption(fact, intervals=(s,)) for s in sides]))
    if not dims:
        return (Case((), decision.ruling),)
    combos = list(itertools.product(*(options for _, options in dims)))
    other = unnamed_end_use(named_end_uses(world, request.on))
    found = [_decide(world, request, item, combo, specs, other) for combo in combos]
    return _merged(list(zip(combos, found, strict=True)))


def _decide(
    world: World,
    request: AccessRequest,
    item: object,
    combo: tuple[Assumption, ...],
    specs: list[str],
    other: EndUseKind | None,
) -> Ruling:
    asked = request
    trial = world
    chosen: dict[str, float | bool] = {}
    for a in combo:
        if a.fact == END_USE:
            asked = attrs.evolve(asked, end_use=other if a.others else next(iter(a.values)))
        else:
            chosen[a.fact.rsplit(".", 1)[1]] = a.intervals[0].interior
    if chosen and isinstance(item, Chip):
        if "performance_density" in chosen and item.tpp is None:
            chosen.pop("performance_density")
        changed = hypothetical_chip(chosen, id=item.id, designer=item.designer, base=item)
        trial = attrs.evolve(world, chips=[changed if c.id == item.id else c for c in world.chips])
    return rulings(trial, [asked])[0]


def _merged(found: list[tuple[tuple[Assumption, ...], Ruling]]) -> tuple[Case, ...]:
    """Cases with equal rulings that differ in one assumption, joined, until none do."""
    cells = [list(c) for c, _ in found]
    outs = [r for _, r in found]
    changed = True
    while changed:
        changed = False
        for i, j in itertools.combinations(range(len(cells)), 2):
            if outs[i] != outs[j]:
                continue
            diff = [k for k, (a, b) in enumerate(zip(cells[i], cells[j], strict=True)) if a != b]
            if len(diff) != 1:
                continue
            k = diff[0]
            cells[i][k] = cells[i][k].join(cells[j][k])
            del cells[j], outs[j]
            changed = True
            break
    return tuple(Case(tuple(c), r) for c, r in zip(cells, outs, strict=True))
