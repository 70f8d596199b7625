"""Read queries behind `khaldun serve`: the JSON API and the map page use these and nothing else.

The map page is static JavaScript that reads the API, and every API route calls one function here, so the
page, the API and any Python caller see the same rows (one data path). Each function takes an open `Store`
(read-only is enough) and returns plain JSON-ready dicts.

    Filters ──where()──> SQL WHERE + params
        ├── list_events / events_geojson / stats      (table events)
        └── list_reports                              (view reports_export)
    get_event · get_document · list_documents          (by id / paging)

Filters are ANDed; a list filter (country, admin1, event_type, sub_event_type) matches any of its values,
case-insensitively. Text search (`q`) and `actor` are case-insensitive substring matches.

Docs: docs/api.md
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Literal

from .errors import UsageError
from .store import (
    DOCUMENT_COLUMNS,
    DOCUMENT_EXTRA_COLUMNS,
    EVENT_COLUMNS,
    EVENT_EXTRA_COLUMNS,
    REPORT_COLUMNS,
    REPORT_EXTRA_COLUMNS,
    Store,
)
from .store import geojson_feature as _feature

# Paging limits. Why: a page of /api/events is read by people and scripts (100 is a screenful, 1000 keeps a
# response under ~1 MB); the map loads every matching event in one GeoJSON request, and 50,000 points is
# about where Leaflet.markercluster stays responsive in a browser (its own benchmark loads 50k markers).
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_FEATURES = 50_000
BBOX_PARTS = 4
LAT_LIMIT = 90.0
LON_LIMIT = 180.0

Kind = Literal["events", "reports"]
Sort = Literal["date", "-date", "fatalities", "-fatalities"]
SORTS: dict[str, str] = {
    "date": "event_date ASC NULLS LAST, {id} ASC",
    "-date": "event_date DESC NULLS LAST, {id} ASC",
    "fatalities": "coalesce(fatalities, 0) ASC, event_date ASC NULLS LAST, {id} ASC",
    "-fatalities": "coalesce(fatalities, 0) DESC, event_date ASC NULLS LAST, {id} ASC",
}

# Columns searched by `q`, per table (concat_ws skips NULLs).
_SEARCH = {
    "events": "notes, location, admin1, admin2, country, actor1, actor2, sources, event_type, sub_event_type",
    "reports": "evidence, location, admin1, admin2, country, actor1, actor2, claimed_by, outlet",
}
_ID = {"events": "event_id", "reports": "report_id"}
_TABLE = {"events": "events", "reports": "reports_export"}
EVENT_FIELDS = EVENT_COLUMNS + EVENT_EXTRA_COLUMNS
_REPORT_FIELD_NAMES = frozenset(REPORT_COLUMNS + REPORT_EXTRA_COLUMNS)
DOCUMENT_LIST_FIELDS = [c for c in DOCUMENT_COLUMNS if c != "text"] + ["published_source"]


@dataclass(slots=True, frozen=True)
class Filters:
    """What to select. Empty tuples and `None` mean "no filter"; dates are ISO `yyyy-mm-dd`.

    `bbox` is (west, south, east, north) in degrees; west > east crosses the antimeridian. Events without
    coordinates never match a bbox.
    """

    date_from: str | None = None
    date_to: str | None = None
    country: tuple[str, ...] = ()
    admin1: tuple[str, ...] = ()
    event_type: tuple[str, ...] = ()
    sub_event_type: tuple[str, ...] = ()
    actor: str | None = None
    q: str | None = None
    min_fatalities: int | None = None
    bbox: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    raise UsageError(f"{name} must be an ISO date (yyyy-mm-dd), got {value!r}") from None
        if self.bbox is not None:
            west, south, east, north = self.bbox
            if not (-LON_LIMIT <= west <= LON_LIMIT and -LON_LIMIT <= east <= LON_LIMIT):
                raise UsageError(f"bbox longitudes must be within ±180, got {self.bbox}")
            if not (-LAT_LIMIT <= south <= north <= LAT_LIMIT):
                raise UsageError(f"bbox latitudes must be within ±90 with south <= north, got {self.bbox}")

    def without_dates(self) -> Filters:
        """The same filters over all dates (the timeline shows what the date brush can select)."""
        return dataclasses.replace(self, date_from=None, date_to=None)

    def where(self, kind: Kind = "events") -> tuple[str, list[Any]]:
        """SQL WHERE clause (always non-empty) and its parameters, for `events` or `reports_export`."""
        clauses: list[str] = ["TRUE"]
        params: list[Any] = []
        if self.date_from:
            clauses.append("event_date >= ?::DATE")
            params.append(self.date_from)
        if self.date_to:
            clauses.append("event_date <= ?::DATE")
            params.append(self.date_to)
        if self.country:
            wanted = [c.strip().lower() for c in self.country]
            clauses.append("(list_contains(?, lower(country)) OR list_contains(?, lower(country_code)))")
            params += [wanted, wanted]
        for column in ("admin1", "event_type", "sub_event_type"):
            values: tuple[str, ...] = getattr(self, column)
            if values:
                clauses.append(f"list_contains(?, lower({column}))")
                params.append([v.strip().lower() for v in values])
        if self.actor:
            clauses.append(
                "(contains(lower(coalesce(actor1, '')), ?) OR contains(lower(coalesce(actor2, '')), ?))"
            )
            params += [self.actor.lower()] * 2
        if self.q:
            needle = self.q.lower()
            clauses.append(f"contains(lower(concat_ws(' ', {_SEARCH[kind]})), ?)")
            params.append(needle)
            if kind == "events":
                # An event also matches when one of its reports' evidence sentences does.
                clauses[-1] = (
                    f"({clauses[-1]} OR EXISTS (SELECT 1 FROM reports r WHERE r.event_id = events.event_id"
                    " AND contains(lower(r.evidence), ?)))"
                )
                params.append(needle)
        if self.min_fatalities is not None:
            clauses.append("coalesce(fatalities, 0) >= ?")
            params.append(self.min_fatalities)
        if self.bbox is not None:
            west, south, east, north = self.bbox
            clauses.append("latitude BETWEEN ? AND ?")
            params += [south, north]
            if west <= east:
                clauses.append("longitude BETWEEN ? AND ?")
            else:
                clauses.append("(longitude >= ? OR longitude <= ?)")
            params += [west, east]
        return " AND ".join(clauses), params


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """`"west,south,east,north"` → a tuple of floats (or None for an empty value)."""
    if not text:
        return None
    parts = text.split(",")
    if len(parts) != BBOX_PARTS:
        raise UsageError(f"bbox must be west,south,east,north, got {text!r}")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise UsageError(f"bbox must be four numbers, got {text!r}") from None
    return west, south, east, north


def _check_paging(limit: int, offset: int, maximum: int) -> None:
    if not 1 <= limit <= maximum:
        raise UsageError(f"limit must be between 1 and {maximum}, got {limit}")
    if offset < 0:
        raise UsageError(f"offset must be >= 0, got {offset}")


def _json(value: Any) -> Any:
    """A JSON column's value as data ({} or None when empty)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return json.loads(value)
    return value


def _event_row(row: dict[str, Any]) -> dict[str, Any]:
    row["single_side"] = bool(row.get("single_side"))
    return row


def _report_row(row: dict[str, Any]) -> dict[str, Any]:
    row["mentions"] = _json(row.get("mentions")) or {}
    return row


def divergence_names(text: str | None) -> list[str]:
    """The report fields named by a divergence note such as "fatalities, event_date" ([] for free text)."""
    names = [n.strip() for n in (text or "").split(",")]
    return names if names and all(n in _REPORT_FIELD_NAMES for n in names) else []


def disagreements(divergence: str | None, reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each field the sources disagree on, what each report says: `[{field, values: [{report_id,
    outlet, value}]}]`. `outlet` falls back to the title, URL or doc_id; a toll shows as its range.

    `get_event` adds the titles before calling this.
    """
    out = []
    for name in divergence_names(divergence):
        values = []
        for r in reports:
            value = r.get(name)
            if (
                name == "fatalities"
                and r.get("fatalities_low") is not None
                and r.get("fatalities_high") is not None
            ):
                low, high = r["fatalities_low"], r["fatalities_high"]
                value = f"{low}-{high}" if low != high else low
            source = r.get("outlet") or r.get("title") or r.get("source_url") or r.get("doc_id")
            values.append({"report_id": r["report_id"], "outlet": source, "value": value})
        out.append({"field": name, "values": values})
    return out


def divergence_fields(text: str | None) -> dict[str, Any] | None:
    """The divergence note as a dict when it is stored as a JSON object, else None (show it as text)."""
    if not text or not text.lstrip().startswith("{"):
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


# -- events ------------------------------------------------------------------------------------------
def count_events(store: Store, filters: Filters) -> int:
    where, params = filters.where("events")
    rows = store.query(f"SELECT count(*) AS n FROM events WHERE {where}", params)
    return int(rows[0]["n"])


def list_events(
    store: Store, filters: Filters, *, limit: int = DEFAULT_LIMIT, offset: int = 0, sort: Sort = "date"
) -> dict[str, Any]:
    """One page of events: `{total, limit, offset, next_offset, events}`; `next_offset` is None at the end."""
    _check_paging(limit, offset, MAX_LIMIT)
    where, params = filters.where("events")
    order = SORTS[sort].format(id="event_id")
    rows = store.query(
        f"SELECT {', '.join(EVENT_FIELDS)} FROM events WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    total = count_events(store, filters)
    return _page(total, limit, offset, "events", [_event_row(r) for r in rows])


def events_geojson(store: Store, filters: Filters, *, limit: int = MAX_FEATURES) -> dict[str, Any]:
    """Matching events as a GeoJSON FeatureCollection (events without coordinates have a null geometry).

    Foreign members `total` and `truncated` say whether `limit` cut the collection.
    """
    _check_paging(limit, 0, MAX_FEATURES)
    where, params = filters.where("events")
    rows = store.query(
        f"SELECT {', '.join(EVENT_FIELDS)} FROM events WHERE {where}"
        f" ORDER BY {SORTS['date'].format(id='event_id')} LIMIT ?",
        [*params, limit],
    )
    total = count_events(store, filters) if len(rows) == limit else len(rows)
    return {
        "type": "FeatureCollection",
        "total": total,
        "truncated": total > len(rows),
        "features": [_feature(_event_row(r)) for r in rows],
    }


def get_event(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event with its reports (each with its document's title and framing score) and its divergence."""
    event = store.event(event_id)
    if event is None:
        return None
    _event_row(event)
    event["divergence_fields"] = divergence_fields(event.get("divergence"))
    doc_ids = sorted({r["doc_id"] for r in event["reports"]})
    docs = {
        d["doc_id"]: d
        for d in store.query(
            "SELECT doc_id, title, language, framing FROM documents WHERE list_contains(?, doc_id)", [doc_ids]
        )
    }
    for report in event["reports"]:
        doc = docs.get(report["doc_id"], {})
        framing = _json(doc.get("framing")) or {}
        report["title"] = doc.get("title")
        report["language"] = doc.get("language")
        report["loaded_score"] = framing.get("loaded_score")
        report["n_framing_flags"] = len(framing.get("flags") or [])
    event["disagreements"] = disagreements(event.get("divergence"), event["reports"])
    return event


# -- reports -----------------------------------------------------------------------------------------
def list_reports(  # noqa: PLR0913 - filters plus the two id filters and paging, all keyword-only
    store: Store,
    filters: Filters,
    *,
    event_id: str | None = None,
    doc_id: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    sort: Sort = "date",
) -> dict[str, Any]:
    """One page of reports (rows of `reports_export`): `{total, limit, offset, next_offset, reports}`."""
    _check_paging(limit, offset, MAX_LIMIT)
    where, params = filters.where("reports")
    if event_id is not None:
        where += " AND event_id = ?"
        params.append(event_id)
    if doc_id is not None:
        where += " AND doc_id = ?"
        params.append(doc_id)
    order = SORTS[sort].format(id="report_id")
    rows = store.query(
        f"SELECT * FROM reports_export WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    total = int(store.query(f"SELECT count(*) AS n FROM reports_export WHERE {where}", params)[0]["n"])
    return _page(total, limit, offset, "reports", [_report_row(r) for r in rows])


# -- documents ---------------------------------------------------------------------------------------
def list_documents(
    store: Store, *, q: str | None = None, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> dict[str, Any]:
    """One page of documents without their text: `{total, limit, offset, next_offset, documents}`."""
    _check_paging(limit, offset, MAX_LIMIT)
    where, params = "TRUE", []
    if q:
        where = "contains(lower(concat_ws(' ', title, outlet, url, source_path)), ?)"
        params = [q.lower()]
    rows = store.query(
        f"SELECT {', '.join(DOCUMENT_LIST_FIELDS)} FROM documents WHERE {where}"
        " ORDER BY published NULLS LAST, doc_id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    total = int(store.query(f"SELECT count(*) AS n FROM documents WHERE {where}", params)[0]["n"])
    return _page(total, limit, offset, "documents", rows)


def _page(total: int, limit: int, offset: int, key: str, items: list[Any]) -> dict[str, Any]:
    """One page of a listing: `{total, limit, offset, next_offset, <key>: items}`."""
    nxt = offset + len(items)
    return {"total": total, "limit": limit, "offset": offset, "next_offset": nxt if nxt < total else None,
            key: items}


def _span(text: str, start: Any, end: Any, quoted: str | None) -> dict[str, Any] | None:
    """A span checked against the text (None when its offsets fall outside it)."""
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        return None
    return {
        "start": start,
        "end": end,
        "text": text[start:end],
        "matches": quoted is None or text[start:end] == quoted,
    }


def get_document(store: Store, doc_id: str) -> dict[str, Any] | None:
    """A document's article text with its reports and the spans that set each field.

    `spans` lists, per report, the evidence sentence (`field: "evidence"`) and each field's mention, with
    character offsets (Python code points) into `text`; `matches` is False when the stored quote differs
    from the text at those offsets. The raw page is never returned.
    """
    cols = DOCUMENT_COLUMNS + DOCUMENT_EXTRA_COLUMNS
    rows = store.query(f"SELECT {', '.join(cols)} FROM documents WHERE doc_id = ?", [doc_id])
    if not rows:
        return None
    doc = rows[0]
    doc["framing"] = _json(doc.get("framing"))
    doc["metadata"] = _json(doc.get("metadata"))
    text = doc.get("text") or ""
    reports = [
        _report_row(r)
        for r in store.query(
            "SELECT * FROM reports_export WHERE doc_id = ? ORDER BY evidence_start, report_id", [doc_id]
        )
    ]
    spans: list[dict[str, Any]] = []
    for r in reports:
        ev = _span(text, r.get("evidence_start"), r.get("evidence_end"), r.get("evidence"))
        if ev is not None:
            spans.append(
                {"report_id": r["report_id"], "event_id": r.get("event_id"), "field": "evidence", **ev}
            )
        for name, mention in sorted(r["mentions"].items()):
            if not isinstance(mention, list) or len(mention) < 2:  # noqa: PLR2004 - [start, end, text]
                continue
            quoted = mention[2] if len(mention) > 2 else None  # noqa: PLR2004
            span = _span(text, mention[0], mention[1], quoted)
            if span is not None:
                spans.append(
                    {"report_id": r["report_id"], "event_id": r.get("event_id"), "field": name, **span}
                )
    doc["reports"] = reports
    doc["spans"] = spans
    return doc


# -- stats -------------------------------------------------------------------------------------------
def stats(store: Store, filters: Filters) -> dict[str, Any]:
    """Counts of the matching events: totals, by type, sub-type, country, admin1, ISO week and day.

    `by_week[].week` is the Monday that starts the week. `documents` and `reports` count the whole database.
    """
    where, params = filters.where("events")

    def grouped(keys: str, order: str = "n DESC, 1") -> list[dict[str, Any]]:
        return store.query(
            f"SELECT {keys}, count(*) AS n, coalesce(sum(fatalities), 0) AS fatalities FROM events"
            f" WHERE {where} GROUP BY ALL ORDER BY {order}",
            params,
        )

    head = store.query(
        "SELECT count(*) AS events, coalesce(sum(fatalities), 0) AS fatalities, min(event_date) AS date_min,"
        f" max(event_date) AS date_max FROM events WHERE {where}",
        params,
    )[0]
    totals = store.query(
        "SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM reports) AS reports"
    )[0]
    return {
        **head,
        **totals,
        "by_type": grouped("event_type"),
        "by_sub_event_type": grouped("event_type, sub_event_type"),
        "by_country": grouped("country, country_code"),
        "by_admin1": grouped("country, admin1"),
        "by_week": [
            {**r, "week": r["week"][:10]}
            for r in grouped("date_trunc('week', event_date)::DATE AS week", order="week")
            if r["week"] is not None
        ],
        "by_day": [r for r in grouped("event_date AS day", order="day") if r["day"] is not None],
    }
