"""Questions over many requests, dates, routes and worlds, answered with the engine.

- ``access_matrix`` (``matrix``): one decision per buyer and item on a date, as a typed table.
- ``timeline`` (``timeline``): the dates where a request's decision changes, with their causes.
- ``compare`` (``compare``): who gains and who loses access between two worlds.
- ``best_route`` (``routes``): the least restrictive route among candidates.
- ``lint`` (``lint``): findings about the rules themselves.
- ``cases`` (``cases``): the unknown facts of a request split into cases with certain rulings.
- ``design_space`` (``design``): the exact regions of chip specs and the ruling of each.
- ``diff`` (``diff``): the classes of requests two worlds rule differently.
- ``what_it_takes`` (``paths``): the fewest changes that bring a decision to a target.

Everything here is pure: same world and arguments, same answer.
"""

from geotech.analysis.cases import Assumption, Case, cases
from geotech.analysis.compare import Change, Comparison, Shift, compare, compare_matrices
from geotech.analysis.design import Corner, DesignSpace, Interval, Region, design_space
from geotech.analysis.diff import DateRange, Difference, Where, WorldDiff, diff
from geotech.analysis.lint import Finding, FindingKind, lint
from geotech.analysis.matrix import AccessMatrix, Cell, Terms, access_matrix
from geotech.analysis.paths import Path, what_it_takes
from geotech.analysis.routes import RouteChoice, RouteOption, best_route
from geotech.analysis.timeline import ChangePoint, Event, EventKind, Timeline, events, timeline

__all__ = [
    "AccessMatrix",
    "Assumption",
    "Case",
    "Cell",
    "Change",
    "ChangePoint",
    "Comparison",
    "Corner",
    "DateRange",
    "DesignSpace",
    "Difference",
    "Event",
    "EventKind",
    "Finding",
    "FindingKind",
    "Interval",
    "Path",
    "Region",
    "RouteChoice",
    "RouteOption",
    "Shift",
    "Terms",
    "Timeline",
    "Where",
    "WorldDiff",
    "access_matrix",
    "best_route",
    "cases",
    "compare",
    "compare_matrices",
    "design_space",
    "diff",
    "events",
    "lint",
    "timeline",
    "what_it_takes",
]
