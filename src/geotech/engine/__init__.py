"""The engine: decide access requests, one at a time (``evaluate``) or many at once on a
compiled index (``evaluate_many``, ``rulings``), with the same answers either way.

Modules, lowest first: ``semantics`` (supersession, ranges, certainty), ``decision`` (the
values the engine answers with), ``evaluate`` (one request), ``matching`` and ``batch``
(compiled, many requests).
"""

from geotech.engine.batch import Evaluator, evaluate_many, rulings
from geotech.engine.decision import (
    AccessRequest,
    Decision,
    Explanation,
    Leg,
    Outcome,
    PolicyResult,
    Ruling,
    Unknown,
)
from geotech.engine.evaluate import evaluate, origin, resolve_route

__all__ = [
    "AccessRequest",
    "Decision",
    "Evaluator",
    "Explanation",
    "Leg",
    "Outcome",
    "PolicyResult",
    "Ruling",
    "Unknown",
    "evaluate",
    "evaluate_many",
    "origin",
    "resolve_route",
    "rulings",
]
