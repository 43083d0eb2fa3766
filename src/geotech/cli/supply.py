"""``geotech supply exposure|chokepoints|counter``: the supply side (``geotech.supply``): a
producer's exposure to controlled inputs, the stages one state dominates, and how exposure
changes under reforms (the named reforms and reform files of ``geotech compare``)."""

from __future__ import annotations

import argparse
from typing import Any

from geotech import supply
from geotech.cli.arguments import fraction_arg, ids_arg
from geotech.cli.compare import apply_reforms, reform_options, reform_steps
from geotech.cli.shared import (
    OK,
    check_all,
    emit,
    end_use_option,
    load_world,
    on,
    on_option,
    results_group,
)
from geotech.world import World

#: The share of world supply from which ``chokepoints`` reports a stage by default.
DEFAULT_THRESHOLD = 0.6


def register(subcommands: Any) -> None:
    result = results_group(
        subcommands,
        "supply",
        "exposure to controlled inputs, chokepoints and counter-scenarios",
        "geotech supply exposure nvidia --on 2026-02-01",
    )

    p = result(
        "exposure",
        run_exposure,
        "for each input, the share of world supply under controls applying to a producer",
        "nvidia --on 2026-02-01 --materials gallium,germanium",
    )
    p.add_argument(
        "producer", metavar="PRODUCER", help="a company id, or a state code for its producers"
    )
    p.add_argument(
        "--at",
        type=str.upper,
        metavar="STATE",
        help="where the producer receives the inputs (default: its headquarters)",
    )
    materials_option(p)
    on_option(p)
    end_use_option(p)

    p = result(
        "chokepoints",
        run_chokepoints,
        "the stages where one state holds at least a threshold of world supply",
        "--on 2026-02-01 --threshold 0.9",
    )
    p.add_argument(
        "--threshold",
        type=fraction_arg,
        default=DEFAULT_THRESHOLD,
        help=f"the share of world supply, in (0, 1] (default: {DEFAULT_THRESHOLD})",
    )
    on_option(p)

    p = result(
        "counter",
        run_counter,
        "producers' exposure before and after reforms, with the inputs that change",
        "--producers nvidia,TW --reform-file truce.toml --on 2026-11-28",
    )
    reform_options(p)
    p.add_argument(
        "--producers", type=ids_arg, required=True, metavar="P1,P2", help="companies or states"
    )
    on_option(p)
    end_use_option(p)


def materials_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--materials",
        type=ids_arg,
        metavar="M1,M2",
        help="the inputs, materials or equipment (default: every input with supply shares)",
    )


def _producer(args: argparse.Namespace, world: World, where: str, key: str) -> str:
    """A company id or a state code, checked."""
    if key.upper() in world.ids("state"):
        return key.upper()
    check_all(args, where, world.company, [key])
    return world.canonical("company", key)


def run_exposure(args: argparse.Namespace) -> int:
    world = load_world(args)
    producer = _producer(args, world, "PRODUCER", args.producer)
    check_all(args, "--materials", world.supply_input, args.materials or ())
    check_all(args, "--at", world.state, [args.at] if args.at else [])
    materials = [world.canonical("item", m) for m in args.materials] if args.materials else None
    found = supply.exposure(
        world, producer, on(args), at=args.at, end_use=args.end_use, materials=materials
    )
    emit(args, found)
    return OK


def run_chokepoints(args: argparse.Namespace) -> int:
    world = load_world(args)
    emit(args, supply.chokepoints(world, on(args), args.threshold))
    return OK


def run_counter(args: argparse.Namespace) -> int:
    world = load_world(args)
    _, steps = reform_steps(args)
    producers = [_producer(args, world, "--producers", p) for p in args.producers]
    reformed = apply_reforms(args, world, steps)
    found = supply.counter_scenario(world, reformed, on(args), producers, end_use=args.end_use)
    emit(args, found)
    return OK
