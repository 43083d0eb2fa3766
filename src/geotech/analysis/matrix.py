"""Access matrices: one decision per buyer and item on a date, as a typed table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from attrs import frozen

from geotech import frames
from geotech.engine import AccessRequest, Decision, evaluate_many
from geotech.errors import InvalidValueError
from geotech.policies import (
    Condition,
    ReviewPolicy,
    Verdict,
)
from geotech.world import World


@frozen
class Terms:
    """What a decision grants, without its explanation: two decisions with equal terms give
    the same answer (verdict, review, conditions, determining policies, certainty)."""

    verdict: Verdict
    review: ReviewPolicy | None
    conditions: tuple[Condition, ...]
    determining_policies: tuple[str, ...]
    certain: bool

    @classmethod
    def of(cls, decision: Decision) -> Terms:
        return cls(
            verdict=decision.verdict,
            review=decision.review,
            conditions=decision.conditions,
            determining_policies=decision.determining_policies,
            certain=decision.certain,
        )


# ---------------------------------------------------------------------------------------------
# Access matrix


@frozen
class Cell:
    """One buyer x item decision of an access matrix."""

    buyer: str
    item: str
    decision: Decision


@frozen
class AccessMatrix:
    """Decisions for every buyer x item on one date; ``cells`` is row-major (buyer by buyer,
    in the order given, then item by item)."""

    on: dt.date
    buyers: tuple[str, ...]
    items: tuple[str, ...]
    route: tuple[str, ...] | None
    cells: tuple[Cell, ...]

    def decision(self, buyer: str, item: str) -> Decision:
        """The decision for ``buyer`` x ``item`` (``KeyError`` for a pair not in the table)."""
        try:
            i, j = self.buyers.index(buyer), self.items.index(item)
        except ValueError:
            raise KeyError(f"{buyer} x {item} is not in this matrix") from None
        return self.cells[i * len(self.items) + j].decision

    def row(self, buyer: str) -> tuple[Cell, ...]:
        """The cells of one buyer, in item order."""
        i = self.buyers.index(buyer)
        return self.cells[i * len(self.items) : (i + 1) * len(self.items)]

    def rows(self) -> tuple[dict[str, object], ...]:
        """One row per cell, in cell order: date, buyer, item, route, then the decision's
        terms (``geotech.frames.terms``)."""
        return tuple(
            {
                "on": self.on,
                "buyer": c.buyer,
                "item": c.item,
                "route": c.decision.route,
                **frames.decision_terms(c.decision),
            }
            for c in self.cells
        )

    def to_frame(self) -> Any:
        """``rows()`` as a ``pandas.DataFrame`` (extra ``pandas``)."""
        return frames.to_frame(self.rows())


def _distinct(what: str, values: Iterable[str]) -> tuple[str, ...]:
    out = tuple(values)
    twice = sorted({v for v in out if out.count(v) > 1})
    if twice:
        raise InvalidValueError(f"access_matrix.{what}: {twice} listed more than once")
    return out


def access_matrix(
    world: World,
    buyers: Iterable[str],
    items: Iterable[str],
    on: dt.date,
    *,
    route: Sequence[str] | None = None,
    end_use: str | None = None,
) -> AccessMatrix:
    """Evaluate every buyer x item on ``on`` (with ``route`` if given, else each request's
    default route, and the declared ``end_use``). Raises ``UnknownEntityError`` for an
    unknown id."""
    bs, its = _distinct("buyers", buyers), _distinct("items", items)
    path = None if route is None else tuple(route)
    requests = [
        AccessRequest(buyer=b, item=i, on=on, route=path, end_use=end_use) for b in bs for i in its
    ]
    decisions = evaluate_many(world, requests)
    cells = tuple(
        Cell(buyer=r.buyer, item=r.item, decision=d)
        for r, d in zip(requests, decisions, strict=True)
    )
    return AccessMatrix(on=on, buyers=bs, items=its, route=path, cells=cells)
