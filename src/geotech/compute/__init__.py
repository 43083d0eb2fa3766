"""Compute accounting: what access is worth in FLOP/s and in time to train a model.

Modules: ``flops`` (chips, clusters, training time, holdings), ``access`` (accessible compute
under the rules), ``uncertainty`` (Monte Carlo), ``gap`` (the compute gap).

Guarantees: every function is pure (randomness comes only from the ``random.Random`` passed
in, so the same seed gives the same result); figures use dense peak throughput at one
precision (``Chip.throughput`` is dense by construction); a throughput that is not published
raises ``MissingSpecError`` instead of being guessed; quantiles are computed from samples,
never by adding or dividing percentiles.

Formulas (docs/compute.md):

- peak FLOP/s of a chip at a precision = dense TOPS x 1e12; of ``n`` chips, ``n`` times that;
- training time = FLOP / (peak FLOP/s of the cluster x utilization);
- accessible compute = sum over orders of units (bounded by volume caps) x peak FLOP/s per
  chip x the weight of the order's decision: the product over the authorities on its route of
  1 (allowed), 0 (prohibited), an approval probability per review policy (license required)
  or a documented weight (discouraged).
"""

from geotech.compute.access import (
    DEFAULT_APPROVAL,
    AccessibleCompute,
    Approval,
    Order,
    OrderCompute,
    accessible_compute,
    as_capacity,
    bloc,
)
from geotech.compute.flops import (
    DEFAULT_PRECISION,
    DEFAULT_UTILIZATION,
    DEFAULT_UTILIZATION_RANGE,
    ESTIMATE_SPREAD,
    FP8_UTILIZATION,
    SECONDS_PER_DAY,
    Capacity,
    ChipsNeeded,
    Holding,
    TrainingTime,
    UtilizationRange,
    chips_needed,
    cluster,
    cluster_flops,
    h100_equivalents,
    peak_flops,
    training_flop,
    training_time,
)
from geotech.compute.gap import (
    REFERENCE_WORKLOADS,
    ComputeGap,
    Workload,
    WorkloadTimes,
    compute_gap,
)
from geotech.compute.uncertainty import (
    Distribution,
    Simulation,
    simulate,
)

__all__ = [
    "DEFAULT_APPROVAL",
    "DEFAULT_PRECISION",
    "DEFAULT_UTILIZATION",
    "DEFAULT_UTILIZATION_RANGE",
    "ESTIMATE_SPREAD",
    "FP8_UTILIZATION",
    "REFERENCE_WORKLOADS",
    "SECONDS_PER_DAY",
    "AccessibleCompute",
    "Approval",
    "Capacity",
    "ChipsNeeded",
    "ComputeGap",
    "Distribution",
    "Holding",
    "Order",
    "OrderCompute",
    "Simulation",
    "TrainingTime",
    "UtilizationRange",
    "Workload",
    "WorkloadTimes",
    "accessible_compute",
    "as_capacity",
    "bloc",
    "chips_needed",
    "cluster",
    "cluster_flops",
    "compute_gap",
    "h100_equivalents",
    "peak_flops",
    "simulate",
    "training_flop",
    "training_time",
]
