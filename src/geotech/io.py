"""Load and dump worlds as TOML or JSON through one cattrs converter.

Guarantees: unknown keys are rejected; every problem in a document is reported at once, each
with its field path (``chips[3].die_area_mm2: expected a number, got 'big'``), in one
``DocumentError``; nothing is half-loaded (a World is returned whole or not at all); output is
byte-stable (records sorted by id, sets as sorted lists, defaults omitted), and
``load(dump(w)) == w``. Dumping writes to a temporary file first, so a failed dump never
leaves a half-written file behind.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
import os
import re
import tempfile
import tomllib
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from geotech import criteria, entities, policies
from geotech.criteria import Criterion
from geotech.entities import Chip, Precision, Throughput
from geotech.errors import DocumentError, GeotechError, WorldError
from geotech.policies import AnyPolicy, Condition, ReviewPolicy
from geotech.world import MAX_CRITERION_DEPTH, World

T = TypeVar("T")
Format = Literal["toml", "json"]

#: Version of the document format; documents carry it as ``schema_version``.
SCHEMA_VERSION = 1
#: Deepest nesting of lists and tables a document may have (criteria nest two levels each).
MAX_DOCUMENT_DEPTH = 2 * MAX_CRITERION_DEPTH + 8

_WORLD_KEYS = tuple(a.name for a in attrs.fields(World) if a.init)
_WORLD_TYPES = {k: v for k, v in typing.get_type_hints(World).items() if k in _WORLD_KEYS}


class _ProblemError(ValueError):
    """A value of the wrong type or form; the message says what was expected."""


def _got(value: object) -> str:
    text = json.dumps(value, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _expect(kind: str, value: object) -> _ProblemError:
    return _ProblemError(f"expected {kind}, got {_got(value)}")


# ---------------------------------------------------------------------------------------------
# Strict scalar hooks: no silent str(5) or float("3").


def _str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise _expect("a string", value)
    return value


def _float(value: object, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _expect("a number", value)
    if not math.isfinite(value):
        raise _expect("a finite number", value)
    return float(value)


def _int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _expect("a whole number", value)
    return value


def _bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise _expect("true or false", value)
    return value


def _date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _expect("a date without a time (YYYY-MM-DD)", value.isoformat())
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _expect("a date YYYY-MM-DD", value)


def _enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    names = [str(m.value) for m in cls]
    if isinstance(value, str) and value in names:
        return cls(value)
    raise _expect(f"one of {', '.join(names)}", value)


def _review(value: object, _: type) -> ReviewPolicy:
    names = [m.name.lower() for m in ReviewPolicy]
    if isinstance(value, str) and value in names:
        return ReviewPolicy[value.upper()]
    raise _expect(f"one of {', '.join(names)}", value)


def _list(value: object) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise _expect("a list", value)
    return list(value)


# ---------------------------------------------------------------------------------------------
# The converter


def _tagged(
    conv: cattrs.Converter, classes: Mapping[str, type[Any]], key: str, what: str
) -> tuple[Callable[[Any, Any], Any], Callable[[Any], dict[str, Any]]]:
    names = ", ".join(sorted(classes))

    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, Mapping):
            raise _expect(f"a table with {key!r}", value)
        tag = value.get(key)
        if not isinstance(tag, str) or tag not in classes:
            raise _ProblemError(f"{key} {_got(tag)} is not a known {what}; use one of {names}")
        rest = {k: v for k, v in value.items() if k != key}
        return conv.structure(rest, classes[tag])

    def unstructure(value: Any) -> dict[str, Any]:
        return {key: type(value).tag, **conv.unstructure(value, type(value))}

    return structure, unstructure


_ENUMS: tuple[type[enum.Enum], ...] = (
    Precision,
    entities.Role,
    entities.Status,
    entities.Confidence,
    entities.Stage,
    policies.EffectKind,
    policies.RequirementKind,
    policies.Side,
    policies.Verdict,
    criteria.Op,
    criteria.SpecName,
    criteria.Truth,
)


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(float, _float)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(bool, _bool)
    conv.register_structure_hook(dt.date, _date)
    conv.register_unstructure_hook(dt.date, lambda d: d)
    conv.register_structure_hook(ReviewPolicy, _review)
    conv.register_unstructure_hook(ReviewPolicy, lambda r: r.name.lower())
    # Each enum by its own class: a StrEnum must not fall to the str hook above.
    for enum_cls in _ENUMS:
        conv.register_structure_hook(enum_cls, _enum)
    for enum_cls in _ENUMS:
        conv.register_unstructure_hook(enum_cls, lambda e: e.value)
    conv.register_unstructure_hook_func(
        lambda t: t is frozenset or getattr(t, "__origin__", None) is frozenset,
        lambda s: sorted(conv.unstructure(x) for x in s),
    )

    def frozenset_hook(value: Any, t: Any) -> frozenset[Any]:
        (arg,) = t.__args__
        items = _list(value)
        return frozenset(conv.structure(x, arg) for x in items)

    conv.register_structure_hook_func(
        lambda t: getattr(t, "__origin__", None) is frozenset, frozenset_hook
    )

    def tuple_hook(value: Any, t: Any) -> tuple[Any, ...]:
        arg = t.__args__[0]
        out, errors = [], []
        for i, x in enumerate(_list(value)):
            try:
                out.append(conv.structure(x, arg))
            except Exception as exc:
                exc.__notes__ = [
                    *getattr(exc, "__notes__", []),
                    IterableValidationNote(f"Structuring index {i}", i, arg),
                ]
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"while structuring {t!r}", errors, t)
        return tuple(out)

    conv.register_structure_hook_func(
        lambda t: (
            getattr(t, "__origin__", None) is tuple
            and len(t.__args__) == 2
            and t.__args__[1] is Ellipsis
        ),
        tuple_hook,
    )

    # Throughput as a table {precision = tops}.
    def throughput_structure(value: Any, _: Any) -> tuple[Throughput, ...]:
        if not isinstance(value, Mapping):
            raise _expect("a table such as { fp8 = 1979, bf16 = 989.5 }", value)
        out = []
        for name, tops in value.items():
            precision = Precision(str(_enum(name, Precision).value))
            out.append(Throughput(precision=precision, tops=_float(tops, float)))
        return tuple(out)

    def throughput_unstructure(value: tuple[Throughput, ...]) -> dict[str, float]:
        return {str(t.precision): t.tops for t in value}

    # Every attrs record: defaults omitted on output, unknown keys rejected on input.
    def record_unstructure(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
        overrides: dict[str, Any] = {}
        if cls is Chip:
            overrides["throughput"] = cattrs.override(unstruct_hook=throughput_unstructure)
        return make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True, **overrides)

    def record_structure(cls: type[Any]) -> Callable[[Any, Any], Any]:
        overrides: dict[str, Any] = {}
        if cls is Chip:
            overrides["throughput"] = cattrs.override(struct_hook=throughput_structure)
        inner = make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True, **overrides
        )

        def structure(value: Any, t: Any) -> Any:
            if not isinstance(value, Mapping):
                raise _expect("a table", value)
            return inner(value, t)

        return structure

    is_record = attrs.has
    conv.register_unstructure_hook_factory(is_record, record_unstructure)
    conv.register_structure_hook_factory(is_record, record_structure)

    # Criteria are an open family: the registry is read when a document is, and the hooks
    # apply to the base type only (each subclass keeps its record hooks).
    crit_s, crit_u = _tagged(conv, criteria.kinds(), "type", "criterion")
    conv.register_structure_hook_func(lambda t: t is Criterion, crit_s)
    conv.register_unstructure_hook_func(lambda t: t is Criterion, crit_u)
    cond_s, cond_u = _tagged(conv, policies.CONDITIONS, "type", "condition")
    conv.register_structure_hook(Condition, cond_s)
    conv.register_unstructure_hook(Condition, cond_u)
    side_classes = {"export": policies.ExportPolicy, "import": policies.ImportPolicy}
    pol_s, pol_u = _tagged(conv, side_classes, "side", "policy side")
    conv.register_structure_hook(AnyPolicy, pol_s)
    conv.register_unstructure_hook(AnyPolicy, pol_u)
    return conv


converter = _make_converter()


def to_data(value: Any, cls: Any = None) -> Any:
    """Plain data (dicts, lists, scalars, dates) for any geotech value."""
    return converter.unstructure(value, cls if cls is not None else type(value))


def from_data(data: Any, cls: type[T] | Any, source: str | None = None) -> T:
    """A geotech value of type ``cls`` from plain data; raises ``DocumentError`` with every
    problem and its path."""
    problems = _depth_problems(data)
    if problems:
        raise DocumentError(problems, source)
    try:
        return converter.structure(data, cls)  # type: ignore[no-any-return]
    except Exception as exc:
        raise DocumentError(_messages(exc), source) from None


# ---------------------------------------------------------------------------------------------
# Problems with paths


def _messages(exc: BaseException, path: str = "") -> list[str]:
    if isinstance(exc, ClassValidationError | IterableValidationError):
        out: list[str] = []
        for sub in exc.exceptions:
            step = ""
            for note in getattr(sub, "__notes__", []):
                name = getattr(note, "name", None)
                index = getattr(note, "index", None)
                if name is not None:
                    step = f".{name}" if path else str(name)
                elif index is not None:
                    step = f"[{index}]"
            out += _messages(sub, path + step)
        return out
    if isinstance(exc, ForbiddenExtraKeysError):
        keys = ", ".join(repr(k) for k in sorted(exc.extra_fields, key=repr))
        allowed = ", ".join(a.name for a in attrs.fields(exc.cl) if a.init)
        return [f"{path or '$'}: unknown key {keys}; allowed keys are {allowed}"]
    if isinstance(exc, KeyError) and not isinstance(exc, GeotechError):
        return [f"{path or '$'}: missing required key {exc.args[0]!r}"]
    if isinstance(exc, TypeError) and "required" in str(exc) and "argument" in str(exc):
        missing = re.findall(r"'(\w+)'", str(exc))
        return [f"{path or '$'}: missing required key {', '.join(repr(m) for m in missing)}"]
    if isinstance(exc, RecursionError):
        return [f"{path or '$'}: nested too deeply"]
    located = _FIELD_MESSAGE.match(str(exc))
    if located and path:
        return [f"{path}.{located[1]}: {located[2]}"]
    return [f"{path or '$'}: {exc}"]


#: A constructor's own message, ``Chip.die_area_mm2: must be ...``: moved into the path.
_FIELD_MESSAGE = re.compile(r"^[A-Z]\w*\.(\w+): (.*)$", re.S)


def _depth_problems(data: Any) -> list[str]:
    stack: list[tuple[Any, int, str]] = [(data, 0, "")]
    while stack:
        node, d, path = stack.pop()
        if d > MAX_DOCUMENT_DEPTH:
            return [
                f"{path or '$'}: nested deeper than {MAX_DOCUMENT_DEPTH} levels (criteria may "
                f"nest {MAX_CRITERION_DEPTH} deep); flatten it"
            ]
        if isinstance(node, Mapping):
            stack.extend((v, d + 1, f"{path}.{k}" if path else str(k)) for k, v in node.items())
        elif isinstance(node, list | tuple):
            stack.extend((v, d + 1, f"{path}[{i}]") for i, v in enumerate(node))
    return []


# ---------------------------------------------------------------------------------------------
# Worlds


def world_from_data(doc: Any, source: str | None = None) -> World:
    """A validated World from a document (a mapping of kinds to lists of records)."""
    if not isinstance(doc, Mapping):
        raise DocumentError([f"$: expected a table of {', '.join(_WORLD_KEYS)}"], source)
    problems: list[str] = []
    version = doc.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        problems.append(
            f"schema_version: this geotech reads version {SCHEMA_VERSION}, got {_got(version)}"
        )
    extra = sorted(set(doc) - {*_WORLD_KEYS, "schema_version"})
    if extra:
        problems.append(
            f"$: unknown key {', '.join(repr(k) for k in extra)}; allowed keys are "
            f"schema_version, {', '.join(_WORLD_KEYS)}"
        )
    deep = _depth_problems(doc)
    if deep:
        raise DocumentError(problems + deep, source)
    kwargs: dict[str, Any] = {}
    failed: set[str] = set()
    for key in _WORLD_KEYS:
        if key not in doc:
            continue
        records = doc[key]
        if not isinstance(records, list):
            problems.append(f"{key}: expected a list of tables ([[{key}]]), got {_got(records)}")
            continue
        (element,) = typing.get_args(_WORLD_TYPES[key])[:1]
        loaded = []
        for i, record in enumerate(records):
            try:
                loaded.append(converter.structure(record, element))
            except Exception as exc:
                problems += [prefix(f"{key}[{i}]", p) for p in _messages(exc)]
                if isinstance(record, Mapping) and isinstance(record.get("id"), str):
                    failed.add(record["id"])
        kwargs[key] = loaded
    try:
        world = World(**kwargs)
    except WorldError as exc:
        # References to records that failed to load are consequences, not new problems.
        kept = [p for p in exc.problems if not any(f"'{i}'" in p for i in failed)]
        problems += [_by_position(doc, p) for p in kept]
    else:
        if not problems:
            return world
    raise DocumentError(problems, source)


_RECORD_PATH = re.compile(r"^(\w+)\[([^\]/]+)\]")


def _by_position(doc: Mapping[str, Any], problem: str) -> str:
    """``chips[x1].designer: ...`` -> ``chips[3].designer: ...`` (the record's index in the
    document), so a problem points at the place in the file."""
    match = _RECORD_PATH.match(problem)
    if not match or not isinstance(doc.get(match[1]), list):
        return problem
    for i, record in enumerate(doc[match[1]]):
        if isinstance(record, Mapping) and record.get("id") == match[2]:
            return f"{match[1]}[{i}]{problem[match.end() :]}"
    return problem


def prefix(key: str, problem: str) -> str:
    """A problem found inside ``key`` located from the outside: ``$: x`` -> ``key: x``,
    ``[2].a: x`` -> ``key[2].a: x``, ``a: x`` -> ``key.a: x``."""
    if problem.startswith("$"):
        return key + problem[1:]
    return f"{key}{problem}" if problem.startswith("[") else f"{key}.{problem}"


def world_to_data(world: World) -> dict[str, Any]:
    """The document form of a world (``schema_version`` first, then each non-empty kind)."""
    doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for key in _WORLD_KEYS:
        records = getattr(world, key)
        if records:
            doc[key] = converter.unstructure(records, _WORLD_TYPES[key])
    return doc


def loads_world(text: str, format: Format, source: str | None = None) -> World:
    """A World from TOML or JSON text."""
    try:
        doc = tomllib.loads(text) if format == "toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError([f"$: not valid {format.upper()}: {exc}"], source) from None
    except RecursionError:
        raise DocumentError(["$: nested too deeply to parse"], source) from None
    return world_from_data(doc, source)


def load_world(path: str | os.PathLike[str]) -> World:
    """A World from a ``.toml`` or ``.json`` file; every problem is reported at once."""
    p = Path(path)
    fmt = _format_of(p)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise DocumentError([f"$: cannot read the file: {exc.strerror}"], str(p)) from None
    except UnicodeDecodeError:
        raise DocumentError(["$: not UTF-8 text"], str(p)) from None
    return loads_world(text, fmt, str(p))


def dumps_world(world: World, format: Format) -> str:
    """A world as TOML or JSON text; byte-stable."""
    doc = world_to_data(world)
    return dumps_toml(doc) if format == "toml" else dumps_json(doc)


def dump_world(world: World, path: str | os.PathLike[str]) -> None:
    """Write a world to ``.toml`` or ``.json`` atomically (a temporary file, then a rename)."""
    p = Path(path)
    text = dumps_world(world, _format_of(p))
    try:
        fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    except OSError as exc:
        raise GeotechError(f"{p}: cannot write here: {exc.strerror}; check the folder") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, p)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise GeotechError(f"{p}: cannot write: {exc.strerror}") from None
    except UnicodeEncodeError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise GeotechError(
            f"{p}: cannot write text {exc.object[exc.start : exc.end]!r} as UTF-8 (a lone "
            "surrogate?); fix that string in the world"
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _format_of(p: Path) -> Format:
    suffix = p.suffix.lower()
    if suffix == ".toml":
        return "toml"
    if suffix == ".json":
        return "json"
    raise GeotechError(f"{p}: unknown file type {suffix or '(none)'}; use .toml or .json")


# ---------------------------------------------------------------------------------------------
# Writers


def dumps_json(data: Any) -> str:
    """JSON text with dates as ISO strings, two-space indent, a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def dumps_toml(doc: Mapping[str, Any]) -> str:
    """TOML text for a document of scalars and arrays of tables (what worlds are made of)."""
    lines: list[str] = []
    for key, value in doc.items():
        if not _is_table_array(value):
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for key, value in doc.items():
        if _is_table_array(value):
            for record in value:
                lines.append("")
                lines.append(f"[[{_toml_key(key)}]]")
                lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in record.items()]
    return "\n".join(lines) + "\n"


def _is_table_array(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _toml_key(key: str) -> str:
    return key if _BARE.match(key) else _toml_string(key)


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
    raise TypeError(f"cannot write {type(value).__name__} as TOML")
