"""Look-ups accept any case, blanks for dashes and short item names; unknown ids get the
obvious candidates first."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geotech import catalog
from geotech.cli import main
from geotech.errors import UnknownEntityError, normal_id, suggestions

WORLD = catalog.world()


@pytest.mark.parametrize(
    "key", ["nvidia-h200", "H200", "nvidia h200", "NVIDIA-H200", "nvidia_h200"]
)
def test_spellings_of_the_h200(key: str) -> None:
    assert WORLD.item(key).id == "nvidia-h200"
    assert WORLD.chip(key).id == "nvidia-h200"
    assert WORLD.canonical("item", key) == "nvidia-h200"


def test_other_kinds_ignore_case() -> None:
    assert WORLD.state("cn").id == "CN"
    assert WORLD.company("ByteDance").id == "bytedance"
    assert WORLD.aliases("item")["h200"] == "nvidia-h200"


def test_an_ambiguous_short_name_is_no_alias() -> None:
    # an alias never shadows an id, and a short name two makers share names neither
    for kind in ("item", "company", "state", "policy"):
        aliases = WORLD.aliases(kind)
        assert all(aliases[normal_id(k)] == k for k in WORLD.ids(kind))
    with pytest.raises(UnknownEntityError):
        WORLD.item("h100")  # nvidia-h100-sxm, -pcie and -nvl: no record is named h100


@given(st.sampled_from(sorted(WORLD.ids("item"))), st.sampled_from([str.upper, str.title]))
def test_every_item_in_any_case(key: str, case: object) -> None:
    assert WORLD.item(case(key)).id == key  # type: ignore[operator]


def test_suggestions_rank_the_obvious_first() -> None:
    assert suggestions("nvidia-h100", WORLD.ids("item")) == (
        "nvidia-h100-nvl",
        "nvidia-h100-sxm",
        "nvidia-h100-pcie",
    )
    assert suggestions("bytedanse", WORLD.ids("company"))[0] == "bytedance"
    assert suggestions("h20", ["nvidia-h20", "nvidia-h200", "amd-h20x"]) == (
        "nvidia-h20",
        "amd-h20x",
    )
    assert suggestions("Nvidia H20", ["nvidia-h200", "amd-h20x", "nvidia-h20"]) == (
        "nvidia-h20",
        "nvidia-h200",
        "amd-h20x",
    )
    assert suggestions("zzzz", WORLD.ids("item")) == ()


def test_the_error_names_the_h100_parts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "bytedance", "nvidia-h100", "--on", "2026-02-01"]) == 2
    assert capsys.readouterr().err == (
        "geotech explain: error: ITEM: unknown item 'nvidia-h100'; did you mean "
        "'nvidia-h100-nvl', 'nvidia-h100-sxm', 'nvidia-h100-pcie'? "
        "(list them with 'geotech catalog chips')\n"
    )


def test_the_command_takes_friendly_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "ByteDance", "H200", "--on", "2026-02-01"]) == 0
    assert capsys.readouterr().out.startswith(
        "ByteDance Ltd. (bytedance) x NVIDIA H200 SXM 141 GB (nvidia-h200) on 2026-02-01"
    )
