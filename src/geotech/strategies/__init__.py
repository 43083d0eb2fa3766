"""Hypothesis strategies for every geotech type, valid by construction (needs the ``test`` extra).

Every strategy draws values whose construction never raises. Values are small and readable:
ids like ``c1`` (companies), ``g1`` (groups), ``l1`` (party lists), ``chip1`` / ``model1`` /
``mat1`` (items), ``k1`` (control classes) and ``p1`` (policies); states from a pool of six
ISO codes; dates mostly from a pool of half-years 2020-2027, so that period bounds and request
dates coincide often; figures from short lists of realistic values, whole numbers sometimes
given as ``int`` where a float is expected (as users write them). Free text shrinks to a
readable default and is otherwise arbitrary Unicode, to exercise escaping.

Strategies for records that refer to others take a ``Refs``: the ids they may refer to.
``worlds()`` draws a whole consistent World (every reference resolves, no cycles, no
overlapping class versions); ``requests(world)`` draws requests that ``evaluate`` accepts in
that world; ``new_policies(world)`` draws a policy that can be added to it;
``completions(world, request)`` fills in unknown facts and ``blurs(world, request)`` forgets
known ones. ``geotech.testing`` holds the laws these feed; ``docs/laws.md`` states them.

Criterion leaf types register how to draw them (``register_criterion``), so criteria defined
outside geotech appear in generated trees, policies and worlds. Every record type is
registered with ``st.register_type_strategy``: ``st.from_type(Chip)`` draws valid chips.
"""

from typing import Any

from hypothesis import strategies as st

from geotech import criteria as c
from geotech.engine import AccessRequest
from geotech.entities import (
    Chip,
    Company,
    CountryGroup,
    Dependency,
    Equipment,
    Listing,
    Material,
    Membership,
    Model,
    PartyList,
    State,
    SupplyShare,
    Throughput,
)
from geotech.policies import (
    ControlClass,
    ExportPolicy,
    ImportPolicy,
    Requirement,
    RevenueShare,
    Tariff,
    VolumeCap,
)
from geotech.strategies.base import DATES, STATES, Refs, dates
from geotech.strategies.criteria import criteria, criteria_of, register_criterion
from geotech.strategies.entities import (
    chips,
    companies,
    country_groups,
    dependencies,
    equipment,
    items,
    listings,
    materials,
    memberships,
    models,
    party_lists,
    stakes,
    states,
    supply_shares,
    throughputs,
)
from geotech.strategies.policies import (
    conditions,
    control_classes,
    export_policies,
    import_policies,
    new_policies,
    policies,
)
from geotech.strategies.worlds import access_requests, blurs, completions, requests, worlds
from geotech.world import World

__all__ = [
    "DATES",
    "STATES",
    "Refs",
    "access_requests",
    "blurs",
    "chips",
    "companies",
    "completions",
    "conditions",
    "control_classes",
    "country_groups",
    "criteria",
    "criteria_of",
    "dates",
    "dependencies",
    "equipment",
    "export_policies",
    "import_policies",
    "items",
    "listings",
    "materials",
    "memberships",
    "models",
    "new_policies",
    "party_lists",
    "policies",
    "register_criterion",
    "requests",
    "stakes",
    "states",
    "supply_shares",
    "throughputs",
    "worlds",
]

for _type, _strategy in (
    (State, states()),
    (Membership, memberships()),
    (CountryGroup, country_groups()),
    (Company, companies()),
    (Throughput, throughputs()),
    (Chip, chips()),
    (Model, models()),
    (Material, materials()),
    (Equipment, equipment()),
    (Listing, listings()),
    (PartyList, party_lists()),
    (SupplyShare, supply_shares()),
    (Dependency, dependencies()),
    (ControlClass, control_classes()),
    (ExportPolicy, export_policies()),
    (ImportPolicy, import_policies()),
    (AccessRequest, access_requests()),
    (World, worlds()),
    (c.Criterion, criteria()),
):
    st.register_type_strategy(_type, _strategy)
for _connective in (c.All, c.AnyOf, c.Not):
    st.register_type_strategy(_connective, criteria_of(_connective))


def _conditions_of(kind: type[Any]) -> st.SearchStrategy[Any]:
    def fits(condition: object) -> bool:
        return isinstance(condition, kind)

    return conditions().filter(fits)


for _condition in (Tariff, RevenueShare, VolumeCap, Requirement):
    st.register_type_strategy(_condition, _conditions_of(_condition))
