"""The HTTP face of khaldun (`khaldun serve`): a JSON API and the map page over one DuckDB file.

    GET  /                          the map page: static HTML + JS that reads the API below (its JSON twin is
                                    /api/events.geojson with the same query string)
    GET  /api/events                events, filtered and paged
    GET  /api/events.geojson        the same filters as a GeoJSON FeatureCollection (what the map draws)
    GET  /api/events/{event_id}     one event with its reports, sources and divergence
    GET  /api/reports               reports, filtered and paged (also by event_id / doc_id)
    GET  /api/documents             documents without their text, paged
    GET  /api/documents/{doc_id}    a document's article text and the spans that set each field
    GET  /api/stats                 counts by type, sub-type, country, admin1, week and day
    POST /api/documents             submit a page, get its events back (only with --token; Bearer auth)
    GET  /openapi.json, /docs       the OpenAPI schema and its browser
    GET  /static/{file}, /vendor/{file}   whitelisted assets (vendor files come from node_modules)

Every read goes through `khaldun.queries`, the same functions for the page and the API. Every text in the
database came from the web: the page renders it with `textContent` only, and pages carry a
Content-Security-Policy that forbids inline script.

Database access (`Database`): DuckDB lets one process open a file read-write, or any number read-only, never
both at once. The server opens the file read-only on first use and shares that connection among request
threads (a cursor each, ~0.5 ms, against ~30 ms to open the file). It closes it after `IDLE_CLOSE_S` without
requests, so `khaldun run` can write the file while the server idles (requests that arrive during such a run
get 503 with Retry-After). POST /api/documents takes the write lock: new reads wait, running reads finish,
the read-only connection is closed and the pipeline opens the file read-write for that one submission.

Docs: docs/api.md
"""

from __future__ import annotations

import datetime as dt
import hmac
import importlib.metadata
import logging
import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.middleware.gzip import GZipMiddleware

from . import queries
from .errors import KhaldunError, StoreError
from .store import Store

log = logging.getLogger(__name__)

# Why 5 s: the page makes 2-5 requests per interaction; one connection lasts through an interaction (opening
# the file costs ~30 ms) and the file is free for a writer soon after.
IDLE_CLOSE_S = 5.0
# Why 5 MB: a long news page is 100-500 kB of HTML; ten times that is not a news article.
MAX_SUBMISSION_CHARS = 5_000_000
RETRY_AFTER_S = 2
GZIP_MIN_BYTES = 1000

STATIC_DIR = Path(__file__).resolve().parent / "static"
# Our own page files: name -> file in STATIC_DIR.
STATIC_FILES = {"app.js": "app.js", "app.css": "app.css"}
# Third-party files, installed by `npm ci` from package-lock.json: URL name -> path under node_modules.
# Only these are served; the names in leaflet.css (images/...) resolve relative to /vendor/leaflet.css.
VENDOR_FILES = {
    "leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet.css": "leaflet/dist/leaflet.css",
    "images/layers.png": "leaflet/dist/images/layers.png",
    "images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "leaflet.markercluster.js": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "MarkerCluster.css": "leaflet.markercluster/dist/MarkerCluster.css",
    "topojson-client.js": "topojson-client/dist/topojson-client.min.js",
    "countries-50m.json": "world-atlas/countries-50m.json",
    "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
}
NPM_HINT = (
    "map assets not found: run `npm ci --ignore-scripts` in the khaldun checkout or set KHALDUN_NODE_MODULES"
)

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
    " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI's page starts with an inline script (FastAPI's template); everything else stays local.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def _version() -> str:
    try:
        return importlib.metadata.version("khaldun")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def find_node_modules() -> Path | None:
    """The node_modules folder with the page's npm packages, or None.

    $KHALDUN_NODE_MODULES when set, else the first one found walking up from this package's folder (a
    checkout), else ./node_modules.
    """
    env = os.environ.get("KHALDUN_NODE_MODULES")
    if env:  # an explicit choice: no fallback, so a wrong path shows up as missing assets
        candidates = [Path(env)]
    else:
        here = Path(__file__).resolve().parent
        candidates = [p / "node_modules" for p in (here, *here.parents)]
        candidates.append(Path.cwd() / "node_modules")
    for c in candidates:
        if (c / "leaflet" / "package.json").is_file():
            return c
    return None


# -- database access ---------------------------------------------------------------------------------
class Database:
    """A shared read-only connection, closed when idle and for writes (see the module docstring)."""

    def __init__(self, path: str, *, idle_close_s: float = IDLE_CLOSE_S) -> None:
        if not Path(path).is_file():
            raise StoreError(f"no database at {path}: make one with `khaldun run`")
        self.path = path
        self.idle_close_s = idle_close_s
        self._cond = threading.Condition()
        self._store: Store | None = None
        self._readers = 0
        self._writing = False
        self._last_used = 0.0

    @contextmanager
    def read(self) -> Iterator[Store]:
        """A cursor on the shared read-only connection (opened on demand)."""
        with self._cond:
            while self._writing:
                self._cond.wait()
            if self._store is None:
                self._store = Store(self.path, read_only=True)  # StoreError -> 503
                threading.Thread(
                    target=self._close_when_idle, args=(self._store,), name="khaldun-db-idle", daemon=True
                ).start()
            cursor = self._store.cursor()
            self._readers += 1
        try:
            yield cursor
        finally:
            cursor.close()
            with self._cond:
                self._readers -= 1
                self._last_used = time.monotonic()
                self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        """Exclusive use of the file: waits for running reads, closes the connection, holds off new ones."""
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._writing = True
            while self._readers:
                self._cond.wait()
            self._close_locked()
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._close_locked()

    def _close_locked(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
            self._cond.notify_all()

    def _close_when_idle(self, store: Store) -> None:
        with self._cond:
            while self._store is store:
                idle = time.monotonic() - self._last_used
                if self._readers == 0 and idle >= self.idle_close_s:
                    self._close_locked()
                    return
                self._cond.wait(timeout=None if self._readers else self.idle_close_s - idle)


# -- response models (the OpenAPI schema; tests check them against the store's columns) ---------------
class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class EventOut(_Model):
    """A corroborated event (a row of the events table, ACLED columns first)."""

    event_id: str
    event_date: str | None = Field(None, description="ISO date")
    time_precision: int | None = Field(None, description="ACLED: 1 day, 2 week, 3 month")
    event_type: str | None = None
    sub_event_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    country: str | None = None
    country_code: str | None = Field(None, description="ISO 3166-1 alpha-2")
    iso: int | None = Field(None, description="ISO 3166-1 numeric")
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = Field(None, description="ACLED: 1 town, 2 near/district, 3 province")
    fatalities: int | None = Field(None, description="the most conservative reported figure")
    notes: str | None = None
    source: str | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    n_reports: int | None = None
    n_sources: int | None = None
    sources: str | None = None
    divergence: str | None = Field(None, description="where the reports disagree")
    single_side: bool = Field(False, description="all sources are on one side of the conflict")


class ReportOut(_Model):
    """One document's report of one event (a row of the reports_export view)."""

    report_id: str
    event_id: str | None = None
    doc_id: str
    source_path: str | None = None
    source_url: str | None = None
    outlet: str | None = None
    published: str | None = None
    event_date: str | None = None
    time_precision: int | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    country: str | None = None
    country_code: str | None = None
    iso: int | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    claimed_by: str | None = None
    evidence: str | None = Field(None, description="the sentence the report was coded from")
    evidence_start: int | None = Field(None, description="offset of the evidence in the document text")
    evidence_end: int | None = None
    place_reason: str | None = None
    claim: str | None = None
    confidence: float | None = None
    mentions: dict[str, list[Any]] = Field(
        default_factory=dict, description="field -> [start, end, text]: the words that set it"
    )


class EventReportOut(ReportOut):
    title: str | None = None
    language: str | None = None
    loaded_score: float | None = Field(None, description="framing: share of loaded wording in the document")
    n_framing_flags: int = 0


class SaidBy(_Model):
    report_id: str
    outlet: str | None = None
    value: Any = None


class Disagreement(_Model):
    field: str = Field(description="a report field the sources disagree on")
    values: list[SaidBy] = Field(description="what each report says")


class EventDetail(EventOut):
    disagreements: list[Disagreement] = Field(
        default_factory=list, description="each field named in `divergence` with every report's value"
    )
    divergence_fields: dict[str, Any] | None = Field(
        None, description="divergence, when stored as a JSON object"
    )
    reports: list[EventReportOut]


class DocumentOut(_Model):
    doc_id: str
    source_path: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    language: str | None = None
    n_reports: int | None = None
    error: str | None = Field(None, description="'K0xx [stage] message' when the document failed")
    published_source: str | None = Field(None, description="which rung of the date cascade gave `published`")


class SpanOut(_Model):
    report_id: str
    event_id: str | None = None
    field: str = Field(description="'evidence' or the report field this mention set (actor1, location, ...)")
    start: int = Field(description="offset in Python code points into the document text")
    end: int
    text: str
    matches: bool = Field(description="false when the stored quote differs from the text at these offsets")


class DocumentDetail(DocumentOut):
    text: str = ""
    framing: dict[str, Any] | None = Field(
        None,
        description="{loaded_score, flags: [{start, end, text, category, why}],"
        " sentences: [{start, end, kind}]}",
    )
    metadata: dict[str, Any] | None = None
    reports: list[ReportOut]
    spans: list[SpanOut]


class _Page(_Model):
    total: int
    limit: int
    offset: int
    next_offset: int | None = Field(description="offset of the next page, null on the last one")


class EventPage(_Page):
    events: list[EventOut]


class ReportPage(_Page):
    reports: list[ReportOut]


class DocumentPage(_Page):
    documents: list[DocumentOut]


class _Count(_Model):
    n: int
    fatalities: int


class TypeCount(_Count):
    event_type: str | None


class SubTypeCount(_Count):
    event_type: str | None
    sub_event_type: str | None


class CountryCount(_Count):
    country: str | None
    country_code: str | None


class Admin1Count(_Count):
    country: str | None
    admin1: str | None


class WeekCount(_Count):
    week: str = Field(description="the Monday that starts the ISO week")


class DayCount(_Count):
    day: str


class StatsOut(_Model):
    events: int
    fatalities: int
    date_min: str | None
    date_max: str | None
    documents: int = Field(description="documents in the database (not filtered)")
    reports: int = Field(description="reports in the database (not filtered)")
    by_type: list[TypeCount]
    by_sub_event_type: list[SubTypeCount]
    by_country: list[CountryCount]
    by_admin1: list[Admin1Count]
    by_week: list[WeekCount]
    by_day: list[DayCount]


class Submission(BaseModel):
    """A page to run through the pipeline."""

    model_config = ConfigDict(extra="forbid")
    content: str = Field(min_length=1, max_length=MAX_SUBMISSION_CHARS, description="the page, HTML or text")
    content_type: Literal["html", "text"] = "text"
    url: str | None = Field(None, max_length=2048, description="where the page came from")
    published: dt.date | None = Field(None, description="publication date, when the page does not say")


class SubmissionResult(_Model):
    n_events: int
    events: list[dict[str, Any]]


# -- query parameters --------------------------------------------------------------------------------
def _filters(  # noqa: PLR0913 - one parameter per documented filter
    *,
    date_from: Annotated[dt.date | None, Query(description="first event date, inclusive")] = None,
    date_to: Annotated[dt.date | None, Query(description="last event date, inclusive")] = None,
    country: Annotated[
        list[str] | None, Query(description="country name or ISO alpha-2 code; repeat for any of several")
    ] = None,
    admin1: Annotated[list[str] | None, Query(description="first-level region; repeatable")] = None,
    event_type: Annotated[list[str] | None, Query(description="ACLED event type; repeatable")] = None,
    sub_event_type: Annotated[list[str] | None, Query(description="ACLED sub-event type; repeatable")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="substring of actor1 or actor2")] = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="substring of notes, places, actors, sources or evidence"),
    ] = None,
    min_fatalities: Annotated[int | None, Query(ge=0, description="at least this many fatalities")] = None,
    bbox: Annotated[
        str | None,
        Query(
            max_length=100,
            description="west,south,east,north in degrees (west > east crosses the antimeridian)",
            examples=["35.5,32.3,42.4,37.4"],
        ),
    ] = None,
) -> queries.Filters:
    return queries.Filters(
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
        country=tuple(country or ()),
        admin1=tuple(admin1 or ()),
        event_type=tuple(event_type or ()),
        sub_event_type=tuple(sub_event_type or ()),
        actor=actor or None,
        q=q or None,
        min_fatalities=min_fatalities,
        bbox=queries.parse_bbox(bbox),
    )


FiltersDep = Annotated[queries.Filters, Depends(_filters)]
Limit = Annotated[int, Query(ge=1, le=queries.MAX_LIMIT, description="page size")]
Offset = Annotated[int, Query(ge=0, description="rows to skip")]
SortParam = Annotated[queries.Sort, Query(description="date, -date, fatalities or -fatalities")]


# -- the app -----------------------------------------------------------------------------------------
def create_app(db_path: str, *, token: str | None = None) -> FastAPI:
    """The khaldun web app over the DuckDB file at `db_path`.

    Args:
        db_path: an existing khaldun database (made by `khaldun run`).
        token: enables POST /api/documents for requests with `Authorization: Bearer <token>`; without a
            token that route does not exist.

    Raises:
        StoreError: no database at `db_path`.

    Docs: docs/api.md
    """
    db = Database(db_path)
    if find_node_modules() is None:
        log.warning("%s; the page will load without its map", NPM_HINT)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        db.close()

    app = FastAPI(
        title="khaldun",
        version=_version(),
        description="A corroborated, geocoded ACLED-style event dataset built from news pages. "
        "Every text field is untrusted text from the web. Docs: docs/api.md",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.db = db
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES)
    _add_error_handling(app)
    _add_page_routes(app)
    _add_read_routes(app, db)
    if token:
        _add_submission_route(app, db, token)
    return app


def _add_error_handling(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    @app.exception_handler(KhaldunError)
    async def khaldun_error(_: Request, exc: KhaldunError) -> JSONResponse:
        body = {"detail": str(exc), "code": exc.code}
        if isinstance(exc, StoreError):  # the file is missing or a writer holds it: try again soon
            return JSONResponse(body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})
        # UsageError is a bad parameter, like FastAPI's own validation errors; others are a bad submission.
        return JSONResponse(body, status_code=422)


def _add_page_routes(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(
            STATIC_DIR / "index.html",
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-cache"},
        )

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> FileResponse:
        if name not in STATIC_FILES:
            raise HTTPException(404, "no such file")
        return FileResponse(STATIC_DIR / STATIC_FILES[name], headers={"Cache-Control": "no-cache"})

    @app.get("/vendor/{name:path}", include_in_schema=False)
    def vendor(name: str) -> Response:
        rel = VENDOR_FILES.get(name)  # the whitelist: no path from the request reaches the file system
        if rel is None:
            raise HTTPException(404, "no such file")
        node_modules = find_node_modules()  # looked up each time: `npm ci` may run while the server does
        if node_modules is None or not (node_modules / rel).is_file():
            return Response(NPM_HINT, status_code=404, media_type="text/plain")
        return FileResponse(node_modules / rel, headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        html = get_swagger_ui_html(
            openapi_url="openapi.json",
            title="khaldun API",
            swagger_js_url="vendor/swagger-ui-bundle.js",
            swagger_css_url="vendor/swagger-ui.css",
            swagger_favicon_url="data:,",
        )
        html.headers["Content-Security-Policy"] = DOCS_CSP
        return html


def _add_read_routes(app: FastAPI, db: Database) -> None:
    @app.get("/api/events", response_model=EventPage, tags=["events"])
    def events(
        *,
        filters: FiltersDep,
        limit: Limit = queries.DEFAULT_LIMIT,
        offset: Offset = 0,
        sort: SortParam = "date",
    ) -> dict[str, Any]:
        """Events matching the filters, one page at a time (follow `next_offset`)."""
        with db.read() as store:
            return queries.list_events(store, filters, limit=limit, offset=offset, sort=sort)

    @app.get(
        "/api/events.geojson",
        tags=["events"],
        response_class=JSONResponse,
        responses={200: {"content": {"application/geo+json": {}}, "description": "a FeatureCollection"}},
    )
    def events_geojson(
        *,
        filters: FiltersDep,
        limit: Annotated[int, Query(ge=1, le=queries.MAX_FEATURES)] = queries.MAX_FEATURES,
    ) -> JSONResponse:
        """Events matching the filters as GeoJSON; each feature's properties are the event's columns.

        Events without coordinates have a null geometry. `total` and `truncated` say whether `limit` cut
        the collection.
        """
        with db.read() as store:
            body = queries.events_geojson(store, filters, limit=limit)
        return JSONResponse(body, media_type="application/geo+json")

    @app.get("/api/events/{event_id}", response_model=EventDetail, tags=["events"])
    def event(event_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
        """One event with its reports (outlet, evidence, mentions) and what its sources disagree on."""
        with db.read() as store:
            found = queries.get_event(store, event_id)
        if found is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return found

    @app.get("/api/reports", response_model=ReportPage, tags=["reports"])
    def reports(  # noqa: PLR0913 - filters, ids and paging are all query parameters
        *,
        filters: FiltersDep,
        event_id: Annotated[str | None, Query(description="reports of this event")] = None,
        doc_id: Annotated[str | None, Query(description="reports of this document")] = None,
        limit: Limit = queries.DEFAULT_LIMIT,
        offset: Offset = 0,
        sort: SortParam = "date",
    ) -> dict[str, Any]:
        """Reports (one document's account of one event) matching the filters, one page at a time."""
        with db.read() as store:
            return queries.list_reports(
                store, filters, event_id=event_id, doc_id=doc_id, limit=limit, offset=offset, sort=sort
            )

    @app.get("/api/documents", response_model=DocumentPage, tags=["documents"])
    def documents(
        *,
        q: Annotated[
            str | None, Query(max_length=200, description="substring of title, outlet or URL")
        ] = None,
        limit: Limit = queries.DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Documents (without their text), one page at a time."""
        with db.read() as store:
            return queries.list_documents(store, q=q, limit=limit, offset=offset)

    @app.get("/api/documents/{doc_id}", response_model=DocumentDetail, tags=["documents"])
    def document(doc_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
        """A document's article text, its reports, the spans that set each field and its framing flags."""
        with db.read() as store:
            found = queries.get_document(store, doc_id)
        if found is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        return found

    @app.get("/api/stats", response_model=StatsOut, tags=["stats"])
    def stats(filters: FiltersDep) -> dict[str, Any]:
        """Counts and fatalities of the matching events by type, sub-type, country, admin1, week and day."""
        with db.read() as store:
            return queries.stats(store, filters)


def _add_submission_route(app: FastAPI, db: Database, token: str) -> None:
    def authorised(authorization: Annotated[str | None, Header()] = None) -> None:
        if not authorization:
            raise HTTPException(
                401, "send Authorization: Bearer <token>", headers={"WWW-Authenticate": "Bearer"}
            )
        scheme, _, given = authorization.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise HTTPException(403, "wrong token")

    @app.post(
        "/api/documents",
        response_model=SubmissionResult,
        tags=["documents"],
        dependencies=[Depends(authorised)],
        responses={401: {"description": "no token sent"}, 403: {"description": "wrong token"}},
    )
    def submit(submission: Submission) -> dict[str, Any]:
        """Run one page through the pipeline, store it and return its events (needs `--token`).

        The request holds the database exclusively while it runs (reads wait).
        """
        try:
            from .pipeline import process_submission  # noqa: PLC0415 - the pipeline is heavy; load on use
        except ImportError as exc:
            raise HTTPException(501, f"the pipeline is not available: {exc}") from exc
        with db.write():
            events = process_submission(
                db.path,
                submission.content,
                url=submission.url,
                published=submission.published.isoformat() if submission.published else None,
                content_type=submission.content_type,
            )
        return {"n_events": len(events), "events": events}


def serve(db_path: str, *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Serve the app with uvicorn until interrupted (`khaldun serve`).

    Docs: docs/api.md
    """
    import uvicorn  # noqa: PLC0415 - only the server needs it

    app = create_app(db_path, token=token)
    log.info("serving %s on http://%s:%d/ (submissions %s)", db_path, host, port, "on" if token else "off")
    uvicorn.run(app, host=host, port=port, log_level="warning")
