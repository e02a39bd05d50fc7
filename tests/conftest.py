"""Shared fixtures: the trained spaCy pipeline is loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from pipeline.extract import load_model

    return load_model()


@pytest.fixture(scope="session")
def reference():
    from pipeline.reference import load_reference

    return load_reference(ROOT / "claims")
