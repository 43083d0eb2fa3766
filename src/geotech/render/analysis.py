"""Text and Markdown lines for analysis results (matrix, timeline, comparison,
route choice, lint findings)."""

from __future__ import annotations

from collections.abc import Sequence

from geotech.analysis import AccessMatrix, Comparison, Finding, RouteChoice, Timeline
from geotech.render.decision import sides_label
from geotech.render.tables import LEGEND, label, route_text, table, titled, who


def matrix_lines(m: AccessMatrix, markdown: bool) -> list[str]:
    title = f"Access on {m.on.isoformat()}, route {route_text(m.route)}"
    rows = [[b, *(sides_label(x.decision) for x in m.row(b))] for b in m.buyers]
    grid = table(["buyer", *m.items], rows, markdown)
    if markdown:
        return [f"**{title}**", "", *grid, "", f"_{LEGEND}_"]
    return [title, *grid, LEGEND]


def timeline_lines(t: Timeline, markdown: bool) -> list[str]:
    r = t.request
    title = (
        f"{r.buyer} x {r.item}, route {route_text(r.route)}: decisions from "
        f"{t.start.isoformat()} to {t.end.isoformat()} (exclusive)"
    )
    if markdown:
        rows = [
            [
                t.start.isoformat(),
                "",
                sides_label(t.initial),
                who(t.initial),
                "start of the window",
            ],
            *(
                [
                    x.on.isoformat(),
                    sides_label(x.before),
                    sides_label(x.after),
                    who(x.after),
                    "; ".join(str(e) for e in x.events),
                ]
                for x in t.changes
            ),
        ]
        header = ["date", "from", "to", "determined by", "events"]
        return titled(title, table(header, rows, markdown), markdown)
    lines = [title, f"{t.start.isoformat()}  {sides_label(t.initial)}  [{who(t.initial)}]"]
    for x in t.changes:
        change = f"{sides_label(x.before)} -> {sides_label(x.after)}"
        lines.append(f"{x.on.isoformat()}  {change}  [{who(x.after)}]")
        lines += [f"            - {e}" for e in x.events]
    return lines


def comparison_lines(c: Comparison, markdown: bool) -> list[str]:
    g, lo = len(c.gains), len(c.losses)
    title = (
        f"{len(c.changes)} of {c.compared} requests change: {g} gain, {lo} lose, "
        f"{len(c.changes) - g - lo} change terms only"
    )
    rows = [
        [
            x.buyer,
            x.item,
            str(x.shift),
            label(x.before),
            label(x.after),
            ", ".join(x.responsible),
        ]
        for x in c.changes
    ]
    header = ["buyer", "item", "shift", "before", "after", "responsible"]
    if markdown:
        return [f"**{title}**", *(["", *table(header, rows, markdown)] if rows else [])]
    return [title, *(table(header, rows, markdown) if rows else [])]


def route_lines(choice: RouteChoice, markdown: bool) -> list[str]:
    best = choice.best
    title = (
        f"Best route for {best.decision.buyer.id} x {best.decision.item.id} on "
        f"{best.decision.request.on.isoformat()}: {route_text(best.route)}, "
        f"{best.decision.restriction}"
    )
    rows = [
        [
            str(i),
            route_text(o.route),
            label(o.decision),
            str(len(o.decision.conditions)),
            who(o.decision),
        ]
        for i, o in enumerate(choice.options, 1)
    ]
    header = ["rank", "route", "verdict", "conditions", "determined by"]
    return titled(title, table(header, rows, markdown), markdown)


def finding_lines(findings: Sequence[Finding], markdown: bool) -> list[str]:
    if not findings:
        return ["No findings."]
    bold = "**" if markdown else ""
    return [f"- {bold}{f.kind}{bold} ({', '.join(f.ids)}): {f.message}" for f in findings]
