"""geotech against the Cedar policy engine on the neutral "geotech-cedar-bench/1" workloads.

For each workload file this script builds the equivalent geotech World, decides every request
with geotech and with Cedar (cedarpy), checks that geotech's answers equal Cedar's and those of
the workload's reference semantics for every request (decision, determining policies,
three-way outcome, review), then times, round robin in one run, with gc off and the median of
the repeats:

- ``evaluate_many``: ``geotech.evaluate_many``, full decisions (each explanation, with its
  criteria traces, is built when first read, so it is not timed);
- ``rulings``: ``geotech.engine.rulings`` (verdict, review, conditions, determining and
  applying policies, certainty);
- both from a world whose compiled index is built (a world builds it on first use and keeps
  it, as Cedar's ``cedar_batch`` starts from pre-parsed policies and entities); every call
  starts with empty answer caches;
- ``evaluate_many_cold`` and ``rulings_cold``: the same on a fresh copy of the world, so that
  compiling its index is timed too;
- ``evaluate_loop``: ``[geotech.evaluate(world, r) ...]``, on a prefix of the requests when a
  full pass would exceed the time budget;
- ``cedar_batch``: one ``cedarpy.is_authorized_batch`` call with pre-parsed policies and
  entities (Cedar's ``batch_handles``), and ``cedar_batch_text`` with the policy text and the
  entities JSON (parsing included).

The workload semantics are in the docstring of ``cedar_baseline.py`` (``../shared/bench``
beside the checkout, or ``--bench-dir``). Mapping to geotech:

- Cedar applies every policy to every request whatever its ``issuer`` label, so the world puts
  every workload policy under one rule-maker, ``ZZ`` (its workload issuer is kept in the
  title), and each request is one leg from ``ZZ`` to the buyer's headquarters: every policy is
  in scope of every request, as in Cedar;
- effects: ``deny`` -> prohibit, ``require_licence`` -> license_required with the workload's
  review, ``allow`` -> allow; ``when`` -> ``All``, ``unless`` -> ``Not(AnyOf(...))``;
- conditions: ``company.id`` -> ``buyer_is``; ``company.hq_state`` / ``hq_group`` ->
  ``buyer_headquartered`` (states / groups ``bench-a1``, ``bench-d5``, ``bench-other``);
  ``company.on_entity_list`` -> ``buyer_listed`` on ``bench-entity-list``; ``chip.vendor_state``
  -> ``item_is`` over the chips of those vendors; ``chip.tpp`` / ``pd`` / ``dram_bw_gbs`` ->
  ``spec`` on tpp / performance_density / dram_bandwidth_gbs. Each chip has dense INT8
  throughput tpp / 8 and a die area chosen so that tpp / area is exactly the workload's pd;
- answers: Cedar's forbids are the applying non-allow policies, its permits the applying allows.
  geotech's verdict gives the three-way outcome: PROHIBITED is "denied", LICENSE_REQUIRED is
  "licence_required" with geotech's review, ALLOWED is "allowed" when an allow applies and
  "denied" otherwise (Cedar denies by default, geotech allows).

Run (cedarpy is the ``bench`` extra):

    python benchmarks/vs_cedar.py                   # every workload in ../shared/bench/workloads
    python benchmarks/vs_cedar.py c50-x40-p1000.json --repeats 5 --json out.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import json
import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs

import geotech
from geotech import engine
from geotech.criteria import (
    All,
    AnyOf,
    BuyerHeadquartered,
    BuyerIs,
    BuyerListed,
    Criterion,
    ItemIs,
    Not,
    Op,
    Spec,
    SpecName,
)
from geotech.entities import (
    Chip,
    Company,
    CountryGroup,
    Listing,
    Membership,
    PartyList,
    Precision,
    State,
    Throughput,
)
from geotech.policies import EffectKind, ExportPolicy, Verdict
from geotech.world import World

RULE_MAKER = "ZZ"
ENTITY_LIST = "bench-entity-list"
EFFECTIVE = dt.date(2000, 1, 1)
ON = dt.date(2025, 1, 1)
FORMAT = "geotech-cedar-bench/1"
DEFAULT_BENCH_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench"

_EFFECTS = {
    "deny": EffectKind.PROHIBIT,
    "require_licence": EffectKind.LICENSE_REQUIRED,
    "allow": EffectKind.ALLOW,
}
_SPECS = {
    "chip.tpp": SpecName.TPP,
    "chip.pd": SpecName.PERFORMANCE_DENSITY,
    "chip.dram_bw_gbs": SpecName.DRAM_BANDWIDTH_GBS,
}


def load_baseline(bench_dir: Path) -> ModuleType:
    """``cedar_baseline`` from the shared bench directory (it needs no cedarpy to import)."""
    if not (bench_dir / "cedar_baseline.py").exists():
        raise SystemExit(f"cedar_baseline.py not found in {bench_dir}; pass --bench-dir")
    sys.path.insert(0, str(bench_dir))
    return importlib.import_module("cedar_baseline")


# ---------------------------------------------------------------------------------------------
# The equivalent geotech world


def _die_area(tpp: int, pd: float) -> float:
    """A die area whose tpp / area is ``pd``, or the nearest double above it when division
    cannot hit it: workload thresholds are at least 1e-4 away from any other pd, so every
    comparison with a threshold agrees (the answer check below confirms it)."""
    area = tpp / pd
    while tpp / area < pd:
        area = math.nextafter(area, 0.0)
    while tpp / math.nextafter(area, math.inf) >= pd and tpp / area != pd:
        area = math.nextafter(area, math.inf)
    return area


def _group(name: str) -> str:
    return f"bench-{name.lower()}"


def _criterion(cond: dict[str, Any], chips_of: dict[str, list[str]]) -> Criterion:
    attr, op, value = cond["attr"], cond["op"], cond["value"]
    if attr == "company.id" and op == "in":
        return BuyerIs(ids=frozenset(v.lower() for v in value))
    if attr == "company.hq_state" and op == "in":
        return BuyerHeadquartered(states=frozenset(value))
    if attr == "company.hq_group" and op == "in":
        return BuyerHeadquartered(groups=frozenset(_group(g) for g in value))
    if attr == "chip.vendor_state" and op == "in":
        return ItemIs(ids=frozenset(x for v in value for x in chips_of.get(v, [])))
    if attr == "company.on_entity_list" and op == "==":
        listed = BuyerListed(lists=frozenset({ENTITY_LIST}))
        return listed if value else Not(of=listed)
    if attr in _SPECS and op in (">=", "<"):
        return Spec(fact=_SPECS[attr], op=Op(op), value=value)
    raise ValueError(f"cannot translate condition {cond}")


def world_of(workload: dict[str, Any]) -> World:
    """The geotech World equivalent to a workload (see the module docstring)."""
    if workload.get("format") != FORMAT:
        raise ValueError(f"expected a {FORMAT} workload, got format {workload.get('format')!r}")
    states = [State(id=s["id"], name=s["id"]) for s in workload["states"]]
    states.append(State(id=RULE_MAKER, name="Workload rule-maker (every workload policy)"))
    by_group: dict[str, list[str]] = {}
    for s in workload["states"]:
        by_group.setdefault(s["group"], []).append(s["id"])
    groups = [
        CountryGroup(
            id=_group(name),
            issuer=RULE_MAKER,
            code=name,
            name=f"Workload group {name}",
            members=tuple(Membership(state=s) for s in members),
        )
        for name, members in sorted(by_group.items())
    ]
    companies = [
        Company(id=co["id"].lower(), name=co["id"], hq=co["hq_state"])
        for co in workload["companies"]
    ]
    vendors = sorted({x["vendor_state"] for x in workload["chips"]})
    companies += [Company(id=f"vendor-{v.lower()}", name=f"Vendor in {v}", hq=v) for v in vendors]
    listed = PartyList(
        id=ENTITY_LIST,
        issuer=RULE_MAKER,
        name="Workload entity list",
        listings=tuple(
            Listing(company=co["id"].lower(), start=EFFECTIVE)
            for co in workload["companies"]
            if co["on_entity_list"]
        ),
    )
    chips = []
    chips_of: dict[str, list[str]] = {}
    for x in workload["chips"]:
        chips.append(
            Chip(
                id=x["id"].lower(),
                name=x["id"],
                designer=f"vendor-{x['vendor_state'].lower()}",
                datacenter=True,
                throughput=(Throughput(precision=Precision.INT8, tops=x["tpp"] / 8),),
                die_area_mm2=_die_area(x["tpp"], x["pd"]),
                dram_bandwidth_gbs=x["dram_bw_gbs"],
            )
        )
        chips_of.setdefault(x["vendor_state"], []).append(x["id"].lower())
    policies = []
    for p in workload["policies"]:
        when = [_criterion(cond, chips_of) for cond in p["when"]]
        unless = [_criterion(cond, chips_of) for cond in p["unless"]]
        if unless:
            when.append(Not(of=AnyOf(of=tuple(unless))))
        policies.append(
            ExportPolicy(
                id=p["id"],
                issuer=RULE_MAKER,
                title=f"{p['id']} ({p['issuer']} in the workload)",
                criterion=All(of=tuple(when)),
                effect=_EFFECTS[p["effect"]],
                review=p["review"],
                effective=EFFECTIVE,
                citation=FORMAT,
            )
        )
    return World(
        states=states,
        groups=groups,
        companies=companies,
        party_lists=[listed],
        chips=chips,
        policies=policies,
    )


def requests_of(workload: dict[str, Any], on: dt.date = ON) -> list[geotech.AccessRequest]:
    """One request per (company, chip), company-major: the leg from the rule-maker to the
    buyer's headquarters."""
    return [
        geotech.AccessRequest(
            buyer=co["id"].lower(),
            item=x["id"].lower(),
            on=on,
            route=(RULE_MAKER, co["hq_state"]),
        )
        for co in workload["companies"]
        for x in workload["chips"]
    ]


def rows_of(workload: dict[str, Any], rulings: Sequence[geotech.Ruling]) -> list[tuple[Any, ...]]:
    """Rulings as ``cedar_baseline.reference_decide`` rows: (company, chip, Allow|Deny,
    reasons, outcome, review)."""
    effect = {p["id"]: p["effect"] for p in workload["policies"]}
    pairs = [(co["id"], x["id"]) for co in workload["companies"] for x in workload["chips"]]
    rows: list[tuple[Any, ...]] = []
    for pair, r in zip(pairs, rulings, strict=True):
        forbids = tuple(p for p in r.applying_policies if effect[p] != "allow")
        permits = tuple(p for p in r.applying_policies if effect[p] == "allow")
        if r.verdict is Verdict.PROHIBITED:
            answer: tuple[Any, ...] = ("Deny", forbids, "denied", None)
        elif r.verdict is Verdict.LICENSE_REQUIRED and r.review is not None:
            answer = ("Deny", forbids, "licence_required", r.review.name.lower())
        elif r.verdict is Verdict.ALLOWED and not forbids:
            answer = (
                ("Allow", permits, "allowed", None) if permits else ("Deny", (), "denied", None)
            )
        else:
            raise AssertionError(f"{pair}: verdict {r.verdict!r} with forbids {forbids}")
        rows.append(pair + answer)
    return rows


# ---------------------------------------------------------------------------------------------
# Timing


def timed(
    fn: Callable[[], Any], clock: Callable[[], float] = time.perf_counter
) -> tuple[float, Any]:
    """Seconds of ``clock`` for one call (wall clock by default; ``time.process_time`` for
    this process's CPU time), gc collected before and disabled during it."""
    gc.collect()
    gc.disable()
    try:
        t0 = clock()
        result = fn()
        return clock() - t0, result
    finally:
        gc.enable()


def first_mismatch(got: Sequence[Any], want: Sequence[Any]) -> str:
    if len(got) != len(want):
        return f"{len(got)} answers for {len(want)} requests"
    i = next(i for i, (a, b) in enumerate(zip(got, want, strict=True)) if a != b)
    return f"request {i}: {got[i]} != {want[i]}"


MODES = (
    "evaluate_many",
    "rulings",
    "evaluate_many_cold",
    "rulings_cold",
    "evaluate_loop",
    "cedar_batch",
    "cedar_batch_text",
)


def bench(
    path: Path,
    baseline: ModuleType,
    repeats: int,
    loop_budget_s: float,
    selected: Sequence[str] = MODES,
) -> dict[str, Any]:
    import cedarpy

    workload = json.loads(path.read_text())
    name = path.stem
    world = world_of(workload)
    requests = requests_of(workload)
    n = len(requests)

    # answers first: geotech == reference == Cedar, for every request
    reference = baseline.reference_decide(workload)
    ruled = engine.rulings(world, requests)
    rows = rows_of(workload, ruled)
    if rows != reference:
        raise SystemExit(f"{name}: geotech != reference at {first_mismatch(rows, reference)}")
    policy_text = baseline.cedar_policy_text(workload)
    entities_json = json.dumps(baseline.cedar_entities(workload))
    cedar_requests = baseline.cedar_requests(workload)
    policies = cedarpy.PolicySet.from_str(policy_text)
    entities = cedarpy.Entities.from_json_str(entities_json)
    policy_ids = [p["id"] for p in workload["policies"]]

    def cedar_batch() -> list[Any]:
        return cedarpy.is_authorized_batch(cedar_requests, policies, entities)  # type: ignore[no-any-return]

    def cedar_batch_text() -> list[Any]:
        return cedarpy.is_authorized_batch(cedar_requests, policy_text, entities_json)  # type: ignore[no-any-return]

    cedar = baseline.cedar_rows(workload, cedar_batch(), policy_ids)
    if rows != cedar:
        raise SystemExit(f"{name}: geotech != Cedar at {first_mismatch(rows, cedar)}")
    decisions = geotech.evaluate_many(world, requests)
    if [d.ruling for d in decisions] != ruled:
        raise SystemExit(f"{name}: evaluate_many and rulings disagree")
    t_one = min(timed(lambda: geotech.evaluate(world, requests[0]))[0] for _ in range(3))
    k = max(10, min(n, int(loop_budget_s / repeats / t_one)))
    loop_requests = requests[:k]
    if [geotech.evaluate(world, r) for r in loop_requests] != decisions[:k]:
        raise SystemExit(f"{name}: evaluate and evaluate_many disagree")
    del decisions  # millions of trace objects at 1,000 policies: not kept while timing
    digests = baseline.decision_digests(rows)
    print(
        f"{name}: {n} requests, {len(policy_ids)} policies; geotech == reference == Cedar on "
        f"every request (decision, reasons, outcome, review); digest {digests['decisions']}"
    )

    def ready(fn: Callable[[], Any]) -> Callable[[], Callable[[], Any]]:
        return lambda: fn

    def cold(decide: Callable[[World, list[geotech.AccessRequest]], Any]) -> Callable[[], Any]:
        fresh = attrs.evolve(world)  # an equal world without the compiled index
        return lambda: decide(fresh, requests)

    # each mode: (requests decided, setup outside the timed region, returning the timed call)
    every: dict[str, tuple[int, Callable[[], Callable[[], Any]]]] = {
        "evaluate_many": (n, ready(lambda: geotech.evaluate_many(world, requests))),
        "rulings": (n, ready(lambda: engine.rulings(world, requests))),
        "evaluate_many_cold": (n, lambda: cold(geotech.evaluate_many)),
        "rulings_cold": (n, lambda: cold(engine.rulings)),
        "evaluate_loop": (k, ready(lambda: [geotech.evaluate(world, r) for r in loop_requests])),
        "cedar_batch": (n, ready(cedar_batch)),
        "cedar_batch_text": (n, ready(cedar_batch_text)),
    }
    modes = {m: every[m] for m in selected}
    for _, setup in modes.values():  # warm-up
        setup()()
    times: dict[str, list[float]] = {m: [] for m in modes}
    for _ in range(repeats):
        for mode, (_, setup) in modes.items():
            times[mode].append(timed(setup())[0])
    rates = {m: modes[m][0] / statistics.median(ts) for m, ts in times.items()}
    return {
        "name": name,
        "requests": n,
        "policies": len(policy_ids),
        "workload_sha256": baseline.workload_sha256(workload),
        "digests": digests,
        "evaluate_loop_requests": k,
        "decisions_per_s": rates,
        "times_s": times,
    }


def report(runs: Sequence[dict[str, Any]]) -> str:
    modes = list(runs[0]["decisions_per_s"])
    versus = [m for m in MODES[:4] if m in modes]
    head = "| workload | " + " | ".join(modes) + "".join(f" | {m} / cedar" for m in versus) + " |"
    lines = [head, "|---" * (len(modes) + len(versus) + 1) + "|"]
    for run in runs:
        rates = run["decisions_per_s"]
        cells = [f"{rates[m]:,.0f}" for m in modes]
        ratios = [rates[m] / rates["cedar_batch"] for m in versus]
        lines.append(
            f"| {run['name']} | "
            + " | ".join(cells)
            + "".join(f" | {x:.1f}x" for x in ratios)
            + " |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("workloads", nargs="*", help="workload files or names (default: all)")
    ap.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--loop-budget", type=float, default=20.0, help="seconds for evaluate_loop")
    ap.add_argument("--modes", default=",".join(MODES), help="comma-separated; cedar_batch needed")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)
    selected = args.modes.split(",")
    if "cedar_batch" not in selected or set(selected) - set(MODES):
        ap.error(f"--modes: choose among {', '.join(MODES)}, including cedar_batch")
    baseline = load_baseline(args.bench_dir)
    folder = args.bench_dir / "workloads"
    paths = [
        p if p.exists() else folder / (str(p) if str(p).endswith(".json") else f"{p}.json")
        for p in map(Path, args.workloads)
    ] or sorted(folder.glob("*.json"), key=lambda p: (len(p.stem), p.stem))
    runs = [bench(p, baseline, args.repeats, args.loop_budget, selected) for p in paths]
    print()
    print("decisions/s (median of", args.repeats, "repeats, one run):")
    print(report(runs))
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
