"""``geotech compute access|gap``: what compute a buyer's orders yield, and the gap between two
buyers (``geotech.compute``). The gap options and their reading are shared with
``geotech plot gap``."""

from __future__ import annotations

import argparse
from typing import Any

import attrs

from geotech import compute
from geotech.cli.arguments import fraction_arg, order_arg
from geotech.cli.shared import (
    OK,
    check,
    check_all,
    emit,
    end_use_option,
    load_world,
    on,
    on_option,
    results_group,
)
from geotech.entities import Precision
from geotech.world import World

ORDER_HELP = "CHIP=COUNT or CHIP=COUNT@TW,US,CN (the route); repeatable"


def register(subcommands: Any) -> None:
    result = results_group(
        subcommands,
        "compute",
        "accessible compute and the compute gap between two buyers",
        "geotech compute access bytedance --order nvidia-h200=100000@TW,US,CN --on 2026-02-01",
    )

    p = result(
        "access",
        run_access,
        "each order decided and weighed: the FLOP/s a buyer can expect",
        "bytedance --order nvidia-h200=100000@TW,US,CN --order nvidia-h20=50000 --on 2026-02-01",
    )
    p.add_argument("buyer", metavar="BUYER")
    p.add_argument("--order", type=order_arg, action="append", required=True, help=ORDER_HELP)
    on_option(p)
    precision_option(p)
    end_use_option(p)

    p = result(
        "gap",
        run_gap,
        "the compute gap: FLOP/s ratio and time to train reference workloads",
        "--buyer bytedance --order nvidia-h200=100000@TW,US,CN --versus openai "
        "--versus-order nvidia-b200=100000 --on 2026-02-01",
    )
    gap_options(p)


def precision_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--precision",
        choices=[str(x) for x in Precision],
        default=str(compute.DEFAULT_PRECISION),
        help=f"precision of the peak throughput counted (default: {compute.DEFAULT_PRECISION})",
    )


def gap_options(p: argparse.ArgumentParser) -> None:
    """The options of a compute gap: ``--buyer``/``--order``, ``--versus``/``--versus-order``,
    ``--on``, ``--precision``, ``--utilization``, ``--end-use``."""
    p.add_argument("--buyer", required=True, metavar="BUYER")
    p.add_argument(
        "--order", type=order_arg, action="append", required=True, metavar="ORDER", help=ORDER_HELP
    )
    p.add_argument("--versus", required=True, metavar="BUYER")
    p.add_argument(
        "--versus-order",
        type=order_arg,
        action="append",
        required=True,
        metavar="ORDER",
        help=f"the other buyer's orders, {ORDER_HELP}",
    )
    on_option(p)
    precision_option(p)
    p.add_argument(
        "--utilization",
        type=fraction_arg,
        default=compute.DEFAULT_UTILIZATION,
        help=f"model FLOP utilization (default: {compute.DEFAULT_UTILIZATION})",
    )
    end_use_option(p)


def accessible(
    args: argparse.Namespace,
    world: World,
    buyer: str,
    orders: list[compute.Order],
    where: tuple[str, str] = ("BUYER", "--order"),
) -> compute.AccessibleCompute:
    """The buyer's accessible compute from the orders, every id checked (``where`` names the
    options that gave the buyer and the orders)."""
    check(args, where[0], world.company, buyer)
    for order in orders:
        check(args, where[1], world.chip, order.chip)
        check_all(args, f"{where[1]} {order.chip}@", world.state, order.route or ())
    orders = [
        attrs.evolve(
            order, chip=world.canonical("item", order.chip), end_use=args.end_use or order.end_use
        )
        for order in orders
    ]
    buyer = world.canonical("company", buyer)
    precision = Precision(args.precision)
    return compute.accessible_compute(world, buyer, on(args), orders, precision=precision)


def gap(args: argparse.Namespace, world: World) -> compute.ComputeGap:
    """The compute gap the ``gap_options`` ask for."""
    mine = accessible(args, world, args.buyer, args.order, ("--buyer", "--order"))
    theirs = accessible(args, world, args.versus, args.versus_order, ("--versus", "--versus-order"))
    return compute.compute_gap(mine, theirs, utilization=args.utilization)


def run_access(args: argparse.Namespace) -> int:
    emit(args, accessible(args, load_world(args), args.buyer, args.order))
    return OK


def run_gap(args: argparse.Namespace) -> int:
    emit(args, gap(args, load_world(args)))
    return OK
