"""The run lock: one run at a time per store, a `flock` on the file `<store>.lock`.

The kernel releases a flock when the last descriptor of its open file closes, so a run killed
by any signal frees it, unless processes it forked still hold a copy of the descriptor. So:
- a process forked while a lock is held closes its copy at once (`os.register_at_fork`), so
  workers never hold the lock;
- the holder writes its pid and start time into the lock file; a lock whose recorded holder
  is gone (what it left behind keeps the descriptor) is taken over with a one-line note: a
  fresh lock file, locked, replaces the old one.
Taking the lock, recording the holder and taking over happen under a guard, a flock on
`<store>.lock.guard` held for a moment, so a record is never read half written or stale and
two runs never both take over.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import FactcheckError

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.2
GUARD_SECONDS = 10.0

_HELD: set[int] = set()  # descriptors of the locks this process holds


class LockError(FactcheckError):
    """The run lock is held by a live run, or cannot be opened."""


def _close_held_in_child() -> None:
    """In a forked child: drop the copies of the parent's lock descriptors."""
    for handle in _HELD:
        with contextlib.suppress(OSError):
            os.close(handle)
    _HELD.clear()


os.register_at_fork(after_in_child=_close_held_in_child)


@contextmanager
def run_lock(lock_path: Path, *, wait: float, busy: str) -> Iterator[None]:
    """Hold the lock at `lock_path`; wait up to `wait` seconds for a live holder, then raise
    LockError(`busy`). A lock whose recorded holder is dead is taken over."""
    handle = _acquire(lock_path, wait=wait, busy=busy)
    _HELD.add(handle)
    try:
        yield
    finally:
        if handle in _HELD:  # else this is a forked child, which closed its copy already
            _HELD.discard(handle)
            with contextlib.suppress(OSError):
                os.ftruncate(handle, 0)  # a record left in the file means its run died
            os.close(handle)


def _acquire(lock_path: Path, *, wait: float, busy: str) -> int:
    """A descriptor of the lock file, locked, with this process recorded as the holder."""
    deadline = time.monotonic() + wait
    while True:
        with _guard(lock_path):
            handle = _open(lock_path)
            taken = None
            try:
                if _try_lock(handle):
                    taken, handle = handle, -1
                else:
                    holder = _holder(handle)
                    if holder is not None and not _alive(*holder):
                        taken = _take_over(lock_path, holder[0])
            finally:
                if handle >= 0:
                    os.close(handle)
            if taken is not None:
                _record(taken)
                return taken
        if time.monotonic() >= deadline:
            raise LockError(busy)
        time.sleep(POLL_SECONDS)


@contextmanager
def _guard(lock_path: Path) -> Iterator[None]:
    """Hold `<lock>.guard` for a moment (never in a forked child)."""
    guard_path = lock_path.with_name(lock_path.name + ".guard")
    guard = _open(guard_path)
    try:
        deadline = time.monotonic() + GUARD_SECONDS
        while not _try_lock(guard):
            if time.monotonic() >= deadline:
                raise LockError(f"{guard_path}: held for {GUARD_SECONDS:g} s; try again")
            time.sleep(0.01)
    except BaseException:
        os.close(guard)
        raise
    _HELD.add(guard)
    try:
        yield
    finally:
        if guard in _HELD:  # else this is a forked child, which closed its copy already
            _HELD.discard(guard)
            os.close(guard)


def _open(lock_path: Path) -> int:
    """The lock file, opened for writing the holder into it (or read-only if not allowed)."""
    for flags in (os.O_RDWR | os.O_CREAT, os.O_RDONLY | os.O_CREAT):
        try:
            return os.open(lock_path, flags, 0o644)
        except PermissionError:
            continue
        except OSError as error:
            raise LockError(f"{lock_path}: cannot open the run lock: {error.strerror}") from error
    raise LockError(f"{lock_path}: cannot open the run lock: permission denied")


def _try_lock(handle: int) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def start_time(pid: int) -> str:
    """When process `pid` started (clock ticks since boot, Linux), or "" when unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return ""
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else ""  # field 22 of proc(5), counted after comm


def _record(handle: int) -> None:
    """Write this process's pid and start time into the lock file (best effort)."""
    pid = os.getpid()
    with contextlib.suppress(OSError):
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{pid} {start_time(pid)}\n".encode("ascii"), 0)


def _holder(handle: int) -> tuple[int, str] | None:
    """The pid and start time recorded in the lock file, or None when none is readable."""
    try:
        words = os.pread(handle, 100, 0).decode("ascii").split()
        return (int(words[0]), words[1] if len(words) > 1 else "")
    except (OSError, UnicodeDecodeError, ValueError, IndexError):
        return None


def _alive(pid: int, started: str) -> bool:
    """Whether the process that recorded itself as `pid` started at `started` still runs."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, under another user
    if _zombie(pid):
        return False
    now = start_time(pid)
    return not (started and now and now != started)  # another process took over the pid


def _zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return stat[stat.rfind(")") + 2 :].startswith("Z")


def _take_over(lock_path: Path, pid: int) -> int:
    """Replace the lock file, held only by what dead run `pid` left behind, with a fresh one
    locked by this process (under the guard)."""
    fresh_path = lock_path.with_name(f"{lock_path.name}.{os.getpid()}.tmp")
    fresh = os.open(fresh_path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        fcntl.flock(fresh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.replace(fresh_path, lock_path)
    except OSError as error:
        os.close(fresh)
        with contextlib.suppress(OSError):
            fresh_path.unlink()
        raise LockError(f"{lock_path}: cannot take over the run lock: {error}") from error
    logger.warning(
        "note: %s: the run that held it (pid %d) is gone, but processes it left still hold "
        "the lock file; taking the lock over",
        lock_path,
        pid,
    )
    return fresh
