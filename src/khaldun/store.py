"""DuckDB storage: one file, three tables (documents, reports, events), one writer.

Every document's rows are written in one transaction keyed by the content-hash `doc_id`, so a killed run
leaves a consistent file and a re-run skips what is already stored. `duckdb.connect` appears only here.
Exporters (csv, jsonl, geojson, parquet) are registered in `EXPORTERS`; `khaldun export` looks formats up there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import duckdb

from .errors import StoreError
from .records import Document, Event, Report

log = logging.getLogger(__name__)

DEFAULT_DB = "khaldun.duckdb"
SCHEMA_VERSION = 1

# Export columns: exact names and order, tools and tests rely on them (issue 2).
REPORT_COLUMNS = [
    "report_id", "event_id", "doc_id", "source_path", "source_url", "outlet", "published", "event_date",
    "time_precision", "event_type", "sub_event_type", "actor1", "actor2", "country", "country_code", "iso",
    "admin1", "admin2", "location", "latitude", "longitude", "geo_precision", "fatalities", "fatalities_low",
    "fatalities_high", "claimed_by", "evidence", "evidence_start", "evidence_end",
]
REPORT_EXTRA_COLUMNS = ["place_reason", "claim", "confidence", "mentions"]
EVENT_COLUMNS = [
    "event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2", "country",
    "country_code", "iso", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision",
    "fatalities", "notes", "source", "fatalities_low", "fatalities_high", "n_reports", "n_sources", "sources",
]
EVENT_EXTRA_COLUMNS = ["divergence", "single_side"]
DOCUMENT_COLUMNS = [
    "doc_id", "source_path", "url", "outlet", "title", "published", "language", "text", "n_reports", "error",
]
DOCUMENT_EXTRA_COLUMNS = ["published_source", "framing", "metadata"]

# Table columns in DDL order (bulk loads from Parquet name them; tests/test_scale.py checks them against the DDL).
DOCUMENT_COLUMNS_DDL = [
    "doc_id", "source_path", "url", "outlet", "title", "published", "published_source", "language", "text",
    "n_reports", "error", "framing", "metadata",
]
REPORT_COLUMNS_DDL = [
    "report_id", "event_id", "doc_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
    "actor2", "country", "country_code", "iso", "admin1", "admin2", "location", "latitude", "longitude",
    "geo_precision", "fatalities", "fatalities_low", "fatalities_high", "claimed_by", "evidence",
    "evidence_start", "evidence_end", "place_reason", "claim", "confidence", "mentions",
]
EVENT_COLUMNS_DDL = EVENT_COLUMNS + EVENT_EXTRA_COLUMNS

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY, source_path VARCHAR, url VARCHAR, outlet VARCHAR, title VARCHAR,
    published DATE, published_source VARCHAR, language VARCHAR, text VARCHAR, n_reports INTEGER,
    error VARCHAR, framing JSON, metadata JSON, ingested_at TIMESTAMP DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS reports (
    report_id VARCHAR PRIMARY KEY, event_id VARCHAR, doc_id VARCHAR, event_date DATE, time_precision INTEGER,
    event_type VARCHAR, sub_event_type VARCHAR, actor1 VARCHAR, actor2 VARCHAR, country VARCHAR,
    country_code VARCHAR, iso INTEGER, admin1 VARCHAR, admin2 VARCHAR, location VARCHAR, latitude DOUBLE,
    longitude DOUBLE, geo_precision INTEGER, fatalities INTEGER, fatalities_low INTEGER,
    fatalities_high INTEGER, claimed_by VARCHAR, evidence VARCHAR, evidence_start INTEGER,
    evidence_end INTEGER, place_reason VARCHAR, claim VARCHAR, confidence DOUBLE, mentions JSON
);
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR PRIMARY KEY, event_date DATE, time_precision INTEGER, event_type VARCHAR,
    sub_event_type VARCHAR, actor1 VARCHAR, actor2 VARCHAR, country VARCHAR, country_code VARCHAR,
    iso INTEGER, admin1 VARCHAR, admin2 VARCHAR, location VARCHAR, latitude DOUBLE, longitude DOUBLE,
    geo_precision INTEGER, fatalities INTEGER, notes VARCHAR, source VARCHAR, fatalities_low INTEGER,
    fatalities_high INTEGER, n_reports INTEGER, n_sources INTEGER, sources VARCHAR, divergence VARCHAR,
    single_side BOOLEAN
);
CREATE OR REPLACE VIEW reports_export AS
    SELECT r.report_id, r.event_id, r.doc_id, d.source_path, d.url AS source_url, d.outlet, d.published,
           r.event_date, r.time_precision, r.event_type, r.sub_event_type, r.actor1, r.actor2, r.country,
           r.country_code, r.iso, r.admin1, r.admin2, r.location, r.latitude, r.longitude, r.geo_precision,
           r.fatalities, r.fatalities_low, r.fatalities_high, r.claimed_by, r.evidence, r.evidence_start,
           r.evidence_end, r.place_reason, r.claim, r.confidence, r.mentions
    FROM reports r JOIN documents d USING (doc_id);
"""


def default_db_path() -> str:
    """`KHALDUN_DB` or ./khaldun.duckdb."""
    return os.environ.get("KHALDUN_DB") or DEFAULT_DB


def _report_row(doc: Document, r: Report) -> tuple[Any, ...]:
    p = r.place
    mentions = {k: [m.start, m.end, m.text] for k, m in r.mentions.items()}
    return (
        r.report_id, r.event_id or None, doc.doc_id, r.event_date, r.time_precision, r.event_type,
        r.sub_event_type, r.actor1, r.actor2 or None, p.country if p else None,
        (p.country_code if p else r.country_code) or None, p.iso if p else None, p.admin1 if p else None,
        p.admin2 if p else None, p.location if p else None, p.latitude if p else None,
        p.longitude if p else None, p.geo_precision if p else None, r.fatalities, r.fatalities_low,
        r.fatalities_high, r.claimed_by or None, r.evidence, r.evidence_start, r.evidence_end,
        p.reason if p else None, r.claim or None, r.confidence, json.dumps(mentions),
    )


def _document_row(doc: Document) -> tuple[Any, ...]:
    return (
        doc.doc_id, doc.source_path or None, doc.url or None, doc.outlet or None, doc.title or None,
        doc.published, doc.published_source or None, doc.language or None, doc.text, len(doc.reports),
        doc.error or None, json.dumps(doc.framing) if doc.framing else None,
        json.dumps(doc.metadata, default=str) if doc.metadata else None,
    )


def _event_row(e: Event) -> tuple[Any, ...]:
    return (
        e.event_id, e.event_date, e.time_precision, e.event_type, e.sub_event_type, e.actor1,
        e.actor2 or None, e.country or None, e.country_code or None, e.iso, e.admin1 or None,
        e.admin2 or None, e.location or None, e.latitude, e.longitude, e.geo_precision, e.fatalities,
        e.notes, e.source, e.fatalities_low, e.fatalities_high, e.n_reports, e.n_sources, e.sources,
        e.divergence or None, e.single_side,
    )


# Bulk inserts. DuckDB's `executemany` runs one statement per row: 1.4 ms a row on the 2-core bench machine.
# Multi-row VALUES statements of about 3,000 parameters cost 0.14 ms a row of 10 columns (300 and 10,000
# parameters were 50 % slower). Batches of JSON_MIN_ROWS rows or more are written as newline-delimited JSON
# to a temporary file that DuckDB's own reader loads in one statement: 10x faster again (0.33 s for 20,000
# rows against 3.1 s), and without pyarrow, whose arrays from Python lists import pandas (1.1 s a process).
INSERT_MAX_PARAMS = 3_000
JSON_MIN_ROWS = 32
_JSON_MAX_OBJECT = 1 << 28  # bytes of one row (a document's text included) that DuckDB's JSON reader accepts


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str],
                 rows: Sequence[Sequence[Any]]) -> None:
    """INSERT `rows` (tuples in `columns` order); the table's other columns take their defaults."""
    if not rows:
        return
    into = f"INSERT INTO {table} ({', '.join(columns)})"
    if len(rows) >= JSON_MIN_ROWS and _insert_json(con, table, into, columns, rows):
        return
    one = f"({', '.join('?' * len(columns))})"
    step = max(1, INSERT_MAX_PARAMS // len(columns))
    for i in range(0, len(rows), step):
        chunk = rows[i:i + step]
        con.execute(f"{into} VALUES {', '.join([one] * len(chunk))}", [v for row in chunk for v in row])


def _insert_json(con: duckdb.DuckDBPyConnection, table: str, into: str, columns: Sequence[str],
                 rows: Sequence[Sequence[Any]]) -> bool:
    """The rows through a temporary NDJSON file and `read_json`; False (nothing written) for a value JSON
    cannot carry (NaN), which the VALUES path then stores."""
    types = {name: kind for name, kind, *_ in con.execute(f"DESCRIBE {table}").fetchall()}
    # JSON columns arrive as JSON text: read them as text and let the INSERT parse them
    spec = ", ".join(f"'{c}': '{'VARCHAR' if types[c] == 'JSON' else types[c]}'" for c in columns)
    fd, path = tempfile.mkstemp(prefix="khaldun-rows-", suffix=".ndjson")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(dict(zip(columns, row, strict=True)), default=str, allow_nan=False))
                fh.write("\n")
        con.execute(f"{into} SELECT {', '.join(columns)} FROM read_json(?, format = 'newline_delimited', "
                    f"columns = {{{spec}}}, maximum_object_size = {_JSON_MAX_OBJECT})", [path])
    except ValueError:  # NaN or infinity in a row
        return False
    finally:
        os.unlink(path)
    return True


class Store:
    """The khaldun database. Open read-write (the single writer) or `read_only=True` for readers."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self.path = str(path or default_db_path())
        try:
            if self.path != ":memory:" and not read_only:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(self.path, read_only=read_only)
            if not read_only:
                self.con.execute(_DDL)
                self.con.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
                )
        except (duckdb.Error, OSError) as exc:
            raise StoreError(f"{self.path}: {exc}") from exc

    def close(self) -> None:
        self.con.close()

    def cursor(self) -> Store:
        """A `Store` on a new cursor of this connection: one per thread of a multi-threaded reader (the API).

        Closing it closes only the cursor; the connection stays open.
        """
        other = object.__new__(Store)
        other.path = self.path
        other.con = self.con.cursor()
        return other

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------------------
    def known_doc_ids(self) -> set[str]:
        return {row[0] for row in self.con.execute("SELECT doc_id FROM documents").fetchall()}

    def write_documents(self, docs: Sequence[Document]) -> None:
        """Write documents with their reports in one transaction (all of them or none)."""
        if not docs:
            return
        doc_rows = [_document_row(d) for d in docs]
        report_rows = [_report_row(d, r) for d in docs for r in d.reports]
        ids = [d.doc_id for d in docs]
        con = self.con
        try:
            con.execute("BEGIN TRANSACTION")
            # A failed document may be re-read later; replace its rows rather than keep the failure.
            con.execute("DELETE FROM reports WHERE doc_id IN (SELECT unnest(?))", [ids])
            con.execute("DELETE FROM documents WHERE doc_id IN (SELECT unnest(?))", [ids])
            _insert_rows(con, "documents", DOCUMENT_COLUMNS_DDL, doc_rows)
            _insert_rows(con, "reports", REPORT_COLUMNS_DDL, report_rows)
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise StoreError(str(exc)) from exc

    def reports_for_clustering(self, where: str = "", params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Reports with the document fields the clusterer needs (all, or those matching `where`)."""
        return self.query(
            "SELECT report_id, event_id, doc_id, outlet, published, event_date, time_precision, event_type,"
            " sub_event_type, actor1, actor2, country, country_code, iso, admin1, admin2, location, latitude,"
            " longitude, geo_precision, fatalities, fatalities_low, fatalities_high, claimed_by, claim,"
            f" evidence FROM reports_export {'WHERE ' + where if where else ''} ORDER BY report_id",  # noqa: S608
            list(params),
        )

    def replace_events(self, events: Iterable[Event], assignment: dict[str, str], *,
                       replacing: Sequence[str] | None = None) -> None:
        """Store corroborated events and each report's event_id, in one transaction: all events, or only
        in place of the events `replacing` names (an incremental merge)."""
        rows = [_event_row(e) for e in events]
        con = self.con
        try:
            con.execute("BEGIN TRANSACTION")
            if replacing is None:
                con.execute("DELETE FROM events")
            else:
                con.execute("DELETE FROM events WHERE event_id IN (SELECT unnest(?))", [list(replacing)])
            _insert_rows(con, "events", EVENT_COLUMNS_DDL, rows)
            if assignment:
                con.execute("CREATE TEMP TABLE IF NOT EXISTS _assign (report_id VARCHAR, event_id VARCHAR)")
                con.execute("DELETE FROM _assign")
                _insert_rows(con, "_assign", ["report_id", "event_id"], list(assignment.items()))
                con.execute(
                    "UPDATE reports SET event_id = a.event_id FROM _assign a WHERE reports.report_id = a.report_id"
                )
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise StoreError(str(exc)) from exc

    # -- bulk loads from Parquet parts (`khaldun run --engine dask`, scale.py) ---------------------------
    def load_parts(self, documents: Sequence[str], reports: Sequence[str]) -> dict[str, int]:
        """Load Parquet parts written by the Dask workers, in one transaction.

        Parts carry the table's columns plus `ord` (the read order); a document read twice keeps its first
        copy, as `pipeline.run` does, and replaces an earlier stored copy as `write_documents` does. Returns
        counts of the kept rows: documents, duplicates, failed, reports, unplaced.
        """
        if not documents:
            return {"documents": 0, "duplicates": 0, "failed": 0, "reports": 0, "unplaced": 0}
        doc_cols = ", ".join(DOCUMENT_COLUMNS_DDL)
        rep_cols = ", ".join(f"r.{c}" for c in REPORT_COLUMNS_DDL)
        con = self.con
        try:
            con.execute("BEGIN TRANSACTION")
            con.execute("CREATE OR REPLACE TEMP TABLE _load_docs AS SELECT * FROM read_parquet(?)"
                        " QUALIFY row_number() OVER (PARTITION BY doc_id ORDER BY ord) = 1", [list(documents)])
            total = con.execute("SELECT count(*) FROM read_parquet(?)", [list(documents)]).fetchone()[0]  # type: ignore[index]
            con.execute("DELETE FROM reports WHERE doc_id IN (SELECT doc_id FROM _load_docs)")
            con.execute("DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM _load_docs)")
            con.execute(f"INSERT INTO documents SELECT {doc_cols}, current_timestamp FROM _load_docs")
            if reports:
                con.execute(f"INSERT INTO reports SELECT {rep_cols} FROM read_parquet(?) r"
                            " JOIN _load_docs d ON r.doc_id = d.doc_id AND r.ord = d.ord", [list(reports)])
            kept, failed = con.execute(
                "SELECT count(*), count(error) FROM _load_docs").fetchone()  # type: ignore[misc]
            n_rep, unplaced = con.execute(
                "SELECT count(*), count(*) FILTER (WHERE latitude IS NULL) FROM reports"
                " WHERE doc_id IN (SELECT doc_id FROM _load_docs)").fetchone()  # type: ignore[misc]
            con.execute("DROP TABLE _load_docs")
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise StoreError(str(exc)) from exc
        return {"documents": kept, "duplicates": total - kept, "failed": failed, "reports": n_rep,
                "unplaced": unplaced}

    def replace_events_parts(self, events: Sequence[str], assignments: Sequence[str]) -> int:
        """`replace_events` from Parquet parts: events rows (the table's columns) and (report_id, event_id)."""
        con = self.con
        try:
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM events")
            if events:
                cols = ", ".join(EVENT_COLUMNS_DDL)
                con.execute(f"INSERT INTO events SELECT {cols} FROM read_parquet(?)", [list(events)])
            if assignments:
                con.execute("UPDATE reports SET event_id = a.event_id FROM read_parquet(?) a"
                            " WHERE reports.report_id = a.report_id", [list(assignments)])
            n = con.execute("SELECT count(*) FROM events").fetchone()[0]  # type: ignore[index]
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise StoreError(str(exc)) from exc
        return int(n)

    # -- reading -------------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read query and return rows as dicts (dates as ISO strings)."""
        cur = self.con.execute(sql, params or [])
        names = [d[0] for d in cur.description or []]
        return [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in cur.fetchall()]

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("documents", "reports", "events"):
            out[table] = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
        out["failed"] = self.con.execute(  # type: ignore[index]
            "SELECT count(*) FROM documents WHERE error IS NOT NULL"
        ).fetchone()[0]
        return out

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event with its reports and their documents' sources."""
        rows = self.query("SELECT * FROM events WHERE event_id = ?", [event_id])
        if not rows:
            return None
        ev = rows[0]
        ev["reports"] = self.query(
            "SELECT * FROM reports_export WHERE event_id = ? ORDER BY published, report_id", [event_id]
        )
        for r in ev["reports"]:
            r["mentions"] = json.loads(r["mentions"]) if r.get("mentions") else {}
        return ev

    def rows(self, level: str) -> tuple[list[str], Iterator[dict[str, Any]]]:
        """Column names and rows of an export level."""
        if level == "reports":
            cols = REPORT_COLUMNS
            sql = f"SELECT {', '.join(cols)} FROM reports_export ORDER BY published, doc_id, evidence_start"
        elif level == "events":
            cols = EVENT_COLUMNS + EVENT_EXTRA_COLUMNS
            sql = f"SELECT {', '.join(cols)} FROM events ORDER BY event_date, event_id"
        elif level == "documents":
            cols = DOCUMENT_COLUMNS + DOCUMENT_EXTRA_COLUMNS
            sql = f"SELECT {', '.join(cols)} FROM documents ORDER BY published, doc_id"
        else:
            raise StoreError(f"unknown level {level!r}")
        cur = self.con.execute(sql)
        names = [d[0] for d in cur.description or []]

        def gen() -> Iterator[dict[str, Any]]:
            while batch := cur.fetchmany(1000):
                for row in batch:
                    yield {n: _plain(v) for n, v in zip(names, row, strict=True)}

        return cols, gen()

    def export(self, level: str, fmt: str, out: str | None) -> None:
        """Write an export level in a registered format to `out` (a path) or stdout."""
        exporter = EXPORTERS.get(fmt)
        if exporter is None:
            raise StoreError(f"unknown format {fmt!r}; known: {', '.join(sorted(EXPORTERS))}")
        exporter(self, level, out)


def _plain(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return v


# -- exporters ---------------------------------------------------------------------------------------
Exporter = Callable[[Store, str, str | None], None]
EXPORTERS: dict[str, Exporter] = {}


def exporter(name: str) -> Callable[[Exporter], Exporter]:
    """Register an export format (plugins use the same decorator)."""

    def deco(fn: Exporter) -> Exporter:
        EXPORTERS[name] = fn
        return fn

    return deco


def _open_out(out: str | None) -> tuple[IO[str], bool]:
    import sys

    if out in (None, "-"):
        return sys.stdout, False
    return open(out, "w", encoding="utf-8", newline=""), True  # noqa: SIM115 - closed by caller


@exporter("csv")
def export_csv(store: Store, level: str, out: str | None) -> None:
    cols, rows = store.rows(level)
    fh, close = _open_out(out)
    try:
        w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        for row in rows:
            w.writerow({k: ("" if v is None else v) for k, v in row.items()})
    finally:
        if close:
            fh.close()


@exporter("jsonl")
def export_jsonl(store: Store, level: str, out: str | None) -> None:
    _, rows = store.rows(level)
    fh, close = _open_out(out)
    try:
        for row in rows:
            for key in ("framing", "metadata"):
                if isinstance(row.get(key), str):
                    row[key] = json.loads(row[key])
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if close:
            fh.close()


def geojson_feature(row: dict[str, Any]) -> dict[str, Any]:
    lat, lon = row.get("latitude"), row.get("longitude")
    geom = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
    return {"type": "Feature", "id": row.get("event_id") or row.get("report_id"), "geometry": geom,
            "properties": row}


@exporter("geojson")
def export_geojson(store: Store, level: str, out: str | None) -> None:
    _, rows = store.rows(level)
    fh, close = _open_out(out)
    try:
        buf = io.StringIO()
        buf.write('{"type": "FeatureCollection", "features": [')
        for i, row in enumerate(rows):
            buf.write(("," if i else "") + "\n" + json.dumps(geojson_feature(row), ensure_ascii=False))
        buf.write("\n]}\n")
        fh.write(buf.getvalue())
    finally:
        if close:
            fh.close()


@exporter("parquet")
def export_parquet(store: Store, level: str, out: str | None) -> None:
    if out in (None, "-"):
        raise StoreError("parquet needs an output file (-o FILE)")
    cols, _ = store.rows(level)
    table = {"reports": "reports_export", "events": "events", "documents": "documents"}[level]
    select = ", ".join(cols)
    path = str(out).replace("'", "''")
    store.con.execute(f"COPY (SELECT {select} FROM {table}) TO '{path}' (FORMAT parquet)")
