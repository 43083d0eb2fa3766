"""The options every deciding command shares: ``--end-use``, ``--route``/``--via``,
``--world``, ``--format``, each defined once in ``geotech.cli.shared``, and the route (and end
use) each answer was decided on, printed with the answer."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import attrs
import pytest

import geotech.cli
from geotech import AccessRequest, EndUseKind, World, analysis, catalog, compute, io, render
from geotech.cli import main

ON = dt.date(2026, 2, 1)
VIA_US = ("TW", "US", "CN")
CLI = Path(geotech.cli.__file__).parent


@pytest.fixture(scope="module")
def world() -> World:
    return catalog.world()


def _help(command: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main([*command, "--help"]) == 0
    return capsys.readouterr().out


#: The deciding commands and the shared options each takes.
DECIDING = {
    ("explain",): ("--end-use", "--route", "--destination", "--world", "--format"),
    ("matrix",): ("--end-use", "--route", "--world", "--format"),
    ("timeline",): ("--end-use", "--route", "--destination", "--world", "--format"),
    ("compare",): ("--end-use", "--route", "--world", "--format"),
    ("route",): ("--end-use", "--via", "--destination", "--world", "--format"),
    ("cases",): ("--end-use", "--route", "--destination", "--world", "--format"),
    ("design-space",): ("--end-use", "--route", "--destination", "--world", "--format"),
    ("what-it-takes",): ("--end-use", "--route", "--destination", "--world", "--format"),
    ("diff",): ("--world", "--format"),
    ("plot", "timeline"): ("--end-use", "--world"),
    ("plot", "matrix"): ("--end-use", "--route", "--world"),
    ("plot", "gap"): ("--end-use", "--world"),
    ("plot", "design-space"): ("--end-use", "--route", "--destination", "--world"),
    ("evaluate",): ("--jsonl", "--world"),
    ("test",): ("--world", "--format"),
    # compute: each order carries its route (CHIP=COUNT@ROUTE)
    ("compute", "gap"): ("--end-use", "--order", "--world", "--format"),
    ("compute", "access"): ("--end-use", "--order", "--world", "--format"),
    # supply: the route is the inputs' way to the producer (--at)
    ("supply", "exposure"): ("--end-use", "--at", "--world", "--format"),
    ("supply", "counter"): ("--end-use", "--world", "--format"),
}


@pytest.mark.parametrize("command", sorted(DECIDING), ids=" ".join)
def test_every_deciding_command_takes_the_shared_options(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    text = _help(list(command), capsys)
    for option in DECIDING[command]:
        assert re.search(rf"^  {option}\b", text, re.M), option


@pytest.mark.parametrize(
    "option", ["--end-use", "--route", "--via", "--destination", "--world", "--format"]
)
def test_each_option_is_defined_once(option: str) -> None:
    defining = re.compile(rf'add_argument\(\s*"{option}"')
    defined = sorted(
        path.name for path in CLI.glob("*.py") if defining.search(path.read_text(encoding="utf-8"))
    )
    assert defined == ["shared.py"]


def test_the_end_use_means_the_same_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    helps = {
        command: re.search(
            r"^  --end-use USE\s+(.*?)(?=^  -|^$)", _help(list(command), capsys), re.M | re.S
        )
        for command in DECIDING
        if "--end-use" in DECIDING[command]
    }
    texts = {" ".join(m[1].split()) for m in helps.values() if m is not None}
    assert len(helps) == len([c for c in DECIDING if "--end-use" in DECIDING[c]]) == 16
    assert texts == {
        f"declared end use, one of {', '.join(EndUseKind)}; variant spellings such as 'data "
        "centre' are read as these (default: undeclared; rules that turn on it make the answer "
        "uncertain)"
    }


# ---------------------------------------------------------------------------------------------
# The answers, with their route


def _out(argv: list[str], capsys: pytest.CaptureFixture[str], code: int = 0) -> str:
    assert main(argv) == code
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def test_matrix_end_use_settles_the_unknowns(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["matrix", "--buyers", "bytedance,huawei", "--items", "nvidia-h200,nvidia-h20"]
    out = _out(
        [*argv, "--on", "2026-02-01", "--route", "TW,US,CN", "--end-use", "datacenter"], capsys
    )
    assert out == (
        "Access on 2026-02-01, route TW -> US -> CN\n"
        "buyer      nvidia-h200                                  nvidia-h20\n"
        "bytedance  US license (case-by-case) / CN conditional*  "
        "US license (approval) / CN discouraged*\n"
        "huawei     CN prohibited / US license (denial)*         "
        "US license (denial) / CN discouraged\n"
        "* with conditions; ? not certain (depends on unknown facts)\n"
        "route: TW -> US -> CN (as given)\n"
        "end use: datacenter\n"
    )
    undeclared = _out([*argv, "--on", "2026-02-01", "--route", "TW,US,CN"], capsys)
    assert "US license (case-by-case) / CN conditional*?" in undeclared
    assert "end use" not in undeclared


def test_matrix_json_cells_carry_their_route(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["matrix", "--buyers", "bytedance,openai", "--items", "nvidia-h200,huawei-ascend-910c"]
    data = json.loads(
        _out([*argv, "--on", "2026-02-01", "--end-use", "datacenter", "--format", "json"], capsys)
    )
    assert (data["route"], data["end_use"]) == (None, "datacenter")
    assert [(x["buyer"], x["item"], x["route"]) for x in data["cells"]] == [
        ("bytedance", "nvidia-h200", ["US", "CN"]),
        ("bytedance", "huawei-ascend-910c", ["CN"]),
        ("openai", "nvidia-h200", ["US"]),
        ("openai", "huawei-ascend-910c", ["CN", "US"]),
    ]
    expected = analysis.access_matrix(
        world,
        ["bytedance", "openai"],
        ["nvidia-h200", "huawei-ascend-910c"],
        ON,
        end_use="datacenter",
    )
    for cell, want in zip(data["cells"], io.to_data(expected)["cells"], strict=True):
        del cell["route"]
        assert cell == json.loads(io.dumps_json(want))


def test_timeline_prints_route_and_end_use(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _out(
        [
            "timeline",
            "bytedance",
            "nvidia-h200",
            "--start",
            "2026-01-01",
            "--end",
            "2026-02-01",
            "--end-use",
            "datacenter",
        ],
        capsys,
    )
    request = AccessRequest(
        buyer="bytedance", item="nvidia-h200", on=dt.date(2026, 1, 1), end_use="datacenter"
    )
    expected = analysis.timeline(world, request, dt.date(2026, 1, 1), ON)
    assert out == render.to_text(expected) + (
        "route: US -> CN (default: origin, then destination)\nend use: datacenter\n"
    )


def test_timeline_markdown_lists_route_and_end_use(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["timeline", "bytedance", "nvidia-h200", "--start", "2026-01-01", "--end", "2026-02-01"]
    out = _out([*argv, "--end-use", "datacenter", "--format", "markdown"], capsys)
    assert out.endswith(
        "|\n\n- route: US -> CN (default: origin, then destination)\n- end use: datacenter\n"
    )


def test_compare_with_end_use(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["compare", "revoke-tencent", "--buyers", "tencent,bytedance", "--items", "nvidia-h200"]
    out = _out(
        [*argv, "--on", "2026-02-01", "--route", "TW,US,CN", "--end-use", "datacenter"], capsys
    )
    reformed = catalog.reforms()["revoke-tencent"](world)
    requests = [
        AccessRequest(buyer=b, item="nvidia-h200", on=ON, route=VIA_US, end_use="datacenter")
        for b in ("tencent", "bytedance")
    ]
    expected = analysis.compare(world, reformed, requests)
    assert out == (
        "Reform: China revokes Tencent's H200 import authorization, on 2026-02-01\n"
        + render.to_text(expected)
        + "route: TW -> US -> CN (as given)\nend use: datacenter\n"
    )
    assert "license (case-by-case)* " in out  # certain before the reform: end use declared


def test_route_with_end_use(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["route", "bytedance", "nvidia-h200", "--on", "2026-02-01", "--origin", "TW"]
    out = _out([*argv, "--via", "US", "--end-use", "datacenter"], capsys)
    request = AccessRequest(
        buyer="bytedance", item="nvidia-h200", on=ON, route=("TW", "CN"), end_use="datacenter"
    )
    expected = analysis.best_route(world, request, [(), ("US",)])
    assert out == render.to_text(expected) + "end use: datacenter\n"
    assert [o.decision.certain for o in expected.options] == [True, True]


def test_explain_json_has_route_and_end_use(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["explain", "bytedance", "nvidia-h200", "--on", "2026-02-01"]
    data = json.loads(_out([*argv, "--end-use", "datacenter", "--format", "json"], capsys))
    assert data["route"] == ["US", "CN"]
    assert data["request"]["end_use"] == "datacenter"
    assert data["ruling"]["certain"] is True


def test_routes_that_differ_are_listed_with_who_took_them(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["matrix", "--buyers", "bytedance,openai", "--items", "nvidia-h200,huawei-ascend-910c"]
    out = _out([*argv, "--on", "2026-02-01"], capsys)
    assert out.endswith(
        "routes (default: origin, then destination):\n"
        "  US -> CN: bytedance x nvidia-h200\n"
        "  CN: bytedance x huawei-ascend-910c\n"
        "  US: openai x nvidia-h200\n"
        "  CN -> US: openai x huawei-ascend-910c\n"
    )


def test_plots_take_the_end_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib", reason="pictures need the plot extra")
    out = tmp_path / "m.svg"
    argv = ["plot", "matrix", "--buyers", "bytedance", "--items", "nvidia-h200"]
    assert main([*argv, "--on", "2026-02-01", "--end-use", "datacenter", "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    assert "license (case-by-case)*" in out.read_text(encoding="utf-8")


def test_gap_orders_take_the_end_use(world: World) -> None:
    # what ``plot gap --end-use`` hands to compute: every order with the end use declared
    orders = [compute.Order(chip="nvidia-h200", quantity=1000, route=VIA_US)]
    declared = [attrs.evolve(o, end_use="datacenter") for o in orders]
    got = compute.accessible_compute(world, "bytedance", ON, declared)
    assert all(x.decision.certain for x in got.orders)
    assert not all(
        x.decision.certain
        for x in compute.accessible_compute(world, "bytedance", ON, orders).orders
    )
