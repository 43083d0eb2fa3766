"""The ``geotech`` command: ask the engine and the analysis functions from a terminal.

Subcommands: explain, matrix, timeline, compare, route, classify, catalog, lint, validate and
plot (docs/cli.md). Exit codes: 0 success, 1 findings (lint findings, validation problems),
2 usage error (bad arguments, unknown ids, impossible dates, unreadable or invalid input
files), 3 internal error (a bug in geotech), 130 interrupted. Every error is one line on
stderr saying what was wrong, where and how to fix it. The command is the only place that
reads today's date: ``--on`` defaults to it; the library always takes the date as an argument.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import tomllib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import attrs
from attrs import frozen

import geotech
from geotech import analysis, catalog, compute, io, reforms, render
from geotech.criteria import Op, SpecName, Step, Truth
from geotech.engine import AccessRequest, evaluate, resolve_route
from geotech.entities import Chip, Item, Precision, Throughput
from geotech.errors import DocumentError, GeotechError, ProblemsError, UnknownEntityError
from geotech.policies import AnyPolicy
from geotech.world import World

OK, FINDINGS, USAGE, INTERNAL, INTERRUPTED = 0, 1, 2, 3, 130

#: The catalogue policies the named reforms change.
H200_RULE = "us-bis-2026-01-15-h200-case-by-case"
H200_APPROVALS = "cn-2026-01-h200-import-approvals"

#: Reforms ``geotech compare`` knows by name (chain several by naming them in order).
NAMED_REFORMS: dict[str, reforms.Reform] = {
    "rescind-h200-rule": reforms.rescind(
        H200_RULE, name="the US rescinds the January 2026 case-by-case rule"
    ),
    "revoke-tencent": reforms.deauthorize(
        H200_APPROVALS, "tencent", name="China revokes Tencent's H200 import authorization"
    ),
    "cap-16000": reforms.change_threshold(
        H200_RULE, "tpp", 16_000, op="<", name="the US lowers the case-by-case TPP cap to 16,000"
    ),
}


class UsageError(Exception):
    """A problem with the command line or its input files; ``prog`` names the subcommand."""

    def __init__(self, message: str, prog: str = "geotech") -> None:
        super().__init__(message)
        self.prog = prog


# ---------------------------------------------------------------------------------------------
# Argument types


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def date_arg(text: str) -> dt.date:
    """A YYYY-MM-DD day; an impossible day (2026-02-30) is named as such."""
    if not _ISO_DAY.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2026-02-01")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"{text} is not a calendar date ({exc}); give a day that exists, as YYYY-MM-DD"
        ) from None


def ids_arg(text: str) -> tuple[str, ...]:
    """Comma-separated ids: ``bytedance,alibaba``."""
    parts = tuple(p.strip() for p in text.split(","))
    if not all(parts):
        raise argparse.ArgumentTypeError(
            f"{text!r} has an empty entry; separate ids with single commas, e.g. a,b"
        )
    return parts


def states_arg(text: str) -> tuple[str, ...]:
    """Comma-separated state codes (ISO alpha-2, any case): ``TW,US,CN``."""
    return tuple(s.upper() for s in ids_arg(text))


def count_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def positive_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
    return value


def fraction_arg(text: str) -> float:
    value = positive_arg(text)
    if value > 1:
        raise argparse.ArgumentTypeError(f"expected a fraction in (0, 1], got {text!r}")
    return value


def picture_arg(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in (".png", ".svg"):
        raise argparse.ArgumentTypeError(f"{text!r} must end in .png or .svg")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r}: directory {path.parent} does not exist")
    return path


def _split_route(text: str, what: str) -> tuple[str, tuple[str, ...] | None]:
    head, sep, route = text.partition("@")
    if not sep:
        return head, None
    try:
        return head, states_arg(route)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"{text!r}: the route after @ is empty; {what}") from None


def request_arg(text: str) -> tuple[str, str, tuple[str, ...] | None]:
    """``BUYER:ITEM`` or ``BUYER:ITEM@TW,US,CN``."""
    form = "use BUYER:ITEM or BUYER:ITEM@TW,US,CN"
    pair, route = _split_route(text, form)
    buyer, sep, item = pair.partition(":")
    if not (sep and buyer and item):
        raise argparse.ArgumentTypeError(f"{text!r}: {form}")
    return buyer, item, route


def order_arg(text: str) -> compute.Order:
    """``CHIP=COUNT`` or ``CHIP=COUNT@TW,US,CN``."""
    form = "use CHIP=COUNT or CHIP=COUNT@TW,US,CN, e.g. nvidia-h200=100000"
    pair, route = _split_route(text, form)
    chip, sep, count = pair.partition("=")
    if not (sep and chip):
        raise argparse.ArgumentTypeError(f"{text!r}: {form}")
    try:
        quantity = count_arg(count)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"{text!r}: the count must be >= 1; {form}") from None
    return compute.Order(chip=chip, quantity=quantity, route=route)


def via_arg(text: str) -> tuple[tuple[str, ...], ...]:
    """Candidate stops: ``US,SG,MY+SG`` is three candidates (via US; via SG; via MY then SG)."""
    return tuple(states_arg(entry.replace("+", ",")) for entry in ids_arg(text))


# ---------------------------------------------------------------------------------------------
# The parser


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}; see '{self.prog} --help'", self.prog)


def _world_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--world",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="a TOML or JSON world to use instead of the embedded catalogue",
    )


def _format_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default=argparse.SUPPRESS,
        help="output format (default: text)",
    )


def _on_option(p: argparse.ArgumentParser, what: str = "the day to evaluate") -> None:
    p.add_argument("--on", type=date_arg, metavar="DATE", help=f"{what} (default: today)")


def _route_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--route",
        type=states_arg,
        metavar="STATES",
        help="states the item passes through, ending at the destination, e.g. TW,US,CN "
        "(default: the item's origin, then the destination)",
    )


def _pairs_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--buyers", type=ids_arg, required=True, help="company ids, e.g. a,b")
    p.add_argument("--items", type=ids_arg, required=True, help="item ids, e.g. x,y")


def _command(
    subs: Any,
    name: str,
    run: Callable[[argparse.Namespace], int] | None,
    summary: str,
    example: str,
    *,
    formats: bool = True,
) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = subs.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _world_option(p)
    if formats:
        _format_option(p)
    p.set_defaults(prog=p.prog)
    if run is not None:  # None: a group whose subcommands run
        p.set_defaults(run=run)
    return p


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``geotech`` command."""
    parser = _Parser(
        prog="geotech",
        description="Who can obtain which strategic technology, under which rules, and why.",
        epilog="example:\n  geotech explain bytedance nvidia-h200 --on 2026-02-01 --route TW,US,CN"
        "\n\nexit codes: 0 success, 1 findings (lint, validate), 2 usage error, 3 internal "
        "error",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"geotech {geotech.__version__}")
    _world_option(parser)
    _format_option(parser)
    subs = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    p = _command(
        subs,
        "explain",
        cmd_explain,
        "decide one access request and explain the decision",
        "geotech explain bytedance nvidia-h200 --on 2026-02-01 --route TW,US,CN",
    )
    p.add_argument("buyer", metavar="BUYER", help="the buying company's id")
    p.add_argument("item", metavar="ITEM", help="the item's id (chip, model or material)")
    _on_option(p)
    _route_option(p)
    p.add_argument("--destination", metavar="STATE", type=str.upper, help="(default: buyer's HQ)")
    p.add_argument("--quantity", type=count_arg, help="number of units")
    p.add_argument("--end-use", metavar="USE", help="declared end use, e.g. datacenter")

    p = _command(
        subs,
        "matrix",
        cmd_matrix,
        "decide every buyer x item on one date",
        "geotech matrix --buyers bytedance,openai --items nvidia-h200,nvidia-h20 --on 2026-02-01",
    )
    _pairs_options(p)
    _on_option(p)
    _route_option(p)

    p = _command(
        subs,
        "timeline",
        cmd_timeline,
        "the dates where a request's decision changes, with the events that changed it",
        "geotech timeline bytedance nvidia-h200 --start 2025-01-01 --end 2026-03-01",
    )
    p.add_argument("buyer", metavar="BUYER")
    p.add_argument("item", metavar="ITEM")
    p.add_argument("--start", type=date_arg, required=True, metavar="DATE", help="first day")
    p.add_argument(
        "--end", type=date_arg, metavar="DATE", help="day after the last (default: tomorrow)"
    )
    _route_option(p)
    p.add_argument("--destination", metavar="STATE", type=str.upper, help="(default: buyer's HQ)")

    p = _command(
        subs,
        "compare",
        cmd_compare,
        "who gains and who loses access under a reform",
        "geotech compare revoke-tencent cap-16000 --buyers tencent,alibaba "
        "--items nvidia-h200 --on 2026-02-01",
    )
    names = ", ".join(f"{k} ({r.name})" for k, r in NAMED_REFORMS.items())
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
    _pairs_options(p)
    _on_option(p)
    _route_option(p)

    p = _command(
        subs,
        "route",
        cmd_route,
        "rank candidate routes from least to most restrictive",
        "geotech route bytedance nvidia-h200 --on 2026-02-01 --via US,SG,MY+SG",
    )
    p.add_argument("buyer", metavar="BUYER")
    p.add_argument("item", metavar="ITEM")
    _on_option(p)
    p.add_argument(
        "--via",
        type=via_arg,
        metavar="STOPS",
        help="candidate stops: US,SG,MY+SG is via US; via SG; via MY then SG (the direct route "
        "is always a candidate; default: one stop in every state of the world)",
    )
    p.add_argument("--origin", metavar="STATE", type=str.upper, help="(default: item's origin)")
    p.add_argument("--destination", metavar="STATE", type=str.upper, help="(default: buyer's HQ)")

    p = _command(
        subs,
        "classify",
        cmd_classify,
        "the control classes a chip falls in on a date, with the tests behind each",
        "geotech classify --tpp 4700 --die-area 600 --no-datacenter --on 2026-02-01",
    )
    p.add_argument("chip", nargs="?", metavar="CHIP", help="a catalogue chip id; specs override")
    _on_option(p)
    p.add_argument("--tpp", type=positive_arg, help="total processing performance")
    for bits, precision in _TOPS_OPTIONS.items():
        p.add_argument(
            f"--tops{bits}",
            type=positive_arg,
            metavar="TOPS",
            help=f"dense {precision} TOPS (TFLOPS)",
        )
    p.add_argument("--die-area", type=positive_arg, metavar="MM2", help="die area in mm²")
    p.add_argument("--dram-bandwidth", type=positive_arg, metavar="GBS", help="in GB/s")
    p.add_argument("--interconnect", type=positive_arg, metavar="GBS", help="in GB/s")
    p.add_argument("--memory", type=positive_arg, metavar="GB", help="memory in GB")
    p.add_argument(
        "--datacenter",
        action=argparse.BooleanOptionalAction,
        help="designed or marketed for datacenters",
    )

    p = _command(
        subs,
        "catalog",
        cmd_catalog,
        "list the world's records, with derived figures for chips",
        "geotech catalog policies --issuer CN --in-force 2026-02-01",
    )
    p.add_argument("kind", choices=tuple(_CATALOG), metavar="KIND", help=", ".join(_CATALOG))
    _on_option(p, "the day chips are classified on")
    p.add_argument("--search", metavar="TEXT", help="id, name or title contains TEXT (any case)")
    p.add_argument("--issuer", type=str.upper, metavar="STATE", help=_applies("issuer"))
    p.add_argument("--in-force", type=date_arg, metavar="DATE", help=_applies("in_force"))
    p.add_argument("--status", choices=("official", "reported"), help=_applies("status"))
    p.add_argument("--side", choices=("export", "import"), help=_applies("side"))
    p.add_argument("--hq", type=str.upper, metavar="STATE", help=_applies("hq"))

    _command(
        subs,
        "lint",
        cmd_lint,
        "findings about the rules themselves (exit 1 when there are any)",
        "geotech lint --world my_world.toml",
    )

    p = _command(
        subs,
        "validate",
        cmd_validate,
        "check a world file and report every problem with its path (exit 1 when any)",
        "geotech validate my_world.toml",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="a .toml or .json world")

    p = _command(
        subs,
        "plot",
        None,
        "draw a picture (needs the plot extra: pip install 'geotech[plot]')",
        "geotech plot chip-map --on 2026-02-01 -o chips.svg",
        formats=False,
    )
    kinds = p.add_subparsers(title="pictures", metavar="KIND", required=True)
    _plot_parsers(kinds)
    return parser


def _plot_parsers(kinds: Any) -> None:
    def picture(name: str, run: Callable[[argparse.Namespace], int], what: str, ex: str) -> Any:
        p = _command(kinds, name, run, what, f"geotech plot {name} {ex}", formats=False)
        p.add_argument("-o", "--output", type=picture_arg, required=True, metavar="FILE.png|.svg")
        return p

    p = picture(
        "chip-map",
        plot_chip_map,
        "chips and the control regions in force on a date",
        "--on 2026-02-01 --y-axis dram_bandwidth_gbs -o map.svg",
    )
    _on_option(p, "the day whose regions are drawn")
    p.add_argument(
        "--y-axis",
        choices=("performance_density", "dram_bandwidth_gbs"),
        default="performance_density",
        help="(default: performance_density)",
    )
    p.add_argument("--chips", type=ids_arg, help="chip ids to label (default: every chip)")

    p = picture(
        "timeline",
        plot_timeline,
        "verdicts of several requests over time",
        "--request bytedance:nvidia-h200@TW,US,CN --request bytedance:nvidia-h20 "
        "--start 2025-01-01 --end 2026-03-01 -o timeline.png",
    )
    p.add_argument(
        "--request",
        type=request_arg,
        action="append",
        required=True,
        metavar="BUYER:ITEM[@ROUTE]",
        help="a request, e.g. bytedance:nvidia-h200@TW,US,CN; repeatable",
    )
    p.add_argument("--start", type=date_arg, required=True, metavar="DATE")
    p.add_argument("--end", type=date_arg, metavar="DATE", help="(default: tomorrow)")

    p = picture(
        "matrix",
        plot_matrix,
        "the access matrix as a heatmap",
        "--buyers bytedance,openai --items nvidia-h200,nvidia-h20 --on 2026-02-01 -o m.png",
    )
    _pairs_options(p)
    _on_option(p)
    _route_option(p)

    p = picture(
        "gap",
        plot_gap,
        "compute-gap bars: time to train reference workloads on two buyers' accessible compute",
        "--buyer bytedance --order nvidia-h200=100000@TW,US,CN --versus openai "
        "--versus-order nvidia-b200=100000 --on 2026-02-01 -o gap.svg",
    )
    p.add_argument("--buyer", required=True, metavar="BUYER")
    p.add_argument("--order", type=order_arg, action="append", required=True, metavar="ORDER")
    p.add_argument("--versus", required=True, metavar="BUYER")
    p.add_argument(
        "--versus-order", type=order_arg, action="append", required=True, metavar="ORDER"
    )
    _on_option(p)
    p.add_argument(
        "--precision",
        choices=[str(x) for x in Precision],
        default=str(compute.DEFAULT_PRECISION),
        help=f"precision of the peak throughput counted (default: {compute.DEFAULT_PRECISION})",
    )
    p.add_argument(
        "--utilization",
        type=fraction_arg,
        default=compute.DEFAULT_UTILIZATION,
        help=f"model FLOP utilization (default: {compute.DEFAULT_UTILIZATION})",
    )


# ---------------------------------------------------------------------------------------------
# Shared helpers


_CATALOG_HINT = {
    "company": "companies",
    "item": "chips",
    "chip": "chips",
    "model": "models",
    "material": "materials",
    "state": "states",
    "policy": "policies",
    "party list": "lists",
    "group": "groups",
}


def _today() -> dt.date:
    return dt.date.today()


def _on(args: argparse.Namespace) -> dt.date:
    day: dt.date | None = args.on
    return day if day is not None else _today()


def _format(args: argparse.Namespace) -> str:
    return str(getattr(args, "format", "text"))


def _check(args: argparse.Namespace, where: str, lookup: Callable[[str], object], key: str) -> None:
    """Look ``key`` up; an unknown id becomes a usage error naming the argument."""
    try:
        lookup(key)
    except UnknownEntityError as exc:
        hint = _CATALOG_HINT.get(exc.kind)
        tail = f" (list them with 'geotech catalog {hint}')" if hint else ""
        raise UsageError(f"{where}: {exc}{tail}", args.prog) from None


def _check_all(
    args: argparse.Namespace, where: str, lookup: Callable[[str], object], keys: Iterable[str]
) -> None:
    for key in keys:
        _check(args, where, lookup, key)


def _one_line(exc: GeotechError) -> str:
    if isinstance(exc, ProblemsError):
        where = f" in {exc.source}" if exc.source else ""
        return f"{exc.headline}{where}: {'; '.join(exc.problems)}"
    return " ".join(str(exc).split())


def _readable(args: argparse.Namespace, option: str, path: Path) -> None:
    try:
        path.open("rb").close()
    except OSError as exc:
        raise UsageError(
            f"{option} {path}: cannot read it ({exc.strerror}); give the path of an existing "
            ".toml or .json file",
            args.prog,
        ) from None


def load_world(args: argparse.Namespace) -> World:
    """The world of ``--world FILE``, else the embedded catalogue."""
    given = getattr(args, "world", None)
    if given is None:
        return catalog.world()
    path = Path(given)
    _readable(args, "--world", path)
    try:
        return io.load_world(path)
    except ProblemsError as exc:
        n = len(exc.problems)
        raise UsageError(
            f"--world {path}: not a valid world ({n} problem{'s' if n != 1 else ''}, the first: "
            f"{exc.problems[0]}); run 'geotech validate {path}' to see every problem",
            args.prog,
        ) from None


def _emit(args: argparse.Namespace, value: render.Renderable) -> None:
    fmt = _format(args)
    if fmt == "json":
        sys.stdout.write(render.to_json(value))
    elif fmt == "markdown":
        sys.stdout.write(render.to_markdown(value))
    else:
        sys.stdout.write(render.to_text(value))


def _emit_parts(args: argparse.Namespace, text: list[str], markdown: list[str], data: Any) -> None:
    fmt = _format(args)
    if fmt == "json":
        sys.stdout.write(io.dumps_json(data))
    else:
        sys.stdout.write("\n".join(markdown if fmt == "markdown" else text) + "\n")


def _request(
    args: argparse.Namespace,
    world: World,
    buyer: str,
    item: str,
    on: dt.date,
    *,
    where: str = "",
    destination: str | None = None,
    route: tuple[str, ...] | None = None,
    quantity: int | None = None,
    end_use: str | None = None,
) -> AccessRequest:
    """A request with every id checked and its route resolved; ``where`` names the option
    that gave buyer, item and route (default: BUYER, ITEM and --route)."""
    _check(args, where or "BUYER", world.company, buyer)
    _check(args, where or "ITEM", world.item, item)
    if destination is not None:
        _check(args, "--destination", world.state, destination)
    _check_all(args, where or "--route", world.state, route or ())
    request = AccessRequest(
        buyer=buyer,
        item=item,
        on=on,
        destination=destination,
        route=route,
        quantity=quantity,
        end_use=end_use,
    )
    try:
        resolve_route(world, request, world.company(buyer), world.item(item))
    except GeotechError as exc:
        raise UsageError(
            f"{where or '--route/--destination'}: {_one_line(exc)}", args.prog
        ) from None
    return request


def _fmt_number(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


# ---------------------------------------------------------------------------------------------
# explain, matrix, timeline, route


def cmd_explain(args: argparse.Namespace) -> int:
    world = load_world(args)
    request = _request(
        args,
        world,
        args.buyer,
        args.item,
        _on(args),
        destination=args.destination,
        route=args.route,
        quantity=args.quantity,
        end_use=args.end_use,
    )
    _emit(args, evaluate(world, request))
    return OK


def _matrix(args: argparse.Namespace, world: World) -> analysis.AccessMatrix:
    _check_all(args, "--buyers", world.company, args.buyers)
    _check_all(args, "--items", world.item, args.items)
    _check_all(args, "--route", world.state, args.route or ())
    return analysis.access_matrix(world, args.buyers, args.items, _on(args), route=args.route)


def cmd_matrix(args: argparse.Namespace) -> int:
    _emit(args, _matrix(args, load_world(args)))
    return OK


def _end(args: argparse.Namespace) -> dt.date:
    day: dt.date | None = args.end
    return day if day is not None else _today() + dt.timedelta(days=1)


def cmd_timeline(args: argparse.Namespace) -> int:
    world = load_world(args)
    request = _request(
        args,
        world,
        args.buyer,
        args.item,
        args.start,
        destination=args.destination,
        route=args.route,
    )
    _emit(args, analysis.timeline(world, request, args.start, _end(args)))
    return OK


def cmd_route(args: argparse.Namespace) -> int:
    world = load_world(args)
    if args.origin is not None:
        _check(args, "--origin", world.state, args.origin)
    request = _request(args, world, args.buyer, args.item, _on(args), destination=args.destination)
    if args.origin is not None:
        destination = args.destination or world.company(args.buyer).hq
        start = () if args.origin == destination else (args.origin,)
        request = attrs.evolve(request, route=(*start, destination))
    via = None
    if args.via is not None:
        _check_all(args, "--via", world.state, (s for stops in args.via for s in stops))
        # A stop at the origin or the destination is the direct route, always a candidate.
        _, route = resolve_route(world, request, world.company(args.buyer), world.item(args.item))
        ends = {route[0], route[-1]}
        via = [(), *(tuple(s for s in stops if s not in ends) for stops in args.via)]
    _emit(args, analysis.best_route(world, request, via))
    return OK


# ---------------------------------------------------------------------------------------------
# compare and reform files


@frozen
class _Rescind:
    policy: str
    on: dt.date | None = None

    def reform(self) -> reforms.Reform:
        return reforms.rescind(self.policy, self.on)


def _names(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    if not value:
        raise ValueError(f"{attribute.name}: expected at least one company id")


@frozen
class _Authorize:
    policy: str
    buyers: tuple[str, ...] = attrs.field(validator=_names)

    def reform(self) -> reforms.Reform:
        return reforms.authorize(self.policy, *self.buyers)


@frozen
class _Deauthorize:
    policy: str
    buyers: tuple[str, ...] = attrs.field(validator=_names)

    def reform(self) -> reforms.Reform:
        return reforms.deauthorize(self.policy, *self.buyers)


@frozen
class _ChangeThreshold:
    policy: str
    fact: SpecName
    value: float
    op: Op | None = None

    def reform(self) -> reforms.Reform:
        return reforms.change_threshold(self.policy, self.fact, self.value, op=self.op)


@frozen
class _List:
    list: str
    company: str
    start: dt.date
    end: dt.date | None = None

    def reform(self) -> reforms.Reform:
        return reforms.list_company(self.list, self.company, self.start, end=self.end)


@frozen
class _Delist:
    list: str
    company: str
    on: dt.date

    def reform(self) -> reforms.Reform:
        return reforms.delist_company(self.list, self.company, self.on)


@frozen
class _AddPolicy:
    policy: AnyPolicy

    def reform(self) -> reforms.Reform:
        return reforms.add_policy(self.policy)


_Step = _Rescind | _Authorize | _Deauthorize | _ChangeThreshold | _List | _Delist | _AddPolicy

#: The step types of a reform file, by their ``type``.
REFORM_STEPS: dict[str, type[_Step]] = {
    "rescind": _Rescind,
    "authorize": _Authorize,
    "deauthorize": _Deauthorize,
    "change_threshold": _ChangeThreshold,
    "list": _List,
    "delist": _Delist,
    "add_policy": _AddPolicy,
}


def load_reform(path: Path) -> tuple[str, list[reforms.Reform]]:
    """A reform file's name and steps; raises ``DocumentError`` listing every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DocumentError(["$: not UTF-8 text"], str(path)) from None
    try:
        doc = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError([f"$: not valid {path.suffix[1:].upper()}: {exc}"], str(path)) from None
    problems: list[str] = []
    if not isinstance(doc, dict):
        raise DocumentError(["$: expected a table with name and steps"], str(path))
    extra = sorted(set(doc) - {"name", "steps"})
    if extra:
        problems.append(f"$: unknown key {', '.join(map(repr, extra))}; allowed: name, steps")
    name = doc.get("name", path.stem)
    if not isinstance(name, str):
        problems.append(f"name: expected a string, got {name!r}")
    steps = doc.get("steps")
    if not isinstance(steps, list) or not steps:
        problems.append("steps: expected a non-empty list of steps ([[steps]] tables)")
        steps = []
    changes: list[reforms.Reform] = []
    types = ", ".join(REFORM_STEPS)
    for i, raw in enumerate(steps):
        where = f"steps[{i}]"
        kind = raw.get("type") if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or kind not in REFORM_STEPS:
            problems.append(f"{where}.type: expected one of {types}, got {kind!r}")
            continue
        rest = {k: v for k, v in raw.items() if k != "type"}
        try:
            step: _Step = io.from_data(rest, REFORM_STEPS[kind])
        except DocumentError as exc:
            problems += [io.prefix(where, p) for p in exc.problems]
            continue
        changes.append(step.reform())
    if problems:
        raise DocumentError(problems, str(path))
    return str(name), changes


def _reforms(args: argparse.Namespace) -> tuple[str, list[tuple[str, reforms.Reform]]]:
    """The reforms' combined name, and (where, reform) for every named reform and every step
    of every reform file, in order."""
    for name in args.reforms:
        if name not in NAMED_REFORMS:
            unknown = UnknownEntityError("reform", name, NAMED_REFORMS)
            known = ", ".join(NAMED_REFORMS)
            raise UsageError(
                f"REFORM: {unknown} (named reforms: {known}; or give --reform-file FILE)",
                args.prog,
            )
    names = [NAMED_REFORMS[name].name for name in args.reforms]
    steps = [(f"REFORM {name}", NAMED_REFORMS[name]) for name in args.reforms]
    for path in args.reform_file:
        _readable(args, "--reform-file", path)
        try:
            name, reforms = load_reform(path)
        except ProblemsError as exc:
            raise UsageError(f"--reform-file {_one_line(exc)}", args.prog) from None
        names.append(name)
        steps += [(f"--reform-file {path}: steps[{i}]", r) for i, r in enumerate(reforms)]
    if not steps:
        raise UsageError(
            f"name a reform ({', '.join(NAMED_REFORMS)}) or give --reform-file FILE; see "
            f"'{args.prog} --help'",
            args.prog,
        )
    return "; then ".join(names), steps


def cmd_compare(args: argparse.Namespace) -> int:
    world = load_world(args)
    name, steps = _reforms(args)
    _check_all(args, "--buyers", world.company, args.buyers)
    _check_all(args, "--items", world.item, args.items)
    _check_all(args, "--route", world.state, args.route or ())
    reformed = world
    for where, reform in steps:
        try:
            reformed = reform(reformed)
        except GeotechError as exc:
            raise UsageError(f"{where} ({reform.name}): {_one_line(exc)}", args.prog) from None
    on = _on(args)
    requests = [
        AccessRequest(buyer=b, item=i, on=on, route=args.route)
        for b in args.buyers
        for i in args.items
    ]
    result = analysis.compare(world, reformed, requests)
    fmt = _format(args)
    if fmt == "json":
        sys.stdout.write(io.dumps_json({"reform": name, "on": on, **render.to_data(result)}))
    elif fmt == "markdown":
        sys.stdout.write(f"**Reform:** {name}, on {on.isoformat()}\n\n{render.to_markdown(result)}")
    else:
        sys.stdout.write(f"Reform: {name}, on {on.isoformat()}\n{render.to_text(result)}")
    return OK


# ---------------------------------------------------------------------------------------------
# classify


_TOPS_OPTIONS = {
    4: Precision.INT4,
    8: Precision.INT8,
    16: Precision.FP16,
    32: Precision.FP32,
    64: Precision.FP64,
}
_SPEC_OPTIONS = {
    "die_area": "die_area_mm2",
    "dram_bandwidth": "dram_bandwidth_gbs",
    "interconnect": "interconnect_gbs",
    "memory": "memory_gb",
    "datacenter": "datacenter",
}


def _chip(args: argparse.Namespace, world: World) -> tuple[Chip, list[str]]:
    """The chip to classify and the spec options that shaped it."""
    tops = {
        bits: getattr(args, f"tops{bits}")
        for bits in _TOPS_OPTIONS
        if getattr(args, f"tops{bits}") is not None
    }
    if args.tpp is not None and tops:
        raise UsageError("give --tpp or --tops4/8/16/32/64, not both", args.prog)
    changes: dict[str, Any] = {
        field: getattr(args, option)
        for option, field in _SPEC_OPTIONS.items()
        if getattr(args, option) is not None
    }
    given = [f"--{o.replace('_', '-')}" for o in _SPEC_OPTIONS if getattr(args, o) is not None]
    if args.tpp is not None:
        changes["throughput"] = (Throughput(precision=Precision.INT8, tops=args.tpp / 8),)
        given.insert(0, "--tpp")
    elif tops:
        changes["throughput"] = tuple(
            Throughput(precision=_TOPS_OPTIONS[b], tops=v) for b, v in tops.items()
        )
        given[:0] = [f"--tops{b}" for b in tops]
    if args.chip is not None:
        _check(args, "CHIP", world.chip, args.chip)
        return attrs.evolve(world.chip(args.chip), **changes), given
    if not changes:
        raise UsageError(
            "give a catalogue chip id or specs (--tpp or --tops8..., --die-area, ...); see "
            f"'{args.prog} --help'",
            args.prog,
        )
    chip = Chip(id="hypothetical", name="hypothetical chip", designer="hypothetical", **changes)
    return chip, given


def class_tests(world: World, item: Item, on: dt.date) -> list[tuple[str, Step]]:
    """Each class code in force on ``on`` with the item's test against its definition."""
    codes = sorted({k.code for k in world.classes if k.in_force(on)})
    return [(code, world.class_step(code, item, on)) for code in codes]


def _class_label(tests: Sequence[tuple[str, Step]]) -> str:
    marks = [
        code + ("?" if step.truth is Truth.UNKNOWN else "")
        for code, step in tests
        if step.truth is not Truth.FALSE
    ]
    return ", ".join(marks) or "none"


def _specs(chip: Chip) -> dict[str, Any]:
    return {
        "tpp": chip.tpp,
        "performance_density": chip.performance_density,
        "dram_bandwidth_gbs": chip.dram_bandwidth_gbs,
        "interconnect_gbs": chip.interconnect_gbs,
        "memory_gb": chip.memory_gb,
        "die_area_mm2": chip.die_area_mm2,
        "datacenter": chip.datacenter,
    }


def _specs_text(chip: Chip) -> str:
    def figure(name: str, value: float | None, unit: str = "", digits: int = 0) -> str:
        return f"{name} {'unknown' if value is None else _fmt_number(value, digits) + unit}"

    dc = {True: "yes", False: "no", None: "unknown"}[chip.datacenter]
    return "; ".join(
        [
            figure("TPP", chip.tpp),
            figure("performance density", chip.performance_density, digits=2),
            figure("DRAM bandwidth", chip.dram_bandwidth_gbs, " GB/s"),
            figure("interconnect", chip.interconnect_gbs, " GB/s"),
            figure("memory", chip.memory_gb, " GB"),
            figure("die area", chip.die_area_mm2, " mm²"),
            f"datacenter {dc}",
        ]
    )


def cmd_classify(args: argparse.Namespace) -> int:
    world = load_world(args)
    chip, given = _chip(args, world)
    on = _on(args)
    tests = class_tests(world, chip, on)
    certain = [code for code, step in tests if step.truth is Truth.TRUE]
    unknown = [code for code, step in tests if step.truth is Truth.UNKNOWN]
    with_specs = f" with {', '.join(given)}" if given and args.chip is not None else ""
    head = f"{chip.name} ({chip.id}){with_specs} on {on.isoformat()}"
    verdict = f"Classes: {', '.join(certain) or 'none'}"
    if unknown:
        verdict += f" (undecided: {', '.join(unknown)}; they test a spec that is not known)"
    text = [head, f"Specs: {_specs_text(chip)}", verdict]
    for _, step in tests:
        text += step.lines()
    markdown = [f"**{head}**", "", f"Specs: {_specs_text(chip)}", "", f"**{verdict}**", ""]
    markdown += ["```text", *(line for _, step in tests for line in step.lines()), "```"]
    data = {
        "chip": chip.id,
        "name": chip.name,
        "on": on,
        "specs": _specs(chip),
        "classes": certain,
        "undecided": unknown,
        "tests": [
            {
                "code": code,
                "truth": str(step.truth),
                "needs": sorted(step.needs),
                "trace": step.lines(),
            }
            for code, step in tests
        ],
    }
    _emit_parts(args, text, markdown, data)
    return OK


# ---------------------------------------------------------------------------------------------
# catalog


@frozen
class _Listing:
    """How one kind of record is listed: where its records are and its table columns."""

    records: Callable[[World], Sequence[Any]]
    header: tuple[str, ...]
    row: Callable[[World, Any, dt.date], list[str]]
    filters: frozenset[str] = frozenset()
    cls: Any = None


def _title(record: Any) -> str:
    return str(getattr(record, "name", None) or getattr(record, "title", ""))


def _period(start: dt.date, end: dt.date | None) -> list[str]:
    return [start.isoformat(), end.isoformat() if end else "-"]


def _chip_row(world: World, chip: Chip, on: dt.date) -> list[str]:
    return [
        chip.id,
        chip.name,
        chip.designer,
        _fmt_number(chip.tpp),
        _fmt_number(chip.performance_density, 2),
        _fmt_number(chip.dram_bandwidth_gbs),
        _class_label(class_tests(world, chip, on)),
    ]


_CATALOG: dict[str, _Listing] = {
    "chips": _Listing(
        lambda w: w.chips,
        ("id", "name", "designer", "TPP", "density", "DRAM GB/s", "classes"),
        _chip_row,
    ),
    "companies": _Listing(
        lambda w: w.companies,
        ("id", "name", "hq", "parent", "roles"),
        lambda w, x, on: [x.id, x.name, x.hq, x.parent or "-", ", ".join(sorted(x.roles))],
        frozenset({"hq"}),
    ),
    "models": _Listing(
        lambda w: w.models,
        ("id", "name", "developer", "released", "parameters", "training FLOP"),
        lambda w, x, on: [
            x.id,
            x.name,
            x.developer,
            x.released.isoformat() if x.released else "-",
            "-" if x.parameters is None else f"{x.parameters:.3g}",
            "-" if x.training_flop is None else f"{x.training_flop:.3g}",
        ],
    ),
    "materials": _Listing(
        lambda w: w.materials,
        ("id", "name", "category", "jurisdictions"),
        lambda w, x, on: [x.id, x.name, x.category, ", ".join(sorted(x.jurisdictions)) or "-"],
    ),
    "classes": _Listing(
        lambda w: w.classes,
        ("id", "issuer", "code", "effective", "expires", "title"),
        lambda w, x, on: [x.id, x.issuer, x.code, *_period(x.effective, x.expires), x.title],
        frozenset({"issuer", "in_force"}),
    ),
    "policies": _Listing(
        lambda w: w.policies,
        ("id", "issuer", "side", "verdict", "effective", "expires", "status"),
        lambda w, x, on: [
            x.id,
            x.issuer,
            str(x.side),
            str(x.restriction),
            *_period(x.effective, x.expires),
            str(x.status),
        ],
        frozenset({"issuer", "in_force", "status", "side"}),
        AnyPolicy,
    ),
    "states": _Listing(
        lambda w: w.states,
        ("id", "name"),
        lambda w, x, on: [x.id, x.name],
    ),
    "groups": _Listing(
        lambda w: w.groups,
        ("id", "issuer", "code", "name", "members"),
        lambda w, x, on: [x.id, x.issuer, x.code, x.name, str(len(x.states_on(on)))],
        frozenset({"issuer"}),
    ),
    "lists": _Listing(
        lambda w: w.party_lists,
        ("id", "issuer", "name", "listed"),
        lambda w, x, on: [
            x.id,
            x.issuer,
            x.name,
            str(len({y.company for y in x.listings if y.active(on)})),
        ],
        frozenset({"issuer"}),
    ),
}

_FILTER_KINDS = {
    f: tuple(k for k, listing in _CATALOG.items() if f in listing.filters)
    for f in ("issuer", "in_force", "status", "side", "hq")
}


def _applies(name: str) -> str:
    return f"filter ({', '.join(_FILTER_KINDS[name])})"


def _keep(args: argparse.Namespace, record: Any) -> bool:
    if args.search is not None:
        needle = args.search.lower()
        if needle not in record.id.lower() and needle not in _title(record).lower():
            return False
    checks: list[tuple[str, Callable[[], bool]]] = [
        ("issuer", lambda: record.issuer == args.issuer),
        ("in_force", lambda: record.in_force(args.in_force)),
        ("status", lambda: str(record.status) == args.status),
        ("side", lambda: str(record.side) == args.side),
        ("hq", lambda: record.hq == args.hq),
    ]
    return all(getattr(args, name) is None or test() for name, test in checks)


def cmd_catalog(args: argparse.Namespace) -> int:
    listing = _CATALOG[args.kind]
    for name in _FILTER_KINDS:
        if getattr(args, name) is not None and name not in listing.filters:
            option = "--" + name.replace("_", "-")
            kinds = ", ".join(_FILTER_KINDS[name])
            raise UsageError(f"{option} filters {kinds}, not {args.kind}", args.prog)
    world = load_world(args)
    on = _on(args)
    records = [r for r in listing.records(world) if _keep(args, r)]
    rows = [listing.row(world, r, on) for r in records]
    dated = args.kind in ("chips", "groups", "lists")
    title = f"{args.kind}: {len(rows)}" + (f", on {on.isoformat()}" if dated else "")
    text = [title, *render.table(listing.header, rows, markdown=False)]
    markdown = [f"**{title}**", "", *render.table(listing.header, rows, markdown=True)]
    if args.kind == "chips":
        legend = "- not published; ? class undecided (a spec is not published)"
        text.append(legend)
        markdown += ["", f"_{legend}_"]
    data_records = []
    for r in records:
        data = io.to_data(r, listing.cls)
        if isinstance(r, Chip):
            tests = class_tests(world, r, on)
            data["derived"] = {
                "tpp": r.tpp,
                "performance_density": r.performance_density,
                "h100_equivalents": r.h100_equivalents,
                "classes": [code for code, s in tests if s.truth is Truth.TRUE],
                "undecided": [code for code, s in tests if s.truth is Truth.UNKNOWN],
            }
        data_records.append(data)
    payload: dict[str, Any] = {"kind": args.kind}
    if dated:
        payload["on"] = on
    payload["records"] = data_records
    _emit_parts(args, text, markdown, payload)
    return OK


# ---------------------------------------------------------------------------------------------
# lint and validate


def cmd_lint(args: argparse.Namespace) -> int:
    findings = analysis.lint(load_world(args))
    _emit(args, findings)
    return FINDINGS if findings else OK


def cmd_validate(args: argparse.Namespace) -> int:
    path: Path = args.file
    _readable(args, "FILE", path)
    try:
        world = io.load_world(path)
    except ProblemsError as exc:
        problems = list(exc.problems)
        n = len(problems)
        summary = f"{path}: {n} problem{'s' if n != 1 else ''}"
        _emit_parts(
            args,
            [*(f"{path}: {p}" for p in problems), summary],
            [f"**{summary}**", "", *(f"- {p}" for p in problems)],
            {"file": str(path), "valid": False, "problems": problems},
        )
        return FINDINGS
    except GeotechError as exc:  # not a .toml or .json file
        raise UsageError(f"FILE {_one_line(exc)}", args.prog) from None
    counts = {
        key: len(getattr(world, key))
        for key in attrs.fields_dict(World)
        if not key.startswith("_") and getattr(world, key)
    }
    what = ", ".join(f"{key} {n}" for key, n in counts.items()) or "empty"
    line = f"{path}: valid world ({what})"
    _emit_parts(args, [line], [line], {"file": str(path), "valid": True, "counts": counts})
    return OK


# ---------------------------------------------------------------------------------------------
# plot


def _save(args: argparse.Namespace, figure: Any) -> int:
    from geotech import plot

    try:
        path = plot.save(figure, args.output)
    except OSError as exc:
        raise UsageError(
            f"--output {args.output}: cannot write it ({exc.strerror}); check the directory",
            args.prog,
        ) from None
    sys.stdout.write(f"wrote {path}\n")
    return OK


def plot_chip_map(args: argparse.Namespace) -> int:
    from geotech import plot

    world = load_world(args)
    if args.chips is not None:
        _check_all(args, "--chips", world.chip, args.chips)
    figure = plot.chip_map(world, _on(args), y_axis=args.y_axis, chips=args.chips)
    return _save(args, figure)


def plot_timeline(args: argparse.Namespace) -> int:
    from geotech import plot

    world = load_world(args)
    requests = [
        _request(args, world, buyer, item, args.start, where="--request", route=route)
        for buyer, item, route in args.request
    ]
    figure = plot.verdict_timeline(world, requests, args.start, _end(args))
    return _save(args, figure)


def plot_matrix(args: argparse.Namespace) -> int:
    from geotech import plot

    return _save(args, plot.matrix_heatmap(_matrix(args, load_world(args))))


def plot_gap(args: argparse.Namespace) -> int:
    from geotech import plot

    world = load_world(args)
    on = _on(args)
    sides = []
    for who, option, orders in (
        (args.buyer, "--buyer", args.order),
        (args.versus, "--versus", args.versus_order),
    ):
        _check(args, option, world.company, who)
        where = "--order" if option == "--buyer" else "--versus-order"
        for order in orders:
            _check(args, where, world.chip, order.chip)
            _check_all(args, f"{where} {order.chip}@", world.state, order.route or ())
        precision = Precision(args.precision)
        sides.append(compute.accessible_compute(world, who, on, orders, precision=precision))
    gap = compute.compute_gap(sides[0], sides[1], utilization=args.utilization)
    return _save(args, plot.compute_gap_bars(gap))


# ---------------------------------------------------------------------------------------------
# Entry point


def _fail(prog: str, message: str) -> None:
    sys.stderr.write(f"{prog}: error: {message}\n")


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
        _fail(prog, _one_line(exc))
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


if __name__ == "__main__":
    raise SystemExit(main())
