"""How a run chooses its worker processes, and keeps spaCy's vocabulary bounded."""

from __future__ import annotations

import os
import random
import string
from datetime import date
from pathlib import Path

import pytest

from pipeline import runner
from pipeline.models import Article
from pipeline.reference import load_reference
from pipeline.runner import (
    MIN_ARTICLES_PER_WORKER,
    SPEEDUPS,
    WORKER_MEMORY,
    Checker,
    auto_workers,
)

MINI = Path(__file__).parent / "data" / "mini_reference"


@pytest.mark.parametrize(
    ("articles", "cores", "memory", "expected"),
    [
        (1, 8, 64, 1),  # one article: no workers
        (MIN_ARTICLES_PER_WORKER * 2 - 1, 8, 64, 1),  # too few for two
        (MIN_ARTICLES_PER_WORKER * 2, 8, 64, 2),
        (10_000, 8, 64, 8),  # one per core
        (10_000, 8, 3, 2),  # as many as the free memory holds beside the parent
        (10_000, 8, 1, 1),
        (10_000, 1, 64, 1),
    ],
)
def test_workers_are_one_per_core_as_the_batch_and_memory_allow(
    monkeypatch, articles, cores, memory, expected
):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    monkeypatch.setattr(runner, "_available_memory", lambda: memory * WORKER_MEMORY)
    assert auto_workers(articles) == expected


def test_the_free_memory_is_read_from_the_system():
    assert runner._available_memory() > WORKER_MEMORY // 4


def _job(number: int, words: list[str]) -> runner._Job:
    text = f"The Northern Pact has 4 members. Delegates said {' '.join(words)}."
    article = Article(id=f"a{number}", text=text, published=date(2024, 6, 1), date_source="text")
    return runner._Job(article, "new", "key", "text", "tools", None, date(2024, 6, 1))


@pytest.mark.parametrize("kept", [True, False])
def test_spacys_vocabulary_grows_to_its_bound_and_no_further(monkeypatch, kept):
    """Words of the first articles are kept (later articles find them); past the bound,
    each article's new words are freed after it, so memory stays flat."""
    monkeypatch.setattr(runner, "KEPT_STRINGS", 3_000)
    speedups = SPEEDUPS if kept else SPEEDUPS - {"vocabulary"}
    checker = Checker(load_reference(MINI), speedups=speedups)
    base = len(checker.nlp.vocab.strings)
    rng = random.Random(5)
    sizes = []
    for number in range(60):
        words = ["".join(rng.choices(string.ascii_lowercase, k=9)) for _ in range(150)]
        read = runner._read(checker, _job(number, words))
        assert [claim.value for claim in read.claims] == ["4"]
        sizes.append(len(checker.nlp.vocab.strings) - base)
    print(sizes)
    if kept:
        assert 3_000 <= max(sizes) <= 3_000 + 400  # the bound, give or take one article
        assert sizes[-1] == sizes[-20]  # flat once it is reached
    else:
        assert max(sizes) < 100


def test_stored_parses_are_keyed_by_how_the_text_was_parsed():
    """The recognizer runs first, which can change its entities (extract/model.py): parses
    stored by a run that ran it last are not reused."""
    checker = Checker(load_reference(MINI))
    assert checker.model_name.endswith("+ner-first")


def _blas_threads() -> int:
    from threadpoolctl import threadpool_info

    return max((pool["num_threads"] for pool in threadpool_info()), default=1)


def test_a_worker_computes_on_one_thread():
    """A worker per core already fills the machine: each worker's BLAS gets one thread."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import numpy  # noqa: F401  (loads the BLAS)

    from pipeline.workers import start_worker

    if _blas_threads() == 1:
        pytest.skip("one core: the BLAS has one thread anyway")
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=start_worker, initargs=(os.getpid(),)
    ) as pool:
        assert pool.submit(_blas_threads).result() == 1
