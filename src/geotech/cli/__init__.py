"""The ``geotech`` command: ask the engine and the analysis functions from a terminal.

One module per command, each with its parser registration (``register``) beside its handler
(``run``): explain, evaluate, matrix, timeline, compare, route, cases, design-space,
what-it-takes, diff, classify, catalog, lint, validate, test, plot, compute, supply, and export
and import (``ftm``) (docs/cli.md);
``shared`` holds what they share and ``arguments`` the argument types. Exit codes: 0 success,
1 findings (lint findings, validation problems, failed decision tests, bad request lines),
2 usage error (bad arguments, unknown ids, impossible dates, unreadable, oversized or invalid
input files), 3 internal error (a bug in geotech), 130 interrupted. Every error is one line on
stderr saying what was wrong, where and how to fix it. The command is the only place that
reads today's date: ``--on`` defaults to it; the library always takes the date as an argument.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import geotech
from geotech.cli import (
    cases,
    catalog,
    classify,
    compare,
    compute,
    design_space,
    diff,
    evaluate,
    explain,
    ftm,
    lint,
    matrix,
    plot,
    route,
    supply,
    test,
    timeline,
    validate,
    what_it_takes,
)
from geotech.cli.shared import (
    INTERNAL,
    INTERRUPTED,
    OK,
    USAGE,
    Parser,
    UsageError,
    format_option,
    one_line,
    world_option,
)
from geotech.errors import GeotechError

__all__ = ["build_parser", "main"]

#: The commands in the order ``geotech --help`` lists them.
COMMANDS = (
    explain,
    evaluate,
    matrix,
    timeline,
    compare,
    route,
    cases,
    design_space,
    what_it_takes,
    diff,
    classify,
    catalog,
    lint,
    validate,
    test,
    plot,
    compute,
    supply,
    ftm,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``geotech`` command."""
    parser = Parser(
        prog="geotech",
        description="Who can obtain which strategic technology, under which rules, and why.",
        epilog="example:\n  geotech explain bytedance nvidia-h200 --on 2026-02-01 --route TW,US,CN"
        "\n\nexit codes: 0 success, 1 findings (lint, validate, test, evaluate), 2 usage error, "
        "3 internal error",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"geotech {geotech.__version__}")
    world_option(parser)
    format_option(parser)
    subcommands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.register(subcommands)
    return parser


def _printable(message: str) -> str:
    """``message`` with control characters escaped, so that it stays on one line."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in message)


def _fail(prog: str, message: str) -> None:
    sys.stderr.write(f"{_printable(prog)}: error: {_printable(message)}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    parser = build_parser()
    prog = parser.prog
    try:
        args = parser.parse_args(argv)
        prog = args.prog
        return int(args.run(args))
    except UsageError as exc:
        _fail(exc.prog, str(exc))
        return USAGE
    except GeotechError as exc:
        _fail(prog, one_line(exc))
        return USAGE
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else USAGE
    except BrokenPipeError:
        # The reader went away (geotech ... | head): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return OK
    except KeyboardInterrupt:
        _fail(prog, "interrupted")
        return INTERRUPTED
    except Exception as exc:
        _fail(
            prog, f"internal error ({type(exc).__name__}: {exc}); this is a bug, please report it"
        )
        return INTERNAL
