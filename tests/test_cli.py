"""The ``geotech`` command, end to end: each subcommand runs in a subprocess and its output and
exit code are checked against the library's own answer; bad input (unknown ids, impossible
dates, malformed files) gives one line on stderr and exit code 2 (1 for findings).

The commands documented in docs/cli.md run in-process and must print what the page shows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path

import pytest

import geotech
from geotech import (
    AccessRequest,
    Chip,
    Precision,
    Throughput,
    World,
    analysis,
    catalog,
    evaluate,
    io,
    reforms,
    render,
)
from geotech.cli import main
from geotech.errors import DocumentError
from geotech.policies import AnyPolicy
from worlds import SMALL_WORLD

ON = dt.date(2026, 2, 1)
#: The folder of the geotech under test: subprocesses run in other folders import it from here.
SOURCES = Path(geotech.__file__).resolve().parent.parent
DOCS = Path(__file__).resolve().parent.parent / "docs" / "cli.md"

#: Three problems in three places: a wrong type, a dangling reference, an unknown key.
MALFORMED_WORLD = """\
schema_version = 1

[[states]]
id = "US"
name = "United States"

[[companies]]
id = "acme"
name = "Acme"
hq = "XX"

[[chips]]
id = "big-chip"
name = "Big chip"
designer = "acme"
die_area_mm2 = "big"
colour = "red"
"""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geotech.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(SOURCES)},
        timeout=300,
        check=False,
    )


def assert_usage_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """Exit code 2, nothing on stdout, one line on stderr holding every fragment."""
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    for fragment in fragments:
        assert fragment in line
    return line


@pytest.fixture(scope="module")
def world() -> World:
    return catalog.world()


# ---------------------------------------------------------------------------------------------
# explain


def test_explain_prints_the_decision(world: World) -> None:
    result = run("explain", "bytedance", "nvidia-h200", "--on", "2026-02-01", "--route", "tw,US,CN")
    request = AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, route=("TW", "US", "CN"))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == render.to_text(evaluate(world, request))
    assert "Verdict: LICENSE_REQUIRED (case-by-case)" in result.stdout


def test_explain_trace_prints_the_full_trace(world: World) -> None:
    result = run("explain", "bytedance", "nvidia-h20", "--on", "2026-02-01", "--trace")
    decision = evaluate(world, AccessRequest(buyer="bytedance", item="nvidia-h20", on=ON))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == decision.explain() + "\n"
    markdown = run(
        "explain",
        "bytedance",
        "nvidia-h20",
        "--on",
        "2026-02-01",
        "--trace",
        "--format",
        "markdown",
    )
    assert markdown.stdout == (
        render.to_markdown(decision) + "\n```text\n" + decision.explain() + "\n```\n"
    )


def test_explain_json_with_global_options_first(world: World) -> None:
    result = run(
        "--format",
        "json",
        "explain",
        "huawei",
        "nvidia-h20",
        "--on",
        "2026-02-01",
        "--quantity",
        "1000",
        "--end-use",
        "datacenter",
    )
    request = AccessRequest(
        buyer="huawei", item="nvidia-h20", on=ON, quantity=1000, end_use="datacenter"
    )
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data == json.loads(render.to_json(evaluate(world, request)))
    assert data["route"] == ["US", "CN"]
    assert "route" not in data["request"]  # the request as asked


def test_unknown_id_suggests_the_close_ones() -> None:
    line = assert_usage_error(
        run("explain", "bytedanse", "nvidia-h200", "--on", "2026-02-01"),
        "geotech explain: error: BUYER: unknown company 'bytedanse'",
        "did you mean 'bytedance'",
        "geotech catalog companies",
    )
    assert "Traceback" not in line


def test_impossible_date_is_named() -> None:
    assert_usage_error(
        run("explain", "bytedance", "nvidia-h200", "--on", "2026-02-30"),
        "argument --on: 2026-02-30 is not a calendar date (day is out of range for month)",
        "YYYY-MM-DD",
    )


def test_matrix_markdown(world: World) -> None:
    result = run(
        "matrix",
        "--buyers",
        "bytedance,openai,huawei",
        "--items",
        "nvidia-h200,nvidia-h20",
        "--on",
        "2026-02-01",
        "--format",
        "markdown",
    )
    expected = analysis.access_matrix(
        world, ["bytedance", "openai", "huawei"], ["nvidia-h200", "nvidia-h20"], ON
    )
    routes = (
        "\n- routes (default: origin, then destination):\n"
        "  - US -> CN: bytedance, huawei x nvidia-h200, nvidia-h20\n"
        "  - US: openai x nvidia-h200, nvidia-h20\n"
    )
    assert (result.returncode, result.stdout) == (0, render.to_markdown(expected) + routes)
    assert "| openai | allowed | allowed |" in result.stdout


def test_timeline_json(world: World) -> None:
    result = run(
        "timeline",
        "bytedance",
        "nvidia-h200",
        "--start",
        "2025-01-01",
        "--end",
        "2026-03-01",
        "--route",
        "TW,US,CN",
        "--format",
        "json",
    )
    request = AccessRequest(
        buyer="bytedance", item="nvidia-h200", on=dt.date(2025, 1, 1), route=("TW", "US", "CN")
    )
    expected = analysis.timeline(world, request, dt.date(2025, 1, 1), dt.date(2026, 3, 1))
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data.pop("route") == ["TW", "US", "CN"]  # the route every answer was decided on
    assert data == json.loads(render.to_json(expected))
    assert [x["on"] for x in data["changes"]] == [x.on.isoformat() for x in expected.changes]


def test_route_ranks_the_candidates(world: World) -> None:
    result = run(
        "route",
        "bytedance",
        "nvidia-h200",
        "--on",
        "2026-02-01",
        "--origin",
        "TW",
        "--via",
        "US,SG,MY+SG",
        "--format",
        "json",
    )
    request = AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, route=("TW", "CN"))
    expected = analysis.best_route(world, request, [(), ("US",), ("SG",), ("MY", "SG")])
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data == json.loads(render.to_json(expected))
    assert data["options"][0]["route"] == list(expected.best.route)
    assert len(data["options"]) == 4


# ---------------------------------------------------------------------------------------------
# compare


def test_compare_chains_named_reforms(world: World) -> None:
    result = run(
        "compare",
        "revoke-tencent",
        "cap-16000",
        "--buyers",
        "bytedance,tencent",
        "--items",
        "nvidia-h200,amd-mi325x",
        "--on",
        "2026-02-01",
        "--format",
        "json",
    )
    reform = catalog.reforms()["revoke-tencent"].then(catalog.reforms()["cap-16000"])
    requests = [
        AccessRequest(buyer=b, item=i, on=ON)
        for b in ("bytedance", "tencent")
        for i in ("nvidia-h200", "amd-mi325x")
    ]
    expected = analysis.compare(world, reform(world), requests)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data.pop("reform") == reform.name
    assert data.pop("on") == "2026-02-01"
    assert (data.pop("route"), data.pop("end_use")) == (None, None)
    assert [x.pop("route") for x in data["changes"]] == [["US", "CN"]] * len(data["changes"])
    assert data == json.loads(render.to_json(expected))
    assert ("tencent", "nvidia-h200", "prohibited") in {
        (
            x["after"]["request"]["buyer"],
            x["after"]["request"]["item"],
            x["after"]["ruling"]["verdict"],
        )
        for x in data["changes"]
    }


REFORM_FILE = """\
name = "a tougher 2026"

[[steps]]
type = "deauthorize"
policy = "cn-2026-01-h200-import-approvals"
buyers = ["tencent"]

[[steps]]
type = "change_threshold"
policy = "us-bis-2026-01-15-h200-case-by-case"
fact = "tpp"
value = 16000

[[steps]]
type = "list"
list = "us-entity-list"
company = "alibaba"
start = 2026-01-20

[[steps]]
type = "rescind"
policy = "cn-2025-08-h20-guidance"

[[steps]]
type = "add_policy"
[steps.policy]
side = "import"
id = "cn-ban-h20"
issuer = "CN"
title = "China bans H20 imports"
criterion = { type = "item_is", ids = ["nvidia-h20"] }
effect = "prohibit"
effective = 2026-01-01
"""


def test_compare_reform_file(tmp_path: Path, world: World) -> None:
    (tmp_path / "tougher.toml").write_text(REFORM_FILE, encoding="utf-8")
    result = run(
        "compare",
        "--reform-file",
        "tougher.toml",
        "--buyers",
        "bytedance,alibaba,tencent",
        "--items",
        "nvidia-h200,nvidia-h20",
        "--on",
        "2026-02-01",
        "--route",
        "TW,US,CN",
        cwd=tmp_path,
    )
    ban: AnyPolicy = io.from_data(
        {
            "side": "import",
            "id": "cn-ban-h20",
            "issuer": "CN",
            "title": "China bans H20 imports",
            "criterion": {"type": "item_is", "ids": ["nvidia-h20"]},
            "effect": "prohibit",
            "effective": "2026-01-01",
        },
        AnyPolicy,
    )
    reform = (
        reforms.deauthorize("cn-2026-01-h200-import-approvals", "tencent")
        .then(reforms.change_threshold("us-bis-2026-01-15-h200-case-by-case", "tpp", 16000))
        .then(reforms.list_company("us-entity-list", "alibaba", dt.date(2026, 1, 20)))
        .then(reforms.rescind("cn-2025-08-h20-guidance"))
        .then(reforms.add_policy(ban))
    )
    requests = [
        AccessRequest(buyer=b, item=i, on=ON, route=("TW", "US", "CN"))
        for b in ("bytedance", "alibaba", "tencent")
        for i in ("nvidia-h200", "nvidia-h20")
    ]
    expected = analysis.compare(world, reform(world), requests)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Reform: a tougher 2026, on 2026-02-01\n"
        + render.to_text(expected)
        + "route: TW -> US -> CN (as given)\n"
    )


def test_compare_bad_reform_file_lists_every_problem(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(
        '[[steps]]\ntype = "rescind"\npolicy = 5\n\n[[steps]]\ntype = "teleport"\n\n'
        '[[steps]]\ntype = "change_threshold"\npolicy = "x"\nfact = "speed"\nvalue = "high"\n',
        encoding="utf-8",
    )
    line = assert_usage_error(
        run("compare", "--reform-file", "bad.toml", "--buyers", "a", "--items", "b", cwd=tmp_path),
        "--reform-file invalid document in bad.toml",
        "steps[0].policy: expected a string, got 5",
        "steps[1].type: expected one of rescind,",
        "got 'teleport'",
        "steps[2].fact: expected one of tpp,",
        "steps[2].value: expected a number, got 'high'",
    )
    assert line.count("steps[") == 4


# ---------------------------------------------------------------------------------------------
# classify and catalog


def test_classify_catalogue_chip(world: World) -> None:
    day = dt.date(2024, 1, 1)
    result = run("classify", "nvidia-h200", "--on", day.isoformat())
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"NVIDIA H200 SXM 141 GB (nvidia-h200) on {day.isoformat()}"
    assert lines[2] == f"Classes: {', '.join(world.classify('nvidia-h200', day))}"
    assert "      tpp 15832 >= 4800: true" in lines


def test_classify_specs_json(world: World) -> None:
    result = run(
        "classify",
        "--tpp",
        "4700",
        "--die-area",
        "600",
        "--no-datacenter",
        "--on",
        "2026-02-01",
        "--format",
        "json",
    )
    chip = Chip(
        id="hypothetical",
        name="hypothetical chip",
        designer="hypothetical",
        datacenter=False,
        throughput=(Throughput(precision=Precision.INT8, tops=4700 / 8),),
        die_area_mm2=600.0,
    )
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["classes"] == list(world.classify(chip, ON))
    assert data["specs"]["tpp"] == chip.tpp
    assert data["specs"]["performance_density"] == chip.performance_density
    codes = sorted({k.code for k in world.classes if k.in_force(ON)})
    assert [t["code"] for t in data["tests"]] == codes


def test_catalog_chips_json_with_derived_figures(world: World) -> None:
    result = run("catalog", "chips", "--search", "H20", "--on", "2026-02-01", "--format", "json")
    expected = [c for c in world.chips if "h20" in c.id or "h20" in c.name.lower()]
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert [r["id"] for r in data["records"]] == [c.id for c in expected]
    for record, chip in zip(data["records"], expected, strict=True):
        assert record["derived"]["tpp"] == chip.tpp
        assert record["derived"]["performance_density"] == chip.performance_density
        assert record["derived"]["classes"] == list(world.classify(chip, ON))


def test_catalog_policies_filters(world: World) -> None:
    result = run(
        "catalog", "policies", "--issuer", "cn", "--in-force", "2026-02-01", "--status", "reported"
    )
    expected = [
        p.id
        for p in world.policies
        if p.issuer == "CN" and p.in_force(ON) and p.status.value == "reported"
    ]
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"policies: {len(expected)}"
    assert [line.split()[0] for line in lines[2:]] == expected


def test_lint_catalogue(world: World) -> None:
    result = run("lint")
    findings = analysis.lint(world)
    assert result.returncode == (1 if findings else 0)
    assert result.stdout == render.to_text(findings)


def test_lint_findings_exit_1(tmp_path: Path) -> None:
    (tmp_path / "small.toml").write_text(SMALL_WORLD, encoding="utf-8")
    result = run("--world", "small.toml", "lint", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["kind"], finding["ids"]) == ("never_matches", ["us-never"])


def test_validate_reports_every_problem_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(MALFORMED_WORLD, encoding="utf-8")
    with pytest.raises(DocumentError) as raised:
        io.load_world(path)
    result = run("validate", "bad.toml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        *(f"bad.toml: {p}" for p in raised.value.problems),
        "bad.toml: 3 problems",
    ]
    for where in ("chips[0].die_area_mm2:", "chips[0]: unknown key 'colour'", "companies[0].hq:"):
        assert where in result.stdout


def test_validate_valid_file(tmp_path: Path) -> None:
    (tmp_path / "small.toml").write_text(SMALL_WORLD, encoding="utf-8")
    result = run("validate", "small.toml", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0
    assert json.loads(result.stdout) == {
        "file": "small.toml",
        "valid": True,
        "counts": {"states": 2, "companies": 2, "chips": 1, "policies": 2},
    }


def test_malformed_world_option_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(MALFORMED_WORLD, encoding="utf-8")
    assert_usage_error(
        run(
            "explain", "acme", "big-chip", "--world", "bad.toml", "--on", "2026-01-01", cwd=tmp_path
        ),
        "--world bad.toml: not a valid world (3 problems, the first:",
        "run 'geotech validate bad.toml' to see every problem",
    )


def test_plot_chip_map_svg(tmp_path: Path, world: World) -> None:
    pytest.importorskip("matplotlib", reason="pictures need the plot extra")
    result = run("plot", "chip-map", "--on", "2026-02-01", "-o", "map.svg", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "wrote map.svg\n")
    svg = (tmp_path / "map.svg").read_text(encoding="utf-8")
    assert len(svg) > 10_000
    for chip in (world.chip("nvidia-h200"), world.chip("huawei-ascend-910c")):
        assert chip.id in svg or chip.name in svg
    for region in ("3A090.a", "3A090.b"):
        assert region in svg


# The other pictures run in-process: one subprocess per picture would cost a matplotlib import
# each; the command line is the same.
@pytest.mark.parametrize(
    ("argv", "labels"),
    [
        (
            [
                "timeline",
                "--request",
                "bytedance:nvidia-h200@TW,US,CN",
                "--request",
                "huawei:nvidia-h20",
                "--start",
                "2025-01-01",
                "--end",
                "2026-03-01",
            ],
            ["bytedance", "nvidia-h200", "huawei"],
        ),
        (
            [
                "matrix",
                "--buyers",
                "bytedance,openai",
                "--items",
                "nvidia-h200,nvidia-h20",
                "--on",
                "2026-02-01",
            ],
            ["bytedance", "openai", "nvidia-h20", "allowed"],
        ),
        (
            [
                "gap",
                "--buyer",
                "bytedance",
                "--order",
                "nvidia-h200=100000@TW,US,CN",
                "--versus",
                "openai",
                "--versus-order",
                "nvidia-b200=100000",
                "--on",
                "2026-02-01",
            ],
            ["bytedance", "openai", "GPT-4-class"],
        ),
    ],
    ids=["timeline", "matrix", "gap"],
)
def test_plot_pictures(
    tmp_path: Path, argv: list[str], labels: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib", reason="pictures need the plot extra")
    out = tmp_path / "out.svg"
    assert main(["plot", *argv, "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    svg = out.read_text(encoding="utf-8")
    assert len(svg) > 5_000
    for label in labels:
        assert label in svg


# ---------------------------------------------------------------------------------------------
# In-process: help and usage errors

#: Every subcommand (and every picture of ``plot``), as the issue asks for them.
COMMANDS = [
    ["explain"],
    ["evaluate"],
    ["matrix"],
    ["timeline"],
    ["compare"],
    ["route"],
    ["cases"],
    ["design-space"],
    ["what-it-takes"],
    ["diff"],
    ["classify"],
    ["catalog"],
    ["lint"],
    ["validate"],
    ["test"],
    ["plot"],
    ["plot", "chip-map"],
    ["plot", "timeline"],
    ["plot", "matrix"],
    ["plot", "gap"],
    ["plot", "design-space"],
    ["compute"],
    ["compute", "access"],
    ["compute", "gap"],
    ["supply"],
    ["supply", "exposure"],
    ["supply", "chokepoints"],
    ["supply", "counter"],
    ["export"],
    ["import"],
]


def test_every_command_is_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    listed = re.findall(r"^    ([\w-]+) ", capsys.readouterr().out, re.M)
    assert listed == [c[0] for c in COMMANDS if len(c) == 1]
    assert main(["plot", "--help"]) == 0
    # a name too long for the help column ends its line (design-space)
    pictures = re.findall(r"^    ([\w-]+)\s", capsys.readouterr().out, re.M)
    assert pictures == [c[1] for c in COMMANDS if len(c) == 2 and c[0] == "plot"]
    for group in ("compute", "supply"):
        assert main([group, "--help"]) == 0
        results = re.findall(r"^    ([\w-]+) ", capsys.readouterr().out, re.M)
        assert results == [c[1] for c in COMMANDS if len(c) == 2 and c[0] == group]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: geotech {' '.join(command)}")
    (example,) = re.findall(r"example:\n  (geotech .*)", out)
    assert example.startswith(f"geotech {' '.join(command)}")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["matrix", "--buyers", "a,,b", "--items", "x"], "'a,,b' has an empty entry"),
        (["explain", "a", "b", "--on", "Feb 1"], "'Feb 1' is not a date; use YYYY-MM-DD"),
        (["explain", "a", "b", "--quantity", "0"], "expected a whole number >= 1, got '0'"),
        (["classify", "--tpp", "-5"], "argument --tpp: expected a number > 0, got '-5'"),
        (
            ["classify", "--tpp", "5000", "--tops8", "600", "--on", "2026-02-01"],
            "give --tpp or --tops4/8/16/32/64, not both",
        ),
        (["classify", "--on", "2026-02-01"], "give a catalogue chip id or specs"),
        (["plot", "gap", "--buyer", "a", "--order", "h200", "--versus", "b"], "use CHIP=COUNT"),
        (["plot", "timeline", "--request", "bytedance", "--start", "2025-01-01"], "BUYER:ITEM"),
        (["compare", "--buyers", "a", "--items", "b"], "name a reform (rescind-h200-rule,"),
        (
            ["compare", "revoke-tencnet", "--buyers", "a", "--items", "b"],
            "unknown reform 'revoke-tencnet'; did you mean 'revoke-tencent'?",
        ),
        (["route", "bytedance", "nvidia-h200", "--via", "US,XX"], "--via: unknown state 'XX'"),
        (
            ["explain", "bytedance", "nvidia-h200", "--route", "TW,US", "--destination", "CN"],
            "--route/--destination: AccessRequest.route: ends at US but the destination is CN",
        ),
        (
            ["catalog", "chips", "--issuer", "US"],
            "--issuer filters classes, policies, groups, lists, not chips",
        ),
        (
            ["validate", "/nonexistent/missing.toml"],
            "FILE /nonexistent/missing.toml: cannot read it (No such file or directory)",
        ),
        (
            ["--world", "/nonexistent/w.json", "lint"],
            "--world /nonexistent/w.json: cannot read it (No such file or directory)",
        ),
        (["plot", "chip-map", "-o", "map.pdf"], "'map.pdf' must end in .png or .svg"),
        (
            ["plot", "chip-map", "-o", "/nonexistent/map.svg"],
            "'/nonexistent/map.svg': directory /nonexistent does not exist",
        ),
    ],
)
def test_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert message in line


# ---------------------------------------------------------------------------------------------
# docs/cli.md: every documented command prints what the page shows
#
# After a deliberate change of output (or of the catalogue), regenerate the page's outputs
# with ``python tests/test_cli.py`` and review the diff.

CONSOLE = re.compile(r"^```console\n(.*?)^```", re.S | re.M)


def _documented() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for block in CONSOLE.findall(DOCS.read_text(encoding="utf-8")):
        for session in re.split(r"^(?=\$ )", block, flags=re.M):
            if session.startswith("$ "):
                command, _, output = session.partition("\n")
                out.append((command[2:], output))
    return out


def _write_files(directory: Path) -> None:
    """Write the files the page shows (```toml and ```json blocks whose first line is
    ``# NAME``; that line names the file and is not part of it)."""
    text = DOCS.read_text(encoding="utf-8")
    for name, content in re.findall(r"^```(?:toml|json)\n# (\S+)\n(.*?)^```", text, re.S | re.M):
        (directory / name).write_text(content, encoding="utf-8")


def _output(command: str) -> str:
    """What ``command`` prints (stdout, then stderr), run in-process in the current directory."""
    argv = shlex.split(command)
    assert argv[0] == "geotech"
    out, err = StringIO(), StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        main(argv[1:])
    return out.getvalue() + err.getvalue()


def test_docs_show_every_command() -> None:
    shown = {shlex.split(c)[1] for c, _ in _documented()}
    assert {c[0] for c in COMMANDS} <= shown
    plots = {shlex.split(c)[2] for c, _ in _documented() if shlex.split(c)[1] == "plot"}
    assert plots == {"chip-map", "timeline", "matrix", "gap", "design-space"}


@pytest.mark.parametrize(
    ("command", "output"), [pytest.param(c, o, id=c[8:70]) for c, o in _documented()]
)
def test_documented_output(
    command: str, output: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shlex.split(command)[1] == "plot":
        pytest.importorskip("matplotlib", reason="pictures need the plot extra")
    _write_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert _output(command) == output, "regenerate docs/cli.md with: python tests/test_cli.py"


def update_docs() -> None:
    """Rewrite the outputs of docs/cli.md by running its commands."""
    with tempfile.TemporaryDirectory() as tmp:
        _write_files(Path(tmp))
        here = Path.cwd()
        os.chdir(tmp)
        try:

            def fill(block: re.Match[str]) -> str:
                sessions = [
                    s.partition("\n")[0]
                    for s in re.split(r"^(?=\$ )", block[1], flags=re.M)
                    if s.startswith("$ ")
                ]
                return "```console\n" + "".join(f"{c}\n{_output(c[2:])}" for c in sessions) + "```"

            text = CONSOLE.sub(fill, DOCS.read_text(encoding="utf-8"))
        finally:
            os.chdir(here)
    DOCS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    update_docs()
