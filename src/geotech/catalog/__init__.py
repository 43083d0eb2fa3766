"""The embedded real-world catalogue: states, groups, companies, lists, items, classes, policies.

``world()`` loads the TOML files in ``geotech/catalog/data`` (one per kind; each file is a
fragment of a world document and the fragments are merged), validates the whole, and caches
the result. Every record carries its sources; measures known only from reporting are marked
``status = "reported"`` and can be left out with ``include_reported=False``.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any

from geotech import io
from geotech.entities import Status
from geotech.errors import DocumentError
from geotech.world import World, remove_policy

__all__ = ["data_files", "document", "world"]


def data_files() -> tuple[str, ...]:
    """Names of the catalogue's data files, sorted."""
    root = resources.files(__package__).joinpath("data")
    return tuple(sorted(p.name for p in root.iterdir() if p.name.endswith(".toml")))


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
            out = remove_policy(out, policy.id)
    return _without_reported_listings(out)


def _without_reported_listings(w: World) -> World:
    import attrs

    lists = tuple(
        attrs.evolve(pl, listings=tuple(x for x in pl.listings if x.status is Status.OFFICIAL))
        for pl in w.party_lists
    )
    return attrs.evolve(w, party_lists=lists)
