"""Paths and URLs in, `Document`s out: html, txt, jsonl, warc(.gz), rss/atom feeds and feed URLs.

Everything is read as a stream (one JSONL line, one WARC record, one feed item at a time), so a 5 GB WARC
file runs in bounded memory. A broken input becomes a `Document` with `error` set; it never stops the batch.
The network is reached only through `FETCH` (the seam that tests replace with canned bytes).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .errors import (
    BadEncoding,
    EmptyDocument,
    FetchError,
    InputError,
    MalformedRecord,
    TooLarge,
    UnreadableFile,
)
from .records import Document

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024  # a news article page is < 2 MB; past 20 MB it is not an article
HTML_EXT = {".html", ".htm", ".xhtml"}
TEXT_EXT = {".txt", ".text"}
JSONL_EXT = {".jsonl", ".ndjson"}
FEED_EXT = {".xml", ".rss", ".atom"}
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
FETCH_TIMEOUT_S = 20.0


def _http_fetch(url: str) -> bytes:
    import httpx

    try:
        resp = httpx.get(url, timeout=FETCH_TIMEOUT_S, follow_redirects=True,
                         headers={"User-Agent": "khaldun/0.1 (+conflict event coder)"})
        resp.raise_for_status()
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {exc}") from exc
    return resp.content


FETCH: Callable[[str], bytes] = _http_fetch


def doc_id_for(content: str | bytes) -> str:
    """Content hash: the same article read twice gets the same id (so a re-run adds nothing)."""
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()[:16]


def outlet_from_url(url: str) -> str:
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.I)


def decode(data: bytes, *, html: bool = False) -> tuple[str, str]:
    """Bytes to text: declared charset, then UTF-8, then detection. Returns (text, encoding)."""
    if not data.strip():
        raise EmptyDocument("no content")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("binary content (NUL bytes)")
    if html:
        m = _META_CHARSET.search(data[:4096])
        if m:
            enc = m.group(1).decode("ascii", "ignore").lower()
            try:
                return data.decode(enc), enc
            except (LookupError, UnicodeDecodeError):
                pass
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise BadEncoding("cannot detect the text encoding")
    text = str(best)
    if text.count("\ufffd") > max(3, len(text) // 100):
        raise BadEncoding(f"undecodable bytes (best guess {best.encoding})")
    return text, best.encoding


def error_document(source: str, exc: BaseException, *, stage: str = "ingest", url: str = "") -> Document:
    code = getattr(exc, "code", "K099")
    detail = getattr(exc, "detail", "") or str(exc)
    return Document(
        doc_id=doc_id_for(f"error:{source}:{url}:{code}:{detail}"),
        source_path="" if source.startswith(("http://", "https://")) else source,
        url=url or (source if source.startswith(("http://", "https://")) else ""),
        error=f"{code} [{stage}] {detail}",
    )


def _make(raw: str, *, source_path: str = "", url: str = "", content_type: str, title: str = "",
          published: str | None = None, outlet: str = "", metadata: dict[str, Any] | None = None) -> Document:
    if not raw.strip():
        raise EmptyDocument("no content")
    return Document(
        doc_id=doc_id_for(raw), source_path=source_path, url=url, content_type=content_type, raw=raw,
        title=title, published=published, published_source="input" if published else "",
        outlet=outlet or (outlet_from_url(url) if url else ""), metadata=metadata or {},
    )


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lower()
    return "<html" in head or "<!doctype html" in head or "<body" in head or "<p>" in head


def read_file(path: Path, source: str) -> Iterator[Document]:
    """Documents in one file (several for jsonl, warc and feeds)."""
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        yield from read_warc(path, source)
        return
    suffix = path.suffix.lower()
    if suffix in JSONL_EXT:
        yield from read_jsonl(path, source)
        return
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise TooLarge(f"{size} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(str(exc)) from exc
    if suffix in FEED_EXT:
        yield from read_feed(data, source)
        return
    text, enc = decode(data, html=suffix in HTML_EXT)
    kind = "html" if suffix in HTML_EXT or _looks_like_html(text) else "text"
    yield _make(text, source_path=source, content_type=kind, metadata={"encoding": enc} if enc != "utf-8" else None)


def read_jsonl(path: Path, source: str) -> Iterator[Document]:
    """One document per line: url, title, published, html or text; other fields kept as metadata."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below; streamed line by line
    except OSError as exc:
        raise UnreadableFile(str(exc)) from exc
    with fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                yield document_from_line(line, source=source, where=f"line {lineno}", error_at=f"{source}:{lineno}")


def document_from_line(line: bytes, *, source: str, where: str, error_at: str) -> Document:
    """One JSONL line as a document, or as an error document saying `where` it broke."""
    try:
        if len(line) > MAX_BYTES:
            raise TooLarge(f"{where}: {len(line)} bytes")
        try:
            obj = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise MalformedRecord(f"{where}: {exc}") from exc
        if not isinstance(obj, dict):
            raise MalformedRecord(f"{where}: not a JSON object")
        return document_from_record(obj, source=source)
    except InputError as exc:
        return error_document(error_at, exc)


def document_from_record(obj: dict[str, Any], *, source: str = "") -> Document:
    html, text = obj.get("html"), obj.get("text")
    if not isinstance(html, str) and not isinstance(text, str):
        raise MalformedRecord("record has neither 'html' nor 'text'")
    raw = html if isinstance(html, str) and html.strip() else str(text or "")
    meta = {k: v for k, v in obj.items() if k not in {"html", "text", "url", "title", "published", "outlet"}}
    return _make(
        raw, source_path=source, url=str(obj.get("url") or ""), content_type="html" if raw is html else "text",
        title=str(obj.get("title") or ""), published=_iso(obj.get("published")),
        outlet=str(obj.get("outlet") or ""), metadata=meta,
    )


def _iso(value: Any) -> str | None:
    from .dates import parse_date

    if not value:
        return None
    d = parse_date(str(value))
    return d.isoformat() if d else None


def read_warc(path: Path, source: str) -> Iterator[Document]:
    """HTML response records of a WARC file, streamed. A truncated record or archive tail becomes an
    error document after the records that could be read."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        fh = open(path, "rb")  # noqa: SIM115
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFile(str(exc)) from exc
    n = 0
    with fh:
        it = ArchiveIterator(fh)
        offsets: list[int] = []
        try:
            for rec in it:
                if rec.rec_type != "response":
                    offsets.append(it.get_record_offset())  # (reads the record to its end)
                    continue
                url = rec.rec_headers.get_header("WARC-Target-URI") or ""
                ctype = (rec.http_headers.get_header("Content-Type") if rec.http_headers else "") or ""
                if "html" not in ctype.lower():
                    offsets.append(it.get_record_offset())
                    continue
                n += 1
                try:
                    data = rec.content_stream().read(MAX_BYTES + 1)
                    if len(data) > MAX_BYTES:
                        raise TooLarge(url)
                    if getattr(rec.raw_stream, "limit", 0) > 0:
                        raise MalformedRecord(f"WARC record truncated ({rec.raw_stream.limit} bytes missing)")
                    offsets.append(it.get_record_offset())
                    text, _ = decode(data, html=True)
                    date = rec.rec_headers.get_header("WARC-Date")
                    yield _make(text, source_path=source, url=url, content_type="html",
                                metadata={"warc_date": date} if date else None)
                except InputError as exc:
                    yield error_document(f"{source}#{n}", exc, url=url)
                except Exception as exc:  # noqa: BLE001 - a broken record must not stop the file
                    yield error_document(f"{source}#{n}", MalformedRecord(f"WARC record: {exc}"), url=url)
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            # a corrupt archive: what was read is kept, the rest is one error document
            yield error_document(f"{source}#{n + 1}", MalformedRecord(f"WARC: {exc}"))
            return
        # a gzip member cut short yields no record and no error: the iterator stopped before the end
        if 0 < it.offset < size and (not offsets or offsets[-1] != it.offset):
            yield error_document(f"{source}#{n + 1}",
                                 MalformedRecord(f"WARC: unreadable from byte {it.offset} of {size} (truncated?)"))


def read_feed(data: bytes, source: str, *, feed_url: str = "") -> Iterator[Document]:
    """RSS/Atom items: their full content when the feed carries it, else the linked page (fetched)."""
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        if feed.bozo:
            raise MalformedRecord(f"not a readable feed: {feed.bozo_exception}")
        return
    site = feed.feed.get("title", "") or (outlet_from_url(feed_url) if feed_url else "")
    for i, e in enumerate(feed.entries):
        link = e.get("link", "")
        published = None
        if e.get("published_parsed") or e.get("updated_parsed"):
            t = e.get("published_parsed") or e.get("updated_parsed")
            published = f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
        content = ""
        if e.get("content"):
            content = max((c.get("value", "") for c in e.content), key=len)
        summary = e.get("summary", "")
        body = content if len(content) >= len(summary) else summary
        try:
            if len(re.sub(r"<[^>]+>", " ", body).split()) >= 60 or not link:
                yield _make(body, source_path=source if not feed_url else "", url=link, title=e.get("title", ""),
                            published=published, outlet=site if not link else "",
                            content_type="html" if "<" in body else "text", metadata={"feed": source or feed_url})
            else:
                page, _ = decode(FETCH(link), html=True)
                yield _make(page, url=link, title=e.get("title", ""), published=published,
                            content_type="html", metadata={"feed": source or feed_url})
        except InputError as exc:
            yield error_document(f"{source or feed_url}#{i}", exc, url=link)


def read_url(url: str) -> Iterator[Document]:
    """A feed URL (its items are read, linked articles fetched) or an article URL."""
    data = FETCH(url)
    head = data[:1024].lower()
    if b"<rss" in head or b"<feed" in head or b"<rdf" in head:
        yield from read_feed(data, "", feed_url=url)
        return
    text, _ = decode(data, html=True)
    yield _make(text, url=url, content_type="html" if _looks_like_html(text) else "text")


def iter_paths(paths: Iterable[str]) -> Iterator[tuple[Path | None, str]]:
    """Expand folders recursively (known extensions only, sorted); files given by name are always read."""
    known = HTML_EXT | TEXT_EXT | JSONL_EXT | FEED_EXT
    for p in paths:
        if p.startswith(("http://", "https://")):
            yield None, p
            continue
        path = Path(p)
        if path.is_dir():
            for sub in sorted(path.rglob("*")):
                name = sub.name.lower()
                if sub.is_file() and not name.startswith(".") and (
                    sub.suffix.lower() in known or name.endswith(WARC_SUFFIXES)
                ):
                    yield sub, str(sub)
        else:
            yield path, p


def iter_documents(paths: Iterable[str], *, published: str | None = None) -> Iterator[Document]:
    """Every document under `paths`; failures come out as documents with `error` set."""
    for path, source in iter_paths(paths):
        try:
            if path is None:
                docs: Iterable[Document] = read_url(source)
            elif not path.exists():
                raise UnreadableFile(f"{source}: no such file or directory")
            else:
                docs = read_file(path, source)
            for doc in docs:
                if published and not doc.published and not doc.error:
                    doc.metadata["published_default"] = published
                yield doc
        except InputError as exc:
            yield error_document(source, exc)
        except Exception as exc:  # noqa: BLE001 - one broken input never stops the batch
            log.exception("unexpected failure reading %s", source)
            yield error_document(source, exc)


def source_name(path: str) -> str:
    return os.path.basename(path)
