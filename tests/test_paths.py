"""Every file the README and the docs name exists: repository paths, relative links, and the
input files of the commands they show (or a file the page itself defines in a code block)."""

from __future__ import annotations

import itertools
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
#: A repository path in running text (not the tail of a URL).
REPO_PATH = re.compile(
    r"(?<![\w/.:-])((?:examples|docs|tests|src|scripts|benchmarks)/[\w./*-]*[\w*])"
)
LINK = re.compile(r"\]\(([^)#\s]+)\)")
COMMAND = re.compile(r"^\$ (geotech .*)$", re.M)
#: Files a page defines: a code block whose first line is ``# NAME``.
DEFINED = re.compile(r"^```\w+\n# (\S+)\n", re.M)
INPUT = re.compile(r".*\.(toml|json|jsonl)$")


def _id(page: Path) -> str:
    return str(page.relative_to(ROOT))


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_named_paths_exist(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    named = set(REPO_PATH.findall(text))
    missing = [p for p in sorted(named) if not any(ROOT.glob(p))]
    assert missing == []


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_relative_links_exist(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    links = [x for x in LINK.findall(text) if not re.match(r"[a-z]+:", x)]
    missing = [x for x in links if not (page.parent / x).exists()]
    assert missing == []


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_command_inputs_exist(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    defined = set(DEFINED.findall(text))
    inputs = {
        word
        for command in COMMAND.findall(text)
        for before, word in itertools.pairwise(["", *shlex.split(command.partition(">")[0])])
        if INPUT.match(word) and before not in ("-o", "--output")  # an output is no input
    }
    missing = [x for x in sorted(inputs - defined) if not (ROOT / x).exists()]
    assert missing == []


def test_the_readme_runs_the_shipped_files() -> None:
    commands = COMMAND.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert "geotech validate examples/my_world.toml" in commands
    assert "geotech test examples/cases/h200.toml" in commands


def test_the_checks_see_paths() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "examples/h200_authorization.py" in REPO_PATH.findall(text)
    assert REPO_PATH.findall("see https://example.org/docs/x.md or `docs/nope.md`") == [
        "docs/nope.md"
    ]


def test_the_documented_small_world_is_the_shipped_one() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    blocks = dict(re.findall(r"^```toml\n# (\S+)\n(.*?)^```", text, re.S | re.M))
    shipped = (ROOT / "examples" / "my_world.toml").read_text(encoding="utf-8")
    assert blocks["my_world.toml"] == shipped
