"""Uncertainty: Monte Carlo distributions of accessible compute and training times.

Randomness comes only from the ``random.Random`` passed in, so the same seed gives the same
result; quantiles are computed from samples, never by adding or dividing percentiles."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
from attrs import frozen

from geotech import frames
from geotech.compute.access import AccessibleCompute, as_capacity
from geotech.compute.flops import (
    DEFAULT_UTILIZATION_RANGE,
    ESTIMATE_SPREAD,
    SECONDS_PER_DAY,
    Capacity,
    UtilizationRange,
    training_flop,
)
from geotech.entities import Model
from geotech.errors import InvalidValueError


def _samples(values: Iterable[float]) -> tuple[float, ...]:
    out = tuple(float(v) for v in values)
    if not out:
        raise InvalidValueError("Distribution.samples: expected at least one sample")
    if any(math.isnan(v) for v in out):
        raise InvalidValueError("Distribution.samples: NaN is not a sample")
    return out


@frozen
class Distribution:
    """Samples of an uncertain quantity, in drawing order, and quantiles computed from them."""

    samples: tuple[float, ...] = attrs.field(converter=_samples)
    _sorted: tuple[float, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_sorted", tuple(sorted(self.samples)))

    def quantile(self, q: float) -> float:
        """The ``q`` quantile, interpolating linearly between order statistics (numpy's
        default); always between the smallest and the largest sample."""
        if isinstance(q, bool) or not isinstance(q, int | float) or not 0 <= q <= 1:
            raise InvalidValueError(f"Distribution.quantile: q must be in [0, 1], got {q!r}")
        xs = self._sorted
        h = (len(xs) - 1) * q
        i = math.floor(h)
        lo, t = xs[i], h - i
        if t == 0 or lo == xs[i + 1]:
            return lo
        hi = xs[i + 1]
        if hi == math.inf:
            return math.inf
        return min(max(lo + t * (hi - lo), lo), hi)

    def quantiles(self, qs: Sequence[float] = (0.05, 0.5, 0.95)) -> tuple[float, ...]:
        return tuple(self.quantile(q) for q in qs)

    @property
    def median(self) -> float:
        return self.quantile(0.5)

    def rows(self) -> tuple[dict[str, object], ...]:
        """One row per sample, in drawing order: its index (from 0) and value."""
        return tuple({"sample": i, "value": v} for i, v in enumerate(self.samples))

    def to_frame(self) -> Any:
        """``rows()`` as a ``pandas.DataFrame`` (extra ``pandas``)."""
        return frames.to_frame(self.rows())


@frozen
class Simulation:
    """Monte Carlo samples of the FLOP/s a capacity achieves (peak x utilization)."""

    label: str
    achieved_flops: Distribution

    def rows(self) -> tuple[dict[str, object], ...]:
        """One row per sample, in drawing order: label, index (from 0), achieved FLOP/s."""
        return tuple(
            {"label": self.label, "sample": i, "achieved_flops": v}
            for i, v in enumerate(self.achieved_flops.samples)
        )

    def to_frame(self) -> Any:
        """``rows()`` as a ``pandas.DataFrame`` (extra ``pandas``)."""
        return frames.to_frame(self.rows())

    def days(self, model_or_flop: Model | float) -> Distribution:
        """Samples of the time to train, in days (inf in samples with no compute)."""
        flop = training_flop(model_or_flop)
        return Distribution(
            samples=tuple(
                flop / f / SECONDS_PER_DAY if f > 0 else math.inf
                for f in self.achieved_flops.samples
            )
        )


def simulate(
    capacity: Capacity | AccessibleCompute,
    rng: random.Random,
    samples: int = 2000,
    utilization: UtilizationRange = DEFAULT_UTILIZATION_RANGE,
    spread: float = ESTIMATE_SPREAD,
) -> Simulation:
    """Sample the FLOP/s a capacity achieves, drawing from ``rng`` only.

    Each sample draws, in this order: a throughput factor, uniform on [1 - spread,
    1 + spread], per chip (by id) whose ``estimates`` include ``throughput``; one utilization
    for the whole capacity (triangular on the range); and, per holding, whether it is
    obtained (probability ``weight``, independently). Same ``rng`` state, same result.
    """
    cap = as_capacity(capacity)
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise InvalidValueError(f"simulate: samples must be a whole number >= 1, got {samples!r}")
    if isinstance(spread, bool) or not isinstance(spread, int | float) or not 0 <= spread < 1:
        raise InvalidValueError(f"simulate: spread must be in [0, 1), got {spread!r}")
    uncertain = sorted({h.chip.id for h in cap.holdings if "throughput" in h.chip.estimates})
    # Per holding: peak FLOP/s, probability, and the index of its throughput factor (0: none).
    plan = [
        (h.peak_flops, h.weight, uncertain.index(h.chip.id) + 1 if h.chip.id in uncertain else 0)
        for h in cap.holdings
    ]
    low, high, mode = utilization.low, utilization.high, utilization.central
    out: list[float] = []
    for _ in range(samples):
        factors = [1.0, *(rng.uniform(1 - spread, 1 + spread) for _ in uncertain)]
        u = rng.triangular(low, high, mode)
        obtained = [peak * factors[i] for peak, weight, i in plan if rng.random() < weight]
        out.append(math.fsum(obtained) * u)
    return Simulation(label=cap.label, achieved_flops=Distribution(samples=tuple(out)))
