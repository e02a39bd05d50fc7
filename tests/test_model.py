"""The pipeline run with its entity recognizer first annotates as spaCy's own order does,
and the recognizer alone finds exactly the entities the full run finds."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.attrs import DEP, HEAD, LEMMA, POS, TAG

from pipeline.extract.model import complete, parse, recognize, recognizer_alone
from pipeline.ingest import iter_articles
from pipeline.models import Article

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SENTENCES = [
    "Freedonia joined the Northern Pact on 1 May 2005. Sylvania did not.",
    "Prime Minister Anna Berg of Ruritania met the Pact's secretary in Zenda last week.",
    "| 4 | Karl Weiss | 1 July 1993 | 1 May 1995 | Sylvania |",
]


def texts() -> list[str]:
    folders = [ROOT / "sources", ROOT / "tests" / "data" / "blind" / "articles"]
    folders += [ROOT / "tests" / "data" / "heldout" / "articles"]
    folders += [SHARED / "seeds", SHARED / "realworld" / "batch.jsonl"]
    read = iter_articles([path for path in folders if path.exists()], max_bytes=5_000_000)
    return SENTENCES + [item.text for item in read if isinstance(item, Article)]


def entities(doc):
    return [(ent.start, ent.end, ent.label_) for ent in doc.ents]


def test_the_trained_recognizer_runs_on_vectors_of_its_own(nlp):
    assert recognizer_alone(nlp)


def test_the_recognizer_alone_finds_the_entities_of_the_full_run(nlp):
    corpus = texts()
    full = parse(nlp, (nlp.make_doc(text) for text in corpus))
    alone = recognize(nlp, (nlp.make_doc(text) for text in corpus))
    for parsed, recognized in zip(full, alone, strict=True):
        assert parsed.has_annotation("DEP") and not recognized.has_annotation("DEP")
        assert entities(parsed) == entities(recognized), parsed.text[:80]


def test_recognizing_first_leaves_every_other_annotation_as_spacy_leaves_it(nlp):
    corpus = texts()
    ours = parse(nlp, (nlp.make_doc(text) for text in corpus))
    for own, stock in zip(ours, nlp.pipe(corpus), strict=True):
        attrs = [TAG, POS, LEMMA, DEP, HEAD]
        assert own.to_array(attrs).tolist() == stock.to_array(attrs).tolist(), own.text[:80]


def test_completing_what_the_recognizer_read_is_the_full_run(nlp):
    """A sentence first read by the recognizer alone, then found to need the parser, gets
    the other components only (`complete`), or the full run again: both give the full run."""
    corpus = texts()[:12]
    attrs = [TAG, POS, LEMMA, DEP, HEAD]
    full = list(parse(nlp, (nlp.make_doc(text) for text in corpus)))
    completed = complete(nlp, recognize(nlp, (nlp.make_doc(text) for text in corpus)))
    again = parse(nlp, recognize(nlp, (nlp.make_doc(text) for text in corpus)))
    for expected, one, other in zip(full, completed, again, strict=True):
        for doc in (one, other):
            assert entities(doc) == entities(expected)
            assert doc.to_array(attrs).tolist() == expected.to_array(attrs).tolist()


def test_run_after_the_parser_the_recognizer_stops_at_its_sentence_breaks(nlp):
    """Why the recognizer goes first: after the parser, it may find other entities than
    alone (the parser breaks the table row above inside a date)."""
    corpus = texts()
    stock = [entities(doc) for doc in nlp.pipe(corpus)]
    alone = [entities(doc) for doc in recognize(nlp, (nlp.make_doc(t) for t in corpus))]
    if len(corpus) == len(SENTENCES):
        pytest.skip("../shared is not beside the repo")
    assert stock != alone


def test_a_pipeline_without_a_recognizer_is_parsed_as_it_is(nlp):
    tagger_only = type(nlp)(nlp.vocab)
    assert not recognizer_alone(tagger_only)
    docs = list(parse(tagger_only, [tagger_only.make_doc("Freedonia is small.")]))
    assert [t.text for t in docs[0]] == ["Freedonia", "is", "small", "."]
