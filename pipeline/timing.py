"""Seconds spent per stage of a run, for the benchmark and the run summary."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

STAGES = ("ingest", "prefilter", "parse", "extract", "check", "store", "report")


class Timer:
    """Accumulates wall-clock seconds per named stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Count the time spent inside the block toward `name`."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - start

    def each(self, name: str, items: Iterable[T]) -> Iterator[T]:
        """Yield from `items`, counting the time spent producing each one toward `name`."""
        iterator = iter(items)
        while True:
            start = time.perf_counter()
            try:
                item = next(iterator)
            except StopIteration:
                self.seconds[name] += time.perf_counter() - start
                return
            self.seconds[name] += time.perf_counter() - start
            yield item

    def total(self) -> float:
        """All counted seconds."""
        return sum(self.seconds.values())


class NoTimer(Timer):
    """A timer that counts nothing (the default)."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        yield

    def each(self, name: str, items: Iterable[T]) -> Iterator[T]:
        yield from items
