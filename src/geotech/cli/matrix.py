"""``geotech matrix``: decide every buyer x item on one date."""

from __future__ import annotations

import argparse
from typing import Any

from geotech import analysis, io
from geotech.cli.shared import (
    OK,
    check_all,
    command,
    decided_on,
    emit,
    end_use_option,
    load_world,
    on,
    on_option,
    pairs_options,
    route_option,
)
from geotech.world import World


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "matrix",
        run,
        "decide every buyer x item on one date",
        "geotech matrix --buyers bytedance,openai --items nvidia-h200,nvidia-h20 --on 2026-02-01",
    )
    options(p)


def options(p: argparse.ArgumentParser) -> None:
    """The options of an access matrix: ``--buyers``, ``--items``, ``--on``, ``--route``,
    ``--end-use``."""
    pairs_options(p)
    on_option(p)
    route_option(p)
    end_use_option(p)


def access_matrix(args: argparse.Namespace, world: World) -> analysis.AccessMatrix:
    """The access matrix the options ask for, every id checked."""
    check_all(args, "--buyers", world.company, args.buyers)
    check_all(args, "--items", world.item, args.items)
    check_all(args, "--route", world.state, args.route or ())
    buyers = [world.canonical("company", x) for x in args.buyers]
    items = [world.canonical("item", x) for x in args.items]
    return analysis.access_matrix(
        world, buyers, items, on(args), route=args.route, end_use=args.end_use
    )


def run(args: argparse.Namespace) -> int:
    world = load_world(args)
    matrix = access_matrix(args, world)
    data = io.to_data(matrix)
    data["end_use"] = args.end_use
    data["cells"] = [
        {"buyer": x["buyer"], "item": x["item"], "route": list(cell.decision.route), **x}
        for x, cell in zip(data["cells"], matrix.cells, strict=True)
    ]
    requests = [cell.decision.request for cell in matrix.cells]
    emit(args, matrix, footer=decided_on(world, requests), data=data)
    return OK
