"""The English word lists in pipeline/english.cfg."""

from __future__ import annotations

from pipeline import lexicon


def test_every_list_has_words_in_lower_case():
    assert lexicon.sections()
    for section in lexicon.sections():
        found = lexicon.words(section)
        assert found, section
        assert all(word == word.lower() and word.strip() == word for word in found), section


def test_the_lists_the_code_reads_are_there():
    wanted = {"group_nouns", "group_kinds", "measure_nouns", "holding_verbs", "honorifics"}
    wanted |= {"choosing_verbs", "origin_words", "instrument_nouns", "instrument_kinds"}
    wanted |= {"now_words", "neutral_modifiers", "former_words", "list_glue", "speech_verbs"}
    wanted |= {"list_pronouns", "founding_cues", "present_words"}
    assert wanted <= set(lexicon.sections())


def test_a_phrase_is_written_with_underscores(tmp_path, monkeypatch):
    words = tmp_path / "english.cfg"
    words.write_text("[hedges]\nwords = nearly just_under\n", encoding="utf-8")
    monkeypatch.setattr(lexicon, "WORDS_FILE", words)
    lexicon._parser.cache_clear()
    try:
        assert lexicon.words("hedges") == {"nearly", "just under"}
    finally:
        lexicon._parser.cache_clear()
