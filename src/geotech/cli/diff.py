"""``geotech diff REFORM | --reform-file FILE``: every class of requests the catalogue (or
``--world``) and the reformed world rule differently, over all dates, items, buyers, end
uses and routes (direct, or through one transit state). Text and Markdown join the classes by
item and rulings, with a route column (``geotech.render.whatif``); JSON gives the same rows
with the full rulings. ``--direct`` decides the direct routes only (about ten times faster on
the catalogue)."""

from __future__ import annotations

import argparse
from typing import Any

from geotech import analysis, io
from geotech.cli.compare import apply_reforms, reform_options, reform_steps
from geotech.cli.shared import OK, command, emit, load_world, output_format, write
from geotech.render.whatif import diff_rows


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "diff",
        run,
        "every class of requests a reform rules differently, over all dates, items and buyers",
        "geotech diff revoke-tencent",
    )
    reform_options(p)
    p.add_argument(
        "--direct",
        action="store_true",
        help="only direct routes (origin to the buyer's headquarters), not through a transit "
        "state: about ten times faster",
    )


def run(args: argparse.Namespace) -> int:
    world = load_world(args)
    name, steps = reform_steps(args)
    found = analysis.diff(world, apply_reforms(args, world, steps), transit=not args.direct)
    fmt = output_format(args)
    if fmt == "json":
        data = {
            "reform": name,
            "changed": list(found.changed),
            "classes": len(found.cells),
            "rows": io.to_data(diff_rows(found)),
        }
        write(io.dumps_json(data))
        return OK
    write(f"**Reform:** {name}\n\n" if fmt == "markdown" else f"Reform: {name}\n")
    emit(args, found)
    return OK
