"""The `factcheck serve` web app (Starlette): pages where editors work through the findings
in the store and decide on them, and a JSON API.

    GET  /                                 the queue: open discrepancies, newest run first
    GET  /articles/{article_id}            an article with its claims highlighted in place
    GET  /findings/{finding_id}            a finding and the full history of its decisions
    GET  /facts                            curation to-do: the facts editors dispute most
    GET  /facts/{fact_id}                  a reference fact and the findings resting on it
    GET  /api/findings                     the queue as JSON (same filters and pages)
    GET  /api/findings/{finding_id}        a finding as JSON, with its history
    POST /api/findings/{finding_id}/decision   {"status", "note", "by"}: record a decision
    GET  /static/serve.css, /static/serve.js

Queue filters (query parameters, on / and /api/findings): verdict (repeatable; default the
discrepancies, `all` for every verdict), status (repeatable; default open, `any`), article,
entity, attribute, fact, q (words to search for); page (from 1) and per_page (up to 200).

Decisions are recorded by `Store.decide`, the function `factcheck flag` uses, so they show in
`factcheck flags`, `flags export`, reports and ClaimReview. Every page is rendered by Jinja2
with autoescaping; the one script and stylesheet are files served here (see security.py).
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from pipeline.errors import FactcheckError, UsageError
from pipeline.models import FLAG_STATUSES, VERDICTS
from pipeline.reference import Reference
from pipeline.store import Decision, Store, StoreError

from . import queries
from .security import LOCAL_HOSTS, App, Guard

MAX_BODY = 64 * 1024  # bytes of a decision request
MAX_NOTE = 5_000  # characters of a note
MAX_BY = 100  # characters of an editor's name
FACT_FINDINGS = 20  # findings listed on a fact page
LINK_SCHEMES = ("http", "https")
NO_STORE = {"cache-control": "no-store"}


class Stores:
    """The store, opened once per thread (an SQLite connection stays in its thread); all of
    the app's requests run in the event loop's thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()

    def get(self) -> Store:
        store = getattr(self.local, "store", None)
        if store is None:
            stack = ExitStack()
            store = stack.enter_context(Store.open(self.path, create=False))
            self.local.store, self.local.stack = store, stack
        return store

    def close(self) -> None:
        """Close this thread's store."""
        stack = getattr(self.local, "stack", None)
        if stack is not None:
            stack.close()
            self.local.store = self.local.stack = None


def create_app(
    db: Path,
    *,
    reference: Reference | None = None,
    token: str | None = None,
    port: int = 0,
    hosts: frozenset[str] = LOCAL_HOSTS,
) -> App:
    """The app over the store at `db` (which must exist), guarded (see security.Guard); fact
    pages read `reference` when given."""
    stores = Stores(Path(db))
    facts = {fact.fact_id: fact for fact in reference.facts} if reference else {}
    checked = {claim.claim_id: claim for claim in reference.checked_claims} if reference else {}
    static = {
        "serve.css": (_stylesheet(), "text/css; charset=utf-8"),
        "serve.js": (_asset("serve.js"), "text/javascript; charset=utf-8"),
    }

    def page(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
        html = (
            environment()
            .get_template(name)
            .render(csrf=request.state.csrf, search=context.pop("search", ""), **context)
        )
        return HTMLResponse(html, status_code=status, headers=NO_STORE)

    async def queue_page(request: Request) -> Response:
        params = list(request.query_params.multi_items())
        try:
            filters = queries.parse_filters(params)
            number, per_page = queries.parse_page(params)
        except queries.FilterError as error:
            return page(request, "error.html.j2", 400, title="Bad filter", message=str(error))
        found = queries.queue(stores.get(), filters, page=number, per_page=per_page)
        return page(
            request,
            "queue.html.j2",
            filters=filters,
            found=found,
            histories=queries.histories(stores.get(), [i.finding_id for i in found.items]),
            previous=_link("/", filters, found.previous, per_page),
            next=_link("/", filters, found.next, per_page),
            verdict_choice=_choice(filters.verdicts, queries.DISCREPANCIES, "all"),
            status_choice=_choice(filters.statuses, ("open",), "any"),
            search=filters.search,
        )

    async def article_page(request: Request) -> Response:
        article_id = request.path_params["article_id"]
        view = queries.article(stores.get(), article_id)
        if view is None:
            raise HTTPException(404, f"no article {article_id!r} in the store")
        ids = [item.finding_id for item in view.items]
        return page(
            request,
            "article.html.j2",
            view=view,
            histories=queries.histories(stores.get(), ids),
        )

    async def finding_page(request: Request) -> Response:
        finding_id = request.path_params["finding_id"]
        item = queries.finding(stores.get(), finding_id)
        if item is None:
            raise HTTPException(404, f"no finding {finding_id!r} in the store")
        return page(
            request,
            "finding.html.j2",
            item=item,
            histories={item.finding_id: stores.get().history(item.finding_id)},
        )

    async def facts_page(request: Request) -> Response:
        return page(
            request,
            "facts.html.j2",
            disputed=queries.disputed_facts(stores.get()),
            facts=facts,
            checked=checked,
            has_reference=reference is not None,
        )

    async def fact_page(request: Request) -> Response:
        fact_id = request.path_params["fact_id"]
        fact = facts.get(fact_id)
        claim = checked.get(fact_id)
        filters = queries.Filters(verdicts=(), statuses=(), fact=fact_id)
        found = queries.queue(stores.get(), filters, per_page=FACT_FINDINGS)
        if fact is None and claim is None and not found.total:
            raise HTTPException(404, f"no fact {fact_id!r} in the reference or the store")
        return page(
            request,
            "fact.html.j2",
            fact_id=fact_id,
            fact=fact,
            claim=claim,
            over_time=reference.facts_for(fact.entity, fact.attribute)
            if fact and reference
            else (),
            found=found,
            histories=queries.histories(stores.get(), [i.finding_id for i in found.items]),
            all_link=_link("/", filters, 1, queries.PER_PAGE),
            reference_folder=str(reference.folder) if reference else "",
        )

    async def api_list(request: Request) -> Response:
        params = list(request.query_params.multi_items())
        try:
            filters = queries.parse_filters(params)
            number, per_page = queries.parse_page(params)
        except queries.FilterError as error:
            return _error(400, str(error))
        found = queries.queue(stores.get(), filters, page=number, per_page=per_page)
        return JSONResponse(
            {
                "total": found.total,
                "page": found.page,
                "per_page": found.per_page,
                "pages": found.pages,
                "next": _link("/api/findings", filters, found.next, per_page),
                "previous": _link("/api/findings", filters, found.previous, per_page),
                "items": [item.to_json() for item in found.items],
            },
            headers=NO_STORE,
        )

    async def api_finding(request: Request) -> Response:
        finding_id = request.path_params["finding_id"]
        item = queries.finding(stores.get(), finding_id)
        if item is None:
            return _error(404, f"no finding {finding_id!r} in the store")
        data = item.to_json()
        data["history"] = [_decision(d) for d in stores.get().history(finding_id)]
        return JSONResponse(data, headers=NO_STORE)

    async def api_decide(request: Request) -> Response:
        finding_id = request.path_params["finding_id"]
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return _error(400, "send the decision as JSON (Content-Type: application/json)")
        body = await request.body()
        if len(body) > MAX_BODY:
            return _error(413, f"the request is larger than {MAX_BODY} bytes")
        try:
            status, note, by = _read_decision(body)
        except ValueError as error:
            return _error(400, str(error))
        store = stores.get()
        before = store.history(finding_id)
        try:
            store.decide([(finding_id, status, note, by)])
        except UsageError:
            return _error(404, f"no finding {finding_id!r} in the store")
        after = store.history(finding_id)
        return JSONResponse(
            {
                "finding_id": finding_id,
                "decision": _decision(after[-1]),
                "previous": _decision(before[-1]) if before else None,
            },
            headers=NO_STORE,
        )

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in static:
            raise HTTPException(404, f"no file {name!r}")
        text, kind = static[name]
        return Response(text, media_type=kind, headers={"cache-control": "no-cache"})

    async def not_found(request: Request, error: Exception) -> Response:
        detail = error.detail if isinstance(error, HTTPException) else "not found"
        code = error.status_code if isinstance(error, HTTPException) else 404
        if request.url.path.startswith("/api/"):
            return _error(code, str(detail))
        return page(request, "error.html.j2", code, title="Not found", message=str(detail))

    async def store_failed(request: Request, error: Exception) -> Response:
        message = str(error) if isinstance(error, FactcheckError) else f"the store: {error}"
        if request.url.path.startswith("/api/"):
            return _error(503, message)
        return page(request, "error.html.j2", 503, title="Store unavailable", message=message)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stores.get()  # open (and check) the store before the first request
        try:
            yield
        finally:
            stores.close()

    routes = [
        Route("/", queue_page),
        Route("/articles/{article_id:path}", article_page),
        Route("/findings/{finding_id}", finding_page),
        Route("/facts", facts_page),
        Route("/facts/{fact_id:path}", fact_page),
        Route("/api/findings", api_list),
        Route("/api/findings/{finding_id}", api_finding),
        Route("/api/findings/{finding_id}/decision", api_decide, methods=["POST"]),
        Route("/static/{name:str}", asset),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={
            HTTPException: not_found,
            StoreError: store_failed,
            sqlite3.Error: store_failed,
        },
    )
    return Guard(app, token=token, port=port, hosts=hosts)


def _read_decision(body: bytes) -> tuple[str, str, str]:
    """(status, note, by) from a decision's JSON body; ValueError says what is wrong."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ValueError("the body is not JSON") from None
    if not isinstance(data, dict):
        raise ValueError('send a JSON object: {"status": ..., "note": ..., "by": ...}')
    status, note, by = data.get("status"), data.get("note", ""), data.get("by", "")
    if status not in FLAG_STATUSES:
        raise ValueError(f"status {status!r} is not one of {', '.join(FLAG_STATUSES)}")
    if not isinstance(note, str) or not isinstance(by, str):
        raise ValueError("note and by are strings")
    if len(note) > MAX_NOTE or len(by) > MAX_BY:
        raise ValueError(f"a note has at most {MAX_NOTE} characters, a name {MAX_BY}")
    return status, note, by.strip()


def _decision(decision: Decision) -> dict[str, str]:
    data = asdict(decision)
    data.pop("finding_id")
    return data


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=NO_STORE)


def _link(path: str, filters: queries.Filters, number: int | None, per_page: int) -> str | None:
    return None if number is None else queries.page_link(path, filters, number, per_page)


def _choice(chosen: tuple[str, ...], default: tuple[str, ...], everything: str) -> str:
    """What a filter's select shows: '' for the default, `everything`, or the one value."""
    if chosen == default:
        return ""
    if not chosen:
        return everything
    return chosen[0] if len(chosen) == 1 else ""


def _asset(name: str) -> str:
    return (resources.files("pipeline.serve") / "static" / name).read_text(encoding="utf-8")


def _stylesheet() -> str:
    """The report's theme (colours of verdicts and decisions), then the app's own styles."""
    theme = environment().get_template("_theme.css.j2").render()
    return theme + "\n" + _asset("serve.css")


def is_link(url: str) -> bool:
    """True when a URL may be shown as a link: http or https, with a host."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in LINK_SCHEMES and bool(parts.netloc)


def host(url: str) -> str:
    """What a link shows: its site."""
    return urlsplit(url.strip()).hostname or url


def when(stamp: str) -> str:
    """A stored UTC time to the minute: '2024-03-01 09:30 UTC'."""
    return f"{stamp[:10]} {stamp[11:16]} UTC" if len(stamp) >= 16 and stamp[10] == "T" else stamp


def path_part(value: str) -> str:
    """A value made safe as one segment of a path."""
    return quote(value, safe="")


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The app's templates, and the report's theme: autoescaping on, undefined names errors."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PackageLoader("pipeline.serve", "templates"),
                jinja2.PackageLoader("pipeline.report", "templates"),
            ]
        ),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "j2"), default_for_string=True, default=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = when
    env.globals.update(
        is_link=is_link,
        host=host,
        path_part=path_part,
        verdicts=VERDICTS,
        statuses=FLAG_STATUSES,
    )
    return env
