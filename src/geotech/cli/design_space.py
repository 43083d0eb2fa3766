"""``geotech design-space BUYER``: which hypothetical chip specs get which ruling for one
buyer, date and route, as exact regions between the thresholds of the rules in force."""

from __future__ import annotations

import argparse
from typing import Any

from geotech import analysis
from geotech.analysis.design import AXES
from geotech.cli.arguments import ids_arg
from geotech.cli.shared import (
    OK,
    UsageError,
    check,
    check_all,
    command,
    destination_option,
    emit,
    end_use_option,
    load_world,
    on,
    on_option,
    one_line,
    route_option,
)
from geotech.errors import GeotechError
from geotech.world import World

_YES = {"yes": True, "true": True, "no": False, "false": False}


def fixed_arg(text: str) -> tuple[str, float | bool]:
    """``SPEC=VALUE``: ``die_area_mm2=814``, ``datacenter=yes``."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or name not in AXES:
        raise argparse.ArgumentTypeError(
            f"{text!r}: use SPEC=VALUE with SPEC one of {', '.join(AXES)}, e.g. die_area_mm2=814"
        )
    if name == "datacenter":
        if value.strip().lower() not in _YES:
            raise argparse.ArgumentTypeError(f"{text!r}: datacenter is yes or no")
        return name, _YES[value.strip().lower()]
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 < number < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: {name} must be a number > 0")
    return name, number


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "design-space",
        run,
        "the exact regions of hypothetical chip specs and the ruling of each",
        "geotech design-space bytedance --on 2026-02-01 --route TW,US,CN --end-use datacenter",
    )
    options(p)


def options(p: argparse.ArgumentParser) -> None:
    """The buyer, date, route, end use, axes, fixed specs and designer of a design space
    (``design-space`` and ``plot design-space`` share them)."""
    p.add_argument("buyer", metavar="BUYER", help="the buying company's id")
    on_option(p)
    route_option(p)
    destination_option(p)
    end_use_option(p)
    p.add_argument(
        "--axes",
        type=ids_arg,
        default=("tpp", "dram_bandwidth_gbs"),
        metavar="SPECS",
        help=f"the specs to vary, from {', '.join(AXES)} (default: tpp,dram_bandwidth_gbs)",
    )
    p.add_argument(
        "--fixed",
        type=fixed_arg,
        action="append",
        default=[],
        metavar="SPEC=VALUE",
        help="a spec the chips share, e.g. performance_density=19.45; repeatable (default: "
        "datacenter=yes and an 814 mm² die)",
    )
    p.add_argument(
        "--designer",
        default="nvidia",
        metavar="COMPANY",
        help="the company that designs the chips; its state starts the default route "
        "(default: nvidia)",
    )


def space(args: argparse.Namespace, world: World) -> analysis.DesignSpace:
    """The design space the parsed ``options`` ask for; a bad id, axis, fixed spec or route
    is a ``UsageError`` naming its option."""
    check(args, "BUYER", world.company, args.buyer)
    check(args, "--designer", world.company, args.designer)
    if args.destination is not None:
        check(args, "--destination", world.state, args.destination)
    check_all(args, "--route", world.state, args.route or ())
    fixed = dict(args.fixed) if args.fixed else None
    try:
        return analysis.design_space(
            world,
            buyer=world.canonical("company", args.buyer),
            on=on(args),
            route=args.route,
            destination=args.destination,
            end_use=args.end_use,
            axes=args.axes,
            fixed=fixed,
            designer=world.canonical("company", args.designer),
        )
    except GeotechError as exc:
        message = one_line(exc)
        where = "-" if message.startswith(("axes:", "fixed:")) else "--route/--destination: "
        raise UsageError(f"-{where}{message}", args.prog) from None


def run(args: argparse.Namespace) -> int:
    emit(args, space(args, load_world(args)))
    return OK
