"""The catalogue as Markdown: one table per kind, with sources and flags.

``render(world)`` is deterministic (records in id order, sets sorted) and shows derived chip
figures (TPP, performance density, H100-equivalents) next to the stored specs. Run
``python -m geotech.catalog.markdown > docs/catalogue.md`` to regenerate the checked-in copy.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from geotech import catalog
from geotech.entities import Chip, CountryGroup, Membership
from geotech.render import table
from geotech.world import World

__all__ = ["KINDS", "render"]

#: Shown for a value the catalogue does not know.
UNKNOWN = "—"

_INTRO = """\
# geotech catalogue

Generated from `src/geotech/catalog/data/*.toml` by
`python -m geotech.catalog.markdown > docs/catalogue.md`; do not edit by hand.

Unknown values are shown as "—". Chip throughput is dense (no sparsity), in TOPS or TFLOPS;
TPP, performance density (TPP per mm² of applicable die area) and H100-equivalents (8-bit
throughput over the H100 SXM's 1,979 TOPS) are derived by geotech from the stored specs.
"Estimated" lists the fields whose values are estimates; "reported" marks records known only
from reporting, which `catalog.world(include_reported=False)` leaves out."""


def render(world: World) -> str:
    """The whole catalogue as one Markdown document."""
    sections = [
        _INTRO,
        _section("States", ("Id", "Name", "Sources"), _states(world)),
        _section(
            "Country groups",
            ("Id", "Issuer", "Code", "Name", "Members", "Sources"),
            _groups(world),
        ),
        _section(
            "Companies",
            ("Id", "Name", "HQ", "Parent", "Roles", "Sources"),
            _companies(world),
        ),
        _section("Party lists", ("Id", "Issuer", "Name", "Sources"), _party_lists(world)),
        _section(
            "Listings",
            ("List", "Company", "Start", "End", "Status", "Citation", "Sources"),
            _listings(world),
        ),
        _section("Chips", _CHIP_HEADERS, _chips(world)),
        _section("Models", _MODEL_HEADERS, _models(world)),
        _section(
            "Materials",
            ("Id", "Name", "Category", "Jurisdictions", "Sources"),
            _materials(world),
        ),
        _section(
            "Control classes",
            ("Id", "Issuer", "Code", "Title", "Effective", "Expires", "Citation", "Sources"),
            _classes(world),
        ),
        _section("Policies", _POLICY_HEADERS, _policies(world)),
    ]
    sections += [_generic(world, kind) for kind in KINDS if kind not in _TAILORED]
    return "\n\n".join(sections) + "\n"


#: Every kind of record a World holds, in declaration order.
KINDS = tuple(a.name for a in attrs.fields(World) if a.init)

#: Kinds with a tailored table above; any other kind gets a generic one (one column a field).
_TAILORED = frozenset(
    {
        "states",
        "groups",
        "companies",
        "party_lists",
        "chips",
        "models",
        "materials",
        "classes",
        "policies",
    }
)


def _generic(world: World, kind: str) -> str:
    records: tuple[Any, ...] = getattr(world, kind)
    title = kind.replace("_", " ").capitalize()
    if not records:
        return _section(title, ("Records",), ())
    fields = [f.name for f in attrs.fields(type(records[0]))]
    headers = [name.replace("_", " ").capitalize() for name in fields]
    rows = [[_cell(name, getattr(record, name)) for name in fields] for record in records]
    return _section(title, headers, rows)


def _cell(name: str, value: object) -> str:
    if name == "sources" and isinstance(value, tuple):
        return _links(value)
    if value is None:
        return UNKNOWN
    if isinstance(value, bool):
        return _flag(value)
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, dt.date):
        return _date(value)
    if isinstance(value, tuple | frozenset):
        return _sorted(value)
    return str(value)


# ---------------------------------------------------------------------------------------------
# One function per kind: rows of cells, in the world's (id) order.

Row = Sequence[str]


def _states(world: World) -> list[Row]:
    return [(s.id, s.name, _links(s.sources)) for s in world.states]


def _groups(world: World) -> list[Row]:
    return [(g.id, g.issuer, g.code, g.name, _members(g), _links(g.sources)) for g in world.groups]


def _members(group: CountryGroup) -> str:
    return ", ".join(_member(m) for m in group.members)


def _member(m: Membership) -> str:
    if m.start is None and m.end is None:
        return m.state
    if m.end is None:
        return f"{m.state} (from {_date(m.start)})"
    if m.start is None:
        return f"{m.state} (until {_date(m.end)})"
    return f"{m.state} ({_date(m.start)} to {_date(m.end)})"


def _companies(world: World) -> list[Row]:
    return [
        (c.id, c.name, c.hq, _text(c.parent), _sorted(c.roles), _links(c.sources))
        for c in world.companies
    ]


def _party_lists(world: World) -> list[Row]:
    return [(pl.id, pl.issuer, pl.name, _links(pl.sources)) for pl in world.party_lists]


def _listings(world: World) -> list[Row]:
    return [
        (
            pl.id,
            x.company,
            _date(x.start),
            _date(x.end),
            str(x.status),
            _text(x.citation),
            _links(x.sources),
        )
        for pl in world.party_lists
        for x in pl.listings
    ]


_CHIP_HEADERS = (
    "Id",
    "Name",
    "Designer",
    "Fab",
    "Released",
    "Datacenter",
    "Dense throughput",
    "Die mm²",
    "Memory GB",
    "DRAM GB/s",
    "I/O GB/s",
    "TDP W",
    "TPP",
    "Density",
    "H100e",
    "Estimated",
    "Sources",
)


def _chips(world: World) -> list[Row]:
    return [
        (
            c.id,
            c.name,
            c.designer,
            _text(c.fab),
            _date(c.released),
            _flag(c.datacenter),
            _throughput(c),
            _number(c.die_area_mm2),
            _number(c.memory_gb),
            _number(c.dram_bandwidth_gbs),
            _number(c.interconnect_gbs),
            _number(c.tdp_w),
            _number(c.tpp),
            _number(c.performance_density),
            _number(c.h100_equivalents),
            _sorted(c.estimates),
            _links(c.sources),
        )
        for c in world.chips
    ]


def _throughput(chip: Chip) -> str:
    parts = [f"{t.precision} {_number(t.tops)}" for t in chip.throughput]
    return "; ".join(parts) if parts else UNKNOWN


_MODEL_HEADERS = (
    "Id",
    "Name",
    "Developer",
    "Released",
    "Parameters",
    "Active",
    "Training FLOP",
    "Confidence",
    "Training chip",
    "Chips",
    "Open weights",
    "Estimated",
    "Sources",
)


def _models(world: World) -> list[Row]:
    return [
        (
            m.id,
            m.name,
            m.developer,
            _date(m.released),
            _number(m.parameters),
            _number(m.active_parameters),
            _number(m.training_flop),
            _text(m.training_flop_confidence),
            _text(m.training_chip),
            _number(m.training_chip_count),
            _flag(m.open_weights),
            _sorted(m.estimates),
            _links(m.sources),
        )
        for m in world.models
    ]


def _materials(world: World) -> list[Row]:
    return [
        (m.id, m.name, m.category, _sorted(m.jurisdictions), _links(m.sources))
        for m in world.materials
    ]


def _classes(world: World) -> list[Row]:
    return [
        (
            k.id,
            k.issuer,
            k.code,
            k.title,
            _date(k.effective),
            _date(k.expires),
            _text(k.citation),
            _links(k.sources),
        )
        for k in world.classes
    ]


_POLICY_HEADERS = (
    "Id",
    "Issuer",
    "Side",
    "Title",
    "Effect",
    "Review",
    "Announced",
    "Effective",
    "Expires",
    "Conditions",
    "Supersedes",
    "Status",
    "Citation",
    "Sources",
)


def _policies(world: World) -> list[Row]:
    return [
        (
            p.id,
            p.issuer,
            str(p.side),
            p.title,
            str(p.effect),
            UNKNOWN if p.review is None else p.review.name.lower(),
            _date(p.announced),
            _date(p.effective),
            _date(p.expires),
            "; ".join(str(c) for c in p.conditions) or UNKNOWN,
            _sorted(p.supersedes),
            str(p.status),
            _text(p.citation),
            _links(p.sources),
        )
        for p in world.policies
    ]


# ---------------------------------------------------------------------------------------------
# Cells and tables


def _section(title: str, headers: Row, rows: Iterable[Row]) -> str:
    cells = [[_cell_text(c) for c in row] for row in rows]
    return "\n".join([f"## {title}", "", *table(headers, cells, markdown=True)])


def _cell_text(text: str) -> str:
    """One line (a table row cannot break), ``UNKNOWN`` for nothing."""
    return " ".join(text.split()) or UNKNOWN


def _links(urls: Iterable[str]) -> str:
    return " ".join(f"[{n}]({url})" for n, url in enumerate(urls, start=1))


def _text(value: object) -> str:
    return UNKNOWN if value is None or value == "" else str(value)


def _sorted(values: Iterable[object]) -> str:
    return ", ".join(sorted(str(v) for v in values))


def _date(value: dt.date | None) -> str:
    return UNKNOWN if value is None else value.isoformat()


def _flag(value: bool | None) -> str:
    return UNKNOWN if value is None else ("yes" if value else "no")


def _number(value: float | None) -> str:
    """Thousands separators and at most two decimals; scientific notation from 1e9 up."""
    if value is None:
        return UNKNOWN
    if abs(value) >= 1e9:
        return f"{value:.3g}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def main() -> None:
    """Print the embedded catalogue as Markdown (UTF-8) on standard output."""
    sys.stdout.buffer.write(render(catalog.world()).encode("utf-8"))


if __name__ == "__main__":
    main()
