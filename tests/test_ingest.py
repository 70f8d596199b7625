import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from khaldun import ingest
from khaldun.ingest import decode, doc_id_for, iter_documents

PAGE = "<html><head><title>T</title></head><body><p>Gunmen attacked a village on Monday, killing five people.</p></body></html>"


def _warc(path: Path, pages: list[tuple[str, str]]) -> None:
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        for url, html in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(html.encode()), http_headers=headers))


def test_same_content_same_id():
    assert doc_id_for("abc") == doc_id_for(b"abc")
    assert doc_id_for("abc") != doc_id_for("abd")


def test_html_txt_and_folders_recursively(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "p.html").write_text(PAGE)
    (tmp_path / "b.txt").write_text("Menu\nRebels shelled the town on Sunday.\n")
    (tmp_path / "notes.md").write_text("not an input")
    docs = list(iter_documents([str(tmp_path)]))
    assert sorted(d.content_type for d in docs) == ["html", "text"]
    assert all(not d.error for d in docs)


def test_jsonl_keeps_metadata_and_records_a_malformed_line(tmp_path):
    f = tmp_path / "in.jsonl"
    good = {"url": "https://news.example.org/a", "title": "A", "published": "2022-01-02", "text": "Body text.", "lang": "en"}
    f.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({"url": "x"}) + "\n")
    docs = list(iter_documents([str(f)]))
    assert len(docs) == 3
    assert docs[0].published == "2022-01-02" and docs[0].metadata == {"lang": "en"}
    assert docs[0].outlet == "news.example.org"
    assert docs[1].error.startswith("K012") and docs[2].error.startswith("K012")


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_response_records(tmp_path, name):
    path = tmp_path / name
    _warc(path, [("https://a.example/1", PAGE), ("https://b.example/2", PAGE.replace("five", "six"))])
    docs = list(iter_documents([str(path)]))
    assert [d.url for d in docs] == ["https://a.example/1", "https://b.example/2"]
    assert all(d.content_type == "html" and not d.error for d in docs)


def test_truncated_warc_keeps_what_was_read(tmp_path):
    path = tmp_path / "cut.warc.gz"
    _warc(path, [("https://a.example/1", PAGE), ("https://b.example/2", PAGE * 50)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 200])
    docs = list(iter_documents([str(path)]))
    assert docs[0].url == "https://a.example/1" and not docs[0].error
    assert any(d.error for d in docs[1:])


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"\x00\x01\x02binary" * 100, "K010"), (b"   \n ", "K013")],
)
def test_bad_files_become_error_documents(tmp_path, content, code):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    (doc,) = list(iter_documents([str(f)]))
    assert doc.error.startswith(code)


def test_windows_1256_arabic_is_decoded():
    text = "قصفت الطائرات سوق المدينة يوم الاثنين وقتل عشرة مدنيين في الهجوم على السوق الشعبي"
    out, enc = decode(text.encode("cp1256"))
    assert out == text and enc != "utf-8"


def test_missing_path_is_an_error_document():
    (doc,) = list(iter_documents(["/nonexistent/file.html"]))
    assert doc.error.startswith("K010")


def test_feed_items_with_content_and_fetched_links(tmp_path, monkeypatch):
    body = " ".join(["Militants ambushed a patrol near the border on Monday, the army said."] * 8)
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Sahel Wire</title>
      <item><title>One</title><link>https://sahel.example/1</link><pubDate>Mon, 03 Jan 2022 10:00:00 GMT</pubDate>
        <description>{body}</description></item>
      <item><title>Two</title><link>https://sahel.example/2</link><description>Short teaser.</description></item>
    </channel></rss>"""
    f = tmp_path / "feed.xml"
    f.write_text(rss)
    fetched = []

    def fake_fetch(url: str) -> bytes:  # the one network seam
        fetched.append(url)
        return PAGE.encode()

    monkeypatch.setattr(ingest, "FETCH", fake_fetch)
    docs = list(iter_documents([str(f)]))
    assert [d.title for d in docs] == ["One", "Two"]
    assert docs[0].published == "2022-01-03" and fetched == ["https://sahel.example/2"]


def test_unreachable_feed_url_is_recorded(monkeypatch):
    def down(url: str) -> bytes:
        raise ingest.FetchError(url)

    monkeypatch.setattr(ingest, "FETCH", down)
    (doc,) = list(iter_documents(["https://feeds.example/rss"]))
    assert doc.error.startswith("K015") and doc.url == "https://feeds.example/rss"


def test_huge_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_BYTES", 1000)
    f = tmp_path / "huge.html"
    f.write_text(PAGE * 50)
    (doc,) = list(iter_documents([str(f)]))
    assert doc.error.startswith("K014")


def test_gzip_is_not_mistaken_for_text(tmp_path):
    f = tmp_path / "page.html"
    f.write_bytes(gzip.compress(PAGE.encode()))
    (doc,) = list(iter_documents([str(f)]))
    assert doc.error
