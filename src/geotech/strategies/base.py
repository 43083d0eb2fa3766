"""Hypothesis strategies: base."""

from __future__ import annotations

import datetime as dt
import functools
import types
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import frozen
from hypothesis import strategies as st

from geotech import criteria as c
from geotech.world import World

T = TypeVar("T")

#: The pool of states drawn from, with their names.
STATES: Mapping[str, str] = types.MappingProxyType(
    {
        "CN": "China",
        "JP": "Japan",
        "MO": "Macau",
        "NL": "Netherlands",
        "TW": "Taiwan",
        "US": "United States",
    }
)
#: The pool of dates drawn from: every 1 January and 1 July of 2020-2027.
DATES: tuple[dt.date, ...] = tuple(dt.date(y, m, 1) for y in range(2020, 2028) for m in (1, 7))

CODES = ("3A090.a", "3A090.b", "4A090.a")
END_USES = ("commercial", "military", "research")
_URLS = ("https://example.org/rule-1", "https://example.org/rule-2")
#: Readable figures; whole numbers appear as ``int`` too, as users write them for floats.
TOPS = (1979, 989.5, 296, 148.0, 60, 2250.5, 19.5, 312)
FRACTIONS = (0.25, 0.5, 0.15, 0, 1, 0.05, 1.0)
SHARES = (0.25, 0.5, 0.1, 0.05, 0.35)
#: Possible values of each optional chip spec; ``None`` (unknown) is about one value in three.
CHIP_SPECS: dict[str, tuple[float | None, ...]] = {
    "die_area_mm2": (814, 609.0, 294.5, 750, None, None, None),
    "memory_gb": (80, 141.0, 96, 24, None, None),
    "dram_bandwidth_gbs": (3350, 4800.0, 2039, 1008, None, None),
    "interconnect_gbs": (900, 400.0, 600, 64.5, None, None),
    "tdp_w": (700, 400.0, 300, 75.5, None, None),
    "process_nm": (7.0, 4.0, 16.0, 28.0, None, None),
    "transistors": (5.4e10, 3e10, 3.5e10, 2.83e10, 4e10, None, None),
}
#: Possible values of each optional model figure.
MODEL_FIGURES: dict[str, tuple[float | None, ...]] = {
    "parameters": (1.75e11, 4.05e11, 7e9, 1e12, None, None),
    "active_parameters": (3.7e10, 1.75e11, 7e9, None, None),
    "training_flop": (2.1e25, 3.8e25, 5e24, 1e26, 3.2e23, None, None),
}
THRESHOLDS: dict[c.SpecName, tuple[float, ...]] = {
    c.SpecName.TPP: (4800, 1600.0, 2400.0, 15832),
    c.SpecName.PERFORMANCE_DENSITY: (5.92, 1.6, 3.2),
    c.SpecName.DRAM_BANDWIDTH_GBS: (4100, 1400.0),
    c.SpecName.INTERCONNECT_GBS: (600, 900.0),
    c.SpecName.MEMORY_GB: (80.0, 96),
    c.SpecName.TDP_W: (300, 700.0),
    c.SpecName.DIE_AREA_MM2: (600.0, 814),
    c.SpecName.TRAINING_FLOP: (1e25, 1e26),
    c.SpecName.PARAMETERS: (1e10, 1e11),
    c.SpecName.WAVELENGTH_NM: (193.0, 13.5),
    c.SpecName.OVERLAY_NM: (2.4, 1.5),
    c.SpecName.MEMORY_BANDWIDTH_DENSITY: (2.0, 3.3),
    c.SpecName.PROCESS_NM: (16.0, 7.0),
    c.SpecName.TRANSISTORS: (3e10, 3.5e10, 4e10),
}


@frozen
class Refs:
    """The ids that generated records may refer to.

    The defaults are small pools for values drawn on their own; ``Refs.of(world)`` gives the
    ids a world holds, so records drawn with it validate in that world. An empty pool means
    "refer to nothing of that kind" (criteria that would need such an id are not drawn).
    """

    states: tuple[str, ...] = tuple(STATES)
    groups: tuple[str, ...] = ("g1", "g2")
    lists: tuple[str, ...] = ("l1",)
    companies: tuple[str, ...] = ("c1", "c2", "c3")
    items: tuple[str, ...] = ("chip1", "model1", "mat1")
    chips: tuple[str, ...] = ("chip1",)
    #: Inputs of production (materials and equipment): what supply shares and dependencies name.
    materials: tuple[str, ...] = ("mat1",)
    codes: tuple[str, ...] = CODES
    policies: tuple[str, ...] = ("p1", "p2")

    @classmethod
    def of(cls, world: World) -> Refs:
        """Every id ``world`` holds (``policies``: the ones a new policy may supersede)."""
        return cls(
            states=tuple(s.id for s in world.states),
            groups=tuple(g.id for g in world.groups),
            lists=tuple(p.id for p in world.party_lists),
            companies=tuple(x.id for x in world.companies),
            items=tuple(sorted(world.ids("item"))),
            chips=tuple(x.id for x in world.chips),
            materials=tuple(x.id for x in world.materials) + tuple(x.id for x in world.equipment),
            codes=tuple(sorted({k.code for k in world.classes})),
            policies=tuple(p.id for p in world.policies),
        )


DEFAULT_REFS = Refs()
NO_REFS = Refs(
    states=(),
    groups=(),
    lists=(),
    companies=(),
    items=(),
    chips=(),
    materials=(),
    codes=(),
    policies=(),
)


# ---------------------------------------------------------------------------------------------
# Building blocks. Strategies are cached and draws kept few: generation cost is per draw.


def pool(values: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    """One of ``values``, shrinking towards the first."""
    # The types are part of the cache key: (0, 1) == (False, True) == (ReviewPolicy members).
    return _sampled(values, tuple(type(v) for v in values))


@functools.cache
def _sampled(values: tuple[Any, ...], _types: tuple[type, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(values)


def between(low: int, high: int) -> st.SearchStrategy[int]:
    """A count in [low, high], uniformly (``st.integers`` favours the ends), shrinking to low."""
    return pool(tuple(range(low, high + 1)))


@functools.cache
def optional(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.one_of(st.none(), strategy)


@functools.cache
def texts(readable: str) -> st.SearchStrategy[str]:
    """``readable`` (shrinks to it), or short arbitrary text."""
    return st.one_of(st.just(readable), st.text(max_size=8))


def sources() -> st.SearchStrategy[tuple[str, ...]]:
    return pool(((), _URLS[:1], _URLS))


@functools.cache
def subset(
    pool: tuple[str, ...], *, min_size: int = 0, max_size: int = 3
) -> st.SearchStrategy[frozenset[str]]:
    """Subsets of ``pool`` (only the empty set when the pool is empty and min_size is 0)."""
    if not pool and min_size == 0:
        return st.just(frozenset())
    return st.frozensets(st.sampled_from(pool), min_size=min_size, max_size=max_size)


@functools.cache
def jurisdictions(pool: tuple[str, ...]) -> st.SearchStrategy[frozenset[str]]:
    """Usually none (the maker's headquarters state decides), else 1-3 states of ``pool``."""
    return st.one_of(st.just(frozenset[str]()), subset(pool, min_size=1))


@functools.cache
def dates() -> st.SearchStrategy[dt.date]:
    """A date from ``DATES``, or any date in 2019-2028."""
    return st.one_of(pool(DATES), st.dates(dt.date(2019, 1, 1), dt.date(2028, 12, 31)))


@st.composite
def period(draw: st.DrawFn, *, open_start: bool = True) -> tuple[dt.date | None, dt.date | None]:
    """A half-open period [start, end) from ``DATES`` with end > start; ``end`` may be open
    (``None``), and so may ``start`` when ``open_start``."""
    start = draw(optional(pool(DATES)) if open_start else pool(DATES))
    later = tuple(d for d in DATES if start is None or d > start)
    return start, draw(optional(pool(later))) if later else None


@st.composite
def dated(draw: st.DrawFn) -> tuple[dt.date, dt.date | None]:
    start, end = draw(period(open_start=False))
    assert start is not None
    return start, end
