"""The World: validation that reports every problem at once, look-ups with close matches,
classification on dates, and reforms as pure functions."""

from __future__ import annotations

import datetime as dt
import pickle

import attrs
import pytest

from geotech import (
    All,
    BuyerIs,
    BuyerListed,
    Chip,
    Company,
    ControlClass,
    CountryGroup,
    DestinationIn,
    ExportPolicy,
    GeotechError,
    ImporterIn,
    ItemClass,
    ItemIs,
    Listing,
    Material,
    Membership,
    Model,
    Not,
    PartyList,
    Reexport,
    ReviewPolicy,
    Spec,
    Stake,
    State,
    Truth,
    UnknownEntityError,
    World,
    WorldError,
)
from geotech.criteria import Criterion, depth
from geotech.errors import InvalidValueError
from geotech.world import MAX_CRITERION_DEPTH

D = dt.date
US = State(id="US", name="United States")
CN = State(id="CN", name="China")


def export(id: str, **fields: object) -> ExportPolicy:
    base: dict[str, object] = {
        "issuer": "US",
        "title": id,
        "criterion": Reexport(),
        "effect": "prohibit",
        "effective": D(2024, 1, 1),
    }
    return ExportPolicy(id=id, **{**base, **fields})  # type: ignore[arg-type]


def klass(id: str, effective: dt.date, expires: dt.date | None = None) -> ControlClass:
    return ControlClass(
        id=id,
        issuer="US",
        code="3A090.a",
        title=id,
        criterion=Spec("tpp", ">=", 4800),
        effective=effective,
        expires=expires,
    )


def problems_of(**kinds: object) -> tuple[str, ...]:
    with pytest.raises(WorldError) as info:
        World(**kinds)  # type: ignore[arg-type]
    return info.value.problems


# -- validation -----------------------------------------------------------------------------------


def test_every_problem_is_reported_at_once() -> None:
    problems = problems_of(
        states=[US, US, CN],
        companies=[
            Company(id="nvidia", name="NVIDIA", hq="US"),
            Company(id="a", name="A", hq="US", owners=[Stake(owner="b", percent=10)]),
            Company(id="b", name="B", hq="XX", owners=[Stake(owner="a", percent=60)]),
        ],
        chips=[Chip(id="x1", name="X1", designer="nvidai")],
        classes=[klass("k2020", D(2020, 1, 1)), klass("k2022", D(2022, 1, 1))],
        policies=[
            export("p", supersedes=["q"]),
            export("q", supersedes=["p", "zz"]),
        ],
    )
    assert set(problems) == {
        "states: id 'US' is used 2 times; ids must be unique",
        "companies[b].hq: unknown state 'XX'",
        "companies[a].owners: the stakes form a cycle (a owned by b owned by a); remove one of "
        "them",
        "companies[b].owners: the stakes form a cycle (b owned by a owned by b); remove one of "
        "them",
        "chips[x1].designer: unknown company 'nvidai'; did you mean 'nvidia'?",
        "classes: 'k2020' and 'k2022' both define US 3A090.a on 2022-01-01; end the earlier "
        "one (expires) on or before the later one's effective date",
        "policies[q].supersedes: unknown policy 'zz'",
        "policies: supersedes cycle p -> q -> p; a policy cannot set itself aside",
    }
    assert len(problems) == 8


def test_world_error_lists_problems_in_its_message() -> None:
    with pytest.raises(WorldError) as info:
        World(states=[US, US], companies=[Company(id="a", name="A", hq="CN")])
    assert str(info.value) == (
        "invalid world: 2 problems\n"
        "  - states: id 'US' is used 2 times; ids must be unique\n"
        "  - companies[a].hq: unknown state 'CN'"
    )
    assert isinstance(info.value, GeotechError)


def test_items_share_one_namespace() -> None:
    problems = problems_of(
        states=[US],
        companies=[Company(id="acme", name="Acme", hq="US")],
        chips=[Chip(id="x1", name="X1", designer="acme")],
        models=[Model(id="x1", name="X1 model", developer="acme")],
    )
    assert problems == (
        "items: id 'x1' names more than one of chips, models, materials and equipment",
    )


def test_adjacent_class_versions_do_not_overlap() -> None:
    world = World(
        states=[US],
        classes=[klass("k2022", D(2022, 10, 7), D(2023, 11, 17)), klass("k2023", D(2023, 11, 17))],
    )
    assert world.ids("control class") == {"k2022", "k2023"}


def test_dangling_references_in_criteria() -> None:
    problems = problems_of(
        states=[US, CN],
        companies=[Company(id="huawei", name="Huawei", hq="CN")],
        chips=[Chip(id="nvidia-h200", name="H200", designer="huawei")],
        classes=[klass("k2023", D(2023, 11, 17))],
        policies=[
            export(
                "p",
                criterion=All(
                    of=[
                        ImporterIn(groups=["us-ear-d6"], states=["MO"]),
                        BuyerListed(["us-entity-lst"]),
                        ItemIs(["nvidia-h20"]),
                        ItemClass(["3A090.b"]),
                        BuyerIs(["huawai"]),
                    ]
                ),
            )
        ],
    )
    assert set(problems) == {
        "policies[p].criterion.groups: unknown group 'us-ear-d6'",
        "policies[p].criterion.states: unknown state 'MO'",
        "policies[p].criterion.lists: unknown party list 'us-entity-lst'",
        "policies[p].criterion.ids: unknown item 'nvidia-h20'; did you mean 'nvidia-h200'?",
        "policies[p].criterion.codes: unknown class code '3A090.b'; did you mean '3A090.a'?",
        "policies[p].criterion.ids: unknown company 'huawai'; did you mean 'huawei'?",
    }


def test_class_definitions_may_only_test_the_item() -> None:
    k = attrs.evolve(
        klass("k", D(2023, 1, 1)),
        criterion=All(of=[Spec("tpp", ">=", 4800), DestinationIn(states=["US"])]),
    )
    assert problems_of(states=[US], classes=[k]) == (
        "classes[k].criterion: a class definition may only test the item, not "
        "'destination_in' (it reads destination, on); test the item's kind, id and specs only",
    )


def test_criteria_nested_too_deep_cannot_be_built() -> None:
    deep = Reexport()
    for _ in range(MAX_CRITERION_DEPTH - 1):
        deep = Not(deep)
    with pytest.raises(InvalidValueError, match=f"nested deeper than {MAX_CRITERION_DEPTH}"):
        Not(deep)
    just_fits = Not(Reexport())
    for _ in range(MAX_CRITERION_DEPTH - 2):
        just_fits = Not(just_fits)
    world = World(states=[US], policies=[export("p", criterion=just_fits)])
    assert world.policy("p").criterion == just_fits


def test_ten_thousand_deep_criterion_is_one_error_not_a_crash() -> None:
    built: list[Criterion] = [Reexport()]

    def build() -> None:
        for _ in range(10_000):
            built.append(Not(built[-1]))

    with pytest.raises(InvalidValueError, match=f"nested deeper than {MAX_CRITERION_DEPTH}"):
        build()
    assert depth(built[-1]) == MAX_CRITERION_DEPTH


def test_overlapping_listings() -> None:
    listings = [
        Listing(company="huawei", start=D(2019, 5, 16)),
        Listing(company="huawei", start=D(2020, 1, 1)),
    ]
    problems = problems_of(
        states=[US, CN],
        companies=[Company(id="huawei", name="Huawei", hq="CN")],
        party_lists=[PartyList(id="el", issuer="US", name="EL", listings=listings)],
    )
    assert problems == (
        "party_lists[el].listings[huawei]: listings from 2019-05-16 and 2020-01-01 overlap; "
        "end the first before the second starts",
    )


def test_group_members_must_be_states() -> None:
    group = CountryGroup(id="g", issuer="US", code="G", name="G", members=[Membership(state="RU")])
    assert problems_of(states=[US], groups=[group]) == (
        "groups[g].members[RU]: unknown state 'RU'; did you mean 'US'?",
    )


def test_model_training_chip_must_be_a_chip() -> None:
    problems = problems_of(
        states=[US],
        companies=[Company(id="lab", name="Lab", hq="US")],
        materials=[Material(id="gallium", name="Gallium", category="mineral")],
        models=[Model(id="m", name="M", developer="lab", training_chip="gallium")],
    )
    assert len(problems) == 1
    assert problems[0].startswith("models[m].training_chip: ")
    assert "'gallium'" in problems[0]


def test_records_are_kept_sorted_so_order_does_not_matter(mini_world: World) -> None:
    shuffled = World(
        states=mini_world.states[::-1],
        groups=mini_world.groups,
        companies=mini_world.companies[::-1],
        party_lists=mini_world.party_lists,
        chips=mini_world.chips[::-1],
        classes=mini_world.classes[::-1],
        policies=mini_world.policies[::-1],
    )
    assert shuffled == mini_world
    assert [s.id for s in mini_world.states] == ["CN", "MO", "SG", "TW", "US"]


# -- look-ups -------------------------------------------------------------------------------------


def test_look_ups(mini_world: World) -> None:
    assert mini_world.chip("nvidia-h200").name == "NVIDIA H200 SXM"
    assert mini_world.state("CN").name == "China"
    assert mini_world.group("us-ear-d5").code == "D:5"
    assert mini_world.company("bytedance-sg").parent == "bytedance"
    assert mini_world.party_list("us-entity-list").issuer == "US"
    assert mini_world.control_class("us-3a090a-2023").code == "3A090.a"
    assert mini_world.policy("us-2026-h200-case-by-case").review is ReviewPolicy.CASE_BY_CASE
    assert mini_world.item("nvidia-h20") is mini_world.chip("nvidia-h20")


def test_unknown_id_raises_with_close_matches(mini_world: World) -> None:
    with pytest.raises(UnknownEntityError) as info:
        mini_world.chip("nvidia-h2000")
    error = info.value
    assert error.kind == "chip"
    assert error.key == "nvidia-h2000"
    assert error.suggestions == ("nvidia-h200", "nvidia-h20", "nvidia-h100-sxm")
    assert str(error) == (
        "unknown chip 'nvidia-h2000'; did you mean 'nvidia-h200', 'nvidia-h20', 'nvidia-h100-sxm'?"
    )
    assert isinstance(error, GeotechError)
    assert isinstance(error, KeyError)


def test_unknown_id_without_close_matches(mini_world: World) -> None:
    with pytest.raises(UnknownEntityError) as info:
        mini_world.company("openai")
    assert info.value.suggestions == ()
    assert str(info.value) == "unknown company 'openai'"


@pytest.mark.parametrize(
    ("look_up", "key", "kind"),
    [
        ("state", "RU", "state"),
        ("group", "us-ear-d1", "group"),
        ("party_list", "us-dod-1260h", "party list"),
        ("control_class", "us-3a090b-2023", "control class"),
        ("policy", "us-2025-ai-diffusion", "policy"),
        ("model", "nvidia-h200", "model"),
        ("material", "nvidia-h200", "material"),
    ],
)
def test_every_look_up_raises_unknown_entity(
    mini_world: World, look_up: str, key: str, kind: str
) -> None:
    with pytest.raises(UnknownEntityError) as info:
        getattr(mini_world, look_up)(key)
    assert info.value.kind == kind


def test_look_up_with_a_non_string_raises_unknown_entity(mini_world: World) -> None:
    with pytest.raises(UnknownEntityError):
        mini_world.company(["bytedance"])  # type: ignore[arg-type]


def test_ids_and_jurisdictions(mini_world: World) -> None:
    assert mini_world.ids("item") == {
        "nvidia-h100-sxm",
        "nvidia-h20",
        "nvidia-h200",
        "nvidia-rtx-4090",
        "nvidia-rtx-4090d",
    }
    assert mini_world.jurisdictions(mini_world.chip("nvidia-h200")) == {"US"}
    explicit = attrs.evolve(mini_world.chip("nvidia-h200"), jurisdictions=["US", "TW"])
    assert mini_world.jurisdictions(explicit) == {"US", "TW"}


def test_ancestors_nearest_first(mini_world: World) -> None:
    assert [c.id for c in mini_world.ancestors("bytedance-sg")] == ["bytedance"]
    assert mini_world.ancestors("bytedance") == ()


# -- classification on dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chip", "on", "codes"),
    [
        ("nvidia-h200", D(2022, 10, 6), ()),
        ("nvidia-h200", D(2022, 10, 7), ("3A090.a",)),
        ("nvidia-h200", D(2024, 1, 1), ("3A090.a",)),
        ("nvidia-h100-sxm", D(2024, 1, 1), ("3A090.a",)),
        ("nvidia-h20", D(2024, 1, 1), ()),
        # 2022: TPP 5284.8 >= 4800 but no chip-to-chip interconnect is published: unknown.
        ("nvidia-rtx-4090", D(2023, 11, 16), ()),
        # 2023: TPP >= 4800 alone suffices, whatever the market.
        ("nvidia-rtx-4090", D(2023, 11, 17), ("3A090.a",)),
        # Note 2: not a datacenter part and TPP 4707 < 4800, despite PD 7.7 >= 5.92.
        ("nvidia-rtx-4090d", D(2024, 1, 1), ()),
    ],
)
def test_classify_on_dates(mini_world: World, chip: str, on: dt.date, codes: tuple[str]) -> None:
    assert mini_world.classify(chip, on=on) == codes


def test_classify_only_returns_certain_classes(mini_world: World) -> None:
    step = mini_world.class_step("3A090.a", mini_world.chip("nvidia-rtx-4090"), D(2023, 1, 1))
    assert step.truth is Truth.UNKNOWN
    assert step.needs == {"nvidia-rtx-4090.interconnect_gbs"}
    assert step.text == "class 3A090.a (us-3a090a-2022, 87 FR 62186)"


def test_classify_takes_an_item_value(mini_world: World) -> None:
    h200 = mini_world.chip("nvidia-h200")
    assert mini_world.classify(h200, on=D(2024, 1, 1)) == ("3A090.a",)
    slower = attrs.evolve(h200, id="nvidia-h200-slow", throughput=[], die_area_mm2=None)
    assert mini_world.classify(slower, on=D(2024, 1, 1)) == ()


def test_classify_unknown_item_raises(mini_world: World) -> None:
    with pytest.raises(UnknownEntityError, match="did you mean 'nvidia-h20', 'nvidia-h200'"):
        mini_world.classify("nvidia-h201", on=D(2024, 1, 1))


def test_a_class_code_belongs_to_one_issuer() -> None:
    """Policies name classes by code, so two issuers defining one code would be ambiguous."""
    k = {"code": "3A090.a", "title": "t", "criterion": All(()), "effective": D(2020, 1, 1)}
    problems = problems_of(
        states=[US, CN],
        classes=[
            ControlClass(id="us-k", issuer="US", **k),  # type: ignore[arg-type]
            ControlClass(id="cn-k", issuer="CN", **k),  # type: ignore[arg-type]
        ],
    )
    assert problems == (
        "classes: code '3A090.a' is defined by CN, US; a class code belongs to one issuer "
        "(prefix it, e.g. 'CN:...')",
    )


def test_errors_survive_pickling_for_process_pools(mini_world: World) -> None:
    import pickle

    with pytest.raises(UnknownEntityError) as info:
        mini_world.chip("nvidia-h2000")
    again = pickle.loads(pickle.dumps(info.value))
    assert (type(again), str(again), again.suggestions) == (
        UnknownEntityError,
        str(info.value),
        info.value.suggestions,
    )
    problems = pickle.loads(pickle.dumps(WorldError(["a: b", "c: d"])))
    assert problems.problems == ("a: b", "c: d")


def test_derived_values_are_computed_once_and_not_pickled(mini_world: World) -> None:
    world = attrs.evolve(mini_world)  # a world of this test's own
    calls: list[World] = []

    def count_states(w: World) -> int:
        calls.append(w)
        return len(w.states)

    assert world.derived("states", count_states) == len(world.states)
    assert world.derived("states", count_states) == len(world.states)
    assert calls == [world]
    copy = pickle.loads(pickle.dumps(world))
    assert copy == world
    assert copy.derived("states", count_states) == len(world.states)
    assert len(calls) == 2  # the copy computed its own
