"""How document problems are worded: ``path: what was wrong``, with paths that exist in the
document (``chips[3].die_area_mm2``), ``$`` for the document itself.

Field paths come from cattrs' detailed validation (``cattrs.transform_error``); the wording
from ``describe``, which knows geotech's own errors and cattrs' exception types.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from collections.abc import Mapping
from typing import Any

import attrs
import cattrs
from cattrs.errors import ForbiddenExtraKeysError

from geotech.criteria import MAX_CRITERION_DEPTH
from geotech.entities import Company
from geotech.errors import GeotechError

#: Deepest nesting of lists and tables a document may have (criteria nest two levels each).
MAX_DOCUMENT_DEPTH = 2 * MAX_CRITERION_DEPTH + 8

#: The longest integer, in digits, that Python reads or writes as text (``sys.int_info``).
MAX_INT_DIGITS = sys.int_info.default_max_str_digits


MISSING = "missing required key"


class MismatchError(ValueError):
    """A value of the wrong type or form; the message says what was expected."""


def shown(value: object) -> str:
    """A short rendering of an offending value: strings quoted, data as JSON, cut at 60."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**60:
        text = f"an integer of about {_digits(value)} digits"
    else:
        try:
            text = json.dumps(value, default=_leaf)
        except (ValueError, RecursionError):
            text = f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


def _digits(value: int) -> int:
    return int(abs(value).bit_length() * math.log10(2)) + 1


def _leaf(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return f"a {type(value).__name__}"


def expected(kind: str, value: object) -> MismatchError:
    """``expected <kind>, got <value>``."""
    return MismatchError(f"expected {kind}, got {shown(value)}")


def describe(exc: BaseException, _: object = None) -> str:
    """The wording of one problem (a ``format_exception`` for ``cattrs.transform_error``)."""
    if isinstance(exc, MismatchError | GeotechError):
        return str(exc)
    if isinstance(exc, ForbiddenExtraKeysError):
        keys = ", ".join(repr(k) for k in sorted(exc.extra_fields, key=repr))
        allowed = ", ".join(a.name for a in attrs.fields(exc.cl) if a.init)
        if exc.cl is Company and "parent" in exc.extra_fields:
            return (
                "unknown key 'parent': a company lists its owners' stakes; write owners = "
                '[{ owner = "<company id>", percent = <0-100> }] (a parent holds more than 50)'
            )
        return f"unknown key {keys}; allowed keys are {allowed}"
    if isinstance(exc, KeyError):
        return f"{MISSING} {exc.args[0]!r}"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return f"invalid value ({type(exc).__name__}: {exc})"


def messages(exc: BaseException) -> list[str]:
    """Every problem of a failed structuring, as ``path: message``."""
    out = []
    for line in cattrs.transform_error(exc, path="$", format_exception=describe):
        # transform_error writes ``message @ path``; a path holds no " @ ".
        message, _, path = line.rpartition(" @ ")
        if message.startswith(MISSING):
            # The path of a missing key is not in the document: name the table lacking it.
            path = path[: path.rfind(".")] if "." in path else path
        else:
            path, message = _on_field(path, message)
        out.append(f"{path.removeprefix('$.') or '$'}: {message}")
    return out


def _on_field(path: str, message: str) -> tuple[str, str]:
    """A record's own check worded ``Record.field: what`` is located at that field."""
    head, sep, rest = message.partition(": ")
    record, dot, field = head.partition(".")
    if sep and dot and record[:1].isupper() and record.isidentifier() and field.isidentifier():
        return f"{path}.{field}", rest
    return path, message


def prefix(key: str, problem: str) -> str:
    """A problem found inside ``key`` located from the outside: ``$: x`` -> ``key: x``,
    ``[2].a: x`` -> ``key[2].a: x``, ``a: x`` -> ``key.a: x``."""
    if problem.startswith("$"):
        return key + problem[1:]
    return f"{key}{problem}" if problem.startswith("[") else f"{key}.{problem}"


def data_problems(data: Any) -> list[str]:
    """Problems of plain data before it is structured: nesting deeper than
    ``MAX_DOCUMENT_DEPTH``, and values that no JSON or TOML document holds (sets, objects)."""
    problems: list[str] = []
    stack: list[tuple[Any, int, str]] = [(data, 0, "$")]
    while stack:
        node, depth, path = stack.pop()
        if depth > MAX_DOCUMENT_DEPTH:
            return [
                f"{path}: nested deeper than {MAX_DOCUMENT_DEPTH} levels (criteria may "
                f"nest {MAX_CRITERION_DEPTH} deep); flatten it"
            ]
        if isinstance(node, Mapping):
            stack.extend((v, depth + 1, _step(path, k)) for k, v in node.items())
        elif isinstance(node, list | tuple):
            stack.extend((v, depth + 1, f"{path}[{i}]") for i, v in enumerate(node))
        elif not isinstance(node, str | int | float | dt.date | dt.time | None):
            problems.append(
                f"{path}: expected document data (tables, lists, strings, numbers, booleans, "
                f"dates), got a {type(node).__name__}"
            )
    return sorted(problems)


def _step(path: str, key: object) -> str:
    name = key if isinstance(key, str) else repr(key)
    return name if path == "$" else f"{path}.{name}"
