"""The benchmark's corpus generator and reference growth (the timing itself is a benchmark,
run by hand: python -m pipeline.bench)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipeline.bench import grow_reference, main, make_corpus
from pipeline.reference import load_reference

ROOT = Path(__file__).resolve().parent.parent


def test_the_corpus_is_deterministic(tmp_path):
    reference = load_reference(ROOT / "claims")
    first = make_corpus(reference, tmp_path / "a", articles=5, seed=3)
    second = make_corpus(reference, tmp_path / "b", articles=5, seed=3)
    assert (first.words, first.claims) == (second.words, second.claims)
    assert first.claims > 0 and first.words > 5 * 300
    for path in (tmp_path / "a").iterdir():
        assert path.read_text() == (tmp_path / "b" / path.name).read_text()


def test_the_reference_grows_to_the_size_asked_and_stays_valid(tmp_path):
    grown = grow_reference(ROOT / "claims", tmp_path / "big", facts=2_000)
    assert len(load_reference(grown).facts) == 2_000


def test_the_benchmark_prints_its_figures(tmp_path, capsys):
    assert main(["--articles", "3"]) == 0
    out = capsys.readouterr().out
    for figure in ("words/s", "speed-up over the baseline", "seconds per stage", "peak RSS"):
        assert figure in out


def test_the_prefilter_loses_nothing_on_the_benchmark_corpus(tmp_path):
    from datetime import date

    from pipeline.evaluate import read_findings
    from pipeline.runner import run

    corpus = make_corpus(load_reference(ROOT / "claims"), tmp_path / "corpus", articles=12, seed=11)
    fast = run(
        [corpus.folder],
        reference_dir=ROOT / "claims",
        out_dir=tmp_path / "fast",
        default_date=date(2026, 11, 22),
    )
    run(
        [corpus.folder],
        reference_dir=ROOT / "claims",
        out_dir=tmp_path / "full",
        default_date=date(2026, 11, 22),
        prefilter=False,
    )
    assert sum(fast.verdicts.values()) >= corpus.claims * 0.8
    assert read_findings(tmp_path / "fast" / "findings.csv") == read_findings(
        tmp_path / "full" / "findings.csv"
    )


def test_the_benchmark_measures_real_articles_too(tmp_path, capsys):
    folder = tmp_path / "real"
    folder.mkdir()
    (folder / "one.txt").write_text(
        "Published: June 1, 2024\n\nThe Northern Pact has four members. It met in Strel.\n",
        encoding="utf-8",
    )
    (folder / "two.txt").write_text(
        "Published: June 2, 2024\n\nRuritania joined the Northern Pact in 1990.\n",
        encoding="utf-8",
    )
    mini = ROOT / "tests" / "data" / "mini_reference"
    assert main(["--real", str(folder), "--reference", str(mini)]) == 0
    out = capsys.readouterr().out
    assert "2 real articles" in out
    for figure in ("tokenizer alone", "speed-up over the baseline", "seconds per stage"):
        assert figure in out


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_the_memory_sampler_follows_this_process_and_its_largest_child():
    import subprocess
    import time

    from pipeline.bench import MemorySampler

    with MemorySampler(every=0.05) as memory:
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1)"])
        time.sleep(0.6)
        child.wait()
    assert len(memory.samples) >= 5
    assert all(own > 10 for own, _ in memory.samples)
    assert max(largest for _, largest in memory.samples) > 1
    assert memory.summary().startswith("this process ")
