"""Worker processes that die with the run that started them, one thread of work each.

A worker whose parent is killed (SIGKILL, SIGTERM) would otherwise wait for work forever,
holding memory and whatever it inherited. `start_worker` is the pool's initializer:
- on Linux, the kernel kills the worker when its parent dies (prctl PR_SET_PDEATHSIG);
- everywhere, a watchdog thread ends the worker when its parent changes (`os.getppid`);
- its numerical libraries (the BLAS under NumPy, which the sentence encoder uses) get one
  thread (`one_thread`): there is a worker per core already, and a BLAS pool of a thread
  per core in each worker fights the others for the cores (OpenBLAS threads spin while
  they wait).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_SECONDS = 0.5


def start_worker(parent: int) -> None:
    """Initialize a worker process forked by process `parent`: it dies with its parent
    and computes on one thread."""
    die_with_parent(parent)
    one_thread()


def one_thread() -> None:
    """Let the numerical libraries loaded in this process (BLAS, OpenMP) use one thread."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)


def die_with_parent(parent: int) -> None:
    """Make this process end when process `parent` (the one that forked it) ends."""
    _ask_the_kernel()
    watch_parent(parent)


def watch_parent(parent: int, *, every: float = WATCH_SECONDS) -> None:
    """End this process as soon as its parent is no longer `parent`, checked `every`
    seconds by a daemon thread (and once now: the parent may have died already)."""
    if os.getppid() != parent:
        os._exit(1)
    thread = threading.Thread(
        target=_watch, args=(parent, every), name="factcheck-watch-parent", daemon=True
    )
    thread.start()


def _watch(parent: int, every: float) -> None:
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def _ask_the_kernel() -> None:
    """Linux: have the kernel send SIGKILL to this process when its parent dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the watchdog still ends the worker
