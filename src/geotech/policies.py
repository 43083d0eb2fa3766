"""Rules as data: control classes, export and import policies, their effects and conditions.

A policy says which requests it covers (a criterion), what it does to them (an effect, with a
license review policy when a license is required), on what conditions, from when to when, and
which other policies it sets aside (``supersedes``). Every policy carries its citation and
source URLs; measures known only from reporting are marked ``Status.REPORTED``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import ClassVar

import attrs
from attrs import frozen

from geotech.criteria import Criterion
from geotech.entities import (
    Status,
    check_period,
    day,
    fraction,
    member,
    number,
    optional_day,
    optional_number,
    period_contains,
    slug,
    source_field,
    state_code,
    status,
    strings,
)
from geotech.errors import InvalidValueError


class Verdict(enum.IntEnum):
    """How restrictive an outcome is, ordered from least to most restrictive (all truthy)."""

    ALLOWED = 1
    CONDITIONAL = 2
    DISCOURAGED = 3
    LICENSE_REQUIRED = 4
    PROHIBITED = 5


class ReviewPolicy(enum.IntEnum):
    """How a license application is reviewed, ordered from most to least favourable."""

    PRESUMPTION_OF_APPROVAL = 1
    CASE_BY_CASE = 2
    PRESUMPTION_OF_DENIAL = 3


class Restriction(enum.IntEnum):
    """An outcome's place in the total order of restrictiveness: the verdict, and for a
    license requirement its review policy (denial most restrictive).

    Ordered and hashable like an int; ``str`` gives ``LICENSE_REQUIRED (case-by-case)``.
    """

    ALLOWED = 1
    CONDITIONAL = 2
    DISCOURAGED = 3
    LICENSE_APPROVAL = 4
    LICENSE_CASE_BY_CASE = 5
    LICENSE_DENIAL = 6
    PROHIBITED = 7

    @staticmethod
    def of(verdict: Verdict, review: ReviewPolicy | None) -> Restriction:
        """The restriction of a verdict and review; a license requirement needs a review."""
        if verdict is Verdict.LICENSE_REQUIRED:
            if review is None:
                raise InvalidValueError("a license requirement needs a review policy")
            return Restriction(Restriction.LICENSE_APPROVAL + review - 1)
        return Restriction(verdict if verdict < Verdict.LICENSE_REQUIRED else verdict + 2)

    @property
    def verdict(self) -> Verdict:
        if self < Restriction.LICENSE_APPROVAL:
            return Verdict(self.value)
        if self > Restriction.LICENSE_DENIAL:
            return Verdict.PROHIBITED
        return Verdict.LICENSE_REQUIRED

    @property
    def review(self) -> ReviewPolicy | None:
        """The review policy of a license requirement, else None."""
        if self.verdict is Verdict.LICENSE_REQUIRED:
            return ReviewPolicy(self - Restriction.LICENSE_APPROVAL + 1)
        return None

    def __str__(self) -> str:
        review = self.review
        if review is None:
            return self.verdict.name
        words = review.name.lower().replace("_", " ").replace("case by case", "case-by-case")
        return f"{self.verdict.name} ({words})"


class EffectKind(enum.StrEnum):
    """What a policy does to the requests it covers."""

    ALLOW = "allow"
    DISCOURAGE = "discourage"
    LICENSE_REQUIRED = "license_required"
    PROHIBIT = "prohibit"


class Side(enum.StrEnum):
    """Which state's rules a policy is: the exporting side's or the importing side's."""

    EXPORT = "export"
    IMPORT = "import"


@frozen
class Tariff:
    """An ad valorem duty on the item, as a fraction (0.25 is 25 %)."""

    tag: ClassVar[str] = "tariff"
    rate: float = attrs.field(converter=number, validator=fraction)
    detail: str = ""

    def __str__(self) -> str:
        return f"tariff {self.rate:.0%}" + (f" ({self.detail})" if self.detail else "")


@frozen
class RevenueShare:
    """A share of sales revenue paid to a government, as a fraction."""

    tag: ClassVar[str] = "revenue_share"
    rate: float = attrs.field(converter=number, validator=fraction)
    beneficiary: str | None = attrs.field(default=None, validator=state_code)

    def __str__(self) -> str:
        to = f" to {self.beneficiary}" if self.beneficiary else ""
        return f"revenue share {self.rate:.0%}{to}"


@frozen
class VolumeCap:
    """A cap on quantity: absolute ``units``, or a ``fraction`` of a ``reference`` volume."""

    tag: ClassVar[str] = "volume_cap"
    units: int | None = None
    fraction: float | None = attrs.field(
        default=None, converter=optional_number, validator=attrs.validators.optional(fraction)
    )
    reference: str = ""

    def __attrs_post_init__(self) -> None:
        if (self.units is None) == (self.fraction is None):
            raise InvalidValueError(
                "VolumeCap: give exactly one of units (a number of items) or fraction (of a "
                "reference volume)"
            )
        if self.units is not None and (
            isinstance(self.units, bool) or not isinstance(self.units, int) or self.units < 0
        ):
            raise InvalidValueError(f"VolumeCap.units: expected a count >= 0, got {self.units!r}")

    def __str__(self) -> str:
        if self.units is not None:
            amount = f"{self.units:,} units"
        else:
            assert self.fraction is not None
            amount = f"{self.fraction:.0%}"
        return f"volume cap {amount}" + (f" of {self.reference}" if self.reference else "")


class RequirementKind(enum.StrEnum):
    """A non-monetary condition of access."""

    KYC = "kyc"
    THIRD_PARTY_TESTING = "third_party_testing"
    SUPPLY_CERTIFICATION = "supply_certification"
    NOTIFICATION = "notification"
    END_USE_LIMIT = "end_use_limit"
    DOMESTIC_PURCHASE_RATIO = "domestic_purchase_ratio"
    REMOTE_ACCESS_CONTROL = "remote_access_control"
    NEED_JUSTIFICATION = "need_justification"
    OTHER = "other"


def _requirement_kind(value: RequirementKind | str) -> RequirementKind:
    return member(RequirementKind, value, "Requirement.kind")


@frozen
class Requirement:
    """A non-monetary condition: KYC, third-party testing, end-use limits and the like."""

    tag: ClassVar[str] = "requirement"
    kind: RequirementKind = attrs.field(converter=_requirement_kind)
    detail: str = ""

    def __str__(self) -> str:
        return str(self.kind).replace("_", " ") + (f": {self.detail}" if self.detail else "")


Condition = Tariff | RevenueShare | VolumeCap | Requirement

#: Every condition type, by its serialization tag.
CONDITIONS: dict[str, type[Condition]] = {
    c.tag: c for c in (Tariff, RevenueShare, VolumeCap, Requirement)
}


def condition_key(condition: Condition) -> tuple[str, str]:
    """Canonical order of conditions: by type tag, then by their text."""
    return (condition.tag, repr(condition))


def _conditions(values: Iterable[Condition]) -> tuple[Condition, ...]:
    return tuple(sorted(set(values), key=condition_key))


def _period(self: ControlClass | Policy) -> None:
    check_period(self, self.effective, self.expires)


def _effect(value: EffectKind | str) -> EffectKind:
    return member(EffectKind, value, "Policy.effect")


def _optional_review(value: ReviewPolicy | str | None) -> ReviewPolicy | None:
    return None if value is None else _review(value)


def _review(value: ReviewPolicy | str) -> ReviewPolicy:
    if isinstance(value, ReviewPolicy):
        return value
    try:
        return ReviewPolicy[str(value).upper()]
    except KeyError:
        names = ", ".join(m.name.lower() for m in ReviewPolicy)
        raise InvalidValueError(f"Policy.review: expected one of {names}, got {value!r}") from None


@frozen
class ControlClass:
    """A dated definition of an issuer's item category, e.g. US ECCN ``3A090.a`` from 2023.

    Two definitions of one code are two records with distinct ids and non-overlapping periods.
    """

    id: str = attrs.field(validator=slug)
    issuer: str = attrs.field(validator=state_code)
    code: str
    title: str
    criterion: Criterion
    effective: dt.date = attrs.field(validator=day)
    expires: dt.date | None = attrs.field(default=None, validator=optional_day)
    citation: str = ""
    sources: tuple[str, ...] = source_field

    def __attrs_post_init__(self) -> None:
        _period(self)

    def in_force(self, on: dt.date) -> bool:
        return period_contains(self.effective, self.expires, on)


@frozen
class Policy:
    """Fields shared by export and import policies; see ``ExportPolicy`` and ``ImportPolicy``.

    The policy is in force on [effective, expires). ``review`` is required exactly when the
    effect is ``LICENSE_REQUIRED``.
    """

    side: ClassVar[Side]

    id: str = attrs.field(validator=slug)
    issuer: str = attrs.field(validator=state_code)
    title: str
    criterion: Criterion
    effect: EffectKind = attrs.field(converter=_effect)
    effective: dt.date = attrs.field(validator=day)
    review: ReviewPolicy | None = attrs.field(default=None, converter=_optional_review)
    conditions: tuple[Condition, ...] = attrs.field(default=(), converter=_conditions)
    announced: dt.date | None = attrs.field(default=None, validator=optional_day)
    expires: dt.date | None = attrs.field(default=None, validator=optional_day)
    supersedes: frozenset[str] = attrs.field(default=frozenset(), converter=strings)
    status: Status = attrs.field(default=Status.OFFICIAL, converter=status)
    citation: str = ""
    sources: tuple[str, ...] = source_field

    def __attrs_post_init__(self) -> None:
        _period(self)
        if (self.effect is EffectKind.LICENSE_REQUIRED) != (self.review is not None):
            raise InvalidValueError(
                f"{type(self).__name__} {self.id!r}: review is required when effect is "
                f"license_required and not allowed otherwise (effect={self.effect}, "
                f"review={self.review.name.lower() if self.review is not None else None})"
            )
        if self.id in self.supersedes:
            raise InvalidValueError(f"{type(self).__name__} {self.id!r}: supersedes itself")

    def in_force(self, on: dt.date) -> bool:
        return period_contains(self.effective, self.expires, on)

    def cite(self) -> str:
        """The policy in one line: id, title, issuer and side, dates, citation, status when not
        official, and the first source."""
        when = f"effective {self.effective.isoformat()}"
        if self.expires is not None:
            when += f" until {self.expires.isoformat()}"
        parts = [f"{self.id}: {self.title}", f"{self.issuer} {self.side} policy", when]
        if self.citation:
            parts.append(self.citation)
        if self.status is not Status.OFFICIAL:
            parts.append(self.status.value)
        text = "; ".join(parts)
        return text + (f" <{self.sources[0]}>" if self.sources else "")

    @property
    def verdict(self) -> Verdict:
        """The verdict this policy forces when it matches."""
        if self.effect is EffectKind.ALLOW:
            return Verdict.CONDITIONAL if self.conditions else Verdict.ALLOWED
        return _EFFECT_VERDICT[self.effect]

    @property
    def restriction(self) -> Restriction:
        """How restrictive this policy is when it matches."""
        return Restriction.of(self.verdict, self.review)


_EFFECT_VERDICT = {
    EffectKind.DISCOURAGE: Verdict.DISCOURAGED,
    EffectKind.LICENSE_REQUIRED: Verdict.LICENSE_REQUIRED,
    EffectKind.PROHIBIT: Verdict.PROHIBITED,
}


@frozen
class ExportPolicy(Policy):
    """A rule on items leaving a state, or reached by its controls wherever they are."""

    side: ClassVar[Side] = Side.EXPORT
    tag: ClassVar[str] = "export"


@frozen
class ImportPolicy(Policy):
    """A rule of the importing state on items entering it (authorizations are allows)."""

    side: ClassVar[Side] = Side.IMPORT
    tag: ClassVar[str] = "import"


AnyPolicy = ExportPolicy | ImportPolicy
