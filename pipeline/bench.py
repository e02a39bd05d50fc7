"""The benchmark: `python -m pipeline.bench [--articles N] [--workers W] [--facts F]`.

It writes a deterministic corpus of N news-length articles (filler prose, and claims built
from the reference: right, outdated and wrong), then, in one process, measures

1. the baseline: spaCy's full pipeline over every article's whole text (`nlp.pipe`), which
   is what a design that parses everything costs;
2. `factcheck run` end to end over the same corpus (a fresh store),

and prints words per second for each, their ratio, seconds per stage and peak RSS. With
`--facts F` the reference is grown with synthetic entities to F facts, to measure the check
stage against a large reference.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pipeline.models import Fact
from pipeline.reference import Reference, load_reference
from pipeline.runner import SPEEDUPS
from pipeline.timing import STAGES, Timer

ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES = 5_000_000  # factcheck run's default --max-bytes
FILLER = (
    "Officials met behind closed doors to discuss the agenda for the coming months.",
    "Analysts said the talks had been constructive but that hard choices remained.",
    "The mood in the capital was cautious as delegations arrived for the meeting.",
    "Diplomats spent much of the afternoon on the wording of the final statement.",
    "Several ministers spoke to reporters outside the conference hall before the session.",
    "The discussions covered trade, energy security and the protection of shipping lanes.",
    "Critics argued that the process had moved too slowly and lacked transparency.",
    "Supporters replied that patient negotiation had always been the only realistic path.",
    "Observers noted that the tone of the debate had changed since last spring.",
    "A spokesperson declined to comment on the details of the private conversations.",
    "The weather delayed some flights, and a few delegates joined by video link.",
    "Business leaders urged governments to agree on common rules for investment.",
    "Local residents gathered near the venue, where security was tight all day.",
    "The host government promised to publish a summary of the talks later this week.",
    "Some participants said they expected a follow-up meeting before the end of the year.",
    "Experts cautioned that agreements on paper often take years to show results.",
    "The negotiations were described as frank, detailed and at times difficult.",
    "Journalists were given a short briefing after the sessions had ended.",
    "Aides worked late into the night to prepare the documents for signature.",
    "Questions about funding were left for a later round of discussions.",
    "The opposition called for a parliamentary debate on the outcome of the meeting.",
    "Academics at several universities have studied the issue for a long time.",
    "Public opinion remains divided, according to recent surveys in the region.",
    "Farmers and fishing communities are watching the negotiations closely.",
    "Environmental groups asked for stronger commitments on emissions and pollution.",
)


@dataclass(frozen=True, slots=True)
class Corpus:
    """What the generator wrote."""

    folder: Path
    articles: int
    words: int
    claims: int


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _name(reference: Reference, entity: str) -> str:
    known = reference.entities[entity]
    short = [a for a in known.aliases if a.isupper() and len(a) >= 2]
    return short[0] if short else entity


def _claim_sentence(reference: Reference, fact: Fact, when: date, rng: random.Random) -> str | None:
    """A sentence stating `fact`'s attribute at `when`: right, outdated or wrong."""
    attribute = reference.attributes[fact.attribute]
    cue = attribute.cues[0] if attribute.cues else ""
    facts = reference.facts_for(fact.entity, fact.attribute)
    name = _name(reference, fact.entity)
    earlier = [f for f in facts if f.valid_to and f.valid_to <= when]
    pick = rng.random()
    value = fact.value
    if attribute.value_type in ("count", "rank", "year"):
        if pick < 0.3 and earlier and attribute.value_type != "year":
            value = rng.choice(earlier).value
        elif pick < 0.5 and value.isdigit():
            value = str(int(value) + rng.randint(1, 4))
        if not value.isdigit():
            return None
        if attribute.value_type == "count":
            return f"{name} has {value} {cue}."
        if attribute.value_type == "year":
            return f"{name} was {cue} in {value}."
        return f"{name} is the {_ordinal(int(value))} {cue}."
    if attribute.value_type == "text" and not attribute.multivalued:
        others = [f.value for f in reference.facts if f.attribute == fact.attribute]
        if pick < 0.4 and others:
            value = rng.choice(others)
        return f"{cue} {value} visited the region on Tuesday."
    if attribute.value_type == "list":
        items = list(fact.items)
        rng.shuffle(items)
        items = items[: rng.randint(2, min(4, len(items)))] if len(items) >= 2 else items
        if pick < 0.3:
            outsiders = [e for e in reference.entities if e not in fact.items and e != fact.entity]
            items.append(rng.choice(outsiders))
        if len(items) < 2:
            return None
        listed = (
            ", ".join(_name(reference, i) for i in items[:-1])
            + " and "
            + _name(reference, items[-1])
        )
        return f"{name}'s {cue} include {listed}."
    return None


def make_corpus(reference: Reference, folder: Path, *, articles: int, seed: int = 7) -> Corpus:
    """Write `articles` deterministic news-length articles about the reference's facts."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    usable = [  # facts an article can state: of a type written here, with a cue to say it
        f
        for f in reference.facts
        if reference.attributes[f.attribute].value_type in ("count", "rank", "year", "text", "list")
        and reference.attributes[f.attribute].cues
    ]
    words = claims = 0
    start = date(2012, 1, 1)
    for number in range(articles):
        when = start + timedelta(days=rng.randint(0, 5000))
        holding = [f for f in usable if f.holds_on(when)] or usable
        lines = [
            f"Report {number + 1} from the summit",
            "",
            f"Published: {when:%B} {when.day}, {when.year}",
            "",
        ]
        for _ in range(rng.randint(6, 9)):
            sentences = [rng.choice(FILLER) for _ in range(rng.randint(4, 7))]
            for _ in range(rng.randint(0, 1)):
                sentence = _claim_sentence(reference, rng.choice(holding), when, rng)
                if sentence:
                    sentences.insert(rng.randint(0, len(sentences)), sentence)
                    claims += 1
            lines += [" ".join(sentences), ""]
        text = "\n".join(lines)
        words += len(text.split())
        (folder / f"article-{number:06}.txt").write_text(text, encoding="utf-8")
    return Corpus(folder=folder, articles=articles, words=words, claims=claims)


def grow_reference(base: Path, folder: Path, *, facts: int) -> Path:
    """A copy of the reference at `base` grown with synthetic entities to `facts` facts."""
    shutil.copytree(base, folder)
    reference = load_reference(folder)
    missing = facts - len(reference.facts)
    if missing <= 0:
        return folder
    attribute = next(
        (a.name for a in reference.attributes.values() if a.value_type == "count"), None
    )
    if attribute is None:
        raise SystemExit("the reference has no count attribute to grow with")
    with (
        (folder / "entities.csv").open("a", encoding="utf-8") as entities,
        (folder / "facts.csv").open("a", encoding="utf-8") as rows,
    ):
        per_entity = 10
        for n in range(0, missing, per_entity):
            name = f"Synthetic Council {n // per_entity:06}"
            entities.write(f"{name},,organization\n")
            for k in range(min(per_entity, missing - n)):
                begin, end = date(1950 + 5 * k, 1, 1), date(1955 + 5 * k, 1, 1)
                rows.write(
                    f"syn-{n + k},{name},{attribute},{10 + k},{begin},{end},"
                    "https://example.org/synthetic,generated by the benchmark\n"
                )
    return folder


@dataclass(frozen=True, slots=True)
class RealCorpus:
    """Real articles to measure on: where they are, how many, their words and texts."""

    folder: Path
    articles: int
    words: int
    texts: list[str]


def real_corpus(path: Path, *, copies: int = 1, scratch: Path | None = None) -> RealCorpus:
    """The articles at `path` (a folder or a batch file), read as `factcheck run` reads
    them, so the baseline parses the same texts the run does. With `copies` > 1 they are
    written `copies` times into a batch file in `scratch`, each copy under its own id and
    opening with its own line ("Copy b."), so that no copy's parse is taken from another's."""
    from pipeline.ingest import iter_articles
    from pipeline.models import Article

    articles = [
        item for item in iter_articles([path], max_bytes=MAX_BYTES) if isinstance(item, Article)
    ]
    if copies > 1:
        if scratch is None:
            raise ValueError("copies need a scratch folder")
        path = scratch / "copies.jsonl"
        with path.open("w", encoding="utf-8") as batch:
            for copy in range(copies):
                for article in articles:
                    record = {
                        "id": f"{article.id}~{copy}",
                        "title": article.title,
                        "published": article.published.isoformat() if article.published else None,
                        "text": f"Copy {_letters(copy)}.\n\n{article.text}",
                    }
                    batch.write(json.dumps(record) + "\n")
        articles = [
            item for item in iter_articles([path], max_bytes=MAX_BYTES) if isinstance(item, Article)
        ]
    texts = [article.text for article in articles]
    words = sum(len(text.split()) for text in texts)
    return RealCorpus(folder=path, articles=len(texts), words=words, texts=texts)


def _letters(number: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "aa": a label that is no number to the prefilter."""
    label = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        label = chr(ord("a") + rest) + label
    return label


def _peak_rss_mb() -> float:
    """The peak resident memory of this process, or of its largest child if larger."""
    return max(_rss_of(resource.RUSAGE_SELF), _rss_of(resource.RUSAGE_CHILDREN))


class MemorySampler:
    """Samples, every `every` seconds while a run goes on, the resident memory of this
    process and of its largest child (Linux: /proc), to show whether it grows."""

    def __init__(self, every: float = 2.0) -> None:
        self.every = every
        self.samples: list[tuple[float, float]] = []  # (this process, largest child) MB
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            me = os.getpid()
            children = [_vm_rss(child) for child in _children(me)]
            self.samples.append((_vm_rss(me), max(children, default=0.0)))

    def summary(self) -> str:
        """The first and last samples, and the highest."""
        if len(self.samples) < 2:
            return "too short a run to sample"
        (first, first_child), (last, last_child) = self.samples[0], self.samples[-1]
        line = f"this process {first:,.0f} -> {last:,.0f} MB"
        line += f" (highest {max(s[0] for s in self.samples):,.0f})"
        if last_child:
            line += f"; largest child {first_child:,.0f} -> {last_child:,.0f} MB"
        return line


def _children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{task}/children") as kids:
                found += [int(kid) for kid in kids.read().split()]
    return found


def _vm_rss(pid: int) -> float:
    """A process's resident memory in MB, or 0 where /proc does not say."""
    with (
        contextlib.suppress(OSError, IndexError, ValueError),
        open(f"/proc/{pid}/status") as status,
    ):
        return int(status.read().split("VmRSS:")[1].split()[0]) / 1024
    return 0.0


def _cpu_seconds() -> float:
    """CPU seconds (user and system) this process has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_of(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--articles", type=int, default=200, help="corpus size [200]")
    parser.add_argument("--workers", type=int, default=1, help="worker processes for the run [1]")
    parser.add_argument(
        "--facts", type=int, default=0, help="grow the reference to this many facts"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--only", choices=("baseline", "run"), default=None, help="measure one side"
    )
    parser.add_argument("--no-prefilter", action="store_true", help="run without the prefilter")
    parser.add_argument("--reference", type=Path, default=ROOT / "claims")
    parser.add_argument(
        "--real",
        type=Path,
        default=None,
        metavar="PATH",
        help="measure on real articles (a folder or a batch file) instead of the synthetic corpus",
    )
    parser.add_argument(
        "--copies",
        type=int,
        default=1,
        metavar="N",
        help="with --real: each article N times, each copy distinct (a larger corpus) [1]",
    )
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        choices=sorted(SPEEDUPS),
        metavar="SPEEDUP",
        help=f"run without a speed-up, to measure what it buys ({', '.join(sorted(SPEEDUPS))})",
    )
    options = parser.parse_args(argv)

    from pipeline.extract import load_model
    from pipeline.runner import run

    with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as scratch:
        work = Path(scratch)
        reference_dir = options.reference
        if options.facts:
            reference_dir = grow_reference(
                options.reference, work / "reference", facts=options.facts
            )
        reference = load_reference(reference_dir)
        if options.real is not None:
            corpus = real_corpus(options.real, copies=options.copies, scratch=work)
            texts = corpus.texts
            print(
                f"corpus: {corpus.articles} real articles from {options.real}, "
                f"{corpus.words:,} words; reference: {len(reference.facts):,} facts"
            )
        else:
            corpus = make_corpus(
                load_reference(options.reference),
                work / "corpus",
                articles=options.articles,
                seed=options.seed,
            )
            texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.folder.iterdir())]
            print(
                f"corpus: {corpus.articles} articles, {corpus.words:,} words, "
                f"{corpus.claims} claims; reference: {len(reference.facts):,} facts"
            )
        baseline_seconds = run_seconds = 0.0
        if options.only in (None, "baseline"):
            nlp = load_model()
            started = time.perf_counter()
            for _ in nlp.tokenizer.pipe(texts):
                pass
            tokenizer_seconds = time.perf_counter() - started
            started = time.perf_counter()
            for _ in nlp.pipe(texts, batch_size=16):
                pass
            baseline_seconds = time.perf_counter() - started
            del nlp
            speed = corpus.words / baseline_seconds
            print(
                f"baseline (nlp.pipe, full model, whole texts): {baseline_seconds:8.2f} s  "
                f"{speed:10,.0f} words/s  peak RSS {_peak_rss_mb():,.0f} MB"
            )
            print(
                f"tokenizer alone (the practical limit):        {tokenizer_seconds:8.2f} s  "
                f"{corpus.words / tokenizer_seconds:10,.0f} words/s"
            )
        if options.only in (None, "run"):
            timer = Timer()
            parent_before = _cpu_seconds()
            started = time.perf_counter()
            with MemorySampler() as memory:
                result = run(
                    [corpus.folder],
                    max_bytes=MAX_BYTES,
                    reference_dir=reference_dir,
                    out_dir=work / "report",
                    default_date=date(2026, 11, 22),
                    db=work / "store.db",
                    workers=options.workers,
                    prefilter=not options.no_prefilter,
                    speedups=SPEEDUPS - set(options.without),
                    timer=timer,
                )
            run_seconds = time.perf_counter() - started
            parent_cpu = _cpu_seconds() - parent_before
            workers = _rss_of(resource.RUSAGE_CHILDREN)
            print(
                f"factcheck run ({options.workers} worker(s)):              {run_seconds:8.2f} s  "
                f"{corpus.words / run_seconds:10,.0f} words/s  peak RSS {_peak_rss_mb():,.0f} MB"
                f" (this process {_rss_of(resource.RUSAGE_SELF):,.0f} MB"
                + (
                    f", largest child {workers:,.0f} MB: a worker, or the parquet writer of "
                    "a run of 10,000+ findings, which counts this process's pages at its start)"
                    if options.workers > 1
                    else ")"
                )
            )
            stages = "  ".join(f"{name} {timer.seconds.get(name, 0.0):.2f}" for name in STAGES)
            other = run_seconds - timer.total()
            where = (
                "; prefilter, parse and extract run in the workers" if options.workers > 1 else ""
            )
            print(
                f"  seconds per stage: {stages}  (other {max(other, 0):.2f}: model and "
                f"reference loading{where})"
            )
            print(f"  memory over the run, sampled every {memory.every:g} s: {memory.summary()}")
            print(
                f"  this process's CPU: {parent_cpu:.2f} s, busy {parent_cpu / run_seconds:.0%} "
                "of the run"
                + (" (the workers wait for it when near 100%)" if options.workers > 1 else "")
            )
            if result.parsed_sentences:
                read, parsed, claimed = result.words
                print(
                    f"  sentences parsed: {result.parsed_sentences:,} of "
                    f"{result.sentences:,} ({result.parsed_sentences / result.sentences:.0%}); "
                    f"tokens parsed {parsed / read:.0%}, in sentences that gave a claim "
                    f"{claimed / read:.0%} (what a parser of those alone would parse)"
                )
            check_share = timer.seconds.get("check", 0.0) / run_seconds
            html_mb = (work / "report" / "report.html").stat().st_size / 1e6
            print(
                f"  findings: {sum(result.verdicts.values()):,}; check stage {check_share:.1%} "
                f"of the run; report.html {html_mb:.1f} MB"
            )
        if baseline_seconds and run_seconds:
            print(f"speed-up over the baseline: {baseline_seconds / run_seconds:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
