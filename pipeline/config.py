"""The settings a command starts from: `factcheck.toml` in the current folder (or the
`[tool.factcheck]` table of its `pyproject.toml`), and where the reference is found when
none is named.

The config file holds any of these keys, each a string; paths are relative to the folder
the file is in, and command-line options override every one of them:

    db = "reports/factcheck.db"       # the store
    reference = "claims"              # the reference folder
    out = "reports"                   # the report folder
    publisher = "Daily Check"         # for `export claimreview`
    publisher_url = "https://example.org/checks"

`publisher` may instead be a `[publisher]` table (name, url, logo), the table that
`export claimreview --config FILE` reads, so one file serves both.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_FILE = "factcheck.toml"
PYPROJECT_FILE = "pyproject.toml"
KEYS = ("db", "reference", "out", "publisher", "publisher_url")
PATH_KEYS = frozenset({"db", "reference", "out"})
PUBLISHER_TABLE_KEYS = {"name": "publisher", "url": "publisher_url", "logo": "publisher_logo"}
REFERENCE_HERE = Path("claims")
BUNDLED_REFERENCE = Path(__file__).resolve().parent / "data" / "claims"
_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = re.compile(r"\s*\(at end of document\)$")


@dataclass(frozen=True, slots=True)
class Config:
    """The settings read from a config file (`values`: key -> value), and the file."""

    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)


def load_config(folder: Path = Path(".")) -> Config:
    """The settings of `folder`: its factcheck.toml, else the [tool.factcheck] table of its
    pyproject.toml, else none. A malformed file is a UsageError naming file and line."""
    own, project = folder / CONFIG_FILE, folder / PYPROJECT_FILE
    if own.is_file():
        text = _read(own)
        return Config(own, _settings(_parse(text, own), text, own, folder, section=None))
    if not project.is_file():
        return Config()
    text = _read(project)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        if re.search(r"^\s*\[\s*tool\.factcheck\s*\]", text, re.MULTILINE):
            raise _syntax_error(error, project, text) from error
        return Config()  # a broken file without our table: not ours to refuse
    tool = data.get("tool")
    table = tool.get("factcheck") if isinstance(tool, dict) else None
    if table is None:
        return Config()
    if not isinstance(table, dict):
        raise UsageError(f"{project}: tool.factcheck must be a table ([tool.factcheck])")
    return Config(project, _settings(table, text, project, folder, section="tool.factcheck"))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: cannot read: not UTF-8 text") from error
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror or error}") from error


def _parse(text: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(error, path, text) from error


def _syntax_error(error: tomllib.TOMLDecodeError, path: Path, text: str) -> UsageError:
    """`path:line:column: not valid TOML: ...`, from tomllib's message."""
    message = str(error)
    found = _POSITION.search(message)
    if found:
        where = f"{path}:{found.group(1)}:{found.group(2)}"
        message = message[: found.start()]
    else:
        where = f"{path}:{max(1, len(text.splitlines()))}"
        message = _AT_END.sub("", message)
    return UsageError(f"{where}: not valid TOML: {message}")


def _settings(
    table: dict[str, Any], text: str, path: Path, folder: Path, *, section: str | None
) -> dict[str, Any]:
    """The settings of `table` (the TOML table `section` of `text`, or its top level),
    checked; paths made relative to `folder`."""
    prefix = f"{section}." if section else ""
    settings: dict[str, Any] = {}
    for key, value in table.items():
        where = f"{path}:{_line_of(text, key, section)}"
        if key == "publisher" and isinstance(value, dict):
            settings.update(_publisher_table(value, where, prefix))
            continue
        if key not in KEYS:
            raise UsageError(f"{where}: {prefix}{key} is not a setting (use {', '.join(KEYS)})")
        if not isinstance(value, str) or not value.strip():
            raise UsageError(f"{where}: {prefix}{key} must be a non-empty string")
        settings[key] = folder / Path(value.strip()).expanduser() if key in PATH_KEYS else value
    return settings


def _publisher_table(table: dict[str, Any], where: str, prefix: str) -> dict[str, str]:
    """A [publisher] table (name, url, logo) as publisher, publisher_url, publisher_logo."""
    settings: dict[str, str] = {}
    for key, value in table.items():
        if key not in PUBLISHER_TABLE_KEYS:
            known = ", ".join(PUBLISHER_TABLE_KEYS)
            raise UsageError(f"{where}: {prefix}publisher.{key} is not a key (use {known})")
        if not isinstance(value, str) or not value.strip():
            raise UsageError(f"{where}: {prefix}publisher.{key} must be a non-empty string")
        settings[PUBLISHER_TABLE_KEYS[key]] = value.strip()
    return settings


def _line_of(text: str, key: str, section: str | None) -> int:
    """The line where `key` is set (in the table `section`, when given), for messages; 1
    when unclear."""
    lines = text.splitlines()
    start = 0
    if section:
        header = re.compile(rf"^\s*\[\s*{re.escape(section)}\s*\]")
        start = next((i + 1 for i, line in enumerate(lines) if header.match(line)), 0)
    pattern = re.compile(rf"^\s*(?:\[\s*)?[\"']?{re.escape(key)}[\"']?\s*(?:=|\])")
    for number, line in enumerate(lines[start:], start=start + 1):
        if pattern.match(line):
            return number
    return 1


def find_reference(*, here: Path = REFERENCE_HERE, bundled: Path = BUNDLED_REFERENCE) -> Path:
    """The reference to use when none is named: claims/ in the current folder, else the
    one bundled with factcheck; a UsageError naming both when neither is there."""
    for folder in (here, bundled):
        if folder.is_dir():
            return folder
    raise UsageError(
        f"no reference found: tried {here.as_posix()}/ (in the current folder) and the bundled "
        f"reference ({bundled}); give --reference FOLDER"
    )
