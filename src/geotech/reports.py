"""Text, Markdown and JSON of classifications and catalogue listings.

The companions of ``geotech.render`` for the two results it does not take yet: a
``Classification`` (``geotech.classification``) and a catalogue ``Listing``
(``geotech.catalog.listing``). Tables go through ``render.table``, data through
``io.to_data`` and ``io.dumps_json``; output is deterministic and ends with a newline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from geotech import io, render
from geotech.catalog.listing import Entry, Listing
from geotech.classification import Classification
from geotech.entities import Chip

__all__ = ["LISTING_LEGEND", "Format", "classification", "listing", "specs_text"]

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
