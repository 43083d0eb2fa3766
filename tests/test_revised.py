"""``World.revised`` validates only what changed, and raises exactly when full validation
(``attrs.evolve``, the constructor) raises, with the same problems."""

from __future__ import annotations

import pickle
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from geotech import World
from geotech.entities import Listing
from geotech.errors import WorldError
from geotech.strategies import DATES, new_policies, worlds
from geotech.strategies.reforms import reforms

STRICT = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def policy_edits(draw: st.DrawFn, world: World) -> tuple[Any, ...]:
    """The world's policies after one to three edits, valid or not: a new policy (half the
    time reusing an id), a policy dropped (other policies may still supersede it), one made
    to supersede some id (maybe unknown, maybe closing a cycle), one issued by no state."""
    policies = list(world.policies)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(("add", "drop", "supersede", "issuer")))
        if kind == "add" or not policies:
            added = draw(new_policies(world))
            if policies and draw(st.booleans()):
                added = attrs.evolve(added, id=draw(st.sampled_from(policies)).id)
            policies.append(added)
            continue
        i = draw(st.integers(0, len(policies) - 1))
        if kind == "drop":
            del policies[i]
        elif kind == "supersede":
            others = [p.id for p in policies if p.id != policies[i].id]
            named = draw(st.sampled_from([*others, "no-such-policy"]))
            policies[i] = attrs.evolve(policies[i], supersedes=policies[i].supersedes | {named})
        else:
            policies[i] = attrs.evolve(policies[i], issuer="ZZ")
    return tuple(policies)


@st.composite
def list_edits(draw: st.DrawFn, world: World) -> tuple[Any, ...]:
    """The world's party lists with one changed: a listing added (of a company or of an
    unknown one, maybe overlapping another), a listing dropped, or an unknown issuer."""
    lists = list(world.party_lists)
    i = draw(st.integers(0, len(lists) - 1))
    target = lists[i]
    kind = draw(st.sampled_from(("list", "drop", "issuer")))
    if kind == "issuer":
        lists[i] = attrs.evolve(target, issuer="ZZ")
    elif kind == "drop" and target.listings:
        j = draw(st.integers(0, len(target.listings) - 1))
        lists[i] = attrs.evolve(target, listings=target.listings[:j] + target.listings[j + 1 :])
    else:
        company = draw(st.sampled_from([*sorted(world.ids("company")), "no-such-company"]))
        start = draw(st.sampled_from(DATES))
        listing = Listing(company=company, start=start)
        lists[i] = attrs.evolve(target, listings=(*target.listings, listing))
    return tuple(lists)


@st.composite
def changes(draw: st.DrawFn) -> tuple[World, dict[str, Any]]:
    world = draw(worlds())
    out: dict[str, Any] = {}
    if not world.party_lists or draw(st.booleans()):
        out["policies"] = draw(policy_edits(world))
    if world.party_lists and (not out or draw(st.booleans())):
        out["party_lists"] = draw(list_edits(world))
    return world, out


def outcome(build: Any) -> World | tuple[str, ...]:
    try:
        return build()  # type: ignore[no-any-return]
    except WorldError as error:
        return error.problems


@STRICT
@given(changes())
def test_revised_raises_exactly_when_full_validation_raises(
    drawn: tuple[World, dict[str, Any]],
) -> None:
    world, edits = drawn
    full = outcome(lambda: attrs.evolve(world, **edits))
    local = outcome(lambda: world.revised(**edits))
    event("invalid" if isinstance(full, tuple) else "valid")
    assert local == full  # the same world, or the same problems
    if isinstance(local, World):
        assert pickle.loads(pickle.dumps(local)) == local
        assert local.ids("policy") == {p.id for p in local.policies}


@STRICT
@given(st.data())
def test_a_reformed_world_passes_full_validation(data: st.DataObject) -> None:
    """Reforms build their worlds with ``revised``; the constructor accepts each of them."""
    world = data.draw(worlds())
    reformed = data.draw(reforms(world)).apply(world)
    assert attrs.evolve(reformed) == reformed


def test_other_fields_are_validated_in_full(mini_world: World) -> None:
    with pytest.raises(WorldError, match="hq"):
        mini_world.revised(
            companies=(
                *mini_world.companies,
                attrs.evolve(mini_world.companies[0], id="new-co", hq="ZZ"),
            )
        )
