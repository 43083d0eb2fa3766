"""The rare-earth leverage example runs, and its key figures are the sourced ones: US licence
requirements for Chinese buyers on one side; on the other, the shares of world supply under
Chinese controls (USGS 98 % of gallium, ~99 % of heavy rare-earth refining, IEA 94 % of magnets
plus Japan's 3 % under the 0.1 % rule) switching with the instruments' dates.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from geotech import ReviewPolicy, Verdict, World, catalog

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "rare_earth_leverage.py"


@pytest.fixture(scope="module")
def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("rare_earth_leverage", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def world() -> World:
    return catalog.world()


def test_main_prints_both_levers(example: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    example.main()
    lines = [" ".join(line.split()) for line in capsys.readouterr().out.splitlines()]
    assert lines[0] == "US lever: Chinese buyers x US chips (route US -> CN)"
    assert any(
        x.startswith("bytedance x nvidia-h200 LICENSE_REQUIRED (presumption of denial)")
        for x in lines
    )
    assert lines.count("rare-earths-medium-heavy 99% 99% 99% 99%") == 3
    assert "rare-earth-magnets 97% 97% 97% 97%" in lines
    assert any(x.startswith("US superhard-materials 0% -> 95%") for x in lines)


def test_us_lever_denies_h200_to_chinese_buyers_in_2025(example: ModuleType, world: World) -> None:
    verdicts = example.chip_verdicts(world)
    on = example.DATES[0]
    for buyer in example.BUYERS:
        d = verdicts[buyer, "nvidia-h200", on]
        assert (d.verdict, d.review) == (
            Verdict.LICENSE_REQUIRED,
            ReviewPolicy.PRESUMPTION_OF_DENIAL,
        )


#: input -> shares under Chinese controls for a US producer on the example's three dates.
US_PRODUCER = {
    "gallium": (0.98, 0.98, 0.98),
    "superhard-materials": (0.95, 0.0, 0.95),
    "rare-earths-medium-heavy": (0.99, 0.99, 0.99),
    "rare-earths-ho-er-tm-eu-yb": (0.0, 0.0, 0.99),
    "rare-earth-magnets": (0.94, 0.94, 0.97),
}


def test_china_lever_figures(example: ModuleType, world: World) -> None:
    exposures = example.mineral_exposure(world)
    for material, expected in US_PRODUCER.items():
        for producer in ("nvidia", "US"):
            got = tuple(exposures[producer, on].share(material) for on in example.DATES)
            assert got == pytest.approx(expected), (producer, material)
    # The US-specific ban never reached Taiwan; the October 2025 package reaches everyone.
    taiwan = tuple(exposures["TW", on].share("superhard-materials") for on in example.DATES)
    assert taiwan == (0.0, 0.0, 0.95)


def test_counter_scenario_figures(example: ModuleType, world: World) -> None:
    scenario = example.package_returns(world)
    korea = {c.material: (c.before, c.after) for c in scenario.changes if c.producer == "KR"}
    assert korea == {
        "rare-earth-magnets": (0.94, pytest.approx(0.97)),
        "rare-earths-ho-er-tm-eu-yb": (0.0, 0.99),
        "superhard-materials": (0.0, 0.95),
    }
    # Chips with dependency records (chips added without supply data need no input).
    supplied = {d.item for d in world.dependencies}
    nvidia_chips = sorted(c.id for c in world.chips if c.designer == "nvidia" and c.id in supplied)
    assert list(scenario.chips_newly_controlled("nvidia")) == nvidia_chips
