"""The actors and items of the world: states, groups, companies, chips, models, materials,
equipment, lists.

Every record is an immutable attrs value. Collections are tuples kept in a canonical order (so
two records with the same content are equal whatever order they were written in) or
frozensets. Unknown facts are ``None``, never zero; derived facts (TPP, performance density,
H100-equivalents) are computed from the specs, never stored.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable
from fractions import Fraction
from typing import Any, ClassVar, TypeVar

import attrs
from attrs import frozen

from geotech.errors import InvalidValueError

T = TypeVar("T")

# matched with fullmatch: "$" alone would accept a trailing newline
_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")
_STATE = re.compile(r"[A-Z]{2}")

#: Dense 8-bit TOPS of the Nvidia H100 SXM, the unit of ``h100_equivalents``.
H100_DENSE_8BIT_TOPS = 1979.0


def _fail(instance: object, attribute: attrs.Attribute[Any], message: str) -> None:
    raise InvalidValueError(f"{type(instance).__name__}.{attribute.name}: {message}")


def slug(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Validate a record id: a lowercase slug such as ``nvidia-h200``."""
    if not isinstance(value, str) or not _SLUG.fullmatch(value):
        _fail(
            instance,
            attribute,
            f"expected a lowercase slug (letters, digits, '.', '-', '_'), got {value!r}",
        )


def is_state_code(value: object) -> bool:
    """Whether ``value`` is an ISO 3166 alpha-2 code such as ``CN`` (nothing before or after)."""
    return isinstance(value, str) and _STATE.fullmatch(value) is not None


def state_code(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """Validate an ISO 3166 alpha-2 code such as ``CN``."""
    if value is not None and not is_state_code(value):
        _fail(instance, attribute, f"expected an ISO 3166 alpha-2 code like 'CN', got {value!r}")


def state_codes(instance: object, attribute: attrs.Attribute[Any], value: frozenset[str]) -> None:
    for code in value:
        state_code(instance, attribute, code)


def day(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a date: a ``datetime.date`` that is not a ``datetime`` (no time of day)."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        _fail(instance, attribute, f"expected a date such as 2026-01-15 (no time), got {value!r}")


def optional_day(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate an optional date (``None`` is an open bound or an unknown date)."""
    if value is not None:
        day(instance, attribute, value)


def positive(instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    """Validate an optional measured quantity: ``None`` (unknown) or a finite number > 0."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        _fail(instance, attribute, f"expected a number, got {value!r}")
    if not value > 0 or value == float("inf"):
        _fail(
            instance,
            attribute,
            f"must be a finite number > 0 (or omitted if unknown), got {value!r}",
        )


def number(value: Any) -> Any:
    """Store whole numbers given for float fields as floats (so dumps are byte-stable);
    leave anything else for the validator to reject."""
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def optional_number(value: Any) -> Any:
    return None if value is None else number(value)


E = TypeVar("E", bound=enum.Enum)


def member(cls: type[E], value: object, where: str) -> E:
    """``value`` as a member of enum ``cls`` (by value), or an error naming ``where``."""
    if isinstance(value, cls):
        return value
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in cls)
        raise InvalidValueError(f"{where}: expected one of {allowed}, got {value!r}") from None


def strings(values: Iterable[str]) -> frozenset[str]:
    """Converter: a set of strings; a lone string is one element, not its characters."""
    return frozenset((values,)) if isinstance(values, str) else frozenset(values)


def boolean(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a required true/false field."""
    if not isinstance(value, bool):
        _fail(instance, attribute, f"expected true or false, got {value!r}")


def optional_boolean(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a true/false field that may be unknown (``None``)."""
    if value is not None:
        boolean(instance, attribute, value)


def count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate an optional whole number >= 1."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        _fail(instance, attribute, f"expected a whole number >= 1, got {value!r}")


def fraction(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a fraction (a share, a rate, a probability) between 0 and 1 inclusive."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        _fail(instance, attribute, f"expected a fraction between 0 and 1, got {value!r}")


def by_id(records: Iterable[Any]) -> tuple[Any, ...]:
    """Converter: store records as a tuple sorted by their ``id`` (canonical order)."""
    return tuple(sorted(records, key=lambda r: r.id))


def period_contains(start: dt.date | None, end: dt.date | None, on: dt.date) -> bool:
    """Whether ``on`` lies in the half-open period [start, end); ``None`` bounds are open."""
    return (start is None or start <= on) and (end is None or on < end)


def check_period(instance: object, start: dt.date | None, end: dt.date | None) -> None:
    if start is not None and end is not None and end <= start:
        key = getattr(instance, "id", None)
        who = type(instance).__name__ + (f" {key!r}" if key else "")
        raise InvalidValueError(
            f"{who}: end {end.isoformat()} must be after start {start.isoformat()} "
            "(periods are [start, end))"
        )


def _sources(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for url in value:
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            _fail(instance, attribute, f"sources must be http(s) URLs, got {url!r}")


def _tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


source_field: Any = attrs.field(default=(), converter=_tuple, validator=_sources)


class Status(enum.StrEnum):
    """Whether a record rests on an official text or only on reporting."""

    OFFICIAL = "official"
    REPORTED = "reported"


def status(value: Status | str) -> Status:
    """Converter for ``status`` fields."""
    return member(Status, value, "status")


class Role(enum.StrEnum):
    """What a company does in the technology supply chain."""

    CHIP_DESIGNER = "chip_designer"
    FOUNDRY = "foundry"
    MEMORY = "memory"
    EQUIPMENT = "equipment"
    CLOUD = "cloud"
    AI_LAB = "ai_lab"
    PLATFORM = "platform"
    DISTRIBUTOR = "distributor"
    MATERIALS = "materials"
    GOVERNMENT = "government"


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


@frozen
class State:
    """A sovereign actor, identified by its ISO 3166 alpha-2 code."""

    id: str = attrs.field(validator=state_code)
    name: str
    sources: tuple[str, ...] = source_field


@frozen
class Membership:
    """A state's membership of a group during [start, end); open bounds are ``None``."""

    state: str = attrs.field(validator=state_code)
    start: dt.date | None = attrs.field(default=None, validator=optional_day)
    end: dt.date | None = attrs.field(default=None, validator=optional_day)

    def __attrs_post_init__(self) -> None:
        check_period(self, self.start, self.end)

    def active(self, on: dt.date) -> bool:
        return period_contains(self.start, self.end, on)


def _memberships(values: Iterable[Membership]) -> tuple[Membership, ...]:
    return tuple(sorted(values, key=lambda m: (m.state, m.start or dt.date.min)))


@frozen
class CountryGroup:
    """An issuer-defined set of states (e.g. US EAR Country Group D:5) with dated membership."""

    id: str = attrs.field(validator=slug)
    issuer: str = attrs.field(validator=state_code)
    code: str
    name: str
    members: tuple[Membership, ...] = attrs.field(default=(), converter=_memberships)
    sources: tuple[str, ...] = source_field

    def contains(self, state: str, on: dt.date) -> bool:
        """Whether ``state`` belongs to the group on ``on``."""
        return any(m.state == state and m.active(on) for m in self.members)

    def states_on(self, on: dt.date) -> frozenset[str]:
        return frozenset(m.state for m in self.members if m.active(on))


def _roles(values: Iterable[Role | str]) -> frozenset[Role]:
    return frozenset(member(Role, v, "Company.roles") for v in values)


def _percent(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
        _fail(instance, attribute, f"expected a percentage > 0 and <= 100, got {value!r}")


def exact_percent(value: float) -> Fraction:
    """A percentage as the exact decimal it was written as (``33.3`` is 333/10, not the
    nearest binary float), so sums of stakes compare exactly with thresholds."""
    return Fraction(repr(value))


@frozen
class Stake:
    """An owner's share of a company's equity, in percent (0 < percent <= 100); ``status``
    says whether the percentage is published (the company's sources cite it) or only
    reported."""

    owner: str = attrs.field(validator=slug)
    percent: float = attrs.field(converter=number, validator=_percent)
    status: Status = attrs.field(default=Status.OFFICIAL, converter=status)


def _stakes(values: Iterable[Stake]) -> tuple[Stake, ...]:
    return tuple(sorted(values, key=lambda x: x.owner))


def _check_owners(instance: Any, attribute: attrs.Attribute[Any], value: tuple[Stake, ...]) -> None:
    where = f"Company[{instance.id}].owners"
    seen: set[str] = set()
    for stake in value:
        if stake.owner == instance.id:
            raise InvalidValueError(f"{where}[{stake.owner}]: a company cannot own itself")
        if stake.owner in seen:
            raise InvalidValueError(
                f"{where}[{stake.owner}]: the owner appears twice; give one stake per owner"
            )
        seen.add(stake.owner)
    total = sum((exact_percent(x.percent) for x in value), Fraction(0))
    if total > 100:
        raise InvalidValueError(
            f"{where}: the stakes add up to {float(total):g} %, more than 100 %; "
            "correct the percentages"
        )


@frozen
class Company:
    """A company and its owners' stakes. Its ``parent`` is the owner holding a majority
    (more than 50 %); the ultimate parent, the top of that chain, decides "headquartered
    in" rules. Minority stakes count only in aggregate tests (the affiliates rule)."""

    id: str = attrs.field(validator=slug)
    name: str
    hq: str = attrs.field(validator=state_code)
    owners: tuple[Stake, ...] = attrs.field(default=(), converter=_stakes, validator=_check_owners)
    roles: frozenset[Role] = attrs.field(default=frozenset(), converter=_roles)
    sources: tuple[str, ...] = source_field

    @property
    def parent(self) -> str | None:
        """The majority owner (more than 50 %), if any: stakes add up to at most 100 %, so
        there is at most one."""
        return next((x.owner for x in self.owners if x.percent > 50), None)


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
    ``jurisdictions`` lists the states whose export controls reach the chip; empty means the
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
    """A critical input (gallium, a rare-earth group, HBM...): an item of access requests."""

    kind: ClassVar[str] = "material"

    id: str = attrs.field(validator=slug)
    name: str
    category: str
    jurisdictions: frozenset[str] = attrs.field(
        default=frozenset(), converter=strings, validator=state_codes
    )
    sources: tuple[str, ...] = source_field


class EquipmentKind(enum.StrEnum):
    """What a semiconductor manufacturing tool does, in the segments the controls name."""

    EUV_LITHOGRAPHY = "euv_lithography"
    DUV_IMMERSION_LITHOGRAPHY = "duv_immersion_lithography"
    DUV_DRY_LITHOGRAPHY = "duv_dry_lithography"
    ETCH = "etch"
    DEPOSITION = "deposition"
    METROLOGY_INSPECTION = "metrology_inspection"


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


@frozen
class Listing:
    """A company's presence on a party list during [start, end)."""

    company: str
    start: dt.date = attrs.field(validator=day)
    end: dt.date | None = attrs.field(default=None, validator=optional_day)
    citation: str = ""
    status: Status = attrs.field(default=Status.OFFICIAL, converter=status)
    sources: tuple[str, ...] = source_field

    def __attrs_post_init__(self) -> None:
        check_period(self, self.start, self.end)

    def active(self, on: dt.date) -> bool:
        return period_contains(self.start, self.end, on)


def _listings(values: Iterable[Listing]) -> tuple[Listing, ...]:
    return tuple(sorted(values, key=lambda x: (x.company, x.start)))


@frozen
class PartyList:
    """A restricted-party list (US Entity List, DoD 1260H list...) with dated listings."""

    id: str = attrs.field(validator=slug)
    issuer: str = attrs.field(validator=state_code)
    name: str
    listings: tuple[Listing, ...] = attrs.field(default=(), converter=_listings)
    sources: tuple[str, ...] = source_field

    def listed(self, company: str, on: dt.date) -> bool:
        """Whether ``company`` itself is on the list on ``on``."""
        return any(x.company == company and x.active(on) for x in self.listings)


class Stage(enum.StrEnum):
    """A stage of a material's supply chain."""

    MINING = "mining"
    REFINING = "refining"
    MAGNETS = "magnets"
    MANUFACTURING = "manufacturing"


def _stage(value: Stage | str) -> Stage:
    return member(Stage, value, "SupplyShare.stage")


@frozen
class SupplyShare:
    """A state's share of world supply of a material at one stage, as measured on ``as_of``."""

    material: str
    stage: Stage = attrs.field(converter=_stage)
    state: str = attrs.field(validator=state_code)
    share: float = attrs.field(converter=number, validator=fraction)
    as_of: dt.date = attrs.field(validator=day)
    estimated: bool = attrs.field(default=False, validator=boolean)
    sources: tuple[str, ...] = source_field


@frozen
class Dependency:
    """An item's production needs a material; ``assumption`` when not sourced for this item."""

    item: str
    material: str
    assumption: bool = attrs.field(default=False, validator=boolean)
    sources: tuple[str, ...] = source_field
