"""``geotech compare REFORM ...``: who gains and who loses access under a reform.

Reforms are the catalogue's named reforms (``geotech.catalog.reforms()``) or reform files
read by ``geotech.io.loads_reform``: one reform record with its ``type``, or a ``name`` and a
list of ``steps``, each a reform record.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from geotech import analysis, catalog, io, reforms, reports
from geotech.cli.shared import (
    OK,
    UsageError,
    check_all,
    command,
    decided_on,
    emit,
    end_use_option,
    load_world,
    on,
    on_option,
    one_line,
    output_format,
    pairs_options,
    read_input,
    route_option,
    write,
)
from geotech.engine import AccessRequest
from geotech.errors import GeotechError, ProblemsError, UnknownEntityError
from geotech.world import World


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "compare",
        run,
        "who gains and who loses access under a reform",
        "geotech compare revoke-tencent cap-16000 --buyers tencent,alibaba "
        "--items nvidia-h200 --on 2026-02-01",
    )
    reform_options(p)
    pairs_options(p)
    on_option(p)
    route_option(p)
    end_use_option(p)


def reform_options(p: argparse.ArgumentParser) -> None:
    """The named reforms (``REFORM ...``) and ``--reform-file``."""
    names = ", ".join(f"{k} ({r.name})" for k, r in catalog.reforms().items())
    p.add_argument(
        "reforms",
        nargs="*",
        metavar="REFORM",
        help=f"named reforms, applied in order: {names}",
    )
    p.add_argument(
        "--reform-file",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a TOML/JSON reform (docs/cli.md), applied after the named ones; repeatable",
    )


# ---------------------------------------------------------------------------------------------
# The command


def reform_steps(args: argparse.Namespace) -> tuple[str, list[tuple[str, reforms.Reform]]]:
    """The reforms' combined name, and (where, reform) for every named reform and every step
    of every reform file, in order."""
    named = catalog.reforms()
    for name in args.reforms:
        if name not in named:
            unknown = UnknownEntityError("reform", name, named)
            known = ", ".join(named)
            raise UsageError(
                f"REFORM: {unknown} (named reforms: {known}; or give --reform-file FILE)",
                args.prog,
            )
    names = [named[name].name for name in args.reforms]
    steps = [(f"REFORM {name}", named[name]) for name in args.reforms]
    for path in args.reform_file:
        text = read_input(args, "--reform-file", path)
        try:
            reform = io.loads_reform(text, io.format_of(path), str(path))
        except ProblemsError as exc:
            raise UsageError(f"--reform-file {one_line(exc)}", args.prog) from None
        except GeotechError as exc:
            raise UsageError(f"--reform-file {one_line(exc)}", args.prog) from None
        names.append(reform.name)
        parts = reform.steps if isinstance(reform, reforms.Chain) else (reform,)
        steps += [(f"--reform-file {path}: steps[{i}]", r) for i, r in enumerate(parts)]
    if not steps:
        raise UsageError(
            f"name a reform ({', '.join(named)}) or give --reform-file FILE; see "
            f"'{args.prog} --help'",
            args.prog,
        )
    return "; then ".join(names), steps


def apply_reforms(
    args: argparse.Namespace, world: World, steps: list[tuple[str, reforms.Reform]]
) -> World:
    """``world`` with the reform steps (``reform_steps``) applied in order."""
    for where, reform in steps:
        try:
            world = reform(world)
        except GeotechError as exc:
            raise UsageError(f"{where} ({reform.name}): {one_line(exc)}", args.prog) from None
    return world


def run(args: argparse.Namespace) -> int:
    world = load_world(args)
    name, steps = reform_steps(args)
    check_all(args, "--buyers", world.company, args.buyers)
    check_all(args, "--items", world.item, args.items)
    check_all(args, "--route", world.state, args.route or ())
    reformed = apply_reforms(args, world, steps)
    day = on(args)
    requests = [
        AccessRequest(buyer=b, item=i, on=day, route=args.route, end_use=args.end_use)
        for b in args.buyers
        for i in args.items
    ]
    result = analysis.compare(world, reformed, requests)
    data = io.to_data(result)
    data["changes"] = [
        {"route": list(change.after.route), **x}
        for x, change in zip(data["changes"], result.changes, strict=True)
    ]
    write(reports.reform_header(name, day.isoformat(), output_format(args)))
    data = {"reform": name, "on": day, "route": args.route, "end_use": args.end_use, **data}
    emit(args, result, footer=decided_on(world, requests), data=data)
    return OK
