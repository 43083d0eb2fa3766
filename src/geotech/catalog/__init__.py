"""The embedded real-world catalogue: states, groups, companies, lists, items, classes, policies,
and named reforms.

``world()`` loads the TOML files in ``geotech/catalog/data`` (one per kind; each file is a
fragment of a world document and the fragments are merged), validates the whole, and caches
the result. Every record carries its sources; measures known only from reporting are marked
``status = "reported"`` and can be left out with ``include_reported=False``. ``reforms()``
loads the named what-ifs of ``data/reforms.toml``.
"""

from __future__ import annotations

import functools
import tomllib
import types
from collections.abc import Mapping
from importlib import resources
from typing import Any

from geotech import io
from geotech.entities import Status
from geotech.errors import DocumentError
from geotech.reforms import Reform, RemovePolicy
from geotech.world import World

__all__ = ["REFORMS_FILE", "data_files", "document", "reforms", "world"]

#: The data file of the named reforms; every other data file is a fragment of the world.
REFORMS_FILE = "reforms.toml"


def data_files() -> tuple[str, ...]:
    """Names of the data files of the catalogue's world, sorted."""
    root = resources.files(__package__).joinpath("data")
    names = (p.name for p in root.iterdir() if p.name.endswith(".toml"))
    return tuple(sorted(name for name in names if name != REFORMS_FILE))


def document() -> dict[str, Any]:
    """The merged catalogue document (plain data), before validation."""
    root = resources.files(__package__).joinpath("data")
    merged: dict[str, Any] = {"schema_version": io.SCHEMA_VERSION}
    problems: list[str] = []
    for name in data_files():
        try:
            part = tomllib.loads(root.joinpath(name).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"{name}: not valid TOML: {exc}")
            continue
        for key, value in part.items():
            if key == "schema_version":
                if value != io.SCHEMA_VERSION:
                    problems.append(f"{name}: schema_version {value!r} is not {io.SCHEMA_VERSION}")
            elif isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            else:
                problems.append(f"{name}: {key} must be an array of tables ([[{key}]])")
    if problems:
        raise DocumentError(problems, "geotech catalogue")
    return merged


@functools.cache
def world(include_reported: bool = True) -> World:
    """The embedded real-world World (cached; immutable).

    With ``include_reported=False``, policies and listings known only from reporting are left
    out (policies that superseded them stop naming them).
    """
    full = io.world_from_data(document(), "geotech catalogue")
    if include_reported:
        return full
    out = full
    for policy in full.policies:
        if policy.status is Status.REPORTED:
            out = RemovePolicy(policy.id).apply(out)
    return _without_reported_listings(out)


def _without_reported_listings(w: World) -> World:
    import attrs

    lists = tuple(
        attrs.evolve(pl, listings=tuple(x for x in pl.listings if x.status is Status.OFFICIAL))
        for pl in w.party_lists
    )
    return attrs.evolve(w, party_lists=lists)


@functools.cache
def reforms() -> Mapping[str, Reform]:
    """The catalogue's named reforms by id, in file order (cached; read-only). Each applies to
    ``world()``: ``reforms()["rescind-h200-rule"].apply(world())``."""
    source = f"geotech catalogue {REFORMS_FILE}"
    text = resources.files(__package__).joinpath("data", REFORMS_FILE).read_text(encoding="utf-8")
    doc = tomllib.loads(text)
    problems: list[str] = []
    if doc.pop("schema_version", None) != io.SCHEMA_VERSION:
        problems.append(f"schema_version: expected {io.SCHEMA_VERSION}")
    tables = doc.pop("reforms", {})
    problems += [f"{key}: unknown key; the file holds schema_version and reforms" for key in doc]
    named: dict[str, Reform] = {}
    for key, table in tables.items():
        try:
            named[key] = io.from_data(table, Reform)
        except DocumentError as exc:
            problems += [io.prefix(f"reforms.{key}", p) for p in exc.problems]
    if problems:
        raise DocumentError(problems, source)
    return types.MappingProxyType(named)
