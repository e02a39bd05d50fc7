"""Read articles from files and folders: one Article, or one Skipped saying why, per input.

Formats, by file extension:
- .txt: plain text; .md, .markdown: Markdown (front matter, markup and link targets removed);
- .html, .htm: the page's main text, extracted with trafilatura (lxml text as a fallback);
- .jsonl: a batch, one JSON object a line; .csv: a batch with a header row.
A batch record has `id` (required), `text` or `html`, and optional `url`, `title`,
`published`, `author`, `publisher`, each a string (or a number); a record whose field is an
array or an object,
or holds an unpaired surrogate, is skipped. Batches are streamed line by line, each line
held in bounded memory (see pipeline.batches), and `max_bytes` limits each record's text;
every other file is checked against `max_bytes` (with stat) before it is read.
Text that is not UTF-8 is still read (see pipeline.encoding): UTF-16 by its BOM or its NUL
pattern, UTF-8 with stray bytes replaced, else cp1252 or latin-1; a stray NUL is dropped.
Symbolic link loops, broken links, binary and empty files, unreadable folders, and pages
declaring an XML DTD (a possible entity-expansion bomb) are skipped with their reason; pages
nesting deeper than libxml2 parses lose their deepest tags, never their text.

Folders are searched recursively, hidden files and folders left out; a file of another type
(.docx, .pdf) is listed as skipped, and the paths given in `exclude` (factcheck's own reports
and store) are left out, or listed as skipped with their reason. A symbolic link that
leads out of the files and folders given is listed as skipped, not followed, unless
`follow_links`; a link to a file inside them is read; a link to a folder inside them is not
descended, as that folder's files are read where they are (and no loop is ever entered).
Ids and sources are the paths as text: bytes of a file name that are not UTF-8 are written
as backslash escapes (`caf\\xe9.txt`), so that the store and the report can hold them.

The publication date is taken, in order, from:
1. the record's `published` field (date_source "record");
2. the page's metadata via htmldate, without guessing from body text (date_source "html");
3. Markdown front matter, or a labelled line near the top of the text such as
   "Published: 2024-04-29" or "Posted on March 1, 2024", a published date winning over an
   updated one (date_source "text").

The URL, author and publisher come from the record's fields, the page's metadata, Markdown
front matter, or a labelled line near the top of a text ("URL: https://...", "Author: ...",
"Publisher: ...").
"""

from __future__ import annotations

import errno
import logging
import os
import re
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import trafilatura
from dateutil import parser as date_parser

from pipeline.batches import LineReader, Record, csv_records, jsonl_records, line_limit
from pipeline.clean import BULLET, clean_text
from pipeline.encoding import decode, sniff
from pipeline.errors import UsageError
from pipeline.markdown import flatten_tables, markdown_to_text
from pipeline.models import Article, Skipped

logger = logging.getLogger(__name__)

FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".csv": "csv",
}
BATCH_FORMATS = frozenset({"jsonl", "csv"})
DATE_LINES = 15  # how many non-empty lines at the top may carry a dated line
_SNIFF_BYTES = 8192
# htmldate on markup only (meta tags, JSON-LD, <time>): no guessing from the body text.
_HTMLDATE_PARAMS = {"extensive_search": False, "original_date": True}
RECORD_FIELDS = ("id", "text", "html", "title", "url", "published", "author", "publisher")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class _Page:
    """What an HTML page gives: its main text and metadata."""

    text: str
    title: str = ""
    url: str = ""
    published: date | None = None
    author: str = ""
    publisher: str = ""


@dataclass(frozen=True, slots=True)
class _Scope:
    """The files and folders given (their real paths), and whether links leaving them are
    followed."""

    folders: tuple[str, ...]
    files: frozenset[str]
    follow_links: bool
    excluded: Mapping[str, str]  # real path -> why it is not read ("": left out unlisted)

    def holds(self, real: str) -> bool:
        """True when the real path `real` is a file given or lies in a folder given."""
        return real in self.files or any(
            real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)
            for folder in self.folders
        )


def iter_articles(
    paths: Sequence[Path],
    *,
    max_bytes: int = 5_000_000,
    follow_links: bool = False,
    exclude: Mapping[Path, str] | None = None,
) -> Iterator[Article | Skipped]:
    """Yield an Article or a Skipped for every file and batch record under `paths`, in order;
    with `follow_links`, symbolic links leading out of `paths` are followed too. The files
    and folders in `exclude` are not read: listed as skipped with their reason, or left out
    when the reason is ""."""
    roots = [Path(path) for path in paths]
    for root in roots:
        if not root.exists():
            raise UsageError(f"{display(root)}: no such file or folder")
    if max_bytes < 1:
        raise UsageError(f"max_bytes must be a positive number of bytes, not {max_bytes}")
    return _iter_roots(roots, scope=_scope(roots, follow_links, exclude), max_bytes=max_bytes)


def count_inputs(
    paths: Sequence[Path],
    *,
    follow_links: bool = False,
    exclude: Mapping[Path, str] | None = None,
) -> int:
    """About how many items `iter_articles` yields for `paths`, without reading articles: one
    a file or skip, one a non-blank line of a batch (a CSV's header and quoted line breaks
    make it an estimate). For a progress bar's total."""
    roots = [Path(path) for path in paths if Path(path).exists()]
    scope = _scope(roots, follow_links, exclude)
    total = 0
    for root in roots:
        if _excluded(os.path.realpath(root), scope) is not None:
            total += 1
            continue
        found = _walk(root, scope) if root.is_dir() else [root]
        for item in found:
            kind = None if isinstance(item, Skipped) else FORMATS.get(item.suffix.lower())
            total += _count_records(item) if kind in BATCH_FORMATS else 1
    return total


def _count_records(path: Path) -> int:
    """The non-blank lines of a batch file (at least 1: the file itself may be a skip)."""
    count = 0
    try:
        with path.open("rb") as stream:
            for line in stream:
                count += bool(line.strip())
    except OSError:
        return 1
    return max(count, 1)


def _scope(roots: list[Path], follow_links: bool, exclude: Mapping[Path, str] | None) -> _Scope:
    """The folders and files given, by real path, and what is not to be read."""
    return _Scope(
        folders=tuple(os.path.realpath(root) for root in roots if root.is_dir()),
        files=frozenset(os.path.realpath(root) for root in roots if not root.is_dir()),
        follow_links=follow_links,
        excluded={os.path.realpath(path): reason for path, reason in (exclude or {}).items()},
    )


def _excluded(real: str, scope: _Scope) -> str | None:
    """Why the real path `real` is not read ("" to leave it out unlisted), or None to read it."""
    return scope.excluded.get(real)


def unsupported_reason(suffix: str) -> str:
    """Why a file of another type is not read, naming the types that are."""
    return f"not a supported type: {suffix or '(no extension)'}; supported: {', '.join(FORMATS)}"


def display(path: Path | str) -> str:
    """A path as text for ids, sources and messages: bytes of its name that are not UTF-8
    (which Python holds as lone surrogates) as backslash escapes."""
    text = path.as_posix() if isinstance(path, Path) else path
    return os.fsencode(text).decode("utf-8", errors="backslashreplace")


def _iter_roots(roots: list[Path], *, scope: _Scope, max_bytes: int) -> Iterator[Article | Skipped]:
    """The articles of each root in turn: a folder's files by relative path, or the file.
    Ids are relative to their root whatever else is given, so that they stay the same from
    run to run; the runner reports two articles with one id."""
    for root in roots:
        reason = _excluded(os.path.realpath(root), scope)
        if reason is not None:
            if reason:
                yield Skipped(display(root), reason)
            continue
        if root.is_dir():
            for found in _walk(root, scope):
                if isinstance(found, Skipped):
                    yield found
                    continue
                article_id = display(found.relative_to(root))
                yield from _read_file(found, article_id=article_id, max_bytes=max_bytes)
        else:
            yield from _read_file(root, article_id=display(root.name), max_bytes=max_bytes)


def _walk(root: Path, scope: _Scope) -> list[Path | Skipped]:
    """The supported, non-hidden files under `root`, and a Skipped for each folder that
    cannot be read and each link not followed, sorted by their relative path. Each real
    folder is read once, so a link back to a folder above is never a loop."""
    found: list[tuple[tuple[str, ...], Path | Skipped]] = []
    seen: set[tuple[int, int]] = set()
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            info = folder.stat()
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as e:
            reason = f"cannot read folder: {e.strerror or e}"
            found.append((folder.relative_to(root).parts, Skipped(display(folder), reason)))
            continue
        real_folder = os.path.realpath(folder)
        for entry in entries:
            path = Path(entry.path)
            excluded = _excluded(os.path.join(real_folder, entry.name), scope)
            if entry.name.startswith(".") or excluded == "":
                continue
            item = Skipped(display(path), excluded) if excluded else _entry(entry, path, scope)
            if item == "folder":
                pending.append(path)
            elif item is not None:
                found.append((path.relative_to(root).parts, item))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _entry(
    entry: os.DirEntry[str], path: Path, scope: _Scope
) -> Path | Skipped | Literal["folder"] | None:
    """What a folder entry is: a file to read (its path), "folder" to descend, a Skipped
    file of another type or link that is not followed, or None to leave out (links to
    folders inside the folders given, links to factcheck's own output)."""
    try:
        is_link, is_folder = entry.is_symlink(), entry.is_dir()
    except OSError:
        is_link, is_folder = True, False
    suffix = Path(entry.name).suffix
    if not is_folder and suffix.lower() not in FORMATS:
        return Skipped(display(path), unsupported_reason(suffix))
    if not is_link:
        return "folder" if is_folder else path
    target = os.path.realpath(path)
    if _excluded(target, scope) is not None:
        return None  # a link to factcheck's own output
    if not is_folder and not os.path.exists(path):
        return path  # a broken link or a link loop: reading it names which
    if scope.holds(target):
        return None if is_folder else path
    if scope.follow_links:
        return "folder" if is_folder else path
    kind, verb = ("folder", "followed") if is_folder else ("file", "read")
    return Skipped(
        display(path),
        f"symbolic link to a {kind} outside the folders given ({display(target)}); "
        f"not {verb}: give --follow-links to read it",
    )


# -- files -------------------------------------------------------------------------------


def _read_file(path: Path, *, article_id: str, max_bytes: int) -> Iterator[Article | Skipped]:
    """The article in one file, or each record of a batch file."""
    source = display(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        yield Skipped(source, unsupported_reason(path.suffix))
        return
    try:
        info = path.stat()
    except OSError as e:
        yield Skipped(source, _stat_error(path, e))
        return
    if not stat.S_ISREG(info.st_mode):
        yield Skipped(source, "not a regular file")
        return
    size = info.st_size
    if size == 0:
        yield Skipped(source, "empty file")
        return
    if kind in BATCH_FORMATS:
        yield from _read_batch(path, kind=kind, max_bytes=max_bytes, source=source)
        return
    if size > max_bytes:
        yield Skipped(source, f"larger than max bytes ({size} > {max_bytes})")
        return
    try:
        data = path.read_bytes()
    except OSError as e:
        yield Skipped(source, f"cannot read: {e.strerror or e}")
        return
    decoded = decode(data)
    if decoded is None:
        yield Skipped(source, "binary file")
        return
    raw, fallback = decoded
    if fallback:
        logger.warning("%s: not valid UTF-8, read as %s", source, fallback)
    if not raw.strip():
        yield Skipped(source, "empty file")
        return
    try:
        yield _document(raw, kind=kind, article_id=article_id, source=source)
    except Exception as e:  # one odd file never stops the batch
        yield Skipped(source, _internal_error(e))


def _internal_error(error: Exception) -> str:
    """The reason for an input whose reading failed where nothing should fail."""
    return f"internal error ({type(error).__name__}): {error}; please report it"


def _stat_error(path: Path, error: OSError) -> str:
    """Why a file cannot be looked at: a symbolic link loop, a broken link, or the OS's word."""
    if error.errno == errno.ELOOP:
        return "symbolic link loop (the link leads back to itself)"
    if path.is_symlink():
        return "broken symbolic link (its target does not exist)"
    return f"cannot read: {error.strerror or error}"


def _document(raw: str, *, kind: str, article_id: str, source: str) -> Article | Skipped:
    """One text, Markdown or HTML file as an Article."""
    title = ""
    meta: Mapping[str, str] = {}
    published: date | None = None
    date_source = ""
    if kind == "html":
        if _INTERNAL_DTD.search(raw):
            return Skipped(source, INTERNAL_DTD_REASON)
        page = _read_html(raw)
        text, title = page.text, page.title
        meta = {"url": page.url, "author": page.author, "publisher": page.publisher}
        if page.published:
            published, date_source = page.published, "html"
    elif kind == "markdown":
        body, meta = markdown_to_text(raw)
        text = clean_text(body)
        title = meta.get("title", "")
        published = _front_matter_date(meta)
        date_source = "text" if published else ""
    else:
        text = clean_text(raw)
    if not text:
        return Skipped(source, "no text found")
    if published is None:
        published = find_text_date(text)
        date_source = "text" if published else ""
    labelled = find_text_fields(text) if kind != "html" else {}
    return Article(
        id=article_id,
        text=text,
        published=published,
        date_source=date_source,
        title=title,
        url=meta.get("url", "").strip() or labelled.get("url", ""),
        source=source,
        author=_one_line(meta.get("author", "")) or labelled.get("author", ""),
        publisher=_one_line(meta.get("publisher", "")) or labelled.get("publisher", ""),
    )


# -- batches -----------------------------------------------------------------------------


def _read_batch(
    path: Path, *, kind: str, max_bytes: int, source: str
) -> Iterator[Article | Skipped]:
    """Each record of a JSONL or CSV batch, streamed (see pipeline.batches)."""
    try:
        with path.open("rb") as stream:
            encoding = sniff(stream.read(_SNIFF_BYTES))
            if encoding is None:
                yield Skipped(source, "binary file")
                return
            reader = LineReader(stream, encoding, limit=line_limit(max_bytes), source=source)
            records = jsonl_records if kind == "jsonl" else csv_records
            for item in records(reader, encoding.bom, max_bytes=max_bytes):
                yield item if isinstance(item, Skipped) else _record(item, source, max_bytes)
    except OSError as e:
        yield Skipped(source, f"cannot read: {e.strerror or e}")


def _record(item: Record, source: str, max_bytes: int) -> Article | Skipped:
    """A batch record as an Article, or a Skipped saying why it is not one."""
    line, record = item
    where = f"{source}:{line}"
    try:
        fields = _record_fields(record)
        if isinstance(fields, str):
            return Skipped(where, fields)
        return _record_article(fields, source=source, line=line, max_bytes=max_bytes)
    except Exception as e:  # one odd record never stops the batch
        return Skipped(where, _internal_error(e))


def _record_fields(record: Mapping[str, object]) -> dict[str, str] | str:
    """A record's fields as stripped text ('' when absent or null), or why they are not
    text: an array or object, or an unpaired surrogate (a broken character escape)."""
    fields: dict[str, str] = {}
    for name in RECORD_FIELDS:
        value = record.get(name)
        if isinstance(value, (list, dict)):
            kind = "an array" if isinstance(value, list) else "an object"
            return f"field {name!r} is {kind}, not text"
        text = "" if value is None else value if isinstance(value, str) else str(value)
        surrogate = _SURROGATE.search(text)
        if surrogate:
            code = f"\\u{ord(surrogate.group()):04x}"
            return f"field {name!r} holds an unpaired surrogate ({code}), which is not text"
        fields[name] = text.strip()
    return fields


def _record_article(
    fields: Mapping[str, str], *, source: str, line: int, max_bytes: int
) -> Article | Skipped:
    """One batch record's fields (from `source`:`line`) as an Article."""
    where = f"{source}:{line}"
    article_id = fields["id"]
    if not article_id:
        return Skipped(where, "missing id")
    text, markup = fields["text"], fields["html"]
    if not text and not markup:
        return Skipped(where, "record has no text or html")
    size = len((text or markup).encode("utf-8"))
    if size > max_bytes:
        return Skipped(where, f"larger than max bytes ({size} > {max_bytes})")
    if markup and not text and _INTERNAL_DTD.search(markup):
        return Skipped(where, INTERNAL_DTD_REASON)
    title, url = fields["title"], fields["url"]
    author, publisher = _one_line(fields["author"]), _one_line(fields["publisher"])
    published: date | None = None
    date_source = ""
    stated = fields["published"]
    if stated:
        published = parse_date(stated)
        if published is None:
            return Skipped(where, f"published {stated!r} is not a date (use YYYY-MM-DD)")
        date_source = "record"
    page = _read_html(markup, url=url) if markup else None
    if page:
        title, url = title or page.title, url or page.url
        author, publisher = author or page.author, publisher or page.publisher
        if published is None and page.published:
            published, date_source = page.published, "html"
    body = clean_text(text) if text else page.text if page else ""
    if not body:
        return Skipped(where, "no text found")
    if published is None:
        published = find_text_date(body)
        date_source = "text" if published else ""
    return Article(
        id=article_id,
        text=body,
        published=published,
        date_source=date_source,
        title=title,
        url=url,
        source=source,
        line=line,
        author=author,
        publisher=publisher,
    )


# -- HTML --------------------------------------------------------------------------------


# A DOCTYPE with an internal subset can declare entities that expand exponentially ("billion
# laughs"); HTML pages never carry one, so such a page is not parsed at all.
_INTERNAL_DTD = re.compile(r"<!DOCTYPE\b[^>\[]*\[", re.IGNORECASE)
INTERNAL_DTD_REASON = (
    "declares an XML DTD (<!DOCTYPE ... [ ]>), which web pages do not use; "
    "not read, as it may be an entity-expansion bomb"
)
# libxml2 drops everything below 256 nested elements (the rest of the page is lost), so
# deeper tags are removed, keeping their text, before a page is parsed.
_MAX_DEPTH = 200
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)(?:\s[^<>]*)?(/?)>")
_VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)


# Control characters that no HTML text may hold and lxml refuses in a text node.
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _read_html(markup: str, *, url: str = "") -> _Page:
    """The main text and metadata of an HTML page."""
    markup = _XML_INCOMPATIBLE.sub(" ", _shallow(markup))
    try:
        document = trafilatura.bare_extraction(
            markup,
            url=url or None,
            favor_recall=True,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            date_extraction_params=dict(_HTMLDATE_PARAMS),
        )
    except Exception as e:  # a heuristic cascade: one odd page must not stop the batch
        logger.warning("trafilatura failed (%s); using the page's plain text", e)
        document = None
    text = clean_text(flatten_tables(document.text or "")) if document else ""
    if not text:
        text = clean_text(_html_plain_text(markup))
    if document is None:
        return _Page(text=text)
    return _Page(
        text=text,
        title=clean_text(document.title or "").replace("\n", " "),
        url=document.url or "",
        published=_iso_date(document.date),
        author=_one_line(document.author or ""),
        publisher=_one_line(document.sitename or ""),
    )


_BLOCK_TAGS = ("p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "header")
_BLOCK_TAGS += ("footer", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _html_plain_text(markup: str) -> str:
    """All visible text of a page, one line per block element (the fallback extractor)."""
    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", markup))
    except (lxml.etree.ParserError, ValueError):
        return ""
    for element in list(tree.iter("script", "style", "noscript", "template", "head")):
        element.drop_tree()
    for element in tree.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    return tree.text_content()


def _shallow(markup: str) -> str:
    """`markup` as is, or, when it nests too deep for libxml2, with the tags below
    _MAX_DEPTH removed (their text kept)."""
    parser = lxml.html.HTMLParser()
    try:
        lxml.html.document_fromstring(_XML_DECLARATION.sub("", markup), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return markup
    if not any("depth" in entry.message.lower() for entry in parser.error_log):
        return markup
    parts: list[str] = []
    depth, done = 0, 0
    dropped: dict[str, int] = {}
    for match in _TAG.finditer(markup):
        closing, name, empty = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID_TAGS or empty:
            continue
        if closing and dropped.get(name):
            dropped[name] -= 1
        elif closing:
            depth = max(depth - 1, 0)
            continue
        elif depth < _MAX_DEPTH:
            depth += 1
            continue
        else:
            dropped[name] = dropped.get(name, 0) + 1
        parts.append(markup[done : match.start()])
        done = match.end()
    parts.append(markup[done:])
    return "".join(parts)


def _iso_date(value: str | None) -> date | None:
    """A YYYY-MM-DD string as a date (None when absent or not a date)."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# -- Markdown front matter -------------------------------------------------------------

_PUBLISHED_KEYS = ("published", "date", "publishdate", "pubdate", "date_published", "created")
_UPDATED_KEYS = ("updated", "lastmod", "modified", "last_modified", "date_modified")


def _front_matter_date(meta: Mapping[str, str]) -> date | None:
    """The published date in front matter, else the updated one."""
    for keys in (_PUBLISHED_KEYS, _UPDATED_KEYS):
        for key in keys:
            found = parse_date(meta.get(key, ""))
            if found:
                return found
    return None


# -- dates -------------------------------------------------------------------------------

_DATE_LINE = re.compile(
    r"""^(?:
        (?P<updated>(?:last\s+)?(?:updated|modified|revised))
        | (?P<published>(?:date\s+)?(?:first\s+)?(?:published|posted)|publication\s+date|dated?)
    )(?:\s+on)?\s*[:-]?\s*(?:on\s+)?(?P<value>\S.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
_MAX_DATE_WORDS = 8
# All-numeric day/month orders that dateutil would read month first: "03/04/2024".
_AMBIGUOUS_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}$")
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))


def find_text_date(text: str) -> date | None:
    """The date of a labelled line near the top ("Published: 2024-04-29"); published wins."""
    found: dict[str, date] = {}
    lines = (line.strip() for line in text.splitlines())
    for count, line in enumerate(filter(None, lines), start=1):
        if count > DATE_LINES:
            break
        match = _DATE_LINE.match(line.removeprefix(BULLET))
        if match:
            label = "published" if match.group("published") else "updated"
            day = _leading_date(match.group("value"))
            if day and label not in found:
                found[label] = day
    return found.get("published") or found.get("updated")


def _leading_date(value: str) -> date | None:
    """The date that a labelled line's value starts with ("3 May 2023 | By A. Writer")."""
    words = value.split()[:_MAX_DATE_WORDS]
    for size in range(len(words), 0, -1):
        found = parse_date(" ".join(words[:size]).rstrip(",;|-"))
        if found:
            return found
    return None


def parse_date(value: str) -> date | None:
    """A full date (day, month and year all given) as a date, else None; no fuzzy guessing."""
    value = value.strip()
    if not value or len(value) > 60 or not re.search(r"\d", value):
        return None
    match = _AMBIGUOUS_DATE.match(value)
    if match and match.group(1) != match.group(2) and max(map(int, match.groups())) <= 12:
        return None
    try:
        first, second = (
            date_parser.parse(value, default=default, ignoretz=True) for default in _DEFAULTS
        )
    except (ValueError, OverflowError):
        return None
    if first != second or not 1800 <= first.year <= 2200:
        return None  # a part was missing and filled from the default
    return first.date()


# -- URL, author and publisher lines ---------------------------------------------------

_FIELD_LINE = re.compile(
    r"^(?:(?P<url>(?:canonical\s+)?url)|(?P<author>author|byline)|(?P<publisher>publisher))"
    r"\s*:\s*(?P<value>\S.*)$",
    re.IGNORECASE,
)
_MAX_FIELD_CHARS = 200


def find_text_fields(text: str) -> dict[str, str]:
    """The URL, author and publisher of labelled lines near the top of a text ("URL:
    https://...", "Author: ...", "Publisher: ..."); the first of each counts, and a URL
    only when it is an http(s) address."""
    found: dict[str, str] = {}
    lines = (line.strip() for line in text.splitlines())
    for count, line in enumerate(filter(None, lines), start=1):
        if count > DATE_LINES:
            break
        match = _FIELD_LINE.match(line.removeprefix(BULLET))
        if not match:
            continue
        name = next(key for key in ("url", "author", "publisher") if match.group(key))
        value = match.group("value").strip()
        value = _web_url(value) if name == "url" else _one_line(value)
        if value and name not in found:
            found[name] = value
    return found


def _web_url(value: str) -> str:
    """`value` when it is one absolute http(s) URL, else ""."""
    value = value.strip().strip("<>")
    if not value or any(character.isspace() for character in value):
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:  # a malformed address ("http://[x")
        return ""
    return value if parts.scheme in ("http", "https") and parts.netloc else ""


def _one_line(value: str) -> str:
    """A name as one line of at most _MAX_FIELD_CHARS characters ("" when longer)."""
    value = " ".join(value.split())
    return value if len(value) <= _MAX_FIELD_CHARS else ""
