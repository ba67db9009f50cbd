"""Output files and folders: checked before the work, written whole or not at all, and nothing
the tool did not write is ever deleted."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from stationplan.errors import ArgumentError
from stationplan.report.output import (
    MANIFEST_NAME,
    check_output_folder,
    output_file,
    output_folder,
    write_text_atomic,
)


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_new_folder_gets_files_and_manifest(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "out"
    with output_folder(out) as staging:
        _write(staging, {"plan.json": "{}", "sub/x.csv": "1"})
    assert _tree(out).keys() == {"plan.json", "sub/x.csv", MANIFEST_NAME}
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["tool"] == "stationplan" and manifest["files"] == ["plan.json", "sub/x.csv"]
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(
        ["a", "b", "out", "plan.json", "sub", "x.csv", MANIFEST_NAME]
    )


def test_foreign_folder_is_refused_and_untouched(tmp_path: Path) -> None:
    d = tmp_path / "d"
    _write(d, {"notes.txt": "x", "sub/keep.txt": "y"})
    before = _tree(d)
    with pytest.raises(ArgumentError, match="holds no stationplan output"), output_folder(d):
        raise AssertionError("the work must not start")  # pragma: no cover
    assert _tree(d) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]


def test_force_writes_into_a_foreign_folder_and_deletes_nothing(tmp_path: Path) -> None:
    d = tmp_path / "d"
    _write(d, {"notes.txt": "x", "sub/keep.txt": "y", "plan.json": "old"})
    with output_folder(d, force=True) as staging:
        _write(staging, {"plan.json": "new", "report.html": "<html>"})
    tree = _tree(d)
    assert tree["notes.txt"] == "x" and tree["sub/keep.txt"] == "y"
    assert tree["plan.json"] == "new" and tree["report.html"] == "<html>"
    assert not [p for p in d.iterdir() if p.name.endswith(".tmp")]


def test_previous_output_is_replaced_and_user_files_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with output_folder(out) as staging:
        _write(staging, {"plan.json": "1", "ISS.oem": "old station"})
    with output_folder(out) as staging:  # only our files: swapped as a whole
        _write(staging, {"plan.json": "2", "ISS.oem": "x"})
    assert _tree(out)["plan.json"] == "2"
    (out / "mine.txt").write_text("keep", encoding="utf-8")
    assert check_output_folder(out).mode == "merge"
    with output_folder(out) as staging:  # a station less: its old file goes, mine stays
        _write(staging, {"plan.json": "3"})
    assert set(_tree(out)) == {"plan.json", "mine.txt", MANIFEST_NAME}
    assert _tree(out)["plan.json"] == "3"


def test_failure_leaves_old_output_and_no_staging(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with output_folder(out) as staging:
        _write(staging, {"plan.json": "1"})
    with pytest.raises(KeyboardInterrupt), output_folder(out) as staging:
        _write(staging, {"plan.json": "half"})
        raise KeyboardInterrupt
    assert _tree(out)["plan.json"] == "1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_forged_manifest_cannot_name_files_outside(tmp_path: Path) -> None:
    d = tmp_path / "d"
    _write(d, {"notes.txt": "x"})
    (d / MANIFEST_NAME).write_text(
        json.dumps({"tool": "stationplan", "files": ["../victim.txt", "notes.txt"]}),
        encoding="utf-8",
    )
    with pytest.raises(ArgumentError, match="holds no stationplan output"):
        check_output_folder(d)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("", "an empty path"),
        ("   ", "an empty path"),
        ("/proc/stationplan-test/out", "cannot write in /proc"),
    ],
)
def test_bad_folder_destinations(tmp_path: Path, path: str, message: str) -> None:
    with pytest.raises(ArgumentError, match=message), output_folder(path):
        raise AssertionError("the work must not start")  # pragma: no cover


def test_folder_destination_that_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "afile"
    f.write_text("mine", encoding="utf-8")
    with pytest.raises(ArgumentError, match="is not a folder"), output_folder(f):
        raise AssertionError("the work must not start")  # pragma: no cover
    with pytest.raises(ArgumentError, match="is a file"), output_folder(f / "out"):
        raise AssertionError("the work must not start")  # pragma: no cover
    assert f.read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("", "an empty path"),
        ("/proc/stationplan-test/y.csv", "cannot create the folder /proc/stationplan-test"),
    ],
)
def test_bad_file_destinations(path: str, message: str) -> None:
    with pytest.raises(ArgumentError, match=message), output_file(path):
        raise AssertionError("the work must not start")  # pragma: no cover


def test_file_destination_that_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ArgumentError, match="is a folder"), output_file(tmp_path):
        raise AssertionError("the work must not start")  # pragma: no cover


def test_file_mode_follows_umask_and_nothing_left_on_failure(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "new" / "x.csv"
        write_text_atomic(target, "a,b\n")
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        with pytest.raises(RuntimeError), output_file(tmp_path / "other" / "y.csv") as staged:
            staged.write_text("half")
            raise RuntimeError("boom")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["new"]
        assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["x.csv"]
    finally:
        os.umask(old)
