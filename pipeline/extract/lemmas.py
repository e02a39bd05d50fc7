"""What the model's rule lemmatizer gives a word: the same lemmas faster, and every lemma
it may give a word, whatever its part of speech.

spaCy's rule lemmatizer works out each token's lemma in Python, one token at a time, from
its word, part of speech and morphology (and caches it by those three). `speed_up_lemmas`
reads those three for a whole sentence at once and remembers each combination's lemma:
the lemmas are the same, token for token (tests/test_lemmas.py). `LemmaForms` bounds the
lemmas a word may get, for deciding from the words alone whether a sentence may need
the parser (`gate.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

MAX_REMEMBERED = 200_000  # (word, part of speech, morphology) lemmas kept before afresh


class FastLemmas:
    """A rule lemmatizer's lemmas, set for a whole doc at once and remembered by (word,
    part of speech, morphology), which is all a rule lemma depends on."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.remembered: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        lemmatizer = self.lemmatizer
        if not lemmatizer._validated or not len(doc):  # the lemmatizer's own checks
            return type(lemmatizer).__call__(lemmatizer, doc)
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        strings, remembered = doc.vocab.strings, self.remembered
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not lemmatizer.overwrite:
                continue
            key = (orth, pos, morph)
            text = remembered.get(key)
            if text is None:
                text = lemmatizer.lemmatize(doc[i])[0]
                if pos:  # an untagged token: spaCy warns each time, so it is not kept
                    if len(remembered) >= MAX_REMEMBERED:
                        remembered.clear()
                    remembered[key] = text
            lemmas[i] = strings.add(text)
        doc.from_array([LEMMA], lemmas.reshape(-1, 1).astype(numpy.uint64))
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """As `Pipe.pipe`: each doc in turn, errors to the component's error handler."""
        error_handler = self.lemmatizer.get_error_handler()
        for doc in stream:
            try:
                yield self(doc)
            except Exception as error:
                error_handler(self.lemmatizer.name, self.lemmatizer, [doc], error)


def speed_up_lemmas(nlp: Language) -> Language:
    """`nlp` with its rule lemmatizer (if any) setting lemmas through FastLemmas when it
    runs in `nlp.pipe`; the lemmas are unchanged."""
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        if isinstance(lemmatizer, Lemmatizer) and lemmatizer.mode == "rule":
            lemmatizer.pipe = FastLemmas(lemmatizer).pipe  # type: ignore[method-assign]
    return nlp


class LemmaForms:
    """Every lemma the model's lemmatizer and attribute ruler may give a word, whatever
    its part of speech: the rule lemmatizer's exceptions and suffix rules for every part of
    speech, the ruler's lemmas for that word (or for any word), and the word itself."""

    def __init__(self, nlp: Language) -> None:
        self.exact = False  # whether the model's lemmas can be bounded here
        self._exceptions: dict[str, set[str]] = {}
        self._rules: set[tuple[str, str]] = set()
        self._ruled: dict[str, set[str]] = {}  # the ruler's lemmas by the word they are for
        self._any: set[str] = set()  # lemmas the ruler may give any word
        if "lemmatizer" not in nlp.pipe_names:
            return
        lemmatizer = nlp.get_pipe("lemmatizer")
        if getattr(lemmatizer, "mode", None) != "rule":
            return
        lookups = lemmatizer.lookups
        for forms in lookups.get_table("lemma_exc", {}).values():
            for form, lemmas in forms.items():
                self._exceptions.setdefault(form.lower(), set()).update(
                    lemma.lower() for lemma in lemmas
                )
        for rules in lookups.get_table("lemma_rules", {}).values():
            self._rules.update((old, new) for old, new in rules)
        if "attribute_ruler" in nlp.pipe_names:
            for rule in nlp.get_pipe("attribute_ruler").patterns:
                lemma = rule["attrs"].get("LEMMA")
                if lemma is None:
                    continue
                for pattern in rule["patterns"]:
                    token = pattern[rule.get("index", 0)] if pattern else {}
                    words = _words_of(token)
                    if words is None:
                        self._any.add(lemma.lower())
                    for word in words or ():
                        self._ruled.setdefault(word, set()).add(lemma.lower())
        self.exact = True
        self.of = lru_cache(maxsize=200_000)(self._of)  # type: ignore[method-assign]

    def of(self, word: str) -> frozenset[str]:
        """The lowercased lemmas the model may give `word`."""
        return self._of(word)

    def _of(self, word: str) -> frozenset[str]:
        lower = word.lower()
        lemmas = {lower, *self._exceptions.get(lower, ()), *self._ruled.get(lower, ())}
        for old, new in self._rules:
            if lower.endswith(old):
                form = lower[: len(lower) - len(old)] + new
                if form:
                    lemmas.add(form)
        return frozenset(lemmas | self._any)


def _words_of(token: dict) -> set[str] | None:
    """The lowercased words a ruler's token pattern is limited to, or None if any word."""
    for key in ("ORTH", "TEXT", "LOWER"):
        value = token.get(key)
        if isinstance(value, str):
            return {value.lower()}
        if isinstance(value, dict) and set(value) == {"IN"}:
            return {str(word).lower() for word in value["IN"]}
        if value is not None:
            return None  # another operator: it may take any word
    return None
