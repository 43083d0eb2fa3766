"""Designing around the rules: the H20 and H200 stories told by the design space.

1. The box the October 2023 rules left open: at the H20's performance density, every chip
   under TPP 2,400 was free to ship to China; the H20 (TPP 2,368) sits just under that edge.
2. April 2025: the US government informs NVIDIA that the H20 needs a license; the box now
   ends at the H20's memory bandwidth (4,000 GB/s).
3. The January 2026 case-by-case box (91 FR 1684): at the H200's density, chips under
   TPP 21,000 and 6,500 GB/s go case by case; the catalogue's NVIDIA and AMD chips placed in it.
4. What it would take for Huawei, on the Entity List and outside China's H200 import
   approvals, to get the H200 case by case: the smallest sets of changes (``what_it_takes``).
5. The diff that rescinding the January 2026 rule makes, over every date in the catalogue's
   window, item, buyer and end use, shown for the H200: those who lose their case-by-case
   license fall back to denial; under the end uses the US already denies (744.21, 744.23) and
   China's bans only the terms change.

Every region is exact: the specs are split at the thresholds of the rules in force and one
hypothetical chip per region is decided by the engine (``geotech.design_space``).
Run: ``python examples/design_around.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeGuard

import attrs

from geotech import AccessRequest, World, catalog, evaluate, render
from geotech.analysis import DesignSpace, design_space, diff, what_it_takes
from geotech.analysis.paths import Change, OnDate, OtherItem
from geotech.engine import rulings
from geotech.policies import Restriction, ReviewPolicy, Verdict

BUYER = "bytedance"
ROUTE = ("TW", "US", "CN")
# Every request declares its end use: left undeclared, the military end-use rule (15 CFR
# 744.21) and the supercomputer and advanced-node end uses (744.23) would split each answer
# into uncertain cases (``geotech cases`` shows them) instead of telling the datacenter story.
END_USE = "datacenter"
CASE_BY_CASE = Restriction.LICENSE_CASE_BY_CASE
SPECS = ("tpp", "performance_density", "dram_bandwidth_gbs")


def space(world: World, on: dt.date, density: float) -> DesignSpace:
    """The TPP x memory-bandwidth space for ``BUYER`` on ``on`` at a fixed density."""
    return design_space(
        world,
        buyer=BUYER,
        on=on,
        route=ROUTE,
        end_use=END_USE,
        fixed={"performance_density": density, "datacenter": True},
    )


def spec(world: World, chip: str, name: str) -> float:
    """A published spec of a catalogue chip (``tpp``, ``performance_density``...)."""
    value = getattr(world.chip(chip), name)
    if value is None:
        raise ValueError(f"{chip} has no published {name}")
    return float(value)


def figures(world: World, chip: str) -> str:
    return (
        f"{chip}: TPP {spec(world, chip, 'tpp'):,.0f}, "
        f"density {spec(world, chip, 'performance_density'):.2f}, "
        f"DRAM {spec(world, chip, 'dram_bandwidth_gbs'):,.0f} GB/s"
    )


def placed(world: World, found: DesignSpace, on: dt.date) -> list[str]:
    """The NVIDIA and AMD datacenter chips with published TPP and bandwidth in the
    case-by-case box, each with its region's ruling and its own."""
    chips = [
        c
        for c in world.chips
        if c.designer in ("nvidia", "amd")
        and c.datacenter
        and c.tpp is not None
        and c.dram_bandwidth_gbs is not None
        and found.at(tpp=c.tpp, dram_bandwidth_gbs=c.dram_bandwidth_gbs).restriction == CASE_BY_CASE
    ]
    own = rulings(
        world,
        [AccessRequest(buyer=BUYER, item=c.id, on=on, route=ROUTE, end_use=END_USE) for c in chips],
    )
    rows = [
        [c.id, f"{c.tpp:,.0f}", f"{c.dram_bandwidth_gbs:,.0f}", render.label(r)]
        for c, r in zip(chips, own, strict=True)
    ]
    return render.table(["chip", "TPP", "DRAM GB/s", "its own ruling"], rows, markdown=False)


def _only_item(changes: tuple[Change, ...]) -> TypeGuard[tuple[OtherItem]]:
    return len(changes) == 1 and isinstance(changes[0], OtherItem)


def report() -> str:
    """The four sections as plain text."""
    world = catalog.world()
    h20 = {name: spec(world, "nvidia-h20", name) for name in SPECS}
    lines = [
        f"Designing around the rules: {BUYER}, route {' -> '.join(ROUTE)}, end use {END_USE}",
        figures(world, "nvidia-h20"),
        figures(world, "nvidia-h200"),
    ]
    for title, on in (
        ("1. The box the October 2023 rules left open, at the H20's density", dt.date(2024, 1, 1)),
        ("2. After the April 2025 license notice for the H20", dt.date(2025, 6, 1)),
    ):
        found = space(world, on, h20["performance_density"])
        h20_at = found.at(tpp=h20["tpp"], dram_bandwidth_gbs=h20["dram_bandwidth_gbs"])
        lines += [
            "",
            title,
            render.to_text(found).rstrip(),
            f"The H20 sits in the region ruled {render.label(h20_at)}",
        ]
    on = dt.date(2026, 2, 1)
    box = space(world, on, spec(world, "nvidia-h200", "performance_density"))
    (corner,) = box.frontier(CASE_BY_CASE)
    edge = ", ".join(f"{axis} < {value:,.0f}" for axis, value in corner.specs)
    lines += [
        "",
        "3. The January 2026 case-by-case box, at the H200's density",
        f"{len(box.regions)} regions on {on.isoformat()}; case by case up to {edge}",
        "NVIDIA and AMD chips in the box:",
        *placed(world, box, on),
    ]
    asked = AccessRequest(buyer="huawei", item="nvidia-h200", on=on, end_use=END_USE)
    now = evaluate(world, asked)
    paths = what_it_takes(world, asked, (Verdict.LICENSE_REQUIRED, ReviewPolicy.CASE_BY_CASE))
    keep = tuple(p for p in paths if not any(isinstance(c, OtherItem) for c in p.changes))
    instead = sorted({p.changes[0].item for p in paths if _only_item(p.changes)})
    ends = [c.dates.end for p in keep for c in p.changes if isinstance(c, OnDate)]
    known = [end for end in ends if end is not None]
    before = (
        [f"Every path keeping the H200 asks before {max(known).isoformat()}"]
        if keep and len(known) == len(keep)
        else []
    )
    lines += [
        "",
        "4. What it would take for Huawei to get the H200 case by case",
        f"huawei x nvidia-h200 on {on.isoformat()}, end use {END_USE}: {render.label(now)} "
        f"({', '.join(now.determining_policies)})",
        f"{len(paths)} minimal sets of at most 2 changes; {len(paths) - len(keep)} name "
        "another chip",
        "Keeping the H200:",
        render.to_text(keep).rstrip(),
        *before,
        f"Another chip alone ({len(instead)}): {', '.join(instead)}",
    ]
    reform = catalog.reforms()["rescind-h200-rule"]
    changes = diff(world, reform.apply(world))
    h200_only = attrs.evolve(
        changes, cells=tuple(c for c in changes.cells if c.where.item == "nvidia-h200")
    )
    lines += [
        "",
        f"5. {reform.name}",
        f"{len(changes.cells):,} classes of requests change over "
        f"{len({c.where.item for c in changes.cells})} items; for the H200:",
        render.to_text(h200_only).rstrip(),
    ]
    return "\n".join(lines)


def main() -> None:
    print(report())


if __name__ == "__main__":
    main()
