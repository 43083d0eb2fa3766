"""Criterion trees are at most ``MAX_CRITERION_DEPTH`` deep: a deeper one cannot be built, so
equality, hashing, ``repr``, pickling, serialization and evaluation work on every tree that
exists, and a tree built too deep fails at once with one ``InvalidValueError``."""

from __future__ import annotations

import pickle
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import geotech
from geotech import io, reforms
from geotech.criteria import (
    MAX_CRITERION_DEPTH,
    All,
    AnyOf,
    Criterion,
    ItemIs,
    Not,
    Reexport,
    depth,
)
from geotech.errors import DocumentError, GeotechError, InvalidValueError
from geotech.policies import ExportPolicy

TOO_DEEP = (
    f"nested deeper than {MAX_CRITERION_DEPTH} levels (geotech.criteria.MAX_CRITERION_DEPTH); "
    "flatten it"
)

Wrap = Callable[[Criterion], Criterion]
WRAPS: dict[str, Wrap] = {
    "not": Not,
    "all": lambda c: All(of=[c]),
    "any": lambda c: AnyOf(of=[Reexport(), c]),
}


def nested(leaf: Criterion, levels: int, wrap: Wrap = Not) -> Criterion:
    tree = leaf
    for _ in range(levels):
        tree = wrap(tree)
    return tree


def test_the_limit_is_one_constant() -> None:
    import geotech.world

    assert MAX_CRITERION_DEPTH == 64
    assert geotech.world.MAX_CRITERION_DEPTH is MAX_CRITERION_DEPTH


@pytest.mark.parametrize("name", WRAPS)
def test_a_tree_at_the_limit_can_be_built(name: str) -> None:
    tree = nested(Reexport(), MAX_CRITERION_DEPTH - 1, WRAPS[name])
    assert depth(tree) == MAX_CRITERION_DEPTH


@pytest.mark.parametrize("name", WRAPS)
def test_one_level_beyond_the_limit_is_refused(name: str) -> None:
    at_limit = nested(Reexport(), MAX_CRITERION_DEPTH - 1, WRAPS[name])
    with pytest.raises(InvalidValueError) as info:
        WRAPS[name](at_limit)
    assert str(info.value) == f"{type(at_limit).__name__}.of: {TOO_DEEP}"
    assert isinstance(info.value, GeotechError)


def test_five_thousand_levels_stop_at_the_first_level_too_many() -> None:
    built = 0

    def counted(c: Criterion) -> Criterion:
        nonlocal built
        out = Not(c)
        built += 1
        return out

    with pytest.raises(InvalidValueError, match=r"Not\.of: nested deeper than 64 levels"):
        nested(Reexport(), 5000, counted)
    assert built == MAX_CRITERION_DEPTH - 1


def test_every_generic_operation_works_at_the_limit() -> None:
    a = nested(ItemIs(["nvidia-h200"]), MAX_CRITERION_DEPTH - 1)
    b = nested(ItemIs(["nvidia-h200"]), MAX_CRITERION_DEPTH - 1)
    other = nested(ItemIs(["nvidia-h100"]), MAX_CRITERION_DEPTH - 1)
    assert a == b
    assert a != other
    assert hash(a) == hash(b)
    assert repr(a).count("Not(of=") == MAX_CRITERION_DEPTH - 1
    assert pickle.loads(pickle.dumps(a)) == a
    data = io.to_data(a, Criterion)
    assert io.from_data(data, Criterion) == a
    assert io.parse_text(io.dumps_json(data), "json") == data


def test_a_document_one_level_too_deep_names_the_connective() -> None:
    data = io.to_data(nested(Reexport(), MAX_CRITERION_DEPTH - 1), Criterion)
    with pytest.raises(DocumentError) as info:
        io.from_data({"type": "not", "of": data}, Criterion)
    assert info.value.problems == (f"of: {TOO_DEEP}",)


def test_evaluate_at_the_limit(
    mini_world: geotech.World, flagship_request: geotech.AccessRequest
) -> None:
    # 62 negations (even) of a true leaf under one All: depth 64, true.
    criterion = All(of=[nested(ItemIs(["nvidia-h200"]), MAX_CRITERION_DEPTH - 2)])
    assert depth(criterion) == MAX_CRITERION_DEPTH
    deep = ExportPolicy(
        id="deep",
        issuer="US",
        title="deep",
        criterion=criterion,
        effect="prohibit",
        effective=flagship_request.on,
    )
    world = reforms.add_policy(deep).apply(mini_world)
    decision = geotech.evaluate(world, flagship_request)
    assert decision.verdict is geotech.Verdict.PROHIBITED
    assert "deep" in decision.determining_policies
    assert list(geotech.evaluate_many(world, [flagship_request])) == [decision]
    assert decision.explain().count("not") >= MAX_CRITERION_DEPTH - 2


@st.composite
def towers(draw: st.DrawFn) -> tuple[Criterion | None, int]:
    """A tower of random connectives, or ``None`` when building it was refused, with the
    depth it was meant to have."""
    wraps = draw(st.lists(st.sampled_from(sorted(WRAPS)), max_size=MAX_CRITERION_DEPTH + 3))
    tree: Criterion = Reexport()
    try:
        for name in wraps:
            tree = WRAPS[name](tree)
    except InvalidValueError:
        return None, len(wraps) + 1
    return tree, len(wraps) + 1


@given(towers())
def test_a_tree_exists_exactly_when_it_is_within_the_limit(
    tower: tuple[Criterion | None, int],
) -> None:
    tree, meant = tower
    if meant <= MAX_CRITERION_DEPTH:
        assert tree is not None
        assert depth(tree) == meant
    else:
        assert tree is None
