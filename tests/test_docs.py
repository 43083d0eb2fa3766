"""Every Python code block in the README and docs/ runs (blocks of one page share a namespace).

A block right after a ``<!-- requires: pandas -->`` line needs those modules (an optional
extra): without them it is left out and the page is reported as skipped after its other
blocks ran."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
BLOCK = re.compile(r"^(?:<!-- requires: ([\w, ]+) -->\n)?```python\n(.*?)^```", re.S | re.M)


def _blocks(page: Path) -> list[str]:
    return [code for _, code in BLOCK.findall(page.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("page", [p for p in PAGES if _blocks(p)], ids=lambda p: p.name)
def test_code_blocks_run(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    left_out: list[str] = []
    for i, (needs, block) in enumerate(BLOCK.findall(page.read_text(encoding="utf-8"))):
        absent = [m for m in needs.replace(",", " ").split() if not importlib.util.find_spec(m)]
        if absent:
            left_out.append(f"block {i} needs {', '.join(absent)}")
            continue
        code = compile(block, f"{page.relative_to(ROOT)}[block {i}]", "exec")
        exec(code, namespace)
    capsys.readouterr()
    if left_out:
        pytest.skip(f"{page.name}: {'; '.join(left_out)} (optional extras not installed)")


def test_pages_have_code_or_are_reference() -> None:
    assert _blocks(ROOT / "README.md"), "the README's example must be executable"
