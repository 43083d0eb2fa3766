"""Document text: reading TOML and JSON strictly, and writing them byte-stably.

Reading refuses what the standard parsers let through or crash on: duplicate JSON keys,
integers longer than ``MAX_INT_DIGITS`` digits, nesting too deep to parse, and text that is
not a ``str``; each ends in a ``DocumentError``. Writing raises ``GeotechError`` for a value
it cannot write (an integer too long, an object that is not data).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Mapping
from typing import Any, Literal, get_args

from geotech.errors import DocumentError, GeotechError
from geotech.io.problems import MAX_INT_DIGITS

Format = Literal["toml", "json"]
#: The document formats, by the name ``loads_world`` and ``dumps_world`` take.
FORMATS: tuple[Format, ...] = get_args(Format)


def check_format(format: object) -> Format:
    """``format`` if it names a document format, else a ``GeotechError`` naming them."""
    for known in FORMATS:
        if format == known:
            return known
    raise GeotechError(f"unknown document format {format!r}; use one of {', '.join(FORMATS)}")


def parse(text: object, format: Format, source: str | None = None) -> Any:
    """The plain data of a TOML or JSON text."""
    if not isinstance(text, str):
        raise DocumentError(
            [f"$: expected the document as text (str), got {type(text).__name__}; decode it first"],
            source,
        )
    try:
        if format == "toml":
            return tomllib.loads(text)
        return json.loads(text, object_pairs_hook=_unique_keys)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError([f"$: not valid {format.upper()}: {exc}"], source) from None
    except _DuplicateKeyError as exc:
        raise DocumentError([f"$: not valid JSON: {exc}"], source) from None
    except RecursionError:
        raise DocumentError(["$: nested too deeply to parse"], source) from None
    except ValueError:
        # The standard parsers' refusal of very long integers (CVE-2020-10735).
        raise DocumentError(
            [f"$: a number is longer than {MAX_INT_DIGITS:,} digits; no geotech figure is"],
            source,
        ) from None


class _DuplicateKeyError(ValueError):
    """A JSON object names a key twice (the standard parser keeps the last silently)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(f"key {key!r} appears twice in one object; keep one")
        out[key] = value
    return out


# ---------------------------------------------------------------------------------------------
# Writers


def dumps_json(data: Any) -> str:
    """JSON text with dates as ISO strings, two-space indent, a final newline."""
    try:
        return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    except ValueError as exc:
        raise GeotechError(f"cannot write JSON: {_why(exc)}") from None
    except RecursionError:
        raise GeotechError("cannot write JSON: the data is nested too deeply") from None


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise GeotechError(f"cannot write a {type(value).__name__} as JSON; give plain data")


def _why(exc: ValueError) -> str:
    if "digits" in str(exc):
        return f"an integer is longer than {MAX_INT_DIGITS:,} digits; no geotech figure is"
    return f"{exc}; give finite numbers and data without cycles"


_BARE = re.compile(r"[A-Za-z0-9_-]+")


def dumps_toml(doc: Mapping[str, Any]) -> str:
    """TOML text for a document of scalars and arrays of tables (what worlds are made of)."""
    lines: list[str] = []
    try:
        for key, value in doc.items():
            if not _is_table_array(value):
                lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
        for key, value in doc.items():
            if _is_table_array(value):
                for record in value:
                    lines.append("")
                    lines.append(f"[[{_toml_key(key)}]]")
                    lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in record.items()]
    except ValueError as exc:
        raise GeotechError(f"cannot write TOML: {_why(exc)}") from None
    except RecursionError:
        raise GeotechError("cannot write TOML: the data is nested too deeply") from None
    return "\n".join(lines) + "\n"


def _is_table_array(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _toml_key(key: str) -> str:
    return key if _BARE.fullmatch(key) else _toml_string(key)


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    raise GeotechError(f"cannot write a {type(value).__name__} as TOML; give plain data")
