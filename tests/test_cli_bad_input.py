"""The ``geotech`` command never answers bad input with "internal error": every bad command
line and bad input file below gives exit code 2 (1 for findings in a file it was asked to
validate) and one line on stderr that names the argument and the problem.

Input files must be regular files no larger than ``GEOTECH_MAX_INPUT_BYTES``: a FIFO, a
directory or a device is refused without reading it, and never hangs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import geotech
from geotech.cli import main

#: The folder of the geotech under test, for subprocesses run in other folders.
SOURCES = Path(geotech.__file__).resolve().parent.parent

DEEP = 5_000
HUGE_INT = "9" * 5_000

#: Input files by name: text, or None for a special file made by ``_make_files``.
FILES: dict[str, str | bytes | None] = {
    "empty.toml": "",
    "empty.json": "",
    "binary.toml": bytes(range(256)),
    "nul.toml": b"schema_version = 1\x00\n",
    "huge-int.toml": f"schema_version = {HUGE_INT}\n",
    "huge-int.json": f'{{"schema_version": {HUGE_INT}}}',
    "deep.toml": "states = " + "[" * DEEP + "]" * DEEP + "\n",
    "deep.json": '{"states": ' + "[" * DEEP + "]" * DEEP + "}",
    "world.yaml": "states: []\n",
    "list.json": "[1, 2]",
    "reform-deep.toml": "name = 'x'\nsteps = " + "[" * DEEP + "]" * DEEP + "\n",
    "reform-deep.json": '{"steps": ' + "[" * DEEP + "]" * DEEP + "}",
    "reform-type-list.toml": "[[steps]]\ntype = [1]\n",
    "reform-type-table.toml": "[[steps]]\ntype = { a = 1 }\n",
    "reform-name-table.toml": "name = { a = [1] }\n[[steps]]\ntype = 'rescind'\npolicy = 'p'\n",
    "reform-huge-int.toml": (
        f"[[steps]]\ntype = 'change_threshold'\npolicy = 'p'\nfact = 'tpp'\nvalue = {HUGE_INT}\n"
    ),
    "reform-huge-int.json": f'{{"steps": [{{"type": "rescind", "policy": {HUGE_INT}}}]}}',
    "reform-empty.toml": "",
    "reform-array.json": "[]",
    "reform-binary.toml": b"\xff\xfe\x00",
    "reform-unknown-policy.toml": "[[steps]]\ntype = 'rescind'\npolicy = 'no-such-policy'\n",
    "big.toml": "# " + "x" * 2_000 + "\n",
    "fifo.toml": None,
    "dir.toml": None,
    "zero.toml": None,
    "loop.toml": None,
    "plain": "x",
}


def _make_files(directory: Path) -> None:
    for name, content in FILES.items():
        path = directory / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
    os.mkfifo(directory / "fifo.toml")
    (directory / "dir.toml").mkdir()
    (directory / "zero.toml").symlink_to("/dev/zero")
    (directory / "loop.toml").symlink_to("loop.toml")
    if os.geteuid() != 0:  # root reads any file whatever its mode
        (directory / "secret.toml").write_text("schema_version = 1\n", encoding="utf-8")
        (directory / "secret.toml").chmod(0)


REFORM = ["--buyers", "bytedance", "--items", "nvidia-h200", "--on", "2026-02-01"]
EXPLAIN = ["explain", "bytedance", "nvidia-h200"]

#: (argv, exit code, a fragment of the one line on stderr, or of stdout for exit code 1).
CASES: list[tuple[list[str], int, str]] = [
    # dates
    ([*EXPLAIN, "--on", "2026-02-30"], 2, "2026-02-30 is not a calendar date"),
    ([*EXPLAIN, "--on", "2026-02-01\n"], 2, "'2026-02-01\\n' is not a date"),
    ([*EXPLAIN, "--on", "\n2026-02-01"], 2, "is not a date"),
    ([*EXPLAIN, "--on", "2026-2-1"], 2, "'2026-2-1' is not a date; use YYYY-MM-DD"),
    ([*EXPLAIN, "--on", "\u0662\u0660\u0662\u0666-\u0660\u0662-\u0660\u0661"], 2, "is not a date"),
    ([*EXPLAIN, "--on", ""], 2, "'' is not a date"),
    (["timeline", "bytedance", "nvidia-h200", "--start", "0000-01-01"], 2, "calendar date"),
    # unknown ids
    (["explain", "bytedanse", "nvidia-h200", "--on", "2026-02-01"], 2, "BUYER: unknown company"),
    (["explain", "bytedance", "nvidia-h2000", "--on", "2026-02-01"], 2, "ITEM: unknown item"),
    (["explain", "bytedance\nx", "nvidia-h200"], 2, "unknown company 'bytedance\\nx'"),
    (["matrix", "--buyers", "bytedance,nobody", "--items", "nvidia-h200"], 2, "--buyers:"),
    (["classify", "no-such-chip", "--on", "2026-02-01"], 2, "CHIP: unknown chip"),
    (["compare", "no-such-reform", *REFORM], 2, "unknown reform 'no-such-reform'"),
    (["catalog", "widgets"], 2, "argument KIND: invalid choice: 'widgets'"),
    (["plot", "chip-map", "--chips", "x9", "-o", "m.svg"], 2, "--chips: unknown chip 'x9'"),
    # routes
    ([*EXPLAIN, "--route", "TW,,CN"], 2, "'TW,,CN' has an empty entry"),
    ([*EXPLAIN, "--route", "TW,XX,CN"], 2, "--route: unknown state 'XX'"),
    ([*EXPLAIN, "--route", "TW,US", "--destination", "CN"], 2, "ends at US"),
    ([*EXPLAIN, "--destination", "ZZ"], 2, "--destination: unknown state 'ZZ'"),
    (["route", "bytedance", "nvidia-h200", "--via", "US,,SG"], 2, "has an empty entry"),
    (["route", "bytedance", "nvidia-h200", "--origin", "QQ"], 2, "--origin: unknown state"),
    (["plot", "timeline", "--request", "bytedance:nvidia-h200@", "--start", "2025-01-01"], 2, "@"),
    # numbers
    ([*EXPLAIN, "--quantity", "0"], 2, "expected a whole number >= 1, got '0'"),
    ([*EXPLAIN, "--quantity", "1.5"], 2, "expected a whole number >= 1"),
    ([*EXPLAIN, "--quantity", HUGE_INT], 2, "expected a whole number >= 1"),
    (["classify", "--tpp", "nan"], 2, "expected a number > 0, got 'nan'"),
    (["classify", "--tpp", "inf"], 2, "expected a number > 0, got 'inf'"),
    (["classify", "--tpp", "1e400"], 2, "expected a number > 0"),
    (["classify", "--die-area", HUGE_INT + ".5"], 2, "--die-area"),
    (["plot", "gap", "--utilization", "2"], 2, "expected a fraction in (0, 1]"),
    (["plot", "gap", "--buyer", "a", "--order", "x=0"], 2, "the count must be >= 1"),
    (["lint", "extra\nargument"], 2, "unrecognized arguments: extra\\nargument"),
    # world files
    (["--world", "empty.json", "lint"], 2, "--world empty.json: not a valid world"),
    (["--world", "binary.toml", "lint"], 2, "--world binary.toml: not UTF-8 text"),
    (["--world", "nul.toml", "lint"], 2, "not a valid world"),
    (["--world", "huge-int.toml", "lint"], 2, "4,300 digits"),
    (["--world", "huge-int.json", "lint"], 2, "4,300 digits"),
    (["--world", "deep.toml", "lint"], 2, "nested"),
    (["--world", "deep.json", "lint"], 2, "nested"),
    (["--world", "world.yaml", "lint"], 2, "--world world.yaml: unknown file type .yaml"),
    (["--world", "plain", "lint"], 2, "unknown file type (none)"),
    (["--world", "list.json", "lint"], 2, "not a valid world"),
    (["--world", "fifo.toml", "lint"], 2, "--world fifo.toml: a FIFO (named pipe), not a regular"),
    (["--world", "dir.toml", "lint"], 2, "--world dir.toml: a directory, not a regular file"),
    (["--world", "zero.toml", "lint"], 2, "--world zero.toml: a device, not a regular file"),
    (["--world", "loop.toml", "lint"], 2, "cannot read it (Too many levels of symbolic links)"),
    (["--world", "missing.toml", "lint"], 2, "cannot read it (No such file or directory)"),
    (["--world", "plain/w.toml", "lint"], 2, "cannot read it (Not a directory)"),
    # validate
    (["validate", "empty.json"], 1, "empty.json: $: not valid JSON"),
    (["validate", "huge-int.json"], 1, "4,300 digits"),
    (["validate", "deep.json"], 1, "nested"),
    (["validate", "nul.toml"], 1, "not valid TOML"),
    (["validate", "binary.toml"], 2, "FILE binary.toml: not UTF-8 text"),
    (["validate", "fifo.toml"], 2, "FILE fifo.toml: a FIFO (named pipe)"),
    (["validate", "dir.toml"], 2, "FILE dir.toml: a directory"),
    (["validate", "zero.toml"], 2, "FILE zero.toml: a device"),
    (["validate", "/dev/zero"], 2, "unknown file type"),
    (["validate", "missing.json"], 2, "FILE missing.json: cannot read it"),
    # reform files
    (["compare", "--reform-file", "reform-deep.toml", *REFORM], 2, "nested too deeply"),
    (["compare", "--reform-file", "reform-deep.json", *REFORM], 2, "nested too deeply"),
    (["compare", "--reform-file", "reform-type-list.toml", *REFORM], 2, "got [1]"),
    (["compare", "--reform-file", "reform-type-table.toml", *REFORM], 2, 'got {"a": 1}'),
    (["compare", "--reform-file", "reform-name-table.toml", *REFORM], 2, "name: expected a"),
    (["compare", "--reform-file", "reform-huge-int.toml", *REFORM], 2, "4,300 digits"),
    (["compare", "--reform-file", "reform-huge-int.json", *REFORM], 2, "4,300 digits"),
    (["compare", "--reform-file", "reform-empty.toml", *REFORM], 2, "missing required key 'steps'"),
    (["compare", "--reform-file", "reform-array.json", *REFORM], 2, "expected a table"),
    (["compare", "--reform-file", "reform-binary.toml", *REFORM], 2, "not UTF-8 text"),
    (["compare", "--reform-file", "reform-unknown-policy.toml", *REFORM], 2, "no-such-policy"),
    (["compare", "--reform-file", "fifo.toml", *REFORM], 2, "a FIFO (named pipe)"),
    (["compare", "--reform-file", "dir.toml", *REFORM], 2, "a directory"),
    (["compare", "--reform-file", "zero.toml", *REFORM], 2, "a device"),
    (["compare", "--reform-file", "/dev/zero", *REFORM], 2, "a device"),
    (["compare", "--reform-file", "missing.toml", *REFORM], 2, "cannot read it"),
    # output files
    (["plot", "chip-map", "-o", "dir.toml/m.txt"], 2, "must end in .png or .svg"),
    (["plot", "chip-map", "-o", "plain/m.svg"], 2, "directory plain does not exist"),
]
if os.geteuid() != 0:
    CASES.append((["validate", "secret.toml"], 2, "cannot read it (Permission denied)"))


@pytest.fixture
def in_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _make_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [pytest.param(*case, id=" ".join(case[0])[:60]) for case in CASES],
)
@pytest.mark.usefixtures("in_files")
def test_bad_input_is_a_usage_error_in_one_line(
    argv: list[str], code: int, fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == code
    out, err = capsys.readouterr()
    if code == 2:
        assert out == ""
        (line,) = err.splitlines()
        assert line.startswith("geotech")
        assert ": error: " in line
        assert "internal error" not in line
        assert fragment in line
    else:
        assert err == ""
        assert fragment in out


@pytest.mark.usefixtures("in_files")
def test_the_input_limit_is_set_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GEOTECH_MAX_INPUT_BYTES", "1000")
    assert main(["validate", "big.toml"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line == (
        "geotech validate: error: FILE big.toml: larger than the limit of 1,000 bytes; give a "
        "smaller file or raise the limit (set GEOTECH_MAX_INPUT_BYTES to a number of bytes)"
    )
    monkeypatch.setenv("GEOTECH_MAX_INPUT_BYTES", "3000")
    assert main(["validate", "big.toml"]) == 0
    assert capsys.readouterr().out == "big.toml: valid world (empty)\n"


@pytest.mark.parametrize("value", ["0", "-5", "lots", "", HUGE_INT + "x"])
def test_a_bad_input_limit_is_named(
    value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GEOTECH_MAX_INPUT_BYTES", value)
    assert main(["--world", "w.toml", "lint"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "GEOTECH_MAX_INPUT_BYTES=" in line
    assert "expected a whole number of bytes >= 1" in line


def test_a_fifo_never_hangs_the_command(tmp_path: Path) -> None:
    """In a subprocess with a deadline: a FIFO with no writer must be refused at once."""
    os.mkfifo(tmp_path / "pipe.toml")
    result = subprocess.run(
        [sys.executable, "-m", "geotech.cli", "validate", "pipe.toml"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(SOURCES)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "geotech validate: error: FILE pipe.toml: a FIFO (named pipe), not a regular file; "
        "give the path of a file\n"
    )
