"""Results as pandas data frames (extra ``pandas``).

Every tabular result declares its rows as plain data in a pure ``rows()`` method: a tuple of
dicts whose keys are stable column names and whose values are strings, numbers, booleans,
dates, ``None`` (unknown or not applicable) and tuples of strings. ``to_frame`` turns such rows
into a ``pandas.DataFrame``; each result's ``to_frame()`` calls it.

Column types come from the column's name (``COLUMNS``), so a column has the same dtype in every
frame whatever its values: text is ``string``, counts ``Int64``, numbers ``Float64``, flags
``boolean``, dates ``datetime64[s]``, verdicts, review policies and restrictions ordered
categoricals (sorting a frame by ``restriction`` sorts it from least to most restrictive), id
lists and conditions ``object`` columns of tuples. Missing values are ``<NA>`` / ``NaT``.
Columns named ``before_x`` or ``after_x`` have the type of ``x``.

pandas is imported only when a frame is built; without it ``to_frame`` raises a
``GeotechError`` naming the extra to install.
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from geotech.engine import Decision
from geotech.errors import GeotechError, InvalidValueError
from geotech.policies import Condition, Restriction, ReviewPolicy, Verdict


class ColumnType(enum.Enum):
    """How a column's values are stored in a frame."""

    TEXT = "string"
    COUNT = "Int64"
    NUMBER = "Float64"
    FLAG = "boolean"
    DATE = "datetime64[s]"
    VERDICT = "verdict"
    REVIEW = "review"
    RESTRICTION = "restriction"
    TUPLE = "object"


_CATEGORIES: dict[ColumnType, tuple[str, ...]] = {
    ColumnType.VERDICT: tuple(v.name for v in Verdict),
    ColumnType.REVIEW: tuple(r.name for r in ReviewPolicy),
    ColumnType.RESTRICTION: tuple(str(r) for r in Restriction),
}

_T = ColumnType

#: Every column name a result's rows use, with its type.
COLUMNS: Mapping[str, ColumnType] = {
    **dict.fromkeys(
        (
            "buyer",
            "item",
            "chip",
            "material",
            "producer",
            "destination",
            "state",
            "stage",
            "label",
            "workload",
            "precision",
            "shift",
            "a",
            "b",
        ),
        _T.TEXT,
    ),
    **dict.fromkeys(("rank", "quantity", "units", "sample"), _T.COUNT),
    **dict.fromkeys(
        (
            "share",
            "weight",
            "peak_flops",
            "expected_flops",
            "flop",
            "utilization",
            "ratio",
            "a_flops",
            "b_flops",
            "a_days",
            "b_days",
            "value",
            "achieved_flops",
            "controlled_share",
            "upper_share",
        ),
        _T.NUMBER,
    ),
    **dict.fromkeys(("certain", "estimated", "controlled", "newly_controlled"), _T.FLAG),
    **dict.fromkeys(("on", "start", "end", "as_of"), _T.DATE),
    "verdict": _T.VERDICT,
    "review": _T.REVIEW,
    "restriction": _T.RESTRICTION,
    **dict.fromkeys(
        (
            "route",
            "conditions",
            "determining_policies",
            "responsible",
            "events",
            "chips",
            "restricted_tools",
            "sources",
        ),
        _T.TUPLE,
    ),
}

_SIDES = ("before_", "after_")


def column_type(name: str) -> ColumnType:
    """The type of column ``name`` (``before_x`` and ``after_x`` have the type of ``x``)."""
    base = next((name.removeprefix(s) for s in _SIDES if name.startswith(s)), name)
    found = COLUMNS.get(base)
    if found is None:
        raise InvalidValueError(
            f"frames: column {name!r} has no declared type; add it to geotech.frames.COLUMNS"
        )
    return found


def terms(
    verdict: Verdict,
    review: ReviewPolicy | None,
    *,
    certain: bool,
    conditions: Iterable[Condition] = (),
    policies: Iterable[str] = (),
    prefix: str = "",
) -> dict[str, object]:
    """The columns describing one outcome: verdict and review by name, the restriction text,
    certainty, the conditions as text and the determining policies, each name prefixed."""
    return {
        f"{prefix}verdict": verdict.name,
        f"{prefix}review": None if review is None else review.name,
        f"{prefix}restriction": str(Restriction.of(verdict, review)),
        f"{prefix}certain": certain,
        f"{prefix}conditions": tuple(str(c) for c in conditions),
        f"{prefix}determining_policies": tuple(policies),
    }


def decision_terms(decision: Decision, prefix: str = "") -> dict[str, object]:
    """``terms`` of a decision."""
    return terms(
        decision.verdict,
        decision.review,
        certain=decision.certain,
        conditions=decision.conditions,
        policies=decision.determining_policies,
        prefix=prefix,
    )


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError:
        raise GeotechError(
            "to_frame needs pandas, which is not installed; install it with "
            "pip install 'geotech[pandas]'"
        ) from None


def to_frame(rows: Sequence[Mapping[str, object]]) -> Any:
    """A ``pandas.DataFrame`` of ``rows``, columns in the order of the first row, typed by
    name (see the module docstring). Every row must have the same columns; no rows give an
    empty frame."""
    pd = _pandas()
    names = tuple(rows[0]) if rows else ()
    for i, row in enumerate(rows):
        if tuple(row) != names:
            raise InvalidValueError(
                f"to_frame: row {i} has columns {list(row)}, expected {list(names)} like row 0"
            )
    return pd.DataFrame({name: _series(pd, name, [r[name] for r in rows]) for name in names})


def _series(pd: Any, name: str, values: list[object]) -> Any:
    kind = column_type(name)
    if kind in _CATEGORIES:
        dtype = pd.CategoricalDtype(_CATEGORIES[kind], ordered=True)
        return pd.Series(values, dtype=dtype, name=name)
    return pd.Series(values, dtype=kind.value, name=name)
