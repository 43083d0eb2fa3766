"""``geotech explain BUYER ITEM``: decide one access request and explain the decision."""

from __future__ import annotations

import argparse
from typing import Any

from geotech.cli.arguments import count_arg
from geotech.cli.shared import (
    OK,
    command,
    destination_option,
    emit,
    end_use_option,
    load_world,
    on,
    on_option,
    request,
    route_option,
)
from geotech.engine import evaluate


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "explain",
        run,
        "decide one access request and explain the decision",
        "geotech explain bytedance nvidia-h200 --on 2026-02-01 --route TW,US,CN",
    )
    p.add_argument("buyer", metavar="BUYER", help="the buying company's id")
    p.add_argument("item", metavar="ITEM", help="the item's id (chip, model or material)")
    on_option(p)
    route_option(p)
    destination_option(p)
    p.add_argument("--quantity", type=count_arg, help="number of units")
    end_use_option(p)


def run(args: argparse.Namespace) -> int:
    world = load_world(args)
    asked = request(
        args,
        world,
        args.buyer,
        args.item,
        on(args),
        destination=args.destination,
        route=args.route,
        quantity=args.quantity,
        end_use=args.end_use,
    )
    emit(args, evaluate(world, asked))
    return OK
