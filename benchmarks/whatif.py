"""The four "what it takes" analyses on the catalogue, timed side by side in one run.

Each analysis runs ``--runs`` times (default 5) on a fresh copy of the catalogue world
(``attrs.evolve``: an equal world sharing no compiled index or memo, so every run pays the
compile, as a first question does; copying is not timed). It prints the median seconds of
each, wall clock and CPU time of this process (on a machine shared with other processes the
wall clock includes their share; the goal is judged on the CPU time), beside the goal of one
second (the goal set for ``design_space`` and ``diff``; the others are shown against it
too), and the size of each answer:

- ``design_space``: ByteDance, 2026-02-01, TW -> US -> CN, datacenter end use, the H200's
  density, axes TPP x DRAM bandwidth;
- ``diff``: the catalogue against its named reform ``rescind-h200-rule`` (and
  ``cap-16000``), with cells on the default route and through one transit state, and on the
  default route only (``transit=False``, what the cells covered before) beside it;
- ``cases``: ByteDance x H200 on 2026-02-01, end use undeclared;
- ``what_it_takes``: ByteDance x H200 on 2025-06-01 to LICENSE_REQUIRED (case-by-case), at
  most two changes.

Run:

    python benchmarks/whatif.py
    python benchmarks/whatif.py --runs 11
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable, Sequence

import attrs

from geotech import AccessRequest, cases, catalog, design_space, diff, what_it_takes
from geotech.policies import ReviewPolicy, Verdict
from geotech.world import World

GOAL_S = 1.0


def _fresh(world: World) -> World:
    return attrs.evolve(world)


def _timed(
    run: Callable[[World, World], int], base: World, other: World, runs: int
) -> tuple[float, float, int]:
    """The median wall-clock and CPU seconds of ``run`` on fresh copies, and the size of its
    answer."""
    walls, cpus = [], []
    size = 0
    for _ in range(runs):
        a, b = _fresh(base), _fresh(other)
        start, cpu = time.perf_counter(), time.process_time()
        size = run(a, b)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls), statistics.median(cpus), size


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per analysis (median shown)")
    args = parser.parse_args(argv)
    world = catalog.world()
    reforms = catalog.reforms()
    h200 = AccessRequest(buyer="bytedance", item="nvidia-h200", on=dt.date(2026, 2, 1))
    early = attrs.evolve(h200, on=dt.date(2025, 6, 1))
    target = (Verdict.LICENSE_REQUIRED, ReviewPolicy.CASE_BY_CASE)
    rows: list[tuple[str, Callable[[World, World], int], World]] = [
        (
            "design_space",
            lambda a, _: len(
                design_space(
                    a,
                    buyer="bytedance",
                    on=dt.date(2026, 2, 1),
                    route=("TW", "US", "CN"),
                    end_use="datacenter",
                    fixed={"performance_density": 19.45, "datacenter": True},
                ).regions
            ),
            world,
        ),
        (
            "diff rescind-h200-rule",
            lambda a, b: len(diff(a, b).cells),
            reforms["rescind-h200-rule"].apply(world),
        ),
        (
            "diff rescind, direct",
            lambda a, b: len(diff(a, b, transit=False).cells),
            reforms["rescind-h200-rule"].apply(world),
        ),
        ("diff cap-16000", lambda a, b: len(diff(a, b).cells), reforms["cap-16000"].apply(world)),
        (
            "diff cap-16000, direct",
            lambda a, b: len(diff(a, b, transit=False).cells),
            reforms["cap-16000"].apply(world),
        ),
        ("cases", lambda a, _: len(cases(a, h200)), world),
        ("what_it_takes", lambda a, _: len(what_it_takes(a, early, target)), world),
    ]
    print(
        f"{'analysis':<24} {'wall s':>7} {'cpu s':>7} {'goal s':>7} {'within':>7}"
        f" {'answer size':>12}"
    )
    for name, run, other in rows:
        wall, cpu, size = _timed(run, world, other, args.runs)
        within = "yes" if cpu <= GOAL_S else "no"
        print(f"{name:<24} {wall:>7.3f} {cpu:>7.3f} {GOAL_S:>7.1f} {within:>7} {size:>12}")


if __name__ == "__main__":
    main()
