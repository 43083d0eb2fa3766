"""End uses: the closed vocabulary a request declares and an ``end_use`` criterion names.

``EndUseKind`` lists every end use the rules act on; ``end_use_kind`` reads a word as one of
them. Guarantees: every member reads as itself; reading is idempotent; case, blanks, hyphens,
"data centre" / "data center" and the other listed variant spellings do not matter; any other
word raises ``InvalidValueError`` naming where it was found and the closest members.
"""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Iterable

from geotech.errors import InvalidValueError


class EndUseKind(enum.StrEnum):
    """What the buyer will use the item for, as declared in a request."""

    #: a commercial data centre (training or serving models for customers)
    DATACENTER = "datacenter"
    #: a data-centre project that received state funds (China, Nov 2025)
    STATE_FUNDED_DATACENTER = "state_funded_datacenter"
    #: repair or one-for-one replacement of items already exported
    REPAIR_OR_REPLACEMENT = "repair_or_replacement"
    #: research and development
    RESEARCH_AND_DEVELOPMENT = "research_and_development"
    #: a civil commercial use not named more specifically
    COMMERCIAL = "commercial"
    #: a start-up's own use
    STARTUP = "startup"
    #: consumer products (gaming, personal computers)
    CONSUMER = "consumer"
    #: civil industry (manufacturing, automotive, telecoms)
    CIVIL_INDUSTRIAL = "civil_industrial"
    #: civil government bodies
    PUBLIC_SECTOR = "public_sector"
    #: operators of critical (information) infrastructure
    CRITICAL_INFRASTRUCTURE = "critical_infrastructure"
    #: a military end use (15 CFR 744.21(f): use, development or production of military items)
    MILITARY = "military"
    #: development, production or use of a supercomputer (15 CFR 744.23(a)(2))
    SUPERCOMPUTER = "supercomputer"
    #: development or production of integrated circuits at an advanced-node fab
    #: (15 CFR 744.23(a)(3) and (4))
    ADVANCED_NODE_FABRICATION = "advanced_node_fabrication"


#: Variant spellings, after case and separators are folded, of the members they mean.
VARIANTS: dict[str, EndUseKind] = {
    "data_center": EndUseKind.DATACENTER,
    "data_centre": EndUseKind.DATACENTER,
    "datacentre": EndUseKind.DATACENTER,
    "state_funded_data_center": EndUseKind.STATE_FUNDED_DATACENTER,
    "state_funded_data_centre": EndUseKind.STATE_FUNDED_DATACENTER,
    "state_funded_datacentre": EndUseKind.STATE_FUNDED_DATACENTER,
    "r_and_d": EndUseKind.RESEARCH_AND_DEVELOPMENT,
    "r_d": EndUseKind.RESEARCH_AND_DEVELOPMENT,
    "research": EndUseKind.RESEARCH_AND_DEVELOPMENT,
    "repair": EndUseKind.REPAIR_OR_REPLACEMENT,
    "replacement": EndUseKind.REPAIR_OR_REPLACEMENT,
    "military_end_use": EndUseKind.MILITARY,
    "defence": EndUseKind.MILITARY,
    "defense": EndUseKind.MILITARY,
    "supercomputing": EndUseKind.SUPERCOMPUTER,
    "government": EndUseKind.PUBLIC_SECTOR,
}

_MEMBERS = {kind.value: kind for kind in EndUseKind}


def _folded(word: str) -> str:
    """Lower case, ``&`` as ``and``, every run of other characters as one ``_``."""
    return re.sub(r"[^a-z0-9]+", "_", word.lower().replace("&", "_and_")).strip("_")


def end_use_kind(word: object, where: str = "end_use") -> EndUseKind:
    """The end use ``word`` names (a member, its value, or a variant spelling); raises
    ``InvalidValueError`` naming ``where`` (if given), the word and the closest members."""
    if isinstance(word, EndUseKind):
        return word
    at = f"{where}: " if where else ""
    if not isinstance(word, str):
        raise InvalidValueError(
            f"{at}expected an end use such as 'datacenter' (one of {', '.join(_MEMBERS)}), "
            f"got {word!r}"
        )
    folded = _folded(word)
    found = _MEMBERS.get(folded) or VARIANTS.get(folded)
    if found is None:
        found = {key.replace("_", ""): kind for key, kind in {**_MEMBERS, **VARIANTS}.items()}.get(
            folded.replace("_", "")
        )
    if found is not None:
        return found
    close = difflib.get_close_matches(folded, [*_MEMBERS, *VARIANTS], n=3, cutoff=0.5)
    ranked = dict.fromkeys((_MEMBERS.get(k) or VARIANTS[k]).value for k in close)
    hint = f"did you mean {' or '.join(repr(k) for k in ranked)}? " if ranked else ""
    raise InvalidValueError(
        f"{at}{word!r} is not an end use geotech knows; {hint}use one of "
        f"{', '.join(_MEMBERS)} (or leave it undeclared when unknown)"
    )


def unnamed_end_use(named: Iterable[object]) -> EndUseKind | None:
    """The first end use of the vocabulary not in ``named`` (it stands for every end use no
    rule names), or ``None`` when the rules name them all."""
    taken = {str(x) for x in named}
    return next((kind for kind in EndUseKind if kind.value not in taken), None)
