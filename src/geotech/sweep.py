"""Scenario ensembles: the rulings of many requests under many reforms, on any executor.

The reforms are ``geotech.reforms`` records (``Amend``, ``RemovePolicy``, ``Chain``...), which
pickle. ``grid`` and ``draws`` build ensembles with a record factory (a record class, or any
function returning a record), over a grid of values or seeded random draws; ``sweep``
evaluates an ensemble in this process or on any ``concurrent.futures.Executor``: a process
pool, ``dask.distributed``'s ``Client.get_executor()``...

With an executor, the world and the requests travel once per worker, not once per task: they
are pickled once and named by their SHA-256; the first tasks carry them, later tasks only the
name and a small chunk of reforms, and a worker that lacks them says so and gets them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
import os
import pickle
import random
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from typing import Any, NamedTuple

import attrs

from geotech.criteria import Facts, Truth
from geotech.engine import AccessRequest, Ruling, doubted, outside_window
from geotech.engine.batch import Evaluator, patch_index
from geotech.engine.legs import resolve_route
from geotech.engine.matching import bits, mask_of
from geotech.errors import GeotechError
from geotech.policies import AnyPolicy, Side
from geotech.reforms import Reform
from geotech.world import World


class SweepError(GeotechError):
    """A reform failed in a worker with an error that cannot be sent back as it is."""


#: Rulings of the requests, in order, under one reform.
Rulings = tuple[Ruling, ...]


def grid(make: Callable[..., Reform], **axes: Sequence[Any]) -> list[Reform]:
    """``make(**values)`` for every combination of the axes' values, the last axis varying
    fastest: ``grid(Amend, policy=["p1"], expires=[d1, d2])``."""
    names = tuple(axes)
    return [
        make(**dict(zip(names, values, strict=True)))
        for values in itertools.product(*axes.values())
    ]


def draws(
    make: Callable[..., Reform],
    n: int,
    *,
    seed: int,
    **axes: Sequence[Any] | Callable[[random.Random], Any],
) -> list[Reform]:
    """``n`` reforms ``make(**values)`` whose values are drawn by ``random.Random(seed)``:
    uniformly from a sequence, or by a function of the generator (``lambda rng:
    rng.uniform(0, 0.5)``). The same seed gives the same ensemble."""
    rng = random.Random(seed)

    def draw(axis: Sequence[Any] | Callable[[random.Random], Any]) -> Any:
        return axis(rng) if callable(axis) else rng.choice(axis)

    return [make(**{name: draw(axis) for name, axis in axes.items()}) for _ in range(n)]


def sweep(
    world: World,
    reforms: Iterable[Reform],
    requests: Iterable[AccessRequest],
    executor: Executor | None = None,
    *,
    workers: int | None = None,
    chunksize: int | None = None,
) -> list[Rulings]:
    """The rulings of ``requests`` in each reformed world, in reform order:
    ``result[i][j] == evaluate(reforms[i].apply(world), requests[j]).ruling``.

    Without an executor the ensemble runs here. With one, tasks of ``chunksize`` reforms
    (default: about 16 tasks per worker) run on it; ``workers`` (default: this machine's CPU
    count) is how many first tasks carry the world. A reform's error is raised here.
    """
    ensemble = list(reforms)
    asked = tuple(requests)
    if executor is None:
        return _evaluate(Baseline(world, asked), ensemble)
    workers = workers or os.cpu_count() or 1
    size = chunksize or max(1, math.ceil(len(ensemble) / (16 * workers)))
    chunks = [ensemble[i : i + size] for i in range(0, len(ensemble), size)]
    payload = pickle.dumps((world, asked), protocol=pickle.HIGHEST_PROTOCOL)
    name = hashlib.sha256(payload).hexdigest()
    results: list[list[Rulings]] = [[] for _ in chunks]
    pending: dict[Future[list[Rulings] | None], int] = {
        executor.submit(_run, name, payload if j < workers else None, chunk): j
        for j, chunk in enumerate(chunks)
    }
    try:
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                j = pending.pop(future)
                got = future.result()
                if got is None:  # that worker has not seen the world yet
                    pending[executor.submit(_run, name, payload, chunks[j])] = j
                else:
                    results[j] = got
    finally:
        for future in pending:
            future.cancel()
    return [rulings for chunk in results for rulings in chunk]


# Worker side: baselines (world, requests and their rulings) by name, the most recent few.
_CONTEXTS: dict[str, Baseline] = {}
_KEEP = 4


def _run(name: str, payload: bytes | None, reforms: Sequence[Reform]) -> list[Rulings] | None:
    """Evaluate a chunk in a worker; ``None`` when the context is missing and not given."""
    context = _CONTEXTS.pop(name, None)
    if context is None:
        if payload is None:
            return None
        context = Baseline(*pickle.loads(payload))
        while len(_CONTEXTS) >= _KEEP:
            del _CONTEXTS[next(iter(_CONTEXTS))]
    _CONTEXTS[name] = context  # most recent last
    try:
        return _evaluate(context, reforms)
    except Exception as error:
        try:
            pickle.loads(pickle.dumps(error))
        except Exception:  # it could not travel back: say what it was
            raise SweepError(f"{type(error).__name__} in a worker: {error}") from None
        raise


def _evaluate(baseline: Baseline, reforms: Sequence[Reform]) -> list[Rulings]:
    # Equal rulings of different reforms become one object: results pickle small.
    shared: dict[Ruling, Ruling] = {}
    out: list[Rulings] = []
    for reform in reforms:
        rulings = baseline.rulings(reform.apply(baseline.world))
        distinct = {id(r): r for r in rulings}  # an Evaluator already shares equal rulings
        canonical = {key: shared.setdefault(r, r) for key, r in distinct.items()}
        out.append(tuple(canonical[id(r)] for r in rulings))
    return out


class Baseline:
    """The rulings of requests in a world, and what each depends on, so that the rulings in a
    reformed world re-decide only the requests a reform can change.

    Guarantee: ``rulings(reformed) == geotech.engine.rulings(reformed, requests)`` (requests
    dated outside the world's window are not certain, as everywhere). A reform that
    changes anything but policies re-decides every request; one that changes policies only
    re-decides the requests that a removed or changed policy matches or may match (on some leg
    and side), and those that an added or changed policy may match: in force on the request's
    date, its issuer in scope on a leg and side, and its criterion not false there. When the
    reform keeps the policies' ids, the reformed world decides on the baseline's compiled
    index patched for the changed policies (``geotech.engine.batch.patch_index``).
    """

    def __init__(self, world: World, requests: tuple[AccessRequest, ...]) -> None:
        self.world = world
        self.requests = requests
        self._others = [getattr(world, name) for name in _OTHERS]
        self._ids = {id(p) for p in world.policies}
        self._known: _Known | None = None
        # what an added policy's criterion may match, by criterion, issuer and side
        self._reach: dict[tuple[Any, str, Side], int] = {}
        # reforms keep the window: the same requests fall outside it in every reformed world
        self._outside = outside_window(world, requests)

    def _baseline(self) -> _Known | None:
        """The requests' rulings and what they depend on, computed on first need; ``None``
        when some request cannot be decided in the world."""
        if self._known is None:
            evaluator = Evaluator(self.world)
            try:
                rulings = evaluator.rulings(self.requests)
                applying = evaluator.applying(self.requests)
                legs = [_legs(self.world, request) for request in self.requests]
            except GeotechError:
                return None
            by_policy = [
                mask_of(j for j, mask in enumerate(applying) if mask >> i & 1)
                for i in range(len(self.world.policies))
            ]
            dates: dict[dt.date, list[int]] = {}
            for j, request in enumerate(self.requests):
                dates.setdefault(request.on, []).append(j)
            on = {day: mask_of(js) for day, js in dates.items()}
            self._known = _Known(rulings, by_policy, legs, on)
        return self._known

    def rulings(self, reformed: World) -> list[Ruling]:
        """The rulings of the requests in ``reformed``, in order."""
        found = self._decided(reformed)
        for i in self._outside:
            found[i] = doubted(found[i])
        return found

    def _decided(self, reformed: World) -> list[Ruling]:
        """The rulings of the requests in ``reformed`` as the compiled index gives them."""
        others = (getattr(reformed, name) for name in _OTHERS)
        if any(a is not b and a != b for a, b in zip(self._others, others, strict=True)):
            return Evaluator(reformed).rulings(self.requests)
        known = self._baseline()
        if known is None:
            return Evaluator(reformed).rulings(self.requests)
        # by identity: a reform keeps the policies it leaves alone (an equal copy counts as
        # changed, which only re-decides more)
        after = {id(p) for p in reformed.policies}
        affected = 0
        for i, policy in enumerate(self.world.policies):
            if id(policy) not in after:
                affected |= known.by_policy[i]
        for policy in reformed.policies:
            if id(policy) not in self._ids:
                in_force = 0
                for day, mask in known.on.items():
                    if policy.in_force(day):
                        in_force |= mask
                if in_force:
                    affected |= in_force & self._reaching(policy, known.legs)
        out = list(known.rulings)
        if affected:
            redecide = bits(affected)
            patch_index(reformed, self.world)
            redecided = Evaluator(reformed).rulings([self.requests[j] for j in redecide])
            for j, ruling in zip(redecide, redecided, strict=True):
                out[j] = ruling
        return out

    def _reaching(self, policy: AnyPolicy, legs: list[list[_Leg]]) -> int:
        """The mask of the requests that ``policy`` may match on some leg and side, whatever
        its dates; remembered for the policy's criterion, issuer and side."""
        key = (policy.criterion, policy.issuer, policy.side)
        found = self._reach.get(key)
        if found is None:
            found = mask_of(j for j, on_legs in enumerate(legs) if _may_match(policy, on_legs))
            if len(self._reach) >= _KEEP_REACH:
                self._reach.clear()
            self._reach[key] = found
        return found


class _Known(NamedTuple):
    """The baseline's rulings; per policy, the mask of the requests it matches or may match;
    per request, its legs; per date, the mask of the requests on that date."""

    rulings: list[Ruling]
    by_policy: list[int]
    legs: list[list[_Leg]]
    on: dict[dt.date, int]


#: How many criteria ``Baseline`` remembers what they may match.
_KEEP_REACH = 4096


#: The fields of a world besides its policies (derived fields left out).
_OTHERS = tuple(a.name for a in attrs.fields(World) if a.init and a.name != "policies")


class _Leg(NamedTuple):
    """A request's facts on one leg, without the issuer; and the issuers in scope there by
    side. (A NamedTuple: a few per request, read for every added policy of every reform.)"""

    facts: Facts
    export: frozenset[str]
    importer: str


def _legs(world: World, request: AccessRequest) -> list[_Leg]:
    buyer, item = world.company(request.buyer), world.item(request.item)
    destination, route = resolve_route(world, request, buyer, item)
    reach = world.jurisdictions(item)
    return [
        _Leg(
            Facts(
                registry=world,
                on=request.on,
                item=item,
                buyer=buyer,
                exporter=exporter,
                importer=importer,
                destination=destination,
                issuer="",
                end_use=request.end_use,
            ),
            (reach | {exporter}) - {importer},
            importer,
        )
        for exporter, importer in itertools.pairwise(route)
    ]


def _may_match(policy: AnyPolicy, legs: list[_Leg]) -> bool:
    """Whether ``policy``'s criterion may match the request of ``legs`` on some leg and side
    where its issuer is in scope (its dates aside)."""
    for leg in legs:
        scope = leg.export if policy.side is Side.EXPORT else {leg.importer}
        if policy.issuer in scope:
            judged = attrs.evolve(leg.facts, issuer=policy.issuer)
            if policy.criterion.evaluate(judged).truth is not Truth.FALSE:
                return True
    return False
