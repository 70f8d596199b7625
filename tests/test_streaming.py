"""Issue 7: WARC and JSONL inputs are read as streams, so a file far larger than memory runs.

Each test writes a ~200 MB file of self-written article records and iterates `ingest.iter_documents` over it
under tracemalloc; the peak of Python allocations must stay a small fraction of the file (one record at a
time, plus the reader's buffers), never the file.
"""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import pytest

from khaldun.ingest import iter_documents

RECORD_BYTES = 48 * 1024  # a large news page
FILE_BYTES = 200 * 2**20
PEAK_LIMIT = 16 * 2**20  # 8 % of the file; measured peaks: 0.8 MB (JSONL), 3.9 MB (WARC), 0.6 MB (warc.gz)

PARAGRAPH = ("Shelling hit the market district of the town on Tuesday morning, residents said, and the local "
             "council reported damage to the water station. ")


def _page(i: int) -> str:
    body = f"<p>Record {i}. " + PARAGRAPH * (RECORD_BYTES // len(PARAGRAPH)) + "</p>"
    return f"<html><head><title>Report {i}</title></head><body><article>{body}</article></body></html>"


def _warc_record(i: int) -> bytes:
    html = _page(i).encode()
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            + f"Content-Length: {len(html)}\r\n\r\n".encode() + html)
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/{i}\r\n"
            f"WARC-Date: 2024-03-0{1 + i % 9}T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{i:012d}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def _write(path: Path, record: callable, *, gz: bool = False) -> int:  # type: ignore[valid-type]
    n = size = 0
    with path.open("wb") as fh:
        while size < FILE_BYTES:
            data = record(n)
            size += len(data)
            fh.write(gzip.compress(data, compresslevel=1) if gz else data)  # one gzip member per record
            n += 1
    return n


def _peak_while_reading(path: Path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        n = 0
        for doc in iter_documents([str(path)]):
            assert not doc.error, doc.error
            n += 1
        return n, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.issue(7)
def test_jsonl_is_read_as_a_stream(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    n = _write(path, lambda i: (json.dumps({"url": f"https://news.example/{i}", "html": _page(i)}) + "\n").encode())
    got, peak = _peak_while_reading(path)
    assert got == n
    assert peak < PEAK_LIMIT, f"peak {peak / 2**20:.1f} MB while reading a {path.stat().st_size / 2**20:.0f} MB file"


@pytest.mark.issue(7)
@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_warc_is_read_as_a_stream(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("big.warc.gz" if gz else "big.warc")
    n = _write(path, _warc_record, gz=gz)
    got, peak = _peak_while_reading(path)
    assert got == n
    assert peak < PEAK_LIMIT, f"peak {peak / 2**20:.1f} MB while reading {n} records"
