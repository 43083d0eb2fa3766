"""``geotech cases``, ``geotech design-space``, ``geotech what-it-takes`` and ``geotech diff``:
exact pieces of their text, Markdown and JSON, checked against the analyses, and one-line usage
errors (exit 2)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

import geotech
from geotech import catalog, io
from geotech.analysis import Path as WhatItTakesPath
from geotech.analysis import design_space, diff
from geotech.cli import main
from geotech.policies import Restriction, ReviewPolicy, Verdict
from geotech.render.whatif import diff_rows
from worlds import SMALL_WORLD

ON = dt.date(2026, 2, 1)


def _out(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def _error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    return line


def test_cases_splits_bytedance_h200_on_the_end_use(capsys: pytest.CaptureFixture[str]) -> None:
    out = _out(
        ["cases", "bytedance", "nvidia-h200", "--on", "2026-02-01", "--route", "TW,US,CN"], capsys
    )
    assert out.splitlines() == [
        "4 cases over the unknown facts",
        "case  assumes" + " " * 95 + "verdict                  determined by",
        "1     request.end_use in {advanced_node_fabrication, supercomputer}"
        + " " * 41
        + "license (denial)*        us-bis-2023-10-17-supercomputer-end-use",
        "2     request.end_use not in {advanced_node_fabrication, military, "
        "state_funded_datacenter, supercomputer}  license (case-by-case)*  "
        "us-bis-2026-01-15-h200-case-by-case",
        "3     request.end_use in {military}"
        + " " * 73
        + "license (denial)*        us-bis-2020-06-29-military-end-use",
        "4     request.end_use in {state_funded_datacenter}"
        + " " * 58
        + "prohibited*              cn-2025-11-state-funded-dc-domestic-only",
        "* with conditions; ? not certain (depends on unknown facts)",
        "request: bytedance x nvidia-h200 on 2026-02-01",
        "route: TW -> US -> CN (as given)",
    ]


def test_cases_with_a_declared_end_use_is_one_certain_case(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["--format", "markdown", "cases", "bytedance", "nvidia-h200", "--on", "2026-02-01"]
    out = _out([*argv, "--end-use", "datacenter"], capsys)
    assert out.startswith("**1 case: no unknown fact changes the ruling**\n\n| case |")
    assert "| 1 | nothing | license (case-by-case)* | us-bis-2026-01-15-h200-case-by-case |" in (
        out
    )
    assert out.endswith(
        "- request: bytedance x nvidia-h200 on 2026-02-01\n"
        "- route: US -> CN (default: origin, then destination)\n"
        "- end use: datacenter\n"
    )


def test_cases_json_is_the_converters(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--format", "json", "cases", "bytedance", "nvidia-h200", "--on", "2026-02-01"]
    data = json.loads(_out([*argv, "--route", "TW,US,CN"], capsys))
    request = geotech.AccessRequest(
        buyer="bytedance", item="nvidia-h200", on=ON, route=("TW", "US", "CN")
    )
    expected = geotech.cases(catalog.world(), request)
    assert (data["buyer"], data["on"], data["route"], data["end_use"]) == (
        "bytedance",
        "2026-02-01",
        ["TW", "US", "CN"],
        None,
    )
    assert io.from_data(data["cases"], tuple[geotech.analysis.Case, ...]) == expected


DESIGN = [
    "design-space",
    "bytedance",
    "--on",
    "2024-01-01",
    "--route",
    "TW,US,CN",
    "--end-use",
    "datacenter",
    "--fixed",
    "performance_density=19.45",
    "--fixed",
    "datacenter=yes",
]


def test_design_space_of_the_2023_rules_at_h200_density(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _out(DESIGN, capsys).splitlines() == [
        "Design space for bytedance on 2024-01-01, route TW -> US -> CN, end use datacenter: "
        "2 regions over tpp x dram_bandwidth_gbs (fixed: datacenter yes, "
        "performance_density 19.45)",
        "tpp          dram_bandwidth_gbs  verdict           determined by",
        "(0, 1600)    (0, inf)            allowed           no restricting policy",
        "[1600, inf)  (0, inf)            license (denial)  us-bis-2023-10-17-acs-ifr, "
        "us-bis-2023-10-17-hq-rule",
        "* with conditions; ? not certain (depends on unknown facts)",
        "Largest specs by ruling:",
        "  - at most allowed: tpp < 1600, dram_bandwidth_gbs any",
    ]


def test_design_space_of_jan_2026_shows_the_case_by_case_box(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["design-space", "bytedance", "--on", "2026-02-01", "--route", "TW,US,CN"]
    out = _out([*argv, "--end-use", "datacenter"], capsys)
    lines = out.splitlines()
    assert "16 regions over tpp x dram_bandwidth_gbs" in lines[0]
    assert (
        "[4800, 21000)   (0, 4500]           license (case-by-case)*  "
        "us-bis-2026-01-15-h200-case-by-case"
    ) in lines
    assert lines[-1] == (
        "  - at most license (case-by-case): tpp < 4800, dram_bandwidth_gbs any or "
        "tpp < 21000, dram_bandwidth_gbs < 6500"
    )


def test_design_space_json_reads_back(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_out(["--format", "json", *DESIGN], capsys))
    expected = design_space(
        catalog.world(),
        buyer="bytedance",
        on=dt.date(2024, 1, 1),
        route=("TW", "US", "CN"),
        end_use="datacenter",
        fixed={"performance_density": 19.45, "datacenter": True},
    )
    assert io.from_data(data, geotech.analysis.DesignSpace) == expected


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["design-space", "bytedance", "--axes", "tpp,foo"],
            "geotech design-space: error: --axes: 'foo' is not a spec; use one of ['tpp',",
        ),
        (
            ["design-space", "bytedance", "--axes", "tpp", "--fixed", "tpp=3"],
            "geotech design-space: error: --fixed: ['tpp'] are axes; fix only the other specs",
        ),
        (
            ["design-space", "bytedance", "--fixed", "memory_gb=-1"],
            "argument --fixed: 'memory_gb=-1': memory_gb must be a number > 0",
        ),
        (
            ["design-space", "bytedance", "--fixed", "datacenter=maybe"],
            "argument --fixed: 'datacenter=maybe': datacenter is yes or no",
        ),
        (
            ["design-space", "bytedance", "--fixed", "speed=3"],
            "'speed=3': use SPEC=VALUE with SPEC one of tpp, performance_density,",
        ),
        (
            ["design-space", "nobody"],
            "geotech design-space: error: BUYER: unknown company 'nobody'",
        ),
        (
            ["design-space", "bytedance", "--designer", "nobody"],
            "geotech design-space: error: --designer: unknown company 'nobody'",
        ),
        (
            ["cases", "bytedance", "nvidia-h999"],
            "geotech cases: error: ITEM: unknown item 'nvidia-h999'",
        ),
        (
            ["what-it-takes", "bytedance", "nvidia-h200", "--target", "maybe"],
            "argument --target: 'maybe' names no verdict; use VERDICT or license_required/REVIEW",
        ),
        (
            ["what-it-takes", "bytedance", "nvidia-h200", "--target", "allowed/denial"],
            "'allowed/denial': only license_required takes a review after /",
        ),
        (
            ["what-it-takes", "bytedance", "nvidia-h200", "--target", "license_required/soon"],
            "'license_required/soon' names no review",
        ),
        (
            ["what-it-takes", "bytedance", "nvidia-h200"],
            "the following arguments are required: --target",
        ),
        (
            ["what-it-takes", "bytedance", "nvidia-h200", "--target", "allowed", "--most", "0"],
            "argument --most: expected a whole number >= 1, got '0'",
        ),
        (
            ["diff"],
            "geotech diff: error: name a reform (rescind-h200-rule, revoke-tencent, cap-16000, "
            "lapse-truce, extend-truce) or give --reform-file FILE",
        ),
        (
            ["diff", "nope"],
            "geotech diff: error: REFORM: unknown reform 'nope' (named reforms: ",
        ),
    ],
)
def test_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert message in _error(argv, capsys)


REVOKE = [
    "Reform: China revokes Tencent's H200 import authorization",
    (
        "46 classes of requests are ruled differently, in 19 rows of one item and one rul"
        "ing before and after (policies not shared: cn-2026-01-h200-import-approvals)"
    ),
    (
        "item         dates                        buyers   end uses                     "
        "                                                                    route       "
        "             shift  before                    after        after by"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  any but undeclared, advanced_"
        "node_fabrication, military, state_funded_datacenter, supercomputer  direct      "
        "             loses  license (case-by-case)*   prohibited*  cn-gac-2026-01-14-h20"
        "0-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  undeclared                   "
        "                                                                    direct      "
        "             loses  license (case-by-case)*?  prohibited*  cn-gac-2026-01-14-h20"
        "0-not-permitted"
    ),
    # the US already denied these end uses (744.21, 744.23); China's ban now decides, bare
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  military                     "
        "                                                                    direct      "
        "             loses  license (denial)*         prohibited   cn-gac-2026-01-14-h20"
        "0-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  military                     "
        "                                                                    via MM      "
        "             loses  license (denial)*         prohibited   cn-gac-2026-01-14-h20"
        "0-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  military                     "
        "                                                                    via KH      "
        "             loses  license (denial)*         prohibited   cn-gac-2026-01-14-h20"
        "0-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  military                     "
        "                                                                    via BY      "
        "             loses  license (denial)*         prohibited   cn-gac-2026-01-14-h20"
        "0-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  military                     "
        "                                                                    via AE, AM, "
        "AZ +19 more  loses  license (denial)*         prohibited   cn-gac-2026-01-14-h20"
        "0-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  military                     "
        "                                                                    via AF, AL, "
        "AR +65 more  loses  license (denial)*         prohibited   cn-gac-2026-01-14-h20"
        "0-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  military                     "
        "                                                                    via NI      "
        "             loses  license (denial)*         prohibited   cn-gac-2026-01-14-h20"
        "0-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  advanced_node_fabrication, su"
        "percomputer                                                         via AE, AM, "
        "AZ +20 more  loses  license (denial)*         prohibited   cn-gac-2026-01-14-h20"
        "0-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  advanced_node_fabrication, su"
        "percomputer                                                         via AF, AL, "
        "AR +68 more  loses  license (denial)*         prohibited   cn-gac-2026-01-14-h20"
        "0-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  advanced_node_fabrication, su"
        "percomputer                                                         direct      "
        "             loses  license (denial)*         prohibited   cn-gac-2026-01-14-h20"
        "0-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  any but undeclared, advanced_"
        "node_fabrication, military, state_funded_datacenter, supercomputer  via AE, AM, "
        "AZ +20 more  loses  license (denial)*         prohibited*  cn-gac-2026-01-14-h20"
        "0-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  any but undeclared, advanced_"
        "node_fabrication, military, state_funded_datacenter, supercomputer  via AF, AL, "
        "AR +68 more  loses  license (denial)*         prohibited*  cn-gac-2026-01-14-h20"
        "0-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  undeclared                   "
        "                                                                    via AE, AM, "
        "AZ +20 more  loses  license (denial)*?        prohibited*  cn-gac-2026-01-14-h20"
        "0-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  undeclared                   "
        "                                                                    via AF, AL, "
        "AR +68 more  loses  license (denial)*?        prohibited*  cn-gac-2026-01-14-h20"
        "0-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  state_funded_datacenter      "
        "                                                                    direct      "
        "             terms  prohibited*               prohibited*  cn-2025-11-state-fund"
        "ed-dc-domestic-only, cn-gac-2026-01-14-h200-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  state_funded_datacenter      "
        "                                                                    via AE, AM, "
        "AZ +20 more  terms  prohibited*               prohibited*  cn-2025-11-state-fund"
        "ed-dc-domestic-only, cn-gac-2026-01-14-h200-not-permitted"
    ),
    (
        "nvidia-h200  2026-01-28 until 2026-12-05  tencent  state_funded_datacenter      "
        "                                                                    via AF, AL, "
        "AR +68 more  terms  prohibited*               prohibited*  cn-2025-11-state-fund"
        "ed-dc-domestic-only, cn-gac-2026-01-14-h200-not-permitted"
    ),
    "* with conditions; ? not certain (depends on unknown facts)",
]


def test_diff_of_a_named_reform(capsys: pytest.CaptureFixture[str]) -> None:
    assert _out(["diff", "revoke-tencent"], capsys).splitlines() == REVOKE


def test_diff_of_a_reform_file_matches_the_named_reform(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "revoke.toml"
    path.write_text(
        'type = "deauthorize"\nname = "revoke"\npolicy = "cn-2026-01-h200-import-approvals"\n'
        'buyers = ["tencent"]\n',
        encoding="utf-8",
    )
    out = _out(["--format", "markdown", "diff", "--reform-file", str(path)], capsys)
    assert out.startswith("**Reform:** revoke\n\n**46 classes of requests are ruled differently")
    assert (
        "| nvidia-h200 | 2026-01-28 until 2026-12-05 | tencent | undeclared | direct | loses | "
        "license (case-by-case)*? | prohibited* | cn-gac-2026-01-14-h200-not-permitted |"
    ) in out.splitlines()


def test_diff_json_rows_are_the_joined_cells(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_out(["--format", "json", "diff", "revoke-tencent"], capsys))
    world = catalog.world()
    found = diff(world, catalog.reforms()["revoke-tencent"].apply(world))
    assert (data["changed"], data["classes"]) == (["cn-2026-01-h200-import-approvals"], 46)
    rows = io.from_data(data["rows"], tuple[geotech.render.whatif.DiffRow, ...])
    assert rows == diff_rows(found)
    assert sum(r.classes for r in rows) == len(found.cells)


def test_a_bad_reform_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('type = "rescind"\nname = "x"\n', encoding="utf-8")
    line = _error(["diff", "--reform-file", str(path)], capsys)
    assert line == (
        f"geotech diff: error: --reform-file invalid document in {path}: $: missing required "
        "key 'policy'"
    )


WHAT_IT_TAKES = [
    "what-it-takes",
    "bytedance",
    "nvidia-h200",
    "--on",
    "2025-06-01",
    "--route",
    "TW,US,CN",
    "--end-use",
    "datacenter",
    "--target",
    "license_required/case_by_case",
    "--most",
    "1",
]


def test_what_it_takes_lists_the_single_changes(capsys: pytest.CaptureFixture[str]) -> None:
    lines = _out(WHAT_IT_TAKES, capsys).splitlines()
    assert lines[0] == "13 minimal sets of changes reach the target"
    assert re.split(r"\s{2,}", lines[2]) == [
        "1",
        "on or after 2019-01-01 and before 2022-10-07",
        "allowed",
        "no restricting policy",
    ]
    assert "obtain nvidia-rtx-pro-6000-blackwell instead" in lines[11]
    assert "TPP in [2400, 4800)" in lines[12]
    assert re.split(r"\s{2,}", lines[14]) == [
        "13",
        "on or after 2026-01-28 and before 2026-12-05",
        "license (case-by-case)*",
        "us-bis-2026-01-15-h200-case-by-case",
    ]
    assert lines[-4:] == [
        "target: at most license (case-by-case)",
        "request: bytedance x nvidia-h200 on 2025-06-01",
        "route: TW -> US -> CN (as given)",
        "end use: datacenter",
    ]


def test_what_it_takes_json_reads_back(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_out(["--format", "json", *WHAT_IT_TAKES], capsys))
    request = geotech.AccessRequest(
        buyer="bytedance",
        item="nvidia-h200",
        on=dt.date(2025, 6, 1),
        route=("TW", "US", "CN"),
        end_use="datacenter",
    )
    expected = geotech.what_it_takes(
        catalog.world(), request, (Verdict.LICENSE_REQUIRED, ReviewPolicy.CASE_BY_CASE), most=1
    )
    assert (data["target"], data["most"]) == ("license_case_by_case", 1)
    assert io.from_data(data["paths"], tuple[WhatItTakesPath, ...]) == expected
    assert [c["kind"] for c in data["paths"][0]["changes"]] == ["date"]


def test_a_request_at_the_target_is_one_path_as_asked(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--format", "markdown", *WHAT_IT_TAKES[:-4], "--target", "license_required"]
    out = _out(argv, capsys)
    assert out.startswith(
        "**The request as asked reaches the target**\n\n"
        "| path | changes | verdict | determined by |"
    )
    assert "- target: at most license (any review)" in out.splitlines()
    goal = geotech.analysis.paths.as_restriction(Verdict.LICENSE_REQUIRED)
    assert goal is Restriction.LICENSE_DENIAL


def test_no_path_within_reach_is_said_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world = tmp_path / "small.toml"
    world.write_text(SMALL_WORLD, encoding="utf-8")
    argv = ["--world", str(world), "what-it-takes", "buyer", "x1", "--on", "2026-01-01"]
    out = _out([*argv, "--target", "allowed", "--most", "1"], capsys)
    assert out.splitlines() == [
        "No set of at most 1 change reaches the target",
        "target: at most allowed",
        "request: buyer x x1 on 2026-01-01",
        "route: US -> CN (default: origin, then destination)",
    ]
    data = json.loads(_out(["--format", "json", *argv, "--target", "allowed"], capsys))
    assert (data["paths"], data["target"], data["most"]) == ([], "allowed", 2)


def test_diff_direct_decides_the_direct_routes_only(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_out(["--format", "json", "diff", "revoke-tencent", "--direct"], capsys))
    world = catalog.world()
    found = diff(world, catalog.reforms()["revoke-tencent"].apply(world), transit=False)
    assert data["classes"] == len(found.cells) == 14
    rows = io.from_data(data["rows"], tuple[geotech.render.whatif.DiffRow, ...])
    assert {r.direct for r in rows} == {True}
