"""``geotech export --ftm`` and ``geotech import --ftm-in FILE``: a world's companies,
ownership and listings to FollowTheMoney JSON lines, and FtM data (such as an OpenSanctions
export) into a world (``geotech.interop.ftm``). Files are written atomically
(``geotech.files.atomic_write``): a failed run leaves the previous file, if any."""

from __future__ import annotations

import argparse
import io as text_io
from pathlib import Path
from typing import Any

from geotech import files, io
from geotech.cli.shared import (
    OK,
    UsageError,
    command,
    load_world,
    one_line,
    read_input,
    write,
)
from geotech.errors import DocumentError, GeotechError
from geotech.interop import ftm


def register(subcommands: Any) -> None:
    p = command(
        subcommands,
        "export",
        run_export,
        "write the world's companies, ownership and listings as FollowTheMoney JSON lines",
        "geotech export --ftm -o entities.jsonl",
        formats=False,
    )
    p.add_argument(
        "--ftm", action="store_true", required=True, help="FollowTheMoney JSON lines (required)"
    )
    p.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write here (default: standard output)"
    )

    p = command(
        subcommands,
        "import",
        run_import,
        "add the companies, ownership and listings of FollowTheMoney data to a world",
        "geotech import --ftm-in entities.jsonl --world base.toml -o merged.toml",
        formats=False,
    )
    p.add_argument(
        "--ftm-in", type=Path, required=True, metavar="FILE", help="FtM JSON lines to read"
    )
    p.add_argument(
        "--program",
        action="append",
        default=[],
        metavar="TEXT=LIST",
        help="read sanctions of this program (or authority) onto this party list, e.g. "
        "'Entity List (EL)=us-entity-list'; 'TEXT=' leaves the program out; repeatable",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE.toml|.json",
        help="write the merged world here (default: TOML on standard output)",
    )


def _save(args: argparse.Namespace, path: Path, text: str) -> None:
    try:
        with files.atomic_write(path) as f:
            f.write(text.encode("utf-8"))
    except files.FileError as exc:
        raise UsageError(f"--output {exc}", args.prog) from None
    write(f"wrote {path}\n")


def run_export(args: argparse.Namespace) -> int:
    out = text_io.StringIO()
    ftm.write_jsonl(ftm.to_ftm(load_world(args)), out)
    if args.output is None:
        write(out.getvalue())
    else:
        _save(args, args.output, out.getvalue())
    return OK


def _programs(args: argparse.Namespace) -> dict[str, str | None]:
    programs: dict[str, str | None] = {}
    for entry in args.program:
        text, sep, party_list = entry.rpartition("=")
        if not (sep and text):
            raise UsageError(
                f"--program {entry!r}: use TEXT=LIST, e.g. 'Entity List (EL)=us-entity-list'",
                args.prog,
            )
        programs[text] = party_list or None
    return programs


def run_import(args: argparse.Namespace) -> int:
    world = load_world(args)
    programs = _programs(args)
    text = read_input(args, "--ftm-in", args.ftm_in)
    try:
        entities = list(ftm.read_jsonl(text_io.StringIO(text)))
        merged = ftm.from_ftm(entities, world, programs=programs)
    except DocumentError as exc:
        hint = " (map programs with --program 'TEXT=LIST')" if "programs=" in str(exc) else ""
        raise UsageError(f"--ftm-in {args.ftm_in}: {one_line(exc)}{hint}", args.prog) from None
    if args.output is None:
        write(io.dumps_world(merged, "toml"))
        return OK
    try:
        fmt = io.format_of(args.output)
    except GeotechError as exc:
        raise UsageError(f"--output {one_line(exc)}", args.prog) from None
    _save(args, args.output, io.dumps_world(merged, fmt))
    return OK
