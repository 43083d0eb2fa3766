"""Results as pandas frames (extra ``pandas``): exact columns, dtypes and values on the mini
world (tests/conftest.py) and on a small supply world built here; rows are plain data."""

from __future__ import annotations

import datetime as dt
import math
import sys
from typing import Any

import pytest

from geotech import (
    AccessRequest,
    Company,
    ExportPolicy,
    GeotechError,
    ItemIs,
    Material,
    State,
    SupplyShare,
    World,
    frames,
)
from geotech.analysis import access_matrix, best_route, compare, timeline
from geotech.compute import Capacity, Distribution, Order, accessible_compute, cluster, compute_gap
from geotech.compute.gap import Workload
from geotech.compute.uncertainty import Simulation
from geotech.errors import InvalidValueError
from geotech.reforms import rescind
from geotech.supply import chokepoints, counter_scenario, exposure

pd = pytest.importorskip("pandas", reason="frames need pandas: pip install 'geotech[pandas]'")

D = dt.date
ON = D(2026, 2, 1)
CBC = "us-2026-h200-case-by-case"
H200_CONDITIONS = (
    "domestic purchase ratio: buy domestic chips alongside",
    "supply certification: sufficient US supply",
    "third party testing: independent testing in the US",
    "volume cap 50% of shipments to US end users",
)
VERDICTS = ["ALLOWED", "CONDITIONAL", "DISCOURAGED", "LICENSE_REQUIRED", "PROHIBITED"]
REVIEWS = ["PRESUMPTION_OF_APPROVAL", "CASE_BY_CASE", "PRESUMPTION_OF_DENIAL"]
RESTRICTIONS = [
    "ALLOWED",
    "CONDITIONAL",
    "DISCOURAGED",
    "LICENSE_REQUIRED (presumption of approval)",
    "LICENSE_REQUIRED (case-by-case)",
    "LICENSE_REQUIRED (presumption of denial)",
    "PROHIBITED",
]
TERMS = ("verdict", "review", "restriction", "certain", "conditions", "determining_policies")


def _dtype(column: str) -> Any:
    kind = frames.column_type(column)
    categories = {
        frames.ColumnType.VERDICT: VERDICTS,
        frames.ColumnType.REVIEW: REVIEWS,
        frames.ColumnType.RESTRICTION: RESTRICTIONS,
    }.get(kind)
    if categories is not None:
        return pd.CategoricalDtype(categories, ordered=True)
    return kind.value


def _expected(columns: dict[str, list[Any]]) -> Any:
    return pd.DataFrame(
        {name: pd.Series(values, dtype=_dtype(name)) for name, values in columns.items()}
    )


def _terms(*rows: tuple[Any, ...], prefix: str = "") -> dict[str, list[Any]]:
    """The six terms columns from one tuple per row, in ``TERMS`` order."""
    return {prefix + name: [r[i] for r in rows] for i, name in enumerate(TERMS)}


# ---------------------------------------------------------------------------------------------
# The helper


def test_column_types_are_declared_once_and_sided_columns_share_them() -> None:
    assert frames.column_type("verdict") is frames.ColumnType.VERDICT
    assert frames.column_type("before_verdict") is frames.ColumnType.VERDICT
    assert frames.column_type("after_determining_policies") is frames.ColumnType.TUPLE
    with pytest.raises(InvalidValueError, match="column 'colour' has no declared type"):
        frames.column_type("colour")


def test_rows_must_share_their_columns() -> None:
    with pytest.raises(InvalidValueError, match=r"row 1 has columns \['buyer'\]"):
        frames.to_frame([{"buyer": "a", "item": "b"}, {"buyer": "c"}])
    assert frames.to_frame([]).shape == (0, 0)


def test_missing_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes ``import pandas`` fail
    with pytest.raises(GeotechError, match=r"pip install 'geotech\[pandas\]'"):
        frames.to_frame([{"buyer": "a"}])


# ---------------------------------------------------------------------------------------------
# Analysis


def test_access_matrix_frame(mini_world: World) -> None:
    matrix = access_matrix(mini_world, ["bytedance", "huawei"], ["nvidia-h200", "nvidia-h20"], ON)
    expected = _expected(
        {
            "on": [ON] * 4,
            "buyer": ["bytedance", "bytedance", "huawei", "huawei"],
            "item": ["nvidia-h200", "nvidia-h20"] * 2,
            "route": [("US", "CN")] * 4,
            **_terms(
                (
                    "LICENSE_REQUIRED",
                    "CASE_BY_CASE",
                    "LICENSE_REQUIRED (case-by-case)",
                    True,
                    H200_CONDITIONS,
                    (CBC,),
                ),
                ("ALLOWED", None, "ALLOWED", True, (), ()),
                ("PROHIBITED", None, "PROHIBITED", True, (), ("cn-2026-h200-customs-block",)),
                (
                    "LICENSE_REQUIRED",
                    "PRESUMPTION_OF_DENIAL",
                    "LICENSE_REQUIRED (presumption of denial)",
                    True,
                    (),
                    ("us-entity-list-license",),
                ),
            ),
        }
    )
    frame = matrix.to_frame()
    pd.testing.assert_frame_equal(frame, expected)
    assert list(frame.dtypes.astype(str)) == [
        "datetime64[s]",
        "string",
        "string",
        "object",
        "category",
        "category",
        "category",
        "boolean",
        "object",
        "object",
    ]
    # ordered categories: sorting by restriction sorts from least to most restrictive
    ranked = frame.sort_values("restriction")
    assert list(ranked["restriction"].astype(str)) == [
        "ALLOWED",
        "LICENSE_REQUIRED (case-by-case)",
        "LICENSE_REQUIRED (presumption of denial)",
        "PROHIBITED",
    ]


def test_timeline_frame_has_one_row_per_period(mini_world: World) -> None:
    request = AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, route=("TW", "US", "CN"))
    line = timeline(mini_world, request, D(2026, 1, 1), D(2026, 3, 1))
    acs = ("us-2023-acs-destination", "us-2023-acs-headquarters")
    us_terms = (
        "supply certification: sufficient US supply",
        "third party testing: independent testing in the US",
        "tariff 25%",
        "volume cap 50% of shipments to US end users",
    )
    expected = _expected(
        {
            "buyer": ["bytedance"] * 4,
            "item": ["nvidia-h200"] * 4,
            "start": [D(2026, 1, 1), D(2026, 1, 14), D(2026, 1, 15), D(2026, 1, 28)],
            "end": [D(2026, 1, 14), D(2026, 1, 15), D(2026, 1, 28), D(2026, 3, 1)],
            **_terms(
                (
                    "LICENSE_REQUIRED",
                    "PRESUMPTION_OF_DENIAL",
                    "LICENSE_REQUIRED (presumption of denial)",
                    True,
                    (),
                    acs,
                ),
                ("PROHIBITED", None, "PROHIBITED", True, (), ("cn-2026-h200-customs-block",)),
                ("PROHIBITED", None, "PROHIBITED", True, us_terms, ("cn-2026-h200-customs-block",)),
                (
                    "LICENSE_REQUIRED",
                    "CASE_BY_CASE",
                    "LICENSE_REQUIRED (case-by-case)",
                    True,
                    (
                        "domestic purchase ratio: buy domestic chips alongside",
                        *us_terms,
                    ),
                    (CBC,),
                ),
            ),
            "events": [
                (),
                ("policy cn-2026-h200-customs-block takes effect",),
                (
                    "policy us-2026-h200-case-by-case takes effect",
                    "policy us-2026-semiconductor-tariff takes effect",
                ),
                ("policy cn-2026-h200-import-approvals takes effect",),
            ],
        }
    )
    pd.testing.assert_frame_equal(line.to_frame(), expected)


def test_comparison_frame_shows_both_sides(mini_world: World) -> None:
    requests = [
        AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON),
        AccessRequest(buyer="bytedance", item="nvidia-h20", on=ON),
    ]
    result = compare(mini_world, rescind(CBC)(mini_world), requests)
    acs = ("us-2023-acs-destination", "us-2023-acs-headquarters")
    expected = _expected(
        {
            "buyer": ["bytedance"],
            "item": ["nvidia-h200"],
            "on": [ON],
            "route": [("US", "CN")],
            "shift": ["loses"],
            **_terms(
                (
                    "LICENSE_REQUIRED",
                    "CASE_BY_CASE",
                    "LICENSE_REQUIRED (case-by-case)",
                    True,
                    H200_CONDITIONS,
                    (CBC,),
                ),
                prefix="before_",
            ),
            **_terms(
                (
                    "LICENSE_REQUIRED",
                    "PRESUMPTION_OF_DENIAL",
                    "LICENSE_REQUIRED (presumption of denial)",
                    True,
                    ("domestic purchase ratio: buy domestic chips alongside",),
                    acs,
                ),
                prefix="after_",
            ),
            "responsible": [(*acs, CBC)],
        }
    )
    pd.testing.assert_frame_equal(result.to_frame(), expected)


def test_route_choice_frame_ranks_candidates(mini_world: World) -> None:
    request = AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, route=("TW", "CN"))
    choice = best_route(mini_world, request, via=[(), ("US",)])
    frame = choice.to_frame()
    assert list(frame.columns) == ["rank", "buyer", "item", "route", *TERMS]
    assert frame["rank"].tolist() == [1, 2]
    assert frame["route"].tolist() == [("TW", "US", "CN"), ("TW", "CN")]
    assert frame["restriction"].astype(str).tolist() == [
        "LICENSE_REQUIRED (case-by-case)",
        "LICENSE_REQUIRED (presumption of denial)",
    ]
    assert str(frame["rank"].dtype) == "Int64"


# ---------------------------------------------------------------------------------------------
# Compute


def test_accessible_compute_frame(mini_world: World) -> None:
    result = accessible_compute(
        mini_world,
        "bytedance",
        ON,
        [Order("nvidia-h200", 1000), Order("nvidia-h20", 10)],
    )
    expected = _expected(
        {
            "buyer": ["bytedance"] * 2,
            "on": [ON] * 2,
            "chip": ["nvidia-h200", "nvidia-h20"],
            "quantity": [1000, 10],
            "units": [1000, 10],
            # US case-by-case (0.5) times China's conditional approval (1); H20s are allowed
            "weight": [0.5, 1.0],
            "precision": ["bf16", "bf16"],
            "peak_flops": [1000 * 989.5e12, 10 * 148e12],
            "expected_flops": [0.5 * 1000 * 989.5e12, 10 * 148e12],
            "route": [("US", "CN")] * 2,
            **_terms(
                (
                    "LICENSE_REQUIRED",
                    "CASE_BY_CASE",
                    "LICENSE_REQUIRED (case-by-case)",
                    True,
                    H200_CONDITIONS,
                    (CBC,),
                ),
                ("ALLOWED", None, "ALLOWED", True, (), ()),
            ),
        }
    )
    pd.testing.assert_frame_equal(result.to_frame(), expected)


def test_compute_gap_frame(mini_world: World) -> None:
    h100 = mini_world.chip("nvidia-h100-sxm")
    a, b = cluster(h100, 100, label="A"), cluster(h100, 50, label="B")
    run = Workload(name="run", flop=989.4e12 * 100 * 0.5 * 86_400, source="https://example.org")
    gap = compute_gap(a, b, utilization=0.5, workloads=[run])
    expected = _expected(
        {
            "workload": ["run"],
            "flop": [run.flop],
            "a": ["A"],
            "b": ["B"],
            "a_flops": [100 * 989.4e12],
            "b_flops": [50 * 989.4e12],
            "a_days": [1.0],
            "b_days": [2.0],
            "utilization": [0.5],
            "ratio": [2.0],
        }
    )
    pd.testing.assert_frame_equal(gap.to_frame(), expected)
    empty = Capacity(label="none", holdings=())
    none = compute_gap(empty, empty, workloads=[run]).to_frame()
    assert none["ratio"].isna().tolist() == [True]
    assert none["a_days"].tolist() == [math.inf]


def test_distribution_and_simulation_frames() -> None:
    dist = Distribution(samples=(3.0, 1.0, 2.0))
    pd.testing.assert_frame_equal(
        dist.to_frame(), _expected({"sample": [0, 1, 2], "value": [3.0, 1.0, 2.0]})
    )
    sim = Simulation(label="lab", achieved_flops=dist)
    pd.testing.assert_frame_equal(
        sim.to_frame(),
        _expected({"label": ["lab"] * 3, "sample": [0, 1, 2], "achieved_flops": [3.0, 1.0, 2.0]}),
    )


# ---------------------------------------------------------------------------------------------
# Supply

URL = ("https://example.org/source",)
GALLIUM_CONTROL = "cn-gallium"


def _supply_world() -> World:
    return World(
        states=[State(id=s, name=s, sources=URL) for s in ("CN", "US", "JP")],
        companies=[Company(id="maker", name="Maker", hq="US", sources=URL)],
        materials=[Material(id="gallium", name="Gallium", category="mineral", sources=URL)],
        supply_shares=[
            SupplyShare(material="gallium", stage="refining", state=s, share=v, as_of=D(2024, 1, 1))
            for s, v in (("CN", 0.9), ("JP", 0.1))
        ],
        policies=[
            ExportPolicy(
                id=GALLIUM_CONTROL,
                issuer="CN",
                title="Gallium export licences",
                criterion=ItemIs(["gallium"]),
                effect="license_required",
                review="case_by_case",
                effective=D(2023, 8, 1),
                sources=URL,
            )
        ],
    )


def test_exposure_frame() -> None:
    result = exposure(_supply_world(), "maker", D(2024, 6, 1))
    expected = _expected(
        {
            "producer": ["maker"] * 2,
            "destination": ["US"] * 2,
            "on": [D(2024, 6, 1)] * 2,
            "material": ["gallium"] * 2,
            "stage": ["refining"] * 2,
            "as_of": [D(2024, 1, 1)] * 2,
            "state": ["CN", "JP"],
            "share": [0.9, 0.1],
            "estimated": [False, False],
            "controlled": [True, False],
            "restricted_tools": [(), ()],
            **_terms(
                (
                    "LICENSE_REQUIRED",
                    "CASE_BY_CASE",
                    "LICENSE_REQUIRED (case-by-case)",
                    True,
                    (),
                    (GALLIUM_CONTROL,),
                ),
                ("ALLOWED", None, "ALLOWED", True, (), ()),
            ),
        }
    )
    pd.testing.assert_frame_equal(result.to_frame(), expected)


def test_chokepoint_rows_make_a_frame() -> None:
    points = chokepoints(_supply_world(), D(2024, 6, 1), 0.5)
    expected = _expected(
        {
            "material": ["gallium"],
            "stage": ["refining"],
            "state": ["CN"],
            "share": [0.9],
            "as_of": [D(2024, 1, 1)],
            "estimated": [False],
            "sources": [()],
        }
    )
    pd.testing.assert_frame_equal(frames.to_frame([c.row() for c in points]), expected)


def test_counter_scenario_frame_shows_both_worlds() -> None:
    world = _supply_world()
    scenario = counter_scenario(world, rescind(GALLIUM_CONTROL), D(2024, 6, 1), ["maker", "JP"])
    expected = _expected(
        {
            "producer": ["maker", "JP"],
            "material": ["gallium"] * 2,
            "before_controlled_share": [0.9, 0.9],
            "after_controlled_share": [0.0, 0.0],
            "before_upper_share": [0.9, 0.9],
            "after_upper_share": [0.0, 0.0],
            "newly_controlled": [False, False],
            "chips": [(), ()],
        }
    )
    pd.testing.assert_frame_equal(scenario.to_frame(), expected)
