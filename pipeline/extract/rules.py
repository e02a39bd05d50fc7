"""An exact, faster matcher for spaCy's attribute ruler.

The trained English pipeline's `attribute_ruler` maps each fine-grained tag to its
coarse part of speech and morphology, with exceptions for particular words ("that" as a
relative pronoun, "a" as an indefinite article). It finds where its rules apply with
spaCy's general `Matcher`, which tries every rule at every token: on real text that costs
about as much as the dependency parser. Most rules are one token with plain conditions
(`{"TAG": "NN"}`, `{"LOWER": {"IN": [...]}, "TAG": "IN"}`); for those, which rules apply
to a token depends only on the few attributes the rules look at, so it is worked out once
per distinct combination and remembered. Rules of any other shape (several tokens,
operators, other predicates) still go through a `Matcher` of their own.

The matches are the ruler's own (rule, start, end) triples, sorted as the ruler sorts
them, and applied by the ruler itself: the annotations are the same, token for token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.attrs import (
    DEP,
    IS_ALPHA,
    IS_DIGIT,
    IS_LOWER,
    IS_PUNCT,
    IS_SPACE,
    IS_TITLE,
    IS_UPPER,
    LEMMA,
    LIKE_NUM,
    LOWER,
    NORM,
    ORTH,
    SHAPE,
    TAG,
)
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# The token attributes a rule may test here: those whose values are strings (read as their
# hashes from `Doc.to_array`) and those that are flags.
TEXT_ATTRIBUTES = {
    "ORTH": ORTH,
    "TEXT": ORTH,
    "LOWER": LOWER,
    "NORM": NORM,
    "TAG": TAG,
    "DEP": DEP,
    "LEMMA": LEMMA,
    "SHAPE": SHAPE,
}
FLAG_ATTRIBUTES = {
    "IS_SPACE": IS_SPACE,
    "IS_PUNCT": IS_PUNCT,
    "IS_ALPHA": IS_ALPHA,
    "IS_DIGIT": IS_DIGIT,
    "IS_LOWER": IS_LOWER,
    "IS_UPPER": IS_UPPER,
    "IS_TITLE": IS_TITLE,
    "LIKE_NUM": LIKE_NUM,
}
MAX_REMEMBERED = 200_000  # distinct attribute combinations kept before starting afresh


@dataclass(frozen=True, slots=True)
class Condition:
    """One attribute's test in a token's pattern: equal to, in, not in, or a regex."""

    attribute: str
    test: str  # "is", "in", "not_in", "regex"
    values: frozenset[str] | bool | re.Pattern[str]

    def holds(self, value: str | bool) -> bool:
        if self.test == "is":
            return value == self.values
        if self.test == "regex":
            return bool(self.values.search(value))  # type: ignore[union-attr, arg-type]
        inside = value in self.values  # type: ignore[operator]
        return inside if self.test == "in" else not inside


def _condition(attribute: str, value: Any) -> Condition | None:
    """A condition this module reads, or None for one left to spaCy's Matcher."""
    name = attribute.upper()
    if name in FLAG_ATTRIBUTES:
        return Condition(name, "is", value) if isinstance(value, bool) else None
    if name not in TEXT_ATTRIBUTES:
        return None
    if isinstance(value, str):
        return Condition(name, "in", frozenset([value]))
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((test, given),) = value.items()
    if test == "REGEX" and isinstance(given, str):
        return Condition(name, "regex", re.compile(given))
    if (
        test in ("IN", "NOT_IN")
        and isinstance(given, list)
        and all(isinstance(item, str) for item in given)
    ):
        return Condition(name, test.lower(), frozenset(given))
    return None


def _plain(token: dict[str, Any]) -> tuple[Condition, ...] | None:
    """One token's conditions in a pattern, when this module reads them all; else None."""
    if not token:
        return None
    conditions = tuple(_condition(attribute, value) for attribute, value in token.items())
    if any(condition is None for condition in conditions):
        return None
    return conditions  # type: ignore[return-value]


class RuleMatcher:
    """Applies an AttributeRuler's rules as its `match` and `set_annotations` do: every
    rule that matches, in the ruler's order, a later rule's value replacing an earlier's."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler
        self.strings = ruler.vocab.strings
        self.specs: list[tuple[Condition, ...]] = []  # distinct token conditions, by id
        self.single: dict[int, list[int]] = {}  # spec -> the one-token rules it makes
        self.sequences: dict[int, list[tuple[int, tuple[int, ...]]]] = {}  # by first spec
        self.others = Matcher(ruler.vocab)  # rules of shapes not read here
        ids: dict[tuple[Condition, ...], int] = {}
        for rule, spec in enumerate(ruler.patterns):
            rest = []
            for pattern in spec["patterns"]:
                tokens = [_plain(token) for token in pattern]
                if not tokens or any(conditions is None for conditions in tokens):
                    rest.append(pattern)
                    continue
                chain = tuple(ids.setdefault(c, len(ids)) for c in tokens)  # type: ignore[arg-type]
                if len(chain) == 1:
                    self.single.setdefault(chain[0], []).append(rule)
                else:
                    self.sequences.setdefault(chain[0], []).append((rule, chain))
            if rest:
                self.others.add(str(rule), rest)
        self.specs = list(ids)
        self.used = sorted({c.attribute for conditions in self.specs for c in conditions})
        self.ids = [TEXT_ATTRIBUTES.get(name) or FLAG_ATTRIBUTES[name] for name in self.used]
        # Per attribute: the specs (as bits) that do not test it, those that only ask for
        # one of some values (indexed by value), and the rest, tested value by value.
        self.free = [0] * len(self.used)
        self.listed: list[dict[str | bool, int]] = [{} for _ in self.used]
        self.tested: list[list[tuple[int, tuple[Condition, ...]]]] = [[] for _ in self.used]
        for spec, conditions in enumerate(self.specs):
            for column, name in enumerate(self.used):
                on = tuple(c for c in conditions if c.attribute == name)
                if not on:
                    self.free[column] |= 1 << spec
                elif len(on) == 1 and on[0].test == "in":
                    for value in on[0].values:  # type: ignore[union-attr]
                        listed = self.listed[column]
                        listed[value] = listed.get(value, 0) | 1 << spec
                else:
                    self.tested[column].append((spec, on))
        self.passing: list[dict[int, int]] = [{} for _ in self.used]  # value -> spec bits
        self.by_row: dict[tuple[int, ...], _Known] = {}
        self.by_mask: dict[int, _Known] = {}

    def match(self, doc: Doc) -> _Matches:
        """Which rules apply where in `doc`."""
        if self.ids and len(doc):  # one row of attribute values per token
            rows = doc.to_array(self.ids).reshape(len(doc), len(self.ids)).tolist()
        else:
            rows = [[]] * len(doc)
        by_row = self.by_row
        tokens = [by_row.get(key) or self._known(key) for key in map(tuple, rows)]
        extra = []
        for i, token in enumerate(tokens):
            for spec in token.specs:
                for rule, chain in self.sequences.get(spec, ()):
                    end = i + len(chain)
                    if end <= len(tokens) and all(
                        chain[k] in tokens[i + k].specs for k in range(1, len(chain))
                    ):
                        extra.append((rule, i, end))
        if len(self.others):
            for match_id, start, end in self.others(doc, allow_missing=True):
                extra.append((int(self.strings[match_id]), start, end))
        return _Matches(tokens, extra)

    def set_annotations(self, doc: Doc, matches: _Matches) -> None:
        """Set the matched rules' attributes: per token, the rules' attributes merged in the
        ruler's order, which is what setting them one rule after another leaves."""
        attrs, indices = self.ruler.attrs, self.ruler.indices
        touched: dict[int, list[int]] = {}  # tokens the longer rules reach -> their rules
        for rule, start, end in matches.extra:
            at = (start if indices[rule] >= 0 else end) + indices[rule]
            if not start <= at < end:  # the ruler's own error for a bad index
                key = self.strings[str(rule)]
                AttributeRuler.set_annotations(self.ruler, doc, [(rule, key, start, end)])
            touched.setdefault(at, []).append(rule)
        for i, token in enumerate(matches.tokens):
            if i in touched:
                merged: dict[str | int, Any] = {}
                for rule in sorted({*token.rules, *touched[i]}):
                    merged.update(attrs[rule])
                set_token_attrs(doc[i], merged)
            elif token.attrs:
                set_token_attrs(doc[i], token.attrs)

    def _known(self, row: tuple[int, ...]) -> _Known:
        """What a token with these attribute values (hashes, flags) satisfies."""
        mask = -1
        for column, value in enumerate(row):
            bits = self.passing[column].get(value)
            mask &= self._passing(column, value) if bits is None else bits
        known = self.by_mask.get(mask)
        if known is None:
            specs = frozenset(spec for spec in range(len(self.specs)) if mask >> spec & 1)
            rules = tuple(sorted({rule for spec in specs for rule in self.single.get(spec, ())}))
            merged: dict[str | int, Any] = {}
            for rule in rules:
                merged.update(self.ruler.attrs[rule])
            known = self.by_mask[mask] = _Known(specs, rules, merged)
        if len(self.by_row) >= MAX_REMEMBERED:
            self.by_row.clear()
        self.by_row[row] = known
        return known

    def _passing(self, column: int, value: int) -> int:
        """The specs (as bits) whose conditions on one attribute this value meets."""
        name = self.used[column]
        read: str | bool = bool(value) if name in FLAG_ATTRIBUTES else self.strings[value]
        bits = self.free[column] | self.listed[column].get(read, 0)
        for spec, conditions in self.tested[column]:
            if all(c.holds(read) for c in conditions):
                bits |= 1 << spec
        if len(self.passing[column]) >= MAX_REMEMBERED:
            self.passing[column].clear()
        self.passing[column][value] = bits
        return bits


@dataclass(frozen=True, slots=True)
class _Known:
    """What one kind of token satisfies: token conditions, one-token rules, and the
    attributes those rules leave."""

    specs: frozenset[int]
    rules: tuple[int, ...]
    attrs: dict[str | int, Any]


@dataclass(frozen=True, slots=True)
class _Matches:
    """Each token's kind, and the matches of longer rules (rule, start, end)."""

    tokens: list[_Known]
    extra: list[tuple[int, int, int]]


def speed_up_rules(nlp: Language) -> Language:
    """`nlp` with its attribute ruler (if any) applying its rules through a RuleMatcher;
    the annotations are unchanged."""
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        if isinstance(ruler, AttributeRuler) and not any("_" in a for a in ruler.attrs):
            fast = RuleMatcher(ruler)
            ruler.match = fast.match  # type: ignore[method-assign]
            ruler.set_annotations = fast.set_annotations  # type: ignore[method-assign]
    return nlp
