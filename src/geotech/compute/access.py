"""Accessible compute: what orders of chips are worth in FLOP/s under the rules, weighting
each order by the probability that every authority on its route lets it through."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

import attrs
from attrs import frozen

from geotech import frames
from geotech.compute.flops import DEFAULT_PRECISION, Capacity, Holding, peak_flops
from geotech.engine import AccessRequest, Decision, evaluate_many
from geotech.entities import Precision, fraction
from geotech.errors import InvalidValueError
from geotech.policies import Restriction, ReviewPolicy, Side, Verdict, VolumeCap
from geotech.world import World


def _quantity(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValueError(f"Order.quantity: expected a count >= 1, got {value!r}")


def _route(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


@frozen
class Order:
    """A wish to buy ``quantity`` units of a chip, with optional route, destination, end use
    (defaults as in ``AccessRequest``)."""

    chip: str
    quantity: int = attrs.field(validator=_quantity)
    route: tuple[str, ...] | None = attrs.field(default=None, converter=_route)
    destination: str | None = None
    end_use: str | None = None


@frozen
class Approval:
    """How likely an order is to go through, as a probability (or weight) per verdict.

    Every authority on the route must let the order through, so an order's weight
    (``decision_weight``) is the product, over the (issuing state, side) pairs that determine
    an outcome of its decision, of the weight of the most restrictive outcome each determines:
    ALLOWED and CONDITIONAL count 1, PROHIBITED 0, LICENSE_REQUIRED the probability of its
    review policy, DISCOURAGED ``discouraged``. A US license under presumption of approval
    (0.9) into a China that discourages the purchase (0.5) weighs 0.45.

    The defaults are assumptions (docs/compute.md); override any of them. For reference, the
    US approved about 70 % of all China-related license applications in FY2022, under mixed
    review policies (BIS testimony, reported at
    https://insidetelecom.com/us-approved-70-of-export-license-applications-from-china-in-2022/;
    on reading BIS data: https://cset.georgetown.edu/publication/bis-best-data-practices-part-1);
    no H200 license under the January 2026 case-by-case policy was reported approved in its
    first three months (https://www.tomshardware.com/tech-industry/artificial-intelligence/nvidia-still-hasnt-sold-a-single-h200-to-china-nearly-three-months-after-getting-the-green-light-from-the-white-house-u-s-commerce-official-says-department-hasnt-approved-any-sales-during-a-house-hearing);
    China's 2025 guidance discouraged, but did not ban, H20 purchases
    (https://www.livemint.com/companies/china-advises-firms-to-avoid-nvidia-h20-chips-amid-security-concerns-aims-shift-towards-local-alternatives/amp-11754976729348.html).
    """

    presumption_of_approval: float = attrs.field(default=0.9, validator=fraction)
    case_by_case: float = attrs.field(default=0.5, validator=fraction)
    presumption_of_denial: float = attrs.field(default=0.05, validator=fraction)
    discouraged: float = attrs.field(default=0.5, validator=fraction)

    def weight(self, verdict: Verdict, review: ReviewPolicy | None) -> float:
        """The probability (or weight) that one authority's outcome lets an order through."""
        if verdict is Verdict.PROHIBITED:
            return 0.0
        if verdict is Verdict.DISCOURAGED:
            return self.discouraged
        if verdict is Verdict.LICENSE_REQUIRED:
            if review is None:
                raise InvalidValueError(
                    "Approval.weight: a LICENSE_REQUIRED verdict needs a review policy"
                )
            return {
                ReviewPolicy.PRESUMPTION_OF_APPROVAL: self.presumption_of_approval,
                ReviewPolicy.CASE_BY_CASE: self.case_by_case,
                ReviewPolicy.PRESUMPTION_OF_DENIAL: self.presumption_of_denial,
            }[review]
        return 1.0

    def decision_weight(self, decision: Decision) -> float:
        """The probability that every authority lets the decided order through (see above)."""
        issuers = {p.id: p.issuer for p in decision.policies}
        worst: dict[tuple[str, Side], Restriction] = {}
        for o in decision.outcomes:
            for issuer in {issuers[p] for p in o.determining_policies}:
                key = (issuer, o.side)
                worst[key] = max(worst.get(key, o.restriction), o.restriction)
        return math.prod(self.weight(worst[k].verdict, worst[k].review) for k in sorted(worst))


DEFAULT_APPROVAL = Approval()


@frozen
class OrderCompute:
    """One order's share: its decision, what it yields (``holding``) and the caps reported.

    ``holding.units`` is the quantity bounded by the decision's absolute volume caps;
    ``fraction_caps`` are caps relative to a volume the world does not know (reported only).
    """

    order: Order
    decision: Decision
    holding: Holding
    fraction_caps: tuple[VolumeCap, ...]

    @property
    def flops(self) -> float:
        """Expected dense peak FLOP/s of the order."""
        return self.holding.expected_flops


@frozen
class AccessibleCompute:
    """The compute a buyer can expect to obtain on a date, order by order."""

    buyer: str
    on: dt.date
    precision: Precision
    orders: tuple[OrderCompute, ...]

    @property
    def capacity(self) -> Capacity:
        """The orders' holdings, labelled with the buyer."""
        return Capacity(label=self.buyer, holdings=tuple(o.holding for o in self.orders))

    @property
    def flops(self) -> float:
        """Expected dense peak FLOP/s over all orders."""
        return self.capacity.flops

    @property
    def max_flops(self) -> float:
        """Dense peak FLOP/s if every order with a non-zero weight goes through."""
        return self.capacity.max_flops

    def rows(self) -> tuple[dict[str, object], ...]:
        """One row per order: buyer, date, chip, quantity asked, units obtainable (after
        volume caps), weight, precision, peak and expected FLOP/s, route and the decision's
        terms (``geotech.frames.terms``)."""
        return tuple(
            {
                "buyer": self.buyer,
                "on": self.on,
                "chip": o.order.chip,
                "quantity": o.order.quantity,
                "units": o.holding.units,
                "weight": o.holding.weight,
                "precision": str(self.precision),
                "peak_flops": o.holding.peak_flops,
                "expected_flops": o.holding.expected_flops,
                "route": o.decision.route,
                **frames.decision_terms(o.decision),
            }
            for o in self.orders
        )

    def to_frame(self) -> Any:
        """``rows()`` as a ``pandas.DataFrame`` (extra ``pandas``)."""
        return frames.to_frame(self.rows())


def accessible_compute(
    world: World,
    buyer: str,
    on: dt.date,
    orders: Iterable[Order],
    approval: Approval = DEFAULT_APPROVAL,
    precision: Precision = DEFAULT_PRECISION,
) -> AccessibleCompute:
    """Decide each order with ``geotech.evaluate`` and weigh what it yields.

    The weight is ``approval.decision_weight``: PROHIBITED orders yield nothing, a license
    counts with the approval probability of its review policy, a discouraged purchase with
    ``approval.discouraged``, and the weights of the authorities on the route multiply.
    Volume caps in units bound the quantity. A decision that is not certain is weighed by the
    outcomes the known facts force; its ``unknowns`` say what it depends on. Raises
    ``UnknownEntityError`` for an unknown id and ``MissingSpecError`` for a chip without a
    published throughput at ``precision``.
    """
    orders = tuple(orders)
    chips = [world.chip(o.chip) for o in orders]
    for chip in chips:
        peak_flops(chip, precision)
    requests = [
        AccessRequest(
            buyer=buyer,
            item=o.chip,
            on=on,
            destination=o.destination,
            route=o.route,
            quantity=o.quantity,
            end_use=o.end_use,
        )
        for o in orders
    ]
    results = []
    for order, chip, decision in zip(orders, chips, evaluate_many(world, requests), strict=True):
        caps = [c for c in decision.conditions if isinstance(c, VolumeCap)]
        units = min([order.quantity, *(c.units for c in caps if c.units is not None)])
        holding = Holding(
            chip=chip,
            units=units,
            weight=approval.decision_weight(decision),
            precision=precision,
        )
        results.append(
            OrderCompute(
                order=order,
                decision=decision,
                holding=holding,
                fraction_caps=tuple(c for c in caps if c.fraction is not None),
            )
        )
    return AccessibleCompute(buyer=buyer, on=on, precision=precision, orders=tuple(results))


def as_capacity(value: Capacity | AccessibleCompute) -> Capacity:
    """A capacity as is, or an accessible-compute result's capacity."""
    return value.capacity if isinstance(value, AccessibleCompute) else value


def bloc(label: str, parts: Iterable[Capacity | AccessibleCompute]) -> Capacity:
    """The capacities of several parties pooled under one label."""
    return Capacity(label=label, holdings=tuple(h for p in parts for h in as_capacity(p).holdings))
