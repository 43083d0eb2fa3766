"""The criterion language is open: classes carry their metadata, folds are generic, and a
criterion defined here, unknown to geotech, works in evaluation, batches, lint, io and the
strategies."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import attrs
import pytest
from attrs import frozen
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from geotech import (
    AccessRequest,
    All,
    AnyOf,
    BuyerIs,
    EndUse,
    ExportPolicy,
    GeotechError,
    ItemIs,
    Not,
    Reexport,
    Role,
    Spec,
    Truth,
    Verdict,
    World,
    evaluate,
    evaluate_many,
    io,
)
from geotech import criteria as c
from geotech import strategies as gs
from geotech.analysis import Finding, FindingKind, lint
from geotech.criteria import Bound, Criterion, Fact, Facts, Measure, Op, Step, ThresholdCriterion
from geotech.policies import EffectKind

D = dt.date
SOME = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEARCH = settings(max_examples=400, deadline=None, database=None, phases=[Phase.generate])


@frozen
class MemoryAtLeast(ThresholdCriterion):
    """The item has at least ``gb`` GB of memory: a threshold geotech does not define."""

    tag: ClassVar[str] = "memory_at_least"
    gb: float = attrs.field(converter=float)

    @property
    def measure(self) -> Measure:
        return Measure("memory_gb")

    @property
    def bound(self) -> Bound:
        return Bound(Op.GE, self.gb)

    def with_bound(self, bound: Bound) -> MemoryAtLeast:
        return MemoryAtLeast(bound.value)

    def evaluate(self, facts: Facts) -> Step:
        seen = getattr(facts.item, "memory_gb", None)
        text = f"memory {'unknown' if seen is None else c.fmt(seen)} GB >= {c.fmt(self.gb)}"
        if seen is None:
            return Step(text, Truth.UNKNOWN, needs=frozenset({f"{facts.item.id}.memory_gb"}))
        return Step(text, Truth.of(seen >= self.gb))


@frozen
class BuyerRole(Criterion):
    """The buyer has a role: no literal, so the matcher evaluates it as it is."""

    tag: ClassVar[str] = "buyer_role"
    reads: ClassVar[frozenset[Fact]] = frozenset({Fact.BUYER})
    role: Role = attrs.field(converter=Role)

    def evaluate(self, facts: Facts) -> Step:
        if facts.buyer is None:
            return Step("buyer role (no buyer)", Truth.UNKNOWN, needs=frozenset({"request.buyer"}))
        held = self.role in facts.buyer.roles
        return Step(f"buyer {facts.buyer.id} has role {self.role}", Truth.of(held))


gs.register_criterion(
    MemoryAtLeast,
    lambda refs: st.builds(MemoryAtLeast, gb=st.sampled_from((24, 80, 100, 141))),
    may_be_unknown=True,
)
gs.register_criterion(BuyerRole, lambda refs: st.builds(BuyerRole, role=st.sampled_from(Role)))

BIG = ExportPolicy(
    id="us-big-memory-to-labs",
    issuer="US",
    title="Large-memory accelerators to AI labs",
    criterion=All(of=(MemoryAtLeast(100), BuyerRole("ai_lab"), Not(BuyerIs(["huawei"])))),
    effect=EffectKind.PROHIBIT,
    effective=D(2020, 1, 1),
)


def _world(mini_world: World, *policies: Any) -> World:
    return attrs.evolve(mini_world, policies=(*mini_world.policies, *policies))


def test_new_classes_register_their_tags() -> None:
    assert c.kinds()["memory_at_least"] is MemoryAtLeast
    assert c.kinds()["buyer_role"] is BuyerRole


def test_a_tag_belongs_to_one_class() -> None:
    with pytest.raises(GeotechError, match=r"'spec' is already the tag of geotech\.criteria"):

        class Clash(Criterion):
            tag: ClassVar[str] = "spec"

            def evaluate(self, facts: Facts) -> Step:
                return Step("clash", Truth.TRUE)


def test_a_new_criterion_decides_requests(mini_world: World) -> None:
    world = _world(mini_world, BIG)
    on = D(2023, 1, 1)
    h200 = evaluate(world, AccessRequest(buyer="bytedance", item="nvidia-h200", on=on))
    h20 = evaluate(world, AccessRequest(buyer="bytedance", item="nvidia-h20", on=on))
    assert h200.verdict is Verdict.PROHIBITED
    assert "us-big-memory-to-labs" in h200.determining_policies
    assert "us-big-memory-to-labs" not in h20.determining_policies
    trace = [
        line
        for o in h200.outcomes
        for r in o.considered
        if r.policy == "us-big-memory-to-labs"
        for line in r.trace.lines()
    ]
    assert trace == [
        "all of: true",
        "  memory 141 GB >= 100: true",
        "  buyer bytedance has role ai_lab: true",
        "  not: true",
        "    buyer bytedance in {huawei}: false",
    ]


def test_evaluate_many_agrees_on_a_new_criterion(mini_world: World) -> None:
    world = _world(mini_world, BIG)
    asked = [
        AccessRequest(buyer=buyer, item=item, on=on)
        for buyer in ("bytedance", "huawei", "nvidia")
        for item in ("nvidia-h200", "nvidia-h20", "nvidia-rtx-4090")
        for on in (D(2019, 6, 1), D(2023, 1, 1), D(2026, 2, 1))
    ]
    one_by_one = [evaluate(world, r) for r in asked]
    assert evaluate_many(world, asked) == one_by_one
    prohibited = {
        (r.buyer, r.item)
        for r, d in zip(asked, one_by_one, strict=True)
        if BIG.id in d.determining_policies
    }
    assert prohibited == {("bytedance", "nvidia-h200")}


def test_lint_reasons_about_a_new_threshold(mini_world: World) -> None:
    never = attrs.evolve(
        BIG,
        id="us-never",
        criterion=All(of=(MemoryAtLeast(100), Spec("memory_gb", "<", 50), BuyerRole("cloud"))),
    )
    assert lint(_world(mini_world, BIG, never)) == (
        Finding(
            FindingKind.NEVER_MATCHES,
            ("us-never",),
            "policy us-never can never match: memory_gb >= 100 and memory_gb < 50 leave no "
            "possible value",
        ),
    )


def test_a_new_criterion_round_trips_through_io(mini_world: World) -> None:
    data = io.to_data(BIG)
    assert data["criterion"] == {
        "type": "all",
        "of": [
            {"type": "memory_at_least", "gb": 100.0},
            {"type": "buyer_role", "role": "ai_lab"},
            {"type": "not", "of": {"type": "buyer_is", "ids": ["huawei"]}},
        ],
    }
    assert io.from_data(data, ExportPolicy) == BIG
    world = _world(mini_world, BIG)
    assert io.from_data(io.to_data(world), World) == world


def test_strategies_draw_worlds_with_a_new_criterion() -> None:
    def uses(world: World) -> bool:
        return any(
            isinstance(n, MemoryAtLeast) for p in world.policies for n in c.walk(p.criterion)
        )

    world = find(gs.worlds(), uses, settings=SEARCH)
    assert uses(world)
    assert isinstance(find(st.from_type(MemoryAtLeast), lambda _: True), MemoryAtLeast)


@SOME
@given(data=st.data())
def test_new_criteria_keep_batch_equal_to_one_by_one(data: st.DataObject) -> None:
    world = data.draw(gs.worlds())
    asked = data.draw(st.lists(gs.requests(world), min_size=1, max_size=4))
    assert evaluate_many(world, asked) == [evaluate(world, r) for r in asked]


# -- the metadata laws ------------------------------------------------------------------------


@SOME
@given(data=st.data())
def test_a_literal_judges_as_its_leaf_evaluates(data: st.DataObject) -> None:
    world = data.draw(gs.worlds())
    request = data.draw(gs.requests(world))
    leaf = data.draw(st.sampled_from([n for p in world.policies for n in c.walk(p.criterion)]))
    issuer = data.draw(st.sampled_from([s.id for s in world.states]))
    exporter, importer = data.draw(st.sampled_from([s.id for s in world.states])), issuer
    facts = Facts(
        registry=world,
        on=request.on,
        item=world.item(request.item),
        buyer=world.company(request.buyer),
        exporter=exporter,
        importer=importer,
        destination=importer,
        issuer=issuer,
        end_use=request.end_use,
    )
    literal = leaf.literal(issuer)
    if literal is not None:
        value = getattr(facts, literal.context)
        assert literal.judge(value, facts.on, world) is leaf.evaluate(facts).truth


@SOME
@given(gs.criteria(), st.data())
def test_reads_is_the_union_of_the_leaves(criterion: Criterion, data: st.DataObject) -> None:
    assert c.reads(criterion) == frozenset().union(*(s.leaf.reads for s in c.leaves(criterion)))


# -- the folds --------------------------------------------------------------------------------

TREE = All(
    of=(
        Spec("tpp", ">=", 4800),
        Not(AnyOf(of=(BuyerIs(["huawei"]), EndUse(["military"])))),
        BuyerIs(["bytedance"]),
        Reexport(),
    )
)


def test_leaves_carry_their_polarity() -> None:
    assert [(s.leaf.tag, s.positive) for s in c.leaves(TREE)] == [
        ("spec", True),
        ("buyer_is", False),
        ("end_use", False),
        ("buyer_is", True),
        ("reexport", True),
    ]


def test_describe_states_the_tree() -> None:
    assert c.describe(TREE) == (
        "all (tpp >= 4800, not (any (buyer_is {huawei}, end_use {military})), "
        "buyer_is {bytedance}, reexport)"
    )


def test_truth_folds_kleene_over_given_leaf_truths() -> None:
    def leaf(node: Criterion) -> Truth:
        return {"spec": Truth.TRUE, "end_use": Truth.UNKNOWN}.get(node.tag, Truth.FALSE)

    assert c.truth(TREE, leaf) is Truth.FALSE
    assert c.truth(AnyOf(of=(Spec("tpp", ">=", 1), EndUse(["military"]))), leaf) is Truth.TRUE
    assert c.truth(Not(EndUse(["military"])), leaf) is Truth.UNKNOWN
    assert c.truth(All(), leaf) is Truth.TRUE
    assert c.truth(AnyOf(), leaf) is Truth.FALSE


def test_map_leaves_rebuilds_only_what_changes() -> None:
    same = c.map_leaves(TREE, lambda s: s.leaf)
    assert same is TREE
    swapped = c.map_leaves(TREE, lambda s: ItemIs(["x"]) if s.leaf.tag == "reexport" else s.leaf)
    assert swapped == All(of=(*TREE.of[:3], ItemIs(["x"])))
    assert swapped.of[1] is TREE.of[1]


def test_buyer_edits_touch_buyer_sets_outside_negations() -> None:
    assert c.buyer_sets(TREE) == (frozenset({"bytedance"}),)
    more = c.add_buyers(TREE, ["alibaba", "tencent"])
    assert c.buyer_sets(more) == (frozenset({"alibaba", "bytedance", "tencent"}),)
    assert more.of[1] == TREE.of[1]  # the negated huawei test is not an authorization
    fewer = c.remove_buyers(more, ["bytedance", "tencent"])
    assert c.buyer_sets(fewer) == (frozenset({"alibaba"}),)


def test_threshold_edits_keep_the_edge() -> None:
    tree = All(of=(Spec("tpp", ">", 4800), Not(Spec("tpp", "<=", 1600)), MemoryAtLeast(80)))
    assert [t.describe() for t in c.thresholds(tree)] == [
        "tpp > 4800",
        "tpp <= 1600",
        "memory_gb >= 80",
    ]
    assert c.thresholds(tree, "tpp", Op.GT) == (Spec("tpp", ">", 4800),)
    moved = c.with_threshold(tree, "tpp", 6000, Op.GT)
    assert moved == All(
        of=(Spec("tpp", ">", 6000), Not(Spec("tpp", "<=", 1600)), MemoryAtLeast(80))
    )
    assert c.with_threshold(tree, "memory_gb", 96) == All(
        of=(Spec("tpp", ">", 4800), Not(Spec("tpp", "<=", 1600)), MemoryAtLeast(96))
    )


def test_folds_on_the_deepest_tree(mini_world: World) -> None:
    deep: Criterion = Spec("tpp", ">=", 4800)
    for _ in range(c.MAX_CRITERION_DEPTH - 1):
        deep = Not(deep)
    facts = c.item_facts(mini_world, D(2024, 1, 1), mini_world.item("nvidia-h200"))
    assert c.evaluate(deep, facts).truth is Truth.FALSE
    assert c.truth(deep, lambda leaf: Truth.FALSE) is Truth.TRUE
    assert c.depth(c.map_leaves(deep, lambda s: s.leaf)) == c.MAX_CRITERION_DEPTH
    assert c.describe(deep).count("not (") == c.MAX_CRITERION_DEPTH - 1
