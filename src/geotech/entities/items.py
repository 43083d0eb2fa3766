"""What an access request can ask for: chips (with their throughput), models, materials and
manufacturing equipment. Derived figures (TPP, performance density, H100-equivalents) are
computed from the specs, never stored."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import ClassVar

import attrs
from attrs import frozen

from geotech.entities.fields import (
    count,
    member,
    number,
    optional_boolean,
    optional_day,
    optional_number,
    positive,
    slug,
    source_field,
    state_codes,
    strings,
)
from geotech.errors import InvalidValueError

__all__ = [
    "H100_DENSE_8BIT_TOPS",
    "Chip",
    "Confidence",
    "Equipment",
    "EquipmentKind",
    "Item",
    "Material",
    "Model",
    "Precision",
    "Throughput",
]

#: Dense 8-bit TOPS of the Nvidia H100 SXM, the unit of ``h100_equivalents``.
H100_DENSE_8BIT_TOPS = 1979.0


class Precision(enum.StrEnum):
    """A numeric format of a chip's arithmetic; ``bits`` is its bit length for TPP."""

    FP64 = "fp64"
    FP32 = "fp32"
    TF32 = "tf32"
    BF16 = "bf16"
    FP16 = "fp16"
    FP8 = "fp8"
    INT8 = "int8"
    FP6 = "fp6"
    FP4 = "fp4"
    INT4 = "int4"

    @property
    def bits(self) -> int:
        return _BITS[self]


_BITS = {
    Precision.FP64: 64,
    Precision.FP32: 32,
    Precision.TF32: 32,
    Precision.BF16: 16,
    Precision.FP16: 16,
    Precision.FP8: 8,
    Precision.INT8: 8,
    Precision.FP6: 6,
    Precision.FP4: 4,
    Precision.INT4: 4,
}
_PRECISION_ORDER = {p: i for i, p in enumerate(Precision)}


def _precision(value: Precision | str) -> Precision:
    return member(Precision, value, "Throughput.precision")


@frozen
class Throughput:
    """Dense (not sparse) peak throughput at one precision, in TOPS (= TFLOPS for floats)."""

    precision: Precision = attrs.field(converter=_precision)
    tops: float = attrs.field(converter=number, validator=positive)


def _throughputs(values: Iterable[Throughput]) -> tuple[Throughput, ...]:
    return tuple(sorted(values, key=lambda t: _PRECISION_ORDER[t.precision]))


@frozen
class Chip:
    """An AI accelerator with its published specs; derived figures are properties.

    ``estimates`` names the fields whose values are estimates rather than published figures.
    ``process_nm`` is the logic dies' process node as the vendor names it (7 for TSMC N7, 4 for
    4N), ``transistors`` the aggregated transistor count of the packaged IC's logic dies, and
    ``hbm`` whether the package holds high-bandwidth memory (the foundry due-diligence rule's
    facts). ``jurisdictions`` lists the states whose export controls reach the chip; empty means the
    designer's headquarters state.
    """

    kind: ClassVar[str] = "chip"

    id: str = attrs.field(validator=slug)
    name: str
    designer: str
    fab: str | None = None
    released: dt.date | None = attrs.field(default=None, validator=optional_day)
    #: the first day the chip was commercially available in the US (``None``: not known)
    us_available: dt.date | None = attrs.field(default=None, validator=optional_day)
    datacenter: bool | None = attrs.field(default=None, validator=optional_boolean)
    throughput: tuple[Throughput, ...] = attrs.field(default=(), converter=_throughputs)
    die_area_mm2: float | None = attrs.field(
        default=None, converter=optional_number, validator=positive
    )
    memory_gb: float | None = attrs.field(
        default=None, converter=optional_number, validator=positive
    )
    dram_bandwidth_gbs: float | None = attrs.field(
        default=None, converter=optional_number, validator=positive
    )
    interconnect_gbs: float | None = attrs.field(
        default=None, converter=optional_number, validator=positive
    )
    tdp_w: float | None = attrs.field(default=None, converter=optional_number, validator=positive)
    process_nm: float | None = attrs.field(
        default=None, converter=optional_number, validator=positive
    )
    transistors: float | None = attrs.field(
        default=None, converter=optional_number, validator=positive
    )
    hbm: bool | None = attrs.field(default=None, validator=optional_boolean)
    jurisdictions: frozenset[str] = attrs.field(
        default=frozenset(), converter=strings, validator=state_codes
    )
    estimates: frozenset[str] = attrs.field(default=frozenset(), converter=strings)
    sources: tuple[str, ...] = source_field

    def __attrs_post_init__(self) -> None:
        seen = [t.precision for t in self.throughput]
        if len(seen) != len(set(seen)):
            raise InvalidValueError(
                f"Chip.throughput: precision listed twice in {[str(p) for p in seen]}"
            )
        _check_estimates(self)

    def dense_tops(self, precision: Precision) -> float | None:
        """Dense peak throughput at ``precision``, or ``None`` when not published."""
        for t in self.throughput:
            if t.precision == precision:
                return t.tops
        return None

    @property
    def tpp(self) -> float | None:
        """Total processing performance: max over precisions of dense TOPS x bit length."""
        if not self.throughput:
            return None
        return max(t.tops * t.precision.bits for t in self.throughput)

    @property
    def performance_density(self) -> float | None:
        """TPP per mm² of applicable die area; ``None`` when either is unknown."""
        tpp = self.tpp
        if tpp is None or self.die_area_mm2 is None:
            return None
        return tpp / self.die_area_mm2

    @property
    def h100_equivalents(self) -> float | None:
        """Dense 8-bit throughput (best of FP8 and INT8) over the H100 SXM's 1,979 TOPS."""
        eight = [t.tops for t in self.throughput if t.precision.bits == 8]
        return max(eight) / H100_DENSE_8BIT_TOPS if eight else None


def _check_estimates(record: Chip | Model | Equipment) -> None:
    fields = {a.name for a in attrs.fields(type(record))} - {"id", "estimates", "sources"}
    unknown = record.estimates - fields
    if unknown:
        kind = type(record).__name__
        raise InvalidValueError(
            f"{kind}.estimates: {sorted(unknown)} are not {kind.lower()} fields; use names "
            f"from {sorted(fields)}"
        )


class Confidence(enum.StrEnum):
    """How firm an estimated figure is (the scale Epoch AI uses for training compute)."""

    CONFIDENT = "confident"
    LIKELY = "likely"
    SPECULATIVE = "speculative"


def _confidence(value: Confidence | str | None) -> Confidence | None:
    return None if value is None else member(Confidence, value, "Model.training_flop_confidence")


@frozen
class Model:
    """An AI model; as an item its weights can be the subject of an access request."""

    kind: ClassVar[str] = "model"

    id: str = attrs.field(validator=slug)
    name: str
    developer: str
    released: dt.date | None = attrs.field(default=None, validator=optional_day)
    parameters: float | None = attrs.field(
        default=None, converter=optional_number, validator=positive
    )
    active_parameters: float | None = attrs.field(
        default=None, converter=optional_number, validator=positive
    )
    training_flop: float | None = attrs.field(
        default=None, converter=optional_number, validator=positive
    )
    training_flop_confidence: Confidence | None = attrs.field(default=None, converter=_confidence)
    training_chip: str | None = None
    training_chip_count: int | None = attrs.field(default=None, validator=count)
    open_weights: bool | None = attrs.field(default=None, validator=optional_boolean)
    jurisdictions: frozenset[str] = attrs.field(
        default=frozenset(), converter=strings, validator=state_codes
    )
    estimates: frozenset[str] = attrs.field(default=frozenset(), converter=strings)
    sources: tuple[str, ...] = source_field

    def __attrs_post_init__(self) -> None:
        _check_estimates(self)


@frozen
class Material:
    """A critical input (gallium, a rare-earth group, HBM...): an item of access requests.

    A memory component (``category`` ``"memory"``) may carry its ``bandwidth_gbs`` (GB/s of
    one package or stack) and ``package_area_mm2`` (the package or stack footprint);
    ``memory_bandwidth_density`` is derived from them, as ECCN 3A090.c defines it.
    """

    kind: ClassVar[str] = "material"

    id: str = attrs.field(validator=slug)
    name: str
    category: str
    bandwidth_gbs: float | None = attrs.field(
        default=None, converter=optional_number, validator=positive
    )
    package_area_mm2: float | None = attrs.field(
        default=None, converter=optional_number, validator=positive
    )
    jurisdictions: frozenset[str] = attrs.field(
        default=frozenset(), converter=strings, validator=state_codes
    )
    sources: tuple[str, ...] = source_field

    @property
    def memory_bandwidth_density(self) -> float | None:
        """GB/s per mm² of package area; ``None`` when either figure is unknown."""
        if self.bandwidth_gbs is None or self.package_area_mm2 is None:
            return None
        return self.bandwidth_gbs / self.package_area_mm2


class EquipmentKind(enum.StrEnum):
    """What a semiconductor manufacturing tool does, in the segments the controls and the supply
    data name (``etch`` is dry etch; wet etching is ``wet_etch_clean``)."""

    EUV_LITHOGRAPHY = "euv_lithography"
    DUV_IMMERSION_LITHOGRAPHY = "duv_immersion_lithography"
    DUV_DRY_LITHOGRAPHY = "duv_dry_lithography"
    ETCH = "etch"
    DEPOSITION = "deposition"
    METROLOGY_INSPECTION = "metrology_inspection"
    ION_IMPLANT = "ion_implant"
    CMP = "cmp"
    WET_ETCH_CLEAN = "wet_etch_clean"
    RESIST_PROCESSING = "resist_processing"


def _equipment_kind(value: EquipmentKind | str) -> EquipmentKind:
    return member(EquipmentKind, value, "Equipment.equipment_kind")


@frozen
class Equipment:
    """A semiconductor manufacturing tool, or a segment of such tools (``producer`` ``None``:
    every maker's tools of one kind, as supply shares measure them). Specs the rules read are
    ``None`` when not published; ``overlay_nm`` is the dedicated-chuck overlay."""

    kind: ClassVar[str] = "equipment"

    id: str = attrs.field(validator=slug)
    name: str
    equipment_kind: EquipmentKind = attrs.field(converter=_equipment_kind)
    producer: str | None = None
    released: dt.date | None = attrs.field(default=None, validator=optional_day)
    wavelength_nm: float | None = attrs.field(
        default=None, converter=optional_number, validator=positive
    )
    overlay_nm: float | None = attrs.field(
        default=None, converter=optional_number, validator=positive
    )
    jurisdictions: frozenset[str] = attrs.field(
        default=frozenset(), converter=strings, validator=state_codes
    )
    estimates: frozenset[str] = attrs.field(default=frozenset(), converter=strings)
    sources: tuple[str, ...] = source_field

    def __attrs_post_init__(self) -> None:
        _check_estimates(self)


#: Anything an access request can ask for. Item criteria dispatch on ``kind``.
Item = Chip | Model | Material | Equipment
