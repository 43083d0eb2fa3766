"""Fuzzing the loaders: arbitrary JSON values, TOML texts, and structure-aware mutations of the
catalogue's world document (fields dropped, replaced, duplicated, given the wrong type, huge
integers, deep nesting). Only ``GeotechError`` may escape ``loads_world``,
``world_from_data`` and ``from_data``, and every problem's path must exist in the document.

The default run is quick (and, under ``CI``, derandomized like every other property); set
``HYPOTHESIS_PROFILE=fuzz`` for a long run.
"""

from __future__ import annotations

import json
import os
import tomllib
from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geotech import AccessRequest, Decision, DocumentError, GeotechError, catalog, io
from geotech.policies import AnyPolicy

settings.register_profile(
    "fuzz", max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck)
)
if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz":
    settings.load_profile("fuzz")
    EXAMPLES = 20_000
else:
    EXAMPLES = 60

#: Stands for an integer longer than Python writes as text (Hypothesis could not print one).
HUGE = "<huge integer>"


def real(value: Any) -> Any:
    """``value`` with every ``HUGE`` a 5,000-digit integer."""
    if value == HUGE:
        return 10**5000
    if isinstance(value, list):
        return [real(v) for v in value]
    if isinstance(value, dict):
        return {k: real(v) for k, v in value.items()}
    return value


KEYS = st.sampled_from(["type", "of", "id", "name", "states", "chips", "x", "schema_version"])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.just(HUGE)
    | st.dates().map(lambda d: d.isoformat())
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)


def exists(doc: Any, path: str) -> bool:
    """Whether ``path`` (``$``, ``a``, ``a[0].b``) names a place in ``doc``."""
    if path == "$":
        return True
    if doc is None:
        return False
    node = doc
    for part in path.replace("[", ".[").split("."):
        if not part:
            continue
        if part.startswith("["):
            if not part.endswith("]") or not part[1:-1].isdigit():
                return False
            index = int(part[1:-1])
            if not isinstance(node, list) or index >= len(node):
                return False
            node = node[index]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False
    return True


def check(error: GeotechError, doc: Any) -> None:
    assert isinstance(error, GeotechError)
    if isinstance(error, DocumentError):
        assert error.problems
        for problem in error.problems:
            path, sep, message = problem.partition(": ")
            assert sep, problem
            assert message, problem
            assert exists(doc, path), (path, problem)


@settings(max_examples=EXAMPLES, deadline=None)
@given(JSON)
def test_any_json_value(value: Any) -> None:
    value = real(value)
    for load in (io.world_from_data, lambda v: io.from_data(v, AnyPolicy)):
        try:
            load(value)
        except GeotechError as error:
            check(error, value)


@settings(max_examples=EXAMPLES, deadline=None)
@given(JSON)
def test_any_json_value_as_a_decision(value: Any) -> None:
    value = real(value)
    try:
        io.from_data(value, Decision)
    except GeotechError as error:
        check(error, value)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(alphabet='[]{}=",.\n abcdefghst_0123456789-', max_size=80))
def test_any_toml_and_json_text(text: str) -> None:
    for fmt in io.FORMATS:
        try:
            io.loads_world(text, fmt)
        except DocumentError as error:
            check(error, parsed(text, fmt))


def parsed(text: str, fmt: str) -> Any:
    """The data of a text, or None when it does not parse (problems are then at ``$``)."""
    try:
        return tomllib.loads(text) if fmt == "toml" else json.loads(text)
    except ValueError:
        return None


@cache
def catalogue_document() -> str:
    return io.dumps_world(catalog.world(), "json")


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths(v, (*prefix, i))
    return out


def deep(n: int) -> Any:
    value: Any = {"type": "reexport"}
    for _ in range(n):
        value = {"type": "not", "of": value}
    return value


EDITS = st.sampled_from(["drop", "replace", "duplicate", "retype", "huge", "deep"])


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutations_of_the_catalogue_document(data: st.DataObject) -> None:
    doc = json.loads(catalogue_document())
    places = paths(doc)
    for _ in range(data.draw(st.integers(1, 4))):
        path = data.draw(st.sampled_from(places))
        edit = data.draw(EDITS)
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            key = path[-1]
            old = parent[key]
        except (KeyError, IndexError, TypeError):
            continue
        if edit == "drop" and isinstance(parent, dict):
            del parent[key]
        elif edit == "duplicate" and isinstance(parent, list):
            # the same object twice: a deep-edited value (3,000 levels) is beyond deepcopy
            parent.append(old)
        elif edit == "retype":
            retyped = ([old], {"x": old}, "text", None, 1.5, True)
            parent[key] = retyped[data.draw(st.integers(0, len(retyped) - 1))]
        elif edit == "huge":
            parent[key] = 10**5000
        elif edit == "deep":
            parent[key] = deep(data.draw(st.sampled_from([70, 200, 3000])))
        else:
            parent[key] = real(data.draw(JSON))
    try:
        io.world_from_data(doc)
    except GeotechError as error:
        check(error, doc)
    text = io.dumps_json(doc) if _writable(doc) else None
    if text is not None:
        try:
            io.loads_world(text, "json")
        except DocumentError as error:
            check(error, doc)


def _writable(doc: Any) -> bool:
    try:
        io.dumps_json(doc)
    except GeotechError:
        return False
    return True


@settings(max_examples=EXAMPLES, deadline=None)
@given(JSON)
def test_requests_from_any_data(value: Any) -> None:
    value = real(value)
    try:
        io.from_data(value, AccessRequest)
    except GeotechError as error:
        check(error, value)
