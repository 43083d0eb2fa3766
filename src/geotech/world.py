"""The World: an immutable, validated registry of entities, classes and policies.

Building a World checks that its records fit together and reports every problem at once
(duplicate ids, dangling references, overlapping versions of one class code, ownership and
supersedes cycles). Look-ups accept any case and aliases (``World.aliases``: ``H200`` and
``nvidia h200`` find ``nvidia-h200``); ids stay canonical in the records. Look-ups of unknown
ids raise ``UnknownEntityError`` with the closest ids ranked (``geotech.errors.suggestions``).
Changes are reforms (``geotech.reforms``): records whose ``apply`` returns a new World, built
by ``World.revised``, which validates only what changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

import attrs
from attrs import frozen

from geotech.criteria import MAX_CRITERION_DEPTH as MAX_CRITERION_DEPTH
from geotech.criteria import Step, Truth, item_facts
from geotech.entities import (
    Chip,
    Company,
    CountryGroup,
    Dependency,
    Equipment,
    Item,
    Material,
    Model,
    PartyList,
    Stake,
    State,
    SupplyShare,
    by_id,
    day,
    slug,
    source_field,
)
from geotech.errors import InvalidValueError, UnknownEntityError, WorldError, normal_id
from geotech.policies import AnyPolicy, ControlClass
from geotech.validation import problems, revision_problems

R = TypeVar("R")
ItemT = TypeVar("ItemT", Chip, Model, Material, Equipment)

#: The kinds of item a supply share or a dependency may name: inputs of production.
INPUT_TYPES = (Material, Equipment)


def _index(records: Iterable[R]) -> dict[str, R]:
    return {r.id: r for r in records}  # type: ignore[attr-defined]


def _shares(values: Iterable[SupplyShare]) -> tuple[SupplyShare, ...]:
    return tuple(sorted(values, key=lambda x: (x.material, x.stage, x.as_of, x.state)))


def _dependencies(values: Iterable[Dependency]) -> tuple[Dependency, ...]:
    return tuple(sorted(values, key=lambda x: (x.item, x.material)))


@frozen
class Coverage:
    """The window of days a world's records describe: from ``start`` to ``end`` (its "as of"
    day), both included. Rules outside it may exist that the world does not hold."""

    id: str = attrs.field(validator=slug)
    start: dt.date = attrs.field(validator=day)
    end: dt.date = attrs.field(validator=day)
    note: str = ""
    sources: tuple[str, ...] = source_field

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValueError(
                f"Coverage.end: {self.end} is before start {self.start}; give the first and "
                "the last day covered, in that order"
            )

    def contains(self, on: dt.date) -> bool:
        """Whether ``on`` lies in the window (both ends included)."""
        return self.start <= on <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


@frozen
class World:
    """Everything geotech reasons about, validated as a whole. Records are kept sorted by id."""

    states: tuple[State, ...] = attrs.field(default=(), converter=by_id)
    groups: tuple[CountryGroup, ...] = attrs.field(default=(), converter=by_id)
    companies: tuple[Company, ...] = attrs.field(default=(), converter=by_id)
    party_lists: tuple[PartyList, ...] = attrs.field(default=(), converter=by_id)
    chips: tuple[Chip, ...] = attrs.field(default=(), converter=by_id)
    models: tuple[Model, ...] = attrs.field(default=(), converter=by_id)
    materials: tuple[Material, ...] = attrs.field(default=(), converter=by_id)
    equipment: tuple[Equipment, ...] = attrs.field(default=(), converter=by_id)
    classes: tuple[ControlClass, ...] = attrs.field(default=(), converter=by_id)
    policies: tuple[AnyPolicy, ...] = attrs.field(default=(), converter=by_id)
    supply_shares: tuple[SupplyShare, ...] = attrs.field(default=(), converter=_shares)
    dependencies: tuple[Dependency, ...] = attrs.field(default=(), converter=_dependencies)
    #: the declared window, at most one record (a document's ``[[coverage]]`` table); see
    #: ``window``
    coverage: tuple[Coverage, ...] = attrs.field(default=(), converter=by_id)

    _ix: dict[str, dict[str, Any]] = attrs.field(init=False, eq=False, repr=False)
    _classes_by_code: dict[str, tuple[ControlClass, ...]] = attrs.field(
        init=False, eq=False, repr=False
    )
    _memo: dict[Any, Any] = attrs.field(init=False, eq=False, repr=False)
    #: ``class_step`` answers: shared by the worlds ``revised`` builds (same classes and items)
    _class_steps: dict[tuple[str, str, dt.date], Step] = attrs.field(
        init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        ix = {
            "state": _index(self.states),
            "group": _index(self.groups),
            "company": _index(self.companies),
            "party list": _index(self.party_lists),
            "item": _index((*self.chips, *self.models, *self.materials, *self.equipment)),
            "control class": _index(self.classes),
            "policy": _index(self.policies),
        }
        by_code: dict[str, list[ControlClass]] = {}
        for cls in self.classes:
            by_code.setdefault(cls.code, []).append(cls)
        object.__setattr__(self, "_ix", ix)
        object.__setattr__(self, "_classes_by_code", {k: tuple(v) for k, v in by_code.items()})
        object.__setattr__(self, "_memo", {})
        object.__setattr__(self, "_class_steps", {})
        found = problems(self)
        if found:
            raise WorldError(found)

    @property
    def window(self) -> Coverage | None:
        """The window of days the world covers, or ``None`` when it declares none (then every
        day is answered alike)."""
        return self.coverage[0] if self.coverage else None

    # -- look-ups ------------------------------------------------------------------------------

    def _get(self, kind: str, key: str) -> Any:
        if not isinstance(key, str):  # ids are strings; name anything else by its repr
            raise UnknownEntityError(kind, repr(key), self._ix[kind])
        found = self._ix[kind].get(key)
        if found is None:
            alias = self.derived(_aliases, _aliases)[kind].get(normal_id(key))
            if alias is None:
                raise UnknownEntityError(kind, key, self._ix[kind])
            found = self._ix[kind][alias]
        return found

    def canonical(self, kind: str, key: str) -> str:
        """The id of the record of ``kind`` that ``key`` names (an id, or an alias: see
        ``aliases``); raises ``UnknownEntityError`` with ranked suggestions."""
        return self._get(kind, key).id  # type: ignore[no-any-return]

    def aliases(self, kind: str) -> dict[str, str]:
        """The other spellings look-ups of ``kind`` accept, to the ids they name: any case
        and blanks or underscores for ``-`` (``NVIDIA H200``), and for items the id without
        its designer's or developer's prefix (``h200``) where no other record claims it."""
        return dict(self.derived(_aliases, _aliases)[kind])

    def state(self, id: str) -> State:
        return self._get("state", id)  # type: ignore[no-any-return]

    def group(self, id: str) -> CountryGroup:
        return self._get("group", id)  # type: ignore[no-any-return]

    def company(self, id: str) -> Company:
        return self._get("company", id)  # type: ignore[no-any-return]

    def party_list(self, id: str) -> PartyList:
        return self._get("party list", id)  # type: ignore[no-any-return]

    def item(self, id: str) -> Item:
        """A chip, model, material or equipment item by id (items share one namespace)."""
        return self._get("item", id)  # type: ignore[no-any-return]

    def chip(self, id: str) -> Chip:
        return self._item_of(id, Chip, self.chips)

    def model(self, id: str) -> Model:
        return self._item_of(id, Model, self.models)

    def material(self, id: str) -> Material:
        return self._item_of(id, Material, self.materials)

    def tool(self, id: str) -> Equipment:
        """An equipment item (a tool or a segment of tools) by id."""
        return self._item_of(id, Equipment, self.equipment)

    def supply_input(self, id: str) -> Material | Equipment:
        """A material or equipment item by id: what supply shares measure."""
        try:
            item: Item | None = self.item(id)
        except UnknownEntityError:
            item = None
        if not isinstance(item, INPUT_TYPES):
            known = [x.id for x in self.materials] + [x.id for x in self.equipment]
            raise UnknownEntityError("material or equipment", id, known)
        return item

    def _item_of(self, id: str, cls: type[ItemT], records: tuple[ItemT, ...]) -> ItemT:
        try:
            item = self._get("item", id)
        except UnknownEntityError:
            item = None
        if not isinstance(item, cls):
            raise UnknownEntityError(
                cls.kind, repr(id) if not isinstance(id, str) else id, (x.id for x in records)
            )
        return item

    def control_class(self, id: str) -> ControlClass:
        return self._get("control class", id)  # type: ignore[no-any-return]

    def policy(self, id: str) -> AnyPolicy:
        return self._get("policy", id)  # type: ignore[no-any-return]

    def ids(self, kind: str) -> frozenset[str]:
        """All ids of one kind: state, group, company, party list, item, control class, policy."""
        return frozenset(self._ix[kind])

    @staticmethod
    def maker(item: Item) -> str | None:
        """The company that designs, develops or produces the item, if one is named."""
        if isinstance(item, Chip):
            return item.designer
        if isinstance(item, Model):
            return item.developer
        return item.producer if isinstance(item, Equipment) else None

    def jurisdictions(self, item: Item) -> frozenset[str]:
        """States whose export controls reach the item: its own list, else its maker's HQ."""
        if item.jurisdictions:
            return item.jurisdictions
        maker = self.maker(item)
        company = self._ix["company"].get(maker) if maker else None
        return frozenset({company.hq}) if company is not None else frozenset()

    # -- the Registry protocol used by criteria --------------------------------------------

    def group_contains(self, group: str, state: str, on: dt.date) -> bool:
        found = self._ix["group"].get(group)
        return found is not None and found.contains(state, on)

    def listed(self, party_list: str, company: str, on: dt.date) -> bool:
        found = self._ix["party list"].get(party_list)
        return found is not None and found.listed(company, on)

    def ancestors(self, company: str) -> tuple[Company, ...]:
        """The company's parents, nearest first, up to its ultimate parent."""
        out: list[Company] = []
        current = self._ix["company"].get(company)
        while current is not None and current.parent is not None:
            current = self._ix["company"].get(current.parent)
            if current is None or current in out:
                break
            out.append(current)
        return tuple(out)

    def holders(self, company: str) -> tuple[Company, ...]:
        """Every company holding a stake in ``company``, directly or through others (any
        size), by id; the affiliates rule's 50 % test can only turn on their listings."""
        seen: dict[str, Company] = {}
        todo = [company]
        while todo:
            for stake in self.stakes(todo.pop()):
                found = self._ix["company"].get(stake.owner)
                if found is not None and found.id not in seen and found.id != company:
                    seen[found.id] = found
                    todo.append(found.id)
        return tuple(seen[k] for k in sorted(seen))

    def stakes(self, company: str) -> tuple[Stake, ...]:
        """The stakes held in ``company`` (none for an unknown id)."""
        found = self._ix["company"].get(company)
        return found.owners if found is not None else ()

    def derived(self, key: Hashable, make: Callable[[World], R]) -> R:
        """``make(self)``, computed on first use and kept with this world, which never changes
        (``geotech.engine.batch`` keeps its compiled index here). Not pickled: a copy recomputes."""
        try:
            return self._memo[key]  # type: ignore[no-any-return]
        except KeyError:
            found = self._memo[key] = make(self)
            return found

    def revised(self, **changes: Any) -> World:
        """``attrs.evolve(self, **changes)``: an equal world, raising the same ``WorldError``
        exactly when that raises. When only ``policies`` and ``party_lists`` (keeping their
        ids) change, it validates only what changed: the new records (by identity), and what
        a removed policy id or a new ``supersedes`` can break; this world being valid vouches
        for the rest. Reforms build their worlds with it."""
        if not changes.keys() <= _LOCAL:
            return attrs.evolve(self, **changes)
        records = {name: by_id(values) for name, values in changes.items()}
        lists = records.get("party_lists", self.party_lists)
        if [p.id for p in lists] != [p.id for p in self.party_lists]:
            return attrs.evolve(self, **records)
        new: World = object.__new__(World)
        for a in attrs.fields(World):
            object.__setattr__(new, a.name, records.get(a.name, getattr(self, a.name)))
        new_ix = dict(self._ix)
        new_ix["policy"] = _index(new.policies)
        new_ix["party list"] = _index(new.party_lists)
        object.__setattr__(new, "_ix", new_ix)
        object.__setattr__(new, "_memo", {})
        if revision_problems(self, new):
            raise WorldError(problems(new))  # the full report, as the constructor gives it
        return new

    def __getstate__(self) -> dict[str, Any]:
        return {a.name: getattr(self, a.name) for a in attrs.fields(World) if a.name not in _CACHES}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        for name in _CACHES:
            object.__setattr__(self, name, {})

    def class_step(self, code: str, item: Item, on: dt.date) -> Step:
        """Whether ``item`` falls in class ``code`` on ``on``, with the definition's trace."""
        # Memoize only the world's own items: hypothetical items would grow the memo forever.
        own = self._ix["item"].get(item.id) is item
        key = (code, item.id, on)
        cached = self._class_steps.get(key) if own else None
        if cached is not None:
            return cached
        in_force = [k for k in self._classes_by_code.get(code, ()) if k.in_force(on)]
        if not in_force:
            step = Step(f"class {code} not in force on {on.isoformat()}", Truth.FALSE)
        else:
            definition = in_force[0]
            inner = definition.criterion.evaluate(item_facts(self, on, item, definition.issuer))
            step = Step(
                f"class {code} ({definition.id}, {definition.citation or 'no citation'})",
                inner.truth,
                (inner,),
                inner.needs,
            )
        if own:
            self._class_steps[key] = step
        return step

    def classify(self, item: str | Item, on: dt.date) -> tuple[str, ...]:
        """Codes of the classes in force on ``on`` whose definition the item certainly meets."""
        resolved = self.item(item) if isinstance(item, str) else item
        codes = sorted({k.code for k in self.classes if k.in_force(on)})
        return tuple(
            code for code in codes if self.class_step(code, resolved, on).truth is Truth.TRUE
        )


#: The fields ``World.revised`` validates locally, and the caches a pickle leaves out.
_LOCAL = frozenset({"policies", "party_lists"})
_CACHES = frozenset({"_memo", "_class_steps"})


def _aliases(world: World) -> dict[str, dict[str, str]]:
    """Per kind, each other spelling of an id to the id: the normal spelling of every id, and
    for items the id without its maker's ``maker-`` prefix when that names no other record."""
    out: dict[str, dict[str, str]] = {}
    for kind, index in world._ix.items():
        spelled = {normal_id(k): k for k in index}
        short: dict[str, set[str]] = {}
        for k, record in index.items():
            maker = World.maker(record) if kind == "item" else None
            if maker and k.startswith(f"{maker}-"):
                short.setdefault(k[len(maker) + 1 :], set()).add(k)
        unique = {a: ids.pop() for a, ids in short.items() if len(ids) == 1 and a not in spelled}
        out[kind] = {**unique, **spelled}
    return out
