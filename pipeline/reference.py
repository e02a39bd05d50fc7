"""Load, validate and index the curated reference table in claims/ (four CSV files)."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from pipeline import values
from pipeline.errors import ReferenceTableError, UsageError
from pipeline.models import Attribute, CheckedClaim, Entity, Fact
from pipeline.values import NAMES as VALUE_TYPES

ENTITIES = "entities.csv"
ATTRIBUTES = "attributes.csv"
FACTS = "facts.csv"
CHECKED_CLAIMS = "checked_claims.csv"
FILES = (ENTITIES, ATTRIBUTES, FACTS, CHECKED_CLAIMS)
OPTIONAL_FILES = frozenset({CHECKED_CLAIMS})

# Documented columns per file, and the ones a header must have (the others default to empty).
COLUMNS = {
    ENTITIES: ("entity", "aliases", "kind"),
    ATTRIBUTES: (
        "attribute",
        "value_type",
        "cues",
        "tolerance",
        "multivalued",
        "label",
        "description",
        "scope",
    ),
    FACTS: ("fact_id", "entity", "attribute", "value", "valid_from", "valid_to", "source", "note"),
    CHECKED_CLAIMS: ("claim_id", "claim", "verdict", "explanation", "source"),
}
REQUIRED_COLUMNS = {
    ENTITIES: ("entity",),
    ATTRIBUTES: ("attribute", "value_type"),
    FACTS: ("fact_id", "entity", "attribute", "value", "valid_from", "valid_to", "source"),
    CHECKED_CLAIMS: ("claim_id", "claim", "verdict", "explanation", "source"),
}

MAX_FILE_BYTES = 200 * 1024 * 1024  # a reference file larger than this is refused
FILE_KINDS = {  # what a path that is not a regular file is, for the message
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a folder",
    stat.S_IFSOCK: "a socket",
}
SHORT_NAME = 4  # names this short (EU, US, NATO) only ever match exactly
VERDICT_WORDS = ("true", "false")

_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
_TOLERANCE = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)%?")
_LEADING_THE = re.compile(r"^the\s+")


@dataclass(frozen=True, slots=True)
class _Row:
    """One CSV record: its first file line and its fields by column name."""

    line: int
    fields: dict[str, str]


@dataclass(slots=True)
class _Table:
    """One CSV file as read: where it is, its columns and its well-formed rows."""

    path: str
    columns: dict[str, int] = field(default_factory=dict)  # column name -> 1-based number
    rows: list[_Row] = field(default_factory=list)
    ok: bool = False  # read and has the required columns

    def column(self, name: str) -> int:
        """The 1-based column number of `name` (1 when the column is absent)."""
        return self.columns.get(name, 1)


@dataclass(slots=True)
class _Problems:
    """Problems found so far, as (path, line, column, message)."""

    items: list[tuple[str, int, int, str]] = field(default_factory=list)

    def add(self, path: str, line: int, column: int, message: str) -> None:
        """Record one problem."""
        self.items.append((path, line, column, message))

    def lines(self) -> list[str]:
        """Every problem as `path:line:column: message`, in file order then line order."""
        order = {path: index for index, path in enumerate(dict.fromkeys(p for p, *_ in self.items))}
        ranked = sorted(self.items, key=lambda item: (order[item[0]], item[1], item[2]))
        return [f"{path}:{line}:{column}: {message}" for path, line, column, message in ranked]


class Reference:
    """The loaded reference table, indexed by (entity, attribute), by attribute and by name."""

    def __init__(
        self,
        *,
        folder: Path,
        entities: dict[str, Entity],
        attributes: dict[str, Attribute],
        facts: tuple[Fact, ...],
        checked_claims: tuple[CheckedClaim, ...] = (),
        digest: str = "",
    ) -> None:
        self.folder = folder
        self.entities = entities
        self.attributes = attributes
        self.facts = facts
        self.checked_claims = checked_claims
        self.digest = digest
        self._names = _name_index(entities.values())
        self._checked_by_id = {claim.claim_id: claim for claim in self.checked_claims}
        # Fuzzy matching only over names longer than SHORT_NAME, so "EU" never becomes "US";
        # the choices are folded once here rather than on every lookup.
        self._fuzzy_names = {name: _fold(name) for name in self._names if len(name) > SHORT_NAME}
        by_key: dict[tuple[str, str], list[Fact]] = {}
        by_attribute: dict[str, list[Fact]] = {}
        for fact in facts:
            by_key.setdefault((fact.entity, fact.attribute), []).append(fact)
            by_attribute.setdefault(fact.attribute, []).append(fact)
        self._by_key = {key: tuple(sorted(group, key=_period_key)) for key, group in by_key.items()}
        self._by_attribute = {key: tuple(group) for key, group in by_attribute.items()}
        self._folded_values = {
            key: {index: _fold(fact.value) for index, fact in enumerate(group)}
            for key, group in by_attribute.items()
        }
        self._entities_with = {
            attribute: frozenset(fact.entity for fact in group)
            for attribute, group in by_attribute.items()
        }

    def __repr__(self) -> str:
        return (
            f"Reference(folder={str(self.folder)!r}, entities={len(self.entities)}, "
            f"attributes={len(self.attributes)}, facts={len(self.facts)}, "
            f"checked_claims={len(self.checked_claims)}, digest={self.digest[:12]!r})"
        )

    def facts_for(self, entity: str, attribute: str) -> tuple[Fact, ...]:
        """The facts of a canonical entity's attribute, sorted by valid_from (open start first)."""
        return self._by_key.get((entity, attribute), ())

    def checked_claim(self, claim_id: str) -> CheckedClaim | None:
        """A checked claim by id, or None."""
        return self._checked_by_id.get(claim_id)

    def entities_with(self, attribute: str) -> frozenset[str]:
        """The canonical entities that have at least one fact for `attribute`."""
        return self._entities_with.get(attribute, frozenset())

    def facts_by_value(
        self, attribute: str, value: str, *, cutoff: float = 85
    ) -> list[tuple[Fact, float]]:
        """Facts of `attribute` whose value matches a name like `value`, best score first."""
        query = _fold(_strip_possessive(" ".join(value.split())))
        group = self._by_attribute.get(attribute, ())
        if not query or not group:
            return []
        matches = process.extract(
            query,
            self._folded_values[attribute],
            scorer=_name_score,
            score_cutoff=cutoff,
            limit=None,
        )
        found = [(group[index], float(score)) for _, score, index in matches]
        return sorted(found, key=lambda pair: (-pair[1], _period_key(pair[0])))

    def resolve_entity(self, name: str, *, cutoff: float = 90) -> tuple[str, float] | None:
        """The canonical entity for a name or alias, with a 0-100 score, or None."""
        # 1. Exact, case-insensitive, also without a leading "the" and a trailing "'s".
        canonical = _lookup(self._names, name)
        if canonical:
            return canonical, 100.0
        # 2. Fuzzy, for small misspellings of longer names only.
        key = _bare(_normal(name))
        if len(key) <= SHORT_NAME or not self._fuzzy_names:
            return None
        best = process.extractOne(
            _fold(key), self._fuzzy_names, scorer=fuzz.ratio, score_cutoff=cutoff
        )
        if best is None:
            return None
        return self._names[best[2]], float(best[1])

    def names(self) -> dict[str, str]:
        """Every lowercased entity name and alias -> its canonical entity."""
        return dict(self._names)

    def cues(self) -> dict[str, tuple[str, ...]]:
        """Each attribute -> the phrases that signal it in a sentence."""
        return {name: attribute.cues for name, attribute in self.attributes.items()}


def load_reference(folder: Path) -> Reference:
    """Read and validate the reference folder; raise ReferenceTableError listing every problem,
    or UsageError for a file that cannot be a reference table (see `read_file`)."""
    reference, problems = _load(Path(folder))
    if reference is None:
        raise ReferenceTableError(problems)
    return reference


def validate_reference(folder: Path) -> list[str]:
    """The problems in the reference folder as `path:line:column: message`; empty when valid.
    A file that cannot be a reference table (see `read_file`) raises UsageError."""
    return _load(Path(folder))[1]


def _load(folder: Path) -> tuple[Reference | None, list[str]]:
    """Read the four files, check them, and build the Reference when there are no problems."""
    problems = _Problems()
    raw: dict[str, bytes | None] = {}
    tables: dict[str, _Table] = {}
    for name in FILES:
        raw[name], tables[name] = _read_table(folder, name, problems)
    entities, names = _check_entities(tables[ENTITIES], problems)
    attributes, untyped = _check_attributes(
        tables[ATTRIBUTES],
        problems,
        names={key: name for key, (name, _) in names.items()} if tables[ENTITIES].ok else None,
        entities_path=tables[ENTITIES].path,
    )
    facts = _check_facts(
        tables[FACTS],
        problems,
        names={key: name for key, (name, _) in names.items()} if tables[ENTITIES].ok else None,
        attributes=attributes if tables[ATTRIBUTES].ok else None,
        untyped=untyped,
        paths=(tables[ENTITIES].path, tables[ATTRIBUTES].path),
    )
    checked_claims = _check_checked_claims(tables[CHECKED_CLAIMS], problems)
    if problems.items:
        return None, problems.lines()
    reference = Reference(
        folder=folder,
        entities=entities,
        attributes=attributes,
        facts=tuple(fact for _, fact in facts),
        checked_claims=checked_claims,
        digest=_digest(raw),
    )
    return reference, []


def _read_table(folder: Path, name: str, problems: _Problems) -> tuple[bytes | None, _Table]:
    """Read one CSV file into rows, recording missing, empty, non-UTF-8 and ragged problems."""
    table = _Table(path=str(folder / name))
    header_hint = ",".join(COLUMNS[name])
    try:
        data = read_file(folder / name)
    except FileNotFoundError:
        if name not in OPTIONAL_FILES:
            problems.add(table.path, 1, 1, f"file not found; create it with header {header_hint}")
        return None, table
    except OSError as error:
        problems.add(table.path, 1, 1, f"cannot read the file ({error.strerror}); check it")
        return None, table
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _decode_position(data, error.start)
        problems.add(
            table.path,
            line,
            column,
            f"byte 0x{data[error.start]:02x} is not UTF-8; save the file as UTF-8",
        )
        return data, table
    if not text.strip():
        problems.add(table.path, 1, 1, f"file is empty; it needs the header {header_hint}")
        return data, table
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if not any(value.strip() for value in record):
                continue  # blank lines and all-empty rows carry nothing
            if header is None:
                header = [value.strip() for value in record]
                _check_header(table, name, header, start, problems)
                if not table.ok:
                    return data, table
                continue
            if len(record) != len(header):
                problems.add(
                    table.path,
                    start,
                    1,
                    f"row has {len(record)} fields but the header has {len(header)}; "
                    "quote values that contain commas",
                )
                continue
            values = {column: record[index - 1].strip() for column, index in table.columns.items()}
            table.rows.append(_Row(start, values))
    except csv.Error as error:
        problems.add(table.path, line, 1, f"CSV syntax error ({error}); check the quotes")
    return data, table


def read_file(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES. Anything else (a FIFO that would
    block, /dev/zero that never ends, a folder) or a larger file is a UsageError naming it.
    Opened without blocking, and checked again once open, so a swapped file cannot hang us."""
    _check_kind(path, os.stat(path))
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        _check_kind(path, info)
        _check_size(path, info.st_size)
        data = handle.read(MAX_FILE_BYTES + 1)
    _check_size(path, len(data))
    return data


def _check_kind(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = FILE_KINDS.get(stat.S_IFMT(info.st_mode), "not a file")
        raise UsageError(
            f"{path}: not a regular file ({kind}); the reference is read from regular CSV files"
        )


def _check_size(path: Path, size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise UsageError(
            f"{path}: {size // 2**20} MB, more than the {MAX_FILE_BYTES // 2**20} MB a "
            "reference file may have; check the file"
        )


def _decode_position(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and CSV column of the byte at `offset`."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    prefix = data[line_start:offset].decode("utf-8", errors="replace")
    fields = next(csv.reader([prefix]), [])
    return line, max(len(fields), 1)


def _check_header(
    table: _Table, name: str, header: list[str], line: int, problems: _Problems
) -> None:
    """Map column names to numbers; the table is usable only with each required column once."""
    repeated = False
    for index, column in enumerate(header, start=1):
        if column in table.columns:
            problems.add(table.path, line, index, f"column {column} appears twice; remove one")
            repeated = True
        else:
            table.columns[column] = index
    missing = [column for column in REQUIRED_COLUMNS[name] if column not in table.columns]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        problems.add(
            table.path,
            line,
            1,
            f"missing column{plural} {', '.join(missing)}; "
            f"the header must be {','.join(COLUMNS[name])}",
        )
    table.ok = not missing and not repeated


def _check_entities(
    table: _Table, problems: _Problems
) -> tuple[dict[str, Entity], dict[str, tuple[str, int]]]:
    """Entities by canonical name, and every lowercased name -> (canonical, line)."""
    entities: dict[str, Entity] = {}
    names: dict[str, tuple[str, int]] = {}
    for row in table.rows:
        name = " ".join(row.fields["entity"].split())
        if not name:
            problems.add(table.path, row.line, table.column("entity"), "entity is empty; name it")
            continue
        key = _normal(name)
        if key in names:
            other, line = names[key]
            what = f"defined on line {line}" if _normal(other) == key else f"an alias of {other}"
            if what.startswith("an alias"):
                what += f" (line {line})"
            problems.add(
                table.path,
                row.line,
                table.column("entity"),
                f'entity "{name}" is already {what}; merge or rename the rows',
            )
            continue
        names[key] = (name, row.line)
        aliases: list[str] = []
        for alias in _split(row.fields.get("aliases", "")):
            alias_key = _normal(alias)
            if alias_key in names and names[alias_key][0] != name:
                other, line = names[alias_key]
                problems.add(
                    table.path,
                    row.line,
                    table.column("aliases"),
                    f'alias "{alias}" also names {other} (line {line}); keep it on one entity',
                )
                continue
            if alias_key not in names:
                names[alias_key] = (name, row.line)
                aliases.append(alias)
        entities[name] = Entity(name=name, aliases=tuple(aliases), kind=row.fields.get("kind", ""))
    return entities, names


def _check_attributes(
    table: _Table,
    problems: _Problems,
    *,
    names: dict[str, str] | None = None,
    entities_path: str = ENTITIES,
) -> tuple[dict[str, Attribute], frozenset[str]]:
    """Attributes by name, and the names whose value_type is unknown (their facts go unchecked).
    A `scope` must be a canonical entity (checked when entities.csv loaded)."""
    attributes: dict[str, Attribute] = {}
    untyped: set[str] = set()
    lines: dict[str, int] = {}
    for row in table.rows:
        name = row.fields["attribute"]
        value_type = row.fields["value_type"]
        tolerance = row.fields.get("tolerance", "")
        multivalued = row.fields.get("multivalued", "").lower()
        if not _IDENTIFIER.fullmatch(name):
            problems.add(
                table.path,
                row.line,
                table.column("attribute"),
                f'attribute "{name}" is not an identifier; use lowercase letters, digits and _',
            )
        elif name in lines:
            problems.add(
                table.path,
                row.line,
                table.column("attribute"),
                f"attribute {name} is already defined on line {lines[name]}; merge the rows",
            )
        if value_type not in VALUE_TYPES:
            problems.add(
                table.path,
                row.line,
                table.column("value_type"),
                f'value_type "{value_type}" is unknown; use one of {", ".join(VALUE_TYPES)}',
            )
        if tolerance and not _is_tolerance(tolerance):
            problems.add(
                table.path,
                row.line,
                table.column("tolerance"),
                f'tolerance "{tolerance}" is malformed; use a number like 2 or a percentage '
                "like 5%, or leave it empty for exact",
            )
        elif tolerance and value_type in VALUE_TYPES and not values.TYPES[value_type].tolerance:
            problems.add(
                table.path,
                row.line,
                table.column("tolerance"),
                f"tolerance {tolerance} applies only to count and number values, "
                f"not {value_type}; leave it empty",
            )
        if multivalued not in ("", "yes", "no"):
            problems.add(
                table.path,
                row.line,
                table.column("multivalued"),
                f'multivalued "{row.fields["multivalued"]}" must be yes, no or empty',
            )
        scope = " ".join(row.fields.get("scope", "").split())
        if scope and names is not None:
            canonical = names.get(_normal(scope), "")
            if not canonical:
                problems.add(
                    table.path,
                    row.line,
                    table.column("scope"),
                    f'scope "{scope}" is not in {entities_path}; add it there',
                )
            elif canonical != scope:
                problems.add(
                    table.path,
                    row.line,
                    table.column("scope"),
                    f'scope "{scope}" is not canonical; use "{canonical}"',
                )
        if not _IDENTIFIER.fullmatch(name) or name in lines:
            continue
        lines[name] = row.line
        if value_type not in VALUE_TYPES:
            untyped.add(name)
            continue
        attributes[name] = Attribute(
            name=name,
            value_type=value_type,
            cues=tuple(_split(row.fields.get("cues", ""))),
            tolerance=tolerance,
            # A malformed flag counts as multivalued so it raises no overlap problems of its own.
            multivalued=multivalued != "no" and multivalued != "",
            label=row.fields.get("label", "").strip(),
            scope=scope,
        )
    return attributes, frozenset(untyped)


def _check_facts(
    table: _Table,
    problems: _Problems,
    *,
    names: dict[str, str] | None,
    attributes: dict[str, Attribute] | None,
    untyped: frozenset[str],
    paths: tuple[str, str],
) -> list[tuple[int, Fact]]:
    """Facts with (line, fact); entity and attribute checks only when those tables loaded."""
    entities_path, attributes_path = paths
    facts: list[tuple[int, Fact]] = []
    lines: dict[str, int] = {}
    for row in table.rows:
        count = len(problems.items)

        def add(column: str, message: str, row: _Row = row) -> None:
            problems.add(table.path, row.line, table.column(column), message)

        fact_id, entity, name, value = (
            row.fields[column] for column in ("fact_id", "entity", "attribute", "value")
        )
        if not fact_id:
            add("fact_id", "fact_id is empty; give the fact a unique id")
        elif fact_id in lines:
            add("fact_id", f"fact_id {fact_id} is already used on line {lines[fact_id]}")
        else:
            lines[fact_id] = row.line
        if names is not None:
            canonical = names.get(_normal(entity), "")
            if not entity:
                add("entity", "entity is empty; give a canonical name from entities.csv")
            elif not canonical:
                add("entity", f'entity "{entity}" is not in {entities_path}; add it there')
            elif canonical != entity:
                add("entity", f'entity "{entity}" is not canonical; use "{canonical}"')
        attribute = None
        if attributes is not None:
            attribute = attributes.get(name)
            if attribute is None and name not in untyped:
                add("attribute", f'attribute "{name}" is not in {attributes_path}; add it there')
        if attribute is not None:
            value = _check_value(value, attribute.value_type, names, lambda m: add("value", m))
        valid_from = _check_date(row.fields["valid_from"], "valid_from", add)
        valid_to = _check_date(row.fields["valid_to"], "valid_to", add)
        if valid_from and valid_to and valid_from >= valid_to:
            add(
                "valid_to",
                f"valid_to {valid_to} is not after valid_from {valid_from}; valid_to is the "
                "first day the fact no longer held",
            )
        usable = len(problems.items) == count  # a missing source leaves the fact checkable
        if not row.fields["source"]:
            add("source", "source is empty; give a URL (https://...) or a citation")
        if usable:
            fact = Fact(
                fact_id=fact_id,
                entity=entity,
                attribute=name,
                value=value,
                valid_from=valid_from,
                valid_to=valid_to,
                source=row.fields["source"],
                note=row.fields.get("note", ""),
            )
            facts.append((row.line, fact))
    if attributes is not None:
        _check_overlaps(table, facts, attributes, problems)
    return facts


def _check_value(
    value: str,
    value_type: str,
    names: dict[str, str] | None,
    report: Callable[[str], None],
) -> str:
    """The value in stored form (list items canonical); report when it is not its type."""
    if value_type == "list":
        return _check_list(value, names, report)
    value_type_entry = values.TYPES[value_type]
    check, what = value_type_entry.valid, value_type_entry.written
    if not value:
        report(f"value is empty; give {what}")
    elif not check(value):
        report(f"value {value} is not {what}")
    return value


def _check_list(value: str, names: dict[str, str] | None, report: Callable[[str], None]) -> str:
    """The list with each item replaced by its canonical entity, joined by |."""
    items = _split(value)
    if not items:
        report("value is empty; give |-separated entity names")
        return value
    if names is None:
        return "|".join(items)
    canonical: list[str] = []
    for item in items:
        entity = _lookup(names, item)
        if not entity:
            report(f'list item "{item}" is not an entity in entities.csv; add it or fix the name')
        elif entity in canonical:
            report(f'list item "{item}" repeats {entity}; list each entity once')
        else:
            canonical.append(entity)
    return "|".join(canonical)


def _check_date(text: str, column: str, add: Callable[[str, str], None]) -> date | None:
    """The date in a valid_from/valid_to field, None when empty or malformed (reported)."""
    if not text:
        return None
    if not values.is_day(text):
        add(column, f"{column} {text} is not a date (YYYY-MM-DD)")
        return None
    return date.fromisoformat(text)


def _check_overlaps(
    table: _Table,
    facts: list[tuple[int, Fact]],
    attributes: dict[str, Attribute],
    problems: _Problems,
) -> None:
    """Single-valued attributes: no two facts of an entity overlap in time with other values."""
    groups: dict[tuple[str, str], list[tuple[int, Fact]]] = {}
    for line, fact in facts:
        attribute = attributes.get(fact.attribute)
        if attribute is not None and not attribute.multivalued:
            groups.setdefault((fact.entity, fact.attribute), []).append((line, fact))
    for group in groups.values():
        for (line, fact), (other_line, other) in _overlapping(group):
            problems.add(
                table.path,
                line,
                1,
                f"{fact.fact_id} ({fact.value}, {fact.period()}) overlaps "
                f"{other.fact_id} on line {other_line} ({other.value}, {other.period()}) "
                f"for {fact.entity} {fact.attribute}; end one period where the other starts",
            )


_Reach = tuple[date, tuple[int, Fact], frozenset[str]]  # a period's end, the fact, its value


def _overlapping(group: list[tuple[int, Fact]]) -> list[tuple[tuple[int, Fact], tuple[int, Fact]]]:
    """Pairs of facts whose periods overlap with different values, each as (the fact on the
    later line, the one on the earlier line), in O(n log n): facts in order of start date,
    each is compared with the earlier-starting fact of another value whose period reaches
    furthest; the two furthest-reaching facts with different values are all that is kept."""
    pairs = []
    reach: list[_Reach] = []
    for item in sorted(group, key=lambda item: (_period_key(item[1]), item[0])):
        fact, value = item[1], _comparable(item[1])
        start = fact.valid_from or date.min
        other = next((entry for entry in reach if entry[2] != value), None)
        if other is not None and start < other[0]:
            pairs.append((item, other[1]) if item[0] > other[1][0] else (other[1], item))
        reach = _furthest([*reach, (fact.valid_to or date.max, item, value)])
    return pairs


def _furthest(entries: list[_Reach]) -> list[_Reach]:
    """The entry that reaches furthest, and the furthest one with another value."""
    ranked = sorted(entries, key=lambda entry: entry[0], reverse=True)
    first = ranked[0]
    other = next((entry for entry in ranked[1:] if entry[2] != first[2]), None)
    return [first] if other is None else [first, other]


def _check_checked_claims(table: _Table, problems: _Problems) -> tuple[CheckedClaim, ...]:
    """Checked claims with unique ids, a true/false verdict, an explanation and a source."""
    claims: list[CheckedClaim] = []
    lines: dict[str, int] = {}
    for row in table.rows:
        count = len(problems.items)

        def add(column: str, message: str, row: _Row = row) -> None:
            problems.add(table.path, row.line, table.column(column), message)

        claim_id = row.fields["claim_id"]
        verdict = row.fields["verdict"].lower()
        if not claim_id:
            add("claim_id", "claim_id is empty; give the claim a unique id")
        elif claim_id in lines:
            add("claim_id", f"claim_id {claim_id} is already used on line {lines[claim_id]}")
        else:
            lines[claim_id] = row.line
        if not row.fields["claim"]:
            add("claim", "claim is empty; give the proposition as a full sentence")
        if verdict not in VERDICT_WORDS:
            add("verdict", f'verdict "{row.fields["verdict"]}" must be true or false')
        if not row.fields["explanation"]:
            add("explanation", "explanation is empty; give the correction in a sentence or two")
        if not row.fields["source"]:
            add("source", "source is empty; give a URL (https://...) or a citation")
        if len(problems.items) == count:
            claims.append(
                CheckedClaim(
                    claim_id=claim_id,
                    claim=row.fields["claim"],
                    verdict=verdict,
                    explanation=row.fields["explanation"],
                    source=row.fields["source"],
                )
            )
    return tuple(claims)


def _digest(raw: dict[str, bytes | None]) -> str:
    """sha256 over each file's name, length and bytes, in a fixed order."""
    digest = hashlib.sha256()
    for name in FILES:
        data = raw.get(name)
        digest.update(name.encode())
        digest.update(b"-" if data is None else len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _name_index(entities: Iterable[Entity]) -> dict[str, str]:
    """Every lowercased name and alias -> canonical entity."""
    names: dict[str, str] = {}
    for entity in entities:
        for name in (entity.name, *entity.aliases):
            names.setdefault(_normal(name), entity.name)
    return names


def _lookup(names: dict[str, str], name: str) -> str:
    """The canonical entity for an exact (case-insensitive) name, "" when there is none."""
    key = _normal(name)
    return names.get(key) or names.get(_bare(key), "")


def _normal(name: str) -> str:
    """Lowercase, single spaces, straight apostrophes."""
    return " ".join(name.replace("\u2019", "'").split()).lower()


def _bare(key: str) -> str:
    """A normalized name without a leading "the" and a trailing possessive."""
    return _strip_possessive(_LEADING_THE.sub("", key))


def _strip_possessive(text: str) -> str:
    """The text without a trailing 's or ' (Japan's, the United States')."""
    text = text.replace("\u2019", "'")
    if text.lower().endswith("'s"):
        return text[:-2]
    return text[:-1] if text.endswith("'") else text


def _fold(text: str) -> str:
    """Lowercase, accents removed, punctuation to spaces: the form fuzzy matching compares."""
    decomposed = unicodedata.normalize("NFKD", text)
    return utils.default_process("".join(c for c in decomposed if not unicodedata.combining(c)))


def _name_score(
    query: str, choice: str, *, score_cutoff: float | None = None, **_: object
) -> float:
    """How well a person's name matches a value: shared tokens, or a misspelled single name."""
    score = fuzz.token_set_ratio(query, choice)
    tokens = query.split()
    # A surname alone ("Zelensky") may be spelled differently from the stored one ("Zelenskyy").
    if len(tokens) == 1 and len(query) > SHORT_NAME:
        score = max([score, *(fuzz.ratio(query, token) for token in choice.split())])
    return score if score_cutoff is None or score >= score_cutoff else 0.0


def _period_key(fact: Fact) -> tuple[date, date, str]:
    """Sort key: by valid_from (open start first), then valid_to, then id."""
    return (fact.valid_from or date.min, fact.valid_to or date.max, fact.fact_id)


def _comparable(fact: Fact) -> frozenset[str]:
    """A value in a form where equal values compare equal (list order and case ignored)."""
    return (
        frozenset(item.lower() for item in fact.items)
        if "|" in fact.value
        else frozenset({" ".join(fact.value.split()).lower()})
    )


def _split(text: str) -> list[str]:
    """The non-empty, stripped items of a |-separated field."""
    return [" ".join(part.split()) for part in text.split("|") if part.strip()]


def _is_tolerance(text: str) -> bool:
    """An absolute tolerance like 2 or 2.5, or a relative one like 5%."""
    return bool(_TOLERANCE.fullmatch(text))
