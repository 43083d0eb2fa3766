"""Restricted-party lists and their dated listings."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable

import attrs
from attrs import frozen

from geotech.entities.fields import (
    Status,
    check_period,
    day,
    optional_day,
    period_contains,
    slug,
    source_field,
    state_code,
    status,
)

__all__ = ["Listing", "PartyList"]


@frozen
class Listing:
    """A company's presence on a party list during [start, end)."""

    company: str
    start: dt.date = attrs.field(validator=day)
    end: dt.date | None = attrs.field(default=None, validator=optional_day)
    citation: str = ""
    status: Status = attrs.field(default=Status.OFFICIAL, converter=status)
    sources: tuple[str, ...] = source_field

    def __attrs_post_init__(self) -> None:
        check_period(self, self.start, self.end)

    def active(self, on: dt.date) -> bool:
        return period_contains(self.start, self.end, on)


def _company(listing: Listing) -> str:
    return listing.company


def _listings(values: Iterable[Listing]) -> tuple[Listing, ...]:
    return tuple(sorted(values, key=lambda x: (x.company, x.start)))


@frozen
class PartyList:
    """A restricted-party list (US Entity List, DoD 1260H list...) with dated listings."""

    id: str = attrs.field(validator=slug)
    issuer: str = attrs.field(validator=state_code)
    name: str
    listings: tuple[Listing, ...] = attrs.field(default=(), converter=_listings)
    sources: tuple[str, ...] = source_field

    def listed(self, company: str, on: dt.date) -> bool:
        """Whether ``company`` itself is on the list on ``on``."""
        # listings are sorted by company: its own lie together from the first at or after it
        at = bisect_left(self.listings, company, key=_company)
        for x in self.listings[at:]:
            if x.company != company:
                return False
            if x.active(on):
                return True
        return False
