"""``geotech lint``: findings about the rules themselves (exit 1 when there are any)."""

from __future__ import annotations

import argparse
from typing import Any

from geotech import analysis
from geotech.cli.shared import FINDINGS, OK, command, emit, load_world


def register(subcommands: Any) -> None:
    command(
        subcommands,
        "lint",
        run,
        "findings about the rules themselves (exit 1 when there are any)",
        "geotech lint --world examples/my_world.toml",
    )


def run(args: argparse.Namespace) -> int:
    findings = analysis.lint(load_world(args))
    emit(args, findings)
    return FINDINGS if findings else OK
