"""Criteria: three-valued (Kleene) connectives, leaves with observed values in the trace, dispatch
on the item's kind, and iterative walks over deep trees."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from geotech import (
    All,
    AnyOf,
    BuyerHeadquartered,
    BuyerIs,
    BuyerListed,
    Chip,
    Company,
    CountryGroup,
    Datacenter,
    DestinationIn,
    EndUse,
    ExporterIn,
    GeotechError,
    ImporterIn,
    ItemClass,
    ItemIs,
    ItemKind,
    Material,
    Membership,
    Model,
    Not,
    Op,
    Reexport,
    Spec,
    SpecName,
    State,
    Step,
    Throughput,
    Truth,
    World,
)
from geotech.criteria import MAX_CRITERION_DEPTH, Criterion, Facts, depth, fmt, kinds, walk
from geotech.reforms import ListCompany

D = dt.date
ON = D(2026, 2, 1)

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN


def facts(world: World, **overrides: Any) -> Facts:
    """Facts for ByteDance buying an H200 shipped US -> CN on 2026-02-01 under US rules."""
    fields: dict[str, Any] = {
        "registry": world,
        "on": ON,
        "item": world.item("nvidia-h200"),
        "buyer": world.company("bytedance"),
        "exporter": "US",
        "importer": "CN",
        "destination": "CN",
        "issuer": "US",
    }
    if "item" in overrides and isinstance(overrides["item"], str):
        overrides["item"] = world.item(overrides["item"])
    if "buyer" in overrides and isinstance(overrides["buyer"], str):
        overrides["buyer"] = world.company(overrides["buyer"])
    return Facts(**{**fields, **overrides})


def judge(world: World, criterion: Criterion, **overrides: Any) -> Step:
    return criterion.evaluate(facts(world, **overrides))


# Leaves of known truth under the default facts: the item is the H200 and no end use is given.
LEAF = {
    T: ItemIs(["nvidia-h200"]),
    F: ItemIs(["nvidia-h20"]),
    U: EndUse(["military"]),
}


# -- Kleene tables -----------------------------------------------------------------------------

AND = {
    (T, T): T, (T, U): U, (T, F): F,
    (U, T): U, (U, U): U, (U, F): F,
    (F, T): F, (F, U): F, (F, F): F,
}  # fmt: skip
OR = {
    (T, T): T, (T, U): T, (T, F): T,
    (U, T): T, (U, U): U, (U, F): U,
    (F, T): T, (F, U): U, (F, F): F,
}  # fmt: skip
NOT = {T: F, U: U, F: T}


def test_leaves_have_the_truth_the_tables_assume(mini_world: World) -> None:
    assert {truth: judge(mini_world, leaf).truth for truth, leaf in LEAF.items()} == {
        T: T,
        F: F,
        U: U,
    }


@pytest.mark.parametrize(("a", "b"), list(AND))
def test_all_is_kleene_and(mini_world: World, a: Truth, b: Truth) -> None:
    assert judge(mini_world, All(of=[LEAF[a], LEAF[b]])).truth is AND[a, b]


@pytest.mark.parametrize(("a", "b"), list(OR))
def test_any_is_kleene_or(mini_world: World, a: Truth, b: Truth) -> None:
    assert judge(mini_world, AnyOf(of=[LEAF[a], LEAF[b]])).truth is OR[a, b]


@pytest.mark.parametrize("a", list(NOT))
def test_not_is_kleene_negation(mini_world: World, a: Truth) -> None:
    assert judge(mini_world, Not(LEAF[a])).truth is NOT[a]


def test_empty_connectives(mini_world: World) -> None:
    assert judge(mini_world, All()).truth is T
    assert judge(mini_world, AnyOf()).truth is F


def test_truth_values() -> None:
    assert [str(t) for t in (T, F, U)] == ["true", "false", "unknown"]
    assert [~t for t in (T, U, F)] == [F, U, T]
    assert Truth.of(True) is T
    assert Truth.of(False) is F


def test_needs_are_kept_only_when_the_result_is_unknown(mini_world: World) -> None:
    unknown = judge(mini_world, All(of=[LEAF[T], LEAF[U]]))
    assert unknown.needs == {"request.end_use"}
    assert judge(mini_world, All(of=[LEAF[F], LEAF[U]])).needs == frozenset()
    assert judge(mini_world, AnyOf(of=[LEAF[T], LEAF[U]])).needs == frozenset()
    assert judge(mini_world, Not(LEAF[U])).needs == {"request.end_use"}


# -- traces -------------------------------------------------------------------------------------


def test_spec_trace_shows_the_observed_value(mini_world: World) -> None:
    step = judge(mini_world, Spec("tpp", ">=", 4800))
    assert step.lines() == ["tpp 15832 >= 4800: true"]


def test_trace_lines_are_indented_per_level(mini_world: World) -> None:
    step = judge(
        mini_world,
        All(of=[Spec("tpp", "<", 21000), Not(Spec("dram_bandwidth_gbs", ">=", 6500))]),
    )
    assert step.lines() == [
        "all of: true",
        "  tpp 15832 < 21000: true",
        "  not: true",
        "    dram_bandwidth_gbs 4800 >= 6500: false",
    ]


@pytest.mark.parametrize(
    ("op", "expected"), [(">=", T), (">", F), ("<=", T), ("<", F)], ids=["ge", "gt", "le", "lt"]
)
def test_comparisons_at_the_threshold(mini_world: World, op: str, expected: Truth) -> None:
    step = judge(mini_world, Spec("tpp", op, 15832))
    assert step.truth is expected
    assert step.text == f"tpp 15832 {op} 15832"


def test_non_integral_values_are_shown_with_six_significant_digits(mini_world: World) -> None:
    step = judge(mini_world, Spec("performance_density", ">=", 5.92))
    assert step.lines() == ["performance_density 19.4496 >= 5.92: true"]


def test_fmt() -> None:
    assert fmt(15832.0) == "15832"
    assert fmt(0.25) == "0.25"
    assert fmt(15832 / 814) == "19.4496"
    assert fmt(1e26) == "1e+26"
    assert fmt("CN") == "CN"


def test_missing_spec_is_unknown_and_names_the_fact(mini_world: World) -> None:
    bare = Chip(id="x1", name="X1", designer="nvidia")
    step = judge(mini_world, Spec("tpp", ">=", 4800), item=bare)
    assert step.truth is U
    assert step.lines() == ["tpp unknown >= 4800: unknown"]
    assert step.needs == {"x1.tpp"}


def test_a_fact_the_item_kind_does_not_have_is_unknown(mini_world: World) -> None:
    gallium = Material(id="gallium", name="Gallium", category="critical mineral")
    step = judge(mini_world, Spec("tpp", ">=", 4800), item=gallium)
    assert step.truth is U
    assert step.lines() == ["tpp n/a >= 4800: unknown"]
    assert step.needs == {"material gallium has no tpp"}


def test_model_specs_are_compared(mini_world: World) -> None:
    model = Model(id="lab-m1", name="M1", developer="nvidia", training_flop=3.8e25)
    step = judge(mini_world, Spec("training_flop", ">=", 1e26), item=model)
    assert step.lines() == ["training_flop 3.8e+25 >= 1e+26: false"]


def test_item_kind_dispatch_guards_chip_facts(mini_world: World) -> None:
    """A chip-only clause behind ``item_kind`` is false for a material, not unknown."""
    gallium = Material(id="gallium", name="Gallium", category="critical mineral")
    guarded = All(of=[ItemKind(["chip"]), Spec("tpp", ">=", 4800)])
    step = judge(mini_world, guarded, item=gallium)
    assert step.truth is F
    assert step.lines() == [
        "all of: false",
        "  item kind material in {chip}: false",
        "  tpp n/a >= 4800: unknown",
    ]
    assert step.needs == frozenset()


def test_datacenter(mini_world: World) -> None:
    assert judge(mini_world, Datacenter()).lines() == ["datacenter true == true: true"]
    step = judge(mini_world, Datacenter(), item="nvidia-rtx-4090")
    assert step.lines() == ["datacenter false == true: false"]
    assert judge(mini_world, Datacenter(False), item="nvidia-rtx-4090").truth is T
    unknown = judge(mini_world, Datacenter(), item=Chip(id="x1", name="X1", designer="nvidia"))
    assert unknown.lines() == ["datacenter unknown == true: unknown"]
    assert unknown.needs == {"x1.datacenter"}


def test_item_leaves(mini_world: World) -> None:
    assert judge(mini_world, ItemIs(["nvidia-h20", "nvidia-h200"])).lines() == [
        "item nvidia-h200 in {nvidia-h20, nvidia-h200}: true"
    ]
    assert judge(mini_world, ItemKind(["model", "material"])).lines() == [
        "item kind chip in {material, model}: false"
    ]


def test_item_class_includes_the_definition_trace(mini_world: World) -> None:
    step = judge(mini_world, ItemClass(["3A090.a"]), item="nvidia-rtx-4090d")
    assert step.lines() == [
        "item nvidia-rtx-4090d in class {3A090.a}: false",
        "  class 3A090.a (us-3a090a-2023, 88 FR 73458): false",
        "    any of: false",
        "      tpp 4707 >= 4800: false",
        "      all of: false",
        "        tpp 4707 >= 1600: true",
        "        performance_density 7.73541 >= 5.92: true",
        "        datacenter false == true: false",
    ]


def test_item_class_not_in_force(mini_world: World) -> None:
    step = judge(mini_world, ItemClass(["3A090.a"]), on=D(2022, 10, 6))
    assert step.truth is F
    assert step.lines() == [
        "item nvidia-h200 in class {3A090.a}: false",
        "  class 3A090.a not in force on 2022-10-06: false",
    ]


def test_item_class_unknown_when_a_spec_is_missing(mini_world: World) -> None:
    # TPP 3000 is under 4800; density would decide but the die area is not published.
    part = Chip(
        id="x1",
        name="X1",
        designer="nvidia",
        datacenter=True,
        throughput=[Throughput(precision="fp16", tops=187.5)],
    )
    step = judge(mini_world, ItemClass(["3A090.a"]), item=part)
    assert step.truth is U
    assert step.needs == {"x1.performance_density"}


# -- buyer leaves --------------------------------------------------------------------------------


def test_buyer_is(mini_world: World) -> None:
    assert judge(mini_world, BuyerIs(["bytedance"])).lines() == [
        "buyer bytedance in {bytedance}: true"
    ]
    no_buyer = judge(mini_world, BuyerIs(["bytedance"]), buyer=None)
    assert no_buyer.truth is U
    assert no_buyer.needs == {"request.buyer"}


def test_buyer_headquartered_by_ultimate_parent(mini_world: World) -> None:
    criterion = BuyerHeadquartered(groups=["us-ear-d5"], states=["MO"])
    step = judge(mini_world, criterion, buyer="bytedance-sg")
    assert step.lines() == [
        "buyer bytedance-sg headquartered in SG, ultimate parent bytedance in CN; "
        "in {MO, us-ear-d5}: true"
    ]
    assert judge(mini_world, criterion, buyer="nvidia").truth is F


def test_buyer_listed_is_dated(mini_world: World) -> None:
    criterion = BuyerListed(["us-entity-list"])
    assert judge(mini_world, criterion, buyer="huawei").lines() == [
        "buyer listed on {us-entity-list} (huawei on us-entity-list): true"
    ]
    before = judge(mini_world, criterion, buyer="huawei", on=D(2019, 5, 15))
    assert before.lines() == ["buyer listed on {us-entity-list} (huawei on none): false"]


def test_buyer_listed_with_affiliates_counts_listed_owners(mini_world: World) -> None:
    world = ListCompany("us-entity-list", "bytedance", D(2026, 1, 1)).apply(mini_world)
    own = judge(world, BuyerListed(["us-entity-list"]), buyer="bytedance-sg")
    assert own.truth is F
    chain = judge(world, BuyerListed(["us-entity-list"], affiliates=True), buyer="bytedance-sg")
    assert chain.lines() == [
        "buyer listed on {us-entity-list} or 50 % or more owned by listed parties "
        "(bytedance-sg 100 % owned by parties on us-entity-list: bytedance 100 %): true"
    ]


# -- leg and use leaves -------------------------------------------------------------------------


def test_leg_leaves(mini_world: World) -> None:
    assert judge(mini_world, ExporterIn(states=["US"])).lines() == ["exporter US in {US}: true"]
    assert judge(mini_world, ImporterIn(groups=["us-ear-d5"])).lines() == [
        "importer CN in {us-ear-d5}: true"
    ]
    assert judge(mini_world, DestinationIn(states=["MO"]), destination="SG").lines() == [
        "destination SG in {MO}: false"
    ]
    assert judge(mini_world, Reexport(), exporter="TW").lines() == [
        "reexport (exporter TW != issuer US): true"
    ]
    assert judge(mini_world, Reexport()).truth is F


def test_group_membership_is_judged_on_the_date() -> None:
    world = World(
        states=[State(id="US", name="US"), State(id="KH", name="Cambodia")],
        groups=[
            CountryGroup(
                id="us-ear-d5",
                issuer="US",
                code="D:5",
                name="D:5",
                members=[Membership(state="KH", end=D(2026, 2, 3))],
            )
        ],
        chips=[Chip(id="x1", name="X1", designer="acme")],
        companies=[Company(id="acme", name="Acme", hq="US")],
    )
    criterion = ImporterIn(groups=["us-ear-d5"])
    base = {
        "registry": world,
        "item": world.item("x1"),
        "buyer": None,
        "exporter": "US",
        "importer": "KH",
        "destination": "KH",
        "issuer": "US",
    }
    assert criterion.evaluate(Facts(on=D(2026, 2, 2), **base)).truth is T
    assert criterion.evaluate(Facts(on=D(2026, 2, 3), **base)).truth is F


def test_end_use(mini_world: World) -> None:
    undeclared = judge(mini_world, EndUse(["military"]))
    assert undeclared.lines() == ["end use undeclared in {military}: unknown"]
    assert undeclared.needs == {"request.end_use"}
    assert judge(mini_world, EndUse(["military"]), end_use="commercial").lines() == [
        "end use commercial in {military}: false"
    ]


# -- construction and structure ----------------------------------------------------------------


def test_converters_give_canonical_values() -> None:
    spec = Spec("tpp", ">=", 4800)
    assert spec.fact is SpecName.TPP
    assert spec.op is Op.GE
    assert type(spec.value) is float
    assert ItemIs(["b", "a", "a"]).ids == {"a", "b"}
    assert All(of=[Reexport()]).of == (Reexport(),)
    assert ImporterIn(states=["CN"], groups=["g"]) == ImporterIn(groups={"g"}, states={"CN"})


def test_every_built_in_criterion_registers_its_tag() -> None:
    built_in = [tag for tag, kind in kinds().items() if kind.__module__.startswith("geotech.")]
    assert sorted(built_in) == [
        "all",
        "any",
        "buyer_headquartered",
        "buyer_is",
        "buyer_listed",
        "compliance_from",
        "datacenter",
        "destination_in",
        "end_use",
        "equipment_kind",
        "exporter_in",
        "hbm",
        "importer_in",
        "item_class",
        "item_is",
        "item_kind",
        "material_category",
        "not",
        "open_weights",
        "reexport",
        "spec",
        "unsettled",
        "us_available_by",
    ]


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda: Spec("colour", ">=", 1), id="fact"),
        pytest.param(lambda: Spec("tpp", "=>", 1), id="op"),
        pytest.param(lambda: Spec("tpp", ">=", "4800"), id="value"),
    ],
)
def test_invalid_spec_raises_a_geotech_error(build: Any) -> None:
    """A malformed criterion fails at construction with a geotech error (never later, inside
    an evaluation, with a ``TypeError``)."""
    with pytest.raises(GeotechError, match=r"Spec\."):
        build()


def test_walk_is_depth_first() -> None:
    a, b, c = ItemIs(["a"]), ItemIs(["b"]), ItemIs(["c"])
    tree = All(of=[Not(a), AnyOf(of=[b, c])])
    assert list(walk(tree)) == [tree, Not(a), a, AnyOf(of=[b, c]), b, c]
    assert depth(tree) == 3
    assert depth(a) == 1


def test_walk_and_depth_on_the_deepest_tree() -> None:
    tree: Criterion = Reexport()
    for _ in range(MAX_CRITERION_DEPTH - 1):
        tree = Not(tree)
    assert depth(tree) == MAX_CRITERION_DEPTH
    assert sum(1 for _ in walk(tree)) == MAX_CRITERION_DEPTH


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_thresholds_are_finite(value: float) -> None:
    with pytest.raises(GeotechError, match=r"Spec\.value: expected a finite number"):
        Spec("tpp", ">=", value)
