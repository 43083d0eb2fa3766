"""JSON lines: ``geotech.stream`` and ``geotech evaluate --jsonl``. The stream is lazy (it reads
a chunk ahead at most), equals ``evaluate`` one by one, and turns a bad line into an error
object without stopping."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geotech
from geotech import AccessRequest, InvalidValueError, World, catalog, evaluate, io, render, stream
from geotech.cli import main

SOURCES = Path(geotech.__file__).resolve().parent.parent
BUYERS = ("bytedance", "alibaba", "huawei", "openai", "tencent", "baidu")
ITEMS = ("nvidia-h200", "nvidia-h20", "nvidia-b200", "huawei-ascend-910c", "amd-mi325x")
DAYS = tuple(dt.date(2025, 1, 1) + dt.timedelta(days=45 * i) for i in range(10))
ROUTES = (None, ("TW", "US", "CN"), ("TW", "CN"))
END_USES = (None, "datacenter", "state_funded_datacenter")


@pytest.fixture(scope="module")
def world() -> World:
    return catalog.world()


def _line(request: AccessRequest) -> str:
    data: dict[str, object] = {"buyer": request.buyer, "item": request.item}
    data["on"] = request.on.isoformat()
    if request.route is not None:
        data["route"] = list(request.route)
    if request.end_use is not None:
        data["end_use"] = request.end_use
    return json.dumps(data) + "\n"


def _expected(world: World, request: AccessRequest) -> object:
    return json.loads(render.to_json(evaluate(world, request)))


def _requests(n: int) -> list[AccessRequest]:
    combos = itertools.product(BUYERS, ITEMS, DAYS, ROUTES, END_USES)
    return [
        AccessRequest(buyer=b, item=i, on=d, route=r, end_use=u)
        for b, i, d, r, u in itertools.islice(itertools.cycle(combos), n)
    ]


def test_thousands_of_lines_equal_evaluate_one_by_one(world: World) -> None:
    requests = _requests(2_500)
    lines = [_line(r) for r in requests]
    out = list(stream.decide_lines(world, lines, chunk=1_000))
    assert len(out) == 2_500
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in out)
    # every distinct request is checked against evaluate; equal requests give equal lines
    firsts: dict[str, str] = {}
    for line, got in zip(lines, out, strict=True):
        assert firsts.setdefault(line, got) == got
    for request in dict.fromkeys(requests):
        assert json.loads(firsts[_line(request)]) == _expected(world, request)


def test_the_stream_is_lazy(world: World) -> None:
    consumed = 0

    def source() -> Iterator[str]:
        nonlocal consumed
        for line in map(_line, _requests(3_000)):
            consumed += 1
            yield line

    out = stream.decide_lines(world, source(), chunk=1_000)
    assert consumed == 0  # nothing is read before the first answer is asked for
    next(out)
    assert consumed == 1_000  # one chunk read, two still waiting
    for _ in range(999):
        next(out)
    assert consumed == 1_000
    next(out)
    assert consumed == 2_000
    assert sum(1 for _ in out) == 1_999
    assert consumed == 3_000


BAD = [
    (
        b"nope\n",
        "not valid JSON (Expecting value: line 1 column 1 (char 0)); write one JSON "
        "object per line",
    ),
    (
        b"[1, 2]\n",
        'expected a JSON object such as {"buyer": ..., "item": ..., "on": "YYYY-MM-DD"}, got list',
    ),
    (
        b'{"buyer": "bytedanse", "item": "nvidia-h200", "on": "2026-02-01"}\n',
        "buyer: unknown company 'bytedanse'; did you mean 'bytedance', 'boeing-defense', "
        "'tencent'?",
    ),
    (
        b'{"buyer": "bytedance", "item": "nvidia-h2000", "on": "2026-02-01"}\n',
        "item: unknown item 'nvidia-h2000'; did you mean 'nvidia-h200', 'nvidia-gh200', "
        "'nvidia-h20'?",
    ),
    (
        b'{"buyer": "bytedance", "item": "nvidia-h200", "on": "2026-02-30"}\n',
        "on: expected a date YYYY-MM-DD, got '2026-02-30'",
    ),
    (
        b'{"buyer": "bytedance", "item": "nvidia-h200", "on": "2026-02-01", "route": ["TW", "US"], '
        b'"destination": "CN"}\n',
        "route: ends at US but the destination is CN; end the route at the destination",
    ),
    (
        b'{"buyer": "bytedance", "item": "nvidia-h200", "on": "2026-02-01", "route": ["TW", "XX", '
        b'"CN"]}\n',
        "route: unknown state 'XX'; did you mean 'MX'?",
    ),
    (
        b'{"buyer": "bytedance", "item": "nvidia-h200", "on": "2026-02-01", "destination": "ZZ"}\n',
        "destination: unknown state 'ZZ'; did you mean 'ZW', 'ZA', 'UZ'?",
    ),
    (
        b'{"buyer": "bytedance", "item": "nvidia-h200", "on": "2026-02-01", "colour": 1}\n',
        "$: unknown key 'colour'; allowed keys are buyer, item, on, destination, route, quantity, "
        "end_use",
    ),
    (
        b'{"buyer": "bytedance", "item": "nvidia-h200", "on": "2026-02-01", "quantity": 0}\n',
        "quantity: expected a whole number >= 1, got 0",
    ),
    (b'{"buyer": "bytedance", "item": "nvidia-h200"}\n', "$: missing required key 'on'"),
    (b"\xff\xfe{}\n", "not UTF-8 text; write the line in UTF-8"),
]


def test_bad_lines_become_error_objects_and_the_stream_goes_on(world: World) -> None:
    good = AccessRequest(buyer="bytedance", item="nvidia-h200", on=dt.date(2026, 2, 1))
    lines = [
        _line(good).encode(),
        b"\n",
        *(line for line, _ in BAD),
        b"   \n",
        _line(good).encode(),
    ]
    answers = list(stream.decide(world, lines, chunk=4))
    errors = [a for a in answers if isinstance(a, stream.LineError)]
    assert [(e.line, e.error) for e in errors] == [(i + 3, m) for i, (_, m) in enumerate(BAD)]
    first, *_, last = answers
    assert first == last == evaluate(world, good)
    out = list(stream.decide_lines(world, lines, chunk=4))
    assert len(out) == len(BAD) + 2
    assert json.loads(out[1]) == {"line": 3, "error": BAD[0][1]}


def test_the_chunk_must_be_positive(world: World) -> None:
    with pytest.raises(InvalidValueError, match=r"decide.chunk: expected a whole number >= 1"):
        next(stream.decide(world, [], chunk=0))


@settings(max_examples=25, deadline=None)
@given(
    requests=st.lists(
        st.builds(
            AccessRequest,
            buyer=st.sampled_from(BUYERS),
            item=st.sampled_from(ITEMS),
            on=st.sampled_from(DAYS),
            route=st.sampled_from(ROUTES),
            end_use=st.sampled_from(END_USES),
        ),
        max_size=30,
    ),
    chunk=st.integers(min_value=1, max_value=12),
)
def test_any_chunking_equals_evaluate(requests: list[AccessRequest], chunk: int) -> None:
    world = catalog.world()
    assert list(stream.decide(world, map(_line, requests), chunk)) == [
        evaluate(world, r) for r in requests
    ]


# ---------------------------------------------------------------------------------------------
# The command


def _run(*args: str, stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geotech.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(SOURCES)},
        timeout=300,
        check=False,
    )


def test_evaluate_reads_stdin(world: World) -> None:
    requests = _requests(40)
    result = _run("evaluate", "--jsonl", "-", stdin="".join(map(_line, requests)))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        json.dumps(io.to_data(evaluate(world, r)), default=dt.date.isoformat) for r in requests
    ]


def test_evaluate_exits_1_after_a_bad_line(tmp_path: Path, world: World) -> None:
    good = AccessRequest(buyer="bytedance", item="nvidia-h200", on=dt.date(2026, 2, 1))
    (tmp_path / "requests.jsonl").write_text(_line(good) + "{}\n" + _line(good), encoding="utf-8")
    result = _run("evaluate", "--jsonl", "requests.jsonl", "--chunk", "1", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    first, error, last = result.stdout.splitlines()
    assert json.loads(first) == json.loads(last) == _expected(world, good)
    assert json.loads(error) == {
        "line": 2,
        "error": "$: missing required key 'buyer'; $: missing required key 'item'; $: "
        "missing required key 'on'",
    }


def test_evaluate_the_shipped_requests(capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(__file__).resolve().parent.parent / "examples" / "cases" / "requests.jsonl"
    assert main(["evaluate", "--jsonl", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [json.loads(x)["ruling"]["verdict"] for x in out] == [
        "license_required",
        "license_required",
        "license_required",
        "prohibited",
        "license_required",
        "allowed",
    ]


def test_evaluate_names_a_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--jsonl", "/nonexistent/r.jsonl"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "geotech evaluate: error: --jsonl /nonexistent/r.jsonl: cannot read it (No such file or "
        "directory); check the path\n"
    )
