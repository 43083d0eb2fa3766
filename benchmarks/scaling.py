"""How geotech's throughput scales with policies, with requests, and with workers.

Three measurements, each printed as a Markdown table:

- ``policies``: the Cedar-bench generator (``cedar_baseline.generate_workload``, mapped to a
  World as in ``vs_cedar.py``) at 50 companies x 40 chips = 2,000 requests (``--shape``) with
  10 to 10,000 policies. The cost per decision of ``evaluate_many`` and ``rulings`` on a
  world whose index is built (like Cedar's pre-parsed handles), of ``rulings`` on a fresh
  copy (compiling included), the time to compile, and each cost relative to 10 policies.
- ``requests``: the embedded catalogue (``geotech.catalog.world()``: its states, groups,
  lists, classes and policies) with synthetic buyers (headquartered across the catalogue's
  states, some owned by catalogue companies, some on its party lists) and chip variants
  (catalogue chips with scaled specs), asked buyers x chips x 10 dates from 2019 to 2026:
  1e3 to 1e6 requests. Each size and path (``evaluate_many``, ``rulings``) runs in a fresh
  process on one core; it reports the seconds to decide, decisions per second and the
  process's peak resident memory.
- ``sweep``: an ensemble of seeded random reforms of the catalogue (a policy's effect, or its
  dates moved) over a set of requests, in this process and on a pool of 2 worker processes.

Run:

    python benchmarks/scaling.py                    # all three
    python benchmarks/scaling.py requests --sizes 1000,1000000
    python benchmarks/scaling.py sweep --reforms 10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import attrs

import geotech
from geotech import Ruling, catalog, engine
from geotech.entities import Company, Listing, Stake, Throughput
from geotech.policies import EffectKind
from geotech.reforms import Amend, Reform
from geotech.sweep import draws, sweep
from geotech.world import World

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vs_cedar

DATES = tuple(dt.date(2019, 1, 1) + dt.timedelta(days=int(i * 2738 / 9)) for i in range(10))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    return vs_cedar.timed(fn)


def cpu_timed(fn: Callable[[], Any]) -> float:
    """CPU seconds of this process for one call (one thread: other processes on the machine
    do not count)."""
    return vs_cedar.timed(fn, time.process_time)[0]


def median_time(fn: Callable[[], Any], repeats: int) -> float:
    return statistics.median(timed(fn)[0] for _ in range(repeats))


# ---------------------------------------------------------------------------------------------
# Policies


def by_policies(
    counts: Sequence[int], repeats: int, bench_dir: Path, shape: tuple[int, int] = (50, 40)
) -> list[dict[str, Any]]:
    """One row per policy count, on ``shape`` = (companies, chips) requests: CPU seconds (median
    of ``repeats``) to decide the requests with ``evaluate_many`` and ``rulings`` on a world
    whose index is built, with ``rulings`` on a fresh copy (``cold``: compiling included), and
    to compile the index. Every count and mode is warmed up, then timed round robin over the
    counts, so that no count is measured while the process is younger than for another."""
    baseline = vs_cedar.load_baseline(bench_dir)
    cases = []
    for n in counts:
        workload = baseline.generate_workload(*shape, n)
        world, requests = vs_cedar.world_of(workload), vs_cedar.requests_of(workload)
        distinct = len(set(engine.rulings(world, requests)))  # also builds and keeps the index
        geotech.evaluate_many(world, requests)
        cases.append((world, requests, distinct))
    modes = ("evaluate_many", "rulings", "cold", "compile")
    times: list[dict[str, list[float]]] = [{m: [] for m in modes} for _ in cases]
    for _ in range(repeats):
        for (world, requests, _), row in zip(cases, times, strict=True):
            one, other = attrs.evolve(world), attrs.evolve(world)  # equal, without the index
            row["evaluate_many"].append(cpu_timed(partial(geotech.evaluate_many, world, requests)))
            row["rulings"].append(cpu_timed(partial(engine.rulings, world, requests)))
            row["cold"].append(cpu_timed(partial(engine.rulings, one, requests)))
            row["compile"].append(cpu_timed(partial(engine.Evaluator, other)))
    rows = []
    for (world, requests, distinct), row in zip(cases, times, strict=True):
        rows.append(
            {
                "policies": len(world.policies),
                "requests": len(requests),
                "distinct_rulings": distinct,
                **{f"{mode}_s": statistics.median(ts) for mode, ts in row.items()},
            }
        )
    return rows


def policies_table(rows: Sequence[dict[str, Any]]) -> str:
    first = rows[0]
    modes = ("evaluate_many", "rulings", "cold")
    lines = [
        "| policies | distinct rulings | compile (ms) | µs/decision: evaluate_many | rulings "
        "| rulings, cold | cost vs 10 policies: evaluate_many | rulings | rulings, cold |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        per = [r[f"{m}_s"] / r["requests"] * 1e6 for m in modes]
        growth = [r[f"{m}_s"] / first[f"{m}_s"] for m in modes]
        lines.append(
            f"| {r['policies']:,} | {r['distinct_rulings']:,} | {r['compile_s'] * 1e3:.1f} | "
            + " | ".join(f"{x:.1f}" for x in per)
            + " | "
            + " | ".join(f"{x:.2f}x" for x in growth)
            + " |"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Requests: the catalogue with synthetic buyers and chip variants


def catalogue_world(n_buyers: int, n_chips: int, seed: int = 20250101) -> World:
    """The catalogue with ``n_buyers`` synthetic buyers and at least ``n_chips`` chips."""
    rng = random.Random(seed)
    base = catalog.world()
    states = [s.id for s in base.states]
    weights = [{"CN": 30, "US": 20, "TW": 5, "SG": 5, "AE": 3}.get(s, 1) for s in states]
    owners = [c.id for c in base.companies]
    buyers = []
    for i in range(n_buyers):
        parent = rng.choice(owners) if rng.random() < 0.1 else None
        hq = rng.choices(states, weights)[0]
        owners_of = (Stake(owner=parent, percent=100),) if parent else ()
        buyers.append(Company(id=f"buyer-{i:05d}", name=f"Buyer {i}", hq=hq, owners=owners_of))
    lists = []
    for party_list in base.party_lists:
        added = [
            Listing(company=b.id, start=rng.choice(DATES))
            for b in buyers
            if b.hq in ("CN", "HK", "RU", "IR") and rng.random() < 0.1
        ]
        lists.append(attrs.evolve(party_list, listings=(*party_list.listings, *added)))
    chips = list(base.chips)
    while len(chips) < n_chips:
        model = rng.choice(base.chips)
        scale = rng.uniform(0.3, 1.5)
        chips.append(
            attrs.evolve(
                model,
                id=f"{model.id}-v{len(chips)}",
                name=f"{model.name} variant {len(chips)}",
                throughput=tuple(
                    Throughput(precision=t.precision, tops=t.tops * scale) for t in model.throughput
                ),
                dram_bandwidth_gbs=(
                    None if model.dram_bandwidth_gbs is None else model.dram_bandwidth_gbs * scale
                ),
                sources=(),
            )
        )
    return attrs.evolve(
        base,
        companies=(*base.companies, *buyers),
        party_lists=tuple(lists),
        chips=tuple(chips),  # every catalogue chip stays: policies and models name them
    )


def requests_for(world: World, n_buyers: int, n_chips: int) -> list[geotech.AccessRequest]:
    buyers = [c.id for c in world.companies if c.id.startswith("buyer-")][:n_buyers]
    chips = [x.id for x in world.chips][:n_chips]
    return [
        geotech.AccessRequest(buyer=b, item=x, on=on) for b in buyers for x in chips for on in DATES
    ]


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's ``VmHWM`` starts afresh at ``exec``;
    ``ru_maxrss``, the fallback elsewhere, may include the parent's peak at ``fork``."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


SIZES = {1_000: (10, 10), 10_000: (100, 10), 100_000: (100, 100), 1_000_000: (1_000, 100)}


PATHS: dict[str, Callable[[World, list[geotech.AccessRequest]], Sequence[Any]]] = {
    "evaluate_many": geotech.evaluate_many,
    "rulings": engine.rulings,
}


def one_size(size: int, path: str) -> dict[str, Any]:
    """Decide ``size`` requests in this process with ``path``; report seconds and peak
    memory."""
    n_buyers, n_chips = SIZES[size]
    world = catalogue_world(max(n_buyers, 10), max(n_chips, 25))
    t_requests, requests = timed(lambda: requests_for(world, n_buyers, n_chips))
    seconds, answers = timed(lambda: PATHS[path](world, requests))
    assert len(answers) == size
    rulings = [a if isinstance(a, Ruling) else a.ruling for a in answers]
    verdicts: dict[str, int] = {}
    for ruling in rulings:
        verdicts[ruling.verdict.name] = verdicts.get(ruling.verdict.name, 0) + 1
    return {
        "requests": size,
        "path": path,
        "world": {"policies": len(world.policies), "companies": len(world.companies)},
        "build_requests_s": t_requests,
        "decide_s": seconds,
        "distinct_rulings": len(set(rulings)),
        "verdicts": verdicts,
        "peak_rss_mb": peak_rss_mb(),
    }


def by_requests(sizes: Sequence[int]) -> list[dict[str, Any]]:
    rows = []
    for size in sizes:
        for path in PATHS:
            out = subprocess.run(
                [sys.executable, __file__, "one-size", str(size), path],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            rows.append(json.loads(out))
            r = rows[-1]
            print(
                f"  {size:,} requests, {path}: {r['decide_s']:.2f} s, {r['peak_rss_mb']:.0f} MB",
                flush=True,
            )
    return rows


def requests_table(rows: Sequence[dict[str, Any]]) -> str:
    lines = [
        "| requests | path | policies | build requests (s) | decide (s) | decisions/s "
        "| distinct rulings | peak RSS (MB) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['requests']:,} | {r['path']} | {r['world']['policies']} | "
            f"{r['build_requests_s']:.2f} | {r['decide_s']:.2f} | "
            f"{r['requests'] / r['decide_s']:,.0f} | {r['distinct_rulings']:,} | "
            f"{r['peak_rss_mb']:.0f} |"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Sweeps


def reshape(world: World, policy_id: str, effect: str, shift_days: int) -> Reform:
    """A reform: give the policy another effect and move its entry into force."""
    policy = world.policy(policy_id)
    effective = policy.effective + dt.timedelta(days=shift_days)
    if policy.expires is not None and effective >= policy.expires:
        effective = policy.effective
    review = policy.review if effect == EffectKind.LICENSE_REQUIRED else None
    if effect == EffectKind.LICENSE_REQUIRED and review is None:
        review = geotech.ReviewPolicy.CASE_BY_CASE
    if review is None:
        return Amend(policy_id, effect=effect, clear={"review"}, effective=effective)
    return Amend(policy_id, effect=effect, review=review, effective=effective)


def ensemble(world: World, n: int, seed: int = 1) -> list[Reform]:
    return draws(
        functools.partial(reshape, world),
        n,
        seed=seed,
        policy_id=[p.id for p in world.policies],
        effect=list(EffectKind),
        shift_days=lambda rng: rng.randint(-365, 365),
    )


def by_workers(n_reforms: int, workers: int, repeats: int) -> dict[str, Any]:
    world = catalogue_world(50, 25)
    requests = requests_for(world, 4, 25)[::10]  # 4 buyers x 25 chips x 1 date
    reforms = ensemble(world, n_reforms)
    single: list[float] = []
    parallel: list[float] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        sweep(world, reforms[: 4 * workers], requests, pool, workers=workers)  # start workers
        for _ in range(repeats):  # round robin, so machine noise spreads over both
            t, expected = timed(lambda: sweep(world, reforms, requests))
            single.append(t)
            t, got = timed(lambda: sweep(world, reforms, requests, pool, workers=workers))
            parallel.append(t)
            if got != expected:
                raise SystemExit("sweep on workers differs from the sweep in process")
    return {
        "reforms": n_reforms,
        "requests": len(requests),
        "policies": len(world.policies),
        "workers": workers,
        "single_s": statistics.median(single),
        "parallel_s": statistics.median(parallel),
        "speedup": statistics.median(single) / statistics.median(parallel),
        "all_single_s": single,
        "all_parallel_s": parallel,
    }


def sweep_table(r: dict[str, Any]) -> str:
    n = r["reforms"]
    return "\n".join(
        [
            "| reforms | requests each | in process (s) | reforms/s | "
            f"{r['workers']} workers (s) | reforms/s | speed-up |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            f"| {n:,} | {r['requests']} | {r['single_s']:.1f} | {n / r['single_s']:,.0f} | "
            f"{r['parallel_s']:.1f} | {n / r['parallel_s']:,.0f} | {r['speedup']:.2f}x |",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", nargs="*", default=["policies", "requests", "sweep"])
    ap.add_argument("--policies", default="10,100,1000,10000")
    ap.add_argument("--shape", default="50x40", help="policies: companies x chips requested")
    ap.add_argument("--sizes", default="1000,10000,100000,1000000")
    ap.add_argument("--reforms", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--sweep-repeats", type=int, default=3)
    ap.add_argument("--bench-dir", type=Path, default=vs_cedar.DEFAULT_BENCH_DIR)
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)
    if args.what[:1] == ["one-size"]:
        print(json.dumps(one_size(int(args.what[1]), args.what[2])))
        return 0
    figures: dict[str, Any] = {}
    if "policies" in args.what:
        counts = [int(x) for x in args.policies.split(",")]
        companies, chips = (int(x) for x in args.shape.split("x"))
        figures["policies"] = by_policies(counts, args.repeats, args.bench_dir, (companies, chips))
        print(policies_table(figures["policies"]), end="\n\n")
    if "requests" in args.what:
        figures["requests"] = by_requests([int(x) for x in args.sizes.split(",")])
        print(requests_table(figures["requests"]), end="\n\n")
    if "sweep" in args.what:
        figures["sweep"] = by_workers(args.reforms, args.workers, args.sweep_repeats)
        print(sweep_table(figures["sweep"]), end="\n\n")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
