"""geotech: technology-geopolitics modeling with typed, dated, cited rules.

Who can obtain which strategic technology, from whom, on what date, under which export and
import policies, on what conditions, and why. ``geotech.catalog.world()`` is the embedded
real-world default; ``geotech.evaluate`` decides an ``AccessRequest`` and explains itself.
"""

from geotech.analysis import cases, design_space, diff
from geotech.criteria import (
    All,
    AnyOf,
    BuyerHeadquartered,
    BuyerIs,
    BuyerListed,
    Datacenter,
    DestinationIn,
    EndUse,
    ExporterIn,
    ImporterIn,
    ItemClass,
    ItemIs,
    ItemKind,
    Not,
    Op,
    Reexport,
    Spec,
    SpecName,
    Step,
    Truth,
)
from geotech.engine import (
    AccessRequest,
    Decision,
    Explanation,
    Leg,
    Outcome,
    PolicyResult,
    Ruling,
    Unknown,
    evaluate,
    evaluate_many,
)
from geotech.entities import (
    Chip,
    Company,
    Confidence,
    CountryGroup,
    Dependency,
    Listing,
    Material,
    Membership,
    Model,
    PartyList,
    Precision,
    Role,
    Stage,
    State,
    Status,
    SupplyShare,
    Throughput,
)
from geotech.errors import (
    DocumentError,
    GeotechError,
    InvalidRequestError,
    InvalidValueError,
    MissingSpecError,
    ProblemsError,
    UnknownEntityError,
    WorldError,
)
from geotech.policies import (
    ControlClass,
    EffectKind,
    ExportPolicy,
    ImportPolicy,
    Requirement,
    RequirementKind,
    Restriction,
    RevenueShare,
    ReviewPolicy,
    Side,
    Tariff,
    Verdict,
    VolumeCap,
)
from geotech.world import World

__version__ = "0.1.0"

#: The public submodules, imported by name (``from geotech import catalog``).
PUBLIC_MODULES = (
    "analysis",
    "catalog",
    "compute",
    "engine",
    "io",
    "plot",
    "reforms",
    "render",
    "strategies",
    "supply",
    "sweep",
    "testing",
)

__all__ = [
    "AccessRequest",
    "All",
    "AnyOf",
    "BuyerHeadquartered",
    "BuyerIs",
    "BuyerListed",
    "Chip",
    "Company",
    "Confidence",
    "ControlClass",
    "CountryGroup",
    "Datacenter",
    "Decision",
    "Dependency",
    "DestinationIn",
    "DocumentError",
    "EffectKind",
    "EndUse",
    "Explanation",
    "ExportPolicy",
    "ExporterIn",
    "GeotechError",
    "ImportPolicy",
    "ImporterIn",
    "InvalidRequestError",
    "InvalidValueError",
    "ItemClass",
    "ItemIs",
    "ItemKind",
    "Leg",
    "Listing",
    "Material",
    "Membership",
    "MissingSpecError",
    "Model",
    "Not",
    "Op",
    "Outcome",
    "PartyList",
    "PolicyResult",
    "Precision",
    "ProblemsError",
    "Reexport",
    "Requirement",
    "RequirementKind",
    "Restriction",
    "RevenueShare",
    "ReviewPolicy",
    "Role",
    "Ruling",
    "Side",
    "Spec",
    "SpecName",
    "Stage",
    "State",
    "Status",
    "Step",
    "SupplyShare",
    "Tariff",
    "Throughput",
    "Truth",
    "Unknown",
    "UnknownEntityError",
    "Verdict",
    "VolumeCap",
    "World",
    "WorldError",
    "__version__",
    "cases",
    "design_space",
    "diff",
    "evaluate",
    "evaluate_many",
]


def __dir__() -> list[str]:
    """The curated API and the public submodules; internal modules stay out of sight."""
    return sorted({*__all__, *PUBLIC_MODULES})


# The result classes display in notebooks once ``geotech.render`` is loaded (it gives them
# ``_repr_markdown_`` and ``_repr_html_``); loading it here makes ``import geotech`` enough.
from geotech import render as render  # noqa: E402
