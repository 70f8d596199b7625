"""Issue 7: `khaldun run --engine dask` gives the same database as the local engine.

The Dask tests run a real LocalCluster with two single-threaded worker processes (CI has two cores). The
partitioned algorithm itself (planning, JSONL byte ranges, blocks by country and date window, stitching)
is also checked in-process against `pipeline.run` and `cluster.cluster_reports` on self-written data.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")
distributed = pytest.importorskip("distributed")

from khaldun import scale
from khaldun.cluster import recluster
from khaldun.ingest import iter_documents
from khaldun.pipeline import run
from khaldun.records import Document, Place, Report, Span
from khaldun.store import (
    DOCUMENT_COLUMNS_DDL,
    EVENT_COLUMNS_DDL,
    REPORT_COLUMNS_DDL,
    Store,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def dump(db: str) -> dict[str, list[dict[str, object]]]:
    """Everything a run decides, in a stable order (ingest time and the failure label of a JSONL line left out)."""
    with Store(db, read_only=True) as s:
        return {
            "events": s.query("SELECT * FROM events ORDER BY event_id"),
            "reports": s.query("SELECT * FROM reports ORDER BY report_id"),
            "documents": s.query("SELECT * EXCLUDE (ingested_at) FROM documents WHERE error IS NULL ORDER BY doc_id"),
            "failed": s.query("SELECT count(*) AS n FROM documents WHERE error IS NOT NULL"),
        }


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples, plus a JSONL feed that repeats three of the text pages verbatim (the same doc_id: read
    twice, stored once) and retells three with an update line (new documents whose reports merge)."""
    root = tmp_path_factory.mktemp("corpus")
    for f in EXAMPLES.iterdir():
        if f.suffix in (".html", ".txt", ".jsonl", ".xml"):
            shutil.copy(f, root / f.name)
    texts = sorted(EXAMPLES.glob("*.txt"))
    with (root / "zz_wire.jsonl").open("w", encoding="utf-8") as fh:
        for i, f in enumerate(texts):
            text = f.read_text(encoding="utf-8")
            fh.write(json.dumps({"url": f"https://copy.example/{i}", "text": text}) + "\n")
            fh.write(json.dumps({"url": f"https://update.example/{i}",
                                 "text": text + "\n\nThis story has been updated.\n"}) + "\n")
    return root


def test_dask_run_gives_the_same_database_as_the_local_run(client, corpus: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # small ranges and windows, so the JSONL is cut into byte ranges and events straddle merge windows
    monkeypatch.setattr(scale, "MIN_PARTITION_BYTES", 1024)
    monkeypatch.setattr(scale, "MERGE_WINDOW_DAYS", 3)
    local = run([str(corpus)], db=str(tmp_path / "local.duckdb"))
    parts = scale.plan([str(corpus)], min_partitions=8)
    assert any(p.jsonl and p.start > 0 for p in parts)
    dask = scale.run_dask([str(corpus)], db=str(tmp_path / "dask.duckdb"), client=client)
    a, b = dump(str(tmp_path / "local.duckdb")), dump(str(tmp_path / "dask.duckdb"))
    assert a["events"], "the corpus must give events"
    for key in a:
        assert a[key] == b[key], key
    assert (dask.read, dask.skipped, dask.failed, dask.reports, dask.unplaced, dask.events) == (
        local.read, local.skipped, local.failed, local.reports, local.unplaced, local.events)
    assert local.skipped >= 3  # the verbatim copies
    assert sorted(p.name for p in (tmp_path / "dask.duckdb.parts").glob("run-*/*")) == ["documents", "reports"]


def test_dask_rerun_reads_everything_and_stores_nothing_new(client, tmp_path: Path) -> None:
    db = str(tmp_path / "k.duckdb")
    first = scale.run_dask([str(EXAMPLES)], db=db, client=client)
    before = dump(db)
    again = scale.run_dask([str(EXAMPLES)], db=db, client=client)
    assert again.read == again.skipped == first.read
    assert again.events == first.events
    assert dump(db) == before


def test_cli_engine_dask_on_a_scheduler_address(client, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from khaldun.cli import app

    db = tmp_path / "cli.duckdb"
    res = CliRunner().invoke(app, ["run", str(EXAMPLES / "kramatorsk_wire.html"), str(EXAMPLES / "kramatorsk_local.txt"),
                                   "--engine", "dask", "--scheduler", client.scheduler.address, "--db", str(db),
                                   "--parts", str(tmp_path / "parts"), "--no-table"])
    assert res.exit_code == 0, res.output
    assert "2 documents read" in res.output
    assert list((tmp_path / "parts").glob("run-*/documents/*.parquet"))


# -- the partitioned algorithm, in one process ----------------------------------------------------------------
def _jsonl(path: Path, n: int) -> None:
    rng = random.Random(3)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            if i % 37 == 5:
                fh.write("{not json\n")
            elif i % 41 == 7:
                fh.write("\n")
            else:
                words = " ".join(rng.choice(["shelling", "town", "market", "é", "القصف", "river"])
                                 for _ in range(rng.randint(1, 60)))
                fh.write(json.dumps({"url": f"https://x.example/{i}", "text": f"Record {i}. {words}"},
                                    ensure_ascii=i % 2 == 0) + "\n")


@pytest.mark.parametrize("partition_bytes", [1, 7, 100, 1000, 10**9])
def test_jsonl_byte_ranges_read_every_line_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                partition_bytes: int) -> None:
    monkeypatch.setattr(scale, "MIN_PARTITION_BYTES", 1)
    f = tmp_path / "feed.jsonl"
    _jsonl(f, 300)
    parts = scale.plan([str(f)], partition_bytes=partition_bytes)
    got = [d for p in parts for d in scale.read_partition(p)]
    want = list(iter_documents([str(f)]))
    assert [d.doc_id for d in got if not d.error] == [d.doc_id for d in want if not d.error]
    assert sum(bool(d.error) for d in got) == sum(bool(d.error) for d in want) > 0
    if partition_bytes < 1000:
        assert len(parts) > 1


def test_plan_keeps_the_reading_order_and_gives_every_worker_work() -> None:
    parts = scale.plan([str(EXAMPLES)], min_partitions=8)
    sources = [s for p in parts for s in p.sources]
    assert sources == sorted(sources) and len(sources) == len(set(sources))
    assert len(parts) >= 8


def _documents(n: int, seed: int) -> list[Document]:
    """Documents of one report each in three countries and none, over 40 days, some undated, on a few nearby
    towns: chains of same-event links cross merge windows."""
    rng = random.Random(seed)
    towns = [("Idlib", "SY", "Syria", 760, "Idlib", 35.93, 36.63), ("Ariha", "SY", "Syria", 760, "Idlib", 35.81, 36.61),
             ("Kharkiv", "UA", "Ukraine", 804, "Kharkiv", 49.99, 36.23), ("Goma", "CD", "DR Congo", 180, "Nord-Kivu", -1.68, 29.22),
             ("", "", "", None, "", None, None)]
    types = [("Explosions/Remote violence", "Shelling/artillery/missile attack"), ("Battles", "Armed clash"),
             ("Violence against civilians", "Attack"), ("Protests", "Peaceful protest")]
    start = dt.date(2024, 1, 1)
    docs = []
    for i in range(n):
        loc, cc, country, iso, admin1, lat, lon = rng.choice(towns)
        etype, sub = rng.choice(types)
        date = None if rng.random() < 0.05 else (start + dt.timedelta(days=rng.randint(0, 40))).isoformat()
        place = Place(location=loc, country_code=cc, country=country, iso=iso, admin1=admin1, latitude=lat,
                      longitude=lon, geo_precision=1) if loc else None
        doc_id = f"d{i:05d}"
        rep = Report(doc_id=doc_id, event_type=etype, sub_event_type=sub, actor1=rng.choice(["A", "B", ""]),
                     event_date=date, time_precision=1, place=place, country_code=cc,
                     fatalities=rng.choice([None, 0, 3, 7]), report_id=f"{doc_id}-00", evidence="x",
                     mentions={"actor1": Span(0, 1, "x")} if i % 3 else {}, confidence=0.5 if i % 2 else 1)
        docs.append(Document(doc_id=doc_id, outlet=f"outlet{i % 9}", published=date, text="x", reports=[rep],
                             framing={"loaded_score": i / 7} if i % 4 else {},
                             metadata={"feed": "f.xml", "n": i} if i % 5 else {}, error="" if i % 50 else "K010 x"))
    return docs


def _store_with_reports(path: str, n: int, seed: int) -> None:
    with Store(path) as s:
        s.write_documents(_documents(n, seed))


@pytest.mark.parametrize(("window_days", "buckets"), [(1, 1), (2, 3), (3, 4), (7, 2), (28, 4)])
def test_blocked_merge_equals_recluster(tmp_path: Path, window_days: int, buckets: int) -> None:
    db = str(tmp_path / "m.duckdb")
    _store_with_reports(db, 600, seed=window_days)
    with Store(db) as s:
        n_local = recluster(s)
        want = (s.query("SELECT * FROM events ORDER BY event_id"),
                s.query("SELECT report_id, event_id FROM reports ORDER BY report_id"))
        s.con.execute("DELETE FROM events")
        s.con.execute("UPDATE reports SET event_id = NULL")
        n = scale.merge(s, str(tmp_path / "work"), mapper=scale.local_map, buckets=buckets,
                        window_days=window_days)
        got = (s.query("SELECT * FROM events ORDER BY event_id"),
               s.query("SELECT report_id, event_id FROM reports ORDER BY report_id"))
    assert n == n_local
    assert got == want
    assert any(e["n_reports"] > 1 for e in want[0])


def test_stitch_joins_groups_that_share_a_report() -> None:
    def r(rid: str) -> dict[str, object]:
        return {"report_id": rid}

    comps = scale.stitch([[r("a"), r("c")], [r("c"), r("d")], [r("e")], [r("d"), r("b")]])
    assert sorted([x["report_id"] for x in c] for c in comps) == [["a", "b", "c", "d"], ["e"]]


def test_small_and_large_batches_store_the_same_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`write_documents` inserts small batches with VALUES statements and large ones through an NDJSON file
    that DuckDB reads (`store._insert_json`)."""
    from khaldun import store

    docs = _documents(600, seed=5)
    assert 10 < store.JSON_MIN_ROWS <= 600
    through_json: list[int] = []
    real = store._insert_json
    monkeypatch.setattr(store, "_insert_json", lambda con, table, into, cols, rows: (
        through_json.append(len(rows)), real(con, table, into, cols, rows))[1])
    for name, batch in (("values", 10), ("json", 600)):
        with Store(str(tmp_path / f"{name}.duckdb")) as s:
            for i in range(0, len(docs), batch):
                s.write_documents(docs[i:i + batch])
        if name == "values":
            assert through_json == []
    assert through_json and max(through_json) >= 600
    a, b = dump(str(tmp_path / "values.duckdb")), dump(str(tmp_path / "json.duckdb"))
    assert a["documents"] == b["documents"]
    assert a["reports"] == b["reports"]


def test_bulk_load_columns_follow_the_tables() -> None:
    with Store(":memory:") as s:
        for table, cols in (("documents", DOCUMENT_COLUMNS_DDL), ("reports", REPORT_COLUMNS_DDL),
                            ("events", EVENT_COLUMNS_DDL)):
            names = [r["column_name"] for r in s.query(f"DESCRIBE {table}")]
            assert names[: len(cols)] == cols
        s.write_documents([Document(doc_id="d", text="x", reports=[Report(doc_id="d", event_type="Battles",
                                                                          sub_event_type="Armed clash",
                                                                          report_id="d-00")])])
        assert list(s.reports_for_clustering()[0]) == scale.CLUSTER_COLUMNS
