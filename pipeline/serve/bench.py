"""The serve benchmark: `python -m pipeline.serve.bench [--findings N] [--requests R]`.

1. fills a temporary store with N synthetic findings (fictional articles of 10 claims over 5
   runs, a tenth of them decided) through the store's API, in large transactions;
2. runs the app in this process (Starlette's TestClient: the whole ASGI app, templates and
   SQL, without the network) and times R requests of each page;
3. prints the median and the slowest response time of each, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from starlette.testclient import TestClient

from .app import create_app
from .synthetic import fill

BASE = "http://127.0.0.1"


def measure(call: Callable[[], object], requests: int) -> list[float]:
    """Milliseconds of each of `requests` calls (after one to warm up)."""
    call()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def bench(findings: int, requests: int, folder: Path) -> list[tuple[str, list[float]]]:
    """Fill a store in `folder` and time the app's pages over it."""
    db = folder / "bench.db"
    started = time.perf_counter()
    filled = fill(db, findings=findings)
    print(
        f"filled {db}: {filled.findings:,} findings in {filled.articles:,} articles, "
        f"{filled.runs} runs, {filled.decisions:,} decisions, "
        f"in {time.perf_counter() - started:.1f} s"
    )
    results: list[tuple[str, list[float]]] = []
    with TestClient(create_app(db), base_url=BASE) as client:

        def get(path: str) -> Callable[[], object]:
            def call() -> object:
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                return response

            return call

        first = client.get("/api/findings").json()
        deep = max(1, first["pages"] - 1)
        article = first["items"][0]["article"]
        finding = first["items"][0]["finding_id"]
        fact = first["items"][0]["fact_id"]
        token = client.get("/").text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
        decisions = iter(["confirmed", "open"] * (requests + 1))

        def decide() -> object:
            response = client.post(
                f"/api/findings/{finding}/decision",
                content=json.dumps({"status": next(decisions), "by": "bench"}),
                headers={"content-type": "application/json", "x-csrf-token": token},
            )
            assert response.status_code == 200, response.text
            return response

        pages = [
            (f"queue, first page ({first['total']:,} open discrepancies)", get("/")),
            (f"queue, deep page ({deep:,} of {first['pages']:,})", get(f"/?page={deep}")),
            ("queue, filtered (entity and attribute)", get("/?entity=sylvania&attribute=founded")),
            ("queue, filtered (verdict, any decision)", get("/?verdict=supported&status=any")),
            ("queue, free-text search", get("/?q=review+77&verdict=all&status=any")),
            ("API list, first page", get("/api/findings")),
            (f"API list, deep page ({deep:,})", get(f"/api/findings?page={deep}")),
            ("API finding with history", get(f"/api/findings/{finding}")),
            ("article view (10 claims)", get(f"/articles/{article}")),
            ("fact page", get(f"/facts/{fact}")),
            ("curation to-do", get("/facts")),
            ("decision (POST)", decide),
        ]
        for name, call in pages:
            results.append((name, measure(call, requests)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m pipeline.serve.bench", description=__doc__)
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="factcheck-serve-bench-") as folder:
        results = bench(args.findings, args.requests, Path(folder))
    width = max(len(name) for name, _ in results)
    print(f"\n{'page'.ljust(width)}  median ms  slowest ms  ({args.requests} requests each)")
    for name, times in results:
        print(f"{name.ljust(width)}  {statistics.median(times):9.1f}  {max(times):10.1f}")


if __name__ == "__main__":
    main()
