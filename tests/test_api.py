"""The HTTP API through a real `khaldun serve` process on localhost over a real DuckDB file (conftest_web)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from conftest_web import XSS, Server, build_web_db, copy_db, running_server

from khaldun import api, queries
from khaldun.api import Database
from khaldun.errors import StoreError
from khaldun.store import EVENT_COLUMNS, EVENT_EXTRA_COLUMNS, REPORT_COLUMNS, REPORT_EXTRA_COLUMNS, Store

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "s3cret-test-token"


@pytest.fixture(scope="module")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_web_db(tmp_path_factory.mktemp("api") / "web.duckdb")


@pytest.fixture(scope="module")
def server(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(web_db, log=tmp_path_factory.mktemp("log") / "server.log") as s:
        yield s


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


@pytest.fixture(scope="module")
def token_server(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with submissions on, over its own copy of the database (a submission writes to it)."""
    tmp = tmp_path_factory.mktemp("token")
    with running_server(copy_db(web_db, tmp / "web.duckdb"), token=TOKEN, log=tmp / "server.log") as s:
        yield s


def event_ids(body: dict) -> set[str]:
    return {e["event_id"] for e in body["events"]}


# -- reads ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"ev-aleppo", "ev-taiz", "ev-beirut", "ev-xss", "ev-sudan"}),
        ({"date_from": "2024-03-10", "date_to": "2024-03-16"}, {"ev-taiz", "ev-xss"}),
        ({"country": "SY"}, {"ev-aleppo", "ev-xss"}),
        ({"country": ["Yemen", "Lebanon"]}, {"ev-taiz", "ev-beirut"}),
        ({"admin1": "Taiz"}, {"ev-taiz"}),
        ({"event_type": "Protests"}, {"ev-beirut"}),
        ({"sub_event_type": "Armed clash"}, {"ev-taiz"}),
        ({"actor": "syria"}, {"ev-aleppo"}),
        ({"q": "ceasefire"}, {"ev-sudan"}),
        ({"min_fatalities": 10}, {"ev-aleppo"}),
        ({"bbox": "35,33,38,37"}, {"ev-aleppo", "ev-xss", "ev-beirut"}),
    ],
)
def test_events_filters(client: httpx.Client, params: dict, expected: set[str]) -> None:
    listed = client.get("/api/events", params=params)
    assert listed.status_code == 200, listed.text
    assert event_ids(listed.json()) == expected
    # The GeoJSON and the stats read the same query.
    geo = client.get("/api/events.geojson", params=params).json()
    assert {f["id"] for f in geo["features"]} == expected
    assert client.get("/api/stats", params=params).json()["events"] == len(expected)


def test_events_paging(client: httpx.Client) -> None:
    page = client.get("/api/events", params={"limit": 2}).json()
    assert (page["total"], page["limit"], page["offset"], page["next_offset"]) == (5, 2, 0, 2)
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        body = client.get("/api/events", params={"limit": 2, "offset": offset}).json()
        seen += [e["event_id"] for e in body["events"]]
        offset = body["next_offset"]
    assert len(seen) == len(set(seen)) == 5


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "yesterday"},
        {"bbox": "1,2,3"},
        {"bbox": "0,10,10,5"},
        {"min_fatalities": -1},
        {"limit": 0},
        {"limit": queries.MAX_LIMIT + 1},
        {"offset": -1},
        {"sort": "random()"},
    ],
)
def test_bad_parameters_are_422(client: httpx.Client, params: dict) -> None:
    response = client.get("/api/events", params=params)
    assert response.status_code == 422, response.text
    assert "detail" in response.json()


def test_geojson(client: httpx.Client) -> None:
    response = client.get("/api/events.geojson")
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection" and body["total"] == 5 and body["truncated"] is False
    by_id = {f["id"]: f for f in body["features"]}
    assert by_id["ev-sudan"]["geometry"] is None
    assert by_id["ev-taiz"]["geometry"]["coordinates"] == [44.0209, 13.5795]
    assert by_id["ev-taiz"]["properties"]["event_type"] == "Battles"
    assert client.get("/api/events.geojson", params={"limit": 1}).json()["truncated"] is True


def test_event_detail(client: httpx.Client) -> None:
    ev = client.get("/api/events/ev-aleppo").json()
    assert ev["n_sources"] == 2 and ev["fatalities"] == 12 and ev["fatalities_high"] == 15
    assert ev["divergence"] == "fatalities"
    said = {v["outlet"]: v["value"] for v in ev["disagreements"][0]["values"]}
    assert ev["disagreements"][0]["field"] == "fatalities" and said == {
        "Example Times": 12,
        "Daily Courier": 15,
    }
    assert {r["outlet"] for r in ev["reports"]} == {"Example Times", "Daily Courier"}
    times = next(r for r in ev["reports"] if r["outlet"] == "Example Times")
    assert times["evidence"].startswith("Warplanes struck")
    assert times["mentions"]["fatalities"] == [69, 89, "killing 12 civilians"]
    assert times["n_framing_flags"] == 2
    assert set(EVENT_COLUMNS + EVENT_EXTRA_COLUMNS) <= set(ev)


def test_event_detail_404(client: httpx.Client) -> None:
    response = client.get("/api/events/no-such-event")
    assert response.status_code == 404 and "no-such-event" in response.json()["detail"]


def test_reports(client: httpx.Client) -> None:
    body = client.get("/api/reports", params={"event_id": "ev-aleppo"}).json()
    assert body["total"] == 2
    assert set(REPORT_COLUMNS) <= set(body["reports"][0])
    assert (
        client.get("/api/reports", params={"doc_id": "doc-taiz"}).json()["reports"][0]["report_id"]
        == "r-taiz"
    )
    assert client.get("/api/reports", params={"event_type": "Battles"}).json()["total"] == 1


def test_documents(client: httpx.Client) -> None:
    listed = client.get("/api/documents").json()
    assert listed["total"] == 7 and all("text" not in d for d in listed["documents"])
    doc = client.get("/api/documents/doc-aleppo-times").json()
    assert "raw" not in doc
    for span in doc["spans"]:
        assert doc["text"][span["start"] : span["end"]] == span["text"]
    assert {s["field"] for s in doc["spans"]} >= {"evidence", "actor1", "fatalities"}
    assert doc["framing"]["flags"][1]["text"] == "barbaric massacre"
    assert client.get("/api/documents/nope").status_code == 404


def test_stats(client: httpx.Client) -> None:
    body = client.get("/api/stats").json()
    assert (body["events"], body["documents"], body["reports"], body["fatalities"]) == (5, 7, 6, 19)
    assert {r["event_type"] for r in body["by_type"]} == {
        "Battles",
        "Explosions/Remote violence",
        "Protests",
        "Strategic developments",
    }
    assert {r["country"] for r in body["by_country"]} == {"Syria", "Yemen", "Lebanon", "Sudan"}
    assert body["by_week"][0] == {"week": "2024-02-19", "n": 1, "fatalities": 0}


def test_hostile_text_is_json_not_html(client: httpx.Client) -> None:
    response = client.get("/api/events/ev-xss")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert XSS in response.json()["actor1"]


def test_concurrent_reads(server: Server) -> None:
    paths = [
        "/api/events",
        "/api/stats",
        "/api/events.geojson",
        "/api/events/ev-aleppo",
        "/api/documents/doc-xss",
    ]

    def get(i: int) -> int:
        with server.client() as c:
            return c.get(paths[i % len(paths)]).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(get, range(80))) == {200}


# -- schema, docs and assets ---------------------------------------------------------------------------
API_ROUTES = [
    ("get", "/api/events"),
    ("get", "/api/events.geojson"),
    ("get", "/api/events/{event_id}"),
    ("get", "/api/reports"),
    ("get", "/api/documents"),
    ("get", "/api/documents/{doc_id}"),
    ("get", "/api/stats"),
]


def test_openapi_documents_every_route(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    for method, path in API_ROUTES:
        assert method in schema["paths"][path], path
    params = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert params >= {
        "date_from",
        "date_to",
        "country",
        "admin1",
        "event_type",
        "sub_event_type",
        "actor",
        "q",
        "min_fatalities",
        "bbox",
        "limit",
        "offset",
        "sort",
    }
    assert "post" not in schema["paths"]["/api/documents"]  # submissions are off without a token


def test_docs_page_is_local(client: httpx.Client) -> None:
    html = client.get("/docs").text
    assert "vendor/swagger-ui-bundle.js" in html and "cdn." not in html
    assert client.get("/vendor/swagger-ui-bundle.js").status_code == 200


def test_api_md_mentions_every_route() -> None:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for _, path in [*API_ROUTES, ("post", "/api/documents")]:
        assert path in text, path


@pytest.mark.parametrize(
    ("model", "columns"),
    [
        (api.EventOut, EVENT_COLUMNS + EVENT_EXTRA_COLUMNS),
        (api.ReportOut, REPORT_COLUMNS + REPORT_EXTRA_COLUMNS),
    ],
)
def test_response_models_follow_the_store(model: type, columns: list[str]) -> None:
    assert list(model.model_fields) == columns  # type: ignore[attr-defined]


def test_page_has_no_remote_assets_and_a_csp(client: httpx.Client) -> None:
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    refs = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert refs and not [r for r in refs if re.match(r"(https?:)?//", r)]
    for ref in refs:
        if ref.startswith(("vendor/", "static/")):
            assert client.get("/" + ref).status_code == 200, ref


@pytest.mark.parametrize(
    "path",
    [
        "/vendor/leaflet.js",
        "/vendor/leaflet.css",
        "/vendor/images/layers.png",
        "/vendor/countries-50m.json",
        "/vendor/leaflet.markercluster.js",
        "/vendor/topojson-client.js",
        "/static/app.js",
        "/static/app.css",
    ],
)
def test_whitelisted_assets(client: httpx.Client, path: str) -> None:
    if path.startswith("/vendor/") and api.find_node_modules() is None:
        pytest.skip("node_modules is missing: run `npm ci --ignore-scripts`")
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/vendor/leaflet/package.json",
        "/vendor/../../pyproject.toml",
        "/vendor/%2e%2e/%2e%2e/pyproject.toml",
        "/vendor/..%2f..%2fpyproject.toml",
        "/static/index.html",
        "/static/../api.py",
        "/static/%2e%2e%2fapi.py",
        "/vendor//etc/passwd",
        "/vendor/leaflet.js.map",
    ],
)
def test_nothing_else_is_served(client: httpx.Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_page_js_never_parses_html() -> None:
    js = (api.STATIC_DIR / "app.js").read_text()
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "bindPopup(",
        "eval(",
        "new Function",
    ):
        assert sink not in js, sink


# -- submissions ---------------------------------------------------------------------------------------
def test_submission_route_absent_without_token(client: httpx.Client) -> None:
    response = client.post("/api/documents", json={"content": "text"})
    assert response.status_code in (404, 405)


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 403),
        ({"Authorization": f"Basic {TOKEN}"}, 403),
        ({"Authorization": "Bearer"}, 403),
    ],
)
def test_submission_needs_the_token(token_server: Server, headers: dict, status: int) -> None:
    with token_server.client() as c:
        response = c.post(
            "/api/documents", json={"content": "Fighting in Taiz.", "content_type": "text"}, headers=headers
        )
    assert response.status_code == status
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"content": ""},
        {"content": "x", "content_type": "pdf"},
        {"content": "x", "published": "soon"},
        {"content": "x", "extra": 1},
    ],
)
def test_submission_validates_its_body(token_server: Server, body: dict) -> None:
    with token_server.client(headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        assert c.post("/api/documents", json=body).status_code == 422


def test_submission_round_trip(token_server: Server) -> None:
    pipeline = pytest.importorskip("khaldun.pipeline", reason="khaldun.pipeline is not written yet")
    if not hasattr(pipeline, "process_submission"):
        pytest.skip("khaldun.pipeline.process_submission is not written yet")
    text = (
        "DAMASCUS, 2 April 2024. Shelling killed five civilians in the town of Douma on Monday, "
        "local activists said."
    )
    with token_server.client(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120) as c:
        before = c.get("/api/stats").json()["documents"]
        response = c.post(
            "/api/documents",
            json={
                "content": text,
                "content_type": "text",
                "url": "https://example.test/douma",
                "published": "2024-04-02",
            },
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["n_events"] == len(body["events"])
        # The server reads the new document once the write is over.
        assert c.get("/api/stats").json()["documents"] == before + 1


# -- the database lock (in process: the same class the server uses) ------------------------------------
def test_database_closes_when_idle_so_a_writer_can_open_the_file(web_db: Path, tmp_path: Path) -> None:
    path = copy_db(web_db, tmp_path / "idle.duckdb")
    db = Database(str(path), idle_close_s=0.2)
    with db.read() as store:
        assert store.counts()["events"] == 5
    time.sleep(0.6)
    with Store(path) as writer:  # raises if the server still held the file
        writer.con.execute("DELETE FROM events WHERE event_id = 'ev-sudan'")
    with db.read() as store:  # reopened: sees the writer's change
        assert store.counts()["events"] == 4
    db.close()


def test_database_write_waits_for_reads_and_releases_the_file(web_db: Path, tmp_path: Path) -> None:
    path = copy_db(web_db, tmp_path / "write.duckdb")
    db = Database(str(path), idle_close_s=60)
    order: list[str] = []
    reading = threading.Event()

    def reader() -> None:
        with db.read():
            reading.set()
            time.sleep(0.3)
            order.append("read done")

    t = threading.Thread(target=reader)
    t.start()
    reading.wait()
    with db.write():
        order.append("write")
        with Store(path) as writer:
            writer.con.execute("DELETE FROM events WHERE event_id = 'ev-sudan'")
    t.join()
    assert order == ["read done", "write"]
    with db.read() as store:
        assert store.counts()["events"] == 4
    db.close()


def test_missing_database_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        api.create_app(str(tmp_path / "none.duckdb"))
