"""The one table renderer, and the short cell texts tables share (verdict labels, routes)."""

from __future__ import annotations

from collections.abc import Sequence

from geotech.engine import Decision, Ruling
from geotech.policies import ReviewPolicy, Verdict

#: What the marks of ``label`` mean.
LEGEND = "* with conditions; ? not certain (depends on unknown facts)"

_REVIEW_WORD = {
    ReviewPolicy.PRESUMPTION_OF_APPROVAL: "approval",
    ReviewPolicy.CASE_BY_CASE: "case-by-case",
    ReviewPolicy.PRESUMPTION_OF_DENIAL: "denial",
}


def table(header: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool) -> list[str]:
    """Rows under a header as aligned text columns (trailing blanks stripped), or as a
    GitHub Markdown table (``|`` in cells escaped); one line per row."""
    if markdown:
        cells = [[x.replace("|", "\\|") for x in r] for r in (header, *rows)]
        out = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * len(header)]
        return out + ["| " + " | ".join(r) + " |" for r in cells[1:]]
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    return [
        "  ".join(x.ljust(w) for x, w in zip(r, widths, strict=True)).rstrip()
        for r in (header, *rows)
    ]


def verdict_label(verdict: Verdict, review: ReviewPolicy | None) -> str:
    """``license (case-by-case)``, ``prohibited``...: a verdict in a few words."""
    if verdict is Verdict.LICENSE_REQUIRED:
        return "license" + (f" ({_REVIEW_WORD[review]})" if review is not None else "")
    return verdict.name.lower()


def label(decision: Decision | Ruling) -> str:
    """A short verdict for tables: ``license (case-by-case)*``; ``*`` marks conditions and
    ``?`` an uncertain decision."""
    text = verdict_label(decision.verdict, decision.review)
    return text + ("*" if decision.conditions else "") + ("" if decision.certain else "?")


def route_text(route: Sequence[str] | None) -> str:
    """``TW -> US -> CN``, or ``default routes``."""
    return " -> ".join(route) if route else "default routes"


def who(decision: Decision) -> str:
    """The determining policies, or that none restricts."""
    return ", ".join(decision.determining_policies) or "no restricting policy"


def titled(title: str, body: list[str], markdown: bool) -> list[str]:
    """A title above a body: bold with a blank line in Markdown."""
    return [f"**{title}**", "", *body] if markdown else [title, *body]
