"""The parse gate: a sentence that only names entities skips the parser only when no
reader could read it, and every lemma the model gives a word is among the lemmas the gate
looks for."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest

from pipeline.extract import Extractor, Parses
from pipeline.extract.gate import LemmaForms
from pipeline.extract.model import parse
from pipeline.ingest import iter_articles
from pipeline.models import Article
from pipeline.reference import load_reference
from pipeline.similarity import (
    DEFAULT_THRESHOLD,
    Signature,
    fewest_words,
    related,
    similarity,
)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
MINI = ROOT / "tests" / "data" / "mini_reference"
DAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def extractors(nlp):
    reference = load_reference(MINI)
    return Extractor(nlp, reference), Extractor(nlp, reference, gate=False)


def read(extractor, text):
    parses = Parses(extractor.nlp)
    article = Article(id="a1", text=text)
    return extractor.extract(article, default_date=DAY, parses=parses), parses


@pytest.mark.parametrize(
    "text",
    [
        "Freedonia is not in the Northern Pact.",  # membership
        "Sylvania remains outside the Northern Pact.",
        "The only holdout not in the Northern Pact is Sylvania.",
        "Freedonia could join the Northern Pact.",  # eligibility
        "Freedonia is ineligible, the Northern Pact said.",
        "Except Sylvania, the neighbours agreed.",  # an exception
        "The Northern Pact has enlarged twice.",  # enlargements
        "They were Ruritania, Freedonia and Sylvania.",  # a list announced before
        "Dozens of Ruritanian towns flooded.",  # a figure in words
        "Ruritania's capital city was built on an active volcano.",  # a checked claim
    ],
)
def test_a_sentence_a_cueless_reader_may_read_is_parsed(extractors, text):
    gated, ungated = extractors
    claims, parses = read(gated, text)
    assert parses.parsed == 1
    assert claims == read(ungated, text)[0]


@pytest.mark.parametrize(
    "text",
    [
        "Freedonia hosted a summit of the Northern Pact.",
        "The summit was in Freedonia.",  # "in" and a copula, but no state besides
        "Ruritania's capital was built on a plain.",  # too few of the checked claim's words
        "Sylvania and Freedonia held talks on trade.",
    ],
)
def test_a_sentence_that_only_names_entities_is_not_parsed(extractors, text):
    gated, ungated = extractors
    claims, parses = read(gated, text)
    assert (parses.parsed, parses.recognized) == (0, 1)
    assert claims == read(ungated, text)[0]


def test_the_entities_of_a_sentence_not_parsed_stay_in_context(extractors):
    """The second sentence names no one: its subject is the one the first named."""
    gated, ungated = extractors
    text = "Freedonia hosted a summit of the Northern Pact.\nIt has 4 members."
    claims, parses = read(gated, text)
    assert (parses.parsed, parses.recognized) == (1, 1)
    assert [c.entity for c in claims] == ["Northern Pact"]
    assert claims == read(ungated, text)[0]


def test_a_stored_parse_serves_a_sentence_that_needs_only_its_entities(extractors, nlp):
    gated, _ = extractors
    text = "Freedonia hosted a summit of the Northern Pact."
    _, first = read(gated, text)
    again = Parses(nlp, first.to_bytes())
    gated.extract(Article(id="a1", text=text), default_date=DAY, parses=again)
    assert (again.parsed, again.recognized) == (0, 0)
    full = Parses(nlp, first.to_bytes())  # a stored recognition is not a parse
    Extractor(nlp, gated.reference, gate=False).extract(
        Article(id="a1", text=text), default_date=DAY, parses=full
    )
    assert full.parsed == 1


def corpus_texts() -> list[str]:
    folders = [ROOT / "sources", SHARED / "seeds", SHARED / "realworld" / "batch.jsonl"]
    read_ = iter_articles([path for path in folders if path.exists()], max_bytes=5_000_000)
    own = [
        "She'd said they're leaving; we've seen the geese flying over the mice and oxen.",
        "Ca n't, wo n't: the best-known states were the likeliest to have joined.",
    ]
    return own + [item.text for item in read_ if isinstance(item, Article)]


def test_every_lemma_the_model_gives_a_word_is_among_its_forms(nlp):
    forms = LemmaForms(nlp)
    assert forms.exact
    texts = corpus_texts()
    seen = 0
    for doc in parse(nlp, (nlp.make_doc(text) for text in texts)):
        for token in doc:
            assert token.lemma_.lower() in forms.of(token.text), (token.text, token.lemma_)
            seen += 1
    assert seen > 100


def test_forms_include_inflections_through_the_rules_and_exceptions(nlp):
    forms = LemmaForms(nlp)
    assert "join" in forms.of("Joined") and "join" in forms.of("joining")
    assert "be" in forms.of("was") and "be" in forms.of("'s")
    assert "mouse" in forms.of("mice")


def test_a_lemmatizer_without_rules_turns_the_gate_off(nlp):
    blank = type(nlp)(nlp.vocab)
    assert not LemmaForms(blank).exact


CLAIMS = [
    Signature.build(["capital", "build", "active", "volcano"], entities=["Ruritania"]),
    Signature.build(["member", "approve"], entities=["Northern Pact", "Freedonia"]),
    Signature.build(["found", "treaty", "sign", "year", "city", "alliance"], entities=["X"]),
    Signature.build(["bar", "monarchy"], entities=["Freedonia", "Northern Pact"], modals=["can"]),
    Signature.build(["leave", "rejoin", "alliance"], entities=[]),
]


@pytest.mark.parametrize("claim", CLAIMS)
def test_fewest_words_is_the_least_a_matching_sentence_has(claim):
    """Every sentence that matches the claim, either way, has at least that many of its
    words; and one with exactly that many does match."""
    least = fewest_words(claim)
    words = sorted(claim.words)
    matched = []
    for size in range(len(words) + 1):
        for chosen in itertools.combinations(words, size):
            for extra in (0, 1, 4):
                sentence = Signature.build(
                    [*chosen, *(f"other{n}" for n in range(extra))],
                    entities=claim.entities,
                    modals=claim.modals,
                )
                if similarity(sentence, claim) >= DEFAULT_THRESHOLD or related(sentence, claim):
                    matched.append(size)
    assert min(matched) == least
