"""Fuzzing the command line with the inputs of ``test_fuzz_io``: arbitrary JSON values and TOML
texts, and structure-aware mutations of the catalogue's world document, of its reforms as a
reform file and of the example case file, written to files and given to ``geotech validate``,
``geotech lint --world``, ``geotech compare --reform-file`` and ``geotech test``, run
in-process. Every run ends with exit code 0, 1 or 2 and at most one line on stderr, never an
"internal error".

The default run is quick; ``HYPOTHESIS_PROFILE=fuzz`` gives a long one, as for
``test_fuzz_io``.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geotech import catalog, io, reforms
from geotech.cli import main
from geotech.reforms import Reform
from test_fuzz_io import EXAMPLES, HUGE, JSON, catalogue_document, deep, paths

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "examples" / "cases" / "h200.toml"
COMPARE = ["--buyers", "bytedance", "--items", "nvidia-h200", "--on", "2026-02-01"]

#: Stands for a criterion nested 3,000 deep (too deep for ``json.dumps``).
DEEP = "<deep criterion>"

FUZZ = settings(
    max_examples=max(EXAMPLES // 3, 20),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> int:
    """Run ``geotech argv`` and check that it ended as a command should."""
    code = main(argv)
    _, err = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code, err)
    assert "internal error" not in err, (argv, err)
    assert err.count("\n") <= 1, (argv, err)
    return code


def text_of(doc: Any) -> str:
    """``doc`` as JSON text, each ``HUGE`` written as a 5,000-digit integer and each
    ``DEEP`` as a criterion nested 3,000 deep."""

    def plain(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    text = json.dumps(doc, default=plain)  # with NaN and Infinity, which strict JSON lacks
    nested = json.dumps(deep(0))
    for _ in range(3000):
        nested = f'{{"type": "not", "of": {nested}}}'
    return text.replace(json.dumps(HUGE), "9" * 5000).replace(json.dumps(DEEP), nested)


@cache
def reform_document() -> str:
    """A reform file with a step of every type: the catalogue's reforms and a few more."""
    world = catalog.world()
    extra = (
        reforms.add_policy(world.policy("us-bis-2026-01-15-h200-case-by-case")),
        reforms.ListCompany(world.party_lists[0].id, "tencent", dt.date(2026, 1, 1), None),
        reforms.DelistCompany(world.party_lists[0].id, "tencent", dt.date(2026, 1, 1)),
    )
    steps = [io.to_data(r, Reform) for r in (*catalog.reforms().values(), *extra)]
    return text_of({"name": "fuzzed", "steps": steps})


@cache
def case_document() -> str:
    return text_of(tomllib.loads(CASES.read_text(encoding="utf-8")))


EDITS = st.sampled_from(["drop", "replace", "duplicate", "retype", "huge", "deep"])


def mutated(data: st.DataObject, text: str) -> Any:
    """The document of ``text`` with one to four structure-aware edits."""
    doc = json.loads(text)
    places = paths(doc)
    for _ in range(data.draw(st.integers(1, 4))):
        path = data.draw(st.sampled_from(places))
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            key = path[-1]
            old = parent[key]
        except (KeyError, IndexError, TypeError):
            continue
        if not isinstance(parent, dict | list):
            continue  # an earlier edit replaced the container
        edit = data.draw(EDITS)
        if edit == "drop" and isinstance(parent, dict):
            del parent[key]
        elif edit == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(old))
        elif edit == "retype":
            parent[key] = data.draw(st.sampled_from([[old], {"x": old}, "text", None, 1.5, True]))
        elif edit == "huge":
            parent[key] = HUGE
        elif edit == "deep":
            parent[key] = data.draw(st.sampled_from([deep(70), deep(200), DEEP]))
        else:
            parent[key] = data.draw(JSON)
    return doc


def commands(path: Path) -> list[list[str]]:
    """The four commands that read a file, each given ``path``."""
    return [
        ["validate", str(path)],
        ["lint", "--world", str(path)],
        ["compare", "--reform-file", str(path), *COMPARE],
        ["test", str(path)],
    ]


@contextmanager
def written(text: str, name: str) -> Iterator[Path]:
    """``text`` in a file called ``name`` in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        yield path


def run_all(text: str, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    with written(text, f"doc{suffix}") as path:
        for argv in commands(path):
            run(argv, capsys)


@FUZZ
@given(data=st.data())
def test_mutated_world_documents(data: st.DataObject, capsys: pytest.CaptureFixture[str]) -> None:
    text = text_of(mutated(data, catalogue_document()))
    with written(text, "world.json") as path:
        run(["validate", str(path)], capsys)
        run(["lint", "--world", str(path)], capsys)
        run(["test", "--world", str(path), str(CASES)], capsys)


@FUZZ
@given(data=st.data())
def test_mutated_reform_files(data: st.DataObject, capsys: pytest.CaptureFixture[str]) -> None:
    text = text_of(mutated(data, reform_document()))
    with written(text, "reform.json") as path:
        run(["compare", "--reform-file", str(path), *COMPARE], capsys)


@FUZZ
@given(data=st.data())
def test_mutated_case_files(data: st.DataObject, capsys: pytest.CaptureFixture[str]) -> None:
    text = text_of(mutated(data, case_document()))
    with written(text, "cases.json") as path:
        run(["test", str(path)], capsys)


@FUZZ
@given(value=JSON)
def test_any_json_value_for_every_command(value: Any, capsys: pytest.CaptureFixture[str]) -> None:
    run_all(text_of(value), ".json", capsys)


@FUZZ
@given(text=st.text(alphabet='[]{}=",.\n abcdefghst_0123456789-', max_size=80))
def test_any_text_for_every_command(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    run_all(text, ".toml", capsys)
    run_all(text, ".json", capsys)


@FUZZ
@given(day=st.dates())
def test_any_date_for_the_deciding_commands(
    day: dt.date, capsys: pytest.CaptureFixture[str]
) -> None:
    on = ["--on", day.isoformat()]
    run(["compare", "--buyers", "bytedance", "--items", "nvidia-h200", *on, "cap-16000"], capsys)
    run(["explain", "bytedance", "nvidia-h200", *on], capsys)
    run(["classify", "nvidia-h200", *on], capsys)


@pytest.mark.parametrize(
    "day", ["0000-01-01", "0001-01-01", "9999-12-31", "10000-01-01", "-0001-01-01"]
)
def test_dates_at_and_beyond_the_ends_of_time(day: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["explain", "bytedance", "nvidia-h200", "--on", day], capsys)
    assert code == (0 if day in ("0001-01-01", "9999-12-31") else 2)


@FUZZ
@given(lines=st.lists(JSON, min_size=1, max_size=4))
def test_any_json_lines_for_evaluate(lines: list[Any], capsys: pytest.CaptureFixture[str]) -> None:
    requests = [
        {"buyer": "bytedance", "item": "nvidia-h200", "on": "2026-02-01", "route": "TW,US,CN"},
        {"buyer": "bytedance", "item": "nvidia-h200", "on": "0001-01-01"},
        *lines,
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "requests.jsonl"
        path.write_text("\n".join(text_of(line) for line in requests) + "\n", encoding="utf-8")
        run(["evaluate", "--jsonl", str(path)], capsys)
