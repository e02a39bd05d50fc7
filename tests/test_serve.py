"""Tests for `factcheck serve`: routes, filters, pages, the JSON API, decisions, security.

The app runs in-process under Starlette's TestClient over a store written through the
store's own API (fictional articles; no model needed).
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from pipeline.check import finding_id
from pipeline.cli import cli
from pipeline.models import Article, Claim, Finding
from pipeline.reference import load_reference
from pipeline.serve import queries
from pipeline.serve.app import create_app, is_link
from pipeline.serve.security import CSP
from pipeline.store import MIGRATIONS, SCHEMA_VERSION, Store, content_hash, text_hash

ROOT = Path(__file__).resolve().parent
MINI = ROOT / "data" / "mini_reference"
BASE = "http://127.0.0.1"
TOKEN = "sylvania-secret-token-0123456789"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
JS_URL = "javascript:window.__pwned=3"
REPEATED = "The Northern Pact has 3 members."


def _claim(article: Article, sentence: str, words: str, *, at: int = 0, **extra: object) -> Claim:
    """A claim of `words` in `sentence`, the sentence found in the text from offset `at`."""
    start = sentence.index(words)
    return Claim(
        article_id=article.id,
        sentence=sentence,
        sentence_start=article.text.index(sentence, at),
        start=start,
        end=start + len(words),
        kind="value",
        as_of=article.published or date(2024, 1, 1),
        time_source="article",
        **extra,  # type: ignore[arg-type]
    )


def _finding(article: Article, claim: Claim, occurrence: int = 0, **fields: object) -> Finding:
    values: dict[str, object] = {
        "finding_id": finding_id(article.id, claim, occurrence),
        "article": article.id,
        "published": article.published.isoformat() if article.published else "",
        "as_of": claim.as_of.isoformat(),
        "sentence": claim.sentence,
        "start": claim.start,
        "end": claim.end,
        "claim": claim.text,
        "entity": "Northern Pact",
        "attribute": "member_count",
        "claimed_value": "3",
        "reference_value": "4",
        "verdict": "contradicted",
        "confidence": 0.9,
        "fact_id": "np-count-2005",
        "source": "https://example.org/np/history",
        "explanation": "The Northern Pact has had 4 members since 2005.",
        "kind": "value",
        "title": article.title,
        "url": article.url,
    }
    values.update(fields)
    return Finding(**values)  # type: ignore[arg-type]


PACT = Article(
    id="pact-news",
    text=f"{REPEATED} Ruritania was founded in 1992. {SCRIPT}\n{IMG} {REPEATED}",
    published=date(2024, 3, 1),
    title=f"Pact news {SCRIPT}",
    url=JS_URL,
)
LEAGUE = Article(
    id="league/notes",  # an id with a slash, as a file in a subfolder gets
    text="The Southern League was founded in 2009. Sylvania has 9 ministers.",
    published=date(2023, 5, 1),
    title="League notes",
    url="https://news.example/league",
)


def _pact_findings() -> tuple[list[Claim], list[Finding]]:
    first = _claim(PACT, REPEATED, "3 members")
    founded = _claim(PACT, "Ruritania was founded in 1992.", "founded in 1992")
    second = _claim(PACT, REPEATED, "3 members", at=10)
    claims = [first, founded, second]
    findings = [
        _finding(PACT, first, explanation=f"Explained {IMG}"),
        _finding(
            PACT,
            founded,
            verdict="outdated",
            entity="Ruritania",
            attribute="founded",
            fact_id="np-founded",
            source=JS_URL,
        ),
        _finding(PACT, second, 1, verdict="supported"),
    ]
    return claims, findings


def _league_findings() -> tuple[list[Claim], list[Finding]]:
    founded = _claim(LEAGUE, "The Southern League was founded in 2009.", "founded in 2009")
    ministers = _claim(LEAGUE, "Sylvania has 9 ministers.", "9 ministers")
    claims = [founded, ministers]
    findings = [
        _finding(
            LEAGUE, founded, entity="Southern League", attribute="founded", fact_id="sl-founded"
        ),
        _finding(LEAGUE, ministers, verdict="unverified", entity="Sylvania", attribute="ministers"),
    ]
    return claims, findings


def _save(store: Store, run_id: int, article: Article, claims: list[Claim], found: list[Finding]):
    store.save_checked(
        article,
        key=content_hash(article, judged_at=article.published or date(2024, 1, 1)),
        text_key=text_hash(article),
        run_id=run_id,
        reference_digest="test",
        findings=found,
        claims=claims,
        model="m",
        extractor="e",
    )


def build_store(path: Path) -> Path:
    """Two runs: the league article first, then the pact article (the newest run)."""
    with Store.open(path) as store:
        first = store.start_run(reference_digest="test", model="m", sources=[])
        _save(store, first, LEAGUE, *_league_findings())
        store.finish_run(first, {})
        second = store.start_run(reference_digest="test", model="m", sources=[])
        _save(store, second, PACT, *_pact_findings())
        store.finish_run(second, {})
    return path


PACT_IDS = [f.finding_id for f in _pact_findings()[1]]
LEAGUE_IDS = [f.finding_id for f in _league_findings()[1]]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build_store(tmp_path / "serve.db")


@pytest.fixture(scope="module")
def reference():
    return load_reference(MINI)


@pytest.fixture
def client(db: Path, reference) -> Iterator[TestClient]:
    with TestClient(create_app(db, reference=reference), base_url=BASE) as test_client:
        yield test_client


@pytest.fixture
def guarded(db: Path, reference) -> Iterator[TestClient]:
    """A client of an app that needs TOKEN."""
    app = create_app(db, reference=reference, token=TOKEN)
    with TestClient(app, base_url="http://192.0.2.10:8008", follow_redirects=False) as c:
        yield c


def csrf(client: TestClient) -> str:
    """The CSRF token a page gives this client's session."""
    page = lxml.html.fromstring(client.get("/").text)
    return page.xpath('//meta[@name="csrf-token"]/@content')[0]


def decide(client: TestClient, fid: str, body: object, **headers: str):
    return client.post(
        f"/api/findings/{fid}/decision",
        content=json.dumps(body),
        headers={"content-type": "application/json", **headers},
    )


def ids(response) -> list[str]:
    return [item["finding_id"] for item in response.json()["items"]]


# -- the queue and its filters -----------------------------------------------------------


def test_the_queue_lists_open_discrepancies_newest_run_first(client):
    page = lxml.html.fromstring(client.get("/").text)
    shown = page.xpath('//li[@class="finding"]/@data-finding')
    assert shown == [PACT_IDS[0], PACT_IDS[1], LEAGUE_IDS[0]]


def test_a_decided_finding_leaves_the_open_queue(client):
    response = decide(
        client, PACT_IDS[0], {"status": "confirmed"}, **{"x-csrf-token": csrf(client)}
    )
    assert response.status_code == 200
    assert PACT_IDS[0] not in ids(client.get("/api/findings"))
    assert ids(client.get("/api/findings?status=confirmed")) == [PACT_IDS[0]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("verdict=outdated", [PACT_IDS[1]]),
        ("verdict=all", [*PACT_IDS, *LEAGUE_IDS]),
        ("verdict=supported&verdict=unverified", [PACT_IDS[2], LEAGUE_IDS[1]]),
        ("article=league/notes", [LEAGUE_IDS[0]]),
        ("entity=ruritania", [PACT_IDS[1]]),
        ("attribute=FOUNDED", [PACT_IDS[1], LEAGUE_IDS[0]]),
        ("fact=sl-founded", [LEAGUE_IDS[0]]),
        ("q=southern+league", [LEAGUE_IDS[0]]),
        ("q=%3Cimg", [PACT_IDS[0]]),  # in the explanation, as written
        ("q=zebra", []),
        ("verdict=all&status=any&q=sylvania", [LEAGUE_IDS[1]]),
    ],
)
def test_filters_narrow_the_queue(client, query, expected):
    assert ids(client.get(f"/api/findings?{query}")) == expected


def test_search_finds_words_in_a_note(client):
    token = csrf(client)
    decide(
        client,
        LEAGUE_IDS[0],
        {"status": "open", "note": 'Ask the "Zenda" desk'},
        **{"x-csrf-token": token},
    )
    assert ids(client.get('/api/findings?q="zenda"')) == [LEAGUE_IDS[0]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("verdict=wrong", "verdict 'wrong' is not one of"),
        ("status=maybe", "status 'maybe' is not one of"),
        ("page=0", "page 0 is out of range"),
        ("per_page=1000", "per_page 1000 is more than 200"),
        ("page=two", "page 'two' is not a whole number"),
    ],
)
def test_a_bad_filter_is_a_400_that_says_why(client, query, message):
    response = client.get(f"/api/findings?{query}")
    assert response.status_code == 400
    assert message in response.json()["error"]
    page = client.get(f"/?{query}")
    assert page.status_code == 400
    assert message in lxml.html.fromstring(page.text).xpath('string(//p[@class="error"])')


def test_pages_cover_every_finding_once(client):
    seen: list[str] = []
    url: str | None = "/api/findings?verdict=all&per_page=2"
    pages = 0
    while url:
        body = client.get(url).json()
        assert body["total"] == 5 and body["pages"] == 3 and body["per_page"] == 2
        seen += [item["finding_id"] for item in body["items"]]
        url = body["next"]
        pages += 1
    assert pages == 3
    assert seen == [*PACT_IDS, *LEAGUE_IDS]
    assert client.get("/api/findings?verdict=all&per_page=2&page=3").json()["previous"] == (
        "/api/findings?verdict=all&page=2&per_page=2"
    )


def test_the_queue_page_links_to_the_next_page_with_its_filters(client):
    page = lxml.html.fromstring(client.get("/?verdict=all&per_page=2").text)
    assert page.xpath('//a[@rel="next"]/@href') == ["/?verdict=all&page=2&per_page=2"]
    assert page.xpath('string(//p[@id="count"])').split() == ["Findings", "1–2", "of", "5"]


def test_a_page_past_the_end_is_empty(client):
    body = client.get("/api/findings?page=9").json()
    assert body["items"] == [] and body["next"] is None and body["total"] == 3


# -- findings, articles, facts -----------------------------------------------------------


def test_a_finding_comes_with_its_history(client):
    token = csrf(client)
    decide(
        client,
        PACT_IDS[0],
        {"status": "disputed", "note": "n1", "by": "ana"},
        **{"x-csrf-token": token},
    )
    decide(client, PACT_IDS[0], {"status": "confirmed", "by": "ben"}, **{"x-csrf-token": token})
    body = client.get(f"/api/findings/{PACT_IDS[0]}").json()
    assert body["decision"]["status"] == "confirmed" and body["decision"]["by"] == "ben"
    assert [(d["status"], d["note"], d["by"]) for d in body["history"]] == [
        ("disputed", "n1", "ana"),
        ("confirmed", "", "ben"),
    ]
    page = lxml.html.fromstring(client.get(f"/findings/{PACT_IDS[0]}").text)
    assert len(page.xpath('//ol[@data-role="history"]/li')) == 2


def test_an_unknown_finding_is_a_404(client):
    assert client.get("/api/findings/nope").status_code == 404
    assert client.get("/findings/nope").status_code == 404
    assert client.get("/articles/nope").status_code == 404


def test_the_article_view_marks_every_claim_in_place(client):
    page = lxml.html.fromstring(client.get("/articles/pact-news").text)
    text = page.xpath('//section[@class="article-text"]/p[@class="text-block"]')[0]
    assert text.text_content() == PACT.text
    marks = [(m.text_content(), m.get("data-findings"), m.get("class")) for m in text.iter("a")]
    assert marks == [
        ("3 members", PACT_IDS[0], "claim v-contradicted"),
        ("founded in 1992", PACT_IDS[1], "claim v-outdated"),
        ("3 members", PACT_IDS[2], "claim v-supported"),  # the repeat, at its own place
    ]
    before_second = text.text_content().rindex("3 members")
    assert PACT.text[before_second:].startswith("3 members.")


def test_the_article_view_lists_its_findings_beside_the_text(client):
    page = lxml.html.fromstring(client.get("/articles/league%2Fnotes").text)
    cards = page.xpath('//aside//li[@class="finding"]/@data-finding')
    assert cards == LEAGUE_IDS


def test_an_article_without_its_text_shows_its_sentences(db, client):
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM texts")
    page = lxml.html.fromstring(client.get("/articles/pact-news").text)
    blocks = [b.text_content() for b in page.xpath('//p[@class="text-block"]')]
    assert blocks == [REPEATED, "Ruritania was founded in 1992."]
    assert page.xpath('//section[@class="article-text"]/p[@class="hint"]')


def test_segments_give_overlapping_claims_the_gravest_verdict():
    spans = [(0, 9, "a", "supported"), (4, 15, "b", "contradicted")]
    pieces = queries.segments("Sylvania joined late", spans)
    assert [(s.text, s.finding_ids, s.verdict) for s in pieces] == [
        ("Sylv", ("a",), "supported"),
        ("ania ", ("a", "b"), "contradicted"),
        ("joined", ("b",), "contradicted"),
        (" late", (), ""),
    ]


def test_the_curation_list_counts_disputed_findings_per_fact(client):
    token = csrf(client)
    for fid, status in (
        (PACT_IDS[0], "disputed"),
        (PACT_IDS[2], "disputed"),
        (LEAGUE_IDS[0], "disputed"),
    ):
        decide(client, fid, {"status": status, "note": f"note on {fid}"}, **{"x-csrf-token": token})
    decide(client, LEAGUE_IDS[0], {"status": "confirmed"}, **{"x-csrf-token": token})
    page = lxml.html.fromstring(client.get("/facts").text)
    rows = [
        [cell.text_content().strip() for cell in row.xpath("td")[:5]]
        for row in page.xpath("//table[@class='facts']/tbody/tr")
    ]
    assert rows == [["np-count-2005", "2", "Northern Pact", "member_count", "4"]]


def test_a_fact_page_shows_the_reference_row_and_its_findings(client):
    page = lxml.html.fromstring(client.get("/facts/np-founded").text)
    fact = dict(
        zip(
            [dt.text_content() for dt in page.xpath("//dl[@class='fact']//dt")],
            [dd.text_content() for dd in page.xpath("//dl[@class='fact']//dd")],
            strict=True,
        )
    )
    assert fact["Entity"] == "Northern Pact" and fact["Value"] == "1990"
    assert fact["Source"] == "https://example.org/np/history"
    assert page.xpath('//li[@class="finding"]/@data-finding') == [PACT_IDS[1]]


def test_every_finding_links_to_its_fact(client):
    page = lxml.html.fromstring(client.get("/").text)
    links = page.xpath('//li[@class="finding"]//a[starts-with(@href, "/facts/")]/@href')
    assert links == ["/facts/np-count-2005", "/facts/np-founded", "/facts/sl-founded"]


def test_an_unknown_fact_is_a_404(client):
    assert client.get("/facts/no-such-fact").status_code == 404


# -- decisions ----------------------------------------------------------------------------


def test_a_decision_is_recorded_in_the_store_as_factcheck_flag_records_it(client, db):
    response = decide(
        client,
        PACT_IDS[1],
        {"status": "confirmed", "note": "checked the archive", "by": " ana "},
        **{"x-csrf-token": csrf(client)},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["previous"] is None
    assert body["decision"]["status"] == "confirmed" and body["decision"]["by"] == "ana"
    with Store.open(db, create=False) as store:
        latest = store.decisions()[PACT_IDS[1]]
    assert (latest.status, latest.note, latest.by) == ("confirmed", "checked the archive", "ana")
    listed = CliRunner().invoke(cli, ["flags", "--db", str(db)])
    assert listed.exit_code == 0 and PACT_IDS[1] in listed.stdout
    assert "checked the archive" in listed.stdout


def test_the_answer_gives_the_previous_decision_for_undo(client):
    token = csrf(client)
    decide(client, PACT_IDS[0], {"status": "disputed", "note": "first"}, **{"x-csrf-token": token})
    body = decide(client, PACT_IDS[0], {"status": "dismissed"}, **{"x-csrf-token": token}).json()
    assert body["previous"]["status"] == "disputed" and body["previous"]["note"] == "first"


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"status": "approved"}, 400, "status 'approved' is not one of"),
        ({"note": "no status"}, 400, "status None is not one of"),
        ({"status": "confirmed", "note": 5}, 400, "note and by are strings"),
        ({"status": "confirmed", "note": "x" * 5001}, 400, "at most 5000"),
        (["confirmed"], 400, "send a JSON object"),
    ],
)
def test_a_bad_decision_is_refused_and_nothing_recorded(client, db, body, status, message):
    response = decide(client, PACT_IDS[0], body, **{"x-csrf-token": csrf(client)})
    assert response.status_code == status
    assert message in response.json()["error"]
    with Store.open(db, create=False) as store:
        assert store.history() == []


def test_a_decision_on_an_unknown_finding_is_a_404(client):
    response = decide(
        client, "0000000000000000", {"status": "confirmed"}, **{"x-csrf-token": csrf(client)}
    )
    assert response.status_code == 404


def test_a_decision_must_be_json(client):
    response = client.post(
        f"/api/findings/{PACT_IDS[0]}/decision",
        content="status=confirmed",
        headers={"content-type": "application/x-www-form-urlencoded", "x-csrf-token": csrf(client)},
    )
    assert response.status_code == 400
    assert "as JSON" in response.json()["error"]


def test_get_never_decides(client):
    assert client.get(f"/api/findings/{PACT_IDS[0]}/decision").status_code == 405


def test_decisions_made_here_are_exported_by_flags_export(client, db, tmp_path):
    decide(
        client,
        LEAGUE_IDS[0],
        {"status": "dismissed", "by": "sam"},
        **{"x-csrf-token": csrf(client)},
    )
    out = tmp_path / "decisions.csv"
    result = CliRunner().invoke(cli, ["flags", "export", str(out), "--db", str(db)])
    assert result.exit_code == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert [(r["finding_id"], r["flag_status"], r["flag_by"]) for r in rows] == [
        (LEAGUE_IDS[0], "dismissed", "sam")
    ]


# -- security -----------------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused(client, db):
    csrf(client)  # the session exists
    response = decide(client, PACT_IDS[0], {"status": "confirmed"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]
    with Store.open(db, create=False) as store:
        assert store.history() == []


def test_a_csrf_token_of_another_session_is_refused(db, reference):
    app = create_app(db, reference=reference)
    with TestClient(app, base_url=BASE) as first, TestClient(app, base_url=BASE) as second:
        token = csrf(first)
        csrf(second)
        assert (
            decide(
                second, PACT_IDS[0], {"status": "confirmed"}, **{"x-csrf-token": token}
            ).status_code
            == 403
        )
        assert (
            decide(
                first, PACT_IDS[0], {"status": "confirmed"}, **{"x-csrf-token": token}
            ).status_code
            == 200
        )


def test_a_post_from_another_site_is_refused(client):
    response = decide(
        client,
        PACT_IDS[0],
        {"status": "confirmed"},
        **{
            "x-csrf-token": csrf(client),
            "origin": "https://freedonia.example",
        },
    )
    assert response.status_code == 403


def test_without_a_token_only_local_host_names_are_served(client):
    assert client.get("/", headers={"host": "freedonia.example"}).status_code == 400
    assert client.get("/", headers={"host": "localhost:8008"}).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [{}, {"authorization": "Bearer wrong-token-wrong-token"}, {"authorization": TOKEN}],
)
def test_with_a_token_a_request_without_it_is_refused(guarded, headers):
    assert guarded.get("/", headers=headers).status_code == 401
    response = guarded.get("/api/findings", headers=headers)
    assert response.status_code == 401
    assert "token" in response.json()["error"]


def test_a_bearer_token_opens_the_api_and_needs_no_csrf(guarded):
    bearer = {"authorization": f"Bearer {TOKEN}"}
    assert guarded.get("/api/findings", headers=bearer).status_code == 200
    response = decide(guarded, PACT_IDS[0], {"status": "confirmed"}, **bearer)
    assert response.status_code == 200


def test_the_token_in_the_address_sets_a_cookie_and_leaves_the_address(guarded):
    response = guarded.get(f"/articles/pact-news?token={TOKEN}&x=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/articles/pact-news?x=1"
    assert "HttpOnly" in response.headers["set-cookie"]
    assert guarded.get("/articles/pact-news").status_code == 200  # the cookie is enough
    token = csrf(guarded)
    assert decide(guarded, PACT_IDS[0], {"status": "confirmed"}).status_code == 403
    ok = decide(guarded, PACT_IDS[0], {"status": "confirmed"}, **{"x-csrf-token": token})
    assert ok.status_code == 200


def test_a_wrong_token_in_the_address_is_refused(guarded):
    assert guarded.get("/?token=not-the-token-at-all").status_code == 401


@pytest.mark.parametrize(
    "path", ["/", "/articles/pact-news", "/facts", "/api/findings", "/static/serve.js", "/nope"]
)
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


def test_the_csp_is_strict():
    assert "default-src 'self'" in CSP and "script-src 'self';" in CSP
    assert "unsafe" not in CSP and "frame-ancestors 'none'" in CSP


@pytest.mark.parametrize("path", ["/", "/articles/pact-news", f"/findings/{PACT_IDS[1]}"])
def test_payloads_in_articles_stay_text(client, path):
    html = client.get(path).text
    page = lxml.html.fromstring(html)
    assert page.xpath("//script/@src") == ["/static/serve.js"]
    assert not page.xpath("//script[not(@src)]") and not page.xpath("//style")
    assert not page.xpath("//img")
    assert not [a for a in page.iter() if any(k.startswith("on") for k in a.attrib)]
    assert not page.xpath("//*[@style]")
    hrefs = page.xpath("//a/@href")
    assert not [h for h in hrefs if not h.startswith(("/", "#", "http://", "https://"))]
    assert SCRIPT in page.text_content()


def test_a_javascript_address_is_shown_not_linked(client):
    page = lxml.html.fromstring(client.get("/articles/pact-news").text)
    meta = page.xpath('//dl[@class="meta"]')[0].text_content()
    assert JS_URL in meta
    assert not page.xpath(f'//a[@href="{JS_URL}"]')


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://example.org/a", True),
        ("http://example.org", True),
        ("HTTPS://EXAMPLE.ORG", True),
        (JS_URL, False),
        ("data:text/html,<b>x</b>", False),
        ("//example.org/a", False),
        ("https:", False),
        ("", False),
    ],
)
def test_only_http_and_https_addresses_are_links(url, link):
    assert is_link(url) is link


def test_the_script_and_stylesheet_are_served_by_the_app(client):
    script = client.get("/static/serve.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert ".innerHTML" not in script.text and "eval(" not in script.text
    style = client.get("/static/serve.css")
    assert style.headers["content-type"].startswith("text/css")
    assert "--contradicted:" in style.text  # the report's theme comes first
    assert client.get("/static/other.js").status_code == 404


# -- the command --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--host", "0.0.0.0"], "--host 0.0.0.0 lets other machines connect: give --token"),
        (["--host", "192.0.2.1"], "--host 192.0.2.1 lets other machines connect"),
        (["--token", "short"], "--token must be at least 16 characters"),
    ],
)
def test_serve_refuses_unsafe_options_in_one_line(db, args, message):
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), *args])
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2
    assert len(lines) == 1 and lines[0].startswith(f"factcheck: error: {message}")


def test_serve_takes_the_token_from_the_environment(tmp_path):
    result = CliRunner().invoke(
        cli,
        ["serve", "--host", "0.0.0.0", "--db", str(tmp_path / "none.db")],
        env={"FACTCHECK_TOKEN": TOKEN},
    )
    assert result.exit_code == 2  # past the token check, stopped by the missing store
    assert "no store here yet" in result.stderr


def test_serve_refuses_a_busy_port_in_one_line(db):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["serve", "--db", str(db), "--port", str(port), "--reference", str(MINI)]
        )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"factcheck: error: cannot listen on 127.0.0.1:{port}")


def test_serve_has_help_with_an_example():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert result.output.index("Example: factcheck serve") > result.output.index("Options:")


# -- the store's schema 3 -----------------------------------------------------------------


def test_a_schema_2_store_is_migrated_and_served(tmp_path, reference):
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path)
    for version in (1, 2):
        for statement in MIGRATIONS[version].split(";"):
            if statement.strip():
                connection.execute(statement)
    connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    connection.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    connection.execute("INSERT INTO runs (id, started, status) VALUES (1, 'x', 'finished')")
    connection.execute(
        "INSERT INTO articles (id, content_hash, first_seen, last_checked, findings_run) "
        "VALUES ('old', 'h', 'x', 'x', 1)"
    )
    findings = _pact_findings()[1]
    old = replace(findings[0], article="old", entity="Sylvania")
    stored = {key: value for key, value in asdict(old).items() if key != "extra"}
    connection.execute(
        "INSERT INTO findings (finding_id, article_id, run_id, verdict, fact_id, data) "
        "VALUES (?, 'old', 1, ?, ?, ?)",
        (old.finding_id, old.verdict, old.fact_id, json.dumps(stored)),
    )
    connection.commit()
    connection.close()
    with Store.open(path, create=False) as store:
        version = store.db.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        assert int(version.fetchone()[0]) == SCHEMA_VERSION == 4
        row = store.db.execute("SELECT entity, attribute FROM findings").fetchone()
        assert tuple(row) == ("Sylvania", "member_count")
        assert store.article_text("old") is None
    with TestClient(create_app(path, reference=reference), base_url=BASE) as client:
        assert ids(client.get("/api/findings?entity=sylvania")) == [old.finding_id]
        page = lxml.html.fromstring(client.get("/articles/old").text)
        assert [b.text_content() for b in page.xpath('//p[@class="text-block"]')] == [REPEATED]


def test_a_run_keeps_the_text_of_each_article(db):
    with Store.open(db, create=False) as store:
        assert store.article_text("pact-news") == PACT.text
        assert store.article_text("league/notes") == LEAGUE.text
        assert store.article_text("unknown") is None


def test_an_unchanged_article_gives_an_older_store_its_text(db):
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM texts")
    with Store.open(db, create=False) as store:
        run_id = store.start_run(reference_digest="test", model="m", sources=[])
        store.touch(PACT, run_id)
        assert store.article_text("pact-news") == PACT.text


def test_deciding_looks_findings_up_by_index(db):
    with Store.open(db, create=False) as store:
        plan = store.db.execute(
            "EXPLAIN QUERY PLAN SELECT finding_id FROM findings WHERE finding_id IN (?)", ("x",)
        ).fetchall()
        assert "findings_by_id" in " ".join(str(tuple(row)) for row in plan)
        assert store.known_ids([PACT_IDS[0], "nope"]) == {PACT_IDS[0]}


def test_a_decision_waits_for_a_run_that_is_writing(client, db):
    import threading
    import time

    token = csrf(client)
    writer = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")  # as a run's transaction does
    writer.execute("UPDATE runs SET new = new + 1")
    release = threading.Timer(0.5, lambda: writer.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    try:
        response = decide(client, PACT_IDS[0], {"status": "confirmed"}, **{"x-csrf-token": token})
    finally:
        release.join()
        writer.close()
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.4  # it waited for the lock, then wrote
    assert client.get(f"/api/findings/{PACT_IDS[0]}").json()["decision"]["status"] == "confirmed"


def test_reads_go_on_while_a_run_is_writing(client, db):
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE runs SET new = new + 1")
    try:
        assert client.get("/api/findings").status_code == 200  # WAL: readers never wait
        assert client.get("/articles/pact-news").status_code == 200
    finally:
        writer.execute("ROLLBACK")
        writer.close()
