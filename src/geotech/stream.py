"""Access requests in, decisions out, one JSON object per line (JSON Lines).

``decide_lines(world, lines)`` reads requests such as ``{"buyer": "bytedance", "item":
"nvidia-h200", "on": "2026-02-01", "route": ["TW", "US", "CN"]}`` and yields one line per
request: the decision as ``geotech explain --format json`` gives it (``geotech.render``'s
data), or ``{"line": N, "error": "..."}`` for a line that is not a valid request in the world.

Guarantees: lazy, it reads at most ``chunk`` lines ahead of what it has yielded, so input of
any length streams in bounded memory; each chunk is decided through the batch path
(``geotech.evaluate_many``), and every decision equals ``evaluate(world, request)``; output
is in input order; a bad line never stops the stream; blank lines are skipped (but counted).
Pure: no I/O, the caller supplies the lines and writes the output.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable, Iterator

from attrs import frozen

from geotech import io
from geotech.engine import AccessRequest, Decision, evaluate_many, resolve_route
from geotech.errors import GeotechError, InvalidValueError, ProblemsError, UnknownEntityError
from geotech.world import World

__all__ = ["DEFAULT_CHUNK", "LineError", "decide", "decide_lines", "request_problem", "to_line"]

#: Requests decided together: large enough for the batch path to pay off, small enough to
#: keep the first answers coming.
DEFAULT_CHUNK = 1_000

#: Where an unknown id of each kind sits in a request.
_FIELD = {"company": "buyer", "item": "item", "state": "route"}


@frozen
class LineError:
    """A line that is not a valid request: its number (from 1) and what is wrong with it."""

    line: int
    error: str


def request_problem(world: World, request: AccessRequest) -> str | None:
    """What stops ``request`` from being decided in ``world`` (an unknown id, a route that
    does not fit), as ``field: message``; ``None`` when it can be decided."""
    try:
        buyer, item = world.company(request.buyer), world.item(request.item)
        resolve_route(world, request, buyer, item)
    except UnknownEntityError as exc:
        field = _FIELD.get(exc.kind, "request")
        if exc.kind == "state" and exc.key == request.destination:
            field = "destination"
        return f"{field}: {exc}"
    except GeotechError as exc:
        return _located(str(exc))
    return None


def _located(message: str) -> str:
    """``AccessRequest.route: ...`` (or ``$: AccessRequest.route: ...``) as ``route: ...``."""
    head, sep, rest = message.removeprefix("$: ").partition(": ")
    if sep and head.startswith("AccessRequest."):
        return f"{head.removeprefix('AccessRequest.')}: {rest}"
    return message


def _parse(world: World, number: int, text: str | bytes) -> AccessRequest | LineError | None:
    """The request on one line, a ``LineError``, or ``None`` for a blank line."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            return LineError(number, "not UTF-8 text; write the line in UTF-8")
    if not text.strip():
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return LineError(number, f"not valid JSON ({exc}); write one JSON object per line")
    if not isinstance(data, dict):
        return LineError(
            number,
            f'expected a JSON object such as {{"buyer": ..., "item": ..., "on": '
            f'"YYYY-MM-DD"}}, got {type(data).__name__}',
        )
    try:
        request: AccessRequest = io.from_data(data, AccessRequest)
    except ProblemsError as exc:
        return LineError(number, "; ".join(map(_located, exc.problems)))
    except GeotechError as exc:
        return LineError(number, _located(" ".join(str(exc).split())))
    problem = request_problem(world, request)
    return request if problem is None else LineError(number, problem)


def decide(
    world: World, lines: Iterable[str | bytes], chunk: int = DEFAULT_CHUNK
) -> Iterator[Decision | LineError]:
    """One decision or ``LineError`` per non-blank line, in order, ``chunk`` lines at a time;
    ``bytes`` lines are decoded as UTF-8."""
    if chunk < 1:
        raise InvalidValueError(f"decide.chunk: expected a whole number >= 1, got {chunk!r}")
    numbered = enumerate(lines, 1)
    while block := list(itertools.islice(numbered, chunk)):
        parsed = [_parse(world, n, text) for n, text in block]
        requests = [p for p in parsed if isinstance(p, AccessRequest)]
        decisions = iter(evaluate_many(world, requests))
        for p in parsed:
            if p is not None:
                yield next(decisions) if isinstance(p, AccessRequest) else p


def to_line(answer: Decision | LineError) -> str:
    """One answer as a line of JSON, ending with a newline."""
    data = (
        {"line": answer.line, "error": answer.error}
        if isinstance(answer, LineError)
        else io.to_data(answer)
    )
    # ASCII only: text from the input (an end use, an unknown id) may hold lone surrogates.
    return json.dumps(data, default=dt.date.isoformat) + "\n"


def decide_lines(
    world: World, lines: Iterable[str | bytes], chunk: int = DEFAULT_CHUNK
) -> Iterator[str]:
    """``decide`` as JSON lines: one line of output per non-blank line of input."""
    return map(to_line, decide(world, lines, chunk))
