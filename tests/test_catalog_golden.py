"""Golden cases of the H200 story, evaluated against the embedded catalogue.

The cases live in decision test files (``tests/cases/*.toml``, the format ``geotech test``
reads) and run through ``geotech.casefile.run_cases``. Every expected verdict, review policy,
determining policy, outcome leg by leg and key condition is written from the sources
(../shared/reference/regulations.md, entry numbers in each case's ``why``), not from the
engine's output. ``h200_story.toml`` is decided with the reported policies,
``official_only.toml`` with the official ones only.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from geotech import catalog
from geotech.casefile import Case, CaseResult, cases_from_data, run_cases

CASES = Path(__file__).parent / "cases"
#: Each case file and whether its world includes the reported policies.
FILES = {"h200_story.toml": True, "official_only.toml": False}


def load(name: str) -> tuple[Case, ...]:
    path = CASES / name
    return cases_from_data(tomllib.loads(path.read_text(encoding="utf-8")), str(path))


def _results() -> dict[str, CaseResult]:
    out: dict[str, CaseResult] = {}
    for name, reported in FILES.items():
        report = run_cases(catalog.world(include_reported=reported), load(name))
        out.update((r.case.name, r) for r in report.results)
    return out


RESULTS = _results()


def test_every_case_is_kept() -> None:
    assert sorted(p.name for p in CASES.glob("*.toml")) == sorted(FILES)
    assert len(RESULTS) == 14
    for result in RESULTS.values():
        case = result.case
        assert case.why
        # every case pins the whole answer, leg by leg
        assert None not in (case.certain, case.determining, case.conditions, case.outcomes)
        assert case.unknowns is not None


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_golden(name: str) -> None:
    result = RESULTS[name]
    shown = "\n".join([*map(str, result.differences), result.decision.explain()])
    assert result.differences == (), shown
