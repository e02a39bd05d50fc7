"""The attribute ruler's rules applied by RuleMatcher leave exactly what spaCy's own
AttributeRuler leaves: on the trained pipeline's rules over real and written text, and on
rules of every shape written here."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, POS, TAG

from pipeline.extract import load_model
from pipeline.extract.rules import RuleMatcher, speed_up_rules
from pipeline.ingest import iter_articles
from pipeline.models import Article

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ATTRS = [TAG, POS, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]
SENTENCES = [
    "That is the treaty that the ministers signed, but it ain't what they wanted.",
    "Y'all know nothin' about the 12 members who left; anyone can see something changed.",
    "The council, which has 30 members, met in Ruritania on 3 May 2021 and again in June.",
    "  Whether or not Freedonia joins, the pact's 4th summit will go ahead.\n\nThanks.",
    "Those who gave up their seats were not the ones who had proposed it.",
]


def annotations(doc: spacy.tokens.Doc) -> tuple[list[list[int]], list[str]]:
    return doc.to_array(ATTRS).tolist(), [str(token.morph) for token in doc]


@pytest.fixture(scope="module")
def both():
    return load_model(), speed_up_rules(load_model())


def texts() -> list[str]:
    folders = [ROOT / "sources", ROOT / "tests" / "data" / "blind" / "articles"]
    folders += [SHARED / "seeds", SHARED / "realworld" / "batch.jsonl"]
    read = iter_articles([path for path in folders if path.exists()], max_bytes=5_000_000)
    return SENTENCES + [item.text for item in read if isinstance(item, Article)]


def test_the_trained_rules_annotate_every_token_as_spacy_does(both):
    stock, fast = both
    assert isinstance(fast.get_pipe("attribute_ruler").match.__self__, RuleMatcher)
    corpus = texts()
    assert len(corpus) > len(SENTENCES) + 10
    for plain, quick in zip(stock.pipe(corpus), fast.pipe(corpus), strict=True):
        assert annotations(plain) == annotations(quick), plain.text[:80]


def test_the_stock_pipeline_is_left_alone(both):
    stock, _ = both
    assert not isinstance(getattr(stock.get_pipe("attribute_ruler"), "match", None), RuleMatcher)


RULES = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"LOWER": {"IN": ["pact", "league"]}}]], "attrs": {"LEMMA": "group"}},
    {"patterns": [[{"TAG": {"NOT_IN": ["NN", "NNS"]}, "IS_TITLE": True}]], "attrs": {"POS": "X"}},
    {"patterns": [[{"LOWER": {"REGEX": "^member"}}]], "attrs": {"MORPH": "Case=Nom"}},
    {"patterns": [[{"LOWER": "the"}, {"TAG": "NN"}]], "attrs": {"LEMMA": "THE"}, "index": 0},
    {"patterns": [[{"LOWER": "the"}, {"TAG": "NN"}]], "attrs": {"POS": "PROPN"}, "index": -1},
    {"patterns": [[{"TEXT": "Pact"}], [{"LOWER": "pact"}]], "attrs": {"POS": "PROPN"}},
    {"patterns": [[{"IS_DIGIT": True, "OP": "+"}, {"LOWER": "members"}]], "attrs": {"LEMMA": "N"}},
    {"patterns": [[{"LENGTH": {">": 8}}]], "attrs": {"MORPH": "Long=Yes"}},
]


def test_rules_of_every_shape_apply_as_spacys_ruler_applies_them(nlp):
    """One-token rules (equal, IN, NOT_IN, REGEX, flags), two-token rules with either index,
    a rule with two patterns, and shapes left to spaCy's Matcher (operators, LENGTH), with
    later rules overriding earlier ones on the same token."""
    rulers = []
    for _ in range(2):
        blank = spacy.blank("en")
        blank.add_pipe("attribute_ruler").add_patterns(RULES)
        rulers.append(blank)
    plain, quick = rulers
    speed_up_rules(quick)
    matcher = quick.get_pipe("attribute_ruler").match.__self__
    assert len(matcher.others) == 2  # the operator and the LENGTH rules
    for text in [*SENTENCES, "The pact has 12 13 members; the Pact's membership grew."]:
        tagged = [(token.text, token.tag_) for token in nlp(text)]
        docs = []
        for pipeline in (plain, quick):
            doc = pipeline.make_doc(text)
            for token, (_, tag) in zip(doc, tagged, strict=True):
                token.tag_ = tag
            docs.append(pipeline.get_pipe("attribute_ruler")(doc))
        assert annotations(docs[0]) == annotations(docs[1]), text


def test_a_rule_whose_index_is_outside_its_match_fails_as_spacys_does():
    blank = spacy.blank("en")
    blank.add_pipe("attribute_ruler").add_patterns(
        [{"patterns": [[{"LOWER": "the"}, {"LOWER": "pact"}]], "attrs": {"LEMMA": "x"}, "index": 2}]
    )
    speed_up_rules(blank)
    with pytest.raises(ValueError, match="E1001"):
        blank("the pact")
