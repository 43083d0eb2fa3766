"""``geotech validate FILE``: check a world file and report every problem with its path
(exit 1 when there is any)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from geotech import reports
from geotech.cli.shared import (
    FINDINGS,
    OK,
    command,
    output_format,
    read_world_file,
    write,
)
from geotech.errors import ProblemsError


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "validate",
        run,
        "check a world file and report every problem with its path (exit 1 when any)",
        "geotech validate examples/my_world.toml",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="a .toml or .json world")


def run(args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        world = read_world_file(args, "FILE", path)
    except ProblemsError as exc:
        write(reports.problems(path, exc.problems, output_format(args)))
        return FINDINGS
    write(reports.valid_world(path, world, output_format(args)))
    return OK
