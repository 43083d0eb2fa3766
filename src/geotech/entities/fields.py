"""Validators, converters and periods shared by every record, and the ``Status`` of a
record (official or reported)."""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable
from typing import Any, TypeVar

import attrs

from geotech.errors import InvalidValueError

__all__ = [
    "Status",
    "as_tuple",
    "boolean",
    "by_id",
    "check_period",
    "check_sources",
    "count",
    "day",
    "fail",
    "fraction",
    "is_state_code",
    "member",
    "number",
    "optional_boolean",
    "optional_day",
    "optional_number",
    "period_contains",
    "positive",
    "slug",
    "source_field",
    "state_code",
    "state_codes",
    "status",
    "strings",
]

# matched with fullmatch: "$" alone would accept a trailing newline
_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")
_STATE = re.compile(r"[A-Z]{2}")


def fail(instance: object, attribute: attrs.Attribute[Any], message: str) -> None:
    """Raise ``InvalidValueError`` naming the record type and field."""
    raise InvalidValueError(f"{type(instance).__name__}.{attribute.name}: {message}")


def slug(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Validate a record id: a lowercase slug such as ``nvidia-h200``."""
    if not isinstance(value, str) or not _SLUG.fullmatch(value):
        fail(
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
        fail(instance, attribute, f"expected an ISO 3166 alpha-2 code like 'CN', got {value!r}")


def state_codes(instance: object, attribute: attrs.Attribute[Any], value: frozenset[str]) -> None:
    for code in value:
        state_code(instance, attribute, code)


def day(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a date: a ``datetime.date`` that is not a ``datetime`` (no time of day)."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        fail(instance, attribute, f"expected a date such as 2026-01-15 (no time), got {value!r}")


def optional_day(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate an optional date (``None`` is an open bound or an unknown date)."""
    if value is not None:
        day(instance, attribute, value)


def positive(instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    """Validate an optional measured quantity: ``None`` (unknown) or a finite number > 0."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        fail(instance, attribute, f"expected a number, got {value!r}")
    if not value > 0 or value == float("inf"):
        fail(
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
        fail(instance, attribute, f"expected true or false, got {value!r}")


def optional_boolean(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a true/false field that may be unknown (``None``)."""
    if value is not None:
        boolean(instance, attribute, value)


def count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate an optional whole number >= 1."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        fail(instance, attribute, f"expected a whole number >= 1, got {value!r}")


def fraction(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a fraction (a share, a rate, a probability) between 0 and 1 inclusive."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        fail(instance, attribute, f"expected a fraction between 0 and 1, got {value!r}")


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


def check_sources(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]
) -> None:
    for url in value:
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            fail(instance, attribute, f"sources must be http(s) URLs, got {url!r}")


def as_tuple(values: Iterable[str]) -> tuple[str, ...]:
    """Converter: a tuple of the values, in their order."""
    return tuple(values)


source_field: Any = attrs.field(default=(), converter=as_tuple, validator=check_sources)


class Status(enum.StrEnum):
    """Whether a record rests on an official text or only on reporting."""

    OFFICIAL = "official"
    REPORTED = "reported"


def status(value: Status | str) -> Status:
    """Converter for ``status`` fields."""
    return member(Status, value, "status")
