"""The two levers side by side: US chip controls against China, China's mineral controls against
the US and its chipmaking partners, on 2025-06-01, 2025-12-01 and 2026-11-28 (after both
Chinese suspensions end).

US lever: ``geotech.evaluate`` decides Chinese buyers' requests for H100, H200 and H20 chips on
each date (default route US -> CN). China's lever: ``geotech.supply.exposure`` gives, for each
input, the share of world supply under Chinese controls applying to Nvidia and to producers in
the US, Taiwan and Korea. The catalogue encodes the suspensions as the instruments state them,
so both lapse in November 2026; the counter-scenario starts from a world where the truce holds
(both suspensions extended) and lets the October 2025 package come back on 2026-11-11.
Run: ``python examples/rare_earth_leverage.py``.
"""

from __future__ import annotations

import datetime as dt

from geotech import AccessRequest, Decision, World, catalog, evaluate
from geotech.reforms import Amend
from geotech.supply import CounterScenario, Exposure, counter_scenario, exposure

DATES = (dt.date(2025, 6, 1), dt.date(2025, 12, 1), dt.date(2026, 11, 28))
BUYERS = ("bytedance", "alibaba", "huawei")
CHIPS = ("nvidia-h100-sxm", "nvidia-h200", "nvidia-h20")
PRODUCERS = ("nvidia", "US", "TW", "KR")
#: Inputs China controls, upstream first.
INPUTS = (
    "gallium",
    "germanium",
    "graphite",
    "antimony",
    "superhard-materials",
    "rare-earths-medium-heavy",
    "rare-earths-ho-er-tm-eu-yb",
    "rare-earth-magnets",
)
OCT_2025_SUSPENSION = "cn-mofcom-2025-70-suspension"
US_BAN_SUSPENSION = "cn-mofcom-2025-11-09-us-suspension"
PACKAGE_RETURNS = dt.date(2026, 11, 11)


def chip_verdicts(world: World) -> dict[tuple[str, str, dt.date], Decision]:
    """The US lever: each Chinese buyer x chip x date."""
    return {
        (b, c, on): evaluate(world, AccessRequest(buyer=b, item=c, on=on))
        for b in BUYERS
        for c in CHIPS
        for on in DATES
    }


def mineral_exposure(world: World) -> dict[tuple[str, dt.date], Exposure]:
    """China's lever: each producer's exposure on each date."""
    return {(p, on): exposure(world, p, on, materials=INPUTS) for p in PRODUCERS for on in DATES}


def truce_holds(world: World) -> World:
    """The world where both suspensions are extended with no end date."""
    for suspension in (OCT_2025_SUSPENSION, US_BAN_SUSPENSION):
        world = Amend(suspension, clear={"expires"}).apply(world)
    return world


def package_returns(world: World) -> CounterScenario:
    """From the truce, the October 2025 package comes back into force on 2026-11-11."""
    return counter_scenario(
        truce_holds(world),
        Amend(OCT_2025_SUSPENSION, expires=PACKAGE_RETURNS),
        DATES[-1],
        PRODUCERS,
    )


def report(world: World) -> str:
    """The plain-text comparison that ``main`` prints."""
    lines = ["US lever: Chinese buyers x US chips (route US -> CN)"]
    verdicts = chip_verdicts(world)
    lines.append(f"  {'buyer x chip':<28}" + "".join(f"{d.isoformat():<44}" for d in DATES))
    for b in BUYERS:
        for c in CHIPS:
            cells = "".join(f"{verdicts[b, c, on].restriction!s:<44}" for on in DATES)
            lines.append(f"  {b + ' x ' + c:<28}{cells}")
    lines += ["", "China's lever: share of world supply under Chinese controls (bottleneck stage)"]
    exposures = mineral_exposure(world)
    for on in DATES:
        lines.append(f"  {on.isoformat():<28}" + "".join(f"{p:>8}" for p in PRODUCERS))
        for m in INPUTS:
            cells = "".join(f"{exposures[p, on].share(m):>8.0%}" for p in PRODUCERS)
            lines.append(f"    {m:<26}{cells}")
    scenario = package_returns(world)
    lines += [
        "",
        f"Counter-scenario on {scenario.on.isoformat()}: from the truce, the October 2025 "
        f"package comes back on {PACKAGE_RETURNS.isoformat()}",
    ]
    for change in scenario.changes:
        lines.append(
            f"  {change.producer:<8}{change.material:<28}{change.before:>5.0%} -> "
            f"{change.after:>4.0%}  ({len(change.chips)} catalogue chips need it)"
        )
    newly = scenario.chips_newly_controlled("nvidia")
    lines.append(f"  Nvidia chips with an input newly under control: {', '.join(newly) or 'none'}")
    return "\n".join(line.rstrip() for line in lines)


def main() -> None:
    print(report(catalog.world()))


if __name__ == "__main__":
    main()
