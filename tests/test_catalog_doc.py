"""docs/catalogue.md is generated from the catalogue data and must not go stale."""

from __future__ import annotations

from pathlib import Path

from geotech import catalog, io
from geotech.catalog import markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "catalogue.md"
REGENERATE = "python -m geotech.catalog.markdown > docs/catalogue.md"


def test_catalogue_doc_is_current() -> None:
    expected = markdown.render(catalog.world())
    actual = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    assert actual == expected, f"docs/catalogue.md is stale; regenerate it with `{REGENERATE}`"


def test_render_is_deterministic_and_order_independent() -> None:
    world = catalog.world()
    data = io.world_to_data(world)
    shuffled = {
        key: value[::-1] if isinstance(value, list) else value for key, value in data.items()
    }
    assert markdown.render(io.world_from_data(shuffled)) == markdown.render(world)


def test_render_has_a_table_per_kind_with_derived_chip_figures() -> None:
    text = markdown.render(catalog.world())
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    tailored = [
        "## States",
        "## Country groups",
        "## Companies",
        "## Party lists",
        "## Listings",
        "## Chips",
        "## Models",
        "## Materials",
        "## Control classes",
        "## Policies",
    ]
    assert headings[: len(tailored)] == tailored
    # Every other kind of record a World holds gets a generic table of its own.
    brief_kinds = {"states", "groups", "companies", "party_lists", "chips", "models"}
    brief_kinds |= {"materials", "classes", "policies"}
    others = [k for k in markdown.KINDS if k not in brief_kinds]
    assert headings[len(tailored) :] == [f"## {k.replace('_', ' ').capitalize()}" for k in others]
    h200 = next(line for line in text.splitlines() if line.startswith("| nvidia-h200 |"))
    # TPP 15,832 and density 15,832 / 814 = 19.45 (regulations.md section 12).
    assert "| 15,832 | 19.45 |" in h200
    alibaba = next(line for line in text.splitlines() if "| alibaba | 2026-02-13 |" in line)
    assert "| reported |" in alibaba
