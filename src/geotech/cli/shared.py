"""What every ``geotech`` command shares: exit codes, the usage error, the common options
(each defined once here), world and input-file loading within bounds, id checks, and output
through ``geotech.render`` with the route and end use each answer was decided on.

Input files are read once, only if they are regular files, and only up to
``GEOTECH_MAX_INPUT_BYTES`` bytes (default 64 MiB); anything else is a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from geotech import catalog, files, io, render, reports
from geotech.cli.arguments import date_arg, ids_arg, states_arg, via_arg
from geotech.criteria import EndUseKind, end_use_kind
from geotech.engine import AccessRequest, resolve_route
from geotech.errors import GeotechError, InvalidValueError, ProblemsError, UnknownEntityError
from geotech.world import World

OK, FINDINGS, USAGE, INTERNAL, INTERRUPTED = 0, 1, 2, 3, 130

#: The environment variable that sets the largest input file read, in bytes.
INPUT_LIMIT_VARIABLE = "GEOTECH_MAX_INPUT_BYTES"

Run = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """A problem with the command line or its input files; ``prog`` names the subcommand."""

    def __init__(self, message: str, prog: str = "geotech") -> None:
        super().__init__(message)
        self.prog = prog


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are ``UsageError``s (one line, exit code 2)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}; see '{self.prog} --help'", self.prog)


# ---------------------------------------------------------------------------------------------
# Options


def world_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--world",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="a TOML or JSON world to use instead of the embedded catalogue",
    )


def format_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default=argparse.SUPPRESS,
        help="output format (default: text)",
    )


def on_option(p: argparse.ArgumentParser, what: str = "the day to evaluate") -> None:
    p.add_argument("--on", type=date_arg, metavar="DATE", help=f"{what} (default: today)")


def route_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--route",
        type=states_arg,
        metavar="STATES",
        help="states the item passes through, ending at the destination, e.g. TW,US,CN "
        "(default: the item's origin, then the destination)",
    )


def destination_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--destination",
        metavar="STATE",
        type=str.upper,
        help="where the item goes (default: the route's end, else the buyer's HQ)",
    )


def end_use_arg(text: str) -> EndUseKind:
    """An end use of the vocabulary (``geotech.EndUseKind``), variant spellings read as their
    member: ``"data centre"`` is ``datacenter``; JSON-lines requests are read the same way."""
    try:
        return end_use_kind(text, "")
    except InvalidValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def end_use_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--end-use",
        metavar="USE",
        type=end_use_arg,
        help=f"declared end use, one of {', '.join(EndUseKind)}; variant spellings such as "
        "'data centre' are read as these (default: undeclared; rules that turn on it make the "
        "answer uncertain)",
    )


def via_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--via",
        type=via_arg,
        metavar="STOPS",
        help="candidate stops: US,SG,MY+SG is via US; via SG; via MY then SG (the direct route "
        "is always a candidate; default: one stop in every state of the world)",
    )


def pairs_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--buyers", type=ids_arg, required=True, help="company ids, e.g. a,b")
    p.add_argument("--items", type=ids_arg, required=True, help="item ids, e.g. x,y")


def command(
    subs: Any,
    name: str,
    run: Run | None,
    summary: str,
    example: str,
    *,
    formats: bool = True,
) -> argparse.ArgumentParser:
    """A subcommand's parser with ``--world`` (and ``--format``); ``run`` handles it (``None``
    for a group whose own subcommands run)."""
    p: argparse.ArgumentParser = subs.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    world_option(p)
    if formats:
        format_option(p)
    p.set_defaults(prog=p.prog)
    if run is not None:
        p.set_defaults(run=run)
    return p


def results_group(
    subs: Any, name: str, summary: str, example: str
) -> Callable[[str, Run, str, str], argparse.ArgumentParser]:
    """A command whose subcommands are kinds of result (``geotech NAME RESULT``): returns the
    function that adds one, ``result(kind, run, summary, example_arguments)``."""
    kinds = command(subs, name, None, summary, example).add_subparsers(
        title="results", metavar="RESULT", required=True
    )

    def result(kind: str, run: Run, what: str, example: str) -> argparse.ArgumentParser:
        return command(kinds, kind, run, what, f"geotech {name} {kind} {example}")

    return result


# ---------------------------------------------------------------------------------------------
# Dates


def today() -> dt.date:
    """Today's date: the only place geotech reads the clock."""
    return dt.date.today()


def on(args: argparse.Namespace) -> dt.date:
    """``--on``, else today."""
    day: dt.date | None = args.on
    return day if day is not None else today()


def end(args: argparse.Namespace) -> dt.date:
    """``--end``, else tomorrow."""
    day: dt.date | None = args.end
    return day if day is not None else today() + dt.timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Ids


_CATALOG_HINT = {
    "company": "companies",
    "item": "chips",
    "chip": "chips",
    "model": "models",
    "material": "materials",
    "equipment": "equipment",
    "state": "states",
    "policy": "policies",
    "party list": "lists",
    "group": "groups",
}


def check(args: argparse.Namespace, where: str, lookup: Callable[[str], object], key: str) -> None:
    """Look ``key`` up; an unknown id becomes a usage error naming the argument."""
    try:
        lookup(key)
    except UnknownEntityError as exc:
        hint = _CATALOG_HINT.get(exc.kind)
        tail = f" (list them with 'geotech catalog {hint}')" if hint else ""
        raise UsageError(f"{where}: {exc}{tail}", args.prog) from None


def check_all(
    args: argparse.Namespace, where: str, lookup: Callable[[str], object], keys: Iterable[str]
) -> None:
    for key in keys:
        check(args, where, lookup, key)


def one_line(exc: GeotechError) -> str:
    """An error's message on one line (every problem of a ``ProblemsError``, ``;``-joined)."""
    if isinstance(exc, ProblemsError):
        where = f" in {exc.source}" if exc.source else ""
        return f"{exc.headline}{where}: {'; '.join(exc.problems)}"
    return " ".join(str(exc).split())


def request_options(p: argparse.ArgumentParser) -> None:
    """BUYER and ITEM, then ``--on``, ``--route``, ``--destination`` and ``--end-use``: the
    options of a command that decides one request (read back by ``one_request``)."""
    p.add_argument("buyer", metavar="BUYER", help="the buying company's id")
    p.add_argument("item", metavar="ITEM", help="the item's id (chip, model or material)")
    on_option(p)
    route_option(p)
    destination_option(p)
    end_use_option(p)


def one_request(
    args: argparse.Namespace, world: World, quantity: int | None = None
) -> AccessRequest:
    """The request of a command registered with ``request_options``, checked (``request``)."""
    return request(
        args,
        world,
        args.buyer,
        args.item,
        on(args),
        destination=args.destination,
        route=args.route,
        quantity=quantity,
        end_use=args.end_use,
    )


def request(
    args: argparse.Namespace,
    world: World,
    buyer: str,
    item: str,
    day: dt.date,
    *,
    where: str = "",
    destination: str | None = None,
    route: tuple[str, ...] | None = None,
    quantity: int | None = None,
    end_use: str | None = None,
) -> AccessRequest:
    """A request with every id checked and its route resolved; ``where`` names the option
    that gave buyer, item and route (default: BUYER, ITEM and --route)."""
    check(args, where or "BUYER", world.company, buyer)
    check(args, where or "ITEM", world.item, item)
    if destination is not None:
        check(args, "--destination", world.state, destination)
    check_all(args, where or "--route", world.state, route or ())
    asked = AccessRequest(
        buyer=world.canonical("company", buyer),
        item=world.canonical("item", item),
        on=day,
        destination=destination,
        route=route,
        quantity=quantity,
        end_use=end_use,
    )
    try:
        resolve_route(world, asked, world.company(asked.buyer), world.item(asked.item))
    except GeotechError as exc:
        raise UsageError(
            f"{where or '--route/--destination'}: {one_line(exc)}", args.prog
        ) from None
    return asked


# ---------------------------------------------------------------------------------------------
# Input files


def input_limit(args: argparse.Namespace) -> int:
    """The largest input file to read, in bytes: ``GEOTECH_MAX_INPUT_BYTES``, else 64 MiB."""
    text = os.environ.get(INPUT_LIMIT_VARIABLE)
    if text is None:
        return files.DEFAULT_INPUT_LIMIT
    try:
        limit = int(text.strip())
    except ValueError:
        limit = 0
    if limit < 1:
        raise UsageError(
            f"{INPUT_LIMIT_VARIABLE}={text!r}: expected a whole number of bytes >= 1, e.g. "
            f"{files.DEFAULT_INPUT_LIMIT}; fix or unset it",
            args.prog,
        )
    return limit


def read_input(args: argparse.Namespace, where: str, path: Path) -> str:
    """The text of the input file ``path`` given as ``where``; any problem is a usage error."""
    try:
        return files.read_text(path, input_limit(args))
    except files.TooLargeError as exc:
        raise UsageError(
            f"{where} {exc} (set {INPUT_LIMIT_VARIABLE} to a number of bytes)", args.prog
        ) from None
    except files.FileError as exc:
        raise UsageError(f"{where} {exc}", args.prog) from None


def read_world_file(args: argparse.Namespace, where: str, path: Path) -> World:
    """The world in the file ``path`` given as ``where``; raises ``ProblemsError`` when the
    document is invalid and ``UsageError`` when the file cannot be read as one."""
    try:
        fmt = io.format_of(path)
    except GeotechError as exc:
        raise UsageError(f"{where} {one_line(exc)}", args.prog) from None
    return io.loads_world(read_input(args, where, path), fmt, str(path))


def load_world(args: argparse.Namespace) -> World:
    """The world of ``--world FILE``, else the embedded catalogue."""
    given = getattr(args, "world", None)
    if given is None:
        return catalog.world()
    path = Path(given)
    try:
        return read_world_file(args, "--world", path)
    except ProblemsError as exc:
        n = len(exc.problems)
        raise UsageError(
            f"--world {path}: not a valid world ({n} problem{'s' if n != 1 else ''}, the first: "
            f"{exc.problems[0]}); run 'geotech validate {path}' to see every problem",
            args.prog,
        ) from None


# ---------------------------------------------------------------------------------------------
# Output


def output_format(args: argparse.Namespace) -> reports.Format:
    """``--format``, else text."""
    fmt = getattr(args, "format", "text")
    return "json" if fmt == "json" else "markdown" if fmt == "markdown" else "text"


def emit(
    args: argparse.Namespace,
    value: render.Renderable,
    *,
    footer: Sequence[str] = (),
    data: Any = None,
) -> None:
    """Write ``value`` to stdout in the ``--format`` asked: as text or Markdown followed by
    the ``footer`` lines (see ``decided_on``), or as JSON (``data`` if given, else the
    value's own)."""
    fmt = output_format(args)
    if fmt == "json":
        write(render.to_json(value) if data is None else io.dumps_json(data))
        return
    markdown = fmt == "markdown"
    text = render.to_markdown(value) if markdown else render.to_text(value)
    if markdown and footer:  # a list: an indented line is an item of the line above
        footer = ["", *(f"  - {x[2:]}" if x.startswith("  ") else f"- {x}" for x in footer)]
    write(text + "".join(f"{line}\n" for line in footer))


def decided_on(world: World, requests: Sequence[AccessRequest]) -> list[str]:
    """Lines saying which route each request was decided on (one line when they share it,
    else one line per route with the buyers and items that took it) and the end use."""
    groups: dict[tuple[str, ...], list[AccessRequest]] = {}
    for asked in requests:
        _, route = resolve_route(world, asked, world.company(asked.buyer), world.item(asked.item))
        groups.setdefault(route, []).append(asked)
    if all(r.route is not None for r in requests):
        how = "as given"
    elif all(r.route is None for r in requests):
        how = "default: origin, then destination"
    else:
        how = "as given, else origin, then destination"
    if len(groups) == 1:
        (route,) = groups
        lines = [f"route: {' -> '.join(route)} ({how})"]
    else:
        lines = [f"routes ({how}):"]
        lines += [f"  {' -> '.join(k)}: {_who(v)}" for k, v in groups.items()]
    return lines + end_use_lines(requests)


def end_use_lines(requests: Sequence[AccessRequest]) -> list[str]:
    """``end use: ...`` when the requests declare one."""
    uses = sorted({r.end_use for r in requests if r.end_use is not None})
    return [f"end use: {', '.join(uses)}"] if uses else []


def _who(requests: Sequence[AccessRequest]) -> str:
    """``a, b x p, q; c x r``: the buyers and items of ``requests``, buyers with the same
    items together."""
    items: dict[str, list[str]] = {}
    for r in requests:
        items.setdefault(r.buyer, []).append(r.item)
    buyers: dict[tuple[str, ...], list[str]] = {}
    for buyer, its in items.items():
        buyers.setdefault(tuple(its), []).append(buyer)
    return "; ".join(f"{', '.join(b)} x {', '.join(i)}" for i, b in buyers.items())


def write(text: str) -> None:
    """Write rendered output to stdout."""
    sys.stdout.write(text)
