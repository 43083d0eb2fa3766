"""The cost of one request as the policies in scope grow: evaluation is polynomial in the
policies in scope and the unknown matches.

Worlds: one exporter (``US``) and one importer (``CN``), one chip; ``n`` export policies of the
US that all match it (effects cycling through allow, discourage, the three license reviews and
prohibit, every tenth policy superseding the one before it) plus 10 policies that depend on
the end use, which the request leaves unknown (allows, five of them superseding a matching
policy). The ``chain`` shape instead makes each matching
policy supersede the one before it, a supersedes chain of length ``n``.

For each world it prints its size as JSON, the time to compile its index (the first request
pays it), and the median milliseconds per request of ``geotech.evaluate`` and of
``geotech.evaluate_many`` (on a batch of ``--requests`` distinct requests, one per buyer), with
the explanation read (every in-scope policy's trace built) and without. The first decisions
are checked to be equal on both paths, explanations included.

Run:

    python benchmarks/bounded_cost.py                        # 1,000 to 100,000 policies
    python benchmarks/bounded_cost.py --sizes 1000,8000 --shape chain --repeats 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import geotech
from geotech import io
from geotech.criteria import EndUse, ItemIs
from geotech.criteria.uses import EndUseKind
from geotech.entities import Chip, Company, State
from geotech.policies import ExportPolicy
from geotech.world import World

ON = dt.date(2026, 2, 1)
UNKNOWN = 10
#: The end uses of the allows the requests leave unknown, one each.
END_USES = list(EndUseKind)[:UNKNOWN]
EFFECTS = (
    ("allow", None),
    ("discourage", None),
    ("license_required", "presumption_of_approval"),
    ("license_required", "case_by_case"),
    ("license_required", "presumption_of_denial"),
    ("prohibit", None),
)


def policy(i: int, supersedes: Sequence[str] = (), end_use: str | None = None) -> ExportPolicy:
    effect, review = EFFECTS[i % len(EFFECTS)] if end_use is None else ("allow", None)
    return ExportPolicy(
        id=f"p{i:06d}" if end_use is None else f"use-{end_use}",
        issuer="US",
        title=f"policy {i}",
        criterion=ItemIs(["x1"]) if end_use is None else EndUse([end_use]),
        effect=effect,
        review=review,
        effective=dt.date(2025, 1, 1),
        supersedes=supersedes,
    )


def world_of(n: int, shape: str) -> World:
    """``n`` matching policies of ``shape`` (``flat`` or ``chain``) plus the unknown ones."""

    def supersedes(i: int) -> Sequence[str]:
        if i and (shape == "chain" or i % 10 == 0):
            return (f"p{i - 1:06d}",)
        return ()

    matching = [policy(i, supersedes(i)) for i in range(n)]
    unknown = [
        policy(n + j, (f"p{j * (n // UNKNOWN):06d}",) if j % 2 else (), end_use=str(END_USES[j]))
        for j in range(UNKNOWN)
    ]
    return World(
        states=[State(id="US", name="United States"), State(id="CN", name="China")],
        companies=[
            Company(id="acme", name="Acme", hq="US"),
            *(Company(id=f"buyer{k}", name=f"Buyer {k}", hq="CN") for k in range(20)),
        ],
        chips=[Chip(id="x1", name="X1", designer="acme")],
        policies=[*matching, *unknown],
    )


def requests_of(k: int) -> list[geotech.AccessRequest]:
    """``k`` distinct requests (one per buyer), with the end use unknown."""
    return [geotech.AccessRequest(buyer=f"buyer{j}", item="x1", on=ON) for j in range(k)]


def timed(fn: Callable[[], Any]) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start
    finally:
        gc.enable()


def row(n: int, shape: str, repeats: int, requests_count: int) -> dict[str, Any]:
    world = world_of(n, shape)
    size_kb = len(io.dumps_world(world, "json")) / 1000
    requests = requests_of(requests_count)
    compile_s = timed(lambda: geotech.evaluate(world, requests[0]))
    one = [geotech.evaluate(world, r) for r in requests[:2]]
    many = geotech.evaluate_many(world, requests)[:2]
    if one != many:  # explanations built and compared too
        raise SystemExit(f"{n} policies: evaluate and evaluate_many disagree")
    d = one[0]
    per = len(requests)

    def loop(read: bool) -> None:
        for r in requests:
            decision = geotech.evaluate(world, r)
            if read:
                decision.outcomes  # noqa: B018 (builds the explanation)

    def batch(read: bool) -> None:
        for decision in geotech.evaluate_many(world, requests):
            if read:
                decision.outcomes  # noqa: B018

    figures = {
        name: statistics.median(timed(partial(fn, read)) for _ in range(repeats)) / per * 1e3
        for name, fn, read in (
            ("evaluate_ms", loop, False),
            ("evaluate_explained_ms", loop, True),
            ("evaluate_many_ms", batch, False),
            ("evaluate_many_explained_ms", batch, True),
        )
    }
    return {
        "policies": len(world.policies),
        "unknown": UNKNOWN,
        "world_kb": size_kb,
        "verdict": f"{d.restriction}",
        "certain": d.certain,
        "compile_ms": compile_s * 1e3,
        **figures,
    }


def table(rows: Sequence[dict[str, Any]]) -> str:
    lines = [
        "| policies in scope | world (KB) | verdict | certain | first request, compiling (ms) "
        "| evaluate (ms) | evaluate, explained (ms) | evaluate_many (ms/request) "
        "| evaluate_many, explained (ms/request) |",
        "|---:|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['policies']:,} | {r['world_kb']:,.0f} | {r['verdict']} | {r['certain']} "
            f"| {r['compile_ms']:,.1f} | {r['evaluate_ms']:,.2f} "
            f"| {r['evaluate_explained_ms']:,.1f} | {r['evaluate_many_ms']:,.3f} "
            f"| {r['evaluate_many_explained_ms']:,.1f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,8000,20000,100000", help="matching policies")
    ap.add_argument("--shape", choices=("flat", "chain"), default="flat")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--requests", type=int, default=5, help="distinct requests per world")
    args = ap.parse_args(argv)
    rows = []
    for n in args.sizes.split(","):
        rows.append(row(int(n), args.shape, args.repeats, args.requests))
        print(rows[-1], file=sys.stderr, flush=True)
    print(
        f"shape {args.shape}, {UNKNOWN} unknown-match policies, {args.requests} requests, "
        f"median of {args.repeats}:"
    )
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
