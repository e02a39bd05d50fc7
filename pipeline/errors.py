"""The exception tree. The CLI turns each into one line and an exit code."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.models import Skipped


class FactcheckError(Exception):
    """Base class for errors a user can act on."""

    exit_code = 2


class ModelNotFoundError(FactcheckError):
    """The spaCy model is not installed."""


class ArticleError(FactcheckError):
    """One input could not be read as an article; the batch goes on."""


class ReferenceTableError(FactcheckError):
    """The reference folder has problems; `problems` lists each as file:line:column: message."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        first = self.problems[0] if self.problems else "invalid reference"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(first + more)


class UsageError(FactcheckError):
    """A bad option value or argument."""


class OutputError(FactcheckError):
    """A report or export could not be written; what was there before is left as it was."""


class NoArticlesError(UsageError):
    """The sources hold no readable article; `skipped` lists what was found and why it was
    not read."""

    def __init__(self, message: str, *, skipped: list[Skipped]) -> None:
        super().__init__(message)
        self.skipped = list(skipped)
