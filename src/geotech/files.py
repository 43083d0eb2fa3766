"""Reading input files within bounds and writing output files atomically.

Guarantees: ``read_text`` reads only a regular file (a directory, a FIFO or a device such as
``/dev/zero`` is refused without blocking or reading it) of at most ``limit`` bytes, and
decodes it as UTF-8. ``atomic_write`` writes through a fresh temporary file in the target's
folder (``tempfile.mkstemp``: a unique name, created exclusively, so a symlink planted in the
folder is never followed) and renames it over the target with ``os.replace``: readers see the
old file or the new one, never half of one, and the temporary is removed on any failure,
including an interrupt. Every failure is a ``FileError`` naming the path.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from geotech.errors import GeotechError

__all__ = ["DEFAULT_INPUT_LIMIT", "FileError", "TooLargeError", "atomic_write", "read_text"]

#: The largest input file read by default: 64 MiB.
DEFAULT_INPUT_LIMIT = 64 * 1024 * 1024


class FileError(GeotechError):
    """A file cannot be read or written as asked; the message names the path and the fix."""


class TooLargeError(FileError):
    """An input file is larger than the limit it was read with."""


def read_text(path: str | os.PathLike[str], limit: int = DEFAULT_INPUT_LIMIT) -> str:
    """The UTF-8 text of the regular file ``path``, refusing anything larger than ``limit``
    bytes; the file is read at most once and never beyond ``limit + 1`` bytes."""
    p = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; regular files ignore it.
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileError(
            f"{p}: cannot read it ({exc.strerror}); check the path and its permissions"
        ) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileError(f"{p}: {_kind(mode)}, not a regular file; give the path of a file")
        f = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with f:
        try:
            data = f.read(limit + 1)
        except OSError as exc:
            raise FileError(f"{p}: cannot read it ({exc.strerror})") from None
    if len(data) > limit:
        raise TooLargeError(
            f"{p}: larger than the limit of {limit:,} bytes; give a smaller file or raise the limit"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileError(f"{p}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new content into; on a clean exit it replaces
    ``path`` in one rename, on any exception ``path`` is untouched and nothing is left."""
    p = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    except OSError as exc:
        raise FileError(f"{p}: cannot write here: {exc.strerror}; check the folder") from None
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(fd, _mode_for(p))
            yield f
        os.replace(tmp, p)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise FileError(f"{p}: cannot write: {exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(p: Path) -> int:
    """The permissions the new file gets: the replaced file's, else what ``open`` would give."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(p.stat().st_mode)
    return 0o666 & ~_umask()


def _umask() -> int:
    # Read, not set: os.umask() would change it for every thread of the process meanwhile.
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022
