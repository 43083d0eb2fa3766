"""States and the groups they belong to, with dated memberships."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs
from attrs import frozen

from geotech.entities.fields import (
    check_period,
    optional_day,
    period_contains,
    slug,
    source_field,
    state_code,
)

__all__ = ["CountryGroup", "Membership", "State"]


@frozen
class State:
    """A sovereign actor, identified by its ISO 3166 alpha-2 code."""

    id: str = attrs.field(validator=state_code)
    name: str
    sources: tuple[str, ...] = source_field


@frozen
class Membership:
    """A state's membership of a group during [start, end); open bounds are ``None``."""

    state: str = attrs.field(validator=state_code)
    start: dt.date | None = attrs.field(default=None, validator=optional_day)
    end: dt.date | None = attrs.field(default=None, validator=optional_day)

    def __attrs_post_init__(self) -> None:
        check_period(self, self.start, self.end)

    def active(self, on: dt.date) -> bool:
        return period_contains(self.start, self.end, on)


def _memberships(values: Iterable[Membership]) -> tuple[Membership, ...]:
    return tuple(sorted(values, key=lambda m: (m.state, m.start or dt.date.min)))


@frozen
class CountryGroup:
    """An issuer-defined set of states (e.g. US EAR Country Group D:5) with dated membership."""

    id: str = attrs.field(validator=slug)
    issuer: str = attrs.field(validator=state_code)
    code: str
    name: str
    members: tuple[Membership, ...] = attrs.field(default=(), converter=_memberships)
    sources: tuple[str, ...] = source_field

    def contains(self, state: str, on: dt.date) -> bool:
        """Whether ``state`` belongs to the group on ``on``."""
        return any(m.state == state and m.active(on) for m in self.members)

    def states_on(self, on: dt.date) -> frozenset[str]:
        return frozenset(m.state for m in self.members if m.active(on))
