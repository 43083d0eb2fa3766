"""Compute accounting basics: peak FLOP/s of chips and clusters, training time, cluster size,
holdings and capacities.

Figures use dense peak throughput at one precision (``Chip.throughput`` is dense by
construction); a throughput that is not published raises ``MissingSpecError`` instead of being
guessed (docs/compute.md)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import attrs
from attrs import frozen

from geotech.entities import Chip, Model, Precision, fraction
from geotech.errors import InvalidValueError, MissingSpecError

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


def check_utilization(where: str, value: float) -> float:
    """``value`` as a utilization in (0, 1], or ``InvalidValueError`` naming ``where``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise InvalidValueError(f"{where}: utilization must be in (0, 1], got {value!r}")
    return float(value)


def check_positive(where: str, value: float) -> float:
    """``value`` as a finite number > 0, or ``InvalidValueError`` naming ``where``."""
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
            check_utilization(f"UtilizationRange.{name}", getattr(self, name))
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
    return check_positive("cluster_flops: count", count) * peak_flops(chip, precision)


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
    return check_positive("h100_equivalents: count", count) * per_chip


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
    return check_positive("training FLOP", model_or_flop)


def seconds_to_train(flop: float, flops: float, utilization: float) -> float:
    """Seconds to compute ``flop`` at ``flops`` peak FLOP/s and ``utilization``."""
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
    u = check_utilization("training_time", utilization)
    flops = cluster_flops(chip, count, precision)
    return TrainingTime(
        flop=flop,
        chip=chip.id,
        count=float(count),
        utilization=u,
        precision=precision,
        seconds=seconds_to_train(flop, flops, u),
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
    u = check_utilization("chips_needed", utilization)
    d = check_positive("chips_needed: days", days)
    exact = flop / (d * SECONDS_PER_DAY * peak_flops(chip, precision) * u)
    return ChipsNeeded(
        flop=flop, chip=chip.id, days=d, utilization=u, precision=precision, exact=exact
    )


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
