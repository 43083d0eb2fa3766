"""Questions over many requests, dates, routes and worlds, answered with the engine.

- ``access_matrix`` (``matrix``): one decision per buyer and item on a date, as a typed table.
- ``timeline`` (``timeline``): the dates where a request's decision changes, with their causes.
- ``compare`` (``compare``): who gains and who loses access between two worlds.
- ``best_route`` (``routes``): the least restrictive route among candidates.
- ``lint`` (``lint``): findings about the rules themselves.

Everything here is pure: same world and arguments, same answer.
"""

from geotech.analysis.compare import Change, Comparison, Shift, compare, compare_matrices
from geotech.analysis.lint import Finding, FindingKind, lint
from geotech.analysis.matrix import AccessMatrix, Cell, Terms, access_matrix
from geotech.analysis.routes import RouteChoice, RouteOption, best_route
from geotech.analysis.timeline import ChangePoint, Event, EventKind, Timeline, events, timeline

__all__ = [
    "AccessMatrix",
    "Cell",
    "Change",
    "ChangePoint",
    "Comparison",
    "Event",
    "EventKind",
    "Finding",
    "FindingKind",
    "RouteChoice",
    "RouteOption",
    "Shift",
    "Terms",
    "Timeline",
    "access_matrix",
    "best_route",
    "compare",
    "compare_matrices",
    "events",
    "lint",
    "timeline",
]
