"""The English word lists in english.cfg, read once: data a newsroom may change, not code."""

from __future__ import annotations

import configparser
from functools import cache
from pathlib import Path

WORDS_FILE = Path(__file__).with_name("english.cfg")


@cache
def _parser() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    with WORDS_FILE.open(encoding="utf-8") as handle:
        parser.read_file(handle)
    return parser


def sections() -> list[str]:
    """The names of the word lists."""
    return _parser().sections()


def words(section: str) -> frozenset[str]:
    """One list's words, lower case; a phrase is written with _ ("just_under")."""
    text = _parser().get(section, "words", fallback="")
    return frozenset(word.replace("_", " ").lower() for word in text.split())
