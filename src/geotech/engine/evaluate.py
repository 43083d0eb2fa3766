"""The engine's front door: decide access requests against a world, one (``evaluate``) or
many (``evaluate_many``, ``rulings``) at a time, with the same answers either way.

Semantics (docs/concepts.md states them in full):

1. The route is split into legs (A -> B). On each leg, the export side holds the export
   policies in force whose issuer's controls reach the item (the issuer is the leg's exporter,
   or one of the item's jurisdictions) unless the leg enters the issuer's own territory; the
   import side holds the import policies in force issued by the leg's importer.
2. Each policy's criterion evaluates to true / false / unknown with a trace.
3. A matching policy that another matching policy supersedes is set aside.
4. Per leg and side the outcome is the most restrictive remaining effect (``Verdict`` order,
   then review policy); no matching policy gives ALLOWED. Conditions are the union over the
   determining policies (those whose effect equals the outcome).
5. The decision's verdict is the most restrictive outcome; its conditions are the union of all
   outcomes' conditions.
6. Policies whose match is unknown do not move the verdict; they are reported with the facts
   they need, and ``certain`` is False when some completion of those facts would change it.

7. A world that declares its window (``World.window``) answers a request dated outside it
   with the ruling its records give, marked not certain (``certain`` False), and the
   decision names the window (``Decision.outside``). Not an error: timelines and sweeps may
   cross the window's ends and still read the rules the world holds, but no answer outside
   the window is presented as certain, since rules the world does not hold may apply there.

Every path decides on the world's compiled index (``geotech.engine.batch``), built on first
use and kept with the world; a decision's explanation (outcomes, traces, unknowns) is built
the first time it is read and equals the one judged eagerly leg by leg
(``geotech.engine.legs``). The cost of a request is polynomial in the policies in scope and
the unknown facts (``geotech.engine.semantics``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from geotech.engine.batch import Evaluator
from geotech.engine.decision import AccessRequest, Decision, Ruling
from geotech.world import Coverage, World


def evaluate(world: World, request: AccessRequest) -> Decision:
    """Decide ``request`` in ``world``. Pure: same inputs, same decision.

    Raises ``UnknownEntityError`` for an unknown buyer, item or state, and
    ``InvalidRequestError`` for a route that does not fit the request; domain outcomes
    (including unknown facts) never raise. Each call keeps its own answers: calls share only
    the world's compiled index, so concurrent calls are safe.
    """
    return evaluate_many(world, (request,))[0]


def evaluate_many(world: World, requests: Iterable[AccessRequest]) -> list[Decision]:
    """``[evaluate(world, r) for r in requests]``, in order, sharing work between requests;
    each decision's explanation is built the first time it is read. The first request that
    ``evaluate`` would reject raises the same error."""
    decisions = Evaluator(world).decisions(requests)
    if world.window is None:
        return decisions
    return [_within(world.window, d) for d in decisions]


def rulings(world: World, requests: Iterable[AccessRequest]) -> list[Ruling]:
    """``[evaluate(world, r).ruling for r in requests]``, in order, computed fast."""
    asked = list(requests)
    found = Evaluator(world).rulings(asked)
    for i in outside_window(world, asked):
        found[i] = doubted(found[i])
    return found


def outside_window(world: World, requests: Sequence[AccessRequest]) -> tuple[int, ...]:
    """The positions of the requests dated outside the world's window (none when the world
    declares no window): their rulings are not certain."""
    window = world.window
    if window is None:
        return ()
    return tuple(i for i, r in enumerate(requests) if not window.contains(r.on))


def doubted(ruling: Ruling) -> Ruling:
    """``ruling``, not certain (a day outside the world's window)."""
    return attrs.evolve(ruling, certain=False)


def _within(window: Coverage, decision: Decision) -> Decision:
    """``decision``, marked not certain and naming ``window`` when its day lies outside."""
    if window.contains(decision.request.on):
        return decision
    return attrs.evolve(decision, ruling=doubted(decision.ruling), outside=window)
