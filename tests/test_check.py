"""Verdicts over validity periods, on hand-built claims and a small fictional reference."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from pipeline.check import check, finding_id, judge, names_match, provision_similarity
from pipeline.models import Article, Claim
from pipeline.reference import load_reference

MINI = Path(__file__).parent / "data" / "mini_reference"


@pytest.fixture(scope="module")
def mini():
    return load_reference(MINI)


def claim(**fields) -> Claim:
    base = {
        "article_id": "a.txt",
        "sentence": "A sentence.",
        "sentence_start": 0,
        "start": 0,
        "end": 10,
        "kind": "value",
        "as_of": date(2024, 6, 1),
        "time_source": "article",
    }
    base.update(fields)
    return Claim(**base)


COUNT = {"entity": "Northern Pact", "attribute": "member_count"}


@pytest.mark.parametrize(
    ("value", "as_of", "verdict"),
    [
        ("4", date(2024, 6, 1), "supported"),
        ("3", date(2024, 6, 1), "outdated"),
        ("7", date(2024, 6, 1), "contradicted"),
        ("3", date(2001, 6, 1), "supported"),
        ("4", date(2001, 6, 1), "contradicted"),  # only true later
        ("3", date(1980, 6, 1), "unverified"),  # before the reference knows anything
    ],
)
def test_counts_are_judged_at_their_date(mini, value, as_of, verdict):
    result = judge(claim(value=value, value_text=value, as_of=as_of, **COUNT), mini)
    assert result.verdict == verdict


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("nearly 5", "supported"),  # 4 members: a little under 5
        ("almost four", "outdated"),  # 4 now is not "almost 4"; 3 before was
        ("nearly 7", "contradicted"),
        ("just over 3", "supported"),
        ("just over 4", "contradicted"),
        ("about 4", "supported"),
    ],
)
def test_a_one_sided_hedge_is_read_on_its_side(mini, text, verdict):
    value = text.split()[-1].replace("four", "4")
    result = judge(claim(value=value, value_text=text, **COUNT), mini)
    assert result.verdict == verdict


def test_outdated_explains_when_it_was_true_and_what_holds_now(mini):
    result = judge(claim(value="3", value_text="three", **COUNT), mini)
    assert result.explanation == (
        "Northern Pact's number of members was 3 from 1990-05-01 to 2005-01-01; "
        "it was 4 on 2024-06-01, the article's date."
    )
    assert result.reference_value == "4"
    assert result.fact is not None and result.fact.fact_id == "np-count-2005"


def test_a_claim_over_a_period_is_true_if_it_held_at_some_point(mini):
    year_2005 = {"period_start": date(2004, 7, 1), "as_of": date(2005, 6, 30)}
    assert judge(claim(value="3", **COUNT, **year_2005), mini).verdict == "supported"
    assert judge(claim(value="4", **COUNT, **year_2005), mini).verdict == "supported"


def test_tolerance_applies_to_numbers(mini):
    population = {"entity": "Ruritania", "attribute": "population"}
    assert judge(claim(value="4,250,000", **population), mini).verdict == "supported"
    assert judge(claim(value="4,500,000", **population), mini).verdict == "contradicted"


@pytest.mark.parametrize(
    ("text", "value", "verdict"),
    [
        ("more than 3", "3", "supported"),
        ("more than 4", "4", "contradicted"),
        ("at least 4", "4", "supported"),
        ("fewer than 4", "4", "outdated"),  # 3 members until 2005
        ("no more than 4", "4", "supported"),
        ("about 4", "4", "supported"),
    ],
)
def test_a_hedged_number_is_judged_as_a_bound(mini, text, value, verdict):
    hedged = claim(value=value, value_text=text, **COUNT)
    assert judge(hedged, mini).verdict == verdict


@pytest.mark.parametrize(("value", "verdict"), [("4", "contradicted"), ("3", "supported")])
def test_a_denied_count_is_judged_the_other_way(mini, value, verdict):
    assert judge(claim(value=value, negated=True, **COUNT), mini).verdict == verdict


def test_an_unclear_time_leaves_the_claim_unverified(mini):
    result = judge(claim(value="3", time_source="unclear", time_text="the 1990s", **COUNT), mini)
    assert result.verdict == "unverified" and "the 1990s" in result.explanation


def test_an_unparsable_value_is_unverified(mini):
    assert judge(claim(value="lots", **COUNT), mini).verdict == "unverified"


def test_a_stale_checked_claim_id_is_unverified(mini):
    result = judge(claim(kind="checked", checked_claim_id="gone", similarity=0.9), mini)
    assert result.verdict == "unverified"


def test_repeated_sentences_get_distinct_finding_ids(mini):
    article = Article(id="a.txt", text="", published=date(2024, 6, 1))
    same = claim(sentence="NP has 4 members.", start=7, end=16, value="4", **COUNT)
    first, second = check([same, same], mini, article=article)
    assert first.finding_id != second.finding_id


@pytest.mark.parametrize(
    ("value", "verdict"), [("2", "outdated"), ("5", "supported"), ("3", "contradicted")]
)
def test_ranks(mini, value, verdict):
    result = judge(claim(value=value, entity="Ruritania", attribute="gdp_rank"), mini)
    assert result.verdict == verdict


@pytest.mark.parametrize(("value", "verdict"), [("1990", "supported"), ("1991", "contradicted")])
def test_years_are_timeless_events(mini, value, verdict):
    result = judge(
        claim(value=value, entity="Northern Pact", attribute="founded", as_of=date(1995, 1, 1)),
        mini,
    )
    assert result.verdict == verdict


@pytest.mark.parametrize(
    ("value", "verdict"),
    [("2005-01-01", "supported"), ("January 2005", "supported"), ("2006-01-01", "contradicted")],
)
def test_dates_match_at_their_precision(mini, value, verdict):
    result = judge(
        claim(value=value, value_text=value, entity="Grand Fenwick", attribute="pact_accession"),
        mini,
    )
    assert result.verdict == verdict


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        ("1990", "supported"),  # coarser than the fact, and it holds it
        ("May 1990", "supported"),
        ("June 1990", "contradicted"),  # as precise as the fact, and another month
        ("1991", "contradicted"),
        ("12 May 1990", "unverified"),  # finer than the fact: the day is not known
    ],
)
def test_a_date_fact_known_only_to_the_month_settles_what_it_can(mini, value, verdict):
    result = judge(
        claim(value=value, value_text=value, entity="Treaty of Zenda", attribute="signed"),
        mini,
    )
    assert result.verdict == verdict
    if verdict == "unverified":
        assert "does not give it as precisely" in result.explanation


LIST = {"kind": "list", "entity": "Northern Pact", "attribute": "members"}


@pytest.mark.parametrize(
    ("items", "complete", "as_of", "verdict"),
    [
        ("Ruritania|Grand Fenwick", False, date(2024, 6, 1), "supported"),
        ("Ruritania|Freedonia|Sylvania", False, date(2024, 6, 1), "supported"),
        ("Ruritania|Freedonia|Sylvania", True, date(2024, 6, 1), "outdated"),
        ("Ruritania|Freedonia|Sylvania", True, date(2001, 6, 1), "supported"),
        ("Ruritania|Grand Fenwick", False, date(2001, 6, 1), "contradicted"),
        ("Ruritania|Freedonia", True, date(2024, 6, 1), "contradicted"),
    ],
)
def test_lists_are_compared_as_sets(mini, items, complete, as_of, verdict):
    result = judge(claim(value=items, complete=complete, as_of=as_of, **LIST), mini)
    assert result.verdict == verdict


OBSERVERS = {"kind": "list", "entity": "Northern Pact", "attribute": "observers"}


@pytest.mark.parametrize(
    ("items", "complete", "verdict"),
    [
        ("Sylvania|Grand Fenwick", True, "outdated"),  # the whole list ended in 2005
        ("Sylvania", False, "unverified"),  # Sylvania may still be one: not known
        ("Sylvania|Ruritania", True, "unverified"),  # never the list: nothing to compare now
    ],
)
def test_a_whole_list_that_stopped_holding_is_outdated(mini, items, complete, verdict):
    result = judge(claim(value=items, complete=complete, **OBSERVERS), mini)
    assert result.verdict == verdict


def test_a_counted_list_shows_its_count_with_its_items(mini):
    article = Article(id="a.txt", text="", published=date(2024, 6, 1))
    items = "Ruritania|Freedonia|Sylvania|Grand Fenwick"
    (finding,) = check(
        [claim(value=items, complete=True, counted=4, **LIST)], mini, article=article
    )
    assert (finding.claimed_value, finding.verdict) == (f"4: {items}", "supported")


def test_a_wrong_list_item_is_named(mini):
    result = judge(claim(value="Ruritania|Grand Fenwick", as_of=date(2001, 6, 1), **LIST), mini)
    assert result.explanation.startswith("Grand Fenwick is not among Northern Pact's members")


OFFICE = {"kind": "office", "attribute": "prime_minister"}


@pytest.mark.parametrize(
    ("name", "entity", "former", "verdict"),
    [
        ("Flavia Elphberg", "", False, "supported"),
        ("Elphberg", "", False, "supported"),
        ("F. Elphberg", "", False, "supported"),
        ("Rudolf Rassendyll", "", False, "outdated"),
        ("Rudolf Rassendyll", "", True, "supported"),  # "former Prime Minister"
        ("Flavia Elphberg", "", True, "contradicted"),  # still in office
        ("Rudolf Rassendyll", "Ruritania", False, "outdated"),
        ("Michael Elphberg", "Ruritania", False, "contradicted"),
        ("Someone Unknown", "", False, "unverified"),
    ],
)
def test_office_holders(mini, name, entity, former, verdict):
    result = judge(claim(value=name, entity=entity, former=former, **OFFICE), mini)
    assert result.verdict == verdict


def test_an_office_found_by_its_holder_reports_the_country(mini):
    article = Article(id="a.txt", text="", published=date(2024, 6, 1))
    (finding,) = check([claim(value="Flavia Elphberg", **OFFICE)], mini, article=article)
    assert finding.entity == "Ruritania"


def test_a_past_holder_at_the_claims_own_time_is_just_the_holder_then(mini):
    in_2015 = {
        "period_start": date(2015, 1, 1),
        "as_of": date(2015, 12, 31),
        "time_source": "claim",
    }
    result = judge(claim(value="Rudolf Rassendyll", former=True, **OFFICE, **in_2015), mini)
    assert result.verdict == "supported"
    result = judge(claim(value="Flavia Elphberg", former=True, **OFFICE, **in_2015), mini)
    assert result.verdict == "contradicted"


def test_office_found_by_its_holder_names_the_country(mini):
    result = judge(claim(value="Rudolf Rassendyll", **OFFICE), mini)
    assert "Ruritania's Prime Minister was Rudolf Rassendyll" in result.explanation
    assert "Flavia Elphberg" in result.explanation


@pytest.mark.parametrize(
    ("claimed", "actual", "same"),
    [
        ("Kishida", "Fumio Kishida", True),
        ("Fumio Kishida", "Fumio Kishida", True),
        ("F. Kishida", "Fumio Kishida", True),
        ("Fumio Kishimoto", "Fumio Kishida", False),
        ("Fumio", "Fumio Kishida", False),
        ("Jill Biden", "Joe Biden", False),
        ("Joseph Biden", "Joe Biden", True),  # the full form of a short given name
        ("Michael Kennedy Moore", "Mike Moore", True),  # and a middle name
        ("Steve Tessel", "Stephen Tessel", True),
        ("Mike Tessel", "Mark Tessel", False),
        ("the Rt Hon Flavia Elphberg QC", "Flavia Elphberg", True),
        ("Dr Flavia Elphberg", "Flavia Elphberg", True),
        ("Dr Flavia Tessel", "Flavia Elphberg", False),
        ("Rudolf Rassendyll Sr.", "Rudolf Rassendyll Jr.", False),
    ],
)
def test_names_match(claimed, actual, same):
    assert names_match(claimed, actual) is same


PROVISION = {"kind": "provision", "entity": "Treaty of Zenda", "attribute": "provision"}


def test_a_provision_restated_is_supported(mini):
    text = "Article 3 of the Treaty of Zenda commits the parties to defend each other"
    result = judge(claim(sentence=text, end=len(text), value="Article 3", **PROVISION), mini)
    assert result.verdict == "supported"


def test_a_provision_not_restated_is_left_unverified(mini):
    text = "Article 3 of the Treaty of Zenda sets the price of cheese"
    result = judge(claim(sentence=text, end=len(text), value="Article 3", **PROVISION), mini)
    assert result.verdict == "unverified"
    assert "defend each other" in result.explanation


def test_an_unknown_provision_is_unverified(mini):
    result = judge(claim(value="Article 99", **PROVISION), mini)
    assert result.verdict == "unverified"


def test_provision_similarity_ignores_the_instrument_name():
    score = provision_similarity(
        "Article 3 of the Zenda Treaty defends parties",
        "the parties defend",
        ignore=["Zenda Treaty", "Article 3"],
    )
    assert score == 1.0


CHECKED = {"kind": "checked", "similarity": 0.9, "value": "x"}


@pytest.mark.parametrize(
    ("claim_id", "negated", "verdict"),
    [
        ("rur-capital-volcano", False, "contradicted"),
        ("rur-capital-volcano", True, "supported"),
        ("np-unanimity", False, "supported"),
        ("np-unanimity", True, "contradicted"),
    ],
)
def test_checked_claims_take_their_verdict_or_its_opposite(mini, claim_id, negated, verdict):
    result = judge(claim(checked_claim_id=claim_id, negated=negated, **CHECKED), mini)
    assert result.verdict == verdict
    assert 0.7 < result.confidence <= 0.9


def test_quotes_and_statistics_are_unverified(mini):
    quote = judge(claim(kind="quote", speaker="Flavia Elphberg"), mini)
    assert quote.verdict == "unverified" and "Flavia Elphberg" in quote.explanation
    stat = judge(claim(kind="statistic", value_text="40,000 tonnes", entity="Ruritania"), mini)
    assert stat.verdict == "unverified" and "40,000 tonnes" in stat.explanation


def test_an_entity_without_facts_is_unverified(mini):
    result = judge(claim(value="9", entity="Sylvania", attribute="member_count"), mini)
    assert result.verdict == "unverified"
    assert "no fact on Sylvania's number of members" in result.explanation


def test_findings_carry_the_evidence(mini):
    article = Article(id="a.txt", text="", published=date(2024, 6, 1))
    base = claim(sentence="NP has 3 members.", start=7, end=16, value="3", value_text="3", **COUNT)
    (finding,) = check([base], mini, article=article)
    assert finding.verdict == "outdated"
    assert finding.claim == "3 members"
    assert finding.fact_id == "np-count-2005"
    assert finding.source == "https://example.org/np/history"
    assert finding.published == "2024-06-01" and finding.as_of == "2024-06-01"
    assert 0 < finding.confidence <= 1


def test_finding_ids_are_stable_and_distinct():
    base = claim(sentence="NP has 3 members.", start=7, end=16, value="3", **COUNT)
    assert finding_id("a.txt", base) == finding_id("a.txt", replace(base, sentence_start=99))
    assert finding_id("a.txt", base) != finding_id("b.txt", base)
    assert finding_id("a.txt", base) != finding_id("a.txt", replace(base, end=15))


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        (
            "Article 7 of the Treaty of Zenda lets a member leave after two years' notice",
            "supported",
        ),
        (
            "Article 7 of the Treaty of Zenda lets a member leave after ten years' notice",
            "outdated",
        ),
    ],
)
def test_a_provision_is_judged_against_the_text_in_force(mini, text, verdict):
    found = judge(claim(sentence=text, end=len(text), value="Article 7", **PROVISION), mini)
    assert found.verdict == verdict


def test_a_claim_over_a_whole_span_needs_the_fact_for_all_of_it(mini):
    span = {
        "period_start": date(2012, 1, 1),
        "as_of": date(2019, 12, 31),
        "time_source": "claim",
        "time_text": "from 2012 to 2019",
        "throughout": True,
    }
    assert judge(claim(value="Rudolf Rassendyll", **OFFICE, **span), mini).verdict == "supported"
    result = judge(claim(value="Flavia Elphberg", **OFFICE, **span), mini)
    assert result.verdict == "contradicted" and "not throughout" in result.explanation


@pytest.mark.parametrize(
    ("item", "negated", "verdict"),
    [
        ("Sylvania", False, "supported"),
        ("Sylvania", True, "contradicted"),
        ("Narnia", True, "supported"),
    ],
)
def test_one_listed_item_and_its_denial(mini, item, negated, verdict):
    result = judge(claim(value=item, negated=negated, **LIST), mini)
    assert result.verdict == verdict


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        ("4", "unverified"),  # true of the pact, false of the league: the readings disagree
        ("9", "contradicted"),  # false whichever group "it" is
        ("6", "unverified"),
    ],
)
def test_a_claim_is_flagged_or_supported_only_when_its_readings_agree(mini, value, verdict):
    both = claim(value=value, value_text=value, readings="Southern League", **COUNT)
    result = judge(both, mini)
    assert result.verdict == verdict
    if verdict == "unverified":
        assert "Northern Pact" in result.explanation and "Southern League" in result.explanation


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        ("2010", "unverified"),  # not when it withdrew, but when it was suspended: "left" fits
        ("2021", "unverified"),  # it withdrew then, but as a suspension it is wrong
        ("2015", "contradicted"),  # neither
    ],
)
def test_left_is_read_as_a_withdrawal_and_as_a_suspension(mini, value, verdict):
    left = claim(
        value=value,
        value_text=value,
        entity="Grand Fenwick",
        attribute="pact_withdrawal",
        readings="@pact_suspension",
    )
    assert judge(left, mini).verdict == verdict


def test_denying_membership_after_the_state_joined_is_outdated(mini):
    """ "Grand Fenwick is not a member" was true until it joined in 2005."""
    late = judge(claim(value="Grand Fenwick", negated=True, **LIST), mini)
    assert late.verdict == "outdated" and "2005-01-01" in late.explanation
    early = judge(claim(value="Grand Fenwick", negated=True, as_of=date(2001, 1, 1), **LIST), mini)
    assert early.verdict == "supported"
    founder = judge(claim(value="Ruritania", negated=True, **LIST), mini)
    assert founder.verdict == "contradicted"  # a member in every list the reference has


@pytest.mark.parametrize(
    ("value", "region", "as_of", "verdict"),
    [
        ("2", "Southlands", date(2024, 6, 1), "supported"),  # Freedonia, Grand Fenwick
        ("1", "Southlands", date(2024, 6, 1), "outdated"),  # right before Fenwick joined
        ("1", "Southlands", date(2001, 1, 1), "supported"),
        ("3", "Southlands", date(2024, 6, 1), "contradicted"),
        # Fenwick lies only partly in the Northlands: 2 or 3 by the definition, so neither
        # is supported and neither is flagged; 4 is wrong by every definition.
        ("2", "Northlands", date(2024, 6, 1), "unverified"),
        ("3", "Northlands", date(2024, 6, 1), "unverified"),
        ("4", "Northlands", date(2024, 6, 1), "contradicted"),
        # Counted alongside the Southlands, where it lies without dispute, Fenwick is not
        # counted in the Northlands: 2 there.
        ("2", "Northlands|Southlands", date(2024, 6, 1), "supported"),
        ("3", "Northlands|Southlands", date(2024, 6, 1), "contradicted"),
    ],
)
def test_a_count_of_members_in_a_region(mini, value, region, as_of, verdict):
    result = judge(claim(value=value, part=region, as_of=as_of, **LIST | {"kind": "value"}), mini)
    assert result.verdict == verdict, result.explanation


def test_a_region_count_is_unverified_where_a_members_region_is_unknown(mini):
    southern = {"kind": "value", "entity": "Southern League", "attribute": "member_count"}
    result = judge(claim(value="2", part="Southlands", **southern), mini)
    assert result.verdict == "unverified"


@pytest.mark.parametrize(
    ("item", "as_of", "verdict"),
    [
        ("Grand Fenwick", date(2024, 6, 1), "supported"),  # joined last, in 2005
        ("Freedonia", date(2024, 6, 1), "contradicted"),  # a founder
        ("Grand Fenwick", date(2001, 1, 1), "unverified"),  # no one had joined since 1990
    ],
)
def test_the_newest_member_is_among_those_that_joined_last(mini, item, as_of, verdict):
    result = judge(claim(value=item, derived="newest", as_of=as_of, **LIST), mini)
    assert result.verdict == verdict, result.explanation


@pytest.mark.parametrize(
    ("since", "verdict", "said"),
    [
        (date(2006, 12, 31), "supported", "the same from 2005-01-01"),
        (date(1990, 12, 31), "outdated", "Grand Fenwick joined"),  # it joined in 2005
        (date(1980, 12, 31), "unverified", "no list"),  # before the pact existed
    ],
)
def test_a_membership_unchanged_since_then(mini, since, verdict, said):
    result = judge(claim(value="", derived="unchanged", period_start=since, **LIST), mini)
    assert result.verdict == verdict and said in result.explanation, result.explanation


def test_an_office_holder_shows_the_references_spelling_where_it_differs(mini):
    article = Article(id="a.txt", text="x", published=date(2024, 6, 1))
    written = claim(value="Rudi Rassendyll", entity="Ruritania", **OFFICE)
    (finding,) = check([written], mini, article=article)
    assert finding.claimed_value == "Rudi Rassendyll"  # no short form known: no match
    full = claim(value="Rudolf A. Rassendyll", entity="Ruritania", **OFFICE)
    (finding,) = check([full], mini, article=article)
    assert finding.claimed_value == "Rudolf A. Rassendyll (Rudolf Rassendyll)"
    assert finding.verdict == "outdated"


@pytest.mark.parametrize(
    ("item", "negated", "as_of", "verdict"),
    [
        ("Grand Fenwick", True, date(2024, 6, 1), "outdated"),  # joined 2010-03-01
        ("Grand Fenwick", True, date(2005, 1, 1), "supported"),
        ("Grand Fenwick", False, date(2024, 6, 1), "supported"),
        ("Grand Fenwick", False, date(2005, 1, 1), "contradicted"),
        ("Ruritania", False, date(2012, 5, 20), "unverified"),  # joined in that very month
        ("Sylvania", True, date(2024, 6, 1), "unverified"),  # no date it joined: unknown
    ],
)
def test_membership_of_a_group_with_no_lists_by_the_dates_states_joined(
    mini, item, negated, as_of, verdict
):
    league = {"kind": "list", "entity": "Southern League", "attribute": "members"}
    result = judge(claim(value=item, negated=negated, as_of=as_of, **league), mini)
    assert result.verdict == verdict, result.explanation


def test_a_provision_placed_in_the_wrong_article_is_contradicted(mini):
    zenda = {"kind": "provision", "entity": "Treaty of Zenda", "attribute": "provision"}
    text = "Article 3 lets a member leave the pact after giving two years' notice."
    wrong = judge(claim(sentence=text, end=len(text), value="Article 3", **zenda), mini)
    assert wrong.verdict == "contradicted" and "Article 7" in wrong.explanation
    text = "Article 3 binds the parties to defend each other."
    right = judge(claim(sentence=text, end=len(text), value="Article 3", **zenda), mini)
    assert right.verdict == "supported"
    text = "Article 3 was much debated."  # restates no article: left to an editor
    vague = judge(claim(sentence=text, end=len(text), value="Article 3", **zenda), mini)
    assert vague.verdict == "unverified"


@pytest.mark.parametrize(
    ("item", "order", "verdict"),
    [
        ("Grand Fenwick", 4, "supported"),  # three founders, then Fenwick
        ("Grand Fenwick", 5, "contradicted"),
        ("Sylvania", 2, "unverified"),  # a founder: places 1 to 3, the order of a day unknown
        ("Sylvania", 4, "contradicted"),
    ],
)
def test_a_place_in_the_order_of_joining(mini, item, order, verdict):
    result = judge(claim(value=item, derived="order", order=order, **LIST), mini)
    assert result.verdict == verdict, result.explanation


@pytest.mark.parametrize(
    ("value", "as_of", "verdict"),
    [
        ("1", date(2024, 6, 1), "supported"),  # Fenwick, 2005
        ("2", date(2024, 6, 1), "contradicted"),
        ("1", date(2001, 1, 1), "contradicted"),  # none yet
        ("0", date(2024, 6, 1), "outdated"),  # true until Fenwick joined
    ],
)
def test_how_many_times_the_group_enlarged(mini, value, as_of, verdict):
    result = judge(claim(value=value, derived="enlargements", as_of=as_of, **LIST), mini)
    assert result.verdict == verdict, result.explanation


def test_history_needs_lists_from_the_founding(mini):
    late = claim(value="Grand Fenwick", derived="order", order=4, **LIST)
    facts = [f for f in mini.facts_for("Northern Pact", "members") if f.valid_from.year > 2000]
    from pipeline.check import _judge_order

    assert _judge_order(late, mini, facts).verdict == "unverified"


@pytest.mark.parametrize(
    ("counted", "verdict"),
    [
        (4, "unverified"),  # the right size, but a name was not read
        (3, "outdated"),  # the size of the list until 2005
        (5, "contradicted"),
    ],
)
def test_a_whole_list_with_unread_names_is_judged_by_its_size(mini, counted, verdict):
    partial = claim(value="Ruritania|Freedonia", counted=counted, complete=False, **LIST)
    result = judge(partial, mini)
    assert result.verdict == verdict, result.explanation


def test_a_claim_only_reported_is_neither_flagged_nor_supported(mini):
    wrong = claim(value="5", value_text="5", framing="reported", **COUNT)
    right = claim(value="4", value_text="4", framing="reported", **COUNT)
    assert judge(wrong, mini).verdict == judge(right, mini).verdict == "unverified"
    assert "reports" in judge(wrong, mini).explanation


def test_an_unsettled_part_keeps_a_claim_from_support_but_not_from_a_flag(mini):
    right = claim(value="4", value_text="4", unsettled="use one currency", **COUNT)
    wrong = claim(value="5", value_text="5", unsettled="use one currency", **COUNT)
    assert judge(right, mini).verdict == "unverified"
    assert judge(wrong, mini).verdict == "contradicted"


def test_a_reading_as_another_attribute_that_nothing_settles_blocks_support(mini):
    """ "Fenwick left in 2021": withdrawn then, by the reference; "left" may also mean
    suspended, which the reference dates otherwise: not supported."""
    left = {
        "entity": "Grand Fenwick",
        "attribute": "pact_withdrawal",
        "readings": "@pact_suspension",
    }
    assert judge(claim(value="2021", value_text="2021", **left), mini).verdict == "unverified"
    alone = {"entity": "Grand Fenwick", "attribute": "pact_withdrawal"}
    assert judge(claim(value="2021", value_text="2021", **alone), mini).verdict == "supported"


def test_a_denied_place_in_the_order_of_joining(mini):
    denied = claim(value="Grand Fenwick", derived="order", order=4, negated=True, **LIST)
    assert judge(denied, mini).verdict == "contradicted"
    wrong = claim(value="Grand Fenwick", derived="order", order=7, negated=True, **LIST)
    assert judge(wrong, mini).verdict == "supported"


@pytest.mark.parametrize(
    ("state", "negated", "verdict"),
    [
        ("Sylvania", False, "supported"),  # in the Northlands, as the rule requires
        ("Freedonia", False, "contradicted"),  # in the Southlands
        ("Freedonia", True, "supported"),  # "Freedonia cannot join"
        ("Grand Fenwick", False, "unverified"),  # partly in the Northlands
        ("*", False, "contradicted"),  # "any state may join"
    ],
)
def test_who_may_join_by_the_membership_rule(mini, state, negated, verdict):
    rule = {"kind": "list", "entity": "Northern Pact", "attribute": "eligible_region"}
    result = judge(claim(value=state, derived="eligible", negated=negated, **rule), mini)
    assert result.verdict == verdict, result.explanation
    assert verdict == "unverified" or "Treaty of Zenda" in result.explanation


@pytest.mark.parametrize(
    ("state", "negated", "reason", "verdict"),
    [
        # Outside the rule's regions: it cannot join, but not for some other reason.
        ("Freedonia", True, "because of its monarchy", "contradicted"),
        ("Freedonia", False, "if it changed its laws", "contradicted"),
        # Inside them: the rule is met, but it is not all a member must meet.
        ("Sylvania", True, "", "unverified"),
        ("Sylvania", True, "because of its monarchy", "unverified"),
        ("Sylvania", False, "if it changed its laws", "unverified"),
    ],
)
def test_the_reason_given_for_who_may_join(mini, state, negated, reason, verdict):
    rule = {"kind": "list", "entity": "Northern Pact", "attribute": "eligible_region"}
    result = judge(
        claim(value=state, derived="eligible", negated=negated, reason=reason, **rule), mini
    )
    assert result.verdict == verdict, result.explanation
    assert reason in result.explanation


@pytest.mark.parametrize(
    ("item", "order", "verdict"),
    [
        ("Grand Fenwick", 1, "supported"),  # the first to join after the three founders
        ("Grand Fenwick", 2, "contradicted"),
        ("Sylvania", 1, "contradicted"),  # a founder
    ],
)
def test_a_place_after_the_founders(mini, item, order, verdict):
    after = claim(value=item, derived="order_after_founders", order=order, **LIST)
    result = judge(after, mini)
    assert result.verdict == verdict, result.explanation
