"""Malformed documents: one ``DocumentError`` listing every problem with its path, never another
exception type or a crash; unreadable files; dumps that fail leave nothing half-written."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geotech import DocumentError, GeotechError, Model, Not, Reexport, World, io
from geotech.criteria import Criterion

ALLOWED_WORLD_KEYS = "$: unknown key 'colour'; allowed keys are schema_version, states, "

MALFORMED_TOML = """\
schema_version = 1
colour = "blue"

[[states]]
id = "US"
name = "United States"

[[states]]
id = "CN"

[[companies]]
id = "nvidia"
name = "NVIDIA"
hq = "US"
founded = 1993

[[chips]]
id = "nvidia-h200"
name = "NVIDIA H200"
designer = "nvidia"
die_area_mm2 = "big"
throughput = { fp8 = 1979, fp7 = 1 }

[[policies]]
side = "export"
id = "p"
issuer = "US"
title = "P"
criterion = { type = "item_is", ids = ["nvidia-h200"] }
effect = "ban"
effective = 2026-01-15
"""

MALFORMED_JSON = json.dumps(
    {
        "schema_version": 1,
        "colour": "blue",
        "states": [{"id": "US", "name": "United States"}, {"id": "CN"}],
        "companies": [{"id": "nvidia", "name": "NVIDIA", "hq": "US", "founded": 1993}],
        "chips": [
            {
                "id": "nvidia-h200",
                "name": "NVIDIA H200",
                "designer": "nvidia",
                "die_area_mm2": "big",
                "throughput": {"fp8": 1979, "fp7": 1},
            }
        ],
        "policies": [
            {
                "side": "export",
                "id": "p",
                "issuer": "US",
                "title": "P",
                "criterion": {"type": "item_is", "ids": ["nvidia-h200"]},
                "effect": "ban",
                "effective": "2026-01-15",
            }
        ],
    },
    indent=2,
)

EXPECTED = [
    "states[1]: missing required key 'name'",
    "companies[0]: unknown key 'founded'; allowed keys are id, name, hq, owners, roles, sources",
    "chips[0].throughput: expected one of fp64, fp32, tf32, bf16, fp16, fp8, int8, fp6, fp4, "
    "int4, got 'fp7'",
    "chips[0].die_area_mm2: expected a number, got 'big'",
    "policies[0].effect: expected one of allow, discourage, license_required, prohibit, got 'ban'",
]


def load_error(tmp_path: Path, name: str, text: str | bytes) -> DocumentError:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        io.load_world(path)
    assert info.value.source == str(path)
    return info.value


@pytest.mark.parametrize(
    ("name", "text"), [("bad.toml", MALFORMED_TOML), ("bad.json", MALFORMED_JSON)]
)
def test_one_error_lists_every_problem_with_its_path(tmp_path: Path, name: str, text: str) -> None:
    error = load_error(tmp_path, name, text)
    assert isinstance(error, GeotechError)
    assert error.problems[0].startswith(ALLOWED_WORLD_KEYS)
    assert list(error.problems[1:]) == EXPECTED
    message = str(error)
    assert message.startswith(f"invalid document in {tmp_path / name}: 6 problems\n")
    assert all(f"  - {p}" in message for p in EXPECTED)


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_dangling_ids_are_reported_with_their_paths(fmt: io.Format) -> None:
    doc = {
        "states": [{"id": "US", "name": "United States"}],
        "companies": [
            {"id": "nvidia", "name": "NVIDIA", "hq": "US"},
            {"id": "bytedance", "name": "ByteDance", "hq": "CN"},
        ],
        "chips": [{"id": "nvidia-h200", "name": "NVIDIA H200", "designer": "nvidai"}],
        "policies": [
            {
                "side": "export",
                "id": "p",
                "issuer": "US",
                "title": "P",
                "criterion": {"type": "importer_in", "groups": ["us-ear-d5"]},
                "effect": "prohibit",
                "effective": "2026-01-15",
                "supersedes": ["q"],
            }
        ],
    }
    with pytest.raises(DocumentError) as info:
        io.loads_world(_render(doc, fmt), fmt, "doc")
    # Paths give the record's position in the document.
    assert set(info.value.problems) == {
        "companies[1].hq: unknown state 'CN'",
        "chips[0].designer: unknown company 'nvidai'; did you mean 'nvidia'?",
        "policies[0].supersedes: unknown policy 'q'",
        "policies[0].criterion.groups: unknown group 'us-ear-d5'",
    }


def _render(doc: dict[str, Any], fmt: io.Format) -> str:
    if fmt == "json":
        return json.dumps(doc)
    dated = copy.deepcopy(doc)
    for policy in dated.get("policies", []):
        policy["effective"] = dt.date.fromisoformat(policy["effective"])
    return io.dumps_toml(dated)


def test_dangling_ids_are_reported_alongside_type_errors() -> None:
    """Every problem at once: a record with a wrong type must not hide the dangling reference
    of another, well-formed record."""
    doc = {
        "states": [{"id": "US", "name": "United States"}],
        "companies": [
            {"id": "nvidia", "name": "NVIDIA", "hq": "US"},
            {
                "id": "bytedance-sg",
                "name": "ByteDance SG",
                "hq": "US",
                "owners": [{"owner": "bytedanse", "percent": 100}],
            },
        ],
        "chips": [{"id": "nvidia-h200", "name": "H200", "designer": "nvidia", "tdp_w": "hot"}],
    }
    with pytest.raises(DocumentError) as info:
        io.world_from_data(doc)
    problems = info.value.problems
    assert "chips[0].tdp_w: expected a number, got 'hot'" in problems
    assert any(
        p.startswith("companies[") and "owners" in p and "'bytedanse'" in p for p in problems
    ), problems


# -- containers of the wrong shape ----------------------------------------------------------

POLICY = {
    "side": "export",
    "id": "p",
    "issuer": "US",
    "title": "P",
    "criterion": {"type": "reexport"},
    "effect": "allow",
    "effective": "2026-01-15",
}


@pytest.mark.parametrize(
    ("doc", "path"),
    [
        pytest.param({"states": 5}, "states", id="number-for-list"),
        pytest.param({"states": {"id": "US", "name": "US"}}, "states", id="table-for-list"),
        pytest.param(
            {"states": [{"id": "US", "name": "US", "sources": "https://example.org"}]},
            "states[0].sources",
            id="string-for-sources",
        ),
        pytest.param(
            {
                "states": [{"id": "US", "name": "US"}],
                "groups": [{"id": "g", "issuer": "US", "code": "G", "name": "G", "members": "CN"}],
            },
            "groups[0].members",
            id="string-for-members",
        ),
        pytest.param(
            {
                "states": [{"id": "US", "name": "US"}],
                "policies": [{**POLICY, "criterion": {"type": "all", "of": "xy"}}],
            },
            "policies[0].criterion.of",
            id="string-for-criteria",
        ),
        pytest.param(
            {
                "states": [{"id": "US", "name": "US"}],
                "policies": [{**POLICY, "conditions": {"type": "tariff", "rate": 0.1}}],
            },
            "policies[0].conditions",
            id="table-for-conditions",
        ),
        pytest.param(
            {
                "states": [{"id": "US", "name": "US"}],
                "policies": [{**POLICY, "criterion": {"type": "item_is", "ids": "abc"}}],
            },
            "policies[0].criterion.ids",
            id="string-for-set",
        ),
    ],
)
def test_a_list_of_the_wrong_shape_is_named_as_such(doc: dict[str, Any], path: str) -> None:
    """A string or a table where a list belongs is one problem saying so, not one problem per
    character or key of it."""
    with pytest.raises(DocumentError) as info:
        io.world_from_data(doc)
    assert len(info.value.problems) == 1
    assert info.value.problems[0].startswith(f"{path}: expected a list")


def test_non_string_keys_are_reported_not_a_crash() -> None:
    doc = {"states": [{"id": "US", "name": "US", 1: "one", "z": "zed"}]}
    with pytest.raises(DocumentError, match=r"states\[0\]: unknown key"):
        io.world_from_data(doc)


@pytest.mark.parametrize(
    ("doc", "problem"),
    [
        ([1, 2], "$: expected a table of states, groups,"),
        ({"schema_version": 2}, "schema_version: this geotech reads version 1, got 2"),
        ({"states": [None]}, "states[0]: expected a table, got null"),
        ({"states": [{"id": 5, "name": "US"}]}, "states[0].id: expected a string, got 5"),
        (
            {"states": [{"id": "USA", "name": "US"}]},
            "states[0].id: expected an ISO 3166 alpha-2 code like 'CN', got 'USA'",
        ),
        (
            {"states": [{"id": "US", "name": "A"}, {"id": "US", "name": "B"}]},
            "states: id 'US' is used 2 times; ids must be unique",
        ),
        (
            {"chips": [{"id": "c", "name": "C", "designer": "n", "die_area_mm2": -5}]},
            "chips[0].die_area_mm2: must be a finite number > 0 (or omitted if unknown), got -5.0",
        ),
        (
            {"chips": [{"id": "c", "name": "C", "designer": "n", "released": "2024-02-30"}]},
            "chips[0].released: expected a date YYYY-MM-DD, got '2024-02-30'",
        ),
        (
            {"chips": [{"id": "c", "name": "C", "designer": "n", "datacenter": "yes"}]},
            "chips[0].datacenter: expected true or false, got 'yes'",
        ),
    ],
)
def test_single_problems(doc: Any, problem: str) -> None:
    with pytest.raises(DocumentError) as info:
        io.world_from_data(doc)
    assert len(info.value.problems) == 1
    assert info.value.problems[0].startswith(problem)


def test_policy_problems_with_paths() -> None:
    policy = {
        "side": "export",
        "id": "p",
        "issuer": "US",
        "title": "P",
        "effect": "license_required",
        "effective": "2026-01-15",
    }
    doc = {
        "states": [{"id": "US", "name": "US"}],
        "policies": [
            {**policy, "criterion": {"type": "bogus"}, "review": "case_by_case"},
            {**policy, "criterion": {"type": "spec", "fact": "tpp", "op": "=>", "value": "x"}},
            {**policy, "side": "sideways", "criterion": {"type": "reexport"}},
            {
                **policy,
                "criterion": {"type": "reexport"},
                "review": "maybe",
                "conditions": [{"type": "tariff", "rate": 2}, {"type": "volume_cap"}],
            },
        ],
    }
    with pytest.raises(DocumentError) as info:
        io.world_from_data(doc)
    problems = info.value.problems
    assert problems[0].startswith(
        "policies[0].criterion.type: expected one of all, any, not, item_kind"
    )
    assert problems[1:] == (
        "policies[1].criterion.op: expected one of >=, >, <, <=, got '=>'",
        "policies[1].criterion.value: expected a number, got 'x'",
        "policies[2].side: expected one of export, import, got 'sideways'",
        "policies[3].review: expected one of presumption_of_approval, case_by_case, "
        "presumption_of_denial, got 'maybe'",
        "policies[3].conditions[0].rate: expected a fraction between 0 and 1, got 2.0",
        "policies[3].conditions[1]: VolumeCap: give exactly one of units (a number of items) "
        "or fraction (of a reference volume)",
    )


# -- deep nesting ----------------------------------------------------------------------------


def _policy_toml(criterion: str) -> str:
    return (
        'schema_version = 1\n[[states]]\nid = "US"\nname = "United States"\n'
        '[[policies]]\nside = "export"\nid = "p"\nissuer = "US"\ntitle = "P"\n'
        f'effect = "prohibit"\neffective = 2026-01-15\ncriterion = {criterion}\n'
    )


def _policy_json(criterion: str) -> str:
    return (
        '{"schema_version": 1, "states": [{"id": "US", "name": "United States"}], '
        '"policies": [{"side": "export", "id": "p", "issuer": "US", "title": "P", '
        f'"effect": "prohibit", "effective": "2026-01-15", "criterion": {criterion}}}]}}'
    )


def _nested_not(n: int, fmt: io.Format) -> str:
    if fmt == "toml":
        return '{ type = "not", of = ' * n + '{ type = "reexport" }' + " }" * n
    return '{"type": "not", "of": ' * n + '{"type": "reexport"}' + "}" * n


def _nested_all(n: int, fmt: io.Format) -> str:
    if fmt == "toml":
        return '{ type = "all", of = [' * n + '{ type = "reexport" }' + "] }" * n
    return '{"type": "all", "of": [' * n + '{"type": "reexport"}' + "]}" * n


@pytest.mark.parametrize("fmt", ["toml", "json"])
@pytest.mark.parametrize("nest", [_nested_not, _nested_all], ids=["not", "all"])
def test_a_criterion_nested_ten_thousand_deep(tmp_path: Path, fmt: io.Format, nest: Any) -> None:
    render = _policy_toml if fmt == "toml" else _policy_json
    error = load_error(tmp_path, f"deep.{fmt}", render(nest(10_000, fmt)))
    assert len(error.problems) == 1
    assert error.problems[0].startswith("$: nested too deeply")


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_a_criterion_nested_deeper_than_the_world_allows(fmt: io.Format) -> None:
    render = _policy_toml if fmt == "toml" else _policy_json
    with pytest.raises(DocumentError) as info:
        io.loads_world(render(_nested_not(100, fmt)), fmt)
    # Reported at the outermost connective over a 64-deep part, 37 levels down.
    assert info.value.problems == (
        "policies[0].criterion"
        + ".of" * 37
        + ": nested deeper than 64 levels (geotech.criteria.MAX_CRITERION_DEPTH); flatten it",
    )
    world = io.loads_world(render(_nested_not(60, fmt)), fmt)
    assert world.policy("p").effect == "prohibit"


def test_deep_plain_data_is_refused_before_structuring() -> None:
    deep: Any = []
    for _ in range(10_000):
        deep = [deep]
    with pytest.raises(DocumentError) as info:
        io.world_from_data({"states": deep})
    assert len(info.value.problems) == 1
    assert "nested deeper than" in info.value.problems[0]


# -- unreadable files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("bad.toml", 'schema_version = 1\n[[states]\nid = "US"\n', "$: not valid TOML: "),
        ("bad.toml", "states = [\n", "$: not valid TOML: "),
        ("bad.json", '{"states": [}', "$: not valid JSON: "),
        ("bad.json", "", "$: not valid JSON: "),
        ("bad.json", b'{"states": [{"id": "US", "name": "\xff"}]}', "$: not UTF-8 text"),
        ("bad.toml", b'name = "\xc3\x28"', "$: not UTF-8 text"),
    ],
)
def test_invalid_syntax_and_encoding(
    tmp_path: Path, name: str, text: str | bytes, problem: str
) -> None:
    error = load_error(tmp_path, name, text)
    assert len(error.problems) == 1
    assert error.problems[0].startswith(problem)


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    with pytest.raises(DocumentError) as info:
        io.load_world(path)
    assert str(info.value) == (
        f"invalid document in {path}: 1 problem\n"
        "  - $: cannot read the file: No such file or directory"
    )


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(DocumentError, match=r"\$: cannot read the file"):
        io.load_world(tmp_path / "dir.json")


# -- never another exception type -----------------------------------------------------------


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["type", "of", "id", "x"]), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_edit_of_a_valid_document_loads_or_raises_a_document_error(
    mini_world: World, data: st.DataObject
) -> None:
    """Replace, delete or add values anywhere in a valid document (the mini world as JSON
    data): loading gives a World or one DocumentError, never another exception."""
    doc = json.loads(io.dumps_world(mini_world, "json"))
    edit = st.tuples(
        st.sampled_from(_paths(doc)), st.sampled_from(["replace", "delete", "extra"]), _JSON
    )
    for path, action, value in data.draw(st.lists(edit, min_size=1, max_size=3)):
        node = doc
        try:
            for key in path[:-1]:
                node = node[key]
            if action == "delete" and isinstance(node, dict):
                del node[path[-1]]
            elif action == "extra" and isinstance(node, dict):
                node["unexpected"] = value
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    outcome: World | DocumentError
    try:
        outcome = io.world_from_data(doc)
    except DocumentError as error:
        outcome = error
    if isinstance(outcome, DocumentError):
        assert outcome.problems
        assert all(isinstance(p, str) and ": " in p for p in outcome.problems)
    else:
        assert isinstance(outcome, World)


# -- dumps that fail ----------------------------------------------------------------------------


def test_dump_into_a_missing_directory_writes_nothing(mini_world: World, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "world.toml"
    with pytest.raises(GeotechError, match="cannot write here"):
        io.dump_world(mini_world, target)
    assert list(tmp_path.iterdir()) == []


def test_dump_below_a_file_writes_nothing(mini_world: World, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(GeotechError, match="cannot write here"):
        io.dump_world(mini_world, tmp_path / "file" / "world.json")
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_a_failed_dump_leaves_the_old_file_and_no_temporary(
    mini_world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "world.json"
    target.write_text("previous content", encoding="utf-8")

    def refuse(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(GeotechError, match="cannot write: No space left on device"):
        io.dump_world(mini_world, target)
    assert target.read_text(encoding="utf-8") == "previous content"
    assert [p.name for p in tmp_path.iterdir()] == ["world.json"]


def test_an_interrupted_dump_leaves_no_temporary(
    mini_world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(src: Any, dst: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        io.dump_world(mini_world, tmp_path / "world.toml")
    assert list(tmp_path.iterdir()) == []


# -- hardening ----------------------------------------------------------------------------------

HUGE = "9" * 5000


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        (f'{{"schema_version": {HUGE}}}', "json"),
        (f"schema_version = {HUGE}\n", "toml"),
    ],
)
def test_integers_longer_than_python_reads_are_a_document_error(text: str, fmt: io.Format) -> None:
    with pytest.raises(DocumentError) as info:
        io.loads_world(text, fmt)
    assert info.value.problems == (
        f"$: a number is longer than {io.MAX_INT_DIGITS:,} digits; no geotech figure is",
    )


def test_a_huge_integer_in_data_is_a_problem_at_its_path() -> None:
    doc = {"chips": [{"id": "c", "name": "C", "designer": "n", "die_area_mm2": 10**5000}]}
    with pytest.raises(DocumentError) as info:
        io.world_from_data(doc)
    assert info.value.problems[0].startswith(
        "chips[0].die_area_mm2: expected a number of at most about 1.8e308, got an integer"
    )


def test_dumping_a_world_holding_a_huge_integer_is_a_geotech_error(mini_world: World) -> None:
    model = Model(id="m", name="M", developer="nvidia", training_chip_count=10**5000)
    world = attrs.evolve(mini_world, models=(model,))
    for fmt in ("json", "toml"):
        with pytest.raises(GeotechError, match=r"an integer is longer than 4,300 digits"):
            io.dumps_world(world, fmt)  # type: ignore[arg-type]


def test_duplicate_json_keys_are_an_error() -> None:
    text = '{"states": [{"id": "US", "name": "A", "name": "B"}]}'
    with pytest.raises(DocumentError) as info:
        io.loads_world(text, "json")
    assert info.value.problems == (
        "$: not valid JSON: key 'name' appears twice in one object; keep one",
    )


@pytest.mark.parametrize("version", [True, 1.0, "1", None])
def test_schema_version_must_be_the_integer_one(version: Any) -> None:
    with pytest.raises(DocumentError) as info:
        io.world_from_data({"schema_version": version})
    assert info.value.problems[0].startswith("schema_version: this geotech reads version 1, got")


@pytest.mark.parametrize("day", ["20260115", "2026-W03-4", "2026-1-15", "2026-01-15T00:00"])
def test_dates_are_exactly_year_month_day(day: str) -> None:
    doc = {"chips": [{"id": "c", "name": "C", "designer": "n", "released": day}]}
    with pytest.raises(DocumentError) as info:
        io.world_from_data(doc)
    assert info.value.problems == (f"chips[0].released: expected a date YYYY-MM-DD, got {day!r}",)


def test_an_unknown_format_names_the_supported_ones() -> None:
    with pytest.raises(
        GeotechError, match=r"unknown document format 'yaml'; use one of toml, json"
    ):
        io.loads_world("a: 1", "yaml")  # type: ignore[arg-type]
    with pytest.raises(GeotechError, match=r"unknown document format 'yaml'"):
        io.dumps_world(World(), "yaml")  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [b'{"states": []}', None, 5])
def test_text_that_is_not_a_string_is_a_document_error(text: Any) -> None:
    with pytest.raises(DocumentError, match=r"expected the document as text \(str\), got"):
        io.loads_world(text, "json")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"US"}, "states: expected document data (tables, lists, strings, numbers, booleans, "
         "dates), got a set"),
        (object(), "states: expected document data"),
        ([{"id": "US", "name": float("nan")}], "states[0].name: expected a string, got NaN"),
    ],
)  # fmt: skip
def test_data_that_no_document_holds_is_a_document_error(value: Any, problem: str) -> None:
    with pytest.raises(DocumentError) as info:
        io.world_from_data({"states": value})
    assert info.value.problems[0].startswith(problem)


def test_a_criterion_nested_five_thousand_deep_in_python() -> None:
    def build() -> Criterion:
        criterion: Criterion = Reexport()
        for _ in range(5_000):
            criterion = Not(criterion)
        return criterion

    with pytest.raises(GeotechError, match="nested deeper than 64 levels"):
        build()


def test_every_field_of_a_record_is_reported() -> None:
    doc = {
        "states": [{"id": "US", "name": "US"}],
        "companies": [{"id": "n", "name": "N", "hq": "US"}],
        "chips": [
            {"id": "c", "name": "C", "designer": "n", "die_area_mm2": -5, "tdp_w": "hot"},
        ],
    }
    with pytest.raises(DocumentError) as info:
        io.world_from_data(doc)
    assert info.value.problems == (
        "chips[0].die_area_mm2: must be a finite number > 0 (or omitted if unknown), got -5.0",
        "chips[0].tdp_w: expected a number, got 'hot'",
    )


def test_a_bad_record_does_not_hide_a_duplicate_id_elsewhere() -> None:
    doc = {
        "states": [{"id": "US", "name": "US"}],
        "companies": [
            {"id": "x", "name": "X", "hq": "US"},
            {"id": "x", "name": "X again", "hq": "US"},
        ],
        "chips": [{"id": "x", "name": "X", "designer": "x", "tdp_w": "hot"}],
    }
    with pytest.raises(DocumentError) as info:
        io.world_from_data(doc)
    assert info.value.problems == (
        "chips[0].tdp_w: expected a number, got 'hot'",
        "companies: id 'x' is used 2 times; ids must be unique",
    )


def test_world_problems_point_into_the_document() -> None:
    doc = {
        "states": [{"id": "US", "name": "US"}],
        "groups": [
            {"id": "g", "issuer": "US", "code": "G", "name": "G", "members": [{"state": "CN"}]}
        ],
    }
    with pytest.raises(DocumentError) as info:
        io.world_from_data(doc)
    assert info.value.problems == ("groups[0].members[0]: unknown state 'CN'",)
