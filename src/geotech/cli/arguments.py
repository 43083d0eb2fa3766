"""Argument types of the ``geotech`` command: each parses one command-line value or raises
``argparse.ArgumentTypeError`` with a message saying what was expected, with an example."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

from geotech import compute

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def date_arg(text: str) -> dt.date:
    """A YYYY-MM-DD day; an impossible day (2026-02-30) is named as such."""
    if not _ISO_DAY.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2026-02-01")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"{text} is not a calendar date ({exc}); give a day that exists, as YYYY-MM-DD"
        ) from None


def ids_arg(text: str) -> tuple[str, ...]:
    """Comma-separated ids: ``bytedance,alibaba``."""
    parts = tuple(p.strip() for p in text.split(","))
    if not all(parts):
        raise argparse.ArgumentTypeError(
            f"{text!r} has an empty entry; separate ids with single commas, e.g. a,b"
        )
    return parts


def states_arg(text: str) -> tuple[str, ...]:
    """Comma-separated state codes (ISO alpha-2, any case): ``TW,US,CN``."""
    return tuple(s.upper() for s in ids_arg(text))


def count_arg(text: str) -> int:
    """A whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def positive_arg(text: str) -> float:
    """A finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
    return value


def fraction_arg(text: str) -> float:
    """A number in (0, 1]."""
    value = positive_arg(text)
    if value > 1:
        raise argparse.ArgumentTypeError(f"expected a fraction in (0, 1], got {text!r}")
    return value


def picture_arg(text: str) -> Path:
    """A ``.png`` or ``.svg`` path in an existing directory."""
    path = Path(text)
    if path.suffix.lower() not in (".png", ".svg"):
        raise argparse.ArgumentTypeError(f"{text!r} must end in .png or .svg")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r}: directory {path.parent} does not exist")
    return path


def _split_route(text: str, what: str) -> tuple[str, tuple[str, ...] | None]:
    head, sep, route = text.partition("@")
    if not sep:
        return head, None
    try:
        return head, states_arg(route)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"{text!r}: the route after @ is empty; {what}") from None


def request_arg(text: str) -> tuple[str, str, tuple[str, ...] | None]:
    """``BUYER:ITEM`` or ``BUYER:ITEM@TW,US,CN``."""
    form = "use BUYER:ITEM or BUYER:ITEM@TW,US,CN"
    pair, route = _split_route(text, form)
    buyer, sep, item = pair.partition(":")
    if not (sep and buyer and item):
        raise argparse.ArgumentTypeError(f"{text!r}: {form}")
    return buyer, item, route


def order_arg(text: str) -> compute.Order:
    """``CHIP=COUNT`` or ``CHIP=COUNT@TW,US,CN``."""
    form = "use CHIP=COUNT or CHIP=COUNT@TW,US,CN, e.g. nvidia-h200=100000"
    pair, route = _split_route(text, form)
    chip, sep, count = pair.partition("=")
    if not (sep and chip):
        raise argparse.ArgumentTypeError(f"{text!r}: {form}")
    try:
        quantity = count_arg(count)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"{text!r}: the count must be >= 1; {form}") from None
    return compute.Order(chip=chip, quantity=quantity, route=route)


def via_arg(text: str) -> tuple[tuple[str, ...], ...]:
    """Candidate stops: ``US,SG,MY+SG`` is three candidates (via US; via SG; via MY then SG)."""
    return tuple(states_arg(entry.replace("+", ",")) for entry in ids_arg(text))
