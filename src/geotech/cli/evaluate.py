"""``geotech evaluate --jsonl FILE|-``: decide a stream of requests, one JSON object per line.

Reads lines lazily (from a file, or from stdin with ``-``) and writes one line per request as
it goes, through ``geotech.stream``: the decision as ``explain --format json`` gives it, or
``{"line": N, "error": "..."}`` for a bad line; exit code 1 at the end if any line was bad.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, BinaryIO

from geotech import stream
from geotech.cli.arguments import count_arg
from geotech.cli.shared import FINDINGS, OK, UsageError, command, load_world, write
from geotech.world import World


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "evaluate",
        run,
        "decide requests read one JSON object per line, writing one decision per line",
        "geotech evaluate --jsonl requests.jsonl > decisions.jsonl",
        formats=False,
    )
    p.add_argument(
        "--jsonl",
        required=True,
        metavar="FILE|-",
        help='requests, one JSON object per line: {"buyer": ..., "item": ..., "on": '
        '"YYYY-MM-DD", "route": [...], "destination": ..., "quantity": ..., "end_use": ...}; '
        "- reads stdin",
    )
    p.add_argument(
        "--chunk",
        type=count_arg,
        default=stream.DEFAULT_CHUNK,
        metavar="N",
        help=f"requests decided together (default: {stream.DEFAULT_CHUNK})",
    )


def run(args: argparse.Namespace) -> int:
    world = load_world(args)
    if args.jsonl == "-":
        return _decide(args, world, sys.stdin.buffer)
    try:
        source = Path(args.jsonl).open("rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise UsageError(
            f"--jsonl {args.jsonl}: cannot read it ({exc.strerror}); check the path",
            args.prog,
        ) from None
    with source:
        return _decide(args, world, source)


def _decide(args: argparse.Namespace, world: World, source: BinaryIO) -> int:
    failed = False
    for n, answer in enumerate(stream.decide(world, source, args.chunk), 1):
        failed = failed or isinstance(answer, stream.LineError)
        write(stream.to_line(answer))
        if n % args.chunk == 0:  # a reader down the pipe gets each chunk as it is decided
            sys.stdout.flush()
    sys.stdout.flush()
    return FINDINGS if failed else OK
