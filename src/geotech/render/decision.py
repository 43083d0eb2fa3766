"""The concise account of a decision: the verdict of each side of each leg, the conditions, the
determining rules with their citations, and the unknown facts with the values that would change
the answer. ``Decision.explain()`` keeps the full criteria trace (``geotech explain --trace``).

Also the both-sides label of matrix cells and timelines (``sides_label``): when the states
that rule on a request disagree, each state's verdict is shown, most restrictive first, so
that an importing state's guidance is visible beside the exporting state's license.
"""

from __future__ import annotations

from geotech.criteria import Step, Truth
from geotech.engine import Decision, Outcome
from geotech.policies import AnyPolicy, Restriction, Side
from geotech.render.tables import label, route_text, table, verdict_label


def rulers(decision: Decision) -> dict[str, Restriction]:
    """Each state whose policies determined some leg and side, with the most restrictive
    outcome it determined, in the order the route meets them."""
    by_id = {p.id: p for p in decision.policies}
    found: dict[str, Restriction] = {}
    for o in decision.outcomes:
        for pid in o.determining_policies:
            issuer = by_id[pid].issuer
            found[issuer] = max(found.get(issuer, Restriction.ALLOWED), o.restriction)
    return found


def sides_label(decision: Decision) -> str:
    """``label(decision)`` when at most one restriction is in play, else each ruling state's
    verdict, most restrictive first: ``US license (case-by-case) / CN conditional*?``."""
    found = rulers(decision)
    if len(set(found.values())) <= 1:
        return label(decision)
    ordered = sorted(found.items(), key=lambda x: -x[1])
    text = " / ".join(f"{s} {verdict_label(r.verdict, r.review)}" for s, r in ordered)
    return text + ("*" if decision.conditions else "") + ("" if decision.certain else "?")


def _side(o: Outcome, by_id: dict[str, AnyPolicy]) -> str:
    if o.side is Side.IMPORT:
        return f"{o.leg.importer} import"
    issuers = sorted({by_id[r.policy].issuer for r in o.considered})
    return f"{','.join(issuers) or o.leg.exporter} export"


def _undecided(step: Step) -> list[str]:
    """The texts of the unknown leaves of a trace: the checks a fact would settle."""
    if step.truth is not Truth.UNKNOWN:
        return []
    if not step.children:
        return [step.text]
    return [text for child in step.children for text in _undecided(child)]


def unknown_lines(decision: Decision) -> list[str]:
    """One line per unknown policy: the facts it needs, the checks they would settle, and
    the restriction that side would have if the policy applied."""
    by_id = {p.id: p for p in decision.policies}
    traces = {
        (o.leg, o.side, r.policy): r.trace
        for o in decision.outcomes
        for r in o.considered
        if r.truth is Truth.UNKNOWN
    }
    out = []
    for u in decision.unknowns:
        checks = "; ".join(_undecided(traces[u.leg, u.side, u.policy]))
        out.append(
            f"{', '.join(sorted(u.needs))}: {checks} -> {u.policy} ({u.leg}, {u.side}) "
            f"would make it {by_id[u.policy].restriction}"
        )
    return out


def concise_lines(d: Decision, markdown: bool) -> list[str]:
    """The concise account as text or Markdown lines."""
    by_id = {p.id: p for p in d.policies}
    r = d.request
    extras = [f"on {r.on.isoformat()}", f"route {route_text(d.route)}"]
    if r.quantity is not None:
        extras.append(f"quantity {r.quantity:,}")
    if r.end_use is not None:
        extras.append(f"end use {r.end_use}")
    names = f"{d.buyer.name} ({d.buyer.id}) x {d.item.name} ({d.item.id})"
    certainty = "certain" if d.doubt is None else f"NOT certain: {d.doubt}"
    rows = [
        [str(o.leg), _side(o, by_id), str(o.restriction), ", ".join(o.determining_policies) or "-"]
        for o in d.outcomes
    ]
    sides = table(["leg", "side", "verdict", "determined by"], rows, markdown)
    determined = [by_id[p].cite() for p in d.determining_policies] or [
        "no policy restricts this request"
    ]
    sections = [
        ("Conditions", [str(c) for c in d.conditions]),
        ("Determined by", determined),
        ("Unknown facts (fact: check -> effect)", unknown_lines(d)),
    ]
    if markdown:
        verdict = f"**Verdict:** {d.restriction}" + (
            "" if d.doubt is None else f" (not certain: {d.doubt})"
        )
        lines = [f"**{names}** {', '.join(extras)}", "", verdict, "", *sides]
        for title, items in sections:
            if items:
                lines += ["", f"**{title}:**", "", *(f"- {x}" for x in items)]
        return lines
    lines = [f"{names} {', '.join(extras)}", f"Verdict: {d.restriction} [{certainty}]"]
    lines += [f"  {x}" for x in sides]
    for title, items in sections:
        if items:
            lines += [f"{title}:", *(f"  - {x}" for x in items)]
    return lines
