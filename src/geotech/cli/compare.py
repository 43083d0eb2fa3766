"""``geotech compare REFORM ...``: who gains and who loses access under a reform.

Reforms are named (``NAMED_REFORMS``) or read from TOML/JSON reform files: a ``name`` and a
list of ``steps``, each a table with a ``type`` (``REFORM_STEPS``) and that step's fields.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from geotech import analysis, io, reforms, render
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
    parse_document,
    read_input,
    route_option,
    write,
)
from geotech.criteria import Op, SpecName
from geotech.engine import AccessRequest
from geotech.errors import DocumentError, GeotechError, ProblemsError, UnknownEntityError
from geotech.policies import AnyPolicy

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


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "compare",
        run,
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
    pairs_options(p)
    on_option(p)
    route_option(p)
    end_use_option(p)


# ---------------------------------------------------------------------------------------------
# Reform files


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


def load_reform(path: Path, text: str) -> tuple[str, list[reforms.Reform]]:
    """A reform file's name and steps from its text (JSON for a ``.json`` path, else TOML);
    raises ``DocumentError`` listing every problem."""
    doc = parse_document(path, text)
    problems: list[str] = []
    if not isinstance(doc, dict):
        raise DocumentError(["$: expected a table with name and steps"], str(path))
    extra = sorted(set(doc) - {"name", "steps"})
    if extra:
        problems.append(f"$: unknown key {', '.join(map(repr, extra))}; allowed: name, steps")
    name = doc.get("name", path.stem)
    if not isinstance(name, str):
        problems.append(f"name: expected a string, got {_shown(name)}")
    steps = doc.get("steps")
    if not isinstance(steps, list) or not steps:
        problems.append("steps: expected a non-empty list of steps ([[steps]] tables)")
        steps = []
    changes: list[reforms.Reform] = []
    types = ", ".join(REFORM_STEPS)
    for i, raw in enumerate(steps):
        where = f"steps[{i}]"
        kind = raw.get("type") if isinstance(raw, dict) else None
        if not isinstance(kind, str) or kind not in REFORM_STEPS:
            problems.append(f"{where}.type: expected one of {types}, got {_shown(kind)}")
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


def _shown(value: object) -> str:
    """A scalar as written; a list or table by its kind (it may be nested too deep to show)."""
    if value is None or isinstance(value, str | int | float | bool):
        return repr(value)
    return f"a {type(value).__name__}"


# ---------------------------------------------------------------------------------------------
# The command


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
        text = read_input(args, "--reform-file", path)
        try:
            name, reforms = load_reform(path, text)
        except ProblemsError as exc:
            raise UsageError(f"--reform-file {one_line(exc)}", args.prog) from None
        names.append(name)
        steps += [(f"--reform-file {path}: steps[{i}]", r) for i, r in enumerate(reforms)]
    if not steps:
        raise UsageError(
            f"name a reform ({', '.join(NAMED_REFORMS)}) or give --reform-file FILE; see "
            f"'{args.prog} --help'",
            args.prog,
        )
    return "; then ".join(names), steps


def run(args: argparse.Namespace) -> int:
    world = load_world(args)
    name, steps = _reforms(args)
    check_all(args, "--buyers", world.company, args.buyers)
    check_all(args, "--items", world.item, args.items)
    check_all(args, "--route", world.state, args.route or ())
    reformed = world
    for where, reform in steps:
        try:
            reformed = reform(reformed)
        except GeotechError as exc:
            raise UsageError(f"{where} ({reform.name}): {one_line(exc)}", args.prog) from None
    day = on(args)
    requests = [
        AccessRequest(buyer=b, item=i, on=day, route=args.route, end_use=args.end_use)
        for b in args.buyers
        for i in args.items
    ]
    result = analysis.compare(world, reformed, requests)
    data = render.to_data(result)
    data["changes"] = [
        {"buyer": x["buyer"], "item": x["item"], "route": list(change.after.route), **x}
        for x, change in zip(data["changes"], result.changes, strict=True)
    ]
    fmt = output_format(args)
    head = f"{name}, on {day.isoformat()}"
    if fmt == "markdown":
        write(f"**Reform:** {head}\n\n")
    elif fmt == "text":
        write(f"Reform: {head}\n")
    data = {"reform": name, "on": day, "route": args.route, "end_use": args.end_use, **data}
    emit(args, result, footer=decided_on(world, requests), data=data)
    return OK
