"""The batch runner behind `khaldun run`: the worker processes of `--workers N` (`pipeline.map_chunks`: order,
crashes, read-ahead) and the stage-order check."""

from __future__ import annotations

import os
import threading

import pytest

from khaldun.errors import PipelineError
from khaldun.pipeline import PackedChunk, map_chunks, read_ahead
from khaldun.records import Document


def shout(items: list[str]) -> list[str]:
    """A chunk function for the workers; "boom" kills the worker process the way a segfault or OOM kill does."""
    out = []
    for x in items:
        if x == "boom":
            os._exit(3)
        out.append(x.upper())
    return out


def titles(docs) -> list[str]:
    """A chunk function over documents; a document titled "boom" kills its worker."""
    out = []
    for d in docs:
        if d.title == "boom":
            os._exit(3)
        out.append(d.title.upper())
    return out


def always_dies(items: list[str]) -> list[str]:
    os._exit(3)


def test_chunks_come_back_in_input_order():
    chunks = [[f"w{i}a", f"w{i}b"] for i in range(25)]
    got = list(map_chunks(shout, chunks, 2, died=lambda x: f"died:{x}"))
    assert got == [x.upper() for c in chunks for x in c]


def test_a_document_that_kills_its_worker_is_marked_and_the_batch_goes_on():
    chunks = [["a", "b"], ["c", "boom", "d"], ["e"], ["f", "g"]]
    got = list(map_chunks(shout, chunks, 2, died=lambda x: f"died:{x}"))
    assert got == ["A", "B", "C", "died:boom", "D", "E", "F", "G"]


def test_packed_chunks_reach_the_workers_whole_and_a_killer_page_in_one_is_still_found():
    docs = [Document(doc_id=str(i), raw="é" * 10, title=t, content_type="text") for i, t in enumerate("ab")]
    docs += [Document(doc_id="x", raw="<p>", title="boom", content_type="html"),
             Document(doc_id="y", raw="ü", title="c", content_type="text")]
    packed = [PackedChunk(docs[:2]), PackedChunk(docs[2:])]
    assert packed[0].size == 20 and [d.title for d in packed[1]] == ["boom", "c"]
    got = list(map_chunks(titles, packed, 2, died=lambda d: f"died:{d.doc_id}"))
    assert got == ["A", "B", "died:x", "C"]


def test_workers_that_die_on_everything_stop_the_run_with_a_clear_error():
    with pytest.raises(PipelineError, match="K003 .* in a row"):
        list(map_chunks(always_dies, [["a"], ["b"], ["c"], ["d"]], 2, died=lambda x: x))


def _docs(n: int, size: int) -> list[Document]:
    return [Document(doc_id=str(i), raw="x" * size, content_type="text") for i in range(n)]


def test_read_ahead_keeps_order_and_stays_within_its_byte_budget():
    docs = _docs(50, 1000)
    seen_ahead = []

    def source():
        for i, d in enumerate(docs):
            seen_ahead.append(i)
            yield d

    out = []
    for doc in read_ahead(source(), max_bytes=5000):
        # the producer may be at most the budget (5 documents) plus the one it holds ahead of the consumer
        assert len(seen_ahead) - len(out) <= 7
        out.append(doc.doc_id)
    assert out == [d.doc_id for d in docs]


def test_read_ahead_hands_the_readers_error_to_the_consumer():
    def source():
        yield from _docs(3, 10)
        raise OSError("disk gone")

    got = []
    with pytest.raises(OSError, match="disk gone"):
        for d in read_ahead(source()):
            got.append(d.doc_id)
    assert got == ["0", "1", "2"]


def test_read_ahead_stops_its_thread_when_the_consumer_stops():
    before = threading.active_count()
    it = read_ahead(iter(_docs(1000, 10_000)), max_bytes=50_000)
    next(it)
    it.close()
    for t in threading.enumerate():
        if t.name == "khaldun-read-ahead":
            t.join(timeout=5)
    assert threading.active_count() <= before


def test_a_stage_that_needs_a_field_no_earlier_stage_assigns_is_refused_when_the_pipeline_is_built():
    from khaldun.errors import StageOrderError
    from khaldun.pipeline import Pipeline

    with pytest.raises(StageOrderError, match=r"K002 .*khaldun\.events\.v1 requires text"):
        Pipeline(["khaldun.events.v1", "khaldun.article.v1"])
