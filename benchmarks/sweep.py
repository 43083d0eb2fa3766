"""What a reform costs in ``geotech.sweep``, measured side by side in one run.

The catalogue with synthetic buyers and chips (``scaling.catalogue_world``), 100 requests
(4 buyers x 25 chips, each pair on one of 10 dates from 2019 to 2026) and seeded random
reforms of one policy each (another effect, its entry into force moved:
``scaling.ensemble``). It reports, per reform and in
warm decisions (the cost of one request on a world whose index is built):

- ``rebuild``: apply the reform, compile the reformed world, decide every request;
- ``apply``: applying the reform alone (building and validating the reformed world);
- ``sweep``: ``geotech.sweep.sweep`` in this process (re-decides only the requests a reform
  can change, copies the others from the baseline);

then the sweep's reforms per second and the time 100,000 reforms x 100 requests would take.
With ``--dask N`` it also runs the sweep on a local dask cluster of ``N`` single-threaded
worker processes (``distributed.LocalCluster``, through ``Client.get_executor()``), checks that
its rulings equal the in-process ones, and reports its time (cluster start-up excluded).

Run:

    python benchmarks/sweep.py                    # 10,000 reforms
    python benchmarks/sweep.py --reforms 100000 --dask 2
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from geotech import AccessRequest
from geotech.engine.batch import Evaluator
from geotech.reforms import Reform
from geotech.sweep import Rulings, sweep
from geotech.world import World

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scaling import catalogue_world, ensemble, requests_for


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reforms", type=int, default=10_000)
    ap.add_argument("--sample", type=int, default=300, help="reforms timed on the rebuild path")
    ap.add_argument("--dask", type=int, default=0, help="also on a LocalCluster of N workers")
    args = ap.parse_args(argv)
    world = catalogue_world(50, 25)
    # 4 buyers x 25 chips, each pair on one of the 10 dates from 2019 to 2026 in turn
    asked = requests_for(world, 4, 25)
    requests = [asked[10 * j + j % 10] for j in range(len(asked) // 10)]
    reforms = ensemble(world, args.reforms)
    sample = reforms[: args.sample]

    Evaluator(world).rulings(requests)  # the index is built: decisions are warm
    start = time.perf_counter()
    repeats = 50
    for _ in range(repeats):
        Evaluator(world).rulings(requests)
    warm = (time.perf_counter() - start) / repeats / len(requests)

    start = time.perf_counter()
    worlds = [r.apply(world) for r in sample]
    apply = (time.perf_counter() - start) / len(sample)
    start = time.perf_counter()
    rebuilt = [Evaluator(w).rulings(requests) for w in worlds]
    rebuild = apply + (time.perf_counter() - start) / len(sample)

    start = time.perf_counter()
    swept = sweep(world, reforms, requests)
    seconds = time.perf_counter() - start
    per_reform = seconds / len(reforms)
    if [list(r) for r in swept[: len(sample)]] != rebuilt:
        raise SystemExit("the sweep differs from the rebuild path")

    print(f"{len(world.policies)} policies, {len(requests)} requests, {len(reforms):,} reforms")
    print(f"warm decision: {warm * 1e6:.1f} us\n")
    print("| per reform | ms | warm decisions |")
    print("|---|---:|---:|")
    for name, cost in (("rebuild", rebuild), ("apply alone", apply), ("sweep", per_reform)):
        print(f"| {name} | {cost * 1e3:.2f} | {cost / warm:.0f} |")
    print(
        f"\nsweep: {len(reforms) / seconds:,.0f} reforms/s ({seconds:.1f} s); "
        f"100,000 reforms x 100 requests: about {100_000 * per_reform / 60:.1f} min on one core"
    )
    if args.dask:
        on_dask(world, reforms, requests, swept, args.dask)
    return 0


def on_dask(
    world: World,
    reforms: Sequence[Reform],
    requests: Sequence[AccessRequest],
    expected: list[Rulings],
    workers: int,
) -> None:
    """The same sweep on a local dask cluster of ``workers`` processes."""
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True) as cluster,
        Client(cluster) as client,
    ):
        executor = client.get_executor()
        sweep(world, reforms[: 4 * workers], requests, executor, workers=workers)  # warm up
        start = time.perf_counter()
        got = sweep(world, reforms, requests, executor, workers=workers)
        seconds = time.perf_counter() - start
    if got != expected:
        raise SystemExit("the sweep on dask differs from the sweep in process")
    print(
        f"dask LocalCluster, {workers} workers: {seconds:.1f} s, "
        f"{len(reforms) / seconds:,.0f} reforms/s"
    )


if __name__ == "__main__":
    raise SystemExit(main())
