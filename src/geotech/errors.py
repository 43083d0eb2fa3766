"""The error hierarchy: every error geotech raises is a ``GeotechError``."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[\s_]+")


def normal_id(key: str) -> str:
    """``key`` as ids are spelled: lower case, runs of blanks and underscores as one ``-``
    (``"NVIDIA H200"`` -> ``"nvidia-h200"``)."""
    return _SEPARATORS.sub("-", key.strip()).lower()


def suggestions(key: str, known: Iterable[str], n: int = 3) -> tuple[str, ...]:
    """Up to ``n`` of the ``known`` ids closest to ``key``, the obvious ones first: ids that
    begin with it (shortest first), then ids holding all its ``-``-separated words, then
    ``difflib``'s close matches. Case and separators do not matter."""
    word = normal_id(key)
    by_normal = {normal_id(k): k for k in sorted(known)}
    tokens = set(word.split("-")) - {""}
    prefix = sorted((k for k in by_normal if k.startswith(word)), key=len)
    holding = sorted((k for k in by_normal if tokens and tokens <= set(k.split("-"))), key=len)
    close = difflib.get_close_matches(word, list(by_normal), n=n, cutoff=0.5)
    ranked = dict.fromkeys([*prefix, *holding, *close])
    return tuple(by_normal[k] for k in ranked)[:n]


class GeotechError(Exception):
    """Root of every error geotech raises on purpose."""


class InvalidValueError(GeotechError, ValueError):
    """A value breaks a local invariant; the message names the field and the value."""


class UnknownEntityError(GeotechError, KeyError):
    """A look-up named an id that the world does not hold; ``suggestions`` ranks the known
    ids that come closest (``suggestions``)."""

    def __init__(self, kind: str, key: str, known: Iterable[str]) -> None:
        self.kind = kind
        self.key = key
        self.suggestions = suggestions(key, known)
        super().__init__(key)

    def __reduce__(self) -> tuple[type[UnknownEntityError], tuple[str, str, tuple[str, ...]]]:
        return (type(self), (self.kind, self.key, self.suggestions))

    def __str__(self) -> str:
        hint = (
            f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?"
            if (self.suggestions)
            else ""
        )
        return f"unknown {self.kind} {self.key!r}{hint}"


class ProblemsError(GeotechError):
    """Several problems found at once; ``problems`` lists each as ``path: message``."""

    headline = "problems found"

    def __init__(self, problems: Iterable[str], source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(self.__str__())

    def __reduce__(self) -> tuple[type[ProblemsError], tuple[tuple[str, ...], str | None]]:
        return (type(self), (self.problems, self.source))

    def __str__(self) -> str:
        where = f" in {self.source}" if self.source else ""
        n = len(self.problems)
        lines = [f"{self.headline}{where}: {n} problem{'s' if n != 1 else ''}"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class WorldError(ProblemsError):
    """A world's records do not fit together (duplicate ids, dangling references, cycles)."""

    headline = "invalid world"


class DocumentError(ProblemsError):
    """A TOML/JSON document could not be loaded; every problem carries its field path."""

    headline = "invalid document"


class MissingSpecError(GeotechError, ValueError):
    """A figure a computation needs (a chip's throughput, a model's training compute) is not
    published in the world; the message says which and how to proceed."""


class InvalidRequestError(GeotechError, ValueError):
    """An access request is malformed (for example a route that does not end at the destination)."""
