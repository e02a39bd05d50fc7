"""What keeps `factcheck serve` safe: where it may listen, the access token, CSRF tokens,
and the headers on every response.

1. Binding: 127.0.0.1, localhost or ::1 by default; any other host needs a token (at least
   MIN_TOKEN characters).
2. Without a token, only requests that name a local host (the Host header) are served, so a
   web page cannot reach the app through DNS rebinding.
3. With a token, every request carries it: `Authorization: Bearer TOKEN`, or a cookie set
   when the browser first opens `/?token=TOKEN` (then redirected to the same address
   without it, so it stays out of the history). Tokens are compared in constant time.
4. Every POST needs a CSRF token (the `X-CSRF-Token` header), an HMAC of the browser's
   session cookie under a key made at start-up, checked in constant time; a request with a
   Bearer token needs none (a browser never adds that header by itself). A POST whose
   Origin is another site is refused. GET never changes anything.
5. Every response carries a strict Content-Security-Policy (no inline script or style), and
   nosniff, no-referrer, DENY framing headers.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from pipeline.errors import UsageError

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
MIN_TOKEN = 16
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD"})

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def check_binding(host: str, token: str | None) -> None:
    """Raise UsageError when serving on `host` with `token` would be unsafe: another host than
    this machine's without a token, or a token too short to guess at."""
    if token is not None and len(token) < MIN_TOKEN:
        raise UsageError(
            f"--token must be at least {MIN_TOKEN} characters; make one with: "
            'python -c "import secrets; print(secrets.token_urlsafe())"'
        )
    if host not in LOCAL_HOSTS and not token:
        raise UsageError(
            f"--host {host} lets other machines connect: give --token TOKEN (or set "
            "FACTCHECK_TOKEN), or serve on 127.0.0.1"
        )


def same(given: str, expected: str) -> bool:
    """Constant-time string comparison."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class Guard:
    """ASGI middleware that applies the rules above to every HTTP request."""

    def __init__(
        self,
        app: App,
        *,
        token: str | None,
        port: int = 0,
        hosts: frozenset[str] = LOCAL_HOSTS,
    ) -> None:
        self.app = app
        self.token = token or None
        self.hosts = hosts  # the Host names served without a token
        self.key = secrets.token_bytes(32)  # signs CSRF tokens; new at every start
        suffix = f"_{port}" if port else ""  # cookies are shared by every port of a host
        self.session_cookie = f"factcheck_session{suffix}"
        self.token_cookie = f"factcheck_token{suffix}"

    def csrf_for(self, session: str) -> str:
        """The CSRF token of a session."""
        return hmac.new(self.key, session.encode("utf-8"), hashlib.sha256).hexdigest()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        cookies = _cookies(headers.get("cookie", ""))
        new_cookies: list[str] = []

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                names = {name.lower() for name, _ in raw}
                for name, value in HEADERS.items():
                    if name.encode() not in names:
                        raw.append((name.encode(), value.encode()))
                raw += [(b"set-cookie", cookie.encode("latin-1")) for cookie in new_cookies]
                message["headers"] = raw
            await send(message)

        # 1. Who may ask: a local Host without a token; the token with one.
        bearer = False
        if self.token is None:
            if _hostname(headers.get("host", "")) not in self.hosts:
                await _refuse(scope, guarded_send, 400, "unknown host: open the app at 127.0.0.1")
                return
        else:
            bearer = self._bearer(headers)
            if not bearer and not same(cookies.get(self.token_cookie, ""), self.token):
                query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
                if scope["method"] in SAFE_METHODS and same(query.get("token", ""), self.token):
                    await self._admit(scope, guarded_send)
                    return
                await _refuse(
                    scope,
                    guarded_send,
                    401,
                    "a token is needed: open the address factcheck serve printed (with "
                    "?token=...), or send Authorization: Bearer TOKEN",
                )
                return

        # 2. The browser's session, and its CSRF token for the pages.
        session = cookies.get(self.session_cookie, "")
        if not _looks_like_session(session):
            session = secrets.token_urlsafe(32)
            new_cookies.append(_cookie(self.session_cookie, session))
        scope.setdefault("state", {})["csrf"] = self.csrf_for(session)

        # 3. Changes: POST only, from this site, with the CSRF token (or a Bearer token).
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin", "")
            if origin and not _same_origin(origin, headers.get("host", ""), scope):
                await _refuse(scope, guarded_send, 403, "refused: a request from another site")
                return
            if not bearer and not same(headers.get(CSRF_HEADER, ""), self.csrf_for(session)):
                await _refuse(
                    scope,
                    guarded_send,
                    403,
                    "refused: the CSRF token is missing or wrong; reload the page",
                )
                return
        await self.app(scope, receive, guarded_send)

    def _bearer(self, headers: dict[str, str]) -> bool:
        scheme, _, value = headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and self.token is not None and same(value, self.token)

    async def _admit(self, scope: Scope, send: Send) -> None:
        """Set the token cookie and send the browser to the same address without `token`."""
        query = [
            (k, v)
            for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"), True)
            if k != "token"
        ]
        path = scope.get("raw_path") or quote(scope["path"]).encode("ascii")
        location = path + (b"?" + urlencode(query).encode("ascii") if query else b"")
        assert self.token is not None
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", location),
                    (b"set-cookie", _cookie(self.token_cookie, self.token).encode("latin-1")),
                    (b"content-length", b"0"),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})


def _headers(scope: Scope) -> dict[str, str]:
    """The request's headers by lower-case name (the last of repeated ones)."""
    return {
        name.decode("latin-1").lower(): value.decode("latin-1")
        for name, value in scope.get("headers", [])
    }


def _cookies(header: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:  # a malformed Cookie header counts as none
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def _cookie(name: str, value: str) -> str:
    return f"{name}={value}; Path=/; HttpOnly; SameSite=Strict"


def _looks_like_session(value: str) -> bool:
    return 20 <= len(value) <= 100 and all(c.isalnum() or c in "-_" for c in value)


def _hostname(host: str) -> str:
    """The host name of a Host header, without the port."""
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:8008
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _same_origin(origin: str, host: str, scope: Scope) -> bool:
    scheme = scope.get("scheme", "http")
    return origin.lower() == f"{scheme}://{host}".lower()


async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    """A one-line refusal: JSON for the API, text otherwise."""
    if scope["path"].startswith("/api/"):
        body = json.dumps({"error": message}).encode("utf-8")
        kind = b"application/json"
    else:
        body = (message + "\n").encode("utf-8")
        kind = b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
