"""Questions the sources leave open, as criteria.

A record can be known to hold up to a day and unknown after it: a suspension whose official
end date passed with no extension and no lapse found in the sources read. ``Unsettled`` states
such a question in a policy's criterion: its truth is always unknown, so the policy's match is
unknown and every answer it could change is uncertain and names the question. A reform settles
it (removing the policy, or replacing it with what became known).
"""

from __future__ import annotations

from typing import ClassVar

import attrs
from attrs import frozen

from geotech.criteria.base import Criterion
from geotech.criteria.logic import Fact, Facts, Step, Truth
from geotech.errors import InvalidValueError


def _question(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            f"Unsettled.question: expected the open question as text, such as 'whether the "
            f"suspension was extended after 2026-11-10', got {value!r}"
        )


@frozen
class Unsettled(Criterion):
    """An open question of the record: never true or false, always unknown. It reads no fact
    of the request, so no request can settle it; ``needs`` names the question."""

    tag: ClassVar[str] = "unsettled"
    reads: ClassVar[frozenset[Fact]] = frozenset()
    question: str = attrs.field(validator=_question)

    def describe(self) -> str:
        return f"unsettled: {self.question}"

    def evaluate(self, facts: Facts) -> Step:
        # the question is the need; the step says why no request can answer it
        return Step("no source read settles it", Truth.UNKNOWN, needs=frozenset({self.question}))


attrs.resolve_types(Unsettled)
