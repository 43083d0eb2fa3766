"""``geotech timeline BUYER ITEM``: the dates where a request's decision changes."""

from __future__ import annotations

import argparse
from typing import Any

from geotech import analysis, io
from geotech.cli.arguments import date_arg
from geotech.cli.shared import (
    OK,
    command,
    decided_on,
    destination_option,
    emit,
    end,
    end_use_option,
    load_world,
    request,
    route_option,
)


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "timeline",
        run,
        "the dates where a request's decision changes, with the events that changed it",
        "geotech timeline bytedance nvidia-h200 --start 2025-01-01 --end 2026-03-01",
    )
    p.add_argument("buyer", metavar="BUYER")
    p.add_argument("item", metavar="ITEM")
    p.add_argument("--start", type=date_arg, required=True, metavar="DATE", help="first day")
    p.add_argument(
        "--end", type=date_arg, metavar="DATE", help="day after the last (default: tomorrow)"
    )
    route_option(p)
    destination_option(p)
    end_use_option(p)


def run(args: argparse.Namespace) -> int:
    world = load_world(args)
    asked = request(
        args,
        world,
        args.buyer,
        args.item,
        args.start,
        destination=args.destination,
        route=args.route,
        end_use=args.end_use,
    )
    found = analysis.timeline(world, asked, args.start, end(args))
    data = {**io.to_data(found), "route": list(found.initial.route)}
    emit(args, found, footer=decided_on(world, [asked]), data=data)
    return OK
