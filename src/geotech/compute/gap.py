"""The compute gap: how long a set of workloads takes on one bloc's accessible compute
against another's."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from attrs import frozen

from geotech import frames
from geotech.compute.access import AccessibleCompute, as_capacity
from geotech.compute.flops import (
    DEFAULT_UTILIZATION,
    SECONDS_PER_DAY,
    Capacity,
    check_utilization,
    seconds_to_train,
)


@frozen
class Workload:
    """A reference training run: a name, its training compute in FLOP and the source."""

    name: str
    flop: float
    source: str


#: GPT-4-class: Epoch AI's estimate 2.1e25 FLOP (https://epoch.ai/data/ai-models);
#: Llama-3.1-405B-class: 3.8e25 FLOP as reported by Meta
#: (https://ai.meta.com/research/publications/the-llama-3-herd-of-models/).
REFERENCE_WORKLOADS = (
    Workload(name="GPT-4-class", flop=2.1e25, source="https://epoch.ai/data/ai-models"),
    Workload(
        name="Llama-3.1-405B-class",
        flop=3.8e25,
        source="https://ai.meta.com/research/publications/the-llama-3-herd-of-models/",
    ),
)


@frozen
class WorkloadTimes:
    """Time for each side of a gap to perform a workload, in seconds (inf without compute)."""

    workload: Workload
    a_seconds: float
    b_seconds: float

    @property
    def a_days(self) -> float:
        return self.a_seconds / SECONDS_PER_DAY

    @property
    def b_days(self) -> float:
        return self.b_seconds / SECONDS_PER_DAY


@frozen
class ComputeGap:
    """Two capacities compared: ``ratio`` = a's expected FLOP/s over b's (inf when b has none
    and a has some; ``None`` when neither has any) and the time each takes per workload."""

    a: Capacity
    b: Capacity
    utilization: float
    ratio: float | None
    times: tuple[WorkloadTimes, ...]

    def rows(self) -> tuple[dict[str, object], ...]:
        """One row per workload: its name and FLOP, both sides' labels, expected FLOP/s and
        days to train (inf without compute), the utilization and the ratio."""
        return tuple(
            {
                "workload": t.workload.name,
                "flop": t.workload.flop,
                "a": self.a.label,
                "b": self.b.label,
                "a_flops": self.a.flops,
                "b_flops": self.b.flops,
                "a_days": t.a_days,
                "b_days": t.b_days,
                "utilization": self.utilization,
                "ratio": self.ratio,
            }
            for t in self.times
        )

    def to_frame(self) -> Any:
        """``rows()`` as a ``pandas.DataFrame`` (extra ``pandas``)."""
        return frames.to_frame(self.rows())


def compute_gap(
    a: Capacity | AccessibleCompute,
    b: Capacity | AccessibleCompute,
    utilization: float = DEFAULT_UTILIZATION,
    workloads: Iterable[Workload] = REFERENCE_WORKLOADS,
) -> ComputeGap:
    """Compare two buyers or blocs: FLOP/s ratio and time to train each workload."""
    ca, cb = as_capacity(a), as_capacity(b)
    u = check_utilization("compute_gap", utilization)
    fa, fb = ca.flops, cb.flops
    ratio = fa / fb if fb > 0 else (math.inf if fa > 0 else None)
    times = tuple(
        WorkloadTimes(
            workload=w,
            a_seconds=seconds_to_train(w.flop, fa, u),
            b_seconds=seconds_to_train(w.flop, fb, u),
        )
        for w in workloads
    )
    return ComputeGap(a=ca, b=cb, utilization=u, ratio=ratio, times=times)
