"""A synthetic store for the benchmark: fictional articles, claims, findings and decisions,
written through the store's own API in large transactions."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pipeline.check import finding_id
from pipeline.models import VERDICTS, Article, Claim, Finding
from pipeline.store import Store, content_hash, text_hash

ENTITIES = (
    "Ruritania",
    "Freedonia",
    "Sylvania",
    "Grand Fenwick",
    "Northern Pact",
    "Southern League",
)
ATTRIBUTES = ("member_count", "founded", "population", "gdp_rank", "chair")
FILLER = (
    "Delegates from across the Northlands met in the old assembly hall.",
    "The talks ran late into the evening, officials said.",
    "Observers called the mood cautious but constructive.",
    "A statement is expected before the end of the week.",
)
WEIGHTS = (30, 15, 25, 30)  # contradicted, outdated, unverified, supported
STATUSES = ("confirmed", "disputed", "dismissed")
BATCH = 500  # articles per transaction


@dataclass(frozen=True, slots=True)
class Filled:
    """What `fill` wrote."""

    articles: int
    findings: int
    decisions: int
    runs: int


def fill(
    path: Path,
    *,
    findings: int = 100_000,
    per_article: int = 10,
    runs: int = 5,
    decided: float = 0.1,
    seed: int = 7,
) -> Filled:
    """Write a store at `path` with `findings` findings, `per_article` to an article, over
    `runs` runs; a `decided` share of them has an editor's decision."""
    rng = random.Random(seed)
    count = findings // per_article
    per_run = max(1, -(-count // runs))
    written = 0
    decisions: list[tuple[str, str, str, str]] = []
    with Store.open(path) as store:
        for run in range(runs):
            run_id = store.start_run(reference_digest="synthetic", model="none", sources=[])
            numbers = range(run * per_run, min(count, (run + 1) * per_run))
            for start in range(numbers.start, numbers.stop, BATCH):
                with store.transaction():
                    for number in range(start, min(numbers.stop, start + BATCH)):
                        article, claims, found = _article(rng, number, per_article)
                        key = content_hash(article, judged_at=article.published or date.today())
                        store.save_checked(
                            article,
                            key=key,
                            text_key=text_hash(article),
                            run_id=run_id,
                            reference_digest="synthetic",
                            findings=found,
                            claims=claims,
                            model="none",
                            extractor="synthetic",
                            counts={"new": 1},
                        )
                        written += len(found)
                        decisions += [
                            (f.finding_id, rng.choice(STATUSES), "synthetic note", "bench")
                            for f in found
                            if rng.random() < decided
                        ]
            store.finish_run(run_id, {})
        for start in range(0, len(decisions), 10_000):
            store.decide(decisions[start : start + 10_000])
    return Filled(count, written, len(decisions), runs)


def _article(
    rng: random.Random, number: int, size: int
) -> tuple[Article, list[Claim], list[Finding]]:
    """One fictional article of `size` claims, with its claims and findings."""
    published = date(2020, 1, 1) + timedelta(days=number % 1500)
    article_id = f"article-{number:06d}"
    parts: list[str] = []
    claims: list[Claim] = []
    offset = 0
    for index in range(size):
        filler = FILLER[(number + index) % len(FILLER)] + " "
        parts.append(filler)
        offset += len(filler)
        entity = rng.choice(ENTITIES)
        value = str(rng.randint(2, 40))
        sentence = f"{entity} reported {value} members in its {index + 1}th annual review."
        start = len(entity) + len(" reported ")
        claims.append(
            Claim(
                article_id=article_id,
                sentence=sentence,
                sentence_start=offset,
                start=start,
                end=start + len(value) + len(" members"),
                kind="value",
                as_of=published,
                time_source="article",
                entity=entity,
                attribute=rng.choice(ATTRIBUTES),
                value=value,
                value_text=value,
            )
        )
        parts.append(sentence + " ")
        offset += len(sentence) + 1
    article = Article(
        id=article_id,
        text="".join(parts).rstrip(),
        published=published,
        title=f"Review {number} of the Northern Pact",
        url=f"https://news.example/{article_id}",
        source="synthetic",
    )
    return article, claims, [_finding(rng, article, claim) for claim in claims]


def _finding(rng: random.Random, article: Article, claim: Claim) -> Finding:
    verdict = rng.choices(VERDICTS, weights=WEIGHTS)[0]
    return Finding(
        finding_id=finding_id(article.id, claim),
        article=article.id,
        published=article.published.isoformat() if article.published else "",
        as_of=claim.as_of.isoformat(),
        sentence=claim.sentence,
        start=claim.start,
        end=claim.end,
        claim=claim.text,
        entity=claim.entity,
        attribute=claim.attribute,
        claimed_value=claim.value,
        reference_value=str(rng.randint(2, 40)),
        verdict=verdict,
        confidence=round(rng.random(), 2),
        fact_id=f"{claim.entity.lower().replace(' ', '-')}-{claim.attribute}-{rng.randint(1, 30)}",
        source="https://example.org/reference",
        explanation=f"The reference gives another value for {claim.entity}.",
        kind=claim.kind,
        title=article.title,
        url=article.url,
    )
