"""``geotech route BUYER ITEM``: rank candidate routes from least to most restrictive."""

from __future__ import annotations

import argparse
from typing import Any

import attrs

from geotech import analysis
from geotech.cli.shared import (
    OK,
    check,
    check_all,
    command,
    destination_option,
    emit,
    end_use_lines,
    end_use_option,
    load_world,
    on,
    on_option,
    request,
    via_option,
)
from geotech.engine import resolve_route


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "route",
        run,
        "rank candidate routes from least to most restrictive",
        "geotech route bytedance nvidia-h200 --on 2026-02-01 --via US,SG,MY+SG",
    )
    p.add_argument("buyer", metavar="BUYER")
    p.add_argument("item", metavar="ITEM")
    on_option(p)
    via_option(p)
    p.add_argument("--origin", metavar="STATE", type=str.upper, help="(default: item's origin)")
    destination_option(p)
    end_use_option(p)


def run(args: argparse.Namespace) -> int:
    world = load_world(args)
    if args.origin is not None:
        check(args, "--origin", world.state, args.origin)
    asked = request(
        args,
        world,
        args.buyer,
        args.item,
        on(args),
        destination=args.destination,
        end_use=args.end_use,
    )
    if args.origin is not None:
        destination = args.destination or world.company(args.buyer).hq
        start = () if args.origin == destination else (args.origin,)
        asked = attrs.evolve(asked, route=(*start, destination))
    via = None
    if args.via is not None:
        check_all(args, "--via", world.state, (s for stops in args.via for s in stops))
        # A stop at the origin or the destination is the direct route, always a candidate.
        _, route = resolve_route(world, asked, world.company(args.buyer), world.item(args.item))
        ends = {route[0], route[-1]}
        via = [(), *(tuple(s for s in stops if s not in ends) for stops in args.via)]
    # Every candidate is shown with its route; the end use is the one thing left to say.
    emit(args, analysis.best_route(world, asked, via), footer=end_use_lines([asked]))
    return OK
