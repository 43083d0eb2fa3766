"""``geotech compute`` and ``geotech supply``: every public result from the command, rendered
as the library renders it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from geotech import catalog, compute, io, render, supply
from geotech.cli import main
from geotech.reforms import Rescind

ON = dt.date(2026, 2, 1)
WORLD = catalog.world()
H200 = compute.Order(chip="nvidia-h200", quantity=100_000, route=("TW", "US", "CN"))
H20 = compute.Order(chip="nvidia-h20", quantity=50_000)
B200 = compute.Order(chip="nvidia-b200", quantity=100_000)


def _out(argv: list[str], capsys: pytest.CaptureFixture[str], code: int = 0) -> str:
    assert main(argv) == code
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def test_compute_access(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["compute", "access", "ByteDance", "--on", "2026-02-01"]
    out = _out([*argv, "--order", "nvidia-h200=100000@TW,US,CN", "--order", "H20=50000"], capsys)
    expected = compute.accessible_compute(WORLD, "bytedance", ON, [H200, H20])
    assert out == render.to_text(expected)
    assert out.splitlines()[0] == (
        "Compute bytedance can expect on 2026-02-01 (bf16): 5.28e+19 FLOP/s expected, "
        "1.06e+20 FLOP/s if every order goes through"
    )


def test_compute_gap_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--format", "json", "compute", "gap", "--buyer", "bytedance", "--on", "2026-02-01"]
    argv += ["--order", "nvidia-h200=100000@TW,US,CN", "--versus", "openai"]
    out = _out([*argv, "--versus-order", "nvidia-b200=100000"], capsys)
    a = compute.accessible_compute(WORLD, "bytedance", ON, [H200])
    b = compute.accessible_compute(WORLD, "openai", ON, [B200])
    gap = compute.compute_gap(a, b)
    assert out == render.to_json(gap)
    assert io.from_data(json.loads(out), compute.ComputeGap) == gap
    assert round(json.loads(out)["ratio"], 4) == 0.2199


def test_supply_exposure_in_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--format", "markdown", "supply", "exposure", "nvidia", "--on", "2026-02-01"]
    out = _out([*argv, "--materials", "gallium,germanium"], capsys)
    expected = supply.exposure(WORLD, "nvidia", ON, materials=["gallium", "germanium"])
    assert out == render.to_markdown(expected)
    assert out.splitlines()[4] == (
        "| gallium | refining | 98.0% | 98.0% | "
        "CN 98% LICENSE_REQUIRED (case-by-case) [cn-mofcom-2023-23-ga-ge] |"
    )


def test_supply_chokepoints(capsys: pytest.CaptureFixture[str]) -> None:
    out = _out(["supply", "chokepoints", "--on", "2026-02-01", "--threshold", "0.95"], capsys)
    assert out == render.to_text(supply.chokepoints(WORLD, ON, 0.95))
    # EUV and ArF immersion scanners (NL 100 and 99.3 %), resist-processing tracks (JP 95.2 %),
    # two rare-earth groups, gallium and superhard materials
    assert out.splitlines()[0] == "7 chokepoints"


def test_supply_counter_with_a_reform_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    reform = tmp_path / "r.toml"
    reform.write_text(
        'name = "x"\n[[steps]]\ntype = "rescind"\npolicy = "cn-mofcom-2025-70-suspension"\n',
        encoding="utf-8",
    )
    argv = ["supply", "counter", "--producers", "KR", "--reform-file", str(reform)]
    out = _out([*argv, "--on", "2026-02-01"], capsys)
    reformed = Rescind("cn-mofcom-2025-70-suspension").apply(WORLD)
    assert out == render.to_text(supply.counter_scenario(WORLD, reformed, ON, ["KR"]))
    assert out.splitlines()[0] == "Counter-scenario on 2026-02-01: 3 inputs change"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["compute", "access", "bytedance", "--order", "nvidia-h100=5"],
            "--order: unknown chip 'nvidia-h100'; did you mean 'nvidia-h100-nvl'",
        ),
        (["supply", "exposure", "nvidiaa"], "PRODUCER: unknown company 'nvidiaa'"),
        (["supply", "chokepoints", "--threshold", "0"], "--threshold"),
        (["supply", "counter", "--producers", "KR"], "name a reform"),
    ],
)
def test_bad_input_is_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--on", "2026-02-01"]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
