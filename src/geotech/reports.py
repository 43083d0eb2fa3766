"""Text, Markdown and JSON of the command's own reports: classifications, catalogue listings,
case-file runs, validation problems, and the reform a comparison applies.

The companions of ``geotech.render`` for results that live above it: a ``Classification``
(``geotech.classification``), a catalogue ``Listing`` (``geotech.catalog.listing``), a
case-file ``Report`` (``geotech.casefile``), the problems of a document. Tables go through
``render.table``, data through ``io.to_data`` and ``io.dumps_json``; output is deterministic
and ends with a newline.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import attrs

from geotech import io, render
from geotech.casefile import CaseResult, Report
from geotech.catalog.listing import Entry, Listing
from geotech.classification import Classification
from geotech.entities import Chip
from geotech.world import World

__all__ = [
    "LISTING_LEGEND",
    "Format",
    "case_report",
    "classification",
    "listing",
    "problems",
    "reform_header",
    "specs_text",
    "valid_world",
]

Format = Literal["text", "markdown", "json"]

#: The legend under a chip listing.
LISTING_LEGEND = "- not published; ? class undecided (a spec is not published)"


def _figure(name: str, value: float | None, unit: str = "", digits: int = 0) -> str:
    return f"{name} {'unknown' if value is None else f'{value:,.{digits}f}{unit}'}"


def specs_text(chip: Chip) -> str:
    """The specs classes test, in one line: ``TPP 15,832; performance density 19.45; ...``."""
    datacenter = {True: "yes", False: "no", None: "unknown"}[chip.datacenter]
    return "; ".join(
        [
            _figure("TPP", chip.tpp),
            _figure("performance density", chip.performance_density, digits=2),
            _figure("DRAM bandwidth", chip.dram_bandwidth_gbs, " GB/s"),
            _figure("interconnect", chip.interconnect_gbs, " GB/s"),
            _figure("memory", chip.memory_gb, " GB"),
            _figure("die area", chip.die_area_mm2, " mm²"),
            f"datacenter {datacenter}",
        ]
    )


def _specs_data(chip: Chip) -> dict[str, Any]:
    return {
        "tpp": chip.tpp,
        "performance_density": chip.performance_density,
        "dram_bandwidth_gbs": chip.dram_bandwidth_gbs,
        "interconnect_gbs": chip.interconnect_gbs,
        "memory_gb": chip.memory_gb,
        "die_area_mm2": chip.die_area_mm2,
        "datacenter": chip.datacenter,
    }


def classification(c: Classification, fmt: Format, *, adjusted: Sequence[str] = ()) -> str:
    """A chip's classification: heading, specs, classes (and undecided ones), each test's
    trace. ``adjusted`` names the specs changed from the world's chip, for the heading."""
    chip = c.item
    if not isinstance(chip, Chip):
        raise TypeError(f"cannot report the specs of {type(chip).__name__}; give a Chip")
    if fmt == "json":
        return io.dumps_json(
            {
                "chip": chip.id,
                "name": chip.name,
                "on": c.on,
                "specs": _specs_data(chip),
                "classes": list(c.classes),
                "undecided": list(c.undecided),
                "tests": [
                    {
                        "code": t.code,
                        "truth": str(t.truth),
                        "needs": sorted(t.step.needs),
                        "trace": t.step.lines(),
                    }
                    for t in c.tests
                ],
            }
        )
    with_specs = f" with {', '.join(adjusted)}" if adjusted else ""
    head = f"{chip.name} ({chip.id}){with_specs} on {c.on.isoformat()}"
    verdict = f"Classes: {', '.join(c.classes) or 'none'}"
    if c.undecided:
        verdict += f" (undecided: {', '.join(c.undecided)}; they test a spec that is not known)"
    trace = [line for t in c.tests for line in t.step.lines()]
    specs = f"Specs: {specs_text(chip)}"
    if fmt == "markdown":
        lines = [f"**{head}**", "", specs, "", f"**{verdict}**", "", "```text", *trace, "```"]
    else:
        lines = [head, specs, verdict, *trace]
    return "\n".join(lines) + "\n"


def _record_data(entry: Entry, record_type: Any) -> Any:
    data = io.to_data(entry.record, record_type)
    c = entry.classification
    if c is not None and isinstance(entry.record, Chip):
        data["derived"] = {
            "tpp": entry.record.tpp,
            "performance_density": entry.record.performance_density,
            "h100_equivalents": entry.record.h100_equivalents,
            "classes": list(c.classes),
            "undecided": list(c.undecided),
        }
    return data


def listing(x: Listing, fmt: Format) -> str:
    """A listing as a titled table (text or Markdown), or as its records' data (JSON)."""
    if fmt == "json":
        payload: dict[str, Any] = {"kind": x.kind}
        if x.on is not None:
            payload["on"] = x.on
        payload["records"] = [_record_data(e, x.record_type) for e in x.entries]
        return io.dumps_json(payload)
    title = f"{x.kind}: {len(x.entries)}" + (f", on {x.on.isoformat()}" if x.on else "")
    markdown = fmt == "markdown"
    rows = [e.cells for e in x.entries]
    table = render.table(x.header, rows, markdown=markdown)
    legend = [LISTING_LEGEND] if x.kind == "chips" else []
    if markdown:
        lines = [f"**{title}**", "", *table, *(["", f"_{legend[0]}_"] if legend else [])]
    else:
        lines = [title, *table, *legend]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Case files, validation, reforms


def case_report(report: Report, sources: Sequence[Path], fmt: Format) -> str:
    """A case-file run: each failure with what differs, the summary and the policy coverage;
    ``sources`` names the file of each case."""
    if fmt == "json":
        return io.dumps_json(_case_data(report, sources))
    return "\n".join(_case_lines(report, sources, fmt == "markdown")) + "\n"


def _case_data(report: Report, sources: Sequence[Path]) -> dict[str, Any]:
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


def _case_lines(report: Report, sources: Sequence[Path], markdown: bool) -> list[str]:
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


def problems(path: Path, found: Sequence[str], fmt: Format) -> str:
    """The problems of the document at ``path``, each with its field path, and their count."""
    n = len(found)
    summary = f"{path}: {n} problem{'s' if n != 1 else ''}"
    if fmt == "json":
        return io.dumps_json({"file": str(path), "valid": False, "problems": list(found)})
    if fmt == "markdown":
        return "\n".join([f"**{summary}**", "", *(f"- {p}" for p in found)]) + "\n"
    return "\n".join([*(f"{path}: {p}" for p in found), summary]) + "\n"


def valid_world(path: Path, world: World, fmt: Format) -> str:
    """The line saying a world file is valid, with how many records of each kind it holds."""
    counts = {
        key: len(getattr(world, key))
        for key in attrs.fields_dict(World)
        if not key.startswith("_") and getattr(world, key)
    }
    if fmt == "json":
        return io.dumps_json({"file": str(path), "valid": True, "counts": counts})
    what = ", ".join(f"{key} {n}" for key, n in counts.items()) or "empty"
    return f"{path}: valid world ({what})\n"


def reform_header(name: str, on: str, fmt: Format) -> str:
    """The line naming the reform a comparison applies and its date (none in JSON)."""
    head = f"{name}, on {on}"
    if fmt == "markdown":
        return f"**Reform:** {head}\n\n"
    return "" if fmt == "json" else f"Reform: {head}\n"
