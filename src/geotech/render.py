"""Text, Markdown and JSON renderings of decisions and analysis results.

``to_text``, ``to_markdown`` and ``to_json`` take a ``Decision``, an ``AccessMatrix``, a
``Timeline``, a ``Comparison``, a ``RouteChoice`` or a sequence of lint ``Finding``s.
``to_data`` gives the plain data behind ``to_json`` (built with ``geotech.io.to_data``).
Output is deterministic: the same value always renders to the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from geotech import io
from geotech.analysis import (
    AccessMatrix,
    Change,
    Comparison,
    Event,
    Finding,
    RouteChoice,
    Terms,
    Timeline,
)
from geotech.engine import Decision
from geotech.policies import Condition, ReviewPolicy, Verdict

__all__ = ["Renderable", "label", "table", "to_data", "to_json", "to_markdown", "to_text"]

Renderable = Decision | AccessMatrix | Timeline | Comparison | RouteChoice | Sequence[Finding]

_REVIEW_WORD = {
    ReviewPolicy.PRESUMPTION_OF_APPROVAL: "approval",
    ReviewPolicy.CASE_BY_CASE: "case-by-case",
    ReviewPolicy.PRESUMPTION_OF_DENIAL: "denial",
}
LEGEND = "* with conditions; ? not certain (depends on unknown facts)"


def label(decision: Decision) -> str:
    """A short verdict for tables: ``license (case-by-case)*``; ``*`` marks conditions and
    ``?`` an uncertain decision."""
    text = decision.verdict.name.lower()
    if decision.verdict is Verdict.LICENSE_REQUIRED:
        review = decision.review
        text = "license" + (f" ({_REVIEW_WORD[review]})" if review is not None else "")
    return text + ("*" if decision.conditions else "") + ("" if decision.certain else "?")


def _route(route: Sequence[str] | None) -> str:
    return " -> ".join(route) if route else "default routes"


# ---------------------------------------------------------------------------------------------
# Data (JSON)


def _review(review: ReviewPolicy | None) -> str | None:
    return None if review is None else review.name.lower()


def _conditions(conditions: Sequence[Condition]) -> list[Any]:
    return [io.to_data(x, Condition) for x in conditions]


def _terms(decision: Decision) -> dict[str, Any]:
    t = Terms.of(decision)
    return {
        "verdict": t.verdict.name.lower(),
        "review": _review(t.review),
        "conditions": _conditions(t.conditions),
        "determining_policies": list(t.determining_policies),
        "certain": t.certain,
    }


def _decision(d: Decision) -> dict[str, Any]:
    return {
        "request": io.to_data(d.request),
        "route": list(d.route),
        **_terms(d),
        "outcomes": [
            {
                "leg": [o.leg.exporter, o.leg.importer],
                "side": str(o.side),
                "verdict": o.verdict.name.lower(),
                "review": _review(o.review),
                "conditions": _conditions(o.conditions),
                "determining_policies": list(o.determining_policies),
                "certain": o.certain,
            }
            for o in d.outcomes
        ],
        "unknowns": [
            {
                "policy": u.policy,
                "leg": [u.leg.exporter, u.leg.importer],
                "side": str(u.side),
                "needs": sorted(u.needs),
            }
            for u in d.unknowns
        ],
    }


def _event(e: Event) -> dict[str, Any]:
    return {"on": e.on, "kind": str(e.kind), "subject": e.subject, "detail": e.detail}


def _change(x: Change) -> dict[str, Any]:
    return {
        "buyer": x.buyer,
        "item": x.item,
        "shift": str(x.shift),
        "before": _terms(x.before),
        "after": _terms(x.after),
        "responsible": list(x.responsible),
    }


def to_data(value: Renderable) -> Any:
    """Plain data (dicts, lists, strings, numbers, dates) for a renderable value."""
    if isinstance(value, Decision):
        return _decision(value)
    if isinstance(value, AccessMatrix):
        return {
            "on": value.on,
            "route": None if value.route is None else list(value.route),
            "buyers": list(value.buyers),
            "items": list(value.items),
            "cells": [
                {"buyer": x.buyer, "item": x.item, **_terms(x.decision)} for x in value.cells
            ],
        }
    if isinstance(value, Timeline):
        return {
            "request": io.to_data(value.request),
            "start": value.start,
            "end": value.end,
            "initial": _terms(value.initial),
            "changes": [
                {
                    "on": x.on,
                    "before": _terms(x.before),
                    "after": _terms(x.after),
                    "events": [_event(e) for e in x.events],
                }
                for x in value.changes
            ],
        }
    if isinstance(value, Comparison):
        return {"compared": value.compared, "changes": [_change(x) for x in value.changes]}
    if isinstance(value, RouteChoice):
        return {
            "best": list(value.best.route),
            "options": [{"route": list(o.route), **_terms(o.decision)} for o in value.options],
        }
    return {"findings": [_finding(f) for f in _findings(value)]}


def _finding(f: Finding) -> dict[str, Any]:
    return {"kind": str(f.kind), "ids": list(f.ids), "message": f.message}


def _findings(value: object) -> Sequence[Finding]:
    if isinstance(value, Sequence) and all(isinstance(f, Finding) for f in value):
        return value
    raise TypeError(f"cannot render {type(value).__name__}; see geotech.render.Renderable")


def to_json(value: Renderable) -> str:
    """JSON text (two-space indent, sorted as built, final newline); byte-stable."""
    return io.dumps_json(to_data(value))


# ---------------------------------------------------------------------------------------------
# Text and Markdown


def table(header: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool) -> list[str]:
    """Rows under a header as aligned text columns, or as a Markdown table (``|`` escaped)."""
    if markdown:
        cells = [[x.replace("|", "\\|") for x in r] for r in (header, *rows)]
        out = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * len(header)]
        return out + ["| " + " | ".join(r) + " |" for r in cells[1:]]
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    return [
        "  ".join(x.ljust(w) for x, w in zip(r, widths, strict=True)).rstrip()
        for r in (header, *rows)
    ]


def _decision_lines(d: Decision, markdown: bool) -> list[str]:
    if not markdown:
        return d.explain().splitlines()
    r = d.request
    lines = [
        f"**{d.buyer.name} ({d.buyer.id}) x {d.item.name} ({d.item.id})** on "
        f"{r.on.isoformat()}, route {_route(d.route)}",
        "",
        f"**Verdict:** {d.restriction}"
        + ("" if d.certain else " (not certain: depends on unknown facts)"),
    ]
    if d.conditions:
        lines += ["", "**Conditions:**", "", *(f"- {x}" for x in d.conditions)]
    who = ", ".join(d.determining_policies) or "no policy restricts this request"
    lines += ["", f"**Determined by:** {who}", ""]
    rows = [
        [
            str(o.leg),
            str(o.side),
            str(o.restriction),
            ", ".join(o.determining_policies) or "-",
        ]
        for o in d.outcomes
    ]
    return lines + table(["leg", "side", "verdict", "determined by"], rows, markdown)


def _matrix_lines(m: AccessMatrix, markdown: bool) -> list[str]:
    title = f"Access on {m.on.isoformat()}, route {_route(m.route)}"
    rows = [[b, *(label(x.decision) for x in m.row(b))] for b in m.buyers]
    grid = table(["buyer", *m.items], rows, markdown)
    if markdown:
        return [f"**{title}**", "", *grid, "", f"_{LEGEND}_"]
    return [title, *grid, LEGEND]


def _timeline_lines(t: Timeline, markdown: bool) -> list[str]:
    r = t.request
    title = (
        f"{r.buyer} x {r.item}, route {_route(r.route)}: decisions from {t.start.isoformat()} "
        f"to {t.end.isoformat()} (exclusive)"
    )
    if markdown:
        rows = [
            [t.start.isoformat(), "", label(t.initial), _who(t.initial), "start of the window"],
            *(
                [
                    x.on.isoformat(),
                    label(x.before),
                    label(x.after),
                    _who(x.after),
                    "; ".join(str(e) for e in x.events),
                ]
                for x in t.changes
            ),
        ]
        header = ["date", "from", "to", "determined by", "events"]
        return [f"**{title}**", "", *table(header, rows, markdown)]
    lines = [title, f"{t.start.isoformat()}  {label(t.initial)}  [{_who(t.initial)}]"]
    for x in t.changes:
        lines.append(
            f"{x.on.isoformat()}  {label(x.before)} -> {label(x.after)}  [{_who(x.after)}]"
        )
        lines += [f"            - {e}" for e in x.events]
    return lines


def _who(d: Decision) -> str:
    return ", ".join(d.determining_policies) or "no restricting policy"


def _comparison_lines(c: Comparison, markdown: bool) -> list[str]:
    g, lo = len(c.gains), len(c.losses)
    title = (
        f"{len(c.changes)} of {c.compared} requests change: {g} gain, {lo} lose, "
        f"{len(c.changes) - g - lo} change terms only"
    )
    rows = [
        [x.buyer, x.item, str(x.shift), label(x.before), label(x.after), ", ".join(x.responsible)]
        for x in c.changes
    ]
    header = ["buyer", "item", "shift", "before", "after", "responsible"]
    if markdown:
        return [f"**{title}**", *(["", *table(header, rows, markdown)] if rows else [])]
    return [title, *(table(header, rows, markdown) if rows else [])]


def _route_lines(choice: RouteChoice, markdown: bool) -> list[str]:
    best = choice.best
    title = (
        f"Best route for {best.decision.buyer.id} x {best.decision.item.id} on "
        f"{best.decision.request.on.isoformat()}: {_route(best.route)}, "
        f"{best.decision.restriction}"
    )
    rows = [
        [
            str(i),
            _route(o.route),
            label(o.decision),
            str(len(o.decision.conditions)),
            _who(o.decision),
        ]
        for i, o in enumerate(choice.options, 1)
    ]
    ranked = table(["rank", "route", "verdict", "conditions", "determined by"], rows, markdown)
    return [f"**{title}**", "", *ranked] if markdown else [title, *ranked]


def _finding_lines(findings: Sequence[Finding], markdown: bool) -> list[str]:
    if not findings:
        return ["No findings."]
    return [
        f"- {'**' if markdown else ''}{f.kind}{'**' if markdown else ''} "
        f"({', '.join(f.ids)}): {f.message}"
        for f in findings
    ]


def _lines(value: Renderable, markdown: bool) -> list[str]:
    if isinstance(value, Decision):
        return _decision_lines(value, markdown)
    if isinstance(value, AccessMatrix):
        return _matrix_lines(value, markdown)
    if isinstance(value, Timeline):
        return _timeline_lines(value, markdown)
    if isinstance(value, Comparison):
        return _comparison_lines(value, markdown)
    if isinstance(value, RouteChoice):
        return _route_lines(value, markdown)
    return _finding_lines(_findings(value), markdown)


def to_text(value: Renderable) -> str:
    """Plain text for a terminal (fixed-width tables), ending with a newline."""
    return "\n".join(_lines(value, markdown=False)) + "\n"


def to_markdown(value: Renderable) -> str:
    """GitHub-flavoured Markdown (tables with ``|`` escaped), ending with a newline."""
    return "\n".join(_lines(value, markdown=True)) + "\n"
