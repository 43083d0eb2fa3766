"""The engine: decide access requests, one at a time (``evaluate``) or many at once
(``evaluate_many``, ``rulings``), on the world's compiled index, with the same answers.

Modules, lowest first: ``semantics`` (supersession, ranges, certainty), ``decision`` (the
values the engine answers with), ``legs`` (routes, and one leg and side judged with traces),
``matching`` and ``batch`` (the compiled index and the evaluator), ``evaluate`` (the front
door: ``evaluate``, ``evaluate_many``, ``rulings``).
"""

from geotech.engine.batch import Evaluator
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
from geotech.engine.evaluate import doubted, evaluate, evaluate_many, outside_window, rulings
from geotech.engine.legs import origin, resolve_route

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
    "doubted",
    "evaluate",
    "evaluate_many",
    "origin",
    "outside_window",
    "resolve_route",
    "rulings",
]
