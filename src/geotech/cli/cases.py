"""``geotech cases BUYER ITEM``: the unknown facts of a request (an undeclared end use, an
unpublished spec) split into cases, each with the certain ruling it gives."""

from __future__ import annotations

import argparse
from typing import Any

from geotech import analysis, io
from geotech.cli.shared import (
    OK,
    command,
    decided_on,
    emit,
    load_world,
    one_request,
    request_options,
)


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "cases",
        run,
        "the unknown facts of a request split into cases, each with a certain ruling",
        "geotech cases bytedance nvidia-h200 --on 2026-02-01 --route TW,US,CN",
    )
    request_options(p)


def run(args: argparse.Namespace) -> int:
    world = load_world(args)
    asked = one_request(args, world)
    found = analysis.cases(world, asked)
    footer = [f"request: {asked.buyer} x {asked.item} on {asked.on.isoformat()}"]
    footer += decided_on(world, [asked])
    data = {
        "buyer": asked.buyer,
        "item": asked.item,
        "on": asked.on,
        "route": args.route,
        "end_use": asked.end_use,
        "cases": io.to_data(found),
    }
    emit(args, found, footer=footer, data=data)
    return OK
