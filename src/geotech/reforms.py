"""Reforms as data: frozen records of what-if changes to a World.

Every record has ``apply(world) -> World``, which returns a new, validated world (the input is
never changed) or raises a ``GeotechError`` saying why the reform does not fit that world.
Records compare by value, pickle (so they run on process pools and dask), and load from TOML or
JSON through ``geotech.io`` as members of the tagged union ``Reform`` (tag key ``type``).
Calling a record applies it; ``a.then(b)`` is the ``Chain`` that applies ``a``, then ``b``.

Each record has a ``name``: given, or derived from its fields when not (``attrs.evolve`` keeps
the name it had; pass ``name=`` to rename).
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar, TypeVar, cast

import attrs
from attrs import frozen

from geotech import criteria as c
from geotech.criteria import Op, SpecName
from geotech.entities import Listing, PartyList, Status, member, number, optional_day, strings
from geotech.errors import InvalidValueError
from geotech.policies import AnyPolicy, EffectKind, ReviewPolicy
from geotech.world import World

R = TypeVar("R", bound="_Record")


class _Record(abc.ABC):
    """What every reform record shares: applying, calling and chaining."""

    __slots__ = ()
    name: str

    @abc.abstractmethod
    def apply(self, world: World) -> World:
        """The world with this reform applied (validated)."""

    @abc.abstractmethod
    def describe(self) -> str:
        """The name derived from the record's fields."""

    def __call__(self, world: World) -> World:
        return self.apply(world)

    def then(self, other: Reform) -> Chain:
        """The reform that applies this one, then ``other``."""
        return Chain((cast("Reform", self), other))


#: A name derived from the record's fields unless one is given (keyword only, always last).
_NAME: Any = attrs.field(
    default=attrs.Factory(lambda self: self.describe(), takes_self=True), kw_only=True
)


def _companies(values: Iterable[str]) -> tuple[str, ...]:
    """Converter: company ids, sorted and unique; a lone string is one id."""
    return tuple(sorted(strings(values)))


def _texts(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _steps(values: Iterable[Reform]) -> tuple[Reform, ...]:
    return tuple(values)


def _some(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    if not value:
        what = "company id" if attribute.name == "buyers" else "reform"
        raise InvalidValueError(
            f"{type(instance).__name__}.{attribute.name}: expected at least one {what}"
        )


def _optional_effect(value: EffectKind | str | None) -> EffectKind | None:
    return None if value is None else member(EffectKind, value, "Amend.effect")


def _optional_op(value: Op | str | None) -> Op | None:
    return None if value is None else member(Op, value, "ChangeThreshold.op")


def _fact(value: SpecName | str) -> SpecName:
    return member(SpecName, value, "ChangeThreshold.fact")


# ---------------------------------------------------------------------------------------------
# Policies


def _remove(world: World, policy_id: str) -> World:
    world.policy(policy_id)
    kept = tuple(
        attrs.evolve(p, supersedes=p.supersedes - {policy_id}) if policy_id in p.supersedes else p
        for p in world.policies
        if p.id != policy_id
    )
    return world.revised(policies=kept)


def _replace(world: World, policy: AnyPolicy) -> World:
    world.policy(policy.id)
    return world.revised(policies=tuple(policy if p.id == policy.id else p for p in world.policies))


@frozen
class AddPolicy(_Record):
    """Add a policy; its id must be new."""

    tag: ClassVar[str] = "add_policy"
    policy: AnyPolicy
    name: str = _NAME

    def describe(self) -> str:
        return f"add {self.policy.id}"

    def apply(self, world: World) -> World:
        return world.revised(policies=(*world.policies, self.policy))


@frozen
class RemovePolicy(_Record):
    """Remove a policy outright; other policies stop naming it in ``supersedes``."""

    tag: ClassVar[str] = "remove_policy"
    policy: str
    name: str = _NAME

    def describe(self) -> str:
        return f"remove {self.policy}"

    def apply(self, world: World) -> World:
        return _remove(world, self.policy)


@frozen
class ReplacePolicy(_Record):
    """Put ``policy`` in the place of the world's policy with the same id."""

    tag: ClassVar[str] = "replace_policy"
    policy: AnyPolicy
    name: str = _NAME

    def describe(self) -> str:
        return f"replace {self.policy.id}"

    def apply(self, world: World) -> World:
        return _replace(world, self.policy)


@frozen
class Rescind(_Record):
    """Remove a policy (other policies stop naming it in ``supersedes``); with ``on``, end it
    on that date instead (removed outright when it would not yet be in force; unchanged when
    it ends by then anyway)."""

    tag: ClassVar[str] = "rescind"
    policy: str
    on: dt.date | None = attrs.field(default=None, validator=optional_day)
    name: str = _NAME

    def describe(self) -> str:
        return f"rescind {self.policy}" + (f" from {self.on.isoformat()}" if self.on else "")

    def apply(self, world: World) -> World:
        policy = world.policy(self.policy)
        if self.on is None or self.on <= policy.effective:
            return _remove(world, self.policy)
        if policy.expires is not None and policy.expires <= self.on:
            return world
        return _replace(world, attrs.evolve(policy, expires=self.on))


#: The fields ``Amend`` may set, in the order its name lists them.
_AMENDABLE = (
    "title",
    "effect",
    "review",
    "effective",
    "announced",
    "expires",
    "supersedes",
    "status",
    "citation",
    "sources",
)
#: The optional fields ``Amend.clear`` may reset to "none".
_CLEARABLE = frozenset({"review", "announced", "expires"})


@frozen
class Amend(_Record):
    """Change fields of a policy: each given field replaces the policy's, and the fields named
    in ``clear`` (``review``, ``announced``, ``expires``) are reset to none. To change a
    criterion use ``ChangeThreshold``, ``Authorize`` or ``Deauthorize``; to change conditions
    or anything else, ``ReplacePolicy``."""

    tag: ClassVar[str] = "amend"
    policy: str
    title: str | None = None
    effect: EffectKind | None = attrs.field(default=None, converter=_optional_effect)
    review: ReviewPolicy | None = None
    effective: dt.date | None = attrs.field(default=None, validator=optional_day)
    announced: dt.date | None = attrs.field(default=None, validator=optional_day)
    expires: dt.date | None = attrs.field(default=None, validator=optional_day)
    supersedes: frozenset[str] | None = attrs.field(
        default=None, converter=attrs.converters.optional(strings)
    )
    status: Status | None = None
    citation: str | None = None
    sources: tuple[str, ...] | None = attrs.field(
        default=None, converter=attrs.converters.optional(tuple)
    )
    clear: frozenset[str] = attrs.field(default=frozenset(), converter=strings)
    name: str = _NAME

    def __attrs_post_init__(self) -> None:
        unknown = sorted(self.clear - _CLEARABLE)
        if unknown:
            raise InvalidValueError(
                f"Amend.clear: cannot clear {', '.join(unknown)}; only "
                f"{', '.join(sorted(_CLEARABLE))} can be cleared"
            )
        both = sorted(k for k in self.clear if getattr(self, k) is not None)
        if both:
            raise InvalidValueError(
                f"Amend.clear: {', '.join(both)} both set and cleared; give one or the other"
            )
        if not self.changes():
            raise InvalidValueError(
                f"Amend: nothing to change in {self.policy!r}; set a field "
                f"({', '.join(_AMENDABLE)}) or clear one"
            )

    def changes(self) -> dict[str, Any]:
        """The policy's fields as this reform sets them."""
        given = {k: getattr(self, k) for k in _AMENDABLE if getattr(self, k) is not None}
        return given | dict.fromkeys(sorted(self.clear))

    def describe(self) -> str:
        parts = [
            f"clear {k}" if v is None else f"{k} {_text(v)}" for k, v in self.changes().items()
        ]
        return f"amend {self.policy}: {', '.join(parts)}"

    def apply(self, world: World) -> World:
        return _replace(world, attrs.evolve(world.policy(self.policy), **self.changes()))


def _text(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, ReviewPolicy):
        return value.name.lower()
    if isinstance(value, frozenset | tuple):
        return "[" + ", ".join(sorted(map(str, value))) + "]"
    return str(value)


# ---------------------------------------------------------------------------------------------
# Criteria: thresholds and authorizations


@frozen
class ChangeThreshold(_Record):
    """Set the threshold of the policy's ``spec`` tests on ``fact`` (those with ``op`` when
    given) to ``value``. Applying raises ``InvalidValueError`` when no test matches, or when
    tests with different operators match and ``op`` does not say which."""

    tag: ClassVar[str] = "change_threshold"
    policy: str
    fact: SpecName = attrs.field(converter=_fact)
    value: float = attrs.field(converter=number)
    op: Op | None = attrs.field(default=None, converter=_optional_op)
    name: str = _NAME

    def describe(self) -> str:
        op = "" if self.op is None else f" {self.op}"
        return f"set {self.fact}{op} threshold of {self.policy} to {c.fmt(self.value)}"

    def apply(self, world: World) -> World:
        policy = world.policy(self.policy)
        hits = c.thresholds(policy.criterion, str(self.fact), self.op)
        if not hits:
            tests = ", ".join(t.describe() for t in c.thresholds(policy.criterion)) or "none"
            raise InvalidValueError(
                f"change_threshold: policy {self.policy!r} has no spec test on {self.fact}"
                f"{'' if self.op is None else f' with {self.op}'}; its spec tests: {tests}"
            )
        ops = sorted({str(t.bound.op) for t in hits})
        if len(ops) > 1:
            raise InvalidValueError(
                f"change_threshold: policy {self.policy!r} tests {self.fact} with {ops}; pass "
                "op= to say which threshold to change"
            )
        criterion = c.with_threshold(policy.criterion, str(self.fact), self.value, self.op)
        return _replace(world, attrs.evolve(policy, criterion=criterion))


def _authorization(
    world: World, policy_id: str, buyers: Iterable[str], verb: str
) -> tuple[AnyPolicy, tuple[frozenset[str], ...]]:
    """The allow policy and the buyers of each of its ``buyer_is`` tests outside a ``not``."""
    policy = world.policy(policy_id)
    for b in buyers:
        world.company(b)
    if policy.effect is not EffectKind.ALLOW:
        raise InvalidValueError(
            f"{verb}: policy {policy_id!r} has effect {policy.effect}, not allow; only an "
            "authorization (an allow naming buyers) can name more or fewer buyers"
        )
    tests = c.buyer_sets(policy.criterion)
    if not tests:
        raise InvalidValueError(
            f"{verb}: policy {policy_id!r} has no buyer_is test outside a 'not'; add a new "
            "ImportPolicy naming the buyers with AddPolicy instead"
        )
    return policy, tests


@frozen
class Authorize(_Record):
    """Name more buyers in an authorization: an allow policy (typically import side) whose
    criterion tests ``buyer_is`` outside a ``not``."""

    tag: ClassVar[str] = "authorize"
    policy: str
    buyers: tuple[str, ...] = attrs.field(converter=_companies, validator=_some)
    name: str = _NAME

    def describe(self) -> str:
        return f"authorize {', '.join(self.buyers)} under {self.policy}"

    def apply(self, world: World) -> World:
        policy, _ = _authorization(world, self.policy, self.buyers, "authorize")
        criterion = c.add_buyers(policy.criterion, self.buyers)
        return _replace(world, attrs.evolve(policy, criterion=criterion))


@frozen
class Deauthorize(_Record):
    """Remove buyers from an authorization; when it names nobody any more, it is rescinded.
    Applying raises ``InvalidValueError`` when a buyer is not named by the policy."""

    tag: ClassVar[str] = "deauthorize"
    policy: str
    buyers: tuple[str, ...] = attrs.field(converter=_companies, validator=_some)
    name: str = _NAME

    def describe(self) -> str:
        return f"deauthorize {', '.join(self.buyers)} under {self.policy}"

    def apply(self, world: World) -> World:
        policy, tests = _authorization(world, self.policy, self.buyers, "deauthorize")
        who = frozenset(self.buyers)
        named = frozenset().union(*tests)
        missing = sorted(who - named)
        if missing:
            raise InvalidValueError(
                f"deauthorize: policy {self.policy!r} does not name {missing}; it names "
                f"{sorted(named)}"
            )
        if all(ids <= who for ids in tests):
            return _remove(world, self.policy)
        criterion = c.remove_buyers(policy.criterion, who)
        return _replace(world, attrs.evolve(policy, criterion=criterion))


# ---------------------------------------------------------------------------------------------
# Party lists


def _replace_list(world: World, updated: PartyList) -> World:
    return world.revised(
        party_lists=tuple(updated if p.id == updated.id else p for p in world.party_lists)
    )


@frozen
class ListCompany(_Record):
    """Put ``company`` on the party list ``list`` from ``start`` (until ``end``)."""

    tag: ClassVar[str] = "list"
    list: str
    company: str
    start: dt.date
    end: dt.date | None = attrs.field(default=None, validator=optional_day)
    citation: str = ""
    sources: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    name: str = _NAME

    def describe(self) -> str:
        until = f" until {self.end.isoformat()}" if self.end else ""
        return f"list {self.company} on {self.list} from {self.start.isoformat()}{until}"

    def apply(self, world: World) -> World:
        world.company(self.company)
        target = world.party_list(self.list)
        listing = Listing(
            company=self.company,
            start=self.start,
            end=self.end,
            citation=self.citation,
            sources=self.sources,
        )
        return _replace_list(world, attrs.evolve(target, listings=(*target.listings, listing)))


@frozen
class DelistCompany(_Record):
    """End every listing of ``company`` on the party list ``list`` by ``on``; listings that
    would start on or after ``on`` are dropped."""

    tag: ClassVar[str] = "delist"
    list: str
    company: str
    on: dt.date
    name: str = _NAME

    def describe(self) -> str:
        return f"delist {self.company} from {self.list} on {self.on.isoformat()}"

    def apply(self, world: World) -> World:
        world.company(self.company)
        target = world.party_list(self.list)
        kept: list[Listing] = []
        for x in target.listings:
            if x.company != self.company or (x.end is not None and x.end <= self.on):
                kept.append(x)
            elif x.start < self.on:
                kept.append(attrs.evolve(x, end=self.on))
        return _replace_list(world, attrs.evolve(target, listings=tuple(kept)))


# ---------------------------------------------------------------------------------------------
# Sequences


@frozen
class Chain(_Record):
    """Several reforms applied in order (at least one). ``chain.apply(w)`` equals applying
    each step to the result of the previous one."""

    tag: ClassVar[str] = "chain"
    steps: tuple[Reform, ...] = attrs.field(converter=_steps, validator=_some)
    name: str = _NAME

    def describe(self) -> str:
        return "; then ".join(step.name for step in self.steps)

    def apply(self, world: World) -> World:
        for step in self.steps:
            world = step.apply(world)
        return world

    def then(self, other: Reform) -> Chain:
        """This chain with ``other`` as its last step (nested when this chain has its own
        name, which then stays with the steps it describes)."""
        if self.name == self.describe():
            return Chain((*self.steps, other))
        return Chain((self, other))


#: Every reform record; ``geotech.io`` loads them by their ``type`` tag.
Reform = (
    Rescind
    | Authorize
    | Deauthorize
    | ChangeThreshold
    | ListCompany
    | DelistCompany
    | AddPolicy
    | RemovePolicy
    | ReplacePolicy
    | Amend
    | Chain
)


# ---------------------------------------------------------------------------------------------
# Shorthands with the signatures of the earlier reform functions (buyers as positional
# arguments): each returns its record, named ``name`` when given.


def _named(reform: R, name: str | None) -> R:
    return reform if name is None else attrs.evolve(reform, name=name)  # type: ignore[misc]


def rescind(policy_id: str, on: dt.date | None = None, *, name: str | None = None) -> Rescind:
    return _named(Rescind(policy_id, on), name)


def add_policy(policy: AnyPolicy, *, name: str | None = None) -> AddPolicy:
    return _named(AddPolicy(policy), name)


def authorize(policy_id: str, *buyers: str, name: str | None = None) -> Authorize:
    return _named(Authorize(policy_id, buyers), name)


def deauthorize(policy_id: str, *buyers: str, name: str | None = None) -> Deauthorize:
    return _named(Deauthorize(policy_id, buyers), name)


def change_threshold(
    policy_id: str,
    fact: SpecName | str,
    value: float,
    *,
    op: Op | str | None = None,
    name: str | None = None,
) -> ChangeThreshold:
    return _named(ChangeThreshold(policy_id, fact, value, op), name)


def list_company(
    party_list: str,
    company: str,
    start: dt.date,
    *,
    end: dt.date | None = None,
    name: str | None = None,
) -> ListCompany:
    return _named(ListCompany(party_list, company, start, end), name)


def delist_company(
    party_list: str, company: str, on: dt.date, *, name: str | None = None
) -> DelistCompany:
    return _named(DelistCompany(party_list, company, on), name)
