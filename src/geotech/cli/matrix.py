"""``geotech matrix``: decide every buyer x item on one date."""

from __future__ import annotations

import argparse
from typing import Any

from geotech import analysis
from geotech.cli.shared import (
    OK,
    check_all,
    command,
    emit,
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
    """The options of an access matrix: ``--buyers``, ``--items``, ``--on``, ``--route``."""
    pairs_options(p)
    on_option(p)
    route_option(p)


def access_matrix(args: argparse.Namespace, world: World) -> analysis.AccessMatrix:
    """The access matrix the options ask for, every id checked."""
    check_all(args, "--buyers", world.company, args.buyers)
    check_all(args, "--items", world.item, args.items)
    check_all(args, "--route", world.state, args.route or ())
    return analysis.access_matrix(world, args.buyers, args.items, on(args), route=args.route)


def run(args: argparse.Namespace) -> int:
    emit(args, access_matrix(args, load_world(args)))
    return OK
