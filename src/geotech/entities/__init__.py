"""The actors and items of the world: states, groups, companies, chips, models, materials,
equipment, lists.

Every record is an immutable attrs value. Collections are tuples kept in a canonical order (so
two records with the same content are equal whatever order they were written in) or
frozensets. Unknown facts are ``None``, never zero; derived facts (TPP, performance density,
H100-equivalents) are computed from the specs, never stored.

- ``fields``: validators, converters, periods, ``Status``;
- ``places``: ``State``, ``CountryGroup``, ``Membership``;
- ``companies``: ``Company``, ``Role``, ``Stake``;
- ``items``: ``Chip``, ``Throughput``, ``Precision``, ``Model``, ``Material``, ``Equipment``;
- ``lists``: ``PartyList``, ``Listing``;
- ``chains``: ``SupplyShare``, ``Stage``, ``Dependency``.
"""

from geotech.entities.chains import Dependency, Stage, SupplyShare
from geotech.entities.companies import Company, Role, Stake, exact_percent
from geotech.entities.fields import (
    Status,
    as_tuple,
    boolean,
    by_id,
    check_period,
    check_sources,
    count,
    day,
    fail,
    fraction,
    is_state_code,
    member,
    number,
    optional_boolean,
    optional_day,
    optional_number,
    period_contains,
    positive,
    slug,
    source_field,
    state_code,
    state_codes,
    status,
    strings,
)
from geotech.entities.items import (
    H100_DENSE_8BIT_TOPS,
    Chip,
    Confidence,
    Equipment,
    EquipmentKind,
    Item,
    Material,
    Model,
    Precision,
    Throughput,
)
from geotech.entities.lists import Listing, PartyList
from geotech.entities.places import CountryGroup, Membership, State

__all__ = [
    "H100_DENSE_8BIT_TOPS",
    "Chip",
    "Company",
    "Confidence",
    "CountryGroup",
    "Dependency",
    "Equipment",
    "EquipmentKind",
    "Item",
    "Listing",
    "Material",
    "Membership",
    "Model",
    "PartyList",
    "Precision",
    "Role",
    "Stage",
    "Stake",
    "State",
    "Status",
    "SupplyShare",
    "Throughput",
    "as_tuple",
    "boolean",
    "by_id",
    "check_period",
    "check_sources",
    "count",
    "day",
    "exact_percent",
    "fail",
    "fraction",
    "is_state_code",
    "member",
    "number",
    "optional_boolean",
    "optional_day",
    "optional_number",
    "period_contains",
    "positive",
    "slug",
    "source_field",
    "state_code",
    "state_codes",
    "status",
    "strings",
]
