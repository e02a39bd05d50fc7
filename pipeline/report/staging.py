"""A set of files replaced together: readers see the previous set or the new one, never a mix.

The new files are written into a hidden folder inside the destination (the same filesystem,
so moving them is a rename), then moved over the old ones in one quick pass. A failure while
writing (a full disk, a read-only folder) leaves the previous set as it was; a failure while
moving puts the previous files back. Either way the hidden folder is removed.

A name of the set may be a folder (the pages of a large report). A rename cannot replace a
folder, so the old one is first moved aside into the hidden folder, then the new one moved in.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from pipeline.errors import OutputError

from .files import fsync_folder, new_file, reason, remove_stale

STAGING_PREFIX = ".factcheck-staging-"


class Staging:
    """Where the new files of a set are written before they replace the old ones."""

    def __init__(self, folder: Path, names: Sequence[str]) -> None:
        self.folder = folder
        self.names = tuple(names)
        self.stage = folder / f"{STAGING_PREFIX}{uuid.uuid4().hex}"

    def path(self, name: str) -> Path:
        """Where the new file `name` is written."""
        return self.stage / name

    def open(self, name: str) -> contextlib.AbstractContextManager[TextIO]:
        """The new file `name`, as UTF-8 text."""
        return new_file(self.path(name))


@contextlib.contextmanager
def staged(folder: Path, names: Sequence[str]) -> Iterator[Staging]:
    """Yield a Staging for the files `names` of `folder`. When the block ends without error,
    each file written replaces its namesake and the names not written are removed from
    `folder`; on any error `folder` keeps its previous files. OSError becomes OutputError."""
    staging = Staging(Path(folder), names)
    remove_stale(staging.folder, f"{STAGING_PREFIX}*")  # left by a run that was killed
    try:
        staging.stage.mkdir()
        yield staging
        _commit(staging)
    except OSError as error:
        raise OutputError(
            f"{folder}: cannot write the report: {reason(error)}; the previous report is "
            "left as it was"
        ) from error
    finally:
        shutil.rmtree(staging.stage, ignore_errors=True)
    fsync_folder(staging.folder)


def _commit(staging: Staging) -> None:
    """Move the new files in place, keeping each old one (a hard link) until all moved."""
    done: list[tuple[Path, Path | None, bool]] = []  # (file, its previous version, existed)
    try:
        for name in staging.names:
            new, target = staging.path(name), staging.folder / name
            previous = staging.stage / f"{name}.previous"
            existed = os.path.lexists(target)
            if _is_folder(new):
                _move_folder(new, target, previous, done)
                continue
            if new.exists():
                kept = existed and _keep(target, previous)
                os.replace(new, target)
            elif existed:  # the new set has no such file: the old one belongs to another set
                os.replace(target, previous)
                kept = True
            else:
                continue
            done.append((target, previous if kept else None, existed))
    except OSError:
        _roll_back(done)
        raise


def _is_folder(path: Path) -> bool:
    """True for a folder itself, not a link to one."""
    return path.is_dir() and not path.is_symlink()


def _move_folder(
    new: Path, target: Path, previous: Path, done: list[tuple[Path, Path | None, bool]]
) -> None:
    """Move the folder `new` to `target`, the old `target` (if any) aside to `previous` first."""
    if os.path.lexists(target):
        os.replace(target, previous)
        done.append((target, previous, True))
        os.replace(new, target)
    else:
        os.replace(new, target)
        done.append((target, None, False))


def _keep(target: Path, previous: Path) -> bool:
    """Hard-link `target` as `previous`; False where the filesystem has no hard links."""
    try:
        os.link(target, previous)
    except OSError as error:
        if error.errno in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK):
            return False  # the file is still replaced atomically, only not put back on failure
        raise
    return True


def _roll_back(done: list[tuple[Path, Path | None, bool]]) -> None:
    """Put the previous files back, and remove new files that had none."""
    for target, previous, existed in reversed(done):
        with contextlib.suppress(OSError):
            if _is_folder(target) and (previous is not None or not existed):
                shutil.rmtree(target)  # a new folder: a rename cannot replace it
            if previous is not None:
                os.replace(previous, target)
            elif not existed:
                target.unlink(missing_ok=True)
