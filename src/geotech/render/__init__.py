"""Text, Markdown and JSON renderings of decisions and results.

``to_text``, ``to_markdown`` and ``to_json`` take any ``Renderable``: a ``Decision``, an
``AccessMatrix``, a ``Timeline``, a ``Comparison``, a ``RouteChoice``, lint ``Finding``s,
``AccessibleCompute``, a ``ComputeGap``, an ``Exposure``, ``Chokepoint``s or a
``CounterScenario``. A decision's text is the concise account (``geotech.render.decision``);
``Decision.explain()`` is the full criteria trace. Matrix cells and timelines label a decision
with ``sides_label``: each ruling state's verdict when they differ. JSON is the converter's:
``geotech.io.to_data`` written by ``geotech.io.dumps_json`` (a sequence of findings or
chokepoints under one key, so that every JSON rendering is an object). Tables come from one
renderer, ``table``. Output is deterministic: the same value always renders to the same bytes.

Notebook display: each result class above (not the sequences) gets ``_repr_markdown_``
(``to_markdown``) and ``_repr_html_`` (``to_html``; ``None``, so the notebook falls back to
Markdown, when the ``notebook`` extra is missing), so that Jupyter shows a decision, a matrix or
an exposure as a table. The classes live in lower layers that cannot import ``render``; the
``geotech`` package imports this module, so ``import geotech`` turns the display on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from geotech import io
from geotech.analysis import AccessMatrix, Comparison, Finding, RouteChoice, Timeline
from geotech.compute import AccessibleCompute, ComputeGap
from geotech.engine import Decision
from geotech.errors import GeotechError
from geotech.render import analysis, decision, resources
from geotech.render.decision import sides_label
from geotech.render.tables import LEGEND, label, table
from geotech.supply import Chokepoint, CounterScenario, Exposure

__all__ = [
    "LEGEND",
    "Renderable",
    "label",
    "sides_label",
    "table",
    "to_html",
    "to_json",
    "to_markdown",
    "to_text",
]

Renderable = (
    Decision
    | AccessMatrix
    | Timeline
    | Comparison
    | RouteChoice
    | Sequence[Finding]
    | AccessibleCompute
    | ComputeGap
    | Exposure
    | Sequence[Chokepoint]
    | CounterScenario
)

_LINES: dict[type[Any], Callable[[Any, bool], list[str]]] = {
    Decision: decision.concise_lines,
    AccessMatrix: analysis.matrix_lines,
    Timeline: analysis.timeline_lines,
    Comparison: analysis.comparison_lines,
    RouteChoice: analysis.route_lines,
    AccessibleCompute: resources.accessible_lines,
    ComputeGap: resources.gap_lines,
    Exposure: resources.exposure_lines,
    CounterScenario: resources.counter_lines,
}

#: Sequences render by their element type, under this key in JSON.
_SEQUENCES: dict[type[Any], tuple[str, Callable[[Any, bool], list[str]]]] = {
    Finding: ("findings", analysis.finding_lines),
    Chokepoint: ("chokepoints", resources.chokepoint_lines),
}


def _sequence(value: object) -> tuple[str, Callable[[Any, bool], list[str]]] | None:
    if not isinstance(value, Sequence) or isinstance(value, str):
        return None
    kinds = {type(x) for x in value}
    if len(kinds) > 1 or not kinds <= set(_SEQUENCES):
        return None
    # An empty sequence has no element type: it renders as no findings.
    return _SEQUENCES[kinds.pop() if kinds else Finding]


def _lines(value: Renderable, markdown: bool) -> list[str]:
    lines = _LINES.get(type(value))
    if lines is not None:
        return lines(value, markdown)
    sequence = _sequence(value)
    if sequence is None:
        raise TypeError(f"cannot render {type(value).__name__}; see geotech.render.Renderable")
    return sequence[1](value, markdown)


def to_text(value: Renderable) -> str:
    """Plain text for a terminal (fixed-width tables), ending with a newline."""
    return "\n".join(_lines(value, markdown=False)) + "\n"


def to_markdown(value: Renderable) -> str:
    """GitHub-flavoured Markdown (tables with ``|`` escaped), ending with a newline."""
    return "\n".join(_lines(value, markdown=True)) + "\n"


def to_json(value: Renderable) -> str:
    """JSON text of ``geotech.io.to_data(value)`` (two-space indent, final newline);
    byte-stable. ``geotech.io.from_data`` reads it back."""
    sequence = None if type(value) in _LINES else _sequence(value)
    if sequence is not None:
        return io.dumps_json({sequence[0]: io.to_data(tuple(value))})  # type: ignore[arg-type]
    if type(value) not in _LINES:
        raise TypeError(f"cannot render {type(value).__name__}; see geotech.render.Renderable")
    return io.dumps_json(io.to_data(value))


def to_html(value: Renderable) -> str:
    """HTML of ``to_markdown(value)`` (tables as ``<table>``), for notebooks and web pages;
    needs the ``notebook`` extra (the ``markdown`` package)."""
    try:
        import markdown
    except ImportError:
        raise GeotechError(
            "HTML needs the markdown package: pip install 'geotech[notebook]'"
        ) from None
    html: str = markdown.markdown(to_markdown(value), extensions=["tables"], output_format="html")
    return html + "\n"


def _repr_markdown_(self: Renderable) -> str:
    """The value as Markdown, for Jupyter (``render.to_markdown``)."""
    return to_markdown(self)


def _repr_html_(self: Renderable) -> str | None:
    """The value as HTML, for Jupyter (``render.to_html``); ``None`` without the extra."""
    try:
        return to_html(self)
    except GeotechError:
        return None


def _register_notebook_display() -> None:
    for cls in _LINES:
        cls._repr_markdown_ = _repr_markdown_
        cls._repr_html_ = _repr_html_


_register_notebook_display()
