"""Ownership through chains of stakes: the affiliates rule's 50 % test.

BIS's affiliates rule (90 FR 47201, 29 Sep 2025) extends a listed party's restrictions to
entities owned 50 % or more, directly or indirectly, individually or in aggregate, by listed
parties, as OFAC's 50 percent rule does. Indirect ownership counts through affiliates that are
themselves covered: a covered affiliate's stake counts in full, a stake held by an uncovered
company does not count at all (stakes are not multiplied down a chain). Percentages are summed
exactly (``exact_percent``), so 25 % + 25 % reaches the threshold and 49.99 % does not.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from attrs import frozen

from geotech.entities import Stake, exact_percent

#: The affiliates rule's threshold: 50 % or more.
AFFILIATE_THRESHOLD = Fraction(50)


@frozen
class Holding:
    """The part of a company held by listed parties and their covered affiliates: the
    direct stakes that count, and their exact sum in percent."""

    stakes: tuple[Stake, ...]
    percent: Fraction

    @property
    def reaches_threshold(self) -> bool:
        return self.percent >= AFFILIATE_THRESHOLD


class Affiliation:
    """The affiliates test of one list on one date, memoised over one ownership graph.

    ``owners(id)`` gives a company's stakes (empty for unknown ids) and ``listed(id)``
    whether a company is itself on the list. Cycles of stakes are rejected when a World is
    built; should one be met here, the company on the cycle counts as not covered.
    """

    def __init__(
        self, owners: Callable[[str], tuple[Stake, ...]], listed: Callable[[str], bool]
    ) -> None:
        self.owners = owners
        self.listed = listed
        self.covered_by_id: dict[str, bool] = {}
        self.visiting: set[str] = set()

    def holding(self, company: str) -> Holding:
        """The stakes in ``company`` whose owners are listed or covered, and their sum."""
        counted = tuple(x for x in self.owners(company) if self.covered(x.owner))
        total = sum((exact_percent(x.percent) for x in counted), Fraction(0))
        return Holding(counted, total)

    def covered(self, company: str) -> bool:
        """Whether the list reaches ``company``: it is listed, or it is 50 % or more held by
        listed parties and covered affiliates."""
        known = self.covered_by_id.get(company)
        if known is not None:
            return known
        if company in self.visiting:
            return False
        self.visiting.add(company)
        result = self.listed(company) or self.holding(company).reaches_threshold
        self.visiting.discard(company)
        self.covered_by_id[company] = result
        return result
