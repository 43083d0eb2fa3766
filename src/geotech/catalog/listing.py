"""A world's records of one kind as a listing: filtered records, each with its table cells.

``listing(world, kind, on, filters)`` keeps the records of ``kind`` that pass every given
filter, in the world's order, and gives each its row of cells under the kind's header.
Chips carry their classification on ``on`` (the classes column marks an undecided class
with ``?``); group member counts and party-list counts are also taken on ``on``. Cells are
text: ``-`` stands for a figure that is not published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import attrs
from attrs import frozen

from geotech.classification import Classification
from geotech.entities import Chip, Equipment, Status
from geotech.errors import GeotechError, UnknownEntityError
from geotech.policies import AnyPolicy, Side
from geotech.world import World

__all__ = ["KINDS", "Entry", "Filters", "Listing", "filtered_by", "listing"]


@frozen(kw_only=True)
class Filters:
    """Which records to keep; ``None`` keeps every record. ``search`` matches id, name or
    title in any case; the others apply to the kinds ``filtered_by`` names."""

    search: str | None = None
    issuer: str | None = None
    in_force: dt.date | None = None
    status: Status | None = None
    side: Side | None = None
    hq: str | None = None

    def given(self) -> frozenset[str]:
        """The names of the filters set, ``search`` aside (it applies to every kind)."""
        return frozenset(
            a.name
            for a in attrs.fields(Filters)
            if a.name != "search" and getattr(self, a.name) is not None
        )

    def keep(self, record: Any) -> bool:
        """Whether ``record`` passes every filter set."""
        if self.search is not None:
            needle = self.search.lower()
            if needle not in record.id.lower() and needle not in _title(record).lower():
                return False
        checks: dict[str, Callable[[], bool]] = {
            "issuer": lambda: bool(record.issuer == self.issuer),
            "in_force": lambda: bool(record.in_force(self.in_force)),
            "status": lambda: bool(record.status == self.status),
            "side": lambda: bool(record.side == self.side),
            "hq": lambda: bool(record.hq == self.hq),
        }
        return all(checks[name]() for name in self.given())


@frozen
class Entry:
    """One listed record with its cells; a chip also with its classification."""

    record: Any
    cells: tuple[str, ...]
    classification: Classification | None = None


@frozen
class Listing:
    """The kept records of one kind. ``on`` is the day the cells depend on (chips, groups,
    lists), else ``None``; ``record_type`` is the type to convert records to data as."""

    kind: str
    header: tuple[str, ...]
    entries: tuple[Entry, ...]
    on: dt.date | None = None
    record_type: Any = None


def _title(record: Any) -> str:
    return str(getattr(record, "name", None) or getattr(record, "title", ""))


def _period(start: dt.date, end: dt.date | None) -> tuple[str, str]:
    return start.isoformat(), end.isoformat() if end else "-"


def _figure(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _chip(world: World, chip: Chip, on: dt.date) -> Entry:
    classification = Classification.of(world, chip, on)
    cells = (
        chip.id,
        chip.name,
        chip.designer,
        _figure(chip.tpp),
        _figure(chip.performance_density, 2),
        _figure(chip.dram_bandwidth_gbs),
        classification.label,
    )
    return Entry(chip, cells, classification)


def _tool(world: World, tool: Equipment, on: dt.date) -> Entry:
    cells = (
        tool.id,
        tool.name,
        str(tool.equipment_kind),
        tool.producer or "-",
        _figure(tool.wavelength_nm, 1),
        ", ".join(world.classify(tool, on)) or "-",
    )
    return Entry(tool, cells)


def _cells(row: Callable[[Any, dt.date], Sequence[str]]) -> Callable[[World, Any, dt.date], Entry]:
    return lambda world, x, on: Entry(x, tuple(row(x, on)))


@frozen
class _Kind:
    records: Callable[[World], Sequence[Any]]
    header: tuple[str, ...]
    entry: Callable[[World, Any, dt.date], Entry]
    filters: frozenset[str] = frozenset()
    dated: bool = False
    record_type: Any = None


_KINDS: dict[str, _Kind] = {
    "chips": _Kind(
        lambda w: w.chips,
        ("id", "name", "designer", "TPP", "density", "DRAM GB/s", "classes"),
        _chip,
        dated=True,
    ),
    "companies": _Kind(
        lambda w: w.companies,
        ("id", "name", "hq", "parent", "roles"),
        _cells(lambda x, on: (x.id, x.name, x.hq, x.parent or "-", ", ".join(sorted(x.roles)))),
        frozenset({"hq"}),
    ),
    "models": _Kind(
        lambda w: w.models,
        ("id", "name", "developer", "released", "parameters", "training FLOP"),
        _cells(
            lambda x, on: (
                x.id,
                x.name,
                x.developer,
                x.released.isoformat() if x.released else "-",
                "-" if x.parameters is None else f"{x.parameters:.3g}",
                "-" if x.training_flop is None else f"{x.training_flop:.3g}",
            )
        ),
    ),
    "materials": _Kind(
        lambda w: w.materials,
        ("id", "name", "category", "jurisdictions"),
        _cells(lambda x, on: (x.id, x.name, x.category, ", ".join(sorted(x.jurisdictions)) or "-")),
    ),
    "equipment": _Kind(
        lambda w: w.equipment,
        ("id", "name", "kind", "producer", "wavelength nm", "classes"),
        _tool,
        dated=True,
    ),
    "classes": _Kind(
        lambda w: w.classes,
        ("id", "issuer", "code", "effective", "expires", "title"),
        _cells(lambda x, on: (x.id, x.issuer, x.code, *_period(x.effective, x.expires), x.title)),
        frozenset({"issuer", "in_force"}),
    ),
    "policies": _Kind(
        lambda w: w.policies,
        ("id", "issuer", "side", "verdict", "effective", "expires", "status"),
        _cells(
            lambda x, on: (
                x.id,
                x.issuer,
                str(x.side),
                str(x.restriction),
                *_period(x.effective, x.expires),
                str(x.status),
            )
        ),
        frozenset({"issuer", "in_force", "status", "side"}),
        record_type=AnyPolicy,
    ),
    "states": _Kind(
        lambda w: w.states,
        ("id", "name"),
        _cells(lambda x, on: (x.id, x.name)),
    ),
    "groups": _Kind(
        lambda w: w.groups,
        ("id", "issuer", "code", "name", "members"),
        _cells(lambda x, on: (x.id, x.issuer, x.code, x.name, str(len(x.states_on(on))))),
        frozenset({"issuer"}),
        dated=True,
    ),
    "lists": _Kind(
        lambda w: w.party_lists,
        ("id", "issuer", "name", "listed"),
        _cells(
            lambda x, on: (
                x.id,
                x.issuer,
                x.name,
                str(len({y.company for y in x.listings if y.active(on)})),
            )
        ),
        frozenset({"issuer"}),
        dated=True,
    ),
}

#: The kinds of record a world lists, in listing order.
KINDS: tuple[str, ...] = tuple(_KINDS)


def filtered_by(name: str) -> tuple[str, ...]:
    """The kinds the filter ``name`` (a field of ``Filters``) applies to, in listing order."""
    return tuple(kind for kind, spec in _KINDS.items() if name in spec.filters)


def listing(world: World, kind: str, on: dt.date, filters: Filters | None = None) -> Listing:
    """The records of ``kind`` that pass ``filters``, each with its cells on ``on``.

    Raises ``UnknownEntityError`` for an unknown kind and ``GeotechError`` for a filter that
    does not apply to ``kind``.
    """
    if kind not in _KINDS:
        raise UnknownEntityError("kind of record", kind, KINDS)
    spec = _KINDS[kind]
    keep = filters if filters is not None else Filters()
    unusable = sorted(keep.given() - spec.filters)
    if unusable:
        name = unusable[0]
        raise GeotechError(
            f"Filters.{name}: filters {', '.join(filtered_by(name))}, not {kind}; leave it unset"
        )
    entries = tuple(spec.entry(world, r, on) for r in spec.records(world) if keep.keep(r))
    return Listing(
        kind=kind,
        header=spec.header,
        entries=entries,
        on=on if spec.dated else None,
        record_type=spec.record_type,
    )
