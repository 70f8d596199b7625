"""The per-document pipeline and the batch runner.

A stage is `Callable[[Document], Document]` registered under a versioned name with what it requires and
assigns (spaCy's factories). `Pipeline` checks the order at construction and runs each document through the
stages; the one place per-document failures are caught is `Pipeline.__call__`, which records
"K0xx [stage] message" on the document so the batch goes on.

`run()` is the batch job behind `khaldun run`: ingest -> pipeline (optionally in worker processes) -> store
(one transaction per batch of documents) -> cluster -> store events.
"""

from __future__ import annotations

import logging
import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .errors import KhaldunError, PipelineError, StageOrderError, WorkersDied
from .prefork import start_workers
from .records import Document

log = logging.getLogger(__name__)

StageFn = Callable[[Document], Document]
T = TypeVar("T")
WRITE_BATCH = 64  # documents per transaction, at least: small enough to lose little on a kill, ...
WRITE_INTERVAL_S = 1.0  # ... and at most one a second: a transaction costs about 25 ms whatever its size


@dataclass(slots=True, frozen=True)
class Stage:
    name: str
    fn: StageFn
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


REGISTRY: dict[str, Stage] = {}


def stage(name: str, *, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()) -> Callable[[StageFn], StageFn]:
    """Register a stage under a versioned name ("khaldun.events.v1")."""

    def deco(fn: StageFn) -> StageFn:
        REGISTRY[name] = Stage(name, fn, requires, assigns)
        return fn

    return deco


INGEST_ASSIGNS = ("doc_id", "source_path", "url", "raw", "content_type", "metadata")


class Pipeline:
    def __init__(self, names: Iterable[str]) -> None:
        self.stages = [REGISTRY[n] for n in names]
        have = set(INGEST_ASSIGNS)
        for st in self.stages:
            missing = [r for r in st.requires if r not in have]
            if missing:
                raise StageOrderError(f"{st.name} requires {', '.join(missing)}, which no earlier stage assigns")
            have.update(st.assigns)

    def __call__(self, doc: Document) -> Document:
        if doc.error:
            return doc
        for st in self.stages:
            try:
                out = st.fn(doc)
                if not isinstance(out, Document):
                    raise PipelineError(f"{st.name} returned {type(out).__name__}")
                doc = out
            except KhaldunError as exc:
                doc.error = f"{exc.code} [{st.name}] {exc.detail or exc}"
            except Exception as exc:  # noqa: BLE001 - the one per-document error handler
                log.exception("stage %s failed on %s", st.name, doc.source_path or doc.url)
                doc.error = f"K099 [{st.name}] {type(exc).__name__}: {exc}"
            if doc.error:
                doc.reports = []
                break
        doc.raw = ""  # the raw page is not stored; its text and hash are
        return doc


# -- built-in stages ----------------------------------------------------------------------------------
@stage("khaldun.article.v1", requires=("raw",), assigns=("text", "title", "outlet", "published", "published_source"))
def _article(doc: Document) -> Document:
    from .article import extract

    return extract(doc)


@stage("khaldun.events.v1", requires=("text", "published"), assigns=("reports", "discards"))
def _events(doc: Document) -> Document:
    from .events import code_document
    from .places import Geocoder

    return code_document(doc, Geocoder.default())


@stage("khaldun.framing.v1", requires=("text",), assigns=("framing",))
def _framing(doc: Document) -> Document:
    from .framing import frame_text

    doc.framing = frame_text(doc.text)
    return doc


DEFAULT_STAGES = ("khaldun.article.v1", "khaldun.events.v1", "khaldun.framing.v1")


def default_pipeline() -> Pipeline:
    return Pipeline(DEFAULT_STAGES)


_WORKER_PIPELINE: Pipeline | None = None
# Documents go to the workers in chunks of about CHUNK_BYTES of input (at most CHUNK_DOCS documents): one or
# two HTML pages, so that no worker idles long while the other ends the run, or a few dozen short feed items,
# so that passing them between processes stays a small share of coding them.
CHUNK_BYTES = 256 * 1024
CHUNK_DOCS = 64
MAX_DEATHS_IN_A_ROW = 3
IN_FLIGHT_PER_WORKER = 4  # chunks submitted ahead of the one awaited, per worker
READ_AHEAD_BYTES = 32 * 2**20  # input read ahead of the workers (`read_ahead`)

# A made-up report that reaches every lazily built table: the gazetteer, the cue, actor and toll patterns,
# dates, places and the framing lexicon.
_WARM_TEXT = (
    "Clashes in the north\n\n"
    "ALEPPO, Syria, March 4 - Government forces shelled the town of Saraqib on Monday, killing three civilians "
    "and wounding eleven, a monitoring group said, while militants of the Islamic State attacked an army post."
)


def warm_up() -> None:
    """Build what the stages load on first use (the gazetteer, the compiled tables) by coding a short report,
    so that processes forked afterwards start with them loaded."""
    doc = Document(doc_id="warm-up", raw=_WARM_TEXT, content_type="text", published="2020-03-04")
    default_pipeline()(doc)
    import trafilatura  # noqa: F401 - HTML pages need it; its import is a third of a process's start-up

    from .heads import save_memo

    save_memo()  # the fork server never exits normally, so its atexit hook would not write it


def _worker_init() -> None:
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = default_pipeline()
    from .places import Geocoder

    if not Geocoder.default_is_current():  # `gazetteer add` since the fork server warmed up
        Geocoder.reset_default()
    Geocoder.default()


def _worker_run(docs: Iterable[Document]) -> list[Document]:
    assert _WORKER_PIPELINE is not None
    return [_WORKER_PIPELINE(doc) for doc in docs]


class PackedChunk:
    """A chunk of documents pickled once, on the read-ahead thread: handing it to a worker then copies bytes.
    (The executor pickles what it sends on the main process's feeder thread, while both workers run; pickling
    the pages' text there took a core a tenth of a second from them on the 181 benchmark pages.) Iterating it
    gives the documents back."""

    __slots__ = ("blob", "size")

    def __init__(self, docs: list[Document]) -> None:
        self.blob = pickle.dumps(docs, protocol=pickle.HIGHEST_PROTOCOL)
        self.size = sum(len(d.raw) for d in docs)

    def __iter__(self) -> Iterator[Document]:
        return iter(pickle.loads(self.blob))  # our own bytes, pickled by this run


def _chunks(docs: Iterable[Document]) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    size = 0
    for doc in docs:
        chunk.append(doc)
        size += len(doc.raw)
        if size >= CHUNK_BYTES or len(chunk) >= CHUNK_DOCS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def read_ahead(items: Iterable[T], max_bytes: int = READ_AHEAD_BYTES, *,
               size: Callable[[T], int] = lambda doc: len(doc.raw)) -> Iterator[T]:
    """`items` (documents, or chunks of them), pulled by a background thread up to `max_bytes` of input
    (`size(item)`) ahead of the consumer.

    With workers, the main process has nothing to do while the fork server warms up (half a second): reading,
    decoding and pickling the input then, instead of once the workers wait for it, keeps that time off the
    run."""
    import queue
    import threading

    ahead: queue.SimpleQueue[tuple[T | None, BaseException | None, int]] = queue.SimpleQueue()
    room = threading.Condition()
    held = [0]
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                n = size(item)
                with room:
                    room.wait_for(lambda: held[0] < max_bytes or stop.is_set())
                    if stop.is_set():
                        return
                    held[0] += n
                ahead.put((item, None, n))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which raises it
            ahead.put((None, exc, 0))
            return
        ahead.put((None, None, 0))

    thread = threading.Thread(target=produce, name="khaldun-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, exc, n = ahead.get()
            if exc is not None:
                raise exc
            if item is None:
                return
            with room:
                held[0] -= n
                room.notify()
            yield item
    finally:
        stop.set()
        with room:
            room.notify_all()


def _executor(workers: int) -> Any:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    ctx = mp.get_context("forkserver" if os.name == "posix" else "spawn")
    return ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_init)


def _died(doc: Document) -> Document:
    doc.error = "K098 [worker] the worker process died while coding this document (out of memory, or a crash)"
    doc.reports = []
    doc.raw = ""
    return doc


def map_chunks(fn: Callable[[Any], list[Any]], chunks: Iterable[Iterable[Any]], workers: int, *,
               died: Callable[[Any], Any]) -> Iterator[Any]:
    """`fn(chunk)` for every chunk in `workers` worker processes, the items it returns yielded in input order.

    The workers are a `ProcessPoolExecutor` fed a few chunks ahead of the one awaited. (multiprocessing's
    `Pool.imap` streams too, but its worker-watching thread wakes up whenever a result waits to be read,
    which costs the main process a tenth of a core while the workers run.) When a worker process dies, the
    chunks then pending are run again one item at a time: the item whose run kills a worker again is
    replaced by `died(item)`, and the rest go on. A chunk is anything that iterates over its items (a list,
    a `PackedChunk`). `fn` must be importable by the workers.
    """
    from collections import deque
    from concurrent.futures.process import BrokenProcessPool

    window = IN_FLIGHT_PER_WORKER * workers
    chunks = iter(chunks)
    pending: deque[tuple[Any, Iterable[Any]]] = deque()
    ex = _executor(workers)
    try:
        while True:
            while len(pending) < window and (chunk := next(chunks, None)) is not None:
                pending.append((ex.submit(fn, chunk), chunk))
            if not pending:
                return
            future, chunk = pending.popleft()
            try:
                yield from future.result()
                continue
            except BrokenProcessPool:
                log.warning("a worker process died; running the pending items one at a time to find which")
            ex.shutdown(wait=True, cancel_futures=True)
            items = [x for c in (chunk, *(c for _, c in pending)) for x in c]
            pending.clear()
            ex = _executor(workers)
            deaths = 0  # in a row: workers that die whatever the item are a broken set-up, not a broken page
            for item in items:
                try:
                    out = ex.submit(fn, [item]).result()
                    deaths = 0
                except BrokenProcessPool:
                    deaths += 1
                    ex.shutdown(wait=True, cancel_futures=True)
                    if deaths >= MAX_DEATHS_IN_A_ROW:
                        raise WorkersDied(f"worker processes died on {deaths} documents in a row; "
                                          "run with --workers 1 to see the error") from None
                    out = [died(item)]
                    ex = _executor(workers)
                yield from out
    finally:
        ex.shutdown(wait=True, cancel_futures=True)


def pipe(docs: Iterable[Document], *, workers: int = 1, pipeline: Pipeline | None = None) -> Iterator[Document]:
    """Run documents through the pipeline, in `workers` processes when more than one (`map_chunks`): a
    document that kills its worker process comes back with a K098 error, and the batch goes on."""
    if workers <= 1:
        p = pipeline or default_pipeline()
        for doc in docs:
            yield p(doc)
        return
    start_workers(workers)
    packed = read_ahead((PackedChunk(c) for c in _chunks(docs)), size=lambda chunk: chunk.size)
    yield from map_chunks(_worker_run, packed, workers, died=_died)


@dataclass(slots=True)
class RunSummary:
    read: int = 0
    skipped: int = 0
    failed: int = 0
    reports: int = 0
    unplaced: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.read} documents read ({self.skipped} already stored), {self.failed} failed, "
                f"{self.reports} reports ({self.unplaced} without coordinates), {self.events} events")


def run(paths: Iterable[str], *, db: str | None = None, published: str | None = None, workers: int = 1,
        progress: Callable[[int], None] | None = None, cluster: bool = True) -> RunSummary:
    """The batch job: read, code and store every new document under `paths`, then merge events."""
    from .ingest import iter_documents
    from .store import Store

    summary = RunSummary()
    start_workers(workers)
    with Store(db) as store:
        known = store.known_doc_ids()

        def fresh() -> Iterator[Document]:
            for doc in iter_documents(paths, published=published):
                summary.read += 1
                if doc.doc_id in known and not doc.error:
                    summary.skipped += 1
                    if progress:
                        progress(1)
                    continue
                known.add(doc.doc_id)
                yield doc

        batch: list[Document] = []
        new_ids: list[str] = []
        written = time.monotonic()
        for doc in pipe(fresh(), workers=workers):
            new_ids.append(doc.doc_id)
            if doc.error:
                summary.failed += 1
                summary.errors.append(f"{doc.source_path or doc.url}: {doc.error}")
            summary.reports += len(doc.reports)
            summary.unplaced += sum(1 for r in doc.reports if not r.place or r.place.latitude is None)
            batch.append(doc)
            if progress:
                progress(1)
            if len(batch) >= WRITE_BATCH and time.monotonic() - written >= WRITE_INTERVAL_S:
                store.write_documents(batch)
                batch, written = [], time.monotonic()
        store.write_documents(batch)
        if cluster:
            from .cluster import recluster

            summary.events = recluster(store, new_doc_ids=new_ids)
    return summary


def process_submission(db_path: str, content: str, *, url: str | None = None, published: str | None = None,
                       content_type: str = "html") -> list[dict[str, Any]]:
    """Code one submitted page, store it, re-merge, and return its events (used by POST /api/documents)."""
    from .cluster import recluster
    from .ingest import _make
    from .store import Store

    doc = _make(content, url=url or "", content_type=content_type, published=published)
    doc = default_pipeline()(doc)
    with Store(db_path) as store:
        store.write_documents([doc])
        recluster(store, new_doc_ids=[doc.doc_id])
        ids = sorted({r["event_id"] for r in store.query("SELECT event_id FROM reports WHERE doc_id = ?", [doc.doc_id])
                      if r["event_id"]})
        return [e for i in ids if (e := store.event(i)) is not None]
