"""``geotech classify [CHIP]``: the control classes a chip falls in on a date, with the tests
behind each; specs given as options make a hypothetical chip or override a catalogue chip's."""

from __future__ import annotations

import argparse
from typing import Any

import attrs

from geotech import reports
from geotech.classification import Classification
from geotech.cli.arguments import positive_arg
from geotech.cli.shared import (
    OK,
    UsageError,
    check,
    command,
    load_world,
    on,
    on_option,
    output_format,
    write,
)
from geotech.entities import Chip, Precision, Throughput
from geotech.world import World

#: ``--topsN`` options: dense throughput at each bit length.
TOPS_OPTIONS = {
    4: Precision.INT4,
    8: Precision.INT8,
    16: Precision.FP16,
    32: Precision.FP32,
    64: Precision.FP64,
}
#: Spec options and the chip fields they set.
SPEC_OPTIONS = {
    "die_area": "die_area_mm2",
    "dram_bandwidth": "dram_bandwidth_gbs",
    "interconnect": "interconnect_gbs",
    "memory": "memory_gb",
    "datacenter": "datacenter",
}


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "classify",
        run,
        "the control classes a chip falls in on a date, with the tests behind each",
        "geotech classify --tpp 4700 --die-area 600 --no-datacenter --on 2026-02-01",
    )
    p.add_argument("chip", nargs="?", metavar="CHIP", help="a catalogue chip id; specs override")
    on_option(p)
    p.add_argument("--tpp", type=positive_arg, help="total processing performance")
    for bits, precision in TOPS_OPTIONS.items():
        p.add_argument(
            f"--tops{bits}",
            type=positive_arg,
            metavar="TOPS",
            help=f"dense {precision} TOPS (TFLOPS)",
        )
    p.add_argument("--die-area", type=positive_arg, metavar="MM2", help="die area in mm²")
    p.add_argument("--dram-bandwidth", type=positive_arg, metavar="GBS", help="in GB/s")
    p.add_argument("--interconnect", type=positive_arg, metavar="GBS", help="in GB/s")
    p.add_argument("--memory", type=positive_arg, metavar="GB", help="memory in GB")
    p.add_argument(
        "--datacenter",
        action=argparse.BooleanOptionalAction,
        help="designed or marketed for datacenters",
    )


def chip_of(args: argparse.Namespace, world: World) -> tuple[Chip, list[str]]:
    """The chip to classify and the spec options that shaped it."""
    tops = {
        bits: getattr(args, f"tops{bits}")
        for bits in TOPS_OPTIONS
        if getattr(args, f"tops{bits}") is not None
    }
    if args.tpp is not None and tops:
        raise UsageError("give --tpp or --tops4/8/16/32/64, not both", args.prog)
    changes: dict[str, Any] = {
        field: getattr(args, option)
        for option, field in SPEC_OPTIONS.items()
        if getattr(args, option) is not None
    }
    given = [f"--{o.replace('_', '-')}" for o in SPEC_OPTIONS if getattr(args, o) is not None]
    if args.tpp is not None:
        changes["throughput"] = (Throughput(precision=Precision.INT8, tops=args.tpp / 8),)
        given.insert(0, "--tpp")
    elif tops:
        changes["throughput"] = tuple(
            Throughput(precision=TOPS_OPTIONS[b], tops=v) for b, v in tops.items()
        )
        given[:0] = [f"--tops{b}" for b in tops]
    if args.chip is not None:
        check(args, "CHIP", world.chip, args.chip)
        return attrs.evolve(world.chip(args.chip), **changes), given
    if not changes:
        raise UsageError(
            "give a catalogue chip id or specs (--tpp or --tops8..., --die-area, ...); see "
            f"'{args.prog} --help'",
            args.prog,
        )
    chip = Chip(id="hypothetical", name="hypothetical chip", designer="hypothetical", **changes)
    return chip, given


def run(args: argparse.Namespace) -> int:
    world = load_world(args)
    chip, given = chip_of(args, world)
    classification = Classification.of(world, chip, on(args))
    adjusted = given if args.chip is not None else []
    write(reports.classification(classification, output_format(args), adjusted=adjusted))
    return OK
