from pipeline.similarity import Signature, best_match, similarity


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
