"""Output files are written whole or not at all, and an output folder holds one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.errors import OutputFolderError
from simulator.present.files import MARKER, check_output_folder, write_file, write_outputs


def _boom(path: Path) -> None:
    path.write_text("half")
    raise OSError("disk full")


def test_failure_leaves_an_existing_folder_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs(out, {"summary.json": "old"})
    with pytest.raises(OSError, match="disk full"):
        write_outputs(out, {"summary.json": "new", "fan.png": _boom})
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "summary.json"])
    assert (out / "summary.json").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


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
    assert not list(tmp_path.glob(".*"))


def test_a_new_run_replaces_the_whole_folder(tmp_path: Path) -> None:
    """Charts of an earlier run in another format do not stay beside the new ones."""
    out = tmp_path / "out"
    write_outputs(out, {"summary.json": "1", "fan.png": b"png"})
    written = write_outputs(out, {"summary.json": "2", "fan.svg": "<svg/>"})
    assert written == [out / "summary.json", out / "fan.svg"]
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "fan.svg", "summary.json"])
    assert (out / "summary.json").read_text() == "2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_folder_of_other_files_is_refused_and_left_alone(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    with pytest.raises(OutputFolderError) as info:
        write_outputs(mine, {"summary.json": "x"})
    assert str(info.value).startswith(f"{mine}: holds files this tool did not write; ")
    assert len(str(info.value).splitlines()) == 1
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_an_empty_folder_or_a_missing_one_may_be_written(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    check_output_folder(empty)
    check_output_folder(tmp_path / "missing")
    write_outputs(empty, {"a.txt": "x"})
    assert (empty / "a.txt").read_text() == "x"


def test_a_file_is_not_an_output_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    with pytest.raises(OutputFolderError, match="is not a folder"):
        write_outputs(blocker, {"a.txt": "x"})
    assert blocker.read_text() == "x"


def test_one_file_is_written_whole_beside_others(tmp_path: Path) -> None:
    (tmp_path / "other.txt").write_text("keep")
    seen: list[str] = []

    def chart(path: Path) -> None:
        seen.append(path.suffix)
        path.write_text("drawn")

    write_file(tmp_path / "pit.svg", chart)
    assert seen == [".svg"]  # a chart writer sees the format it must write
    with pytest.raises(OSError, match="disk full"):
        write_file(tmp_path / "pit.svg", _boom)
    assert (tmp_path / "pit.svg").read_text() == "drawn"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.txt", "pit.svg"]


def _write_c(path: Path) -> None:
    path.write_text("c")
