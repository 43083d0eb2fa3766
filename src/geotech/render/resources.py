"""Text and Markdown lines for compute and supply results: accessible compute, compute gaps,
exposures, chokepoints and counter-scenarios."""

from __future__ import annotations

import math
from collections.abc import Sequence

from geotech.compute import AccessibleCompute, ComputeGap
from geotech.render.tables import label, route_text, table, titled
from geotech.supply import Chokepoint, CounterScenario, Exposure


def _flops(value: float) -> str:
    return f"{value:.3g} FLOP/s"


def _days(value: float) -> str:
    return "never (no compute)" if math.isinf(value) else f"{value:,.1f}"


def _share(value: float) -> str:
    return f"{value:.1%}"


def accessible_lines(a: AccessibleCompute, markdown: bool) -> list[str]:
    title = (
        f"Compute {a.buyer} can expect on {a.on.isoformat()} ({a.precision}): "
        f"{_flops(a.flops)} expected, {_flops(a.max_flops)} if every order goes through"
    )
    rows = [
        [
            o.order.chip,
            f"{o.order.quantity:,}",
            route_text(o.decision.route) + (" (default)" if o.order.route is None else ""),
            label(o.decision),
            f"{o.holding.units:,}",
            f"{o.holding.weight:.2f}",
            _flops(o.flops),
        ]
        for o in a.orders
    ]
    header = ["chip", "ordered", "route", "verdict", "units", "weight", "expected"]
    return titled(title, table(header, rows, markdown), markdown)


def gap_lines(g: ComputeGap, markdown: bool) -> list[str]:
    if g.ratio is None:
        ratio = "neither has compute"
    elif math.isinf(g.ratio):
        ratio = f"{g.b.label} has none"
    else:
        ratio = f"{g.ratio:.3g}x"
    title = (
        f"{g.a.label} ({_flops(g.a.flops)}) vs {g.b.label} ({_flops(g.b.flops)}): ratio "
        f"{ratio}, at utilization {g.utilization:.0%}"
    )
    rows = [
        [t.workload.name, f"{t.workload.flop:.3g}", _days(t.a_days), _days(t.b_days)]
        for t in g.times
    ]
    header = ["workload", "FLOP", f"days ({g.a.label})", f"days ({g.b.label})"]
    return titled(title, table(header, rows, markdown), markdown)


def exposure_lines(e: Exposure, markdown: bool) -> list[str]:
    title = f"Supply exposure of {e.producer} (destination {e.destination}) on {e.on.isoformat()}"
    rows = []
    for x in e.inputs:
        neck = x.bottleneck
        rows.append(
            [
                x.material,
                "-" if neck is None else str(neck.stage),
                _share(x.share),
                _share(x.upper),
                "-" if neck is None else "; ".join(str(s) for s in neck.suppliers),
            ]
        )
    header = ["material", "bottleneck", "controlled", "at most", "suppliers"]
    return titled(title, table(header, rows, markdown), markdown)


def chokepoint_lines(points: Sequence[Chokepoint], markdown: bool) -> list[str]:
    if not points:
        return ["No chokepoints."]
    rows = [
        [
            p.material,
            str(p.stage),
            p.state,
            _share(p.share) + ("~" if p.estimated else ""),
            p.as_of.isoformat(),
        ]
        for p in points
    ]
    header = ["material", "stage", "state", "share", "as of"]
    legend = ["", "_~ estimated share_"] if markdown else ["~ estimated share"]
    return titled(f"{len(points)} chokepoints", [*table(header, rows, markdown), *legend], markdown)


def counter_lines(c: CounterScenario, markdown: bool) -> list[str]:
    title = f"Counter-scenario on {c.on.isoformat()}: {len(c.changes)} inputs change"
    rows = [
        [x.producer, x.material, _share(x.before), _share(x.after), ", ".join(x.chips) or "-"]
        for x in c.changes
    ]
    header = ["producer", "material", "before", "after", "chips"]
    return titled(title, table(header, rows, markdown) if rows else [], markdown)
