"""Run the app on uvicorn: check what it is asked to do, bind, serve until Ctrl-C."""

from __future__ import annotations

import socket
import webbrowser
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.reference import Reference, load_reference
from pipeline.store import Store

from .app import create_app
from .security import LOCAL_HOSTS, check_binding


def prepare(
    db: Path, *, reference_dir: Path, host: str, token: str | None
) -> tuple[Reference | None, list[str]]:
    """Check, before anything listens, that serving is safe and the store can be read
    (opening it brings an older store up to date); load the reference for the fact pages.
    Returns the reference (None when its folder does not exist) and notes for the user.
    Raises UsageError, StoreError or ReferenceTableError."""
    check_binding(host, token)
    with Store.open(db, create=False):
        pass
    if not reference_dir.exists():
        return None, [f"no reference at {reference_dir}: fact pages show only the facts' ids"]
    return load_reference(reference_dir), []


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port (port 0: any free one); UsageError when it cannot be."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise UsageError(f"--host {host}: unknown host ({error.strerror})") from error
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise UsageError(
            f"cannot listen on {host}:{port}: {error.strerror}; pass another --port"
        ) from error
    sock.set_inheritable(True)
    return sock


def address(host: str, port: int, token: str | None) -> str:
    """The address to open in a browser (with the token, which sets its cookie)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    shown = f"[{shown}]" if ":" in shown and not shown.startswith("[") else shown
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def serve(
    db: Path,
    *,
    reference_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8008,
    token: str | None = None,
    open_browser: bool = False,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the app over the store at `db` until interrupted."""
    import uvicorn

    reference, notes = prepare(db, reference_dir=reference_dir, host=host, token=token)
    sock = listen(host, port)
    port = sock.getsockname()[1]
    hosts = LOCAL_HOSTS | {host.lower()}
    app = create_app(db, reference=reference, token=token, port=port, hosts=hosts)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,  # the first request's address carries the token
        server_header=False,
        lifespan="on",
    )
    for note in notes:
        announce(note)
    url = address(host, port, token)
    announce(f"Serving {db} at {url} (Ctrl-C stops)")
    if open_browser:
        webbrowser.open(url)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
