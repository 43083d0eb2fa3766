"""``geotech test CASES ...``: run decision test files against a world (exit 1 on a failure).

Each file (TOML, or JSON with the same structure) holds ``cases`` as ``geotech.casefile``
reads them. Prints each failure with what differs and the decision's headline, then
``N passed, M failed`` and the policy coverage. A file that cannot be read, is not a valid
case file or does not fit the world is a usage error listing every problem with its path.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from geotech import casefile, io, reports
from geotech.casefile import Case
from geotech.cli.shared import (
    FINDINGS,
    OK,
    UsageError,
    command,
    load_world,
    one_line,
    output_format,
    read_input,
    write,
)
from geotech.errors import ProblemsError
from geotech.world import World


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "test",
        run,
        "check expected decisions from case files, with policy coverage (exit 1 on a failure)",
        "geotech test examples/cases/h200.toml",
    )
    p.add_argument(
        "files", nargs="+", type=Path, metavar="CASES", help="case files, .toml or .json"
    )


def _load(args: argparse.Namespace, world: World) -> tuple[list[Case], list[Path]]:
    """Every case of every file, with the file each came from; every problem of every file
    becomes one usage error."""
    cases: list[Case] = []
    sources: list[Path] = []
    problems: list[str] = []
    for path in args.files:
        text = read_input(args, "CASES", path)
        try:
            found = casefile.cases_from_data(
                io.parse_text(text, io.format_of(path), str(path)), str(path)
            )
        except ProblemsError as exc:
            problems += [f"{path}: {p}" for p in exc.problems]
            continue
        problems += [f"{path}: {p}" for p in casefile.check_cases(world, found)]
        cases += found
        sources += [path] * len(found)
    if problems:
        n = len(problems)
        raise UsageError(
            f"CASES: {n} problem{'s' if n != 1 else ''}: {'; '.join(problems)}", args.prog
        )
    return cases, sources


def run(args: argparse.Namespace) -> int:
    world = load_world(args)
    cases, sources = _load(args, world)
    try:
        report = casefile.run_cases(world, cases)
    except ProblemsError as exc:  # duplicate names across files
        raise UsageError(f"CASES: {one_line(exc)}", args.prog) from None
    write(reports.case_report(report, sources, output_format(args)))
    return FINDINGS if report.failed else OK
