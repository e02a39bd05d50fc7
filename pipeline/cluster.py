"""Scale-out on Dask: articles are read (parsed and extracted) on a cluster's workers, while
checking, the store and the reports stay on the client.

- Articles go to the workers in partitions (`PARTITION` articles each), a bounded number in
  flight, and come back in order.
- Each worker loads the model and the reference once, in a worker plugin; the reference's
  files travel with the plugin, so workers need factcheck and the spaCy model installed,
  nothing else.
- A partition's claims come back as a pandas frame (one row per claim), with the parses
  made for the store.

Without a scheduler address, a LocalCluster of worker processes on 127.0.0.1 is started.
"""

from __future__ import annotations

import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import asdict, fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.errors import UsageError
from pipeline.models import Claim
from pipeline.workers import one_thread

if TYPE_CHECKING:
    from pipeline.runner import Checker, _Job, _Read

PLUGIN = "factcheck-reader"
PARTITION = 8  # articles per task: large enough to amortise scheduling, small enough to balance
REFERENCE_FILES = ("entities.csv", "attributes.csv", "facts.csv", "checked_claims.csv")
CLAIM_COLUMNS = [f.name for f in fields(Claim)]

try:  # distributed is a dependency; the import is kept here so the local engine never needs it
    from distributed import WorkerPlugin
except ImportError:  # pragma: no cover
    WorkerPlugin = object  # type: ignore[assignment,misc]


class ReaderPlugin(WorkerPlugin):  # type: ignore[misc,valid-type]
    """Loads the reference and the model once on each worker."""

    name = PLUGIN

    def __init__(
        self, files: dict[str, bytes], *, model: str | None, speedups: frozenset[str]
    ) -> None:
        self.files = files
        self.model = model
        self.speedups = speedups
        self.checker: Checker | None = None

    def setup(self, worker: object) -> None:
        """Write the reference into a folder of the worker's and load it with the model."""
        from pipeline.reference import load_reference
        from pipeline.runner import Checker

        folder = Path(tempfile.mkdtemp(prefix="factcheck-reference-"))
        for name, data in self.files.items():
            (folder / name).write_bytes(data)
        self.checker = Checker(load_reference(folder), model=self.model, speedups=self.speedups)
        one_thread()  # a worker process per core: see pipeline/workers.py


def reference_files(folder: Path) -> dict[str, bytes]:
    """The reference's files, to send to the workers."""
    return {
        name: (folder / name).read_bytes() for name in REFERENCE_FILES if (folder / name).exists()
    }


def read_partition(jobs: list[_Job]) -> tuple[pd.DataFrame, dict[int, bytes]]:
    """On a worker: read each article of a partition; its claims as one frame (column
    `job` says whose), and the parses made now, by job."""
    from distributed import get_worker

    from pipeline.runner import _read

    checker = get_worker().plugins[PLUGIN].checker
    rows: list[dict[str, object]] = []
    parses: dict[int, bytes] = {}
    for index, job in enumerate(jobs):
        read = _read(checker, job)
        rows += [{**asdict(claim), "job": index} for claim in read.claims]
        if read.parse is not None:
            parses[index] = read.parse
    return pd.DataFrame(rows, columns=[*CLAIM_COLUMNS, "job"]), parses


def claims_of(frame: pd.DataFrame, index: int) -> list[Claim]:
    """The claims of one job of a partition, back from its frame."""
    claims = []
    for row in frame[frame["job"] == index].to_dict("records"):
        record = {
            key: value.item() if hasattr(value, "item") else value for key, value in row.items()
        }
        record.pop("job")
        for key in ("as_of", "period_start"):
            value = record[key]
            record[key] = value if isinstance(value, date) or value is None else None
        claims.append(Claim(**record))
    return claims


class DaskReaders:
    """Reads articles on a Dask cluster, in order, a bounded number of partitions at once."""

    def __init__(
        self,
        checker: Checker,
        *,
        reference_dir: Path,
        scheduler: str | None,
        workers: int,
        model: str | None,
    ) -> None:
        self.checker = checker
        self.reference_dir = reference_dir
        self.scheduler = scheduler
        self.workers = max(1, workers)
        self.model = model
        self.client = None
        self.cluster = None
        self.partition: list[_Job] = []
        self.pending: deque[tuple[list[_Job], object]] = deque()

    def __enter__(self) -> DaskReaders:
        from distributed import Client, LocalCluster

        try:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout="30s")
            else:
                self.cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                )
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as error:
            raise UsageError(
                f"cannot reach the Dask scheduler {self.scheduler}: {error}"
            ) from error
        plugin = ReaderPlugin(
            reference_files(self.reference_dir), model=self.model, speedups=self.checker.speedups
        )
        self.client.register_plugin(plugin, name=PLUGIN)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def _in_flight(self) -> int:
        return 2 * max(
            self.workers, len(self.client.scheduler_info()["workers"]) if self.client else 1
        )

    def submit(self, job: _Job) -> Iterator[tuple[_Job, Callable[[], _Read]]]:
        """Queue `job`; yield the jobs whose reading is due, in order."""
        self.partition.append(job)
        if len(self.partition) >= PARTITION:
            self._send()
        while len(self.pending) > self._in_flight():
            yield from self._receive()

    def drain(self) -> Iterator[tuple[_Job, Callable[[], _Read]]]:
        """The jobs still being read, in order."""
        if self.partition:
            self._send()
        while self.pending:
            yield from self._receive()

    def _send(self) -> None:
        assert self.client is not None
        jobs, self.partition = self.partition, []
        self.pending.append((jobs, self.client.submit(read_partition, jobs, pure=False)))

    def _receive(self) -> Iterator[tuple[_Job, Callable[[], _Read]]]:
        from pipeline.runner import _Read

        jobs, future = self.pending.popleft()
        try:
            frame, parses = future.result()  # type: ignore[attr-defined]
        except Exception as error:  # the whole partition failed: report each article
            for job in jobs:
                yield job, _raiser(error)
            return
        for index, job in enumerate(jobs):
            read = _Read(claims_of(frame, index), parses.get(index))
            yield job, lambda read=read: read


def _raiser(error: Exception) -> Callable[[], _Read]:
    def fail() -> _Read:
        raise error

    return fail
