"""Comparisons: who gains and who loses access between two worlds (or a world and a reform of
it), from what to what, and which policies did it."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from attrs import frozen

from geotech import frames
from geotech.analysis.matrix import AccessMatrix, Terms
from geotech.engine import AccessRequest, Decision, evaluate_many
from geotech.errors import InvalidValueError
from geotech.reforms import Reform
from geotech.world import World


class Shift(enum.StrEnum):
    """How a decision moved: less restrictive (gains), more (loses), or as restrictive with
    other terms (conditions, determining policies or certainty)."""

    GAINS = "gains"
    LOSES = "loses"
    TERMS = "terms"


@frozen
class Change:
    """One request whose terms differ; ``responsible`` are the policies determining one
    decision and not the other (or, when the same policies determine both, those)."""

    before: Decision
    after: Decision
    responsible: tuple[str, ...]

    @property
    def shift(self) -> Shift:
        a, b = self.before.restriction, self.after.restriction
        return Shift.GAINS if b < a else Shift.LOSES if b > a else Shift.TERMS

    @property
    def buyer(self) -> str:
        return self.before.buyer.id

    @property
    def item(self) -> str:
        return self.before.item.id


@frozen
class Comparison:
    """The requests whose terms differ between two sets of decisions, in request order."""

    compared: int
    changes: tuple[Change, ...]

    @property
    def gains(self) -> tuple[Change, ...]:
        return tuple(x for x in self.changes if x.shift is Shift.GAINS)

    @property
    def losses(self) -> tuple[Change, ...]:
        return tuple(x for x in self.changes if x.shift is Shift.LOSES)

    def rows(self) -> tuple[dict[str, object], ...]:
        """One row per change: buyer, item, date, route, shift, the terms before and after
        (``geotech.frames.terms``, prefixed ``before_`` and ``after_``) and the responsible
        policies."""
        return tuple(
            {
                "buyer": x.buyer,
                "item": x.item,
                "on": x.before.request.on,
                "route": x.before.route,
                "shift": str(x.shift),
                **frames.decision_terms(x.before, "before_"),
                **frames.decision_terms(x.after, "after_"),
                "responsible": x.responsible,
            }
            for x in self.changes
        )

    def to_frame(self) -> Any:
        """``rows()`` as a ``pandas.DataFrame`` (extra ``pandas``)."""
        return frames.to_frame(self.rows())


def _diff(pairs: Iterable[tuple[Decision, Decision]]) -> Comparison:
    changes: list[Change] = []
    n = 0
    for before, after in pairs:
        n += 1
        if Terms.of(before) == Terms.of(after):
            continue
        a, b = set(before.determining_policies), set(after.determining_policies)
        responsible = tuple(sorted((a ^ b) or (a | b)))
        changes.append(Change(before=before, after=after, responsible=responsible))
    return Comparison(compared=n, changes=tuple(changes))


def compare(
    baseline: World, reformed: World | Reform, requests: Iterable[AccessRequest]
) -> Comparison:
    """Who gains and who loses access from ``baseline`` to ``reformed``: a world, or a reform
    applied to the baseline (``compare(w, r, rs) == compare(w, r.apply(w), rs)``).
    ``compare(w, w, rs)`` is empty, and ``compare(b, a, rs)`` mirrors ``compare(a, b, rs)``."""
    after = reformed if isinstance(reformed, World) else reformed.apply(baseline)
    rs = tuple(requests)
    return _diff(zip(evaluate_many(baseline, rs), evaluate_many(after, rs), strict=True))


def compare_matrices(before: AccessMatrix, after: AccessMatrix) -> Comparison:
    """Cell-by-cell comparison of two matrices over the same buyers and items (for instance
    the same world on two dates)."""
    if (before.buyers, before.items) != (after.buyers, after.items):
        raise InvalidValueError(
            "compare_matrices: the matrices must have the same buyers and items in the same "
            f"order; got {before.buyers} x {before.items} and {after.buyers} x {after.items}"
        )
    return _diff((a.decision, b.decision) for a, b in zip(before.cells, after.cells, strict=True))
