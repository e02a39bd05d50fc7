"""Export confirmed discrepancies as schema.org ClaimReview JSON-LD for fact-check aggregators.

Which findings become a ClaimReview: those whose editors' decision (`flag_status`) is in
`statuses` (only "confirmed" by default) AND whose verdict is contradicted or outdated. A
supported or unverified finding is never exported, whatever its status. A finding that passes
both filters but has no http(s) article URL cannot name the work the claim appears in, so it is
skipped and reported with a reason instead.

Rating scale (schema.org Rating, read by Google's Fact Check tools; the closer to bestRating,
the truer). Only the first two values are used today:

    1 = "False"     (verdict contradicted: the claim was wrong when it was made)
    2 = "Outdated"  (verdict outdated: the claim was once true but no longer held on its date)
    3, 4           reserved for intermediate ratings
    5 = "True"      (bestRating; never exported: supported claims need no correction)

Field mapping, in the order the keys are written:

    @context, @type          "https://schema.org", "ClaimReview"
    url                      publisher.url without its fragment + "#" + finding_id (an anchor
                             on the publisher's page; percent-encoded where a fragment needs it)
    claimReviewed            the claim in the article's words, fewer than 75 characters (Google's
                             advice): the whole sentence when short enough, else the claim's
                             words widened word by word into the sentence around them, "…"
                             where words are left out
    itemReviewed             Claim: author = the article's publisher (Organization) or, when
                             only that is known, its author (Person), left out when neither is
                             known (one is never invented); firstAppearance = CreativeWork: url
                             = article url, headline = title when known, datePublished =
                             article date when known; appearance = [the same CreativeWork];
                             datePublished = article date when known
    author                   Organization: publisher name, url, logo when given
    datePublished            the date the editors decided (flagged_at's date), when known
    reviewRating             Rating: ratingValue, bestRating 5, worstRating 1, alternateName and
                             name (the textual rating), ratingExplanation (the explanation)
    reviewBody               the explanation, the correction (reference value) and its source
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from pipeline.errors import UsageError
from pipeline.models import FLAG_STATUSES, Finding
from pipeline.report.files import atomic_write

BEST_RATING = 5
WORST_RATING = 1
RATINGS: dict[str, tuple[int, str]] = {  # verdict -> (ratingValue, alternateName)
    "contradicted": (1, "False"),
    "outdated": (2, "Outdated"),
}
PUBLISHER_KEYS = ("name", "url", "logo")
CLAIM_REVIEWED_LIMIT = 75  # claimReviewed has fewer characters than this (Google's advice)
ELLIPSIS = "…"
# Inside a JSON text these characters occur only within strings, where a \u escape means the
# same character: escaping them keeps the data and lets no "</script>" or "<!--" close the tag.
HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


@dataclass(frozen=True, slots=True)
class Publisher:
    """The organization that publishes the fact checks."""

    name: str
    url: str
    logo: str = ""


@dataclass(frozen=True, slots=True)
class ClaimReviewExport:
    """The ClaimReview objects, and the findings that could not have one, with the reason."""

    reviews: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (finding_id, reason)


def load_publisher(path: Path) -> Publisher:
    """Read the [publisher] table (name, url, optional logo) from a small TOML file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise UsageError(f"{path}: no such file") from error
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: cannot read: not UTF-8 text") from error
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror}") from error
    config = _parse_toml(text, path)
    table = config.get("publisher")
    if table is None:
        raise UsageError(f"{path}: missing [publisher] table")
    if not isinstance(table, dict):
        raise UsageError(f"{path}: publisher must be a table ([publisher])")
    unknown = sorted(key for key in table if key not in PUBLISHER_KEYS)
    if unknown:
        raise UsageError(
            f"{path}: publisher.{unknown[0]} is not a known key (use {', '.join(PUBLISHER_KEYS)})"
        )
    values = {key: _publisher_value(table, key, path) for key in PUBLISHER_KEYS}
    return Publisher(name=values["name"], url=values["url"], logo=values["logo"])


def make_publisher(name: str, url: str, logo: str = "", *, where: str = "--publisher") -> Publisher:
    """A publisher from command-line values (or the settings file `where`), checked as a
    config file's would be."""
    table = {"name": name, "url": url, **({"logo": logo} if logo else {})}
    place = Path(where)
    return Publisher(
        name=_publisher_value(table, "name", place),
        url=_publisher_value(table, "url", place),
        logo=_publisher_value(table, "logo", place),
    )


def _publisher_value(table: dict[str, Any], key: str, path: Path) -> str:
    """One [publisher] value, checked: name and url required, url and logo http(s) URLs."""
    if key not in table:
        if key == "logo":
            return ""
        raise UsageError(f"{path}: publisher.{key} is missing")
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{path}: publisher.{key} must be a non-empty string")
    value = value.strip()
    if key in ("url", "logo") and not _is_web_url(value):
        raise UsageError(f"{path}: publisher.{key} must be an http(s) URL, not {value!r}")
    return value


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    """Parse TOML with tomllib, or with `parse_simple_toml` on Python 3.10."""
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise UsageError(f"{path}: not valid TOML: {error}") from error
    return parse_simple_toml(text, path)


def parse_simple_toml(text: str, path: Path) -> dict[str, Any]:
    """Read `[table]` headers and `key = "value"` lines: the TOML subset Python 3.10 can read here.

    Values are basic strings ("...", JSON-style escapes) or literal strings ('...'); comments
    and blank lines are ignored. Anything else is a UsageError that points to Python 3.11+.
    """
    config: dict[str, Any] = {}
    table = config
    line_re = re.compile(r"""([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*')\s*(?:#.*)?""")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = re.fullmatch(r"\[\s*([A-Za-z0-9_-]+)\s*\]\s*(?:#.*)?", line)
        if header:
            table = config.setdefault(header.group(1), {})
            continue
        match = line_re.fullmatch(line)
        if not match:
            raise UsageError(
                f"{path}:{number}: cannot read this line on Python 3.10 "
                '(only [table] and key = "value"; use Python 3.11+ for full TOML)'
            )
        key, quoted = match.groups()
        try:
            value = json.loads(quoted) if quoted.startswith('"') else quoted[1:-1]
        except json.JSONDecodeError as error:
            raise UsageError(f"{path}:{number}: bad escape in {key}'s string") from error
        table[key] = value
    return config


def claim_reviews(
    findings: Iterable[Finding],
    *,
    publisher: Publisher,
    statuses: Collection[str] = ("confirmed",),
) -> list[dict[str, Any]]:
    """One ClaimReview per exportable finding, in input order (skipped ones left out)."""
    return export_claim_reviews(findings, publisher=publisher, statuses=statuses).reviews


def export_claim_reviews(
    findings: Iterable[Finding],
    *,
    publisher: Publisher,
    statuses: Collection[str] = ("confirmed",),
) -> ClaimReviewExport:
    """ClaimReviews for the decided discrepancies, and (finding_id, reason) for those skipped."""
    wanted = _check_statuses(statuses)
    export = ClaimReviewExport()
    for finding in findings:
        if (finding.flag_status or "open") not in wanted or finding.verdict not in RATINGS:
            continue
        reason = _skip_reason(finding)
        if reason:
            export.skipped.append((finding.finding_id, reason))
        else:
            export.reviews.append(_claim_review(finding, publisher=publisher))
    return export


def _check_statuses(statuses: Collection[str]) -> frozenset[str]:
    """The statuses as a set, each one a known editors' decision."""
    if isinstance(statuses, str):  # "confirmed" would otherwise read as its letters
        statuses = (statuses,)
    for status in statuses:
        if status not in FLAG_STATUSES:
            raise UsageError(
                f"unknown flag status {status!r}: use one of {', '.join(FLAG_STATUSES)}"
            )
    return frozenset(statuses)


def _skip_reason(finding: Finding) -> str:
    """Why the finding cannot be a ClaimReview, or "" when it can."""
    url = finding.url.strip()
    if not url:
        return "no article URL: a ClaimReview must name where the claim appears"
    if not _is_web_url(url):
        return f"article URL {url!r} is not an http(s) URL"
    if not " ".join(finding.sentence.split()):
        return "no sentence: nothing to put in claimReviewed"
    return ""


def claim_reviewed(sentence: str, start: int, end: int) -> str:
    """The claim at `start`:`end` of `sentence` in the sentence's own words, in fewer than
    CLAIM_REVIEWED_LIMIT characters: the whole sentence (whitespace collapsed) when it is
    short enough, else the claim's words widened word by word (before, then after) into the
    sentence, with an ellipsis where words are left out; a claim too long by itself is cut
    at a word boundary."""
    spans = [match.span() for match in re.finditer(r"\S+", sentence)]
    words = [sentence[a:b] for a, b in spans]
    if len(" ".join(words)) < CLAIM_REVIEWED_LIMIT:
        return " ".join(words)
    inside = [i for i, (a, b) in enumerate(spans) if a < end and b > start]
    first, last = (inside[0], inside[-1] + 1) if 0 <= start < end and inside else (0, 1)
    if len(_excerpt(words, first, last)) >= CLAIM_REVIEWED_LIMIT:
        while last - first > 1 and len(_excerpt(words, first, last)) >= CLAIM_REVIEWED_LIMIT:
            last -= 1
        text = _excerpt(words, first, last)
        if len(text) >= CLAIM_REVIEWED_LIMIT:  # one word longer than the limit
            text = text[: CLAIM_REVIEWED_LIMIT - 2] + ELLIPSIS
        return text
    grown = True
    while grown:
        grown = False
        if first > 0 and len(_excerpt(words, first - 1, last)) < CLAIM_REVIEWED_LIMIT:
            first, grown = first - 1, True
        if last < len(words) and len(_excerpt(words, first, last + 1)) < CLAIM_REVIEWED_LIMIT:
            last, grown = last + 1, True
    return _excerpt(words, first, last)


def _excerpt(words: list[str], first: int, last: int) -> str:
    """Words `first` to `last` (exclusive), with an ellipsis where words are left out."""
    before = ELLIPSIS if first > 0 else ""
    after = ELLIPSIS if last < len(words) else ""
    return before + " ".join(words[first:last]) + after


def _claim_review(finding: Finding, *, publisher: Publisher) -> dict[str, Any]:
    """The ClaimReview for one contradicted or outdated finding with an article URL."""
    value, label = RATINGS[finding.verdict]
    published = _iso_date(finding.published)
    decided = _iso_date(finding.flagged_at)
    appearance: dict[str, Any] = {"@type": "CreativeWork", "url": finding.url.strip()}
    if finding.title.strip():
        appearance["headline"] = " ".join(finding.title.split())
    if published:
        appearance["datePublished"] = published
    item: dict[str, Any] = {"@type": "Claim"}
    claimant = _claimant(finding)
    if claimant:
        item["author"] = claimant
    item["firstAppearance"] = appearance
    item["appearance"] = [dict(appearance)]
    if published:
        item["datePublished"] = published
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review_url(publisher, finding.finding_id),
        "claimReviewed": claim_reviewed(finding.sentence, finding.start, finding.end),
        "itemReviewed": item,
        "author": _organization(publisher),
    }
    if decided:
        review["datePublished"] = decided
    rating: dict[str, Any] = {
        "@type": "Rating",
        "ratingValue": value,
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": label,
        "name": label,
    }
    explanation = " ".join(finding.explanation.split())
    if explanation:
        rating["ratingExplanation"] = explanation
    review["reviewRating"] = rating
    review["reviewBody"] = _review_body(finding)
    return review


def review_url(publisher: Publisher, finding_id: str) -> str:
    """The review's own URL: an anchor named for the finding on the publisher's page."""
    parts = urlsplit(publisher.url)
    anchor = quote(finding_id, safe="-._~!$'()*+,;=:@/?")
    return urlunsplit(parts._replace(fragment="")) + "#" + anchor


def _claimant(finding: Finding) -> dict[str, Any] | None:
    """Who made the claim, as far as the article says: its publisher, else its author."""
    publisher, author = " ".join(finding.publisher.split()), " ".join(finding.author.split())
    if publisher:
        return {"@type": "Organization", "name": publisher}
    if author:
        return {"@type": "Person", "name": author}
    return None


def _organization(publisher: Publisher) -> dict[str, Any]:
    """The publisher as a schema.org Organization."""
    organization: dict[str, Any] = {
        "@type": "Organization",
        "name": publisher.name,
        "url": publisher.url,
    }
    if publisher.logo:
        organization["logo"] = publisher.logo
    return organization


def _review_body(finding: Finding) -> str:
    """The explanation, then the correction and where it comes from."""
    parts = [" ".join(finding.explanation.split())]
    items = [item.strip() for item in finding.reference_value.split("|") if item.strip()]
    if items:
        parts.append(f"Correction: {', '.join(items)}.")
    if finding.source.strip():
        parts.append(f"Source: {finding.source.strip()}")
    return " ".join(part for part in parts if part)


def _iso_date(text: str) -> str:
    """The YYYY-MM-DD date that starts `text` (a date or an ISO datetime), or "" if none."""
    head = text.strip()[:10]
    try:
        return date.fromisoformat(head).isoformat() if len(head) == 10 else ""
    except ValueError:
        return ""


def _is_web_url(url: str) -> bool:
    """True for an absolute http or https URL with a host."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def to_jsonld(reviews: list[dict[str, Any]]) -> str:
    """The reviews as a pretty JSON array that is safe inside <script type="application/ld+json">.

    "<", ">" and "&" are written as \\u003c, \\u003e and \\u0026: a JSON parser reads the same
    strings back, and no "</script>" or "<!--" can end or confuse the HTML script element.
    """
    text = json.dumps(reviews, ensure_ascii=False, indent=2)
    return text.translate(str.maketrans(HTML_ESCAPES))


def write_claimreview(path: Path, reviews: list[dict[str, Any]]) -> None:
    """Write the reviews as one HTML-safe JSON-LD array (see `to_jsonld`), atomically."""
    with atomic_write(Path(path)) as handle:
        handle.write(to_jsonld(reviews) + "\n")
