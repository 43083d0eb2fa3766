"""Supply-chain leverage: who supplies the critical inputs, and whose controls reach them.

A world's ``supply_shares`` say which states supply an input at each stage (mining,
refining, magnets, manufacturing): a material, or manufacturing equipment (an EUV scanner is
an input of every advanced chip); its export policies over inputs are evaluated by the same
engine as chip policies. ``exposure`` asks, for each input, how much of world supply comes under
controls that apply to a producer: each supplier state's share counts when an export of the
material from that state to the producer is restricted (verdict above ALLOWED) on the date.
An equipment segment (every maker's tools of one kind, no producer) that no control reaches as
a whole is undecided from a state when a control reaches some of the world's tools of its kind
made there: which tools the producer buys decides (the Dutch measure reaches ASML's advanced
immersion scanners, not every ArF immersion scanner).
``chokepoints`` lists inputs where one state holds a stage; ``counter_scenario`` compares
exposure in a world and in a reformed one (a control resumed, a suspension extended).

Guarantees: pure (time is an argument); exposure is in [0, 1] and never falls when a
restricting policy without ``supersedes`` is added, nor rises when one is removed (the engine's
monotonicity). A stage's figures are those of its latest measurement on or before the date, or
its earliest one when the date precedes them all.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs
from attrs import frozen

from geotech import frames
from geotech.engine import AccessRequest, Decision, evaluate
from geotech.entities import Company, Equipment, Stage, SupplyShare
from geotech.errors import InvalidValueError, UnknownEntityError
from geotech.policies import Restriction, ReviewPolicy, Verdict
from geotech.world import World

#: Id of the stand-in buyer used when the producer is a state (``any-producer-in-us``).
STATE_PRODUCER = "any-producer-in-{}"


@frozen
class SupplierControl:
    """One supplier state's share of a stage, and how an export from it to the producer fares."""

    state: str
    share: float
    estimated: bool
    verdict: Verdict
    review: ReviewPolicy | None
    certain: bool
    policies: tuple[str, ...]
    #: for an equipment segment: the world's tools of its kind from this state that a control
    #: restricts (or may restrict) for the producer, which make the share undecided
    tools: tuple[str, ...] = ()

    @property
    def controlled(self) -> bool:
        """The export is restricted on the known facts (verdict above ALLOWED)."""
        return self.verdict > Verdict.ALLOWED

    @property
    def undecided(self) -> bool:
        """Not restricted on the known facts, but some unknown fact could restrict it."""
        return not self.controlled and not self.certain

    def __str__(self) -> str:
        text = f"{self.state} {self.share:.0%} {Restriction.of(self.verdict, self.review)}"
        if self.tools:
            text += f" except {', '.join(self.tools)}"
        return text + (f" [{', '.join(self.policies)}]" if self.policies else "")


@frozen
class StageExposure:
    """A stage of one material's supply as measured on ``as_of``, supplier by supplier."""

    material: str
    stage: Stage
    as_of: dt.date
    suppliers: tuple[SupplierControl, ...]

    @property
    def controlled(self) -> float:
        """Share of world supply at this stage under controls applying to the producer."""
        return math.fsum(s.share for s in self.suppliers if s.controlled)

    @property
    def undecided(self) -> float:
        """Share that unknown facts (an undeclared end use...) could still bring under control."""
        return math.fsum(s.share for s in self.suppliers if s.undecided)

    @property
    def attributed(self) -> float:
        """Share of world supply that the sources attribute to a state (at most 1)."""
        return math.fsum(s.share for s in self.suppliers)


@frozen
class InputExposure:
    """A material's exposure: its stages, and the most controlled one (the bottleneck)."""

    material: str
    stages: tuple[StageExposure, ...]

    @property
    def bottleneck(self) -> StageExposure | None:
        """The stage with the largest controlled share (the upstream one on ties)."""
        return max(self.stages, key=lambda s: s.controlled, default=None)

    @property
    def share(self) -> float:
        """Share of world supply under controls at the bottleneck stage: a chain is as exposed
        as its most controlled stage. 0 when no share is known."""
        stage = self.bottleneck
        return 0.0 if stage is None else stage.controlled

    @property
    def upper(self) -> float:
        """The largest share any completion of the unknown facts could put under control."""
        return max((s.controlled + s.undecided for s in self.stages), default=0.0)


@frozen
class Exposure:
    """A producer's exposure to supply controls on one date, one entry per input."""

    producer: str
    destination: str
    on: dt.date
    inputs: tuple[InputExposure, ...]

    def input(self, material: str) -> InputExposure:
        """The entry of ``material``; ``UnknownEntityError`` if it has none."""
        for x in self.inputs:
            if x.material == material:
                return x
        raise UnknownEntityError("input", material, (x.material for x in self.inputs))

    def share(self, material: str) -> float:
        """The controlled share of ``material`` (see ``InputExposure.share``)."""
        return self.input(material).share

    def rows(self) -> tuple[dict[str, object], ...]:
        """One row per input, stage and supplier state: producer, destination, date,
        material, stage, measurement date, state, share, whether estimated and controlled,
        the segment's restricted tools, and how an export from the state fares
        (``geotech.frames.terms``)."""
        return tuple(
            {
                "producer": self.producer,
                "destination": self.destination,
                "on": self.on,
                "material": stage.material,
                "stage": str(stage.stage),
                "as_of": stage.as_of,
                "state": s.state,
                "share": s.share,
                "estimated": s.estimated,
                "controlled": s.controlled,
                "restricted_tools": s.tools,
                **frames.terms(s.verdict, s.review, certain=s.certain, policies=s.policies),
            }
            for x in self.inputs
            for stage in x.stages
            for s in stage.suppliers
        )

    def to_frame(self) -> Any:
        """``rows()`` as a ``pandas.DataFrame`` (extra ``pandas``)."""
        return frames.to_frame(self.rows())


@frozen
class Chokepoint:
    """A stage of a material where one state holds at least the threshold share."""

    material: str
    stage: Stage
    state: str
    share: float
    as_of: dt.date
    estimated: bool
    sources: tuple[str, ...]

    def row(self) -> dict[str, object]:
        """The chokepoint as one row; ``geotech.frames.to_frame([c.row() for c in points])``
        makes a frame of ``chokepoints(...)``."""
        return {
            "material": self.material,
            "stage": str(self.stage),
            "state": self.state,
            "share": self.share,
            "as_of": self.as_of,
            "estimated": self.estimated,
            "sources": self.sources,
        }


@frozen
class InputChange:
    """An input whose controlled share for a producer differs between two worlds."""

    producer: str
    material: str
    before: float
    after: float
    chips: tuple[str, ...]

    @property
    def newly_controlled(self) -> bool:
        """No supply was controlled before and some is after."""
        return self.before == 0 and self.after > 0


@frozen
class CounterScenario:
    """Exposures of the same producers in a baseline world and in a scenario world."""

    on: dt.date
    before: tuple[Exposure, ...]
    after: tuple[Exposure, ...]
    changes: tuple[InputChange, ...]

    def chips_newly_controlled(self, producer: str) -> tuple[str, ...]:
        """Chips of the producer with an input that comes under control in the scenario."""
        return tuple(
            sorted(
                {
                    chip
                    for c in self.changes
                    if c.producer == producer and c.newly_controlled
                    for chip in c.chips
                }
            )
        )

    def rows(self) -> tuple[dict[str, object], ...]:
        """One row per producer and input, both worlds side by side: the controlled share
        (``InputExposure.share``) and the largest share unknown facts could bring under
        control (``upper``) before and after, whether it becomes controlled, and the
        producer's chips that need the input when its share changes."""
        changed = {(c.producer, c.material): c for c in self.changes}
        out: list[dict[str, object]] = []
        for b, a in zip(self.before, self.after, strict=True):
            old = {x.material: x for x in b.inputs}
            for x in a.inputs:
                was = old.get(x.material)
                change = changed.get((b.producer, x.material))
                out.append(
                    {
                        "producer": b.producer,
                        "material": x.material,
                        "before_controlled_share": 0.0 if was is None else was.share,
                        "after_controlled_share": x.share,
                        "before_upper_share": 0.0 if was is None else was.upper,
                        "after_upper_share": x.upper,
                        "newly_controlled": change is not None and change.newly_controlled,
                        "chips": () if change is None else change.chips,
                    }
                )
        return tuple(out)

    def to_frame(self) -> Any:
        """``rows()`` as a ``pandas.DataFrame`` (extra ``pandas``)."""
        return frames.to_frame(self.rows())


# ---------------------------------------------------------------------------------------------


def current_shares(world: World, on: dt.date) -> dict[tuple[str, Stage], tuple[SupplyShare, ...]]:
    """Per material and stage, the shares of its latest measurement on or before ``on`` (its
    earliest one when ``on`` precedes them all)."""
    dates: dict[tuple[str, Stage], set[dt.date]] = {}
    for x in world.supply_shares:
        dates.setdefault((x.material, x.stage), set()).add(x.as_of)
    chosen = {key: max((d for d in ds if d <= on), default=min(ds)) for key, ds in dates.items()}
    out: dict[tuple[str, Stage], list[SupplyShare]] = {}
    for x in world.supply_shares:
        if chosen[(x.material, x.stage)] == x.as_of:
            out.setdefault((x.material, x.stage), []).append(x)
    return {key: tuple(xs) for key, xs in sorted(out.items(), key=lambda kv: _stage_key(kv[0]))}


def exposure(
    world: World,
    producer_or_state: str,
    on: dt.date,
    *,
    at: str | None = None,
    end_use: str | None = None,
    materials: Iterable[str] | None = None,
) -> Exposure:
    """For each input, the share of world supply under controls applying to the producer.

    ``producer_or_state`` is a company id, or a state code standing for an unlisted producer
    headquartered there. The producer receives the input at ``at`` (default: its headquarters
    state); supply from that state itself is domestic and never controlled. ``materials``
    (ids of materials or equipment) defaults to every input with supply shares.
    """
    world, buyer, destination = _producer(world, producer_or_state, at)
    shares = current_shares(world, on)
    wanted = sorted({m for m, _ in shares} if materials is None else set(materials))
    for m in wanted:
        world.supply_input(m)
    decisions: dict[tuple[str, str], Decision] = {}

    def decide(item: str, state: str) -> Decision:
        d = decisions.get((item, state))
        if d is None:
            route = (destination,) if state == destination else (state, destination)
            request = AccessRequest(buyer=buyer, item=item, on=on, route=route, end_use=end_use)
            d = decisions[item, state] = evaluate(world, request)
        return d

    def control(x: SupplyShare) -> SupplierControl:
        d = decide(x.material, x.state)
        found = (
            ()
            if d.verdict > Verdict.ALLOWED or x.state == destination
            else tuple(
                (t.id, td)
                for t in _segment_tools(world, x.material, x.state)
                if (td := decide(t.id, x.state)).verdict > Verdict.ALLOWED or not td.certain
            )
        )
        policies = sorted({p for _, td in found for p in td.determining_policies})
        return SupplierControl(
            x.state,
            x.share,
            x.estimated,
            d.verdict,
            d.review,
            d.certain and not found,
            tuple(dict.fromkeys((*d.determining_policies, *policies))),
            tuple(t for t, _ in found),
        )

    inputs = tuple(
        InputExposure(
            m,
            tuple(
                StageExposure(m, stage, xs[0].as_of, tuple(control(x) for x in xs))
                for (material, stage), xs in shares.items()
                if material == m
            ),
        )
        for m in wanted
    )
    return Exposure(producer_or_state, destination, on, inputs)


def chokepoints(world: World, on: dt.date, threshold: float) -> tuple[Chokepoint, ...]:
    """Stages where one state holds at least ``threshold`` of world supply on ``on``, largest
    share first."""
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise InvalidValueError(f"chokepoints: threshold must be a number, got {threshold!r}")
    if not 0 < threshold <= 1:
        raise InvalidValueError(
            f"chokepoints: threshold must be a fraction in (0, 1], got {threshold!r}"
        )
    found = [
        Chokepoint(x.material, x.stage, x.state, x.share, x.as_of, x.estimated, x.sources)
        for xs in current_shares(world, on).values()
        for x in xs
        if x.share >= threshold
    ]
    return tuple(sorted(found, key=lambda c: (-c.share, c.material, c.stage, c.state)))


def counter_scenario(
    baseline: World,
    scenario: World | Callable[[World], World],
    on: dt.date,
    producers: Sequence[str],
    *,
    end_use: str | None = None,
) -> CounterScenario:
    """Exposure of ``producers`` on ``on`` in ``baseline`` and in ``scenario`` (a world, or a
    reform applied to the baseline such as ``Amend(id, expires=day)``),
    with the inputs whose controlled share changes and the chips that need them."""
    reformed = scenario(baseline) if callable(scenario) else scenario
    before = tuple(exposure(baseline, p, on, end_use=end_use) for p in producers)
    after = tuple(exposure(reformed, p, on, end_use=end_use) for p in producers)
    changes: list[InputChange] = []
    for b, a in zip(before, after, strict=True):
        chips = _chips_of(reformed, b.producer)
        old = {x.material: x.share for x in b.inputs}
        for x in a.inputs:
            if old.get(x.material, 0.0) != x.share:
                needing = tuple(
                    sorted(
                        d.item
                        for d in reformed.dependencies
                        if d.material == x.material and d.item in chips
                    )
                )
                changes.append(
                    InputChange(b.producer, x.material, old.get(x.material, 0.0), x.share, needing)
                )
    return CounterScenario(on, before, after, tuple(changes))


# ---------------------------------------------------------------------------------------------


_STAGES = {stage: i for i, stage in enumerate(Stage)}


def _stage_key(key: tuple[str, Stage]) -> tuple[str, int]:
    return key[0], _STAGES[key[1]]


def _producer(world: World, producer: str, at: str | None) -> tuple[World, str, str]:
    """The world to evaluate in, the buyer id and the destination state for a producer."""
    if producer in world.ids("company"):
        company = world.company(producer)
        destination = at or company.hq
        world.state(destination)
        return world, company.id, destination
    if producer not in world.ids("state"):
        known = world.ids("company") | world.ids("state")
        raise UnknownEntityError("producer (company id or state code)", producer, known)
    state = producer
    buyer = STATE_PRODUCER.format(state.lower())
    if buyer not in world.ids("company"):
        stand_in = Company(id=buyer, name=f"a producer headquartered in {state}", hq=state)
        world = attrs.evolve(world, companies=(*world.companies, stand_in))
    destination = at or state
    world.state(destination)
    return world, buyer, destination


def _segment_tools(world: World, material: str, state: str) -> tuple[Equipment, ...]:
    """The world's tools of an equipment segment's kind (and wavelength, when both give one)
    whose controls are those of ``state``; none when ``material`` is not a segment."""
    segment = world.supply_input(material)
    if not isinstance(segment, Equipment) or segment.producer is not None:
        return ()
    return tuple(
        t
        for t in world.equipment
        if t.producer is not None
        and t.equipment_kind == segment.equipment_kind
        and (segment.wavelength_nm is None or t.wavelength_nm in (None, segment.wavelength_nm))
        and state in world.jurisdictions(t)
    )


def _chips_of(world: World, producer: str) -> frozenset[str]:
    """Chips a company designs or fabricates; every chip for a state."""
    if producer not in world.ids("company"):
        return frozenset(c.id for c in world.chips)
    return frozenset(c.id for c in world.chips if producer in (c.designer, c.fab))
