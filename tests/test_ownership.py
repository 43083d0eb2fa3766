"""Ownership stakes and the affiliates rule's 50 % test: validation with field paths, the
majority parent, exact aggregation through chains (against a brute-force fixpoint on random
ownership graphs), and the criterion's account on a world."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geotech import (
    AccessRequest,
    BuyerListed,
    Chip,
    Company,
    Listing,
    PartyList,
    ReviewPolicy,
    Stake,
    State,
    Status,
    World,
    catalog,
    evaluate,
    io,
)
from geotech.criteria import AFFILIATE_THRESHOLD, Affiliation, Facts, Truth
from geotech.errors import DocumentError, InvalidValueError, WorldError

D = dt.date
ON = D(2026, 12, 1)
CHIP = Chip(id="x1", name="X1", designer="c0")  # any item: the criterion reads the buyer


def company(id: str, **owners: float) -> Company:
    return Company(
        id=id,
        name=id.upper(),
        hq="CN",
        owners=[Stake(owner=o, percent=p) for o, p in owners.items()],
    )


# -- Stake and Company validation --------------------------------------------------------------


@pytest.mark.parametrize("percent", [0.0, -5.0, 100.5, float("nan"), True, "60"])
def test_a_stake_is_more_than_0_and_at_most_100_percent(percent: object) -> None:
    with pytest.raises(InvalidValueError) as info:
        Stake(owner="a", percent=percent)  # type: ignore[arg-type]
    assert str(info.value) == (
        f"Stake.percent: expected a percentage > 0 and <= 100, got {percent!r}"
    )


def test_stakes_add_up_to_at_most_100_percent_exactly() -> None:
    # 33.3 + 33.3 + 33.4 is 100 as written, though not in binary floating point
    assert company("x", a=33.3, b=33.3, c=33.4).parent is None
    with pytest.raises(InvalidValueError) as info:
        company("x", a=60, b=40.01)
    assert str(info.value) == (
        "Company[x].owners: the stakes add up to 100.01 %, more than 100 %; correct the percentages"
    )


def test_an_owner_holds_one_stake_and_never_itself() -> None:
    with pytest.raises(InvalidValueError) as info:
        Company(id="x", name="X", hq="CN", owners=[Stake(owner="a", percent=10)] * 2)
    assert str(info.value) == (
        "Company[x].owners[a]: the owner appears twice; give one stake per owner"
    )
    with pytest.raises(InvalidValueError) as info:
        company("x", x=10)
    assert str(info.value) == "Company[x].owners[x]: a company cannot own itself"


def test_the_parent_is_the_majority_owner() -> None:
    assert company("x", a=50.01, b=49.99).parent == "a"
    assert company("x", a=50, b=50).parent is None  # no majority: no parent
    assert company("x").parent is None
    assert company("x", b=10, a=90).owners == (
        Stake(owner="a", percent=90),
        Stake(owner="b", percent=10),
    )  # canonical order
    assert Stake(owner="a", percent=1, status="reported").status is Status.REPORTED


def test_a_world_rejects_unknown_owners_and_cycles_of_any_size() -> None:
    states = [State(id="CN", name="China")]
    with pytest.raises(WorldError) as info:
        World(states=states, companies=[company("a", b=10), company("b", c=20), company("c", a=1)])
    assert set(info.value.problems) == {
        "companies[a].owners: the stakes form a cycle (a owned by b owned by c owned by a); "
        "remove one of them",
        "companies[b].owners: the stakes form a cycle (b owned by c owned by a owned by b); "
        "remove one of them",
        "companies[c].owners: the stakes form a cycle (c owned by a owned by b owned by c); "
        "remove one of them",
    }
    with pytest.raises(WorldError) as info:
        World(states=states, companies=[company("a", zz=10)])
    assert info.value.problems == ("companies[a].owners[zz]: unknown company 'zz'",)


# -- the 50 % test -----------------------------------------------------------------------------


def affiliation(companies: list[Company], listed: set[str]) -> Affiliation:
    by_id = {c.id: c for c in companies}
    return Affiliation(lambda x: by_id[x].owners if x in by_id else (), listed.__contains__)


def test_the_50_percent_test_by_hand() -> None:
    # L listed. A: 30 % L + 20 % B where B is 60 % L (covered) -> 50 %: covered.
    # C: 49.99 % L: not covered. E: 100 % C (uncovered): not covered, stakes not multiplied.
    # F: 25 % L + 25 % A (covered through the chain) -> 50 %: covered.
    graph = [
        company("l"),
        company("b", l=60),
        company("a", l=30, b=20, x=50),
        company("c", l=49.99),
        company("e", c=100),
        company("f", l=25, a=25),
        company("x"),
    ]
    test = affiliation(graph, {"l"})
    assert {c.id for c in graph if test.covered(c.id)} == {"l", "b", "a", "f"}
    held = test.holding("a")
    assert held.percent == 50
    assert held.reaches_threshold
    assert held.stakes == (Stake(owner="b", percent=20), Stake(owner="l", percent=30))
    assert test.holding("c").percent == Fraction(4999, 100)
    assert test.holding("e").percent == 0
    assert AFFILIATE_THRESHOLD == 50


@st.composite
def ownership_graphs(draw: st.DrawFn) -> tuple[list[Company], set[str]]:
    """Up to 8 companies, each owning stakes only in later ones (no cycles), in halves and
    thirds of a percent, and a random listed set."""
    n = draw(st.integers(1, 8))
    ids = [f"c{i}" for i in range(n)]
    out = []
    for i, key in enumerate(ids):
        owners: dict[str, float] = {}
        left = Fraction(100)
        for owner in draw(st.lists(st.sampled_from(ids[:i]), unique=True)) if i else []:
            share = Fraction(draw(st.integers(1, 300)), draw(st.sampled_from([2, 3, 4])))
            if share > left:
                break
            percent = round(float(share), 2)
            if Fraction(repr(percent)) > left:
                break
            left -= Fraction(repr(percent))
            owners[owner] = percent
        out.append(company(key, **owners))
    return out, set(draw(st.lists(st.sampled_from(ids), unique=True)))


def brute_force(companies: list[Company], listed: set[str]) -> set[str]:
    """The least fixpoint: start from the listed companies, add any company whose stakes held
    by covered companies sum (exactly, as written) to 50 % or more, until nothing changes."""
    covered = set(listed)
    changed = True
    while changed:
        changed = False
        for c in companies:
            total = sum(
                (Fraction(repr(s.percent)) for s in c.owners if s.owner in covered), Fraction(0)
            )
            if c.id not in covered and total >= 50:
                covered.add(c.id)
                changed = True
    return covered


@settings(max_examples=300, deadline=None)
@given(ownership_graphs())
def test_the_affiliates_test_is_the_brute_force_fixpoint(
    graph: tuple[list[Company], set[str]],
) -> None:
    companies, listed = graph
    test = affiliation(companies, listed)
    assert {c.id for c in companies if test.covered(c.id)} == brute_force(companies, listed)


@settings(max_examples=150, deadline=None)
@given(ownership_graphs())
def test_the_criterion_on_a_world_agrees_with_the_brute_force(
    graph: tuple[list[Company], set[str]],
) -> None:
    companies, listed = graph
    world = World(
        states=[State(id="CN", name="China"), State(id="US", name="United States")],
        companies=companies,
        party_lists=[
            PartyList(
                id="el",
                issuer="US",
                name="Entity List",
                listings=[Listing(company=x, start=D(2020, 1, 1)) for x in sorted(listed)],
            )
        ],
    )
    expected = brute_force(companies, listed)
    rule = BuyerListed(["el"], affiliates=True)
    for c in world.companies:
        facts = Facts(world, ON, CHIP, c, "US", "CN", "CN", "US")
        assert rule.evaluate(facts).truth is Truth.of(c.id in expected), c.id


def test_the_account_names_the_stakes_that_count() -> None:
    world = World(
        states=[State(id="CN", name="China"), State(id="US", name="United States")],
        companies=[company("l"), company("m"), company("a", l=30, m=25, x=10), company("x")],
        party_lists=[
            PartyList(
                id="el",
                issuer="US",
                name="Entity List",
                listings=[Listing(company=x, start=D(2020, 1, 1)) for x in ("l", "m")],
            )
        ],
    )
    buyer = world.company("a")
    facts = Facts(world, ON, CHIP, buyer, "US", "CN", "CN", "US")
    assert BuyerListed(["el"], affiliates=True).evaluate(facts).lines() == [
        "buyer listed on {el} or 50 % or more owned by listed parties "
        "(a 55 % owned by parties on el: l 30 %, m 25 %): true"
    ]
    assert BuyerListed(["el"]).evaluate(facts).lines() == [
        "buyer listed on {el} (a on none): false"
    ]


# -- the affiliates rule on the catalogue ------------------------------------------------------

# No company of the catalogue is an unlisted affiliate of a listed party, so hypothetical joint
# ventures in Singapore are added, owned by Huawei (Entity List since 2019-05-16) and SMIC (since
# 2020-12-18). The item is the RTX 4090 D, outside 3A090, so only the Entity List policies can
# reach it. 30 % + 20 % held by listed parties is 50 %: covered, in aggregate; 30 % + 19.99 % is
# not. The rule is in force from 2025-09-29 and suspended 2025-11-10 through 2026-11-09; from
# 2026-11-10 the suspension rule's text has it back, which the catalogue leaves uncertain (no
# source read says whether the suspension was extended) and the reform `lapse-truce` settles.
JOINT_VENTURES = [
    {
        "id": "jv-50",
        "name": "JV 50",
        "hq": "SG",
        "owners": [{"owner": "huawei", "percent": 30}, {"owner": "smic", "percent": 20}],
    },
    {
        "id": "jv-4999",
        "name": "JV 49.99",
        "hq": "SG",
        "owners": [{"owner": "huawei", "percent": 30}, {"owner": "smic", "percent": 19.99}],
    },
]
AFFILIATES = "us-bis-2025-09-29-affiliates-rule"


@pytest.fixture(scope="module")
def jv_world() -> World:
    data = io.world_to_data(catalog.world())
    data["companies"].extend(JOINT_VENTURES)
    return io.world_from_data(data)


@pytest.mark.parametrize(
    ("buyer", "on", "verdict", "determining"),
    [
        ("jv-50", D(2025, 10, 1), "LICENSE_REQUIRED", (AFFILIATES,)),
        ("jv-4999", D(2025, 10, 1), "ALLOWED", ()),
        ("jv-50", D(2025, 9, 28), "ALLOWED", ()),
        ("jv-50", D(2026, 11, 9), "ALLOWED", ("us-bis-2025-11-10-affiliates-suspension",)),
        ("jv-4999", D(2026, 11, 10), "ALLOWED", ()),
    ],
)
def test_aggregate_stakes_of_listed_owners_on_the_catalogue(
    jv_world: World, buyer: str, on: dt.date, verdict: str, determining: tuple[str, ...]
) -> None:
    decision = evaluate(
        jv_world,
        AccessRequest(buyer=buyer, item="nvidia-rtx-4090d", on=on, route=("US", "SG")),
    )
    assert decision.verdict.name == verdict, decision.explain()
    assert decision.determining_policies == determining, decision.explain()
    assert decision.certain
    if verdict == "LICENSE_REQUIRED":
        assert decision.review is ReviewPolicy.PRESUMPTION_OF_DENIAL


def test_after_the_suspension_the_affiliates_rule_is_the_open_question(jv_world: World) -> None:
    request = AccessRequest(
        buyer="jv-50", item="nvidia-rtx-4090d", on=D(2026, 11, 10), route=("US", "SG")
    )
    open_ = evaluate(jv_world, request)
    # the legal default decides, not certainly: the suspension's continuation may match
    assert (open_.verdict.name, open_.determining_policies) == ("LICENSE_REQUIRED", (AFFILIATES,))
    assert not open_.certain
    assert [(u.policy, u.needs) for u in open_.unknowns] == [
        (
            "us-bis-2026-11-10-affiliates-suspension-unsettled",
            frozenset(
                {"whether the US extended the affiliates rule's suspension beyond 2026-11-09"}
            ),
        )
    ]
    lapsed = evaluate(catalog.reforms()["lapse-truce"].apply(jv_world), request)
    assert (lapsed.verdict.name, lapsed.certain) == ("LICENSE_REQUIRED", True)
    extended = evaluate(catalog.reforms()["extend-truce"].apply(jv_world), request)
    assert (extended.verdict.name, extended.determining_policies, extended.certain) == (
        "ALLOWED",
        ("us-bis-2025-11-10-affiliates-suspension",),
        True,
    )


def test_holders_are_every_stake_up_the_graph() -> None:
    world = World(
        states=[State(id="CN", name="China")],
        companies=[company("l"), company("c", l=49.99), company("e", c=100), company("x")],
    )
    assert [h.id for h in world.holders("e")] == ["c", "l"]
    assert world.holders("x") == ()
    # the parent chain follows majority stakes only
    assert [a.id for a in world.ancestors("e")] == ["c"]


def test_a_document_with_the_old_parent_key_says_how_to_write_stakes() -> None:
    doc = {
        "states": [{"id": "CN", "name": "China"}],
        "companies": [
            {"id": "a", "name": "A", "hq": "CN"},
            {"id": "b", "name": "B", "hq": "CN", "parent": "a"},
        ],
    }
    with pytest.raises(DocumentError) as info:
        io.world_from_data(doc)
    assert info.value.problems == (
        "companies[1]: unknown key 'parent': a company lists its owners' stakes; write owners = "
        '[{ owner = "<company id>", percent = <0-100> }] (a parent holds more than 50)',
    )
