"""World documents: load and dump worlds as TOML or JSON.

Guarantees: unknown keys are rejected; every problem in a document is reported at once, each
with a field path that exists in the document (``chips[3].die_area_mm2: expected a number,
got 'big'``), in one ``DocumentError``: every invalid field of every record, and the problems
of the world the valid records make (duplicate ids, dangling references), except references
to records that failed to load. Nothing is half-loaded (a World is returned whole or not at
all); output is byte-stable (records sorted by id, sets as sorted lists, defaults omitted), and
``load(dump(w)) == w``. Dumping writes to a temporary file first, so a failed dump never
leaves a half-written file behind.
"""

from __future__ import annotations

import os
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from geotech import files
from geotech.errors import DocumentError, GeotechError, WorldError
from geotech.io.converter import converter, from_data
from geotech.io.problems import data_problems, messages, prefix, shown
from geotech.io.text import Format, check_format, dumps_json, dumps_toml, parse
from geotech.reforms import Reform
from geotech.world import World

#: Version of the document format; documents carry it as ``schema_version``.
SCHEMA_VERSION = 1

_WORLD_KEYS = tuple(a.name for a in attrs.fields(World) if a.init)
_WORLD_TYPES = {k: v for k, v in typing.get_type_hints(World).items() if k in _WORLD_KEYS}


def world_from_data(doc: Any, source: str | None = None) -> World:
    """A validated World from a document (a table of kinds, each a list of records)."""
    if not isinstance(doc, Mapping):
        raise DocumentError([f"$: expected a table of {', '.join(_WORLD_KEYS)}"], source)
    problems: list[str] = []
    version = doc.get("schema_version", SCHEMA_VERSION)
    if type(version) is not int or version != SCHEMA_VERSION:
        problems.append(
            f"schema_version: this geotech reads version {SCHEMA_VERSION}, got {shown(version)}"
        )
    extra = sorted((k for k in doc if k not in {*_WORLD_KEYS, "schema_version"}), key=repr)
    if extra:
        problems.append(
            f"$: unknown key {', '.join(repr(k) for k in extra)}; allowed keys are "
            f"schema_version, {', '.join(_WORLD_KEYS)}"
        )
    unreadable = data_problems(doc)
    if unreadable:
        raise DocumentError(problems + unreadable, source)
    kwargs: dict[str, Any] = {}
    failed: set[str] = set()  # "company 'x'": what a reference to a failed record says
    for key in _WORLD_KEYS:
        if key not in doc:
            continue
        records = doc[key]
        if not isinstance(records, list):
            problems.append(f"{key}: expected a list of tables ([[{key}]]), got {shown(records)}")
            continue
        (element,) = typing.get_args(_WORLD_TYPES[key])[:1]
        loaded = []
        for i, record in enumerate(records):
            try:
                loaded.append(converter.structure(record, element))
            except Exception as exc:
                problems += [prefix(f"{key}[{i}]", p) for p in messages(exc)]
                if isinstance(record, Mapping) and isinstance(record.get("id"), str):
                    failed.add(f"{_REFERRED_AS.get(key)} {record['id']!r}")
        kwargs[key] = loaded
    try:
        world = World(**kwargs)
    except WorldError as exc:
        problems += [_located(doc, p) for p in exc.problems if not _dangles(p, failed)]
    else:
        if not problems:
            return world
    raise DocumentError(problems, source)


#: How the world's problems name a record of each kind when a reference to it dangles.
_REFERRED_AS = {
    "states": "state",
    "groups": "group",
    "companies": "company",
    "party_lists": "party list",
    "chips": "item",
    "models": "item",
    "materials": "item",
    "equipment": "item",
    "classes": "control class",
    "policies": "policy",
}


def _dangles(problem: str, failed: set[str]) -> bool:
    """Whether ``problem`` is a reference to a record that failed to load: a consequence,
    not a new problem."""
    _, _, detail = problem.partition(": ")
    return detail.partition("; ")[0].removeprefix("unknown ") in failed


def _located(doc: Mapping[str, Any], problem: str) -> str:
    """A world problem located in the document: ``chips[x1].designer: ...`` becomes
    ``chips[3].designer: ...`` (the record's position); the path is cut where the document
    has nothing to follow it, so it always exists there."""
    path, _, detail = problem.partition(": ")
    node: Any = doc
    found: list[str] = []
    for part in _steps(path):
        if part.startswith("["):
            index = _position(node, part[1:-1])
            if index is None:
                break
            node = node[index]
            found.append(f"[{index}]")
        elif isinstance(node, Mapping) and part in node:
            node = node[part]
            found.append(("." if found else "") + part)
        else:
            break
    return f"{''.join(found) or '$'}: {detail}"


def _steps(path: str) -> list[str]:
    """``a[x.y].b`` -> ``a``, ``[x.y]``, ``b`` (ids may hold dots)."""
    steps: list[str] = []
    i = 0
    while i < len(path):
        if path[i] == "[":
            end = path.find("]", i)
            if end < 0:
                break
            steps.append(path[i : end + 1])
            i = end + 1
        elif path[i] == ".":
            i += 1
        else:
            ends = (path.find(".", i), path.find("[", i))
            end = min((j for j in ends if j >= 0), default=len(path))
            steps.append(path[i:end])
            i = end
    return steps


def _position(node: Any, key: str) -> int | None:
    """The index of the record ``key`` names in a list: by id, else by a field's value."""
    if not isinstance(node, list):
        return None
    tables = [(i, r) for i, r in enumerate(node) if isinstance(r, Mapping)]
    for i, record in tables:
        if record.get("id") == key:
            return i
    for i, record in tables:
        if key in record.values():
            return i
    return None


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
    return world_from_data(parse(text, check_format(format), source), source)


def load_world(path: str | os.PathLike[str]) -> World:
    """A World from a ``.toml`` or ``.json`` file; every problem is reported at once."""
    p = Path(path)
    fmt = format_of(p)
    return loads_world(_read(p), fmt, str(p))


def loads_reform(text: str, format: Format, source: str | None = None) -> Reform:
    """A reform from TOML or JSON text: one record with its ``type``, or, without ``type``, a
    chain (``name`` and ``[[steps]]``); every problem is reported at once."""
    doc = parse(text, check_format(format), source)
    if isinstance(doc, Mapping) and "type" not in doc:
        doc = {"type": "chain", **doc}
    return from_data(doc, Reform, source)


def load_reform(path: str | os.PathLike[str]) -> Reform:
    """A reform from a ``.toml`` or ``.json`` file (see ``loads_reform``)."""
    p = Path(path)
    fmt = format_of(p)
    return loads_reform(_read(p), fmt, str(p))


def _read(p: Path) -> str:
    try:
        return p.read_text(encoding="utf-8")
    except OSError as exc:
        raise DocumentError([f"$: cannot read the file: {exc.strerror}"], str(p)) from None
    except UnicodeDecodeError:
        raise DocumentError(["$: not UTF-8 text"], str(p)) from None


def dumps_world(world: World, format: Format) -> str:
    """A world as TOML or JSON text; byte-stable."""
    fmt = check_format(format)
    doc = world_to_data(world)
    return dumps_toml(doc) if fmt == "toml" else dumps_json(doc)


def dump_world(world: World, path: str | os.PathLike[str]) -> None:
    """Write a world to ``.toml`` or ``.json`` atomically (``geotech.files.atomic_write``)."""
    p = Path(path)
    text = dumps_world(world, format_of(p))
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise GeotechError(
            f"{p}: cannot write text {exc.object[exc.start : exc.end]!r} as UTF-8 (a lone "
            "surrogate?); fix that string in the world"
        ) from None
    with files.atomic_write(p) as f:
        f.write(data)


def format_of(p: Path) -> Format:
    """The document format a file's suffix names (``.toml`` or ``.json``, any case)."""
    suffix = p.suffix.lower().removeprefix(".")
    if suffix in ("toml", "json"):
        return check_format(suffix)
    raise GeotechError(f"{p}: unknown file type {p.suffix or '(none)'}; use .toml or .json")
