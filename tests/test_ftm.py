"""FollowTheMoney interop: the entities ``to_ftm`` writes (exact, and valid for FtM's model),
the round trip through ``from_ftm`` (on the catalogue, the mini world and as a Hypothesis law),
an OpenSanctions-like fixture imported with exact results, and malformed inputs."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from typing import Any

import attrs
import pytest
from hypothesis import assume, given, settings

from geotech import (
    Company,
    DocumentError,
    GeotechError,
    Listing,
    PartyList,
    Role,
    Stake,
    State,
    Status,
    World,
    catalog,
    strategies,
)
from geotech.interop import ftm

D = dt.date
BIS = "https://www.federalregister.gov/d/2024-28267"


def _stripped(world: World) -> World:
    """The world without companies and listings: what ``from_ftm`` must restore."""
    return World(
        states=world.states,
        party_lists=tuple(attrs.evolve(p, listings=()) for p in world.party_lists),
    )


def _small_world() -> World:
    return World(
        states=[State(id="CN", name="China"), State(id="US", name="United States")],
        companies=[
            Company(id="parent-co", name="Parent Co", hq="CN", roles=[Role.PLATFORM]),
            Company(
                id="child-co",
                name="Child Co",
                hq="CN",
                owners=[Stake(owner="parent-co", percent=60, status=Status.REPORTED)],
                roles=[Role.CHIP_DESIGNER, Role.CLOUD],
                sources=["https://example.org/child"],
            ),
        ],
        party_lists=[
            PartyList(
                id="us-entity-list",
                issuer="US",
                name="US Entity List",
                listings=[
                    Listing(company="child-co", start=D(2020, 1, 2), citation="85 FR 1"),
                    Listing(
                        company="parent-co",
                        start=D(2021, 3, 4),
                        end=D(2022, 5, 6),
                        status=Status.REPORTED,
                        sources=[BIS],
                    ),
                ],
            )
        ],
    )


# ---------------------------------------------------------------------------------------------
# World -> FtM


def test_to_ftm_writes_companies_ownership_and_sanctions() -> None:
    assert list(ftm.to_ftm(_small_world())) == [
        {
            "id": "geotech-company-child-co",
            "schema": "Company",
            "properties": {
                "name": ["Child Co"],
                "jurisdiction": ["cn"],
                "country": ["cn"],
                "sector": ["chip_designer", "cloud"],
                "sourceUrl": ["https://example.org/child"],
            },
        },
        {
            "id": "geotech-company-parent-co",
            "schema": "Company",
            "properties": {
                "name": ["Parent Co"],
                "jurisdiction": ["cn"],
                "country": ["cn"],
                "sector": ["platform"],
            },
        },
        {
            "id": "geotech-ownership-child-co-parent-co",
            "schema": "Ownership",
            "properties": {
                "owner": ["geotech-company-parent-co"],
                "asset": ["geotech-company-child-co"],
                "percentage": ["60"],
                "role": ["parent"],
                "status": ["reported"],
            },
        },
        {
            "id": "geotech-sanction-us-entity-list-child-co-2020-01-02",
            "schema": "Sanction",
            "properties": {
                "entity": ["geotech-company-child-co"],
                "authority": ["United States"],
                "program": ["US Entity List"],
                "programId": ["us-entity-list"],
                "country": ["us"],
                "startDate": ["2020-01-02"],
                "reason": ["85 FR 1"],
            },
        },
        {
            "id": "geotech-sanction-us-entity-list-parent-co-2021-03-04",
            "schema": "Sanction",
            "properties": {
                "entity": ["geotech-company-parent-co"],
                "authority": ["United States"],
                "program": ["US Entity List"],
                "programId": ["us-entity-list"],
                "country": ["us"],
                "startDate": ["2021-03-04"],
                "endDate": ["2022-05-06"],
                "sourceUrl": [BIS],
                "status": ["reported"],
            },
        },
    ]


def test_a_stake_is_written_as_its_exact_percentage() -> None:
    assert ftm.ownership("b", Stake(owner="a", percent=30)) == {
        "id": "geotech-ownership-b-a",
        "schema": "Ownership",
        "properties": {
            "owner": ["geotech-company-a"],
            "asset": ["geotech-company-b"],
            "percentage": ["30"],
        },
    }
    control = ftm.ownership("b", Stake(owner="a", percent=59.45))
    assert control["properties"]["role"] == ["parent"]
    assert control["properties"]["percentage"] == ["59.45"]
    # the shortest decimal that reads back to the float: nothing is rounded away
    odd = ftm.ownership("b", Stake(owner="a", percent=12.3456789012))
    assert odd["properties"]["percentage"] == ["12.3456789012"]
    assert ftm.ownership("b", Stake(owner="a", percent=50))["properties"].get("role") is None


def test_stakes_are_read_with_their_percentages_and_status() -> None:
    world = _stripped(_small_world())
    entities = [
        *ftm.to_ftm(_small_world()),
        {
            "id": "own-minor",
            "schema": "Ownership",
            "properties": {
                "owner": ["geotech-company-parent-co"],
                "asset": ["geotech-company-child-co"],
                "percentage": ["60 %"],
            },
        },
    ]
    child = ftm.from_ftm(entities, world).company("child-co")
    assert child.owners == (Stake(owner="parent-co", percent=60, status=Status.REPORTED),)
    assert child.parent == "parent-co"


@pytest.mark.parametrize(
    ("percentages", "problem"),
    [
        (["0"], "expected a percentage > 0 and <= 100 such as '51' or '51%', got '0'"),
        (["most"], "expected a percentage > 0 and <= 100 such as '51' or '51%', got 'most'"),
        (["120%"], "expected a percentage > 0 and <= 100 such as '51' or '51%', got '120%'"),
    ],
)
def test_a_stake_outside_0_to_100_is_a_problem(percentages: list[str], problem: str) -> None:
    entities = [
        *ftm.to_ftm(_small_world()),
        {
            "id": "own-x",
            "schema": "Ownership",
            "properties": {
                "owner": ["geotech-company-child-co"],
                "asset": ["geotech-company-parent-co"],
                "percentage": percentages,
            },
        },
    ]
    with pytest.raises(DocumentError) as info:
        ftm.from_ftm(entities, _stripped(_small_world()))
    assert info.value.problems == (f"entities[own-x].properties.percentage: {problem}",)


def test_stakes_over_100_percent_and_a_second_stake_are_problems() -> None:
    def own(key: str, owner: str, percent: str) -> dict[str, Any]:
        return {
            "id": key,
            "schema": "Ownership",
            "properties": {
                "owner": [f"geotech-company-{owner}"],
                "asset": ["geotech-company-child-co"],
                "percentage": [percent],
            },
        }

    base = list(ftm.to_ftm(_small_world()))
    third = {"id": "geotech-company-third", "schema": "Company"}
    third["properties"] = {"name": ["Third"], "country": ["us"]}
    with pytest.raises(DocumentError) as info:
        ftm.from_ftm([*base, third, own("own-t", "third", "45")], _stripped(_small_world()))
    assert info.value.problems == (
        "entities[geotech-ownership-child-co-parent-co, own-t].properties.percentage: the "
        "stakes in 'child-co' add up to 105 %, more than 100 %; correct or drop one",
    )
    with pytest.raises(DocumentError) as info:
        ftm.from_ftm([*base, own("own-p", "parent-co", "40")], _stripped(_small_world()))
    assert info.value.problems == (
        "entities[own-p].properties.percentage: 'parent-co' already holds 60 % of 'child-co' "
        "(from geotech-ownership-child-co-parent-co); an owner holds one stake in a company",
    )


def test_every_entity_validates_against_the_ftm_model() -> None:
    fm = pytest.importorskip("followthemoney", reason="needs pip install 'geotech[ftm]'")
    entities = [*ftm.to_ftm(catalog.world()), *ftm.to_ftm(_small_world())]
    assert {e["schema"] for e in entities} == {"Company", "Ownership", "Sanction"}
    for e in entities:
        proxy = fm.model.get_proxy(e, cleaned=False)
        schema = fm.model.get(e["schema"])
        assert proxy.schema is schema
        assert set(e["properties"]) <= set(schema.properties), e["id"]
        # FtM's cleaning keeps every value: codes, dates and URLs are in its canonical form
        for name, values in e["properties"].items():
            assert sorted(proxy.get(name)) == sorted(values), (e["id"], name)
    assert [p.id for p in ftm.proxies(entities)] == [e["id"] for e in entities]
    # the hand-written OpenSanctions-like fixture below is valid FtM too
    assert len(list(ftm.proxies(OPEN_SANCTIONS_ENTITIES))) == len(OPEN_SANCTIONS_ENTITIES)


def test_proxies_names_the_extra_and_the_rejected_entity(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("followthemoney", reason="needs pip install 'geotech[ftm]'")
    bad = {"id": "x", "schema": "Spaceship", "properties": {}}
    with pytest.raises(DocumentError, match=r"entities\[x\]: FollowTheMoney rejects it"):
        list(ftm.proxies([bad]))
    monkeypatch.setitem(sys.modules, "followthemoney", None)
    with pytest.raises(GeotechError, match=r"pip install 'geotech\[ftm\]'"):
        list(ftm.proxies([bad]))


def test_json_lines_round_trip() -> None:
    entities = list(ftm.to_ftm(_small_world()))
    out = io.StringIO()
    assert ftm.write_jsonl(entities, out) == 5
    lines = out.getvalue().splitlines()
    assert json.loads(lines[0])["id"] == "geotech-company-child-co"
    assert list(ftm.read_jsonl(io.StringIO(out.getvalue() + "\n"))) == entities
    with pytest.raises(DocumentError, match=r"line 2: not JSON"):
        list(ftm.read_jsonl(io.StringIO('{"id": "a"}\n{nope\n')))
    with pytest.raises(DocumentError, match=r"line 1: expected an entity object, got JSON \[1\]"):
        list(ftm.read_jsonl(io.StringIO("[1]\n")))


# ---------------------------------------------------------------------------------------------
# Round trip


@pytest.mark.parametrize("world", [catalog.world(), _small_world()], ids=["catalogue", "small"])
def test_round_trip_restores_companies_parents_and_listings(world: World) -> None:
    back = ftm.from_ftm(reversed(list(ftm.to_ftm(world))), _stripped(world))
    assert back.companies == world.companies
    assert back.party_lists == world.party_lists


def test_round_trip_on_the_mini_world(mini_world: World) -> None:
    back = ftm.from_ftm(ftm.to_ftm(mini_world), _stripped(mini_world))
    assert (back.companies, back.party_lists) == (mini_world.companies, mini_world.party_lists)


@settings(max_examples=60, deadline=None)
@given(strategies.worlds())
def test_round_trip_law(world: World) -> None:
    """from_ftm(to_ftm(w), w without companies and listings) restores them, for any world
    whose companies have names (FtM has no nameless company)."""
    assume(all(c.name for c in world.companies))
    back = ftm.from_ftm(ftm.to_ftm(world), _stripped(world))
    assert back.companies == world.companies
    assert back.party_lists == world.party_lists


def test_importing_twice_adds_new_companies_and_no_listing_twice() -> None:
    world = _small_world()
    twice = ftm.from_ftm(ftm.to_ftm(world), world)
    assert [c.id for c in twice.companies] == ["child-co", "child-co-2", "parent-co", "parent-co-2"]
    assert twice.company("child-co-2").parent == "parent-co-2"
    known = {ftm.company_id(c.id): c.id for c in world.companies}
    assert ftm.from_ftm(ftm.to_ftm(world), world, known=known) == world


# ---------------------------------------------------------------------------------------------
# An OpenSanctions-like export: a listed Chinese company, its parent (and a person holding a
# minority stake), a US Entity List designation, a designation under a program left out, and
# two companies whose names slugify alike.

OPEN_SANCTIONS_ENTITIES: list[dict[str, Any]] = [
    {
        "id": "NK-jr-semi",
        "schema": "Company",
        "properties": {
            "name": ["Jade River Semiconductor Co., Ltd."],
            "country": ["cn"],
            "jurisdiction": ["cn"],
            "sector": ["Semiconductors"],
            "sourceUrl": ["https://example.org/jade-river"],
            "topics": ["export.control"],
        },
    },
    {
        "id": "NK-jr-hold",
        "schema": "Organization",
        "properties": {"name": ["Jade River Holdings"], "mainCountry": ["cn"]},
    },
    {
        "id": "NK-person",
        "schema": "Person",
        "properties": {"name": ["Li Example"], "nationality": ["cn"]},
    },
    {
        "id": "own-1",
        "schema": "Ownership",
        "properties": {"owner": ["NK-jr-hold"], "asset": ["NK-jr-semi"], "percentage": ["75%"]},
    },
    {
        "id": "own-2",
        "schema": "Ownership",
        "properties": {"owner": ["NK-person"], "asset": ["NK-jr-semi"], "percentage": ["25"]},
    },
    {
        "id": "san-el",
        "schema": "Sanction",
        "properties": {
            "entity": ["NK-jr-semi"],
            "authority": ["Bureau of Industry and Security"],
            "program": ["Entity List (EL) - Bureau of Industry and Security"],
            "startDate": ["2024-12-05"],
            "reason": ["89 FR 96790"],
            "sourceUrl": ["https://www.federalregister.gov/d/2024-28267"],
        },
    },
    {
        "id": "san-ofac",
        "schema": "Sanction",
        "properties": {
            "entity": ["NK-jr-hold"],
            "authority": ["Office of Foreign Assets Control"],
            "program": ["SDN"],
            "startDate": ["2025-01-01"],
        },
    },
    {
        "id": "san-person",
        "schema": "Sanction",
        "properties": {
            "entity": ["NK-person"],
            "program": ["Entity List (EL) - Bureau of Industry and Security"],
            "startDate": ["2024-12-05"],
        },
    },
    {"id": "NK-a", "schema": "Company", "properties": {"name": ["Twin Tech"], "country": ["cn"]}},
    {
        "id": "NK-b",
        "schema": "LegalEntity",
        "properties": {"name": ["Twin  Tech"], "country": ["us", "cn"]},
    },
]
#: The export as JSON lines, as OpenSanctions publishes it.
OPEN_SANCTIONS = "".join(json.dumps(e) + "\n" for e in OPEN_SANCTIONS_ENTITIES)

PROGRAMS = {"Entity List (EL) - Bureau of Industry and Security": "us-entity-list", "SDN": None}


def test_an_open_sanctions_export_imports_with_exact_results() -> None:
    world = _small_world()
    entities = list(ftm.read_jsonl(io.StringIO(OPEN_SANCTIONS)))
    got = ftm.from_ftm(entities, world, programs=PROGRAMS)
    new = [c for c in got.companies if c not in world.companies]
    assert new == [
        Company(id="jade-river-holdings", name="Jade River Holdings", hq="CN"),
        Company(
            id="jade-river-semiconductor-co-ltd",
            name="Jade River Semiconductor Co., Ltd.",
            hq="CN",
            owners=[Stake(owner="jade-river-holdings", percent=75)],
            sources=("https://example.org/jade-river",),
        ),
        Company(id="twin-tech", name="Twin Tech", hq="CN"),
        Company(id="twin-tech-2", name="Twin  Tech", hq="US"),
    ]
    listings = got.party_list("us-entity-list").listings
    assert [x for x in listings if x not in world.party_list("us-entity-list").listings] == [
        Listing(
            company="jade-river-semiconductor-co-ltd",
            start=D(2024, 12, 5),
            citation="89 FR 96790",
            sources=("https://www.federalregister.gov/d/2024-28267",),
        )
    ]
    # entity order does not matter
    assert ftm.from_ftm(reversed(entities), world, programs=PROGRAMS) == got


def test_known_entities_attach_to_companies_of_the_world() -> None:
    world = _small_world()
    entities = list(ftm.read_jsonl(io.StringIO(OPEN_SANCTIONS)))
    got = ftm.from_ftm(entities, world, programs=PROGRAMS, known={"NK-jr-hold": "parent-co"})
    assert "jade-river-holdings" not in got.ids("company")
    assert got.company("jade-river-semiconductor-co-ltd").parent == "parent-co"
    # parent-co already holds 60 % of child-co: another 75 % makes 135 %
    with pytest.raises(DocumentError) as raised:
        ftm.from_ftm(entities, world, programs=PROGRAMS, known={"NK-jr-semi": "child-co"})
    assert raised.value.problems == (
        "entities[own-1].properties.percentage: the stakes in 'child-co' add up to 135 %, more "
        "than 100 %; correct or drop one",
    )


def test_unknown_programs_are_reported_with_the_fix() -> None:
    entities = list(ftm.read_jsonl(io.StringIO(OPEN_SANCTIONS)))
    with pytest.raises(DocumentError) as raised:
        ftm.from_ftm(entities, _small_world())
    assert raised.value.problems == (
        "entities[san-el].properties.program: program 'Entity List (EL) - Bureau of Industry "
        "and Security' names no party list of the world; pass programs={'Entity List (EL) - "
        "Bureau of Industry and Security': '<party list id>'} (or None to leave it out); "
        "party lists: us-entity-list",
        "entities[san-ofac].properties.program: program 'SDN' names no party list of the "
        "world; pass programs={'SDN': '<party list id>'} (or None to leave it out); party "
        "lists: us-entity-list",
    )


# ---------------------------------------------------------------------------------------------
# Malformed input

COMPANY = {"id": "c", "schema": "Company", "properties": {"name": ["C"], "country": ["cn"]}}


def _sanction(**properties: list[str]) -> dict[str, Any]:
    base = {"entity": ["c"], "programId": ["us-entity-list"], "startDate": ["2024-01-01"]}
    return {"id": "s", "schema": "Sanction", "properties": {**base, **properties}}


@pytest.mark.parametrize(
    ("entities", "problem"),
    [
        (["x"], "entities[0]: expected an entity object, got 'x'"),
        ([{"schema": "Company"}], "entities[0].id: expected a non-empty string, got None"),
        ([COMPANY, COMPANY], "entities[c].id: the id is used by two entities; ids are unique"),
        ([{"id": "c"}], "entities[c].schema: expected a schema name such as 'Company'"),
        (
            [{"id": "c", "schema": "Company", "properties": []}],
            "entities[c].properties: expected an object of property lists",
        ),
        (
            [{"id": "c", "schema": "Company", "properties": {"name": "C"}}],
            "entities[c].properties.name: expected a list of strings, got 'C'",
        ),
        (
            [{"id": "c", "schema": "Company", "properties": {"country": ["cn"]}}],
            "entities[c].properties.name: a company needs a name",
        ),
        (
            [{"id": "c", "schema": "Company", "properties": {"name": ["C"]}}],
            "entities[c].properties.country: a company needs a country (mainCountry, "
            "jurisdiction or country)",
        ),
        (
            [{"id": "c", "schema": "Company", "properties": {"name": ["C"], "country": ["fr"]}}],
            "entities[c].properties.country: country 'fr' is not a state of the world; add the "
            "state or give a two-letter code of one",
        ),
        (
            [
                COMPANY,
                {"id": "o", "schema": "Ownership", "properties": {"owner": ["c"], "asset": ["z"]}},
            ],
            "entities[o].properties.asset: refers to 'z', which is not in the input; include it "
            "or pass known={...} to map it to a company of the world",
        ),
        (
            [
                COMPANY,
                {
                    "id": "o",
                    "schema": "Ownership",
                    "properties": {"owner": ["c"], "asset": ["c"], "percentage": ["most"]},
                },
            ],
            "entities[o].properties.owner: 'c' cannot own itself",
        ),
        (
            [COMPANY, {"id": "o", "schema": "Ownership", "properties": {"asset": ["c"]}}],
            "entities[o].properties.owner: missing; it must name an entity id",
        ),
        (
            [COMPANY, _sanction(startDate=["2024-01"])],
            "entities[s].properties.startDate: expected a full date such as 2019-05-16, got "
            "'2024-01'",
        ),
        (
            [COMPANY, _sanction(startDate=[])],
            "entities[s].properties.startDate: a sanction needs a start date",
        ),
        (
            [COMPANY, _sanction(endDate=["2023-01-01"])],
            "entities[s].properties.endDate: Listing: end 2023-01-01 must be after start "
            "2024-01-01 (periods are [start, end))",
        ),
        (
            [COMPANY, _sanction(programId=[])],
            "entities[s].properties.program: a sanction needs a program or an authority",
        ),
    ],
)
def test_malformed_input_names_the_entity_and_property(entities: list[Any], problem: str) -> None:
    with pytest.raises(DocumentError) as raised:
        ftm.from_ftm(entities, _small_world())
    assert raised.value.problems == (problem,)


def test_bad_arguments_are_reported() -> None:
    with pytest.raises(DocumentError) as raised:
        ftm.from_ftm([], _small_world(), programs={"X": "nope"}, known={"k": "ghost"})
    assert raised.value.problems == (
        "known[k]: the world has no company 'ghost'",
        "programs['X']: the world has no party list 'nope'",
    )


def test_slugify() -> None:
    assert ftm.slugify("Huawei Technologies Co., Ltd.") == "huawei-technologies-co-ltd"
    assert ftm.slugify("Société Générale") == "societe-generale"
    assert ftm.slugify("华为") == ""
