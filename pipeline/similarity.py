"""Match a sentence to previously checked claims by meaning rather than exact words.

Both sides are reduced to a `Signature`: their content-word lemmas, the reference entities
they mention, the figures they state, their modal verbs, and whether they are negated. A
checked claim matches when every entity it names is in the sentence (or its context), every
figure it states is there, the modality agrees (a sentence that says what "could" happen
does not assert what "is"), and most of its content words are there too. Words are
compared by lemma and, for misspellings and derived forms ("constitutional" ~
"constitution"), by rapidfuzz similarity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline import lexicon

# A checked claim matches a sentence at or above this score (0..1).
DEFAULT_THRESHOLD = 0.74
# By meaning: the sentence embedding's cosine to the claim's, and the share of the claim's
# content words the sentence has, both measured on tests/data/claim_pairs.csv.
# A sentence that has all (or nearly all) of the claim's words needs less: 0.82 at 0.8.
MEANING_THRESHOLD = 0.85
MEANING_COVERAGE = 0.5
COVERED_THRESHOLD = 0.82
COVERED = 0.8
SCOPE_WORDS = lexicon.words("scope_words")
MODAL_CLASSES = dict(pair.split(":") for pair in lexicon.words("modal_classes"))
ANTONYMS: dict[str, set[str]] = {}
for _pair in lexicon.words("antonyms"):
    _one, _other = _pair.split(":")
    ANTONYMS.setdefault(_one, set()).add(_other)
    ANTONYMS.setdefault(_other, set()).add(_one)
_STEM = 5
_FUZZY_WORD = 80
_SHORT_CLAIM = 5
_SHORT_FOCUS = 0.6


def stem(word: str) -> str:
    """A crude stem: the first letters of a lowercased lemma ("constitutional" ~ "constitution")."""
    return word.lower()[:_STEM]


@dataclass(frozen=True, slots=True)
class Signature:
    """What a sentence says, reduced for matching."""

    words: frozenset[str]  # lowercased content-word lemmas
    entities: frozenset[str]  # canonical reference entities mentioned
    negated: bool = False
    modals: frozenset[str] = frozenset()  # "can", "would", ...
    named: frozenset[str] = frozenset()  # entities named in the text itself, not by context
    figures: frozenset[str] = frozenset()  # numbers, ordinals and years it states
    scope: frozenset[str] = frozenset()  # words that limit or widen it: "only", "any"
    # Words and entities it sets aside: "founded by X, not the Treaty of Rome".
    contrasted: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls,
        lemmas: Iterable[str],
        *,
        entities: Iterable[str] = (),
        negated: bool = False,
        modals: Iterable[str] = (),
        named: Iterable[str] | None = None,
        figures: Iterable[str] = (),
        scope: Iterable[str] = (),
        contrasted: Iterable[str] = (),
    ) -> Signature:
        """A signature from content-word lemmas; `named` defaults to all `entities`."""
        entities = frozenset(entities)
        return cls(
            words=frozenset(lemma.lower() for lemma in lemmas if lemma.strip()),
            entities=entities,
            negated=negated,
            modals=frozenset(MODAL_CLASSES.get(m.lower(), m.lower()) for m in modals),
            named=entities if named is None else frozenset(named),
            figures=frozenset(figures),
            scope=frozenset(scope),
            contrasted=frozenset(contrasted),
        )


def words_match(word: str, other: str) -> bool:
    """Whether two lowercased lemmas count as the same word: equal, or both of five letters
    or more and alike enough ("constitutional" ~ "constitution", a misspelling)."""
    if word == other:
        return True
    return len(word) >= 5 and len(other) >= 5 and fuzz.ratio(word, other) >= _FUZZY_WORD


def _word_in(word: str, words: frozenset[str]) -> bool:
    if word in words:
        return True
    return len(word) >= 5 and any(words_match(word, other) for other in words)


def similarity(sentence: Signature, claim: Signature) -> float:
    """How well `sentence` expresses `claim`, from 0 to 1 (negation ignored)."""
    if not (claim.words or claim.entities) or not claim.entities <= sentence.entities:
        return 0.0
    if sentence.modals != claim.modals:
        return 0.0
    if not claim.figures <= sentence.figures:
        return 0.0  # "NATO's 12th member" is not "NATO's 32nd member"
    # The claim's entities are all there (checked above), at least one named in the sentence
    # itself; each named one counts as a shared word, and so does one that only context
    # supplies (the sentence refers to it: "the bloc"). Some other words must be shared too.
    named = len(claim.entities & sentence.named)
    if claim.entities and not named:
        return 0.0
    words = sum(1 for word in claim.words if _word_in(word, sentence.words))
    if claim.words and words == 0:
        return 0.0
    shared = words + named + min(1, len(claim.entities) - named)
    if shared < 3:
        return 0.0
    size = len(claim.words) + len(claim.entities)
    coverage = shared / size
    # A long sentence that says much else besides is a weaker match, and a short claim
    # ("X is a member of Y") only matches a sentence that is mostly about it.
    focus = shared / max(len(sentence.words) + len(claim.entities), 1)
    if size < _SHORT_CLAIM and focus < _SHORT_FOCUS:
        return 0.0
    return round(0.85 * coverage + 0.15 * min(1.0, focus * 1.5), 3)


@dataclass(frozen=True, slots=True)
class Match:
    """The best checked claim for a sentence, and whether the sentence negates it."""

    index: int
    score: float
    negated: bool


def best_match(
    sentence: Signature, claims: Sequence[Signature], *, threshold: float = DEFAULT_THRESHOLD
) -> Match | None:
    """The index of the checked claim that `sentence` expresses best, if any reaches `threshold`."""
    best: Match | None = None
    for index, claim in enumerate(claims):
        score = similarity(sentence, claim)
        if score >= threshold and (best is None or score > best.score):
            best = Match(index=index, score=score, negated=sentence.negated != claim.negated)
    return best


def related(sentence: Signature, claim: Signature) -> bool:
    """Whether a sentence may state (or deny) a claim, before its meaning is compared: the
    claim's entities are all there, one named in the sentence itself, its modality is the
    claim's, it states no figure where the claim has none, and has enough of its words."""
    if not claim.entities or not claim.entities <= sentence.entities:
        return False
    if not claim.entities & sentence.named or sentence.modals != claim.modals:
        return False  # "X could be ...": a hypothetical, not the claim
    if sentence.figures and not claim.figures:
        return False  # "approved by 3 members": a figure the claim does not state
    return coverage(sentence, claim) >= MEANING_COVERAGE


def fewest_words(claim: Signature, threshold: float = DEFAULT_THRESHOLD) -> int:
    """The fewest of the claim's content words (or their opposites) a sentence must have
    for `similarity` to reach `threshold` or for `related` to hold, whatever else it has:
    a sentence with fewer can match the claim neither way."""
    size = len(claim.words) + len(claim.entities)
    entities = len(claim.entities)
    least = len(claim.words) + 1  # neither way
    if not size:
        return least  # a claim of no words and no entities matches nothing
    for words in range(len(claim.words) + 1):
        if claim.words and words == 0:
            continue
        shared = words + entities  # at most: every entity named, a word each
        if shared >= 3 and round(0.85 * shared / size + 0.15, 3) >= threshold:
            least = words
            break
    if claim.entities:
        for words in range(len(claim.words) + 1):
            if not claim.words or words / len(claim.words) >= MEANING_COVERAGE:
                least = min(least, words)
                break
    return least


def meaning_threshold(covered: float) -> float:
    """The cosine a sentence needs to match a checked claim by meaning, given the share of
    the claim's words it has."""
    return COVERED_THRESHOLD if covered >= COVERED else MEANING_THRESHOLD


def coverage(sentence: Signature, claim: Signature) -> float:
    """The share of the claim's content words the sentence has (by lemma, misspelt, or as
    its opposite: "forbids" covers "permits", and `denies` tells them apart)."""
    if not claim.words:
        return 1.0
    found = sum(
        1
        for word in claim.words
        if _word_in(word, sentence.words) or ANTONYMS.get(word, set()) & sentence.words
    )
    return found / len(claim.words)


def _swapped(sentence: Signature, claim: Signature) -> int:
    """How many of the claim's words the sentence has only as their opposites."""
    return sum(
        1
        for word in claim.words
        if word not in sentence.words and ANTONYMS.get(word, set()) & sentence.words
    )


def undecided(sentence: Signature, claim: Signature) -> bool:
    """Whether a sentence is about a claim but neither states nor denies it: a denial about
    one named thing against a claim that limits a scope ("Japan cannot join" against "only
    European states can join") may be a case the limit itself excludes."""
    return (
        "only" in claim.scope
        and "only" not in sentence.scope
        and sentence.negated != claim.negated
        and bool(sentence.named - claim.entities)
    )


def denies(sentence: Signature, claim: Signature) -> bool:
    """Whether a sentence that says what a claim is about says the opposite: one of them is
    negated, swaps a word for its opposite ("forbids" for "permits") or sets aside what
    the claim says ("..., not the Treaty of Rome") (an odd number of these), it
    states other figures of the claim's ("founded in 1950" against 1949), or it widens a
    scope the claim limits ("any state" against "only European states")."""
    flips = _swapped(sentence, claim) + bool(sentence.contrasted & (claim.words | claim.entities))
    if (sentence.negated != claim.negated) != (flips % 2 == 1):
        return True
    if claim.figures and sentence.figures and not claim.figures <= sentence.figures:
        return True
    return (
        "only" in claim.scope
        and "only" not in sentence.scope
        and bool(sentence.scope & SCOPE_WORDS)
    )
