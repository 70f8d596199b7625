"""Article text the trafilatura way: self-written pages with chrome, each with lines that must and must not
survive (tests/pages/<name>.expect.json) and the publication date the cascade must find."""

import json
from pathlib import Path

import pytest

from khaldun.article import extract
from khaldun.ingest import iter_documents

PAGES = sorted(p for p in (Path(__file__).parent / "pages").iterdir() if p.suffix in (".html", ".txt"))


def _doc(page: Path):
    (doc,) = list(iter_documents([str(page)]))
    assert not doc.error, doc.error
    return extract(doc)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page(page):
    expect = json.loads(page.with_suffix(".expect.json").read_text("utf-8"))
    doc = _doc(page)
    lines = {ln.strip() for ln in doc.text.splitlines()}
    for line in expect.get("must", []):
        assert " ".join(line.split()) in " ".join(doc.text.split()), f"missing: {line}"
    for line in expect.get("must_not", []):
        assert line.strip() not in lines and not (len(line) >= 25 and line in doc.text), f"chrome kept: {line}"
    assert doc.published == expect.get("published")


def test_published_provenance_is_recorded():
    doc = _doc(next(p for p in PAGES if p.suffix == ".html"))
    assert doc.published_source in {"meta", "time", "json-ld", "dateline", "htmldate", "--published"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("The army said on Monday that the strike killed five people in the town of Idlib.", "en"),
     ("El ejército dijo que los enfrentamientos en la ciudad dejaron muertos y heridos en la noche.", "es"),
     ("قتل عشرة مدنيين في قصف على السوق", "ar")],
)
def test_language_is_labelled(text, lang):
    from khaldun.article import guess_language

    assert guess_language(text) == lang


@pytest.mark.parametrize("line", [
    "Newsletter",
    "Daily newsletter:",
    "Get our free newsletter",
    "Enter your e-mail address to receive the newsletter",
    "Newsletter sign-up: the morning briefing from the front line",
    "Subscribe to the weekly bulletin",
])
def test_newsletter_boxes_are_chrome(line):
    from khaldun.article import is_chrome

    assert is_chrome(line)


@pytest.mark.parametrize("line", [
    "The group claimed the ambush in its weekly newsletter al-Naba on Thursday, naming two of the dead.",
    "A statement in the militia's newsletter said its fighters had shelled the airport.",
])
def test_a_report_that_names_a_newsletter_is_not_chrome(line):
    from khaldun.article import is_chrome

    assert not is_chrome(line)
