"""Companies, their roles and their owners' stakes."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import attrs
from attrs import frozen

from geotech.entities.fields import (
    Status,
    fail,
    member,
    number,
    slug,
    source_field,
    state_code,
    status,
)
from geotech.errors import InvalidValueError

__all__ = ["Company", "Role", "Stake", "exact_percent"]


class Role(enum.StrEnum):
    """What a company does in the technology supply chain."""

    CHIP_DESIGNER = "chip_designer"
    FOUNDRY = "foundry"
    MEMORY = "memory"
    EQUIPMENT = "equipment"
    CLOUD = "cloud"
    AI_LAB = "ai_lab"
    PLATFORM = "platform"
    DISTRIBUTOR = "distributor"
    MATERIALS = "materials"
    GOVERNMENT = "government"


def _roles(values: Iterable[Role | str]) -> frozenset[Role]:
    return frozenset(member(Role, v, "Company.roles") for v in values)


def _percent(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
        fail(instance, attribute, f"expected a percentage > 0 and <= 100, got {value!r}")


def exact_percent(value: float) -> Fraction:
    """A percentage as the exact decimal it was written as (``33.3`` is 333/10, not the
    nearest binary float), so sums of stakes compare exactly with thresholds."""
    return Fraction(repr(value))


@frozen
class Stake:
    """An owner's share of a company's equity, in percent (0 < percent <= 100); ``status``
    says whether the percentage is published (the company's sources cite it) or only
    reported."""

    owner: str = attrs.field(validator=slug)
    percent: float = attrs.field(converter=number, validator=_percent)
    status: Status = attrs.field(default=Status.OFFICIAL, converter=status)


def _stakes(values: Iterable[Stake]) -> tuple[Stake, ...]:
    return tuple(sorted(values, key=lambda x: x.owner))


def _check_owners(instance: Any, attribute: attrs.Attribute[Any], value: tuple[Stake, ...]) -> None:
    where = f"Company[{instance.id}].owners"
    seen: set[str] = set()
    for stake in value:
        if stake.owner == instance.id:
            raise InvalidValueError(f"{where}[{stake.owner}]: a company cannot own itself")
        if stake.owner in seen:
            raise InvalidValueError(
                f"{where}[{stake.owner}]: the owner appears twice; give one stake per owner"
            )
        seen.add(stake.owner)
    total = sum((exact_percent(x.percent) for x in value), Fraction(0))
    if total > 100:
        raise InvalidValueError(
            f"{where}: the stakes add up to {float(total):g} %, more than 100 %; "
            "correct the percentages"
        )


@frozen
class Company:
    """A company and its owners' stakes. Its ``parent`` is the owner holding a majority
    (more than 50 %); the ultimate parent, the top of that chain, decides "headquartered
    in" rules. Minority stakes count only in aggregate tests (the affiliates rule)."""

    id: str = attrs.field(validator=slug)
    name: str
    hq: str = attrs.field(validator=state_code)
    owners: tuple[Stake, ...] = attrs.field(default=(), converter=_stakes, validator=_check_owners)
    roles: frozenset[Role] = attrs.field(default=frozenset(), converter=_roles)
    sources: tuple[str, ...] = source_field

    @property
    def parent(self) -> str | None:
        """The majority owner (more than 50 %), if any: stakes add up to at most 100 %, so
        there is at most one."""
        return next((x.owner for x in self.owners if x.percent > 50), None)
