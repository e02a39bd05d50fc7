import itertools

import pytest

from pipeline.similarity import (
    DEFAULT_THRESHOLD,
    Signature,
    best_match,
    fewest_words,
    related,
    similarity,
    words_match,
)


def sig(words, entities=(), negated=False, modals=()):
    return Signature.build(words.split(), entities=entities, negated=negated, modals=modals)


CLAIM = sig("Ruritania join alliance constitution", entities={"Ruritania", "Alliance"})


def test_same_content_words_match():
    sentence = sig("Ruritania join alliance constitution", entities={"Ruritania", "Alliance"})
    assert similarity(sentence, CLAIM) > 0.9


def test_derived_and_misspelled_words_still_match():
    sentence = sig("Ruritania joining alliance constitutional", entities={"Ruritania", "Alliance"})
    assert similarity(sentence, CLAIM) >= 0.74


def test_missing_entity_prevents_a_match():
    sentence = sig("Ruritania join alliance constitution", entities={"Ruritania"})
    assert similarity(sentence, CLAIM) == 0.0


def test_modality_must_agree():
    sentence = sig(
        "Ruritania join alliance constitution", entities={"Ruritania", "Alliance"}, modals=["could"]
    )
    assert similarity(sentence, CLAIM) == 0.0


def test_few_shared_words_do_not_match():
    sentence = sig("Ruritania weather alliance picnic", entities={"Ruritania", "Alliance"})
    assert best_match(sentence, [CLAIM]) is None


def test_best_match_reports_negation():
    sentence = sig(
        "Ruritania join alliance constitution", entities={"Ruritania", "Alliance"}, negated=True
    )
    match = best_match(sentence, [CLAIM])
    assert match is not None and match.index == 0 and match.negated


def test_entities_only_in_context_and_no_shared_words_do_not_match():
    claim = sig("make", entities={"Ruritania", "Freedonia", "Sylvania"})
    sentence = Signature.build(
        ["focus", "issue", "security"], entities={"Ruritania", "Freedonia", "Sylvania"}, named=[]
    )
    assert similarity(sentence, claim) == 0.0


def test_an_entity_named_by_context_counts_when_another_is_named_here():
    claim = sig("expel", entities={"Ruritania", "Pact"})
    sentence = Signature.build(
        ["expel", "bloc"], entities={"Ruritania", "Pact"}, named=["Ruritania"]
    )
    assert similarity(sentence, claim) >= 0.74


def test_a_sentence_denies_a_claim_by_negation_figures_or_a_wider_scope():
    from pipeline.similarity import denies

    claim = Signature.build(["state", "invite"], entities=["Northern Pact"], scope=["only"])
    assert not denies(Signature.build(["state"], entities=["Northern Pact"], scope=["only"]), claim)
    assert denies(Signature.build(["state"], entities=["Northern Pact"], scope=["any"]), claim)
    assert denies(Signature.build(["state"], entities=["Northern Pact"], negated=True), claim)
    dated = Signature.build(["found"], entities=["Northern Pact"], figures=["1990"])
    assert denies(Signature.build(["found"], entities=["Northern Pact"], figures=["1991"]), dated)
    assert not denies(
        Signature.build(["found"], entities=["Northern Pact"], figures=["1990"]), dated
    )


def test_only_a_sentence_about_the_claims_subjects_and_modality_is_compared_by_meaning():
    from pipeline.similarity import related

    claim = Signature.build(["capital", "build", "volcano"], entities=["Ruritania"])
    same = Signature.build(["capital", "build", "volcano", "city"], entities=["Ruritania"])
    assert related(same, claim)
    assert not related(
        Signature.build(["capital", "build", "volcano"], entities=["Sylvania"]), claim
    )
    could = Signature.build(
        ["capital", "build", "volcano"], entities=["Ruritania"], modals=["could"]
    )
    assert not related(could, claim)
    counted = Signature.build(
        ["capital", "build", "volcano"], entities=["Ruritania"], figures=["3"]
    )
    assert not related(counted, claim)


def test_an_opposite_word_or_a_set_aside_entity_denies_a_claim():
    from pipeline.similarity import denies

    claim = Signature.build(["permit", "force"], entities=["Ruritania"])
    assert denies(Signature.build(["forbid", "force"], entities=["Ruritania"]), claim)
    # An opposite word and a negation cancel: "does not forbid" says "permits".
    assert not denies(
        Signature.build(["forbid", "force"], entities=["Ruritania"], negated=True), claim
    )
    founded = Signature.build(["found"], entities=["Northern Pact", "Treaty of Zenda"])
    aside = Signature.build(
        ["found"], entities=["Northern Pact", "Treaty of Zenda"], contrasted=["Treaty of Zenda"]
    )
    assert denies(aside, founded)


def test_modal_verbs_compare_by_what_they_say():
    could = Signature.build(["join"], entities=["Ruritania"], modals=["could"])
    assert could.modals == Signature.build(["join"], entities=["Ruritania"], modals=["can"]).modals
    assert (
        could.modals != Signature.build(["join"], entities=["Ruritania"], modals=["would"]).modals
    )


def test_a_sentence_with_all_the_claims_words_needs_less_similarity_in_meaning():
    from pipeline.similarity import COVERED, MEANING_THRESHOLD, meaning_threshold

    assert meaning_threshold(1.0) < meaning_threshold(0.5) == MEANING_THRESHOLD
    assert meaning_threshold(COVERED) < MEANING_THRESHOLD


FEWEST_CLAIMS = [
    Signature.build(["capital", "build", "active", "volcano"], entities=["Ruritania"]),
    Signature.build(["member", "approve"], entities=["Northern Pact", "Freedonia"]),
    Signature.build(["found", "treaty", "sign", "year", "city", "alliance"], entities=["X"]),
    Signature.build(["bar", "monarchy"], entities=["Freedonia", "Northern Pact"], modals=["can"]),
    Signature.build(["leave", "rejoin", "alliance"], entities=[]),
]


@pytest.mark.parametrize("claim", FEWEST_CLAIMS)
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


def test_words_match_by_lemma_or_a_close_spelling_of_five_letters_or_more():
    assert words_match("constitution", "constitutional")
    assert words_match("join", "join")
    assert not words_match("join", "joins")  # short words must be equal
    assert not words_match("treaty", "charter")
