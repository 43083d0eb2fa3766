"""``geotech catalog KIND``: list the world's records, with derived figures for chips."""

from __future__ import annotations

import argparse
from typing import Any

import attrs

from geotech import reports
from geotech.catalog.listing import KINDS, Filters, filtered_by, listing
from geotech.cli.arguments import date_arg
from geotech.cli.shared import (
    OK,
    UsageError,
    command,
    load_world,
    on,
    on_option,
    output_format,
    write,
)
from geotech.entities import Status
from geotech.policies import Side

_FILTERS = tuple(a.name for a in attrs.fields(Filters) if a.name != "search")


def _applies(name: str) -> str:
    return f"filter ({', '.join(filtered_by(name))})"


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "catalog",
        run,
        "list the world's records, with derived figures for chips",
        "geotech catalog policies --issuer CN --in-force 2026-02-01",
    )
    p.add_argument("kind", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    on_option(p, "the day chips are classified on")
    p.add_argument("--search", metavar="TEXT", help="id, name or title contains TEXT (any case)")
    p.add_argument("--issuer", type=str.upper, metavar="STATE", help=_applies("issuer"))
    p.add_argument("--in-force", type=date_arg, metavar="DATE", help=_applies("in_force"))
    p.add_argument("--status", choices=("official", "reported"), help=_applies("status"))
    p.add_argument("--side", choices=("export", "import"), help=_applies("side"))
    p.add_argument("--hq", type=str.upper, metavar="STATE", help=_applies("hq"))


def run(args: argparse.Namespace) -> int:
    for name in _FILTERS:
        if getattr(args, name) is not None and args.kind not in filtered_by(name):
            option = "--" + name.replace("_", "-")
            kinds = ", ".join(filtered_by(name))
            raise UsageError(f"{option} filters {kinds}, not {args.kind}", args.prog)
    filters = Filters(
        search=args.search,
        issuer=args.issuer,
        in_force=args.in_force,
        status=None if args.status is None else Status(args.status),
        side=None if args.side is None else Side(args.side),
        hq=args.hq,
    )
    found = listing(load_world(args), args.kind, on(args), filters)
    write(reports.listing(found, output_format(args)))
    return OK
