"""What each part of the checked-claim matcher contributes, measured on labelled pairs:
`python -m pipeline.pairs [PAIRS.csv] [--reference DIR]`.

A pairs file has columns `sentence`, `claim_id` and `label`: `same` (the sentence restates
the checked claim), `opposite` (it denies it: a negation, other figures, a wider scope) or
`unrelated` (same topic, another proposition). Each sentence is read alone, as an article,
and what the matcher makes of it is compared with the label, for four matchers:

1. **words**: shared content words only (no embeddings), with the explicit checks;
2. **retrieval alone**: the checked claim nearest the sentence by embedding, at several
   cosine thresholds, every match read as a restatement: what retrieval decides by itself;
3. **retrieval + gates**: the pipeline's matcher (entities, modality, figures, shared
   words, then the cosine), every match still read as a restatement;
4. **full**: the same with the explicit decision (`similarity.denies`: negation, opposite
   words, figures, scope), which tells a denial from a restatement.

The unsafe error is a denial read as a restatement: against a true claim, it supports a
false sentence.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.embed import load_encoder
from pipeline.extract import Extractor
from pipeline.extract.model import load_model
from pipeline.models import Article
from pipeline.reference import Reference, load_reference

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "tests" / "data" / "claim_pairs.csv"
DAY = date(2024, 6, 1)  # the pairs' sentences are read as articles of this date
LABELS = ("same", "opposite", "unrelated")
RETRIEVAL_THRESHOLDS = (0.75, 0.80, 0.82, 0.85, 0.88, 0.90)


@dataclass(frozen=True, slots=True)
class Pair:
    """A sentence, the checked claim it is labelled against, and the label."""

    sentence: str
    claim_id: str
    label: str


@dataclass(frozen=True, slots=True)
class Tally:
    """How one matcher read the pairs: (label, reading) -> count, where a reading is
    `same`, `opposite` or `unrelated` (no match to the labelled claim)."""

    counts: Counter[tuple[str, str]]

    def labelled(self, label: str) -> int:
        return sum(n for (lab, _), n in self.counts.items() if lab == label)

    @property
    def found(self) -> int:
        """Related pairs (same or opposite) matched to their claim, however read."""
        return sum(
            n
            for (label, read), n in self.counts.items()
            if label != "unrelated" and read != "unrelated"
        )

    @property
    def right(self) -> int:
        """Related pairs matched and read as labelled."""
        return self.counts[("same", "same")] + self.counts[("opposite", "opposite")]

    @property
    def unsafe(self) -> int:
        """Denials read as restatements."""
        return self.counts[("opposite", "same")]

    @property
    def false_matches(self) -> int:
        """Unrelated pairs matched to the claim."""
        return self.counts[("unrelated", "same")] + self.counts[("unrelated", "opposite")]

    @property
    def precision(self) -> float:
        """Of the pairs matched, the share that are related and read as labelled."""
        matched = self.found + self.false_matches
        return self.right / matched if matched else 1.0


def load_pairs(path: Path) -> list[Pair]:
    """The labelled pairs in `path`."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [Pair(r["sentence"], r["claim_id"], r["label"]) for r in csv.DictReader(handle)]


def tally(extractor: Extractor, pairs: Iterable[Pair], *, decide: bool = True) -> Tally:
    """How the extractor's matcher reads each pair; `decide=False` reads every match as a
    restatement, as if there were no explicit checks."""
    counts: Counter[tuple[str, str]] = Counter()
    for pair in pairs:
        article = Article(id="pair", text=pair.sentence, published=DAY)
        hits = [
            claim
            for claim in extractor.extract(article, default_date=DAY)
            if claim.kind == "checked" and claim.checked_claim_id == pair.claim_id
        ]
        denied = bool(hits) and decide and hits[0].negated
        read = "unrelated" if not hits else ("opposite" if denied else "same")
        counts[(pair.label, read)] += 1
    return Tally(counts)


def retrieval_tallies(
    reference: Reference, pairs: Sequence[Pair], thresholds: Sequence[float]
) -> dict[float, Tally]:
    """Retrieval alone: the nearest checked claim by cosine, if it reaches the threshold,
    read as a restatement."""
    claims = list(reference.checked_claims)
    encoder = load_encoder()
    claim_vectors = encoder.encode([claim.claim for claim in claims])
    sentence_vectors = encoder.encode([pair.sentence for pair in pairs])
    scores = sentence_vectors @ claim_vectors.T
    result = {}
    for threshold in thresholds:
        counts: Counter[tuple[str, str]] = Counter()
        for pair, row in zip(pairs, scores, strict=True):
            best = int(row.argmax())
            hit = claims[best].claim_id == pair.claim_id and row[best] >= threshold
            counts[(pair.label, "same" if hit else "unrelated")] += 1
        result[threshold] = Tally(counts)
    return result


def _row(name: str, result: Tally, related: int) -> str:
    return (
        f"| {name} | {result.found}/{related} | {result.right} | {result.unsafe} | "
        f"{result.false_matches} | {result.precision:.2f} |"
    )


def report(pairs_path: Path, reference_dir: Path) -> str:
    """The Markdown table of what each matcher finds on the pairs."""
    pairs = load_pairs(pairs_path)
    reference = load_reference(reference_dir)
    nlp = load_model()
    full_extractor = Extractor(nlp, reference)
    words = tally(Extractor(nlp, reference, by_meaning=False), pairs)
    gates = tally(full_extractor, pairs, decide=False)
    full = tally(full_extractor, pairs)
    retrieval = retrieval_tallies(reference, pairs, RETRIEVAL_THRESHOLDS)
    counts = {label: full.labelled(label) for label in LABELS}
    related = counts["same"] + counts["opposite"]
    lines = [
        f"{len(pairs)} pairs: {counts['same']} same, {counts['opposite']} opposite, "
        f"{counts['unrelated']} unrelated ({pairs_path.name}).",
        "",
        "| matcher | related found | read right | denials read as restatements "
        "| unrelated matched | precision |",
        "|---|---|---|---|---|---|",
        _row("words only (no embeddings)", words, related),
        *(
            _row(f"retrieval alone, cosine >= {threshold:.2f}", result, related)
            for threshold, result in retrieval.items()
        ),
        _row("retrieval + gates, no decision", gates, related),
        _row("full: retrieval + gates + decision", full, related),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pairs", nargs="?", type=Path, default=PAIRS)
    parser.add_argument("--reference", type=Path, default=ROOT / "claims")
    args = parser.parse_args(argv)
    print(report(args.pairs, args.reference))


if __name__ == "__main__":
    main()
