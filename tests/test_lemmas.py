"""The faster lemmatizer leaves exactly the lemmas spaCy's leaves, and every lemma the
model gives a word is among the forms LemmaForms gives it."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.attrs import LEMMA

from pipeline.extract import load_model
from pipeline.extract.lemmas import FastLemmas, LemmaForms, speed_up_lemmas
from pipeline.extract.model import parse
from pipeline.ingest import iter_articles
from pipeline.models import Article

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="module")
def both():
    return load_model(), speed_up_lemmas(load_model())


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


def test_the_faster_lemmatizer_gives_every_token_spacys_lemma(both):
    stock, fast = both
    assert isinstance(fast.get_pipe("lemmatizer").pipe.__self__, FastLemmas)
    corpus = corpus_texts()
    for _ in range(2):  # worked out, then remembered
        for plain, quick in zip(stock.pipe(corpus), fast.pipe(corpus), strict=True):
            assert plain.to_array([LEMMA]).tolist() == quick.to_array([LEMMA]).tolist()


def test_the_faster_lemmatizer_keeps_lemmas_set_before_it(both):
    stock, fast = both

    def lemmas(nlp):
        doc = nlp.make_doc("Freedonia's ministers were meeting.")
        for name, component in nlp.pipeline:
            if name != "lemmatizer":
                doc = component(doc)
        doc[2].lemma_ = "envoy"
        (done,) = nlp.get_pipe("lemmatizer").pipe([doc])
        return [t.lemma_ for t in done]

    assert lemmas(fast) == lemmas(stock)
    assert lemmas(fast)[2:5] == ["envoy", "be", "meet"]


def test_the_faster_lemmatizer_leaves_an_empty_doc_alone(both):
    _, fast = both
    (done,) = fast.get_pipe("lemmatizer").pipe([fast.make_doc("")])
    assert len(done) == 0
