"""Out to a cluster: `khaldun run --engine dask [--scheduler ADDRESS]`.

The same job as `pipeline.run`, cut so that everything that grows with the corpus runs on the cluster and the
driver only plans, loads and stitches. Four phases:

  1. plan (driver): list the inputs (`ingest.iter_paths`) and cut them into partitions, in reading order:
     one per WARC file, byte ranges of `PARTITION_BYTES` for larger JSONL files, batches of up to
     `PARTITION_FILES` other files (html, txt, feeds, URLs);
  2. code (cluster): each partition streams its documents through the per-document stages and writes
     `documents/part-NNNNN.parquet` and `reports/part-NNNNN.parquet` (row groups of `ROW_GROUP_DOCS`
     documents, so a worker's memory stays bounded whatever the partition's size);
  3. load and block (driver, DuckDB): the parts are loaded in one transaction (a document read twice keeps
     its first copy), then every stored report is written to `blocks/bucket=B/` under a block key
     (country, date window of `MERGE_WINDOW_DAYS`). A report within `cluster.DATE_WINDOW_DAYS` of its
     window's start is copied into the previous window too, and an undated report into every window of its
     country, so every pair `cluster.cluster_reports` would compare meets in at least one block;
  4. merge (cluster, then driver): each bucket clusters its blocks with `cluster.cluster_reports`. A group
     none of whose reports lives in another block is a whole event and is made on the worker
     (`cluster.event_for`); groups that touch a copied report come back to the driver, are stitched by
     report_id with union-find and made there. Events and every report's event_id are loaded in one
     transaction.

Because blocks only ever split pairs that `cluster_reports` would never compare, and every event is made by
the same `cluster.event_for` from its reports in report_id order, the same corpus gives the same events with
and without Dask (tests/test_scale.py).

The phases take a `mapper(fn, items, **shared) -> iterable of results` so that the partitioned algorithm runs
in one process too (`run_partitioned(..., mapper=local_map)`); `run_dask` passes one over a Dask client.
Docs: docs/scaling.md
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .pipeline import Pipeline, RunSummary, default_pipeline
from .records import Document

log = logging.getLogger(__name__)

PARTITION_FILES = 256  # html/txt files per partition: about 3 s of work each at 80 pages/s, enough to amortise
PARTITION_BYTES = 64 * 2**20  # JSONL byte range per partition (about 1,000-10,000 articles)
MIN_PARTITION_BYTES = 2**20  # ranges are never cut smaller than this, however many workers there are
ROW_GROUP_DOCS = 512  # documents buffered per Parquet row group on a worker (bounded memory)
MERGE_WINDOW_DAYS = 28  # date window of a merge block; 1/28 of dated reports are copied into two blocks
PARTITIONS_PER_WORKER = 4  # at least this many partitions per worker, so a slow partition does not idle the rest
MERGE_BUCKETS_PER_WORKER = 4  # merge tasks per worker: enough to balance countries of very unequal size
ERRORS_KEPT = 10_000  # failure lines a run keeps for its summary (all failures are in the database)

Mapper = Callable[..., Iterable[Any]]

# Columns of `Store.reports_for_clustering`: the merge reads the same fields from the blocks.
CLUSTER_COLUMNS = [
    "report_id", "event_id", "doc_id", "outlet", "published", "event_date", "time_precision", "event_type",
    "sub_event_type", "actor1", "actor2", "country", "country_code", "iso", "admin1", "admin2", "location",
    "latitude", "longitude", "geo_precision", "fatalities", "fatalities_low", "fatalities_high", "claimed_by",
    "claim", "evidence",
]
_INT_COLUMNS = {
    "n_reports", "time_precision", "iso", "geo_precision", "fatalities", "fatalities_low", "fatalities_high",
    "evidence_start", "evidence_end", "n_sources", "ord",
}
_FLOAT_COLUMNS = {"latitude", "longitude", "confidence"}
_BOOL_COLUMNS = {"single_side"}


# -- phase 1: plan -------------------------------------------------------------------------------------------
@dataclass(slots=True, frozen=True)
class Partition:
    """A unit of work: files read in order by `ingest.iter_documents`, or one byte range of a JSONL file."""

    index: int
    sources: tuple[str, ...] = ()
    jsonl: str = ""  # a JSONL file read from byte `start` (the line starting at or after it) to `end`
    start: int = 0
    end: int = 0


def plan(paths: Iterable[str], *, min_partitions: int = 1, partition_files: int = PARTITION_FILES,
         partition_bytes: int = PARTITION_BYTES) -> list[Partition]:
    """Cut the inputs into partitions, in the order `pipeline.run` reads them.

    Partitions are at most `partition_files` files or `partition_bytes` bytes, and smaller when that is
    needed to give at least `min_partitions` of them (so a small corpus still keeps every worker busy).
    """
    from .ingest import JSONL_EXT, WARC_SUFFIXES, iter_paths

    entries = []
    for path, source in iter_paths(paths):
        size = path.stat().st_size if path is not None and path.is_file() else 0
        warc = path is not None and path.name.lower().endswith(WARC_SUFFIXES)
        jsonl = path is not None and path.suffix.lower() in JSONL_EXT
        entries.append((source, size, warc, jsonl))
    n_files = sum(1 for e in entries if not e[2])
    per_files = max(1, min(partition_files, n_files // max(1, min_partitions)))
    per_bytes = max(MIN_PARTITION_BYTES, min(partition_bytes, sum(e[1] for e in entries) // max(1, min_partitions)))

    parts: list[Partition] = []
    batch: list[str] = []
    batch_bytes = 0

    def flush() -> None:
        nonlocal batch, batch_bytes
        if batch:
            parts.append(Partition(len(parts), tuple(batch)))
        batch, batch_bytes = [], 0

    for source, size, warc, jsonl in entries:
        if warc:
            flush()
            parts.append(Partition(len(parts), (source,)))
        elif jsonl and size > per_bytes:
            flush()
            for start in range(0, size, per_bytes):
                parts.append(Partition(len(parts), jsonl=source, start=start, end=min(size, start + per_bytes)))
        else:
            batch.append(source)
            batch_bytes += size
            if len(batch) >= per_files or batch_bytes >= per_bytes:
                flush()
    flush()
    return parts


def read_partition(part: Partition, *, published: str | None = None) -> Iterator[Document]:
    """The documents of a partition, as `ingest.iter_documents` would give them in a whole-corpus run."""
    from .ingest import iter_documents

    if not part.jsonl:
        yield from iter_documents(part.sources, published=published)
        return
    for doc in _read_jsonl_range(part.jsonl, part.start, part.end):
        if published and not doc.published and not doc.error:
            doc.metadata["published_default"] = published
        yield doc


def _read_jsonl_range(source: str, start: int, end: int) -> Iterator[Document]:
    """The JSONL lines that start in [start, end), streamed. A malformed line becomes an error document named
    `FILE@BYTE` (its line number is unknown without reading the file from the top; ingest says `FILE:LINE`)."""
    from .errors import UnreadableFile
    from .ingest import document_from_line, error_document

    try:
        fh = open(source, "rb")  # noqa: SIM115 - closed below; streamed line by line
    except OSError as exc:
        yield error_document(source, UnreadableFile(str(exc)))
        return
    with fh:
        if start:
            fh.seek(start - 1)
            fh.readline()  # the line that holds byte start-1 belongs to the previous range
        while (pos := fh.tell()) < end:
            line = fh.readline()
            if not line:
                break
            if line.strip():
                yield document_from_line(line, source=source, where=f"byte {pos}", error_at=f"{source}@{pos}")


# -- phase 2: code (runs on the workers) ---------------------------------------------------------------------
@dataclass(slots=True)
class PartResult:
    index: int
    read: int = 0
    skipped: int = 0
    documents: str = ""  # Parquet file written, or "" when the partition had nothing new
    reports: str = ""
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


_PIPELINE: Pipeline | None = None


def _worker_pipeline() -> Pipeline:
    """One pipeline per worker process, built on its first partition (the gazetteer loads once)."""
    global _PIPELINE
    if _PIPELINE is None:
        _PIPELINE = default_pipeline()
    return _PIPELINE


def _arrow_schema(columns: Sequence[str]) -> Any:
    import pyarrow as pa  # type: ignore[import-untyped]

    def typ(c: str) -> Any:
        if c in _INT_COLUMNS:
            return pa.int64()
        if c in _FLOAT_COLUMNS:
            return pa.float64()
        if c in _BOOL_COLUMNS:
            return pa.bool_()
        return pa.string()

    return pa.schema([(c, typ(c)) for c in columns])


class _PartWriter:
    """Rows into one Parquet file, a row group at a time; no file when no row came."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.path, self.schema = path, _arrow_schema(columns)
        self.rows: list[tuple[Any, ...]] = []
        self.writer: Any = None

    def add(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.rows.extend(rows)

    def flush(self) -> None:
        if not self.rows:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        cols = list(zip(*self.rows, strict=True))
        table = pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(cols, self.schema, strict=True)],
                                     schema=self.schema)
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(str(self.path), self.schema)
        self.writer.write_table(table)
        self.rows = []

    def close(self) -> str:
        self.flush()
        if self.writer is None:
            return ""
        self.writer.close()
        return str(self.path)


def code_partition(part: Partition, *, out: str, published: str | None = None,
                   known: frozenset[str] | set[str] = frozenset()) -> PartResult:
    """Phase 2: run one partition through the per-document stages and write its Parquet parts."""
    from .store import DOCUMENT_COLUMNS_DDL, REPORT_COLUMNS_DDL, _document_row, _report_row

    t0 = time.perf_counter()
    pipeline = _worker_pipeline()
    res = PartResult(part.index)
    name = f"part-{part.index:05d}.parquet"
    docs_w = _PartWriter(Path(out) / "documents" / name, [*DOCUMENT_COLUMNS_DDL, "ord"])
    reps_w = _PartWriter(Path(out) / "reports" / name, [*REPORT_COLUMNS_DDL, "ord"])
    seen: set[str] = set()
    for seq, doc in enumerate(read_partition(part, published=published)):
        res.read += 1
        if (doc.doc_id in known or doc.doc_id in seen) and not doc.error:
            res.skipped += 1
            continue
        seen.add(doc.doc_id)
        doc = pipeline(doc)
        if doc.error and len(res.errors) < ERRORS_KEPT:
            res.errors.append(f"{doc.source_path or doc.url}: {doc.error}")
        order = (part.index << 32) | seq  # the global reading order: the first copy of a document wins
        docs_w.add([(*_document_row(doc), order)])
        reps_w.add((*_report_row(doc, r), order) for r in doc.reports)
        if len(docs_w.rows) >= ROW_GROUP_DOCS:
            docs_w.flush()
            reps_w.flush()
    res.documents, res.reports = docs_w.close(), reps_w.close()
    res.seconds = time.perf_counter() - t0
    return res


# -- phase 3: block (driver) ---------------------------------------------------------------------------------
def write_blocks(store: Any, out: str, *, buckets: int,
                 window_days: int = MERGE_WINDOW_DAYS) -> list[tuple[str, list[str]]]:
    """Write every stored report, keyed by (country, date window), to `out/bucket=B/`; (B, files) per bucket."""
    from .cluster import DATE_WINDOW_DAYS

    cols = ", ".join(f"CAST({c} AS VARCHAR) AS {c}" if c in ("published", "event_date") else c
                     for c in CLUSTER_COLUMNS)
    w, h, b = int(window_days), int(DATE_WINDOW_DAYS), max(1, int(buckets))
    target = str(out).replace("'", "''")
    sql = f"""
    COPY (
      WITH r AS (
        SELECT {cols}, coalesce(country_code, '') AS _cc,
               datediff('day', DATE '1970-01-01', reports_export.event_date) AS _day
        FROM reports_export),
      d AS (SELECT *, floor(_day / {w})::BIGINT AS _win FROM r WHERE _day IS NOT NULL),
      wins AS (SELECT DISTINCT _cc, _win FROM d),
      d2 AS (SELECT d.*, (d._day - d._win * {w}) < {h} AND p._win IS NOT NULL AS _halo
             FROM d LEFT JOIN wins p ON p._cc = d._cc AND p._win = d._win - 1),
      copies AS (
        SELECT * EXCLUDE (_day, _win, _halo), _cc || '|' || _win AS block, _halo AS shared FROM d2
        UNION ALL
        SELECT * EXCLUDE (_day, _win, _halo), _cc || '|' || (_win - 1) AS block, true AS shared
        FROM d2 WHERE _halo
        UNION ALL
        SELECT * EXCLUDE (_day), _cc || '|u' AS block, true AS shared FROM r WHERE _day IS NULL
        UNION ALL
        SELECT r.* EXCLUDE (_day), r._cc || '|' || wins._win AS block, true AS shared
        FROM r JOIN wins ON wins._cc = r._cc WHERE r._day IS NULL)
      SELECT * EXCLUDE (_cc), hash(block) % {b} AS bucket FROM copies
    ) TO '{target}' (FORMAT parquet, PARTITION_BY (bucket), OVERWRITE_OR_IGNORE)
    """
    store.query(sql)
    return [(d.name.split("=", 1)[1], sorted(str(f) for f in d.glob("*.parquet")))
            for d in sorted(Path(out).glob("bucket=*"))]


# -- phase 4: merge (workers, then driver) -------------------------------------------------------------------
@dataclass(slots=True)
class MergeResult:
    events: str = ""  # Parquet of the events made on the worker
    assignments: str = ""
    n_events: int = 0
    boundary: list[list[dict[str, Any]]] = field(default_factory=list)  # groups to stitch on the driver


def _write_events(events: Sequence[Any], out: str, name: str) -> tuple[str, str]:
    from .store import EVENT_COLUMNS_DDL, _event_row

    ev_w = _PartWriter(Path(out) / "events" / name, EVENT_COLUMNS_DDL)
    as_w = _PartWriter(Path(out) / "assign" / name, ["report_id", "event_id"])
    for ev, members in events:
        ev_w.add([_event_row(ev)])
        as_w.add((r["report_id"], ev.event_id) for r in members)
    return ev_w.close(), as_w.close()


def merge_bucket(bucket: tuple[str, Sequence[str]], *, out: str) -> MergeResult:
    """Phase 4 on a worker: cluster the blocks of one bucket (its name and files); make the events whose
    reports are all here, return the groups that touch a report copied into another block."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .cluster import event_for, link_reports, split_chain

    name, files = bucket
    rows = pa.concat_tables([pq.read_table(f) for f in files]).to_pylist() if files else []
    blocks: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        blocks[r.pop("block")].append(r)
    made, res = [], MergeResult()
    for key in sorted(blocks):
        members = blocks[key]
        for g in link_reports(members):
            grp = sorted((members[i] for i in g), key=lambda r: r["report_id"])
            if any(r["shared"] for r in grp):
                res.boundary.append(grp)  # cut by day on the driver, once stitched whole
            else:
                for piece in split_chain(grp):
                    part = [grp[i] for i in piece]
                    made.append((event_for(part), part))
    res.events, res.assignments = _write_events(made, out, f"part-{name}.parquet")
    res.n_events = len(made)
    return res


def stitch(groups: Iterable[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Groups that share a report are one event: union-find over report ids; members in report_id order."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    rows: dict[str, dict[str, Any]] = {}
    for grp in groups:
        first = grp[0]["report_id"]
        for r in grp:
            rid = r["report_id"]
            rows.setdefault(rid, r)
            parent.setdefault(rid, rid)
            a, b = find(first), find(rid)
            if a != b:
                parent[max(a, b)] = min(a, b)
    comps: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rid in sorted(rows):
        comps[find(rid)].append(rows[rid])
    return list(comps.values())


def merge(store: Any, work: str, *, mapper: Mapper, buckets: int,
          window_days: int = MERGE_WINDOW_DAYS) -> int:
    """Phases 3 and 4: re-merge every stored report into events; returns the number of events."""
    from .cluster import event_for, split_chain

    blocks_dir = Path(work) / "blocks"
    if blocks_dir.exists():
        shutil.rmtree(blocks_dir)
    for sub in ("events", "assign"):
        shutil.rmtree(Path(work) / sub, ignore_errors=True)
    blocks_dir.parent.mkdir(parents=True, exist_ok=True)
    files = write_blocks(store, str(blocks_dir), buckets=buckets, window_days=window_days)
    results = list(mapper(merge_bucket, files, out=work))
    boundary = [g for res in results for g in res.boundary]
    made = []
    for members in stitch(boundary):
        for r in members:
            r.pop("shared", None)
        for piece in split_chain(members):
            part = [members[i] for i in piece]
            made.append((event_for(part), part))
    extra = _write_events(made, work, "part-boundary.parquet")
    events = sorted(f for f in [*(r.events for r in results), extra[0]] if f)
    assigns = sorted(f for f in [*(r.assignments for r in results), extra[1]] if f)
    n = store.replace_events_parts(events, assigns)
    log.info("merge: %d events (%d made on the driver from %d boundary groups)", n, len(made), len(boundary))
    return int(n)


# -- the whole run -------------------------------------------------------------------------------------------
def local_map(fn: Callable[..., Any], items: Iterable[Any], **shared: Any) -> Iterator[Any]:
    """A mapper that runs in this process, in order (tests, and a check of the partitioned algorithm)."""
    return (fn(item, **shared) for item in items)


def run_partitioned(paths: Iterable[str], *, db: str | None = None, published: str | None = None,
                    mapper: Mapper = local_map, parts: str | None = None, buckets: int = 1,
                    min_partitions: int = 1, partition_files: int = PARTITION_FILES,
                    partition_bytes: int = PARTITION_BYTES, window_days: int | None = None) -> RunSummary:
    """`pipeline.run` in partitions: code them with `mapper`, load the Parquet parts, merge by blocks."""
    from .store import Store, default_db_path

    db = db or default_db_path()
    tmp = None
    if parts is None:
        if db == ":memory:":
            tmp = tempfile.mkdtemp(prefix="khaldun-parts-")
            parts = tmp
        else:
            parts = f"{db}.parts"
    Path(parts).mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix=time.strftime("run-%Y%m%dT%H%M%S-"), dir=parts))
    summary = RunSummary()
    try:
        with Store(db) as store:
            known = frozenset(store.known_doc_ids())
            partitions = plan(paths, min_partitions=min_partitions, partition_files=partition_files,
                              partition_bytes=partition_bytes)
            log.info("%d partitions, writing parts under %s", len(partitions), run_dir)
            t0 = time.perf_counter()
            results = sorted(mapper(code_partition, partitions, out=str(run_dir), published=published,
                                    known=known), key=lambda r: r.index)
            t1 = time.perf_counter()
            for res in results:
                summary.read += res.read
                summary.skipped += res.skipped
                summary.errors.extend(res.errors)
            counts = store.load_parts([r.documents for r in results if r.documents],
                                      [r.reports for r in results if r.reports])
            summary.skipped += counts["duplicates"]
            summary.failed, summary.reports, summary.unplaced = counts["failed"], counts["reports"], counts["unplaced"]
            t2 = time.perf_counter()
            summary.events = merge(store, str(run_dir), mapper=mapper, buckets=buckets,
                                   window_days=window_days or MERGE_WINDOW_DAYS)
            log.info("code %.2f s, load %.2f s, merge %.2f s", t1 - t0, t2 - t1, time.perf_counter() - t2)
        for sub in ("blocks", "events", "assign"):  # intermediates; documents/ and reports/ are the results
            shutil.rmtree(run_dir / sub, ignore_errors=True)
        if tmp is None and not any(run_dir.iterdir()):
            run_dir.rmdir()
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return summary


class DaskMapper:
    """`mapper` over a Dask client: one task per item, shared arguments scattered once to every worker."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def __call__(self, fn: Callable[..., Any], items: Iterable[Any], **shared: Any) -> Iterator[Any]:
        from distributed import as_completed

        items = list(items)
        if not items:
            return iter(())
        # a set is scattered as one object (scatter would send its elements one by one)
        kwargs = {k: (self.client.scatter([v], broadcast=True)[0] if isinstance(v, (set, frozenset)) and v else v)
                  for k, v in shared.items()}
        futures = self.client.map(fn, items, pure=False, **kwargs)
        return (res for _, res in as_completed(futures, with_results=True))  # type: ignore[no-untyped-call]


def run_dask(paths: Iterable[str], *, db: str | None = None, published: str | None = None,
             scheduler: str | None = None, workers: int | None = None, parts: str | None = None,
             client: Any = None) -> RunSummary:
    """`khaldun run --engine dask`: the batch job over a Dask cluster (a LocalCluster when no address).

    Args:
        paths: files, folders and URLs, as for `pipeline.run`. On a real cluster they must be readable by
            the workers (a shared file system) as well as by this process.
        db: the DuckDB file, written by this process only.
        published: publication date for inputs that carry none.
        scheduler: a Dask scheduler address (tcp://host:8786); None starts a LocalCluster.
        workers: worker processes of the LocalCluster (default: one per core).
        parts: folder for the Parquet parts (default: DB.parts/); must be shared by the workers and this
            process on a real cluster.
        client: an existing `distributed.Client` (tests); `scheduler` and `workers` are then ignored.

    Docs: docs/scaling.md
    """
    from distributed import Client, LocalCluster

    # distributed logs at INFO by its own config; follow khaldun's level instead (`khaldun -v run ...`)
    logging.getLogger("distributed").setLevel(logging.getLogger().getEffectiveLevel())
    owned: list[Any] = []
    if client is None:
        if scheduler:
            client = Client(scheduler)  # type: ignore[no-untyped-call]
            owned.append(client)
        else:
            # one single-threaded process per worker: the stages are pure Python and hold the GIL
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                dashboard_address=":0")
            client = Client(cluster)  # type: ignore[no-untyped-call]
            owned += [client, cluster]
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        return run_partitioned(paths, db=db, published=published, mapper=DaskMapper(client), parts=parts,
                               buckets=MERGE_BUCKETS_PER_WORKER * n_workers,
                               min_partitions=PARTITIONS_PER_WORKER * n_workers)
    finally:
        for obj in owned:
            obj.close()


__all__ = ["Partition", "code_partition", "merge", "plan", "read_partition", "run_dask", "run_partitioned",
           "stitch", "write_blocks"]
