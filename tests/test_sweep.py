"""Sweeps equal reform-by-reform evaluation, in this process, on a process pool and on dask;
reform ensembles are records built by ``grid`` and ``draws``."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geotech import AccessRequest, EffectKind, World, catalog, engine, evaluate
from geotech.errors import UnknownEntityError
from geotech.reforms import Amend, ChangeThreshold, Reform, RemovePolicy
from geotech.strategies import requests, worlds
from geotech.strategies.reforms import reforms
from geotech.sweep import Baseline, Rulings, SweepError, draws, grid, sweep

D = dt.date
REQUESTS = tuple(
    AccessRequest(buyer=buyer, item=item, on=on, route=route)
    for buyer in ("bytedance", "bytedance-sg", "huawei")
    for item in ("nvidia-h200", "nvidia-h20")
    for on in (D(2024, 1, 1), D(2026, 2, 1))
    for route in (None, ("TW", "US", "CN"))
)


def ensemble() -> list[Reform]:
    """Every policy of the mini world made an allow, a discouragement or a prohibition, then
    each removed: 7 x 3 + 7 reforms."""
    ids = [
        "cn-2026-h200-customs-block",
        "cn-2026-h200-import-approvals",
        "us-2023-acs-destination",
        "us-2023-acs-headquarters",
        "us-2026-h200-case-by-case",
        "us-2026-semiconductor-tariff",
        "us-entity-list-license",
    ]
    effects = [EffectKind.ALLOW, EffectKind.DISCOURAGE, EffectKind.PROHIBIT]
    amended = grid(Amend, policy=ids, effect=effects, clear=[{"review"}])
    return amended + grid(RemovePolicy, policy=ids)


def one_by_one(world: World, reforms: list[Reform]) -> list[Rulings]:
    out = []
    for reform in reforms:
        reformed = reform.apply(world)
        out.append(tuple(evaluate(reformed, r).ruling for r in REQUESTS))
    return out


class Inline(Executor):
    """Runs each task at submission, in this process; records the arguments."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.calls.append(args)
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def test_grid_varies_the_last_axis_fastest() -> None:
    reforms = grid(Amend, policy=["a", "b"], effect=["allow", "prohibit"])
    assert reforms == [
        Amend("a", effect=EffectKind.ALLOW),
        Amend("a", effect=EffectKind.PROHIBIT),
        Amend("b", effect=EffectKind.ALLOW),
        Amend("b", effect=EffectKind.PROHIBIT),
    ]


def test_draws_are_reproducible_from_their_seed() -> None:
    axes: dict[str, Any] = {
        "policy": ["a", "b", "c"],
        "fact": ["tpp"],
        "value": lambda rng: rng.uniform(0, 1),
    }
    first = draws(ChangeThreshold, 20, seed=7, **axes)
    assert first == draws(ChangeThreshold, 20, seed=7, **axes)
    assert first != draws(ChangeThreshold, 20, seed=8, **axes)
    assert all(isinstance(r, ChangeThreshold) for r in first)
    assert {r.policy for r in first if isinstance(r, ChangeThreshold)} <= {"a", "b", "c"}
    assert all(0 <= r.value <= 1 for r in first if isinstance(r, ChangeThreshold))


def test_a_factory_may_be_any_function_returning_a_record(mini_world: World) -> None:
    def shorten(policy: str, days: int) -> Reform:
        p = mini_world.policy(policy)
        return Amend(policy, expires=p.effective + dt.timedelta(days=days))

    reforms = grid(shorten, policy=["us-entity-list-license"], days=[1, 30])
    assert reforms == [
        Amend("us-entity-list-license", expires=D(2019, 5, 17)),
        Amend("us-entity-list-license", expires=D(2019, 6, 15)),
    ]


def test_a_gridded_reform_pickles_and_applies(mini_world: World) -> None:
    [reform] = grid(RemovePolicy, policy=["us-entity-list-license"])
    assert pickle.loads(pickle.dumps(reform)) == reform
    assert reform.apply(mini_world) == RemovePolicy("us-entity-list-license").apply(mini_world)


def test_sweep_in_process_equals_one_by_one(mini_world: World) -> None:
    reforms = ensemble()
    assert sweep(mini_world, reforms, REQUESTS) == one_by_one(mini_world, reforms)


def test_the_world_travels_with_the_first_tasks_only(mini_world: World) -> None:
    inline = Inline()
    reforms = ensemble()
    got = sweep(mini_world, reforms, REQUESTS, inline, workers=1, chunksize=4)
    assert got == one_by_one(mini_world, reforms)
    carried = [payload is not None for _, payload, _ in inline.calls]
    assert carried == [True] + [False] * (len(carried) - 1)
    assert len(carried) == -(-len(reforms) // 4)


def test_sweep_on_a_process_pool_equals_one_by_one(mini_world: World) -> None:
    reforms = ensemble()
    # workers=1: the second process misses the world at first and must ask for it
    with ProcessPoolExecutor(max_workers=2) as pool:
        got = sweep(mini_world, reforms, REQUESTS, pool, workers=1, chunksize=3)
    assert got == one_by_one(mini_world, reforms)


def test_a_failing_reform_fails_the_sweep(mini_world: World) -> None:
    reforms: list[Reform] = [*grid(RemovePolicy, policy=["no-such-policy"])]
    with pytest.raises(UnknownEntityError, match="no-such-policy"):
        sweep(mini_world, reforms, REQUESTS)
    # an error that cannot be unpickled (UnknownEntityError today) arrives as a SweepError
    with (
        ProcessPoolExecutor(max_workers=1) as pool,
        pytest.raises((UnknownEntityError, SweepError), match="no-such-policy"),
    ):
        sweep(mini_world, reforms, REQUESTS, pool)


def test_sweep_on_a_dask_cluster_equals_one_by_one(mini_world: World) -> None:
    distributed = pytest.importorskip("distributed")
    reforms = ensemble()
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        got = sweep(mini_world, reforms, REQUESTS, client.get_executor(), workers=2, chunksize=3)
    assert got == one_by_one(mini_world, reforms)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_incremental_rulings_equal_the_rebuild(data: st.DataObject) -> None:
    """A baseline re-decides only the requests a reform can change; every ruling equals the
    one decided from scratch in the reformed world."""
    world = data.draw(worlds())
    asked = tuple(data.draw(st.lists(requests(world), min_size=1, max_size=6)))
    baseline = Baseline(world, asked)
    for reform in data.draw(st.lists(reforms(world), min_size=1, max_size=3)):
        reformed = reform.apply(world)
        assert baseline.rulings(reformed) == engine.rulings(reformed, asked)


def test_a_sweep_answers_days_outside_the_window_as_not_certain() -> None:
    world = catalog.world()
    asked = (
        AccessRequest(buyer="bytedance", item="nvidia-h200", on=dt.date(2018, 6, 1)),
        AccessRequest(
            buyer="bytedance", item="nvidia-h200", on=dt.date(2025, 6, 1), end_use="datacenter"
        ),
    )
    (got,) = sweep(world, [RemovePolicy("us-bis-2023-10-17-hq-rule")], asked)
    assert [r.certain for r in got] == [False, True]
    assert list(got) == engine.rulings(
        RemovePolicy("us-bis-2023-10-17-hq-rule").apply(world), asked
    )


def test_a_reform_of_one_policy_re_decides_only_what_it_can_change(mini_world: World) -> None:
    baseline = Baseline(mini_world, REQUESTS)
    reform = Amend("us-2026-semiconductor-tariff", effect=EffectKind.PROHIBIT)
    assert baseline.rulings(reform.apply(mini_world)) == list(one_by_one(mini_world, [reform])[0])
    assert baseline.rulings(mini_world) == [evaluate(mini_world, r).ruling for r in REQUESTS]
