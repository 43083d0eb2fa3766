"""Golden cases of the H200 story, evaluated against the embedded catalogue.

The cases live in decision test files (``tests/cases/*.toml``, the format ``geotech test``
reads) and run through ``geotech.casefile.run_cases``. Every expected verdict, review policy,
determining policy, outcome leg by leg and key condition is written from the sources
(../shared/reference/regulations.md, entry numbers in each case's ``why``), not from the
engine's output. ``h200_story.toml`` is decided with the reported policies,
``official_only.toml`` with the official ones only.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from geotech import AccessRequest, ReviewPolicy, Verdict, catalog, evaluate, io
from geotech.casefile import Case, CaseResult, cases_from_data, run_cases

CASES = Path(__file__).parent / "cases"
#: Each case file and whether its world includes the reported policies.
FILES = {
    "china.toml": True,
    "chips.toml": True,
    "chips_2026.toml": False,
    "end_use.toml": True,
    "entity_list.toml": True,
    "equipment.toml": True,
    "equipment_2025.toml": True,
    "events_2026.toml": True,
    "h200_story.toml": True,
    "limits.toml": True,
    "lists_2026.toml": True,
    "military.toml": True,
    "official_only.toml": False,
    "ownership.toml": True,
    "rulebook.toml": True,
    "us_timeline.toml": True,
}


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
    assert len(RESULTS) == 212
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


AFFILIATES = "us-bis-2025-09-29-affiliates-rule"  # entry 11
AFFILIATES_SUSPENSION = "us-bis-2025-11-10-affiliates-suspension"  # entry 10 (Busan truce)

# The affiliates rule (entry 11) was suspended, not ended: the suspension rule of 10 Nov 2025
# sets it aside through 9 Nov 2026 and reimposes it on 10 Nov 2026 absent an extension (none is
# recorded). The catalogue has no unlisted affiliate of a listed party, so one is added: a
# Singapore subsidiary of Huawei (Entity List since 2019). The item is the RTX 4090 D, a consumer
# card outside 3A090 (TPP 4,707 < 4,800), so the headquarters rule does not reach it and only the
# Entity List policies can: the affiliate needs a license while the rule runs, none during the
# suspension (the suspension decides), and one again from 2026-11-10.
AFFILIATE_CASES = [
    (
        dt.date(2025, 10, 1),
        Verdict.LICENSE_REQUIRED,
        ReviewPolicy.PRESUMPTION_OF_DENIAL,
        (AFFILIATES,),
    ),
    (dt.date(2025, 11, 10), Verdict.ALLOWED, None, (AFFILIATES_SUSPENSION,)),
    (dt.date(2026, 11, 9), Verdict.ALLOWED, None, (AFFILIATES_SUSPENSION,)),
    (
        dt.date(2026, 11, 10),
        Verdict.LICENSE_REQUIRED,
        ReviewPolicy.PRESUMPTION_OF_DENIAL,
        (AFFILIATES,),
    ),
]


@pytest.mark.parametrize(("on", "verdict", "review", "determining"), AFFILIATE_CASES)
def test_affiliates_rule_suspension(
    on: dt.date, verdict: Verdict, review: ReviewPolicy | None, determining: tuple[str, ...]
) -> None:
    data = io.world_to_data(catalog.world())
    data["companies"].append(
        {
            "id": "huawei-sg",
            "name": "Huawei affiliate (Singapore)",
            "hq": "SG",
            "owners": [{"owner": "huawei", "percent": 100}],
        }
    )
    world = io.world_from_data(data)
    request = AccessRequest(buyer="huawei-sg", item="nvidia-rtx-4090d", on=on, route=("US", "SG"))
    decision = evaluate(world, request)
    explanation = decision.explain()
    assert decision.verdict is verdict, explanation
    assert decision.review is review, explanation
    assert decision.determining_policies == determining, explanation
