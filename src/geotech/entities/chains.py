"""Supply-chain records: who supplies what share of an input at which stage, and which items
need which inputs."""

from __future__ import annotations

import datetime as dt
import enum

import attrs
from attrs import frozen

from geotech.entities.fields import (
    boolean,
    day,
    fraction,
    member,
    number,
    source_field,
    state_code,
)

__all__ = ["Dependency", "Stage", "SupplyShare"]


class Stage(enum.StrEnum):
    """A stage of a material's supply chain."""

    MINING = "mining"
    REFINING = "refining"
    MAGNETS = "magnets"
    MANUFACTURING = "manufacturing"


def _stage(value: Stage | str) -> Stage:
    return member(Stage, value, "SupplyShare.stage")


@frozen
class SupplyShare:
    """A state's share of world supply of a material at one stage, as measured on ``as_of``."""

    material: str
    stage: Stage = attrs.field(converter=_stage)
    state: str = attrs.field(validator=state_code)
    share: float = attrs.field(converter=number, validator=fraction)
    as_of: dt.date = attrs.field(validator=day)
    estimated: bool = attrs.field(default=False, validator=boolean)
    sources: tuple[str, ...] = source_field


@frozen
class Dependency:
    """An item's production needs a material; ``assumption`` when not sourced for this item."""

    item: str
    material: str
    assumption: bool = attrs.field(default=False, validator=boolean)
    sources: tuple[str, ...] = source_field
