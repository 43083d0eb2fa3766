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
    destination_option,
    emit,
    end_use_option,
    load_world,
    on,
    on_option,
    output_format,
    request,
    route_option,
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
    p.add_argument("buyer", metavar="BUYER", help="the buying company's id")
    p.add_argument("item", metavar="ITEM", help="the item's id (chip, model or material)")
    on_option(p)
    route_option(p)
    destination_option(p)
    p.add_argument("--quantity", type=count_arg, help="number of units")
    end_use_option(p)
    p.add_argument(
        "--trace",
        action="store_true",
        help="print every in-scope policy's criteria trace (text; Markdown in a code block)",
    )


def run(args: argparse.Namespace) -> int:
    world = load_world(args)
    asked = request(
        args,
        world,
        args.buyer,
        args.item,
        on(args),
        destination=args.destination,
        route=args.route,
        quantity=args.quantity,
        end_use=args.end_use,
    )
    decision = evaluate(world, asked)
    if not args.trace or output_format(args) == "json":
        emit(args, decision)
    elif output_format(args) == "markdown":
        write(render.to_markdown(decision) + f"\n```text\n{decision.explain()}\n```\n")
    else:
        write(decision.explain() + "\n")
    return OK
