"""Which candidate sentences need the tagger and parser, from their words and entities.

A sentence that names a reference entity, but holds no number, quotation mark, attribute
cue or "how many", can give a claim only through the readers that need none of those:
membership ("X is not in the pact"), eligibility ("X could join"), exceptions ("except
X"), enlargements ("it expanded twice"), a list the sentence before announced ("They were
A, B and C"), statistics in number words, and previously checked claims. Each of those
needs certain words, which the `ParseGate` looks for on the surface, by every lemma the
model may give a word (`LemmaForms`), and some need certain entities, which the entity
recognizer finds. Such a sentence goes through the recognizer first; only if a reader
may still read it is it parsed. Otherwise its entities are all that is read of it: its
mentions feed the context of the sentences after it. That is exact because the English
pipeline's recognizer has its own token-to-vector layer and runs first (`model.parse`):
alone it finds what the full run finds (tests/test_model.py). The gate is `enabled` only
where the model's lemmas can be bounded and every checked claim needs some of its words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import numbers
from pipeline.extract.lemmas import LemmaForms
from pipeline.extract.readers import (
    ELIGIBILITY_ADJECTIVES,
    ELIGIBILITY_NOUNS,
    EXCEPTION_WORDS,
    INELIGIBLE_WORDS,
    INSIDE_PREPS,
    JOINING_WORDS,
    OUTSIDE_PREPS,
    POSSIBILITY_MODALS,
    REFERRING_PRONOUNS,
    TIMES_WORDS,
)
from pipeline.extract.sentence import COPULAS, GROUP_KINDS, Mention
from pipeline.reference import Reference
from pipeline.similarity import ANTONYMS, Signature, fewest_words, words_match

# Lemmas that let a reader work without a cue: who may join ("X is eligible", "X's
# eligibility to join", or a joining verb with a modal: "X could join"), and "X is (not)
# in G" / "X remains outside G" (a preposition governed by one of these verbs).
ELIGIBILITY_LEMMAS = ELIGIBILITY_ADJECTIVES | INELIGIBLE_WORDS | ELIGIBILITY_NOUNS
PLACING_LEMMAS = COPULAS | {"remain", "stay"}
PLACING_PREPS = INSIDE_PREPS | OUTSIDE_PREPS


class ParseGate:
    """Says whether a sentence that only names entities may still give a claim: first
    from its words (`may_need_parse`), then from the entities it names (`needs_parse`)."""

    def __init__(self, nlp: Language, reference: Reference, checked: Sequence[Signature]) -> None:
        self.forms = LemmaForms(nlp)
        self.reference = reference
        self._claims = [sorted(claim.words) for claim in checked]
        self._entities = [claim.entities for claim in checked]
        self._needed = [fewest_words(claim) for claim in checked]
        # A claim that needs none of its words may match any sentence naming its entities.
        self.enabled = self.forms.exact and all(needed > 0 for needed in self._needed)
        self._covers = lru_cache(maxsize=200_000)(self._claim_words_of)

    def may_need_parse(self, tokens: Doc) -> bool:
        """Whether a reader that needs no cue, number or quotation may read the sentence,
        whatever entities it names: its words alone say so."""
        words = [t.lower_ for t in tokens if not t.is_space]
        if not words:
            return False
        if words[0] in REFERRING_PRONOUNS:
            return True  # "They were A, B and C": a list announced before
        lemmas: set[str] = set()
        for word in words:
            if word in EXCEPTION_WORDS or word in TIMES_WORDS or _number_word(word):
                return True
            lemmas |= self.forms.of(word)
        if lemmas & ELIGIBILITY_LEMMAS:
            return True
        return bool(lemmas & JOINING_WORDS and POSSIBILITY_MODALS.intersection(words))

    def needs_parse(self, tokens: Doc, mentions: Sequence[Mention], nested: Iterable[str]) -> bool:
        """Whether the sentence, which `may_need_parse` let pass, may still give a claim
        given the entities it names (`mentions`, and `nested` in their names): it may place
        a state in or out of a group, or state a checked claim."""
        words = [t.lower_ for t in tokens if not t.is_space]
        return self._may_place(tokens, words, mentions) or self._may_restate(
            words, {m.entity for m in mentions} | set(nested)
        )

    def _may_place(self, tokens: Doc, words: list[str], mentions: Sequence[Mention]) -> bool:
        """ "X is (not) in G", "X remains outside G", "the only state not in G is X": a
        copula (or "remain", "stay"), a preposition with something named after it, and a
        state (not a group) named other than that."""
        preps = [t.i for t in tokens if t.lower_ in PLACING_PREPS]
        if not preps or not any(self.forms.of(word) & PLACING_LEMMAS for word in words):
            return False
        kinds = self.reference.entities
        states = {m.entity for m in mentions if kinds[m.entity].kind not in GROUP_KINDS}
        return any(m.start > preps[0] and states - {m.entity} for m in mentions)

    def _may_restate(self, words: Iterable[str], named: set[str]) -> bool:
        """Whether the sentence names one of some checked claim's entities (if it has any)
        and has enough of its words to match it."""
        covered: dict[int, set[int]] = {}
        for word in set(words):
            for claim, index in self._covers(word):
                covered.setdefault(claim, set()).add(index)
        return any(
            len(found) >= self._needed[claim]
            and (not self._entities[claim] or bool(self._entities[claim] & named))
            for claim, found in covered.items()
        )

    def _claim_words_of(self, word: str) -> tuple[tuple[int, int], ...]:
        """The (claim, word) pairs of the checked claims that `word` may stand for: by a
        lemma of it, alike enough, or as its opposite."""
        lemmas = self.forms.of(word)
        found = []
        for claim, claim_words in enumerate(self._claims):
            for index, claim_word in enumerate(claim_words):
                opposites = ANTONYMS.get(claim_word, set())
                if any(words_match(claim_word, lemma) or lemma in opposites for lemma in lemmas):
                    found.append((claim, index))
        return tuple(found)


def _number_word(word: str) -> bool:
    """A word a figure may be written in ("dozen", "hundreds", "half"), or one with a digit."""
    return (
        any(c.isdigit() for c in word)
        or numbers.is_number_word(word)
        or numbers.is_number_word(word.removesuffix("s"))
    )
