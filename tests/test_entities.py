"""Entities: derived chip figures, local invariants, canonical order, dated membership."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest

from geotech import (
    Chip,
    Company,
    CountryGroup,
    GeotechError,
    InvalidValueError,
    Listing,
    Material,
    Membership,
    Model,
    PartyList,
    Precision,
    Role,
    State,
    Status,
    Throughput,
    UnknownEntityError,
    World,
    io,
)
from geotech.entities import H100_DENSE_8BIT_TOPS, period_contains
from geotech.errors import DocumentError

D = dt.date


def chip(**fields: Any) -> Chip:
    return Chip(**{"id": "x1", "name": "X1", "designer": "acme", **fields})


def dense(**tops: float) -> list[Throughput]:
    return [Throughput(precision=p, tops=v) for p, v in tops.items()]


# -- derived figures ---------------------------------------------------------------------------


def test_h100_tpp_is_dense_fp8_times_eight(mini_world: World) -> None:
    h100 = mini_world.chip("nvidia-h100-sxm")
    assert h100.dense_tops(Precision.FP8) == 1979.0
    assert h100.tpp == 15832.0


def test_h20_tpp(mini_world: World) -> None:
    assert mini_world.chip("nvidia-h20").tpp == 2368.0


def test_h100_performance_density(mini_world: World) -> None:
    assert mini_world.chip("nvidia-h100-sxm").performance_density == 15832 / 814


def test_h20_performance_density_below_both_3a090_density_lines(mini_world: World) -> None:
    assert mini_world.chip("nvidia-h20").performance_density == 2368 / 814


def test_tpp_is_the_maximum_over_precisions() -> None:
    # FP64 66.9 x 64 = 4281.6; BF16 989.4 x 16 = 15830.4; FP8 1979 x 8 = 15832.
    x = chip(throughput=dense(fp64=66.9, bf16=989.4, fp8=1979))
    assert x.tpp == 15832.0


def test_tpp_from_a_sixteen_bit_figure_alone() -> None:
    assert chip(throughput=dense(fp16=300)).tpp == 4800.0


def test_tpp_with_four_bit_precision() -> None:
    # 9000 dense FP4 TOPS x 4 bits = 36000, above FP8 4500 x 8 = 36000: a tie.
    assert chip(throughput=dense(fp8=4500, fp4=9000)).tpp == 36000.0


def test_h100_equivalents(mini_world: World) -> None:
    assert H100_DENSE_8BIT_TOPS == 1979.0
    assert mini_world.chip("nvidia-h100-sxm").h100_equivalents == 1.0
    assert mini_world.chip("nvidia-h20").h100_equivalents == 296 / 1979


def test_h100_equivalents_use_the_best_eight_bit_figure() -> None:
    assert chip(throughput=dense(int8=624, fp16=312)).h100_equivalents == 624 / 1979
    assert chip(throughput=dense(fp8=500, int8=1000)).h100_equivalents == 1000 / 1979


def test_missing_specs_make_derived_values_none() -> None:
    bare = chip()
    assert bare.tpp is None
    assert bare.performance_density is None
    assert bare.h100_equivalents is None
    assert bare.dense_tops(Precision.FP8) is None


def test_missing_die_area_makes_only_density_none() -> None:
    x = chip(throughput=dense(fp8=1000))
    assert x.tpp == 8000.0
    assert x.performance_density is None
    assert x.h100_equivalents == 1000 / 1979


def test_no_eight_bit_figure_means_no_h100_equivalents() -> None:
    assert chip(throughput=dense(bf16=989.5)).h100_equivalents is None


def test_precision_bits() -> None:
    assert {p.value: p.bits for p in Precision} == {
        "fp64": 64,
        "fp32": 32,
        "tf32": 32,
        "bf16": 16,
        "fp16": 16,
        "fp8": 8,
        "int8": 8,
        "fp6": 6,
        "fp4": 4,
        "int4": 4,
    }


def test_item_kinds() -> None:
    assert Chip.kind == "chip"
    assert Model.kind == "model"
    assert Material.kind == "material"


# -- local invariants ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field", ["die_area_mm2", "memory_gb", "dram_bandwidth_gbs", "interconnect_gbs", "tdp_w"]
)
@pytest.mark.parametrize("bad", [-5, 0, float("inf"), float("nan")])
def test_chip_measures_must_be_positive_and_finite(field: str, bad: float) -> None:
    with pytest.raises(InvalidValueError) as info:
        chip(**{field: bad})
    message = str(info.value)
    assert f"Chip.{field}" in message
    assert repr(float(bad)) in message


def test_negative_die_area_names_the_field_and_the_value() -> None:
    with pytest.raises(InvalidValueError, match=r"Chip\.die_area_mm2: .* got -5\.0"):
        chip(die_area_mm2=-5)


@pytest.mark.parametrize("bad", ["big", True, [814]])
def test_chip_measures_must_be_numbers(bad: object) -> None:
    with pytest.raises(InvalidValueError, match=r"Chip\.die_area_mm2: expected a number"):
        chip(die_area_mm2=bad)


def test_invalid_value_error_is_a_geotech_error_and_a_value_error() -> None:
    assert issubclass(InvalidValueError, GeotechError)
    assert issubclass(InvalidValueError, ValueError)


def test_whole_numbers_are_stored_as_floats() -> None:
    x = chip(die_area_mm2=814, throughput=dense(fp8=1979))
    assert type(x.die_area_mm2) is float
    assert type(x.throughput[0].tops) is float


def test_throughput_must_be_positive() -> None:
    with pytest.raises(InvalidValueError, match=r"Throughput\.tops: .* got -1\.0"):
        Throughput(precision="fp8", tops=-1)


def test_a_precision_listed_twice_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match="precision listed twice"):
        chip(throughput=dense(fp8=1) + dense(fp8=2))


def test_estimates_must_name_chip_fields() -> None:
    assert chip(estimates=["die_area_mm2", "throughput"]).estimates == {
        "die_area_mm2",
        "throughput",
    }
    with pytest.raises(InvalidValueError, match=r"Chip\.estimates: \['colour'\]"):
        chip(estimates=["colour"])


@pytest.mark.parametrize(
    "bad", ["Nvidia H200", "nvidia h200", "-h200", "", "H200", "h200\n", "h200\n\n", "\nh200"]
)
def test_ids_are_lowercase_slugs(bad: str) -> None:
    with pytest.raises(InvalidValueError, match=r"Chip\.id: expected a lowercase slug"):
        chip(id=bad)


@pytest.mark.parametrize("bad", ["USA", "us", "C", "china", "US\n", "\nUS", "US "])
def test_states_are_alpha_2_codes(bad: str) -> None:
    with pytest.raises(InvalidValueError, match=r"State\.id: expected an ISO 3166 alpha-2"):
        State(id=bad, name="x")


def test_a_state_code_with_a_trailing_newline_is_no_second_state() -> None:
    # "US\n" passed a "^[A-Z]{2}$" match; the world would have held two United States
    with pytest.raises(InvalidValueError, match=r"State\.id: .* got 'US\\n'"):
        World(states=[State(id="US", name="United States"), State(id="US\n", name="Again")])
    with pytest.raises(InvalidValueError, match=r"Company\.hq: .* got 'US\\n'"):
        Company(id="acme", name="Acme", hq="US\n")
    with pytest.raises(InvalidValueError, match=r"Company\.id: .* got 'acme\\n'"):
        Company(id="acme\n", name="Acme", hq="US")


def test_a_document_with_a_trailing_newline_in_a_state_code_is_rejected() -> None:
    text = json.dumps(
        {
            "states": [
                {"id": "US", "name": "United States"},
                {"id": "US\n", "name": "United States, again"},
            ]
        }
    )
    with pytest.raises(DocumentError, match=r"states\[1\]\.id: .*alpha-2 .* got 'US\\n'"):
        io.loads_world(text, "json")


def test_world_look_ups_of_non_strings_raise_geotech_errors(mini_world: World) -> None:
    for look_up in (mini_world.company, mini_world.chip, mini_world.state, mini_world.item):
        for bad in (5, None, ["bytedance"], ("x",)):
            with pytest.raises(UnknownEntityError) as info:
                look_up(bad)  # type: ignore[arg-type]
            assert isinstance(info.value, GeotechError)
            assert repr(bad) in str(info.value)


def test_company_hq_is_an_alpha_2_code() -> None:
    with pytest.raises(InvalidValueError, match=r"Company\.hq: .* got 'China'"):
        Company(id="bytedance", name="ByteDance", hq="China")


def test_sources_are_http_urls() -> None:
    assert State(id="CN", name="China", sources=["https://example.org/a"]).sources == (
        "https://example.org/a",
    )
    with pytest.raises(InvalidValueError, match=r"State\.sources: .* got 'ftp://x'"):
        State(id="CN", name="China", sources=["ftp://x"])


def test_model_measures_must_be_positive() -> None:
    with pytest.raises(InvalidValueError, match=r"Model\.training_flop: .* got -1e\+25"):
        Model(id="m", name="M", developer="lab", training_flop=-1e25)


def test_periods_end_after_they_start() -> None:
    with pytest.raises(InvalidValueError, match="end 2020-01-01 must be after start 2020-01-01"):
        Membership(state="CN", start=D(2020, 1, 1), end=D(2020, 1, 1))
    with pytest.raises(InvalidValueError, match="end 2019-01-01 must be after start 2020-01-01"):
        Listing(company="huawei", start=D(2020, 1, 1), end=D(2019, 1, 1))


@pytest.mark.parametrize(
    ("build", "field", "value"),
    [
        pytest.param(
            lambda: Throughput(precision="fp7", tops=1), "precision", "fp7", id="precision"
        ),
        pytest.param(
            lambda: Company(id="a", name="A", hq="US", roles=["wizard"]),
            "roles",
            "wizard",
            id="role",
        ),
        pytest.param(lambda: chip(datacenter="yes"), "datacenter", "yes", id="datacenter"),
        pytest.param(
            lambda: Model(id="m", name="M", developer="d", training_chip_count=2.5),
            "training_chip_count",
            "2.5",
            id="chip-count",
        ),
        pytest.param(
            lambda: Model(id="m", name="M", developer="d", training_flop_confidence="sure"),
            "training_flop_confidence",
            "sure",
            id="confidence",
        ),
        pytest.param(
            lambda: Listing(company="x", start=D(2020, 1, 1), status="rumour"),
            "status",
            "rumour",
            id="status",
        ),
    ],
)
def test_every_invalid_field_raises_an_invalid_value_error(
    build: Any, field: str, value: str
) -> None:
    """Enum-valued and typed fields are local invariants too: a bad value raises
    ``InvalidValueError`` naming the field and the value (not a bare ``ValueError``, and not
    silently accepted to crash later)."""
    with pytest.raises(InvalidValueError) as info:
        build()
    assert field in str(info.value)
    assert value in str(info.value)


# -- values are immutable and canonical ------------------------------------------------------


def test_records_are_frozen(mini_world: World) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        mini_world.chip("nvidia-h200").die_area_mm2 = 1.0  # type: ignore[misc]


def test_throughput_order_does_not_matter() -> None:
    a = chip(throughput=dense(fp8=1979, bf16=989.5))
    b = chip(throughput=dense(bf16=989.5, fp8=1979))
    assert a == b
    assert [t.precision for t in a.throughput] == [Precision.BF16, Precision.FP8]


def test_collections_are_canonical() -> None:
    members = [Membership(state="MO"), Membership(state="CN", start=D(2020, 1, 1))]
    g1 = CountryGroup(id="g", issuer="US", code="G", name="G", members=members)
    g2 = CountryGroup(id="g", issuer="US", code="G", name="G", members=members[::-1])
    assert g1 == g2
    assert [m.state for m in g1.members] == ["CN", "MO"]
    c1 = Company(id="a", name="A", hq="US", roles=["cloud", "ai_lab"])
    assert c1.roles == frozenset({Role.AI_LAB, Role.CLOUD})


# -- dated membership and listings ----------------------------------------------------------


def test_period_contains_is_half_open() -> None:
    start, end = D(2023, 11, 17), D(2026, 1, 15)
    assert not period_contains(start, end, D(2023, 11, 16))
    assert period_contains(start, end, start)
    assert period_contains(start, end, D(2026, 1, 14))
    assert not period_contains(start, end, end)
    assert period_contains(None, None, D(1900, 1, 1))
    assert period_contains(None, end, D(1900, 1, 1))
    assert not period_contains(start, None, D(1900, 1, 1))


def test_group_membership_is_dated() -> None:
    d5 = CountryGroup(
        id="us-ear-d5",
        issuer="US",
        code="D:5",
        name="D:5",
        members=[Membership(state="CN"), Membership(state="KH", end=D(2026, 2, 3))],
    )
    assert d5.contains("CN", D(2026, 6, 1))
    assert d5.contains("KH", D(2026, 2, 2))
    assert not d5.contains("KH", D(2026, 2, 3))
    assert not d5.contains("US", D(2026, 6, 1))
    assert d5.states_on(D(2026, 1, 1)) == {"CN", "KH"}
    assert d5.states_on(D(2026, 3, 1)) == {"CN"}


def test_party_list_listings_are_dated(mini_world: World) -> None:
    entity_list = mini_world.party_list("us-entity-list")
    assert not entity_list.listed("huawei", D(2019, 5, 15))
    assert entity_list.listed("huawei", D(2019, 5, 16))
    assert not entity_list.listed("bytedance", D(2026, 2, 1))
    assert entity_list.listings[0].status is Status.OFFICIAL


def test_listing_end_is_exclusive() -> None:
    pl = PartyList(
        id="l",
        issuer="US",
        name="L",
        listings=[Listing(company="a", start=D(2020, 1, 1), end=D(2021, 1, 1))],
    )
    assert pl.listed("a", D(2020, 12, 31))
    assert not pl.listed("a", D(2021, 1, 1))


def test_listed_finds_every_listing_of_a_company_among_others() -> None:
    """A company's listings are found whatever their order in the document and whatever
    companies sort around it; a company absent from the list, or sorting past every
    listing, is never listed."""
    pl = PartyList(
        id="l",
        issuer="US",
        name="L",
        listings=[
            Listing(company="m", start=D(2024, 1, 1)),
            Listing(company="b", start=D(2019, 1, 1), end=D(2020, 1, 1)),
            Listing(company="m", start=D(2019, 1, 1), end=D(2020, 1, 1)),
            Listing(company="a", start=D(2022, 1, 1)),
        ],
    )
    listed = {
        (company, day.year)
        for company in ("a", "b", "c", "m", "z")
        for day in (D(2019, 6, 1), D(2022, 6, 1), D(2024, 6, 1))
        if pl.listed(company, day)
    }
    assert listed == {("a", 2022), ("a", 2024), ("b", 2019), ("m", 2019), ("m", 2024)}


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda when: Listing(company="x", start=when), id="listing"),
        pytest.param(lambda when: Membership(state="CN", start=when), id="membership"),
        pytest.param(lambda when: Chip(id="x", name="X", designer="d", released=when), id="chip"),
    ],
)
def test_dates_have_no_time_of_day(build: Any) -> None:
    """A ``datetime`` would be written by io but refused on reading: refuse it up front."""
    with pytest.raises(InvalidValueError, match=r"expected a date such as 2026-01-15 \(no time\)"):
        build(dt.datetime(2026, 1, 1, 12))
    assert build(D(2026, 1, 1)) is not None
