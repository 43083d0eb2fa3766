"""The engine's semantics against brute force: supersession found through the superseders map,
and the range of outcomes over completions of unknown matches found without enumerating them,
equal what trying every completion gives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from geotech import ExportPolicy, ItemIs
from geotech.engine.semantics import OPEN, restriction_range, strictest, supersede
from geotech.policies import AnyPolicy, Restriction

EFFECTS = (
    ("allow", None),
    ("discourage", None),
    ("license_required", "presumption_of_approval"),
    ("license_required", "case_by_case"),
    ("license_required", "presumption_of_denial"),
    ("prohibit", None),
)


def policy(i: int, effect: int, supersedes: Sequence[int]) -> ExportPolicy:
    kind, review = EFFECTS[effect]
    return ExportPolicy(
        id=f"p{i}",
        issuer="US",
        title=f"p{i}",
        criterion=ItemIs(["x1"]),
        effect=kind,
        review=review,
        effective=dt.date(2025, 1, 1),
        supersedes=[f"p{j}" for j in supersedes],
    )


def brute_supersede(matching: Sequence[AnyPolicy]) -> dict[str, tuple[str, ...]]:
    """Every pair compared: the definition of supersession."""
    out = {}
    for p in matching:
        by = tuple(sorted(q.id for q in matching if p.id in q.supersedes))
        if by:
            out[p.id] = by
    return out


def brute_range(
    matching: list[AnyPolicy], unknown: list[AnyPolicy]
) -> tuple[Restriction, Restriction]:
    """Every completion tried: the definition of the range."""
    keys = [
        strictest(matching + [u for i, u in enumerate(unknown) if mask >> i & 1])
        for mask in range(1 << len(unknown))
    ]
    return min(keys), max(keys)


@st.composite
def scenes(draw: st.DrawFn) -> tuple[list[AnyPolicy], list[AnyPolicy]]:
    """Up to 9 policies, each matching or of unknown match, superseding only policies with a
    smaller number (so supersession is acyclic, as a world requires) or out of scope."""
    n = draw(st.integers(0, 9))
    policies = [
        policy(
            i,
            draw(st.integers(0, len(EFFECTS) - 1)),
            # earlier policies, or policies out of scope (numbers 50 to 52)
            draw(st.sets(st.integers(0, i - 1) | st.integers(50, 52), max_size=3))
            if i
            else draw(st.sets(st.integers(50, 52), max_size=1)),
        )
        for i in range(n)
    ]
    unknown = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return (
        [p for p, u in zip(policies, unknown, strict=True) if not u],
        [p for p, u in zip(policies, unknown, strict=True) if u],
    )


@settings(max_examples=600, deadline=None)
@given(scenes())
def test_the_range_equals_trying_every_completion(
    scene: tuple[list[AnyPolicy], list[AnyPolicy]],
) -> None:
    matching, unknown = scene
    key = strictest(matching)
    expected = brute_range(matching, unknown)
    assert restriction_range(matching, unknown, key) == expected
    ranks = {p.id: p.restriction for p in matching + unknown}
    assert restriction_range(matching, unknown, key, ranks) == expected


@settings(max_examples=300, deadline=None)
@given(scenes())
def test_supersession_equals_comparing_every_pair(
    scene: tuple[list[AnyPolicy], list[AnyPolicy]],
) -> None:
    everything = scene[0] + scene[1]
    remaining, set_aside = supersede(everything)
    assert set_aside == brute_supersede(everything)
    assert remaining == [p for p in everything if p.id not in set_aside]


def test_an_unknown_superseding_policy_can_lower_the_outcome() -> None:
    ban = policy(0, 5, ())
    exception = policy(1, 0, (0,))
    assert restriction_range([ban], [exception], Restriction.PROHIBITED) == (
        OPEN,
        Restriction.PROHIBITED,
    )


def test_an_unknown_policy_a_matching_one_supersedes_cannot_raise_it() -> None:
    ban = policy(0, 5, ())
    exception = policy(1, 0, (0,))
    assert restriction_range([exception], [ban], OPEN) == (OPEN, OPEN)


def test_a_set_aside_unknown_policy_still_sets_others_aside() -> None:
    # p0 bans; p1 (a denial, unknown) sets p0 aside; p2 (an allow, matching) sets p1 aside
    ban, denial, allow = policy(0, 5, ()), policy(1, 4, (0,)), policy(2, 0, (1,))
    assert restriction_range([ban, allow], [denial], Restriction.PROHIBITED) == (
        OPEN,
        Restriction.PROHIBITED,
    )
    # without p2, setting p0 aside leaves the denial
    assert restriction_range([ban], [denial], Restriction.PROHIBITED) == (
        Restriction.LICENSE_DENIAL,
        Restriction.PROHIBITED,
    )


def test_a_long_chain_is_linear() -> None:
    chain = [policy(i, i % len(EFFECTS), (i - 1,) if i else ()) for i in range(20_000)]
    remaining, set_aside = supersede(chain)
    assert [p.id for p in remaining] == ["p19999"]
    assert len(set_aside) == 19_999
    unknown = [policy(20_000 + i, 5, (19_999,)) for i in range(50)]
    assert strictest(chain) is Restriction.DISCOURAGED
    assert restriction_range(chain, unknown, Restriction.DISCOURAGED) == (
        Restriction.DISCOURAGED,
        Restriction.PROHIBITED,
    )
