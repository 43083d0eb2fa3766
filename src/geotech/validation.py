"""Validation of a World: every problem of its records at once, and the problems a revision
(``World.revised``) can bring, checked on what it changed only.

``problems(world)`` is what the ``World`` constructor reports; ``revision_problems(before,
after)`` says whether ``after``, built from the valid ``before`` by changing policies or party
lists, has any (then ``problems(after)`` lists them). Both read the world's indexes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

from geotech import criteria as c
from geotech.criteria import Criterion
from geotech.entities import Chip, Equipment, Listing, Material, PartyList
from geotech.errors import UnknownEntityError
from geotech.policies import AnyPolicy, ControlClass

if TYPE_CHECKING:
    from geotech.world import World


def _referrer(world: World, add: Callable[[str], None]) -> Callable[[str, str, str | None], None]:
    """``ref(path, kind, key)``: adds a problem when ``key`` names no record of ``kind``."""
    ix = world._ix

    def ref(path: str, kind: str, key: str | None) -> None:
        if key is not None and key not in ix[kind]:
            add(f"{path}: {UnknownEntityError(kind, key, ix[kind])}")

    return ref


def revision_problems(before: World, after: World) -> bool:
    """Whether ``after``, built from the valid ``before`` by changing policies or party lists
    (same ids), has problems: the checks of the new records and of what they can break."""
    problems: list[str] = []
    add = problems.append
    ref = _referrer(after, add)
    if after.policies is not before.policies:
        if len(after._ix["policy"]) != len(after.policies):
            return True
        kept = {id(p) for p in before.policies}
        fresh = [p for p in after.policies if id(p) not in kept]
        for p in fresh:
            _policy_problems(after, p, ref, add)
        if not before._ix["policy"].keys() <= after._ix["policy"].keys():  # a policy went
            for p in after.policies:
                for s in sorted(p.supersedes):
                    ref(f"policies[{p.id}].supersedes", "policy", s)
        if any(p.supersedes for p in fresh) and _supersedes_cycle(after):
            return True
    if after.party_lists is not before.party_lists:
        kept = {id(p) for p in before.party_lists}
        for pl in after.party_lists:
            if id(pl) not in kept:
                _party_list_problems(pl, ref, add)
    return bool(problems)


def problems(world: World) -> list[str]:
    """Every problem of ``world``. A check of policies or party lists added here belongs in
    ``_policy_problems`` / ``_party_list_problems``, which ``World.revised`` runs on new
    records (``tests/test_revised.py`` holds it to this function)."""
    problems: list[str] = []
    add = problems.append
    ix = world._ix

    kinds: list[tuple[str, tuple[Any, ...]]] = [
        ("states", world.states),
        ("groups", world.groups),
        ("companies", world.companies),
        ("party_lists", world.party_lists),
        ("chips", world.chips),
        ("models", world.models),
        ("materials", world.materials),
        ("equipment", world.equipment),
        ("classes", world.classes),
        ("policies", world.policies),
    ]
    for name, records in kinds:
        for key, n in sorted(Counter(r.id for r in records).items()):
            if n > 1:
                add(f"{name}: id {key!r} is used {n} times; ids must be unique")
    if len(world.coverage) > 1:
        ids = ", ".join(c.id for c in world.coverage)
        add(f"coverage: {len(world.coverage)} windows ({ids}); a world declares at most one")
    item_kinds: Counter[str] = Counter()
    for group in (world.chips, world.models, world.materials, world.equipment):
        item_kinds.update({r.id for r in group})
    for key, n in sorted(item_kinds.items()):
        if n > 1:
            add(f"items: id {key!r} names more than one of chips, models, materials and equipment")

    ref = _referrer(world, add)
    for g in world.groups:
        ref(f"groups[{g.id}].issuer", "state", g.issuer)
        for m in g.members:
            ref(f"groups[{g.id}].members[{m.state}]", "state", m.state)
    for co in world.companies:
        ref(f"companies[{co.id}].hq", "state", co.hq)
        for stake in co.owners:
            ref(f"companies[{co.id}].owners[{stake.owner}]", "company", stake.owner)
    for co in world.companies:
        owned = _ownership_cycle(world, co.id)
        if owned:
            add(
                f"companies[{co.id}].owners: the stakes form a cycle "
                f"({' owned by '.join(owned)}); remove one of them"
            )
    for pl in world.party_lists:
        _party_list_problems(pl, ref, add)
    for chip in world.chips:
        ref(f"chips[{chip.id}].designer", "company", chip.designer)
        ref(f"chips[{chip.id}].fab", "company", chip.fab)
        for s in sorted(chip.jurisdictions):
            ref(f"chips[{chip.id}].jurisdictions", "state", s)
    for model in world.models:
        ref(f"models[{model.id}].developer", "company", model.developer)
        trained_on = ix["item"].get(model.training_chip) if model.training_chip else None
        if model.training_chip is not None and trained_on is None:
            ref(f"models[{model.id}].training_chip", "item", model.training_chip)
        elif trained_on is not None and not isinstance(trained_on, Chip):
            add(
                f"models[{model.id}].training_chip: {model.training_chip!r} is a "
                f"{trained_on.kind}, not a chip; name a chip id"
            )
        for s in sorted(model.jurisdictions):
            ref(f"models[{model.id}].jurisdictions", "state", s)
    for mat in world.materials:
        for s in sorted(mat.jurisdictions):
            ref(f"materials[{mat.id}].jurisdictions", "state", s)
    for tool in world.equipment:
        ref(f"equipment[{tool.id}].producer", "company", tool.producer)
        for s in sorted(tool.jurisdictions):
            ref(f"equipment[{tool.id}].jurisdictions", "state", s)

    _supply_problems(world, ref, add)

    versions: dict[tuple[str, str], list[ControlClass]] = {}
    for k in world.classes:
        ref(f"classes[{k.id}].issuer", "state", k.issuer)
        versions.setdefault((k.issuer, k.code), []).append(k)
        _check_criterion(world, f"classes[{k.id}].criterion", k.criterion, add, items_only=True)
    issuers: dict[str, set[str]] = {}
    for issuer, code in versions:
        issuers.setdefault(code, set()).add(issuer)
    for code, who in sorted(issuers.items()):
        if len(who) > 1:
            add(
                f"classes: code {code!r} is defined by {', '.join(sorted(who))}; a class code "
                "belongs to one issuer (prefix it, e.g. 'CN:...')"
            )
    for (issuer, code), defs in sorted(versions.items()):
        defs.sort(key=lambda r: r.effective)
        for a, b in itertools.pairwise(defs):
            if a.expires is None or a.expires > b.effective:
                add(
                    f"classes: {a.id!r} and {b.id!r} both define {issuer} {code} on "
                    f"{b.effective.isoformat()}; end the earlier one (expires) on or before "
                    "the later one's effective date"
                )

    for p in world.policies:
        _policy_problems(world, p, ref, add)
    cycle = _supersedes_cycle(world)
    if cycle:
        add(f"policies: supersedes cycle {' -> '.join(cycle)}; a policy cannot set itself aside")
    return problems


def _policy_problems(world: World, p: AnyPolicy, ref: Any, add: Any) -> None:
    ref(f"policies[{p.id}].issuer", "state", p.issuer)
    for s in sorted(p.supersedes):
        ref(f"policies[{p.id}].supersedes", "policy", s)
    _check_criterion(world, f"policies[{p.id}].criterion", p.criterion, add, items_only=False)


def _party_list_problems(pl: PartyList, ref: Any, add: Any) -> None:
    ref(f"party_lists[{pl.id}].issuer", "state", pl.issuer)
    for listing in pl.listings:
        ref(f"party_lists[{pl.id}].listings[{listing.company}]", "company", listing.company)
    _overlapping_listings(pl, add)


def _supply_problems(world: World, ref: Any, add: Any) -> None:
    totals: dict[tuple[str, str, dt.date], float] = {}
    seen: Counter[tuple[str, str, dt.date, str]] = Counter()
    for x in world.supply_shares:
        where = f"supply_shares[{x.material}/{x.stage}/{x.state}/{x.as_of.isoformat()}]"
        if not isinstance(world._ix["item"].get(x.material), (Material, Equipment)):
            ref(f"{where}.material", "item", x.material)
        ref(f"{where}.state", "state", x.state)
        key = (x.material, str(x.stage), x.as_of)
        totals[key] = totals.get(key, 0.0) + x.share
        seen[(*key, x.state)] += 1
    for (material, stage, as_of, state), n in sorted(seen.items()):
        if n > 1:
            add(f"supply_shares: {state}'s {stage} share of {material} on {as_of} given {n} times")
    for (material, stage, as_of), total in sorted(totals.items()):
        if total > 1 + 1e-9:
            add(
                f"supply_shares: {stage} shares of {material} on {as_of.isoformat()} add up to "
                f"{total:.3f} > 1; world shares cannot exceed the whole"
            )
    for d in world.dependencies:
        ref(f"dependencies[{d.item}/{d.material}].item", "item", d.item)
        if not isinstance(world._ix["item"].get(d.material), (Material, Equipment)):
            ref(f"dependencies[{d.item}/{d.material}].material", "item", d.material)


def _ownership_cycle(world: World, start: str) -> tuple[str, ...]:
    """A chain of owners from ``start`` back to itself (each owning the one before), or
    ``()``. Only cycles through ``start`` are reported, so each is reported by its members."""
    came_from: dict[str, str] = {}
    todo = [start]
    while todo:
        company = todo.pop()
        for stake in world.stakes(company):
            if stake.owner == start:
                chain = [company]
                while chain[-1] != start:
                    chain.append(came_from[chain[-1]])
                return (start, *reversed(chain[:-1]), start)
            if stake.owner not in came_from:
                came_from[stake.owner] = company
                todo.append(stake.owner)
    return ()


def _overlapping_listings(pl: PartyList, add: Any) -> None:
    by_company: dict[str, list[Listing]] = {}
    for x in pl.listings:
        by_company.setdefault(x.company, []).append(x)
    for company, xs in sorted(by_company.items()):
        for a, b in itertools.pairwise(xs):
            if a.end is None or a.end > b.start:
                add(
                    f"party_lists[{pl.id}].listings[{company}]: listings from "
                    f"{a.start.isoformat()} and {b.start.isoformat()} overlap; end the first "
                    "before the second starts"
                )


def _check_criterion(
    world: World, path: str, criterion: Criterion, add: Any, *, items_only: bool
) -> None:
    ix = world._ix
    codes = world._classes_by_code.keys()
    for node in c.walk(criterion):
        if items_only and not node.reads <= _ITEM_ONLY:
            extra = ", ".join(sorted(node.reads - _ITEM_ONLY))
            add(
                f"{path}: a class definition may only test the item, not {node.tag!r} (it "
                f"reads {extra}); test the item's kind, id and specs only"
            )
        for ref in node.references():
            known: Collection[str] = (
                codes if ref.entity is c.Entity.CLASS_CODE else ix[ref.entity].keys()
            )
            for key in sorted(ref.ids):
                if key not in known:
                    add(f"{path}.{ref.field}: {UnknownEntityError(ref.entity, key, known)}")


#: What a class definition may read: the item alone (not even the date).
_ITEM_ONLY = frozenset({c.Fact.ITEM})


def _supersedes_cycle(world: World) -> list[str]:
    graph = {p.id: sorted(p.supersedes) for p in world.policies}
    state: dict[str, int] = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, i = stack.pop()
            if i == 0:
                state[node] = 1
                path.append(node)
            edges = graph.get(node, [])
            if i < len(edges):
                stack.append((node, i + 1))
                nxt = edges[i]
                if state.get(nxt) == 1:
                    return [*path[path.index(nxt) :], nxt]
                if not state.get(nxt) and nxt in graph:
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()
    return []
