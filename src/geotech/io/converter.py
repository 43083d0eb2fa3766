"""The one cattrs converter: every geotech value to plain data and back.

Plain data is what JSON and TOML hold: tables with string keys, lists, strings, numbers,
booleans and dates. The mapping:

- records (attrs classes) are tables of their fields; defaults are omitted, unknown keys are
  refused; sets are sorted lists; tuples are lists;
- enums are text: a string enum by its value (``"fp8"``, ``">="``), any other enum by its
  lowercase name (``Verdict.LICENSE_REQUIRED`` is ``"license_required"``, ``Truth.UNKNOWN`` is
  ``"unknown"``, ``Restriction.LICENSE_CASE_BY_CASE`` is ``"license_case_by_case"``);
- dates are dates (JSON text writes them ``YYYY-MM-DD``, and exactly that form is read back);
- unions are tagged: criteria and conditions by ``type``, policies by ``side``, items and the
  changes of a what-it-takes path by ``kind``; a chip's throughput is a table
  ``{precision = tops}``;
- a ``Decision`` is a table of its request, route, ruling, outcomes (with every considered
  policy's trace), unknowns, and the buyer, item and policies in scope as records, so it
  structures back without a world.

Guarantees: ``from_data(to_data(x), type(x)) == x`` for every public value; structuring is
strict (no silent ``str(5)`` or ``float("3")``) and reports every problem at once with its
field path in one ``DocumentError``.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

import attrs
import cattrs
from attrs import frozen
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn
from cattrs.strategies import configure_tagged_union

from geotech import criteria
from geotech.analysis import paths
from geotech.criteria import Criterion, EndUseKind, end_use_kind
from geotech.engine import AccessRequest, Decision, Explanation, Outcome, Ruling, Unknown
from geotech.entities import Chip, Company, Item, Precision, Throughput
from geotech.errors import DocumentError, InvalidValueError
from geotech.io.problems import MismatchError, data_problems, expected, messages, shown
from geotech.policies import AnyPolicy, Condition
from geotech.reforms import Reform
from geotech.world import Coverage

T = TypeVar("T")


# ---------------------------------------------------------------------------------------------
# Scalars: strict, no silent conversions.


def _str(value: object, _: object) -> str:
    if not isinstance(value, str):
        raise expected("a string", value)
    return value


def _float(value: object, _: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise expected("a number", value)
    try:
        number = float(value)
    except OverflowError:
        raise expected("a number of at most about 1.8e308", value) from None
    # Infinity is a result (a gap to nobody's compute); records' validators refuse it.
    if math.isnan(number):
        raise expected("a number", value)
    return number


def _int(value: object, _: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise expected("a whole number", value)
    return value


def _bool(value: object, _: object) -> bool:
    if not isinstance(value, bool):
        raise expected("true or false", value)
    return value


def _date(value: object, _: object) -> dt.date:
    if isinstance(value, dt.datetime):
        raise expected("a date without a time (YYYY-MM-DD)", value.isoformat())
    if isinstance(value, dt.date):
        return value
    # fromisoformat also reads 20260115 and 2026-W03-4; documents write YYYY-MM-DD only.
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise expected("a date YYYY-MM-DD", value)


def _enum_text(member: enum.Enum) -> str:
    return member.value if isinstance(member, enum.StrEnum) else member.name.lower()


def _enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    by_text = {_enum_text(m): m for m in cls}
    if isinstance(value, str) and value in by_text:
        return by_text[value]
    raise expected(f"one of {', '.join(by_text)}", value)


def _end_use(value: object, _: object) -> EndUseKind:
    """An end use of the vocabulary; variant spellings give their member (``end_use_kind``)."""
    try:
        return end_use_kind(value, "")
    except InvalidValueError as exc:
        raise MismatchError(str(exc)) from None


def _list(value: object) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise expected("a list", value)
    return list(value)


def _origin(t: Any) -> Any:
    return getattr(t, "__origin__", None)


def _is_tuple_of(t: Any) -> bool:
    args: tuple[Any, ...] = getattr(t, "__args__", ())
    return _origin(t) is tuple and len(args) == 2 and args[-1] is Ellipsis


# ---------------------------------------------------------------------------------------------
# Records: each field is validated as it is structured, so an invalid field is reported at
# its own path and every invalid field of a record is reported, not the first one only.


def _probe(cls: type[Any], field: attrs.Attribute[Any], conv: cattrs.Converter) -> Any:
    owners = [f"{c.__name__}.{field.name}: " for c in cls.__mro__]
    convert = field.converter if callable(field.converter) else None

    def structure(value: Any, t: Any) -> Any:
        out = conv.structure(value, t)
        blank = object.__new__(cls)
        try:
            assert field.validator is not None
            field.validator(blank, field, convert(out) if convert else out)
        except InvalidValueError as exc:
            text = str(exc)
            for owner in owners:
                text = text.removeprefix(owner)
            raise MismatchError(text) from None
        except AttributeError:
            pass  # a validator that reads other fields: the constructor decides
        return out

    return structure


def _throughput(value: Any, _: Any) -> tuple[Throughput, ...]:
    if not isinstance(value, Mapping):
        raise expected("a table such as { fp8 = 1979, bf16 = 989.5 }", value)
    return tuple(
        Throughput(precision=cast(Precision, _enum(name, Precision)), tops=_float(tops, float))
        for name, tops in value.items()
    )


def _records(conv: cattrs.Converter) -> None:
    def unstructure(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
        overrides: dict[str, Any] = {}
        if cls is Chip:
            overrides["throughput"] = cattrs.override(
                unstruct_hook=lambda ts: {str(t.precision): t.tops for t in ts}
            )
        return make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True, **overrides)

    def structure(cls: type[Any]) -> Callable[[Any, Any], Any]:
        overrides: dict[str, Any] = {
            a.name: cattrs.override(struct_hook=_probe(cls, a, conv))
            for a in attrs.fields(cls)
            if a.init and a.validator is not None
        }
        if cls is Chip:
            overrides["throughput"] = cattrs.override(struct_hook=_throughput)
        inner = make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True, **overrides
        )

        def checked(value: Any, t: Any) -> Any:
            if not isinstance(value, Mapping):
                raise expected("a table", value)
            return inner(value, t)

        return checked

    conv.register_unstructure_hook_factory(attrs.has, unstructure)
    conv.register_structure_hook_factory(attrs.has, structure)


def _collections(conv: cattrs.Converter) -> None:
    def frozenset_hook(value: Any, t: Any) -> frozenset[Any]:
        (arg,) = t.__args__
        return frozenset(conv.structure(x, arg) for x in _list(value))

    def tuple_hook(value: Any, t: Any) -> tuple[Any, ...]:
        arg = t.__args__[0]
        out, errors = [], []
        for i, x in enumerate(_list(value)):
            try:
                out.append(conv.structure(x, arg))
            except Exception as exc:
                exc.__notes__ = [
                    *getattr(exc, "__notes__", []),
                    IterableValidationNote(f"Structuring index {i}", i, arg),
                ]
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"while structuring {t!r}", errors, t)
        return tuple(out)

    conv.register_unstructure_hook_func(
        lambda t: t is frozenset or _origin(t) is frozenset,
        lambda s: sorted(conv.unstructure(x) for x in s),
    )
    conv.register_structure_hook_func(lambda t: _origin(t) is frozenset, frozenset_hook)
    conv.register_structure_hook_func(_is_tuple_of, tuple_hook)


# ---------------------------------------------------------------------------------------------
# Tagged unions


def criterion_class(tag: str) -> type[Criterion] | None:
    """The criterion class registered under ``tag``, looked up when a document is read (so
    criteria registered after import are read too)."""
    return criteria.kinds().get(tag)


def _check_tag(value: Any, key: str, what: str, known: Callable[[str], bool], names: str) -> None:
    if not isinstance(value, Mapping):
        raise expected(f"a table with {key!r}", value)
    if key not in value:
        raise MismatchError(f"no {key!r}: give the {what}, one of {names}")
    tag = value[key]
    if not isinstance(tag, str) or not known(tag):
        # worded as a record's own check, so the problem is located at the tag's key
        raise MismatchError(f"Tagged.{key}: expected one of {names}, got {shown(tag)}")


def _criteria(conv: cattrs.Converter) -> None:
    def structure(value: Any, _: Any) -> Criterion:
        names = ", ".join(criteria.kinds())
        _check_tag(value, "type", "criterion", lambda t: criterion_class(t) is not None, names)
        cls: Any = criterion_class(value["type"])
        return cast(Criterion, conv.structure({k: v for k, v in value.items() if k != "type"}, cls))

    def unstructure(value: Any) -> dict[str, Any]:
        return {"type": type(value).tag, **conv.unstructure(value, type(value))}

    # by identity: a hook on the base class would also catch every criterion class
    conv.register_structure_hook_func(lambda t: t is Criterion, structure)
    conv.register_unstructure_hook_func(lambda t: t is Criterion, unstructure)


def _path_changes(conv: cattrs.Converter) -> None:
    """The changes of a what-it-takes path (records deriving from the open base class
    ``geotech.analysis.paths.Change``, at any depth) tagged by their ``kind``."""
    found: list[type[Any]] = []
    todo: list[type[Any]] = [paths.Change]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        # a concrete change names its kind; a slotted attrs class replaces the class it was
        # made from, which stays among the subclasses until it is collected: skip that one
        if "kind" in vars(cls) and attrs.has(cls):
            found.append(cls)
    kinds = {str(cls.kind): cls for cls in found}
    names = ", ".join(kinds)

    def structure(value: Any, _: Any) -> paths.Change:
        _check_tag(value, "kind", "change kind", kinds.__contains__, names)
        body = {k: v for k, v in value.items() if k != "kind"}
        return cast(paths.Change, conv.structure(body, kinds[value["kind"]]))

    def unstructure(value: Any) -> dict[str, Any]:
        return {"kind": str(value.kind), **conv.unstructure(value, type(value))}

    conv.register_structure_hook_func(lambda t: t is paths.Change, structure)
    conv.register_unstructure_hook_func(lambda t: t is paths.Change, unstructure)


def _tagged(conv: cattrs.Converter, union: Any, key: str, what: str, tag: str) -> None:
    """``union`` tagged under ``key`` by each member's class attribute ``tag``, the tag
    written first."""
    members = {getattr(cls, tag): cls for cls in union.__args__}
    configure_tagged_union(union, conv, tag_generator=lambda c: getattr(c, tag), tag_name=key)
    structure, unstructure = conv.get_structure_hook(union), conv.get_unstructure_hook(union)
    names = ", ".join(members)

    def checked(value: Any, t: Any) -> Any:
        _check_tag(value, key, what, members.__contains__, names)
        return structure(value, t)

    def ordered(value: Any) -> dict[str, Any]:
        data = unstructure(value)
        return {key: data.pop(key), **data}

    conv.register_structure_hook(union, checked)
    conv.register_unstructure_hook(union, ordered)


# ---------------------------------------------------------------------------------------------
# Decisions


@frozen
class DecisionData:
    """A decision as data: its parts, with the explanation's parts spelled out."""

    request: AccessRequest
    route: tuple[str, ...]
    ruling: Ruling
    outcomes: tuple[Outcome, ...]
    unknowns: tuple[Unknown, ...]
    buyer: Company
    item: Item
    policies: tuple[AnyPolicy, ...]
    outside: Coverage | None = None

    @classmethod
    def of(cls, d: Decision) -> DecisionData:
        parts = (d.request, d.route, d.ruling, d.outcomes, d.unknowns, d.buyer, d.item)
        return cls(*parts, d.policies, d.outside)

    def decision(self) -> Decision:
        explanation = Explanation.of(self.outcomes, self.unknowns, self.policies)
        parts = (self.request, self.route, self.ruling, explanation, self.buyer, self.item)
        return Decision(*parts, self.outside)


def _decisions(conv: cattrs.Converter) -> None:
    conv.register_unstructure_hook(Decision, lambda d: conv.unstructure(DecisionData.of(d)))
    conv.register_structure_hook(
        Decision, lambda value, _: conv.structure(value, DecisionData).decision()
    )


# ---------------------------------------------------------------------------------------------
# The converter


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(float, _float)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(bool, _bool)
    # By class: a StrEnum is a str and an IntEnum an int; these come first in their MROs.
    for base in (enum.Enum, enum.IntEnum, enum.StrEnum):
        conv.register_structure_hook(base, _enum)
        conv.register_unstructure_hook(base, _enum_text)
    conv.register_structure_hook(EndUseKind, _end_use)
    conv.register_structure_hook(dt.date, _date)
    conv.register_unstructure_hook(dt.date, lambda d: d)
    _collections(conv)
    _records(conv)
    _criteria(conv)
    _tagged(conv, Condition, "type", "condition", "tag")
    _tagged(conv, AnyPolicy, "side", "policy side", "tag")
    _tagged(conv, Item, "kind", "item kind", "kind")
    _tagged(conv, Reform, "type", "reform", "tag")
    _path_changes(conv)
    _decisions(conv)
    return conv


#: The converter behind ``to_data`` and ``from_data``.
converter = _make_converter()


def to_data(value: Any, cls: Any = None) -> Any:
    """Plain data (tables, lists, strings, numbers, booleans, dates) for any geotech value;
    ``cls`` names a union (``Criterion``, ``Condition``, ``AnyPolicy``) to tag the value."""
    return converter.unstructure(value, cls if cls is not None else type(value))


def from_data(data: Any, cls: type[T] | Any, source: str | None = None) -> T:
    """A geotech value of type ``cls`` from plain data; raises ``DocumentError`` listing every
    problem with its field path."""
    problems = data_problems(data)
    if problems:
        raise DocumentError(problems, source)
    try:
        return cast(T, converter.structure(data, cls))
    except Exception as exc:
        raise DocumentError(messages(exc), source) from None
