"""``geotech.files``: bounded reads of regular files only, and atomic writes that never follow
a planted symlink and never leave a temporary file behind; ``plot.save`` and
``io.dump_world`` write through it."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geotech import catalog, files, io, plot
from geotech.files import FileError, TooLargeError, atomic_write, read_text

ON = dt.date(2026, 2, 1)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- reading ------------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(text=st.text(), slack=st.integers(min_value=-3, max_value=3))
def test_read_text_reads_back_what_was_written_within_the_limit(
    tmp_path_factory: pytest.TempPathFactory, text: str, slack: int
) -> None:
    path = tmp_path_factory.mktemp("read") / "doc.toml"
    data = text.encode("utf-8")
    with atomic_write(path) as f:
        f.write(data)
    limit = max(len(data) + slack, 0)
    if len(data) > limit:
        with pytest.raises(TooLargeError, match=f"larger than the limit of {limit:,} bytes"):
            read_text(path, limit)
    else:
        assert read_text(path, limit) == text


def test_read_text_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "folder").mkdir()
    expected = {
        tmp_path / "pipe": "a FIFO (named pipe), not a regular file",
        tmp_path / "folder": "a directory, not a regular file",
        Path("/dev/zero"): "a device, not a regular file",
    }
    for path, message in expected.items():
        with pytest.raises(FileError) as info:
            read_text(path)
        assert str(info.value) == f"{path}: {message}; give the path of a file"


def test_read_text_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileError) as info:
        read_text(tmp_path / "nope.toml")
    assert str(info.value) == (
        f"{tmp_path / 'nope.toml'}: cannot read it (No such file or directory); check the "
        "path and its permissions"
    )


def test_the_default_limit_is_64_mib() -> None:
    assert files.DEFAULT_INPUT_LIMIT == 64 * 1024 * 1024


def test_read_text_names_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "latin1.toml").write_bytes(b"name = 'caf\xe9'")
    with pytest.raises(FileError) as info:
        read_text(tmp_path / "latin1.toml")
    assert (
        str(info.value) == f"{tmp_path / 'latin1.toml'}: not UTF-8 text (byte 11); save it as UTF-8"
    )


# -- writing ------------------------------------------------------------------------------------


def test_atomic_write_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    with atomic_write(path) as f:
        f.write(b"first")
    assert path.read_bytes() == b"first"
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~_umask()
    path.chmod(0o640)
    with atomic_write(path) as f:
        f.write(b"second")
    assert path.read_bytes() == b"second"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_bytes(b"old")

    class BrokenError(Exception):
        pass

    def write_half() -> None:
        with atomic_write(path) as f:
            f.write(b"half")
            raise BrokenError

    with pytest.raises(BrokenError):
        write_half()
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_an_unwritable_folder_is_named(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.svg"
    with pytest.raises(FileError) as info, atomic_write(target):
        pass
    assert str(info.value) == (
        f"{target}: cannot write here: No such file or directory; check the folder"
    )


def test_a_planted_symlink_is_never_followed(tmp_path: Path) -> None:
    """A symlink at the name a fixed temporary would have (``.map.svg.tmp.svg``) or at any
    ``.map.svg.*`` name stays untouched, and so does the file it points to."""
    pytest.importorskip("matplotlib", reason="pictures need the plot extra")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    for name in (".map.svg.tmp.svg", ".map.svg.tmp", ".map.svg.x.tmp"):
        (tmp_path / name).symlink_to(victim)
    figure = plot.chip_map(catalog.world(), ON, chips=["nvidia-h200"], resolution=10)
    plot.save(figure, tmp_path / "map.svg")
    assert victim.read_text(encoding="utf-8") == "precious"
    assert (tmp_path / "map.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_symlink()) == [
        ".map.svg.tmp",
        ".map.svg.tmp.svg",
        ".map.svg.x.tmp",
    ]


def test_a_failed_picture_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("matplotlib", reason="pictures need the plot extra")
    figure = plot.chip_map(catalog.world(), ON, chips=["nvidia-h200"], resolution=10)
    target = tmp_path / "map.png"
    target.write_bytes(b"old picture")

    def fail(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(figure, "savefig", fail)
    with pytest.raises(KeyboardInterrupt):
        plot.save(figure, target)
    assert target.read_bytes() == b"old picture"
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]


def test_dump_world_writes_through_atomic_write(tmp_path: Path) -> None:
    world = catalog.world()
    path = tmp_path / "w.json"
    io.dump_world(world, path)
    assert io.load_world(path) == world
    assert [p.name for p in tmp_path.iterdir()] == ["w.json"]
