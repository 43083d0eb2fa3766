"""The January 2026 H200 case, told with numbers from geotech's embedded catalogue.

In January 2026 the US moved license review for H200-class chips exported from the US to China
from presumption of denial to case-by-case (91 FR 1684, in force 2026-01-15), with a 25 %
Section 232 duty on the chips' way through the US; China's customs had been told the H200 was
"not permitted" (2026-01-14) and then China reportedly approved ByteDance, Alibaba and Tencent
(2026-01-28) and DeepSeek (2026-01-30) as importers. This script prints:

1. the rules in force at the key dates, as the timeline of ByteDance's H200 order;
2. who could get what on 2025-12-01 and 2026-02-01 (six Chinese buyers x five chips);
3. the full explanation of ByteDance x H200 on 2026-02-01, tested in the US on the way;
4. the route comparison: through the US, or directly from Taiwan;
5. what changed between the two dates, and which policies did it.

No end use is declared, so decisions that China's reported state-funded data-centre rule could
change are marked "?" (not certain). Run: ``python examples/h200_authorization.py``.
"""

from __future__ import annotations

import datetime as dt

from geotech import AccessRequest, World, analysis, catalog, evaluate, render

BEFORE, AFTER = dt.date(2025, 12, 1), dt.date(2026, 2, 1)
BUYERS = ("bytedance", "alibaba", "tencent", "deepseek", "baidu", "huawei")
CHIPS = ("nvidia-h200", "nvidia-h20", "nvidia-h100-sxm", "nvidia-b200", "huawei-ascend-910c")
VIA_US = ("TW", "US", "CN")
DIRECT = ("TW", "CN")


def section(title: str) -> str:
    return f"\n{title}\n{'=' * len(title)}"


def chips_line(world: World) -> str:
    """TPP and DRAM bandwidth of the chips, the two numbers the January 2026 rule tests."""
    parts = []
    for chip in (world.chip(c) for c in CHIPS):
        tpp = "?" if chip.tpp is None else f"{chip.tpp:,.0f}"
        bandwidth = "?" if chip.dram_bandwidth_gbs is None else f"{chip.dram_bandwidth_gbs:,.0f}"
        parts.append(f"  {chip.id:<20} TPP {tpp:>7}   DRAM {bandwidth:>6} GB/s")
    return "\n".join(parts)


def report() -> str:
    """The whole report as plain text."""
    world = catalog.world()
    flagship = AccessRequest(buyer="bytedance", item="nvidia-h200", on=AFTER, route=VIA_US)
    before = analysis.access_matrix(world, BUYERS, CHIPS, BEFORE)
    after = analysis.access_matrix(world, BUYERS, CHIPS, AFTER)
    direct = AccessRequest(buyer="bytedance", item="nvidia-h200", on=AFTER, route=DIRECT)
    routes = analysis.best_route(world, direct, via=[(), ("US",)])
    lines = [
        "The January 2026 H200 decisions",
        f"catalogue: {len(world.policies)} policies, {len(world.chips)} chips, "
        f"{len(world.companies)} companies",
        "The case-by-case zone is TPP < 21,000 and DRAM bandwidth < 6,500 GB/s:",
        chips_line(world),
        section("1. Rules in force at the key dates (ByteDance x H200, TW -> US -> CN)"),
        render.to_text(
            analysis.timeline(world, flagship, dt.date(2025, 6, 1), dt.date(2026, 3, 1))
        ).rstrip(),
        section("2. Who could get what (default routes: from the designer's country)"),
        render.to_text(before).rstrip(),
        "",
        render.to_text(after).rstrip(),
        section("3. Why: ByteDance x H200 on 2026-02-01, tested in the US on the way"),
        evaluate(world, flagship).explain(),
        section("4. Routes: through the US (testing, 25 % duty) or directly from Taiwan"),
        render.to_text(routes).rstrip(),
        section(f"5. What changed from {BEFORE.isoformat()} to {AFTER.isoformat()}"),
        render.to_text(analysis.compare_matrices(before, after)).rstrip(),
    ]
    return "\n".join(lines)


def main() -> None:
    print(report())


if __name__ == "__main__":
    main()
