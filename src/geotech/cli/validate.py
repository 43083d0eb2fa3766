"""``geotech validate FILE``: check a world file and report every problem with its path
(exit 1 when there is any)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import attrs

from geotech import io
from geotech.cli.shared import (
    FINDINGS,
    OK,
    command,
    output_format,
    read_world_file,
    write,
)
from geotech.errors import ProblemsError
from geotech.world import World


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "validate",
        run,
        "check a world file and report every problem with its path (exit 1 when any)",
        "geotech validate examples/my_world.toml",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="a .toml or .json world")


def _report(args: argparse.Namespace, text: list[str], markdown: list[str], data: Any) -> None:
    fmt = output_format(args)
    if fmt == "json":
        write(io.dumps_json(data))
    else:
        write("\n".join(markdown if fmt == "markdown" else text) + "\n")


def run(args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        world = read_world_file(args, "FILE", path)
    except ProblemsError as exc:
        problems = list(exc.problems)
        n = len(problems)
        summary = f"{path}: {n} problem{'s' if n != 1 else ''}"
        _report(
            args,
            [*(f"{path}: {p}" for p in problems), summary],
            [f"**{summary}**", "", *(f"- {p}" for p in problems)],
            {"file": str(path), "valid": False, "problems": problems},
        )
        return FINDINGS
    counts = {
        key: len(getattr(world, key))
        for key in attrs.fields_dict(World)
        if not key.startswith("_") and getattr(world, key)
    }
    what = ", ".join(f"{key} {n}" for key, n in counts.items()) or "empty"
    line = f"{path}: valid world ({what})"
    _report(args, [line], [line], {"file": str(path), "valid": True, "counts": counts})
    return OK
