"""Output files are written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.present.files import write_outputs


def _boom(path: Path) -> None:
    path.write_text("half")
    raise OSError("disk full")


def test_failure_leaves_an_existing_folder_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text("old")
    with pytest.raises(OSError, match="disk full"):
        write_outputs(out, {"summary.json": "new", "fan.png": _boom})
    assert sorted(p.name for p in out.iterdir()) == ["summary.json"]
    assert (out / "summary.json").read_text() == "old"


def test_failure_removes_a_folder_it_created(tmp_path: Path) -> None:
    out = tmp_path / "new" / "out"
    with pytest.raises(OSError):
        write_outputs(out, {"a.txt": "x", "b.png": _boom})
    assert not out.exists()


def test_success_writes_every_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    written = write_outputs(out, {"a.txt": "x", "b.bin": b"\x00\x01", "c.txt": _write_c})
    assert [p.name for p in written] == ["a.txt", "b.bin", "c.txt"]
    assert (out / "c.txt").read_text() == "c"
    assert not list(out.glob(".tmp-*"))


def _write_c(path: Path) -> None:
    path.write_text("c")
