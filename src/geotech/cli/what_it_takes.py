"""``geotech what-it-takes BUYER ITEM --target VERDICT[/REVIEW]``: the smallest sets of
changes (date, route, end use, item, spec, delisting) that bring a request's decision to at
most the target."""

from __future__ import annotations

import argparse
from typing import Any

from geotech import analysis, io
from geotech.analysis.paths import as_restriction
from geotech.cli.arguments import count_arg
from geotech.cli.shared import (
    OK,
    command,
    decided_on,
    emit,
    load_world,
    one_request,
    output_format,
    request_options,
    write,
)
from geotech.policies import ReviewPolicy, Verdict
from geotech.render.tables import verdict_label

_VERDICTS = {v.name.lower(): v for v in Verdict}
_REVIEWS = {
    **{r.name.lower(): r for r in ReviewPolicy},
    "approval": ReviewPolicy.PRESUMPTION_OF_APPROVAL,
    "denial": ReviewPolicy.PRESUMPTION_OF_DENIAL,
}
_FORM = (
    f"use VERDICT or license_required/REVIEW with VERDICT one of {', '.join(_VERDICTS)} and "
    f"REVIEW one of approval, case_by_case, denial; e.g. license_required/case_by_case"
)

Target = Verdict | tuple[Verdict, ReviewPolicy]


def target_arg(text: str) -> Target:
    """``license_required`` (any license) or ``license_required/case_by_case``."""
    verdict_text, sep, review_text = text.strip().lower().replace("-", "_").partition("/")
    verdict = _VERDICTS.get(verdict_text)
    if verdict is None:
        raise argparse.ArgumentTypeError(f"{text!r} names no verdict; {_FORM}")
    if not sep:
        return verdict
    if verdict is not Verdict.LICENSE_REQUIRED:
        raise argparse.ArgumentTypeError(
            f"{text!r}: only license_required takes a review after /; {_FORM}"
        )
    review = _REVIEWS.get(review_text)
    if review is None:
        raise argparse.ArgumentTypeError(f"{text!r} names no review; {_FORM}")
    return verdict, review


def target_text(target: Target) -> str:
    """``license (case-by-case)``; a verdict alone covers all its reviews (``any license``)."""
    if isinstance(target, tuple):
        return verdict_label(*target)
    return "license (any review)" if target is Verdict.LICENSE_REQUIRED else target.name.lower()


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "what-it-takes",
        run,
        "the smallest sets of changes that bring a request's decision to a target",
        "geotech what-it-takes bytedance nvidia-h200 --on 2025-06-01 "
        "--target license_required/case_by_case",
    )
    request_options(p)
    p.add_argument(
        "--target",
        type=target_arg,
        required=True,
        metavar="VERDICT[/REVIEW]",
        help="the ruling to reach at most: allowed, conditional, discouraged, "
        "license_required (any review) or license_required/approval|case_by_case|denial",
    )
    p.add_argument(
        "--most",
        type=count_arg,
        default=2,
        metavar="N",
        help="the largest number of changes in a path (default: 2)",
    )


def run(args: argparse.Namespace) -> int:
    world = load_world(args)
    asked = one_request(args, world)
    found = analysis.what_it_takes(world, asked, args.target, most=args.most)
    goal = as_restriction(args.target)
    footer = [
        f"target: at most {target_text(args.target)}",
        f"request: {asked.buyer} x {asked.item} on {asked.on.isoformat()}",
        *decided_on(world, [asked]),
    ]
    if output_format(args) == "json":
        data = {
            "buyer": asked.buyer,
            "item": asked.item,
            "on": asked.on,
            "route": args.route,
            "end_use": asked.end_use,
            "target": io.to_data(goal),
            "most": args.most,
            "paths": io.to_data(found),
        }
        write(io.dumps_json(data))
    elif not found:
        changes = "change" if args.most == 1 else "changes"
        write(f"No set of at most {args.most} {changes} reaches the target\n")
        write("".join(f"{line}\n" for line in footer))
    else:
        emit(args, found, footer=footer)
    return OK
