"""The concise account of a decision and the both-sides labels of matrix cells: exact text."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from geotech import AccessRequest, World, catalog, evaluate, render
from geotech.analysis import access_matrix
from geotech.errors import GeotechError

ON = dt.date(2026, 2, 1)
VIA_US = ("TW", "US", "CN")


def test_concise_text_of_the_flagship_request(mini_world: World) -> None:
    d = evaluate(
        mini_world, AccessRequest(buyer="bytedance", item="nvidia-h200", on=ON, route=VIA_US)
    )
    assert render.to_text(d).splitlines() == [
        "ByteDance (bytedance) x NVIDIA H200 SXM (nvidia-h200) on 2026-02-01, route TW -> US -> CN",
        "Verdict: LICENSE_REQUIRED (case-by-case) [certain]",
        "  leg       side       verdict                          determined by",
        "  TW -> US  TW export  ALLOWED                          -",
        "  TW -> US  US import  CONDITIONAL                      us-2026-semiconductor-tariff",
        "  US -> CN  US export  LICENSE_REQUIRED (case-by-case)  us-2026-h200-case-by-case",
        "  US -> CN  CN import  CONDITIONAL                      cn-2026-h200-import-approvals",
        "Conditions:",
        "  - domestic purchase ratio: buy domestic chips alongside",
        "  - supply certification: sufficient US supply",
        "  - third party testing: independent testing in the US",
        "  - tariff 25%",
        "  - volume cap 50% of shipments to US end users",
        "Determined by:",
        "  - us-2026-h200-case-by-case: Case-by-case review for exports from the US to China and "
        "Macau; US export policy; effective 2026-01-15; 91 FR 1684 "
        "<https://www.morganlewis.com/pubs/2026/01/"
        "bis-revises-export-review-policy-for-advanced-ai-chips-destined-for-china-and-macau>",
    ]
    # the full trace stays on the decision
    assert "      all of: true" in d.explain().splitlines()


def test_concise_markdown_has_the_sides_table(mini_world: World) -> None:
    d = evaluate(mini_world, AccessRequest(buyer="huawei", item="nvidia-h200", on=ON))
    assert render.to_markdown(d).splitlines()[:8] == [
        "**Huawei (huawei) x NVIDIA H200 SXM (nvidia-h200)** on 2026-02-01, route US -> CN",
        "",
        "**Verdict:** PROHIBITED",
        "",
        "| leg | side | verdict | determined by |",
        "|---|---|---|---|",
        "| US -> CN | US export | LICENSE_REQUIRED (presumption of denial) | "
        "us-entity-list-license |",
        "| US -> CN | CN import | PROHIBITED | cn-2026-h200-customs-block |",
    ]


def test_unknown_facts_name_the_check_and_the_effect() -> None:
    world = catalog.world()
    d = evaluate(world, AccessRequest(buyer="bytedance", item="nvidia-h20", on=ON))
    lines = render.to_text(d).splitlines()
    assert lines[1] == (
        "Verdict: LICENSE_REQUIRED (presumption of approval) "
        "[NOT certain: depends on unknown facts]"
    )
    assert lines[-4:] == [
        "Unknown facts (fact: check -> effect):",
        "  - request.end_use: end use undeclared in {military} -> "
        "us-bis-2020-06-29-military-end-use (US -> CN, export) would make it LICENSE_REQUIRED "
        "(presumption of denial)",
        "  - request.end_use: end use undeclared in {advanced_node_fabrication, supercomputer} -> "
        "us-bis-2023-10-17-supercomputer-end-use (US -> CN, export) would make it "
        "LICENSE_REQUIRED (presumption of denial)",
        "  - request.end_use: end use undeclared in {state_funded_datacenter} -> "
        "cn-2025-11-state-funded-dc-domestic-only (US -> CN, import) would make it PROHIBITED",
    ]


def test_sides_label_shows_each_ruling_state_when_they_differ(mini_world: World) -> None:
    def cell(buyer: str, item: str) -> str:
        return render.sides_label(
            evaluate(mini_world, AccessRequest(buyer=buyer, item=item, on=ON))
        )

    assert cell("bytedance", "nvidia-h200") == "US license (case-by-case) / CN conditional*"
    assert cell("huawei", "nvidia-h200") == "CN prohibited / US license (denial)"
    # one ruling state: the plain label
    assert cell("huawei", "nvidia-h20") == "license (denial)"
    assert cell("bytedance", "nvidia-h20") == "allowed"


def test_h20_guidance_is_visible_in_the_catalogue() -> None:
    world = catalog.world()
    d = evaluate(world, AccessRequest(buyer="bytedance", item="nvidia-h20", on=ON))
    assert render.sides_label(d) == "US license (approval) / CN discouraged*?"
    assert render.label(d) == "license (approval)*?"


def test_results_display_as_markdown_in_notebooks(mini_world: World) -> None:
    from geotech.analysis import access_matrix, timeline

    d = evaluate(mini_world, AccessRequest(buyer="huawei", item="nvidia-h200", on=ON))
    matrix = access_matrix(mini_world, ["huawei"], ["nvidia-h200"], ON)
    line = timeline(mini_world, d.request, dt.date(2026, 1, 1), dt.date(2026, 3, 1))
    for value in (d, matrix, line):
        assert value._repr_markdown_() == render.to_markdown(value)  # type: ignore[union-attr]
    assert matrix._repr_markdown_().splitlines()[0] == (  # type: ignore[attr-defined]
        "**Access on 2026-02-01, route default routes**"
    )


def test_results_display_as_html_in_notebooks(mini_world: World) -> None:
    pytest.importorskip("markdown", reason="HTML display needs the notebook extra")
    matrix = access_matrix(mini_world, ["huawei"], ["nvidia-h200"], ON)
    html = matrix._repr_html_()  # type: ignore[attr-defined]
    assert html == render.to_html(matrix)
    assert html.startswith("<p><strong>Access on 2026-02-01, route default routes</strong></p>")
    assert "<th>buyer</th>" in html
    assert "<td>huawei</td>" in html


def test_html_display_falls_back_to_markdown_without_the_extra(
    mini_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "markdown", None)  # the import fails
    matrix = access_matrix(mini_world, ["huawei"], ["nvidia-h200"], ON)
    assert matrix._repr_html_() is None  # type: ignore[attr-defined]
    with pytest.raises(GeotechError, match=r"pip install 'geotech\[notebook\]'"):
        render.to_html(matrix)


def test_import_geotech_is_enough_for_notebook_display() -> None:
    code = (
        "import datetime as dt, geotech\n"
        "from geotech.engine import evaluate\n"
        "from geotech.catalog import world\n"
        "d = evaluate(world(), geotech.AccessRequest("
        "buyer='huawei', item='nvidia-h200', on=dt.date(2026, 2, 1)))\n"
        "print(d._repr_markdown_().splitlines()[0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.startswith("**Huawei Technologies")
