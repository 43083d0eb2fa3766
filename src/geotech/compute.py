"""Compute accounting: what access is worth in FLOP/s and in time to train a model.

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

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
from attrs import frozen

from geotech.engine import AccessRequest, Decision, evaluate_many
from geotech.entities import Chip, Model, Precision, fraction
from geotech.errors import InvalidValueError, MissingSpecError
from geotech.policies import Restriction, ReviewPolicy, Side, Verdict, VolumeCap
from geotech.world import World

SECONDS_PER_DAY = 86_400.0

#: Precision of most 2023-2025 frontier pre-training runs; FP8 runs (DeepSeek-V3) pass
#: ``precision=Precision.FP8`` with a lower utilization (see ``FP8_UTILIZATION``).
DEFAULT_PRECISION = Precision.BF16

#: Model FLOP utilization (achieved / dense peak FLOP/s) assumed for dense transformer
#: pre-training at BF16: Llama 3.1 405B reports 38-43 % BF16 MFU on 16,384 H100, about 35 %
#: over the whole run (https://ai.meta.com/research/publications/the-llama-3-herd-of-models/);
#: GPT-4 is estimated at 32-36 % (Epoch AI, https://epoch.ai/data/ai-models); Epoch's
#: conventional default for LLMs is 30 % (https://epoch.ai/blog/estimating-training-compute).
DEFAULT_UTILIZATION = 0.35

#: Utilization against FP8 peaks: the peak doubles, achieved FLOP/s does not (DeepSeek-V3
#: implies ~17-23 % of the H800 FP8 peak, https://arxiv.org/abs/2412.19437).
FP8_UTILIZATION = 0.2

#: Relative spread of throughput figures flagged as estimates (``"throughput"`` in a chip's
#: ``estimates``): published figures for one part disagree by up to ~10-15 % (Ascend 910C
#: 752 vs 800 TFLOPS; Gaudi 3 1,678 vs 1,835 TFLOPS; Epoch AI hardware data,
#: https://epoch.ai/data/machine-learning-hardware; CSET on Ascend peak-figure accounting,
#: https://cset.georgetown.edu/publication/pushing-the-limits-huaweis-ai-chip-tests-u-s-export-controls/).
ESTIMATE_SPREAD = 0.15


def _utilization(where: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise InvalidValueError(f"{where}: utilization must be in (0, 1], got {value!r}")
    return float(value)


def _positive(where: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
        raise InvalidValueError(f"{where}: expected a finite number > 0, got {value!r}")
    return float(value)


@frozen
class UtilizationRange:
    """A utilization range for Monte Carlo: triangular on [low, high] with mode ``central``."""

    low: float
    central: float
    high: float

    def __attrs_post_init__(self) -> None:
        for name in ("low", "central", "high"):
            _utilization(f"UtilizationRange.{name}", getattr(self, name))
        if not self.low <= self.central <= self.high:
            raise InvalidValueError(
                f"UtilizationRange: expected low <= central <= high, got {self.low}, "
                f"{self.central}, {self.high}"
            )


#: 25-50 % brackets published pre-training MFUs: GPT-3 21.3 %, Gopher 32.5 %, PaLM 46.2 %
#: (https://arxiv.org/abs/2204.02311); ERNIE 4.5 47 %
#: (https://yiyan.baidu.com/blog/publication/ERNIE_Technical_Report.pdf); Pangu Ultra 52 % on
#: Ascend 910B (https://arxiv.org/abs/2504.07866); MegaScale 55.2 % on 12,288 GPUs
#: (https://arxiv.org/abs/2402.15627).
DEFAULT_UTILIZATION_RANGE = UtilizationRange(low=0.25, central=DEFAULT_UTILIZATION, high=0.50)


# ---------------------------------------------------------------------------------------------
# Chips and clusters


def peak_flops(chip: Chip, precision: Precision = DEFAULT_PRECISION) -> float:
    """Dense peak FLOP/s (OP/s for integer formats) of one chip: dense TOPS x 1e12.

    Raises ``MissingSpecError`` when the chip has no published figure at ``precision``.
    """
    tops = chip.dense_tops(precision)
    if tops is None:
        known = ", ".join(str(t.precision) for t in chip.throughput) or "none"
        raise MissingSpecError(
            f"chip {chip.id!r} has no published dense {precision} throughput (published: "
            f"{known}); pass another precision= or add the figure to the chip's throughput"
        )
    return tops * 1e12


def cluster_flops(chip: Chip, count: float, precision: Precision = DEFAULT_PRECISION) -> float:
    """Dense peak FLOP/s of ``count`` chips: ``count`` x ``peak_flops(chip, precision)``."""
    return _positive("cluster_flops: count", count) * peak_flops(chip, precision)


def h100_equivalents(chip: Chip, count: float = 1.0) -> float:
    """``count`` x ``Chip.h100_equivalents`` (dense 8-bit TOPS over the H100 SXM's 1,979).

    Raises ``MissingSpecError`` when the chip publishes no dense 8-bit figure.
    """
    per_chip = chip.h100_equivalents
    if per_chip is None:
        raise MissingSpecError(
            f"chip {chip.id!r} has no published dense 8-bit (fp8 or int8) throughput, so it "
            "has no H100-equivalent; compare peak_flops at a shared precision instead"
        )
    return _positive("h100_equivalents: count", count) * per_chip


# ---------------------------------------------------------------------------------------------
# Training time and cluster size


def training_flop(model_or_flop: Model | float) -> float:
    """The training compute of a model (``Model.training_flop``) or a FLOP count as given."""
    if isinstance(model_or_flop, Model):
        if model_or_flop.training_flop is None:
            raise MissingSpecError(
                f"model {model_or_flop.id!r} has no training_flop; pass a FLOP count instead"
            )
        return model_or_flop.training_flop
    return _positive("training FLOP", model_or_flop)


def _seconds(flop: float, flops: float, utilization: float) -> float:
    """Seconds to perform ``flop`` at ``flops`` peak and ``utilization``; inf without compute."""
    return flop / (flops * utilization) if flops > 0 else math.inf


@frozen
class TrainingTime:
    """How long ``count`` chips take to perform ``flop`` at ``utilization``."""

    flop: float
    chip: str
    count: float
    utilization: float
    precision: Precision
    seconds: float

    @property
    def days(self) -> float:
        return self.seconds / SECONDS_PER_DAY


@frozen
class ChipsNeeded:
    """How many chips perform ``flop`` in ``days`` at ``utilization``; ``exact`` is fractional."""

    flop: float
    chip: str
    days: float
    utilization: float
    precision: Precision
    exact: float

    @property
    def count(self) -> int:
        """Whole chips: ``exact`` rounded up."""
        return math.ceil(self.exact)


def training_time(
    model_or_flop: Model | float,
    chip: Chip,
    count: float,
    utilization: float = DEFAULT_UTILIZATION,
    precision: Precision = DEFAULT_PRECISION,
) -> TrainingTime:
    """Time for ``count`` chips to train a model (or perform a FLOP count):
    FLOP / (count x peak FLOP/s x utilization)."""
    flop = training_flop(model_or_flop)
    u = _utilization("training_time", utilization)
    flops = cluster_flops(chip, count, precision)
    return TrainingTime(
        flop=flop,
        chip=chip.id,
        count=float(count),
        utilization=u,
        precision=precision,
        seconds=_seconds(flop, flops, u),
    )


def chips_needed(
    model_or_flop: Model | float,
    chip: Chip,
    days: float,
    utilization: float = DEFAULT_UTILIZATION,
    precision: Precision = DEFAULT_PRECISION,
) -> ChipsNeeded:
    """Chips needed to train a model (or perform a FLOP count) in ``days``:
    FLOP / (days x 86,400 s x peak FLOP/s x utilization)."""
    flop = training_flop(model_or_flop)
    u = _utilization("chips_needed", utilization)
    d = _positive("chips_needed: days", days)
    exact = flop / (d * SECONDS_PER_DAY * peak_flops(chip, precision) * u)
    return ChipsNeeded(
        flop=flop, chip=chip.id, days=d, utilization=u, precision=precision, exact=exact
    )


# ---------------------------------------------------------------------------------------------
# Holdings and capacities


def _units(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValueError(f"Holding.units: expected a count >= 0, got {value!r}")


@frozen
class Holding:
    """``units`` of a chip that a party holds, or obtains with probability ``weight``."""

    chip: Chip
    units: int = attrs.field(validator=_units)
    weight: float = attrs.field(default=1.0, validator=fraction)
    precision: Precision = DEFAULT_PRECISION

    @property
    def peak_flops(self) -> float:
        """Dense peak FLOP/s of all units, if obtained."""
        return self.units * peak_flops(self.chip, self.precision)

    @property
    def expected_flops(self) -> float:
        """``weight`` x ``peak_flops``."""
        return self.weight * self.peak_flops


def _holdings(values: Iterable[Holding]) -> tuple[Holding, ...]:
    return tuple(values)


@frozen
class Capacity:
    """The chips a party (a buyer, a lab, a bloc) holds or may obtain, under a label."""

    label: str
    holdings: tuple[Holding, ...] = attrs.field(converter=_holdings)

    @property
    def flops(self) -> float:
        """Expected dense peak FLOP/s: the sum of the holdings' expected FLOP/s."""
        return math.fsum(h.expected_flops for h in self.holdings)

    @property
    def max_flops(self) -> float:
        """Dense peak FLOP/s if every holding with a non-zero weight is obtained."""
        return math.fsum(h.peak_flops for h in self.holdings if h.weight > 0)


def cluster(
    chip: Chip, count: int, precision: Precision = DEFAULT_PRECISION, label: str | None = None
) -> Capacity:
    """A capacity of ``count`` chips held for certain (label: ``"<count> x <chip name>"``)."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise InvalidValueError(f"cluster: count must be a whole number >= 1, got {count!r}")
    peak_flops(chip, precision)
    return Capacity(
        label=label if label is not None else f"{count:,} x {chip.name}",
        holdings=(Holding(chip=chip, units=count, precision=precision),),
    )


def bloc(label: str, parts: Iterable[Capacity | AccessibleCompute]) -> Capacity:
    """The capacities of several parties pooled under one label."""
    return Capacity(label=label, holdings=tuple(h for p in parts for h in as_capacity(p).holdings))


# ---------------------------------------------------------------------------------------------
# Accessible compute


def _quantity(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValueError(f"Order.quantity: expected a count >= 1, got {value!r}")


def _route(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


@frozen
class Order:
    """A wish to buy ``quantity`` units of a chip, with optional route, destination, end use
    (defaults as in ``AccessRequest``)."""

    chip: str
    quantity: int = attrs.field(validator=_quantity)
    route: tuple[str, ...] | None = attrs.field(default=None, converter=_route)
    destination: str | None = None
    end_use: str | None = None


@frozen
class Approval:
    """How likely an order is to go through, as a probability (or weight) per verdict.

    Every authority on the route must let the order through, so an order's weight
    (``decision_weight``) is the product, over the (issuing state, side) pairs that determine
    an outcome of its decision, of the weight of the most restrictive outcome each determines:
    ALLOWED and CONDITIONAL count 1, PROHIBITED 0, LICENSE_REQUIRED the probability of its
    review policy, DISCOURAGED ``discouraged``. A US license under presumption of approval
    (0.9) into a China that discourages the purchase (0.5) weighs 0.45.

    The defaults are assumptions (docs/compute.md); override any of them. For reference, the
    US approved about 70 % of all China-related license applications in FY2022, under mixed
    review policies (BIS testimony, reported at
    https://insidetelecom.com/us-approved-70-of-export-license-applications-from-china-in-2022/;
    on reading BIS data: https://cset.georgetown.edu/publication/bis-best-data-practices-part-1);
    no H200 license under the January 2026 case-by-case policy was reported approved in its
    first three months (https://www.tomshardware.com/tech-industry/artificial-intelligence/nvidia-still-hasnt-sold-a-single-h200-to-china-nearly-three-months-after-getting-the-green-light-from-the-white-house-u-s-commerce-official-says-department-hasnt-approved-any-sales-during-a-house-hearing);
    China's 2025 guidance discouraged, but did not ban, H20 purchases
    (https://www.livemint.com/companies/china-advises-firms-to-avoid-nvidia-h20-chips-amid-security-concerns-aims-shift-towards-local-alternatives/amp-11754976729348.html).
    """

    presumption_of_approval: float = attrs.field(default=0.9, validator=fraction)
    case_by_case: float = attrs.field(default=0.5, validator=fraction)
    presumption_of_denial: float = attrs.field(default=0.05, validator=fraction)
    discouraged: float = attrs.field(default=0.5, validator=fraction)

    def weight(self, verdict: Verdict, review: ReviewPolicy | None) -> float:
        """The probability (or weight) that one authority's outcome lets an order through."""
        if verdict is Verdict.PROHIBITED:
            return 0.0
        if verdict is Verdict.DISCOURAGED:
            return self.discouraged
        if verdict is Verdict.LICENSE_REQUIRED:
            if review is None:
                raise InvalidValueError(
                    "Approval.weight: a LICENSE_REQUIRED verdict needs a review policy"
                )
            return {
                ReviewPolicy.PRESUMPTION_OF_APPROVAL: self.presumption_of_approval,
                ReviewPolicy.CASE_BY_CASE: self.case_by_case,
                ReviewPolicy.PRESUMPTION_OF_DENIAL: self.presumption_of_denial,
            }[review]
        return 1.0

    def decision_weight(self, decision: Decision) -> float:
        """The probability that every authority lets the decided order through (see above)."""
        issuers = {p.id: p.issuer for p in decision.policies}
        worst: dict[tuple[str, Side], Restriction] = {}
        for o in decision.outcomes:
            for issuer in {issuers[p] for p in o.determining_policies}:
                key = (issuer, o.side)
                worst[key] = max(worst.get(key, o.restriction), o.restriction)
        return math.prod(self.weight(worst[k].verdict, worst[k].review) for k in sorted(worst))


DEFAULT_APPROVAL = Approval()


@frozen
class OrderCompute:
    """One order's share: its decision, what it yields (``holding``) and the caps reported.

    ``holding.units`` is the quantity bounded by the decision's absolute volume caps;
    ``fraction_caps`` are caps relative to a volume the world does not know (reported only).
    """

    order: Order
    decision: Decision
    holding: Holding
    fraction_caps: tuple[VolumeCap, ...]

    @property
    def flops(self) -> float:
        """Expected dense peak FLOP/s of the order."""
        return self.holding.expected_flops


@frozen
class AccessibleCompute:
    """The compute a buyer can expect to obtain on a date, order by order."""

    buyer: str
    on: dt.date
    precision: Precision
    orders: tuple[OrderCompute, ...]

    @property
    def capacity(self) -> Capacity:
        """The orders' holdings, labelled with the buyer."""
        return Capacity(label=self.buyer, holdings=tuple(o.holding for o in self.orders))

    @property
    def flops(self) -> float:
        """Expected dense peak FLOP/s over all orders."""
        return self.capacity.flops

    @property
    def max_flops(self) -> float:
        """Dense peak FLOP/s if every order with a non-zero weight goes through."""
        return self.capacity.max_flops


def accessible_compute(
    world: World,
    buyer: str,
    on: dt.date,
    orders: Iterable[Order],
    approval: Approval = DEFAULT_APPROVAL,
    precision: Precision = DEFAULT_PRECISION,
) -> AccessibleCompute:
    """Decide each order with ``geotech.evaluate`` and weigh what it yields.

    The weight is ``approval.decision_weight``: PROHIBITED orders yield nothing, a license
    counts with the approval probability of its review policy, a discouraged purchase with
    ``approval.discouraged``, and the weights of the authorities on the route multiply.
    Volume caps in units bound the quantity. A decision that is not certain is weighed by the
    outcomes the known facts force; its ``unknowns`` say what it depends on. Raises
    ``UnknownEntityError`` for an unknown id and ``MissingSpecError`` for a chip without a
    published throughput at ``precision``.
    """
    orders = tuple(orders)
    chips = [world.chip(o.chip) for o in orders]
    for chip in chips:
        peak_flops(chip, precision)
    requests = [
        AccessRequest(
            buyer=buyer,
            item=o.chip,
            on=on,
            destination=o.destination,
            route=o.route,
            quantity=o.quantity,
            end_use=o.end_use,
        )
        for o in orders
    ]
    results = []
    for order, chip, decision in zip(orders, chips, evaluate_many(world, requests), strict=True):
        caps = [c for c in decision.conditions if isinstance(c, VolumeCap)]
        units = min([order.quantity, *(c.units for c in caps if c.units is not None)])
        holding = Holding(
            chip=chip,
            units=units,
            weight=approval.decision_weight(decision),
            precision=precision,
        )
        results.append(
            OrderCompute(
                order=order,
                decision=decision,
                holding=holding,
                fraction_caps=tuple(c for c in caps if c.fraction is not None),
            )
        )
    return AccessibleCompute(buyer=buyer, on=on, precision=precision, orders=tuple(results))


def as_capacity(value: Capacity | AccessibleCompute) -> Capacity:
    """A capacity as is, or an accessible-compute result's capacity."""
    return value.capacity if isinstance(value, AccessibleCompute) else value


# ---------------------------------------------------------------------------------------------
# Uncertainty


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


@frozen
class Simulation:
    """Monte Carlo samples of the FLOP/s a capacity achieves (peak x utilization)."""

    label: str
    achieved_flops: Distribution

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


# ---------------------------------------------------------------------------------------------
# The compute gap


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


def compute_gap(
    a: Capacity | AccessibleCompute,
    b: Capacity | AccessibleCompute,
    utilization: float = DEFAULT_UTILIZATION,
    workloads: Iterable[Workload] = REFERENCE_WORKLOADS,
) -> ComputeGap:
    """Compare two buyers or blocs: FLOP/s ratio and time to train each workload."""
    ca, cb = as_capacity(a), as_capacity(b)
    u = _utilization("compute_gap", utilization)
    fa, fb = ca.flops, cb.flops
    ratio = fa / fb if fb > 0 else (math.inf if fa > 0 else None)
    times = tuple(
        WorkloadTimes(
            workload=w, a_seconds=_seconds(w.flop, fa, u), b_seconds=_seconds(w.flop, fb, u)
        )
        for w in workloads
    )
    return ComputeGap(a=ca, b=cb, utilization=u, ratio=ratio, times=times)
