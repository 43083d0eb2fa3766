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

from geotech import casefile, io
from geotech.casefile import Case, CaseResult, Report
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
    fmt = output_format(args)
    if fmt == "json":
        write(io.dumps_json(_data(report, sources)))
    else:
        write("\n".join(_lines(report, sources, fmt == "markdown")) + "\n")
    return FINDINGS if report.failed else OK


def _data(report: Report, sources: list[Path]) -> dict[str, Any]:
    return {
        "passed": len(report.passed),
        "failed": len(report.failed),
        "cases": [
            {
                "file": str(path),
                "name": r.case.name,
                "passed": r.passed,
                "differences": [
                    {"field": d.field, "expected": d.expected, "actual": d.actual}
                    for d in r.differences
                ],
            }
            for r, path in zip(report.results, sources, strict=True)
        ],
        "coverage": {
            "policies": len(report.policies),
            "exercised": list(report.exercised),
            "unexercised": list(report.unexercised),
            "fraction": report.coverage,
        },
    }


def _failure(r: CaseResult, path: Path, markdown: bool) -> list[str]:
    if markdown:
        lines = [f"**FAIL** {r.case.name} ({path})", ""]
        lines += [f"- {d}" for d in r.differences]
        lines += [f"- decision: {x}" for x in r.headline.splitlines()]
        return [*lines, f"- why: {r.case.why}", ""]
    lines = [f"FAIL {r.case.name} ({path})", *(f"  {d}" for d in r.differences)]
    head, *rest = r.headline.splitlines()
    lines += [f"  decision: {head}", *(f"            {x}" for x in rest)]
    return [*lines, f"  why: {r.case.why}"]


def _lines(report: Report, sources: list[Path], markdown: bool) -> list[str]:
    lines: list[str] = []
    for r, path in zip(report.results, sources, strict=True):
        if not r.passed:
            lines += _failure(r, path, markdown)
    summary = f"{len(report.passed)} passed, {len(report.failed)} failed"
    n, done = len(report.policies), len(report.exercised)
    coverage = f"policy coverage: {done} of {n} policies exercised ({report.coverage:.0%})"
    rest = report.unexercised
    if markdown:
        lines += [f"**{summary}**", "", coverage + (", not exercised:" if rest else "")]
        return lines + ([""] + [f"- {p}" for p in rest] if rest else [])
    lines += [summary, coverage + ("; not exercised:" if rest else "")]
    return lines + [f"  {p}" for p in rest]
