"""Criteria over material items: the category a material belongs to.

A category test is how a class definition tells memory components from minerals before it
reads a figure only memory has (``memory_bandwidth_density``): a material of another category,
or an item that is no material, is known not to be in it (false, never unknown), so a mineral
is never left undecided by a memory test.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, ClassVar

import attrs
from attrs import frozen

from geotech.criteria.base import SetCriterion
from geotech.criteria.literals import Family, View
from geotech.criteria.logic import Fact, Facts, Step, Truth, names
from geotech.entities import strings


@frozen(cache_hash=True)
class Categories(Family):
    """The category of a material item; other items have none (a known absence)."""

    context: Fact = Fact.ITEM

    def view(self, value: Any, on: Any, registry: Any, wanted: frozenset[Hashable]) -> View | None:
        category = getattr(value, "category", None) if value.kind == "material" else None
        return View(frozenset() if category is None else frozenset({category}))


MATERIAL_CATEGORIES = Categories()


@frozen
class MaterialCategory(SetCriterion):
    """The item is a material of one of these categories (``memory``, ``mineral``...)."""

    tag: ClassVar[str] = "material_category"
    family = MATERIAL_CATEGORIES
    members_field: ClassVar[str] = "categories"
    categories: frozenset[str] = attrs.field(converter=strings)

    def evaluate(self, facts: Facts) -> Step:
        item = facts.item
        if item.kind != "material":
            seen = f"{item.id} (a {item.kind}, not a material)"
            return Step(f"{seen} in category {names(self.categories)}", Truth.FALSE)
        category = getattr(item, "category", None)
        text = f"material {item.id} category {category} in {names(self.categories)}"
        return Step(text, Truth.of(category in self.categories))


attrs.resolve_types(MaterialCategory)
