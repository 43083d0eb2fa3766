"""``geotech export --ftm`` and ``geotech import --ftm-in``: the command writes what
``geotech.interop.ftm`` makes, to standard output or atomically to a file."""

from __future__ import annotations

import io as text_io
import json
from pathlib import Path

import pytest

from geotech import catalog, io
from geotech.cli import main
from geotech.interop import ftm

ENTITIES = [
    {
        "id": "NK-1",
        "schema": "Company",
        "properties": {"name": ["Example Micro"], "country": ["cn"]},
    },
    {
        "id": "NK-2",
        "schema": "Company",
        "properties": {"name": ["Example Hold"], "country": ["cn"]},
    },
    {
        "id": "NK-3",
        "schema": "Ownership",
        "properties": {"owner": ["NK-2"], "asset": ["NK-1"], "percentage": ["60%"]},
    },
    {
        "id": "NK-4",
        "schema": "Sanction",
        "properties": {"entity": ["NK-1"], "program": ["EL"], "startDate": ["2024-12-05"]},
    },
]


def _jsonl(entities: list[dict[str, object]]) -> str:
    out = text_io.StringIO()
    ftm.write_jsonl(entities, out)
    return out.getvalue()


def test_export_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--ftm"]) == 0
    out = capsys.readouterr().out
    assert out == _jsonl(list(ftm.to_ftm(catalog.world())))
    first = json.loads(out.splitlines()[0])
    assert first["schema"] == "Company"


def test_export_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "entities.jsonl"
    assert main(["export", "--ftm", "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == _jsonl(list(ftm.to_ftm(catalog.world())))
    assert [p.name for p in tmp_path.iterdir()] == ["entities.jsonl"]  # no temporary left


def test_export_needs_the_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export"]) == 2
    assert "the following arguments are required: --ftm" in capsys.readouterr().err


def test_import_merges_and_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(_jsonl(ENTITIES), encoding="utf-8")
    target = tmp_path / "merged.json"
    argv = ["import", "--ftm-in", str(source), "--program", "EL=us-entity-list"]
    assert main([*argv, "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"wrote {target}\n"
    expected = ftm.from_ftm(ENTITIES, catalog.world(), programs={"EL": "us-entity-list"})
    assert io.load_world(target) == expected
    assert expected.company("example-micro").parent == "example-hold"


def test_import_without_output_prints_toml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(_jsonl(ENTITIES), encoding="utf-8")
    assert main(["import", "--ftm-in", str(source), "--program", "EL="]) == 0
    expected = ftm.from_ftm(ENTITIES, catalog.world(), programs={"EL": None})
    assert capsys.readouterr().out == io.dumps_world(expected, "toml")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "program 'EL' names no party list"),
        ([], "(map programs with --program 'TEXT=LIST')"),
        (["--program", "=x"], "--program '=x': use TEXT=LIST"),
        (["-o", "merged.txt"], "--output"),
    ],
)
def test_import_errors_are_one_line(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(_jsonl(ENTITIES), encoding="utf-8")
    args = ["import", "--ftm-in", str(source), *argv]
    if "-o" in argv:
        args = [*args[:-2], "--program", "EL=", "-o", str(tmp_path / "merged.txt")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert not (tmp_path / "merged.txt").exists()
