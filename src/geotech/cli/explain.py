"""``geotech explain BUYER ITEM``: decide one access request and explain the decision,
concisely (``geotech.render``) or with the full criteria trace (``--trace``)."""

from __future__ import annotations

import argparse
from typing import Any

from geotech import render
from geotech.cli.arguments import count_arg
from geotech.cli.shared import (
    OK,
    command,
    emit,
    load_world,
    one_request,
    output_format,
    request_options,
    write,
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
    request_options(p)
    p.add_argument("--quantity", type=count_arg, help="number of units")
    p.add_argument(
        "--trace",
        action="store_true",
        help="print every in-scope policy's criteria trace (text; Markdown in a code block)",
    )


def run(args: argparse.Namespace) -> int:
    world = load_world(args)
    asked = one_request(args, world, args.quantity)
    decision = evaluate(world, asked)
    if not args.trace or output_format(args) == "json":
        emit(args, decision)
    elif output_format(args) == "markdown":
        write(render.to_markdown(decision) + f"\n```text\n{decision.explain()}\n```\n")
    else:
        write(decision.explain() + "\n")
    return OK
