"""``geotech plot KIND``: draw a picture (needs the plot extra: ``pip install 'geotech[plot]'``).

Each picture is written atomically (``geotech.files.atomic_write``): a failed or interrupted
run leaves the previous file, if any, and no temporary file behind.
"""

from __future__ import annotations

import argparse
from typing import Any

from geotech import files
from geotech.cli.arguments import (
    date_arg,
    ids_arg,
    picture_arg,
    request_arg,
)
from geotech.cli.compute import gap, gap_options
from geotech.cli.design_space import options as design_space_options
from geotech.cli.design_space import space
from geotech.cli.matrix import access_matrix
from geotech.cli.matrix import options as matrix_options
from geotech.cli.shared import (
    OK,
    Run,
    UsageError,
    check_all,
    command,
    end,
    end_use_option,
    load_world,
    on,
    on_option,
    request,
    write,
)


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "plot",
        None,
        "draw a picture (needs the plot extra: pip install 'geotech[plot]')",
        "geotech plot chip-map --on 2026-02-01 -o chips.svg",
        formats=False,
    )
    kinds = p.add_subparsers(title="pictures", metavar="KIND", required=True)

    def picture(name: str, run: Run, what: str, example: str) -> argparse.ArgumentParser:
        p = command(kinds, name, run, what, f"geotech plot {name} {example}", formats=False)
        p.add_argument("-o", "--output", type=picture_arg, required=True, metavar="FILE.png|.svg")
        return p

    p = picture(
        "chip-map",
        run_chip_map,
        "chips and the control regions in force on a date",
        "--on 2026-02-01 --y-axis dram_bandwidth_gbs -o map.svg",
    )
    on_option(p, "the day whose regions are drawn")
    p.add_argument(
        "--y-axis",
        choices=("performance_density", "dram_bandwidth_gbs"),
        default="performance_density",
        help="(default: performance_density)",
    )
    p.add_argument("--chips", type=ids_arg, help="chip ids to label (default: every chip)")

    p = picture(
        "timeline",
        run_timeline,
        "verdicts of several requests over time",
        "--request bytedance:nvidia-h200@TW,US,CN --request bytedance:nvidia-h20 "
        "--start 2025-01-01 --end 2026-03-01 -o timeline.png",
    )
    p.add_argument(
        "--request",
        type=request_arg,
        action="append",
        required=True,
        metavar="BUYER:ITEM[@ROUTE]",
        help="a request, e.g. bytedance:nvidia-h200@TW,US,CN; repeatable",
    )
    p.add_argument("--start", type=date_arg, required=True, metavar="DATE")
    p.add_argument("--end", type=date_arg, metavar="DATE", help="(default: tomorrow)")
    end_use_option(p)

    p = picture(
        "matrix",
        run_matrix,
        "the access matrix as a heatmap",
        "--buyers bytedance,openai --items nvidia-h200,nvidia-h20 --on 2026-02-01 -o m.png",
    )
    matrix_options(p)

    p = picture(
        "gap",
        run_gap,
        "compute-gap bars: time to train reference workloads on two buyers' accessible compute",
        "--buyer bytedance --order nvidia-h200=100000@TW,US,CN --versus openai "
        "--versus-order nvidia-b200=100000 --on 2026-02-01 -o gap.svg",
    )
    gap_options(p)
    p.add_argument(
        "--linear", action="store_true", help="a linear days axis (default: logarithmic)"
    )

    p = picture(
        "design-space",
        run_design_space,
        "a two-axis design space as boxes coloured by ruling, with the chips that publish "
        "both specs",
        "bytedance --on 2026-02-01 --route TW,US,CN --end-use datacenter -o space.svg",
    )
    design_space_options(p)


def _save(args: argparse.Namespace, figure: Any) -> int:
    from geotech import plot

    try:
        path = plot.save(figure, args.output)
    except files.FileError as exc:
        raise UsageError(f"--output {exc}", args.prog) from None
    write(f"wrote {path}\n")
    return OK


def run_chip_map(args: argparse.Namespace) -> int:
    from geotech import plot

    world = load_world(args)
    if args.chips is not None:
        check_all(args, "--chips", world.chip, args.chips)
    figure = plot.chip_map(world, on(args), y_axis=args.y_axis, chips=args.chips)
    return _save(args, figure)


def run_timeline(args: argparse.Namespace) -> int:
    from geotech import plot

    world = load_world(args)
    requests = [
        request(
            args,
            world,
            buyer,
            item,
            args.start,
            where="--request",
            route=route,
            end_use=args.end_use,
        )
        for buyer, item, route in args.request
    ]
    figure = plot.verdict_timeline(world, requests, args.start, end(args))
    return _save(args, figure)


def run_matrix(args: argparse.Namespace) -> int:
    from geotech import plot

    return _save(args, plot.matrix_heatmap(access_matrix(args, load_world(args))))


def run_gap(args: argparse.Namespace) -> int:
    from geotech import plot

    return _save(
        args,
        plot.compute_gap_bars(
            gap(args, load_world(args)), scale="linear" if args.linear else "log"
        ),
    )


def run_design_space(args: argparse.Namespace) -> int:
    from geotech import plot

    if len(args.axes) != 2 or "datacenter" in args.axes:
        raise UsageError(
            f"--axes: a picture needs two numeric specs, got {','.join(args.axes)}; "
            "e.g. --axes tpp,dram_bandwidth_gbs",
            args.prog,
        )
    world = load_world(args)
    return _save(args, plot.design_space_map(space(args, world), world))
