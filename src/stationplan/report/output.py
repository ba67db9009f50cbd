"""Write outputs so that nothing is lost and nothing half-written is left behind.

* A destination is checked *before* the work: an empty name, a file where a folder is expected
  (or the reverse), a place that cannot be written (``/proc``, a read-only disk) is a bad-input
  error at once, not an internal error after minutes of planning.
* Everything is written to a staging place first (a hidden temporary folder or file beside the
  destination) and moved into place by renames only when the work succeeded; on any failure,
  Ctrl-C included, the staging place is removed and the destination is left as it was.
* An output folder records what stationplan wrote in it (:data:`MANIFEST_NAME`). A folder is
  replaced only when it is new, empty, or holds a previous stationplan output; files a user
  added to such a folder are kept. Any other non-empty folder is refused unless ``force``, and
  even then only the files of this run are written into it: nothing the tool did not write is
  ever deleted.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from stationplan import __version__
from stationplan.errors import REQUEST, ArgumentError, Problem

MANIFEST_NAME = ".stationplan-output.json"
"""The file in an output folder that lists what stationplan wrote there."""


Mode = Literal["new", "swap", "merge"]


def _problem(label: str, message: str) -> ArgumentError:
    return ArgumentError(Problem(REQUEST, message, field=label))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _as_path(value: str | Path, label: str, what: str) -> Path:
    text = str(value) if isinstance(value, Path) else value
    if not text.strip():
        raise _problem(label, f"an empty path; expected {what}")
    if "\x00" in text:
        raise _problem(label, f"the path contains a NUL byte; expected {what}")
    return Path(text).expanduser()


def _nearest_existing(path: Path) -> Path:
    """``path`` or its closest ancestor that exists."""
    p = path.absolute()
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def _make_parents(folder: Path, label: str) -> list[Path]:
    """Create ``folder`` and its missing parents; return the folders created, deepest last."""
    missing = []
    p = folder.absolute()
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    if p.exists() and not p.is_dir():
        raise _problem(label, f"{p} is a file, so no folder can be made under it")
    created: list[Path] = []
    try:
        for d in reversed(missing):
            d.mkdir()
            created.append(d)
    except OSError as exc:
        _remove_folders(created)
        raise _problem(label, f"cannot create the folder {exc.filename}: {exc.strerror}") from None
    return created


def _remove_folders(created: list[Path]) -> None:
    for d in reversed(created):
        with suppress(OSError):
            d.rmdir()


# --------------------------------------------------------------------------- single files


@dataclass
class StagedFile:
    """A file being written: text goes to a hidden temporary file that replaces ``path``."""

    path: Path
    tmp: Path
    written: bool = False

    def write_text(self, text: str) -> None:
        """Write the whole content (UTF-8, ``\\n`` line ends) to the staging file."""
        with open(self.tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        self.written = True


@contextmanager
def output_file(path: str | Path, *, label: str = "output") -> Iterator[StagedFile]:
    """Check that ``path`` can be written, yield a :class:`StagedFile`, and on success move its
    content to ``path`` (mode as the umask allows, like any new file).

    Errors about the destination are raised on entry, before the caller's work. An existing
    regular file at ``path`` is replaced (the user named it); a folder there is refused. On any
    exception inside the block nothing is written and nothing is left behind.
    """
    target = _as_path(path, label, "a file name")
    if target.is_dir():
        raise _problem(label, f"{target} is a folder; expected a file name")
    if target.exists() and not target.is_file():
        raise _problem(label, f"{target} exists and is not a regular file")
    created = _make_parents(target.parent, label)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        _remove_folders(created)
        raise _problem(label, f"cannot write in {target.parent}: {exc.strerror}") from None
    os.fchmod(fd, 0o666 & ~_umask())
    os.close(fd)
    staged = StagedFile(target, Path(tmp_name))
    try:
        yield staged
        if staged.written:
            os.replace(staged.tmp, target)
        else:
            os.unlink(staged.tmp)
            _remove_folders(created)
    except BaseException:
        with suppress(OSError):
            os.unlink(staged.tmp)
        _remove_folders(created)
        raise


def write_text_atomic(path: str | Path, text: str, *, label: str = "output") -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    with output_file(path, label=label) as staged:
        staged.write_text(text)


# --------------------------------------------------------------------------- output folders


@dataclass
class FolderPlan:
    """How an output folder will be written (decided before the work)."""

    target: Path
    mode: Mode
    previous: list[str] = field(default_factory=list)
    """Files the previous stationplan output listed (relative paths)."""


def _read_manifest(folder: Path) -> list[str] | None:
    path = folder / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if data.get("tool") != "stationplan" or not isinstance(files, list):
        return None
    safe = []
    for name in files:
        if not isinstance(name, str) or not name or name.startswith(("/", "..")):
            return None
        if ".." in Path(name).parts:
            return None
        safe.append(name)
    return safe


def _entries(folder: Path) -> set[str]:
    """Relative paths of every file and folder below ``folder``."""
    out: set[str] = set()
    for root, dirs, files in os.walk(folder):
        rel = Path(root).relative_to(folder)
        out.update(str(rel / d) for d in dirs)
        out.update(str(rel / f) for f in files)
    return {p.removeprefix("./") for p in out}


def check_output_folder(path: str | Path, *, force: bool = False, label: str = "out") -> FolderPlan:
    """Decide how the output folder ``path`` can be written, or raise ArgumentError saying why
    it cannot (before any work is done)."""
    target = _as_path(path, label, "a folder name")
    if target.is_symlink() and target.is_dir():
        target = target.resolve()
    if target.exists() and not target.is_dir():
        raise _problem(label, f"{target} exists and is not a folder; expected a folder name")
    if not target.exists():
        base = _nearest_existing(target.parent)
        if not base.is_dir():
            raise _problem(label, f"{base} is a file, so the folder {target} cannot be made")
        return FolderPlan(target, "new")
    try:
        entries = _entries(target)
    except OSError as exc:
        raise _problem(label, f"cannot read the folder {target}: {exc.strerror}") from None
    inside_cwd = Path.cwd().resolve().is_relative_to(target.resolve())
    if not entries:
        return FolderPlan(target, "merge" if inside_cwd else "swap")
    previous = _read_manifest(target)
    if previous is None:
        if not force:
            raise _problem(
                label,
                f"{target} is not empty and holds no stationplan output (no {MANIFEST_NAME}); "
                "choose a new or empty folder, or force writing into it (--force: only this "
                "run's files are written, nothing else in it is deleted)",
            )
        return FolderPlan(target, "merge")
    ours = {MANIFEST_NAME, *previous}
    ours |= {str(p) for name in previous for p in Path(name).parents if str(p) != "."}
    foreign = entries - ours
    mode: Mode = "merge" if foreign or inside_cwd else "swap"
    return FolderPlan(target, mode, previous)


def _write_manifest(folder: Path, files: list[str]) -> None:
    manifest = {
        "tool": "stationplan",
        "version": __version__,
        "written_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "files": files,
    }
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def _files_below(folder: Path) -> list[str]:
    return sorted(
        str(Path(root, f).relative_to(folder))
        for root, _dirs, files in os.walk(folder)
        for f in files
    )


@contextmanager
def output_folder(path: str | Path, *, force: bool = False, label: str = "out") -> Iterator[Path]:
    """Check the output folder ``path`` (see :func:`check_output_folder`), yield an empty
    staging folder to write into, and on success put its files in place.

    ``new`` and ``swap`` (a folder that holds only a previous stationplan output) replace the
    folder in one rename; ``merge`` (a folder with other files, or ``force``) moves this run's
    files in one by one and removes only files the previous stationplan output listed.
    """
    plan = check_output_folder(path, force=force, label=label)
    target = plan.target
    created: list[Path] = []
    stage_in = target if plan.mode == "merge" else _nearest_existing(target.parent)
    try:
        staging = Path(
            tempfile.mkdtemp(prefix=f".{target.name or 'out'}.", suffix=".tmp", dir=stage_in)
        )
    except OSError as exc:
        raise _problem(label, f"cannot write in {stage_in}: {exc.strerror}") from None
    try:
        yield staging
        files = _files_below(staging)
        _write_manifest(staging, files)
        if plan.mode == "merge":
            _merge(staging, target, files, plan.previous)
        else:
            created = _make_parents(target.parent, label)
            _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        _remove_folders(created)
        raise


def _swap(staging: Path, target: Path) -> None:
    os.chmod(staging, 0o777 & ~_umask())
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.rmdir(old)
        os.replace(target, old)
    try:
        os.replace(staging, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _merge(staging: Path, target: Path, files: list[str], previous: list[str]) -> None:
    for name in files:
        dest = target / name
        if dest.is_dir() or not _nearest_existing(dest.parent).is_dir():
            raise ArgumentError(
                Problem(
                    REQUEST,
                    f"{dest} is in the way: this run writes a file of that name",
                    field="out",
                )
            )
    for name in files:
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, dest)
    for name in set(previous) - set(files):
        with suppress(OSError):
            (target / name).unlink()
    os.replace(staging / MANIFEST_NAME, target / MANIFEST_NAME)
    shutil.rmtree(staging, ignore_errors=True)
