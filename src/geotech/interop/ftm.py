"""FollowTheMoney interop: a world's companies, ownership and listings as FtM entities, and FtM
data (such as OpenSanctions exports) into a world.

Entities are plain dicts in FtM's JSON shape, ``{"id", "schema", "properties"}``, every property
a list of strings; no FtM package is needed to make or read them (``proxies`` validates them
with ``followthemoney``, extra ``ftm``). Both directions are pure and deterministic.

``to_ftm(world)`` yields, in this order:

- a ``Company`` per company (id ``geotech-company-<id>``): ``name``, ``jurisdiction`` and
  ``country`` (the headquarters state as an FtM country code, lowercase), ``sector`` (its
  roles), ``sourceUrl``;
- an ``Ownership`` per stake (id ``geotech-ownership-<asset>-<owner>``): ``owner``, ``asset``,
  ``percentage`` (the stake exactly, as the shortest decimal that reads back to it: ``59.45``,
  ``100``), ``role`` ``parent`` for a majority stake (more than 50 %), and ``status``
  ``reported`` for a percentage known only from reporting;
- a ``Sanction`` per listing (id ``geotech-sanction-<list>-<company>-<start>``): ``entity``,
  ``authority`` (the issuing state's name), ``program`` (the list's name), ``programId`` (its
  id), ``country`` (the issuer), ``startDate``, ``endDate``, ``reason`` (the citation),
  ``sourceUrl``, and ``status`` ``reported`` for a listing known only from reporting.

``from_ftm(entities, world)`` adds to ``world``, reading entities in order of their ids:

- companies from ``Company``, ``Organization``, ``PublicBody`` and ``LegalEntity`` entities:
  name (the first ``name``), headquarters (the first of ``mainCountry``, ``jurisdiction``,
  ``country``; a state the world must hold), roles (``sector`` values that are role names;
  others are ignored), sources (``http(s)`` ``sourceUrl`` values). Id: the slug after
  ``geotech-company-`` in an id written by ``to_ftm``, else the slug of the name; an id already
  taken (in the world or by an entity read before) gets ``-2``, ``-3``... ``known`` maps FtM
  ids to companies the world already holds: those entities add no company, and their
  ownership and listings attach to the known company;
- a stake from an ``Ownership`` with a ``percentage`` (with or without ``%``, more than 0
  and at most 100), ``status`` ``reported`` kept; an ``Ownership`` without a percentage is
  left out (a stake is a number; a ``parent`` mark alone does not say how much). An owner
  holds one stake in an asset: a second, different one (in the input or the world) is a
  problem, and so are stakes in one asset adding up to more than 100 %;
- a listing from a ``Sanction`` on the party list its program names: ``programId`` equal to a
  list id, else the ``program`` (or, without one, the ``authority``) looked up in
  ``programs`` (text -> list id, or ``None`` to leave that program out), else equal to a
  list's name or id, ignoring case. Start is ``startDate``, else ``listingDate``, else
  ``date`` (a full date); end ``endDate``; citation the ``reason`` values; a listing already
  on the list is not added twice.

Entities of other schemata (people, addresses, vessels...) are skipped, and so are ownerships
and sanctions whose parties are such entities. Every problem (malformed entity, missing or
bad property, reference to an id absent from the input, unknown program) is reported at once
in a ``DocumentError``, each as ``entities[<id>].properties.<name>: what is wrong``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from fractions import Fraction
from typing import IO, Any

import attrs

from geotech.entities import Company, Listing, PartyList, Role, Stake, Status, exact_percent
from geotech.errors import DocumentError, GeotechError
from geotech.world import World

#: The JSON shape of an FtM entity.
Entity = dict[str, Any]

PREFIX = "geotech-"
COMPANY_PREFIX = f"{PREFIX}company-"

#: Schemata read as companies.
COMPANY_SCHEMATA = frozenset({"Company", "Organization", "PublicBody", "LegalEntity"})

_COUNTRY_PROPERTIES = ("mainCountry", "jurisdiction", "country")
_START_PROPERTIES = ("startDate", "listingDate", "date")
_ROLES = frozenset(r.value for r in Role)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


# ---------------------------------------------------------------------------------------------
# World -> FtM


def company_id(company: str) -> str:
    """The FtM id ``to_ftm`` gives a company."""
    return f"{COMPANY_PREFIX}{company}"


def to_ftm(world: World) -> Iterator[Entity]:
    """The world's companies, stakes and listings as FtM entities (see the module docstring),
    in a fixed order: companies by id, ownerships by asset and owner, sanctions by list,
    company and start."""
    for co in world.companies:
        yield _entity(
            company_id(co.id),
            "Company",
            name=[co.name],
            jurisdiction=[co.hq.lower()],
            country=[co.hq.lower()],
            sector=sorted(r.value for r in co.roles),
            sourceUrl=list(co.sources),
        )
    for co in world.companies:
        for stake in co.owners:
            yield ownership(co.id, stake)
    for pl in world.party_lists:
        authority = world.state(pl.issuer).name
        for x in pl.listings:
            yield _entity(
                f"{PREFIX}sanction-{pl.id}-{x.company}-{x.start.isoformat()}",
                "Sanction",
                entity=[company_id(x.company)],
                authority=[authority],
                program=[pl.name],
                programId=[pl.id],
                country=[pl.issuer.lower()],
                startDate=[x.start.isoformat()],
                endDate=[] if x.end is None else [x.end.isoformat()],
                reason=[x.citation] if x.citation else [],
                sourceUrl=list(x.sources),
                status=["reported"] if x.status is Status.REPORTED else [],
            )


def ownership(asset: str, stake: Stake) -> Entity:
    """The FtM ``Ownership`` of ``stake`` in company ``asset``: its exact ``percentage``, the
    ``parent`` role for a majority stake, ``status`` ``reported`` when only reported."""
    return _entity(
        f"{PREFIX}ownership-{asset}-{stake.owner}",
        "Ownership",
        owner=[company_id(stake.owner)],
        asset=[company_id(asset)],
        percentage=[_decimal(stake.percent)],
        role=["parent"] if stake.percent > 50 else [],
        status=["reported"] if stake.status is Status.REPORTED else [],
    )


def _decimal(value: float) -> str:
    """The shortest decimal that reads back as ``value`` (``100``, ``59.45``)."""
    return str(int(value)) if value.is_integer() else repr(value)


def _entity(id: str, schema: str, **properties: list[str]) -> Entity:
    return {
        "id": id,
        "schema": schema,
        "properties": {k: v for k, v in properties.items() if v},
    }


def write_jsonl(entities: Iterable[Mapping[str, Any]], stream: IO[str]) -> int:
    """Write entities to ``stream`` as JSON lines (one entity a line, keys sorted, as FtM
    tools read them); returns how many were written."""
    n = 0
    for e in entities:
        stream.write(json.dumps(e, sort_keys=True, ensure_ascii=False) + "\n")
        n += 1
    return n


def read_jsonl(stream: IO[str]) -> Iterator[Entity]:
    """Entities from JSON lines (blank lines skipped); a line that is not a JSON object raises
    ``DocumentError`` naming its number."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DocumentError([f"line {number}: not JSON ({exc.msg})"]) from None
        if not isinstance(value, dict):
            raise DocumentError([f"line {number}: expected an entity object, got JSON {value!r}"])
        yield value


def proxies(entities: Iterable[Mapping[str, Any]]) -> Iterator[Any]:
    """``followthemoney`` entity proxies of the entities, validated against FtM's model
    (extra ``ftm``); an entity FtM rejects raises ``DocumentError`` naming it."""
    try:
        model = importlib.import_module("followthemoney").model
    except ImportError:
        raise GeotechError(
            "proxies needs followthemoney, which is not installed; install it with "
            "pip install 'geotech[ftm]'"
        ) from None
    for i, e in enumerate(entities):
        try:
            yield model.get_proxy(dict(e), cleaned=False)
        except Exception as exc:  # FtM raises its own errors and KeyErrors alike
            where = e.get("id", i) if isinstance(e, Mapping) else i
            raise DocumentError([f"entities[{where}]: FollowTheMoney rejects it: {exc}"]) from None


# ---------------------------------------------------------------------------------------------
# FtM -> World


def from_ftm(
    entities: Iterable[Mapping[str, Any]],
    world: World,
    *,
    programs: Mapping[str, str | None] | None = None,
    known: Mapping[str, str] | None = None,
) -> World:
    """``world`` with the companies, parents and listings of FtM ``entities`` added (rules in
    the module docstring). Raises ``DocumentError`` listing every problem of the input."""
    reader = _Reader(world, programs or {}, known or {})
    reader.read(entities)
    if reader.problems:
        raise DocumentError(sorted(reader.problems), source="FollowTheMoney entities")
    return reader.world()


def slugify(text: str) -> str:
    """A lowercase slug of ``text`` (accents dropped, other characters to ``-``); may be
    empty."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", folded.lower()).strip("-")


class _Reader:
    """One pass over the input; collects problems instead of stopping at the first."""

    def __init__(
        self, world: World, programs: Mapping[str, str | None], known: Mapping[str, str]
    ) -> None:
        self.base = world
        self.problems: list[str] = []
        self.programs = {k.strip().casefold(): v for k, v in programs.items()}
        for text, target in sorted(programs.items()):
            if target is not None and target not in world.ids("party list"):
                self.problems.append(f"programs[{text!r}]: the world has no party list {target!r}")
        for pl in world.party_lists:
            for key in (pl.id, pl.name):
                self.programs.setdefault(key.strip().casefold(), pl.id)
        self.known = dict(known)
        for ftm_id, company in self.known.items():
            if company not in world.ids("company"):
                self.problems.append(f"known[{ftm_id}]: the world has no company {company!r}")
        self.entities: dict[str, Mapping[str, Any]] = {}
        self.ids: dict[str, str] = dict(self.known)  # FtM id -> company id
        self.companies: dict[str, Company] = {}
        self.stakes: dict[str, dict[str, Stake]] = {}  # asset -> owner -> stake read
        self.stake_sources: dict[tuple[str, str], str] = {}  # (asset, owner) -> Ownership id
        self.listings: dict[str, list[Listing]] = {}

    def read(self, entities: Iterable[Mapping[str, Any]]) -> None:
        for i, e in enumerate(entities):
            self._shape(i, e)
        keys = sorted(self.entities)
        taken = set(self.base.ids("company"))
        for key in keys:
            if self._schema(key) in COMPANY_SCHEMATA and key not in self.known:
                self._company(key, taken)
        for key in keys:
            if self._schema(key) == "Ownership":
                self._ownership(key)
            elif self._schema(key) == "Sanction":
                self._sanction(key)
        for asset, read in sorted(self.stakes.items()):
            base = self.base.company(asset).owners if asset in self.base.ids("company") else ()
            kept = {x.owner: x for x in base} | read
            total = sum((exact_percent(x.percent) for x in kept.values()), Fraction(0))
            if total > 100:
                where = ", ".join(sorted(self.stake_sources[(asset, o)] for o in read))
                self.problems.append(
                    f"entities[{where}].properties.percentage: the stakes in {asset!r} add up to "
                    f"{float(total):g} %, more than 100 %; correct or drop one"
                )

    def _schema(self, key: str) -> str:
        return str(self.entities[key]["schema"])

    # -- shape -------------------------------------------------------------------------------

    def _shape(self, i: int, e: object) -> None:
        if not isinstance(e, Mapping):
            self.problems.append(f"entities[{i}]: expected an entity object, got {e!r}")
            return
        key = e.get("id")
        if not isinstance(key, str) or not key:
            self.problems.append(f"entities[{i}].id: expected a non-empty string, got {key!r}")
            return
        where = f"entities[{key}]"
        if key in self.entities:
            self.problems.append(f"{where}.id: the id is used by two entities; ids are unique")
            return
        if not isinstance(e.get("schema"), str):
            self.problems.append(f"{where}.schema: expected a schema name such as 'Company'")
            return
        props = e.get("properties", {})
        if not isinstance(props, Mapping):
            self.problems.append(f"{where}.properties: expected an object of property lists")
            return
        for name, values in props.items():
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                self.problems.append(
                    f"{where}.properties.{name}: expected a list of strings, got {values!r}"
                )
                return
        self.entities[key] = e

    def _values(self, key: str, name: str) -> list[str]:
        values: list[str] = self.entities[key].get("properties", {}).get(name, [])
        return [v for v in values if v]

    def _first(self, key: str, *names: str) -> str | None:
        """The first property of ``names`` that has a value."""
        return next((name for name in names if self._values(key, name)), None)

    def _problem(self, key: str, name: str, message: str) -> None:
        self.problems.append(f"entities[{key}].properties.{name}: {message}")

    # -- companies ---------------------------------------------------------------------------

    def _company(self, key: str, taken: set[str]) -> None:
        names = self._values(key, "name")
        country = self._first(key, *_COUNTRY_PROPERTIES)
        if not names:
            self._problem(key, "name", "a company needs a name")
        if country is None:
            self._problem(
                key, "country", "a company needs a country (mainCountry, jurisdiction or country)"
            )
        if not names or country is None:
            return
        code = self._values(key, country)[0]
        hq = code.strip().upper()
        if hq not in self.base.ids("state"):
            self._problem(
                key,
                country,
                f"country {code!r} is not a state of the world; add the state or give a "
                "two-letter code of one",
            )
            return
        base = key.removeprefix(COMPANY_PREFIX) if key.startswith(COMPANY_PREFIX) else ""
        if not _SLUG.fullmatch(base):
            base = slugify(names[0]) or slugify(key) or "company"
        new, n = base, 1
        while new in taken:
            n += 1
            new = f"{base}-{n}"
        taken.add(new)
        self.ids[key] = new
        self.companies[new] = Company(
            id=new,
            name=names[0],
            hq=hq,
            roles=frozenset(Role(v) for v in self._values(key, "sector") if v in _ROLES),
            sources=tuple(_urls(self._values(key, "sourceUrl"))),
        )

    def _party(self, key: str, name: str) -> str | None:
        """The company an entity property refers to; ``None`` when it is no company (a
        problem is recorded when the reference cannot be resolved at all)."""
        ref = self._values(key, name)
        if not ref:
            self._problem(key, name, "missing; it must name an entity id")
            return None
        if ref[0] in self.ids:
            return self.ids[ref[0]]
        if ref[0] not in self.entities:
            self._problem(
                key,
                name,
                f"refers to {ref[0]!r}, which is not in the input; include it or pass "
                "known={...} to map it to a company of the world",
            )
        return None

    # -- ownership ---------------------------------------------------------------------------

    def _ownership(self, key: str) -> None:
        owner, asset = self._party(key, "owner"), self._party(key, "asset")
        share = self._values(key, "percentage")
        if not share or owner is None or asset is None:
            return
        if owner == asset:
            self._problem(key, "owner", f"{owner!r} cannot own itself")
            return
        try:
            stake = Stake(
                owner=owner,
                percent=float(share[0].strip().removesuffix("%")),
                status=Status.REPORTED
                if any(v.casefold() == "reported" for v in self._values(key, "status"))
                else Status.OFFICIAL,
            )
        except (ValueError, GeotechError):
            self._problem(
                key,
                "percentage",
                f"expected a percentage > 0 and <= 100 such as '51' or '51%', got {share[0]!r}",
            )
            return
        held = self.stakes.setdefault(asset, {})
        if asset in self.base.ids("company"):
            held = {x.owner: x for x in self.base.company(asset).owners} | held
        earlier = held.get(owner)
        if earlier is not None:
            if earlier.percent != stake.percent:
                source = self.stake_sources.get((asset, owner), "the world")
                self._problem(
                    key,
                    "percentage",
                    f"{owner!r} already holds {earlier.percent:g} % of {asset!r} (from "
                    f"{source}); an owner holds one stake in a company",
                )
            return
        self.stakes[asset][owner] = stake
        self.stake_sources[(asset, owner)] = key

    # -- sanctions ---------------------------------------------------------------------------

    def _sanction(self, key: str) -> None:
        company = self._party(key, "entity")
        if company is None:
            return
        party_list = self._list(key)
        start = self._date(key, _START_PROPERTIES, required=True)
        end = self._date(key, ("endDate",), required=False)
        if party_list is None or start is None:
            return
        reported = any(v.casefold() == "reported" for v in self._values(key, "status"))
        try:
            listing = Listing(
                company=company,
                start=start,
                end=end,
                citation="; ".join(self._values(key, "reason")),
                status=Status.REPORTED if reported else Status.OFFICIAL,
                sources=tuple(_urls(self._values(key, "sourceUrl"))),
            )
        except GeotechError as exc:
            self._problem(key, "endDate", str(exc))
            return
        found = self.listings.setdefault(party_list, [])
        if listing not in found:
            found.append(listing)

    def _list(self, key: str) -> str | None:
        pid = self._values(key, "programId")
        if pid and pid[0] in self.base.ids("party list"):
            return pid[0]
        prop = self._first(key, "program", "authority")
        if prop is None:
            self._problem(key, "program", "a sanction needs a program or an authority")
            return None
        value = self._values(key, prop)[0]
        folded = value.strip().casefold()
        if folded not in self.programs:
            lists = ", ".join(sorted(self.base.ids("party list"))) or "none"
            self._problem(
                key,
                prop,
                f"{prop} {value!r} names no party list of the world; pass "
                f"programs={{{value!r}: '<party list id>'}} (or None to leave it out); "
                f"party lists: {lists}",
            )
            return None
        return self.programs[folded]

    def _date(self, key: str, names: tuple[str, ...], *, required: bool) -> dt.date | None:
        prop = self._first(key, *names)
        if prop is None:
            if required:
                self._problem(key, names[0], "a sanction needs a start date")
            return None
        text = self._values(key, prop)[0].strip()
        try:
            if not _ISO_DATE.match(text):
                raise ValueError
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            self._problem(key, prop, f"expected a full date such as 2019-05-16, got {text!r}")
            return None

    # -- result ------------------------------------------------------------------------------

    def world(self) -> World:
        companies = {co.id: co for co in (*self.base.companies, *self.companies.values())}
        for asset, read in self.stakes.items():
            kept = {x.owner: x for x in companies[asset].owners} | read
            companies[asset] = attrs.evolve(companies[asset], owners=tuple(kept.values()))
        lists: list[PartyList] = []
        for pl in self.base.party_lists:
            added = [x for x in self.listings.get(pl.id, ()) if x not in pl.listings]
            lists.append(attrs.evolve(pl, listings=(*pl.listings, *added)) if added else pl)
        return attrs.evolve(self.base, companies=tuple(companies.values()), party_lists=lists)


def _urls(values: Iterable[str]) -> Iterator[str]:
    return (v for v in values if v.startswith(("http://", "https://")))
