"""The small frozen dataclasses that pass between stages: Article -> Claim -> Finding."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

VERDICTS = ("contradicted", "outdated", "unverified", "supported")
FLAGGED = frozenset({"contradicted", "outdated"})
# The value of a claim about who may join that says any state may ("any state may apply").
ANY_STATE = "*"
# The reference attributes that say where a country lies: without dispute, and only partly
# or by some definitions (a border state partly in a second region).
REGION_ATTRIBUTE = "region"
REGION_PARTLY_ATTRIBUTE = "region_partly"


@dataclass(frozen=True, slots=True)
class Article:
    """One article, its text cleaned and ready to parse."""

    id: str
    text: str
    published: date | None = None
    date_source: str = ""  # "record", "html", "text" or "" when unknown
    title: str = ""
    url: str = ""
    source: str = ""  # the file it came from
    line: int = 0  # its line in a batch file (0 for an article that is a file)
    author: str = ""  # who wrote it, where the input says
    publisher: str = ""  # who published it (the outlet), where the input says


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not be read as an article, and why."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Entity:
    """A reference entity: canonical name, other names, optional kind."""

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Attribute:
    """A reference attribute: how its values are typed and which words signal it."""

    name: str
    value_type: str
    cues: tuple[str, ...] = ()
    tolerance: str = ""
    multivalued: bool = False
    label: str = ""  # how to name it in an explanation: "number of members"
    scope: str = ""  # the organisation it is relative to ("joined" the alliance), or ""


@dataclass(frozen=True, slots=True)
class Fact:
    """A value of an entity's attribute over a validity period [valid_from, valid_to)."""

    fact_id: str
    entity: str
    attribute: str
    value: str
    valid_from: date | None
    valid_to: date | None
    source: str
    note: str = ""

    @property
    def items(self) -> tuple[str, ...]:
        """The value split into list items."""
        return tuple(part.strip() for part in self.value.split("|") if part.strip())

    def holds_on(self, day: date) -> bool:
        """True when the fact was valid on `day`."""
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day >= self.valid_to)

    def period(self) -> str:
        """The validity period in words, e.g. 'from 2017-06-05 to 2020-03-27'."""
        start = f"from {self.valid_from.isoformat()}" if self.valid_from else ""
        end = f"to {self.valid_to.isoformat()}" if self.valid_to else "onwards"
        return (
            " ".join(part for part in (start, end) if part)
            if start
            else (f"until {self.valid_to.isoformat()}" if self.valid_to else "at all times")
        )


@dataclass(frozen=True, slots=True)
class CheckedClaim:
    """A proposition a fact-checker settled before."""

    claim_id: str
    claim: str
    verdict: str  # "true" or "false"
    explanation: str
    source: str


@dataclass(frozen=True, slots=True)
class Claim:
    """A check-worthy statement found in an article, normalized where possible.

    `start`/`end` are character offsets of the claim inside `sentence`;
    `sentence_start` is the sentence's offset in the article text.
    """

    article_id: str
    sentence: str
    sentence_start: int
    start: int
    end: int
    kind: str  # "value", "list", "office", "provision", "checked", "quote", "statistic"
    as_of: date  # the last day of the claim's time (its own time, or the article's date)
    time_source: str  # "claim", "article", "given", "default", or "unclear" (a time we can't place)
    period_start: date | None = None  # first day of the claim's own time ("in 2022")
    time_text: str = ""  # the words that set the claim's time, as written
    throughout: bool = False  # the value held for the whole period ("from 1998 to 2005")
    entity: str = ""
    attribute: str = ""
    value: str = ""  # the claimed value, normalized (list items joined by "|")
    value_text: str = ""  # the claimed value as written
    complete: bool = False  # a list claim that says it is the whole list
    counted: int = 0  # the size a list gives itself ("the six members are ..."), 0 when none
    negated: bool = False  # the sentence denies it ("NATO does not have 30 members")
    former: bool = False  # about a past holder ("former Prime Minister X", "X was ...")
    confidence: float = 1.0
    checked_claim_id: str = ""
    similarity: float = 0.0
    speaker: str = ""  # who a quotation is attributed to
    readings: str = ""  # other subjects the words may be about, |-separated ("it" in context)
    # A claim about a group's history, derived from its member lists over time: "newest"
    # (the item joined last), "order" (the item joined `order`-th), "unchanged" (the
    # members stayed the same from `period_start` to `as_of`) or "enlargements" (new
    # members joined `value` times after the founding).
    derived: str = ""
    # Words of the claim the reference cannot settle ("Japan's 102nd prime minister", "all
    # 27 members use the euro"): the claim may be flagged, but never supported.
    unsettled: str = ""
    # How the sentence frames the claim: "" (it makes it), "hypothetical" (what will or
    # would be: "NATO will have 35 members by 2030"), "reported" (it reports someone
    # making or denying it: "officials denied that ..."), never flagged as the article's.
    framing: str = ""
    order: int = 0  # for "order": the item's place in the order of joining ("the 4th member")
    # The region a count of members is narrowed to ("three are in the Northlands"), then
    # the regions it is set against in the sentence ("two in the Northlands, one in the
    # Southlands"), |-separated.
    part: str = ""
    # The cause or condition a claim about who may join gives ("because of its
    # constitution", "if it amended its laws") where it is not the membership rule's region.
    reason: str = ""

    @property
    def text(self) -> str:
        """The claim's words as they stand in the sentence."""
        return self.sentence[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Finding:
    """A verdict on one claim, with the evidence and the correction."""

    finding_id: str
    article: str
    published: str
    as_of: str
    sentence: str
    start: int
    end: int
    claim: str
    entity: str
    attribute: str
    claimed_value: str
    reference_value: str
    verdict: str
    confidence: float
    fact_id: str
    source: str
    explanation: str
    kind: str = ""
    title: str = ""
    url: str = ""
    author: str = ""  # the article's author and publisher, where known (for ClaimReview)
    publisher: str = ""
    flag_status: str = ""  # the editors' latest decision: confirmed, disputed, dismissed, open
    flag_note: str = ""
    flag_by: str = ""
    flagged_at: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


FINDING_COLUMNS = (
    "finding_id",
    "article",
    "published",
    "as_of",
    "sentence",
    "start",
    "end",
    "claim",
    "entity",
    "attribute",
    "claimed_value",
    "reference_value",
    "verdict",
    "confidence",
    "fact_id",
    "source",
    "explanation",
    "flag_status",
    "flag_note",
    "flag_by",
    "flagged_at",
    "kind",
    "title",
    "url",
)
FLAG_STATUSES = ("confirmed", "disputed", "dismissed", "open")
