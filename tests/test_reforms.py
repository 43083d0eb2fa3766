"""Reforms as data: each record's exact effect on the mini world, value semantics, pickling,
the io round trip, malformed documents, the catalogue's named reforms, and the laws (apply is
pure; a chain is its steps in order)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geotech import (
    AccessRequest,
    EffectKind,
    ExportPolicy,
    ImportPolicy,
    ReviewPolicy,
    Verdict,
    World,
    catalog,
    evaluate,
    io,
)
from geotech.criteria import All, BuyerIs, ItemIs, Reexport, Spec, walk
from geotech.errors import (
    DocumentError,
    GeotechError,
    InvalidValueError,
    UnknownEntityError,
    WorldError,
)
from geotech.policies import Restriction
from geotech.reforms import (
    AddPolicy,
    Amend,
    Authorize,
    Chain,
    ChangeThreshold,
    Deauthorize,
    DelistCompany,
    ListCompany,
    Reform,
    RemovePolicy,
    ReplacePolicy,
    Rescind,
)
from geotech.strategies import worlds
from geotech.strategies.reforms import reforms

D = dt.date
CBC = "us-2026-h200-case-by-case"
BLOCK = "cn-2026-h200-customs-block"
APPROVALS = "cn-2026-h200-import-approvals"
TARIFF = "us-2026-semiconductor-tariff"
FLAGSHIP = AccessRequest(
    buyer="bytedance", item="nvidia-h200", on=D(2026, 2, 1), route=("TW", "US", "CN")
)


def export(id: str, **fields: object) -> ExportPolicy:
    base: dict[str, object] = {
        "issuer": "US",
        "title": id,
        "criterion": Reexport(),
        "effect": "prohibit",
        "effective": D(2024, 1, 1),
    }
    return ExportPolicy(id=id, **{**base, **fields})  # type: ignore[arg-type]


EXTRA = export("us-test-ban", criterion=ItemIs(["nvidia-h20"]), effective=D(2025, 4, 9))

#: One record of each kind, with a name derived from its fields.
EXAMPLES: dict[str, Reform] = {
    "rescind from 2026-02-01": Rescind(CBC, D(2026, 2, 1)),
    "amend": Amend(CBC, review=ReviewPolicy.PRESUMPTION_OF_APPROVAL, expires=D(2027, 1, 1)),
    "add": AddPolicy(EXTRA),
    "remove": RemovePolicy(BLOCK),
    "replace": ReplacePolicy(
        ImportPolicy(
            id=BLOCK,
            issuer="CN",
            title="t",
            criterion=ItemIs(["nvidia-h200"]),
            effect="discourage",
            effective=D(2026, 1, 14),
        )
    ),
    "list": ListCompany("us-entity-list", "bytedance", D(2026, 3, 1), D(2027, 1, 1)),
    "delist": DelistCompany("us-entity-list", "huawei", D(2026, 1, 1)),
    "change threshold": ChangeThreshold(CBC, "tpp", 16000, "<"),
    "authorize": Authorize(APPROVALS, ("huawei",)),
    "deauthorize": Deauthorize(APPROVALS, ("bytedance",)),
    "chain": Chain((RemovePolicy(BLOCK), Rescind(CBC))),
}


# ---------------------------------------------------------------------------------------------
# Each record's effect


def test_add_policy_returns_a_new_world(mini_world: World) -> None:
    changed = AddPolicy(EXTRA).apply(mini_world)
    assert changed.policy("us-test-ban") == EXTRA
    assert "us-test-ban" not in mini_world.ids("policy")
    assert len(changed.policies) == len(mini_world.policies) + 1


def test_add_policy_with_a_taken_id_is_a_world_error(mini_world: World) -> None:
    with pytest.raises(WorldError, match="id 'us-2023-acs-destination' is used 2 times"):
        AddPolicy(export("us-2023-acs-destination")).apply(mini_world)


def test_remove_policy_drops_references_to_it(mini_world: World) -> None:
    changed = RemovePolicy(BLOCK).apply(mini_world)
    assert BLOCK not in changed.ids("policy")
    assert changed.policy(APPROVALS).supersedes == frozenset()
    assert mini_world.policy(APPROVALS).supersedes == {BLOCK}


def test_remove_unknown_policy_raises(mini_world: World) -> None:
    with pytest.raises(UnknownEntityError, match="unknown policy 'us-2026-h200'"):
        RemovePolicy("us-2026-h200").apply(mini_world)


def test_replace_and_amend_policy(mini_world: World) -> None:
    amended = Amend(CBC, review=ReviewPolicy.PRESUMPTION_OF_APPROVAL).apply(mini_world)
    assert amended.policy(CBC).review is ReviewPolicy.PRESUMPTION_OF_APPROVAL
    assert mini_world.policy(CBC).review is ReviewPolicy.CASE_BY_CASE
    assert amended.policies == tuple(
        attrs.evolve(p, review=ReviewPolicy.PRESUMPTION_OF_APPROVAL) if p.id == CBC else p
        for p in mini_world.policies
    )
    stricter = attrs.evolve(mini_world.policy(BLOCK), effect="discourage")
    replaced = ReplacePolicy(stricter).apply(mini_world)
    assert replaced.policy(BLOCK).effect is EffectKind.DISCOURAGE
    with pytest.raises(UnknownEntityError):
        ReplacePolicy(export("nope")).apply(mini_world)


def test_amend_policy_into_an_invalid_policy_raises(mini_world: World) -> None:
    with pytest.raises(GeotechError, match="review is required"):
        Amend(CBC, clear={"review"}).apply(mini_world)


def test_amend_sets_and_clears_fields(mini_world: World) -> None:
    allowed = Amend(CBC, effect="allow", clear={"review"}, expires=D(2027, 1, 1))
    assert allowed.name == f"amend {CBC}: effect allow, expires 2027-01-01, clear review"
    policy = allowed.apply(mini_world).policy(CBC)
    assert (policy.effect, policy.review, policy.expires) == (
        EffectKind.ALLOW,
        None,
        D(2027, 1, 1),
    )
    reopened = Amend(CBC, clear="expires").apply(allowed.apply(mini_world)).policy(CBC)
    assert reopened.expires is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Amend: nothing to change in 'us-2026-h200-case-by-case'; set a field"),
        ({"clear": {"title"}}, "Amend.clear: cannot clear title; only announced, expires, review"),
        (
            {"expires": D(2027, 1, 1), "clear": {"expires"}},
            "Amend.clear: expires both set and cleared",
        ),
        ({"effect": "forbid"}, "Amend.effect: expected one of allow,"),
    ],
)
def test_amend_checks_its_fields(fields: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidValueError, match=message.replace("(", r"\(")):
        Amend(CBC, **fields)  # type: ignore[arg-type]


def test_rescind_from_a_date(mini_world: World) -> None:
    ended = Rescind(CBC, D(2026, 2, 1)).apply(mini_world)
    assert ended.policy(CBC) == attrs.evolve(mini_world.policy(CBC), expires=D(2026, 2, 1))
    assert Rescind(CBC, D(2026, 1, 15)).apply(mini_world) == Rescind(CBC).apply(mini_world)
    assert Rescind(CBC, D(2027, 1, 1)).apply(ended) == ended  # it has ended by then anyway
    assert Rescind(CBC).apply(mini_world) == RemovePolicy(CBC).apply(mini_world)
    assert Rescind(CBC).name == f"rescind {CBC}"
    assert Rescind(CBC, D(2026, 2, 1)).name == f"rescind {CBC} from 2026-02-01"


def test_rescinding_the_case_by_case_rule_restores_the_presumption_of_denial(
    mini_world: World,
) -> None:
    before = evaluate(mini_world, FLAGSHIP)
    after = evaluate(Rescind(CBC).apply(mini_world), FLAGSHIP)
    assert before.restriction is Restriction.LICENSE_CASE_BY_CASE
    assert after.restriction is Restriction.LICENSE_DENIAL
    assert after.determining_policies == ("us-2023-acs-destination", "us-2023-acs-headquarters")


def test_change_threshold(mini_world: World) -> None:
    capped = ChangeThreshold(CBC, "tpp", 16000).apply(mini_world)
    specs = [n for n in walk(capped.policy(CBC).criterion) if isinstance(n, Spec)]
    assert specs == [Spec("tpp", "<", 16000), Spec("dram_bandwidth_gbs", "<", 6500)]
    assert ChangeThreshold(CBC, "tpp", 16000).name == f"set tpp threshold of {CBC} to 16000"
    assert evaluate(capped, FLAGSHIP).restriction is Restriction.LICENSE_CASE_BY_CASE  # TPP 15832
    assert evaluate(
        ChangeThreshold(CBC, "tpp", 15000, "<").apply(mini_world), FLAGSHIP
    ).restriction is (Restriction.LICENSE_DENIAL)


def test_change_threshold_errors(mini_world: World) -> None:
    with pytest.raises(InvalidValueError, match=r"tests tpp with \['<', '>'\]; pass op="):
        ChangeThreshold(TARIFF, "tpp", 15000).apply(mini_world)
    with pytest.raises(InvalidValueError, match="has no spec test on memory_gb; its spec tests"):
        ChangeThreshold(CBC, "memory_gb", 100).apply(mini_world)
    with pytest.raises(InvalidValueError, match=r"ChangeThreshold\.fact: expected one of tpp,"):
        ChangeThreshold(CBC, "speed", 100)
    tariff = ChangeThreshold(TARIFF, "tpp", 15000, op=">").apply(mini_world)
    assert Spec("tpp", ">", 15000) in walk(tariff.policy(TARIFF).criterion)


def test_authorize_and_deauthorize(mini_world: World) -> None:
    both = Authorize(APPROVALS, ("huawei", "bytedance-sg")).apply(mini_world)
    assert both.policy(APPROVALS).criterion == All(
        of=[ItemIs(["nvidia-h200"]), BuyerIs(["bytedance", "bytedance-sg", "huawei"])]
    )
    assert Authorize(APPROVALS, ("huawei", "bytedance-sg")).name == (
        f"authorize bytedance-sg, huawei under {APPROVALS}"
    )
    fewer = Deauthorize(APPROVALS, ("huawei",)).apply(both)
    assert fewer.policy(APPROVALS).criterion == All(
        of=[ItemIs(["nvidia-h200"]), BuyerIs(["bytedance", "bytedance-sg"])]
    )
    # naming nobody any more, the authorization is rescinded
    assert Deauthorize(APPROVALS, "bytedance").apply(mini_world) == Rescind(APPROVALS).apply(
        mini_world
    )
    with pytest.raises(InvalidValueError, match=r"does not name \['huawei'\]; it names"):
        Deauthorize(APPROVALS, ("huawei",)).apply(mini_world)
    with pytest.raises(InvalidValueError, match="has effect prohibit, not allow"):
        Authorize(BLOCK, ("huawei",)).apply(mini_world)
    with pytest.raises(InvalidValueError, match=r"Authorize\.buyers: expected at least one"):
        Authorize(APPROVALS, ())
    with pytest.raises(UnknownEntityError, match="unknown company 'huawai'"):
        Authorize(APPROVALS, ("huawai",)).apply(mini_world)


def test_list_and_delist_company(mini_world: World) -> None:
    listed = ListCompany(
        "us-entity-list",
        "bytedance",
        D(2026, 3, 1),
        citation="hypothetical",
        sources=["https://example.org/listing"],
    ).apply(mini_world)
    entity_list = listed.party_list("us-entity-list")
    assert not entity_list.listed("bytedance", D(2026, 2, 28))
    assert entity_list.listed("bytedance", D(2026, 3, 1))
    assert not mini_world.party_list("us-entity-list").listed("bytedance", D(2026, 3, 1))

    delisted = DelistCompany("us-entity-list", "bytedance", D(2026, 6, 1)).apply(listed)
    after = delisted.party_list("us-entity-list")
    assert after.listed("bytedance", D(2026, 5, 31))
    assert not after.listed("bytedance", D(2026, 6, 1))
    assert after.listed("huawei", D(2026, 6, 1))


def test_delist_before_the_listing_starts_drops_it(mini_world: World) -> None:
    listed = ListCompany("us-entity-list", "bytedance", D(2026, 3, 1)).apply(mini_world)
    delisted = DelistCompany("us-entity-list", "bytedance", D(2026, 3, 1)).apply(listed)
    assert delisted == mini_world


def test_list_company_checks_its_ids(mini_world: World) -> None:
    with pytest.raises(UnknownEntityError, match="unknown company 'bytedanse'"):
        ListCompany("us-entity-list", "bytedanse", D(2026, 3, 1)).apply(mini_world)
    with pytest.raises(UnknownEntityError, match="unknown party list 'us-entity'"):
        ListCompany("us-entity", "bytedance", D(2026, 3, 1)).apply(mini_world)


def test_listing_twice_overlapping_is_a_world_error(mini_world: World) -> None:
    with pytest.raises(WorldError, match=r"party_lists\[us-entity-list\]\.listings\[huawei\]"):
        ListCompany("us-entity-list", "huawei", D(2020, 1, 1)).apply(mini_world)


def test_chains_apply_in_order_and_name_their_steps(mini_world: World) -> None:
    first, second = RemovePolicy(BLOCK), Rescind(CBC)
    chain = first.then(second)
    assert chain == Chain((first, second))
    assert chain.name == f"remove {BLOCK}; then rescind {CBC}"
    assert chain.apply(mini_world) == second.apply(first.apply(mini_world))
    assert chain(mini_world) == chain.apply(mini_world)  # calling a reform applies it
    third = Rescind(APPROVALS)
    assert chain.then(third) == Chain((first, second, third))  # flat while unnamed
    named = attrs.evolve(chain, name="two at once")
    assert named.then(third) == Chain((named, third))
    assert named.then(third).name == f"two at once; then rescind {APPROVALS}"
    with pytest.raises(InvalidValueError, match=r"Chain\.steps: expected at least one reform"):
        Chain(())


# ---------------------------------------------------------------------------------------------
# Values: equality, pickling, io


@pytest.mark.parametrize("reform", EXAMPLES.values(), ids=EXAMPLES.keys())
def test_records_are_values(reform: Reform, mini_world: World) -> None:
    again = pickle.loads(pickle.dumps(reform))
    assert again == reform
    assert hash(again) == hash(reform)
    assert again.apply(mini_world) == reform.apply(mini_world)
    assert attrs.evolve(reform, name="other") != reform
    assert reform.name == reform.describe()


@pytest.mark.parametrize("reform", EXAMPLES.values(), ids=EXAMPLES.keys())
def test_records_round_trip_through_io(reform: Reform) -> None:
    data = io.to_data(reform, Reform)
    assert next(iter(data)) == "type"
    assert data["type"] == type(reform).tag
    assert "name" not in data  # derived, so left out
    assert io.from_data(data, Reform) == reform
    assert io.loads_reform(io.dumps_json(data), "json") == reform
    assert io.loads_reform(io.dumps_toml(data), "toml") == reform


def test_records_in_data_form() -> None:
    assert io.to_data(EXAMPLES["amend"], Reform) == {
        "type": "amend",
        "policy": CBC,
        "review": "presumption_of_approval",
        "expires": D(2027, 1, 1),
    }
    assert io.to_data(attrs.evolve(EXAMPLES["chain"], name="both"), Reform) == {
        "type": "chain",
        "steps": [{"type": "remove_policy", "policy": BLOCK}, {"type": "rescind", "policy": CBC}],
        "name": "both",
    }


REFORM_FILE = f"""\
name = "a tougher 2026"

[[steps]]
type = "deauthorize"
policy = "{APPROVALS}"
buyers = ["bytedance"]

[[steps]]
type = "change_threshold"
policy = "{CBC}"
fact = "tpp"
op = "<"
value = 15000
"""


def test_a_reform_file_without_type_is_a_chain(tmp_path: Path, mini_world: World) -> None:
    path = tmp_path / "tougher.toml"
    path.write_text(REFORM_FILE, encoding="utf-8")
    expected = Chain(
        (Deauthorize(APPROVALS, "bytedance"), ChangeThreshold(CBC, "tpp", 15000, "<")),
        name="a tougher 2026",
    )
    assert io.load_reform(path) == expected
    (tmp_path / "tougher.json").write_text(
        json.dumps(io.to_data(expected, Reform), default=str), encoding="utf-8"
    )
    assert io.load_reform(tmp_path / "tougher.json") == expected
    decision = evaluate(expected.apply(mini_world), FLAGSHIP)
    assert decision.verdict is Verdict.PROHIBITED  # China's block is back for everyone


def test_malformed_reform_documents_list_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        '[[steps]]\ntype = "rescind"\npolicy = 5\n\n[[steps]]\ntype = "teleport"\n\n'
        '[[steps]]\ntype = "change_threshold"\npolicy = "x"\nfact = "speed"\nvalue = "high"\n\n'
        '[[steps]]\ntype = "authorize"\npolicy = "x"\nbuyers = []\n\n'
        '[[steps]]\ntype = "list"\nlist = "x"\ncompany = "y"\nstart = "soon"\nwhy = 1\n\n'
        '[[steps]]\npolicy = "x"\n',
        encoding="utf-8",
    )
    with pytest.raises(DocumentError) as info:
        io.load_reform(path)
    tags = (
        "rescind, authorize, deauthorize, change_threshold, list, delist, add_policy, "
        "remove_policy, replace_policy, amend, chain"
    )
    assert info.value.source == str(path)
    assert info.value.problems == (
        "steps[0].policy: expected a string, got 5",
        f"steps[1].type: expected one of {tags}, got 'teleport'",
        "steps[2].fact: expected one of tpp, performance_density, dram_bandwidth_gbs, "
        "interconnect_gbs, memory_gb, tdp_w, die_area_mm2, training_flop, parameters, "
        "wavelength_nm, overlay_nm, memory_bandwidth_density, process_nm, transistors, got 'speed'",
        "steps[2].value: expected a number, got 'high'",
        "steps[3].buyers: expected at least one company id",
        "steps[4].start: expected a date YYYY-MM-DD, got 'soon'",
        "steps[4]: unknown key 'why'; allowed keys are list, company, start, end, citation, "
        "sources, name",
        f"steps[5]: no 'type': give the reform, one of {tags}",
    )
    with pytest.raises(DocumentError, match=r"type: expected one of rescind, .*, got 5"):
        io.from_data({"type": 5}, Reform)
    with pytest.raises(DocumentError, match=r"\$: not valid TOML"):
        io.loads_reform("type = ", "toml")


# ---------------------------------------------------------------------------------------------
# The catalogue's named reforms


#: The records that leave the truce's suspensions open after their end dates.
UNSETTLED_TRUCE = tuple(
    RemovePolicy(p)
    for p in (
        "us-bis-2026-11-10-affiliates-suspension-unsettled",
        "cn-2026-11-10-countermeasure-suspension-unsettled",
        "cn-mofcom-2026-11-11-suspension-unsettled",
        "cn-mofcom-2026-11-28-us-suspension-unsettled",
    )
)


def test_catalogue_reforms() -> None:
    named = catalog.reforms()
    assert named is catalog.reforms()  # cached
    assert dict(named) == {
        "rescind-h200-rule": Rescind(
            "us-bis-2026-01-15-h200-case-by-case",
            name="the US rescinds the January 2026 case-by-case rule",
        ),
        "revoke-tencent": Deauthorize(
            "cn-2026-01-h200-import-approvals",
            ("tencent",),
            name="China revokes Tencent's H200 import authorization",
        ),
        "cap-16000": ChangeThreshold(
            "us-bis-2026-01-15-h200-case-by-case",
            "tpp",
            16000,
            "<",
            name="the US lowers the case-by-case TPP cap to 16,000",
        ),
        "lapse-truce": Chain(
            UNSETTLED_TRUCE,
            name="the Nov 2025 truce's suspensions lapse on their official end dates",
        ),
        "extend-truce": Chain(
            (
                *UNSETTLED_TRUCE,
                Amend("us-bis-2025-11-10-affiliates-suspension", expires=dt.date(2027, 11, 10)),
                Amend("cn-2025-11-10-countermeasure-suspension", expires=dt.date(2027, 11, 10)),
                Amend(
                    "cn-2025-11-10-sep-2025-listings-suspension-unsettled",
                    expires=dt.date(2027, 11, 10),
                ),
                Amend("cn-mofcom-2025-70-suspension", expires=dt.date(2027, 11, 11)),
                Amend("cn-mofcom-2025-11-09-us-suspension", expires=dt.date(2027, 11, 28)),
            ),
            name="the US and China extend the Nov 2025 truce's suspensions by one year",
        ),
    }
    with pytest.raises(TypeError):
        named["mine"] = Rescind("x")  # type: ignore[index]
    assert catalog.REFORMS_FILE not in catalog.data_files()


def _ruling(
    world: World, buyer: str, item: str = "nvidia-h200"
) -> tuple[Restriction, tuple[str, ...]]:
    d = evaluate(world, attrs.evolve(FLAGSHIP, buyer=buyer, item=item))
    return d.restriction, d.determining_policies


def test_catalogue_reforms_change_the_flagship_decisions() -> None:
    world = catalog.world()
    named = catalog.reforms()
    assert _ruling(world, "bytedance") == (
        Restriction.LICENSE_CASE_BY_CASE,
        ("us-bis-2026-01-15-h200-case-by-case",),
    )
    assert _ruling(named["rescind-h200-rule"].apply(world), "bytedance") == (
        Restriction.LICENSE_DENIAL,
        ("us-bis-2023-10-17-acs-ifr", "us-bis-2023-10-17-hq-rule"),
    )
    revoked = named["revoke-tencent"].apply(world)
    assert _ruling(world, "tencent")[0] is Restriction.LICENSE_CASE_BY_CASE
    assert _ruling(revoked, "tencent")[0] is Restriction.PROHIBITED
    assert _ruling(revoked, "bytedance") == _ruling(world, "bytedance")
    capped = named["cap-16000"].apply(world)
    assert _ruling(capped, "bytedance")[0] is Restriction.LICENSE_CASE_BY_CASE  # H200: TPP 15832
    assert _ruling(world, "bytedance", "amd-mi325x")[0] is Restriction.LICENSE_CASE_BY_CASE
    assert _ruling(capped, "bytedance", "amd-mi325x")[0] is Restriction.LICENSE_DENIAL


def test_catalogue_reforms_run_on_a_process_pool() -> None:
    named = list(catalog.reforms().values())
    with ProcessPoolExecutor(max_workers=1) as pool:
        worlds_after = list(pool.map(_apply_to_catalogue, named))
    assert worlds_after == [r.apply(catalog.world()) for r in named]


def _apply_to_catalogue(reform: Reform) -> World:
    return reform.apply(catalog.world())


# ---------------------------------------------------------------------------------------------
# Laws


LAWS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@LAWS
@given(st.data())
def test_apply_is_pure(data: st.DataObject) -> None:
    world = data.draw(worlds())
    reform = data.draw(reforms(world))
    before = pickle.dumps(world)
    first = reform.apply(world)
    assert reform.apply(world) == first
    assert pickle.loads(pickle.dumps(reform)).apply(world) == first
    assert pickle.dumps(world) == before


@LAWS
@given(st.data())
def test_a_chain_is_its_steps_in_order(data: st.DataObject) -> None:
    world = data.draw(worlds())
    chain = data.draw(reforms(world, max_steps=4).filter(lambda r: isinstance(r, Chain)))
    assert isinstance(chain, Chain)
    by_hand = functools.reduce(lambda w, step: step.apply(w), chain.steps, world)
    assert chain.apply(world) == by_hand


@LAWS
@given(st.data())
def test_drawn_reforms_round_trip(data: st.DataObject) -> None:
    reform = data.draw(reforms(data.draw(worlds())))
    document = io.to_data(reform, Reform)
    assert io.from_data(document, Reform) == reform
    assert io.loads_reform(io.dumps_json(document), "json") == reform
    assert io.loads_reform(io.dumps_toml(document), "toml") == reform
    assert pickle.loads(pickle.dumps(reform)) == reform


def test_extending_the_truce_keeps_gallium_to_us_buyers_on_the_general_licence() -> None:
    """After the suspension's last day (2026-11-27) clause 2 of MOFCOM No. 46 [2024] returns in
    the catalogue; extended by a year, the general licence of No. 23 [2023] still decides."""
    world = catalog.world()
    extended = catalog.reforms()["extend-truce"].apply(world)
    request = AccessRequest(
        buyer="intel",
        item="gallium",
        on=dt.date(2026, 12, 1),
        route=("CN", "US"),
        end_use="civil_industrial",
    )
    before, after = evaluate(world, request), evaluate(extended, request)
    assert (before.restriction, before.determining_policies) == (
        Restriction.LICENSE_DENIAL,
        ("cn-mofcom-2024-46-us-dual-use",),
    )
    assert (after.restriction, after.determining_policies) == (
        Restriction.LICENSE_CASE_BY_CASE,
        ("cn-mofcom-2023-23-ga-ge",),
    )
    later = attrs.evolve(request, on=dt.date(2027, 11, 28))
    assert evaluate(extended, later).restriction is Restriction.LICENSE_DENIAL
