"""Tests for pipeline.claimreview: which findings are exported, the ClaimReview fields, the file."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from pipeline.claimreview import (
    ClaimReviewExport,
    Publisher,
    claim_reviews,
    export_claim_reviews,
    load_publisher,
    parse_simple_toml,
    review_url,
    to_jsonld,
    write_claimreview,
)
from pipeline.errors import UsageError
from pipeline.models import Finding

PUBLISHER = Publisher(
    name="Harbour Gazette Fact Desk",
    url="https://news.example.org/fact-checks",
    logo="https://news.example.org/logo.png",
)
BASE = Finding(
    finding_id="f-001",
    article="harbour-2024-03",
    published="2024-03-02",
    as_of="2024-03-02",
    sentence="  The Lakeside Rowing Union has\n14 member clubs.  ",
    start=32,
    end=47,
    claim="14 member clubs",
    entity="Lakeside Rowing Union",
    attribute="member_count",
    claimed_value="14",
    reference_value="16",
    verdict="contradicted",
    confidence=0.9,
    fact_id="lru-members-2023",
    source="https://rowing.example.net/members",
    explanation="The Lakeside Rowing Union has had 16 member clubs since 2023-06-01.",
    kind="value",
    title="Regatta season opens",
    url="https://harbour.example.com/2024/03/regatta",
    flag_status="confirmed",
    flag_note="checked with the union",
    flag_by="editor",
    flagged_at="2024-03-05T14:20:00+00:00",
)
CONTRADICTED = BASE
OUTDATED = dataclasses.replace(
    BASE,
    finding_id="f-002",
    verdict="outdated",
    reference_value="Anna Berg|Omar Reyes",
    explanation="Two captains lead the union since 2024-01-01; one did before.",
    flagged_at="2024-03-06",
)
REVIEW_KEYS = [
    "@context",
    "@type",
    "url",
    "claimReviewed",
    "itemReviewed",
    "author",
    "datePublished",
    "reviewRating",
    "reviewBody",
]
RATING_KEYS = [
    "@type",
    "ratingValue",
    "bestRating",
    "worstRating",
    "alternateName",
    "name",
    "ratingExplanation",
]


def finding(**changes: object) -> Finding:
    """The base finding with some fields changed."""
    return dataclasses.replace(BASE, **changes)


def only_review(found: Finding) -> dict:
    """The one ClaimReview exported for `found`."""
    (review,) = claim_reviews([found], publisher=PUBLISHER)
    return review


@pytest.mark.parametrize("found", [CONTRADICTED, OUTDATED], ids=["contradicted", "outdated"])
def test_claimreview_has_required_and_recommended_fields_with_right_types(found):
    review = only_review(found)
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert isinstance(review["claimReviewed"], str) and review["claimReviewed"]
    assert review["url"].startswith("https://news.example.org/fact-checks#")
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert isinstance(rating["alternateName"], str) and rating["alternateName"]
    assert rating["name"] == rating["alternateName"]
    for key in ("ratingValue", "bestRating", "worstRating"):
        assert isinstance(rating[key], int)
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert review["author"] == {
        "@type": "Organization",
        "name": "Harbour Gazette Fact Desk",
        "url": "https://news.example.org/fact-checks",
        "logo": "https://news.example.org/logo.png",
    }
    assert isinstance(review["datePublished"], str)
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["datePublished"] == "2024-03-02"
    assert item["appearance"] == [
        {
            "@type": "CreativeWork",
            "url": "https://harbour.example.com/2024/03/regatta",
            "headline": "Regatta season opens",
            "datePublished": "2024-03-02",
        }
    ]
    assert isinstance(review["reviewBody"], str) and review["reviewBody"]


def test_claim_reviewed_is_the_sentence_trimmed():
    assert only_review(BASE)["claimReviewed"] == "The Lakeside Rowing Union has 14 member clubs."


@pytest.mark.parametrize(
    ("flagged_at", "expected"),
    [("2024-03-05T14:20:00+00:00", "2024-03-05"), ("2024-03-06", "2024-03-06")],
)
def test_date_published_is_the_date_of_the_decision(flagged_at, expected):
    assert only_review(finding(flagged_at=flagged_at))["datePublished"] == expected


@pytest.mark.parametrize("flagged_at", ["", "soon"])
def test_date_published_is_left_out_when_the_decision_date_is_unknown(flagged_at):
    assert "datePublished" not in only_review(finding(flagged_at=flagged_at))


def test_claim_has_no_author_because_none_is_known():
    assert "author" not in only_review(BASE)["itemReviewed"]


def test_unknown_title_and_date_are_left_out_of_the_appearance():
    review = only_review(finding(title=" ", published=""))
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "firstAppearance": {"@type": "CreativeWork", "url": BASE.url},
        "appearance": [{"@type": "CreativeWork", "url": BASE.url}],
    }


def test_author_has_no_logo_when_none_is_given():
    publisher = Publisher(name="Desk", url="https://desk.example.org/")
    (review,) = claim_reviews([BASE], publisher=publisher)
    assert review["author"] == {"@type": "Organization", "name": "Desk", "url": publisher.url}


@pytest.mark.parametrize(
    ("verdict", "value", "label"), [("contradicted", 1, "False"), ("outdated", 2, "Outdated")]
)
def test_rating_value_and_alternate_name_follow_the_verdict(verdict, value, label):
    rating = only_review(finding(verdict=verdict))["reviewRating"]
    assert (rating["ratingValue"], rating["alternateName"]) == (value, label)
    assert (rating["bestRating"], rating["worstRating"]) == (5, 1)


def test_review_body_carries_explanation_correction_and_source():
    assert only_review(OUTDATED)["reviewBody"] == (
        "Two captains lead the union since 2024-01-01; one did before. "
        "Correction: Anna Berg, Omar Reyes. Source: https://rowing.example.net/members"
    )


def test_rating_explanation_is_the_explanation():
    assert only_review(BASE)["reviewRating"]["ratingExplanation"] == BASE.explanation


@pytest.mark.parametrize(
    ("url", "finding_id", "expected"),
    [
        (
            "https://news.example.org/fact-checks",
            "f-001",
            "https://news.example.org/fact-checks#f-001",
        ),
        ("https://news.example.org/checks#top", "f-001", "https://news.example.org/checks#f-001"),
        ("https://news.example.org/", "a b#c", "https://news.example.org/#a%20b%23c"),
    ],
)
def test_review_url_is_an_anchor_on_the_publisher_page(url, finding_id, expected):
    assert review_url(Publisher(name="Desk", url=url), finding_id) == expected


@pytest.mark.parametrize("status", ["disputed", "dismissed", "open", ""])
def test_only_confirmed_findings_are_exported_by_default(status):
    assert claim_reviews([finding(flag_status=status)], publisher=PUBLISHER) == []


@pytest.mark.parametrize("verdict", ["supported", "unverified"])
def test_supported_and_unverified_are_never_exported_even_when_confirmed(verdict):
    export = export_claim_reviews(
        [finding(verdict=verdict)], publisher=PUBLISHER, statuses=("confirmed", "open")
    )
    assert export == ClaimReviewExport(reviews=[], skipped=[])


def test_statuses_widens_the_export():
    findings = [
        finding(finding_id=f"f-{status}", flag_status=status)
        for status in ("confirmed", "open", "dismissed")
    ]
    reviews = claim_reviews(findings, publisher=PUBLISHER, statuses=["confirmed", "open"])
    assert [review["url"].rsplit("#", 1)[1] for review in reviews] == ["f-confirmed", "f-open"]


def test_a_single_status_string_is_one_status():
    assert len(claim_reviews([BASE], publisher=PUBLISHER, statuses="confirmed")) == 1


def test_an_unknown_status_is_a_usage_error():
    with pytest.raises(UsageError) as error:
        claim_reviews([BASE], publisher=PUBLISHER, statuses=("confirmd",))
    assert str(error.value) == (
        "unknown flag status 'confirmd': use one of confirmed, disputed, dismissed, open"
    )


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"url": ""}, "no article URL: a ClaimReview must name where the claim appears"),
        ({"url": "  "}, "no article URL: a ClaimReview must name where the claim appears"),
        ({"url": "sources/a.html"}, "article URL 'sources/a.html' is not an http(s) URL"),
        ({"sentence": " \n"}, "no sentence: nothing to put in claimReviewed"),
    ],
)
def test_a_finding_that_cannot_have_a_review_is_skipped_with_a_reason(changes, reason):
    export = export_claim_reviews([finding(**changes), OUTDATED], publisher=PUBLISHER)
    assert export.skipped == [("f-001", reason)]
    assert [review["url"] for review in export.reviews] == [review_url(PUBLISHER, "f-002")]


def test_a_skipped_finding_must_first_pass_the_filters():
    export = export_claim_reviews([finding(url="", flag_status="open")], publisher=PUBLISHER)
    assert export.skipped == []


def test_reviews_keep_input_order_and_a_stable_key_order():
    reviews = claim_reviews([OUTDATED, CONTRADICTED], publisher=PUBLISHER)
    assert [review["reviewRating"]["alternateName"] for review in reviews] == ["Outdated", "False"]
    for review in reviews:
        assert list(review) == REVIEW_KEYS
        assert list(review["reviewRating"]) == RATING_KEYS
        item_keys = ["@type", "firstAppearance", "appearance", "datePublished"]
        assert list(review["itemReviewed"]) == item_keys
    assert to_jsonld(reviews) == to_jsonld(
        claim_reviews([OUTDATED, CONTRADICTED], publisher=PUBLISHER)
    )


def test_written_file_round_trips(tmp_path):
    reviews = claim_reviews(
        [CONTRADICTED, finding(finding_id="f-3", sentence="Zürich & Genève > 2")],
        publisher=PUBLISHER,
    )
    path = tmp_path / "claimreview.json"
    write_claimreview(path, reviews)
    assert json.loads(path.read_text(encoding="utf-8")) == reviews


def test_written_file_is_utf8_and_pretty(tmp_path):
    path = tmp_path / "claimreview.json"
    write_claimreview(
        path, claim_reviews([finding(sentence="Zürich has 3 clubs.")], publisher=PUBLISHER)
    )
    text = path.read_text(encoding="utf-8")
    assert "Zürich" in text
    assert text.startswith("[\n  {\n") and text.endswith("]\n")


@pytest.mark.parametrize(
    "sentence", ["It ends here </script><script>alert(1)</script>", "a <!-- b & c"]
)
def test_markup_characters_are_escaped_in_the_written_file(tmp_path, sentence):
    path = tmp_path / "claimreview.json"
    reviews = claim_reviews([finding(sentence=sentence)], publisher=PUBLISHER)
    write_claimreview(path, reviews)
    text = path.read_text(encoding="utf-8")
    assert not {"<", ">", "&"} & set(text)
    assert json.loads(text)[0]["claimReviewed"] == sentence


def test_an_empty_export_writes_an_empty_array(tmp_path):
    path = tmp_path / "claimreview.json"
    write_claimreview(path, [])
    assert json.loads(path.read_text(encoding="utf-8")) == []


def test_write_replaces_the_file_atomically(tmp_path):
    path = tmp_path / "claimreview.json"
    path.write_text("old", encoding="utf-8")
    write_claimreview(path, claim_reviews([BASE], publisher=PUBLISHER))
    assert json.loads(path.read_text(encoding="utf-8"))[0]["@type"] == "ClaimReview"
    assert os.listdir(tmp_path) == ["claimreview.json"]


# --- load_publisher -------------------------------------------------------------------------


def write_config(tmp_path: Path, text: str) -> Path:
    """A config file with `text`."""
    path = tmp_path / "factcheck.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_publisher_reads_name_url_and_logo(tmp_path):
    path = write_config(
        tmp_path,
        '[report]\ntitle = "x"\n\n[publisher]\nname = "Harbour Gazette Fact Desk"  # us\n'
        'url = "https://news.example.org/fact-checks"\nlogo = "https://news.example.org/logo.png"\n',
    )
    assert load_publisher(path) == PUBLISHER


def test_load_publisher_logo_is_optional(tmp_path):
    path = write_config(tmp_path, '[publisher]\nname = "Desk"\nurl = "https://desk.example.org/"\n')
    assert load_publisher(path) == Publisher(name="Desk", url="https://desk.example.org/")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[site]\nname = "Desk"\n', "{path}: missing [publisher] table"),
        ('publisher = "Desk"\n', "{path}: publisher must be a table ([publisher])"),
        ('[publisher]\nurl = "https://desk.example.org/"\n', "{path}: publisher.name is missing"),
        ('[publisher]\nname = "Desk"\n', "{path}: publisher.url is missing"),
        (
            '[publisher]\nname = ""\nurl = "https://desk.example.org/"\n',
            "{path}: publisher.name must be a non-empty string",
        ),
        (
            '[publisher]\nname = 3\nurl = "https://desk.example.org/"\n',
            "{path}: publisher.name must be a non-empty string",
        ),
        (
            '[publisher]\nname = "Desk"\nurl = "desk.example.org"\n',
            "{path}: publisher.url must be an http(s) URL, not 'desk.example.org'",
        ),
        (
            '[publisher]\nname = "Desk"\nurl = "https://desk.example.org/"\nlogo = "logo.png"\n',
            "{path}: publisher.logo must be an http(s) URL, not 'logo.png'",
        ),
        (
            '[publisher]\nname = "Desk"\nurl = "https://d.example.org/"\nlogo_url = "x"\n',
            "{path}: publisher.logo_url is not a known key (use name, url, logo)",
        ),
    ],
)
def test_load_publisher_errors_name_the_file_and_key(tmp_path, text, message):
    path = write_config(tmp_path, text)
    with pytest.raises(UsageError) as error:
        load_publisher(path)
    assert str(error.value) == message.format(path=path)


def test_load_publisher_missing_file(tmp_path):
    path = tmp_path / "nope.toml"
    with pytest.raises(UsageError) as error:
        load_publisher(path)
    assert str(error.value) == f"{path}: no such file"


def test_load_publisher_invalid_toml_is_one_line(tmp_path):
    path = write_config(tmp_path, "[publisher\nname = \n")
    with pytest.raises(UsageError) as error:
        load_publisher(path)
    assert str(error.value).startswith(f"{path}: not valid TOML: ")
    assert "\n" not in str(error.value)


def test_simple_toml_reads_tables_strings_and_comments():
    text = (
        '# config\n[publisher]\nname = "Desk \\"A\\""  # note\n'
        "url = 'https://d.example.org/'\n\n[other]\nname = \"x\"\n"
    )
    assert parse_simple_toml(text, Path("c.toml")) == {
        "publisher": {"name": 'Desk "A"', "url": "https://d.example.org/"},
        "other": {"name": "x"},
    }


def test_simple_toml_rejects_what_it_cannot_read():
    with pytest.raises(UsageError) as error:
        parse_simple_toml("[publisher]\nname = 3\n", Path("c.toml"))
    assert str(error.value) == (
        'c.toml:2: cannot read this line on Python 3.10 (only [table] and key = "value"; '
        "use Python 3.11+ for full TOML)"
    )
