"""Three what-ifs on the January 2026 H200 case, each compared with the catalogue as it is.

1. The US rescinds the January 2026 case-by-case rule (91 FR 1684).
2. China revokes Tencent's authorization to import H200s.
3. The US lowers the case-by-case cap from TPP 21,000 to TPP 16,000.

Then 2 and 3 together (reforms chain). The reforms are records (``geotech.reforms``); the
catalogue names the same three, with its own wording, in ``catalog.reforms()``. Each table
lists the requests whose decision on 2026-02-01 changes: who gains or loses access, from what
to what, and the policies responsible.
Run: ``python examples/what_if.py``.
"""

from __future__ import annotations

import datetime as dt

from geotech import AccessRequest, World, analysis, catalog, render
from geotech.reforms import ChangeThreshold, Deauthorize, Rescind

ON = dt.date(2026, 2, 1)
BUYERS = ("bytedance", "alibaba", "tencent", "deepseek", "baidu", "huawei")
CHIPS = ("nvidia-h200", "nvidia-h100-sxm", "nvidia-h20", "amd-mi325x", "nvidia-b200")
CASE_BY_CASE = "us-bis-2026-01-15-h200-case-by-case"
APPROVALS = "cn-2026-01-h200-import-approvals"

REFORMS = (
    Rescind(CASE_BY_CASE, name="the US rescinds the January 2026 case-by-case rule"),
    Deauthorize(APPROVALS, "tencent", name="China revokes Tencent's authorization"),
    ChangeThreshold(
        CASE_BY_CASE, "tpp", 16_000, name="the US lowers the case-by-case cap to TPP 16,000"
    ),
)


def requests() -> list[AccessRequest]:
    """Every buyer x chip on ``ON`` by the default route (from the designer's country)."""
    return [AccessRequest(buyer=b, item=c, on=ON) for b in BUYERS for c in CHIPS]


def tpp(world: World, chip: str) -> str:
    value = world.chip(chip).tpp
    return "unknown" if value is None else f"{value:,.0f}"


def report() -> str:
    """The comparison tables as plain text."""
    world = catalog.world()
    asked = requests()
    combined = REFORMS[1].then(REFORMS[2])
    lines = [
        f"What if...? Decisions on {ON.isoformat()} for {len(BUYERS)} buyers x {len(CHIPS)} "
        "chips, default routes",
        "TPP of the chips: " + ", ".join(f"{c} {tpp(world, c)}" for c in CHIPS),
    ]
    for i, reform in enumerate((*REFORMS, combined), 1):
        title = f"{i}. {reform.name}" if i <= len(REFORMS) else f"{i}. 2 and 3: {reform.name}"
        result = analysis.compare(world, reform, asked)
        lines += ["", title, "-" * min(len(title), 100), render.to_text(result).rstrip()]
    return "\n".join(lines)


def main() -> None:
    print(report())


if __name__ == "__main__":
    main()
