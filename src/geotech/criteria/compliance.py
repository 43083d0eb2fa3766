"""Dated criteria: tests of the request's date against a day the rule itself names.

A policy is in force over its period; some rules are in force before they bind, because their
text sets a compliance date after the effective date (the AI Diffusion framework of Jan 2025:
effective 13 Jan 2025, compliance not required until 15 May 2025). ``ComplianceFrom`` states
that day in the policy's criterion, so a request dated between the two is ruled as the rule
says: the policy is in scope and does not match. Its ``days()`` name the day, so timelines,
batches and diffs split the calendar there.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs
from attrs import frozen

from geotech.criteria.base import Criterion
from geotech.criteria.logic import Fact, Facts, Step, Truth
from geotech.entities import day


@frozen
class ComplianceFrom(Criterion):
    """Compliance with the rule is required on the request's date: true from ``day`` (its
    compliance date) on, false before it. Never unknown: the date is always known."""

    tag: ClassVar[str] = "compliance_from"
    reads: ClassVar[frozenset[Fact]] = frozenset({Fact.ON})
    day: dt.date = attrs.field(validator=day)

    def days(self) -> tuple[dt.date, ...]:
        return (self.day,)

    def describe(self) -> str:
        return f"compliance required from {self.day.isoformat()}"

    def evaluate(self, facts: Facts) -> Step:
        text = f"{self.describe()} (request of {facts.on.isoformat()})"
        return Step(text, Truth.of(facts.on >= self.day))


attrs.resolve_types(ComplianceFrom)
